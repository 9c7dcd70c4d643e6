//! Charts as inline SVG, for the HTML report. Written by hand: the report
//! must open offline from a USB stick, so no chart script can be loaded,
//! and the few chart kinds it needs (bars against a standard, a course over
//! years against the plan's line, a histogram with its limits) are short to
//! draw directly; a plotting crate would bring a font stack and a raster
//! backend for nothing. Output is deterministic: coordinates are written
//! with one decimal.

use std::fmt::Write;

/// Escapes text for SVG (and HTML) content and attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn f(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.1}")
    } else {
        "0".to_string()
    }
}

/// One bar: a measured value against its standard.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub standard: Option<f64>,
    /// `pass`, `fail`, `expected`, `not_evaluable`: the bar's colour.
    pub status: &'static str,
    /// The value as the report writes it, and the words after it
    /// (`（标准 55%）`).
    pub value_text: String,
    pub standard_text: String,
}

fn colour(status: &str) -> &'static str {
    match status {
        "pass" => "#3a7d44",
        "fail" => "#c0392b",
        "expected" => "#d68910",
        _ => "#7f8c8d",
    }
}

/// Horizontal bars, one per item, each with its standard as a dark tick.
pub fn bars(items: &[Bar]) -> String {
    const W: f64 = 760.0;
    const LABEL: f64 = 300.0;
    const ROW: f64 = 26.0;
    let max = items
        .iter()
        .flat_map(|b| [b.value, b.standard.unwrap_or(0.0)])
        .filter(|x| x.is_finite())
        .fold(0.0_f64, f64::max)
        * 1.08;
    let max = if max > 0.0 { max } else { 1.0 };
    let plot = W - LABEL - 190.0;
    let x = |v: f64| LABEL + (v.max(0.0) / max) * plot;
    let h = ROW * items.len() as f64 + 20.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {h}" width="100%" role="img">"#,
        h = f(h)
    );
    for (i, b) in items.iter().enumerate() {
        let y = 10.0 + ROW * i as f64;
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end" class="lbl">{}</text>"#,
            f(LABEL - 8.0),
            f(y + 15.0),
            esc(&b.label)
        );
        let _ = write!(
            s,
            r#"<rect x="{}" y="{}" width="{}" height="16" fill="{}"/>"#,
            f(LABEL),
            f(y + 3.0),
            f(x(b.value) - LABEL),
            colour(b.status)
        );
        if let Some(st) = b.standard {
            let _ = write!(
                s,
                r##"<line x1="{sx}" x2="{sx}" y1="{}" y2="{}" stroke="#222" stroke-width="2"/>"##,
                f(y),
                f(y + 22.0),
                sx = f(x(st))
            );
        }
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" class="val">{}{}</text>"#,
            f(x(b.value.max(b.standard.unwrap_or(0.0))) + 6.0),
            f(y + 15.0),
            esc(&b.value_text),
            esc(&b.standard_text)
        );
    }
    s.push_str("</svg>");
    s
}

