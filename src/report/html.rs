//! The HTML report (`报告.html`) and the batch summary (`汇总.html`): one
//! self-contained file each, no network, no external script or font, in
//! the report's language, printable to A4. Rendered with minijinja from
//! templates in `templates/`, which escape every value (a school named
//! `<script>` shows as text); charts are inline SVG from [`super::svg`].

use super::format::{format_num, one_line, truncate};
use super::summary::BatchRow;
use super::svg::{self, Bar, HistBin};
use super::view::{self, View};
use super::{Checked, rules_with_results};
use crate::diag::Lang;
use crate::eval::finding::{CheckReport, Outcome, Shown};
use crate::msg::report as m;
use crate::pack::RulePack;
use crate::pack::Severity;
use crate::pack::ir::{self, Expr, Scope};
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use serde::Serialize;

const REPORT: &str = include_str!("templates/report.html");
const BATCH: &str = include_str!("templates/batch.html");
const STYLE: &str = include_str!("templates/style.css");
const SCRIPT: &str = include_str!("templates/filter.js");

/// A chart with its title.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// `bars`, `course` or `histogram`.
    pub kind: &'static str,
    pub title: String,
    pub note: String,
    /// Inline SVG, made by this module (its texts escaped).
    pub svg: String,
    /// Whether to show it opened (charts of rules that failed).
    pub open: bool,
}

fn env() -> Environment<'static> {
    let mut env = Environment::new();
    // Templates are compiled in; a broken one is a defect caught by the
    // tests, reported as text rather than a panic.
    for (name, src) in [("report.html", REPORT), ("batch.html", BATCH)] {
        if let Err(e) = env.add_template(name, src) {
            env.add_template_owned(
                name.to_string(),
                format!("<pre>template {name}: {}</pre>", svg::esc(&e.to_string())),
            )
            .ok();
        }
    }
    env
}

/// The HTML report of one submission, labelled `label`.
pub fn render(c: &Checked, label: &str, lang: Lang) -> String {
    let v = view::build(c, label, lang);
    let charts = c
        .report
        .map(|r| {
            let mut all = charts(c.pack, r, &v, lang);
            all.extend(split_charts(c, r, lang));
            all
        })
        .unwrap_or_default();
    let words = Words::new(lang);
    let env = env();
    let result = env.get_template("report.html").and_then(|t| {
        t.render(context! {
            v => Value::from(Serde(&v)),
            charts => Value::from(Serde(&charts)),
            w => Value::from(Serde(&words)),
            split_title => m::html_chart_split_title().get(lang),
            style => STYLE,
            script => SCRIPT,
            lang => match lang { Lang::Zh => "zh-CN", Lang::En => "en" },
        })
    });
    match result {
        Ok(s) => s,
        Err(e) => format!("<pre>{}</pre>", svg::esc(&e.to_string())),
    }
}

/// The words of the report's own headings, in its language.
#[derive(Debug, Clone, Serialize)]
struct Words {
    title: String,
    submission: String,
    report_year: String,
    years: String,
    pack: String,
    overrides: String,
    disabled: String,
    verdict: String,
    completeness: String,
    warnings: String,
    indicators: String,
    findings: String,
    by_school: String,
    matrices: String,
    charts: String,
    not_evaluable: String,
    rules: String,
    data: String,
    binding: String,
    expected: String,
    info: String,
    binding_failures: String,
    expected_failures: String,
    not_met: String,
    col: Cols,
}

#[derive(Debug, Clone, Serialize)]
struct Cols {
    rule: String,
    title: String,
    severity: String,
    status: String,
    checked: String,
    passed: String,
    failed: String,
    not_evaluable: String,
    year: String,
    entity: String,
    area: String,
    key: String,
    name: String,
    part: String,
    indicator: String,
    value: String,
    standard: String,
    gap: String,
    basis: String,
    reason: String,
    message: String,
    quote: String,
    file: String,
    rows: String,
    all: String,
    search: String,
    variant: String,
    code: String,
}

