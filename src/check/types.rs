//! Static types of expressions, with units.

use crate::eval::ir::{Shape, ShapeKind};
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

    pub fn describe(&self, schema: &Schema) -> String {
        match self {
            Ty::Num { unit: None, .. } => "a number".into(),
            Ty::Num { percent: true, .. } => "a percentage".into(),
            Ty::Num { unit: Some(u), .. } if u.is_dimensionless() => "a number without unit".into(),
            Ty::Num { unit: Some(u), .. } => format!("a number in `{u}`"),
            Ty::Bool => "a yes/no value".into(),
            Ty::Text => "text".into(),
            Ty::Enum(e) => match schema.enums.get(*e) {
                Some(def) => format!("a category of `{}`", def.origin),
                None => "a category".into(),
            },
            Ty::List(t) => format!("a list of {}", t.describe(schema)),
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

pub fn unit_name(u: &Unit, percent: bool) -> String {
    if percent {
        "%".into()
    } else if u.is_dimensionless() {
        "no unit".into()
    } else {
        u.to_string()
    }
}
