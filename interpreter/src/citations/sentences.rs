//! A source document cut into sentences, and what makes a sentence one a policy must answer for.
//!
//! The seeds are text extracted from PDFs and web pages: a PDF wraps a sentence over several
//! lines, a web page puts a paragraph on one line, tables and lists put an item on each line. So:
//! - a sentence ends after 。 ！ ？ (full or half width);
//! - it also ends at a line break, unless the line wraps: a line of at least [`WRAP_WIDTH`]
//!   characters that does not end a sentence (。 ： :) and is followed (after at most one blank
//!   line) by a line that does not start a list item (・ - ● ○ ■ □ ◆ ◇ ※ ① （１） １． 1. …);
//! - a table row (a line with `|` or a tab) is a sentence of its own;
//! - two blank lines in a row end a paragraph;
//! - a "sentence" without a letter (page numbers, rules of dashes) is dropped.
//!
//! A sentence is *normative* when it carries a date (a digit before 年 月 日), an amount (a digit
//! before 円 or ％ / %), or one of [`NORMATIVE_WORDS`].

use super::text::Folded;
use std::ops::Range;

/// A line at least this wide (in characters, blanks trimmed) that does not end a sentence is read
/// as wrapped onto the next line (PDF text extraction keeps the page's line breaks).
pub const WRAP_WIDTH: usize = 30;

/// The words that make a sentence normative (with the dates and amounts): duties, permissions,
/// scope, deadlines, conditions.
pub const NORMATIVE_WORDS: &[&str] = &[
    "義務",
    "必要",
    "必須",
    "要件",
    "できる",
    "できます",
    "できません",
    "できない",
    "対象",
    "期限",
    "ならない",
    "なりません",
    "限る",
    "限り",
    "不可",
    "禁止",
    "原則",
    "除く",
    "除き",
];

/// Why a sentence is normative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mark {
    Date,
    Amount,
    Word(&'static str),
}

/// One sentence of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Its bytes in the document.
    pub range: Range<usize>,
    /// The line it starts on (1-based).
    pub line: usize,
    pub marks: Vec<Mark>,
}

impl Sentence {
    pub fn is_normative(&self) -> bool {
        !self.marks.is_empty()
    }
}

/// The sentences of a document, in order (see the module's documentation for how it is cut).
pub fn split(doc: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (byte, line)
    let lines: Vec<(usize, &str)> = line_starts(doc);
    let mut blanks = 0usize;
    for (i, (at, line)) in lines.iter().enumerate() {
        let number = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            blanks += 1;
            if blanks >= 2 {
                if let Some((s, l)) = start.take() {
                    push(&mut out, doc, s, *at, l);
                }
            }
            continue;
        }
        blanks = 0;
        let row = line.contains(['|', '\t']);
        // A table row or a list item starts a sentence of its own.
        if row || (start.is_some() && starts_item(trimmed)) {
            if let Some((s, l)) = start.take() {
                push(&mut out, doc, s, *at, l);
            }
        }
        // Sentence ends inside the line.
        for (j, c) in line.char_indices() {
            if start.is_none() && !c.is_whitespace() {
                start = Some((at + j, number));
            }
            if matches!(c, '。' | '！' | '？' | '!' | '?') {
                let end = at + j + c.len_utf8();
                if let Some((s, l)) = start.take() {
                    push(&mut out, doc, s, end, l);
                }
            }
        }
        let end = at + line.len();
        let wraps = !row
            && trimmed.chars().count() >= WRAP_WIDTH
            && !trimmed.ends_with(['。', '：', ':', '！', '？', '!', '?'])
            && next_line(&lines, i).is_some_and(|n| !starts_item(n.trim()));
        if !wraps {
            if let Some((s, l)) = start.take() {
                push(&mut out, doc, s, end, l);
            }
        }
    }
    if let Some((s, l)) = start.take() {
        push(&mut out, doc, s, doc.len(), l);
    }
    out
}

/// Each line with the byte where it starts (without its line break).
fn line_starts(doc: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0usize;
    for piece in doc.split_inclusive('\n') {
        let line = piece.trim_end_matches(['\n', '\r']);
        out.push((at, line));
        at += piece.len();
    }
    out
}