impl Words {
    fn new(lang: Lang) -> Words {
        let t = |msg: crate::diag::Msg| msg.get(lang).to_string();
        Words {
            title: t(m::html_title()),
            submission: t(m::head_submission()),
            report_year: t(m::head_report_year()),
            years: t(m::head_years()),
            pack: t(m::head_pack()),
            overrides: t(m::head_overrides()),
            disabled: t(m::head_disabled()),
            verdict: t(m::verdict_label()),
            completeness: t(m::completeness_title()),
            warnings: t(m::html_warnings()),
            indicators: t(m::html_indicators()),
            findings: t(m::html_findings()),
            by_school: t(m::html_by_school()),
            matrices: t(m::html_matrices()),
            charts: t(m::html_charts()),
            not_evaluable: t(m::html_not_evaluable()),
            rules: t(m::html_rules()),
            data: t(m::html_data()),
            binding: Severity::Binding.label(lang).to_string(),
            expected: Severity::Expected.label(lang).to_string(),
            info: Severity::Info.label(lang).to_string(),
            binding_failures: t(m::batch_binding()),
            expected_failures: t(m::batch_expected()),
            not_met: t(m::failed_conditions("")),
            col: Cols {
                rule: t(m::col_rule()),
                title: t(m::col_title()),
                severity: t(m::col_severity()),
                status: t(m::col_status()),
                checked: t(m::col_checked()),
                passed: t(m::col_passed()),
                failed: t(m::col_failed()),
                not_evaluable: t(m::col_not_evaluable()),
                year: t(m::col_year()),
                entity: t(m::col_entity()),
                area: t(m::col_area()),
                key: t(m::col_key()),
                name: t(m::col_name()),
                part: t(m::col_part()),
                indicator: t(m::col_indicator()),
                value: t(m::col_value()),
                standard: t(m::col_standard()),
                gap: t(m::col_gap()),
                basis: t(m::col_basis()),
                reason: t(m::col_reason()),
                message: t(m::col_message()),
                quote: t(m::col_quote()),
                file: t(m::col_file()),
                rows: t(m::col_rows()),
                all: t(m::html_all()),
                search: t(m::html_search()),
                variant: t(m::col_variant()),
                code: t(m::col_code()),
            },
        }
    }
}

/// The trajectory points of a standard: the `trajectory(…)` it is, or the
/// one of the metric it reads.
fn trajectory<'p>(pack: &'p RulePack, e: &'p Expr) -> Option<&'p [(i32, f64)]> {
    let mut found = None;
    let mut metrics = Vec::new();
    ir::visit(e, &mut |x| match x {
        Expr::Trajectory(points) if found.is_none() => found = Some(points.as_slice()),
        Expr::Metric(id) => metrics.push(*id),
        _ => {}
    });
    found.or_else(|| {
        metrics
            .into_iter()
            .find_map(|id| pack.metrics.get(id).and_then(|m| trajectory(pack, &m.expr)))
    })
}

fn shown_num(s: &Shown) -> Option<f64> {
    match s {
        Shown::Num { value, .. } if value.is_finite() => Some(*value),
        _ => None,
    }
}

