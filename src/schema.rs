//! The typed schema of a rule pack: tables, columns, types, units, keys and
//! references. Produced by `check`, consumed by `data` (to validate submissions)
//! and by `eval`. Plain data; no IO, no parsing.

use std::collections::BTreeMap;
use std::fmt;

/// Index of a table in [`Schema::tables`].
pub type TableId = usize;
/// Index of a column in [`TableDef::columns`].
pub type ColId = usize;
/// Index of an enum in [`Schema::enums`].
pub type EnumId = usize;

#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub tables: Vec<TableDef>,
    pub enums: Vec<EnumDef>,
}

impl Schema {
    pub fn table_by_name(&self, name: &str) -> Option<TableId> {
        self.tables.iter().position(|t| t.name == name)
    }

    /// Finds a table by its name or one of its (Chinese) aliases.
    pub fn table_by_name_or_alias(&self, name: &str) -> Option<TableId> {
        self.tables
            .iter()
            .position(|t| t.name == name || t.aliases.iter().any(|a| a == name))
    }
}

#[derive(Debug, Clone)]
pub struct TableDef {
    pub name: String,
    /// Chinese names: file names (`学校.csv`) and sheet names accepted for this table.
    pub aliases: Vec<String>,
    pub columns: Vec<ColumnDef>,
    /// Columns that together identify a row (the year column included, if any).
    pub key: Vec<ColId>,
    /// The column of type `year`, if the table carries several years.
    pub year_col: Option<ColId>,
}

impl TableDef {
    pub fn column(&self, name: &str) -> Option<ColId> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// Finds a column by a CSV header: its name or one of its aliases,
    /// ignoring surrounding whitespace.
    pub fn column_by_header(&self, header: &str) -> Option<ColId> {
        let h = header.trim();
        self.columns
            .iter()
            .position(|c| c.name == h || c.aliases.iter().any(|a| a == h))
    }

    /// The display label: the first alias if there is one, else the name.
    pub fn label(&self) -> &str {
        self.aliases
            .first()
            .map(String::as_str)
            .unwrap_or(&self.name)
    }

    /// The key columns that are not the year column.
    pub fn entity_key(&self) -> impl Iterator<Item = ColId> + '_ {
        self.key
            .iter()
            .copied()
            .filter(move |c| Some(*c) != self.year_col)
    }
}

#[derive(Debug, Clone)]
pub struct ColumnDef {
    pub name: String,
    /// Chinese header names accepted for this column.
    pub aliases: Vec<String>,
    pub ty: ColType,
    pub unit: Unit,
    /// Declared with unit `%`: values are percentages, held as fractions.
    pub percent: bool,
    pub optional: bool,
    /// The values a number column may hold (a value outside is a data
    /// error); `None` for any value.
    pub range: Option<ValueRange>,
}

/// The values a number column may hold, bounds included, in the column's
/// stored form (a percentage column's as fractions: `0%..100%` is 0..1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValueRange {
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Declared with `range`; else the default of a count (an `int` column
    /// with a unit, such as 人, 间, 册), which cannot be negative.
    pub declared: bool,
}

impl ValueRange {
    /// The default range of a count: at least 0.
    pub const COUNT: ValueRange = ValueRange {
        min: Some(0.0),
        max: None,
        declared: false,
    };

    /// Whether `v` is inside the range.
    pub fn contains(&self, v: f64) -> bool {
        self.min.is_none_or(|m| v >= m) && self.max.is_none_or(|m| v <= m)
    }
}

impl ColumnDef {
    pub fn label(&self) -> &str {
        self.aliases
            .first()
            .map(String::as_str)
            .unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Int,
    Decimal,
    Text,
    Bool,
    Year,
    Enum(EnumId),
    /// Holds the (non-year) key of a row of another table.
    Ref(TableId),
}

impl ColType {
    pub fn is_numeric(self) -> bool {
        matches!(self, ColType::Int | ColType::Decimal)
    }
}

#[derive(Debug, Clone)]
pub struct EnumDef {
    /// The table and column the enum was declared on, for messages.
    pub origin: String,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub name: String,
    /// Other spellings accepted in data (Chinese labels, codes).
    pub aliases: Vec<String>,
}

impl EnumDef {
    pub fn find(&self, s: &str) -> Option<u16> {
        let s = s.trim();
        self.variants
            .iter()
            .position(|v| v.name == s || v.aliases.iter().any(|a| a == s))
            .and_then(|i| u16::try_from(i).ok())
    }

    pub fn all_spellings(&self) -> impl Iterator<Item = &str> {
        self.variants.iter().flat_map(|v| {
            std::iter::once(v.name.as_str()).chain(v.aliases.iter().map(String::as_str))
        })
    }
}

/// A physical unit as a product of base units with integer exponents
/// (`元/人` is `{元: 1, 人: -1}`). The empty unit is dimensionless; a
/// percentage is a dimensionless fraction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Unit(pub BTreeMap<String, i8>);

impl Unit {
    pub fn none() -> Unit {
        Unit::default()
    }

    pub fn base(name: &str) -> Unit {
        let mut m = BTreeMap::new();
        m.insert(name.to_string(), 1);
        Unit(m)
    }

    pub fn is_dimensionless(&self) -> bool {
        self.0.is_empty()
    }

    pub fn mul(&self, other: &Unit) -> Unit {
        let mut m = self.0.clone();
        for (k, v) in &other.0 {
            let e = m.entry(k.clone()).or_insert(0);
            *e += v;
            if *e == 0 {
                m.remove(k);
            }
        }
        Unit(m)
    }

    pub fn inv(&self) -> Unit {
        Unit(self.0.iter().map(|(k, v)| (k.clone(), -v)).collect())
    }

    pub fn div(&self, other: &Unit) -> Unit {
        self.mul(&other.inv())
    }
}

impl fmt::Display for Unit {
    /// `元/人`, `m²/人`, `人` — empty for dimensionless.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn part(name: &str, e: i8) -> String {
            match e {
                1 => name.to_string(),
                2 if !name.ends_with('²') => format!("{name}²"),
                _ => format!("{name}^{e}"),
            }
        }
        let num: Vec<String> = self
            .0
            .iter()
            .filter(|(_, e)| **e > 0)
            .map(|(n, e)| part(n, *e))
            .collect();
        let den: Vec<String> = self
            .0
            .iter()
            .filter(|(_, e)| **e < 0)
            .map(|(n, e)| part(n, -*e))
            .collect();
        match (num.is_empty(), den.is_empty()) {
            (true, true) => Ok(()),
            (false, true) => write!(f, "{}", num.join("·")),
            (true, false) => write!(f, "1/{}", den.join("·")),
            (false, false) => write!(f, "{}/{}", num.join("·"), den.join("·")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert!(ValueRange::COUNT.contains(0.0));
        assert!(!ValueRange::COUNT.contains(-1.0));
        let pct = ValueRange {
            min: Some(0.0),
            max: Some(1.0),
            declared: true,
        };
        assert!(pct.contains(1.0) && !pct.contains(1.01));
    }

    #[test]
    fn unit_algebra() {
        let yuan = Unit::base("元");
        let ren = Unit::base("人");
        let per = yuan.div(&ren);
        assert_eq!(per.to_string(), "元/人");
        assert!(per.mul(&ren).eq(&yuan));
        assert!(ren.div(&ren).is_dimensionless());
        assert_eq!(Unit::base("m²").to_string(), "m²");
    }
}
