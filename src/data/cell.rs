//! Parsing of single CSV cells into typed values. Pure functions over `&str`;
//! a caller-owned scratch buffer is reused so that parsing a cell does not
//! allocate.
//!
//! Every parser receives the cell already trimmed and non-empty.

/// Maps a full-width form (`１２３`, `．`, `－`, `％`, `，`, `Ｙ`) and the
/// ideographic space to its ASCII counterpart; also U+2212 MINUS SIGN to `-`.
/// Other characters are returned unchanged.
pub(crate) fn halfwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{2212}' => '-',
        _ => c,
    }
}

/// Writes `s` with full-width forms converted (see [`halfwidth`]) into `out`.
pub(crate) fn to_halfwidth(s: &str, out: &mut String) {
    out.clear();
    out.extend(s.chars().map(halfwidth));
}

/// Why a number did not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumErr {
    /// Not a number at all.
    Invalid,
    /// A `,` that is not a thousands separator (`12,5`, `1234,567`).
    Grouping,
    /// A non-zero fraction in a whole-number column (`12.5`).
    Fraction,
    /// Scientific notation in a whole-number column (`1.2E+07`).
    Exponent,
    /// Does not fit (or is infinite).
    TooLarge,
    /// A `%` sign where percentages are not allowed.
    Percent,
}

#[derive(Debug, Default, Clone, Copy)]
struct Scanned {
    percent: bool,
    frac_nonzero: bool,
    exponent: bool,
}

/// Scans a number: `[+-] digits [, ddd]* [. digits] [e [+-] digits] [%]`,
/// full-width forms accepted, `,` only as a thousands separator. Writes the
/// plain ASCII number (no separators, no `%`) into `out`.
fn scan_number(s: &str, out: &mut String) -> Result<Scanned, NumErr> {
    out.clear();
    let mut st = Scanned::default();
    let mut chars = s.chars().map(halfwidth).peekable();
    if let Some(&c) = chars.peek()
        && (c == '-' || c == '+')
    {
        if c == '-' {
            out.push('-');
        }
        chars.next();
    }
    let mut int_digits = 0usize;
    let mut group = 0usize;
    let mut grouped = false;
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            out.push(c);
            int_digits += 1;
            group += 1;
        } else if c == ',' {
            if group == 0 || (!grouped && group > 3) || (grouped && group != 3) {
                return Err(NumErr::Grouping);
            }
            grouped = true;
            group = 0;
        } else {
            break;
        }
        chars.next();
    }
    if grouped && group != 3 {
        return Err(NumErr::Grouping);
    }
    let mut frac_digits = 0usize;
    if chars.peek() == Some(&'.') {
        chars.next();
        out.push('.');
        while let Some(&c) = chars.peek() {
            if !c.is_ascii_digit() {
                break;
            }
            out.push(c);
            frac_digits += 1;
            st.frac_nonzero |= c != '0';
            chars.next();
        }
    }
    if int_digits == 0 && frac_digits == 0 {
        return Err(NumErr::Invalid);
    }
    if let Some(&c) = chars.peek()
        && (c == 'e' || c == 'E')
    {
        chars.next();
        st.exponent = true;
        out.push('e');
        if let Some(&c) = chars.peek()
            && (c == '-' || c == '+')
        {
            out.push(c);
            chars.next();
        }
        let mut exp_digits = 0usize;
        while let Some(&c) = chars.peek() {
            if !c.is_ascii_digit() {
                break;
            }
            out.push(c);
            exp_digits += 1;
            chars.next();
        }
        if exp_digits == 0 {
            return Err(NumErr::Invalid);
        }
    }
    while chars.peek().is_some_and(|c| c.is_whitespace()) {
        chars.next();
    }
    if chars.peek() == Some(&'%') {
        chars.next();
        st.percent = true;
    }
    if chars.next().is_some() {
        return Err(NumErr::Invalid);
    }
    Ok(st)
}