/// The next line that is not blank, skipping at most one blank line.
fn next_line<'a>(lines: &[(usize, &'a str)], i: usize) -> Option<&'a str> {
    let mut blank = 0;
    for (_, l) in lines.iter().skip(i + 1) {
        if !l.trim().is_empty() {
            return Some(l);
        }
        blank += 1;
        if blank > 1 {
            return None;
        }
    }
    None
}

/// Whether a line starts a list item or a heading number.
fn starts_item(line: &str) -> bool {
    let mut cs = line.chars();
    let Some(first) = cs.next() else {
        return false;
    };
    if "・-‐－●○■□◆◇※★☆▶►▪>＞<＜【①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮".contains(first)
    {
        return true;
    }
    let folded: String = Folded::new(line).chars.iter().take(6).collect();
    let digits = folded.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        return folded
            .chars()
            .nth(digits)
            .is_some_and(|c| matches!(c, '.' | '．' | ')' | '）' | '、'));
    }
    if let Some(rest) = folded.strip_prefix(['(', '（']) {
        return rest.chars().next().is_some_and(|c| {
            c.is_ascii_digit() || "一二三四五六七八九十".contains(c) || c.is_ascii_alphabetic()
        });
    }
    folded.starts_with("別添") || folded.starts_with("参考") || folded.starts_with("第")
}

fn push(out: &mut Vec<Sentence>, doc: &str, start: usize, end: usize, line: usize) {
    let Some(text) = doc.get(start..end) else {
        return;
    };
    let folded: String = Folded::new(text).chars.into_iter().collect();
    if !folded.chars().any(char::is_alphabetic) {
        return;
    }
    let end = start + text.trim_end().len();
    out.push(Sentence {
        range: start..end,
        line,
        marks: marks(&folded),
    });
}

/// Why a sentence (as matching folds it) is normative.
pub fn marks(folded: &str) -> Vec<Mark> {
    let mut out = Vec::new();
    let cs: Vec<char> = folded.chars().collect();
    let after_digit = |set: &[char]| {
        cs.windows(2).any(|w| match w {
            [a, b] => a.is_ascii_digit() && set.contains(b),
            _ => false,
        })
    };
    if after_digit(&['年', '月', '日']) || folded.contains("元年") {
        out.push(Mark::Date);
    }
    if after_digit(&['円', '%', '％', '万', '千']) {
        out.push(Mark::Amount);
    }
    for w in NORMATIVE_WORDS {
        if folded.contains(w) {
            out.push(Mark::Word(w));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(doc: &str) -> Vec<&str> {
        split(doc)
            .into_iter()
            .filter_map(|s| doc.get(s.range))
            .collect()
    }

    #[test]
    fn ends_after_maru_and_joins_wrapped_lines() {
        let doc = "補助対象は訪問診療等、オンライン診療等、外来診療等の導入に必要な機器等 \n\n費用となります。詳細は別添。\n";
        assert_eq!(
            texts(doc),
            vec![
                "補助対象は訪問診療等、オンライン診療等、外来診療等の導入に必要な機器等 \n\n費用となります。",
                "詳細は別添。"
            ]
        );
    }

    #[test]
    fn short_lines_list_items_and_table_rows_stand_alone() {
        let doc = "（周知依頼）\nお知らせ\n- 一つ目の項目で、ここは三十文字を超える長さの行にしておきます\n- 二つ目\n| 補助率 | 1/2 |\n";
        assert_eq!(
            texts(doc),
            vec![
                "（周知依頼）",
                "お知らせ",
                "- 一つ目の項目で、ここは三十文字を超える長さの行にしておきます",
                "- 二つ目",
                "| 補助率 | 1/2 |"
            ]
        );
    }

    #[test]
    fn page_numbers_are_not_sentences() {
        assert_eq!(texts("- 1 -\n\n\n２\n本文。\n"), vec!["本文。"]);
    }

    #[test]
    fn marks_dates_amounts_and_words() {
        let s = split("令和７年１月15日までに申請が必要です。上限は42.9万円。よろしく。");
        let marks: Vec<_> = s.iter().map(|s| s.marks.clone()).collect();
        assert_eq!(
            marks,
            vec![
                vec![Mark::Date, Mark::Word("必要")],
                vec![Mark::Amount],
                vec![]
            ]
        );
    }
}
