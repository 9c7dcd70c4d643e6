#!/usr/bin/env python3
"""The rule pack of rules/*.dudao, written again as SQL and run by DuckDB.

    python3 bench/duckdb_rules.py SUBMISSION_DIR OUT.json

Reads the four CSV files of a submission (学校/班级/教师/区县.csv, Chinese or
English headers), loads them into in-memory DuckDB tables, runs one query per
rule and writes, for every rule, the number of checks and the keys of the
failing and of the not-evaluable entities (a row's key, a township for the
`by township` rule, the year for district-wide rules).

Every rule mirrors its `when` and `assert` in rules/*.dudao, with dudao's
semantics (see bench/README.md, "How the SQL mirrors the rules"):

* three-valued logic: a missing optional value or a zero denominator is SQL
  NULL; SQL's AND/OR/NOT on NULL are Kleene's, as in dudao;
* a check whose `when` is NULL is counted and not evaluable; a check fails
  when `when` is TRUE and `assert` is FALSE;
* an aggregate whose filter (or share predicate) is unknown for any of its
  rows is unknown; count/sum of no rows are 0; avg/cv/share of nothing are
  unknown;
* numbers compare with dudao's relative tolerance 1e-9 (`feq`, `fge`, …).

The SQL is self-contained: it needs nothing but the `duckdb` package.
"""

import json
import os
import sys
import tempfile
import time

T0 = time.perf_counter()

import duckdb  # noqa: E402

# --- the schema (national/00-schema.dudao) ----------------------------------------
# (column, type, headers…); the first header is the Chinese label. Types: text,
# enum, int, dec, bool, year, pct (a `%` column: percent points in the file,
# a fraction in the engine).

SCHEMA = {
    "schools": (["学校", "schools"], [
        ("id", "text", "学校标识码"),
        ("name", "text", "学校名称"),
        ("township", "text", "乡镇街道"),
        ("stage", "enum", "学校类型", "学段"),
        ("ownership", "enum", "办学性质"),
        ("inclusive", "bool", "普惠性"),
        ("area_kind", "enum", "城乡类型"),
        ("students", "int", "在校生数"),
        ("area_teaching", "dec", "教学及辅助用房面积"),
        ("area_sports", "dec", "体育运动场馆面积"),
        ("area_land", "dec", "占地面积"),
        ("area_buildings", "dec", "校舍建筑面积"),
        ("equipment_value", "dec", "教学仪器设备值"),
        ("multimedia_rooms", "int", "网络多媒体教室数"),
        ("music_rooms", "int", "音乐专用教室数"),
        ("art_rooms", "int", "美术专用教室数"),
        ("books", "int", "图书册数"),
        ("public_funds_per_student", "dec", "生均公用经费"),
        ("group_run", "bool", "集团化办学"),
        ("district_run", "bool", "学区化办学"),
        ("wifi", "bool", "校园无线网络"),
        ("after_school", "bool", "课后服务"),
        ("language_model", "bool", "语言文字规范化示范校"),
    ]),
    "classes": (["班级", "classes"], [
        ("id", "text", "班级编号"),
        ("school", "text", "学校标识码"),
        ("name", "text", "班级名称"),
        ("stage", "enum", "学段"),
        ("kg_type", "enum", "幼儿园班级类型"),
        ("students", "int", "班额", "学生数"),
        ("interactive", "bool", "互动式多媒体教学设备"),
    ]),
    "teachers": (["教师", "teachers"], [
        ("id", "text", "教师编号"),
        ("school", "text", "学校标识码"),
        ("name", "text", "姓名"),
        ("stage", "enum", "任教学段"),
        ("full_time", "bool", "专任教师"),
        ("degree", "enum", "最高学历"),
        ("certified", "bool", "教师资格证"),
        ("backbone", "bool", "县级以上骨干教师"),
        ("subject", "enum", "任教学科"),
        ("dual_qualified", "bool", "双师型"),
        ("senior_title", "bool", "高级职称"),
        ("leader", "bool", "校级干部"),
        ("head", "bool", "园长", "校长"),
        ("head_certificate", "bool", "园长任职资格证"),
        ("annual_pay", "dec", "年工资收入"),
        ("training_hours", "dec", "五年累计培训学时"),
    ]),
    "district": (["区县", "district"], [
        ("year", "year", "年份"),
        ("population_3_5", "int", "3-5岁常住人口"),
        ("population_15_17", "int", "15-17岁常住人口"),
        ("civil_servant_pay", "dec", "公务员年平均工资收入"),
        ("consolidation_rate", "pct", "九年义务教育巩固率"),
        ("junior_retention_rate", "pct", "初中三年巩固率"),
        ("disabled_enrolment_rate", "pct", "残疾儿童少年入学率"),
        ("satisfaction", "pct", "社会认可度"),
        ("quality_coverage", "pct", "优质教育覆盖率"),
        ("putonghua_rate", "pct", "普通话普及率"),
        ("vocational_progression_rate", "pct", "中职毕业生升高职和应用本科比例"),
        ("education_spending", "dec", "一般公共预算教育支出"),
        ("per_student_spending", "dec", "生均一般公共预算教育支出"),
        ("recurring_revenue", "dec", "财政经常性收入"),
        ("education_appropriation", "dec", "教育财政拨款"),
        ("higher_ed_students", "int", "高等教育在校生规模"),
        ("graduate_students", "int", "研究生在校生数"),
        ("undergraduates", "int", "普通本科在校生数"),
        ("higher_ed_gross_rate", "pct", "高等教育毛入学率"),
        ("years_of_schooling", "dec", "人均受教育年限"),
        ("labour_years_of_schooling", "dec", "劳动年龄人口平均受教育年限"),
    ]),
}

