//! Submission files → typed columnar tables checked against the schema.
//! Reads files; knows nothing of rules.
//!
//! A submission is a folder with one CSV file per schema table, named after
//! the table or one of its (Chinese) aliases: `schools.csv` or `学校.csv`
//! (the extension in any case); or one workbook (`.xlsx`, `.xls`, also
//! `.xlsm`, `.xlsb`, `.ods`) with one sheet per table, named the same way
//! (`sheet.rs` says how title rows, notes and typed cells are read).
//! Loading:
//!
//! 1. each file is decoded (UTF-8 with or without BOM, else GB18030/GBK),
//!    its header matched to the table's columns (names or aliases, also
//!    with a line break inside or the column's unit in brackets:
//!    `在校生数（人）`), a template's unit/type row under the header skipped
//!    (`template.rs`), and every cell parsed by its column's type — files
//!    in parallel;
//! 2. reference cells are resolved to row indexes of the referenced table
//!    (same year when both tables carry a year column), and keys are checked
//!    to be unique;
//! 3. every error is reported (up to a cap), sorted by file (or sheet), line
//!    and column; every row below a header is counted as loaded, with an
//!    error, blank or a note ([`RowCounts`]).
//!
//! Cell formats (see the functions in `cell.rs` for the full lists):
//!
//! - **int**: `12345`, `12,345` (`,` only as a thousands separator),
//!   full-width digits `１２３`, a zero fraction `45.0`. Not `12.5`, not `1.2E+07`.
//! - **decimal**: the same plus a fraction and exponent (`1.5e3`), full-width
//!   `．` `－`. A `%` sign is an error unless the column is a percent column.
//! - **percent** columns ([`crate::schema::ColumnDef::percent`]): values are
//!   written in percent points and stored as fractions. `55`, `55.0` and
//!   `55%` all mean 0.55; `0.55` means 0.55% (0.0055).
//! - **bool**: 是/否, 有/无, √/×, Y/N, 1/0, true/false and yes/no (any case).
//! - **year**: `2025`, `2025年`, `2025.0`, or a date (`2025-09-01`,
//!   `2025/9/1`, `2025年9月1日`, …) whose year is taken; 1900..=2100.
//! - **enum**: a variant's name or alias (also in full-width forms).
//! - **ref**: the referenced row's key (its non-year key columns joined with `/`).
//! - An empty cell is a missing value, allowed only in optional non-key columns.
//! - Rows whose cells are all empty (as Excel writes below the data) are skipped.

pub mod table;
pub mod template;

mod build;
mod cell;
mod csvfile;
mod csvrows;
mod csvtext;
mod decode;
mod grid;
mod header;
mod layout;
mod limits;
mod names;
mod parsed;
mod resolve;
mod sheet;
mod sheetrows;

#[cfg(test)]
mod excel_tests;
#[cfg(test)]
mod tests;

pub use table::*;

use crate::diag::Code;
use crate::diag::{Diag, Msg};
use crate::msg::data as msg;
use crate::schema::{ColType, ColumnDef, Schema, TableDef, TableId};
use build::Sink;
use csvfile::parse_file;
use parsed::Parsed;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A loaded submission with the warnings met while loading it.
#[derive(Debug)]
pub struct Loaded {
    pub submission: Submission,
    pub warnings: Vec<Diag>,
    /// How the rows of each input were read, in input order.
    pub rows: Vec<RowCounts>,
}

/// Every error found in a submission (up to a cap) and how many more there were.
#[derive(Debug)]
pub struct LoadErrors {
    /// The errors, sorted by file (or sheet) and position.
    pub diags: Vec<Diag>,
    /// Errors found beyond the cap.
    pub more: usize,
    /// Warnings met on the way (an unknown file, a missing table), which may
    /// explain an error; not counted in `diags` or `more`.
    pub warnings: Vec<Diag>,
    /// How the rows of each input that could be opened were read.
    pub rows: Vec<RowCounts>,
}

impl LoadErrors {
    fn one(d: Diag) -> LoadErrors {
        LoadErrors {
            diags: vec![d],
            more: 0,
            warnings: Vec::new(),
            rows: Vec::new(),
        }
    }
}

