//! The files `dudao check --out DIR` writes, read back: the findings
//! workbook (with calamine, as a spreadsheet program would), the HTML report
//! (escaping, self-containment, the trajectory chart, print layout). The
//! arrangement the bundled pack declares (`national/02-report.dudao`) is checked
//! against the submission's own files, report.json and 违规清单.md: the
//! 整改清单 by 乡镇街道 and school, class findings under their school, and
//! 学校指标 with a row per school and stage.
//! The binary runs once per submission over the bundled realistic district;
//! the tests share that run.

use calamine::{Data, Reader, Xlsx, open_workbook};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root (rules/, national/, fixtures/), above this crate.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|d| d.join("rules").is_dir() && d.join("Cargo.lock").is_file())
        .unwrap_or_else(|| panic!("no workspace root above {}", env!("CARGO_MANIFEST_DIR")))
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
    assert!(list.iter().any(|r| r[k].is_empty()));
    assert!(list.iter().filter(|r| !r[k].is_empty()).count() > 10);
    // Every school's row has the school's 乡镇街道 as 学校.csv gives it
    // (national/02-report.dudao: `area township`), and its name.
    let schools = schools();
    for r in list.iter().filter(|r| !r[k].is_empty()) {
        let (name, township) = schools
            .get(&r[k])
            .unwrap_or_else(|| panic!("{} is not a school of 学校.csv: {r:?}", r[k]));
        assert_eq!(&r[a], township, "{r:?}");
        assert_eq!(&r[col(head, "学校名称")], name, "{r:?}");
    }
}

/// The submission's schools: id → (name, 乡镇街道), read from 学校.csv.
fn schools() -> std::collections::HashMap<String, (String, String)> {
    let mut rd = csv::Reader::from_path(root().join("fixtures/generated/wanzhou-2025/学校.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    let head = rd.headers().unwrap_or_else(|e| panic!("{e}")).clone();
    let at = |n: &str| {
        head.iter()
            .position(|h| h == n)
            .unwrap_or_else(|| panic!("no {n} in 学校.csv"))
    };
    let (id, name, town) = (at("学校标识码"), at("学校名称"), at("乡镇街道"));
    rd.records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{e}"));
            (
                r[id].to_string(),
                (r[name].to_string(), r[town].to_string()),
            )
        })
        .collect()
}

/// The submission's classes: class id → school id, read from 班级.csv.
fn class_schools() -> std::collections::HashMap<String, String> {
    let mut rd = csv::Reader::from_path(root().join("fixtures/generated/wanzhou-2025/班级.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    let head = rd.headers().unwrap_or_else(|e| panic!("{e}")).clone();
    let at = |n: &str| {
        head.iter()
            .position(|h| h == n)
            .unwrap_or_else(|| panic!("no {n} in 班级.csv"))
    };
    let (id, school) = (at("班级编号"), at("学校标识码"));
    rd.records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{e}"));
            (r[id].to_string(), r[school].to_string())
        })
        .collect()
}

