//! Phase timings for the benchmark: with `DUDAO_TIMING=1` in the environment,
//! each timed phase prints `timing <phase> <seconds>` on stderr when it ends.
//! Without it, a phase costs one relaxed atomic load.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("DUDAO_TIMING").is_some())
}

/// Runs `f`, printing how long it took when timing is on.
pub fn phase<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    eprintln!("timing {name} {:.3}s", start.elapsed().as_secs_f64());
    out
}
