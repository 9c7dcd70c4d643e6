//! The test cases of a rule pack (`dudao test`; the format is TESTCASES.md):
//! reading a case's `expected.toml`, comparing its expected findings with
//! the findings of a check, the coverage of the pack's rules by its cases,
//! and the `expected.toml` that `dudao test --accept` writes.
//!
//! Pure: the command (`cli/src/test.rs`) finds the case folders, loads the
//! submissions, runs the checks and prints. The findings compared are those
//! of the JSON report ([`crate::report::json::build`]), so that a case's
//! entity and value are exactly what `dudao check --format json` shows.

use crate::diag::{Code, Diag, Lang, Msg, Source, did_you_mean, source};
use crate::msg::cases as m;
use crate::report::format::{one_line, pad_right, width};
use crate::report::json::{JsonEntity, JsonReport};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use toml::Spanned;

/// The file of a case folder that says what the case expects.
pub const EXPECTED_FILE: &str = "expected.toml";

/// How a case writes the entity of a district-wide check.
pub const DISTRICT_ENTITY: &str = "全区";

/// The outcome of a check a case lists (passed checks are not listed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// `"fail"`: the check failed.
    Fail,
    /// `"not_evaluable"`: the check could not be evaluated.
    NotEvaluable,
}

impl Outcome {
    /// As written in `expected.toml` and in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Fail => "fail",
            Outcome::NotEvaluable => "not_evaluable",
        }
    }

    /// The outcome written `s`, if it is one.
    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "fail" => Some(Outcome::Fail),
            "not_evaluable" => Some(Outcome::NotEvaluable),
            _ => None,
        }
    }
}

/// A finding as a case states it, or as a check found it. Two findings are
/// about the same check when their rule, year and entity are the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    /// `None` for checks not tied to a year.
    pub year: Option<i32>,
    /// The row's key (without its year), `列=值` for a group, `全区`.
    pub entity: String,
    pub outcome: Outcome,
    /// The measured value as the text report shows it (`4 m²/人`); in an
    /// expected finding, `None` means "any value".
    pub value: Option<String>,
}

impl Finding {
    fn same_check(&self, other: &Finding) -> bool {
        self.rule == other.rule && self.year == other.year && self.entity == other.entity
    }

    /// Whether `actual` is the finding this expected finding states: the
    /// same check, the same outcome, and the same value when one is given.
    pub fn matches(&self, actual: &Finding) -> bool {
        self.same_check(actual)
            && self.outcome == actual.outcome
            && self
                .value
                .as_ref()
                .is_none_or(|v| actual.value.as_ref() == Some(v))
    }
}

