//! The coverage list of the rule pack (`rules/90-coverage.dudao`): every
//! quantitative target of the plan, and every indicator of the national
//! standards the pack cites, mapped to the rules that check it or marked not
//! checkable with the reason.
//!
//! - the listing (`dudao coverage`) is snapshotted;
//! - completeness: every target clause of the plan (a clause with a number
//!   that looks forward) holds the quote of a coverage entry, and every
//!   number in it lies inside such a quote; every row of 表2-1 has an entry;
//! - every plan rule is listed by some entry, and the listing's counts match
//!   the pack.

use dudao::diag::render_plain;
use dudao::pack::RulePack;
use dudao::report::listing;
use dudao::syntax::ast::Item;
use dudao::syntax::parse_file;
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

fn pack() -> &'static RulePack {
    static PACK: OnceLock<RulePack> = OnceLock::new();
    PACK.get_or_init(|| {
        match dudao::check::load_pack(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))) {
            Ok(p) => p,
            Err(diags) => panic!("the rule pack does not compile:\n{}", render_plain(&diags)),
        }
    })
}

/// The plan's text, as the pack loaded it.
fn plan_text(pack: &RulePack) -> &str {
    pack.seeds
        .iter()
        .find(|(d, _)| d == "plan")
        .map(|(_, t)| t.as_str())
        .expect("the pack carries the plan's seed")
}

/// A coverage entry with its citation, read from the rule files (the compiled
/// `CoverageItem` keeps no quote).
struct Entry {
    id: String,
    document: String,
    clause: String,
    quote: Option<String>,
}

fn entries(pack: &RulePack) -> Vec<Entry> {
    let mut out = Vec::new();
    for f in &pack.files {
        let (file, errors) = parse_file(&f.text);
        assert!(errors.is_empty(), "{} does not parse", f.name);
        for item in file.items {
            if let Item::Coverage(c) = item {
                let (document, clause, quote) = match c.cite {
                    Some((d, cl, q)) => (d.name, cl.value, q.map(|q| q.value)),
                    None => (String::new(), String::new(), None),
                };
                out.push(Entry {
                    id: c.id.name,
                    document,
                    clause,
                    quote,
                });
            }
        }
    }
    out
}

/// Plan entries' quotes.
fn plan_quotes(pack: &RulePack) -> Vec<String> {
    entries(pack)
        .into_iter()
        .filter(|e| e.document == "plan")
        .filter_map(|e| e.quote)
        .collect()
}

#[test]
fn listing_snapshot() {
    insta::assert_snapshot!("coverage_listing", listing::coverage(pack()));
}

#[test]
fn every_entry_cites_a_quote() {
    let pack = pack();
    let entries = entries(pack);
    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    let compiled: Vec<&str> = pack.coverage.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, compiled, "parsed and compiled coverage entries differ");
    assert!(!entries.is_empty(), "the pack has no coverage entries");
    for e in &entries {
        assert!(!e.document.is_empty(), "{} cites no document", e.id);
        assert!(!e.clause.is_empty(), "{} cites no clause", e.id);
        let seed = pack.seeds.iter().find(|(d, _)| *d == e.document);
        match (e.quote.as_deref(), seed) {
            (Some(q), Some((_, text))) => assert!(
                text.contains(q),
                "{}: quote not in {}: {q}",
                e.id,
                e.document
            ),
            // A quote from a document whose text the pack does not hold
            // could not be checked: there is none.
            (Some(q), None) => panic!(
                "{}: quotes {q} from {}, which has no seed to check it against",
                e.id, e.document
            ),
            // Without a quote, the clause says it could not be verified.
            (None, _) => assert!(
                e.clause.contains("未核实"),
                "{} has no quote, and its clause {} does not say 未核实",
                e.id,
                e.clause
            ),
        }
    }
    // Every plan entry quotes the plan.
    for e in entries.iter().filter(|e| e.document == "plan") {
        assert!(e.quote.is_some(), "{} has no quote", e.id);
    }
    assert!(
        entries.iter().any(|e| e.document == "plan"),
        "no coverage entry cites the plan"
    );
}

// ----- completeness ----------------------------------------------------------

/// Words that make a clause with a number a target: a deadline, a level to
/// reach or keep, something to build, create or grow, a count.
const TARGET_WORDS: &[&str] = &[
    "到2025",
    "2025年",
    "达到",
    "达",
    "以上",
    "不低于",
    "保持",
    "提高到",
    "新增",
    "建成",
    "创建",
    "建设",
    "培育",
    "争创",
    "力争",
    "每年",
    "实现",
    "覆盖率",
    "比例",
    "所",
    "个",
    "名",
];

