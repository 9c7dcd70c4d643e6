//! The terminal report: a header, one block per rule with findings (grouped
//! by rule, capped per rule), a summary table of every rule, and a verdict.

pub use super::format::shown_op;
use super::format::{
    format_pair, format_shown, join_lines, one_line, pad_left, pad_right, render_message, truncate,
    width, wrap,
};
pub(crate) use super::view::{completeness_lines, verdict_detail};
use super::{Checked, Verdict, rules_with_results, short_hash, shown_severity};
use crate::data::Submission;
use crate::diag::{Lang, Msg};
use crate::eval::finding::{CheckReport, Entity, Finding, Outcome, RuleResult};
use crate::msg::report as m;
use crate::pack::Severity;
use crate::pack::{Rule, RulePack};

#[derive(Debug, Clone)]
pub struct TextOptions {
    /// Findings shown per rule before the rest are summarised.
    pub max_per_rule: usize,
    /// Colour the output with ANSI escapes (off by default; the text is the
    /// same either way, only wrapped in escapes).
    pub color: bool,
    /// The language of the report's own words (rule titles and messages are
    /// the rule pack's).
    pub lang: Lang,
    /// Wrap lines at this many display columns (the terminal's width), never
    /// inside a number or between a number and its unit; `None` writes each
    /// finding on its own lines whatever their length (for files and pipes).
    pub width: Option<usize>,
    /// Group the findings by school (`--by school`) instead of by rule.
    pub by_school: bool,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            max_per_rule: 10,
            color: false,
            lang: Lang::Zh,
            width: None,
            by_school: false,
        }
    }
}

/// Longest title shown in the summary table, in display columns.
const TITLE_WIDTH: usize = 24;
/// Quotes are wrapped at this many display columns.
const QUOTE_WIDTH: usize = 64;
/// `  依据: ` — continuation lines of a citation are indented this far.
const CITE_INDENT: &str = "        ";

/// The terminal report of one submission.
pub fn render(c: &Checked, opts: &TextOptions) -> String {
    let st = Style {
        color: opts.color,
        lang: opts.lang,
    };
    let (pack, sub) = (c.pack, c.sub);
    let mut out = String::new();
    header(&mut out, pack, sub, &st);
    if !c.completeness.is_complete() {
        out.push('\n');
        completeness(&mut out, c, &st);
    }
    if !c.warnings.is_empty() {
        out.push('\n');
        warnings(&mut out, c, &st);
    }

    if let Some(report) = c.report {
        let mut any = false;
        if opts.by_school {
            any |= by_school(&mut out, c, opts, &st);
        }
        for (rule, res) in rules_with_results(pack, report) {
            // By school, the rule blocks keep only the checks that could
            // not be evaluated (the failures are under their school, or
            // under 全区).
            let kept;
            let res = if opts.by_school {
                kept = RuleResult {
                    findings: res
                        .findings
                        .iter()
                        .filter(|f| f.outcome != Outcome::Fail)
                        .cloned()
                        .collect(),
                    ..res.clone()
                };
                &kept
            } else {
                res
            };
            if !res.findings.is_empty() {
                any = true;
                out.push('\n');
                rule_block(&mut out, pack, rule, res, opts, &st);
            }
        }
        if !any {
            out.push('\n');
            out.push_str(st.t(&m::no_findings()));
            out.push('\n');
        }
        district_values(&mut out, pack, report, &st);
        out.push('\n');
        summary_table(&mut out, pack, sub, report, opts.width, &st);
    }

    out.push('\n');
    footer(&mut out, c, &st);
    match opts.width {
        Some(w) => wrap_report(&out, w),
        None => out,
    }
}

