//! Which rule pack a command uses: `--rules DIR` (repeatable: layered in
//! order), else `DUDAO_RULES`, else `rules = "…"` in a `dudao.toml` in the
//! submission's folder or a folder above it, else `./rules` when it holds
//! rule files, else the pack embedded in the binary.

use dudao::check::PackSource;
use std::path::{Path, PathBuf};

/// The packs to read, in order, for `--rules` values `given` and the first
/// submission `first` (if any).
pub fn choose(given: &[PathBuf], first: Option<&Path>) -> Vec<PackSource> {
    if !given.is_empty() {
        return given.iter().cloned().map(PackSource::Dir).collect();
    }
    if let Some(env) = std::env::var_os("DUDAO_RULES").filter(|v| !v.is_empty()) {
        return vec![PackSource::Dir(PathBuf::from(env))];
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
            if let Some(rules) = std::fs::read_to_string(&file)
                .ok()
                .and_then(|t| rules_of(&t))
            {
                return rules.iter().map(|r| PackSource::Dir(dir.join(r))).collect();
            }
        }
    }
    let local = Path::new("rules");
    let has_rules = std::fs::read_dir(local).is_ok_and(|mut d| {
        d.any(|e| e.is_ok_and(|e| e.path().extension().is_some_and(|x| x == "dudao")))
    });
    if has_rules {
        return vec![PackSource::Dir(local.to_path_buf())];
    }
    vec![dudao::check::embedded_default()]
}

/// The value of `rules = "path"` or `rules = ["a", "b"]` in a dudao.toml.
fn rules_of(text: &str) -> Option<Vec<String>> {
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        let Some(value) = line.strip_prefix("rules").map(str::trim_start) else {
            continue;
        };
        let Some(value) = value.strip_prefix('=') else {
            continue;
        };
        let paths: Vec<String> = value
            .split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        return (!paths.is_empty()).then_some(paths);
    }
    None
}

/// How the packs are named in a message.
pub fn label(sources: &[PackSource]) -> String {
    sources
        .iter()
        .map(PackSource::label)
        .collect::<Vec<_>>()
        .join(" + ")
}
