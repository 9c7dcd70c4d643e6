//! The primitive operations, one definition for every stage: the constant
//! folder of `check`, the interpreter, the batch evaluator and the compiled
//! code of `eval` all compute with these, so a division by zero, a
//! comparison, Kleene's `and`/`or`, a value by category or an aggregate
//! means the same wherever it is computed.

use super::ir::{AggKind, Arith, Cmp};

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

/// Kleene's `and` of two truth values, `Err(u)` being "not evaluable" for
/// the reason `u`: false wins over not evaluable, which wins over true; of
/// two reasons, the first is kept. `y` is evaluated only when it can decide
/// the result (not after a false `x`).
#[inline]
pub fn and<U>(x: Result<bool, U>, y: impl FnOnce() -> Result<bool, U>) -> Result<bool, U> {
    match x {
        Ok(false) => Ok(false),
        Ok(true) => y(),
        Err(u) => match y() {
            Ok(false) => Ok(false),
            _ => Err(u),
        },
    }
}

/// Kleene's `or`: true wins over not evaluable, which wins over false; of
/// two reasons, the first is kept. `y` is evaluated only after a `x` that is
/// not true.
#[inline]
pub fn or<U>(x: Result<bool, U>, y: impl FnOnce() -> Result<bool, U>) -> Result<bool, U> {
    match x {
        Ok(true) => Ok(true),
        Ok(false) => y(),
        Err(u) => match y() {
            Ok(true) => Ok(true),
            _ => Err(u),
        },
    }
}

/// Truth values as bytes (compiled predicates hold a block of rows in an
/// array of them), ordered so that Kleene's `and` is the minimum
/// ([`and_byte`]), `or` the maximum ([`or_byte`]) and `not` the mirror
/// image ([`not_byte`]).
pub const FALSE: u8 = 0;
/// Not evaluable, as a byte (see [`FALSE`]).
pub const UNKNOWN: u8 = 1;
/// True, as a byte (see [`FALSE`]).
pub const TRUE: u8 = 2;

/// A three-valued truth value as a byte.
#[inline]
pub fn tri_byte(t: Option<bool>) -> u8 {
    match t {
        Some(false) => FALSE,
        None => UNKNOWN,
        Some(true) => TRUE,
    }
}

/// Kleene's `and` on bytes: the [`and`] of values without their reasons.
#[inline]
pub fn and_byte(x: u8, y: u8) -> u8 {
    x.min(y)
}

/// Kleene's `or` on bytes: the [`or`] of values without their reasons.
#[inline]
pub fn or_byte(x: u8, y: u8) -> u8 {
    x.max(y)
}

/// `not` on bytes: unknown stays unknown.
#[inline]
pub fn not_byte(x: u8) -> u8 {
    TRUE - x
}

/// A value by category (`param[stage]`): the entry of enum variant
/// `variant`; `None` when the table has none for it (not evaluable).
#[inline]
pub fn lookup(table: &[Option<f64>], variant: u16) -> Option<f64> {
    table.get(variant as usize).copied().flatten()
}

/// The weighted coefficient of variation (差异系数), with the population
/// standard deviation: X̄ = Σ PᵢXᵢ / P; S = √(Σ (Pᵢ/P)(Xᵢ − X̄)²); CV = S / X̄.
/// `None` when the total weight or the mean is zero.
pub fn weighted_cv(pairs: &[(f64, f64)]) -> Option<f64> {
    let p: f64 = pairs.iter().map(|(w, _)| w).sum();
    if p == 0.0 {
        return None;
    }
    let mean = pairs.iter().map(|(w, x)| w * x).sum::<f64>() / p;
    if mean == 0.0 {
        return None;
    }
    let var = pairs
        .iter()
        .map(|(w, x)| (w / p) * (x - mean).powi(2))
        .sum::<f64>();
    Some(var.sqrt() / mean)
}

