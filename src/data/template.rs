//! Empty submissions for districts to fill in (`dudao template`), and the
//! recognition of their unit/type row when a filled-in template comes back.
//!
//! A template has one sheet (xlsx) or file (csv) per table. The first row
//! holds the Chinese headers (a column's first alias, else its name); the
//! second describes each column ([`column_hint`]): `整数 人`, `小数 m²`,
//! `百分比 %`, `是/否`, `小学/初中/…`, `年份`, `文本（引用 学校.学校标识码）`,
//! with ` 可空` for optional columns. The loader skips that row when it
//! comes right after the header and every non-empty cell is exactly its
//! column's description (`is_hint_row`, built on the same function, so the
//! two cannot drift). In the xlsx template, enum and yes/no columns are
//! restricted to their labels by a list validation.

use super::build::variant_label;
use super::grid::col_letters;
pub use super::layout::{LISTS_SHEET, column_header, column_hint};
use super::{fill, io_reason, table_desc};
use crate::diag::Code;
use crate::diag::{Diag, Msg};
use crate::msg::data as msg;
use crate::schema::{ColType, Schema, TableDef};
use rust_xlsxwriter::{
    DataValidation, DocProperties, ExcelDateTime, Format, FormatBorder, Formula, Workbook,
};
use std::path::{Path, PathBuf};
use unicode_width::UnicodeWidthStr;

/// The last row (0-based) data validation covers: Excel's last row.
const LAST_ROW: u32 = 1_048_575;

/// What kind of template to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateFormat {
    /// One workbook, one sheet per table.
    Xlsx,
    /// A folder, one CSV file (UTF-8 with BOM, as Excel reads it) per table.
    Csv,
}

/// The sheet or file name of a table in templates: its first alias, else
/// its name.
fn sheet_name(def: &TableDef) -> &str {
    def.label()
}

fn xlsx_error(step: Msg, e: rust_xlsxwriter::XlsxError) -> Diag {
    Diag::new(
        Code::TemplateXlsx,
        fill(&step, |s| msg::template_build(s, &e.to_string())),
    )
}