/// A test case, as its `expected.toml` states it.
#[derive(Debug, Clone)]
pub struct Case {
    /// The report year (`dudao check --year`), or `None` for the latest
    /// year in the data.
    pub year: Option<i32>,
    /// The submission, when it is elsewhere: the path as written (relative
    /// to the case folder) and where it is written in `expected.toml`.
    pub submission: Option<(String, Range<usize>)>,
    /// The rules in scope, as listed.
    pub rules: Vec<String>,
    /// The expected findings, in the order written.
    pub findings: Vec<Finding>,
    /// The text of `expected.toml`, for diagnostics about the case.
    pub source: Source,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    year: Option<Spanned<i64>>,
    submission: Option<Spanned<String>>,
    rules: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    finding: Vec<Spanned<RawFinding>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFinding {
    rule: Spanned<String>,
    year: Option<Spanned<i64>>,
    entity: Spanned<String>,
    outcome: Spanned<String>,
    value: Option<Spanned<String>>,
}

/// Reads the text of an `expected.toml` (shown as `name` in diagnostics)
/// against the ids of the pack's rules. Every error of the case is
/// returned (a file that is not TOML, or does not have the fields of a
/// case, stops at its first error).
pub fn parse(name: &str, text: &str, rule_ids: &[&str]) -> Result<Case, Vec<Diag>> {
    // A byte-order mark (as Notepad writes) is not part of the TOML.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let src = source(name, text);
    let bad = |code: Code, message: Msg, span: Range<usize>, label: Msg| {
        Diag::new(code, message).label(span, label).source(&src)
    };
    // Syntax first (every error), then the names of the fields (every
    // unknown or missing one), then their types (serde, the first error).
    let (doc, errors) = toml::de::DeTable::parse_recoverable(text);
    let toml_error = |e: &toml::de::Error| {
        bad(
            Code::TestBadCase,
            m::bad_toml(&one_line(e.message())),
            e.span().unwrap_or(0..0),
            m::label_here(),
        )
        .help(m::bad_case_help())
    };
    if !errors.is_empty() {
        // One error a line: the errors after the first on a line follow from it.
        let line = |e: &toml::de::Error| {
            let at = e.span().map_or(0, |r| r.start);
            text.get(..at).map_or(0, |b| b.matches('\n').count())
        };
        let mut diags: Vec<Diag> = Vec::new();
        let mut last = None;
        for e in &errors {
            if last != Some(line(e)) {
                last = Some(line(e));
                diags.push(toml_error(e));
            }
        }
        return Err(diags);
    }
    let field_diags = check_fields(doc.get_ref(), &bad);
    if !field_diags.is_empty() {
        return Err(field_diags);
    }
    let raw: RawCase = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => return Err(vec![toml_error(&e)]),
    };
    let mut diags = Vec::new();
    let known: HashSet<&str> = rule_ids.iter().copied().collect();
    let unknown_rule = |rule: &Spanned<String>| {
        let r = rule.get_ref();
        bad(
            Code::TestUnknownRule,
            m::unknown_rule(r),
            rule.span(),
            m::unknown_rule_label(),
        )
        .help(match did_you_mean(r, rule_ids.iter().copied()) {
            Some(near) => m::did_you_mean(near),
            None => m::unknown_rule_help(),
        })
    };
    let year_of = |y: &Option<Spanned<i64>>, diags: &mut Vec<Diag>| -> Option<i32> {
        let y = y.as_ref()?;
        let v = *y.get_ref();
        match i32::try_from(v).ok().filter(|v| (1900..=2100).contains(v)) {
            Some(v) => Some(v),
            None => {
                diags.push(
                    bad(
                        Code::TestBadCase,
                        m::bad_year(v),
                        y.span(),
                        m::bad_year_label(),
                    )
                    .help(m::bad_year_help()),
                );
                None
            }
        }
    };
    let year = year_of(&raw.year, &mut diags);
    let mut rules = Vec::new();
    match &raw.rules {
        None => diags.push(
            bad(Code::TestBadCase, m::no_rules(), 0..0, m::label_here()).help(m::no_rules_help()),
        ),
        Some(list) if list.get_ref().is_empty() => diags.push(
            bad(
                Code::TestBadCase,
                m::no_rules(),
                list.span(),
                m::label_here(),
            )
            .help(m::no_rules_help()),
        ),
        Some(list) => {
            for r in list.get_ref() {
                if !known.contains(r.get_ref().as_str()) {
                    diags.push(unknown_rule(r));
                } else if rules.contains(r.get_ref()) {
                    diags.push(
                        bad(
                            Code::TestBadCase,
                            m::rule_twice(r.get_ref()),
                            r.span(),
                            m::rule_twice_label(),
                        )
                        .help(m::rule_twice_help()),
                    );
                } else {
                    rules.push(r.get_ref().clone());
                }
            }
        }
    }
    let listed: HashSet<&str> = raw
        .rules
        .iter()
        .flat_map(|l| l.get_ref())
        .map(|r| r.get_ref().as_str())
        .collect();
    let mut findings: Vec<Finding> = Vec::new();
    for f in &raw.finding {
        let f = f.get_ref();
        let rule = f.rule.get_ref();
        let mut ok = true;
        if !known.contains(rule.as_str()) {
            diags.push(unknown_rule(&f.rule));
            ok = false;
        } else if raw.rules.is_some() && !listed.contains(rule.as_str()) {
            diags.push(
                bad(
                    Code::TestRuleNotInScope,
                    m::rule_not_in_scope(rule),
                    f.rule.span(),
                    m::rule_not_in_scope_label(),
                )
                .help(m::rule_not_in_scope_help(rule)),
            );
            ok = false;
        }
        let year = match &f.year {
            Some(_) => {
                let y = year_of(&f.year, &mut diags);
                ok &= y.is_some();
                y
            }
            None => None,
        };
        if f.entity.get_ref().trim().is_empty() {
            diags.push(
                bad(
                    Code::TestBadCase,
                    m::empty_entity(),
                    f.entity.span(),
                    m::empty_entity_label(),
                )
                .help(m::entity_help()),
            );
            ok = false;
        }
        let outcome = Outcome::parse(f.outcome.get_ref());
        if outcome.is_none() {
            diags.push(
                bad(
                    Code::TestBadCase,
                    m::bad_outcome(f.outcome.get_ref()),
                    f.outcome.span(),
                    m::bad_outcome_label(),
                )
                .help(m::bad_outcome_help()),
            );
        }
        let (Some(outcome), true) = (outcome, ok) else {
            continue;
        };
        let finding = Finding {
            rule: rule.clone(),
            year,
            entity: f.entity.get_ref().clone(),
            outcome,
            value: f.value.as_ref().map(|v| v.get_ref().clone()),
        };
        if findings.iter().any(|e| e.same_check(&finding)) {
            diags.push(
                bad(
                    Code::TestBadCase,
                    m::finding_twice(),
                    f.entity.span(),
                    m::finding_twice_label(),
                )
                .help(m::finding_twice_help()),
            );
            continue;
        }
        findings.push(finding);
    }
    if !diags.is_empty() {
        diags.sort_by_key(Diag::offset);
        return Err(diags);
    }
    Ok(Case {
        year,
        submission: raw.submission.map(|s| {
            let span = s.span();
            (s.into_inner(), span)
        }),
        rules,
        findings,
        source: src,
    })
}

