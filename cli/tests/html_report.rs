//! The HTML reports `dudao check --out DIR` writes (`报告.html`, `汇总.html`),
//! read back as text: submitted text is escaped, nothing is fetched from
//! outside the file, every kind of chart is there, the batch's course chart
//! shows both report years against the plan's line, and the page prints on
//! A4. When Chromium is installed (or `DUDAO_BROWSER_TEST=1` requires it),
//! the pages are also loaded in headless Chromium: no console error, and
//! the charts are in the rendered page.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root (rules/, national/, fixtures/), above this crate.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|d| d.join("rules").is_dir() && d.join("Cargo.lock").is_file())
        .unwrap_or_else(|| panic!("no workspace root above {}", env!("CARGO_MANIFEST_DIR")))
}

/// Runs `dudao ARGS…` in the repository root, in Chinese; returns the exit
/// code and what it printed.
fn dudao(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dudao"))
        .args(args)
        .current_dir(root())
        .env_remove("DUDAO_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run dudao: {e}"));
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn temp(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dudao-html-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `check --out` over the bundled district's 2020 and 2025 data, once for
/// all tests: the folder holding `汇总.html` and each `报告.html`.
fn batch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = temp("batch");
        let out = dir.display().to_string();
        let (code, text) = dudao(&[
            "check",
            "--out",
            &out,
            "fixtures/generated/wanzhou-2020",
            "fixtures/generated/wanzhou-2025",
        ]);
        assert_eq!(code, 1, "{text}");
        dir
    })
}

fn report_2025() -> String {
    read(&batch().join("wanzhou-2025/报告.html"))
}

fn summary() -> String {
    read(&batch().join("汇总.html"))
}

/// The `<figure>` (or `<details>`) blocks whose caption starts with `title`.
fn figures<'a>(html: &'a str, title: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    for open in ["<figcaption>", "<summary>"] {
        let pat = format!("{open}{title}");
        let mut from = 0;
        while let Some(i) = html[from..].find(&pat) {
            let start = from + i;
            let end = html[start..]
                .find("</svg>")
                .map_or(html.len(), |j| start + j + 6);
            out.push(&html[start..end]);
            from = end;
        }
    }
    out
}

/// The value of attribute `name` in each tag of `svg` that has it.
fn attrs(svg: &str, tag: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in svg.split(&format!("<{tag} ")).skip(1) {
        let head = part.split('>').next().unwrap_or("");
        let key = format!("{name}=\"");
        if let Some(i) = head.find(&key) {
            let rest = &head[i + key.len()..];
            out.push(rest.split('"').next().unwrap_or("").to_string());
        }
    }
    out
}

#[test]
fn submitted_text_that_looks_like_html_is_shown_as_text() {
    let dir = temp("script");
    let out = dir.display().to_string();
    let (code, text) = dudao(&[
        "check",
        "--out",
        &out,
        "fixtures/submissions/script-in-name",
    ]);
    assert_eq!(code, 1, "{text}");
    let html = read(&dir.join("script-in-name/报告.html"));
    // The school's name, escaped, where the report names the school.
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;江南小学")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;江南小学"),
        "the school's name is not in the report as text"
    );
    assert!(!html.contains("<script>alert"), "a submitted <script> tag");
    assert!(!html.contains("<img"), "a submitted <img> tag");
    assert!(
        !html.contains("onerror=alert(2)>"),
        "an unescaped attribute"
    );
    // The report's own filter script is the only script.
    assert_eq!(html.matches("<script").count(), 1);
    // The township (`"><img …>`) is not shown while the rule pack declares
    // no report unit; where it is shown (a filter's attribute), the
    // `<img` check above holds it.
    std::fs::remove_dir_all(&dir).ok();
}

