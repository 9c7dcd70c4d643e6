//! One CSV file → the columns of one table, with every problem found in it.

use super::cell::{
    BOOL_SPELLINGS, NumErr, YEAR_MAX, YEAR_MIN, YearErr, halfwidth, parse_bool, parse_dec,
    parse_int, parse_year, to_halfwidth,
};
use super::decode::{DecodeErrorKind, decode};
use super::table::*;
use super::{col_desc, table_desc};
use crate::diag::{Diag, Source, did_you_mean, source};
use crate::schema::{ColId, ColType, ColumnDef, EnumDef, Schema, TableDef, TableId};
use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Collects diagnostics up to a cap and counts the rest.
#[derive(Debug)]
pub(crate) struct Sink {
    pub diags: Vec<Diag>,
    pub dropped: usize,
    cap: usize,
}

impl Sink {
    pub fn new(cap: usize) -> Sink {
        Sink {
            diags: Vec::new(),
            dropped: 0,
            cap,
        }
    }

    /// Adds the diagnostic `f` builds, or only counts it when the cap is
    /// reached (so nothing is formatted for errors that will not be shown).
    pub fn report(&mut self, f: impl FnOnce() -> Diag) {
        if self.diags.len() < self.cap {
            self.diags.push(f());
        } else {
            self.dropped += 1;
        }
    }
}

/// Dictionary-encoded text being built. Each distinct string is stored
/// once (in `dict`); the hash table holds its id and 32 bits of its hash, so
/// growing the table reads no strings.
#[derive(Default)]
pub(crate) struct Dict {
    pub ids: Vec<u32>,
    pub dict: Vec<Box<str>>,
    table: HashTable<(u32, u32)>,
    hasher: DefaultHashBuilder,
}

impl std::fmt::Debug for Dict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dict")
            .field("ids", &self.ids)
            .field("dict", &self.dict)
            .finish()
    }
}

/// Spreads a stored 32-bit hash over the 64 bits the table uses.
fn spread(h: u32) -> u64 {
    u64::from(h).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl Dict {
    fn with_capacity(n: usize) -> Dict {
        Dict {
            ids: Vec::with_capacity(n),
            ..Dict::default()
        }
    }

    fn push(&mut self, s: &str) {
        let h = (self.hasher.hash_one(s) >> 32) as u32;
        let dict = &self.dict;
        let found = self.table.find(spread(h), |&(id, eh)| {
            eh == h && dict.get(id as usize).is_some_and(|d| **d == *s)
        });
        let id = match found {
            Some(&(id, _)) => id,
            None => {
                // Row counts are capped below `u32::MAX`, so ids fit.
                let id = u32::try_from(self.dict.len()).unwrap_or(NULL_ID);
                self.dict.push(s.into());
                self.table
                    .insert_unique(spread(h), (id, h), |&(_, eh)| spread(eh));
                id
            }
        };
        self.ids.push(id);
    }

    /// The text of row `row`, if present.
    pub fn get(&self, row: usize) -> Option<&str> {
        let id = *self.ids.get(row)?;
        self.dict.get(id as usize).map(|s| &**s)
    }
}

/// A column being built.
#[derive(Debug)]
pub(crate) enum Col {
    Int(Vec<i64>),
    Dec(Vec<f64>),
    Text(Dict),
    Bool(Vec<u8>),
    Year(Vec<i32>),
    Enum(Vec<u16>),
    /// The raw (trimmed) reference text, resolved once every table is loaded.
    Ref(Dict),
}

impl Col {
    fn new(ty: ColType, cap: usize) -> Col {
        match ty {
            ColType::Int => Col::Int(Vec::with_capacity(cap)),
            ColType::Decimal => Col::Dec(Vec::with_capacity(cap)),
            ColType::Text => Col::Text(Dict::with_capacity(cap)),
            ColType::Bool => Col::Bool(Vec::with_capacity(cap)),
            ColType::Year => Col::Year(Vec::with_capacity(cap)),
            ColType::Enum(_) => Col::Enum(Vec::with_capacity(cap)),
            ColType::Ref(_) => Col::Ref(Dict::with_capacity(cap)),
        }
    }

    fn push_null(&mut self) {
        match self {
            Col::Int(v) => v.push(NULL_INT),
            Col::Dec(v) => v.push(f64::NAN),
            Col::Text(d) | Col::Ref(d) => d.ids.push(NULL_ID),
            Col::Bool(v) => v.push(NULL_BOOL),
            Col::Year(v) => v.push(NULL_YEAR),
            Col::Enum(v) => v.push(NULL_ENUM),
        }
    }

    /// The column's final form; reference columns must have been resolved
    /// (they are passed in as `refs`).
    pub fn into_data(self, refs: Option<Vec<u32>>) -> ColumnData {
        match self {
            Col::Int(v) => ColumnData::Int(v),
            Col::Dec(v) => ColumnData::Dec(v),
            Col::Text(d) => ColumnData::Text {
                ids: d.ids,
                dict: d.dict,
            },
            Col::Bool(v) => ColumnData::Bool(v),
            Col::Year(v) => ColumnData::Year(v),
            Col::Enum(v) => ColumnData::Enum(v),
            Col::Ref(d) => ColumnData::Ref(refs.unwrap_or_else(|| vec![NULL_ID; d.ids.len()])),
        }
    }
}

/// One file of a submission, parsed into the columns of its table.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub table: TableId,
    /// Index into the submission's files.
    pub file: usize,
    /// File name, as shown in messages (`学校.csv`).
    pub name: String,
    pub input: InputFile,
    /// The decoded text (`None` when the file could not be decoded).
    pub src: Option<Source>,
    /// One per schema column.
    pub cols: Vec<Col>,
    /// The line of each loaded row.
    pub lines: Vec<u32>,
    /// For each schema column, its field (0-based) in the file, if present.
    pub fields: Vec<Option<usize>>,
    /// Some row's key could not be read (missing key column, ragged row, bad
    /// key cell): a reference that finds no row may be an echo of that error.
    pub key_incomplete: bool,
    pub errors: Sink,
    line_starts: OnceLock<Vec<usize>>,
}

