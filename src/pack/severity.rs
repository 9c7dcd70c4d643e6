//! How much a failure weighs: 约束性, 预期性, 参考.

use crate::diag::Lang;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// 约束性: a failure makes `dudao check` exit 1.
    Binding,
    /// 预期性: reported as a warning.
    Expected,
    /// 参考: reported for information.
    Info,
}

impl Severity {
    /// The label in `lang`: 约束性 / binding.
    pub fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.label_zh(),
            Lang::En => self.as_str(),
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Severity::Binding => "约束性",
            Severity::Expected => "预期性",
            Severity::Info => "参考",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Binding => "binding",
            Severity::Expected => "expected",
            Severity::Info => "info",
        }
    }
}
