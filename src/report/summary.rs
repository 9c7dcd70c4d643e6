//! The summary of a batch (`dudao check A B C`): one row per submission,
//! ranked so that the submissions with the most binding failures come first.

use super::Totals;
use super::format::{format_decimal, one_line, pad_left, pad_right, truncate, width};
use crate::check::pack::RulePack;
use crate::data::Submission;
use crate::eval::finding::CheckReport;
use std::cmp::Ordering;

/// One submission of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRow {
    pub name: String,
    pub report_year: Option<i32>,
    pub binding_failures: usize,
    pub expected_failures: usize,
    pub not_evaluable: usize,
    pub checks: usize,
    /// Set when the submission (or its rules) could not be loaded; the counts
    /// are then meaningless.
    pub load_error: Option<String>,
}

impl BatchRow {
    /// The row of a submission that was checked. (The pack is not needed
    /// today; it is taken so that callers need not change if it ever is.)
    pub fn from_report(_pack: &RulePack, sub: &Submission, report: &CheckReport) -> BatchRow {
        let t = Totals::of(report);
        BatchRow {
            name: sub.name.clone(),
            report_year: sub.report_year(),
            binding_failures: t.binding_failures,
            expected_failures: t.expected_failures,
            not_evaluable: t.not_evaluable,
            checks: t.checks,
            load_error: None,
        }
    }

    /// The row of a submission that could not be loaded.
    pub fn failed(name: &str, error: impl Into<String>) -> BatchRow {
        BatchRow {
            name: name.to_string(),
            report_year: None,
            binding_failures: 0,
            expected_failures: 0,
            not_evaluable: 0,
            checks: 0,
            load_error: Some(error.into()),
        }
    }
}

/// Longest submission name shown, in display columns.
const NAME_WIDTH: usize = 32;

/// The ranking order: loaded before not loaded, then binding failures
/// (most first), then expected failures (most first), then name.
fn rank_order(a: &BatchRow, b: &BatchRow) -> Ordering {
    a.load_error
        .is_some()
        .cmp(&b.load_error.is_some())
        .then(b.binding_failures.cmp(&a.binding_failures))
        .then(b.expected_failures.cmp(&a.expected_failures))
        .then_with(|| a.name.cmp(&b.name))
}

/// An aligned table of the batch, ranked by binding failures (most first),
/// then expected failures, then name. Submissions with the same numbers of
/// binding and expected failures share a rank. Submissions that could not be
/// loaded come last, unranked, with the error.
pub fn render_batch(rows: &[BatchRow]) -> String {
    let mut sorted: Vec<&BatchRow> = rows.iter().collect();
    sorted.sort_by(|a, b| rank_order(a, b));

    let heads = [
        "排名",
        "提交",
        "报告年度",
        "约束性未达标",
        "预期性未达标",
        "不可评估",
        "检查",
        "结论",
    ];
    // Right-aligned columns (numbers); the last column is not padded.
    let right = [true, false, true, true, true, true, true, false];
    let mut table: Vec<[String; 8]> = Vec::with_capacity(sorted.len());
    let mut rank = 0;
    for (i, r) in sorted.iter().enumerate() {
        let name = truncate(&one_line(&r.name), NAME_WIDTH);
        if let Some(err) = &r.load_error {
            let dash = || "-".to_string();
            table.push([
                dash(),
                name,
                dash(),
                dash(),
                dash(),
                dash(),
                dash(),
                format!("无法加载: {}", one_line(err)),
            ]);
            continue;
        }
        let tied = i > 0 && {
            let p = sorted[i - 1];
            p.binding_failures == r.binding_failures && p.expected_failures == r.expected_failures
        };
        if !tied {
            rank = i + 1;
        }
        let verdict = if r.binding_failures > 0 {
            "未通过"
        } else {
            "通过"
        };
        table.push([
            rank.to_string(),
            name,
            r.report_year
                .map_or_else(|| "-".to_string(), |y| y.to_string()),
            count(r.binding_failures),
            count(r.expected_failures),
            count(r.not_evaluable),
            count(r.checks),
            verdict.to_string(),
        ]);
    }

    let mut widths = heads.map(width);
    for row in &table {
        // The last column is not padded, so it does not count.
        for (w, c) in widths.iter_mut().zip(row).take(heads.len() - 1) {
            *w = (*w).max(width(c));
        }
    }
    let line = |cells: [&str; 8]| -> String {
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

    let mut out = line(heads);
    let rules: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&line(std::array::from_fn(|i| rules[i].as_str())));
    for row in &table {
        out.push_str(&line(std::array::from_fn(|i| row[i].as_str())));
    }
    let failed = rows
        .iter()
        .filter(|r| r.load_error.is_none() && r.binding_failures > 0)
        .count();
    let errors = rows.iter().filter(|r| r.load_error.is_some()).count();
    let passed = rows.len() - failed - errors;
    let mut tail = format!(
        "共 {} 份提交：{failed} 份未通过，{passed} 份通过",
        rows.len()
    );
    if errors > 0 {
        tail.push_str(&format!("，{errors} 份无法加载"));
    }
    out.push_str(&tail);
    out.push('\n');
    out
}

fn count(n: usize) -> String {
    format_decimal(n as f64, 0, true)
}