# How a column is read from the CSV (native parsing for numbers; text for the
# rest, converted below).
READ_TYPE = {"text": "VARCHAR", "enum": "VARCHAR", "int": "BIGINT", "dec": "DOUBLE",
             "bool": "VARCHAR", "year": "INTEGER", "pct": "VARCHAR"}
SQL_TYPE = {"text": "VARCHAR", "enum": "VARCHAR", "int": "BIGINT", "dec": "DOUBLE",
            "bool": "BOOLEAN", "year": "INTEGER", "pct": "DOUBLE"}
TRUE_WORDS = ["是", "Y", "y", "1", "TRUE", "true", "True", "YES", "yes", "Yes", "T", "t"]
FALSE_WORDS = ["否", "N", "n", "0", "FALSE", "false", "False", "NO", "no", "No", "F", "f"]


def q(s):
    return "'" + s.replace("'", "''") + "'"


def ident(s):
    return '"' + s.replace('"', '""') + '"'


def sql_list(words):
    return ", ".join(q(w) for w in words)


def find_file(folder, names):
    for n in names:
        p = os.path.join(folder, n + ".csv")
        if os.path.exists(p):
            return p
    return None


def utf8_path(path, tmpdir):
    """The file itself when it is UTF-8; else a UTF-8 copy (GB18030 input)."""
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    try:
        head.decode("utf-8")
        return path
    except UnicodeDecodeError as e:
        if e.start > len(head) - 4:  # a character cut at the end of the sample
            return path
    out = os.path.join(tmpdir, os.path.basename(path))
    with open(path, "rb") as f, open(out, "w", encoding="utf-8") as g:
        g.write(f.read().decode("gb18030"))
    return out


def header_of(path):
    with open(path, "r", encoding="utf-8-sig") as f:
        line = f.readline().rstrip("\r\n")
    return [h.strip().strip('"') for h in line.split(",")]


# Columns no rule reads (names are only shown in dudao's messages): not
# loaded, unless DUCKDB_ALL_COLUMNS=1.
UNUSED = {"schools": {"name", "area_kind", "district_run"}, "classes": {"name"},
          "teachers": {"id", "name"}, "district": set()}


