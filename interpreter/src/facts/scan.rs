//! The fast path of [`Program::facts_from_str`]: a facts object of plain values (strings without
//! escapes, integers, `true`/`false`/`null`, arrays of strings) read straight from the text into
//! input values, without building a `serde_json::Value`.
//!
//! It only ever answers with values: as soon as anything is not plain — an escape, a fraction or
//! exponent, a nested object, an unknown or repeated field, a cell its type does not read, a
//! missing required input, trailing text, malformed JSON — it gives up (`None`) and the caller
//! takes the serde_json path, which decides and words every error. Where it answers, it computes
//! what that path computes: the same literal parsers on the same text (with serde_json's
//! `arbitrary_precision`, a number's text is its lexeme, which is what this path passes on).

use crate::program::Program;
use crate::types::Type;
use crate::value::Value;
use onshi_grammar::literal;

struct Scan<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Scan<'t> {
    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// The next byte after JSON whitespace.
    fn peek(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.byte() {
            self.at += 1;
        }
        self.byte()
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        if hit {
            self.at += 1;
        }
        hit
    }

    /// `true`, `false` or `null` (`word`), not followed by a letter or digit.
    fn word(&mut self, word: &str) -> Option<()> {
        self.peek();
        let rest = self.text.get(self.at..)?;
        if !rest.starts_with(word) {
            return None;
        }
        self.at += word.len();
        match self.byte() {
            Some(c) if c.is_ascii_alphanumeric() => None,
            _ => Some(()),
        }
    }

    /// A string without escapes or control characters.
    fn string(&mut self) -> Option<&'t str> {
        if !self.eat(b'"') {
            return None;
        }
        let rest = self.text.get(self.at..)?;
        let end = special(rest.as_bytes())?;
        if rest.as_bytes().get(end) != Some(&b'"') {
            return None;
        }
        self.at += end + 1;
        rest.get(..end)
    }

    /// An integer lexeme (`-?(0|[1-9][0-9]*)`), not followed by a fraction or an exponent.
    fn integer(&mut self) -> Option<&'t str> {
        self.peek();
        let start = self.at;
        if self.byte() == Some(b'-') {
            self.at += 1;
        }
        let digits = self.at;
        while self.byte().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        let lexeme = self.text.get(start..self.at)?;
        let first = self.text.as_bytes().get(digits).copied();
        if self.at == digits
            || (first == Some(b'0') && self.at > digits + 1)
            || matches!(self.byte(), Some(b'.' | b'e' | b'E'))
        {
            return None;
        }
        Some(lexeme)
    }
}

/// The position of the first `"`, `\\` or control byte of `bytes`: eight bytes at a time while
/// none of them is one (the word tests below are exact about whether a word holds one), then
/// byte by byte within the word that does.
fn special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    // Whether some byte of `x` is below `n` (n ≤ 0x80): its subtraction borrows into bit 7
    // while its own bit 7 is clear.
    let below = |x: u64, n: u64| x.wrapping_sub(ONES.wrapping_mul(n)) & !x & HIGH != 0;
    let mut start = 0;
    for word in bytes.chunks_exact(8) {
        let x = u64::from_le_bytes(word.try_into().ok()?);
        // A byte equal to `c` is a zero byte of `x ^ c…c`, i.e. below 1.
        if below(x, 0x20)
            || below(x ^ ONES.wrapping_mul(0x22), 1)
            || below(x ^ ONES.wrapping_mul(0x5C), 1)
        {
            break;
        }
        start += 8;
    }
    let tail = bytes.get(start..)?;
    let k = tail
        .iter()
        .position(|b| *b == b'"' || *b == b'\\' || *b < 0x20)?;
    Some(start + k)
}

