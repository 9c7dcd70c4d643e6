//! One district unit: its schools (a skeleton of slots that is the same in
//! every year), the students of each school and stage (allocated so the
//! totals follow the plan), and each school's classes and teachers.
//!
//! Every school draws from its own random streams, derived from the seed, the
//! unit, the slot and the year, so changing one school (a planted violation)
//! never shifts the numbers of another.

use super::model::*;
use super::names;
use super::pack::Limits;
use super::plan;
use super::rng::{Rng, uceil, uround};

/// How violations are added to a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Fully compliant.
    Compliant,
    /// The fixed, documented list of `plant.rs`.
    Planted,
    /// About 2% of schools get one random school-level violation.
    Sprinkled,
}

/// What to generate for one unit (one county).
#[derive(Debug, Clone)]
pub(crate) struct UnitSpec {
    pub index: u32,
    /// 6-digit county code: school ids are `code × 10000 + n`.
    pub code: u64,
    pub name: String,
    /// Size relative to 万州区 (students scale with it).
    pub factor: f64,
    pub year: i32,
    pub seed: u64,
    pub mode: Mode,
    /// How many units the submission has (plants that only a lone district
    /// can show are skipped when there are several).
    pub units: u32,
    /// The thresholds the plants miss, from the rule pack.
    pub limits: Limits,
}

pub(crate) const TAG_SKELETON: u64 = 1;
pub(crate) const TAG_ALLOC: u64 = 2;
pub(crate) const TAG_SCHOOL: u64 = 3;
pub(crate) const TAG_FLAGS: u64 = 4;
pub(crate) const TAG_PLANT: u64 = 5;

/// A school's place in the unit, the same in every year.
#[derive(Debug, Clone)]
pub(crate) struct Slot {
    pub kind: Kind,
    pub public: bool,
    /// Private kindergartens: recognised as 普惠性.
    pub inclusive: bool,
    pub town: usize,
    pub area: Area,
    pub weight: f64,
    pub name: String,
    /// A planted size that the allocation keeps.
    pub fixed: Option<u32>,
    /// The township's 中心园: the one public kindergarten every township has (A2.3).
    pub center: bool,
}

/// How many schools of each kind a unit has.
struct Composition {
    kg_public: usize,
    kg_private: usize,
    kg_non_inclusive: usize,
    primary: usize,
    teaching_points: usize,
    junior: usize,
    nine: usize,
    twelve: usize,
    senior: usize,
    complete: usize,
    voc_public: usize,
    voc_private: usize,
}

fn composition(f: f64) -> Composition {
    let s = |n: usize| ((n as f64 * f.min(1.0) + 0.5) as usize).max(1);
    Composition {
        kg_public: 140,
        kg_private: 110,
        kg_non_inclusive: 12,
        primary: 90,
        teaching_points: 6,
        junior: 38,
        nine: 16,
        twelve: if f < 0.5 { 1 } else { 2 },
        senior: s(10),
        complete: s(5),
        voc_public: s(4),
        voc_private: (3.0 * f.min(1.0) + 0.5) as usize,
    }
}

