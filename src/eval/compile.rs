//! Expressions compiled to code over the typed columns.
//!
//! The interpreter (`value.rs`) and the batch evaluator (`batch.rs`) build a
//! general value ([`V`]) for every row they read and match on it: most of
//! the time of `count(this.teachers where full_time and …)` over the 18
//! million teachers of a country, or of `students <= 45` over its 7 million
//! classes. Here the common shapes of expressions are compiled, once per
//! context (a year, a group, a batch of rows), into a small tree ([`Pred`],
//! [`Num`]) whose leaves hold the typed column slices themselves. A
//! predicate is evaluated column-wise, a block of [`BLOCK`] rows at a time
//! (one loop per node over its column, into arrays on the stack); numbers
//! row by row. No allocation and no [`V`] per row.
//!
//! Three users, each with the interpreter as the fallback:
//!
//! - aggregates (`count`, `sum`, `avg`, `min`, `max`, `share`, `cv`) over
//!   related rows, a whole table or a group: [`Evaluator::compile_agg`],
//!   [`CompiledAgg::fold`], called from `Evaluator::aggregate` (in `mod.rs`,
//!   under the fast strategy) and the batch
//!   evaluator's `aggregate_batch`;
//! - the `when` filter and assertion of a `for each` rule
//!   ([`Evaluator::compile_row_rule`], used by `check_rows`): a row whose
//!   filter is false is skipped, one whose filter and assertion hold
//!   passes, and every other row (a failure, a value not evaluable) is
//!   checked by the interpreter, which also builds its finding;
//! - per-row metrics that are arithmetic on columns and other metrics
//!   ([`Evaluator::compile_row_num`], used by `precompute_row_metrics`): a
//!   row whose compiled value is not a number is left out of the metric's
//!   column and evaluated by the interpreter if it is ever read.
//!
//! Design rules, so that the compiled path cannot disagree with the
//! interpreter:
//!
//! - **Fast path or nothing.** A compiled predicate is three-valued
//!   ([`Tri`], or the bytes [`FALSE`], [`UNKNOWN`], [`TRUE`] in a block), a
//!   compiled number is `Option<f64>` (`None` where the interpreter's value
//!   is not a number: a missing cell, a zero denominator, no entry for a
//!   category). Whenever a row of an aggregate would make the interpreter
//!   record a not-evaluable reason (an unknown filter, a missing value, an
//!   unknown predicate, a missing weight), the compiled fold gives up and
//!   the caller evaluates the whole aggregate with the interpreter. So the
//!   reasons for "not evaluable" (their wording, which row is reported
//!   first) stay defined in one place.
//! - **Known results are the interpreter's.** Kleene's `and`/`or`/`not`
//!   give a known result exactly when the interpreter gives a yes/no value,
//!   and the same one: the interpreter's `and(miss, false)` is `false`, as
//!   `unknown ∧ false` is here. Comparisons of numbers use the same tolerant
//!   comparison (`value::compare_num`); comparisons of enum variants and
//!   yes/no values, and `in` lists, are decided by a table filled, at
//!   compile time, by the interpreter's own combinators (`cmp`, `in_list`)
//!   for every possible cell value.
//! - **Constants are the interpreter's.** A subexpression that reads no row
//!   (a literal, a parameter, a metric, the year, the group key) is
//!   evaluated once by the interpreter when compiling.
//! - **Same summation order.** The fold adds rows in order and, like the
//!   batch fold and the interpreter's `aggregate_reference`, cuts more than
//!   two [`CHUNK`]s of rows into chunks of [`CHUNK`] merged in order from an
//!   empty accumulator (`ops::chunked`); the accumulator, its `add`, `merge`
//!   and `finish` are `pack::ops::Acc`, shared by all three. Floating-point
//!   sums are therefore bit-identical. (A plain count adds its rows as one
//!   integer per block, `Acc::add_ones`: a sum of ones is exact in any order.)
//!
//! Anything else (`if`, text, `prev`, nested aggregates, `at_least`, …) is
//! not compiled: the compile functions return `None` and the caller uses the
//! existing path. The tests below compare every compiled aggregate, check
//! and metric with the interpreter on the fixture submissions.

use super::value::{Acc, Ctx, Group, V, cmp, compare_num, finish, in_list};
use super::{CHUNK, Evaluator};
use crate::data::{ColumnData, NULL_BOOL, NULL_ENUM, NULL_ID, NULL_INT, NULL_YEAR};
use crate::pack::ir::{Agg, AggKind, Arith, Cmp, Expr, Hop, Lit, RowRef};
use crate::pack::ops;
use crate::schema::{ColType, TableId};

/// A three-valued truth value: `None` is "not evaluable".
pub(crate) type Tri = Option<bool>;

/// Where a compiled leaf reads its row: the aggregated row or the rule's
/// row (`this`), then along reference columns.
#[derive(Debug)]
pub(crate) struct Src<'a> {
    from: RowRef,
    /// The reference columns of the hops, in order.
    hops: Vec<&'a [u32]>,
}

