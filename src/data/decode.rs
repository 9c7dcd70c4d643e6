//! Text encoding detection: UTF-8 (with or without BOM) or GB18030/GBK, as
//! Excel writes CSV on Chinese Windows.

use encoding_rs::{DecoderResult, GB18030};
use std::ops::Range;

/// A decoded file: UTF-8 text, kept as the bytes read when they already
/// were UTF-8 (no copy, and no second validation: the parser views its
/// chunks as `str` through `simdutf8`).
#[derive(Debug)]
pub(crate) struct Decoded {
    /// Valid UTF-8 from byte `start` on.
    bytes: Vec<u8>,
    /// Past a leading byte-order mark.
    start: usize,
    /// The bytes as read, when they had to be converted (GB18030, classic
    /// Mac line ends); the file's hash is of these.
    pub original: Option<Vec<u8>>,
    /// `Some("GB18030")` when the file was not UTF-8.
    pub note: Option<&'static str>,
}

impl Decoded {
    /// The text's bytes (valid UTF-8, without the byte-order mark).
    pub fn bytes(&self) -> &[u8] {
        self.bytes.get(self.start..).unwrap_or(&[])
    }

    /// The bytes as read from the file.
    pub fn original(&self) -> &[u8] {
        self.original.as_deref().unwrap_or(&self.bytes)
    }

    /// The text (validated again).
    #[cfg(test)]
    pub fn text(&self) -> &str {
        simdutf8::basic::from_utf8(self.bytes()).unwrap_or("")
    }

