//! `dudao diff`: two sets of findings compared key by key.
//!
//! Each side is one JSON report as `dudao check --format json` writes it
//! (one submission, or a batch), read with [`read_report`] from its text or
//! made in-process with [`submission_of_report`]. [`compare`] keys every finding
//! by (submission, rule, year, entity) and sorts the keys into four lists
//! per rule:
//!
//! - **added** (新增): only in the new side;
//! - **removed** (不再出现; 已整改 when the two sides are two submissions of
//!   one district): only in the old side;
//! - **changed**: in both, with a different outcome, measured value
//!   (`actual.display`) or standard (`threshold.display`);
//! - **persisting** (未变; 仍存在): in both, the same.
//!
//! Hashes, locations, messages and the order of the findings are not
//! compared. The key:
//!
//! - *submission*: `submissions[].label` of a batch report; nothing for two
//!   reports of one submission each (so that `wanzhou-2024` and
//!   `wanzhou-2025` line up);
//! - *rule*: `findings[].rule`;
//! - *year*: for two batch reports, `findings[].year`. For two reports of
//!   one submission each, the year counted from each side's report year
//!   (`submission.report_year`): a 2024 report's finding of 2024 and a 2025
//!   report's finding of 2025 are both "the report year", and a finding of
//!   the year before lines up with the year before. When a side has no
//!   report year, the years themselves;
//! - *entity*: a row by its key (`entity.key`, the school id, the class id),
//!   a group by `column=value`, the whole submission as `全区`. A row whose
//!   key is its year (a table by year) is keyed by the year, like the year.
//!
//! A key that occurs more than once on a side (which `dudao check` never
//! writes) is paired in the order of the findings' values, not of the file.
//!
//! The module is pure: no files, no printing. [`text`] renders a [`Diff`]
//! for the terminal; the [`Diff`] serialises to the JSON of `--format json`.

pub mod text;

use crate::diag::{Code, Diag, Msg};
use crate::msg::diff as m;
use crate::report::json::JsonReport;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

// ── what is read from a report ──────────────────────────────────────────

/// A report as read: the fields the comparison needs, all optional so that
/// a document of another shape is recognised and named, not rejected with
/// a message about a missing field.
#[derive(Debug, Deserialize)]
struct RawDoc {
    status: Option<String>,
    rule_pack: Option<RawPack>,
    submission: Option<RawSubmission>,
    summary: Option<RawSummary>,
    rules: Option<Vec<RawRule>>,
    findings: Option<Vec<RawFinding>>,
    submissions: Option<Vec<RawEntry>>,
}

#[derive(Debug, Deserialize)]
struct RawReport {
    status: Option<String>,
    submission: Option<RawSubmission>,
    summary: Option<RawSummary>,
    rules: Option<Vec<RawRule>>,
    findings: Option<Vec<RawFinding>>,
}

