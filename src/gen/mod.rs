//! `dudao generate`: deterministic synthetic submissions for tests, fixtures
//! and benchmarks.
//!
//! One district (`--scale district`) is shaped like 万州区 in the report year:
//! about 250 kindergartens and 175 primary and secondary schools, with
//! students following the plan's table 2-1 (the straight line from the 2020
//! baseline to the 2025 target), classes and teachers consistent with the
//! students, and every standard of `standards.md` met — unless violations are
//! planted (`--violations planted`, the default), which adds a fixed list of
//! violations, each isolated so that it triggers its rule(s) and nothing else,
//! and lists them in `违规清单.md`.
//!
//! `--scale N` writes N such districts into one submission; `--scale national`
//! writes ~1,250 districts of varied size (~520,000 schools, ~7.1 million
//! classes, ~18.5 million teachers) with about 2% of schools carrying one random
//! school-level violation.
//!
//! Output is byte-identical for the same arguments, whatever the number of
//! threads: every district unit draws from its own random streams (derived
//! from the seed and the unit's index), units are generated in parallel in
//! batches and written in order, and numbers are formatted by hand.

mod build;
mod model;
mod names;
mod out;
mod pack;
mod plan;
mod plant;
mod rng;
#[cfg(test)]
mod tests;

use build::{Ctx, Mode, Shares, UnitSpec};
use model::*;
use pack::Limits;
use plant::Record;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

/// How big a submission to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// One district shaped like 万州区.
    District,
    /// N districts in one submission (for scaling curves); `Units(1)` is `District`.
    Units(u32),
    /// About 520,000 schools (~1,250 districts of varied size).
    National,
}

impl Scale {
    fn describe(self) -> String {
        match self {
            Scale::District | Scale::Units(1) => "district".to_string(),
            Scale::Units(n) => n.to_string(),
            Scale::National => "national".to_string(),
        }
    }
}

/// Parses `district`, `national` or a positive integer.
pub fn parse_scale(s: &str) -> Result<Scale, String> {
    match s.trim() {
        "district" => Ok(Scale::District),
        "national" => Ok(Scale::National),
        n => match n.parse::<u32>() {
            Ok(0) | Err(_) => Err(format!(
                "`{n}` is not a scale: use `district`, `national` or a positive integer"
            )),
            Ok(1) => Ok(Scale::District),
            Ok(k) => Ok(Scale::Units(k)),
        },
    }
}

/// Whether to plant violations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Violations {
    /// A fully compliant submission.
    None,
    /// The documented list (district), or ~2% of schools with one violation (national).
    Planted,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    pub seed: u64,
    /// The report year, 2020–2025.
    pub year: i32,
    pub scale: Scale,
    pub violations: Violations,
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub schools: u64,
    pub classes: u64,
    pub teachers: u64,
    pub district_rows: u64,
    /// Planted violations (records in 违规清单.md).
    pub planted: u64,
    /// Bytes of the five files.
    pub bytes: u64,
}

const NATIONAL_UNITS: u32 = 1250;
const TAG_NATIONAL: u64 = 0x4E41;

/// The district units of a submission.
fn unit_specs(opts: &Options, limits: Limits) -> Vec<UnitSpec> {
    let planted = opts.violations == Violations::Planted;
    let (n, national) = match opts.scale {
        Scale::District => (1, false),
        Scale::Units(n) => (n.max(1), false),
        Scale::National => (NATIONAL_UNITS, true),
    };
    (0..n)
        .map(|k| {
            let factor = if national && k > 0 {
                rng::Rng::derive(opts.seed, &[TAG_NATIONAL, k as u64]).range(0.35, 0.95)
            } else {
                1.0
            };
            UnitSpec {
                index: k,
                code: 500_101 + k as u64,
                name: if k == 0 {
                    "万州区".to_string()
                } else {
                    names::county(k as usize)
                },
                factor,
                year: opts.year,
                seed: opts.seed,
                units: n,
                limits,
                mode: match (planted, national) {
                    (false, _) => Mode::Compliant,
                    (true, false) => Mode::Planted,
                    (true, true) => Mode::Sprinkled,
                },
            }
        })
        .collect()
}

