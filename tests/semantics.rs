//! End-to-end semantics of the rule language: a tiny schema and a few rules
//! written as strings, compiled, run over CSV text, and checked by the exact
//! counts and values of the results. Each case states the numbers it expects
//! and how they were computed by hand. Every case is evaluated under both
//! strategies (the reference interpreter and the fast paths), which must
//! give the same report; the expectations are checked on it.

use dudao::diag::render_plain;
use dudao::eval::finding::{
    CheckReport, Entity, Finding, MsgPart, Outcome, RuleResult, Shown, Unevaluable,
};
use dudao::eval::{Strategy, evaluate_strategy};
use dudao::pack::{RulePack, SourceFile};

/// The schema every case starts from: schools, their teachers, and district
/// facts by year.
const SCHEMA: &str = r#"
document doc "测试文件"

table schools "学校" {
  key id: text "学校标识码"
  name: text "学校名称"
  township: text "乡镇街道"
  stage: enum(小学, 初中) "学段"
  students: int 人 "在校生数"
  area: decimal m² "面积" optional
  wifi: bool "无线网络" optional
  library: bool "图书室" optional
}

table teachers "教师" {
  key id: text "教师编号"
  school: ref schools "学校标识码"
  backbone: bool "骨干"
  pay: decimal 元 "工资"
}

table district "区县" {
  key year: year "年份"
  civil_pay: decimal 元 "公务员工资" optional
  rate: decimal % "巩固率" optional
}
"#;

/// Compiles `SCHEMA` + `rules`, loads the CSV files, evaluates under both
/// strategies and requires the same report of both.
fn run(rules: &str, files: &[(&str, &str)]) -> (RulePack, CheckReport) {
    let src = SourceFile {
        name: "test.dudao".into(),
        text: format!("{SCHEMA}\n{rules}"),
    };
    let pack = match dudao::check::compile(vec![src], &|_| None) {
        Ok(p) => p,
        Err(d) => panic!("the rules do not compile:\n{}", render_plain(&d)),
    };
    let bytes: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    let loaded = match dudao::data::load_tables_from_strings(&pack.schema, &bytes) {
        Ok(l) => l,
        Err(e) => panic!("the data does not load:\n{}", render_plain(&e.diags)),
    };
    let report = evaluate_strategy(&pack, &loaded.submission, Strategy::Reference);
    let fast = evaluate_strategy(&pack, &loaded.submission, Strategy::Fast);
    // Debug output, so that NaN equals NaN.
    assert_eq!(
        format!("{fast:#?}"),
        format!("{report:#?}"),
        "the fast paths and the reference disagree"
    );
    (pack, report)
}

/// The result of rule `id`.
fn result<'a>(pack: &RulePack, report: &'a CheckReport, id: &str) -> &'a RuleResult {
    let i = pack
        .rules
        .iter()
        .position(|r| r.meta.id == id)
        .unwrap_or_else(|| panic!("no rule {id}"));
    report
        .results
        .iter()
        .find(|r| r.rule == i)
        .unwrap_or_else(|| panic!("no result for {id}"))
}

/// (checks, passed, failed, not evaluable) of rule `id`.
fn counts(pack: &RulePack, report: &CheckReport, id: &str) -> (usize, usize, usize, usize) {
    let r = result(pack, report, id);
    (r.checks, r.passed, r.failed, r.not_evaluable)
}

fn num(s: &Option<Shown>) -> f64 {
    match s {
        Some(Shown::Num { value, .. }) => *value,
        other => panic!("not a number: {other:?}"),
    }
}

fn message(f: &Finding) -> String {
    f.message
        .iter()
        .map(|p| match p {
            MsgPart::Text(t) => t.clone(),
            MsgPart::Value(v) => format!("{v:?}"),
        })
        .collect()
}

fn row_key(f: &Finding) -> &str {
    match &f.entity {
        Entity::Row { key, .. } => key,
        other => panic!("not a row: {other:?}"),
    }
}

