//! Which table a sheet (or a CSV file) holds, by its name.
//!
//! A sheet named after a table (`学校`, `schools`, in any ASCII case) holds
//! it. Statistical forms often carry longer names (`学校基本情况表`,
//! `教师信息表`, `2025年班级`): a sheet whose name contains the name or an
//! alias of exactly one table, or that is a clear prefix of a table's name
//! (`school` for `schools`, at least 4 characters), holds that table too,
//! and a warning says which sheet was taken for which table. A sheet
//! named exactly wins over one matched so; two matched so for one table
//! are an error (which one is meant cannot be told); a name containing the
//! names of several tables (`学校教师`) matches none.

use super::cell::halfwidth;
use super::{file_source, fill, list_msg, or_list, table_desc};
use crate::diag::{Code, Diag, Msg};
use crate::msg::data as msg;
use crate::schema::{Schema, TableDef, TableId};

/// How a name matches the tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NameMatch {
    /// The name is a table's name or alias.
    Exact(TableId),
    /// The name contains (or is a clear prefix of) the name or alias of one
    /// table: the spelling it matched.
    Near(TableId, String),
    /// The name contains the names of several tables.
    Several(Vec<TableId>),
    None,
}

/// Full-width forms converted, ASCII lowercased, whitespace dropped.
fn norm(s: &str) -> String {
    s.chars()
        .map(halfwidth)
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Which table `name` (a sheet name, or a file name without `.csv`) holds.
pub(crate) fn match_table(schema: &Schema, name: &str) -> NameMatch {
    let trimmed = name.trim();
    if let Some(t) = schema.table_by_name_or_alias(trimmed) {
        return NameMatch::Exact(t);
    }
    let n = norm(trimmed);
    if n.is_empty() {
        return NameMatch::None;
    }
    let mut near: Vec<(TableId, String)> = Vec::new();
    for (t, def) in schema.tables.iter().enumerate() {
        for spelling in std::iter::once(&def.name).chain(&def.aliases) {
            let s = norm(spelling);
            if s.is_empty() {
                continue;
            }
            if s == n {
                return NameMatch::Exact(t);
            }
            let prefix = s.starts_with(&n) && n.chars().count() >= 4;
            if (n.contains(&s) || prefix) && !near.iter().any(|(x, _)| *x == t) {
                near.push((t, spelling.clone()));
            }
        }
    }
    match near.len() {
        0 => NameMatch::None,
        1 => near
            .pop()
            .map_or(NameMatch::None, |(t, s)| NameMatch::Near(t, s)),
        _ => NameMatch::Several(near.into_iter().map(|(t, _)| t).collect()),
    }
}

/// Which input (sheet or file) holds each table, and what is to be said
/// about the others.
#[derive(Debug, Default)]
pub(crate) struct Assignment {
    /// For each table, the input that holds it.
    pub holder: Vec<Option<usize>>,
    /// In input order for each kind: duplicates, then near matches and
    /// ambiguities by table, then inputs that hold no table.
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    /// Input `input` holds `table` by a longer name (`spelling` is in it).
    Near {
        input: usize,
        table: TableId,
        spelling: String,
    },
    /// A second input named exactly after a table another one holds.
    Duplicate {
        first: usize,
        second: usize,
        table: TableId,
    },
    /// Several inputs near-match a table no input is named after.
    Ambiguous { inputs: Vec<usize>, table: TableId },
    /// An input that holds no table.
    Unmatched { input: usize, why: Unmatched },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unmatched {
    /// Its name is like no table's.
    NoName,
    /// Its name contains the names of several tables.
    Several(Vec<TableId>),
    /// Its name is like a table's, but input `by` holds that table.
    Taken { table: TableId, by: usize },
}

/// Assigns tables to inputs by their names' matches: an exact match first
/// (in input order), else the one near match (among several, the one
/// input that is `preferred`, a visible sheet over hidden ones).
pub(crate) fn assign(
    tables: usize,
    matches: &[NameMatch],
    preferred: impl Fn(usize) -> bool,
) -> Assignment {
    let mut holder: Vec<Option<usize>> = vec![None; tables];
    let mut events = Vec::new();
    let mut used = vec![false; matches.len()];
    for (i, m) in matches.iter().enumerate() {
        if let NameMatch::Exact(t) = m
            && let Some(slot) = holder.get_mut(*t)
        {
            match slot {
                Some(first) => events.push(Event::Duplicate {
                    first: *first,
                    second: i,
                    table: *t,
                }),
                None => *slot = Some(i),
            }
            if let Some(u) = used.get_mut(i) {
                *u = true;
            }
        }
    }
    for (t, slot) in holder.iter_mut().enumerate() {
        if slot.is_some() {
            continue;
        }
        let near: Vec<(usize, &String)> = matches
            .iter()
            .enumerate()
            .filter_map(|(i, m)| match m {
                NameMatch::Near(x, s) if *x == t => Some((i, s)),
                _ => None,
            })
            .collect();
        let pick: Vec<&(usize, &String)> = if near.len() > 1 {
            near.iter().filter(|(i, _)| preferred(*i)).collect()
        } else {
            near.iter().collect()
        };
        match pick.as_slice() {
            [] if near.is_empty() => {}
            [(i, s)] => {
                *slot = Some(*i);
                if let Some(u) = used.get_mut(*i) {
                    *u = true;
                }
                events.push(Event::Near {
                    input: *i,
                    table: t,
                    spelling: (*s).clone(),
                });
            }
            _ => {
                for (i, _) in &near {
                    if let Some(u) = used.get_mut(*i) {
                        *u = true;
                    }
                }
                events.push(Event::Ambiguous {
                    inputs: near.iter().map(|(i, _)| *i).collect(),
                    table: t,
                });
            }
        }
    }
    for (i, m) in matches.iter().enumerate() {
        if used.get(i) == Some(&true) {
            continue;
        }
        let why = match m {
            NameMatch::Near(t, _) => match holder.get(*t).copied().flatten() {
                Some(by) => Unmatched::Taken { table: *t, by },
                None => Unmatched::NoName,
            },
            NameMatch::Several(ts) => Unmatched::Several(ts.clone()),
            NameMatch::Exact(_) | NameMatch::None => Unmatched::NoName,
        };
        events.push(Event::Unmatched { input: i, why });
    }
    Assignment { holder, events }
}

/// Whether a file name is a WPS Office document (`.et` spreadsheet, `.ett`
/// template, `.wps` text), which must be saved as `.xlsx` to be read.
pub(crate) fn is_wps_name(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        ["et", "ett", "wps"]
            .iter()
            .any(|w| w.eq_ignore_ascii_case(ext.trim()))
    })
}

