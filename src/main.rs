//! The `dudao` command line: argument parsing and glue. The work lives in the
//! library; this file loads, calls, prints and picks the exit code.

use clap::{Parser, Subcommand, ValueEnum};
use dudao::check::pack::RulePack;
use dudao::diag::Diag;
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The bundled submission `dudao check` runs on when none is given.
const DEFAULT_SUBMISSION: &str = "fixtures/submissions/violations";

#[derive(Parser)]
#[command(
    name = "dudao",
    version,
    about = "督导 — checks education data against the standards that plans and national rules set"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check one or more submissions against the rule pack.
    ///
    /// Exit code 0: no binding (约束性) failure; 1: binding failures; 2: the
    /// rules or a submission could not be loaded.
    Check {
        /// Submission folders (one CSV file per table) or Excel workbooks
        /// (.xlsx, .xls: one sheet per table). Defaults to the bundled example.
        submissions: Vec<PathBuf>,
        #[command(flatten)]
        rules: RulesArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Findings shown per rule in the text report before the rest are counted.
        #[arg(long, default_value_t = 10)]
        max_per_rule: usize,
        /// No progress bar (it is shown only when stderr is a terminal).
        #[arg(long, short)]
        quiet: bool,
    },
    /// List the rules of the rule pack: id, title, severity, citation.
    Rules {
        #[command(flatten)]
        rules: RulesArg,
    },
    /// List every quantitative target of the plan and the rules that check it
    /// (or why it cannot be checked from a submission).
    Coverage {
        #[command(flatten)]
        rules: RulesArg,
    },
    /// Write an empty submission to fill in: one sheet (xlsx) or CSV file per
    /// table, Chinese headers, and a row giving each column's type and unit.
    Template {
        /// The workbook (`模板.xlsx`) or, for CSV, the folder to write.
        out: PathBuf,
        /// `xlsx` or `csv`; by default xlsx if OUT ends in `.xlsx`, else csv.
        #[arg(long, value_enum)]
        format: Option<dudao::data::template::TemplateFormat>,
        #[command(flatten)]
        rules: RulesArg,
    },
    /// Show a rule: its text, its parameters and the quoted source sentence.
    Explain {
        /// The rule id, e.g. `A2.1`.
        rule: String,
        #[command(flatten)]
        rules: RulesArg,
    },
    /// Write a synthetic submission (deterministic; planted violations listed in 违规清单.md).
    Generate(dudao::r#gen::GenerateArgs),
}

#[derive(clap::Args)]
struct RulesArg {
    /// The rule pack folder (`.dudao` files).
    #[arg(long = "rules", value_name = "DIR", default_value = "rules")]
    dir: PathBuf,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let code = run();
    if std::env::var_os("DUDAO_TIMING").is_some() {
        eprintln!("timing total {:.3}s", started.elapsed().as_secs_f64());
    }
    code
}

fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            submissions,
            rules,
            format,
            max_per_rule,
            quiet,
        } => check(&rules.dir, submissions, format, max_per_rule, quiet),
        Command::Generate(args) => dudao::r#gen::run(&args),
        Command::Coverage { rules } => with_pack(&rules.dir, |pack| {
            print!("{}", dudao::report::listing::coverage(pack));
            ExitCode::SUCCESS
        }),
        Command::Rules { rules } => with_pack(&rules.dir, |pack| {
            print!("{}", dudao::report::listing::rules(pack));
            ExitCode::SUCCESS
        }),
        Command::Template { out, format, rules } => {
            with_pack(
                &rules.dir,
                |pack| match dudao::data::template::write_template(&pack.schema, format, &out) {
                    Ok(files) => {
                        for f in files {
                            println!("{}", f.display());
                        }
                        ExitCode::SUCCESS
                    }
                    Err(d) => {
                        print_diags(&[d]);
                        ExitCode::from(2)
                    }
                },
            )
        }
        Command::Explain { rule, rules } => with_pack(&rules.dir, |pack| {
            match dudao::report::listing::explain(pack, &rule) {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    print_diags(&[*d]);
                    ExitCode::from(2)
                }
            }
        }),
    }
}

fn with_pack(dir: &Path, f: impl FnOnce(&RulePack) -> ExitCode) -> ExitCode {
    match dudao::timing::phase("rule pack", || dudao::check::load_pack(dir)) {
        Ok(pack) => f(&pack),
        Err(diags) => {
            print_diags(&diags);
            eprintln!(
                "error: the rule pack in `{}` has {} error(s)",
                dir.display(),
                diags.len()
            );
            ExitCode::from(2)
        }
    }
}

fn print_diags(diags: &[Diag]) {
    let opts = dudao::diag::RenderOptions {
        lang: dudao::diag::Lang::from_env(),
        color: std::io::stderr().is_terminal(),
        width: 100,
    };
    let out = dudao::diag::render(diags, &opts);
    let _ = std::io::stderr().write_all(out.as_bytes());
}

/// What checking one submission produced.
enum Outcome {
    Checked {
        output: String,
        warnings: Vec<Diag>,
        row: dudao::report::summary::BatchRow,
    },
    Failed {
        diags: Vec<Diag>,
        warnings: Vec<Diag>,
        more: usize,
        row: dudao::report::summary::BatchRow,
    },
}

