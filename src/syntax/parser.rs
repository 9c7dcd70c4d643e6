//! A nom parser for rule files. It never fails as a whole: it returns the
//! items it could parse and every syntax error it met, recovering at the next
//! item (or, inside a rule, at the next clause).
//!
//! Spans are byte offsets into the file, computed from the length of the
//! remaining input (`src.len() - rest.len()`).
//!
//! **Limits.** No input makes the parser (or a later stage) recurse without
//! bound:
//!
//! - an expression nests at most [`MAX_NESTING`] levels: each bracket
//!   (`(…)`, a list `[…]`, an index `x[…]`), function call, `if`, `not` and
//!   unary minus inside another is a level. Beyond it the parser stops with
//!   `dudao::syntax::too_deep` at the bracket, keyword or sign that opens the
//!   level past the limit. 32 levels is ten times what a rule needs (the
//!   deepest expression of the bundled pack nests 3) and keeps every stage
//!   well inside its stack (parsing 32 levels takes about 200 KB; later
//!   stages are bounded by `check::MAX_DEPTH`, which such an expression
//!   stays within);
//! - operators of one precedence level (`a + b - c`, `a * b / c`, `a and b`,
//!   `a or b`) are read in a loop into one node with a list of operands, so a
//!   sum of any number of terms adds no nesting: later stages iterate over
//!   the list.
//!
//! The size of a rule file is capped where files are read
//! (`check::MAX_RULE_FILE_BYTES`).

use super::ast::*;
use crate::diag::{Code, Msg};
use crate::msg::syntax as msg;
use crate::msg::syntax::each_lang;
use nom::branch::alt;
use nom::bytes::complete::{take_while, take_while1};
use nom::character::complete::{char, digit1};
use nom::combinator::{opt, recognize};
use nom::error::{ErrorKind, ParseError};
use nom::{IResult, Parser as _};
use std::cell::Cell;

/// The deepest nesting of brackets, function calls, `if`, `not` and unary
/// minus the parser accepts in one expression (see the module docs).
pub const MAX_NESTING: usize = 32;

/// A syntax error: its code, where, what was expected, and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub code: Code,
    pub span: Span,
    pub message: Msg,
    pub label: Msg,
    pub help: Option<Msg>,
}

/// The error nom threads through the parser. `rest` is the length of the
/// input remaining where the error happened; among alternatives, the one that
/// got furthest wins.
///
/// A backtracking parser makes and drops many of these, so nothing is
/// formatted or measured until one is shown: what was expected is a small
/// enum, put into words and the token's length (`len: None`) found by
/// `Parser::to_error`.
#[derive(Debug, Clone)]
pub struct PErr {
    rest: usize,
    len: Option<usize>,
    expected: Expected,
    help: Option<Msg>,
}