#[derive(Debug, Deserialize)]
struct RawPack {
    hash: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawSubmission {
    name: Option<String>,
    report_year: Option<i32>,
    #[serde(default)]
    files: Vec<RawFile>,
}

#[derive(Debug, Deserialize)]
struct RawFile {
    sha256: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawSummary {
    checked: Option<bool>,
}

#[derive(Debug, Deserialize)]
struct RawRule {
    id: String,
    #[serde(default)]
    title: String,
}

#[derive(Debug, Deserialize)]
struct RawEntry {
    label: String,
    status: Option<String>,
    report: Option<RawReport>,
}

#[derive(Debug, Clone, Deserialize)]
struct RawFinding {
    rule: String,
    outcome: String,
    year: Option<i32>,
    entity: RawEntity,
    actual: Option<RawValue>,
    op: Option<String>,
    threshold: Option<RawValue>,
    reason: Option<RawReason>,
}

#[derive(Debug, Clone, Deserialize)]
struct RawEntity {
    kind: String,
    table: Option<String>,
    key: Option<String>,
    name: Option<String>,
    column: Option<String>,
    value: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct RawValue {
    display: String,
}

#[derive(Debug, Clone, Deserialize)]
struct RawReason {
    text: String,
}

// ── one side ────────────────────────────────────────────────────────────

/// One side of a comparison: the findings of one or more submissions.
#[derive(Debug, Clone)]
pub struct Side {
    /// What the side is, as the user named it: a report file, or a rule pack.
    pub source: String,
    /// True for a batch report (submissions keyed by label).
    pub batch: bool,
    /// The rule pack's hash, when the report gives one.
    pub pack_hash: Option<String>,
    /// Each submission, in the report's order.
    pub submissions: Vec<SubmissionSide>,
}

/// One submission of a side.
#[derive(Debug, Clone)]
pub struct SubmissionSide {
    /// Its label in a batch; its name for a report of one submission.
    pub label: String,
    /// The submission's name (its folder or workbook).
    pub name: String,
    /// The year reported on.
    pub report_year: Option<i32>,
    /// The SHA-256 of its files, sorted (to tell whether two sides read the
    /// same data).
    pub file_hashes: Vec<String>,
    /// The rules of the pack, in pack order: id and title.
    pub rules: Vec<(String, String)>,
    /// Its findings, or why it has none to compare.
    pub findings: Result<Vec<Finding>, Unchecked>,
}

/// Why a submission has no findings to compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unchecked {
    /// It could not be loaded (`"failed_to_load"`).
    FailedToLoad,
    /// Its data was incomplete and the rules were not run.
    NotChecked,
    /// The batch report of this side has no submission of this label.
    Absent,
}

/// One finding, as far as the comparison reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    pub year: Option<i32>,
    pub entity: EntityInfo,
    pub state: State,
}

/// What was checked, as the report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityInfo {
    /// `"row"`, `"group"` or `"submission"`.
    pub kind: String,
    /// The table (rows and groups), or `null`.
    pub table: Option<String>,
    /// Rows: the row's key (the school id), or `null`.
    pub key: Option<String>,
    /// Rows: the row's name (the school's name), or `null`.
    pub name: Option<String>,
    /// Groups: the column grouped by, or `null`.
    pub column: Option<String>,
    /// Groups: the group's value, or `null`.
    pub value: Option<String>,
}

/// A finding's result on one side.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct State {
    /// `"fail"` or `"not_evaluable"`.
    pub outcome: String,
    /// The year checked, or `null`.
    pub year: Option<i32>,
    /// The measured value as the report shows it (`"46 人"`), or `null`.
    pub actual: Option<String>,
    /// The asserted comparison (`"<="`), or `null`.
    pub op: Option<String>,
    /// The standard as the report shows it (`"45 人"`), or `null`.
    pub threshold: Option<String>,
    /// Why it could not be evaluated, or `null`.
    pub reason: Option<String>,
}

/// Reads one report file's text (`name` is how the file is named in
/// messages). A file that is not JSON, or not a report, is a
/// `dudao::diff::bad_report` with its location.
pub fn read_report(name: &str, text: &str) -> Result<Side, Box<Diag>> {
    let doc: RawDoc = serde_json::from_str(text).map_err(|e| {
        let what = if e.is_eof() {
            m::json_cut()
        } else if e.is_syntax() {
            m::not_json()
        } else {
            m::not_a_report_here()
        };
        Box::new(bad_report(name, text, Some((e.line(), e.column())), what))
    })?;
    let pack_hash = doc.rule_pack.and_then(|p| p.hash);
    if let Some(entries) = doc.submissions {
        let submissions = entries
            .into_iter()
            .map(|e| {
                let failed = e.status.as_deref() == Some("failed_to_load");
                match e.report {
                    Some(r) if !failed => submission_of(r, Some(e.label)),
                    _ => SubmissionSide {
                        name: e.label.clone(),
                        label: e.label,
                        report_year: None,
                        file_hashes: Vec::new(),
                        rules: Vec::new(),
                        findings: Err(Unchecked::FailedToLoad),
                    },
                }
            })
            .collect();
        return Ok(Side {
            source: name.to_string(),
            batch: true,
            pack_hash,
            submissions,
        });
    }
    let status = doc.status.clone().unwrap_or_default();
    if status == "failed_to_load" {
        let sub = doc
            .submission
            .as_ref()
            .and_then(|s| s.name.clone())
            .unwrap_or_else(|| name.to_string());
        return Ok(Side {
            source: name.to_string(),
            batch: false,
            pack_hash,
            submissions: vec![SubmissionSide {
                label: sub.clone(),
                name: sub,
                report_year: None,
                file_hashes: Vec::new(),
                rules: Vec::new(),
                findings: Err(Unchecked::FailedToLoad),
            }],
        });
    }
    if status == "rules_failed" {
        return Err(Box::new(
            bad_report(name, text, None, m::rules_failed()).help(m::rules_failed_help()),
        ));
    }
    if doc.findings.is_none() || doc.submission.is_none() {
        return Err(Box::new(bad_report(name, text, None, m::not_a_report())));
    }
    let report = RawReport {
        status: doc.status,
        submission: doc.submission,
        summary: doc.summary,
        rules: doc.rules,
        findings: doc.findings,
    };
    Ok(Side {
        source: name.to_string(),
        batch: false,
        pack_hash,
        submissions: vec![submission_of(report, None)],
    })
}