/// The findings by school (`--by school`): each school (the report's unit)
/// with all its findings, in the order of the HTML report's view. Returns
/// whether there was any.
fn by_school(out: &mut String, c: &Checked, opts: &TextOptions, st: &Style) -> bool {
    let v = super::view::build(c, &c.sub.name, st.lang);
    if v.units.is_empty() {
        return false;
    }
    out.push('\n');
    out.push_str(&st.paint(
        &format!("{}（{}）", st.t(&m::html_by_school()), count(v.units.len())),
        Paint::Bold,
    ));
    out.push('\n');
    // The schools, then what is district-wide (no key).
    let units = v
        .units
        .iter()
        .filter(|u| !u.key.is_empty())
        .chain(v.units.iter().filter(|u| u.key.is_empty()));
    for u in units {
        out.push('\n');
        let mut head = one_line(&u.name);
        if !u.key.is_empty() && u.key != u.name {
            head.push_str(&format!(" ({})", one_line(&u.key)));
        }
        if !u.area.is_empty() && u.area != u.name {
            head.push_str(&format!("  {}", one_line(&u.area)));
        }
        out.push_str(&st.paint(&head, Paint::Bold));
        out.push_str(&format!(
            "  {} {}  {} {}\n",
            Severity::Binding.label(st.lang),
            count(u.binding),
            Severity::Expected.label(st.lang),
            count(u.expected)
        ));
        for f in u
            .findings
            .iter()
            .take(opts.max_per_rule.max(1).saturating_mul(10))
        {
            let (symbol, paint) = match (f.outcome, f.severity) {
                ("fail", "binding") => ("✗", Paint::Red),
                ("fail", "expected") => ("⚠", Paint::Yellow),
                ("fail", _) => ("ℹ", Paint::Blue),
                _ => ("?", Paint::Magenta),
            };
            let mut line = format!(
                "  {} {} {}",
                st.paint(symbol, paint),
                one_line(&f.rule),
                one_line(&f.rule_title)
            );
            if !f.part.is_empty() {
                line.push_str(&format!("  {}", one_line(&f.part)));
            }
            if f.outcome == "not_evaluable" {
                line.push_str("  ");
                line.push_str(&st.paint(
                    st.t(&m::not_evaluable_label(&one_line(&f.reason))),
                    Paint::Magenta,
                ));
            } else if !f.value.is_empty() {
                line.push_str(&format!("  {}", f.value));
                if !f.standard.is_empty() {
                    let op = failed_op(&f.op).map_or_else(|| shown_op(&f.op), str::to_string);
                    line.push_str(&format!(" {op} {}", f.standard));
                }
            }
            line.push_str(&format!("  [{}]", f.severity_label));
            out.push_str(&line);
            out.push('\n');
            let msg = one_line(&f.message);
            if !msg.is_empty() && f.outcome == "fail" {
                out.push_str(&format!("    {msg}\n"));
            }
            if !f.failed_conditions.is_empty() {
                out.push_str("    ");
                out.push_str(st.t(&m::failed_conditions(&one_line(&f.failed_conditions))));
                out.push('\n');
            }
        }
        let shown = opts.max_per_rule.max(1).saturating_mul(10);
        if u.findings.len() > shown {
            out.push_str("  ");
            out.push_str(st.t(&m::more_findings(
                &count(u.findings.len() - shown),
                &count(u.findings.len()),
            )));
            out.push('\n');
        }
    }
    true
}

/// A non-breaking space, and the word joiner: what keeps a number with its
/// unit while wrapping.
const NBSP: char = '\u{a0}';
const JOINER: char = '\u{2060}';

/// Glues each number to what follows it when that is its unit: `4.5 m²/人`
/// (a space, made non-breaking) and `92人`, `2025年` (a joiner), so that a
/// line is never broken between them; a space before an operator (`4 < 5`)
/// stays a place to break.
fn glue_units(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let after_number = prev.is_some_and(|p| p.is_ascii_digit() || p == '%');
        let next = chars.get(i + 1).copied();
        if c == ' '
            && after_number
            && next.is_some_and(|n| {
                !n.is_whitespace() && !"<>=≤≥≠+-−×/·(（".contains(n) && !n.is_ascii_digit()
            })
        {
            out.push(NBSP);
            continue;
        }
        if prev.is_some_and(|p| p.is_ascii_digit()) && !c.is_ascii() && c.is_alphabetic() {
            out.push(JOINER);
        }
        out.push(c);
    }
    out
}

/// Wraps every line of a report at `width` display columns with Unicode
/// line breaking (a number and its unit stay together); continuation lines
/// are indented two columns more than the line they continue.
fn wrap_report(text: &str, width: usize) -> String {
    let width = width.max(20);
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if textwrap::core::display_width(body) <= width {
            out.push_str(body);
            out.push_str(nl);
            continue;
        }
        let indent: String = body.chars().take_while(|c| *c == ' ').collect();
        let bullet = body.trim_start().starts_with("• ");
        let more = " ".repeat(indent.len() + if bullet { 4 } else { 2 });
        let glued = glue_units(body);
        let opts = textwrap::Options::new(width)
            .subsequent_indent(&more)
            .break_words(false);
        let lines = textwrap::wrap(&glued, opts);
        for (i, l) in lines.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let l: String = l
                .chars()
                .filter(|c| *c != JOINER)
                .map(|c| if c == NBSP { ' ' } else { c })
                .collect();
            out.push_str(l.trim_end());
        }
        out.push_str(nl);
    }
    out
}

