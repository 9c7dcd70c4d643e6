//! Cross-table work once every file is parsed: references are resolved to
//! row indexes and keys are checked for uniqueness.

use super::build::{Col, Sink, find_label};
use super::cell::{parse_bool, parse_dec, parse_int, parse_year};
use super::parsed::Parsed;
use super::table::*;
use super::{col_desc, fill, fill2, list_msg, table_desc};
use crate::diag::Code;
use crate::diag::{Diag, did_you_mean};
use crate::msg::data as msg;
use crate::schema::{ColId, ColType, Schema, TableDef, TableId};
use hashbrown::HashMap;
use rayon::prelude::*;
use std::fmt::Write;
use std::hash::Hash;
use std::sync::OnceLock;

/// The resolved reference columns of one table: `Some(rows)` for each
/// reference column, `None` for other columns.
pub(crate) type Refs = Vec<Option<Vec<u32>>>;

/// The rows of a table that a reference can name, by canonical key text.
struct TargetIndex<'a> {
    def: &'a TableDef,
    parsed: Option<&'a Parsed>,
    /// Canonical key → (year or `NULL_YEAR`, row), in row order.
    by_key: HashMap<String, Vec<(i32, u32)>>,
    has_year: bool,
    sorted_keys: OnceLock<Vec<String>>,
}

/// Resolves every reference column of every table. Returns, per table, its
/// resolved reference columns and the errors found.
pub(crate) fn resolve_refs(
    schema: &Schema,
    tables: &[Option<Parsed>],
    cap: usize,
) -> Vec<(Refs, Sink)> {
    let mut indexes: HashMap<TableId, TargetIndex> = HashMap::new();
    for def in &schema.tables {
        for c in &def.columns {
            if let ColType::Ref(t) = c.ty
                && !indexes.contains_key(&t)
                && let Some(tdef) = schema.tables.get(t)
            {
                let parsed = tables.get(t).and_then(Option::as_ref);
                indexes.insert(t, build_index(schema, tdef, parsed));
            }
        }
    }
    // Tables in parallel; `collect` keeps their order.
    schema
        .tables
        .par_iter()
        .enumerate()
        .map(|(t, def)| {
            let mut scratch = String::new();
            let mut sink = Sink::new(cap);
            let mut refs: Refs = vec![None; def.columns.len()];
            if let Some(p) = tables.get(t).and_then(Option::as_ref) {
                for ((c, cd), slot) in def.columns.iter().enumerate().zip(refs.iter_mut()) {
                    let ColType::Ref(target) = cd.ty else {
                        continue;
                    };
                    let Some(idx) = indexes.get(&target) else {
                        // A reference to a table the schema does not have.
                        *slot = Some(vec![NULL_ID; p.rows()]);
                        continue;
                    };
                    *slot = Some(resolve_column(
                        schema,
                        def,
                        p,
                        c,
                        idx,
                        &mut sink,
                        &mut scratch,
                    ));
                }
            }
            (refs, sink)
        })
        .collect()
}

fn build_index<'a>(
    schema: &Schema,
    def: &'a TableDef,
    parsed: Option<&'a Parsed>,
) -> TargetIndex<'a> {
    let has_year = def.year_col.is_some();
    let mut by_key: HashMap<String, Vec<(i32, u32)>> = HashMap::new();
    if let Some(p) = parsed {
        let years = def.year_col.and_then(|y| match p.cols.get(y) {
            Some(Col::Year(v)) => Some(v),
            _ => None,
        });
        let mut key = String::new();
        for row in 0..p.rows() {
            if !row_key(schema, def, p, row, &mut key) {
                continue;
            }
            let year = years.and_then(|v| v.get(row).copied()).unwrap_or(NULL_YEAR);
            let row = u32::try_from(row).unwrap_or(NULL_ID);
            match by_key.get_mut(key.as_str()) {
                Some(v) => v.push((year, row)),
                None => {
                    by_key.insert(key.clone(), vec![(year, row)]);
                }
            }
        }
    }
    TargetIndex {
        def,
        parsed,
        by_key,
        has_year,
        sorted_keys: OnceLock::new(),
    }
}

