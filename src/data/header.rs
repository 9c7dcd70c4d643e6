//! A header row, whatever reads it: matching its cells to the table's
//! columns (names, aliases, a unit in brackets, full-width forms), finding
//! the header under a title, and one reporter of what is wrong with it for
//! CSV files and sheets alike ([`report_header`]; each reader says where
//! its header cells are by implementing [`HeaderRow`]).

use super::build::{Sink, abbreviate, clean, quoted};
use super::cell::halfwidth;
use super::{col_desc, fill, or_list, table_desc};
use crate::diag::{Code, Diag, Msg, did_you_mean};
use crate::msg::data as msg;
use crate::schema::{ColId, ColumnDef, TableDef};

/// Where the cells of a header row are, to point at them: each reader
/// implements it. A mark is a header cell (`Some(field)`) or the whole
/// row (`None`); the first mark is the primary one.
pub(crate) trait HeaderRow {
    /// Points an error at marks.
    fn point(&self, d: Diag, marks: &[(Option<usize>, Msg)]) -> Diag;
    /// Points a warning at marks (and gives it the source it shows).
    fn point_warning(&self, d: Diag, marks: &[(Option<usize>, Msg)]) -> Diag;
    /// The sort position of an error at a header cell or the row.
    fn pos(&self, field: Option<usize>) -> u64;
    /// A header cell's text as messages quote it.
    fn shown<'h>(&self, text: &'h str) -> std::borrow::Cow<'h, str>;
    /// The message that the serial-number column at `field` is skipped.
    fn serial(&self, field: usize, text: &str) -> Msg;
}

/// What the header's problems leave for reading the rows.
pub(crate) struct HeaderReport {
    /// Fields without a header (and whether data under one was reported).
    pub unnamed: Vec<(usize, bool)>,
    /// A key column is missing or misspelled: rows cannot be told apart.
    pub key_incomplete: bool,
}

/// Reports the problems [`match_header`] found in the header of an input
/// (`place`: 文件 `学校.csv` or 工作表 `学校`): errors into `errors`,
/// warnings (skipped serial-number columns) into `warnings`.
pub(crate) fn report_header(
    def: &TableDef,
    problems: Vec<HeaderProblem>,
    place: &Msg,
    row: &impl HeaderRow,
    errors: &mut Sink,
    warnings: &mut Vec<Diag>,
) -> HeaderReport {
    let mut out = HeaderReport {
        unnamed: Vec::new(),
        key_incomplete: false,
    };
    for problem in problems {
        match problem {
            HeaderProblem::Unnamed { field } => out.unnamed.push((field, false)),
            HeaderProblem::Duplicate { col, field, first } => {
                let Some(cd) = def.columns.get(col) else {
                    continue;
                };
                errors.report_at(row.pos(Some(field)), || {
                    row.point(
                        duplicate_column(cd, place),
                        &[
                            (Some(field), msg::second_time()),
                            (Some(first), msg::first_here()),
                        ],
                    )
                });
            }
            HeaderProblem::Unknown {
                field,
                text,
                missing,
            } => {
                out.key_incomplete |= missing.is_some_and(|(_, key)| key);
                errors.report_at(row.pos(Some(field)), || {
                    let (d, label) = unknown_column(def, &row.shown(text), place);
                    row.point(d, &[(Some(field), label)])
                });
            }
            HeaderProblem::Missing { col, key } => {
                out.key_incomplete |= key;
                let Some(cd) = def.columns.get(col) else {
                    continue;
                };
                errors.report_at(row.pos(None), || {
                    row.point(missing_column(cd, key, place), &[(None, msg::header_row())])
                });
            }
            HeaderProblem::Serial { field, text } => {
                let d = Diag::new(Code::DataSkippedColumn, row.serial(field, text)).warning();
                warnings.push(row.point_warning(d, &[(Some(field), msg::serial_label())]));
            }
        }
    }
    out
}

pub(crate) fn column_list(def: &TableDef) -> String {
    let labels: Vec<&str> = def.columns.iter().map(ColumnDef::label).collect();
    abbreviate(&labels, 16)
}

