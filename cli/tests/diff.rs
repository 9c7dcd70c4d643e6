//! `dudao diff`, end to end: the built binary on the report pairs of
//! `fixtures/diff/` (made by the binary from fixture submissions, see its
//! README), on submissions under two rule packs, and on two submissions of
//! one district. Text and JSON are snapshots (reviewed line by line); the
//! three forms are checked to agree with each other; the findings' order
//! does not matter; exit codes 0, 1, 2; and every error a user can make is
//! a diagnostic with its code.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// The workspace root (rules/, national/, fixtures/), above this crate.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|d| d.join("rules").is_dir() && d.join("Cargo.lock").is_file())
        .unwrap_or_else(|| panic!("no workspace root above {}", env!("CARGO_MANIFEST_DIR")))
}

/// Runs `dudao ARGS…` in `dir`, with no language or rule pack from the
/// environment.
fn dudao_in(dir: &Path, args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_dudao"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .env_remove("DUDAO_RULES")
        .env_remove("DUDAO_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env_remove("NO_COLOR")
        .output()
        .unwrap_or_else(|e| panic!("cannot run dudao: {e}"));
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn dudao(args: &[&str]) -> Out {
    dudao_in(root(), args)
}

/// Runs and checks the exit code, showing everything when it differs.
fn expect(args: &[&str], code: i32) -> Out {
    let r = dudao(args);
    assert_eq!(
        r.code, code,
        "dudao {args:?} exited {}\n--- stdout\n{}\n--- stderr\n{}",
        r.code, r.stdout, r.stderr
    );
    r
}

/// A fresh empty folder under the target folder.
fn temp_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Rule pack hashes (the 64 hex digits, and their first 12 as the text
/// shows them) replaced, for snapshots of reports made from the current
/// rule pack, which change with every edit of `rules/`.
fn redact(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() == 64 || run.len() == 12 {
            out.push_str("[pack-hash]");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in s.chars() {
        if c.is_ascii_hexdigit() && !c.is_ascii_uppercase() {
            run.push(c);
        } else {
            if c.is_alphanumeric() || c == '_' {
                // Part of a longer word: not a hash.
                out.push_str(&run);
                run.clear();
            } else {
                flush(&mut run, &mut out);
            }
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The comparison's JSON without the two `source` fields (which name the
/// files or packs given, and so differ between the forms).
fn without_sources(json: &str) -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}:\n{json}"));
    for side in ["old", "new"] {
        if let Some(s) = v.get_mut(side).and_then(|s| s.as_object_mut()) {
            s.remove("source");
        }
    }
    v
}

const CLASS_OLD: &str = "fixtures/diff/class-max/old.json";
const CLASS_NEW: &str = "fixtures/diff/class-max/new.json";
const WANZHOU_OLD: &str = "fixtures/diff/wanzhou/old.json";
const WANZHOU_NEW: &str = "fixtures/diff/wanzhou/new.json";
const CLASS_MAX_PACK: &str = "fixtures/diff/rules-class-max";

// ── the reports of fixtures/diff ────────────────────────────────────────

#[test]
fn class_max_42_48_text() {
    let r = expect(&["diff", CLASS_OLD, CLASS_NEW], 1);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    insta::assert_snapshot!("class_max_text", r.stdout);
}

#[test]
fn class_max_42_48_json() {
    let r = expect(&["diff", "--format", "json", CLASS_OLD, CLASS_NEW], 1);
    insta::assert_snapshot!("class_max_json", r.stdout);
}

#[test]
fn wanzhou_2020_to_2025_text() {
    let r = expect(&["diff", WANZHOU_OLD, WANZHOU_NEW], 1);
    insta::assert_snapshot!("wanzhou_text", r.stdout);
}

#[test]
fn long_lists_are_capped_with_full_counts() {
    let r = expect(
        &["diff", "--max-per-rule", "2", WANZHOU_OLD, WANZHOU_NEW],
        1,
    );
    // A6.2 adds 7 findings: 2 listed, then the count of the rest.
    assert!(r.stdout.contains("A6.2"), "{}", r.stdout);
    assert!(r.stdout.contains("  新增（7 条）\n"), "{}", r.stdout);
    assert!(r.stdout.contains("… 另有 5 条（共 7 条）"), "{}", r.stdout);
    // The totals are whole whatever the cap.
    let full = expect(&["diff", WANZHOU_OLD, WANZHOU_NEW], 1);
    let last = |s: &str| s.lines().last().map(str::to_string);
    assert_eq!(last(&r.stdout), last(&full.stdout));
}

#[test]
fn english_words() {
    let r = expect(&["diff", "--lang", "en", CLASS_OLD, CLASS_NEW], 1);
    assert!(r.stdout.contains("added (1)"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("result: changed — added 1, changed 4, unchanged 71, in 1 rule(s)"),
        "{}",
        r.stdout
    );
}

// ── exit codes ──────────────────────────────────────────────────────────

#[test]
fn exit_0_when_nothing_changed() {
    let r = expect(&["diff", CLASS_OLD, CLASS_OLD], 0);
    assert!(
        r.stdout.contains("结论: 无变化（未变 75 条）"),
        "{}",
        r.stdout
    );
    let r = expect(&["diff", "--format", "json", CLASS_OLD, CLASS_OLD], 0);
    let v = without_sources(&r.stdout);
    assert_eq!(v["summary"]["differ"], false);
    assert_eq!(v["summary"]["exit_code"], 0);
}

#[test]
fn exit_1_when_something_changed_exit_2_on_errors() {
    expect(&["diff", CLASS_OLD, CLASS_NEW], 1);
    expect(&["diff", "fixtures/diff/bad/truncated.json", CLASS_NEW], 2);
    expect(&["diff", CLASS_OLD], 2);
}

// ── order, and the three forms agree ────────────────────────────────────

/// The findings of a report (and of each report of a batch) in another order.
fn shuffled(json: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(json).expect("a report");
    fn shuffle(report: &mut serde_json::Value) {
        if let Some(fs) = report.get_mut("findings").and_then(|f| f.as_array_mut()) {
            // Reversed, then every other one moved to the end: no finding
            // keeps its neighbours.
            fs.reverse();
            let (even, odd): (Vec<_>, Vec<_>) = std::mem::take(fs)
                .into_iter()
                .enumerate()
                .partition(|(i, _)| i % 2 == 0);
            fs.extend(even.into_iter().chain(odd).map(|(_, f)| f));
        }
    }
    shuffle(&mut v);
    if let Some(subs) = v.get_mut("submissions").and_then(|s| s.as_array_mut()) {
        for s in subs {
            if let Some(r) = s.get_mut("report") {
                shuffle(r);
            }
        }
    }
    serde_json::to_string_pretty(&v).expect("JSON")
}

#[test]
fn the_order_of_the_findings_does_not_matter() {
    let dir = temp_dir("diff-shuffled");
    let new = read(&root().join(CLASS_NEW));
    let mixed = shuffled(&new);
    assert_ne!(mixed, new, "the shuffle moved nothing");
    write(&dir.join("new.json"), &new);
    write(&dir.join("shuffled.json"), &mixed);
    write(
        &dir.join("old.json"),
        &shuffled(&read(&root().join(CLASS_OLD))),
    );
    // A report against itself shuffled: no change.
    let r = dudao_in(&dir, &["diff", "new.json", "shuffled.json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("结论: 无变化"), "{}", r.stdout);
    // The same comparison, whatever the order on either side.
    let plain = dudao(&["diff", "--format", "json", CLASS_OLD, CLASS_NEW]);
    let mixed = dudao_in(
        &dir,
        &["diff", "--format", "json", "old.json", "shuffled.json"],
    );
    assert_eq!(mixed.code, 1);
    assert_eq!(
        without_sources(&plain.stdout),
        without_sources(&mixed.stdout)
    );
}

/// Writes `dudao check --format json` of `args` (run in the repository
/// root) to `file`.
fn check_json(args: &[&str], file: &Path) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let r = dudao(&all);
    assert!(
        r.code == 0 || r.code == 1,
        "dudao {all:?}: {}\n{}",
        r.code,
        r.stderr
    );
    write(file, &r.stdout);
}

#[test]
fn two_rule_packs_in_process_as_from_report_files() {
    let dir = temp_dir("diff-packs");
    let subs = [
        "fixtures/submissions/violations",
        "fixtures/submissions/small-district",
    ];
    let (old, new) = (dir.join("old.json"), dir.join("new.json"));
    check_json(&subs, &old);
    let mut args = vec!["--rules", CLASS_MAX_PACK];
    args.extend_from_slice(&subs);
    check_json(&args, &new);
    let (old, new) = (old.display().to_string(), new.display().to_string());
    let files = expect(&["diff", "--format", "json", &old, &new], 1);
    let mut args = vec![
        "diff",
        "--format",
        "json",
        "--old-rules",
        "rules",
        "--new-rules",
        CLASS_MAX_PACK,
    ];
    args.extend_from_slice(&subs);
    let packs = expect(&args, 1);
    assert_eq!(
        without_sources(&files.stdout),
        without_sources(&packs.stdout)
    );
    // A batch: keyed by label, the years as they are.
    let v = without_sources(&packs.stdout);
    assert_eq!(v["kind"], "rules");
    assert_eq!(v["years"], "year");
    assert_eq!(v["new"]["submissions"][1]["label"], "small-district");

    args[2] = "text";
    let text = expect(&args, 1);
    insta::assert_snapshot!("packs_batch_text", redact(&text.stdout));
}

#[test]
fn one_submission_under_two_packs_is_the_fixture_pair() {
    // The pair in fixtures/diff/class-max was made this way: the same
    // comparison, as long as the rules have not changed since (the hashes
    // are left out: they name the rules of the day).
    let r = expect(
        &[
            "diff",
            "--format",
            "json",
            "--old-rules",
            "rules",
            "--new-rules",
            CLASS_MAX_PACK,
            "fixtures/submissions/violations",
        ],
        1,
    );
    let files = expect(&["diff", "--format", "json", CLASS_OLD, CLASS_NEW], 1);
    let strip = |mut v: serde_json::Value| {
        for side in ["old", "new"] {
            if let Some(s) = v.get_mut(side).and_then(|s| s.as_object_mut()) {
                s.remove("rule_pack");
            }
        }
        v
    };
    let (a, b) = (
        strip(without_sources(&r.stdout)),
        strip(without_sources(&files.stdout)),
    );
    assert_eq!(a["summary"], b["summary"]);
    assert_eq!(a["rules"], b["rules"]);
    // The stale title of B11 is said on stderr, once.
    assert_eq!(
        r.stderr.matches("dudao::check::stale_words").count(),
        1,
        "{}",
        r.stderr
    );
}

#[test]
fn two_submissions_of_one_district_in_process_as_from_report_files() {
    let dir = temp_dir("diff-district");
    let (old, new) = (dir.join("old.json"), dir.join("new.json"));
    check_json(&["fixtures/generated/wanzhou-2020"], &old);
    check_json(&["fixtures/generated/wanzhou-2025"], &new);
    let (old, new) = (old.display().to_string(), new.display().to_string());
    let files = expect(&["diff", "--format", "json", &old, &new], 1);
    let subs = expect(
        &[
            "diff",
            "--format",
            "json",
            "fixtures/generated/wanzhou-2020",
            "fixtures/generated/wanzhou-2025",
        ],
        1,
    );
    assert_eq!(
        without_sources(&files.stdout),
        without_sources(&subs.stdout)
    );
    let v = without_sources(&subs.stdout);
    assert_eq!(v["kind"], "submissions");
    assert_eq!(v["years"], "from_report_year");
    // 2020's finding of a school lines up with 2025's: 仍存在, not removed
    // and added again.
    assert!(v["summary"]["persisting"].as_u64().is_some_and(|n| n > 0));
    let text = expect(
        &[
            "diff",
            "fixtures/generated/wanzhou-2020",
            "fixtures/generated/wanzhou-2025",
        ],
        1,
    );
    assert!(
        text.stdout
            .contains("= 2020 → 2025  万州区李河中心小学 (5001010254)  4.05 m²/人 < 4.5 m²/人"),
        "{}",
        text.stdout
    );
}

// ── errors ──────────────────────────────────────────────────────────────

/// The stderr of a failing run, for a snapshot.
fn error_of(args: &[&str]) -> String {
    let r = expect(args, 2);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    r.stderr
}

#[test]
fn a_broken_report_is_named_with_its_place() {
    insta::assert_snapshot!(
        "bad_truncated",
        error_of(&["diff", "fixtures/diff/bad/truncated.json", CLASS_NEW])
    );
    insta::assert_snapshot!(
        "bad_not_a_report",
        error_of(&["diff", CLASS_OLD, "fixtures/diff/bad/not-a-report.json"])
    );
    insta::assert_snapshot!(
        "bad_rules_failed",
        error_of(&["diff", "fixtures/diff/bad/rules-failed.json", CLASS_NEW])
    );
    // Both files' errors, not only the first.
    let both = error_of(&[
        "diff",
        "fixtures/diff/bad/truncated.json",
        "fixtures/diff/bad/no-such-file.json",
    ]);
    assert_eq!(both.matches("dudao::diff::bad_report").count(), 2, "{both}");
    assert!(both.contains("文件不存在"), "{both}");
}

#[test]
fn mixed_forms_are_refused_in_chinese() {
    insta::assert_snapshot!(
        "mixed_json_and_folder",
        error_of(&["diff", CLASS_OLD, "fixtures/submissions/violations"])
    );
    for (args, words) in [
        (vec!["diff", CLASS_OLD], "需要两份报告（旧、新），给了 1 份"),
        (
            vec!["diff", "--rules", "rules", CLASS_OLD, CLASS_NEW],
            "比较两份报告时不需要规则包",
        ),
        (
            vec!["diff", "--allow-incomplete", CLASS_OLD, CLASS_NEW],
            "比较两份报告时 --allow-incomplete 不起作用",
        ),
        (
            vec![
                "diff",
                "--old-rules",
                "rules",
                "fixtures/submissions/violations",
            ],
            "给了 --old-rules，缺少 --new-rules",
        ),
        (
            vec!["diff", "--old-rules", "rules", "--new-rules", "rules"],
            "没有给出要用新旧规则检查的报送数据",
        ),
        (
            vec!["diff", "fixtures/submissions/violations"],
            "需要同一区县的两份报送数据（旧、新），给了 1 份",
        ),
    ] {
        let e = error_of(&args);
        assert!(e.contains("dudao::diff::mixed_inputs"), "{args:?}: {e}");
        assert!(e.contains(words), "{args:?}: {e}");
    }
}

#[test]
fn a_single_report_against_a_batch_is_refused() {
    let dir = temp_dir("diff-mixed-reports");
    check_json(
        &[
            "fixtures/submissions/violations",
            "fixtures/submissions/small-district",
        ],
        &dir.join("batch.json"),
    );
    write(&dir.join("one.json"), &read(&root().join(CLASS_OLD)));
    let r = dudao_in(&dir, &["diff", "one.json", "batch.json"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    insta::assert_snapshot!("mixed_reports", r.stderr);
}

#[test]
fn incomplete_data_is_not_compared() {
    let r = expect(
        &[
            "diff",
            "fixtures/incomplete/no-district-file",
            "fixtures/submissions/violations",
        ],
        2,
    );
    // Not "every finding is new": the old side was never checked.
    assert!(!r.stdout.contains("新增"), "{}", r.stdout);
    insta::assert_snapshot!(
        "not_comparable",
        format!("{}\n--- stdout\n{}", r.stderr, redact(&r.stdout))
    );
}
