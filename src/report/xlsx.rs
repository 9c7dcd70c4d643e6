//! The findings workbook (`报告.xlsx`) and the batch summary workbook
//! (`汇总.xlsx`), with rust_xlsxwriter. Sheets: 汇总 (verdict, counts, one
//! row per rule), 整改清单 (one row per finding, by 乡镇街道, school and
//! rule, with empty 整改措施 / 整改时限 / 责任人 columns for the district),
//! 学校指标 (the pack's tables of outcomes), 区县指标 (every district-level
//! check with its value), 不可评估, 规则与依据, 数据读取说明. Every sheet
//! has a frozen header, an autofilter and widths that fit Chinese text.
//!
//! A sheet holds at most 1,048,576 rows: a list longer than that (the
//! 整改清单 of a whole country) is cut, and its first row says how many were
//! left out and that `report.json` has them all.

use super::html::BatchEntry;
use super::view::View;
use crate::diag::{Lang, Msg};
use crate::msg::report as m;
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

/// Rows of a sheet (Excel's limit).
pub const MAX_ROWS: usize = 1_048_576;

/// Data rows a list sheet can hold: the limit less the header and the note
/// row that says the list was cut.
const MAX_DATA_ROWS: usize = MAX_ROWS - 2;

struct Styles {
    head: Format,
    bad: Format,
    ok: Format,
    wrap: Format,
    title: Format,
}

impl Styles {
    fn new() -> Styles {
        Styles {
            head: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xE8EAED))
                .set_border_bottom(FormatBorder::Thin),
            bad: Format::new()
                .set_font_color(Color::RGB(0xC0392B))
                .set_bold(),
            ok: Format::new().set_font_color(Color::RGB(0x3A7D44)),
            wrap: Format::new().set_text_wrap(),
            title: Format::new().set_bold().set_font_size(14),
        }
    }
}

/// A sheet being filled: rows of strings, widths tracked per column.
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    widths: Vec<usize>,
    row: u32,
}

impl<'a> Sheet<'a> {
    fn new(ws: &'a mut Worksheet) -> Sheet<'a> {
        Sheet {
            ws,
            widths: Vec::new(),
            row: 0,
        }
    }

    fn cell(&mut self, col: usize, text: &str, fmt: Option<&Format>) -> Result<(), XlsxError> {
        let c = col as u16;
        // Numbers stay text: they carry their unit (`4.5 m²/人`) as shown.
        match fmt {
            Some(f) => self.ws.write_string_with_format(self.row, c, text, f)?,
            None => self.ws.write_string(self.row, c, text)?,
        };
        let w = text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0);
        if self.widths.len() <= col {
            self.widths.resize(col + 1, 0);
        }
        if let Some(x) = self.widths.get_mut(col) {
            *x = (*x).max(w);
        }
        Ok(())
    }

    fn line(&mut self, cells: &[&str], fmt: Option<&Format>) -> Result<(), XlsxError> {
        for (i, c) in cells.iter().enumerate() {
            self.cell(i, c, fmt)?;
        }
        self.row += 1;
        Ok(())
    }

    /// A header row, frozen, with an autofilter over the rows below it.
    fn header(&mut self, cells: &[String], styles: &Styles) -> Result<u32, XlsxError> {
        let at = self.row;
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        self.line(&refs, Some(&styles.head))?;
        self.ws.set_freeze_panes(at + 1, 0)?;
        Ok(at)
    }

    /// Caps (`min`) or raises (`max`) the width of a column.
    fn limit(&mut self, col: usize, to: usize, how: &str) {
        if let Some(w) = self.widths.get_mut(col) {
            *w = if how == "min" {
                (*w).min(to)
            } else {
                (*w).max(to)
            };
        }
    }

    fn finish(self, header_row: Option<(u32, usize)>) -> Result<(), XlsxError> {
        for (i, w) in self.widths.iter().enumerate() {
            let w = (*w as f64 * 1.1 + 2.0).clamp(6.0, 60.0);
            self.ws.set_column_width(i as u16, w)?;
        }
        if let Some((row, cols)) = header_row
            && cols > 0
        {
            let last = self.row.saturating_sub(1).max(row);
            self.ws.autofilter(row, 0, last, (cols - 1) as u16)?;
        }
        Ok(())
    }
}

