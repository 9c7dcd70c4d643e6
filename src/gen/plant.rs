//! Planted violations: a fixed, documented list for a district (`--violations
//! planted`), or a small random share of school-level violations at national
//! scale. Each one is isolated where the standards allow it: it moves one
//! value past one threshold and leaves every other rule passing.

use super::build::{Shares, Slot, TAG_PLANT, UnitSpec, assign_flags, largest, smallest};
use super::model::*;
use super::out::{fixed, pct, ratio};
use super::pack::Limits;
use super::plan;
use super::rng::{Rng, uceil, uround};

/// One planted violation, as 违规清单.md lists it.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    /// The rule ids it should trigger (`B4.小学, B5.小学, B8.小学`).
    pub rules: String,
    /// The school, class, teacher or district year.
    pub entity: String,
    /// The planted value, with the numbers it is computed from.
    pub value: String,
    /// The standard it misses.
    pub standard: String,
    /// A district-wide plant (a share, a count): every unit plants it, but it
    /// fails once for the whole submission, so only the first unit lists it.
    pub wide: bool,
}

fn rec(records: &mut Vec<Record>, rules: &str, entity: String, value: String, standard: &str) {
    records.push(Record {
        rules: rules.to_string(),
        entity,
        value,
        standard: standard.to_string(),
        wide: false,
    });
}

fn rec_wide(records: &mut Vec<Record>, rules: &str, entity: String, value: String, standard: &str) {
    rec(records, rules, entity, value, standard);
    if let Some(r) = records.last_mut() {
        r.wide = true;
    }
}

/// Planted violations that the report year cannot show, and why.
pub(crate) fn not_planted(year: i32) -> Vec<(&'static str, &'static str)> {
    let mut v = Vec::new();
    if year < 2021 {
        v.push((
            "A1.02, A1.03, A1.04, A3",
            "表2-1 的进度检查和 A3 从2021年起（2020年是基线，“十四五”从2021年起）",
        ));
        v.push((
            "A13.1, A13.2, A13.3",
            "逐年比较需要上一年的数据，区县表只有2020年一行",
        ));
    } else if year < 2022 {
        v.push(("A13.3", "需要前两年的数据（植入在报告年度的上一年）"));
    }
    if year < 2025 {
        v.push((
            "A2.1, A2.2, A5.2, A6.1, A6.2, A7.2, A8, A11.1, A11.2, A14.1, A14.2, A15",
            "规划目标“到2025年”，2025年起才检查",
        ));
    }
    v
}

/// Where the allocation-level plants went.
#[derive(Debug, Default)]
pub(crate) struct Pre {
    c6: Option<usize>,
    b10: Option<usize>,
    d: Option<usize>,
    converted_public: usize,
    a23: Option<usize>,
}

/// Plants that change the skeleton or the allocation: ownership and 普惠性 of
/// kindergartens (A2, A3), and fixed sizes (B10, C6, D1).
pub(crate) fn before(spec: &UnitSpec, slots: &mut [Slot], shares: &mut Shares) -> Pre {
    let y = spec.year;
    let mut pre = Pre::default();
    if y >= 2021 {
        // A2 (and the A1.03 trajectory): 8 small public kindergartens become
        // private, and public kindergartens hold 1.5 points less than the line.
        let conv = smallest(slots, |s| s.kind == Kind::Kg && s.public && !s.center, 8);
        pre.converted_public = conv.len();
        for i in conv {
            slots[i].public = false;
            slots[i].inclusive = true;
        }
        shares.public_kg = (plan::line(5148, 5500, y) - 150) as u64;
    }
    // A3 (and the A1.04 trajectory): 14 more large private kindergartens are
    // not 普惠性; 11.5% of children are in non-inclusive kindergartens.
    for i in largest(
        slots,
        |s| s.kind == Kind::Kg && !s.public && s.inclusive,
        14,
    ) {
        slots[i].inclusive = false;
    }
    shares.non_inclusive = 1150;
    // A2.3: a rural township's 中心园 becomes private, so the township has no
    // public kindergarten.
    pre.a23 = (0..slots.len()).find(|&i| {
        spec.units == 1 && {
            let s = &slots[i];
            s.center
                && s.town >= super::names::STREETS.len()
                && slots
                    .iter()
                    .filter(|o| o.kind == Kind::Kg && o.public && o.town == s.town)
                    .count()
                    == 1
        }
    });
    if let Some(i) = pre.a23 {
        slots[i].public = false;
        slots[i].inclusive = true;
    }
    pre.c6 = largest(slots, |s| s.kind == Kind::Kg && s.public, 1)
        .first()
        .copied();
    pre.b10 = largest(slots, |s| s.kind == Kind::Primary, 1)
        .first()
        .copied();
    pre.d = (0..slots.len())
        .rev()
        .find(|&i| slots[i].kind == Kind::Voc && !slots[i].public)
        .or_else(|| (0..slots.len()).rev().find(|&i| slots[i].kind == Kind::Voc));
    if let Some(i) = pre.c6 {
        slots[i].fixed = Some(400);
    }
    if let Some(i) = pre.b10 {
        slots[i].fixed = Some(2150);
    }
    if let Some(i) = pre.d {
        slots[i].fixed = Some(950);
    }
    pre
}

pub(crate) fn school_label(u: &Unit, s: usize) -> String {
    let sc = &u.schools[s];
    format!("{}（{:010}）", sc.name, sc.id)
}

fn class_label(u: &Unit, c: usize, year: i32) -> String {
    let cl = &u.classes[c];
    let sc = &u.schools[cl.school as usize];
    let mut name = Vec::new();
    cl.put_name(&mut name, year);
    format!(
        "{} {}（班级编号 {:010}-{:03}）",
        sc.name,
        String::from_utf8_lossy(&name),
        sc.id,
        cl.seq
    )
}

fn teacher_label(u: &Unit, t: usize) -> String {
    let te = &u.teachers[t];
    let sc = &u.schools[te.school as usize];
    format!("{} 教师 {:010}T{:04}", sc.name, sc.id, te.seq)
}

/// Picks schools for plants: the first one matching after a random start,
/// never the same school twice.
struct Picker {
    used: Vec<bool>,
    rng: Rng,
}

impl Picker {
    fn pick(&mut self, u: &Unit, pred: impl Fn(&Unit, usize) -> bool) -> Option<usize> {
        let n = u.schools.len();
        if n == 0 {
            return None;
        }
        let start = self.rng.below(n);
        let i = (0..n)
            .map(|k| (start + k) % n)
            .find(|&i| !self.used[i] && pred(u, i))?;
        self.used[i] = true;
        Some(i)
    }
}

/// The B1–B7 thresholds by stage: primary, junior.
const THRESHOLDS: [[f64; 7]; 2] = [
    [4.2, 1.0, 0.9, 4.5, 7.5, 2000.0, 2.3],
    [5.3, 1.0, 0.9, 5.8, 10.2, 2500.0, 2.4],
];

const THRESHOLD_TEXT: [[&str; 7]; 2] = [
    [
        "4.2 人/百名学生",
        "1 人/百名学生",
        "0.9 人/百名学生",
        "4.5 m²/生",
        "7.5 m²/生",
        "2000 元/生",
        "2.3 间/百名学生",
    ],
    [
        "5.3 人/百名学生",
        "1 人/百名学生",
        "0.9 人/百名学生",
        "5.8 m²/生",
        "10.2 m²/生",
        "2500 元/生",
        "2.4 间/百名学生",
    ],
];

