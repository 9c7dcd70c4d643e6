//! Bad input never panics and never loses rows silently.
//!
//! Deterministic fuzzing (a small xorshift PRNG, no extra crates) of:
//!
//! - the rule compiler: the real `rules/*.dudao` texts mutated (byte flips,
//!   deletions, duplicated slices, inserted Chinese characters, quotes and
//!   braces) and compiled with `dudao::check::compile`;
//! - the CSV loader: the fixture CSV files mutated the same way (plus
//!   commas, quotes, line ends, BOMs and invalid bytes);
//! - the workbook loader: the bytes of the fixture workbooks mutated, and
//!   random but valid workbooks with odd cell types written by rust_xlsxwriter.
//!
//! Each case asserts no panic (a panic fails the test; the case is printed
//! first), that every label of every diagnostic lies inside its source text
//! on char boundaries, and, for loads, that every row below a header is
//! counted once: loaded, with an error, blank, or a note.
//!
//! The number of cases per fuzzer is `DUDAO_FUZZ_ITERS` (default 300: about
//! 4 s for the file in release on 2 cores; 3,000 take about 45 s, the rule
//! compiler being the slowest); `DUDAO_FUZZ_SEED` changes the seed, and
//! `DUDAO_FUZZ_DUMP=<case>` writes that case's rule files to the temp dir.
//! To run longer:
//!
//! ```sh
//! DUDAO_FUZZ_ITERS=20000 cargo test --release --test robustness -- --nocapture
//! ```

