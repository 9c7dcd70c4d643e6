//! One CSV file → the columns of one table, with every problem found in it.

use super::build::{Bad, Col, Plan, Sink, cell_problem, clean, push_cell};
use super::csvtext::{CsvOrigin, CsvText, field_span, hex, sha256_hex};
use super::decode::{
    DecodeError, DecodeErrorKind, decode, is_utf16, is_utf16_without_bom, utf8_bom_len,
};
use super::header::{HeaderRow, header_score, is_header_score, match_header, report_header};
use super::layout::{HEADER_SCAN, is_hint_row, is_note_text, is_total_text};
use super::parsed::{Counts, Parsed, empty_parsed};
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

/// Bytes per block of parallel CSV parsing.
/// (Small in unit tests, so that their files are cut into many blocks.)
const PARALLEL_CHUNK: usize = if cfg!(test) { 256 } else { 1 << 20 };

/// Lines of a file's text that one task parses.
struct Block<'t> {
    /// Whole lines.
    bytes: &'t [u8],
    /// Where they start in the text.
    base: usize,
    /// The first line's number.
    line: u64,
    /// Line ends + 1: at most the rows.
    lines: usize,
}

/// Cuts `body` (starting at byte `start` of the text, on line `line`) into
/// blocks of about `PARALLEL_CHUNK` bytes that end at a line end.
fn line_blocks(body: &[u8], start: usize, line: u64) -> Vec<Block<'_>> {
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
struct RowsCx<'t> {
    name: &'t str,
    def: &'t TableDef,
    plans: &'t [Plan<'t>],
    nfields: usize,
    /// Fields without a header (a file with some is read as one block).
    unnamed: &'t [(usize, bool)],
    /// The fields of the key columns the header has.
    key_fields: &'t [usize],
}

/// The fields of `def`'s key columns, as the header maps them.
fn key_fields(def: &TableDef, fields: &[Option<usize>]) -> Vec<usize> {
    def.key
        .iter()
        .filter_map(|&c| fields.get(c).copied().flatten())
        .collect()
}

/// A row that is not data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NotData {
    /// A row of totals (`合计`, `小计`).
    Total,
    /// A note (`注：…`, `填表人：…`).
    Note,
}

/// Whether a record is a row of totals or a note rather than data: its
/// first non-empty cell says so, and its key cells are empty or that cell.
/// Judged from the key cells' first bytes first, so a row with an ASCII key
/// (every data row of a large export) costs one comparison.
fn not_data<R: Record + ?Sized>(key_fields: &[usize], rec: &R) -> Option<NotData> {
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
    unnamed: Vec<(usize, bool)>,
    /// The block cannot be read on its own (a quote, or bytes that are not
    /// UTF-8): the file must be read whole.
    restart: bool,
}

impl Part {
    /// Appends the rows of the block that follows.
    fn merge(&mut self, part: Part) {
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

    fn new(def: &TableDef, rows: usize, cap: usize) -> Part {
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
trait Record {
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
fn read_lines(cx: &RowsCx, p: &mut Part, b: &Block) {
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
fn read_records(cx: &RowsCx, p: &mut Part, b: &Block) {
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
fn newlines(text: &[u8], from: usize, to: usize) -> u64 {
    text.get(from..to)
        .map_or(0, |t| memchr::memchr_iter(b'\n', t).count() as u64)
}

/// The error for a quote never closed, at byte `at` of the file's text.
fn unterminated_quote(name: &str, line: u64, at: usize) -> Diag {
    Diag::new(
        Code::DataUnterminatedQuote,
        msg::unterminated_quote(name, line),
    )
    .label(at..at + 1, msg::unterminated_quote_label())
    .help(msg::unterminated_quote_help())
}

/// Loads one record, which starts at byte `start` of block `b` on line
/// `line`, into the columns; false when no further row can be loaded.
fn load_record<R: Record + ?Sized>(
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
fn ragged(
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
fn load_cells<R: Record + ?Sized>(
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

/// `span` without the line ends and spaces it ends with.
fn trim_line_end(text: &[u8], span: Range<usize>) -> Range<usize> {
    let mut end = span.end.min(text.len());
    while end > span.start && text.get(end - 1).is_some_and(|b| b.is_ascii_whitespace()) {
        end -= 1;
    }
    span.start..end
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
