//! Type checking and lowering of expressions, parameters, metrics,
//! assertions and message templates.

use super::types::{Ty, unify_units, unit_name};
use super::{Compiler, MAX_DEPTH, unit_of};
use crate::diag::Code;
use crate::diag::{Msg, did_you_mean};
use crate::msg::check as msg;
use crate::msg::syntax::each_lang;
use crate::pack::Template;
use crate::pack::ir::{
    self, Agg, AggKind, Arith, Assertion, Display, Expr, Func, Hop, Lit, RowRef, RowSet, Scope,
    Shape,
};
use crate::schema::{ColType, TableId, Unit};
use crate::syntax::ast::{self, BinOp, CmpOp, ExprKind, ParamValue};

/// A parameter's value, folded to a constant.
#[derive(Debug, Clone)]
pub enum ParamConst {
    Single { value: f64, ty: Ty },
    ByCategory { entries: Vec<ParamEntry>, ty: Ty },
}

#[derive(Debug, Clone)]
pub struct ParamEntry {
    pub key: String,
    pub value: f64,
    pub span: ast::Span,
}

/// What names mean where an expression is checked.
#[derive(Debug, Clone, Copy)]
pub struct Env {
    /// The row the rule checks (`this`).
    this: Option<TableId>,
    /// The innermost row: inside an aggregate, the aggregated row.
    cur: Option<TableId>,
    /// In a group scope: the table and the grouping column.
    group: Option<(TableId, usize)>,
}

impl Env {
    pub fn for_scope(s: Scope) -> Env {
        match s {
            Scope::Row(t) => Env {
                this: Some(t),
                cur: Some(t),
                group: None,
            },
            Scope::Group(t, c) => Env {
                this: None,
                cur: None,
                group: Some((t, c)),
            },
            Scope::Year | Scope::Submission => Env {
                this: None,
                cur: None,
                group: None,
            },
        }
    }

    fn row(t: TableId) -> Env {
        Env {
            this: Some(t),
            cur: Some(t),
            group: None,
        }
    }

    fn global() -> Env {
        Env {
            this: None,
            cur: None,
            group: None,
        }
    }

    fn inner(&self, t: TableId) -> Env {
        Env {
            this: self.this,
            cur: Some(t),
            group: self.group,
        }
    }
}

const FUNCTIONS: &[&str] = &[
    "count",
    "sum",
    "avg",
    "min",
    "max",
    "share",
    "cv",
    "at_least",
    "prev",
    "trajectory",
    "ceil",
    "floor",
    "round",
    "abs",
    "present",
];

type Typed = (Expr, Ty);

impl Compiler {
    fn src_text(&self, fi: usize, span: &ast::Span) -> String {
        self.sources
            .get(fi)
            .and_then(|s| s.inner().get(span.clone()))
            .unwrap_or("")
            .to_string()
    }

    // ----- parameters ---------------------------------------------------------

    pub(crate) fn param_const(&mut self, fi: usize, p: &ast::ParamDecl) -> Option<ParamConst> {
        match &p.value {
            ParamValue::Single { expr, unit } => {
                let (value, lit_ty) = self.const_number(fi, expr)?;
                Some(ParamConst::Single {
                    value,
                    ty: self.with_unit(fi, lit_ty, unit.as_ref())?,
                })
            }
            ParamValue::ByCategory { entries, unit } => {
                let mut out = Vec::new();
                let mut ty: Option<Ty> = None;
                for (k, e) in entries {
                    if out.iter().any(|x: &ParamEntry| x.key == k.name) {
                        self.err(
                            fi,
                            Code::CheckDuplicateName,
                            k.span.clone(),
                            msg::duplicate_category(&k.name),
                            msg::listed_again(),
                        );
                        continue;
                    }
                    let (value, t) = self.const_number(fi, e)?;
                    ty = Some(match ty {
                        None => t,
                        Some(prev) => {
                            self.unify_num(fi, prev, t, &e.span, msg::what_param_values())?
                        }
                    });
                    out.push(ParamEntry {
                        key: k.name.clone(),
                        value,
                        span: k.span.clone(),
                    });
                }
                let ty =
                    self.with_unit(fi, ty.unwrap_or(Ty::literal(false, false)), unit.as_ref())?;
                Some(ParamConst::ByCategory { entries: out, ty })
            }
        }
    }

    fn with_unit(&mut self, fi: usize, ty: Ty, unit: Option<&ast::UnitExpr>) -> Option<Ty> {
        let Some(u) = unit else { return Some(ty) };
        let Ty::Num {
            unit: lit_unit,
            percent,
            integer,
        } = ty
        else {
            return Some(ty);
        };
        if percent {
            self.err(
                fi,
                Code::CheckUnitMismatch,
                u.span.clone(),
                msg::percent_with_unit(),
                msg::unit_here(),
            );
            return None;
        }
        if lit_unit.is_some() {
            return Some(Ty::Num {
                unit: lit_unit,
                percent,
                integer,
            });
        }
        if u.is_percent() {
            return Some(Ty::Num {
                unit: Some(Unit::none()),
                percent: true,
                integer: false,
            });
        }
        Some(Ty::Num {
            unit: Some(unit_of(u)),
            percent: false,
            integer,
        })
    }

    /// A constant number: a literal, possibly negated or combined with
    /// arithmetic on literals. It is computed by the evaluator's own
    /// arithmetic (`pack::ops::arith`), so that a constant means what it
    /// would mean in a rule: a division by zero is not evaluable, and a
    /// constant that is not evaluable (or too large to be a number) is an
    /// error here rather than a value that passes every check.
    fn const_number(&mut self, fi: usize, e: &ast::Expr) -> Option<(f64, Ty)> {
        use crate::pack::ops::arith;
        match &e.kind {
            ExprKind::Number {
                value,
                percent,
                integer,
            } => Some((*value, Ty::literal(*percent, *integer))),
            ExprKind::Neg(x) => self.const_number(fi, x).map(|(v, t)| (-v, t)),
            ExprKind::Arith { first, rest } => {
                let (mut x, mut tx) = self.const_number(fi, first)?;
                for (op, b) in rest {
                    let (y, ty) = self.const_number(fi, b)?;
                    let span = first.span.start..b.span.end;
                    tx = self.unify_num(fi, tx, ty, &span, msg::what_param())?;
                    match arith(ir_arith(*op), x, y) {
                        Some(z) if z.is_finite() => x = z,
                        Some(_) => {
                            self.err(
                                fi,
                                Code::CheckConstantNotEvaluable,
                                span,
                                msg::constant_too_large(),
                                msg::too_large(),
                            )
                            .help = Some(msg::constant_too_large_help());
                            return None;
                        }
                        None => {
                            self.err(
                                fi,
                                Code::CheckConstantNotEvaluable,
                                span,
                                msg::divides_by_zero(),
                                msg::divides_by_zero_label(),
                            )
                            .help = Some(msg::divides_by_zero_help());
                            return None;
                        }
                    }
                }
                Some((x, tx))
            }
            _ => {
                self.err(
                    fi,
                    Code::CheckNotConstant,
                    e.span.clone(),
                    msg::not_constant(),
                    msg::not_constant_label(),
                )
                .help = Some(msg::not_constant_help());
                None
            }
        }
    }

    fn unify_num(&mut self, fi: usize, a: Ty, b: Ty, span: &ast::Span, what: Msg) -> Option<Ty> {
        match (a, b) {
            (
                Ty::Num {
                    unit: ua,
                    percent: pa,
                    integer: ia,
                },
                Ty::Num {
                    unit: ub,
                    percent: pb,
                    integer: ib,
                },
            ) => match unify_units(&ua, &ub) {
                Ok(unit) => Some(Ty::Num {
                    unit,
                    percent: pa || pb,
                    integer: ia && ib,
                }),
                Err((x, y)) => {
                    self.err(
                        fi,
                        Code::CheckUnitMismatch,
                        span.clone(),
                        {
                            let (x, y) = (unit_name(&x, pa), unit_name(&y, pb));
                            each_lang(|l| msg::mixed_units(what.get(l), x.get(l), y.get(l)))
                        },
                        msg::different_units(),
                    );
                    None
                }
            },
            _ => Some(Ty::literal(false, false)),
        }
    }

    // ----- metrics --------------------------------------------------------------