impl Program {
    /// Facts from JSON text on the fast path (see the module documentation), or `None`.
    pub(super) fn facts_fast(&self, text: &str) -> Option<Vec<Value>> {
        let mut s = Scan { text, at: 0 };
        let mut slots: Vec<Option<Value>> = vec![None; self.inputs.len()];
        // Fields usually come in the inputs' order: the next input is tried first.
        let mut next = 0;
        if !s.eat(b'{') {
            return None;
        }
        if !s.eat(b'}') {
            loop {
                let key = s.string()?;
                if !s.eat(b':') {
                    return None;
                }
                let k = match self.inputs.get(next) {
                    Some(i) if i.name == key => next,
                    _ => self.input_index(key)?,
                };
                next = k + 1;
                let input = self.inputs.get(k)?;
                let v = self.value_fast(&mut s, &input.ty)?;
                let slot = slots.get_mut(k)?;
                if slot.is_some() {
                    return None;
                }
                *slot = Some(v);
                if s.eat(b'}') {
                    break;
                }
                if !s.eat(b',') {
                    return None;
                }
            }
        }
        if s.peek().is_some() {
            return None;
        }
        slots
            .into_iter()
            .zip(&self.inputs)
            .map(|(v, input)| v.or_else(|| input.default.clone()))
            .collect()
    }