impl Parsed {
    pub fn rows(&self) -> usize {
        self.lines.len()
    }

    fn text(&self) -> &str {
        self.src.as_ref().map(|s| s.inner().as_str()).unwrap_or("")
    }

    /// The span of the (trimmed) cell of `col` in row `row`, or of the start
    /// of the row's line if the column is not in the file.
    pub fn cell_span(&self, row: usize, col: ColId) -> Range<usize> {
        let text = self.text().as_bytes();
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(
                    text.iter()
                        .enumerate()
                        .filter(|(_, b)| **b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .collect()
        });
        let line = self.lines.get(row).copied().unwrap_or(1) as usize;
        let start = starts.get(line.saturating_sub(1)).copied().unwrap_or(0);
        match self.fields.get(col).copied().flatten() {
            Some(f) => field_span(text, start, f),
            None => start..start,
        }
    }
}

/// Lowercase hex SHA-256.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write;
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest.iter() {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Reads one file of table `table`.
pub(crate) fn parse_file(
    schema: &Schema,
    table: TableId,
    file: usize,
    name: &str,
    bytes: Vec<u8>,
    cap: usize,
) -> Parsed {
    let input = InputFile {
        path: PathBuf::from(name),
        sha256: sha256_hex(&bytes),
        note: None,
    };
    let ncols = schema.tables.get(table).map_or(0, |t| t.columns.len());
    let mut p = Parsed {
        table,
        file,
        name: name.to_string(),
        input,
        src: None,
        cols: Vec::new(),
        lines: Vec::new(),
        fields: vec![None; ncols],
        key_incomplete: true,
        errors: Sink::new(cap),
        line_starts: OnceLock::new(),
    };
    let Some(def) = schema.tables.get(table) else {
        return p;
    };
    match decode(bytes) {
        Err(e) => {
            p.cols = def.columns.iter().map(|c| Col::new(c.ty, 0)).collect();
            let bad: Vec<String> = e.bad.iter().map(|b| format!("0x{b:02X}")).collect();
            let help = "save it again as CSV: in Excel, 另存为 → CSV UTF-8(逗号分隔)(*.csv)";
            let d = match e.kind {
                DecodeErrorKind::Invalid => Diag::new(
                    "dudao::data::encoding",
                    format!(
                        "`{name}` is neither UTF-8 nor GB18030 text: invalid byte `{}` at line {} (byte {})",
                        bad.first().map_or("", String::as_str),
                        e.line,
                        e.offset
                    ),
                ),
                DecodeErrorKind::Utf16 => Diag::new(
                    "dudao::data::encoding",
                    format!("`{name}` is UTF-16 text, not UTF-8 or GB18030"),
                ),
                DecodeErrorKind::Workbook => Diag::new(
                    "dudao::data::encoding",
                    format!("`{name}` is an Excel workbook, not a CSV file"),
                ),
            };
            let d = match e.lossy {
                Some((text, span)) => {
                    let src = source(name, text);
                    d.label(span, format!("invalid byte sequence `{}`", bad.join(" ")))
                        .source(&src)
                }
                None => d,
            };
            p.errors.report(|| d.help(help));
        }
        Ok(decoded) => {
            p.input.note = decoded.note.map(str::to_string);
            let src = source(name, decoded.text);
            p.src = Some(src.clone());
            p.key_incomplete = false;
            parse_text(&mut p, schema, def, &src);
        }
    }
    p
}

/// A file that could not be read at all.
pub(crate) fn unreadable(
    schema: &Schema,
    table: TableId,
    file: usize,
    name: &str,
    error: Diag,
    cap: usize,
) -> Parsed {
    let columns = schema.tables.get(table).map_or(&[][..], |t| &t.columns[..]);
    let mut errors = Sink::new(cap);
    errors.report(|| error);
    Parsed {
        table,
        file,
        name: name.to_string(),
        input: InputFile {
            path: PathBuf::from(name),
            sha256: String::new(),
            note: None,
        },
        src: None,
        cols: columns.iter().map(|c| Col::new(c.ty, 0)).collect(),
        lines: Vec::new(),
        fields: vec![None; columns.len()],
        key_incomplete: true,
        errors,
        line_starts: OnceLock::new(),
    }
}

/// How a schema column is read from the file.
struct Plan<'a> {
    col: &'a ColumnDef,
    field: Option<usize>,
    key: bool,
    enum_def: Option<&'a EnumDef>,
}

