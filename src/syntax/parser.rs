//! A nom parser for rule files. It never fails as a whole: it returns the
//! items it could parse and every syntax error it met, recovering at the next
//! item (or, inside a rule, at the next clause).
//!
//! Spans are byte offsets into the file, computed from the length of the
//! remaining input (`src.len() - rest.len()`).

use super::ast::*;
use nom::branch::alt;
use nom::bytes::complete::{take_while, take_while1};
use nom::character::complete::{char, digit1};
use nom::combinator::{opt, recognize};
use nom::error::{ErrorKind, ParseError};
use nom::{IResult, Parser as _};

/// A syntax error: where, what was expected, and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}

/// The error nom threads through the parser. `rest` is the length of the
/// input remaining where the error happened; among alternatives, the one that
/// got furthest wins.
///
/// A backtracking parser makes and drops many of these, so nothing is
/// formatted or measured until one is shown: `expected` is formatted and the
/// token's length (`len: None`) found by [`Parser::to_error`].
#[derive(Debug, Clone)]
pub struct PErr {
    rest: usize,
    len: Option<usize>,
    expected: Expected,
    help: Option<String>,
}

/// What a parser expected.
#[derive(Debug, Clone)]
enum Expected {
    Text(std::borrow::Cow<'static, str>),
    /// A keyword or symbol, shown in backticks.
    Token(&'static str),
    Kind(ErrorKind),
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expected::Text(t) => f.write_str(t),
            Expected::Token(t) => write!(f, "`{t}`"),
            Expected::Kind(k) => write!(f, "{k:?}"),
        }
    }
}

impl From<&'static str> for Expected {
    fn from(s: &'static str) -> Expected {
        Expected::Text(s.into())
    }
}

impl From<String> for Expected {
    fn from(s: String) -> Expected {
        Expected::Text(s.into())
    }
}

impl<'a> ParseError<&'a str> for PErr {
    fn from_error_kind(input: &'a str, kind: ErrorKind) -> Self {
        PErr {
            rest: input.len(),
            len: Some(0),
            expected: Expected::Kind(kind),
            help: None,
        }
    }
    fn append(_: &'a str, _: ErrorKind, other: Self) -> Self {
        other
    }
    fn or(self, other: Self) -> Self {
        if other.rest <= self.rest { other } else { self }
    }
}

type PResult<'a, T> = IResult<&'a str, T, PErr>;

const ITEM_KEYWORDS: &[&str] = &["document", "table", "param", "metric", "rule", "coverage"];
const CLAUSE_KEYWORDS: &[&str] = &[
    "severity", "cite", "years", "for", "when", "assert", "message",
];
const RESERVED: &[&str] = &[
    "and", "or", "not", "in", "if", "then", "else", "where", "true", "false",
];

fn fail<T>(i: &str, expected: impl Into<Expected>) -> PResult<'_, T> {
    Err(nom::Err::Error(PErr {
        rest: i.len(),
        len: None,
        expected: expected.into(),
        help: None,
    }))
}

fn fail_help<T>(i: &str, expected: impl Into<Expected>, help: impl Into<String>) -> PResult<'_, T> {
    Err(nom::Err::Error(PErr {
        rest: i.len(),
        len: None,
        expected: expected.into(),
        help: Some(help.into()),
    }))
}