/// The unit's schools, in id order, with their names and places.
pub(crate) fn skeleton(spec: &UnitSpec) -> Vec<Slot> {
    let c = composition(spec.factor);
    let mut kinds: Vec<(Kind, bool)> = Vec::new();
    let mut push =
        |k: Kind, public: bool, n: usize| kinds.extend(std::iter::repeat_n((k, public), n));
    push(Kind::Kg, true, c.kg_public);
    push(Kind::Kg, false, c.kg_private);
    push(Kind::Primary, true, c.primary);
    push(Kind::TeachingPoint, true, c.teaching_points);
    push(Kind::Junior, true, c.junior);
    push(Kind::Nine, true, c.nine);
    push(Kind::Twelve, true, c.twelve);
    push(Kind::Senior, true, c.senior);
    push(Kind::Complete, true, c.complete);
    push(Kind::Voc, true, c.voc_public);
    push(Kind::Voc, false, c.voc_private);
    push(Kind::Special, true, 1);

    let mut rng = Rng::derive(spec.seed, &[spec.index as u64, TAG_SKELETON]);
    let towns = names::township_count();
    const FAMILIES: usize = 12;
    let mut ordinal = vec![0usize; towns * FAMILIES];
    let mut global = [0usize; FAMILIES];
    let dist = spec.name.as_str();
    let mut slots = Vec::with_capacity(kinds.len());
    for (kind, public) in kinds {
        let family = match (kind, public) {
            (Kind::Kg, true) => 0,
            (Kind::Kg, false) => 1,
            (Kind::Primary, _) => 2,
            (Kind::TeachingPoint, _) => 3,
            (Kind::Junior, _) => 4,
            (Kind::Nine, _) => 5,
            (Kind::Twelve, _) => 6,
            (Kind::Senior, _) => 7,
            (Kind::Complete, _) => 8,
            (Kind::Voc, true) => 9,
            (Kind::Voc, false) => 10,
            (Kind::Special, _) => 11,
        };
        let p_urban = match kind {
            Kind::Kg => 0.5,
            Kind::Primary | Kind::Junior => 0.3,
            Kind::TeachingPoint => 0.0,
            Kind::Nine => 0.2,
            Kind::Complete => 0.4,
            Kind::Senior => 0.7,
            Kind::Voc => 0.8,
            Kind::Twelve | Kind::Special => 1.0,
        };
        let mut urban = rng.chance(p_urban);
        let mut town = if urban {
            rng.below(names::STREETS.len())
        } else {
            names::STREETS.len() + rng.below(names::TOWNS.len())
        };
        // The first public kindergartens are the townships' 中心园, one each.
        let center = kind == Kind::Kg && public && global[0] < towns;
        if center {
            town = global[0];
            urban = town < names::STREETS.len();
        }
        ordinal[town * FAMILIES + family] += 1;
        let ord = ordinal[town * FAMILIES + family];
        global[family] += 1;
        let g = global[family];
        let area = if urban {
            Area::Urban
        } else if kind == Kind::TeachingPoint {
            Area::Rural
        } else if ord == 1 || !rng.chance(0.7) {
            Area::Town
        } else {
            Area::Rural
        };
        let base = match area {
            Area::Urban => 2.2,
            Area::Town => 1.2,
            Area::Rural => 0.45,
        };
        let weight = base * rng.range(0.6, 1.4);
        let t = names::short(names::township(town));
        let nth = |ord: usize, first: &str, rest: &str| {
            if ord == 1 {
                format!("{dist}{t}{first}")
            } else {
                format!("{dist}{t}第{}{rest}", names::cn_number(ord))
            }
        };
        let name = match (kind, public) {
            (Kind::Kg, true) => nth(
                ord,
                if urban {
                    "幼儿园"
                } else {
                    "中心幼儿园"
                },
                "幼儿园",
            ),
            (Kind::Kg, false) => {
                let brand = names::KG_BRANDS[(town * 7 + ord - 1) % names::KG_BRANDS.len()];
                format!("{dist}{t}{brand}幼儿园")
            }
            (Kind::Primary, _) => nth(ord, if urban { "小学" } else { "中心小学" }, "小学"),
            (Kind::TeachingPoint, _) => {
                let v = names::VILLAGES[(town * 3 + ord - 1) % names::VILLAGES.len()];
                format!("{dist}{t}{v}村小（教学点）")
            }
            (Kind::Junior, _) => nth(ord, "初级中学", "初级中学"),
            (Kind::Nine, _) => nth(ord, "学校", "学校"),
            (Kind::Twelve, _) => format!("{dist}{}", names::TWELVE[(g - 1) % names::TWELVE.len()]),
            (Kind::Senior, _) => format!("{dist}第{}高级中学", names::cn_number(g)),
            (Kind::Complete, _) => nth(ord, "中学", "中学"),
            (Kind::Voc, true) => format!(
                "{dist}{}",
                names::VOC_PUBLIC[(g - 1) % names::VOC_PUBLIC.len()]
            ),
            (Kind::Voc, false) => format!(
                "{dist}{}",
                names::VOC_PRIVATE[(g - 1) % names::VOC_PRIVATE.len()]
            ),
            (Kind::Special, _) => format!("{dist}特殊教育学校"),
        };
        slots.push(Slot {
            kind,
            public,
            inclusive: true,
            town,
            area,
            weight,
            name,
            fixed: None,
            center,
        });
    }
    // The largest private kindergartens are the non-inclusive (高端) ones.
    let non_inclusive = largest(
        &slots,
        |s| s.kind == Kind::Kg && !s.public,
        c.kg_non_inclusive,
    );
    for i in non_inclusive {
        slots[i].inclusive = false;
    }
    slots
}

/// Indexes of the `n` slots with the largest weights among those matching.
pub(crate) fn largest(slots: &[Slot], pred: impl Fn(&Slot) -> bool, n: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..slots.len()).filter(|&i| pred(&slots[i])).collect();
    idx.sort_by(|&a, &b| slots[b].weight.total_cmp(&slots[a].weight).then(a.cmp(&b)));
    idx.truncate(n);
    idx
}

/// Indexes of the `n` slots with the smallest weights among those matching.
pub(crate) fn smallest(slots: &[Slot], pred: impl Fn(&Slot) -> bool, n: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..slots.len()).filter(|&i| pred(&slots[i])).collect();
    idx.sort_by(|&a, &b| slots[a].weight.total_cmp(&slots[b].weight).then(a.cmp(&b)));
    idx.truncate(n);
    idx
}

/// Knobs of the allocation that planted violations turn.
#[derive(Debug, Clone)]
pub(crate) struct Shares {
    /// 公办园在园幼儿占比, hundredths of a percent.
    pub public_kg: u64,
    /// Children in non-inclusive kindergartens, hundredths of a percent.
    pub non_inclusive: u64,
}

/// Splits `total` over items in proportion to `w`, within `[lo, hi]` each,
/// exactly (integers), when `Σlo ≤ total ≤ Σhi`.
pub(crate) fn water_fill(w: &[f64], lo: &[u32], hi: &[u32], total: u64) -> Vec<u32> {
    let n = w.len();
    if n == 0 {
        return Vec::new();
    }
    let sum_lo: u64 = lo.iter().map(|&x| x as u64).sum();
    let sum_hi: u64 = hi.iter().map(|&x| x as u64).sum();
    let t = total.clamp(sum_lo, sum_hi);
    let at = |lam: f64, i: usize| (lam * w[i]).clamp(lo[i] as f64, hi[i] as f64);
    let (mut a, mut b) = (0.0f64, 0.0f64);
    for i in 0..n {
        b = b.max(hi[i] as f64 / w[i].max(1e-9));
    }
    for _ in 0..100 {
        let m = (a + b) * 0.5;
        let s: f64 = (0..n).map(|i| at(m, i)).sum();
        if s < t as f64 { a = m } else { b = m }
    }
    let x: Vec<f64> = (0..n).map(|i| at(b, i)).collect();
    let mut v: Vec<u32> = x.iter().zip(lo).map(|(&x, &l)| (x as u32).max(l)).collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| {
        (x[j] - v[j] as f64)
            .total_cmp(&(x[i] - v[i] as f64))
            .then(i.cmp(&j))
    });
    let mut sum: u64 = v.iter().map(|&x| x as u64).sum();
    while sum < t {
        let before = sum;
        for &i in &order {
            if sum < t && v[i] < hi[i] {
                v[i] += 1;
                sum += 1;
            }
        }
        if sum == before {
            break;
        }
    }
    while sum > t {
        let before = sum;
        for &i in order.iter().rev() {
            if sum > t && v[i] > lo[i] {
                v[i] -= 1;
                sum -= 1;
            }
        }
        if sum == before {
            break;
        }
    }
    v
}

