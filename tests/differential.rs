//! Differential testing of the two evaluation strategies (cedar's model: two
//! evaluators fuzzed against each other). A seeded generator writes random
//! well-typed rule packs over a small schema (schools, their classes and
//! teachers, district facts by year) and random submissions for them (with
//! empty cells, zero denominators, empty tables and groups); each case is
//! evaluated by the reference interpreter and by the fast paths, and the
//! JSON reports (and the findings themselves, to the last bit of every
//! number) must be identical.
//!
//! - A few hundred cases run by default; `DUDAO_DIFF_ITERS=N` runs `N`
//!   (and `DUDAO_DIFF_SEED=S` starts at seed `S`).
//! - A failing case is written out (`rules.dudao` and its CSV files) under
//!   the test's temporary folder, named by its seed; copy that folder to
//!   `fixtures/differential/<case>/` to keep it. Every folder there is
//!   replayed on every run.
//! - A planted divergence (`Strategy::PlantedBug`: the compiled `<=` on
//!   numbers made `<`) is caught, so the harness is shown able to fail.

use dudao::diag::{Lang, render_plain};
use dudao::eval::{CheckOptions, Strategy};
use dudao::pack::SourceFile;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

// ------------------------------------------------------------------ random

/// splitmix64: small, seedable, the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability `pct` percent.
    fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }

    fn pick<'x, T>(&mut self, xs: &'x [T]) -> &'x T {
        &xs[self.below(xs.len())]
    }
}

// ------------------------------------------------------------------ schema

const SCHEMA: &str = r#"document doc "测试文件"

table schools "学校" {
  key id: text "学校标识码"
  name: text "学校名称"
  township: text "乡镇街道" optional
  stage: enum(小学, 初中, 高中) "学段" optional
  students: int "在校生数" optional
  area: decimal "面积" optional
  wifi: bool "无线网络" optional
  library: bool "图书室" optional
}

table classes "班级" {
  key id: text "班级编号"
  school: ref schools "学校标识码"
  size: int "班额" optional
  grade: enum(一年级, 二年级, 三年级) "年级" optional
}

table teachers "教师" {
  key id: text "教师编号"
  school: ref schools "学校标识码"
  backbone: bool "骨干" optional
  pay: decimal "工资" optional
  age: int "年龄" optional
  subject: enum(语文, 数学, 外语) "学科" optional
}

table district "区县" {
  key year: year "年份"
  civil_pay: decimal "公务员工资" optional
  rate: decimal "巩固率" optional
}

table funding "经费" {
  key school: ref schools "学校标识码"
  key year: year "年份"
  spend: decimal "支出" optional
  audited: bool "审计" optional
}
"#;

const SCHOOLS: usize = 0;
const CLASSES: usize = 1;
const TEACHERS: usize = 2;
const DISTRICT: usize = 3;
/// A school's figures by year: rows of several years, `prev` by entity.
const FUNDING: usize = 4;

const STAGE: &[&str] = &["小学", "初中", "高中"];
const GRADE: &[&str] = &["一年级", "二年级", "三年级"];
const SUBJECT: &[&str] = &["语文", "数学", "外语"];

