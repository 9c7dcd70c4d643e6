//! Where a rule pack comes from: a folder on disk or a pack embedded in
//! the binary, and the loader that reads packs in layers (each after the
//! packs it imports) into one list of rule files for [`super::compile_layered`].
//!
//! A pack is its `*.dudao` files, in subfolders too (sorted by path; a
//! `tests/` folder and hidden folders are skipped), and the seed texts its
//! documents name. A seed path is tried from the folder of the file that
//! declares the document, then from the pack folder, then from the project
//! folder (the pack folder's parent: `seeds/` beside `rules/`).
//!
//! The binary holds two packs (see `build.rs`): `national`, the national
//! standards (`national/` of this repository), and `wanzhou`, the Wanzhou
//! plan (`rules/`), which imports `../national`. An import of a path inside
//! an embedded pack is resolved among the embedded packs' folders.
//!
//! The files of all layers are compiled in the order of their paths inside
//! their packs (then by layer), so that a pack's file numbers say where its
//! rules stand in reports among the imported ones (`10-plan.dudao` between
//! `05-consistency.dudao` and `20-balanced.dudao`); overrides are applied in
//! layer order.

use super::{MAX_RULE_FILE_BYTES, SeedError, read_rule_file, seed_path_problem};
use crate::diag::{Code, Diag, source};
use crate::msg::check as msg;
use crate::pack::SourceFile;
use crate::syntax::ast::{ImportTarget, Item};
use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The name of the embedded pack of the national standards (`import national`).
pub const EMBEDDED_NAME: &str = "national";

/// The embedded pack used when no other is chosen (the Wanzhou plan, which
/// imports the national pack).
pub fn embedded_default() -> PackSource {
    PackSource::Embedded(embedded::PACKS.first().map_or(EMBEDDED_NAME, |(n, _)| *n))
}

/// The embedded pack named `name`, if there is one.
pub fn embedded_named(name: &str) -> Option<PackSource> {
    embedded::PACKS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, _)| PackSource::Embedded(n))
}

/// The folder (in the project) of embedded pack `name`.
fn embedded_folder(name: &str) -> &'static str {
    embedded::PACKS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, f)| *f)
}

/// Subfolders read at most this deep.
const MAX_FOLDER_DEPTH: usize = 16;

/// A rule pack: a folder, or the pack embedded in the binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackSource {
    Dir(PathBuf),
    /// An embedded pack, by name (`national`, `wanzhou`).
    Embedded(&'static str),
}

impl PackSource {
    /// How the pack is named in messages and in the names of its files.
    pub fn label(&self) -> String {
        match self {
            PackSource::Dir(d) => d.display().to_string(),
            PackSource::Embedded(n) => n.to_string(),
        }
    }
}

/// The embedded packs, each with its short hash: the first 12 hex digits
/// of the SHA-256 the compiled pack carries (`rule_pack` in reports).
pub fn embedded_hashes() -> Vec<(&'static str, String)> {
    embedded::PACKS
        .iter()
        .map(|(n, _)| {
            let hash = match gather(&[PackSource::Embedded(n)]) {
                Ok(g) => super::pack_hash(&g.files).chars().take(12).collect(),
                Err(_) => String::new(),
            };
            (*n, hash)
        })
        .collect()
}

/// A rule file as loaded: its text and where it came from.
struct Loaded {
    pack: usize,
    rel: String,
    text: String,
}

/// One pack as opened: its source, and for a folder its canonical path and
/// the project folder (its parent) that seeds may come from.
struct Opened {
    source: PackSource,
    canon: Option<PathBuf>,
    project: Option<PathBuf>,
}

struct Loader {
    packs: Vec<Opened>,
    files: Vec<Loaded>,
    errors: Vec<Diag>,
    /// Packs being loaded (indexes), for cycles.
    stack: Vec<usize>,
    /// Packs fully loaded.
    done: Vec<usize>,
}

/// Where an import was written: the importing file's name and text, and the span.
struct Via<'a> {
    name: &'a str,
    text: &'a str,
    span: std::ops::Range<usize>,
}

