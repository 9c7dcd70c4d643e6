//! The summary of a batch (`dudao check A B C`): one row per submission,
//! ranked so that the submissions with the most binding failures come first;
//! the labels that tell the submissions apart; the batch's exit code.

use super::format::{format_decimal, one_line, pad_left, pad_right, truncate, width};
use super::{Checked, Verdict};
use crate::diag::Lang;
use crate::msg::report as m;
use std::cmp::Ordering;
use std::path::{Component, Path, PathBuf};

/// One submission of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRow {
    /// The submission's label, unique in the batch (see [`labels`]).
    pub name: String,
    pub report_year: Option<i32>,
    /// The verdict; `None` when the submission could not be loaded.
    pub verdict: Option<Verdict>,
    pub binding_failures: usize,
    pub expected_failures: usize,
    /// Rules with at least one binding failure.
    pub binding_rules: usize,
    pub not_evaluable: usize,
    pub checks: usize,
    /// Set when the submission could not be loaded; the counts are then 0.
    pub load_error: Option<String>,
}

impl BatchRow {
    /// The row of a submission that was loaded (checked or not).
    pub fn from_checked(label: &str, c: &Checked) -> BatchRow {
        let t = c.totals();
        BatchRow {
            name: label.to_string(),
            report_year: c.sub.report_year(),
            verdict: Some(c.verdict()),
            binding_failures: t.binding_failures,
            expected_failures: t.expected_failures,
            binding_rules: t.binding_rules,
            not_evaluable: t.not_evaluable,
            checks: t.checks,
            load_error: None,
        }
    }

    /// The row of a submission that could not be loaded.
    pub fn failed(label: &str, error: impl Into<String>) -> BatchRow {
        BatchRow {
            name: label.to_string(),
            report_year: None,
            verdict: None,
            binding_failures: 0,
            expected_failures: 0,
            binding_rules: 0,
            not_evaluable: 0,
            checks: 0,
            load_error: Some(error.into()),
        }
    }

    /// The exit code of this submission alone: its verdict's, or 2 when it
    /// could not be loaded.
    pub fn exit_code(&self) -> u8 {
        self.verdict.map_or(2, Verdict::exit_code)
    }
}

/// The exit code of a batch: the most serious of its submissions', in the
/// order 2 (a submission could not be loaded) > 1 (binding failures) > 3
/// (incomplete data or no verdict) > 0 (pass). A known failure outranks an
/// unknown; an empty batch is 0.
pub fn batch_exit_code(codes: impl IntoIterator<Item = u8>) -> u8 {
    let rank = |c: u8| match c {
        0 => 0,
        3 => 1,
        1 => 2,
        _ => 3,
    };
    codes.into_iter().max_by_key(|c| rank(*c)).unwrap_or(0)
}

/// Labels that tell the submissions of a batch apart: each path relative to
/// the deepest folder that holds them all (`a/2025`, `b/2025` — not `2025`
/// twice). A single submission is labelled by its own name. Paths given
/// twice get `#2`, `#3`.
pub fn labels(paths: &[PathBuf]) -> Vec<String> {
    let abs: Vec<Vec<String>> = paths.iter().map(|p| components(p)).collect();
    let name_of = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string())
    };
    let mut out: Vec<String> = if paths.len() <= 1 {
        paths.iter().map(|p| name_of(p)).collect()
    } else {
        // The longest common prefix of all but the last component of each.
        let mut common = abs.first().map_or(0, |a| a.len().saturating_sub(1));
        for a in &abs {
            let first = abs.first().map(Vec::as_slice).unwrap_or(&[]);
            let same = first
                .iter()
                .zip(a.iter())
                .take_while(|(x, y)| x == y)
                .count();
            common = common.min(same).min(a.len().saturating_sub(1));
        }
        abs.iter()
            .zip(paths)
            .map(|(a, p)| {
                let rest = a.get(common..).unwrap_or_default();
                if rest.is_empty() {
                    name_of(p)
                } else {
                    rest.join("/")
                }
            })
            .collect()
    };
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for l in &mut out {
        let n = seen.entry(l.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            l.push_str(&format!("#{n}"));
        }
    }
    out
}

/// The components of `p` made absolute (against the current folder) and
/// normalised without touching the disk (`.` dropped, `..` popped).
fn components(p: &Path) -> Vec<String> {
    let full = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out: Vec<String> = Vec::new();
    for c in full.components() {
        match c {
            Component::Prefix(x) => out.push(x.as_os_str().to_string_lossy().into_owned()),
            Component::RootDir => out.push(String::new()),
            Component::CurDir => {}
            Component::ParentDir => {
                if out.len() > 1 {
                    out.pop();
                }
            }
            Component::Normal(x) => out.push(x.to_string_lossy().into_owned()),
        }
    }
    out
}

/// Longest submission name shown, in display columns.
const NAME_WIDTH: usize = 40;

/// Where a verdict is ranked: checked submissions by their failures, then
/// the ones without a verdict, then those not loaded.
fn group(r: &BatchRow) -> u8 {
    match r.verdict {
        Some(Verdict::Fail) | Some(Verdict::Pass) => 0,
        Some(Verdict::Incomplete) | Some(Verdict::Undetermined) => 1,
        None => 2,
    }
}