/// Turns a recoverable error into a committed one (nom's `cut`).
fn cut<T>(r: PResult<'_, T>) -> PResult<'_, T> {
    r.map_err(|e| match e {
        nom::Err::Error(e) => nom::Err::Failure(e),
        other => other,
    })
}

/// Length in bytes of the token at the start of `i`, for the error's underline.
fn token_len(i: &str) -> usize {
    let mut chars = i.char_indices();
    match chars.next() {
        None => 0,
        Some((_, c)) if is_ident_char(c) => i.find(|c: char| !is_ident_char(c)).unwrap_or(i.len()),
        Some((_, c)) if c == '"' => i[1..].find('"').map(|n| n + 2).unwrap_or(c.len_utf8()),
        Some((_, c)) => c.len_utf8(),
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_id_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.' || c == '-'
}

pub struct Parser<'a> {
    src: &'a str,
    /// Errors recorded while recovering inside a rule.
    errors: std::cell::RefCell<Vec<SyntaxError>>,
}

/// Parses a whole rule file: the items that parsed, and every syntax error.
pub fn parse_file(src: &str) -> (File, Vec<SyntaxError>) {
    let p = Parser {
        src,
        errors: Default::default(),
    };
    let (file, mut errors) = p.file();
    errors.extend(p.errors.into_inner());
    errors.sort_by_key(|e| (e.span.start, e.span.end));
    (file, errors)
}

/// Parses one expression (used for message templates and tests). `base` is
/// the offset of `text` in its file, so spans point into the file.
pub fn parse_expr_at(src: &str, base: usize, text_len: usize) -> Result<Expr, SyntaxError> {
    let whole = src;
    let end = base.saturating_add(text_len).min(src.len());
    let (Some(src), Some(slice)) = (whole.get(..end), whole.get(base.min(end)..end)) else {
        return Err(SyntaxError {
            span: base.min(whole.len())..end,
            message: "the expression is not valid text".into(),
            label: "here".into(),
            help: None,
        });
    };
    // Parse within the source cut after the expression, so that offsets
    // (`src.len() - rest.len()`) are offsets into the file.
    let p = Parser {
        src,
        errors: Default::default(),
    };
    match p.expr(slice) {
        Ok((rest, e)) => {
            let (rest, _) = p.ws(rest);
            if rest.is_empty() {
                Ok(e)
            } else {
                Err(p.to_error(PErr {
                    rest: rest.len(),
                    len: None,
                    expected: "end of expression".into(),
                    help: None,
                }))
            }
        }
        Err(nom::Err::Error(e)) | Err(nom::Err::Failure(e)) => Err(p.to_error(e)),
        Err(nom::Err::Incomplete(_)) => Err(SyntaxError {
            span: base..end,
            message: "incomplete expression".into(),
            label: "here".into(),
            help: None,
        }),
    }
}

impl<'a> Parser<'a> {
    fn off(&self, i: &str) -> usize {
        self.src.len() - i.len()
    }

    fn span(&self, start: &str, end: &str) -> Span {
        self.off(start)..self.off(end)
    }

    fn to_error(&self, e: PErr) -> SyntaxError {
        let start = self.src.len().saturating_sub(e.rest);
        let at = self.src.get(start..).unwrap_or("");
        let found = describe_found(at);
        let len = e.len.unwrap_or_else(|| token_len(at));
        let message = match &e.expected {
            Expected::Text(t) if t.starts_with("a closing") => {
                "this string is not closed".to_string()
            }
            _ => format!("expected {}, found {found}", e.expected),
        };
        SyntaxError {
            span: start..(start + len).min(self.src.len()),
            message,
            label: format!("expected {}", e.expected),
            help: e.help,
        }
    }

    /// Skips whitespace and `#` comments; returns the text of the last block
    /// of comment lines (for doc comments on params and metrics).
    fn ws(&self, mut i: &'a str) -> (&'a str, Option<String>) {
        let mut doc: Vec<&str> = Vec::new();
        loop {
            let trimmed = i.trim_start_matches([' ', '\t', '\r']);
            if let Some(rest) = trimmed.strip_prefix('\n') {
                // A blank line ends a comment block.
                if rest.trim_start_matches([' ', '\t', '\r']).starts_with('\n') {
                    doc.clear();
                }
                i = rest;
            } else if let Some(rest) = trimmed.strip_prefix('#') {
                let end = rest.find('\n').unwrap_or(rest.len());
                doc.push(rest[..end].trim());
                i = &rest[end..];
            } else {
                i = trimmed;
                break;
            }
        }
        let doc = if doc.is_empty() {
            None
        } else {
            Some(doc.join("\n"))
        };
        (i, doc)
    }

    fn sp(&self, i: &'a str) -> &'a str {
        self.ws(i).0
    }

    /// A keyword: the word followed by a non-identifier character.
    fn kw(&self, i: &'a str, word: &'static str) -> PResult<'a, Span> {
        let i = self.sp(i);
        match i.strip_prefix(word) {
            Some(rest) if !rest.starts_with(is_ident_char) => Ok((rest, self.span(i, rest))),
            _ => fail(i, Expected::Token(word)),
        }
    }

    fn peek_kw(&self, i: &'a str, word: &'static str) -> bool {
        self.kw(i, word).is_ok()
    }

    fn sym(&self, i: &'a str, s: &'static str) -> PResult<'a, Span> {
        let i = self.sp(i);
        match i.strip_prefix(s) {
            Some(rest) => Ok((rest, self.span(i, rest))),
            None => fail(i, Expected::Token(s)),
        }
    }

    fn ident(&self, i: &'a str) -> PResult<'a, Ident> {
        let i = self.sp(i);
        let r: PResult<'a, &str> =
            recognize((take_while1(is_ident_start), take_while(is_ident_char))).parse(i);
        match r {
            Ok((rest, name)) if !RESERVED.contains(&name) => Ok((
                rest,
                Ident {
                    name: name.to_string(),
                    span: self.span(i, rest),
                },
            )),
            Ok((_, name)) => fail_help(
                i,
                "a name",
                format!("`{name}` is a keyword; choose another name"),
            ),
            Err(_) => fail(i, "a name"),
        }
    }

    /// A rule or coverage id such as `A2.1` or `B11-primary`.
    fn rule_id(&self, i: &'a str) -> PResult<'a, Ident> {
        let i = self.sp(i);
        let r: PResult<'a, &str> = take_while1(is_id_char).parse(i);
        match r {
            Ok((rest, name)) => Ok((
                rest,
                Ident {
                    name: name.to_string(),
                    span: self.span(i, rest),
                },
            )),
            Err(_) => fail_help(
                i,
                "a rule id",
                "rule ids are letters, digits, `.`, `-` and `_`, e.g. `A2.1`",
            ),
        }
    }

    /// string := '"' chars '"' | "'" chars "'"
    ///
    /// Single quotes let a message template hold a string: `"{if x then '是' else '否'}"`.
    fn string(&self, i: &'a str) -> PResult<'a, StrLit> {
        let start = self.sp(i);
        let Some(quote) = start.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            return fail(start, "a string in double quotes");
        };
        let mut rest = &start[1..];
        let mut value = String::new();
        loop {
            let mut chars = rest.chars();
            match chars.next() {
                None | Some('\n') => {
                    return Err(nom::Err::Failure(PErr {
                        rest: start.len(),
                        len: Some(1),
                        expected: format!("a closing `{quote}`").into(),
                        help: Some(format!(
                            "strings end on the line they start; close the string with `{quote}`"
                        )),
                    }));
                }
                Some(c) if c == quote => {
                    rest = chars.as_str();
                    break;
                }
                Some('\\') => match chars.next() {
                    Some(c @ ('"' | '\'' | '\\')) => value.push(c),
                    Some('n') => value.push('\n'),
                    Some(c) => {
                        value.push('\\');
                        value.push(c);
                    }
                    None => {}
                },
                Some(c) => value.push(c),
            }
            rest = chars.as_str();
        }
        Ok((
            rest,
            StrLit {
                value,
                span: self.span(start, rest),
            },
        ))
    }

    fn year(&self, i: &'a str) -> PResult<'a, (i32, Span)> {
        let i = self.sp(i);
        let r: PResult<'a, &str> = digit1.parse(i);
        match r {
            Ok((rest, d)) if d.len() == 4 => match d.parse::<i32>() {
                Ok(y) => Ok((rest, (y, self.span(i, rest)))),
                Err(_) => fail(i, "a year such as `2025`"),
            },
            _ => fail(i, "a year such as `2025`"),
        }
    }

    // ----- file and items -------------------------------------------------

    fn file(&self) -> (File, Vec<SyntaxError>) {
        let mut items = Vec::new();
        let mut errors = Vec::new();
        let mut i = self.src;
        loop {
            let (rest, doc) = self.ws(i);
            i = rest;
            if i.is_empty() {
                break;
            }
            match self.item(i, doc) {
                Ok((rest, item)) => {
                    items.push(item);
                    i = rest;
                }
                Err(nom::Err::Error(e)) | Err(nom::Err::Failure(e)) => {
                    let at = self.src.len() - e.rest;
                    errors.push(self.to_error(e));
                    i = self.skip_to_line_starting(at.max(self.off(i) + 1), ITEM_KEYWORDS, false);
                }
                Err(nom::Err::Incomplete(_)) => break,
            }
        }
        (File { items }, errors)
    }

    /// The rest of the input from the first line after byte `at` whose first
    /// word is one of `words` (or `}` when `brace`).
    fn skip_to_line_starting(&self, at: usize, words: &[&str], brace: bool) -> &'a str {
        let mut pos = at.min(self.src.len());
        while !self.src.is_char_boundary(pos) {
            pos += 1;
        }
        let mut rest = &self.src[pos..];
        loop {
            let Some(nl) = rest.find('\n') else {
                return &rest[rest.len()..];
            };
            rest = &rest[nl + 1..];
            let line = rest.trim_start_matches([' ', '\t']);
            let word_end = line.find(|c: char| !is_ident_char(c)).unwrap_or(line.len());
            if words.contains(&&line[..word_end]) || (brace && line.starts_with('}')) {
                return line;
            }
        }
    }

    fn item(&self, i: &'a str, doc: Option<String>) -> PResult<'a, Item> {
        if self.peek_kw(i, "document") {
            return self.document(i).map(|(r, d)| (r, Item::Document(d)));
        }
        if self.peek_kw(i, "table") {
            return self.table(i).map(|(r, d)| (r, Item::Table(d)));
        }
        if self.peek_kw(i, "param") {
            return self.param(i, doc).map(|(r, d)| (r, Item::Param(d)));
        }
        if self.peek_kw(i, "metric") {
            return self.metric(i, doc).map(|(r, d)| (r, Item::Metric(d)));
        }
        if self.peek_kw(i, "rule") {
            return self.rule(i).map(|(r, d)| (r, Item::Rule(d)));
        }
        if self.peek_kw(i, "coverage") {
            return self.coverage(i).map(|(r, d)| (r, Item::Coverage(d)));
        }
        fail_help(
            i,
            "`document`, `table`, `param`, `metric`, `rule` or `coverage`",
            "a rule file is a list of declarations, each starting with one of these keywords",
        )
    }

    /// document := 'document' ident string ['seed' string]
    fn document(&self, i: &'a str) -> PResult<'a, DocumentDecl> {
        let start = self.sp(i);
        let (i, _) = self.kw(start, "document")?;
        let (i, name) = cut(self.ident(i))?;
        let (i, title) = cut(self.string(i))?;
        let (i, seed) = if self.peek_kw(i, "seed") {
            let (i, _) = self.kw(i, "seed")?;
            let (i, s) = cut(self.string(i))?;
            (i, Some(s))
        } else {
            (i, None)
        };
        Ok((
            i,
            DocumentDecl {
                name,
                title,
                seed,
                span: self.span(start, i),
            },
        ))
    }

    /// table := 'table' ident string* '{' column* '}'
    fn table(&self, i: &'a str) -> PResult<'a, TableDecl> {
        let start = self.sp(i);
        let (i, _) = self.kw(start, "table")?;
        let (mut i, name) = cut(self.ident(i))?;
        let mut aliases = Vec::new();
        while let Ok((rest, s)) = self.string(i) {
            aliases.push(s);
            i = rest;
        }
        let (mut i, _) = cut(self.sym(i, "{"))?;
        let mut columns = Vec::new();
        loop {
            if let Ok((rest, _)) = self.sym(i, "}") {
                i = rest;
                break;
            }
            let (rest, c) = cut(self.column(i))?;
            columns.push(c);
            i = rest;
        }
        Ok((
            i,
            TableDecl {
                name,
                aliases,
                columns,
                span: self.span(start, i),
            },
        ))
    }

    /// column := ['key'] ident ':' type [unit] string* ['range' range] ['optional']
    /// (`range` and `optional` in either order)
    fn column(&self, i: &'a str) -> PResult<'a, ColumnDecl> {
        let start = self.sp(i);
        let (i, key) = match self.kw(start, "key") {
            Ok((rest, _)) => (rest, true),
            Err(_) => (start, false),
        };
        let (i, name) = self.ident(i).or_else(|_| {
            fail_help(i, "a column declaration or `}`", "columns are written `name: type unit \"中文名\"`, e.g. `students: int 人 \"在校生数\"`")
        })?;
        let (i, _) = cut(self.sym(i, ":"))?;
        let (i, ty) = cut(self.type_expr(i))?;
        let (mut i, unit) = match self.unit(i) {
            Ok((rest, u)) => (rest, Some(u)),
            Err(_) => (i, None),
        };
        let mut aliases = Vec::new();
        while let Ok((rest, s)) = self.string(i) {
            aliases.push(s);
            i = rest;
        }
        let (mut i, mut optional, mut range) = (i, false, None);
        loop {
            if !optional && let Ok((rest, _)) = self.kw(i, "optional") {
                (i, optional) = (rest, true);
                continue;
            }
            if range.is_none() && self.peek_kw(i, "range") {
                let (rest, r) = cut(self.range_decl(i))?;
                (i, range) = (rest, Some(r));
                continue;
            }
            break;
        }
        Ok((
            i,
            ColumnDecl {
                key,
                name,
                ty,
                unit,
                aliases,
                range,
                optional,
                span: self.span(start, i),
            },
        ))
    }

    /// range := 'range' [bound] '..' [bound]
    fn range_decl(&self, i: &'a str) -> PResult<'a, RangeDecl> {
        let start = self.sp(i);
        let (i, _) = self.kw(start, "range")?;
        let (i, min) = match self.range_bound(i) {
            Ok((rest, b)) => (rest, Some(b)),
            Err(_) => (i, None),
        };
        let (i, _) = self.sym(i, "..").or_else(|_| {
            fail_help(
                i,
                "`..`",
                "a range is written `range 0..` (at least 0), `range 0..100` or `range 0%..100%`",
            )
        })?;
        let (i, max) = match self.range_bound(i) {
            Ok((rest, b)) => (rest, Some(b)),
            Err(_) => (i, None),
        };
        Ok((
            i,
            RangeDecl {
                min,
                max,
                span: self.span(start, i),
            },
        ))
    }

    /// bound := ['-'] digits ['.' digits] ['%'] (on the same line)
    fn range_bound(&self, i: &'a str) -> PResult<'a, RangeBound> {
        let start = i.trim_start_matches([' ', '\t']);
        let r: PResult<'a, &str> =
            recognize((opt(char('-')), digit1, opt((char('.'), digit1)))).parse(start);
        let Ok((rest, text)) = r else {
            return fail(start, "a number");
        };
        let Ok(value) = text.parse::<f64>() else {
            return fail(start, "a number");
        };
        let (rest, percent) = match rest.strip_prefix('%').or_else(|| rest.strip_prefix('％')) {
            Some(r) => (r, true),
            None => (rest, false),
        };
        Ok((
            rest,
            RangeBound {
                value,
                percent,
                span: self.span(start, rest),
            },
        ))
    }

    /// type := 'int' | 'decimal' | 'text' | 'bool' | 'year' | 'enum' '(' variant, … ')' | 'ref' ident
    fn type_expr(&self, i: &'a str) -> PResult<'a, TypeExpr> {
        let start = self.sp(i);
        for (word, kind) in [
            ("int", TypeKind::Int),
            ("decimal", TypeKind::Decimal),
            ("text", TypeKind::Text),
            ("bool", TypeKind::Bool),
            ("year", TypeKind::Year),
        ] {
            if let Ok((rest, _)) = self.kw(start, word) {
                return Ok((
                    rest,
                    TypeExpr {
                        kind,
                        span: self.span(start, rest),
                    },
                ));
            }
        }
        if let Ok((i, _)) = self.kw(start, "ref") {
            let (i, t) = cut(self.ident(i))?;
            return Ok((
                i,
                TypeExpr {
                    kind: TypeKind::Ref(t),
                    span: self.span(start, i),
                },
            ));
        }
        if let Ok((i, _)) = self.kw(start, "enum") {
            let (mut i, _) = cut(self.sym(i, "("))?;
            let mut variants = Vec::new();
            loop {
                let (rest, name) = cut(self.ident(i))?;
                let mut rest = rest;
                let mut aliases = Vec::new();
                while let Ok((r, s)) = self.string(rest) {
                    aliases.push(s);
                    rest = r;
                }
                variants.push(VariantDecl { name, aliases });
                if let Ok((r, _)) = self.sym(rest, ",") {
                    i = r;
                    continue;
                }
                let (r, _) = cut(self.sym(rest, ")"))?;
                i = r;
                break;
            }
            return Ok((
                i,
                TypeExpr {
                    kind: TypeKind::Enum(variants),
                    span: self.span(start, i),
                },
            ));
        }
        fail_help(
            start,
            "a type",
            "types are `int`, `decimal`, `text`, `bool`, `year`, `enum(a, b, …)` and `ref TABLE`",
        )
    }

    /// unit := '%' | uname ('*' uname)* ['/' uname ('*' uname)*]
    ///
    /// A unit stands on the same line as what it qualifies.
    fn unit(&self, i: &'a str) -> PResult<'a, UnitExpr> {
        let start = i.trim_start_matches([' ', '\t']);
        if let Some(rest) = start.strip_prefix('%') {
            let id = Ident {
                name: "%".into(),
                span: self.span(start, rest),
            };
            return Ok((
                rest,
                UnitExpr {
                    num: vec![id],
                    den: vec![],
                    span: self.span(start, rest),
                },
            ));
        }
        let unit_name = |i: &'a str| -> PResult<'a, Ident> {
            // No whitespace inside a unit: `元/人`, `m²`.
            let r: PResult<'a, &str> =
                recognize((take_while1(is_ident_start), take_while(is_ident_char))).parse(i);
            match r {
                Ok((rest, n)) if !RESERVED.contains(&n) && n != "optional" && n != "range" => Ok((
                    rest,
                    Ident {
                        name: n.to_string(),
                        span: self.span(i, rest),
                    },
                )),
                _ => fail(i, "a unit"),
            }
        };
        let (mut i, first) = unit_name(start)?;
        let mut num = vec![first];
        let mut den = Vec::new();
        let mut in_den = false;
        loop {
            let r: PResult<'a, char> = alt((char('*'), char('·'), char('/'))).parse(i);
            match r {
                Ok((rest, c)) => {
                    if c == '/' {
                        if in_den {
                            return fail(i, "a unit with at most one `/`");
                        }
                        in_den = true;
                    }
                    let (rest, u) = cut(unit_name(rest))?;
                    if in_den {
                        den.push(u)
                    } else {
                        num.push(u)
                    }
                    i = rest;
                }
                Err(_) => break,
            }
        }
        Ok((
            i,
            UnitExpr {
                num,
                den,
                span: self.span(start, i),
            },
        ))
    }

    /// param := 'param' ident '=' (expr [unit] | 'by' '{' (ident ':' expr),* '}' [unit])
    fn param(&self, i: &'a str, doc: Option<String>) -> PResult<'a, ParamDecl> {
        let start = self.sp(i);
        let (i, _) = self.kw(start, "param")?;
        let (i, name) = cut(self.ident(i))?;
        let (i, _) = cut(self.sym(i, "="))?;
        let unit_after = |i: &'a str| match self.unit(i) {
            Ok((rest, u)) => (rest, Some(u)),
            Err(_) => (i, None),
        };
        if let Ok((i, _)) = self.sym(i, "{") {
            let mut entries = Vec::new();
            let mut i = i;
            loop {
                if let Ok((rest, _)) = self.sym(i, "}") {
                    i = rest;
                    break;
                }
                let (rest, k) = cut(self.ident(i))?;
                let (rest, _) = cut(self.sym(rest, ":"))?;
                let (rest, v) = cut(self.expr(rest))?;
                entries.push((k, v));
                i = match self.sym(rest, ",") {
                    Ok((r, _)) => r,
                    Err(_) => {
                        let (r, _) = cut(self.sym(rest, "}"))?;
                        let (r, unit) = unit_after(r);
                        return Ok((
                            r,
                            ParamDecl {
                                doc,
                                name,
                                value: ParamValue::ByCategory { entries, unit },
                                span: self.span(start, r),
                            },
                        ));
                    }
                };
            }
            let (i, unit) = unit_after(i);
            return Ok((
                i,
                ParamDecl {
                    doc,
                    name,
                    value: ParamValue::ByCategory { entries, unit },
                    span: self.span(start, i),
                },
            ));
        }
        let (i, expr) = cut(self.expr(i))?;
        let (i, unit) = unit_after(i);
        Ok((
            i,
            ParamDecl {
                doc,
                name,
                value: ParamValue::Single { expr, unit },
                span: self.span(start, i),
            },
        ))
    }

    /// metric := 'metric' ident ['for' ident] '=' expr [unit]
    fn metric(&self, i: &'a str, doc: Option<String>) -> PResult<'a, MetricDecl> {
        let start = self.sp(i);
        let (i, _) = self.kw(start, "metric")?;
        let (i, name) = cut(self.ident(i))?;
        let (i, for_table) = if let Ok((i, _)) = self.kw(i, "for") {
            let (i, t) = cut(self.ident(i))?;
            (i, Some(t))
        } else {
            (i, None)
        };
        let (i, _) = cut(self.sym(i, "="))?;
        let (i, expr) = cut(self.expr(i))?;
        let (i, unit) = match self.unit(i) {
            Ok((rest, u)) => (rest, Some(u)),
            Err(_) => (i, None),
        };
        Ok((
            i,
            MetricDecl {
                doc,
                name,
                for_table,
                expr,
                unit,
                span: self.span(start, i),
            },
        ))
    }

    /// rule := 'rule' rule_id string '{' clause* '}'
    ///
    /// An error inside a clause is recorded and parsing resumes at the next
    /// clause, so one rule reports all its mistakes; such a rule is marked
    /// `recovered` and not compiled.
    fn rule(&self, i: &'a str) -> PResult<'a, RuleDecl> {
        let start = self.sp(i);
        let (i, _) = self.kw(start, "rule")?;
        let (i, id) = cut(self.rule_id(i))?;
        let (i, title) = cut(self.string(i).or_else(|_| {
            fail_help(
                i,
                "the rule's title in double quotes",
                "write the title after the id: `rule A2 \"公办园占比不低于55%\" { … }`",
            )
        }))?;
        let (mut i, _) = cut(self.sym(i, "{"))?;
        let mut clauses = Vec::new();
        let mut recovered = false;
        loop {
            if let Ok((rest, _)) = self.sym(i, "}") {
                i = rest;
                break;
            }
            if self.sp(i).is_empty() {
                return cut(fail_help(
                    self.sp(i),
                    "`}` closing the rule",
                    format!(
                        "rule `{}` is not closed: every `rule … {{` needs a matching `}}`",
                        id.name
                    ),
                ));
            }
            match self.clause(i) {
                Ok((rest, c)) => {
                    clauses.push(c);
                    i = rest;
                }
                Err(nom::Err::Error(e)) | Err(nom::Err::Failure(e)) => {
                    let at = self.src.len() - e.rest;
                    let here = self.sp(i);
                    let starts_item = ITEM_KEYWORDS.iter().find(|k| {
                        here.strip_prefix(**k)
                            .is_some_and(|r| r.starts_with([' ', '\t']))
                    });
                    let mut err = self.to_error(e);
                    if let Some(kw) = starts_item {
                        // `rule X2 …` inside rule X1: X1's `}` is missing.
                        let start = self.off(here);
                        err = SyntaxError {
                            span: start..start + kw.len(),
                            message: format!("rule `{}` is not closed before this `{kw}`", id.name),
                            label: format!("the next `{kw}` starts here"),
                            help: Some(format!("add `}}` at the end of rule `{}`", id.name)),
                        };
                    }
                    self.errors.borrow_mut().push(err);
                    recovered = true;
                    let next = self.skip_to_line_starting(at, CLAUSE_KEYWORDS, true);
                    let item_next = self.skip_to_line_starting(at, ITEM_KEYWORDS, false);
                    if item_next.len() > next.len() {
                        // The next item starts before any further clause: the
                        // rule's `}` is missing.
                        i = item_next;
                        break;
                    }
                    i = next;
                }
                Err(e) => return Err(e),
            }
        }
        Ok((
            i,
            RuleDecl {
                id,
                title,
                clauses,
                recovered,
                span: self.span(start, i),
            },
        ))
    }

    fn clause(&self, i: &'a str) -> PResult<'a, Clause> {
        let start = self.sp(i);
        if let Ok((i, _)) = self.kw(start, "severity") {
            let (mut i, base) = cut(self.severity_kw(i))?;
            let mut from = Vec::new();
            while let Ok((rest, _)) = self.sym(i, ",") {
                let (rest, sev) = cut(self.severity_kw(rest))?;
                let (rest, _) = cut(self.kw(rest, "from"))?;
                let (rest, (y, ys)) = cut(self.year(rest))?;
                from.push((sev.0, y, sev.1.start..ys.end));
                i = rest;
            }
            return Ok((
                i,
                Clause::Severity {
                    base,
                    from,
                    span: self.span(start, i),
                },
            ));
        }
        if let Ok((i, _)) = self.kw(start, "cite") {
            let (i, (document, clause, quote)) = cut(self.cite_body(i))?;
            return Ok((
                i,
                Clause::Cite {
                    document,
                    clause,
                    quote,
                    span: self.span(start, i),
                },
            ));
        }
        if let Ok((i, _)) = self.kw(start, "years") {
            let (i, from) = match self.year(i) {
                Ok((r, (y, _))) => (r, Some(y)),
                Err(_) => (i, None),
            };
            let (i, to) = if let Ok((r, _)) = self.sym(i, "..") {
                match self.year(r) {
                    Ok((r, (y, _))) => (r, Some(y)),
                    Err(_) => (r, None),
                }
            } else {
                (i, from)
            };
            if from.is_none() && to.is_none() {
                return cut(fail_help(
                    i,
                    "a year range",
                    "write `years 2021..2025`, `years 2025..` or `years 2025`",
                ));
            }
            return Ok((
                i,
                Clause::Years {
                    from,
                    to,
                    span: self.span(start, i),
                },
            ));
        }
        if let Ok((i, _)) = self.kw(start, "for") {
            let (i, scope) = cut(self.scope(i, start))?;
            return Ok((i, Clause::For(scope)));
        }
        if let Ok((i, _)) = self.kw(start, "when") {
            let (i, e) = cut(self.expr(i))?;
            return Ok((i, Clause::When(e)));
        }
        if let Ok((i, _)) = self.kw(start, "assert") {
            let (i, e) = cut(self.expr(i))?;
            return Ok((i, Clause::Assert(e)));
        }
        if let Ok((i, _)) = self.kw(start, "message") {
            let (i, s) = cut(self.string(i))?;
            return Ok((i, Clause::Message(s)));
        }
        fail_help(
            start,
            "a rule clause or `}`",
            "a rule has the clauses `severity`, `cite`, `years`, `for`, `when`, `assert` and `message`",
        )
    }

    fn severity_kw(&self, i: &'a str) -> PResult<'a, (SeverityKw, Span)> {
        for (w, k) in [
            ("binding", SeverityKw::Binding),
            ("expected", SeverityKw::Expected),
            ("info", SeverityKw::Info),
        ] {
            if let Ok((rest, span)) = self.kw(i, w) {
                return Ok((rest, (k, span)));
            }
        }
        fail_help(
            i,
            "`binding`, `expected` or `info`",
            "binding = 约束性, expected = 预期性, info = 参考",
        )
    }

    /// cite := ident 'clause' string ['quote' string]
    fn cite_body(&self, i: &'a str) -> PResult<'a, (Ident, StrLit, Option<StrLit>)> {
        let (i, document) = self.ident(i)?;
        let (i, _) = self.kw(i, "clause")?;
        let (i, clause) = self.string(i)?;
        let (i, quote) = if let Ok((i, _)) = self.kw(i, "quote") {
            let (i, q) = cut(self.string(i))?;
            (i, Some(q))
        } else {
            (i, None)
        };
        Ok((i, (document, clause, quote)))
    }

    /// scope := 'each' 'year' | 'each' ident ['by' ident] | 'submission'
    fn scope(&self, i: &'a str, start: &'a str) -> PResult<'a, ScopeDecl> {
        if let Ok((i, _)) = self.kw(i, "submission") {
            return Ok((
                i,
                ScopeDecl {
                    kind: ScopeKind::Submission,
                    span: self.span(start, i),
                },
            ));
        }
        let (i, _) = self.kw(i, "each").or_else(|_| {
            fail_help(i, "`each` or `submission`", "write `for each TABLE`, `for each TABLE by COLUMN`, `for each year` or `for submission`")
        })?;
        if let Ok((i, _)) = self.kw(i, "year") {
            return Ok((
                i,
                ScopeDecl {
                    kind: ScopeKind::Year,
                    span: self.span(start, i),
                },
            ));
        }
        let (i, table) = self.ident(i)?;
        let (i, by) = if let Ok((i, _)) = self.kw(i, "by") {
            let (i, c) = cut(self.ident(i))?;
            (i, Some(c))
        } else {
            (i, None)
        };
        Ok((
            i,
            ScopeDecl {
                kind: ScopeKind::Each { table, by },
                span: self.span(start, i),
            },
        ))
    }

    /// coverage := 'coverage' rule_id string '{' ['cite' cite] ('checked' 'by' id, … | 'not' 'checkable' string) '}'
    fn coverage(&self, i: &'a str) -> PResult<'a, CoverageDecl> {
        let start = self.sp(i);
        let (i, _) = self.kw(start, "coverage")?;
        let (i, id) = cut(self.rule_id(i))?;
        let (i, target) = cut(self.string(i))?;
        let (mut i, _) = cut(self.sym(i, "{"))?;
        let mut cite = None;
        let mut checked_by = Vec::new();
        let mut not_checkable = None;
        loop {
            if let Ok((rest, _)) = self.sym(i, "}") {
                i = rest;
                break;
            }
            if let Ok((rest, _)) = self.kw(i, "cite") {
                let (rest, c) = cut(self.cite_body(rest))?;
                cite = Some(c);
                i = rest;
            } else if let Ok((rest, _)) = self.kw(i, "checked") {
                let (mut rest, _) = cut(self.kw(rest, "by"))?;
                loop {
                    let (r, id) = cut(self.rule_id(rest))?;
                    checked_by.push(id);
                    match self.sym(r, ",") {
                        Ok((r, _)) => rest = r,
                        Err(_) => {
                            rest = r;
                            break;
                        }
                    }
                }
                i = rest;
            } else if let Ok((rest, _)) = self.kw(i, "not") {
                let (rest, _) = cut(self.kw(rest, "checkable"))?;
                let (rest, why) = cut(self.string(rest))?;
                not_checkable = Some(why);
                i = rest;
            } else {
                return cut(fail_help(
                    i,
                    "`cite`, `checked by`, `not checkable` or `}`",
                    "a coverage entry says which rules check the target, or why it cannot be checked",
                ));
            }
        }
        Ok((
            i,
            CoverageDecl {
                id,
                target,
                cite,
                checked_by,
                not_checkable,
                span: self.span(start, i),
            },
        ))
    }

    // ----- expressions ------------------------------------------------------

    /// expr := or
    pub fn expr(&self, i: &'a str) -> PResult<'a, Expr> {
        self.or_expr(i)
    }

    fn mk(&self, start: &'a str, end: &'a str, kind: ExprKind) -> Expr {
        let s = self.sp(start);
        Expr {
            kind,
            span: self.span(s, end),
        }
    }

    /// or := and ('or' and)*
    fn or_expr(&self, i: &'a str) -> PResult<'a, Expr> {
        let start = i;
        let (mut i, mut lhs) = self.and_expr(i)?;
        while let Ok((rest, _)) = self.kw(i, "or") {
            let (rest, rhs) = cut(self.and_expr(rest))?;
            lhs = self.mk(start, rest, ExprKind::Or(Box::new(lhs), Box::new(rhs)));
            i = rest;
        }
        Ok((i, lhs))
    }

    /// and := not ('and' not)*
    fn and_expr(&self, i: &'a str) -> PResult<'a, Expr> {
        let start = i;
        let (mut i, mut lhs) = self.not_expr(i)?;
        while let Ok((rest, _)) = self.kw(i, "and") {
            let (rest, rhs) = cut(self.not_expr(rest))?;
            lhs = self.mk(start, rest, ExprKind::And(Box::new(lhs), Box::new(rhs)));
            i = rest;
        }
        Ok((i, lhs))
    }

    /// not := 'not' not | cmp
    fn not_expr(&self, i: &'a str) -> PResult<'a, Expr> {
        if let Ok((rest, _)) = self.kw(i, "not") {
            let (rest, e) = cut(self.not_expr(rest))?;
            return Ok((rest, self.mk(i, rest, ExprKind::Not(Box::new(e)))));
        }
        self.cmp_expr(i)
    }

    /// cmp := add [cmpop add | ['not'] 'in' add]
    fn cmp_expr(&self, i: &'a str) -> PResult<'a, Expr> {
        let start = i;
        let (i, lhs) = self.add_expr(i)?;
        let ops: [(&str, CmpOp); 11] = [
            ("==", CmpOp::Eq),
            ("!=", CmpOp::Ne),
            ("<=", CmpOp::Le),
            (">=", CmpOp::Ge),
            ("≠", CmpOp::Ne),
            ("≤", CmpOp::Le),
            ("≥", CmpOp::Ge),
            ("<", CmpOp::Lt),
            (">", CmpOp::Gt),
            ("＜", CmpOp::Lt),
            ("＞", CmpOp::Gt),
        ];
        for (s, op) in ops {
            if let Ok((rest, _)) = self.sym(i, s) {
                let (rest, rhs) = cut(self.add_expr(rest))?;
                return Ok((
                    rest,
                    self.mk(start, rest, ExprKind::Cmp(op, Box::new(lhs), Box::new(rhs))),
                ));
            }
        }
        if let Ok((rest, _)) = self.sym(i, "=") {
            return cut(fail_help(
                self.sp(i),
                "a comparison operator",
                "write `==` to compare for equality",
            ))
            .map(|(_, e): (&str, Expr)| (rest, e));
        }
        let (i2, negated) = match self.kw(i, "not") {
            Ok((rest, _)) if self.peek_kw(rest, "in") => (rest, true),
            _ => (i, false),
        };
        if let Ok((rest, _)) = self.kw(i2, "in") {
            let (rest, list) = cut(self.add_expr(rest))?;
            return Ok((
                rest,
                self.mk(
                    start,
                    rest,
                    ExprKind::In {
                        value: Box::new(lhs),
                        list: Box::new(list),
                        negated,
                    },
                ),
            ));
        }
        Ok((i, lhs))
    }

    /// add := mul (('+' | '-') mul)*
    fn add_expr(&self, i: &'a str) -> PResult<'a, Expr> {
        self.left_assoc(i, &[("+", BinOp::Add), ("-", BinOp::Sub)], Self::mul_expr)
    }

    /// mul := unary (('*' | '/') unary)*
    fn mul_expr(&self, i: &'a str) -> PResult<'a, Expr> {
        self.left_assoc(i, &[("*", BinOp::Mul), ("/", BinOp::Div)], Self::unary_expr)
    }

    /// operand (op operand)*, folded to the left.
    fn left_assoc(
        &self,
        i: &'a str,
        ops: &[(&'static str, BinOp)],
        operand: fn(&Self, &'a str) -> PResult<'a, Expr>,
    ) -> PResult<'a, Expr> {
        let start = i;
        let (mut i, mut lhs) = operand(self, i)?;
        while let Some((rest, op)) = ops
            .iter()
            .find_map(|(sym, op)| self.sym(i, sym).ok().map(|(r, _)| (r, *op)))
        {
            let (rest, rhs) = cut(operand(self, rest))?;
            lhs = self.mk(
                start,
                rest,
                ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
            );
            i = rest;
        }
        Ok((i, lhs))
    }

    /// unary := '-' unary | postfix
    fn unary_expr(&self, i: &'a str) -> PResult<'a, Expr> {
        if let Ok((rest, _)) = self.sym(i, "-") {
            let (rest, e) = cut(self.unary_expr(rest))?;
            return Ok((rest, self.mk(i, rest, ExprKind::Neg(Box::new(e)))));
        }
        self.postfix_expr(i)
    }

    /// postfix := primary ('[' expr ']')*
    fn postfix_expr(&self, i: &'a str) -> PResult<'a, Expr> {
        let start = i;
        let (mut i, mut e) = self.primary(i)?;
        while let Ok((rest, _)) = self.sym(i, "[") {
            let (rest, idx) = cut(self.expr(rest))?;
            let (rest, _) = cut(self.sym(rest, "]"))?;
            e = self.mk(start, rest, ExprKind::Index(Box::new(e), Box::new(idx)));
            i = rest;
        }
        Ok((i, e))
    }

    /// primary := number ['%'] | string | 'true' | 'false' | '[' expr, … ']'
    ///          | 'if' expr 'then' expr 'else' expr | '(' expr ')'
    ///          | ident '(' args ')' | ident ('.' ident)*
    fn primary(&self, i: &'a str) -> PResult<'a, Expr> {
        let start = self.sp(i);
        if let Ok((rest, n)) = self.number(start) {
            return Ok((rest, n));
        }
        if start.starts_with(['"', '\'']) {
            let (rest, s) = self.string(start)?;
            return Ok((
                rest,
                Expr {
                    kind: ExprKind::Str(s.value),
                    span: s.span,
                },
            ));
        }
        if let Ok((rest, span)) = self.kw(start, "true") {
            return Ok((
                rest,
                Expr {
                    kind: ExprKind::Bool(true),
                    span,
                },
            ));
        }
        if let Ok((rest, span)) = self.kw(start, "false") {
            return Ok((
                rest,
                Expr {
                    kind: ExprKind::Bool(false),
                    span,
                },
            ));
        }
        if let Ok((mut i, _)) = self.sym(start, "[") {
            let mut items = Vec::new();
            if let Ok((rest, _)) = self.sym(i, "]") {
                return Ok((rest, self.mk(start, rest, ExprKind::List(items))));
            }
            loop {
                let (rest, e) = cut(self.expr(i))?;
                items.push(e);
                if let Ok((rest, _)) = self.sym(rest, ",") {
                    i = rest;
                    continue;
                }
                let (rest, _) = cut(self.sym(rest, "]"))?;
                return Ok((rest, self.mk(start, rest, ExprKind::List(items))));
            }
        }
        if let Ok((i, _)) = self.kw(start, "if") {
            let (i, cond) = cut(self.expr(i))?;
            let (i, _) = cut(self.kw(i, "then"))?;
            let (i, then) = cut(self.expr(i))?;
            let (i, _) = cut(self.kw(i, "else"))?;
            let (i, els) = cut(self.expr(i))?;
            return Ok((
                i,
                self.mk(
                    start,
                    i,
                    ExprKind::If {
                        cond: Box::new(cond),
                        then: Box::new(then),
                        els: Box::new(els),
                    },
                ),
            ));
        }
        if let Ok((i, _)) = self.sym(start, "(") {
            let (i, e) = cut(self.expr(i))?;
            let (i, _) = cut(self.sym(i, ")"))?;
            // Keep the parentheses in the span so messages show what was written.
            return Ok((
                i,
                Expr {
                    kind: e.kind,
                    span: self.span(start, i),
                },
            ));
        }
        let (i, first) = match self.ident(start) {
            Ok(r) => r,
            Err(_) => return fail(start, "an expression"),
        };
        if let Ok((mut i, _)) = self.sym(i, "(") {
            let mut args = Vec::new();
            if let Ok((rest, _)) = self.sym(i, ")") {
                return Ok((
                    rest,
                    self.mk(start, rest, ExprKind::Call { name: first, args }),
                ));
            }
            loop {
                let (rest, a) = cut(self.arg(i))?;
                args.push(a);
                if let Ok((rest, _)) = self.sym(rest, ",") {
                    i = rest;
                    continue;
                }
                let (rest, _) = cut(self
                    .sym(rest, ")")
                    .or_else(|_| fail(self.sp(rest), "`,` or `)`")))?;
                return Ok((
                    rest,
                    self.mk(start, rest, ExprKind::Call { name: first, args }),
                ));
            }
        }
        let mut path = vec![first];
        let mut i = i;
        // A `.` directly followed by a name continues the path.
        while let Some(rest) = i.strip_prefix('.') {
            let (rest, id) = cut(self.ident(rest))?;
            path.push(id);
            i = rest;
        }
        Ok((i, self.mk(start, i, ExprKind::Path(path))))
    }

    /// arg := [ident '='] expr ['where' expr]
    fn arg(&self, i: &'a str) -> PResult<'a, Arg> {
        let start = self.sp(i);
        let (i, name) = match self.ident(start) {
            Ok((rest, id)) => match self.sym(rest, "=") {
                Ok((rest2, _)) if !rest2.starts_with('=') => (rest2, Some(id)),
                _ => (start, None),
            },
            Err(_) => (start, None),
        };
        let (i, value) = self.expr(i)?;
        let (i, filter) = if let Ok((rest, _)) = self.kw(i, "where") {
            let (rest, f) = cut(self.expr(rest))?;
            (rest, Some(f))
        } else {
            (i, None)
        };
        Ok((
            i,
            Arg {
                name,
                value,
                filter,
                span: self.span(start, i),
            },
        ))
    }

    /// number := digits ['.' digits] ['%']
    fn number(&self, i: &'a str) -> PResult<'a, Expr> {
        let start = self.sp(i);
        let r: PResult<'a, &str> = recognize((digit1, opt((char('.'), digit1)))).parse(start);
        let (rest, text) = match r {
            Ok(ok) => ok,
            Err(_) => return fail(start, "a number"),
        };
        let Ok(mut value) = text.parse::<f64>() else {
            return fail(start, "a number");
        };
        let mut integer = !text.contains('.');
        let (rest, percent) = match rest.strip_prefix('%').or_else(|| rest.strip_prefix('％')) {
            Some(r) => {
                value /= 100.0;
                integer = false;
                (r, true)
            }
            None => (rest, false),
        };
        if rest.starts_with(is_ident_start) {
            return fail_help(
                rest,
                "an operator or the end of the expression",
                "units are declared on columns and parameters, not written after numbers in expressions",
            );
        }
        Ok((
            rest,
            Expr {
                kind: ExprKind::Number {
                    value,
                    percent,
                    integer,
                },
                span: self.span(start, rest),
            },
        ))
    }
}

fn describe_found(rest: &str) -> String {
    let rest = rest.trim_start_matches([' ', '\t', '\r']);
    if rest.is_empty() {
        return "the end of the file".into();
    }
    if rest.starts_with('\n') {
        return "the end of the line".into();
    }
    let n = token_len(rest).max(1);
    let tok: String = rest[..n.min(rest.len())].chars().take(30).collect();
    format!("`{tok}`")
}