use dudao::data::{LoadErrors, LoadOptions, Loaded, RowCounts};
use dudao::diag::{Diag, render_plain};
use dudao::pack::{RulePack, SourceFile};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn iters() -> usize {
    std::env::var("DUDAO_FUZZ_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300)
}

fn seed() -> u64 {
    std::env::var("DUDAO_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15)
}

/// xorshift64*.
struct Rng(u64);

impl Rng {
    fn new(salt: u64) -> Rng {
        Rng((seed() ^ salt.wrapping_mul(0xA076_1D64_78BD_642F)) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Mutates `bytes` in place with 1–`max` random edits: a byte changed, a
/// slice deleted, a slice duplicated, a piece inserted.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>, pieces: &[&[u8]], max: usize) {
    for _ in 0..1 + rng.below(max) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 => {
                if let Some(b) = bytes.get_mut(at) {
                    *b = rng.next() as u8;
                }
            }
            1 => {
                if let Some(b) = bytes.get_mut(at) {
                    *b ^= 1 << rng.below(8);
                }
            }
            2 => {
                let end = (at + 1 + rng.below(40)).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            3 => {
                let end = (at + 1 + rng.below(60)).min(bytes.len());
                if at < end {
                    let slice: Vec<u8> = bytes[at..end].to_vec();
                    let to = rng.below(bytes.len() + 1);
                    bytes.splice(to..to, slice);
                }
            }
            _ => {
                let piece = rng.pick(pieces);
                bytes.splice(at..at, piece.iter().copied());
            }
        }
    }
}

/// The labels of `diags` that do not lie inside their source on char
/// boundaries, described.
fn bad_labels(diags: &[Diag]) -> Vec<String> {
    let mut out = Vec::new();
    for d in diags {
        let Some(src) = &d.source else {
            continue;
        };
        let text = src.inner();
        for (span, label) in &d.labels {
            let ok = span.start <= span.end
                && span.end <= text.len()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end);
            if !ok {
                out.push(format!(
                    "{}: label `{label:?}` at {span:?} is not inside `{}` ({} bytes) on char boundaries: {:?}",
                    d.code,
                    src.name(),
                    text.len(),
                    d.message
                ));
            }
        }
    }
    out
}

/// Every label of every diagnostic lies inside its source, on char
/// boundaries, and the diagnostics render.
fn check_diags(case: &str, diags: &[Diag]) {
    let bad = bad_labels(diags);
    assert!(bad.is_empty(), "{case}: {}", bad.join("\n"));
    let _ = render_plain(diags);
}

/// Rows below each header are counted once.
fn check_counts(case: &str, rows: &[RowCounts]) {
    for r in rows {
        assert_eq!(
            r.records,
            r.loaded + r.with_errors + r.blank + r.notes,
            "{case}: rows of {} not all accounted for: {r:?}",
            r.input
        );
    }
}

fn check_load(case: &str, result: &Result<Loaded, LoadErrors>) {
    match result {
        Ok(l) => {
            check_diags(case, &l.warnings);
            check_counts(case, &l.rows);
            for t in &l.submission.tables {
                assert!(t.columns.iter().all(|c| c.len() == t.rows), "{case}");
                assert_eq!(t.source.lines.len(), t.rows, "{case}");
            }
            for r in &l.rows {
                assert_eq!(r.with_errors, 0, "{case}: {r:?}");
            }
            let loaded: usize = l.rows.iter().map(|r| r.loaded).sum();
            let rows: usize = l.submission.tables.iter().map(|t| t.rows).sum();
            assert_eq!(loaded, rows, "{case}");
        }
        Err(e) => {
            assert!(!e.diags.is_empty(), "{case}: an error without a diagnostic");
            check_diags(case, &e.diags);
            check_diags(case, &e.warnings);
            check_counts(case, &e.rows);
        }
    }
}

// ---- rules -------------------------------------------------------------

/// The bundled pack's files, `national/` and `rules/`, in the order of
/// their names (as the loader compiles them).
fn rule_files() -> Vec<SourceFile> {
    let mut paths: Vec<PathBuf> = ["national", "rules"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root().join(d)).expect("pack folder"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "dudao"))
        .collect();
    paths.sort_by_key(|p| p.file_name().map(|n| n.to_os_string()));
    paths
        .iter()
        .map(|p| SourceFile {
            name: p.file_name().expect("name").to_string_lossy().into_owned(),
            text: std::fs::read_to_string(p).expect("rule file"),
        })
        .collect()
}

/// Seed texts, read once.
fn read_seed(seed: &str) -> Option<String> {
    static SEEDS: OnceLock<Mutex<HashMap<String, Option<String>>>> = OnceLock::new();
    let cache = SEEDS.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(seed.to_string())
        .or_insert_with(|| std::fs::read_to_string(root().join(seed)).ok())
        .clone()
}

const RULE_PIECES: [&[u8]; 28] = [
    "学校".as_bytes(),
    "在校生数".as_bytes(),
    "“".as_bytes(),
    "”".as_bytes(),
    "％".as_bytes(),
    "≥".as_bytes(),
    b"\"",
    b"'",
    b"{",
    b"}",
    b"{{",
    b"(",
    b")",
    b"[",
    b"]",
    b"%",
    b"\n",
    b"#",
    b" rule X \"t\" {\n",
    b" and ",
    b" where ",
    b"..",
    b"1e999",
    b"\\",
    b"((((((((((((((((((((((((((((((((((",
    b"not not not not - - - -abs(abs(",
    "（，：".as_bytes(),
    b"+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a",
];

#[test]
fn mutated_rule_files_never_panic() {
    let base = rule_files();
    let mut rng = Rng::new(1);
    let n = iters();
    let mut failures: Vec<String> = Vec::new();
    for case in 0..n {
        let mut files = base.clone();
        // Mutate one file, sometimes two.
        for _ in 0..1 + usize::from(rng.below(4) == 0) {
            let i = rng.below(files.len());
            let mut bytes = files[i].text.clone().into_bytes();
            mutate(&mut rng, &mut bytes, &RULE_PIECES, 6);
            files[i].text = String::from_utf8_lossy(&bytes).into_owned();
        }
        let label = format!("rules case {case}");
        if std::env::var("DUDAO_FUZZ_DUMP").is_ok_and(|v| v == case.to_string()) {
            for f in &files {
                let _ = std::fs::write(std::env::temp_dir().join(&f.name), &f.text);
            }
        }
        match dudao::check::compile(files.clone(), &read_seed) {
            Ok(_) => {}
            Err(diags) => {
                assert!(!diags.is_empty(), "{label}: failed without a diagnostic");
                for d in &diags {
                    // A diagnostic's source is one of the files, as given.
                    if let Some(src) = &d.source {
                        let file = files.iter().find(|f| f.name == src.name());
                        if let Some(f) = file {
                            assert_eq!(f.text, *src.inner(), "{label}: {}", d.code);
                        }
                    }
                }
                // Collected, so one run shows every kind of bad span.
                let bad = bad_labels(&diags);
                if !bad.is_empty() {
                    failures.push(format!("{label}:\n  {}", bad.join("\n  ")));
                }
                let _ = render_plain(&diags);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} mutated rule packs gave labels outside their source \
         (rerun one with DUDAO_FUZZ_DUMP=<case> to write its files to the temp dir):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Random bytes as a rule file.
#[test]
fn random_rule_text_never_panics() {
    let base = rule_files();
    let schema = base
        .iter()
        .find(|f| f.name.starts_with("00-"))
        .expect("schema file")
        .clone();
    let mut rng = Rng::new(2);
    for case in 0..iters() {
        let len = rng.below(400);
        let alphabet: [&str; 20] = [
            "rule", "table", "metric", "param", "{", "}", "(", ")", "\"", "学校", " ", "\n",
            "assert", "for each", "schools", "=", "<=", "55%", "1", "where",
        ];
        let mut text = String::new();
        while text.len() < len {
            if rng.below(5) == 0 {
                text.push(char::from_u32(rng.below(0x3_0000) as u32).unwrap_or('?'));
            } else {
                let piece = rng.pick::<&str>(&alphabet);
                text.push_str(piece);
            }
        }
        let files = vec![
            schema.clone(),
            SourceFile {
                name: "random.dudao".to_string(),
                text,
            },
        ];
        if let Err(diags) = dudao::check::compile(files, &read_seed) {
            check_diags(&format!("random rules case {case}"), &diags);
        }
    }
}

// ---- rules: limits -------------------------------------------------------
//
// Rule files generated to the limits of the rule language and past them:
// deep nesting of every kind, long chains of operators, chains of metrics
// built on metrics, huge files. Each is compiled and evaluated on threads
// with half the stack of a rayon worker (1 MiB of the default 2 MiB), so that
// passing shows a margin: no crash, a located error past a limit, and below
// it the values a flat rule gives, on real submissions.

use dudao::check::{MAX_DEPTH, MAX_RULE_FILE_BYTES};
use dudao::diag::Code;
use dudao::eval::finding::{CheckReport, Entity, Shown};
use dudao::syntax::parser::MAX_NESTING;

/// Half the stack a rayon worker thread has by default.
const HALF_STACK: usize = 1 << 20;

/// Runs `f` on a pool of two threads with [`HALF_STACK`] each (rayon work
/// inside `f` runs there too).
fn on_half_stacks<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .stack_size(HALF_STACK)
        .build()
        .expect("thread pool")
        .install(f)
}

/// The pack's schema and documents, and `text` as `limits.dudao`.
fn with_schema(text: String) -> Vec<SourceFile> {
    let mut files: Vec<SourceFile> = rule_files()
        .into_iter()
        .filter(|f| f.name.starts_with("00-") || f.name.starts_with("01-"))
        .collect();
    files.push(SourceFile {
        name: "limits.dudao".to_string(),
        text,
    });
    files
}

/// A rule with an assertion.
fn limit_rule(id: &str, scope: &str, assert: &str) -> String {
    format!(
        "rule {id} \"limits\" {{\n  severity info\n  cite youzhi clause \"x\"\n  {scope}\n  assert {assert}\n}}\n"
    )
}

/// The offset of the assertion of the first rule of `text`.
fn assert_offset(text: &str) -> usize {
    text.find("assert ").map_or(0, |i| i + "assert ".len())
}

/// Compiles `text` (with the schema) on half stacks.
fn compile_limits(text: String) -> Result<RulePack, Vec<Diag>> {
    on_half_stacks(|| dudao::check::compile(with_schema(text), &read_seed))
}

/// The fixture submissions the limits are evaluated on: a small one, and a
/// district large enough that aggregates run in parallel chunks.
fn limit_submissions(pack: &RulePack) -> Vec<Loaded> {
    [
        "fixtures/submissions/violations",
        "fixtures/generated/wanzhou-2025",
    ]
    .iter()
    .map(
        |d| match dudao::data::load_submission(&pack.schema, &root().join(d)) {
            Ok(l) => l,
            Err(e) => panic!("{d}: {}", render_plain(&e.diags)),
        },
    )
    .collect()
}

/// The outcome of rule `i`: its counts, and each finding's entity and
/// measured value.
type Outcome = ((usize, usize, usize, usize), Vec<(String, Option<Shown>)>);

fn outcome(report: &CheckReport, i: usize) -> Outcome {
    let r = &report.results[i];
    let findings = r
        .findings
        .iter()
        .map(|f| {
            let who = match &f.entity {
                Entity::Row { key, .. } => key.clone(),
                other => format!("{other:?}"),
            };
            (who, f.actual.clone())
        })
        .collect();
    ((r.checks, r.passed, r.failed, r.not_evaluable), findings)
}

/// Compiles the rules `Z0`, `Z1`, … of `text` and evaluates them on the
/// limit submissions, on half stacks: each submission's outcome per rule.
fn evaluate_limits(text: String) -> Vec<Vec<Outcome>> {
    let pack = match compile_limits(text) {
        Ok(p) => p,
        Err(d) => panic!("does not compile:\n{}", render_plain(&d)),
    };
    let subs = limit_submissions(&pack);
    on_half_stacks(|| {
        subs.iter()
            .map(|l| {
                let report = dudao::eval::evaluate(&pack, &l.submission);
                (0..pack.rules.len()).map(|i| outcome(&report, i)).collect()
            })
            .collect()
    })
}

/// A way of nesting: `head`, then `unit` repeated (each opening
/// `opens.len()` levels, at those offsets within it), then `tail(n)`.
struct Nesting {
    name: &'static str,
    head: &'static str,
    unit: &'static str,
    opens: &'static [usize],
    tail: fn(usize) -> String,
}

const NESTINGS: &[Nesting] = &[
    Nesting {
        name: "parentheses",
        head: "",
        unit: "(",
        opens: &[0],
        tail: |n| format!("students{} > 0", ")".repeat(n)),
    },
    Nesting {
        name: "unary minus",
        head: "",
        unit: "-",
        opens: &[0],
        tail: |_| "students > 0".into(),
    },
    Nesting {
        name: "not",
        head: "",
        unit: "not ",
        opens: &[0],
        tail: |_| "students > 0".into(),
    },
    Nesting {
        name: "function calls",
        head: "",
        unit: "abs(",
        opens: &[0],
        tail: |n| format!("students{} > 0", ")".repeat(n)),
    },
    Nesting {
        name: "if",
        head: "",
        unit: "if true then ",
        opens: &[0],
        tail: |n| format!("1{} > 0", " else 1".repeat(n)),
    },
    Nesting {
        name: "lists",
        head: "stage in ",
        unit: "[",
        opens: &[0],
        tail: |n| format!("小学{}", "]".repeat(n)),
    },
    Nesting {
        name: "nested indexes",
        head: "",
        unit: "class_max[",
        opens: &[9],
        tail: |n| format!("stage{} > 0", "]".repeat(n)),
    },
    Nesting {
        name: "a chain of indexes",
        head: "class_max",
        unit: "[stage]",
        opens: &[0],
        tail: |_| " > 0".into(),
    },
    Nesting {
        name: "aggregates",
        head: "",
        unit: "count(this.teachers where ",
        opens: &[0],
        tail: |n| format!("true{} > 0", ") > 0".repeat(n)),
    },
    Nesting {
        name: "minus and parentheses",
        head: "",
        unit: "-(",
        opens: &[0, 1],
        tail: |n| format!("students{} > 0", ")".repeat(n)),
    },
];

impl Nesting {
    /// The expression with `units` units, and the offset in it of the token
    /// opening level `level` (1-based).
    fn build(&self, units: usize, level: usize) -> (String, usize) {
        let k = self.opens.len();
        let at = self.head.len() + (level - 1) / k * self.unit.len() + self.opens[(level - 1) % k];
        let text = format!(
            "{}{}{}",
            self.head,
            self.unit.repeat(units),
            (self.tail)(units)
        );
        (text, at)
    }
}

/// Nesting one level past the limit, and far past it (2,000 parentheses,
/// 100,000 `not`s, …), of every kind: a `dudao::syntax::too_deep` error at
/// the token that opens the level past the limit, and no crash.
#[test]
fn nesting_past_the_limit_is_an_error_where_the_limit_is_crossed() {
    let past = MAX_NESTING + 1;
    for kind in NESTINGS {
        for units in [past.div_ceil(kind.opens.len()), 2_000, 100_000] {
            if units > 10_000 && kind.unit.len() > 4 {
                continue; // keeps the file small; 10,000 is far enough
            }
            let (expr, at) = kind.build(units, past);
            let text = limit_rule("Z0", "for each schools", &expr);
            let at = assert_offset(&text) + at;
            let case = format!("{} × {units}", kind.name);
            let diags = match compile_limits(text.clone()) {
                Ok(_) => panic!("{case}: compiles"),
                Err(d) => d,
            };
            check_diags(&case, &diags);
            let deep: Vec<&Diag> = diags
                .iter()
                .filter(|d| d.code == Code::SyntaxTooDeep)
                .collect();
            assert_eq!(deep.len(), 1, "{case}:\n{}", render_plain(&diags));
            assert_eq!(deep[0].source_name(), "limits.dudao", "{case}");
            let label = deep[0].labels.first().map(|(s, _)| s.start);
            assert_eq!(
                label,
                Some(at),
                "{case}: the error is at `{}`, not at level {past}",
                text.get(label.unwrap_or(0)..)
                    .unwrap_or("")
                    .chars()
                    .take(20)
                    .collect::<String>()
            );
        }
    }
}

/// Pairs of rules, one nested to the limit and one flat, that mean the
/// same: (name, nested, flat).
fn nested_to_the_limit() -> Vec<(&'static str, String, String)> {
    let n = MAX_NESTING;
    vec![
        (
            "parentheses",
            format!("{}students{} >= 100", "(".repeat(n), ")".repeat(n)),
            "students >= 100".into(),
        ),
        (
            "unary minus",
            format!("{}students >= 100", "-".repeat(n - n % 2)),
            "students >= 100".into(),
        ),
        (
            "not",
            format!("{}students >= 100", "not ".repeat(n - n % 2)),
            "students >= 100".into(),
        ),
        (
            "function calls",
            format!("{}students - 100{} >= 50", "abs(".repeat(n), ")".repeat(n)),
            "abs(students - 100) >= 50".into(),
        ),
        (
            "min and max",
            format!("{}students{} >= 100", "max(".repeat(n), ", 0)".repeat(n)),
            "students >= 100".into(),
        ),
        (
            "if",
            format!(
                "({}students{}) >= 100",
                "if students > 0 then ".repeat(n - 1),
                " else 0".repeat(n - 1)
            ),
            "students >= 100".into(),
        ),
        (
            "arithmetic in parentheses",
            format!("{}students{} >= 100", "(".repeat(n), " * 1 + 0)".repeat(n)),
            "students >= 100".into(),
        ),
        (
            "minus and parentheses",
            format!(
                "{}students{} >= 100",
                "-(".repeat(n / 4 * 2),
                ")".repeat(n / 4 * 2)
            ),
            "students >= 100".into(),
        ),
        (
            "an aggregate (compiled)",
            format!(
                "count(this.teachers where {}annual_pay{} > 80000) >= 3",
                "(".repeat(n - 1),
                ")".repeat(n - 1)
            ),
            "count(this.teachers where annual_pay > 80000) >= 3".into(),
        ),
        (
            "an aggregate (batch evaluator)",
            format!(
                "count(this.teachers where ({}annual_pay{}) > 80000) >= 3",
                "if true then ".repeat(n - 2),
                " else 0".repeat(n - 2)
            ),
            "count(this.teachers where annual_pay > 80000) >= 3".into(),
        ),
    ]
}

/// Every kind of nesting, to the limit, compiles and evaluates (on half
/// stacks) to what the flat rule meaning the same gives: the same counts,
/// the same failing schools with the same values.
#[test]
fn nesting_to_the_limit_evaluates_as_the_flat_rule() {
    let pairs = nested_to_the_limit();
    let mut text = String::new();
    for (i, (_, nested, flat)) in pairs.iter().enumerate() {
        text += &limit_rule(&format!("Z{}", 2 * i), "for each schools", nested);
        text += &limit_rule(&format!("Z{}", 2 * i + 1), "for each schools", flat);
    }
    let results = evaluate_limits(text);
    for (i, (name, _, _)) in pairs.iter().enumerate() {
        let mut some = (0, 0);
        for sub in &results {
            let (deep, flat) = (&sub[2 * i], &sub[2 * i + 1]);
            if *name == "not" {
                // `not …` is no comparison, so it shows no measured value.
                let who = |o: &Outcome| o.1.iter().map(|(w, _)| w.clone()).collect::<Vec<_>>();
                assert_eq!((deep.0, who(deep)), (flat.0, who(flat)), "{name}");
            } else {
                assert_eq!(deep, flat, "{name}");
            }
            some.0 += flat.0.1;
            some.1 += flat.0.2;
        }
        // Both outcomes occur, so that agreeing shows something.
        assert!(some.0 > 0 && some.1 > 0, "{name}: {some:?}");
    }
}

/// Long chains of one operator: a sum of 1,500 and of 20,000 terms, on
/// every path of evaluation (compiled, batch, interpreter, per-row metric),
/// gives the number of terms times the value; long `and`/`or` chains give
/// the flat rule's outcome.
#[test]
fn long_chains_evaluate_to_the_right_value() {
    for terms in [1_500, 20_000] {
        let sum = |t: &str| vec![t; terms].join(" + ");
        let mut text = String::new();
        // Compiled checks of each school.
        text += &limit_rule(
            "Z0",
            "for each schools",
            &format!("{} < 0", sum("students")),
        );
        // The batch evaluator (`if` is not compiled).
        text += &limit_rule(
            "Z1",
            "for each schools",
            &format!("{} < 0", sum("(if true then students else 0)")),
        );
        // A per-row metric.
        text += &format!("metric big for schools = {}\n", sum("students"));
        text += &limit_rule("Z2", "for each schools", "big < 0");
        // The interpreter (a district-wide check).
        text += &limit_rule(
            "Z3",
            "for submission",
            &format!("{} < 0", sum("sum(schools.students)")),
        );
        // Products, `and`, `or`.
        text += &limit_rule(
            "Z4",
            "for each schools",
            &format!("{}students < 0", "1 * ".repeat(terms)),
        );
        text += &limit_rule(
            "Z5",
            "for each schools",
            &vec!["students >= 100"; terms].join(" and "),
        );
        text += &limit_rule(
            "Z6",
            "for each schools",
            &format!(
                "{} or students >= 100",
                vec!["students < 0"; terms].join(" or ")
            ),
        );
        // The values they are compared with.
        text += &limit_rule("Z7", "for each schools", "students < 0");
        text += &limit_rule("Z8", "for submission", "sum(schools.students) < 0");
        text += &limit_rule("Z9", "for each schools", "students >= 100");
        let results = evaluate_limits(text);
        for sub in &results {
            let times = |o: &Outcome| -> Vec<(String, Option<f64>)> {
                o.1.iter()
                    .map(|(who, v)| match v {
                        Some(Shown::Num { value, .. }) => (who.clone(), Some(*value)),
                        _ => (who.clone(), None),
                    })
                    .collect()
            };
            let scaled = |o: &Outcome| -> Vec<(String, Option<f64>)> {
                times(o)
                    .into_iter()
                    .map(|(w, v)| (w, v.map(|x| x * terms as f64)))
                    .collect()
            };
            let (schools, total) = (&sub[7], &sub[8]);
            assert!(schools.0.2 > 0, "no school to compare");
            for (i, want) in [(0, schools), (1, schools), (2, schools), (3, total)] {
                assert_eq!(sub[i].0, want.0, "Z{i}, {terms} terms: counts");
                assert_eq!(times(&sub[i]), scaled(want), "Z{i}, {terms} terms: values");
            }
            assert_eq!(sub[4], sub[7], "Z4, {terms} terms");
            assert_eq!(sub[5].0, sub[9].0, "Z5, {terms} terms");
            assert_eq!(sub[6].0, sub[9].0, "Z6, {terms} terms");
        }
    }
}

/// Metrics defined through each other: a chain whose rule nests exactly
/// [`MAX_DEPTH`] levels compiles and evaluates to the right value; one more
/// link is `dudao::check::too_deep` at the use of the last metric; a chain of
/// 5,000 links is an error, not a crash.
#[test]
fn metric_chains_to_the_depth_limit() {
    // The names sort backwards (`m9999` is the first link), so that the
    // last metric is compiled first and compiles the whole chain through
    // it: the checker's deepest recursion.
    let m = |i: usize| format!("m{}", 9999 - i);
    // The first metric has 1 level (the aggregate), each link 3 more (`+`,
    // `abs`, the name), the rule 2 (`==`, the name): 3 + 3k levels.
    let global = |k: usize| {
        let mut t = format!("metric {} = sum(schools.students)\n", m(0));
        for i in 1..=k {
            t += &format!("metric {} = abs({}) + 1\n", m(i), m(i - 1));
        }
        t + &limit_rule(
            "Z0",
            "for submission",
            &format!("{} == sum(schools.students) + {k}", m(k)),
        )
    };
    // The first has 1 level, each link 2 more (`+`, the name), the rule 2.
    let per_row = |k: usize| {
        let mut t = format!("metric {} for schools = students\n", m(0));
        for i in 1..=k {
            t += &format!("metric {} for schools = {} + 1\n", m(i), m(i - 1));
        }
        t + &limit_rule(
            "Z0",
            "for each schools",
            &format!("{} == students + {k}", m(k)),
        )
    };
    type Chain<'c> = &'c dyn Fn(usize) -> String;
    let at_limit: [(&str, Chain, usize); 2] = [
        ("global", &global, (MAX_DEPTH - 3) / 3),
        ("per-row", &per_row, (MAX_DEPTH - 3) / 2),
    ];
    for (name, chain, k) in at_limit {
        for sub in evaluate_limits(chain(k)) {
            let ((checks, passed, _, _), _) = &sub[0];
            assert!(
                *checks > 0 && passed == checks,
                "{name} chain of {k}: {:?}",
                sub[0]
            );
        }
        let text = chain(k + 1);
        let diags = compile_limits(text.clone()).err().unwrap_or_default();
        check_diags(name, &diags);
        let deep: Vec<&Diag> = diags
            .iter()
            .filter(|d| d.code == Code::CheckTooDeep)
            .collect();
        assert_eq!(deep.len(), 1, "{name}:\n{}", render_plain(&diags));
        let use_at = text.rfind("assert ").map(|i| i + "assert ".len());
        assert_eq!(
            deep[0].labels.first().map(|(s, _)| s.start),
            use_at,
            "{name}"
        );
        // Far past the limit.
        let diags = compile_limits(chain(5_000)).err().unwrap_or_default();
        check_diags(name, &diags);
        assert!(
            diags.iter().any(|d| d.code == Code::CheckTooDeep),
            "{name}, 5,000 links:\n{}",
            render_plain(&diags)
        );
    }
}

/// A rule file past the size limit is refused with `dudao::rules::too_large`
/// where the limit is crossed (by `compile` and by `load_pack`); one just
/// below it, a single sum of 200,000 terms, compiles and evaluates right.
#[test]
fn huge_rule_files() {
    let max = MAX_RULE_FILE_BYTES as usize;
    let line = format!("# {}\n", "x".repeat(200));
    let mut big = line.repeat(max / line.len() + 1);
    big.truncate(max + 1);
    let diags = compile_limits(big.clone()).err().unwrap_or_default();
    check_diags("huge file", &diags);
    let d = diags.iter().find(|d| d.code == Code::RulesTooLarge);
    let at = d.and_then(|d| d.labels.first()).map(|(s, _)| s.start);
    assert!(at.is_some_and(|a| a <= max && a + 4 > max), "{diags:?}");
    // Through the file system.
    let dir = std::env::temp_dir().join(format!("dudao-huge-{}", std::process::id()));
    let rules = dir.join("rules");
    std::fs::create_dir_all(&rules).expect("temp dir");
    for f in with_schema(String::new()).iter().take(2) {
        std::fs::write(rules.join(&f.name), &f.text).expect("write");
    }
    std::fs::write(rules.join("99-huge.dudao"), &big).expect("write");
    let loaded = dudao::check::load_pack(&rules);
    let _ = std::fs::remove_dir_all(&dir);
    let diags = loaded.err().unwrap_or_default();
    assert!(
        diags.iter().any(|d| d.code == Code::RulesTooLarge),
        "{}",
        render_plain(&diags)
    );
    // Just below the limit: one long sum.
    let terms = 200_000;
    let mut text = limit_rule(
        "Z0",
        "for each schools",
        &format!("{} < 0", vec!["students"; terms].join("+")),
    );
    assert!(text.len() < max, "{}", text.len());
    text += &limit_rule("Z1", "for each schools", "students < 0");
    for sub in evaluate_limits(text) {
        let values = |o: &Outcome, k: f64| -> Vec<Option<f64>> {
            o.1.iter()
                .map(|(_, v)| match v {
                    Some(Shown::Num { value, .. }) => Some(value * k),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(sub[0].0, sub[1].0);
        assert_eq!(values(&sub[0], 1.0), values(&sub[1], terms as f64));
    }
}

// ---- CSV ---------------------------------------------------------------

fn pack() -> &'static RulePack {
    static PACK: OnceLock<RulePack> = OnceLock::new();
    PACK.get_or_init(|| match dudao::check::load_pack(&root().join("rules")) {
        Ok(p) => p,
        Err(d) => panic!("rules do not compile:\n{}", render_plain(&d)),
    })
}

/// `(file name, bytes)`.
type File = (String, Vec<u8>);

/// The CSV files of every fixture submission folder: (folder, files).
fn csv_fixtures() -> Vec<(String, Vec<File>)> {
    let mut out = Vec::new();
    for dir in ["fixtures/submissions", "fixtures/data-errors"] {
        let mut folders: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .expect("fixtures")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.is_dir())
            .collect();
        folders.sort();
        for f in folders {
            let mut files: Vec<File> = std::fs::read_dir(&f)
                .expect("folder")
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "csv"))
                .map(|p| {
                    (
                        p.file_name().expect("name").to_string_lossy().into_owned(),
                        std::fs::read(&p).expect("csv"),
                    )
                })
                .collect();
            files.sort();
            out.push((f.display().to_string(), files));
        }
    }
    out
}

const CSV_PIECES: [&[u8]; 32] = [
    b",",
    b",,",
    b"\"",
    b"\"\"",
    b"\n",
    b"\r\n",
    b"\r",
    b" ",
    b"%",
    "，".as_bytes(),
    "１２３".as_bytes(),
    "５５％".as_bytes(),
    "是".as_bytes(),
    "小学".as_bytes(),
    "　".as_bytes(),
    b"\xEF\xBB\xBF",
    b"\xFF",
    b"\x81\x30",
    b"\xB0\xA1",
    b"5001010101",
    b"1e9",
    b"-",
    b"12,345",
    b"2025-09-01",
    b"\n,,,,\n",
    "注：".as_bytes(),
    // What forms saved as CSV carry: a title, a 序号 column, totals.
    "万州区2025年学校基本情况表,,,\n".as_bytes(),
    "序号,".as_bytes(),
    ",,合计,".as_bytes(),
    "小计".as_bytes(),
    // A key in full-width digits; a zero byte (UTF-16 is recognised by them).
    "５００１０１０１０１".as_bytes(),
    b"\x00",
];

/// Data records below the header, counted independently with the csv crate,
/// for a file that is UTF-8 (after a BOM).
fn records_in(bytes: &[u8]) -> Option<usize> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).ok()?;
    if text.starts_with('\u{FEFF}') {
        return None;
    }
    // Classic Mac line ends are read as `\n` by the loader; the csv crate
    // reads `\r` as a line end too.
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rec = csv::ByteRecord::new();
    let mut n = 0usize;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => n += 1,
            Ok(false) => break,
            Err(_) => return None,
        }
    }
    Some(n.saturating_sub(1))
}

