//! The terminal report over the bundled realistic district
//! (`fixtures/generated/wanzhou-2025`): wrapped at 80 columns it splits no
//! number and parts no number from its unit, and says the same words as
//! unwrapped; `--by school` lists each school with all its findings; the
//! summary lists failing rules first; compound conditions are in words.

use dudao::diag::render_plain;
use dudao::pack::RulePack;
use dudao::report::text::{self, TextOptions};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use unicode_width::UnicodeWidthStr;

/// The workspace root (rules/, national/, fixtures/), above this crate.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|d| d.join("rules").is_dir() && d.join("Cargo.lock").is_file())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| panic!("no workspace root above {}", env!("CARGO_MANIFEST_DIR")))
}

fn pack() -> &'static RulePack {
    static P: OnceLock<RulePack> = OnceLock::new();
    P.get_or_init(|| match dudao::check::load_pack(&root().join("rules")) {
        Ok(p) => p,
        Err(d) => panic!("the rule pack does not compile:\n{}", render_plain(&d)),
    })
}

/// The text report of `folder` with `opts`.
fn report(folder: &str, opts: &TextOptions) -> String {
    let pack = pack();
    let loaded = dudao::data::load_submission(&pack.schema, &root().join(folder))
        .unwrap_or_else(|e| panic!("{folder}: {}", render_plain(&e.diags)));
    let sub = &loaded.submission;
    let results = dudao::eval::check(
        pack,
        sub,
        loaded.warnings.clone(),
        &Default::default(),
        &|| {},
    );
    let checked = dudao::report::Checked::new(pack, sub, &results);
    text::render(&checked, opts)
}

fn wanzhou(width: Option<usize>, by_school: bool) -> String {
    report(
        "fixtures/generated/wanzhou-2025",
        &TextOptions {
            max_per_rule: usize::MAX,
            width,
            by_school,
            ..Default::default()
        },
    )
}

/// Units a number is written with in the reports.
const UNITS: [&str; 11] = [
    "人", "元", "年", "间", "册", "所", "岁", "m²", "%", "项", "名",
];

/// The places where `wrapped` breaks a line of `plain`: each pair of
/// wrapped lines that continue one line.
fn breaks<'a>(plain: &str, wrapped: &'a str) -> Vec<(&'a str, &'a str, bool)> {
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let mut out = Vec::new();
    let mut w = wrapped.lines();
    for line in plain.lines() {
        let want = squeeze(line);
        let Some(first) = w.next() else { break };
        let mut got = squeeze(first);
        let mut prev = first;
        while got.len() < want.len() {
            let Some(next) = w.next() else { break };
            // Whether the line was broken inside a word (no space there).
            let tight = line.contains(&format!("{}{}", prev.trim_end(), next.trim_start()));
            out.push((prev, next, tight));
            got.push_str(&squeeze(next));
            prev = next;
        }
        assert_eq!(got, want, "wrapped text differs from the line");
    }
    out
}

/// Breaks that split a number or part it from its unit: the line ends in
/// a digit (or a decimal point or separator) and its continuation starts
/// with a unit, or, where the line had no space, with a digit, a point or
/// a separator.
fn splits(pairs: &[(&str, &str, bool)]) -> Vec<String> {
    let mut bad = Vec::new();
    for &(a, b, tight) in pairs {
        let (a, b) = (a.trim_end(), b.trim_start());
        let ends_in_number = a.ends_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
        let starts_number_or_unit = (tight
            && b.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ','))
            || UNITS.iter().any(|u| b.starts_with(u));
        if ends_in_number && starts_number_or_unit {
            bad.push(format!("{a}⏎{b}"));
        }
    }
    bad
}

#[test]
fn wrapped_at_80_columns_no_number_is_split() {
    let wrapped = wanzhou(Some(80), false);
    let plain = wanzhou(None, false);
    // Something was wrapped, and every line fits but those with a word
    // longer than the line (a file path, a hash).
    assert!(plain.lines().any(|l| l.width() > 80), "nothing to wrap");
    let long: Vec<&str> = wrapped
        .lines()
        .filter(|l| l.width() > 80 && l.trim().contains(' '))
        .collect();
    assert!(
        long.len() <= plain.lines().count() / 50,
        "lines over 80: {:#?}",
        &long[..long.len().min(5)]
    );
    // The summary table fits, its titles cut shorter.
    let table = |s: &str| s.split("\n汇总\n").nth(1).unwrap_or("").to_string();
    let rows = table(&wrapped);
    assert!(rows.lines().count() > 100);
    for l in rows
        .lines()
        .take_while(|l| !l.starts_with("未检查") && !l.starts_with("合计"))
    {
        assert!(l.width() <= 80, "summary row over 80 columns: {l}");
    }
    // Above it, the same words, only laid out on more lines (`breaks`
    // checks it).
    let body = |s: &str| s.split("\n汇总\n").next().unwrap_or("").to_string();
    let (plain, wrapped) = (body(&plain), body(&wrapped));
    let pairs = breaks(&plain, &wrapped);
    assert!(pairs.len() > 100, "{} breaks", pairs.len());
    let bad = splits(&pairs);
    assert!(
        bad.is_empty(),
        "numbers split: {:#?}",
        &bad[..bad.len().min(10)]
    );
    // The check sees a split.
    assert_eq!(
        splits(&[
            ("4.5 m²/人 = 368", "    m² / 92 人", false),
            ("12,3", "45 人", true)
        ])
        .len(),
        2
    );
    assert_eq!(
        splits(&[("共 3", "项", false), ("共 3 项", "2025年", false)]).len(),
        1
    );
    assert_eq!(
        splits(&[("学校.csv:7", "4 m²/人 < 4.5 m²/人", false)]).len(),
        0
    );
}

