//! `dudao completions SHELL` (clap_complete) and `dudao man` (clap_mangen):
//! both from the same command definition as the help, in the user's
//! language.

use super::{EXIT_ERROR, Ui, out};
use dudao::diag::{Code, Diag, escape_line};
use dudao::msg::cli as m;
use std::path::Path;
use std::process::ExitCode;

/// `dudao completions SHELL`: the completion script on stdout.
pub fn completions(ui: &Ui, mut cmd: clap::Command, shell: clap_complete::Shell) -> ExitCode {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "dudao", &mut buf);
    out::print(ui, &String::from_utf8_lossy(&buf))
}

/// `dudao man`: the man page of dudao on stdout, or with `--out DIR` one
/// page per command written into DIR (`dudao.1`, `dudao-check.1`, …).
pub fn man(ui: &Ui, cmd: clap::Command, dir: Option<&Path>) -> ExitCode {
    let page = |c: clap::Command| -> Vec<u8> {
        let mut buf = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = clap_mangen::Man::new(c).render(&mut buf);
        buf
    };
    let Some(dir) = dir else {
        return out::print(ui, &String::from_utf8_lossy(&page(cmd)));
    };
    let mut pages = vec![("dudao.1".to_string(), page(cmd.clone()))];
    for sub in cmd.get_subcommands() {
        let name = format!("dudao-{}", sub.get_name());
        pages.push((format!("{name}.1"), page(sub.clone().name(name))));
    }
    let mut list = String::new();
    for (file, text) in pages {
        let path = dir.join(&file);
        let result = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&path, text));
        if let Err(e) = result {
            ui.diags(&[Diag::new(
                Code::CliWriteFailed,
                m::init_write_failed(&path.display().to_string(), &e.to_string()),
            )
            .help(m::init_write_failed_help())]);
            return ExitCode::from(EXIT_ERROR);
        }
        list.push_str(&escape_line(&path.display().to_string()));
        list.push('\n');
    }
    out::print(ui, &list)
}
