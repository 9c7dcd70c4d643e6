//! One CSV file → the columns of one table, with every problem found in it.

use super::build::{
    Bad, Col, HeaderProblem, Plan, Sink, cell_problem, duplicate_column, match_header,
    missing_column, push_cell, unknown_column,
};
use super::decode::{DecodeErrorKind, decode};
use super::parsed::{Counts, Origin, Parsed};
use super::table::*;
use super::template::is_hint_row;
use crate::diag::{Diag, Source, source};
use crate::schema::{ColumnDef, Schema, TableDef, TableId};
use rayon::prelude::*;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Lowercase hex SHA-256.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write;
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest.iter() {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// A parsed input with no rows yet.
pub(crate) fn empty_parsed(
    schema: &Schema,
    table: TableId,
    file: usize,
    name: &str,
    origin: Origin,
    cap: usize,
) -> Parsed {
    let columns = schema.tables.get(table).map_or(&[][..], |t| &t.columns[..]);
    Parsed {
        table,
        file,
        order: file,
        name: name.to_string(),
        input: None,
        origin,
        cols: columns.iter().map(|c| Col::new(c.ty, 0)).collect(),
        lines: Vec::new(),
        fields: vec![None; columns.len()],
        key_incomplete: true,
        errors: Sink::new(cap),
        warnings: Vec::new(),
        counts: Counts::default(),
    }
}

fn no_csv_src() -> Origin {
    Origin::Csv {
        src: None,
        line_starts: OnceLock::new(),
    }
}

/// Reads one file of table `table`.
pub(crate) fn parse_file(
    schema: &Schema,
    table: TableId,
    file: usize,
    name: &str,
    bytes: Vec<u8>,
    cap: usize,
) -> Parsed {
    let mut p = empty_parsed(schema, table, file, name, no_csv_src(), cap);
    p.input = Some(InputFile {
        path: PathBuf::from(name),
        sha256: sha256_hex(&bytes),
        note: None,
    });
    let Some(def) = schema.tables.get(table) else {
        return p;
    };
    match decode(bytes) {
        Err(e) => {
            let bad: Vec<String> = e.bad.iter().map(|b| format!("0x{b:02X}")).collect();
            let help = "save it again as CSV: in Excel, 另存为 → CSV UTF-8(逗号分隔)(*.csv)";
            let d = match e.kind {
                DecodeErrorKind::Invalid => Diag::new(
                    "dudao::data::encoding",
                    format!(
                        "`{name}` is neither UTF-8 nor GB18030 text: invalid byte `{}` at line {} (byte {})",
                        bad.first().map_or("", String::as_str),
                        e.line,
                        e.offset
                    ),
                ),
                DecodeErrorKind::Utf16 => Diag::new(
                    "dudao::data::encoding",
                    format!("`{name}` is UTF-16 text, not UTF-8 or GB18030"),
                ),
                DecodeErrorKind::Workbook => Diag::new(
                    "dudao::data::encoding",
                    format!("`{name}` is an Excel workbook, not a CSV file"),
                ),
            };
            let help = match e.kind {
                DecodeErrorKind::Workbook => {
                    "rename it to `.xlsx` and check the workbook itself: `dudao check book.xlsx`"
                }
                _ => help,
            };
            let d = match e.lossy {
                Some((text, span)) => {
                    let src = source(name, text);
                    d.label(span, format!("invalid byte sequence `{}`", bad.join(" ")))
                        .source(&src)
                }
                None => d,
            };
            p.errors.report(|| d.help(help));
        }
        Ok(decoded) => {
            if let Some(input) = p.input.as_mut() {
                input.note = decoded.note.map(str::to_string);
            }
            let src = source(name, decoded.text);
            p.origin = Origin::Csv {
                src: Some(src.clone()),
                line_starts: OnceLock::new(),
            };
            p.key_incomplete = false;
            parse_text(&mut p, schema, def, &src);
        }
    }
    p
}

/// A file that could not be read at all.
pub(crate) fn unreadable(
    schema: &Schema,
    table: TableId,
    file: usize,
    name: &str,
    error: Diag,
    cap: usize,
) -> Parsed {
    let mut p = empty_parsed(schema, table, file, name, no_csv_src(), cap);
    p.input = Some(InputFile {
        path: PathBuf::from(name),
        sha256: String::new(),
        note: None,
    });
    p.errors.report(|| error);
    p
}

fn parse_text(p: &mut Parsed, schema: &Schema, def: &TableDef, src: &Source) {
    let text = src.inner().as_bytes();
    // The columns are built by `read_rows`, sized from the line count.
    p.cols = def.columns.iter().map(|c| Col::new(c.ty, 0)).collect();
    let name = p.name.clone();
    let place = format!("`{name}`");
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut rec = csv::ByteRecord::new();

    // The header.
    match rdr.read_byte_record(&mut rec) {
        Ok(true) => {}
        Ok(false) => {
            p.key_incomplete = true;
            let labels: Vec<&str> = def.columns.iter().map(ColumnDef::label).collect();
            p.errors.report(|| {
                Diag::new("dudao::data::empty_file", format!("`{name}` is empty"))
                    .label(0..0, "expected a header row")
                    .source(src)
                    .help(format!(
                        "the first line must name the columns: {}",
                        labels.join(",")
                    ))
            });
            return;
        }
        Err(e) => {
            p.key_incomplete = true;
            p.errors.report(|| {
                Diag::new("dudao::data::csv", format!("cannot read `{name}`: {e}")).source(src)
            });
            return;
        }
    }
    let (hstart, _) = record_start(text, rec.position());
    let nfields = rec.len();
    let hline = line_span(text, hstart);
    let problems = match_header(
        def,
        rec.iter()
            .enumerate()
            .map(|(i, raw)| (i, std::str::from_utf8(raw).unwrap_or(""))),
        &mut p.fields,
    );
    let mut unnamed: Vec<(usize, bool)> = Vec::new();
    for problem in problems {
        match problem {
            HeaderProblem::Unnamed { field } => unnamed.push((field, false)),
            HeaderProblem::Duplicate { col, field, first } => {
                let Some(cd) = def.columns.get(col) else {
                    continue;
                };
                p.errors.report(|| {
                    duplicate_column(cd, &place)
                        .label(field_span(text, hstart, field), "second time")
                        .label(field_span(text, hstart, first), "first here")
                        .source(src)
                });
            }
            HeaderProblem::Unknown { field, text: h } => {
                p.errors.report(|| {
                    let (d, label) = unknown_column(def, h, &place);
                    d.label(field_span(text, hstart, field), label).source(src)
                });
            }
            HeaderProblem::Missing { col, key } => {
                if key {
                    p.key_incomplete = true;
                }
                let Some(cd) = def.columns.get(col) else {
                    continue;
                };
                p.errors.report(|| {
                    missing_column(cd, key, &place)
                        .label(hline.clone(), "header row")
                        .source(src)
                });
            }
        }
    }
    // Which column each field holds, to recognise a template's unit/type row.
    let mut field_col: Vec<Option<usize>> = vec![None; nfields];
    for (c, f) in p.fields.iter().enumerate() {
        if let Some(slot) = f.and_then(|f| field_col.get_mut(f)) {
            *slot = Some(c);
        }
    }

    let plans = Plan::all(schema, def, &p.fields);
    let cx = RowsCx {
        text,
        src,
        name: &name,
        def,
        plans: &plans,
        nfields,
    };

    // A filled-in template: the row under the header describes the columns.
    let mut body_start = rdr.position().byte() as usize;
    let mut body_line = rdr.position().line();
    {
        let mut first = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.get(body_start..).unwrap_or(&[]));
        if let Ok(true) = first.read_byte_record(&mut rec) {
            let hint = is_hint_row(
                schema,
                def,
                rec.iter().enumerate().map(|(i, raw)| {
                    (
                        field_col.get(i).copied().flatten(),
                        std::str::from_utf8(raw).unwrap_or("\u{FFFD}"),
                    )
                }),
            );
            if hint {
                body_line += first.position().line() - 1;
                body_start += first.position().byte() as usize;
            }
        }
    }
    let body = text.get(body_start..).unwrap_or(&[]);
    // Large files without quotes are cut at line ends into chunks parsed in
    // parallel; the chunks are joined in order, so the result is the same
    // as reading the file from top to bottom.
    let chunks = if unnamed.is_empty() && body.len() > 2 * PARALLEL_CHUNK && !body.contains(&b'"') {
        line_chunks(body, body_start, body_line)
    } else {
        let lines = body.iter().filter(|b| **b == b'\n').count() + 1;
        vec![(body_start..text.len(), body_line, lines)]
    };
    let cap = p.errors.cap();
    let total_lines: usize = chunks.iter().map(|c| c.2).sum();
    // Chunks are parsed a wave at a time (one per thread) and merged in order
    // into the first, which is sized for the whole file: the memory held at
    // once is the file's columns plus one wave's.
    let threads = rayon::current_num_threads().max(1);
    let mut acc: Option<Part> = None;
    for (w, wave) in chunks.chunks(threads).enumerate() {
        let parts: Vec<Part> = wave
            .par_iter()
            .enumerate()
            .map(|(i, (range, line, lines))| {
                let rows = if w == 0 && i == 0 {
                    total_lines
                } else {
                    *lines
                };
                let mut part = Part::new(def, rows, cap, unnamed.clone());
                read_rows(&cx, &mut part, range.clone(), *line);
                part
            })
            .collect();
        for part in parts {
            match acc.as_mut() {
                None => acc = Some(part),
                Some(first) => first.merge(part),
            }
        }
    }
    let Some(first) = acc else { return };
    p.cols = first.cols;
    p.lines = first.lines;
    p.errors.absorb(first.errors, 0);
    p.counts.records += first.counts.records;
    p.counts.blank += first.counts.blank;
    p.counts.rejected += first.counts.rejected;
    p.key_incomplete |= first.key_incomplete;
}