    /// One value of type `ty`, as [`Program::value_from_json`] reads it when it succeeds.
    fn value_fast(&self, s: &mut Scan<'_>, ty: &Type) -> Option<Value> {
        Some(match ty {
            Type::Optional(inner) => {
                if s.peek() == Some(b'n') {
                    s.word("null")?;
                    Value::Absent
                } else {
                    self.value_fast(s, inner)?
                }
            }
            Type::Bool => match s.peek()? {
                b't' => s.word("true").map(|()| Value::Bool(true))?,
                b'f' => s.word("false").map(|()| Value::Bool(false))?,
                _ => return None,
            },
            Type::Int => match s.peek()? {
                b'"' => Value::Int(literal::parse_integer(s.string()?).ok()?),
                _ => Value::Int(s.integer()?.parse().ok()?),
            },
            Type::Money | Type::Ratio | Type::Decimal => {
                let num = match s.peek()? {
                    b'"' => {
                        let text = s.string()?;
                        match ty {
                            Type::Money => literal::parse_yen_fact(text),
                            Type::Ratio => literal::parse_ratio(text),
                            _ => literal::parse_decimal(text),
                        }
                    }
                    _ => literal::parse_decimal(s.integer()?),
                }
                .ok()?;
                match ty {
                    Type::Money => Value::Money(num),
                    Type::Ratio => Value::Ratio(num),
                    _ => Value::Decimal(num),
                }
            }
            Type::Date => Value::Date(literal::parse_date_fact(s.string()?).ok()?),
            Type::Duration => Value::Duration(literal::parse_duration(s.string()?).ok()?),
            Type::Text => {
                let text = s.string()?;
                if super::is_spreadsheet_error(text.trim()) {
                    return None;
                }
                Value::Text(text.into())
            }
            Type::Enum(e) => {
                let text = s.string()?;
                let en = self.enums.get(e.0 as usize)?;
                Value::Enum(en.variants.iter().position(|v| v == text)? as u32)
            }
            Type::Set(e) => {
                let en = self.enums.get(e.0 as usize)?;
                if !s.eat(b'[') {
                    return None;
                }
                let mut bits = 0u128;
                if !s.eat(b']') {
                    loop {
                        let text = s.string()?;
                        let k = en.variants.iter().position(|v| v == text)?;
                        bits |= 1u128.checked_shl(u32::try_from(k).ok()?)?;
                        if s.eat(b']') {
                            break;
                        }
                        if !s.eat(b',') {
                            return None;
                        }
                    }
                }
                Value::Set(bits)
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::compile;
    use std::collections::BTreeMap;

    const POLICY: &str = "列挙 種別 = 病院 | 診療所\n\
入力 種別: 種別\n入力 開始: 日付\n入力 額: 金額 既定 0円\n入力 紙: 真偽 既定 偽\n\
入力 提示: 集合<種別> 既定 {}\n入力 数: 整数 既定 0\n入力 率: 割合 既定 1/2\n\
入力 名: 文字列 既定 \"\"\n入力 予備: 任意<金額>\n出力 x: 金額 = 額\n";

    /// The word-at-a-time search finds the first `"`, `\\` or control byte wherever it is, and
    /// none among bytes next to them in value (`!`, `#`, `[`, `]`, space, DEL, UTF-8 bytes).
    #[test]
    fn special_bytes_are_found_at_every_offset() {
        let plain: Vec<u8> = b" !#[]~\x7f"
            .iter()
            .copied()
            .chain("髙橋あ".bytes())
            .collect();
        for len in 0..40 {
            let base: Vec<u8> = plain.iter().copied().cycle().take(len).collect();
            assert_eq!(super::special(&base), None, "{base:?}");
            for at in 0..len {
                for c in [b'"', b'\\', 0x00, 0x1F, b'\n'] {
                    let mut bytes = base.clone();
                    bytes[at] = c;
                    assert_eq!(super::special(&bytes), Some(at), "{bytes:?}");
                    if at + 1 < len {
                        bytes[at + 1] = b'"';
                        assert_eq!(super::special(&bytes), Some(at), "{bytes:?}");
                    }
                }
            }
        }
    }

    /// Where the fast path answers, it answers what the serde_json path answers; and it answers
    /// for the plain records `onshi batch` reads.
    #[test]
    fn the_fast_path_agrees_with_serde_json() {
        let mut files = BTreeMap::new();
        files.insert("a.onshi".to_string(), POLICY.to_string());
        let c = compile(&files, "a.onshi");
        let p = c.program.unwrap_or_else(|| panic!("{:?}", c.diagnostics));
        let plain = [
            r#"{"種別": "病院", "開始": "2025-12-01"}"#,
            r#" { "種別":"診療所","開始":"令和7年12月1日","額":411000,"紙":true,"提示":["病院","診療所"],"数":-3,"率":"3/4","名":"髙橋","予備":null } "#,
            r#"{"種別": "病院", "開始": "2025-12-01", "額": "41.1万円", "数": "12", "予備": 5, "提示": []}"#,
            r#"{"種別": "病院", "開始": "2025-12-01", "額": -0, "率": 0}"#,
        ];
        for text in plain {
            let fast = p.facts_fast(text);
            assert!(fast.is_some(), "{text}");
            assert_eq!(
                fast.map(Ok),
                Some(p.facts_from_json(&serde_json::from_str(text).unwrap())),
                "{text}"
            );
        }
        let other = [
            "",
            "[]",
            "{",
            r#"{"種別": "病院"}"#,
            r#"{"種別": "歯科", "開始": "2025-12-01"}"#,
            r#"{"種別": "病院", "開始": "2025-12-01", "x": 1}"#,
            r#"{"種別": "病院", "種別": "診療所", "開始": "2025-12-01"}"#,
            r#"{"種別": "病\u9662", "開始": "2025-12-01"}"#,
            r#"{"種別": "病院", "開始": "2025-12-01", "額": 1.5}"#,
            r#"{"種別": "病院", "開始": "2025-12-01", "額": 1e3}"#,
            r#"{"種別": "病院", "開始": "2025-12-01", "額": 01}"#,
            r#"{"種別": "病院", "開始": "2025-12-01", "数": 99999999999999999999}"#,
            r#"{"種別": "病院", "開始": "2025-12-01", "紙": 1}"#,
            r#"{"種別": "病院", "開始": "2025-12-01", "紙": truex}"#,
            r#"{"種別": "病院", "開始": "2025-12-01", "額": null}"#,
            r#"{"種別": "病院", "開始": "2025-12-01",}"#,
            r#"{"種別": "病院", "開始": "2025-12-01"} x"#,
            r#"{"種別": "病院", "開始": "2025-13-01"}"#,
            r#"{"種別": "病院", "開始": "2025-12-01", "提示": ["病院", "歯科"]}"#,
            r#"{"種別": "病院", "開始": "2025-12-01", "提示": "病院"}"#,
            r#"{"種別": "病院", "開始": "2025-12-01", "予備": {}}"#,
        ];
        for text in other {
            assert_eq!(p.facts_fast(text), None, "{text}");
            // The public path still answers (here: with the serde_json path's value or error).
            let slow = serde_json::from_str(text)
                .map_err(|e| crate::FactsError::Json {
                    message: e.to_string(),
                })
                .and_then(|j| p.facts_from_json(&j));
            assert_eq!(p.facts_from_str(text), slow, "{text}");
        }
    }
}
