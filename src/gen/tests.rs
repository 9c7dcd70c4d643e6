//! Determinism, loading with the real schema, and (informational) the rule
//! pack's verdict on generated submissions.

use super::build::water_fill;
use super::out::{pct, put_fixed, ratio};
use super::*;
use dudao::pack::{RulePack, SourceFile};
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
    match dudao::check::load_pack(&rules_dir()) {
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
    dudao::check::compile(
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
    let limits = super::pack::Limits::bundled().expect("the bundled pack compiles");
    let spec = |mode| build::UnitSpec {
        index: 17,
        code: 500_118,
        name: names::county(17),
        factor: 0.6,
        year: 2024,
        seed: 5,
        mode,
        units: 1,
        limits,
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

/// The files carry the bundled schema's headers, named after its tables,
/// every column once, and every row has one field per column.
#[test]
fn generated_files_have_the_schemas_columns() {
    let pack = super::pack::bundled().expect("the bundled pack compiles");
    let dir = tmp("columns");
    let opts = Options {
        seed: 7,
        year: 2025,
        scale: Scale::District,
        violations: Violations::Planted,
    };
    generate(&opts, &dir).expect("generate");
    for (table, columns) in [
        model::SCHOOL_COLUMNS,
        model::CLASS_COLUMNS,
        model::TEACHER_COLUMNS,
        model::DISTRICT_COLUMNS,
    ] {
        let def = super::pack::table(&pack.schema, table).expect("table");
        let path = dir.join(format!("{}.csv", def.label()));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{table}: {e}"));
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().expect("header").split(',').collect();
        let labels: Vec<&str> = columns
            .iter()
            .map(|n| def.columns[def.column(n).expect("a column of the schema")].label())
            .collect();
        assert_eq!(header, labels, "{table}");
        assert_eq!(columns.len(), def.columns.len(), "{table}");
        for (n, line) in lines.enumerate() {
            assert_eq!(
                line.split(',').count(),
                labels.len(),
                "{table} line {}: {line}",
                n + 2
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The thresholds the generator plants against are read from the pack's
/// parameters as written.
#[test]
fn parameters_are_read_from_the_pack() {
    let pack = super::pack::bundled().expect("the bundled pack compiles");
    let p = |name: &str, cat: Option<&str>| super::pack::param(&pack, name, cat).ok();
    assert_eq!(p("class_max", Some("小学")), Some(45.0));
    assert_eq!(p("class_max", Some("初中")), Some(50.0));
    assert_eq!(p("class_max", Some("高中")), None);
    assert_eq!(p("class_max", None), None);
    assert_eq!(p("public_kg_min", None), Some(55.0));
    assert_eq!(p("vocational_scale_min", None), Some(30000.0));
    assert_eq!(p("no_such_parameter", None), None);
    let label = |t: &str, c: &str, v: &str| super::pack::label(&pack.schema, t, c, v).ok();
    assert_eq!(label("schools", "stage", "幼儿园"), Some("幼儿园"));
    assert_eq!(label("schools", "stage", "大学"), None);
    assert_eq!(label("schools", "name", "幼儿园"), None);
    // A generator that left out a column, or wrote one twice, is refused.
    let schema = &pack.schema;
    assert!(super::pack::file(schema, ("classes", &["id", "school"])).is_err());
    let mut twice = model::CLASS_COLUMNS.1.to_vec();
    twice.push("id");
    assert!(super::pack::file(schema, ("classes", &twice)).is_err());
    assert!(super::pack::file(schema, ("classes", &["no_such_column"])).is_err());
    assert!(super::pack::file(schema, model::CLASS_COLUMNS).is_ok());
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
        let loaded = dudao::data::load_submission(&pack.schema, &dir).unwrap_or_else(|e| {
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
    let pack = dudao::check::load_pack(&rules_dir()).unwrap_or_else(|d| {
        panic!(
            "the rule pack does not compile: {}",
            dudao::diag::render_plain(&d)
        )
    });
    for year in [2020, 2023, 2025] {
        for v in [Violations::None, Violations::Planted] {
            let dir = tmp(&format!("verdict-{year}-{v:?}"));
            generate(&opts(2021, year, Scale::District, v), &dir).unwrap();
            let Ok(loaded) = dudao::data::load_submission(&pack.schema, &dir) else {
                eprintln!("{year} {v:?}: does not load");
                continue;
            };
            let report = dudao::eval::evaluate(&pack, &loaded.submission);
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

/// A planted unit of the bundled pack's district in 2025.
fn planted_unit(limits: super::pack::Limits) -> (Unit, Vec<plant::Record>) {
    generate_unit(&build::UnitSpec {
        index: 0,
        code: 500_101,
        name: "万州区".to_string(),
        factor: 1.0,
        year: 2025,
        seed: 2021,
        mode: build::Mode::Planted,
        units: 1,
        limits,
    })
}

/// Every rule a planted violation names is a rule of the bundled pack.
#[test]
fn planted_rules_are_rules_of_the_pack() {
    let pack = super::pack::bundled().expect("the bundled pack compiles");
    let limits = super::pack::Limits::of(&pack).expect("limits");
    let (_, records) = planted_unit(limits);
    assert!(records.len() > 30, "{} records", records.len());
    for r in &records {
        for id in r.rules.split(", ") {
            assert!(
                pack.rules.iter().any(|rule| rule.meta.id == id),
                "`{id}` (planted as {}) is not a rule of the pack",
                r.entity
            );
        }
    }
}

/// The plants follow the pack's thresholds: with a lower class-size limit
/// and a higher funds minimum, the planted classes and funds move with them
/// and the records quote them.
#[test]
fn plants_follow_the_packs_thresholds() {
    let limits = super::pack::Limits::bundled().expect("the bundled pack compiles");
    let lower = super::pack::Limits {
        class_max: [40, limits.class_max[1]],
        funds_min: [900, limits.funds_min[1]],
        ..limits
    };
    let (u, records) = planted_unit(lower);
    let b11 = records
        .iter()
        .find(|r| r.rules == "B11")
        .expect("a B11 plant");
    assert_eq!(b11.value, "班额 42 人");
    assert_eq!(b11.standard, "小学每班不超过40人（未达大班额）");
    assert!(u.classes.iter().any(|c| c.students == 42));
    let b16 = records
        .iter()
        .find(|r| r.rules == "B16")
        .expect("a B16 plant");
    assert_eq!(b16.value, "生均公用经费 860 元");
    assert_eq!(b16.standard, "小学不低于900元");
    let (_, bundled) = planted_unit(limits);
    let b11 = bundled.iter().find(|r| r.rules == "B11").expect("B11");
    assert_eq!(
        b11.standard,
        format!("小学每班不超过{}人（未达大班额）", limits.class_max[0])
    );
}

/// The labels of enum cells come from the schema: a schema that lacks a
/// variant the generator writes is refused before anything is written.
#[test]
fn enum_labels_come_from_the_schema() {
    let text = std::fs::read_to_string(rules_dir().join("../national/00-schema.dudao"))
        .expect("national/00-schema.dudao");
    let compile = |text: String| {
        dudao::check::compile(
            vec![SourceFile {
                name: "00-schema.dudao".into(),
                text,
            }],
            &|_| None,
        )
        .unwrap_or_else(|d| panic!("the schema does not compile: {d:?}"))
    };
    let pack = compile(text.clone());
    assert!(model::Labels::of(&pack.schema).is_ok());
    let renamed = text.replacen("普通高中, 中职, 特殊教育", "高级中学, 中职, 特殊教育", 1);
    assert_ne!(
        renamed, text,
        "the schema's 学校类型 list changed: update this test"
    );
    let err = model::Labels::of(&compile(renamed).schema)
        .err()
        .expect("a schema without 普通高中 is refused");
    assert!(err.to_string().contains("普通高中"), "{err}");
}
