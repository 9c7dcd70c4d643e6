//! A workbook (`.xlsx`, `.xls`, also `.xlsm`, `.xlsb`, `.ods`) → one parsed
//! input per sheet that names a table.
//!
//! Statistical forms carry a title above the header ("万州区2025年学校基本情况表")
//! and notes below the table ("注：…", "填表人：…", "合计"). The header is the
//! first of the first [`HEADER_SCAN`] rows in which most non-empty cells name
//! columns of the table; rows above it are not read. Below the data, rows
//! that are clearly notes (their first non-empty cell starts like one, see
//! [`is_note_text`]) are skipped, and only trailing ones: a row among the
//! data that does not parse is reported, never dropped. `InputFile::note`
//! says which rows were read.
//!
//! Cells are read by the same parsers as CSV cells: a number is written out
//! as Excel shows it (15 significant digits) and parsed as text, so the two
//! accept exactly the same values. A date cell in a year column gives its
//! year; an error value (`#DIV/0!`) is reported at its cell. A cell of a
//! percent column formatted as a percentage (`97%`, stored as 0.97) is read
//! as that percentage; other numbers in percent columns are percent points,
//! as in CSV (`97` is 97%). `.xls` files carry no number formats calamine
//! reads, so there a value below 1 in a percent column gets a warning.
//!
//! Errors point at `sheet!cell` (`学校!D17`): the diagnostic's source is a
//! rendering of the rows around the cell, one line per sheet row at its own
//! line number, cells separated by ` │ `.

use super::build::{Bad, Col, Plan, Sink, cell_problem, clean, push_cell};
use super::cell::{YEAR_MAX, YEAR_MIN, YearErr, num_text};
use super::csvtext::sha256_hex;
use super::grid::{Mark, SheetGrid, a1, cell_text, col_letters, is_blank, one_line, sort_pos};
use super::header::{HeaderRow, find_column, match_header, report_header};
use super::layout::{HEADER_SCAN, LISTS_SHEET, is_hint_row, is_note_text, is_total_text};
use super::limits::{self, CELL_CHARS};
use super::names::{Event, Inputs, NameMatch, Reported, Unmatched, assign, match_table};
use super::parsed::{Counts, Parsed, empty_parsed};
use super::table::InputFile;
use super::{col_desc, file_source, fill, lines_list, list_msg, table_desc};
use crate::diag::Code;
use crate::diag::{Diag, Msg, did_you_mean};
use crate::msg::data as msg;
use crate::schema::{ColumnDef, Schema, TableDef, TableId};
use calamine::{Data, Range as Grid, Reader, SheetType, SheetVisible, Sheets, StyleRange};
use std::borrow::Cow;
use std::io::Cursor;
use std::path::PathBuf;

/// File extensions read as workbooks.
pub(crate) const WORKBOOK_EXTS: [&str; 5] = ["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// Whether a file name is a workbook's.
pub(crate) fn is_workbook_name(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        WORKBOOK_EXTS
            .iter()
            .any(|w| w.eq_ignore_ascii_case(ext.trim()))
    })
}

/// Whether an Excel number format shows a percentage (`0%`, `0.00%`), not
/// counting a `%` in quotes, after a backslash or in brackets.
fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut bracket = false;
    let mut escaped = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if !quoted => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            '%' if !quoted && !bracket => return true,
            _ => {}
        }
    }
    false
}

/// The sheets of a workbook that hold tables, parsed, with the workbook's
/// record for the report and what was found on the way.
pub(crate) struct Book {
    pub parsed: Vec<Parsed>,
    pub file: InputFile,
    pub warnings: Vec<Diag>,
    /// Errors about the workbook's sheets (a table in two sheets).
    pub errors: Vec<Diag>,
}

/// Opens a workbook by its content (zip: xlsx, xlsb, ods; OLE: xls).
fn open(bytes: &[u8]) -> Result<Sheets<Cursor<&[u8]>>, String> {
    const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        match calamine::Xlsx::new(Cursor::new(bytes)) {
            Ok(x) => Ok(Sheets::Xlsx(x)),
            Err(xlsx_err) => calamine::Ods::new(Cursor::new(bytes))
                .map(Sheets::Ods)
                .or_else(|_| calamine::Xlsb::new(Cursor::new(bytes)).map(Sheets::Xlsb))
                .map_err(|_| xlsx_err.to_string()),
        }
    } else if bytes.starts_with(&OLE) {
        calamine::Xls::new(Cursor::new(bytes))
            .map(Sheets::Xls)
            .map_err(|e| e.to_string())
    } else {
        Err(String::new())
    }
}

