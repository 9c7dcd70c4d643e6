//! The `dudao` command line: the arguments (clap), their help in the user's
//! language, argument errors in words an inspector reads, and dispatch to
//! the commands. The work lives in the engine library (`dudao`) and the
//! generator (`dudao_gen`).
//!
//! clap writes its own help headings and errors in English; dudao's users
//! read Chinese. The structure of the arguments is clap's (derive); every
//! text a user reads is set here from the message table (`dudao::msg::cli`),
//! so help and errors come in the language chosen with `--lang` (or
//! `DUDAO_LANG`, or the locale).

mod check;
mod diff;
mod fmt;
mod generate;
mod init;
mod out;
mod packs;
mod shell_docs;
mod test;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use dudao::diag::{Diag, Lang, Msg, RenderOptions, escape_line};
use dudao::msg::cli as m;
use dudao::pack::RulePack;
use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// What kind of template to write (`dudao template --format`): the
/// engine's `dudao::data::template::TemplateFormat`, as an argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TemplateFormat {
    /// One workbook, one sheet per table.
    Xlsx,
    /// A folder, one CSV file (UTF-8 with BOM, as Excel reads it) per table.
    Csv,
}

impl TemplateFormat {
    fn engine(self) -> dudao::data::template::TemplateFormat {
        match self {
            TemplateFormat::Xlsx => dudao::data::template::TemplateFormat::Xlsx,
            TemplateFormat::Csv => dudao::data::template::TemplateFormat::Csv,
        }
    }
}

/// Exit code for errors: the rules, a submission or the output could not
/// be handled, or the command line is wrong.
pub const EXIT_ERROR: u8 = 2;