/// Bytes per unit of parallel CSV parsing.
/// (Small in unit tests, so that their files are cut into many chunks.)
const PARALLEL_CHUNK: usize = if cfg!(test) { 256 } else { 1 << 20 };

/// Cuts `body` (starting at byte `start` of the file, on line `line`) into
/// chunks of about `PARALLEL_CHUNK` bytes that end at a line end: (byte range
/// in the file, first line, number of lines).
fn line_chunks(body: &[u8], start: usize, line: u64) -> Vec<(Range<usize>, u64, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut line = line;
    while at < body.len() {
        let mut end = (at + PARALLEL_CHUNK).min(body.len());
        while end < body.len() && body.get(end - 1) != Some(&b'\n') {
            end += 1;
        }
        let lines = body
            .get(at..end)
            .map_or(0, |c| c.iter().filter(|b| **b == b'\n').count());
        out.push((start + at..start + end, line, lines + 1));
        line += lines as u64;
        at = end;
    }
    if out.is_empty() {
        out.push((start..start, line, 0));
    }
    out
}

/// What the rows of a file are read with.
struct RowsCx<'t> {
    text: &'t [u8],
    src: &'t Source,
    name: &'t str,
    def: &'t TableDef,
    plans: &'t [Plan<'t>],
    nfields: usize,
}

