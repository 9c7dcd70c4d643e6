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

use dudao::check::pack::{RulePack, SourceFile};
use dudao::data::{LoadErrors, LoadOptions, Loaded, RowCounts};
use dudao::diag::{Diag, render_plain};
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
                    "{}: label `{label}` at {span:?} is not inside `{}` ({} bytes) on char boundaries: {}",
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

fn rule_files() -> Vec<SourceFile> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("rules"))
        .expect("rules/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "dudao"))
        .collect();
    paths.sort();
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

const RULE_PIECES: [&[u8]; 24] = [
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