/// Whether `s` is a plain run of at most 18 ASCII digits, optionally
/// preceded by `-` (the common case, parsed without scanning).
/// Powers of ten exact in an `f64`.
const POW10: [f64; 18] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17,
];

/// `-?digits(.digits)?` with at most 15 digits in all, as (the digits as an
/// integer, the number of digits after the point): both exact in an `f64`.
fn short_decimal(s: &str) -> Option<(i64, usize)> {
    let (neg, b) = match s.strip_prefix('-') {
        Some(r) => (true, r.as_bytes()),
        None => (false, s.as_bytes()),
    };
    let (int, frac) = match b.iter().position(|&c| c == b'.') {
        Some(p) => (b.get(..p)?, b.get(p + 1..)?),
        None => (b, &[][..]),
    };
    if int.is_empty() || int.len() + frac.len() > 15 || (frac.is_empty() && int.len() < b.len()) {
        return None;
    }
    let mut m: i64 = 0;
    for &c in int.iter().chain(frac) {
        if !c.is_ascii_digit() {
            return None;
        }
        m = m * 10 + i64::from(c - b'0');
    }
    Some((if neg { -m } else { m }, frac.len()))
}

fn plain_digits(s: &str) -> bool {
    let b = s.strip_prefix('-').unwrap_or(s).as_bytes();
    !b.is_empty() && b.len() <= 18 && b.iter().all(u8::is_ascii_digit)
}

/// Parses a whole number. Accepts thousands separators (`12,345`), full-width
/// digits (`１２３`), and a zero fraction (`45.0`, as Excel writes it).
pub(crate) fn parse_int(s: &str, scratch: &mut String) -> Result<i64, NumErr> {
    if plain_digits(s) {
        return s.parse::<i64>().map_err(|_| NumErr::TooLarge);
    }
    let st = scan_number(s, scratch)?;
    if st.percent {
        return Err(NumErr::Percent);
    }
    if st.exponent {
        return Err(NumErr::Exponent);
    }
    if st.frac_nonzero {
        return Err(NumErr::Fraction);
    }
    if let Some(p) = scratch.find('.') {
        scratch.truncate(p);
    }
    match scratch.parse::<i64>() {
        // `i64::MIN` is the missing-value sentinel.
        Ok(v) if v != i64::MIN => Ok(v),
        _ => Err(NumErr::TooLarge),
    }
}

/// Parses a decimal number; returns the value as written and whether it
/// carried a `%` sign (the caller decides what a percent sign means).
/// `percent_points` scales the value by 1/100 exactly as if the decimal
/// point had been moved (so `12.34` gives the same `f64` as `0.1234`).
pub(crate) fn parse_dec(
    s: &str,
    scratch: &mut String,
    percent_points: bool,
) -> Result<(f64, bool), NumErr> {
    if let Some((m, k)) = short_decimal(s) {
        // `m / 10^k` with both exact in an f64: one correctly rounded
        // division, so the same value as parsing the decimal (or the
        // shifted decimal, for percentage points).
        let k = if percent_points { k + 2 } else { k };
        let v = m as f64 / POW10.get(k).copied().unwrap_or(f64::NAN);
        return Ok((v + 0.0, false));
    }
    let st = if plain_digits(s) {
        scratch.clear();
        scratch.push_str(s);
        Scanned::default()
    } else {
        scan_number(s, scratch)?
    };
    let v = if percent_points && !st.exponent {
        scratch.push_str("e-2");
        scratch.parse::<f64>().map_err(|_| NumErr::Invalid)?
    } else if percent_points {
        scratch.parse::<f64>().map_err(|_| NumErr::Invalid)? / 100.0
    } else {
        scratch.parse::<f64>().map_err(|_| NumErr::Invalid)?
    };
    if !v.is_finite() {
        return Err(NumErr::TooLarge);
    }
    // Normalise -0.0, so equal values have equal bits.
    Ok((v + 0.0, st.percent))
}