/// Every chart of the report: the district indicators against their
/// standards (one chart per kind of value), the course of each indicator
/// over the years against the plan's line, and the distribution of each
/// row rule's value with its standards marked.
fn charts(pack: &RulePack, report: &CheckReport, v: &View, lang: Lang) -> Vec<Chart> {
    let t = |msg: crate::diag::Msg| msg.get(lang).to_string();
    let mut out = Vec::new();

    // Bars: district-wide indicators in the report year, by kind of value.
    let mut groups: Vec<(String, bool, Vec<Bar>)> = Vec::new();
    for ind in &v.indicators {
        let Some(row) = ind
            .rows
            .iter()
            .rev()
            .find(|r| r.entity == t(m::whole_district()))
        else {
            continue;
        };
        let (Some(value), standard) = (row.value_num, row.standard_num) else {
            continue;
        };
        let rule = pack.rule(&ind.rule);
        let unit = rule
            .and_then(|r| r.assert.display.first())
            .map(|d| d.lhs.1.unit.to_string())
            .unwrap_or_default();
        let status = match (row.outcome, row.severity) {
            ("pass", _) => "pass",
            ("fail", "binding") => "fail",
            ("fail", _) => "expected",
            _ => "not_evaluable",
        };
        let bar = Bar {
            label: truncate(&format!("{} {}", ind.rule, one_line(&ind.title)), 30),
            value,
            standard,
            status,
            value_text: row.value.clone(),
            standard_text: if row.standard.is_empty() {
                String::new()
            } else {
                t(m::html_standard_of(&format!("{} {}", row.op, row.standard)))
            },
        };
        // Coefficients (standards below 2, no unit) apart from counts.
        // (a limit not to exceed, such as 差异系数 ≤ 0.5; "at least 1" is a count).
        let upper = row.op.starts_with('≤') || row.op.starts_with('<');
        let small =
            !row.percent && unit.is_empty() && upper && standard.is_some_and(|s| s.abs() < 2.0);
        let key = if small { format!("{unit}~") } else { unit };
        match groups
            .iter_mut()
            .find(|(u, p, _)| *u == key && *p == row.percent)
        {
            Some((_, _, bars)) => bars.push(bar),
            None => groups.push((key, row.percent, vec![bar])),
        }
    }
    for (unit, percent, bars) in groups {
        let title = if percent {
            t(m::html_chart_rates())
        } else if unit == "~" {
            t(m::html_chart_coefficients())
        } else if unit.is_empty() {
            t(m::html_chart_counts())
        } else {
            t(m::html_chart_values(&unit))
        };
        let open = bars.iter().any(|b| b.status != "pass");
        out.push(Chart {
            kind: "bars",
            title,
            note: t(m::html_chart_bars_note()),
            svg: svg::bars(&bars),
            open,
        });
    }

    // Courses: the plan's line and the district's values by year.
    for (rule, res) in rules_with_results(pack, report) {
        let Some(d) = rule.assert.display.first() else {
            continue;
        };
        let shape = d.lhs.1.clone();
        let fmt = move |x: f64| format_num(x, &shape.unit, shape.percent, 2);
        let plan = trajectory(pack, &d.rhs.0);
        let data: Vec<(i32, f64)> = match rule.scope {
            Scope::Submission => res
                .history
                .iter()
                .filter_map(|h| shown_num(&h.actual).map(|x| (h.year, x)))
                .collect(),
            Scope::Year => res
                .values
                .iter()
                .filter_map(|f| Some((f.year?, f.actual.as_ref().and_then(shown_num)?)))
                .collect(),
            _ => continue,
        };
        let line: Vec<(i32, f64)> = match plan {
            Some(points) => points.to_vec(),
            None if rule.scope == Scope::Year && data.len() >= 2 => res
                .values
                .iter()
                .filter_map(|f| Some((f.year?, f.threshold.as_ref().and_then(shown_num)?)))
                .collect(),
            None => continue,
        };
        if data.is_empty() {
            continue;
        }
        let failed = res.failed > 0;
        out.push(Chart {
            kind: "course",
            title: format!("{} {}", rule.meta.id, one_line(&rule.meta.title)),
            note: t(if plan.is_some() {
                m::html_chart_course_note()
            } else {
                m::html_chart_years_note()
            }),
            svg: svg::course(&line, &data, &fmt, true),
            open: failed,
        });
    }

    // Distributions of row rules, with every standard of the rules that
    // measure the same thing on the same table marked.
    let row_rules: Vec<_> = rules_with_results(pack, report)
        .filter(|(r, res)| matches!(r.scope, Scope::Row(_)) && res.distribution.is_some())
        .collect();
    for (rule, res) in &row_rules {
        let Some(dist) = &res.distribution else {
            continue;
        };
        let Some(d) = rule.assert.display.first() else {
            continue;
        };
        let mut marks: Vec<(f64, String)> = Vec::new();
        let mut add = |x: f64, id: &str| {
            if !marks.iter().any(|(y, _)| *y == x) {
                let shown = format_num(x, &dist.unit, dist.percent, 2);
                marks.push((x, format!("{id} {shown}")));
            }
        };
        for s in &dist.series {
            if let Some(x) = s.standard {
                add(x, &rule.meta.id);
            }
        }
        for (other, ores) in &row_rules {
            let same = other.scope == rule.scope
                && other.meta.id != rule.meta.id
                && other
                    .assert
                    .display
                    .first()
                    .is_some_and(|o| o.lhs.0 == d.lhs.0);
            if !same {
                continue;
            }
            for s in ores.distribution.iter().flat_map(|d| &d.series) {
                if let Some(x) = s.standard {
                    add(x, &other.meta.id);
                }
            }
        }
        let n = dist.series.first().map_or(0, |s| s.bins.len());
        let bins: Vec<HistBin> = (0..n)
            .map(|i| {
                let (mut count, mut failed) = (0, 0);
                let (mut lo, mut hi) = (0.0, 0.0);
                for s in &dist.series {
                    if let Some(b) = s.bins.get(i) {
                        count += b.count;
                        failed += b.failed;
                        lo = b.lo;
                        hi = b.hi;
                    }
                }
                HistBin {
                    lo,
                    hi,
                    count,
                    failed,
                }
            })
            .collect();
        let unit = dist.unit.clone();
        let percent = dist.percent;
        let fmt = move |x: f64| format_num(x, &unit, percent, 1);
        let total: usize = dist.series.iter().map(|s| s.count).sum();
        let failed: usize = dist.series.iter().map(|s| s.failed).sum();
        out.push(Chart {
            kind: "histogram",
            title: format!("{} {}", rule.meta.id, one_line(&rule.meta.title)),
            note: t(m::html_chart_hist_note(total, failed)),
            svg: svg::histogram(&bins, &marks, &fmt),
            open: failed > 0
                && rule_failed_binding(res.findings.iter().map(|f| (&f.outcome, f.severity))),
        });
    }
    out
}