/// The warning for a sheet that holds no table.
fn unknown_sheet<'a>(
    schema: &Schema,
    book: &str,
    sheet: &str,
    why: &Unmatched,
    sheet_of: impl Fn(usize) -> &'a str,
) -> Diag {
    let expected: Vec<&str> = schema.tables.iter().map(TableDef::label).collect();
    let expected = expected.join(", ");
    let help = match why {
        Unmatched::Taken { table, by } => {
            let table = schema
                .tables
                .get(*table)
                .map(table_desc)
                .unwrap_or_default();
            msg::sheet_taken_help(&table, sheet_of(*by))
        }
        Unmatched::Several(ts) => {
            let names: Vec<String> = ts
                .iter()
                .filter_map(|t| schema.tables.get(*t))
                .map(table_desc)
                .collect();
            fill(&list_msg(&names), |n| {
                msg::several_tables_sheet_help(n, &expected)
            })
        }
        Unmatched::NoName => {
            let candidates = schema
                .tables
                .iter()
                .flat_map(|t| std::iter::once(&t.name).chain(&t.aliases));
            match did_you_mean(sheet, candidates.map(String::as_str)) {
                Some(m) => msg::unknown_sheet_did_you_mean(m, &expected),
                None => msg::unknown_sheet_help(&expected),
            }
        }
    };
    Diag::new(Code::DataUnknownSheet, msg::unknown_sheet(sheet, book))
        .help(help)
        .source(&file_source(&format!("{book} {sheet}")))
        .warning()
}

/// Reads a workbook: every sheet named after a table is parsed. Errors that
/// stop the whole workbook (not a workbook, unreadable) are returned as one
/// diagnostic.
pub(crate) fn read_book(
    schema: &Schema,
    book: &str,
    bytes: &[u8],
    cap: usize,
) -> Result<Book, Diag> {
    // calamine reads untrusted bytes; a panic in it becomes an error here.
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_book_inner(schema, book, bytes, cap)
    }));
    match run {
        Ok(r) => r,
        Err(_) => Err(Diag::new(Code::DataWorkbook, msg::workbook_damaged(book))
            .help(msg::workbook_damaged_help())
            .source(&file_source(book))),
    }
}