/// Finds a column by header: name or alias; then ignoring ASCII case,
/// full-width forms and whitespace inside the header (`在校\n生数`); then
/// without a bracketed unit that is the column's own (`在校生数（人）`,
/// `占地面积(m²)`).
pub(crate) fn find_column(def: &TableDef, h: &str) -> Option<ColId> {
    def.column_by_header(h).or_else(|| {
        let h: String = h
            .chars()
            .map(halfwidth)
            .filter(|c| !c.is_whitespace())
            .collect();
        let by_name = |h: &str| {
            def.columns.iter().position(|c| {
                c.name.eq_ignore_ascii_case(h)
                    || c.aliases.iter().any(|a| a.eq_ignore_ascii_case(h))
            })
        };
        by_name(&h).or_else(|| {
            let (base, unit) = split_unit(&h)?;
            let c = by_name(base)?;
            let cd = def.columns.get(c)?;
            unit_matches(cd, unit).then_some(c)
        })
    })
}

/// `在校生数(人)` → (`在校生数`, `人`), after full-width brackets were
/// converted.
fn split_unit(h: &str) -> Option<(&str, &str)> {
    let inner = h.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let (base, unit) = inner.split_at(open);
    Some((base, unit.get(1..)?))
}

/// Whether a unit written in a header is the column's unit.
fn unit_matches(cd: &ColumnDef, unit: &str) -> bool {
    if cd.percent {
        return unit == "%";
    }
    let own = cd.unit.to_string();
    let norm = |u: &str| {
        u.replace("平方米", "m²")
            .replace('㎡', "m²")
            .replace("m2", "m²")
    };
    !own.is_empty() && norm(unit) == norm(&own)
}

/// The spelling of a column that an unknown header most likely means, and
/// the header without a bracketed unit.
fn suggest_column<'d>(def: &'d TableDef, h: &str) -> (String, Option<&'d str>) {
    let candidates = def
        .columns
        .iter()
        .flat_map(|c| std::iter::once(&c.name).chain(&c.aliases));
    let stripped: String = h.chars().map(halfwidth).collect();
    let base = split_unit(stripped.trim())
        .map(|(b, _)| b.to_string())
        .unwrap_or_else(|| h.to_string());
    let suggestion = did_you_mean(&base, candidates.map(String::as_str));
    (base, suggestion)
}

/// The "did you mean" or list-the-columns help for an unknown header.
pub(crate) fn unknown_column_help(def: &TableDef, h: &str) -> Msg {
    let (base, suggestion) = suggest_column(def, h);
    match suggestion {
        Some(s) => {
            let unit = def
                .column_by_header(s)
                .and_then(|c| def.columns.get(c))
                .map(|cd| {
                    if cd.percent {
                        "%".to_string()
                    } else {
                        cd.unit.to_string()
                    }
                })
                .filter(|u| !u.is_empty());
            match unit {
                Some(u) if base != h => msg::did_you_mean_unit(s, &u),
                _ => msg::did_you_mean(s),
            }
        }
        None => msg::columns_are(&table_desc(def), &column_list(def)),
    }
}

/// Matches header cells `(field, text)` to the table's columns, filling
/// `fields` (one per schema column). Returns the problems found, in field
/// order, then the missing columns in schema order.
pub(crate) fn match_header<'h>(
    def: &TableDef,
    cells: impl Iterator<Item = (usize, &'h str)>,
    fields: &mut [Option<usize>],
) -> Vec<HeaderProblem<'h>> {
    let mut out = Vec::new();
    for (i, raw) in cells {
        let h = raw.trim_matches(|c: char| c == '\u{FEFF}' || c.is_whitespace());
        if h.is_empty() {
            out.push(HeaderProblem::Unnamed { field: i });
            continue;
        }
        match find_column(def, h) {
            Some(c) => match fields.get(c).copied().flatten() {
                Some(first) => out.push(HeaderProblem::Duplicate {
                    col: c,
                    field: i,
                    first,
                }),
                None => {
                    if let Some(f) = fields.get_mut(c) {
                        *f = Some(i);
                    }
                }
            },
            None if is_serial_header(h) => out.push(HeaderProblem::Serial { field: i, text: h }),
            None => out.push(HeaderProblem::Unknown {
                field: i,
                text: h,
                missing: None,
            }),
        }
    }
    for (c, cd) in def.columns.iter().enumerate() {
        let key = def.key.contains(&c);
        if fields.get(c).copied().flatten().is_some() || (!key && cd.optional) {
            continue;
        }
        // A misspelled header of a required column is one mistake: it is
        // reported once, as the unknown header whose help names the column.
        let misspelled = out.iter_mut().find_map(|p| match p {
            HeaderProblem::Unknown {
                text,
                missing: m @ None,
                ..
            } => {
                let (_, s) = suggest_column(def, text);
                (s.and_then(|s| def.column_by_header(s)) == Some(c)).then_some(m)
            }
            _ => None,
        });
        match misspelled {
            Some(m) => *m = Some((c, key)),
            None => out.push(HeaderProblem::Missing { col: c, key }),
        }
    }
    out
}