/// Students of each slot by [`Level`], so that the unit's totals follow the plan.
pub(crate) fn allocate(spec: &UnitSpec, slots: &[Slot], shares: &Shares) -> Vec<[u32; 5]> {
    let totals = plan::stage_totals(spec.year, spec.factor);
    let ls = spec.factor.min(1.0);
    let lo = |x: f64| ((x * ls) as u32).max(15);
    let mut parts = vec![[0u32; 5]; slots.len()];
    let mut rngs: Vec<Rng> = (0..slots.len())
        .map(|i| {
            Rng::derive(
                spec.seed,
                &[spec.index as u64, i as u64, spec.year as u64, TAG_ALLOC],
            )
        })
        .collect();
    // Each school's own ceiling, 85–100% of its kind's (so that the largest
    // schools do not all sit on one number); the same in every year.
    let ceiling: Vec<f64> = (0..slots.len())
        .map(|i| Rng::derive(spec.seed, &[spec.index as u64, i as u64, TAG_ALLOC]).range(0.85, 1.0))
        .collect();

    // One level: items are (slot, weight multiplier, lo, hi).
    let fill = |parts: &mut Vec<[u32; 5]>,
                level: Level,
                total: u64,
                items: Vec<(usize, f64, u32, u32)>| {
        let mut rest = total;
        let mut free = Vec::new();
        for it in items {
            if let Some(f) = slots[it.0].fixed {
                parts[it.0][level as usize] = f;
                rest = rest.saturating_sub(f as u64);
            } else {
                free.push(it);
            }
        }
        let w: Vec<f64> = free
            .iter()
            .map(|it| {
                let w = slots[it.0].weight;
                w.sqrt() * w.sqrt().sqrt() * it.1
            })
            .collect();
        let lo: Vec<u32> = free.iter().map(|it| it.2).collect();
        let hi: Vec<u32> = free
            .iter()
            .map(|it| ((it.3 as f64 * ceiling[it.0]) as u32).max(it.2))
            .collect();
        for (it, v) in free.iter().zip(water_fill(&w, &lo, &hi, rest)) {
            parts[it.0][level as usize] = v;
        }
    };
    let by = |pred: &dyn Fn(&Slot) -> bool,
              mult: f64,
              lo: u32,
              hi: u32|
     -> Vec<(usize, f64, u32, u32)> {
        (0..slots.len())
            .filter(|&i| pred(&slots[i]))
            .map(|i| (i, mult, lo, hi))
            .collect()
    };

    // 幼儿园: public, private inclusive and private non-inclusive groups.
    let kg = totals[0];
    let t_pub = kg * shares.public_kg / 10000;
    let t_non = kg * shares.non_inclusive / 10000;
    let t_inc = kg - t_pub - t_non;
    let kg_lo = lo(30.0);
    fill(
        &mut parts,
        Level::Kg,
        t_pub,
        by(&|s| s.kind == Kind::Kg && s.public, 1.0, kg_lo, 360),
    );
    fill(
        &mut parts,
        Level::Kg,
        t_inc,
        by(
            &|s| s.kind == Kind::Kg && !s.public && s.inclusive,
            1.0,
            kg_lo,
            360,
        ),
    );
    fill(
        &mut parts,
        Level::Kg,
        t_non,
        by(
            &|s| s.kind == Kind::Kg && !s.public && !s.inclusive,
            1.0,
            kg_lo,
            360,
        ),
    );

    // 小学: 教学点 first (12–45 children), then schools and the primary stages of 一贯制 schools.
    let mut primary_total = totals[1];
    for (i, s) in slots.iter().enumerate() {
        match s.kind {
            Kind::TeachingPoint => {
                let n = rngs[i].int(12, 45) as u32;
                parts[i][Level::Primary as usize] = n;
                primary_total = primary_total.saturating_sub(n as u64);
            }
            Kind::Special => {
                let n = uround(rngs[i].range(220.0, 320.0) * ls.max(0.5)) as u32;
                let p = n * 3 / 5;
                parts[i][Level::Primary as usize] = p;
                parts[i][Level::Junior as usize] = n - p;
            }
            _ => {}
        }
    }
    let mut items = by(&|s| s.kind == Kind::Primary, 1.0, lo(60.0), 1990);
    items.extend(by(&|s| s.kind == Kind::Nine, 0.7, lo(200.0), 1400));
    items.extend(by(&|s| s.kind == Kind::Twelve, 0.8, lo(300.0), 1200));
    fill(&mut parts, Level::Primary, primary_total, items);

    let mut items = by(&|s| s.kind == Kind::Junior, 1.0, lo(150.0), 1980);
    items.extend(by(&|s| s.kind == Kind::Nine, 0.45, lo(100.0), 850));
    items.extend(by(&|s| s.kind == Kind::Twelve, 0.5, lo(150.0), 800));
    items.extend(by(&|s| s.kind == Kind::Complete, 0.6, lo(200.0), 900));
    fill(&mut parts, Level::Junior, totals[2], items);

    let mut items = by(&|s| s.kind == Kind::Senior, 2.0, lo(600.0), 4200);
    items.extend(by(&|s| s.kind == Kind::Complete, 1.2, lo(500.0), 2500));
    items.extend(by(&|s| s.kind == Kind::Twelve, 0.4, lo(200.0), 450));
    fill(&mut parts, Level::High, totals[3], items);

    fill(
        &mut parts,
        Level::Voc,
        totals[4],
        by(&|s| s.kind == Kind::Voc, 1.0, lo(1300.0).max(1250), 7000),
    );
    parts
}

