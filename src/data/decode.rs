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
    /// Neither UTF-8 nor GB18030: bytes that are not text.
    Invalid,
    /// UTF-8 text (fewer invalid bytes as UTF-8 than as GB18030) with
    /// invalid bytes.
    BadUtf8,
    /// GB18030 text with invalid bytes.
    BadGb18030,
    /// Starts with a UTF-16 byte-order mark.
    Utf16,
    /// UTF-16 without a byte-order mark (zero bytes every other byte).
    Utf16NoBom,
    /// A zip container: an `.xlsx` workbook renamed to `.csv`.
    Workbook,
}

/// A file that could not be decoded.
#[derive(Debug)]
pub(crate) struct DecodeError {
    pub kind: DecodeErrorKind,
    /// 1-based line of that byte.
    pub line: usize,
    /// The invalid byte sequence (at most 4 bytes).
    pub bad: Vec<u8>,
    /// How many invalid byte sequences the file has in the encoding it
    /// was judged to be in.
    pub count: usize,
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

/// Whether `bytes` look like UTF-16 without a byte-order mark: in their
/// first 256 bytes (what the streamed read sees first, too), zero bytes (which no CSV text in UTF-8 or GB18030 has) are
/// at least a tenth of the bytes and nearly all on one side of each pair
/// (the high byte of `,`, digits and line ends). Only looked at when the
/// bytes hold a zero byte.
pub(crate) fn is_utf16_without_bom(bytes: &[u8]) -> bool {
    let sample = bytes.get(..bytes.len().min(256)).unwrap_or(bytes);
    if sample.len() < 4 || memchr::memchr(0, sample).is_none() {
        return false;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        if let [a, b] = pair {
            even += usize::from(*a == 0);
            odd += usize::from(*b == 0);
        }
    }
    let zeros = even + odd;
    zeros >= 2 && zeros * 10 >= sample.len() && even.max(odd) * 10 >= zeros * 9
}

/// The invalid sequences of `bytes` as UTF-8: (how many, offset and length
/// of the first).
fn utf8_errors(bytes: &[u8]) -> (usize, usize, usize) {
    let (mut count, mut first, mut first_len) = (0usize, bytes.len(), 0usize);
    let mut at = 0usize;
    while let Some(rest) = bytes.get(at..) {
        match std::str::from_utf8(rest) {
            Ok(_) => break,
            Err(e) => {
                let len = e.error_len().unwrap_or(rest.len() - e.valid_up_to()).max(1);
                if count == 0 {
                    first = at + e.valid_up_to();
                    first_len = len;
                }
                count += 1;
                at += e.valid_up_to() + len;
            }
        }
    }
    (count, first, first_len)
}

/// Decodes a file's bytes: valid UTF-8 is UTF-8; otherwise GB18030 if it
/// decodes without error; otherwise an error naming the first invalid byte
/// in the encoding the file has fewer invalid bytes in (a GB18030 file
/// with one stray byte is GB18030 text damaged there, even though its
/// first Chinese characters happen to be valid UTF-8).
pub(crate) fn decode(bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    let whole = |kind, bytes: Vec<u8>| DecodeError {
        kind,
        line: 1,
        bad: bytes.iter().take(2).copied().collect(),
        count: 1,
        lossy: None,
        bytes,
    };
    if is_utf16(&bytes) {
        return Err(whole(DecodeErrorKind::Utf16, bytes));
    }
    // A workbook renamed to `.csv`: a zip (xlsx) or OLE (xls) container.
    const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&OLE) {
        let mut e = whole(DecodeErrorKind::Workbook, bytes);
        e.bad.clear();
        return Err(e);
    }
    if is_utf16_without_bom(&bytes) {
        return Err(whole(DecodeErrorKind::Utf16NoBom, bytes));
    }
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        return Ok(Decoded::utf8(bytes, None, None));
    }
    let gb = match decode_gb18030(&bytes) {
        Ok(text) => {
            return Ok(Decoded::utf8(
                text.into_bytes(),
                Some(bytes),
                Some("GB18030"),
            ));
        }
        Err(e) => e,
    };
    let (utf8_count, utf8_offset, utf8_len) = utf8_errors(&bytes);
    let (gb_offset, gb_len, gb_count) = gb;
    let as_gb = gb_count < utf8_count;
    let count = gb_count.min(utf8_count);
    // Bytes that are not text at all: invalid sequences everywhere.
    let binary = count > 16 && count * 50 > bytes.len();
    let (kind, offset, bad_len, lossy) = if as_gb {
        let (lossy, _) = GB18030.decode_without_bom_handling(&bytes);
        let (before, _) =
            GB18030.decode_without_bom_handling(bytes.get(..gb_offset).unwrap_or(&[]));
        let start = before.len().min(lossy.len());
        let end = lossy
            .get(start..)
            .and_then(|r| r.chars().next())
            .map_or(start, |c| start + c.len_utf8());
        (
            DecodeErrorKind::BadGb18030,
            gb_offset,
            gb_len,
            (lossy.into_owned(), start..end),
        )
    } else {
        let lossy = String::from_utf8_lossy(&bytes).into_owned();
        let valid = bytes.get(..utf8_offset).unwrap_or(&[]);
        // Each earlier invalid sequence became one replacement character.
        let start = String::from_utf8_lossy(valid).len().min(lossy.len());
        let end = (start + '\u{FFFD}'.len_utf8()).min(lossy.len());
        (
            DecodeErrorKind::BadUtf8,
            utf8_offset,
            utf8_len,
            (lossy, start..end),
        )
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
        kind: if binary {
            DecodeErrorKind::Invalid
        } else {
            kind
        },
        line,
        bad,
        count,
        lossy: if binary { None } else { Some(lossy) },
        bytes,
    })
}