fn rule_failed_binding<'a>(mut it: impl Iterator<Item = (&'a Outcome, Severity)>) -> bool {
    it.any(|(o, s)| *o == Outcome::Fail && s == Severity::Binding)
}

/// One submission of a batch, for the summary.
#[derive(Debug, Clone, Serialize)]
pub struct BatchEntry {
    pub label: String,
    pub row_year: String,
    /// `pass`, `fail`, `incomplete`, `undetermined`, `error`.
    pub kind: &'static str,
    pub verdict: String,
    pub binding: usize,
    pub expected: usize,
    pub rules_failed: usize,
    pub not_evaluable: usize,
    pub checks: usize,
    pub schools_with_findings: usize,
    pub failures_per_school: String,
    /// The folder of its own report, relative to the summary.
    pub link: String,
    /// For a submission that could not be loaded: its errors.
    pub errors: Vec<String>,
    /// One mark per rule of the pack: `✓`, `✗`, `?` (not evaluable), `—`
    /// (not checked), in pack order.
    pub marks: Vec<&'static str>,
    /// For each district-wide rule whose standard follows a plan's course
    /// (`trajectory(…)`): the rule's index in the pack, the report year and
    /// the measured value in it, whether or not the rule is in force then
    /// (the baseline year's value is what the plan starts from).
    #[serde(skip)]
    pub courses: Vec<(usize, i32, f64)>,
}

/// What the batch summary needs of one submission.
pub struct BatchInput<'a> {
    pub row: &'a BatchRow,
    /// The submission's report, when it was loaded.
    pub checked: Option<Checked<'a>>,
    pub link: String,
    pub errors: Vec<String>,
}

