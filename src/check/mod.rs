//! Syntax tree + schema → typed, compiled rules. Resolves names, infers types
//! and units, and reports every name, type and unit error with a span.
//!
//! [`compile`] is pure: it takes the rule files' texts and the seed texts.
//! [`load_pack`] reads a rule pack folder from disk and calls it.

mod expr;
mod report;
mod source;
mod types;

pub use source::{
    EMBEDDED_NAME, PackSource, embedded_default, embedded_hashes, embedded_named, load_packs,
};

use crate::diag::Code;
use crate::diag::{Diag, Msg, Source, did_you_mean, source};
use crate::msg::check as msg;
use crate::msg::syntax::each_lang;
use crate::pack::Severity;
use crate::pack::*;
use crate::schema::{ColType, ColumnDef, EnumDef, Schema, TableDef, Unit, ValueRange, Variant};
use crate::syntax::ast::{self, Clause, Item, ScopeKind, SeverityKw, TypeKind};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub use expr::{ParamConst, ParamEntry};

/// The deepest an expression may nest, counting on through the definitions
/// of the metrics it uses: in `metric a = abs(b) + 1`, `+` is one level,
/// `abs` the next, and `b` adds the levels of its own definition. The
/// checker and the evaluator recurse once per level, so this bounds their
/// stack: at the limit, checking needs at most about 650 KB of stack (a chain
/// of metrics compiled through each other) and evaluating about 100 KB,
/// against the 2 MB of a worker thread and the 8 MB of the main thread. One expression within the
/// parser's nesting limit ([`crate::syntax::parser::MAX_NESTING`], at most
/// six levels each) stays within it, so only long chains of metrics built on
/// metrics reach it; the deepest rule of the bundled pack has 13 levels.
/// Past it: `dudao::check::too_deep`, where the level past the limit is.
pub const MAX_DEPTH: usize = 200;

/// The largest rule file read (4 MiB; the bundled pack's largest is 40 kB).
pub const MAX_RULE_FILE_BYTES: u64 = 4 << 20;

/// The largest seed file read (16 MiB; the plan's text is 100 kB).
pub const MAX_SEED_BYTES: u64 = 16 << 20;

/// Why a seed file cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub enum SeedError {
    /// No such file.
    NotFound,
    /// The path is absolute.
    Absolute,
    /// The path goes up with `..`.
    Up,
    /// The path names a hidden file or folder (`.git`).
    Hidden,
    /// The path is a link to a file outside the project folder.
    Outside,
    /// Not a regular file: a folder, a device, a pipe.
    NotAFile,
    /// Larger than [`MAX_SEED_BYTES`]: the size in bytes.
    TooLarge(u64),
    /// Not UTF-8 text.
    NotUtf8,
    /// Another error of the file system.
    Io(String),
}

/// What is wrong with a seed path as written, before looking at any file:
/// it must be relative, without `..`, and name no hidden file or folder.
pub fn seed_path_problem(seed: &str) -> Option<SeedError> {
    let p = Path::new(seed);
    let drive = seed.as_bytes().get(1) == Some(&b':');
    if p.is_absolute() || p.has_root() || seed.starts_with(['/', '\\']) || drive {
        return Some(SeedError::Absolute);
    }
    // Both separators, whatever the system.
    let parts = seed.split(['/', '\\']);
    let mut hidden = false;
    for part in parts {
        if part == ".." {
            return Some(SeedError::Up);
        }
        hidden |= part.starts_with('.') && part != ".";
    }
    hidden.then_some(SeedError::Hidden)
}

/// Where a rule pack's seed files are read: its project folder, the parent
/// of the rule pack folder (for the bundled pack, the repository: `rules/`
/// beside `seeds/`), both canonical. A seed path is tried from the project
/// folder, then from the pack folder; the file it names (links resolved)
/// must be inside the project folder, not hidden, a regular file, and at
/// most [`MAX_SEED_BYTES`] of UTF-8 text.
pub struct SeedRoot {
    root: PathBuf,
    pack: PathBuf,
}

impl SeedRoot {
    /// The seed root of the rule pack folder `dir`.
    pub fn of_pack(dir: &Path) -> std::io::Result<SeedRoot> {
        let pack = std::fs::canonicalize(dir)?;
        let root = pack.parent().map(Path::to_path_buf).unwrap_or(pack.clone());
        Ok(SeedRoot { root, pack })
    }

