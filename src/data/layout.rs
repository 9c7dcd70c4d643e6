//! How a table is laid out in a file or a sheet, whatever reads it: how far
//! down the header is looked for, a template's unit/type row under it
//! ([`column_hint`], the row the template writer writes and the readers
//! skip), notes and rows of totals below the data, and the workbook's lists
//! sheet. The readers (`csvfile.rs`, `sheet.rs`) and the template writer
//! (`template.rs`) use it; it uses neither.

use super::build::{clean, variant_label};
use crate::schema::{ColId, ColType, ColumnDef, Schema, TableDef};

/// How many rows at the top of a sheet are searched for the header.
pub(crate) const HEADER_SCAN: usize = 10;

/// Whether the text of a row's first non-empty cell marks the row as a note
/// below the table: `注：…`, `说明…`, `备注…`, `填表人：…`, `审核人…`,
/// `制表…`, `负责人…`, `联系电话…`, `数据来源…`, `合计`/`总计`/`小计`, `*…`, `Note…`.
/// A school whose name starts with 注 (`注册…`) is not a note: 注 must be
/// followed by punctuation, a digit or nothing.
pub(crate) fn is_note_text(s: &str) -> bool {
    // Most cells are not notes: judged from the first character first.
    let first = s
        .chars()
        .map(super::cell::halfwidth)
        .find(|c| !c.is_whitespace());
    let starts = [
        '说', '备', '附', '注', '填', '制', '审', '负', '单', '统', '联', '数', '资', '报', '日',
        '*', '※', 'n', 'N',
    ];
    if !first.is_some_and(|c| starts.contains(&c)) && !could_be_total(s) {
        return false;
    }
    let t: String = s
        .chars()
        .map(super::cell::halfwidth)
        .filter(|c| !c.is_whitespace())
        .collect();
    const PREFIXES: [&str; 20] = [
        "说明",
        "备注",
        "附注",
        "注释",
        "填表",
        "填报",
        "制表",
        "审核",
        "审批",
        "负责人",
        "单位负责人",
        "统计负责人",
        "联系人",
        "联系电话",
        "数据来源",
        "资料来源",
        "报送",
        "日期:",
        "*",
        "※",
    ];
    if PREFIXES.iter().any(|p| t.starts_with(p)) {
        return true;
    }
    if let Some(rest) = t.strip_prefix('注') {
        return rest
            .chars()
            .next()
            .is_none_or(|c| c.is_ascii_punctuation() || c.is_ascii_digit() || !is_cjk(c));
    }
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("note") {
        return true;
    }
    is_total_text(&t)
}

/// Whether a cell marks a row of totals, as statistical forms and WPS
/// exports carry among or below the data: `合计`, `总计`, `小计`, `共计`,
/// `总数`, also after a name (`全区合计`, `高笋塘街道小计`), at most 12
/// characters (full-width forms and spaces ignored).
pub(crate) fn is_total_text(s: &str) -> bool {
    if !could_be_total(s) {
        return false;
    }
    let t: String = s
        .chars()
        .map(super::cell::halfwidth)
        .filter(|c| !c.is_whitespace())
        .collect();
    let bare = t.trim_end_matches(':');
    bare.chars().count() <= 12
        && ["合计", "总计", "小计", "共计", "总数"]
            .iter()
            .any(|w| bare.ends_with(w))
}

/// Whether `s` ends (before colons and spaces) like a word of totals (计,
/// 数) or with a full-width character: a quick test before the exact one.
fn could_be_total(s: &str) -> bool {
    let bare = s.trim_end_matches(|c: char| c == ':' || c == '：' || c.is_whitespace());
    bare.ends_with(|c: char| c == '计' || c == '数' || c > '\u{FF00}')
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// The hidden sheet holding validation lists too long for Excel's inline
/// limit (255 characters). The loader ignores it.
pub const LISTS_SHEET: &str = "_lists";

/// The header of a column in templates: its first alias, else its name.
pub fn column_header(c: &ColumnDef) -> &str {
    c.label()
}

/// The description of a column in a template's second row: type and unit
/// (`整数 人`, `小数 m²`, `百分比 %`, `是/否`, `年份`, `文本`, the labels of an
/// enum joined by `/`, `文本（引用 学校.学校标识码）`), then ` 可空` if optional.
pub fn column_hint(schema: &Schema, c: &ColumnDef) -> String {
    let unit = c.unit.to_string();
    let with_unit = |kind: &str| {
        if unit.is_empty() {
            kind.to_string()
        } else {
            format!("{kind} {unit}")
        }
    };
    let mut s = match c.ty {
        ColType::Int => with_unit("整数"),
        ColType::Decimal if c.percent => "百分比 %".to_string(),
        ColType::Decimal => with_unit("小数"),
        ColType::Text => "文本".to_string(),
        ColType::Bool => "是/否".to_string(),
        ColType::Year => "年份".to_string(),
        ColType::Enum(e) => match schema.enums.get(e) {
            Some(e) => e
                .variants
                .iter()
                .map(variant_label)
                .collect::<Vec<_>>()
                .join("/"),
            None => "文本".to_string(),
        },
        ColType::Ref(t) => match schema.tables.get(t) {
            Some(td) => {
                let keys: Vec<&str> = td
                    .entity_key()
                    .filter_map(|k| td.columns.get(k))
                    .map(ColumnDef::label)
                    .collect();
                format!("文本（引用 {}.{}）", td.label(), keys.join("/"))
            }
            None => "文本".to_string(),
        },
    };
    if c.optional {
        s.push_str(" 可空");
    }
    s
}

/// Whether a row right under the header is a template's unit/type row:
/// every non-empty cell under a known column is that column's
/// [`column_hint`], and at least two are (one for a one-column table).
/// Cells under unknown columns (reported with the header) are not looked at.
pub(crate) fn is_hint_row<'a>(
    schema: &Schema,
    def: &TableDef,
    cells: impl Iterator<Item = (Option<ColId>, &'a str)>,
) -> bool {
    let mut matched = 0usize;
    for (col, text) in cells {
        let t = clean(text);
        if t.is_empty() {
            continue;
        }
        let Some(cd) = col.and_then(|c| def.columns.get(c)) else {
            continue;
        };
        if column_hint(schema, cd) != t {
            return false;
        }
        matched += 1;
    }
    matched >= def.columns.len().clamp(1, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes() {
        for s in [
            "注：本表由各校填报",
            "注1. 含教学点",
            "注",
            "说明：……",
            "填表人：张三",
            "填 表 人：张三",
            "审核人：李四",
            "制表日期：2025年9月",
            "单位负责人：",
            "合计",
            "合 计",
            "全区合计",
            "总计：",
            "* 不含民办",
            "Note: excludes private schools",
        ] {
            assert!(is_note_text(s), "{s}");
        }
        for s in [
            "注册学校",
            "万州区第一小学",
            "5001010101",
            "合计学校名称很长的一所学校",
            "小学",
        ] {
            assert!(!is_note_text(s), "{s}");
        }
    }
}
