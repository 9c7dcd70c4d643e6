//! `dudao check`: load the rule pack, then each submission in parallel;
//! judge whether its data is complete, evaluate it, render its report; print
//! the reports in the order given (or write them to files), and pick the
//! exit code.
//!
//! Exit codes: 0 pass; 1 binding failures; 2 the rules, a submission or the
//! output could not be handled; 3 incomplete data or no verdict. A batch
//! exits with the most serious code of its submissions (2 > 1 > 3 > 0).

use super::out::Stdout;
use super::{EXIT_ERROR, Format, Ui};
use dudao::diag::{Code, Diag, escape_line};
use dudao::eval::complete;
use dudao::msg::cli as m;
use dudao::pack::RulePack;
use dudao::report::html::{self, BatchEntry, BatchInput};
use dudao::report::json::{self, JsonBatchEntry, JsonReport, LoadFailure};
use dudao::report::summary::{BatchRow, batch_exit_code, labels, render_batch};
use dudao::report::{Checked, view};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The bundled submission `dudao check` runs on when none is given.
const DEFAULT_SUBMISSION: &str = "fixtures/submissions/violations";

pub struct Options {
    pub rules: Vec<dudao::check::PackSource>,
    pub submissions: Vec<PathBuf>,
    pub format: Format,
    pub max_per_rule: usize,
    pub quiet: bool,
    pub allow_incomplete: bool,
    pub year: Option<i32>,
    /// `--out DIR`: every report of every submission into files.
    pub out: Option<PathBuf>,
    /// `-o FILE`: the one report into a file.
    pub output: Option<PathBuf>,
    /// `--by`: how the text report groups findings.
    pub by: crate::By,
}

/// Where the reports go.
#[derive(Clone)]
enum Mode {
    /// The chosen format on stdout.
    Stdout(Format),
    /// The chosen format into one file.
    File(Format, PathBuf),
    /// 报告.html, 报告.xlsx and report.json per submission under the folder,
    /// and the batch summary.
    Folder(PathBuf),
}

/// What checking one submission produced, ready to print.
struct Outcome {
    label: String,
    row: BatchRow,
    /// Warnings, and for a submission that could not be loaded its errors,
    /// for stderr.
    warnings: Vec<Diag>,
    errors: Vec<Diag>,
    more_errors: usize,
    /// Files that could not be written.
    write_errors: Vec<Diag>,
    rendered: Rendered,
    /// Its line in the batch summary files (folder mode).
    entry: Option<BatchEntry>,
}

enum Rendered {
    /// Text or JSON for stdout.
    Stdout(String),
    /// The JSON entry of a batch.
    Entry(Box<JsonBatchEntry>),
    /// The short line of folder mode.
    Line(String),
    /// Nothing on stdout (a text report of a submission that could not be
    /// loaded: its errors are on stderr; or a report written to a file).
    None,
}

fn mode(ui: &Ui, opts: &Options, n: usize) -> Result<Mode, ExitCode> {
    let fail = |msg| {
        ui.say(&msg);
        Err(ExitCode::from(EXIT_ERROR))
    };
    match (&opts.out, &opts.output) {
        (Some(_), Some(_)) => fail(m::arg_conflict("--out", "-o")),
        (Some(dir), None) => Ok(Mode::Folder(dir.clone())),
        (None, Some(_)) if n > 1 => fail(m::output_needs_one()),
        (None, Some(file)) => Ok(Mode::File(opts.format, file.clone())),
        (None, None) if opts.format == Format::Xlsx => fail(m::xlsx_needs_output()),
        (None, None) => Ok(Mode::Stdout(opts.format)),
    }
}

