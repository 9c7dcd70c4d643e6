//! The key and the year: unit tests on small reports written here (the
//! fields `dudao check --format json` writes, as few as the comparison
//! reads). `cli/tests/diff.rs` runs the command on reports of the real binary.

use super::*;
use serde_json::{Value, json};

/// A finding of `rule` for the school `key` in `year`: `actual` against a
/// `>=` standard `threshold`.
fn school(rule: &str, year: i32, key: &str, actual: &str, threshold: &str) -> Value {
    json!({
        "rule": rule, "outcome": "fail", "year": year,
        "entity": {"kind": "row", "table": "schools", "key": key, "name": format!("学校{key}"),
                   "location": "学校.csv:2", "column": null, "value": null},
        "actual": {"value": 1, "display": actual, "unit": "", "percent": false},
        "op": ">=",
        "threshold": {"value": 2, "display": threshold, "unit": "", "percent": false},
        "message": "ignored",
    })
}

fn district(rule: &str, year: i32, actual: &str) -> Value {
    json!({
        "rule": rule, "outcome": "fail", "year": year,
        "entity": {"kind": "submission", "table": null, "key": null, "name": null},
        "actual": {"display": actual}, "op": ">=", "threshold": {"display": "55%"},
    })
}

fn report(name: &str, report_year: i32, findings: Vec<Value>) -> Value {
    json!({
        "status": "loaded",
        "rule_pack": {"hash": "aaaa", "rules": 2},
        "submission": {"name": name, "report_year": report_year,
                       "files": [{"path": "学校.csv", "sha256": format!("{name}-{report_year}")}]},
        "summary": {"checked": true},
        "rules": [{"id": "B4", "title": "生均教学及辅助用房面积"}, {"id": "A1", "title": "全区指标"}],
        "findings": findings,
        "some_future_field": [1, 2, 3],
    })
}

fn batch(entries: Vec<(&str, Value)>) -> Value {
    json!({
        "rule_pack": {"hash": "aaaa"},
        "submissions": entries.into_iter().map(|(label, r)| json!({
            "label": label, "path": label, "status": "loaded", "report": r,
        })).collect::<Vec<_>>(),
    })
}

fn side(name: &str, v: &Value) -> Side {
    read_report(name, &v.to_string()).unwrap_or_else(|d| panic!("{name}: {}", d.message.zh()))
}

fn diff(old: &Value, new: &Value) -> Diff {
    compare(&side("old.json", old), &side("new.json", new))
        .unwrap_or_else(|d| panic!("{}", d.message.zh()))
}

/// `(change, rule, entity key or kind, old year, new year)` of a finding.
type Row = (Change, String, String, Option<i32>, Option<i32>);

/// The [`Row`] of every finding.
fn changes(d: &Diff) -> Vec<Row> {
    d.rules
        .iter()
        .flat_map(|r| {
            r.findings.iter().map(|f| {
                (
                    f.change,
                    r.rule.clone(),
                    f.entity
                        .key
                        .clone()
                        .unwrap_or_else(|| f.entity.kind.clone()),
                    f.old.as_ref().and_then(|s| s.year),
                    f.new.as_ref().and_then(|s| s.year),
                )
            })
        })
        .collect()
}

#[test]
fn year_key_counts_from_the_report_year_or_not() {
    let m = YearMode::FromReportYear;
    assert_eq!(year_key(Some(2025), Some(2025), m), YearKey::FromReport(0));
    assert_eq!(year_key(Some(2024), Some(2025), m), YearKey::FromReport(-1));
    assert_eq!(year_key(Some(2024), Some(2024), m), YearKey::FromReport(0));
    assert_eq!(year_key(None, Some(2024), m), YearKey::None);
    // Without a report year, and for batches, the year itself.
    assert_eq!(year_key(Some(2024), None, m), YearKey::Year(2024));
    assert_eq!(
        year_key(Some(2024), Some(2025), YearMode::Year),
        YearKey::Year(2024)
    );
}

