//! Limits on what a workbook may expand to, checked before it is read.
//!
//! An `.xlsx` (`.xlsm`, `.xlsb`, `.ods`) file is a zip archive: a sheet of
//! a few kilobytes on disk can expand to gigabytes (a 1.4 MB file held a
//! 1.5 GB sheet; a 1 MB one a 1 GiB shared string), and the reader builds
//! every cell of a sheet, and every shared string, in memory. So the
//! archive's directory is read first, and a part whose declared size is
//! over its limit is refused before anything is decompressed. The declared
//! size also bounds what is read: the zip reader stops with an error at the
//! declared size, so a part that lies about its size cannot expand past it.
//!
//! The limits are far above what a submission holds. A district's
//! workbook is a few megabytes; a sheet of 300,000 teachers (a city of
//! 15 districts) is about 170 MB of XML; a submission of national size is
//! sent as CSV, not as a workbook (Excel holds at most 1,048,576 rows):
//!
//! | part | limit |
//! |---|---|
//! | one sheet (`xl/worksheets/…`, an `.ods` file's `content.xml`) | [`SHEET_LIMIT`], 256 MiB |
//! | the shared strings (`xl/sharedStrings.xml`) | [`STRINGS_LIMIT`], 128 MiB |
//! | any other part (styles, relationships, pictures) | [`PART_LIMIT`], 64 MiB |
//! | all parts together | [`TOTAL_LIMIT`], 1 GiB |
//! | one cell's text | [`CELL_CHARS`], 32,767 characters (Excel's own limit) |

use super::file_source;
use crate::diag::{Code, Diag};
use crate::msg::data as msg;
use std::io::Cursor;

/// The most one sheet's part may expand to.
pub(crate) const SHEET_LIMIT: u64 = 256 << 20;
/// The most the shared strings may expand to.
pub(crate) const STRINGS_LIMIT: u64 = 128 << 20;
/// The most any other part may expand to.
pub(crate) const PART_LIMIT: u64 = 64 << 20;
/// The most all parts together may expand to.
pub(crate) const TOTAL_LIMIT: u64 = 1 << 30;
/// The most characters one cell may hold: Excel's own limit, so no cell
/// written by Excel or WPS is longer.
pub(crate) const CELL_CHARS: usize = 32_767;

/// What a part of a workbook's archive holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sheet,
    Strings,
    Other,
}

fn kind(name: &str) -> Kind {
    let n = name.to_ascii_lowercase();
    if n.starts_with("xl/worksheets/") || n == "content.xml" {
        Kind::Sheet
    } else if n.starts_with("xl/sharedstrings.") {
        Kind::Strings
    } else {
        Kind::Other
    }
}

fn limit(kind: Kind) -> u64 {
    match kind {
        Kind::Sheet => SHEET_LIMIT,
        Kind::Strings => STRINGS_LIMIT,
        Kind::Other => PART_LIMIT,
    }
}

/// `1.5 GiB`, `256 MiB`, `12 KiB`.
pub(crate) fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    let mut v = bytes as f64 / 1024.0;
    let mut unit = "KiB";
    for u in UNITS {
        unit = u;
        if v < 1024.0 {
            break;
        }
        v /= 1024.0;
    }
    if v >= 10.0 || v.fract() == 0.0 {
        format!("{v:.0} {unit}")
    } else {
        format!("{v:.1} {unit}")
    }
}

/// Checks the declared sizes of a zip workbook's parts against the limits;
/// `sheet_of` names the sheet a part holds, if it can. Bytes that are not
/// a zip archive pass (the workbook reader says what they are).
pub(crate) fn check_parts(
    book: &str,
    bytes: &[u8],
    sheet_of: impl Fn(&str) -> Option<String>,
) -> Result<(), Diag> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else {
            continue;
        };
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let size = part.size();
        let k = kind(&name);
        total = total.saturating_add(size);
        if size > limit(k) {
            let (got, max) = (size_text(size), size_text(limit(k)));
            let message = match (k, sheet_of(&name)) {
                (Kind::Sheet, Some(sheet)) => msg::sheet_too_large(&sheet, book, &got, &max),
                (Kind::Strings, _) => msg::strings_too_large(book, &got, &max),
                _ => msg::part_too_large(&name, book, &got, &max),
            };
            return Err(Diag::new(Code::DataTooLarge, message)
                .help(msg::too_large_help())
                .source(&file_source(book)));
        }
        if total > TOTAL_LIMIT {
            let (got, max) = (size_text(total), size_text(TOTAL_LIMIT));
            return Err(
                Diag::new(Code::DataTooLarge, msg::book_too_large(book, &got, &max))
                    .help(msg::too_large_help())
                    .source(&file_source(book)),
            );
        }
    }
    Ok(())
}

