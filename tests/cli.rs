//! End-to-end runs of the built `dudao` binary (jaq golden style): one short
//! case per behaviour, each checking the exit code and what was printed.
//! The binary runs with the repository root as its current folder, so the
//! default `--rules rules` is the real rule pack.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `dudao ARGS…` in the repository root.
fn dudao(args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_dudao"))
        .args(args)
        .current_dir(root())
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap_or_else(|e| panic!("cannot run dudao: {e}"));
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Asserts the exit code and that each needle is in stdout (`out:`) or in
/// stderr (`err:`).
macro_rules! golden {
    ($args:expr, $code:expr $(, out: $o:expr)* $(, err: $e:expr)* $(,)?) => {{
        let r = dudao(&$args);
        assert_eq!(
            r.code, $code,
            "dudao {:?} exited {}\n--- stdout\n{}\n--- stderr\n{}",
            $args, r.code, r.stdout, r.stderr
        );
        $(assert!(r.stdout.contains($o), "stdout of dudao {:?} lacks {:?}:\n{}", $args, $o, r.stdout);)*
        $(assert!(r.stderr.contains($e), "stderr of dudao {:?} lacks {:?}:\n{}", $args, $e, r.stderr);)*
        r
    }};
}

#[test]
fn check_compliant_passes() {
    let r = golden!(
        ["check", "fixtures/generated/wanzhou-2025-compliant"],
        0,
        out: "提交:     wanzhou-2025-compliant",
        out: "结论: 通过",
    );
    assert!(!r.stdout.contains('✗'), "{}", r.stdout);
}

#[test]
fn check_violations_fails_with_findings_and_citations() {
    golden!(
        ["check", "fixtures/submissions/violations"],
        1,
        out: "A12",
        // The citation: the document, the clause and the quoted sentence.
        out: "依据: 万州区教育事业发展“十四五”规划 一(一)",
        out: "“初中大班额全部消除”",
        out: "万州区第一小学 3班 (5001020001-03)  班级.csv:14  58 人 ≥ 56 人",
        out: "结论: 未通过",
    );
}

#[test]
fn check_without_a_submission_uses_the_bundled_example() {
    golden!(["check"], 1, out: "提交:     violations");
}

#[test]
fn data_errors_exit_2_naming_file_and_line() {
    golden!(
        ["check", "fixtures/data-errors/bad-cells"],
        2,
        err: "dudao::data::bad_number",
        err: "学校.csv:6:",
        err: "`一百` 不是整数",
        err: "教师.csv:25:",
        err: "could not load the submission `bad-cells` (4 error(s))",
    );
    golden!(
        ["check", "fixtures/does-not-exist"],
        2,
        err: "提交数据的文件夹 `fixtures/does-not-exist` 不存在",
    );
}

/// A rule pack folder made in the temp dir: the pack's schema and documents,
/// its seeds, and one broken rule file.
struct TempPack(PathBuf);

impl TempPack {
    fn new(tag: &str, broken: &str) -> TempPack {
        let dir = std::env::temp_dir().join(format!("dudao-cli-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let copy = |from: &Path, to: &Path| {
            std::fs::copy(from, to)
                .unwrap_or_else(|e| panic!("cannot copy {}: {e}", from.display()));
        };
        std::fs::create_dir_all(dir.join("seeds")).unwrap_or_else(|e| panic!("{e}"));
        for f in ["00-schema.dudao", "01-documents.dudao"] {
            copy(&root().join("rules").join(f), &dir.join(f));
        }
        for e in std::fs::read_dir(root().join("seeds")).unwrap_or_else(|e| panic!("{e}")) {
            let p = e.unwrap_or_else(|e| panic!("{e}")).path();
            copy(
                &p,
                &dir.join("seeds").join(p.file_name().unwrap_or_default()),
            );
        }
        copy(
            &root().join("fixtures/rules-broken").join(broken),
            &dir.join(broken),
        );
        TempPack(dir)
    }

    fn path(&self) -> &str {
        self.0
            .to_str()
            .unwrap_or_else(|| panic!("not UTF-8: {}", self.0.display()))
    }
}

impl Drop for TempPack {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn broken_rule_pack_exits_2() {
    let pack = TempPack::new("broken", "unknown-column.dudao");
    golden!(
        ["check", "--rules", pack.path(), "fixtures/submissions/small-district"],
        2,
        err: "dudao::check::unknown_name",
        err: "unknown-column.dudao:7:10",
        err: "did you mean `students`?",
        err: "has 1 error(s)",
    );
    // `rules` and `explain` load the pack too.
    golden!(["rules", "--rules", pack.path()], 2, err: "unknown-column.dudao");
    golden!(["explain", "X1", "--rules", pack.path()], 2, err: "unknown-column.dudao");
}

#[test]
fn json_report_has_the_documented_keys() {
    let r = golden!(
        [
            "check",
            "--format",
            "json",
            "fixtures/submissions/violations"
        ],
        1
    );
    let v: serde_json::Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}:\n{}", r.stdout));
    let keys: Vec<&str> = v
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let mut expected = vec![
        "engine",
        "rule_pack",
        "submission",
        "summary",
        "rules",
        "findings",
    ];
    expected.sort_unstable();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, expected);
    assert_eq!(v["engine"]["name"], "dudao");
    assert_eq!(v["submission"]["name"], "violations");
    assert_eq!(v["submission"]["report_year"], 2025);
    assert_eq!(v["summary"]["verdict"], "fail");
    assert_eq!(v["rule_pack"]["hash"].as_str().map(str::len), Some(64));
    let a12: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .map(|f| f.iter().filter(|f| f["rule"] == "A12").collect())
        .unwrap_or_default();
    assert_eq!(a12.len(), 2);
    assert_eq!(a12[0]["entity"]["key"], "5001020001-03");
    assert_eq!(a12[0]["actual"]["value"], 58);
    assert_eq!(a12[0]["op"], "<");
    assert_eq!(a12[0]["threshold"]["value"], 56);
}

#[test]
fn two_submissions_print_a_batch_summary() {
    golden!(
        [
            "check",
            "fixtures/submissions/small-district",
            "fixtures/submissions/violations"
        ],
        1,
        out: "提交:     small-district",
        out: "提交:     violations",
        out: "排名",
        out: "共 2 份提交",
    );
}

#[test]
fn rules_lists_every_rule() {
    let pack = dudao::check::load_pack(&root().join("rules"))
        .unwrap_or_else(|d| panic!("{}", dudao::diag::render_plain(&d)));
    let r = golden!(["rules"], 0);
    let listed: Vec<&str> = r
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    for rule in &pack.rules {
        assert!(
            listed.contains(&rule.meta.id.as_str()),
            "{} is not listed:\n{}",
            rule.meta.id,
            r.stdout
        );
    }
    assert!(r.stdout.contains(&format!("{} 条规则", pack.rules.len())));
}

#[test]
fn explain_shows_the_quoted_sentence() {
    golden!(
        ["explain", "A2.2"],
        0,
        out: "A2.2  公办园在园幼儿占比不低于55%",
        out: "原文  “到2025年实现公办园数量在全区幼儿园数量的占比以及公办园在园生源数量占比均不低于55%目标”",
        // The sentence in its context in the plan, marked with 【】.
        out: "【到2025年实现公办园数量在全区幼儿园数",
        out: "public_kg_min = 55%",
    );
}

#[test]
fn explain_unknown_rule_exits_2() {
    golden!(
        ["explain", "NOPE"],
        2,
        err: "no rule `NOPE` in the rule pack",
        err: "`dudao rules` lists every rule",
    );
    golden!(["explain", "B111"], 2, err: "did you mean `B11`?");
}

#[test]
fn help_for_every_subcommand() {
    golden!(["--help"], 0, out: "Usage: dudao", out: "check", out: "rules", out: "explain");
    golden!(["check", "--help"], 0, out: "Usage: dudao check", out: "--format", out: "--rules");
    golden!(["rules", "--help"], 0, out: "Usage: dudao rules", out: "--rules");
    golden!(["explain", "--help"], 0, out: "Usage: dudao explain", out: "<RULE>");
    golden!(["nonsense"], 2, err: "unrecognized subcommand");
}