impl Src<'_> {
    /// The rows read for the aggregated rows `rows` (at most [`BLOCK`]):
    /// `rows` themselves, or computed into `buf`, `NULL_ID` where a
    /// reference on the way is empty (no column has that row).
    #[inline]
    fn rows<'b>(&self, rows: &'b [u32], this: u32, buf: &'b mut [u32; BLOCK]) -> &'b [u32] {
        if self.from == RowRef::Current && self.hops.is_empty() {
            return rows;
        }
        // Column-wise: the starting rows, then one pass per hop.
        for (b, &r) in buf.iter_mut().zip(rows) {
            *b = match self.from {
                RowRef::Current => r,
                RowRef::This => this,
            };
        }
        let n = rows.len().min(BLOCK);
        for refs in &self.hops {
            for b in buf.iter_mut().take(n) {
                *b = refs.get(*b as usize).copied().unwrap_or(NULL_ID);
            }
        }
        buf.get(..rows.len()).unwrap_or(&[])
    }

    /// The row read for the aggregated row `cur` and the rule's row `this`;
    /// `None` when a reference on the way is empty (the interpreter's value
    /// is then missing).
    #[inline(always)]
    fn row(&self, cur: u32, this: u32) -> Option<usize> {
        let mut r = match self.from {
            RowRef::Current => cur,
            RowRef::This => this,
        };
        for refs in &self.hops {
            r = *refs.get(r as usize)?;
            if r == NULL_ID {
                return None;
            }
        }
        Some(r as usize)
    }
}

