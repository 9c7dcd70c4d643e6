//! `dudao test`: runs the test cases of a rule pack (`<pack>/tests/<case>/`,
//! TESTCASES.md) in parallel, and prints one line per case in case-name
//! order, what a failing case misses or finds too much, and
//! `N 通过，M 未通过`. `--accept` writes the current findings as each
//! case's expected ones; `--coverage` lists each rule with its cases.
//!
//! Exit codes: 0 every case passed; 1 a case failed; 2 a case is written
//! wrong, the rules do not compile, or the output could not be written.
//!
//! The comparing, the coverage and the text of `expected.toml` are the
//! library's (`dudao::review::cases`); this file reads the folders, checks
//! each submission as `dudao check` does, writes and prints.

use super::out::Stdout;
use super::{EXIT_ERROR, Ui};
use dudao::check::PackSource;
use dudao::diag::{Code, Diag, escape, escape_line};
use dudao::msg::cases as m;
use dudao::pack::RulePack;
use dudao::report::Checked;
use dudao::review::cases::{self, Case, EXPECTED_FILE, Finding, Judgement};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub struct Options {
    pub rules: Vec<PackSource>,
    /// Run only the cases whose name contains one of these.
    pub filters: Vec<String>,
    pub accept: bool,
    pub coverage: bool,
}

/// What running one case gave.
enum Run {
    /// The case cannot be run as written (exit 2).
    Bad(Vec<Diag>),
    /// Its submission could not be loaded: the case fails.
    LoadFailed {
        case: Case,
        errors: Vec<Diag>,
        more: usize,
        warnings: Vec<Diag>,
    },
    /// Checked and compared.
    Judged {
        case: Case,
        judgement: Judgement,
        /// The findings of the rules in scope (for `--accept`).
        actual: Vec<Finding>,
        warnings: Vec<Diag>,
    },
}

