//! Loading submissions: clean loads, encodings, and one test per kind of error.

use super::*;
use crate::diag::render_plain;
use crate::schema::{ColType, ColumnDef, EnumDef, Schema, TableDef, Unit, Variant};

fn col(name: &str, alias: &str, ty: ColType) -> ColumnDef {
    ColumnDef {
        name: name.to_string(),
        aliases: vec![alias.to_string()],
        ty,
        unit: Unit::none(),
        percent: false,
        optional: false,
        range: None,
    }
}

fn optional(mut c: ColumnDef) -> ColumnDef {
    c.optional = true;
    c
}

fn percent(mut c: ColumnDef) -> ColumnDef {
    c.percent = true;
    c
}

fn unit(mut c: ColumnDef, u: &str) -> ColumnDef {
    c.unit = Unit::base(u);
    c
}

fn table(
    name: &str,
    alias: &str,
    columns: Vec<ColumnDef>,
    key: &[usize],
    year_col: Option<usize>,
) -> TableDef {
    TableDef {
        name: name.to_string(),
        aliases: vec![alias.to_string()],
        columns,
        key: key.to_vec(),
        year_col,
    }
}

fn variant(name: &str, alias: &str) -> Variant {
    Variant {
        name: name.to_string(),
        aliases: vec![alias.to_string()],
    }
}

const SCHOOLS: usize = 0;
const TEACHERS: usize = 1;
const DISTRICT: usize = 2;

/// schools(id key, name, stage, students 人, pass_rate %, wifi?, founded?),
/// teachers(id key, school → schools, pay 元?), district(year key, population,
/// satisfaction %?).
pub(super) fn schema() -> Schema {
    Schema {
        enums: vec![EnumDef {
            origin: "schools.stage".to_string(),
            variants: vec![
                variant("primary", "小学"),
                variant("junior", "初中"),
                variant("kindergarten", "幼儿园"),
            ],
        }],
        tables: vec![
            table(
                "schools",
                "学校",
                vec![
                    col("id", "学校标识码", ColType::Text),
                    col("name", "学校名称", ColType::Text),
                    col("stage", "学段", ColType::Enum(0)),
                    unit(col("students", "在校生数", ColType::Int), "人"),
                    percent(col("pass_rate", "合格率", ColType::Decimal)),
                    optional(col("wifi", "校园无线网络", ColType::Bool)),
                    optional(col("founded", "建校年份", ColType::Year)),
                ],
                &[0],
                None,
            ),
            table(
                "teachers",
                "教师",
                vec![
                    col("id", "教师编号", ColType::Text),
                    col("school", "所在学校", ColType::Ref(SCHOOLS)),
                    optional(unit(col("pay", "年收入", ColType::Decimal), "元")),
                ],
                &[0],
                None,
            ),
            table(
                "district",
                "区县",
                vec![
                    col("year", "年份", ColType::Year),
                    col("population", "人口", ColType::Int),
                    optional(percent(col("satisfaction", "满意度", ColType::Decimal))),
                ],
                &[0],
                Some(0),
            ),
        ],
    }
}

const SCHOOLS_CSV: &str = "\
id,name,stage,students,pass_rate,wifi,founded
5001001,第一小学,primary,\"1,200\",95.5,是,1952
5001002,\"第二
中学\",初中,800,88%,,2001-09-01

5001003,阳光幼儿园,幼儿园,１２０,100,N,
";

const TEACHERS_CSV: &str = "\
id,school,pay
T1,5001001,85000
T2,5001002,
T3,5001001,\"92,000.50\"
";

const DISTRICT_CSV: &str = "\
year,population,satisfaction
2025,310000,92.5
2024,305000,
";

fn load(files: &[(&str, &str)]) -> Result<Loaded, LoadErrors> {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    load_tables_from_strings(&schema(), &files)
}

fn loaded(files: &[(&str, &str)]) -> Loaded {
    match load(files) {
        Ok(l) => l,
        Err(e) => panic!("load failed:\n{}", render_plain(&errors_only(&e))),
    }
}

#[track_caller]
fn errors(files: &[(&str, &[u8])]) -> LoadErrors {
    match load_tables_from_strings(&schema(), files) {
        Ok(_) => panic!("expected errors"),
        Err(e) => e,
    }
}

#[track_caller]
fn text_errors(files: &[(&str, &str)]) -> LoadErrors {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    errors(&files)
}

/// The text under a diagnostic's primary label.
fn span_text(d: &Diag) -> String {
    let (Some(src), Some((span, _))) = (&d.source, d.labels.first()) else {
        return String::from("<no span>");
    };
    src.inner()
        .get(span.clone())
        .unwrap_or("<bad span>")
        .to_string()
}

/// The errors (checking that no warning is among them).
fn errors_only(e: &LoadErrors) -> Vec<Diag> {
    assert!(e.diags.iter().all(|d| !d.warning));
    assert!(e.warnings.iter().all(|d| d.warning));
    e.diags.clone()
}

/// (code, primary span text) of the errors.
fn summary(e: &LoadErrors) -> Vec<(&'static str, String)> {
    errors_only(e)
        .iter()
        .map(|d| (d.code.as_str(), span_text(d)))
        .collect()
}

fn all_files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("schools.csv", SCHOOLS_CSV),
        ("teachers.csv", TEACHERS_CSV),
        ("district.csv", DISTRICT_CSV),
    ]
}

fn ints(c: &ColumnData) -> &[i64] {
    match c {
        ColumnData::Int(v) => v,
        other => panic!("not int: {other:?}"),
    }
}

fn decs(c: &ColumnData) -> &[f64] {
    match c {
        ColumnData::Dec(v) => v,
        other => panic!("not decimal: {other:?}"),
    }
}