/// Shared inputs of a unit's school generation.
pub(crate) struct Ctx<'a> {
    pub spec: &'a UnitSpec,
    /// Civil servants' pay in the report year (teachers' pay is set around it).
    pub civil_servant_pay: u64,
}

/// Generates the whole unit (compliant), given the slots and their students.
pub(crate) fn build_unit(ctx: &Ctx, slots: &[Slot], parts: &[[u32; 5]]) -> Unit {
    let mut u = Unit::default();
    for (i, (slot, p)) in slots.iter().zip(parts).enumerate() {
        let mut rng = Rng::derive(
            ctx.spec.seed,
            &[
                ctx.spec.index as u64,
                i as u64,
                ctx.spec.year as u64,
                TAG_SCHOOL,
            ],
        );
        gen_school(&mut u, ctx, i, slot, p, &mut rng);
    }
    assign_flags(&mut u, ctx.spec, 6400, 6600);
    assign_recognitions(&mut u);
    u
}

/// The recognitions and conditions the plan counts (A16–A21), from the
/// schools' row numbers (no random draw): 特色学校 one school in 8, 市级特色学校
/// one in 64, 重庆市智慧校园示范校 and 人工智能教育应用示范校 one in 25, 区级智慧
/// 校园示范校 one in 20; every school a 平安校园 and with the “三个课堂”
/// environment; the first 初中 a 专门学校; the first two 中职 国家级优质, the
/// first of them also the 乡村振兴 school; the first 普通高中 the 信息化标杆学校.
pub(crate) fn assign_recognitions(u: &mut Unit) {
    let first = |u: &Unit, k: Kind, n: usize| -> Vec<usize> {
        (0..u.schools.len())
            .filter(|&i| u.schools[i].kind == k)
            .take(n)
            .collect()
    };
    let special = first(u, Kind::Junior, 1);
    let voc = first(u, Kind::Voc, 2);
    let senior = first(u, Kind::Senior, 1);
    for (i, s) in u.schools.iter_mut().enumerate() {
        s.recognitions = [
            i % 8 == 0,
            i % 64 == 0,
            i % 25 == 1,
            i % 20 == 2,
            i % 25 == 3,
            true,
            true,
            special.contains(&i),
            voc.contains(&i),
            voc.first() == Some(&i),
            senior.contains(&i),
        ];
    }
}

/// Sets 集团化办学 for `group_permyriad`/10000 of the compulsory-education
/// schools (A4's population: the plan's 全区学校总数; the others are not
/// 集团化),
/// 语言文字规范化示范校 for `language_permyriad`/10000 of all schools (exact
/// counts, chosen by a fixed shuffle), and the other flags.
pub(crate) fn assign_flags(
    u: &mut Unit,
    spec: &UnitSpec,
    group_permyriad: u64,
    language_permyriad: u64,
) {
    let mut rng = Rng::derive(spec.seed, &[spec.index as u64, TAG_FLAGS]);
    // The same shuffle of the schools but kindergartens as before A4's
    // population was the compulsory-education schools (the later draws stay
    // the same); the first `n_group` of these schools in it are 集团化.
    let mut shuffled: Vec<usize> = (0..u.schools.len())
        .filter(|&i| u.schools[i].kind != Kind::Kg)
        .collect();
    rng.shuffle(&mut shuffled);
    let compulsory: Vec<usize> = shuffled
        .iter()
        .copied()
        .filter(|&i| u.schools[i].kind.a4_school())
        .collect();
    let n_group = (compulsory.len() as u64 * group_permyriad).div_ceil(10000) as usize;
    for &i in &shuffled {
        u.schools[i].group_run = false;
    }
    for (k, &i) in compulsory.iter().enumerate() {
        u.schools[i].group_run = k < n_group;
    }
    let mut all: Vec<usize> = (0..u.schools.len()).collect();
    rng.shuffle(&mut all);
    let n_lang = (all.len() as u64 * language_permyriad).div_ceil(10000) as usize;
    for (k, &i) in all.iter().enumerate() {
        u.schools[i].language_model = k < n_lang;
    }
    for s in u.schools.iter_mut() {
        let (p_group, p_district) = match s.kind {
            Kind::Kg => (0.3, 0.2),
            k if k.compulsory() => (-1.0, 0.5),
            _ => (-1.0, 0.2),
        };
        if p_group >= 0.0 {
            s.group_run = rng.chance(p_group);
        }
        s.district_run = rng.chance(p_district);
    }
}

/// Grades of a stage.
fn grades(level: Level) -> u8 {
    match level {
        Level::Kg => 3,
        Level::Primary => 6,
        Level::Junior | Level::High | Level::Voc => 3,
    }
}

/// Splits `n` into `k` near-equal integers (the first ones larger).
fn even(n: u32, k: u32) -> impl Iterator<Item = u32> {
    let k = k.max(1);
    (0..k).map(move |i| n / k + u32::from(i < n % k))
}