    /// Compiles the metric declared under `key` (`name` or `table.name`) if
    /// not yet done, and returns whether it is a row metric and its id.
    pub(crate) fn compile_metric_by_key(&mut self, key: &str) -> Option<(bool, usize)> {
        // Already compiled (and not a cycle): found without copying the
        // declaration.
        if !self.in_progress.iter().any(|k| k == key) {
            if let Some(id) = self.metric_ids.get(key) {
                return Some((false, *id));
            }
            let (_, decl) = self.metric_decls.get(key)?;
            if let Some(t) = decl
                .for_table
                .as_ref()
                .and_then(|t| self.schema.table_by_name(&t.name))
                && let Some(id) = self.row_metric_ids.get(&(t, decl.name.name.clone()))
            {
                return Some((true, *id));
            }
        }
        let (fi, decl) = self.metric_decls.get(key).cloned()?;
        // A metric met again while it is being compiled is a cycle (its id is
        // already registered, so this is checked before the cache above).
        if let Some(pos) = self.in_progress.iter().position(|k| k == key) {
            let chain = self.in_progress[pos..].join(" → ");
            self.err(
                fi,
                Code::CheckMetricCycle,
                decl.name.span.clone(),
                msg::metric_cycle(&decl.name.name),
                msg::part_of_cycle(),
            )
            .help = Some(msg::metric_cycle_help(&chain, &decl.name.name));
            return None;
        }
        self.in_progress.push(key.to_string());
        // The depth of the definition, from where it starts.
        let (start_depth, deepest_before) = (self.depth, self.deepest);
        self.deepest = self.depth;
        let params_before = self.used_params.len();
        let metrics_before = self.used_metrics.len();
        let result = match &decl.for_table {
            None => {
                let id = self.metrics.len();
                self.metrics.push(None);
                self.metric_ids.insert(key.to_string(), id);
                if let Some((expr, ty)) = self
                    .expr(fi, &decl.expr, &Env::global(), None)
                    .and_then(|(e, t)| Some((e, self.metric_unit(fi, t, decl.unit.as_ref())?)))
                {
                    self.metrics[id] = Some(ir::Metric {
                        name: decl.name.name.clone(),
                        expr,
                        shape: ty.shape(),
                    });
                    self.metric_tys.insert(id, ty);
                }
                Some((false, id))
            }
            Some(t) => match self.table_id(fi, t) {
                Some(tid) => {
                    if self.schema.tables[tid].column(&decl.name.name).is_some() {
                        self.err(
                            fi,
                            Code::CheckDuplicateName,
                            decl.name.span.clone(),
                            msg::metric_clashes(&t.name, &decl.name.name),
                            msg::metric_clashes_label(),
                        );
                    }
                    let id = self.row_metrics.len();
                    self.row_metrics.push(None);
                    self.row_metric_ids
                        .insert((tid, decl.name.name.clone()), id);
                    if let Some((expr, ty)) = self
                        .expr(fi, &decl.expr, &Env::row(tid), None)
                        .and_then(|(e, t)| Some((e, self.metric_unit(fi, t, decl.unit.as_ref())?)))
                    {
                        self.row_metrics[id] = Some(ir::RowMetric {
                            name: decl.name.name.clone(),
                            table: tid,
                            expr,
                            shape: ty.shape(),
                        });
                        self.row_metric_tys.insert(id, ty);
                    }
                    Some((true, id))
                }
                None => None,
            },
        };
        self.in_progress.pop();
        self.metric_depths
            .insert(key.to_string(), self.deepest.saturating_sub(start_depth));
        self.deepest = self.deepest.max(deepest_before);
        // What the definition used, each once (in the order first used); it
        // is taken off the lists of the expression that led here, whose
        // `note_metric_params` adds it back once (else a chain of metrics
        // compiled through each other would double it at every link).
        let own = first_each(
            self.used_params
                .split_off(params_before.min(self.used_params.len())),
        );
        self.metric_params.insert(key.to_string(), own);
        let deps = first_each(
            self.used_metrics
                .split_off(metrics_before.min(self.used_metrics.len())),
        );
        self.metric_deps.insert(key.to_string(), deps);
        result
    }

    /// Applies a metric's declared unit, which names what it measures.
    fn metric_unit(&mut self, fi: usize, ty: Ty, unit: Option<&ast::UnitExpr>) -> Option<Ty> {
        let Some(u) = unit else { return Some(ty) };
        let Ty::Num { integer, .. } = ty else {
            return self.type_error(fi, &u.span, msg::only_numbers_have_units(), &ty);
        };
        Some(if u.is_percent() {
            Ty::Num {
                unit: Some(Unit::none()),
                percent: true,
                integer: false,
            }
        } else {
            Ty::Num {
                unit: Some(unit_of(u)),
                percent: false,
                integer,
            }
        })
    }

    // ----- rules ----------------------------------------------------------------

    pub(crate) fn check_bool(
        &mut self,
        fi: usize,
        e: &ast::Expr,
        env: &Env,
        what: Msg,
    ) -> Option<Expr> {
        let (x, t) = self.expr(fi, e, env, Some(&Ty::Bool))?;
        if t != Ty::Bool {
            let desc = t.describe(&self.schema);
            self.err(
                fi,
                Code::CheckNotACondition,
                e.span.clone(),
                each_lang(|l| msg::not_a_condition(what.get(l), desc.get(l))),
                msg::not_a_condition_label(),
            )
            .help = Some(msg::not_a_condition_help());
            return None;
        }
        Some(x)
    }

    pub(crate) fn assertion(&mut self, fi: usize, e: &ast::Expr, env: &Env) -> Option<Assertion> {
        let expr = self.check_bool(fi, e, env, msg::what_assert())?;
        let n = self.errors.len();
        let mut display = Vec::new();
        let mut conditions = Vec::new();
        // In `a and b and c`, each comparison can be shown (a finding shows
        // the first that fails), and the conditions of every `at_least` are
        // listed when they fail.
        let mut conjuncts = Vec::new();
        flatten_and(e, &mut conjuncts);
        for c in &conjuncts {
            match &c.kind {
                ExprKind::Cmp(op, l, r) => {
                    if let (Some((le, lt)), Some((re, rt)), Some((ce, _))) = (
                        self.expr(fi, l, env, None),
                        self.expr(fi, r, env, None),
                        self.expr(fi, c, env, None),
                    ) {
                        let (ls, rs) = display_shapes(&lt, &rt);
                        let parts = self.parts(fi, l, env);
                        display.push(Display {
                            cmp: ce,
                            op: op.as_str().to_string(),
                            lhs: (le, ls),
                            rhs: (re, rs),
                            parts,
                        });
                    }
                }
                ExprKind::Call { name, args } if name.name == "at_least" => {
                    for a in conds_of_at_least(args) {
                        if let Some(x) = self.check_bool(fi, a, env, msg::what_condition()) {
                            conditions.push((x, self.src_text(fi, &a.span)));
                        }
                    }
                }
                _ => {}
            }
        }
        // Re-checking sub-expressions repeats no new errors; drop any duplicates.
        self.errors.truncate(n);
        Some(Assertion {
            expr,
            display,
            conditions,
        })
    }

    /// The numbers a value is computed from, shown next to a failed check.
    fn parts(&mut self, fi: usize, e: &ast::Expr, env: &Env) -> Vec<(Expr, Shape)> {
        self.parts_within(fi, e, env, MAX_DEPTH)
    }

    /// [`Self::parts`], following at most `hops` metric definitions.
    fn parts_within(
        &mut self,
        fi: usize,
        e: &ast::Expr,
        env: &Env,
        hops: usize,
    ) -> Vec<(Expr, Shape)> {
        let Some(hops) = hops.checked_sub(1) else {
            return vec![];
        };
        match &e.kind {
            ExprKind::Arith { first, rest } => {
                let Some(((op, last), init)) = rest.split_last() else {
                    return vec![];
                };
                // The chain without its last operator.
                let before = match init.last() {
                    None => (**first).clone(),
                    Some((_, b)) => ast::Expr {
                        kind: ExprKind::Arith {
                            first: first.clone(),
                            rest: init.to_vec(),
                        },
                        span: first.span.start..b.span.end,
                    },
                };
                match op {
                    // `a / b * 100`: the parts of `a / b`.
                    BinOp::Mul if matches!(last.kind, ExprKind::Number { .. }) => {
                        self.parts_within(fi, &before, env, hops)
                    }
                    BinOp::Div => {
                        let mut out = Vec::new();
                        for x in [&before, last] {
                            if let Some((ex, t)) = self.expr(fi, x, env, None) {
                                out.push((ex, t.shape()));
                            }
                        }
                        out
                    }
                    _ => vec![],
                }
            }
            ExprKind::Call { name, args } if name.name == "share" => {
                let Some((Expr::Agg(agg), _)) = self.expr(fi, e, env, None) else {
                    return vec![];
                };
                let value_ty = args
                    .first()
                    .and_then(|a| self.source(fi, &a.value, env).ok())
                    .and_then(|(_, v)| v)
                    .map(|(_, t)| t);
                let shape = match value_ty {
                    Some(t) => t.shape(),
                    None => Ty::Num {
                        unit: Some(Unit::none()),
                        percent: false,
                        integer: true,
                    }
                    .shape(),
                };
                let kind = if agg.value.is_some() {
                    AggKind::Sum
                } else {
                    AggKind::Count
                };
                let both = match (&agg.filter, &agg.pred) {
                    (Some(f), Some(p)) => Some(Expr::And(vec![f.clone(), p.clone()])),
                    (None, p) => p.clone(),
                    (f, None) => f.clone(),
                };
                let num = Agg {
                    kind,
                    filter: both,
                    pred: None,
                    weight: None,
                    ..(*agg).clone()
                };
                let den = Agg {
                    kind,
                    pred: None,
                    weight: None,
                    ..(*agg).clone()
                };
                vec![
                    (Expr::Agg(Box::new(num)), shape.clone()),
                    (Expr::Agg(Box::new(den)), shape),
                ]
            }
            ExprKind::Path(p) if p.len() == 1 => {
                let name = &p[0].name;
                if let Some(t) = env.cur {
                    let key = format!("{}.{}", self.schema.tables[t].name, name);
                    if let Some((mfi, d)) = self.metric_decls.get(&key).cloned() {
                        if env.this == env.cur {
                            return self.parts_within(mfi, &d.expr, &Env::row(t), hops);
                        }
                        return vec![];
                    }
                }
                if let Some((mfi, d)) = self.metric_decls.get(name).cloned() {
                    return self.parts_within(mfi, &d.expr, &Env::global(), hops);
                }
                vec![]
            }
            _ => vec![],
        }
    }

