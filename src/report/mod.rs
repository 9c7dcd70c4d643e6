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

/// The failed conditions of a compound rule (`at_least(k, [...])`) in
/// words, from what the rule pack names: a condition that a row of another
/// table exists (`count(this.teachers where subject == 科学) >= 1`) is the
/// variant it asks for and the table (`缺少科学、音乐教师`); a condition on a
/// value another rule checks is that rule's id and title (with the share of
/// its standard when the condition asks for part of it); anything else is
/// shown as written. `failed` holds the conditions' source texts, as the
/// evaluator reports them.
pub(crate) fn conditions_in_words(
    pack: &RulePack,
    rule: &Rule,
    failed: &[String],
    lang: Lang,
) -> String {
    use crate::pack::ir::{Agg, AggKind, Cmp, Expr, Lit, RowSet};
    let schema = &pack.schema;
    // Variants asked for, by table, in order.
    let mut missing: Vec<(usize, Vec<String>)> = Vec::new();
    let mut others: Vec<String> = Vec::new();
    let first_variant = |filter: &Expr| -> Option<String> {
        let mut found = None;
        crate::pack::ir::visit(filter, &mut |x| {
            if found.is_some() {
                return;
            }
            if let Expr::Cmp(Cmp::Eq, a, b) = x
                && let (Expr::Col { col, table, .. }, Expr::Lit(Lit::Enum(v))) = (&**a, &**b)
                && let Some(crate::schema::ColType::Enum(e)) = schema
                    .tables
                    .get(*table)
                    .and_then(|t| t.columns.get(*col))
                    .map(|c| c.ty)
                && let Some(var) = schema
                    .enums
                    .get(e)
                    .and_then(|d| d.variants.get(usize::from(*v)))
            {
                found = Some(var.aliases.first().unwrap_or(&var.name).clone());
            }
        });
        found
    };
    for text in failed {
        let Some((cond, _)) = rule.assert.conditions.iter().find(|(_, t)| t == text) else {
            others.push(format::one_line(text));
            continue;
        };
        // `count(rows where … == X) >= 1`: no row of X.
        if let Expr::Cmp(Cmp::Ge | Cmp::Gt, a, b) = cond
            && let Expr::Agg(agg) = &**a
            && let Agg {
                kind: AggKind::Count,
                filter: Some(filter),
                ..
            } = &**agg
            && matches!(&**b, Expr::Lit(Lit::Num(n)) if *n <= 1.0)
            && let Some(v) = first_variant(filter)
        {
            let table = match &agg.rows {
                RowSet::Table(t) | RowSet::Related { table: t, .. } | RowSet::Group(t) => *t,
            };
            match missing.iter_mut().find(|(t, _)| *t == table) {
                Some((_, vs)) => vs.push(v),
                None => missing.push((table, vec![v])),
            }
            continue;
        }
        // A value another rule checks: that rule's words. Of the rules
        // checking the same value, the one with the same standard, else
        // the one whose standard the condition asks the largest part of.
        if let Expr::Cmp(_, lhs, rhs) = cond {
            let candidates: Vec<(&Rule, &Expr)> = pack
                .rules
                .iter()
                .filter(|r| r.meta.id != rule.meta.id)
                .filter_map(|r| {
                    let d = r.assert.display.first()?;
                    (d.lhs.0 == **lhs).then_some((r, &d.rhs.0))
                })
                .collect();
            let share = |theirs: &Expr| -> Option<f64> {
                let (a, b) = (const_num(theirs)?, const_num(rhs)?);
                (a != 0.0).then(|| b / a)
            };
            let exact = candidates
                .iter()
                .find(|(_, theirs)| **theirs == **rhs || share(theirs) == Some(1.0));
            let best = exact.map(|(r, _)| (*r, None)).or_else(|| {
                candidates
                    .iter()
                    .filter_map(|(r, theirs)| Some((*r, share(theirs)?)))
                    .filter(|(_, k)| *k > 0.0 && *k < 1.0)
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(r, k)| (r, Some(k)))
            });
            if let Some((other, k)) = best {
                let mut w = format!(
                    "{} {}",
                    format::one_line(&other.meta.id),
                    format::one_line(&other.meta.title)
                );
                if let Some(k) = k {
                    let share = format::format_num(k, &crate::schema::Unit::none(), true, 2);
                    w.push_str(crate::msg::report::share_of_standard(&share).get(lang));
                }
                others.push(w);
                continue;
            }
        }
        others.push(format::one_line(text));
    }
    let sep = match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    };
    let mut parts: Vec<String> = missing
        .into_iter()
        .map(|(t, vs)| {
            let table = schema.tables.get(t).map_or("", |d| d.label());
            crate::msg::report::missing_rows(&vs.join(sep), table)
                .get(lang)
                .to_string()
        })
        .collect();
    others.dedup();
    parts.extend(others);
    parts.join(match lang {
        Lang::Zh => "；",
        Lang::En => "; ",
    })
}

/// The value of an expression of constants (`0.85 * b2_min[小学]`).
fn const_num(e: &crate::pack::ir::Expr) -> Option<f64> {
    use crate::pack::ir::{Arith, Expr, Lit};
    match e {
        Expr::Lit(Lit::Num(x)) => Some(*x),
        Expr::Lookup(k, vals) => match &**k {
            Expr::Lit(Lit::Enum(v)) => vals.get(usize::from(*v)).copied().flatten(),
            _ => None,
        },
        Expr::Arith(a, steps) => {
            let mut x = const_num(a)?;
            for s in steps {
                let y = const_num(&s.rhs)?;
                x = match s.op {
                    Arith::Add => x + y,
                    Arith::Sub => x - y,
                    Arith::Mul => x * y,
                    Arith::Div if y != 0.0 => x / y,
                    _ => return None,
                };
            }
            Some(x)
        }
        _ => None,
    }
}