/// Every address the page would load: `src=`, `href=`, `url(…)`,
/// `@import`. Only `data:` and in-page (`#…`) ones, and the summary's
/// relative links to the submissions' own reports, are allowed.
fn external_references(html: &str) -> Vec<String> {
    let mut bad = Vec::new();
    // The templates escape `/` in values (`a&#x2f;b`), which the browser
    // reads back as `/`.
    let html = html.replace("&#x2f;", "/");
    for key in ["src=\"", "src='", "href=\"", "href='", "url(", "@import"] {
        for part in html.split(key).skip(1) {
            let target: String = part
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| !matches!(c, '"' | '\'' | ')' | ' ' | '>'))
                .collect();
            let local = target.starts_with("data:")
                || target.starts_with('#')
                || (key.starts_with("href")
                    && target.ends_with("/报告.html")
                    && !target.contains(':'));
            if key == "@import" || !local {
                bad.push(format!("{key}{target}"));
            }
        }
    }
    // The only `http` is the SVG namespace, which is a name, not a fetch.
    let rest = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for (i, _) in rest.match_indices("http") {
        bad.push(rest[i..].chars().take(40).collect());
    }
    for tag in ["<link", "<iframe", "<object", "<embed", "<img"] {
        if rest.contains(tag) {
            bad.push(tag.to_string());
        }
    }
    bad
}

#[test]
fn the_reports_fetch_nothing_from_outside_the_file() {
    for (name, html) in [("报告.html", report_2025()), ("汇总.html", summary())] {
        let bad = external_references(&html);
        assert!(bad.is_empty(), "{name}: {bad:?}");
    }
    // The check itself finds what it looks for.
    assert_eq!(
        external_references("<img src=\"https://cdn/x.png\"><style>@import url(a.css)</style>")
            .len(),
        5
    );
}

#[test]
fn the_reports_print_on_a4() {
    for (name, html) in [("报告.html", report_2025()), ("汇总.html", summary())] {
        let css = html.split("<style>").nth(1).unwrap_or("");
        let css = css.split("</style>").next().unwrap_or("");
        assert!(
            css.contains("@page { size: A4"),
            "{name}: no A4 page size in its CSS"
        );
        assert!(css.contains("@media print"), "{name}: no print styles");
    }
}

#[test]
fn every_kind_of_chart_is_in_the_district_report() {
    let html = report_2025();
    // Rates against their thresholds: a bar per indicator with the
    // standard's tick, A1.16 among them.
    let rates = figures(&html, "比率指标与标准");
    assert_eq!(rates.len(), 1);
    assert!(rates[0].contains("A1.16"), "A1.16 not among the rates");
    assert!(attrs(rates[0], "rect", "width").len() > 20);
    // 差异系数 of B1–B7 against their limits (0.50 小学, 0.45 初中), and no
    // count of "at least 1" among them.
    let cv = figures(&html, "系数指标");
    assert_eq!(cv.len(), 1);
    for id in ["B9.b1.小学", "B9.b7.小学", "B9.b1.初中", "B9.b7.初中"] {
        assert!(cv[0].contains(id), "{id} not among the coefficients");
    }
    assert!(cv[0].contains("≤ 0.5") && cv[0].contains("≤ 0.45"));
    assert!(!cv[0].contains("A18"), "a count among the coefficients");
    // A trajectory: the plan's dashed line and the district's values.
    let course = figures(&html, "A1.16 ");
    assert!(!course.is_empty(), "no course chart of A1.16");
    assert!(course[0].contains("stroke-dasharray=\"6 4\""));
    assert!(attrs(course[0], "circle", "cx").len() >= 2);
    // Class size by stage with the limits marked.
    for (stage, marks) in [
        ("小学", ["B11 45 人", "A12 56 人", "66 人"]),
        ("初中", ["B11 50 人", "A12 56 人", "66 人"]),
        ("高中", ["E1.1 50 人", "E1.2 56 人", "66 人"]),
    ] {
        let f = figures(&html, &format!("班额分布：{stage}"));
        assert_eq!(f.len(), 1, "no class-size chart of {stage}");
        for m in marks {
            assert!(
                f[0].contains(&format!(">{m}<")),
                "{stage}: mark {m} missing"
            );
        }
    }
    // A per-school indicator's distribution with the failing ones in red.
    let b4 = figures(&html, "B4.小学 ");
    assert_eq!(b4.len(), 1, "no distribution of B4.小学");
    assert!(
        b4[0].contains("fill=\"#c0392b\""),
        "B4.小学: no failing school marked"
    );
}