/// Why a cell was rejected.
#[derive(Debug, Clone, Copy)]
enum Bad {
    Missing,
    Num(NumErr),
    Bool,
    Year(YearErr),
    Label,
}

fn parse_text(p: &mut Parsed, schema: &Schema, def: &TableDef, src: &Source) {
    let text = src.inner().as_bytes();
    let est_rows = text.iter().filter(|b| **b == b'\n').count();
    p.cols = def
        .columns
        .iter()
        .map(|c| Col::new(c.ty, est_rows))
        .collect();
    p.lines.reserve(est_rows);
    let name = p.name.clone();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut rec = csv::ByteRecord::new();

    // The header.
    match rdr.read_byte_record(&mut rec) {
        Ok(true) => {}
        Ok(false) => {
            p.key_incomplete = true;
            let labels: Vec<&str> = def.columns.iter().map(ColumnDef::label).collect();
            p.errors.report(|| {
                Diag::new("dudao::data::empty_file", format!("`{name}` is empty"))
                    .label(0..0, "expected a header row")
                    .source(src)
                    .help(format!(
                        "the first line must name the columns: {}",
                        labels.join(",")
                    ))
            });
            return;
        }
        Err(e) => {
            p.key_incomplete = true;
            p.errors.report(|| {
                Diag::new("dudao::data::csv", format!("cannot read `{name}`: {e}")).source(src)
            });
            return;
        }
    }
    let (hstart, _) = record_start(text, rec.position());
    let nfields = rec.len();
    let mut unnamed: Vec<(usize, bool)> = Vec::new();
    for (i, raw) in rec.iter().enumerate() {
        let h = std::str::from_utf8(raw)
            .unwrap_or("")
            .trim_matches(|c: char| c == '\u{FEFF}' || c.is_whitespace());
        if h.is_empty() {
            unnamed.push((i, false));
            continue;
        }
        match find_column(def, h) {
            Some(c) => match p.fields.get(c).copied().flatten() {
                Some(prev) => {
                    let Some(cd) = def.columns.get(c) else {
                        continue;
                    };
                    p.errors.report(|| {
                        Diag::new(
                            "dudao::data::duplicate_column",
                            format!("column {} appears twice in `{name}`", col_desc(cd)),
                        )
                        .label(field_span(text, hstart, i), "second time")
                        .label(field_span(text, hstart, prev), "first here")
                        .source(src)
                        .help("delete one of the two columns")
                    });
                }
                None => {
                    if let Some(f) = p.fields.get_mut(c) {
                        *f = Some(i);
                    }
                }
            },
            None => {
                let candidates = def
                    .columns
                    .iter()
                    .flat_map(|c| std::iter::once(&c.name).chain(&c.aliases));
                let suggestion = did_you_mean(h, candidates.map(String::as_str));
                let help = match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "the columns of {} are: {}",
                        table_desc(def),
                        column_list(def)
                    ),
                };
                p.errors.report(|| {
                    Diag::new(
                        "dudao::data::unknown_column",
                        format!("unknown column `{h}` in `{name}`"),
                    )
                    .label(
                        field_span(text, hstart, i),
                        format!("not a column of {}", table_desc(def)),
                    )
                    .source(src)
                    .help(help)
                });
            }
        }
    }
    let hline = line_span(text, hstart);
    for (c, cd) in def.columns.iter().enumerate() {
        let key = def.key.contains(&c);
        if p.fields.get(c).copied().flatten().is_none() && (key || !cd.optional) {
            if key {
                p.key_incomplete = true;
            }
            let what = if key { "key column" } else { "column" };
            p.errors.report(|| {
                let spellings = std::iter::once(&cd.name)
                    .chain(&cd.aliases)
                    .map(|s| format!("`{s}`"));
                Diag::new(
                    "dudao::data::missing_column",
                    format!("`{name}` has no {what} {}", col_desc(cd)),
                )
                .label(hline.clone(), "header row")
                .source(src)
                .help(format!(
                    "add a column headed {}",
                    spellings.collect::<Vec<_>>().join(" or ")
                ))
            });
        }
    }

    let plans: Vec<Plan> = def
        .columns
        .iter()
        .enumerate()
        .map(|(c, cd)| Plan {
            col: cd,
            field: p.fields.get(c).copied().flatten(),
            key: def.key.contains(&c),
            enum_def: match cd.ty {
                ColType::Enum(e) => schema.enums.get(e),
                _ => None,
            },
        })
        .collect();

    // The rows.
    let mut scratch = String::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                p.key_incomplete = true;
                p.errors.report(|| {
                    Diag::new("dudao::data::csv", format!("cannot read `{name}`: {e}")).source(src)
                });
                break;
            }
        }
        // Rows of empty cells (`,,,,` as Excel writes below the data) hold nothing.
        if rec.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let (start, line) = record_start(text, rec.position());
        let line32 = u32::try_from(line).unwrap_or(u32::MAX);
        if rec.len() != nfields {
            p.key_incomplete = true;
            let n = rec.len();
            p.errors.report(|| {
                let d = Diag::new(
                    "dudao::data::ragged_row",
                    format!("line {line} has {n} cells, but the header of `{name}` has {nfields}"),
                );
                if n > nfields {
                    d.label(field_span(text, start, nfields), "unexpected cell")
                        .help("a value that contains `,` must be quoted, e.g. `\"1,234\"`")
                } else {
                    let end = field_span(text, start, n.saturating_sub(1)).end;
                    d.label(end..end, format!("expected {nfields} cells")).help(
                        "every row needs one cell per header column; leave a cell empty as `,,`",
                    )
                }
                .source(src)
            });
            continue;
        }
        if p.lines.len() >= (u32::MAX - 1) as usize {
            p.key_incomplete = true;
            p.errors.report(|| {
                Diag::new(
                    "dudao::data::too_many_rows",
                    format!("`{name}` has more than {} rows", u32::MAX - 1),
                )
                .label(line_span(text, start), "first row not loaded")
                .source(src)
            });
            break;
        }
        p.lines.push(line32);
        for (i, reported) in unnamed.iter_mut() {
            if !*reported
                && rec
                    .get(*i)
                    .is_some_and(|f| !f.iter().all(u8::is_ascii_whitespace))
            {
                *reported = true;
                let i = *i;
                p.errors.report(|| {
                    Diag::new(
                        "dudao::data::unnamed_column",
                        format!("column {} of `{name}` has no header but holds data", i + 1),
                    )
                    .label(field_span(text, start, i), "value under an empty header")
                    .source(src)
                    .help("add a header naming the column, or delete the column")
                });
            }
        }
        for (plan, col) in plans.iter().zip(p.cols.iter_mut()) {
            let Some(f) = plan.field else {
                col.push_null();
                continue;
            };
            let s = rec
                .get(f)
                .and_then(|raw| std::str::from_utf8(raw).ok())
                .unwrap_or("")
                .trim();
            let res = if s.is_empty() {
                col.push_null();
                if plan.key || !plan.col.optional {
                    Err(Bad::Missing)
                } else {
                    Ok(())
                }
            } else {
                push_cell(col, plan, s, &mut scratch).inspect_err(|_| col.push_null())
            };
            if let Err(bad) = res {
                if plan.key {
                    p.key_incomplete = true;
                }
                p.errors
                    .report(|| cell_diag(bad, s, plan, def, text, start, f, src));
            }
        }
    }
}

