//! How the measured value of a row rule is spread over the rows it checked:
//! the class sizes against 45 and 50, the 生均面积 of every school against
//! its standard. Reports chart it; it is computed only when asked
//! ([`super::CheckOptions::distributions`]), by a second pass over the rows
//! with the batch evaluator (the interpreter, row by row, under the
//! reference strategy), and kept as bins, not as one value per row.

use super::Evaluator;
use super::batch::{Frame, This};
use super::finding::{Bin, Distribution, Series};
use super::value::V;
use crate::pack::Rule;
use crate::schema::TableId;
use rayon::prelude::*;

/// At most this many series (distinct standards); more are shown as one.
const MAX_SERIES: usize = 6;
/// Bins of a histogram whose values are not small whole numbers.
const BINS: usize = 30;
/// Whole numbers spanning at most this many values get a bin each.
const MAX_UNIT_BINS: f64 = 120.0;

/// One checked row: its value, the standard, whether it met it.
type Point = (f64, f64, bool);

/// Every checked row of a rule with its value and whether it met the
/// standard, in row order (for tables of outcomes by row).
pub(crate) type RowValues = Vec<(u32, f64, bool)>;

impl<'a> Evaluator<'a> {
    /// The distribution of the displayed comparison's left side over the
    /// rows of `t` the rule checks (`rows` are those in force by year), or
    /// `None` when the rule shows no numeric comparison.
    /// With `keep_rows`, also every checked row's value.
    pub(crate) fn distribution(
        &self,
        rule: &'a Rule,
        t: TableId,
        rows: &[u32],
        keep_rows: bool,
    ) -> Option<(Distribution, RowValues)> {
        let d = rule.assert.display.first()?;
        let chunks: Vec<Vec<(u32, Point)>> = rows
            .par_chunks(super::CHUNK)
            .map(|chunk| {
                let mut points = Vec::new();
                self.year_runs(t, chunk, |year, run| {
                    let frame = |rows| Frame {
                        year,
                        group: None,
                        table: t,
                        rows,
                        this: This::Each(t, rows),
                    };
                    let eval = |e, f: &Frame<'a, '_, '_>| {
                        if self.fast() {
                            self.eval_batch(e, f)
                        } else {
                            self.each_row(e, f)
                        }
                    };
                    let checked: Vec<u32> = match &rule.when {
                        Some(w) => {
                            let w = eval(w, &frame(run));
                            run.iter()
                                .enumerate()
                                .filter(|(i, _)| w.is(*i, true))
                                .map(|(_, r)| *r)
                                .collect()
                        }
                        None => run.to_vec(),
                    };
                    let f = frame(&checked);
                    let lhs = eval(&d.lhs.0, &f);
                    let rhs = eval(&d.rhs.0, &f);
                    let met = eval(&d.cmp, &f);
                    for (i, &r) in checked.iter().enumerate() {
                        if let (V::Num(x), V::Num(s)) = (lhs.at(i), rhs.at(i))
                            && x.is_finite()
                            && s.is_finite()
                        {
                            points.push((r, (x, s, met.is(i, true))));
                        }
                    }
                });
                points
            })
            .collect();
        let rows: Vec<(u32, Point)> = chunks.into_iter().flatten().collect();
        if rows.is_empty() {
            return None;
        }
        let points: Vec<Point> = rows.iter().map(|(_, p)| *p).collect();
        let shape = &d.lhs.1;
        let dist = Distribution {
            unit: shape.unit.clone(),
            percent: shape.percent,
            integer: shape.integer,
            op: d.op.clone(),
            series: series(&points),
        };
        let kept = if keep_rows {
            rows.into_iter()
                .map(|(r, (x, _, met))| (r, x, met))
                .collect()
        } else {
            Vec::new()
        };
        Some((dist, kept))
    }
}

impl<'a> Evaluator<'a> {
    /// The rows of `t` among `rows` that rule `rule` checks (its `when`
    /// holds), each with a NaN value: for a rule kept in a table of outcomes
    /// that shows no numeric comparison (`at_least(…)`), whose cells say only
    /// whether the row met it.
    pub(crate) fn checked_rows(&self, rule: &'a Rule, t: TableId, rows: &[u32]) -> RowValues {
        let chunks: Vec<RowValues> = rows
            .par_chunks(super::CHUNK)
            .map(|chunk| {
                let mut out = Vec::new();
                self.year_runs(t, chunk, |year, run| match &rule.when {
                    Some(w) => {
                        let f = Frame {
                            year,
                            group: None,
                            table: t,
                            rows: run,
                            this: This::Each(t, run),
                        };
                        let w = self.eval_batch(w, &f);
                        out.extend(
                            run.iter()
                                .enumerate()
                                .filter(|(i, _)| w.is(*i, true))
                                .map(|(_, r)| (*r, f64::NAN, false)),
                        );
                    }
                    None => out.extend(run.iter().map(|r| (*r, f64::NAN, false))),
                });
                out
            })
            .collect();
        let mut out: RowValues = chunks.into_iter().flatten().collect();
        out.sort_by_key(|v| v.0);
        out
    }
}

