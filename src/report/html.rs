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
        .map(|r| charts(c.pack, r, &v, lang))
        .unwrap_or_default();
    let words = Words::new(lang);
    let env = env();
    let result = env.get_template("report.html").and_then(|t| {
        t.render(context! {
            v => Value::from(Serde(&v)),
            charts => Value::from(Serde(&charts)),
            w => Value::from(Serde(&words)),
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
        let small = !row.percent && unit.is_empty() && standard.is_some_and(|s| s.abs() < 2.0);
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
            svg: svg::course(&line, &data, &fmt),
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
    let env = env();
    let result = env.get_template("batch.html").and_then(|tpl| {
        tpl.render(context! {
            entries => Value::from(Serde(entries)),
            rules => Value::from(Serde(&rules)),
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
