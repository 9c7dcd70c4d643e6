//! Compiled rules × tables → findings. Pure: no IO, no printing; parallel with
//! rayon, and the result never depends on the number of threads (work is cut
//! into fixed-size chunks whose results are combined in order).
//!
//! One semantics, a reference and fast paths. The primitive operations are
//! `pack::ops`. The interpreter (`value.rs`, one context and one row at a
//! time) is the reference: under [`Strategy::Reference`] it evaluates
//! everything, aggregates included, and nothing else runs. Under
//! [`Strategy::Fast`] (the default) the batch evaluator (`batch.rs`, a node
//! for many rows at once) and compiled expressions (`compile.rs`, the
//! common shapes as loops over the typed columns) do the bulk of the work,
//! falling back to the interpreter whenever a value is not evaluable or a
//! shape is not covered. `tests/differential.rs` requires both strategies
//! to give byte-identical reports on random rule packs and submissions.

mod batch;
mod compile;
pub mod complete;
mod distribution;
pub mod finding;
pub(crate) mod value;

/// What the tests comparing the fast paths with the interpreter run on: the
/// bundled rule pack and fixture submissions of every kind.
#[cfg(test)]
pub(crate) mod test_fixtures {
    use crate::data::Loaded;
    use crate::pack::RulePack;
    use std::path::Path;

    pub const SUBMISSIONS: [&str; 5] = [
        "fixtures/generated/wanzhou-2020",
        "fixtures/generated/wanzhou-2025",
        "fixtures/submissions/violations",
        "fixtures/submissions/violations-more",
        "fixtures/submissions/small-district",
    ];

    pub fn pack() -> RulePack {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        crate::check::load_pack(&root.join("rules"))
            .unwrap_or_else(|d| panic!("rule pack: {}", crate::diag::render_plain(&d)))
    }

    /// Each fixture submission, loaded.
    pub fn submissions(pack: &RulePack) -> Vec<(&'static str, Loaded)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        SUBMISSIONS
            .iter()
            .map(
                |dir| match crate::data::load_submission(&pack.schema, &root.join(dir)) {
                    Ok(l) => (*dir, l),
                    Err(e) => panic!("{dir}: {}", crate::diag::render_plain(&e.diags)),
                },
            )
            .collect()
    }
}

use crate::data::{ColumnData, NULL_ID, Submission};
use crate::pack::ir::{self, Expr, Scope, Shape, ShapeKind};
use crate::pack::{Rule, RulePack, Template};
use crate::schema::{ColType, TableId};
use batch::{Frame, This};
use finding::*;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};
pub use value::V;
use value::{Ctx, Group};

/// Rows per unit of parallel work. Fixed, so that floating-point sums are
/// added in the same order whatever the number of threads.
pub(crate) const CHUNK: usize = 4096;

/// How the rules are evaluated. Both give the same report, byte for byte
/// (`tests/differential.rs`); the reference is slower.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// The interpreter alone, one row at a time: the definition of the
    /// semantics.
    Reference,
    /// The batch evaluator and compiled code, falling back to the
    /// interpreter.
    Fast,
    /// `Fast` with a deliberate mistake (a compiled `<=` on numbers that
    /// is `<`), so that a test can show the differential test catches a
    /// divergence. Never for real use.
    #[doc(hidden)]
    PlantedBug,
}

impl Strategy {
    /// The strategy named by the environment variable `DUDAO_STRATEGY`
    /// (`reference` or `fast`), [`Strategy::Fast`] when it is not set or
    /// names neither.
    pub fn from_env() -> Strategy {
        match std::env::var("DUDAO_STRATEGY").as_deref() {
            Ok("reference") => Strategy::Reference,
            _ => Strategy::Fast,
        }
    }
}

impl Default for Strategy {
    /// [`Strategy::from_env`].
    fn default() -> Self {
        Strategy::from_env()
    }
}

/// How to check a loaded submission.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// How to evaluate (`DUDAO_STRATEGY` by default, else fast).
    pub strategy: Strategy,
    /// Evaluate the rules even when the data is incomplete (the verdict
    /// still says so and is never a pass).
    pub allow_incomplete: bool,
    /// The report year the submission is for (`--year`).
    pub year: Option<i32>,
    /// Also compute how the values of row rules are spread (for the charts
    /// of the HTML report; a second pass over the rows).
    pub distributions: bool,
}

/// A loaded submission checked against a rule pack: whether its data is
/// complete, the results (unless it was incomplete and not checked), and
/// the warnings met while loading it.
#[derive(Debug, Clone)]
pub struct Results {
    pub completeness: complete::Completeness,
    pub report: Option<CheckReport>,
    pub warnings: Vec<crate::diag::Diag>,
}