fn t(msg: Msg, lang: Lang) -> String {
    msg.get(lang).to_string()
}

/// The findings workbook of one submission, as bytes.
pub fn workbook(v: &View, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let st = Styles::new();
    let mut book = Workbook::new();
    summary_sheet(book.add_worksheet(), v, &st, lang)?;
    list_sheet(book.add_worksheet(), v, &st, lang)?;
    for (i, mx) in v.matrices.iter().enumerate() {
        let ws = book.add_worksheet();
        let name = if i == 0 {
            mx.title.clone()
        } else {
            format!("{} {}", mx.title, i + 1)
        };
        ws.set_name(sheet_name(&name))?;
        let mut s = Sheet::new(ws);
        let mut head = vec![
            t(m::col_area(), lang),
            t(m::col_key(), lang),
            t(m::col_name(), lang),
            t(m::col_variant(), lang),
        ];
        head.extend(mx.columns.iter().map(|c| {
            if c.title.is_empty() {
                c.family.clone()
            } else {
                format!("{} {}", c.family, c.title)
            }
        }));
        let h = s.header(&head, &st)?;
        for r in mx.rows.iter().take(MAX_DATA_ROWS) {
            s.cell(0, &r.area, None)?;
            s.cell(1, &r.key, None)?;
            s.cell(2, &r.name, None)?;
            s.cell(3, &r.variant, None)?;
            for (j, c) in r.cells.iter().enumerate() {
                let text = format!("{} {}", c.value, c.mark).trim().to_string();
                let fmt = match c.mark {
                    "✗" => Some(&st.bad),
                    "✓" => Some(&st.ok),
                    _ => None,
                };
                s.cell(4 + j, &text, fmt)?;
            }
            s.row += 1;
        }
        // Long titles of the columns would make them too wide.
        for w in s.widths.iter_mut().skip(4) {
            *w = (*w).min(18);
        }
        s.finish(Some((h, head.len())))?;
    }
    values_sheet(book.add_worksheet(), v, &st, lang)?;
    not_evaluable_sheet(book.add_worksheet(), v, &st, lang)?;
    rules_sheet(book.add_worksheet(), v, &st, lang)?;
    data_sheet(book.add_worksheet(), v, &st, lang)?;
    book.save_to_buffer()
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    clean.chars().take(31).collect()
}