/// The accepted spellings of yes/no, for messages.
pub(crate) const BOOL_SPELLINGS: &str = "是/否, 有/无, √/×, Y/N, 1/0, TRUE/FALSE, yes/no";

/// Parses a yes/no cell. Accepted (after full-width forms are converted):
///
/// | true | false |
/// |------|-------|
/// | 是 | 否 |
/// | 有 | 无 |
/// | √ ✓ ✔ | × ✗ ✘ |
/// | Y y | N n |
/// | 1 | 0 |
/// | true (any case) | false (any case) |
/// | yes (any case) | no (any case) |
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    fn ascii(s: &str) -> Option<bool> {
        match s {
            "是" | "有" | "√" | "✓" | "✔" | "Y" | "y" | "1" => Some(true),
            "否" | "无" | "×" | "✗" | "✘" | "N" | "n" | "0" => Some(false),
            _ if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("yes") => Some(true),
            _ if s.eq_ignore_ascii_case("false") || s.eq_ignore_ascii_case("no") => Some(false),
            _ => None,
        }
    }
    ascii(s).or_else(|| {
        if s.chars().any(|c| halfwidth(c) != c) {
            let h: String = s.chars().map(halfwidth).collect();
            ascii(h.trim())
        } else {
            None
        }
    })
}

pub(crate) const YEAR_MIN: i32 = 1900;
pub(crate) const YEAR_MAX: i32 = 2100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum YearErr {
    NotYear,
    OutOfRange,
}

/// Parses a year: `2025`, `2025年`, `2025.0`, or a date whose year is taken:
/// `2025-09-01`, `2025/9/1`, `2025.9.1`, `2025-09`, `2025/9`, `2025年9月`,
/// `2025年9月1日`, `20250901`, optionally followed by a time
/// (`2025-09-01 00:00:00`). Full-width forms accepted. Range 1900..=2100.
pub(crate) fn parse_year(s: &str, scratch: &mut String) -> Result<i32, YearErr> {
    let t: &str = if s.is_ascii() {
        s
    } else {
        to_halfwidth(s, scratch);
        scratch.as_str()
    };
    let date = match t.split_once([' ', 'T']) {
        Some((d, time)) => {
            let time = time.trim();
            if !time.is_empty()
                && time
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ':' || c == '.')
            {
                d
            } else {
                return Err(YearErr::NotYear);
            }
        }
        None => t,
    };
    let end = date
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(date.len());
    let (y, rest) = date.split_at(end);
    if y.is_empty() {
        return Err(YearErr::NotYear);
    }
    let year_digits = if rest.is_empty() && y.len() == 8 {
        // yyyymmdd
        let (yy, md) = y.split_at(4);
        let (m, d) = md.split_at(2);
        if !valid_month_day(m, Some(d)) {
            return Err(YearErr::NotYear);
        }
        yy
    } else if rest.is_empty() || rest == "年" {
        y
    } else if let Some(zeros) = rest.strip_prefix('.')
        && !zeros.is_empty()
        && zeros.bytes().all(|b| b == b'0')
    {
        y
    } else {
        if y.len() != 4 || !date_rest(rest) {
            return Err(YearErr::NotYear);
        }
        y
    };
    if year_digits.len() > 9 {
        return Err(YearErr::OutOfRange);
    }
    let v: i32 = year_digits.parse().map_err(|_| YearErr::NotYear)?;
    if (YEAR_MIN..=YEAR_MAX).contains(&v) {
        Ok(v)
    } else {
        Err(YearErr::OutOfRange)
    }
}

fn valid_month_day(m: &str, d: Option<&str>) -> bool {
    fn num(s: &str, max: u32) -> bool {
        (1..=2).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|v| (1..=max).contains(&v))
    }
    num(m, 12) && d.is_none_or(|d| num(d, 31))
}

