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

use super::csvtext::sha256_hex;
use super::grid::{SheetGrid, a1, is_blank};
use super::layout::LISTS_SHEET;
use super::limits::{self, CELL_CHARS};
use super::names::{Event, Inputs, NameMatch, Reported, Unmatched, assign, match_table};
use super::parsed::{Parsed, empty_parsed};
use super::sheetrows::{SheetCells, parse_sheet};
use super::table::InputFile;
use super::{file_source, fill, list_msg, table_desc};
use crate::diag::Code;
use crate::diag::{Diag, did_you_mean};
use crate::msg::data as msg;
use crate::schema::{Schema, TableDef, TableId};
use calamine::{Data, Range as Grid, Reader, SheetType, SheetVisible, Sheets};
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
        let Event::Unmatched { input, why } = event else {
            continue;
        };
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
