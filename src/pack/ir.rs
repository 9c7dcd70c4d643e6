//! The compiled form of rules: names resolved to table and column indexes,
//! parameters folded to constants, types and units checked. The evaluator runs
//! this directly; it never sees the syntax tree.

use crate::schema::{ColId, EnumId, TableId, Unit};

/// How a value is shown in a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub kind: ShapeKind,
    pub unit: Unit,
    /// Dimensionless fraction to show as a percentage.
    pub percent: bool,
    /// Whole numbers (counts) are shown without decimals.
    pub integer: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeKind {
    Num,
    Bool,
    Text,
    Enum(EnumId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One check per row of the table.
    Row(TableId),
    /// One check per distinct value of the column (and year, if the table has one).
    Group(TableId, ColId),
    /// One check per year of the submission.
    Year,
    /// One check for the whole submission.
    Submission,
}

/// Which row a column reference reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowRef {
    /// The innermost row: the row being aggregated, or the rule's row.
    Current,
    /// The rule's own row (`this.`), also from inside an aggregate.
    This,
}

/// A step along a reference column to the referenced row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hop {
    pub table: TableId,
    pub col: ColId,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Num(f64),
    Bool(bool),
    Text(String),
    Enum(u16),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arith {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggKind {
    Count,
    Sum,
    Avg,
    Min,
    Max,
    /// Share of rows (or of a value's total) that satisfy a predicate.
    Share,
    /// Weighted coefficient of variation (差异系数).
    Cv,
}

/// The rows an aggregate runs over.
#[derive(Debug, Clone, PartialEq)]
pub enum RowSet {
    /// All rows of a table (of the context year, if the table has a year column).
    Table(TableId),
    /// Rows of `table` whose reference column `col` points at the row reached
    /// from the current row by `path`.
    Related {
        from: RowRef,
        path: Vec<Hop>,
        table: TableId,
        col: ColId,
    },
    /// The rows of the group being checked.
    Group(TableId),
}

impl RowSet {
    pub fn table(&self) -> TableId {
        match self {
            RowSet::Table(t) | RowSet::Group(t) => *t,
            RowSet::Related { table, .. } => *table,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Agg {
    pub kind: AggKind,
    pub rows: RowSet,
    pub filter: Option<Expr>,
    /// The per-row value (summed, averaged, …); `None` for `count` and a
    /// count-based `share`.
    pub value: Option<Expr>,
    /// For `share`: the predicate whose share is taken.
    pub pred: Option<Expr>,
    /// For `cv`: the per-row weight (enrolment).
    pub weight: Option<Expr>,
    /// A short description for not-evaluable reasons, e.g. `sum(schools.students)`.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Lit(Lit),
    /// The context year, as a number.
    Year,
    Col {
        row: RowRef,
        path: Vec<Hop>,
        col: ColId,
        table: TableId,
        text: String,
    },
    /// The key value of the current group (`group.key`).
    GroupKey,
    /// A column of a table keyed by year alone (facts by year, such as the
    /// district's), read from the row of the context year.
    YearFact {
        table: TableId,
        col: ColId,
    },
    Metric(usize),
    /// A per-row metric of `table`, read for the row reached by `path`.
    RowMetric {
        id: usize,
        row: RowRef,
        path: Vec<Hop>,
    },
    Neg(Box<Expr>),
    Not(Box<Expr>),
    /// Arithmetic left to right: the first operand, then each operator with
    /// its operand and the operand's text (for a zero-denominator reason).
    /// One node for a whole chain (`a + b - c`), so that no stage recurses
    /// once per term; `((a + b) + c)` is the same as the chain `a + b + c`.
    Arith(Box<Expr>, Vec<Step>),
    Cmp(Cmp, Box<Expr>, Box<Expr>),
    /// Kleene's `and` of the operands, left to right (two or more).
    And(Vec<Expr>),
    /// Kleene's `or` of the operands, left to right (two or more).
    Or(Vec<Expr>),
    In(Box<Expr>, Vec<Lit>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// A value by category: the enum variant of `key` picks the entry.
    Lookup(Box<Expr>, Vec<Option<f64>>),
    Agg(Box<Agg>),
    /// At least `k` of the conditions hold.
    AtLeast(usize, Vec<Expr>),
    /// The expression evaluated for the previous year.
    Prev(Box<Expr>),
    /// The expected value in the context year on the straight line between
    /// the points (year, value); constant before the first and after the last.
    Trajectory(Vec<(i32, f64)>),
    Func(Func, Box<Expr>),
    /// `min(a, b)` / `max(a, b)` of scalars.
    Pick(bool, Box<Expr>, Box<Expr>),
}

/// One operator of an arithmetic chain, with its right operand.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub op: Arith,
    pub rhs: Expr,
    /// The operand as written, e.g. `students` in `area / students`.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Ceil,
    Floor,
    Round,
    Abs,
    /// True when the value is present.
    Present,
}

/// A named metric evaluated in a year context (`metric x = …`).
#[derive(Debug, Clone)]
pub struct Metric {
    pub name: String,
    pub expr: Expr,
    pub shape: Shape,
}

/// A named per-row metric, a computed column (`metric x for schools = …`).
#[derive(Debug, Clone)]
pub struct RowMetric {
    pub name: String,
    pub table: TableId,
    pub expr: Expr,
    pub shape: Shape,
}

/// What a failed check shows besides its message: the measured value, the
/// standard, and the numbers the value was computed from.
#[derive(Debug, Clone)]
pub struct Display {
    /// The comparison itself, to find the one that failed.
    pub cmp: Expr,
    pub op: String,
    pub lhs: (Expr, Shape),
    pub rhs: (Expr, Shape),
    /// Numerator and denominator (or the parts of a share) of the lhs.
    pub parts: Vec<(Expr, Shape)>,
}

/// The assertion of a rule with what to show when it fails.
#[derive(Debug, Clone)]
pub struct Assertion {
    pub expr: Expr,
    /// One per comparison in `a and b and …`; a finding shows the first that
    /// does not hold.
    pub display: Vec<Display>,
    /// For `at_least(k, [...])`: each condition with its source text.
    pub conditions: Vec<(Expr, String)>,
}

/// Calls `f` on each operand of `e` (not deeper).
pub fn children<'e>(e: &'e Expr, f: &mut impl FnMut(&'e Expr)) {
    match e {
        Expr::Neg(x)
        | Expr::Not(x)
        | Expr::Prev(x)
        | Expr::Func(_, x)
        | Expr::Lookup(x, _)
        | Expr::In(x, _) => f(x),
        Expr::Arith(a, steps) => {
            f(a);
            for s in steps {
                f(&s.rhs);
            }
        }
        Expr::And(xs) | Expr::Or(xs) | Expr::AtLeast(_, xs) => xs.iter().for_each(f),
        Expr::Cmp(_, a, b) | Expr::Pick(_, a, b) => {
            f(a);
            f(b);
        }
        Expr::If(a, b, c) => {
            f(a);
            f(b);
            f(c);
        }
        Expr::Agg(a) => {
            for x in [&a.filter, &a.value, &a.pred, &a.weight]
                .into_iter()
                .flatten()
            {
                f(x);
            }
        }
        Expr::Lit(_)
        | Expr::Year
        | Expr::Col { .. }
        | Expr::GroupKey
        | Expr::YearFact { .. }
        | Expr::Metric(_)
        | Expr::RowMetric { .. }
        | Expr::Trajectory(_) => {}
    }
}

/// Calls `f` on `e` and every expression inside it.
pub fn visit<'e>(e: &'e Expr, f: &mut impl FnMut(&'e Expr)) {
    f(e);
    children(e, &mut |x| visit(x, f));
}
