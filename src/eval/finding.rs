//! What evaluation produces: per rule, counts of outcomes and the findings
//! (failed or not-evaluable checks). Plain data; rendering is `report`'s job.

use crate::diag::Lang;
use crate::pack::Severity;
use crate::schema::Unit;
use serde::Serialize;

/// A number or a label shown in a report, with what is needed to format it.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    Num {
        value: f64,
        unit: Unit,
        percent: bool,
        integer: bool,
    },
    Bool(bool),
    Text(String),
    Missing,
}

/// Why a check could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Unevaluable {
    /// A value the check needs is empty in the data.
    MissingValue { what: String },
    /// A division by zero (e.g. a school with no students).
    ZeroDenominator { what: String },
    /// An aggregate over no rows (min/max/avg/cv of nothing).
    NoRows { what: String },
    /// A year-over-year check without data for the previous year.
    NoPreviousYear { year: i32 },
    /// A table without a year column holds the report year only; it has no
    /// rows for other years.
    NoDataForYear { table: String, year: i32 },
}

impl Unevaluable {
    /// The reason in a sentence, in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        use crate::msg::report as m;
        let msg = match self {
            Unevaluable::MissingValue { what } => m::unevaluable_missing(what),
            Unevaluable::ZeroDenominator { what } => m::unevaluable_zero(what),
            Unevaluable::NoRows { what } => m::unevaluable_no_rows(what),
            Unevaluable::NoPreviousYear { year } => m::unevaluable_no_previous_year(*year),
            Unevaluable::NoDataForYear { table, year } => {
                m::unevaluable_no_data_for_year(table, *year)
            }
        };
        msg.get(lang).to_string()
    }
}

/// Why a rule made no check at all in a submission. A rule that made no
/// check is listed with its reason; it never counts as passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// The rule is not in force in any year of the submission's data.
    NotInForce { years: String },
    /// The table the rule checks row by row has no rows.
    EmptyTable { table: String },
    /// The table has rows, but none the rule applies to (`when`, years).
    NoApplicableRows,
    /// No group of rows the rule applies to.
    NoGroups,
    /// The data has no year at all (the year table is missing or empty).
    NoYears,
}

impl Skip {
    /// The reason in a sentence, in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        use crate::msg::report as m;
        let msg = match self {
            Skip::NotInForce { years } => m::skip_not_in_force(years),
            Skip::EmptyTable { table } => m::skip_empty_table(table),
            Skip::NoApplicableRows => m::skip_no_rows(),
            Skip::NoGroups => m::skip_no_groups(),
            Skip::NoYears => m::skip_no_years(),
        };
        msg.get(lang).to_string()
    }

    /// A stable name for the JSON report.
    pub fn kind(&self) -> &'static str {
        match self {
            Skip::NotInForce { .. } => "not_in_force",
            Skip::EmptyTable { .. } => "empty_table",
            Skip::NoApplicableRows => "no_applicable_rows",
            Skip::NoGroups => "no_groups",
            Skip::NoYears => "no_years",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Only in [`RuleResult::values`]: findings are never passes.
    Pass,
    Fail,
    NotEvaluable(Unevaluable),
}

/// What a check was about.
#[derive(Debug, Clone, PartialEq)]
pub enum Entity {
    /// A row of a table (a school, a class, a teacher).
    Row {
        table: String,
        /// Row index in the loaded table (for stable ordering).
        row: usize,
        /// The row's key, e.g. `5001010001` or `2025`.
        key: String,
        /// A human name for it, e.g. the school name, the class's school and name.
        name: Option<String>,
        /// `学校.csv:17` or `报表.xlsx 学校!17`.
        location: Option<String>,
    },
    /// A group of rows sharing a value (a township, a stage).
    Group {
        table: String,
        column: String,
        value: String,
    },
    /// The submission as a whole, for one year (or all years).
    Submission,
}

/// One part of a rendered message: literal text or an interpolated value.
#[derive(Debug, Clone, PartialEq)]
pub enum MsgPart {
    Text(String),
    Value(Shown),
}

/// A check that did not pass.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub outcome: Outcome,
    /// The severity in force for this finding's year.
    pub severity: Severity,
    pub year: Option<i32>,
    pub entity: Entity,
    /// The left side of the assertion's comparison (the value measured).
    pub actual: Option<Shown>,
    /// The comparison operator of the assertion, as written (`>=`).
    pub op: Option<String>,
    /// The right side of the assertion's comparison (the standard).
    pub threshold: Option<Shown>,
    /// The numbers `actual` was computed from: for `a / b` and shares, the
    /// numerator and the denominator.
    pub parts: Vec<Shown>,
    /// For "at least k of n" assertions: which of the n conditions failed.
    pub failed_conditions: Vec<String>,
    pub message: Vec<MsgPart>,
}

/// The outcome of one rule over one submission.
#[derive(Debug, Clone)]
pub struct RuleResult {
    /// Index of the rule in the rule pack.
    pub rule: usize,
    /// Check instances: rows, groups or years that the rule applied to.
    pub checks: usize,
    pub passed: usize,
    pub failed: usize,
    pub not_evaluable: usize,
    /// Failed and not-evaluable findings, in entity order.
    pub findings: Vec<Finding>,
    /// For district-level rules (`for submission`, `for each year`, `for each
    /// … by …`): every check with its measured value, threshold and parts,
    /// whatever its outcome, in check order. Empty for row rules, whose
    /// passes are counted, not listed.
    pub values: Vec<Finding>,
    /// For row rules, when asked for: how the measured value is spread over
    /// the rows checked (for charts).
    pub distribution: Option<Distribution>,
    /// For row rules over the pack's report unit that a table of outcomes
    /// shows (`report { matrix … }`), when distributions are asked for: every
    /// checked row with its value (shown with the distribution's unit) and
    /// whether it met the standard shown, in row order. A rule that shows no
    /// numeric comparison (`at_least(…)`) keeps its checked rows with a NaN
    /// value; whether a row passed is then told by its findings.
    pub row_values: Vec<(u32, f64, bool)>,
    /// For rules `for submission`, when asked for: the measured value and
    /// the standard in every year of the data (for charts of the course).
    pub history: Vec<YearValue>,
    /// Set when the rule did not apply at all, e.g. not in force in any year
    /// of the submission.
    pub skipped: Option<Skip>,
}

/// A measured value and its standard in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct YearValue {
    pub year: i32,
    pub actual: Shown,
    pub threshold: Shown,
}

/// How the measured value of a row rule is spread over the rows it checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    /// How the values are shown.
    pub unit: Unit,
    pub percent: bool,
    pub integer: bool,
    /// The operator of the comparison (`<=`).
    pub op: String,
    /// One series per distinct standard (45 and 50 for class sizes), in
    /// ascending order of the standard, all on the same bins.
    pub series: Vec<Series>,
}

/// The rows of one standard.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The standard; `None` when the series holds rows of many standards.
    pub standard: Option<f64>,
    pub count: usize,
    /// Rows that did not meet the standard.
    pub failed: usize,
    pub bins: Vec<Bin>,
}

/// A bin `[lo, hi)` of a histogram (the first and last bins also hold the
/// values beyond them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bin {
    pub lo: f64,
    pub hi: f64,
    pub count: usize,
    pub failed: usize,
}

/// A submission checked against a rule pack.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub results: Vec<RuleResult>,
}

impl CheckReport {
    pub fn binding_failures(&self) -> usize {
        self.results
            .iter()
            .flat_map(|r| &r.findings)
            .filter(|f| f.outcome == Outcome::Fail && f.severity == Severity::Binding)
            .count()
    }
}