fn check(
    rules: &Path,
    mut submissions: Vec<PathBuf>,
    format: Format,
    max_per_rule: usize,
    quiet: bool,
) -> ExitCode {
    if submissions.is_empty() {
        submissions.push(PathBuf::from(DEFAULT_SUBMISSION));
    }
    with_pack(rules, |pack| {
        // One progress bar per submission, on stderr, only for a person at a terminal.
        let progress = if quiet || !std::io::stderr().is_terminal() {
            indicatif::MultiProgress::with_draw_target(indicatif::ProgressDrawTarget::hidden())
        } else {
            indicatif::MultiProgress::new()
        };
        let style = indicatif::ProgressStyle::with_template(
            "{prefix:>20} [{bar:30}] {pos}/{len} 条规则 {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> ");
        let bars: Vec<indicatif::ProgressBar> = submissions
            .iter()
            .map(|p| {
                let bar = progress.add(indicatif::ProgressBar::new(pack.rules.len() as u64));
                bar.set_style(style.clone());
                bar.set_prefix(p.display().to_string());
                bar.set_message("读取数据…");
                bar
            })
            .collect();
        // One submission: its memory is left to the operating system at exit.
        let single = submissions.len() == 1;
        let outcomes: Vec<Outcome> = submissions
            .par_iter()
            .zip(&bars)
            .map(|(p, bar)| {
                let o = check_one(pack, p, format, max_per_rule, bar, single);
                bar.finish_and_clear();
                o
            })
            .collect();
        let _ = progress.clear();
        let mut stdout = std::io::stdout().lock();
        let mut any_binding = false;
        let mut any_error = false;
        let many = outcomes.len() > 1;
        if format == Format::Json && many {
            let _ = writeln!(stdout, "[");
        }
        let mut rows = Vec::new();
        for (i, o) in outcomes.into_iter().enumerate() {
            match o {
                Outcome::Checked {
                    output,
                    warnings,
                    row,
                } => {
                    if format == Format::Text {
                        print_diags(&warnings);
                    }
                    any_binding |= row.binding_failures > 0;
                    if format == Format::Json && many {
                        let sep = if i + 1 < submissions.len() { "," } else { "" };
                        let _ = writeln!(stdout, "{}{sep}", output.trim_end());
                    } else {
                        let _ = stdout.write_all(output.as_bytes());
                    }
                    rows.push(row);
                }
                Outcome::Failed {
                    diags,
                    warnings,
                    more,
                    row,
                } => {
                    any_error = true;
                    let _ = stdout.flush();
                    // Warnings first: "`学生.csv` matches no table" often explains the errors.
                    print_diags(&warnings);
                    print_diags(&diags);
                    if more > 0 {
                        eprintln!("… and {more} more error(s)");
                    }
                    eprintln!(
                        "error: could not load the submission `{}` ({} error(s))",
                        row.name,
                        diags.len() + more
                    );
                    rows.push(row);
                }
            }
        }
        if format == Format::Json && many {
            let _ = writeln!(stdout, "]");
        }
        if many && format == Format::Text {
            let _ = write!(stdout, "\n{}", dudao::report::summary::render_batch(&rows));
        }
        if any_error {
            ExitCode::from(2)
        } else if any_binding {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    })
}

fn check_one(
    pack: &RulePack,
    path: &Path,
    format: Format,
    max_per_rule: usize,
    bar: &indicatif::ProgressBar,
    single: bool,
) -> Outcome {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    // DUDAO_TIMING=1 prints how long loading and evaluating took, on stderr.
    let timing = std::env::var_os("DUDAO_TIMING").is_some();
    let started = std::time::Instant::now();
    match dudao::data::load_submission(&pack.schema, path) {
        Ok(loaded) => {
            let sub = &loaded.submission;
            let loaded_at = started.elapsed();
            bar.set_message("评估规则…");
            let report = dudao::eval::evaluate_with(pack, sub, &|| bar.inc(1));
            if timing {
                eprintln!(
                    "timing {}: load {:.3}s, evaluate {:.3}s",
                    path.display(),
                    loaded_at.as_secs_f64(),
                    (started.elapsed() - loaded_at).as_secs_f64()
                );
            }
            let output = match format {
                Format::Text => {
                    let opts = dudao::report::text::TextOptions {
                        max_per_rule,
                        ..Default::default()
                    };
                    dudao::report::text::render(pack, sub, &report, &opts)
                }
                Format::Json => dudao::timing::phase("report", || {
                    dudao::report::json::render(pack, sub, &report)
                }),
            };
            let row = dudao::report::summary::BatchRow::from_report(pack, sub, &report);
            let warnings = loaded.warnings;
            if single {
                // The process ends after printing: the operating system takes
                // the memory back faster than freeing it piece by piece (0.5 s
                // of 2.6 GB at national scale).
                std::mem::forget(loaded.submission);
                std::mem::forget(report);
            }
            Outcome::Checked {
                output,
                warnings,
                row,
            }
        }
        Err(e) => {
            let row = dudao::report::summary::BatchRow::failed(
                &name,
                format!("{} 个数据错误", e.diags.len() + e.more),
            );
            Outcome::Failed {
                diags: e.diags,
                warnings: e.warnings,
                more: e.more,
                row,
            }
        }
    }
}
