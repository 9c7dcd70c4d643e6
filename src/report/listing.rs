//! `dudao rules` and `dudao explain`: the rule pack as an inspector reads it.

use super::format::{pad_right, truncate, width};
use crate::diag::Code;
use crate::diag::{Diag, did_you_mean};
use crate::msg::cli as m;
use crate::pack::ir::Scope;
use crate::pack::{Rule, RulePack, SeveritySpec, Years};

/// One line per rule: id, severity, title, citation; aligned for wide characters.
pub fn rules(pack: &RulePack) -> String {
    let rows: Vec<[String; 4]> = pack
        .rules
        .iter()
        .map(|r| {
            let m = &r.meta;
            [
                m.id.clone(),
                severity_zh(&m.severity),
                truncate(&m.title, 40),
                format!("{} {}", short_title(&m.citation.title), m.citation.clause),
            ]
        })
        .collect();
    let headers = ["规则", "性质", "标题", "依据"];
    let mut widths = headers.map(width);
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(width(cell));
        }
    }
    let mut out = String::new();
    let line = |cells: &[String]| -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                s.push_str(&pad_right(c, widths[i]));
                s.push_str("  ");
            }
        }
        s.trim_end().to_string()
    };
    out.push_str(&line(&headers.map(String::from)));
    out.push('\n');
    for r in &rows {
        out.push_str(&line(r));
        out.push('\n');
    }
    out.push_str(&format!(
        "\n{} 条规则，规则包 {}\n",
        pack.rules.len(),
        &pack.hash[..12.min(pack.hash.len())]
    ));
    out
}

/// `约束性`, or `预期性；2025年起约束性` for a severity that changes with the year.
pub fn severity_zh(s: &SeveritySpec) -> String {
    let mut out = s.base.label_zh().to_string();
    for (y, sev) in &s.from {
        out.push_str(&format!("；{y}年起{}", sev.label_zh()));
    }
    out
}

/// `2021–2025年`, `2025年起`, `各年`.
fn years_zh(y: &Years) -> String {
    match (y.from, y.to) {
        (None, None) => "各年".into(),
        (Some(f), None) => format!("{f}年起"),
        (None, Some(t)) => format!("{t}年及以前"),
        (Some(f), Some(t)) if f == t => format!("{f}年"),
        (Some(f), Some(t)) => format!("{f}–{t}年"),
    }
}

/// What one check of the rule is about, in words.
fn scope_zh(pack: &RulePack, rule: &Rule) -> String {
    let table = |t: usize| pack.schema.tables.get(t).map_or("", |d| d.label());
    match rule.scope {
        Scope::Row(t) => format!("{}表的每一行", table(t)),
        Scope::Group(t, c) => {
            let col = pack
                .schema
                .tables
                .get(t)
                .and_then(|d| d.columns.get(c))
                .map_or("", |c| c.label());
            format!("{}表按{}分组，每组一项", table(t), col)
        }
        Scope::Year => "数据中的每个年份".into(),
        Scope::Submission => "全区，报告年度".into(),
    }
}

/// A document title without its parenthesised number, for narrow listings:
/// "县域义务教育优质均衡发展督导评估办法（教督〔2017〕6号）" → "教督〔2017〕6号".
fn short_title(title: &str) -> String {
    match (title.rfind('（'), title.ends_with('）')) {
        (Some(i), true) => title[i + '（'.len_utf8()..title.len() - '）'.len_utf8()].to_string(),
        _ => title.to_string(),
    }
}

/// The full explanation of a rule, or a diagnostic naming the nearest id.
pub fn explain(pack: &RulePack, id: &str) -> Result<String, Box<Diag>> {
    if let Some(d) = pack.disabled.iter().find(|d| d.id == id) {
        return Ok(format!(
            "{}\n",
            m::explain_disabled(&d.id, &d.reason, &d.file, d.line).zh()
        ));
    }
    let Some(rule) = pack.rule(id) else {
        let ids: Vec<&str> = pack.rules.iter().map(|r| r.meta.id.as_str()).collect();
        let children: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|x| x.starts_with(&format!("{id}.")))
            .collect();
        let help = match did_you_mean(id, ids.iter().copied()) {
            _ if !children.is_empty() => m::unknown_rule_parts(id, &children.join("、")),
            Some(s) => m::unknown_rule_suggest(s),
            None => m::unknown_rule_list(),
        };
        return Err(Box::new(
            Diag::new(Code::CliUnknownRule, m::unknown_rule(id)).help(help),
        ));
    };
    Ok(render_rule(pack, rule))
}

