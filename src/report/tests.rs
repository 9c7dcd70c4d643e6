//! Snapshot and unit tests of the renderers, over a hand-built rule pack,
//! submission and report (the renderers never evaluate rules).

use super::format::{
    format_shown, one_line, pad_left, pad_right, round_significant, truncate, width, wrap,
};
use super::summary::{BatchRow, render_batch};
use super::text::{TextOptions, failed_op};
use super::{Checked, Verdict, json, text};
use crate::data::{InputFile, Submission};
use crate::diag::Lang;
use crate::eval::complete::Completeness;
use crate::eval::finding::Skip;
use crate::eval::finding::{
    CheckReport, Entity, Finding, MsgPart, Outcome, RuleResult, Shown, Unevaluable,
};
use crate::pack::Severity;
use crate::pack::ir::{Assertion, Expr, Lit, Scope};
use crate::pack::{Citation, Rule, RuleMeta, RulePack, SeveritySpec, Years};
use crate::schema::{ColType, ColumnDef, Schema, TableDef, Unit};
use std::path::PathBuf;

// ---------------------------------------------------------------- fixtures

fn col(name: &str, alias: &str, ty: ColType, unit: Unit) -> ColumnDef {
    ColumnDef {
        name: name.into(),
        aliases: vec![alias.into()],
        ty,
        unit,
        optional: false,
        percent: false,
        range: None,
    }
}

fn schema() -> Schema {
    Schema {
        tables: vec![TableDef {
            name: "schools".into(),
            aliases: vec!["学校".into()],
            columns: vec![
                col("id", "学校标识码", ColType::Text, Unit::none()),
                col("name", "学校名称", ColType::Text, Unit::none()),
                col("township", "乡镇街道", ColType::Text, Unit::none()),
                col("students", "在校生数", ColType::Int, Unit::base("人")),
            ],
            key: vec![0],
            year_col: None,
        }],
        enums: Vec::new(),
    }
}

fn sev(base: Severity) -> SeveritySpec {
    SeveritySpec {
        base,
        from: Vec::new(),
    }
}

fn cite(clause: &str, quote: Option<&str>) -> Citation {
    Citation {
        document: "plan".into(),
        title: "万州区教育事业发展“十四五”规划".into(),
        clause: clause.into(),
        quote: quote.map(String::from),
    }
}

fn rule(
    id: &str,
    title: &str,
    severity: SeveritySpec,
    citation: Citation,
    years: Years,
    scope: Scope,
) -> Rule {
    Rule {
        meta: RuleMeta {
            id: id.into(),
            title: title.into(),
            severity,
            citation,
            years,
            scope_text: String::new(),
            file: 0,
            span: 0..0,
            params: Vec::new(),
            metrics: Vec::new(),
        },
        scope,
        when: None,
        assert: Assertion {
            expr: Expr::Lit(Lit::Bool(true)),
            display: Vec::new(),
            conditions: Vec::new(),
        },
        message: Vec::new(),
    }
}

