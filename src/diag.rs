//! The diagnostic every stage reports: a stable code, a message, labelled
//! spans into a named source, and help. Rendering is miette's.

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

#[derive(Debug, Clone)]
pub struct Diag {
    /// Stable, documented code such as `dudao::check::unknown_column`.
    pub code: &'static str,
    /// Lowercase, no final period; user input in backticks.
    pub message: String,
    /// The first label is the primary one.
    pub labels: Vec<(Range<usize>, String)>,
    pub help: Option<String>,
    pub source: Option<Source>,
    /// Warnings do not stop loading.
    pub warning: bool,
}

impl Diag {
    pub fn new(code: &'static str, message: impl Into<String>) -> Diag {
        Diag {
            code,
            message: message.into(),
            labels: Vec::new(),
            help: None,
            source: None,
            warning: false,
        }
    }

    pub fn label(mut self, span: Range<usize>, text: impl Into<String>) -> Diag {
        self.labels.push((span, text.into()));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diag {
        self.help = Some(help.into());
        self
    }

    pub fn maybe_help(mut self, help: Option<String>) -> Diag {
        if help.is_some() {
            self.help = help;
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
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diag {}

impl Diagnostic for Diag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
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
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
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
                    LabeledSpan::new_primary_with_span(Some(text.clone()), (r.start, len))
                } else {
                    LabeledSpan::new_with_span(Some(text.clone()), (r.start, len))
                }
            },
        )))
    }
}

/// Renders diagnostics as plain text (no colour), for tests and for output
/// that is not a terminal.
pub fn render_plain(diags: &[Diag]) -> String {
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100);
    let mut out = String::new();
    for d in diags {
        if handler.render_report(&mut out, d).is_err() {
            out.push_str(&d.message);
        }
        out.push('\n');
    }
    out
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