fn stage_name(level: Level) -> &'static str {
    if level == Level::Primary {
        "小学"
    } else {
        "初中"
    }
}

/// Full-time teachers of school `s` teaching `level` that satisfy `pred`.
fn stage_teachers(u: &Unit, s: usize, level: Level, pred: impl Fn(&Teacher) -> bool) -> Vec<usize> {
    u.teacher_rows(s)
        .filter(|&t| {
            u.teachers[t].full_time && u.teachers[t].level == level && pred(&u.teachers[t])
        })
        .collect()
}

/// Sets a count-based indicator (B1, B2, B3, B7) of one stage to about 86–99%
/// of its threshold: the count `a` with `0.86·thr·S/100 ≤ a < thr·S/100`.
fn target_count(thr: f64, s: u32) -> Option<u64> {
    let a = uceil(0.86 * thr * s as f64 / 100.0);
    ((a as f64) * 100.0 < thr * s as f64 && a > 0).then_some(a)
}

/// Plants one of B1–B7 (`which` 1..=7) for `level` of school `s`, a little
/// below its threshold but above 85% of it (so B8 still passes). Returns the
/// planted value, or `None` if the school is too small to plant it cleanly.
fn plant_indicator(u: &mut Unit, s: usize, level: Level, which: usize) -> Option<String> {
    let thr = THRESHOLDS[usize::from(level == Level::Junior)][which - 1];
    let st = u.schools[s].parts[level as usize];
    let total = u.schools[s].students;
    match which {
        1 => {
            let required = if level == Level::Primary {
                Degree::College
            } else {
                Degree::Bachelor
            };
            let a = target_count(thr, st)? as usize;
            let above = stage_teachers(u, s, level, |t| t.degree >= required);
            let demotable: Vec<usize> = above
                .iter()
                .copied()
                .filter(|&t| !u.teachers[t].leader)
                .collect();
            let excess = above.len().checked_sub(a)?;
            if excess > demotable.len() {
                return None;
            }
            let lower = if required == Degree::College {
                Degree::HighSchool
            } else {
                Degree::College
            };
            for &t in demotable.iter().take(excess) {
                u.teachers[t].degree = lower;
            }
            Some(format!(
                "高于规定学历的专任教师 {a} 人 / 学生 {st} 人 = {} 人/百名学生",
                ratio(a as u64 * 100, st as u64, 2)
            ))
        }
        2 => {
            let a = target_count(thr, st)? as usize;
            let all = stage_teachers(u, s, level, |_| true);
            if all.len() < a {
                return None;
            }
            for (k, &t) in all.iter().enumerate() {
                u.teachers[t].backbone = k < a;
            }
            Some(format!(
                "县级以上骨干教师 {a} 人 / 学生 {st} 人 = {} 人/百名学生",
                ratio(a as u64 * 100, st as u64, 2)
            ))
        }
        3 => {
            let a = target_count(thr, st)? as usize;
            if a < 3 {
                return None;
            }
            let pe_art = stage_teachers(u, s, level, |t| t.subject.pe_art());
            let mut excess = pe_art.len().checked_sub(a)?;
            // Convert the surplus of the most numerous of 体育/音乐/美术 first,
            // keeping one teacher of each (A10).
            let mut k = 0;
            while excess > 0 {
                let count = |sub: Subject| {
                    pe_art
                        .iter()
                        .filter(|&&t| u.teachers[t].subject == sub)
                        .count()
                };
                let most = [Subject::Pe, Subject::Music, Subject::Art]
                    .into_iter()
                    .max_by_key(|&sub| count(sub))
                    .unwrap_or(Subject::Pe);
                if count(most) <= 1 {
                    return None;
                }
                let t = *pe_art.iter().find(|&&t| u.teachers[t].subject == most)?;
                u.teachers[t].subject = if k % 2 == 0 {
                    Subject::Chinese
                } else {
                    Subject::Maths
                };
                k += 1;
                excess -= 1;
            }
            Some(format!(
                "体育、艺术专任教师 {a} 人 / 学生 {st} 人 = {} 人/百名学生",
                ratio(a as u64 * 100, st as u64, 2)
            ))
        }
        4 | 5 => {
            let v = uround(total as f64 * thr * 9.0); // 90% of the threshold, in tenths of m²
            let what = if which == 4 {
                u.schools[s].area_teaching = v;
                "教学及辅助用房面积"
            } else {
                u.schools[s].area_sports = v;
                "体育运动场馆面积"
            };
            Some(format!(
                "{what} {} m² / 学生 {total} 人 = {} m²/生",
                fixed(v, 1),
                ratio(v, total as u64 * 10, 2)
            ))
        }
        6 => {
            let v = uround(total as f64 * thr * 0.92 / 10.0) * 10;
            u.schools[s].equipment = v;
            Some(format!(
                "教学仪器设备值 {v} 元 / 学生 {total} 人 = {} 元/生",
                ratio(v, total as u64, 0)
            ))
        }
        7 => {
            let a = (thr * 0.93 * total as f64 / 100.0) as u64;
            if (a as f64) * 100.0 < 0.86 * thr * total as f64 || a == 0 {
                return None;
            }
            u.schools[s].multimedia = a as u32;
            Some(format!(
                "网络多媒体教室 {a} 间 / 学生 {total} 人 = {} 间/百名学生",
                ratio(a * 100, total as u64, 2)
            ))
        }
        _ => None,
    }
}

/// Resizes a class of `level` in school `s` to `target` students, taking the
/// difference from the school's other classes (one student at a time), so the
/// school's numbers do not change. Returns the class.
fn resize_class(
    u: &mut Unit,
    s: usize,
    pred: impl Fn(&Class) -> bool,
    target: u32,
    floor: u32,
) -> Option<usize> {
    let rows = u.class_rows(s);
    let c = rows.clone().find(|&c| pred(&u.classes[c]))?;
    let need = target.checked_sub(u.classes[c].students)?;
    let donors: Vec<usize> = rows.filter(|&d| d != c).collect();
    let spare: u32 = donors
        .iter()
        .map(|&d| u.classes[d].students.saturating_sub(floor))
        .sum();
    if spare < need || donors.is_empty() {
        return None;
    }
    let mut left = need;
    'outer: loop {
        for &d in &donors {
            if left == 0 {
                break 'outer;
            }
            if u.classes[d].students > floor {
                u.classes[d].students -= 1;
                left -= 1;
            }
        }
    }
    u.classes[c].students = target;
    Some(c)
}

fn count_classes(u: &Unit, s: usize, pred: impl Fn(&Class) -> bool) -> usize {
    u.class_rows(s).filter(|&c| pred(&u.classes[c])).count()
}

/// Weighted coefficient of variation as `standards.md` defines it.
fn cv(points: &[(f64, f64)]) -> f64 {
    let p: f64 = points.iter().map(|x| x.0).sum();
    if p <= 0.0 {
        return 0.0;
    }
    let mean = points.iter().map(|x| x.0 * x.1).sum::<f64>() / p;
    let var = points
        .iter()
        .map(|x| x.0 / p * (x.1 - mean) * (x.1 - mean))
        .sum::<f64>();
    if mean == 0.0 { 0.0 } else { var.sqrt() / mean }
}