/// A categorical column: yes/no values or enum variants.
#[derive(Debug)]
pub(crate) enum CatCol<'a> {
    Bool(&'a [u8]),
    /// The cells, and the number of variants of the enum.
    Enum(&'a [u16], u16),
}

/// A compiled predicate.
#[derive(Debug)]
pub(crate) enum Pred<'a> {
    Known(Tri),
    /// A yes/no or enum cell looked up in `table` (by value; [`TRUE`] or
    /// [`FALSE`]); values past the table get `beyond`; a missing cell is
    /// unknown.
    Cat {
        src: Src<'a>,
        col: CatCol<'a>,
        table: Vec<u8>,
        beyond: u8,
    },
    Cmp(Cmp, Num<'a>, Num<'a>),
    Not(Box<Pred<'a>>),
    /// Kleene's `and` of two or more predicates, left to right.
    And(Vec<Pred<'a>>),
    /// Kleene's `or` of two or more predicates, left to right.
    Or(Vec<Pred<'a>>),
}

/// Rows evaluated together: each node of a compiled predicate computes the
/// truth values of a block of rows in one loop over its column (no branch
/// per node and row), into arrays on the stack.
pub(crate) const BLOCK: usize = 128;

/// Truth values of a block, one byte per row (`pack::ops`: Kleene's `and`
/// is the minimum, `or` the maximum and `not` the mirror image).
pub(crate) use crate::pack::ops::{FALSE, TRUE, UNKNOWN, tri_byte};

impl Pred<'_> {
    /// The truth values ([`TRUE`], [`FALSE`], [`UNKNOWN`]) of any number of
    /// rows, block by block.
    pub(crate) fn eval_rows(&self, rows: &[u32], this: u32) -> Vec<u8> {
        let mut out = vec![UNKNOWN; rows.len()];
        for (block, o) in rows.chunks(BLOCK).zip(out.chunks_mut(BLOCK)) {
            self.eval_block(block, this, o);
        }
        out
    }

    /// Writes the truth value of each row of `rows` (at most [`BLOCK`]) for
    /// the rule's row `this` into `out` (as long as `rows`).
    pub(crate) fn eval_block(&self, rows: &[u32], this: u32, out: &mut [u8]) {
        match self {
            Pred::Known(t) => out.fill(tri_byte(*t)),
            Pred::Cat {
                src,
                col,
                table,
                beyond,
            } => {
                let mut buf = [NULL_ID; BLOCK];
                let rows = src.rows(rows, this, &mut buf);
                let (bytes, beyond) = (table.as_slice(), *beyond);
                match col {
                    CatCol::Bool(v) => {
                        for (o, &r) in out.iter_mut().zip(rows) {
                            *o = match v.get(r as usize) {
                                Some(&x) if x != NULL_BOOL => {
                                    bytes.get(x as usize).copied().unwrap_or(beyond)
                                }
                                _ => UNKNOWN,
                            };
                        }
                    }
                    CatCol::Enum(v, _) => {
                        for (o, &r) in out.iter_mut().zip(rows) {
                            *o = match v.get(r as usize) {
                                Some(&x) if x != NULL_ENUM => {
                                    bytes.get(x as usize).copied().unwrap_or(beyond)
                                }
                                _ => UNKNOWN,
                            };
                        }
                    }
                }
            }
            Pred::Cmp(op, a, b) => {
                // Blocks are at most BLOCK rows long.
                let n = out.len().min(BLOCK);
                let (mut x, mut y) = ([0.0; BLOCK], [0.0; BLOCK]);
                let (mut xk, mut yk) = ([false; BLOCK], [false; BLOCK]);
                a.eval_block(rows, this, &mut x[..n], &mut xk[..n]);
                b.eval_block(rows, this, &mut y[..n], &mut yk[..n]);
                for ((o, (x, xk)), (y, yk)) in
                    out.iter_mut().zip(x.iter().zip(xk)).zip(y.iter().zip(yk))
                {
                    *o = if xk && yk {
                        if compare_num(*op, *x, *y) {
                            TRUE
                        } else {
                            FALSE
                        }
                    } else {
                        UNKNOWN
                    };
                }
            }
            Pred::Not(x) => {
                x.eval_block(rows, this, out);
                for o in out.iter_mut() {
                    *o = ops::not_byte(*o);
                }
            }
            Pred::And(xs) => {
                let Some((first, rest)) = xs.split_first() else {
                    out.fill(TRUE);
                    return;
                };
                first.eval_block(rows, this, out);
                let mut y = [TRUE; BLOCK];
                let y = &mut y[..out.len().min(BLOCK)];
                for b in rest {
                    if out.iter().all(|&o| o == FALSE) {
                        return;
                    }
                    b.eval_block(rows, this, y);
                    for (o, y) in out.iter_mut().zip(y.iter()) {
                        *o = ops::and_byte(*o, *y);
                    }
                }
            }
            Pred::Or(xs) => {
                let Some((first, rest)) = xs.split_first() else {
                    out.fill(FALSE);
                    return;
                };
                first.eval_block(rows, this, out);
                let mut y = [FALSE; BLOCK];
                let y = &mut y[..out.len().min(BLOCK)];
                for b in rest {
                    if out.iter().all(|&o| o == TRUE) {
                        return;
                    }
                    b.eval_block(rows, this, y);
                    for (o, y) in out.iter_mut().zip(y.iter()) {
                        *o = ops::or_byte(*o, *y);
                    }
                }
            }
        }
    }
}

/// A compiled number; `None` where the interpreter's value is not a number.
#[derive(Debug)]
pub(crate) enum Num<'a> {
    Const(Option<f64>),
    Int(Src<'a>, &'a [i64]),
    Dec(Src<'a>, &'a [f64]),
    Year(Src<'a>, &'a [i32]),
    /// A value by category (`param[stage]`): the entry of the enum cell's
    /// variant; no entry is not evaluable.
    Lookup(Src<'a>, &'a [u16], &'a [Option<f64>]),
    /// A precomputed per-row metric: its numbers (NaN where the value is
    /// something else), and, for a table with a year column, the rows'
    /// years and the context year (the cache holds each row's own year).
    Metric {
        src: Src<'a>,
        nums: &'a [f64],
        years: Option<(&'a [i32], Option<i32>)>,
    },
    Neg(Box<Num<'a>>),
    /// A chain, left to right: the first operand, then each operator with
    /// its operand.
    Arith(Box<Num<'a>>, Vec<(Arith, Num<'a>)>),
}

impl Num<'_> {
    /// Writes the value of each row of `rows` (at most [`BLOCK`]) into
    /// `out`, and into `known` whether it is a number.
    fn eval_block(&self, rows: &[u32], this: u32, out: &mut [f64], known: &mut [bool]) {
        let mut buf = [NULL_ID; BLOCK];
        match self {
            Num::Const(x) => {
                out.fill(x.unwrap_or(0.0));
                known.fill(x.is_some());
            }
            Num::Int(src, v) => {
                let rows = src.rows(rows, this, &mut buf);
                for ((o, k), &r) in out.iter_mut().zip(known.iter_mut()).zip(rows) {
                    let x = v.get(r as usize).copied().unwrap_or(NULL_INT);
                    *o = x as f64;
                    *k = x != NULL_INT;
                }
            }
            Num::Dec(src, v) => {
                let rows = src.rows(rows, this, &mut buf);
                for ((o, k), &r) in out.iter_mut().zip(known.iter_mut()).zip(rows) {
                    let x = v.get(r as usize).copied().unwrap_or(f64::NAN);
                    *o = x;
                    *k = !x.is_nan();
                }
            }
            Num::Neg(x) => {
                x.eval_block(rows, this, out, known);
                for o in out.iter_mut() {
                    *o = -*o;
                }
            }
            Num::Arith(a, steps) => {
                a.eval_block(rows, this, out, known);
                // Blocks are at most BLOCK rows long.
                let n = out.len().min(BLOCK);
                let (mut y, mut yk) = ([0.0; BLOCK], [false; BLOCK]);
                for (op, b) in steps {
                    b.eval_block(rows, this, &mut y[..n], &mut yk[..n]);
                    for ((o, k), (y, yk)) in out
                        .iter_mut()
                        .zip(known.iter_mut())
                        .zip(y.iter().zip(yk.iter()))
                    {
                        *k &= *yk;
                        match ops::arith(*op, *o, *y) {
                            Some(z) => *o = z,
                            None => *k = false,
                        }
                    }
                }
            }
            Num::Year(..) | Num::Metric { .. } | Num::Lookup(..) => {
                for ((o, k), &r) in out.iter_mut().zip(known.iter_mut()).zip(rows) {
                    let x = self.eval(r, this);
                    *o = x.unwrap_or(0.0);
                    *k = x.is_some();
                }
            }
        }
    }

    #[inline]
    pub(crate) fn eval(&self, cur: u32, this: u32) -> Option<f64> {
        match self {
            Num::Const(x) => *x,
            Num::Int(src, v) => match *v.get(src.row(cur, this)?)? {
                NULL_INT => None,
                x => Some(x as f64),
            },
            Num::Dec(src, v) => {
                let x = *v.get(src.row(cur, this)?)?;
                (!x.is_nan()).then_some(x)
            }
            Num::Year(src, v) => match *v.get(src.row(cur, this)?)? {
                NULL_YEAR => None,
                x => Some(x as f64),
            },
            Num::Lookup(src, v, table) => match *v.get(src.row(cur, this)?)? {
                NULL_ENUM => None,
                x => ops::lookup(table, x),
            },
            Num::Metric { src, nums, years } => {
                let r = src.row(cur, this)?;
                if let Some((ys, year)) = years {
                    let y = ys.get(r).copied().filter(|y| *y != NULL_YEAR);
                    if y != *year {
                        return None;
                    }
                }
                let x = *nums.get(r)?;
                (!x.is_nan()).then_some(x)
            }
            Num::Neg(x) => Some(-x.eval(cur, this)?),
            Num::Arith(a, steps) => {
                let mut x = a.eval(cur, this)?;
                for (op, b) in steps {
                    let y = b.eval(cur, this)?;
                    x = ops::arith(*op, x, y)?;
                }
                Some(x)
            }
        }
    }
}

/// A compiled aggregate: its parts, each as the interpreter's fold reads it.
#[derive(Debug)]
pub(crate) struct CompiledAgg<'a> {
    kind: AggKind,
    filter: Option<Pred<'a>>,
    value: Option<Num<'a>>,
    pred: Option<Pred<'a>>,
    weight: Option<Num<'a>>,
}

impl CompiledAgg<'_> {
    /// The aggregate over `rows` (in order) for the rule's row `this`
    /// (any value when the aggregate does not read it), folded in the
    /// chunks the interpreter uses; `None` when a row would make the result
    /// not evaluable (the caller then asks the interpreter).
    pub(crate) fn fold<'v>(&self, rows: &[u32], this: u32) -> Option<Acc<'v>> {
        ops::chunked(rows.len(), CHUNK, |r| {
            self.fold_rows(rows.get(r).unwrap_or(&[]), this)
        })
    }

    /// Folds consecutive rows, as `Parts::fold_rows` does: block by block,
    /// the filter (and the predicate of a share) for the whole block, then
    /// the rows that pass it, in order.
    pub(crate) fn fold_rows<'v>(&self, rows: &[u32], this: u32) -> Option<Acc<'v>> {
        let mut acc = Acc::default();
        let mut mask = [TRUE; BLOCK];
        let mut pmask = [TRUE; BLOCK];
        // Counts add 1.0 per row: an integer, exact in f64 whatever the
        // order, so it is accumulated as an integer.
        let count_only = self.kind == AggKind::Count && self.value.is_none();
        for block in rows.chunks(BLOCK) {
            let n = block.len();
            let m = mask.get_mut(..n)?;
            match &self.filter {
                Some(f) => f.eval_block(block, this, m),
                None => m.fill(TRUE),
            }
            if m.contains(&UNKNOWN) {
                return None;
            }
            if count_only {
                acc.add_ones(m.iter().filter(|&&x| x == TRUE).count());
                continue;
            }
            let pm = pmask.get_mut(..n)?;
            if let Some(p) = &self.pred {
                p.eval_block(block, this, pm);
            }
            for ((&r, &passes), &pred) in block.iter().zip(m.iter()).zip(pm.iter()) {
                if passes != TRUE {
                    continue;
                }
                let value = match &self.value {
                    Some(v) => v.eval(r, this)?,
                    None => 1.0,
                };
                let pred = match (&self.pred, pred) {
                    (None, _) => None,
                    (Some(_), TRUE) => Some(true),
                    (Some(_), FALSE) => Some(false),
                    (Some(_), _) => return None,
                };
                let weight = match &self.weight {
                    Some(w) => w.eval(r, this)?,
                    None => 1.0,
                };
                acc.add(self.kind, value, pred, weight);
            }
        }
        Some(acc)
    }
}

