//! `dudao generate`: its arguments and the one line it prints; the
//! generator itself is the library's `dudao::r#gen`, which neither parses
//! arguments nor prints.

use dudao::r#gen::{Options, Scale, Violations, generate, parse_scale};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// `dudao generate` arguments.
#[derive(clap::Args, Debug, Clone)]
pub struct GenerateArgs {
    /// Seed of the pseudo-random generator: the same arguments give
    /// byte-identical files.
    #[arg(long, default_value_t = 2021)]
    pub seed: u64,
    /// The report year (2020–2025): sizes follow the plan's table 2-1 for that year.
    #[arg(long, default_value_t = 2025, value_parser = clap::value_parser!(i32).range(2020..=2025))]
    pub year: i32,
    /// `district` (one 万州区-like district), `national` (~520,000 schools), or
    /// an integer N (N districts, for scaling curves).
    #[arg(long, default_value = "district", value_parser = parse_scale)]
    pub scale: Scale,
    /// `planted`: add the violations listed in 违规清单.md; `none`: fully compliant.
    #[arg(long, value_enum, default_value_t = ViolationsArg::Planted)]
    pub violations: ViolationsArg,
    /// The folder to write 学校.csv, 班级.csv, 教师.csv, 区县.csv and 违规清单.md to.
    pub out_dir: PathBuf,
}

/// Whether to plant violations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ViolationsArg {
    /// A fully compliant submission.
    None,
    /// The documented list (district), or ~2% of schools with one violation (national).
    Planted,
}

/// Runs `dudao generate`: writes the files and a one-line summary to stderr.
pub fn run(args: &GenerateArgs) -> ExitCode {
    let opts = Options {
        seed: args.seed,
        year: args.year,
        scale: args.scale,
        violations: match args.violations {
            ViolationsArg::None => Violations::None,
            ViolationsArg::Planted => Violations::Planted,
        },
    };
    let t0 = Instant::now();
    match generate(&opts, &args.out_dir) {
        Ok(s) => {
            eprintln!(
                "generated {}: 学校 {} rows, 班级 {} rows, 教师 {} rows, 区县 {} rows, {} planted violations; {:.1} MB in {:.2} s",
                args.out_dir.display(),
                s.schools,
                s.classes,
                s.teachers,
                s.district_rows,
                s.planted,
                s.bytes as f64 / 1e6,
                t0.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "error: cannot generate into `{}`: {e}",
                args.out_dir.display()
            );
            ExitCode::from(2)
        }
    }
}
