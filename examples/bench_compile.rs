//! Rule-pack compile time: loads and compiles `rules/` (read the files,
//! parse, check, compile, verify quotes against the seed) N times in one
//! process and prints the first (cold) and the median and fastest of the
//! rest. Part of the benchmark (`bench/district.sh`), not a test.
//!
//! ```sh
//! cargo run --release --example bench_compile [-- RULES_DIR [N]]
//! ```

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "rules".to_string()));
    let n: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50)
        .max(2);
    let mut times = Vec::with_capacity(n);
    let mut rules = 0;
    for _ in 0..n {
        let t = Instant::now();
        match dudao::check::load_pack(&dir) {
            Ok(pack) => rules = pack.rules.len(),
            Err(diags) => {
                eprint!("{}", dudao::diag::render_plain(&diags));
                std::process::exit(2);
            }
        }
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let cold = times.first().copied().unwrap_or(0.0);
    let mut warm: Vec<f64> = times.iter().skip(1).copied().collect();
    warm.sort_by(f64::total_cmp);
    let median = warm.get(warm.len() / 2).copied().unwrap_or(0.0);
    let fastest = warm.first().copied().unwrap_or(0.0);
    println!(
        "rule pack `{}`: {rules} rules; compile: first {cold:.2} ms, then median {median:.2} ms, fastest {fastest:.2} ms ({} runs)",
        dir.display(),
        n - 1
    );
}