fn primary_b6_points(u: &Unit) -> Vec<(f64, f64)> {
    u.schools
        .iter()
        .filter(|s| matches!(s.kind, Kind::Primary | Kind::Nine | Kind::Twelve) && s.students >= 50)
        .map(|s| {
            (
                s.parts[Level::Primary as usize] as f64,
                s.equipment as f64 / s.students as f64,
            )
        })
        .collect()
}

/// The state the plants on built rows share: the unit, the schools already
/// used, the records.
pub(crate) struct Cx<'a> {
    spec: &'a UnitSpec,
    pre: &'a Pre,
    u: &'a mut Unit,
    pk: Picker,
    records: &'a mut Vec<Record>,
}

/// One plant on the built rows.
type Case = fn(&mut Cx);

/// The plants on the built rows, in the order they run (the order fixes
/// which school each one picks, so it is part of the output): the rules
/// each should trigger, and the function that plants it.
const AFTER: &[(&str, Case)] = &[
    ("A4, A14.2 (flags)", share_flags),
    ("A2.1, A2.2, A1.03", a2_public_kg),
    ("A2.3", a2_3_township),
    ("A3, A1.04", a3_inclusive_kg),
    ("A4", a4_group_run),
    ("A14.2", a14_2_language),
    ("A15", a15_after_school),
    ("B9.b6.小学", b9_variation),
    ("B1–B8", b1_b8_indicators),
    ("B4.小学, B5.小学, B8.小学", b8_five_indicators),
    ("B10", b10_school_size),
    ("B11, A12", b11_class_sizes),
    ("B12.音乐", b12_music_rooms),
    ("B14", b14_certificate),
    ("B15", b15_training),
    ("B16", b16_funds),
    ("A10", a10_music_teachers),
    ("A11.1", a11_1_interactive),
    ("A11.2", a11_2_wifi),
    ("E1.1, E1.2", e1_class_sizes),
    ("C4.1", c4_kg_class_size),
    ("C6", c6_kg_size),
    ("C7.1", c7_1_certificate),
    ("C7.2", c7_2_head),
    ("D1–D6", d_vocational),
    ("A6.1, A6.2", a6_dual_teachers),
    ("A8", a8_leader_degrees),
];

/// Plants on the built rows: every case of [`AFTER`] in order.
pub(crate) fn after(spec: &UnitSpec, pre: &Pre, u: &mut Unit, records: &mut Vec<Record>) {
    let mut pk = Picker {
        used: vec![false; u.schools.len()],
        rng: Rng::derive(spec.seed, &[spec.index as u64, spec.year as u64, TAG_PLANT]),
    };
    for i in [pre.c6, pre.b10, pre.d, pre.a23].into_iter().flatten() {
        pk.used[i] = true;
    }
    let mut cx = Cx {
        spec,
        pre,
        u,
        pk,
        records,
    };
    for (_, case) in AFTER {
        case(&mut cx);
    }
    if spec.index != 0 {
        records.retain(|r| !r.wide);
    }
}

/// How a district-wide record names the district.
fn district_name(spec: &UnitSpec) -> String {
    format!("{}（全区）", spec.name)
}

/// A school of kind `k`.
fn is(k: Kind) -> impl Fn(&Unit, usize) -> bool {
    move |u: &Unit, s: usize| u.schools[s].kind == k
}

/// A school of kind `k` with `lo..=hi` students.
fn sized(k: Kind, lo: u32, hi: u32) -> impl Fn(&Unit, usize) -> bool {
    move |u: &Unit, s: usize| u.schools[s].kind == k && (lo..=hi).contains(&u.schools[s].students)
}

/// A4, A14.2: the flags whose shares are planted below their 2025 targets.
fn share_flags(cx: &mut Cx) {
    let Cx { spec, u, .. } = cx;
    if spec.year >= 2025 {
        // A4 and A14.2: 集团化办学 for 5 points less than its 2025 target of
        // the compulsory-education schools (55%), 示范校 for 4 points less
        // of schools (56%).
        let l = spec.limits;
        assign_flags(
            u,
            spec,
            u64::from(l.group_run_min.saturating_sub(5)) * 100,
            u64::from(l.language_model_min.saturating_sub(4)) * 100,
        );
    }
}

/// What the kindergarten shares count.
struct KgShares {
    schools: u64,
    children: u64,
    public: u64,
    public_children: u64,
    inclusive_children: u64,
}

fn kg_shares(u: &Unit) -> KgShares {
    let kg: Vec<&School> = u.schools.iter().filter(|s| s.kind == Kind::Kg).collect();
    let students = |f: &dyn Fn(&School) -> bool| -> u64 {
        kg.iter().filter(|s| f(s)).map(|s| s.students as u64).sum()
    };
    KgShares {
        schools: kg.len() as u64,
        children: students(&|_| true),
        public: kg.iter().filter(|s| s.public).count() as u64,
        public_children: students(&|s| s.public),
        inclusive_children: students(&|s| s.public || s.inclusive == Some(true)),
    }
}

/// A2.1, A2.2, A1.03: the shares of public kindergartens and their children
/// below their targets (planted in the allocation).
fn a2_public_kg(cx: &mut Cx) {
    let Cx {
        spec,
        pre,
        u,
        records,
        ..
    } = cx;
    let y = spec.year;
    let district = district_name(spec);
    let KgShares {
        schools,
        children: kg_children,
        public: public_count,
        public_children,
        ..
    } = kg_shares(u);
    if y >= 2021 {
        let rules = if y >= 2025 {
            "A2.1, A2.2, A1.03"
        } else {
            "A1.03"
        };
        rec_wide(
            records,
            rules,
            district.clone(),
            format!(
                "公办园 {public_count} 所 / 幼儿园 {} 所 = {}（其中 {} 所小型公办园改为民办）；公办园在园幼儿 {public_children} / {kg_children} = {}",
                schools,
                pct(public_count, schools),
                pre.converted_public,
                pct(public_children, kg_children)
            ),
            "A2: 均不低于55%（2025年）；A1.03: 不低于 51.48%→55% 的规划进度",
        );
    }
}

/// A3, A1.04: the share of children in 普惠性 kindergartens below its target.
fn a3_inclusive_kg(cx: &mut Cx) {
    let Cx {
        spec, u, records, ..
    } = cx;
    let y = spec.year;
    let district = district_name(spec);
    let KgShares {
        children: kg_children,
        inclusive_children,
        ..
    } = kg_shares(u);
    if y >= 2021 {
        rec_wide(
            records,
            "A3, A1.04",
            district.clone(),
            format!(
                "普惠性幼儿园（公办园和普惠性民办园）在园幼儿 {inclusive_children} / {kg_children} = {}",
                pct(inclusive_children, kg_children)
            ),
            "A3: 不低于90%；A1.04: 不低于 93.86%→94% 的规划进度（C2 的80%仍达到）",
        );
    }
}

/// A2.3: a 乡镇 without public kindergarten (planted in the allocation).
fn a2_3_township(cx: &mut Cx) {
    let Cx {
        pre, u, records, ..
    } = cx;
    if let Some(s) = pre.a23 {
        rec_wide(
            records,
            "A2.3",
            format!("{}（乡镇街道）", u.schools[s].township),
            format!(
                "没有公办幼儿园：唯一的公办园 {} 改为民办（普惠性）",
                school_label(u, s)
            ),
            "各乡镇至少有一所公办幼儿园（中心园）",
        );
    }
}

