//! The cells of one sheet as the reader keeps them, to point at: A1 names
//! (`学校!D17`), what a cell shows, and the rendering of the rows around
//! an error that a diagnostic shows. The sheet reader's [`Locate`].

use super::build::clean;
use super::cell::num_text;
use super::parsed::Locate;
use crate::diag::{Diag, Msg, source};
use crate::msg::data as msg;
use calamine::{Data, Range as Grid};
use std::collections::BTreeMap;
use unicode_width::UnicodeWidthStr;

/// Column letters: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub(crate) fn col_letters(col: usize) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A cell in A1 notation: row `line` (1-based), column `col` (0-based).
pub(crate) fn a1(line: u32, col: usize) -> String {
    format!("{}{line}", col_letters(col))
}

/// The sort position of an error at a sheet cell.
pub(crate) fn sort_pos(line: u64, col: u64) -> u64 {
    (line << 16) | col.min(0xFFFF)
}

/// What a cell shows, on one line (for messages and snippets).
pub(crate) fn cell_text(v: &Data) -> String {
    match v {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => one_line(s),
        Data::Float(f) => num_text(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(true) => "TRUE".to_string(),
        Data::Bool(false) => "FALSE".to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            if dt.is_duration() {
                let h = (dt.as_f64() * 24.0).floor();
                format!("{h}:{mm:02}:{ss:02}")
            } else if (hh, mm, ss) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
            }
        }
        Data::Error(e) => e.to_string(),
    }
}

pub(crate) fn one_line(s: &str) -> String {
    if s.contains(['\n', '\r', '\t']) {
        s.replace("\r\n", "↵")
            .replace(['\n', '\r'], "↵")
            .replace('\t', " ")
    } else {
        s.to_string()
    }
}

pub(crate) fn is_blank(v: &Data) -> bool {
    match v {
        Data::Empty => true,
        Data::String(s) => clean(s).is_empty(),
        _ => false,
    }
}

/// One sheet's cells, kept to render the rows an error points at.
#[derive(Debug)]
pub(crate) struct SheetGrid {
    /// The workbook's file name.
    pub book: String,
    pub sheet: String,
    pub grid: Grid<Data>,
}

/// What a mark in a snippet covers.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Mark {
    /// A cell (0-based absolute column).
    Cell(usize),
    /// The whole row.
    Row,
    /// The start of the row (a column the sheet does not have).
    Start,
}

impl SheetGrid {
    pub fn new(book: &str, sheet: &str, grid: Grid<Data>) -> SheetGrid {
        SheetGrid {
            book: book.to_string(),
            sheet: sheet.to_string(),
            grid,
        }
    }

    /// The cell at 0-based absolute (row, column).
    pub fn get(&self, row: u32, col: usize) -> Option<&Data> {
        let col = u32::try_from(col).ok()?;
        self.grid.get_value((row, col))
    }

    /// What the cell at 0-based absolute (row, column) shows.
    pub fn text_at(&self, row: u32, col: usize) -> Option<String> {
        self.get(row, col).map(cell_text)
    }

    /// The absolute column range of the sheet's cells.
    fn cols(&self) -> std::ops::Range<usize> {
        match (self.grid.start(), self.grid.end()) {
            (Some((_, a)), Some((_, b))) => a as usize..b as usize + 1,
            _ => 0..0,
        }
    }

    /// The 1-based line of the last row.
    fn last_line(&self) -> u32 {
        self.grid.end().map_or(0, |(r, _)| r + 1)
    }

    /// Points `d` at `(line, mark, label)`s (the first is primary) with a
    /// source rendering the rows around them; the source is named
    /// `book.xlsx 学校!D17` after the primary mark.
    pub fn point_at(&self, d: Diag, marks: &[(u32, Option<usize>, Msg)]) -> Diag {
        let marks: Vec<(u32, Mark, Msg)> = marks
            .iter()
            .map(|(line, col, label)| (*line, col.map_or(Mark::Start, Mark::Cell), label.clone()))
            .collect();
        self.point_marks(d, &marks)
    }

