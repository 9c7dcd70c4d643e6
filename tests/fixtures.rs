//! The data-driven harness: every fixture is a test case, and adding a case is
//! adding a file or a folder (ruff style). Each case gets insta snapshots in
//! `tests/snapshots/`.
//!
//! - `fixtures/submissions/*/`: checked against the rule pack in `rules/`;
//!   the text report and the JSON report are snapshotted.
//! - `fixtures/rules-broken/*.dudao`: compiled with `national/00-schema.dudao`,
//!   `national/01-documents.dudao` and `rules/00-pack.dudao` (the plan's
//!   document); compiling must fail with a diagnostic in
//!   the broken file; the rendered diagnostics are snapshotted.
//! - `fixtures/data-errors/*/`: loaded with the rule pack's schema; loading
//!   must fail, or succeed with warnings; the rendered warnings and errors
//!   are snapshotted.
//!
//! The rule pack's hash changes whenever a rule file changes, so it is
//! redacted to `[pack-hash]`; the files' own sha256s are kept (they change
//! only when the fixture does).

use dudao::data::load_submission;
use dudao::diag::{Lang, render_plain};
use dudao::eval::{Strategy, evaluate};
use dudao::pack::{RulePack, SourceFile};
use dudao::report::{json, text};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The rule pack of `rules/`, compiled once for all cases.
fn pack() -> &'static RulePack {
    static PACK: OnceLock<RulePack> = OnceLock::new();
    PACK.get_or_init(|| match dudao::check::load_pack(&root().join("rules")) {
        Ok(p) => p,
        Err(diags) => panic!("the rule pack does not compile:\n{}", render_plain(&diags)),
    })
}

