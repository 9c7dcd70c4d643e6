//! The rows of a CSV file's body → the columns of its table (a [`Part`] per
//! block of lines, joined in order), with every problem found in them: the
//! per-row work of the CSV reader, line by line without the CSV state
//! machine when the body has no quotes.

use super::build::{Bad, Col, Plan, Sink, cell_problem, clean, push_cell};
use super::csvtext::field_span;
use super::file_source;
use super::layout::{is_note_text, is_total_text};
use super::parsed::Counts;
use crate::diag::Code;
use crate::diag::Diag;
use crate::msg::data as msg;
use crate::schema::TableDef;
use std::ops::Range;

/// Bytes per block of parallel CSV parsing.
/// (Small in unit tests, so that their files are cut into many blocks.)
pub(crate) const PARALLEL_CHUNK: usize = if cfg!(test) { 256 } else { 1 << 20 };

/// Lines of a file's text that one task parses.
pub(crate) struct Block<'t> {
    /// Whole lines.
    pub bytes: &'t [u8],
    /// Where they start in the text.
    pub base: usize,
    /// The first line's number.
    pub line: u64,
    /// Line ends + 1: at most the rows.
    pub lines: usize,
}

/// Cuts `body` (starting at byte `start` of the text, on line `line`) into
/// blocks of about `PARALLEL_CHUNK` bytes that end at a line end.
pub(crate) fn line_blocks(body: &[u8], start: usize, line: u64) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut line = line;
    while at < body.len() {
        let end = (at + PARALLEL_CHUNK).min(body.len());
        let end = match body
            .get(end.saturating_sub(1)..)
            .and_then(|r| memchr::memchr(b'\n', r))
        {
            Some(i) => end.saturating_sub(1) + i + 1,
            None => body.len(),
        };
        let bytes = body.get(at..end).unwrap_or(&[]);
        let lines = memchr::memchr_iter(b'\n', bytes).count();
        out.push(Block {
            bytes,
            base: start + at,
            line,
            lines: lines + 1,
        });
        line += lines as u64;
        at = end;
    }
    out
}

/// What the rows of a file are read with.
pub(crate) struct RowsCx<'t> {
    pub name: &'t str,
    pub def: &'t TableDef,
    pub plans: &'t [Plan<'t>],
    pub nfields: usize,
    /// Fields without a header (a file with some is read as one block).
    pub unnamed: &'t [(usize, bool)],
    /// The fields of the key columns the header has.
    pub key_fields: &'t [usize],
}

/// The fields of `def`'s key columns, as the header maps them.
pub(crate) fn key_fields(def: &TableDef, fields: &[Option<usize>]) -> Vec<usize> {
    def.key
        .iter()
        .filter_map(|&c| fields.get(c).copied().flatten())
        .collect()
}

/// A row that is not data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotData {
    /// A row of totals (`合计`, `小计`).
    Total,
    /// A note (`注：…`, `填表人：…`).
    Note,
}

/// Whether a record is a row of totals or a note rather than data: its
/// first non-empty cell says so, and its key cells are empty or that cell.
/// Judged from the key cells' first bytes first, so a row with an ASCII key
/// (every data row of a large export) costs one comparison.
pub(crate) fn not_data<R: Record + ?Sized>(key_fields: &[usize], rec: &R) -> Option<NotData> {
    let plain_key = |f: usize| {
        rec.field(f)
            .and_then(|s| s.as_bytes().first())
            .is_some_and(|b| b.is_ascii_graphic())
    };
    if !key_fields.is_empty() && key_fields.iter().all(|&f| plain_key(f)) {
        return None;
    }
    let first = (0..rec.len()).find_map(|i| rec.field(i).map(clean).filter(|s| !s.is_empty()))?;
    let keys_ok = key_fields.iter().all(|&f| {
        rec.field(f)
            .map(clean)
            .is_none_or(|s| s.is_empty() || s == first)
    });
    if !keys_ok {
        return None;
    }
    if is_total_text(first) {
        Some(NotData::Total)
    } else if is_note_text(first) {
        Some(NotData::Note)
    } else {
        None
    }
}

/// The rows of one block of a file, as read.
pub(crate) struct Part {
    pub cols: Vec<Col>,
    pub lines: Vec<u32>,
    /// The lines of rows of totals, and of notes, skipped.
    pub totals: Vec<u32>,
    pub notes: Vec<u32>,
    pub counts: Counts,
    pub errors: Sink,
    pub key_incomplete: bool,
    /// Fields without a header, and whether data under one was reported.
    pub unnamed: Vec<(usize, bool)>,
    /// The block cannot be read on its own (a quote, or bytes that are not
    /// UTF-8): the file must be read whole.
    pub restart: bool,
}