/// What the generator knows of a table: its columns by type (row metrics
/// are added to them as they are defined), its reference column and the
/// tables whose rows point at it.
#[derive(Clone)]
struct Tab {
    name: &'static str,
    nums: Vec<String>,
    bools: Vec<String>,
    /// An enum column and its variants.
    enm: Option<(&'static str, &'static [&'static str])>,
    /// Optional columns, for `present(…)`.
    optional: Vec<&'static str>,
    /// The reference to `schools`, if any.
    parent: Option<&'static str>,
    children: Vec<usize>,
}

fn tables() -> Vec<Tab> {
    let s = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        Tab {
            name: "schools",
            nums: s(&["students", "area"]),
            bools: s(&["wifi", "library"]),
            enm: Some(("stage", STAGE)),
            optional: vec!["stage", "students", "area", "wifi", "library"],
            parent: None,
            children: vec![CLASSES, TEACHERS, FUNDING],
        },
        Tab {
            name: "classes",
            nums: s(&["size"]),
            bools: vec![],
            enm: Some(("grade", GRADE)),
            optional: vec!["size", "grade"],
            parent: Some("school"),
            children: vec![],
        },
        Tab {
            name: "teachers",
            nums: s(&["pay", "age"]),
            bools: s(&["backbone"]),
            enm: Some(("subject", SUBJECT)),
            optional: vec!["backbone", "pay", "age", "subject"],
            parent: Some("school"),
            children: vec![],
        },
        Tab {
            name: "district",
            nums: s(&["civil_pay", "rate"]),
            bools: vec![],
            enm: None,
            optional: vec!["civil_pay", "rate"],
            parent: None,
            children: vec![],
        },
        Tab {
            name: "funding",
            nums: s(&["spend"]),
            bools: s(&["audited"]),
            enm: None,
            optional: vec!["spend", "audited"],
            parent: Some("school"),
            children: vec![],
        },
    ]
}

// --------------------------------------------------------------- rule packs

/// Where an expression is written.
#[derive(Clone, Copy)]
struct Cx {
    /// The table of the current row (the rule's row, or inside an aggregate
    /// the aggregated row).
    cur: Option<usize>,
    /// The table of the rule's row (`this`).
    this: Option<usize>,
    /// Inside `for each TABLE by COLUMN`: the table, and the column.
    group: Option<usize>,
    group_col: &'static str,
    /// Inside an aggregate (where `this.x` reads the rule's row).
    in_agg: bool,
    /// Whether `prev(…)` of district facts may be used (a context with a
    /// year and no row of a table without years).
    prev: bool,
}

struct Gen {
    rng: Rng,
    tabs: Vec<Tab>,
    /// Scalar parameters and category parameters (by stage).
    params: Vec<String>,
    cat_params: Vec<String>,
    /// District-wide metrics defined so far.
    metrics: Vec<String>,
    /// The submission will have many teachers: no rule or metric runs on
    /// each teacher or class, and no aggregate over a teacher's colleagues
    /// (each would read all of them for each of them).
    big: bool,
}

/// A comparison. A plain number above 1 compared with a share (a
/// percentage) is refused as a likely mistake (`3` meaning 300%), so such
/// a literal is written as a sum, which is the same number.
fn cmp(a: &str, op: &str, b: &str) -> String {
    let lit = |x: &str| match x.parse::<f64>() {
        Ok(v) if v > 1.0 => format!("({x} + 0)"),
        _ => x.to_string(),
    };
    format!("({} {op} {})", lit(a), lit(b))
}

impl Gen {
    fn lit(&mut self) -> String {
        match self.rng.below(6) {
            0 => "0".into(),
            1 => "0.5".into(),
            2 => "1.5".into(),
            _ => self.rng.below(7).to_string(),
        }
    }

    /// A number of the current context, `d` levels of nesting left.
    fn num(&mut self, cx: Cx, d: usize) -> String {
        loop {
            let k = self.rng.below(if d == 0 { 8 } else { 20 });
            let got = match k {
                0 | 1 => Some(self.lit()),
                2..=4 => self.num_col(cx),
                5 => (!self.params.is_empty()).then(|| self.rng.pick(&self.params).clone()),
                6 => self.lookup(cx),
                7 => Some(match self.rng.below(3) {
                    0 if !self.metrics.is_empty() => self.rng.pick(&self.metrics).clone(),
                    _ => format!("district.{}", self.rng.pick(&["civil_pay", "rate"])),
                }),
                8..=10 => {
                    let op = *self.rng.pick(&["+", "-", "*", "/", "/"]);
                    let a = self.num(cx, d - 1);
                    let b = self.num(cx, d - 1);
                    Some(format!("({a} {op} {b})"))
                }
                11 => Some(format!("(-{})", self.num(cx, d - 1))),
                12 => {
                    let c = self.boolean(cx, d - 1);
                    let a = self.num(cx, d - 1);
                    let b = self.num(cx, d - 1);
                    Some(format!("(if {c} then {a} else {b})"))
                }
                13 => {
                    let f = *self.rng.pick(&["round", "abs", "ceil", "floor"]);
                    Some(format!("{f}({})", self.num(cx, d - 1)))
                }
                14 => {
                    // `max(district.rate, 1)` reads as an aggregate over
                    // the table `district` (and is refused): a bare path
                    // goes second.
                    let f = *self.rng.pick(&["max", "min"]);
                    let mut a = self.num(cx, d - 1);
                    let mut b = self.num(cx, d - 1);
                    let path = |x: &str| x.contains('.') && !x.contains(['(', ' ']);
                    if path(&a) {
                        std::mem::swap(&mut a, &mut b);
                    }
                    if path(&a) {
                        a = format!("({a} + 0)");
                    }
                    Some(format!("{f}({a}, {b})"))
                }
                15 if cx.prev => Some(match cx.cur {
                    Some(FUNDING) if self.rng.chance(70) => {
                        format!("prev({})", self.num(cx, d - 1))
                    }
                    _ => format!("prev(district.{})", self.rng.pick(&["civil_pay", "rate"])),
                }),
                16 if self.rng.chance(30) && cx.cur != Some(DISTRICT) => {
                    Some("(year - 2023)".into())
                }
                16 if cx.prev => Some("trajectory(2023, 1, 2025, 4)".into()),
                _ => self.agg(cx, d - 1),
            };
            if let Some(x) = got {
                return x;
            }
        }
    }