/// One unit: slots, allocation, rows, plants.
fn generate_unit(spec: &UnitSpec) -> (Unit, Vec<Record>) {
    let mut slots = build::skeleton(spec);
    let mut shares = Shares {
        public_kg: plan::public_kg_share(spec.year),
        non_inclusive: plan::NON_INCLUSIVE_SHARE,
    };
    let pre = (spec.mode == Mode::Planted).then(|| plant::before(spec, &mut slots, &mut shares));
    let parts = build::allocate(spec, &slots, &shares);
    let ctx = Ctx {
        spec,
        civil_servant_pay: plan::civil_servant_pay(spec.seed, spec.year),
    };
    let mut u = build::build_unit(&ctx, &slots, &parts);
    let mut records = Vec::new();
    match (spec.mode, &pre) {
        (Mode::Planted, Some(pre)) => plant::after(spec, pre, &mut u, &mut records),
        (Mode::Sprinkled, _) => plant::sprinkle(spec, &mut u, &mut records),
        _ => {}
    }
    (u, records)
}

/// A unit written as CSV bytes, with what the 区县 table needs.
struct UnitOut {
    schools: Vec<u8>,
    classes: Vec<u8>,
    teachers: Vec<u8>,
    rows: [u64; 3],
    kg_children: u64,
    /// Sum and count of the public compulsory-education teachers' pay (A9).
    pay: (u64, u64),
    factor: f64,
    records: Vec<Record>,
}

fn unit_out(spec: &UnitSpec, labels: &Labels) -> UnitOut {
    let (u, records) = generate_unit(spec);
    let mut schools = Vec::with_capacity(u.schools.len() * 220);
    let mut classes = Vec::with_capacity(u.classes.len() * 80);
    let mut teachers = Vec::with_capacity(u.teachers.len() * 110);
    for s in &u.schools {
        s.write(&mut schools, labels);
    }
    for c in &u.classes {
        c.write(
            &mut classes,
            u.schools[c.school as usize].id,
            spec.year,
            labels,
        );
    }
    let mut pay = (0u64, 0u64);
    for t in &u.teachers {
        let school = &u.schools[t.school as usize];
        t.write(&mut teachers, school.id, spec.year, labels);
        // The public compulsory-education teachers (A9, B13): full-time, of a
        // 公办 school, teaching a compulsory stage.
        if t.full_time
            && school.public
            && matches!(t.level, Level::Primary | Level::Junior)
            && matches!(
                school.kind,
                Kind::Primary
                    | Kind::TeachingPoint
                    | Kind::Junior
                    | Kind::Nine
                    | Kind::Twelve
                    | Kind::Complete
                    | Kind::Special
            )
        {
            pay.0 += t.pay as u64;
            pay.1 += 1;
        }
    }
    UnitOut {
        schools,
        classes,
        teachers,
        rows: [
            u.schools.len() as u64,
            u.classes.len() as u64,
            u.teachers.len() as u64,
        ],
        kg_children: u
            .schools
            .iter()
            .filter(|s| s.kind == Kind::Kg)
            .map(|s| s.students as u64)
            .sum(),
        pay,
        factor: spec.factor,
        records,
    }
}

