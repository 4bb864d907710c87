//! JSON text read into a `serde_json::Value` by hand: for the WASM front-desk module (its facts, as
//! `JSON.stringify` writes them) and for a set given as a JSON array in a CSV cell. Reading without
//! serde's generated readers keeps their code (and the float formatting serde's errors carry) out
//! of the module. It gives the same value as
//! `serde_json::from_str` (numbers through `serde_json::Number`'s own reader, keys in order, a
//! repeated key's last value, nesting bounded at serde_json's 128) and the same error wording,
//! with the byte column (`tests` holds both to serde_json's).

use serde_json::{Map, Number, Value as Json};

/// How deeply arrays and objects may nest (serde_json's recursion limit), so reading cannot
/// overflow the stack.
const MAX_DEPTH: usize = 128;

/// The value of `text`, or why it is not JSON (`… at line L column C`).
pub fn parse(text: &str) -> Result<Json, String> {
    let mut r = Reader { text, pos: 0 };
    let value = r.value(0)?;
    r.space();
    if r.pos < text.len() {
        return Err(r.error("trailing characters"));
    }
    Ok(value)
}

struct Reader<'a> {
    text: &'a str,
    /// A byte offset into `text`, always at a character boundary.
    pos: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Steps over `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        let next = self.peek() == Some(byte);
        if next {
            self.pos += 1;
        }
        next
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.pos += 1;
        }
    }

    /// `what` at the current position, as serde_json words it.
    fn error(&self, what: &str) -> String {
        let before = self.text.as_bytes().get(..self.pos).unwrap_or_default();
        let line = 1 + before.iter().filter(|b| **b == b'\n').count();
        let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        format!("{what} at line {line} column {column}")
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        self.space();
        match self.peek() {
            None => Err(self.error("EOF while parsing a value")),
            Some(b'n') => self.word("null", Json::Null),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            // serde_json refuses the 128th level (its `remaining_depth` reaches 0).
            Some(b'[' | b'{') if depth + 1 >= MAX_DEPTH => {
                Err(self.error("recursion limit exceeded"))
            }
            Some(b'[') => self.array(depth),
            Some(b'{') => self.object(depth),
            Some(_) => Err(self.error("expected value")),
        }
    }

    fn word(&mut self, word: &str, value: Json) -> Result<Json, String> {
        if self
            .text
            .get(self.pos..)
            .is_some_and(|t| t.starts_with(word))
        {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected value"))
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, String> {
        self.pos += 1;
        let mut items = Vec::new();
        self.space();
        if self.eat(b']') {
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.space();
            if self.eat(b']') {
                return Ok(Json::Array(items));
            }
            if !self.eat(b',') {
                return Err(self.error(match self.peek() {
                    None => "EOF while parsing a list",
                    Some(_) => "expected `,` or `]`",
                }));
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, String> {
        self.pos += 1;
        let mut map = Map::new();
        self.space();
        if self.eat(b'}') {
            return Ok(Json::Object(map));
        }
        loop {
            self.space();
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.error("EOF while parsing an object")),
                Some(_) => return Err(self.error("key must be a string")),
            }
            let key = self.string()?;
            self.space();
            if !self.eat(b':') {
                return Err(self.error(match self.peek() {
                    None => "EOF while parsing an object",
                    Some(_) => "expected `:`",
                }));
            }
            let value = self.value(depth + 1)?;
            map.insert(key, value);
            self.space();
            if self.eat(b'}') {
                return Ok(Json::Object(map));
            }
            if !self.eat(b',') {
                return Err(self.error(match self.peek() {
                    None => "EOF while parsing an object",
                    Some(_) => "expected `,` or `}`",
                }));
            }
        }
    }

    /// A number's text as JSON's grammar allows it, read by serde_json's `Number` (so it is the
    /// same number, with `arbitrary_precision` the same digits).
    fn number(&mut self) -> Result<Json, String> {
        let start = self.pos;
        while matches!(
            self.peek(),
            Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
        ) {
            self.pos += 1;
        }
        let number = self.text.get(start..self.pos).and_then(number);
        number.ok_or_else(|| {
            self.pos = start;
            self.error("invalid number")
        })
    }

    /// A string's text (the current byte is its opening quote).
    fn string(&mut self) -> Result<String, String> {
        self.pos += 1;
        let mut out = String::new();
        let mut run = self.pos;
        loop {
            let Some(byte) = self.peek() else {
                return Err(self.error("EOF while parsing a string"));
            };
            if byte == b'"' || byte == b'\\' {
                out.push_str(self.text.get(run..self.pos).unwrap_or_default());
                self.pos += 1;
                if byte == b'"' {
                    return Ok(out);
                }
                out.push(self.escape()?);
                run = self.pos;
            } else if byte < 0x20 {
                return Err(
                    self.error("control character (\\u0000-\\u001F) found while parsing a string")
                );
            } else {
                self.pos += 1;
            }
        }
    }

    /// The character an escape stands for (after its backslash).
    fn escape(&mut self) -> Result<char, String> {
        let Some(byte) = self.peek() else {
            return Err(self.error("EOF while parsing a string"));
        };
        let escaped = match byte {
            b'"' => Some('"'),
            b'\\' => Some('\\'),
            b'/' => Some('/'),
            b'b' => Some('\u{8}'),
            b'f' => Some('\u{c}'),
            b'n' => Some('\n'),
            b'r' => Some('\r'),
            b't' => Some('\t'),
            b'u' => None,
            _ => return Err(self.error("invalid escape")),
        };
        self.pos += 1;
        match escaped {
            Some(c) => Ok(c),
            None => self.unicode(),
        }
    }

    /// A `\u` escape (after the `u`), with its low surrogate when it is a high one.
    fn unicode(&mut self) -> Result<char, String> {
        let high = self.hex4()?;
        let code = match high {
            0xD800..=0xDBFF => {
                if !(self.eat(b'\\') && self.eat(b'u')) {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            }
            _ => high,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point"))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self.text.get(self.pos..self.pos + 4);
        let code = digits.and_then(|d| {
            d.bytes()
                .try_fold(0u32, |n, b| Some(n * 16 + char::from(b).to_digit(16)?))
        });
        let Some(code) = code else {
            return Err(self.error("invalid escape"));
        };
        self.pos += 4;
        Ok(code)
    }
}

/// A number's text as a JSON number (`None` if it is not one).
fn number(text: &str) -> Option<Json> {
    text.parse::<Number>().ok().map(Json::Number)
}

#[cfg(test)]
mod tests;