    /// The text of the seed file `seed` (a path as written in the rule file).
    pub fn read(&self, seed: &str) -> Result<String, SeedError> {
        self.read_from(&[self.root.clone(), self.pack.clone()], seed)
    }

    /// The text of the seed file `seed`, tried from each folder of `from`
    /// in turn; the file found must be inside the project folder.
    pub fn read_from(&self, from: &[PathBuf], seed: &str) -> Result<String, SeedError> {
        if let Some(problem) = seed_path_problem(seed) {
            return Err(problem);
        }
        let candidates: Vec<PathBuf> = from.iter().map(|d| d.join(seed)).collect();
        let Some(path) = candidates
            .iter()
            .find(|c| std::fs::symlink_metadata(c).is_ok())
        else {
            return Err(SeedError::NotFound);
        };
        let real = std::fs::canonicalize(path).map_err(|_| SeedError::NotFound)?;
        let Ok(inside) = real.strip_prefix(&self.root) else {
            return Err(SeedError::Outside);
        };
        if inside
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            return Err(SeedError::Hidden);
        }
        let meta = std::fs::metadata(&real).map_err(|e| SeedError::Io(e.to_string()))?;
        if !meta.is_file() {
            return Err(SeedError::NotAFile);
        }
        if meta.len() > MAX_SEED_BYTES {
            return Err(SeedError::TooLarge(meta.len()));
        }
        let bytes =
            read_at_most(&real, MAX_SEED_BYTES).map_err(|e| SeedError::Io(e.to_string()))?;
        if bytes.len() as u64 > MAX_SEED_BYTES {
            return Err(SeedError::TooLarge(bytes.len() as u64));
        }
        String::from_utf8(bytes).map_err(|_| SeedError::NotUtf8)
    }
}

/// The first `max + 1` bytes of a file at most, so that a file growing
/// while read is still caught by a size check.
fn read_at_most(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A size in bytes for a message: `16 MB`, `3.2 MB`, `40 KB`, `12 字节`.
fn size_text(bytes: u64) -> String {
    const MB: u64 = 1 << 20;
    if bytes >= MB {
        let mb = bytes as f64 / MB as f64;
        if bytes.is_multiple_of(MB) {
            format!("{} MB", bytes / MB)
        } else {
            format!("{mb:.1} MB")
        }
    } else if bytes >= 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{bytes} B")
    }
}

/// Reads every `*.dudao` file of a rule pack folder (in subfolders too,
/// sorted by path; `tests/` and hidden folders skipped), the packs it
/// imports, and the seed files their documents name (see [`SeedRoot`] and
/// [`load_packs`]), then compiles them.
///
/// A rule file must be a regular file inside the folder (a link to a file
/// outside it is refused), at most [`MAX_RULE_FILE_BYTES`], and UTF-8 (a
/// byte-order mark is dropped); each problem is a diagnostic.
pub fn load_pack(dir: &Path) -> Result<RulePack, Vec<Diag>> {
    load_packs(&[PackSource::Dir(dir.to_path_buf())])
}

/// The text of the rule file `path` (named `name`) of the pack folder
/// `pack` (canonical).
fn read_rule_file(path: &Path, name: &str, pack: &Path) -> Result<String, Box<Diag>> {
    let io = |e: std::io::Error| {
        Box::new(Diag::new(
            Code::RulesIo,
            msg::rules_io(name, &e.to_string()),
        ))
    };
    let real = std::fs::canonicalize(path).map_err(io)?;
    if !real.starts_with(pack) {
        return Err(Box::new(
            Diag::new(Code::RulesIo, msg::rules_outside(name)).help(msg::rules_file_help()),
        ));
    }
    let meta = std::fs::metadata(&real).map_err(io)?;
    if !meta.is_file() {
        return Err(Box::new(
            Diag::new(Code::RulesIo, msg::rules_not_a_file(name)).help(msg::rules_file_help()),
        ));
    }
    let too_large = |size: u64| {
        Box::new(
            Diag::new(
                Code::RulesTooLarge,
                msg::rules_too_large(name, &size_text(size), &size_text(MAX_RULE_FILE_BYTES)),
            )
            .help(msg::rules_too_large_help()),
        )
    };
    if meta.len() > MAX_RULE_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let bytes = read_at_most(&real, MAX_RULE_FILE_BYTES).map_err(io)?;
    if bytes.len() as u64 > MAX_RULE_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    let bytes = match bytes.strip_prefix("\u{feff}".as_bytes()) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| Box::new(not_utf8(name, e)))
}