/// What a submission that could not be loaded contributes to a side made
/// in-process: its label, and no findings.
pub fn failed_submission(label: &str) -> SubmissionSide {
    SubmissionSide {
        label: label.to_string(),
        name: label.to_string(),
        report_year: None,
        file_hashes: Vec::new(),
        rules: Vec::new(),
        findings: Err(Unchecked::FailedToLoad),
    }
}

/// The side of reports made in-process (`dudao diff --old-rules A
/// --new-rules B …`): each report read as its JSON would be, so that both
/// ways give the same comparison. `label` is `None` for a single report.
pub fn submission_of_report(report: &JsonReport, label: Option<&str>) -> SubmissionSide {
    let raw = serde_json::to_value(report)
        .ok()
        .and_then(|v| serde_json::from_value::<RawReport>(v).ok());
    match raw {
        Some(r) => submission_of(r, label.map(str::to_string)),
        // The report's own structs always read back; should they not, the
        // submission is shown as not comparable rather than as empty.
        None => SubmissionSide {
            findings: Err(Unchecked::NotChecked),
            ..failed_submission(label.unwrap_or(&report.submission.name))
        },
    }
}

fn submission_of(r: RawReport, label: Option<String>) -> SubmissionSide {
    let sub = r.submission.as_ref();
    let name = sub.and_then(|s| s.name.clone()).unwrap_or_default();
    let mut file_hashes: Vec<String> = sub
        .map(|s| s.files.iter().filter_map(|f| f.sha256.clone()).collect())
        .unwrap_or_default();
    file_hashes.sort();
    let checked = r.summary.as_ref().and_then(|s| s.checked).unwrap_or(true)
        && r.status.as_deref() != Some("failed_to_load");
    let findings = if checked {
        Ok(r.findings
            .unwrap_or_default()
            .into_iter()
            .map(|f| Finding {
                rule: f.rule,
                year: f.year,
                entity: EntityInfo {
                    kind: f.entity.kind,
                    table: f.entity.table,
                    key: f.entity.key,
                    name: f.entity.name,
                    column: f.entity.column,
                    value: f.entity.value,
                },
                state: State {
                    outcome: f.outcome,
                    year: f.year,
                    actual: f.actual.map(|v| v.display),
                    op: f.op,
                    threshold: f.threshold.map(|v| v.display),
                    reason: f.reason.map(|r| r.text),
                },
            })
            .collect())
    } else {
        Err(Unchecked::NotChecked)
    };
    SubmissionSide {
        label: label.unwrap_or_else(|| name.clone()),
        name,
        report_year: sub.and_then(|s| s.report_year),
        file_hashes,
        rules: r
            .rules
            .unwrap_or_default()
            .into_iter()
            .map(|x| (x.id, x.title))
            .collect(),
        findings,
    }
}

fn bad_report(name: &str, text: &str, at: Option<(usize, usize)>, what: Msg) -> Diag {
    let d = Diag::new(Code::DiffBadReport, m::bad_report(name, &what)).help(m::bad_report_help());
    match at {
        Some((line, column)) if line > 0 => {
            let offset = offset_of(text, line, column);
            let end = text
                .get(offset..)
                .and_then(|rest| rest.chars().next())
                .map_or(offset, |c| offset + c.len_utf8());
            d.source(&crate::diag::source(name, text))
                .label(offset..end, m::here())
        }
        _ => d,
    }
}

