//! One input (a CSV file or a sheet) parsed into the columns of its table,
//! with what is needed to point at its cells in messages.

use super::build::{Col, Sink};
use super::decode::Decoded;
use super::sheet::SheetGrid;
use super::table::InputFile;
use crate::diag::{Diag, Msg, Source, source};
use crate::msg::data as msg;
use crate::schema::{ColId, TableId};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

/// How many rows an input had and what became of them.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Counts {
    /// Rows above the header (a title), not read.
    pub title: usize,
    /// Rows below the header (and below a template's unit/type row).
    pub records: usize,
    /// Empty rows, skipped.
    pub blank: usize,
    /// Notes below the data and rows of totals (合计, 小计), skipped.
    pub notes: usize,
    /// Rows reported and not loaded at all (a ragged CSV row).
    pub rejected: usize,
}

impl Counts {
    /// Adds the counts of the rows that follow.
    pub fn add(&mut self, other: Counts) {
        self.title += other.title;
        self.records += other.records;
        self.blank += other.blank;
        self.notes += other.notes;
        self.rejected += other.rejected;
    }
}

/// Where an input's text came from, to point at its cells.
#[derive(Debug)]
pub(crate) enum Origin {
    /// A CSV file: its decoded text (`None` when it could not be decoded).
    Csv {
        text: OnceLock<Option<CsvText>>,
        /// A file read from disk without keeping its text: its path and
        /// hash, to read it again when a diagnostic shows it.
        reread: Option<(PathBuf, String)>,
        line_starts: OnceLock<Vec<usize>>,
    },
    /// A sheet of a workbook.
    Sheet(Box<SheetGrid>),
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

#[derive(Debug)]
pub(crate) struct Parsed {
    pub table: TableId,
    /// Index into the submission's files.
    pub file: usize,
    /// Position of this input among the submission's inputs: errors are
    /// sorted by it, then by position within the input.
    pub order: usize,
    /// The file name (`学校.csv`) or the sheet name (`学校`).
    pub name: String,
    /// A CSV file's record for the report; `None` for sheets (the workbook
    /// has one record).
    pub input: Option<InputFile>,
    pub origin: Origin,
    /// One per schema column.
    pub cols: Vec<Col>,
    /// The line (CSV) or sheet row (1-based) of each loaded row.
    pub lines: Vec<u32>,
    /// For each schema column, its field (CSV, 0-based) or sheet column
    /// (0-based, absolute), if present.
    pub fields: Vec<Option<usize>>,
    /// Some row's key could not be read (missing key column, ragged row, bad
    /// key cell): a reference that finds no row may be an echo of that error.
    pub key_incomplete: bool,
    pub errors: Sink,
    /// Warnings met reading it (they do not stop loading).
    pub warnings: Vec<Diag>,
    pub counts: Counts,
    /// The lines of a CSV file's rows of totals (`合计`) and notes (`注：…`),
    /// skipped (counted in `counts.notes`).
    pub skipped_totals: Vec<u32>,
    pub skipped_notes: Vec<u32>,
}

impl Parsed {
    pub fn rows(&self) -> usize {
        self.lines.len()
    }

    /// The input in messages: 文件 `学校.csv` or 工作表 `学校`.
    pub fn what(&self) -> Msg {
        match self.origin {
            Origin::Csv { .. } => msg::place_file(&self.name),
            Origin::Sheet(_) => msg::place_sheet(&self.name),
        }
    }

    /// The line (CSV) or sheet row of loaded row `row`.
    pub fn line(&self, row: usize) -> u32 {
        self.lines.get(row).copied().unwrap_or(0)
    }

    /// A cell in messages: "教师.csv:3" or "教师!B3".
    pub fn place(&self, row: usize, col: ColId) -> String {
        let line = self.lines.get(row).copied().unwrap_or(0);
        match self.origin {
            Origin::Csv { .. } => format!("{}:{line}", self.name),
            Origin::Sheet(_) => match self.fields.get(col).copied().flatten() {
                Some(f) => format!("{}!{}", self.name, super::sheet::a1(line, f)),
                None => format!("{}!{line}", self.name),
            },
        }
    }