def load(con, folder, tmpdir):
    """CREATE TABLE schools/classes/teachers/district from the CSV files."""
    rows = {}
    all_columns = os.environ.get("DUCKDB_ALL_COLUMNS") == "1"
    for table, (names, cols) in SCHEMA.items():
        if not all_columns:
            cols = [c for c in cols if c[0] not in UNUSED[table]]
        path = find_file(folder, names)
        if path is None:
            raise SystemExit(f"{folder}: no {names[0]}.csv")
        path = utf8_path(path, tmpdir)
        header = header_of(path)
        by_header = {}
        for c in cols:
            for h in c[2:] + (c[0],):
                by_header[h] = c
        read_cols = {}
        present = {}
        for h in header:
            c = by_header.get(h)
            read_cols[h] = READ_TYPE[c[1]] if c else "VARCHAR"
            if c and c[0] not in present:
                present[c[0]] = h
        select = []
        for c in cols:
            name, ty = c[0], c[1]
            h = present.get(name)
            if h is None:
                select.append(f"NULL::{SQL_TYPE[ty]} AS {name}")
            elif ty == "bool":
                x = ident(h)
                select.append(f"CASE WHEN {x} IN ({sql_list(TRUE_WORDS)}) THEN TRUE "
                              f"WHEN {x} IN ({sql_list(FALSE_WORDS)}) THEN FALSE END AS {name}")
            elif ty == "pct":
                x = ident(h)
                select.append(f"TRY_CAST(replace({x}, '%', '') AS DOUBLE) / 100 AS {name}")
            else:
                select.append(f"{ident(h)} AS {name}")
        columns = "{" + ", ".join(f"{q(h)}: {q(t)}" for h, t in read_cols.items()) + "}"
        con.execute(
            f"CREATE TABLE {table} AS SELECT {', '.join(select)} FROM read_csv({q(path)}, "
            f"header = true, delim = ',', quote = '\"', columns = {columns})"
        )
        rows[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return rows


# --- helpers: dudao's comparisons, aggregates and logic in SQL -------------------

MACROS = """
CREATE MACRO feq(a, b) AS abs(a::DOUBLE - b::DOUBLE) <= 1e-9 * greatest(abs(a::DOUBLE), abs(b::DOUBLE), 1.0);
CREATE MACRO fge(a, b) AS (feq(a, b) OR a::DOUBLE > b::DOUBLE);
CREATE MACRO fle(a, b) AS (feq(a, b) OR a::DOUBLE < b::DOUBLE);
CREATE MACRO fgt(a, b) AS (NOT feq(a, b) AND a::DOUBLE > b::DOUBLE);
CREATE MACRO flt(a, b) AS (NOT feq(a, b) AND a::DOUBLE < b::DOUBLE);
CREATE MACRO fdiv(a, b) AS a::DOUBLE / NULLIF(b::DOUBLE, 0);
CREATE MACRO fceil(x) AS ceil(x::DOUBLE - 1e-9 * greatest(abs(x::DOUBLE), 1.0));
"""


def cnt(name, f):
    """A count whose filter may be unknown (an optional column): the count,
    and how many rows the filter could not decide."""
    return (f"count(*) FILTER (WHERE {f}) AS {name}, "
            f"count(*) FILTER (WHERE ({f}) IS NULL) AS {name}_unk")


def known(name, table="a"):
    """A count that is unknown when its filter was unknown for some row; 0 for
    a school without related rows."""
    return f"CASE WHEN coalesce({table}.{name}_unk, 0) > 0 THEN NULL ELSE coalesce({table}.{name}, 0) END"


def at_least(k, conds):
    """at_least(k, [...]) with dudao's three-valued rule."""
    yes = " + ".join(f"CASE WHEN ({c}) IS TRUE THEN 1 ELSE 0 END" for c in conds)
    unk = " + ".join(f"CASE WHEN ({c}) IS NULL THEN 1 ELSE 0 END" for c in conds)
    return (f"(CASE WHEN ({yes}) >= {k} THEN TRUE "
            f"WHEN ({yes}) + ({unk}) < {k} THEN FALSE END)")


def share_rows(table, where, pred):
    """share(TABLE where W, P): rows; unknown when W or P is unknown for a row
    or when no row passes W."""
    return (f"(SELECT CASE WHEN count(*) FILTER (WHERE ({where}) IS NULL) > 0 "
            f"OR count(*) FILTER (WHERE ({where}) AND ({pred}) IS NULL) > 0 THEN NULL "
            f"ELSE fdiv(count(*) FILTER (WHERE ({where}) AND ({pred})), count(*) FILTER (WHERE {where})) END "
            f"FROM {table})")


def share_sum(table, col, where, pred):
    """share(TABLE.COL where W, P): the share of the total of COL."""
    return (f"(SELECT CASE WHEN count(*) FILTER (WHERE ({where}) IS NULL) > 0 "
            f"OR count(*) FILTER (WHERE ({where}) AND ({pred}) IS NULL) > 0 THEN NULL "
            f"ELSE fdiv(coalesce(sum({col}) FILTER (WHERE ({where}) AND ({pred})), 0), "
            f"coalesce(sum({col}) FILTER (WHERE {where}), 0)) END FROM {table})")


def trajectory(y0, v0, y1, v1, year):
    if year <= y0:
        return v0
    if year <= y1:
        return v0 + (v1 - v0) * float(year - y0) / float(y1 - y0)
    return v1


# --- derived tables: what dudao's per-row metrics compute ------------------------

PRIMARY = "(s.stage = '小学' OR t.stage = '小学')"
JUNIOR = "(s.stage = '初中' OR t.stage = '初中')"

DERIVED = f"""
CREATE TABLE cagg AS
SELECT school AS sid,
  sum(students) FILTER (WHERE stage = '小学') AS ps,
  sum(students) FILTER (WHERE stage = '初中') AS js,
  sum(students) FILTER (WHERE stage IN ('小学', '初中')) AS cs,
  count(*) FILTER (WHERE stage IN ('小学', '初中')) AS ccnt,
  count(*) AS call,
  {cnt('ni', 'NOT interactive')}
FROM classes GROUP BY school;

CREATE TABLE tagg AS
SELECT t.school AS sid,
  count(*) FILTER (WHERE t.full_time) AS ft,
  count(*) FILTER (WHERE t.full_time AND t.certified) AS ft_cert,
  count(*) FILTER (WHERE t.full_time AND fge(t.training_hours, 360)) AS ft_trained,
  count(*) FILTER (WHERE t.full_time AND t.subject = '专业课') AS ft_prof,
  count(*) FILTER (WHERE t.full_time AND t.senior_title) AS ft_senior,
  count(*) FILTER (WHERE t.subject = '专业课') AS prof,
  count(*) FILTER (WHERE t.subject = '专业课' AND t.dual_qualified) AS prof_dual,
  count(*) FILTER (WHERE t.subject = '专业课' AND t.dual_qualified IS NULL) AS prof_dual_unk,
  count(*) FILTER (WHERE t.subject = '科学') AS n_science,
  count(*) FILTER (WHERE t.subject = '外语') AS n_language,
  count(*) FILTER (WHERE t.subject = '音乐') AS n_music,
  count(*) FILTER (WHERE t.subject = '体育') AS n_pe,
  count(*) FILTER (WHERE t.subject = '美术') AS n_art,
  count(*) FILTER (WHERE t.subject = '综合实践') AS n_practice,
  {cnt('pad', f"t.full_time AND {PRIMARY} AND t.degree IN ('专科', '本科', '研究生')")},
  {cnt('jad', f"t.full_time AND {JUNIOR} AND t.degree IN ('本科', '研究生')")},
  {cnt('pbb', f"t.full_time AND {PRIMARY} AND t.backbone")},
  {cnt('jbb', f"t.full_time AND {JUNIOR} AND t.backbone")},
  {cnt('ppe', f"t.full_time AND {PRIMARY} AND t.subject IN ('体育', '音乐', '美术')")},
  {cnt('jpe', f"t.full_time AND {JUNIOR} AND t.subject IN ('体育', '音乐', '美术')")},
  {cnt('head_bad', "t.head AND NOT (t.certified AND t.head_certificate)")}
FROM teachers t JOIN schools s ON s.id = t.school
GROUP BY t.school;

CREATE TABLE sm AS
SELECT s.*,
  coalesce(c.ps, 0) AS ps, coalesce(c.js, 0) AS js, coalesce(c.cs, 0) AS cs,
  coalesce(c.ccnt, 0) AS ccnt, coalesce(c.call, 0) AS call, {known('ni', 'c')} AS ni,
  coalesce(a.ft, 0) AS ft, coalesce(a.ft_cert, 0) AS ft_cert, coalesce(a.ft_trained, 0) AS ft_trained,
  coalesce(a.ft_prof, 0) AS ft_prof, coalesce(a.ft_senior, 0) AS ft_senior,
  coalesce(a.prof, 0) AS prof, coalesce(a.prof_dual, 0) AS prof_dual,
  coalesce(a.prof_dual_unk, 0) AS prof_dual_unk,
  coalesce(a.n_science, 0) AS n_science, coalesce(a.n_language, 0) AS n_language,
  coalesce(a.n_music, 0) AS n_music, coalesce(a.n_pe, 0) AS n_pe, coalesce(a.n_art, 0) AS n_art,
  coalesce(a.n_practice, 0) AS n_practice,
  {known('pad')} AS pad, {known('jad')} AS jad, {known('pbb')} AS pbb, {known('jbb')} AS jbb,
  {known('ppe')} AS ppe, {known('jpe')} AS jpe, {known('head_bad')} AS head_bad
FROM schools s LEFT JOIN cagg c ON c.sid = s.id LEFT JOIN tagg a ON a.sid = s.id;

CREATE TABLE sb AS
SELECT *,
  fdiv(pad, ps) * 100 AS b1p, fdiv(jad, js) * 100 AS b1j,
  fdiv(pbb, ps) * 100 AS b2p, fdiv(jbb, js) * 100 AS b2j,
  fdiv(ppe, ps) * 100 AS b3p, fdiv(jpe, js) * 100 AS b3j,
  fdiv(area_teaching, students) AS b4, fdiv(area_sports, students) AS b5,
  fdiv(equipment_value, students) AS b6, fdiv(multimedia_rooms, students) * 100 AS b7
FROM sm;
"""

P_STAGES = "('小学', '九年一贯制', '十二年一贯制')"
J_STAGES = "('初中', '九年一贯制', '十二年一贯制', '完全中学')"
COMPULSORY = "('小学', '初中', '九年一贯制', '十二年一贯制')"
B_MIN = {  # b1…b7: (小学, 初中)
    1: (4.2, 5.3), 2: (1, 1), 3: (0.9, 0.9), 4: (4.5, 5.8), 5: (7.5, 10.2), 6: (2000, 2500), 7: (2.3, 2.4),
}
CV_MAX = {"小学": 0.50, "初中": 0.45}


def b_col(i, stage):
    if i <= 3:
        return f"b{i}{'p' if stage == '小学' else 'j'}"
    return f"b{i}"


def rules(ry):
    """Every rule of the pack as (id, scope, (from, to), SQL). Row and group
    rules select (key, w, a): the entity, its `when` and its `assert`;
    submission rules select one (w, a) for the report year; year rules select
    (key, w, a) per year of the 区县 table."""
    out = []

    def row(rid, sql, years=(None, None)):
        out.append((rid, "row", years, sql))

    def sub(rid, a, years=(None, None), w="TRUE"):
        out.append((rid, "submission", years, f"SELECT {w} AS w, {a} AS a"))

    d = f"(SELECT * FROM district WHERE year = {ry})"

    def dist(col):
        return f"(SELECT {col} FROM district WHERE year = {ry})"

    kg_children = "(SELECT coalesce(sum(students) FILTER (WHERE stage = '幼儿园'), 0) FROM schools)"
    public_kg_share = share_sum("schools", "students", "stage = '幼儿园'", "ownership = '公办'")
    public_kg_count_share = share_rows("schools", "stage = '幼儿园'", "ownership = '公办'")
    inclusive_kg_share = share_sum("schools", "students", "stage = '幼儿园'", "ownership = '公办' OR inclusive")

    def class_sum(stages):
        return f"(SELECT coalesce(sum(students) FILTER (WHERE stage IN {stages}), 0) FROM classes)"

    compulsory_students = class_sum("('小学', '初中')")
    high_school_students = class_sum("('高中', '中职')")
    kg_gross_rate = f"fdiv({kg_children}, {dist('population_3_5')})"
    high_school_gross_rate = f"fdiv({high_school_students}, {dist('population_15_17')})"

    # A1: 表2-1 (years 2021..2025)
    a1 = (2021, 2025)
    tol = 0.05

    def scale(rid, value, v0, v1):
        t = trajectory(2020, v0, 2025, v1, ry)
        sub(rid, f"fle(abs(fdiv({value}, {t!r}) - 1), {tol})", a1)

    def floor(rid, value, v0, v1, op="fge"):
        t = trajectory(2020, v0, 2025, v1, ry)
        sub(rid, f"{op}({value}, {t!r})", a1)

    scale("A1.01", kg_children, 40600, 61000)
    floor("A1.02", kg_gross_rate, 0.901, 0.935)
    floor("A1.03", public_kg_share, 0.5148, 0.55)
    floor("A1.04", inclusive_kg_share, 0.9386, 0.94)
    scale("A1.05", compulsory_students, 136600, 182000)
    scale("A1.06", class_sum("('小学')"), 87600, 121000)
    scale("A1.07", class_sum("('初中')"), 49000, 61000)
    floor("A1.08", dist("consolidation_rate"), 1.0, 1.0)
    scale("A1.09", high_school_students, 56000, 63000)
    scale("A1.10", class_sum("('高中')"), 35700, 33000)
    scale("A1.11", class_sum("('中职')"), 20300, 30000)
    floor("A1.12", high_school_gross_rate, 0.971, 0.985, op="fgt")
    scale("A1.13", dist("higher_ed_students"), 85700, 113000)
    scale("A1.14", dist("graduate_students"), 839, 1200)
    scale("A1.15", dist("undergraduates"), 19900, 28600)
    floor("A1.16", dist("higher_ed_gross_rate"), 0.533, 0.60)
    floor("A1.17", dist("years_of_schooling"), 9.8, 10.4)
    floor("A1.18", dist("labour_years_of_schooling"), 11.2, 12)

    # A2, A3
    sub("A2.1", f"fge({public_kg_count_share}, 0.55)", (2025, None))
    sub("A2.2", f"fge({public_kg_share}, 0.55)", (2025, None))
    sub("A3", f"fge({inclusive_kg_share}, 0.90)")
    out.append(("A2.3", "group", (None, None),
                "SELECT township AS key, TRUE AS w, "
                "count(*) FILTER (WHERE stage = '幼儿园' AND ownership = '公办') >= 1 AS a "
                "FROM schools GROUP BY township"))

    # A4, A5
    sub("A4", f"fge({share_rows('schools', f'stage IN {COMPULSORY}', 'group_run')}, 0.60)", (2025, None))
    sub("A5.1", f"fge({dist('consolidation_rate')}, 1.0)")
    sub("A5.2", f"fge({dist('quality_coverage')}, 0.60)", (2025, None))

    # A6, A7: vocational
    dual_share = ("(SELECT CASE WHEN count(*) FILTER (WHERE t.dual_qualified IS NULL) > 0 THEN NULL "
                  "ELSE fdiv(count(*) FILTER (WHERE t.dual_qualified), count(*)) END "
                  "FROM teachers t JOIN schools s ON s.id = t.school "
                  "WHERE t.subject = '专业课' AND s.stage = '中职')")
    sub("A6.1", f"fge({dual_share}, 0.60)", (2025, None))
    row("A6.2", "SELECT id AS key, stage = '中职' AS w, "
        "fge(CASE WHEN prof_dual_unk > 0 THEN NULL ELSE fdiv(prof_dual, prof) END, 0.60) AS a FROM sm",
        (2025, None))
    sub("A7.1", "(SELECT coalesce(sum(students) FILTER (WHERE stage = '中职'), 0) FROM schools) >= 30000",
        (2025, None))
    sub("A7.2", f"fge({dist('vocational_progression_rate')}, 0.50)")
    pub_voc = "(SELECT count(*) FILTER (WHERE stage = '中职' AND ownership = '公办') FROM schools)"
    priv_voc = "(SELECT count(*) FILTER (WHERE stage = '中职' AND ownership = '民办') FROM schools)"
    sub("A7.3", f"{pub_voc} = 4", (2025, None))
    sub("A7.4", f"({priv_voc} >= 2 AND {priv_voc} <= 3)", (2025, None))

    # A8, A9
    a8_share = share_rows("teachers", "leader", "degree IN ('本科', '研究生')")
    sub("A8", f"fge({a8_share}, 0.90)", (2025, None))
    pay = ("(SELECT avg(t.annual_pay) FROM teachers t JOIN schools s ON s.id = t.school "
           "WHERE t.full_time AND s.stage IN ('小学', '初中', '九年一贯制'))")
    sub("A9", f"fge({pay}, {dist('civil_servant_pay')})")

    # A10, A11, A12
    row("A10", f"SELECT id AS key, stage IN {COMPULSORY} AS w, "
        "(n_science >= 1 AND n_language >= 1 AND n_music >= 1 AND n_pe >= 1 AND n_art >= 1 AND n_practice >= 1) AS a "
        "FROM sm")
    a11_stages = "('小学', '初中', '九年一贯制', '十二年一贯制', '完全中学', '普通高中')"
    row("A11.1", f"SELECT id AS key, stage IN {a11_stages} AS w, ni = 0 AS a FROM sm")
    row("A11.2", f"SELECT id AS key, stage IN {a11_stages} AS w, wifi AS a FROM schools")
    row("A12", "SELECT id AS key, stage IN ('小学', '初中') AS w, students < 56 AS a FROM classes")

    # A13: year over year, for each year of the 区县 table
    def yoy(rid, w, a):
        out.append((rid, "year", (None, None),
                    f"SELECT d.year::VARCHAR AS key, {w} AS w, {a} AS a "
                    f"FROM district d LEFT JOIN district p ON p.year = d.year - 1"))

    yoy("A13.1", "(p.year IS NOT NULL AND p.education_spending IS NOT NULL)",
        "fge(d.education_spending, p.education_spending)")
    yoy("A13.2", "(p.year IS NOT NULL AND p.per_student_spending IS NOT NULL)",
        "fge(d.per_student_spending, p.per_student_spending)")
    yoy("A13.3", "(p.year IS NOT NULL AND p.education_appropriation IS NOT NULL "
        "AND p.recurring_revenue IS NOT NULL)",
        "fgt(fdiv(d.education_appropriation, p.education_appropriation) - 1, "
        "fdiv(d.recurring_revenue, p.recurring_revenue) - 1)")

    # A14, A15
    sub("A14.1", f"fge({dist('putonghua_rate')}, 0.85)", (2025, None))
    sub("A14.2", f"fge({share_rows('schools', 'TRUE', 'language_model')}, 0.60)", (2025, None))
    sub("A15", "(SELECT CASE WHEN count(*) FILTER (WHERE (stage IN ('普通高中', '完全中学', '十二年一贯制') "
        "AND after_school) IS NULL) > 0 THEN NULL ELSE count(*) FILTER (WHERE stage IN "
        "('普通高中', '完全中学', '十二年一贯制') AND after_school) END FROM schools) >= 15", (2025, None))

    # B1–B7, B8 (each stage)
    for stage, stages in (("小学", P_STAGES), ("初中", J_STAGES)):
        k = 0 if stage == "小学" else 1
        w = f"stage IN {stages} AND students >= 50"
        for i in range(1, 8):
            row(f"B{i}.{stage}", f"SELECT id AS key, {w} AS w, fge({b_col(i, stage)}, {B_MIN[i][k]}) AS a FROM sb")
        meets = [f"fge({b_col(i, stage)}, {B_MIN[i][k]})" for i in range(1, 8)]
        floors = [f"fge({b_col(i, stage)}, {0.85 * B_MIN[i][k]!r})" for i in range(1, 8)]
        row(f"B8.{stage}", f"SELECT id AS key, {w} AS w, ({at_least(6, meets)} AND {at_least(7, floors)}) AS a FROM sb")

    # B9: weighted coefficient of variation, population SD (教督〔2017〕6号)
    for stage, stages, weight in (("小学", P_STAGES, "ps"), ("初中", J_STAGES, "js")):
        for i in range(1, 8):
            x = b_col(i, stage)
            out.append((f"B9.b{i}.{stage}", "cv", (None, None), (x, weight, stages, CV_MAX[stage])))
        out.append((f"B9.综合.{stage}", "cv_composite", (None, None),
                    ([b_col(i, stage) for i in range(1, 8)], weight, stages, CV_MAX[stage])))

    # B10–B16
    row("B10", f"SELECT id AS key, stage IN {COMPULSORY} AS w, cs <= CASE stage WHEN '小学' THEN 2000 "
        "WHEN '初中' THEN 2000 WHEN '九年一贯制' THEN 2500 WHEN '十二年一贯制' THEN 2500 END AS a FROM sm")
    row("B11", "SELECT id AS key, stage IN ('小学', '初中') AS w, "
        "students <= CASE stage WHEN '小学' THEN 45 WHEN '初中' THEN 50 END AS a FROM classes")
    row("B12.音乐", f"SELECT id AS key, stage IN {COMPULSORY} AS w, fge(music_rooms, fceil(ccnt / 12)) AS a FROM sm")
    row("B12.美术", f"SELECT id AS key, stage IN {COMPULSORY} AS w, fge(art_rooms, fceil(ccnt / 12)) AS a FROM sm")
    sub("B13", f"fge({pay}, {dist('civil_servant_pay')})")
    row("B14", f"SELECT id AS key, stage IN {COMPULSORY} AS w, fge(fdiv(ft_cert, ft), 1.0) AS a FROM sm")
    row("B15", f"SELECT id AS key, stage IN {COMPULSORY} AS w, fge(fdiv(ft_trained, ft), 1.0) AS a FROM sm")
    row("B16", "SELECT id AS key, stage IN ('小学', '初中', '九年一贯制', '十二年一贯制', '特殊教育') AS w, "
        "fge(public_funds_per_student, CASE WHEN stage IN ('九年一贯制', '十二年一贯制') "
        "THEN fdiv(600 * ps + 800 * js, cs) ELSE CASE stage WHEN '小学' THEN 600 WHEN '初中' THEN 800 "
        "WHEN '特殊教育' THEN 6000 END END) AS a FROM sm")

    # B17, B18
    sub("B17.1", f"fge({dist('junior_retention_rate')}, 0.95)")
    sub("B17.2", f"fge({dist('disabled_enrolment_rate')}, 0.95)")
    sub("B18", f"fge({dist('satisfaction')}, 0.85)")

    # C: 学前教育
    kg_max = "CASE kg_type WHEN '小班' THEN 25 WHEN '中班' THEN 30 WHEN '大班' THEN 35 WHEN '混龄' THEN 30 END"
    sub("C1", f"fge({kg_gross_rate}, 0.85)")
    sub("C2", f"fge({inclusive_kg_share}, 0.80)")
    sub("C3", f"fge({public_kg_share}, 0.50)")
    row("C4.1", f"SELECT id AS key, stage = '幼儿园' AS w, students <= {kg_max} AS a FROM classes")
    c42_share = share_rows("classes", "stage = '幼儿园'", f"students <= {kg_max}")
    sub("C4.2", f"fge({c42_share}, 0.85)")
    row("C5", "SELECT id AS key, stage = '幼儿园' AS w, (ft > 0 AND fle(fdiv(students, ft), 15)) AS a FROM sm")
    row("C6", "SELECT id AS key, stage = '幼儿园' AS w, students <= 360 AS a FROM schools")
    row("C7.1", "SELECT id AS key, stage = '幼儿园' AS w, fge(fdiv(ft_cert, ft), 1.0) AS a FROM sm")
    row("C7.2", "SELECT id AS key, stage = '幼儿园' AS w, head_bad = 0 AS a FROM sm")

    # D: 中职
    def d_rule(rid, a):
        row(rid, f"SELECT id AS key, stage = '中职' AS w, {a} AS a FROM sm")

    d_rule("D1", "students >= 1200")
    d_rule("D2.1", "ft >= 60")
    d_rule("D2.2", "(ft > 0 AND fle(fdiv(students, ft), 20))")
    d_rule("D3.1", "fge(fdiv(ft_prof, ft), 0.50)")
    d_rule("D3.2", "fge(CASE WHEN prof_dual_unk > 0 THEN NULL ELSE fdiv(prof_dual, prof) END, 0.30)")
    d_rule("D4", "fge(fdiv(ft_senior, ft), 0.20)")
    d_rule("D5.1", "fge(area_land, 40000)")
    d_rule("D5.2", "fge(fdiv(area_land, students), 33)")
    d_rule("D5.3", "fge(area_buildings, 24000)")
    d_rule("D5.4", "fge(fdiv(area_buildings, students), 20)")
    d_rule("D6.1", "fge(fdiv(equipment_value, students), 2500)")
    d_rule("D6.2", "fge(fdiv(books, students), 30)")

    # E: 普通高中 classes
    row("E1.1", "SELECT id AS key, stage = '高中' AS w, students <= 50 AS a FROM classes")
    row("E1.2", "SELECT id AS key, stage = '高中' AS w, students < 56 AS a FROM classes")
    return out


def cv_sql(x, weight, stages):
    """cv(schools.X where stage in STAGES and students >= 50, weight = W):
    unknown when a value or weight is unknown, there are no rows, the total
    weight or the mean is 0."""
    return f"""(WITH r AS (SELECT {x}::DOUBLE AS x, {weight}::DOUBLE AS w FROM sb
                  WHERE stage IN {stages} AND students >= 50),
            m AS (SELECT count(*) AS n, count(*) FILTER (WHERE x IS NULL OR w IS NULL) AS unk,
                         sum(w) AS p, sum(w * x) / NULLIF(sum(w), 0) AS mean FROM r)
       SELECT CASE WHEN m.n = 0 OR m.unk > 0 OR m.p = 0 OR m.mean = 0 THEN NULL
                   ELSE sqrt((SELECT sum((r.w / m.p) * (r.x - m.mean) * (r.x - m.mean)) FROM r)) / m.mean END
       FROM m)"""


def in_force(years, year):
    lo, hi = years
    return year is not None and (lo is None or year >= lo) and (hi is None or year <= hi)


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    folder, out_path = sys.argv[1], sys.argv[2]
    con = duckdb.connect(":memory:")
    threads = os.environ.get("DUCKDB_THREADS")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute("SET preserve_insertion_order = false")
    for stmt in MACROS.strip().split(";\n"):
        if stmt.strip():
            con.execute(stmt)
    timings = {"import_s": round(time.perf_counter() - T0, 3)}
    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmpdir:
        rows = load(con, folder, tmpdir)
    timings["load_s"] = round(time.perf_counter() - t, 3)
    years = [r[0] for r in con.execute("SELECT DISTINCT year FROM district WHERE year IS NOT NULL ORDER BY 1").fetchall()]
    ry = years[-1] if years else None

    t = time.perf_counter()
    for stmt in DERIVED.strip().split(";\n"):
        if stmt.strip():
            con.execute(stmt)
    timings["derived_s"] = round(time.perf_counter() - t, 3)

    t = time.perf_counter()
    results = []
    for rid, scope, yrs, sql in rules(ry):
        res = {"id": rid, "checked": 0, "passed": 0, "fail": [], "not_evaluable": [], "skipped": None}
        if scope in ("row", "group", "submission", "cv", "cv_composite") and not in_force(yrs, ry):
            res["skipped"] = "not in force in the report year"
            results.append(res)
            continue
        if scope == "cv":
            x, weight, stages, limit = sql
            sql = f"SELECT TRUE AS w, fle({cv_sql(x, weight, stages)}, {limit}) AS a"
        elif scope == "cv_composite":
            xs, weight, stages, limit = sql
            avg = " + ".join(cv_sql(x, weight, stages) for x in xs)
            sql = f"SELECT TRUE AS w, fle(({avg}) / 7, {limit}) AS a"
        if scope in ("submission", "cv", "cv_composite"):
            sql = f"SELECT {ry}::VARCHAR AS key, w, a FROM ({sql})"
        if scope == "year":
            lo, hi = yrs
            cond = " AND ".join(c for c in (f"key::INT >= {lo}" if lo else "", f"key::INT <= {hi}" if hi else "") if c)
            if cond:
                sql = f"SELECT * FROM ({sql}) WHERE {cond}"
        agg = (f"SELECT count(*) FILTER (WHERE w IS NOT FALSE), "
               f"count(*) FILTER (WHERE w AND a), "
               f"list(key ORDER BY key) FILTER (WHERE w AND a IS FALSE), "
               f"list(key ORDER BY key) FILTER (WHERE w IS NULL OR (w AND a IS NULL)) "
               f"FROM ({sql})")
        checked, passed, fails, nes = con.execute(agg).fetchone()
        res.update(checked=checked, passed=passed, fail=fails or [], not_evaluable=nes or [])
        results.append(res)
    timings["rules_s"] = round(time.perf_counter() - t, 3)

    report = {
        "engine": f"duckdb {duckdb.__version__}",
        "submission": os.path.abspath(folder),
        "report_year": ry,
        "years": years,
        "tables": rows,
        "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
        "summary": {
            "rules": len(results),
            "checks": sum(r["checked"] for r in results),
            "failed": sum(len(r["fail"]) for r in results),
            "not_evaluable": sum(len(r["not_evaluable"]) for r in results),
        },
        "rules": results,
    }
    timings["total_s"] = round(time.perf_counter() - T0, 3)
    report["timings"] = timings
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"duckdb: {len(results)} rules, {report['summary']['checks']} checks, "
          f"{report['summary']['failed']} failed, {report['summary']['not_evaluable']} not evaluable; "
          f"load {timings['load_s']} s, derived {timings['derived_s']} s, rules {timings['rules_s']} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
