//! The terminal report: a header, one block per rule with findings (grouped
//! by rule, capped per rule), a summary table of every rule, and a verdict.

use super::format::{
    format_pair, format_shown, join_lines, one_line, pad_left, pad_right, render_message, truncate,
    width, wrap,
};
use super::{Totals, rules_with_results, short_hash, shown_severity};
use crate::check::pack::{Rule, RulePack};
use crate::data::Submission;
use crate::eval::finding::{CheckReport, Entity, Finding, Outcome, RuleResult, Severity};

#[derive(Debug, Clone)]
pub struct TextOptions {
    /// Findings shown per rule before the rest are summarised.
    pub max_per_rule: usize,
    /// Colour the output with ANSI escapes (off by default; the text is the
    /// same either way, only wrapped in escapes).
    pub color: bool,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            max_per_rule: 10,
            color: false,
        }
    }
}

/// Longest title shown in the summary table, in display columns.
const TITLE_WIDTH: usize = 24;
/// Quotes are wrapped at this many display columns.
const QUOTE_WIDTH: usize = 64;
/// `  依据: ` — continuation lines of a citation are indented this far.
const CITE_INDENT: &str = "        ";

pub fn render(
    pack: &RulePack,
    sub: &Submission,
    report: &CheckReport,
    opts: &TextOptions,
) -> String {
    let st = Style { color: opts.color };
    let mut out = String::new();
    header(&mut out, pack, sub, &st);

    let mut any = false;
    for (rule, res) in rules_with_results(pack, report) {
        if !res.findings.is_empty() {
            any = true;
            out.push('\n');
            rule_block(&mut out, pack, rule, res, opts, &st);
        }
    }
    if !any {
        out.push('\n');
        out.push_str("没有未通过或不可评估的检查。\n");
    }

    out.push('\n');
    summary_table(&mut out, pack, sub, report, &st);

    out.push('\n');
    footer(&mut out, &Totals::of(report), &st);
    out
}

fn header(out: &mut String, pack: &RulePack, sub: &Submission, st: &Style) {
    out.push_str(&st.paint(
        &format!("dudao {} — 督导检查报告", crate::VERSION),
        Paint::Bold,
    ));
    out.push('\n');
    let year = sub
        .report_year()
        .map_or_else(|| "—".to_string(), |y| y.to_string());
    // How many rows of each table were read, so nothing is lost silently.
    let read = pack
        .schema
        .tables
        .iter()
        .zip(&sub.tables)
        .map(|(def, t)| format!("{} {} 行", def.label(), t.rows))
        .collect::<Vec<_>>()
        .join("，");
    let rows = [
        ("提交", one_line(&sub.name)),
        ("报告年度", year),
        ("数据年份", describe_years(&sub.years)),
        ("读入数据", read),
        (
            "规则包",
            format!(
                "{} ({} 条规则)",
                short_hash(&pack.hash, 12),
                pack.rules.len()
            ),
        ),
    ];
    for (label, value) in rows {
        out.push_str(&pad_right(&format!("{label}:"), 10));
        out.push_str(&value);
        out.push('\n');
    }
}

