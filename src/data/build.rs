//! What CSV files and sheets share: columns being built, the error sink,
//! cell parsing by column type, header matching, and the wording of every
//! cell and header error (the caller adds where it is).

use super::cell::{
    BOOL_SPELLINGS, NumErr, YEAR_MAX, YEAR_MIN, YearErr, parse_bool, parse_dec, parse_int,
    parse_year, to_halfwidth,
};
use super::table::*;
use super::{col_desc, table_desc};
use crate::diag::Code;
use crate::diag::{Diag, Msg, did_you_mean};
use crate::msg::data as msg;
use crate::schema::{ColType, ColumnDef, EnumDef, Schema, TableDef, ValueRange};
use hashbrown::{DefaultHashBuilder, HashMap, HashTable};
use std::hash::BuildHasher;

/// Collects diagnostics up to a cap and counts the rest; also remembers
/// which loaded rows had an error, so every row is accounted for.
#[derive(Debug)]
pub(crate) struct Sink {
    /// (sort position within the input, diagnostic).
    pub diags: Vec<(u64, Diag)>,
    pub dropped: usize,
    /// Loaded rows (indexes into the table) that had an error, unsorted,
    /// possibly repeated.
    pub rows: Vec<u32>,
    cap: usize,
}

impl Sink {
    pub fn new(cap: usize) -> Sink {
        Sink {
            diags: Vec::new(),
            dropped: 0,
            rows: Vec::new(),
            cap,
        }
    }

    /// Adds the diagnostic `f` builds, sorted by its primary label's offset
    /// (CSV files, where offsets follow the file), or only counts it when the
    /// cap is reached (so nothing is formatted for errors that will not be
    /// shown).
    pub fn report(&mut self, f: impl FnOnce() -> Diag) {
        if self.diags.len() < self.cap {
            let d = f();
            self.diags.push((d.offset() as u64, d));
        } else {
            self.dropped += 1;
        }
    }

    /// [`Sink::report`] at an explicit sort position.
    pub fn report_at(&mut self, pos: u64, f: impl FnOnce() -> Diag) {
        if self.diags.len() < self.cap {
            self.diags.push((pos, f()));
        } else {
            self.dropped += 1;
        }
    }

    pub fn cap(&self) -> usize {
        self.cap
    }

    /// Takes the diagnostics and marked rows of `other`, which collected them
    /// for the rows that follow (its row `r` is row `r + row_offset` here);
    /// keeps the first `cap` diagnostics and counts the rest.
    pub fn absorb(&mut self, other: Sink, row_offset: u32) {
        self.rows
            .extend(other.rows.iter().map(|r| r.saturating_add(row_offset)));
        self.dropped += other.dropped;
        self.diags.extend(other.diags);
        if self.diags.len() > self.cap {
            self.dropped += self.diags.len() - self.cap;
            self.diags.truncate(self.cap);
        }
    }

    /// Marks loaded row `row` as having an error.
    pub fn mark(&mut self, row: usize) {
        self.rows.push(u32::try_from(row).unwrap_or(u32::MAX));
    }
}