/// Whether an enum constant is one of the `n` variants a table decides.
fn enum_const_ok(k: &V, col: &CatCol) -> bool {
    match (k, col) {
        (V::Enum(v), CatCol::Enum(_, n)) => v < n,
        _ => true,
    }
}

fn enum_lit_ok(l: &Lit, col: &CatCol) -> bool {
    match (l, col) {
        (Lit::Enum(v), CatCol::Enum(_, n)) => v < n,
        _ => true,
    }
}

/// What compiling needs to know about the context.
struct Scope<'a, 'g> {
    year: Option<i32>,
    group: Option<&'g Group<'a>>,
    /// The table of the rule's row, if there is one.
    this: Option<TableId>,
    /// Whether the rule's row is the current row (in the checks of a
    /// `for each` rule), so that `this.x` reads the current row.
    this_is_cur: bool,
}

/// Whether `e` reads no row: its value depends on the year and group only.
fn is_const(e: &Expr) -> bool {
    let mut rows = false;
    crate::pack::ir::visit(e, &mut |x| {
        rows |= matches!(
            x,
            Expr::Col { .. } | Expr::RowMetric { .. } | Expr::Agg(_) | Expr::Prev(_)
        );
    });
    !rows
}

impl<'a> Evaluator<'a> {
    /// Compiles the aggregate `a` for contexts of `year` and `group` whose
    /// rule's row (if any) belongs to table `this`; `None` when some part is
    /// not of a shape the compiler knows.
    pub(crate) fn compile_agg<'c>(
        &'c self,
        a: &'a Agg,
        year: Option<i32>,
        group: Option<&Group<'a>>,
        this: Option<TableId>,
    ) -> Option<CompiledAgg<'c>> {
        let s = Scope {
            year,
            group,
            this,
            this_is_cur: false,
        };
        let pred = |e: &'a Option<Expr>| -> Option<Option<Pred<'c>>> {
            match e {
                Some(e) => Some(Some(self.compile_pred(e, &s)?)),
                None => Some(None),
            }
        };
        let num = |e: &'a Option<Expr>| -> Option<Option<Num<'c>>> {
            match e {
                Some(e) => Some(Some(self.compile_num(e, &s)?)),
                None => Some(None),
            }
        };
        Some(CompiledAgg {
            kind: a.kind,
            filter: pred(&a.filter)?,
            value: num(&a.value)?,
            pred: pred(&a.pred)?,
            weight: num(&a.weight)?,
        })
    }

    /// Compiles the `when` filter (if any) and the assertion of a `for each`
    /// rule on rows of `table` in `year`; `None` when either is not of a
    /// shape the compiler knows.
    pub(crate) fn compile_row_rule<'c>(
        &'c self,
        when: Option<&'a Expr>,
        assert: &'a Expr,
        table: TableId,
        year: Option<i32>,
    ) -> Option<(Option<Pred<'c>>, Pred<'c>)> {
        let s = Scope {
            year,
            group: None,
            this: Some(table),
            this_is_cur: true,
        };
        let when = match when {
            Some(w) => Some(self.compile_pred(w, &s)?),
            None => None,
        };
        Some((when, self.compile_pred(assert, &s)?))
    }

    /// Compiles a per-row metric of `table` for its rows of `year` (its
    /// row is both the current row and `this`); `None` when it is not of a
    /// shape the compiler knows.
    pub(crate) fn compile_row_num<'c>(
        &'c self,
        e: &'a Expr,
        table: TableId,
        year: Option<i32>,
    ) -> Option<Num<'c>> {
        let s = Scope {
            year,
            group: None,
            this: Some(table),
            this_is_cur: true,
        };
        self.compile_num(e, &s)
    }

    /// The value of a constant expression, by the interpreter.
    fn constant(&self, e: &'a Expr, s: &Scope<'a, '_>) -> V<'a> {
        self.eval(
            e,
            &Ctx {
                year: s.year,
                this: None,
                cur: None,
                group: s.group,
            },
        )
    }

    /// Where `Col { row, path }` reads its row, when the row exists.
    fn compile_src<'c>(&'c self, row: RowRef, path: &[Hop], s: &Scope<'a, '_>) -> Option<Src<'c>> {
        if row == RowRef::This && s.this.is_none() {
            return None;
        }
        let row = if s.this_is_cur { RowRef::Current } else { row };
        let hops = path
            .iter()
            .map(|h| match self.column(h.table, h.col)? {
                ColumnData::Ref(refs) => Some(refs.as_slice()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Src { from: row, hops })
    }

    /// A yes/no or enum column read by `e`, if `e` is such a column.
    fn compile_cat<'c>(&'c self, e: &'a Expr, s: &Scope<'a, '_>) -> Option<(Src<'c>, CatCol<'c>)> {
        let Expr::Col {
            row,
            path,
            col,
            table,
            ..
        } = e
        else {
            return None;
        };
        let def = self.pack.schema.tables.get(*table)?.columns.get(*col)?;
        let col = match (self.column(*table, *col)?, def.ty) {
            (ColumnData::Bool(v), _) => CatCol::Bool(v),
            (ColumnData::Enum(v), ColType::Enum(id)) => {
                let n = self.pack.schema.enums.get(id)?.variants.len();
                CatCol::Enum(v, u16::try_from(n).ok().filter(|n| *n < NULL_ENUM)?)
            }
            _ => return None,
        };
        Some((self.compile_src(*row, path, s)?, col))
    }

    /// `Cat` deciding each possible cell value `v` of `col` by `decide(v)`,
    /// the interpreter's value for a row holding `v`. The table covers the
    /// enum's variants; the constants compared with (checked by
    /// [`enum_const_ok`]) are among them, so any value past them (which the
    /// data never holds) is decided alike, as `beyond`.
    fn cat_table<'c>(src: Src<'c>, col: CatCol<'c>, decide: impl Fn(V<'a>) -> V<'a>) -> Pred<'c> {
        let is_true = |v: V<'a>| tri_byte(Some(decide(v) == V::Bool(true)));
        let (table, beyond) = match col {
            CatCol::Bool(_) => (vec![is_true(V::Bool(false)), is_true(V::Bool(true))], FALSE),
            CatCol::Enum(_, n) => (
                (0..n).map(|x| is_true(V::Enum(x))).collect(),
                is_true(V::Enum(n)),
            ),
        };
        Pred::Cat {
            src,
            col,
            table,
            beyond,
        }
    }

    /// Compiles a yes/no expression over the aggregated rows.
    fn compile_pred<'c>(&'c self, e: &'a Expr, s: &Scope<'a, '_>) -> Option<Pred<'c>> {
        if is_const(e) {
            return match self.constant(e, s) {
                V::Bool(b) => Some(Pred::Known(Some(b))),
                V::Miss(_) => Some(Pred::Known(None)),
                _ => None,
            };
        }
        Some(match e {
            Expr::Col { .. } => {
                let (src, col) = self.compile_cat(e, s)?;
                if !matches!(col, CatCol::Bool(_)) {
                    return None;
                }
                Self::cat_table(src, col, |v| v)
            }
            Expr::Not(x) => Pred::Not(Box::new(self.compile_pred(x, s)?)),
            Expr::And(xs) => Pred::And(
                xs.iter()
                    .map(|x| self.compile_pred(x, s))
                    .collect::<Option<_>>()?,
            ),
            Expr::Or(xs) => Pred::Or(
                xs.iter()
                    .map(|x| self.compile_pred(x, s))
                    .collect::<Option<_>>()?,
            ),
            Expr::In(x, lits) => {
                let (src, col) = self.compile_cat(x, s)?;
                if !lits.iter().all(|l| enum_lit_ok(l, &col)) {
                    return None;
                }
                Self::cat_table(src, col, |v| in_list(v, lits))
            }
            Expr::Cmp(op, a, b) => {
                let op = *op;
                if let Some((src, col)) = self.compile_cat(a, s) {
                    if !is_const(b) {
                        return None;
                    }
                    let k = self.constant(b, s);
                    if matches!(k, V::Miss(_)) {
                        return Some(Pred::Known(None));
                    }
                    if !enum_const_ok(&k, &col) {
                        return None;
                    }
                    return Some(Self::cat_table(src, col, |v| cmp(op, v, k.clone())));
                }
                if let Some((src, col)) = self.compile_cat(b, s) {
                    if !is_const(a) {
                        return None;
                    }
                    let k = self.constant(a, s);
                    if matches!(k, V::Miss(_)) {
                        return Some(Pred::Known(None));
                    }
                    if !enum_const_ok(&k, &col) {
                        return None;
                    }
                    return Some(Self::cat_table(src, col, |v| cmp(op, k.clone(), v)));
                }
                // The planted mistake of `Strategy::PlantedBug`, decided once
                // here, at compile time (no cost on the rows).
                let op = if op == Cmp::Le && self.strategy == super::Strategy::PlantedBug {
                    Cmp::Lt
                } else {
                    op
                };
                Pred::Cmp(op, self.compile_num(a, s)?, self.compile_num(b, s)?)
            }
            _ => return None,
        })
    }

    /// Compiles a numeric expression over the aggregated rows.
    fn compile_num<'c>(&'c self, e: &'a Expr, s: &Scope<'a, '_>) -> Option<Num<'c>> {
        if is_const(e) {
            return match self.constant(e, s) {
                V::Num(x) => Some(Num::Const(Some(x))),
                V::Miss(_) => Some(Num::Const(None)),
                _ => None,
            };
        }
        Some(match e {
            Expr::Col {
                row,
                path,
                col,
                table,
                ..
            } => {
                let src = self.compile_src(*row, path, s)?;
                match self.column(*table, *col)? {
                    ColumnData::Int(v) => Num::Int(src, v),
                    ColumnData::Dec(v) => Num::Dec(src, v),
                    ColumnData::Year(v) => Num::Year(src, v),
                    _ => return None,
                }
            }
            Expr::RowMetric { id, row, path } => {
                let m = self.pack.row_metrics.get(*id)?;
                let Some(Some(cache)) = self.row_metric_cache.get(*id) else {
                    return None;
                };
                let years = match self.year_cols.get(m.table) {
                    Some(Some(ys)) => Some((*ys, s.year)),
                    _ => {
                        // Rows without a year column are in the report year.
                        if s.year != self.sub.report_year() {
                            return None;
                        }
                        None
                    }
                };
                Num::Metric {
                    src: self.compile_src(*row, path, s)?,
                    nums: cache.nums(),
                    years,
                }
            }
            Expr::Lookup(key, table) => {
                let (src, CatCol::Enum(v, _)) = self.compile_cat(key, s)? else {
                    return None;
                };
                Num::Lookup(src, v, table)
            }
            Expr::Neg(x) => Num::Neg(Box::new(self.compile_num(x, s)?)),
            Expr::Arith(a, steps) => Num::Arith(
                Box::new(self.compile_num(a, s)?),
                steps
                    .iter()
                    .map(|st| Some((st.op, self.compile_num(&st.rhs, s)?)))
                    .collect::<Option<_>>()?,
            ),
            _ => return None,
        })
    }

    /// The aggregate `a` over `rows` in `ctx` by the compiled path, when it
    /// compiles and no row makes it not evaluable. Large row sets are folded
    /// chunk by chunk in parallel, merged in order.
    pub(crate) fn aggregate_compiled(
        &self,
        a: &'a Agg,
        ctx: &Ctx<'a, '_>,
        rows: &[u32],
    ) -> Option<V<'a>> {
        use rayon::prelude::*;
        let this = ctx.this.map(|(t, _)| t);
        let c = self.compile_agg(a, ctx.year, ctx.group, this)?;
        let this_row = ctx.this.map_or(u32::MAX, |(_, r)| r);
        let acc = if rows.len() > 2 * CHUNK {
            let parts: Vec<Option<Acc<'a>>> = rows
                .par_chunks(CHUNK)
                .map(|chunk| c.fold_rows(chunk, this_row))
                .collect();
            let mut acc = Acc::default();
            for p in parts {
                acc = acc.merge(p?);
            }
            acc
        } else {
            c.fold_rows(rows, this_row)?
        };
        Some(finish(acc, a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::Template;
    use crate::pack::ir::{Scope as RuleScope, visit};

    /// The compiled aggregates against the reference interpreter (and the
    /// batch path) on the fixture submissions: every aggregate of every metric, per-row metric
    /// and rule (its filter, assertion, shown values and message), in every
    /// context it is evaluated in (each row for a `for each` rule or a
    /// per-row metric, each year otherwise). Where the compiled fold gives a
    /// result, it must be the interpreter's.
    #[test]
    fn compiled_aggregates_match_the_interpreter_on_fixtures() {
        let pack = crate::eval::test_fixtures::pack();
        let fixtures = crate::eval::test_fixtures::submissions(&pack);
        // Each expression with the table of its row, if it has one.
        let mut roots: Vec<(Option<TableId>, &Expr)> = Vec::new();
        for m in &pack.metrics {
            roots.push((None, &m.expr));
        }
        for m in &pack.row_metrics {
            roots.push((Some(m.table), &m.expr));
        }
        for r in &pack.rules {
            let t = match r.scope {
                RuleScope::Row(t) => Some(t),
                RuleScope::Year | RuleScope::Submission => None,
                RuleScope::Group(..) => continue,
            };
            roots.extend(r.when.iter().map(|w| (t, w)));
            roots.push((t, &r.assert.expr));
            roots.extend(r.assert.conditions.iter().map(|(e, _)| (t, e)));
            for d in &r.assert.display {
                roots.extend([(t, &d.lhs.0), (t, &d.rhs.0)]);
                roots.extend(d.parts.iter().map(|(e, _)| (t, e)));
            }
            roots.extend(r.message.iter().filter_map(|m| match m {
                Template::Expr(e, _) => Some((t, e)),
                Template::Text(_) => None,
            }));
        }
        let mut aggs: Vec<(Option<TableId>, &Agg)> = Vec::new();
        for (t, e) in roots {
            visit(e, &mut |x| {
                if let Expr::Agg(a) = x {
                    aggs.push((t, a));
                }
            });
        }
        let (mut compared, mut compiled) = (0, 0);
        for (dir, loaded) in &fixtures {
            let sub = &loaded.submission;
            let mut ev = Evaluator::new(&pack, sub);
            ev.precompute_row_metrics();
            let mut reference = Evaluator::new(&pack, sub);
            reference.strategy = crate::eval::Strategy::Reference;
            reference.precompute_row_metrics();
            for &(t, a) in &aggs {
                let mut ctxs: Vec<Ctx> = Vec::new();
                match t {
                    Some(t) => {
                        for r in 0..sub.tables[t].rows as u32 {
                            ctxs.push(Ctx {
                                year: ev.row_year(t, r),
                                this: Some((t, r)),
                                cur: Some((t, r)),
                                group: None,
                            });
                        }
                    }
                    None => {
                        let mut years: Vec<Option<i32>> =
                            sub.years.iter().map(|y| Some(*y)).collect();
                        years.push(None);
                        for year in years {
                            ctxs.push(Ctx {
                                year,
                                this: None,
                                cur: None,
                                group: None,
                            });
                        }
                    }
                }
                for ctx in ctxs {
                    let Ok(rows) = ev.rows_of(&a.rows, &ctx) else {
                        continue;
                    };
                    let Some(c) = ev.compile_agg(a, ctx.year, None, ctx.this.map(|x| x.0)) else {
                        continue;
                    };
                    compiled += 1;
                    let this = ctx.this.map_or(u32::MAX, |x| x.1);
                    let Some(acc) = c.fold(rows, this) else {
                        continue;
                    };
                    let got = finish(acc, a);
                    let want = reference.aggregate_reference(a, &ctx, rows);
                    // The batch path agrees too.
                    assert_eq!(
                        format!("{:?}", ev.aggregate_rows(a, &ctx, rows)),
                        format!("{want:?}")
                    );
                    // Debug output, so that NaN equals NaN.
                    assert_eq!(
                        format!("{got:?}"),
                        format!("{want:?}"),
                        "{dir}: {} in {:?}",
                        a.text,
                        ctx.this
                    );
                    // The entry point used by the evaluator agrees too.
                    assert_eq!(format!("{:?}", ev.aggregate(a, &ctx)), format!("{want:?}"));
                    compared += 1;
                }
            }
        }
        assert!(compared > 10_000, "only {compared} of {compiled} compared");
    }

    /// The compiled `when` filters and assertions of `for each` rules, and
    /// the compiled per-row metrics, against the reference interpreter on
    /// the fixture submissions: wherever the compiled value is known (a yes/no value, a
    /// number), it must be the interpreter's value for that row.
    #[test]
    fn compiled_row_checks_and_metrics_match_the_interpreter_on_fixtures() {
        let pack = crate::eval::test_fixtures::pack();
        let fixtures = crate::eval::test_fixtures::submissions(&pack);
        let (mut preds, mut nums) = (0, 0);
        for (dir, loaded) in &fixtures {
            let sub = &loaded.submission;
            let mut ev = Evaluator::new(&pack, sub);
            ev.precompute_row_metrics();
            let mut reference = Evaluator::new(&pack, sub);
            reference.strategy = crate::eval::Strategy::Reference;
            reference.precompute_row_metrics();
            let ctx = |t: TableId, r: u32, year| Ctx {
                year,
                this: Some((t, r)),
                cur: Some((t, r)),
                group: None,
            };
            for rule in &pack.rules {
                let RuleScope::Row(t) = rule.scope else {
                    continue;
                };
                let rows: Vec<u32> = (0..sub.tables[t].rows as u32).collect();
                ev.year_runs(t, &rows, |year, run| {
                    let Some((when, assert)) =
                        ev.compile_row_rule(rule.when.as_ref(), &rule.assert.expr, t, year)
                    else {
                        return;
                    };
                    let mut pairs = vec![(&rule.assert.expr, assert.eval_rows(run, NULL_ID))];
                    if let (Some(w), Some(c)) = (&rule.when, when) {
                        pairs.push((w, c.eval_rows(run, NULL_ID)));
                    }
                    for (e, got) in pairs {
                        for (&r, &g) in run.iter().zip(&got) {
                            if g == UNKNOWN {
                                continue;
                            }
                            let want = reference.eval(e, &ctx(t, r, year));
                            assert_eq!(
                                V::Bool(g == TRUE),
                                want,
                                "{dir}: rule {} row {r}",
                                rule.meta.id
                            );
                            preds += 1;
                        }
                    }
                });
            }
            for m in &pack.row_metrics {
                let t = m.table;
                let rows: Vec<u32> = (0..sub.tables[t].rows as u32).collect();
                ev.year_runs(t, &rows, |year, run| {
                    let Some(c) = ev.compile_row_num(&m.expr, t, year) else {
                        return;
                    };
                    for &r in run {
                        let Some(x) = c.eval(r, NULL_ID) else {
                            continue;
                        };
                        let want = reference.eval(&m.expr, &ctx(t, r, year));
                        assert_eq!(
                            format!("{:?}", V::Num(x)),
                            format!("{want:?}"),
                            "{dir}: metric {} row {r}",
                            m.name
                        );
                        nums += 1;
                    }
                });
            }
        }
        assert!(preds > 10_000, "only {preds} compiled checks compared");
        assert!(nums > 1_000, "only {nums} compiled metric values compared");
    }
}