/// The byte offset of 1-based `line` and `column` (serde_json counts the
/// column in bytes, 0 meaning before the line's first character).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut at = (start + column.saturating_sub(1)).min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

// ── the key ─────────────────────────────────────────────────────────────

/// The year part of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum YearKey {
    /// A check not tied to a year.
    None,
    /// Years counted from the side's report year: 0 is the report year,
    /// -1 the year before.
    FromReport(i32),
    /// The year itself.
    Year(i32),
}

/// The entity part of a key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityKey {
    /// The whole submission (`全区`).
    Submission,
    /// A group: `column=value`.
    Group(String),
    /// A row by its key.
    Row(String),
    /// A row whose key is its year (a table by year): keyed as the year is.
    YearRow,
    /// An entity of a kind this version does not know, by what it names.
    Other(String),
}

/// The key a finding is compared by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// Where the submission is in the comparison (batch only; 0 otherwise).
    pub submission: usize,
    pub rule: String,
    pub year: YearKey,
    pub entity: EntityKey,
}

/// How years are keyed: counted from each side's report year, or as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum YearMode {
    /// Each side's years counted from its own report year.
    FromReportYear,
    /// The years as they are.
    Year,
}

/// The year part of the key of a finding of `year`, for a side whose report
/// year is `report_year`.
pub fn year_key(year: Option<i32>, report_year: Option<i32>, mode: YearMode) -> YearKey {
    match (year, mode, report_year) {
        (None, _, _) => YearKey::None,
        (Some(y), YearMode::FromReportYear, Some(r)) => YearKey::FromReport(y - r),
        (Some(y), _, _) => YearKey::Year(y),
    }
}

/// The entity part of the key (see the module documentation).
pub fn entity_key(e: &EntityInfo, year: Option<i32>) -> EntityKey {
    match e.kind.as_str() {
        "submission" => EntityKey::Submission,
        "group" => EntityKey::Group(format!(
            "{}={}",
            e.column.as_deref().unwrap_or(""),
            e.value.as_deref().unwrap_or("")
        )),
        "row" => {
            let key = e.key.clone().unwrap_or_default();
            if year.is_some_and(|y| y.to_string() == key) {
                EntityKey::YearRow
            } else {
                EntityKey::Row(key)
            }
        }
        other => EntityKey::Other(format!(
            "{other}:{}:{}:{}",
            e.key.as_deref().unwrap_or(""),
            e.column.as_deref().unwrap_or(""),
            e.value.as_deref().unwrap_or("")
        )),
    }
}

// ── the comparison ──────────────────────────────────────────────────────

/// What the two sides differ in, which decides the words: fixed (已整改)
/// makes sense only when the rules stayed the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffKind {
    /// The same data under two rule packs.
    Rules,
    /// The same rule pack over two submissions (or two versions of one).
    Submissions,
    /// Both the rule pack and the data differ.
    Both,
    /// The same rule pack over the same data (the same report twice, or
    /// one checked again).
    Same,
}

/// The comparison of two sides.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// What differs between the sides: `"rules"`, `"submissions"`, `"both"`
    /// or `"same"` (nothing: the same rule pack and the same files).
    pub kind: DiffKind,
    /// How years are keyed: `"from_report_year"` (two reports of one
    /// submission each: each side's years counted from its report year) or
    /// `"year"` (batch reports: the years themselves).
    pub years: YearMode,
    /// The old side.
    pub old: SideInfo,
    /// The new side.
    pub new: SideInfo,
    /// Totals over all rules, and the exit code.
    pub summary: Summary,
    /// Every rule with a finding on either side, in the rule pack's order
    /// (the new side's, then rules only the old side has): its counts and
    /// its findings.
    pub rules: Vec<RuleDiff>,
    /// Submissions whose findings could not be compared, with why.
    pub not_comparable: Vec<NotComparable>,
}