#[test]
fn entity_key_is_the_row_key_the_group_or_the_district() {
    let e = |kind: &str, key: Option<&str>, column: Option<&str>, value: Option<&str>| EntityInfo {
        kind: kind.into(),
        table: Some("schools".into()),
        key: key.map(Into::into),
        name: Some("万州区第一小学".into()),
        column: column.map(Into::into),
        value: value.map(Into::into),
    };
    assert_eq!(
        entity_key(&e("row", Some("5001020002"), None, None), Some(2025)),
        EntityKey::Row("5001020002".into())
    );
    assert_eq!(
        entity_key(
            &e("group", None, Some("乡镇街道"), Some("龙都街道")),
            Some(2025)
        ),
        EntityKey::Group("乡镇街道=龙都街道".into())
    );
    assert_eq!(
        entity_key(&e("submission", None, None, None), None),
        EntityKey::Submission
    );
    // A row of a table by year is keyed by its year, not by "2025".
    assert_eq!(
        entity_key(&e("row", Some("2025"), None, None), Some(2025)),
        EntityKey::YearRow
    );
    assert_eq!(
        entity_key(&e("row", Some("2025"), None, None), Some(2024)),
        EntityKey::Row("2025".into())
    );
}

#[test]
fn two_years_of_one_district_line_up_by_report_year() {
    let old = report(
        "wanzhou-2024",
        2024,
        vec![
            school("B4", 2024, "5001", "4 m²/人", "4.5 m²/人"),
            school("B4", 2024, "5002", "4.1 m²/人", "4.5 m²/人"),
            district("A1", 2024, "50%"),
            district("A1", 2023, "49%"),
        ],
    );
    let new = report(
        "wanzhou-2025",
        2025,
        vec![
            school("B4", 2025, "5001", "4 m²/人", "4.5 m²/人"),
            school("B4", 2025, "5003", "4.2 m²/人", "4.5 m²/人"),
            district("A1", 2025, "50%"),
            district("A1", 2024, "50%"),
        ],
    );
    let d = diff(&old, &new);
    assert_eq!(d.years, YearMode::FromReportYear);
    assert_eq!(d.kind, DiffKind::Submissions, "same rule pack");
    let s = |c, r: &str, k: &str, a, b| (c, r.to_string(), k.to_string(), a, b);
    assert_eq!(
        changes(&d),
        vec![
            s(Change::Added, "B4", "5003", None, Some(2025)),
            s(Change::Removed, "B4", "5002", Some(2024), None),
            s(Change::Persisting, "B4", "5001", Some(2024), Some(2025)),
            // The year before the report year against the year before.
            s(Change::Changed, "A1", "submission", Some(2023), Some(2024)),
            s(
                Change::Persisting,
                "A1",
                "submission",
                Some(2024),
                Some(2025)
            ),
        ]
    );
    let c = d.summary.counts;
    assert_eq!((c.added, c.removed, c.changed, c.persisting), (1, 1, 1, 2));
    assert_eq!(d.summary.exit_code, 1);
    assert_eq!(d.summary.rules_changed, 2);
}

#[test]
fn batch_reports_key_by_label_and_the_year_itself() {
    let a = report("2024", 2024, vec![school("B4", 2024, "5001", "4", "4.5")]);
    let b = report("2025", 2025, vec![school("B4", 2025, "5001", "4", "4.5")]);
    // In batches the years are not shifted: 2024 and 2025 are not one key.
    let d = diff(
        &batch(vec![("万州区/2024", a.clone())]),
        &batch(vec![("万州区/2024", b.clone())]),
    );
    assert_eq!(d.years, YearMode::Year);
    assert_eq!((d.summary.counts.added, d.summary.counts.removed), (1, 1));
    // A single report against a batch of one compares as two single reports.
    let d = diff(&a, &batch(vec![("万州区/2025", b.clone())]));
    assert_eq!(d.years, YearMode::FromReportYear);
    assert_eq!(d.summary.counts.persisting, 1);
    let d = diff(
        &batch(vec![("万州区", a.clone()), ("开州区", a.clone())]),
        &batch(vec![("万州区", b.clone()), ("开州区", a.clone())]),
    );
    assert_eq!(d.years, YearMode::Year);
    let found: Vec<(Change, Option<String>)> = d
        .rules
        .iter()
        .flat_map(|r| r.findings.iter().map(|f| (f.change, f.submission.clone())))
        .collect();
    assert_eq!(
        found,
        vec![
            (Change::Added, Some("万州区".into())),
            (Change::Removed, Some("万州区".into())),
            (Change::Persisting, Some("开州区".into())),
        ]
    );
}

