//! Rendering diagnostics for a person: miette's graphical report, in the
//! chosen language, over an *excerpt* of the source rather than the source
//! itself.
//!
//! miette renders the lines a label points into as they are. That is wrong
//! three ways for dudao's inputs, so each diagnostic is shown through an
//! [`Excerpt`] written here (by hand, because miette has no hook for it):
//!
//! - a line can be huge (a header of a million columns is 7 MB; fifty errors
//!   on it would print it fifty times): lines longer than [`MAX_LINE_CHARS`]
//!   keep a window around each label and show `…` for the rest;
//! - a line can hold control characters (an ESC sequence in a cell): they
//!   are shown escaped ([`super::escape`]), never sent to the terminal;
//! - miette counts the column of `file:line:col` in UTF-8 bytes; a person
//!   counts characters (`学校.csv:1:36`, not `1:92`).
//!
//! Messages, labels, help and source names are escaped too.

use super::escape::{escape, escape_line, escaped_char};
use super::{Diag, Lang};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

/// Lines longer than this (in characters) are shown clipped around their labels.
pub const MAX_LINE_CHARS: usize = 240;
/// Characters kept on each side of a label's edge in a clipped line.
const WINDOW: usize = 60;
/// Lines of context shown above and below the labelled lines.
const CONTEXT: usize = 1;
/// At most this many lines are shown for one diagnostic; labels further
/// from the primary one are left out.
const MAX_LINES: usize = 40;

/// How to render diagnostics.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub lang: Lang,
    /// ANSI colours (only for a terminal).
    pub color: bool,
    /// Wrap width in columns.
    pub width: usize,
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions {
            lang: Lang::Zh,
            color: false,
            width: 100,
        }
    }
}

/// Renders diagnostics one after the other, each followed by a blank line.
pub fn render(diags: &[Diag], opts: &RenderOptions) -> String {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_context_lines(CONTEXT);
    let mut lines = LineCache::default();
    let mut out = String::new();
    for d in diags {
        let view = View::new(d, opts.lang, &mut lines);
        if handler.render_report(&mut out, &view).is_err() {
            out.push_str(&escape(d.message.get(opts.lang)));
        }
        out.push('\n');
    }
    out
}

/// Renders diagnostics in Chinese without colour, 100 columns wide: for
/// tests and for output that is not a terminal.
pub fn render_plain(diags: &[Diag]) -> String {
    render(diags, &RenderOptions::default())
}

/// [`render_plain`] in another language.
pub fn render_plain_in(diags: &[Diag], lang: Lang) -> String {
    render(
        diags,
        &RenderOptions {
            lang,
            ..RenderOptions::default()
        },
    )
}

/// Remembers, per source, the last offset whose line number was counted, so
/// that many diagnostics into one large file (sorted by position, as
/// loading reports them) count its lines once, not once each.
#[derive(Default)]
struct LineCache {
    last: HashMap<usize, (usize, usize)>,
}

impl LineCache {
    /// The 0-based line of byte `offset` of `text` (whose identity is `key`).
    fn line_of(&mut self, key: usize, text: &str, offset: usize) -> usize {
        let (from, base) = match self.last.get(&key) {
            Some(&(o, l)) if o <= offset => (o, l),
            _ => (0, 0),
        };
        let line = base
            + text
                .as_bytes()
                .get(from..offset)
                .map_or(0, |b| memchr::memchr_iter(b'\n', b).count());
        self.last.insert(key, (offset, line));
        line
    }
}

/// A diagnostic as shown: texts in one language, escaped; labels into an
/// excerpt of the source.
struct View<'a> {
    diag: &'a Diag,
    message: String,
    help: Option<String>,
    excerpt: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
}

