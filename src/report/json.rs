//! The JSON report (`dudao check --format json`).
//!
//! The format is the [`JsonReport`] struct and the structs it holds; every
//! field is documented there. The output is pretty-printed UTF-8 with a
//! trailing newline, and byte-stable: the same rule pack and submission give
//! the same bytes, whatever the number of threads.
//!
//! Conventions:
//! - every key is always present; a value that does not apply is `null`;
//! - numbers are the raw values rounded to 10 significant digits (so that
//!   `0.1 + 0.2` is `0.3`), written without a fraction when whole; NaN and
//!   infinities are `null`;
//! - percentages are fractions (`0.482` for 48.2%), with `"percent": true`.

use super::format::{format_pair, format_shown, render_message, round_significant};
use super::{Totals, rules_with_results};
use crate::check::pack::RulePack;
use crate::data::Submission;
use crate::eval::finding::{CheckReport, Entity, Finding, Outcome, Severity, Shown, Unevaluable};
use serde::{Serialize, Serializer};

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct JsonReport {
    /// The engine that produced the report.
    pub engine: JsonEngine,
    /// The rule pack the submission was checked against.
    pub rule_pack: JsonRulePack,
    /// The submission checked, with a hash of each input file.
    pub submission: JsonSubmission,
    /// Totals over all rules, and the verdict.
    pub summary: JsonSummary,
    /// Every rule of the pack, in pack order, with its counts.
    pub rules: Vec<JsonRule>,
    /// Every failed or not-evaluable check: in rule order, then in the order
    /// the evaluator reported them (entity order).
    pub findings: Vec<JsonFinding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonEngine {
    /// Always `"dudao"`.
    pub name: &'static str,
    /// The engine version (`Cargo.toml` version), e.g. `"0.1.0"`.
    pub version: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonRulePack {
    /// Lowercase hex SHA-256 over the pack's files (names and contents, in order).
    pub hash: String,
    /// Number of rules in the pack.
    pub rules: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonSubmission {
    /// Display name: the folder or workbook name.
    pub name: String,
    /// The year reported on: the latest year in the data; `null` when the
    /// data has no year.
    pub report_year: Option<i32>,
    /// Every year found in the data, ascending.
    pub years: Vec<i32>,
    /// The files read, in the order they were read.
    pub files: Vec<JsonFile>,
    /// Rows read per table, in schema order.
    pub tables: Vec<JsonTable>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonTable {
    /// The table's name in the rule pack (`schools`).
    pub name: String,
    /// Its Chinese name (`学校`).
    pub label: String,
    /// Rows loaded.
    pub rows: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonFile {
    /// Path relative to the submission folder where possible, with `/` separators.
    pub path: String,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// How the file was read (`"GB18030"`, a sheet's row range), or `null`.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonSummary {
    /// Check instances (rows, groups, years) over all rules.
    pub checks: usize,
    /// Checks that passed.
    pub passed: usize,
    /// Checks that failed, whatever their severity.
    pub failed: usize,
    /// Checks that could not be evaluated (see `findings[].reason`).
    pub not_evaluable: usize,
    /// Failed checks whose severity, in their year, is binding (约束性).
    pub binding_failures: usize,
    /// Failed checks whose severity is expected (预期性).
    pub expected_failures: usize,
    /// Failed checks whose severity is info (参考).
    pub info_findings: usize,
    /// `"fail"` when any binding check failed (`dudao check` exits 1), else `"pass"`.
    pub verdict: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonRule {
    /// The rule id, e.g. `"A2.1"`.
    pub id: String,
    /// The rule's (Chinese) title.
    pub title: String,
    /// The strictest severity the rule ever takes: `"binding"`, `"expected"`
    /// or `"info"` (a finding's own severity is the one in force in its year).
    pub severity: &'static str,
    /// The clause of the source document that sets the standard.
    pub citation: JsonCitation,
    /// The years the rule is in force, inclusive.
    pub years: JsonYears,
    /// Check instances the rule applied to.
    pub checked: usize,
    /// Checks that passed.
    pub passed: usize,
    /// Checks that failed.
    pub failed: usize,
    /// Checks that could not be evaluated.
    pub not_evaluable: usize,
    /// Why the rule did not apply at all (not in force in the submission's
    /// years, no rows), or `null` when it applied.
    pub skipped: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonCitation {
    /// The document id used in the rule pack.
    pub document: String,
    /// The document's title.
    pub title: String,
    /// The clause, e.g. `"专栏2 第1项"`.
    pub clause: String,
    /// The quoted sentence of the source, or `null`.
    pub quote: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonYears {
    /// First year in force, or `null` (no lower bound).
    pub from: Option<i32>,
    /// Last year in force, or `null` (no upper bound).
    pub to: Option<i32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonFinding {
    /// The id of the rule (see `rules[].id`).
    pub rule: String,
    /// `"fail"` or `"not_evaluable"`.
    pub outcome: &'static str,
    /// Why the check could not be evaluated; `null` for a failure.
    pub reason: Option<JsonReason>,
    /// The severity in force in the finding's year: `"binding"`, `"expected"` or `"info"`.
    pub severity: &'static str,
    /// The year checked, or `null` for checks not tied to a year.
    pub year: Option<i32>,
    /// What was checked: a row, a group of rows or the whole submission.
    pub entity: JsonEntity,
    /// The measured value (the left side of the assertion), or `null` when
    /// the rule does not display one.
    pub actual: Option<JsonValue>,
    /// The assertion's comparison operator as written (`">="`); the check
    /// failed because it does not hold. `null` when not displayed.
    pub op: Option<String>,
    /// The standard (the right side of the assertion), or `null`.
    pub threshold: Option<JsonValue>,
    /// The numbers `actual` was computed from: for a ratio or a share, the
    /// numerator then the denominator. Empty when not applicable.
    pub parts: Vec<JsonValue>,
    /// For "at least k of n conditions" rules: the source text of each
    /// condition that did not hold. Empty otherwise.
    pub failed_conditions: Vec<String>,
    /// The rule's message with its values filled in, as the text report shows it.
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonReason {
    /// `"missing_value"` (a needed value is empty), `"zero_denominator"`,
    /// `"no_rows"` (an aggregate over no rows), `"no_previous_year"` (a
    /// year-over-year check without the previous year's data) or
    /// `"no_data_for_year"` (a table without a year column holds the report
    /// year only).
    pub kind: &'static str,
    /// What was missing, zero or empty (e.g. `"sum(schools.students)"`) for
    /// the first three kinds; `null` otherwise.
    pub what: Option<String>,
    /// For `no_data_for_year`: the table; `null` otherwise.
    pub table: Option<String>,
    /// For `no_previous_year` and `no_data_for_year`: the year without data;
    /// `null` otherwise.
    pub year: Option<i32>,
    /// A Chinese sentence describing the reason, as the text report shows it.
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonEntity {
    /// `"row"`, `"group"` or `"submission"`.
    pub kind: &'static str,
    /// The schema table (rows and groups), or `null`.
    pub table: Option<String>,
    /// Rows: the row's key without its year (e.g. the school id), or `null`.
    pub key: Option<String>,
    /// Rows: a human name (the school's name), or `null`.
    pub name: Option<String>,
    /// Rows: where the row is in the data (`"学校.csv:17"`, `"报表.xlsx 学校!17"`), or `null`.
    pub location: Option<String>,
    /// Groups: the column grouped by (its label, e.g. `"乡镇街道"`), or `null`.
    pub column: Option<String>,
    /// Groups: the value shared by the group's rows, or `null`.
    pub value: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonValue {
    /// The raw value: a number (a fraction for percentages), a string, a
    /// bool, or `null` when missing or not finite.
    pub value: JsonScalar,
    /// The value as the text report shows it: `"48.2%"`, `"12,345 人"`, `"—"`
    /// (with more decimals when the actual value and the threshold would
    /// otherwise look equal: `"99.996%"` against `"100%"`).
    pub display: String,
    /// The unit, e.g. `"元/人"`; `""` when dimensionless or not a number.
    pub unit: String,
    /// True when the number is a fraction shown as a percentage.
    pub percent: bool,
}

/// A raw value: serialised as a JSON number, string, bool or `null`.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum JsonScalar {
    Num(JsonNumber),
    Bool(bool),
    Text(String),
    Null,
}

/// A number rounded to 10 significant digits; whole numbers are written
/// without a fraction, non-finite numbers as `null`.
#[derive(Debug, Clone, Copy)]
pub struct JsonNumber(pub f64);

impl Serialize for JsonNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = round_significant(self.0);
        if !v.is_finite() {
            s.serialize_none()
        } else if v.fract() == 0.0 && v.abs() < 1e15 {
            s.serialize_i64(v as i64)
        } else {
            s.serialize_f64(v)
        }
    }
}

/// Builds the report's data; [`render`] serialises it.
pub fn build(pack: &RulePack, sub: &Submission, report: &CheckReport) -> JsonReport {
    let totals = Totals::of(report);
    let mut rules = Vec::with_capacity(report.results.len());
    let mut findings = Vec::new();
    for (rule, res) in rules_with_results(pack, report) {
        let m = &rule.meta;
        rules.push(JsonRule {
            id: m.id.clone(),
            title: m.title.clone(),
            severity: m.severity.strictest().as_str(),
            citation: JsonCitation {
                document: m.citation.document.clone(),
                title: m.citation.title.clone(),
                clause: m.citation.clause.clone(),
                quote: m.citation.quote.clone(),
            },
            years: JsonYears {
                from: m.years.from,
                to: m.years.to,
            },
            checked: res.checks,
            passed: res.passed,
            failed: res.failed,
            not_evaluable: res.not_evaluable,
            skipped: res.skipped.clone(),
        });
        findings.extend(res.findings.iter().map(|f| finding(&m.id, f)));
    }
    JsonReport {
        engine: JsonEngine {
            name: "dudao",
            version: crate::VERSION,
        },
        rule_pack: JsonRulePack {
            hash: pack.hash.clone(),
            rules: pack.rules.len(),
        },
        submission: JsonSubmission {
            name: sub.name.clone(),
            report_year: sub.report_year(),
            years: sub.years.clone(),
            files: sub
                .files
                .iter()
                .map(|f| JsonFile {
                    path: f.path.to_string_lossy().replace('\\', "/"),
                    sha256: f.sha256.clone(),
                    note: f.note.clone(),
                })
                .collect(),
            tables: pack
                .schema
                .tables
                .iter()
                .zip(&sub.tables)
                .map(|(def, t)| JsonTable {
                    name: def.name.clone(),
                    label: def.label().to_string(),
                    rows: t.rows,
                })
                .collect(),
        },
        summary: JsonSummary {
            checks: totals.checks,
            passed: totals.passed,
            failed: totals.failed,
            not_evaluable: totals.not_evaluable,
            binding_failures: totals.binding_failures,
            expected_failures: totals.expected_failures,
            info_findings: totals.info_findings,
            verdict: if totals.passes() { "pass" } else { "fail" },
        },
        rules,
        findings,
    }
}

/// The JSON report, pretty-printed, with a trailing newline.
pub fn render(pack: &RulePack, sub: &Submission, report: &CheckReport) -> String {
    to_json(&build(pack, sub, report))
}

/// Pretty JSON of any report value, with a trailing newline.
pub fn to_json<T: Serialize>(value: &T) -> String {
    match serde_json::to_string_pretty(value) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        // Plain structs of strings and numbers cannot fail to serialise; if
        // they ever do, say so in JSON rather than panic.
        Err(e) => format!(
            "{{\"error\": {}}}\n",
            serde_json::Value::String(e.to_string())
        ),
    }
}

fn finding(rule: &str, f: &Finding) -> JsonFinding {
    // Shown as in the text report: with more decimals when rounding would
    // make the value and the standard look equal.
    let display = match (&f.actual, &f.threshold) {
        (Some(a), Some(t)) => format_pair(a, t),
        (a, t) => (
            a.as_ref().map(format_shown).unwrap_or_default(),
            t.as_ref().map(format_shown).unwrap_or_default(),
        ),
    };
    JsonFinding {
        rule: rule.to_string(),
        outcome: match f.outcome {
            Outcome::Fail => "fail",
            Outcome::NotEvaluable(_) => "not_evaluable",
        },
        reason: match &f.outcome {
            Outcome::Fail => None,
            Outcome::NotEvaluable(r) => Some(reason(r)),
        },
        severity: severity(f.severity),
        year: f.year,
        entity: entity(&f.entity),
        actual: f.actual.as_ref().map(|a| value(a, display.0.clone())),
        op: f.op.clone(),
        threshold: f.threshold.as_ref().map(|t| value(t, display.1.clone())),
        parts: f.parts.iter().map(|p| value(p, format_shown(p))).collect(),
        failed_conditions: f.failed_conditions.clone(),
        message: render_message(&f.message),
    }
}

fn severity(s: Severity) -> &'static str {
    s.as_str()
}

fn reason(r: &Unevaluable) -> JsonReason {
    let (kind, what, table, year) = match r {
        Unevaluable::MissingValue { what } => ("missing_value", Some(what.clone()), None, None),
        Unevaluable::ZeroDenominator { what } => {
            ("zero_denominator", Some(what.clone()), None, None)
        }
        Unevaluable::NoRows { what } => ("no_rows", Some(what.clone()), None, None),
        Unevaluable::NoPreviousYear { year } => ("no_previous_year", None, None, Some(*year)),
        Unevaluable::NoDataForYear { table, year } => {
            ("no_data_for_year", None, Some(table.clone()), Some(*year))
        }
    };
    JsonReason {
        kind,
        what,
        table,
        year,
        text: r.describe(),
    }
}

fn entity(e: &Entity) -> JsonEntity {
    let none = JsonEntity {
        kind: "submission",
        table: None,
        key: None,
        name: None,
        location: None,
        column: None,
        value: None,
    };
    match e {
        Entity::Row {
            table,
            key,
            name,
            location,
            ..
        } => JsonEntity {
            kind: "row",
            table: Some(table.clone()),
            key: Some(key.clone()),
            name: name.clone(),
            location: location.clone(),
            ..none
        },
        Entity::Group {
            table,
            column,
            value,
        } => JsonEntity {
            kind: "group",
            table: Some(table.clone()),
            column: Some(column.clone()),
            value: Some(value.clone()),
            ..none
        },
        Entity::Submission => none,
    }
}

fn value(s: &Shown, display: String) -> JsonValue {
    let (raw, unit, percent) = match s {
        Shown::Num {
            value,
            unit,
            percent,
            ..
        } => (
            JsonScalar::Num(JsonNumber(*value)),
            if *percent {
                String::new()
            } else {
                unit.to_string()
            },
            *percent,
        ),
        Shown::Bool(b) => (JsonScalar::Bool(*b), String::new(), false),
        Shown::Text(t) => (JsonScalar::Text(t.clone()), String::new(), false),
        Shown::Missing => (JsonScalar::Null, String::new(), false),
    };
    JsonValue {
        value: raw,
        display,
        unit,
        percent,
    }
}
