//! Determinism, loading with the real schema, and (informational) the rule
//! pack's verdict on generated submissions.

use super::build::water_fill;
use super::out::{pct, put_fixed, ratio};
use super::*;
use crate::pack::{RulePack, SourceFile};
use std::path::{Path, PathBuf};

const FILES: [&str; 5] = [
    "学校.csv",
    "班级.csv",
    "教师.csv",
    "区县.csv",
    "违规清单.md",
];

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("dudao-gen-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn read_all(dir: &Path) -> Vec<(&'static str, Vec<u8>)> {
    FILES
        .iter()
        .map(|f| {
            (
                *f,
                std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}")),
            )
        })
        .collect()
}

fn assert_same(a: &Path, b: &Path) {
    for ((f, x), (_, y)) in read_all(a).into_iter().zip(read_all(b)) {
        assert!(
            x == y,
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

fn opts(seed: u64, year: i32, scale: Scale, violations: Violations) -> Options {
    Options {
        seed,
        year,
        scale,
        violations,
    }
}

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")
}

/// The rule pack, or `None` (with a note) if it does not compile right now.
fn full_pack() -> Option<RulePack> {
    match crate::check::load_pack(&rules_dir()) {
        Ok(p) => Some(p),
        Err(d) => {
            eprintln!(
                "note: the rule pack does not compile at the moment ({} error(s)); using the schema only",
                d.len()
            );
            None
        }
    }
}

/// The schema: from the full pack if it compiles, else from `00-schema.dudao` alone.
fn schema_pack() -> RulePack {
    if let Some(p) = full_pack() {
        return p;
    }
    let text = std::fs::read_to_string(rules_dir().join("../national/00-schema.dudao"))
        .expect("national/00-schema.dudao");
    crate::check::compile(
        vec![SourceFile {
            name: "00-schema.dudao".into(),
            text,
        }],
        &|_| None,
    )
    .unwrap_or_else(|d| {
        panic!(
            "the schema does not compile: {:?}",
            d.iter().map(|d| &d.message).collect::<Vec<_>>()
        )
    })
}

#[test]
fn same_arguments_give_byte_identical_files() {
    let (a, b) = (tmp("same-a"), tmp("same-b"));
    let o = opts(2021, 2025, Scale::District, Violations::Planted);
    let sa = generate(&o, &a).unwrap();
    let sb = generate(&o, &b).unwrap();
    assert_eq!(sa, sb);
    assert_same(&a, &b);
    let c = tmp("same-c");
    generate(&opts(2022, 2025, Scale::District, Violations::Planted), &c).unwrap();
    assert_ne!(
        std::fs::read(a.join("教师.csv")).unwrap(),
        std::fs::read(c.join("教师.csv")).unwrap()
    );
    for d in [a, b, c] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn output_does_not_depend_on_the_number_of_threads() {
    let (a, b) = (tmp("threads-1"), tmp("threads-2"));
    let o = opts(7, 2023, Scale::Units(3), Violations::Planted);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let two = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let sa = one.install(|| generate(&o, &a)).unwrap();
    let sb = two.install(|| generate(&o, &b)).unwrap();
    assert_eq!(sa, sb);
    assert!(sa.schools > 3 * 400, "{sa:?}");
    assert_same(&a, &b);
    for d in [a, b] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn sprinkled_units_are_deterministic_and_rare() {
    let spec = |mode| build::UnitSpec {
        index: 17,
        code: 500_118,
        name: names::county(17),
        factor: 0.6,
        year: 2024,
        seed: 5,
        mode,
        units: 1,
    };
    let (u1, r1) = generate_unit(&spec(build::Mode::Sprinkled));
    let (u2, r2) = generate_unit(&spec(build::Mode::Sprinkled));
    assert_eq!(u1.teachers.len(), u2.teachers.len());
    assert_eq!(r1.len(), r2.len());
    let share = r1.len() as f64 / u1.schools.len() as f64;
    assert!(
        share < 0.05,
        "{} violations in {} schools",
        r1.len(),
        u1.schools.len()
    );
}

#[test]
fn generated_headers_cover_the_schema() {
    let pack = schema_pack();
    let schema = &pack.schema;
    for (table, cols) in [
        ("schools", model::SCHOOL_COLS),
        ("classes", model::CLASS_COLS),
        ("teachers", model::TEACHER_COLS),
        ("district", model::DISTRICT_COLS),
    ] {
        let t = schema
            .table_by_name(table)
            .unwrap_or_else(|| panic!("schema has no table `{table}`"));
        let def = &schema.tables[t];
        for c in cols {
            assert!(
                def.column_by_header(c).is_some(),
                "`{c}` is not a column of `{table}`"
            );
        }
        for c in &def.columns {
            assert!(
                cols.iter()
                    .any(|h| def.column_by_header(h) == def.column(&c.name)),
                "the generator does not write `{}` ({}) of `{table}`",
                c.name,
                c.label()
            );
        }
    }
}

#[test]
fn generated_districts_load_without_errors() {
    let pack = schema_pack();
    for (year, v) in [
        (2025, Violations::Planted),
        (2020, Violations::None),
        (2022, Violations::Planted),
    ] {
        let dir = tmp(&format!("load-{year}-{v:?}"));
        let s = generate(&opts(2021, year, Scale::District, v), &dir).unwrap();
        let loaded = crate::data::load_submission(&pack.schema, &dir).unwrap_or_else(|e| {
            panic!(
                "{} does not load: {:?}",
                dir.display(),
                e.diags
                    .iter()
                    .take(5)
                    .map(|d| &d.message)
                    .collect::<Vec<_>>()
            )
        });
        let sub = &loaded.submission;
        let rows = |name: &str| sub.tables[pack.schema.table_by_name(name).unwrap()].rows as u64;
        assert_eq!(rows("schools"), s.schools);
        assert_eq!(rows("classes"), s.classes);
        assert_eq!(rows("teachers"), s.teachers);
        assert_eq!(rows("district"), (year - 2019) as u64);
        assert_eq!(sub.report_year(), Some(year));
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// A compliant district passes every rule; a planted one fails exactly the
/// rules 违规清单.md lists, once per listed violation.
#[test]
fn rule_pack_verdict_on_generated_districts() {
    let pack = crate::check::load_pack(&rules_dir()).unwrap_or_else(|d| {
        panic!(
            "the rule pack does not compile: {}",
            crate::diag::render_plain(&d)
        )
    });
    for year in [2020, 2023, 2025] {
        for v in [Violations::None, Violations::Planted] {
            let dir = tmp(&format!("verdict-{year}-{v:?}"));
            generate(&opts(2021, year, Scale::District, v), &dir).unwrap();
            let Ok(loaded) = crate::data::load_submission(&pack.schema, &dir) else {
                eprintln!("{year} {v:?}: does not load");
                continue;
            };
            let report = crate::eval::evaluate(&pack, &loaded.submission);
            let mut got: BTreeMap<String, usize> = BTreeMap::new();
            for r in &report.results {
                if !r.findings.is_empty() {
                    *got.entry(pack.rules[r.rule].meta.id.clone()).or_default() += r.findings.len();
                }
            }
            let md = std::fs::read_to_string(dir.join("违规清单.md")).unwrap_or_default();
            let mut expected: BTreeMap<String, usize> = BTreeMap::new();
            for line in md.lines() {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                if cells.len() > 3 && cells[1].parse::<usize>().is_ok() {
                    for id in cells[2].split(',') {
                        *expected.entry(id.trim().to_string()).or_default() += 1;
                    }
                }
            }
            let diff: Vec<String> = got
                .keys()
                .chain(expected.keys())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .filter(|k| got.get(*k) != expected.get(*k))
                .map(|k| {
                    format!(
                        "{k}: expected {}, got {}",
                        expected.get(k).unwrap_or(&0),
                        got.get(k).unwrap_or(&0)
                    )
                })
                .collect();
            let _ = std::fs::remove_dir_all(dir);
            assert!(
                diff.is_empty(),
                "{year} {v:?}: findings differ from 违规清单.md: {}",
                diff.join("; ")
            );
        }
    }
}

#[test]
fn water_fill_is_exact_and_bounded() {
    let w = [1.0, 2.0, 3.0, 0.5, 10.0];
    let lo = [10, 10, 10, 10, 10];
    let hi = [100, 100, 100, 100, 120];
    let v = water_fill(&w, &lo, &hi, 301);
    assert_eq!(v.iter().map(|&x| x as u64).sum::<u64>(), 301);
    assert!(
        v.iter()
            .zip(lo.iter().zip(hi))
            .all(|(x, (l, h))| x >= l && *x <= h)
    );
    assert_eq!(v[4], 120);
}

#[test]
fn numbers_are_formatted_by_hand() {
    let mut b = Vec::new();
    put_fixed(&mut b, 123_405, 1);
    b.push(b' ');
    put_fixed(&mut b, 7, 2);
    assert_eq!(String::from_utf8(b).unwrap(), "12340.5 0.07");
    assert_eq!(pct(5348, 10000), "53.48%");
    assert_eq!(ratio(2, 3, 2), "0.67");
    assert_eq!(parse_scale("national"), Ok(Scale::National));
    assert_eq!(parse_scale("1"), Ok(Scale::District));
    assert_eq!(parse_scale("10"), Ok(Scale::Units(10)));
    assert!(parse_scale("0").is_err());
}
