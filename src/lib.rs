//! dudao (督导): a rules and compliance checking engine for education inspection.
//!
//! The pipeline runs in one direction:
//!
//! ```text
//! rule files ─ syntax ─▶ syntax tree ─ check ─▶ RulePack (schema + compiled rules)
//! submission files ───────────────── data ──▶ Submission (columnar tables)
//! RulePack × Submission ──────────── eval ──▶ CheckReport (findings)
//! CheckReport ────────────────────── report ▶ verdict, terminal text / JSON
//! ```
//!
//! ```
//! # std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
//! use std::path::Path;
//! let pack = dudao::check::load_pack(Path::new("rules")).expect("rule pack compiles");
//! let loaded = dudao::data::load_submission(&pack.schema, Path::new("fixtures/submissions/violations"))
//!     .expect("submission loads");
//! let sub = &loaded.submission;
//! // Completeness first: incomplete data is never checked as if it were whole.
//! let results = dudao::eval::check(&pack, sub, loaded.warnings.clone(), &Default::default(), &|| {});
//! let checked = dudao::report::Checked::new(&pack, sub, &results);
//! assert_eq!(checked.verdict(), dudao::report::Verdict::Fail);
//! let text = dudao::report::text::render(&checked, &Default::default());
//! assert!(text.contains("结论: 未通过"));
//! ```

// The generator names the engine as its users do (`dudao::…`), so that it
// can move to a crate of its own unchanged.
extern crate self as dudao;

pub mod check;
pub mod data;
pub mod diag;
pub mod eval;
pub mod r#gen;
pub mod msg;
pub mod pack;
pub mod report;
pub mod review;
pub mod schema;
pub mod syntax;
pub mod timing;

/// The engine version, recorded in JSON reports.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
