//! Workbooks: how sheets are read (titles, notes, cell types), the Excel
//! fixtures, and filled-in templates giving the same findings as CSV.
//!
//! The fixtures under `fixtures/excel/` and `fixtures/data-errors-excel/`
//! are written by [`write_excel_fixtures`] from the CSV submission
//! [`SOURCE`]; when it changes, regenerate them with
//!
//! ```sh
//! cargo test --lib data::excel_tests::write_excel_fixtures -- --ignored
//! ```

use super::template::{csv_template, xlsx_template};
use super::*;
use crate::diag::{Code, render_plain};
use crate::pack::RulePack;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use std::path::Path;
use std::sync::OnceLock;

/// The CSV submission the Excel fixtures are made from.
const SOURCE: &str = "fixtures/submissions/small-district";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn pack() -> &'static RulePack {
    static PACK: OnceLock<RulePack> = OnceLock::new();
    PACK.get_or_init(|| match crate::check::load_pack(&root().join("rules")) {
        Ok(p) => p,
        Err(d) => panic!("rules do not compile:\n{}", render_plain(&d)),
    })
}

fn schema() -> &'static Schema {
    &pack().schema
}

/// A cell of a workbook being written.
#[derive(Debug, Clone)]
enum Cell {
    Empty,
    Str(String),
    Num(f64),
    /// A fraction shown as a percentage (`0%` format).
    Pct(f64),
    Bool(bool),
    Date(u16, u8, u8),
    /// A formula whose cached result is an error value.
    Error(&'static str),
}

fn s(t: &str) -> Cell {
    Cell::Str(t.to_string())
}

/// One sheet: an optional title row, the header, data rows, then (after a
/// blank row) note rows.
#[derive(Debug, Clone)]
struct SheetModel {
    name: String,
    title: Option<String>,
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
    notes: Vec<Vec<String>>,
    /// Whether the sheet is hidden.
    hidden: bool,
    /// A value typed far below and right of the table: `(row, column, text)`.
    far: Option<(u32, u16, String)>,
}

impl SheetModel {
    /// The index of the column headed `h` (ignoring a bracketed unit).
    fn col(&self, h: &str) -> usize {
        self.header
            .iter()
            .position(|x| {
                x == h || x.starts_with(&format!("{h}(")) || x.starts_with(&format!("{h}（"))
            })
            .unwrap_or_else(|| panic!("no column {h} in sheet {}", self.name))
    }

    /// The index of the row whose column `h` holds `v`.
    fn row(&self, h: &str, v: &str) -> usize {
        let c = self.col(h);
        self.rows
            .iter()
            .position(|r| match &r[c] {
                Cell::Str(x) => x == v,
                Cell::Num(x) => super::cell::num_text(*x) == v,
                _ => false,
            })
            .unwrap_or_else(|| panic!("no row with {h} = {v} in sheet {}", self.name))
    }

    fn set(&mut self, row_of: (&str, &str), col: &str, cell: Cell) {
        let r = self.row(row_of.0, row_of.1);
        let c = self.col(col);
        self.rows[r][c] = cell;
    }
}

fn sheet<'a>(book: &'a mut [SheetModel], name: &str) -> &'a mut SheetModel {
    book.iter_mut()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

/// The CSV files of a fixture submission folder: `(table label, header, rows)`.
fn csv_tables(dir: &str) -> Vec<(String, Vec<String>, Vec<Vec<String>>)> {
    let mut out = Vec::new();
    for def in &schema().tables {
        let path = root().join(dir).join(format!("{}.csv", def.label()));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        let header: Vec<String> = rdr
            .headers()
            .expect("header")
            .iter()
            .map(str::to_string)
            .collect();
        let rows = rdr
            .records()
            .map(|r| r.expect("record").iter().map(str::to_string).collect())
            .collect();
        out.push((def.label().to_string(), header, rows));
    }
    out
}

/// A CSV cell as a spreadsheet holds it: numbers in numeric and year
/// columns as numbers, everything else as text.
fn typed(def: &TableDef, header: &str, v: &str) -> Cell {
    if v.is_empty() {
        return Cell::Empty;
    }
    let ty = super::header::find_column(def, header)
        .and_then(|c| def.columns.get(c))
        .map(|c| c.ty);
    match ty {
        Some(ColType::Int | ColType::Decimal | ColType::Year) => match v.parse::<f64>() {
            Ok(x) => Cell::Num(x),
            Err(_) => s(v),
        },
        _ => s(v),
    }
}

fn plain_book(dir: &str) -> Vec<SheetModel> {
    csv_tables(dir)
        .into_iter()
        .map(|(name, header, rows)| {
            let def = schema()
                .tables
                .iter()
                .find(|t| t.label() == name)
                .expect("table");
            let rows = rows
                .iter()
                .map(|r| {
                    r.iter()
                        .zip(&header)
                        .map(|(v, h)| typed(def, h, v))
                        .collect()
                })
                .collect();
            SheetModel {
                name,
                title: None,
                header,
                rows,
                notes: Vec::new(),
                hidden: false,
                far: None,
            }
        })
        .collect()
}

/// [`SOURCE`] as a district office's workbook: title
/// rows, units in some headers, ids as numbers, some numbers stored as text
/// (one with a thousands separator, one in full-width digits), Excel
/// booleans, a year as a date cell, rates formatted as percentages, notes
/// below each table, and an empty `Sheet3`.
fn office_book() -> Vec<SheetModel> {
    let mut book = plain_book(SOURCE);
    for sh in book.iter_mut() {
        sh.title = Some(format!("万州区2025年{}基本情况表", sh.name));
        sh.notes = vec![
            vec!["注：本表数据截至2025年9月30日，由各校填报、区教委汇总。".to_string()],
            vec![
                "填表人：张三".to_string(),
                String::new(),
                "审核人：李四".to_string(),
                String::new(),
                "填表日期：2025年10月8日".to_string(),
            ],
        ];
    }
    let schools = sheet(&mut book, "学校");
    for (h, unit) in [("在校生数", "（人）"), ("占地面积", "(m²)")] {
        let c = schools.col(h);
        schools.header[c] = format!("{h}{unit}");
    }
    let id = schools.col("学校标识码");
    for r in schools.rows.iter_mut().take(4) {
        if let Cell::Str(v) = &r[id] {
            r[id] = Cell::Num(v.parse().expect("numeric id"));
        }
    }
    schools.set(("学校名称", "万州区机关幼儿园"), "在校生数", s("１２０"));
    schools.set(("学校名称", "万州区龙都幼儿园"), "图书册数", s("3000"));
    schools.set(
        ("学校名称", "万州区童心幼儿园"),
        "教学仪器设备值",
        s("240,000"),
    );
    schools.set(
        ("学校名称", "万州区第一小学"),
        "学校名称",
        s("  万州区第一小学 "),
    );
    schools.set(("学校名称", "万州区机关幼儿园"), "普惠性", Cell::Bool(true));
    schools.set(
        ("学校名称", "万州区江南小学"),
        "校园无线网络",
        Cell::Bool(true),
    );

    let teachers = sheet(&mut book, "教师");
    teachers.set(("教师编号", "P101"), "年工资收入", s("１０５，０００"));
    teachers.set(("教师编号", "P102"), "专任教师", s("Y"));

    let district = sheet(&mut book, "区县");
    district.set(("年份", "2025"), "年份", Cell::Date(2025, 12, 31));
    let rate = district.col("九年义务教育巩固率");
    for r in district.rows.iter_mut() {
        if let Cell::Num(x) = r[rate] {
            r[rate] = Cell::Pct(x / 100.0);
        }
    }
    district.set(("年份", "2024"), "社会认可度", s("92%"));
    district.set(("年份", "2023"), "社会认可度", s("９２％"));
    book
}