fn report_json() -> serde_json::Value {
    let text =
        std::fs::read_to_string(wanzhou().join("report.json")).unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

/// The failures of report.json: (rule, table, key).
fn json_failures(json: &serde_json::Value) -> Vec<(String, String, String)> {
    json["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|f| f["outcome"] == "fail")
                .map(|f| {
                    let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
                    (
                        s(&f["rule"]),
                        s(&f["entity"]["table"]),
                        s(&f["entity"]["key"]),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn class_findings_are_listed_under_their_school() {
    // fixtures/generated/wanzhou-2025/违规清单.md, item 30: a class of a
    // junior school over 50 and 56.
    let planted =
        std::fs::read_to_string(root().join("fixtures/generated/wanzhou-2025/违规清单.md"))
            .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        planted.contains(
            "| 30 | A12, B11 | 万州区太龙第二初级中学 八年级(1)班（班级编号 5001010349-005） | 班额 57 人"
        ),
        "the planted violation changed"
    );
    let rows = sheet(&wanzhou().join("报告.xlsx"), "整改清单");
    let (head, list) = table(&rows, "乡镇街道");
    let (k, n, part, ru) = (
        col(head, "学校标识码"),
        col(head, "学校名称"),
        col(head, "班级/教师"),
        col(head, "规则"),
    );
    let found: Vec<&Vec<String>> = list
        .iter()
        .filter(|r| r[part].contains("5001010349-005"))
        .collect();
    let rules: Vec<&str> = found.iter().map(|r| r[ru].as_str()).collect();
    assert_eq!(rules, ["A12", "B11"], "{found:?}");
    for r in &found {
        assert_eq!(r[k], "5001010349", "{r:?}");
        assert_eq!(r[n], "万州区太龙第二初级中学", "{r:?}");
        assert_eq!(r[part], "八年级(1)班 (5001010349-005)", "{r:?}");
        assert_eq!(r[col(head, "乡镇街道")], "太龙镇", "{r:?}");
    }
    // Every failure of a class in report.json is a row under the class's
    // school as 班级.csv gives it, with the class in 班级/教师.
    let classes = class_schools();
    let json = report_json();
    let class_fails: Vec<(String, String, String)> = json_failures(&json)
        .into_iter()
        .filter(|(_, t, _)| t == "classes")
        .collect();
    assert!(class_fails.len() >= 5, "{class_fails:?}");
    for (rule, _, key) in &class_fails {
        let school = classes
            .get(key)
            .unwrap_or_else(|| panic!("class {key} not in 班级.csv"));
        let rows: Vec<&Vec<String>> = list
            .iter()
            .filter(|r| r[ru] == *rule && r[part].contains(&format!("({key})")))
            .collect();
        assert_eq!(rows.len(), 1, "{rule} {key}: {rows:?}");
        assert_eq!(&rows[0][k], school, "{rule} {key}");
    }
}

#[test]
fn school_sheet_has_a_row_per_school_and_stage() {
    let rows = sheet(&wanzhou().join("报告.xlsx"), "学校指标");
    let (head, list) = table(&rows, "乡镇街道");
    let families = ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8"];
    let fam_col: Vec<usize> = families
        .iter()
        .map(|f| {
            head.iter()
                .position(|h| h == f || h.starts_with(&format!("{f} ")))
                .unwrap_or_else(|| panic!("no column {f} in {head:?}"))
        })
        .collect();
    let (a, k, n, v) = (
        col(head, "乡镇街道"),
        col(head, "学校标识码"),
        col(head, "学校名称"),
        col(head, "学段"),
    );
    let json = report_json();
    let failures = json_failures(&json);
    let checks = |id: &str| {
        json["rules"]
            .as_array()
            .and_then(|rs| rs.iter().find(|r| r["id"] == id))
            .map(|r| {
                ["passed", "failed", "not_evaluable"]
                    .iter()
                    .map(|c| r[c].as_u64().unwrap_or(0))
                    .sum::<u64>()
            })
            .unwrap_or_else(|| panic!("no rule {id} in report.json"))
    };
    let schools = schools();
    for stage in ["小学", "初中"] {
        // One row per school checked, for each stage.
        let mine: Vec<&Vec<String>> = list.iter().filter(|r| r[v] == stage).collect();
        assert!(mine.len() > 20, "{stage}: {}", mine.len());
        for f in families {
            assert_eq!(
                mine.len() as u64,
                checks(&format!("{f}.{stage}")),
                "{f}.{stage}: the rows are the schools checked"
            );
        }
        let mut keys: Vec<&str> = mine.iter().map(|r| r[k].as_str()).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), before, "{stage}: a school twice");
        for r in &mine {
            let (name, township) = schools
                .get(&r[k])
                .unwrap_or_else(|| panic!("{r:?} is not a school"));
            assert_eq!((&r[n], &r[a]), (name, township), "{r:?}");
            for (f, &c) in families.iter().zip(&fam_col) {
                let failed = failures.iter().any(|(rule, t, key)| {
                    *rule == format!("{f}.{stage}") && t == "schools" && *key == r[k]
                });
                let cell = &r[c];
                let mark = if failed { "✗" } else { "✓" };
                assert!(cell.ends_with(mark), "{f}.{stage} of {}: {cell:?}", r[k]);
                // B1–B7 show their value; B8 (at least 6 of 7) its result.
                if *f != "B8" {
                    assert!(
                        cell.chars().next().is_some_and(|c| c.is_ascii_digit()),
                        "{f}.{stage} of {}: {cell:?}",
                        r[k]
                    );
                } else {
                    assert_eq!(cell, mark);
                }
            }
        }
    }
    // 违规清单.md, item 26: 李河中心小学 meets only 5 of the 7, so B8 fails.
    let planted =
        std::fs::read_to_string(root().join("fixtures/generated/wanzhou-2025/违规清单.md"))
            .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        planted.contains("| 26 | B4.小学, B5.小学, B8.小学 | 万州区李河中心小学（5001010254） | 只有5项指标达标：教学及辅助用房面积 4957.2 m² / 学生 1224 人 = 4.05 m²/生"),
        "the planted violation changed"
    );
    let li = list
        .iter()
        .find(|r| r[k] == "5001010254" && r[v] == "小学")
        .unwrap_or_else(|| panic!("no row of 5001010254"));
    let cells: Vec<&str> = fam_col.iter().map(|&c| li[c].as_str()).collect();
    assert_eq!(cells[3], "4.05 m²/人 ✗", "{cells:?}");
    assert_eq!(cells[4], "6.75 m²/人 ✗", "{cells:?}");
    assert_eq!(cells[7], "✗", "{cells:?}");
    for c in [0, 1, 2, 5, 6] {
        assert!(cells[c].ends_with('✓'), "{cells:?}");
    }
}

#[test]
fn html_filters_by_township_and_groups_by_school() {
    let html =
        std::fs::read_to_string(wanzhou().join("报告.html")).unwrap_or_else(|e| panic!("{e}"));
    // The township filter offers every 乡镇街道 of the 整改清单.
    let rows = sheet(&wanzhou().join("报告.xlsx"), "整改清单");
    let (head, list) = table(&rows, "乡镇街道");
    let a = col(head, "乡镇街道");
    let mut areas: Vec<&str> = list
        .iter()
        .map(|r| r[a].as_str())
        .filter(|s| !s.is_empty())
        .collect();
    areas.sort_unstable();
    areas.dedup();
    assert!(areas.len() > 5, "{areas:?}");
    let select = html
        .split("<select id=\"f-area\">")
        .nth(1)
        .and_then(|s| s.split("</select>").next())
        .unwrap_or_else(|| panic!("no township filter"));
    for area in &areas {
        assert!(
            select.contains(&format!("<option>{area}</option>")),
            "{area} not in the filter: {select}"
        );
    }
    // Each finding row carries its township for the filter.
    assert!(html.contains("data-area=\"太龙镇\" data-unit=\"5001010349\""));
    // The view by school: the class's findings under its school.
    let unit = html
        .split("<div class=\"unit\">")
        .find(|u| u.contains("万州区太龙第二初级中学"))
        .unwrap_or_else(|| panic!("no section of 万州区太龙第二初级中学"));
    assert!(unit.contains("5001010349-005"), "{unit}");
    assert!(unit.contains("B11") && unit.contains("A12"), "{unit}");
}

#[test]
fn school_sheet_marks_checks_that_could_not_be_evaluated() {
    // fixtures/submissions/audit-school-without-classes/README.md: 龙宝小学
    // has pupils and teachers but no classes, so the figures read from its
    // classes (B1–B3 count pupils of the stage from them) are unknown.
    let dir = temp("no-classes");
    let out = dir.display().to_string();
    let r = dudao(&[
        "check",
        "--out",
        &out,
        "fixtures/submissions/audit-school-without-classes",
    ]);
    assert_eq!(r.code, 3, "{}\n{}", r.stdout, r.stderr);
    let rows = sheet(
        &dir.join("audit-school-without-classes").join("报告.xlsx"),
        "学校指标",
    );
    let (head, list) = table(&rows, "乡镇街道");
    let at = |f: &str| {
        head.iter()
            .position(|h| h.starts_with(&format!("{f} ")))
            .unwrap_or_else(|| panic!("no column {f} in {head:?}"))
    };
    let row = |name: &str| {
        list.iter()
            .find(|r| r[col(head, "学校名称")] == name && r[col(head, "学段")] == "小学")
            .unwrap_or_else(|| panic!("no row of {name}: {list:?}"))
    };
    let longbao = row("万州区龙宝小学");
    for f in ["B1", "B2", "B3", "B8"] {
        assert!(longbao[at(f)].ends_with('?'), "{f}: {longbao:?}");
    }
    for f in ["B4", "B5", "B6", "B7"] {
        assert!(longbao[at(f)].ends_with('✓'), "{f}: {longbao:?}");
    }
    let jiangnan = row("万州区江南小学");
    for f in ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8"] {
        assert!(jiangnan[at(f)].ends_with('✓'), "{f}: {jiangnan:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn one_workbook_has_the_same_school_sheet() {
    // `--format xlsx -o FILE` writes the workbook `--out` writes: the
    // passing schools' values are in its 学校指标 too.
    let dir = temp("one-book");
    let book = dir.join("万州.xlsx");
    let path = book.display().to_string();
    let r = dudao(&[
        "check",
        "--format",
        "xlsx",
        "-o",
        &path,
        "fixtures/generated/wanzhou-2025",
    ]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let one = sheet(&book, "学校指标");
    let folder = sheet(&wanzhou().join("报告.xlsx"), "学校指标");
    assert!(folder.len() > 100, "{}", folder.len());
    assert_eq!(one, folder);
    let _ = std::fs::remove_dir_all(&dir);
}