/// The fields of a case, and of each `[[finding]]`.
const CASE_FIELDS: &[&str] = &["year", "submission", "rules", "finding"];
const FINDING_FIELDS: &[&str] = &["rule", "year", "entity", "outcome", "value"];
const FINDING_REQUIRED: &[&str] = &["rule", "entity", "outcome"];

/// Every field of `doc` that a case does not have, and every `[[finding]]`
/// without a field it needs.
fn check_fields(
    doc: &toml::de::DeTable,
    bad: &dyn Fn(Code, Msg, Range<usize>, Msg) -> Diag,
) -> Vec<Diag> {
    let mut diags = Vec::new();
    let unknown = |key: &Spanned<std::borrow::Cow<str>>, fields: &[&str], diags: &mut Vec<Diag>| {
        if !fields.contains(&key.get_ref().as_ref()) {
            let name = key.get_ref().as_ref();
            diags.push(
                bad(
                    Code::TestBadCase,
                    m::unknown_field(name),
                    key.span(),
                    m::unknown_field_label(),
                )
                .help(match did_you_mean(name, fields.iter().copied()) {
                    Some(near) => m::did_you_mean(near),
                    None => m::bad_case_help(),
                }),
            );
        }
    };
    for (key, value) in doc.iter() {
        unknown(key, CASE_FIELDS, &mut diags);
        if key.get_ref().as_ref() != "finding" {
            continue;
        }
        let toml::de::DeValue::Array(list) = value.get_ref() else {
            continue;
        };
        for f in list {
            let toml::de::DeValue::Table(t) = f.get_ref() else {
                continue;
            };
            for k in t.keys() {
                unknown(k, FINDING_FIELDS, &mut diags);
            }
            for need in FINDING_REQUIRED {
                if !t.keys().any(|k| k.get_ref().as_ref() == *need) {
                    diags.push(
                        bad(
                            Code::TestBadCase,
                            m::missing_field(need),
                            f.span(),
                            m::missing_field_label(need),
                        )
                        .help(m::bad_case_help()),
                    );
                }
            }
        }
    }
    diags.sort_by_key(Diag::offset);
    diags
}

/// The entity of a JSON finding as a case writes it: the row's key, the
/// group as `列=值`, or `全区`.
pub fn entity_text(e: &JsonEntity) -> String {
    match e.kind {
        "row" => e.key.clone().unwrap_or_default(),
        "group" => format!(
            "{}={}",
            e.column.as_deref().unwrap_or_default(),
            e.value.as_deref().unwrap_or_default()
        ),
        _ => DISTRICT_ENTITY.to_string(),
    }
}

/// The failed and not-evaluable findings of `rules` in a report, in report
/// order (rule order, then entity order).
pub fn actual_findings(report: &JsonReport, rules: &[String]) -> Vec<Finding> {
    report
        .findings
        .iter()
        .filter(|f| rules.contains(&f.rule))
        .filter_map(|f| {
            let outcome = Outcome::parse(f.outcome)?;
            Some(Finding {
                rule: f.rule.clone(),
                year: f.year,
                entity: entity_text(&f.entity),
                outcome,
                value: f.actual.as_ref().map(|a| a.display.clone()),
            })
        })
        .collect()
}

/// What a case's check showed against what it expects. The case passes
/// when every list is empty and the data was complete.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Judgement {
    /// Expected findings that the check did not find (or found with another
    /// outcome or value), in the order written.
    pub missing: Vec<Finding>,
    /// Findings of the rules in scope that the case does not expect, in
    /// report order.
    pub unexpected: Vec<Finding>,
    /// Rules in scope that made no check, with the reason.
    pub not_checked: Vec<(String, String)>,
    /// The data was incomplete, so the rules were not run: the verdict as
    /// the report states it.
    pub incomplete: Option<String>,
}