/// Writes sheet models as an xlsx workbook (with an empty `Sheet3` if
/// `extra_sheet`).
fn write_book(book: &[SheetModel], extra_sheet: bool) -> Vec<u8> {
    let mut wb = Workbook::new();
    if let Ok(date) = ExcelDateTime::from_ymd(2025, 10, 8) {
        wb.set_properties(
            &rust_xlsxwriter::DocProperties::new()
                .set_author("万州区教委")
                .set_creation_datetime(&date),
        );
    }
    let title_fmt = Format::new().set_bold().set_font_size(16);
    let head_fmt = Format::new().set_bold().set_text_wrap();
    let pct_fmt = Format::new().set_num_format("0%");
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    for sh in book {
        let ws = wb.add_worksheet();
        ws.set_name(&sh.name).expect("sheet name");
        if sh.hidden {
            ws.set_hidden(true);
        }
        if let Some((r, c, v)) = &sh.far {
            ws.write_string(*r, *c, v).expect("far cell");
        }
        let mut r: u32 = 0;
        if let Some(t) = &sh.title {
            let last = (sh.header.len().max(1) - 1) as u16;
            if last > 0 {
                ws.merge_range(0, 0, 0, last, t, &title_fmt).expect("title");
            } else {
                ws.write_string_with_format(0, 0, t, &title_fmt)
                    .expect("title");
            }
            r += 1;
        }
        for (c, h) in sh.header.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, h, &head_fmt)
                .expect("header");
        }
        r += 1;
        for row in &sh.rows {
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Empty => Ok(&mut *ws),
                    Cell::Str(v) => ws.write_string(r, c, v),
                    Cell::Num(x) => ws.write_number(r, c, *x),
                    Cell::Pct(x) => ws.write_number_with_format(r, c, *x, &pct_fmt),
                    Cell::Bool(b) => ws.write_boolean(r, c, *b),
                    Cell::Date(y, m, d) => ws.write_datetime_with_format(
                        r,
                        c,
                        ExcelDateTime::from_ymd(*y, *m, *d).expect("date"),
                        &date_fmt,
                    ),
                    Cell::Error(e) => ws.write_formula(r, c, Formula::new("=1/0").set_result(*e)),
                }
                .expect("cell");
            }
            r += 1;
        }
        if !sh.notes.is_empty() {
            r += 1;
            for note in &sh.notes {
                for (c, v) in note.iter().enumerate() {
                    if !v.is_empty() {
                        ws.write_string(r, c as u16, v).expect("note");
                    }
                }
                r += 1;
            }
        }
    }
    if extra_sheet {
        wb.add_worksheet().set_name("Sheet3").expect("sheet name");
    }
    wb.save_to_buffer().expect("saves")
}

/// The broken workbooks of `fixtures/data-errors-excel/`: the office
/// workbook with one mistake each.
fn broken_books() -> Vec<(&'static str, Vec<SheetModel>)> {
    let mut out = Vec::new();
    let mut add = |name: &'static str, f: &dyn Fn(&mut Vec<SheetModel>)| {
        let mut b = office_book();
        f(&mut b);
        out.push((name, b));
    };
    add("bad-number", &|b| {
        sheet(b, "学校").set(("学校名称", "万州区江南小学"), "在校生数", s("一百"));
    });
    add("formula-error", &|b| {
        sheet(b, "学校").set(
            ("学校名称", "万州区第二初级中学"),
            "生均公用经费",
            Cell::Error("#DIV/0!"),
        );
    });
    add("unknown-label", &|b| {
        sheet(b, "学校").set(("学校名称", "万州区江南小学"), "学校类型", s("小雪"));
    });
    add("date-in-number", &|b| {
        sheet(b, "学校").set(
            ("学校名称", "万州区第二初级中学"),
            "在校生数",
            Cell::Date(1900, 4, 9),
        );
    });
    add("missing-value", &|b| {
        sheet(b, "学校").set(("学校名称", "万州职业教育中心"), "城乡类型", Cell::Empty);
    });
    add("dangling-reference", &|b| {
        sheet(b, "教师").set(("教师编号", "P203"), "学校标识码", s("5001020020"));
    });
    add("duplicate-key", &|b| {
        let classes = sheet(b, "班级");
        let id = classes.col("班级编号");
        let first = classes.rows[0][id].clone();
        let last = classes.rows.len() - 1;
        classes.rows[last][id] = first;
    });
    add("empty-sheet", &|b| {
        let d = sheet(b, "区县");
        d.title = None;
        d.header.clear();
        d.rows.clear();
        d.notes.clear();
    });
    add("no-header", &|b| {
        // The header row's cells name no column (the header was left out
        // when the table was pasted in).
        let d = sheet(b, "区县");
        for (i, h) in d.header.iter_mut().enumerate() {
            *h = format!("第{}列", i + 1);
        }
    });
    add("stray-cell", &|b| {
        // A value typed far from the table (Ctrl+↓ Ctrl+→ and a keystroke).
        sheet(b, "学校").far = Some((1_048_575, 300, "x".to_string()));
    });
    add("duplicate-sheet", &|b| {
        // A copy of the district sheet under the table's English name.
        let mut copy = sheet(b, "区县").clone();
        copy.name = "district".to_string();
        b.push(copy);
    });
    add("ambiguous-sheets", &|b| {
        // No sheet is named 区县; two have 区县 in their names.
        let d = sheet(b, "区县");
        d.name = "区县统计表".to_string();
        let mut copy = d.clone();
        copy.name = "区县统计表(2)".to_string();
        b.push(copy);
    });
    add("warnings-only", &|b| {
        // Nothing wrong, but what was read is said: a hidden sheet read,
        // a sheet read by a longer name, a sheet that holds no table.
        sheet(b, "区县").hidden = true;
        sheet(b, "教师").name = "教师信息表".to_string();
        let mut other = sheet(b, "区县").clone();
        other.name = "汇总".to_string();
        other.hidden = false;
        other.title = None;
        other.header = vec!["项目".to_string(), "数量".to_string()];
        other.rows = vec![vec![s("学校数"), Cell::Num(9.0)]];
        other.notes.clear();
        b.push(other);
    });
    add("missing-column", &|b| {
        let t = sheet(b, "教师");
        let c = t.col("最高学历");
        t.header.remove(c);
        for r in t.rows.iter_mut() {
            r.remove(c);
        }
    });
    out
}

/// Sheet models as an OpenDocument spreadsheet (`.ods`, as LibreOffice or
/// WPS saves it), without number formats: a percentage is a plain number
/// of percent points.
fn write_ods(book: &[SheetModel]) -> Vec<u8> {
    fn esc(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    }
    let text = |v: &str| {
        format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
            esc(v)
        )
    };
    let mut body = String::new();
    for sh in book {
        body += &format!("<table:table table:name=\"{}\">", esc(&sh.name));
        let mut rows: Vec<String> = Vec::new();
        if let Some(title) = &sh.title {
            rows.push(text(title));
        }
        rows.push(sh.header.iter().map(|h| text(h)).collect());
        for row in &sh.rows {
            rows.push(
                row.iter()
                    .map(|c| match c {
                        Cell::Empty => "<table:table-cell/>".to_string(),
                        Cell::Str(v) => text(v),
                        Cell::Error(v) => text(v),
                        Cell::Num(x) => format!(
                            "<table:table-cell office:value-type=\"float\" office:value=\"{x}\"><text:p>{x}</text:p></table:table-cell>"
                        ),
                        // Typed in percent points, as in a sheet without formats.
                        Cell::Pct(x) => {
                            let points = super::cell::num_text(x * 100.0);
                            format!(
                                "<table:table-cell office:value-type=\"float\" office:value=\"{points}\"><text:p>{points}</text:p></table:table-cell>"
                            )
                        }
                        Cell::Bool(b) => format!(
                            "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"{b}\"><text:p>{}</text:p></table:table-cell>",
                            if *b { "TRUE" } else { "FALSE" }
                        ),
                        Cell::Date(y, m, d) => format!(
                            "<table:table-cell office:value-type=\"date\" office:date-value=\"{y:04}-{m:02}-{d:02}\"><text:p>{y:04}-{m:02}-{d:02}</text:p></table:table-cell>"
                        ),
                    })
                    .collect(),
            );
        }
        if !sh.notes.is_empty() {
            rows.push(String::new());
            for note in &sh.notes {
                rows.push(note.iter().map(|v| text(v)).collect());
            }
        }
        for r in rows {
            body += &format!("<table:table-row>{r}</table:table-row>");
        }
        body += "</table:table>";
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest \
        xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
        <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
        </manifest:manifest>";
    rezip(&[
        (
            "mimetype".to_string(),
            b"application/vnd.oasis.opendocument.spreadsheet".to_vec(),
        ),
        (
            "META-INF/manifest.xml".to_string(),
            manifest.as_bytes().to_vec(),
        ),
        ("content.xml".to_string(), content.into_bytes()),
    ])
}

