//! Formatting shared by every renderer (terminal text, JSON, message
//! templates): numbers as an inspector reads them, and padding and truncation
//! by display width so that tables with Chinese text line up.

use crate::eval::finding::{MsgPart, Shown};
use crate::schema::Unit;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Decimal places shown by default (trailing zeros are trimmed).
pub const DEFAULT_DECIMALS: usize = 2;

/// Formats a value for a report.
///
/// - numbers: thousands separators (`12,345`), at most 2 decimal places with
///   trailing zeros trimmed (`4.2`, `0.45`, `2,512.5`), then ` {unit}` when the
///   unit is not empty (`4.5 m²/人`, `12,345 人`, `2,000 元/人`);
/// - percentages (`percent: true`, the value is a fraction): `48.2%`, `51.48%`,
///   `55%`, never with a unit;
/// - a dimensionless whole number from 1000 to 9999 is not grouped, so that a
///   year reads `2025`, not `2,025`;
/// - non-finite numbers (NaN, ±∞) and missing values: `—`;
/// - booleans: `是` / `否`; text as is.
pub fn format_shown(s: &Shown) -> String {
    format_shown_with(s, DEFAULT_DECIMALS)
}

/// [`format_shown`] with up to `decimals` decimal places (trailing zeros trimmed).
pub fn format_shown_with(s: &Shown, decimals: usize) -> String {
    match s {
        Shown::Num {
            value,
            unit,
            percent,
            integer: _,
        } => format_num(*value, unit, *percent, decimals),
        Shown::Bool(true) => "是".to_string(),
        Shown::Bool(false) => "否".to_string(),
        Shown::Text(t) => t.clone(),
        Shown::Missing => "—".to_string(),
    }
}

/// Formats a measured value and the standard it is compared with, with more
/// decimals when the default rounding would show them equal
/// (`100% ≠ 100%` → `99.996% ≠ 100%`).
pub fn format_pair(actual: &Shown, standard: &Shown) -> (String, String) {
    let (mut a, mut s) = (format_shown(actual), format_shown(standard));
    if matches!((actual, standard), (Shown::Num { .. }, Shown::Num { .. })) {
        for decimals in [4, 6] {
            if a != s {
                break;
            }
            a = format_shown_with(actual, decimals);
            s = format_shown_with(standard, decimals);
        }
    }
    (a, s)
}

/// Formats a number with its unit; see [`format_shown`].
pub fn format_num(value: f64, unit: &Unit, percent: bool, decimals: usize) -> String {
    if !value.is_finite() {
        return "—".to_string();
    }
    if percent {
        return format!("{}%", format_decimal(value * 100.0, decimals, true));
    }
    let whole_year_like =
        unit.is_dimensionless() && value.fract() == 0.0 && (1000.0..=9999.0).contains(&value);
    let n = format_decimal(value, decimals, !whole_year_like);
    if unit.is_dimensionless() {
        n
    } else {
        format!("{n} {unit}")
    }
}

/// `value` rounded to `decimals` places, trailing zeros trimmed, with thousands
/// separators when `group` is set. Never `-0`. Non-finite values give `—`.
pub fn format_decimal(value: f64, decimals: usize, group: bool) -> String {
    if !value.is_finite() {
        return "—".to_string();
    }
    let fixed = format!("{:.*}", decimals, value.abs());
    let (int_part, frac_part) = match fixed.split_once('.') {
        Some((i, f)) => (i, f.trim_end_matches('0')),
        None => (fixed.as_str(), ""),
    };
    let is_zero = int_part.bytes().all(|b| b == b'0') && frac_part.is_empty();
    let mut out = String::with_capacity(fixed.len() + fixed.len() / 3 + 1);
    if value.is_sign_negative() && !is_zero {
        out.push('-');
    }
    if group {
        out.push_str(&group_thousands(int_part));
    } else {
        out.push_str(int_part);
    }
    if !frac_part.is_empty() {
        out.push('.');
        out.push_str(frac_part);
    }
    out
}