/// Dictionary-encoded text being built. Each block of a file is read into
/// its own dictionary, where each distinct string is stored once (the hash
/// table holds its id and 32 bits of its hash, so growing the table reads
/// no strings), unless the block's first rows show the column is mostly
/// distinct, when strings are just stored. Blocks are joined by
/// concatenating their dictionaries. So equal strings may have different
/// ids: code that compares a column's text compares strings (or uses
/// [`Dict::first_entries`]), never ids.
#[derive(Default)]
pub(crate) struct Dict {
    pub ids: Vec<u32>,
    pub dict: Strings,
    table: HashTable<(u32, u32)>,
    hasher: DefaultHashBuilder,
    /// Strings are no longer looked up: the column's values proved mostly
    /// distinct (ids, names), where interning costs time and saves nothing.
    plain: bool,
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
        /// Rows looked at before deciding whether interning pays.
        const SAMPLE: usize = 512;
        let id = if self.plain {
            self.dict.push(s);
            u32::try_from(self.dict.len() - 1).unwrap_or(NULL_ID)
        } else {
            // Rows often come grouped (the teachers of a school): the
            // previous row's string needs no lookup.
            match self.ids.last() {
                Some(&last) if last != NULL_ID && self.dict.get(last as usize) == Some(s) => last,
                _ => self.intern(s),
            }
        };
        self.ids.push(id);
        if !self.plain && self.ids.len() == SAMPLE && self.dict.len() * 2 > SAMPLE {
            self.plain = true;
            self.table = HashTable::new();
        }
    }

    /// The id of `s`, adding it if new.
    fn intern(&mut self, s: &str) -> u32 {
        let h = (self.hasher.hash_one(s) >> 32) as u32;
        let dict = &self.dict;
        let found = self.table.find(spread(h), |&(id, eh)| {
            eh == h && dict.get(id as usize).is_some_and(|d| d == s)
        });
        match found {
            Some(&(id, _)) => id,
            None => {
                if self.table.capacity() == 0 {
                    // A chunk's worth of distinct strings, without rehashing.
                    let n = self.ids.capacity().clamp(16, 1 << 14);
                    self.table.reserve(n, |&(_, eh)| spread(eh));
                }
                // Row counts are capped below `u32::MAX`, so ids fit.
                let id = u32::try_from(self.dict.len()).unwrap_or(NULL_ID);
                self.dict.push(s);
                self.table
                    .insert_unique(spread(h), (id, h), |&(_, eh)| spread(eh));
                id
            }
        }
    }

    /// Appends the rows of `other` (the next rows of the same column): its
    /// dictionary follows this one's, its ids are shifted past it. Reads no
    /// string. Strings added afterwards are not matched against any before.
    fn append(&mut self, other: Dict) {
        let shift = u32::try_from(self.dict.len()).unwrap_or(NULL_ID);
        self.dict.extend(&other.dict);
        self.ids.extend(other.ids.iter().map(|&id| {
            if id == NULL_ID {
                NULL_ID
            } else {
                id.saturating_add(shift)
            }
        }));
        self.table = HashTable::new();
        self.plain = true;
    }

    /// For each dictionary entry, the first entry holding the same string
    /// (itself when it is the first). The entries are hashed in parallel,
    /// partitioned by hash, and each partition is sorted by hash (in
    /// parallel); only strings with equal hashes are compared.
    pub fn first_entries(&self) -> Vec<u32> {
        use rayon::prelude::*;
        const BUCKETS: usize = 256;
        let n = u32::try_from(self.dict.len()).unwrap_or(NULL_ID);
        let dict = &self.dict;
        let hasher = &self.hasher;
        // (32 bits of hash, entry).
        let keyed: Vec<u64> = (0..n)
            .into_par_iter()
            .map(|i| {
                let h = hasher.hash_one(dict.get(i as usize).unwrap_or("")) >> 32;
                (h << 32) | u64::from(i)
            })
            .collect();
        let bucket = |i: usize| keyed.get(i).map_or(usize::MAX, |&k| (k >> 56) as usize);
        let (starts, mut parted) = group_by_key(BUCKETS, keyed.len(), bucket, |i| {
            keyed.get(i).copied().unwrap_or(0)
        });
        drop(keyed);
        let mut buckets: Vec<&mut [u64]> = Vec::with_capacity(BUCKETS);
        let mut rest = parted.as_mut_slice();
        for w in starts.windows(2) {
            let [a, b] = w else { continue };
            let (head, tail) = rest.split_at_mut((b.saturating_sub(*a) as usize).min(rest.len()));
            buckets.push(head);
            rest = tail;
        }
        // (entry, its first entry) for every entry that is not the first.
        let later: Vec<(u32, u32)> = buckets
            .into_par_iter()
            .flat_map_iter(|b| {
                b.sort_unstable();
                let mut out = Vec::new();
                for run in b.chunk_by(|x, y| x >> 32 == y >> 32) {
                    if run.len() < 2 {
                        continue;
                    }
                    // Within a run, entries ascend.
                    let mut done = vec![false; run.len()];
                    for (k, &a) in run.iter().enumerate() {
                        if done.get(k) == Some(&true) {
                            continue;
                        }
                        let text = dict.get(a as u32 as usize);
                        for (j, &b) in run.iter().enumerate().skip(k + 1) {
                            if done.get(j) != Some(&true) && dict.get(b as u32 as usize) == text {
                                out.push((b as u32, a as u32));
                                if let Some(d) = done.get_mut(j) {
                                    *d = true;
                                }
                            }
                        }
                    }
                }
                out
            })
            .collect();
        let mut first: Vec<u32> = (0..n).collect();
        for (b, a) in later {
            if let Some(slot) = first.get_mut(b as usize) {
                *slot = a;
            }
        }
        first
    }

    /// The text of row `row`, if present.
    pub fn get(&self, row: usize) -> Option<&str> {
        let id = *self.ids.get(row)?;
        self.dict.get(id as usize)
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
    pub fn new(ty: ColType, cap: usize) -> Col {
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

    /// Appends the rows of `other`, a column of the same type holding the
    /// rows that follow.
    pub fn append(&mut self, other: Col) {
        match (self, other) {
            (Col::Int(a), Col::Int(b)) => a.extend(b),
            (Col::Dec(a), Col::Dec(b)) => a.extend(b),
            (Col::Text(a), Col::Text(b)) | (Col::Ref(a), Col::Ref(b)) => a.append(b),
            (Col::Bool(a), Col::Bool(b)) => a.extend(b),
            (Col::Year(a), Col::Year(b)) => a.extend(b),
            (Col::Enum(a), Col::Enum(b)) => a.extend(b),
            _ => {}
        }
    }

    pub fn push_null(&mut self) {
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

/// How a schema column is read from a file or sheet.
pub(crate) struct Plan<'a> {
    pub col: &'a ColumnDef,
    /// The field (CSV) or sheet column holding it, if any.
    pub field: Option<usize>,
    pub key: bool,
    pub enum_def: Option<&'a EnumDef>,
    /// Each exact spelling of the enum's variants (names and aliases; the
    /// first variant wins), for the common case of a cell spelled exactly.
    pub labels: HashMap<&'a str, u16>,
    /// The values a number column may hold.
    pub range: Option<ValueRange>,
}

impl<'a> Plan<'a> {
    pub fn all(schema: &'a Schema, def: &'a TableDef, fields: &[Option<usize>]) -> Vec<Plan<'a>> {
        def.columns
            .iter()
            .enumerate()
            .map(|(c, cd)| Plan {
                col: cd,
                field: fields.get(c).copied().flatten(),
                key: def.key.contains(&c),
                enum_def: match cd.ty {
                    ColType::Enum(e) => schema.enums.get(e),
                    _ => None,
                },
                labels: match cd.ty {
                    ColType::Enum(e) => spellings(schema.enums.get(e)),
                    _ => HashMap::new(),
                },
                range: cd.range.filter(|_| cd.ty.is_numeric()),
            })
            .collect()
    }

    /// The variant a cell names.
    fn label(&self, s: &str, scratch: &mut String) -> Option<u16> {
        match self.labels.get(s) {
            Some(&v) => Some(v),
            None => find_label(self.enum_def, s, scratch),
        }
    }

    /// Whether an empty cell is an error.
    pub fn required(&self) -> bool {
        self.key || !self.col.optional
    }
}

/// Exact spellings → variant, the first variant holding a spelling winning
/// (as in [`find_label`]).
fn spellings(e: Option<&EnumDef>) -> HashMap<&str, u16> {
    let mut out = HashMap::new();
    for (i, v) in e.map_or(&[][..], |e| &e.variants[..]).iter().enumerate() {
        let Ok(i) = u16::try_from(i) else { break };
        if i == NULL_ENUM {
            break;
        }
        for s in std::iter::once(&v.name).chain(&v.aliases) {
            out.entry(s.as_str()).or_insert(i);
        }
    }
    out
}

/// Why a cell was rejected.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Bad {
    Missing,
    Num(NumErr),
    Bool,
    Year(YearErr),
    Label,
    /// A spreadsheet error value (`#DIV/0!`).
    SheetError,
    /// A date cell where a number, yes/no or label is expected.
    Date,
    /// A cell longer than Excel allows (its length in characters).
    TooLong(usize),
    /// A number outside its column's range.
    OutOfRange,
}