/// Parses a non-empty trimmed cell into `col`; pushes nothing on error.
fn push_cell(col: &mut Col, plan: &Plan, s: &str, scratch: &mut String) -> Result<(), Bad> {
    match col {
        Col::Int(v) => v.push(parse_int(s, scratch).map_err(Bad::Num)?),
        Col::Dec(v) => {
            let (x, pct) = parse_dec(s, scratch, plan.col.percent).map_err(Bad::Num)?;
            if pct && !plan.col.percent {
                return Err(Bad::Num(NumErr::Percent));
            }
            v.push(x);
        }
        Col::Text(d) | Col::Ref(d) => d.push(s),
        Col::Bool(v) => v.push(u8::from(parse_bool(s).ok_or(Bad::Bool)?)),
        Col::Year(v) => v.push(parse_year(s, scratch).map_err(Bad::Year)?),
        Col::Enum(v) => v.push(find_label(plan.enum_def, s, scratch).ok_or(Bad::Label)?),
    }
    Ok(())
}

/// Finds an enum variant by name or alias; also after converting full-width
/// forms, and ignoring ASCII case.
pub(crate) fn find_label(e: Option<&EnumDef>, s: &str, scratch: &mut String) -> Option<u16> {
    let e = e?;
    let found = e.find(s).or_else(|| {
        to_halfwidth(s, scratch);
        let h = scratch.trim();
        e.find(h).or_else(|| {
            e.variants
                .iter()
                .position(|v| {
                    v.name.eq_ignore_ascii_case(h)
                        || v.aliases.iter().any(|a| a.eq_ignore_ascii_case(h))
                })
                .and_then(|i| u16::try_from(i).ok())
        })
    });
    found.filter(|&i| i != NULL_ENUM)
}