impl Loader {
    fn open(&mut self, src: &PackSource, via: Option<&Via>) -> Option<usize> {
        let canon = match src {
            PackSource::Embedded(_) => None,
            PackSource::Dir(d) => match std::fs::canonicalize(d) {
                Ok(c) if c.is_dir() => Some(c),
                Ok(_) | Err(_) => {
                    let shown = d.display().to_string();
                    let message = match std::fs::metadata(d) {
                        Ok(_) => msg::rules_dir_not_folder(&shown),
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                            msg::rules_dir_missing(&shown)
                        }
                        Err(e) => msg::rules_not_found(&shown, &e.to_string()),
                    };
                    let mut diag =
                        Diag::new(Code::RulesNotFound, message).help(msg::rules_not_found_help());
                    if let Some(v) = via {
                        diag = Diag::new(Code::CheckImportNotFound, msg::import_not_found(&shown))
                            .label(v.span.clone(), msg::import_label())
                            .help(msg::import_not_found_help())
                            .source(&source(v.name, v.text));
                    }
                    self.errors.push(diag);
                    return None;
                }
            },
        };
        if let Some(i) = self
            .packs
            .iter()
            .position(|p| p.source == *src || (canon.is_some() && p.canon == canon))
        {
            return Some(i);
        }
        let project = canon
            .as_ref()
            .map(|c| c.parent().map(Path::to_path_buf).unwrap_or(c.clone()));
        self.packs.push(Opened {
            source: src.clone(),
            canon,
            project,
        });
        Some(self.packs.len() - 1)
    }

    /// Loads pack `i` after the packs its files import.
    fn load(&mut self, i: usize, via: Option<&Via>) {
        if self.done.contains(&i) {
            return;
        }
        if self.stack.contains(&i) {
            let chain: Vec<String> = self
                .stack
                .iter()
                .skip_while(|p| **p != i)
                .chain(std::iter::once(&i))
                .map(|p| self.packs[*p].source.label())
                .collect();
            let mut d = Diag::new(
                Code::CheckImportCycle,
                msg::import_cycle(&chain.join(" → ")),
            )
            .help(msg::import_cycle_help());
            if let Some(v) = via {
                d = d
                    .label(v.span.clone(), msg::import_label())
                    .source(&source(v.name, v.text));
            }
            self.errors.push(d);
            return;
        }
        self.stack.push(i);
        let label = self.packs[i].source.label();
        let texts = match self.packs[i].source.clone() {
            PackSource::Embedded(name) => {
                let prefix = format!("{}/", embedded_folder(name));
                embedded::RULES
                    .iter()
                    .filter_map(|(n, t)| {
                        n.strip_prefix(&prefix)
                            .map(|rel| (rel.to_string(), t.to_string()))
                    })
                    .collect()
            }
            PackSource::Dir(_) => self.read_dir_pack(i, &label),
        };
        for (rel, text) in texts {
            let shown = format!("{label}/{rel}");
            let (ast, _) = crate::syntax::parse_file(&text);
            for item in &ast.items {
                let Item::Import(imp) = item else { continue };
                let via = Via {
                    name: &shown,
                    text: &text,
                    span: imp.span.clone(),
                };
                let target = match &imp.target {
                    ImportTarget::Named(n) if embedded_named(&n.name).is_some() => {
                        embedded_named(&n.name)
                    }
                    ImportTarget::Named(n) => {
                        self.errors.push(
                            Diag::new(Code::CheckImportNotFound, msg::import_unknown_pack(&n.name))
                                .label(n.span.clone(), msg::import_label())
                                .help(msg::import_unknown_pack_help(EMBEDDED_NAME))
                                .source(&source(&shown, &text)),
                        );
                        None
                    }
                    ImportTarget::Path(p) => match (&self.packs[i].canon, &self.packs[i].source) {
                        (Some(_), _) => {
                            let dir = Path::new(&rel).parent().unwrap_or(Path::new(""));
                            Some(PackSource::Dir(clean(
                                &self.packs[i].source.dir_join(dir).join(&p.value),
                            )))
                        }
                        // Inside an embedded pack: another embedded pack,
                        // by its folder (`rules/../national`).
                        (None, PackSource::Embedded(name))
                            if embedded_at(&embedded_path(name, &rel, &p.value)).is_some() =>
                        {
                            embedded_at(&embedded_path(name, &rel, &p.value))
                        }
                        _ => {
                            self.errors.push(
                                Diag::new(
                                    Code::CheckImportNotFound,
                                    msg::import_not_found(&p.value),
                                )
                                .label(p.span.clone(), msg::import_label())
                                .help(msg::import_not_found_help())
                                .source(&source(&shown, &text)),
                            );
                            None
                        }
                    },
                };
                if let Some(t) = target
                    && let Some(j) = self.open(&t, Some(&via))
                {
                    self.load(j, Some(&via));
                }
            }
            self.files.push(Loaded { pack: i, rel, text });
        }
        self.stack.pop();
        self.done.push(i);
    }

    /// The rule files of folder pack `i`: (path relative to the pack, text).
    fn read_dir_pack(&mut self, i: usize, label: &str) -> Vec<(String, String)> {
        let Some(canon) = self.packs[i].canon.clone() else {
            return Vec::new();
        };
        let PackSource::Dir(dir) = self.packs[i].source.clone() else {
            return Vec::new();
        };
        let mut rels = Vec::new();
        if let Err(e) = list_rule_files(&dir, "", 0, &mut rels) {
            self.errors.push(
                Diag::new(
                    Code::RulesNotFound,
                    msg::rules_not_found(label, &e.to_string()),
                )
                .help(msg::rules_not_found_help()),
            );
            return Vec::new();
        }
        rels.sort();
        if rels.is_empty() {
            self.errors.push(
                Diag::new(Code::RulesEmpty, msg::rules_empty(label)).help(msg::rules_empty_help()),
            );
        }
        let mut out = Vec::new();
        for rel in rels {
            match read_rule_file(&dir.join(&rel), &rel, &canon) {
                Ok(text) => out.push((rel, text)),
                Err(d) => self.errors.push(*d),
            }
        }
        out
    }

    /// The text of seed `seed`, declared in file `file` (index into `files`).
    fn read_seed(&self, file: usize, seed: &str) -> Result<String, SeedError> {
        if let Some(problem) = seed_path_problem(seed) {
            return Err(problem);
        }
        let Some(f) = self.files.get(file) else {
            return Err(SeedError::NotFound);
        };
        let dir = Path::new(&f.rel).parent().unwrap_or(Path::new(""));
        let p = &self.packs[f.pack];
        match (&p.source, &p.canon, &p.project) {
            (PackSource::Embedded(name), _, _) => {
                let folder = embedded_folder(name);
                let candidates = [
                    embedded_path(name, &f.rel, seed),
                    clean_str(&format!("{folder}/{seed}")),
                    clean_str(seed),
                ];
                for c in candidates {
                    if let Some((_, t)) = embedded::SEEDS
                        .iter()
                        .chain(embedded::RULES.iter())
                        .find(|(n, _)| *n == c)
                    {
                        return Ok(t.to_string());
                    }
                }
                Err(SeedError::NotFound)
            }
            (PackSource::Dir(_), Some(pack), Some(project)) => {
                let root = super::SeedRoot {
                    root: project.clone(),
                    pack: pack.clone(),
                };
                root.read_from(&[pack.join(dir), pack.clone(), project.clone()], seed)
            }
            _ => Err(SeedError::NotFound),
        }
    }
}