fn pack() -> RulePack {
    let always = Years::default();
    let plan_years = Years {
        from: Some(2021),
        to: Some(2025),
    };
    RulePack {
        schema: schema(),
        documents: Vec::new(),
        params: Vec::new(),
        metric_sources: Vec::new(),
        rules: vec![
            rule(
                "A2.1",
                "公办园在园幼儿占比不低于55%",
                sev(Severity::Binding),
                cite(
                    "专栏2 第1项",
                    Some(
                        "到2025年实现公办园数量、公办园在园幼儿占比\n不低于55%目标，普惠性幼儿园覆盖率达到90%以上。",
                    ),
                ),
                plan_years,
                Scope::Year,
            ),
            rule(
                "B1.3",
                "小学生均教学及辅助用房面积达到国家基本办学标准",
                sev(Severity::Binding),
                cite("第三章 第二节", None),
                always,
                Scope::Row(0),
            ),
            rule(
                "C3",
                "各乡镇街道课后服务覆盖率",
                sev(Severity::Expected),
                cite("专栏3", Some("课后服务实现全覆盖。")),
                plan_years,
                Scope::Group(0, 2),
            ),
            rule(
                "D4",
                "义务教育学校8项指标至少达到6项",
                SeveritySpec {
                    base: Severity::Expected,
                    from: vec![(2025, Severity::Binding)],
                },
                Citation {
                    document: "balanced".into(),
                    title: "县域义务教育优质均衡发展督导评估办法".into(),
                    clause: "第九条".into(),
                    quote: None,
                },
                always,
                Scope::Row(0),
            ),
            rule(
                "E5",
                "教育经费逐年只增不减",
                sev(Severity::Binding),
                cite("第六章", Some("确保一般公共预算教育支出逐年只增不减。")),
                plan_years,
                Scope::Year,
            ),
            rule(
                "F6",
                "区县上报数据完整",
                sev(Severity::Info),
                Citation {
                    document: "data".into(),
                    title: String::new(),
                    clause: String::new(),
                    quote: None,
                },
                always,
                Scope::Submission,
            ),
            rule(
                "G7",
                "2026年起高中阶段毛入学率不低于95%",
                sev(Severity::Binding),
                cite("专栏2 第5项", None),
                Years {
                    from: Some(2026),
                    to: None,
                },
                Scope::Year,
            ),
            rule(
                "H8",
                "每所学校有学校标识码",
                sev(Severity::Binding),
                cite("附件", None),
                always,
                Scope::Row(0),
            ),
        ],
        coverage: Vec::new(),
        files: Vec::new(),
        seeds: Vec::new(),
        hash: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".into(),
        row_metrics: Vec::new(),
        metrics: Vec::new(),
        report: Default::default(),
        layers: Vec::new(),
        overrides: Vec::new(),
        disabled: Vec::new(),
        warnings: Vec::new(),
    }
}

fn submission(schema: &Schema) -> Submission {
    let mut sub = Submission::empty(schema, "测试区");
    sub.years = vec![2023, 2024, 2025];
    sub.files = vec![
        InputFile {
            path: PathBuf::from("学校.csv"),
            sha256: "a".repeat(64),
            note: None,
        },
        InputFile {
            path: PathBuf::from("sub\\区县.csv"),
            sha256: "b".repeat(64),
            note: Some("GB18030".into()),
        },
    ];
    sub
}

fn num(value: f64, unit: &str, percent: bool, integer: bool) -> Shown {
    let unit = if unit.is_empty() {
        Unit::none()
    } else {
        Unit::base(unit)
    };
    Shown::Num {
        value,
        unit,
        percent,
        integer,
    }
}

fn per_person(value: f64) -> Shown {
    Shown::Num {
        value,
        unit: Unit::base("m²").div(&Unit::base("人")),
        percent: false,
        integer: false,
    }
}

fn pct(value: f64) -> Shown {
    num(value, "", true, false)
}

fn fail(severity: Severity, year: Option<i32>, entity: Entity) -> Finding {
    Finding {
        outcome: Outcome::Fail,
        severity,
        year,
        entity,
        actual: None,
        op: None,
        threshold: None,
        parts: Vec::new(),
        failed_conditions: Vec::new(),
        message: Vec::new(),
    }
}

fn not_evaluable(
    severity: Severity,
    year: Option<i32>,
    entity: Entity,
    reason: Unevaluable,
) -> Finding {
    Finding {
        outcome: Outcome::NotEvaluable(reason),
        ..fail(severity, year, entity)
    }
}

fn school(row: usize, key: &str, name: Option<&str>) -> Entity {
    Entity::Row {
        table: "schools".into(),
        row,
        key: key.into(),
        name: name.map(String::from),
        location: Some(format!("学校.csv:{}", row + 2)),
    }
}

fn result(
    rule: usize,
    checks: usize,
    passed: usize,
    findings: Vec<Finding>,
    skipped: Option<Skip>,
) -> RuleResult {
    let failed = findings
        .iter()
        .filter(|f| f.outcome == Outcome::Fail)
        .count();
    RuleResult {
        rule,
        checks,
        passed,
        failed,
        not_evaluable: findings.len() - failed,
        findings,
        values: Vec::new(),
        distribution: None,
        row_values: Vec::new(),
        history: Vec::new(),
        skipped,
    }
}