/// The entry of one submission in the batch summary.
pub fn batch_entry(i: &BatchInput, lang: Lang) -> BatchEntry {
    let r = i.row;
    let (kind, verdict) = match r.verdict {
        Some(v) => (v.as_str(), v.label(lang)),
        None => ("error", m::batch_error().get(lang).to_string()),
    };
    let courses = i
        .checked
        .as_ref()
        .and_then(|c| Some((c, c.report?, c.sub.report_year()?)))
        .map(|(c, rep, year)| {
            rep.results
                .iter()
                .filter_map(|res| {
                    let rule = c.pack.rules.get(res.rule)?;
                    let d = rule.assert.display.first()?;
                    if rule.scope != Scope::Submission || trajectory(c.pack, &d.rhs.0).is_none() {
                        return None;
                    }
                    let h = res.history.iter().find(|h| h.year == year)?;
                    Some((res.rule, year, shown_num(&h.actual)?))
                })
                .collect()
        })
        .unwrap_or_default();
    let (marks, units) = match &i.checked {
        Some(c) => (
            c.report
                .map(|rep| {
                    rules_with_results(c.pack, rep)
                        .map(|(_, res)| {
                            if res.failed > 0 {
                                "✗"
                            } else if res.not_evaluable > 0 {
                                "?"
                            } else if res.checks == 0 {
                                "—"
                            } else {
                                "✓"
                            }
                        })
                        .collect()
                })
                .unwrap_or_default(),
            view::build(c, &r.name, lang).units.len(),
        ),
        None => (Vec::new(), 0),
    };
    let per = if units > 0 {
        format!("{:.1}", r.binding_failures as f64 / units as f64)
    } else {
        "—".to_string()
    };
    BatchEntry {
        label: r.name.clone(),
        row_year: r.report_year.map(|y| y.to_string()).unwrap_or_default(),
        kind,
        verdict,
        binding: r.binding_failures,
        expected: r.expected_failures,
        rules_failed: r.binding_rules,
        not_evaluable: r.not_evaluable,
        checks: r.checks,
        schools_with_findings: units,
        failures_per_school: per,
        link: i.link.clone(),
        errors: i.errors.clone(),
        marks,
        courses,
    }
}

/// Ranks the entries of a batch summary: by rules failed, then by binding
/// failures per school with findings (so that one rule failing in 200
/// classes does not outrank 30 rules failing once), then by label;
/// submissions without a verdict and those not loaded last.
pub fn rank_entries(entries: &mut [BatchEntry]) {
    let group = |k: &str| match k {
        "fail" | "pass" => 0,
        "incomplete" | "undetermined" => 1,
        _ => 2,
    };
    entries.sort_by(|a, b| {
        group(a.kind)
            .cmp(&group(b.kind))
            .then(b.rules_failed.cmp(&a.rules_failed))
            .then_with(|| {
                let pa = a.binding as f64 / a.schools_with_findings.max(1) as f64;
                let pb = b.binding as f64 / b.schools_with_findings.max(1) as f64;
                pb.total_cmp(&pa)
            })
            .then_with(|| a.label.cmp(&b.label))
    });
}

/// The batch summary (`汇总.html`).
pub fn render_batch(pack: &RulePack, entries: &[BatchEntry], lang: Lang) -> String {
    let words = Words::new(lang);
    let t = |msg: crate::diag::Msg| msg.get(lang).to_string();
    let rules: Vec<(String, String)> = pack
        .rules
        .iter()
        .map(|r| (r.meta.id.clone(), r.meta.title.clone()))
        .collect();
    let counts = |k: &str| entries.iter().filter(|e| e.kind == k).count();
    let courses = batch_courses(pack, entries, lang);
    let env = env();
    let result = env.get_template("batch.html").and_then(|tpl| {
        tpl.render(context! {
            entries => Value::from(Serde(entries)),
            rules => Value::from(Serde(&rules)),
            charts => Value::from(Serde(&courses)),
            courses_title => t(m::html_batch_courses()),
            w => Value::from(Serde(&words)),
            title => t(m::html_batch_title()),
            ranking => t(m::html_batch_ranking()),
            matrix => t(m::html_batch_matrix()),
            not_loaded => t(m::html_batch_not_loaded()),
            legend => t(m::html_batch_legend()),
            cols => context! {
                rank => t(m::batch_rank()),
                binding => t(m::batch_binding()),
                rules_failed => t(m::batch_binding_rules()),
                expected => t(m::batch_expected()),
                per_school => t(m::html_batch_per_school()),
                schools => t(m::html_batch_schools()),
                report => t(m::html_batch_report()),
            },
            totals => t(m::batch_totals(
                &entries.len().to_string(),
                &counts("fail").to_string(),
                &counts("pass").to_string(),
                &(counts("incomplete") + counts("undetermined")).to_string(),
                &counts("error").to_string(),
            )),
            engine => format!("dudao {}", crate::VERSION),
            pack_hash => &pack.hash,
            style => STYLE,
            script => SCRIPT,
            lang => match lang { Lang::Zh => "zh-CN", Lang::En => "en" },
        })
    });
    match result {
        Ok(s) => s,
        Err(e) => format!("<pre>{}</pre>", svg::esc(&e.to_string())),
    }
}