impl PackSource {
    /// The folder `rel` inside this pack, as a path to show.
    fn dir_join(&self, rel: &Path) -> PathBuf {
        match self {
            PackSource::Dir(d) => d.join(rel),
            PackSource::Embedded(_) => rel.to_path_buf(),
        }
    }
}

/// The path (from the project folder, with `/`) of `target` written in file
/// `rel` of embedded pack `name`.
fn embedded_path(name: &str, rel: &str, target: &str) -> String {
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    clean_str(&format!("{}/{dir}/{target}", embedded_folder(name)))
}

/// The embedded pack whose folder is `folder`.
fn embedded_at(folder: &str) -> Option<PackSource> {
    embedded::PACKS
        .iter()
        .find(|(_, f)| *f == folder)
        .map(|(n, _)| PackSource::Embedded(n))
}

/// [`clean`] for a path written with `/`.
fn clean_str(p: &str) -> String {
    clean(Path::new(&p.replace('\\', "/")))
        .to_string_lossy()
        .replace('\\', "/")
}

/// Lexical clean-up of a joined import path (`a/b/../c` → `a/c`), so that
/// packs are named as a person would write them; the canonical path decides
/// identity.
fn clean(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

/// The `*.dudao` files under `dir` (paths relative to the pack, with `/`),
/// in subfolders too, skipping `tests/`, hidden folders and links to folders.
fn list_rule_files(
    dir: &Path,
    rel: &str,
    depth: usize,
    out: &mut Vec<String>,
) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let Ok(e) = e else { continue };
        let name = e.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            if !name.starts_with('.') && name != "tests" && depth < MAX_FOLDER_DEPTH {
                // A subfolder that cannot be read is skipped, as a hidden one.
                let _ = list_rule_files(&e.path(), &path, depth + 1, out);
            }
        } else if name.ends_with(".dudao") {
            out.push(path);
        }
    }
    Ok(())
}