/// The error for a rule file that is not UTF-8: the file shown (invalid
/// bytes replaced by `�`) with its first invalid bytes labelled, so that the
/// line and column are given.
fn not_utf8(name: &str, e: std::string::FromUtf8Error) -> Diag {
    let at = e.utf8_error().valid_up_to();
    let bad_len = e.utf8_error().error_len().unwrap_or(1);
    let bytes = e.into_bytes();
    let bad: Vec<String> = bytes
        .get(at..at + bad_len)
        .unwrap_or(&[])
        .iter()
        .map(|b| format!("0x{b:02X}"))
        .collect();
    let (gbk, _, gbk_errors) = encoding_rs::GB18030.decode(&bytes);
    let help = if !gbk_errors && gbk.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        msg::rules_gbk_help()
    } else {
        msg::rules_not_utf8_help()
    };
    // Everything before `at` is valid, so the first `�` starts at `at`.
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let src = source(name, text);
    Diag::new(Code::RulesEncoding, msg::rules_not_utf8(name))
        .label(
            at..at + '\u{fffd}'.len_utf8(),
            msg::rules_not_utf8_label(&bad.join(" ")),
        )
        .help(help)
        .source(&src)
}

/// Compiles rule files. `read_seed` returns the text of a document's seed
/// file, given the path written in the `document` declaration (`None` if it
/// cannot be read). A path that is absolute, goes up with `..` or names a
/// hidden file is refused before `read_seed` is asked.
pub fn compile(
    files: Vec<SourceFile>,
    read_seed: &dyn Fn(&str) -> Option<String>,
) -> Result<RulePack, Vec<Diag>> {
    compile_with_seeds(files, &|seed: &str| {
        read_seed(seed).ok_or(SeedError::NotFound)
    })
}

/// [`compile`], with a seed reader that says why a seed cannot be used
/// ([`SeedRoot::read`]).
pub fn compile_with_seeds(
    files: Vec<SourceFile>,
    read_seed: &dyn Fn(&str) -> Result<String, SeedError>,
) -> Result<RulePack, Vec<Diag>> {
    compile_files(files, &|_, seed: &str| read_seed(seed))
}