/// What a parser expected.
#[derive(Debug, Clone, Copy)]
enum Expected {
    /// A keyword or symbol, shown in backticks.
    Token(&'static str),
    Name,
    /// A name, where a keyword was written.
    NotKeyword,
    RuleId,
    String,
    Year,
    Item,
    Column,
    Type,
    Unit,
    UnitOneSlash,
    RuleTitle,
    RuleClose,
    Clause,
    Severity,
    YearRange,
    Scope,
    CoverageClause,
    ReportClause,
    MatrixClause,
    Expression,
    CommaOrParen,
    /// `=` where a comparison operator is expected.
    Comparison,
    Number,
    /// A number small enough to compute with.
    FiniteNumber,
    /// A unit (a name) right after a number.
    OperatorOrEnd,
    EndOfExpression,
    /// The string starting here is not closed.
    ClosingQuote(char),
    /// One level more than [`MAX_NESTING`] opens here.
    Nesting,
    Kind(ErrorKind),
}

impl Expected {
    fn describe(self) -> Msg {
        match self {
            Expected::Token(t) => msg::what_token(t),
            Expected::Name | Expected::NotKeyword => msg::what_name(),
            Expected::RuleId => msg::what_rule_id(),
            Expected::String => msg::what_string(),
            Expected::Year => msg::what_year(),
            Expected::Item => msg::what_item(),
            Expected::Column => msg::what_column(),
            Expected::Type => msg::what_type(),
            Expected::Unit => msg::what_unit(),
            Expected::UnitOneSlash => msg::what_unit_one_slash(),
            Expected::RuleTitle => msg::what_rule_title(),
            Expected::RuleClose => msg::what_rule_close(),
            Expected::Clause => msg::what_clause(),
            Expected::Severity => msg::what_severity(),
            Expected::YearRange => msg::what_year_range(),
            Expected::Scope => msg::what_scope(),
            Expected::CoverageClause => msg::what_coverage_clause(),
            Expected::ReportClause => msg::what_report_clause(),
            Expected::MatrixClause => msg::what_matrix_clause(),
            Expected::Expression => msg::what_expression(),
            Expected::CommaOrParen => msg::what_comma_or_paren(),
            Expected::Comparison => msg::what_comparison(),
            Expected::Number | Expected::FiniteNumber => msg::what_number(),
            Expected::OperatorOrEnd => msg::what_operator_or_end(),
            Expected::EndOfExpression => msg::what_end_of_expression(),
            Expected::ClosingQuote(q) => msg::what_closing_quote(q),
            Expected::Nesting => msg::what_expression(),
            Expected::Kind(k) => msg::what_grammar(&format!("{k:?}")),
        }
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

const ITEM_KEYWORDS: &[&str] = &[
    "document", "table", "param", "metric", "rule", "coverage", "import", "override", "disable",
    "report",
];
const CLAUSE_KEYWORDS: &[&str] = &[
    "severity", "cite", "years", "for", "when", "assert", "message",
];
const RESERVED: &[&str] = &[
    "and", "or", "not", "in", "if", "then", "else", "where", "true", "false",
];

fn fail<T>(i: &str, expected: Expected) -> PResult<'_, T> {
    Err(nom::Err::Error(PErr {
        rest: i.len(),
        len: None,
        expected,
        help: None,
    }))
}

fn fail_help<T>(i: &str, expected: Expected, help: Msg) -> PResult<'_, T> {
    Err(nom::Err::Error(PErr {
        rest: i.len(),
        len: None,
        expected,
        help: Some(help),
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
        Some((_, c)) if c == '"' => i[1..]
            .find(['"', '\n'])
            .filter(|n| i[1 + n..].starts_with('"'))
            .map(|n| n + 2)
            .unwrap_or(c.len_utf8()),
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

/// Whether the rule language uses `c` outside strings and comments.
fn is_language_char(c: char) -> bool {
    is_ident_char(c) || c.is_whitespace() || "()[]{},:.+-*/=<>!%％≠≤≥＜＞·\"'#".contains(c)
}

/// The ASCII symbol a full-width (or Chinese) punctuation mark stands for.
fn ascii_for(c: char) -> Option<&'static str> {
    Some(match c {
        '（' => "(",
        '）' => ")",
        '【' | '［' => "[",
        '】' | '］' => "]",
        '｛' => "{",
        '｝' => "}",
        '，' | '、' => ",",
        '：' => ":",
        '。' | '．' => ".",
        '＋' => "+",
        '－' | '—' => "-",
        '＊' | '×' => "*",
        '／' | '÷' => "/",
        '＝' => "=",
        '“' | '”' | '＂' => "\"",
        '‘' | '’' => "'",
        '！' => "!",
        _ => return None,
    })
}

pub struct Parser<'a> {
    src: &'a str,
    /// Errors recorded while recovering inside a rule.
    errors: std::cell::RefCell<Vec<SyntaxError>>,
    /// The nesting level of the expression being parsed (see [`MAX_NESTING`]).
    depth: Cell<usize>,
}

/// Levels of nesting held while a part of an expression is parsed; they
/// are left when it is dropped.
struct Nest<'p> {
    depth: &'p Cell<usize>,
    levels: usize,
}

impl Nest<'_> {
    /// One more level, opened by the token at the start of `at`; the error
    /// `dudao::syntax::too_deep` there past [`MAX_NESTING`].
    fn deeper(&mut self, at: &str) -> Result<(), nom::Err<PErr>> {
        let d = self.depth.get() + 1;
        if d > MAX_NESTING {
            return Err(nom::Err::Failure(PErr {
                rest: at.len(),
                len: None,
                expected: Expected::Nesting,
                help: None,
            }));
        }
        self.depth.set(d);
        self.levels += 1;
        Ok(())
    }
}

impl Drop for Nest<'_> {
    fn drop(&mut self) {
        self.depth.set(self.depth.get().saturating_sub(self.levels));
    }
}