/// A4: the share of 集团化办学 schools below its 2025 target.
fn a4_group_run(cx: &mut Cx) {
    let Cx {
        spec, u, records, ..
    } = cx;
    let district = district_name(spec);
    let target = spec.limits.group_run_min;
    if spec.year < 2025 {
        return;
    }
    let comp: Vec<&School> = u.schools.iter().filter(|s| s.kind.a4_school()).collect();
    let g = comp.iter().filter(|s| s.group_run).count() as u64;
    rec_wide(
        records,
        "A4",
        district.clone(),
        format!(
            "集团化办学的义务教育学校 {g} / {} = {}",
            comp.len(),
            pct(g, comp.len() as u64)
        ),
        &format!("不低于 17.34%→{target}% 的规划进度（2025年{target}%）"),
    );
}

/// A14.2: the share of 语言文字规范化示范校 below its 2025 target.
fn a14_2_language(cx: &mut Cx) {
    let Cx {
        spec, u, records, ..
    } = cx;
    let district = district_name(spec);
    if spec.year < 2025 {
        return;
    }
    let l = u.schools.iter().filter(|s| s.language_model).count() as u64;
    rec_wide(
        records,
        "A14.2",
        district.clone(),
        format!(
            "语言文字规范化示范校 {l} / {} = {}",
            u.schools.len(),
            pct(l, u.schools.len() as u64)
        ),
        &format!("不低于{}%", spec.limits.language_model_min),
    );
}

/// A15: fewer high schools with after-school service than the 2025 target.
fn a15_after_school(cx: &mut Cx) {
    let Cx {
        spec, u, records, ..
    } = cx;
    let district = district_name(spec);
    if spec.year < 2025 {
        return;
    }
    // A15: three high schools stop their after-school service (a lone
    // district only: N districts have far more than 15 high schools).
    if spec.units == 1 {
        let mut off = Vec::new();
        for s in 0..u.schools.len() {
            // 普通高中 only: a 完全中学 or 十二年一贯制 without after-school
            // service would miss A28 (义务教育课后服务) too.
            if off.len() < 3 && u.schools[s].kind == Kind::Senior {
                u.schools[s].after_school = false;
                off.push(u.schools[s].name.clone());
            }
        }
        let on = u
            .schools
            .iter()
            .filter(|s| {
                matches!(s.kind, Kind::Senior | Kind::Complete | Kind::Twelve) && s.after_school
            })
            .count();
        rec_wide(
            records,
            "A15",
            district.clone(),
            format!("开展课后服务的高中 {on} 所（{} 未开展）", off.join("、")),
            &format!("不少于{}所", spec.limits.after_school_min),
        );
    }
}

/// B9.b6.小学: one coefficient of variation above its limit.
fn b9_variation(cx: &mut Cx) {
    let Cx { u, pk, records, .. } = cx;
    let mut cands: Vec<usize> = (0..u.schools.len())
        .filter(|&s| {
            u.schools[s].kind == Kind::Primary && !pk.used[s] && u.schools[s].students >= 300
        })
        .collect();
    pk.rng.shuffle(&mut cands);
    let mut raised = 0;
    for s in cands {
        if cv(&primary_b6_points(u)) > 0.60 {
            break;
        }
        let per = pk.rng.range(12_000.0, 14_000.0);
        u.schools[s].equipment = uround(u.schools[s].students as f64 * per / 10.0) * 10;
        pk.used[s] = true;
        raised += 1;
    }
    rec_wide(
        records,
        "B9.b6.小学",
        "全区小学（含一贯制学校小学部）".to_string(),
        format!(
            "生均教学仪器设备值的差异系数 {}（{raised} 所小学生均设备值提高到12000–14000元，其余2200–4400元）",
            super::out::dec3(cv(&primary_b6_points(u)))
        ),
        "不超过0.50",
    );
}

/// B1–B8: one school per indicator.
fn b1_b8_indicators(cx: &mut Cx) {
    let Cx { u, pk, records, .. } = cx;
    let indicator_plants: [(usize, Kind, Level, u32); 8] = [
        (1, Kind::Junior, Level::Junior, 600),
        (2, Kind::Primary, Level::Primary, 1000),
        (3, Kind::Primary, Level::Primary, 1000),
        (4, Kind::Junior, Level::Junior, 300),
        (5, Kind::Primary, Level::Primary, 300),
        (6, Kind::Junior, Level::Junior, 300),
        (7, Kind::Primary, Level::Primary, 800),
        (2, Kind::Nine, Level::Junior, 0),
    ];
    for (which, kind, level, min) in indicator_plants {
        for _ in 0..50 {
            let Some(s) = pk.pick(u, sized(kind, min, 100_000)) else {
                break;
            };
            let stage = if kind == Kind::Nine {
                format!("（{}部）", stage_name(level))
            } else {
                String::new()
            };
            if let Some(v) = plant_indicator(u, s, level, which) {
                rec(
                    records,
                    &format!("B{which}.{}", stage_name(level)),
                    format!("{}{stage}", school_label(u, s)),
                    v,
                    &format!(
                        "不低于 {}（未达标但不低于85%，B8 仍达到）",
                        THRESHOLD_TEXT[usize::from(level == Level::Junior)][which - 1]
                    ),
                );
                break;
            }
        }
    }
}

/// B4.小学, B5.小学, B8.小学: a school with only five indicators met.
fn b8_five_indicators(cx: &mut Cx) {
    let Cx { u, pk, records, .. } = cx;
    if let Some(s) = pk.pick(u, sized(Kind::Primary, 300, 100_000)) {
        let a = plant_indicator(u, s, Level::Primary, 4).unwrap_or_default();
        let b = plant_indicator(u, s, Level::Primary, 5).unwrap_or_default();
        rec(
            records,
            "B4.小学, B5.小学, B8.小学",
            school_label(u, s),
            format!("只有5项指标达标：{a}；{b}"),
            "至少6项达标（B4 ≥ 4.5，B5 ≥ 7.5）",
        );
    }
}

/// B10: a primary school above its size (planted in the allocation).
fn b10_school_size(cx: &mut Cx) {
    let Cx {
        pre, u, records, ..
    } = cx;
    if let Some(s) = pre.b10 {
        rec(
            records,
            "B10",
            school_label(u, s),
            format!("在校生 {} 人", u.schools[s].students),
            "小学不超过2000人",
        );
    }
}

/// A class made larger than a limit of the pack: picked in a school, its
/// size set relative to the limit (the other classes of the school give the
/// students, down to `floor`), and its record.
struct ClassPlant {
    rules: &'static str,
    school: fn(&Unit, usize) -> bool,
    class: fn(&Class) -> bool,
    size: fn(&Limits) -> u32,
    floor: u32,
    /// The record's value: the size between these.
    value: (&'static str, &'static str),
    standard: fn(&Limits) -> String,
}