#[test]
fn mutated_csv_files_never_panic_and_lose_no_row() {
    let fixtures = csv_fixtures();
    assert!(fixtures.len() >= 5, "{fixtures:?}");
    let schema = &pack().schema;
    let mut rng = Rng::new(3);
    let opts = LoadOptions { max_errors: 20 };
    for case in 0..iters() {
        let (folder, files) = rng.pick(&fixtures);
        let mut files = files.clone();
        let mutated = rng.below(files.len());
        if rng.below(12) == 0 {
            files[mutated].1 = (0..rng.below(300)).map(|_| rng.next() as u8).collect();
        } else {
            mutate(&mut rng, &mut files[mutated].1, &CSV_PIECES, 8);
        }
        let label = format!("csv case {case}: {folder}/{} mutated", files[mutated].0);
        let input: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        let result = dudao::data::load_from_memory(schema, "fuzz", &input, &opts);
        check_load(&label, &result);
        // The loader's count of records is the csv crate's, less a
        // template's unit/type row (which fuzzing does not make) and the
        // title rows above the header.
        let rows = match &result {
            Ok(l) => &l.rows,
            Err(e) => &e.rows,
        };
        for (name, bytes) in &files {
            let Some(r) = rows.iter().find(|r| r.input == *name) else {
                continue;
            };
            if r.records == 0 && r.with_errors > 0 {
                continue; // the file could not be read at all
            }
            if let Some(n) = records_in(bytes) {
                // Records above the header (a title) are not rows of the table.
                assert_eq!(r.records + r.title, n, "{label}: {name}: {r:?}");
            }
        }
    }
}