/// The SHA-256 (lowercase hex) over rule files' names and texts, in order.
pub fn pack_hash(files: &[SourceFile]) -> String {
    let mut h = Sha256::new();
    for f in files {
        h.update(f.name.as_bytes());
        h.update([0]);
        h.update(f.text.as_bytes());
        h.update([0]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// [`compile_with_seeds`], with a seed reader that is also given the index
/// of the file declaring the document (seed paths are relative to it).
pub fn compile_files(
    files: Vec<SourceFile>,
    read_seed: &dyn Fn(usize, &str) -> Result<String, SeedError>,
) -> Result<RulePack, Vec<Diag>> {
    let layers = vec![0; files.len()];
    compile_layered(files, &layers, read_seed)
}

/// [`compile_files`] for files of packs read in layers: `layer_of[i]` is the
/// layer of file `i` (0 = read first). An `override param` applies to a
/// parameter defined in an earlier layer, or earlier in the same layer;
/// overrides are applied in layer order, whatever the order of the files.
pub fn compile_layered(
    files: Vec<SourceFile>,
    layer_of: &[usize],
    read_seed: &dyn Fn(usize, &str) -> Result<String, SeedError>,
) -> Result<RulePack, Vec<Diag>> {
    let mut cx = Compiler::new(&files);
    cx.layer_of = layer_of.to_vec();
    let mut parsed = Vec::new();
    for (fi, f) in files.iter().enumerate() {
        if f.text.len() as u64 > MAX_RULE_FILE_BYTES {
            // Not parsed: shown from where it goes past the limit.
            let mut at = MAX_RULE_FILE_BYTES as usize;
            while !f.text.is_char_boundary(at) {
                at -= 1;
            }
            let max = size_text(MAX_RULE_FILE_BYTES);
            let d = cx.err(
                fi,
                Code::RulesTooLarge,
                at..at,
                msg::rules_too_large(&f.name, &size_text(f.text.len() as u64), &max),
                msg::rules_too_large_label(&max),
            );
            d.help = Some(msg::rules_too_large_help());
            parsed.push(ast::File { items: Vec::new() });
            continue;
        }
        let (ast, errs) = crate::syntax::parse_file(&f.text);
        for e in errs {
            cx.errors.push(
                Diag::new(e.code, e.message)
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
    cx.disable_rules(&parsed);
    cx.stale_words(&parsed);
    cx.compile_coverage(&parsed);
    cx.compile_report(&parsed);
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
    let hash = pack_hash(&files);
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
        report: cx.report,
        layers: Vec::new(),
        overrides: cx.overrides,
        disabled: cx.disabled,
        warnings: cx.warnings,
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
    /// Parameters whose value is in error (reported): their uses are not
    /// reported again as unknown names.
    pub(crate) failed_params: std::collections::HashSet<String>,
    param_infos: Vec<ParamInfo>,
    /// Metric name → (file, item index) of its declaration.
    pub(crate) metric_decls: BTreeMap<String, (usize, ast::MetricDecl)>,
    /// Compiled metrics by id; `None` while compiling (cycle detection) or on error.
    pub(crate) metrics: Vec<Option<crate::pack::ir::Metric>>,
    pub(crate) metric_ids: HashMap<String, usize>,
    pub(crate) row_metrics: Vec<Option<crate::pack::ir::RowMetric>>,
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
    /// The levels of nesting of the expression being checked, counting on
    /// through the metrics it uses (see [`MAX_DEPTH`]).
    pub(crate) depth: usize,
    /// The deepest level reached since it was last reset (for a metric's depth).
    pub(crate) deepest: usize,
    /// The depth of each compiled metric's definition (by key), counting the
    /// metrics it uses.
    pub(crate) metric_depths: HashMap<String, usize>,
    /// Whether the current item was already reported too deep.
    pub(crate) too_deep_reported: bool,
    rules: Vec<Rule>,
    coverage: Vec<CoverageItem>,
    /// The layer of each file (see [`compile_layered`]).
    layer_of: Vec<usize>,
    overrides: Vec<ParamOverride>,
    disabled: Vec<DisabledRule>,
    warnings: Vec<Diag>,
    /// The `report` item in force (of the last pack that declares one).
    report: ReportSpec,
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
            failed_params: Default::default(),
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
            depth: 0,
            deepest: 0,
            metric_depths: HashMap::new(),
            too_deep_reported: false,
            rules: Vec::new(),
            coverage: Vec::new(),
            overrides: Vec::new(),
            disabled: Vec::new(),
            warnings: Vec::new(),
            report: ReportSpec::default(),
            layer_of: Vec::new(),
        }
    }

    pub(crate) fn err(
        &mut self,
        file: usize,
        code: Code,
        span: ast::Span,
        message: Msg,
        label: Msg,
    ) -> &mut Diag {
        let mut d = Diag::new(code, message).label(span, label);
        if let Some(s) = self.sources.get(file) {
            d = d.source(s);
        }
        self.errors.push(d);
        let last = self.errors.len() - 1;
        &mut self.errors[last]
    }

    /// The name of rule file `file` as messages show it (empty if unknown).
    pub(crate) fn file_name(&self, file: usize) -> String {
        self.sources
            .get(file)
            .map(|s| s.name().to_string())
            .unwrap_or_default()
    }

    fn duplicate(&mut self, file: usize, kind: Msg, name: &ast::Ident, first: &Origin) {
        let first_file = self.file_name(first.file);
        let d = self.err(
            file,
            Code::CheckDuplicateName,
            name.span.clone(),
            each_lang(|l| msg::duplicate(kind.get(l), &name.name)),
            msg::declared_again(),
        );
        if first.file == file {
            d.labels.push((first.span.clone(), msg::first_declared()));
            d.help = Some(msg::rename_one());
        } else {
            d.help = Some(msg::rename_one_in(&first_file));
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
                            self.duplicate(fi, msg::kind_document(), &d.name, &first);
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
                            // Where a seed error is shown: the seed's path.
                            Origin {
                                file: fi,
                                span: d.seed.as_ref().map_or(d.span.clone(), |s| s.span.clone()),
                            },
                            None,
                        ));
                    }
                    Item::Table(t) => {
                        if let Some(first) = seen_tables.get(&t.name.name).cloned() {
                            self.duplicate(fi, msg::kind_table(), &t.name, &first);
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
                            self.duplicate(fi, msg::kind_metric(), &m.name, &first);
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
                        msg::duplicate_column(&c.name.name, &t.name.name),
                        msg::declared_again(),
                    )
                    .help = Some(msg::duplicate_column_help());
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
                                    msg::duplicate_category(&v.name.name),
                                    msg::listed_again(),
                                )
                                .help = Some(msg::duplicate_category_help());
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
                                msg::unknown_table(&target.name),
                                msg::unknown_table_label(),
                            )
                            .help = Some(match sugg {
                                Some(s) => msg::did_you_mean(s),
                                None => msg::declared_tables(&names.join(", ")),
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
                        msg::unit_on_non_number(&c.name.name),
                        msg::unit_here(),
                    )
                    .help = Some(msg::unit_on_non_number_help());
                }
                if ty == ColType::Year {
                    if year_col.is_some() {
                        self.err(
                            fi,
                            Code::CheckTwoYearColumns,
                            c.name.span.clone(),
                            msg::two_year_columns(&t.name.name),
                            msg::second_year_column(),
                        )
                        .help = Some(msg::two_year_columns_help());
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
                self.err(
                    fi,
                    Code::CheckNoKey,
                    t.name.span.clone(),
                    msg::no_key(&t.name.name),
                    msg::table_declared_here(),
                )
                .help = Some(msg::no_key_help());
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
                        self.err(
                            fi,
                            Code::CheckBadReference,
                            span,
                            msg::bad_reference(&tname, &cname, &target_name),
                            msg::reference_here(),
                        )
                        .help = Some(msg::bad_reference_help());
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

    fn load_seeds(&mut self, read_seed: &dyn Fn(usize, &str) -> Result<String, SeedError>) {
        for i in 0..self.documents.len() {
            let Some(seed) = self.documents[i].0.seed.clone() else {
                continue;
            };
            // The path as written is checked here, whatever the reader.
            let text = match seed_path_problem(&seed) {
                Some(problem) => Err(problem),
                None => read_seed(self.documents[i].1.file, &seed),
            };
            let problem = match text {
                Ok(text) => {
                    self.seeds.push((self.documents[i].0.id.clone(), text));
                    self.documents[i].2 = Some(self.seeds.len() - 1);
                    continue;
                }
                Err(p) => p,
            };
            let max = size_text(MAX_SEED_BYTES);
            let (code, message, help) = match problem {
                SeedError::NotFound => (
                    Code::CheckSeedNotFound,
                    msg::seed_not_found(&seed),
                    msg::seed_not_found_help(),
                ),
                SeedError::Io(e) => (
                    Code::CheckSeedNotFound,
                    msg::seed_io(&seed, &e),
                    msg::seed_not_found_help(),
                ),
                SeedError::Absolute => (
                    Code::CheckSeedOutside,
                    msg::seed_absolute(&seed),
                    msg::seed_path_help(),
                ),
                SeedError::Up => (
                    Code::CheckSeedOutside,
                    msg::seed_up(&seed),
                    msg::seed_path_help(),
                ),
                SeedError::Hidden => (
                    Code::CheckSeedOutside,
                    msg::seed_hidden(&seed),
                    msg::seed_path_help(),
                ),
                SeedError::Outside => (
                    Code::CheckSeedOutside,
                    msg::seed_outside(&seed),
                    msg::seed_path_help(),
                ),
                SeedError::NotAFile => (
                    Code::CheckSeedNotAFile,
                    msg::seed_not_a_file(&seed),
                    msg::seed_not_a_file_help(),
                ),
                SeedError::TooLarge(n) => (
                    Code::CheckSeedTooLarge,
                    msg::seed_too_large(&seed, &size_text(n), &max),
                    msg::seed_too_large_help(),
                ),
                SeedError::NotUtf8 => (
                    Code::CheckSeedEncoding,
                    msg::seed_not_utf8(&seed),
                    msg::seed_not_utf8_help(),
                ),
            };
            let o = self.documents[i].1.clone();
            self.err(o.file, code, o.span, message, msg::seed_label())
                .help = Some(help);
        }
    }

    fn compile_params(&mut self, files: &[ast::File]) {
        // Plain parameters in file order, then overrides in layer order.
        let layer_of = self.layer_of.clone();
        let layer = |fi: usize| layer_of.get(fi).copied().unwrap_or(0);
        let mut items: Vec<(usize, usize, &Item)> = Vec::new();
        for (fi, f) in files.iter().enumerate() {
            for item in &f.items {
                match item {
                    Item::Param(_) => items.push((0, fi, item)),
                    Item::Override(_) => items.push((1 + layer(fi), fi, item)),
                    _ => {}
                }
            }
        }
        items.sort_by_key(|(phase, fi, _)| (*phase, *fi));
        for (_, fi, item) in items {
            {
                let (p, over) = match item {
                    Item::Param(p) => (p, None),
                    Item::Override(o) => (&o.param, Some(o)),
                    _ => continue,
                };
                // An override sees only what was defined before it: in an
                // earlier layer, or earlier in its own layer.
                let before = |o: &Origin| {
                    let at = (layer(o.file), o.file, o.span.start);
                    at < (layer(fi), fi, p.name.span.start)
                };
                let defined = self
                    .params
                    .get(&p.name.name)
                    .filter(|(_, o)| over.is_none() || before(o));
                let old = match (defined, over) {
                    (Some((_, first)), None) => {
                        let first = first.clone();
                        if first.file == fi {
                            self.duplicate(fi, msg::kind_parameter(), &p.name, &first);
                        } else {
                            let first_file = self.file_name(first.file);
                            self.err(
                                fi,
                                Code::CheckParamRedefined,
                                p.name.span.clone(),
                                msg::param_redefined(&p.name.name, &first_file),
                                msg::declared_again(),
                            )
                            .help = Some(msg::param_redefined_help(&p.name.name));
                        }
                        continue;
                    }
                    (None, Some(o)) => {
                        if self.failed_params.contains(&p.name.name) {
                            continue;
                        }
                        let names: Vec<String> = self
                            .params
                            .keys()
                            .cloned()
                            .collect::<std::collections::BTreeSet<_>>()
                            .into_iter()
                            .collect();
                        let sugg = did_you_mean(&p.name.name, names.iter().map(String::as_str));
                        self.err(
                            fi,
                            Code::CheckOverrideUnknown,
                            o.param.name.span.clone(),
                            msg::override_unknown(&p.name.name),
                            msg::override_unknown_label(),
                        )
                        .help = Some(match sugg {
                            Some(s) => msg::did_you_mean(s),
                            None => msg::override_unknown_help(),
                        });
                        continue;
                    }
                    (Some(_), Some(_)) => {
                        self.param_infos.iter().position(|i| i.name == p.name.name)
                    }
                    (None, None) => None,
                };
                let Some(c) = self.param_const(fi, p) else {
                    self.failed_params.insert(p.name.name.clone());
                    continue;
                };
                let text = self
                    .sources
                    .get(fi)
                    .and_then(|s| s.inner().get(p.span.clone()).map(str::to_string))
                    .unwrap_or_default();
                let value_text = text
                    .split_once('=')
                    .map(|(_, v)| v.trim().to_string())
                    .unwrap_or(text);
                let info = ParamInfo {
                    name: p.name.name.clone(),
                    value_text: value_text.clone(),
                    doc: p.doc.clone(),
                    file: fi,
                };
                let (file, line) = self.file_line(fi, p.span.start);
                match old.and_then(|i| self.param_infos.get_mut(i)) {
                    Some(slot) => {
                        self.overrides.push(ParamOverride {
                            name: p.name.name.clone(),
                            old_value: slot.value_text.clone(),
                            new_value: value_text,
                            file,
                            line,
                        });
                        *slot = info;
                    }
                    None => self.param_infos.push(info),
                }
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

    /// The name of file `fi` and the 1-based line of byte `at` in it.
    fn file_line(&self, fi: usize, at: usize) -> (String, usize) {
        match self.sources.get(fi) {
            Some(s) => {
                let before = s.inner().get(..at).unwrap_or("");
                (s.name().to_string(), before.matches('\n').count() + 1)
            }
            None => (String::new(), 0),
        }
    }

    /// `disable rule ID "reason"`: the rule is taken out of the pack.
    fn disable_rules(&mut self, files: &[ast::File]) {
        let all: Vec<String> = files
            .iter()
            .flat_map(|f| f.items.iter())
            .filter_map(|i| match i {
                Item::Rule(r) => Some(r.id.name.clone()),
                _ => None,
            })
            .collect();
        for (fi, f) in files.iter().enumerate() {
            for item in &f.items {
                let Item::Disable(d) = item else { continue };
                if !all.contains(&d.id.name) {
                    let sugg = did_you_mean(&d.id.name, all.iter().map(String::as_str));
                    self.err(
                        fi,
                        Code::CheckDisableUnknown,
                        d.id.span.clone(),
                        msg::disable_unknown(&d.id.name),
                        msg::disable_unknown_label(),
                    )
                    .help = sugg.map(msg::did_you_mean);
                    continue;
                }
                self.rules.retain(|r| r.meta.id != d.id.name);
                let (file, line) = self.file_line(fi, d.span.start);
                self.disabled.push(DisabledRule {
                    id: d.id.name.clone(),
                    reason: d.reason.value.clone(),
                    file,
                    line,
                });
            }
        }
    }

    /// A warning for each rule that uses an overridden parameter and whose
    /// title or quote still states a number of the old value that the new
    /// one does not have ("小学班额不超过45人" after `class_max` became 42).
    fn stale_words(&mut self, files: &[ast::File]) {
        let mut warnings = Vec::new();
        for o in &self.overrides {
            let new = numbers_in(&o.new_value);
            let gone: Vec<String> = numbers_in(&o.old_value)
                .into_iter()
                .filter(|n| !new.contains(n))
                .collect();
            if gone.is_empty() {
                continue;
            }
            for r in &self.rules {
                if !r.meta.params.contains(&o.name) {
                    continue;
                }
                let words = [
                    Some(r.meta.title.as_str()),
                    r.meta.citation.quote.as_deref(),
                ];
                let Some(old) = gone
                    .iter()
                    .find(|n| words.iter().flatten().any(|w| numbers_in(w).contains(n)))
                else {
                    continue;
                };
                let span = files
                    .get(r.meta.file)
                    .and_then(|f| {
                        f.items.iter().find_map(|i| match i {
                            Item::Rule(d) if d.id.name == r.meta.id => Some(d.title.span.clone()),
                            _ => None,
                        })
                    })
                    .unwrap_or(r.meta.span.clone());
                let mut d = Diag::new(
                    Code::CheckStaleWords,
                    msg::stale_words(&r.meta.id, &o.name, old, &o.new_value),
                )
                .label(span, msg::stale_words_label())
                .help(msg::stale_words_help())
                .warning();
                if let Some(s) = self.sources.get(r.meta.file) {
                    d = d.source(s);
                }
                warnings.push(d);
            }
        }
        self.warnings.extend(warnings);
    }

    fn compile_metrics(&mut self, _files: &[ast::File]) {
        let keys: Vec<String> = self.metric_decls.keys().cloned().collect();
        for k in keys {
            self.too_deep_reported = false;
            self.compile_metric_by_key(&k);
        }
    }

    fn compile_rules(&mut self, files: &[ast::File]) {
        let mut seen: HashMap<String, Origin> = HashMap::new();
        for (fi, f) in files.iter().enumerate() {
            for item in &f.items {
                let Item::Rule(r) = item else { continue };
                if let Some(first) = seen.get(&r.id.name).cloned() {
                    self.duplicate(fi, msg::kind_rule(), &r.id, &first);
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
        self.too_deep_reported = false;
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
                    msg::duplicate_clause(&r.id.name, kw),
                    msg::second_clause(),
                )
                .help = Some(match kw {
                    "assert" | "when" => msg::combine_with_and(),
                    _ => msg::keep_one_clause(kw),
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
            (sev.is_none(), "severity", msg::missing_severity_help()),
            (cite.is_none(), "cite", msg::missing_cite_help()),
            (scope.is_none(), "for", msg::missing_for_help()),
            (assert.is_none(), "assert", msg::missing_assert_help()),
        ] {
            if missing {
                self.err(
                    fi,
                    Code::CheckMissingClause,
                    header.clone(),
                    msg::missing_clause(&r.id.name, kw),
                    msg::in_this_rule(),
                )
                .help = Some(help);
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
                            msg::severity_years(),
                            msg::out_of_order(),
                        )
                        .help = Some(msg::severity_years_help());
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
                        msg::empty_years(*f, *t),
                        msg::empty_years_label(),
                    )
                    .help = Some(msg::empty_years_help(*f, *t));
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
                let when_c = when.and_then(|e| self.check_bool(fi, e, env, msg::what_when()));
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
                msg::internal(&r.id.name),
                msg::this_rule(),
            )
            .help = Some(msg::internal_help());
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
            self.err(
                fi,
                Code::CheckUnknownDocument,
                document.span.clone(),
                msg::unknown_document(&document.name),
                msg::not_declared(),
            )
            .help = Some(match sugg {
                Some(s) => msg::did_you_mean(s),
                None => msg::declare_document_help(),
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
                    msg::quote_not_in_source(doc.seed.as_deref().unwrap_or_default()),
                    msg::quote_not_in_source_label(),
                )
                .help = Some(match hint {
                    Some(s) => msg::closest_sentence(&s),
                    None => msg::copy_quote_help(),
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

    fn scope(&mut self, fi: usize, s: &ast::ScopeDecl) -> Option<crate::pack::ir::Scope> {
        use crate::pack::ir::Scope;
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
            msg::unknown_table(&name.name),
            msg::unknown_table_label(),
        )
        .help = Some(match sugg {
            Some(s) => msg::did_you_mean(s),
            None => msg::declared_tables(&names.join(", ")),
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
            msg::unknown_column(&name.name, &tname),
            msg::no_such_column(),
        )
        .help = Some(match sugg {
            Some(s) => msg::did_you_mean(s),
            None => msg::columns_of(&tname, &names.join(", ")),
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
                    self.duplicate(fi, msg::kind_coverage(), &c.id, &first);
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
                        self.err(
                            fi,
                            Code::CheckCoverageIncomplete,
                            c.id.span.clone(),
                            msg::coverage_incomplete(&c.id.name),
                            msg::coverage_here(),
                        )
                        .help = Some(msg::coverage_incomplete_help());
                    }
                    (false, Some(w)) => {
                        self.err(
                            fi,
                            Code::CheckCoverageContradiction,
                            w.span.clone(),
                            msg::coverage_contradiction(&c.id.name),
                            msg::coverage_here(),
                        )
                        .help = Some(msg::coverage_contradiction_help());
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
                            msg::unknown_rule(&r.name),
                            msg::unknown_rule_label(),
                        )
                        .help = Some(sugg.map_or_else(msg::unknown_rule_help, msg::did_you_mean));
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

/// The numbers written in `text` (`45`, `4.5`), each once, in order.
fn numbers_in(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        let n = cur.trim_end_matches('.').to_string();
        if !n.is_empty() && !out.contains(&n) {
            out.push(n);
        }
        cur.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() || (c == '.' && !cur.is_empty()) {
            cur.push(c);
        } else {
            flush(&mut cur, &mut out);
        }
    }
    flush(&mut cur, &mut out);
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<Diag> {
        let file = SourceFile {
            name: "t.dudao".into(),
            text: text.into(),
        };
        compile(vec![file], &|_| None).err().unwrap_or_default()
    }

    /// Diagnostics carry both languages: Chinese by default, English on request.
    #[test]
    fn diagnostics_are_in_chinese_and_english() {
        let d = errors("table t \"表\" {\n  key id: text\n  n: int 人\n}\nmetric m = sum(t.nn)\n");
        let d = d.first().expect("an error");
        assert_eq!(d.code, Code::CheckUnknownColumn);
        assert_eq!(d.message.zh(), "表 `t` 中没有列 `nn`");
        assert_eq!(d.message.en(), "unknown column `nn` in table `t`");
        assert_eq!(d.help.as_ref().map(|h| h.en()), Some("did you mean `n`?"));
        let d = errors("param x = (1 + 2\n");
        let d = d.first().expect("an error");
        assert_eq!(d.code, Code::SyntaxError);
        assert_eq!(d.message.zh(), "此处应为`)`，却是文件结尾");
        assert_eq!(d.message.en(), "expected `)`, found the end of the file");
    }

    /// A constant is computed as the evaluator computes it: `10 / 4` is 2.5,
    /// and a division by zero anywhere in it is an error at that division.
    #[test]
    fn constants_fold_with_the_evaluators_arithmetic() {
        assert!(errors("param x = 10 / 4 - 1 * 2\n").is_empty());
        let text = "param y = 3 + 1 / (2 - 2) * 5\n";
        let d = errors(text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, Code::CheckConstantNotEvaluable);
        let at = text.find("1 / (2 - 2)").unwrap_or(0);
        let span = d[0].labels.first().map(|(s, _)| s.clone());
        assert_eq!(span, Some(at..at + "1 / (2 - 2)".len()));
    }
}