/// Whether `b` (UTF-8) starts and ends with a character that [`clean`]
/// keeps, judged from the bytes: a printable ASCII byte, or a character
/// whose first byte no whitespace or zero-width character has (those start
/// with 0xC2, 0xE1, 0xE2, 0xE3 or 0xEF).
#[inline]
fn plain_edges(b: &[u8]) -> bool {
    let kept = |lead: u8| match lead {
        0x21..=0x7E => true,
        0x00..=0x7F | 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF => false,
        _ => true,
    };
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return false;
    };
    // The last character's first byte: the last byte that is not 0b10xxxxxx.
    let last_lead = if last < 0x80 {
        last
    } else {
        match b.iter().rev().take(4).find(|&&c| c & 0xC0 != 0x80) {
            Some(&c) => c,
            None => return false,
        }
    };
    kept(first) && kept(last_lead)
}

/// Trims whitespace (also full-width and no-break spaces) and the
/// zero-width characters that text copied from web pages carries.
#[inline]
pub(crate) fn clean(s: &str) -> &str {
    if plain_edges(s.as_bytes()) {
        return s;
    }
    let t = s.trim();
    if t.starts_with(['\u{200B}', '\u{FEFF}']) || t.ends_with(['\u{200B}', '\u{FEFF}']) {
        t.trim_matches(|c: char| c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}')
    } else {
        t
    }
}

