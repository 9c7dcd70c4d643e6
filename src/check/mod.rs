//! Syntax tree + schema → typed, compiled rules. Resolves names, infers types
//! and units, and reports every name, type and unit error with a span.

pub mod pack;