/// B11, A12: primary and junior classes over their limits.
const B11_CLASSES: [ClassPlant; 3] = [
    ClassPlant {
        rules: "B11",
        school: |u, s| {
            u.schools[s].kind == Kind::Primary
                && count_classes(u, s, |c| c.level == Level::Primary) >= 12
        },
        class: |c| c.level == Level::Primary && c.grade == 3,
        size: |l| l.class_max[0] + 2,
        floor: 25,
        value: ("班额 ", " 人"),
        standard: |l| format!("小学每班不超过{}人（未达大班额）", l.class_max[0]),
    },
    ClassPlant {
        rules: "A12, B11",
        school: |u, s| {
            u.schools[s].kind == Kind::Primary
                && count_classes(u, s, |c| c.level == Level::Primary) >= 18
        },
        class: |c| c.level == Level::Primary && c.grade == 4,
        size: |l| l.large_class + 2,
        floor: 25,
        value: ("班额 ", " 人（大班额）"),
        standard: |l| {
            format!(
                "不出现{}人及以上的大班额；小学每班不超过{}人",
                l.large_class, l.class_max[0]
            )
        },
    },
    ClassPlant {
        rules: "A12, B11",
        school: |u, s| {
            u.schools[s].kind == Kind::Junior
                && count_classes(u, s, |c| c.level == Level::Junior) >= 12
        },
        class: |c| c.level == Level::Junior && c.grade == 2,
        size: |l| l.large_class + 1,
        floor: 30,
        value: ("班额 ", " 人（初中大班额）"),
        standard: |l| format!("初中大班额全部消除；初中每班不超过{}人", l.class_max[1]),
    },
];

/// E1.1, E1.2: high-school classes over their limits.
const E1_CLASSES: [ClassPlant; 2] = [
    ClassPlant {
        rules: "E1.1",
        school: |u, s| u.schools[s].kind == Kind::Senior,
        class: |c| c.level == Level::High && c.grade == 1,
        size: |l| l.senior_class_max + 3,
        floor: 30,
        value: ("班额 ", " 人"),
        standard: |l| format!("普通高中每班不超过{}人（未达大班额）", l.senior_class_max),
    },
    ClassPlant {
        rules: "E1.1, E1.2",
        school: |u, s| u.schools[s].kind == Kind::Senior,
        class: |c| c.level == Level::High && c.grade == 2,
        size: |l| l.large_class + 1,
        floor: 30,
        value: ("班额 ", " 人（大班额）"),
        standard: |l| format!("普通高中每班不超过{}人，不出现大班额", l.senior_class_max),
    },
];

/// C4.1: a kindergarten class over its limit.
const C4_CLASSES: [ClassPlant; 1] = [ClassPlant {
    rules: "C4.1",
    school: |u, s| {
        u.schools[s].kind == Kind::Kg && count_classes(u, s, |c| c.kg == Some(KgType::Small)) >= 2
    },
    class: |c| c.kg == Some(KgType::Small),
    size: |l| l.kg_small_max + 3,
    floor: 12,
    value: ("小班 ", " 人"),
    standard: |l| {
        format!(
            "小班不超过{}人（全区达标班级比例仍在{}%以上，C4.2 达到）",
            l.kg_small_max, l.kg_class_ok_min
        )
    },
}];

/// Plants the classes of `plants`, in order.
fn plant_classes(cx: &mut Cx, plants: &[ClassPlant]) {
    let Cx {
        spec,
        u,
        pk,
        records,
        ..
    } = cx;
    for p in plants {
        let size = (p.size)(&spec.limits);
        if let Some(s) = pk.pick(u, p.school)
            && let Some(c) = resize_class(u, s, p.class, size, p.floor)
        {
            rec(
                records,
                p.rules,
                class_label(u, c, spec.year),
                format!("{}{size}{}", p.value.0, p.value.1),
                &(p.standard)(&spec.limits),
            );
        }
    }
}

fn b11_class_sizes(cx: &mut Cx) {
    plant_classes(cx, &B11_CLASSES);
}

fn e1_class_sizes(cx: &mut Cx) {
    plant_classes(cx, &E1_CLASSES);
}

fn c4_kg_class_size(cx: &mut Cx) {
    plant_classes(cx, &C4_CLASSES);
}

/// B12.音乐: too few music rooms.
fn b12_music_rooms(cx: &mut Cx) {
    let Cx { u, pk, records, .. } = cx;
    if let Some(s) = pk.pick(u, |u, s| {
        matches!(u.schools[s].kind, Kind::Primary | Kind::Junior)
            && count_classes(u, s, |c| matches!(c.level, Level::Primary | Level::Junior)) >= 24
    }) {
        let cc = count_classes(u, s, |c| matches!(c.level, Level::Primary | Level::Junior)) as u32;
        let need = cc.div_ceil(12);
        u.schools[s].music = need - 1;
        rec(
            records,
            "B12.音乐",
            school_label(u, s),
            format!("{cc} 个班级，音乐专用教室 {} 间", need - 1),
            "每12个班级1间以上（需要 ⌈班级数/12⌉ 间）",
        );
    }
}

/// B14: a teacher without certificate.
fn b14_certificate(cx: &mut Cx) {
    let Cx { u, pk, records, .. } = cx;
    if let Some(s) = pk.pick(u, sized(Kind::Primary, 200, 100_000))
        && let Some(t) = u
            .teacher_rows(s)
            .find(|&t| u.teachers[t].full_time && !u.teachers[t].leader)
    {
        u.teachers[t].certified = false;
        rec(
            records,
            "B14",
            teacher_label(u, t),
            "专任教师未持有教师资格证".into(),
            "专任教师持证上岗率100%",
        );
    }
}

/// B15: a teacher short of training hours.
fn b15_training(cx: &mut Cx) {
    let Cx {
        spec,
        u,
        pk,
        records,
        ..
    } = cx;
    let min = spec.limits.training_hours_min;
    let hours = min.saturating_sub(80);
    if let Some(s) = pk.pick(u, sized(Kind::Primary, 200, 100_000))
        && let Some(t) = u
            .teacher_rows(s)
            .find(|&t| u.teachers[t].full_time && !u.teachers[t].leader)
    {
        u.teachers[t].hours = u16::try_from(hours).unwrap_or(u16::MAX);
        rec(
            records,
            "B15",
            teacher_label(u, t),
            format!("五年累计培训 {hours} 学时"),
            &format!("5年{min}学时培训完成率100%"),
        );
    }
}

/// B16: public funds per student below the minimum.
fn b16_funds(cx: &mut Cx) {
    let Cx {
        spec,
        u,
        pk,
        records,
        ..
    } = cx;
    let [primary, junior] = spec.limits.funds_min;
    for (kind, stage, min) in [
        (Kind::Primary, "小学", primary),
        (Kind::Junior, "初中", junior),
    ] {
        if let Some(s) = pk.pick(u, sized(kind, 200, 100_000)) {
            let funds = min.saturating_sub(40);
            u.schools[s].public_funds = funds;
            rec(
                records,
                "B16",
                school_label(u, s),
                format!("生均公用经费 {funds} 元"),
                &format!("{stage}不低于{min}元"),
            );
        }
    }
}

/// A10: a school without music teacher.
fn a10_music_teachers(cx: &mut Cx) {
    let Cx { u, pk, records, .. } = cx;
    if let Some(s) = pk.pick(u, sized(Kind::Primary, 300, 100_000)) {
        let mut n = 0;
        for t in u.teacher_rows(s) {
            if u.teachers[t].subject == Subject::Music {
                u.teachers[t].subject = Subject::Art;
                n += 1;
            }
        }
        rec(
            records,
            "A10",
            school_label(u, s),
            format!("没有音乐教师（{n} 名音乐教师改任美术，体育艺术教师总数不变）"),
            "科学、外语、音乐、体育、美术、综合实践教师配备率100%",
        );
    }
    // A11 is in force from 2025 (the plan's 全覆盖 goals): the schools are
    // picked in every year, so the later picks stay the same, and planted
    // from 2025.
}

