//! One CSV file → the columns of one table, with every problem found in it.

use super::build::Plan;
use super::csvrows::{
    Block, PARALLEL_CHUNK, Part, Quote, RowsCx, key_fields, line_blocks, line_span, newlines,
    quote_trouble, read_lines, read_records, record_start, trim_line_end, unterminated_quote,
};
use super::csvtext::{CsvOrigin, CsvText, field_span, hex, sha256_hex};
use super::decode::{
    DecodeError, DecodeErrorKind, decode, is_utf16, is_utf16_without_bom, utf8_bom_len,
};
use super::header::{HeaderRow, header_score, is_header_score, match_header, report_header};
use super::layout::{HEADER_SCAN, is_hint_row};
use super::parsed::{Parsed, empty_parsed};
use super::table::*;
use super::{file_source, fill, io_reason, lines_list};
use crate::diag::Code;
use crate::diag::{Diag, Msg, Source, source};
use crate::msg::data as msg;
use crate::schema::{ColumnDef, Schema, TableDef, TableId};
use rayon::prelude::*;
use std::borrow::Cow;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Reads one file of table `table` held in memory.
pub(crate) fn parse_file(
    schema: &Schema,
    table: TableId,
    file: usize,
    name: &str,
    bytes: Vec<u8>,
    cap: usize,
) -> Parsed {
    let mut p = empty_parsed(
        schema,
        table,
        file,
        name,
        Box::new(CsvOrigin::none(name)),
        cap,
    );
    let Some(def) = schema.tables.get(table) else {
        return p;
    };
    let mut note = None;
    let mut origin = CsvOrigin::none(name);
    let sha256 = match decode(bytes) {
        Err(e) => {
            let sha256 = sha256_hex(&e.bytes);
            p.errors.report(|| decode_error(name, e));
            sha256
        }
        Ok(decoded) => {
            note = decoded.note;
            let text = CsvText::new(name, decoded);
            p.key_incomplete = false;
            // The hash is computed while the file is parsed.
            let (sha256, ()) = rayon::join(
                || sha256_hex(text.decoded.original()),
                || parse_text(&mut p, schema, def, &text),
            );
            origin = CsvOrigin::kept(text);
            sha256
        }
    };
    finish_csv(&mut p, origin, sha256, note);
    p
}

/// Reads one file of table `table` from disk: a block at a time, so the
/// file is never held in memory whole, when it is UTF-8 without quotes (as
/// large exports are); otherwise whole, with [`parse_file`]. The text is read
/// again only if a diagnostic has to show it.
pub(crate) fn parse_disk(
    schema: &Schema,
    table: TableId,
    file: usize,
    name: &str,
    path: &Path,
    cap: usize,
) -> Parsed {
    let whole = || match std::fs::read(path) {
        Ok(bytes) => parse_file(schema, table, file, name, bytes, cap),
        Err(e) => unreadable(schema, table, file, name, io_error(name, &e), cap),
    };
    let Some(def) = schema.tables.get(table) else {
        return whole();
    };
    match stream(schema, table, def, file, name, path, cap) {
        Ok(Some(p)) => p,
        Ok(None) => whole(),
        Err(e) => unreadable(schema, table, file, name, io_error(name, &e), cap),
    }
}

pub(crate) fn io_error(name: &str, e: &std::io::Error) -> Diag {
    Diag::new(
        Code::DataIo,
        fill(&io_reason(e), |r| msg::cannot_read(name, r)),
    )
    .source(&file_source(name))
}

