//! The in-memory form of a submission: one columnar [`Table`] per schema table.
//!
//! Missing values are sentinels (`i64::MIN`, `NaN`, `u32::MAX`, …) so a column is
//! one flat vector the evaluator can scan without branching on `Option`.

use crate::schema::{ColId, Schema, TableId};
use std::path::PathBuf;

pub const NULL_INT: i64 = i64::MIN;
pub const NULL_YEAR: i32 = i32::MIN;
pub const NULL_ID: u32 = u32::MAX;
pub const NULL_ENUM: u16 = u16::MAX;
pub const NULL_BOOL: u8 = 2;

#[derive(Debug, Clone)]
pub enum ColumnData {
    /// `NULL_INT` when missing.
    Int(Vec<i64>),
    /// `NaN` when missing. Percent columns hold fractions (55% is 0.55).
    Dec(Vec<f64>),
    /// Dictionary-encoded text; `NULL_ID` when missing.
    Text { ids: Vec<u32>, dict: Strings },
    /// 0 false, 1 true, `NULL_BOOL` missing.
    Bool(Vec<u8>),
    /// `NULL_YEAR` when missing.
    Year(Vec<i32>),
    /// Variant index into the enum's variants; `NULL_ENUM` when missing.
    Enum(Vec<u16>),
    /// Row index in the referenced table; `NULL_ID` when missing.
    Ref(Vec<u32>),
}

impl ColumnData {
    pub fn len(&self) -> usize {
        match self {
            ColumnData::Int(v) => v.len(),
            ColumnData::Dec(v) => v.len(),
            ColumnData::Text { ids, .. } => ids.len(),
            ColumnData::Bool(v) => v.len(),
            ColumnData::Year(v) => v.len(),
            ColumnData::Enum(v) => v.len(),
            ColumnData::Ref(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text of row `row` of a text column, if present.
    pub fn text(&self, row: usize) -> Option<&str> {
        match self {
            ColumnData::Text { ids, dict } => {
                let id = *ids.get(row)?;
                dict.get(id as usize)
            }
            _ => None,
        }
    }
}

/// Distinct strings stored end to end in one buffer: no allocation per
/// string, 8 bytes of bookkeeping each (a column of 19 million teacher ids
/// would otherwise hold 19 million small heap blocks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Strings {
    text: String,
    ends: Vec<u64>,
}

impl Strings {
    /// Appends `s`; its index is the previous `len()`.
    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len() as u64);
    }

    /// Appends the strings of `other`; its string `i` becomes string
    /// `self.len() + i` (counted before the call).
    pub fn extend(&mut self, other: &Strings) {
        let shift = self.text.len() as u64;
        self.text.push_str(&other.text);
        self.ends.extend(other.ends.iter().map(|e| e + shift));
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = match i.checked_sub(1) {
            Some(p) => *self.ends.get(p)? as usize,
            None => 0,
        };
        self.text.get(start..end)
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).filter_map(move |i| self.get(i))
    }
}

/// Where a table's rows came from.
#[derive(Debug, Clone)]
pub struct TableSource {
    /// Index into [`Submission::files`].
    pub file: usize,
    /// For each row, its line in the CSV file (1-based, header is line 1) or its
    /// row number in the sheet.
    pub lines: Vec<u32>,
    /// For sheets: the sheet name, so a location reads `学校!D17`.
    pub sheet: Option<String>,
}

/// Rows of a table that reference each row of another table (a reverse index
/// in CSR form): the rows of `from` whose column `col` points at row `r` of the
/// target are `rows[offsets[r]..offsets[r + 1]]`, in ascending order.
#[derive(Debug, Clone)]
pub struct Relation {
    pub from: TableId,
    pub col: ColId,
    pub to: TableId,
    pub offsets: Vec<u32>,
    pub rows: Vec<u32>,
}

impl Relation {
    pub fn children(&self, target_row: usize) -> &[u32] {
        let (Some(&a), Some(&b)) = (
            self.offsets.get(target_row),
            self.offsets.get(target_row + 1),
        ) else {
            return &[];
        };
        self.rows.get(a as usize..b as usize).unwrap_or(&[])
    }

    /// Builds the reverse index of a reference column.
    pub fn build(
        from: TableId,
        col: ColId,
        to: TableId,
        refs: &[u32],
        target_rows: usize,
    ) -> Relation {
        let (offsets, rows) = group_by_key(
            target_rows,
            refs.len(),
            |i| refs.get(i).map_or(usize::MAX, |&r| r as usize),
            |i| i as u32,
        );
        Relation {
            from,
            col,
            to,
            offsets,
            rows,
        }
    }
}