/// A11.1: classes without interactive equipment.
fn a11_1_interactive(cx: &mut Cx) {
    let Cx {
        spec,
        u,
        pk,
        records,
        ..
    } = cx;
    let y = spec.year;
    if let Some(s) = pk.pick(u, sized(Kind::Primary, 300, 100_000))
        && y >= 2025
    {
        let rows: Vec<usize> = u.class_rows(s).take(2).collect();
        for &c in &rows {
            u.classes[c].interactive = false;
        }
        rec(
            records,
            "A11.1",
            school_label(u, s),
            format!("{} 个班级未配备互动式多媒体教学设备", rows.len()),
            "互动式多媒体教学设备配备率100%（2025年起检查）",
        );
    }
}

/// A11.2: a school without wifi.
fn a11_2_wifi(cx: &mut Cx) {
    let Cx {
        spec,
        u,
        pk,
        records,
        ..
    } = cx;
    let y = spec.year;
    if let Some(s) = pk.pick(u, is(Kind::Junior))
        && y >= 2025
    {
        u.schools[s].wifi = false;
        rec(
            records,
            "A11.2",
            school_label(u, s),
            "校园无线网络：否".into(),
            "校园无线网络全覆盖（2025年起检查）",
        );
    }
}

/// C6: a kindergarten above its size (planted in the allocation).
fn c6_kg_size(cx: &mut Cx) {
    let Cx {
        pre, u, records, ..
    } = cx;
    if let Some(s) = pre.c6 {
        rec(
            records,
            "C6",
            school_label(u, s),
            format!("在园幼儿 {} 人", u.schools[s].students),
            "不超过360人",
        );
    }
}

/// C7.1: a kindergarten teacher without certificate.
fn c7_1_certificate(cx: &mut Cx) {
    let Cx { u, pk, records, .. } = cx;
    if let Some(s) = pk.pick(u, is(Kind::Kg))
        && let Some(t) = u
            .teacher_rows(s)
            .find(|&t| u.teachers[t].full_time && !u.teachers[t].head)
    {
        u.teachers[t].certified = false;
        rec(
            records,
            "C7.1",
            teacher_label(u, t),
            "专任教师未持有教师资格证".into(),
            "幼儿园专任教师持证上岗率100%",
        );
    }
}

/// C7.2: a kindergarten head without qualification.
fn c7_2_head(cx: &mut Cx) {
    let Cx { u, pk, records, .. } = cx;
    if let Some(s) = pk.pick(u, is(Kind::Kg))
        && let Some(t) = u.teacher_rows(s).find(|&t| u.teachers[t].head)
    {
        u.teachers[t].head_cert = Some(false);
        rec(
            records,
            "C7.2",
            teacher_label(u, t),
            "园长未持有园长任职资格证".into(),
            "园长具备任职资格",
        );
    }
}

/// D1–D6: a 中职 school below every figure of the 设置标准.
fn d_vocational(cx: &mut Cx) {
    let Cx {
        spec,
        pre,
        u,
        records,
        ..
    } = cx;
    let y = spec.year;
    if let Some(s) = pre.d {
        plant_vocational(u, s);
        let sc = &u.schools[s];
        let st = sc.students as u64;
        let ts: Vec<&Teacher> = u.teacher_rows(s).map(|t| &u.teachers[t]).collect();
        let ft = ts.iter().filter(|t| t.full_time).count() as u64;
        let prof_ft = ts
            .iter()
            .filter(|t| t.full_time && t.subject == Subject::Professional)
            .count() as u64;
        let dual = ts
            .iter()
            .filter(|t| t.full_time && t.subject == Subject::Professional && t.dual == Some(true))
            .count() as u64;
        let senior = ts.iter().filter(|t| t.full_time && t.senior).count() as u64;
        let rules = if y >= 2025 {
            "D1, D2.1, D2.2, D3.1, D3.2, D4, D5.1, D5.2, D5.3, D5.4, D6.1, D6.2, A6.2"
        } else {
            "D1, D2.1, D2.2, D3.1, D3.2, D4, D5.1, D5.2, D5.3, D5.4, D6.1, D6.2"
        };
        rec(
            records,
            rules,
            school_label(u, s),
            format!(
                "在校生 {st}；专任教师 {ft}（生师比 {}:1）；专业课 {prof_ft}/{ft} = {}；双师型 {dual}/{prof_ft}（专任专业课教师） = {}；高级职称 {senior}/{ft} = {}；占地 {} m²（{} m²/生）；校舍 {} m²（{} m²/生）；设备 {} 元/生；图书 {} 册/生",
                ratio(st, ft, 1),
                pct(prof_ft, ft),
                pct(dual, prof_ft),
                pct(senior, ft),
                fixed(sc.area_land, 1),
                ratio(sc.area_land, st * 10, 1),
                fixed(sc.area_buildings, 1),
                ratio(sc.area_buildings, st * 10, 1),
                ratio(sc.equipment, st, 0),
                ratio(sc.books, st, 1)
            ),
            "≥1200人；≥60名专任教师、生师比≤20；专业课≥50%、双师型≥30%；高级职称≥20%；占地≥40000 m²且≥33 m²/生；校舍≥24000 m²且≥20 m²/生；设备≥2500元/生；图书≥30册/生",
        );
    }
}

/// A6: the share of 双师型 teachers of the 中职 schools below its 2025 target.
fn a6_dual_teachers(cx: &mut Cx) {
    let Cx {
        spec,
        pre,
        u,
        records,
        ..
    } = cx;
    let y = spec.year;
    let district = district_name(spec);
    if y < 2025 {
        return;
    }
    let mut per_school = Vec::new();
    for s in 0..u.schools.len() {
        if u.schools[s].kind != Kind::Voc || Some(s) == pre.d {
            continue;
        }
        // A6 counts the full-time (专任) 专业课 teachers.
        let prof: Vec<usize> = u
            .teacher_rows(s)
            .filter(|&t| u.teachers[t].subject == Subject::Professional && u.teachers[t].full_time)
            .collect();
        let a = prof.len() * 56 / 100;
        for (k, &t) in prof.iter().enumerate() {
            u.teachers[t].dual = Some(k < a);
        }
        per_school.push((s, a as u64, prof.len() as u64));
    }
    let all: Vec<&Teacher> = u
        .teachers
        .iter()
        .filter(|t| {
            t.full_time
                && t.subject == Subject::Professional
                && u.schools[t.school as usize].kind == Kind::Voc
        })
        .collect();
    let dual = all.iter().filter(|t| t.dual == Some(true)).count() as u64;
    rec_wide(
        records,
        "A6.1",
        district.clone(),
        format!(
            "全区中职专任专业课教师中“双师型” {dual}/{} = {}",
            all.len(),
            pct(dual, all.len() as u64)
        ),
        "不低于60%",
    );
    for (s, a, n) in per_school {
        rec(
            records,
            "A6.2",
            school_label(u, s),
            format!("专任专业课教师中“双师型” {a}/{n} = {}", pct(a, n)),
            "不低于60%（D3.2 的30%仍达到）",
        );
    }
}

