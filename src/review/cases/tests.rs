//! Reading cases, comparing, `--accept`'s text and coverage, on the tiny
//! pack of `fixtures/pack-tests/` checked for real.

use super::*;
use crate::report::json::JsonReport;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const IDS: &[&str] = &["S1", "S2", "T1", "D1"];

/// The JSON report of a submission of `fixtures/pack-tests/tests/`.
fn report_of(case: &str, year: Option<i32>) -> JsonReport {
    let dir = root().join("fixtures/pack-tests");
    let pack = crate::check::load_pack(&dir)
        .unwrap_or_else(|d| panic!("{}", crate::diag::render_plain(&d)));
    let loaded = crate::data::load_submission(&pack.schema, &dir.join("tests").join(case))
        .unwrap_or_else(|e| panic!("{}", crate::diag::render_plain(&e.diags)));
    let opts = crate::eval::CheckOptions {
        year,
        ..Default::default()
    };
    let results = crate::eval::check(&pack, &loaded.submission, Vec::new(), &opts, &|| {});
    let checked = crate::report::Checked::new(&pack, &loaded.submission, &results);
    crate::report::json::build(&checked, Lang::Zh)
}

fn finding(
    rule: &str,
    year: Option<i32>,
    entity: &str,
    outcome: Outcome,
    value: Option<&str>,
) -> Finding {
    Finding {
        rule: rule.to_string(),
        year,
        entity: entity.to_string(),
        outcome,
        value: value.map(str::to_string),
    }
}

fn codes(diags: &[Diag]) -> Vec<&'static str> {
    diags.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn a_case_is_read_with_its_fields() {
    let text = r#"
# a comment
year = 2025
submission = "../data"
rules = ["S1", "T1"]

[[finding]]
rule = "S1"
year = 2025
entity = "002"
outcome = "fail"
value = "4 m²/人"

[[finding]]
rule = "T1"
entity = "乡镇街道=高笋塘街道"
outcome = "not_evaluable"
"#;
    let case = parse("expected.toml", text, IDS).unwrap_or_else(|d| panic!("{d:?}"));
    assert_eq!(case.year, Some(2025));
    let (sub, span) = case.submission.clone().expect("submission");
    assert_eq!(sub, "../data");
    assert_eq!(text.get(span), Some("\"../data\""));
    assert_eq!(case.rules, ["S1", "T1"]);
    assert_eq!(
        case.findings,
        [
            finding("S1", Some(2025), "002", Outcome::Fail, Some("4 m²/人")),
            finding(
                "T1",
                None,
                "乡镇街道=高笋塘街道",
                Outcome::NotEvaluable,
                None
            ),
        ]
    );
}

#[test]
fn every_mistake_of_a_case_is_reported_where_it_is() {
    let text =
        std::fs::read_to_string(root().join("fixtures/pack-tests/tests/bad-fields/expected.toml"))
            .expect("fixture");
    let diags = parse("expected.toml", &text, IDS).expect_err("mistakes");
    assert_eq!(
        codes(&diags),
        [
            "dudao::test::unknown_rule",
            "dudao::test::bad_case",
            "dudao::test::rule_not_in_scope",
            "dudao::test::bad_case",
            "dudao::test::bad_case",
        ]
    );
    let at = |i: usize| {
        let d = diags.get(i).expect("diag");
        let (span, _) = d.labels.first().expect("label");
        text.get(span.clone()).unwrap_or_default().to_string()
    };
    assert_eq!(at(0), "\"S9\"");
    assert_eq!(
        diags.first().and_then(|d| d.help.as_ref()).map(|h| h.zh()),
        Some("是不是 `S1`？")
    );
    assert_eq!(at(2), "\"T1\"");
    assert_eq!(at(3), "\"failed\"");
    assert_eq!(at(4), "20255");
}

#[test]
fn toml_errors_and_missing_rules_are_bad_cases() {
    let diags = parse("expected.toml", "rules = [\"S1\"\nyear = 2025\n", IDS).expect_err("syntax");
    assert_eq!(codes(&diags), ["dudao::test::bad_case"]);
    let loc = diags.first().and_then(Diag::location).expect("location");
    assert_eq!(loc.line, Some(2));

    let diags = parse("expected.toml", "year = 2025\n", IDS).expect_err("no rules");
    assert_eq!(codes(&diags), ["dudao::test::bad_case"]);
    assert_eq!(
        diags.first().map(|d| d.message.zh()),
        Some("用例没有列出要测试的规则")
    );

    let diags = parse("expected.toml", "rules = []\n", IDS).expect_err("empty rules");
    assert_eq!(codes(&diags), ["dudao::test::bad_case"]);

    let twice = "rules = [\"S1\"]\n[[finding]]\nrule = \"S1\"\nentity = \"1\"\noutcome = \"fail\"\n[[finding]]\nrule = \"S1\"\nentity = \"1\"\noutcome = \"not_evaluable\"\n";
    let diags = parse("expected.toml", twice, IDS).expect_err("twice");
    assert_eq!(codes(&diags), ["dudao::test::bad_case"]);
    assert_eq!(diags.first().map(|d| d.offset()), twice.rfind("\"1\""));
}