/// The streaming read of [`parse_disk`]; `None` when the file has to be
/// read whole (not UTF-8, quotes, classic Mac line ends, a column without
/// header).
fn stream(
    schema: &Schema,
    table: TableId,
    def: &TableDef,
    file: usize,
    name: &str,
    path: &Path,
    cap: usize,
) -> std::io::Result<Option<Parsed>> {
    use sha2::{Digest, Sha256};
    let f = std::fs::File::open(path)?;
    let size = f.metadata().map_or(0, |m| m.len());
    let mut reader = BlockReader::new(f);
    let mut first = Vec::new();
    // The header (under a title of up to HEADER_SCAN - 1 rows), and the
    // row under it (a template's unit/type row).
    if !reader.next(&mut first, HEADER_SCAN + 2)? {
        return Ok(None);
    }
    let head = first.get(utf8_bom_len(&first)..).unwrap_or(&[]);
    let Ok(head_text) = simdutf8::basic::from_utf8(head) else {
        return Ok(None);
    };
    if is_utf16(&first)
        || is_utf16_without_bom(&first)
        || head_text.contains('"')
        || !head_text.contains('\n')
    {
        return Ok(None);
    }
    let mut p = empty_parsed(
        schema,
        table,
        file,
        name,
        Box::new(CsvOrigin::none(name)),
        cap,
    );
    p.key_incomplete = false;
    let Some(h) = read_header(&mut p, schema, def, head) else {
        return Ok(None);
    };
    if !h.unnamed.is_empty() {
        return Ok(None);
    }
    let plans = Plan::all(schema, def, &p.fields);
    let key_fields = key_fields(def, &p.fields);
    let cx = RowsCx {
        name,
        def,
        plans: &plans,
        nfields: h.nfields,
        unnamed: &[],
        key_fields: &key_fields,
    };
    let mut hasher = Sha256::new();
    // Rows expected, from the first block's line length: capacity only
    // (pages never written cost no memory).
    let lines_first = memchr::memchr_iter(b'\n', head).count().max(1);
    let estimate = (size as usize / head.len().max(1)).saturating_mul(lines_first) * 5 / 4 + 16;
    let threads = rayon::current_num_threads().max(1);
    let wave_len = 4 * threads;
    let mut pool: Vec<Vec<u8>> = Vec::new();
    let mut acc: Option<Part> = None;
    hasher.update(&first);
    // The first block's body is the first block of the first wave (its
    // bytes were hashed with the header).
    let body_first = head.get(h.body_start..).unwrap_or(&[]).to_vec();
    pool.push(first);
    let mut wave = vec![body_first];
    reader.wave(&mut wave, &mut pool, wave_len)?;
    let mut parts: Vec<Part> = Vec::new();
    let (mut offset, mut line) = (h.body_start, h.body_line);
    let mut first_wave = true;
    // A pipeline: while a wave of blocks is hashed and parsed, the parts of
    // the previous one are merged and the next one is read.
    while !wave.is_empty() {
        let mut blocks = Vec::with_capacity(wave.len());
        for buf in &wave {
            let lines = memchr::memchr_iter(b'\n', buf).count();
            blocks.push(Block {
                bytes: buf,
                base: offset,
                line,
                lines: lines + 1,
            });
            offset += buf.len();
            line += lines as u64;
        }
        let rows = first_wave.then_some(estimate);
        let mut next = Vec::with_capacity(wave_len);
        let ((_, new_parts), read) = rayon::join(
            || {
                rayon::join(
                    || {
                        let hashed = usize::from(first_wave);
                        wave.iter().skip(hashed).for_each(|b| hasher.update(b))
                    },
                    || parse_blocks(&cx, &blocks, rows, cap, false),
                )
            },
            || {
                merge_parts(&mut acc, std::mem::take(&mut parts));
                reader.wave(&mut next, &mut pool, wave_len)
            },
        );
        read?;
        if new_parts.iter().any(|part| part.restart) {
            return Ok(None);
        }
        parts = new_parts;
        drop(blocks);
        pool.append(&mut wave);
        wave = next;
        first_wave = false;
    }
    merge_parts(&mut acc, parts);
    if let Some(part) = acc {
        absorb(&mut p, part);
    }
    let sha256 = hex(&hasher.finalize());
    let origin = CsvOrigin::on_disk(name, path.to_path_buf(), sha256.clone());
    finish_csv(&mut p, origin, sha256, None);
    Ok(Some(p))
}

/// Appends the rows of a file's parts.
fn absorb(p: &mut Parsed, part: Part) {
    p.cols = part.cols;
    p.lines = part.lines;
    p.skipped_totals = part.totals;
    p.skipped_notes = part.notes;
    p.errors.absorb(part.errors, 0);
    p.counts.add(part.counts);
    p.key_incomplete |= part.key_incomplete;
}