/// Replaces the rule pack's hash (and the 12-character prefix the text
/// report shows) with `[pack-hash]`.
fn redact(pack: &RulePack, s: &str) -> String {
    let short: String = pack.hash.chars().take(12).collect();
    s.replace(&pack.hash, "[pack-hash]")
        .replace(&short, "[pack-hash]")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The text and JSON reports of a submission folder evaluated with
/// `strategy`, with the pack hash redacted.
fn reports(dir: &Path, strategy: Strategy) -> (String, String) {
    let pack = pack();
    let loaded = match load_submission(&pack.schema, dir) {
        Ok(l) => l,
        Err(e) => panic!(
            "{} does not load:\n{}",
            dir.display(),
            render_plain(&e.diags)
        ),
    };
    assert!(
        loaded.warnings.is_empty(),
        "{} loads with warnings:\n{}",
        dir.display(),
        render_plain(&loaded.warnings)
    );
    let sub = &loaded.submission;
    let opts = dudao::eval::CheckOptions {
        strategy,
        ..Default::default()
    };
    let results = dudao::eval::check(pack, sub, Vec::new(), &opts, &|| {});
    assert!(
        results.completeness.is_complete(),
        "{} is not complete: {:?}",
        dir.display(),
        results.completeness
    );
    let checked = dudao::report::Checked::new(pack, sub, &results);
    let t = text::render(&checked, &text::TextOptions::default());
    let j = json::render(&checked, Lang::Zh);
    (redact(pack, &t), redact(pack, &j))
}

/// Snapshots the text and JSON reports of a submission folder (other paths
/// the glob meets are skipped), evaluated under each strategy: both must
/// match the one snapshot.
fn snapshot_reports(path: &Path) {
    if !path.is_dir() {
        return;
    }
    for strategy in [Strategy::Fast, Strategy::Reference] {
        let (t, j) = reports(path, strategy);
        insta::assert_snapshot!("text", t);
        insta::assert_snapshot!("json", j);
    }
}

#[test]
fn submissions() {
    insta::glob!("../fixtures/submissions", "?*", snapshot_reports);
}

/// Submissions whose data cannot support a verdict
/// (`fixtures/incomplete/*/`, each with a README saying why): the verdict
/// is 数据不完整，无法判定 (exit 3) in text and JSON, and stays short of a
/// pass when what is there is checked anyway (`--allow-incomplete`).
#[test]
fn incomplete_submissions() {
    insta::glob!("../fixtures/incomplete", "?*", |path| {
        if !path.is_dir() {
            return;
        }
        let pack = pack();
        let loaded = load_submission(&pack.schema, path).unwrap_or_else(|e| {
            panic!(
                "{} does not load: {}",
                path.display(),
                render_plain(&e.diags)
            )
        });
        let sub = &loaded.submission;
        let results = dudao::eval::check(
            pack,
            sub,
            loaded.warnings.clone(),
            &Default::default(),
            &|| {},
        );
        let checked = dudao::report::Checked::new(pack, sub, &results);
        assert_eq!(
            checked.verdict(),
            dudao::report::Verdict::Incomplete,
            "{}",
            path.display()
        );
        assert_eq!(checked.verdict().exit_code(), 3);
        assert!(
            results.report.is_none(),
            "an incomplete submission is not checked"
        );
        let t = text::render(&checked, &text::TextOptions::default());
        let j = json::render(&checked, Lang::Zh);
        assert!(t.contains("结论: 数据不完整，无法判定"), "{t}");
        assert!(j.contains("\"verdict\": \"incomplete\""), "{j}");
        insta::assert_snapshot!("text", redact(pack, &t));
        insta::assert_snapshot!("json", redact(pack, &j));

        let opts = dudao::eval::CheckOptions {
            allow_incomplete: true,
            year: None,
            distributions: false,
            ..Default::default()
        };
        let anyway = dudao::eval::check(pack, sub, loaded.warnings.clone(), &opts, &|| {});
        let checked = dudao::report::Checked::new(pack, sub, &anyway);
        assert!(anyway.report.is_some());
        assert_ne!(
            checked.verdict(),
            dudao::report::Verdict::Pass,
            "{}",
            path.display()
        );
        assert_ne!(checked.verdict().exit_code(), 0);
    });
}

/// The realistic generated districts (`fixtures/generated/*/`): their full
/// reports, so a rule change shows which findings move.
#[test]
fn generated_districts() {
    insta::glob!("../fixtures/generated", "?*", snapshot_reports);
}

/// Every rule of the pack passes somewhere and fails somewhere among the
/// fixture submissions: the compliant generated district passes every rule
/// it applies to (and every rule applies to it), and the planted fixtures
/// together fail every rule.
#[test]
fn every_rule_has_a_passing_and_a_failing_case() {
    let pack = pack();
    let check = |dir: &str| {
        let loaded = load_submission(&pack.schema, &root().join(dir))
            .unwrap_or_else(|e| panic!("{dir} does not load: {}", render_plain(&e.diags)));
        evaluate(pack, &loaded.submission)
    };
    let compliant = check("fixtures/generated/wanzhou-2025-compliant");
    for r in &compliant.results {
        let id = &pack.rules[r.rule].meta.id;
        assert!(r.checks > 0, "{id} has no check on the compliant district");
        assert_eq!(
            (r.failed, r.not_evaluable),
            (0, 0),
            "{id} does not pass on the compliant district"
        );
    }
    let mut failing = std::collections::BTreeSet::new();
    let mut dirs = vec![
        "fixtures/generated/wanzhou-2025".to_string(),
        "fixtures/generated/wanzhou-2020".to_string(),
    ];
    // Every fixture submission (the defect fixtures too), except the
    // compliant small district and its GBK copy.
    let mut subs: Vec<String> = std::fs::read_dir(root().join("fixtures/submissions"))
        .expect("fixtures/submissions")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .map(|p| format!("fixtures/submissions/{}", file_name(&p)))
        .filter(|d| !d.ends_with("/small-district") && !d.ends_with("/small-district-gbk"))
        .collect();
    subs.sort();
    dirs.extend(subs);
    for dir in &dirs {
        for r in &check(dir).results {
            if r.failed > 0 {
                failing.insert(pack.rules[r.rule].meta.id.clone());
            }
        }
    }
    let never: Vec<&str> = pack
        .rules
        .iter()
        .map(|r| r.meta.id.as_str())
        .filter(|id| !failing.contains(*id))
        .collect();
    assert!(never.is_empty(), "rules that fail in no fixture: {never:?}");
}

/// The GBK copy of `small-district` gives the same report: only the submission
/// name differs in the text report (it shows no file hashes); in the JSON
/// only the name and the files' sha256 and note lines.
#[test]
fn gbk_submission_reports_like_utf8() {
    let dir = root().join("fixtures/submissions");
    let (utf8_text, utf8_json) = reports(&dir.join("small-district"), Strategy::Fast);
    let (gbk_text, gbk_json) = reports(&dir.join("small-district-gbk"), Strategy::Fast);

    let text_diff: Vec<(&str, &str)> = utf8_text
        .lines()
        .zip(gbk_text.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(utf8_text.lines().count(), gbk_text.lines().count());
    assert_eq!(
        text_diff,
        vec![("提交:     small-district", "提交:     small-district-gbk")]
    );

    assert_eq!(utf8_json.lines().count(), gbk_json.lines().count());
    let json_diff: Vec<(&str, &str)> = utf8_json
        .lines()
        .zip(gbk_json.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert!(!json_diff.is_empty());
    for (a, b) in &json_diff {
        let a = a.trim_start();
        let b = b.trim_start();
        let allowed = (a == "\"name\": \"small-district\","
            && b == "\"name\": \"small-district-gbk\",")
            || (a.starts_with("\"sha256\": ") && b.starts_with("\"sha256\": "))
            || (a == "\"note\": null" && b.starts_with("\"note\": \""));
        assert!(allowed, "unexpected JSON difference:\n  {a}\n  {b}");
    }
    // Every one of the four files is recorded as decoded from GB18030.
    let notes = json_diff
        .iter()
        .filter(|(_, b)| b.trim_start().starts_with("\"note\""))
        .count();
    assert_eq!(notes, 4, "{json_diff:#?}");
}

/// A rule file of the bundled packs (`national/…`, `rules/…`), named by its
/// file name.
fn pack_file(rel: &str) -> SourceFile {
    let path = root().join(rel);
    let name = file_name(&path);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    SourceFile { name, text }
}

fn text_of(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Every case is run even when an earlier one fails; the failures are
/// reported together at the end (snapshot mismatches are collected by insta).
fn report(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} case(s) failed:\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}

#[test]
fn broken_rules() {
    let mut problems = Vec::new();
    // Seeds are read as for the bundled pack: from the repository, so that
    // a seed that is a folder or not UTF-8 is told apart from a missing one.
    let seeds = dudao::check::SeedRoot::of_pack(&root().join("rules")).expect("rules/");
    insta::glob!("../fixtures/rules-broken", "*.dudao", |path| {
        let name = file_name(path);
        let text = text_of(path);
        if !text.starts_with("# ") {
            problems.push(format!(
                "{name}: the first line must be a comment saying what is wrong"
            ));
        }
        // The fixture's leading comment (the mistake and the diagnostic
        // expected) heads the snapshot, so a reviewer can compare the two.
        let expected: String = text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| l.trim_start_matches('#').trim())
            .collect::<Vec<_>>()
            .join("\n");
        let files = vec![
            pack_file("rules/00-pack.dudao"),
            pack_file("national/00-schema.dudao"),
            pack_file("national/01-documents.dudao"),
            SourceFile {
                name: name.clone(),
                text,
            },
        ];
        let diags = match dudao::check::compile_with_seeds(files, &|s| seeds.read(s)) {
            Ok(pack) => {
                let ids: Vec<&str> = pack.rules.iter().map(|r| r.meta.id.as_str()).collect();
                problems.push(format!(
                    "{name} compiled without an error, but it has a mistake (rules compiled: {ids:?})"
                ));
                return;
            }
            Err(d) => d,
        };
        if !diags.iter().any(|d| d.source_name() == name) {
            problems.push(format!(
                "{name}: no diagnostic points into the broken file:\n{}",
                render_plain(&diags)
            ));
        }
        if !diags.iter().all(|d| d.source_name() == name) {
            problems.push(format!(
                "{name}: a diagnostic points elsewhere than the broken file:\n{}",
                render_plain(&diags)
            ));
        }
        insta::with_settings!({ description => expected, omit_expression => true }, {
            insta::assert_snapshot!(render_plain(&diags));
        });
    });
    report(problems);
}

#[test]
fn data_errors() {
    let mut problems = Vec::new();
    insta::glob!("../fixtures/data-errors", "?*", |path| {
        if !path.is_dir() {
            return;
        }
        let errors = match load_submission(&pack().schema, path) {
            // A folder whose mistakes are only warnings (what was read,
            // what was not) loads: its warnings are what it shows.
            Ok(loaded) if !loaded.warnings.is_empty() => {
                let out = format!("{}loaded\n", render_plain(&loaded.warnings));
                insta::assert_snapshot!(out);
                return;
            }
            Ok(_) => {
                problems.push(format!("{} loaded, but it has mistakes", path.display()));
                return;
            }
            Err(e) => e,
        };
        // Warnings (what was skipped, and why) first, as `check` prints them.
        let out = format!(
            "{}{}more: {}\n",
            render_plain(&errors.warnings),
            render_plain(&errors.diags),
            errors.more
        );
        insta::assert_snapshot!(out);
    });
    report(problems);
}

/// Every fixture folder holds only what the harness reads: the guard against
/// a case silently not running (a misnamed folder, a stray file).
#[test]
fn fixture_folders_are_as_expected() {
    let list = |dir: &str| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .unwrap_or_else(|e| panic!("cannot list {dir}: {e}"))
            .map(|e| e.map(|e| e.path()).unwrap_or_default())
            .collect();
        v.sort();
        v
    };
    for p in list("fixtures/rules-broken") {
        assert_eq!(
            p.extension().and_then(|e| e.to_str()),
            Some("dudao"),
            "{}",
            p.display()
        );
    }
    for p in list("fixtures/data-errors") {
        let script = p.extension().is_some_and(|e| e == "py");
        assert!(p.is_dir() || script, "{} is not a folder", p.display());
    }
    let subs: Vec<String> = list("fixtures/submissions")
        .iter()
        .filter(|p| p.is_dir())
        .map(|p| file_name(p))
        .collect();
    assert!(
        ["small-district", "small-district-gbk", "violations"]
            .iter()
            .all(|s| subs.iter().any(|x| x == s)),
        "{subs:?}"
    );
}

/// `dudao explain` for a few rules of different kinds: a trajectory, an
/// "at least 6 of 7" rule, a class-size rule by category.
#[test]
fn explain_rules() {
    let pack = pack();
    for id in ["A1.03", "B8.小学", "C4.1", "A13.3", "A9"] {
        let text = dudao::report::listing::explain(pack, id)
            .unwrap_or_else(|d| panic!("explain {id}: {}", d.message.zh()));
        insta::assert_snapshot!(format!("explain-{id}"), text);
    }
}

/// The national pack (`national/`: 教督〔2017〕6号, 教督〔2020〕1号,
/// 教职成〔2010〕12号, GB 50099, with the schema and the documents) compiles
/// on its own: what `import national` gives another district's pack. The
/// Wanzhou pack (`rules/`) is the plan on top of it.
#[test]
fn national_pack_compiles_alone() {
    let national_pack = match dudao::check::load_pack(&root().join("national")) {
        Ok(p) => p,
        Err(d) => panic!(
            "the national pack does not compile alone:\n{}",
            render_plain(&d)
        ),
    };
    assert!(national_pack.documents.iter().all(|d| d.id != "plan"));
    assert!(
        national_pack
            .rules
            .iter()
            .all(|r| r.meta.citation.document != "plan")
    );
    // The full pack's rules that do not come from the plan are exactly the
    // national pack's, in the same order, and they come from its files.
    let full = pack();
    let from_national = |r: &&dudao::pack::Rule| {
        full.files
            .get(r.meta.file)
            .is_some_and(|f| f.name.starts_with("../national/"))
    };
    let national_ids: Vec<&str> = full
        .rules
        .iter()
        .filter(|r| r.meta.citation.document != "plan" && !r.meta.id.starts_with('A'))
        .map(|r| r.meta.id.as_str())
        .collect();
    let imported: Vec<&str> = full
        .rules
        .iter()
        .filter(from_national)
        .map(|r| r.meta.id.as_str())
        .collect();
    let ids: Vec<&str> = national_pack
        .rules
        .iter()
        .map(|r| r.meta.id.as_str())
        .collect();
    assert_eq!(ids, national_ids);
    assert_eq!(ids, imported);
    assert_eq!(full.layers.len(), 2, "{:?}", full.layers);
    // The plan pack holds the plan's files only.
    let mut all: Vec<String> = std::fs::read_dir(root().join("rules"))
        .expect("rules/")
        .filter_map(|e| e.ok().map(|e| file_name(&e.path())))
        .filter(|n| n.ends_with(".dudao"))
        .collect();
    all.sort();
    assert_eq!(
        all,
        ["00-pack.dudao", "10-plan.dudao", "90-coverage.dudao"],
        "rule files of rules/ that are not the plan's"
    );
}

/// `fixtures/packs/<case>/`: packs that import others. Each case folder holds
/// `pack/` (the pack asked for, read as `--rules` would) and the folders it
/// imports; its first file's leading comment says what is expected. A pack
/// that does not load snapshots its diagnostics; a pack that loads
/// snapshots its compiler warnings, the header of the text report and the
/// JSON `rule_pack` on `fixtures/submissions/violations`, and `explain` of
/// B11 and B16 (see [`layered_header`]).
#[test]
fn layered_packs() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/packs"))
        .expect("fixtures/packs")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 4, "{cases:?}");
    for case in cases {
        let name = file_name(&case);
        // Relative to the repository (the tests' working folder), so that
        // the snapshots name no machine's folders.
        let pack_dir = PathBuf::from("fixtures/packs").join(&name).join("pack");
        let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(&pack_dir))
            .unwrap_or_else(|e| panic!("{}: {e}", pack_dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        let first = files.first().map(|p| text_of(p)).unwrap_or_default();
        let expected: String = first
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| l.trim_start_matches('#').trim())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(!expected.is_empty(), "{name}: no leading comment");
        let out = match dudao::check::load_packs(&[dudao::check::PackSource::Dir(pack_dir)]) {
            Err(diags) => render_plain(&diags),
            Ok(pack) => layered_header(&pack),
        };
        insta::with_settings!({
            description => expected,
            omit_expression => true,
            snapshot_suffix => name.clone(),
        }, {
            insta::assert_snapshot!("layered", out);
        });
    }
}