/// A key or reference cell as compared: full-width forms converted
/// (`５００１` → `5001`, `Ａ／１` → `A/1`), trimmed again.
pub(crate) fn normal_key<'s>(s: &str, scratch: &'s mut String) -> &'s str {
    to_halfwidth(s, scratch);
    clean(scratch)
}

/// Parses a non-empty trimmed cell into `col`; pushes nothing on error.
pub(crate) fn push_cell(
    col: &mut Col,
    plan: &Plan,
    s: &str,
    scratch: &mut String,
) -> Result<(), Bad> {
    match col {
        Col::Int(v) => {
            let x = parse_int(s, scratch).map_err(Bad::Num)?;
            if plan.range.is_some_and(|r| !r.contains(x as f64)) {
                return Err(Bad::OutOfRange);
            }
            v.push(x);
        }
        Col::Dec(v) => {
            let (x, pct) = parse_dec(s, scratch, plan.col.percent).map_err(Bad::Num)?;
            if pct && !plan.col.percent {
                return Err(Bad::Num(NumErr::Percent));
            }
            if plan.range.is_some_and(|r| !r.contains(x)) {
                return Err(Bad::OutOfRange);
            }
            v.push(x);
        }
        // Keys and references are compared as statisticians read them: a
        // key in full-width digits (`５００１`) is the same as `5001`.
        Col::Text(d) if plan.key && !s.is_ascii() => d.push(normal_key(s, scratch)),
        Col::Ref(d) if !s.is_ascii() => d.push(normal_key(s, scratch)),
        Col::Text(d) | Col::Ref(d) => d.push(s),
        Col::Bool(v) => v.push(u8::from(parse_bool(s).ok_or(Bad::Bool)?)),
        Col::Year(v) => v.push(parse_year(s, scratch).map_err(Bad::Year)?),
        Col::Enum(v) => v.push(plan.label(s, scratch).ok_or(Bad::Label)?),
    }
    Ok(())
}