#[derive(Parser)]
#[command(name = "dudao", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[arg(long, global = true, value_name = "zh|en")]
    lang: Option<String>,
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// When to colour the output (`--color`).
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    /// When the stream is a terminal and `NO_COLOR` is not set.
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that is (or is not) a terminal.
    pub fn on(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// How `check` groups the findings of its text report (`--by`).
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum By {
    Rule,
    School,
}

#[derive(Subcommand)]
enum Command {
    Check {
        #[arg(value_name = "SUBMISSION")]
        submissions: Vec<PathBuf>,
        #[command(flatten)]
        rules: RulesArg,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[arg(long, default_value_t = 10, value_name = "N")]
        max_per_rule: usize,
        #[arg(long, short)]
        quiet: bool,
        #[arg(long)]
        allow_incomplete: bool,
        #[arg(long, value_name = "YEAR", value_parser = clap::value_parser!(i32).range(1900..=2100))]
        year: Option<i32>,
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = By::Rule)]
        by: By,
    },
    Rules {
        #[command(flatten)]
        rules: RulesArg,
    },
    Coverage {
        #[command(flatten)]
        rules: RulesArg,
    },
    Template {
        #[arg(value_name = "OUT")]
        out: PathBuf,
        #[arg(long, value_enum)]
        format: Option<TemplateFormat>,
        #[command(flatten)]
        rules: RulesArg,
    },
    Explain {
        #[arg(value_name = "RULE_ID")]
        rule: String,
        #[command(flatten)]
        rules: RulesArg,
    },
    Generate(generate::GenerateArgs),
    Test {
        #[arg(value_name = "CASE")]
        cases: Vec<String>,
        #[arg(long)]
        accept: bool,
        #[arg(long)]
        coverage: bool,
        #[command(flatten)]
        rules: RulesArg,
    },
    Fmt {
        #[arg(value_name = "FILES")]
        files: Vec<PathBuf>,
        #[arg(long)]
        check: bool,
        #[arg(long)]
        diff: bool,
        #[command(flatten)]
        rules: RulesArg,
    },
    Diff {
        #[arg(value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        rules: RulesArg,
        #[arg(long = "old-rules", value_name = "DIR")]
        old_rules: Vec<PathBuf>,
        #[arg(long = "new-rules", value_name = "DIR")]
        new_rules: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = diff::DiffFormat::Text)]
        format: diff::DiffFormat,
        #[arg(long, default_value_t = 10, value_name = "N")]
        max_per_rule: usize,
        #[arg(long)]
        allow_incomplete: bool,
    },
    Init {
        #[arg(value_name = "DIR")]
        init_dir: PathBuf,
    },
    Completions {
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    Man {
        #[arg(long = "out", value_name = "DIR")]
        man_out: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct RulesArg {
    #[arg(long = "rules", value_name = "DIR")]
    dir: Vec<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Html,
    Xlsx,
}

/// The language asked for on the command line (`--lang X` or `--lang=X`),
/// else by the environment. Read before clap parses, so that clap's own
/// messages are in that language too.
fn lang_of(args: &[OsString]) -> Result<Lang, String> {
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        let a = a.to_string_lossy();
        let value = if a == "--lang" {
            it.next().map(|v| v.to_string_lossy().into_owned())
        } else {
            a.strip_prefix("--lang=").map(str::to_string)
        };
        if let Some(v) = value {
            return Lang::parse(&v).ok_or(v);
        }
        if a == "--" {
            break;
        }
    }
    Ok(Lang::from_env())
}

/// The help text of an argument (by its command and id) or of a command (by
/// its name, with no id).
fn help_of(cmd: &str, id: &str) -> Option<Msg> {
    Some(match (cmd, id) {
        ("generate", "seed") => m::gen_seed(),
        ("generate", "year") => m::gen_year(),
        ("generate", "scale") => m::gen_scale(),
        ("generate", "violations") => m::gen_violations(),
        ("generate", "out_dir") => m::gen_out(),
        ("template", "format") => m::template_format(),
        ("template", "out") => m::template_out(),
        ("fmt", "check") => dudao::msg::fmt::fmt_check(),
        ("fmt", "diff") => dudao::msg::fmt::fmt_diff(),
        ("fmt", "files") => dudao::msg::fmt::fmt_files(),
        ("diff", "inputs") => dudao::msg::diff::diff_inputs(),
        ("diff", "old_rules") => dudao::msg::diff::diff_old_rules(),
        ("diff", "new_rules") => dudao::msg::diff::diff_new_rules(),
        ("diff", "format") => dudao::msg::diff::diff_format(),
        ("diff", "max_per_rule") => dudao::msg::diff::diff_max(),
        ("test", "cases") => dudao::msg::cases::test_cases(),
        ("test", "accept") => dudao::msg::cases::test_accept(),
        ("test", "coverage") => dudao::msg::cases::test_coverage(),
        (_, id) => return help_of_id(id),
    })
}

fn help_of_id(id: &str) -> Option<Msg> {
    Some(match id {
        "lang" => m::help_lang(),
        "dir" => m::help_rules(),
        "check" => m::cmd_check(),
        "submissions" => m::check_submissions(),
        "format" => m::check_format(),
        "max_per_rule" => m::check_max(),
        "quiet" => m::check_quiet(),
        "allow_incomplete" => m::check_allow_incomplete(),
        "year" => m::check_year(),
        "out" => m::check_out(),
        "output" => m::check_output(),
        "by" => m::check_by(),
        "color" => m::help_color(),
        "rules" => m::cmd_rules(),
        "coverage" => m::cmd_coverage(),
        "template" => m::cmd_template(),
        "explain" => m::cmd_explain(),
        "rule" => m::explain_rule(),
        "generate" => m::cmd_generate(),
        "fmt" => dudao::msg::fmt::cmd_fmt(),
        "diff" => dudao::msg::diff::cmd_diff(),
        "init" => m::cmd_init(),
        "init_dir" => m::init_dir(),
        "completions" => m::cmd_completions(),
        "shell" => m::completions_shell(),
        "man" => m::cmd_man(),
        "man_out" => m::man_out(),
        "test" => dudao::msg::cases::cmd_test(),
        _ => return None,
    })
}

/// A placeholder of the help (`<DIR>`) in `lang`.
fn value_name(name: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return name.to_string();
    }
    match name {
        "SUBMISSION" => "提交",
        "DIR" => "文件夹",
        "N" => "数量",
        "YEAR" => "年份",
        "OUT" => "输出",
        "OUT_DIR" => "输出文件夹",
        "RULE_ID" => "规则编号",
        "SHELL" => "命令行",
        "FILES" => "文件",
        "CASE" => "用例",
        "FORMAT" => "格式",
        "SEED" => "种子",
        "SCALE" => "规模",
        "VIOLATIONS" => "违规",
        "INPUT" => "输入",
        other => other,
    }
    .to_string()
}