fn report() -> CheckReport {
    use Severity::*;
    // A2.1: district-wide, per year, with the parts of the share.
    let a21 = |year: i32, actual: f64, num_: f64, den: f64| Finding {
        actual: Some(pct(actual)),
        op: Some(">=".into()),
        threshold: Some(pct(0.55)),
        parts: vec![num(num_, "人", false, true), num(den, "人", false, true)],
        message: vec![
            MsgPart::Text(format!("{year}年公办园在园幼儿占比为 ")),
            MsgPart::Value(pct(actual)),
            MsgPart::Text("，低于规划目标 ".into()),
            MsgPart::Value(pct(0.55)),
            MsgPart::Text("。".into()),
        ],
        ..fail(Binding, Some(year), Entity::Submission)
    };
    let a = vec![
        a21(2024, 0.4654, 11_203.0, 24_071.0),
        a21(2025, 12_345.0 / 25_612.0, 12_345.0, 25_612.0),
    ];

    // B1.3: per school; a not-evaluable school first, then 12 failures
    // (more than the cap), one without a name.
    let mut b = vec![not_evaluable(
        Binding,
        None,
        school(0, "5001010000", Some("万州区龙宝小学")),
        Unevaluable::ZeroDenominator {
            what: "students".into(),
        },
    )];
    for i in 1..=12 {
        let area = 3.0 + f64::from(i as u32) * 0.1;
        let name = match i {
            1 => Some("万州区第一小学".to_string()),
            5 => None,
            _ => Some(format!("万州区第{i}小学")),
        };
        b.push(Finding {
            actual: Some(per_person(area)),
            op: Some(">=".into()),
            threshold: Some(per_person(4.5)),
            parts: vec![
                num(area * 1000.0, "m²", false, false),
                num(1000.0, "人", false, true),
            ],
            message: vec![
                MsgPart::Text("生均教学及辅助用房面积 ".into()),
                MsgPart::Value(per_person(area)),
                MsgPart::Text("，差 ".into()),
                MsgPart::Value(per_person(4.5 - area)),
            ],
            ..fail(
                Binding,
                None,
                school(i, &format!("50010100{i:02}"), name.as_deref()),
            )
        });
    }

    // C3: per township (a group), expected, with a rounding-equal display.
    let c = vec![
        Finding {
            actual: Some(pct(0.99996)),
            op: Some("==".into()),
            threshold: Some(pct(1.0)),
            ..fail(
                Expected,
                Some(2025),
                Entity::Group {
                    table: "schools".into(),
                    column: "乡镇街道".into(),
                    value: "龙都街道".into(),
                },
            )
        },
        Finding {
            actual: Some(pct(0.8)),
            op: Some(">".into()),
            threshold: Some(pct(0.8)),
            ..fail(
                Expected,
                Some(2025),
                Entity::Group {
                    table: "schools".into(),
                    column: "乡镇街道".into(),
                    value: "高笋塘街道".into(),
                },
            )
        },
    ];

    // D4: at least 6 of 8, binding from 2025.
    let d = vec![
        Finding {
            failed_conditions: vec![
                "books_per_student >= 25".into(),
                "multimedia_per_100 >= 2.3".into(),
                "senior_teachers_per_100 >= 1".into(),
            ],
            message: vec![MsgPart::Text("8 项指标中仅 5 项达标".into())],
            ..fail(
                Binding,
                Some(2025),
                school(3, "5001010003", Some("万州区第三小学")),
            )
        },
        Finding {
            failed_conditions: vec!["books_per_student >= 25".into()],
            ..fail(
                Expected,
                Some(2024),
                school(3, "5001010003", Some("万州区第三小学")),
            )
        },
    ];

    // E5: nothing could be evaluated, one finding per reason.
    let e = vec![
        not_evaluable(
            Binding,
            Some(2023),
            Entity::Submission,
            Unevaluable::NoPreviousYear { year: 2022 },
        ),
        not_evaluable(
            Binding,
            Some(2024),
            Entity::Submission,
            Unevaluable::MissingValue {
                what: "district.edu_spending".into(),
            },
        ),
        not_evaluable(
            Binding,
            Some(2025),
            Entity::Submission,
            Unevaluable::NoRows {
                what: "sum(district.edu_spending)".into(),
            },
        ),
        not_evaluable(
            Binding,
            Some(2025),
            Entity::Submission,
            Unevaluable::NoDataForYear {
                table: "学校".into(),
                year: 2024,
            },
        ),
    ];

    // F6: info, no year, a bool and three parts (one with arithmetic noise).
    let f = vec![Finding {
        actual: Some(Shown::Bool(false)),
        op: Some("==".into()),
        threshold: Some(Shown::Bool(true)),
        parts: vec![
            num(0.1 + 0.2, "", false, false),
            Shown::Text("学校".into()),
            Shown::Missing,
        ],
        message: vec![
            MsgPart::Text("缺少 ".into()),
            MsgPart::Value(num(3.0, "", false, true)),
            MsgPart::Text(" 个表".into()),
        ],
        ..fail(Info, None, Entity::Submission)
    }];

    CheckReport {
        results: vec![
            result(0, 3, 1, a, None),
            result(1, 40, 27, b, None),
            result(2, 6, 4, c, None),
            result(3, 40, 38, d, None),
            result(4, 4, 0, e, None),
            result(5, 1, 0, f, None),
            result(
                6,
                0,
                0,
                Vec::new(),
                Some(Skip::NotInForce {
                    years: "2026–".into(),
                }),
            ),
            result(7, 40, 40, Vec::new(), None),
        ],
    }
}