/// Generates a submission into `out_dir` (created if missing).
pub fn generate(opts: &Options, out_dir: &Path) -> io::Result<Summary> {
    if !(plan::BASE_YEAR..=plan::TARGET_YEAR).contains(&opts.year) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("the report year must be 2020–2025, not {}", opts.year),
        ));
    }
    std::fs::create_dir_all(out_dir)?;
    // The files and their headers as the bundled schema names them, and
    // the thresholds the plants miss.
    let pack = pack::bundled()?;
    let specs = unit_specs(opts, Limits::of(&pack)?);
    let schema = &pack.schema;
    let labels = Labels::of(schema)?;
    let files = [
        pack::file(schema, SCHOOL_COLUMNS)?,
        pack::file(schema, CLASS_COLUMNS)?,
        pack::file(schema, TEACHER_COLUMNS)?,
        pack::file(schema, DISTRICT_COLUMNS)?,
    ];
    let open = |(name, cols): &(String, Vec<&str>)| -> io::Result<io::BufWriter<std::fs::File>> {
        let mut w =
            io::BufWriter::with_capacity(1 << 22, std::fs::File::create(out_dir.join(name))?);
        let mut h = Vec::new();
        out::header(&mut h, cols);
        w.write_all(&h)?;
        Ok(w)
    };
    let [f_schools, f_classes, f_teachers, f_district] = &files;
    let mut w_schools = open(f_schools)?;
    let mut w_classes = open(f_classes)?;
    let mut w_teachers = open(f_teachers)?;

    let mut summary = Summary::default();
    let mut kg_children = 0u64;
    let mut pay = (0u64, 0u64);
    let mut factor_sum = 0.0;
    let mut all_records: Vec<Record> = Vec::new();
    let mut counts: BTreeMap<String, (u64, Vec<Record>)> = BTreeMap::new();
    let batch = (rayon::current_num_threads() * 4).max(4);
    for chunk in specs.chunks(batch) {
        let outs: Vec<UnitOut> = chunk.par_iter().map(|s| unit_out(s, &labels)).collect();
        for o in outs {
            w_schools.write_all(&o.schools)?;
            w_classes.write_all(&o.classes)?;
            w_teachers.write_all(&o.teachers)?;
            summary.schools += o.rows[0];
            summary.classes += o.rows[1];
            summary.teachers += o.rows[2];
            kg_children += o.kg_children;
            pay.0 += o.pay.0;
            pay.1 += o.pay.1;
            factor_sum += o.factor;
            summary.planted += o.records.len() as u64;
            for r in &o.records {
                let e = counts.entry(r.rules.clone()).or_default();
                e.0 += 1;
                if e.1.len() < 3 {
                    e.1.push(r.clone());
                }
            }
            all_records.extend(o.records);
        }
    }
    w_schools.flush()?;
    w_classes.flush()?;
    w_teachers.flush()?;
    drop((w_schools, w_classes, w_teachers));

    let mut rows = plan::district_rows(opts.seed, opts.year, factor_sum);
    let mut district_records = Vec::new();
    if specs.first().is_some_and(|s| s.mode == Mode::Planted) {
        plant::district(&mut rows, "万州区", kg_children, pay, &mut district_records);
    }
    let scale_records = plant::scale(opts.year, specs.len(), factor_sum);
    for r in &scale_records {
        let e = counts.entry(r.rules.clone()).or_default();
        e.0 += 1;
        e.1.push(r.clone());
    }
    district_records.extend(scale_records);
    summary.planted += district_records.len() as u64;
    let mut buf = Vec::new();
    out::header(&mut buf, &f_district.1);
    for r in &rows {
        r.write(&mut buf);
    }
    std::fs::write(out_dir.join(&f_district.0), &buf)?;
    summary.district_rows = rows.len() as u64;

    let md = violations_md(
        opts,
        &specs,
        &summary,
        &all_records,
        &district_records,
        &counts,
    );
    std::fs::write(out_dir.join("违规清单.md"), md.as_bytes())?;
    for f in files
        .iter()
        .map(|(name, _)| name.as_str())
        .chain(["违规清单.md"])
    {
        summary.bytes += std::fs::metadata(out_dir.join(f))?.len();
    }
    Ok(summary)
}

fn md_cell(s: &str) -> String {
    s.replace('|', "／")
}

