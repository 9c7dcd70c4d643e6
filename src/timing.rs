//! Phase timings for the benchmark. The engine does not print: the program
//! that wants timings (the command line, with `DUDAO_TIMING=1` in the
//! environment) installs a sink with [`report_to`], and each timed phase
//! hands it `(phase, seconds)` when it ends. Without a sink, a phase costs
//! one atomic load.

use std::sync::OnceLock;
use std::time::Instant;

/// Where finished phases go: the phase's name and its seconds.
pub type Sink = fn(&str, f64);

static SINK: OnceLock<Sink> = OnceLock::new();

/// Sends every timed phase from now on to `sink`. Only the first call
/// counts (the program sets it once, at its start).
pub fn report_to(sink: Sink) {
    let _ = SINK.set(sink);
}

/// Runs `f`, reporting how long it took when a sink is installed.
pub fn phase<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let Some(sink) = SINK.get() else {
        return f();
    };
    let start = Instant::now();
    let out = f();
    sink(name, start.elapsed().as_secs_f64());
    out
}
