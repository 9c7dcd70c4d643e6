//! One input (a CSV file or a sheet) parsed into the columns of its table,
//! with what is needed to point at its cells in messages.

use super::build::{Col, Sink};
use super::table::InputFile;
use crate::diag::{Diag, Msg};
use crate::schema::{ColId, Schema, TableId};

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

/// Where an input's cells are, to point at them in messages: each reader
/// implements it for what it keeps of its input (`CsvOrigin` for a CSV
/// file, `SheetGrid` for a sheet). `line` is the line (CSV) or sheet row
/// (1-based) of a row, `None` for a row the input does not have; `field` a
/// cell's field (CSV, 0-based) or sheet column (0-based, absolute), `None`
/// for a column the input does not have.
pub(crate) trait Locate: std::fmt::Debug + Send + Sync {
    /// The input in messages: 文件 `学校.csv` or 工作表 `学校`.
    fn what(&self, name: &str) -> Msg;
    /// A cell in messages: "教师.csv:3" or "教师!B3".
    fn place(&self, name: &str, line: Option<u32>, field: Option<usize>) -> String;
    /// A cell's text as the file has it or the sheet shows it.
    fn written(&self, line: Option<u32>, field: Option<usize>) -> Option<String>;
    /// The sort position of an error at a cell.
    fn pos(&self, line: Option<u32>, field: Option<usize>) -> u64;
    /// Points `d` at cells `(line, field, label)`, the first being the
    /// primary one, and attaches a source that shows them.
    fn point(&self, d: Diag, marks: &[(Option<u32>, Option<usize>, Msg)]) -> Diag;
    /// The input in the report's row counts: the file, or the workbook and
    /// the sheet.
    fn input(&self, name: &str) -> String;
    /// Whether the input is a sheet of a workbook (the table's source then
    /// names it).
    fn is_sheet(&self) -> bool;
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
    pub origin: Box<dyn Locate>,
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
        self.origin.what(&self.name)
    }

    /// The line (CSV) or sheet row of loaded row `row`.
    pub fn line(&self, row: usize) -> u32 {
        self.lines.get(row).copied().unwrap_or(0)
    }

    /// Where column `col` is in the input.
    fn field(&self, col: ColId) -> Option<usize> {
        self.fields.get(col).copied().flatten()
    }

    /// A cell in messages: "教师.csv:3" or "教师!B3".
    pub fn place(&self, row: usize, col: ColId) -> String {
        let line = self.lines.get(row).copied();
        self.origin.place(&self.name, line, self.field(col))
    }

    /// A cell's text as the file has it (CSV) or the sheet shows it.
    pub fn written(&self, row: usize, col: ColId) -> Option<String> {
        let line = self.lines.get(row).copied();
        self.origin.written(line, self.field(col))
    }

    /// The sort position of an error at a cell.
    pub fn pos(&self, row: usize, col: ColId) -> u64 {
        let line = self.lines.get(row).copied();
        self.origin.pos(line, self.field(col))
    }

    /// Points `d` at cells `(row, column, label)`, the first being the
    /// primary one, and attaches a source that shows them.
    pub fn point(&self, d: Diag, marks: &[(usize, ColId, Msg)]) -> Diag {
        let marks: Vec<(Option<u32>, Option<usize>, Msg)> = marks
            .iter()
            .map(|(row, col, label)| {
                (
                    self.lines.get(*row).copied(),
                    self.field(*col),
                    label.clone(),
                )
            })
            .collect();
        self.origin.point(d, &marks)
    }
}

/// A parsed input with no rows yet.
pub(crate) fn empty_parsed(
    schema: &Schema,
    table: TableId,
    file: usize,
    name: &str,
    origin: Box<dyn Locate>,
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
        skipped_totals: Vec::new(),
        skipped_notes: Vec::new(),
    }
}