/// The command with every help text in `lang`.
fn command(lang: Lang) -> clap::Command {
    let t = |msg: Msg| msg.get(lang).to_string();
    let template = format!(
        "{{about-with-newline}}\n{}: {{usage}}\n\n{}:\n{{subcommands}}\n\n{}:\n{{options}}\n",
        t(m::help_usage()),
        t(m::help_commands()),
        t(m::help_options())
    );
    let sub_template = format!(
        "{{about-with-newline}}\n{}: {{usage}}\n\n{}:\n{{positionals}}\n\n{}:\n{{options}}\n",
        t(m::help_usage()),
        t(m::help_arguments()),
        t(m::help_options())
    );
    let leaf_template = format!(
        "{{about-with-newline}}\n{}: {{usage}}\n\n{}:\n{{options}}\n",
        t(m::help_usage()),
        t(m::help_options())
    );
    let localize = |mut c: clap::Command, template: &str, usage: String| -> clap::Command {
        let ids: Vec<String> = c
            .get_arguments()
            .map(|a| a.get_id().as_str().to_string())
            .collect();
        let name = c.get_name().to_string();
        for id in ids {
            if let Some(h) = help_of(&name, &id) {
                let mut h = t(h);
                // clap writes "[default: …] [possible values: …]" in English;
                // say it in the help text instead.
                if let Some(a) = c.get_arguments().find(|a| a.get_id() == id.as_str()) {
                    let defaults: Vec<String> = a
                        .get_default_values()
                        .iter()
                        .map(|v| v.to_string_lossy().into_owned())
                        .collect();
                    let possible: Vec<String> = a
                        .get_possible_values()
                        .iter()
                        .map(|v| v.get_name().to_string())
                        .collect();
                    if !defaults.is_empty() && a.get_action().takes_values() {
                        h.push_str(&t(m::help_default(&defaults.join(", "))));
                    }
                    if !possible.is_empty() && a.get_action().takes_values() {
                        h.push_str(&t(m::help_possible(&possible.join(", "))));
                    }
                }
                let value_names: Vec<String> = c
                    .get_arguments()
                    .find(|a| a.get_id() == id.as_str())
                    .and_then(|a| a.get_value_names())
                    .map(|v| v.iter().map(|n| value_name(n.as_str(), lang)).collect())
                    .unwrap_or_default();
                c = c.mut_arg(id, move |a| {
                    // Clap (in debug builds) refuses hiding the values of a flag.
                    let takes = a.get_action().takes_values();
                    let a = a.help(h);
                    let a = if takes {
                        a.hide_default_value(true).hide_possible_values(true)
                    } else {
                        a
                    };
                    if value_names.is_empty() {
                        a
                    } else {
                        a.value_names(value_names)
                    }
                });
            }
        }
        if let Some(h) = help_of_id(&name) {
            c = c.about(t(h));
        }
        c.help_template(template.to_string())
            .override_usage(usage.clone())
            .disable_help_flag(true)
            .arg(
                clap::Arg::new("help")
                    .short('h')
                    .long("help")
                    .action(ArgAction::Help)
                    .help(t(m::help_help())),
            )
    };
    let usage_of = |c: &clap::Command, bin: &str| -> String {
        let u = c.clone().bin_name(bin).render_usage().to_string();
        let u = u.trim();
        let u = u
            .strip_prefix("Usage:")
            .map_or(u, str::trim_start)
            .to_string();
        match lang {
            Lang::Zh => u
                .replace("[OPTIONS]", "[选项]")
                .replace("<COMMAND>", "<命令>")
                .replace("[SUBMISSION]", "[提交]")
                .replace("<OUT>", "<输出>")
                .replace("<OUT_DIR>", "<输出文件夹>")
                .replace("<RULE_ID>", "<规则编号>")
                .replace("[INPUT]", "[输入]")
                .replace("<DIR>", "<文件夹>")
                .replace("<SHELL>", "<命令行>")
                .replace("[CASE]", "[用例]"),
            Lang::En => u,
        }
    };
    let top = Cli::command();
    let top_usage = usage_of(&top, "dudao");
    let mut cmd = localize(top, &template, top_usage)
        .about(t(m::about()))
        .version(version_text(lang))
        .disable_version_flag(true)
        .disable_help_subcommand(true)
        .arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(t(m::help_version())),
        );
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, |s| {
            let has_positionals = s.get_positionals().next().is_some();
            let tpl = if has_positionals {
                &sub_template
            } else {
                &leaf_template
            };
            let usage = usage_of(&s, &format!("dudao {name}"));
            localize(s, tpl, usage)
        });
    }
    cmd
}

