//! Findings → terminal text and JSON. The only place that renders.
//!
//! - [`text::render`]: the terminal report of one submission;
//! - [`json::render`]: the JSON report (`--format json`), fields documented on
//!   [`json::JsonReport`];
//! - [`summary::render_batch`]: the ranking table of a batch of submissions;
//! - [`format`]: number formatting and display-width helpers they share.

pub mod format;
pub mod json;
pub mod listing;
pub mod summary;
pub mod text;

#[cfg(test)]
mod tests;

use crate::check::pack::{Rule, RulePack};
use crate::data::Submission;
use crate::eval::finding::{CheckReport, Outcome, RuleResult, Severity};

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
}

impl Totals {
    pub fn of(report: &CheckReport) -> Totals {
        let mut t = Totals::default();
        for r in &report.results {
            t.checks += r.checks;
            t.passed += r.passed;
            t.failed += r.failed;
            t.not_evaluable += r.not_evaluable;
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

    /// True when no binding check failed (`dudao check` exits 0).
    pub fn passes(&self) -> bool {
        self.binding_failures == 0
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

/// The first `n` characters of a hash.
pub(crate) fn short_hash(hash: &str, n: usize) -> &str {
    hash.char_indices().nth(n).map_or(hash, |(i, _)| &hash[..i])
}