impl Judgement {
    pub fn passed(&self) -> bool {
        self.missing.is_empty()
            && self.unexpected.is_empty()
            && self.not_checked.is_empty()
            && self.incomplete.is_none()
    }
}

/// Compares the findings a case expects with the report of its submission
/// (see [`compare`]), and checks that every rule in scope made a check.
pub fn judge(case: &Case, report: &JsonReport, lang: Lang) -> Judgement {
    if !report.summary.checked {
        return Judgement {
            incomplete: Some(report.summary.verdict_text.clone()),
            ..Judgement::default()
        };
    }
    let (missing, unexpected) = compare(&case.findings, actual_findings(report, &case.rules));
    let not_checked = case
        .rules
        .iter()
        .filter_map(|id| match report.rules.iter().find(|r| &r.id == id) {
            Some(r) if r.checked > 0 => None,
            Some(r) => Some((
                id.clone(),
                r.skipped
                    .as_ref()
                    .map(|s| s.text.clone())
                    .unwrap_or_default(),
            )),
            None => Some((id.clone(), m::not_checked_unknown().get(lang).to_string())),
        })
        .collect();
    Judgement {
        missing,
        unexpected,
        not_checked,
        incomplete: None,
    }
}

/// Matches expected findings with actual ones: each expected finding takes
/// the first actual finding it [matches](Finding::matches); those left over
/// are the missing (expected, in the order given) and the unexpected
/// (actual, in the order given).
pub fn compare(expected: &[Finding], actual: Vec<Finding>) -> (Vec<Finding>, Vec<Finding>) {
    let mut used = vec![false; actual.len()];
    let mut missing = Vec::new();
    for e in expected {
        let hit = actual
            .iter()
            .zip(used.iter_mut())
            .find(|(a, u)| !**u && e.matches(a));
        match hit {
            Some((_, u)) => *u = true,
            None => missing.push(e.clone()),
        }
    }
    let unexpected = actual
        .into_iter()
        .zip(used)
        .filter(|(_, u)| !u)
        .map(|(a, _)| a)
        .collect();
    (missing, unexpected)
}

/// The lines that explain a failed case (without the case's own line),
/// each indented; findings are aligned in columns by display width.
pub fn explain(j: &Judgement, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(detail) = &j.incomplete {
        out.push(format!("    {}", m::incomplete(detail).get(lang)));
    }
    for (rule, reason) in &j.not_checked {
        out.push(format!("    {}", m::not_checked(rule, reason).get(lang)));
    }
    let rows: Vec<[String; 5]> = j.missing.iter().chain(&j.unexpected).map(columns).collect();
    let widths: [usize; 5] = std::array::from_fn(|i| {
        rows.iter()
            .filter_map(|r| r.get(i))
            .map(|c| width(c))
            .max()
            .unwrap_or(0)
    });
    let line = |r: &[String; 5]| {
        let cells: Vec<String> = r.iter().zip(widths).map(|(c, w)| pad_right(c, w)).collect();
        format!("      {}", cells.join("  ").trim_end())
    };
    let (missing, unexpected) = rows.split_at(j.missing.len());
    if !missing.is_empty() {
        out.push(format!("    {}", m::missing_header().get(lang)));
        out.extend(missing.iter().map(line));
    }
    if !unexpected.is_empty() {
        out.push(format!("    {}", m::unexpected_header().get(lang)));
        out.extend(unexpected.iter().map(line));
    }
    out
}

/// A finding as the columns of a failed case's list: rule, year, entity,
/// outcome, value (`—` where there is no year).
fn columns(f: &Finding) -> [String; 5] {
    [
        f.rule.clone(),
        f.year.map_or_else(|| "—".to_string(), |y| y.to_string()),
        f.entity.clone(),
        f.outcome.as_str().to_string(),
        f.value.clone().unwrap_or_default(),
    ]
}

#[derive(Serialize)]
struct WrittenFinding<'a> {
    rule: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<i32>,
    entity: &'a str,
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
}

#[derive(Serialize)]
struct WrittenFindings<'a> {
    finding: Vec<WrittenFinding<'a>>,
}

#[derive(Serialize)]
struct WrittenHead<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    submission: Option<&'a str>,
    rules: &'a [String],
}

