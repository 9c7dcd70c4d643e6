//! Text → syntax tree. Knows nothing of schemas, data or files: it takes a
//! string and returns the items it parsed and every syntax error, with byte
//! spans into the string.

pub mod ast;
pub mod fmt;
pub mod parser;

pub use parser::{SyntaxError, parse_expr_at, parse_file};