/// How the rows of one input (a CSV file or a sheet) were read. Every row
/// below the header is counted once:
/// `records == loaded + with_errors + blank + notes`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowCounts {
    /// The table (its schema name).
    pub table: String,
    /// The file (`学校.csv`) or sheet (`book.xlsx 学校`).
    pub input: String,
    /// Rows above the header (a title such as `万州区2025年学校基本情况表`),
    /// not read; not counted in `records`.
    pub title: usize,
    /// Rows below the header (and below a template's unit/type row).
    pub records: usize,
    /// Rows loaded without an error.
    pub loaded: usize,
    /// Rows with at least one reported error (also those not loaded at all,
    /// such as a CSV row with too many cells).
    pub with_errors: usize,
    /// Empty rows, skipped.
    pub blank: usize,
    /// Notes below the data (`注：…`, `填表人：…`) and rows of totals
    /// (`合计`, `小计`), skipped.
    pub notes: usize,
}

/// How to load a submission.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// At most this many errors are returned; the rest are counted in
    /// [`LoadErrors::more`].
    pub max_errors: usize,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions { max_errors: 50 }
    }
}

/// Whether `path` names a workbook (`.xlsx`, `.xls`, `.xlsm`, `.xlsb`,
/// `.ods`), which [`load_submission`] reads as one submission.
pub fn is_workbook_path(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| sheet::is_workbook_name(&n.to_string_lossy()))
}

/// Loads a submission: a folder with one CSV file per table, or a workbook
/// (see [`is_workbook_path`]) with one sheet per table.
pub fn load_submission(schema: &Schema, path: &Path) -> Result<Loaded, LoadErrors> {
    load_submission_with(schema, path, &LoadOptions::default())
}

/// [`load_submission`] with options.
pub fn load_submission_with(
    schema: &Schema,
    path: &Path,
    opts: &LoadOptions,
) -> Result<Loaded, LoadErrors> {
    let shown = path.display().to_string();
    let workbook = is_workbook_path(path);
    let meta = std::fs::metadata(path).map_err(|_| {
        LoadErrors::one(if workbook {
            Diag::new(Code::DataNotFound, msg::workbook_not_found(&shown))
        } else {
            Diag::new(Code::DataNotFound, msg::folder_not_found(&shown))
                .help(msg::folder_not_found_help())
        })
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.clone());
    if meta.is_file() && names::is_wps_name(&name) {
        return Err(LoadErrors::one(
            Diag::new(Code::DataWpsFile, msg::wps_file(&name))
                .help(msg::wps_help())
                .source(&file_source(&name)),
        ));
    }
    if meta.is_file() && workbook {
        let bytes =
            std::fs::read(path).map_err(|e| LoadErrors::one(csvfile::io_error(&shown, &e)))?;
        let stem = Path::new(&name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| name.clone());
        return load_book(schema, &stem, path, &name, &bytes, opts);
    }
    if !meta.is_dir() {
        return Err(LoadErrors::one(
            Diag::new(Code::DataNotFound, msg::not_a_folder(&shown)).help(msg::not_a_folder_help()),
        ));
    }
    let entries = std::fs::read_dir(path).map_err(|e| {
        LoadErrors::one(Diag::new(
            Code::DataIo,
            fill(&io_reason(&e), |r| msg::cannot_list(&shown, r)),
        ))
    })?;
    let mut inputs: Vec<Input> = Vec::new();
    let mut books: Vec<String> = Vec::new();
    for entry in entries.flatten() {
        let fname = entry.file_name().to_string_lossy().into_owned();
        let full = entry.path();
        // Hidden files and Excel's lock files (`~$学校.csv`) are not data.
        if fname.starts_with('.') || fname.starts_with("~$") {
            continue;
        }
        let wanted = has_csv_ext(&fname) || names::is_wps_name(&fname);
        let data = match std::fs::metadata(&full) {
            Ok(m) if m.is_file() => Data::Disk(full),
            // A folder named like a table file cannot be read as one.
            Ok(_) if wanted => Data::Unreadable(msg::io_is_folder()),
            Ok(_) => continue,
            Err(e) if wanted => Data::Unreadable(unreadable_reason(&full, &e)),
            Err(_) => continue,
        };
        if sheet::is_workbook_name(&fname) {
            books.push(fname);
            continue;
        }
        if !wanted {
            continue;
        }
        inputs.push(Input { name: fname, data });
    }
    books.sort();
    let mut result = load_inputs(schema, &name, path, inputs, opts);
    // A workbook in the folder is not read with the CSV files: say so.
    let book_warnings = books.iter().map(|b| {
        Diag::new(Code::DataUnknownFile, msg::workbook_in_folder(b))
            .help(msg::workbook_in_folder_help(
                &path.join(b).display().to_string(),
            ))
            .source(&file_source(b))
            .warning()
    });
    match &mut result {
        Ok(l) => l.warnings.splice(0..0, book_warnings),
        Err(e) => e.warnings.splice(0..0, book_warnings),
    };
    result
}

/// Loads a submission given as in-memory files `(file name, bytes)`, as if
/// they were the CSV files of a folder (for tests and fuzzing). A name that
/// is not `<table or alias>.csv` gets an `unknown_file` warning.
pub fn load_tables_from_strings(
    schema: &Schema,
    files: &[(&str, &[u8])],
) -> Result<Loaded, LoadErrors> {
    load_from_memory(schema, "submission", files, &LoadOptions::default())
}

/// [`load_tables_from_strings`] with a submission name and options.
pub fn load_from_memory(
    schema: &Schema,
    name: &str,
    files: &[(&str, &[u8])],
    opts: &LoadOptions,
) -> Result<Loaded, LoadErrors> {
    let inputs = files
        .iter()
        .map(|(n, b)| Input {
            name: n.to_string(),
            data: Data::Mem(b),
        })
        .collect();
    load_inputs(schema, name, Path::new(""), inputs, opts)
}

/// Loads a workbook given as bytes; `file_name` (`book.xlsx`) is how it is
/// named in messages, and its stem is the submission's name.
pub fn load_workbook_from_memory(
    schema: &Schema,
    file_name: &str,
    bytes: &[u8],
    opts: &LoadOptions,
) -> Result<Loaded, LoadErrors> {
    let stem = Path::new(file_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file_name.to_string());
    load_book(schema, &stem, Path::new(file_name), file_name, bytes, opts)
}

fn load_book(
    schema: &Schema,
    name: &str,
    path: &Path,
    file_name: &str,
    bytes: &[u8],
    opts: &LoadOptions,
) -> Result<Loaded, LoadErrors> {
    let book =
        sheet::read_book(schema, file_name, bytes, opts.max_errors).map_err(LoadErrors::one)?;
    let errors = book.errors.into_iter().map(|d| ((0, 0), d)).collect();
    finish(
        schema,
        name,
        path,
        book.parsed,
        vec![book.file],
        errors,
        book.warnings,
        opts,
    )
}

struct Input<'a> {
    name: String,
    data: Data<'a>,
}

