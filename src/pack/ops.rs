//! The primitive operations on numbers, one definition for every stage: the
//! constant folder of `check`, the interpreter, the batch evaluator and the
//! compiled code of `eval` all compute with these, so a division by zero or
//! a comparison means the same wherever it is computed.

use super::ir::{Arith, Cmp};

/// Relative tolerance of numeric comparisons, so that 21 / 500 * 100 meets `>= 4.2`.
pub const EPS: f64 = 1e-9;

/// Whether two numbers are equal within [`EPS`] (relative, at least absolute).
#[inline]
pub fn num_eq(a: f64, b: f64) -> bool {
    (a - b).abs() <= EPS * a.abs().max(b.abs()).max(1.0)
}

/// The comparison of two numbers, with the tolerance of [`num_eq`].
#[inline]
pub fn compare_num(op: Cmp, a: f64, b: f64) -> bool {
    let eq = num_eq(a, b);
    match op {
        Cmp::Eq => eq,
        Cmp::Ne => !eq,
        Cmp::Lt => !eq && a < b,
        Cmp::Le => eq || a < b,
        Cmp::Gt => !eq && a > b,
        Cmp::Ge => eq || a > b,
    }
}

/// One arithmetic step on two numbers; `None` for a division by zero, which
/// makes the value not evaluable (never ±∞).
#[inline]
pub fn arith(op: Arith, x: f64, y: f64) -> Option<f64> {
    Some(match op {
        Arith::Add => x + y,
        Arith::Sub => x - y,
        Arith::Mul => x * y,
        Arith::Div if y == 0.0 => return None,
        Arith::Div => x / y,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn division_by_zero_is_not_a_number() {
        assert_eq!(arith(Arith::Div, 45.0, 0.0), None);
        assert_eq!(arith(Arith::Div, 45.0, 5.0), Some(9.0));
        assert_eq!(arith(Arith::Sub, 1.0, 3.0), Some(-2.0));
    }

    #[test]
    fn comparisons_tolerate_rounding() {
        let x = 21.0 / 500.0 * 100.0;
        assert!(compare_num(Cmp::Ge, x, 4.2));
        assert!(!compare_num(Cmp::Lt, x, 4.2));
        assert!(compare_num(Cmp::Lt, 4.19, 4.2));
    }
}
