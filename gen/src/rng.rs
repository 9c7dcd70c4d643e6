//! A small deterministic pseudo-random generator (SplitMix64).
//!
//! Every stream is derived from the `--seed` and a path of integers (unit,
//! school slot, year, purpose), so a school's data does not depend on how many
//! random numbers another school drew, nor on the order threads run in. Only
//! `+ - * /` and `sqrt` are used on floats: results are the same on every
//! IEEE-754 machine.

#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A stream for `seed` and a path of integers naming what it is for.
    pub(crate) fn derive(seed: u64, path: &[u64]) -> Rng {
        let mut s = mix(seed.wrapping_add(GOLDEN));
        for p in path {
            s = mix(s ^ mix(p.wrapping_add(GOLDEN).wrapping_mul(GOLDEN)));
        }
        Rng(s)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix(self.0)
    }

    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [lo, hi).
    pub(crate) fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform integer in [lo, hi] (inclusive).
    pub(crate) fn int(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        let span = hi - lo + 1;
        lo + ((self.next_u64() as u128 * span as u128) >> 64) as u64
    }

    /// A uniform index below `n` (`n > 0`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.int(0, n.saturating_sub(1) as u64) as usize
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub(crate) fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
}

/// Rounds a non-negative value to an unsigned integer.
pub(crate) fn uround(x: f64) -> u64 {
    if x <= 0.0 { 0 } else { (x + 0.5) as u64 }
}

/// The smallest integer not below a non-negative `x`.
pub(crate) fn uceil(x: f64) -> u64 {
    if x <= 0.0 {
        return 0;
    }
    let f = x as u64;
    if (f as f64) < x { f + 1 } else { f }
}