#[test]
fn the_summary_lists_failing_rules_first() {
    let text = wanzhou(None, false);
    let summary = text
        .split("\n汇总\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no summary"));
    let statuses: Vec<&str> = summary
        .lines()
        .skip(2)
        .take_while(|l| !l.starts_with("未检查") && !l.starts_with("合计") && !l.is_empty())
        .filter_map(|l| {
            ["未通过", "不可评估", "通过", "未检查"]
                .into_iter()
                .find(|s| l.contains(&format!("  {s}  ")))
        })
        .collect();
    assert!(statuses.len() > 100, "{statuses:?}");
    let rank = |s: &str| {
        ["未通过", "不可评估", "通过", "未检查"]
            .iter()
            .position(|x| *x == s)
    };
    let ranks: Vec<_> = statuses.iter().map(|s| rank(s)).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{statuses:?}");
    assert_eq!(statuses.first(), Some(&"未通过"));
}

#[test]
fn by_school_lists_each_school_with_all_its_findings() {
    let by_rule = wanzhou(None, false);
    let by_school = wanzhou(None, true);
    assert!(by_school.contains("\n按学校（"), "no section by school");
    // 万州区江南小学 fails B4.小学 in 2025 (see fixtures/generated/README.md):
    // its block holds the finding.
    let name = "万州区";
    assert!(by_rule.contains(name));
    let blocks: Vec<&str> = by_school.split("\n\n").collect();
    let school_blocks: Vec<&&str> = blocks
        .iter()
        .filter(|b| {
            b.lines()
                .next()
                .is_some_and(|l| l.contains("约束性 ") && l.contains(" ("))
        })
        .collect();
    assert!(
        school_blocks.len() > 10,
        "{} school blocks",
        school_blocks.len()
    );
    // Every finding of the report by rule is there once: each failure
    // under its school (or 全区), each check that could not be evaluated in
    // its rule's block.
    let failures_by_rule = by_rule.lines().filter(|l| l.starts_with("  • ")).count();
    let findings_by_school = by_school
        .lines()
        .filter(|l| l.starts_with("  ✗ ") || l.starts_with("  ⚠ ") || l.starts_with("  ℹ "))
        .count();
    let not_evaluable = by_school.lines().filter(|l| l.starts_with("  • ")).count();
    assert_eq!(findings_by_school + not_evaluable, failures_by_rule);
}

#[test]
fn compound_conditions_are_in_words() {
    let text = report(
        "fixtures/submissions/violations",
        &TextOptions {
            max_per_rule: usize::MAX,
            ..Default::default()
        },
    );
    let conds: Vec<&str> = text.lines().filter(|l| l.contains("未达标：")).collect();
    assert!(!conds.is_empty());
    for l in &conds {
        assert!(
            !l.contains("count(") && !l.contains(">=") && !l.contains("this."),
            "rule source: {l}"
        );
    }
    assert!(
        conds
            .iter()
            .any(|l| l.contains("缺少音乐、美术、综合实践教师")),
        "{conds:#?}"
    );
    assert!(
        conds
            .iter()
            .any(|l| l.contains("B4.小学 小学生均教学及辅助用房面积达到4.5平方米"))
    );
    assert!(conds.iter().any(|l| l.contains("（不低于要求的85%）")));
}

fn dudao(args: &[&str], env: &[(&str, &str)]) -> (String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dudao"));
    cmd.args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("DUDAO_LANG")
        .env_remove("LANG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run dudao: {e}"));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let sub = "fixtures/submissions/violations";
    // Not a terminal: no colour unless asked for.
    let (plain, _) = dudao(&["check", sub], &[]);
    assert!(!plain.contains('\u{1b}'));
    let (always, _) = dudao(&["check", "--color", "always", sub], &[("NO_COLOR", "1")]);
    assert!(
        always.contains("\u{1b}[31m✗"),
        "no red ✗ with --color always"
    );
    let (never, _) = dudao(&["--color", "never", "check", sub], &[]);
    assert!(!never.contains('\u{1b}'));
    // The diagnostics on stderr too.
    let (_, err) = dudao(
        &[
            "check",
            "--color",
            "always",
            "fixtures/data-errors/bad-cells",
        ],
        &[],
    );
    assert!(err.contains('\u{1b}'), "diagnostics not coloured:\n{err}");
    let (_, err) = dudao(
        &[
            "check",
            "--color",
            "never",
            "fixtures/data-errors/bad-cells",
        ],
        &[],
    );
    assert!(!err.contains('\u{1b}') && !err.is_empty());
}
