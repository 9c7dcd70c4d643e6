//! One sheet's cells → the columns of its table, with every problem found
//! in them: the header (under title rows), a template's unit/type row,
//! typed cells read by the same parsers as CSV cells, and the notes and
//! totals below the data. `sheet.rs` finds the sheets and reads their cells.

use super::build::{Bad, Col, Plan, Sink, cell_problem, clean, push_cell};
use super::cell::{YEAR_MAX, YEAR_MIN, YearErr, num_text};
use super::grid::{Mark, SheetGrid, cell_text, col_letters, is_blank, one_line, sort_pos};
use super::header::{HeaderRow, find_column, match_header, report_header};
use super::layout::{HEADER_SCAN, is_hint_row, is_note_text, is_total_text};
use super::parsed::{Counts, Parsed, empty_parsed};
use super::{col_desc, file_source, fill, lines_list, table_desc};
use crate::diag::Code;
use crate::diag::{Diag, Msg};
use crate::msg::data as msg;
use crate::schema::{ColumnDef, Schema, TableDef, TableId};
use calamine::{Data, Range as Grid, StyleRange};
use std::borrow::Cow;

/// Whether an Excel number format shows a percentage (`0%`, `0.00%`), not
/// counting a `%` in quotes, after a backslash or in brackets.
pub(crate) fn is_percent_format(code: &str) -> bool {
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

/// A sheet's cells, and the cells whose text was longer than
/// [`CELL_CHARS`] (row, column, characters): they hold a shortened text,
/// and are reported when read.
pub(crate) struct SheetCells {
    pub grid: Grid<Data>,
    pub long: Vec<(u32, u32, usize)>,
}

/// `3–177` or `3`.
pub(crate) fn rows_text(a: u32, b: u32) -> String {
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
pub(crate) fn parse_sheet(
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
pub(crate) fn sheet_cell(
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
    fn percent_formats() {
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("0.00%"));
        assert!(!is_percent_format("General"));
        assert!(!is_percent_format("0.00\"%\""));
        assert!(!is_percent_format("0\\%"));
        assert!(!is_percent_format("[Red]0.00"));
    }
}