#[test]
fn changed_means_outcome_value_or_standard() {
    let base = school("B4", 2025, "5001", "4 m²/人", "4.5 m²/人");
    let mut message = base.clone();
    message["message"] = json!("another message");
    message["entity"]["location"] = json!("学校.csv:99");
    let threshold = school("B4", 2025, "5001", "4 m²/人", "4.2 m²/人");
    let value = school("B4", 2025, "5001", "3.9 m²/人", "4.5 m²/人");
    let mut outcome = base.clone();
    outcome["outcome"] = json!("not_evaluable");
    outcome["reason"] = json!({"kind": "missing_value", "text": "缺少数据"});
    let one = |f: &Value| report("x", 2025, vec![f.clone()]);
    let first = |d: &Diff| changes(d).first().map(|c| c.0);
    assert_eq!(
        first(&diff(&one(&base), &one(&message))),
        Some(Change::Persisting)
    );
    for other in [&threshold, &value, &outcome] {
        assert_eq!(
            first(&diff(&one(&base), &one(other))),
            Some(Change::Changed)
        );
    }
    let same = diff(&one(&base), &one(&message));
    assert!(!same.summary.differ);
    assert_eq!(same.summary.exit_code, 0);
}

#[test]
fn order_and_duplicates_do_not_matter() {
    let fs = vec![
        school("B4", 2025, "5001", "4", "4.5"),
        school("B4", 2025, "5002", "4", "4.5"),
        school("B4", 2025, "5002", "3", "4.5"),
        district("A1", 2025, "50%"),
    ];
    let mut reversed = fs.clone();
    reversed.reverse();
    let d = diff(&report("x", 2025, fs.clone()), &report("x", 2025, reversed));
    assert!(!d.summary.differ, "{:?}", changes(&d));
    assert_eq!(d.summary.counts.persisting, 4);
    // The two findings of one key pair by value: one changed, not two.
    let mut one_changed = fs;
    one_changed[2] = school("B4", 2025, "5002", "2", "4.5");
    let d = diff(
        &report("x", 2025, one_changed.clone()),
        &report("x", 2025, {
            let mut v = one_changed;
            v[2] = school("B4", 2025, "5002", "3", "4.5");
            v.swap(1, 2);
            v
        }),
    );
    assert_eq!(d.summary.counts.changed, 1, "{:?}", changes(&d));
    assert_eq!(d.summary.counts.persisting, 3);
}

#[test]
fn a_single_report_and_a_batch_of_several_are_refused() {
    let r = report("x", 2025, vec![]);
    let b = batch(vec![("a", r.clone()), ("b", r.clone())]);
    let e = compare(&side("one.json", &r), &side("many.json", &b)).err();
    assert_eq!(e.map(|d| d.code), Some(Code::DiffMixedReports));
}