/// A course over years: the plan's straight line through `plan` (dashed)
/// and the district's values in `data` (dots joined), with the year on the
/// x axis. `fmt` writes a value for the labels. `join` joins the dots (one
/// district's course); without it they stand alone (several districts).
pub fn course(
    plan: &[(i32, f64)],
    data: &[(i32, f64)],
    fmt: &dyn Fn(f64) -> String,
    join: bool,
) -> String {
    const W: f64 = 520.0;
    const H: f64 = 220.0;
    const L: f64 = 20.0;
    const R: f64 = 70.0;
    const T: f64 = 24.0;
    const B: f64 = 30.0;
    let years: Vec<i32> = plan.iter().chain(data).map(|p| p.0).collect();
    let (Some(y0), Some(y1)) = (years.iter().min(), years.iter().max()) else {
        return String::new();
    };
    let vals: Vec<f64> = plan
        .iter()
        .chain(data)
        .map(|p| p.1)
        .filter(|v| v.is_finite())
        .collect();
    let (mut lo, mut hi) = (
        vals.iter().copied().fold(f64::INFINITY, f64::min),
        vals.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    );
    if !lo.is_finite() || !hi.is_finite() {
        return String::new();
    }
    let pad = ((hi - lo) * 0.15).max(hi.abs() * 0.02).max(1e-9);
    lo -= pad;
    hi += pad;
    let span_years = f64::from((y1 - y0).max(1));
    let px = |y: i32| L + f64::from(y - y0) / span_years * (W - L - R);
    let py = |v: f64| T + (hi - v) / (hi - lo) * (H - T - B);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart course" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="100%" role="img">"#
    );
    let _ = write!(
        s,
        r##"<line x1="{L}" x2="{}" y1="{}" y2="{}" stroke="#999"/>"##,
        f(W - R),
        f(H - B),
        f(H - B)
    );
    for y in *y0..=*y1 {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle" class="tick">{y}</text>"#,
            f(px(y)),
            f(H - B + 18.0)
        );
    }
    for v in [lo + pad, (lo + hi) / 2.0, hi - pad] {
        let _ = write!(
            s,
            r##"<line x1="{L}" x2="{}" y1="{yy}" y2="{yy}" stroke="#eee"/>"##,
            f(W - R),
            yy = f(py(v))
        );
    }
    if plan.len() >= 2 {
        let pts: Vec<String> = plan
            .iter()
            .map(|(y, v)| format!("{},{}", f(px(*y)), f(py(*v))))
            .collect();
        let _ = write!(
            s,
            r##"<polyline points="{}" fill="none" stroke="#2c3e50" stroke-width="2" stroke-dasharray="6 4"/>"##,
            pts.join(" ")
        );
        let last = plan.len() - 1;
        for (i, (y, v)) in plan
            .iter()
            .enumerate()
            .filter(|(i, _)| *i == 0 || *i == last)
        {
            // Beside its end of the line, clear of a dot drawn there.
            let (anchor, dx) = if i == 0 {
                ("start", 8.0)
            } else {
                ("end", -8.0)
            };
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" text-anchor="{anchor}" class="plan">{} {}</text>"#,
                f(px(*y) + dx),
                f(py(*v) - 8.0),
                y,
                esc(&fmt(*v))
            );
        }
    }
    if !data.is_empty() {
        let pts: Vec<String> = data
            .iter()
            .map(|(y, v)| format!("{},{}", f(px(*y)), f(py(*v))))
            .collect();
        if join && data.len() > 1 {
            let _ = write!(
                s,
                r##"<polyline points="{}" fill="none" stroke="#c0392b" stroke-width="2"/>"##,
                pts.join(" ")
            );
        }
        for (y, v) in data {
            let _ = write!(
                s,
                r##"<circle cx="{}" cy="{}" r="4" fill="#c0392b"/><text x="{}" y="{}" class="val">{}</text>"##,
                f(px(*y)),
                f(py(*v)),
                f(px(*y) + 6.0),
                f(py(*v) + 16.0),
                esc(&fmt(*v))
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// One bin of a histogram.
#[derive(Debug, Clone)]
pub struct HistBin {
    pub lo: f64,
    pub hi: f64,
    pub count: usize,
    pub failed: usize,
}

/// A histogram: bins with the rows that missed their standard in red on
/// top, and a vertical line at each mark (a standard, a band limit).
pub fn histogram(bins: &[HistBin], marks: &[(f64, String)], fmt: &dyn Fn(f64) -> String) -> String {
    const W: f64 = 760.0;
    const H: f64 = 240.0;
    const L: f64 = 50.0;
    const R: f64 = 20.0;
    const T: f64 = 24.0;
    const B: f64 = 40.0;
    let (Some(first), Some(last)) = (bins.first(), bins.last()) else {
        return String::new();
    };
    let (x0, x1) = (first.lo, last.hi.max(first.lo + 1.0));
    let peak = bins.iter().map(|b| b.count).max().unwrap_or(1).max(1) as f64;
    let px = |v: f64| L + (v.clamp(x0, x1) - x0) / (x1 - x0) * (W - L - R);
    let ph = |n: f64| n / peak * (H - T - B);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="100%" role="img">"#
    );
    for b in bins {
        let (xa, xb) = (px(b.lo), px(b.hi));
        let w = (xb - xa - 1.0).max(0.5);
        let ok = b.count.saturating_sub(b.failed) as f64;
        let h_ok = ph(ok);
        // A failing row stays visible beside hundreds that pass.
        let h_bad = if b.failed > 0 {
            ph(b.failed as f64).max(3.0)
        } else {
            0.0
        };
        let base = H - B;
        if h_ok > 0.0 {
            let _ = write!(
                s,
                r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#5d8aa8"/>"##,
                f(xa),
                f(base - h_ok),
                f(w),
                f(h_ok)
            );
        }
        if h_bad > 0.0 {
            let _ = write!(
                s,
                r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#c0392b"/>"##,
                f(xa),
                f(base - h_ok - h_bad),
                f(w),
                f(h_bad)
            );
        }
    }
    let _ = write!(
        s,
        r##"<line x1="{L}" x2="{}" y1="{}" y2="{}" stroke="#999"/>"##,
        f(W - R),
        f(H - B),
        f(H - B)
    );
    // About eight ticks on the value axis.
    let ticks = 8usize;
    for i in 0..=ticks {
        let v = x0 + (x1 - x0) * i as f64 / ticks as f64;
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle" class="tick">{}</text>"#,
            f(px(v)),
            f(H - B + 16.0),
            esc(&fmt(v))
        );
    }
    for (i, (v, label)) in marks.iter().enumerate() {
        if !v.is_finite() || *v < x0 || *v > x1 {
            continue;
        }
        // A label near the right edge is written to the left of its line.
        let near_end = px(*v) > W - R - 110.0;
        let anchor = if near_end { "end" } else { "start" };
        let _ = write!(
            s,
            r##"<line x1="{x}" x2="{x}" y1="{}" y2="{}" stroke="#222" stroke-width="1.5" stroke-dasharray="4 3"/><text x="{}" y="{}" text-anchor="{anchor}" class="mark">{}</text>"##,
            f(T - 6.0),
            f(H - B),
            f(if near_end { px(*v) - 3.0 } else { px(*v) + 3.0 }),
            f(T + 6.0 + 12.0 * (i % 3) as f64),
            esc(label),
            x = f(px(*v))
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_in_charts_is_escaped() {
        let b = Bar {
            label: "<script>alert(1)</script>".into(),
            value: 0.4,
            standard: Some(0.55),
            status: "fail",
            value_text: "40%".into(),
            standard_text: "（标准 55%）".into(),
        };
        let svg = bars(&[b]);
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
    }

    #[test]
    fn a_course_draws_the_plan_and_the_data() {
        let svg = course(
            &[(2020, 0.5148), (2025, 0.55)],
            &[(2023, 0.53), (2025, 0.535)],
            &|v| format!("{:.1}%", v * 100.0),
            true,
        );
        assert!(svg.contains("stroke-dasharray=\"6 4\""));
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains(">2020<") && svg.contains(">2025<"));
    }
}
