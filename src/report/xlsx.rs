//! The findings workbook (`报告.xlsx`) and the batch summary workbook
//! (`汇总.xlsx`), with rust_xlsxwriter. Sheets: 汇总 (verdict, counts, one
//! row per rule), 整改清单 (one row per finding, by 乡镇街道, school and
//! rule, with empty 整改措施 / 整改时限 / 责任人 columns for the district),
//! 学校指标 (the pack's tables of outcomes), 区县指标 (every district-level
//! check with its value), 不可评估, 规则与依据, 数据读取说明. Every sheet
//! has a frozen header, an autofilter and widths that fit Chinese text.
//!
//! A sheet holds at most 1,048,576 rows (Excel's limit, header included): a
//! list longer than that (the 整改清单 of a whole country) is cut to its
//! first 1,048,574 rows. The sheet's first row then says how many rows were
//! left out and that `report.json` has them all; 汇总 and 数据读取说明 say
//! it too, and [`cut_warnings`] gives the warning the command prints. The
//! limit is a parameter ([`BookOptions`]) so that tests can make it small.

use super::format::format_decimal;
use super::html::BatchEntry;
use super::view::View;
use crate::diag::{Code, Diag, Lang, Msg};
use crate::msg::report as m;
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

/// Rows of a sheet (Excel's limit).
pub const MAX_ROWS: usize = 1_048_576;

/// How a workbook is written.
#[derive(Debug, Clone, Copy)]
pub struct BookOptions {
    /// Rows a sheet may hold, its header and note row included
    /// ([`MAX_ROWS`]; tests make it small).
    pub max_rows: usize,
}

impl Default for BookOptions {
    fn default() -> Self {
        BookOptions { max_rows: MAX_ROWS }
    }
}

impl BookOptions {
    /// Data rows a list sheet can hold: the limit less the header and the
    /// note row that says the list was cut.
    fn data_rows(&self) -> usize {
        self.max_rows.saturating_sub(2).max(1)
    }
}

/// A sheet that could not hold its whole list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    pub sheet: String,
    /// Rows listed.
    pub shown: usize,
    /// Rows the list has.
    pub total: usize,
}

impl Cut {
    fn msg(&self) -> Msg {
        let n = |x: usize| format_decimal(x as f64, 0, true);
        m::sheet_cut(
            &self.sheet,
            &n(self.shown),
            &n(self.total),
            &n(self.total - self.shown),
        )
    }

    fn help(opts: &BookOptions) -> Msg {
        m::sheet_cut_help(&format_decimal(opts.max_rows as f64, 0, true))
    }

    /// The sentence the sheet, 汇总 and 数据读取说明 carry.
    fn text(&self, opts: &BookOptions, lang: Lang) -> String {
        format!("{}；{}", self.msg().get(lang), Cut::help(opts).get(lang))
    }
}

/// The sheets of the workbook of `v` that cannot hold their whole list.
pub fn cuts(v: &View, opts: &BookOptions, lang: Lang) -> Vec<Cut> {
    let mut lists = vec![(t(m::sheet_list(), lang), v.findings.len())];
    lists.extend(
        matrix_sheet_names(v, lang)
            .into_iter()
            .zip(&v.matrices)
            .map(|(name, mx)| (name, mx.rows.len())),
    );
    lists.push((
        t(m::sheet_values(), lang),
        v.indicators.iter().map(|i| i.rows.len()).sum(),
    ));
    lists.push((t(m::sheet_not_evaluable(), lang), v.not_evaluable.len()));
    let room = opts.data_rows();
    lists
        .into_iter()
        .filter(|(_, n)| *n > room)
        .map(|(sheet, total)| Cut {
            sheet,
            shown: room,
            total,
        })
        .collect()
}

/// The warnings to print when the workbook of `v` (at Excel's limit)
/// cannot list everything.
pub fn cut_warnings(v: &View, lang: Lang) -> Vec<Diag> {
    let opts = BookOptions::default();
    cuts(v, &opts, lang)
        .iter()
        .map(|c| {
            Diag::new(Code::ReportSheetCut, c.msg())
                .help(Cut::help(&opts))
                .warning()
        })
        .collect()
}