fn render_rule(pack: &RulePack, rule: &Rule) -> String {
    let m = &rule.meta;
    let mut out = String::new();
    out.push_str(&format!("{}  {}\n\n", m.id, m.title));
    out.push_str(&format!("  性质  {}\n", severity_zh(&m.severity)));
    out.push_str(&format!("  年份  {}\n", years_zh(&m.years)));
    out.push_str(&format!(
        "  范围  {}（{}）\n",
        scope_zh(pack, rule),
        m.scope_text
    ));
    out.push_str(&format!(
        "  依据  {} {}\n",
        m.citation.title, m.citation.clause
    ));
    if let Some(q) = &m.citation.quote {
        out.push_str(&format!("  原文  “{}”\n", super::format::join_lines(q)));
        if let Some((_, seed)) = pack.seeds.iter().find(|(d, _)| *d == m.citation.document)
            && let Some(ctx) = context(seed, q)
        {
            out.push_str("\n  出处（原文，【】内为引用句）:\n");
            for l in super::format::wrap(&super::format::join_lines(&ctx), 70) {
                out.push_str(&format!("    {l}\n"));
            }
        }
    }
    let params: Vec<_> = pack
        .params
        .iter()
        .filter(|p| m.params.contains(&p.name))
        .collect();
    if !params.is_empty() {
        out.push_str("\n  参数:\n");
        for p in params {
            out.push_str(&format!("    {} = {}\n", p.name, p.value_text));
            // The last override is the value in force; the first says what
            // the imported pack had.
            let changed: Vec<_> = pack.overrides.iter().filter(|o| o.name == p.name).collect();
            if let (Some(first), Some(last)) = (changed.first(), changed.last()) {
                let said = m::explain_overridden(&first.old_value, &last.file, last.line);
                out.push_str(&format!("      {}\n", said.zh()));
            }
            if let Some(doc) = &p.doc {
                for l in doc.lines() {
                    out.push_str(&format!("      # {l}\n"));
                }
            }
        }
    }
    let metric_texts: Vec<String> = m
        .metrics
        .iter()
        .filter_map(|key| {
            let (_, fi, span) = pack.metric_sources.iter().find(|(k, _, _)| k == key)?;
            pack.files
                .get(*fi)?
                .text
                .get(span.clone())
                .map(str::to_string)
        })
        .collect();
    if !metric_texts.is_empty() {
        out.push_str("\n  指标:\n");
        for t in metric_texts {
            for l in t.lines() {
                out.push_str(&format!("    {l}\n"));
            }
        }
    }
    if let Some(f) = pack.files.get(m.file)
        && let Some(text) = f.text.get(m.span.clone())
    {
        out.push_str(&format!("\n  规则原文 ({}):\n", f.name));
        for l in text.lines() {
            out.push_str(&format!("    {l}\n"));
        }
    }
    out
}

