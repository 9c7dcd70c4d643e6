//! Values, the evaluation context, and the interpreter of compiled
//! expressions: the reference semantics, one context and one row at a time.
//!
//! Logic is three-valued: a missing value or a zero denominator makes an
//! expression *not evaluable* (`V::Miss`) rather than true or false, and
//! `and`/`or`/`at_least` follow Kleene's rules (false `and` unknown is false).
//! The primitive operations (arithmetic, comparison, Kleene's `and`/`or`,
//! lookups, the accumulators of aggregates) are `pack::ops`, shared with the
//! batch evaluator and the compiled code. This file imports neither: under
//! [`Strategy::Reference`](super::Strategy) an aggregate is folded here, row
//! by row ([`Evaluator::aggregate_reference`]); under `Fast` the evaluator's
//! `aggregate` (in `mod.rs`) hands it to the fast paths instead.

use super::finding::Unevaluable;
use super::{CHUNK, Evaluator};
use crate::data::{ColumnData, NULL_BOOL, NULL_ENUM, NULL_ID, NULL_INT, NULL_YEAR};
use crate::pack::ir::{Agg, Arith, Cmp, Expr, Func, Hop, Lit, RowRef, RowSet};
use crate::pack::ops::{self, AggMiss};
use crate::schema::TableId;

/// The partial results of an aggregate, with the interpreter's reasons.
pub(crate) type Acc<'a> = ops::Acc<V<'a>>;

/// The value of an aggregate from its accumulated rows: the first reason
/// met, else the kind's zero rule (no rows, a zero denominator), else the
/// number.
pub(crate) fn finish<'a>(acc: Acc<'a>, a: &Agg) -> V<'a> {
    match acc.finish(a.kind) {
        Ok(x) => V::Num(x),
        Err(AggMiss::Row(m)) => m,
        Err(AggMiss::NoRows) => V::Miss(Box::new(Unevaluable::NoRows {
            what: a.text.clone(),
        })),
        Err(AggMiss::ZeroDenominator) => V::Miss(Box::new(Unevaluable::ZeroDenominator {
            what: a.text.clone(),
        })),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum V<'a> {
    Num(f64),
    Bool(bool),
    Text(&'a str),
    Enum(u16),
    Miss(Box<Unevaluable>),
}

impl V<'_> {
    pub fn missing(what: &str) -> V<'static> {
        V::Miss(Box::new(Unevaluable::MissingValue {
            what: what.to_string(),
        }))
    }
}

/// A group of rows being checked (`for each TABLE by COLUMN`).
#[derive(Debug, Clone)]
pub struct Group<'a> {
    pub year: Option<i32>,
    pub label: String,
    pub key: V<'a>,
    pub rows: Vec<u32>,
}

/// Where an expression is evaluated.
#[derive(Clone, Copy)]
pub struct Ctx<'a, 'g> {
    pub year: Option<i32>,
    /// The row the rule checks.
    pub this: Option<(TableId, u32)>,
    /// The innermost row (inside an aggregate, the aggregated row).
    pub cur: Option<(TableId, u32)>,
    pub group: Option<&'g Group<'a>>,
}

pub(crate) use crate::pack::ops::compare_num;
use crate::pack::ops::{EPS, num_eq};

/// The number inside a value; anything else is returned as the result.
macro_rules! num {
    ($e:expr) => {
        match $e {
            V::Num(x) => x,
            V::Miss(m) => return V::Miss(m),
            _ => return V::missing("number"),
        }
    };
}