/// The preferred spelling of each variant (its first alias, else its name).
pub(crate) fn label_list(e: &EnumDef) -> String {
    let labels: Vec<&str> = e
        .variants
        .iter()
        .map(|v| v.aliases.first().map(String::as_str).unwrap_or(&v.name))
        .collect();
    abbreviate(&labels, 20)
}

fn column_list(def: &TableDef) -> String {
    let labels: Vec<&str> = def.columns.iter().map(ColumnDef::label).collect();
    abbreviate(&labels, 16)
}

fn abbreviate(items: &[&str], max: usize) -> String {
    let mut s = items
        .iter()
        .take(max)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > max {
        s.push_str(&format!(", … ({} in all)", items.len()));
    }
    s
}

/// Finds a column by header: name or alias, then ignoring ASCII case and
/// full-width forms.
fn find_column(def: &TableDef, h: &str) -> Option<ColId> {
    def.column_by_header(h).or_else(|| {
        let h: String = h.chars().map(halfwidth).collect();
        let h = h.trim();
        def.columns.iter().position(|c| {
            c.name.eq_ignore_ascii_case(h) || c.aliases.iter().any(|a| a.eq_ignore_ascii_case(h))
        })
    })
}

#[allow(clippy::too_many_arguments)]
fn cell_diag(
    bad: Bad,
    s: &str,
    plan: &Plan,
    def: &TableDef,
    text: &[u8],
    start: usize,
    field: usize,
    src: &Source,
) -> Diag {
    let col = col_desc(plan.col);
    let int = plan.col.ty == ColType::Int;
    let d = match bad {
        Bad::Missing if plan.key => Diag::new(
            "dudao::data::missing_value",
            format!("missing key value for {col}"),
        )
        .help(format!(
            "every row of {} needs a value in each key column",
            table_desc(def)
        )),
        Bad::Missing => Diag::new(
            "dudao::data::missing_value",
            format!("missing value for required column {col}"),
        )
        .help("fill it in; only optional columns may be left empty"),
        Bad::Num(NumErr::Invalid) if int => Diag::new(
            "dudao::data::bad_number",
            format!("`{s}` is not a whole number"),
        )
        .help("write a whole number such as `1200` or `1,200`"),
        Bad::Num(NumErr::Invalid) => {
            let eg = if plan.col.percent {
                "`55` or `55%` (both mean 55%)"
            } else {
                "`12.5` or `1,234.5`"
            };
            Diag::new("dudao::data::bad_number", format!("`{s}` is not a number"))
                .help(format!("write a number such as {eg}"))
        }
        Bad::Num(NumErr::Grouping) => Diag::new(
            "dudao::data::bad_number",
            format!("`{s}` is not a valid number"),
        )
        .help("`,` is read only as a thousands separator (`12,345`); write a decimal point as `.`"),
        Bad::Num(NumErr::Fraction) => Diag::new(
            "dudao::data::bad_number",
            format!("`{s}` is not a whole number"),
        )
        .help(format!(
            "{col} holds whole numbers: `1,200` and `1200.0` are accepted, a fraction is not"
        )),
        Bad::Num(NumErr::Exponent) => Diag::new(
            "dudao::data::bad_number",
            format!("`{s}` is in scientific notation"),
        )
        .help(
            "Excel writes numbers this way when the column is too narrow, losing digits; \
                 format the column as a number (数值) and save again",
        ),
        Bad::Num(NumErr::TooLarge) => {
            Diag::new("dudao::data::bad_number", format!("`{s}` is out of range"))
        }
        Bad::Num(NumErr::Percent) => Diag::new(
            "dudao::data::unexpected_percent",
            format!("`{s}` has a `%` sign, but {col} is not a percentage"),
        )
        .help("write the number without `%`"),
        Bad::Bool => Diag::new(
            "dudao::data::bad_bool",
            format!("`{s}` is not a yes/no value"),
        )
        .help(format!("accepted spellings: {BOOL_SPELLINGS}")),
        Bad::Year(YearErr::NotYear) => {
            Diag::new("dudao::data::bad_year", format!("`{s}` is not a year"))
                .help("write a year as `2025` or `2025年`, or a date such as `2025-09-01`")
        }
        Bad::Year(YearErr::OutOfRange) => Diag::new(
            "dudao::data::bad_year",
            format!("year `{s}` is out of range"),
        )
        .help(format!("years must be between {YEAR_MIN} and {YEAR_MAX}")),
        Bad::Label => {
            let (dym, valid) = match plan.enum_def {
                Some(e) => (
                    did_you_mean(s, e.all_spellings()).map(str::to_string),
                    label_list(e),
                ),
                None => (None, String::new()),
            };
            let help = match dym {
                Some(m) => format!("did you mean `{m}`? valid values: {valid}"),
                None => format!("valid values: {valid}"),
            };
            Diag::new(
                "dudao::data::unknown_label",
                format!("`{s}` is not a valid value for {col}"),
            )
            .help(help)
        }
    };
    let label = match bad {
        Bad::Missing => "empty cell".to_string(),
        Bad::Num(NumErr::Percent) => "unexpected `%`".to_string(),
        Bad::Num(NumErr::Grouping) => "misplaced `,`".to_string(),
        Bad::Num(_) if int => format!("expected a whole number for {col}"),
        Bad::Num(_) => format!("expected a number for {col}"),
        Bad::Bool => format!("expected yes/no for {col}"),
        Bad::Year(_) => format!("expected a year for {col}"),
        Bad::Label => "unknown value".to_string(),
    };
    d.label(field_span(text, start, field), label).source(src)
}