/// The xlsx template as a workbook not yet saved, so a caller can write
/// rows into it (row 3 on, 0-based row 2) before saving. Sheets are named
/// after the tables ([`TableDef::label`]).
pub fn xlsx_template(schema: &Schema) -> Result<Workbook, Diag> {
    let mut wb = Workbook::new();
    // Fixed document dates, so the same rule pack gives the same bytes.
    if let Ok(date) = ExcelDateTime::from_ymd(2025, 1, 1) {
        wb.set_properties(
            &DocProperties::new()
                .set_title(msg::template_title().zh())
                .set_creation_datetime(&date),
        );
    }
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(0xDDEBF7)
        .set_border(FormatBorder::Thin);
    let hint = Format::new()
        .set_italic()
        .set_text_wrap()
        .set_font_color(0x595959)
        .set_background_color(0xF2F2F2)
        .set_border(FormatBorder::Thin);
    let text = Format::new().set_num_format("@");
    let mut long_lists: Vec<Vec<String>> = Vec::new();
    for def in &schema.tables {
        let ws = wb.add_worksheet();
        let name = sheet_name(def);
        if ws.set_name(name).is_err() && ws.set_name(&def.name).is_err() {
            return Err(Diag::new(
                Code::TemplateXlsx,
                msg::template_sheet_name(&table_desc(def)),
            )
            .help(msg::template_sheet_name_help()));
        }
        for (i, c) in def.columns.iter().enumerate() {
            let col = u16::try_from(i).map_err(|_| {
                Diag::new(
                    Code::TemplateXlsx,
                    msg::template_too_many_columns(&table_desc(def)),
                )
            })?;
            let h = column_header(c);
            let desc = column_hint(schema, c);
            ws.write_string_with_format(0, col, h, &head)
                .and_then(|ws| ws.write_string_with_format(1, col, &desc, &hint))
                .map_err(|e| xlsx_error(msg::step_header(), e))?;
            let width = (h.width().max(desc.width().min(24)) + 2).clamp(10, 30);
            ws.set_column_width(col, width as f64)
                .map_err(|e| xlsx_error(msg::step_column_width(), e))?;
            if matches!(c.ty, ColType::Text | ColType::Ref(_)) {
                ws.set_column_format(col, &text)
                    .map_err(|e| xlsx_error(msg::step_column_format(), e))?;
            }
            let labels: Option<Vec<String>> = match c.ty {
                ColType::Bool => Some(vec!["是".to_string(), "否".to_string()]),
                ColType::Enum(e) => schema.enums.get(e).map(|e| {
                    e.variants
                        .iter()
                        .map(|v| variant_label(v).to_string())
                        .collect()
                }),
                _ => None,
            };
            if let Some(labels) = labels {
                let dv = match DataValidation::new().allow_list_strings(&labels) {
                    Ok(dv) => dv,
                    Err(_) => {
                        // Too long to write inline: list it on the hidden sheet.
                        long_lists.push(labels.clone());
                        let n = long_lists.len();
                        let formula = format!(
                            "={LISTS_SHEET}!${}$1:${}${}",
                            col_letters(n - 1),
                            col_letters(n - 1),
                            labels.len()
                        );
                        DataValidation::new().allow_list_formula(Formula::new(formula))
                    }
                };
                let mut dv = dv;
                if let Ok(d) = dv
                    .clone()
                    .set_error_title(msg::template_invalid_title().zh())
                {
                    dv = d;
                }
                // The template is written for Chinese statisticians.
                let pick = msg::template_pick(&labels.join("、"));
                if let Ok(d) = dv.clone().set_error_message(pick.zh()) {
                    dv = d;
                }
                ws.add_data_validation(2, col, LAST_ROW, col, &dv)
                    .map_err(|e| xlsx_error(msg::step_validation(), e))?;
            }
        }
        ws.set_freeze_panes(2, 0)
            .map_err(|e| xlsx_error(msg::step_freeze(), e))?;
    }
    if !long_lists.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(LISTS_SHEET)
            .map_err(|e| xlsx_error(msg::step_lists(), e))?;
        for (k, list) in long_lists.iter().enumerate() {
            let col = u16::try_from(k).unwrap_or(u16::MAX);
            for (r, label) in list.iter().enumerate() {
                let row = u32::try_from(r).unwrap_or(u32::MAX);
                ws.write_string(row, col, label)
                    .map_err(|e| xlsx_error(msg::step_lists(), e))?;
            }
        }
        ws.set_hidden(true);
    }
    Ok(wb)
}

/// The CSV template: `(file name, bytes)` per table, UTF-8 with a BOM (so
/// Excel on Chinese Windows opens it as UTF-8), header and unit/type rows.
pub fn csv_template(schema: &Schema) -> Vec<(String, Vec<u8>)> {
    schema
        .tables
        .iter()
        .map(|def| {
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(b"\xEF\xBB\xBF".to_vec());
            let heads: Vec<&str> = def.columns.iter().map(column_header).collect();
            let hints: Vec<String> = def.columns.iter().map(|c| column_hint(schema, c)).collect();
            let _ = w.write_record(&heads);
            let _ = w.write_record(&hints);
            let bytes = w.into_inner().unwrap_or_default();
            (format!("{}.csv", sheet_name(def)), bytes)
        })
        .collect()
}

