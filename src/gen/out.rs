//! Byte-level CSV output: integers and fixed-point decimals are formatted by
//! hand (no `format!`, no float printing), cells are appended to a reusable
//! buffer. Generated text never holds `,`, `"` or a newline, so no quoting is
//! needed; [`Row::text`] checks that in debug builds.

/// Appends the decimal digits of `n`.
pub(crate) fn put_u64(buf: &mut Vec<u8>, mut n: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&tmp[i..]);
}

/// Appends `n` zero-padded to `width` digits.
pub(crate) fn put_u64_pad(buf: &mut Vec<u8>, n: u64, width: usize) {
    let mut digits = 1;
    let mut m = n;
    while m >= 10 {
        m /= 10;
        digits += 1;
    }
    for _ in digits..width {
        buf.push(b'0');
    }
    put_u64(buf, n);
}

/// Appends `scaled / 10^decimals` with exactly `decimals` decimals.
pub(crate) fn put_fixed(buf: &mut Vec<u8>, scaled: u64, decimals: u32) {
    if decimals == 0 {
        put_u64(buf, scaled);
        return;
    }
    let p = 10u64.pow(decimals);
    put_u64(buf, scaled / p);
    buf.push(b'.');
    put_u64_pad(buf, scaled % p, decimals as usize);
}

/// `scaled / 10^decimals` as a string, e.g. `fixed(5348, 2)` = `53.48`.
pub(crate) fn fixed(scaled: u64, decimals: u32) -> String {
    let mut b = Vec::new();
    put_fixed(&mut b, scaled, decimals);
    String::from_utf8(b).unwrap_or_default()
}

/// `a / b` as a percentage with two decimals, e.g. `53.48%`, by integer
/// arithmetic (rounded half up).
pub(crate) fn pct(a: u64, b: u64) -> String {
    if b == 0 {
        return "—".to_string();
    }
    let h = (a as u128 * 10000 + b as u128 / 2) / b as u128;
    format!("{}%", fixed(h as u64, 2))
}

/// `a / b` with `decimals` decimals (rounded half up).
pub(crate) fn ratio(a: u64, b: u64, decimals: u32) -> String {
    if b == 0 {
        return "—".to_string();
    }
    let p = 10u128.pow(decimals);
    let v = (a as u128 * p + b as u128 / 2) / b as u128;
    fixed(v as u64, decimals)
}

/// A value in [0, ∞) with three decimals, rounded (for coefficients of variation).
pub(crate) fn dec3(x: f64) -> String {
    fixed(super::rng::uround(x * 1000.0), 3)
}

/// One CSV row being written into a buffer.
pub(crate) struct Row<'a> {
    buf: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Row<'a> {
    pub(crate) fn new(buf: &'a mut Vec<u8>) -> Row<'a> {
        Row { buf, first: true }
    }

    fn sep(&mut self) -> &mut Vec<u8> {
        if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
        self.buf
    }

    pub(crate) fn text(&mut self, s: &str) -> &mut Self {
        debug_assert!(!s.contains([',', '"', '\n', '\r']), "unquotable cell {s:?}");
        self.sep().extend_from_slice(s.as_bytes());
        self
    }

    pub(crate) fn int(&mut self, n: u64) -> &mut Self {
        put_u64(self.sep(), n);
        self
    }

    /// A fixed-point decimal `scaled / 10^decimals`.
    pub(crate) fn dec(&mut self, scaled: u64, decimals: u32) -> &mut Self {
        put_fixed(self.sep(), scaled, decimals);
        self
    }

    pub(crate) fn yes_no(&mut self, b: bool) -> &mut Self {
        self.text(if b { "是" } else { "否" })
    }

    pub(crate) fn opt_yes_no(&mut self, b: Option<bool>) -> &mut Self {
        match b {
            Some(b) => self.yes_no(b),
            None => self.empty(),
        }
    }

    pub(crate) fn empty(&mut self) -> &mut Self {
        self.sep();
        self
    }

    /// A cell written by a closure straight into the buffer.
    pub(crate) fn with(&mut self, f: impl FnOnce(&mut Vec<u8>)) -> &mut Self {
        f(self.sep());
        self
    }

    pub(crate) fn end(&mut self) {
        self.buf.push(b'\n');
    }
}

/// Writes a header row.
pub(crate) fn header(buf: &mut Vec<u8>, cols: &[&str]) {
    let mut r = Row::new(buf);
    for c in cols {
        r.text(c);
    }
    r.end();
}
