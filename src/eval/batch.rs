//! Evaluation of an expression for a batch of rows at once.
//!
//! The interpreter in `value.rs` walks the expression tree once per row: for
//! the millions of rows an aggregate reads (every teacher of the country, the
//! teachers of every school), matching on the node, recursing and returning
//! is most of the cost. Here each node is evaluated once per *batch*: a frame
//! holds the rows (up to [`CHUNK`], the unit of parallel work), each node
//! produces the values of all of them ([`Vals`]), and its parent combines
//! them column by column.
//!
//! Design rules, so that the two evaluators cannot disagree:
//!
//! - The value of every node is computed by the combinators of `value.rs`
//!   (`and`, `cmp`, `arith`, …) that the row-at-a-time interpreter uses too,
//!   applied element by element. Only the order of evaluation differs: the
//!   interpreter skips an operand that cannot change the result (`false and
//!   x`), the batch evaluates it for every row. Evaluation has no effects
//!   (only caches), so the values are the same.
//! - A value that depends only on the year or the group (a literal, a
//!   metric, `this.x` when every row of the batch has the same `this`) is
//!   computed once by the interpreter and shared ([`Vals::One`]).
//! - What the batch does not cover (`prev`, an aggregate over a whole table
//!   that reads `this` when `this` differs by row) falls back to the
//!   interpreter, row by row.
//! - Aggregates are folded ([`Parts::fold`]) into the accumulator of
//!   `pack::ops` (`Acc`) that the interpreter's `aggregate_reference` and
//!   the compiled folds add to, row by row in row order, cut into the same
//!   chunks (`ops::chunked`) whatever evaluates them, so floating-point sums
//!   are added in the same order.
//!
//! An aggregate over related rows (`count(this.teachers where …)`) inside a
//! batch — a per-school metric computed for thousands of schools — does not
//! loop over the schools: the related rows of consecutive schools are
//! concatenated into one inner batch, their filter and values evaluated
//! together, and each school's segment folded on its own. Before that, the
//! aggregate is compiled (`compile.rs`) when its parts allow: each school's
//! rows are then folded directly on the typed columns, and only a school
//! whose aggregate would not be evaluable is left to the interpreter.

use super::value::{
    Acc, Ctx, Group, V, and, arith, at_least, cmp, finish, func, if_then, in_list, lookup, neg,
    not, or, pick,
};
use super::{CHUNK, Evaluator};
use crate::data::{ColumnData, NULL_BOOL, NULL_ENUM, NULL_ID, NULL_INT};
use crate::pack::ir::{self, Agg, Expr, Hop, RowRef, RowSet};
use crate::pack::ops;
use crate::schema::TableId;
use rayon::prelude::*;
use std::ops::Range;

/// Whose `this` the rows of a batch see.
#[derive(Clone, Copy)]
pub(crate) enum This<'r> {
    /// The same for every row (the rule's row, or none).
    Same(Option<(TableId, u32)>),
    /// One row of the table per row of the batch.
    Each(TableId, &'r [u32]),
}

/// The contexts a batch evaluates in: one per row of `rows`, each with that
/// row as the current row, and the same year and group.
pub(crate) struct Frame<'a, 'g, 'r> {
    pub year: Option<i32>,
    pub group: Option<&'g Group<'a>>,
    /// The table of `rows`.
    pub table: TableId,
    pub rows: &'r [u32],
    pub this: This<'r>,
}

impl<'a, 'g> Frame<'a, 'g, '_> {
    fn this_at(&self, i: usize) -> Option<(TableId, u32)> {
        match self.this {
            This::Same(x) => x,
            This::Each(t, rows) => rows.get(i).map(|&r| (t, r)),
        }
    }

    /// The row a column reference starts from in the `i`th context.
    fn start(&self, i: usize, row: RowRef) -> Option<(TableId, u32)> {
        match row {
            RowRef::Current => self.rows.get(i).map(|&r| (self.table, r)),
            RowRef::This => self.this_at(i),
        }
    }

    /// The `i`th context, for the interpreter.
    pub(crate) fn ctx(&self, i: usize) -> Ctx<'a, 'g> {
        Ctx {
            year: self.year,
            this: self.this_at(i),
            cur: self.start(i, RowRef::Current),
            group: self.group,
        }
    }
}