/// The names of the sheets of the tables of outcomes of `v`, in order: each
/// its title as Excel accepts it, unique in the workbook (Excel compares
/// names without case): a title taken by another sheet, or empty, gets a
/// number (`学校指标 2`).
fn matrix_sheet_names(v: &View, lang: Lang) -> Vec<String> {
    let mut taken: Vec<String> = [
        m::sheet_summary(),
        m::sheet_list(),
        m::sheet_values(),
        m::sheet_not_evaluable(),
        m::sheet_rules(),
        m::sheet_data(),
    ]
    .into_iter()
    .map(|s| t(s, lang).to_lowercase())
    .collect();
    let fallback = t(m::sheet_matrix(), lang);
    let mut names = Vec::new();
    for mx in &v.matrices {
        let title = sheet_name(mx.title.trim());
        let base = if title.trim().is_empty() {
            fallback.clone()
        } else {
            title
        };
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name.to_lowercase()) {
            let suffix = format!(" {n}");
            let room = 31usize.saturating_sub(suffix.chars().count());
            name = base.chars().take(room).collect::<String>() + &suffix;
            n += 1;
        }
        taken.push(name.to_lowercase());
        names.push(name);
    }
    names
}

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

    /// The note row above the header of a sheet that could not hold its
    /// whole list.
    fn note(&mut self, text: &str, st: &Styles) -> Result<(), XlsxError> {
        self.cell(0, text, Some(&st.bad))?;
        // The note must not widen the first column.
        if let Some(w) = self.widths.get_mut(0) {
            *w = 0;
        }
        self.row += 1;
        Ok(())
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

/// The findings workbook of one submission, as bytes, at Excel's limit.
pub fn workbook(v: &View, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    workbook_with(v, lang, &BookOptions::default())
}

/// The findings workbook of one submission, as bytes.
pub fn workbook_with(v: &View, lang: Lang, opts: &BookOptions) -> Result<Vec<u8>, XlsxError> {
    let st = Styles::new();
    let cuts = cuts(v, opts, lang);
    let ctx = Ctx {
        st: &st,
        lang,
        opts,
        cuts: &cuts,
    };
    let mut book = Workbook::new();
    summary_sheet(book.add_worksheet(), v, &ctx)?;
    list_sheet(book.add_worksheet(), v, &ctx)?;
    if v.matrices.is_empty() {
        let ws = book.add_worksheet();
        ws.set_name(t(m::sheet_matrix(), lang))?;
        let mut s = Sheet::new(ws);
        s.note(&t(m::matrix_not_declared(), lang), &st)?;
        let h = s.header(&matrix_head(lang), &st)?;
        s.finish(Some((h, 4)))?;
    }
    for (name, mx) in matrix_sheet_names(v, lang).into_iter().zip(&v.matrices) {
        let ws = book.add_worksheet();
        ws.set_name(&name)?;
        let mut s = Sheet::new(ws);
        ctx.note(&mut s, &name)?;
        let mut head = matrix_head(lang);
        head.extend(mx.columns.iter().map(|c| {
            if c.title.is_empty() {
                c.family.clone()
            } else {
                format!("{} {}", c.family, c.title)
            }
        }));
        let h = s.header(&head, &st)?;
        for r in mx.rows.iter().take(opts.data_rows()) {
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
    values_sheet(book.add_worksheet(), v, &ctx)?;
    not_evaluable_sheet(book.add_worksheet(), v, &ctx)?;
    rules_sheet(book.add_worksheet(), v, &st, lang)?;
    data_sheet(book.add_worksheet(), v, &ctx)?;
    print_setup(&mut book);
    book.save_to_buffer()
}

/// Every sheet prints on A4 in landscape, as wide as one page (as many pages
/// down as it needs), so a bureau can print the workbook as it is: without
/// this, LibreOffice and Excel cut the wide sheets into columns of pages.
fn print_setup(book: &mut Workbook) {
    for ws in book.worksheets_mut() {
        ws.set_paper_size(9)
            .set_landscape()
            .set_print_fit_to_pages(1, 0);
    }
}

/// What every sheet of one workbook shares.
struct Ctx<'a> {
    st: &'a Styles,
    lang: Lang,
    opts: &'a BookOptions,
    cuts: &'a [Cut],
}

impl Ctx<'_> {
    /// The note row of sheet `name`, if its list was cut.
    fn note(&self, s: &mut Sheet, name: &str) -> Result<(), XlsxError> {
        match self.cuts.iter().find(|c| c.sheet == name) {
            Some(c) => s.note(&c.text(self.opts, self.lang), self.st),
            None => Ok(()),
        }
    }

    /// A line per cut sheet, under a heading (汇总, 数据读取说明).
    fn cut_lines(&self, s: &mut Sheet) -> Result<(), XlsxError> {
        if self.cuts.is_empty() {
            return Ok(());
        }
        s.cell(0, &t(m::sheets_cut_title(), self.lang), Some(&self.st.head))?;
        for c in self.cuts {
            s.cell(1, &c.text(self.opts, self.lang), Some(&self.st.bad))?;
            s.row += 1;
        }
        Ok(())
    }
}

fn matrix_head(lang: Lang) -> Vec<String> {
    vec![
        t(m::col_area(), lang),
        t(m::col_key(), lang),
        t(m::col_name(), lang),
        t(m::col_variant(), lang),
    ]
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    // Nor may it start or end with an apostrophe.
    let cut: String = clean.trim_start_matches('\'').chars().take(31).collect();
    cut.trim_end_matches('\'').to_string()
}

fn summary_sheet(ws: &mut Worksheet, v: &View, ctx: &Ctx) -> Result<(), XlsxError> {
    let (st, lang) = (ctx.st, ctx.lang);
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
    // A layered pack: what it changed of the packs it imports.
    for (head, lines) in [
        (m::head_overrides(), &v.overrides),
        (m::head_disabled(), &v.disabled),
    ] {
        for l in lines {
            s.cell(0, &t(head.clone(), lang), Some(&st.head))?;
            s.cell(1, l, None)?;
            s.row += 1;
        }
    }
    for l in &v.completeness {
        s.cell(0, &t(m::completeness_title(), lang), Some(&st.head))?;
        s.cell(1, l, Some(&st.bad))?;
        s.row += 1;
    }
    ctx.cut_lines(&mut s)?;
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

fn list_sheet(ws: &mut Worksheet, v: &View, ctx: &Ctx) -> Result<(), XlsxError> {
    let (st, lang) = (ctx.st, ctx.lang);
    let name = t(m::sheet_list(), lang);
    ws.set_name(&name)?;
    let mut s = Sheet::new(ws);
    ctx.note(&mut s, &name)?;
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
    for f in v.findings.iter().take(ctx.opts.data_rows()) {
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

fn values_sheet(ws: &mut Worksheet, v: &View, ctx: &Ctx) -> Result<(), XlsxError> {
    let (st, lang) = (ctx.st, ctx.lang);
    let name = t(m::sheet_values(), lang);
    ws.set_name(&name)?;
    let mut s = Sheet::new(ws);
    ctx.note(&mut s, &name)?;
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
    let rows = v
        .indicators
        .iter()
        .flat_map(|ind| ind.rows.iter().map(move |r| (ind, r)))
        .take(ctx.opts.data_rows());
    {
        for (ind, r) in rows {
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

fn not_evaluable_sheet(ws: &mut Worksheet, v: &View, ctx: &Ctx) -> Result<(), XlsxError> {
    let (st, lang) = (ctx.st, ctx.lang);
    let name = t(m::sheet_not_evaluable(), lang);
    ws.set_name(&name)?;
    let mut s = Sheet::new(ws);
    ctx.note(&mut s, &name)?;
    let head = [
        t(m::col_rule(), lang),
        t(m::col_indicator(), lang),
        t(m::col_year(), lang),
        t(m::col_entity(), lang),
        t(m::col_reason(), lang),
        t(m::col_severity(), lang),
    ];
    let h = s.header(&head, st)?;
    for f in v.not_evaluable.iter().take(ctx.opts.data_rows()) {
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
    // Rules taken out by a later pack, and parameters it changed: the
    // basis of the checks above as much as the rules themselves.
    for l in &v.disabled {
        s.cell(0, &t(m::head_disabled(), lang), Some(&st.head))?;
        s.cell(3, l, None)?;
        s.row += 1;
    }
    for l in &v.overrides {
        s.cell(0, &t(m::head_overrides(), lang), Some(&st.head))?;
        s.cell(3, l, None)?;
        s.row += 1;
    }
    s.limit(4, 60, "min");
    s.limit(3, 50, "min");
    s.finish(Some((h, head.len())))
}

fn data_sheet(ws: &mut Worksheet, v: &View, ctx: &Ctx) -> Result<(), XlsxError> {
    let (st, lang) = (ctx.st, ctx.lang);
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
    if !ctx.cuts.is_empty() {
        s.row += 1;
        ctx.cut_lines(&mut s)?;
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
    print_setup(&mut book);
    book.save_to_buffer()
}
