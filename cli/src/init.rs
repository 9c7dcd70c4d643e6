//! `dudao init DIR`: writes a new local rule pack that imports the national
//! pack: one rule file (an override with its reason, an example rule with
//! its citation), one test case in the format of TESTCASES.md (a tiny
//! submission and its `expected.toml`), and a README in Chinese. The files
//! are those of `cli/src/init-template/`, built into the binary.

use super::{EXIT_ERROR, Ui};
use dudao::diag::{Code, Diag, escape_line};
use dudao::msg::cli as m;
use std::path::Path;
use std::process::ExitCode;

/// The files written, relative to DIR. `{DIR}` in the README becomes the
/// folder as given.
const FILES: &[(&str, &str)] = &[
    ("README.md", include_str!("init-template/README.md")),
    (
        "60-local.dudao",
        include_str!("init-template/60-local.dudao"),
    ),
    (
        "tests/小学班额/expected.toml",
        include_str!("init-template/tests/小学班额/expected.toml"),
    ),
    (
        "tests/小学班额/区县.csv",
        include_str!("init-template/tests/小学班额/区县.csv"),
    ),
    (
        "tests/小学班额/学校.csv",
        include_str!("init-template/tests/小学班额/学校.csv"),
    ),
    (
        "tests/小学班额/班级.csv",
        include_str!("init-template/tests/小学班额/班级.csv"),
    ),
    (
        "tests/小学班额/教师.csv",
        include_str!("init-template/tests/小学班额/教师.csv"),
    ),
];

/// Writes the new pack into `dir`, which must not exist or be empty.
pub fn run(ui: &Ui, dir: &Path) -> ExitCode {
    let shown = dir.display().to_string();
    let occupied = match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_some(),
        Err(_) => dir.exists(),
    };
    if occupied {
        ui.diags(
            &[Diag::new(Code::CliInitNotEmpty, m::init_not_empty(&shown))
                .help(m::init_not_empty_help())],
        );
        return ExitCode::from(EXIT_ERROR);
    }
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        let text = text.replace("{DIR}", &shown);
        let result = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, text));
        if let Err(e) = result {
            ui.diags(&[Diag::new(
                Code::CliWriteFailed,
                m::init_write_failed(&path.display().to_string(), &e.to_string()),
            )
            .help(m::init_write_failed_help())]);
            return ExitCode::from(EXIT_ERROR);
        }
        written.push(path.display().to_string());
    }
    let mut out = String::new();
    for w in &written {
        out.push_str(&escape_line(w));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&escape_line(ui.t(&m::init_done(&shown))));
    out.push('\n');
    super::out::print(ui, &out)
}