/// The points in one series per distinct standard (in ascending order), on
/// one set of bins so that the series can be compared.
fn series(points: &[Point]) -> Vec<Series> {
    let edges = edges(points);
    let mut standards: Vec<f64> = points.iter().map(|p| p.1).collect();
    standards.sort_by(f64::total_cmp);
    standards.dedup();
    let one = standards.len() > MAX_SERIES;
    let keys: Vec<Option<f64>> = if one {
        vec![None]
    } else {
        standards.into_iter().map(Some).collect()
    };
    keys.into_iter()
        .map(|key| {
            let mut bins: Vec<Bin> = edges
                .windows(2)
                .map(|w| Bin {
                    lo: w.first().copied().unwrap_or_default(),
                    hi: w.get(1).copied().unwrap_or_default(),
                    count: 0,
                    failed: 0,
                })
                .collect();
            let (mut count, mut failed) = (0, 0);
            for &(x, _, met) in points.iter().filter(|p| key.is_none_or(|k| p.1 == k)) {
                count += 1;
                failed += usize::from(!met);
                let i = bin_of(&edges, x).min(bins.len().saturating_sub(1));
                if let Some(b) = bins.get_mut(i) {
                    b.count += 1;
                    b.failed += usize::from(!met);
                }
            }
            Series {
                standard: key,
                count,
                failed,
                bins,
            }
        })
        .collect()
}

/// Bin edges: one bin per value for small whole numbers, else [`BINS`]
/// equal bins from the 0.5th to the 99.5th percentile, the first and last
/// also holding what lies beyond.
fn edges(points: &[Point]) -> Vec<f64> {
    let mut xs: Vec<f64> = points.iter().map(|p| p.0).collect();
    xs.sort_by(f64::total_cmp);
    let (min, max) = (
        xs.first().copied().unwrap_or(0.0),
        xs.last().copied().unwrap_or(0.0),
    );
    let whole = xs.iter().all(|x| x.fract() == 0.0);
    if whole && max - min <= MAX_UNIT_BINS {
        return (0..=(max - min) as usize + 1)
            .map(|i| min + i as f64)
            .collect();
    }
    let at = |q: f64| {
        let i = ((xs.len() - 1) as f64 * q).round() as usize;
        xs.get(i).copied().unwrap_or(min)
    };
    let (lo, hi) = (at(0.005), at(0.995));
    if hi <= lo {
        return vec![min, max.max(min + 1.0)];
    }
    let step = (hi - lo) / BINS as f64;
    (0..=BINS).map(|i| lo + step * i as f64).collect()
}

/// The bin of `x`: values below the first edge go in the first bin, above
/// the last in the last.
fn bin_of(edges: &[f64], x: f64) -> usize {
    edges.iter().rposition(|e| *e <= x).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_get_a_bin_each_and_series_split_by_standard() {
        let points: Vec<Point> = (40..=52)
            .map(|x| (x as f64, 45.0, x <= 45))
            .chain((45..=55).map(|x| (x as f64, 50.0, x <= 50)))
            .collect();
        let s = series(&points);
        assert_eq!(s.len(), 2);
        let first = &s[0];
        assert_eq!(first.standard, Some(45.0));
        assert_eq!((first.count, first.failed), (13, 7));
        assert_eq!(first.bins.first().map(|b| (b.lo, b.hi)), Some((40.0, 41.0)));
        assert_eq!(first.bins.iter().map(|b| b.count).sum::<usize>(), 13);
        let second = &s[1];
        assert_eq!((second.count, second.failed), (11, 5));
    }

    #[test]
    fn fractions_get_equal_bins_with_outliers_at_the_ends() {
        let mut points: Vec<Point> = (0..1000).map(|i| (i as f64 / 100.0, 4.5, true)).collect();
        points.push((1e6, 4.5, true));
        let s = series(&points);
        assert_eq!(s[0].bins.len(), BINS);
        assert_eq!(s[0].bins.iter().map(|b| b.count).sum::<usize>(), 1001);
    }
}