/// Judges whether the data is complete, then evaluates the rules (when it
/// is, or when `opts.allow_incomplete`), calling `rule_done` after each rule.
pub fn check(
    pack: &RulePack,
    sub: &Submission,
    warnings: Vec<crate::diag::Diag>,
    opts: &CheckOptions,
    rule_done: &(dyn Fn() + Sync),
) -> Results {
    let completeness = complete::assess(pack, sub, &warnings, opts.year);
    let report = (completeness.is_complete() || opts.allow_incomplete)
        .then(|| run(pack, sub, opts.strategy, opts.distributions, rule_done));
    Results {
        completeness,
        report,
        warnings,
    }
}

/// Checks a submission against a rule pack (with the strategy of
/// [`Strategy::from_env`]).
pub fn evaluate(pack: &RulePack, sub: &Submission) -> CheckReport {
    evaluate_with(pack, sub, &|| {})
}

/// [`evaluate`] with the given strategy.
pub fn evaluate_strategy(pack: &RulePack, sub: &Submission, strategy: Strategy) -> CheckReport {
    run(pack, sub, strategy, false, &|| {})
}

/// [`evaluate`], calling `rule_done` after each rule (for a progress bar).
pub fn evaluate_with(
    pack: &RulePack,
    sub: &Submission,
    rule_done: &(dyn Fn() + Sync),
) -> CheckReport {
    evaluate_opts(pack, sub, false, rule_done)
}

/// [`evaluate_with`], with the distributions of row rules when `distributions`.
pub fn evaluate_opts(
    pack: &RulePack,
    sub: &Submission,
    distributions: bool,
    rule_done: &(dyn Fn() + Sync),
) -> CheckReport {
    run(pack, sub, Strategy::from_env(), distributions, rule_done)
}

fn run(
    pack: &RulePack,
    sub: &Submission,
    strategy: Strategy,
    distributions: bool,
    rule_done: &(dyn Fn() + Sync),
) -> CheckReport {
    let mut ev = Evaluator::new(pack, sub);
    ev.strategy = strategy;
    ev.distributions = distributions;
    ev.precompute_row_metrics();
    let results = pack
        .rules
        .par_iter()
        .enumerate()
        .map(|(i, r)| {
            let res = ev.run_rule(i, r);
            rule_done();
            res
        })
        .collect();
    CheckReport { results }
}

pub(crate) struct Evaluator<'a> {
    pub(crate) pack: &'a RulePack,
    pub(crate) sub: &'a Submission,
    /// For each table with a year column: its rows by year.
    year_rows: Vec<Option<BTreeMap<i32, Vec<u32>>>>,
    /// All rows of each table, `0..n`.
    all_rows: Vec<Vec<u32>>,
    /// For each table with a year column: the column, for [`Self::row_year`].
    year_cols: Vec<Option<&'a [i32]>>,
    /// Metric values by (metric, year).
    metric_cache: Mutex<HashMap<(usize, Option<i32>), V<'a>>>,
    /// For tables with a year column: (entity key, year) → row, for `prev`.
    entity_index: Vec<OnceLock<HashMap<(String, i32), u32>>>,
    /// Per-row metrics computed once for every row of their table (in the
    /// row's own year), before the rules run; `None` until computed.
    pub(crate) row_metric_cache: Vec<Option<MetricColumn<'a>>>,
    /// Whether row rules also compute their distribution.
    distributions: bool,
    /// How to evaluate.
    pub(crate) strategy: Strategy,
}

/// The values of one chunk of rows: numbers, and the rows holding other values.
type ChunkValues<'a> = (Vec<f64>, Vec<(u32, V<'a>)>);

/// A computed per-row metric: numbers in a flat vector, and the few other
/// values (not evaluable, yes/no, text) aside. A row with neither (NaN and
/// no other value) is evaluated again when read.
pub(crate) struct MetricColumn<'a> {
    nums: Vec<f64>,
    other: HashMap<u32, V<'a>>,
}

impl<'a> MetricColumn<'a> {
    /// The numbers of all rows, NaN where the value is something else.
    pub(crate) fn nums(&self) -> &[f64] {
        &self.nums
    }

    pub(crate) fn get(&self, r: u32) -> Option<V<'a>> {
        match self.nums.get(r as usize) {
            Some(x) if !x.is_nan() => Some(V::Num(*x)),
            Some(_) => self.other.get(&r).cloned(),
            None => None,
        }
    }
}