enum Data<'a> {
    Disk(PathBuf),
    Mem(&'a [u8]),
    /// A directory entry that cannot be read as a file, and why.
    Unreadable(Msg),
}

/// Why a directory entry cannot be opened: a symbolic link to nothing, or
/// in a loop, or what the system says.
fn unreadable_reason(path: &Path, e: &std::io::Error) -> Msg {
    let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !link {
        return io_reason(e);
    }
    // ELOOP (Linux, macOS): the link leads back to itself.
    if matches!(e.raw_os_error(), Some(40) | Some(62)) {
        return msg::io_symlink_loop();
    }
    match std::fs::read_link(path) {
        Ok(target) if e.kind() == std::io::ErrorKind::NotFound => {
            msg::io_dangling_symlink(&target.display().to_string())
        }
        _ => io_reason(e),
    }
}

fn has_csv_ext(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("csv"))
}

/// `` `在校生数` (students) `` — a column for messages: its header as a
/// statistician writes it, then its name in the rules.
pub(crate) fn col_desc(c: &ColumnDef) -> String {
    match c.aliases.first() {
        Some(a) => format!("`{a}` ({})", c.name),
        None => format!("`{}`", c.name),
    }
}

/// `学校 (schools)` — a table for messages: its Chinese name first.
pub(crate) fn table_desc(t: &TableDef) -> String {
    match t.aliases.first() {
        Some(a) => format!("{a} ({})", t.name),
        None => format!("`{}`", t.name),
    }
}

/// A message with a part that reads differently by language itself (a
/// place: 文件 `学校.csv` / `学校.csv`): `f` builds the message with a marker
/// for the part, which is then replaced by the part in each language.
pub(crate) fn fill(part: &Msg, f: impl FnOnce(&str) -> Msg) -> Msg {
    fill2(part, &Msg::default(), |p, _| f(p))
}