pub fn run(ui: &Ui, opts: &Options) -> ExitCode {
    let mut submissions = opts.submissions.clone();
    if submissions.is_empty() {
        submissions.push(PathBuf::from(DEFAULT_SUBMISSION));
    }
    let mode = match mode(ui, opts, submissions.len()) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let json_out = matches!(
        mode,
        Mode::Stdout(Format::Json) | Mode::File(Format::Json, _)
    );
    let pack = match dudao::timing::phase("rule pack", || dudao::check::load_packs(&opts.rules)) {
        Ok(p) => {
            ui.diags(&p.warnings);
            p
        }
        Err(diags) => {
            ui.diags(&diags);
            ui.say(&m::rules_failed(
                &super::packs::label(&opts.rules),
                diags.len(),
            ));
            if json_out {
                let doc = json::to_json(&json::rules_failure(&diags, ui.lang));
                if let Err(code) = emit(ui, &mode, doc.as_bytes()) {
                    return code;
                }
            }
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let names = labels(&submissions);
    let single = submissions.len() == 1;

    // One progress bar per submission, on stderr, only for a person at a terminal.
    let progress = if opts.quiet || !std::io::stderr().is_terminal() {
        indicatif::MultiProgress::with_draw_target(indicatif::ProgressDrawTarget::hidden())
    } else {
        indicatif::MultiProgress::new()
    };
    let style = indicatif::ProgressStyle::with_template(&format!(
        "{{prefix:>20}} [{{bar:30}}] {{pos}}/{{len}} {} {{msg}}",
        ui.t(&m::progress_rules())
    ))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
    .progress_chars("=> ");
    let bars: Vec<indicatif::ProgressBar> = names
        .iter()
        .map(|name| {
            let bar = progress.add(indicatif::ProgressBar::new(pack.rules.len() as u64));
            bar.set_style(style.clone());
            bar.set_prefix(escape_line(name).into_owned());
            bar.set_message(ui.t(&m::progress_reading()).to_string());
            bar
        })
        .collect();
    let outcomes: Vec<Outcome> = submissions
        .par_iter()
        .zip(&names)
        .zip(&bars)
        .map(|((path, label), bar)| {
            let o = check_one(ui, &pack, path, label, opts, &mode, bar, single);
            bar.finish_and_clear();
            o
        })
        .collect();
    let _ = progress.clear();

    let mut out = Stdout::new();
    let mut codes = Vec::with_capacity(outcomes.len());
    let mut rows = Vec::with_capacity(outcomes.len());
    let mut entries = Vec::new();
    let mut batch_entries = Vec::new();
    let mut write_failed = false;
    for o in outcomes {
        // Warnings first: "`学生.csv` matches no table" often explains the errors.
        ui.diags(&o.warnings);
        ui.diags(&o.errors);
        if o.row.verdict.is_none() {
            if o.more_errors > 0 {
                ui.say(&m::more_errors(o.more_errors));
            }
            ui.say(&m::load_failed(&o.label, o.errors.len() + o.more_errors));
        }
        ui.diags(&o.write_errors);
        write_failed |= !o.write_errors.is_empty();
        codes.push(o.row.exit_code());
        rows.push(o.row);
        match o.rendered {
            Rendered::Stdout(s) => out.write(&s),
            Rendered::Line(s) => out.write(&format!("{}\n", escape_line(&s))),
            Rendered::Entry(e) => entries.push(*e),
            Rendered::None => {}
        }
        batch_entries.extend(o.entry);
    }
    if json_out && !single {
        let doc = json::to_json(&json::batch(&pack, entries));
        match &mode {
            Mode::File(_, file) => {
                if let Err(d) = write_file(ui, file, doc.as_bytes()) {
                    ui.diags(&[d]);
                    write_failed = true;
                }
            }
            _ => out.write(&doc),
        }
    }
    if !single && matches!(mode, Mode::Stdout(Format::Text) | Mode::Folder(_)) {
        out.write("\n");
        out.write(&render_batch(&rows, ui.lang));
    }
    if let Mode::Folder(dir) = &mode
        && !single
    {
        html::rank_entries(&mut batch_entries);
        let rules: Vec<(String, String)> = pack
            .rules
            .iter()
            .map(|r| (r.meta.id.clone(), r.meta.title.clone()))
            .collect();
        let page = html::render_batch(&pack, &batch_entries, ui.lang);
        let h = dir.join("汇总.html");
        let x = dir.join("汇总.xlsx");
        let book = dudao::report::xlsx::batch_workbook(&rules, &batch_entries, ui.lang);
        let written = write_file(ui, &h, page.as_bytes()).and_then(|()| match book {
            Ok(bytes) => write_file(ui, &x, &bytes),
            Err(e) => Err(write_error(ui, &x, &e.to_string())),
        });
        match written {
            Ok(()) => out.write(&format!(
                "{}\n",
                escape_line(ui.t(&m::batch_written(
                    &h.display().to_string(),
                    &x.display().to_string()
                )))
            )),
            Err(d) => {
                ui.diags(&[d]);
                write_failed = true;
            }
        }
    }
    if let Err(code) = out.finish(ui) {
        return code;
    }
    if write_failed {
        return ExitCode::from(EXIT_ERROR);
    }
    ExitCode::from(batch_exit_code(codes))
}

/// Writes `bytes` where `mode` says: a file, or stdout.
fn emit(ui: &Ui, mode: &Mode, bytes: &[u8]) -> Result<(), ExitCode> {
    match mode {
        Mode::File(_, file) => write_file(ui, file, bytes).map_err(|d| {
            ui.diags(&[d]);
            ExitCode::from(EXIT_ERROR)
        }),
        _ => {
            let mut out = Stdout::new();
            out.write(&String::from_utf8_lossy(bytes));
            out.finish(ui)
        }
    }
}

fn write_error(ui: &Ui, path: &Path, error: &str) -> Diag {
    Diag::new(
        Code::CliWriteFailed,
        m::write_failed(ui.t(&m::file_name(&path.display().to_string())), error),
    )
    .help(m::write_failed_help())
}

/// Writes a file, making its folder; a failure is a diagnostic.
fn write_file(ui: &Ui, path: &Path, bytes: &[u8]) -> Result<(), Diag> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| write_error(ui, parent, &e.to_string()))?;
    }
    std::fs::write(path, bytes).map_err(|e| write_error(ui, path, &e.to_string()))
}