impl Part {
    /// Appends the rows of the block that follows.
    pub fn merge(&mut self, part: Part) {
        let offset = u32::try_from(self.lines.len()).unwrap_or(u32::MAX);
        for (a, b) in self.cols.iter_mut().zip(part.cols) {
            a.append(b);
        }
        self.lines.extend(part.lines);
        self.totals.extend(part.totals);
        self.notes.extend(part.notes);
        self.errors.absorb(part.errors, offset);
        self.counts.add(part.counts);
        self.key_incomplete |= part.key_incomplete;
        self.restart |= part.restart;
    }

    pub fn new(def: &TableDef, rows: usize, cap: usize) -> Part {
        Part {
            cols: def.columns.iter().map(|c| Col::new(c.ty, rows)).collect(),
            lines: Vec::with_capacity(rows),
            totals: Vec::new(),
            notes: Vec::new(),
            counts: Counts::default(),
            errors: Sink::new(cap),
            key_incomplete: false,
            unnamed: Vec::new(),
            restart: false,
        }
    }
}

/// The cells of one record.
pub(crate) trait Record {
    fn len(&self) -> usize;
    /// Field `i`, untrimmed.
    fn field(&self, i: usize) -> Option<&str>;
    /// Whether every cell is empty or blank.
    fn blank(&self) -> bool {
        (0..self.len()).all(|i| {
            self.field(i)
                .is_none_or(|f| f.bytes().all(|b| b.is_ascii_whitespace()))
        })
    }
}

impl Record for [&str] {
    fn len(&self) -> usize {
        <[&str]>::len(self)
    }
    fn field(&self, i: usize) -> Option<&str> {
        self.get(i).copied()
    }
}

impl Record for csv::ByteRecord {
    fn len(&self) -> usize {
        csv::ByteRecord::len(self)
    }
    fn field(&self, i: usize) -> Option<&str> {
        // The text is valid UTF-8 and fields end at ASCII bytes.
        self.get(i).and_then(|raw| std::str::from_utf8(raw).ok())
    }
}

/// Reads a block without quotes: every line end ends a record and every
/// `,` ends a field. (A `\r` that does not end a line ends a record for the
/// CSV state machine; such a block is read by it instead.)
pub(crate) fn read_lines(cx: &RowsCx, p: &mut Part, b: &Block) {
    let bytes = b.bytes;
    let (Ok(chunk), None) = (
        simdutf8::basic::from_utf8(bytes),
        memchr::memchr(b'"', bytes),
    ) else {
        p.restart = true;
        return;
    };
    if memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n')) {
        return read_records(cx, p, b);
    }
    let mut scratch = String::new();
    let mut fields: Vec<&str> = Vec::with_capacity(cx.nfields + 1);
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    let (mut line, mut line_start) = (b.line, 0usize);
    for end in ends {
        let start = line_start;
        line_start = end + 1;
        let text = chunk.get(start..end).unwrap_or("");
        let text = text.strip_suffix('\r').unwrap_or(text);
        if !text.is_empty() {
            // Fields are short: a plain loop finds the commas.
            fields.clear();
            let mut from = 0;
            for (i, c) in text.bytes().enumerate() {
                if c == b',' {
                    fields.push(text.get(from..i).unwrap_or(""));
                    from = i + 1;
                }
            }
            fields.push(text.get(from..).unwrap_or(""));
            if !load_record(cx, p, b, &fields[..], start, line, &mut scratch) {
                break;
            }
        }
        line += 1;
    }
}