fn violations_md(
    opts: &Options,
    specs: &[UnitSpec],
    summary: &Summary,
    records: &[Record],
    district: &[Record],
    counts: &BTreeMap<String, (u64, Vec<Record>)>,
) -> String {
    let mut s = String::new();
    let cmd = format!(
        "dudao generate --seed {} --year {} --scale {} --violations {}",
        opts.seed,
        opts.year,
        opts.scale.describe(),
        match opts.violations {
            Violations::None => "none",
            Violations::Planted => "planted",
        }
    );
    s.push_str("# 违规清单（植入的违规）\n\n");
    s.push_str(&format!("由 `{cmd}` 生成。\n\n"));
    s.push_str(&format!(
        "报告年度 {} 年；{} 个区县单位；学校 {} 所，班级 {} 个，教师 {} 人；区县表 {} 行（{}–{} 年）。\n\n",
        opts.year,
        specs.len(),
        summary.schools,
        summary.classes,
        summary.teachers,
        summary.district_rows,
        plan::BASE_YEAR,
        opts.year
    ));
    let mode = specs.first().map(|s| s.mode).unwrap_or(Mode::Compliant);
    match mode {
        Mode::Compliant => {
            s.push_str("没有植入违规：每条规则都应当通过");
            if district.is_empty() {
                s.push_str("。\n");
            } else {
                s.push_str("，只有下表的规则因为合并了多个区县单位而不达到。\n\n");
                s.push_str("| # | 规则 | 对象 | 值 | 标准 |\n|---|---|---|---|---|\n");
                for (i, r) in district.iter().enumerate() {
                    s.push_str(&format!(
                        "| {} | {} | {} | {} | {} |\n",
                        i + 1,
                        md_cell(&r.rules),
                        md_cell(&r.entity),
                        md_cell(&r.value),
                        md_cell(&r.standard)
                    ));
                }
            }
        }
        Mode::Planted => {
            s.push_str(
                "每一项是一处植入的违规，应当触发“规则”一栏的规则，且只触发这些规则；其余规则都应当通过。\
                 学校的规模、班级和教师由同一随机数种子决定，植入只改动表中所列的值。\n\n",
            );
            if specs.len() > 1 {
                s.push_str(&format!(
                    "{} 个区县单位各自植入同一份学校级清单（学校不同；个别单位没有合适的学校时少植入一项）；\
                     全区性的违规（占比、所数、差异系数、区县表）只列一次。乡镇名在各单位重复、高中远多于15所，\
                     A2.3 和 A15 不植入。\n\n",
                    specs.len()
                ));
            }
            s.push_str("| # | 规则 | 对象 | 植入的值 | 标准 |\n|---|---|---|---|---|\n");
            for (i, r) in district.iter().chain(records).enumerate() {
                s.push_str(&format!(
                    "| {} | {} | {} | {} | {} |\n",
                    i + 1,
                    md_cell(&r.rules),
                    md_cell(&r.entity),
                    md_cell(&r.value),
                    md_cell(&r.standard)
                ));
            }
            let np = plant::not_planted(opts.year);
            if !np.is_empty() {
                s.push_str("\n## 本年度未植入\n\n| 规则 | 原因 |\n|---|---|\n");
                for (rules, why) in np {
                    s.push_str(&format!("| {rules} | {why} |\n"));
                }
            }
            s.push_str(
                "\n## 说明\n\n\
                 - C1、C2、C3 与 A1.02、A3、A2.2 看同一个指标（门槛更低），无法单独植入；植入 A 类违规时它们仍然达到。\n\
                 - A9 与 B13 是同一个条件（公办义务教育学校教师平均工资不低于公务员），只能同时触发。\n\
                 - A12 的大班额（56人及以上）必然也超过 B11 的班额上限。\n\
                 - C5（县域内专任教师与在园幼儿之比）是全区的比值，一所幼儿园植入不会使它不达标，没有植入；夹具 kg-teacher-ratio 不达标。\n\
                 - Q1（在校生数与班额之和）没有植入：生成的数据两者一致；夹具 student-count-mismatch 不一致。\n\
                 - 没有植入（都应通过）：A1 的其余指标（规划规模、巩固率、高中阶段和高等教育毛入学率、受教育年限）、A5.1、A7.1、A7.3、A7.4、\
                 B8.初中、B9 的其余13个差异系数、B12.美术、C4.2。\n",
            );
        }
        Mode::Sprinkled => {
            s.push_str(&format!(
                "约2%的学校各植入一处学校级违规（随机选择），共 {} 处。下表按规则计数，并列出前3个例子。\n\n",
                summary.planted
            ));
            s.push_str("| 规则 | 处数 | 例子 |\n|---|---|---|\n");
            for (rules, (n, ex)) in counts {
                let ex: Vec<String> = ex
                    .iter()
                    .map(|r| format!("{}：{}", r.entity, r.value))
                    .collect();
                s.push_str(&format!(
                    "| {} | {n} | {} |\n",
                    md_cell(rules),
                    md_cell(&ex.join("；"))
                ));
            }
            s.push_str("\n## 全部植入\n\n| # | 规则 | 对象 | 植入的值 |\n|---|---|---|---|\n");
            for (i, r) in district.iter().chain(records).enumerate() {
                s.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    i + 1,
                    md_cell(&r.rules),
                    md_cell(&r.entity),
                    md_cell(&r.value)
                ));
            }
        }
    }
    s
}
