//! The terminal report.

use crate::check::pack::RulePack;
use crate::data::Submission;
use crate::eval::finding::CheckReport;

#[derive(Debug, Clone)]
pub struct TextOptions {
    /// Findings shown per rule before the rest are summarised.
    pub max_per_rule: usize,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions { max_per_rule: 10 }
    }
}

pub fn render(pack: &RulePack, sub: &Submission, report: &CheckReport, opts: &TextOptions) -> String {
    let _ = (pack, sub, report, opts);
    String::new()
}