/// The values of an expression for every row of a batch. Numbers, yes/no
/// values and enum variants are stored unboxed while no row holds anything
/// else; [`Vals::at`] gives back the [`V`] of a row either way.
#[derive(Debug)]
pub(crate) enum Vals<'a> {
    /// The same value for every row.
    One(V<'a>),
    Num(Vec<f64>),
    Bool(Vec<bool>),
    Enum(Vec<u16>),
    /// Any values, one per row.
    Each(Vec<V<'a>>),
}

impl<'a> Vals<'a> {
    /// The values of an iterator over the `n` rows, stored as compactly as
    /// they allow.
    #[inline]
    fn collect(n: usize, mut it: impl Iterator<Item = V<'a>>) -> Vals<'a> {
        // One loop per kind of value; a value of another kind moves all of
        // them to a vector of values.
        macro_rules! typed {
            ($variant:ident, $first:expr) => {{
                let mut xs = Vec::with_capacity(n);
                xs.push($first);
                while let Some(v) = it.next() {
                    match v {
                        V::$variant(x) => xs.push(x),
                        v => return Vals::$variant(xs).extended(n, v, it),
                    }
                }
                Vals::$variant(xs)
            }};
        }
        match it.next() {
            None => Vals::Each(Vec::new()),
            Some(V::Num(x)) => typed!(Num, x),
            Some(V::Bool(x)) => typed!(Bool, x),
            Some(V::Enum(x)) => typed!(Enum, x),
            Some(v) => {
                let mut xs = Vec::with_capacity(n);
                xs.push(v);
                xs.extend(it);
                Vals::Each(xs)
            }
        }
    }

    /// These values followed by `v` and the rest of `it`, one by one.
    #[cold]
    fn extended(self, n: usize, v: V<'a>, it: impl Iterator<Item = V<'a>>) -> Vals<'a> {
        let mut all = Vec::with_capacity(n);
        all.extend((0..self.len()).map(|i| self.at(i)));
        all.push(v);
        all.extend(it);
        Vals::Each(all)
    }

    fn len(&self) -> usize {
        match self {
            Vals::One(_) => 1,
            Vals::Num(xs) => xs.len(),
            Vals::Bool(xs) => xs.len(),
            Vals::Enum(xs) => xs.len(),
            Vals::Each(xs) => xs.len(),
        }
    }

    /// The value for row `i` (`i` below the frame's length).
    #[inline]
    pub(crate) fn at(&self, i: usize) -> V<'a> {
        match self {
            Vals::One(v) => v.clone(),
            Vals::Num(xs) => V::Num(xs[i]),
            Vals::Bool(xs) => V::Bool(xs[i]),
            Vals::Enum(xs) => V::Enum(xs[i]),
            Vals::Each(xs) => xs[i].clone(),
        }
    }

    /// Whether the value for row `i` is the yes/no value `b`.
    #[inline]
    pub(crate) fn is(&self, i: usize, b: bool) -> bool {
        match self {
            Vals::Bool(xs) => xs[i] == b,
            Vals::One(v) => *v == V::Bool(b),
            Vals::Each(xs) => xs[i] == V::Bool(b),
            Vals::Num(_) | Vals::Enum(_) => false,
        }
    }

    /// Whether the value for row `i` is a number.
    #[inline]
    fn is_num(&self, i: usize) -> bool {
        match self {
            Vals::Num(_) => true,
            Vals::One(v) => matches!(v, V::Num(_)),
            Vals::Each(xs) => matches!(xs[i], V::Num(_)),
            Vals::Bool(_) | Vals::Enum(_) => false,
        }
    }

    /// Whether the value for row `i` is not evaluable.
    #[inline]
    fn is_miss(&self, i: usize) -> bool {
        match self {
            Vals::One(v) => matches!(v, V::Miss(_)),
            Vals::Each(xs) => matches!(xs[i], V::Miss(_)),
            Vals::Num(_) | Vals::Bool(_) | Vals::Enum(_) => false,
        }
    }

    /// Consumes the values of all `n` rows, in order.
    pub(crate) fn into_vec(self, n: usize) -> Vec<V<'a>> {
        match self {
            Vals::Each(xs) => xs,
            Vals::One(v) => vec![v; n],
            other => (0..n).map(|i| other.at(i)).collect(),
        }
    }

    /// `f` of each value.
    fn map(self, n: usize, f: impl Fn(V<'a>) -> V<'a>) -> Vals<'a> {
        match self {
            Vals::One(v) => Vals::One(f(v)),
            other => Vals::collect(n, (0..n).map(|i| f(other.at(i)))),
        }
    }

    /// `f` of the values of each row in `self` and `other`. Unboxed values
    /// (and a shared number, yes/no or variant) get a loop of their own,
    /// where `f` is compiled for their kinds.
    #[inline]
    fn zip(&self, other: &Vals<'a>, n: usize, f: impl Fn(V<'a>, V<'a>) -> V<'a>) -> Vals<'a> {
        macro_rules! kinds {
            ($(($x:ident, $y:ident)),*) => {
                match (self, other) {
                    (Vals::One(x), Vals::One(y)) => Vals::One(f(x.clone(), y.clone())),
                    $(
                        (Vals::$x(xs), Vals::$y(ys)) => Vals::collect(
                            n,
                            xs.iter().zip(ys).map(|(a, b)| f(V::$x(*a), V::$y(*b))),
                        ),
                        (Vals::$x(xs), Vals::One(V::$y(b))) => {
                            Vals::collect(n, xs.iter().map(|a| f(V::$x(*a), V::$y(*b))))
                        }
                        (Vals::One(V::$x(a)), Vals::$y(ys)) => {
                            Vals::collect(n, ys.iter().map(|b| f(V::$x(*a), V::$y(*b))))
                        }
                    )*
                    _ => Vals::collect(n, (0..n).map(|i| f(self.at(i), other.at(i)))),
                }
            };
        }
        kinds!((Num, Num), (Bool, Bool), (Enum, Enum))
    }

    /// Values of the `n` rows of a frame from the values `self` of its rows
    /// `sel`; the other rows get a placeholder, never read.
    fn scatter(self, sel: &[usize], n: usize) -> Vals<'a> {
        if sel.len() == n {
            return self;
        }
        match self {
            Vals::One(v) => Vals::One(v),
            Vals::Num(xs) => Vals::Num(spread(xs, sel, n, 0.0)),
            Vals::Bool(xs) => Vals::Bool(spread(xs, sel, n, false)),
            Vals::Enum(xs) => Vals::Enum(spread(xs, sel, n, 0)),
            Vals::Each(xs) => Vals::Each(spread(xs, sel, n, V::Bool(false))),
        }
    }
}