/// `dudao --version`: the version and the embedded packs with their short hashes.
fn version_text(lang: Lang) -> String {
    let packs: Vec<String> = dudao::check::embedded_hashes()
        .iter()
        .map(|(name, hash)| format!("{name} {hash}"))
        .collect();
    m::version_text(env!("CARGO_PKG_VERSION"), &packs.join(", "))
        .get(lang)
        .to_string()
}

/// Runs the command line.
fn run() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let lang = match lang_of(&args) {
        Ok(l) => l,
        Err(v) => {
            eprintln!("{}", escape_line(m::arg_bad_lang(&v).get(Lang::Zh)));
            eprintln!("{}", escape_line(m::arg_bad_lang(&v).get(Lang::En)));
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let mut cmd = command(lang);
    let matches = match cmd.try_get_matches_from_mut(&args) {
        Ok(m) => m,
        Err(e) => return argument_error(e, lang),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return argument_error(e.with_cmd(&cmd), lang),
    };
    let ui = Ui {
        lang,
        color: cli.color.on(std::io::stderr().is_terminal()),
        stdout_color: cli.color.on(std::io::stdout().is_terminal()),
        width: std::io::stdout()
            .is_terminal()
            .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
            .flatten(),
    };
    match cli.command {
        Command::Check {
            submissions,
            rules,
            format,
            max_per_rule,
            quiet,
            allow_incomplete,
            year,
            out,
            output,
            by,
        } => match packs::choose(&ui, &rules.dir, submissions.first().map(PathBuf::as_path)) {
            Err(code) => code,
            Ok(rules) => check::run(
                &ui,
                &check::Options {
                    rules,
                    submissions,
                    format,
                    max_per_rule,
                    quiet,
                    allow_incomplete,
                    year,
                    out,
                    output,
                    by,
                },
            ),
        },
        Command::Generate(args) => generate::run(&args),
        Command::Fmt {
            files,
            check,
            diff,
            rules,
        } => fmt::run(
            &ui,
            &fmt::Options {
                rules: rules.dir,
                files,
                check,
                diff,
            },
        ),
        Command::Diff {
            inputs,
            rules,
            old_rules,
            new_rules,
            format,
            max_per_rule,
            allow_incomplete,
        } => diff::run(
            &ui,
            &diff::Options {
                inputs,
                rules: rules.dir,
                old_rules,
                new_rules,
                format,
                max_per_rule,
                allow_incomplete,
            },
        ),
        Command::Test {
            cases,
            accept,
            coverage,
            rules,
        } => test::run(
            &ui,
            &test::Options {
                rules: match packs::choose(&ui, &rules.dir, None) {
                    Ok(s) => s,
                    Err(code) => return code,
                },
                filters: cases,
                accept,
                coverage,
            },
        ),
        Command::Coverage { rules } => with_rules(&ui, &rules.dir, |pack| {
            out::print(
                &ui,
                &dudao::diag::escape(&dudao::report::listing::coverage(pack)),
            )
        }),
        Command::Rules { rules } => with_rules(&ui, &rules.dir, |pack| {
            out::print(
                &ui,
                &dudao::diag::escape(&dudao::report::listing::rules(pack)),
            )
        }),
        Command::Template { out, format, rules } => {
            with_rules(
                &ui,
                &rules.dir,
                |pack| match dudao::data::template::write_template(
                    &pack.schema,
                    format.map(TemplateFormat::engine),
                    &out,
                ) {
                    Ok(files) => {
                        let list: String = files
                            .iter()
                            .map(|f| format!("{}\n", escape_line(&f.display().to_string())))
                            .collect();
                        out::print(&ui, &list)
                    }
                    Err(d) => {
                        ui.diags(&[d]);
                        ExitCode::from(EXIT_ERROR)
                    }
                },
            )
        }
        Command::Init { init_dir } => init::run(&ui, &init_dir),
        Command::Completions { shell } => shell_docs::completions(&ui, command(ui.lang), shell),
        Command::Man { man_out } => shell_docs::man(&ui, command(ui.lang), man_out.as_deref()),
        Command::Explain { rule, rules } => {
            with_rules(
                &ui,
                &rules.dir,
                |pack| match dudao::report::listing::explain(pack, &rule) {
                    Ok(text) => out::print(&ui, &dudao::diag::escape(&text)),
                    Err(d) => {
                        ui.diags(&[*d]);
                        ExitCode::from(EXIT_ERROR)
                    }
                },
            )
        }
    }
}

/// How to talk to the user: language and colour.
pub struct Ui {
    pub lang: Lang,
    /// Colour on stderr (diagnostics).
    pub color: bool,
    /// Colour on stdout (the text report).
    pub stdout_color: bool,
    /// The terminal's width, when stdout is a terminal.
    pub width: Option<usize>,
}

impl Ui {
    /// Prints diagnostics on stderr.
    pub fn diags(&self, diags: &[Diag]) {
        if diags.is_empty() {
            return;
        }
        let opts = RenderOptions {
            lang: self.lang,
            color: self.color,
            width: 100,
        };
        out::stderr(&dudao::diag::render(diags, &opts));
    }

    /// A message in the user's language.
    pub fn t<'a>(&self, msg: &'a Msg) -> &'a str {
        msg.get(self.lang)
    }

    /// Prints one line on stderr (escaped).
    pub fn say(&self, msg: &Msg) {
        out::stderr(&format!("{}\n", escape_line(self.t(msg))));
    }
}