/// Splits `n` into integers in proportion to `w` (largest remainder).
fn split(n: u32, w: &[f64]) -> Vec<u32> {
    let sum: f64 = w.iter().sum();
    let x: Vec<f64> = w.iter().map(|&wi| n as f64 * wi / sum).collect();
    let mut v: Vec<u32> = x.iter().map(|&xi| xi as u32).collect();
    let mut order: Vec<usize> = (0..w.len()).collect();
    order.sort_by(|&i, &j| {
        (x[j] - v[j] as f64)
            .total_cmp(&(x[i] - v[i] as f64))
            .then(i.cmp(&j))
    });
    let mut rest = n - v.iter().sum::<u32>();
    for &i in order.iter().cycle() {
        if rest == 0 {
            break;
        }
        v[i] += 1;
        rest -= 1;
    }
    v
}

/// The classes of one stage of a school: (grade, kg type, students).
fn plan_classes(
    kind: Kind,
    level: Level,
    s: u32,
    area: Area,
    rng: &mut Rng,
) -> Vec<(u8, Option<KgType>, u32)> {
    let mut out = Vec::new();
    if s == 0 {
        return out;
    }
    if kind == Kind::TeachingPoint {
        let n = s.div_ceil(15).clamp(1, 3);
        for size in even(s, n) {
            out.push((0, None, size));
        }
        return out;
    }
    if kind == Kind::Special {
        let g = grades(level);
        for (gi, gs) in split(s, &vec![1.0; g as usize]).into_iter().enumerate() {
            for size in even(gs, gs.div_ceil(11)) {
                out.push((gi as u8 + 1, None, size));
            }
        }
        return out;
    }
    if level == Level::Kg {
        if s < 45 {
            for size in even(s, s.div_ceil(26)) {
                out.push((0, Some(KgType::Mixed), size));
            }
            return out;
        }
        let w = [
            rng.range(0.30, 0.36),
            rng.range(0.31, 0.36),
            rng.range(0.31, 0.37),
        ];
        for (k, n) in [KgType::Small, KgType::Middle, KgType::Large]
            .into_iter()
            .zip(split(s, &w))
        {
            let cap = k.cap();
            let target = cap as f64 - rng.range(0.5, 4.0);
            let mut c = uround(n as f64 / target).max(1) as u32;
            while n.div_ceil(c) > cap {
                c += 1;
            }
            for size in even(n, c) {
                out.push((0, Some(k), size));
            }
        }
        return out;
    }
    let (cap, target) = match (level, area) {
        (Level::Primary, Area::Urban) => (45, rng.range(38.0, 44.0)),
        (Level::Primary, Area::Town) => (45, rng.range(34.0, 42.0)),
        (Level::Primary, Area::Rural) => (45, rng.range(24.0, 38.0)),
        (Level::Junior, Area::Urban) => (50, rng.range(43.0, 48.5)),
        (Level::Junior, Area::Town) => (50, rng.range(40.0, 47.0)),
        (Level::Junior, Area::Rural) => (50, rng.range(32.0, 45.0)),
        (Level::High, _) => (50, rng.range(44.0, 49.0)),
        _ => (50, rng.range(38.0, 46.0)),
    };
    let g = grades(level);
    let w: Vec<f64> = (0..g).map(|_| rng.range(0.92, 1.08)).collect();
    for (gi, gs) in split(s, &w).into_iter().enumerate() {
        if gs == 0 {
            continue;
        }
        let mut c = uround(gs as f64 / target).max(1) as u32;
        while gs.div_ceil(c) > cap {
            c += 1;
        }
        for size in even(gs, c) {
            out.push((gi as u8 + 1, None, size));
        }
    }
    out
}