/// The `expected.toml` that `dudao test --accept` writes: the text of the
/// original up to its first `[[finding]]` (its comments, `year`,
/// `submission` and `rules`), then one `[[finding]]` per finding of
/// `actual`, in report order, with `value` for a failure that shows one.
/// When the findings were not written as `[[finding]]` tables, the head is
/// written anew (without its comments). A file with Windows line ends
/// (`\r\n`) keeps them.
pub fn accepted_text(original: &str, case: &Case, actual: &[Finding]) -> String {
    let head_end = finding_header(original).unwrap_or(original.len());
    let mut head = original.get(..head_end).unwrap_or_default().to_string();
    // A head that still holds findings (written inline) is written anew.
    let head_ok = toml::from_str::<RawCase>(&head).is_ok_and(|r| r.finding.is_empty());
    if !head_ok {
        head = toml::to_string(&WrittenHead {
            year: case.year,
            submission: case.submission.as_ref().map(|(s, _)| s.as_str()),
            rules: &case.rules,
        })
        .unwrap_or_default();
    }
    let mut text = head.trim_end().to_string();
    text.push('\n');
    let findings = WrittenFindings {
        finding: actual
            .iter()
            .map(|f| WrittenFinding {
                rule: &f.rule,
                year: f.year,
                entity: &f.entity,
                outcome: f.outcome.as_str(),
                value: match f.outcome {
                    Outcome::Fail => f.value.as_deref().filter(|v| !v.is_empty()),
                    Outcome::NotEvaluable => None,
                },
            })
            .collect(),
    };
    if !findings.finding.is_empty() {
        text.push('\n');
        text.push_str(toml::to_string(&findings).unwrap_or_default().trim_end());
        text.push('\n');
    }
    if original.contains("\r\n") {
        text = text.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    text
}

/// The byte offset of the first line that opens a `[[finding]]` table.
fn finding_header(text: &str) -> Option<usize> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.starts_with("[[finding]]") {
            return Some(at);
        }
        at += line.len();
    }
    None
}

/// One rule of the pack and the cases that name it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleCoverage {
    pub rule: String,
    /// Cases naming the rule that passed, by name.
    pub passing: Vec<String>,
    /// Cases naming the rule that failed, by name.
    pub failing: Vec<String>,
}

/// Each rule of the pack (`rule_ids`, in pack order) with the cases that
/// name it in `rules`: `cases` holds each case's name, its rules and
/// whether it passed.
pub fn coverage(rule_ids: &[&str], cases: &[(&str, &[String], bool)]) -> Vec<RuleCoverage> {
    let mut by_rule: BTreeMap<&str, RuleCoverage> = BTreeMap::new();
    for (name, rules, passed) in cases {
        for r in rules.iter() {
            let e = by_rule.entry(r.as_str()).or_default();
            if *passed {
                e.passing.push(name.to_string());
            } else {
                e.failing.push(name.to_string());
            }
        }
    }
    rule_ids
        .iter()
        .map(|id| {
            let mut c = by_rule.remove(id).unwrap_or_default();
            c.rule = id.to_string();
            c.passing.sort();
            c.failing.sort();
            c
        })
        .collect()
}

/// The coverage as text: a table of the rules that have cases (rule,
/// passing cases, failing cases), then the rules that have none, then how
/// many rules have a case.
pub fn render_coverage(rows: &[RuleCoverage], lang: Lang) -> String {
    let t = |msg: Msg| msg.get(lang).to_string();
    let covered: Vec<&RuleCoverage> = rows
        .iter()
        .filter(|r| !r.passing.is_empty() || !r.failing.is_empty())
        .collect();
    let none: Vec<&str> = rows
        .iter()
        .filter(|r| r.passing.is_empty() && r.failing.is_empty())
        .map(|r| r.rule.as_str())
        .collect();
    let list = |v: &[String]| {
        if v.is_empty() {
            "—".to_string()
        } else {
            v.join(", ")
        }
    };
    let mut table: Vec<[String; 3]> = vec![[
        t(m::coverage_rule()),
        t(m::coverage_passing()),
        t(m::coverage_failing()),
    ]];
    table.extend(
        covered
            .iter()
            .map(|r| [r.rule.clone(), list(&r.passing), list(&r.failing)]),
    );
    let w0 = table.iter().map(|r| width(&r[0])).max().unwrap_or(0);
    let w1 = table.iter().map(|r| width(&r[1])).max().unwrap_or(0);
    let mut out = String::new();
    if !covered.is_empty() {
        for [a, b, c] in &table {
            let line = format!("{}  {}  {}", pad_right(a, w0), pad_right(b, w1), c);
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    if !none.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&t(m::coverage_none(none.len())));
        out.push('\n');
        // Ten ids a line.
        for chunk in none.chunks(10) {
            out.push_str("  ");
            out.push_str(&chunk.join(", "));
            out.push('\n');
        }
    }
    out.push('\n');
    out.push_str(&t(m::coverage_total(covered.len(), rows.len())));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests;