impl<'a> Evaluator<'a> {
    /// Evaluates `e` in one context. Aggregates evaluate their rows as a
    /// batch (`eval_batch`); every other node's value comes from the
    /// combinators below, which the batch evaluator shares.
    pub(crate) fn eval(&self, e: &'a Expr, ctx: &Ctx<'a, '_>) -> V<'a> {
        match e {
            Expr::Lit(l) => lit(l),
            Expr::Year => match ctx.year {
                Some(y) => V::Num(y as f64),
                None => V::missing("年份（报送数据中没有年份）"),
            },
            Expr::Col {
                row,
                path,
                col,
                table,
                ..
            } => match self.walk(ctx, *row, path) {
                Ok(r) => self.read(*table, *col, r),
                Err(m) => m,
            },
            Expr::YearFact { table, col } => {
                let Some(y) = ctx.year else {
                    return V::missing("年份");
                };
                match self.table_rows(*table, Some(y)).first() {
                    Some(&r) => self.read(*table, *col, r),
                    None => V::Miss(Box::new(Unevaluable::NoDataForYear {
                        table: self.pack.schema.tables[*table].label().to_string(),
                        year: y,
                    })),
                }
            }
            Expr::GroupKey => ctx
                .group
                .map(|g| g.key.clone())
                .unwrap_or_else(|| V::missing("group")),
            Expr::Metric(id) => self.metric(*id, ctx.year),
            Expr::RowMetric { id, row, path } => match self.walk(ctx, *row, path) {
                Ok(r) => self.row_metric(*id, r, ctx.year),
                Err(m) => m,
            },
            Expr::Neg(x) => neg(self.eval(x, ctx)),
            Expr::Not(x) => not(self.eval(x, ctx)),
            Expr::Arith(a, steps) => {
                // Left to right; once the value is not a number, it is the
                // result whatever the other operands are.
                let mut x = self.eval(a, ctx);
                for s in steps {
                    x = if matches!(x, V::Num(_)) {
                        arith(s.op, x, self.eval(&s.rhs, ctx), &s.text)
                    } else {
                        arith(s.op, x, V::Num(0.0), &s.text)
                    };
                }
                x
            }
            Expr::Cmp(op, a, b) => {
                let x = self.eval(a, ctx);
                if let V::Miss(m) = x {
                    return V::Miss(m);
                }
                cmp(*op, x, self.eval(b, ctx))
            }
            Expr::And(xs) => {
                let mut x = V::Bool(true);
                for (i, e) in xs.iter().enumerate() {
                    x = if i == 0 {
                        self.eval(e, ctx)
                    } else {
                        and(x, || self.eval(e, ctx))
                    };
                }
                x
            }
            Expr::Or(xs) => {
                let mut x = V::Bool(false);
                for (i, e) in xs.iter().enumerate() {
                    x = if i == 0 {
                        self.eval(e, ctx)
                    } else {
                        or(x, || self.eval(e, ctx))
                    };
                }
                x
            }
            Expr::In(x, lits) => in_list(self.eval(x, ctx), lits),
            Expr::If(c, t, f) => if_then(
                self.eval(c, ctx),
                || self.eval(t, ctx),
                || self.eval(f, ctx),
            ),
            Expr::Lookup(key, table) => lookup(self.eval(key, ctx), table),
            Expr::Agg(a) => self.aggregate(a, ctx),
            Expr::AtLeast(k, conds) => at_least(*k, conds.iter().map(|c| self.eval(c, ctx))),
            Expr::Prev(x) => {
                let Some(y) = ctx.year else {
                    return V::missing("年份");
                };
                let py = y - 1;
                if !self.sub.years.contains(&py) {
                    return V::Miss(Box::new(Unevaluable::NoPreviousYear { year: py }));
                }
                let mut pctx = *ctx;
                pctx.year = Some(py);
                // The same entity's row in the previous year.
                for slot in [&mut pctx.this, &mut pctx.cur] {
                    if let Some((t, r)) = *slot
                        && self.pack.schema.tables[t].year_col.is_some()
                    {
                        match self.same_entity(t, r, py) {
                            Some(pr) => *slot = Some((t, pr)),
                            None => {
                                return V::Miss(Box::new(Unevaluable::NoPreviousYear { year: py }));
                            }
                        }
                    }
                }
                self.eval(x, &pctx)
            }
            Expr::Trajectory(points) => {
                let Some(y) = ctx.year else {
                    return V::missing("年份");
                };
                V::Num(trajectory(points, y))
            }
            Expr::Func(f, x) => func(*f, self.eval(x, ctx)),
            Expr::Pick(max, a, b) => {
                let x = self.eval(a, ctx);
                if !matches!(x, V::Num(_)) {
                    return pick(*max, x, V::Num(0.0));
                }
                pick(*max, x, self.eval(b, ctx))
            }
        }
    }

    /// A per-row metric for row `r` of its table, evaluated in `year`: from
    /// the precomputed column when it was computed for that year and holds
    /// the row's value, else by the interpreter.
    pub(crate) fn row_metric(&self, id: usize, r: u32, year: Option<i32>) -> V<'a> {
        let Some(m) = self.pack.row_metrics.get(id) else {
            return V::missing("metric");
        };
        if let Some(Some(col)) = self.row_metric_cache.get(id)
            && year == self.row_year(m.table, r)
            && let Some(v) = col.get(r)
        {
            return v;
        }
        let inner = Ctx {
            year,
            this: Some((m.table, r)),
            cur: Some((m.table, r)),
            group: None,
        };
        self.eval(&m.expr, &inner)
    }