/// A8: the share of 中小学 school leaders with a 本科 degree below its 2025 target.
fn a8_leader_degrees(cx: &mut Cx) {
    let Cx {
        spec, u, records, ..
    } = cx;
    let y = spec.year;
    let district = district_name(spec);
    if y < 2025 {
        return;
    }
    // A8 counts the leaders of 中小学 (not of kindergartens, 中职 or
    // special schools). Demoted are leaders of primary schools, for
    // whom a 专科 degree still counts for B1.
    let zhongxiao = |k: Kind| {
        matches!(
            k,
            Kind::Primary
                | Kind::TeachingPoint
                | Kind::Junior
                | Kind::Nine
                | Kind::Twelve
                | Kind::Complete
                | Kind::Senior
        )
    };
    let is_leader =
        |u: &Unit, t: &Teacher| t.leader && zhongxiao(u.schools[t.school as usize].kind);
    let leaders = u.teachers.iter().filter(|t| is_leader(u, t)).count() as u64;
    let degree = u
        .teachers
        .iter()
        .filter(|t| is_leader(u, t) && t.degree >= Degree::Bachelor)
        .count() as u64;
    let goal = leaders * 86 / 100;
    let mut demote = degree.saturating_sub(goal);
    for i in 0..u.teachers.len() {
        if demote == 0 {
            break;
        }
        let t = &u.teachers[i];
        if t.leader
            && t.degree >= Degree::Bachelor
            && u.schools[t.school as usize].kind == Kind::Primary
        {
            u.teachers[i].degree = Degree::College;
            demote -= 1;
        }
    }
    let degree = u
        .teachers
        .iter()
        .filter(|t| is_leader(u, t) && t.degree >= Degree::Bachelor)
        .count() as u64;
    rec_wide(
        records,
        "A8",
        district.clone(),
        format!(
            "中小学校级干部本科以上学历 {degree}/{leaders} = {}（降低的是小学校级干部）",
            pct(degree, leaders)
        ),
        "不低于90%",
    );
}

/// The 中职 school of the D plant: below every figure of the 设置标准.
fn plant_vocational(u: &mut Unit, s: usize) {
    let st = u.schools[s].students as u64;
    let rows: Vec<usize> = u.teacher_rows(s).collect();
    // 45 full-time teachers: 18 专业课 (40%), 6 senior (13%); the rest part-time.
    let mut ft = 0;
    let mut prof_ft = 0;
    let mut senior = 0;
    for &t in &rows {
        let te = &mut u.teachers[t];
        if !te.full_time {
            continue;
        }
        if ft >= 45 {
            te.full_time = false;
            te.leader = te.leader && te.head;
            continue;
        }
        ft += 1;
        if prof_ft < 18 {
            te.subject = Subject::Professional;
            prof_ft += 1;
        } else if te.subject == Subject::Professional {
            te.subject = Subject::Culture;
        }
        te.senior = senior < 6 && {
            senior += 1;
            true
        };
    }
    for &t in &rows {
        let te = &mut u.teachers[t];
        te.dual = (te.subject == Subject::Professional).then_some(false);
    }
    // 双师型: a quarter of the full-time 专业课 teachers (D3.2 counts those).
    let prof: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&t| u.teachers[t].subject == Subject::Professional && u.teachers[t].full_time)
        .collect();
    let a = prof.len() / 4;
    for &t in prof.iter().take(a) {
        u.teachers[t].dual = Some(true);
    }
    let sc = &mut u.schools[s];
    sc.area_land = 300_000; // 30,000 m²
    sc.area_buildings = 180_000; // 18,000 m²
    sc.equipment = st * 2100;
    sc.books = st * 25;
}

/// Adds the plants of the 区县 table (rows from 2020 to the report year).
pub(crate) fn district(
    rows: &mut [DistrictRow],
    name: &str,
    kg_children: u64,
    compulsory_pay: (u64, u64),
    records: &mut Vec<Record>,
) {
    let Some(last) = rows.len().checked_sub(1) else {
        return;
    };
    let y = rows[last].year;
    let entity = |y: i32| format!("{name} 区县表 {y}年");
    // A9 / B13: civil servants earn 3% more than compulsory-school teachers.
    let (sum, n) = compulsory_pay;
    let avg = sum / n.max(1);
    rows[last].civil_servant_pay = uceil(avg as f64 * 1.03 / 10.0) * 10;
    rec(
        records,
        "A9, B13",
        entity(y),
        format!(
            "公办义务教育学校专任教师年平均工资 {avg} 元，公务员年平均工资 {} 元",
            rows[last].civil_servant_pay
        ),
        "教师平均工资不低于公务员",
    );
    if y >= 2021 {
        let children = kg_children;
        let rate = (plan::line(9010, 9350, y) - 150) as u64;
        rows[last].population_3_5 = children * 10000 / rate;
        rec(
            records,
            "A1.02",
            entity(y),
            format!(
                "3-5岁常住人口 {}，学前教育毛入园率约 {}",
                rows[last].population_3_5,
                pct(children, rows[last].population_3_5)
            ),
            "不低于 90.1%→93.5% 的规划进度（C1 的85%仍达到）",
        );
        // A13.1 and A13.2: spending falls 1.5% in the report year.
        let prev = rows[last - 1].spending;
        let old = rows[last].spending;
        let new = prev * 985 / 1000;
        rows[last].per_student = rows[last].per_student * new / old.max(1);
        rows[last].spending = new;
        rec(
            records,
            "A13.1, A13.2",
            entity(y),
            format!(
                "一般公共预算教育支出 {} 万元（上年 {} 万元）；生均 {} 元（上年 {} 元）",
                fixed(new, 1),
                fixed(prev, 1),
                rows[last].per_student,
                rows[last - 1].per_student
            ),
            "逐年只增不减",
        );
    }
    if y >= 2022 {
        // A13.3: in the year before the report year, appropriations grow 1 point
        // less than recurring revenue.
        let (a, b) = (last - 2, last - 1);
        let rev_growth = rows[b].revenue as f64 / rows[a].revenue as f64 - 1.0;
        rows[b].appropriation = uround(rows[a].appropriation as f64 * (1.0 + rev_growth - 0.01));
        rec(
            records,
            "A13.3",
            entity(y - 1),
            format!(
                "教育财政拨款增长 {}，财政经常性收入增长 {}",
                pct(
                    rows[b].appropriation - rows[a].appropriation,
                    rows[a].appropriation
                ),
                pct(rows[b].revenue - rows[a].revenue, rows[a].revenue)
            ),
            "教育财政拨款的增长高于财政经常性收入的增长",
        );
    }
    if y >= 2025 {
        rows[last].quality_coverage = 5700;
        rec(
            records,
            "A5.2",
            entity(y),
            "优质教育覆盖率 57.00%".into(),
            "不低于60%",
        );
        rows[last].putonghua = 8350;
        rec(
            records,
            "A14.1",
            entity(y),
            "普通话普及率 83.50%".into(),
            "不低于85%",
        );
    }
    rows[last].vocational_progression = 4750;
    if y >= 2025 {
        rec(
            records,
            "A7.2",
            entity(y),
            "中职毕业生升高职和应用本科比例 47.50%".into(),
            "不低于50%",
        );
    }
    rows[last].junior_retention = 9400;
    rec(
        records,
        "B17.1",
        entity(y),
        "初中三年巩固率 94.00%".into(),
        "不低于95%",
    );
    rows[last].disabled_enrolment = 9300;
    rec(
        records,
        "B17.2",
        entity(y),
        "残疾儿童少年入学率 93.00%".into(),
        "不低于95%",
    );
    rows[last].satisfaction = 8300;
    rec(
        records,
        "B18",
        entity(y),
        "社会认可度 83.00%".into(),
        "不低于85%",
    );
}