    pub(crate) fn template(
        &mut self,
        fi: usize,
        message: Option<&ast::StrLit>,
        title: &ast::StrLit,
        env: &Env,
    ) -> Option<Vec<Template>> {
        let Some(m) = message else {
            return Some(vec![Template::Text(title.value.clone())]);
        };
        let raw = self.src_text(fi, &(m.span.start + 1..m.span.end.saturating_sub(1)));
        let exact = raw == m.value;
        let map = value_offsets(&raw);
        let mut out = Vec::new();
        let mut text = String::new();
        let v = &m.value;
        let mut i = 0;
        let mut ok = true;
        while i < v.len() {
            let rest = &v[i..];
            if rest.starts_with("{{") {
                text.push('{');
                i += 2;
            } else if rest.starts_with("}}") {
                text.push('}');
                i += 2;
            } else if rest.starts_with('{') {
                let Some(close) = rest.find('}') else {
                    self.err(
                        fi,
                        Code::CheckTemplate,
                        m.span.clone(),
                        msg::template_unclosed(),
                        msg::template_here(),
                    )
                    .help = Some(msg::template_brace_help());
                    return None;
                };
                if !text.is_empty() {
                    out.push(Template::Text(std::mem::take(&mut text)));
                }
                let inner_len = close - 1;
                // Where the expression stands in the file: value offsets map
                // to file offsets through the string's escapes.
                let raw_start = map.get(i + 1).copied();
                let raw_end = map.get(close + i).copied();
                let exact_here = match (raw_start, raw_end) {
                    (Some(a), Some(b)) => raw.get(a..b) == v.get(i + 1..i + close),
                    _ => false,
                };
                let before = self.errors.len();
                let parsed = match (exact || exact_here, raw_start) {
                    (true, Some(a)) => {
                        let base = m.span.start + 1 + a;
                        let src = self.sources.get(fi).cloned();
                        let text = src.as_ref().map_or("", |s| s.inner().as_str());
                        crate::syntax::parse_expr_at(text, base, inner_len)
                    }
                    _ => crate::syntax::parse_expr_at(v, i + 1, inner_len).map_err(|mut e| {
                        e.span = m.span.clone();
                        e
                    }),
                };
                let remap = !(exact || exact_here);
                match parsed {
                    Ok(e) => {
                        match self.expr(fi, &e, env, None) {
                            Some((x, t)) => out.push(Template::Expr(x, t.shape())),
                            None => ok = false,
                        }
                        if remap {
                            // Spans of an expression parsed from the unescaped
                            // text do not point into the file: show the string.
                            for d in &mut self.errors[before..] {
                                for (span, _) in &mut d.labels {
                                    *span = m.span.clone();
                                }
                            }
                        }
                    }
                    Err(e) => {
                        self.err(
                            fi,
                            e.code,
                            e.span,
                            each_lang(|l| msg::in_message(e.message.get(l))),
                            e.label,
                        )
                        .help = e.help;
                        ok = false;
                    }
                }
                i += close + 1;
            } else {
                let c = rest.chars().next().unwrap_or(' ');
                text.push(c);
                i += c.len_utf8();
            }
        }
        if !text.is_empty() {
            out.push(Template::Text(text));
        }
        ok.then_some(out)
    }

    // ----- expressions ----------------------------------------------------------

    /// Type-checks and lowers an expression. `expected` lets bare names and
    /// strings resolve to categories (`stage == 小学`).
    ///
    /// Each level of the expression is a level of [`Compiler::depth`],
    /// which goes on through the definitions of the metrics it uses (a
    /// metric is compiled where it is first used, or its depth added
    /// there): past [`MAX_DEPTH`] the expression is refused, so that
    /// neither this recursion nor the evaluator's can exhaust a stack.
    pub(crate) fn expr(
        &mut self,
        fi: usize,
        e: &ast::Expr,
        env: &Env,
        expected: Option<&Ty>,
    ) -> Option<Typed> {
        if !self.enter_level(fi, &e.span, 1, None) {
            return None;
        }
        let r = self.expr_at_level(fi, e, env, expected);
        self.depth -= 1;
        r
    }

    /// Enters `levels` more levels of nesting at `span`: `false` (and an
    /// error, the first time in an item) when that is more than
    /// [`MAX_DEPTH`].
    ///
    /// `via` is the metric whose definition adds the levels, when it does.
    pub(crate) fn enter_level(
        &mut self,
        fi: usize,
        span: &ast::Span,
        levels: usize,
        via: Option<&str>,
    ) -> bool {
        let d = self.depth + levels;
        if d > MAX_DEPTH {
            if !self.too_deep_reported {
                self.too_deep_reported = true;
                let chain = self.in_progress.join(" → ");
                let d = self.err(
                    fi,
                    Code::CheckTooDeep,
                    span.clone(),
                    msg::too_deep(MAX_DEPTH),
                    msg::too_deep_label(MAX_DEPTH + 1),
                );
                d.help = Some(match via {
                    Some(metric) => msg::too_deep_metric_help(metric, levels),
                    None if chain.is_empty() => msg::too_deep_help(),
                    None => msg::too_deep_chain_help(&chain),
                });
            }
            return false;
        }
        self.depth = d;
        self.deepest = self.deepest.max(d);
        true
    }

