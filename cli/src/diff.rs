//! `dudao diff`: two checks' findings compared (the comparison itself is
//! `dudao::review::diff`). Three forms, told apart by the inputs:
//!
//! 1. `dudao diff OLD.json NEW.json`: every input ends in `.json` — two
//!    reports of `dudao check --format json` (one submission or a batch);
//! 2. `dudao diff --old-rules A --new-rules B SUBMISSION…`: each submission
//!    checked under both rule packs, in-process, as `dudao check --format
//!    json` would;
//! 3. `dudao diff [--rules DIR] OLD NEW`: no input ends in `.json` and no
//!    `--old-rules`/`--new-rules` — two submissions (folders or workbooks)
//!    of one district under one rule pack.
//!
//! Reports mixed with submissions, a rule pack for one side only, or the
//! wrong number of inputs is `dudao::diff::mixed_inputs`. Exit codes: 0 no
//! change, 1 changes, 2 errors (or a submission that could not be compared).

use super::{EXIT_ERROR, Ui};
use dudao::check::PackSource;
use dudao::diag::{Code, Diag, Lang};
use dudao::msg::diff as m;
use dudao::pack::RulePack;
use dudao::report::Checked;
use dudao::report::json;
use dudao::review::diff::{self as review, DiffKind, Side, SubmissionSide};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The output formats of `dudao diff`.
#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum DiffFormat {
    Text,
    Json,
}

pub struct Options {
    pub inputs: Vec<PathBuf>,
    pub rules: Vec<PathBuf>,
    pub old_rules: Vec<PathBuf>,
    pub new_rules: Vec<PathBuf>,
    pub format: DiffFormat,
    pub max_per_rule: usize,
    pub allow_incomplete: bool,
}

/// The form of the command the inputs ask for.
enum Form {
    Reports,
    Packs,
    Submissions,
}

fn is_report(p: &Path) -> bool {
    p.extension()
        .is_some_and(|x| x.to_string_lossy().eq_ignore_ascii_case("json"))
}

fn mixed(msg: dudao::diag::Msg) -> Diag {
    Diag::new(Code::DiffMixedInputs, msg).help(m::mixed_inputs_help())
}

fn form(o: &Options) -> Result<Form, Diag> {
    let shown = |p: &Path| p.display().to_string();
    let reports: Vec<&PathBuf> = o.inputs.iter().filter(|p| is_report(p)).collect();
    let data: Vec<&PathBuf> = o.inputs.iter().filter(|p| !is_report(p)).collect();
    let packs = !o.old_rules.is_empty() || !o.new_rules.is_empty();
    if let (Some(r), Some(d)) = (reports.first(), data.first()) {
        return Err(mixed(m::mixed_json_and_data(&shown(r), &shown(d))));
    }
    if !reports.is_empty() {
        if packs || !o.rules.is_empty() {
            return Err(mixed(m::rules_with_reports()));
        }
        if o.allow_incomplete {
            return Err(mixed(m::option_with_reports("--allow-incomplete")));
        }
        if reports.len() != 2 {
            return Err(mixed(m::two_reports_needed(reports.len())));
        }
        return Ok(Form::Reports);
    }
    if packs {
        if o.old_rules.is_empty() {
            return Err(mixed(m::one_rules_side("--new-rules", "--old-rules")));
        }
        if o.new_rules.is_empty() {
            return Err(mixed(m::one_rules_side("--old-rules", "--new-rules")));
        }
        if !o.rules.is_empty() {
            return Err(mixed(m::rules_with_old_new()));
        }
        if data.is_empty() {
            return Err(mixed(m::no_submission()));
        }
        return Ok(Form::Packs);
    }
    if data.len() != 2 {
        return Err(mixed(m::two_submissions_needed(data.len())));
    }
    Ok(Form::Submissions)
}

