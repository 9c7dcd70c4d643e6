//! The architecture, enforced: the pipeline runs in one direction.
//!
//! Modelled on rust-analyzer's tidy tests: this reads the source of the
//! engine (`src/`), collects every `crate::<module>` path outside comments
//! and test code, and fails when a module reaches a module of its own layer
//! or above it. Within a folder, the files must not import each other in a
//! cycle either. The layers are the ones ARCHITECTURE.md draws:
//!
//! ```text
//! diag, timing        diagnostics and their rendering; phase timings
//! msg                 the message table (what a user reads)
//! schema              tables, columns, units
//! syntax, pack        the syntax tree; the compiled form (the contract)
//! check, data         rule files → pack; submission files → tables
//! eval                pack × tables → results
//! report              results → text, JSON, HTML, workbook
//! review              reports compared, test cases checked (`dudao diff`, `dudao test`)
//! ```
//!
//! The command line (`src/main.rs`, `src/cli/`) sits above all of them and
//! uses the library only through its public paths (`dudao::…`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layer of each top-level module of the engine; a module may import
/// only from modules of a strictly lower layer.
const LAYERS: &[(&str, u8)] = &[
    ("diag", 0),
    ("timing", 0),
    ("msg", 1),
    ("schema", 2),
    ("syntax", 3),
    ("pack", 3),
    ("check", 4),
    ("data", 4),
    ("eval", 5),
    ("report", 6),
    // Comparing and testing results (`dudao diff`, `dudao test`): reads
    // reports, renders its own comparisons.
    ("review", 7),
    // The generator of test submissions knows the schema and the data
    // formats; nothing in the engine may depend on it.
    ("gen", 7),
];

/// Edges that run against the pipeline today and are scheduled to go: each
/// names the work that removes it. The test fails when an edge not listed
/// here appears, and also when a listed edge has gone (so the list shrinks).
const KNOWN: &[(&str, &str, &str)] = &[];

/// Groups of files of one folder that import each other in a cycle today
/// (same rules as `KNOWN`): `(folder, files, what removes it)`.
const KNOWN_CYCLES: &[(&str, &[&str], &str)] = &[];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Test code may use anything: a file named `tests.rs` or `*_tests.rs`, and
/// everything after a `#[cfg(test)]` line.
fn is_test_file(p: &Path) -> bool {
    let name = p.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    name == "tests" || name.ends_with("_tests")
}

/// The code of a file without comments and without its test part.
fn code_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            break;
        }
        if t.starts_with("//") {
            // Kept as an empty line, so that line numbers stay right.
            out.push("");
            continue;
        }
        let code = match line.find("//") {
            // A `//` inside a string literal ("http://…") keeps the line.
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        };
        out.push(code);
    }
    out
}

/// The module names a path brings after `prefix`, each time it occurs in
/// `code`: `prefix NAME` or `prefix {a, b::c}`.
fn names_after(code: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find(prefix) {
        let after = &rest[i + prefix.len()..];
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name = part.trim().split("::").next().unwrap_or("").trim();
                if !name.is_empty() {
                    out.push(name.trim_start_matches("r#").to_string());
                }
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '#')
                .collect();
            out.push(name.trim_start_matches("r#").to_string());
        }
        rest = after;
    }
    out
}

/// Every `crate::NAME` in `code`, and the names a `use crate::{a, b}` brings.
fn crate_refs(code: &str) -> Vec<String> {
    names_after(code, "crate::")
}

/// The top-level module of a file under `src/` and, inside a folder, the
/// file's own name (`eval/batch.rs` → ("eval", Some("batch"))).
fn module_of(rel: &Path) -> (String, Option<String>) {
    let parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    match parts.as_slice() {
        [one] => (one.clone(), None),
        [dir, file, ..] => (dir.clone(), Some(file.clone())),
        [] => (String::new(), None),
    }
}

struct Graph {
    /// (from, to) → the first file and line where it happens.
    edges: BTreeMap<(String, String), String>,
    /// folder → (file, file) → where.
    inner: BTreeMap<String, BTreeMap<(String, String), String>>,
}

fn graph() -> Graph {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut g = Graph {
        edges: BTreeMap::new(),
        inner: BTreeMap::new(),
    };
    for f in files {
        let rel = f.strip_prefix(&root).expect("under src").to_path_buf();
        let (module, file) = module_of(&rel);
        if module == "main" || module == "lib" || module == "cli" || is_test_file(&f) {
            continue;
        }
        let text = std::fs::read_to_string(&f).expect("source is UTF-8");
        for (n, line) in code_lines(&text).into_iter().enumerate() {
            let at = format!("{}:{}", rel.display(), n + 1);
            for to in crate_refs(line) {
                if to == module || to == "messages" || to.is_empty() {
                    continue;
                }
                g.edges.entry((module.clone(), to)).or_insert(at.clone());
            }
            // Imports between files of one folder: `super::x` and
            // `crate::<module>::x`.
            if let Some(file) = &file {
                let mut targets = names_after(line, "super::");
                targets.extend(names_after(line, &format!("crate::{module}::")));
                let dir = root.join(&module);
                for t in targets {
                    if t != *file && dir.join(format!("{t}.rs")).exists() && file != "mod" {
                        g.inner
                            .entry(module.clone())
                            .or_default()
                            .entry((file.clone(), t))
                            .or_insert(at.clone());
                    }
                }
            }
        }
    }
    g
}