// ---------------------------------------------------------------- snapshots

/// The report of a complete submission with these results.
fn checked<'a>(pack: &'a RulePack, sub: &'a Submission, report: &'a CheckReport) -> Checked<'a> {
    static COMPLETE: std::sync::OnceLock<Completeness> = std::sync::OnceLock::new();
    Checked {
        pack,
        sub,
        report: Some(report),
        completeness: COMPLETE.get_or_init(Completeness::default),
        warnings: &[],
    }
}

#[test]
fn text_report_snapshot() {
    let pack = pack();
    let sub = submission(&pack.schema);
    let out = text::render(&checked(&pack, &sub, &report()), &TextOptions::default());
    insta::assert_snapshot!("text_report", out);
}

#[test]
fn json_report_snapshot() {
    let pack = pack();
    let sub = submission(&pack.schema);
    let out = json::render(&checked(&pack, &sub, &report()), Lang::Zh);
    insta::assert_snapshot!("json_report", out);
}

#[test]
fn batch_summary_snapshot() {
    let rows = vec![
        BatchRow {
            name: "万州区".into(),
            report_year: Some(2025),
            binding_failures: 3,
            expected_failures: 1,
            not_evaluable: 2,
            checks: 1_250,
            binding_rules: 2,
            verdict: Some(Verdict::Fail),
            load_error: None,
        },
        BatchRow::failed(
            "开州区",
            "学校.csv:3: 列 `在校生数` 的值 `abc` 不是整数\n另有 2 处错误",
        ),
        BatchRow {
            name: "云阳县".into(),
            report_year: Some(2025),
            binding_failures: 0,
            expected_failures: 2,
            not_evaluable: 0,
            checks: 980,
            binding_rules: 0,
            verdict: Some(Verdict::Pass),
            load_error: None,
        },
        BatchRow {
            name: "巫山县".into(),
            report_year: Some(2024),
            binding_failures: 3,
            expected_failures: 1,
            not_evaluable: 0,
            checks: 1_100,
            binding_rules: 2,
            verdict: Some(Verdict::Fail),
            load_error: None,
        },
        BatchRow {
            name: "忠县".into(),
            report_year: Some(2025),
            binding_failures: 12,
            expected_failures: 0,
            not_evaluable: 0,
            checks: 12_345,
            binding_rules: 2,
            verdict: Some(Verdict::Fail),
            load_error: None,
        },
    ];
    insta::assert_snapshot!("batch_summary", render_batch(&rows, Lang::Zh));
}

// ---------------------------------------------------------------- text

/// The lines of the summary table: its header, rule and rows.
fn summary_table(out: &str) -> Vec<&str> {
    out.lines()
        .skip_while(|l| *l != "汇总")
        .skip(1)
        .take_while(|l| !l.is_empty() && !l.starts_with("未检查："))
        .collect()
}