    fn utf8(bytes: Vec<u8>, original: Option<Vec<u8>>, note: Option<&'static str>) -> Decoded {
        let start = utf8_bom_len(&bytes);
        // Classic Mac line ends (`\r` only) become `\n`, so line numbers
        // (which count `\n`) are right. Same length, so offsets do not move.
        let body = bytes.get(start..).unwrap_or(&[]);
        if memchr::memchr(b'\n', body).is_none() && memchr::memchr(b'\r', body).is_some() {
            let fixed: Vec<u8> = bytes
                .iter()
                .map(|&b| if b == b'\r' { b'\n' } else { b })
                .collect();
            let original = original.or(Some(bytes));
            return Decoded {
                bytes: fixed,
                start,
                original,
                note,
            };
        }
        Decoded {
            bytes,
            start,
            original,
            note,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecodeErrorKind {
    /// Neither UTF-8 nor GB18030.
    Invalid,
    /// Starts with a UTF-16 byte-order mark.
    Utf16,
    /// A zip container: an `.xlsx` workbook renamed to `.csv`.
    Workbook,
}

/// A file that could not be decoded.
#[derive(Debug)]
pub(crate) struct DecodeError {
    pub kind: DecodeErrorKind,
    /// Byte offset of the first invalid byte in the file.
    pub offset: usize,
    /// 1-based line of that byte.
    pub line: usize,
    /// The invalid byte sequence (at most 4 bytes).
    pub bad: Vec<u8>,
    /// A best-effort rendering of the file for the diagnostic, and the span of
    /// the invalid bytes in it (`None` for binary files).
    pub lossy: Option<(String, Range<usize>)>,
    /// The bytes as read (for the file's hash).
    pub bytes: Vec<u8>,
}

/// The length of a UTF-8 byte-order mark at the start of `bytes` (0 or 3).
pub(crate) fn utf8_bom_len(bytes: &[u8]) -> usize {
    if bytes.starts_with("\u{FEFF}".as_bytes()) {
        3
    } else {
        0
    }
}

/// Whether `bytes` start with a UTF-16 byte-order mark.
pub(crate) fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// Decodes a file's bytes: valid UTF-8 is UTF-8; otherwise GB18030 if it
/// decodes without error; otherwise an error naming the first invalid byte.
pub(crate) fn decode(bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    if is_utf16(&bytes) {
        return Err(DecodeError {
            kind: DecodeErrorKind::Utf16,
            offset: 0,
            line: 1,
            bad: bytes.iter().take(2).copied().collect(),
            lossy: None,
            bytes,
        });
    }
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        return Ok(Decoded::utf8(bytes, None, None));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(DecodeError {
            kind: DecodeErrorKind::Workbook,
            offset: 0,
            line: 1,
            bad: Vec::new(),
            lossy: None,
            bytes,
        });
    }
    let (utf8_valid_up_to, utf8_bad_len) = match std::str::from_utf8(&bytes) {
        Ok(_) => (bytes.len(), 0),
        Err(e) => (e.valid_up_to(), e.error_len().unwrap_or(4)),
    };
    match decode_gb18030(&bytes) {
        Ok(text) => Ok(Decoded::utf8(
            text.into_bytes(),
            Some(bytes),
            Some("GB18030"),
        )),
        Err((gb_offset, gb_bad_len)) => {
            // A file whose valid prefix already holds multi-byte UTF-8 is most
            // likely UTF-8 with a damaged byte; otherwise report where GB18030
            // failed.
            let prefix = bytes.get(..utf8_valid_up_to).unwrap_or(&[]);
            let (offset, bad_len, lossy) = if !prefix.is_ascii() {
                let lossy = String::from_utf8_lossy(&bytes).into_owned();
                let start = utf8_valid_up_to.min(lossy.len());
                let end = (start + '\u{FFFD}'.len_utf8()).min(lossy.len());
                (utf8_valid_up_to, utf8_bad_len, (lossy, start..end))
            } else {
                let (lossy, _) = GB18030.decode_without_bom_handling(&bytes);
                let (before, _) =
                    GB18030.decode_without_bom_handling(bytes.get(..gb_offset).unwrap_or(&[]));
                let start = before.len().min(lossy.len());
                let end = lossy
                    .get(start..)
                    .and_then(|r| r.chars().next())
                    .map_or(start, |c| start + c.len_utf8());
                (gb_offset, gb_bad_len, (lossy.into_owned(), start..end))
            };
            let line = bytes
                .get(..offset)
                .unwrap_or(&[])
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            let bad = bytes
                .iter()
                .skip(offset)
                .take(bad_len.clamp(1, 4))
                .copied()
                .collect();
            Err(DecodeError {
                kind: DecodeErrorKind::Invalid,
                offset,
                line,
                bad,
                lossy: Some(lossy),
                bytes,
            })
        }
    }
}

/// Decodes GB18030; on failure returns the offset and length of the first
/// malformed byte sequence.
fn decode_gb18030(bytes: &[u8]) -> Result<String, (usize, usize)> {
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(2));
    let mut out = String::with_capacity(cap);
    let mut read = 0usize;
    loop {
        let rest = bytes.get(read..).unwrap_or(&[]);
        let (res, n) = decoder.decode_to_string_without_replacement(rest, &mut out, true);
        read += n;
        match res {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::OutputFull => {
                out.reserve(rest.len().saturating_sub(n).saturating_mul(2).max(16))
            }
            DecoderResult::Malformed(bad, extra) => {
                return Err((
                    read.saturating_sub(bad as usize + extra as usize),
                    bad as usize,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("学校,1\n".as_bytes().to_vec()).unwrap();
        assert_eq!((d.text(), d.note), ("学校,1\n", None));
        let d = decode("\u{FEFF}学校,1\n".as_bytes().to_vec()).unwrap();
        assert_eq!((d.text(), d.note), ("学校,1\n", None));
    }

    #[test]
    fn gb18030() {
        let (bytes, _, _) = GB18030.encode("学校标识码,在校生数\n5001,1200\n");
        let d = decode(bytes.into_owned()).unwrap();
        assert_eq!(
            (d.text(), d.note),
            ("学校标识码,在校生数\n5001,1200\n", Some("GB18030"))
        );
    }

    #[test]
    fn invalid_bytes_are_located() {
        // UTF-8 with one damaged byte on line 2.
        let mut bytes = "学校,1\n小学,".as_bytes().to_vec();
        bytes.push(0xFF);
        bytes.extend_from_slice(b"2\n");
        let e = decode(bytes).unwrap_err();
        assert_eq!(
            (e.kind, e.line, e.offset),
            (DecodeErrorKind::Invalid, 2, 16)
        );
        assert_eq!(e.bad, [0xFF]);
        let (text, span) = e.lossy.unwrap();
        assert_eq!(&text[span], "\u{FFFD}");

        // ASCII then a byte that is invalid in GB18030 too.
        let e = decode(b"a,b\n1,\xFF\n".to_vec()).unwrap_err();
        assert_eq!((e.line, e.offset), (2, 6));
    }

    #[test]
    fn utf16_and_workbooks() {
        assert_eq!(
            decode(vec![0xFF, 0xFE, b'a', 0]).unwrap_err().kind,
            DecodeErrorKind::Utf16
        );
        assert_eq!(
            decode(b"PK\x03\x04\x14\x00\xFF\xFE".to_vec())
                .unwrap_err()
                .kind,
            DecodeErrorKind::Workbook
        );
    }

    #[test]
    fn classic_mac_line_ends() {
        assert_eq!(decode(b"a\rb\r".to_vec()).unwrap().text(), "a\nb\n");
        assert_eq!(decode(b"a\r\nb\r\n".to_vec()).unwrap().text(), "a\r\nb\r\n");
    }
}