/// Parses a whole rule file: the items that parsed, and every syntax error.
pub fn parse_file(src: &str) -> (File, Vec<SyntaxError>) {
    let p = Parser::new(src);
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
            code: Code::SyntaxError,
            span: base.min(whole.len())..end,
            message: msg::expression_not_text(),
            label: msg::here(),
            help: None,
        });
    };
    // Parse within the source cut after the expression, so that offsets
    // (`src.len() - rest.len()`) are offsets into the file.
    let p = Parser::new(src);
    match p.expr(slice) {
        Ok((rest, e)) => {
            let (rest, _) = p.ws(rest);
            if rest.is_empty() {
                Ok(e)
            } else {
                Err(p.to_error(PErr {
                    rest: rest.len(),
                    len: None,
                    expected: Expected::EndOfExpression,
                    help: None,
                }))
            }
        }
        Err(nom::Err::Error(e)) | Err(nom::Err::Failure(e)) => Err(p.to_error(e)),
        Err(nom::Err::Incomplete(_)) => Err(SyntaxError {
            code: Code::SyntaxError,
            span: base..end,
            message: msg::incomplete_expression(),
            label: msg::here(),
            help: None,
        }),
    }
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Parser<'a> {
        Parser {
            src,
            errors: Default::default(),
            depth: Cell::new(0),
        }
    }

    fn off(&self, i: &str) -> usize {
        self.src.len() - i.len()
    }

    fn span(&self, start: &str, end: &str) -> Span {
        self.off(start)..self.off(end)
    }

    fn to_error(&self, e: PErr) -> SyntaxError {
        let start = self.src.len().saturating_sub(e.rest);
        let at = self.src.get(start..).unwrap_or("");
        let len = e.len.unwrap_or_else(|| token_len(at));
        let span = start..(start + len).min(self.src.len());
        let expected = e.expected.describe();
        let error = |code: Code, message: Msg, label: Msg, help: Option<Msg>| SyntaxError {
            code,
            span: span.clone(),
            message,
            label,
            help,
        };
        match e.expected {
            Expected::ClosingQuote(q) => {
                return error(
                    Code::SyntaxUnclosedString,
                    msg::unclosed_string(),
                    msg::unclosed_string_label(q),
                    Some(msg::unclosed_string_help(q)),
                );
            }
            Expected::Nesting => {
                return error(
                    Code::SyntaxTooDeep,
                    msg::too_deep(MAX_NESTING),
                    msg::too_deep_label(MAX_NESTING + 1),
                    Some(msg::too_deep_help()),
                );
            }
            Expected::FiniteNumber => {
                return error(
                    Code::SyntaxError,
                    msg::number_too_large(),
                    msg::here(),
                    Some(msg::number_too_large_help()),
                );
            }
            Expected::Comparison => {
                return error(
                    Code::SyntaxSingleEquals,
                    msg::single_equals(),
                    msg::single_equals_label(),
                    Some(msg::single_equals_help()),
                );
            }
            _ => {}
        }
        let first = at.trim_start_matches([' ', '\t', '\r']).chars().next();
        if let Some(c) = first.filter(|c| !is_language_char(*c)) {
            let found = c.to_string();
            let help = match ascii_for(c) {
                Some(ascii) => Some(msg::full_width_help(&found, ascii)),
                None => e.help,
            };
            return error(
                Code::SyntaxBadCharacter,
                msg::bad_character(&found),
                each_lang(|l| msg::bad_character_label(expected.get(l))),
                help,
            );
        }
        let code = match e.expected {
            Expected::OperatorOrEnd => Code::SyntaxUnitAfterNumber,
            Expected::RuleClose => Code::SyntaxUnclosedRule,
            Expected::NotKeyword => Code::SyntaxKeywordAsName,
            _ => Code::SyntaxError,
        };
        let found = describe_found(at);
        error(
            code,
            each_lang(|l| msg::unexpected(expected.get(l), found.get(l))),
            each_lang(|l| msg::unexpected_label(expected.get(l))),
            e.help,
        )
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
            Ok((_, name)) => fail_help(i, Expected::NotKeyword, msg::keyword_as_name_help(name)),
            Err(_) => fail(i, Expected::Name),
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
            Err(_) => fail_help(i, Expected::RuleId, msg::rule_id_help()),
        }
    }

    /// string := '"' chars '"' | "'" chars "'"
    ///
    /// Single quotes let a message template hold a string: `"{if x then '是' else '否'}"`.
    fn string(&self, i: &'a str) -> PResult<'a, StrLit> {
        let start = self.sp(i);
        let Some(quote) = start.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            return fail(start, Expected::String);
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
                        expected: Expected::ClosingQuote(quote),
                        help: None,
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
                Err(_) => fail(i, Expected::Year),
            },
            _ => fail(i, Expected::Year),
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
        if self.peek_kw(i, "import") {
            return self.import(i).map(|(r, d)| (r, Item::Import(d)));
        }
        if self.peek_kw(i, "override") {
            return self
                .override_param(i, doc)
                .map(|(r, d)| (r, Item::Override(d)));
        }
        if self.peek_kw(i, "disable") {
            return self.disable(i).map(|(r, d)| (r, Item::Disable(d)));
        }
        if self.peek_kw(i, "report") {
            return self.report(i).map(|(r, d)| (r, Item::Report(d)));
        }
        fail_help(i, Expected::Item, msg::item_help())
    }

    /// import := 'import' (string | ident)
    fn import(&self, i: &'a str) -> PResult<'a, ImportDecl> {
        let start = self.sp(i);
        let (i, _) = self.kw(start, "import")?;
        let (i, target) = match self.string(i) {
            Ok((i, s)) => (i, ImportTarget::Path(s)),
            Err(nom::Err::Failure(e)) => return Err(nom::Err::Failure(e)),
            Err(_) => {
                let (i, n) = cut(self.ident(i))?;
                (i, ImportTarget::Named(n))
            }
        };
        Ok((
            i,
            ImportDecl {
                target,
                span: self.span(start, i),
            },
        ))
    }

    /// override := 'override' param
    fn override_param(&self, i: &'a str, doc: Option<String>) -> PResult<'a, OverrideDecl> {
        let start = self.sp(i);
        let (i, _) = self.kw(start, "override")?;
        let (i, param) = cut(self.param(i, doc))?;
        Ok((
            i,
            OverrideDecl {
                param,
                span: self.span(start, i),
            },
        ))
    }

    /// disable := 'disable' 'rule' rule_id string
    fn disable(&self, i: &'a str) -> PResult<'a, DisableDecl> {
        let start = self.sp(i);
        let (i, _) = self.kw(start, "disable")?;
        let (i, _) = cut(self.kw(i, "rule"))?;
        let (i, id) = cut(self.rule_id(i))?;
        let (i, reason) = cut(self.string(i))?;
        Ok((
            i,
            DisableDecl {
                id,
                reason,
                span: self.span(start, i),
            },
        ))
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
        let (i, name) = self
            .ident(i)
            .or_else(|_| fail_help(i, Expected::Column, msg::column_help()))?;
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
        let (i, _) = self
            .sym(i, "..")
            .or_else(|_| fail_help(i, Expected::Token(".."), msg::range_help()))?;
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
            return fail(start, Expected::Number);
        };
        let Ok(value) = text.parse::<f64>() else {
            return fail(start, Expected::Number);
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
        fail_help(start, Expected::Type, msg::type_help())
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
                _ => fail(i, Expected::Unit),
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
                            return fail(i, Expected::UnitOneSlash);
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
        let (i, title) = cut(self
            .string(i)
            .or_else(|_| fail_help(i, Expected::RuleTitle, msg::rule_title_help())))?;
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
                    Expected::RuleClose,
                    msg::rule_not_closed_help(&id.name),
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
                            code: Code::SyntaxUnclosedRule,
                            span: start..start + kw.len(),
                            message: msg::rule_not_closed(&id.name, kw),
                            label: msg::rule_not_closed_label(kw),
                            help: Some(msg::rule_not_closed_add(&id.name)),
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
                return cut(fail_help(i, Expected::YearRange, msg::years_help()));
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
        fail_help(start, Expected::Clause, msg::clause_help())
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
        fail_help(i, Expected::Severity, msg::severity_help())
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
        let (i, _) = self
            .kw(i, "each")
            .or_else(|_| fail_help(i, Expected::Scope, msg::scope_help()))?;
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
                return cut(fail_help(i, Expected::CoverageClause, msg::coverage_help()));
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

    /// report := 'report' '{' ('unit' ident | 'area' ident | matrix)* '}'
    fn report(&self, i: &'a str) -> PResult<'a, ReportDecl> {
        let start = self.sp(i);
        let (i, keyword) = self.kw(start, "report")?;
        let (mut i, _) = cut(self.sym(i, "{"))?;
        let mut clauses = Vec::new();
        loop {
            if let Ok((rest, _)) = self.sym(i, "}") {
                i = rest;
                break;
            }
            let at = self.sp(i);
            if let Ok((rest, _)) = self.kw(at, "unit") {
                let (rest, table) = cut(self.ident(rest))?;
                clauses.push(ReportClause::Unit {
                    table,
                    span: self.span(at, rest),
                });
                i = rest;
            } else if let Ok((rest, _)) = self.kw(at, "area") {
                let (rest, column) = cut(self.ident(rest))?;
                clauses.push(ReportClause::Area {
                    column,
                    span: self.span(at, rest),
                });
                i = rest;
            } else if let Ok((rest, _)) = self.kw(at, "matrix") {
                let (rest, m) = cut(self.matrix(at, rest))?;
                clauses.push(ReportClause::Matrix(m));
                i = rest;
            } else {
                return cut(fail_help(at, Expected::ReportClause, msg::report_help()));
            }
        }
        Ok((
            i,
            ReportDecl {
                keyword,
                clauses,
                span: self.span(start, i),
            },
        ))
    }

    /// matrix := 'matrix' string '{' ('rows' id, … | 'columns' id, …)* '}'
    /// (`start` is at `matrix`, `i` after it)
    fn matrix(&self, start: &'a str, i: &'a str) -> PResult<'a, MatrixDecl> {
        let (i, title) = self.string(i)?;
        let (mut i, _) = self.sym(i, "{")?;
        let mut clauses = Vec::new();
        loop {
            if let Ok((rest, _)) = self.sym(i, "}") {
                i = rest;
                break;
            }
            let at = self.sp(i);
            let rows = self.kw(at, "rows");
            let columns = self.kw(at, "columns");
            let (Ok((rest, _)), is_rows) = (rows.clone().or(columns), rows.is_ok()) else {
                return fail_help(at, Expected::MatrixClause, msg::matrix_help());
            };
            let mut names = Vec::new();
            let mut rest = rest;
            loop {
                let (r, id) = self.rule_id(rest)?;
                names.push(id);
                match self.sym(r, ",") {
                    Ok((r, _)) => rest = r,
                    Err(_) => {
                        rest = r;
                        break;
                    }
                }
            }
            let span = self.span(at, rest);
            clauses.push(if is_rows {
                MatrixClause::Rows { names, span }
            } else {
                MatrixClause::Columns { names, span }
            });
            i = rest;
        }
        Ok((
            i,
            MatrixDecl {
                title,
                clauses,
                span: self.span(start, i),
            },
        ))
    }

    // ----- expressions ------------------------------------------------------

    /// One more level of nesting, opened by the token at `at`; an error
    /// there when it is one more than [`MAX_NESTING`]. The level is left
    /// when the guard is dropped.
    fn nest(&self, at: &'a str) -> Result<Nest<'_>, nom::Err<PErr>> {
        let mut guard = Nest {
            depth: &self.depth,
            levels: 0,
        };
        guard.deeper(self.sp(at))?;
        Ok(guard)
    }

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

    /// or := and ('or' and)*, one node for the whole list.
    fn or_expr(&self, i: &'a str) -> PResult<'a, Expr> {
        let start = i;
        let (mut i, first) = self.and_expr(i)?;
        let mut items = Vec::new();
        while let Ok((rest, _)) = self.kw(i, "or") {
            let (rest, rhs) = cut(self.and_expr(rest))?;
            items.push(rhs);
            i = rest;
        }
        if items.is_empty() {
            return Ok((i, first));
        }
        items.insert(0, first);
        Ok((i, self.mk(start, i, ExprKind::Or(items))))
    }

    /// and := not ('and' not)*, one node for the whole list.
    fn and_expr(&self, i: &'a str) -> PResult<'a, Expr> {
        let start = i;
        let (mut i, first) = self.not_expr(i)?;
        let mut items = Vec::new();
        while let Ok((rest, _)) = self.kw(i, "and") {
            let (rest, rhs) = cut(self.not_expr(rest))?;
            items.push(rhs);
            i = rest;
        }
        if items.is_empty() {
            return Ok((i, first));
        }
        items.insert(0, first);
        Ok((i, self.mk(start, i, ExprKind::And(items))))
    }

    /// not := 'not'* cmp; each `not` is a level of nesting, read in a loop.
    fn not_expr(&self, i: &'a str) -> PResult<'a, Expr> {
        let mut ops: Vec<&'a str> = Vec::new();
        let mut i = i;
        let mut guard = Nest {
            depth: &self.depth,
            levels: 0,
        };
        while let Ok((rest, _)) = self.kw(i, "not") {
            let at = self.sp(i);
            guard.deeper(at)?;
            ops.push(at);
            i = rest;
        }
        if ops.is_empty() {
            return self.cmp_expr(i);
        }
        let (rest, mut e) = cut(self.cmp_expr(i))?;
        for at in ops.into_iter().rev() {
            e = self.mk(at, rest, ExprKind::Not(Box::new(e)));
        }
        Ok((rest, e))
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
        if self.sym(i, "=").is_ok() {
            return cut(fail(self.sp(i), Expected::Comparison));
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

    /// operand (op operand)*, read in a loop into one node.
    fn left_assoc(
        &self,
        i: &'a str,
        ops: &[(&'static str, BinOp)],
        operand: fn(&Self, &'a str) -> PResult<'a, Expr>,
    ) -> PResult<'a, Expr> {
        let start = i;
        let (mut i, first) = operand(self, i)?;
        let mut rest_ops = Vec::new();
        while let Some((rest, op)) = ops
            .iter()
            .find_map(|(sym, op)| self.sym(i, sym).ok().map(|(r, _)| (r, *op)))
        {
            let (rest, rhs) = cut(operand(self, rest))?;
            rest_ops.push((op, rhs));
            i = rest;
        }
        if rest_ops.is_empty() {
            return Ok((i, first));
        }
        Ok((
            i,
            self.mk(
                start,
                i,
                ExprKind::Arith {
                    first: Box::new(first),
                    rest: rest_ops,
                },
            ),
        ))
    }

    /// unary := '-'* postfix; each `-` is a level of nesting, read in a loop.
    fn unary_expr(&self, i: &'a str) -> PResult<'a, Expr> {
        let mut ops: Vec<&'a str> = Vec::new();
        let mut i = i;
        let mut guard = Nest {
            depth: &self.depth,
            levels: 0,
        };
        while let Ok((rest, _)) = self.sym(i, "-") {
            let at = self.sp(i);
            guard.deeper(at)?;
            ops.push(at);
            i = rest;
        }
        if ops.is_empty() {
            return self.postfix_expr(i);
        }
        let (rest, mut e) = cut(self.postfix_expr(i))?;
        for at in ops.into_iter().rev() {
            e = self.mk(at, rest, ExprKind::Neg(Box::new(e)));
        }
        Ok((rest, e))
    }

    /// postfix := primary ('[' expr ']')*; each index is a level of nesting.
    fn postfix_expr(&self, i: &'a str) -> PResult<'a, Expr> {
        let start = i;
        let (mut i, mut e) = self.primary(i)?;
        let mut guard = Nest {
            depth: &self.depth,
            levels: 0,
        };
        while let Ok((rest, _)) = self.sym(i, "[") {
            guard.deeper(self.sp(i))?;
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
    ///
    /// A list, `if`, parentheses and a call are each a level of nesting.
    fn primary(&self, i: &'a str) -> PResult<'a, Expr> {
        let start = self.sp(i);
        match self.number(start) {
            Ok(r) => return Ok(r),
            // A number that is wrong (too large, a unit after it), not no number.
            Err(nom::Err::Failure(e)) => return Err(nom::Err::Failure(e)),
            Err(_) => {}
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
            let _level = self.nest(start)?;
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
            let _level = self.nest(start)?;
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
            let _level = self.nest(start)?;
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
            Err(_) => return fail(start, Expected::Expression),
        };
        if let Ok((mut i, _)) = self.sym(i, "(") {
            let _level = self.nest(start)?;
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
                    .or_else(|_| fail(self.sp(rest), Expected::CommaOrParen)))?;
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
            Err(_) => return fail(start, Expected::Number),
        };
        let Ok(mut value) = text.parse::<f64>() else {
            return fail(start, Expected::Number);
        };
        if !value.is_finite() {
            return Err(nom::Err::Failure(PErr {
                rest: start.len(),
                len: Some(text.len()),
                expected: Expected::FiniteNumber,
                help: None,
            }));
        }
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
            return cut(fail_help(
                rest,
                Expected::OperatorOrEnd,
                msg::unit_after_number_help(),
            ));
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

fn describe_found(rest: &str) -> Msg {
    let rest = rest.trim_start_matches([' ', '\t', '\r']);
    if rest.is_empty() {
        return msg::found_end_of_file();
    }
    if rest.starts_with('\n') {
        return msg::found_end_of_line();
    }
    let n = token_len(rest).max(1);
    let tok: String = rest.get(..n).unwrap_or(rest).chars().take(30).collect();
    msg::found_text(&tok)
}