    /// Follows reference hops from the context's row.
    fn walk(&self, ctx: &Ctx<'a, '_>, row: RowRef, path: &[Hop]) -> Result<u32, V<'a>> {
        let start = match row {
            RowRef::Current => ctx.cur,
            RowRef::This => ctx.this,
        };
        self.walk_from(start, path)
    }

    /// Follows reference hops from `start`; an empty reference on the way
    /// makes the value missing.
    pub(crate) fn walk_from(
        &self,
        start: Option<(TableId, u32)>,
        path: &[Hop],
    ) -> Result<u32, V<'a>> {
        let Some((_, mut r)) = start else {
            return Err(V::missing("row"));
        };
        for hop in path {
            let Some(ColumnData::Ref(refs)) = self.column(hop.table, hop.col) else {
                return Err(V::missing("reference"));
            };
            match refs.get(r as usize) {
                Some(&x) if x != NULL_ID => r = x,
                _ => return Err(self.missing_cell(hop.table, hop.col, r)),
            }
        }
        Ok(r)
    }

    fn missing_cell(&self, t: TableId, c: usize, r: u32) -> V<'a> {
        let def = &self.pack.schema.tables[t];
        let col = def.columns.get(c).map(|c| c.label()).unwrap_or("?");
        let loc = self
            .sub
            .row_location(t, r as usize)
            .map(|l| format!("（{l}）"))
            .unwrap_or_default();
        V::missing(&format!("{}.{col}{loc}", def.label()))
    }

    /// The data of column `c` of table `t`.
    pub(crate) fn column(&self, t: TableId, c: usize) -> Option<&'a ColumnData> {
        self.sub.tables.get(t).and_then(|x| x.columns.get(c))
    }

    /// Reads a cell as a value.
    pub(crate) fn read(&self, t: TableId, c: usize, r: u32) -> V<'a> {
        match self.column(t, c) {
            Some(col) => self.read_in(col, t, c, r),
            None => V::missing("column"),
        }
    }

    /// Reads row `r` of `col`, the data of column `c` of table `t`.
    #[inline]
    pub(crate) fn read_in(&self, col: &'a ColumnData, t: TableId, c: usize, r: u32) -> V<'a> {
        let i = r as usize;
        let v = match col {
            ColumnData::Int(v) => v
                .get(i)
                .filter(|x| **x != NULL_INT)
                .map(|x| V::Num(*x as f64)),
            ColumnData::Dec(v) => v.get(i).filter(|x| !x.is_nan()).map(|x| V::Num(*x)),
            ColumnData::Text { .. } => col.text(i).map(V::Text),
            ColumnData::Bool(v) => v
                .get(i)
                .filter(|x| **x != NULL_BOOL)
                .map(|x| V::Bool(*x == 1)),
            ColumnData::Year(v) => v
                .get(i)
                .filter(|x| **x != NULL_YEAR)
                .map(|x| V::Num(*x as f64)),
            ColumnData::Enum(v) => v.get(i).filter(|x| **x != NULL_ENUM).map(|x| V::Enum(*x)),
            ColumnData::Ref(v) => v
                .get(i)
                .filter(|x| **x != NULL_ID)
                .map(|x| V::Num(*x as f64)),
        };
        v.unwrap_or_else(|| self.missing_cell(t, c, r))
    }

    /// The rows an aggregate runs over in a context.
    pub(crate) fn rows_of<'g>(
        &'g self,
        rs: &RowSet,
        ctx: &Ctx<'a, 'g>,
    ) -> Result<&'g [u32], V<'a>> {
        match rs {
            RowSet::Table(t) => {
                let def = &self.pack.schema.tables[*t];
                if let (None, Some(y), Some(ry)) = (def.year_col, ctx.year, self.sub.report_year())
                    && y != ry
                {
                    return Err(V::Miss(Box::new(Unevaluable::NoDataForYear {
                        table: def.label().to_string(),
                        year: y,
                    })));
                }
                Ok(self.table_rows(*t, ctx.year))
            }
            RowSet::Group(_) => Ok(ctx.group.map(|g| g.rows.as_slice()).unwrap_or(&[])),
            RowSet::Related {
                from,
                path,
                table,
                col,
            } => {
                let r = self.walk(ctx, *from, path)?;
                Ok(self.children(*table, *col, r))
            }
        }
    }

    /// The rows of `table` whose reference column `col` points at row `r`.
    pub(crate) fn children(&self, table: TableId, col: usize, r: u32) -> &'a [u32] {
        self.sub
            .relation(table, col)
            .map(|rel| rel.children(r as usize))
            .unwrap_or(&[])
    }

    /// The aggregate `a` over its `rows` in `ctx`, by the interpreter: each
    /// row in order, its filter, then (where the filter holds) its value,
    /// then (where the value is a number) its predicate and weight, added
    /// to the accumulator; the first part that is not evaluable is the
    /// result. Rows are folded in the chunks of [`ops::chunked`], as every
    /// evaluator folds them, so sums are added in the same order.
    pub(crate) fn aggregate_reference(&self, a: &'a Agg, ctx: &Ctx<'a, '_>, rows: &[u32]) -> V<'a> {
        let t = a.rows.table();
        let fold = |range: std::ops::Range<usize>| -> Option<Acc<'a>> {
            let mut acc = Acc::default();
            for &r in rows.get(range).unwrap_or(&[]) {
                let c = Ctx {
                    year: ctx.year,
                    this: ctx.this,
                    cur: Some((t, r)),
                    group: ctx.group,
                };
                if let Some(f) = &a.filter {
                    match self.eval(f, &c) {
                        V::Bool(true) => {}
                        V::Bool(false) => continue,
                        m => {
                            acc.miss(m);
                            continue;
                        }
                    }
                }
                let value = match &a.value {
                    Some(v) => match self.eval(v, &c) {
                        V::Num(x) => x,
                        m => {
                            acc.miss(m);
                            continue;
                        }
                    },
                    None => 1.0,
                };
                let pred = match &a.pred {
                    Some(p) => match self.eval(p, &c) {
                        V::Bool(b) => Some(b),
                        m => {
                            acc.miss(m);
                            None
                        }
                    },
                    None => None,
                };
                let weight = match &a.weight {
                    Some(w) => match self.eval(w, &c) {
                        V::Num(w) => w,
                        m => {
                            acc.miss(m);
                            continue;
                        }
                    },
                    None => 1.0,
                };
                acc.add(a.kind, value, pred, weight);
            }
            Some(acc)
        };
        // The fold above never gives up, so neither does `chunked`.
        finish(ops::chunked(rows.len(), CHUNK, fold).unwrap_or_default(), a)
    }
}