/// Reads a block with the CSV state machine (quoted fields may hold `,`
/// and line ends).
pub(crate) fn read_records(cx: &RowsCx, p: &mut Part, b: &Block) {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(b.bytes);
    let mut rec = csv::ByteRecord::new();
    let mut scratch = String::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                p.key_incomplete = true;
                let name = cx.name;
                p.errors.report(|| {
                    Diag::new(Code::DataCsv, msg::csv_error(name, &e.to_string()))
                        .source(&file_source(name))
                });
                break;
            }
        }
        let (start, line) = match rec.position() {
            Some(pos) => {
                let mut rel = csv::Position::new();
                rel.set_byte(pos.byte()).set_line(pos.line() + b.line - 1);
                record_start(b.bytes, Some(&rel))
            }
            None => (0, b.line),
        };
        // A record that runs to the end of the text may do so because a
        // quote is never closed.
        let end = usize::try_from(rdr.position().byte()).unwrap_or(usize::MAX);
        if end >= b.bytes.len()
            && let Some(Quote { open, close: None }) = quote_trouble(b.bytes, start)
        {
            p.counts.records += 1;
            p.counts.rejected += 1;
            p.key_incomplete = true;
            let qline = line + newlines(b.bytes, start, open);
            p.errors
                .report(|| unterminated_quote(cx.name, qline, b.base + open));
            break;
        }
        if !load_record(cx, p, b, &rec, start, line, &mut scratch) {
            break;
        }
    }
}

/// A quoted field that spans lines or is never closed: where its quote
/// opens, and where it closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Quote {
    pub open: usize,
    pub close: Option<usize>,
}

/// The first quoted field of the record starting at `start` that holds a
/// line end or is never closed (read as the csv crate reads: a quote opens
/// a field only at its start; `""` inside is a quote).
pub(crate) fn quote_trouble(text: &[u8], start: usize) -> Option<Quote> {
    let mut i = start;
    loop {
        if text.get(i) == Some(&b'"') {
            let open = i;
            let mut j = i + 1;
            let close = loop {
                match memchr::memchr(b'"', text.get(j..).unwrap_or(&[])) {
                    None => break None,
                    Some(k) if text.get(j + k + 1) == Some(&b'"') => j += k + 2,
                    Some(k) => break Some(j + k),
                }
            };
            match close {
                None => return Some(Quote { open, close: None }),
                Some(c) => {
                    let inside = text.get(open..c).unwrap_or(&[]);
                    if memchr::memchr2(b'\n', b'\r', inside).is_some() {
                        return Some(Quote {
                            open,
                            close: Some(c),
                        });
                    }
                    i = c + 1;
                }
            }
        }
        // The rest of the field.
        while let Some(&b) = text.get(i) {
            if matches!(b, b',' | b'\n' | b'\r') {
                break;
            }
            i += 1;
        }
        match text.get(i) {
            Some(b',') => i += 1,
            _ => return None,
        }
    }
}

/// Line ends in `text[from..to]`.
pub(crate) fn newlines(text: &[u8], from: usize, to: usize) -> u64 {
    text.get(from..to)
        .map_or(0, |t| memchr::memchr_iter(b'\n', t).count() as u64)
}

/// The error for a quote never closed, at byte `at` of the file's text.
pub(crate) fn unterminated_quote(name: &str, line: u64, at: usize) -> Diag {
    Diag::new(
        Code::DataUnterminatedQuote,
        msg::unterminated_quote(name, line),
    )
    .label(at..at + 1, msg::unterminated_quote_label())
    .help(msg::unterminated_quote_help())
}

/// Loads one record, which starts at byte `start` of block `b` on line
/// `line`, into the columns; false when no further row can be loaded.
pub(crate) fn load_record<R: Record + ?Sized>(
    cx: &RowsCx,
    p: &mut Part,
    b: &Block,
    rec: &R,
    start: usize,
    line: u64,
    scratch: &mut String,
) -> bool {
    let RowsCx { name, nfields, .. } = *cx;
    let text = b.bytes;
    // Spans in the file's text.
    let at = |r: Range<usize>| r.start + b.base..r.end + b.base;
    p.counts.records += 1;
    // Rows of empty cells (`,,,,` as Excel writes below the data) hold nothing.
    if rec.blank() {
        p.counts.blank += 1;
        return true;
    }
    let line32 = u32::try_from(line).unwrap_or(u32::MAX);
    match not_data(cx.key_fields, rec) {
        Some(NotData::Total) => {
            p.counts.notes += 1;
            p.totals.push(line32);
            return true;
        }
        Some(NotData::Note) => {
            p.counts.notes += 1;
            p.notes.push(line32);
            return true;
        }
        None => {}
    }
    if rec.len() != nfields {
        p.key_incomplete = true;
        p.counts.rejected += 1;
        let n = rec.len();
        p.errors.report(|| {
            let quote = quote_trouble(text, start).and_then(|q| Some((q.open, q.close?)));
            let d = ragged(n, nfields, line, name, text, start, &at);
            match quote {
                // A quote that closes lines later made several lines one row.
                Some((open, close)) => d.label(at(open..open + 1), msg::quote_opens_label()).help(
                    msg::quote_spans_help(
                        line + newlines(text, start, open),
                        line + newlines(text, start, close),
                    ),
                ),
                None => d,
            }
        });
        return true;
    }
    if p.lines.len() >= (u32::MAX - 1) as usize {
        p.key_incomplete = true;
        p.counts.rejected += 1;
        p.errors.report(|| {
            Diag::new(
                Code::DataTooManyRows,
                msg::too_many_rows(name, u32::MAX - 1),
            )
            .label(at(line_span(text, start)), msg::too_many_rows_label())
        });
        return false;
    }
    load_cells(cx, p, b, rec, start, line32, scratch);
    true
}