impl<'a> Evaluator<'a> {
    pub(crate) fn new(pack: &'a RulePack, sub: &'a Submission) -> Evaluator<'a> {
        let year_rows = pack
            .schema
            .tables
            .iter()
            .zip(&sub.tables)
            .map(|(def, t)| {
                let c = def.year_col?;
                let ColumnData::Year(ys) = t.columns.get(c)? else {
                    return None;
                };
                let mut m: BTreeMap<i32, Vec<u32>> = BTreeMap::new();
                for (r, y) in ys.iter().enumerate() {
                    m.entry(*y).or_default().push(r as u32);
                }
                Some(m)
            })
            .collect();
        let all_rows = sub
            .tables
            .iter()
            .map(|t| (0..t.rows as u32).collect())
            .collect();
        let year_cols = pack
            .schema
            .tables
            .iter()
            .zip(&sub.tables)
            .map(|(def, t)| match t.columns.get(def.year_col?)? {
                ColumnData::Year(ys) => Some(ys.as_slice()),
                _ => None,
            })
            .collect();
        Evaluator {
            pack,
            sub,
            year_rows,
            all_rows,
            year_cols,
            metric_cache: Mutex::new(HashMap::new()),
            entity_index: pack.schema.tables.iter().map(|_| OnceLock::new()).collect(),
            row_metric_cache: pack.row_metrics.iter().map(|_| None).collect(),
            distributions: false,
            strategy: Strategy::Fast,
        }
    }

    /// Whether the fast paths (batch, compiled) are used.
    #[inline]
    pub(crate) fn fast(&self) -> bool {
        self.strategy != Strategy::Reference
    }

    /// An aggregate in one context: under the reference strategy by the
    /// interpreter, row by row; else compiled when its parts compile and
    /// no row makes it not evaluable, else by the batch evaluator.
    pub(crate) fn aggregate(&self, a: &'a ir::Agg, ctx: &Ctx<'a, '_>) -> V<'a> {
        let rows = match self.rows_of(&a.rows, ctx) {
            Ok(r) => r,
            Err(m) => return m,
        };
        if !self.fast() {
            return self.aggregate_reference(a, ctx, rows);
        }
        if let Some(v) = self.aggregate_compiled(a, ctx, rows) {
            return v;
        }
        self.aggregate_rows(a, ctx, rows)
    }

    /// Computes every per-row metric the rules use, dependencies first, each
    /// over all rows of its table in parallel.
    fn precompute_row_metrics(&mut self) {
        let pack = self.pack;
        let mut stack: Vec<usize> = Vec::new();
        for r in &pack.rules {
            let mut roots: Vec<&Expr> = vec![&r.assert.expr];
            roots.extend(r.when.iter());
            roots.extend(r.assert.conditions.iter().map(|(e, _)| e));
            for d in &r.assert.display {
                roots.extend([&d.lhs.0, &d.rhs.0]);
                roots.extend(d.parts.iter().map(|(e, _)| e));
            }
            roots.extend(r.message.iter().filter_map(|t| match t {
                Template::Expr(e, _) => Some(e),
                Template::Text(_) => None,
            }));
            for e in roots {
                ir::visit(e, &mut |x| {
                    if let Expr::RowMetric { id, .. } = x {
                        stack.push(*id);
                    }
                });
            }
        }
        for m in &pack.metrics {
            ir::visit(&m.expr, &mut |x| {
                if let Expr::RowMetric { id, .. } = x {
                    stack.push(*id);
                }
            });
        }
        // Dependencies first (depth-first post-order).
        let mut order = Vec::new();
        let mut state = vec![0u8; pack.row_metrics.len()]; // 0 new, 1 visiting, 2 done
        fn dfs(id: usize, pack: &RulePack, state: &mut [u8], order: &mut Vec<usize>) {
            if state.get(id).copied() != Some(0) {
                return;
            }
            state[id] = 1;
            if let Some(m) = pack.row_metrics.get(id) {
                let mut deps = Vec::new();
                ir::visit(&m.expr, &mut |x| {
                    if let Expr::RowMetric { id, .. } = x {
                        deps.push(*id);
                    }
                });
                for d in deps {
                    dfs(d, pack, state, order);
                }
            }
            state[id] = 2;
            order.push(id);
        }
        while let Some(id) = stack.pop() {
            dfs(id, pack, &mut state, &mut order);
        }
        for id in order {
            let Some(m) = pack.row_metrics.get(id) else {
                continue;
            };
            let t = m.table;
            let rows = self.all_rows.get(t).map(Vec::as_slice).unwrap_or(&[]);
            let this = &*self;
            let parts: Vec<ChunkValues<'a>> = rows
                .par_chunks(CHUNK)
                .map(|chunk| {
                    let mut nums = Vec::with_capacity(chunk.len());
                    let mut other = Vec::new();
                    this.year_runs(t, chunk, |year, run| {
                        if !this.fast() {
                            for &r in run {
                                let ctx = Ctx {
                                    year,
                                    this: Some((t, r)),
                                    cur: Some((t, r)),
                                    group: None,
                                };
                                match this.eval(&m.expr, &ctx) {
                                    V::Num(x) if !x.is_nan() => nums.push(x),
                                    v => {
                                        nums.push(f64::NAN);
                                        other.push((r, v));
                                    }
                                }
                            }
                            return;
                        }
                        // Compiled: the numbers; a row whose value is
                        // something else (not evaluable, say) is left out
                        // of the column and evaluated by the interpreter
                        // when read (see `row_metric`), so its reason is
                        // built only if it is shown.
                        if let Some(c) = this.compile_row_num(&m.expr, t, year) {
                            nums.extend(run.iter().map(|&r| match c.eval(r, NULL_ID) {
                                Some(x) if !x.is_nan() => x,
                                _ => f64::NAN,
                            }));
                            return;
                        }
                        let frame = Frame {
                            year,
                            group: None,
                            table: t,
                            rows: run,
                            this: This::Each(t, run),
                        };
                        let vals = this.eval_batch(&m.expr, &frame);
                        for (v, &r) in vals.into_vec(run.len()).into_iter().zip(run) {
                            match v {
                                V::Num(x) if !x.is_nan() => nums.push(x),
                                v => {
                                    nums.push(f64::NAN);
                                    other.push((r, v));
                                }
                            }
                        }
                    });
                    (nums, other)
                })
                .collect();
            let mut col = MetricColumn {
                nums: Vec::with_capacity(rows.len()),
                other: HashMap::new(),
            };
            for (n, o) in parts {
                col.nums.extend(n);
                col.other.extend(o);
            }
            self.row_metric_cache[id] = Some(col);
        }
    }

    /// The rows of a table in a year (all rows if the table has no year column
    /// or no year is set).
    pub(crate) fn table_rows(&self, t: TableId, year: Option<i32>) -> &[u32] {
        if let (Some(Some(by_year)), Some(y)) = (self.year_rows.get(t), year) {
            return by_year.get(&y).map(Vec::as_slice).unwrap_or(&[]);
        }
        self.all_rows.get(t).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The year a row belongs to: its year column, else the report year.
    pub(crate) fn row_year(&self, t: TableId, r: u32) -> Option<i32> {
        match self.year_cols.get(t) {
            Some(Some(ys)) => ys
                .get(r as usize)
                .copied()
                .filter(|y| *y != crate::data::NULL_YEAR),
            _ => self.sub.report_year(),
        }
    }

    /// Calls `f` with each run of consecutive rows of `rows` (of table `t`)
    /// that belong to the same year, in order: a batch is evaluated in one year.
    fn year_runs(&self, t: TableId, rows: &[u32], mut f: impl FnMut(Option<i32>, &[u32])) {
        if !matches!(self.year_cols.get(t), Some(Some(_))) {
            f(self.sub.report_year(), rows);
            return;
        }
        let mut start = 0;
        while let Some(&first) = rows.get(start) {
            let year = self.row_year(t, first);
            let len = rows
                .get(start..)
                .unwrap_or(&[])
                .iter()
                .take_while(|&&r| self.row_year(t, r) == year)
                .count();
            f(year, rows.get(start..start + len).unwrap_or(&[]));
            start += len;
        }
    }

    pub(crate) fn metric(&self, id: usize, year: Option<i32>) -> V<'a> {
        if let Ok(cache) = self.metric_cache.lock()
            && let Some(v) = cache.get(&(id, year))
        {
            return v.clone();
        }
        let Some(m) = self.pack.metrics.get(id) else {
            return V::missing("metric");
        };
        let v = self.eval(
            &m.expr,
            &Ctx {
                year,
                this: None,
                cur: None,
                group: None,
            },
        );
        if let Ok(mut cache) = self.metric_cache.lock() {
            cache.insert((id, year), v.clone());
        }
        v
    }

    /// The row of table `t` with the same entity key as row `r`, in `year`.
    pub(crate) fn same_entity(&self, t: TableId, r: u32, year: i32) -> Option<u32> {
        let def = &self.pack.schema.tables[t];
        def.year_col?;
        let index = self.entity_index[t].get_or_init(|| {
            let mut m = HashMap::new();
            for row in 0..self.sub.tables[t].rows as u32 {
                if let Some(y) = self.row_year(t, row) {
                    m.insert((self.entity_key(t, row), y), row);
                }
            }
            m
        });
        index.get(&(self.entity_key(t, r), year)).copied()
    }

    /// The row's key without the year, e.g. `5001010001`.
    pub(crate) fn entity_key(&self, t: TableId, r: u32) -> String {
        let def = &self.pack.schema.tables[t];
        def.entity_key()
            .map(|c| self.cell_text(t, c, r))
            .collect::<Vec<_>>()
            .join("/")
    }

    /// A cell as text, for keys and names.
    pub(crate) fn cell_text(&self, t: TableId, c: usize, r: u32) -> String {
        let r = r as usize;
        let Some(col) = self.sub.tables.get(t).and_then(|x| x.columns.get(c)) else {
            return String::new();
        };
        match col {
            ColumnData::Int(v) => v
                .get(r)
                .filter(|x| **x != crate::data::NULL_INT)
                .map(|x| x.to_string())
                .unwrap_or_default(),
            ColumnData::Dec(v) => v
                .get(r)
                .filter(|x| !x.is_nan())
                .map(|x| x.to_string())
                .unwrap_or_default(),
            ColumnData::Text { .. } => col.text(r).unwrap_or_default().to_string(),
            ColumnData::Bool(v) => match v.get(r) {
                Some(1) => "是".into(),
                Some(0) => "否".into(),
                _ => String::new(),
            },
            ColumnData::Year(v) => v
                .get(r)
                .filter(|x| **x != crate::data::NULL_YEAR)
                .map(|x| x.to_string())
                .unwrap_or_default(),
            ColumnData::Enum(v) => match (self.pack.schema.tables[t].columns[c].ty, v.get(r)) {
                (ColType::Enum(e), Some(x)) => self.enum_label(e, *x).to_string(),
                _ => String::new(),
            },
            ColumnData::Ref(v) => match (self.pack.schema.tables[t].columns[c].ty, v.get(r)) {
                (ColType::Ref(target), Some(x)) if *x != crate::data::NULL_ID => {
                    self.entity_key(target, *x)
                }
                _ => String::new(),
            },
        }
    }

    pub(crate) fn enum_label(&self, e: usize, v: u16) -> &'a str {
        self.pack
            .schema
            .enums
            .get(e)
            .and_then(|d| d.variants.get(v as usize))
            .map(|v| v.aliases.first().unwrap_or(&v.name).as_str())
            .unwrap_or("?")
    }

    /// A human name for a row: its `name` column (else its key), after the
    /// name of the row it belongs to — "万州区第一小学" for a school,
    /// "万州区第一小学 三年级2班" for a class of it.
    fn row_name(&self, t: TableId, r: u32) -> Option<String> {
        let def = &self.pack.schema.tables[t];
        let own = match def.column("name") {
            Some(c) => self.cell_text(t, c, r),
            None => def
                .entity_key()
                .filter(|k| !matches!(def.columns[*k].ty, ColType::Ref(_)))
                .map(|k| self.cell_text(t, k, r))
                .collect::<Vec<_>>()
                .join("/"),
        };
        let parent = def.columns.iter().enumerate().find_map(|(c, col)| {
            let ColType::Ref(target) = col.ty else {
                return None;
            };
            let ColumnData::Ref(refs) = self.sub.tables[t].columns.get(c)? else {
                return None;
            };
            let pr = *refs.get(r as usize)?;
            (pr != crate::data::NULL_ID && target != t).then(|| {
                let tdef = &self.pack.schema.tables[target];
                match tdef.column("name") {
                    Some(nc) => self.cell_text(target, nc, pr),
                    None => self.entity_key(target, pr),
                }
            })
        });
        let full = match parent {
            Some(p) if !own.is_empty() => format!("{p} {own}"),
            Some(p) => p,
            None => own,
        };
        (!full.is_empty()).then_some(full)
    }

    fn run_rule(&self, index: usize, rule: &'a Rule) -> RuleResult {
        let mut res = RuleResult {
            rule: index,
            checks: 0,
            passed: 0,
            failed: 0,
            not_evaluable: 0,
            findings: Vec::new(),
            values: Vec::new(),
            distribution: None,
            row_values: Vec::new(),
            history: Vec::new(),
            skipped: None,
        };
        let years = rule.meta.years;
        match rule.scope {
            Scope::Row(t) => {
                let rows = self.all_rows.get(t).map(Vec::as_slice).unwrap_or(&[]);
                let parts: Vec<(Counts, Vec<Finding>)> = rows
                    .par_chunks(CHUNK)
                    .map(|chunk| {
                        let mut counts = Counts::default();
                        let mut out = Vec::new();
                        // The rows of the chunk in the years the rule applies to.
                        let applies: Vec<u32> = chunk
                            .iter()
                            .copied()
                            .filter(|&r| {
                                years.is_always()
                                    || self.row_year(t, r).is_some_and(|y| years.contains(y))
                            })
                            .collect();
                        self.year_runs(t, &applies, |year, run| {
                            self.check_rows(rule, t, year, run, &mut counts, &mut out);
                        });
                        (counts, out)
                    })
                    .collect();
                for (c, f) in parts {
                    res.add(c, f);
                }
                if self.distributions && res.checks > 0 {
                    let applies: Vec<u32> = rows
                        .iter()
                        .copied()
                        .filter(|&r| {
                            years.is_always()
                                || self.row_year(t, r).is_some_and(|y| years.contains(y))
                        })
                        .collect();
                    let keep = self.pack.report.unit == Some(t)
                        && self.pack.report.matrices.iter().any(|mx| {
                            mx.families.iter().any(|f| {
                                rule.meta.id == *f
                                    || mx
                                        .variants
                                        .iter()
                                        .any(|v| rule.meta.id == format!("{f}.{v}"))
                            })
                        });
                    if let Some((d, rows)) = self.distribution(rule, t, &applies, keep) {
                        res.distribution = Some(d);
                        res.row_values = rows;
                    } else if keep {
                        res.row_values = self.checked_rows(rule, t, &applies);
                    }
                }
                if res.checks == 0 && rows.is_empty() {
                    res.skipped = Some(Skip::EmptyTable {
                        table: self.pack.schema.tables[t].label().to_string(),
                    });
                } else if res.checks == 0 {
                    res.skipped = Some(Skip::NoApplicableRows);
                }
            }
            Scope::Group(t, c) => {
                let groups = self.groups(t, c);
                let parts: Vec<(Counts, Vec<Finding>, Vec<Finding>)> = groups
                    .par_iter()
                    .map(|g| {
                        let mut counts = Counts::default();
                        let mut out = Vec::new();
                        let mut values = Vec::new();
                        if years.is_always() || g.year.is_some_and(|y| years.contains(y)) {
                            let ctx = Ctx {
                                year: g.year,
                                this: None,
                                cur: None,
                                group: Some(g),
                            };
                            let entity = || Entity::Group {
                                table: self.pack.schema.tables[t].name.clone(),
                                column: self.pack.schema.tables[t].columns[c].label().to_string(),
                                value: g.label.clone(),
                            };
                            self.check_one(rule, &ctx, &mut counts, &mut out, &mut values, entity);
                        }
                        (counts, out, values)
                    })
                    .collect();
                for (c, f, v) in parts {
                    res.add(c, f);
                    res.values.extend(v);
                }
                if res.checks == 0 {
                    res.skipped = Some(Skip::NoGroups);
                }
            }
            Scope::Year | Scope::Submission => {
                let list: Vec<Option<i32>> =
                    if rule.scope == Scope::Year && !self.sub.years.is_empty() {
                        self.sub.years.iter().map(|y| Some(*y)).collect()
                    } else {
                        vec![self.sub.report_year()]
                    };
                let mut counts = Counts::default();
                let mut out = Vec::new();
                let mut values = Vec::new();
                for year in list {
                    if !years.is_always() && !year.is_some_and(|y| years.contains(y)) {
                        continue;
                    }
                    let ctx = Ctx {
                        year,
                        this: None,
                        cur: None,
                        group: None,
                    };
                    self.check_one(rule, &ctx, &mut counts, &mut out, &mut values, || {
                        Entity::Submission
                    });
                }
                res.add(counts, out);
                res.values = values;
                if self.distributions && rule.scope == Scope::Submission {
                    res.history = self.history(rule);
                }
                if res.checks == 0 && self.sub.years.is_empty() {
                    res.skipped = Some(Skip::NoYears);
                } else if res.checks == 0 {
                    res.skipped = Some(Skip::NotInForce {
                        years: years.describe(),
                    });
                }
            }
        }
        res
    }

    /// The displayed comparison of a district-wide rule evaluated in every
    /// year of the data, whether the rule checks that year or not: the
    /// district's course against the standard's, for charts.
    fn history(&self, rule: &'a Rule) -> Vec<YearValue> {
        let Some(d) = rule.assert.display.first() else {
            return Vec::new();
        };
        self.sub
            .years
            .iter()
            .map(|&y| {
                let ctx = Ctx {
                    year: Some(y),
                    this: None,
                    cur: None,
                    group: None,
                };
                YearValue {
                    year: y,
                    actual: self.shown(&self.eval(&d.lhs.0, &ctx), &d.lhs.1),
                    threshold: self.shown(&self.eval(&d.rhs.0, &ctx), &d.rhs.1),
                }
            })
            .collect()
    }

    fn row_entity(&self, t: TableId, r: u32) -> Entity {
        Entity::Row {
            table: self.pack.schema.tables[t].name.clone(),
            row: r as usize,
            key: self.entity_key(t, r),
            name: self.row_name(t, r),
            location: self.sub.row_location(t, r as usize),
        }
    }

    /// Runs the check of a rule in one context (a group, a year).
    /// Runs the check of a rule in one context (a group, a year), keeping its
    /// value whatever the outcome in `values` (district-level checks are few,
    /// and a pass is read and charted as much as a failure).
    fn check_one(
        &self,
        rule: &'a Rule,
        ctx: &Ctx<'a, '_>,
        counts: &mut Counts,
        out: &mut Vec<Finding>,
        values: &mut Vec<Finding>,
        entity: impl Fn() -> Entity,
    ) {
        let when = rule.when.as_ref().map(|w| self.eval(w, ctx));
        let assert = || self.eval(&rule.assert.expr, ctx);
        let (passed, found) = (counts.passed, out.len());
        self.check(rule, ctx, when, assert, counts, out, &entity);
        if counts.passed > passed {
            values.push(self.finding(rule, ctx, Outcome::Pass, entity()));
        } else if let Some(f) = out.get(found) {
            values.push(f.clone());
        }
    }

    /// Checks row `r` of table `t` by the interpreter: its filter, its
    /// assertion, and the finding when it does not pass.
    fn check_row(
        &self,
        rule: &'a Rule,
        t: TableId,
        r: u32,
        year: Option<i32>,
        counts: &mut Counts,
        out: &mut Vec<Finding>,
    ) {
        let ctx = Ctx {
            year,
            this: Some((t, r)),
            cur: Some((t, r)),
            group: None,
        };
        let when = rule.when.as_ref().map(|w| self.eval(w, &ctx));
        let assert = || self.eval(&rule.assert.expr, &ctx);
        self.check(rule, &ctx, when, assert, counts, out, || {
            self.row_entity(t, r)
        });
    }

    /// Runs the checks of a `for each` rule on rows of table `t` in `year`, as
    /// one batch: the `when` filter for all rows, then the assertion for the
    /// rows that pass it. Compiled (`compile.rs`) when the filter and the
    /// assertion compile, else by the batch evaluator.
    fn check_rows(
        &self,
        rule: &'a Rule,
        t: TableId,
        year: Option<i32>,
        rows: &[u32],
        counts: &mut Counts,
        out: &mut Vec<Finding>,
    ) {
        if !self.fast() {
            for &r in rows {
                self.check_row(rule, t, r, year, counts, out);
            }
            return;
        }
        if let Some((when, assert)) =
            self.compile_row_rule(rule.when.as_ref(), &rule.assert.expr, t, year)
        {
            // Compiled: a row whose filter is false is not checked, one
            // whose filter and assertion hold passes; any other (a failure,
            // a value not evaluable) is checked by the interpreter, which
            // gives its reason and its finding.
            let when = when.map(|w| w.eval_rows(rows, NULL_ID));
            // The assertion, for the rows whose filter is not false, in order.
            let checked: Vec<u32>;
            let checked = match &when {
                Some(w) => {
                    checked = rows
                        .iter()
                        .zip(w)
                        .filter(|(_, w)| **w != compile::FALSE)
                        .map(|(r, _)| *r)
                        .collect();
                    &checked
                }
                None => rows,
            };
            let assert = assert.eval_rows(checked, NULL_ID);
            let mut asserted = assert.iter();
            for (i, &r) in rows.iter().enumerate() {
                let w = when.as_ref().map_or(compile::TRUE, |m| {
                    m.get(i).copied().unwrap_or(compile::UNKNOWN)
                });
                if w == compile::FALSE {
                    continue;
                }
                let a = asserted.next().copied().unwrap_or(compile::UNKNOWN);
                match (w, a) {
                    (compile::TRUE, compile::TRUE) => {
                        counts.checks += 1;
                        counts.passed += 1;
                    }
                    _ => self.check_row(rule, t, r, year, counts, out),
                }
            }
            return;
        }
        let frame = |rows| Frame {
            year,
            group: None,
            table: t,
            rows,
            this: This::Each(t, rows),
        };
        let when = rule.when.as_ref().map(|w| self.eval_batch(w, &frame(rows)));
        let passing: Vec<u32>;
        let asserted = match &when {
            Some(w) => {
                passing = rows
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| w.is(*i, true))
                    .map(|(_, r)| *r)
                    .collect();
                &passing
            }
            None => rows,
        };
        let assert = self.eval_batch(&rule.assert.expr, &frame(asserted));
        let mut next = 0;
        for (i, &r) in rows.iter().enumerate() {
            let ctx = Ctx {
                year,
                this: Some((t, r)),
                cur: Some((t, r)),
                group: None,
            };
            let when = when.as_ref().map(|w| w.at(i));
            // Called (in row order) exactly for the rows in `asserted`.
            let assert = || {
                next += 1;
                assert.at(next - 1)
            };
            self.check(rule, &ctx, when, assert, counts, out, || {
                self.row_entity(t, r)
            });
        }
    }

    /// Records one check instance from the value of its `when` filter (if
    /// any) and, when that holds, of its assertion.
    #[allow(clippy::too_many_arguments)]
    fn check(
        &self,
        rule: &'a Rule,
        ctx: &Ctx<'a, '_>,
        when: Option<V<'a>>,
        assert: impl FnOnce() -> V<'a>,
        counts: &mut Counts,
        out: &mut Vec<Finding>,
        entity: impl FnOnce() -> Entity,
    ) {
        match when {
            None | Some(V::Bool(true)) => {}
            Some(V::Miss(reason)) => {
                counts.checks += 1;
                counts.not_evaluable += 1;
                out.push(self.finding(rule, ctx, Outcome::NotEvaluable(*reason), entity()));
                return;
            }
            Some(_) => return,
        }
        counts.checks += 1;
        match assert() {
            V::Bool(true) => counts.passed += 1,
            V::Miss(reason) => {
                counts.not_evaluable += 1;
                out.push(self.finding(rule, ctx, Outcome::NotEvaluable(*reason), entity()));
            }
            _ => {
                counts.failed += 1;
                out.push(self.finding(rule, ctx, Outcome::Fail, entity()));
            }
        }
    }

    fn finding(
        &self,
        rule: &'a Rule,
        ctx: &Ctx<'a, '_>,
        outcome: Outcome,
        entity: Entity,
    ) -> Finding {
        let (mut actual, mut op, mut threshold, mut parts) = (None, None, None, Vec::new());
        // The first comparison that does not hold (else the last one).
        let shown_cmp = rule
            .assert
            .display
            .iter()
            .find(|d| !matches!(self.eval(&d.cmp, ctx), V::Bool(true)))
            .or(rule.assert.display.last());
        if let Some(d) = shown_cmp {
            actual = Some(self.shown(&self.eval(&d.lhs.0, ctx), &d.lhs.1));
            threshold = Some(self.shown(&self.eval(&d.rhs.0, ctx), &d.rhs.1));
            op = Some(d.op.clone());
            parts = d
                .parts
                .iter()
                .map(|(e, s)| self.shown(&self.eval(e, ctx), s))
                .collect();
        }
        let failed_conditions = rule
            .assert
            .conditions
            .iter()
            .filter(|(c, _)| !matches!(self.eval(c, ctx), V::Bool(true)))
            .map(|(_, text)| text.clone())
            .collect();
        let message = rule
            .message
            .iter()
            .map(|t| match t {
                Template::Text(s) => MsgPart::Text(s.clone()),
                Template::Expr(e, shape) => MsgPart::Value(self.shown(&self.eval(e, ctx), shape)),
            })
            .collect();
        Finding {
            outcome,
            severity: rule.meta.severity.at(ctx.year),
            year: ctx.year,
            entity,
            actual,
            op,
            threshold,
            parts,
            failed_conditions,
            message,
        }
    }

    pub(crate) fn shown(&self, v: &V<'a>, shape: &Shape) -> Shown {
        match v {
            V::Num(x) => match shape.kind {
                ShapeKind::Enum(e) => Shown::Text(self.enum_label(e, *x as u16).to_string()),
                _ => Shown::Num {
                    value: *x,
                    unit: shape.unit.clone(),
                    percent: shape.percent,
                    integer: shape.integer,
                },
            },
            V::Bool(b) => Shown::Bool(*b),
            V::Text(s) => Shown::Text(s.to_string()),
            V::Enum(x) => match shape.kind {
                ShapeKind::Enum(e) => Shown::Text(self.enum_label(e, *x).to_string()),
                _ => Shown::Text(x.to_string()),
            },
            V::Miss(_) => Shown::Missing,
        }
    }

    /// Groups of rows of `t` sharing the value of column `c` (and the year),
    /// in order of first appearance within each year.
    fn groups(&self, t: TableId, c: usize) -> Vec<Group<'a>> {
        let mut order: Vec<(Option<i32>, String)> = Vec::new();
        let mut map: HashMap<(Option<i32>, String), Vec<u32>> = HashMap::new();
        let rows = self.all_rows.get(t).map(Vec::as_slice).unwrap_or(&[]);
        for &r in rows {
            let text = self.cell_text(t, c, r);
            // Rows with the column empty form a group of their own, shown as such.
            let key = (
                self.row_year(t, r),
                if text.is_empty() {
                    "（未填写）".to_string()
                } else {
                    text
                },
            );
            map.entry(key.clone())
                .or_insert_with(|| {
                    order.push(key.clone());
                    Vec::new()
                })
                .push(r);
        }
        order.sort_by_key(|a| a.0);
        order
            .into_iter()
            .filter_map(|k| {
                let rows = map.remove(&k)?;
                let first = *rows.first()?;
                let key = self.read(t, c, first);
                Some(Group {
                    year: k.0,
                    label: k.1,
                    key,
                    rows,
                })
            })
            .collect()
    }
}

#[derive(Default)]
struct Counts {
    checks: usize,
    passed: usize,
    failed: usize,
    not_evaluable: usize,
}

impl RuleResult {
    fn add(&mut self, c: Counts, f: Vec<Finding>) {
        self.checks += c.checks;
        self.passed += c.passed;
        self.failed += c.failed;
        self.not_evaluable += c.not_evaluable;
        self.findings.extend(f);
    }
}
