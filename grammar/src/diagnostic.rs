//! Diagnostics as data: a stable code, a severity, wording in Japanese and English, help, and
//! labelled spans. Each phase has its own error enum (data only); it is turned into a
//! [`Diagnostic`] by that phase's wording function. Rendering (miette) happens in the CLI layer.

use crate::ast::Span;
use crate::codes::Code;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    /// `"en"`/`"english"` (any case) is English; everything else is Japanese, the default.
    pub fn from_tag(tag: &str) -> Lang {
        let t = tag.trim().to_ascii_lowercase();
        if t == "en" || t.starts_with("en_") || t.starts_with("en-") || t == "english" {
            Lang::En
        } else {
            Lang::Ja
        }
    }
}

/// A message in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub ja: String,
    pub en: String,
}

impl Text {
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            ja: ja.into(),
            en: en.into(),
        }
    }
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: Text,
    pub primary: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable, e.g. `onshi::type::mismatch`.
    pub code: &'static str,
    pub severity: Severity,
    pub message: Text,
    pub help: Option<Text>,
    pub labels: Vec<Label>,
    /// The text that replaces the primary label's span and resolves the diagnostic, when one is
    /// known for sure (the did-you-mean of an unknown name, the same day written in its own era):
    /// an editor's quick fix. The help says it in words.
    pub fix: Option<String>,
}

impl Diagnostic {
    /// A diagnostic of a registered code ([`crate::codes`]), an error or a warning as the registry
    /// says.
    pub fn new(code: Code, message: Text) -> Diagnostic {
        Diagnostic {
            severity: code.severity,
            ..Diagnostic::error(code.id, message)
        }
    }
    /// An error with a code outside the registry: only the WASM and Python packages' own codes
    /// (`onshi::wasm::…`); onshi's phases use [`Diagnostic::new`].
    pub fn error(code: &'static str, message: Text) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message,
            help: None,
            labels: Vec::new(),
            fix: None,
        }
    }
    pub fn with_label(mut self, span: Span, text: Text) -> Diagnostic {
        let primary = self.labels.is_empty();
        self.labels.push(Label {
            span,
            text,
            primary,
        });
        self
    }
    pub fn with_help(mut self, help: Text) -> Diagnostic {
        self.help = Some(help);
        self
    }
    pub fn with_fix(mut self, fix: Option<String>) -> Diagnostic {
        self.fix = fix;
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
    /// The span of the first (primary) label, if any.
    pub fn primary_span(&self) -> Option<Span> {
        self.labels.first().map(|l| l.span)
    }
}

/// The one did-you-mean helper: the candidate closest to `name` by edit distance (on characters, so
/// Japanese names work), if it is close enough to be a plausible typo. Replacing a character by one
/// it is easily confused with (same reading or look: 少/小, 未/末, カ/力) costs half an edit, so
/// among candidates as many edits away the confusable one wins (`最少` → `最小`, not `最大`).
pub fn suggest<'a, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    closest(name, candidates, |len| match len {
        0 => None,
        1..=2 => Some(1),
        3..=5 => Some(2),
        _ => Some(3),
    })
}

/// The candidate `name` is a plausible misspelling of, by a stricter measure than [`suggest`]:
/// within one edit (a confusable character half of one), two for names of six characters or
/// more. Data that is not a name of the policy (a column `施設名` beside the input `施設種別`, two
/// edits apart) is not taken for a typo; `申請曰` for `申請日`, or `施設種類` for `施設種別`, is.
pub fn typo_of<'a, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    closest(name, candidates, |len| match len {
        0 => None,
        1..=5 => Some(1),
        _ => Some(2),
    })
}

/// The candidate nearest `name` within `limit(name's length)` edits (ties: the first by order).
fn closest<'a, I>(
    name: &str,
    candidates: I,
    limit: impl Fn(usize) -> Option<usize>,
) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let len = name.chars().count();
    let limit = limit(len)?;
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        // Lengths further apart than the limit are further apart in edit distance too: skip them
        // before the quadratic comparison (a 10 MB name must not cost seconds).
        if c == name || c.chars().count().abs_diff(len) > limit {
            continue;
        }
        // In half edits.
        let d = edit_distance(name, c);
        if d <= 2 * limit && best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// Characters typed for one another: same reading (少/小 しょう), or the same look (未/末, kana and
