//! `dudao fmt`: the canonical layout of a rule file.
//!
//! **Design: a layout pass over the lines, guided by the syntax tree.** The
//! formatter does not print the tree back (the tree has no comments, and
//! printing it would have to know every item kind). It keeps the file's own
//! tokens and comments where they are and changes only the whitespace
//! between them:
//!
//! 1. The file is parsed. A file with syntax errors is not formatted: its
//!    errors come back as the usual diagnostics.
//! 2. **Statements on their own line.** From the tree the formatter takes
//!    where each statement starts (an item, a column of a table, a clause of
//!    a rule, the `}` that closes a body). A statement that starts in the
//!    middle of a line is moved to a line of its own.
//! 3. **Indentation** is two spaces per open bracket (`{`, `[`, `(`), counted
//!    outside strings and comments, where brackets opened on one line count
//!    as one level (`at_least(6, [` opens one). A line that continues a
//!    statement (its first token inside a statement's span, with no bracket
//!    of that statement open) is indented one level more.
//! 4. **Inside a line** runs of spaces become one; no space after `(` `[` or
//!    before `)` `]` `,` `:`; one space after `,` and `:`, around `=` and the
//!    comparison operators, inside `{ … }` on one line and before `{`.
//!    Strings are never touched. Spaces are only ever added where the parser
//!    skips whitespace anyway, and never between a number and its `%`, inside
//!    a unit (`元/人`) or a dotted name.
//! 5. **Comments are kept on their line.** A comment line is indented like
//!    the code line after it (inside a body when that line is the closing
//!    `}`). End-of-line comments of consecutive lines are aligned, two spaces
//!    after the widest code, by display width (a Chinese character is two
//!    columns). Comment text is never changed.
//! 6. **Blank lines**: runs become one; none at the start or end of the file,
//!    after a `{` or before a `}`. A blank line between a comment and a
//!    parameter or metric decides whether the comment is its description
//!    (`explain` shows it), so blank lines are never removed or added there.
//!
//! Lines whose first token is in no item the formatter knows (an item kind
//! added to the language later) are kept as written, trailing spaces aside;
//! the place to teach the formatter a new item is `statements`.
//!
//! Finally the result is parsed again and its tree compared with the
//! original, spans aside: if formatting changed anything but layout (which
//! would be a bug here), the file is refused with
//! `dudao::fmt::changed_meaning` rather than rewritten.

use super::ast::{Clause, Item, MatrixClause, ReportClause, Span};
use super::parser::parse_file;
use crate::diag::{Code, Diag, Source, source};
use crate::msg::fmt as msg;
use unicode_width::UnicodeWidthStr;

/// Formats one rule file. `name` names it in diagnostics. The result ends
/// with one line end, in the file's own style (CRLF when its first line ends
/// so), without a byte-order mark.
pub fn format(name: &str, text: &str) -> Result<String, Vec<Diag>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let crlf = text.find('\n').is_some_and(|n| text[..n].ends_with('\r'));
    let lf = text.replace("\r\n", "\n");
    let src = source(name, lf.clone());
    let (file, errors) = parse_file(&lf);
    if !errors.is_empty() {
        return Err(errors
            .into_iter()
            .map(|e| {
                Diag::new(e.code, e.message)
                    .label(e.span, e.label)
                    .maybe_help(e.help)
                    .source(&src)
            })
            .collect());
    }
    let original = shape(&file);
    // Pass 1: statements on their own lines.
    let split = split_statements(&lf, &statements(&lf, &file).starts);
    let (file2, errors) = parse_file(&split);
    if !errors.is_empty() || shape(&file2) != original {
        return Err(vec![changed(&src)]);
    }
    // Pass 2: indentation and spacing.
    let out = layout(&split, &statements(&split, &file2));
    let (file3, errors) = parse_file(&out);
    if !errors.is_empty() || shape(&file3) != original {
        return Err(vec![changed(&src)]);
    }
    Ok(if crlf { out.replace('\n', "\r\n") } else { out })
}