#[test]
fn summary_table_rows_have_the_same_width() {
    let pack = pack();
    let sub = submission(&pack.schema);
    let out = text::render(&checked(&pack, &sub, &report()), &TextOptions::default());
    let table = summary_table(&out);
    // Header, rule, one row per rule.
    assert_eq!(table.len(), 2 + pack.rules.len(), "{out}");
    let w = width(table[0]);
    for line in &table {
        assert_eq!(
            unicode_width::UnicodeWidthStr::width(*line),
            w,
            "misaligned: {line:?}"
        );
    }
    // The long title is cut to 24 columns.
    let long = table
        .iter()
        .find(|l| l.starts_with("B1.3"))
        .expect("B1.3 row");
    assert!(long.contains("小学生均教学及辅助用房…"), "{long}");
}

#[test]
fn findings_are_capped_with_the_full_count() {
    let pack = pack();
    let sub = submission(&pack.schema);
    let opts = TextOptions {
        max_per_rule: 2,
        ..TextOptions::default()
    };
    let out = text::render(&checked(&pack, &sub, &report()), &opts);
    assert!(out.contains("  … 另有 11 条（共 13 条）\n"), "{out}");
    // Failures are shown before checks that could not be evaluated.
    let block: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("✗ B1.3"))
        .take(5)
        .collect();
    assert!(
        block[2].contains("万州区第一小学 (5001010001)  学校.csv:3  3.1 m²/人 < 4.5 m²/人"),
        "{block:?}"
    );
    assert!(!block.iter().any(|l| l.contains("龙宝")), "{block:?}");
}

#[test]
fn symbols_follow_the_strictest_failure() {
    let pack = pack();
    let sub = submission(&pack.schema);
    let out = text::render(&checked(&pack, &sub, &report()), &TextOptions::default());
    assert!(
        out.contains(
            "\n✗ A2.1  公办园在园幼儿占比不低于55%   [约束性]  未通过 2 项 / 共检查 3 项\n"
        ),
        "{out}"
    );
    assert!(out.contains("\n⚠ C3  "), "{out}");
    assert!(out.contains("\n✗ D4  "), "{out}");
    assert!(
        out.contains("\n? E5  教育经费逐年只增不减   [约束性]  不可评估 4 项 / 共检查 4 项\n"),
        "{out}"
    );
    assert!(out.contains("\nℹ F6  "), "{out}");
    assert!(!out.contains("G7  2026"), "skipped rules have no block");
}

#[test]
fn passing_report_says_so() {
    let pack = pack();
    let sub = submission(&pack.schema);
    let report = CheckReport {
        results: vec![result(7, 40, 40, Vec::new(), None)],
    };
    let out = text::render(&checked(&pack, &sub, &report), &TextOptions::default());
    assert!(out.contains("没有未通过或不可评估的检查。"), "{out}");
    assert!(
        out.ends_with("结论: 通过 — 约束性指标均已达标（共检查 40 项）\n"),
        "{out}"
    );
}

#[test]
fn colour_only_when_asked() {
    let pack = pack();
    let sub = submission(&pack.schema);
    let plain = text::render(&checked(&pack, &sub, &report()), &TextOptions::default());
    assert!(!plain.contains('\x1b'));
    let coloured = text::render(
        &checked(&pack, &sub, &report()),
        &TextOptions {
            color: true,
            ..TextOptions::default()
        },
    );
    assert!(coloured.contains("\x1b[31m✗\x1b[0m"), "{coloured}");
    // Stripping the escapes gives the plain text back.
    let mut stripped = String::new();
    let mut rest = coloured.as_str();
    while let Some(i) = rest.find('\x1b') {
        stripped.push_str(&rest[..i]);
        rest = &rest[i..];
        rest = &rest[rest.find('m').map_or(rest.len(), |j| j + 1)..];
    }
    stripped.push_str(rest);
    assert_eq!(stripped, plain);
}

#[test]
fn failed_operator_is_the_negation() {
    for (asserted, shown) in [
        (">=", "<"),
        (">", "≤"),
        ("<=", ">"),
        ("<", "≥"),
        ("==", "≠"),
        ("!=", "="),
    ] {
        assert_eq!(failed_op(asserted), Some(shown), "{asserted}");
    }
    assert_eq!(failed_op("in"), None);
}

