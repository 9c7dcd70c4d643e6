//! A CSV file's text as the reader keeps it, to point at: the decoded text
//! (or the path and hash to read it again), its lines, and the span of a
//! field. The CSV reader's [`Locate`].

use super::decode::Decoded;
use super::parsed::Locate;
use crate::diag::{Diag, Msg, Source, source};
use crate::msg::data as msg;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Lowercase hex SHA-256.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(bytes))
}

pub(crate) fn hex(digest: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(64);
    for b in digest {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The span of field `field` (0-based) of the record starting at `start`:
/// the cell's content without quotes and surrounding whitespace. A field past
/// the end of the record gives the empty span at the record's end.
pub(crate) fn field_span(text: &[u8], start: usize, field: usize) -> Range<usize> {
    let mut i = start.min(text.len());
    let mut f = 0usize;
    loop {
        let (content, next) = scan_field(text, i);
        if f == field {
            return trim_span(text, content);
        }
        match next {
            Some(n) => {
                i = n;
                f += 1;
            }
            None => return content.end..content.end,
        }
    }
}

/// Scans the field starting at `i`: its content and where the next field
/// starts (`None` at the end of the record).
fn scan_field(text: &[u8], i: usize) -> (Range<usize>, Option<usize>) {
    let at = |k: usize| text.get(k).copied();
    let (content, mut k) = if at(i) == Some(b'"') {
        let mut j = i + 1;
        loop {
            match at(j) {
                None => break,
                Some(b'"') if at(j + 1) == Some(b'"') => j += 2,
                Some(b'"') => break,
                Some(_) => j += 1,
            }
        }
        (i + 1..j.min(text.len()), j + 1)
    } else {
        (i..i, i)
    };
    while let Some(b) = at(k) {
        if matches!(b, b',' | b'\n' | b'\r') {
            break;
        }
        k += 1;
    }
    let content = if content.is_empty() && at(i) != Some(b'"') {
        i..k.min(text.len())
    } else {
        content
    };
    let next = if at(k) == Some(b',') {
        Some(k + 1)
    } else {
        None
    };
    (content, next)
}

fn trim_span(text: &[u8], span: Range<usize>) -> Range<usize> {
    let Some(s) = text
        .get(span.clone())
        .and_then(|b| std::str::from_utf8(b).ok())
    else {
        return span;
    };
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    span.start + lead..span.start + lead + trimmed.len()
}

/// A CSV file's decoded text, and the copy of it that diagnostics show,
/// made when the first one needs it (a file without errors is never copied).
#[derive(Debug)]
pub(crate) struct CsvText {
    pub decoded: Decoded,
    name: String,
    src: OnceLock<Source>,
}

impl CsvText {
    pub fn new(name: &str, decoded: Decoded) -> CsvText {
        CsvText {
            decoded,
            name: name.to_string(),
            src: OnceLock::new(),
        }
    }

    /// The text's bytes (valid UTF-8).
    pub fn bytes(&self) -> &[u8] {
        self.decoded.bytes()
    }

    /// The text as a diagnostic's source.
    pub fn source(&self) -> &Source {
        self.src.get_or_init(|| {
            source(
                &self.name,
                String::from_utf8_lossy(self.decoded.bytes()).into_owned(),
            )
        })
    }
}

/// What the CSV reader keeps of a file to point at its cells: its text, or
/// (for a file streamed from disk) its path and hash to read it again when
/// a diagnostic shows it, and where its lines start.
#[derive(Debug)]
pub(crate) struct CsvOrigin {
    name: String,
    /// The decoded text (`None` when it could not be decoded or read again).
    text: OnceLock<Option<CsvText>>,
    /// A file read from disk without keeping its text: its path and hash.
    reread: Option<(PathBuf, String)>,
    line_starts: OnceLock<Vec<usize>>,
}

impl CsvOrigin {
    /// A file whose text is not known (it could not be read or decoded).
    pub fn none(name: &str) -> CsvOrigin {
        CsvOrigin {
            name: name.to_string(),
            text: OnceLock::new(),
            reread: None,
            line_starts: OnceLock::new(),
        }
    }

    /// A file whose text is kept.
    pub fn kept(text: CsvText) -> CsvOrigin {
        CsvOrigin {
            name: text.name.clone(),
            text: OnceLock::from(Some(text)),
            reread: None,
            line_starts: OnceLock::new(),
        }
    }

    /// A file read from disk at `path`, its text not kept; `sha256` is the
    /// hash of its bytes.
    pub fn on_disk(name: &str, path: PathBuf, sha256: String) -> CsvOrigin {
        CsvOrigin {
            name: name.to_string(),
            text: OnceLock::new(),
            reread: Some((path, sha256)),
            line_starts: OnceLock::new(),
        }
    }

    /// The file's text: read again from disk if it was not kept (and only
    /// if the file is unchanged).
    pub fn text(&self) -> Option<&CsvText> {
        self.text
            .get_or_init(|| {
                let (path, sha256) = self.reread.as_ref()?;
                let bytes = std::fs::read(path).ok()?;
                if sha256_hex(&bytes) != *sha256 {
                    return None;
                }
                let decoded = super::decode::decode(bytes).ok()?;
                Some(CsvText::new(&self.name, decoded))
            })
            .as_ref()
    }

    /// The file's text as a diagnostic's source.
    pub fn source(&self) -> Option<&Source> {
        self.text().map(CsvText::source)
    }

    fn bytes(&self) -> &[u8] {
        self.text().map_or(&[], CsvText::bytes)
    }

    /// The span of line `line` (1-based), without its end.
    pub fn line_span(&self, line: u32) -> Range<usize> {
        let text = self.bytes();
        let start = self
            .line_starts()
            .get((line as usize).saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let len = text
            .get(start..)
            .unwrap_or(&[])
            .iter()
            .position(|b| *b == b'\n' || *b == b'\r');
        start..len.map_or(text.len(), |l| start + l)
    }

    /// Where each line of the text starts.
    fn line_starts(&self) -> &[usize] {
        let text = self.bytes();
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(
                    text.iter()
                        .enumerate()
                        .filter(|(_, b)| **b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .collect()
        })
    }

    /// The span of the (trimmed) cell of field `field` on line `line`, or
    /// of the start of the line if the file has no such column.
    fn cell_span(&self, line: Option<u32>, field: Option<usize>) -> Range<usize> {
        let text = self.bytes();
        let starts = self.line_starts();
        let line = line.unwrap_or(1) as usize;
        let start = starts.get(line.saturating_sub(1)).copied().unwrap_or(0);
        match field {
            Some(f) => field_span(text, start, f),
            None => start..start,
        }
    }
}

impl Locate for CsvOrigin {
    fn what(&self, name: &str) -> Msg {
        msg::place_file(name)
    }

    fn place(&self, name: &str, line: Option<u32>, _field: Option<usize>) -> String {
        format!("{name}:{}", line.unwrap_or(0))
    }

    fn written(&self, line: Option<u32>, field: Option<usize>) -> Option<String> {
        let b = self.bytes().get(self.cell_span(line, field))?;
        std::str::from_utf8(b).ok().map(str::to_string)
    }

    fn pos(&self, line: Option<u32>, field: Option<usize>) -> u64 {
        self.cell_span(line, field).start as u64
    }

    fn point(&self, d: Diag, marks: &[(Option<u32>, Option<usize>, Msg)]) -> Diag {
        let mut d = d;
        for (line, field, label) in marks {
            d = d.label(self.cell_span(*line, *field), label.clone());
        }
        match self.source() {
            Some(s) => d.source(s),
            None => d,
        }
    }

    fn input(&self, name: &str) -> String {
        name.to_string()
    }

    fn is_sheet(&self) -> bool {
        false
    }
}