    pub fn point_marks(&self, d: Diag, marks: &[(u32, Mark, Msg)]) -> Diag {
        let Some((first_line, first_mark, _)) = marks.first() else {
            return d;
        };
        let cols = self.cols();
        let place = match first_mark {
            Mark::Cell(c) => a1(*first_line, *c),
            Mark::Row | Mark::Start => a1(*first_line, cols.start),
        };
        let name = format!("{} {}!{place}", self.book, self.sheet);
        // The rows shown: each marked row and its neighbours.
        let last = self.last_line().max(1);
        let mut shown: BTreeMap<u32, ()> = BTreeMap::new();
        for (line, _, _) in marks {
            let line = (*line).clamp(1, last);
            for l in line.saturating_sub(1).max(1)..=(line + 1).min(last) {
                shown.insert(l, ());
            }
        }
        // Column widths over the shown rows; a very long cell (a title)
        // overflows instead of widening its column.
        let mut widths: BTreeMap<usize, usize> = BTreeMap::new();
        let mut texts: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        for &l in shown.keys() {
            // Up to the last non-empty or marked cell: no trail of separators.
            let marked = marks
                .iter()
                .filter(|(ml, _, _)| *ml == l)
                .filter_map(|(_, m, _)| match m {
                    Mark::Cell(c) => Some(*c),
                    _ => None,
                })
                .max();
            let filled = cols
                .clone()
                .rev()
                .find(|&c| self.get(l - 1, c).is_some_and(|v| !is_blank(v)));
            let last = match (filled, marked) {
                (Some(a), Some(b)) => a.max(b),
                (a, b) => a.or(b).unwrap_or(0),
            };
            let row: Vec<String> = if filled.is_none() && marked.is_none() {
                Vec::new()
            } else {
                cols.clone()
                    .take_while(|&c| c <= last)
                    .map(|c| self.get(l - 1, c).map(cell_text).unwrap_or_default())
                    .collect()
            };
            // A row of one cell (a title, a note) does not set widths.
            if row.iter().filter(|t| !t.is_empty()).count() > 1 {
                for (c, t) in cols.clone().zip(&row) {
                    let w = widths.entry(c).or_insert(0);
                    *w = (*w).max(t.width().min(24));
                }
            }
            texts.insert(l, row);
        }
        let max_line = shown.keys().next_back().copied().unwrap_or(1);
        let mut text = String::new();
        // (line, column) → span of the cell; line → span of the row.
        let mut cell_spans: BTreeMap<(u32, usize), std::ops::Range<usize>> = BTreeMap::new();
        let mut row_spans: BTreeMap<u32, std::ops::Range<usize>> = BTreeMap::new();
        for l in 1..=max_line {
            if l > 1 {
                text.push('\n');
            }
            let Some(row) = texts.get(&l) else { continue };
            let row_start = text.len();
            for (k, (c, t)) in cols.clone().zip(row).enumerate() {
                if k > 0 {
                    text.push_str(" │ ");
                }
                let start = text.len();
                text.push_str(t);
                cell_spans.insert((l, c), start..text.len());
                let pad = widths
                    .get(&c)
                    .copied()
                    .unwrap_or(0)
                    .saturating_sub(t.width());
                if k + 1 < row.len() {
                    text.extend(std::iter::repeat_n(' ', pad));
                }
            }
            let end = text.trim_end().len().max(row_start);
            row_spans.insert(l, row_start..end);
        }
        let src = source(name, text);
        let mut d = d;
        for (line, mark, label) in marks {
            let line = (*line).clamp(1, last);
            let row = row_spans.get(&line).cloned().unwrap_or(0..0);
            let span = match mark {
                Mark::Cell(c) => cell_spans
                    .get(&(line, *c))
                    .cloned()
                    .unwrap_or(row.end..row.end),
                Mark::Row => row,
                Mark::Start => row.start..row.start,
            };
            d = d.label(span, label.clone());
        }
        d.source(&src)
    }
}

impl Locate for SheetGrid {
    fn what(&self, name: &str) -> Msg {
        msg::place_sheet(name)
    }

    fn place(&self, name: &str, line: Option<u32>, field: Option<usize>) -> String {
        let line = line.unwrap_or(0);
        match field {
            Some(f) => format!("{name}!{}", a1(line, f)),
            None => format!("{name}!{line}"),
        }
    }

    fn written(&self, line: Option<u32>, field: Option<usize>) -> Option<String> {
        self.text_at(line?.checked_sub(1)?, field?)
    }

    fn pos(&self, line: Option<u32>, field: Option<usize>) -> u64 {
        sort_pos(u64::from(line.unwrap_or(0)), field.unwrap_or(0) as u64)
    }

    fn point(&self, d: Diag, marks: &[(Option<u32>, Option<usize>, Msg)]) -> Diag {
        let marks: Vec<(u32, Option<usize>, Msg)> = marks
            .iter()
            .map(|(line, field, label)| (line.unwrap_or(0), *field, label.clone()))
            .collect();
        self.point_at(d, &marks)
    }

    fn input(&self, _name: &str) -> String {
        format!("{} {}", self.book, self.sheet)
    }

    fn is_sheet(&self) -> bool {
        true
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
}