fn changed(src: &Source) -> Diag {
    Diag::new(Code::FmtChangedMeaning, msg::changed_meaning())
        .label(0..0, msg::changed_meaning_label())
        .help(msg::changed_meaning_help())
        .source(src)
}

/// The tree without its spans: what formatting must not change.
fn shape(file: &super::ast::File) -> String {
    let dbg = format!("{file:?}");
    let mut out = String::with_capacity(dbg.len());
    let mut rest = dbg.as_str();
    // Drop every `span: A..B`.
    while let Some(at) = rest.find("span: ") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 6..];
        let end = after
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    // And every other `A..B` (spans in tuples).
    let b = out.as_bytes();
    let mut clean = String::with_capacity(out.len());
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit() && (i == 0 || matches!(b[i - 1], b' ' | b'('));
        if starts {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if out.get(j..).is_some_and(|r| r.starts_with("..")) {
                let mut k = j + 2;
                while k < b.len() && b[k].is_ascii_digit() {
                    k += 1;
                }
                i = k;
                continue;
            }
        }
        let ch = out[i..].chars().next().unwrap_or(' ');
        clean.push(ch);
        i += ch.len_utf8();
    }
    clean
}

/// Where statements start, and the statements a line can continue.
#[derive(Default)]
struct Statements {
    /// Byte offsets at which a statement starts (it belongs on a line of its own).
    starts: Vec<usize>,
    /// Statements that may run over several lines: (start, end).
    spans: Vec<Span>,
    /// The items the formatter knows.
    items: Vec<Span>,
}

/// The statements of the file, from its tree. A new item kind goes here: its
/// span in `items` (or its lines are kept as written), its start in `starts`,
/// and the spans of its parts that may continue over lines in `spans`.
fn statements(src: &str, file: &super::ast::File) -> Statements {
    let mut s = Statements::default();
    let closing = |s: &mut Statements, span: &Span| {
        if span.end > 0 && src.as_bytes().get(span.end - 1) == Some(&b'}') {
            s.starts.push(span.end - 1);
        }
    };
    for item in &file.items {
        if let Item::Document(d) = item {
            s.items.push(d.span.clone());
            s.starts.push(d.span.start);
            s.spans.push(d.span.clone());
        } else if let Item::Param(p) = item {
            s.items.push(p.span.clone());
            s.starts.push(p.span.start);
            s.spans.push(p.span.clone());
        } else if let Item::Metric(m) = item {
            s.items.push(m.span.clone());
            s.starts.push(m.span.start);
            s.spans.push(m.span.clone());
        } else if let Item::Table(t) = item {
            s.items.push(t.span.clone());
            s.starts.push(t.span.start);
            for c in &t.columns {
                s.starts.push(c.span.start);
                s.spans.push(c.span.clone());
            }
            closing(&mut s, &t.span);
        } else if let Item::Rule(r) = item {
            s.items.push(r.span.clone());
            s.starts.push(r.span.start);
            for c in &r.clauses {
                if let Some(span) = clause_span(src, c) {
                    s.starts.push(span.start);
                    s.spans.push(span);
                }
            }
            closing(&mut s, &r.span);
        } else if let Item::Coverage(c) = item {
            s.items.push(c.span.clone());
            s.starts.push(c.span.start);
            if let (Some(first), Some(last)) = (c.checked_by.first(), c.checked_by.last()) {
                s.spans.push(first.span.start..last.span.end);
            }
            closing(&mut s, &c.span);
        } else if let Item::Report(r) = item {
            s.items.push(r.span.clone());
            s.starts.push(r.span.start);
            for c in &r.clauses {
                match c {
                    ReportClause::Unit { span, .. } | ReportClause::Area { span, .. } => {
                        s.starts.push(span.start);
                        s.spans.push(span.clone());
                    }
                    ReportClause::Matrix(m) => {
                        s.starts.push(m.span.start);
                        for mc in &m.clauses {
                            let (MatrixClause::Rows { span, .. }
                            | MatrixClause::Columns { span, .. }) = mc;
                            s.starts.push(span.start);
                            s.spans.push(span.clone());
                        }
                        closing(&mut s, &m.span);
                    }
                }
            }
            closing(&mut s, &r.span);
        }
    }
    s.starts.sort_unstable();
    s.starts.dedup();
    s
}

