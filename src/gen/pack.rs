//! What the generator takes from the bundled rule pack, through the
//! engine's public API only: the headers of the files it writes (each
//! column's label, in the schema's order), the labels of the enums it fills,
//! and the thresholds of the rules it plants violations of (the pack's
//! parameters). Nothing of the schema is typed here a second time: a column
//! or label the schema does not have is an error, not a silent mismatch.

use dudao::check::{embedded_default, load_packs};
use dudao::pack::RulePack;
use dudao::schema::{ColType, Schema, TableDef};
use std::io;

/// The bundled rule pack (the one `dudao check` uses by default).
pub(crate) fn bundled() -> io::Result<RulePack> {
    load_packs(&[embedded_default()]).map_err(|d| {
        io::Error::other(format!(
            "the bundled rule pack does not compile ({} error(s))",
            d.len()
        ))
    })
}

fn missing(what: String) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("the bundled schema has no {what}"),
    )
}

/// Table `name` of the schema.
pub(crate) fn table<'s>(schema: &'s Schema, name: &str) -> io::Result<&'s TableDef> {
    schema
        .table_by_name(name)
        .and_then(|t| schema.tables.get(t))
        .ok_or_else(|| missing(format!("table `{name}`")))
}

/// The file of table `name` and its header row: the table's label with
/// `.csv`, and the labels of `columns` (the schema's names of the columns,
/// in the order the generator writes them). Every column of the table must
/// be among them, once.
pub(crate) fn file<'s>(
    schema: &'s Schema,
    (name, columns): (&str, &[&str]),
) -> io::Result<(String, Vec<&'s str>)> {
    let def = table(schema, name)?;
    let mut headers = Vec::with_capacity(columns.len());
    for c in columns {
        let col = def
            .column(c)
            .and_then(|i| def.columns.get(i))
            .ok_or_else(|| missing(format!("column `{name}.{c}`")))?;
        headers.push(col.label());
    }
    if let Some(c) = def
        .columns
        .iter()
        .find(|c| columns.iter().filter(|n| **n == c.name).count() != 1)
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "the generator does not write column `{name}.{}` exactly once",
                c.name
            ),
        ));
    }
    Ok((format!("{}.csv", def.label()), headers))
}

/// The label the schema writes for variant `variant` of the enum column
/// `table.column` (the variant's first alias, else its name).
pub(crate) fn label<'s>(
    schema: &'s Schema,
    table_name: &str,
    column: &str,
    variant: &str,
) -> io::Result<&'s str> {
    let def = table(schema, table_name)?;
    let col = def
        .column(column)
        .and_then(|c| def.columns.get(c))
        .ok_or_else(|| missing(format!("column `{table_name}.{column}`")))?;
    let ColType::Enum(e) = col.ty else {
        return Err(missing(format!("enum column `{table_name}.{column}`")));
    };
    schema
        .enums
        .get(e)
        .and_then(|e| {
            e.variants
                .iter()
                .find(|v| v.name == variant || v.aliases.iter().any(|a| a == variant))
        })
        .map(|v| v.aliases.first().map_or(v.name.as_str(), String::as_str))
        .ok_or_else(|| missing(format!("label `{variant}` in `{table_name}.{column}`")))
}

/// Parameter `name` of the pack as written (`45`, `55%`, `30000 人`, or by
/// category: `{ 小学: 45, 初中: 50 } 人`): its number for `category` (or
/// its only number), the unit left out; a percentage is its number of
/// percent points.
pub(crate) fn param(pack: &RulePack, name: &str, category: Option<&str>) -> io::Result<f64> {
    let info = pack
        .params
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| missing(format!("parameter `{name}`")))?;
    let text = info.value_text.trim();
    let value = match (text.strip_prefix('{'), category) {
        (Some(body), Some(cat)) => body
            .split('}')
            .next()
            .unwrap_or("")
            .split(',')
            .filter_map(|entry| entry.split_once(':'))
            .find(|(k, _)| k.trim() == cat)
            .map(|(_, v)| v.trim()),
        (None, None) => Some(text),
        _ => None,
    };
    value
        .and_then(|v| {
            let number: String = v
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
                .collect();
            number.parse::<f64>().ok()
        })
        .ok_or_else(|| {
            missing(format!(
                "number for `{name}`{} (it is `{text}`)",
                category.map(|c| format!(" {c}")).unwrap_or_default()
            ))
        })
}

/// The thresholds of the rules the plants miss, from the pack's parameters:
/// a plant is set relative to them (a class two over the limit), and its
/// record quotes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// B11 `class_max`: 小学, 初中 (人).
    pub class_max: [u32; 2],
    /// A12, E1.2 `large_class`: a 大班额 from this size on.
    pub large_class: u32,
    /// E1.1 `senior_class_max` (人).
    pub senior_class_max: u32,
    /// C4.1 `kg_class_max` of a 小班 (人).
    pub kg_small_max: u32,
    /// C4.2 `kg_class_ok_min` (percent).
    pub kg_class_ok_min: u32,
    /// B15 `training_hours_min` (学时).
    pub training_hours_min: u32,
    /// B16 `funds_min`: 小学, 初中 (元/人).
    pub funds_min: [u32; 2],
    /// A4 `group_run_min` (percent).
    pub group_run_min: u32,
    /// A14.2 `language_model_min` (percent).
    pub language_model_min: u32,
    /// A15 `high_school_after_school_min` (schools).
    pub after_school_min: u32,
}

impl Limits {
    /// The limits of `pack`; an error names a parameter it lacks.
    pub fn of(pack: &RulePack) -> io::Result<Limits> {
        let n = |name: &str, cat: Option<&str>| -> io::Result<u32> {
            let v = param(pack, name, cat)?;
            if v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v) {
                Ok(v as u32)
            } else {
                Err(missing(format!("whole number for `{name}` (it is {v})")))
            }
        };
        Ok(Limits {
            class_max: [n("class_max", Some("小学"))?, n("class_max", Some("初中"))?],
            large_class: n("large_class", None)?,
            senior_class_max: n("senior_class_max", None)?,
            kg_small_max: n("kg_class_max", Some("小班"))?,
            kg_class_ok_min: n("kg_class_ok_min", None)?,
            training_hours_min: n("training_hours_min", None)?,
            funds_min: [n("funds_min", Some("小学"))?, n("funds_min", Some("初中"))?],
            group_run_min: n("group_run_min", None)?,
            language_model_min: n("language_model_min", None)?,
            after_school_min: n("high_school_after_school_min", None)?,
        })
    }

    /// The limits of the bundled pack.
    #[cfg(test)]
    pub fn bundled() -> io::Result<Limits> {
        Limits::of(&bundled()?)
    }
}