fn read_book_inner(schema: &Schema, book: &str, bytes: &[u8], cap: usize) -> Result<Book, Diag> {
    // What the parts expand to, before any is read.
    limits::check_parts(book, bytes, |part| {
        limits::sheet_parts(bytes)
            .into_iter()
            .find(|(p, _)| p.eq_ignore_ascii_case(part))
            .map(|(_, sheet)| sheet)
    })?;
    let mut wb = match open(bytes) {
        Ok(wb) => wb,
        Err(e) => {
            let looks_text = std::str::from_utf8(bytes.get(..bytes.len().min(4096)).unwrap_or(&[]))
                .is_ok()
                && !bytes.is_empty();
            let d = if e.is_empty() {
                Diag::new(Code::DataWorkbook, msg::not_a_workbook(book))
            } else {
                Diag::new(Code::DataWorkbook, msg::cannot_read_workbook(book, &e))
            };
            let help = if bytes.is_empty() {
                msg::workbook_empty_help()
            } else if looks_text {
                msg::workbook_is_text_help()
            } else {
                msg::workbook_resave_help()
            };
            return Err(d.help(help).source(&file_source(book)));
        }
    };
    let is_xlsx = matches!(wb, Sheets::Xlsx(_));
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let metas: Vec<calamine::Sheet> = wb
        .sheets_metadata()
        .iter()
        .filter(|m| m.typ == SheetType::WorkSheet)
        .cloned()
        .collect();
    let matches: Vec<NameMatch> = metas
        .iter()
        .map(|m| {
            if m.name == LISTS_SHEET {
                NameMatch::None
            } else {
                match_table(schema, &m.name)
            }
        })
        .collect();
    let visible = |i: usize| {
        metas
            .get(i)
            .is_some_and(|m| m.visible == SheetVisible::Visible)
    };
    let assigned = assign(schema.tables.len(), &matches, visible);
    let sheet_of = |i: usize| metas.get(i).map_or("", |m| m.name.as_str());
    let inputs_kind = Inputs::Sheets { book };
    for event in &assigned.events {
        match inputs_kind.report(schema, event, sheet_of) {
            Some(Reported::Error(_, d)) => errors.push(d),
            Some(Reported::Warning(d)) => warnings.push(d),
            None => {}
        }
        match event {
            Event::Unmatched { input, why } => {
                let name = sheet_of(*input);
                let hidden = !visible(*input);
                if (hidden && *why == Unmatched::NoName) || name == LISTS_SHEET {
                    continue;
                }
                // An empty sheet (Excel's Sheet2, Sheet3) holds nothing to lose.
                if *why == Unmatched::NoName {
                    let empty = read_grid(&mut wb, name, bytes)
                        .map(|g| g.grid.used_cells().all(|(_, _, v)| is_blank(v)))
                        .unwrap_or(false);
                    if empty {
                        continue;
                    }
                }
                warnings.push(unknown_sheet(schema, book, name, why, sheet_of));
            }
            _ => {}
        }
    }
    let mut jobs: Vec<(TableId, String)> = Vec::new();
    for (i, meta) in metas.iter().enumerate() {
        let Some(t) = assigned.holder.iter().position(|h| *h == Some(i)) else {
            continue;
        };
        if meta.visible != SheetVisible::Visible
            && let Some(def) = schema.tables.get(t)
        {
            warnings.push(
                Diag::new(
                    Code::DataHiddenSheet,
                    msg::hidden_sheet(&meta.name, book, &table_desc(def)),
                )
                .help(msg::hidden_sheet_help())
                .source(&file_source(&format!("{book} {}", meta.name)))
                .warning(),
            );
        }
        jobs.push((t, meta.name.clone()));
    }
    for (t, def) in schema.tables.iter().enumerate() {
        let claimed = assigned
            .events
            .iter()
            .any(|e| matches!(e, Event::Ambiguous { table, .. } if *table == t));
        if assigned.holder.get(t).is_some_and(Option::is_none) && !claimed {
            warnings.push(
                Diag::new(
                    Code::DataMissingTable,
                    msg::missing_sheet(&table_desc(def), book),
                )
                .help(fill(&inputs_kind.names_for(def), msg::missing_sheet_help))
                .source(&file_source(book))
                .warning(),
            );
        }
    }

    let mut parsed = Vec::new();
    let mut notes = Vec::new();
    for (order, (t, name)) in jobs.into_iter().enumerate() {
        let Some(def) = schema.tables.get(t) else {
            continue;
        };
        let cells = match read_grid(&mut wb, &name, bytes) {
            Ok(g) => g,
            Err(e) => {
                let mut p = empty_parsed(
                    schema,
                    t,
                    0,
                    &name,
                    Box::new(SheetGrid::new(book, &name, Grid::empty())),
                    cap,
                );
                p.order = order;
                p.errors.report_at(0, || match e {
                    GridError::Read(e) => {
                        Diag::new(Code::DataWorkbook, msg::cannot_read_sheet(&name, book, &e))
                            .source(&file_source(&format!("{book} {name}")))
                    }
                    GridError::Stray { at, cells } => Diag::new(
                        Code::DataStrayCell,
                        msg::stray_cell(&name, book, &at, cells),
                    )
                    .help(msg::stray_cell_help(&at))
                    .source(&file_source(&format!("{book} {name}!{at}"))),
                    GridError::SharedString { cell: Some(cell) } => Diag::new(
                        Code::DataWorkbook,
                        msg::bad_shared_string(&name, book, &cell),
                    )
                    .help(msg::workbook_damaged_help())
                    .source(&file_source(&format!("{book} {name}!{cell}"))),
                    GridError::SharedString { cell: None } => Diag::new(
                        Code::DataWorkbook,
                        msg::bad_shared_string_somewhere(&name, book),
                    )
                    .help(msg::workbook_damaged_help())
                    .source(&file_source(&format!("{book} {name}"))),
                });
                parsed.push(p);
                continue;
            }
        };
        let has_percent = def.columns.iter().any(|c| c.percent);
        let styles = if has_percent && is_xlsx {
            wb.worksheet_style(&name).ok()
        } else {
            None
        };
        let (mut p, note) = parse_sheet(
            schema,
            def,
            t,
            book,
            &name,
            cells,
            styles.as_ref(),
            is_xlsx,
            cap,
        );
        p.order = order;
        notes.push(note);
        parsed.push(p);
    }
    let note = (!notes.is_empty()).then(|| notes.join("; "));
    Ok(Book {
        parsed,
        file: InputFile {
            path: PathBuf::from(book),
            sha256: sha256_hex(bytes),
            note,
        },
        warnings,
        errors,
    })
}