/// One side, as the comparison names it.
#[derive(Debug, Clone, Serialize)]
pub struct SideInfo {
    /// The report file, or the rule pack, as given.
    pub source: String,
    /// The rule pack's SHA-256, or `null` when the report gives none.
    pub rule_pack: Option<String>,
    /// Each submission: label, name and report year.
    pub submissions: Vec<SubmissionInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubmissionInfo {
    /// Its label in a batch report; its name otherwise.
    pub label: String,
    /// The submission's name (folder or workbook).
    pub name: String,
    /// The year reported on, or `null`.
    pub report_year: Option<i32>,
}

/// Counts of findings by change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Findings only in the new side (新增).
    pub added: usize,
    /// Findings only in the old side (不再出现; 已整改).
    pub removed: usize,
    /// Findings in both with a different outcome, value or standard.
    pub changed: usize,
    /// Findings in both, the same (未变; 仍存在).
    pub persisting: usize,
}

impl Counts {
    /// Added, removed and changed: what makes the sides differ.
    pub fn differences(&self) -> usize {
        self.added + self.removed + self.changed
    }

    fn count(&mut self, c: Change) {
        match c {
            Change::Added => self.added += 1,
            Change::Removed => self.removed += 1,
            Change::Changed => self.changed += 1,
            Change::Persisting => self.persisting += 1,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Findings by change, over all rules.
    #[serde(flatten)]
    pub counts: Counts,
    /// Rules with an added, removed or changed finding.
    pub rules_changed: usize,
    /// Submissions that could not be compared (see `not_comparable`).
    pub not_comparable: usize,
    /// True when anything was added, removed or changed.
    pub differ: bool,
    /// The exit code of `dudao diff`: 0 no change, 1 changes, 2 a
    /// submission could not be compared.
    pub exit_code: u8,
}

/// One rule's findings compared.
#[derive(Debug, Clone, Serialize)]
pub struct RuleDiff {
    /// The rule id.
    pub rule: String,
    /// Its title (the new side's), or `""` when neither report lists it.
    pub title: String,
    /// Its findings by change.
    #[serde(flatten)]
    pub counts: Counts,
    /// Every finding of the rule on either side: changed, added, removed,
    /// then persisting; within each, by submission, year and entity.
    pub findings: Vec<FindingDiff>,
}

/// How a finding changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// In both sides, different.
    Changed,
    /// Only in the new side.
    Added,
    /// Only in the old side.
    Removed,
    /// In both sides, the same.
    Persisting,
}

/// One finding compared.
#[derive(Debug, Clone, Serialize)]
pub struct FindingDiff {
    /// `"changed"`, `"added"`, `"removed"` or `"persisting"`.
    pub change: Change,
    /// The submission's label (batch reports), or `null`.
    pub submission: Option<String>,
    /// What was checked (as the new side names it when it has the finding).
    pub entity: EntityInfo,
    /// The finding in the old side, or `null` (added).
    pub old: Option<State>,
    /// The finding in the new side, or `null` (removed).
    pub new: Option<State>,
    #[serde(skip)]
    key: Key,
}

/// A submission whose findings could not be compared.
#[derive(Debug, Clone, Serialize)]
pub struct NotComparable {
    /// Its label (or name).
    pub submission: String,
    /// `"old"` or `"new"`: the side without findings (the old one when both).
    pub side: &'static str,
    /// `"failed_to_load"`, `"not_checked"` or `"absent"` (the side's batch
    /// report has no submission of that label).
    pub reason: Unchecked,
}

/// Compares two sides. Two reports of one submission each are compared
/// without the submission in the key and with years counted from each
/// report year; two batch reports by label and year. A single report and a
/// batch of one submission compare as two single reports; a single report
/// and a batch of several cannot be compared (`dudao::diff::mixed_reports`).
pub fn compare(old: &Side, new: &Side) -> Result<Diff, Box<Diag>> {
    let single = |s: &Side| !s.batch || s.submissions.len() == 1;
    let by_label = match (old.batch, new.batch) {
        (true, true) => true,
        (false, false) => false,
        _ if single(old) && single(new) => false,
        _ => {
            let (one, many) = if old.batch { (new, old) } else { (old, new) };
            return Err(Box::new(
                Diag::new(
                    Code::DiffMixedReports,
                    m::mixed_reports(&one.source, &many.source, many.submissions.len()),
                )
                .help(m::mixed_reports_help()),
            ));
        }
    };
    let years = if !by_label
        && old.submissions.iter().all(|s| s.report_year.is_some())
        && new.submissions.iter().all(|s| s.report_year.is_some())
    {
        YearMode::FromReportYear
    } else {
        YearMode::Year
    };

    // Submissions in the order of the new side, then those only in the old.
    let mut order: Vec<String> = Vec::new();
    if by_label {
        for s in new.submissions.iter().chain(&old.submissions) {
            if !order.contains(&s.label) {
                order.push(s.label.clone());
            }
        }
    }
    let index = |label: &str| order.iter().position(|l| l == label).unwrap_or(0);

    let mut not_comparable = Vec::new();
    let mut skipped: BTreeSet<usize> = BTreeSet::new();
    if by_label {
        for (side, other, name) in [(old, new, "old"), (new, old, "new")] {
            for s in &other.submissions {
                let i = index(&s.label);
                if !side.submissions.iter().any(|x| x.label == s.label) && skipped.insert(i) {
                    not_comparable.push(NotComparable {
                        submission: s.label.clone(),
                        side: name,
                        reason: Unchecked::Absent,
                    });
                }
            }
        }
    }
    for (side, name) in [(old, "old"), (new, "new")] {
        for s in &side.submissions {
            if let Err(reason) = &s.findings {
                let i = if by_label { index(&s.label) } else { 0 };
                if skipped.insert(i) {
                    not_comparable.push(NotComparable {
                        submission: s.label.clone(),
                        side: name,
                        reason: *reason,
                    });
                }
            }
        }
    }

    let keyed = |side: &Side| -> BTreeMap<(Key, usize), (Finding, Option<String>)> {
        let mut groups: BTreeMap<Key, Vec<Finding>> = BTreeMap::new();
        let mut labels: BTreeMap<usize, String> = BTreeMap::new();
        for s in &side.submissions {
            let i = if by_label { index(&s.label) } else { 0 };
            if skipped.contains(&i) {
                continue;
            }
            let Ok(findings) = &s.findings else { continue };
            if by_label {
                labels.insert(i, s.label.clone());
            }
            for f in findings {
                let key = Key {
                    submission: i,
                    rule: f.rule.clone(),
                    year: year_key(f.year, s.report_year, years),
                    entity: entity_key(&f.entity, f.year),
                };
                groups.entry(key).or_default().push(f.clone());
            }
        }
        let mut out = BTreeMap::new();
        for (key, mut fs) in groups {
            // Duplicates pair in the order of their values, not of the file.
            fs.sort_by(|a, b| a.state.cmp(&b.state));
            for (n, f) in fs.into_iter().enumerate() {
                let label = labels.get(&key.submission).cloned();
                out.insert((key.clone(), n), (f, label));
            }
        }
        out
    };
    let mut olds = keyed(old);
    let news = keyed(new);

    let mut by_rule: BTreeMap<String, Vec<FindingDiff>> = BTreeMap::new();
    for (k, (nf, label)) in news {
        let (change, old_state) = match olds.remove(&k) {
            Some((of, _)) => {
                let same = of.state.outcome == nf.state.outcome
                    && of.state.actual == nf.state.actual
                    && of.state.threshold == nf.state.threshold;
                let c = if same {
                    Change::Persisting
                } else {
                    Change::Changed
                };
                (c, Some(of.state))
            }
            None => (Change::Added, None),
        };
        by_rule
            .entry(nf.rule.clone())
            .or_default()
            .push(FindingDiff {
                change,
                submission: label,
                entity: nf.entity,
                old: old_state,
                new: Some(nf.state),
                key: k.0,
            });
    }
    for (k, (of, label)) in olds {
        by_rule
            .entry(of.rule.clone())
            .or_default()
            .push(FindingDiff {
                change: Change::Removed,
                submission: label,
                entity: of.entity,
                old: Some(of.state),
                new: None,
                key: k.0,
            });
    }

    // Rules in pack order: the new side's, then the old side's, then any
    // rule a finding names that no rule list has (by id).
    let mut titles: Vec<(String, String)> = Vec::new();
    for s in new.submissions.iter().chain(&old.submissions) {
        for (id, title) in &s.rules {
            if !titles.iter().any(|(i, _)| i == id) {
                titles.push((id.clone(), title.clone()));
            }
        }
    }
    for id in by_rule.keys() {
        if !titles.iter().any(|(i, _)| i == id) {
            titles.push((id.clone(), String::new()));
        }
    }
    let mut total = Counts::default();
    let mut rules = Vec::new();
    for (id, title) in titles {
        let Some(mut findings) = by_rule.remove(&id) else {
            continue;
        };
        findings.sort_by(|a, b| (a.change, &a.key).cmp(&(b.change, &b.key)));
        let mut counts = Counts::default();
        for f in &findings {
            counts.count(f.change);
            total.count(f.change);
        }
        rules.push(RuleDiff {
            rule: id,
            title,
            counts,
            findings,
        });
    }
    let rules_changed = rules.iter().filter(|r| r.counts.differences() > 0).count();
    let differ = total.differences() > 0;
    let exit_code = if !not_comparable.is_empty() {
        2
    } else if differ {
        1
    } else {
        0
    };
    Ok(Diff {
        kind: kind_of(old, new),
        years,
        old: info(old),
        new: info(new),
        summary: Summary {
            counts: total,
            rules_changed,
            not_comparable: not_comparable.len(),
            differ,
            exit_code,
        },
        rules,
        not_comparable,
    })
}

/// Same rule pack: the data changed; same data: the rules changed.
fn kind_of(old: &Side, new: &Side) -> DiffKind {
    let same_pack = old.pack_hash.is_some() && old.pack_hash == new.pack_hash;
    let files = |s: &Side| -> Vec<Vec<String>> {
        s.submissions
            .iter()
            .map(|x| x.file_hashes.clone())
            .collect()
    };
    let (a, b) = (files(old), files(new));
    let same_data = a == b && a.iter().all(|f| !f.is_empty());
    match (same_pack, same_data) {
        (true, true) => DiffKind::Same,
        (true, false) => DiffKind::Submissions,
        (false, true) => DiffKind::Rules,
        (false, false) => DiffKind::Both,
    }
}

fn info(s: &Side) -> SideInfo {
    SideInfo {
        source: s.source.clone(),
        rule_pack: s.pack_hash.clone(),
        submissions: s
            .submissions
            .iter()
            .map(|x| SubmissionInfo {
                label: x.label.clone(),
                name: x.name.clone(),
                report_year: x.report_year,
            })
            .collect(),
    }
}

impl Diff {
    /// The diagnostics (warnings) of the submissions that could not be
    /// compared, for stderr.
    pub fn warnings(&self) -> Vec<Diag> {
        self.not_comparable
            .iter()
            .map(|n| {
                let side = match n.side {
                    "old" => m::side_old(),
                    _ => m::side_new(),
                };
                let why = match n.reason {
                    Unchecked::FailedToLoad => m::reason_failed_to_load(),
                    Unchecked::NotChecked => m::reason_not_checked(),
                    Unchecked::Absent => m::reason_absent(),
                };
                Diag::new(
                    Code::DiffNotComparable,
                    m::not_comparable(&n.submission, &side, &why),
                )
                .help(m::not_comparable_help())
                .warning()
            })
            .collect()
    }

    /// Sets what the two sides differ in, when the command knows it better
    /// than the hashes tell (the same submissions under two packs).
    pub fn with_kind(mut self, kind: DiffKind) -> Diff {
        self.kind = kind;
        self
    }
}

/// The words of a change, by what the sides differ in.
pub fn change_word(c: Change, kind: DiffKind) -> Msg {
    match (c, kind) {
        (Change::Added, _) => m::word_added(),
        (Change::Removed, DiffKind::Submissions) => m::word_fixed(),
        (Change::Removed, _) => m::word_removed(),
        (Change::Changed, _) => m::word_changed(),
        (Change::Persisting, DiffKind::Submissions) => m::word_persisting(),
        (Change::Persisting, _) => m::word_unchanged(),
    }
}

#[cfg(test)]
mod tests;
