//! The syntax tree of a rule file. Every node keeps the byte range it was
//! parsed from, so later stages can point at it.

use std::ops::Range;

pub type Span = Range<usize>;

#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StrLit {
    pub value: String,
    /// The span of the whole literal, quotes included.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct File {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Document(DocumentDecl),
    Table(TableDecl),
    Param(ParamDecl),
    Metric(MetricDecl),
    Rule(RuleDecl),
    Coverage(CoverageDecl),
    Import(ImportDecl),
    Override(OverrideDecl),
    Disable(DisableDecl),
    Report(ReportDecl),
}

/// `document plan "万州区教育事业发展“十四五”规划" seed "seeds/plan.txt"`
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentDecl {
    pub name: Ident,
    pub title: StrLit,
    pub seed: Option<StrLit>,
    pub span: Span,
}

/// `table schools "学校" { key id: text "学校标识码" … }`
#[derive(Debug, Clone, PartialEq)]
pub struct TableDecl {
    pub name: Ident,
    pub aliases: Vec<StrLit>,
    pub columns: Vec<ColumnDecl>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDecl {
    pub key: bool,
    pub name: Ident,
    pub ty: TypeExpr,
    pub unit: Option<UnitExpr>,
    pub aliases: Vec<StrLit>,
    /// `range 0..`, `range 0%..100%`: the values a number column may hold.
    pub range: Option<RangeDecl>,
    pub optional: bool,
    pub span: Span,
}

/// `range MIN..MAX`, either bound left out (`range 0..`, `range ..100`,
/// `range ..` for no limit at all).
#[derive(Debug, Clone, PartialEq)]
pub struct RangeDecl {
    pub min: Option<RangeBound>,
    pub max: Option<RangeBound>,
    pub span: Span,
}

/// A bound of a range as written: `-10`, `0`, `4.5`, `100%`.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeBound {
    /// The number as written (`100` for `100%`).
    pub value: f64,
    pub percent: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Int,
    Decimal,
    Text,
    Bool,
    Year,
    Enum(Vec<VariantDecl>),
    Ref(Ident),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeExpr {
    pub kind: TypeKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VariantDecl {
    pub name: Ident,
    pub aliases: Vec<StrLit>,
}

/// `元/人`, `m²`, `%`.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitExpr {
    pub num: Vec<Ident>,
    pub den: Vec<Ident>,
    pub span: Span,
}

impl UnitExpr {
    pub fn is_percent(&self) -> bool {
        self.den.is_empty() && self.num.len() == 1 && self.num[0].name == "%"
    }
}

/// `param class_max = 45` or `param b1_min = by stage { 小学: 4.2, 初中: 5.3 }`
#[derive(Debug, Clone, PartialEq)]
pub struct ParamDecl {
    pub doc: Option<String>,
    pub name: Ident,
    pub value: ParamValue,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Single {
        expr: Expr,
        unit: Option<UnitExpr>,
    },
    /// Values by category: `{ 小学: 4.2, 初中: 5.3 }`; the keys are enum
    /// variants, resolved where the parameter is used.
    ByCategory {
        entries: Vec<(Ident, Expr)>,
        unit: Option<UnitExpr>,
    },
}

/// `metric kg_children = sum(…)` or `metric b1 for schools = … 人/百名学生` (a per-row metric).
#[derive(Debug, Clone, PartialEq)]
pub struct MetricDecl {
    pub doc: Option<String>,
    pub name: Ident,
    pub for_table: Option<Ident>,
    pub expr: Expr,
    /// A declared unit naming what the metric measures (`人/百名学生`); it
    /// replaces the unit computed from the expression.
    pub unit: Option<UnitExpr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RuleDecl {
    pub id: Ident,
    pub title: StrLit,
    pub clauses: Vec<Clause>,
    /// Set when a syntax error inside the rule was recovered from; such a
    /// rule is reported but not compiled.
    pub recovered: bool,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeverityKw {
    Binding,
    Expected,
    Info,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    /// `severity expected, binding from 2025`
    Severity {
        base: (SeverityKw, Span),
        from: Vec<(SeverityKw, i32, Span)>,
        span: Span,
    },
    /// `cite plan clause "专栏2 第1项" quote "…"`
    Cite {
        document: Ident,
        clause: StrLit,
        quote: Option<StrLit>,
        span: Span,
    },
    /// `years 2021..2025`, `years 2025..`, `years 2025`
    Years {
        from: Option<i32>,
        to: Option<i32>,
        span: Span,
    },
    For(ScopeDecl),
    When(Expr),
    Assert(Expr),
    Message(StrLit),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ScopeKind {
    /// `for each classes` or `for each schools by township`
    Each { table: Ident, by: Option<Ident> },
    /// `for each year`
    Year,
    /// `for submission`
    Submission,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScopeDecl {
    pub kind: ScopeKind,
    pub span: Span,
}

/// `coverage T01 "在园幼儿数 4.06→6.1万人" { cite plan clause "表2-1"; checked by A1.01 }`
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageDecl {
    pub id: Ident,
    pub target: StrLit,
    pub cite: Option<(Ident, StrLit, Option<StrLit>)>,
    pub checked_by: Vec<Ident>,
    pub not_checkable: Option<StrLit>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A number; `percent` when written `55%` (the value is then 0.55).
    Number {
        value: f64,
        percent: bool,
        integer: bool,
    },
    Str(String),
    Bool(bool),
    /// A name or a dotted path: `students`, `this.school.name`, `schools.students`.
    Path(Vec<Ident>),
    /// `a[b]`: a value by category.
    Index(Box<Expr>, Box<Expr>),
    List(Vec<Expr>),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    /// `a + b - c` or `a * b / c`: operators of one precedence level, left
    /// to right, as one node (the first operand, then each operator with
    /// its operand), so that a long sum is a list and no stage recurses
    /// once per term. `rest` is never empty.
    Arith {
        first: Box<Expr>,
        rest: Vec<(BinOp, Expr)>,
    },
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    /// `a and b and …`: two or more operands, left to right.
    And(Vec<Expr>),
    /// `a or b or …`: two or more operands, left to right.
    Or(Vec<Expr>),
    /// `x in [a, b]` (negated for `not in`).
    In {
        value: Box<Expr>,
        list: Box<Expr>,
        negated: bool,
    },
    If {
        cond: Box<Expr>,
        then: Box<Expr>,
        els: Box<Expr>,
    },
    /// `name(args…)`, where an argument may carry `where cond` and named
    /// arguments are written `name = expr`.
    Call {
        name: Ident,
        args: Vec<Arg>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub name: Option<Ident>,
    pub value: Expr,
    pub filter: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// `import "../national"` (a pack folder, relative to the importing file's
/// folder) or `import national` (the pack embedded in the binary).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportDecl {
    pub target: ImportTarget,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ImportTarget {
    Path(StrLit),
    Named(Ident),
}

/// `override param funds_min = 720 元/人`: a new value for a parameter an
/// earlier (imported) pack defines. `param` is the declaration after
/// `override`; `span` covers the whole item, `override` included.
#[derive(Debug, Clone, PartialEq)]
pub struct OverrideDecl {
    pub param: ParamDecl,
    pub span: Span,
}

/// `disable rule B16 "本省另行规定"`: a rule of an earlier pack not run, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct DisableDecl {
    pub id: Ident,
    pub reason: StrLit,
    pub span: Span,
}

/// `report { unit schools  area township  matrix "学校指标" { … } }`: how
/// the reports arrange findings. The clauses are kept in the order written
/// (the checker reports a clause given twice or missing).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportDecl {
    /// The `report` keyword, where "declared twice" points.
    pub keyword: Span,
    pub clauses: Vec<ReportClause>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ReportClause {
    /// `unit schools`: the table whose rows findings are listed under.
    Unit {
        table: Ident,
        span: Span,
    },
    /// `area township`: the column of the unit table the lists are sorted by.
    Area {
        column: Ident,
        span: Span,
    },
    Matrix(MatrixDecl),
}

/// `matrix "学校指标" { rows 小学, 初中  columns B1, B2, … }`: a table of
/// outcomes, one row per unit row and variant, one column per rule family
/// (the rule `FAMILY.VARIANT`, or `FAMILY` alone).
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixDecl {
    pub title: StrLit,
    pub clauses: Vec<MatrixClause>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MatrixClause {
    /// `rows 小学, 初中`: the variants.
    Rows { names: Vec<Ident>, span: Span },
    /// `columns B1, B2`: the rule families.
    Columns { names: Vec<Ident>, span: Span },
}