/// What the submission lacks: missing and empty tables, unmatched inputs,
/// the report year.
fn completeness(out: &mut String, c: &Checked, st: &Style) {
    out.push_str(&st.paint(st.t(&m::completeness_title()), Paint::Bold));
    out.push('\n');
    for l in completeness_lines(c, st.lang) {
        out.push_str("  ✗ ");
        out.push_str(&st.paint(&l, Paint::Red));
        out.push('\n');
    }
}

/// Every district-level check (全区, by year, by group) with its measured
/// value, passed or not: the indicators an inspector reads and compares over
/// years.
fn district_values(out: &mut String, pack: &RulePack, report: &CheckReport, st: &Style) {
    let rules: Vec<_> = rules_with_results(pack, report)
        .filter(|(_, r)| !r.values.is_empty())
        .collect();
    if rules.is_empty() {
        return;
    }
    out.push('\n');
    out.push_str(&st.paint(st.t(&m::district_values_title()), Paint::Bold));
    out.push('\n');
    for (rule, res) in rules {
        out.push_str(&format!(
            "  {}  {}\n",
            st.paint(&one_line(&rule.meta.id), Paint::Bold),
            one_line(&rule.meta.title)
        ));
        for f in &res.values {
            let (mark, paint) = match (&f.outcome, f.severity) {
                (Outcome::Pass, _) => ("✓", Paint::Green),
                (Outcome::Fail, Severity::Binding) => ("✗", Paint::Red),
                (Outcome::Fail, Severity::Expected) => ("⚠", Paint::Yellow),
                (Outcome::Fail, Severity::Info) => ("ℹ", Paint::Blue),
                (Outcome::NotEvaluable(_), _) => ("?", Paint::Magenta),
            };
            let detail = match &f.outcome {
                Outcome::NotEvaluable(r) => st
                    .t(&m::not_evaluable_label(&one_line(&r.describe(st.lang))))
                    .to_string(),
                _ => value_text(f, st),
            };
            out.push_str(&format!(
                "    {} {}  {}\n",
                st.paint(mark, paint),
                entity_text(pack, f, st),
                detail
            ));
        }
    }
}

/// The load warnings, one line each (they are also on stderr, in full).
fn warnings(out: &mut String, c: &Checked, st: &Style) {
    let n = c.warnings.len().to_string();
    out.push_str(&st.paint(st.t(&m::warnings_title(&n)), Paint::Bold));
    out.push('\n');
    for d in c.warnings {
        out.push_str("  ⚠ ");
        out.push_str(&one_line(d.message.get(st.lang)));
        out.push_str(&format!("  [{}]", d.code));
        out.push('\n');
    }
}

