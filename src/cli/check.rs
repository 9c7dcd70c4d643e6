//! `dudao check`: load the rule pack, then each submission in parallel;
//! judge whether its data is complete, evaluate it, render its report; print
//! the reports in the order given, and pick the exit code.
//!
//! Exit codes: 0 pass; 1 binding failures; 2 the rules, a submission or the
//! output could not be handled; 3 incomplete data or no verdict. A batch
//! exits with the most serious code of its submissions (2 > 1 > 3 > 0).

use super::out::Stdout;
use super::{EXIT_ERROR, Format, Ui};
use dudao::check::pack::RulePack;
use dudao::diag::{Code, Diag};
use dudao::eval::complete;
use dudao::msg::cli as m;
use dudao::report::Checked;
use dudao::report::json::{self, JsonBatchEntry, JsonReport, LoadFailure};
use dudao::report::summary::{BatchRow, batch_exit_code, labels, render_batch};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The bundled submission `dudao check` runs on when none is given.
const DEFAULT_SUBMISSION: &str = "fixtures/submissions/violations";

pub struct Options {
    pub rules: PathBuf,
    pub submissions: Vec<PathBuf>,
    pub format: Format,
    pub max_per_rule: usize,
    pub quiet: bool,
    pub allow_incomplete: bool,
    pub year: Option<i32>,
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
    /// The rendered report (text or single JSON), or the JSON entry of a batch.
    rendered: Rendered,
}

enum Rendered {
    Text(String),
    Json(String),
    Entry(Box<JsonBatchEntry>),
    /// Nothing to print on stdout (a text report of a submission that could
    /// not be loaded: its errors are on stderr).
    None,
}

pub fn run(ui: &Ui, opts: &Options) -> ExitCode {
    let pack = match dudao::timing::phase("rule pack", || dudao::check::load_pack(&opts.rules)) {
        Ok(p) => p,
        Err(diags) => {
            ui.diags(&diags);
            ui.say(&m::rules_failed(
                &opts.rules.display().to_string(),
                diags.len(),
            ));
            if opts.format == Format::Json {
                let mut out = Stdout::new();
                out.write(&json::to_json(&json::rules_failure(&diags, ui.lang)));
                if let Err(code) = out.finish(ui) {
                    return code;
                }
            }
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let mut submissions = opts.submissions.clone();
    if submissions.is_empty() {
        submissions.push(PathBuf::from(DEFAULT_SUBMISSION));
    }
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
            bar.set_prefix(dudao::diag::escape_line(name).into_owned());
            bar.set_message(ui.t(&m::progress_reading()).to_string());
            bar
        })
        .collect();
    let outcomes: Vec<Outcome> = submissions
        .par_iter()
        .zip(&names)
        .zip(&bars)
        .map(|((path, label), bar)| {
            let o = check_one(ui, &pack, path, label, opts, bar, single);
            bar.finish_and_clear();
            o
        })
        .collect();
    let _ = progress.clear();

    let mut out = Stdout::new();
    let mut codes = Vec::with_capacity(outcomes.len());
    let mut rows = Vec::with_capacity(outcomes.len());
    let mut entries = Vec::new();
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
        codes.push(o.row.exit_code());
        rows.push(o.row);
        match o.rendered {
            Rendered::Text(s) | Rendered::Json(s) => out.write(&s),
            Rendered::Entry(e) => entries.push(*e),
            Rendered::None => {}
        }
    }
    if opts.format == Format::Json && !single {
        out.write(&json::to_json(&json::batch(&pack, entries)));
    }
    if !single && opts.format == Format::Text {
        out.write("\n");
        out.write(&render_batch(&rows, ui.lang));
    }
    if let Err(code) = out.finish(ui) {
        return code;
    }
    ExitCode::from(batch_exit_code(codes))
}

fn check_one(
    ui: &Ui,
    pack: &RulePack,
    path: &Path,
    label: &str,
    opts: &Options,
    bar: &indicatif::ProgressBar,
    single: bool,
) -> Outcome {
    // DUDAO_TIMING=1 prints how long loading and evaluating took, on stderr.
    let timing = std::env::var_os("DUDAO_TIMING").is_some();
    let started = std::time::Instant::now();
    let shown_path = path.display().to_string();
    let loaded = match dudao::data::load_submission(&pack.schema, path) {
        Ok(l) => l,
        Err(e) => {
            let row = BatchRow::failed(label, ui.t(&m::load_errors_short(e.diags.len() + e.more)));
            let rendered = match opts.format {
                Format::Text => Rendered::None,
                Format::Json => {
                    let f = json::load_failure(
                        pack,
                        label,
                        &shown_path,
                        &LoadFailure {
                            errors: &e.diags,
                            more: e.more,
                            warnings: &e.warnings,
                        },
                        ui.lang,
                    );
                    if single {
                        Rendered::Json(json::to_json(&f))
                    } else {
                        Rendered::Entry(Box::new(JsonBatchEntry::failed(f)))
                    }
                }
            };
            return Outcome {
                label: label.to_string(),
                row,
                warnings: e.warnings,
                errors: e.diags,
                more_errors: e.more,
                rendered,
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
    let results = dudao::eval::check(
        pack,
        sub,
        warnings,
        &dudao::eval::CheckOptions {
            allow_incomplete: opts.allow_incomplete,
            year: opts.year,
            distributions: false,
        },
        &|| bar.inc(1),
    );
    if timing {
        eprintln!(
            "timing {}: load {:.3}s, evaluate {:.3}s",
            dudao::diag::escape_line(&shown_path),
            loaded_at.as_secs_f64(),
            (started.elapsed() - loaded_at).as_secs_f64()
        );
    }
    let checked = Checked::new(pack, sub, &results);
    let rendered = match opts.format {
        Format::Text => {
            let topts = dudao::report::text::TextOptions {
                max_per_rule: opts.max_per_rule,
                lang: ui.lang,
                ..Default::default()
            };
            Rendered::Text(dudao::report::text::render(&checked, &topts))
        }
        Format::Json => {
            let report: JsonReport =
                dudao::timing::phase("report", || json::build(&checked, ui.lang));
            if single {
                Rendered::Json(json::to_json(&report))
            } else {
                Rendered::Entry(Box::new(JsonBatchEntry::loaded(label, &shown_path, report)))
            }
        }
    };
    let row = BatchRow::from_checked(label, &checked);
    let dudao::eval::Results {
        report, warnings, ..
    } = results;
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
        rendered,
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
