//! `dudao rules` and `dudao explain`: the rule pack as an inspector reads it.

use super::format::{pad_right, truncate, width};
use crate::check::pack::{Rule, RulePack};
use crate::diag::{Diag, did_you_mean};

/// One line per rule: id, severity, title, citation; aligned for wide characters.
pub fn rules(pack: &RulePack) -> String {
    let rows: Vec<[String; 4]> = pack
        .rules
        .iter()
        .map(|r| {
            let m = &r.meta;
            [
                m.id.clone(),
                m.severity.strictest().label_zh().to_string(),
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
    let Some(rule) = pack.rule(id) else {
        let ids: Vec<&str> = pack.rules.iter().map(|r| r.meta.id.as_str()).collect();
        let help = match did_you_mean(id, ids.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? `dudao rules` lists every rule"),
            None => "`dudao rules` lists every rule".to_string(),
        };
        return Err(Box::new(
            Diag::new(
                "dudao::cli::unknown_rule",
                format!("no rule `{id}` in the rule pack"),
            )
            .help(help),
        ));
    };
    Ok(render_rule(pack, rule))
}

fn render_rule(pack: &RulePack, rule: &Rule) -> String {
    let m = &rule.meta;
    let mut out = String::new();
    out.push_str(&format!("{}  {}\n\n", m.id, m.title));
    out.push_str(&format!(
        "  性质  {} ({})\n",
        m.severity.describe(),
        m.severity.strictest().label_zh()
    ));
    out.push_str(&format!("  年份  {}\n", m.years.describe()));
    out.push_str(&format!("  范围  {}\n", m.scope_text));
    out.push_str(&format!(
        "  依据  {} {}\n",
        m.citation.title, m.citation.clause
    ));
    if let Some(q) = &m.citation.quote {
        out.push_str(&format!("  原文  “{q}”\n"));
        if let Some((_, seed)) = pack.seeds.iter().find(|(d, _)| *d == m.citation.document)
            && let Some(ctx) = context(seed, q)
        {
            out.push_str("\n  出处（规划原文，【】内为引用句）:\n");
            for l in super::format::wrap(&ctx, 70) {
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
            if let Some(doc) = &p.doc {
                for l in doc.lines() {
                    out.push_str(&format!("      # {l}\n"));
                }
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