/// What can be wrong with a header.
#[derive(Debug)]
pub(crate) enum HeaderProblem<'h> {
    /// An empty header cell (an error only if its column holds data).
    Unnamed { field: usize },
    /// A second header for column `col`.
    Duplicate {
        col: ColId,
        field: usize,
        first: usize,
    },
    Unknown {
        field: usize,
        text: &'h str,
        /// The required column it most likely misspells, which no header
        /// names (and whether it is a key column): not reported again.
        missing: Option<(ColId, bool)>,
    },
    /// A required (or key) column no header names.
    Missing { col: ColId, key: bool },
    /// A column that only numbers the rows (`序号`), skipped.
    Serial { field: usize, text: &'h str },
}

/// Whether a header names a column that only numbers the rows, as WPS and
/// statistical forms add: `序号`, `行号`, `No.`, `#` (after full-width forms
/// and spaces). A schema column of that name is matched first.
pub(crate) fn is_serial_header(h: &str) -> bool {
    let t: String = h
        .chars()
        .map(halfwidth)
        .filter(|c| !c.is_whitespace())
        .collect();
    let t = t.trim_end_matches('.').to_ascii_lowercase();
    matches!(t.as_str(), "序号" | "行号" | "序" | "no" | "#")
}

/// How many of a row's non-empty cells there are, and how many name a
/// column of `def`: the header is the row in which most of them do.
pub(crate) fn header_score<'c>(
    def: &TableDef,
    cells: impl Iterator<Item = &'c str>,
) -> (usize, usize) {
    let (mut nonempty, mut matched) = (0usize, 0usize);
    for c in cells {
        let c = clean(c);
        if c.is_empty() {
            continue;
        }
        nonempty += 1;
        if find_column(def, c).is_some() {
            matched += 1;
        }
    }
    (nonempty, matched)
}

/// Whether the row with `score` (non-empty cells, cells naming columns) is
/// clearly `def`'s header: at least two cells (one for a one-column table)
/// name columns, and they are most of its cells.
pub(crate) fn is_header_score(def: &TableDef, (nonempty, matched): (usize, usize)) -> bool {
    matched >= def.columns.len().clamp(1, 2) && matched * 2 > nonempty
}

/// `column … appears twice in PLACE` (PLACE: 文件 `学校.csv`, 工作表 `学校`).
pub(crate) fn duplicate_column(cd: &ColumnDef, place: &Msg) -> Diag {
    Diag::new(
        Code::DataDuplicateColumn,
        fill(place, |p| msg::duplicate_column(&col_desc(cd), p)),
    )
    .help(msg::duplicate_column_help())
}

pub(crate) fn unknown_column(def: &TableDef, h: &str, place: &Msg) -> (Diag, Msg) {
    let h = &*quoted(h);
    (
        Diag::new(
            Code::DataUnknownColumn,
            fill(place, |p| msg::unknown_column(h, p)),
        )
        .help(unknown_column_help(def, h)),
        msg::unknown_column_label(&table_desc(def)),
    )
}

pub(crate) fn missing_column(cd: &ColumnDef, key: bool, place: &Msg) -> Diag {
    let spellings: Vec<String> = std::iter::once(&cd.name)
        .chain(&cd.aliases)
        .map(|s| format!("`{s}`"))
        .collect();
    let col = col_desc(cd);
    let message = if key {
        fill(place, |p| msg::missing_key_column(&col, p))
    } else {
        fill(place, |p| msg::missing_column(&col, p))
    };
    Diag::new(Code::DataMissingColumn, message)
        .help(fill(&or_list(&spellings), msg::missing_column_help))
}