/// Partial results of an aggregate over some of its rows, in row order.
/// Every evaluator folds with it: rows are added in order, and more than
/// [`chunked`]'s limit of rows are cut into chunks folded from an empty
/// accumulator and merged in order, so floating-point sums are added in the
/// same order whoever computes them. `M` is the evaluator's reason for "not
/// evaluable"; the first one met is the aggregate's value.
#[derive(Debug, Clone)]
pub struct Acc<M> {
    /// Rows counted (that passed the filter and have a value).
    pub rows: usize,
    pub sum: f64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// share: numerator and denominator.
    pub num: f64,
    pub den: f64,
    /// cv: (weight, value) pairs in row order.
    pub pairs: Vec<(f64, f64)>,
    /// The first reason met that makes the aggregate not evaluable.
    pub miss: Option<M>,
}

impl<M> Default for Acc<M> {
    fn default() -> Self {
        Acc {
            rows: 0,
            sum: 0.0,
            min: None,
            max: None,
            num: 0.0,
            den: 0.0,
            pairs: Vec::new(),
            miss: None,
        }
    }
}

/// Why an aggregate has no value.
#[derive(Debug, Clone, PartialEq)]
pub enum AggMiss<M> {
    /// A row's part was not evaluable (the first such reason).
    Row(M),
    /// No rows to take an average, minimum, maximum or cv of.
    NoRows,
    /// A share of nothing, or a cv of zero total weight or zero mean.
    ZeroDenominator,
}

impl<M> Acc<M> {
    /// Adds one row that passed the filter: its `value` (1 for a count),
    /// for a share whether its predicate holds (`None`: no predicate), for
    /// a cv its `weight`.
    #[inline]
    pub fn add(&mut self, kind: AggKind, value: f64, pred: Option<bool>, weight: f64) {
        self.rows += 1;
        match kind {
            AggKind::Count | AggKind::Sum | AggKind::Avg => self.sum += value,
            AggKind::Min => self.min = Some(self.min.map_or(value, |m| m.min(value))),
            AggKind::Max => self.max = Some(self.max.map_or(value, |m| m.max(value))),
            AggKind::Share => {
                self.den += value;
                if pred == Some(true) {
                    self.num += value;
                }
            }
            AggKind::Cv => self.pairs.push((weight, value)),
        }
    }

    /// Adds `n` rows of a plain count (each adds 1, exactly, in any order).
    #[inline]
    pub fn add_ones(&mut self, n: usize) {
        self.rows += n;
        self.sum += n as f64;
    }

    /// Records that a row makes the aggregate not evaluable; the first
    /// reason is kept.
    #[inline]
    pub fn miss(&mut self, m: M) {
        self.miss.get_or_insert(m);
    }

    /// Combines the partial results of consecutive rows.
    pub fn merge(mut self, b: Acc<M>) -> Acc<M> {
        self.rows += b.rows;
        self.sum += b.sum;
        self.min = match (self.min, b.min) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
        self.max = match (self.max, b.max) {
            (Some(x), Some(y)) => Some(x.max(y)),
            (x, y) => x.or(y),
        };
        self.num += b.num;
        self.den += b.den;
        self.pairs.extend(b.pairs);
        if self.miss.is_none() {
            self.miss = b.miss;
        }
        self
    }

    /// The aggregate's value from the results of all its rows.
    pub fn finish(self, kind: AggKind) -> Result<f64, AggMiss<M>> {
        if let Some(m) = self.miss {
            return Err(AggMiss::Row(m));
        }
        match kind {
            AggKind::Count | AggKind::Sum => Ok(self.sum),
            AggKind::Avg if self.rows == 0 => Err(AggMiss::NoRows),
            AggKind::Avg => Ok(self.sum / self.rows as f64),
            AggKind::Min => self.min.ok_or(AggMiss::NoRows),
            AggKind::Max => self.max.ok_or(AggMiss::NoRows),
            AggKind::Share if self.den == 0.0 => Err(AggMiss::ZeroDenominator),
            AggKind::Share => Ok(self.num / self.den),
            AggKind::Cv => match weighted_cv(&self.pairs) {
                Some(cv) => Ok(cv),
                None if self.pairs.is_empty() => Err(AggMiss::NoRows),
                None => Err(AggMiss::ZeroDenominator),
            },
        }
    }
}