/// A counting sort: the values `value(i)` of items `0..len` grouped by
/// `key(i)`, each group in item order. The items of key `k` are
/// `values[offsets[k]..offsets[k + 1]]`; items whose key is `n` or more are
/// left out.
pub(crate) fn group_by_key<T: Copy + Default>(
    n: usize,
    len: usize,
    key: impl Fn(usize) -> usize,
    value: impl Fn(usize) -> T,
) -> (Vec<u32>, Vec<T>) {
    let mut counts = vec![0u32; n + 1];
    for i in 0..len {
        if let Some(c) = counts.get_mut(key(i).saturating_add(1)) {
            *c += 1;
        }
    }
    let mut total = 0u32;
    for c in counts.iter_mut() {
        total += *c;
        *c = total;
    }
    let offsets = counts.clone();
    let mut fill = counts;
    let mut values = vec![T::default(); total as usize];
    for i in 0..len {
        if let Some(pos) = fill.get_mut(key(i))
            && let Some(slot) = values.get_mut(*pos as usize)
        {
            *slot = value(i);
            *pos += 1;
        }
    }
    (offsets, values)
}

#[derive(Debug, Clone)]
pub struct Table {
    pub rows: usize,
    /// One per schema column, in schema order. A column absent from the file
    /// (allowed only when optional) is all-missing.
    pub columns: Vec<ColumnData>,
    pub source: TableSource,
}

/// A file that was read, for the report's reproducibility block.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// As given or found, relative to the submission folder when possible.
    pub path: PathBuf,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// A note on how it was read ("GB18030", "rows 3–120 of sheet 学校"), if any.
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Submission {
    /// Display name (the folder or workbook name).
    pub name: String,
    pub path: PathBuf,
    pub files: Vec<InputFile>,
    /// One per schema table, indexed by `TableId`. A table with no file is empty.
    pub tables: Vec<Table>,
    /// Reverse indexes of every reference column.
    pub relations: Vec<Relation>,
    /// The distinct years found in year columns, ascending.
    pub years: Vec<i32>,
}

impl Submission {
    pub fn relation(&self, from: TableId, col: ColId) -> Option<&Relation> {
        self.relations
            .iter()
            .find(|r| r.from == from && r.col == col)
    }

    /// The year the submission reports on: the latest year in its data.
    pub fn report_year(&self) -> Option<i32> {
        self.years.last().copied()
    }

    /// "学校.csv:17" or "报表.xlsx 学校!17" for a row, for reports.
    pub fn row_location(&self, table: TableId, row: usize) -> Option<String> {
        let t = self.tables.get(table)?;
        let line = *t.source.lines.get(row)?;
        let file = self.files.get(t.source.file)?;
        let name = file
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Some(match &t.source.sheet {
            Some(sheet) => format!("{name} {sheet}!{line}"),
            None => format!("{name}:{line}"),
        })
    }

    /// An empty submission shaped like `schema` (every table with no rows).
    pub fn empty(schema: &Schema, name: &str) -> Submission {
        Submission {
            name: name.to_string(),
            path: PathBuf::new(),
            files: Vec::new(),
            tables: schema
                .tables
                .iter()
                .map(|t| Table {
                    rows: 0,
                    columns: t.columns.iter().map(|c| empty_column(c.ty)).collect(),
                    source: TableSource {
                        file: usize::MAX,
                        lines: Vec::new(),
                        sheet: None,
                    },
                })
                .collect(),
            relations: Vec::new(),
            years: Vec::new(),
        }
    }
}

pub fn empty_column(ty: crate::schema::ColType) -> ColumnData {
    use crate::schema::ColType;
    match ty {
        ColType::Int => ColumnData::Int(Vec::new()),
        ColType::Decimal => ColumnData::Dec(Vec::new()),
        ColType::Text => ColumnData::Text {
            ids: Vec::new(),
            dict: Strings::default(),
        },
        ColType::Bool => ColumnData::Bool(Vec::new()),
        ColType::Year => ColumnData::Year(Vec::new()),
        ColType::Enum(_) => ColumnData::Enum(Vec::new()),
        ColType::Ref(_) => ColumnData::Ref(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relation_groups_children_in_order() {
        let refs = [1, 0, 1, NULL_ID, 2, 1];
        let rel = Relation::build(0, 0, 1, &refs, 3);
        assert_eq!(rel.children(0), &[1]);
        assert_eq!(rel.children(1), &[0, 2, 5]);
        assert_eq!(rel.children(2), &[4]);
        assert_eq!(rel.children(3), &[] as &[u32]);
    }
}