    /// A numeric column (or row metric) read from the context's rows.
    fn num_col(&mut self, cx: Cx) -> Option<String> {
        let mut opts: Vec<String> = Vec::new();
        if let Some(t) = cx.cur {
            opts.extend(self.tabs[t].nums.iter().cloned());
            if let Some(p) = self.tabs[t].parent {
                opts.extend(self.tabs[SCHOOLS].nums.iter().map(|c| format!("{p}.{c}")));
            }
        }
        if cx.in_agg
            && let Some(t) = cx.this
        {
            opts.extend(self.tabs[t].nums.iter().map(|c| format!("this.{c}")));
        }
        (!opts.is_empty()).then(|| self.rng.pick(&opts).clone())
    }

    /// The stage of a school read from the context, for category parameters.
    fn stage_of(&mut self, cx: Cx) -> Option<String> {
        let mut opts = Vec::new();
        match cx.cur {
            Some(SCHOOLS) => opts.push("stage".to_string()),
            Some(CLASSES | TEACHERS | FUNDING) => opts.push("school.stage".into()),
            _ => {}
        }
        if cx.in_agg {
            match cx.this {
                Some(SCHOOLS) => opts.push("this.stage".into()),
                Some(CLASSES | TEACHERS | FUNDING) => opts.push("this.school.stage".into()),
                _ => {}
            }
        }
        (!opts.is_empty()).then(|| self.rng.pick(&opts).clone())
    }

    fn lookup(&mut self, cx: Cx) -> Option<String> {
        if self.cat_params.is_empty() {
            return None;
        }
        let p = self.rng.pick(&self.cat_params).clone();
        Some(format!("{p}[{}]", self.stage_of(cx)?))
    }

    /// A yes/no value of the current context.
    fn boolean(&mut self, cx: Cx, d: usize) -> String {
        loop {
            let k = self.rng.below(if d == 0 { 6 } else { 14 });
            let got = match k {
                0 | 1 => {
                    let op = *self
                        .rng
                        .pick(&["==", "!=", "<", "<=", ">", ">=", "<=", ">="]);
                    let a = self.num(cx, d.saturating_sub(1));
                    let b = self.num(cx, d.saturating_sub(1));
                    Some(cmp(&a, op, &b))
                }
                2 => self.bool_col(cx),
                3 | 4 => self.enum_test(cx),
                5 if self.rng.chance(50) => self.present(cx),
                5 => self.text_or_key(cx),
                6 | 7 => {
                    let op = *self.rng.pick(&["and", "or"]);
                    let n = 2 + self.rng.below(2);
                    let xs: Vec<String> = (0..n).map(|_| self.boolean(cx, d - 1)).collect();
                    Some(format!("({})", xs.join(&format!(" {op} "))))
                }
                8 => Some(format!("(not {})", self.boolean(cx, d - 1))),
                9 => {
                    let n = 2 + self.rng.below(3);
                    let k = self.rng.below(n + 1);
                    let xs: Vec<String> = (0..n).map(|_| self.boolean(cx, d - 1)).collect();
                    Some(format!("at_least({k}, [{}])", xs.join(", ")))
                }
                10 => {
                    let c = self.boolean(cx, d - 1);
                    let a = self.boolean(cx, d - 1);
                    let b = self.boolean(cx, d - 1);
                    Some(format!("(if {c} then {a} else {b})"))
                }
                _ => {
                    let op = *self.rng.pick(&["<=", ">=", "<", ">", "==", "!="]);
                    let a = self.num(cx, d);
                    let b = self.num(cx, d - 1);
                    Some(cmp(&a, op, &b))
                }
            };
            if let Some(x) = got {
                return x;
            }
        }
    }

    fn bool_col(&mut self, cx: Cx) -> Option<String> {
        let mut opts: Vec<String> = Vec::new();
        if let Some(t) = cx.cur {
            opts.extend(self.tabs[t].bools.iter().cloned());
            if let Some(p) = self.tabs[t].parent {
                opts.extend(self.tabs[SCHOOLS].bools.iter().map(|c| format!("{p}.{c}")));
            }
        }
        if cx.in_agg
            && let Some(t) = cx.this
        {
            opts.extend(self.tabs[t].bools.iter().map(|c| format!("this.{c}")));
        }
        (!opts.is_empty()).then(|| self.rng.pick(&opts).clone())
    }