/// Rules that a submission of several districts fails by its size alone.
pub(crate) fn scale(year: i32, units: usize, factor_sum: f64) -> Vec<Record> {
    let mut v = Vec::new();
    if units < 2 {
        return v;
    }
    let entity = format!("全部 {units} 个区县单位（合计）");
    if year >= 2021 {
        rec(
            &mut v,
            "A1.01, A1.05, A1.06, A1.07, A1.09, A1.10, A1.11, A1.13, A1.14, A1.15",
            entity.clone(),
            format!(
                "在校生和高等教育规模约是一个区规划规模的 {} 倍",
                fixed(uround(factor_sum * 10.0), 1)
            ),
            "与规划规模的偏差不超过5%（参考性）",
        );
    }
    if year >= 2025 {
        rec(
            &mut v,
            "A7.3, A7.4",
            entity,
            "公办、民办中职的所数是各单位之和".into(),
            "形成4个公办中职、2-3个民办中职（预期性）",
        );
    }
    v
}

/// National scale: about 2% of schools get one random school-level violation.
pub(crate) fn sprinkle(spec: &UnitSpec, u: &mut Unit, records: &mut Vec<Record>) {
    let mut rng = Rng::derive(
        spec.seed,
        &[spec.index as u64, spec.year as u64, TAG_PLANT, 2],
    );
    let y = spec.year;
    for s in 0..u.schools.len() {
        if !rng.chance(0.02) {
            continue;
        }
        let kind = u.schools[s].kind;
        let choice = rng.below(16);
        let level = match kind {
            Kind::Primary => Level::Primary,
            Kind::Junior => Level::Junior,
            _ => Level::Kg,
        };
        let sn = stage_name(level);
        match kind {
            Kind::Primary | Kind::Junior if u.schools[s].students >= 50 => match choice {
                0..=6 => {
                    if let Some(v) = plant_indicator(u, s, level, choice + 1) {
                        rec(
                            records,
                            &format!("B{}.{sn}", choice + 1),
                            school_label(u, s),
                            v,
                            "",
                        );
                    }
                }
                7 => {
                    let cap = spec.limits.class_max[usize::from(level == Level::Junior)] + 2;
                    if let Some(c) = resize_class(u, s, |c| c.level == level, cap, 15) {
                        rec(
                            records,
                            "B11",
                            class_label(u, c, y),
                            format!("班额 {cap} 人"),
                            "",
                        );
                    }
                }
                8 => {
                    let cap = spec.limits.large_class + 2;
                    if let Some(c) = resize_class(u, s, |c| c.level == level, cap, 15) {
                        rec(
                            records,
                            "A12, B11",
                            class_label(u, c, y),
                            format!("班额 {cap} 人"),
                            "",
                        );
                    }
                }
                9 => {
                    let cc =
                        count_classes(u, s, |c| matches!(c.level, Level::Primary | Level::Junior))
                            as u32;
                    if cc > 12 {
                        u.schools[s].music = cc.div_ceil(12) - 1;
                        rec(
                            records,
                            "B12.音乐",
                            school_label(u, s),
                            format!("{cc} 个班级，音乐专用教室 {}", cc.div_ceil(12) - 1),
                            "",
                        );
                    }
                }
                10 | 11 => {
                    if let Some(t) = u
                        .teacher_rows(s)
                        .find(|&t| u.teachers[t].full_time && !u.teachers[t].leader)
                    {
                        if choice == 10 {
                            u.teachers[t].certified = false;
                            rec(
                                records,
                                "B14",
                                teacher_label(u, t),
                                "未持有教师资格证".into(),
                                "",
                            );
                        } else {
                            let hours = spec.limits.training_hours_min.saturating_sub(80);
                            u.teachers[t].hours = u16::try_from(hours).unwrap_or(u16::MAX);
                            rec(
                                records,
                                "B15",
                                teacher_label(u, t),
                                format!("五年累计培训 {hours} 学时"),
                                "",
                            );
                        }
                    }
                }
                12 => {
                    let v = spec.limits.funds_min[usize::from(level == Level::Junior)]
                        .saturating_sub(40);
                    u.schools[s].public_funds = v;
                    rec(
                        records,
                        "B16",
                        school_label(u, s),
                        format!("生均公用经费 {v} 元"),
                        "",
                    );
                }
                13 => {
                    for t in u.teacher_rows(s) {
                        if u.teachers[t].subject == Subject::Music {
                            u.teachers[t].subject = Subject::Art;
                        }
                    }
                    rec(
                        records,
                        "A10",
                        school_label(u, s),
                        "没有音乐教师".into(),
                        "",
                    );
                }
                14 if y < 2025 => {}
                14 => {
                    if let Some(c) = u.class_rows(s).next() {
                        u.classes[c].interactive = false;
                        rec(
                            records,
                            "A11.1",
                            class_label(u, c, y),
                            "未配备互动式多媒体教学设备".into(),
                            "",
                        );
                    }
                }
                _ if y < 2025 => {}
                _ => {
                    u.schools[s].wifi = false;
                    rec(
                        records,
                        "A11.2",
                        school_label(u, s),
                        "校园无线网络：否".into(),
                        "",
                    );
                }
            },
            Kind::Kg => match choice % 4 {
                0 => {
                    let cap = spec.limits.kg_small_max + 3;
                    if let Some(c) = resize_class(u, s, |c| c.kg == Some(KgType::Small), cap, 10) {
                        rec(
                            records,
                            "C4.1",
                            class_label(u, c, y),
                            format!("小班 {cap} 人"),
                            "",
                        );
                    }
                }
                // 1 was a per-kindergarten C5 plant; C5 is district-wide now.
                1 => {}
                2 => {
                    if let Some(t) = u
                        .teacher_rows(s)
                        .find(|&t| u.teachers[t].full_time && !u.teachers[t].head)
                    {
                        u.teachers[t].certified = false;
                        rec(
                            records,
                            "C7.1",
                            teacher_label(u, t),
                            "未持有教师资格证".into(),
                            "",
                        );
                    }
                }
                _ => {
                    if let Some(t) = u.teacher_rows(s).find(|&t| u.teachers[t].head) {
                        u.teachers[t].head_cert = Some(false);
                        rec(
                            records,
                            "C7.2",
                            teacher_label(u, t),
                            "园长未持有园长任职资格证".into(),
                            "",
                        );
                    }
                }
            },
            Kind::Senior => {
                let cap = spec.limits.senior_class_max + 3;
                if let Some(c) = resize_class(u, s, |c| c.level == Level::High, cap, 30) {
                    rec(
                        records,
                        "E1.1",
                        class_label(u, c, y),
                        format!("班额 {cap} 人"),
                        "",
                    );
                }
            }
            _ => {}
        }
    }
}
