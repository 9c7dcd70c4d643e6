//! Static types of expressions, with units.

use crate::diag::Msg;
use crate::msg::check as msg;
use crate::msg::syntax::each_lang;
use crate::pack::ir::{Shape, ShapeKind};
use crate::schema::{EnumId, Schema, Unit};

#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// A number. `unit: None` is a bare literal that takes the unit of what it
    /// meets (`students <= 45`).
    Num {
        unit: Option<Unit>,
        percent: bool,
        integer: bool,
    },
    Bool,
    Text,
    Enum(EnumId),
    /// A list of literals (right side of `in`).
    List(Box<Ty>),
}

impl Ty {
    pub fn num(unit: Unit) -> Ty {
        Ty::Num {
            unit: Some(unit),
            percent: false,
            integer: false,
        }
    }

    pub fn literal(percent: bool, integer: bool) -> Ty {
        Ty::Num {
            unit: if percent { Some(Unit::none()) } else { None },
            percent,
            integer,
        }
    }

    pub fn is_num(&self) -> bool {
        matches!(self, Ty::Num { .. })
    }

    /// What the type is, in words (`单位为 `元` 的数字`).
    pub fn describe(&self, schema: &Schema) -> Msg {
        match self {
            Ty::Num { unit: None, .. } => msg::ty_number(),
            Ty::Num { percent: true, .. } => msg::ty_percent(),
            Ty::Num { unit: Some(u), .. } if u.is_dimensionless() => msg::ty_dimensionless(),
            Ty::Num { unit: Some(u), .. } => msg::ty_number_in(&u.to_string()),
            Ty::Bool => msg::ty_bool(),
            Ty::Text => msg::ty_text(),
            Ty::Enum(e) => match schema.enums.get(*e) {
                Some(def) => msg::ty_category_of(&def.origin),
                None => msg::ty_category(),
            },
            Ty::List(t) => {
                let item = t.describe(schema);
                each_lang(|l| msg::ty_list_of(item.get(l)))
            }
        }
    }

    /// How values of this type are shown.
    pub fn shape(&self) -> Shape {
        match self {
            Ty::Num {
                unit,
                percent,
                integer,
            } => Shape {
                kind: ShapeKind::Num,
                unit: unit.clone().unwrap_or_default(),
                percent: *percent,
                integer: *integer,
            },
            Ty::Bool => Shape {
                kind: ShapeKind::Bool,
                unit: Unit::none(),
                percent: false,
                integer: false,
            },
            Ty::Text | Ty::List(_) => Shape {
                kind: ShapeKind::Text,
                unit: Unit::none(),
                percent: false,
                integer: false,
            },
            Ty::Enum(e) => Shape {
                kind: ShapeKind::Enum(*e),
                unit: Unit::none(),
                percent: false,
                integer: false,
            },
        }
    }
}

/// The unit two numbers share when added, subtracted or compared; `Err`
/// with both units when they differ.
pub fn unify_units(a: &Option<Unit>, b: &Option<Unit>) -> Result<Option<Unit>, (Unit, Unit)> {
    match (a, b) {
        (None, x) | (x, None) => Ok(x.clone()),
        (Some(x), Some(y)) if x == y => Ok(Some(x.clone())),
        (Some(x), Some(y)) => Err((x.clone(), y.clone())),
    }
}

/// A unit as shown in messages: `%`, `元/人`, or 无单位 (no unit).
pub fn unit_name(u: &Unit, percent: bool) -> Msg {
    if percent {
        Msg::verbatim("%")
    } else if u.is_dimensionless() {
        msg::no_unit()
    } else {
        Msg::verbatim(u.to_string())
    }
}