/// Broken workbooks of `fixtures/data-errors-excel/` that are not made from
/// sheets: `(file name, bytes)`.
fn raw_books() -> Vec<(&'static str, Vec<u8>)> {
    // A CSV file saved with the name of a workbook.
    let csv = std::fs::read(root().join(SOURCE).join("区县.csv")).expect("区县.csv");
    // A report pasted into a cell: longer than a cell can hold (Excel
    // itself would not save it; another program did).
    let long = edit_part(
        &write_book(&office_book(), true),
        "xl/sharedStrings.xml",
        |xml| {
            let pasted = "万州区江南小学".to_string() + &"情况说明：".repeat(7_000);
            xml.replacen(">万州区江南小学<", &format!(">{pasted}<"), 1)
        },
    );
    // A sheet that says it expands to 1.5 GB (a zip bomb, or a damaged file).
    let mut large = write_book(&office_book(), true);
    declare_size(&mut large, "xl/worksheets/sheet2.xml", 1_500_000_000);
    // Saved without number formats: a rate typed as 0.97 could be 0.97%
    // or 97%.
    let mut book = office_book();
    sheet(&mut book, "区县").set(("年份", "2024"), "初中三年巩固率", Cell::Num(0.97));
    let ods = write_ods(&book);
    vec![
        ("text-named-xlsx.xlsx", csv),
        ("cell-too-long.xlsx", long),
        ("too-large.xlsx", large),
        ("ambiguous-percent.ods", ods),
    ]
}

/// Regenerates the Excel fixtures (see the module docs).
#[test]
#[ignore]
fn write_excel_fixtures() {
    let dir = root().join("fixtures/excel");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("small-district.xlsx"),
        write_book(&office_book(), true),
    )
    .expect("write");
    let dir = root().join("fixtures/data-errors-excel");
    std::fs::create_dir_all(&dir).expect("mkdir");
    for (name, book) in broken_books() {
        std::fs::write(dir.join(format!("{name}.xlsx")), write_book(&book, true)).expect("write");
    }
    for (name, bytes) in raw_books() {
        std::fs::write(dir.join(name), bytes).expect("write");
    }
}

/// The text report of a loaded submission, without the line naming it.
fn report_text(loaded: &Loaded) -> String {
    let results = crate::eval::check(
        pack(),
        &loaded.submission,
        Vec::new(),
        &Default::default(),
        &|| {},
    );
    let checked = crate::report::Checked::new(pack(), &loaded.submission, &results);
    let text = crate::report::text::render(&checked, &crate::report::text::TextOptions::default());
    text.lines()
        .filter(|l| !l.starts_with("提交:"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn ok(r: Result<Loaded, LoadErrors>) -> Loaded {
    match r {
        Ok(l) => l,
        Err(e) => panic!(
            "does not load:\n{}{}",
            render_plain(&e.warnings),
            render_plain(&e.diags)
        ),
    }
}

/// The text report of [`SOURCE`].
fn csv_report() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let l = ok(load_submission(schema(), &root().join(SOURCE)));
        report_text(&l)
    })
}

/// Whether all `warnings` only say which rows were read (a title above
/// the header, notes below the data).
fn only_read_notes(warnings: &[Diag]) -> bool {
    warnings
        .iter()
        .all(|w| w.code == Code::DataTitleRows || w.code == Code::DataSkippedRows)
}

fn assert_same_report(what: &str, l: &Loaded) {
    assert!(
        only_read_notes(&l.warnings),
        "{what} loads with warnings:\n{}",
        render_plain(&l.warnings)
    );
    let got = report_text(l);
    let want = csv_report();
    if got != want {
        let diff: Vec<String> = want
            .lines()
            .zip(got.lines())
            .filter(|(a, b)| a != b)
            .take(10)
            .map(|(a, b)| format!("- {a}\n+ {b}"))
            .collect();
        panic!(
            "{what}: the report differs from the CSV one of {SOURCE} \
             (if {SOURCE} changed, regenerate the Excel fixtures, see excel_tests.rs):\n{}",
            diff.join("\n")
        );
    }
}

#[test]
fn excel_fixture_reports_like_csv() {
    let path = root().join("fixtures/excel/small-district.xlsx");
    let l = ok(load_submission(schema(), &path));
    assert_same_report("fixtures/excel/small-district.xlsx", &l);
    let sub = &l.submission;
    assert_eq!(sub.name, "small-district");
    assert_eq!(sub.files.len(), 1);
    // Each sheet: a title row, the header, the data, a blank row, two notes.
    let sizes: Vec<(String, usize)> = csv_tables(SOURCE)
        .into_iter()
        .map(|(name, _, rows)| (name, rows.len()))
        .collect();
    let note: Vec<String> = sizes
        .iter()
        .map(|(name, n)| {
            format!(
                "sheet {name}: header row 2, title rows 1 not read, data rows 3–{} ({n} rows), notes in rows {}–{} not read",
                n + 2,
                n + 4,
                n + 5
            )
        })
        .collect();
    assert_eq!(sub.files[0].note.as_deref(), Some(note.join("; ").as_str()));
    assert_eq!(
        sub.row_location(0, 1).as_deref(),
        Some("small-district.xlsx 学校!4")
    );
    for ((name, n), r) in sizes.iter().zip(&l.rows) {
        assert_eq!(
            r,
            &RowCounts {
                table: r.table.clone(),
                input: format!("small-district.xlsx {name}"),
                title: 1,
                records: n + 3,
                loaded: *n,
                with_errors: 0,
                blank: 1,
                notes: 2,
            }
        );
    }
    // The generator still writes what is committed (up to the zip's bytes).
    let again = ok(load_workbook_from_memory(
        schema(),
        "small-district.xlsx",
        &write_book(&office_book(), true),
        &LoadOptions::default(),
    ));
    assert_eq!(report_text(&again), report_text(&l));
}

#[test]
fn excel_data_errors() {
    insta::glob!("../../fixtures/data-errors-excel", "*.{xlsx,ods}", |path| {
        let e = match load_submission(schema(), path) {
            // A workbook whose mistakes are only warnings loads: its
            // warnings (other than the title and note rows not read) are
            // what it shows.
            Ok(l) => {
                let said: Vec<Diag> = l
                    .warnings
                    .into_iter()
                    .filter(|w| !only_read_notes(std::slice::from_ref(w)))
                    .collect();
                assert!(
                    !said.is_empty(),
                    "{} loaded, but it has a mistake",
                    path.display()
                );
                insta::assert_snapshot!(format!("{}loaded\n", render_plain(&said)));
                return;
            }
            Err(e) => e,
        };
        assert_eq!(
            e.diags.len(),
            1,
            "{}: one mistake, one error:\n{}",
            path.display(),
            render_plain(&e.diags)
        );
        assert!(
            only_read_notes(&e.warnings),
            "{}",
            render_plain(&e.warnings)
        );
        insta::assert_snapshot!(render_plain(&e.diags));
    });
}