    /// A cell's text as the file has it (CSV) or the sheet shows it.
    pub fn written(&self, row: usize, col: ColId) -> Option<String> {
        match &self.origin {
            Origin::Csv { .. } => {
                let span = self.cell_span(row, col);
                let b = self.csv_bytes().get(span)?;
                std::str::from_utf8(b).ok().map(str::to_string)
            }
            Origin::Sheet(g) => {
                let line = *self.lines.get(row)?;
                let f = (*self.fields.get(col)?)?;
                g.text_at(line.checked_sub(1)?, f)
            }
        }
    }

    /// The sort position of an error at a cell.
    pub fn pos(&self, row: usize, col: ColId) -> u64 {
        match &self.origin {
            Origin::Csv { .. } => self.cell_span(row, col).start as u64,
            Origin::Sheet(_) => {
                let line = u64::from(self.lines.get(row).copied().unwrap_or(0));
                let f = self.fields.get(col).copied().flatten().unwrap_or(0) as u64;
                super::sheet::sort_pos(line, f)
            }
        }
    }

    /// Points `d` at cells `(row, column, label)`, the first being the
    /// primary one, and attaches a source that shows them.
    pub fn point(&self, d: Diag, marks: &[(usize, ColId, Msg)]) -> Diag {
        match &self.origin {
            Origin::Csv { .. } => {
                let mut d = d;
                for (row, col, label) in marks {
                    d = d.label(self.cell_span(*row, *col), label.clone());
                }
                match self.csv_source() {
                    Some(s) => d.source(s),
                    None => d,
                }
            }
            Origin::Sheet(grid) => {
                let marks: Vec<(u32, Option<usize>, Msg)> = marks
                    .iter()
                    .map(|(row, col, label)| {
                        (
                            self.lines.get(*row).copied().unwrap_or(0),
                            self.fields.get(*col).copied().flatten(),
                            label.clone(),
                        )
                    })
                    .collect();
                grid.point(d, &marks)
            }
        }
    }

    /// A CSV file's text: read again from disk if it was not kept (and
    /// only if the file is unchanged).
    pub fn csv_text(&self) -> Option<&CsvText> {
        let Origin::Csv { text, reread, .. } = &self.origin else {
            return None;
        };
        text.get_or_init(|| {
            let (path, sha256) = reread.as_ref()?;
            let bytes = std::fs::read(path).ok()?;
            if super::csvfile::sha256_hex(&bytes) != *sha256 {
                return None;
            }
            let decoded = super::decode::decode(bytes).ok()?;
            Some(CsvText::new(&self.name, decoded))
        })
        .as_ref()
    }

    /// A CSV file's text as a diagnostic's source.
    pub fn csv_source(&self) -> Option<&Source> {
        self.csv_text().map(CsvText::source)
    }

    fn csv_bytes(&self) -> &[u8] {
        self.csv_text().map_or(&[], CsvText::bytes)
    }

    /// The span of line `line` (1-based) of a CSV file, without its end.
    pub fn line_span(&self, line: u32) -> Range<usize> {
        let text = self.csv_bytes();
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

    /// Where each line of a CSV file's text starts.
    fn line_starts(&self) -> &[usize] {
        let Origin::Csv { line_starts, .. } = &self.origin else {
            return &[];
        };
        let text = self.csv_bytes();
        line_starts.get_or_init(|| {
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

    /// The span of the (trimmed) cell of `col` in row `row` of a CSV file,
    /// or of the start of the row's line if the column is not in the file.
    pub fn cell_span(&self, row: usize, col: ColId) -> Range<usize> {
        if !matches!(self.origin, Origin::Csv { .. }) {
            return 0..0;
        }
        let text = self.csv_bytes();
        let starts = self.line_starts();
        let line = self.lines.get(row).copied().unwrap_or(1) as usize;
        let start = starts.get(line.saturating_sub(1)).copied().unwrap_or(0);
        match self.fields.get(col).copied().flatten() {
            Some(f) => super::csvfile::field_span(text, start, f),
            None => start..start,
        }
    }
}
