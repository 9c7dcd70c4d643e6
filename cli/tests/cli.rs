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

/// The workspace root (rules/, national/, fixtures/), above this crate.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|d| d.join("rules").is_dir() && d.join("Cargo.lock").is_file())
        .unwrap_or_else(|| panic!("no workspace root above {}", env!("CARGO_MANIFEST_DIR")))
}

/// Runs `dudao ARGS…` in the repository root.
fn dudao(args: &[&str]) -> Out {
    dudao_in(root(), args)
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
        out: "依据: 国务院关于统筹推进县域内城乡义务教育一体化改革发展的若干意见（国发〔2016〕40号）",
        out: "“到2020年基本消除56人以上大班额”",
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
        err: "报送数据 `bad-cells` 无法读取（4 个错误）",
    );
    golden!(
        ["check", "fixtures/does-not-exist"],
        2,
        err: "提交数据的文件夹 `fixtures/does-not-exist` 不存在",
        err: "dudao::data::not_found",
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
            copy(&root().join("national").join(f), &dir.join(f));
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
        err: "是不是 `students`？",
        err: "有 1 个错误，无法检查",
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
        "status",
        "engine",
        "rule_pack",
        "submission",
        "summary",
        "completeness",
        "warnings",
        "rules",
        "findings",
        "values",
    ];
    expected.sort_unstable();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, expected);
    assert_eq!(v["engine"]["name"], "dudao");
    assert_eq!(v["submission"]["name"], "violations");
    assert_eq!(v["submission"]["report_year"], 2025);
    assert_eq!(v["summary"]["verdict"], "fail");
    assert_eq!(v["summary"]["exit_code"], 1);
    assert_eq!(v["status"], "loaded");
    assert_eq!(v["completeness"]["complete"], true);
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
        err: "规则包中没有规则 `NOPE`",
        err: "`dudao rules` 列出全部规则",
    );
    golden!(["explain", "B111"], 2, err: "是否想查 `B11`？");
}

#[test]
fn help_for_every_subcommand() {
    golden!(["--help"], 0, out: "用法: dudao", out: "check", out: "rules", out: "explain");
    golden!(["check", "--help"], 0, out: "用法: dudao check", out: "--format", out: "--rules", out: "退出码");
    golden!(["rules", "--help"], 0, out: "用法: dudao rules", out: "--rules");
    golden!(["explain", "--help"], 0, out: "用法: dudao explain", out: "<规则编号>");
    golden!(["test", "--help"], 0, out: "用法: dudao test", out: "[用例]", out: "--accept", out: "--coverage");
    golden!(["nonsense"], 2, err: "未知的命令 `nonsense`");
    golden!(["chek"], 2, err: "是否想用 `check`？");
    golden!(["check", "--frob"], 2, err: "未知的选项 `--frob`", err: "用法: dudao check");
    golden!(["check", "--format", "pdf"], 2, err: "`pdf` 不是 --format <格式> 的有效取值", err: "可选：text、json");
    // English on request.
    golden!(["--lang", "en", "--help"], 0, out: "Usage: dudao", out: "Commands:");
    golden!(["--lang", "en", "nonsense"], 2, err: "unrecognized subcommand");
    golden!(["--lang", "xx", "rules"], 2, err: "不是支持的语言");
}

// ------------------------------------------------------------- verdicts