/// The rows of one chunk of a file, as read.
struct Part {
    cols: Vec<Col>,
    lines: Vec<u32>,
    counts: Counts,
    errors: Sink,
    key_incomplete: bool,
    unnamed: Vec<(usize, bool)>,
}

impl Part {
    /// Appends the rows of the chunk that follows.
    fn merge(&mut self, part: Part) {
        let offset = u32::try_from(self.lines.len()).unwrap_or(u32::MAX);
        for (a, b) in self.cols.iter_mut().zip(part.cols) {
            a.append(b);
        }
        self.lines.extend(part.lines);
        self.errors.absorb(part.errors, offset);
        self.counts.records += part.counts.records;
        self.counts.blank += part.counts.blank;
        self.counts.rejected += part.counts.rejected;
        self.key_incomplete |= part.key_incomplete;
    }

    fn new(def: &TableDef, rows: usize, cap: usize, unnamed: Vec<(usize, bool)>) -> Part {
        Part {
            cols: def.columns.iter().map(|c| Col::new(c.ty, rows)).collect(),
            lines: Vec::with_capacity(rows),
            counts: Counts::default(),
            errors: Sink::new(cap),
            key_incomplete: false,
            unnamed,
        }
    }
}

/// Reads the rows in bytes `range` of the file, whose first line is `line`.
fn read_rows(cx: &RowsCx, p: &mut Part, range: Range<usize>, first_line: u64) {
    let RowsCx {
        text,
        src,
        name,
        def,
        plans,
        nfields,
    } = *cx;
    let offset = range.start as u64;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.get(range).unwrap_or(&[]));
    let mut rec = csv::ByteRecord::new();
    let unnamed = &mut p.unnamed;
    let mut scratch = String::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                p.key_incomplete = true;
                p.errors.report(|| {
                    Diag::new("dudao::data::csv", format!("cannot read `{name}`: {e}")).source(src)
                });
                break;
            }
        }
        p.counts.records += 1;
        // Rows of empty cells (`,,,,` as Excel writes below the data) hold nothing.
        if rec.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            p.counts.blank += 1;
            continue;
        }
        let (start, line) = match rec.position() {
            Some(pos) => {
                let mut abs = csv::Position::new();
                abs.set_byte(pos.byte() + offset)
                    .set_line(pos.line() + first_line - 1);
                record_start(text, Some(&abs))
            }
            None => (range_start(offset), first_line),
        };
        let line32 = u32::try_from(line).unwrap_or(u32::MAX);
        if rec.len() != nfields {
            p.key_incomplete = true;
            p.counts.rejected += 1;
            let n = rec.len();
            p.errors.report(|| {
                let d = Diag::new(
                    "dudao::data::ragged_row",
                    format!("line {line} has {n} cells, but the header of `{name}` has {nfields}"),
                );
                if n > nfields {
                    d.label(field_span(text, start, nfields), "unexpected cell")
                        .help("a value that contains `,` must be quoted, e.g. `\"1,234\"`")
                } else {
                    let end = field_span(text, start, n.saturating_sub(1)).end;
                    d.label(end..end, format!("expected {nfields} cells")).help(
                        "every row needs one cell per header column; leave a cell empty as `,,`",
                    )
                }
                .source(src)
            });
            continue;
        }
        if p.lines.len() >= (u32::MAX - 1) as usize {
            p.key_incomplete = true;
            p.counts.rejected += 1;
            p.errors.report(|| {
                Diag::new(
                    "dudao::data::too_many_rows",
                    format!("`{name}` has more than {} rows", u32::MAX - 1),
                )
                .label(line_span(text, start), "first row not loaded")
                .source(src)
            });
            break;
        }
        let row = p.lines.len();
        p.lines.push(line32);
        for (i, reported) in unnamed.iter_mut() {
            if !*reported
                && rec
                    .get(*i)
                    .is_some_and(|f| !f.iter().all(u8::is_ascii_whitespace))
            {
                *reported = true;
                let i = *i;
                p.errors.mark(row);
                p.errors.report(|| {
                    Diag::new(
                        "dudao::data::unnamed_column",
                        format!("column {} of `{name}` has no header but holds data", i + 1),
                    )
                    .label(field_span(text, start, i), "value under an empty header")
                    .source(src)
                    .help("add a header naming the column, or delete the column")
                });
            }
        }
        for (plan, col) in plans.iter().zip(p.cols.iter_mut()) {
            let Some(f) = plan.field else {
                col.push_null();
                continue;
            };
            let s = rec
                .get(f)
                .and_then(|raw| std::str::from_utf8(raw).ok())
                .map_or("", super::build::clean);
            let res = if s.is_empty() {
                col.push_null();
                if plan.required() {
                    Err(Bad::Missing)
                } else {
                    Ok(())
                }
            } else {
                push_cell(col, plan, s, &mut scratch).inspect_err(|_| col.push_null())
            };
            if let Err(bad) = res {
                if plan.key {
                    p.key_incomplete = true;
                }
                p.errors.mark(row);
                p.errors.report(|| {
                    let (d, label) = cell_problem(bad, s, plan, def);
                    d.label(field_span(text, start, f), label).source(src)
                });
            }
        }
    }
}