/// The paragraph of `seed` holding `quote`, with the quote marked 【…】 and
/// long paragraphs cut to about 120 characters on each side.
fn context(seed: &str, quote: &str) -> Option<String> {
    let at = seed.find(quote)?;
    let start = seed[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let end = seed[at + quote.len()..]
        .find('\n')
        .map(|i| at + quote.len() + i)
        .unwrap_or(seed.len());
    let before: String = {
        let b: Vec<char> = seed[start..at].trim_start().chars().collect();
        let skip = b.len().saturating_sub(120);
        let s: String = b[skip..].iter().collect();
        if skip > 0 { format!("…{s}") } else { s }
    };
    let after: String = {
        let a: Vec<char> = seed[at + quote.len()..end].trim_end().chars().collect();
        let s: String = a.iter().take(120).collect();
        if a.len() > 120 { format!("{s}…") } else { s }
    };
    Some(format!("{before}【{quote}】{after}"))
}

/// `dudao coverage`: every quantitative target the pack lists, under its
/// document and clause in the order the pack declares them, one line per
/// target: id, status (已覆盖 when rules check it, 不可检查 when it cannot be
/// checked from a submission), the target, and the rules or the reason. A
/// footer counts both, and names any rule citing a seeded document (such as
/// the plan) that no coverage entry lists.
pub fn coverage(pack: &RulePack) -> String {
    const COVERED: &str = "已覆盖";
    const NOT_CHECKABLE: &str = "不可检查";
    const TARGET_MAX: usize = 48;

    let status = |c: &crate::pack::CoverageItem| {
        if c.rules.is_empty() {
            NOT_CHECKABLE
        } else {
            COVERED
        }
    };
    let id_w = pack
        .coverage
        .iter()
        .map(|c| width(&c.id))
        .max()
        .unwrap_or(0);
    let status_w = width(COVERED).max(width(NOT_CHECKABLE));
    let target_w = pack
        .coverage
        .iter()
        .map(|c| width(&truncate(&c.target, TARGET_MAX)))
        .max()
        .unwrap_or(0);

    // Groups by (document, clause), in order of first appearance.
    let mut groups: Vec<(&str, &str, Vec<&crate::pack::CoverageItem>)> = Vec::new();
    for c in &pack.coverage {
        match groups
            .iter_mut()
            .find(|(d, cl, _)| *d == c.document && *cl == c.clause)
        {
            Some((_, _, items)) => items.push(c),
            None => groups.push((&c.document, &c.clause, vec![c])),
        }
    }

    let doc_title = |id: &str| -> String {
        if id.is_empty() {
            return "（未注明出处）".to_string();
        }
        pack.documents
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| id.to_string(), |d| d.title.clone())
    };

    let mut out = String::from("目标覆盖：每项量化目标由哪些规则检查，或为何不能由报送数据检查\n");
    let mut last_doc: Option<&str> = None;
    for (doc, clause, items) in &groups {
        if last_doc != Some(*doc) {
            out.push_str(&format!("\n{}\n", doc_title(doc)));
            last_doc = Some(*doc);
        }
        let heading = if clause.is_empty() {
            "（未注明条款）"
        } else {
            clause
        };
        out.push_str(&format!("\n  {heading}\n"));
        for c in items {
            let detail = if c.rules.is_empty() {
                c.reason.clone().unwrap_or_default()
            } else {
                c.rules.join(", ")
            };
            let line = format!(
                "    {}  {}  {}  {}",
                pad_right(&c.id, id_w),
                pad_right(status(c), status_w),
                pad_right(&truncate(&c.target, TARGET_MAX), target_w),
                detail
            );
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }

    let covered = pack.coverage.iter().filter(|c| !c.rules.is_empty()).count();
    let not_checkable = pack.coverage.len() - covered;
    let mut checking: Vec<&str> = pack
        .coverage
        .iter()
        .flat_map(|c| c.rules.iter().map(String::as_str))
        .collect();
    checking.sort_unstable();
    checking.dedup();
    out.push_str(&format!(
        "\n共 {} 项目标：{COVERED} {covered} 项（由 {} 条规则检查），{NOT_CHECKABLE} {not_checkable} 项\n",
        pack.coverage.len(),
        checking.len()
    ));

    // Rules citing a document the coverage list draws on, missing from it.
    let listed_docs: Vec<&str> = groups.iter().map(|(d, _, _)| *d).collect();
    let unlisted: Vec<&str> = pack
        .rules
        .iter()
        .map(|r| &r.meta)
        .filter(|m| listed_docs.contains(&m.citation.document.as_str()))
        .filter(|m| !checking.contains(&m.id.as_str()))
        .map(|m| m.id.as_str())
        .collect();
    if !unlisted.is_empty() {
        out.push_str(&format!(
            "未列入覆盖清单的规则（引用同一文件）：{}\n",
            unlisted.join(", ")
        ));
    }
    out
}