#[test]
fn findings_are_keyed_as_the_json_report_writes_them() {
    let report = report_of("pass-basic", None);
    let all: Vec<String> = IDS.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        actual_findings(&report, &all),
        [
            finding("S1", Some(2025), "002", Outcome::Fail, Some("4 m²/人")),
            finding("S1", Some(2025), "004", Outcome::NotEvaluable, Some("—")),
            finding("S2", Some(2025), "003", Outcome::Fail, Some("80 人")),
            finding(
                "T1",
                Some(2025),
                "乡镇街道=高笋塘街道",
                Outcome::Fail,
                Some("80 人")
            ),
            finding("D1", Some(2025), "全区", Outcome::Fail, Some("900 万元")),
        ]
    );
    // Scoped: only the rules named.
    let s1 = vec!["S1".to_string()];
    assert_eq!(actual_findings(&report, &s1).len(), 2);
}

#[test]
fn a_case_passes_only_when_its_findings_are_exactly_the_ones_found() {
    let report = report_of("pass-basic", None);
    let text = "rules = [\"S1\", \"T1\"]\n[[finding]]\nrule = \"S1\"\nyear = 2025\nentity = \"002\"\noutcome = \"fail\"\nvalue = \"4 m²/人\"\n[[finding]]\nrule = \"S1\"\nyear = 2025\nentity = \"004\"\noutcome = \"not_evaluable\"\n[[finding]]\nrule = \"T1\"\nyear = 2025\nentity = \"乡镇街道=高笋塘街道\"\noutcome = \"fail\"\n";
    let case = parse("expected.toml", text, IDS).expect("case");
    let j = judge(&case, &report, Lang::Zh);
    assert!(j.passed(), "{j:?}");

    // A wrong value: the expected finding is missing and the real one unexpected.
    let wrong = text.replace("4 m²/人", "4.5 m²/人");
    let case = parse("expected.toml", &wrong, IDS).expect("case");
    let j = judge(&case, &report, Lang::Zh);
    assert!(!j.passed());
    assert_eq!(
        j.missing,
        [finding(
            "S1",
            Some(2025),
            "002",
            Outcome::Fail,
            Some("4.5 m²/人")
        )]
    );
    assert_eq!(
        j.unexpected,
        [finding(
            "S1",
            Some(2025),
            "002",
            Outcome::Fail,
            Some("4 m²/人")
        )]
    );

    // A wrong outcome, and a finding left out.
    let wrong = text
        .replace("\"not_evaluable\"", "\"fail\"")
        .replace("rule = \"T1\"", "rule = \"S1\"");
    let case = parse("expected.toml", &wrong, IDS).expect("case");
    let j = judge(&case, &report, Lang::Zh);
    assert_eq!(j.missing.len(), 2, "{j:?}");
    assert_eq!(
        j.unexpected
            .iter()
            .map(|f| f.entity.as_str())
            .collect::<Vec<_>>(),
        ["004", "乡镇街道=高笋塘街道"]
    );
}

#[test]
fn a_rule_never_checked_fails_the_case() {
    let report = report_of("never-checked", None);
    let case = parse("expected.toml", "rules = [\"S1\", \"S2\", \"D1\"]\n", IDS).expect("case");
    let j = judge(&case, &report, Lang::Zh);
    assert!(j.missing.is_empty() && j.unexpected.is_empty(), "{j:?}");
    let rules: Vec<&str> = j.not_checked.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(rules, ["S2", "D1"]);
    assert!(
        j.not_checked.iter().all(|(_, why)| !why.is_empty()),
        "{j:?}"
    );
    assert!(!j.passed());
}

#[test]
fn incomplete_data_fails_the_case_with_the_reason() {
    // pass-basic's data ends in 2025: a case for 2024 is incomplete.
    let report = report_of("pass-basic", Some(2024));
    let case = parse("expected.toml", "year = 2024\nrules = [\"S1\"]\n", IDS).expect("case");
    let j = judge(&case, &report, Lang::Zh);
    let detail = j.incomplete.clone().expect("incomplete");
    assert!(detail.starts_with("数据不完整"), "{detail}");
    assert!(!j.passed());
}

