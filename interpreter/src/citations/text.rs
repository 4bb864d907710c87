//! Text as citations are matched: what PDF text extraction and quoting change is taken out, and
//! every remaining character remembers where it came from in the original.
//!
//! Matching ignores Unicode compatibility forms (full-width digits, Kangxi radicals such as ⽉), the
//! CJK radical-supplement look-alikes NFKC leaves alone (⻭ → 歯), all white space and line breaks,
//! quotation marks (「」『』“”"'‘’) and ※, and reads the wave dash 〜 as the full-width tilde ～
//! (Shift_JIS conversions swap them; both become `~`). Compatibility decomposition (NFKD) is applied per character:
//! two strings have equal NFKD forms exactly when they have equal NFKC forms, so this is the NFKC
//! equivalence without recomposition, and each character keeps its origin.

use unicode_normalization::char::decompose_compatible;

/// Text prepared for matching: the kept characters and, for each, the byte range of the original
/// character it came from.
#[derive(Clone, Debug, Default)]
pub struct Folded {
    pub chars: Vec<char>,
    origin: Vec<(u32, u32)>,
}

impl Folded {
    pub fn new(text: &str) -> Folded {
        let mut out = Folded::default();
        for (at, c) in text.char_indices() {
            let range = (clamp(at), clamp(at + c.len_utf8()));
            decompose_compatible(radical(c), |d| {
                if let Some(k) = keep(d) {
                    out.chars.push(k);
                    out.origin.push(range);
                }
            });
        }
        out
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The byte range in the original text of the kept characters `from..to`.
    pub fn original(&self, from: usize, to: usize) -> Option<std::ops::Range<usize>> {
        let start = self.origin.get(from)?.0 as usize;
        let end = self.origin.get(to.checked_sub(1)?)?.1 as usize;
        (start <= end).then_some(start..end)
    }

    /// The first occurrence of `needle` at or after `from` (an index into `chars`), in linear time
    /// (Knuth–Morris–Pratt: a repetitive document and quote cannot make it quadratic).
    pub fn find(&self, needle: &[char], from: usize) -> Option<usize> {
        if needle.is_empty() || needle.len() > self.chars.len() {
            return None;
        }
        // fail[i]: the length of the longest proper border of needle[..=i].
        let mut fail = vec![0usize; needle.len()];
        let mut k = 0usize;
        for (i, c) in needle.iter().enumerate().skip(1) {
            while k > 0 && needle.get(k) != Some(c) {
                k = fail.get(k - 1).copied().unwrap_or(0);
            }
            if needle.get(k) == Some(c) {
                k += 1;
            }
            if let Some(f) = fail.get_mut(i) {
                *f = k;
            }
        }
        let mut k = 0usize;
        for (i, c) in self.chars.iter().enumerate().skip(from) {
            while k > 0 && needle.get(k) != Some(c) {
                k = fail.get(k - 1).copied().unwrap_or(0);
            }
            if needle.get(k) == Some(c) {
                k += 1;
            }
            if k == needle.len() {
                return Some(i + 1 - k);
            }
        }
        None
    }

    /// The window of `chars` closest to `needle` by edit distance (substitutions, insertions and
    /// deletions; the window may be longer or shorter than the needle): `(start, end, distance)`.
    /// Sellers' algorithm, O(needle × text); a needle longer than the cost budget allows is matched
    /// by its beginning only, so a huge document or quote stays fast.
    pub fn closest(&self, needle: &[char]) -> Option<(usize, usize, usize)> {
        const BUDGET: usize = 40_000_000;
        let keep = (BUDGET / self.chars.len().max(1)).clamp(8, 400);
        let needle = needle.get(..needle.len().min(keep))?;
        if needle.is_empty() || self.chars.is_empty() {
            return None;
        }
        // col[i]: (distance, start) of the best alignment of needle[..i] ending at the current
        // text position.
        let mut col: Vec<(usize, usize)> = (0..=needle.len()).map(|i| (i, 0)).collect();
        let mut best: Option<(usize, usize, usize)> = None;
        for (j, t) in self.chars.iter().enumerate() {
            let mut diagonal = (0usize, j);
            if let Some(top) = col.first_mut() {
                diagonal = std::mem::replace(top, (0, j + 1));
            }
            for (i, p) in needle.iter().enumerate() {
                let (Some(&left), Some(&up)) = (col.get(i + 1), col.get(i)) else {
                    break;
                };
                let substitute = (diagonal.0 + usize::from(p != t), diagonal.1);
                let delete = (left.0 + 1, left.1);
                let insert = (up.0 + 1, up.1);
                let cell = [substitute, delete, insert]
                    .into_iter()
                    .min_by_key(|c| c.0)
                    .unwrap_or(substitute);
                diagonal = left;
                if let Some(slot) = col.get_mut(i + 1) {
                    *slot = cell;
                }
            }
            if let Some(&(d, start)) = col.last() {
                if best.is_none_or(|(_, _, bd)| d < bd) {
                    best = Some((start, j + 1, d));
                }
            }
        }
        best
    }
}

fn clamp(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

/// The character kept for matching, or `None` for what matching ignores.
fn keep(c: char) -> Option<char> {
    if c.is_whitespace() || IGNORED.contains(&c) {
        return None;
    }
    Some(if c == '〜' { '~' } else { c })
}

/// Quotation marks and the reference mark: quoting adds or drops them.
const IGNORED: &[char] = &[
    '「', '」', '『', '』', '“', '”', '"', '\'', '‘', '’', '〝', '〟', '※',
];

/// CJK radical-supplement characters that PDF extraction produces for the ideographs they look
/// like; NFKC maps the Kangxi radicals (⽉ → 月) but not these.
fn radical(c: char) -> char {
    RADICALS
        .iter()
        .find(|(r, _)| *r == c)
        .map_or(c, |(_, ideograph)| *ideograph)
}

const RADICALS: &[(char, char)] = &[
    ('⺃', '乚'),
    ('⺅', '亻'),
    ('⺆', '冂'),
    ('⺉', '刂'),
    ('⺋', '㔾'),
    ('⺎', '兀'),
    ('⺏', '尣'),
    ('⺐', '尢'),
    ('⺒', '巳'),
    ('⺓', '幺'),
    ('⺔', '彑'),
    ('⺖', '忄'),
    ('⺗', '㣺'),
    ('⺘', '扌'),
    ('⺙', '攵'),
    ('⺛', '旡'),
    ('⺜', '日'),
    ('⺝', '月'),
    ('⺞', '歺'),
    ('⺟', '母'),
    ('⺠', '民'),
    ('⺡', '氵'),
    ('⺢', '氺'),
    ('⺣', '灬'),
    ('⺤', '爫'),
    ('⺥', '爫'),
    ('⺦', '丬'),
    ('⺧', '牜'),
    ('⺨', '犭'),
    ('⺩', '王'),
    ('⺪', '疋'),
    ('⺫', '罒'),
    ('⺬', '示'),
    ('⺭', '礻'),
    ('⺯', '糸'),
    ('⺰', '纟'),
    ('⺱', '罓'),
    ('⺲', '罒'),
    ('⺹', '耂'),
    ('⺺', '肀'),
    ('⺻', '聿'),
    ('⺼', '月'),
    ('⺽', '臼'),
    ('⺾', '艹'),
    ('⺿', '艹'),
    ('⻀', '艹'),
    ('⻁', '虎'),
    ('⻂', '衤'),
    ('⻃', '覀'),
    ('⻄', '西'),
    ('⻅', '见'),
    ('⻆', '角'),
    ('⻈', '讠'),
    ('⻉', '贝'),
    ('⻋', '车'),
    ('⻌', '辶'),
    ('⻍', '辶'),
    ('⻎', '辶'),
    ('⻏', '阝'),
    ('⻐', '钅'),
    ('⻑', '長'),
    ('⻒', '镸'),
    ('⻓', '长'),
    ('⻔', '门'),
    ('⻖', '阝'),
    ('⻗', '雨'),
    ('⻘', '青'),
    ('⻙', '韦'),
    ('⻚', '页'),
    ('⻛', '风'),
    ('⻜', '飞'),
    ('⻝', '食'),
    ('⻟', '飠'),
    ('⻠', '饣'),
    ('⻢', '马'),
    ('⻣', '骨'),
    ('⻤', '鬼'),
    ('⻥', '鱼'),
    ('⻦', '鸟'),
    ('⻧', '卤'),
    ('⻨', '麦'),
    ('⻩', '黄'),
    ('⻪', '黾'),
    ('⻫', '斉'),
    ('⻬', '齐'),
    ('⻭', '歯'),
    ('⻮', '齿'),
    ('⻯', '竜'),
    ('⻰', '龙'),
    ('⻱', '龜'),
    ('⻲', '亀'),
    ('⻳', '龟'),
];

/// The original text of a window, as a reader would quote it: line breaks and the blanks PDF
/// extraction puts between Japanese characters dropped, other runs of blanks made one space.
pub fn readable(original: &str) -> String {
    let mut out = String::new();
    let mut pending_space = false;
    for c in original.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && out.chars().last().is_some_and(|p| p.is_ascii()) && c.is_ascii() {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> String {
        Folded::new(s).chars.into_iter().collect()
    }

    #[test]
    fn widths_radicals_blanks_and_quotes_are_folded() {
        assert_eq!(f("令和６年 12月２日"), "令和6年12月2日");
        assert_eq!(f("⼊⼒\n⽉"), "入力月");
        assert_eq!(f("⻭科"), "歯科");
        assert_eq!(f("「資格確認書」※"), "資格確認書");
        assert_eq!(f("～2025.12/1"), f("〜2025．12／1"));
    }

    #[test]
    fn original_ranges_point_back_at_the_source() {
        let text = "令和６年\n 12月";
        let folded = Folded::new(text);
        let at = folded.find(&['6', '年', '1'], 0).unwrap();
        assert_eq!(&text[folded.original(at, at + 3).unwrap()], "６年\n 1");
    }

    #[test]
    fn closest_window_is_the_near_miss() {
        let doc = Folded::new("補助率は1/2です。限度額は41.1万円です。");
        let needle: Vec<char> = "限度額は41.2万円".chars().collect();
        let (s, e, d) = doc.closest(&needle).unwrap();
        assert_eq!(d, 1);
        let text: String = doc.chars[s..e].iter().collect();
        assert_eq!(text, "限度額は41.1万円");
    }

    #[test]
    fn readable_drops_pdf_blanks_between_japanese() {
        assert_eq!(readable("令和６年 12月２日\nより"), "令和６年12月２日より");
        assert_eq!(readable("PDF   file"), "PDF file");
    }
}