/// The cells `rows` of a column of numbers, yes/no values or enum variants
/// when none is missing, read as [`Evaluator::read_in`] reads them (which
/// reads the others).
fn unboxed<'a>(col: &ColumnData, rows: &[u32]) -> Option<Vals<'a>> {
    fn all<T: Copy, U>(v: &[T], rows: &[u32], f: impl Fn(T) -> Option<U>) -> Option<Vec<U>> {
        rows.iter()
            .map(|&r| v.get(r as usize).copied().and_then(&f))
            .collect()
    }
    Some(match col {
        ColumnData::Int(v) => Vals::Num(all(v, rows, |x| (x != NULL_INT).then_some(x as f64))?),
        ColumnData::Dec(v) => Vals::Num(all(v, rows, |x| (!x.is_nan()).then_some(x))?),
        ColumnData::Bool(v) => Vals::Bool(all(v, rows, |x| (x != NULL_BOOL).then_some(x == 1))?),
        ColumnData::Enum(v) => Vals::Enum(all(v, rows, |x| (x != NULL_ENUM).then_some(x))?),
        _ => return None,
    })
}

/// `xs[k]` at position `sel[k]` of a vector of `n` values, `fill` elsewhere.
fn spread<T: Clone>(xs: Vec<T>, sel: &[usize], n: usize, fill: T) -> Vec<T> {
    let mut out = vec![fill; n];
    for (x, &i) in xs.into_iter().zip(sel) {
        if let Some(slot) = out.get_mut(i) {
            *slot = x;
        }
    }
    out
}

