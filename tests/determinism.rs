//! Results never depend on the number of threads: the whole pipeline (load,
//! evaluate, render) run in rayon pools of 1 and 4 threads gives byte-identical
//! text and JSON reports, and so does running it twice.
//!
//! Two submissions: the small `violations` fixture, and a synthetic one big
//! enough that rows are cut into several chunks (30,000 classes, 10,000
//! teachers: more than two chunks of 4,096, so aggregates over teachers are
//! folded in parallel too), with fractional values so that a different order
//! of floating-point additions would show.

use dudao::data::{LoadOptions, Loaded, load_from_memory, load_submission};
use dudao::diag::render_plain;
use dudao::pack::RulePack;
use dudao::report::{json, text};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn pack() -> RulePack {
    match dudao::check::load_pack(&root().join("rules")) {
        Ok(p) => p,
        Err(d) => panic!("the rule pack does not compile:\n{}", render_plain(&d)),
    }
}

/// Evaluates and renders a loaded submission: (text, JSON).
fn render(pack: &RulePack, loaded: &Loaded) -> (String, String) {
    let sub = &loaded.submission;
    let results = dudao::eval::check(
        pack,
        sub,
        loaded.warnings.clone(),
        &Default::default(),
        &|| {},
    );
    let checked = dudao::report::Checked::new(pack, sub, &results);
    let opts = text::TextOptions {
        max_per_rule: usize::MAX,
        ..Default::default()
    };
    (
        text::render(&checked, &opts),
        json::render(&checked, dudao::diag::Lang::Zh),
    )
}

/// Runs `f` in a fresh rayon pool of `threads` threads.
fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap_or_else(|e| panic!("cannot build a pool of {threads}: {e}"));
    pool.install(f)
}

/// Asserts that `run` gives the same output in pools of 1 and 4 threads and
/// when repeated; returns the output.
fn same_everywhere(run: impl Fn() -> (String, String) + Sync) -> (String, String) {
    let one = in_pool(1, &run);
    let four = in_pool(4, &run);
    let four_again = in_pool(4, &run);
    let one_again = in_pool(1, &run);
    for (name, other) in [
        ("4 threads", &four),
        ("4 threads, again", &four_again),
        ("1 thread, again", &one_again),
    ] {
        assert!(
            one.0 == other.0,
            "text report differs with {name}:\n{}",
            first_difference(&one.0, &other.0)
        );
        assert!(
            one.1 == other.1,
            "JSON report differs with {name}:\n{}",
            first_difference(&one.1, &other.1)
        );
    }
    one
}

fn first_difference(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| format!("line {}:\n  {x}\n  {y}", i + 1))
        .unwrap_or_else(|| format!("lengths {} and {}", a.len(), b.len()))
}

#[test]
fn violations_fixture_is_thread_count_independent() {
    let pack = pack();
    let dir = root().join("fixtures/submissions/violations");
    let (t, j) = same_everywhere(|| {
        let loaded = load_submission(&pack.schema, &dir)
            .unwrap_or_else(|e| panic!("{}", render_plain(&e.diags)));
        render(&pack, &loaded)
    });
    assert!(t.contains("A12"), "{t}");
    assert!(j.contains("\"verdict\": \"fail\""));
}

// ------------------------------------------------------------ synthetic data

/// A small deterministic generator (64-bit LCG), so that the data is varied
/// but the same in every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A CSV file of the compliant fixture: its header and rows (the fixture
/// has no quoted cells, which is checked).
struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn read(name: &str) -> Csv {
        let path = root()
            .join("fixtures/submissions/small-district")
            .join(name);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        assert!(!text.contains('"'), "{name} has quoted cells");
        let mut lines = text
            .lines()
            .map(|l| l.split(',').map(String::from).collect());
        let header: Vec<String> = lines.next().unwrap_or_default();
        Csv {
            header,
            rows: lines.collect(),
        }
    }

    fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }

    fn text(header: &[String], rows: &[Vec<String>]) -> String {
        let mut out = header.join(",");
        out.push('\n');
        for r in rows {
            out.push_str(&r.join(","));
            out.push('\n');
        }
        out
    }
}

const SCHOOLS: usize = 1000;
const CLASSES_PER_SCHOOL: usize = 30;
const TEACHERS_PER_SCHOOL: usize = 10;