/// Chooses the packs (`--rules` values `given`, else DUDAO_RULES, …) and
/// runs `f` on them, or prints the errors and exits 2.
fn with_rules(ui: &Ui, given: &[PathBuf], f: impl FnOnce(&RulePack) -> ExitCode) -> ExitCode {
    match packs::choose(ui, given, None) {
        Ok(sources) => with_pack(ui, &sources, f),
        Err(code) => code,
    }
}

/// Loads the rule pack, or prints its errors and exits 2.
pub fn with_pack(
    ui: &Ui,
    dir: &[dudao::check::PackSource],
    f: impl FnOnce(&RulePack) -> ExitCode,
) -> ExitCode {
    match load_pack(ui, dir) {
        Ok(pack) => f(&pack),
        Err(code) => code,
    }
}

/// Loads the rule pack, or prints its errors and returns the exit code.
pub fn load_pack(ui: &Ui, dir: &[dudao::check::PackSource]) -> Result<RulePack, ExitCode> {
    match dudao::timing::phase("rule pack", || dudao::check::load_packs(dir)) {
        Ok(pack) => {
            ui.diags(&pack.warnings);
            Ok(pack)
        }
        Err(diags) => {
            ui.diags(&diags);
            ui.say(&m::rules_failed(&packs::label(dir), diags.len()));
            Err(ExitCode::from(EXIT_ERROR))
        }
    }
}