fn header(out: &mut String, pack: &RulePack, sub: &Submission, st: &Style) {
    out.push_str(&st.paint(st.t(&m::title(crate::VERSION)), Paint::Bold));
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
        .map(|(def, t)| st.t(&m::rows_of(def.label(), &count(t.rows))).to_string())
        .collect::<Vec<_>>()
        .join(st.list_sep());
    let rows = [
        (m::head_submission(), one_line(&sub.name)),
        (m::head_report_year(), year),
        (m::head_years(), describe_years(&sub.years)),
        (m::head_read(), read),
        (
            m::head_pack(),
            st.t(&m::pack_line(short_hash(&pack.hash, 12), pack.rules.len()))
                .to_string(),
        ),
    ];
    // A layered pack: what it changed of the packs it imports, one line
    // each under its label.
    let (overrides, disabled) = super::pack_changes(pack);
    let mut changes = Vec::new();
    if !overrides.is_empty() {
        changes.push((m::head_overrides(), overrides));
    }
    if !disabled.is_empty() {
        changes.push((m::head_disabled(), disabled));
    }
    let label_width = rows
        .iter()
        .map(|(l, _)| l)
        .chain(changes.iter().map(|(l, _)| l))
        .map(|l| width(st.t(l)) + 2)
        .max()
        .unwrap_or(10)
        .max(10);
    for (label, value) in rows {
        out.push_str(&pad_right(&format!("{}:", st.t(&label)), label_width));
        out.push_str(&value);
        out.push('\n');
    }
    for (label, lines) in changes {
        out.push_str(&pad_right(&format!("{}:", st.t(&label)), label_width));
        let lines: Vec<String> = lines.iter().map(|l| one_line(st.t(l))).collect();
        out.push_str(&lines.join(&format!("\n{}", " ".repeat(label_width))));
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
        counts.push(st.t(&m::block_failed(&count(res.failed))).to_string());
    }
    if res.not_evaluable > 0 {
        counts.push(
            st.t(&m::block_not_evaluable(&count(res.not_evaluable)))
                .to_string(),
        );
    }
    out.push_str(&format!(
        "{} {}  {}   [{}]  {}\n",
        st.paint(symbol, paint),
        st.paint(&one_line(&meta.id), Paint::Bold),
        st.paint(&one_line(&meta.title), Paint::Bold),
        severity.label(st.lang),
        st.t(&m::block_checked(
            &counts.join(st.list_sep()),
            &count(res.checks)
        )),
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
            "  {}: {}\n",
            st.t(&m::source_label()),
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
        finding_lines(out, pack, rule, f, severity, st);
    }
    let total = res.findings.len();
    if total > opts.max_per_rule {
        out.push_str("  ");
        out.push_str(st.t(&m::more_findings(
            &count(total - opts.max_per_rule),
            &count(total),
        )));
        out.push('\n');
    }
}

/// One finding: the entity, then the value and the standard (or why it could
/// not be evaluated), then the message and the conditions that failed. A
/// finding whose severity differs from its rule's block (a rule that becomes
/// binding in a later year) is marked with its own.
fn finding_lines(
    out: &mut String,
    pack: &RulePack,
    rule: &Rule,
    f: &Finding,
    block: Severity,
    st: &Style,
) {
    let mut line = format!("  • {}", entity_text(pack, f, st));
    if f.severity != block {
        line.push_str(&format!("  [{}]", f.severity.label(st.lang)));
    }
    match &f.outcome {
        Outcome::NotEvaluable(reason) => {
            line.push_str("  ");
            line.push_str(&st.paint(
                st.t(&m::not_evaluable_label(&one_line(
                    &reason.describe(st.lang),
                ))),
                Paint::Magenta,
            ));
        }
        Outcome::Fail | Outcome::Pass => {
            let v = value_text(f, st);
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
        let words = super::conditions_in_words(pack, rule, &f.failed_conditions, st.lang);
        out.push_str("    ");
        out.push_str(st.t(&m::failed_conditions(&words)));
        out.push('\n');
    }
}

/// `2025  万州区第一小学 (5001010001)  学校.csv:17`, `2025  乡镇街道 = 龙都街道`,
/// `2025  全区`.
fn entity_text(pack: &RulePack, f: &Finding, st: &Style) -> String {
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
            parts.push(st.t(&m::whole_district()).to_string());
        }
    }
    parts.join("  ")
}