#[test]
fn a_submission_not_checked_is_not_compared() {
    let r = report("x", 2025, vec![school("B4", 2025, "5001", "4", "4.5")]);
    let mut unchecked = report("x", 2025, vec![]);
    unchecked["summary"]["checked"] = json!(false);
    let d = diff(&r, &unchecked);
    // No finding counts as removed: the new side was not checked.
    assert_eq!(d.summary.counts, Counts::default());
    assert_eq!(d.summary.exit_code, 2);
    assert_eq!(d.not_comparable.len(), 1);
    assert_eq!(
        d.warnings().first().map(|w| w.code),
        Some(Code::DiffNotComparable)
    );

    let mut failed_b = batch(vec![("a", r.clone()), ("b", r.clone())]);
    failed_b["submissions"][1]["status"] = json!("failed_to_load");
    failed_b["submissions"][1]["report"] = Value::Null;
    let d = diff(&batch(vec![("a", r.clone()), ("b", r.clone())]), &failed_b);
    assert_eq!(d.summary.counts.persisting, 1, "a is still compared");
    assert_eq!(
        d.not_comparable.first().map(|n| n.submission.as_str()),
        Some("b")
    );
    assert_eq!(d.summary.exit_code, 2);

    // A label on one side only: not fixed, not new, but not compared.
    let d = diff(
        &batch(vec![("a", r.clone()), ("b", r.clone())]),
        &batch(vec![("a", r.clone()), ("c", r.clone())]),
    );
    assert_eq!(d.summary.counts.differences(), 0, "{:?}", changes(&d));
    assert_eq!(d.summary.counts.persisting, 1);
    let absent: Vec<(&str, &str, Unchecked)> = d
        .not_comparable
        .iter()
        .map(|n| (n.submission.as_str(), n.side, n.reason))
        .collect();
    assert_eq!(
        absent,
        vec![
            ("c", "old", Unchecked::Absent),
            ("b", "new", Unchecked::Absent)
        ]
    );
}

#[test]
fn what_is_not_a_report_is_named_with_its_place() {
    let err = |text: &str| read_report("x.json", text).err().map(|d| *d);
    let cut = err("{\n  \"findings\": [\n").expect("cut JSON is an error");
    assert_eq!(cut.code, Code::DiffBadReport);
    let loc = cut.location().expect("a location");
    assert_eq!((loc.source.as_str(), loc.line), ("x.json", Some(3)));
    let typed = err("{\n  \"findings\": 3\n}").expect("wrong type is an error");
    assert_eq!(typed.location().and_then(|l| l.line), Some(2));
    let other = err("{\"学校\": 1}").expect("another document is an error");
    assert!(
        other.message.zh().contains("不是 dudao 的检查报告"),
        "{:?}",
        other.message
    );
    let rules = err("{\"status\": \"rules_failed\", \"errors\": []}").expect("rules_failed");
    assert!(
        rules.message.zh().contains("规则包编译失败"),
        "{:?}",
        rules.message
    );
    assert!(err("[1, 2]").is_some());
    assert!(err("").is_some());
}

#[test]
fn kind_tells_rules_from_data() {
    let r = report("x", 2025, vec![]);
    let mut other_pack = r.clone();
    other_pack["rule_pack"]["hash"] = json!("bbbb");
    assert_eq!(diff(&r, &other_pack).kind, DiffKind::Rules);
    let mut both = other_pack.clone();
    both["submission"]["files"][0]["sha256"] = json!("cccc");
    assert_eq!(diff(&r, &both).kind, DiffKind::Both);
    assert_eq!(diff(&r, &r).kind, DiffKind::Same);
    let mut other_data = r.clone();
    other_data["submission"]["files"][0]["sha256"] = json!("cccc");
    assert_eq!(diff(&r, &other_data).kind, DiffKind::Submissions);
}

#[test]
fn offsets_of_serde_positions() {
    let text = "ab\n万c\nd";
    assert_eq!(offset_of(text, 1, 1), 0);
    assert_eq!(offset_of(text, 2, 1), 3);
    // Column 4 is the byte after 万 (3 bytes).
    assert_eq!(offset_of(text, 2, 4), 6);
    // Inside a character: moved back to its start.
    assert_eq!(offset_of(text, 2, 2), 3);
    assert_eq!(offset_of(text, 9, 9), text.len());
}