/// The error for a row with `n` cells under a header of `nfields`.
pub(crate) fn ragged(
    n: usize,
    nfields: usize,
    line: u64,
    name: &str,
    text: &[u8],
    start: usize,
    at: &impl Fn(Range<usize>) -> Range<usize>,
) -> Diag {
    {
        {
            if n > nfields {
                Diag::new(
                    Code::DataRaggedRow,
                    msg::too_many_cells(line, n, name, nfields),
                )
                .label(
                    at(field_span(text, start, nfields)),
                    msg::too_many_cells_label(),
                )
                .help(msg::too_many_cells_help())
            } else {
                let end = at(field_span(text, start, n.saturating_sub(1))).end;
                Diag::new(
                    Code::DataRaggedRow,
                    msg::too_few_cells(line, n, name, nfields),
                )
                .label(end..end, msg::too_few_cells_label(nfields))
                .help(msg::too_few_cells_help())
            }
        }
    }
}

/// Loads the cells of a record with as many cells as the header.
pub(crate) fn load_cells<R: Record + ?Sized>(
    cx: &RowsCx,
    p: &mut Part,
    b: &Block,
    rec: &R,
    start: usize,
    line32: u32,
    scratch: &mut String,
) {
    let RowsCx {
        name, def, plans, ..
    } = *cx;
    let text = b.bytes;
    let at = |r: Range<usize>| r.start + b.base..r.end + b.base;
    let row = p.lines.len();
    p.lines.push(line32);
    for (i, reported) in p.unnamed.iter_mut() {
        if !*reported
            && rec
                .field(*i)
                .is_some_and(|f| !f.bytes().all(|b| b.is_ascii_whitespace()))
        {
            *reported = true;
            let i = *i;
            p.errors.mark(row);
            p.errors.report(|| {
                Diag::new(
                    Code::DataUnnamedColumn,
                    msg::unnamed_column_csv(i + 1, name),
                )
                .label(at(field_span(text, start, i)), msg::unnamed_column_label())
                .help(msg::unnamed_column_help())
            });
        }
    }
    for (plan, col) in plans.iter().zip(p.cols.iter_mut()) {
        let Some(f) = plan.field else {
            col.push_null();
            continue;
        };
        let s = rec.field(f).map_or("", super::build::clean);
        let res = if s.is_empty() {
            col.push_null();
            if plan.required() {
                Err(Bad::Missing)
            } else {
                Ok(())
            }
        } else {
            push_cell(col, plan, s, scratch).inspect_err(|_| col.push_null())
        };
        if let Err(bad) = res {
            if plan.key {
                p.key_incomplete = true;
            }
            p.errors.mark(row);
            p.errors.report(|| {
                let (d, label) = cell_problem(bad, s, plan, def);
                d.label(at(field_span(text, start, f)), label)
            });
        }
    }
}

/// Where a record really starts: csv reports the position after the previous
/// record, which may be before the rest of its line end and blank lines.
pub(crate) fn record_start(text: &[u8], pos: Option<&csv::Position>) -> (usize, u64) {
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

/// `span` without the line ends and spaces it ends with.
pub(crate) fn trim_line_end(text: &[u8], span: Range<usize>) -> Range<usize> {
    let mut end = span.end.min(text.len());
    while end > span.start && text.get(end - 1).is_some_and(|b| b.is_ascii_whitespace()) {
        end -= 1;
    }
    span.start..end
}

/// The span of the physical line that starts at `start` (without its end).
pub(crate) fn line_span(text: &[u8], start: usize) -> Range<usize> {
    let start = start.min(text.len());
    let len = text
        .get(start..)
        .unwrap_or(&[])
        .iter()
        .position(|b| *b == b'\n' || *b == b'\r');
    start..len.map_or(text.len(), |l| start + l)
}