/// The fixtures are what the generator writes: no broken workbook is
/// missing and none is stale.
#[test]
fn excel_error_fixtures_are_generated() {
    let mut names: Vec<String> = std::fs::read_dir(root().join("fixtures/data-errors-excel"))
        .expect("fixtures/data-errors-excel")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut want: Vec<String> = broken_books()
        .iter()
        .map(|(n, _)| format!("{n}.xlsx"))
        .chain(raw_books().iter().map(|(n, _)| n.to_string()))
        .collect();
    want.sort();
    assert_eq!(names, want);
}

#[test]
fn xlsx_template_filled_in_reports_like_csv() {
    let mut wb = xlsx_template(schema()).expect("template");
    for (name, header, rows) in csv_tables(SOURCE) {
        let def = schema()
            .tables
            .iter()
            .find(|t| t.label() == name)
            .expect("table");
        let ws = wb.worksheet_from_name(&name).expect("sheet");
        for (r, row) in rows.iter().enumerate() {
            for (v, h) in row.iter().zip(&header) {
                let c = super::header::find_column(def, h).expect("column") as u16;
                let r = r as u32 + 2;
                match typed(def, h, v) {
                    Cell::Num(x) => ws.write_number(r, c, x).map(|_| ()),
                    Cell::Str(t) => ws.write_string(r, c, t).map(|_| ()),
                    _ => Ok(()),
                }
                .expect("cell");
            }
        }
    }
    let bytes = wb.save_to_buffer().expect("saves");
    let l = ok(load_workbook_from_memory(
        schema(),
        "模板.xlsx",
        &bytes,
        &LoadOptions::default(),
    ));
    assert_same_report("the filled-in xlsx template", &l);
    let note = l.submission.files[0].note.clone().unwrap_or_default();
    let schools = l.submission.tables[0].rows;
    assert!(
        note.starts_with(&format!(
            "sheet 学校: header row 1, template row 2 skipped, data rows 3–{} ({schools} rows); ",
            schools + 2
        )),
        "{note}"
    );
}

#[test]
fn csv_template_filled_in_reports_like_csv() {
    let tables = csv_tables(SOURCE);
    let mut files: Vec<(String, Vec<u8>)> = csv_template(schema());
    for ((name, bytes), (_, header, rows)) in files.iter_mut().zip(&tables) {
        let def = schema()
            .tables
            .iter()
            .find(|t| format!("{}.csv", t.label()) == *name)
            .expect("table");
        let mut w = csv::Writer::from_writer(Vec::new());
        for row in rows {
            let mut out = vec![String::new(); def.columns.len()];
            for (v, h) in row.iter().zip(header) {
                out[super::header::find_column(def, h).expect("column")] = v.clone();
            }
            w.write_record(&out).expect("row");
        }
        bytes.extend(w.into_inner().expect("csv"));
    }
    let input: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let l = ok(load_from_memory(
        schema(),
        "template",
        &input,
        &LoadOptions::default(),
    ));
    assert_same_report("the filled-in CSV template", &l);
    // The template row is not a row of data: lines are as in the file.
    assert_eq!(l.submission.tables[0].source.lines.first(), Some(&3));
}

#[test]
fn empty_templates_load_with_no_rows() {
    let mut wb = xlsx_template(schema()).expect("template");
    let l = ok(load_workbook_from_memory(
        schema(),
        "模板.xlsx",
        &wb.save_to_buffer().expect("saves"),
        &LoadOptions::default(),
    ));
    assert!(l.warnings.is_empty(), "{}", render_plain(&l.warnings));
    assert!(l.submission.tables.iter().all(|t| t.rows == 0));
    let files = csv_template(schema());
    let input: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let l = ok(load_from_memory(
        schema(),
        "t",
        &input,
        &LoadOptions::default(),
    ));
    assert!(l.submission.tables.iter().all(|t| t.rows == 0));
    assert!(l.rows.iter().all(|r| r.records == 0), "{:?}", l.rows);
}

// ---- Sheets read by a small schema -------------------------------------

/// A small workbook for one test: `(sheet, rows)`, rows of cells.
fn small_book(sheets: &[(&str, Vec<Vec<Cell>>)]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let pct_fmt = Format::new().set_num_format("0.0%");
    let date_fmt = Format::new().set_num_format("yyyy年m月d日");
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Cell::Empty => Ok(&mut *ws),
                    Cell::Str(v) => ws.write_string(r, c, v),
                    Cell::Num(x) => ws.write_number(r, c, *x),
                    Cell::Pct(x) => ws.write_number_with_format(r, c, *x, &pct_fmt),
                    Cell::Bool(b) => ws.write_boolean(r, c, *b),
                    Cell::Date(y, m, d) => ws.write_datetime_with_format(
                        r,
                        c,
                        ExcelDateTime::from_ymd(*y, *m, *d).expect("date"),
                        &date_fmt,
                    ),
                    Cell::Error(e) => ws.write_formula(r, c, Formula::new("=1/0").set_result(*e)),
                }
                .expect("cell");
            }
        }
    }
    wb.save_to_buffer().expect("saves")
}

fn n(x: f64) -> Cell {
    Cell::Num(x)
}

fn row(cells: &[&str]) -> Vec<Cell> {
    cells
        .iter()
        .map(|c| if c.is_empty() { Cell::Empty } else { s(c) })
        .collect()
}

/// The small schema of `tests.rs`.
fn small_schema() -> Schema {
    super::tests::schema()
}

fn load_small(bytes: &[u8]) -> Result<Loaded, LoadErrors> {
    load_workbook_from_memory(&small_schema(), "报表.xlsx", bytes, &LoadOptions::default())
}

fn schools_header() -> Vec<Cell> {
    row(&[
        "学校标识码",
        "学校名称",
        "学段",
        "在校生数",
        "合格率",
        "校园无线网络",
        "建校年份",
    ])
}