fn reason(f: &Finding) -> &Unevaluable {
    match &f.outcome {
        Outcome::NotEvaluable(r) => r,
        other => panic!("not a not-evaluable finding: {other:?}"),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

const SCHOOLS: &str = "\
学校标识码,学校名称,乡镇街道,学段,在校生数,面积,无线网络,图书室
S1,甲小学,东街道,小学,100,500,是,是
S2,乙小学,东街道,小学,200,,否,
S3,丙中学,西街道,初中,300,1800,,是
";

const DISTRICT_2025: &str = "年份,公务员工资,巩固率\n2025,100000,95\n";

// ----------------------------------------------------------- three values

/// S2's area is empty: `area / students` is not evaluable, never a pass.
/// S1: 500 / 100 = 5 ≥ 4 passes; S3: 1800 / 300 = 6 passes.
#[test]
fn missing_value_is_not_evaluable() {
    let (pack, report) = run(
        r#"
rule R1 "生均面积" {
  severity binding
  cite doc clause "一"
  for each schools
  assert area / students >= 4
}
"#,
        &[("学校.csv", SCHOOLS)],
    );
    assert_eq!(counts(&pack, &report, "R1"), (3, 2, 0, 1));
    let f = &result(&pack, &report, "R1").findings;
    assert_eq!(f.len(), 1);
    assert_eq!(row_key(&f[0]), "S2");
    assert_eq!(
        reason(&f[0]),
        &Unevaluable::MissingValue {
            what: "学校.面积（学校.csv:3）".into()
        }
    );
    assert_eq!(f[0].actual, Some(Shown::Missing));
}

/// Kleene logic over S2 (200 students, library empty):
/// `false and missing` = false (fails), `true or missing` = true (passes),
/// `true and missing` and `false or missing` are not evaluable.
#[test]
fn and_or_follow_kleene() {
    let (pack, report) = run(
        r#"
rule AND_F "假且缺" {
  severity binding
  cite doc clause "一"
  for each schools
  when id == "S2"
  assert students > 1000 and library
}
rule OR_T "真或缺" {
  severity binding
  cite doc clause "一"
  for each schools
  when id == "S2"
  assert students > 10 or library
}
rule AND_M "真且缺" {
  severity binding
  cite doc clause "一"
  for each schools
  when id == "S2"
  assert students > 10 and library
}
rule OR_M "假或缺" {
  severity binding
  cite doc clause "一"
  for each schools
  when id == "S2"
  assert students > 1000 or library
}
rule NOT_M "非缺" {
  severity binding
  cite doc clause "一"
  for each schools
  when id == "S2"
  assert not library
}
"#,
        &[("学校.csv", SCHOOLS)],
    );
    assert_eq!(counts(&pack, &report, "AND_F"), (1, 0, 1, 0));
    assert_eq!(counts(&pack, &report, "OR_T"), (1, 1, 0, 0));
    assert_eq!(counts(&pack, &report, "AND_M"), (1, 0, 0, 1));
    assert_eq!(counts(&pack, &report, "OR_M"), (1, 0, 0, 1));
    assert_eq!(counts(&pack, &report, "NOT_M"), (1, 0, 0, 1));
    let f = &result(&pack, &report, "OR_M").findings[0];
    assert_eq!(
        reason(f),
        &Unevaluable::MissingValue {
            what: "学校.图书室（学校.csv:3）".into()
        }
    );
}

/// A missing value in the `when` filter makes the check not evaluable too
/// (it is not silently skipped): S3's wifi is empty.
#[test]
fn missing_value_in_when_is_not_evaluable() {
    let (pack, report) = run(
        r#"
rule R1 "有无线网络的学校" {
  severity binding
  cite doc clause "一"
  for each schools
  when wifi
  assert students >= 150
}
"#,
        &[("学校.csv", SCHOOLS)],
    );
    // S1: wifi, 100 < 150 fails; S2: no wifi, filtered out; S3: unknown.
    assert_eq!(counts(&pack, &report, "R1"), (2, 0, 1, 1));
    let f = &result(&pack, &report, "R1").findings;
    assert_eq!(row_key(&f[0]), "S1");
    assert_eq!(f[0].outcome, Outcome::Fail);
    assert_eq!(row_key(&f[1]), "S3");
    assert!(matches!(reason(&f[1]), Unevaluable::MissingValue { .. }));
}

// ------------------------------------------------- zero and empty aggregates

/// `x / 0` and a share over no rows are `ZeroDenominator`.
#[test]
fn zero_denominator() {
    let schools = "\
学校标识码,学校名称,乡镇街道,学段,在校生数,面积
S1,甲小学,东街道,小学,0,500
S2,乙小学,东街道,小学,100,500
";
    let (pack, report) = run(
        r#"
rule DIV "生均面积" {
  severity binding
  cite doc clause "一"
  for each schools
  assert area / students >= 4
}
rule SHARE "初中有无线网络的比例" {
  severity binding
  cite doc clause "一"
  for submission
  assert share(schools where stage == 初中, wifi) >= 50%
}
"#,
        &[("学校.csv", schools)],
    );
    // S1: 500 / 0 is not evaluable; S2: 5 ≥ 4 passes.
    assert_eq!(counts(&pack, &report, "DIV"), (2, 1, 0, 1));
    let f = &result(&pack, &report, "DIV").findings[0];
    assert_eq!(row_key(f), "S1");
    assert!(
        matches!(reason(f), Unevaluable::ZeroDenominator { what } if what.contains("students")),
        "{f:?}"
    );
    // No 初中 rows: the share's denominator is 0.
    assert_eq!(counts(&pack, &report, "SHARE"), (1, 0, 0, 1));
    let f = &result(&pack, &report, "SHARE").findings[0];
    assert!(
        matches!(reason(f), Unevaluable::ZeroDenominator { .. }),
        "{f:?}"
    );
}

/// `avg`, `min` and `max` over no rows are `NoRows`; `count` and `sum` of no
/// rows are 0.
#[test]
fn aggregates_over_no_rows() {
    let (pack, report) = run(
        r#"
rule AVG "初中平均规模" {
  severity binding
  cite doc clause "一"
  for submission
  assert avg(schools.students where stage == 初中) >= 1
}
rule MIN "初中最小规模" {
  severity binding
  cite doc clause "一"
  for submission
  assert min(schools.students where stage == 初中) >= 1
}
rule MAX "初中最大规模" {
  severity binding
  cite doc clause "一"
  for submission
  assert max(schools.students where stage == 初中) <= 3000
}
rule COUNT "初中学校数" {
  severity binding
  cite doc clause "一"
  for submission
  assert count(schools where stage == 初中) == 0 and sum(schools.students where stage == 初中) == 0
}
"#,
        &[(
            "学校.csv",
            "学校标识码,学校名称,乡镇街道,学段,在校生数\nS1,甲小学,东街道,小学,100\n",
        )],
    );
    for id in ["AVG", "MIN", "MAX"] {
        assert_eq!(counts(&pack, &report, id), (1, 0, 0, 1), "{id}");
        let f = &result(&pack, &report, id).findings[0];
        assert!(
            matches!(reason(f), Unevaluable::NoRows { .. }),
            "{id}: {f:?}"
        );
    }
    assert_eq!(counts(&pack, &report, "COUNT"), (1, 1, 0, 0));
}

// ------------------------------------------------------- applicability

/// Rows the `when` filter leaves out are not checks: 2 小学 of 3 schools.
#[test]
fn when_filters_rows_out_of_the_count() {
    let (pack, report) = run(
        r#"
rule R1 "小学规模" {
  severity binding
  cite doc clause "一"
  for each schools
  when stage == 小学
  assert students <= 150
}
"#,
        &[("学校.csv", SCHOOLS)],
    );
    // S1 100 passes, S2 200 fails, S3 (初中, 300) is not checked.
    assert_eq!(counts(&pack, &report, "R1"), (2, 1, 1, 0));
    let r = result(&pack, &report, "R1");
    assert_eq!(r.findings.len(), 1);
    assert_eq!(row_key(&r.findings[0]), "S2");
    assert_eq!(r.skipped, None);
}

/// A rule in force from 2026 is skipped for a 2025 submission; one in force
/// until 2025 runs.
#[test]
fn years_ranges() {
    let (pack, report) = run(
        r#"
rule LATER "2026年起" {
  severity binding
  cite doc clause "一"
  years 2026..
  for each schools
  assert students <= 150
}
rule UNTIL "2025年止" {
  severity binding
  cite doc clause "一"
  years ..2025
  for each schools
  assert students <= 150
}
rule ONLY "2025年" {
  severity binding
  cite doc clause "一"
  years 2025
  for submission
  assert count(schools) == 3
}
"#,
        &[("学校.csv", SCHOOLS), ("区县.csv", DISTRICT_2025)],
    );
    let later = result(&pack, &report, "LATER");
    assert_eq!(counts(&pack, &report, "LATER"), (0, 0, 0, 0));
    assert!(later.findings.is_empty());
    assert!(later.skipped.is_some(), "{later:?}");
    // S2 (200) and S3 (300) exceed 150.
    assert_eq!(counts(&pack, &report, "UNTIL"), (3, 1, 2, 0));
    assert_eq!(counts(&pack, &report, "ONLY"), (1, 1, 0, 0));
    assert_eq!(result(&pack, &report, "ONLY").findings.len(), 0);
}

// ------------------------------------------------- scopes and navigation

/// `for each schools by township`: one check per township, with the sum over
/// the group: 东街道 100 + 200 = 300 ≤ 300 passes, 西街道 300 + 150 = 450 fails.
#[test]
fn group_scope() {
    let schools = "\
学校标识码,学校名称,乡镇街道,学段,在校生数
S1,甲小学,东街道,小学,100
S2,乙小学,东街道,小学,200
S3,丙中学,西街道,初中,300
S4,丁小学,西街道,小学,150
";
    let (pack, report) = run(
        r#"
rule R1 "各街道学生数" {
  severity binding
  cite doc clause "一"
  for each schools by township
  assert sum(group.students) <= 300
  message "{group.key}共有 {sum(group.students)}，{count(group)} 所学校"
}
"#,
        &[("学校.csv", schools)],
    );
    assert_eq!(counts(&pack, &report, "R1"), (2, 1, 1, 0));
    let f = &result(&pack, &report, "R1").findings[0];
    assert_eq!(
        f.entity,
        Entity::Group {
            table: "schools".into(),
            column: "乡镇街道".into(),
            value: "西街道".into()
        }
    );
    assert!(close(num(&f.actual), 450.0));
    assert!(close(num(&f.threshold), 300.0));
    let m = message(f);
    assert!(
        m.starts_with("Text(\"西街道\")共有 Num { value: 450.0"),
        "{m}"
    );
}

/// Related rows (`this.teachers`) and reference navigation (`school.name`).
#[test]
fn related_rows_and_references() {
    let teachers = "\
教师编号,学校标识码,骨干,工资
T1,S1,是,90000
T2,S1,否,110000
T3,S2,否,95000
T4,S3,是,120000
T5,S3,是,80000
";
    let (pack, report) = run(
        r#"
rule BACKBONE "每校至少一名骨干教师" {
  severity binding
  cite doc clause "一"
  for each schools
  assert count(this.teachers where backbone) >= 1
}
rule TWO "每校至少两名教师" {
  severity binding
  cite doc clause "一"
  for each schools
  assert count(this.teachers) >= 2
}
rule PAY "教师工资" {
  severity binding
  cite doc clause "一"
  for each teachers
  when school.stage == 小学
  assert pay >= 95000
  message "{school.name}"
}
"#,
        &[("学校.csv", SCHOOLS), ("教师.csv", teachers)],
    );
    // S1 has T1 (backbone), S2 has none, S3 has T4 and T5.
    assert_eq!(counts(&pack, &report, "BACKBONE"), (3, 2, 1, 0));
    assert_eq!(
        row_key(&result(&pack, &report, "BACKBONE").findings[0]),
        "S2"
    );
    // S1 2, S2 1, S3 2.
    assert_eq!(counts(&pack, &report, "TWO"), (3, 2, 1, 0));
    // Teachers of 小学 (S1, S2): T1 90,000 fails, T2 and T3 pass; S3 is 初中.
    assert_eq!(counts(&pack, &report, "PAY"), (3, 2, 1, 0));
    let f = &result(&pack, &report, "PAY").findings[0];
    assert_eq!(row_key(f), "T1");
    assert_eq!(
        f.message,
        vec![MsgPart::Value(Shown::Text("甲小学".into()))]
    );
    match &f.entity {
        Entity::Row { name, .. } => assert_eq!(name.as_deref(), Some("甲小学 T1")),
        other => panic!("{other:?}"),
    }
}

/// Category parameters: the threshold depends on the row's stage.
#[test]
fn category_parameters() {
    let (pack, report) = run(
        r#"
param max_students = { 小学: 150, 初中: 250 } 人

rule R1 "学校规模" {
  severity binding
  cite doc clause "一"
  for each schools
  assert students <= max_students[stage]
}
"#,
        &[("学校.csv", SCHOOLS)],
    );
    // S1 小学 100 ≤ 150; S2 小学 200 > 150; S3 初中 300 > 250.
    assert_eq!(counts(&pack, &report, "R1"), (3, 1, 2, 0));
    let f = &result(&pack, &report, "R1").findings;
    assert_eq!(row_key(&f[0]), "S2");
    assert!(close(num(&f[0].threshold), 150.0));
    assert_eq!(row_key(&f[1]), "S3");
    assert!(close(num(&f[1].threshold), 250.0));
    assert!(close(num(&f[1].actual), 300.0));
}

/// `at_least(2, [a, b, c])`: passes with two of three; a failure lists the
/// conditions that did not hold.
#[test]
fn at_least_lists_failed_conditions() {
    let (pack, report) = run(
        r#"
rule R1 "办学条件" {
  severity binding
  cite doc clause "一"
  for each schools
  when id != "S3"
  assert at_least(2, [wifi, library, students >= 150])
}
"#,
        &[("学校.csv", SCHOOLS)],
    );
    // S1: wifi, library, 100 < 150 → 2 of 3 passes.
    // S2: no wifi, library empty, 200 ≥ 150 → 1 true, 1 unknown: not evaluable.
    assert_eq!(counts(&pack, &report, "R1"), (2, 1, 0, 1));

    let schools = "\
学校标识码,学校名称,乡镇街道,学段,在校生数,无线网络,图书室
S1,甲小学,东街道,小学,100,否,是
S2,乙小学,东街道,小学,200,是,是
";
    let (pack, report) = run(
        r#"
rule R1 "办学条件" {
  severity binding
  cite doc clause "一"
  for each schools
  assert at_least(2, [wifi, library, students >= 150])
}
"#,
        &[("学校.csv", schools)],
    );
    // S1: only library → fails, wifi and the size failed; S2: all three.
    assert_eq!(counts(&pack, &report, "R1"), (2, 1, 1, 0));
    let f = &result(&pack, &report, "R1").findings[0];
    assert_eq!(row_key(f), "S1");
    assert_eq!(
        f.failed_conditions,
        vec!["wifi".to_string(), "students >= 150".to_string()]
    );
}

// -------------------------------------------------------------- years

/// `prev(...)` on a table keyed by year: each year against the one before;
/// the first year has no previous year.
#[test]
fn prev_year_over_year() {
    let district = "\
年份,公务员工资
2023,90000
2024,95000
2025,94000
";
    let (pack, report) = run(
        r#"
rule R1 "公务员工资不下降" {
  severity binding
  cite doc clause "一"
  for each year
  assert district.civil_pay >= prev(district.civil_pay)
}
"#,
        &[("区县.csv", district)],
    );
    // 2023: no 2022; 2024: 95,000 ≥ 90,000; 2025: 94,000 < 95,000.
    assert_eq!(counts(&pack, &report, "R1"), (3, 1, 1, 1));
    let f = &result(&pack, &report, "R1").findings;
    assert_eq!(f.len(), 2);
    let (fail, ne): (Vec<&Finding>, Vec<&Finding>) =
        f.iter().partition(|f| f.outcome == Outcome::Fail);
    assert_eq!(fail[0].year, Some(2025));
    assert!(close(num(&fail[0].actual), 94000.0));
    assert!(close(num(&fail[0].threshold), 95000.0));
    assert_eq!(ne[0].year, Some(2023));
    assert_eq!(reason(ne[0]), &Unevaluable::NoPreviousYear { year: 2022 });
}

/// `trajectory(2020, 50%, 2025, 55%)` is 51% in 2021 (one fifth of the way)
/// and 53% in 2023. A percent column's `51` is 51%.
#[test]
fn trajectory_interpolates() {
    let district = "\
年份,巩固率
2021,51
2022,51.9
2023,53
";
    let (pack, report) = run(
        r#"
rule R1 "巩固率达到规划进度" {
  severity binding
  cite doc clause "一"
  for each year
  assert district.rate >= trajectory(2020, 50%, 2025, 55%)
}
"#,
        &[("区县.csv", district)],
    );
    // 2021: 51% ≥ 51% (equal, passes); 2022: 51.9% < 52%; 2023: 53% ≥ 53%.
    assert_eq!(counts(&pack, &report, "R1"), (3, 2, 1, 0));
    let f = &result(&pack, &report, "R1").findings[0];
    assert_eq!(f.year, Some(2022));
    assert!(close(num(&f.threshold), 0.52), "{:?}", f.threshold);
    assert!(close(num(&f.actual), 0.519), "{:?}", f.actual);
    assert!(matches!(
        f.threshold,
        Some(Shown::Num { percent: true, .. })
    ));
}

/// The weighted coefficient of variation (教督〔2017〕6号), by hand:
/// S1 100 students at 2 m²/人, S2 300 students at 6 m²/人.
/// P = 400; X̄ = (100·2 + 300·6) / 400 = 2000 / 400 = 5;
/// S² = (100/400)(2 − 5)² + (300/400)(6 − 5)² = 0.25·9 + 0.75·1 = 3;
/// CV = √3 / 5 = 0.346410161…
/// S3 (初中) is filtered out.
#[test]
fn weighted_cv() {
    let schools = "\
学校标识码,学校名称,乡镇街道,学段,在校生数,面积
S1,甲小学,东街道,小学,100,200
S2,乙小学,东街道,小学,300,1800
S3,丙中学,西街道,初中,500,100
";
    let (pack, report) = run(
        r#"
metric per_student for schools = area / students

rule STRICT "差异系数不超过0.30" {
  severity binding
  cite doc clause "一"
  for submission
  assert cv(schools.per_student where stage == 小学, weight = students) <= 0.30
}
rule LOOSE "差异系数不超过0.35" {
  severity binding
  cite doc clause "一"
  for submission
  assert cv(schools.per_student where stage == 小学, weight = students) <= 0.35
}
"#,
        &[("学校.csv", schools)],
    );
    assert_eq!(counts(&pack, &report, "STRICT"), (1, 0, 1, 0));
    assert_eq!(counts(&pack, &report, "LOOSE"), (1, 1, 0, 0));
    let f = &result(&pack, &report, "STRICT").findings[0];
    let cv = num(&f.actual);
    assert!((cv - 3f64.sqrt() / 5.0).abs() < 1e-12, "cv = {cv}");
    assert!((cv - 0.346_410_161).abs() < 1e-9, "cv = {cv}");
}