#[test]
fn clean_load() {
    let l = loaded(&all_files());
    assert!(l.warnings.is_empty(), "{}", render_plain(&l.warnings));
    let sub = &l.submission;
    assert_eq!(sub.name, "submission");

    let s = &sub.tables[SCHOOLS];
    assert_eq!(s.rows, 3);
    assert_eq!(s.columns[0].text(0), Some("5001001"));
    assert_eq!(s.columns[1].text(1), Some("第二\n中学"));
    assert!(matches!(&s.columns[2], ColumnData::Enum(v) if v == &[0, 1, 2]));
    assert_eq!(ints(&s.columns[3]), &[1200, 800, 120]);
    assert_eq!(decs(&s.columns[4]), &[0.955, 0.88, 1.0]);
    assert!(matches!(&s.columns[5], ColumnData::Bool(v) if v == &[1, NULL_BOOL, 0]));
    assert!(matches!(&s.columns[6], ColumnData::Year(v) if v == &[1952, 2001, NULL_YEAR]));
    // Header line 1; the second school spans lines 3–4; a blank line 5.
    assert_eq!(s.source.lines, vec![2, 3, 6]);

    let t = &sub.tables[TEACHERS];
    assert!(matches!(&t.columns[1], ColumnData::Ref(v) if v == &[0, 1, 0]));
    let pay = decs(&t.columns[2]);
    assert_eq!(pay[0], 85000.0);
    assert!(pay[1].is_nan());
    assert_eq!(pay[2], 92000.5);

    let d = &sub.tables[DISTRICT];
    assert_eq!(decs(&d.columns[2])[0], 0.925);
    assert_eq!(sub.years, vec![2024, 2025]);
    assert_eq!(sub.report_year(), Some(2025));

    assert_eq!(sub.relations.len(), 1);
    let rel = sub.relation(TEACHERS, 1).expect("relation");
    assert_eq!((rel.from, rel.to), (TEACHERS, SCHOOLS));
    assert_eq!(rel.children(0), &[0, 2]);
    assert_eq!(rel.children(1), &[1]);
    assert_eq!(rel.children(2), &[] as &[u32]);

    // Files in sorted order, with hashes of their bytes.
    let names: Vec<_> = sub
        .files
        .iter()
        .map(|f| f.path.to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["district.csv", "schools.csv", "teachers.csv"]);
    assert_eq!(
        sub.files[s.source.file].sha256,
        csvtext::sha256_hex(SCHOOLS_CSV.as_bytes())
    );
    assert_eq!(
        csvtext::sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert!(sub.files.iter().all(|f| f.note.is_none()));
    assert_eq!(
        sub.row_location(TEACHERS, 2).as_deref(),
        Some("teachers.csv:4")
    );
}

/// The debug form of every table's columns and lines, to compare loads.
fn tables_debug(sub: &Submission) -> String {
    sub.tables
        .iter()
        .map(|t| format!("{:?} {:?}\n", t.columns, t.source.lines))
        .collect()
}

#[test]
fn chinese_headers_and_file_names() {
    let english = loaded(&all_files());
    let schools = "\
学校标识码,学校名称,学段,在校生数,合格率,校园无线网络,建校年份
5001001,第一小学,primary,\"1,200\",95.5,是,1952
5001002,\"第二
中学\",初中,800,88%,,2001-09-01

5001003,阳光幼儿园,幼儿园,１２０,100,N,
";
    let teachers = "教师编号, 所在学校 ,年收入\r\nT1,5001001,85000\r\nT2,5001002,\r\nT3,5001001,\"92,000.50\"\r\n";
    let chinese = loaded(&[
        ("学校.csv", schools),
        ("教师.CSV", teachers),
        ("区县.csv", DISTRICT_CSV),
    ]);
    assert_eq!(
        tables_debug(&english.submission),
        tables_debug(&chinese.submission)
    );
}

#[test]
fn gbk_loads_like_utf8() {
    let utf8 = loaded(&all_files());
    let (gbk, _, bad) = encoding_rs::GB18030.encode(SCHOOLS_CSV);
    assert!(!bad);
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the test needs bytes that are not UTF-8"
    );
    let l = load_tables_from_strings(
        &schema(),
        &[
            ("schools.csv", &gbk),
            ("teachers.csv", TEACHERS_CSV.as_bytes()),
            ("district.csv", DISTRICT_CSV.as_bytes()),
        ],
    )
    .expect("GBK loads");
    assert_eq!(tables_debug(&utf8.submission), tables_debug(&l.submission));
    let f = &l.submission.files[l.submission.tables[SCHOOLS].source.file];
    assert_eq!(f.note.as_deref(), Some("GB18030"));
    assert_eq!(f.sha256, csvtext::sha256_hex(&gbk));
}

#[test]
fn bom_is_stripped() {
    let plain = loaded(&all_files());
    let bom = format!("\u{FEFF}{SCHOOLS_CSV}");
    let l = loaded(&[
        ("schools.csv", &bom),
        ("teachers.csv", TEACHERS_CSV),
        ("district.csv", DISTRICT_CSV),
    ]);
    assert_eq!(tables_debug(&plain.submission), tables_debug(&l.submission));
}

#[test]
fn missing_and_unknown_files_warn() {
    let l = loaded(&[
        ("schools.csv", SCHOOLS_CSV),
        ("school.csv", SCHOOLS_CSV),
        ("shcools.csv", SCHOOLS_CSV),
        ("notes.txt", "hello"),
    ]);
    let w: Vec<_> = l
        .warnings
        .iter()
        .map(|d| (d.code.as_str(), d.message.en()))
        .collect();
    assert_eq!(
        w,
        [
            (
                "dudao::data::unknown_file",
                "`notes.txt` matches no table; it is ignored"
            ),
            (
                "dudao::data::unknown_file",
                "`school.csv` matches no table; it is ignored"
            ),
            (
                "dudao::data::unknown_file",
                "`shcools.csv` matches no table; it is ignored"
            ),
            (
                "dudao::data::missing_table",
                "no file for table 教师 (teachers); it is loaded with no rows"
            ),
            (
                "dudao::data::missing_table",
                "no file for table 区县 (district); it is loaded with no rows"
            ),
        ]
    );
    assert!(l.warnings.iter().all(|d| d.warning));
    // `school` is like `schools`, but `schools.csv` holds the table.
    assert_eq!(
        l.warnings[1].help.as_ref().map(|h| h.zh()),
        Some("表 学校 (schools) 的数据取自 `schools.csv`")
    );
    assert_eq!(
        l.warnings[2].help.as_ref().map(|h| h.en()),
        Some("did you mean `schools.csv`? expected files: 学校.csv, 教师.csv, 区县.csv")
    );
    // Each names its file.
    let names: Vec<&str> = l.warnings.iter().map(|d| d.source_name()).collect();
    assert_eq!(names, ["notes.txt", "school.csv", "shcools.csv", "", ""]);
    assert_eq!(l.submission.tables[TEACHERS].rows, 0);
    assert_eq!(l.submission.tables[TEACHERS].columns.len(), 3);
}

#[test]
fn two_files_for_one_table() {
    let e = text_errors(&[("schools.csv", SCHOOLS_CSV), ("学校.csv", SCHOOLS_CSV)]);
    assert_eq!(e.diags[0].code, "dudao::data::duplicate_file");
    assert_eq!(
        e.diags[0].message,
        "`schools.csv` and `学校.csv` both hold table 学校 (schools)"
    );
}

#[test]
fn header_errors() {
    let e = text_errors(&[(
        "schools.csv",
        "id,name,stage,studnets,pass_rate,学校名称,colour\n5001001,A,小学,1,2,B,red\n",
    )]);
    // The misspelled `studnets` is one error, not also a missing `students`.
    assert_eq!(
        summary(&e),
        [
            ("dudao::data::unknown_column", "studnets".to_string()),
            ("dudao::data::duplicate_column", "学校名称".to_string()),
            ("dudao::data::unknown_column", "colour".to_string()),
        ]
    );
    assert_eq!(
        e.diags[0].help.as_ref().map(|h| h.en()),
        Some("did you mean `students`?")
    );
    assert_eq!(e.diags[1].labels[1].0, 3..7, "the first `name`");
    insta::assert_snapshot!("header_errors", render_plain(&errors_only(&e)));
    // A required column no header comes near is missing.
    let e = text_errors(&[("schools.csv", "id,name,stage,pass_rate\n5001001,A,小学,2\n")]);
    assert_eq!(
        summary(&e),
        [(
            "dudao::data::missing_column",
            "id,name,stage,pass_rate".to_string()
        )]
    );
    assert_eq!(
        e.diags[0].message,
        "`schools.csv` has no column `在校生数` (students)"
    );
    assert_eq!(
        e.diags[0].help.as_ref().map(|h| h.en()),
        Some("add a column headed `students` or `在校生数`")
    );
}

#[test]
fn missing_key_column_even_if_optional() {
    let mut s = schema();
    s.tables[SCHOOLS].columns[0].optional = true;
    let e = load_tables_from_strings(
        &s,
        &[(
            "schools.csv",
            "name,stage,students,pass_rate\nA,小学,1,2\n".as_bytes(),
        )],
    )
    .expect_err("key column missing");
    assert_eq!(summary(&e)[0].0, "dudao::data::missing_column");
    assert_eq!(
        e.diags[0].message,
        "`schools.csv` has no key column `学校标识码` (id)"
    );

    let csv = "id,name,stage,students,pass_rate\n,A,小学,1,2\n";
    let e = load_tables_from_strings(&s, &[("schools.csv", csv.as_bytes())])
        .expect_err("key value missing");
    assert_eq!(summary(&e), [("dudao::data::missing_value", String::new())]);
    assert_eq!(
        e.diags[0].message,
        "missing key value for `学校标识码` (id)"
    );
}