/// `2023–2025` for consecutive years, `2021, 2023` otherwise, `—` for none.
fn describe_years(years: &[i32]) -> String {
    match years {
        [] => "—".to_string(),
        [y] => y.to_string(),
        [first, .., last] if years.windows(2).all(|w| w[1] == w[0] + 1) => {
            format!("{first}–{last}")
        }
        _ => years
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn rule_block(
    out: &mut String,
    pack: &RulePack,
    rule: &Rule,
    res: &RuleResult,
    opts: &TextOptions,
    st: &Style,
) {
    let meta = &rule.meta;
    let fail_severity = res
        .findings
        .iter()
        .filter(|f| f.outcome == Outcome::Fail)
        .map(|f| f.severity)
        .min();
    let (symbol, paint) = match fail_severity {
        Some(Severity::Binding) => ("✗", Paint::Red),
        Some(Severity::Expected) => ("⚠", Paint::Yellow),
        Some(Severity::Info) => ("ℹ", Paint::Blue),
        None => ("?", Paint::Magenta),
    };
    let severity = res
        .findings
        .iter()
        .map(|f| f.severity)
        .min()
        .unwrap_or(meta.severity.base);
    let mut counts = Vec::new();
    if res.failed > 0 || res.not_evaluable == 0 {
        counts.push(format!("{} failed", res.failed));
    }
    if res.not_evaluable > 0 {
        counts.push(format!("{} not evaluable", res.not_evaluable));
    }
    out.push_str(&format!(
        "{} {}  {}   [{} {}]  {} / {} checked\n",
        st.paint(symbol, paint),
        st.paint(&one_line(&meta.id), Paint::Bold),
        st.paint(&one_line(&meta.title), Paint::Bold),
        severity.label_zh(),
        severity.as_str(),
        counts.join(", "),
        res.checks,
    ));

    // The citation: document and clause, then the quoted sentence.
    let c = &meta.citation;
    let doc = if c.title.trim().is_empty() {
        &c.document
    } else {
        &c.title
    };
    let source: Vec<String> = [doc, &c.clause]
        .iter()
        .map(|s| one_line(s))
        .filter(|s| !s.is_empty())
        .collect();
    if !source.is_empty() {
        out.push_str(&format!(
            "  依据: {}\n",
            st.paint(&source.join(" "), Paint::Dim)
        ));
    }
    if let Some(q) = c.quote.as_deref().map(join_lines).filter(|q| !q.is_empty()) {
        for line in wrap(&format!("“{q}”"), QUOTE_WIDTH) {
            out.push_str(CITE_INDENT);
            out.push_str(&st.paint(&line, Paint::Dim));
            out.push('\n');
        }
    }

    // Failures first, then the checks that could not be evaluated, each in
    // the order the evaluator reported them.
    let ordered = res
        .findings
        .iter()
        .filter(|f| f.outcome == Outcome::Fail)
        .chain(res.findings.iter().filter(|f| f.outcome != Outcome::Fail));
    for f in ordered.take(opts.max_per_rule) {
        finding_lines(out, pack, f, severity, st);
    }
    let total = res.findings.len();
    if total > opts.max_per_rule {
        out.push_str(&format!(
            "  … 另有 {} 条 (共 {} 条)\n",
            total - opts.max_per_rule,
            total
        ));
    }
}

/// One finding: the entity, then the value and the standard (or why it could
/// not be evaluated), then the message and the conditions that failed. A
/// finding whose severity differs from its rule's block (a rule that becomes
/// binding in a later year) is marked with its own.
fn finding_lines(out: &mut String, pack: &RulePack, f: &Finding, block: Severity, st: &Style) {
    let mut line = format!("  • {}", entity_text(pack, f));
    if f.severity != block {
        line.push_str(&format!("  [{}]", f.severity.label_zh()));
    }
    match &f.outcome {
        Outcome::NotEvaluable(reason) => {
            line.push_str("  ");
            line.push_str(&st.paint(
                &format!("不可评估: {}", one_line(&reason.describe())),
                Paint::Magenta,
            ));
        }
        Outcome::Fail => {
            let v = value_text(f);
            if !v.is_empty() {
                line.push_str("  ");
                line.push_str(&v);
            }
        }
    }
    out.push_str(&line);
    out.push('\n');
    let msg = one_line(&render_message(&f.message));
    if !msg.is_empty() {
        out.push_str(&format!("    {msg}\n"));
    }
    if !f.failed_conditions.is_empty() {
        let conds: Vec<String> = f.failed_conditions.iter().map(|c| one_line(c)).collect();
        out.push_str(&format!("    未达标: {}\n", conds.join("; ")));
    }
}

/// `2025  万州区第一小学 (5001010001)  学校.csv:17`, `2025  乡镇街道 = 龙都街道`,
/// `2025  全区`.
fn entity_text(pack: &RulePack, f: &Finding) -> String {
    let mut parts: Vec<String> = Vec::new();
    let year = f.year.map(|y| y.to_string());
    match &f.entity {
        Entity::Row {
            table,
            key,
            name,
            location,
            ..
        } => {
            // A row whose key is its year (district facts) need not show it twice.
            if let Some(y) = year.filter(|y| y != key) {
                parts.push(y);
            }
            let key = one_line(key);
            parts.push(
                match name.as_deref().map(one_line).filter(|n| !n.is_empty()) {
                    Some(n) => format!("{n} ({key})"),
                    None => {
                        let label = pack
                            .schema
                            .table_by_name(table)
                            .map_or(table.as_str(), |t| pack.schema.tables[t].label());
                        format!("{} {key}", one_line(label))
                    }
                },
            );
            if let Some(loc) = location {
                parts.push(one_line(loc));
            }
        }
        Entity::Group { column, value, .. } => {
            parts.extend(year);
            parts.push(format!("{} = {}", one_line(column), one_line(value)));
        }
        Entity::Submission => {
            parts.extend(year);
            parts.push("全区".to_string());
        }
    }
    parts.join("  ")
}

/// `48.2% < 55%   48.2% = 12,345 / 25,612` — the measured value, the operator
/// that failed, the standard, and the numbers the value was computed from.
fn value_text(f: &Finding) -> String {
    let (actual, threshold) = match (&f.actual, &f.threshold) {
        (Some(a), Some(t)) => {
            let (a, t) = format_pair(a, t);
            (Some(a), Some(t))
        }
        (a, t) => (a.as_ref().map(format_shown), t.as_ref().map(format_shown)),
    };
    let (actual, threshold) = (
        actual.map(|s| one_line(&s)),
        threshold.map(|s| one_line(&s)),
    );
    let mut out = String::new();
    match (&actual, f.op.as_deref(), &threshold) {
        (Some(a), Some(op), Some(t)) => match failed_op(op) {
            Some(neg) => out.push_str(&format!("{a} {neg} {t}")),
            None => out.push_str(&format!("{a} (应 {} {t})", one_line(op))),
        },
        (Some(a), _, _) => out.push_str(a),
        (None, Some(op), Some(t)) => out.push_str(&format!("应 {} {t}", one_line(op))),
        _ => {}
    }
    let parts: Vec<String> = f.parts.iter().map(|p| one_line(&format_shown(p))).collect();
    match (&actual, parts.as_slice()) {
        (_, []) => {}
        (Some(a), [num, den]) => out.push_str(&format!("   {a} = {num} / {den}")),
        _ => out.push_str(&format!("   数据: {}", parts.join(", "))),
    }
    out.trim_start().to_string()
}

/// The operator that holds when the asserted one fails: asserted `>=`
/// failing shows `<`.
pub fn failed_op(op: &str) -> Option<&'static str> {
    Some(match op.trim() {
        ">=" | "≥" => "<",
        ">" => "≤",
        "<=" | "≤" => ">",
        "<" => "≥",
        "==" | "=" => "≠",
        "!=" | "≠" => "=",
        _ => return None,
    })
}

fn summary_table(
    out: &mut String,
    pack: &RulePack,
    sub: &Submission,
    report: &CheckReport,
    st: &Style,
) {
    struct Row {
        cells: [String; 8],
        paint: Paint,
    }
    let heads = [
        "规则",
        "标题",
        "级别",
        "状态",
        "检查",
        "通过",
        "未通过",
        "不可评估",
    ];
    // Columns 4.. are counts, aligned right.
    const FIRST_NUMERIC: usize = 4;
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for (rule, res) in rules_with_results(pack, report) {
        let id = one_line(&rule.meta.id);
        let (status, paint) = if let Some(reason) = &res.skipped {
            notes.push(format!("{id} {}", one_line(reason)));
            ("未适用", Paint::Dim)
        } else if res.failed > 0 {
            ("未通过", Paint::Red)
        } else if res.not_evaluable > 0 {
            ("不可评估", Paint::Magenta)
        } else if res.checks == 0 {
            notes.push(format!("{id} 没有检查对象"));
            ("未适用", Paint::Dim)
        } else {
            ("通过", Paint::Green)
        };
        rows.push(Row {
            cells: [
                id,
                truncate(&one_line(&rule.meta.title), TITLE_WIDTH),
                shown_severity(rule, res, sub).label_zh().to_string(),
                status.to_string(),
                count(res.checks),
                count(res.passed),
                count(res.failed),
                count(res.not_evaluable),
            ],
            paint,
        });
    }
    let mut widths = heads.map(width);
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(&r.cells) {
            *w = (*w).max(width(c));
        }
    }
    let line = |cells: [&str; 8], paint: Option<Paint>| -> String {
        let mut s = String::new();
        for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            let padded = if i >= FIRST_NUMERIC {
                pad_left(c, w)
            } else {
                pad_right(c, w)
            };
            match paint {
                Some(p) if i == 3 => s.push_str(&st.paint(&padded, p)),
                _ => s.push_str(&padded),
            }
        }
        s.push('\n');
        s
    };
    out.push_str(&st.paint("汇总", Paint::Bold));
    out.push('\n');
    out.push_str(&line(heads, None));
    let rules: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&line(std::array::from_fn(|i| rules[i].as_str()), None));
    for r in &rows {
        out.push_str(&line(
            std::array::from_fn(|i| r.cells[i].as_str()),
            Some(r.paint),
        ));
    }
    for n in notes {
        out.push_str(&format!("未适用: {n}\n"));
    }
}

