//! Findings → terminal text and JSON. The only place that renders.

pub mod text;