/// Writes a template to `out`: a workbook (xlsx), or a folder of CSV files
/// (created if needed). Without a format, `out` ending in `.xlsx` gives a
/// workbook and anything else a folder. Returns the files written.
pub fn write_template(
    schema: &Schema,
    format: Option<TemplateFormat>,
    out: &Path,
) -> Result<Vec<PathBuf>, Diag> {
    let is_xlsx_name = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let format = format.unwrap_or(if is_xlsx_name {
        TemplateFormat::Xlsx
    } else {
        TemplateFormat::Csv
    });
    let io = |what: &Path, e: std::io::Error| {
        let path = what.display().to_string();
        Diag::new(
            Code::TemplateIo,
            fill(&io_reason(&e), |r| msg::template_cannot_write(&path, r)),
        )
    };
    match format {
        TemplateFormat::Xlsx => {
            if out.is_dir() {
                return Err(Diag::new(
                    Code::TemplateIo,
                    msg::template_is_folder(&out.display().to_string()),
                )
                .help(msg::template_is_folder_help()));
            }
            if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
            }
            let mut wb = xlsx_template(schema)?;
            let bytes = wb
                .save_to_buffer()
                .map_err(|e| xlsx_error(msg::step_save(), e))?;
            std::fs::write(out, bytes).map_err(|e| io(out, e))?;
            Ok(vec![out.to_path_buf()])
        }
        TemplateFormat::Csv => {
            if out.is_file() {
                return Err(Diag::new(
                    Code::TemplateIo,
                    msg::template_is_file(&out.display().to_string()),
                )
                .help(msg::template_is_file_help()));
            }
            let files = csv_template(schema);
            // Nothing is overwritten, and nothing is written if anything would be.
            if let Some((name, _)) = files.iter().find(|(n, _)| out.join(n).exists()) {
                return Err(Diag::new(
                    Code::TemplateIo,
                    msg::template_exists(&out.join(name).display().to_string()),
                )
                .help(msg::template_exists_help()));
            }
            std::fs::create_dir_all(out).map_err(|e| io(out, e))?;
            let mut written = Vec::new();
            for (name, bytes) in files {
                let path = out.join(name);
                std::fs::write(&path, bytes).map_err(|e| io(&path, e))?;
                written.push(path);
            }
            Ok(written)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ColumnDef, EnumDef, Unit, Variant};

    fn col(name: &str, alias: &str, ty: ColType) -> ColumnDef {
        ColumnDef {
            name: name.to_string(),
            aliases: vec![alias.to_string()],
            ty,
            unit: Unit::none(),
            percent: false,
            optional: false,
            range: None,
        }
    }

    #[test]
    fn hints() {
        let schema = Schema {
            enums: vec![EnumDef {
                origin: "schools.stage".to_string(),
                variants: vec![
                    Variant {
                        name: "primary".to_string(),
                        aliases: vec!["小学".to_string()],
                    },
                    Variant {
                        name: "初中".to_string(),
                        aliases: vec![],
                    },
                ],
            }],
            tables: vec![TableDef {
                name: "schools".to_string(),
                aliases: vec!["学校".to_string()],
                columns: vec![col("id", "学校标识码", ColType::Text)],
                key: vec![0],
                year_col: None,
            }],
        };
        let mut students = col("students", "在校生数", ColType::Int);
        students.unit = Unit::base("人");
        assert_eq!(column_hint(&schema, &students), "整数 人");
        let mut area = col("area", "面积", ColType::Decimal);
        area.unit = Unit::base("m²");
        area.optional = true;
        assert_eq!(column_hint(&schema, &area), "小数 m² 可空");
        let mut rate = col("rate", "巩固率", ColType::Decimal);
        rate.percent = true;
        assert_eq!(column_hint(&schema, &rate), "百分比 %");
        assert_eq!(
            column_hint(&schema, &col("stage", "学段", ColType::Enum(0))),
            "小学/初中"
        );
        assert_eq!(
            column_hint(&schema, &col("wifi", "无线", ColType::Bool)),
            "是/否"
        );
        assert_eq!(
            column_hint(&schema, &col("year", "年份", ColType::Year)),
            "年份"
        );
        assert_eq!(
            column_hint(&schema, &col("school", "学校标识码", ColType::Ref(0))),
            "文本（引用 学校.学校标识码）"
        );
    }
}