pub fn run(ui: &Ui, opts: &Options) -> ExitCode {
    let pack = match super::load_pack(ui, &opts.rules) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let names = match case_names(opts) {
        Ok(n) => n,
        Err(d) => {
            ui.diags(&[*d]);
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let runs: Vec<(String, PathBuf, Run)> = names
        .into_par_iter()
        .map(|(name, dir)| {
            let run = run_case(ui, &pack, &name, &dir);
            (name, dir, run)
        })
        .collect();

    let mut out = Stdout::new();
    let (mut passed, mut failed, mut bad) = (0usize, 0usize, 0usize);
    let mut covered: Vec<(String, Vec<String>, bool)> = Vec::new();
    let mut write_failed = false;
    for (name, dir, run) in runs {
        let shown = escape_line(&name).into_owned();
        match run {
            Run::Bad(diags) => {
                ui.diags(&diags);
                bad += 1;
                out.write(&format!("! {shown}\n"));
                out.write(&format!(
                    "    {}\n",
                    escape_line(ui.t(&m::bad_case_note(diags.len())))
                ));
            }
            Run::LoadFailed {
                case,
                errors,
                more,
                warnings,
            } => {
                ui.say(&m::case_header(&name));
                ui.diags(&warnings);
                ui.diags(&errors);
                failed += 1;
                out.write(&format!("✗ {shown}\n"));
                out.write(&format!(
                    "    {}\n",
                    escape_line(ui.t(&m::load_failed(errors.len() + more)))
                ));
                covered.push((name, case.rules, false));
            }
            Run::Judged {
                case,
                mut judgement,
                actual,
                warnings,
            } => {
                if !warnings.is_empty() {
                    ui.say(&m::case_header(&name));
                    ui.diags(&warnings);
                }
                let mut note = None;
                if opts.accept {
                    let before = judgement.clone();
                    match accept(ui, &pack, &dir, &case, before, actual) {
                        Ok((n, j)) => {
                            judgement = j;
                            note = Some(n);
                        }
                        Err(d) => {
                            ui.diags(&d);
                            write_failed = true;
                        }
                    }
                }
                let ok = judgement.passed();
                out.write(&format!("{} {shown}\n", if ok { '✓' } else { '✗' }));
                if let Some(n) = note {
                    out.write(&format!("    {}\n", escape_line(&n)));
                }
                for line in cases::explain(&judgement, ui.lang) {
                    out.write(&escape_line(&line));
                    out.write("\n");
                }
                if ok {
                    passed += 1;
                } else {
                    failed += 1;
                }
                covered.push((name, case.rules, ok));
            }
        }
    }
    if opts.coverage {
        let ids: Vec<&str> = pack.rules.iter().map(|r| r.meta.id.as_str()).collect();
        let list: Vec<(&str, &[String], bool)> = covered
            .iter()
            .map(|(n, r, ok)| (n.as_str(), r.as_slice(), *ok))
            .collect();
        out.write("\n");
        out.write(&escape(&cases::render_coverage(
            &cases::coverage(&ids, &list),
            ui.lang,
        )));
    }
    out.write(&format!("\n{}\n", ui.t(&m::summary(passed, failed))));
    if let Err(code) = out.finish(ui) {
        return code;
    }
    if bad > 0 {
        ui.say(&m::bad_cases(bad));
    }
    if bad > 0 || write_failed {
        ExitCode::from(EXIT_ERROR)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The cases to run, `(name, folder)` in name order: the folders of the
/// last pack's `tests/`, those whose name contains a filter when filters
/// are given.
fn case_names(opts: &Options) -> Result<Vec<(String, PathBuf)>, Box<Diag>> {
    let no_cases = |msg, help| Box::new(Diag::new(Code::TestNoCases, msg).help(help));
    let Some(PackSource::Dir(pack_dir)) = opts.rules.last() else {
        return Err(no_cases(
            m::no_tests_embedded(),
            m::no_tests_embedded_help(),
        ));
    };
    let tests = pack_dir.join("tests");
    let mut all: Vec<(String, PathBuf)> = std::fs::read_dir(&tests)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().is_dir())
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    (!name.starts_with('.')).then_some((name, e.path()))
                })
                .collect()
        })
        .unwrap_or_default();
    all.sort();
    if all.is_empty() {
        return Err(no_cases(
            m::no_tests(&tests.display().to_string()),
            m::no_tests_help(),
        ));
    }
    if opts.filters.is_empty() {
        return Ok(all);
    }
    let chosen: Vec<(String, PathBuf)> = all
        .iter()
        .filter(|(n, _)| opts.filters.iter().any(|f| n.contains(f.as_str())))
        .cloned()
        .collect();
    if chosen.is_empty() {
        let quoted = |v: Vec<&str>| {
            v.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let filters = quoted(opts.filters.iter().map(String::as_str).collect());
        let names = quoted(all.iter().map(|(n, _)| n.as_str()).collect());
        return Err(no_cases(m::no_match(&filters), m::no_match_help(&names)));
    }
    Ok(chosen)
}

/// Reads a case, loads its submission, checks it as `dudao check` does and
/// compares the findings with the expected ones.
fn run_case(ui: &Ui, pack: &RulePack, name: &str, dir: &Path) -> Run {
    let file = dir.join(EXPECTED_FILE);
    let shown = format!("tests/{name}/{EXPECTED_FILE}");
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Run::Bad(vec![
                Diag::new(Code::TestBadCase, m::no_expected(name)).help(m::no_expected_help()),
            ]);
        }
        Err(e) => {
            return Run::Bad(vec![
                Diag::new(Code::TestBadCase, m::read_failed(&shown, &e.to_string()))
                    .help(m::read_failed_help()),
            ]);
        }
    };
    let ids: Vec<&str> = pack.rules.iter().map(|r| r.meta.id.as_str()).collect();
    let case = match cases::parse(&shown, &text, &ids) {
        Ok(c) => c,
        Err(diags) => return Run::Bad(diags),
    };
    let path = match submission_path(name, dir, &case) {
        Ok(p) => p,
        Err(d) => return Run::Bad(vec![*d]),
    };
    let loaded = match dudao::data::load_submission(&pack.schema, &path) {
        Ok(l) => l,
        Err(e) => {
            return Run::LoadFailed {
                case,
                errors: e.diags,
                more: e.more,
                warnings: e.warnings,
            };
        }
    };
    let warnings = loaded.warnings;
    let results = dudao::eval::check(
        pack,
        &loaded.submission,
        warnings.clone(),
        &dudao::eval::CheckOptions {
            allow_incomplete: false,
            year: case.year,
            distributions: false,
            ..Default::default()
        },
        &|| {},
    );
    let checked = Checked::new(pack, &loaded.submission, &results);
    let report = dudao::report::json::build(&checked, ui.lang);
    let judgement = cases::judge(&case, &report, ui.lang);
    let actual = if report.summary.checked {
        cases::actual_findings(&report, &case.rules)
    } else {
        Vec::new()
    };
    Run::Judged {
        case,
        judgement,
        actual,
        warnings,
    }
}