/// The part of a date after the year: `-09-01`, `/9/1`, `.9.1`, `-09`, `/9`,
/// `年9月`, `年9月1日`.
fn date_rest(rest: &str) -> bool {
    if let Some(r) = rest.strip_prefix('年') {
        let Some((m, r)) = r.split_once('月') else {
            return false;
        };
        if r.is_empty() {
            return valid_month_day(m, None);
        }
        let d = r.strip_suffix('日').unwrap_or(r);
        return valid_month_day(m, Some(d));
    }
    let Some(sep) = rest.chars().next() else {
        return false;
    };
    if !matches!(sep, '-' | '/' | '.') {
        return false;
    }
    let mut parts = rest.strip_prefix(sep).unwrap_or(rest).split(sep);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(m), None, None) => sep != '.' && valid_month_day(m, None),
        (Some(m), Some(d), None) => valid_month_day(m, Some(d)),
        _ => false,
    }
}

/// A number as Excel shows it in a General cell: at most 15 significant
/// digits (so `45.0` is `45` and `0.1 + 0.2` is `0.3`), never in exponent form.
pub(crate) fn num_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    format!("{}", rounded + 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(s: &str) -> Result<i64, NumErr> {
        parse_int(s, &mut String::new())
    }
    fn dec(s: &str) -> Result<(f64, bool), NumErr> {
        parse_dec(s, &mut String::new(), false)
    }
    fn pct(s: &str) -> Result<f64, NumErr> {
        parse_dec(s, &mut String::new(), true).map(|(v, _)| v)
    }
    fn year(s: &str) -> Result<i32, YearErr> {
        parse_year(s, &mut String::new())
    }

    #[test]
    fn short_decimals_parse_as_the_standard_library_does() {
        // A deterministic spread of mantissas and point positions.
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = (x % 15 + 1) as usize;
            let m = x % 10u64.pow(digits as u32);
            let mut s = format!("{m:0digits$}");
            let point = (x >> 40) as usize % digits;
            if point > 0 {
                s.insert(point, '.');
            }
            if x & 1 == 1 {
                s.insert(0, '-');
            }
            let want: f64 = s.parse().unwrap();
            assert_eq!(dec(&s).unwrap().0.to_bits(), (want + 0.0).to_bits(), "{s}");
            let want: f64 = format!("{s}e-2").parse().unwrap();
            assert_eq!(pct(&s).unwrap().to_bits(), (want + 0.0).to_bits(), "{s}%");
        }
    }

    #[test]
    fn ints() {
        assert_eq!(int("12345"), Ok(12345));
        assert_eq!(int("-7"), Ok(-7));
        assert_eq!(int("+7"), Ok(7));
        assert_eq!(int("12,345"), Ok(12345));
        assert_eq!(int("1,234,567"), Ok(1234567));
        assert_eq!(int("１２３"), Ok(123));
        assert_eq!(int("１２，３４５"), Ok(12345));
        assert_eq!(int("－５"), Ok(-5));
        assert_eq!(int("45.0"), Ok(45));
        assert_eq!(int("45.00"), Ok(45));
        assert_eq!(int("45."), Ok(45));
        assert_eq!(int("12.5"), Err(NumErr::Fraction));
        assert_eq!(int("12,5"), Err(NumErr::Grouping));
        assert_eq!(int("1234,567"), Err(NumErr::Grouping));
        assert_eq!(int(",123"), Err(NumErr::Grouping));
        assert_eq!(int("1,,234"), Err(NumErr::Grouping));
        assert_eq!(int("1.2E+07"), Err(NumErr::Exponent));
        assert_eq!(int("55%"), Err(NumErr::Percent));
        assert_eq!(int("abc"), Err(NumErr::Invalid));
        assert_eq!(int("-"), Err(NumErr::Invalid));
        assert_eq!(int("1 2"), Err(NumErr::Invalid));
        assert_eq!(int("12a"), Err(NumErr::Invalid));
        assert_eq!(int("99999999999999999999"), Err(NumErr::TooLarge));
        assert_eq!(int("-9223372036854775808"), Err(NumErr::TooLarge));
        assert_eq!(int("9223372036854775807"), Ok(i64::MAX));
    }

    #[test]
    fn decimals() {
        assert_eq!(dec("12.5"), Ok((12.5, false)));
        assert_eq!(dec(".5"), Ok((0.5, false)));
        assert_eq!(dec("1,234.5"), Ok((1234.5, false)));
        assert_eq!(dec("１２．５"), Ok((12.5, false)));
        assert_eq!(dec("－１２．５"), Ok((-12.5, false)));
        assert_eq!(dec("55%"), Ok((55.0, true)));
        assert_eq!(dec("５５％"), Ok((55.0, true)));
        assert_eq!(dec("55 %"), Ok((55.0, true)));
        assert_eq!(dec("1.5e3"), Ok((1500.0, false)));
        assert_eq!(dec("-0"), Ok((0.0, false)));
        assert!(dec("-0").is_ok_and(|(v, _)| v.is_sign_positive()));
        assert_eq!(dec("inf"), Err(NumErr::Invalid));
        assert_eq!(dec("NaN"), Err(NumErr::Invalid));
        assert_eq!(dec("1e999"), Err(NumErr::TooLarge));
        assert_eq!(dec("1e"), Err(NumErr::Invalid));
        assert_eq!(dec("."), Err(NumErr::Invalid));
        assert_eq!(dec("12,5"), Err(NumErr::Grouping));
        assert_eq!(dec("55%%"), Err(NumErr::Invalid));
    }

    #[test]
    fn percent_points_are_exact() {
        assert_eq!(pct("55"), Ok(0.55));
        assert_eq!(pct("55%"), Ok(0.55));
        assert_eq!(pct("55.0"), Ok(0.55));
        assert_eq!(pct("12.34"), Ok(0.1234));
        assert_eq!(pct("0.55"), Ok(0.0055));
        assert_eq!(pct("5.5e1"), Ok(0.55));
    }

    #[test]
    fn bools() {
        for s in [
            "是", "有", "√", "Y", "y", "1", "TRUE", "true", "True", "yes", "Ｙ", "１",
        ] {
            assert_eq!(parse_bool(s), Some(true), "{s}");
        }
        for s in [
            "否", "无", "×", "N", "n", "0", "FALSE", "false", "no", "Ｎ", "０",
        ] {
            assert_eq!(parse_bool(s), Some(false), "{s}");
        }
        for s in ["maybe", "2", "是的", "x"] {
            assert_eq!(parse_bool(s), None, "{s}");
        }
    }

    #[test]
    fn years() {
        for s in [
            "2025",
            "2025年",
            "2025.0",
            "2025-09-01",
            "2025/9/1",
            "2025.9.1",
            "2025-09",
            "2025/9",
            "2025年9月",
            "2025年9月1日",
            "20250901",
            "2025-09-01 00:00:00",
            "2025-09-01T08:00",
            "２０２５",
            "２０２５年",
        ] {
            assert_eq!(year(s), Ok(2025), "{s}");
        }
        for s in [
            "2025.5",
            "2025.09",
            "2025-13-01",
            "2025-09-01 noon",
            "year",
            "25-09-01",
            "2025-",
        ] {
            assert_eq!(year(s), Err(YearErr::NotYear), "{s}");
        }
        assert_eq!(year("1850"), Err(YearErr::OutOfRange));
        assert_eq!(year("25"), Err(YearErr::OutOfRange));
        assert_eq!(year("99999999999"), Err(YearErr::OutOfRange));
    }

    #[test]
    fn numbers_as_excel_shows_them() {
        assert_eq!(num_text(45.0), "45");
        assert_eq!(num_text(0.1 + 0.2), "0.3");
        assert_eq!(num_text(1234.5), "1234.5");
        assert_eq!(num_text(-0.0), "0");
        assert_eq!(num_text(5001010101.0), "5001010101");
        assert_eq!(num_text(1e20), "100000000000000000000");
        assert_eq!(num_text(0.000123), "0.000123");
    }
}