/// A reference to a table with a composite key names it as `a/b`.
#[test]
fn composite_key_references() {
    let s = Schema {
        enums: vec![],
        tables: vec![
            table(
                "schools",
                "学校",
                vec![col("id", "学校标识码", ColType::Text)],
                &[0],
                None,
            ),
            table(
                "classes",
                "班级",
                vec![
                    col("school", "学校标识码", ColType::Ref(0)),
                    col("no", "班号", ColType::Int),
                ],
                &[0, 1],
                None,
            ),
            table(
                "pupils",
                "学生",
                vec![
                    col("id", "学号", ColType::Text),
                    col("class", "班级", ColType::Ref(1)),
                ],
                &[0],
                None,
            ),
        ],
    };
    let schools = "id\nS1\nS2\n";
    let classes = "school,no\nS1,1\nS1,2\nS2,1\n";
    let pupils = "id,class\nP1,S1/2\nP2, S2 / 1.0 \nP3,S1/1\n";
    let files: [(&str, &[u8]); 3] = [
        ("schools.csv", schools.as_bytes()),
        ("classes.csv", classes.as_bytes()),
        ("pupils.csv", pupils.as_bytes()),
    ];
    let l = load_tables_from_strings(&s, &files).expect("loads");
    assert!(matches!(&l.submission.tables[2].columns[1], ColumnData::Ref(v) if v == &[1, 2, 0]));
    assert!(matches!(&l.submission.tables[1].columns[0], ColumnData::Ref(v) if v == &[0, 0, 1]));
    assert_eq!(l.submission.relations.len(), 2);

    let classes = "school,no\nS1,1\nS1,1\n";
    let pupils = "id,class\nP1,S1/3\n";
    let files: [(&str, &[u8]); 3] = [
        ("schools.csv", schools.as_bytes()),
        ("classes.csv", classes.as_bytes()),
        ("pupils.csv", pupils.as_bytes()),
    ];
    let e = load_tables_from_strings(&s, &files).expect_err("errors");
    assert_eq!(
        summary(&e),
        [
            ("dudao::data::duplicate_key", "S1".to_string()),
            ("dudao::data::dangling_reference", "S1/3".to_string()),
        ]
    );
    assert_eq!(
        e.diags[0].message,
        "row 3 repeats the key of row 2 in `classes.csv`: `学校标识码` = `S1`, `班号` = `1`"
    );
    assert_eq!(
        e.diags[0].help.as_ref().map(|h| h.en()),
        Some("each row of 班级 (classes) must have a different `学校标识码` + `班号`")
    );
    assert_eq!(
        e.diags[1].help.as_ref().map(|h| h.en()),
        Some("did you mean `S1/1`?")
    );
}

#[test]
fn empty_file() {
    let e = text_errors(&[("schools.csv", "\u{FEFF}")]);
    assert_eq!(summary(&e), [("dudao::data::empty_file", String::new())]);
}

#[test]
fn cell_errors() {
    let schools = "\
id,name,stage,students,pass_rate,wifi,founded
5001001,A,小学部,12.5,55,maybe,1850
5001002,B,初中,\"12,5\",55%,是,20x5
,C,幼儿园,,abc,,
5001004,D,ｊｕｎｉｏｒ,1.2E+07,1e999,Ｙ,2025年
";
    let district = "year,population,satisfaction\n2025,12%,50\n";
    let e = text_errors(&[("schools.csv", schools), ("district.csv", district)]);
    assert_eq!(
        summary(&e),
        [
            ("dudao::data::unexpected_percent", "12%".to_string()),
            ("dudao::data::unknown_label", "小学部".to_string()),
            ("dudao::data::bad_number", "12.5".to_string()),
            ("dudao::data::bad_bool", "maybe".to_string()),
            ("dudao::data::bad_year", "1850".to_string()),
            ("dudao::data::bad_number", "12,5".to_string()),
            ("dudao::data::bad_year", "20x5".to_string()),
            ("dudao::data::missing_value", String::new()),
            ("dudao::data::missing_value", String::new()),
            ("dudao::data::bad_number", "abc".to_string()),
            ("dudao::data::bad_number", "1.2E+07".to_string()),
            ("dudao::data::bad_number", "1e999".to_string()),
        ]
    );
    // Empty cells are pointed at where they are.
    let key = &e.diags[7];
    assert_eq!(key.message, "missing key value for `学校标识码` (id)");
    assert_eq!(key.labels[0].0.start, schools.find("\n,C").unwrap() + 1);
    let students = &e.diags[8];
    assert_eq!(
        students.message,
        "missing value for required column `在校生数` (students)"
    );
    assert_eq!(
        students.labels[0].0.start,
        schools.find(",,abc").unwrap() + 1
    );
    assert_eq!(
        e.diags[1].help.as_ref().map(|h| h.en()),
        Some("did you mean `小学`? valid values: 小学, 初中, 幼儿园")
    );
    insta::assert_snapshot!("cell_errors", render_plain(&errors_only(&e)));
}

#[test]
fn ragged_rows() {
    let e = text_errors(&[(
        "teachers.csv",
        "id,school,pay\nT1,5001001,1,200\nT2,5001001\n",
    )]);
    assert_eq!(
        summary(&e),
        [
            ("dudao::data::ragged_row", "200".to_string()),
            ("dudao::data::ragged_row", String::new())
        ]
    );
    assert_eq!(
        e.diags[0].message,
        "line 2 has 4 cells, but the header of `teachers.csv` has 3"
    );
    assert_eq!(
        e.diags[1].message,
        "line 3 has 2 cells, but the header of `teachers.csv` has 3"
    );
    insta::assert_snapshot!("ragged_rows", render_plain(&errors_only(&e)));
}

#[test]
fn empty_rows_are_skipped_and_unnamed_columns_checked() {
    let l = loaded(&[
        (
            "teachers.csv",
            "id,school,pay,\nT1,5001001,1,\n,,,\n  ,, ,\nT2,5001002,,\n",
        ),
        ("schools.csv", SCHOOLS_CSV),
        ("district.csv", DISTRICT_CSV),
    ]);
    assert_eq!(l.submission.tables[TEACHERS].source.lines, vec![2, 5]);
    let e = text_errors(&[
        ("teachers.csv", "id,school,pay,\nT1,5001001,1,oops\n"),
        ("schools.csv", SCHOOLS_CSV),
    ]);
    assert_eq!(
        summary(&e),
        [("dudao::data::unnamed_column", "oops".to_string())]
    );
}