/// A clause from its keyword to its end.
fn clause_span(src: &str, c: &Clause) -> Option<Span> {
    let after_kw = |kw: &str, span: &Span| -> Option<Span> {
        let before = src.get(..span.start)?.trim_end();
        before
            .ends_with(kw)
            .then(|| before.len() - kw.len()..span.end)
    };
    match c {
        Clause::Severity { span, .. } | Clause::Cite { span, .. } | Clause::Years { span, .. } => {
            Some(span.clone())
        }
        Clause::For(scope) => Some(scope.span.clone()),
        Clause::When(e) => after_kw("when", &e.span),
        Clause::Assert(e) => after_kw("assert", &e.span),
        Clause::Message(s) => after_kw("message", &s.span),
    }
}

/// Puts a line end before each statement start that is not first on its line.
fn split_statements(src: &str, starts: &[usize]) -> String {
    let mut out = String::with_capacity(src.len() + 64);
    let mut last = 0;
    for &at in starts {
        let (Some(done), Some(line_start)) = (src.get(last..at), src.get(..at)) else {
            continue;
        };
        let line = line_start.rsplit('\n').next().unwrap_or("");
        out.push_str(done);
        if !line.trim().is_empty() {
            let kept = out.trim_end_matches([' ', '\t']).len();
            out.truncate(kept);
            out.push('\n');
        }
        last = at;
    }
    out.push_str(src.get(last..).unwrap_or(""));
    out
}

/// A piece of a line: a string literal (kept as written) or one other
/// character.
#[derive(Clone, Copy)]
enum Piece<'a> {
    Str(&'a str),
    Ch(char),
}

/// Splits a line into its code and its end-of-line comment, the code into
/// pieces.
fn lex_line(line: &str) -> (Vec<Piece<'_>>, Option<&str>) {
    let mut pieces = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '#' => return (pieces, line.get(at..)),
            '"' | '\'' => {
                let mut end = line.len();
                while let Some((i, d)) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == c {
                        end = i + d.len_utf8();
                        break;
                    }
                }
                pieces.push(Piece::Str(line.get(at..end).unwrap_or("")));
            }
            c => pieces.push(Piece::Ch(c)),
        }
    }
    (pieces, None)
}

const CMP_CHARS: &[char] = &['=', '<', '>', '!'];
const CMP_UNICODE: &[char] = &['≠', '≤', '≥', '＜', '＞'];