/// The inputs whose names are matched: the files of a folder or the sheets
/// of a workbook. The messages about their names differ only in this.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Inputs<'a> {
    Files,
    Sheets { book: &'a str },
}

/// What a name-matching event reports: an error (with the input it is sorted
/// under) or a warning.
pub(crate) enum Reported {
    Error(usize, Diag),
    Warning(Diag),
}

impl Inputs<'_> {
    /// The name a diagnostic about input `name` shows as its source.
    pub fn shown(&self, name: &str) -> String {
        match self {
            Inputs::Files => name.to_string(),
            Inputs::Sheets { book } => format!("{book} {name}"),
        }
    }

    /// The names an input holding `t` may have: `` `学校.csv` `` or `` `学校` ``.
    pub fn names_for(&self, t: &TableDef) -> Msg {
        let ext = match self {
            Inputs::Files => ".csv",
            Inputs::Sheets { .. } => "",
        };
        let names: Vec<String> = t
            .aliases
            .iter()
            .chain(std::iter::once(&t.name))
            .map(|n| format!("`{n}{ext}`"))
            .collect();
        or_list(&names)
    }

    /// The diagnostic of a name-matching event, for files and sheets alike
    /// (`name_of` gives an input's name); `None` for an unmatched input,
    /// which each reader reports itself.
    pub fn report<'n>(
        &self,
        schema: &Schema,
        event: &Event,
        name_of: impl Fn(usize) -> &'n str,
    ) -> Option<Reported> {
        match event {
            Event::Duplicate {
                first,
                second,
                table,
            } => {
                let def = schema.tables.get(*table)?;
                let (a, b, t) = (name_of(*first), name_of(*second), table_desc(def));
                let (code, message, help) = match self {
                    Inputs::Files => (
                        Code::DataDuplicateFile,
                        msg::duplicate_file(a, b, &t),
                        msg::duplicate_file_help(),
                    ),
                    Inputs::Sheets { book } => (
                        Code::DataDuplicateSheet,
                        msg::duplicate_sheet(a, b, book, &t),
                        msg::duplicate_sheet_help(),
                    ),
                };
                let d = Diag::new(code, message)
                    .help(help)
                    .source(&file_source(&self.shown(b)));
                Some(Reported::Error(*second, d))
            }
            Event::Near {
                input,
                table,
                spelling,
            } => {
                let def = schema.tables.get(*table)?;
                let (name, t) = (name_of(*input), table_desc(def));
                let (message, help) = match self {
                    Inputs::Files => (
                        msg::file_matched(name, &t, spelling),
                        fill(&self.names_for(def), |n| msg::file_matched_help(&t, n)),
                    ),
                    Inputs::Sheets { book } => (
                        msg::sheet_matched(name, book, &t, spelling),
                        fill(&self.names_for(def), |n| msg::sheet_matched_help(&t, n)),
                    ),
                };
                let d = Diag::new(Code::DataNameMatched, message)
                    .help(help)
                    .source(&file_source(&self.shown(name)))
                    .warning();
                Some(Reported::Warning(d))
            }
            Event::Ambiguous { inputs, table } => {
                let def = schema.tables.get(*table)?;
                let t = table_desc(def);
                let names: Vec<String> = inputs
                    .iter()
                    .map(|i| format!("`{}`", name_of(*i)))
                    .collect();
                let first = inputs.first().copied().unwrap_or(0);
                let (message, help) = match self {
                    Inputs::Files => (
                        fill(&list_msg(&names), |f| msg::ambiguous_files(f, &t)),
                        fill(&self.names_for(def), msg::ambiguous_files_help),
                    ),
                    Inputs::Sheets { book } => (
                        fill(&list_msg(&names), |l| msg::ambiguous_sheets(l, book, &t)),
                        fill(&self.names_for(def), msg::ambiguous_sheets_help),
                    ),
                };
                let d = Diag::new(Code::DataAmbiguousName, message)
                    .help(help)
                    .source(&file_source(&self.shown(name_of(first))));
                Some(Reported::Error(first, d))
            }
            Event::Unmatched { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names() {
        let schema = crate::data::tests::schema();
        let m = |s: &str| match_table(&schema, s);
        assert_eq!(m("学校"), NameMatch::Exact(0));
        assert_eq!(m("Schools"), NameMatch::Exact(0));
        assert_eq!(m(" 教师 "), NameMatch::Exact(1));
        assert_eq!(m("学校基本情况表"), NameMatch::Near(0, "学校".into()));
        assert_eq!(m("教师信息表"), NameMatch::Near(1, "教师".into()));
        assert_eq!(m("2025年区县"), NameMatch::Near(2, "区县".into()));
        assert_eq!(m("school"), NameMatch::Near(0, "schools".into()));
        assert_eq!(m("teachers_2025"), NameMatch::Near(1, "teachers".into()));
        assert_eq!(m("学校教师"), NameMatch::Several(vec![0, 1]));
        assert_eq!(m("sch"), NameMatch::None);
        assert_eq!(m("Sheet1"), NameMatch::None);
        assert_eq!(m(""), NameMatch::None);
    }

    #[test]
    fn exact_names_win_and_near_ones_must_be_clear() {
        use NameMatch::*;
        let near = |t: usize| Near(t, String::new());
        // An exact match wins; the near one is taken by it.
        let a = assign(2, &[near(0), Exact(0), None], |_| true);
        assert_eq!(a.holder, [Some(1), Option::None]);
        assert_eq!(
            a.events,
            [
                Event::Unmatched {
                    input: 0,
                    why: Unmatched::Taken { table: 0, by: 1 }
                },
                Event::Unmatched {
                    input: 2,
                    why: Unmatched::NoName
                },
            ]
        );
        // One near match holds the table; two are ambiguous unless one is
        // preferred (visible).
        let a = assign(2, &[near(0), near(1), near(1)], |i| i != 2);
        assert_eq!(a.holder, [Some(0), Some(1)]);
        let a = assign(2, &[near(1), near(1)], |_| true);
        assert_eq!(a.holder, [Option::None, Option::None]);
        assert_eq!(
            a.events,
            [Event::Ambiguous {
                inputs: vec![0, 1],
                table: 1
            }]
        );
        // Two exact matches: the second is a duplicate.
        let a = assign(1, &[Exact(0), Exact(0)], |_| true);
        assert_eq!(
            a.events,
            [Event::Duplicate {
                first: 0,
                second: 1,
                table: 0
            }]
        );
    }

    #[test]
    fn wps_names() {
        assert!(is_wps_name("学校.et"));
        assert!(is_wps_name("报表.ET"));
        assert!(is_wps_name("报表.wps"));
        assert!(!is_wps_name("报表.xlsx"));
        assert!(!is_wps_name("set"));
    }
}