/// [`fill`] with two parts.
pub(crate) fn fill2(a: &Msg, b: &Msg, f: impl FnOnce(&str, &str) -> Msg) -> Msg {
    const A: &str = "\u{E000}\u{F8FF}a";
    const B: &str = "\u{E000}\u{F8FF}b";
    let m = f(A, B);
    let put = |text: &str, a: &str, b: &str| text.replace(A, a).replace(B, b);
    Msg::new(put(m.zh(), a.zh(), b.zh()), put(m.en(), a.en(), b.en()))
}

/// `` `a` 或 `b` 或 `c` `` — alternatives, in each language.
pub(crate) fn or_list(items: &[String]) -> Msg {
    let mut it = items.iter();
    let Some(first) = it.next() else {
        return Msg::default();
    };
    it.fold(Msg::verbatim(first.clone()), |acc, item| {
        fill(&acc, |a| msg::or_pair(a, item))
    })
}

/// Why a file could not be read, in the reader's words.
pub(crate) fn io_reason(e: &std::io::Error) -> Msg {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => msg::io_not_found(),
        ErrorKind::PermissionDenied => msg::io_permission(),
        ErrorKind::IsADirectory => msg::io_is_folder(),
        _ => msg::io_other(&e.to_string()),
    }
}

/// A source that only names a file (for a diagnostic about the file as a
/// whole: its location is the file).
pub(crate) fn file_source(name: &str) -> crate::diag::Source {
    crate::diag::source(name, String::new())
}

/// `` `a`、`b` `` — a list, in each language's punctuation.
pub(crate) fn list_msg(items: &[String]) -> Msg {
    Msg::new(items.join("、"), items.join(", "))
}

/// `3–5、9` — row numbers, runs joined, at most eight runs shown.
pub(crate) fn lines_list(lines: &[u32]) -> Msg {
    let mut runs: Vec<String> = Vec::new();
    let mut it = lines.iter().copied().peekable();
    while let Some(a) = it.next() {
        let mut b = a;
        while it.peek() == Some(&(b + 1)) {
            b += 1;
            it.next();
        }
        if runs.len() == 8 {
            runs.push("…".to_string());
            break;
        }
        runs.push(if a == b {
            a.to_string()
        } else {
            format!("{a}–{b}")
        });
    }
    list_msg(&runs)
}

/// The warning for an input file that holds no table.
fn unknown_file<'a>(
    schema: &Schema,
    file: &str,
    why: &names::Unmatched,
    name_of: impl Fn(usize) -> &'a str,
) -> Diag {
    if names::is_wps_name(file) {
        return Diag::new(Code::DataWpsFile, msg::wps_in_folder(file))
            .help(msg::wps_help())
            .source(&file_source(file))
            .warning();
    }
    let expected: Vec<String> = schema
        .tables
        .iter()
        .map(|t| format!("{}.csv", t.label()))
        .collect();
    let expected = expected.join(", ");
    let help = match why {
        names::Unmatched::Taken { table, by } => {
            let table = schema
                .tables
                .get(*table)
                .map(table_desc)
                .unwrap_or_default();
            msg::file_taken_help(&table, name_of(*by))
        }
        names::Unmatched::Several(ts) => {
            let names: Vec<String> = ts
                .iter()
                .filter_map(|t| schema.tables.get(*t))
                .map(table_desc)
                .collect();
            fill(&list_msg(&names), |n| {
                msg::several_tables_help(n, &expected)
            })
        }
        names::Unmatched::NoName => {
            let candidates = schema
                .tables
                .iter()
                .flat_map(|t| std::iter::once(&t.name).chain(&t.aliases));
            let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
            match crate::diag::did_you_mean(stem, candidates.map(String::as_str)) {
                Some(m) => msg::unknown_file_did_you_mean(&format!("{m}.csv"), &expected),
                None => msg::unknown_file_help(&expected),
            }
        }
    };
    Diag::new(Code::DataUnknownFile, msg::unknown_file(file))
        .help(help)
        .source(&file_source(file))
        .warning()
}

/// An error with its sort key: (input order, position within the input).
type Keyed = ((usize, u64), Diag);