#[test]
fn encoding_error() {
    let mut bytes = b"id,name,stage,students,pass_rate\n".to_vec();
    bytes.extend_from_slice("5001001,第一小学,小学,1,2\n5001002,".as_bytes());
    bytes.push(0xFF);
    bytes.extend_from_slice(b",x,1,2\n");
    let e = errors(&[("schools.csv", &bytes)]);
    assert_eq!(
        summary(&e),
        [("dudao::data::encoding", "\u{FFFD}".to_string())]
    );
    assert_eq!(
        e.diags[0].message,
        "`schools.csv` is UTF-8 text, but line 3 has the invalid byte `0xFF`"
    );
    insta::assert_snapshot!("encoding_error", render_plain(&errors_only(&e)));

    // GB18030 with one stray byte on line 6: reported there, in GB18030
    // terms, at the column of the character (not of the byte).
    let text = "学校标识码,学校名称,学段,在校生数,合格率\n5001001,第一小学,小学,1,2\n\
                5001002,第二小学,小学,1,2\n5001003,第三小学,小学,1,2\n\
                5001004,第四小学,小学,1,2\n5001005,第五";
    let (gb, _, _) = encoding_rs::GB18030.encode(text);
    let mut bytes = gb.into_owned();
    bytes.push(0xFF);
    bytes.extend_from_slice(encoding_rs::GB18030.encode("小学,小学,1,2\n").0.as_ref());
    let e = errors(&[("schools.csv", &bytes)]);
    assert_eq!(
        e.diags[0].message.zh(),
        "文件 `schools.csv` 是 GB18030（GBK）编码，但第 6 行有无效的字节 `0xFF`"
    );
    let shown = render_plain(&e.diags);
    assert!(shown.contains("[schools.csv:6:11]"), "{shown}");

    // UTF-16 without a byte-order mark is named.
    let le: Vec<u8> = SCHOOLS_CSV
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let e = errors(&[("schools.csv", &le)]);
    assert_eq!(
        e.diags[0].message.zh(),
        "文件 `schools.csv` 是 UTF-16 编码的文本（没有字节顺序标记），不是 UTF-8 或 GB18030"
    );
    assert_eq!(e.diags[0].source_name(), "schools.csv");

    let e = errors(&[("学校.csv", b"PK\x03\x04\x14\x00\x06\x00\xFF\xFF")]);
    assert_eq!(
        e.diags[0].message,
        "`学校.csv` is an Excel workbook, not a CSV file"
    );
}

#[test]
fn dangling_references() {
    let teachers = "id,school,pay\nT1,5001001,\nT2,5001011,\nT3,9999,\n";
    let e = text_errors(&[("schools.csv", SCHOOLS_CSV), ("教师.csv", teachers)]);
    assert_eq!(
        summary(&e),
        [
            ("dudao::data::dangling_reference", "5001011".to_string()),
            ("dudao::data::dangling_reference", "9999".to_string()),
        ]
    );
    assert_eq!(
        e.diags[0].message,
        "`所在学校` (school) at 教师.csv:3 refers to `5001011`, which is not in `schools.csv`"
    );
    assert_eq!(
        e.diags[0].help.as_ref().map(|h| h.en()),
        Some("did you mean `5001001`?")
    );
    assert_eq!(e.diags[1].help, None);
    insta::assert_snapshot!("dangling_references", render_plain(&errors_only(&e)));

    // No schools file at all.
    let e = text_errors(&[("教师.csv", teachers)]);
    assert_eq!(errors_only(&e).len(), 3);
    assert!(
        e.diags[0]
            .message
            .en()
            .ends_with("which is not in 学校 (schools) (no file in this submission)")
    );
    let warnings: Vec<_> = e.warnings.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(warnings, ["dudao::data::missing_table"; 2]);
}

#[test]
fn references_to_a_table_with_errors_are_not_reported_twice() {
    let schools = "id,name,stage,students,pass_rate\n5001001,A,小学,1,2\n5001002,B,小学,1\n";
    let teachers = "id,school\nT1,5001002\n";
    let e = text_errors(&[("schools.csv", schools), ("teachers.csv", teachers)]);
    assert_eq!(summary(&e), [("dudao::data::ragged_row", String::new())]);
}

#[test]
fn duplicate_keys() {
    let schools = "\
id,name,stage,students,pass_rate
5001001,A,小学,1,2
5001002,B,小学,1,2
5001001,C,小学,1,2
";
    let district = "year,population\n2025,1\n2024,1\n2025年,2\n";
    let e = text_errors(&[("schools.csv", schools), ("district.csv", district)]);
    assert_eq!(
        summary(&e),
        [
            ("dudao::data::duplicate_key", "2025年".to_string()),
            ("dudao::data::duplicate_key", "5001001".to_string()),
        ]
    );
    assert_eq!(
        e.diags[0].message,
        "row 4 repeats the key of row 2 in `district.csv`: `年份` = `2025`"
    );
    assert_eq!(
        e.diags[1].message,
        "row 4 repeats the key of row 2 in `schools.csv`: `学校标识码` = `5001001`"
    );
    assert_eq!(e.diags[1].labels[1].0, 33..40, "points at line 2");
    insta::assert_snapshot!("duplicate_keys", render_plain(&errors_only(&e)[1..]));
}

/// Tables with years: a reference finds the row of the same year.
#[test]
fn references_match_years() {
    let s = Schema {
        enums: vec![],
        tables: vec![
            table(
                "school_years",
                "学校年度",
                vec![
                    col("id", "学校标识码", ColType::Int),
                    col("year", "年份", ColType::Year),
                ],
                &[0, 1],
                Some(1),
            ),
            table(
                "teacher_years",
                "教师年度",
                vec![
                    col("id", "教师编号", ColType::Text),
                    col("year", "年份", ColType::Year),
                    col("school", "所在学校", ColType::Ref(0)),
                ],
                &[0, 1],
                Some(1),
            ),
            table(
                "notes",
                "备注",
                vec![col("school", "学校", ColType::Ref(0))],
                &[],
                None,
            ),
        ],
    };
    let schools = "id,year\n5001,2024\n5001,2025\n5002,2025\n";
    let teachers = "id,year,school\nT1,2024,5001\nT1,2025,\"5,001\"\nT2,2025,5002\nT3,2024,5002\n";
    let notes = "school\n5001\n";
    let files: [(&str, &[u8]); 3] = [
        ("学校年度.csv", schools.as_bytes()),
        ("教师年度.csv", teachers.as_bytes()),
        ("notes.csv", notes.as_bytes()),
    ];
    let e = load_tables_from_strings(&s, &files).expect_err("T3 has no school in 2024");
    assert_eq!(
        summary(&e),
        [("dudao::data::dangling_reference", "5002".to_string())]
    );
    assert_eq!(
        e.diags[0].message,
        "`所在学校` (school) at 教师年度.csv:5 refers to `5002`, which is not in `学校年度.csv` for 2024"
    );
    assert_eq!(
        e.diags[0].help.as_ref().map(|h| h.en()),
        Some("`5002` is in `学校年度.csv` only for 2025")
    );

    let teachers = "id,year,school\nT1,2024,5001\nT1,2025,\"5,001\"\nT2,2025,5002\n";
    let files: [(&str, &[u8]); 3] = [
        ("学校年度.csv", schools.as_bytes()),
        ("教师年度.csv", teachers.as_bytes()),
        ("notes.csv", notes.as_bytes()),
    ];
    let l = load_tables_from_strings(&s, &files).expect("loads");
    let t = &l.submission.tables[1];
    assert!(matches!(&t.columns[2], ColumnData::Ref(v) if v == &[0, 1, 2]));
    // A table without years refers to the latest year's row.
    assert!(matches!(&l.submission.tables[2].columns[0], ColumnData::Ref(v) if v == &[1]));
    assert_eq!(l.submission.years, vec![2024, 2025]);
}