/// The sheet each worksheet part of an `.xlsx` archive holds, from
/// `xl/workbook.xml` and its relationships: (part name, sheet name). Parts
/// too large to be small XML are not read.
pub(crate) fn sheet_parts(bytes: &[u8]) -> Vec<(String, String)> {
    use quick_xml::events::Event;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let mut read = |name: &str| -> Option<String> {
        use std::io::Read;
        let i = (0..zip.len()).find(|&i| {
            zip.name_for_index(i)
                .and_then(Result::ok)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })?;
        let f = zip.by_index(i).ok()?;
        if f.size() > PART_LIMIT {
            return None;
        }
        let mut s = String::new();
        f.take(PART_LIMIT).read_to_string(&mut s).ok()?;
        Some(s)
    };
    let (Some(book), Some(rels)) = (read("xl/workbook.xml"), read("xl/_rels/workbook.xml.rels"))
    else {
        return Vec::new();
    };
    let attr = |e: &quick_xml::events::BytesStart, key: &str| -> Option<String> {
        e.attributes()
            .flatten()
            .find(|a| {
                let k: &str = a.key.as_ref();
                k == key || k.rsplit(':').next() == Some(key)
            })
            .and_then(|a| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
    };
    let elements = |xml: &str, local: &str, keys: [&str; 2]| -> Vec<(String, String)> {
        let mut r = quick_xml::Reader::from_str(xml);
        let mut out = Vec::new();
        loop {
            match r.read_event() {
                Ok(Event::Start(e) | Event::Empty(e))
                    if AsRef::<str>::as_ref(&e.local_name()) == local =>
                {
                    if let (Some(a), Some(b)) = (attr(&e, keys[0]), attr(&e, keys[1])) {
                        out.push((a, b));
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        out
    };
    let targets = elements(&rels, "Relationship", ["Id", "Target"]);
    elements(&book, "sheet", ["id", "name"])
        .into_iter()
        .filter_map(|(id, sheet)| {
            let (_, target) = targets.iter().find(|(rid, _)| *rid == id)?;
            let part = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("xl/{target}"),
            };
            Some((part, sheet))
        })
        .collect()
}

/// The cell (0-based row and column) of the `n`-th (0-based) cell with a
/// value in the sheet part `part`, counted as the workbook reader counts
/// them (every `<c>` element with content, in document order), to name the
/// cell a reader error is about.
pub(crate) fn nth_cell(bytes: &[u8], part: &str, n: usize) -> Option<(u32, u32)> {
    use quick_xml::events::Event;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let i = (0..zip.len()).find(|&i| {
        zip.name_for_index(i)
            .and_then(Result::ok)
            .is_some_and(|name| name.eq_ignore_ascii_case(part))
    })?;
    let f = zip.by_index(i).ok()?;
    let mut r = quick_xml::Reader::from_reader(std::io::BufReader::new(f));
    let mut buf = Vec::new();
    let (mut row, mut col, mut seen) = (0u32, 0u32, 0usize);
    loop {
        buf.clear();
        match r.read_event_into(&mut buf).ok()? {
            Event::Start(e) if local(&e) == "row" => {
                if let Some(v) = r_attr(&e).and_then(|v| v.parse::<u32>().ok()) {
                    row = v.saturating_sub(1);
                }
            }
            Event::End(e) if AsRef::<str>::as_ref(&e.local_name()) == "row" => {
                row += 1;
                col = 0;
            }
            Event::Start(e) if local(&e) == "c" => {
                if let Some((rr, cc)) = r_attr(&e).and_then(|v| a1_position(v.as_bytes())) {
                    row = rr;
                    col = cc;
                }
                if seen == n {
                    return Some((row, col));
                }
                seen += 1;
                col += 1;
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

fn local(e: &quick_xml::events::BytesStart) -> String {
    AsRef::<str>::as_ref(&e.local_name()).to_string()
}

/// The `r` attribute (a row number or a cell reference).
fn r_attr(e: &quick_xml::events::BytesStart) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| AsRef::<str>::as_ref(&a.key) == "r")
        .map(|a| a.value.into_owned())
}

/// `D17` → (16, 3).
fn a1_position(s: &[u8]) -> Option<(u32, u32)> {
    let letters = s.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (l, d) = s.split_at(letters);
    if l.is_empty() || d.is_empty() {
        return None;
    }
    let mut col = 0u32;
    for b in l {
        col = col
            .checked_mul(26)?
            .checked_add(u32::from(b.to_ascii_uppercase() - b'A') + 1)?;
    }
    let row: u32 = std::str::from_utf8(d).ok()?.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(size_text(SHEET_LIMIT), "256 MiB");
        assert_eq!(size_text(1_500_000_000), "1.4 GiB");
        assert_eq!(size_text(TOTAL_LIMIT), "1 GiB");
        assert_eq!(size_text(12 * 1024), "12 KiB");
    }

    #[test]
    fn a1() {
        assert_eq!(a1_position(b"A1"), Some((0, 0)));
        assert_eq!(a1_position(b"D17"), Some((16, 3)));
        assert_eq!(a1_position(b"AA3"), Some((2, 26)));
        assert_eq!(a1_position(b"17"), None);
        assert_eq!(a1_position(b"A0"), None);
    }

    #[test]
    fn kinds() {
        assert_eq!(kind("xl/worksheets/sheet1.xml"), Kind::Sheet);
        assert_eq!(kind("xl/sharedStrings.xml"), Kind::Strings);
        assert_eq!(kind("content.xml"), Kind::Sheet);
        assert_eq!(kind("xl/styles.xml"), Kind::Other);
    }
}