    fn expr_at_level(
        &mut self,
        fi: usize,
        e: &ast::Expr,
        env: &Env,
        expected: Option<&Ty>,
    ) -> Option<Typed> {
        match &e.kind {
            ExprKind::Number {
                value,
                percent,
                integer,
            } => Some((Expr::Lit(Lit::Num(*value)), Ty::literal(*percent, *integer))),
            ExprKind::Bool(b) => Some((Expr::Lit(Lit::Bool(*b)), Ty::Bool)),
            ExprKind::Str(s) => {
                if let Some(Ty::Enum(id)) = expected {
                    return self.variant(fi, *id, s, &e.span);
                }
                Some((Expr::Lit(Lit::Text(s.clone())), Ty::Text))
            }
            ExprKind::Path(p) => self.path(fi, p, &e.span, env, expected),
            ExprKind::Index(base, idx) => self.index(fi, base, idx, env),
            ExprKind::List(_) => {
                self.err(
                    fi,
                    Code::CheckListOutsideIn,
                    e.span.clone(),
                    msg::list_outside_in(),
                    msg::list_here(),
                )
                .help = Some(msg::in_list_help());
                None
            }
            ExprKind::Neg(x) => {
                let (ex, t) = self.expr(fi, x, env, None)?;
                if !t.is_num() {
                    return self.type_error(fi, &x.span, msg::neg_needs_number(), &t);
                }
                Some((Expr::Neg(Box::new(ex)), t))
            }
            ExprKind::Not(x) => {
                let ex = self.check_bool(fi, x, env, msg::what_not())?;
                Some((Expr::Not(Box::new(ex)), Ty::Bool))
            }
            ExprKind::Arith { first, rest } => self.arith(fi, first, rest, env),
            ExprKind::Cmp(op, a, b) => self.cmp(fi, *op, a, b, env),
            ExprKind::And(xs) | ExprKind::Or(xs) => {
                // Every operand is checked (all errors reported), left to right.
                let mut out = Vec::with_capacity(xs.len());
                let mut ok = true;
                for x in xs {
                    match self.check_bool(fi, x, env, msg::what_and_or()) {
                        Some(c) => out.push(c),
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                Some((
                    if matches!(e.kind, ExprKind::And(..)) {
                        Expr::And(out)
                    } else {
                        Expr::Or(out)
                    },
                    Ty::Bool,
                ))
            }
            ExprKind::In {
                value,
                list,
                negated,
            } => {
                let (v, vt) = self.expr(fi, value, env, None)?;
                let ExprKind::List(items) = &list.kind else {
                    self.err(
                        fi,
                        Code::CheckInNeedsList,
                        list.span.clone(),
                        msg::in_needs_list(),
                        msg::not_a_list(),
                    )
                    .help = Some(msg::in_list_help());
                    return None;
                };
                let mut lits = Vec::new();
                for it in items {
                    let (x, t) = self.expr(fi, it, env, Some(&vt))?;
                    let Expr::Lit(l) = x else {
                        self.err(
                            fi,
                            Code::CheckNotConstant,
                            it.span.clone(),
                            msg::list_items_constant(),
                            msg::not_a_constant(),
                        );
                        return None;
                    };
                    if !compatible(&vt, &t) {
                        let (a, b) = (vt.describe(&self.schema), t.describe(&self.schema));
                        self.err(
                            fi,
                            Code::CheckTypeMismatch,
                            it.span.clone(),
                            each_lang(|l| msg::in_mismatch(b.get(l), a.get(l))),
                            msg::wrong_kind(),
                        );
                        return None;
                    }
                    lits.push(l);
                }
                let test = Expr::In(Box::new(v), lits);
                Some((
                    if *negated {
                        Expr::Not(Box::new(test))
                    } else {
                        test
                    },
                    Ty::Bool,
                ))
            }
            ExprKind::If { cond, then, els } => {
                let c = self.check_bool(fi, cond, env, msg::what_if());
                let t = self.expr(fi, then, env, expected);
                let f = self.expr(fi, els, env, expected.or(t.as_ref().map(|x| &x.1)));
                let (c, (te, tt), (fe, ft)) = (c?, t?, f?);
                let ty = match (&tt, &ft) {
                    (Ty::Num { .. }, Ty::Num { .. }) => self.unify_num(
                        fi,
                        tt.clone(),
                        ft.clone(),
                        &e.span,
                        msg::what_if_branches(),
                    )?,
                    _ if compatible(&tt, &ft) => tt.clone(),
                    _ => {
                        let (a, b) = (tt.describe(&self.schema), ft.describe(&self.schema));
                        self.err(
                            fi,
                            Code::CheckTypeMismatch,
                            els.span.clone(),
                            each_lang(|l| msg::if_branches_differ(a.get(l), b.get(l))),
                            msg::this_branch(),
                        );
                        return None;
                    }
                };
                Some((Expr::If(Box::new(c), Box::new(te), Box::new(fe)), ty))
            }
            ExprKind::Call { name, args } => self.call(fi, name, args, &e.span, env),
        }
    }

    /// A value of the wrong kind: `needed` says what was needed.
    fn type_error<T>(&mut self, fi: usize, span: &ast::Span, needed: Msg, got: &Ty) -> Option<T> {
        let d = got.describe(&self.schema);
        self.err(
            fi,
            Code::CheckTypeMismatch,
            span.clone(),
            each_lang(|l| msg::wrong_type(needed.get(l), d.get(l))),
            msg::wrong_kind(),
        );
        None
    }

    fn variant(&mut self, fi: usize, id: usize, name: &str, span: &ast::Span) -> Option<Typed> {
        let def = self.schema.enums.get(id)?;
        if let Some(v) = def.find(name) {
            return Some((Expr::Lit(Lit::Enum(v)), Ty::Enum(id)));
        }
        let origin = def.origin.clone();
        let all: Vec<String> = def.all_spellings().map(String::from).collect();
        let sugg = did_you_mean(name, all.iter().map(String::as_str));
        let names: Vec<String> = def.variants.iter().map(|v| v.name.clone()).collect();
        self.err(
            fi,
            Code::CheckUnknownCategory,
            span.clone(),
            msg::not_a_category(name, &origin),
            msg::unknown_category(),
        )
        .help = Some(match sugg {
            Some(s) => msg::did_you_mean(s),
            None => msg::categories_are(&names.join(", ")),
        });
        None
    }

    /// Whether a bare name means something by itself here (a column, metric,
    /// parameter, …), as opposed to a category that needs the other side's type.
    fn name_resolves(&self, name: &str, env: &Env) -> bool {
        if ["this", "group", "year"].contains(&name)
            || self.params.contains_key(name)
            || self.failed_params.contains(name)
            || self.metric_decls.contains_key(name)
        {
            return true;
        }
        if let Some(t) = env.cur {
            let table = &self.schema.tables[t];
            if table.column(name).is_some()
                || self
                    .metric_decls
                    .contains_key(&format!("{}.{name}", table.name))
            {
                return true;
            }
        }
        self.schema.table_by_name(name).is_some()
    }

    fn cmp(
        &mut self,
        fi: usize,
        op: CmpOp,
        a: &ast::Expr,
        b: &ast::Expr,
        env: &Env,
    ) -> Option<Typed> {
        let bare = |e: &ast::Expr| match &e.kind {
            ExprKind::Path(p) if p.len() == 1 => !self.name_resolves(&p[0].name, env),
            ExprKind::Str(_) => true,
            _ => false,
        };
        let (x, y) = if bare(a) && !bare(b) {
            let y = self.expr(fi, b, env, None)?;
            let x = self.expr(fi, a, env, Some(&y.1))?;
            (x, y)
        } else {
            let x = self.expr(fi, a, env, None)?;
            let y = self.expr(fi, b, env, Some(&x.1))?;
            (x, y)
        };
        let ((xe, xt), (ye, yt)) = (x, y);
        // `rate >= 90` where `rate` is a percentage compares with 9000%.
        for (lit, other) in [(a, &yt), (b, &xt)] {
            if let (
                ExprKind::Number {
                    value,
                    percent: false,
                    ..
                },
                Ty::Num { percent: true, .. },
            ) = (&lit.kind, other)
                && *value > 1.0
            {
                self.err(
                    fi,
                    Code::CheckPercentLiteral,
                    lit.span.clone(),
                    msg::percent_literal(
                        &self.src_text(fi, &lit.span),
                        &format!("{}", value * 100.0),
                    ),
                    msg::plain_number(),
                )
                .help = Some(msg::percent_literal_help(&self.src_text(fi, &lit.span)));
                return None;
            }
        }
        let ordered = matches!(op, CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge);
        match (&xt, &yt) {
            (
                Ty::Num {
                    unit: ua,
                    percent: pa,
                    ..
                },
                Ty::Num {
                    unit: ub,
                    percent: pb,
                    ..
                },
            ) => {
                if let Err((u1, u2)) = unify_units(ua, ub) {
                    let (n1, n2) = (unit_name(&u1, *pa), unit_name(&u2, *pb));
                    let d = self.err(
                        fi,
                        Code::CheckUnitMismatch,
                        a.span.clone(),
                        each_lang(|l| msg::cannot_compare_units(n1.get(l), n2.get(l))),
                        each_lang(|l| msg::this_is_in(n1.get(l))),
                    );
                    d.labels
                        .push((b.span.clone(), each_lang(|l| msg::this_is_in(n2.get(l)))));
                    d.help = Some(msg::same_unit_help());
                    return None;
                }
            }
            (Ty::Enum(p), Ty::Enum(q)) if p == q && !ordered => {}
            (Ty::Bool, Ty::Bool) | (Ty::Text, Ty::Text) if !ordered => {}
            _ => {
                let (d1, d2) = (xt.describe(&self.schema), yt.describe(&self.schema));
                let message = if compatible(&xt, &yt) {
                    each_lang(|l| msg::only_equality(d1.get(l)))
                } else {
                    each_lang(|l| msg::cannot_compare(d1.get(l), d2.get(l)))
                };
                self.err(
                    fi,
                    Code::CheckTypeMismatch,
                    a.span.clone(),
                    message,
                    each_lang(|l| msg::this_is(d1.get(l))),
                )
                .labels
                .push((b.span.clone(), each_lang(|l| msg::this_is(d2.get(l)))));
                return None;
            }
        }
        let c = match op {
            CmpOp::Eq => ir::Cmp::Eq,
            CmpOp::Ne => ir::Cmp::Ne,
            CmpOp::Lt => ir::Cmp::Lt,
            CmpOp::Le => ir::Cmp::Le,
            CmpOp::Gt => ir::Cmp::Gt,
            CmpOp::Ge => ir::Cmp::Ge,
        };
        Some((Expr::Cmp(c, Box::new(xe), Box::new(ye)), Ty::Bool))
    }

    /// An arithmetic chain `first op b op c …`, typed left to right as
    /// `((first op b) op c) …`, lowered to one node.
    fn arith(
        &mut self,
        fi: usize,
        first: &ast::Expr,
        rest: &[(BinOp, ast::Expr)],
        env: &Env,
    ) -> Option<Typed> {
        // Every operand is checked (all errors reported) before combining.
        let x = self.expr(fi, first, env, None);
        let ys: Vec<Option<Typed>> = rest
            .iter()
            .map(|(_, b)| self.expr(fi, b, env, None))
            .collect();
        let (mut xe, mut xt) = x?;
        let mut steps = Vec::with_capacity(rest.len());
        let mut left = first.span.clone();
        for ((op, b), y) in rest.iter().zip(ys) {
            let (ye, yt) = y?;
            let span = first.span.start..b.span.end;
            xt = self.arith_ty(fi, *op, (&xt, &left), (&yt, &b.span), &span)?;
            left = span;
            steps.push(ir::Step {
                op: ir_arith(*op),
                rhs: ye,
                text: self.src_text(fi, &b.span),
            });
        }
        // `(a + b) + c` is the chain `a + b + c`: one node.
        if let Expr::Arith(inner, mut inner_steps) = xe {
            inner_steps.extend(steps);
            return Some((Expr::Arith(inner, inner_steps), xt));
        }
        xe = Expr::Arith(Box::new(xe), steps);
        Some((xe, xt))
    }

    /// The type of `x op y`, each with its span (`x` is what the chain
    /// computed before `op`), over `span`.
    fn arith_ty(
        &mut self,
        fi: usize,
        op: BinOp,
        (xt, x_span): (&Ty, &ast::Span),
        (yt, y_span): (&Ty, &ast::Span),
        span: &ast::Span,
    ) -> Option<Ty> {
        let (
            Ty::Num {
                unit: ua,
                percent: pa,
                integer: ia,
            },
            Ty::Num {
                unit: ub,
                percent: pb,
                integer: ib,
            },
        ) = (xt, yt)
        else {
            let (bad_span, bad) = if xt.is_num() {
                (y_span, yt)
            } else {
                (x_span, xt)
            };
            return self.type_error(fi, bad_span, msg::arithmetic_needs_numbers(), bad);
        };
        let sym = match op {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        };
        Some(match op {
            BinOp::Add | BinOp::Sub => match unify_units(ua, ub) {
                Ok(unit) => Ty::Num {
                    unit,
                    percent: *pa || *pb,
                    integer: *ia && *ib,
                },
                Err((u1, u2)) => {
                    let (n1, n2) = (unit_name(&u1, *pa), unit_name(&u2, *pb));
                    let message = if op == BinOp::Add {
                        each_lang(|l| msg::cannot_add(n1.get(l), n2.get(l)))
                    } else {
                        each_lang(|l| msg::cannot_subtract(n1.get(l), n2.get(l)))
                    };
                    self.err(
                        fi,
                        Code::CheckUnitMismatch,
                        span.clone(),
                        message,
                        each_lang(|l| msg::units_op(n1.get(l), sym, n2.get(l))),
                    )
                    .help = Some(msg::same_unit_add_help());
                    return None;
                }
            },
            BinOp::Mul => {
                let unit = match (ua, ub) {
                    (None, None) => None,
                    (Some(u), None) | (None, Some(u)) => Some(u.clone()),
                    (Some(u), Some(v)) => Some(u.mul(v)),
                };
                let percent = (*pa && ub.is_none()) || (*pb && ua.is_none());
                Ty::Num {
                    unit,
                    percent,
                    integer: *ia && *ib,
                }
            }
            BinOp::Div => {
                let unit = match (ua, ub) {
                    (None, None) => None,
                    (Some(u), None) => Some(u.clone()),
                    (None, Some(v)) => Some(v.inv()),
                    (Some(u), Some(v)) => Some(u.div(v)),
                };
                Ty::Num {
                    unit,
                    percent: *pa && ub.is_none(),
                    integer: false,
                }
            }
        })
    }

    fn index(&mut self, fi: usize, base: &ast::Expr, idx: &ast::Expr, env: &Env) -> Option<Typed> {
        let ExprKind::Path(p) = &base.kind else {
            self.err(
                fi,
                Code::CheckBadIndex,
                base.span.clone(),
                msg::index_not_param(),
                msg::not_a_parameter(),
            );
            return None;
        };
        let name = &p[0].name;
        if self.failed_params.contains(name.as_str()) {
            return None; // its value's error is reported
        }
        let entry = self.params.get(name.as_str()).map(|(c, _)| c.clone());
        let Some(ParamConst::ByCategory { entries, ty }) = entry.filter(|_| p.len() == 1) else {
            self.err(
                fi,
                Code::CheckBadIndex,
                base.span.clone(),
                msg::not_category_param(&self.src_text(fi, &base.span)),
                msg::cannot_index(),
            )
            .help = Some(msg::category_param_help());
            return None;
        };
        self.used_params.push(name.clone());
        // `cv_max[小学]`: a category named directly picks its value.
        if let ExprKind::Path(ip) = &idx.kind
            && ip.len() == 1
            && !self.name_resolves(&ip[0].name, env)
        {
            return match entries.iter().find(|en| en.key == ip[0].name) {
                Some(en) => Some((Expr::Lit(Lit::Num(en.value)), ty)),
                None => {
                    let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
                    let sugg = did_you_mean(&ip[0].name, keys.iter().copied());
                    self.err(
                        fi,
                        Code::CheckUnknownCategory,
                        ip[0].span.clone(),
                        msg::no_value_for(name, &ip[0].name),
                        msg::unknown_category(),
                    )
                    .help = Some(match sugg {
                        Some(s) => msg::did_you_mean(s),
                        None => msg::values_for(name, &keys.join(", ")),
                    });
                    None
                }
            };
        }
        let (ie, it) = self.expr(fi, idx, env, None)?;
        let Ty::Enum(eid) = it else {
            return self.type_error(fi, &idx.span, msg::index_by_category(), &it);
        };
        let def = self.schema.enums[eid].clone();
        let mut table = vec![None; def.variants.len()];
        for en in &entries {
            match def.find(&en.key) {
                Some(v) => table[v as usize] = Some(en.value),
                None => {
                    let all: Vec<String> = def.all_spellings().map(String::from).collect();
                    let sugg = did_you_mean(&en.key, all.iter().map(String::as_str));
                    let origin = def.origin.clone();
                    let (pfi, _) = self
                        .params
                        .get(name.as_str())
                        .map(|(_, o)| (o.file, ()))
                        .unwrap_or((fi, ()));
                    self.err(
                        pfi,
                        Code::CheckUnknownCategory,
                        en.span.clone(),
                        msg::param_key_not_category(&en.key, &origin, name),
                        msg::unknown_category(),
                    )
                    .help = sugg.map(msg::did_you_mean);
                    return None;
                }
            }
        }
        Some((Expr::Lookup(Box::new(ie), table), ty))
    }

    // ----- names and paths --------------------------------------------------------

    fn path(
        &mut self,
        fi: usize,
        p: &[ast::Ident],
        span: &ast::Span,
        env: &Env,
        expected: Option<&Ty>,
    ) -> Option<Typed> {
        let first = &p[0];
        let name = first.name.as_str();
        // `this.…`
        if name == "this" {
            let Some(t) = env.this else {
                self.err(
                    fi,
                    Code::CheckNoRow,
                    first.span.clone(),
                    msg::no_row(),
                    msg::no_row_here(),
                );
                return None;
            };
            if p.len() == 1 {
                self.err(
                    fi,
                    Code::CheckRowNotValue,
                    span.clone(),
                    msg::row_not_value(),
                    msg::name_a_column(),
                )
                .help = Some(msg::row_not_value_help());
                return None;
            }
            return self.navigate(fi, RowRef::This, t, &p[1..], span);
        }
        if name == "group" {
            let Some((t, c)) = env.group else {
                self.no_group(fi, &first.span);
                return None;
            };
            if p.len() == 2 && p[1].name == "key" {
                let ty = self.col_ty(t, c);
                return Some((Expr::GroupKey, ty));
            }
            self.err(
                fi,
                Code::CheckGroupNotValue,
                span.clone(),
                msg::group_not_value(),
                msg::aggregate_it(),
            )
            .help = Some(msg::group_not_value_help());
            return None;
        }
        if let Some(t) = env.cur {
            let table = &self.schema.tables[t];
            if table.column(name).is_some()
                || self
                    .metric_decls
                    .contains_key(&format!("{}.{name}", table.name))
            {
                return self.navigate(fi, RowRef::Current, t, p, span);
            }
        }
        if p.len() == 1 {
            if self.failed_params.contains(name) {
                return None; // its value's error is reported
            }
            if name == "year" {
                return Some((
                    Expr::Year,
                    Ty::Num {
                        unit: None,
                        percent: false,
                        integer: true,
                    },
                ));
            }
            if let Some((c, _)) = self.params.get(name).cloned() {
                self.used_params.push(name.to_string());
                return match c {
                    ParamConst::Single { value, ty } => Some((Expr::Lit(Lit::Num(value)), ty)),
                    ParamConst::ByCategory { .. } => {
                        self.err(
                            fi,
                            Code::CheckCategoryParam,
                            span.clone(),
                            msg::category_param(name),
                            msg::pick_a_category(),
                        )
                        .help = Some(msg::category_param_index(name));
                        None
                    }
                };
            }
            if self.metric_decls.contains_key(name) {
                let (_, id) = self.compile_metric_by_key(name)?;
                self.metric_levels(fi, name, span)?;
                self.note_metric_params(name);
                let ty = self.metric_tys.get(&id).cloned()?;
                return Some((Expr::Metric(id), ty));
            }
            if let Some(Ty::Enum(id)) = expected {
                return self.variant(fi, *id, name, span);
            }
        }
        if let Some(t) = self.schema.table_by_name(name) {
            let def = &self.schema.tables[t];
            if p.len() == 2 && def.year_col.is_some() && def.entity_key().count() == 0 {
                // Facts by year: `district.civil_servant_pay` in the context year.
                let c = self.column_id(fi, t, &p[1])?;
                return Some((Expr::YearFact { table: t, col: c }, self.col_ty(t, c)));
            }
            return self.rows_not_value(fi, span, msg::table_aggregates(name));
        }
        // Unknown: suggest from everything visible here.
        let mut cands: Vec<String> = Vec::new();
        if let Some(t) = env.cur {
            cands.extend(self.schema.tables[t].columns.iter().map(|c| c.name.clone()));
        }
        cands.extend(self.params.keys().cloned());
        cands.extend(
            self.metric_decls
                .keys()
                .filter(|k| !k.contains('.'))
                .cloned(),
        );
        if let Some(Ty::Enum(id)) = expected {
            cands.extend(self.schema.enums[*id].all_spellings().map(String::from));
        }
        let sugg = did_you_mean(name, cands.iter().map(String::as_str)).map(String::from);
        let in_this = env
            .this
            .filter(|t| Some(*t) != env.cur)
            .and_then(|t| self.schema.tables[t].column(name).map(|_| t));
        let (message, label) = match env.cur {
            Some(t) => (
                msg::unknown_column(name, &self.schema.tables[t].name),
                msg::unknown_column_label(),
            ),
            None => (msg::unknown_name(name), msg::unknown_name_label()),
        };
        self.err(
            fi,
            Code::CheckUnknownName,
            first.span.clone(),
            message,
            label,
        )
        .help = Some(match (in_this, sugg) {
            (Some(_), _) => msg::use_this(name),
            (None, Some(s)) => msg::did_you_mean(&s),
            (None, None) if env.cur.is_none() => msg::columns_only_in_rows(),
            (None, None) => msg::check_spelling(),
        });
        None
    }

    /// The error for a set of rows used where a value is needed.
    fn rows_not_value(&mut self, fi: usize, span: &ast::Span, example: Msg) -> Option<Typed> {
        let text = self.src_text(fi, span);
        self.err(
            fi,
            Code::CheckTableNotValue,
            span.clone(),
            msg::rows_not_value(&text),
            msg::aggregate_it(),
        )
        .help = Some(each_lang(|l| msg::use_an_aggregate(example.get(l))));
        None
    }

    /// The levels of metric `key`'s definition, added at its use `span`:
    /// `None` (and an error) when they go past [`MAX_DEPTH`].
    fn metric_levels(&mut self, fi: usize, key: &str, span: &ast::Span) -> Option<()> {
        let levels = self.metric_depths.get(key).copied().unwrap_or(0);
        let name = key.rsplit('.').next().unwrap_or(key);
        if !self.enter_level(fi, span, levels, Some(name)) {
            return None;
        }
        self.depth -= levels;
        Some(())
    }

    /// Records, for the rule being compiled, a metric it uses and the
    /// metrics and parameters that metric uses in turn.
    fn note_metric_params(&mut self, key: &str) {
        if let Some(ps) = self.metric_params.get(key) {
            let ps = ps.clone();
            self.used_params.extend(ps);
        }
        if let Some(ms) = self.metric_deps.get(key) {
            let ms = ms.clone();
            self.used_metrics.extend(ms);
        }
        self.used_metrics.push(key.to_string());
    }

    fn col_ty(&self, t: TableId, c: usize) -> Ty {
        let col = &self.schema.tables[t].columns[c];
        match col.ty {
            ColType::Int => Ty::Num {
                unit: Some(col.unit.clone()),
                percent: col.percent,
                integer: true,
            },
            ColType::Decimal => Ty::Num {
                unit: Some(col.unit.clone()),
                percent: col.percent,
                integer: false,
            },
            ColType::Year => Ty::Num {
                unit: None,
                percent: false,
                integer: true,
            },
            ColType::Text | ColType::Ref(_) => Ty::Text,
            ColType::Bool => Ty::Bool,
            ColType::Enum(e) => Ty::Enum(e),
        }
    }

    /// Follows `segs` from a row of table `t`: columns, references to other
    /// rows, and per-row metrics.
    fn navigate(
        &mut self,
        fi: usize,
        row: RowRef,
        mut t: TableId,
        segs: &[ast::Ident],
        span: &ast::Span,
    ) -> Option<Typed> {
        let mut path = Vec::new();
        for (i, seg) in segs.iter().enumerate() {
            let last = i + 1 == segs.len();
            let table = &self.schema.tables[t];
            if let Some(c) = table.column(&seg.name) {
                if let ColType::Ref(target) = table.columns[c].ty
                    && !last
                {
                    path.push(Hop { table: t, col: c });
                    t = target;
                    continue;
                }
                if !last {
                    self.err(
                        fi,
                        Code::CheckNotAReference,
                        seg.span.clone(),
                        msg::not_a_reference(&seg.name),
                        msg::has_no_columns(),
                    )
                    .help = Some(msg::not_a_reference_help());
                    return None;
                }
                let ty = self.col_ty(t, c);
                let text = self.src_text(fi, span);
                return Some((
                    Expr::Col {
                        row,
                        path,
                        col: c,
                        table: t,
                        text,
                    },
                    ty,
                ));
            }
            let key = format!("{}.{}", table.name, seg.name);
            if self.metric_decls.contains_key(&key) {
                if !last {
                    self.err(
                        fi,
                        Code::CheckNotAReference,
                        seg.span.clone(),
                        msg::metric_not_reference(&seg.name),
                        msg::has_no_columns(),
                    );
                    return None;
                }
                let (_, id) = self.compile_metric_by_key(&key)?;
                self.metric_levels(fi, &key, &seg.span)?;
                self.note_metric_params(&key);
                let ty = self.row_metric_tys.get(&id).cloned()?;
                return Some((Expr::RowMetric { id, row, path }, ty));
            }
            if self.related_col(&seg.name, t).is_some() {
                let text = self.src_text(fi, span);
                return self.rows_not_value(fi, span, msg::count_of(&text));
            }
            let tname = table.name.clone();
            let mut cands: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
            cands.extend(
                self.metric_decls
                    .keys()
                    .filter_map(|k| k.strip_prefix(&format!("{tname}.")).map(String::from)),
            );
            let sugg = did_you_mean(&seg.name, cands.iter().map(String::as_str)).map(String::from);
            self.err(
                fi,
                Code::CheckUnknownColumn,
                seg.span.clone(),
                msg::unknown_column(&seg.name, &tname),
                msg::no_such_column(),
            )
            .help = Some(match sugg {
                Some(s) => msg::did_you_mean(&s),
                None => msg::columns_of(&tname, &cands.join(", ")),
            });
            return None;
        }
        None
    }

    /// The reference column of table `name` that points at table `to`, if
    /// exactly one does.
    fn related_col(&self, name: &str, to: TableId) -> Option<(TableId, usize)> {
        let u = self.schema.table_by_name(name)?;
        let cols: Vec<usize> = self.schema.tables[u]
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.ty == ColType::Ref(to))
            .map(|(i, _)| i)
            .collect();
        (cols.len() == 1).then(|| (u, cols[0]))
    }

    /// The error for `group` in a rule that is not `for each TABLE by COLUMN`.
    fn no_group(&mut self, fi: usize, span: &ast::Span) {
        self.err(
            fi,
            Code::CheckNoGroup,
            span.clone(),
            msg::no_group(),
            msg::no_group_here(),
        )
        .help = Some(msg::no_group_help());
    }

    /// Resolves the first argument of an aggregate: the rows, and the value
    /// read from each row if the path goes on to a column.
    #[allow(clippy::type_complexity)]
    fn source(
        &mut self,
        fi: usize,
        e: &ast::Expr,
        env: &Env,
    ) -> Result<(RowSet, Option<Typed>), ()> {
        let ExprKind::Path(p) = &e.kind else {
            self.err(
                fi,
                Code::CheckBadSource,
                e.span.clone(),
                msg::bad_source(),
                msg::not_a_table(),
            )
            .help = Some(msg::bad_source_help());
            return Err(());
        };
        let first = &p[0];
        let (rows, rest): (RowSet, &[ast::Ident]) = if first.name == "group" {
            // `group` outside `for each TABLE by COLUMN` is that mistake, not
            // an unknown table.
            let Some((t, _)) = env.group else {
                self.no_group(fi, &first.span);
                return Err(());
            };
            (RowSet::Group(t), &p[1..])
        } else if env
            .cur
            .is_some_and(|t| self.schema.tables[t].column(&first.name).is_some())
            || first.name == "this"
        {
            // From a row: follow references to a table whose rows point back.
            let (row, mut t, start) = if first.name == "this" {
                match env.this {
                    Some(t) => (RowRef::This, t, 1),
                    None => {
                        self.err(
                            fi,
                            Code::CheckNoRow,
                            first.span.clone(),
                            msg::no_row(),
                            msg::no_row_here(),
                        );
                        return Err(());
                    }
                }
            } else {
                (RowRef::Current, env.cur.ok_or(())?, 0)
            };
            let mut path = Vec::new();
            let mut found = None;
            for (i, seg) in p.iter().enumerate().skip(start) {
                if let Some((u, col)) = self.related_col(&seg.name, t) {
                    found = Some((
                        RowSet::Related {
                            from: row,
                            path: path.clone(),
                            table: u,
                            col,
                        },
                        i + 1,
                    ));
                    break;
                }
                let table = &self.schema.tables[t];
                match table.column(&seg.name).map(|c| (c, table.columns[c].ty)) {
                    Some((c, ColType::Ref(target))) => {
                        path.push(Hop { table: t, col: c });
                        t = target;
                    }
                    _ => {
                        let tname = table.name.clone();
                        let related: Vec<String> = self
                            .schema
                            .tables
                            .iter()
                            .filter(|x| x.columns.iter().any(|c| c.ty == ColType::Ref(t)))
                            .map(|x| x.name.clone())
                            .collect();
                        self.err(
                            fi,
                            Code::CheckBadSource,
                            seg.span.clone(),
                            msg::not_related(&seg.name, &tname),
                            msg::not_related_rows(),
                        )
                        .help = Some(if related.is_empty() {
                            msg::no_table_refers(&tname)
                        } else {
                            msg::tables_referring(&tname, &related.join(", "))
                        });
                        return Err(());
                    }
                }
            }
            match found {
                Some((rs, next)) => (rs, &p[next..]),
                None => {
                    self.err(
                        fi,
                        Code::CheckBadSource,
                        e.span.clone(),
                        msg::needs_rows(),
                        msg::not_rows(),
                    );
                    return Err(());
                }
            }
        } else if let Some(t) = self.schema.table_by_name(&first.name) {
            (RowSet::Table(t), &p[1..])
        } else {
            let names: Vec<String> = self.schema.tables.iter().map(|t| t.name.clone()).collect();
            let sugg = did_you_mean(&first.name, names.iter().map(String::as_str));
            self.err(
                fi,
                Code::CheckUnknownTable,
                first.span.clone(),
                msg::unknown_table(&first.name),
                msg::unknown_table_label(),
            )
            .help = Some(match sugg {
                Some(s) => msg::did_you_mean(s),
                None => msg::declared_tables(&names.join(", ")),
            });
            return Err(());
        };
        if rest.is_empty() {
            return Ok((rows, None));
        }
        let inner = env.inner(rows.table());
        let v = self
            .navigate(fi, RowRef::Current, rows.table(), rest, &e.span)
            .ok_or(())?;
        let _ = inner;
        Ok((rows, Some(v)))
    }

    fn call(
        &mut self,
        fi: usize,
        name: &ast::Ident,
        args: &[ast::Arg],
        span: &ast::Span,
        env: &Env,
    ) -> Option<Typed> {
        let f = name.name.as_str();
        for a in args {
            if let Some(n) = &a.name
                && !(f == "cv" && n.name == "weight")
            {
                self.err(
                    fi,
                    Code::CheckBadArgument,
                    n.span.clone(),
                    msg::bad_named_argument(f, &n.name),
                    msg::unknown_argument(),
                )
                .help = Some(if f == "cv" {
                    msg::cv_weight_help()
                } else {
                    msg::no_named_arguments(f)
                });
                return None;
            }
        }
        let positional: Vec<&ast::Arg> = args.iter().filter(|a| a.name.is_none()).collect();
        let arity = |this: &mut Compiler, want: Msg| -> Option<Typed> {
            this.err(
                fi,
                Code::CheckArity,
                span.clone(),
                each_lang(|l| msg::arity(f, want.get(l))),
                msg::wrong_arity(),
            )
            .help = Some(msg::arity_help());
            None
        };
        match f {
            "count" | "sum" | "avg" | "min" | "max" | "share" | "cv" => {
                if (f == "min" || f == "max")
                    && positional.len() == 2
                    && !self.looks_like_source(&positional[0].value, env)
                {
                    let x = self.expr(fi, &positional[0].value, env, None);
                    let y = self.expr(fi, &positional[1].value, env, None);
                    let ((xe, xt), (ye, yt)) = (x?, y?);
                    let ty = self.unify_num(fi, xt, yt, span, msg::what_pick(f))?;
                    return Some((Expr::Pick(f == "max", Box::new(xe), Box::new(ye)), ty));
                }
                self.aggregate(fi, f, &positional, args, span, env)
            }
            "at_least" => {
                let conds = conds_of_at_least(args);
                let Some(k_arg) = positional.first() else {
                    return arity(self, msg::at_least_arguments());
                };
                let k = match &k_arg.value.kind {
                    ExprKind::Number {
                        value,
                        integer: true,
                        ..
                    } if *value >= 0.0 => *value as usize,
                    _ => {
                        self.err(
                            fi,
                            Code::CheckBadArgument,
                            k_arg.value.span.clone(),
                            msg::at_least_whole(),
                            msg::not_whole(),
                        );
                        return None;
                    }
                };
                if conds.is_empty() || k > conds.len() {
                    self.err(
                        fi,
                        Code::CheckBadArgument,
                        span.clone(),
                        msg::at_least_too_few(k),
                        msg::too_few_conditions(),
                    )
                    .help = Some(msg::at_least_help());
                    return None;
                }
                let mut out = Vec::new();
                let mut ok = true;
                for c in conds {
                    match self.check_bool(fi, c, env, msg::what_at_least()) {
                        Some(x) => out.push(x),
                        None => ok = false,
                    }
                }
                ok.then_some((Expr::AtLeast(k, out), Ty::Bool))
            }
            "prev" => {
                if positional.len() != 1 {
                    return arity(self, msg::one_argument());
                }
                let (x, t) = self.expr(fi, &positional[0].value, env, None)?;
                Some((Expr::Prev(Box::new(x)), t))
            }
            "trajectory" => {
                if positional.len() < 4 || !positional.len().is_multiple_of(2) {
                    self.err(
                        fi,
                        Code::CheckArity,
                        span.clone(),
                        msg::trajectory_pairs(),
                        msg::wrong_arity(),
                    )
                    .help = Some(msg::trajectory_help());
                    return None;
                }
                let mut points = Vec::new();
                let mut ty: Option<Ty> = None;
                for pair in positional.chunks(2) {
                    let y = match &pair[0].value.kind {
                        ExprKind::Number {
                            value,
                            integer: true,
                            ..
                        } if (1900.0..=2100.0).contains(value) => *value as i32,
                        _ => {
                            self.err(
                                fi,
                                Code::CheckBadArgument,
                                pair[0].value.span.clone(),
                                msg::expected_year(),
                                msg::not_a_year(),
                            );
                            return None;
                        }
                    };
                    if points.last().is_some_and(|(py, _)| *py >= y) {
                        self.err(
                            fi,
                            Code::CheckBadArgument,
                            pair[0].value.span.clone(),
                            msg::trajectory_years(),
                            msg::out_of_order(),
                        );
                        return None;
                    }
                    let (v, t) = self.const_number(fi, &pair[1].value)?;
                    ty = Some(match ty {
                        None => t,
                        Some(prev) => self.unify_num(
                            fi,
                            prev,
                            t,
                            &pair[1].value.span,
                            msg::what_trajectory(),
                        )?,
                    });
                    points.push((y, v));
                }
                Some((
                    Expr::Trajectory(points),
                    ty.unwrap_or(Ty::literal(false, false)),
                ))
            }
            "ceil" | "floor" | "round" | "abs" => {
                if positional.len() != 1 {
                    return arity(self, msg::one_argument());
                }
                let (x, t) = self.expr(fi, &positional[0].value, env, None)?;
                let Ty::Num {
                    unit,
                    percent,
                    integer,
                } = t
                else {
                    return self.type_error(
                        fi,
                        &positional[0].value.span,
                        msg::needs_number(f),
                        &t,
                    );
                };
                let func = match f {
                    "ceil" => Func::Ceil,
                    "floor" => Func::Floor,
                    "round" => Func::Round,
                    _ => Func::Abs,
                };
                let integer = integer || func != Func::Abs;
                Some((
                    Expr::Func(func, Box::new(x)),
                    Ty::Num {
                        unit,
                        percent,
                        integer,
                    },
                ))
            }
            "present" => {
                if positional.len() != 1 {
                    return arity(self, msg::one_argument());
                }
                let (x, _) = self.expr(fi, &positional[0].value, env, None)?;
                Some((Expr::Func(Func::Present, Box::new(x)), Ty::Bool))
            }
            _ => {
                let sugg = did_you_mean(f, FUNCTIONS.iter().copied());
                self.err(
                    fi,
                    Code::CheckUnknownFunction,
                    name.span.clone(),
                    msg::unknown_function(f),
                    msg::not_a_function(),
                )
                .help = Some(match sugg {
                    Some(s) => msg::did_you_mean(s),
                    None => msg::functions_are(&FUNCTIONS.join(", ")),
                });
                None
            }
        }
    }

    fn looks_like_source(&self, e: &ast::Expr, env: &Env) -> bool {
        let ExprKind::Path(p) = &e.kind else {
            return false;
        };
        let first = p[0].name.as_str();
        if first == "group"
            || self.schema.table_by_name(first).is_some()
                && env
                    .cur
                    .is_none_or(|t| self.schema.tables[t].column(first).is_none())
        {
            return true;
        }
        // `this.teachers`, `school.teachers`: a path containing a related table.
        p.iter()
            .skip(1)
            .any(|s| self.schema.table_by_name(&s.name).is_some())
    }

    fn aggregate(
        &mut self,
        fi: usize,
        f: &str,
        positional: &[&ast::Arg],
        args: &[ast::Arg],
        span: &ast::Span,
        env: &Env,
    ) -> Option<Typed> {
        let Some(src_arg) = positional.first() else {
            self.err(
                fi,
                Code::CheckArity,
                span.clone(),
                msg::aggregate_needs_rows(f),
                msg::no_arguments(),
            )
            .help = Some(msg::aggregate_example(f));
            return None;
        };
        let (rows, value) = self.source(fi, &src_arg.value, env).ok()?;
        let inner = env.inner(rows.table());
        let filter = match &src_arg.filter {
            Some(w) => Some(self.check_bool(fi, w, &inner, msg::what_where())?),
            None => None,
        };
        let text = self.src_text(fi, span);
        let extra: Vec<&&ast::Arg> = positional.iter().skip(1).collect();
        let (kind, value, pred, weight, ty) = match f {
            "count" => {
                if value.is_some() || !extra.is_empty() {
                    self.err(
                        fi,
                        Code::CheckBadArgument,
                        src_arg.value.span.clone(),
                        msg::count_takes_no_column(),
                        msg::a_column_here(),
                    )
                    .help = Some(msg::count_help());
                    return None;
                }
                // A count is a bare number: it takes the unit of what it meets
                // (`music_rooms >= ceil(count(this.classes) / 12)`).
                (
                    AggKind::Count,
                    None,
                    None,
                    None,
                    Ty::Num {
                        unit: None,
                        percent: false,
                        integer: true,
                    },
                )
            }
            "sum" | "avg" | "min" | "max" | "cv" => {
                let value = match (value, extra.first()) {
                    (Some(v), None) => v,
                    (None, Some(a)) if f != "cv" => self.expr(fi, &a.value, &inner, None)?,
                    (None, None) => {
                        self.err(
                            fi,
                            Code::CheckBadArgument,
                            src_arg.value.span.clone(),
                            msg::aggregate_needs_column(f),
                            msg::rows_without_column(),
                        )
                        .help = Some(msg::aggregate_column_help(
                            f,
                            &self.src_text(fi, &src_arg.value.span),
                        ));
                        return None;
                    }
                    _ => {
                        return {
                            self.err(
                                fi,
                                Code::CheckArity,
                                span.clone(),
                                msg::takes_one_column(f),
                                msg::too_many_arguments(),
                            )
                            .help = Some(msg::arity_help());
                            None
                        };
                    }
                };
                let (ve, vt) = value;
                let Ty::Num {
                    unit,
                    percent,
                    integer,
                } = vt.clone()
                else {
                    let d = vt.describe(&self.schema);
                    self.err(
                        fi,
                        Code::CheckNonNumericAggregate,
                        src_arg.value.span.clone(),
                        each_lang(|l| msg::non_numeric_aggregate(f, d.get(l))),
                        msg::not_a_number(),
                    )
                    .help = Some(match vt {
                        Ty::Bool => msg::count_where_help(&self.src_text(fi, &src_arg.value.span)),
                        _ => msg::aggregate_numeric_help(),
                    });
                    return None;
                };
                let weight = if f == "cv" {
                    match args
                        .iter()
                        .find(|a| a.name.as_ref().is_some_and(|n| n.name == "weight"))
                    {
                        Some(w) => {
                            let (we, wt) = self.expr(fi, &w.value, &inner, None)?;
                            if !wt.is_num() {
                                return self.type_error(
                                    fi,
                                    &w.value.span,
                                    msg::weight_number(),
                                    &wt,
                                );
                            }
                            Some(we)
                        }
                        None => None,
                    }
                } else {
                    None
                };
                let ty = match f {
                    "cv" => Ty::Num {
                        unit: Some(Unit::none()),
                        percent: false,
                        integer: false,
                    },
                    "avg" => Ty::Num {
                        unit,
                        percent,
                        integer: false,
                    },
                    _ => Ty::Num {
                        unit,
                        percent,
                        integer,
                    },
                };
                let kind = match f {
                    "sum" => AggKind::Sum,
                    "avg" => AggKind::Avg,
                    "min" => AggKind::Min,
                    "max" => AggKind::Max,
                    _ => AggKind::Cv,
                };
                (kind, Some(ve), None, weight, ty)
            }
            _ => {
                // share(rows [where F], PRED)
                let Some(p) = extra.first() else {
                    self.err(
                        fi,
                        Code::CheckArity,
                        span.clone(),
                        msg::share_needs_condition(),
                        msg::missing_condition(),
                    )
                    .help = Some(msg::share_help());
                    return None;
                };
                if extra.len() > 1 {
                    self.err(
                        fi,
                        Code::CheckArity,
                        span.clone(),
                        msg::share_one_condition(),
                        msg::too_many_arguments(),
                    )
                    .help = Some(msg::share_help());
                    return None;
                }
                let pe = self.check_bool(fi, &p.value, &inner, msg::what_share())?;
                let value = match value {
                    Some((ve, vt)) => {
                        if !vt.is_num() {
                            let d = vt.describe(&self.schema);
                            self.err(
                                fi,
                                Code::CheckNonNumericAggregate,
                                src_arg.value.span.clone(),
                                each_lang(|l| msg::weighted_share_numbers(d.get(l))),
                                msg::not_a_number(),
                            );
                            return None;
                        }
                        Some(ve)
                    }
                    None => None,
                };
                (
                    AggKind::Share,
                    value,
                    Some(pe),
                    None,
                    Ty::Num {
                        unit: Some(Unit::none()),
                        percent: true,
                        integer: false,
                    },
                )
            }
        };
        Some((
            Expr::Agg(Box::new(Agg {
                kind,
                rows,
                filter,
                value,
                pred,
                weight,
                text,
            })),
            ty,
        ))
    }
}

/// For each byte offset of a string literal's value (its escapes undone),
/// the byte offset in the literal's raw text; one more entry for the end.
fn value_offsets(raw: &str) -> Vec<usize> {
    let mut map = Vec::with_capacity(raw.len() + 1);
    let mut chars = raw.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '\\' {
            match chars.peek().copied() {
                Some((_, '"' | '\'' | '\\' | 'n')) => {
                    chars.next();
                    map.push(at);
                }
                _ => map.push(at),
            }
        } else {
            map.extend(std::iter::repeat_n(at, c.len_utf8()));
        }
    }
    map.push(raw.len());
    map
}