/// kanji look-alikes).
const CONFUSABLE: &[(char, char)] = &[
    ('少', '小'),
    ('未', '末'),
    ('大', '太'),
    ('己', '已'),
    ('土', '士'),
    ('千', '干'),
    ('人', '入'),
    ('カ', '力'),
    ('ロ', '口'),
    ('ニ', '二'),
    ('エ', '工'),
    ('タ', '夕'),
    ('ト', '卜'),
    ('ハ', '八'),
    ('ー', '一'),
    ('へ', 'ヘ'),
    ('ぺ', 'ペ'),
    ('べ', 'ベ'),
    ('額', '頭'),
    ('間', '問'),
    ('険', '検'),
    ('剤', '済'),
];

fn confusable(a: char, b: char) -> bool {
    CONFUSABLE
        .iter()
        .any(|&(x, y)| (x, y) == (a, b) || (y, x) == (a, b))
}

/// User text quoted in a message, cut to its first `max` characters and `…` (a fact may be
/// megabytes long; the message only needs to show which one it is).
pub fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or(text)).into(),
        None => text.into(),
    }
}

/// Edit distance in half edits: inserting, deleting or replacing a character costs 2, replacing
/// it by a [`confusable`] one costs 1.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).map(|j| 2 * j).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = 2 * (i + 1);
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = if ca == *cb {
                0
            } else if confusable(ca, *cb) {
                1
            } else {
                2
            };
            let sub = prev.get(j).copied().unwrap_or(0) + cost;
            let del = prev.get(j + 1).copied().unwrap_or(0) + 2;
            let ins = cur.get(j).copied().unwrap_or(0) + 2;
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_japanese_names() {
        let names = ["施設種別", "申請日", "補助済事業"];
        assert_eq!(suggest("施設種類", names), Some("施設種別".into()));
        assert_eq!(suggest("申請曜日", names), Some("申請日".into()));
        assert_eq!(suggest("まったく別", names), None);
    }

    #[test]
    fn typos_are_one_edit_away() {
        let inputs = [
            "施設種別",
            "申請日",
            "レセコン改修費用",
            "グループ処方箋受付回数",
        ];
        assert_eq!(typo_of("申請曰", inputs), Some("申請日".into()));
        assert_eq!(typo_of("施設種類", inputs), Some("施設種別".into()));
        assert_eq!(
            typo_of("レセコン改修費", inputs),
            Some("レセコン改修費用".into())
        );
        assert_eq!(
            typo_of("グループ処方せん受付回数", inputs),
            Some("グループ処方箋受付回数".into())
        );
        for data in ["施設名", "施設コード", "備考", "メモ", "申請担当者", "ID"] {
            assert_eq!(typo_of(data, inputs), None, "{data}");
        }
        // One character from an input's name is taken for a typo, whatever the character: a
        // column is never silently carried when it may have been meant as the input.
        assert_eq!(typo_of("申請者", inputs), Some("申請日".into()));
        // The did-you-mean is looser: it still offers a name for an unknown field.
        assert_eq!(suggest("施設名", inputs), Some("施設種別".into()));
    }

    #[test]
    fn a_confusable_character_wins_a_tie() {
        let builtins = ["最小", "最大", "月末", "月初"];
        assert_eq!(suggest("最少", builtins), Some("最小".into()));
        assert_eq!(suggest("月未", builtins), Some("月末".into()));
        // Still only plausible typos: two plain edits in a two-character name are too many.
        assert_eq!(suggest("少少", builtins), None);
    }

    #[test]
    fn lang_tags() {
        assert_eq!(Lang::from_tag("en"), Lang::En);
        assert_eq!(Lang::from_tag("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_tag("ja"), Lang::Ja);
        assert_eq!(Lang::from_tag(""), Lang::Ja);
    }
}