fn range_start(offset: u64) -> usize {
    usize::try_from(offset).unwrap_or(usize::MAX)
}

/// Where a record really starts: csv reports the position after the previous
/// record, which may be before the rest of its line end and blank lines.
fn record_start(text: &[u8], pos: Option<&csv::Position>) -> (usize, u64) {
    let Some(pos) = pos else {
        return (0, 1);
    };
    let mut at = usize::try_from(pos.byte()).unwrap_or(usize::MAX);
    let mut line = pos.line();
    while let Some(&b) = text.get(at) {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
        at += 1;
    }
    (at, line)
}

/// The span of the physical line that starts at `start` (without its end).
fn line_span(text: &[u8], start: usize) -> Range<usize> {
    let start = start.min(text.len());
    let len = text
        .get(start..)
        .unwrap_or(&[])
        .iter()
        .position(|b| *b == b'\n' || *b == b'\r');
    start..len.map_or(text.len(), |l| start + l)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_spans() {
        let t = "a, b ,\"c,\"\"d\"\"\",,e\nx".as_bytes();
        let s = |f| {
            std::str::from_utf8(&t[field_span(t, 0, f)])
                .unwrap()
                .to_string()
        };
        assert_eq!(s(0), "a");
        assert_eq!(s(1), "b");
        assert_eq!(s(2), "c,\"\"d\"\"");
        assert_eq!(s(3), "");
        assert_eq!(field_span(t, 0, 3), 16..16);
        assert_eq!(s(4), "e");
        assert_eq!(field_span(t, 0, 5), 18..18);
        assert_eq!(s(0), "a");
        assert_eq!(std::str::from_utf8(&t[field_span(t, 19, 0)]).unwrap(), "x");
    }
}