/// The empty template of the current schema (`dudao template --format csv`),
/// written to a fresh temp folder.
fn temp_template(tag: &str) -> String {
    let dir = std::env::temp_dir().join(format!("dudao-cli-template-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.display().to_string();
    golden!(["template", "--format", "csv", &d], 0);
    d
}

#[test]
fn incomplete_data_is_never_a_pass() {
    let template = temp_template("verdict");
    for dir in [
        "fixtures/incomplete/empty-folder",
        template.as_str(),
        "fixtures/incomplete/district-header-only",
        "fixtures/incomplete/report-year-2025-missing",
    ] {
        golden!(
            ["check", dir],
            3,
            out: "结论: 数据不完整，无法判定",
            out: "数据完整性",
        );
        let r = golden!(["check", "--format", "json", dir], 3);
        let v: serde_json::Value =
            serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}:\n{}", r.stdout));
        assert_eq!(v["summary"]["verdict"], "incomplete", "{dir}");
        assert_eq!(v["status"], "incomplete", "{dir}");
        assert_eq!(v["completeness"]["complete"], false, "{dir}");
        assert_eq!(v["summary"]["exit_code"], 3, "{dir}");
    }
    let _ = std::fs::remove_dir_all(&template);
    // Warnings are on stderr in every format, and in the JSON.
    let r = golden!(
        ["check", "--format", "json", "fixtures/incomplete/unknown-extra-file"],
        3,
        err: "dudao::data::unknown_file",
        err: "学生.csv",
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["warnings"][0]["code"], "dudao::data::unknown_file");
    assert_eq!(
        v["completeness"]["unmatched_inputs"][0]["code"],
        "dudao::data::unknown_file"
    );
}

#[test]
fn checking_what_is_there_says_so() {
    // No binding failure among what is there: still not a pass.
    golden!(
        ["check", "--allow-incomplete", "fixtures/incomplete/unknown-extra-file"],
        1,
        out: "结论: 未通过 — ",
        out: "项约束性指标未达标（数据不完整，仅检查了已有数据）",
    );
    let template = temp_template("allow");
    golden!(
        ["check", "--allow-incomplete", &template],
        3,
        out: "结论: 数据不完整，无法判定 — ",
    );
    let _ = std::fs::remove_dir_all(&template);
}

#[test]
fn the_report_year_can_be_given() {
    golden!(
        ["check", "--year", "2024", "fixtures/incomplete/report-year-2025-missing"],
        1,
        out: "报告年度: 2024",
        out: "结论: 未通过",
    );
    golden!(
        ["check", "--year", "2026", "fixtures/submissions/violations"],
        3,
        out: "报告年度为 2026 年（--year），但数据中最新的年份是 2025 年",
    );
}

#[test]
fn a_folder_of_submissions_is_not_one_submission() {
    golden!(
        ["check", "fixtures/incomplete"],
        3,
        out: "结论: 数据不完整，无法判定",
        err: "dudao::cli::nested_submissions",
    );
}

#[test]
fn a_json_batch_is_one_document_with_every_submission() {
    let r = golden!(
        [
            "check",
            "--format",
            "json",
            "fixtures/submissions/violations",
            "fixtures/does-not-exist",
            "fixtures/incomplete/empty-folder",
        ],
        2,
        err: "dudao::data::not_found",
    );
    let v: serde_json::Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}:\n{}", r.stdout));
    let subs = v["submissions"].as_array().cloned().unwrap_or_default();
    let got: Vec<(String, String, i64)> = subs
        .iter()
        .map(|s| {
            (
                s["label"].as_str().unwrap_or_default().to_string(),
                s["status"].as_str().unwrap_or_default().to_string(),
                s["exit_code"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("submissions/violations".into(), "loaded".into(), 1),
            ("does-not-exist".into(), "failed_to_load".into(), 2),
            ("incomplete/empty-folder".into(), "incomplete".into(), 3),
        ]
    );
    assert_eq!(subs[0]["report"]["summary"]["verdict"], "fail");
    assert!(subs[1]["report"].is_null());
    assert_eq!(subs[1]["errors"][0]["code"], "dudao::data::not_found");
    assert_eq!(v["summary"]["exit_code"], 2);
    assert_eq!(v["summary"]["failed_to_load"], 1);
}

#[test]
fn namesakes_in_a_batch_are_told_apart() {
    let dir = std::env::temp_dir().join(format!("dudao-cli-labels-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for district in ["万州区", "开州区"] {
        let to = dir.join(district).join("2025");
        std::fs::create_dir_all(&to).unwrap_or_else(|e| panic!("{e}"));
        for f in ["学校.csv", "班级.csv", "教师.csv", "区县.csv"] {
            std::fs::copy(
                root().join("fixtures/submissions/violations").join(f),
                to.join(f),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        }
    }
    let a = dir.join("万州区/2025").display().to_string();
    let b = dir.join("开州区/2025").display().to_string();
    golden!(
        ["check", &a, &b],
        1,
        out: "万州区/2025",
        out: "开州区/2025",
        out: "共 2 份提交：2 份未通过",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_failed_write_is_an_error() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(env!("CARGO_BIN_EXE_dudao"))
        .args([
            "check",
            "--format",
            "json",
            "fixtures/submissions/violations",
        ])
        .current_dir(root())
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("DUDAO_LANG")
        .stdout(file)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("dudao::cli::write_failed"), "{stderr}");
    assert!(stderr.contains("无法写出结果（标准输出）"), "{stderr}");
}

#[test]
fn english_on_request() {
    golden!(
        ["--lang", "en", "check", "fixtures/incomplete/empty-folder"],
        3,
        out: "Verdict: incomplete data, no verdict",
        out: "missing table 学校 (schools)",
    );
}

#[test]
fn input_text_reaches_the_terminal_escaped() {
    let raw = |s: &str| s.contains('\x1b') || s.contains('\u{7}') || s.contains('\u{202E}');
    // A rule title with a window-title sequence and a right-to-left override.
    let pack = TempPack::new("escape", "unknown-column.dudao");
    let _ = std::fs::remove_file(pack.0.join("unknown-column.dudao"));
    std::fs::write(
        pack.0.join("10-x.dudao"),
        "rule X1 \"标题\x1b]0;pwned\x07\u{202E}cod\" {\n  severity info\n  cite youzhi clause \"一\"\n  for each schools\n  assert students >= 0\n}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let r = golden!(["rules", "--rules", pack.path()], 0, out: "X1");
    assert!(!raw(&r.stdout), "{:?}", r.stdout);
    assert!(
        r.stdout.contains("\\x1B]0;pwned\\x07\\u{202E}cod"),
        "{}",
        r.stdout
    );
    let r = golden!(["explain", "X1", "--rules", pack.path()], 0);
    assert!(!raw(&r.stdout), "{:?}", r.stdout);

    // A school name, and a file name, with escape sequences.
    let dir = std::env::temp_dir().join(format!("dudao-cli-esc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let from = root().join("fixtures/submissions/violations");
    for f in ["班级.csv", "教师.csv", "区县.csv"] {
        std::fs::copy(from.join(f), dir.join(f)).unwrap_or_else(|e| panic!("{e}"));
    }
    let schools = std::fs::read_to_string(from.join("学校.csv")).unwrap_or_else(|e| panic!("{e}"));
    let schools = schools.replacen("万州区第一小学", "万州区\x1b[2J第一\u{202E}小学", 1);
    std::fs::write(dir.join("学校.csv"), schools).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("x\x1b[31m.csv"), "a\n1\n").unwrap_or_else(|e| panic!("{e}"));
    let d = dir.display().to_string();
    let r = golden!(["check", "--allow-incomplete", &d], 1, out: "万州区\\x1B[2J第一\\u{202E}小学");
    assert!(!raw(&r.stdout), "{:?}", r.stdout);
    assert!(!raw(&r.stderr), "{:?}", r.stderr);
    let r = golden!(["check", "--format", "json", "--allow-incomplete", &d], 1);
    assert!(!raw(&r.stdout) && !raw(&r.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_workbook_whose_sheets_match_no_table_is_incomplete() {
    let dir = std::env::temp_dir().join(format!("dudao-cli-book-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join("报表.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Sheet1").unwrap_or_else(|e| panic!("{e}"));
    sheet
        .write_string(0, 0, "学校标识码")
        .unwrap_or_else(|e| panic!("{e}"));
    sheet
        .write_string(1, 0, "5001010001")
        .unwrap_or_else(|e| panic!("{e}"));
    book.save(&path).unwrap_or_else(|e| panic!("{e}"));
    let p = path.display().to_string();
    golden!(
        ["check", &p],
        3,
        out: "结论: 数据不完整，无法判定",
        err: "dudao::data::unknown_sheet",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `dudao ARGS…` in `dir`, with no `DUDAO_RULES` and the default
/// language (messages follow the locale; the tests read Chinese).
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
        .output()
        .unwrap_or_else(|e| panic!("cannot run dudao: {e}"));
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A fresh empty folder under the target folder (no `rules/`, no `dudao.toml`
/// above it that a test wrote).
fn empty_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

/// With only the binary (no `rules/` in the folder), `dudao check` uses the
/// pack built into it, and finds exactly what the bundled `rules/` finds.
#[test]
fn embedded_pack_is_the_bundled_pack() {
    let dir = empty_dir("embedded-pack");
    let sub = root().join("fixtures/submissions/violations");
    let sub = sub.to_string_lossy();
    let embedded = dudao_in(&dir, &["check", "--format", "json", &sub]);
    let from_folder = dudao(&["check", "--format", "json", "--rules", "rules", &sub]);
    assert_eq!(embedded.code, 1, "{}", embedded.stderr);
    assert_eq!(from_folder.code, 1, "{}", from_folder.stderr);
    assert_eq!(embedded.stdout, from_folder.stdout);
    // `--version` names both embedded packs; the default one (the Wanzhou
    // plan on the national pack) with the hash the report gives for `rules/`.
    let version = dudao_in(&dir, &["--version"]);
    assert_eq!(version.code, 0);
    let v: serde_json::Value = serde_json::from_str(&from_folder.stdout).expect("JSON report");
    let hash = v["rule_pack"]["hash"].as_str().unwrap_or_default();
    assert_eq!(hash.len(), 64, "{}", from_folder.stdout);
    assert!(
        version.stdout.contains(&format!("wanzhou {}", &hash[..12])),
        "{}",
        version.stdout
    );
    assert!(version.stdout.contains("national "), "{}", version.stdout);
    // The national pack alone, as `import national` gives it: no plan rule.
    let national = dudao_in(
        &dir,
        &[
            "rules",
            "--rules",
            &root().join("national").to_string_lossy(),
        ],
    );
    assert_eq!(national.code, 0, "{}", national.stderr);
    assert!(national.stdout.contains("B8.小学"), "{}", national.stdout);
    assert!(!national.stdout.contains("A1.01"), "{}", national.stdout);
}

/// A local pack layered on the built-in one: `import national`, an override
/// of the class limit and a disabled rule. B11 then fails where a class has
/// 43–45 students, the stale title is warned about, and an override of a
/// name that does not exist is an error with a suggestion.
#[test]
fn layered_pack_overrides_and_disables() {
    let dir = empty_dir("layered-pack");
    let pack = dir.join("local");
    std::fs::create_dir_all(&pack).unwrap_or_else(|e| panic!("{e}"));
    let write = |text: &str| {
        std::fs::write(pack.join("local.dudao"), text).unwrap_or_else(|e| panic!("{e}"))
    };
    write(
        "import national\n\n# 本省规定班额为 42/48 人\noverride param class_max = { 小学: 42, 初中: 48 } 人\ndisable rule B16 \"本省另行规定\"\n",
    );
    let sub = root().join("fixtures/submissions/violations");
    let sub = sub.to_string_lossy();
    let rules = pack.to_string_lossy();
    let out = dudao_in(
        &dir,
        &["check", "--format", "json", "--rules", &rules, &sub],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("dudao::check::stale_words"),
        "{}",
        out.stderr
    );
    let base = dudao(&["check", "--format", "json", &sub]);
    assert_ne!(out.stdout, base.stdout, "the override changed nothing");
    assert!(
        base.stdout.contains("\"id\": \"B16\""),
        "B16 is in the bundled pack"
    );
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON report");
    let ids: Vec<&str> = v["rules"]
        .as_array()
        .map(|rs| rs.iter().filter_map(|r| r["id"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        ids.contains(&"B11") && !ids.contains(&"B16"),
        "B16 is disabled: {ids:?}"
    );
    assert_eq!(v["rule_pack"]["disabled"][0]["reason"], "本省另行规定");
    // `import national` is the national standards only: no rule of the plan.
    assert!(base.stdout.contains("\"id\": \"A1.01\""));
    assert!(
        !out.stdout.contains("\"id\": \"A1.01\""),
        "the plan came along"
    );
    write("import national\noverride param clas_max = 42 人\n");
    let bad = dudao_in(&dir, &["check", "--rules", &rules, &sub]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("dudao::check::override_unknown"),
        "{}",
        bad.stderr
    );
    assert!(bad.stderr.contains("class_max"), "{}", bad.stderr);
}

/// A `dudao.toml` chooses the pack (relative to the file); a setting dudao
/// does not know is a warning that names it (with "did you mean"), never
/// silently ignored; a file that is not TOML, or `rules` that is not paths,
/// is an error (exit 2), not a quiet fall-back to another pack.
#[test]
fn dudao_toml_chooses_the_pack_and_names_unknown_settings() {
    let dir = empty_dir("dudao-toml");
    let pack = dir.join("本省");
    std::fs::create_dir_all(&pack).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(pack.join("local.dudao"), "import national\n").unwrap_or_else(|e| panic!("{e}"));
    let config =
        |text: &str| std::fs::write(dir.join("dudao.toml"), text).unwrap_or_else(|e| panic!("{e}"));
    config("rules = \"本省\"\nrule = \"x\"\n");
    let r = dudao_in(&dir, &["rules"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("B8.小学"), "{}", r.stdout);
    assert!(
        !r.stdout.contains("A1.01"),
        "not the national pack: {}",
        r.stdout
    );
    assert!(
        r.stderr.contains("dudao::cli::config_unknown_key"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("是不是 `rules`"), "{}", r.stderr);
    config("rules = [1, 2]\n");
    let r = dudao_in(&dir, &["rules"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("dudao::cli::config_invalid"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    config("rules = \"本省\n");
    let r = dudao_in(&dir, &["rules"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("dudao::cli::config_invalid"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("dudao.toml:1:"), "{}", r.stderr);
}

/// `dudao init DIR` writes a pack that imports the national one, with an
/// override, an example rule and a test case; checking the case's
/// submission with the new pack gives exactly the findings its
/// `expected.toml` lists (matched as TESTCASES.md says: rule, year, entity,
/// outcome, value, for the rules in scope; every rule in scope checked).
/// The rule file is in the canonical layout, and a second `init` into the
/// same folder is refused.
#[test]
fn init_writes_a_pack_whose_test_case_holds() {
    let base = empty_dir("init");
    let dir = base.join("本省规则");
    let d = dir.to_string_lossy();
    let r = dudao_in(&base, &["init", &d]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in [
        "README.md",
        "60-local.dudao",
        "tests/小学班额/expected.toml",
    ] {
        assert!(dir.join(f).is_file(), "{f} not written");
    }
    let rule_file = std::fs::read_to_string(dir.join("60-local.dudao")).unwrap_or_default();
    assert!(rule_file.contains("import national"), "{rule_file}");
    assert!(rule_file.contains("override param"), "{rule_file}");
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap_or_default();
    assert!(
        readme.contains(&format!("dudao test --rules {d}")),
        "{readme}"
    );
    // The case, checked as `dudao test` will.
    let case = dir.join("tests/小学班额");
    let out = dudao_in(
        &base,
        &[
            "check",
            "--format",
            "json",
            "--rules",
            &d,
            &case.to_string_lossy(),
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(!out.stderr.contains("dudao::"), "warnings: {}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON report");
    assert_eq!(report["rule_pack"]["overrides"][0]["name"], "funds_min");
    // The case passes `dudao test` as written.
    let test = dudao_in(&base, &["test", "--rules", &d]);
    assert_eq!(test.code, 0, "{}\n{}", test.stdout, test.stderr);
    assert!(test.stdout.contains("✓ 小学班额"), "{}", test.stdout);
    assert!(test.stdout.contains("1 通过，0 未通过"), "{}", test.stdout);
    // Canonical layout, and no second init into the same folder.
    let fmt = dudao_in(
        &base,
        &[
            "fmt",
            "--check",
            &dir.join("60-local.dudao").to_string_lossy(),
        ],
    );
    assert_eq!(fmt.code, 0, "{}{}", fmt.stdout, fmt.stderr);
    let again = dudao_in(&base, &["init", &d]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(
        again.stderr.contains("dudao::cli::init_not_empty"),
        "{}",
        again.stderr
    );
}

/// `dudao completions SHELL` prints a script that names the subcommands,
/// for each shell; `dudao man` prints a roff page naming them, and with
/// `--out DIR` writes one page per command.
#[test]
fn completions_and_man_page_name_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let r = dudao(&["completions", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        for sub in ["check", "explain", "init", "completions"] {
            assert!(r.stdout.contains(sub), "{shell} script lacks {sub}");
        }
    }
    let bad = dudao(&["completions", "cmd"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    let man = dudao(&["man"]);
    assert_eq!(man.code, 0, "{}", man.stderr);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH dudao 1"),
        "{}",
        man.stdout
    );
    for sub in ["check", "explain", "init", "man"] {
        assert!(man.stdout.contains(sub), "man page lacks {sub}");
    }
    let dir = empty_dir("man-pages");
    let r = dudao(&["man", "--out", &dir.to_string_lossy()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for page in ["dudao.1", "dudao-check.1", "dudao-init.1"] {
        let text = std::fs::read_to_string(dir.join(page)).unwrap_or_default();
        assert!(text.contains(".TH"), "{page}: {text}");
    }
}

/// Files are compiled in the order of their names across packs, but an
/// override applies to what the packs read before it define: a local
/// `10-early.dudao` (named before the national `20-balanced.dudao`) still
/// overrides `class_max`, and the rules keep the national order. Within
/// one pack an override must come after the definition (else
/// `override_unknown`), as before.
#[test]
fn overrides_follow_the_layers_not_the_file_names() {
    let dir = empty_dir("layer-order");
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("{e}"))
    };
    write(
        "10-early.dudao",
        "import national\n\n# 本省规定班额为 42/48 人\noverride param class_max = { 小学: 42, 初中: 48 } 人\n",
    );
    let pack = dudao::check::load_pack(&dir)
        .unwrap_or_else(|d| panic!("{}", dudao::diag::render_plain(&d)));
    assert_eq!(pack.overrides.len(), 1);
    assert_eq!(pack.overrides[0].new_value, "{ 小学: 42, 初中: 48 } 人");
    assert_eq!(pack.overrides[0].file, "10-early.dudao");
    let national = dudao::check::load_pack(&root().join("national"))
        .unwrap_or_else(|d| panic!("{}", dudao::diag::render_plain(&d)));
    let ids = |p: &dudao::pack::RulePack| -> Vec<String> {
        p.rules.iter().map(|r| r.meta.id.clone()).collect()
    };
    assert_eq!(ids(&pack), ids(&national));
    // The same override before its own pack's definition is unknown.
    write("05-own.dudao", "override param own_max = 2\n");
    write("20-own.dudao", "param own_max = 1\n");
    let diags = dudao::check::load_pack(&dir).err().unwrap_or_default();
    assert!(
        diags
            .iter()
            .any(|d| d.code == dudao::diag::Code::CheckOverrideUnknown),
        "{}",
        dudao::diag::render_plain(&diags)
    );
}

/// The commands of `fixtures/commands/*.cmd`, each a mistake made on the
/// command line: a heading comment (`# Mistake: … Expected: CODE …`) and one
/// line `dudao ARGS…` (arguments split at spaces), run in the repository
/// root. What it prints on stderr and its exit code are snapshotted; the
/// code expected must be among what it prints. Adding a case is adding a
/// file.
///
/// The folders beside them are what the commands read; one holds a link to
/// nothing, which `insta::glob!` cannot walk past, so the files are listed
/// here.
#[test]
fn commands() {
    let mut problems = Vec::new();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/commands"))
        .expect("fixtures/commands")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "cmd"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no case in fixtures/commands");
    for path in &cases {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let comment: String = text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| l.trim_start_matches('#').trim())
            .collect::<Vec<_>>()
            .join("\n");
        let Some(line) = text.lines().find_map(|l| l.strip_prefix("dudao ")) else {
            problems.push(format!("{}: no line `dudao ARGS…`", path.display()));
            continue;
        };
        let Some(expected) = comment
            .split_once("Expected: ")
            .and_then(|(_, rest)| rest.split([',', ' ', '.']).next())
            .filter(|c| c.starts_with("dudao::"))
        else {
            problems.push(format!(
                "{}: the comment must say `Expected: dudao::…`",
                path.display()
            ));
            continue;
        };
        let args: Vec<&str> = line.split_whitespace().collect();
        let r = dudao(&args);
        if !r.stderr.contains(expected) {
            problems.push(format!(
                "{}: dudao {line} does not print {expected}:\n{}",
                path.display(),
                r.stderr
            ));
        }
        insta::with_settings!({ description => comment, omit_expression => true }, {
            insta::assert_snapshot!(
                format!("commands@{stem}"),
                format!("exit {}\n{}", r.code, r.stderr)
            );
        });
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
