//! Which rule pack a command uses: `--rules DIR` (repeatable: layered in
//! order), else `DUDAO_RULES`, else `rules = "…"` in a `dudao.toml` in the
//! submission's folder or a folder above it, else `./rules` when it holds
//! rule files, else the pack embedded in the binary.

use super::Ui;
use dudao::check::PackSource;
use dudao::diag::{Code, Diag, source};
use dudao::msg::cli as m;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The packs to read, in order, for `--rules` values `given` and the first
/// submission `first` (if any). A `dudao.toml` that cannot be read is an
/// error (printed; the exit code is returned), an unknown setting in it a
/// warning.
pub fn choose(
    ui: &Ui,
    given: &[PathBuf],
    first: Option<&Path>,
) -> Result<Vec<PackSource>, ExitCode> {
    if !given.is_empty() {
        return Ok(given.iter().cloned().map(PackSource::Dir).collect());
    }
    if let Some(env) = std::env::var_os("DUDAO_RULES").filter(|v| !v.is_empty()) {
        return Ok(vec![PackSource::Dir(PathBuf::from(env))]);
    }
    let start = first
        .map(|p| {
            if p.is_dir() {
                p.to_path_buf()
            } else {
                p.parent().map(Path::to_path_buf).unwrap_or_default()
            }
        })
        .or_else(|| std::env::current_dir().ok());
    if let Some(start) = start.and_then(|s| std::fs::canonicalize(s).ok()) {
        for dir in start.ancestors() {
            let file = dir.join("dudao.toml");
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let (rules, diags) = read_config(&file.display().to_string(), &text);
            ui.diags(&diags);
            if diags.iter().any(|d| !d.warning) {
                return Err(ExitCode::from(super::EXIT_ERROR));
            }
            if !rules.is_empty() {
                return Ok(rules.iter().map(|r| PackSource::Dir(dir.join(r))).collect());
            }
        }
    }
    let local = Path::new("rules");
    let has_rules = std::fs::read_dir(local).is_ok_and(|mut d| {
        d.any(|e| e.is_ok_and(|e| e.path().extension().is_some_and(|x| x == "dudao")))
    });
    if has_rules {
        return Ok(vec![PackSource::Dir(local.to_path_buf())]);
    }
    Ok(vec![dudao::check::embedded_default()])
}

/// The `rules` of a dudao.toml named `name` (`rules = "path"` or
/// `rules = ["a", "b"]`), and what is wrong with the file: an error when it
/// is not TOML or `rules` is not paths, a warning per unknown setting.
pub fn read_config(name: &str, text: &str) -> (Vec<String>, Vec<Diag>) {
    let src = source(name, text);
    let table: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let d = Diag::new(Code::CliConfigInvalid, m::config_invalid(name))
                .label(span, m::config_invalid_label())
                .help(m::config_invalid_help())
                .source(&src);
            return (Vec::new(), vec![d]);
        }
    };
    let mut diags = Vec::new();
    let mut rules = Vec::new();
    // Where a key is written, for the label (the first line that starts with it).
    let span_of = |key: &str| -> std::ops::Range<usize> {
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let t = line.trim_start();
            if t.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('=') || r.starts_with('"'))
            {
                let start = at + (line.len() - t.len());
                return start..start + key.len();
            }
            at += line.len();
        }
        0..0
    };
    for (key, value) in &table {
        if key == "rules" {
            let paths: Option<Vec<String>> = match value {
                toml::Value::String(s) => Some(vec![s.clone()]),
                toml::Value::Array(a) => a
                    .iter()
                    .map(|v| v.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .filter(|v| !v.is_empty()),
                _ => None,
            };
            match paths {
                Some(p) => rules = p,
                None => diags.push(
                    Diag::new(Code::CliConfigInvalid, m::config_rules_type(name))
                        .label(span_of(key), m::config_rules_label())
                        .help(m::config_invalid_help())
                        .source(&src),
                ),
            }
            continue;
        }
        let help = match dudao::diag::did_you_mean(key, ["rules"]) {
            Some(s) => dudao::msg::check::did_you_mean(s),
            None => m::config_unknown_key_help(),
        };
        diags.push(
            Diag::new(Code::CliConfigUnknownKey, m::config_unknown_key(name, key))
                .label(span_of(key), m::config_unknown_key_label())
                .help(help)
                .source(&src)
                .warning(),
        );
    }
    (rules, diags)
}

/// How the packs are named in a message.
pub fn label(sources: &[PackSource]) -> String {
    sources
        .iter()
        .map(PackSource::label)
        .collect::<Vec<_>>()
        .join(" + ")
}
