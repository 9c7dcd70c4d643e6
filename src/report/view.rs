//! The report of one submission as data for the files people hand on: the
//! HTML report and the findings workbook read the same [`View`], so they
//! always say the same thing. Every text is in the report's language and
//! already formatted (`48.2%`, `12,345 人`); the templates only lay it out.

use super::format::shown_op;
use super::format::{format_pair, format_shown, join_lines, one_line, render_message};
use super::{Checked, rules_with_results, shown_severity};
use super::{Totals, Verdict};
use crate::data::{ColumnData, Submission};
use crate::diag::{Lang, Msg};
use crate::eval::finding::{Entity, Finding, Outcome, RuleResult, Shown};
use crate::msg::report as m;
use crate::pack::Severity;
use crate::pack::{Rule, RulePack};
use crate::schema::{ColType, TableId};
use serde::Serialize;

/// Everything the HTML report and the workbook show of one submission.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// The submission's label (unique in its batch).
    pub label: String,
    pub engine: String,
    pub pack_hash: String,
    pub pack_rules: usize,
    /// A layered pack's overridden parameters, one line each (old → new, where).
    pub overrides: Vec<String>,
    /// A layered pack's disabled rules, one line each (why, where).
    pub disabled: Vec<String>,
    pub report_year: String,
    pub years: String,
    pub verdict: VerdictView,
    pub counts: CountsView,
    /// What the data lacks, one sentence each (empty when complete).
    pub completeness: Vec<String>,
    pub warnings: Vec<WarningView>,
    /// Every rule with its counts, in pack order.
    pub rules: Vec<RuleView>,
    /// Every district-level check with its value (passed or not), by rule.
    pub indicators: Vec<IndicatorView>,
    /// Every failure (the 整改清单), sorted by area, unit and rule.
    pub findings: Vec<FindingView>,
    /// Every check that could not be evaluated.
    pub not_evaluable: Vec<FindingView>,
    /// Findings grouped by the row they are listed under (a school).
    pub units: Vec<UnitView>,
    /// The areas (乡镇街道) the findings fall in, for the filter.
    pub areas: Vec<String>,
    /// Files read.
    pub files: Vec<FileView>,
    /// Rows read per table.
    pub tables: Vec<TableView>,
    /// Tables of outcomes by unit row (学校指标).
    pub matrices: Vec<MatrixView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VerdictView {
    /// `pass`, `fail`, `incomplete`, `undetermined`.
    pub kind: &'static str,
    pub word: String,
    pub detail: String,
    pub exit_code: u8,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountsView {
    pub checks: usize,
    pub passed: usize,
    pub failed: usize,
    pub not_evaluable: usize,
    pub binding_failures: usize,
    pub expected_failures: usize,
    pub info_findings: usize,
    pub binding_rules: usize,
    pub expected_rules: usize,
    pub rules_not_checked: usize,
    /// Whether the rules were run.
    pub checked: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct WarningView {
    pub code: &'static str,
    pub message: String,
    pub location: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleView {
    pub id: String,
    pub title: String,
    /// `binding`, `expected`, `info`.
    pub severity: &'static str,
    pub severity_label: String,
    /// `passed`, `failed`, `not_evaluable`, `not_checked`.
    pub status: &'static str,
    pub status_label: String,
    pub checks: usize,
    pub passed: usize,
    pub failed: usize,
    pub not_evaluable: usize,
    /// Why it made no check, if it made none.
    pub skipped: String,
    /// For a district-wide rule: its value and standard in the report year.
    pub value: String,
    pub standard: String,
    pub document: String,
    pub clause: String,
    pub quote: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    pub rule: String,
    pub title: String,
    pub rows: Vec<FindingView>,
}

/// One check, as a row of a table.
#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    pub rule: String,
    pub rule_title: String,
    /// `pass`, `fail`, `not_evaluable`.
    pub outcome: &'static str,
    pub severity: &'static str,
    pub severity_label: String,
    pub year: String,
    /// What was checked, in words (`万州区第一小学 (5001010001)`, `全区`).
    pub entity: String,
    /// The area (乡镇街道) of the row it is listed under, if the pack says.
    pub area: String,
    /// The row it is listed under (the school): key and name.
    pub unit_key: String,
    pub unit_name: String,
    /// The row itself when it is not the unit (a class, a teacher).
    pub part: String,
    pub location: String,
    pub value: String,
    pub op: String,
    pub standard: String,
    /// How far the value is from the standard (`-0.5 m²/人`), when both are numbers.
    pub gap: String,
    /// The numbers the value was computed from.
    pub parts: String,
    /// The rule's message, or why the check could not be evaluated.
    pub message: String,
    pub reason: String,
    pub failed_conditions: String,
    /// The document and clause that set the standard.
    pub basis: String,
    /// Raw numbers for charts (`null` when not numbers).
    pub value_num: Option<f64>,
    pub standard_num: Option<f64>,
    pub percent: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitView {
    pub key: String,
    pub name: String,
    pub area: String,
    pub binding: usize,
    pub expected: usize,
    pub findings: Vec<FindingView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileView {
    pub path: String,
    pub sha256: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    pub name: String,
    pub label: String,
    pub rows: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixView {
    pub title: String,
    /// The column families (`B1` … `B8`), with the title of their first rule.
    pub columns: Vec<MatrixColumn>,
    pub rows: Vec<MatrixRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixColumn {
    pub family: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow {
    pub area: String,
    pub key: String,
    pub name: String,
    pub variant: String,
    /// One per column: the value and whether it met the standard
    /// (`✓`, `✗`, `?`, or empty when not checked).
    pub cells: Vec<MatrixCell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixCell {
    pub value: String,
    pub mark: &'static str,
}

/// Builds the view of one checked submission, labelled `label`.
pub fn build(c: &Checked, label: &str, lang: Lang) -> View {
    let (pack, sub) = (c.pack, c.sub);
    let t = c.totals();
    let verdict = c.verdict();
    let units = Units::new(pack, sub);
    let mut rules = Vec::new();
    let mut indicators = Vec::new();
    let mut findings = Vec::new();
    let mut not_evaluable = Vec::new();
    for (rule, res) in c
        .report
        .into_iter()
        .flat_map(|r| rules_with_results(pack, r))
    {
        rules.push(rule_view(rule, res, sub, lang));
        if !res.values.is_empty() {
            indicators.push(IndicatorView {
                rule: rule.meta.id.clone(),
                title: rule.meta.title.clone(),
                rows: res
                    .values
                    .iter()
                    .map(|f| finding_view(pack, rule, f, &units, lang))
                    .collect(),
            });
        }
        for f in &res.findings {
            let v = finding_view(pack, rule, f, &units, lang);
            match f.outcome {
                Outcome::Fail => findings.push(v),
                _ => not_evaluable.push(v),
            }
        }
    }
    // The 整改清单 order: area, unit, rule (pack order is kept among equals).
    findings.sort_by(|a, b| {
        (a.area.is_empty(), &a.area, &a.unit_key).cmp(&(b.area.is_empty(), &b.area, &b.unit_key))
    });
    let mut by_unit: Vec<UnitView> = Vec::new();
    for f in &findings {
        // A finding on a township as a whole (a group of the area column)
        // is listed under the township, never dropped.
        let name = if f.unit_key.is_empty() && f.unit_name.is_empty() {
            if f.area.is_empty() {
                continue;
            }
            &f.area
        } else {
            &f.unit_name
        };
        match by_unit
            .iter_mut()
            .find(|u| u.key == f.unit_key && u.name == *name)
        {
            Some(u) => u.findings.push(f.clone()),
            None => by_unit.push(UnitView {
                key: f.unit_key.clone(),
                name: name.clone(),
                area: f.area.clone(),
                binding: 0,
                expected: 0,
                findings: vec![f.clone()],
            }),
        }
    }
    for u in &mut by_unit {
        u.binding = u
            .findings
            .iter()
            .filter(|f| f.severity == "binding")
            .count();
        u.expected = u
            .findings
            .iter()
            .filter(|f| f.severity == "expected")
            .count();
    }
    let mut areas: Vec<String> = findings
        .iter()
        .map(|f| f.area.clone())
        .filter(|a| !a.is_empty())
        .collect();
    areas.sort();
    areas.dedup();
    let matrices = c
        .report
        .map(|r| matrices(pack, r, &units))
        .unwrap_or_default();
    View {
        label: label.to_string(),
        engine: format!("dudao {}", crate::VERSION),
        pack_hash: pack.hash.clone(),
        pack_rules: pack.rules.len(),
        overrides: super::pack_changes(pack)
            .0
            .iter()
            .map(|l| one_line(l.get(lang)))
            .collect(),
        disabled: super::pack_changes(pack)
            .1
            .iter()
            .map(|l| one_line(l.get(lang)))
            .collect(),
        report_year: sub
            .report_year()
            .map_or_else(|| "—".to_string(), |y| y.to_string()),
        years: match (sub.years.first(), sub.years.last()) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a}–{b}"),
            _ => "—".to_string(),
        },
        verdict: VerdictView {
            kind: verdict.as_str(),
            word: verdict.label(lang),
            detail: verdict_detail(c, &t, verdict).get(lang).to_string(),
            exit_code: verdict.exit_code(),
        },
        counts: CountsView {
            checks: t.checks,
            passed: t.passed,
            failed: t.failed,
            not_evaluable: t.not_evaluable,
            binding_failures: t.binding_failures,
            expected_failures: t.expected_failures,
            info_findings: t.info_findings,
            binding_rules: t.binding_rules,
            expected_rules: t.expected_rules,
            rules_not_checked: t.rules_not_checked,
            checked: c.report.is_some(),
        },
        completeness: completeness_lines(c, lang),
        warnings: c
            .warnings
            .iter()
            .map(|d| WarningView {
                code: d.code.as_str(),
                message: one_line(d.message.get(lang)),
                location: d
                    .location()
                    .map(|l| match (l.line, l.column) {
                        (Some(line), Some(col)) => format!("{}:{line}:{col}", l.source),
                        _ => l.source,
                    })
                    .unwrap_or_default(),
            })
            .collect(),
        rules,
        indicators,
        findings,
        not_evaluable,
        units: by_unit,
        areas,
        files: sub
            .files
            .iter()
            .map(|f| FileView {
                path: f.path.to_string_lossy().replace('\\', "/"),
                sha256: f.sha256.clone(),
                note: f.note.clone().unwrap_or_default(),
            })
            .collect(),
        tables: pack
            .schema
            .tables
            .iter()
            .zip(&sub.tables)
            .map(|(d, t)| TableView {
                name: d.name.clone(),
                label: d.label().to_string(),
                rows: t.rows,
            })
            .collect(),
        matrices,
    }
}

fn severity_of(s: Severity, lang: Lang) -> (&'static str, String) {
    (s.as_str(), s.label(lang).to_string())
}

fn rule_view(rule: &Rule, res: &RuleResult, sub: &Submission, lang: Lang) -> RuleView {
    let m = &rule.meta;
    let (status, label) = if let Some(s) = &res.skipped {
        ("not_checked", (m::status_not_checked(), s.describe(lang)))
    } else if res.failed > 0 {
        ("failed", (m::status_failed(), String::new()))
    } else if res.not_evaluable > 0 {
        ("not_evaluable", (m::status_not_evaluable(), String::new()))
    } else if res.checks == 0 {
        (
            "not_checked",
            (
                m::status_not_checked(),
                m::nothing_to_check().get(lang).to_string(),
            ),
        )
    } else {
        ("passed", (m::status_passed(), String::new()))
    };
    let (severity, severity_label) = severity_of(shown_severity(rule, res, sub), lang);
    // The value in the report year, for rules with one check a year.
    let latest = res
        .values
        .iter()
        .rev()
        .find(|f| matches!(f.entity, Entity::Submission));
    let (value, standard) = match latest {
        Some(f) => value_and_standard(f),
        None => (String::new(), String::new()),
    };
    RuleView {
        id: m.id.clone(),
        title: m.title.clone(),
        severity,
        severity_label,
        status,
        status_label: label.0.get(lang).to_string(),
        checks: res.checks,
        passed: res.passed,
        failed: res.failed,
        not_evaluable: res.not_evaluable,
        skipped: label.1,
        value,
        standard,
        document: m.citation.title.clone(),
        clause: m.citation.clause.clone(),
        quote: m
            .citation
            .quote
            .as_deref()
            .map(join_lines)
            .unwrap_or_default(),
    }
}

/// The measured value and the standard as shown (more decimals when
/// rounding would make them look equal).
fn value_and_standard(f: &Finding) -> (String, String) {
    match (&f.actual, &f.threshold) {
        (Some(a), Some(t)) => format_pair(a, t),
        (a, t) => (
            a.as_ref().map(format_shown).unwrap_or_default(),
            t.as_ref().map(format_shown).unwrap_or_default(),
        ),
    }
}

fn num(s: &Option<Shown>) -> Option<f64> {
    match s {
        Some(Shown::Num { value, .. }) if value.is_finite() => Some(*value),
        _ => None,
    }
}

fn finding_view(
    pack: &RulePack,
    rule: &Rule,
    f: &Finding,
    units: &Units,
    lang: Lang,
) -> FindingView {
    let (value, standard) = value_and_standard(f);
    let (outcome, reason) = match &f.outcome {
        Outcome::Pass => ("pass", String::new()),
        Outcome::Fail => ("fail", String::new()),
        Outcome::NotEvaluable(r) => ("not_evaluable", r.describe(lang)),
    };
    // The standard as it is required (`≥ 55%`), whatever the outcome.
    let op = f.op.as_deref().map(shown_op).unwrap_or_default();
    let gap = match (&f.actual, num(&f.actual), num(&f.threshold), &f.outcome) {
        (
            Some(Shown::Num {
                unit,
                percent,
                integer,
                ..
            }),
            Some(a),
            Some(t),
            Outcome::Fail,
        ) => {
            let d = Shown::Num {
                value: a - t,
                unit: unit.clone(),
                percent: *percent,
                integer: *integer,
            };
            let s = format_shown(&d);
            if a > t && !s.starts_with('-') {
                format!("+{s}")
            } else {
                s
            }
        }
        _ => String::new(),
    };
    let parts: Vec<String> = f.parts.iter().map(format_shown).collect();
    let parts = match parts.as_slice() {
        [] => String::new(),
        [n, d] => format!("{n} / {d}"),
        ps => ps.join(", "),
    };
    let percent = matches!(f.actual, Some(Shown::Num { percent: true, .. }));
    let (area, unit_key, unit_name, part) = units.of(&f.entity, lang);
    let c = &rule.meta.citation;
    let basis = [c.title.as_str(), c.clause.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    FindingView {
        rule: rule.meta.id.clone(),
        rule_title: rule.meta.title.clone(),
        outcome,
        severity: f.severity.as_str(),
        severity_label: f.severity.label(lang).to_string(),
        year: f.year.map(|y| y.to_string()).unwrap_or_default(),
        entity: entity_text(pack, &f.entity, lang),
        area,
        unit_key,
        unit_name,
        part,
        location: match &f.entity {
            Entity::Row { location, .. } => location.clone().unwrap_or_default(),
            _ => String::new(),
        },
        value,
        op,
        standard,
        gap,
        parts,
        message: one_line(&render_message(&f.message)),
        reason,
        failed_conditions: super::conditions_in_words(pack, rule, &f.failed_conditions, lang),
        basis,
        value_num: num(&f.actual),
        standard_num: num(&f.threshold),
        percent,
    }
}

fn entity_text(pack: &RulePack, e: &Entity, lang: Lang) -> String {
    match e {
        Entity::Row {
            table, key, name, ..
        } => match name.as_deref().filter(|n| !n.is_empty()) {
            Some(n) => format!("{n} ({key})"),
            None => {
                let label = pack
                    .schema
                    .table_by_name(table)
                    .and_then(|t| pack.schema.tables.get(t))
                    .map_or(table.as_str(), |t| t.label());
                format!("{label} {key}")
            }
        },
        Entity::Group { column, value, .. } => format!("{column} = {value}"),
        Entity::Submission => m::whole_district().get(lang).to_string(),
    }
}

/// Finds, for a finding's row, the row it is listed under (the pack's
/// report unit: the school of a class) and that row's area.
struct Units<'a> {
    pack: &'a RulePack,
    sub: &'a Submission,
}

impl<'a> Units<'a> {
    fn new(pack: &'a RulePack, sub: &'a Submission) -> Units<'a> {
        Units { pack, sub }
    }

    /// The text of a cell, as a report shows it.
    fn cell(&self, t: TableId, c: usize, r: usize) -> String {
        let Some(col) = self.sub.tables.get(t).and_then(|x| x.columns.get(c)) else {
            return String::new();
        };
        let def = self
            .pack
            .schema
            .tables
            .get(t)
            .and_then(|d| d.columns.get(c));
        match col {
            ColumnData::Text { .. } => col.text(r).unwrap_or_default().to_string(),
            ColumnData::Int(v) => v
                .get(r)
                .filter(|x| **x != crate::data::NULL_INT)
                .map(|x| x.to_string())
                .unwrap_or_default(),
            ColumnData::Enum(v) => match (v.get(r), def.map(|d| d.ty)) {
                (Some(&x), Some(ColType::Enum(e))) if x != crate::data::NULL_ENUM => self
                    .pack
                    .schema
                    .enums
                    .get(e)
                    .and_then(|e| e.variants.get(x as usize))
                    .map(|v| v.name.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            },
            _ => String::new(),
        }
    }

    /// The key and name of row `r` of `t`.
    fn key_name(&self, t: TableId, r: usize) -> (String, String) {
        let Some(def) = self.pack.schema.tables.get(t) else {
            return (String::new(), String::new());
        };
        let key: Vec<String> = def
            .entity_key()
            .filter(|k| !matches!(def.columns.get(*k).map(|c| c.ty), Some(ColType::Ref(_))))
            .map(|k| self.cell(t, k, r))
            .collect();
        let name = def
            .column("name")
            .map(|c| self.cell(t, c, r))
            .unwrap_or_default();
        (key.join("/"), name)
    }

    /// (area, unit key, unit name, the row itself when not the unit).
    fn of(&self, e: &Entity, lang: Lang) -> (String, String, String, String) {
        let spec = &self.pack.report;
        match e {
            Entity::Row {
                table,
                row,
                key,
                name,
                ..
            } => {
                let Some(mut t) = self.pack.schema.table_by_name(table) else {
                    return Default::default();
                };
                let mut r = *row;
                let own = name.clone().unwrap_or_else(|| key.clone());
                let Some(unit) = spec.unit else {
                    return (String::new(), key.clone(), own, String::new());
                };
                let start = t;
                // Follow the first reference of each table up to the unit.
                for _ in 0..4 {
                    if t == unit {
                        break;
                    }
                    let Some((c, target)) = self.pack.schema.tables.get(t).and_then(|d| {
                        d.columns.iter().enumerate().find_map(|(i, c)| match c.ty {
                            ColType::Ref(target) if target != t => Some((i, target)),
                            _ => None,
                        })
                    }) else {
                        break;
                    };
                    let Some(ColumnData::Ref(refs)) =
                        self.sub.tables.get(t).and_then(|x| x.columns.get(c))
                    else {
                        break;
                    };
                    match refs.get(r) {
                        Some(&p) if p != crate::data::NULL_ID => {
                            t = target;
                            r = p as usize;
                        }
                        _ => break,
                    }
                }
                if t != unit {
                    return (String::new(), key.clone(), own, String::new());
                }
                let (k, n) = self.key_name(unit, r);
                let area = spec.area.map(|a| self.cell(unit, a, r)).unwrap_or_default();
                let part = if start == unit {
                    String::new()
                } else {
                    let (pk, pn) = self.key_name(start, *row);
                    if pn.is_empty() {
                        pk
                    } else {
                        format!("{pn} ({pk})")
                    }
                };
                (area, k, n, part)
            }
            Entity::Group {
                table,
                column,
                value,
            } => {
                let is_area = spec.unit.is_some_and(|u| {
                    self.pack.schema.table_by_name(table) == Some(u)
                        && spec
                            .area
                            .and_then(|a| {
                                self.pack
                                    .schema
                                    .tables
                                    .get(u)
                                    .and_then(|d| d.columns.get(a))
                            })
                            .is_some_and(|c| c.label() == column)
                });
                if is_area {
                    (value.clone(), String::new(), String::new(), String::new())
                } else {
                    (
                        String::new(),
                        String::new(),
                        format!("{column} = {value}"),
                        String::new(),
                    )
                }
            }
            Entity::Submission => (
                String::new(),
                String::new(),
                m::whole_district().get(lang).to_string(),
                String::new(),
            ),
        }
    }
}

/// The tables of outcomes the pack declares (`report { matrix … }`): for
/// each unit row and variant, the value of rule `FAMILY.VARIANT` and whether
/// it met its standard.
fn matrices(
    pack: &RulePack,
    report: &crate::eval::finding::CheckReport,
    units: &Units,
) -> Vec<MatrixView> {
    let Some(unit) = pack.report.unit else {
        return Vec::new();
    };
    pack.report
        .matrices
        .iter()
        .map(|mx| {
            let rule_of = |family: &str, variant: &str| {
                let id = format!("{family}.{variant}");
                pack.rules
                    .iter()
                    .position(|r| r.meta.id == id)
                    .or_else(|| pack.rules.iter().position(|r| r.meta.id == family))
            };
            let columns = mx
                .families
                .iter()
                .map(|f| {
                    let titles: Vec<(&str, &str)> = mx
                        .variants
                        .iter()
                        .filter_map(|v| {
                            let r = pack.rules.get(rule_of(f, v)?)?;
                            Some((v.as_str(), r.meta.title.as_str()))
                        })
                        .collect();
                    MatrixColumn {
                        family: f.clone(),
                        title: column_title(&titles),
                    }
                })
                .collect();
            // Outcomes of every unit row by (variant, family): from the
            // findings (failed, not evaluable); a checked row without a
            // finding passed.
            let unit_name = pack.schema.tables.get(unit).map_or("", |t| t.name.as_str());
            let mut rows: Vec<MatrixRow> = Vec::new();
            let n = units.sub.tables.get(unit).map_or(0, |t| t.rows);
            for variant in &mx.variants {
                let per_family: Vec<Option<&RuleResult>> = mx
                    .families
                    .iter()
                    .map(|f| {
                        rule_of(f, variant)
                            .and_then(|i| report.results.iter().find(|r| r.rule == i))
                    })
                    .collect();
                for r in 0..n {
                    let mut cells = Vec::new();
                    let mut any = false;
                    for res in &per_family {
                        let cell = res.and_then(|res| matrix_cell(res, r, unit_name));
                        any |= cell.is_some();
                        cells.push(cell.unwrap_or(MatrixCell {
                            value: String::new(),
                            mark: "",
                        }));
                    }
                    if !any {
                        continue;
                    }
                    let (key, name) = units.key_name(unit, r);
                    let area = pack
                        .report
                        .area
                        .map(|a| units.cell(unit, a, r))
                        .unwrap_or_default();
                    rows.push(MatrixRow {
                        area,
                        key,
                        name,
                        variant: variant.clone(),
                        cells,
                    });
                }
            }
            rows.sort_by(|a, b| (&a.area, &a.key, &a.variant).cmp(&(&b.area, &b.key, &b.variant)));
            MatrixView {
                title: mx.title.clone(),
                columns,
                rows,
            }
        })
        .collect()
}

/// The title of a matrix column from the titles of its rules, one per
/// variant (`小学每百名学生拥有…达到4.2人`, `初中每百名学生拥有…达到5.3人`):
/// what they say in common, without the variant (`每百名学生拥有…`), so that
/// it fits every row; the first title when they share too little.
fn column_title(titles: &[(&str, &str)]) -> String {
    let Some(&(_, first)) = titles.first() else {
        return String::new();
    };
    let stripped: Vec<String> = titles.iter().map(|(v, t)| t.replacen(v, "", 1)).collect();
    let Some(head) = stripped.first() else {
        return first.to_string();
    };
    if stripped.iter().all(|t| t == head) {
        return head.clone();
    }
    let common: Vec<char> = head
        .chars()
        .enumerate()
        .take_while(|(i, c)| stripped.iter().all(|t| t.chars().nth(*i) == Some(*c)))
        .map(|(_, c)| c)
        .collect();
    let mut common: String = common.into_iter().collect();
    // Not the start of a number, nor the verb before it ("达到4.2人" differs).
    let trimmed = common
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == '.')
        .trim_end_matches(['达', '到', '不', '低', '于', '高', '超', '过']);
    common.truncate(trimmed.len());
    if common.chars().count() < 4 {
        first.to_string()
    } else {
        common
    }
}

/// The cell of unit row `r` (of table `unit`) for a rule: its value from
/// the rule's row values (kept when distributions were asked for), else from
/// its finding; its mark from its finding (`✗` failed, `?` not evaluable),
/// `✓` for a checked row without one. `None` when the rule did not check
/// that row.
fn matrix_cell(res: &RuleResult, r: usize, unit: &str) -> Option<MatrixCell> {
    let kept = res
        .row_values
        .binary_search_by_key(&(r as u32), |v| v.0)
        .ok()
        .and_then(|i| res.row_values.get(i));
    let finding = res.findings.iter().find(|f| match &f.entity {
        Entity::Row { table, row, .. } => *row == r && table == unit,
        _ => false,
    });
    if kept.is_none() && finding.is_none() {
        return None;
    }
    let value = match (kept, &res.distribution) {
        (Some(&(_, x, _)), Some(d)) if x.is_finite() => format_shown(&Shown::Num {
            value: x,
            unit: d.unit.clone(),
            percent: d.percent,
            integer: d.integer,
        }),
        _ => finding.map(|f| value_and_standard(f).0).unwrap_or_default(),
    };
    let mark = match finding.map(|f| &f.outcome) {
        Some(Outcome::Fail) => "✗",
        Some(_) => "?",
        None => "✓",
    };
    Some(MatrixCell { value, mark })
}

fn count(n: usize) -> String {
    super::format::format_decimal(n as f64, 0, true)
}

/// What the submission lacks, one sentence each, in `lang`.
pub(crate) fn completeness_lines(c: &Checked, lang: Lang) -> Vec<String> {
    let schema = &c.pack.schema;
    let read = crate::eval::complete::tables_read(c.pack);
    let readers = |t: usize| read.iter().filter(|r| r.contains(&t)).count().to_string();
    let t = |msg: Msg| msg.get(lang).to_string();
    let mut lines: Vec<String> = Vec::new();
    for &tb in &c.completeness.missing {
        let Some(def) = schema.tables.get(tb) else {
            continue;
        };
        let files = def
            .aliases
            .iter()
            .chain(std::iter::once(&def.name))
            .map(|n| format!("{n}.csv"))
            .collect::<Vec<_>>()
            .join(" / ");
        lines.push(t(m::missing_table(&table_name(def), &files, &readers(tb))));
    }
    for &tb in &c.completeness.empty {
        let Some(def) = schema.tables.get(tb) else {
            continue;
        };
        lines.push(t(m::empty_table(&table_name(def), &readers(tb))));
    }
    for d in &c.completeness.unmatched {
        lines.push(t(m::unmatched_input(&one_line(d.message.get(lang)))));
    }
    if c.completeness.no_year {
        let year_table = schema
            .tables
            .iter()
            .find(|d| d.year_col.is_some())
            .map_or_else(String::new, table_name);
        lines.push(t(m::no_year(&year_table)));
    }
    if let (Some((y, src)), Some(latest)) = (c.completeness.year_mismatch, c.sub.report_year()) {
        lines.push(t(match src {
            crate::eval::complete::YearSource::Option => m::year_mismatch_option(y, latest),
            crate::eval::complete::YearSource::Name => m::year_mismatch_name(y, latest),
        }));
    }
    lines
}

/// `学校 (schools)`.
fn table_name(def: &crate::schema::TableDef) -> String {
    if def.label() == def.name {
        def.name.clone()
    } else {
        format!("{} ({})", def.label(), def.name)
    }
}

/// The sentence after the verdict's word: why.
pub(crate) fn verdict_detail(c: &Checked, t: &Totals, verdict: Verdict) -> Msg {
    let n = |x: usize| count(x);
    match verdict {
        Verdict::Pass => {
            let mut notes: Vec<Msg> = Vec::new();
            if t.expected_rules > 0 {
                notes.push(m::note_expected_rules(&n(t.expected_rules)));
            }
            let other_unevaluable = t.not_evaluable - t.binding_not_evaluable;
            if other_unevaluable > 0 {
                notes.push(m::note_not_evaluable(&n(other_unevaluable)));
            }
            match notes.split_first() {
                None => m::pass_plain(&n(t.checks)),
                Some((first, rest)) => {
                    let joined = rest.iter().fold(first.clone(), |a, b| a.join("；", b));
                    m::pass_with_notes(&joined)
                }
            }
        }
        Verdict::Fail if c.completeness.is_complete() => m::fail_rules(&n(t.binding_rules)),
        Verdict::Fail => m::fail_incomplete(&n(t.binding_rules)),
        Verdict::Incomplete if c.report.is_none() => m::incomplete_not_checked(),
        Verdict::Incomplete => m::incomplete_checked(&n(t.checks)),
        Verdict::Undetermined if t.checks == 0 => m::undetermined_no_checks(),
        Verdict::Undetermined => {
            let rules: Vec<String> = c
                .report
                .map(|r| {
                    rules_with_results(c.pack, r)
                        .filter(|(_, res)| {
                            res.findings.iter().any(|f| {
                                f.outcome != Outcome::Fail && f.severity == Severity::Binding
                            })
                        })
                        .map(|(rule, _)| one_line(&rule.meta.id))
                        .collect()
                })
                .unwrap_or_default();
            let shown = if rules.len() > 8 {
                format!(
                    "{} …",
                    rules.iter().take(8).cloned().collect::<Vec<_>>().join("、")
                )
            } else {
                rules.join("、")
            };
            m::undetermined_binding(&n(t.binding_not_evaluable), &shown)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::column_title;

    #[test]
    fn a_matrix_column_is_titled_by_what_its_rules_share() {
        let b1 = [
            ("小学", "小学每百名学生拥有高于规定学历教师数达到4.2人"),
            ("初中", "初中每百名学生拥有高于规定学历教师数达到5.3人"),
        ];
        assert_eq!(column_title(&b1), "每百名学生拥有高于规定学历教师数");
        let b2 = [
            ("小学", "小学每百名学生拥有县级以上骨干教师数达到1人"),
            ("初中", "初中每百名学生拥有县级以上骨干教师数达到1人"),
        ];
        assert_eq!(column_title(&b2), "每百名学生拥有县级以上骨干教师数达到1人");
        // Too little in common: the first title as it is.
        let odd = [("小学", "小学班额"), ("初中", "初中生均面积")];
        assert_eq!(column_title(&odd), "小学班额");
        assert_eq!(column_title(&[("小学", "小学班额")]), "班额");
        assert_eq!(column_title(&[]), "");
    }
}