#[test]
fn sheets_with_titles_notes_and_odd_cells() {
    let bytes = small_book(&[
        (
            "学校",
            vec![
                row(&["万州区2025年学校基本情况表"]),
                row(&["填报单位：万州区教委", "", "", "", "", "单位：人"]),
                schools_header(),
                vec![
                    n(5001001.0),
                    s("第一小学"),
                    s("小学"),
                    n(1200.0),
                    n(95.5),
                    Cell::Bool(true),
                    n(1952.0),
                ],
                vec![
                    s("5001002"),
                    s("第二\n中学"),
                    s(" 初中 "),
                    s("８００"),
                    Cell::Pct(0.88),
                    s("否"),
                    Cell::Date(2001, 9, 1),
                ],
                row(&[]),
                vec![
                    s("5001003"),
                    s("阳光幼儿园"),
                    s("幼儿园"),
                    s("1,200"),
                    s("100%"),
                    Cell::Empty,
                    Cell::Empty,
                ],
                row(&[]),
                row(&["合计", "", "", "3200"]),
                row(&["注：在校生数不含附设班。"]),
                row(&["", "填表人：王五"]),
            ],
        ),
        ("Sheet2", vec![]),
    ]);
    let l = ok(load_small(&bytes));
    let kinds: Vec<&str> = l.warnings.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "dudao::data::missing_table",
            "dudao::data::missing_table",
            "dudao::data::title_rows",
            "dudao::data::skipped_rows",
            "dudao::data::skipped_rows",
        ]
    );
    // Each says what was not read, where.
    insta::assert_snapshot!("sheet_read_notes", render_plain(&l.warnings[2..]));
    let t = &l.submission.tables[0];
    assert_eq!(t.rows, 3);
    assert_eq!(t.source.lines, [4, 5, 7]);
    assert_eq!(t.source.sheet.as_deref(), Some("学校"));
    assert_eq!(t.columns[0].text(0), Some("5001001"));
    assert_eq!(t.columns[1].text(1), Some("第二\n中学"));
    assert!(matches!(&t.columns[2], ColumnData::Enum(v) if v == &[0, 1, 2]));
    assert!(matches!(&t.columns[3], ColumnData::Int(v) if v == &[1200, 800, 1200]));
    assert!(matches!(&t.columns[4], ColumnData::Dec(v) if v == &[0.955, 0.88, 1.0]));
    assert!(matches!(&t.columns[5], ColumnData::Bool(v) if v == &[1, 0, NULL_BOOL]));
    assert!(matches!(&t.columns[6], ColumnData::Year(v) if v == &[1952, 2001, NULL_YEAR]));
    assert_eq!(
        l.submission.files[0].note.as_deref(),
        Some(
            "sheet 学校: header row 3, title rows 1–2 not read, data rows 4–7 (3 rows), notes in rows 9–11 not read"
        )
    );
    assert_eq!(
        l.rows,
        [RowCounts {
            table: "schools".to_string(),
            input: "报表.xlsx 学校".to_string(),
            title: 2,
            records: 8,
            loaded: 3,
            with_errors: 0,
            blank: 2,
            notes: 3,
        }]
    );
    assert_eq!(
        l.submission.row_location(0, 2).as_deref(),
        Some("报表.xlsx 学校!7")
    );
}

/// A row that looks like data is reported even among the notes; only the
/// notes after it are skipped.
#[test]
fn a_data_row_below_the_notes_is_not_dropped() {
    let bytes = small_book(&[(
        "学校",
        vec![
            schools_header(),
            row(&["5001001", "第一小学", "小学", "1200", "95"]),
            row(&["注：…"]),
            row(&["5001002", "第二中学", "初中", "八百", "95"]),
            row(&["填表人：王五"]),
        ],
    )]);
    let e = load_small(&bytes).expect_err("a bad row");
    let got: Vec<(&str, &str)> = e
        .diags
        .iter()
        .map(|d| (d.code.as_str(), d.source_name()))
        .collect();
    assert_eq!(
        got,
        [
            ("dudao::data::missing_value", "报表.xlsx 学校!B3"),
            ("dudao::data::missing_value", "报表.xlsx 学校!C3"),
            ("dudao::data::missing_value", "报表.xlsx 学校!D3"),
            ("dudao::data::missing_value", "报表.xlsx 学校!E3"),
            ("dudao::data::bad_number", "报表.xlsx 学校!D4"),
        ]
    );
    assert_eq!(e.diags[4].message, "`八百` is not a whole number");
    assert_eq!(
        e.rows[0],
        RowCounts {
            table: "schools".to_string(),
            input: "报表.xlsx 学校".to_string(),
            title: 0,
            records: 4,
            loaded: 1,
            with_errors: 2,
            blank: 0,
            notes: 1,
        }
    );
}

#[test]
fn sheet_cell_errors_name_the_cell() {
    let bytes = small_book(&[
        (
            "学校",
            vec![
                row(&["学校情况"]),
                schools_header(),
                vec![
                    s("5001001"),
                    s("第一小学"),
                    s("小学"),
                    Cell::Error("#DIV/0!"),
                    n(95.0),
                ],
                vec![
                    s("5001002"),
                    s("第二中学"),
                    s("小雪"),
                    Cell::Date(1900, 3, 1),
                    n(95.0),
                    n(2.0),
                    s("二〇〇一"),
                ],
                vec![
                    s("5001001"),
                    s("重复"),
                    s("初中"),
                    n(12.5),
                    s("95%"),
                    Cell::Bool(false),
                    Cell::Date(2150, 1, 1),
                ],
            ],
        ),
        (
            "teachers",
            vec![
                row(&["教师编号", "所在学校", "年收入"]),
                row(&["T1", "5001009", "8,5000"]),
            ],
        ),
    ]);
    let e = load_small(&bytes).expect_err("errors");
    let got: Vec<(&str, &str)> = e
        .diags
        .iter()
        .map(|d| (d.code.as_str(), d.source_name()))
        .collect();
    assert_eq!(
        got,
        [
            ("dudao::data::cell_error", "报表.xlsx 学校!D3"),
            ("dudao::data::unknown_label", "报表.xlsx 学校!C4"),
            ("dudao::data::unexpected_date", "报表.xlsx 学校!D4"),
            ("dudao::data::bad_bool", "报表.xlsx 学校!F4"),
            ("dudao::data::bad_year", "报表.xlsx 学校!G4"),
            ("dudao::data::duplicate_key", "报表.xlsx 学校!A5"),
            ("dudao::data::bad_number", "报表.xlsx 学校!D5"),
            ("dudao::data::bad_year", "报表.xlsx 学校!G5"),
            ("dudao::data::dangling_reference", "报表.xlsx teachers!B2"),
            ("dudao::data::bad_number", "报表.xlsx teachers!C2"),
        ]
    );
    let msgs: Vec<&str> = e.diags.iter().map(|d| d.message.en()).collect();
    assert_eq!(
        msgs,
        [
            "the cell holds the spreadsheet error `#DIV/0!`, not a value for `在校生数` (students)",
            "`小雪` is not a valid value for `学段` (stage)",
            "the cell holds the date `1900-03-01`, but `在校生数` (students) holds numbers",
            "`2` is not a yes/no value",
            "`二〇〇一` is not a year",
            "row 5 repeats the key of row 3 in sheet `学校`: `学校标识码` = `5001001`",
            "`12.5` is not a whole number",
            "year `2150-01-01` is out of range",
            "`所在学校` (school) at teachers!B2 refers to `5001009`, which is not in sheet `学校`",
            "`8,5000` is not a valid number",
        ]
    );
    insta::assert_snapshot!("sheet_cell_errors", render_plain(&e.diags));
}

#[test]
fn sheet_references_and_structure() {
    let bytes = small_book(&[
        (
            "学校",
            vec![
                row(&[
                    "学校标识码",
                    "学校名称",
                    "学段",
                    "在校生数",
                    "合格率",
                    "学校名称",
                    "",
                    "颜色",
                ]),
                row(&["5001001", "A", "小学", "1", "2", "A", "", "红"]),
                row(&["5001002", "B", "小学", "1", "2", "B", "x", ""]),
            ],
        ),
        (
            "教师",
            vec![row(&["教师编号", "所在学校"]), row(&["T1", "5001011"])],
        ),
        ("Teachers", vec![row(&["教师编号", "所在学校"])]),
        ("学生", vec![row(&["学号"]), row(&["S1"])]),
    ]);
    let e = load_small(&bytes).expect_err("errors");
    let got: Vec<(&str, &str, &str)> = e
        .diags
        .iter()
        .map(|d| (d.code.as_str(), d.source_name(), d.message.en()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "dudao::data::duplicate_sheet",
                "报表.xlsx Teachers",
                "sheets `教师` and `Teachers` of `报表.xlsx` both hold table 教师 (teachers)"
            ),
            (
                "dudao::data::duplicate_column",
                "报表.xlsx 学校!F1",
                "column `学校名称` (name) appears twice in sheet `学校`"
            ),
            (
                "dudao::data::unknown_column",
                "报表.xlsx 学校!H1",
                "unknown column `颜色` in sheet `学校`"
            ),
            (
                "dudao::data::unnamed_column",
                "报表.xlsx 学校!G3",
                "column G of sheet `学校` has no header but holds data"
            ),
            (
                "dudao::data::dangling_reference",
                "报表.xlsx 教师!B2",
                "`所在学校` (school) at 教师!B2 refers to `5001011`, which is not in sheet `学校`"
            ),
        ]
    );
    assert_eq!(
        e.diags[4].help.as_ref().map(|h| h.en()),
        Some("did you mean `5001001`?")
    );
    let w: Vec<&str> = e.warnings.iter().map(|d| d.message.en()).collect();
    assert_eq!(
        w,
        [
            "sheet `学生` of `报表.xlsx` matches no table; it is ignored",
            "no sheet for table 区县 (district) in `报表.xlsx`; it is loaded with no rows"
        ]
    );
    insta::assert_snapshot!("sheet_structure_errors", render_plain(&e.diags[1..]));
}