/// Finds an enum variant by name or alias; also after converting full-width
/// forms, and ignoring ASCII case.
pub(crate) fn find_label(e: Option<&EnumDef>, s: &str, scratch: &mut String) -> Option<u16> {
    let e = e?;
    // The cell is trimmed: most are spelled exactly as a variant.
    let exact = e
        .variants
        .iter()
        .position(|v| v.name == s || v.aliases.iter().any(|a| a == s))
        .and_then(|i| u16::try_from(i).ok());
    let found = exact.or_else(|| e.find(s)).or_else(|| {
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

/// The preferred spelling of a variant: its first alias, else its name.
pub(crate) fn variant_label(v: &crate::schema::Variant) -> &str {
    v.aliases.first().map(String::as_str).unwrap_or(&v.name)
}

/// The preferred spelling of each variant, abbreviated after 20.
pub(crate) fn label_list(e: &EnumDef) -> String {
    let labels: Vec<&str> = e.variants.iter().map(variant_label).collect();
    abbreviate(&labels, 20)
}

pub(crate) fn abbreviate(items: &[&str], max: usize) -> String {
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

/// The diagnostic for a rejected cell holding `s`, without its location,
/// and the text of the label that will point at the cell.
/// A value as quoted in a message: a long one is cut after 60 characters.
pub(crate) fn quoted(s: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 60;
    if s.len() <= MAX {
        return s.into();
    }
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or(s)).into(),
        None => s.into(),
    }
}

pub(crate) fn cell_problem(bad: Bad, s: &str, plan: &Plan, def: &TableDef) -> (Diag, Msg) {
    let s = &*quoted(s);
    let col = col_desc(plan.col);
    let int = plan.col.ty == ColType::Int;
    let d = match bad {
        Bad::Missing if plan.key => Diag::new(Code::DataMissingValue, msg::missing_key_value(&col))
            .help(msg::missing_key_value_help(&table_desc(def))),
        Bad::Missing => Diag::new(Code::DataMissingValue, msg::missing_value(&col))
            .help(msg::missing_value_help()),
        Bad::Num(NumErr::Invalid) if int => {
            Diag::new(Code::DataBadNumber, msg::not_whole_number(s))
                .help(msg::not_whole_number_help())
        }
        Bad::Num(NumErr::Invalid) => {
            Diag::new(Code::DataBadNumber, msg::not_number(s)).help(if plan.col.percent {
                msg::not_percent_help()
            } else {
                msg::not_number_help()
            })
        }
        Bad::Num(NumErr::Grouping) => {
            Diag::new(Code::DataBadNumber, msg::bad_grouping(s)).help(msg::bad_grouping_help())
        }
        Bad::Num(NumErr::Fraction) => {
            Diag::new(Code::DataBadNumber, msg::not_whole_number(s)).help(msg::fraction_help(&col))
        }
        Bad::Num(NumErr::Exponent) => {
            Diag::new(Code::DataBadNumber, msg::exponent(s)).help(msg::exponent_help())
        }
        Bad::Num(NumErr::TooLarge) => Diag::new(Code::DataBadNumber, msg::too_large(s)),
        Bad::Num(NumErr::Percent) => Diag::new(
            Code::DataUnexpectedPercent,
            msg::unexpected_percent(s, &col),
        )
        .help(msg::unexpected_percent_help()),
        Bad::Bool => {
            Diag::new(Code::DataBadBool, msg::not_bool(s)).help(msg::not_bool_help(BOOL_SPELLINGS))
        }
        Bad::Year(YearErr::NotYear) => {
            Diag::new(Code::DataBadYear, msg::not_year(s)).help(msg::not_year_help())
        }
        Bad::Year(YearErr::OutOfRange) => Diag::new(Code::DataBadYear, msg::year_out_of_range(s))
            .help(msg::year_out_of_range_help(YEAR_MIN, YEAR_MAX)),
        Bad::Label => {
            let (dym, valid) = match plan.enum_def {
                Some(e) => (
                    did_you_mean(s, e.all_spellings()).map(str::to_string),
                    label_list(e),
                ),
                None => (None, String::new()),
            };
            let help = match dym {
                Some(m) => msg::unknown_label_did_you_mean(&m, &valid),
                None => msg::unknown_label_help(&valid),
            };
            Diag::new(Code::DataUnknownLabel, msg::unknown_label(s, &col)).help(help)
        }
        Bad::SheetError => {
            Diag::new(Code::DataCellError, msg::sheet_error(s, &col)).help(sheet_error_help(s))
        }
        Bad::Date => {
            let m = match plan.col.ty {
                ColType::Bool => msg::date_for_bool(s, &col),
                ColType::Enum(_) => msg::date_for_label(s, &col),
                _ => msg::date_for_number(s, &col),
            };
            Diag::new(Code::DataUnexpectedDate, m).help(msg::date_help())
        }
        Bad::OutOfRange => {
            let r = plan.col.range.unwrap_or(ValueRange::COUNT);
            let bound = |v: f64| {
                if plan.col.percent {
                    format!("{}%", super::cell::num_text(v * 100.0))
                } else {
                    super::cell::num_text(v)
                }
            };
            let rule = match (r.min.map(bound), r.max.map(bound)) {
                (Some(a), Some(b)) => msg::range_between(&col, &a, &b),
                (Some(a), None) if !r.declared => msg::range_count(&col, &a),
                (Some(a), None) => msg::range_at_least(&col, &a),
                (None, Some(b)) => msg::range_at_most(&col, &b),
                (None, None) => msg::range_any(&col),
            };
            Diag::new(Code::DataOutOfRange, msg::out_of_range(s, &col)).help(rule)
        }
        Bad::TooLong(n) => Diag::new(
            Code::DataCellTooLong,
            msg::cell_too_long(n, super::limits::CELL_CHARS),
        )
        .help(msg::cell_too_long_help()),
    };
    let label = match bad {
        Bad::Missing => msg::empty_cell(),
        Bad::Num(NumErr::Percent) => msg::unexpected_percent_label(),
        Bad::Num(NumErr::Grouping) => msg::bad_grouping_label(),
        Bad::Num(_) | Bad::Date if int => msg::expected_whole_number(&col),
        Bad::Num(_) => msg::expected_number(&col),
        Bad::Bool => msg::expected_bool(&col),
        Bad::Year(_) => msg::expected_year(&col),
        Bad::Label => msg::unknown_value(),
        Bad::SheetError => msg::error_value(),
        Bad::TooLong(_) => msg::cell_too_long_label(),
        Bad::OutOfRange => msg::out_of_range_label(),
        Bad::Date => match plan.col.ty {
            ColType::Bool => msg::expected_bool(&col),
            ColType::Enum(_) => msg::expected_label(),
            _ => msg::expected_number(&col),
        },
    };
    (d, label)
}

fn sheet_error_help(e: &str) -> Msg {
    match e {
        "#DIV/0!" => msg::sheet_error_div0(),
        "#N/A" => msg::sheet_error_na(),
        "#REF!" => msg::sheet_error_ref(),
        "#NAME?" => msg::sheet_error_name(),
        "#VALUE!" => msg::sheet_error_value(),
        "#NUM!" => msg::sheet_error_num(),
        "#NULL!" => msg::sheet_error_null(),
        _ => msg::sheet_error_other(),
    }
}