fn summary_sheet(ws: &mut Worksheet, v: &View, st: &Styles, lang: Lang) -> Result<(), XlsxError> {
    ws.set_name(t(m::sheet_summary(), lang))?;
    let mut s = Sheet::new(ws);
    s.cell(
        0,
        &format!("{}：{}", t(m::html_title(), lang), v.label),
        Some(&st.title),
    )?;
    s.row += 1;
    let verdict_fmt = if v.verdict.kind == "pass" {
        &st.ok
    } else {
        &st.bad
    };
    s.cell(0, &t(m::verdict_label(), lang), Some(&st.head))?;
    s.cell(1, &v.verdict.word, Some(verdict_fmt))?;
    s.cell(2, &v.verdict.detail, None)?;
    s.row += 1;
    let facts = [
        (t(m::head_report_year(), lang), v.report_year.clone()),
        (t(m::head_years(), lang), v.years.clone()),
        (
            t(m::batch_binding(), lang),
            v.counts.binding_failures.to_string(),
        ),
        (
            t(m::batch_expected(), lang),
            v.counts.expected_failures.to_string(),
        ),
        (
            t(m::col_not_evaluable(), lang),
            v.counts.not_evaluable.to_string(),
        ),
        (t(m::col_checked(), lang), v.counts.checks.to_string()),
        (t(m::col_passed(), lang), v.counts.passed.to_string()),
        (
            t(m::head_pack(), lang),
            format!("{} ({})", v.pack_hash, v.engine),
        ),
    ];
    for (k, val) in facts {
        s.cell(0, &k, Some(&st.head))?;
        s.cell(1, &val, None)?;
        s.row += 1;
    }
    for l in &v.completeness {
        s.cell(0, &t(m::completeness_title(), lang), Some(&st.head))?;
        s.cell(1, l, Some(&st.bad))?;
        s.row += 1;
    }
    s.row += 1;
    let head = [
        t(m::col_rule(), lang),
        t(m::col_title(), lang),
        t(m::col_severity(), lang),
        t(m::col_status(), lang),
        t(m::col_checked(), lang),
        t(m::col_passed(), lang),
        t(m::col_failed(), lang),
        t(m::col_not_evaluable(), lang),
        t(m::col_value(), lang),
        t(m::col_standard(), lang),
    ];
    let h = s.header(&head, st)?;
    for r in &v.rules {
        let counts = [r.checks, r.passed, r.failed, r.not_evaluable];
        s.cell(0, &r.id, None)?;
        s.cell(1, &r.title, None)?;
        s.cell(2, &r.severity_label, None)?;
        let fmt = match r.status {
            "failed" => Some(&st.bad),
            "passed" => Some(&st.ok),
            _ => None,
        };
        let status = if r.skipped.is_empty() {
            r.status_label.clone()
        } else {
            format!("{}（{}）", r.status_label, r.skipped)
        };
        s.cell(3, &status, fmt)?;
        for (i, n) in counts.iter().enumerate() {
            s.ws.write_number(s.row, (4 + i) as u16, *n as f64)?;
        }
        s.cell(8, &r.value, None)?;
        s.cell(9, &r.standard, None)?;
        s.row += 1;
    }
    s.limit(1, 40, "min");
    s.limit(2, 8, "max");
    s.finish(Some((h, head.len())))
}

fn list_sheet(ws: &mut Worksheet, v: &View, st: &Styles, lang: Lang) -> Result<(), XlsxError> {
    ws.set_name(t(m::sheet_list(), lang))?;
    let mut s = Sheet::new(ws);
    if v.findings.len() > MAX_DATA_ROWS {
        s.cell(
            0,
            &t(m::sheet_capped(MAX_DATA_ROWS, v.findings.len()), lang),
            Some(&st.bad),
        )?;
        s.row += 1;
    }
    let head = [
        t(m::col_area(), lang),
        t(m::col_key(), lang),
        t(m::col_name(), lang),
        t(m::col_part(), lang),
        t(m::col_rule(), lang),
        t(m::col_indicator(), lang),
        t(m::col_value(), lang),
        t(m::col_standard(), lang),
        t(m::col_gap(), lang),
        t(m::col_basis(), lang),
        t(m::col_nature(), lang),
        t(m::col_measure(), lang),
        t(m::col_deadline(), lang),
        t(m::col_owner(), lang),
    ];
    let h = s.header(&head, st)?;
    for f in v.findings.iter().take(MAX_DATA_ROWS) {
        let (key, name) = if f.unit_key.is_empty() && f.unit_name.is_empty() {
            (String::new(), f.entity.clone())
        } else {
            (f.unit_key.clone(), f.unit_name.clone())
        };
        let standard = format!("{} {}", f.op, f.standard).trim().to_string();
        let fmt = (f.severity == "binding").then_some(&st.bad);
        let cells = [
            f.area.as_str(),
            &key,
            &name,
            &f.part,
            &f.rule,
            &f.rule_title,
            &f.value,
            &standard,
            &f.gap,
            &f.basis,
            &f.severity_label,
            "",
            "",
            "",
        ];
        for (i, c) in cells.iter().enumerate() {
            s.cell(i, c, if i == 10 { fmt } else { None })?;
        }
        s.row += 1;
    }
    // The district fills these in: make them wide enough to write in.
    for col in 11..14 {
        if let Some(w) = s.widths.get_mut(col) {
            *w = (*w).max(16);
        }
    }
    s.limit(5, 40, "min");
    s.limit(9, 40, "min");
    s.finish(Some((h, head.len())))
}

