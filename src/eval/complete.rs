//! Whether a submission can support a verdict: every table the rules read
//! is there with rows, the year table holds the report year, and every file
//! or sheet given was matched to a table. A submission that is not complete
//! is never reported as passing (see `report::Verdict`).

use crate::data::Submission;
use crate::diag::{Code, Diag};
use crate::pack::ir::{self, Expr, RowSet, Scope};
use crate::pack::{RulePack, Template};
use crate::schema::TableId;
use std::collections::BTreeSet;

/// What a submission lacks for a rule pack. Empty when complete.
#[derive(Debug, Clone, Default)]
pub struct Completeness {
    /// Tables the rules read that no file or sheet holds.
    pub missing: Vec<TableId>,
    /// Tables the rules read whose file or sheet has no data rows.
    pub empty: Vec<TableId>,
    /// Files and sheets that matched no table (their load warnings).
    pub unmatched: Vec<Diag>,
    /// The report year the submission is for, when it is known from outside
    /// the data (`--year`, or a year in the submission's name), and the data
    /// does not end with it: (year, where it came from).
    pub year_mismatch: Option<(i32, YearSource)>,
    /// The data has no year at all, though rules read a year table.
    pub no_year: bool,
}

/// Where an expected report year came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearSource {
    /// `dudao check --year Y`.
    Option,
    /// A year in the submission's folder or workbook name (`wanzhou-2025`).
    Name,
}

impl Completeness {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
            && self.empty.is_empty()
            && self.unmatched.is_empty()
            && self.year_mismatch.is_none()
            && !self.no_year
    }
}

/// The load warnings that mean an input was not matched to a table.
pub fn is_unmatched_input(d: &Diag) -> bool {
    matches!(d.code, Code::DataUnknownFile | Code::DataUnknownSheet)
}

/// The tables each rule reads (its scope, conditions, assertion, message,
/// and the metrics it uses, transitively), by rule index.
pub fn tables_read(pack: &RulePack) -> Vec<BTreeSet<TableId>> {
    pack.rules
        .iter()
        .map(|rule| {
            let mut t = Tables {
                pack,
                out: BTreeSet::new(),
                metrics: BTreeSet::new(),
                row_metrics: BTreeSet::new(),
            };
            match rule.scope {
                Scope::Row(table) | Scope::Group(table, _) => {
                    t.out.insert(table);
                }
                Scope::Year | Scope::Submission => {}
            }
            let a = &rule.assert;
            let mut exprs: Vec<&Expr> = vec![&a.expr];
            exprs.extend(rule.when.as_ref());
            for d in &a.display {
                exprs.extend([&d.cmp, &d.lhs.0, &d.rhs.0]);
                exprs.extend(d.parts.iter().map(|p| &p.0));
            }
            exprs.extend(a.conditions.iter().map(|c| &c.0));
            for m in &rule.message {
                if let Template::Expr(e, _) = m {
                    exprs.push(e);
                }
            }
            for e in exprs {
                t.expr(e);
            }
            t.out
        })
        .collect()
}

struct Tables<'a> {
    pack: &'a RulePack,
    out: BTreeSet<TableId>,
    metrics: BTreeSet<usize>,
    row_metrics: BTreeSet<usize>,
}

impl Tables<'_> {
    fn expr(&mut self, e: &Expr) {
        let mut metrics = Vec::new();
        let mut row_metrics = Vec::new();
        ir::visit(e, &mut |x| match x {
            Expr::Col { table, path, .. } => {
                self.out.insert(*table);
                self.out.extend(path.iter().map(|h| h.table));
            }
            Expr::YearFact { table, .. } => {
                self.out.insert(*table);
            }
            Expr::RowMetric { id, path, .. } => {
                self.out.extend(path.iter().map(|h| h.table));
                row_metrics.push(*id);
            }
            Expr::Metric(id) => metrics.push(*id),
            Expr::Agg(a) => {
                self.out.insert(a.rows.table());
                if let RowSet::Related { path, .. } = &a.rows {
                    self.out.extend(path.iter().map(|h| h.table));
                }
            }
            _ => {}
        });
        for id in metrics {
            if self.metrics.insert(id)
                && let Some(m) = self.pack.metrics.get(id)
            {
                self.expr(&m.expr);
            }
        }
        for id in row_metrics {
            if self.row_metrics.insert(id)
                && let Some(m) = self.pack.row_metrics.get(id)
            {
                self.out.insert(m.table);
                self.expr(&m.expr);
            }
        }
    }
}

/// A year in the last component of a submission's path, when there is
/// exactly one (`wanzhou-2025`, `万州区2025年报表.xlsx`; not `20250901`,
/// not `2021-2025`).
pub fn year_in_name(name: &str) -> Option<i32> {
    let chars: Vec<char> = name.chars().collect();
    let mut found: Option<i32> = None;
    let mut i = 0;
    while i < chars.len() {
        if !chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
            continue;
        }
        let start = i;
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
        if i - start == 4 {
            let s: String = chars.get(start..i).unwrap_or_default().iter().collect();
            if let Ok(y) = s.parse::<i32>()
                && (1990..=2100).contains(&y)
            {
                if found.is_some() {
                    return None;
                }
                found = Some(y);
            }
        }
    }
    found
}

/// Checks a loaded submission against what the pack's rules read.
/// `expected_year` is the report year given on the command line, if any;
/// without it, a year in the submission's name is taken as the one it is for.
pub fn assess(
    pack: &RulePack,
    sub: &Submission,
    warnings: &[Diag],
    expected_year: Option<i32>,
) -> Completeness {
    let read: BTreeSet<TableId> = tables_read(pack).into_iter().flatten().collect();
    let mut c = Completeness::default();
    for &t in &read {
        let Some(table) = sub.tables.get(t) else {
            c.missing.push(t);
            continue;
        };
        if table.source.file == usize::MAX {
            c.missing.push(t);
        } else if table.rows == 0 {
            c.empty.push(t);
        }
    }
    c.unmatched = warnings
        .iter()
        .filter(|d| is_unmatched_input(d))
        .cloned()
        .collect();
    let reads_years = read.iter().any(|t| {
        pack.schema
            .tables
            .get(*t)
            .is_some_and(|d| d.year_col.is_some())
    });
    let latest = sub.report_year();
    if reads_years && latest.is_none() {
        c.no_year = true;
    }
    let expected = match expected_year {
        Some(y) => Some((y, YearSource::Option)),
        None => year_in_name(&sub.name).map(|y| (y, YearSource::Name)),
    };
    if let (Some((y, src)), Some(l)) = (expected, latest)
        && y != l
    {
        c.year_mismatch = Some((y, src));
    }
    c
}

#[cfg(test)]
mod tests {
    use super::year_in_name;

    #[test]
    fn years_in_names() {
        assert_eq!(year_in_name("wanzhou-2025"), Some(2025));
        assert_eq!(year_in_name("万州区2025年报表.xlsx"), Some(2025));
        assert_eq!(year_in_name("2025"), Some(2025));
        assert_eq!(year_in_name("20250901"), None);
        assert_eq!(year_in_name("2021-2025"), None);
        assert_eq!(year_in_name("violations"), None);
        assert_eq!(year_in_name("区县1234"), None);
    }
}
