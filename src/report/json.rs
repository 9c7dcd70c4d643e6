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
use super::{Checked, Verdict, rules_with_results, shown_severity};
use crate::diag::{Diag, Lang, Location};
use crate::eval::complete::YearSource;
use crate::eval::finding::{Entity, Finding, Outcome, Shown, Unevaluable};
use crate::pack::RulePack;
use crate::pack::Severity;
use serde::{Serialize, Serializer};

/// The whole report of one submission that was loaded.
#[derive(Debug, Clone, Serialize)]
pub struct JsonReport {
    /// `"loaded"` (the data is complete and was checked) or `"incomplete"`
    /// (see `completeness`; checked only with `--allow-incomplete`).
    pub status: &'static str,
    /// The engine that produced the report.
    pub engine: JsonEngine,
    /// The rule pack the submission was checked against.
    pub rule_pack: JsonRulePack,
    /// The submission checked, with a hash of each input file.
    pub submission: JsonSubmission,
    /// Totals over all rules, and the verdict.
    pub summary: JsonSummary,
    /// Whether the data can support a verdict: what is missing, if anything.
    pub completeness: JsonCompleteness,
    /// Every warning met while loading the submission, in order.
    pub warnings: Vec<JsonDiag>,
    /// Every rule of the pack, in pack order, with its counts (empty when the
    /// submission was not checked).
    pub rules: Vec<JsonRule>,
    /// Every failed or not-evaluable check: in rule order, then in the order
    /// the evaluator reported them (entity order).
    pub findings: Vec<JsonFinding>,
    /// Every district-level check (rules `for submission`, `for each year`,
    /// `for each … by …`) with its measured value, threshold and parts,
    /// whatever its outcome (`"pass"`, `"fail"`, `"not_evaluable"`), in rule
    /// order then check order; the same fields as `findings[]`. Row-level
    /// checks are counted in `rules[]`, their passes not listed.
    pub values: Vec<JsonFinding>,
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
    /// Number of rules in the pack (disabled rules not counted).
    pub rules: usize,
    /// Parameters a later pack replaced (`override param`), in the order
    /// applied: `name`, `old_value` and `new_value` as written in the rule
    /// files, and the `file` and `line` of the override. Empty for a pack
    /// that overrides nothing.
    pub overrides: Vec<crate::pack::ParamOverride>,
    /// Rules a later pack took out (`disable rule`): `id`, `reason`, and the
    /// `file` and `line` of the `disable`. They are not run and not counted.
    pub disabled: Vec<crate::pack::DisabledRule>,
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
    /// Not-evaluable checks whose severity, in their year, is binding.
    pub binding_not_evaluable: usize,
    /// Rules that made no check (see `rules[].skipped`).
    pub rules_not_checked: usize,
    /// Whether the rules were run: `false` when the data is incomplete and
    /// `--allow-incomplete` was not given.
    pub checked: bool,
    /// `"pass"` (complete data, checks made, no binding failure, every
    /// binding check evaluated; exit 0), `"fail"` (a binding check failed;
    /// exit 1), `"incomplete"` (a table the rules read is missing or empty,
    /// the year table lacks the report year, or an input matched no table;
    /// exit 3) or `"undetermined"` (nothing could be checked, or a binding
    /// check could not be evaluated; exit 3).
    pub verdict: &'static str,
    /// The verdict as the text report states it, with its reason.
    pub verdict_text: String,
    /// The exit code `dudao check` gives for this submission alone.
    pub exit_code: u8,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonCompleteness {
    /// True when nothing below is missing.
    pub complete: bool,
    /// Tables the rules read that no file or sheet holds.
    pub missing_tables: Vec<JsonTableRef>,
    /// Tables the rules read whose file or sheet has no data rows.
    pub empty_tables: Vec<JsonTableRef>,
    /// Files and sheets that matched no table.
    pub unmatched_inputs: Vec<JsonDiag>,
    /// True when the data has no year at all.
    pub no_year: bool,
    /// The report year expected from outside the data (`--year`, or the
    /// submission's name) when the data does not end with it; else `null`.
    pub expected_report_year: Option<JsonExpectedYear>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonTableRef {
    /// The table's name in the rule pack (`schools`).
    pub name: String,
    /// Its Chinese name (`学校`).
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonExpectedYear {
    pub year: i32,
    /// `"option"` (`--year`) or `"name"` (a year in the submission's name).
    pub source: &'static str,
}

/// A diagnostic (an error or a warning) as data.
#[derive(Debug, Clone, Serialize)]
pub struct JsonDiag {
    /// The stable code, e.g. `"dudao::data::unknown_file"`.
    pub code: &'static str,
    /// `"error"` or `"warning"`.
    pub severity: &'static str,
    /// The message, in the report's language.
    pub message: String,
    /// The help text, or `null`.
    pub help: Option<String>,
    /// Where it points, or `null`.
    pub location: Option<Location>,
}

impl JsonDiag {
    pub fn of(d: &Diag, lang: Lang) -> JsonDiag {
        JsonDiag {
            code: d.code.as_str(),
            severity: if d.warning { "warning" } else { "error" },
            message: d.message.get(lang).to_string(),
            help: d.help.as_ref().map(|h| h.get(lang).to_string()),
            location: d.location(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonRule {
    /// The rule id, e.g. `"A2.1"`.
    pub id: String,
    /// The rule's (Chinese) title.
    pub title: String,
    /// The severity in force in this report: the strictest among the rule's
    /// findings, else the one in force in the report year: `"binding"`,
    /// `"expected"` or `"info"` (a finding's own severity is the one in force
    /// in its year).
    pub severity: &'static str,
    /// How the severity changes with the year: the severity before any
    /// change, then each change.
    pub severity_by_year: JsonSeveritySpec,
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
    /// Why the rule made no check (not in force in the submission's years,
    /// no rows), or `null` when it made checks.
    pub skipped: Option<JsonSkip>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonSeveritySpec {
    /// The severity before any change.
    pub base: &'static str,
    /// Each change: from this year on, this severity.
    pub from: Vec<JsonSeverityChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonSeverityChange {
    pub year: i32,
    pub severity: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonSkip {
    /// `"not_in_force"`, `"empty_table"`, `"no_applicable_rows"`,
    /// `"no_groups"` or `"no_years"`.
    pub kind: &'static str,
    /// The reason in a sentence.
    pub text: String,
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
    /// `"fail"` or `"not_evaluable"` (in `values[]` also `"pass"`).
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
    /// The reason in a sentence, as the text report shows it.
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
pub fn build(c: &Checked, lang: Lang) -> JsonReport {
    let (pack, sub) = (c.pack, c.sub);
    let totals = c.totals();
    let verdict = c.verdict();
    let mut rules = Vec::new();
    let mut findings = Vec::new();
    let mut values = Vec::new();
    for (rule, res) in c
        .report
        .into_iter()
        .flat_map(|r| rules_with_results(pack, r))
    {
        let m = &rule.meta;
        rules.push(JsonRule {
            id: m.id.clone(),
            title: m.title.clone(),
            severity: shown_severity(rule, res, sub).as_str(),
            severity_by_year: JsonSeveritySpec {
                base: m.severity.base.as_str(),
                from: m
                    .severity
                    .from
                    .iter()
                    .map(|(y, s)| JsonSeverityChange {
                        year: *y,
                        severity: s.as_str(),
                    })
                    .collect(),
            },
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
            skipped: res.skipped.as_ref().map(|s| JsonSkip {
                kind: s.kind(),
                text: s.describe(lang),
            }),
        });
        findings.extend(res.findings.iter().map(|f| finding(&m.id, f, lang)));
        values.extend(res.values.iter().map(|f| finding(&m.id, f, lang)));
    }
    let table_ref = |t: &usize| {
        pack.schema.tables.get(*t).map(|d| JsonTableRef {
            name: d.name.clone(),
            label: d.label().to_string(),
        })
    };
    let cm = c.completeness;
    JsonReport {
        status: if cm.is_complete() {
            "loaded"
        } else {
            "incomplete"
        },
        engine: engine(),
        rule_pack: rule_pack(pack),
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
            binding_not_evaluable: totals.binding_not_evaluable,
            rules_not_checked: totals.rules_not_checked,
            checked: c.report.is_some(),
            verdict: verdict.as_str(),
            verdict_text: format!(
                "{} — {}",
                verdict.label(lang),
                super::text::verdict_detail(c, &totals, verdict).get(lang)
            ),
            exit_code: verdict.exit_code(),
        },
        completeness: JsonCompleteness {
            complete: cm.is_complete(),
            missing_tables: cm.missing.iter().filter_map(table_ref).collect(),
            empty_tables: cm.empty.iter().filter_map(table_ref).collect(),
            unmatched_inputs: cm.unmatched.iter().map(|d| JsonDiag::of(d, lang)).collect(),
            no_year: cm.no_year,
            expected_report_year: cm.year_mismatch.map(|(year, src)| JsonExpectedYear {
                year,
                source: match src {
                    YearSource::Option => "option",
                    YearSource::Name => "name",
                },
            }),
        },
        warnings: c.warnings.iter().map(|d| JsonDiag::of(d, lang)).collect(),
        rules,
        findings,
        values,
    }
}

/// The JSON report, pretty-printed, with a trailing newline.
pub fn render(c: &Checked, lang: Lang) -> String {
    to_json(&build(c, lang))
}

/// Pretty JSON of any report value, with a trailing newline. Control
/// characters are escaped by JSON itself; bidirectional controls and line
/// separators, which JSON allows raw, are written as `\uXXXX` too, so that
/// the document is safe to show on a terminal.
pub fn to_json<T: Serialize>(value: &T) -> String {
    match serde_json::to_string_pretty(value) {
        Ok(mut s) => {
            if s.chars().any(is_invisible_control) {
                s = s
                    .chars()
                    .map(|c| {
                        if is_invisible_control(c) {
                            format!("\\u{:04x}", c as u32)
                        } else {
                            c.to_string()
                        }
                    })
                    .collect();
            }
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

/// Characters JSON may carry raw that change how a terminal shows text.
fn is_invisible_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}' | '\u{7F}'..='\u{9F}')
}

fn finding(rule: &str, f: &Finding, lang: Lang) -> JsonFinding {
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
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotEvaluable(_) => "not_evaluable",
        },
        reason: match &f.outcome {
            Outcome::Fail | Outcome::Pass => None,
            Outcome::NotEvaluable(r) => Some(reason(r, lang)),
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

fn engine() -> JsonEngine {
    JsonEngine {
        name: "dudao",
        version: crate::VERSION,
    }
}

fn rule_pack(pack: &RulePack) -> JsonRulePack {
    JsonRulePack {
        hash: pack.hash.clone(),
        rules: pack.rules.len(),
        overrides: pack.overrides.clone(),
        disabled: pack.disabled.clone(),
    }
}

/// A submission that could not be loaded, alone (`dudao check --format json X`).
#[derive(Debug, Clone, Serialize)]
pub struct JsonLoadFailure {
    /// Always `"failed_to_load"`.
    pub status: &'static str,
    pub engine: JsonEngine,
    pub rule_pack: JsonRulePack,
    /// The submission as given.
    pub submission: JsonSubmissionRef,
    /// The errors that stopped loading (at most 50).
    pub errors: Vec<JsonDiag>,
    /// Errors beyond those listed.
    pub more_errors: usize,
    /// Warnings met on the way (an unknown file may explain an error).
    pub warnings: Vec<JsonDiag>,
    /// Always 2.
    pub exit_code: u8,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonSubmissionRef {
    /// Its label (see `JsonBatchEntry::label`).
    pub name: String,
    /// The path as given on the command line.
    pub path: String,
}

/// The errors of a submission that could not be loaded.
#[derive(Debug, Clone)]
pub struct LoadFailure<'a> {
    pub errors: &'a [Diag],
    pub more: usize,
    pub warnings: &'a [Diag],
}

/// The JSON of a submission that could not be loaded.
pub fn load_failure(
    pack: &RulePack,
    name: &str,
    path: &str,
    f: &LoadFailure,
    lang: Lang,
) -> JsonLoadFailure {
    JsonLoadFailure {
        status: "failed_to_load",
        engine: engine(),
        rule_pack: rule_pack(pack),
        submission: JsonSubmissionRef {
            name: name.to_string(),
            path: path.to_string(),
        },
        errors: f.errors.iter().map(|d| JsonDiag::of(d, lang)).collect(),
        more_errors: f.more,
        warnings: f.warnings.iter().map(|d| JsonDiag::of(d, lang)).collect(),
        exit_code: 2,
    }
}

/// A batch: one document with an entry per submission, in the order given.
#[derive(Debug, Clone, Serialize)]
pub struct JsonBatch {
    pub engine: JsonEngine,
    pub rule_pack: JsonRulePack,
    pub summary: JsonBatchSummary,
    pub submissions: Vec<JsonBatchEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonBatchSummary {
    /// Submissions in the batch.
    pub submissions: usize,
    /// By verdict: `pass`, `fail`, `incomplete`, `undetermined`; and those
    /// that could not be loaded.
    pub pass: usize,
    pub fail: usize,
    pub incomplete: usize,
    pub undetermined: usize,
    pub failed_to_load: usize,
    /// The exit code of `dudao check` for the batch: the most serious of
    /// the submissions', in the order 2 > 1 > 3 > 0.
    pub exit_code: u8,
}

/// One submission of a batch.
#[derive(Debug, Clone, Serialize)]
pub struct JsonBatchEntry {
    /// Unique in the batch: the path relative to the deepest folder holding
    /// all the submissions (`a/2025`, `b/2025`).
    pub label: String,
    /// The path as given on the command line.
    pub path: String,
    /// `"loaded"`, `"incomplete"` or `"failed_to_load"`.
    pub status: &'static str,
    /// The verdict (`summary.verdict` of its report), or `null` when it
    /// could not be loaded.
    pub verdict: Option<&'static str>,
    /// Its exit code alone.
    pub exit_code: u8,
    /// Its report, or `null` when it could not be loaded.
    pub report: Option<JsonReport>,
    /// When it could not be loaded: the errors (at most 50), how many more,
    /// and the warnings met; empty otherwise (a report has its warnings).
    pub errors: Vec<JsonDiag>,
    pub more_errors: usize,
    pub warnings: Vec<JsonDiag>,
}

impl JsonBatchEntry {
    /// The entry of a loaded submission.
    pub fn loaded(label: &str, path: &str, report: JsonReport) -> JsonBatchEntry {
        JsonBatchEntry {
            label: label.to_string(),
            path: path.to_string(),
            status: report.status,
            verdict: Some(report.summary.verdict),
            exit_code: report.summary.exit_code,
            report: Some(report),
            errors: Vec::new(),
            more_errors: 0,
            warnings: Vec::new(),
        }
    }

    /// The entry of a submission that could not be loaded.
    pub fn failed(f: JsonLoadFailure) -> JsonBatchEntry {
        JsonBatchEntry {
            label: f.submission.name,
            path: f.submission.path,
            status: "failed_to_load",
            verdict: None,
            exit_code: 2,
            report: None,
            errors: f.errors,
            more_errors: f.more_errors,
            warnings: f.warnings,
        }
    }
}

/// The batch document of `entries`.
pub fn batch(pack: &RulePack, entries: Vec<JsonBatchEntry>) -> JsonBatch {
    let by = |v: &str| entries.iter().filter(|e| e.verdict == Some(v)).count();
    JsonBatch {
        engine: engine(),
        rule_pack: rule_pack(pack),
        summary: JsonBatchSummary {
            submissions: entries.len(),
            pass: by(Verdict::Pass.as_str()),
            fail: by(Verdict::Fail.as_str()),
            incomplete: by(Verdict::Incomplete.as_str()),
            undetermined: by(Verdict::Undetermined.as_str()),
            failed_to_load: entries.iter().filter(|e| e.verdict.is_none()).count(),
            exit_code: super::summary::batch_exit_code(entries.iter().map(|e| e.exit_code)),
        },
        submissions: entries,
    }
}

/// A rule pack that could not be compiled (`dudao check --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct JsonRulesFailure {
    /// Always `"rules_failed"`.
    pub status: &'static str,
    pub engine: JsonEngine,
    /// The errors of the rule pack.
    pub errors: Vec<JsonDiag>,
    /// Always 2.
    pub exit_code: u8,
}

/// The JSON of a rule pack that could not be compiled.
pub fn rules_failure(errors: &[Diag], lang: Lang) -> JsonRulesFailure {
    JsonRulesFailure {
        status: "rules_failed",
        engine: engine(),
        errors: errors.iter().map(|d| JsonDiag::of(d, lang)).collect(),
        exit_code: 2,
    }
}

fn reason(r: &Unevaluable, lang: Lang) -> JsonReason {
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
        text: r.describe(lang),
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