/// A district of 1,000 schools (copies of the compliant fixture's schools,
/// with varied sizes and areas), 30,000 classes and 10,000 teachers.
fn synthetic() -> Vec<(String, String)> {
    let mut rng = Lcg(2025);
    let schools = Csv::read("学校.csv");
    let classes = Csv::read("班级.csv");
    let teachers = Csv::read("教师.csv");
    let district =
        std::fs::read_to_string(root().join("fixtures/submissions/small-district/区县.csv"))
            .unwrap_or_else(|e| panic!("cannot read 区县.csv: {e}"));

    let (s_id, s_students) = (schools.col("学校标识码"), schools.col("在校生数"));
    let s_name = schools.col("学校名称");
    let s_teaching = schools.col("教学及辅助用房面积");
    let s_sports = schools.col("体育运动场馆面积");
    let s_equipment = schools.col("教学仪器设备值");
    let (c_id, c_school, c_size) = (
        classes.col("班级编号"),
        classes.col("学校标识码"),
        classes.col("班额"),
    );
    let (t_id, t_school, t_pay) = (
        teachers.col("教师编号"),
        teachers.col("学校标识码"),
        teachers.col("年工资收入"),
    );

    let (mut s_rows, mut c_rows, mut t_rows) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..SCHOOLS {
        let template = &schools.rows[i % schools.rows.len()];
        let template_id = &template[s_id];
        let id = format!("{template_id}{i:04}");
        let students = 40 + rng.below(1500);
        let mut s = template.clone();
        s[s_id] = id.clone();
        s[s_name] = format!("{}{i}", template[s_name]);
        s[s_students] = students.to_string();
        // Fractional areas and values per student, so that sums are inexact.
        s[s_teaching] = format!(
            "{:.1}",
            students as f64 * (3.0 + rng.below(60) as f64 / 10.0)
        );
        s[s_sports] = format!(
            "{:.1}",
            students as f64 * (6.0 + rng.below(80) as f64 / 10.0)
        );
        s[s_equipment] = format!(
            "{:.2}",
            students as f64 * (1500.0 + rng.below(200_000) as f64 / 100.0)
        );
        s_rows.push(s);

        let own_classes: Vec<&Vec<String>> = classes
            .rows
            .iter()
            .filter(|r| &r[c_school] == template_id)
            .collect();
        assert!(!own_classes.is_empty(), "no classes for {template_id}");
        for k in 0..CLASSES_PER_SCHOOL {
            let mut c = own_classes[k % own_classes.len()].clone();
            c[c_id] = format!("{id}-{k:02}");
            c[c_school] = id.clone();
            c[c_size] = (20 + rng.below(50)).to_string();
            c_rows.push(c);
        }

        let own_teachers: Vec<&Vec<String>> = teachers
            .rows
            .iter()
            .filter(|r| &r[t_school] == template_id)
            .collect();
        assert!(!own_teachers.is_empty(), "no teachers for {template_id}");
        for k in 0..TEACHERS_PER_SCHOOL {
            let mut t = own_teachers[k % own_teachers.len()].clone();
            t[t_id] = format!("T{i:04}{k:02}");
            t[t_school] = id.clone();
            t[t_pay] = format!("{:.2}", 90_000.0 + rng.below(2_000_000) as f64 / 100.0);
            t_rows.push(t);
        }
    }
    assert_eq!(c_rows.len(), 30_000);
    assert_eq!(t_rows.len(), 10_000);
    vec![
        ("学校.csv".into(), Csv::text(&schools.header, &s_rows)),
        ("班级.csv".into(), Csv::text(&classes.header, &c_rows)),
        ("教师.csv".into(), Csv::text(&teachers.header, &t_rows)),
        ("区县.csv".into(), district),
    ]
}

#[test]
fn large_synthetic_submission_is_thread_count_independent() {
    let pack = pack();
    let files = synthetic();
    let (t, j) = same_everywhere(|| {
        let bytes: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_bytes()))
            .collect();
        let opts = LoadOptions::default();
        let loaded = load_from_memory(&pack.schema, "synthetic", &bytes, &opts)
            .unwrap_or_else(|e| panic!("{}", render_plain(&e.diags)));
        assert_eq!(
            loaded
                .submission
                .tables
                .iter()
                .map(|t| t.rows)
                .sum::<usize>(),
            1000 + 30_000 + 10_000 + 3
        );
        render(&pack, &loaded)
    });
    // The data is varied enough to fail class-size rules many times over.
    let v: serde_json::Value = serde_json::from_str(&j).unwrap_or_else(|e| panic!("{e}"));
    let failed = v["summary"]["failed"].as_u64().unwrap_or(0);
    assert!(failed > 1000, "only {failed} failures");
    assert!(t.contains("B11"));
}