/// Where a record really starts: csv reports the position after the previous
/// record, which may be before the rest of its line end and blank lines.
fn record_start(text: &[u8], pos: Option<&csv::Position>) -> (usize, u64) {
    let Some(pos) = pos else {
        return (0, 1);
    };
    let mut at = usize::try_from(pos.byte()).unwrap_or(usize::MAX);
    let mut line = pos.line();
    while let Some(&b) = text.get(at) {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
        at += 1;
    }
    (at, line)
}

/// The span of the physical line that starts at `start` (without its end).
fn line_span(text: &[u8], start: usize) -> Range<usize> {
    let start = start.min(text.len());
    let len = text
        .get(start..)
        .unwrap_or(&[])
        .iter()
        .position(|b| *b == b'\n' || *b == b'\r');
    start..len.map_or(text.len(), |l| start + l)
}

/// The span of field `field` (0-based) of the record starting at `start`:
/// the cell's content without quotes and surrounding whitespace. A field past
/// the end of the record gives the empty span at the record's end.
pub(crate) fn field_span(text: &[u8], start: usize, field: usize) -> Range<usize> {
    let mut i = start.min(text.len());
    let mut f = 0usize;
    loop {
        let (content, next) = scan_field(text, i);
        if f == field {
            return trim_span(text, content);
        }
        match next {
            Some(n) => {
                i = n;
                f += 1;
            }
            None => return content.end..content.end,
        }
    }
}