    /// `stage == 小学`, `subject in [语文, 外语]`, …
    fn enum_test(&mut self, cx: Cx) -> Option<String> {
        let mut opts: Vec<(String, &'static [&'static str])> = Vec::new();
        if let Some(t) = cx.cur {
            if let Some((c, vs)) = self.tabs[t].enm {
                opts.push((c.to_string(), vs));
            }
            if let Some(p) = self.tabs[t].parent {
                opts.push((format!("{p}.stage"), STAGE));
            }
        }
        if cx.in_agg
            && let Some(t) = cx.this
            && let Some((c, vs)) = self.tabs[t].enm
        {
            opts.push((format!("this.{c}"), vs));
        }
        if opts.is_empty() {
            return None;
        }
        let (col, vs) = self.rng.pick(&opts).clone();
        Some(match self.rng.below(3) {
            0 => format!("({col} == {})", self.rng.pick(vs)),
            1 => format!("({col} != {})", self.rng.pick(vs)),
            _ => {
                let a = *self.rng.pick(vs);
                let b = *self.rng.pick(vs);
                if a == b {
                    format!("({col} in [{a}])")
                } else {
                    format!("({col} in [{a}, {b}])")
                }
            }
        })
    }

    /// A comparison of a text column, or of the group's key.
    fn text_or_key(&mut self, cx: Cx) -> Option<String> {
        if cx.group.is_some() {
            return Some(match cx.group_col {
                "township" => format!(
                    "(group.key == {})",
                    self.rng.pick(&["\"东街道\"", "\"西街道\""])
                ),
                "stage" => format!("(group.key != {})", self.rng.pick(STAGE)),
                "subject" => format!("(group.key == {})", self.rng.pick(SUBJECT)),
                _ => format!("(group.key == {})", self.rng.pick(GRADE)),
            });
        }
        match cx.cur {
            Some(SCHOOLS) => Some(format!(
                "({} == \"{}\")",
                self.rng.pick(&["township", "name"]),
                self.rng.pick(&["东街道", "学校1", "西街道"])
            )),
            Some(CLASSES | TEACHERS | FUNDING) => Some("(school.township != \"西街道\")".into()),
            _ => None,
        }
    }

    fn present(&mut self, cx: Cx) -> Option<String> {
        let t = cx.cur?;
        let c = *self.rng.pick(&self.tabs[t].optional);
        Some(format!("present({c})"))
    }

    /// An aggregate of the context (`d` levels left inside it).
    fn agg(&mut self, cx: Cx, d: usize) -> Option<String> {
        // The rows: (source text, their table, the rows' own `this`).
        let mut sources: Vec<(String, usize)> = vec![
            ("schools".into(), SCHOOLS),
            ("classes".into(), CLASSES),
            ("teachers".into(), TEACHERS),
            ("funding".into(), FUNDING),
        ];
        if let Some(t) = cx.this {
            let path = match t {
                SCHOOLS => Some("this"),
                CLASSES | TEACHERS | FUNDING => Some("this.school"),
                _ => None,
            };
            if let Some(p) = path {
                for &c in &self.tabs[SCHOOLS].children {
                    sources.push((format!("{p}.{}", self.tabs[c].name), c));
                    sources.push((format!("{p}.{}", self.tabs[c].name), c));
                }
            }
        }
        if let Some(CLASSES | TEACHERS | FUNDING) = cx.cur
            && !self.big
        {
            for &c in &self.tabs[SCHOOLS].children {
                sources.push((format!("school.{}", self.tabs[c].name), c));
            }
        }
        if let Some(g) = cx.group {
            for _ in 0..3 {
                sources.push(("group".into(), g));
            }
        }
        let (src, u) = self.rng.pick(&sources).clone();
        let inner = Cx {
            cur: Some(u),
            this: cx.this,
            group: None,
            group_col: "",
            in_agg: true,
            prev: false,
        };
        let filter = if self.rng.chance(60) {
            format!(" where {}", self.boolean(inner, d))
        } else {
            String::new()
        };
        let col = self.rng.pick(&self.tabs[u].nums).clone();
        Some(match self.rng.below(8) {
            0 | 1 => format!("count({src}{filter})"),
            2 => format!("sum({src}.{col}{filter})"),
            3 => format!("avg({src}.{col}{filter})"),
            4 => format!("{}({src}.{col}{filter})", self.rng.pick(&["min", "max"])),
            5 | 6 => {
                let p = self.boolean(inner, d);
                if self.rng.chance(30) {
                    format!("share({src}.{col}{filter}, {p})")
                } else {
                    format!("share({src}{filter}, {p})")
                }
            }
            _ => {
                let w = self.rng.pick(&self.tabs[u].nums).clone();
                format!("cv({src}.{col}{filter}, weight = {w})")
            }
        })
    }