/// The value of a literal.
pub(crate) fn lit<'a>(l: &'a Lit) -> V<'a> {
    match l {
        Lit::Num(x) => V::Num(*x),
        Lit::Bool(b) => V::Bool(*b),
        Lit::Text(s) => V::Text(s.as_str()),
        Lit::Enum(v) => V::Enum(*v),
    }
}

// The combinators: the value of each kind of node from the values of its
// operands. Both evaluators use them, so their semantics cannot diverge. An
// operand passed as a closure is evaluated only when it decides the result;
// the batch evaluator passes values it already has.

#[inline]
pub(crate) fn neg(x: V) -> V {
    V::Num(-num!(x))
}

#[inline]
pub(crate) fn not(x: V) -> V {
    match x {
        V::Bool(b) => V::Bool(!b),
        other => other,
    }
}

#[inline]
pub(crate) fn arith<'a>(op: Arith, x: V<'a>, y: V<'a>, text: &str) -> V<'a> {
    let x = num!(x);
    let y = num!(y);
    match crate::pack::ops::arith(op, x, y) {
        Some(z) => V::Num(z),
        None => V::Miss(Box::new(Unevaluable::ZeroDenominator {
            what: text.to_string(),
        })),
    }
}

#[inline]
pub(crate) fn cmp<'a>(op: Cmp, x: V<'a>, y: V<'a>) -> V<'a> {
    if let V::Miss(m) = x {
        return V::Miss(m);
    }
    if let V::Miss(m) = y {
        return V::Miss(m);
    }
    V::Bool(compare(op, &x, &y))
}

/// A value as a truth value for `ops::and`/`ops::or`: anything but yes/no
/// is "not evaluable", itself the reason.
#[inline]
fn truth(v: V) -> Result<bool, V> {
    match v {
        V::Bool(b) => Ok(b),
        other => Err(other),
    }
}

/// Kleene's `and` ([`ops::and`]): false wins over not evaluable.
#[inline]
pub(crate) fn and<'a>(x: V<'a>, y: impl FnOnce() -> V<'a>) -> V<'a> {
    match ops::and(truth(x), || truth(y())) {
        Ok(b) => V::Bool(b),
        Err(v) => v,
    }
}

/// Kleene's `or` ([`ops::or`]): true wins over not evaluable.
#[inline]
pub(crate) fn or<'a>(x: V<'a>, y: impl FnOnce() -> V<'a>) -> V<'a> {
    match ops::or(truth(x), || truth(y())) {
        Ok(b) => V::Bool(b),
        Err(v) => v,
    }
}

#[inline]
pub(crate) fn in_list<'a>(x: V<'a>, lits: &[Lit]) -> V<'a> {
    if let V::Miss(m) = x {
        return V::Miss(m);
    }
    V::Bool(lits.iter().any(|l| lit_eq(&x, l)))
}