/// Records the file for the report, gives the diagnostics found in it the
/// text they point into, and keeps `origin` to point at its cells.
fn finish_csv(p: &mut Parsed, origin: CsvOrigin, sha256: String, note: Option<&'static str>) {
    skipped_rows(p, &origin);
    let labelled = |d: &Diag| d.source.is_none() && !d.labels.is_empty();
    let needs_text = !p.errors.diags.is_empty() || p.warnings.iter().any(labelled);
    if needs_text && let Some(src) = origin.source().cloned() {
        for (_, d) in p.errors.diags.iter_mut() {
            d.source.get_or_insert_with(|| src.clone());
        }
        for d in p.warnings.iter_mut().filter(|d| labelled(d)) {
            d.source = Some(src.clone());
        }
    }
    p.input = Some(InputFile {
        path: PathBuf::from(&p.name),
        sha256,
        note: note.map(str::to_string),
    });
    p.origin = Box::new(origin);
}

/// Says which rows of totals and notes were skipped; a note among the
/// data rows is an error (only notes below the data are skipped).
fn skipped_rows(p: &mut Parsed, origin: &CsvOrigin) {
    let name = p.name.clone();
    let last = p.lines.last().copied().unwrap_or(0);
    let (stray, trailing): (Vec<u32>, Vec<u32>) = std::mem::take(&mut p.skipped_notes)
        .into_iter()
        .partition(|&l| l < last);
    for line in stray {
        p.counts.notes = p.counts.notes.saturating_sub(1);
        p.counts.rejected += 1;
        p.key_incomplete = true;
        let span = origin.line_span(line);
        p.errors.report_at(span.start as u64, || {
            Diag::new(Code::DataStrayNote, msg::stray_note(line))
                .label(span.clone(), msg::stray_note_label())
                .help(msg::stray_note_help())
        });
    }
    if let Some(&first) = p.skipped_totals.first() {
        let n = p.skipped_totals.len();
        let lines = lines_list(&p.skipped_totals);
        let span = origin.line_span(first);
        p.warnings.push(
            Diag::new(
                Code::DataSkippedRows,
                fill(&lines, |l| msg::total_rows_csv(&name, n, l)),
            )
            .label(span, msg::total_row_label())
            .help(msg::total_rows_help())
            .warning(),
        );
    }
    if let Some(&first) = trailing.first() {
        let lines = lines_list(&trailing);
        let span = origin.line_span(first);
        p.warnings.push(
            Diag::new(
                Code::DataSkippedRows,
                fill(&lines, |l| msg::note_rows_csv(&name, trailing.len(), l)),
            )
            .label(span, msg::note_row_label())
            .warning(),
        );
    }
    p.skipped_notes = trailing;
}

/// Reads a file in blocks of about [`PARALLEL_CHUNK`] bytes that end at a
/// line end (or the end of the file).
struct BlockReader {
    file: std::fs::File,
    /// Read past the last line end of the previous block.
    carry: Vec<u8>,
    eof: bool,
}

impl BlockReader {
    fn new(file: std::fs::File) -> BlockReader {
        BlockReader {
            file,
            carry: Vec::new(),
            eof: false,
        }
    }

    /// Adds blocks to `wave` until it has `len` or the file ends, taking
    /// buffers from `pool`.
    fn wave(
        &mut self,
        wave: &mut Vec<Vec<u8>>,
        pool: &mut Vec<Vec<u8>>,
        len: usize,
    ) -> std::io::Result<()> {
        while wave.len() < len {
            let mut buf = pool.pop().unwrap_or_default();
            if !self.next(&mut buf, 1)? {
                pool.push(buf);
                break;
            }
            wave.push(buf);
        }
        Ok(())
    }