/// The operands of `a and b and …`, those of `a and (b and c)` too.
fn flatten_and<'e>(e: &'e ast::Expr, out: &mut Vec<&'e ast::Expr>) {
    match &e.kind {
        ExprKind::And(xs) => {
            for x in xs {
                flatten_and(x, out);
            }
        }
        _ => out.push(e),
    }
}

/// `items` with each item once, where it first appears.
fn first_each(items: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .filter(|x| seen.insert(x.clone()))
        .collect()
}

fn ir_arith(op: BinOp) -> Arith {
    match op {
        BinOp::Add => Arith::Add,
        BinOp::Sub => Arith::Sub,
        BinOp::Mul => Arith::Mul,
        BinOp::Div => Arith::Div,
    }
}

fn conds_of_at_least(args: &[ast::Arg]) -> Vec<&ast::Expr> {
    let rest: Vec<&ast::Arg> = args.iter().filter(|a| a.name.is_none()).skip(1).collect();
    if let [one] = rest.as_slice()
        && let ExprKind::List(items) = &one.value.kind
    {
        return items.iter().collect();
    }
    rest.iter().map(|a| &a.value).collect()
}

fn compatible(a: &Ty, b: &Ty) -> bool {
    match (a, b) {
        (Ty::Num { .. }, Ty::Num { .. }) => true,
        _ => a == b,
    }
}

/// The shapes to show the two sides of a comparison with: the unit they
/// share, and percentages on both sides if either side is one.
fn display_shapes(l: &Ty, r: &Ty) -> (Shape, Shape) {
    let (mut ls, mut rs) = (l.shape(), r.shape());
    if let (
        Ty::Num {
            unit: ul,
            percent: pl,
            ..
        },
        Ty::Num {
            unit: ur,
            percent: pr,
            ..
        },
    ) = (l, r)
    {
        let unit = unify_units(ul, ur).ok().flatten().unwrap_or_default();
        let percent = *pl || *pr;
        ls.unit = unit.clone();
        rs.unit = unit;
        ls.percent = percent;
        rs.percent = percent;
        if percent {
            ls.integer = false;
            rs.integer = false;
        }
    }
    (ls, rs)
}