/// Subjects of a stage's full-time teachers (`n` of them at least), and of its
/// part-time teachers.
fn plan_subjects(
    kind: Kind,
    level: Level,
    s: u32,
    n: u32,
    rng: &mut Rng,
) -> (Vec<Subject>, Vec<Subject>) {
    use Subject::*;
    let mut ft = Vec::new();
    let mut pt = Vec::new();
    let put =
        |v: &mut Vec<Subject>, sub: Subject, k: u32| v.extend(std::iter::repeat_n(sub, k as usize));
    let frac = |n: u32, f: f64, min: u32| (uround(n as f64 * f) as u32).max(min);
    match (kind, level) {
        (Kind::TeachingPoint, _) => {
            // Two or three resident teachers; the other subjects are taught by
            // itinerant (走教) teachers of the central school, part-time here.
            put(&mut ft, Chinese, 1);
            put(&mut ft, Maths, 1);
            if s > 30 {
                put(&mut ft, Foreign, 1);
            } else {
                pt.push(Foreign);
            }
            pt.extend([Science, Pe, Music, Art, Practice]);
        }
        (Kind::Special, _) => {
            put(&mut ft, Pe, 2);
            put(&mut ft, Music, 1);
            put(&mut ft, Art, 1);
            put(&mut ft, Other, n.saturating_sub(4).max(4));
        }
        (_, Level::Kg) => put(&mut ft, Preschool, n),
        (_, Level::Voc) => {
            let prof = uceil(n as f64 * rng.range(0.56, 0.66)) as u32;
            let pe = frac(n, 0.04, 1);
            put(&mut ft, Professional, prof);
            put(&mut ft, Pe, pe);
            put(&mut ft, Culture, n.saturating_sub(prof + pe));
            put(&mut pt, Professional, rng.int(3, 8) as u32);
        }
        (_, level) => {
            let (pe_lo, pe_hi) = if level == Level::High {
                (0.8, 1.1)
            } else {
                (1.05, 1.5)
            };
            let min_pe_art = uceil(s as f64 * 0.95 / 100.0) as u32;
            let pe_art = (uround(s as f64 * rng.range(pe_lo, pe_hi) / 100.0) as u32)
                .max(min_pe_art)
                .max(3);
            let pe = (uround(pe_art as f64 * 0.4) as u32).max(1);
            let music = ((pe_art - pe) / 2).max(1);
            let art = pe_art.saturating_sub(pe + music).max(1);
            put(&mut ft, Pe, pe);
            put(&mut ft, Music, music);
            put(&mut ft, Art, art);
            match level {
                Level::Primary => {
                    put(&mut ft, Foreign, frac(n, 0.09, 1));
                    put(&mut ft, Science, frac(n, 0.06, 1));
                    put(&mut ft, Practice, frac(n, 0.03, 1));
                    put(&mut ft, It, frac(n, 0.03, 0));
                    put(&mut ft, Moral, frac(n, 0.04, 0));
                }
                Level::Junior => {
                    put(&mut ft, Foreign, frac(n, 0.13, 1));
                    put(&mut ft, Science, frac(n, 0.15, 1));
                    put(&mut ft, Moral, frac(n, 0.06, 1));
                    put(&mut ft, Other, frac(n, 0.09, 0));
                    put(&mut ft, It, frac(n, 0.03, 1));
                    put(&mut ft, Practice, frac(n, 0.02, 1));
                }
                _ => {
                    put(&mut ft, Foreign, frac(n, 0.13, 1));
                    put(&mut ft, Science, frac(n, 0.22, 1));
                    put(&mut ft, Other, frac(n, 0.16, 1));
                    put(&mut ft, It, frac(n, 0.03, 1));
                    put(&mut ft, Practice, frac(n, 0.01, 1));
                }
            }
            let rest = (n.saturating_sub(ft.len() as u32)).max(2);
            let chinese = (uround(rest as f64 * 0.55) as u32).max(1);
            put(&mut ft, Chinese, chinese);
            put(&mut ft, Maths, rest - chinese);
            if level != Level::High && rng.chance(0.5) {
                for _ in 0..rng.int(1, 2) {
                    pt.push([Pe, Music, Art, It, Other][rng.below(5)]);
                }
            }
        }
    }
    rng.shuffle(&mut ft);
    (ft, pt)
}

fn draw_degree(level: Level, rng: &mut Rng) -> Degree {
    let x = rng.unit();
    let (hs, col, bach) = match level {
        Level::Kg => (0.05, 0.60, 0.98),
        Level::Primary => (0.02, 0.20, 0.97),
        Level::Junior => (0.0, 0.08, 0.95),
        Level::High => (0.0, 0.0, 0.84),
        Level::Voc => (0.0, 0.06, 0.90),
    };
    if x < hs {
        Degree::HighSchool
    } else if x < col {
        Degree::College
    } else if x < bach {
        Degree::Bachelor
    } else {
        Degree::Graduate
    }
}

/// Annual pay relative to civil servants' pay.
fn pay_factor(kind: Kind, level: Level, public: bool, full_time: bool, rng: &mut Rng) -> f64 {
    if !full_time {
        return rng.range(0.35, 0.6);
    }
    match (kind, level, public) {
        (Kind::Special, _, _) => rng.range(1.02, 1.18),
        (_, Level::Kg, true) => rng.range(0.70, 0.92),
        (_, Level::Kg, false) => rng.range(0.48, 0.68),
        (_, Level::Primary | Level::Junior, _) => rng.range(0.97, 1.12),
        (_, Level::High, _) => rng.range(1.0, 1.18),
        (_, Level::Voc, true) => rng.range(0.98, 1.15),
        (_, Level::Voc, false) => rng.range(0.72, 0.92),
    }
}

/// Full-time teachers of a stage.
fn full_time_count(kind: Kind, level: Level, s: u32, classes: usize, rng: &mut Rng) -> u32 {
    let c = classes as f64;
    let mut per100 = |lo: f64, hi: f64| uround(s as f64 * rng.range(lo, hi) / 100.0) as u32;
    match (kind, level) {
        (Kind::Special, _) => (uround(s as f64 / 3.2) as u32).max(12),
        (_, Level::Kg) => {
            (2 * classes as u32).max(uceil(s as f64 / 13.5) as u32) + u32::from(rng.chance(0.3))
        }
        (_, Level::Primary) => per100(5.6, 7.0).max(uceil(c * 1.6) as u32).max(8),
        (_, Level::Junior) => per100(7.2, 8.6).max(uceil(c * 2.6) as u32).max(10),
        (_, Level::High) => per100(7.5, 9.0).max(uceil(c * 2.8) as u32).max(12),
        (_, Level::Voc) => (uceil(s as f64 / rng.range(14.5, 18.0)) as u32).max(62),
    }
}