/// The data files of a case folder (CSV files and workbooks), by name.
fn data_files(dir: &Path) -> (Vec<String>, Vec<String>) {
    let mut csv = Vec::new();
    let mut books = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.starts_with("~$") || !e.path().is_file() {
            continue;
        }
        let lower = name.to_lowercase();
        if lower.ends_with(".csv") {
            csv.push(name);
        } else if [".xlsx", ".xls", ".xlsm", ".xlsb", ".ods"]
            .iter()
            .any(|x| lower.ends_with(x))
        {
            books.push(name);
        }
    }
    csv.sort();
    books.sort();
    (csv, books)
}

/// Where a case's submission is: the `submission` it names, or its own
/// folder (CSV files), or the one workbook in its folder.
fn submission_path(name: &str, dir: &Path, case: &Case) -> Result<PathBuf, Box<Diag>> {
    let (csv, books) = data_files(dir);
    let own: Vec<String> = csv.iter().chain(&books).cloned().collect();
    if let Some((path, span)) = &case.submission {
        let at = |msg, label, help| {
            Box::new(
                Diag::new(Code::TestBadCase, msg)
                    .label(span.clone(), label)
                    .help(help)
                    .source(&case.source),
            )
        };
        if !own.is_empty() {
            return Err(at(
                m::submission_and_files(),
                m::submission_and_files_label(),
                m::submission_and_files_help(&own.join("、")),
            ));
        }
        let full = dir.join(path);
        if !full.exists() {
            return Err(at(
                m::submission_not_found(path),
                m::submission_not_found_label(),
                m::submission_not_found_help(),
            ));
        }
        return Ok(full);
    }
    if !csv.is_empty() {
        return Ok(dir.to_path_buf());
    }
    match books.as_slice() {
        [one] => Ok(dir.join(one)),
        [] => Err(Box::new(
            Diag::new(Code::TestBadCase, m::no_submission(name)).help(m::no_submission_help()),
        )),
        several => Err(Box::new(
            Diag::new(
                Code::TestBadCase,
                m::several_workbooks(name, &several.join("、")),
            )
            .help(m::several_workbooks_help()),
        )),
    }
}

/// `--accept`: writes the findings of a case as its expected ones (when
/// its rules were run), then reads the file written and compares again.
/// Returns the note to print and the new judgement.
fn accept(
    ui: &Ui,
    pack: &RulePack,
    dir: &Path,
    case: &Case,
    judgement: Judgement,
    actual: Vec<Finding>,
) -> Result<(String, Judgement), Vec<Diag>> {
    if judgement.incomplete.is_some() {
        return Ok((ui.t(&m::not_accepted()).to_string(), judgement));
    }
    let file = dir.join(EXPECTED_FILE);
    let shown = file.display().to_string();
    let original = case.source.inner().as_str();
    let text = cases::accepted_text(original, case, &actual);
    let note = if text == original {
        ui.t(&m::accepted_unchanged(&shown)).to_string()
    } else {
        // Through a temporary file and a rename: never a file half written.
        let tmp = dir.join(format!(".{EXPECTED_FILE}.tmp"));
        std::fs::write(&tmp, &text)
            .and_then(|()| std::fs::rename(&tmp, &file))
            .map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                vec![
                    Diag::new(
                        Code::CliWriteFailed,
                        dudao::msg::cli::write_failed(&shown, &e.to_string()),
                    )
                    .help(dudao::msg::cli::write_failed_help()),
                ]
            })?;
        ui.t(&m::accepted(&shown, actual.len())).to_string()
    };
    // What was written must read back as the findings it was written from.
    let ids: Vec<&str> = pack.rules.iter().map(|r| r.meta.id.as_str()).collect();
    let written = cases::parse(case.source.name(), &text, &ids)?;
    let (missing, unexpected) = cases::compare(&written.findings, actual);
    Ok((
        note,
        Judgement {
            missing,
            unexpected,
            ..judgement
        },
    ))
}