#[test]
fn sheets_without_a_header_or_rows() {
    let bytes = small_book(&[(
        "学校",
        vec![row(&["万州区学校情况"]), row(&["a", "b"]), row(&["1", "2"])],
    )]);
    let e = load_small(&bytes).expect_err("errors");
    let got: Vec<(&str, &str)> = e
        .diags
        .iter()
        .map(|d| (d.code.as_str(), d.source_name()))
        .collect();
    assert_eq!(got, [("dudao::data::no_header", "报表.xlsx 学校!A1")]);
    // An empty sheet for a table is like an empty file.
    let bytes = small_book(&[("区县", vec![])]);
    let e = load_small(&bytes).expect_err("errors");
    assert_eq!(e.diags[0].message, "sheet `区县` of `报表.xlsx` is empty");
    // Missing columns point at the header row.
    let bytes = small_book(&[("区县", vec![row(&["年份"]), row(&["2025"])])]);
    let e = load_small(&bytes).expect_err("errors");
    assert_eq!(
        e.diags[0].message,
        "sheet `区县` has no column `人口` (population)"
    );
    assert_eq!(e.diags[0].source_name(), "报表.xlsx 区县!A1");
}

#[test]
fn not_a_workbook() {
    let e = load_small(b"id,name\n1,a\n").expect_err("text");
    assert_eq!(e.diags[0].message, "`报表.xlsx` is not an Excel workbook");
    assert!(
        e.diags[0]
            .help
            .as_ref()
            .map(|h| h.en())
            .is_some_and(|h| h.contains("the file is text"))
    );
    let e = load_small(b"PK\x03\x04garbage").expect_err("zip");
    assert!(
        e.diags[0]
            .message
            .en()
            .starts_with("cannot read `报表.xlsx` as a workbook: "),
        "{}",
        e.diags[0].message.en()
    );
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend([0u8; 600]);
    let e = load_small(&ole).expect_err("xls");
    assert_eq!(e.diags[0].code, "dudao::data::workbook");
    let e = load_small(b"").expect_err("empty");
    assert_eq!(
        e.diags[0].help.as_ref().map(|h| h.en()),
        Some("the file is empty")
    );
}

#[test]
fn workbook_paths() {
    assert!(is_workbook_path(Path::new("a/报表.xlsx")));
    assert!(is_workbook_path(Path::new("报表.XLS")));
    assert!(!is_workbook_path(Path::new("学校.csv")));
    assert!(!is_workbook_path(Path::new(SOURCE)));
    let e =
        load_submission(&small_schema(), Path::new("/nonexistent/报表.xlsx")).expect_err("missing");
    assert_eq!(
        e.diags[0].message,
        "workbook `/nonexistent/报表.xlsx` does not exist"
    );
}

/// Headers in forms carry units and line breaks.
#[test]
fn headers_with_units_and_line_breaks() {
    let bytes = small_book(&[(
        "学校",
        vec![
            row(&[
                "学校\n标识码",
                "学校名称",
                "学段",
                "在校生数（人）",
                "合格率(%)",
            ]),
            row(&["5001001", "A", "小学", "1", "95"]),
        ],
    )]);
    let l = ok(load_small(&bytes));
    assert_eq!(l.submission.tables[0].rows, 1);
    // A unit that is not the column's is not accepted.
    let bytes = small_book(&[(
        "学校",
        vec![
            row(&[
                "学校标识码",
                "学校名称",
                "学段",
                "在校生数（万人）",
                "合格率",
            ]),
            row(&["5001001", "A", "小学", "1", "95"]),
        ],
    )]);
    let e = load_small(&bytes).expect_err("wrong unit");
    // One mistake, one error: not also "no column 在校生数".
    let codes: Vec<&str> = e.diags.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["dudao::data::unknown_column"]);
    assert_eq!(
        e.diags[0].message,
        "unknown column `在校生数（万人）` in sheet `学校`"
    );
    assert_eq!(
        e.diags[0].help.as_ref().map(|h| h.en()),
        Some("did you mean `在校生数`? (a unit in brackets must be the column's: `人`)")
    );
}

/// A stray value far from the table is refused before the sheet's
/// bounding box (17 billion cells) is allocated.
#[test]
fn a_stray_cell_far_away_is_an_error() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("学校").expect("name");
    ws.write_string(0, 0, "学校标识码").expect("cell");
    ws.write_string(1_048_575, 16_383, "x").expect("cell");
    let e = load_small(&wb.save_to_buffer().expect("saves")).expect_err("stray");
    assert_eq!(
        e.diags[0].message,
        "sheet `学校` of `报表.xlsx` has a value at XFD1048576, far from its other 1 cells"
    );
}

/// Messy cells: CSV and sheets accept the same spellings (sheets also get
/// typed cells: numbers, booleans, dates).
#[test]
fn messy_cells_read_the_same_from_csv_and_sheets() {
    let csv_text = "\
学校标识码,学校名称,学段,在校生数,合格率,校园无线网络,建校年份
5001001, 第一小学 ,小学,\"12,345\",55%,是,2001
5001002,第二小学,primary,１２３,５５％,Y,2001年
5001003,第三小学,初中,1200.0,55,1,2001-09-01
5001004,第四小学,幼儿园,－５,55.0,TRUE,2001/9/1
5001005,第五小学,初中,\"１２，３４５\",0.55,否,20010901
5001006,第六小学,初中,7,100,N,２００１
5001007,第七小学,初中,7,100,0,2001.0
5001008,第八小学,初中,7,100,FALSE,2001年9月1日
5001009,第九小学,初中,7,100,无,
";
    let csv = ok(load_tables_from_strings(
        &small_schema(),
        &[("学校.csv", csv_text.as_bytes())],
    ));
    // The same cells as text in a sheet.
    let text_rows: Vec<Vec<Cell>> = csv_text
        .lines()
        .map(|l| {
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(l.as_bytes());
            let rec = rdr.records().next().expect("row").expect("row");
            rec.iter()
                .map(|c| if c.is_empty() { Cell::Empty } else { s(c) })
                .collect()
        })
        .collect();
    let as_text = ok(load_small(&small_book(&[("学校", text_rows.clone())])));
    // Typed cells where a spreadsheet would have them.
    let mut typed_rows = text_rows;
    typed_rows[1][3] = n(12345.0);
    typed_rows[1][4] = Cell::Pct(0.55);
    typed_rows[1][5] = Cell::Bool(true);
    typed_rows[1][6] = n(2001.0);
    typed_rows[3][3] = n(1200.0);
    typed_rows[3][4] = n(55.0);
    typed_rows[3][6] = Cell::Date(2001, 9, 1);
    typed_rows[4][3] = n(-5.0);
    typed_rows[4][5] = Cell::Bool(true);
    typed_rows[5][0] = n(5001005.0);
    typed_rows[5][4] = n(0.55);
    typed_rows[8][5] = Cell::Bool(false);
    let typed = ok(load_small(&small_book(&[("学校", typed_rows)])));
    let cols = |l: &Loaded| format!("{:?}", l.submission.tables[0].columns);
    assert_eq!(cols(&csv), cols(&as_text));
    assert_eq!(cols(&csv), cols(&typed));
    let t = &csv.submission.tables[0];
    assert!(
        matches!(&t.columns[3], ColumnData::Int(v) if v == &[12345, 123, 1200, -5, 12345, 7, 7, 7, 7])
    );
    assert!(
        matches!(&t.columns[4], ColumnData::Dec(v) if v[..5] == [0.55, 0.55, 0.55, 0.55, 0.0055])
    );
    assert!(matches!(&t.columns[5], ColumnData::Bool(v) if v == &[1, 1, 1, 1, 0, 0, 0, 0, 0]));
    assert!(matches!(&t.columns[6], ColumnData::Year(v) if v[..8] == [2001; 8]));
    assert_eq!(t.columns[1].text(0), Some("第一小学"));
}