/// The ranking order: by group, then binding failures (most first), then
/// rules failed (most first), then expected failures, then name.
fn rank_order(a: &BatchRow, b: &BatchRow) -> Ordering {
    group(a)
        .cmp(&group(b))
        .then(b.binding_failures.cmp(&a.binding_failures))
        .then(b.binding_rules.cmp(&a.binding_rules))
        .then(b.expected_failures.cmp(&a.expected_failures))
        .then_with(|| a.name.cmp(&b.name))
}

/// An aligned table of the batch, ranked (see `rank_order`); submissions
/// with the same numbers share a rank; submissions without a verdict and
/// those that could not be loaded come last, unranked.
pub fn render_batch(rows: &[BatchRow], lang: Lang) -> String {
    let mut sorted: Vec<&BatchRow> = rows.iter().collect();
    sorted.sort_by(|a, b| rank_order(a, b));
    let t = |msg: crate::diag::Msg| msg.get(lang).to_string();
    let heads = [
        t(m::batch_rank()),
        t(m::batch_submission()),
        t(m::head_report_year()),
        t(m::batch_binding()),
        t(m::batch_binding_rules()),
        t(m::batch_expected()),
        t(m::col_not_evaluable()),
        t(m::col_checked()),
        t(m::verdict_label()),
    ];
    // Right-aligned columns (numbers); the last column is not padded.
    let right = [true, false, true, true, true, true, true, true, false];
    let mut table: Vec<[String; 9]> = Vec::with_capacity(sorted.len());
    let mut rank = 0;
    for (i, r) in sorted.iter().enumerate() {
        let name = truncate(&one_line(&r.name), NAME_WIDTH);
        let dash = || "-".to_string();
        if let Some(err) = &r.load_error {
            table.push([
                dash(),
                name,
                dash(),
                dash(),
                dash(),
                dash(),
                dash(),
                dash(),
                t(m::batch_not_loaded(&one_line(err))),
            ]);
            continue;
        }
        let verdict = r.verdict.unwrap_or(Verdict::Incomplete);
        let ranked = group(r) == 0;
        let tied = i > 0 && {
            let p = sorted[i - 1];
            group(p) == 0
                && p.binding_failures == r.binding_failures
                && p.binding_rules == r.binding_rules
                && p.expected_failures == r.expected_failures
        };
        if ranked && !tied {
            rank = i + 1;
        }
        table.push([
            if ranked { rank.to_string() } else { dash() },
            name,
            r.report_year.map_or_else(dash, |y| y.to_string()),
            count(r.binding_failures),
            count(r.binding_rules),
            count(r.expected_failures),
            count(r.not_evaluable),
            count(r.checks),
            verdict.label(lang),
        ]);
    }

    let mut widths = heads.clone().map(|h| width(&h));
    for row in &table {
        // The last column is not padded, so it does not count.
        for (w, c) in widths.iter_mut().zip(row).take(heads.len() - 1) {
            *w = (*w).max(width(c));
        }
    }
    let line = |cells: [&str; 9]| -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            if i == cells.len() - 1 {
                s.push_str(c);
            } else if right[i] {
                s.push_str(&pad_left(c, widths[i]));
            } else {
                s.push_str(&pad_right(c, widths[i]));
            }
        }
        s.push('\n');
        s
    };

    let mut out = line(std::array::from_fn(|i| heads[i].as_str()));
    let rules: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&line(std::array::from_fn(|i| rules[i].as_str())));
    for row in &table {
        out.push_str(&line(std::array::from_fn(|i| row[i].as_str())));
    }
    let by = |v: Option<Verdict>| rows.iter().filter(|r| r.verdict == v).count();
    let errors = rows.iter().filter(|r| r.load_error.is_some()).count();
    out.push_str(&t(m::batch_totals(
        &count(rows.len()),
        &count(by(Some(Verdict::Fail))),
        &count(by(Some(Verdict::Pass))),
        &count(by(Some(Verdict::Incomplete)) + by(Some(Verdict::Undetermined))),
        &count(errors),
    )));
    out.push('\n');
    out
}

fn count(n: usize) -> String {
    format_decimal(n as f64, 0, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_tell_namesakes_apart() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            labels(&[p("/d/a/2025"), p("/d/b/2025")]),
            ["a/2025", "b/2025"]
        );
        assert_eq!(
            labels(&[p("/x/wanzhou-2020"), p("/x/wanzhou-2025")]),
            ["wanzhou-2020", "wanzhou-2025"]
        );
        assert_eq!(labels(&[p("/x/one")]), ["one"]);
        assert_eq!(labels(&[p("/x/a"), p("/x/a")]), ["a", "a#2"]);
        assert_eq!(
            labels(&[p("/x/a/b/2025"), p("/x/a/2024")]),
            ["b/2025", "2024"]
        );
    }

    #[test]
    fn the_batch_exit_code_is_the_most_serious() {
        assert_eq!(batch_exit_code([0, 3, 1]), 1);
        assert_eq!(batch_exit_code([0, 3]), 3);
        assert_eq!(batch_exit_code([1, 2, 0]), 2);
        assert_eq!(batch_exit_code([0, 0]), 0);
        assert_eq!(batch_exit_code([]), 0);
    }
}