#[test]
fn data_cannot_break_the_layout() {
    let pack = pack();
    let sub = submission(&pack.schema);
    let mut report = report();
    report.results[1].findings[1].entity = school(1, "50010\t10001", Some("第一\n小学\x1b[2J"));
    let out = text::render(&checked(&pack, &sub, &report), &TextOptions::default());
    assert!(!out.contains('\x1b') && !out.contains('\t'));
    assert!(
        out.contains("  • 第一 小学\\x1B[2J (50010 10001)  学校.csv:3"),
        "{out}"
    );
}

// ---------------------------------------------------------------- JSON

#[test]
fn json_is_valid_and_rounded() {
    let pack = pack();
    let sub = submission(&pack.schema);
    let out = json::render(&checked(&pack, &sub, &report()), Lang::Zh);
    assert!(out.ends_with("}\n"));
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["engine"]["version"], crate::VERSION);
    assert_eq!(v["summary"]["verdict"], "fail");
    assert_eq!(v["summary"]["binding_failures"], 15);
    assert_eq!(v["submission"]["files"][1]["path"], "sub/区县.csv");
    assert_eq!(v["rules"].as_array().map(Vec::len), Some(8));
    assert_eq!(v["rules"][3]["severity"], "binding");
    let f6 = v["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["rule"] == "F6"))
        .expect("F6");
    assert_eq!(f6["parts"][0]["value"].to_string(), "0.3");
    assert_eq!(f6["parts"][2]["value"], serde_json::Value::Null);
    assert_eq!(
        out,
        json::render(&checked(&pack, &sub, &report()), Lang::Zh),
        "byte-stable"
    );
}

#[test]
fn json_numbers() {
    let j = |x: f64| serde_json::to_string(&json::JsonNumber(x)).unwrap_or_default();
    assert_eq!(j(12345.0), "12345");
    assert_eq!(j(0.1 + 0.2), "0.3");
    assert_eq!(j(0.482), "0.482");
    assert_eq!(j(-2.5), "-2.5");
    assert_eq!(j(f64::NAN), "null");
    assert_eq!(j(f64::INFINITY), "null");
    assert_eq!(j(1e20), "1e+20");
    assert_eq!(round_significant(12_345.0 / 25_612.0), 0.4820006247);
}

// ---------------------------------------------------------------- format

#[test]
fn numbers_are_formatted_for_inspectors() {
    assert_eq!(format_shown(&num(12345.0, "人", false, true)), "12,345 人");
    assert_eq!(format_shown(&num(12345.0, "", false, true)), "12,345");
    assert_eq!(
        format_shown(&num(1_234_567.0, "", false, true)),
        "1,234,567"
    );
    assert_eq!(format_shown(&num(999.0, "", false, true)), "999");
    assert_eq!(format_shown(&pct(0.5148)), "51.48%");
    assert_eq!(format_shown(&pct(0.55)), "55%");
    assert_eq!(format_shown(&pct(0.482)), "48.2%");
    assert_eq!(format_shown(&pct(1.0)), "100%");
    assert_eq!(format_shown(&per_person(4.5)), "4.5 m²/人");
    assert_eq!(format_shown(&num(4.2, "", false, false)), "4.2");
    assert_eq!(format_shown(&num(0.45, "", false, false)), "0.45");
    assert_eq!(format_shown(&num(2512.5, "", false, false)), "2,512.5");
    assert_eq!(format_shown(&num(2.0 / 3.0, "", false, false)), "0.67");
    let yuan_per_person = Shown::Num {
        value: 2000.0,
        unit: Unit::base("元").div(&Unit::base("人")),
        percent: false,
        integer: false,
    };
    assert_eq!(format_shown(&yuan_per_person), "2,000 元/人");
    // A dimensionless whole number of four digits is a year, not grouped.
    assert_eq!(format_shown(&num(2025.0, "", false, true)), "2025");
}

