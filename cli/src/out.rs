//! Writing results: stdout is the result, so a failed write (a full disk,
//! `> /dev/full`) is an error with its own message and exit code, never a
//! silent success. A closed pipe (`dudao check | head`) is the reader's
//! choice: the rest is not written, quietly.

use super::{EXIT_ERROR, Ui};
use dudao::diag::{Code, Diag};
use dudao::msg::cli as m;
use std::io::{ErrorKind, Write};
use std::process::ExitCode;

/// stdout, remembering the first write error.
pub struct Stdout {
    out: std::io::StdoutLock<'static>,
    error: Option<std::io::Error>,
}

impl Stdout {
    pub fn new() -> Stdout {
        Stdout {
            out: std::io::stdout().lock(),
            error: None,
        }
    }

    /// Writes `s` unless an earlier write failed.
    pub fn write(&mut self, s: &str) {
        if self.error.is_none()
            && let Err(e) = self.out.write_all(s.as_bytes())
        {
            self.error = Some(e);
        }
    }

    /// Flushes, and turns a write error into its diagnostic and exit code:
    /// `Ok(())` when everything was written (or the reader closed the pipe).
    pub fn finish(mut self, ui: &Ui) -> Result<(), ExitCode> {
        if self.error.is_none()
            && let Err(e) = self.out.flush()
        {
            self.error = Some(e);
        }
        match self.error {
            None => Ok(()),
            Some(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
            Some(e) => {
                let d = Diag::new(
                    Code::CliWriteFailed,
                    m::write_failed(m::stdout_name().get(ui.lang), &e.to_string()),
                )
                .help(m::write_failed_help());
                ui.diags(&[d]);
                Err(ExitCode::from(EXIT_ERROR))
            }
        }
    }
}

/// Prints a whole result on stdout: exit 0, or 2 when it could not be written.
pub fn print(ui: &Ui, s: &str) -> ExitCode {
    let mut out = Stdout::new();
    out.write(s);
    match out.finish(ui) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

/// Writes to stderr; there is nowhere left to report a failure to.
pub fn stderr(s: &str) {
    let _ = std::io::stderr().lock().write_all(s.as_bytes());
}