    /// A rule pack: parameters, metrics and rules of every scope.
    fn pack(&mut self) -> String {
        let mut out = String::from(SCHEMA);
        out.push('\n');
        for i in 0..self.rng.below(3) {
            let v = self.lit();
            let v = if self.rng.chance(30) {
                format!("{v} / {}", 1 + self.rng.below(3))
            } else {
                v
            };
            let _ = writeln!(out, "param p{i} = {v}");
            self.params.push(format!("p{i}"));
        }
        for i in 0..self.rng.below(3) {
            // Some stages without a value: a lookup that is not evaluable.
            let mut entries: Vec<String> = Vec::new();
            for s in STAGE {
                if self.rng.chance(75) {
                    entries.push(format!("{s}: {}", 1 + self.rng.below(5)));
                }
            }
            if entries.is_empty() {
                continue;
            }
            let _ = writeln!(out, "param cat{i} = {{ {} }}", entries.join(", "));
            self.cat_params.push(format!("cat{i}"));
        }
        // Per-row metrics of schools and teachers (used like columns, and
        // by aggregates: nested aggregates), then district-wide metrics.
        for i in 0..self.rng.below(4) {
            let t = *self
                .rng
                .pick(&[SCHOOLS, SCHOOLS, TEACHERS, CLASSES, FUNDING]);
            let t = if self.big { SCHOOLS } else { t };
            let cx = Cx {
                cur: Some(t),
                this: Some(t),
                group: None,
                group_col: "",
                in_agg: false,
                prev: false,
            };
            let name = format!("rm{i}");
            if self.rng.chance(75) {
                let e = self.num(cx, 2);
                let _ = writeln!(out, "metric {name} for {} = {e}", self.tabs[t].name);
                self.tabs[t].nums.push(name);
            } else {
                let e = self.boolean(cx, 2);
                let _ = writeln!(out, "metric {name} for {} = {e}", self.tabs[t].name);
                self.tabs[t].bools.push(name);
            }
        }
        for i in 0..self.rng.below(3) {
            let cx = Cx {
                cur: None,
                this: None,
                group: None,
                group_col: "",
                in_agg: false,
                prev: false,
            };
            let e = self.num(cx, 2);
            let _ = writeln!(out, "metric dm{i} = {e}");
            self.metrics.push(format!("dm{i}"));
        }
        for i in 0..2 + self.rng.below(6) {
            let (scope, cx) = match self.rng.below(9) {
                0..=4 => {
                    let t = *self
                        .rng
                        .pick(&[SCHOOLS, SCHOOLS, CLASSES, TEACHERS, DISTRICT, FUNDING]);
                    let t = if self.big && t != DISTRICT && t != FUNDING {
                        SCHOOLS
                    } else {
                        t
                    };
                    (
                        format!("for each {}", self.tabs[t].name),
                        Cx {
                            cur: Some(t),
                            this: Some(t),
                            group: None,
                            group_col: "",
                            in_agg: false,
                            prev: t == DISTRICT || t == FUNDING,
                        },
                    )
                }
                5 => {
                    let (t, c) = *self.rng.pick(&[
                        (SCHOOLS, "township"),
                        (SCHOOLS, "stage"),
                        (TEACHERS, "subject"),
                        (CLASSES, "grade"),
                    ]);
                    (
                        format!("for each {} by {c}", self.tabs[t].name),
                        Cx {
                            cur: None,
                            this: None,
                            group: Some(t),
                            group_col: c,
                            in_agg: false,
                            prev: false,
                        },
                    )
                }
                6 => (
                    "for each year".into(),
                    Cx {
                        cur: None,
                        this: None,
                        group: None,
                        group_col: "",
                        in_agg: false,
                        prev: true,
                    },
                ),
                _ => (
                    "for submission".into(),
                    Cx {
                        cur: None,
                        this: None,
                        group: None,
                        group_col: "",
                        in_agg: false,
                        prev: true,
                    },
                ),
            };
            let _ = writeln!(out, "\nrule R{i} \"规则{i}\" {{");
            out.push_str("  severity binding\n  cite doc clause \"一\"\n");
            if self.rng.chance(15) {
                let years: &&str = self.rng.pick(&["  years 2024..\n", "  years ..2024\n"]);
                out.push_str(years);
            }
            let _ = writeln!(out, "  {scope}");
            if cx.cur.is_some() && self.rng.chance(40) {
                let _ = writeln!(out, "  when {}", self.boolean(cx, 2));
            }
            let _ = writeln!(out, "  assert {}", self.boolean(cx, 3));
            if self.rng.chance(40) {
                // A quote would end the message's text.
                let e = self.num(cx, 2);
                if !e.contains('"') {
                    let _ = writeln!(out, "  message \"值 {{{e}}}\"");
                }
            }
            out.push_str("}\n");
        }
        out
    }
}

