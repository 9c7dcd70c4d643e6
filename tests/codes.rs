//! Every diagnostic code is shown to a reviewer: each one appears in a
//! reviewed snapshot (the output of a fixture: a broken rule file, a broken
//! submission, a command), or is listed below with the reason it has none
//! yet. The list only shrinks: a code listed here that a snapshot now shows
//! fails the test, so it is taken off.
//!
//! And the README's examples of diagnostics are real: each `text` block of
//! the README that starts with a code is what a snapshot holds for that
//! code: its code line, its message line, and each of its labels and its
//! help line.

use dudao::diag::Code;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Codes that no snapshot shows yet, each with why (or where it is tested
/// instead). Keep sorted by code.
const WITHOUT_SNAPSHOT: &[(&str, &str)] = &[
    (
        "dudao::check::internal",
        "a defect of the compiler, reported instead of a panic: no input should produce it",
    ),
    (
        "dudao::check::seed_too_large",
        "needs a seed file over 16 MiB (check::MAX_SEED_BYTES) in the repository: unit test in src/check",
    ),
    (
        "dudao::cli::write_failed",
        "needs an output that refuses writes (/dev/full, Linux only): cli/tests/cli.rs a_failed_write_is_an_error",
    ),
    (
        "dudao::data::csv",
        "cannot happen: the CSV reader is flexible and reads bytes from memory, so it has no error to give; kept for a reader that could fail",
    ),
    (
        "dudao::data::too_many_rows",
        "needs a CSV file of over 4,294,967,294 rows; no input of a size a test can hold",
    ),
    ("dudao::cli::config_invalid", "cli/tests/cli.rs"),
    ("dudao::cli::config_unknown_key", "cli/tests/cli.rs"),
    ("dudao::cli::init_not_empty", "cli/tests/cli.rs"),
    (
        "dudao::fmt::changed_meaning",
        "dudao fmt's safety check (output parsed back and compared): no input is known to produce it",
    ),
    (
        "dudao::report::sheet_cut",
        "src/report/tests.rs cut_sheets_say_so_everywhere (a workbook, not a snapshot)",
    ),
    (
        "dudao::rules::too_large",
        "needs a rule file over 4 MiB (check::MAX_RULE_FILE_BYTES) in the repository: unit test in src/check",
    ),
];

/// Every `.snap` file under the `snapshots` folders of the workspace's
/// crates (`tests/`, `src/`, `cli/tests/`, `cli/src/`, `gen/src/`).
fn snapshot_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, inside_snapshots: bool, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                let snaps = inside_snapshots || p.file_name().is_some_and(|n| n == "snapshots");
                walk(&p, snaps, out);
            } else if inside_snapshots && p.extension().is_some_and(|x| x == "snap") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    for dir in ["tests", "src", "cli/tests", "cli/src", "gen/src"] {
        walk(&root().join(dir), false, &mut out);
    }
    out.sort();
    out
}

/// The text of every snapshot below its `---` header.
fn snapshot_bodies() -> Vec<(PathBuf, String)> {
    snapshot_files()
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            // The header (source, description, input_file) may name a code
            // that is only expected; the body is what was produced.
            let body = match text.strip_prefix("---") {
                Some(rest) => rest.split_once("\n---\n").map_or(rest, |(_, b)| b),
                None => &text,
            };
            (p, body.to_string())
        })
        .collect()
}

/// The codes a text shows: `dudao::stage::name` as a whole word.
fn codes_in(text: &str) -> BTreeSet<&'static str> {
    Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| {
            text.match_indices(c).any(|(at, _)| {
                let after = text[at + c.len()..].chars().next();
                !after.is_some_and(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == ':')
            })
        })
        .collect()
}

#[test]
fn every_code_is_in_a_snapshot_or_listed() {
    let shown: BTreeSet<&str> = snapshot_bodies()
        .iter()
        .flat_map(|(_, b)| codes_in(b))
        .collect();
    let mut problems = Vec::new();
    let listed: BTreeSet<&str> = WITHOUT_SNAPSHOT.iter().map(|(c, _)| *c).collect();
    assert_eq!(
        listed.len(),
        WITHOUT_SNAPSHOT.len(),
        "a code is listed twice"
    );
    for (code, _) in WITHOUT_SNAPSHOT {
        if Code::from_name(code).is_none() {
            problems.push(format!("{code} is listed but is not a code"));
        }
        if shown.contains(code) {
            problems.push(format!(
                "{code} is shown by a snapshot now: take it off WITHOUT_SNAPSHOT"
            ));
        }
    }
    for code in Code::ALL {
        let s = code.as_str();
        if !shown.contains(s) && !listed.contains(s) {
            problems.push(format!(
                "{s} is in no snapshot: add a fixture that produces it (fixtures/rules-broken/, \
                 fixtures/data-errors/, …), or list it in WITHOUT_SNAPSHOT with the reason"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The `text` blocks of the README that start with a diagnostic code.
fn readme_diagnostics() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let mut blocks = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in readme.lines() {
        match &mut current {
            None if line.trim() == "```text" => current = Some(Vec::new()),
            Some(b) if line.trim() == "```" => {
                if b.first().is_some_and(|l| l.starts_with("dudao::")) {
                    blocks.push(std::mem::take(b));
                }
                current = None;
            }
            Some(b) => b.push(line.to_string()),
            None => {}
        }
    }
    blocks
}

#[test]
fn readme_diagnostics_are_what_dudao_prints() {
    let bodies = snapshot_bodies();
    let blocks = readme_diagnostics();
    assert!(
        !blocks.is_empty(),
        "the README shows no diagnostic: this test would check nothing"
    );
    let mut problems = Vec::new();
    for block in &blocks {
        let code = block[0].trim();
        let Some(message) = block.iter().find(|l| l.trim_start().starts_with('×')) else {
            problems.push(format!("README block {code} has no `×` message line"));
            continue;
        };
        // The lines a reader takes in beside the message: the labels
        // (`╰── …`) and the help.
        let said: Vec<&str> = block
            .iter()
            .map(|l| l.trim())
            .filter(|l| l.starts_with("help:") || l.contains("╰── "))
            .collect();
        // Each diagnostic of the snapshots with that code and message: its
        // lines up to the next diagnostic.
        let mut same_message = false;
        let found = bodies.iter().any(|(_, b)| {
            let lines: Vec<&str> = b.lines().collect();
            (0..lines.len()).any(|i| {
                let starts = lines[i].trim() == code
                    && lines.get(i + 2).map(|l| l.trim()) == Some(message.trim());
                if !starts {
                    return false;
                }
                same_message = true;
                let diag: Vec<&str> = lines[i + 1..]
                    .iter()
                    .take_while(|l| !l.starts_with("dudao::"))
                    .map(|l| l.trim())
                    .collect();
                said.iter().all(|s| diag.contains(s))
            })
        });
        if !same_message {
            problems.push(format!(
                "README shows\n  {code}\n  {}\nbut no snapshot has that code with that message",
                message.trim()
            ));
        } else if !found {
            problems.push(format!(
                "README shows {code} with the labels and help\n  {}\nbut no snapshot of it has them all",
                said.join("\n  ")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