/// Errors in workbooks are capped like CSV errors, with the rest counted.
#[test]
fn workbook_errors_are_capped() {
    let mut rows = vec![schools_header()];
    for i in 0..70 {
        rows.push(row(&[&format!("50010{i:02}"), "A", "小学", "x", "1"]));
    }
    let bytes = small_book(&[("学校", rows)]);
    let e = load_workbook_from_memory(
        &small_schema(),
        "报表.xlsx",
        &bytes,
        &LoadOptions { max_errors: 5 },
    )
    .expect_err("errors");
    assert_eq!((e.diags.len(), e.more), (5, 65));
    let cells: Vec<&str> = e.diags.iter().map(|d| d.source_name()).collect();
    assert_eq!(
        cells,
        [
            "报表.xlsx 学校!D2",
            "报表.xlsx 学校!D3",
            "报表.xlsx 学校!D4",
            "报表.xlsx 学校!D5",
            "报表.xlsx 学校!D6"
        ]
    );
    assert_eq!(e.rows[0].with_errors, 70);
}

/// An enum too long for an inline list validation gets its labels on a
/// hidden sheet, which the loader ignores.
#[test]
fn long_enum_lists_go_to_a_hidden_sheet() {
    let mut schema = small_schema();
    schema.enums[0].variants = (0..40)
        .map(|i| crate::schema::Variant {
            name: format!("variant{i}"),
            aliases: vec![format!("一个很长的学段名称第{i}号")],
        })
        .collect();
    let mut wb = xlsx_template(&schema).expect("template");
    let ws = wb.worksheet_from_name("学校").expect("sheet");
    for (c, v) in ["5001001", "A", "一个很长的学段名称第7号", "10", "95"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *v).expect("cell");
    }
    let bytes = wb.save_to_buffer().expect("saves");
    let l = ok(load_workbook_from_memory(
        &schema,
        "模板.xlsx",
        &bytes,
        &LoadOptions::default(),
    ));
    assert!(l.warnings.is_empty(), "{}", render_plain(&l.warnings));
    assert!(matches!(&l.submission.tables[0].columns[2], ColumnData::Enum(v) if v == &[7]));
}

#[test]
fn write_template_to_disk() {
    use super::template::{TemplateFormat, write_template};
    let dir = std::env::temp_dir().join(format!("dudao-template-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let book = dir.join("sub").join("模板.xlsx");
    let written = write_template(schema(), None, &book).expect("xlsx");
    assert_eq!(written, std::slice::from_ref(&book));
    let folder = dir.join("csv");
    let written = write_template(schema(), None, &folder).expect("csv");
    assert_eq!(written.len(), schema().tables.len());
    let again = write_template(schema(), Some(TemplateFormat::Csv), &folder);
    let xlsx_loaded = load_submission(schema(), &book);
    let csv_loaded = load_submission(schema(), &folder);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(again.is_err_and(|d| d.message.en().ends_with("already exists")));
    assert!(
        ok(xlsx_loaded)
            .submission
            .tables
            .iter()
            .all(|t| t.rows == 0)
    );
    assert!(ok(csv_loaded).submission.tables.iter().all(|t| t.rows == 0));
}

/// [`small_book`] with some sheets hidden.
fn small_book_hidden(sheets: &[(&str, Vec<Vec<Cell>>)], hidden: &[&str]) -> Vec<u8> {
    let mut wb = Workbook::new();
    // Rebuilt with rust_xlsxwriter: only strings are needed here.
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if let Cell::Str(v) = cell {
                    ws.write_string(r as u32, c as u16, v).expect("cell");
                }
            }
        }
        if hidden.contains(name) {
            ws.set_hidden(true);
        }
    }
    wb.save_to_buffer().expect("saves")
}

fn schools_sheet() -> Vec<Vec<Cell>> {
    vec![
        schools_header(),
        row(&["5001001", "第一小学", "小学", "1200", "95", "是", ""]),
    ]
}

/// Sheets named like a table (`学校基本情况表`) hold it, with a note saying
/// which sheet was taken; a hidden sheet is used with a warning; two
/// sheets like one table are an error.
#[test]
fn sheets_named_like_a_table() {
    let bytes = small_book(&[
        ("学校基本情况表", schools_sheet()),
        (
            "教师信息表",
            vec![row(&["教师编号", "所在学校"]), row(&["T1", "5001001"])],
        ),
        ("区县", vec![row(&["年份", "人口"]), row(&["2025", "1"])]),
    ]);
    let l = ok(load_small(&bytes));
    let w: Vec<(&str, &str, &str)> = l
        .warnings
        .iter()
        .map(|d| (d.code.as_str(), d.source_name(), d.message.zh()))
        .filter(|(c, _, _)| *c != "dudao::data::title_rows")
        .collect();
    assert_eq!(
        w,
        [
            (
                "dudao::data::name_matched",
                "报表.xlsx 学校基本情况表",
                "工作簿 `报表.xlsx` 的工作表 `学校基本情况表` 的名称含有 `学校`，按表 学校 (schools) 的数据读取"
            ),
            (
                "dudao::data::name_matched",
                "报表.xlsx 教师信息表",
                "工作簿 `报表.xlsx` 的工作表 `教师信息表` 的名称含有 `教师`，按表 教师 (teachers) 的数据读取"
            ),
        ]
    );
    assert_eq!(l.submission.tables[1].rows, 1);
    assert_eq!(
        l.submission.row_location(0, 0).as_deref(),
        Some("报表.xlsx 学校基本情况表!2")
    );

    // A sheet named exactly wins; the other is ignored, saying so.
    let bytes = small_book(&[("学校(旧)", schools_sheet()), ("学校", schools_sheet())]);
    let l = ok(load_small(&bytes));
    assert_eq!(l.warnings[0].code, "dudao::data::unknown_sheet");
    assert_eq!(
        l.warnings[0].help.as_ref().map(|h| h.zh()),
        Some("表 学校 (schools) 的数据取自工作表 `学校`")
    );

    // Two sheets like one table: an error.
    let bytes = small_book(&[
        ("学校基本情况表", schools_sheet()),
        ("学校基本情况表(2)", schools_sheet()),
    ]);
    let e = load_small(&bytes).expect_err("ambiguous");
    assert_eq!(e.diags[0].code, "dudao::data::ambiguous_name");
    assert_eq!(
        e.diags[0].message.zh(),
        "工作簿 `报表.xlsx` 的工作表 `学校基本情况表`、`学校基本情况表(2)` 的名称都像是表 学校 (schools)，无法判断该读取哪一个"
    );

    // A hidden sheet holding a table is read, with a warning; a visible
    // sheet like the table wins over a hidden one.
    // (A workbook keeps its first sheet visible.)
    let bytes = small_book_hidden(&[("Sheet1", vec![]), ("学校", schools_sheet())], &["学校"]);
    let l = ok(load_small(&bytes));
    let hidden: Vec<&Diag> = l
        .warnings
        .iter()
        .filter(|w| w.code == "dudao::data::hidden_sheet")
        .collect();
    assert_eq!(hidden.len(), 1);
    assert_eq!(
        hidden[0].message.zh(),
        "工作簿 `报表.xlsx` 的工作表 `学校` 是隐藏的，仍按表 学校 (schools) 的数据读取"
    );
    assert_eq!(l.submission.tables[0].rows, 1);
    let bytes = small_book_hidden(
        &[
            ("学校表", schools_sheet()),
            ("学校表(备份)", schools_sheet()),
        ],
        &["学校表(备份)"],
    );
    let l = ok(load_small(&bytes));
    assert_eq!(
        l.submission.row_location(0, 0).as_deref(),
        Some("报表.xlsx 学校表!2")
    );
}