#[test]
fn errors_are_capped_and_sorted() {
    let mut schools = String::from("id,name,stage,students,pass_rate\n");
    for i in 0..70 {
        schools.push_str(&format!("{i},A,小学,x,1\n"));
    }
    let district = "year,population\n1800,1\n";
    let e = text_errors(&[
        ("schools.csv", &schools),
        ("district.csv", district),
        ("teachers.csv", "id,school\n"),
    ]);
    assert_eq!(e.diags.len(), 50);
    assert_eq!(e.more, 21);
    assert_eq!(e.diags[0].source_name(), "district.csv");
    assert!(
        e.diags[1..]
            .iter()
            .all(|d| d.source_name() == "schools.csv")
    );
    assert!(
        e.diags
            .windows(2)
            .skip(1)
            .all(|w| w[0].offset() < w[1].offset())
    );

    let e = load_from_memory(
        &schema(),
        "x",
        &[("schools.csv", schools.as_bytes())],
        &LoadOptions { max_errors: 5 },
    )
    .expect_err("errors");
    assert_eq!((errors_only(&e).len(), e.more), (5, 65));
}

#[test]
fn loading_is_deterministic() {
    let schools = "id,name,stage,students,pass_rate\n1,A,x,1,1\n1,A,小学,y,1\n";
    let teachers = "id,school\nT1,7\nT1,1\n";
    let a =
        render_plain(&text_errors(&[("schools.csv", schools), ("teachers.csv", teachers)]).diags);
    for _ in 0..5 {
        let b = render_plain(
            &text_errors(&[("teachers.csv", teachers), ("schools.csv", schools)]).diags,
        );
        assert_eq!(a, b);
    }
}