    /// Fills `buf` with the next block, holding at least `lines` line ends
    /// unless the file ends first; false at the end of the file.
    fn next(&mut self, buf: &mut Vec<u8>, lines: usize) -> std::io::Result<bool> {
        use std::io::Read;
        buf.clear();
        buf.append(&mut self.carry);
        let mut want = PARALLEL_CHUNK;
        loop {
            if !self.eof && buf.len() < want {
                let n = (want - buf.len()) as u64;
                let got = (&mut self.file).take(n).read_to_end(buf)?;
                self.eof = got == 0;
            }
            if self.eof {
                return Ok(!buf.is_empty());
            }
            // Enough line ends: cut after the last one.
            if memchr::memchr_iter(b'\n', buf).take(lines).count() == lines
                && let Some(last) = memchr::memrchr(b'\n', buf)
            {
                self.carry
                    .extend_from_slice(buf.get(last + 1..).unwrap_or(&[]));
                buf.truncate(last + 1);
                return Ok(true);
            }
            want = buf.len() + PARALLEL_CHUNK;
        }
    }
}

/// The diagnostic for a file that is not text dudao can read.
fn decode_error(name: &str, e: DecodeError) -> Diag {
    let bad: Vec<String> = e.bad.iter().map(|b| format!("0x{b:02X}")).collect();
    let byte = bad.first().map_or("", String::as_str);
    let message = match e.kind {
        DecodeErrorKind::Invalid => msg::not_text(name, byte, e.line),
        DecodeErrorKind::BadUtf8 => msg::bad_utf8(name, e.line, byte),
        DecodeErrorKind::BadGb18030 => msg::bad_gb18030(name, e.line, byte),
        DecodeErrorKind::Utf16 => msg::utf16(name),
        DecodeErrorKind::Utf16NoBom => msg::utf16_without_bom(name),
        DecodeErrorKind::Workbook => msg::workbook_as_csv(name),
    };
    let message = if e.count > 1
        && matches!(
            e.kind,
            DecodeErrorKind::BadUtf8 | DecodeErrorKind::BadGb18030
        ) {
        message.join("", &msg::and_more_bytes(e.count - 1))
    } else {
        message
    };
    let d = match e.kind {
        DecodeErrorKind::Invalid
        | DecodeErrorKind::BadUtf8
        | DecodeErrorKind::BadGb18030
        | DecodeErrorKind::Utf16
        | DecodeErrorKind::Utf16NoBom => Diag::new(Code::DataEncoding, message),
        DecodeErrorKind::Workbook => Diag::new(Code::DataEncoding, message),
    };
    let help = match e.kind {
        DecodeErrorKind::Workbook => msg::workbook_as_csv_help(),
        _ => msg::save_as_csv_help(),
    };
    let d = match e.lossy {
        Some((text, span)) => {
            let src = source(name, text);
            d.label(span, msg::bad_encoding_label(&bad.join(" ")))
                .source(&src)
        }
        None => d.source(&file_source(name)),
    };
    d.help(help)
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
    let mut p = empty_parsed(
        schema,
        table,
        file,
        name,
        Box::new(CsvOrigin::none(name)),
        cap,
    );
    p.input = Some(InputFile {
        path: PathBuf::from(name),
        sha256: String::new(),
        note: None,
    });
    p.errors.report(|| error);
    p
}

/// What the header of a file says about its body.
struct Header {
    nfields: usize,
    /// Fields without a header (and whether data under one was reported).
    unnamed: Vec<(usize, bool)>,
    /// Where the body starts in the text, and on which line.
    body_start: usize,
    body_line: u64,
}