/// The canonical text of a row's entity key (key columns other than the
/// year, joined with `/`); false if a part is missing.
fn row_key(schema: &Schema, def: &TableDef, p: &Parsed, row: usize, out: &mut String) -> bool {
    out.clear();
    for (k, c) in def.entity_key().enumerate() {
        if k > 0 {
            out.push('/');
        }
        let ok = match p.cols.get(c) {
            Some(Col::Int(v)) => v
                .get(row)
                .filter(|x| **x != NULL_INT)
                .map(|x| write!(out, "{x}"))
                .is_some(),
            Some(Col::Dec(v)) => v
                .get(row)
                .filter(|x| !x.is_nan())
                .map(|x| write!(out, "{x}"))
                .is_some(),
            Some(Col::Year(v)) => v
                .get(row)
                .filter(|x| **x != NULL_YEAR)
                .map(|x| write!(out, "{x}"))
                .is_some(),
            Some(Col::Bool(v)) => v
                .get(row)
                .filter(|x| **x != NULL_BOOL)
                .map(|x| out.push(if *x == 1 { '1' } else { '0' }))
                .is_some(),
            Some(Col::Text(d) | Col::Ref(d)) => d.get(row).map(|s| out.push_str(s)).is_some(),
            Some(Col::Enum(v)) => {
                let name = match def.columns.get(c).map(|cd| cd.ty) {
                    Some(ColType::Enum(e)) => v
                        .get(row)
                        .and_then(|i| schema.enums.get(e)?.variants.get(*i as usize))
                        .map(|var| var.name.as_str()),
                    _ => None,
                };
                name.map(|n| out.push_str(n)).is_some()
            }
            None => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// The canonical text of a reference cell: each `/`-separated part read as
/// the target's key column reads it (so `5,001` finds the school with int id
/// `5001`); a part that does not parse is kept as written.
fn canonical_ref(schema: &Schema, target: &TableDef, s: &str, scratch: &mut String) -> String {
    let cols: Vec<ColId> = target.entity_key().collect();
    if cols.is_empty() {
        return String::new();
    }
    let parts: Vec<&str> = if cols.len() == 1 {
        vec![s]
    } else {
        s.split('/').map(str::trim).collect()
    };
    if parts.len() != cols.len() {
        return s.to_string();
    }
    let mut out = String::new();
    for (k, (part, c)) in parts.iter().zip(&cols).enumerate() {
        if k > 0 {
            out.push('/');
        }
        let ty = target.columns.get(*c).map(|cd| cd.ty);
        let before = out.len();
        let _ = match ty {
            Some(ColType::Int) => parse_int(part, scratch).map(|v| write!(out, "{v}")).is_ok(),
            Some(ColType::Decimal) => parse_dec(part, scratch, false)
                .map(|(v, _)| write!(out, "{v}"))
                .is_ok(),
            Some(ColType::Year) => parse_year(part, scratch)
                .map(|v| write!(out, "{v}"))
                .is_ok(),
            Some(ColType::Bool) => parse_bool(part)
                .map(|v| out.push(if v { '1' } else { '0' }))
                .is_some(),
            Some(ColType::Enum(e)) => find_label(schema.enums.get(e), part, scratch)
                .and_then(|i| schema.enums.get(e)?.variants.get(i as usize))
                .map(|v| out.push_str(&v.name))
                .is_some(),
            _ => false,
        };
        if out.len() == before {
            out.push_str(part);
        }
    }
    out
}

fn resolve_column(
    schema: &Schema,
    def: &TableDef,
    p: &Parsed,
    c: ColId,
    idx: &TargetIndex,
    sink: &mut Sink,
    scratch: &mut String,
) -> Vec<u32> {
    let rows = p.rows();
    let Some(Col::Ref(dict)) = p.cols.get(c) else {
        return vec![NULL_ID; rows];
    };
    // The rows each distinct reference names, looked up in parallel.
    let entries: Vec<&str> = dict.dict.iter().collect();
    let found: Vec<Option<&Vec<(i32, u32)>>> = entries
        .par_iter()
        .map_init(String::new, |scratch, s| {
            idx.by_key.get(&canonical_ref(schema, idx.def, s, scratch))
        })
        .collect();
    let years = match def.year_col.and_then(|y| p.cols.get(y)) {
        Some(Col::Year(v)) if idx.has_year => Some(v),
        _ => None,
    };
    let quiet = idx.parsed.is_some_and(|t| t.key_incomplete);
    // The row a reference names, `NULL_ID` when none; `None` when it names
    // no row and that is an error.
    let resolve = |row: usize| -> Option<u32> {
        let id = *dict.ids.get(row)?;
        if id == NULL_ID {
            return Some(NULL_ID);
        }
        let cands = found.get(id as usize).copied().flatten();
        let year = years.and_then(|v| v.get(row).copied());
        let hit = match (cands, year) {
            (None, _) => None,
            // The row's year is missing: already reported.
            (Some(_), Some(NULL_YEAR)) => Some(NULL_ID),
            (Some(cs), Some(y)) => cs.iter().find(|(cy, _)| *cy == y).map(|(_, r)| *r),
            // The target has years and this table not: the latest year's row.
            (Some(cs), None) if idx.has_year => {
                cs.iter().max_by_key(|(cy, _)| *cy).map(|(_, r)| *r)
            }
            (Some(cs), None) => cs.first().map(|(_, r)| *r),
        };
        hit.or(if quiet { Some(NULL_ID) } else { None })
    };
    // Rows in parallel blocks; the dangling references, in row order, are
    // reported afterwards.
    const BLOCK: usize = 1 << 16;
    let blocks: Vec<(Vec<u32>, Vec<usize>)> = (0..rows.div_ceil(BLOCK))
        .into_par_iter()
        .map(|b| {
            let mut out = Vec::with_capacity(BLOCK);
            let mut missing = Vec::new();
            for row in b * BLOCK..((b + 1) * BLOCK).min(rows) {
                out.push(resolve(row).unwrap_or_else(|| {
                    missing.push(row);
                    NULL_ID
                }));
            }
            (out, missing)
        })
        .collect();
    let mut out = Vec::with_capacity(rows);
    for (block, missing) in blocks {
        out.extend(block);
        for row in missing {
            let s = dict.get(row).unwrap_or("");
            let year = years.and_then(|v| v.get(row).copied());
            let cands = dict
                .ids
                .get(row)
                .and_then(|id| found.get(*id as usize).copied().flatten());
            sink.mark(row);
            sink.report_at(p.pos(row, c), || {
                dangling(schema, def, p, row, c, s, year, cands, idx, scratch)
            });
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn dangling(
    schema: &Schema,
    def: &TableDef,
    p: &Parsed,
    row: usize,
    c: ColId,
    s: &str,
    year: Option<i32>,
    cands: Option<&Vec<(i32, u32)>>,
    idx: &TargetIndex,
    scratch: &mut String,
) -> Diag {
    let col = def.columns.get(c).map(col_desc).unwrap_or_default();
    let target = match idx.parsed {
        Some(t) => t.what(),
        None => msg::place_no_file(&table_desc(idx.def)),
    };
    let help = match cands {
        Some(cs) => {
            let mut ys: Vec<i32> = cs
                .iter()
                .map(|(y, _)| *y)
                .filter(|y| *y != NULL_YEAR)
                .collect();
            ys.sort_unstable();
            ys.dedup();
            let ys: Vec<String> = ys.iter().map(i32::to_string).collect();
            Some(fill2(&target, &list_msg(&ys), |t, y| {
                msg::dangling_only_in_years(s, t, y)
            }))
        }
        None => {
            let keys = idx.sorted_keys.get_or_init(|| {
                let mut k: Vec<String> = idx.by_key.keys().cloned().collect();
                k.sort_unstable();
                k
            });
            let canon = canonical_ref(schema, idx.def, s, scratch);
            did_you_mean(&canon, keys.iter().map(String::as_str)).map(msg::did_you_mean)
        }
    };
    let place = p.place(row, c);
    let message = match year {
        Some(y) => fill(&target, |t| msg::dangling_in_year(&col, &place, s, t, y)),
        None => fill(&target, |t| msg::dangling(&col, &place, s, t)),
    };
    let d = Diag::new(Code::DataDanglingReference, message).maybe_help(help);
    p.point(d, &[(row, c, msg::dangling_label(&table_desc(idx.def)))])
}

/// Checks that no two rows share a key; missing key parts were reported
/// when the cells were read and such rows are skipped here.
pub(crate) fn check_keys(
    schema: &Schema,
    def: &TableDef,
    p: &Parsed,
    refs: &Refs,
    sink: &mut Sink,
) {
    let keys = &def.key;
    if keys.is_empty()
        || keys
            .iter()
            .any(|c| p.fields.get(*c).copied().flatten().is_none())
    {
        return;
    }
    // Text keys compare by the first dictionary entry holding their string.
    let firsts: Vec<Option<Vec<u32>>> = keys
        .iter()
        .map(|c| match p.cols.get(*c) {
            Some(Col::Text(d)) => Some(d.first_entries()),
            _ => None,
        })
        .collect();
    let text_part = |k: usize, id: u32| -> Option<u64> {
        let firsts = firsts.get(k)?.as_ref()?;
        firsts.get(id as usize).map(|x| u64::from(*x))
    };
    let part = |row: usize, k: usize| -> Option<u64> {
        let c = *keys.get(k)?;
        match p.cols.get(c)? {
            Col::Int(v) => v.get(row).filter(|x| **x != NULL_INT).map(|x| *x as u64),
            Col::Dec(v) => v.get(row).filter(|x| !x.is_nan()).map(|x| x.to_bits()),
            Col::Text(d) => d
                .ids
                .get(row)
                .filter(|x| **x != NULL_ID)
                .and_then(|x| text_part(k, *x)),
            Col::Ref(_) => refs
                .get(c)?
                .as_ref()?
                .get(row)
                .filter(|x| **x != NULL_ID)
                .map(|x| u64::from(*x)),
            Col::Bool(v) => v
                .get(row)
                .filter(|x| **x != NULL_BOOL)
                .map(|x| u64::from(*x)),
            Col::Year(v) => v.get(row).filter(|x| **x != NULL_YEAR).map(|x| *x as u64),
            Col::Enum(v) => v
                .get(row)
                .filter(|x| **x != NULL_ENUM)
                .map(|x| u64::from(*x)),
        }
    };
    let first_col = def.key.first().copied().unwrap_or(0);
    let mut report = |row: usize, first: usize| {
        sink.mark(row);
        sink.report_at(p.pos(row, first_col), || {
            duplicate(schema, def, p, row, first)
        });
    };
    match (keys.as_slice(), keys.first().and_then(|c| p.cols.get(*c))) {
        // One text key: a slot per distinct string, no hashing of rows.
        ([_], Some(Col::Text(d))) => {
            let firsts = firsts.first().and_then(Option::as_ref);
            let mut first_row = vec![u32::MAX; d.dict.len()];
            for (row, id) in d.ids.iter().enumerate() {
                let Some(slot) = firsts
                    .and_then(|f| f.get(*id as usize))
                    .and_then(|e| first_row.get_mut(*e as usize))
                else {
                    continue;
                };
                if *slot == u32::MAX {
                    *slot = u32::try_from(row).unwrap_or(u32::MAX);
                } else {
                    report(row, *slot as usize);
                }
            }
        }
        ([_], _) => find_duplicates(p.rows(), |row| part(row, 0), &mut report),
        _ if keys.len() <= 4 => find_duplicates(
            p.rows(),
            |row| {
                let mut k = [0u64; 4];
                for (i, slot) in k.iter_mut().enumerate().take(keys.len()) {
                    *slot = part(row, i)?;
                }
                Some(k)
            },
            &mut report,
        ),
        _ => find_duplicates(
            p.rows(),
            |row| {
                (0..keys.len())
                    .map(|i| part(row, i))
                    .collect::<Option<Vec<u64>>>()
            },
            &mut report,
        ),
    }
}

fn find_duplicates<K: Hash + Eq>(
    rows: usize,
    key: impl Fn(usize) -> Option<K>,
    report: &mut impl FnMut(usize, usize),
) {
    let mut seen: HashMap<K, usize> = HashMap::with_capacity(rows);
    for row in 0..rows {
        let Some(k) = key(row) else { continue };
        match seen.get(&k) {
            Some(&first) => report(row, first),
            None => {
                seen.insert(k, row);
            }
        }
    }
}

fn duplicate(schema: &Schema, def: &TableDef, p: &Parsed, row: usize, first: usize) -> Diag {
    let desc: Vec<String> = def
        .key
        .iter()
        .map(|&c| {
            let name = def.columns.get(c).map_or("", |cd| cd.label());
            format!("`{name}` = `{}`", display(schema, def, p, row, c))
        })
        .collect();
    let names: Vec<String> = def
        .key
        .iter()
        .filter_map(|&c| def.columns.get(c))
        .map(|cd| format!("`{}`", cd.label()))
        .collect();
    let first_col = def.key.first().copied().unwrap_or(0);
    let message = fill2(&p.what(), &list_msg(&desc), |w, k| {
        msg::duplicate_key(w, p.line(row), p.line(first), k)
    });
    // Keys written differently (`５００１`, `5001`) are the same key: say so.
    let spelled: Vec<(String, String)> = def
        .key
        .iter()
        .filter(|&&c| matches!(p.cols.get(c), Some(Col::Text(_))))
        .filter_map(|&c| Some((p.written(row, c)?, p.written(first, c)?)))
        .filter(|(a, b)| a != b)
        .collect();
    let help = match spelled.first() {
        Some((a, b)) => msg::duplicate_key_spelled_help(p.line(row), a, p.line(first), b),
        None => msg::duplicate_key_help(&table_desc(def), &names.join(" + ")),
    };
    let d = Diag::new(Code::DataDuplicateKey, message).help(help);
    p.point(
        d,
        &[
            (row, first_col, msg::duplicate_key_label()),
            (first, first_col, msg::first_used_here()),
        ],
    )
}

/// A cell's value as written back in messages.
fn display(schema: &Schema, def: &TableDef, p: &Parsed, row: usize, c: ColId) -> String {
    match p.cols.get(c) {
        Some(Col::Int(v)) => v.get(row).map(i64::to_string).unwrap_or_default(),
        Some(Col::Dec(v)) => v.get(row).map(f64::to_string).unwrap_or_default(),
        Some(Col::Year(v)) => v.get(row).map(i32::to_string).unwrap_or_default(),
        Some(Col::Bool(v)) => match v.get(row) {
            Some(1) => "是".to_string(),
            Some(0) => "否".to_string(),
            _ => String::new(),
        },
        Some(Col::Text(d) | Col::Ref(d)) => d.get(row).unwrap_or("").to_string(),
        Some(Col::Enum(v)) => match def.columns.get(c).map(|cd| cd.ty) {
            Some(ColType::Enum(e)) => v
                .get(row)
                .and_then(|i| schema.enums.get(e)?.variants.get(*i as usize))
                .map(|var| var.aliases.first().unwrap_or(&var.name).clone())
                .unwrap_or_default(),
            _ => String::new(),
        },
        None => String::new(),
    }
}