/// What a reader sees of a layered pack: its warnings, the text report's
/// header and the JSON `rule_pack` on the `violations` submission, and
/// `explain` of B11 (an overridden parameter) and B16 (disabled).
fn layered_header(pack: &RulePack) -> String {
    let dir = root().join("fixtures/submissions/violations");
    let loaded = load_submission(&pack.schema, &dir).expect("violations loads");
    let sub = &loaded.submission;
    let results = dudao::eval::check(pack, sub, Vec::new(), &Default::default(), &|| {});
    let checked = dudao::report::Checked::new(pack, sub, &results);
    let t = text::render(&checked, &text::TextOptions::default());
    let header: String = t
        .lines()
        .take_while(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    let j: serde_json::Value =
        serde_json::from_str(&json::render(&checked, Lang::Zh)).expect("JSON report");
    let rule_pack = serde_json::to_string_pretty(&j["rule_pack"]).expect("JSON");
    // The HTML header carries the same lines as the text header.
    let html = dudao::report::html::render(&checked, "violations", Lang::Zh);
    for o in &pack.overrides {
        let shown = format!("改定参数：{}：{} → {}", o.name, o.old_value, o.new_value);
        assert!(html.contains(&shown), "HTML header lacks {shown}");
    }
    for d in &pack.disabled {
        let shown = format!("停用规则：{}：{}", d.id, d.reason);
        assert!(html.contains(&shown), "HTML header lacks {shown}");
    }
    let explain = |id: &str| {
        dudao::report::listing::explain(pack, id)
            .unwrap_or_else(|d| panic!("explain {id}: {}", d.message.zh()))
    };
    redact(
        pack,
        &format!(
            "== 编译提示 ==\n{}\n== 文本报告头部 ==\n{header}\n== JSON rule_pack ==\n{rule_pack}\n\n== explain B11 ==\n{}\n== explain B16 ==\n{}",
            render_plain(&pack.warnings),
            explain("B11"),
            explain("B16"),
        ),
    )
}