impl<'a> View<'a> {
    fn new(diag: &'a Diag, lang: Lang, lines: &mut LineCache) -> View<'a> {
        let message = escape(diag.message.get(lang)).into_owned();
        let help = diag.help.as_ref().map(|h| escape(h.get(lang)).into_owned());
        let mut view = View {
            diag,
            message,
            help,
            excerpt: None,
            labels: Vec::new(),
        };
        let Some(src) = &diag.source else {
            return view;
        };
        if diag.labels.is_empty() {
            return view;
        }
        let text = src.inner().as_str();
        let key = std::sync::Arc::as_ptr(src) as usize;
        let spans: Vec<Range<usize>> = diag.labels.iter().map(|(r, _)| r.clone()).collect();
        let (excerpt, mapped) = Excerpt::build(
            escape_line(src.name()).into_owned(),
            text,
            &spans,
            lines,
            key,
        );
        for (i, (m, (_, label))) in mapped.iter().zip(&diag.labels).enumerate() {
            let Some(r) = m else { continue };
            let text = escape_line(label.get(lang)).into_owned();
            let len = r.end.saturating_sub(r.start);
            view.labels.push(if i == 0 {
                LabeledSpan::new_primary_with_span(Some(text), (r.start, len))
            } else {
                LabeledSpan::new_with_span(Some(text), (r.start, len))
            });
        }
        view.excerpt = Some(excerpt);
        view
    }
}

impl fmt::Debug for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for View<'_> {}

impl Diagnostic for View<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diag.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Diagnostic::severity(self.diag)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.excerpt.as_ref().map(|e| e as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.excerpt.is_none() || self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// The lines of a source that a diagnostic shows, clipped and escaped: one
/// region of lines per group of nearby labels (miette draws each group as
/// its own snippet), each region with its line number in the original, and
/// the character column of each label start.
#[derive(Debug)]
struct Excerpt {
    name: String,
    text: String,
    regions: Vec<Region>,
    /// Excerpt offset of a label start → its character column in the original line.
    columns: HashMap<usize, usize>,
}

#[derive(Debug)]
struct Region {
    /// Where the region starts in the excerpt: byte offset and 0-based line.
    offset: usize,
    line: usize,
    /// The 0-based line of the original where it starts.
    orig_line: usize,
}

impl Excerpt {
    /// The excerpt of `text` that shows `spans`, and each span mapped into it.
    fn build(
        name: String,
        text: &str,
        spans: &[Range<usize>],
        lines: &mut LineCache,
        key: usize,
    ) -> (Excerpt, Vec<Option<Range<usize>>>) {
        let floor = |mut i: usize| {
            i = i.min(text.len());
            while i > 0 && !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let spans: Vec<Range<usize>> = spans
            .iter()
            .map(|r| {
                let s = floor(r.start);
                s..floor(r.end).max(s)
            })
            .collect();
        let bytes = text.as_bytes();
        let line_start = |i: usize| {
            memchr::memrchr(b'\n', bytes.get(..i).unwrap_or_default()).map_or(0, |p| p + 1)
        };
        let line_end = |i: usize| {
            memchr::memchr(b'\n', bytes.get(i..).unwrap_or_default()).map_or(text.len(), |p| i + p)
        };
        // The line of every span edge, counted once, in file order.
        let mut edges: Vec<usize> = spans.iter().flat_map(|r| [r.start, r.end]).collect();
        edges.sort_unstable();
        edges.dedup();
        let edge_line: HashMap<usize, usize> = edges
            .iter()
            .map(|e| (*e, lines.line_of(key, text, *e)))
            .collect();
        let line_at = |o: usize| edge_line.get(&o).copied().unwrap_or(0);

        // Groups of nearby spans: (first line, last line, lo, hi) in the original.
        let mut order: Vec<usize> = (0..spans.len()).collect();
        order.sort_by_key(|i| spans.get(*i).map_or(0, |r| r.start));
        let mut groups: Vec<(usize, usize, usize, usize)> = Vec::new();
        for i in order {
            let Some(r) = spans.get(i) else { continue };
            let (l0, l1) = (line_at(r.start), line_at(r.end));
            match groups.last_mut() {
                Some(g) if l0 <= g.1 + 2 * CONTEXT + 1 => {
                    g.1 = g.1.max(l1);
                    g.3 = g.3.max(line_end(r.end));
                }
                _ => groups.push((l0, l1, line_start(r.start), line_end(r.end))),
            }
        }

        let mut points: Vec<usize> = edges.clone();
        points.dedup();
        let mut map: HashMap<usize, usize> = HashMap::new();
        let mut columns_orig: HashMap<usize, usize> = HashMap::new();
        let mut out = String::new();
        let mut regions = Vec::new();
        let mut out_line = 0usize;
        for (gi, (l0, _, mut lo, mut hi)) in groups.into_iter().enumerate() {
            if gi > 0 {
                // Blank lines between regions, more than miette's context, so
                // that it never joins two regions into one snippet.
                for _ in 0..2 * CONTEXT + 2 {
                    out.push('\n');
                    out_line += 1;
                }
            }
            let mut first = l0;
            for _ in 0..CONTEXT {
                if lo > 0 {
                    lo = line_start(lo - 1);
                    first = first.saturating_sub(1);
                }
                if hi < text.len() {
                    hi = line_end(hi + 1);
                }
            }
            regions.push(Region {
                offset: out.len(),
                line: out_line,
                orig_line: first,
            });
            let mut pos = lo;
            let mut shown = 0usize;
            loop {
                let le = line_end(pos).min(hi);
                let mut content_end = le;
                if content_end > pos && bytes.get(content_end - 1) == Some(&b'\r') {
                    content_end -= 1;
                }
                let line = text.get(pos..content_end).unwrap_or_default();
                let here: Vec<usize> = points
                    .iter()
                    .copied()
                    .filter(|p| (pos..=le).contains(p))
                    .collect();
                for seg in segments(line, pos, &here) {
                    if seg.start > pos {
                        out.push('…');
                    }
                    let mut o = seg.start;
                    for c in text.get(seg.clone()).unwrap_or_default().chars() {
                        if here.binary_search(&o).is_ok() {
                            map.insert(o, out.len());
                        }
                        match escaped_char(c) {
                            Some(e) => out.push_str(&e),
                            None => out.push(c),
                        }
                        o += c.len_utf8();
                    }
                    if here.binary_search(&seg.end).is_ok() {
                        map.entry(seg.end).or_insert(out.len());
                    }
                    if seg.end < content_end {
                        out.push('…');
                    }
                }
                // Edges in the line terminator map to the end of the line.
                for p in here.iter().filter(|p| **p >= content_end) {
                    map.entry(*p).or_insert(out.len());
                }
                for p in &here {
                    if let Some(start) = text.get(pos..(*p).min(content_end)) {
                        columns_orig.insert(*p, start.chars().count());
                    }
                }
                shown += 1;
                if le >= hi || shown >= MAX_LINES {
                    break;
                }
                out.push('\n');
                out_line += 1;
                pos = le + 1;
            }
        }
        let mapped: Vec<Option<Range<usize>>> = spans
            .iter()
            .map(|r| {
                let s = *map.get(&r.start)?;
                // An end past the lines shown (a span over more than
                // MAX_LINES lines) ends where the excerpt does.
                let e = map.get(&r.end).copied().unwrap_or(out.len()).max(s);
                Some(s..e)
            })
            .collect();
        let columns = columns_orig
            .into_iter()
            .filter_map(|(o, c)| map.get(&o).map(|m| (*m, c)))
            .collect();
        (
            Excerpt {
                name,
                text: out,
                regions,
                columns,
            },
            mapped,
        )
    }

    /// The original line number of excerpt line `line` at byte `offset`.
    fn orig_line(&self, offset: usize, line: usize) -> usize {
        match self.regions.iter().rev().find(|r| r.offset <= offset) {
            Some(r) => line.saturating_sub(r.line) + r.orig_line,
            None => line,
        }
    }
}

/// The byte ranges of `line` (which starts at `base` in the original) to
/// show: all of it when short, else a window around each of `points`.
#[allow(clippy::single_range_in_vec_init)]
fn segments(line: &str, base: usize, points: &[usize]) -> Vec<Range<usize>> {
    let end = base + line.len();
    if line.chars().nth(MAX_LINE_CHARS).is_none() {
        return vec![base..end];
    }
    // Offsets of char boundaries, for moving by characters.
    let back = |p: usize, n: usize| -> usize {
        let rel = p.saturating_sub(base).min(line.len());
        line.get(..rel)
            .and_then(|s| {
                s.char_indices()
                    .rev()
                    .nth(n.saturating_sub(1))
                    .map(|(i, _)| base + i)
            })
            .unwrap_or(base)
    };
    let fwd = |p: usize, n: usize| -> usize {
        let rel = p.saturating_sub(base).min(line.len());
        line.get(rel..)
            .and_then(|s| s.char_indices().nth(n).map(|(i, _)| p + i))
            .unwrap_or(end)
    };
    let mut wins: Vec<Range<usize>> = if points.is_empty() {
        vec![base..fwd(base, MAX_LINE_CHARS)]
    } else {
        points
            .iter()
            .map(|p| {
                let p = (*p).min(end);
                back(p, WINDOW)..fwd(p, WINDOW)
            })
            .collect()
    };
    wins.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for w in wins {
        match merged.last_mut() {
            Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
            _ => merged.push(w),
        }
    }
    merged
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        let column = match self.columns.get(&span.offset()) {
            Some(c) if context_lines_before == 0 => *c,
            _ => {
                // A context read starts at a line start; otherwise count
                // characters in the excerpt.
                let start = inner.span().offset();
                let line_start = self
                    .text
                    .get(..start)
                    .and_then(|s| s.rfind('\n').map(|p| p + 1))
                    .unwrap_or(0);
                self.text
                    .get(line_start..start)
                    .map_or(0, |s| s.chars().count())
            }
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            self.orig_line(inner.span().offset(), inner.line()),
            column,
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Code, Diag, Msg, source};

    fn one(text: &str, span: Range<usize>) -> String {
        let src = source("学校.csv", text);
        let d = Diag::new(Code::DataBadNumber, Msg::verbatim("bad"))
            .label(span, Msg::verbatim("here"))
            .source(&src);
        render_plain(&[d])
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "学校标识码,学校名称,在校生数\n1,一小,abc\n";
        let at = text.find("abc").unwrap_or(0);
        let out = one(text, at..at + 3);
        assert!(out.contains("[学校.csv:2:6]"), "{out}");
    }

    #[test]
    fn huge_lines_are_clipped_around_the_label() {
        let mut text = "a,".repeat(500_000);
        let at = text.len() / 2;
        text.insert_str(at, "XYZ,");
        let out = one(&text, at..at + 3);
        assert!(out.len() < 2_000, "{} bytes", out.len());
        assert!(out.contains("XYZ") && out.contains('…'), "{out}");
        assert!(out.contains(&format!("[学校.csv:1:{}]", at + 1)), "{out}");
    }

    #[test]
    fn control_characters_in_the_source_are_escaped() {
        let text = "id,name\n1,\x1b]0;pwned\x07\x1b[2J\u{202E}cod\n";
        let at = text.find('\x1b').unwrap_or(0);
        let out = one(text, at..text.len() - 1);
        assert!(
            !out.contains('\x1b') && !out.contains('\u{202E}'),
            "{out:?}"
        );
        assert!(out.contains("\\x1B]0;pwned\\x07"), "{out}");
    }

    #[test]
    fn line_numbers_stay_right_after_the_excerpt() {
        let text: String = (1..=200).map(|i| format!("line {i}\n")).collect();
        let at = text.find("line 150").unwrap_or(0);
        let out = one(&text, at..at + 4);
        assert!(out.contains("[学校.csv:150:1]"), "{out}");
        assert!(out.contains("150 │ line 150"), "{out}");
        assert!(!out.contains("line 10\n"), "{out}");
    }
}