#[test]
fn odd_numbers_do_not_panic() {
    assert_eq!(
        format_shown(&num(-12345.0, "人", false, true)),
        "-12,345 人"
    );
    assert_eq!(format_shown(&num(-0.5, "", false, false)), "-0.5");
    assert_eq!(format_shown(&num(-0.001, "", false, false)), "0");
    assert_eq!(format_shown(&num(-0.0, "", false, false)), "0");
    assert_eq!(format_shown(&pct(-0.1)), "-10%");
    assert_eq!(format_shown(&num(f64::NAN, "人", false, false)), "—");
    assert_eq!(format_shown(&pct(f64::INFINITY)), "—");
    assert_eq!(format_shown(&num(f64::NEG_INFINITY, "", false, false)), "—");
    assert_eq!(format_shown(&num(1e300, "", false, false)).len(), 401);
    assert_eq!(format_shown(&Shown::Bool(true)), "是");
    assert_eq!(format_shown(&Shown::Bool(false)), "否");
    assert_eq!(format_shown(&Shown::Text("小学".into())), "小学");
    assert_eq!(format_shown(&Shown::Missing), "—");
}

#[test]
fn width_helpers() {
    assert_eq!(width("小学ab"), 6);
    assert_eq!(pad_right("小学", 6), "小学  ");
    assert_eq!(pad_left("12", 4), "  12");
    assert_eq!(truncate("公办园在园幼儿占比", 10), "公办园在…");
    assert_eq!(width(&truncate("公办园在园幼儿占比", 10)), 9);
    assert_eq!(truncate("abc", 3), "abc");
    assert_eq!(one_line(" a\n\tb\x1b "), "a b\\x1B");
    assert_eq!(one_line("学校\u{202E}txt.exe"), "学校\\u{202E}txt.exe");
    for line in wrap(
        &"到2025年实现公办园在园幼儿占比不低于55%目标，".repeat(4),
        20,
    ) {
        assert!(width(&line) <= 20, "{line}");
    }
    assert_eq!(
        wrap("alpha beta gamma delta", 12),
        ["alpha beta", "gamma delta"]
    );
}

// ---------------------------------------------------------------- workbook

/// Every row of sheet `name` of an xlsx file held in memory, as text.
fn book_sheet(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    use calamine::{Data, Reader};
    let mut wb =
        calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap_or_else(|e| panic!("{e}"));
    let range = wb
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn cut_sheets_say_so_everywhere() {
    use super::xlsx::{BookOptions, cut_warnings, cuts, workbook_with};
    let pack = pack();
    let sub = submission(&pack.schema);
    let report = report();
    let v = super::view::build(&checked(&pack, &sub, &report), "测试区", Lang::Zh);
    let n = v.findings.len();
    assert!(n > 2, "the fixture needs findings to cut: {n}");

    // At Excel's limit nothing is cut: no note, no warning.
    assert!(cut_warnings(&v, Lang::Zh).is_empty());
    let full =
        workbook_with(&v, Lang::Zh, &BookOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let rows = book_sheet(&full, "整改清单");
    assert_eq!(rows.first().map(|r| r[0].as_str()), Some("乡镇街道"));
    assert_eq!(rows.len(), n + 1);
    let all = |rows: &[Vec<String>]| rows.iter().flatten().any(|c| c.contains("未列出"));
    assert!(!all(&book_sheet(&full, "汇总")));

    // Three rows a sheet: a note, the header and one finding.
    let small = BookOptions { max_rows: 3 };
    let cut = cuts(&v, &small, Lang::Zh);
    assert!(
        cut.iter()
            .any(|c| c.sheet == "整改清单" && c.shown == 1 && c.total == n),
        "{cut:?}"
    );
    let bytes = workbook_with(&v, Lang::Zh, &small).unwrap_or_else(|e| panic!("{e}"));
    let rows = book_sheet(&bytes, "整改清单");
    assert_eq!(rows.len(), 3, "{rows:?}");
    let note = &rows[0][0];
    let left = n - 1;
    assert!(
        note.contains(&format!("只列出前 1 行（共 {n} 行，{left} 行未列出")),
        "{note}"
    );
    assert!(
        note.contains("report.json") && !note.contains("1,048,576"),
        "{note}"
    );
    assert!(note.contains("最多 3 行"), "{note}");
    assert_eq!(rows[1][0], "乡镇街道");
    // Every cut sheet has its note, and 汇总 and 数据读取说明 list them all.
    for c in &cut {
        let rows = book_sheet(&bytes, &c.sheet);
        assert!(
            rows[0][0].contains("行未列出"),
            "{}: {:?}",
            c.sheet,
            rows[0]
        );
        assert_eq!(rows.len(), 3, "{}", c.sheet);
        for s in ["汇总", "数据读取说明"] {
            let rows = book_sheet(&bytes, s);
            assert!(
                rows.iter()
                    .flatten()
                    .any(|x| x.contains(&format!("工作表“{}”只列出前 1 行", c.sheet))),
                "{s} does not say {} was cut",
                c.sheet
            );
        }
    }
}

#[test]
fn school_sheet_exists_when_the_pack_declares_none() {
    let pack = pack();
    let sub = submission(&pack.schema);
    let report = report();
    let v = super::view::build(&checked(&pack, &sub, &report), "测试区", Lang::Zh);
    assert!(v.matrices.is_empty());
    let bytes = super::xlsx::workbook(&v, Lang::Zh).unwrap_or_else(|e| panic!("{e}"));
    let rows = book_sheet(&bytes, "学校指标");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0][0].contains("没有声明学校指标表"), "{rows:?}");
    assert_eq!(rows[1][..4], ["乡镇街道", "学校标识码", "学校名称", "学段"]);
}

