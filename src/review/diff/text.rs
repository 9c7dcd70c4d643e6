//! A [`Diff`] for the terminal: the two sides, then one block per rule
//! (id, title, counts, and the findings of each change, capped like `dudao
//! check --max-per-rule`), a table of the counts by rule aligned by display
//! width, and the conclusion. Text from the reports is escaped.

use super::{Change, Diff, DiffKind, EntityInfo, FindingDiff, RuleDiff, State, YearMode};
use crate::diag::Lang;
use crate::msg::diff as m;
use crate::msg::report as mr;
use crate::report::format::{one_line, pad_left, pad_right, truncate, width};
use crate::report::text::failed_op;

/// How the text is laid out.
#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    /// At most this many findings of each change per rule (the counts are
    /// always whole).
    pub max_per_rule: usize,
    pub lang: Lang,
}

impl Default for TextOptions {
    fn default() -> TextOptions {
        TextOptions {
            max_per_rule: 10,
            lang: Lang::Zh,
        }
    }
}

const TITLE_WIDTH: usize = 40;

/// The comparison as text, ending with a newline.
pub fn render(d: &Diff, o: &TextOptions) -> String {
    let t = |msg: crate::diag::Msg| msg.get(o.lang).to_string();
    let mut out = String::new();
    out.push_str(&t(m::title(crate::VERSION)));
    out.push('\n');
    for (word, side) in [(m::side_old(), &d.old), (m::side_new(), &d.new)] {
        let subs = match side.submissions.as_slice() {
            [one] => match one.report_year {
                Some(y) => t(m::side_one_year(&one_line(&one.name), y)),
                None => one_line(&one.name),
            },
            many => t(m::side_many(many.len())),
        };
        let pack = side
            .rule_pack
            .as_deref()
            .map(|h| t(m::side_pack(crate::report::short_hash(h, 12))))
            .unwrap_or_default();
        out.push_str(&format!(
            "{} {}（{}{}）\n",
            pad_right(&format!("{}:", t(word)), 5),
            one_line(&side.source),
            subs,
            pack
        ));
    }
    let kind = match d.kind {
        DiffKind::Rules => m::kind_rules(),
        DiffKind::Submissions => m::kind_submissions(),
        DiffKind::Both => m::kind_both(),
        DiffKind::Same => m::kind_same(),
    };
    let years = match d.years {
        YearMode::FromReportYear => m::years_from_report(),
        YearMode::Year => m::years_as_is(),
    };
    out.push_str(&format!(
        "{} {}；{}\n",
        pad_right(&format!("{}:", t(m::compared())), 5),
        t(kind),
        t(years)
    ));

    for r in d.rules.iter().filter(|r| shown(d, r)) {
        out.push('\n');
        rule_block(&mut out, d, r, o);
    }

    if !d.not_comparable.is_empty() {
        out.push('\n');
        out.push_str(&t(m::not_comparable_head()));
        out.push('\n');
        for n in &d.not_comparable {
            let side = if n.side == "old" {
                m::side_old()
            } else {
                m::side_new()
            };
            let why = match n.reason {
                super::Unchecked::FailedToLoad => m::reason_failed_to_load(),
                super::Unchecked::NotChecked => m::reason_not_checked(),
                super::Unchecked::Absent => m::reason_absent(),
            };
            out.push_str(&format!(
                "  {}  {}：{}\n",
                one_line(&n.submission),
                t(side),
                t(why)
            ));
        }
    }

    if d.rules.iter().any(|r| shown(d, r)) {
        out.push('\n');
        table(&mut out, d, o);
    }
    out.push('\n');
    let c = &d.summary.counts;
    let verdict = if !d.not_comparable.is_empty() {
        m::verdict_incomplete(d.not_comparable.len())
    } else if d.summary.differ {
        m::verdict_changed(&counts_text(d, c, o.lang), d.summary.rules_changed)
    } else {
        m::verdict_same(&counts_text(d, c, o.lang))
    };
    out.push_str(&t(verdict));
    out.push('\n');
    out
}

/// `新增 3 条，有变化 2 条`: the counts that are not zero (all zero: `0 条`).
fn counts_text(d: &Diff, c: &super::Counts, lang: Lang) -> String {
    let parts: Vec<String> = [
        (Change::Added, c.added),
        (Change::Removed, c.removed),
        (Change::Changed, c.changed),
        (Change::Persisting, c.persisting),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(ch, n)| {
        m::count_of(&super::change_word(*ch, d.kind), *n)
            .get(lang)
            .to_string()
    })
    .collect();
    if parts.is_empty() {
        m::no_findings().get(lang).to_string()
    } else {
        parts.join(m::list_sep().get(lang))
    }
}

/// Whether a rule has a block (and a row in the table): when a finding of
/// it changed, or, between two submissions, when it has any finding.
fn shown(d: &Diff, r: &RuleDiff) -> bool {
    r.counts.differences() > 0 || d.kind == DiffKind::Submissions
}

/// Whether the findings of a change are listed one by one: persisting ones
/// only between two submissions (what is still to be fixed).
fn listed(c: Change, kind: DiffKind) -> bool {
    c != Change::Persisting || kind == DiffKind::Submissions
}