/// Substrings with digits that are not targets. Document numbers
/// (`〔2020〕3号`) are masked too, by `mask_document_numbers`.
const NOT_TARGETS: &[&str] = &[
    // 二(三)2: the 2035 vision, beyond this plan.
    "2035",
    // 三(三)2: the name of a certificate scheme.
    "“1+X”",
    // 三(一)1: an anniversary.
    "成立100周年",
];

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// The plan's text from 二(三) 发展目标 to the end, without 表2-1 (the
/// table is checked row by row).
fn target_sections(plan: &str) -> String {
    let start = plan.find("（三）发展目标").expect("二(三) in the plan");
    let table = plan.find("表2-1").expect("表2-1 in the plan");
    let after = plan.find("三、重点任务").expect("section 三 in the plan");
    assert!(start < table && table < after);
    format!("{}\n{}", &plan[start..table], &plan[after..])
}

/// A line without its list label: `1.` of an item, `专栏3` of a box heading.
fn strip_label(line: &str) -> &str {
    let line = line.trim();
    let rest = line.strip_prefix("专栏").unwrap_or(line);
    let digits = rest.len() - rest.trim_start_matches(is_digit).len();
    if digits == 0 {
        return line;
    }
    let after = &rest[digits..];
    if line.starts_with("专栏") {
        after
    } else {
        after.strip_prefix('.').unwrap_or(line)
    }
}

