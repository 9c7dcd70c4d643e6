//! The diagnostic every stage reports: a stable [`Code`], a message,
//! labelled spans into a named source, and help, each text in Chinese and
//! English ([`Msg`]). Rendering (`render`) is miette's, over an escaped,
//! clipped excerpt of the source.

mod code;
mod escape;
mod msg;
mod render;

pub use code::Code;
pub use escape::{escape, escape_line, escaped_char};
pub use msg::{In, Lang, Msg, MsgArg};
pub use render::{RenderOptions, render, render_plain, render_plain_in};

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// A source text that diagnostics point into (a rule file, a CSV file, a
/// rendered spreadsheet row). Shared, because many diagnostics point into one file.
pub type Source = Arc<NamedSource<String>>;

pub fn source(name: impl AsRef<str>, text: impl Into<String>) -> Source {
    Arc::new(NamedSource::new(name, text.into()).with_language("dudao"))
}

/// Where a diagnostic points, for machine-readable output.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    /// The file (`学校.csv`, `rules/10-plan.dudao`) or sheet (`报表.xlsx 学校!D17`).
    pub source: String,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column, in characters.
    pub column: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Diag {
    /// Stable, documented code such as `dudao::check::unknown_column`.
    pub code: Code,
    /// No final period; user input in backticks.
    pub message: Msg,
    /// The first label is the primary one.
    pub labels: Vec<(Range<usize>, Msg)>,
    pub help: Option<Msg>,
    pub source: Option<Source>,
    /// Warnings do not stop loading.
    pub warning: bool,
}

impl Diag {
    pub fn new(code: Code, message: impl Into<Msg>) -> Diag {
        Diag {
            code,
            message: message.into(),
            labels: Vec::new(),
            help: None,
            source: None,
            warning: false,
        }
    }

    pub fn label(mut self, span: Range<usize>, text: impl Into<Msg>) -> Diag {
        self.labels.push((span, text.into()));
        self
    }

    pub fn help(mut self, help: impl Into<Msg>) -> Diag {
        self.help = Some(help.into());
        self
    }

    pub fn maybe_help(mut self, help: Option<impl Into<Msg>>) -> Diag {
        if let Some(h) = help {
            self.help = Some(h.into());
        }
        self
    }

    pub fn source(mut self, src: &Source) -> Diag {
        self.source = Some(src.clone());
        self
    }

    pub fn warning(mut self) -> Diag {
        self.warning = true;
        self
    }

    /// The primary span's start, for sorting diagnostics in file order.
    pub fn offset(&self) -> usize {
        self.labels.first().map(|(r, _)| r.start).unwrap_or(0)
    }

    pub fn source_name(&self) -> &str {
        self.source.as_ref().map(|s| s.name()).unwrap_or("")
    }

    /// Where the primary label points: the source's name, and the 1-based
    /// line and column (in characters) of the label's start. `None` without
    /// a source; line and column are `None` without a label.
    pub fn location(&self) -> Option<Location> {
        let src = self.source.as_ref()?;
        let text = src.inner().as_str();
        let mut loc = Location {
            source: src.name().to_string(),
            line: None,
            column: None,
        };
        if let Some((r, _)) = self.labels.first() {
            let mut at = r.start.min(text.len());
            while at > 0 && !text.is_char_boundary(at) {
                at -= 1;
            }
            let before = text.get(..at).unwrap_or_default();
            let line_start = before.rfind('\n').map_or(0, |p| p + 1);
            loc.line = Some(memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1);
            loc.column = Some(before.get(line_start..).map_or(0, |s| s.chars().count()) + 1);
        }
        Some(loc)
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message.zh())
    }
}

impl std::error::Error for Diag {}

impl Diagnostic for Diag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(if self.warning {
            miette::Severity::Warning
        } else {
            miette::Severity::Error
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.zh()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| &**s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.source.is_none() || self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().enumerate().map(
            |(i, (r, text))| {
                let len = r.end.saturating_sub(r.start);
                if i == 0 {
                    LabeledSpan::new_primary_with_span(Some(text.zh().to_string()), (r.start, len))
                } else {
                    LabeledSpan::new_with_span(Some(text.zh().to_string()), (r.start, len))
                }
            },
        )))
    }
}

/// The closest of `candidates` to `name`, if close enough to suggest.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::normalized_damerau_levenshtein(&name.to_lowercase(), &c.to_lowercase());
        let close = score >= 0.6
            || (name.chars().count() <= 4 && strsim::damerau_levenshtein(name, c) <= 1);
        if close && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names() {
        assert_eq!(
            did_you_mean("studens", ["students", "classes", "name"]),
            Some("students")
        );
        assert_eq!(
            did_you_mean("在校生", ["在校生数", "班级数"]),
            Some("在校生数")
        );
        assert_eq!(did_you_mean("zzz", ["students", "classes"]), None);
    }
}