#[allow(clippy::too_many_arguments)]
fn check_one(
    ui: &Ui,
    pack: &RulePack,
    path: &Path,
    label: &str,
    opts: &Options,
    mode: &Mode,
    bar: &indicatif::ProgressBar,
    single: bool,
) -> Outcome {
    // DUDAO_TIMING=1 prints how long loading and evaluating took, on stderr.
    let timing = std::env::var_os("DUDAO_TIMING").is_some();
    let started = std::time::Instant::now();
    let shown_path = path.display().to_string();
    let mut write_errors = Vec::new();
    let loaded = match dudao::data::load_submission(&pack.schema, path) {
        Ok(l) => l,
        Err(e) => {
            let row = BatchRow::failed(label, ui.t(&m::load_errors_short(e.diags.len() + e.more)));
            let failure = || {
                json::load_failure(
                    pack,
                    label,
                    &shown_path,
                    &LoadFailure {
                        errors: &e.diags,
                        more: e.more,
                        warnings: &e.warnings,
                    },
                    ui.lang,
                )
            };
            let mut entry = None;
            let rendered = match mode {
                Mode::Stdout(Format::Json) if single => Rendered::Stdout(json::to_json(&failure())),
                Mode::Stdout(Format::Json) | Mode::File(Format::Json, _) if !single => {
                    Rendered::Entry(Box::new(JsonBatchEntry::failed(failure())))
                }
                Mode::File(Format::Json, file) => {
                    if let Err(d) = write_file(ui, file, json::to_json(&failure()).as_bytes()) {
                        write_errors.push(d);
                    }
                    Rendered::None
                }
                Mode::Folder(dir) => {
                    let folder = dir.join(label);
                    let doc = json::to_json(&failure());
                    if let Err(d) = write_file(ui, &folder.join("report.json"), doc.as_bytes()) {
                        write_errors.push(d);
                    }
                    let errors: Vec<String> = e
                        .diags
                        .iter()
                        .map(|d| {
                            let loc = d.location().map(|l| match l.line {
                                Some(line) => format!("{}:{line} ", l.source),
                                None => format!("{} ", l.source),
                            });
                            format!("{}{}", loc.unwrap_or_default(), d.message.get(ui.lang))
                        })
                        .collect();
                    entry = Some(html::batch_entry(
                        &BatchInput {
                            row: &row,
                            checked: None,
                            link: String::new(),
                            errors,
                        },
                        ui.lang,
                    ));
                    Rendered::Line(
                        ui.t(&m::load_failed(label, e.diags.len() + e.more))
                            .to_string(),
                    )
                }
                _ => Rendered::None,
            };
            return Outcome {
                label: label.to_string(),
                row,
                warnings: e.warnings,
                errors: e.diags,
                more_errors: e.more,
                write_errors,
                rendered,
                entry,
            };
        }
    };
    let mut warnings = loaded.warnings;
    let sub = &loaded.submission;
    if let Some(hint) = nested_submissions(pack, path, sub, &warnings, opts.year) {
        warnings.push(hint);
    }
    let loaded_at = started.elapsed();
    bar.set_message(ui.t(&m::progress_checking()).to_string());
    // Charts (HTML) and the tables of outcomes (HTML, workbook) need every
    // checked row's value, not only the failures.
    let charts = matches!(
        mode,
        Mode::Folder(_)
            | Mode::File(Format::Html | Format::Xlsx, _)
            | Mode::Stdout(Format::Html | Format::Xlsx)
    );
    let results = dudao::eval::check(
        pack,
        sub,
        warnings,
        &dudao::eval::CheckOptions {
            allow_incomplete: opts.allow_incomplete,
            year: opts.year,
            distributions: charts,
            ..Default::default()
        },
        &|| bar.inc(1),
    );
    if timing {
        eprintln!(
            "timing {}: load {:.3}s, evaluate {:.3}s",
            escape_line(&shown_path),
            loaded_at.as_secs_f64(),
            (started.elapsed() - loaded_at).as_secs_f64()
        );
    }
    let checked = Checked::new(pack, sub, &results);
    // Colour and wrapping only on a terminal, never in a file.
    let tty = matches!(mode, Mode::Stdout(_));
    let text = || {
        let topts = dudao::report::text::TextOptions {
            max_per_rule: opts.max_per_rule,
            lang: ui.lang,
            color: tty && ui.stdout_color,
            width: ui.width.filter(|_| tty),
            by_school: opts.by == crate::By::School,
        };
        dudao::report::text::render(&checked, &topts)
    };
    let json_report =
        || -> JsonReport { dudao::timing::phase("report", || json::build(&checked, ui.lang)) };
    let mut entry = None;
    // Sheets of a workbook that cannot list everything.
    let mut cut = Vec::new();
    let mut to_file = |file: &Path, bytes: Result<Vec<u8>, String>| {
        let written = bytes
            .map_err(|e| write_error(ui, file, &e))
            .and_then(|b| write_file(ui, file, &b));
        if let Err(d) = written {
            write_errors.push(d);
        }
    };
    let rendered = match mode {
        Mode::Stdout(Format::Text) => Rendered::Stdout(text()),
        Mode::Stdout(Format::Json) if single => Rendered::Stdout(json::to_json(&json_report())),
        Mode::Stdout(Format::Json) => Rendered::Entry(Box::new(JsonBatchEntry::loaded(
            label,
            &shown_path,
            json_report(),
        ))),
        Mode::File(Format::Json, _) if !single => Rendered::Entry(Box::new(
            JsonBatchEntry::loaded(label, &shown_path, json_report()),
        )),
        Mode::Stdout(Format::Html) => Rendered::Stdout(html::render(&checked, label, ui.lang)),
        Mode::Stdout(Format::Xlsx) => Rendered::None,
        Mode::File(format, file) => {
            let bytes = match format {
                Format::Text => Ok(text().into_bytes()),
                Format::Json => Ok(json::to_json(&json_report()).into_bytes()),
                Format::Html => Ok(html::render(&checked, label, ui.lang).into_bytes()),
                Format::Xlsx => {
                    let v = view::build(&checked, label, ui.lang);
                    cut = dudao::report::xlsx::cut_warnings(&v, ui.lang);
                    dudao::report::xlsx::workbook(&v, ui.lang).map_err(|e| e.to_string())
                }
            };
            to_file(file, bytes);
            Rendered::None
        }
        Mode::Folder(dir) => {
            let folder = dir.join(label);
            let v = view::build(&checked, label, ui.lang);
            cut = dudao::report::xlsx::cut_warnings(&v, ui.lang);
            to_file(
                &folder.join("报告.html"),
                Ok(html::render(&checked, label, ui.lang).into_bytes()),
            );
            to_file(
                &folder.join("报告.xlsx"),
                dudao::report::xlsx::workbook(&v, ui.lang).map_err(|e| e.to_string()),
            );
            to_file(
                &folder.join("report.json"),
                Ok(json::to_json(&json_report()).into_bytes()),
            );
            let row = BatchRow::from_checked(label, &checked);
            entry = Some(html::batch_entry(
                &BatchInput {
                    row: &row,
                    checked: Some(checked),
                    link: format!("{label}/报告.html"),
                    errors: Vec::new(),
                },
                ui.lang,
            ));
            Rendered::Line(
                ui.t(&m::out_written(
                    label,
                    &format!("{} — {}", v.verdict.word, v.verdict.detail),
                    &folder.display().to_string(),
                ))
                .to_string(),
            )
        }
    };
    let row = BatchRow::from_checked(label, &checked);
    let dudao::eval::Results {
        report,
        mut warnings,
        ..
    } = results;
    warnings.extend(cut);
    if single {
        // The process ends after printing: the operating system takes the
        // memory back faster than freeing it piece by piece (0.5 s of 2.6 GB
        // at national scale).
        std::mem::forget(loaded.submission);
        std::mem::forget(report);
    }
    Outcome {
        label: label.to_string(),
        row,
        warnings,
        errors: Vec::new(),
        more_errors: 0,
        write_errors,
        rendered,
        entry,
    }
}

/// A warning when a folder given as one submission has none of the tables
/// but holds subfolders with data files: the parent of several submissions,
/// passed by mistake.
fn nested_submissions(
    pack: &RulePack,
    path: &Path,
    sub: &dudao::data::Submission,
    warnings: &[Diag],
    year: Option<i32>,
) -> Option<Diag> {
    let c = complete::assess(pack, sub, warnings, year);
    let read: std::collections::BTreeSet<usize> =
        complete::tables_read(pack).into_iter().flatten().collect();
    if c.missing.len() < read.len() || !path.is_dir() {
        return None;
    }
    let mut subs: Vec<PathBuf> = std::fs::read_dir(path)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .filter(|p| {
            std::fs::read_dir(p).is_ok_and(|entries| {
                entries.flatten().any(|e| {
                    let n = e.file_name().to_string_lossy().to_lowercase();
                    n.ends_with(".csv") || n.ends_with(".xlsx") || n.ends_with(".xls")
                })
            })
        })
        .collect();
    subs.sort();
    let first = subs.first()?;
    Some(
        Diag::new(
            Code::CliNestedSubmissions,
            m::subfolders_hint(subs.len(), &first.display().to_string()),
        )
        .warning(),
    )
}