fn values_sheet(ws: &mut Worksheet, v: &View, st: &Styles, lang: Lang) -> Result<(), XlsxError> {
    ws.set_name(t(m::sheet_values(), lang))?;
    let mut s = Sheet::new(ws);
    let head = [
        t(m::col_rule(), lang),
        t(m::col_indicator(), lang),
        t(m::col_year(), lang),
        t(m::col_entity(), lang),
        t(m::col_value(), lang),
        t(m::col_standard(), lang),
        t(m::col_status(), lang),
        t(m::col_severity(), lang),
    ];
    let h = s.header(&head, st)?;
    for ind in &v.indicators {
        for r in &ind.rows {
            let standard = format!("{} {}", r.op, r.standard).trim().to_string();
            let (status, fmt) = match r.outcome {
                "pass" => ("✓".to_string(), Some(&st.ok)),
                "fail" => ("✗".to_string(), Some(&st.bad)),
                _ => (format!("? {}", r.reason), None),
            };
            let cells = [
                ind.rule.as_str(),
                &ind.title,
                &r.year,
                &r.entity,
                &r.value,
                &standard,
                &status,
                &r.severity_label,
            ];
            for (i, c) in cells.iter().enumerate() {
                s.cell(i, c, if i == 6 { fmt } else { None })?;
            }
            s.row += 1;
        }
    }
    s.limit(1, 40, "min");
    s.finish(Some((h, head.len())))
}

fn not_evaluable_sheet(
    ws: &mut Worksheet,
    v: &View,
    st: &Styles,
    lang: Lang,
) -> Result<(), XlsxError> {
    ws.set_name(t(m::sheet_not_evaluable(), lang))?;
    let mut s = Sheet::new(ws);
    let head = [
        t(m::col_rule(), lang),
        t(m::col_indicator(), lang),
        t(m::col_year(), lang),
        t(m::col_entity(), lang),
        t(m::col_reason(), lang),
        t(m::col_severity(), lang),
    ];
    let h = s.header(&head, st)?;
    for f in v.not_evaluable.iter().take(MAX_DATA_ROWS) {
        let cells = [
            f.rule.as_str(),
            &f.rule_title,
            &f.year,
            &f.entity,
            &f.reason,
            &f.severity_label,
        ];
        s.line(&cells, None)?;
    }
    s.limit(4, 60, "min");
    s.finish(Some((h, head.len())))
}

fn rules_sheet(ws: &mut Worksheet, v: &View, st: &Styles, lang: Lang) -> Result<(), XlsxError> {
    ws.set_name(t(m::sheet_rules(), lang))?;
    let mut s = Sheet::new(ws);
    let head = [
        t(m::col_rule(), lang),
        t(m::col_title(), lang),
        t(m::col_severity(), lang),
        t(m::col_basis(), lang),
        t(m::col_quote(), lang),
    ];
    let h = s.header(&head, st)?;
    for r in &v.rules {
        let basis = format!("{} {}", r.document, r.clause);
        let quote = if r.quote.is_empty() {
            String::new()
        } else {
            format!("“{}”", r.quote)
        };
        s.cell(0, &r.id, None)?;
        s.cell(1, &r.title, None)?;
        s.cell(2, &r.severity_label, None)?;
        s.cell(3, &basis, None)?;
        s.cell(4, &quote, Some(&st.wrap))?;
        s.row += 1;
    }
    s.limit(4, 60, "min");
    s.limit(3, 50, "min");
    s.finish(Some((h, head.len())))
}

