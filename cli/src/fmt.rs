//! `dudao fmt`: lays out rule files (`dudao::syntax::fmt`), checks or shows
//! the changes, and rewrites files atomically (a temporary file beside the
//! file, then a rename).

use super::{EXIT_ERROR, Ui, out};
use dudao::diag::{Code, Diag, escape_line};
use dudao::msg::cli as mc;
use dudao::msg::fmt as m;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub struct Options {
    /// The `--rules` folders (none: `rules/`).
    pub rules: Vec<PathBuf>,
    pub files: Vec<PathBuf>,
    pub check: bool,
    pub diff: bool,
}

/// The `.dudao` files of a folder and its subfolders (hidden ones skipped), in name order.
fn collect(path: &Path, found: &mut Vec<PathBuf>, errors: &mut Vec<Diag>) {
    if !path.is_dir() {
        found.push(path.to_path_buf());
        return;
    }
    let entries = match std::fs::read_dir(path) {
        Ok(e) => e,
        Err(e) => {
            errors.push(read_error(path, &e.to_string()));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let hidden = p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            collect(&p, found, errors);
        } else if p.extension().is_some_and(|e| e == "dudao") {
            found.push(p);
        }
    }
}

fn read_error(path: &Path, error: &str) -> Diag {
    Diag::new(
        Code::RulesIo,
        m::read_failed(&path.display().to_string(), error),
    )
    .help(m::read_failed_help())
}

/// Writes `text` to `path` through a temporary file in the same folder.
fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.fmt-tmp"));
    std::fs::write(&tmp, text)?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

pub fn run(ui: &Ui, opts: &Options) -> ExitCode {
    let roots = if !opts.files.is_empty() {
        opts.files.clone()
    } else if opts.rules.is_empty() {
        // A checkout of this repository: the plan pack and the national one.
        ["rules", "national"]
            .iter()
            .map(PathBuf::from)
            .filter(|p| p.is_dir() || p.as_os_str() == "rules")
            .collect()
    } else {
        opts.rules.clone()
    };
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for r in &roots {
        let before = files.len();
        collect(r, &mut files, &mut errors);
        if r.is_dir() && files.len() == before {
            errors.push(
                Diag::new(Code::RulesEmpty, m::no_rule_files(&r.display().to_string()))
                    .help(m::no_rule_files_help()),
            );
        }
    }
    let mut stdout = out::Stdout::new();
    let (mut changed, mut broken) = (0usize, 0usize);
    for path in &files {
        let shown = path.display().to_string();
        let text = match std::fs::read(path).map(String::from_utf8) {
            Ok(Ok(t)) => t,
            Ok(Err(e)) => {
                errors.push(read_error(path, &e.to_string()));
                continue;
            }
            Err(e) => {
                errors.push(read_error(path, &e.to_string()));
                continue;
            }
        };
        let formatted = match dudao::syntax::fmt::format(&shown, &text) {
            Ok(f) => f,
            Err(d) => {
                broken += 1;
                errors.extend(d);
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        changed += 1;
        if opts.diff {
            let diff = similar::TextDiff::from_lines(&text, &formatted);
            let udiff = diff
                .unified_diff()
                .context_radius(3)
                .header(&shown, &shown)
                .to_string();
            stdout.write(&dudao::diag::escape(&udiff));
        }
        if opts.check {
            stdout.write(&format!(
                "{}\n",
                escape_line(ui.t(&m::would_change(&shown)))
            ));
        }
        if !opts.check && !opts.diff {
            match write_atomic(path, &formatted) {
                Ok(()) => ui.say(&m::formatted(&shown)),
                Err(e) => errors.push(
                    Diag::new(
                        Code::CliWriteFailed,
                        mc::write_failed(ui.t(&mc::file_name(&shown)), &e.to_string()),
                    )
                    .help(mc::write_failed_help()),
                ),
            }
        }
    }
    if let Err(code) = stdout.finish(ui) {
        return code;
    }
    ui.diags(&errors);
    if broken > 0 {
        ui.say(&m::not_formatted_errors(broken));
    }
    if !errors.is_empty() {
        return ExitCode::from(EXIT_ERROR);
    }
    if opts.check || opts.diff {
        if changed > 0 {
            ui.say(&m::check_summary(changed));
            return ExitCode::from(1);
        }
        ui.say(&m::all_formatted(files.len()));
    }
    ExitCode::SUCCESS
}