// ------------------------------------------------------------- submissions

/// CSV files for the schema: a few rows per table, empty cells in every
/// optional column, zeros, and now and then many teachers (more than two
/// chunks of rows, so that folds are cut and merged).
fn submission(rng: &mut Rng, big: bool) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let n_schools = rng.below(6);
    // How often a cell is empty: never in some cases, so that the compiled
    // code (which leaves a fold with a missing value to the interpreter)
    // decides whole aggregates too.
    let empty = *rng.pick(&[0, 0, 5, 15, 30]);
    let num = |rng: &mut Rng, dec: bool| -> String {
        if rng.chance(empty) {
            return String::new();
        }
        if dec && rng.chance(30) {
            format!("{}.5", rng.below(4))
        } else {
            rng.below(5).to_string()
        }
    };
    let boolean = |rng: &mut Rng| -> &'static str {
        if rng.chance(empty) {
            ""
        } else {
            let b: &&'static str = rng.pick(&["是", "否"]);
            b
        }
    };
    let enm = |rng: &mut Rng, vs: &[&'static str]| -> &'static str {
        let v: &&'static str = rng.pick(vs);
        if rng.chance(empty) { "" } else { v }
    };
    let mut s = String::from("学校标识码,学校名称,乡镇街道,学段,在校生数,面积,无线网络,图书室\n");
    for i in 0..n_schools {
        let town = *rng.pick(&["东街道", "西街道", "东街道", ""]);
        let stage = enm(rng, STAGE);
        let students = num(rng, false);
        let area = num(rng, true);
        let (w, l) = (boolean(rng), boolean(rng));
        let _ = writeln!(s, "S{i},学校{i},{town},{stage},{students},{area},{w},{l}");
    }
    files.push(("学校.csv".to_string(), s));
    if n_schools > 0 {
        let mut c = String::from("班级编号,学校标识码,班额,年级\n");
        for i in 0..rng.below(8) {
            let school = rng.below(n_schools);
            let size = num(rng, false);
            let grade = enm(rng, GRADE);
            let _ = writeln!(c, "C{i},S{school},{size},{grade}");
        }
        files.push(("班级.csv".to_string(), c));
        let mut t = String::from("教师编号,学校标识码,骨干,工资,年龄,学科\n");
        let n = if big { 9000 } else { rng.below(12) };
        for i in 0..n {
            let school = rng.below(n_schools);
            let b = boolean(rng);
            let pay = num(rng, true);
            let age = num(rng, false);
            let subject = enm(rng, SUBJECT);
            let _ = writeln!(t, "T{i},S{school},{b},{pay},{age},{subject}");
        }
        files.push(("教师.csv".to_string(), t));
    }
    let mut d = String::from("年份,公务员工资,巩固率\n");
    let mut any = false;
    for y in 2023..=2025 {
        if rng.chance(70) {
            any = true;
            let _ = writeln!(d, "{y},{},{}", num(rng, true), num(rng, true));
        }
    }
    if any {
        files.push(("区县.csv".to_string(), d));
    }
    if n_schools > 0 && rng.chance(80) {
        let mut f = String::from("学校标识码,年份,支出,审计\n");
        for i in 0..n_schools {
            for y in 2023..=2025 {
                if rng.chance(60) {
                    let _ = writeln!(f, "S{i},{y},{},{}", num(rng, true), boolean(rng));
                }
            }
        }
        files.push(("经费.csv".to_string(), f));
    }
    files
}

// ------------------------------------------------------------------ checking

/// The JSON report and the findings (to the bit) of a case under `strategy`.
fn report(text: &str, files: &[(String, String)], strategy: Strategy) -> Result<String, String> {
    let src = SourceFile {
        name: "rules.dudao".into(),
        text: text.to_string(),
    };
    let pack = dudao::check::compile(vec![src], &|_| None)
        .map_err(|d| format!("the rules do not compile:\n{}", render_plain(&d)))?;
    let bytes: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_bytes()))
        .collect();
    let loaded = dudao::data::load_tables_from_strings(&pack.schema, &bytes)
        .map_err(|e| format!("the data does not load:\n{}", render_plain(&e.diags)))?;
    // With the distributions of row rules and the history of district
    // rules (for charts), which the findings (compared below) hold.
    let opts = CheckOptions {
        allow_incomplete: true,
        strategy,
        distributions: true,
        ..Default::default()
    };
    let sub = &loaded.submission;
    let results = dudao::eval::check(&pack, sub, loaded.warnings.clone(), &opts, &|| {});
    let checked = dudao::report::Checked::new(&pack, sub, &results);
    Ok(format!(
        "{}\n{:#?}",
        dudao::report::json::render(&checked, Lang::Zh),
        results.report
    ))
}

