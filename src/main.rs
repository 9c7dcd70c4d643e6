//! The `dudao` command line. The arguments, their help and the commands'
//! glue are in `cli/`; the work lives in the library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let code = cli::run();
    if std::env::var_os("DUDAO_TIMING").is_some() {
        eprintln!("timing total {:.3}s", started.elapsed().as_secs_f64());
    }
    code
}