#[test]
fn accept_keeps_the_head_and_writes_findings_that_read_back() {
    let report = report_of("pass-basic", None);
    let original = "# 说明：保留这一行\nyear = 2025\nrules = [\"S1\", \"T1\"]  # 注释\n\n# 旧的\n[[finding]]\nrule = \"S1\"\nentity = \"001\"\noutcome = \"fail\"\n";
    let case = parse("expected.toml", original, IDS).expect("case");
    let actual = actual_findings(&report, &case.rules);
    let text = accepted_text(original, &case, &actual);
    assert!(
        text.starts_with("# 说明：保留这一行\nyear = 2025\nrules = [\"S1\", \"T1\"]  # 注释\n\n# 旧的\n\n[[finding]]\nrule = \"S1\"\nyear = 2025\nentity = \"002\"\noutcome = \"fail\"\nvalue = \"4 m²/人\"\n"),
        "{text}"
    );
    // Not evaluable: no value.
    assert!(
        text.contains("entity = \"004\"\noutcome = \"not_evaluable\"\n"),
        "{text}"
    );
    let again = parse("expected.toml", &text, IDS).expect("reads back");
    assert!(judge(&again, &report, Lang::Zh).passed());
    // Accepting twice changes nothing.
    assert_eq!(accepted_text(&text, &again, &actual), text);
}

#[test]
fn accept_writes_the_head_anew_when_findings_are_inline() {
    let original =
        "rules = [\"S1\"]\nfinding = [{ rule = \"S1\", entity = \"9\", outcome = \"fail\" }]\n";
    let case = parse("expected.toml", original, IDS).expect("case");
    let text = accepted_text(original, &case, &[]);
    assert_eq!(text, "rules = [\"S1\"]\n");
    assert!(parse("expected.toml", &text, IDS).is_ok());
}

#[test]
fn failed_cases_list_findings_aligned_by_display_width() {
    let j = Judgement {
        missing: vec![finding(
            "S1",
            Some(2025),
            "002",
            Outcome::Fail,
            Some("4.5 m²/人"),
        )],
        unexpected: vec![
            finding(
                "T1",
                Some(2025),
                "乡镇街道=高笋塘街道",
                Outcome::Fail,
                Some("80 人"),
            ),
            finding("D1", None, "全区", Outcome::NotEvaluable, None),
        ],
        not_checked: vec![("S2".to_string(), "没有适用的行".to_string())],
        incomplete: None,
    };
    let lines = explain(&j, Lang::Zh);
    assert_eq!(
        lines,
        [
            "    规则 S2 没有检查任何对象：没有适用的行",
            "    缺少（预期有，实际没有）：",
            "      S1  2025  002                  fail           4.5 m²/人",
            "    多出（实际有，预期没有）：",
            "      T1  2025  乡镇街道=高笋塘街道  fail           80 人",
            "      D1  —     全区                 not_evaluable",
        ]
    );
    assert_eq!(
        explain(&j, Lang::En).get(1).map(String::as_str),
        Some("    missing (expected, not found):")
    );
}

#[test]
fn coverage_lists_each_rule_with_its_cases() {
    let a = vec!["S1".to_string(), "T1".to_string()];
    let b = vec!["S1".to_string()];
    let rows = coverage(IDS, &[("b-case", &b, false), ("a-case", &a, true)]);
    assert_eq!(
        rows,
        [
            RuleCoverage {
                rule: "S1".into(),
                passing: vec!["a-case".into()],
                failing: vec!["b-case".into()],
            },
            RuleCoverage {
                rule: "S2".into(),
                ..Default::default()
            },
            RuleCoverage {
                rule: "T1".into(),
                passing: vec!["a-case".into()],
                failing: vec![],
            },
            RuleCoverage {
                rule: "D1".into(),
                ..Default::default()
            },
        ]
    );
    assert_eq!(
        render_coverage(&rows, Lang::Zh),
        "规则  通过的用例  未通过的用例\nS1    a-case      b-case\nT1    a-case      —\n\n没有用例的规则（2 条）：\n  S2, D1\n\n4 条规则中 2 条有用例\n"
    );
}

#[test]
fn accept_keeps_windows_line_ends_and_a_byte_order_mark_is_read() {
    let report = report_of("pass-basic", None);
    let original = "\u{feff}# 注释\r\nrules = [\"S1\"]\r\n";
    let case = parse("expected.toml", original, IDS).expect("a BOM is not TOML");
    let actual = actual_findings(&report, &case.rules);
    let text = accepted_text(case.source.inner(), &case, &actual);
    assert!(
        text.starts_with("# 注释\r\nrules = [\"S1\"]\r\n\r\n[[finding]]\r\n"),
        "{text:?}"
    );
    assert!(!text.replace("\r\n", "").contains('\n'), "{text:?}");
    let again = parse("expected.toml", &text, IDS).expect("reads back");
    assert!(judge(&again, &report, Lang::Zh).passed());
}