pub fn run(ui: &Ui, o: &Options) -> ExitCode {
    let form = match form(o) {
        Ok(f) => f,
        Err(d) => {
            ui.diags(&[d]);
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let sides = match form {
        Form::Reports => read_reports(ui, o),
        Form::Packs => by_packs(ui, o),
        Form::Submissions => by_submissions(ui, o),
    };
    let Ok((old, new, kind)) = sides else {
        return ExitCode::from(EXIT_ERROR);
    };
    let diff = match review::compare(&old, &new) {
        Ok(d) => match kind {
            Some(k) => d.with_kind(k),
            None => d,
        },
        Err(d) => {
            ui.diags(&[*d]);
            return ExitCode::from(EXIT_ERROR);
        }
    };
    ui.diags(&diff.warnings());
    let text = match o.format {
        DiffFormat::Text => review::text::render(
            &diff,
            &review::text::TextOptions {
                max_per_rule: o.max_per_rule,
                lang: ui.lang,
            },
        ),
        DiffFormat::Json => json::to_json(&diff),
    };
    let mut out = super::out::Stdout::new();
    out.write(&text);
    if let Err(code) = out.finish(ui) {
        return code;
    }
    ExitCode::from(diff.summary.exit_code)
}

type Sides = Result<(Side, Side, Option<DiffKind>), ()>;

/// Form 1: the two report files, each read whole; the errors of both are
/// shown before giving up.
fn read_reports(ui: &Ui, o: &Options) -> Sides {
    let read = |p: &PathBuf| -> Result<Side, Box<Diag>> {
        let name = p.display().to_string();
        match std::fs::read(p) {
            Ok(bytes) => review::read_report(&name, &String::from_utf8_lossy(&bytes)),
            Err(e) => {
                let why = if e.kind() == std::io::ErrorKind::NotFound {
                    m::file_not_found()
                } else {
                    m::read_failed(&e.to_string())
                };
                Err(Box::new(
                    Diag::new(Code::DiffBadReport, m::bad_report(&name, &why))
                        .help(m::bad_report_help()),
                ))
            }
        }
    };
    let (Some(a), Some(b)) = (o.inputs.first(), o.inputs.get(1)) else {
        return Err(());
    };
    match (read(a), read(b)) {
        (Ok(old), Ok(new)) => Ok((old, new, None)),
        (old, new) => {
            let errors: Vec<Diag> = [old.err(), new.err()]
                .into_iter()
                .flatten()
                .map(|d| *d)
                .collect();
            ui.diags(&errors);
            Err(())
        }
    }
}

/// Form 2: each submission under the old and the new rule pack.
fn by_packs(ui: &Ui, o: &Options) -> Sides {
    let old_src: Vec<PackSource> = o.old_rules.iter().cloned().map(PackSource::Dir).collect();
    let new_src: Vec<PackSource> = o.new_rules.iter().cloned().map(PackSource::Dir).collect();
    let old_pack = super::load_pack(ui, &old_src);
    let new_pack = super::load_pack(ui, &new_src);
    let (Ok(old_pack), Ok(new_pack)) = (old_pack, new_pack) else {
        return Err(());
    };
    let batch = o.inputs.len() > 1;
    let labels = dudao::report::summary::labels(&o.inputs);
    let checked: Vec<(Checking, Checking)> = o
        .inputs
        .par_iter()
        .zip(&labels)
        .map(|(path, label)| {
            let label = batch.then_some(label.as_str());
            (
                check_one(&old_pack, path, label, o, ui.lang),
                check_one(&new_pack, path, label, o, ui.lang),
            )
        })
        .collect();
    let mut old_subs = Vec::new();
    let mut new_subs = Vec::new();
    for ((old, new), label) in checked.into_iter().zip(&labels) {
        // The data is the same on both sides: its warnings and errors are
        // shown once (the new side's only when the old side loaded).
        ui.diags(&old.warnings);
        report_errors(ui, label, &old);
        if old.errors.is_empty() {
            report_errors(ui, label, &new);
        }
        old_subs.push(old.side);
        new_subs.push(new.side);
    }
    let side = |src: &[PackSource], pack: &RulePack, submissions| Side {
        source: super::packs::label(src),
        batch,
        pack_hash: Some(pack.hash.clone()),
        submissions,
    };
    Ok((
        side(&old_src, &old_pack, old_subs),
        side(&new_src, &new_pack, new_subs),
        Some(DiffKind::Rules),
    ))
}

/// Form 3: two submissions of one district under one rule pack.
fn by_submissions(ui: &Ui, o: &Options) -> Sides {
    let src = super::packs::choose(ui, &o.rules, o.inputs.first().map(PathBuf::as_path))
        .map_err(|_| ())?;
    let pack = super::load_pack(ui, &src).map_err(|_| ())?;
    let (Some(a), Some(b)) = (o.inputs.first(), o.inputs.get(1)) else {
        return Err(());
    };
    let (old, new) = rayon::join(
        || check_one(&pack, a, None, o, ui.lang),
        || check_one(&pack, b, None, o, ui.lang),
    );
    let mut sides = Vec::new();
    for (c, path) in [(old, a), (new, b)] {
        ui.diags(&c.warnings);
        let label = dudao::report::summary::labels(std::slice::from_ref(path));
        report_errors(ui, label.first().map_or("", String::as_str), &c);
        sides.push(Side {
            source: path.display().to_string(),
            batch: false,
            pack_hash: Some(pack.hash.clone()),
            submissions: vec![c.side],
        });
    }
    let new = sides.pop().ok_or(())?;
    let old = sides.pop().ok_or(())?;
    Ok((old, new, None))
}

fn report_errors(ui: &Ui, label: &str, c: &Checking) {
    if !c.errors.is_empty() {
        ui.diags(&c.errors);
        if c.more > 0 {
            ui.say(&dudao::msg::cli::more_errors(c.more));
        }
        ui.say(&m::submission_failed(label, c.errors.len() + c.more));
    }
}

/// One submission checked under one pack, as its JSON report.
struct Checking {
    side: SubmissionSide,
    warnings: Vec<Diag>,
    errors: Vec<Diag>,
    /// Errors beyond those listed.
    more: usize,
}

fn check_one(
    pack: &RulePack,
    path: &Path,
    label: Option<&str>,
    o: &Options,
    lang: Lang,
) -> Checking {
    let loaded = match dudao::data::load_submission(&pack.schema, path) {
        Ok(l) => l,
        Err(e) => {
            let name = label.map_or_else(
                || {
                    dudao::report::summary::labels(&[path.to_path_buf()])
                        .pop()
                        .unwrap_or_default()
                },
                str::to_string,
            );
            return Checking {
                side: review::failed_submission(&name),
                warnings: e.warnings,
                errors: e.diags,
                more: e.more,
            };
        }
    };
    let sub = &loaded.submission;
    let results = dudao::eval::check(
        pack,
        sub,
        loaded.warnings.clone(),
        &dudao::eval::CheckOptions {
            allow_incomplete: o.allow_incomplete,
            year: None,
            distributions: false,
            ..Default::default()
        },
        &|| {},
    );
    let checked = Checked::new(pack, sub, &results);
    let report = json::build(&checked, lang);
    Checking {
        side: review::submission_of_report(&report, label),
        warnings: results.warnings.clone(),
        errors: Vec::new(),
        more: 0,
    }
}