/// The clauses of the text: split at `。`, `；` and line breaks.
fn clauses(text: &str) -> Vec<&str> {
    text.lines()
        .map(strip_label)
        .flat_map(|l| l.split(['。', '；']))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

/// `s` with every `NOT_TARGETS` occurrence and every document number
/// (`〔2019〕30号`) replaced by spaces of the same byte length, so positions
/// stay the same.
fn mask(s: &str) -> String {
    let mut out = mask_document_numbers(s);
    for n in NOT_TARGETS {
        out = out.replace(n, &" ".repeat(n.len()));
    }
    out
}

fn mask_document_numbers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('〔') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let after_open = &tail['〔'.len_utf8()..];
        let year = after_open.len() - after_open.trim_start_matches(is_digit).len();
        let after_year = &after_open[year..];
        let len = after_year.strip_prefix('〕').and_then(|a| {
            let n = a.len() - a.trim_start_matches(is_digit).len();
            (year > 0 && n > 0 && a[n..].starts_with('号'))
                .then(|| tail.len() - a.len() + n + '号'.len_utf8())
        });
        match len {
            Some(len) => {
                out.push_str(&" ".repeat(len));
                rest = &tail[len..];
            }
            None => {
                out.push('〔');
                rest = after_open;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Byte ranges of the numbers of `s` (digit runs, with a decimal point
/// between digits), leaving out years (`2025年`, `2025年前`): a year says
/// when, and the clause must still hold a quote.
fn numbers(s: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i].1) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (is_digit(chars[i].1)
                || (matches!(chars[i].1, '.' | '．')
                    && chars.get(i + 1).is_some_and(|c| is_digit(c.1))))
        {
            i += 1;
        }
        let from = chars[start].0;
        let to = chars.get(i).map_or(s.len(), |c| c.0);
        let text = &s[from..to];
        let is_year = text.len() == 4
            && text.starts_with("20")
            && matches!(chars.get(i).map(|c| c.1), Some('年' | '前'));
        if !is_year {
            out.push((from, to));
        }
    }
    out
}

/// A clause of the plan that states a target: it has a number (outside the
/// masked substrings) and a target word.
fn is_target(masked: &str) -> bool {
    masked.chars().any(is_digit) && TARGET_WORDS.iter().any(|w| masked.contains(w))
}

/// Why each target clause is not covered: it holds no quote, or a number of
/// it lies outside every quote. Empty when all are covered.
fn uncovered(plan: &str, quotes: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    for clause in clauses(&target_sections(plan)) {
        let masked = mask(clause);
        if !is_target(&masked) {
            continue;
        }
        let spans: Vec<(usize, usize)> = quotes
            .iter()
            .flat_map(|q| {
                clause
                    .match_indices(q.as_str())
                    .map(|(i, m)| (i, i + m.len()))
            })
            .collect();
        if spans.is_empty() {
            problems.push(format!("no coverage quote in: {clause}"));
            continue;
        }
        for (a, b) in numbers(&masked) {
            if !spans.iter().any(|&(x, y)| x <= a && b <= y) {
                problems.push(format!(
                    "the number {} is in no coverage quote: {clause}",
                    &clause[a..b]
                ));
            }
        }
    }
    problems
}

#[test]
fn every_target_clause_of_the_plan_is_covered() {
    let pack = pack();
    let problems = uncovered(plan_text(pack), &plan_quotes(pack));
    assert!(
        problems.is_empty(),
        "{} target clause(s) of the plan are not in rules/90-coverage.dudao:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The check can fail: without an entry, its clause is reported.
#[test]
fn a_missing_entry_is_reported() {
    let pack = pack();
    let plan = plan_text(pack);
    let quotes = plan_quotes(pack);
    for gone in [
        "建成大学1所",
        "到2025年，基本实现教育现代化",
        "全区集团化办学覆盖率达到60%",
    ] {
        assert!(quotes.iter().any(|q| q == gone), "no entry quotes {gone}");
        let fewer: Vec<String> = quotes.iter().filter(|q| *q != gone).cloned().collect();
        let problems = uncovered(plan, &fewer);
        assert!(
            problems.iter().any(|p| p.contains(gone)),
            "removing {gone} went unnoticed: {problems:?}"
        );
    }
}

#[test]
fn not_targets_are_in_the_plan() {
    let text = target_sections(plan_text(pack()));
    for n in NOT_TARGETS {
        assert!(text.contains(n), "NOT_TARGETS entry {n} is not in the plan");
    }
}

#[test]
fn masking_and_numbers() {
    assert_eq!(
        mask("（国教督办函〔2019〕30号）和70%"),
        format!("（国教督办函{}）和70%", " ".repeat("〔2019〕30号".len()))
    );
    let s = "到2025年，2025年前建成11.3万人、2-3个、５所";
    let found: Vec<&str> = numbers(s).into_iter().map(|(a, b)| &s[a..b]).collect();
    assert_eq!(found, ["11.3", "2", "3", "５"]);
    assert_eq!(
        strip_label("\t专栏3  中职教育创新发展工程"),
        "  中职教育创新发展工程"
    );
    assert_eq!(
        strip_label("2.义务教育优质均衡提升工程"),
        "义务教育优质均衡提升工程"
    );
    assert_eq!(strip_label("2025年"), "2025年");
}

/// The indicators of 表2-1: in each row the indicator is followed by the
/// 2020 value, the 2025 value and the attribute.
fn table_indicators(plan: &str) -> Vec<String> {
    let start = plan.find("表2-1").expect("表2-1 in the plan");
    let end = plan.find("三、重点任务").expect("section 三 in the plan");
    let lines: Vec<&str> = plan[start..end].lines().map(str::trim).collect();
    let value = |s: &str| {
        let s = s.trim_start_matches(['＞', '>', '＜', '<', '≥', '≤']);
        !s.is_empty() && s.chars().all(|c| is_digit(c) || c == '.')
    };
    lines
        .windows(4)
        .filter(|w| {
            !value(w[0]) && value(w[1]) && value(w[2]) && matches!(w[3], "预期性" | "约束性")
        })
        .map(|w| w[0].to_string())
        .collect()
}

#[test]
fn every_row_of_table_2_1_has_an_entry() {
    let pack = pack();
    let rows = table_indicators(plan_text(pack));
    assert_eq!(rows.len(), 18, "表2-1 has 18 indicators: {rows:?}");
    let mut want: HashMap<&str, usize> = HashMap::new();
    for r in &rows {
        *want.entry(r.as_str()).or_default() += 1;
    }
    let entries = entries(pack);
    for (indicator, n) in want {
        let have: Vec<&str> = entries
            .iter()
            .filter(|e| e.clause.starts_with("表2-1") && e.quote.as_deref() == Some(indicator))
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(
            have.len(),
            n,
            "表2-1 row {indicator} appears {n} time(s) but has entries {have:?}"
        );
        for id in have {
            let item = pack.coverage.iter().find(|c| c.id == id).unwrap();
            assert!(
                item.rules.iter().any(|r| r.starts_with("A1.")),
                "{id} ({indicator}) is not checked by an A1 rule"
            );
        }
    }
}

// ----- rules and counts --------------------------------------------------------

#[test]
fn every_plan_rule_is_listed() {
    let pack = pack();
    let listed: Vec<&str> = pack
        .coverage
        .iter()
        .flat_map(|c| c.rules.iter().map(String::as_str))
        .collect();
    let missing: Vec<&str> = pack
        .rules
        .iter()
        .filter(|r| r.meta.citation.document == "plan")
        .map(|r| r.meta.id.as_str())
        .filter(|id| !listed.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "plan rules no coverage entry lists: {missing:?}"
    );
}

#[test]
fn listing_counts_match_the_pack() {
    let pack = pack();
    let out = listing::coverage(pack);
    let covered = pack.coverage.iter().filter(|c| !c.rules.is_empty()).count();
    let not_checkable = pack.coverage.iter().filter(|c| c.reason.is_some()).count();
    assert_eq!(covered + not_checkable, pack.coverage.len());
    let footer = format!("共 {} 项目标：已覆盖 {covered} 项", pack.coverage.len());
    assert!(out.contains(&footer), "no `{footer}` in:\n{out}");
    assert!(
        out.contains(&format!("不可检查 {not_checkable} 项")),
        "wrong not-checkable count in:\n{out}"
    );
    let lines_of = |status: &str| {
        out.lines()
            .filter(|l| l.split_whitespace().nth(1) == Some(status))
            .count()
    };
    assert_eq!(lines_of("已覆盖"), covered);
    assert_eq!(lines_of("不可检查"), not_checkable);
    for c in &pack.coverage {
        let line = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(c.id.as_str()))
            .unwrap_or_else(|| panic!("{} is not listed", c.id));
        match &c.reason {
            Some(reason) => assert!(line.ends_with(reason.as_str()), "{line}"),
            None => assert!(line.ends_with(&c.rules.join(", ")), "{line}"),
        }
    }
}
