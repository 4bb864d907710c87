//! Positions and addresses: byte offsets ↔ LSP positions (line, UTF-16 code unit: the protocol's
//! default encoding, which matters for Japanese text, where a byte offset, a character count and a
//! UTF-16 count all differ), and `file://` URIs ↔ file system paths.

use lsp_types::{Position, Range, Uri};
use std::str::FromStr;

/// Where each line of a text starts, to turn byte offsets into positions and back.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The position of byte `offset` (clamped to the text, and back to a character boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let units = text
            .get(start..offset)
            .map_or(0, |s| s.encode_utf16().count());
        Position::new(to_u32(line), to_u32(units))
    }

    /// The byte offset of a position; a character past the end of its line is the line's end, a
    /// line past the end is the text's end, a position inside a surrogate pair is the character's
    /// start.
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(text.len(), |e| e.saturating_sub(1));
        let line = text.get(start..end).unwrap_or("");
        let mut units = 0u32;
        for (i, c) in line.char_indices() {
            let next = units + to_u32(c.len_utf16());
            if next > pos.character {
                return start + i;
            }
            units = next;
        }
        // The end of the line, before a `\r` of a CRLF ending.
        start + line.strip_suffix('\r').map_or(line.len(), str::len)
    }

    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range::new(self.position(text, start), self.position(text, end))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The file system path of a `file://` URI (percent-decoded); `None` for other schemes.
pub fn uri_to_path(uri: &Uri) -> Option<String> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // `file:///p` (empty host) or `file://localhost/p`.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or(path);
    percent_decode(path)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `file://` URI of an absolute path, every byte outside the unreserved set and `/`
/// percent-encoded (so Japanese file names round-trip through any client).
pub fn path_to_uri(path: &str) -> Option<Uri> {
    let mut s = String::from("file://");
    if !path.starts_with('/') {
        s.push('/');
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_positions_in_japanese_text() {
        // 定義 is two UTF-16 units but six bytes; 𠮷 is one character but two UTF-16 units.
        let text = "定義 x = 1\n定義 𠮷野 = 2\r\nz";
        let idx = LineIndex::new(text);
        let y = text.find('𠮷').unwrap_or(0);
        assert_eq!(idx.position(text, y), Position::new(1, 3));
        let after = y + '𠮷'.len_utf8();
        assert_eq!(idx.position(text, after), Position::new(1, 5));
        assert_eq!(idx.offset(text, Position::new(1, 5)), after);
        // Inside the surrogate pair: the character's start.
        assert_eq!(idx.offset(text, Position::new(1, 4)), y);
        // Past the end of a CRLF line: before the `\r`.
        assert_eq!(
            idx.offset(text, Position::new(1, 99)),
            text.find('\r').unwrap_or(0)
        );
        assert_eq!(idx.offset(text, Position::new(9, 0)), text.len());
        assert_eq!(idx.position(text, 10_000), Position::new(2, 1));
    }

    #[test]
    fn file_uris_round_trip_japanese_paths() {
        let uri = path_to_uri("/tmp/政策 r7/補助.onshi");
        let uri = uri.as_ref();
        assert_eq!(
            uri.and_then(uri_to_path).as_deref(),
            Some("/tmp/政策 r7/補助.onshi")
        );
        let parsed = Uri::from_str("file:///a/%E6%94%BF.onshi").ok();
        assert_eq!(
            parsed.as_ref().and_then(uri_to_path).as_deref(),
            Some("/a/政.onshi")
        );
        let other = Uri::from_str("untitled:Untitled-1").ok();
        assert_eq!(other.as_ref().and_then(uri_to_path), None);
    }
}
