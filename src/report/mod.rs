//! Findings → terminal text and JSON. The only place that renders.
//!
//! - [`text::render`]: the terminal report of one submission;
//! - [`json::render`]: the JSON report (`--format json`), fields documented on
//!   [`json::JsonReport`];
//! - [`summary::render_batch`]: the ranking table of a batch of submissions;
//! - [`mod@format`]: number formatting and display-width helpers they share.

pub mod format;
pub mod html;
pub mod json;
pub mod listing;
pub mod summary;
pub mod svg;
pub mod text;
pub mod view;
pub mod xlsx;

#[cfg(test)]
mod tests;

use crate::data::Submission;
use crate::diag::{Diag, Lang};
use crate::eval::complete::Completeness;
use crate::eval::finding::{CheckReport, Outcome, RuleResult};
use crate::pack::Severity;
use crate::pack::{Rule, RulePack};

/// Everything the report of one submission shows.
#[derive(Debug, Clone, Copy)]
pub struct Checked<'a> {
    pub pack: &'a RulePack,
    pub sub: &'a Submission,
    /// The results, or `None` when the submission was not checked because
    /// its data is incomplete.
    pub report: Option<&'a CheckReport>,
    pub completeness: &'a Completeness,
    /// The warnings met while loading it, in order.
    pub warnings: &'a [Diag],
}

impl<'a> Checked<'a> {
    /// The report of `results`, for the submission they were made on.
    pub fn new(
        pack: &'a RulePack,
        sub: &'a Submission,
        results: &'a crate::eval::Results,
    ) -> Checked<'a> {
        Checked {
            pack,
            sub,
            report: results.report.as_ref(),
            completeness: &results.completeness,
            warnings: &results.warnings,
        }
    }

    pub fn totals(&self) -> Totals {
        self.report.map(Totals::of).unwrap_or_default()
    }

    pub fn verdict(&self) -> Verdict {
        Verdict::of(
            &self.totals(),
            self.completeness.is_complete(),
            self.report.is_some(),
        )
    }
}

/// What a check of one submission concludes. "Pass" is earned: only when
/// the data is complete, checks were made, none binding failed and none
/// binding could not be evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// 通过: complete data, no binding failure, every binding check evaluated.
    Pass,
    /// 未通过: a binding check failed (also in incomplete data checked with
    /// `--allow-incomplete`: a failure found is a failure).
    Fail,
    /// 数据不完整，无法判定: a table the rules read is missing or empty, the
    /// year table lacks the report year, or an input matched no table.
    Incomplete,
    /// 无法判定: complete data and no binding failure, but no check could be
    /// made, or a binding check could not be evaluated.
    Undetermined,
}

impl Verdict {
    pub fn of(t: &Totals, complete: bool, checked: bool) -> Verdict {
        if !checked {
            Verdict::Incomplete
        } else if t.binding_failures > 0 {
            Verdict::Fail
        } else if !complete {
            Verdict::Incomplete
        } else if t.checks == 0 || t.binding_not_evaluable > 0 {
            Verdict::Undetermined
        } else {
            Verdict::Pass
        }
    }

    /// The stable name in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Incomplete => "incomplete",
            Verdict::Undetermined => "undetermined",
        }
    }

    /// The verdict's word in `lang`: 通过, 未通过, 数据不完整，无法判定, 无法判定.
    pub fn label(self, lang: Lang) -> String {
        use crate::msg::report as m;
        match self {
            Verdict::Pass => m::verdict_pass(),
            Verdict::Fail => m::verdict_fail(),
            Verdict::Incomplete => m::verdict_incomplete(),
            Verdict::Undetermined => m::verdict_undetermined(),
        }
        .get(lang)
        .to_string()
    }

    /// The exit code of `dudao check` for this verdict: 0 pass, 1 fail,
    /// 3 incomplete or undetermined (2 is for inputs that could not be loaded).
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Pass => 0,
            Verdict::Fail => 1,
            Verdict::Incomplete | Verdict::Undetermined => 3,
        }
    }
}

/// Counts over a whole report, shared by the text footer, the JSON summary
/// and batch rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Check instances over all rules.
    pub checks: usize,
    pub passed: usize,
    pub failed: usize,
    pub not_evaluable: usize,
    /// Failed findings whose severity (in their year) is binding.
    pub binding_failures: usize,
    /// Failed findings whose severity is expected.
    pub expected_failures: usize,
    /// Failed findings whose severity is info.
    pub info_findings: usize,
    /// Rules with at least one binding failure.
    pub binding_rules: usize,
    /// Rules with at least one expected failure.
    pub expected_rules: usize,
    /// Not-evaluable checks whose severity (in their year) is binding.
    pub binding_not_evaluable: usize,
    /// Rules that made no check at all (not in force in the data's years, no rows).
    pub rules_not_checked: usize,
}

impl Totals {
    pub fn of(report: &CheckReport) -> Totals {
        let mut t = Totals::default();
        for r in &report.results {
            t.checks += r.checks;
            t.passed += r.passed;
            t.failed += r.failed;
            t.not_evaluable += r.not_evaluable;
            t.rules_not_checked += usize::from(r.checks == 0);
            t.binding_not_evaluable += r
                .findings
                .iter()
                .filter(|f| f.outcome != Outcome::Fail && f.severity == Severity::Binding)
                .count();
            let (mut b, mut e) = (false, false);
            for f in r.findings.iter().filter(|f| f.outcome == Outcome::Fail) {
                match f.severity {
                    Severity::Binding => {
                        t.binding_failures += 1;
                        b = true;
                    }
                    Severity::Expected => {
                        t.expected_failures += 1;
                        e = true;
                    }
                    Severity::Info => t.info_findings += 1,
                }
            }
            t.binding_rules += usize::from(b);
            t.expected_rules += usize::from(e);
        }
        t
    }
}

/// The severity a rule is shown with in one report: the strictest severity
/// among its findings, or, without findings, the severity in force in the
/// submission's report year.
pub(crate) fn shown_severity(rule: &Rule, result: &RuleResult, sub: &Submission) -> Severity {
    result
        .findings
        .iter()
        .map(|f| f.severity)
        .min()
        .unwrap_or_else(|| rule.meta.severity.at(sub.report_year()))
}

/// The rules of the pack with their results, in report order. Results whose
/// rule index is out of range (a report from another pack) are left out.
pub(crate) fn rules_with_results<'a>(
    pack: &'a RulePack,
    report: &'a CheckReport,
) -> impl Iterator<Item = (&'a Rule, &'a RuleResult)> + 'a {
    report
        .results
        .iter()
        .filter_map(|r| pack.rules.get(r.rule).map(|rule| (rule, r)))
}

/// What a layered pack changed of the packs it imports, as header lines:
/// the overridden parameters (old → new value, where) and the disabled
/// rules (why, where). Both empty for a pack that changes nothing.
pub(crate) fn pack_changes(pack: &RulePack) -> (Vec<crate::diag::Msg>, Vec<crate::diag::Msg>) {
    use crate::msg::report as m;
    let overrides = pack
        .overrides
        .iter()
        .map(|o| m::override_line(&o.name, &o.old_value, &o.new_value, &o.file, o.line))
        .collect();
    let disabled = pack
        .disabled
        .iter()
        .map(|d| m::disabled_line(&d.id, &d.reason, &d.file, d.line))
        .collect();
    (overrides, disabled)
}

/// The first `n` characters of a hash.
pub(crate) fn short_hash(hash: &str, n: usize) -> &str {
    hash.char_indices().nth(n).map_or(hash, |(i, _)| &hash[..i])
}
