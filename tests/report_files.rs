//! The files `dudao check --out DIR` writes, read back: the findings
//! workbook (with calamine, as a spreadsheet program would), the HTML report
//! (escaping, self-containment, the trajectory chart, print layout).
//! The binary runs once per submission over the bundled realistic district;
//! the tests share that run.

use calamine::{Data, Reader, Xlsx, open_workbook};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `dudao ARGS…` in the repository root, in Chinese.
fn dudao(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_dudao"))
        .args(args)
        .current_dir(root())
        .env_remove("DUDAO_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run dudao: {e}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn temp(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dudao-files-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

/// `check --out` over wanzhou-2025, once for all tests.
fn wanzhou() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = temp("wanzhou");
        let out = dir.display().to_string();
        let r = dudao(&["check", "--out", &out, "fixtures/generated/wanzhou-2025"]);
        assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
        dir.join("wanzhou-2025")
    })
}

/// Every row of a sheet, as text.
fn sheet(book: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(book).unwrap_or_else(|e| panic!("{book:?}: {e}"));
    let range = wb
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn sheet_names(book: &Path) -> Vec<String> {
    let wb: Xlsx<_> = open_workbook(book).unwrap_or_else(|e| panic!("{book:?}: {e}"));
    wb.sheet_names()
}

/// The row holding `first` in column 0 (a header), and the rows below it.
fn table<'a>(rows: &'a [Vec<String>], first: &str) -> (&'a [String], &'a [Vec<String>]) {
    let at = rows
        .iter()
        .position(|r| r.first().is_some_and(|c| c == first))
        .unwrap_or_else(|| panic!("no row starting with {first}: {rows:?}"));
    (&rows[at], &rows[at + 1..])
}

fn col(head: &[String], name: &str) -> usize {
    head.iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {head:?}"))
}

#[test]
fn workbook_has_its_sheets_and_headers() {
    let book = wanzhou().join("报告.xlsx");
    let names = sheet_names(&book);
    for s in [
        "汇总",
        "整改清单",
        "学校指标",
        "区县指标",
        "不可评估",
        "规则与依据",
        "数据读取说明",
    ] {
        assert!(names.iter().any(|n| n == s), "no sheet {s}: {names:?}");
    }
    let heads: [(&str, &[&str]); 6] = [
        (
            "整改清单",
            &[
                "乡镇街道",
                "学校标识码",
                "学校名称",
                "班级/教师",
                "规则",
                "指标",
                "实际值",
                "标准",
                "差距",
                "依据",
                "性质",
                "整改措施",
                "整改时限",
                "责任人",
            ],
        ),
        ("学校指标", &["乡镇街道", "学校标识码", "学校名称", "学段"]),
        (
            "区县指标",
            &[
                "规则",
                "指标",
                "年度",
                "检查对象",
                "实际值",
                "标准",
                "状态",
                "级别",
            ],
        ),
        (
            "不可评估",
            &["规则", "指标", "年度", "检查对象", "原因", "级别"],
        ),
        ("规则与依据", &["规则", "标题", "级别", "依据", "原文"]),
        ("数据读取说明", &["文件", "读取方式", "SHA-256"]),
    ];
    for (name, want) in heads {
        let rows = sheet(&book, name);
        let (head, _) = table(&rows, want[0]);
        let head: Vec<&str> = head.iter().map(String::as_str).collect();
        assert!(head.starts_with(want), "{name}: {head:?}");
    }
    let rows = sheet(&book, "汇总");
    let (head, rules) = table(&rows, "规则");
    let want = [
        "规则",
        "标题",
        "级别",
        "状态",
        "检查",
        "通过",
        "未通过",
        "不可评估",
        "实际值",
        "标准",
    ];
    assert_eq!(head, want);
    let b10 = rules
        .iter()
        .find(|r| r[0] == "B10")
        .unwrap_or_else(|| panic!("no B10 in 汇总: {rules:?}"));
    assert_eq!(b10[3], "未通过", "{b10:?}");
}

#[test]
fn workbook_lists_a_known_finding() {
    // fixtures/generated/wanzhou-2025/违规清单.md, item 27:
    // | 27 | B10 | 万州区陈家坝第四小学（5001010325） | 在校生 2150 人 | 小学不超过2000人 |
    let planted =
        std::fs::read_to_string(root().join("fixtures/generated/wanzhou-2025/违规清单.md"))
            .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        planted.contains("| 27 | B10 | 万州区陈家坝第四小学（5001010325） | 在校生 2150 人 |"),
        "the planted violation changed"
    );
    let rows = sheet(&wanzhou().join("报告.xlsx"), "整改清单");
    let (head, list) = table(&rows, "乡镇街道");
    let found: Vec<&Vec<String>> = list
        .iter()
        .filter(|r| r[col(head, "规则")] == "B10" && r[col(head, "学校标识码")] == "5001010325")
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    let r = found[0];
    assert_eq!(r[col(head, "学校名称")], "万州区陈家坝第四小学");
    assert_eq!(r[col(head, "实际值")], "2,150 人");
    assert_eq!(r[col(head, "标准")], "≤ 2,000 人");
    assert_eq!(r[col(head, "差距")], "+150 人");
    assert_eq!(r[col(head, "性质")], "约束性");
    assert!(r[col(head, "依据")].contains("教督〔2017〕6号"), "{r:?}");
    for empty in ["整改措施", "整改时限", "责任人"] {
        assert_eq!(
            r[col(head, empty)],
            "",
            "{empty} is for the district to fill in"
        );
    }
}

#[test]
fn rectification_list_is_sorted_by_area_school_and_rule() {
    let dir = wanzhou();
    let rows = sheet(&dir.join("报告.xlsx"), "整改清单");
    let (head, list) = table(&rows, "乡镇街道");
    // Every failure of report.json, one row each.
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("report.json")).unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let fails = json["findings"]
        .as_array()
        .map_or(0, |a| a.iter().filter(|f| f["outcome"] == "fail").count());
    assert!(fails > 50, "{fails}");
    assert_eq!(list.len(), fails);
    // Rules in pack order: the order of 规则与依据.
    let rules = sheet(&dir.join("报告.xlsx"), "规则与依据");
    let (_, rules) = table(&rules, "规则");
    let order = |id: &str| {
        rules
            .iter()
            .position(|r| r[0] == id)
            .unwrap_or_else(|| panic!("rule {id} not in 规则与依据"))
    };
    let (a, k, ru) = (
        col(head, "乡镇街道"),
        col(head, "学校标识码"),
        col(head, "规则"),
    );
    let keys: Vec<(bool, &str, &str, usize)> = list
        .iter()
        .map(|r| (r[a].is_empty(), r[a].as_str(), r[k].as_str(), order(&r[ru])))
        .collect();
    for w in keys.windows(2) {
        assert!(w[0] <= w[1], "out of order: {w:?}");
    }
    // The district-wide findings (no school) are there, and so are schools.
    // (乡镇街道 stays empty until the rule pack says which column holds it.)
    assert!(list.iter().any(|r| r[k].is_empty()));
    assert!(list.iter().filter(|r| !r[k].is_empty()).count() > 10);
}