/// The code of a line with canonical spacing (rule 4 of the module docs).
fn space_code(pieces: &[Piece<'_>]) -> String {
    let mut out = String::new();
    let mut pending = false; // whitespace was seen
    let mut force = false; // a space must come before the next token
    let mut i = 0;
    while i < pieces.len() {
        let piece = pieces[i];
        i += 1;
        let (tok, first): (String, char) = match piece {
            Piece::Str(s) => (s.to_string(), '"'),
            Piece::Ch(c) if c == ' ' || c == '\t' => {
                pending = true;
                continue;
            }
            Piece::Ch(c) if CMP_CHARS.contains(&c) => {
                let mut t = c.to_string();
                if let Some(Piece::Ch(d)) = pieces.get(i)
                    && *d == '='
                {
                    t.push('=');
                    i += 1;
                }
                (t, c)
            }
            Piece::Ch(c) => (c.to_string(), c),
        };
        let is_cmp = CMP_CHARS.contains(&first) || CMP_UNICODE.contains(&first);
        let last = out.chars().last();
        let no_space_before = matches!(first, ')' | ']' | ',' | ':')
            || matches!(last, Some('(' | '['))
            || last.is_none();
        let want_space = !no_space_before
            && (pending || force || is_cmp || first == '{' || (first == '}' && last != Some('{')));
        if want_space {
            out.push(' ');
        }
        out.push_str(&tok);
        pending = false;
        force = matches!(first, ',' | ':' | '{') || is_cmp;
    }
    out
}

fn is_opener(c: char) -> bool {
    matches!(c, '(' | '[' | '{')
}

fn is_closer(c: char) -> bool {
    matches!(c, ')' | ']' | '}')
}

/// Indentation, spacing, comments and blank lines (rules 3–6).
fn layout(src: &str, st: &Statements) -> String {
    // Line starts, to find the line of an offset.
    let mut line_starts = vec![0usize];
    for (i, b) in src.bytes().enumerate() {
        if b == b'\n' {
            line_starts.push(i + 1);
        }
    }
    let line_of = |off: usize| line_starts.partition_point(|&s| s <= off).saturating_sub(1);
    let inside = |spans: &[Span], off: usize| -> Option<Span> {
        spans
            .iter()
            .find(|s| s.start <= off && off < s.end)
            .cloned()
    };

    // (indent level, code, comment); code None = a comment-only line,
    // both None = blank; `verbatim` = kept as written.
    struct Line {
        level: usize,
        code: Option<String>,
        comment: Option<String>,
        verbatim: Option<String>,
        opens: bool,
        closes_first: bool,
    }
    let mut lines: Vec<Line> = Vec::new();
    let mut stack: Vec<usize> = Vec::new(); // line index of each open bracket
    let levels = |stack: &[usize]| {
        let mut n = 0;
        let mut prev = None;
        for &l in stack {
            if prev != Some(l) {
                n += 1;
            }
            prev = Some(l);
        }
        n
    };
    let mut pending_comments: Vec<usize> = Vec::new();
    let mut offset = 0usize;
    for (li, raw) in src.split('\n').enumerate() {
        let line_off = offset;
        offset += raw.len() + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            lines.push(Line {
                level: 0,
                code: None,
                comment: None,
                verbatim: None,
                opens: false,
                closes_first: false,
            });
            continue;
        }
        let lead = raw.len() - raw.trim_start().len();
        let first_off = line_off + lead;
        let (pieces, comment) = lex_line(trimmed);
        let code_empty = pieces.iter().all(|p| matches!(p, Piece::Ch(' ' | '\t')));
        if code_empty {
            pending_comments.push(lines.len());
            lines.push(Line {
                level: levels(&stack),
                code: None,
                comment: comment.map(str::to_string),
                verbatim: None,
                opens: false,
                closes_first: false,
            });
            continue;
        }
        // Leading closers.
        let mut k = 0;
        let mut closes_first = false;
        while let Some(p) = pieces.get(k) {
            match p {
                Piece::Ch(c) if is_closer(*c) => {
                    stack.pop();
                    closes_first = true;
                }
                Piece::Ch(' ' | '\t') => {}
                _ => break,
            }
            k += 1;
        }
        let mut level = levels(&stack);
        if !closes_first
            && let Some(stmt) = inside(&st.spans, first_off)
            && stmt.start < first_off
        {
            let stmt_line = line_of(stmt.start);
            if stack.last().is_none_or(|&l| l < stmt_line) {
                level += 1;
            }
        }
        let comment_level = if closes_first { level + 1 } else { level };
        for c in pending_comments.drain(..) {
            if let Some(l) = lines.get_mut(c) {
                l.level = comment_level;
            }
        }
        let mut opens = false;
        for p in pieces.iter().skip(k) {
            if let Piece::Ch(c) = p {
                if is_opener(*c) {
                    stack.push(li);
                    opens = true;
                } else if is_closer(*c) {
                    stack.pop();
                    opens = false;
                }
            }
        }
        let known = inside(&st.items, first_off).is_some();
        lines.push(Line {
            level,
            code: Some(space_code(&pieces)),
            comment: comment.map(|c| c.trim_end().to_string()),
            verbatim: (!known).then(|| raw.trim_end().to_string()),
            opens,
            closes_first,
        });
    }
    for c in pending_comments {
        if let Some(l) = lines.get_mut(c) {
            l.level = 0;
        }
    }

    // Blank lines: none at the start or end, after `{`, before `}`; runs of one.
    let mut kept: Vec<Line> = Vec::new();
    let mut blank_run = false;
    for l in lines {
        let blank = l.code.is_none() && l.comment.is_none();
        if blank {
            blank_run = true;
            continue;
        }
        if blank_run
            && !kept.is_empty()
            && !l.closes_first
            && !kept
                .last()
                .is_some_and(|p: &Line| p.opens && p.comment.is_none())
        {
            kept.push(Line {
                level: 0,
                code: None,
                comment: None,
                verbatim: None,
                opens: false,
                closes_first: false,
            });
        }
        blank_run = false;
        kept.push(l);
    }

    // Render; align the end-of-line comments of consecutive lines.
    let heads: Vec<Option<String>> = kept
        .iter()
        .map(|l| match (&l.verbatim, &l.code) {
            (Some(v), _) => Some(v.clone()),
            (None, Some(code)) => Some(format!("{}{}", "  ".repeat(l.level), code)),
            (None, None) => None,
        })
        .collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < kept.len() {
        let (l, head) = (&kept[i], &heads[i]);
        match (head, &l.comment) {
            (Some(h), Some(_)) if l.verbatim.is_none() => {
                // A group of consecutive code lines with end-of-line comments.
                let mut j = i;
                while j < kept.len()
                    && kept[j].verbatim.is_none()
                    && kept[j].comment.is_some()
                    && heads[j].is_some()
                {
                    j += 1;
                }
                let width = heads[i..j]
                    .iter()
                    .flatten()
                    .map(|h| UnicodeWidthStr::width(h.as_str()))
                    .max()
                    .unwrap_or(0);
                for (h, l) in heads[i..j].iter().zip(&kept[i..j]) {
                    let h = h.as_deref().unwrap_or("");
                    out.push_str(h);
                    out.push_str(&" ".repeat(width - UnicodeWidthStr::width(h) + 2));
                    out.push_str(l.comment.as_deref().unwrap_or(""));
                    out.push('\n');
                }
                let _ = h;
                i = j;
                continue;
            }
            (Some(h), _) => out.push_str(h),
            (None, Some(c)) => {
                out.push_str(&"  ".repeat(l.level));
                out.push_str(c);
            }
            (None, None) => {}
        }
        out.push('\n');
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> String {
        match format("t.dudao", s) {
            Ok(s) => s,
            Err(d) => panic!("{d:?}"),
        }
    }

    #[test]
    fn spacing_inside_lines() {
        let out = fmt("param  b1_min={小学:4.2,初中:5.3}  人/百名学生\n");
        assert_eq!(out, "param b1_min = { 小学: 4.2, 初中: 5.3 } 人/百名学生\n");
        let out = fmt("metric m for schools=sum( this.classes.students where stage==小学 ) 人\n");
        assert_eq!(
            out,
            "metric m for schools = sum(this.classes.students where stage == 小学) 人\n"
        );
    }

    #[test]
    fn statements_get_their_own_lines() {
        let out = fmt("table t \"表\" { key id: text \"编号\" n: int 人 \"数\" }\n");
        assert_eq!(
            out,
            "table t \"表\" {\n  key id: text \"编号\"\n  n: int 人 \"数\"\n}\n"
        );
    }

    #[test]
    fn wide_comments_align_by_display_width() {
        let out = fmt("param 甲 = 1 # a\nparam abcdef = 2 # b\n");
        assert_eq!(out, "param 甲 = 1      # a\nparam abcdef = 2  # b\n");
    }

    #[test]
    fn crlf_and_bom() {
        let out = fmt("\u{feff}param a = 1\r\nparam b = 2\r\n");
        assert_eq!(out, "param a = 1\r\nparam b = 2\r\n");
    }

    #[test]
    fn a_file_with_errors_is_refused() {
        let Err(d) = format("t.dudao", "rule X \"t\" {\n  assert a = 1\n}\n") else {
            panic!("formatted a broken file");
        };
        assert_eq!(d[0].code, Code::SyntaxSingleEquals);
    }

    #[test]
    fn lines_of_unknown_items_are_kept() {
        // Not an item the formatter knows: `statements` leaves it out, so
        // its line is kept as written.
        let st = Statements::default();
        let out = layout("import   \"../national\"\n", &st);
        assert_eq!(out, "import   \"../national\"\n");
    }
}