fn load_inputs(
    schema: &Schema,
    name: &str,
    path: &Path,
    mut inputs: Vec<Input>,
    opts: &LoadOptions,
) -> Result<Loaded, LoadErrors> {
    let cap = opts.max_errors;
    inputs.sort_by(|a, b| a.name.cmp(&b.name));
    let mut warnings: Vec<Diag> = Vec::new();
    let mut errors: Vec<Keyed> = Vec::new();

    // Which file holds which table.
    let matches: Vec<names::NameMatch> = inputs
        .iter()
        .map(|input| match input.name.rsplit_once('.') {
            Some((stem, _)) if has_csv_ext(&input.name) => names::match_table(schema, stem),
            _ => names::NameMatch::None,
        })
        .collect();
    let assigned = names::assign(schema.tables.len(), &matches, |_| true);
    let name_of = |i: usize| inputs.get(i).map_or("", |input| input.name.as_str());
    let inputs_kind = names::Inputs::Files;
    for event in &assigned.events {
        match inputs_kind.report(schema, event, name_of) {
            Some(names::Reported::Error(input, d)) => errors.push(((input, 0), d)),
            Some(names::Reported::Warning(d)) => warnings.push(d),
            None => {}
        }
        let names::Event::Unmatched { input, why } = event else {
            continue;
        };
        let file = name_of(*input);
        warnings.push(unknown_file(schema, file, why, name_of));
    }
    let mut jobs: Vec<(TableId, usize, &Input)> = Vec::new();
    for (t, holder) in assigned.holder.iter().enumerate() {
        if let Some(i) = *holder
            && let Some(input) = inputs.get(i)
        {
            jobs.push((t, i, input));
        }
    }
    // Files in name order, as the report lists them.
    jobs.sort_by_key(|(_, i, _)| *i);
    for (t, def) in schema.tables.iter().enumerate() {
        let claimed = assigned
            .events
            .iter()
            .any(|e| matches!(e, names::Event::Ambiguous { table, .. } if *table == t));
        if assigned.holder.get(t).copied().flatten().is_none() && !claimed {
            warnings.push(
                Diag::new(Code::DataMissingTable, msg::missing_table(&table_desc(def)))
                    .help(fill(&inputs_kind.names_for(def), msg::missing_table_help))
                    .warning(),
            );
        }
    }

    // Parse the files, in parallel; `collect` keeps their order.
    let mut parsed: Vec<Parsed> = jobs
        .par_iter()
        .enumerate()
        .map(|(i, (t, order, input))| {
            let mut p = match &input.data {
                Data::Mem(b) => parse_file(schema, *t, i, &input.name, b.to_vec(), cap),
                Data::Unreadable(reason) => csvfile::unreadable(
                    schema,
                    *t,
                    i,
                    &input.name,
                    Diag::new(
                        Code::DataIo,
                        fill(reason, |r| msg::cannot_read(&input.name, r)),
                    )
                    .help(msg::cannot_read_help())
                    .source(&file_source(&input.name)),
                    cap,
                ),
                Data::Disk(path) => crate::timing::phase(&format!("parse {}", input.name), || {
                    csvfile::parse_disk(schema, *t, i, &input.name, path, cap)
                }),
            };
            p.order = *order;
            p
        })
        .collect();
    let files: Vec<InputFile> = parsed
        .iter_mut()
        .map(|p| {
            p.input.take().unwrap_or_else(|| InputFile {
                path: PathBuf::from(&p.name),
                sha256: String::new(),
                note: None,
            })
        })
        .collect();
    finish(schema, name, path, parsed, files, errors, warnings, opts)
}