#[test]
fn the_batch_course_shows_both_years_against_the_plan() {
    let html = summary();
    let f = figures(&html, "A1.16 ");
    assert_eq!(f.len(), 1, "no course chart of A1.16 in the summary");
    let svg = f[0];
    // The plan's line: from the baseline 2020 53.3% to 2025 60%.
    assert!(svg.contains("stroke-dasharray=\"6 4\""), "no plan line");
    assert!(
        svg.contains(">2020 53.3%<") && svg.contains(">2025 60%<"),
        "{svg}"
    );
    // One dot per submission, at the x of its year.
    let cx = attrs(svg, "circle", "cx");
    assert_eq!(cx.len(), 2, "{svg}");
    let tick_x = |year: &str| -> String {
        let i = svg
            .find(&format!(">{year}</text>"))
            .unwrap_or_else(|| panic!("no tick {year}"));
        let head = &svg[..i];
        let t = head.rfind("<text ").unwrap_or(0);
        attrs(&head[t..], "text", "x").pop().unwrap_or_default()
    };
    assert_eq!(cx, vec![tick_x("2020"), tick_x("2025")]);
}

/// Headless Chromium, when it is installed (required with
/// `DUDAO_BROWSER_TEST=1`).
fn chromium() -> Option<&'static str> {
    let required = std::env::var("DUDAO_BROWSER_TEST").is_ok_and(|v| v == "1");
    let found = Command::new("chromium").arg("--version").output().is_ok();
    assert!(
        found || !required,
        "DUDAO_BROWSER_TEST=1 but no chromium on PATH"
    );
    found.then_some("chromium")
}

/// Loads `page` in headless Chromium, offline, with console messages
/// logged: the DOM after scripts ran, and the log.
fn load(browser: &str, page: &Path, tag: &str) -> (String, String) {
    let profile = temp(&format!("profile-{tag}"));
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {browser}: {e}"));
    std::fs::remove_dir_all(&profile).ok();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The console messages of a Chromium log that are errors of the page:
/// uncaught exceptions, `console.error`, resources that failed to load.
fn console_errors(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains("CONSOLE") || l.contains(":CONSOLE("))
        .filter(|l| {
            l.contains("Uncaught")
                || l.contains("ERROR:CONSOLE")
                || l.contains("Error")
                || l.contains("Failed to load")
        })
        .collect()
}

#[test]
fn the_reports_load_in_a_browser_without_errors() {
    let Some(browser) = chromium() else {
        eprintln!("chromium not found: browser check skipped (DUDAO_BROWSER_TEST=1 requires it)");
        return;
    };
    for (tag, page, charts) in [
        ("report", batch().join("wanzhou-2025/报告.html"), 60),
        ("summary", batch().join("汇总.html"), 5),
    ] {
        let (dom, log) = load(browser, &page, tag);
        assert!(dom.contains("</html>"), "{tag}: no page rendered\n{log}");
        let errors = console_errors(&log);
        assert!(errors.is_empty(), "{tag}: console errors: {errors:#?}");
        let n = dom.matches("<svg class=\"chart").count();
        assert!(n >= charts, "{tag}: {n} charts in the rendered page");
        assert!(dom.contains("<polyline"), "{tag}: no course chart rendered");
    }
}

#[test]
fn the_console_check_sees_errors() {
    // A page that throws must be caught, or the test above proves nothing.
    let Some(browser) = chromium() else {
        return;
    };
    let dir = temp("throw");
    let page = dir.join("throw.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><body><script>null.x();</script></body></html>",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (_, log) = load(browser, &page, "throw");
    assert!(!console_errors(&log).is_empty(), "no error seen in:\n{log}");
    std::fs::remove_dir_all(&dir).ok();
}