/// Scans the field starting at `i`: its content and where the next field
/// starts (`None` at the end of the record).
fn scan_field(text: &[u8], i: usize) -> (Range<usize>, Option<usize>) {
    let at = |k: usize| text.get(k).copied();
    let (content, mut k) = if at(i) == Some(b'"') {
        let mut j = i + 1;
        loop {
            match at(j) {
                None => break,
                Some(b'"') if at(j + 1) == Some(b'"') => j += 2,
                Some(b'"') => break,
                Some(_) => j += 1,
            }
        }
        (i + 1..j.min(text.len()), j + 1)
    } else {
        (i..i, i)
    };
    while let Some(b) = at(k) {
        if matches!(b, b',' | b'\n' | b'\r') {
            break;
        }
        k += 1;
    }
    let content = if content.is_empty() && at(i) != Some(b'"') {
        i..k.min(text.len())
    } else {
        content
    };
    let next = if at(k) == Some(b',') {
        Some(k + 1)
    } else {
        None
    };
    (content, next)
}

fn trim_span(text: &[u8], span: Range<usize>) -> Range<usize> {
    let Some(s) = text
        .get(span.clone())
        .and_then(|b| std::str::from_utf8(b).ok())
    else {
        return span;
    };
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    span.start + lead..span.start + lead + trimmed.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_spans() {
        let t = "a, b ,\"c,\"\"d\"\"\",,e\nx".as_bytes();
        let s = |f| {
            std::str::from_utf8(&t[field_span(t, 0, f)])
                .unwrap()
                .to_string()
        };
        assert_eq!(s(0), "a");
        assert_eq!(s(1), "b");
        assert_eq!(s(2), "c,\"\"d\"\"");
        assert_eq!(s(3), "");
        assert_eq!(field_span(t, 0, 3), 16..16);
        assert_eq!(s(4), "e");
        assert_eq!(field_span(t, 0, 5), 18..18);
        assert_eq!(s(0), "a");
        assert_eq!(std::str::from_utf8(&t[field_span(t, 19, 0)]).unwrap(), "x");
    }
}