// ---- workbooks ---------------------------------------------------------

fn workbook_fixtures() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in ["fixtures/excel", "fixtures/data-errors-excel"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .expect("fixtures")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
            .collect();
        paths.sort();
        for p in paths {
            out.push((
                p.file_name().expect("name").to_string_lossy().into_owned(),
                std::fs::read(&p).expect("xlsx"),
            ));
        }
    }
    out
}

#[test]
fn mutated_workbook_bytes_never_panic() {
    let books = workbook_fixtures();
    assert!(books.len() >= 2);
    let schema = &pack().schema;
    let mut rng = Rng::new(4);
    let opts = LoadOptions { max_errors: 20 };
    let pieces: [&[u8]; 6] = [
        b"PK\x03\x04",
        b"<c r=\"A1\">",
        b"\x00",
        b"\xFF\xFF",
        b"<",
        b"\"",
    ];
    // Unzipped, a mutation mostly breaks a checksum; so half of the cases
    // mutate only the last part of the file (the zip's directory) or one byte.
    for case in 0..iters() {
        let (name, bytes) = rng.pick(&books);
        let mut bytes = bytes.clone();
        match rng.below(4) {
            0 => {
                let at = rng.below(bytes.len());
                bytes[at] = rng.next() as u8;
            }
            1 => {
                let keep = rng.below(bytes.len());
                bytes.truncate(keep);
            }
            _ => mutate(&mut rng, &mut bytes, &pieces, 4),
        }
        let label = format!("xlsx case {case}: {name} mutated");
        let result = dudao::data::load_workbook_from_memory(schema, name, &bytes, &opts);
        check_load(&label, &result);
    }
    // Random bytes behind the zip and OLE magic numbers.
    for case in 0..iters() / 4 {
        let mut bytes: Vec<u8> = if case % 2 == 0 {
            b"PK\x03\x04".to_vec()
        } else {
            vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        };
        bytes.extend((0..rng.below(2000)).map(|_| rng.next() as u8));
        let name = if case % 2 == 0 { "r.xlsx" } else { "r.xls" };
        let result = dudao::data::load_workbook_from_memory(schema, name, &bytes, &opts);
        check_load(&format!("random workbook case {case}"), &result);
    }
}

