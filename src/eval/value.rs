//! Values, the evaluation context, and the interpreter of compiled expressions.
//!
//! Logic is three-valued: a missing value or a zero denominator makes an
//! expression *not evaluable* (`V::Miss`) rather than true or false, and
//! `and`/`or`/`at_least` follow Kleene's rules (false `and` unknown is false).

use super::finding::Unevaluable;
use super::ir::{Agg, AggKind, Arith, Cmp, Expr, Func, Hop, Lit, RowRef, RowSet};
use super::{CHUNK, Evaluator};
use crate::data::{ColumnData, NULL_BOOL, NULL_ENUM, NULL_ID, NULL_INT, NULL_YEAR};
use crate::schema::TableId;
use rayon::prelude::*;

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

/// Relative tolerance of numeric comparisons, so that 21 / 500 * 100 meets `>= 4.2`.
const EPS: f64 = 1e-9;

fn num_eq(a: f64, b: f64) -> bool {
    (a - b).abs() <= EPS * a.abs().max(b.abs()).max(1.0)
}

macro_rules! num {
    ($e:expr) => {
        match $e {
            V::Num(x) => x,
            V::Miss(m) => return V::Miss(m),
            _ => return V::missing("number"),
        }
    };
}

/// Partial results of an aggregate over one chunk of rows.
#[derive(Default)]
struct Acc<'a> {
    rows: usize,
    sum: f64,
    min: Option<f64>,
    max: Option<f64>,
    /// share: (numerator, denominator)
    num: f64,
    den: f64,
    /// cv: (weight, value) pairs in row order.
    pairs: Vec<(f64, f64)>,
    miss: Option<V<'a>>,
}