fn data_sheet(ws: &mut Worksheet, v: &View, st: &Styles, lang: Lang) -> Result<(), XlsxError> {
    ws.set_name(t(m::sheet_data(), lang))?;
    let mut s = Sheet::new(ws);
    let head = [
        t(m::col_file(), lang),
        t(m::col_note(), lang),
        t(m::col_sha(), lang),
    ];
    let h = s.header(&head, st)?;
    for f in &v.files {
        s.line(&[&f.path, &f.note, &f.sha256], None)?;
    }
    s.row += 1;
    for tb in &v.tables {
        s.cell(0, &format!("{}（{}）", tb.label, tb.name), None)?;
        s.ws.write_number(s.row, 1, tb.rows as f64)?;
        s.row += 1;
    }
    if !v.warnings.is_empty() {
        s.row += 1;
        s.cell(0, &t(m::html_warnings(), lang), Some(&st.head))?;
        s.cell(1, &t(m::col_file(), lang), Some(&st.head))?;
        s.cell(2, &t(m::col_code(), lang), Some(&st.head))?;
        s.row += 1;
        for w in &v.warnings {
            s.line(&[&w.message, &w.location, w.code], None)?;
        }
    }
    s.limit(2, 66, "min");
    s.finish(Some((h, head.len())))
}

/// The batch summary workbook: one row per submission, and a submission ×
/// rule matrix.
pub fn batch_workbook(
    rules: &[(String, String)],
    entries: &[BatchEntry],
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let st = Styles::new();
    let mut book = Workbook::new();
    {
        let ws = book.add_worksheet();
        ws.set_name(t(m::sheet_summary(), lang))?;
        let mut s = Sheet::new(ws);
        let head = [
            t(m::batch_rank(), lang),
            t(m::batch_submission(), lang),
            t(m::head_report_year(), lang),
            t(m::verdict_label(), lang),
            t(m::batch_binding_rules(), lang),
            t(m::batch_binding(), lang),
            t(m::html_batch_schools(), lang),
            t(m::html_batch_per_school(), lang),
            t(m::batch_expected(), lang),
            t(m::col_not_evaluable(), lang),
            t(m::col_checked(), lang),
            t(m::col_message(), lang),
        ];
        let h = s.header(&head, &st)?;
        for (i, e) in entries.iter().enumerate() {
            let rank = if matches!(e.kind, "pass" | "fail") {
                (i + 1).to_string()
            } else {
                "—".to_string()
            };
            let nums = [e.rules_failed, e.binding, e.schools_with_findings];
            s.cell(0, &rank, None)?;
            s.cell(1, &e.label, None)?;
            s.cell(2, &e.row_year, None)?;
            let fmt = match e.kind {
                "pass" => Some(&st.ok),
                _ => Some(&st.bad),
            };
            s.cell(3, &e.verdict, fmt)?;
            for (j, n) in nums.iter().enumerate() {
                s.ws.write_number(s.row, (4 + j) as u16, *n as f64)?;
            }
            s.cell(7, &e.failures_per_school, None)?;
            for (j, n) in [e.expected, e.not_evaluable, e.checks].iter().enumerate() {
                s.ws.write_number(s.row, (8 + j) as u16, *n as f64)?;
            }
            s.cell(11, &e.errors.join("；"), None)?;
            s.row += 1;
        }
        s.limit(11, 60, "min");
        s.finish(Some((h, head.len())))?;
    }
    {
        let ws = book.add_worksheet();
        ws.set_name(sheet_name(&t(m::html_batch_matrix(), lang)))?;
        let mut s = Sheet::new(ws);
        let loaded: Vec<&BatchEntry> = entries.iter().filter(|e| !e.marks.is_empty()).collect();
        let mut head = vec![t(m::col_rule(), lang), t(m::col_title(), lang)];
        head.extend(loaded.iter().map(|e| e.label.clone()));
        let h = s.header(&head, &st)?;
        for (i, (id, title)) in rules.iter().enumerate() {
            s.cell(0, id, None)?;
            s.cell(1, title, None)?;
            for (j, e) in loaded.iter().enumerate() {
                let mark = e.marks.get(i).copied().unwrap_or("");
                let fmt = match mark {
                    "✗" => Some(&st.bad),
                    "✓" => Some(&st.ok),
                    _ => None,
                };
                s.cell(2 + j, mark, fmt)?;
            }
            s.row += 1;
        }
        s.limit(1, 40, "min");
        s.finish(Some((h, head.len())))?;
    }
    book.save_to_buffer()
}
