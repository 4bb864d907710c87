//! Text as Japanese offices have it: input in UTF-8 (with or without a BOM) or CP932 (Shift_JIS as
//! Windows and Japanese Excel write it), detected or given with `--encoding`; output in UTF-8,
//! UTF-8 with a BOM (so Japanese Excel opens it as UTF-8) or CP932, with `--output-encoding`.
//!
//! CP932 is encoding_rs's `Shift_JIS` (the WHATWG encoding, which is Microsoft's code page 932
//! with its NEC and IBM extensions). A value CP932 cannot represent is never written as `?`: the
//! record becomes an error record naming the output and the character ([`cp932_check`]).

use encoding_rs::{EncoderResult, SHIFT_JIS};
use std::io::{BufRead, Read};

/// `--encoding`: how the input is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum InputEncoding {
    /// UTF-8 (a BOM is skipped) when the start of the file is valid UTF-8, else CP932.
    Auto,
    /// UTF-8, with or without a BOM.
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// CP932 / Shift_JIS (Japanese Excel's "CSV (コンマ区切り)").
    #[value(name = "cp932", alias = "shift_jis", alias = "sjis")]
    Cp932,
}

/// `--output-encoding`: how the results are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputEncoding {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// UTF-8 starting with a byte order mark: Japanese Excel then opens the CSV as UTF-8.
    #[value(name = "utf-8-bom", alias = "utf8-bom")]
    Utf8Bom,
    /// CP932 / Shift_JIS, what Japanese Excel reads by default.
    #[value(name = "cp932", alias = "shift_jis", alias = "sjis")]
    Cp932,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The encoding of a file starting with `prefix`: UTF-8 if it has a BOM or is valid UTF-8 (a
/// character cut at the end of the prefix does not count against it), else CP932.
pub fn detect(prefix: &[u8]) -> InputEncoding {
    if prefix.starts_with(BOM) {
        return InputEncoding::Utf8;
    }
    match std::str::from_utf8(prefix) {
        Ok(_) => InputEncoding::Utf8,
        Err(e) if e.error_len().is_none() => InputEncoding::Utf8,
        Err(_) => InputEncoding::Cp932,
    }
}

/// What decoding found about the input.
#[derive(Clone, Copy, Debug, Default)]
pub struct Decoded {
    /// Read as CP932 (U+FFFD marks bytes that were not CP932).
    pub lossy: bool,
    /// UTF-8 that started with a byte order mark.
    pub bom: bool,
}

/// The input as UTF-8: a BOM skipped, CP932 decoded. Bytes that are not CP932 become U+FFFD,
/// which CP932 has no code for, so [`Decoded::lossy`] records containing it are reported as
/// undecodable rather than read.
pub fn decode<R: Read + Send + 'static>(
    mut reader: std::io::BufReader<R>,
    encoding: InputEncoding,
) -> std::io::Result<(Box<dyn Read + Send>, Decoded)> {
    let prefix = reader.fill_buf()?;
    let encoding = match encoding {
        InputEncoding::Auto => detect(prefix),
        e => e,
    };
    if encoding == InputEncoding::Cp932 {
        return Ok((
            Box::new(Cp932Reader {
                inner: reader,
                decoder: SHIFT_JIS.new_decoder_without_bom_handling(),
                input: vec![0; 1 << 16],
                out: Vec::new(),
                pos: 0,
                done: false,
            }),
            Decoded {
                lossy: true,
                bom: false,
            },
        ));
    }
    let bom = prefix.starts_with(BOM);
    if bom {
        reader.consume(BOM.len());
    }
    Ok((Box::new(reader), Decoded { lossy: false, bom }))
}

/// A CP932 reader that gives UTF-8.
struct Cp932Reader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    done: bool,
}

impl<R: Read> Read for Cp932Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let left = self.out.get(self.pos..).unwrap_or_default();
            if !left.is_empty() {
                let n = left.len().min(buf.len());
                if let (Some(dst), Some(src)) = (buf.get_mut(..n), left.get(..n)) {
                    dst.copy_from_slice(src);
                }
                self.pos += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.input)?;
            let last = n == 0;
            let chunk = self.input.get(..n).unwrap_or_default();
            let room = self.decoder.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16);
            self.out.clear();
            self.out.resize(room, 0);
            let (_, _, written, _) = self.decoder.decode_to_utf8(chunk, &mut self.out, last);
            self.out.truncate(written);
            self.pos = 0;
            self.done = last;
        }
    }
}

/// Whether CP932 can represent `s`; else the first character it cannot.
pub fn cp932_check(s: &str) -> Result<(), char> {
    if s.is_ascii() {
        return Ok(());
    }
    let mut encoder = SHIFT_JIS.new_encoder();
    let Some(room) = encoder.max_buffer_length_from_utf8_without_replacement(s.len()) else {
        return Err('\u{FFFD}');
    };
    let mut out = vec![0; room];
    match encoder.encode_from_utf8_without_replacement(s, &mut out, true) {
        (EncoderResult::Unmappable(c), _, _) => Err(c),
        _ => Ok(()),
    }
}

/// `s` with every character CP932 cannot represent written as `U+XXXX` (for error messages,
/// which must stay writable).
pub fn cp932_safe(s: &str) -> String {
    if cp932_check(s).is_ok() {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            let mut b = [0; 4];
            if cp932_check(c.encode_utf8(&mut b)).is_ok() {
                c.to_string()
            } else {
                format!("U+{:04X}", c as u32)
            }
        })
        .collect()
}

/// UTF-8 bytes in the output encoding (every value already checked representable).
pub fn encode(bytes: Vec<u8>, encoding: OutputEncoding) -> std::io::Result<Vec<u8>> {
    if encoding != OutputEncoding::Cp932 {
        return Ok(bytes);
    }
    let text = String::from_utf8(bytes).map_err(std::io::Error::other)?;
    let (out, _, unmappable) = SHIFT_JIS.encode(&text);
    if unmappable {
        return Err(std::io::Error::other(format!(
            "not representable in CP932: {}",
            cp932_safe(&text)
        )));
    }
    Ok(out.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection() {
        assert_eq!(detect(b"\xEF\xBB\xBFa,b"), InputEncoding::Utf8);
        assert_eq!(detect("施設種別,事業".as_bytes()), InputEncoding::Utf8);
        // 施 in UTF-8 is E6 96 BD: cut after two bytes, still UTF-8.
        assert_eq!(detect(b"a,\xE6\x96"), InputEncoding::Utf8);
        let (sjis, _, _) = SHIFT_JIS.encode("施設種別,事業");
        assert_eq!(detect(&sjis), InputEncoding::Cp932);
    }

    #[test]
    fn cp932_round_trip_and_unrepresentable() {
        let text = "施設種別,髙橋医院,①,～,411,000円\n";
        let (bytes, _, bad) = SHIFT_JIS.encode(text);
        assert!(!bad);
        let (mut r, lossy) = decode(
            std::io::BufReader::new(std::io::Cursor::new(bytes.into_owned())),
            InputEncoding::Auto,
        )
        .unwrap();
        assert!(lossy.lossy && !lossy.bom);
        let mut back = String::new();
        r.read_to_string(&mut back).unwrap();
        assert_eq!(back, text);
        assert_eq!(cp932_check("𠮷野家"), Err('𠮷'));
        assert_eq!(cp932_safe("𠮷野家 😀"), "U+20BB7野家 U+1F600");
        assert!(encode("𠮷".as_bytes().to_vec(), OutputEncoding::Cp932).is_err());
    }
}