#[test]
fn matrix_sheets_get_names_excel_accepts() {
    use super::view::MatrixView;
    use calamine::Reader;
    let pack = pack();
    let sub = submission(&pack.schema);
    let report = report();
    let mut v = super::view::build(&checked(&pack, &sub, &report), "测试区", Lang::Zh);
    // Titles a rule pack may write: another sheet's name, nothing, one too
    // long (twice, equal in their first 31 characters), one in quotes.
    let long = "义务教育学校办学条件达标情况一览表（按学校和学段列出的各项指标）";
    for title in ["汇总", "", long, long, "'学校指标'", "学校指标"] {
        v.matrices.push(MatrixView {
            title: title.to_string(),
            columns: Vec::new(),
            rows: Vec::new(),
        });
    }
    let bytes = super::xlsx::workbook(&v, Lang::Zh).unwrap_or_else(|e| panic!("{e}"));
    let wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
    let names = wb.sheet_names();
    let mut lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    lower.sort();
    lower.dedup();
    assert_eq!(lower.len(), names.len(), "{names:?}");
    for n in &names {
        assert!(
            !n.is_empty() && n.chars().count() <= 31 && !n.starts_with('\''),
            "{n:?}"
        );
    }
    for want in ["汇总", "汇总 2", "学校指标", "学校指标 2", "学校指标 3"] {
        assert!(names.iter().any(|n| n == want), "no {want}: {names:?}");
    }
}

/// Every sheet of the workbook prints on A4 landscape, one page wide (the
/// `pageSetup` of each sheet's XML), so it prints as it is from Excel/WPS
/// or LibreOffice.
#[test]
fn every_sheet_prints_on_a4_landscape_one_page_wide() {
    use std::io::Read;
    let pack = pack();
    let sub = submission(&pack.schema);
    let report = report();
    let v = super::view::build(&checked(&pack, &sub, &report), "测试区", Lang::Zh);
    let bytes = super::xlsx::workbook(&v, Lang::Zh).unwrap_or_else(|e| panic!("{e}"));
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
    let sheets: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| n.starts_with("xl/worksheets/sheet"))
        .map(|n| n.to_string())
        .collect();
    assert!(sheets.len() >= 6, "{sheets:?}");
    for name in sheets {
        let mut xml = String::new();
        zip.by_name(&name)
            .unwrap_or_else(|e| panic!("{e}"))
            .read_to_string(&mut xml)
            .unwrap_or_else(|e| panic!("{e}"));
        let setup = xml
            .split("<pageSetup")
            .nth(1)
            .and_then(|s| s.split("/>").next())
            .unwrap_or_else(|| panic!("{name}: no pageSetup"));
        for want in [
            "paperSize=\"9\"",
            "orientation=\"landscape\"",
            "fitToHeight=\"0\"",
        ] {
            assert!(setup.contains(want), "{name}: {setup}");
        }
        assert!(
            xml.contains("<pageSetUpPr fitToPage=\"1\""),
            "{name}: not fitted to the page width"
        );
    }
}
