//! Syntax tree + schema → typed, compiled rules. Resolves names, infers types
//! and units, and reports every name, type and unit error with a span.
//!
//! [`compile`] is pure: it takes the rule files' texts and the seed texts.
//! [`load_pack`] reads a rule pack folder from disk and calls it.

mod expr;
pub mod pack;
mod types;

use crate::diag::Code;
use crate::diag::{Diag, Source, did_you_mean, source};
use crate::eval::finding::Severity;
use crate::msg::check as msg;
use crate::schema::{ColType, ColumnDef, EnumDef, Schema, TableDef, Unit, ValueRange, Variant};
use crate::syntax::ast::{self, Clause, Item, ScopeKind, SeverityKw, TypeKind};
use pack::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub use expr::{ParamConst, ParamEntry};

/// Reads every `*.dudao` file of a rule pack folder (sorted by name), and the
/// seed files its documents name (relative to the folder's parent, the
/// project root, or to the folder itself), then compiles them.
pub fn load_pack(dir: &Path) -> Result<RulePack, Vec<Diag>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            return Err(vec![
                Diag::new(
                    Code::RulesNotFound,
                    format!("cannot read the rule pack folder `{}`: {e}", dir.display()),
                )
                .help("pass the folder holding the `.dudao` rule files with `--rules DIR`"),
            ]);
        }
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "dudao"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(vec![
            Diag::new(
                Code::RulesEmpty,
                format!("no `.dudao` rule files in `{}`", dir.display()),
            )
            .help("a rule pack is a folder of `.dudao` files"),
        ]);
    }
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in &paths {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match std::fs::read(p) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => files.push(SourceFile { name, text }),
                Err(e) => errors.push(
                    Diag::new(
                        Code::RulesEncoding,
                        format!(
                            "rule file `{name}` is not UTF-8 (invalid byte at offset {})",
                            e.utf8_error().valid_up_to()
                        ),
                    )
                    .help("save rule files as UTF-8"),
                ),
            },
            Err(e) => errors.push(Diag::new(
                Code::RulesIo,
                format!("cannot read `{}`: {e}", p.display()),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let roots: Vec<&Path> = [dir.parent(), Some(dir)].into_iter().flatten().collect();
    compile(files, &|seed: &str| {
        roots
            .iter()
            .find_map(|r| std::fs::read_to_string(r.join(seed)).ok())
    })
}

/// Compiles rule files. `read_seed` returns the text of a document's seed
/// file, given the path written in the `document` declaration.
pub fn compile(
    files: Vec<SourceFile>,
    read_seed: &dyn Fn(&str) -> Option<String>,
) -> Result<RulePack, Vec<Diag>> {
    let mut cx = Compiler::new(&files);
    let mut parsed = Vec::new();
    for (fi, f) in files.iter().enumerate() {
        let (ast, errs) = crate::syntax::parse_file(&f.text);
        for e in errs {
            cx.errors.push(
                Diag::new(Code::SyntaxError, e.message)
                    .label(e.span, e.label)
                    .maybe_help(e.help)
                    .source(&cx.sources[fi]),
            );
        }
        parsed.push(ast);
    }
    cx.declare(&parsed);
    cx.build_schema(&parsed);
    cx.load_seeds(read_seed);
    cx.compile_params(&parsed);
    cx.compile_metrics(&parsed);
    cx.compile_rules(&parsed);
    cx.compile_coverage(&parsed);
    if !cx.errors.is_empty() {
        let mut errs = cx.errors;
        // File order, then position, so the output reads top to bottom.
        errs.sort_by(|a, b| {
            let fa = files
                .iter()
                .position(|f| f.name == a.source_name())
                .unwrap_or(usize::MAX);
            let fb = files
                .iter()
                .position(|f| f.name == b.source_name())
                .unwrap_or(usize::MAX);
            (fa, a.offset()).cmp(&(fb, b.offset()))
        });
        return Err(errs);
    }
    let hash = {
        let mut h = Sha256::new();
        for f in &files {
            h.update(f.name.as_bytes());
            h.update([0]);
            h.update(f.text.as_bytes());
            h.update([0]);
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    };
    Ok(RulePack {
        schema: cx.schema,
        documents: cx.documents.into_iter().map(|(d, _, _)| d).collect(),
        params: cx.param_infos,
        rules: cx.rules,
        coverage: cx.coverage,
        seeds: cx.seeds,
        hash,
        metric_sources: cx
            .metric_decls
            .iter()
            .map(|(k, (fi, d))| (k.clone(), *fi, d.span.clone()))
            .collect(),
        row_metrics: cx.row_metrics.into_iter().flatten().collect(),
        metrics: cx.metrics.into_iter().flatten().collect(),
        files,
    })
}

/// Where a declaration was made, for duplicate-name errors.
#[derive(Clone)]
pub(crate) struct Origin {
    file: usize,
    span: ast::Span,
}

pub(crate) struct Compiler {
    pub(crate) sources: Vec<Source>,
    pub(crate) errors: Vec<Diag>,
    pub(crate) schema: Schema,
    /// Document id → (document, origin, index in seeds).
    documents: Vec<(Document, Origin, Option<usize>)>,
    seeds: Vec<(String, String)>,
    pub(crate) params: HashMap<String, (ParamConst, Origin)>,
    param_infos: Vec<ParamInfo>,
    /// Metric name → (file, item index) of its declaration.
    pub(crate) metric_decls: BTreeMap<String, (usize, ast::MetricDecl)>,
    /// Compiled metrics by id; `None` while compiling (cycle detection) or on error.
    pub(crate) metrics: Vec<Option<crate::eval::ir::Metric>>,
    pub(crate) metric_ids: HashMap<String, usize>,
    pub(crate) row_metrics: Vec<Option<crate::eval::ir::RowMetric>>,
    /// (table, name) → row metric id.
    pub(crate) row_metric_ids: HashMap<(usize, String), usize>,
    /// Types of compiled metrics and row metrics, by id.
    pub(crate) metric_tys: HashMap<usize, types::Ty>,
    pub(crate) row_metric_tys: HashMap<usize, types::Ty>,
    /// The parameters each metric uses (by metric key), for `explain`.
    pub(crate) metric_params: HashMap<String, Vec<String>>,
    /// Metric ids being compiled, to report cycles.
    pub(crate) in_progress: Vec<String>,
    /// Parameters used while compiling the current rule.
    pub(crate) used_params: Vec<String>,
    /// Metrics (by key) used while compiling the current rule.
    pub(crate) used_metrics: Vec<String>,
    /// The metrics each metric uses (by key), for `explain`.
    pub(crate) metric_deps: HashMap<String, Vec<String>>,
    rules: Vec<Rule>,
    coverage: Vec<CoverageItem>,
}

fn severity(k: SeverityKw) -> Severity {
    match k {
        SeverityKw::Binding => Severity::Binding,
        SeverityKw::Expected => Severity::Expected,
        SeverityKw::Info => Severity::Info,
    }
}

impl Compiler {
    fn new(files: &[SourceFile]) -> Compiler {
        Compiler {
            sources: files
                .iter()
                .map(|f| source(&f.name, f.text.clone()))
                .collect(),
            errors: Vec::new(),
            schema: Schema::default(),
            documents: Vec::new(),
            seeds: Vec::new(),
            params: HashMap::new(),
            param_infos: Vec::new(),
            metric_decls: BTreeMap::new(),
            metrics: Vec::new(),
            metric_ids: HashMap::new(),
            row_metrics: Vec::new(),
            row_metric_ids: HashMap::new(),
            metric_tys: HashMap::new(),
            row_metric_tys: HashMap::new(),
            metric_params: HashMap::new(),
            in_progress: Vec::new(),
            used_params: Vec::new(),
            used_metrics: Vec::new(),
            metric_deps: HashMap::new(),
            rules: Vec::new(),
            coverage: Vec::new(),
        }
    }

    pub(crate) fn err(
        &mut self,
        file: usize,
        code: Code,
        span: ast::Span,
        message: impl Into<crate::diag::Msg>,
        label: impl Into<crate::diag::Msg>,
    ) -> &mut Diag {
        let mut d = Diag::new(code, message).label(span, label);
        if let Some(s) = self.sources.get(file) {
            d = d.source(s);
        }
        self.errors.push(d);
        let last = self.errors.len() - 1;
        &mut self.errors[last]
    }

    fn duplicate(&mut self, file: usize, kind: &str, name: &ast::Ident, first: &Origin) {
        let first_file = self
            .sources
            .get(first.file)
            .map(|s| s.name().to_string())
            .unwrap_or_default();
        let d = self.err(
            file,
            Code::CheckDuplicateName,
            name.span.clone(),
            format!("{kind} `{}` is declared twice", name.name),
            "declared again here",
        );
        if first.file == file {
            d.labels
                .push((first.span.clone(), "first declared here".into()));
            d.help = Some(format!("rename one of the two {kind}s").into());
        } else {
            d.help = Some(
                format!(
                    "the first declaration is in `{first_file}`; rename one of the two {kind}s"
                )
                .into(),
            );
        }
    }

    /// Registers documents, metrics and duplicate checks for all names.
    fn declare(&mut self, files: &[ast::File]) {
        let mut seen_tables: HashMap<String, Origin> = HashMap::new();
        let mut seen_metrics: HashMap<String, Origin> = HashMap::new();
        let mut seen_docs: HashMap<String, Origin> = HashMap::new();
        for (fi, f) in files.iter().enumerate() {
            for item in &f.items {
                match item {
                    Item::Document(d) => {
                        if let Some(first) = seen_docs.get(&d.name.name).cloned() {
                            self.duplicate(fi, "document", &d.name, &first);
                            continue;
                        }
                        seen_docs.insert(
                            d.name.name.clone(),
                            Origin {
                                file: fi,
                                span: d.name.span.clone(),
                            },
                        );
                        self.documents.push((
                            Document {
                                id: d.name.name.clone(),
                                title: d.title.value.clone(),
                                seed: d.seed.as_ref().map(|s| s.value.clone()),
                            },
                            Origin {
                                file: fi,
                                span: d.span.clone(),
                            },
                            None,
                        ));
                    }
                    Item::Table(t) => {
                        if let Some(first) = seen_tables.get(&t.name.name).cloned() {
                            self.duplicate(fi, "table", &t.name, &first);
                        } else {
                            seen_tables.insert(
                                t.name.name.clone(),
                                Origin {
                                    file: fi,
                                    span: t.name.span.clone(),
                                },
                            );
                        }
                    }
                    Item::Metric(m) => {
                        let key = match &m.for_table {
                            Some(t) => format!("{}.{}", t.name, m.name.name),
                            None => m.name.name.clone(),
                        };
                        if let Some(first) = seen_metrics.get(&key).cloned() {
                            self.duplicate(fi, "metric", &m.name, &first);
                            continue;
                        }
                        seen_metrics.insert(
                            key.clone(),
                            Origin {
                                file: fi,
                                span: m.name.span.clone(),
                            },
                        );
                        self.metric_decls.insert(key, (fi, m.clone()));
                    }
                    _ => {}
                }
            }
        }
    }

    fn build_schema(&mut self, files: &[ast::File]) {
        let decls: Vec<(usize, &ast::TableDecl)> = files
            .iter()
            .enumerate()
            .flat_map(|(fi, f)| {
                f.items.iter().filter_map(move |i| {
                    if let Item::Table(t) = i {
                        Some((fi, t))
                    } else {
                        None
                    }
                })
            })
            .collect();
        // First pass: table names, so references can point forward.
        let mut names: Vec<String> = Vec::new();
        for (_, t) in &decls {
            if !names.contains(&t.name.name) {
                names.push(t.name.name.clone());
            }
        }
        let mut tables: Vec<Option<TableDef>> = vec![None; names.len()];
        for (fi, t) in decls {
            let Some(tid) = names.iter().position(|n| *n == t.name.name) else {
                continue;
            };
            if tables[tid].is_some() {
                continue; // duplicate, reported in `declare`
            }
            let mut columns: Vec<ColumnDef> = Vec::new();
            let mut key = Vec::new();
            let mut year_col = None;
            for c in &t.columns {
                if columns.iter().any(|x| x.name == c.name.name) {
                    self.err(
                        fi,
                        Code::CheckDuplicateColumn,
                        c.name.span.clone(),
                        format!(
                            "column `{}` is declared twice in table `{}`",
                            c.name.name, t.name.name
                        ),
                        "declared again here",
                    );
                    continue;
                }
                let ty = match &c.ty.kind {
                    TypeKind::Int => ColType::Int,
                    TypeKind::Decimal => ColType::Decimal,
                    TypeKind::Text => ColType::Text,
                    TypeKind::Bool => ColType::Bool,
                    TypeKind::Year => ColType::Year,
                    TypeKind::Enum(variants) => {
                        let mut vs: Vec<Variant> = Vec::new();
                        for v in variants {
                            if vs.iter().any(|x| x.name == v.name.name) {
                                self.err(
                                    fi,
                                    Code::CheckDuplicateVariant,
                                    v.name.span.clone(),
                                    format!("category `{}` is listed twice", v.name.name),
                                    "listed again here",
                                );
                                continue;
                            }
                            vs.push(Variant {
                                name: v.name.name.clone(),
                                aliases: v.aliases.iter().map(|a| a.value.clone()).collect(),
                            });
                        }
                        self.schema.enums.push(EnumDef {
                            origin: format!("{}.{}", t.name.name, c.name.name),
                            variants: vs,
                        });
                        ColType::Enum(self.schema.enums.len() - 1)
                    }
                    TypeKind::Ref(target) => match names.iter().position(|n| *n == target.name) {
                        Some(id) => ColType::Ref(id),
                        None => {
                            let sugg = did_you_mean(&target.name, names.iter().map(String::as_str));
                            self.err(
                                fi,
                                Code::CheckUnknownTable,
                                target.span.clone(),
                                format!("unknown table `{}`", target.name),
                                "no table of this name",
                            )
                            .help = Some(match sugg {
                                Some(s) => format!("did you mean `{s}`?").into(),
                                None => format!("declared tables: {}", names.join(", ")).into(),
                            });
                            ColType::Text
                        }
                    },
                };
                let (unit, percent) = match &c.unit {
                    Some(u) if u.is_percent() => (Unit::none(), true),
                    Some(u) => (unit_of(u), false),
                    None => (Unit::none(), false),
                };
                if (c.unit.is_some())
                    && !ty.is_numeric()
                    && let Some(u) = &c.unit
                {
                    self.err(
                        fi,
                        Code::CheckUnitOnNonNumber,
                        u.span.clone(),
                        format!(
                            "column `{}` is not a number, so it cannot have a unit",
                            c.name.name
                        ),
                        "unit here",
                    )
                    .help = Some("units go on `int` and `decimal` columns".into());
                }
                if ty == ColType::Year {
                    if year_col.is_some() {
                        self.err(fi, Code::CheckTwoYearColumns, c.name.span.clone(), format!("table `{}` has two year columns", t.name.name), "second year column")
                            .help = Some("a table has at most one column of type `year`; use `int` for other years".into());
                    } else {
                        year_col = Some(columns.len());
                    }
                }
                if c.key {
                    key.push(columns.len());
                }
                let range = self.column_range(fi, c, ty, percent, &unit);
                columns.push(ColumnDef {
                    name: c.name.name.clone(),
                    aliases: c.aliases.iter().map(|a| a.value.clone()).collect(),
                    ty,
                    unit,
                    percent,
                    optional: c.optional,
                    range,
                });
            }
            if key.is_empty() {
                self.err(fi, Code::CheckNoKey, t.name.span.clone(), format!("table `{}` has no key", t.name.name), "declared here")
                    .help = Some("mark the column(s) that identify a row with `key`, e.g. `key id: text \"学校标识码\"`".into());
            }
            tables[tid] = Some(TableDef {
                name: t.name.name.clone(),
                aliases: t.aliases.iter().map(|a| a.value.clone()).collect(),
                columns,
                key,
                year_col,
            });
        }
        self.schema.tables = tables.into_iter().flatten().collect();
        // References must point at a table with a single non-year key column.
        for t in 0..self.schema.tables.len() {
            for c in 0..self.schema.tables[t].columns.len() {
                if let ColType::Ref(target) = self.schema.tables[t].columns[c].ty {
                    let n = self
                        .schema
                        .tables
                        .get(target)
                        .map(|x| x.entity_key().count())
                        .unwrap_or(0);
                    if n != 1 {
                        let tname = self.schema.tables[t].name.clone();
                        let cname = self.schema.tables[t].columns[c].name.clone();
                        let target_name = self
                            .schema
                            .tables
                            .get(target)
                            .map(|x| x.name.clone())
                            .unwrap_or_default();
                        let (fi, span) = table_column_span(files, &tname, &cname);
                        self.err(fi, Code::CheckBadReference, span, format!("`{tname}.{cname}` refers to `{target_name}`, whose key is not a single column"), "reference here")
                            .help = Some("a referenced table needs exactly one key column besides its year column".into());
                    }
                }
            }
        }
    }

    /// The values column `c` may hold: its `range`, or for a count (an
    /// `int` column with a unit: 人, 间, 册) at least 0. A range on a column
    /// that is not a number, a bound in `%` on one that is not a
    /// percentage (or a bare bound on one that is), and an empty range are
    /// errors.
    fn column_range(
        &mut self,
        fi: usize,
        c: &ast::ColumnDecl,
        ty: ColType,
        percent: bool,
        unit: &Unit,
    ) -> Option<ValueRange> {
        let Some(r) = &c.range else {
            return (ty == ColType::Int && !unit.is_dimensionless()).then_some(ValueRange::COUNT);
        };
        if !ty.is_numeric() {
            self.err(
                fi,
                Code::CheckBadRange,
                r.span.clone(),
                msg::range_on_non_number(&c.name.name),
                msg::range_here(),
            )
            .help = Some(msg::range_on_non_number_help());
            return None;
        }
        let mut ok = true;
        let mut value = |b: &Option<ast::RangeBound>, this: &mut Compiler| -> Option<f64> {
            let b = b.as_ref()?;
            if b.percent && !percent {
                this.err(
                    fi,
                    Code::CheckBadRange,
                    b.span.clone(),
                    msg::range_percent_on_number(&c.name.name),
                    msg::range_bound_here(),
                )
                .help = Some(msg::range_percent_on_number_help());
                ok = false;
            } else if percent && !b.percent && b.value != 0.0 {
                let shown = format!("{}", b.value);
                this.err(
                    fi,
                    Code::CheckPercentLiteral,
                    b.span.clone(),
                    msg::range_bare_on_percent(&shown, &format!("{}", b.value * 100.0)),
                    msg::range_bound_here(),
                )
                .help = Some(msg::range_bare_on_percent_help(&shown));
                ok = false;
            }
            Some(if percent { b.value / 100.0 } else { b.value })
        };
        let min = value(&r.min, self);
        let max = value(&r.max, self);
        if let (Some(a), Some(b)) = (min, max)
            && a > b
        {
            self.err(
                fi,
                Code::CheckBadRange,
                r.span.clone(),
                msg::range_empty(&c.name.name),
                msg::range_here(),
            )
            .help = Some(msg::range_empty_help());
            ok = false;
        }
        (ok && (min.is_some() || max.is_some())).then_some(ValueRange {
            min,
            max,
            declared: true,
        })
    }

    fn load_seeds(&mut self, read_seed: &dyn Fn(&str) -> Option<String>) {
        for i in 0..self.documents.len() {
            let Some(seed) = self.documents[i].0.seed.clone() else {
                continue;
            };
            match read_seed(&seed) {
                Some(text) => {
                    self.seeds.push((self.documents[i].0.id.clone(), text));
                    self.documents[i].2 = Some(self.seeds.len() - 1);
                }
                None => {
                    let o = self.documents[i].1.clone();
                    self.err(o.file, Code::CheckSeedNotFound, o.span, format!("cannot read the seed file `{seed}`"), "document declared here")
                        .help = Some("seed paths are relative to the project root (the rule pack folder's parent), e.g. `seeds/plan.txt`".into());
                }
            }
        }
    }

    fn compile_params(&mut self, files: &[ast::File]) {
        for (fi, f) in files.iter().enumerate() {
            for item in &f.items {
                let Item::Param(p) = item else { continue };
                if let Some((_, first)) = self.params.get(&p.name.name) {
                    let first = first.clone();
                    self.duplicate(fi, "parameter", &p.name, &first);
                    continue;
                }
                if let Some(c) = self.param_const(fi, p) {
                    let text = self
                        .sources
                        .get(fi)
                        .and_then(|s| s.inner().get(p.span.clone()).map(str::to_string))
                        .unwrap_or_default();
                    let value_text = text
                        .split_once('=')
                        .map(|(_, v)| v.trim().to_string())
                        .unwrap_or(text);
                    self.param_infos.push(ParamInfo {
                        name: p.name.name.clone(),
                        value_text,
                        doc: p.doc.clone(),
                        file: fi,
                    });
                    self.params.insert(
                        p.name.name.clone(),
                        (
                            c,
                            Origin {
                                file: fi,
                                span: p.name.span.clone(),
                            },
                        ),
                    );
                }
            }
        }
    }

    fn compile_metrics(&mut self, _files: &[ast::File]) {
        let keys: Vec<String> = self.metric_decls.keys().cloned().collect();
        for k in keys {
            self.compile_metric_by_key(&k);
        }
    }

    fn compile_rules(&mut self, files: &[ast::File]) {
        let mut seen: HashMap<String, Origin> = HashMap::new();
        for (fi, f) in files.iter().enumerate() {
            for item in &f.items {
                let Item::Rule(r) = item else { continue };
                if let Some(first) = seen.get(&r.id.name).cloned() {
                    self.duplicate(fi, "rule", &r.id, &first);
                    continue;
                }
                seen.insert(
                    r.id.name.clone(),
                    Origin {
                        file: fi,
                        span: r.id.span.clone(),
                    },
                );
                if r.recovered {
                    continue; // its syntax errors are reported
                }
                if let Some(rule) = self.compile_rule(fi, r) {
                    self.rules.push(rule);
                }
            }
        }
    }

    fn compile_rule(&mut self, fi: usize, r: &ast::RuleDecl) -> Option<Rule> {
        let before = self.errors.len();
        let mut sev = None;
        let mut cite = None;
        let mut years = None;
        let mut scope = None;
        let mut when = None;
        let mut assert = None;
        let mut message = None;
        for c in &r.clauses {
            let (slot_taken, span, kw) = match c {
                Clause::Severity { span, .. } => (sev.is_some(), span.clone(), "severity"),
                Clause::Cite { span, .. } => (cite.is_some(), span.clone(), "cite"),
                Clause::Years { span, .. } => (years.is_some(), span.clone(), "years"),
                Clause::For(s) => (scope.is_some(), s.span.clone(), "for"),
                Clause::When(e) => (when.is_some(), e.span.clone(), "when"),
                Clause::Assert(e) => (assert.is_some(), e.span.clone(), "assert"),
                Clause::Message(s) => (message.is_some(), s.span.clone(), "message"),
            };
            if slot_taken {
                self.err(
                    fi,
                    Code::CheckDuplicateClause,
                    span,
                    format!("rule `{}` has two `{kw}` clauses", r.id.name),
                    "second clause",
                )
                .help = Some(match kw {
                    "assert" | "when" => "combine conditions with `and`".into(),
                    _ => format!("keep one `{kw}` clause").into(),
                });
                continue;
            }
            match c {
                Clause::Severity { .. } => sev = Some(c),
                Clause::Cite { .. } => cite = Some(c),
                Clause::Years { .. } => years = Some(c),
                Clause::For(s) => scope = Some(s),
                Clause::When(e) => when = Some(e),
                Clause::Assert(e) => assert = Some(e),
                Clause::Message(s) => message = Some(s),
            }
        }
        let header = r.id.span.start..r.title.span.end;
        for (missing, kw, help) in [
            (
                sev.is_none(),
                "severity",
                "add `severity binding` (约束性), `severity expected` (预期性) or `severity info`",
            ),
            (
                cite.is_none(),
                "cite",
                "every rule cites the clause that sets it: `cite plan clause \"三(三)3\" quote \"…\"`",
            ),
            (
                scope.is_none(),
                "for",
                "say what the rule checks: `for each schools`, `for each year`, …",
            ),
            (
                assert.is_none(),
                "assert",
                "add the condition that must hold: `assert students <= 45`",
            ),
        ] {
            if missing {
                self.err(
                    fi,
                    Code::CheckMissingClause,
                    header.clone(),
                    format!("rule `{}` has no `{kw}` clause", r.id.name),
                    "in this rule",
                )
                .help = Some(help.into());
            }
        }
        let severity_spec = match sev {
            Some(Clause::Severity { base, from, .. }) => {
                let mut last = i32::MIN;
                for (_, y, span) in from {
                    if *y <= last {
                        self.err(
                            fi,
                            Code::CheckSeverityYears,
                            span.clone(),
                            "severity changes must be in ascending years",
                            "out of order",
                        );
                    }
                    last = *y;
                }
                SeveritySpec {
                    base: severity(base.0),
                    from: from.iter().map(|(k, y, _)| (*y, severity(*k))).collect(),
                }
            }
            _ => SeveritySpec {
                base: Severity::Binding,
                from: vec![],
            },
        };
        let citation = match cite {
            Some(Clause::Cite {
                document,
                clause,
                quote,
                ..
            }) => self.citation(fi, document, clause, quote.as_ref()),
            _ => None,
        };
        let years = match years {
            Some(Clause::Years { from, to, span }) => {
                if let (Some(f), Some(t)) = (from, to)
                    && f > t
                {
                    self.err(
                        fi,
                        Code::CheckEmptyYears,
                        span.clone(),
                        format!("the year range {f}..{t} is empty"),
                        "first year after last year",
                    );
                }
                Years {
                    from: *from,
                    to: *to,
                }
            }
            _ => Years::default(),
        };
        self.used_params.clear();
        self.used_metrics.clear();
        let scope_c = scope.and_then(|s| self.scope(fi, s));
        let env = scope_c.map(expr::Env::for_scope);
        let (when_c, assert_c, message_c) = match &env {
            Some(env) => {
                let when_c = when.and_then(|e| self.check_bool(fi, e, env, "the `when` filter"));
                let assert_c = assert.and_then(|e| self.assertion(fi, e, env));
                let message_c = self.template(fi, message, &r.title, env);
                (when_c, assert_c, message_c)
            }
            None => (None, None, None),
        };
        if self.errors.len() > before {
            return None;
        }
        // Every failure above reports an error, here or where a metric the
        // rule uses is declared; the safety net fires only if none was.
        if self.errors.is_empty()
            && (scope_c.is_none()
                || assert_c.is_none()
                || message_c.is_none()
                || citation.is_none())
        {
            // Every failure above reports an error; this is a safety net so a
            // rule is never dropped silently.
            self.err(
                fi,
                Code::CheckInternal,
                r.id.span.clone(),
                format!("rule `{}` could not be compiled", r.id.name),
                "this rule",
            )
            .help = Some("this is a bug in dudao: please report it with the rule file".into());
            return None;
        }
        let scope_text = scope
            .and_then(|s| {
                self.sources
                    .get(fi)
                    .and_then(|src| src.inner().get(s.span.clone()).map(str::to_string))
            })
            .unwrap_or_default();
        let mut params = std::mem::take(&mut self.used_params);
        params.sort();
        params.dedup();
        // Metrics in the order they are defined through each other (each after
        // the ones it uses), each once.
        let mut metrics: Vec<String> = Vec::new();
        for m in std::mem::take(&mut self.used_metrics) {
            if !metrics.contains(&m) {
                metrics.push(m);
            }
        }
        Some(Rule {
            meta: RuleMeta {
                id: r.id.name.clone(),
                title: r.title.value.clone(),
                severity: severity_spec,
                citation: citation?,
                years,
                scope_text,
                file: fi,
                span: r.span.clone(),
                params,
                metrics,
            },
            scope: scope_c?,
            when: when_c,
            assert: assert_c?,
            message: message_c?,
        })
    }

    fn citation(
        &mut self,
        fi: usize,
        document: &ast::Ident,
        clause: &ast::StrLit,
        quote: Option<&ast::StrLit>,
    ) -> Option<Citation> {
        let Some(pos) = self
            .documents
            .iter()
            .position(|(d, _, _)| d.id == document.name)
        else {
            let ids: Vec<String> = self
                .documents
                .iter()
                .map(|(d, _, _)| d.id.clone())
                .collect();
            let sugg = did_you_mean(&document.name, ids.iter().map(String::as_str));
            self.err(fi, Code::CheckUnknownDocument, document.span.clone(), format!("unknown document `{}`", document.name), "not declared")
                .help = Some(match sugg {
                    Some(s) => format!("did you mean `{s}`?").into(),
                    None => "declare it first: `document plan \"万州区教育事业发展“十四五”规划\" seed \"seeds/plan.txt\"`".into(),
                });
            return None;
        };
        let (doc, _, seed) = &self.documents[pos];
        let doc = doc.clone();
        if let (Some(q), Some(si)) = (quote, seed) {
            let text = &self.seeds[*si].1;
            if memchr::memmem::find(text.as_bytes(), q.value.as_bytes()).is_none() {
                let hint = nearest_sentence(text, &q.value);
                self.err(
                    fi,
                    Code::CheckQuoteNotInSource,
                    q.span.clone(),
                    format!(
                        "the quote is not found verbatim in `{}`",
                        doc.seed.clone().unwrap_or_default()
                    ),
                    "not in the source text",
                )
                .help = Some(match hint {
                    Some(s) => format!("the closest sentence in the source is: “{s}”").into(),
                    None => "copy the sentence exactly from the seed file".into(),
                });
            }
        }
        Some(Citation {
            document: doc.id,
            title: doc.title,
            clause: clause.value.clone(),
            quote: quote.map(|q| q.value.clone()),
        })
    }

    fn scope(&mut self, fi: usize, s: &ast::ScopeDecl) -> Option<crate::eval::ir::Scope> {
        use crate::eval::ir::Scope;
        match &s.kind {
            ScopeKind::Year => Some(Scope::Year),
            ScopeKind::Submission => Some(Scope::Submission),
            ScopeKind::Each { table, by } => {
                let t = self.table_id(fi, table)?;
                match by {
                    None => Some(Scope::Row(t)),
                    Some(col) => {
                        let c = self.column_id(fi, t, col)?;
                        Some(Scope::Group(t, c))
                    }
                }
            }
        }
    }

    pub(crate) fn table_id(&mut self, fi: usize, name: &ast::Ident) -> Option<usize> {
        if let Some(t) = self.schema.table_by_name(&name.name) {
            return Some(t);
        }
        let names: Vec<String> = self.schema.tables.iter().map(|t| t.name.clone()).collect();
        let sugg = did_you_mean(&name.name, names.iter().map(String::as_str));
        self.err(
            fi,
            Code::CheckUnknownTable,
            name.span.clone(),
            format!("unknown table `{}`", name.name),
            "no table of this name",
        )
        .help = Some(match sugg {
            Some(s) => format!("did you mean `{s}`?").into(),
            None => format!("declared tables: {}", names.join(", ")).into(),
        });
        None
    }

    pub(crate) fn column_id(&mut self, fi: usize, t: usize, name: &ast::Ident) -> Option<usize> {
        let table = &self.schema.tables[t];
        if let Some(c) = table.column(&name.name) {
            return Some(c);
        }
        let tname = table.name.clone();
        let names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        let sugg = did_you_mean(&name.name, names.iter().map(String::as_str));
        self.err(
            fi,
            Code::CheckUnknownColumn,
            name.span.clone(),
            format!("unknown column `{}` in table `{tname}`", name.name),
            "no such column",
        )
        .help = Some(match sugg {
            Some(s) => format!("did you mean `{s}`?").into(),
            None => format!("columns of `{tname}`: {}", names.join(", ")).into(),
        });
        None
    }

    fn compile_coverage(&mut self, files: &[ast::File]) {
        let rule_ids: Vec<String> = self.rules.iter().map(|r| r.meta.id.clone()).collect();
        let all_rule_ids: Vec<String> = files
            .iter()
            .flat_map(|f| f.items.iter())
            .filter_map(|i| {
                if let Item::Rule(r) = i {
                    Some(r.id.name.clone())
                } else {
                    None
                }
            })
            .collect();
        let mut seen: HashMap<String, Origin> = HashMap::new();
        for (fi, f) in files.iter().enumerate() {
            for item in &f.items {
                let Item::Coverage(c) = item else { continue };
                if let Some(first) = seen.get(&c.id.name).cloned() {
                    self.duplicate(fi, "coverage entry", &c.id, &first);
                    continue;
                }
                seen.insert(
                    c.id.name.clone(),
                    Origin {
                        file: fi,
                        span: c.id.span.clone(),
                    },
                );
                match (c.checked_by.is_empty(), &c.not_checkable) {
                    (true, None) => {
                        self.err(fi, Code::CheckCoverageIncomplete, c.id.span.clone(), format!("coverage entry `{}` says neither which rules check it nor why it cannot be checked", c.id.name), "here")
                            .help = Some("add `checked by RULE_ID, …` or `not checkable \"reason\"`".into());
                    }
                    (false, Some(w)) => {
                        self.err(
                            fi,
                            Code::CheckCoverageContradiction,
                            w.span.clone(),
                            format!(
                                "coverage entry `{}` is both checked and not checkable",
                                c.id.name
                            ),
                            "here",
                        );
                    }
                    _ => {}
                }
                for r in &c.checked_by {
                    if !all_rule_ids.contains(&r.name) {
                        let sugg = did_you_mean(&r.name, all_rule_ids.iter().map(String::as_str));
                        self.err(
                            fi,
                            Code::CheckUnknownRule,
                            r.span.clone(),
                            format!("unknown rule `{}`", r.name),
                            "no rule with this id",
                        )
                        .help = sugg.map(|s| format!("did you mean `{s}`?").into());
                    }
                }
                let (document, clause) = match &c.cite {
                    Some((d, cl, q)) => {
                        let cit = self.citation(fi, d, cl, q.as_ref());
                        (
                            cit.as_ref().map(|c| c.document.clone()).unwrap_or_default(),
                            cl.value.clone(),
                        )
                    }
                    None => (String::new(), String::new()),
                };
                let _ = &rule_ids;
                self.coverage.push(CoverageItem {
                    id: c.id.name.clone(),
                    document,
                    clause,
                    target: c.target.value.clone(),
                    rules: c.checked_by.iter().map(|r| r.name.clone()).collect(),
                    reason: c.not_checkable.as_ref().map(|s| s.value.clone()),
                });
            }
        }
    }
}

pub(crate) fn unit_of(u: &ast::UnitExpr) -> Unit {
    let mut unit = Unit::none();
    for n in &u.num {
        unit = unit.mul(&Unit::base(&n.name));
    }
    for d in &u.den {
        unit = unit.div(&Unit::base(&d.name));
    }
    unit
}

fn table_column_span(files: &[ast::File], table: &str, column: &str) -> (usize, ast::Span) {
    for (fi, f) in files.iter().enumerate() {
        for item in &f.items {
            if let Item::Table(t) = item
                && t.name.name == table
            {
                if let Some(c) = t.columns.iter().find(|c| c.name.name == column) {
                    return (fi, c.span.clone());
                }
                return (fi, t.name.span.clone());
            }
        }
    }
    (0, 0..0)
}

/// The sentence of `text` sharing the most characters with `quote`, to help
/// fix a citation that drifted.
fn nearest_sentence(text: &str, quote: &str) -> Option<String> {
    let q: std::collections::HashSet<char> = quote.chars().collect();
    text.split(['。', '；', '\n'])
        .filter(|s| !s.trim().is_empty())
        .map(|s| (s.chars().filter(|c| q.contains(c)).count(), s))
        .max_by_key(|(n, _)| *n)
        .filter(|(n, _)| *n * 2 >= q.len().min(40))
        .map(|(_, s)| s.trim().chars().take(80).collect())
}
