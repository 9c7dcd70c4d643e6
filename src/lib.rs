//! dudao (督导): a rules and compliance checking engine for education inspection.
//!
//! The pipeline runs in one direction:
//!
//! ```text
//! rule files ─ syntax ─▶ syntax tree ─ check ─▶ RulePack (schema + compiled rules)
//! submission files ───────────────── data ──▶ Submission (columnar tables)
//! RulePack × Submission ──────────── eval ──▶ CheckReport (findings)
//! CheckReport ────────────────────── report ▶ terminal text / JSON
//! ```
//!
//! ```no_run
//! use std::path::Path;
//! let pack = dudao::check::load_pack(Path::new("rules")).expect("rule pack compiles");
//! let sub = dudao::data::load_submission(&pack.schema, Path::new("fixtures/submissions/compliant"))
//!     .expect("submission loads");
//! let report = dudao::eval::evaluate(&pack, &sub.submission);
//! print!("{}", dudao::report::text::render(&pack, &sub.submission, &report, &Default::default()));
//! ```

pub mod check;
pub mod data;
pub mod diag;
pub mod eval;
pub mod r#gen;
pub mod msg;
pub mod report;
pub mod schema;
pub mod syntax;
pub mod timing;

/// The engine version, recorded in JSON reports.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
