//! `dudao test` end to end, on the tiny pack of `fixtures/pack-tests/`
//! (its README lists the cases): what it prints on stdout and stderr and
//! its exit code are snapshots, for passing, failing and wrongly written
//! cases, in Chinese and English, with `--coverage` and `--accept`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root (rules/, national/, fixtures/), above this crate.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|d| d.join("rules").is_dir() && d.join("Cargo.lock").is_file())
        .unwrap_or_else(|| panic!("no workspace root above {}", env!("CARGO_MANIFEST_DIR")))
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    /// Exit code, stdout and stderr, for a snapshot.
    fn shown(&self) -> String {
        format!(
            "exit code: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs `dudao ARGS…` in `dir`, with a clean environment for the language
/// and the rule pack.
fn dudao_in(dir: &Path, args: &[&str], threads: Option<&str>) -> Out {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dudao"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .env_remove("DUDAO_RULES")
        .env_remove("DUDAO_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env_remove("NO_COLOR");
    if let Some(n) = threads {
        cmd.env("RAYON_NUM_THREADS", n);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run dudao: {e}"));
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn dudao(args: &[&str]) -> Out {
    dudao_in(root(), args, None)
}

const PACK: &str = "fixtures/pack-tests";

#[test]
fn every_case_of_the_pack() {
    // Wrongly written cases make it exit 2; the others still run.
    let r = dudao(&["test", "--rules", PACK]);
    assert_eq!(r.code, 2, "{}", r.shown());
    insta::assert_snapshot!("all_cases", r.shown());
}

#[test]
fn passing_cases_exit_0() {
    let r = dudao(&["test", "--rules", PACK, "pass-basic"]);
    assert_eq!(r.code, 0, "{}", r.shown());
    assert_eq!(r.stdout, "✓ pass-basic\n\n1 通过，0 未通过\n");
    assert_eq!(r.stderr, "");
}

#[test]
fn failing_cases_exit_1_and_say_why() {
    let r = dudao(&["test", "--rules", PACK, "pass", "fail", "never", "broken"]);
    assert_eq!(r.code, 1, "{}", r.shown());
    insta::assert_snapshot!("failing_cases", r.shown());
}

#[test]
fn in_english() {
    let r = dudao(&[
        "--lang", "en", "test", "--rules", PACK, "pass", "fail", "never",
    ]);
    assert_eq!(r.code, 1, "{}", r.shown());
    assert!(r.stdout.ends_with("\n1 passed, 2 failed\n"), "{}", r.stdout);
    insta::assert_snapshot!("english", r.shown());
}

#[test]
fn coverage_lists_rules_with_their_cases() {
    let r = dudao(&[
        "test",
        "--rules",
        PACK,
        "--coverage",
        "pass",
        "fail",
        "never",
    ]);
    assert_eq!(r.code, 1, "{}", r.shown());
    insta::assert_snapshot!("coverage", r.shown());
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    let one = dudao_in(root(), &["test", "--rules", PACK], Some("1"));
    let three = dudao_in(root(), &["test", "--rules", PACK], Some("3"));
    assert_eq!(one.shown(), three.shown());
}

/// A copy of the tiny pack in a fresh folder under the target folder.
fn copy_pack(name: &str) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
        for e in std::fs::read_dir(from).expect("fixture folder").flatten() {
            let target = to.join(e.file_name());
            if e.path().is_dir() {
                copy(&e.path(), &target);
            } else {
                std::fs::copy(e.path(), &target).expect("copy");
            }
        }
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    copy(&root().join(PACK), &dir);
    dir
}

#[test]
fn accept_writes_the_findings_and_the_cases_then_pass() {
    let dir = copy_pack("pack-tests-accept");
    let expected = |case: &str| dir.join("tests").join(case).join("expected.toml");
    // pass-basic as a rule author starts it: the rules to test, no findings.
    let head = "# 四条规则各有一个问题\nrules = [\"S1\", \"S2\", \"T1\", \"D1\"]\n";
    std::fs::write(expected("pass-basic"), head).expect("write");
    let before = dudao_in(
        &dir,
        &["test", "--rules", ".", "pass-basic", "fail-findings"],
        None,
    );
    assert_eq!(before.code, 1, "{}", before.shown());

    let r = dudao_in(
        &dir,
        &[
            "test",
            "--rules",
            ".",
            "--accept",
            "pass-basic",
            "fail-findings",
            "never",
        ],
        None,
    );
    // never-checked still fails: accepting cannot make a rule checked.
    assert_eq!(r.code, 1, "{}", r.shown());
    insta::assert_snapshot!("accept_run", r.shown());
    let written = std::fs::read_to_string(expected("pass-basic")).expect("read");
    // What --accept writes for pass-basic is the reviewed fixture, comments aside.
    let fixture = std::fs::read_to_string(root().join(PACK).join("tests/pass-basic/expected.toml"))
        .expect("fixture");
    let body = |s: &str| {
        s.split_once("\n\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default()
    };
    assert!(written.starts_with(head), "{written}");
    assert_eq!(body(&written), body(&fixture));
    insta::assert_snapshot!(
        "accept_fail_findings",
        std::fs::read_to_string(expected("fail-findings")).expect("read")
    );

    let after = dudao_in(
        &dir,
        &["test", "--rules", ".", "pass-basic", "fail-findings"],
        None,
    );
    assert_eq!(after.code, 0, "{}", after.shown());
    // Accepting again changes nothing.
    let again = dudao_in(
        &dir,
        &["test", "--rules", ".", "--accept", "pass", "fail"],
        None,
    );
    assert_eq!(again.code, 0, "{}", again.shown());
    assert_eq!(
        std::fs::read_to_string(expected("pass-basic")).expect("read"),
        written
    );
    assert!(again.stdout.contains("无需改动"), "{}", again.stdout);
}

#[test]
fn no_cases_is_an_error() {
    let r = dudao(&["test", "--rules", PACK, "zzz"]);
    assert_eq!(r.code, 2, "{}", r.shown());
    insta::assert_snapshot!("no_matching_case", r.shown());

    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pack-tests-none");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("folder");
    std::fs::copy(root().join(PACK).join("pack.dudao"), dir.join("pack.dudao")).expect("copy");
    let r = dudao_in(&dir, &["test", "--rules", "."], None);
    assert_eq!(r.code, 2, "{}", r.shown());
    assert!(r.stderr.contains("dudao::test::no_cases"), "{}", r.stderr);
}

/// Writes a workbook of pass-basic's data: one sheet per CSV file.
fn workbook_of_pass_basic(path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    for table in ["学校", "区县"] {
        let csv = std::fs::read_to_string(
            root()
                .join(PACK)
                .join(format!("tests/pass-basic/{table}.csv")),
        )
        .expect("fixture");
        let sheet = book.add_worksheet();
        sheet.set_name(table).expect("sheet name");
        for (r, line) in csv.lines().enumerate() {
            for (c, cell) in line.split(',').enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell.parse::<f64>() {
                    Ok(n) if r > 0 && c > 1 => sheet.write_number(r, c, n),
                    _ => sheet.write_string(r, c, cell),
                }
                .expect("cell");
            }
        }
    }
    book.save(path).expect("save");
}

#[test]
fn a_case_reads_a_workbook_or_says_what_is_wrong_with_its_submission() {
    let dir = copy_pack("pack-tests-submissions");
    let tests = dir.join("tests");
    let case = |name: &str, expected: &str| {
        let d = tests.join(name);
        std::fs::create_dir_all(&d).expect("folder");
        std::fs::write(d.join("expected.toml"), expected).expect("write");
        d
    };
    let fixture = std::fs::read_to_string(root().join(PACK).join("tests/pass-basic/expected.toml"))
        .expect("fixture");
    // The data of pass-basic as one workbook: the same findings.
    let book = case("workbook", &fixture);
    workbook_of_pass_basic(&book.join("报表.xlsx"));
    let r = dudao_in(&dir, &["test", "--rules", ".", "workbook"], None);
    assert_eq!(r.code, 0, "{}", r.shown());
    assert_eq!(r.stdout, "✓ workbook\n\n1 通过，0 未通过\n");

    // Two workbooks; no data at all; a submission line beside data files;
    // a submission that does not exist.
    let two = case("two-books", "rules = [\"S1\"]\n");
    workbook_of_pass_basic(&two.join("a.xlsx"));
    workbook_of_pass_basic(&two.join("b.xlsx"));
    case("no-data", "rules = [\"S1\"]\n");
    let both = case("both", "submission = \"../pass-basic\"\nrules = [\"S1\"]\n");
    std::fs::copy(tests.join("never-checked/学校.csv"), both.join("学校.csv")).expect("copy");
    case("nowhere", "submission = \"../missing\"\nrules = [\"S1\"]\n");
    let r = dudao_in(
        &dir,
        &[
            "test",
            "--rules",
            ".",
            "two-books",
            "no-data",
            "both",
            "nowhere",
        ],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.shown());
    assert_eq!(
        r.stdout
            .lines()
            .filter(|l| l.starts_with("! "))
            .collect::<Vec<_>>(),
        ["! both", "! no-data", "! nowhere", "! two-books"]
    );
    for needle in [
        "用例既有 submission 又有自己的报送数据文件",
        "删去用例文件夹中的 学校.csv",
        "用例 `no-data` 没有报送数据",
        "找不到报送数据 `../missing`",
        "tests/nowhere/expected.toml:1:14",
        "用例 `two-books` 有多个工作簿：a.xlsx、b.xlsx",
        "4 个用例写得有误，未运行",
    ] {
        assert!(
            r.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            r.stderr
        );
    }
}