/// Why a sheet's cells could not be read.
enum GridError {
    Read(String),
    /// A cell refers to a shared string the workbook does not have (at
    /// this cell, if it could be found).
    SharedString {
        cell: Option<String>,
    },
    /// A value so far from the rest that holding the sheet's bounding box
    /// would take gigabytes (`XFD1048576` in a 200-cell sheet).
    Stray {
        at: String,
        cells: usize,
    },
}

/// Sheets larger than this many cells must be mostly filled.
const SPARSE_LIMIT: u64 = 16_000_000;

/// A sheet's cells, and the cells whose text was longer than
/// [`CELL_CHARS`] (row, column, characters): they hold a shortened text,
/// and are reported when read.
struct SheetCells {
    grid: Grid<Data>,
    long: Vec<(u32, u32, usize)>,
}

/// A shortened text for a cell longer than [`CELL_CHARS`], with its length
/// in characters; `None` for a cell within the limit.
fn shorten_long(v: &Data) -> Option<(Data, usize)> {
    let Data::String(s) = v else {
        return None;
    };
    if s.len() <= CELL_CHARS {
        return None;
    }
    let n = s.chars().count();
    (n > CELL_CHARS).then(|| {
        let head: String = s.chars().take(20).collect();
        (Data::String(format!("{head}…")), n)
    })
}

/// A sheet's cells. For xlsx they are streamed, and a sheet whose bounding
/// box is huge but nearly empty is refused before anything that large is
/// allocated; `bytes` (the workbook) names the cell of a reader error.
fn read_grid(
    wb: &mut Sheets<Cursor<&[u8]>>,
    name: &str,
    bytes: &[u8],
) -> Result<SheetCells, GridError> {
    let Sheets::Xlsx(x) = wb else {
        let mut grid = wb
            .worksheet_range(name)
            .map_err(|e| GridError::Read(e.to_string()))?;
        let long: Vec<(u32, u32, usize, Data)> = grid
            .cells()
            .filter_map(|(r, c, v)| {
                let (short, n) = shorten_long(v)?;
                let start = grid.start().unwrap_or((0, 0));
                Some((start.0 + r as u32, start.1 + c as u32, n, short))
            })
            .collect();
        let mut out = Vec::with_capacity(long.len());
        for (r, c, n, short) in long {
            grid.set_value((r, c), short);
            out.push((r, c, n));
        }
        return Ok(SheetCells { grid, long: out });
    };
    let mut reader = x
        .worksheet_cells_reader(name)
        .map_err(|e| GridError::Read(e.to_string()))?;
    let mut cells: Vec<calamine::Cell<Data>> = Vec::new();
    let mut long = Vec::new();
    let (mut r0, mut r1, mut c0, mut c1) = (u32::MAX, 0u32, u32::MAX, 0u32);
    let mut far = (0u32, 0u32);
    // Cells read, empty ones included: the reader's count, to find the
    // cell of an error.
    let mut seen = 0usize;
    loop {
        match reader.next_cell() {
            Ok(Some(cell)) => {
                seen += 1;
                if matches!(cell.get_value(), calamine::DataRef::Empty) {
                    continue;
                }
                let (r, c) = cell.get_position();
                r0 = r0.min(r);
                r1 = r1.max(r);
                c0 = c0.min(c);
                c1 = c1.max(c);
                if u64::from(r) + u64::from(c) >= u64::from(far.0) + u64::from(far.1) {
                    far = (r, c);
                }
                let mut v: Data = cell.get_value().clone().into();
                if let Some((short, n)) = shorten_long(&v) {
                    v = short;
                    long.push((r, c, n));
                }
                cells.push(calamine::Cell::new((r, c), v));
            }
            Ok(None) => break,
            Err(calamine::XlsxError::Unexpected(m)) if m.contains("shared strings") => {
                let part = limits::sheet_parts(bytes)
                    .into_iter()
                    .find(|(_, sheet)| sheet == name)
                    .map(|(part, _)| part);
                let cell = part
                    .and_then(|p| limits::nth_cell(bytes, &p, seen))
                    .map(|(r, c)| a1(r + 1, c as usize));
                return Err(GridError::SharedString { cell });
            }
            Err(e) => return Err(GridError::Read(e.to_string())),
        }
    }
    if !cells.is_empty() {
        let area = u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1);
        if area > SPARSE_LIMIT && area > 4 * cells.len() as u64 {
            return Err(GridError::Stray {
                at: a1(far.0 + 1, far.1 as usize),
                cells: cells.len() - 1,
            });
        }
    }
    Ok(SheetCells {
        grid: Grid::from_sparse(cells),
        long,
    })
}