fn layer(m: &str) -> Option<u8> {
    LAYERS.iter().find(|(n, _)| *n == m).map(|(_, l)| *l)
}

#[test]
fn every_module_has_a_layer() {
    let mut missing = Vec::new();
    for e in std::fs::read_dir(src()).expect("src") {
        let p = e.expect("entry").path();
        let name = p
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        if ["main", "lib", "cli"].contains(&name.as_str()) {
            continue;
        }
        if layer(&name).is_none() {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "modules without a layer in tests/architecture.rs (add them to LAYERS and to ARCHITECTURE.md): {missing:?}"
    );
}

#[test]
fn imports_run_down_the_pipeline() {
    let g = graph();
    let mut wrong = Vec::new();
    let mut seen_known = BTreeSet::new();
    for ((from, to), at) in &g.edges {
        let (Some(lf), Some(lt)) = (layer(from), layer(to)) else {
            continue;
        };
        if lt < lf {
            continue;
        }
        if let Some(k) = KNOWN.iter().find(|(f, t, _)| f == from && t == to) {
            seen_known.insert((k.0, k.1));
            continue;
        }
        wrong.push(format!("{from} → {to} (at {at})"));
    }
    assert!(
        wrong.is_empty(),
        "imports against the pipeline (a module may use only the layers below it):\n  {}",
        wrong.join("\n  ")
    );
    for (f, t, why) in KNOWN {
        assert!(
            seen_known.contains(&(*f, *t)),
            "{f} → {t} is gone ({why}): remove it from KNOWN"
        );
    }
}

/// The groups of files that import each other in a cycle: the strongly
/// connected components of more than one file, each sorted, found by
/// reachability (a folder has a few dozen files at most).
fn cycles(edges: &BTreeMap<(String, String), String>) -> Vec<Vec<String>> {
    let mut adj: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (a, b) in edges.keys() {
        adj.entry(a).or_default().insert(b);
        adj.entry(b).or_default();
    }
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            for &m in adj.get(n).into_iter().flatten() {
                if seen.insert(m.to_string()) {
                    stack.push(m);
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&str, BTreeSet<String>> = adj.keys().map(|&n| (n, reach(n))).collect();
    let mut found: BTreeSet<Vec<String>> = BTreeSet::new();
    for (&n, r) in &reaches {
        let comp: Vec<String> = r
            .iter()
            .filter(|m| reaches.get(m.as_str()).is_some_and(|back| back.contains(n)))
            .cloned()
            .collect();
        if comp.len() > 1 {
            found.insert(comp);
        }
    }
    found.into_iter().collect()
}

#[test]
fn files_of_a_folder_import_each_other_without_cycles() {
    let g = graph();
    let mut wrong = Vec::new();
    let mut seen_known = BTreeSet::new();
    for (folder, edges) in &g.inner {
        for comp in cycles(edges) {
            let known = KNOWN_CYCLES.iter().find(|(d, files, _)| {
                d == folder && files.iter().copied().eq(comp.iter().map(|s| s.as_str()))
            });
            if let Some(k) = known {
                seen_known.insert((k.0, k.1));
                continue;
            }
            let at: Vec<String> = edges
                .iter()
                .filter(|((a, b), _)| comp.contains(a) && comp.contains(b))
                .map(|((a, b), at)| format!("{a} → {b} ({at})"))
                .collect();
            wrong.push(format!(
                "{folder}: {} import each other: {}",
                comp.join(", "),
                at.join(", ")
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "files of a folder that import each other in a cycle:\n  {}",
        wrong.join("\n  ")
    );
    for (folder, files, why) in KNOWN_CYCLES {
        assert!(
            seen_known.contains(&(*folder, *files)),
            "the cycle {folder}: {files:?} is gone or changed ({why}): update KNOWN_CYCLES"
        );
    }
}

/// The checker must see what it is meant to see: a planted back-edge and a
/// planted cycle are found.
#[test]
fn the_checker_finds_a_planted_back_edge_and_cycle() {
    let refs = crate_refs("use crate::{eval::V, report};  let x = crate::check::load_pack;");
    assert_eq!(refs, ["eval", "report", "check"]);
    assert!(
        code_lines("// use crate::eval;\nlet a = 1;\n#[cfg(test)]\nuse crate::eval;")
            .iter()
            .all(|l| !l.contains("crate::"))
    );
    let mut e = BTreeMap::new();
    e.insert(("a".to_string(), "b".to_string()), String::new());
    e.insert(("b".to_string(), "c".to_string()), String::new());
    assert!(cycles(&e).is_empty());
    e.insert(("c".to_string(), "a".to_string()), String::new());
    assert_eq!(cycles(&e), vec![vec!["a", "b", "c"]]);
    e.insert(("c".to_string(), "d".to_string()), String::new());
    assert_eq!(cycles(&e), vec![vec!["a", "b", "c"]]);
    assert!(layer("check") < layer("eval") && layer("pack") < layer("check"));
}