/// Reads the header (and skips a template's unit/type row under it) from
/// `text`, the start of a file's text; `None` if there is no header. Matches
/// the header to the table's columns (`p.fields`), reporting what is wrong.
fn read_header(p: &mut Parsed, schema: &Schema, def: &TableDef, text: &[u8]) -> Option<Header> {
    let name = p.name.clone();
    let place = msg::place_file(&name);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    // The header: the first of the first HEADER_SCAN records in which most
    // non-empty cells name columns (as in a sheet), else the one naming the
    // most, else the first. Records above it are a title, not read.
    let mut scanned: Vec<(csv::ByteRecord, csv::Position)> = Vec::new();
    let mut best: Option<(usize, usize)> = None;
    let mut chosen: Option<usize> = None;
    while scanned.len() < HEADER_SCAN {
        let mut rec = csv::ByteRecord::new();
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                p.key_incomplete = true;
                p.errors.report(|| {
                    Diag::new(Code::DataCsv, msg::csv_error(&name, &e.to_string()))
                        .source(&file_source(&name))
                });
                return None;
            }
        }
        let score = header_score(
            def,
            rec.iter().map(|raw| std::str::from_utf8(raw).unwrap_or("")),
        );
        let i = scanned.len();
        scanned.push((rec, rdr.position().clone()));
        if is_header_score(def, score) {
            chosen = Some(i);
            break;
        }
        if score.1 > 0 && best.is_none_or(|(m, _)| score.1 > m) {
            best = Some((score.1, i));
        }
        // A file's first line is its header unless it is clearly not one.
        if i == 0 && score.1 * 2 > score.0 {
            chosen = Some(0);
            break;
        }
    }
    let h = chosen.or(best.map(|(_, i)| i)).unwrap_or(0);
    let Some((rec, after)) = scanned.get(h) else {
        p.key_incomplete = true;
        let labels: Vec<&str> = def.columns.iter().map(ColumnDef::label).collect();
        p.errors.report(|| {
            Diag::new(Code::DataEmptyFile, msg::empty_file(&name))
                .label(0..0, msg::empty_file_label())
                .help(msg::empty_file_help(&labels.join(",")))
        });
        return None;
    };
    let rec = rec.clone();
    let (hstart, hline_no) = record_start(text, rec.position());
    let hend = usize::try_from(after.byte()).unwrap_or(usize::MAX);
    if hend >= text.len()
        && let Some(Quote { open, close: None }) = quote_trouble(text, hstart)
    {
        p.key_incomplete = true;
        let line = hline_no + newlines(text, hstart, open);
        p.errors.report(|| unterminated_quote(&name, line, open));
        return None;
    }
    // Warnings about the header show the file up to it.
    let header_line = line_span(text, hstart);
    let row = CsvHeader {
        name: &name,
        text,
        start: hstart,
        line: header_line.clone(),
        head: std::cell::OnceCell::new(),
    };
    if h > 0 {
        // The title, shown with the header under it.
        let src = row.head_src();
        let (tstart, _) = record_start(text, scanned.first().and_then(|(r, _)| r.position()));
        let title = tstart..hstart;
        p.counts.title = h;
        p.warnings.push(
            Diag::new(Code::DataTitleRows, msg::title_rows_csv(&name, h, hline_no))
                .label(trim_line_end(text, title), msg::title_label())
                .label(header_line.clone(), msg::header_row())
                .help(msg::title_rows_help())
                .source(&src)
                .warning(),
        );
    }
    let nfields = rec.len();
    let problems = match_header(
        def,
        rec.iter()
            .enumerate()
            .map(|(i, raw)| (i, std::str::from_utf8(raw).unwrap_or(""))),
        &mut p.fields,
    );
    let report = report_header(def, problems, &place, &row, &mut p.errors, &mut p.warnings);
    p.key_incomplete |= report.key_incomplete;
    let unnamed = report.unnamed;
    // Which column each field holds, to recognise a template's unit/type row.
    let mut field_col: Vec<Option<usize>> = vec![None; nfields];
    for (c, f) in p.fields.iter().enumerate() {
        if let Some(slot) = f.and_then(|f| field_col.get_mut(f)) {
            *slot = Some(c);
        }
    }
    let mut body_start = usize::try_from(after.byte()).unwrap_or(usize::MAX);
    let mut body_line = after.line();
    let mut rec = csv::ByteRecord::new();
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
    Some(Header {
        nfields,
        unnamed,
        body_start,
        body_line,
    })
}

/// A CSV file's header record, to point at its cells.
struct CsvHeader<'t> {
    name: &'t str,
    text: &'t [u8],
    /// Where the record starts.
    start: usize,
    /// The span of its line.
    line: Range<usize>,
    /// The file up to the header: the source of warnings about it (errors
    /// get the whole text when the file is finished).
    head: std::cell::OnceCell<Source>,
}