/// The rule files of packs read in layers, in the order they are compiled.
struct Gathered {
    loader: Loader,
    files: Vec<SourceFile>,
    /// The layer (0 = read first) of each file.
    layer_of: Vec<usize>,
    /// Compile index → index in `loader.files`.
    perm: Vec<usize>,
    /// The packs' labels, in layer order.
    layers: Vec<String>,
}

/// Reads the packs in `sources` (each after the packs it imports) and
/// orders their files for the compiler.
fn gather(sources: &[PackSource]) -> Result<Gathered, Vec<Diag>> {
    let mut l = Loader {
        packs: Vec::new(),
        files: Vec::new(),
        errors: Vec::new(),
        stack: Vec::new(),
        done: Vec::new(),
    };
    for s in sources {
        if let Some(i) = l.open(s, None) {
            l.load(i, None);
        }
    }
    if !l.errors.is_empty() {
        return Err(l.errors);
    }
    let _ = MAX_RULE_FILE_BYTES;
    let mut order: Vec<usize> = Vec::new();
    for f in &l.files {
        if !order.contains(&f.pack) {
            order.push(f.pack);
        }
    }
    let layer = |pack: usize| order.iter().position(|p| *p == pack).unwrap_or(0);
    // The last pack's files keep their own names (so a pack's hash is the
    // same wherever it is read from); files of other packs are named by the
    // way from the last pack to theirs (`../national/20-balanced.dudao`).
    let last = l.files.last().map(|f| f.pack);
    let prefix: Vec<String> = (0..l.packs.len())
        .map(|p| match last {
            Some(last) if last != p => format!("{}/", l.way(last, p)),
            _ => String::new(),
        })
        .collect();
    let mut perm: Vec<usize> = (0..l.files.len()).collect();
    perm.sort_by(|a, b| {
        let (fa, fb) = (&l.files[*a], &l.files[*b]);
        (fa.rel.as_str(), layer(fa.pack)).cmp(&(fb.rel.as_str(), layer(fb.pack)))
    });
    let files: Vec<SourceFile> = perm
        .iter()
        .map(|i| {
            let f = &l.files[*i];
            SourceFile {
                name: format!("{}{}", prefix[f.pack], f.rel),
                text: f.text.clone(),
            }
        })
        .collect();
    let layer_of = perm.iter().map(|i| layer(l.files[*i].pack)).collect();
    let layers = order.iter().map(|p| l.packs[*p].source.label()).collect();
    Ok(Gathered {
        loader: l,
        files,
        layer_of,
        perm,
        layers,
    })
}

impl Loader {
    /// How pack `to` is reached from pack `from`: a relative path between
    /// two folders or two embedded packs, else `to`'s label.
    fn way(&self, from: usize, to: usize) -> String {
        let (a, b) = (&self.packs[from], &self.packs[to]);
        match (&a.source, &b.source, &a.canon, &b.canon) {
            (_, _, Some(ca), Some(cb)) => relative(ca, cb),
            (PackSource::Embedded(x), PackSource::Embedded(y), _, _) => {
                relative(Path::new(embedded_folder(x)), Path::new(embedded_folder(y)))
            }
            _ => b.source.label(),
        }
    }
}

/// The path from folder `from` to folder `to` (`../national`), with `/`.
fn relative(from: &Path, to: &Path) -> String {
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); a.len() - common];
    parts.extend(
        b.iter()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// Reads the packs in `sources` in order (each after the packs it imports;
/// a pack imported twice is read once) and compiles them as one: later
/// packs may `override param` and `disable rule` what earlier ones define.
pub fn load_packs(sources: &[PackSource]) -> Result<crate::pack::RulePack, Vec<Diag>> {
    let g = gather(sources)?;
    let l = &g.loader;
    let perm = &g.perm;
    let read = |file: usize, seed: &str| match perm.get(file) {
        Some(i) => l.read_seed(*i, seed),
        None => Err(SeedError::NotFound),
    };
    let mut pack = super::compile_layered(g.files, &g.layer_of, &read)?;
    pack.layers = g.layers;
    Ok(pack)
}