/// `3–177` or `3`.
fn rows_text(a: u32, b: u32) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a}–{b}")
    }
}

/// A sheet's header row, to point at its cells.
struct SheetHeader<'g> {
    g: &'g SheetGrid,
    sheet: &'g str,
    /// Its row (1-based).
    line: u32,
}

impl HeaderRow for SheetHeader<'_> {
    fn point(&self, d: Diag, marks: &[(Option<usize>, Msg)]) -> Diag {
        let marks: Vec<(u32, Mark, Msg)> = marks
            .iter()
            .map(|(field, label)| {
                (
                    self.line,
                    field.map_or(Mark::Row, Mark::Cell),
                    label.clone(),
                )
            })
            .collect();
        self.g.point_marks(d, &marks)
    }

    fn point_warning(&self, d: Diag, marks: &[(Option<usize>, Msg)]) -> Diag {
        self.point(d, marks)
    }

    fn pos(&self, field: Option<usize>) -> u64 {
        sort_pos(u64::from(self.line), field.unwrap_or(0) as u64)
    }

    fn shown<'h>(&self, text: &'h str) -> Cow<'h, str> {
        Cow::Owned(one_line(text))
    }

    fn serial(&self, field: usize, text: &str) -> Msg {
        msg::serial_column_sheet(self.sheet, &col_letters(field), &one_line(text))
    }
}