impl CsvHeader<'_> {
    fn head_src(&self) -> Source {
        self.head
            .get_or_init(|| {
                let head = self.text.get(..self.line.end).unwrap_or(&[]);
                source(self.name, String::from_utf8_lossy(head).into_owned())
            })
            .clone()
    }

    fn span(&self, field: Option<usize>) -> Range<usize> {
        match field {
            Some(f) => field_span(self.text, self.start, f),
            None => self.line.clone(),
        }
    }
}

impl HeaderRow for CsvHeader<'_> {
    fn point(&self, d: Diag, marks: &[(Option<usize>, Msg)]) -> Diag {
        marks.iter().fold(d, |d, (field, label)| {
            d.label(self.span(*field), label.clone())
        })
    }

    fn point_warning(&self, d: Diag, marks: &[(Option<usize>, Msg)]) -> Diag {
        self.point(d, marks).source(&self.head_src())
    }

    fn pos(&self, field: Option<usize>) -> u64 {
        self.span(field).start as u64
    }

    fn shown<'h>(&self, text: &'h str) -> Cow<'h, str> {
        Cow::Borrowed(text)
    }

    fn serial(&self, field: usize, text: &str) -> Msg {
        msg::serial_column_csv(self.name, field + 1, text)
    }
}

/// Parses a whole decoded text.
fn parse_text(p: &mut Parsed, schema: &Schema, def: &TableDef, csv: &CsvText) {
    let text = csv.bytes();
    let Some(h) = read_header(p, schema, def, text) else {
        return;
    };
    let plans = Plan::all(schema, def, &p.fields);
    let name = p.name.clone();
    let key_fields = key_fields(def, &p.fields);
    let cx = RowsCx {
        name: &name,
        def,
        plans: &plans,
        nfields: h.nfields,
        unnamed: &h.unnamed,
        key_fields: &key_fields,
    };
    let body = text.get(h.body_start..).unwrap_or(&[]);
    // Without quotes, every line end ends a record: such files are read
    // line by line without the CSV state machine, and large ones are cut
    // at line ends into blocks parsed in parallel; the blocks are joined in
    // order, so the result is the same as reading the file top to bottom.
    let quoted = memchr::memchr(b'"', body).is_some();
    let blocks = if h.unnamed.is_empty() && body.len() > 2 * PARALLEL_CHUNK && !quoted {
        line_blocks(body, h.body_start, h.body_line)
    } else {
        let lines = memchr::memchr_iter(b'\n', body).count() + 1;
        vec![Block {
            bytes: body,
            base: h.body_start,
            line: h.body_line,
            lines,
        }]
    };
    let cap = p.errors.cap();
    let total: usize = blocks.iter().map(|b| b.lines).sum();
    let threads = rayon::current_num_threads().max(1);
    let mut acc: Option<Part> = None;
    // A wave (a few blocks per thread) at a time: the memory held at once is
    // the file's columns plus one wave's.
    for wave in blocks.chunks(4 * threads) {
        let parts = parse_blocks(&cx, wave, acc.is_none().then_some(total), cap, quoted);
        merge_parts(&mut acc, parts);
    }
    if let Some(part) = acc {
        absorb(p, part);
    }
}

/// Parses blocks in parallel, in order; the first part is sized for `rows`
/// when given (it will receive the others).
fn parse_blocks(
    cx: &RowsCx,
    blocks: &[Block],
    rows: Option<usize>,
    cap: usize,
    quoted: bool,
) -> Vec<Part> {
    blocks
        .par_iter()
        .enumerate()
        .map(|(i, b)| {
            let n = match rows {
                Some(r) if i == 0 => r,
                _ => b.lines,
            };
            let mut part = Part::new(cx.def, n, cap);
            part.unnamed = cx.unnamed.to_vec();
            if quoted {
                read_records(cx, &mut part, b);
            } else {
                read_lines(cx, &mut part, b);
            }
            part
        })
        .collect()
}

fn merge_parts(acc: &mut Option<Part>, parts: Vec<Part>) {
    for part in parts {
        match acc.as_mut() {
            None => *acc = Some(part),
            Some(first) => first.merge(part),
        }
    }
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
