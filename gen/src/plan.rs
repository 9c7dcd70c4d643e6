//! The plan's numbers (表2-1 主要指标 of 万州区教育事业发展“十四五”规划) and the
//! 区县 table derived from them. Every planned figure is on the straight line
//! from its 2020 baseline to its 2025 target; rates are generated a little
//! above the line (they are floors), student numbers 0.5% above it (planned
//! scales, and 中职 ≥ 3万 is a floor in 2025).

use super::model::DistrictRow;
use super::rng::{Rng, uround};

pub(crate) const BASE_YEAR: i32 = 2020;
pub(crate) const TARGET_YEAR: i32 = 2025;

/// The value on the straight line from (2020, `a`) to (2025, `b`), rounded.
pub(crate) fn line(a: i64, b: i64, year: i32) -> i64 {
    let k = (year - BASE_YEAR) as i64;
    let num = a * 5 + (b - a) * k;
    // Round half away from zero.
    if num >= 0 {
        (num + 2) / 5
    } else {
        (num - 2) / 5
    }
}

/// Planned students by stage (幼儿园, 小学, 初中, 普通高中, 中职) in `year`,
/// for a unit of size `factor` (1 = the district).
pub(crate) fn stage_totals(year: i32, factor: f64) -> [u64; 5] {
    let t = |a: i64, b: i64| uround(line(a, b, year) as f64 * 1.005 * factor);
    [
        t(40_600, 61_000),
        t(87_600, 121_000),
        t(49_000, 61_000),
        t(35_700, 33_000),
        t(20_300, 30_000),
    ]
}

/// 公办幼儿园在园幼儿占比, in hundredths of a percent point: the plan's line
/// (51.48% → 55%) plus 0.6 points.
pub(crate) fn public_kg_share(year: i32) -> u64 {
    (line(5148, 5500, year) + 60) as u64
}

/// Share of children in non-inclusive (非普惠) private kindergartens, in
/// hundredths of a percent: 5.5%, so 在园幼儿普惠率 is 94.5% (plan: 93.86% → 94%).
pub(crate) const NON_INCLUSIVE_SHARE: u64 = 550;

/// 学前教育毛入园率 generated for `year` (hundredths of a percent).
pub(crate) fn kg_gross_rate(year: i32) -> u64 {
    (line(9010, 9350, year) + 40) as u64
}

/// 高中阶段毛入学率 generated for `year` (hundredths of a percent); the plan
/// says ＞98.5% in 2025, so the line plus 0.4 points.
pub(crate) fn high_gross_rate(year: i32) -> u64 {
    (line(9710, 9850, year) + 40) as u64
}

const TAG_DISTRICT: u64 = 0xD157;

/// Civil servants' average annual pay in `year` (元): 98,600 in 2020, growing
/// 3–4.5% a year. The same for every report year (the stream depends on the
/// year only).
pub(crate) fn civil_servant_pay(seed: u64, year: i32) -> u64 {
    let mut pay = 98_600.0;
    for y in BASE_YEAR + 1..=year {
        let mut rng = Rng::derive(seed, &[TAG_DISTRICT, y as u64, 1]);
        pay *= 1.0 + rng.range(0.030, 0.045);
    }
    uround(pay / 10.0) * 10
}

/// The 区县 rows from 2020 to `report_year`, compliant with every district
/// rule, for units whose sizes add up to `factor_sum` districts.
pub(crate) fn district_rows(seed: u64, report_year: i32, factor_sum: f64) -> Vec<DistrictRow> {
    let mut rows: Vec<DistrictRow> = Vec::new();
    let mut spending = 2_830_000.0 * factor_sum; // tenths of 万元: 28.3亿 in 2020
    let mut revenue = 9_050_000.0 * factor_sum;
    let mut appropriation = 2_360_000.0 * factor_sum;
    for year in BASE_YEAR..=report_year {
        let mut rng = Rng::derive(seed, &[TAG_DISTRICT, year as u64, 2]);
        let k = (year - BASE_YEAR) as u64;
        if year > BASE_YEAR {
            let rev_growth = rng.range(0.030, 0.050);
            revenue *= 1.0 + rev_growth;
            appropriation *= 1.0 + rev_growth + rng.range(0.015, 0.030);
            spending *= 1.0 + rng.range(0.072, 0.088);
        } else {
            // Keep the draws aligned across years.
            rng.range(0.0, 1.0);
            rng.range(0.0, 1.0);
            rng.range(0.0, 1.0);
        }
        let totals = stage_totals(year, factor_sum);
        let students: u64 = totals.iter().sum();
        let mut spending_t = uround(spending);
        let mut per_student = spending_t * 1000 / students.max(1);
        if let Some(prev) = rows.last() {
            // 按在校学生人均一般公共预算教育支出逐年只增不减: make sure, whatever the draws.
            while per_student <= prev.per_student {
                spending_t += spending_t / 100;
                per_student = spending_t * 1000 / students.max(1);
            }
            spending = spending_t as f64;
        }
        let jitter = |rng: &mut Rng| rng.int(0, 20);
        let row = DistrictRow {
            year,
            population_3_5: totals[0] * 10000 / kg_gross_rate(year),
            population_15_17: (totals[3] + totals[4]) * 10000 / high_gross_rate(year),
            civil_servant_pay: civil_servant_pay(seed, year),
            consolidation: 10000,
            junior_retention: 9620 + 30 * k + jitter(&mut rng),
            disabled_enrolment: 9580 + 35 * k + jitter(&mut rng),
            satisfaction: 8850 + 80 * k + jitter(&mut rng),
            quality_coverage: 6050 + 70 * k + jitter(&mut rng),
            putonghua: 8560 + 60 * k + jitter(&mut rng),
            vocational_progression: 5100 + 120 * k + jitter(&mut rng),
            spending: spending_t,
            per_student,
            revenue: uround(revenue),
            appropriation: uround(appropriation),
            higher_ed: uround(line(85_700, 113_000, year) as f64 * 1.01 * factor_sum),
            graduate: uround(line(839, 1200, year) as f64 * 1.01 * factor_sum),
            undergraduate: uround(line(19_900, 28_600, year) as f64 * 1.01 * factor_sum),
            higher_ed_rate: (line(5330, 6000, year) + 30) as u64,
            years_schooling: (line(980, 1040, year) + 2) as u64,
            labour_years_schooling: (line(1120, 1200, year) + 2) as u64,
        };
        rows.push(row);
    }
    rows
}