/// The column a comparison's side reads on the rule's own row, if it is
/// a plain column (`students`).
fn own_col(e: &Expr, table: usize) -> Option<usize> {
    match e {
        Expr::Col {
            row: _,
            path,
            col,
            table: t,
            ..
        } if path.is_empty() && *t == table => Some(*col),
        _ => None,
    }
}

/// Whether the applicability filter `when` admits rows whose column `split`
/// holds variant `v`: it does unless it names `split` and none of its tests
/// of `split` accepts `v`.
fn admits(when: Option<&Expr>, table: usize, split: usize, v: u16) -> bool {
    let Some(w) = when else {
        return true;
    };
    let (mut named, mut accepted) = (false, false);
    ir::visit(w, &mut |x| match x {
        Expr::In(k, lits) if own_col(k, table) == Some(split) => {
            named = true;
            accepted |= lits.contains(&ir::Lit::Enum(v));
        }
        Expr::Cmp(ir::Cmp::Eq, a, b) => {
            for (k, l) in [(a, b), (b, a)] {
                if own_col(k, table) == Some(split) {
                    named = true;
                    accepted |= matches!(&**l, Expr::Lit(ir::Lit::Enum(x)) if *x == v);
                }
            }
        }
        _ => {}
    });
    !named || accepted
}

/// The standard of a rule for rows of variant `v` of column `split`.
enum Standard {
    /// One number (a table by `split` gives one for each variant).
    Num(f64),
    /// A table by another enum column of the row (a kindergarten class's
    /// size by its type): the entry for each of its variants.
    By(usize, Vec<Option<f64>>),
}

fn standard_for(rhs: &Expr, table: usize, split: usize, v: u16) -> Option<Standard> {
    match rhs {
        Expr::Lit(ir::Lit::Num(x)) => Some(Standard::Num(*x)),
        Expr::Lookup(k, vals) => match own_col(k, table)? {
            c if c == split => vals
                .get(usize::from(v))
                .copied()
                .flatten()
                .map(Standard::Num),
            c => Some(Standard::By(c, vals.clone())),
        },
        _ => None,
    }
}

/// The band limits a rule's message tests its measured column against
/// (`if students >= 66 then '超大班额' …`).
fn message_bands(rule: &crate::pack::Rule, table: usize, col: usize) -> Vec<f64> {
    let mut out = Vec::new();
    for t in &rule.message {
        if let crate::pack::Template::Expr(e, _) = t {
            ir::visit(e, &mut |x| {
                if let Expr::Cmp(_, a, b) = x
                    && own_col(a, table) == Some(col)
                    && let Expr::Lit(ir::Lit::Num(n)) = &**b
                {
                    out.push(*n);
                }
            });
        }
    }
    out
}

/// Whether `value op standard` holds.
fn meets(value: f64, op: &str, standard: f64) -> bool {
    match op {
        "<=" | "≤" => value <= standard,
        "<" => value < standard,
        ">=" | "≥" => value >= standard,
        ">" => value > standard,
        "==" | "=" => value == standard,
        "!=" | "≠" => value != standard,
        _ => true,
    }
}