/// Some rows of a frame, to evaluate an operand only where it matters.
struct Subset {
    rows: Vec<u32>,
    this: Vec<u32>,
}

impl Subset {
    fn of(f: &Frame, sel: &[usize]) -> Subset {
        let pick = |rows: &[u32]| sel.iter().filter_map(|&i| rows.get(i).copied()).collect();
        Subset {
            rows: pick(f.rows),
            this: match f.this {
                This::Each(_, this) => pick(this),
                This::Same(_) => Vec::new(),
            },
        }
    }

    fn frame<'a, 'g>(&self, f: &Frame<'a, 'g, '_>) -> Frame<'a, 'g, '_> {
        Frame {
            year: f.year,
            group: f.group,
            table: f.table,
            rows: &self.rows,
            this: match f.this {
                This::Same(x) => This::Same(x),
                This::Each(t, _) => This::Each(t, &self.this),
            },
        }
    }
}

/// The per-row values of an aggregate's parts over a batch of its rows.
pub(crate) struct Parts<'a> {
    filter: Option<Vals<'a>>,
    value: Option<Vals<'a>>,
    pred: Option<Vals<'a>>,
    weight: Option<Vals<'a>>,
}

impl<'a> Parts<'a> {
    /// Folds the rows `range` of the batch: the rows of one aggregate, in
    /// order. More than two chunks of rows are folded chunk by chunk and
    /// merged (`ops::chunked`), as every evaluator does.
    pub(crate) fn fold(&self, a: &Agg, range: Range<usize>) -> Acc<'a> {
        let start = range.start;
        ops::chunked(range.len(), CHUNK, |r| {
            Some(self.fold_rows(a, start + r.start..start + r.end))
        })
        .unwrap_or_default()
    }

    /// Folds consecutive rows, in order, as the interpreter's
    /// `aggregate_reference` does: the value where the filter holds, the
    /// predicate and the weight where the value is a number.
    fn fold_rows(&self, a: &Agg, range: Range<usize>) -> Acc<'a> {
        let mut acc = Acc::default();
        for i in range {
            if let Some(f) = &self.filter {
                match f.at(i) {
                    V::Bool(true) => {}
                    V::Bool(false) => continue,
                    m => {
                        acc.miss(m);
                        continue;
                    }
                }
            }
            let value = match &self.value {
                Some(v) => match v.at(i) {
                    V::Num(x) => x,
                    m => {
                        acc.miss(m);
                        continue;
                    }
                },
                None => 1.0,
            };
            let pred = match &self.pred {
                Some(p) => match p.at(i) {
                    V::Bool(b) => Some(b),
                    m => {
                        acc.miss(m);
                        None
                    }
                },
                None => None,
            };
            let weight = match &self.weight {
                Some(w) => match w.at(i) {
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
        acc
    }
}

/// Whether the value of `e` may depend on the rule's row (`this`), even
/// inside an aggregate over other rows. `prev` counts: it looks for the
/// previous year's row of `this`.
fn reads_this(e: &Expr) -> bool {
    let mut found = false;
    ir::visit(e, &mut |x| {
        found |= match x {
            Expr::Col { row, .. } | Expr::RowMetric { row, .. } => *row == RowRef::This,
            Expr::Agg(a) => matches!(
                a.rows,
                RowSet::Related {
                    from: RowRef::This,
                    ..
                }
            ),
            Expr::Prev(_) => true,
            _ => false,
        };
    });
    found
}

impl<'a> Evaluator<'a> {
    /// The aggregate `a` over its `rows` in `ctx` by the batch evaluator:
    /// its parts for [`CHUNK`] rows at a time (in parallel when there are
    /// more than two chunks), folded in row order and merged in chunk order.
    pub(crate) fn aggregate_rows(&self, a: &'a Agg, ctx: &Ctx<'a, '_>, rows: &[u32]) -> V<'a> {
        let fold = |chunk: &[u32]| -> Acc<'a> {
            let frame = Frame {
                year: ctx.year,
                group: ctx.group,
                table: a.rows.table(),
                rows: chunk,
                this: This::Same(ctx.this),
            };
            self.agg_parts(a, &frame).fold(a, 0..chunk.len())
        };
        let acc = if rows.len() > 2 * CHUNK {
            let parts: Vec<Acc<'a>> = rows.par_chunks(CHUNK).map(fold).collect();
            parts.into_iter().fold(Acc::default(), Acc::merge)
        } else {
            fold(rows)
        };
        finish(acc, a)
    }

    /// The values of `e` in every context of the frame.
    pub(crate) fn eval_batch(&self, e: &'a Expr, f: &Frame<'a, '_, '_>) -> Vals<'a> {
        let n = f.rows.len();
        if n == 0 {
            return Vals::Each(Vec::new());
        }
        let same_this = matches!(f.this, This::Same(_));
        match e {
            // Values of the year or the group, the same in every context.
            Expr::Lit(_)
            | Expr::Year
            | Expr::YearFact { .. }
            | Expr::GroupKey
            | Expr::Metric(_)
            | Expr::Trajectory(_) => Vals::One(self.eval(e, &f.ctx(0))),
            Expr::Col { row, .. } | Expr::RowMetric { row, .. }
                if *row == RowRef::This && same_this =>
            {
                Vals::One(self.eval(e, &f.ctx(0)))
            }
            Expr::Col {
                row,
                path,
                col,
                table,
                ..
            } => {
                let column = self.column(*table, *col);
                let read = |r: u32| match column {
                    Some(c) => self.read_in(c, *table, *col, r),
                    None => V::missing("column"),
                };
                match self.walk_batch(f, *row, path) {
                    Some(rows) => match column.and_then(|c| unboxed(c, &rows)) {
                        Some(vals) => vals,
                        None => Vals::collect(n, rows.iter().map(|&r| read(r))),
                    },
                    None => Vals::collect(
                        n,
                        (0..n).map(|i| match self.walk_from(f.start(i, *row), path) {
                            Ok(r) => read(r),
                            Err(m) => m,
                        }),
                    ),
                }
            }
            Expr::RowMetric { id, row, path } => match self.walk_batch(f, *row, path) {
                Some(rows) => {
                    Vals::collect(n, rows.iter().map(|&r| self.row_metric(*id, r, f.year)))
                }
                None => Vals::collect(
                    n,
                    (0..n).map(|i| match self.walk_from(f.start(i, *row), path) {
                        Ok(r) => self.row_metric(*id, r, f.year),
                        Err(m) => m,
                    }),
                ),
            },
            Expr::Neg(x) => self.eval_batch(x, f).map(n, neg),
            Expr::Not(x) => match self.eval_batch(x, f) {
                Vals::Bool(xs) => Vals::Bool(xs.into_iter().map(|b| !b).collect()),
                x => x.map(n, not),
            },
            // An operand the interpreter would not evaluate for a row (`b` in
            // `false and b`, after a missing `a` in `a < b`) is not evaluated
            // for that row here either: it could only cost time, such as
            // describing missing values nobody reads.
            // A chain, left to right as the interpreter folds it.
            Expr::Arith(a, steps) => {
                let mut x = self.eval_batch(a, f);
                for s in steps {
                    let y = self.eval_where(&s.rhs, f, |i| x.is_num(i));
                    x = x.zip(&y, n, |x, y| arith(s.op, x, y, &s.text));
                }
                x
            }
            Expr::Cmp(op, a, b) => {
                let x = self.eval_batch(a, f);
                let y = self.eval_where(b, f, |i| !x.is_miss(i));
                x.zip(&y, n, |x, y| cmp(*op, x, y))
            }
            Expr::And(xs) => {
                let Some((first, rest)) = xs.split_first() else {
                    return Vals::One(V::Bool(true));
                };
                let mut x = self.eval_batch(first, f);
                for b in rest {
                    let y = self.eval_where(b, f, |i| !x.is(i, false));
                    x = match (&x, &y) {
                        (Vals::Bool(xs), Vals::Bool(ys)) => {
                            Vals::Bool(xs.iter().zip(ys).map(|(x, y)| *x && *y).collect())
                        }
                        _ => x.zip(&y, n, |x, y| and(x, || y)),
                    };
                }
                x
            }
            Expr::Or(xs) => {
                let Some((first, rest)) = xs.split_first() else {
                    return Vals::One(V::Bool(false));
                };
                let mut x = self.eval_batch(first, f);
                for b in rest {
                    let y = self.eval_where(b, f, |i| !x.is(i, true));
                    x = match (&x, &y) {
                        (Vals::Bool(xs), Vals::Bool(ys)) => {
                            Vals::Bool(xs.iter().zip(ys).map(|(x, y)| *x || *y).collect())
                        }
                        _ => x.zip(&y, n, |x, y| or(x, || y)),
                    };
                }
                x
            }
            Expr::In(x, lits) => match self.eval_batch(x, f) {
                Vals::Enum(xs) => {
                    // Whether each variant is in the list, as `in_list` decides.
                    let max = xs.iter().copied().max().unwrap_or(0);
                    let member: Vec<bool> = (0..=max)
                        .map(|v| in_list(V::Enum(v), lits) == V::Bool(true))
                        .collect();
                    Vals::Bool(
                        xs.iter()
                            .map(|&v| member.get(v as usize).copied().unwrap_or(false))
                            .collect(),
                    )
                }
                x => x.map(n, |v| in_list(v, lits)),
            },
            Expr::If(c, t, e) => {
                let c = self.eval_batch(c, f);
                let t = self.eval_where(t, f, |i| c.is(i, true));
                let e = self.eval_where(e, f, |i| c.is(i, false));
                Vals::collect(n, (0..n).map(|i| if_then(c.at(i), || t.at(i), || e.at(i))))
            }
            Expr::Lookup(key, table) => self.eval_batch(key, f).map(n, |v| lookup(v, table)),
            Expr::Func(fun, x) => self.eval_batch(x, f).map(n, |v| func(*fun, v)),
            Expr::Pick(max, a, b) => {
                let x = self.eval_batch(a, f);
                let y = self.eval_where(b, f, |i| x.is_num(i));
                x.zip(&y, n, |x, y| pick(*max, x, y))
            }
            Expr::AtLeast(k, conds) => {
                let conds: Vec<Vals<'a>> = conds.iter().map(|c| self.eval_batch(c, f)).collect();
                if conds.iter().all(|c| matches!(c, Vals::One(_))) {
                    return Vals::One(at_least(*k, conds.iter().map(|c| c.at(0))));
                }
                Vals::collect(
                    n,
                    (0..n).map(|i| at_least(*k, conds.iter().map(|c| c.at(i)))),
                )
            }
            Expr::Agg(a) => self.aggregate_batch(e, a, f),
            Expr::Prev(_) => self.each_row(e, f),
        }
    }

    /// The values of `e` for the rows `i` of the frame where `needed(i)`;
    /// other rows get a placeholder.
    fn eval_where(
        &self,
        e: &'a Expr,
        f: &Frame<'a, '_, '_>,
        needed: impl Fn(usize) -> bool,
    ) -> Vals<'a> {
        let n = f.rows.len();
        if (0..n).all(&needed) {
            return self.eval_batch(e, f);
        }
        let sel: Vec<usize> = (0..n).filter(|&i| needed(i)).collect();
        if sel.is_empty() {
            return Vals::One(V::Bool(false));
        }
        let sub = Subset::of(f, &sel);
        self.eval_batch(e, &sub.frame(f)).scatter(&sel, n)
    }

    /// The rows reached from each context's `row` along `path`, when none of
    /// the references on the way is empty.
    fn walk_batch<'r>(
        &self,
        f: &Frame<'a, '_, 'r>,
        row: RowRef,
        path: &[Hop],
    ) -> Option<std::borrow::Cow<'r, [u32]>> {
        let start = match (row, f.this) {
            (RowRef::Current, _) => f.rows,
            (RowRef::This, This::Each(_, this)) => this,
            (RowRef::This, This::Same(_)) => return None,
        };
        let mut rows = std::borrow::Cow::Borrowed(start);
        for hop in path {
            let Some(ColumnData::Ref(refs)) = self.column(hop.table, hop.col) else {
                return None;
            };
            let next: Option<Vec<u32>> = rows
                .iter()
                .map(|&r| refs.get(r as usize).copied().filter(|x| *x != NULL_ID))
                .collect();
            rows = std::borrow::Cow::Owned(next?);
        }
        Some(rows)
    }

    /// The interpreter's value of `e` in each context of the frame.
    pub(crate) fn each_row(&self, e: &'a Expr, f: &Frame<'a, '_, '_>) -> Vals<'a> {
        let n = f.rows.len();
        Vals::collect(n, (0..n).map(|i| self.eval(e, &f.ctx(i))))
    }

    /// The values of an aggregate's parts over the rows of `f`, each where
    /// the interpreter's fold reads it: the value where the filter holds, the
    /// predicate and the weight where the value is a number.
    pub(crate) fn agg_parts(&self, a: &'a Agg, f: &Frame<'a, '_, '_>) -> Parts<'a> {
        let filter = a.filter.as_ref().map(|x| self.eval_batch(x, f));
        let passes = |i: usize| filter.as_ref().is_none_or(|x| x.is(i, true));
        let value = a.value.as_ref().map(|x| self.eval_where(x, f, passes));
        let counted = |i: usize| passes(i) && value.as_ref().is_none_or(|v| v.is_num(i));
        let pred = a.pred.as_ref().map(|x| self.eval_where(x, f, counted));
        let weight = a.weight.as_ref().map(|x| self.eval_where(x, f, counted));
        Parts {
            filter,
            value,
            pred,
            weight,
        }
    }

    /// The aggregate `e` (that is, `a`) in every context of the frame.
    fn aggregate_batch(&self, e: &'a Expr, a: &'a Agg, f: &Frame<'a, '_, '_>) -> Vals<'a> {
        let same_this = matches!(f.this, This::Same(_));
        let RowSet::Related {
            from,
            path,
            table,
            col,
        } = &a.rows
        else {
            // A whole table, or the group: the same rows in every context.
            if same_this || !reads_this(e) {
                return Vals::One(self.aggregate(a, &f.ctx(0)));
            }
            return self.each_row(e, f);
        };
        if *from == RowRef::This && same_this {
            return Vals::One(self.aggregate(a, &f.ctx(0)));
        }
        let n = f.rows.len();
        // Compiled: each context's related rows folded directly; a context
        // whose aggregate would not be evaluable is left to the interpreter.
        let this_table = match f.this {
            This::Same(x) => x.map(|(t, _)| t),
            This::Each(t, _) => Some(t),
        };
        if let Some(c) = self.compile_agg(a, f.year, f.group, this_table) {
            return Vals::collect(
                n,
                (0..n).map(|i| {
                    let target = match self.walk_from(f.start(i, *from), path) {
                        Ok(r) => r,
                        Err(m) => return m,
                    };
                    let children = self.children(*table, *col, target);
                    let this = f.this_at(i).map_or(u32::MAX, |(_, r)| r);
                    match c.fold(children, this) {
                        Some(acc) => finish(acc, a),
                        None => self.aggregate_rows(a, &f.ctx(i), children),
                    }
                }),
            );
        }
        let mut out: Vec<V<'a>> = (0..n).map(|_| V::Bool(false)).collect();
        // The related rows of consecutive contexts, concatenated, with the
        // `this` of their context and each context's segment.
        let mut rows: Vec<u32> = Vec::new();
        let mut this_rows: Vec<u32> = Vec::new();
        let mut segments: Vec<(usize, Range<usize>)> = Vec::new();
        let flush = |out: &mut Vec<V<'a>>,
                     rows: &mut Vec<u32>,
                     this_rows: &mut Vec<u32>,
                     segments: &mut Vec<(usize, Range<usize>)>| {
            let inner = Frame {
                year: f.year,
                group: f.group,
                table: *table,
                rows: rows.as_slice(),
                this: match f.this {
                    This::Same(x) => This::Same(x),
                    This::Each(t, _) => This::Each(t, this_rows.as_slice()),
                },
            };
            let parts = self.agg_parts(a, &inner);
            for (i, range) in segments.drain(..) {
                if let Some(slot) = out.get_mut(i) {
                    *slot = finish(parts.fold(a, range), a);
                }
            }
            rows.clear();
            this_rows.clear();
        };
        for i in 0..n {
            let target = match self.walk_from(f.start(i, *from), path) {
                Ok(r) => r,
                Err(m) => {
                    if let Some(slot) = out.get_mut(i) {
                        *slot = m;
                    }
                    continue;
                }
            };
            let children = self.children(*table, *col, target);
            let start = rows.len();
            rows.extend_from_slice(children);
            if let This::Each(_, this) = f.this
                && let Some(&t) = this.get(i)
            {
                this_rows.extend(std::iter::repeat_n(t, children.len()));
            }
            segments.push((i, start..rows.len()));
            if rows.len() >= CHUNK {
                flush(&mut out, &mut rows, &mut this_rows, &mut segments);
            }
        }
        if !segments.is_empty() {
            flush(&mut out, &mut rows, &mut this_rows, &mut segments);
        }
        Vals::Each(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::ir::Scope;

    /// The batch evaluator against the reference interpreter, row by row,
    /// on the fixture submissions: every per-row metric, and the `when` and
    /// the assertion of every `for each` rule (with their aggregates over
    /// related rows, `and`/`or` that evaluate an operand for some rows only,
    /// missing values, zero denominators).
    #[test]
    fn batch_evaluation_matches_the_interpreter_on_fixtures() {
        let pack = crate::eval::test_fixtures::pack();
        let fixtures = crate::eval::test_fixtures::submissions(&pack);
        let mut compared = 0;
        for (dir, loaded) in &fixtures {
            let sub = &loaded.submission;
            let mut ev = Evaluator::new(&pack, sub);
            ev.precompute_row_metrics();
            let mut reference = Evaluator::new(&pack, sub);
            reference.strategy = crate::eval::Strategy::Reference;
            reference.precompute_row_metrics();
            let mut exprs: Vec<(TableId, &Expr)> = pack
                .row_metrics
                .iter()
                .map(|m| (m.table, &m.expr))
                .collect();
            for r in &pack.rules {
                if let Scope::Row(t) = r.scope {
                    exprs.extend(r.when.iter().map(|w| (t, w)));
                    exprs.push((t, &r.assert.expr));
                }
            }
            for (t, e) in exprs {
                let rows: Vec<u32> = (0..sub.tables[t].rows as u32).collect();
                ev.year_runs(t, &rows, |year, run| {
                    let frame = Frame {
                        year,
                        group: None,
                        table: t,
                        rows: run,
                        this: This::Each(t, run),
                    };
                    let batch = ev.eval_batch(e, &frame).into_vec(run.len());
                    for (i, got) in batch.iter().enumerate() {
                        let want = reference.eval(e, &frame.ctx(i));
                        // Debug output, so that NaN equals NaN.
                        assert_eq!(
                            format!("{got:?}"),
                            format!("{want:?}"),
                            "{dir}: row {} of table {t}: {e:?}",
                            run[i]
                        );
                        compared += 1;
                    }
                });
            }
        }
        assert!(compared > 10_000, "only {compared} values compared");
    }
}