/// `None` when both strategies give the same report, else the first line
/// where they differ.
fn divergence(
    text: &str,
    files: &[(String, String)],
    fast: Strategy,
) -> Result<Option<String>, String> {
    let want = report(text, files, Strategy::Reference)?;
    let got = report(text, files, fast)?;
    if want == got {
        return Ok(None);
    }
    let line = want
        .lines()
        .zip(got.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(0);
    let at = |s: &str| {
        s.lines()
            .skip(line.saturating_sub(3))
            .take(7)
            .collect::<Vec<_>>()
            .join("\n")
    };
    Ok(Some(format!(
        "reference:\n{}\n{fast:?}:\n{}",
        at(&want),
        at(&got)
    )))
}

/// A generated case: its rule pack and its CSV files.
fn case(seed: u64) -> (String, Vec<(String, String)>) {
    let big = seed % 97 == 13;
    let mut g = Gen {
        rng: Rng(seed),
        tabs: tables(),
        params: Vec::new(),
        cat_params: Vec::new(),
        metrics: Vec::new(),
        big,
    };
    let text = g.pack();
    let files = submission(&mut g.rng, big);
    (text, files)
}

/// Writes a case out, to keep it in `fixtures/differential/`.
fn write_case(dir: &Path, text: &str, files: &[(String, String)]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("rules.dudao"), text)?;
    for (name, body) in files {
        std::fs::write(dir.join(name), body)?;
    }
    Ok(())
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// Runs `n` generated cases from `start` under `fast`; the seeds that
/// diverge, each with its description.
fn run_cases(start: u64, n: u64, fast: Strategy) -> Vec<(u64, String)> {
    let mut found = Vec::new();
    for seed in start..start + n {
        let (text, files) = case(seed);
        match divergence(&text, &files, fast) {
            Ok(None) => {}
            Ok(Some(d)) => found.push((seed, d)),
            Err(e) => panic!("case {seed}: the generator wrote a broken case: {e}\n{text}"),
        }
    }
    found
}

/// Random rule packs and submissions: the fast paths give the reference's
/// report, byte for byte.
#[test]
fn fast_paths_match_the_reference_on_random_cases() {
    let n = env_u64("DUDAO_DIFF_ITERS").unwrap_or(300);
    let start = env_u64("DUDAO_DIFF_SEED").unwrap_or(1);
    let found = run_cases(start, n, Strategy::Fast);
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("differential");
    let mut msg = String::new();
    for (seed, d) in &found {
        let (text, files) = case(*seed);
        let dir = out.join(format!("case-{seed}"));
        let written = match write_case(&dir, &text, &files) {
            Ok(()) => format!("written to {}", dir.display()),
            Err(e) => format!("not written ({e})"),
        };
        let _ = writeln!(msg, "case {seed} ({written}):\n{d}\n");
    }
    assert!(
        found.is_empty(),
        "{} of {n} cases diverge; keep each in fixtures/differential/:\n{msg}",
        found.len()
    );
}

/// The cases kept in `fixtures/differential/` (each a folder with
/// `rules.dudao` and CSV files): the strategies agree on each.
#[test]
fn kept_cases_replay() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/differential");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    dirs.retain(|p| p.is_dir());
    dirs.sort();
    assert!(!dirs.is_empty(), "no kept case in {}", root.display());
    for dir in dirs {
        let text = std::fs::read_to_string(dir.join("rules.dudao"))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "csv"))
            .map(|p| {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let body =
                    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                (name, body)
            })
            .collect();
        files.sort();
        match divergence(&text, &files, Strategy::Fast) {
            Ok(None) => {}
            Ok(Some(d)) => panic!("{}: the strategies diverge:\n{d}", dir.display()),
            Err(e) => panic!("{}: {e}", dir.display()),
        }
    }
}

/// The harness can fail: with a planted mistake in the compiled code (a
/// `<=` on numbers compiled as `<`), some of the random cases diverge.
#[test]
fn a_planted_divergence_is_caught() {
    let found = run_cases(1, 200, Strategy::PlantedBug);
    assert!(
        !found.is_empty(),
        "200 random cases did not find the planted mistake"
    );
}

// ------------------------------------------------- mutated bundled packs

/// The submissions mutated bundled packs are evaluated on.
const SUBMISSIONS: &[&str] = &[
    "fixtures/submissions/small-district",
    "fixtures/submissions/violations",
    "fixtures/submissions/violations-more",
    "fixtures/submissions/audit-a13-years",
];

/// Operators a mutation swaps for another of the same kind, so that the
/// rule stays well typed.
const SWAPS: &[&[&str]] = &[
    &[" <= ", " < ", " >= ", " > ", " == ", " != "],
    &[" and ", " or "],
    &[" + ", " - ", " * "],
];