fn rule_block(out: &mut String, d: &Diff, r: &RuleDiff, o: &TextOptions) {
    let t = |msg: crate::diag::Msg| msg.get(o.lang).to_string();
    let title = one_line(&r.title);
    out.push_str(&format!(
        "{}  {}   {}\n",
        one_line(&r.rule),
        if title.is_empty() {
            "—".into()
        } else {
            title
        },
        counts_text(d, &r.counts, o.lang)
    ));
    for change in [
        Change::Changed,
        Change::Added,
        Change::Removed,
        Change::Persisting,
    ] {
        let all: Vec<&FindingDiff> = r.findings.iter().filter(|f| f.change == change).collect();
        if all.is_empty() || !listed(change, d.kind) {
            continue;
        }
        out.push_str(&format!(
            "  {}\n",
            t(m::group_head(
                &super::change_word(change, d.kind),
                all.len()
            ))
        ));
        for f in all.iter().take(o.max_per_rule) {
            finding_line(out, f, o.lang);
        }
        if all.len() > o.max_per_rule {
            let more = all.len() - o.max_per_rule;
            out.push_str(&format!(
                "    {}\n",
                t(mr::more_findings(&more.to_string(), &all.len().to_string()))
            ));
        }
    }
}

fn finding_line(out: &mut String, f: &FindingDiff, lang: Lang) {
    let symbol = match f.change {
        Change::Changed => "~",
        Change::Added => "+",
        Change::Removed => "-",
        Change::Persisting => "=",
    };
    let mut parts: Vec<String> = Vec::new();
    if let Some(label) = &f.submission {
        parts.push(format!("[{}]", one_line(label)));
    }
    let year = |s: &Option<State>| s.as_ref().and_then(|s| s.year);
    match (year(&f.old), year(&f.new)) {
        (Some(a), Some(b)) if a != b => parts.push(format!("{a} → {b}")),
        (_, Some(y)) | (Some(y), None) => parts.push(y.to_string()),
        (None, None) => {}
    }
    parts.push(entity_text(&f.entity, lang));
    let value = match (&f.old, &f.new) {
        (Some(a), Some(b)) if f.change == Change::Changed => {
            format!("{}  →  {}", state_text(a, lang), state_text(b, lang))
        }
        (_, Some(s)) | (Some(s), None) => state_text(s, lang),
        (None, None) => String::new(),
    };
    if !value.is_empty() {
        parts.push(value);
    }
    out.push_str(&format!("    {symbol} {}\n", parts.join("  ")));
}

/// `万州区第一小学 3班 (5001020001-03)`, `乡镇街道 = 龙都街道`, `全区`.
fn entity_text(e: &EntityInfo, lang: Lang) -> String {
    match e.kind.as_str() {
        "row" => {
            let key = one_line(e.key.as_deref().unwrap_or(""));
            match e.name.as_deref().map(one_line).filter(|n| !n.is_empty()) {
                Some(name) => format!("{name} ({key})"),
                None => key,
            }
        }
        "group" => format!(
            "{} = {}",
            one_line(e.column.as_deref().unwrap_or("")),
            one_line(e.value.as_deref().unwrap_or(""))
        ),
        "submission" => mr::whole_district().get(lang).to_string(),
        other => one_line(other),
    }
}

/// A finding's result as the check report shows it: `46 人 > 42 人`, or
/// `不可评估：…`.
fn state_text(s: &State, lang: Lang) -> String {
    if s.outcome == "not_evaluable" {
        let why = s.reason.as_deref().map(one_line).unwrap_or_default();
        return mr::not_evaluable_label(&why).get(lang).to_string();
    }
    let a = s.actual.as_deref().map(one_line);
    let t = s.threshold.as_deref().map(one_line);
    let op = s.op.as_deref().map(one_line);
    let value = match (&a, &op, &t) {
        (Some(a), Some(op), Some(t)) => match failed_op(op) {
            Some(neg) => format!("{a} {neg} {t}"),
            None => mr::should_be(a, op, t).get(lang).to_string(),
        },
        (Some(a), _, _) => a.clone(),
        (None, Some(op), Some(t)) => mr::should_be_only(op, t).get(lang).to_string(),
        _ => String::new(),
    };
    if s.outcome == "fail" {
        value
    } else {
        // An outcome this version does not know: named as it is.
        format!("{} {value}", one_line(&s.outcome))
            .trim_end()
            .to_string()
    }
}

/// The counts of every rule, aligned by display width, and their totals.
fn table(out: &mut String, d: &Diff, o: &TextOptions) {
    let t = |msg: crate::diag::Msg| msg.get(o.lang).to_string();
    let changes = [
        Change::Added,
        Change::Removed,
        Change::Changed,
        Change::Persisting,
    ];
    let mut rows: Vec<[String; 6]> = Vec::new();
    let mut head = [
        t(m::col_rule()),
        t(m::col_title()),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ];
    for (i, c) in changes.iter().enumerate() {
        if let Some(cell) = head.get_mut(i + 2) {
            *cell = super::change_word(*c, d.kind).get(o.lang).to_string();
        }
    }
    rows.push(head);
    let num = |c: &super::Counts| {
        [
            c.added.to_string(),
            c.removed.to_string(),
            c.changed.to_string(),
            c.persisting.to_string(),
        ]
    };
    for r in d.rules.iter().filter(|r| shown(d, r)) {
        let [a, b, c, p] = num(&r.counts);
        rows.push([
            one_line(&r.rule),
            truncate(&one_line(&r.title), TITLE_WIDTH),
            a,
            b,
            c,
            p,
        ]);
    }
    let [a, b, c, p] = num(&d.summary.counts);
    rows.push([t(m::total()), String::new(), a, b, c, p]);
    let mut widths = [0usize; 6];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    for row in &rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            if i < 2 {
                line.push_str(&pad_right(cell, w));
            } else {
                line.push_str(&pad_left(cell, w));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}