/// `1234567` → `1,234,567` (for a string of ASCII digits).
fn group_thousands(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The text of a message: literal parts as written, values formatted with
/// [`format_shown`].
pub fn render_message(parts: &[MsgPart]) -> String {
    let mut out = String::new();
    for p in parts {
        match p {
            MsgPart::Text(t) => out.push_str(t),
            MsgPart::Value(v) => out.push_str(&format_shown(v)),
        }
    }
    out
}

/// `value` rounded to 10 significant digits, so that arithmetic noise
/// (`0.30000000000000004`) does not reach reports. Non-finite values pass
/// through unchanged.
pub fn round_significant(value: f64) -> f64 {
    if !value.is_finite() || value == 0.0 {
        return value;
    }
    format!("{value:.9e}").parse().unwrap_or(value)
}

/// Display width of `s` in terminal columns (Chinese characters count 2).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` padded with spaces on the right to `w` display columns.
pub fn pad_right(s: &str, w: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(s))));
    out
}

/// `s` padded with spaces on the left to `w` display columns.
pub fn pad_left(s: &str, w: usize) -> String {
    let mut out: String = std::iter::repeat_n(' ', w.saturating_sub(width(s))).collect();
    out.push_str(s);
    out
}

/// `s` cut to at most `max` display columns, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    if max > 0 {
        out.push('…');
    }
    out
}

/// Pushes `c`, escaped if it must not reach a terminal as it is
/// ([`crate::diag::escape`]'s rule: ESC, BEL, NUL, bidirectional controls…).
fn push_safe(out: &mut String, c: char) {
    match crate::diag::escaped_char(c) {
        Some(e) => out.push_str(&e),
        None => out.push(c),
    }
}

/// Text from the data or the rule pack made safe for one line of a terminal:
/// runs of whitespace (line breaks, tabs) become one space, and other control
/// characters (escape sequences, bidirectional overrides) are shown escaped.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            push_safe(&mut out, c);
        }
    }
    out
}

/// Like [`one_line`], for prose that may have been wrapped in the source: a
/// line break between two wide (Chinese) characters is dropped rather than
/// turned into a space.
pub fn join_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending: Option<bool> = None; // Some(saw a newline) while in a whitespace run
    for c in s.trim().chars() {
        if c.is_whitespace() {
            let nl = c == '\n' || c == '\r';
            pending = Some(pending.unwrap_or(false) || nl);
            continue;
        }
        if let Some(nl) = pending.take() {
            let prev_wide = out
                .chars()
                .next_back()
                .is_some_and(|p| p.width().unwrap_or(0) == 2);
            let next_wide = c.width().unwrap_or(0) == 2;
            if !(nl && prev_wide && next_wide) {
                out.push(' ');
            }
        }
        push_safe(&mut out, c);
    }
    out
}

/// Splits `s` into lines of at most `max` display columns, breaking after a
/// space or between wide characters where it can, anywhere otherwise.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(2);
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > max && !cur.is_empty() {
            // Prefer to break at the last space, if it is not too far back.
            let cut = cur.rfind(' ').filter(|&i| width(&cur[i..]) <= max / 3);
            match cut {
                Some(i) if !c.is_whitespace() => {
                    let rest = cur[i + 1..].to_string();
                    cur.truncate(i);
                    lines.push(std::mem::take(&mut cur));
                    cur = rest;
                }
                _ => lines.push(std::mem::take(&mut cur).trim_end().to_string()),
            }
            w = width(&cur);
            if c.is_whitespace() && cur.is_empty() {
                continue;
            }
        }
        cur.push(c);
        w += cw;
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// An operator as a reader writes it: `≥` for `>=`.
pub fn shown_op(op: &str) -> String {
    match op.trim() {
        ">=" => "≥".into(),
        "<=" => "≤".into(),
        "!=" => "≠".into(),
        "==" => "=".into(),
        other => one_line(other),
    }
}
