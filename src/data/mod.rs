//! Submission files → typed columnar tables checked against the schema.
//! Reads files; knows nothing of rules.

pub mod table;

pub use table::*;

use crate::diag::Diag;
use crate::schema::Schema;
use std::path::Path;

/// A loaded submission with the warnings met while loading it.
#[derive(Debug)]
pub struct Loaded {
    pub submission: Submission,
    pub warnings: Vec<Diag>,
}

/// Every error found in a submission (up to a cap) and how many more there were.
#[derive(Debug)]
pub struct LoadErrors {
    pub diags: Vec<Diag>,
    pub more: usize,
}

/// Loads a submission folder (one CSV file per table).
pub fn load_submission(schema: &Schema, path: &Path) -> Result<Loaded, LoadErrors> {
    let _ = (schema, path);
    Err(LoadErrors { diags: vec![Diag::new("dudao::data::unimplemented", "not yet implemented")], more: 0 })
}