fn count(n: usize) -> String {
    super::format::format_decimal(n as f64, 0, true)
}

fn footer(out: &mut String, t: &Totals, st: &Style) {
    out.push_str(&format!(
        "合计: 约束性未达标 {} 条，预期性未达标 {} 条，参考 {} 条，不可评估 {} 条（共检查 {} 项，通过 {} 项）\n",
        t.binding_failures, t.expected_failures, t.info_findings, t.not_evaluable, t.checks, t.passed,
    ));
    let verdict = if t.passes() {
        let mut notes = Vec::new();
        if t.expected_rules > 0 {
            notes.push(format!("{} 项预期性指标未达标", t.expected_rules));
        }
        if t.not_evaluable > 0 {
            notes.push(format!("{} 项检查不可评估", t.not_evaluable));
        }
        let head = st.paint("通过", Paint::Green);
        if notes.is_empty() {
            head
        } else {
            format!("{head} — 约束性指标均已达标；{}", notes.join("；"))
        }
    } else {
        format!(
            "{} — {} 项约束性指标未达标",
            st.paint("未通过", Paint::Red),
            t.binding_rules
        )
    };
    out.push_str(&format!("结论: {verdict}\n"));
}

#[derive(Debug, Clone, Copy)]
enum Paint {
    Red,
    Yellow,
    Blue,
    Magenta,
    Green,
    Bold,
    Dim,
}

/// Wraps text in ANSI escapes when colour is on; the identity otherwise.
/// Pad before painting: escapes have no display width.
struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, s: &str, p: Paint) -> String {
        if !self.color || s.is_empty() {
            return s.to_string();
        }
        let code = match p {
            Paint::Red => "31",
            Paint::Yellow => "33",
            Paint::Blue => "34",
            Paint::Magenta => "35",
            Paint::Green => "32",
            Paint::Bold => "1",
            Paint::Dim => "2",
        };
        format!("\x1b[{code}m{s}\x1b[0m")
    }
}