/// Parses one sheet of table `def`. Returns the parsed input and a note on
/// which rows were read.
#[allow(clippy::too_many_arguments)]
fn parse_sheet(
    schema: &Schema,
    def: &TableDef,
    table: TableId,
    book: &str,
    sheet: &str,
    cells: SheetCells,
    styles: Option<&StyleRange>,
    has_formats: bool,
    cap: usize,
) -> (Parsed, String) {
    let SheetCells { grid, long } = cells;
    let g = SheetGrid::new(book, sheet, grid);
    let mut errors = Sink::new(cap);
    let mut warnings: Vec<Diag> = Vec::new();
    let done = |g: SheetGrid, errors: Sink| {
        let mut p = empty_parsed(schema, table, 0, sheet, Box::new(g), cap);
        p.errors = errors;
        p
    };
    let (Some((r0, c0)), Some((r1, c1))) = (g.grid.start(), g.grid.end()) else {
        let labels: Vec<&str> = def.columns.iter().map(ColumnDef::label).collect();
        errors.report_at(0, || {
            Diag::new(Code::DataEmptyFile, msg::empty_sheet(sheet, book))
                .help(msg::empty_sheet_help(&labels.join(", ")))
                .source(&file_source(&format!("{book} {sheet}")))
        });
        return (done(g, errors), format!("sheet {sheet}: empty"));
    };
    let cols: Vec<usize> = (c0 as usize..=c1 as usize).collect();

    // The header: the first row in which most non-empty cells name columns,
    // else the row naming the most.
    let need = def.columns.len().clamp(1, 2);
    let mut best: Option<(usize, u32)> = None;
    let mut header: Option<u32> = None;
    for r in r0..=r1.min(r0.saturating_add(HEADER_SCAN as u32 - 1)) {
        let mut nonempty = 0usize;
        let mut matched = 0usize;
        for &c in &cols {
            let Some(v) = g.get(r, c) else { continue };
            if is_blank(v) {
                continue;
            }
            nonempty += 1;
            if let Data::String(s) = v
                && find_column(def, clean(s)).is_some()
            {
                matched += 1;
            }
        }
        if matched >= need && matched * 2 > nonempty {
            header = Some(r);
            break;
        }
        if matched > 0 && best.is_none_or(|(m, _)| matched > m) {
            best = Some((matched, r));
        }
    }
    let Some(h) = header.or(best.map(|(_, r)| r)) else {
        let labels: Vec<&str> = def.columns.iter().map(ColumnDef::label).collect();
        let d = Diag::new(
            Code::DataNoHeader,
            msg::no_header(sheet, HEADER_SCAN, &table_desc(def)),
        )
        .help(msg::no_header_help(&labels.join(", ")));
        let d = g.point_marks(d, &[(r0 + 1, Mark::Row, msg::first_row())]);
        errors.report_at(0, || d);
        return (done(g, errors), format!("sheet {sheet}: no header row"));
    };
    let hline = h + 1;
    let text_at = |r: u32, c: usize| -> String { g.get(r, c).map(cell_text).unwrap_or_default() };
    // Headers as written (a line break inside one is ignored when matching).
    let header_texts: Vec<(usize, String)> = cols
        .iter()
        .map(|&c| match g.get(h, c) {
            Some(Data::String(s)) => (c, s.clone()),
            Some(v) => (c, cell_text(v)),
            None => (c, String::new()),
        })
        .collect();
    let mut fields = vec![None; def.columns.len()];
    let problems = match_header(
        def,
        header_texts.iter().map(|(c, t)| (*c, t.as_str())),
        &mut fields,
    );
    let place = msg::place_sheet(sheet);
    let row = SheetHeader {
        g: &g,
        sheet,
        line: hline,
    };
    let report = report_header(def, problems, &place, &row, &mut errors, &mut warnings);
    let mut key_incomplete = report.key_incomplete;
    let mut unnamed = report.unnamed;
    if h > r0 {
        let title = rows_text(r0 + 1, h);
        let mut marks: Vec<(u32, Mark, Msg)> = vec![(r0 + 1, Mark::Row, msg::title_label())];
        marks.push((hline, Mark::Row, msg::header_row()));
        warnings.push(
            g.point_marks(
                Diag::new(
                    Code::DataTitleRows,
                    msg::title_rows_sheet(sheet, &title, hline),
                )
                .help(msg::title_rows_help())
                .warning(),
                &marks,
            ),
        );
    }

    // A filled-in template: the row under the header describes the columns.
    let mut start = h + 1;
    let mut hint_line = None;
    if start <= r1 {
        let col_of = |c: usize| fields.iter().position(|f| *f == Some(c));
        let cells: Vec<(Option<usize>, String)> = cols
            .iter()
            .map(|&c| (col_of(c), text_at(start, c)))
            .collect();
        if is_hint_row(schema, def, cells.iter().map(|(c, t)| (*c, t.as_str()))) {
            hint_line = Some(start + 1);
            start += 1;
        }
    }

    // Below the data: trailing rows that are blank or clearly notes.
    let row_blank = |r: u32| cols.iter().all(|&c| g.get(r, c).is_none_or(is_blank));
    let is_note_row = |r: u32| {
        cols.iter()
            .find_map(|&c| g.get(r, c).filter(|v| !is_blank(v)))
            .is_some_and(|v| matches!(v, Data::String(s) if is_note_text(s)))
    };
    // A row of totals: its first non-empty cell says so (`合计`), and its
    // key cells are empty or that cell.
    let key_cols: Vec<usize> = def
        .key
        .iter()
        .filter_map(|&c| fields.get(c).copied().flatten())
        .collect();
    let is_total_row = |r: u32| {
        let first = cols
            .iter()
            .find_map(|&c| g.get(r, c).filter(|v| !is_blank(v)).map(|v| (c, v)));
        let Some((fc, Data::String(s))) = first else {
            return false;
        };
        is_total_text(s)
            && key_cols
                .iter()
                .all(|&k| k == fc || g.get(r, k).is_none_or(is_blank))
    };
    let mut counts = Counts {
        title: (h - r0) as usize,
        ..Counts::default()
    };
    let mut notes: Vec<u32> = Vec::new();
    let mut totals: Vec<u32> = Vec::new();
    let mut end: Option<u32> = None;
    if start <= r1 {
        counts.records = (r1 - start + 1) as usize;
        let mut r = r1;
        loop {
            if row_blank(r) {
                counts.blank += 1;
            } else if is_total_row(r) {
                totals.push(r + 1);
            } else if is_note_row(r) {
                notes.push(r + 1);
            } else {
                end = Some(r);
                break;
            }
            if r == start {
                break;
            }
            r -= 1;
        }
    }

    // The rows.
    let plans = Plan::all(schema, def, &fields);
    let mut cols_out: Vec<Col> = def.columns.iter().map(|c| Col::new(c.ty, 0)).collect();
    let mut lines: Vec<u32> = Vec::new();
    let mut scratch = String::new();
    let mut small_percent_warned = false;
    let data_rows = match end {
        Some(e) => start..e + 1,
        None => 0..0,
    };
    for r in data_rows {
        let line = r + 1;
        if row_blank(r) {
            counts.blank += 1;
            continue;
        }
        if is_total_row(r) {
            totals.push(line);
            continue;
        }
        let row = lines.len();
        lines.push(line);
        for (i, reported) in unnamed.iter_mut() {
            if !*reported && g.get(r, *i).is_some_and(|v| !is_blank(v)) {
                *reported = true;
                let i = *i;
                errors.mark(row);
                errors.report_at(sort_pos(u64::from(line), i as u64), || {
                    g.point_marks(
                        Diag::new(
                            Code::DataUnnamedColumn,
                            msg::unnamed_column_sheet(&col_letters(i), sheet),
                        )
                        .help(msg::unnamed_column_help()),
                        &[(line, Mark::Cell(i), msg::unnamed_column_label())],
                    )
                });
            }
        }
        for (plan, col) in plans.iter().zip(cols_out.iter_mut()) {
            let Some(f) = plan.field else {
                col.push_null();
                continue;
            };
            let v = g.get(r, f).unwrap_or(&Data::Empty);
            let pct_format = plan.col.percent
                && matches!(v, Data::Float(_) | Data::Int(_))
                && styles.is_some_and(|s| {
                    u32::try_from(f)
                        .ok()
                        .and_then(|c| s.get((r, c)))
                        .and_then(|st| st.number_format.as_ref())
                        .is_some_and(|n| is_percent_format(&n.format_code))
                });
            if plan.col.percent
                && !has_formats
                && !small_percent_warned
                && let Data::Float(x) = v
                && x.abs() < 1.0
                && *x != 0.0
            {
                small_percent_warned = true;
                let shown = num_text(*x);
                warnings.push(
                    g.point_marks(
                        Diag::new(
                            Code::DataAmbiguousPercent,
                            msg::ambiguous_percent(&shown, &col_desc(plan.col)),
                        )
                        .help(msg::ambiguous_percent_help(&shown, &num_text(x * 100.0)))
                        .warning(),
                        &[(line, Mark::Cell(f), msg::ambiguous_percent_label())],
                    ),
                );
            }
            let read = match long
                .iter()
                .find(|(lr, lc, _)| *lr == r && *lc as usize == f)
            {
                Some(&(_, _, n)) => {
                    col.push_null();
                    Err((Bad::TooLong(n), cell_text(v)))
                }
                None => sheet_cell(col, plan, v, pct_format, &mut scratch),
            };
            if let Err((bad, shown)) = read {
                if plan.key {
                    key_incomplete = true;
                }
                errors.mark(row);
                errors.report_at(sort_pos(u64::from(line), f as u64), || {
                    let (d, label) = cell_problem(bad, &shown, plan, def);
                    g.point_marks(d, &[(line, Mark::Cell(f), label)])
                });
            }
        }
    }

    // What was skipped.
    notes.sort_unstable();
    totals.sort_unstable();
    counts.notes = notes.len() + totals.len();
    if let Some(&first) = totals.first() {
        let rows = lines_list(&totals);
        warnings.push(
            g.point_marks(
                Diag::new(
                    Code::DataSkippedRows,
                    fill(&rows, |l| msg::total_rows_sheet(sheet, totals.len(), l)),
                )
                .help(msg::total_rows_help())
                .warning(),
                &[(first, Mark::Row, msg::total_row_label())],
            ),
        );
    }
    if let Some(&first) = notes.first() {
        let rows = lines_list(&notes);
        warnings.push(
            g.point_marks(
                Diag::new(
                    Code::DataSkippedRows,
                    fill(&rows, |l| msg::note_rows_sheet(sheet, notes.len(), l)),
                )
                .warning(),
                &[(first, Mark::Row, msg::note_row_label())],
            ),
        );
    }

    // The note on what was read.
    let mut note = format!("sheet {sheet}: header row {hline}");
    if h > r0 {
        note.push_str(&format!(", title rows {} not read", rows_text(r0 + 1, h)));
    }
    if let Some(l) = hint_line {
        note.push_str(&format!(", template row {l} skipped"));
    }
    match (lines.first(), lines.last()) {
        (Some(a), Some(b)) => note.push_str(&format!(
            ", data rows {} ({} rows)",
            rows_text(*a, *b),
            lines.len()
        )),
        _ => note.push_str(", no data rows"),
    }
    let skipped = || notes.iter().chain(&totals);
    if let (Some(a), Some(b)) = (skipped().min(), skipped().max()) {
        note.push_str(&format!(", notes in rows {} not read", rows_text(*a, *b)));
    }

    let mut p = done(g, errors);
    p.key_incomplete = key_incomplete;
    p.fields = fields;
    p.cols = cols_out;
    p.lines = lines;
    p.counts = counts;
    p.warnings = warnings;
    (p, note)
}