/// Resolves references, checks keys, and builds the submission from parsed
/// inputs (`files` is what their `file` indexes); or returns every error.
#[allow(clippy::too_many_arguments)]
fn finish(
    schema: &Schema,
    name: &str,
    path: &Path,
    parsed: Vec<Parsed>,
    files: Vec<InputFile>,
    mut errors: Vec<Keyed>,
    mut warnings: Vec<Diag>,
    opts: &LoadOptions,
) -> Result<Loaded, LoadErrors> {
    let cap = opts.max_errors;
    let mut dropped = 0usize;
    let mut tables: Vec<Option<Parsed>> = (0..schema.tables.len()).map(|_| None).collect();
    for p in parsed {
        let t = p.table;
        if let Some(slot) = tables.get_mut(t) {
            *slot = Some(p);
        }
    }

    // References and keys.
    let mut resolved =
        crate::timing::phase("resolve", || resolve::resolve_refs(schema, &tables, cap));
    crate::timing::phase("keys", || {
        resolved
            .par_iter_mut()
            .zip(schema.tables.par_iter().zip(tables.par_iter()))
            .for_each(|((refs, sink), (def, p))| {
                if let Some(p) = p {
                    resolve::check_keys(schema, def, p, refs, sink);
                }
            })
    });

    // What became of every row.
    let mut rows: Vec<(usize, RowCounts)> = Vec::new();
    for (p, (_, sink)) in tables.iter().zip(resolved.iter()) {
        let Some(p) = p else { continue };
        let mut bad: Vec<u32> = p.errors.rows.iter().chain(&sink.rows).copied().collect();
        bad.sort_unstable();
        bad.dedup();
        let c = p.counts;
        let input = p.origin.input(&p.name);
        rows.push((
            p.order,
            RowCounts {
                table: schema
                    .tables
                    .get(p.table)
                    .map_or(String::new(), |t| t.name.clone()),
                input,
                title: c.title,
                records: c.records,
                loaded: p.rows().saturating_sub(bad.len()),
                with_errors: bad.len() + c.rejected,
                blank: c.blank,
                notes: c.notes,
            },
        ));
    }
    rows.sort_by_key(|(o, _)| *o);
    let rows: Vec<RowCounts> = rows.into_iter().map(|(_, r)| r).collect();

    // Errors, sorted by input and position.
    for (p, (_, sink)) in tables.iter_mut().zip(resolved.iter_mut()) {
        let Some(p) = p else { continue };
        warnings.append(&mut p.warnings);
        let order = p.order;
        for sink in [&mut p.errors, sink] {
            let sink = std::mem::replace(sink, Sink::new(0));
            dropped += sink.dropped;
            errors.extend(sink.diags.into_iter().map(|(pos, d)| ((order, pos), d)));
        }
    }
    if !errors.is_empty() || dropped > 0 {
        errors.sort_by_key(|e| e.0);
        let total = errors.len() + dropped;
        let diags: Vec<Diag> = errors.into_iter().take(cap).map(|(_, d)| d).collect();
        let more = total - diags.len();
        return Err(LoadErrors {
            diags,
            more,
            warnings,
            rows,
        });
    }

    // The submission.
    let mut out_tables = Vec::with_capacity(schema.tables.len());
    let mut years = BTreeSet::new();
    for ((def, p), (refs, _)) in schema.tables.iter().zip(tables).zip(resolved) {
        let Some(p) = p else {
            out_tables.push(Table {
                rows: 0,
                columns: def.columns.iter().map(|c| empty_column(c.ty)).collect(),
                source: TableSource {
                    file: usize::MAX,
                    lines: Vec::new(),
                    sheet: None,
                },
            });
            continue;
        };
        if let Some(Some(build::Col::Year(v))) = def.year_col.map(|y| p.cols.get(y)) {
            years.extend(v.iter().copied().filter(|y| *y != NULL_YEAR));
        }
        let sheet = p.origin.is_sheet().then(|| p.name.clone());
        let mut refs = refs.into_iter();
        let rows = p.lines.len();
        let columns = p
            .cols
            .into_iter()
            .map(|c| c.into_data(refs.next().flatten()))
            .collect();
        out_tables.push(Table {
            rows,
            columns,
            source: TableSource {
                file: p.file,
                lines: p.lines,
                sheet,
            },
        });
    }
    let relations = crate::timing::phase("relations", || {
        let mut relations = Vec::new();
        for (t, def) in schema.tables.iter().enumerate() {
            for (c, cd) in def.columns.iter().enumerate() {
                let ColType::Ref(target) = cd.ty else {
                    continue;
                };
                let target_rows = out_tables.get(target).map_or(0, |t| t.rows);
                if let Some(ColumnData::Ref(refs)) =
                    out_tables.get(t).and_then(|tab| tab.columns.get(c))
                {
                    relations.push(Relation::build(t, c, target, refs, target_rows));
                }
            }
        }
        relations
    });
    Ok(Loaded {
        submission: Submission {
            name: name.to_string(),
            path: path.to_path_buf(),
            files,
            tables: out_tables,
            relations,
            years: years.into_iter().collect(),
        },
        warnings,
        rows,
    })
}