/// Folds `n` rows in the one order every evaluator uses: `fold(range)` of
/// all of them when there are at most `2 * chunk`, else of each `chunk` of
/// them in turn, merged in order into an empty accumulator. A fold that
/// gives `None` (a compiled fold giving up) makes the whole `None`.
pub fn chunked<M>(
    n: usize,
    chunk: usize,
    mut fold: impl FnMut(std::ops::Range<usize>) -> Option<Acc<M>>,
) -> Option<Acc<M>> {
    if n > 2 * chunk {
        let mut acc = Acc::default();
        for s in (0..n).step_by(chunk.max(1)) {
            acc = acc.merge(fold(s..(s + chunk).min(n))?);
        }
        return Some(acc);
    }
    fold(0..n)
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

    #[test]
    fn kleene_false_and_true_win_over_unknown() {
        let u = || Err::<bool, &str>("u");
        assert_eq!(and(u(), || Ok(false)), Ok(false));
        assert_eq!(and(Ok(true), u), Err("u"));
        assert_eq!(and(Err("a"), || Err("b")), Err("a"));
        assert_eq!(or(u(), || Ok(true)), Ok(true));
        assert_eq!(or(Ok(false), u), Err("u"));
        assert_eq!(or(Err("a"), || Err("b")), Err("a"));
        // The bytes agree with the values on every pair.
        let all = [Ok(false), Err("u"), Ok(true)];
        let byte = |v: &Result<bool, &str>| tri_byte(v.ok());
        for x in all {
            for y in all {
                assert_eq!(byte(&and(x, || y)), and_byte(byte(&x), byte(&y)));
                assert_eq!(byte(&or(x, || y)), or_byte(byte(&x), byte(&y)));
            }
            assert_eq!(not_byte(byte(&x)), byte(&x.map(|b| !b)));
        }
    }

    #[test]
    fn accumulators_merge_in_order_and_finish_with_their_zero_rules() {
        let mut a: Acc<()> = Acc::default();
        a.add(AggKind::Share, 2.0, Some(true), 1.0);
        let mut b: Acc<()> = Acc::default();
        b.add(AggKind::Share, 6.0, Some(false), 1.0);
        assert_eq!(a.merge(b).finish(AggKind::Share), Ok(0.25));
        assert_eq!(
            Acc::<()>::default().finish(AggKind::Avg),
            Err(AggMiss::NoRows)
        );
        assert_eq!(Acc::<()>::default().finish(AggKind::Sum), Ok(0.0));
        assert_eq!(
            Acc::<()>::default().finish(AggKind::Share),
            Err(AggMiss::ZeroDenominator)
        );
        let mut m: Acc<&str> = Acc::default();
        m.miss("first");
        m.miss("second");
        assert_eq!(m.finish(AggKind::Count), Err(AggMiss::Row("first")));
        assert_eq!(lookup(&[Some(1.0), None], 1), None);
        assert_eq!(lookup(&[Some(1.0), None], 0), Some(1.0));
        assert_eq!(lookup(&[Some(1.0)], 7), None);
    }

    /// The CV formula of 教督〔2017〕6号 against a case computed by hand:
    /// schools of 100, 300 and 600 students with values 4, 5 and 6.
    /// P = 1000; X̄ = (400 + 1500 + 3600) / 1000 = 5.5;
    /// S² = 0.1·2.25 + 0.3·0.25 + 0.6·0.25 = 0.225 + 0.075 + 0.15 = 0.45;
    /// CV = √0.45 / 5.5 = 0.670820… / 5.5 = 0.121967…
    #[test]
    fn weighted_cv_matches_hand_computation() {
        let cv = weighted_cv(&[(100.0, 4.0), (300.0, 5.0), (600.0, 6.0)]).unwrap_or(f64::NAN);
        assert!((cv - 0.45f64.sqrt() / 5.5).abs() < 1e-12, "cv = {cv}");
        assert!((cv - 0.121_967).abs() < 1e-6);
    }

    #[test]
    fn weighted_cv_of_equal_values_is_zero_and_of_nothing_is_none() {
        assert_eq!(weighted_cv(&[(10.0, 3.0), (20.0, 3.0)]), Some(0.0));
        assert_eq!(weighted_cv(&[]), None);
        assert_eq!(weighted_cv(&[(10.0, 0.0)]), None);
    }
}