/// `48.2% < 55%   48.2% = 12,345 / 25,612` — the measured value, the operator
/// that failed, the standard, and the numbers the value was computed from.
fn value_text(f: &Finding, st: &Style) -> String {
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
        (Some(a), Some(op), Some(t)) if f.outcome == Outcome::Pass => {
            out.push_str(&format!("{a} {} {t}", shown_op(op)))
        }
        (Some(a), Some(op), Some(t)) => match failed_op(op) {
            Some(neg) => out.push_str(&format!("{a} {neg} {t}")),
            None => out.push_str(st.t(&m::should_be(a, &one_line(op), t))),
        },
        (Some(a), _, _) => out.push_str(a),
        (None, Some(op), Some(t)) => out.push_str(st.t(&m::should_be_only(&one_line(op), t))),
        _ => {}
    }
    let parts: Vec<String> = f.parts.iter().map(|p| one_line(&format_shown(p))).collect();
    match (&actual, parts.as_slice()) {
        (_, []) => {}
        (Some(a), [num, den]) => out.push_str(&format!("   {a} = {num} / {den}")),
        _ => {
            out.push_str("   ");
            out.push_str(st.t(&m::data_parts(&parts.join(", "))));
        }
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
    max_width: Option<usize>,
    st: &Style,
) {
    struct Row {
        cells: [String; 8],
        paint: Paint,
        /// Failures first (binding, then others), then not evaluable,
        /// passed, not checked.
        rank: u8,
    }
    let head_msgs = [
        m::col_rule(),
        m::col_title(),
        m::col_severity(),
        m::col_status(),
        m::col_checked(),
        m::col_passed(),
        m::col_failed(),
        m::col_not_evaluable(),
    ];
    let heads: [&str; 8] = std::array::from_fn(|i| head_msgs.get(i).map_or("", |h| st.t(h)));
    // Columns 4.. are counts, aligned right.
    const FIRST_NUMERIC: usize = 4;
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for (rule, res) in rules_with_results(pack, report) {
        let id = one_line(&rule.meta.id);
        let severity = shown_severity(rule, res, sub);
        let (status, paint, rank) = if let Some(reason) = &res.skipped {
            notes.push(m::not_checked_note(
                &id,
                &one_line(&reason.describe(st.lang)),
            ));
            (m::status_not_checked(), Paint::Dim, 4)
        } else if res.failed > 0 {
            let rank = if severity == Severity::Binding { 0 } else { 1 };
            (m::status_failed(), Paint::Red, rank)
        } else if res.not_evaluable > 0 {
            (m::status_not_evaluable(), Paint::Magenta, 2)
        } else if res.checks == 0 {
            notes.push(m::not_checked_note(&id, m::nothing_to_check().get(st.lang)));
            (m::status_not_checked(), Paint::Dim, 4)
        } else {
            (m::status_passed(), Paint::Green, 3)
        };
        rows.push(Row {
            cells: [
                id,
                one_line(&rule.meta.title),
                severity.label(st.lang).to_string(),
                st.t(&status).to_string(),
                count(res.checks),
                count(res.passed),
                count(res.failed),
                count(res.not_evaluable),
            ],
            paint,
            rank,
        });
    }
    // Stable: the pack's order within each group.
    rows.sort_by_key(|r| r.rank);
    // Titles are cut to fit: at most TITLE_WIDTH columns, less when the
    // terminal is too narrow for the table (but never under 8).
    let others: usize = (0..8)
        .filter(|&i| i != 1)
        .map(|i| {
            rows.iter()
                .map(|r| width(&r.cells[i]))
                .chain(heads.get(i).map(|h| width(h)))
                .max()
                .unwrap_or(0)
        })
        .sum::<usize>()
        + 2 * 7;
    let title_width = max_width.map_or(TITLE_WIDTH, |w| {
        w.saturating_sub(others).clamp(8, TITLE_WIDTH)
    });
    for r in &mut rows {
        r.cells[1] = truncate(&r.cells[1], title_width);
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
    out.push_str(&st.paint(st.t(&m::summary_title()), Paint::Bold));
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
        out.push_str(st.t(&n));
        out.push('\n');
    }
}

fn count(n: usize) -> String {
    super::format::format_decimal(n as f64, 0, true)
}

fn footer(out: &mut String, c: &Checked, st: &Style) {
    let t = c.totals();
    if c.report.is_some() {
        out.push_str(st.t(&m::totals(
            &count(t.binding_failures),
            &count(t.expected_failures),
            &count(t.info_findings),
            &count(t.not_evaluable),
            &count(t.checks),
            &count(t.passed),
            &count(t.rules_not_checked),
        )));
        out.push('\n');
    }
    let verdict = c.verdict();
    let word = verdict.label(st.lang);
    let (head, paint) = match verdict {
        Verdict::Pass => (word, Paint::Green),
        Verdict::Fail => (word, Paint::Red),
        Verdict::Incomplete | Verdict::Undetermined => (word, Paint::Magenta),
    };
    let detail = verdict_detail(c, &t, verdict);
    out.push_str(&format!(
        "{}: {} — {}\n",
        st.t(&m::verdict_label()),
        st.paint(&head, paint),
        st.t(&detail)
    ));
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
    lang: Lang,
}

impl Style {
    /// A message in the report's language.
    fn t<'m>(&self, msg: &'m Msg) -> &'m str {
        msg.get(self.lang)
    }

    /// The separator of a list in running text.
    fn list_sep(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "，",
            Lang::En => ", ",
        }
    }

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