/// The distribution of a column several row rules measure (a class's
/// size), one histogram per variant of the enum column their `when` splits
/// the rows by (the stage), with each standard that applies to the variant
/// and the band limits the rules' messages name marked, and the rows that
/// miss a standard in red.
fn split_charts(c: &Checked, report: &CheckReport, lang: Lang) -> Vec<Chart> {
    let pack = c.pack;
    let schema = &pack.schema;
    // (table, measured column) → rules measuring it, checked in this report.
    let mut groups: Vec<((usize, usize), Vec<&crate::pack::Rule>)> = Vec::new();
    for (rule, res) in rules_with_results(pack, report) {
        let Scope::Row(t) = rule.scope else { continue };
        if res.checks == 0 {
            continue;
        }
        let Some(col) = rule
            .assert
            .display
            .first()
            .and_then(|d| own_col(&d.lhs.0, t))
        else {
            continue;
        };
        match groups.iter_mut().find(|(k, _)| *k == (t, col)) {
            Some((_, rs)) => rs.push(rule),
            None => groups.push(((t, col), vec![rule])),
        }
    }
    let mut out = Vec::new();
    for ((t, col), rules) in groups {
        if rules.len() < 2 {
            continue;
        }
        let (Some(tdef), Some(table)) = (schema.tables.get(t), c.sub.tables.get(t)) else {
            continue;
        };
        // The enum column the rules' filters test.
        let split = tdef.columns.iter().enumerate().find_map(|(i, cd)| {
            let crate::schema::ColType::Enum(e) = cd.ty else {
                return None;
            };
            let named = rules.iter().any(|r| {
                let mut hit = false;
                if let Some(w) = &r.when {
                    ir::visit(w, &mut |x| {
                        if let Expr::In(k, _) | Expr::Cmp(ir::Cmp::Eq, k, _) = x {
                            hit |= own_col(k, t) == Some(i);
                        }
                    });
                }
                hit
            });
            named.then_some((i, e))
        });
        let Some((split, enum_id)) = split else {
            continue;
        };
        let (Some(values), Some(crate::data::ColumnData::Enum(variants))) =
            (numbers(table.columns.get(col)), table.columns.get(split))
        else {
            continue;
        };
        let Some(edef) = schema.enums.get(enum_id) else {
            continue;
        };
        let Some(cdef) = tdef.columns.get(col) else {
            continue;
        };
        let unit = cdef.unit.clone();
        for (vi, variant) in edef.variants.iter().enumerate() {
            let Ok(v) = u16::try_from(vi) else { break };
            let rows: Vec<(usize, f64)> = values
                .iter()
                .zip(variants)
                .enumerate()
                .filter(|(_, (x, k))| **k == v && x.is_finite())
                .map(|(i, (x, _))| (i, *x))
                .collect();
            if rows.is_empty() {
                continue;
            }
            // Standards that apply to this variant, with their rules.
            let mut standards: Vec<(Standard, &str, String)> = Vec::new();
            let mut bands: Vec<f64> = Vec::new();
            for r in rules
                .iter()
                .filter(|r| admits(r.when.as_ref(), t, split, v))
            {
                let Some(d) = r.assert.display.first() else {
                    continue;
                };
                if let Some(s) = standard_for(&d.rhs.0, t, split, v) {
                    standards.push((s, d.op.as_str(), r.meta.id.clone()));
                }
                bands.extend(message_bands(r, t, col));
            }
            if standards.is_empty() {
                continue;
            }
            let mut marks: Vec<(f64, String)> = Vec::new();
            for (s, _, id) in &standards {
                let xs = match s {
                    Standard::Num(x) => vec![*x],
                    Standard::By(_, vals) => vals.iter().flatten().copied().collect(),
                };
                for x in xs {
                    match marks.iter_mut().find(|(y, _)| *y == x) {
                        Some((_, l)) if !l.split('/').any(|p| p == id) => {
                            l.push('/');
                            l.push_str(id);
                        }
                        Some(_) => {}
                        None => marks.push((x, id.clone())),
                    }
                }
            }
            for b in bands {
                if !marks.iter().any(|(x, _)| *x == b) {
                    marks.push((b, String::new()));
                }
            }
            marks.sort_by(|a, b| a.0.total_cmp(&b.0));
            for (x, l) in &mut marks {
                let shown = format_num(*x, &unit, false, 1);
                *l = if l.is_empty() {
                    shown
                } else {
                    format!("{l} {shown}")
                };
            }
            let lo = rows.iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
            let hi = rows.iter().map(|r| r.1).fold(f64::NEG_INFINITY, f64::max);
            let top = marks.iter().map(|m| m.0).fold(hi, f64::max);
            let lo = lo.min(marks.iter().map(|m| m.0).fold(lo, f64::min)).floor();
            let width = ((top + 1.0 - lo) / 40.0).ceil().max(1.0);
            let n = ((top + 1.0 - lo) / width).ceil().max(1.0) as usize;
            let mut bins: Vec<HistBin> = (0..n)
                .map(|i| HistBin {
                    lo: lo + width * i as f64,
                    hi: lo + width * (i + 1) as f64,
                    count: 0,
                    failed: 0,
                })
                .collect();
            let mut failed = 0;
            for &(row, x) in &rows {
                let i = (((x - lo) / width).floor().max(0.0) as usize).min(n - 1);
                let bad = standards.iter().any(|(s, op, _)| match s {
                    Standard::Num(st) => !meets(x, op, *st),
                    Standard::By(c, vals) => {
                        let k = match table.columns.get(*c) {
                            Some(crate::data::ColumnData::Enum(ks)) => ks.get(row).copied(),
                            _ => None,
                        };
                        k.and_then(|k| vals.get(usize::from(k)).copied().flatten())
                            .is_some_and(|st| !meets(x, op, st))
                    }
                });
                if let Some(b) = bins.get_mut(i) {
                    b.count += 1;
                    if bad {
                        b.failed += 1;
                    }
                }
                failed += usize::from(bad);
            }
            let u = unit.clone();
            let fmt = move |x: f64| format_num(x, &u, false, 0);
            let label = variant.aliases.first().unwrap_or(&variant.name);
            out.push(Chart {
                kind: "split",
                title: m::html_chart_split(cdef.label(), label)
                    .get(lang)
                    .to_string(),
                note: m::html_chart_hist_note(rows.len(), failed)
                    .get(lang)
                    .to_string(),
                svg: svg::histogram(&bins, &marks, &fmt),
                open: true,
            });
        }
    }
    out
}