fn gen_school(
    u: &mut Unit,
    ctx: &Ctx,
    slot_idx: usize,
    slot: &Slot,
    parts: &[u32; 5],
    rng: &mut Rng,
) {
    let school = u.schools.len() as u32;
    let students: u32 = parts.iter().sum();
    let kind = slot.kind;
    let class_start = u.classes.len();
    let teacher_start = u.teachers.len();
    let cs = ctx.civil_servant_pay as f64;
    let p_dual = rng.range(0.66, 0.80);
    let p_senior = match kind {
        Kind::Kg => 0.04,
        Kind::Primary | Kind::TeachingPoint => 0.10,
        Kind::Junior | Kind::Nine => 0.20,
        Kind::Twelve | Kind::Complete | Kind::Senior => 0.28,
        Kind::Voc => rng.range(0.23, 0.30),
        Kind::Special => 0.15,
    };
    for level in LEVELS {
        let s = parts[level as usize];
        if s == 0 {
            continue;
        }
        let cl = plan_classes(kind, level, s, slot.area, rng);
        let first_class = u.classes.len();
        let mut nums = [0u8; 8];
        for (grade, kg, size) in &cl {
            let key = match kg {
                Some(k) => *k as usize + 4,
                None => 0,
            };
            let num = if kg.is_some() {
                nums[key] += 1;
                nums[key]
            } else {
                // Number classes within each grade.
                let before = u.classes[first_class..]
                    .iter()
                    .filter(|c| c.grade == *grade && c.kg.is_none())
                    .count();
                before as u8 + 1
            };
            u.classes.push(Class {
                school,
                seq: (u.classes.len() - class_start + 1) as u16,
                level,
                kg: *kg,
                grade: *grade,
                num,
                students: *size,
                interactive: true,
            });
        }
        let n = full_time_count(kind, level, s, cl.len(), rng);
        let (ft, pt) = plan_subjects(kind, level, s, n, rng);
        let stage_start = u.teachers.len();
        for (k, subject) in ft.iter().chain(pt.iter()).enumerate() {
            let full_time = k < ft.len();
            let degree = draw_degree(level, rng);
            let senior = rng.chance(p_senior);
            let dual =
                (*subject == Subject::Professional).then(|| !full_time || rng.chance(p_dual));
            let mut pay = cs * pay_factor(kind, level, slot.public, full_time, rng);
            if senior {
                pay *= 1.04;
            }
            let hours = if full_time {
                rng.int(366, 640)
            } else {
                rng.int(360, 480)
            };
            let name = [
                rng.below(names::SURNAMES.len()) as u8,
                rng.below(names::GIVEN.len()) as u8,
                if rng.chance(0.6) {
                    rng.below(names::GIVEN.len()) as u8
                } else {
                    255
                },
            ];
            u.teachers.push(Teacher {
                school,
                seq: (u.teachers.len() - teacher_start + 1) as u16,
                name,
                level,
                full_time,
                degree,
                certified: true,
                backbone: false,
                subject: *subject,
                dual,
                senior,
                leader: false,
                head: false,
                head_cert: None,
                pay: (uround(pay / 10.0) * 10) as u32,
                hours: hours as u16,
            });
        }
        fix_stage(u, stage_start, ft.len(), kind, level, s, rng);
    }
    // School leaders: the first full-time teachers; the first is the head.
    let n_ft = u.teachers[teacher_start..]
        .iter()
        .filter(|t| t.full_time)
        .count();
    let n_leaders = if kind == Kind::TeachingPoint {
        1
    } else {
        2 + usize::from(n_ft > 30) + usize::from(n_ft > 80) + usize::from(n_ft > 150)
    };
    let mut k = 0;
    for t in u.teachers[teacher_start..].iter_mut() {
        if k >= n_leaders {
            break;
        }
        if !t.full_time {
            continue;
        }
        t.leader = true;
        t.head = k == 0;
        t.pay = (t.pay as f64 * 1.06) as u32 / 10 * 10;
        if kind == Kind::Kg {
            if t.degree < Degree::Bachelor && !rng.chance(0.04) {
                t.degree = Degree::Bachelor;
            }
            if t.head {
                t.head_cert = Some(true);
            }
        } else if t.degree < Degree::Bachelor {
            t.degree = Degree::Bachelor;
        }
        k += 1;
    }

    let classes = u.classes.len() - class_start;
    let compulsory_classes = u.classes[class_start..]
        .iter()
        .filter(|c| matches!(c.level, Level::Primary | Level::Junior))
        .count();
    let sf = students as f64;
    let small = 1.0 + 0.3 * (300.0 - sf).max(0.0) / 300.0;
    type R = (f64, f64);
    // Per student: teaching rooms, sports grounds, equipment (元), land, books, public funds (元).
    let (teach, sports, equip, land, books, funds): (R, R, R, R, R, R) = match kind {
        Kind::Kg => (
            (4.5, 8.0),
            (4.0, 8.0),
            (500.0, 1500.0),
            (12.0, 22.0),
            (8.0, 15.0),
            if slot.public {
                (650.0, 950.0)
            } else {
                (250.0, 500.0)
            },
        ),
        Kind::Primary => (
            (4.86, 7.2),
            (8.1, 12.4),
            (2200.0, 4000.0),
            (18.0, 32.0),
            (30.0, 45.0),
            (820.0, 1150.0),
        ),
        Kind::TeachingPoint => (
            (3.5, 7.0),
            (5.0, 12.0),
            (1500.0, 3000.0),
            (25.0, 50.0),
            (20.0, 40.0),
            (1800.0, 2600.0),
        ),
        Kind::Junior => (
            (6.26, 9.0),
            (11.0, 15.8),
            (2750.0, 4400.0),
            (22.0, 36.0),
            (38.0, 55.0),
            (1050.0, 1400.0),
        ),
        Kind::Nine | Kind::Twelve => (
            (6.26, 9.0),
            (11.0, 15.8),
            (2750.0, 4400.0),
            (22.0, 36.0),
            (38.0, 55.0),
            (1000.0, 1350.0),
        ),
        Kind::Complete => (
            (6.26, 9.0),
            (11.0, 15.8),
            (2750.0, 4400.0),
            (22.0, 36.0),
            (38.0, 55.0),
            (1100.0, 1500.0),
        ),
        Kind::Senior => (
            (7.0, 10.0),
            (10.0, 14.0),
            (3200.0, 5500.0),
            (25.0, 38.0),
            (40.0, 60.0),
            (1100.0, 1600.0),
        ),
        Kind::Voc => (
            (9.0, 14.0),
            (5.0, 8.0),
            (2800.0, 5200.0),
            (34.5, 46.0),
            (32.0, 48.0),
            (1800.0, 2800.0),
        ),
        Kind::Special => (
            (20.0, 30.0),
            (15.0, 25.0),
            (6000.0, 10000.0),
            (60.0, 90.0),
            (30.0, 50.0),
            (6400.0, 8200.0),
        ),
    };
    let mut r = |(lo, hi): R| rng.range(lo, hi);
    let area_teaching = uround(sf * r(teach) * small * 10.0);
    let area_sports = uround(sf * r(sports) * small * 10.0);
    let (area_land, area_buildings) = if kind == Kind::Voc {
        (
            uround((sf * r(land)).max(42_000.0 + r((0.0, 8000.0))) * 10.0),
            uround((sf * r((21.0, 28.0))).max(25_200.0 + r((0.0, 5000.0))) * 10.0),
        )
    } else {
        (
            uround(sf * r(land) * small * 10.0),
            uround(area_teaching as f64 * r((1.35, 1.7))),
        )
    };
    let equipment = uround(sf * r(equip) / 10.0) * 10;
    let books = uround(sf * r(books));
    // A school under 100 students is funded as if it had 100 (B16): its
    // funds per student are scaled up accordingly.
    let mut public_funds = uround(r(funds)) as u32;
    if students > 0 && students < 100 && kind != Kind::Kg {
        public_funds = uceil(public_funds as f64 * 100.0 / students as f64) as u32;
    }
    let multimedia = if kind == Kind::Kg {
        classes as u32
    } else {
        (classes as u32 + rng.int(0, 3) as u32).max(uceil(sf * rng.range(2.55, 3.3) / 100.0) as u32)
    };
    let rooms = |rng: &mut Rng| match kind {
        Kind::Kg => 1 + u32::from(classes > 9),
        Kind::Senior | Kind::Voc => (classes as u32).div_ceil(15).max(1),
        _ => (compulsory_classes as u32).div_ceil(12).max(1) + u32::from(rng.chance(0.35)),
    };
    let music = rooms(rng);
    let art = rooms(rng);
    let after_school = !matches!(kind, Kind::Kg | Kind::Voc);
    u.schools.push(School {
        id: ctx.spec.code * 10000 + slot_idx as u64 + 1,
        name: slot.name.clone(),
        township: names::township(slot.town),
        township_type: names::township_type(slot.town),
        center_kg: slot.center,
        recognitions: [false; 11],
        kind,
        public: slot.public,
        inclusive: (kind == Kind::Kg).then_some(slot.public || slot.inclusive),
        area: slot.area,
        students,
        parts: *parts,
        area_teaching,
        area_sports,
        area_land,
        area_buildings,
        equipment,
        multimedia,
        music,
        art,
        books,
        public_funds,
        group_run: false,
        district_run: false,
        wifi: true,
        after_school,
        language_model: false,
        classes: class_start..u.classes.len(),
        teachers: teacher_start..u.teachers.len(),
    });
}