#[inline]
pub(crate) fn if_then<'a>(c: V<'a>, t: impl FnOnce() -> V<'a>, f: impl FnOnce() -> V<'a>) -> V<'a> {
    match c {
        V::Bool(true) => t(),
        V::Bool(false) => f(),
        miss => miss,
    }
}

#[inline]
pub(crate) fn lookup<'a>(key: V<'a>, table: &[Option<f64>]) -> V<'a> {
    match key {
        V::Enum(v) => match ops::lookup(table, v) {
            Some(x) => V::Num(x),
            None => V::missing(&format!("没有为类别设定的阈值（第{}类）", v + 1)),
        },
        V::Miss(m) => V::Miss(m),
        _ => V::missing("category"),
    }
}

/// At least `k` of the conditions hold: true once `k` hold, false when too
/// few can, else the first condition that is not evaluable.
pub(crate) fn at_least<'a>(k: usize, conds: impl Iterator<Item = V<'a>>) -> V<'a> {
    let (mut yes, mut miss) = (0, None);
    let mut unknown = 0;
    for c in conds {
        match c {
            V::Bool(true) => yes += 1,
            V::Bool(false) => {}
            m => {
                unknown += 1;
                miss.get_or_insert(m);
            }
        }
    }
    if yes >= k {
        V::Bool(true)
    } else if yes + unknown < k {
        V::Bool(false)
    } else {
        miss.unwrap_or(V::Bool(false))
    }
}

#[inline]
pub(crate) fn func(f: Func, v: V) -> V {
    if f == Func::Present {
        return V::Bool(!matches!(v, V::Miss(_)));
    }
    let x = num!(v);
    V::Num(match f {
        Func::Ceil => (x - EPS * x.abs().max(1.0)).ceil(),
        Func::Floor => (x + EPS * x.abs().max(1.0)).floor(),
        Func::Round => x.round(),
        Func::Abs | Func::Present => x.abs(),
    })
}

#[inline]
pub(crate) fn pick<'a>(max: bool, x: V<'a>, y: V<'a>) -> V<'a> {
    let x = num!(x);
    let y = num!(y);
    V::Num(if max { x.max(y) } else { x.min(y) })
}

/// The value on the straight line between the points at `year`, constant
/// outside them.
pub fn trajectory(points: &[(i32, f64)], year: i32) -> f64 {
    let Some(&(y0, v0)) = points.first() else {
        return f64::NAN;
    };
    if year <= y0 {
        return v0;
    }
    for w in points.windows(2) {
        let ((ya, va), (yb, vb)) = (w[0], w[1]);
        if year <= yb {
            return va + (vb - va) * f64::from(year - ya) / f64::from(yb - ya);
        }
    }
    points.last().map(|p| p.1).unwrap_or(v0)
}

#[inline]
fn compare(op: Cmp, x: &V, y: &V) -> bool {
    match (x, y) {
        (V::Num(a), V::Num(b)) => compare_num(op, *a, *b),
        _ => {
            let eq = x == y;
            match op {
                Cmp::Ne => !eq,
                _ => eq,
            }
        }
    }
}

#[inline]
fn lit_eq(v: &V, l: &Lit) -> bool {
    match (v, l) {
        (V::Num(a), Lit::Num(b)) => num_eq(*a, *b),
        (V::Bool(a), Lit::Bool(b)) => a == b,
        (V::Text(a), Lit::Text(b)) => *a == b,
        (V::Enum(a), Lit::Enum(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trajectory_is_linear_between_points_and_flat_outside() {
        let p = [(2020, 0.5148), (2025, 0.55)];
        assert!((trajectory(&p, 2020) - 0.5148).abs() < 1e-12);
        assert!((trajectory(&p, 2025) - 0.55).abs() < 1e-12);
        // One fifth of the way: 0.5148 + 0.0352 / 5 = 0.52184.
        assert!((trajectory(&p, 2021) - 0.52184).abs() < 1e-12);
        assert!((trajectory(&p, 2019) - 0.5148).abs() < 1e-12);
        assert!((trajectory(&p, 2030) - 0.55).abs() < 1e-12);
    }

    #[test]
    fn comparisons_tolerate_rounding() {
        let x = 21.0 / 500.0 * 100.0;
        assert!(compare(Cmp::Ge, &V::Num(x), &V::Num(4.2)));
        assert!(!compare(Cmp::Lt, &V::Num(x), &V::Num(4.2)));
        assert!(compare(Cmp::Lt, &V::Num(4.19), &V::Num(4.2)));
    }
}