impl<'a> Evaluator<'a> {
    pub(crate) fn eval(&self, e: &'a Expr, ctx: &Ctx<'a, '_>) -> V<'a> {
        match e {
            Expr::Lit(l) => match l {
                Lit::Num(x) => V::Num(*x),
                Lit::Bool(b) => V::Bool(*b),
                Lit::Text(s) => V::Text(s.as_str()),
                Lit::Enum(v) => V::Enum(*v),
            },
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
            Expr::RowMetric { id, row, path } => {
                let r = match self.walk(ctx, *row, path) {
                    Ok(r) => r,
                    Err(m) => return m,
                };
                let Some(m) = self.pack.row_metrics.get(*id) else {
                    return V::missing("metric");
                };
                if let Some(Some(col)) = self.row_metric_cache.get(*id)
                    && ctx.year == self.row_year(m.table, r)
                    && let Some(v) = col.get(r)
                {
                    return v;
                }
                let inner = Ctx {
                    year: ctx.year,
                    this: Some((m.table, r)),
                    cur: Some((m.table, r)),
                    group: None,
                };
                self.eval(&m.expr, &inner)
            }
            Expr::Neg(x) => V::Num(-num!(self.eval(x, ctx))),
            Expr::Not(x) => match self.eval(x, ctx) {
                V::Bool(b) => V::Bool(!b),
                other => other,
            },
            Expr::Arith(op, a, b, text) => {
                let x = num!(self.eval(a, ctx));
                let y = num!(self.eval(b, ctx));
                match op {
                    Arith::Add => V::Num(x + y),
                    Arith::Sub => V::Num(x - y),
                    Arith::Mul => V::Num(x * y),
                    Arith::Div if y == 0.0 => V::Miss(Box::new(Unevaluable::ZeroDenominator {
                        what: text.clone(),
                    })),
                    Arith::Div => V::Num(x / y),
                }
            }
            Expr::Cmp(op, a, b) => {
                let x = self.eval(a, ctx);
                if let V::Miss(m) = x {
                    return V::Miss(m);
                }
                let y = self.eval(b, ctx);
                if let V::Miss(m) = y {
                    return V::Miss(m);
                }
                V::Bool(compare(*op, &x, &y))
            }
            Expr::And(a, b) => match self.eval(a, ctx) {
                V::Bool(false) => V::Bool(false),
                V::Bool(true) => self.eval(b, ctx),
                miss => match self.eval(b, ctx) {
                    V::Bool(false) => V::Bool(false),
                    _ => miss,
                },
            },
            Expr::Or(a, b) => match self.eval(a, ctx) {
                V::Bool(true) => V::Bool(true),
                V::Bool(false) => self.eval(b, ctx),
                miss => match self.eval(b, ctx) {
                    V::Bool(true) => V::Bool(true),
                    _ => miss,
                },
            },
            Expr::In(x, lits) => {
                let v = self.eval(x, ctx);
                if let V::Miss(m) = v {
                    return V::Miss(m);
                }
                V::Bool(lits.iter().any(|l| lit_eq(&v, l)))
            }
            Expr::If(c, t, f) => match self.eval(c, ctx) {
                V::Bool(true) => self.eval(t, ctx),
                V::Bool(false) => self.eval(f, ctx),
                miss => miss,
            },
            Expr::Lookup(key, table) => match self.eval(key, ctx) {
                V::Enum(v) => match table.get(v as usize).copied().flatten() {
                    Some(x) => V::Num(x),
                    None => V::missing(&format!("没有为类别设定的阈值（第{}类）", v + 1)),
                },
                V::Miss(m) => V::Miss(m),
                _ => V::missing("category"),
            },
            Expr::Agg(a) => self.aggregate(a, ctx),
            Expr::AtLeast(k, conds) => {
                let (mut yes, mut miss) = (0, None);
                let mut unknown = 0;
                for c in conds {
                    match self.eval(c, ctx) {
                        V::Bool(true) => yes += 1,
                        V::Bool(false) => {}
                        m => {
                            unknown += 1;
                            miss.get_or_insert(m);
                        }
                    }
                }
                if yes >= *k {
                    V::Bool(true)
                } else if yes + unknown < *k {
                    V::Bool(false)
                } else {
                    miss.unwrap_or(V::Bool(false))
                }
            }
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
            Expr::Func(f, x) => {
                let v = self.eval(x, ctx);
                if *f == Func::Present {
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
            Expr::Pick(max, a, b) => {
                let x = num!(self.eval(a, ctx));
                let y = num!(self.eval(b, ctx));
                V::Num(if *max { x.max(y) } else { x.min(y) })
            }
        }
    }

    /// Follows reference hops from the context's row.
    fn walk(&self, ctx: &Ctx<'a, '_>, row: RowRef, path: &[Hop]) -> Result<u32, V<'a>> {
        let start = match row {
            RowRef::Current => ctx.cur,
            RowRef::This => ctx.this,
        };
        let Some((_, mut r)) = start else {
            return Err(V::missing("row"));
        };
        for hop in path {
            let Some(ColumnData::Ref(refs)) = self
                .sub
                .tables
                .get(hop.table)
                .and_then(|t| t.columns.get(hop.col))
            else {
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

    /// Reads a cell as a value.
    pub(crate) fn read(&self, t: TableId, c: usize, r: u32) -> V<'a> {
        let Some(col) = self.sub.tables.get(t).and_then(|x| x.columns.get(c)) else {
            return V::missing("column");
        };
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

    fn rows_of<'g>(&'g self, rs: &RowSet, ctx: &Ctx<'a, 'g>) -> Result<&'g [u32], V<'a>> {
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
                Ok(self
                    .sub
                    .relation(*table, *col)
                    .map(|rel| rel.children(r as usize))
                    .unwrap_or(&[]))
            }
        }
    }

    fn aggregate(&self, a: &'a Agg, ctx: &Ctx<'a, '_>) -> V<'a> {
        let rows = match self.rows_of(&a.rows, ctx) {
            Ok(r) => r,
            Err(m) => return m,
        };
        let t = a.rows.table();
        let fold = |chunk: &[u32]| -> Acc<'a> {
            let mut acc = Acc::default();
            for &r in chunk {
                let inner = Ctx {
                    year: ctx.year,
                    this: ctx.this,
                    cur: Some((t, r)),
                    group: ctx.group,
                };
                if let Some(f) = &a.filter {
                    match self.eval(f, &inner) {
                        V::Bool(true) => {}
                        V::Bool(false) => continue,
                        m => {
                            acc.miss.get_or_insert(m);
                            continue;
                        }
                    }
                }
                let value = match &a.value {
                    Some(v) => match self.eval(v, &inner) {
                        V::Num(x) => x,
                        m => {
                            acc.miss.get_or_insert(m);
                            continue;
                        }
                    },
                    None => 1.0,
                };
                acc.rows += 1;
                match a.kind {
                    AggKind::Count | AggKind::Sum | AggKind::Avg => acc.sum += value,
                    AggKind::Min => acc.min = Some(acc.min.map_or(value, |m| m.min(value))),
                    AggKind::Max => acc.max = Some(acc.max.map_or(value, |m| m.max(value))),
                    AggKind::Share => {
                        acc.den += value;
                        match a.pred.as_ref().map(|p| self.eval(p, &inner)) {
                            Some(V::Bool(true)) => acc.num += value,
                            Some(V::Bool(false)) | None => {}
                            Some(m) => {
                                acc.miss.get_or_insert(m);
                            }
                        }
                    }
                    AggKind::Cv => {
                        let w = match a.weight.as_ref().map(|w| self.eval(w, &inner)) {
                            Some(V::Num(w)) => w,
                            None => 1.0,
                            Some(m) => {
                                acc.miss.get_or_insert(m);
                                continue;
                            }
                        };
                        acc.pairs.push((w, value));
                    }
                }
            }
            acc
        };
        let acc = if rows.len() > 2 * CHUNK {
            let parts: Vec<Acc<'a>> = rows.par_chunks(CHUNK).map(fold).collect();
            parts.into_iter().fold(Acc::default(), merge)
        } else {
            fold(rows)
        };
        if let Some(m) = acc.miss {
            return m;
        }
        let no_rows = || {
            V::Miss(Box::new(Unevaluable::NoRows {
                what: a.text.clone(),
            }))
        };
        match a.kind {
            AggKind::Count | AggKind::Sum => V::Num(acc.sum),
            AggKind::Avg if acc.rows == 0 => no_rows(),
            AggKind::Avg => V::Num(acc.sum / acc.rows as f64),
            AggKind::Min => acc.min.map(V::Num).unwrap_or_else(no_rows),
            AggKind::Max => acc.max.map(V::Num).unwrap_or_else(no_rows),
            AggKind::Share if acc.den == 0.0 => V::Miss(Box::new(Unevaluable::ZeroDenominator {
                what: a.text.clone(),
            })),
            AggKind::Share => V::Num(acc.num / acc.den),
            AggKind::Cv => match weighted_cv(&acc.pairs) {
                Some(cv) => V::Num(cv),
                None if acc.pairs.is_empty() => no_rows(),
                None => V::Miss(Box::new(Unevaluable::ZeroDenominator {
                    what: a.text.clone(),
                })),
            },
        }
    }
}

fn merge<'a>(mut a: Acc<'a>, b: Acc<'a>) -> Acc<'a> {
    a.rows += b.rows;
    a.sum += b.sum;
    a.min = match (a.min, b.min) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    a.max = match (a.max, b.max) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    };
    a.num += b.num;
    a.den += b.den;
    a.pairs.extend(b.pairs);
    if a.miss.is_none() {
        a.miss = b.miss;
    }
    a
}

/// The weighted coefficient of variation (差异系数), with the population
/// standard deviation: X̄ = Σ PᵢXᵢ / P; S = √(Σ (Pᵢ/P)(Xᵢ − X̄)²); CV = S / X̄.
/// `None` when the total weight or the mean is zero.
pub fn weighted_cv(pairs: &[(f64, f64)]) -> Option<f64> {
    let p: f64 = pairs.iter().map(|(w, _)| w).sum();
    if p == 0.0 {
        return None;
    }
    let mean = pairs.iter().map(|(w, x)| w * x).sum::<f64>() / p;
    if mean == 0.0 {
        return None;
    }
    let var = pairs
        .iter()
        .map(|(w, x)| (w / p) * (x - mean).powi(2))
        .sum::<f64>();
    Some(var.sqrt() / mean)
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

fn compare(op: Cmp, x: &V, y: &V) -> bool {
    match (x, y) {
        (V::Num(a), V::Num(b)) => {
            let eq = num_eq(*a, *b);
            match op {
                Cmp::Eq => eq,
                Cmp::Ne => !eq,
                Cmp::Lt => !eq && a < b,
                Cmp::Le => eq || a < b,
                Cmp::Gt => !eq && a > b,
                Cmp::Ge => eq || a > b,
            }
        }
        _ => {
            let eq = x == y;
            match op {
                Cmp::Ne => !eq,
                _ => eq,
            }
        }
    }
}

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

    /// The CV formula of 教督〔2017〕6号 against a case computed by hand:
    /// schools of 100, 300 and 600 students with values 4, 5 and 6.
    /// P = 1000; X̄ = (400 + 1500 + 3600) / 1000 = 5.5;
    /// S² = 0.1·2.25 + 0.3·0.25 + 0.6·0.25 = 0.225 + 0.075 + 0.15 = 0.45;
    /// CV = √0.45 / 5.5 = 0.670820… / 5.5 = 0.121967…
    #[test]
    fn weighted_cv_matches_hand_computation() {
        let cv = weighted_cv(&[(100.0, 4.0), (300.0, 5.0), (600.0, 6.0)]).unwrap_or(f64::NAN);
        assert!((cv - 0.45f64.sqrt() / 5.5).abs() < 1e-12, "cv = {cv}");
        assert!((cv - 0.121_967).abs() < 1e-6);
    }

    #[test]
    fn weighted_cv_of_equal_values_is_zero_and_of_nothing_is_none() {
        assert_eq!(weighted_cv(&[(10.0, 3.0), (20.0, 3.0)]), Some(0.0));
        assert_eq!(weighted_cv(&[]), None);
        assert_eq!(weighted_cv(&[(10.0, 0.0)]), None);
    }

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