/// Makes sure a stage's teachers meet the thresholds with a margin, whatever
/// the random draws: above-degree teachers (B1), backbone teachers (B2), 中职
/// senior titles (D4) and 双师型 (A6).
fn fix_stage(
    u: &mut Unit,
    start: usize,
    n_ft: usize,
    kind: Kind,
    level: Level,
    s: u32,
    rng: &mut Rng,
) {
    let end = (start + n_ft).min(u.teachers.len());
    let sf = s as f64;
    let compulsory = matches!(level, Level::Primary | Level::Junior) && kind != Kind::Special;
    {
        let ft = &mut u.teachers[start..end];
        if compulsory {
            let (required, thr) = if level == Level::Primary {
                (Degree::College, 4.2)
            } else {
                (Degree::Bachelor, 5.3)
            };
            let need = uceil(sf * thr * 1.12 / 100.0) as usize;
            let mut have = ft.iter().filter(|t| t.degree >= required).count();
            for t in ft.iter_mut() {
                if have >= need {
                    break;
                }
                if t.degree < required {
                    t.degree = required;
                    have += 1;
                }
            }
        }
        // Backbone teachers.
        let backbone = if compulsory && kind != Kind::TeachingPoint {
            (uceil(sf * rng.range(1.15, 2.0) / 100.0) as usize).max(1)
        } else {
            let p = match level {
                Level::Kg => 0.04,
                Level::High => 0.10,
                _ => 0.07,
            };
            ft.iter().filter(|_| rng.chance(p)).count()
        };
        let mut idx: Vec<usize> = (0..ft.len()).collect();
        rng.shuffle(&mut idx);
        for &i in idx.iter().take(backbone.min(ft.len())) {
            ft[i].backbone = true;
        }
        if level == Level::Voc {
            let need = uceil(ft.len() as f64 * 0.22) as usize;
            let mut have = ft.iter().filter(|t| t.senior).count();
            for t in ft.iter_mut() {
                if have >= need {
                    break;
                }
                if !t.senior {
                    t.senior = true;
                    have += 1;
                }
            }
        }
    }
    if level == Level::Voc {
        let ts = &mut u.teachers[start..];
        let prof = ts
            .iter()
            .filter(|t| t.subject == Subject::Professional)
            .count();
        let need = uceil(prof as f64 * 0.62) as usize;
        let mut have = ts.iter().filter(|t| t.dual == Some(true)).count();
        for t in ts.iter_mut() {
            if have >= need {
                break;
            }
            if t.dual == Some(false) {
                t.dual = Some(true);
                have += 1;
            }
        }
    }
}