/// An argument error (or `--help`/`--version`), in the user's language.
fn argument_error(e: clap::Error, lang: Lang) -> ExitCode {
    let kind = e.kind();
    if matches!(kind, ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        return match e.print() {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(EXIT_ERROR),
        };
    }
    if kind == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let _ = e.print();
        return ExitCode::from(EXIT_ERROR);
    }
    if lang == Lang::En {
        let _ = e.print();
        return ExitCode::from(EXIT_ERROR);
    }
    let ctx = |k: ContextKind| -> Option<String> {
        match e.get(k)? {
            ContextValue::String(s) => Some(s.clone()),
            ContextValue::Strings(v) => Some(v.join("、")),
            ContextValue::StyledStr(s) => Some(s.to_string()),
            ContextValue::StyledStrs(v) => Some(
                v.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
            ContextValue::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let arg = ctx(ContextKind::InvalidArg).unwrap_or_default();
    let mut lines: Vec<Msg> = Vec::new();
    match kind {
        ErrorKind::UnknownArgument => {
            lines.push(m::arg_unknown(&arg));
            if let Some(s) = ctx(ContextKind::SuggestedArg) {
                lines.push(m::arg_suggest(&s));
            }
        }
        ErrorKind::InvalidSubcommand => {
            lines.push(m::arg_unknown_command(
                &ctx(ContextKind::InvalidSubcommand).unwrap_or_default(),
            ));
            if let Some(s) = ctx(ContextKind::SuggestedSubcommand) {
                lines.push(m::arg_suggest(&s));
            }
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let value = ctx(ContextKind::InvalidValue).unwrap_or_default();
            lines.push(m::arg_invalid_value(&value, &arg));
            if let Some(v) = ctx(ContextKind::ValidValue) {
                lines.push(m::arg_valid_values(&v));
            } else if let Some(src) = std::error::Error::source(&e) {
                lines.push(Msg::verbatim(src.to_string()));
            }
        }
        ErrorKind::MissingRequiredArgument => lines.push(m::arg_missing(&arg)),
        ErrorKind::MissingSubcommand => lines.push(m::arg_missing_command()),
        ErrorKind::NoEquals | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            lines.push(m::arg_missing_value(&arg))
        }
        ErrorKind::ArgumentConflict => lines.push(m::arg_conflict(
            &arg,
            &ctx(ContextKind::PriorArg).unwrap_or_default(),
        )),
        ErrorKind::TooManyValues => lines.push(m::arg_repeated(&arg)),
        _ => {
            let text = e
                .kind()
                .as_str()
                .map_or_else(|| e.to_string(), str::to_string);
            lines.push(m::arg_other(&text));
        }
    }
    let mut text = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i == 0 {
            text.push_str(m::error_prefix().get(lang));
        } else {
            text.push_str("  ");
        }
        text.push_str(&escape_line(l.get(lang)));
        text.push('\n');
    }
    if let Some(u) = ctx(ContextKind::Usage) {
        let u = u.trim();
        let u = u.strip_prefix("Usage:").map_or(u, str::trim_start);
        text.push_str(&format!("\n{}: {}\n", m::help_usage().get(lang), u));
    }
    text.push_str(&format!("\n{}\n", m::arg_more_help("dudao").get(lang)));
    out::stderr(&text);
    ExitCode::from(EXIT_ERROR)
}

/// With `DUDAO_TIMING=1`, each phase of the engine and the whole run print
/// `timing <phase> <seconds>` on stderr (for the benchmark).
fn main() -> ExitCode {
    let timing = std::env::var_os("DUDAO_TIMING").is_some();
    if timing {
        dudao::timing::report_to(|name, secs| eprintln!("timing {name} {secs:.3}s"));
    }
    let started = std::time::Instant::now();
    let code = run();
    if timing {
        eprintln!("timing total {:.3}s", started.elapsed().as_secs_f64());
    }
    code
}