#[test]
fn folders() {
    let e = load_submission(&schema(), Path::new("/nonexistent/dudao/submission"))
        .expect_err("no folder");
    assert_eq!(e.diags[0].code, "dudao::data::not_found");
    assert_eq!(
        e.diags[0].message,
        "submission folder `/nonexistent/dudao/submission` does not exist"
    );

    let dir = std::env::temp_dir().join(format!("dudao-data-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let write = |name: &str, text: &[u8]| std::fs::write(dir.join(name), text).expect("write");
    write("学校.csv", SCHOOLS_CSV.as_bytes());
    write("teachers.CSV", TEACHERS_CSV.as_bytes());
    write("district.csv", DISTRICT_CSV.as_bytes());
    write("README.md", b"not data");
    write("~$学校.csv", b"\xFF lock file");
    let result = load_submission(&schema(), &dir);
    let file_error =
        load_submission(&schema(), &dir.join("学校.csv")).expect_err("a file, not a folder");
    let _ = std::fs::remove_dir_all(&dir);

    let l = result.expect("folder loads");
    assert!(l.warnings.is_empty());
    assert_eq!(
        l.submission.name,
        dir.file_name().unwrap().to_string_lossy()
    );
    assert_eq!(l.submission.path, dir);
    let names: Vec<_> = l
        .submission
        .files
        .iter()
        .map(|f| f.path.to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["district.csv", "teachers.CSV", "学校.csv"]);
    assert_eq!(
        tables_debug(&l.submission),
        tables_debug(&loaded(&all_files()).submission)
    );
    assert_eq!(file_error.diags[0].code, "dudao::data::not_found");
}

/// A tiny deterministic PRNG for the robustness test.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Random bytes and random mutations of valid files never panic, and every
/// error has a span inside its source on char boundaries.
#[test]
fn arbitrary_input_never_panics() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let pieces: [&[u8]; 16] = [
        b",",
        b"\"",
        b"\n",
        b"\r\n",
        b"\r",
        b" ",
        b"%",
        "，".as_bytes(),
        "小学".as_bytes(),
        b"\xEF\xBB\xBF",
        b"\xFF",
        b"\x81\x30",
        b"5001001",
        b"1e9",
        b"-",
        b"",
    ];
    let (gbk, _, _) = encoding_rs::GB18030.encode(SCHOOLS_CSV);
    let bases: [&[u8]; 4] = [
        SCHOOLS_CSV.as_bytes(),
        TEACHERS_CSV.as_bytes(),
        DISTRICT_CSV.as_bytes(),
        &gbk,
    ];
    for case in 0..3000 {
        let mut files: Vec<(&str, Vec<u8>)> = Vec::new();
        for (name, base) in [("schools.csv", 0), ("teachers.csv", 1), ("district.csv", 2)] {
            let base = if name == "schools.csv" && case % 4 == 3 {
                bases[3]
            } else {
                bases[base]
            };
            let mut bytes = base.to_vec();
            if case % 10 == 0 {
                bytes = (0..rng.below(200)).map(|_| rng.next() as u8).collect();
            } else {
                for _ in 0..rng.below(6) {
                    let at = rng.below(bytes.len() + 1);
                    match rng.below(4) {
                        0 => {
                            if at < bytes.len() {
                                bytes.remove(at);
                            }
                        }
                        1 => {
                            let piece = pieces[rng.below(pieces.len())];
                            bytes.splice(at..at, piece.iter().copied());
                        }
                        2 => {
                            let end = (at + rng.below(20)).min(bytes.len());
                            bytes.drain(at..end);
                        }
                        _ => {
                            if let Some(b) = bytes.get_mut(at) {
                                *b = rng.next() as u8;
                            }
                        }
                    }
                }
            }
            files.push((name, bytes));
        }
        // Some cases also go through the streamed read of files on disk.
        if case % 10 == 1 {
            let _ = same_on_disk(&format!("fuzz-{case}"), &files);
        }
        let input: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        match load_tables_from_strings(&schema(), &input) {
            Ok(l) => {
                for t in &l.submission.tables {
                    assert!(t.columns.iter().all(|c| c.len() == t.rows));
                    assert_eq!(t.source.lines.len(), t.rows);
                }
            }
            Err(e) => {
                assert!(!e.diags.is_empty());
                for d in &e.diags {
                    if let (Some(src), Some((span, _))) = (&d.source, d.labels.first()) {
                        assert!(
                            src.inner().get(span.clone()).is_some(),
                            "case {case}: bad span {span:?} in {d:?}"
                        );
                    }
                }
                let _ = render_plain(&e.diags);
            }
        }
    }
}

/// Load throughput on a large generated submission. Run with
/// `cargo test --release --lib data::tests::large -- --ignored --nocapture`.
#[test]
#[ignore]
fn large_submission_throughput() {
    let n_schools = 5_000;
    let n_teachers: usize = std::env::var("DUDAO_TEACHERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let mut schools =
        String::from("学校标识码,学校名称,学段,在校生数,合格率,校园无线网络,建校年份\n");
    for i in 0..n_schools {
        schools.push_str(&format!(
            "{},学校{i},小学,{},{}.5,是,1990\n",
            5_000_000 + i,
            300 + i % 900,
            50 + i % 50
        ));
    }
    let mut teachers = String::from("教师编号,所在学校,年收入\n");
    for i in 0..n_teachers {
        teachers.push_str(&format!(
            "T{i:08},{},{}\n",
            5_000_000 + (i * 7919) % n_schools,
            60_000 + i % 40_000
        ));
    }
    let t0 = std::time::Instant::now();
    let l = loaded(&[
        ("学校.csv", &schools),
        ("教师.csv", &teachers),
        ("区县.csv", DISTRICT_CSV),
    ]);
    let dt = t0.elapsed();
    assert_eq!(l.submission.tables[TEACHERS].rows, n_teachers);
    eprintln!(
        "{n_teachers} teacher rows ({} MB) in {:.2?}: {:.0} rows/s",
        teachers.len() / 1_000_000,
        dt,
        n_teachers as f64 / dt.as_secs_f64()
    );
}

/// Everything a load produced, text columns by value (their dictionary ids
/// depend on where a file was cut into blocks).
fn describe(r: &Result<Loaded, LoadErrors>) -> String {
    let rows = |t: &Table| -> String {
        t.columns
            .iter()
            .map(|c| match c {
                ColumnData::Text { .. } => {
                    let v: Vec<Option<&str>> = (0..t.rows).map(|r| c.text(r)).collect();
                    format!("{v:?}\n")
                }
                other => format!("{other:?}\n"),
            })
            .collect::<String>()
            + &format!("{:?}\n", t.source.lines)
    };
    match r {
        Ok(l) => {
            let s = &l.submission;
            let files: Vec<_> = s
                .files
                .iter()
                .map(|f| (&f.path, &f.sha256, &f.note))
                .collect();
            format!(
                "{}{files:?}\n{}{:?}",
                s.tables.iter().map(rows).collect::<String>(),
                render_plain(&l.warnings),
                l.rows
            )
        }
        Err(e) => format!(
            "{}\n{} more\n{}{:?}",
            render_plain(&e.diags),
            e.more,
            render_plain(&e.warnings),
            e.rows
        ),
    }
}

/// Loads `files` from a folder (CSV files on disk are streamed a block at a
/// time, 256 bytes in tests) and from memory (read whole): the results must
/// be the same, diagnostics included (the streamed text is read again to
/// show them).
fn same_on_disk(tag: &str, files: &[(&str, Vec<u8>)]) -> Result<Loaded, LoadErrors> {
    let dir = std::env::temp_dir().join(format!("dudao-stream-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let opts = LoadOptions::default();
    let disk = load_submission_with(&schema(), &dir, &opts);
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let input: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let mem = load_from_memory(&schema(), &name, &input, &opts);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(describe(&disk), describe(&mem), "case {tag}");
    disk
}

/// A quote-free teachers file of `n` rows (many blocks).
fn teachers(n: usize, row: impl Fn(usize) -> String) -> Vec<u8> {
    let mut s = String::from("教师编号,所在学校,年收入\n");
    for i in 0..n {
        s.push_str(&row(i));
        s.push('\n');
    }
    s.into_bytes()
}

#[test]
fn streamed_files_load_like_files_in_memory() {
    let schools = "学校标识码,学校名称,学段,在校生数,合格率,校园无线网络,建校年份\n\
                   5001001,第一小学,小学,1200,95.5,是,1952\n\
                   5001002,第二中学,初中,800,88%,,2001\n";
    let plain = |i: usize| format!("T{i:05},500100{},{}", 1 + i % 2, 60_000 + i);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("clean", teachers(400, plain)),
        (
            "cell-errors",
            teachers(400, |i| match i % 97 {
                5 => format!("T{i:05},5001001,六万"),
                6 => format!("T{i:05},,1"),
                7 => format!("T{i:05},5001001"),
                8 => format!("T{i:05},5009999,1"),
                9 => "T00001,5001001,1".to_string(),
                _ => plain(i),
            }),
        ),
        (
            "quote-late",
            teachers(400, |i| {
                if i == 350 {
                    format!("T{i:05},5001001,\"61,000\"")
                } else {
                    plain(i)
                }
            }),
        ),
        ("crlf", {
            let t = teachers(300, plain);
            String::from_utf8(t)
                .unwrap()
                .replace('\n', "\r\n")
                .into_bytes()
        }),
        ("lone-cr", {
            let mut t = teachers(300, plain);
            let at = t.len() - 40;
            t.insert(at, b'\r');
            t
        }),
        ("bom-blank-lines", {
            let mut t = "\u{FEFF}".as_bytes().to_vec();
            t.extend(teachers(300, |i| match i % 50 {
                3 => String::new(),
                4 => ",,".to_string(),
                5 => "  ".to_string(),
                _ => plain(i),
            }));
            t
        }),
        ("no-final-line-end", {
            let mut t = teachers(300, plain);
            t.pop();
            t
        }),
        ("gbk-late", {
            let mut t = teachers(300, plain);
            let (gbk, _, _) = encoding_rs::GB18030.encode("T99999,5001001,一\n");
            t.extend_from_slice(&gbk);
            t
        }),
        ("template-row", {
            let mut t = b"\xE6\x95\x99\xE5\xB8\x88\xE7\xBC\x96\xE5\x8F\xB7,\xE6\x89\x80\xE5\x9C\xA8\xE5\xAD\xA6\xE6\xA0\xA1,\xE5\xB9\xB4\xE6\x94\xB6\xE5\x85\xA5\n".to_vec();
            t.extend_from_slice("文本,引用 学校,小数 元\n".as_bytes());
            t.extend(
                teachers(200, plain)
                    .into_iter()
                    .skip_while(|b| *b != b'\n')
                    .skip(1),
            );
            t
        }),
        ("header-errors", {
            let t = teachers(300, |i| format!("{},x", plain(i)));
            let s = String::from_utf8(t).unwrap();
            s.replacen("年收入", "年收入,多余", 1).into_bytes()
        }),
    ];
    for (tag, t) in cases {
        let files = vec![
            ("学校.csv", schools.as_bytes().to_vec()),
            ("教师.csv", t),
            ("区县.csv", DISTRICT_CSV.as_bytes().to_vec()),
        ];
        let r = same_on_disk(tag, &files);
        match tag {
            "clean" | "quote-late" | "crlf" | "bom-blank-lines" | "no-final-line-end" => {
                assert!(r.is_ok(), "{tag} failed to load")
            }
            _ => assert!(r.is_err(), "{tag} loaded"),
        }
    }
}

/// A streamed file is read again only to show a diagnostic; if it changed
/// since it was parsed (its hash differs), its text is not used, so no
/// snippet shows the wrong text.
#[test]
fn a_changed_file_is_not_shown_with_the_wrong_text() {
    let dir = std::env::temp_dir().join(format!("dudao-stream-changed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("教师.csv");
    std::fs::write(
        &path,
        teachers(300, |i| format!("T{i:05},5001001,{}", 60_000 + i)),
    )
    .unwrap();
    let p = super::csvfile::parse_disk(&schema(), TEACHERS, 0, "教师.csv", &path, 10);
    std::fs::write(&path, b"changed\n").unwrap();
    // Pointing at a cell finds no text to show (and does not show the new one).
    let d = crate::diag::Diag::new(crate::diag::Code::DataCsv, crate::diag::Msg::verbatim("x"));
    let d = p.point(d, &[(0, 0, crate::diag::Msg::verbatim("here"))]);
    assert!(d.source.is_none());
    assert_eq!(p.written(0, 0).as_deref(), Some(""));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `clean`'s fast path (judging a cell's edges from its bytes) agrees with
/// trimming every whitespace and zero-width character.
#[test]
fn clean_trims_like_the_slow_path() {
    let slow = |s: &str| -> String {
        s.trim_matches(|c: char| c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}')
            .to_string()
    };
    let edges = [
        "",
        " ",
        "\t",
        "\u{B}",
        "\u{C}",
        "\r",
        "\u{85}",
        "\u{A0}",
        "\u{1680}",
        "\u{2000}",
        "\u{200A}",
        "\u{2028}",
        "\u{2029}",
        "\u{202F}",
        "\u{205F}",
        "\u{3000}",
        "\u{200B}",
        "\u{FEFF}",
        "a",
        "学",
        "é",
        "\u{1F600}",
        "\u{7F}",
        "\u{0}",
        "ａ",
        "\u{E000}",
    ];
    let middles = ["", "x", "小学", "1,200", " a b "];
    for a in edges {
        for m in middles {
            for z in edges {
                let s = format!("{a}{m}{z}");
                assert_eq!(super::build::clean(&s), slow(&s), "{s:?}");
            }
        }
    }
}

/// Files named like a table (`学校基本情况表.csv`) hold it, with a warning;
/// two such files for one table are an error, not a guess.
#[test]
fn files_named_like_a_table() {
    let l = loaded(&[
        ("学校基本情况表.csv", SCHOOLS_CSV),
        ("教师信息.csv", TEACHERS_CSV),
        ("district.csv", DISTRICT_CSV),
    ]);
    let w: Vec<(&str, &str, &str)> = l
        .warnings
        .iter()
        .map(|d| (d.code.as_str(), d.source_name(), d.message.zh()))
        .collect();
    assert_eq!(
        w,
        [
            (
                "dudao::data::name_matched",
                "学校基本情况表.csv",
                "文件 `学校基本情况表.csv` 的名称含有 `学校`，按表 学校 (schools) 的数据读取"
            ),
            (
                "dudao::data::name_matched",
                "教师信息.csv",
                "文件 `教师信息.csv` 的名称含有 `教师`，按表 教师 (teachers) 的数据读取"
            ),
        ]
    );
    assert_eq!(l.submission.tables[SCHOOLS].rows, 3);
    assert_eq!(l.submission.tables[TEACHERS].rows, 3);

    let e = text_errors(&[
        ("学校基本情况表.csv", SCHOOLS_CSV),
        ("学校基本情况表(2).csv", SCHOOLS_CSV),
    ]);
    assert_eq!(e.diags[0].code, "dudao::data::ambiguous_name");
    assert_eq!(
        e.diags[0].message.zh(),
        "文件 `学校基本情况表(2).csv`、`学校基本情况表.csv` 的名称都像是表 学校 (schools)，无法判断该读取哪一个"
    );
    // No "missing table" warning for the table whose file is ambiguous.
    assert!(
        e.warnings
            .iter()
            .all(|w| !w.message.zh().contains("学校 (schools)"))
    );

    // A name with two tables' names holds neither.
    let l = loaded(&[("schools.csv", SCHOOLS_CSV), ("学校教师.csv", TEACHERS_CSV)]);
    assert_eq!(l.warnings[0].code, "dudao::data::unknown_file");
    assert_eq!(
        l.warnings[0].help.as_ref().map(|h| h.zh()),
        Some(
            "文件名同时含有 学校 (schools)、教师 (teachers) 的名称，无法判断是哪张表；请按表名命名，应有的文件：学校.csv, 教师.csv, 区县.csv"
        )
    );
}

/// WPS Office files are named, with what to do: a warning in a folder, an
/// error as the submission.
#[test]
fn wps_files() {
    let l = loaded(&[("schools.csv", SCHOOLS_CSV), ("报表.et", "")]);
    assert_eq!(l.warnings[0].code, "dudao::data::wps_file");
    assert_eq!(l.warnings[0].source_name(), "报表.et");
    assert!(
        l.warnings[0]
            .help
            .as_ref()
            .is_some_and(|h| h.zh().starts_with("请另存为 .xlsx 后再检查"))
    );
    let dir = std::env::temp_dir().join(format!("dudao-wps-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("报表.et"), b"\xD0\xCF\x11\xE0").unwrap();
    let e = load_submission(&schema(), &dir.join("报表.et")).expect_err("a WPS file");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(e.diags[0].code, "dudao::data::wps_file");
    assert_eq!(
        e.diags[0].message.zh(),
        "`报表.et` 是 WPS 格式的文件，无法读取"
    );
}

/// A symbolic link to nothing, or in a loop, named like a table's file, is
/// an error naming the file, not "no file for the table".
#[cfg(unix)]
#[test]
fn unreadable_table_files_are_named() {
    let dir = std::env::temp_dir().join(format!("dudao-links-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("学校.csv"), SCHOOLS_CSV).unwrap();
    std::os::unix::fs::symlink(dir.join("gone.csv"), dir.join("教师.csv")).unwrap();
    std::os::unix::fs::symlink(dir.join("区县.csv"), dir.join("区县.csv")).unwrap();
    std::fs::create_dir_all(dir.join("班级.csv")).unwrap();
    let e = load_submission(&schema(), &dir).expect_err("unreadable files");
    let _ = std::fs::remove_dir_all(&dir);
    let got: Vec<(&str, &str, &str)> = e
        .diags
        .iter()
        .map(|d| (d.code.as_str(), d.source_name(), d.message.zh()))
        .collect();
    let gone = dir.join("gone.csv").display().to_string();
    assert_eq!(
        got,
        [
            (
                "dudao::data::io",
                "区县.csv",
                "无法读取文件 `区县.csv`：它是一个符号链接，链接形成了循环"
            ),
            (
                "dudao::data::io",
                "教师.csv",
                &*format!("无法读取文件 `教师.csv`：它是一个符号链接，指向的 `{gone}` 不存在")
            ),
        ]
    );
    // `班级.csv` is a folder and matches no table of this schema.
    assert!(e.warnings.iter().any(|w| w.source_name() == "班级.csv"));
    assert!(
        e.warnings
            .iter()
            .all(|w| w.code != "dudao::data::missing_table")
    );
}

/// A quote never closed is named, with the line where it opened; a quote
/// closed lines later makes a row with the wrong number of cells, and the
/// error says why.
#[test]
fn unterminated_quotes() {
    let schools = "\
id,name,stage,students,pass_rate
5001001,A,小学,1,2
5001002,\"第二小学,小学,1,2
5001003,C,小学,1,2
5001004,D,小学,1,2
";
    let e = text_errors(&[("schools.csv", schools)]);
    assert_eq!(
        summary(&e),
        [("dudao::data::unterminated_quote", "\"".to_string())]
    );
    assert_eq!(
        e.diags[0].message.zh(),
        "文件 `schools.csv` 第 3 行的引号 `\"` 没有结束：从这里到文件末尾都被读成了一个单元格"
    );
    assert!(render_plain(&e.diags).contains("[schools.csv:3:9]"));
    // Every row is accounted for: the swallowed lines are one record.
    assert_eq!(
        (e.rows[0].records, e.rows[0].loaded, e.rows[0].with_errors),
        (2, 1, 1)
    );

    let schools = "\
id,name,stage,students,pass_rate
5001001,\"A,小学,1,2
5001002,B\",小学,1
5001003,C,小学,1,2
";
    let e = text_errors(&[("schools.csv", schools)]);
    assert_eq!(e.diags[0].code, "dudao::data::ragged_row");
    assert_eq!(
        e.diags[0].help.as_ref().map(|h| h.zh()),
        Some(
            "第 2 行的引号直到第 3 行才结束，中间的行被读成了一行；请检查引号是否成对（值中的引号要写成 `\"\"`）"
        )
    );
    insta::assert_snapshot!("quote_spans_lines", render_plain(&e.diags));

    // In the header too.
    let e = text_errors(&[("schools.csv", "id,\"name,stage\n1,2,3\n")]);
    assert_eq!(e.diags[0].code, "dudao::data::unterminated_quote");
}

/// A CSV file saved from a statistical form (WPS, Excel): a title above
/// the header, a 序号 column, 小计 rows between the townships, a 合计 row
/// and notes below. It reads like the sheet it came from, and each thing
/// skipped is a warning saying where.
#[test]
fn csv_saved_from_a_form() {
    let schools = "\
万州区2025年学校基本情况表,,,,,,
序号,学校标识码,学校名称,学段,在校生数,合格率
1,5001001,第一小学,小学,1200,95
2,5001002,第二小学,小学,800,90
,,高笋塘街道小计,,2000,
3,5001003,第三小学,小学,700,88
合计,,,,2700,
注：在校生数不含附设班。,,,,,
填表人：张三,,,,,
";
    let l = loaded(&[("schools.csv", schools)]);
    let t = &l.submission.tables[SCHOOLS];
    assert_eq!(t.rows, 3);
    assert_eq!(t.source.lines, [3, 4, 6]);
    assert_eq!(ints(&t.columns[3]), [1200, 800, 700]);
    let w: Vec<(&str, &str)> = l
        .warnings
        .iter()
        .filter(|d| d.code != "dudao::data::missing_table")
        .map(|d| (d.code.as_str(), d.message.zh()))
        .collect();
    assert_eq!(
        w,
        [
            (
                "dudao::data::title_rows",
                "文件 `schools.csv` 的前 1 行是标题，未读取；表头在第 2 行"
            ),
            (
                "dudao::data::skipped_column",
                "已跳过文件 `schools.csv` 的第 1 列 `序号`：它只是行的序号"
            ),
            (
                "dudao::data::skipped_rows",
                "已跳过文件 `schools.csv` 中的 2 个合计/小计行（第 5、7 行）"
            ),
            (
                "dudao::data::skipped_rows",
                "已跳过文件 `schools.csv` 末尾的 2 行说明文字（第 8–9 行）"
            ),
        ]
    );
    let shown: Vec<Diag> = l
        .warnings
        .iter()
        .filter(|d| d.code != "dudao::data::missing_table")
        .cloned()
        .collect();
    insta::assert_snapshot!("csv_read_notes", render_plain(&shown));
    // Every row is accounted for; the title is not a row of the table.
    assert_eq!(
        l.rows[0],
        RowCounts {
            table: "schools".to_string(),
            input: "schools.csv".to_string(),
            title: 1,
            records: 7,
            loaded: 3,
            with_errors: 0,
            blank: 0,
            notes: 4,
        }
    );
    // Streamed from disk, the same.
    let files = [("schools.csv", schools.as_bytes().to_vec())];
    same_on_disk("form", &files).expect("loads");

    // A note among the data rows is an error, not dropped.
    let schools = "\
学校标识码,学校名称,学段,在校生数,合格率
5001001,第一小学,小学,1200,95
注：下面是新建学校,,,,
5001002,第二小学,小学,800,90
";
    let e = text_errors(&[("schools.csv", schools)]);
    assert_eq!(
        summary(&e),
        [(
            "dudao::data::stray_note",
            "注：下面是新建学校,,,,".to_string()
        )]
    );
    assert_eq!(e.rows[0].with_errors, 1);
    // A school whose name ends like a total is data: its key is there.
    let schools = "\
学校标识码,学校名称,学段,在校生数,合格率
5001001,第一小学,小学,1200,95
5001002,合计,小学,800,90
";
    let l = loaded(&[("schools.csv", schools)]);
    assert_eq!(l.submission.tables[SCHOOLS].rows, 2);
}

/// A long value is quoted cut short in messages, not whole.
#[test]
fn long_values_are_quoted_short() {
    let long = "一".repeat(100_000);
    let schools = format!("id,name,stage,students,pass_rate\n5001001,A,{long},1,2\n");
    let e = text_errors(&[("schools.csv", &schools)]);
    assert_eq!(e.diags[0].code, "dudao::data::unknown_label");
    assert!(e.diags[0].message.zh().chars().count() < 100);
    assert!(render_plain(&e.diags).len() < 5_000);
}

/// A key in full-width digits is the key in ASCII digits: next to its twin
/// it is a duplicate (not a second school), and a reference in full-width
/// digits finds its row.
#[test]
fn full_width_keys_are_the_same_keys() {
    let schools = "\
id,name,stage,students,pass_rate
5001001,第一小学,小学,1,2
５００１００１ ,第一小学（重复）,小学,1,2
";
    let e = text_errors(&[("schools.csv", schools)]);
    assert_eq!(
        summary(&e),
        [("dudao::data::duplicate_key", "５００１００１".to_string())]
    );
    assert_eq!(
        e.diags[0].help.as_ref().map(|h| h.zh()),
        Some("第 3 行写作 `５００１００１`，第 2 行写作 `5001001`：全角和半角的数字、字母视为相同")
    );
    let l = loaded(&[
        (
            "schools.csv",
            "id,name,stage,students,pass_rate\n５００１００１,A,小学,1,2\n",
        ),
        (
            "teachers.csv",
            "id,school\nT1,5001001\nＴ２,　５００１００１\n",
        ),
    ]);
    let s = &l.submission.tables[SCHOOLS];
    assert_eq!(s.columns[0].text(0), Some("5001001"));
    let t = &l.submission.tables[TEACHERS];
    assert!(matches!(&t.columns[1], ColumnData::Ref(v) if v == &[0, 0]));
    assert_eq!(t.columns[0].text(1), Some("T2"));
}

/// A value outside its column's range is an error at its cell, in CSV
/// and in a sheet (also a cell formatted as a percentage).
#[test]
fn values_outside_their_range() {
    let mut s = schema();
    s.tables[SCHOOLS].columns[3].range = Some(crate::schema::ValueRange::COUNT);
    s.tables[SCHOOLS].columns[4].range = Some(crate::schema::ValueRange {
        min: Some(0.0),
        max: Some(1.0),
        declared: true,
    });
    let csv =
        "id,name,stage,students,pass_rate\n1,A,小学,-3,50\n2,B,小学,0,100%\n3,C,小学,5,100.5\n";
    let e = load_tables_from_strings(&s, &[("schools.csv", csv.as_bytes())]).expect_err("range");
    assert_eq!(
        summary(&e),
        [
            ("dudao::data::out_of_range", "-3".to_string()),
            ("dudao::data::out_of_range", "100.5".to_string()),
        ]
    );
    assert_eq!(
        e.diags[0].help.as_ref().map(|h| h.zh()),
        Some("列 `在校生数` (students) 是计数，不能小于 0")
    );
    assert_eq!(
        e.diags[1].help.as_ref().map(|h| h.zh()),
        Some("列 `合格率` (pass_rate) 的值应在 0% 到 100% 之间")
    );
    assert_eq!(e.rows[0].with_errors, 2);
}

/// How ranges are declared: `range` before or after `optional`, either
/// bound left out, `range ..` for a count that may be negative; counts
/// (an `int` with a unit) default to at least 0.
#[test]
fn ranges_are_declared_on_columns() {
    use crate::pack::SourceFile;
    use crate::schema::ValueRange;
    let text = r#"
table t "表" {
  key id: text "编号"
  n: int 人 "人数"
  change: int 人 "增减" range ..
  plain: int "序次"
  area: decimal m² "面积" range 0.. optional
  rate: decimal % "比率" optional range 0%..100%
  temp: decimal "温度" range -40..50
}
"#;
    let pack = crate::check::compile(
        vec![SourceFile {
            name: "t.dudao".to_string(),
            text: text.to_string(),
        }],
        &|_| None,
    )
    .unwrap_or_else(|d| panic!("{}", render_plain(&d)));
    let ranges: Vec<Option<ValueRange>> = pack.schema.tables[0]
        .columns
        .iter()
        .map(|c| c.range)
        .collect();
    let r = |min, max| {
        Some(ValueRange {
            min,
            max,
            declared: true,
        })
    };
    assert_eq!(
        ranges,
        [
            None,
            Some(ValueRange::COUNT),
            None,
            None,
            r(Some(0.0), None),
            r(Some(0.0), Some(1.0)),
            r(Some(-40.0), Some(50.0)),
        ]
    );
    assert!(pack.schema.tables[0].columns[4].optional);
    assert!(pack.schema.tables[0].columns[5].optional);
}