/// Reads one cell into `col`; on error returns why and the cell's text.
fn sheet_cell(
    col: &mut Col,
    plan: &Plan,
    v: &Data,
    pct_format: bool,
    scratch: &mut String,
) -> Result<(), (Bad, String)> {
    let text = |s: &str, col: &mut Col, scratch: &mut String| -> Result<(), (Bad, String)> {
        let s = clean(s);
        if s.is_empty() {
            col.push_null();
            return if plan.required() {
                Err((Bad::Missing, String::new()))
            } else {
                Ok(())
            };
        }
        push_cell(col, plan, s, scratch).map_err(|b| {
            col.push_null();
            (b, one_line(s))
        })
    };
    match v {
        Data::Empty => text("", col, scratch),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => text(s, col, scratch),
        Data::Float(f) => match col {
            Col::Dec(out) if pct_format && f.is_finite() => {
                if plan.range.is_some_and(|r| !r.contains(*f)) {
                    out.push(f64::NAN);
                    return Err((Bad::OutOfRange, cell_text(v)));
                }
                out.push(*f + 0.0);
                Ok(())
            }
            _ => text(&num_text(*f), col, scratch),
        },
        Data::Int(i) => match col {
            Col::Dec(out) if pct_format => {
                if plan.range.is_some_and(|r| !r.contains(*i as f64)) {
                    out.push(f64::NAN);
                    return Err((Bad::OutOfRange, cell_text(v)));
                }
                out.push(*i as f64);
                Ok(())
            }
            _ => text(&i.to_string(), col, scratch),
        },
        Data::Bool(b) => match col {
            Col::Bool(out) => {
                out.push(u8::from(*b));
                Ok(())
            }
            _ => text(if *b { "TRUE" } else { "FALSE" }, col, scratch),
        },
        Data::DateTime(dt) => {
            let shown = cell_text(v);
            match col {
                Col::Year(out) if !dt.is_duration() => {
                    let y = i32::from(dt.to_ymd_hms_milli().0);
                    if (YEAR_MIN..=YEAR_MAX).contains(&y) {
                        out.push(y);
                        Ok(())
                    } else {
                        col.push_null();
                        Err((Bad::Year(YearErr::OutOfRange), shown))
                    }
                }
                Col::Text(_) | Col::Ref(_) => text(&shown, col, scratch),
                Col::Year(_) => {
                    col.push_null();
                    Err((Bad::Year(YearErr::NotYear), shown))
                }
                _ => {
                    col.push_null();
                    Err((Bad::Date, shown))
                }
            }
        }
        Data::Error(e) => {
            col.push_null();
            Err((Bad::SheetError, e.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_refs() {
        assert_eq!(col_letters(0), "A");
        assert_eq!(col_letters(25), "Z");
        assert_eq!(col_letters(26), "AA");
        assert_eq!(col_letters(27), "AB");
        assert_eq!(col_letters(701), "ZZ");
        assert_eq!(col_letters(702), "AAA");
        assert_eq!(a1(17, 3), "D17");
    }

    #[test]
    fn numbers_as_excel_shows_them() {
        assert_eq!(num_text(45.0), "45");
        assert_eq!(num_text(0.1 + 0.2), "0.3");
        assert_eq!(num_text(1234.5), "1234.5");
        assert_eq!(num_text(-0.0), "0");
        assert_eq!(num_text(5001010101.0), "5001010101");
        assert_eq!(num_text(1e20), "100000000000000000000");
        assert_eq!(num_text(0.000123), "0.000123");
    }

    #[test]
    fn notes() {
        for s in [
            "注：本表由各校填报",
            "注1. 含教学点",
            "注",
            "说明：……",
            "填表人：张三",
            "填 表 人：张三",
            "审核人：李四",
            "制表日期：2025年9月",
            "单位负责人：",
            "合计",
            "合 计",
            "全区合计",
            "总计：",
            "* 不含民办",
            "Note: excludes private schools",
        ] {
            assert!(is_note_text(s), "{s}");
        }
        for s in [
            "注册学校",
            "万州区第一小学",
            "5001010101",
            "合计学校名称很长的一所学校",
            "小学",
        ] {
            assert!(!is_note_text(s), "{s}");
        }
    }

    #[test]
    fn percent_formats() {
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("0.00%"));
        assert!(!is_percent_format("General"));
        assert!(!is_percent_format("0.00\"%\""));
        assert!(!is_percent_format("0\\%"));
        assert!(!is_percent_format("[Red]0.00"));
    }
}