/// Workbooks that are valid but odd: sheets named after tables (or not),
/// headers from the schema (misspelt, missing, repeated, with units),
/// title and note rows, and cells of every type in every column.
#[test]
fn random_valid_workbooks_never_panic_and_lose_no_row() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
    let schema = &pack().schema;
    let mut rng = Rng::new(5);
    let opts = LoadOptions { max_errors: 20 };
    let strings: [&str; 24] = [
        "",
        " ",
        "是",
        "否",
        "Y",
        "TRUE",
        "小学",
        "初中",
        "幼儿园",
        "公办",
        "１２３",
        "12,345",
        "55%",
        "５５％",
        "2025年",
        "2025-09-01",
        "5001010101",
        "5001020001",
        "注：本表",
        "填表人：张三",
        "合计",
        "一百",
        "#N/A",
        "\n",
    ];
    let errors = ["#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "#NUM!"];
    let pct = Format::new().set_num_format("0.0%");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for case in 0..iters() {
        let mut wb = Workbook::new();
        let nsheets = 1 + rng.below(schema.tables.len() + 1);
        for s in 0..nsheets {
            let ws = wb.add_worksheet();
            let table = rng.pick(&schema.tables);
            let name = match rng.below(6) {
                0 => format!("Sheet{s}"),
                1 => table.name.clone(),
                _ => table.label().to_string(),
            };
            if ws.set_name(&name).is_err() {
                continue;
            }
            let mut r: u32 = rng.below(3) as u32; // title rows
            if r > 0 {
                ws.write_string(0, 0, "万州区2025年基本情况表")
                    .expect("title");
            }
            let mut cols: Vec<String> = table
                .columns
                .iter()
                .map(|c| c.label().to_string())
                .collect();
            match rng.below(5) {
                0 => {
                    let i = rng.below(cols.len());
                    cols.remove(i);
                }
                1 => {
                    let i = rng.below(cols.len());
                    cols[i].push('x');
                }
                2 => {
                    let i = rng.below(cols.len());
                    let c = cols[i].clone();
                    cols.push(c);
                }
                3 => {
                    let i = rng.below(cols.len());
                    cols[i] = String::new();
                }
                _ => {}
            }
            for (c, h) in cols.iter().enumerate() {
                ws.write_string(r, c as u16, h).expect("header");
            }
            r += 1;
            let nrows = rng.below(12);
            for _ in 0..nrows {
                for c in 0..cols.len() as u16 + u16::from(rng.below(8) == 0) {
                    let res = match rng.below(10) {
                        0 => continue,
                        1 => ws.write_string(r, c, *rng.pick(&strings)).map(|_| ()),
                        2 => ws
                            .write_number(r, c, (rng.next() % 100_000) as f64 / 4.0)
                            .map(|_| ()),
                        3 => ws.write_number(r, c, rng.next() as f64).map(|_| ()),
                        4 => ws.write_boolean(r, c, rng.below(2) == 0).map(|_| ()),
                        5 => ws
                            .write_number_with_format(r, c, rng.below(200) as f64 / 100.0, &pct)
                            .map(|_| ()),
                        6 => {
                            let d = ExcelDateTime::from_ymd(
                                1900 + rng.below(250) as u16,
                                1 + rng.below(12) as u8,
                                1 + rng.below(28) as u8,
                            )
                            .expect("date");
                            ws.write_datetime_with_format(r, c, &d, &date).map(|_| ())
                        }
                        7 => ws
                            .write_formula(
                                r,
                                c,
                                Formula::new("=1/0").set_result(*rng.pick(&errors)),
                            )
                            .map(|_| ()),
                        _ => {
                            // A plausible value: the column's hint or a key.
                            let v = if rng.below(2) == 0 {
                                format!("K{}", rng.below(20))
                            } else {
                                rng.pick(&strings).to_string()
                            };
                            ws.write_string(r, c, v).map(|_| ())
                        }
                    };
                    res.expect("cell");
                }
                // Now and then a blank row.
                r += 1 + u32::from(rng.below(8) == 0);
            }
            if rng.below(2) == 0 {
                ws.write_string(r + 1, 0, "注：数据截至9月").expect("note");
            }
        }
        let bytes = match wb.save_to_buffer() {
            Ok(b) => b,
            Err(_) => continue, // e.g. two sheets with the same name
        };
        let label = format!("random workbook case {case}");
        let result = dudao::data::load_workbook_from_memory(schema, "random.xlsx", &bytes, &opts);
        check_load(&label, &result);
    }
}