/// The bundled rule files with 1–4 random mutations in the lines that hold
/// expressions (`assert`, `when`, `metric`, the conditions of `at_least`):
/// a comparison, `and`/`or` or `+`/`-`/`*` swapped, a number changed.
fn mutate(rng: &mut Rng, files: &[SourceFile]) -> Vec<SourceFile> {
    let mut out: Vec<SourceFile> = files.to_vec();
    for _ in 0..1 + rng.below(4) {
        let f = rng.below(out.len());
        if out[f].name.starts_with("00-") || out[f].name.starts_with("01-") {
            continue;
        }
        let text = &out[f].text;
        // (byte offset, old text, new text) of every possible mutation.
        let mut sites: Vec<(usize, String, String)> = Vec::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let t = line.trim_start();
            let expr = t.starts_with("assert ")
                || t.starts_with("when ")
                || t.starts_with("metric ")
                || (line.starts_with("    ") && !t.starts_with('#'));
            if expr {
                for group in SWAPS {
                    for op in *group {
                        for (i, _) in line.match_indices(op) {
                            let to = *rng.pick(group);
                            sites.push((offset + i, op.to_string(), to.to_string()));
                        }
                    }
                }
                let bytes = line.as_bytes();
                for (i, b) in bytes.iter().enumerate() {
                    let start = i == 0 || matches!(bytes[i - 1], b' ' | b'(' | b'[' | b',');
                    if b.is_ascii_digit() && start {
                        let len = bytes[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                        let to = *rng.pick(&["0", "1", "2", "45", "100"]);
                        sites.push((offset + i, line[i..i + len].to_string(), to.to_string()));
                    }
                }
            }
            offset += line.len();
        }
        if sites.is_empty() {
            continue;
        }
        let (at, old, new) = rng.pick(&sites).clone();
        let mut t = out[f].text.clone();
        t.replace_range(at..at + old.len(), &new);
        out[f].text = t;
    }
    out
}

/// The bundled rule pack, mutated, on small fixture submissions: both
/// strategies give the same report. Mutants that do not compile (a number
/// that became a zero divisor of a constant, say) are skipped, but most
/// must compile.
#[test]
fn mutated_bundled_packs_match_the_reference() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The Wanzhou pack (`rules/`) and the national pack it imports
    // (`national/`), compiled as one, in the order of their file names.
    let mut files: Vec<SourceFile> = ["national", "rules"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).expect("pack folder"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "dudao"))
        .map(|p| SourceFile {
            name: p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            text: std::fs::read_to_string(&p).expect("rule file"),
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let read_seed = |s: &str| std::fs::read_to_string(root.join(s)).ok();
    let n = env_u64("DUDAO_DIFF_ITERS").unwrap_or(300) / 12;
    let start = env_u64("DUDAO_DIFF_SEED").unwrap_or(1);
    let (mut compiled, mut diverged) = (0, Vec::new());
    for seed in start..start + n {
        let mut rng = Rng(seed ^ 0x5EED);
        let mutant = mutate(&mut rng, &files);
        let Ok(pack) = dudao::check::compile(mutant.clone(), &read_seed) else {
            continue;
        };
        compiled += 1;
        let dir = root.join(SUBMISSIONS[seed as usize % SUBMISSIONS.len()]);
        let loaded = dudao::data::load_submission(&pack.schema, &dir)
            .unwrap_or_else(|e| panic!("{}: {}", dir.display(), render_plain(&e.diags)));
        let sub = &loaded.submission;
        let json = |strategy| {
            let opts = CheckOptions {
                allow_incomplete: true,
                strategy,
                distributions: true,
                ..Default::default()
            };
            let results = dudao::eval::check(&pack, sub, Vec::new(), &opts, &|| {});
            let checked = dudao::report::Checked::new(&pack, sub, &results);
            format!(
                "{}\n{:#?}",
                dudao::report::json::render(&checked, Lang::Zh),
                results.report
            )
        };
        if json(Strategy::Reference) != json(Strategy::Fast) {
            let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
                .join("differential")
                .join(format!("mutant-{seed}"));
            let _ = std::fs::create_dir_all(&out);
            for f in &mutant {
                let _ = std::fs::write(out.join(&f.name), &f.text);
            }
            diverged.push(format!(
                "mutant {seed} on {}: {}",
                dir.display(),
                out.display()
            ));
        }
    }
    assert!(
        compiled * 2 >= n,
        "only {compiled} of {n} mutants compile: the mutations are too crude"
    );
    assert!(diverged.is_empty(), "{}", diverged.join("\n"));
}