/// Decodes GB18030; on failure returns the offset and length of the first
/// malformed byte sequence, and how many there are.
fn decode_gb18030(bytes: &[u8]) -> Result<String, (usize, usize, usize)> {
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(2));
    let mut out = String::with_capacity(cap);
    let mut read = 0usize;
    let mut first: Option<(usize, usize)> = None;
    let mut count = 0usize;
    loop {
        let rest = bytes.get(read..).unwrap_or(&[]);
        let (res, n) = decoder.decode_to_string_without_replacement(rest, &mut out, true);
        read += n;
        match res {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {
                out.reserve(rest.len().saturating_sub(n).saturating_mul(2).max(16))
            }
            DecoderResult::Malformed(bad, extra) => {
                count += 1;
                if first.is_none() {
                    first = Some((
                        read.saturating_sub(bad as usize + extra as usize),
                        bad as usize,
                    ));
                }
                // Keep going, to count them; the text is not used.
                out.clear();
            }
        }
    }
    match first {
        None => Ok(out),
        Some((offset, len)) => Err((offset, len, count)),
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
        assert_eq!((e.kind, e.line, e.count), (DecodeErrorKind::BadUtf8, 2, 1));
        assert_eq!(e.bad, [0xFF]);
        let (text, span) = e.lossy.unwrap();
        assert_eq!(&text[span], "\u{FFFD}");

        // ASCII then a byte that is invalid in GB18030 too.
        let e = decode(b"a,b\n1,\xFF\n".to_vec()).unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(e.lossy.unwrap().1, 6..9);
    }

    /// A GB18030 file whose header happens to start with valid UTF-8
    /// (学 is D1 A7 in GBK, a valid UTF-8 pair) and which has one stray
    /// byte on line 6 is GB18030 damaged on line 6.
    #[test]
    fn a_stray_byte_in_gb18030_is_found_where_it_is() {
        let text = "学校标识码,学校名称,在校生数\n5001,第一小学,1200\n5002,第二小学,800\n\
                    5003,第三小学,700\n5004,第四小学,600\n5005,第五";
        let (gb, _, _) = GB18030.encode(text);
        let mut bytes = gb.into_owned();
        bytes.push(0xFF); // not a GB18030 byte
        let (rest, _, _) = GB18030.encode("小学,500\n");
        bytes.extend_from_slice(&rest);
        let e = decode(bytes).unwrap_err();
        assert_eq!(
            (e.kind, e.line, e.count, e.bad.as_slice()),
            (DecodeErrorKind::BadGb18030, 6, 1, &[0xFF][..])
        );
        let (lossy, span) = e.lossy.unwrap();
        assert!(lossy.starts_with("学校标识码,学校名称"), "{lossy}");
        assert_eq!(&lossy[span.clone()], "\u{FFFD}");
        assert_eq!(&lossy[span.end..], "小学,500\n");
    }

    #[test]
    fn utf16_without_a_byte_order_mark() {
        let text = "学校标识码,在校生数\r\n5001,1200\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(le).unwrap_err().kind, DecodeErrorKind::Utf16NoBom);
        assert_eq!(decode(be).unwrap_err().kind, DecodeErrorKind::Utf16NoBom);
        // A stray zero byte in a UTF-8 file is not UTF-16.
        assert!(!is_utf16_without_bom(b"id,name\n1,a\x00b\n2,c\n"));
        assert!(decode(b"id,name\n1,a\x00b\n".to_vec()).is_ok());
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
