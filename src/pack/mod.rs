//! The compiled rule pack: the schema, the rules in the form the evaluator
//! runs, and the metadata that reports and `explain` show.

pub mod ir;
pub mod ops;
mod severity;

pub use severity::Severity;

use crate::schema::Schema;
use ir::{Assertion, Expr, Scope, Shape};
use serde::Serialize;
use std::ops::Range;

/// A source document that rules cite (`document plan "…" seed "…"`).
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: String,
    pub title: String,
    /// The seed file holding the document's text, relative to the rule pack's
    /// root folder, if the pack carries one.
    pub seed: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Citation {
    /// The document id.
    pub document: String,
    /// The document's title.
    pub title: String,
    pub clause: String,
    pub quote: Option<String>,
}

/// Severity, possibly changing with the year (`severity expected, binding from 2025`).
#[derive(Debug, Clone, Serialize)]
pub struct SeveritySpec {
    pub base: Severity,
    /// (from year, severity) in ascending year order.
    pub from: Vec<(i32, Severity)>,
}

impl SeveritySpec {
    pub fn at(&self, year: Option<i32>) -> Severity {
        let mut s = self.base;
        if let Some(y) = year {
            for (from, sev) in &self.from {
                if y >= *from {
                    s = *sev;
                }
            }
        }
        s
    }

    /// The strictest severity it ever takes.
    pub fn strictest(&self) -> Severity {
        self.from.iter().map(|(_, s)| *s).fold(self.base, Ord::min)
    }

    pub fn describe(&self) -> String {
        let mut out = self.base.as_str().to_string();
        for (y, s) in &self.from {
            out.push_str(&format!(", {} from {y}", s.as_str()));
        }
        out
    }
}

/// Years in force, inclusive on both ends; `None` is open.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Years {
    pub from: Option<i32>,
    pub to: Option<i32>,
}

impl Years {
    pub fn contains(&self, y: i32) -> bool {
        self.from.is_none_or(|f| y >= f) && self.to.is_none_or(|t| y <= t)
    }
    pub fn is_always(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }
    pub fn describe(&self) -> String {
        match (self.from, self.to) {
            (None, None) => "always".into(),
            (Some(f), None) => format!("{f}–"),
            (None, Some(t)) => format!("–{t}"),
            (Some(f), Some(t)) if f == t => format!("{f}"),
            (Some(f), Some(t)) => format!("{f}–{t}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub severity: SeveritySpec,
    pub citation: Citation,
    pub years: Years,
    /// `for each classes`, `for each year`, … as written, for listings.
    pub scope_text: String,
    /// The rule pack file and byte range of the rule, for `explain`.
    pub file: usize,
    pub span: Range<usize>,
    /// Names of the parameters the rule uses, directly or through metrics.
    pub params: Vec<String>,
    /// Keys (`name` or `table.name`) of the metrics the rule uses, directly
    /// or through other metrics, each after the ones it uses.
    pub metrics: Vec<String>,
}

/// A message template: text and expressions to interpolate.
#[derive(Debug, Clone)]
pub enum Template {
    Text(String),
    Expr(Expr, Shape),
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub meta: RuleMeta,
    pub scope: Scope,
    /// The applicability filter (`when`), evaluated in the scope's context.
    pub when: Option<Expr>,
    pub assert: Assertion,
    pub message: Vec<Template>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ParamInfo {
    pub name: String,
    /// The value as written in the rule file.
    pub value_text: String,
    /// The comment above the parameter (where its value comes from).
    pub doc: Option<String>,
    pub file: usize,
}

/// A rule file, kept for `explain` and for rendering diagnostics.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as given (relative to the rule pack folder).
    pub name: String,
    pub text: String,
}

/// A coverage entry: a quantitative target of a source document and how the
/// pack checks it.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageItem {
    pub id: String,
    pub document: String,
    pub clause: String,
    pub target: String,
    /// Rule ids checking it; empty when not checkable.
    pub rules: Vec<String>,
    /// Why it cannot be checked from a submission, if so.
    pub reason: Option<String>,
}

/// How reports arrange findings: the pack's `report { … }` block.
#[derive(Debug, Clone, Default)]
pub struct ReportSpec {
    /// The table whose rows findings are listed under (`schools`): a finding
    /// on a row of a table that refers to it (a class, a teacher) is listed
    /// under the row it refers to.
    pub unit: Option<crate::schema::TableId>,
    /// The column of `unit` the 整改清单 is sorted and grouped by (`township`).
    pub area: Option<crate::schema::ColId>,
    /// Tables of outcomes: one row per unit row and variant, one column per
    /// rule family (the rule `FAMILY.VARIANT`).
    pub matrices: Vec<Matrix>,
}

/// A table of rule outcomes by unit row (`学校指标`).
#[derive(Debug, Clone, Default)]
pub struct Matrix {
    pub title: String,
    /// Row variants, e.g. `小学`, `初中`.
    pub variants: Vec<String>,
    /// Column families, e.g. `B1` … `B8`.
    pub families: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct RulePack {
    pub schema: Schema,
    pub documents: Vec<Document>,
    pub params: Vec<ParamInfo>,
    pub rules: Vec<Rule>,
    pub coverage: Vec<CoverageItem>,
    pub files: Vec<SourceFile>,
    /// Seed texts by document id, as loaded.
    pub seeds: Vec<(String, String)>,
    /// Lowercase hex SHA-256 over the pack's files (names and contents, in order).
    pub hash: String,
    /// Where each metric is declared: (key, file, byte range), for `explain`.
    pub metric_sources: Vec<(String, usize, Range<usize>)>,
    /// Computed per-row metrics (virtual columns), evaluated by `eval`.
    pub row_metrics: Vec<ir::RowMetric>,
    /// Submission-level metrics, evaluated in a year context.
    pub metrics: Vec<ir::Metric>,
    /// How reports arrange findings.
    pub report: ReportSpec,
    /// The packs read, in order (each after the packs it imports); the
    /// last is the pack asked for. Empty for a pack compiled from texts.
    pub layers: Vec<String>,
    /// Parameters a later pack overrides (`override param`).
    pub overrides: Vec<ParamOverride>,
    /// Rules a later pack disables (`disable rule`): not run.
    pub disabled: Vec<DisabledRule>,
    /// Warnings of the compiler (words that state an overridden value).
    pub warnings: Vec<crate::diag::Diag>,
}

/// `override param NAME = VALUE`: the value replaced, and where.
#[derive(Debug, Clone, Serialize)]
pub struct ParamOverride {
    pub name: String,
    /// The values as written.
    pub old_value: String,
    pub new_value: String,
    /// The rule file of the override and its line (1-based).
    pub file: String,
    pub line: usize,
}

/// `disable rule ID "reason"`.
#[derive(Debug, Clone, Serialize)]
pub struct DisabledRule {
    pub id: String,
    pub reason: String,
    pub file: String,
    pub line: usize,
}

impl RulePack {
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.meta.id == id)
    }
}