/// The parts of a zip archive, in order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("part");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("read");
            (f.name().expect("name").into_owned(), data)
        })
        .collect()
}

fn rezip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        w.start_file(name.as_str(), opts).expect("start");
        w.write_all(data).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

/// A workbook with `part` edited by `f`.
fn edit_part(bytes: &[u8], part: &str, f: impl Fn(&str) -> String) -> Vec<u8> {
    let parts: Vec<(String, Vec<u8>)> = unzip(bytes)
        .into_iter()
        .map(|(n, d)| {
            if n == part {
                let text = String::from_utf8(d).expect("xml");
                let edited = f(&text);
                assert_ne!(edited, text, "{part} not edited");
                (n, edited.into_bytes())
            } else {
                (n, d)
            }
        })
        .collect();
    rezip(&parts)
}

/// Sets the uncompressed size `part` declares, in the archive's directory
/// and in its local header.
fn declare_size(bytes: &mut [u8], part: &str, size: u32) {
    let u16_at = |b: &[u8], i: usize| u16::from_le_bytes([b[i], b[i + 1]]) as usize;
    let mut found = false;
    for i in 0..bytes.len().saturating_sub(46) {
        let (sig, size_at, name_len_at, name_at) = match &bytes[i..i + 4] {
            b"PK\x01\x02" => ("central", 24, 28, 46),
            b"PK\x03\x04" => ("local", 22, 26, 30),
            _ => continue,
        };
        let n = u16_at(bytes, i + name_len_at);
        if bytes.get(i + name_at..i + name_at + n) == Some(part.as_bytes()) {
            bytes[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
            found |= sig == "central";
        }
    }
    assert!(found, "{part} not in the archive");
}

/// A workbook whose parts declare more than their limits is refused before
/// anything is decompressed, naming the sheet; a part that declares less
/// than it holds cannot expand past what it declares.
#[test]
fn workbooks_that_expand_too_far_are_refused() {
    let good = small_book(&[("学校", schools_sheet()), ("附表", schools_sheet())]);
    let mut sheet = good.clone();
    declare_size(&mut sheet, "xl/worksheets/sheet2.xml", 1_500_000_000);
    let e = load_small(&sheet).expect_err("too large");
    assert_eq!(e.diags[0].code, "dudao::data::too_large");
    assert_eq!(
        e.diags[0].message.zh(),
        "工作簿 `报表.xlsx` 的工作表 `附表` 解压后有 1.4 GiB，超过了 256 MiB 的上限，没有读取"
    );
    let mut strings = good.clone();
    declare_size(&mut strings, "xl/sharedStrings.xml", 1 << 30);
    let e = load_small(&strings).expect_err("too large");
    assert_eq!(
        e.diags[0].message.zh(),
        "工作簿 `报表.xlsx` 的共享字符串表（单元格中的文字）解压后有 1 GiB，超过了 128 MiB 的上限，没有读取"
    );
    // Parts within their limits, too much together.
    let five: Vec<(&str, Vec<Vec<Cell>>)> = ["学校", "a", "b", "c", "d"]
        .iter()
        .map(|n| (*n, schools_sheet()))
        .collect();
    let mut all = small_book(&five);
    for i in 1..=5 {
        declare_size(&mut all, &format!("xl/worksheets/sheet{i}.xml"), 250 << 20);
    }
    let e = load_small(&all).expect_err("too large");
    assert_eq!(
        e.diags[0].message.en(),
        "`报表.xlsx` expands to more than 1.2 GiB, over the limit of 1 GiB; it is not read"
    );
    // A part declaring less than it holds: the reader stops at the
    // declared size, with an error.
    let mut lying = good.clone();
    declare_size(&mut lying, "xl/sharedStrings.xml", 10);
    let e = load_small(&lying).expect_err("damaged");
    assert_eq!(e.diags[0].code, "dudao::data::workbook");
    assert!(ok(load_small(&good)).submission.tables[0].rows == 1);
}

/// A cell referring to a shared string the workbook lacks is named; a cell
/// longer than Excel allows is an error at the cell.
#[test]
fn damaged_cells_are_named() {
    let good = small_book(&[("学校", schools_sheet())]);
    let bad_index = edit_part(&good, "xl/worksheets/sheet1.xml", |xml| {
        let at = xml.find("r=\"B2\"").expect("B2");
        let v = at + xml[at..].find("<v>").expect("<v>") + 3;
        let end = v + xml[v..].find("</v>").expect("</v>");
        format!("{}99999{}", &xml[..v], &xml[end..])
    });
    let e = load_small(&bad_index).expect_err("damaged");
    assert_eq!(
        e.diags[0].message.zh(),
        "工作簿 `报表.xlsx` 已损坏：工作表 `学校` 的单元格 B2 引用了不存在的共享字符串"
    );
    assert_eq!(e.diags[0].source_name(), "报表.xlsx 学校!B2");

    let long = edit_part(&good, "xl/sharedStrings.xml", |xml| {
        xml.replace("第一小学", &"学".repeat(40_000))
    });
    let e = load_small(&long).expect_err("too long");
    assert_eq!(e.diags[0].code, "dudao::data::cell_too_long");
    assert_eq!(e.diags[0].source_name(), "报表.xlsx 学校!B2");
    assert_eq!(
        e.diags[0].message.zh(),
        "单元格有 40000 个字符，超过了 Excel 单元格 32767 个字符的上限"
    );
    assert!(render_plain(&e.diags).len() < 2000);
}

/// Ranges hold in sheets too, a cell formatted as a percentage included.
#[test]
fn sheet_values_outside_their_range() {
    let mut schema = small_schema();
    schema.tables[0].columns[3].range = Some(crate::schema::ValueRange::COUNT);
    schema.tables[0].columns[4].range = Some(crate::schema::ValueRange {
        min: Some(0.0),
        max: Some(1.0),
        declared: true,
    });
    let bytes = small_book(&[(
        "学校",
        vec![
            schools_header(),
            vec![s("1"), s("A"), s("小学"), n(-3.0), Cell::Pct(0.5)],
            vec![s("2"), s("B"), s("小学"), n(3.0), Cell::Pct(1.2)],
        ],
    )]);
    let e = load_workbook_from_memory(&schema, "报表.xlsx", &bytes, &LoadOptions::default())
        .expect_err("range");
    let got: Vec<(&str, &str)> = e
        .diags
        .iter()
        .map(|d| (d.code.as_str(), d.source_name()))
        .collect();
    assert_eq!(
        got,
        [
            ("dudao::data::out_of_range", "报表.xlsx 学校!D2"),
            ("dudao::data::out_of_range", "报表.xlsx 学校!E3"),
        ]
    );
}