/// A number column's values (`NaN` where missing).
fn numbers(col: Option<&crate::data::ColumnData>) -> Option<Vec<f64>> {
    match col? {
        crate::data::ColumnData::Int(v) => Some(
            v.iter()
                .map(|x| {
                    if *x == crate::data::NULL_INT {
                        f64::NAN
                    } else {
                        *x as f64
                    }
                })
                .collect(),
        ),
        crate::data::ColumnData::Dec(v) => Some(v.clone()),
        _ => None,
    }
}

/// The course charts of a batch: for each district-wide rule whose
/// standard follows a plan's course, the plan's line and each
/// submission's value in its report year (joined when no two submissions
/// share a year, as for one district's 2020 and 2025 data).
fn batch_courses(pack: &RulePack, entries: &[BatchEntry], lang: Lang) -> Vec<Chart> {
    let mut out = Vec::new();
    for (index, rule) in pack.rules.iter().enumerate() {
        let mut data: Vec<(i32, f64)> = entries
            .iter()
            .flat_map(|e| e.courses.iter())
            .filter(|(r, _, _)| *r == index)
            .map(|(_, y, v)| (*y, *v))
            .collect();
        if data.len() < 2 {
            continue;
        }
        let Some(d) = rule.assert.display.first() else {
            continue;
        };
        let Some(plan) = trajectory(pack, &d.rhs.0) else {
            continue;
        };
        data.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let join = data.windows(2).all(|w| w[0].0 != w[1].0);
        let shape = d.lhs.1.clone();
        let fmt = move |x: f64| format_num(x, &shape.unit, shape.percent, 2);
        out.push(Chart {
            kind: "course",
            title: format!("{} {}", rule.meta.id, one_line(&rule.meta.title)),
            note: m::html_chart_batch_course().get(lang).to_string(),
            svg: svg::course(plan, &data, &fmt, join),
            open: true,
        });
    }
    out
}
