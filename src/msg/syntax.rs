//! Messages of `syntax`: what the parser expected, what it found, and how to
//! fix a rule file that does not follow the grammar.

use crate::diag::{Lang, Msg};

/// A message built from other messages: `f` is called once per language
/// with that language, and gives the message whose text in that language is
/// kept (`each_lang(|l| unexpected(expected.get(l), found.get(l)))`).
pub fn each_lang(f: impl Fn(Lang) -> Msg) -> Msg {
    Msg::new(f(Lang::Zh).zh().to_string(), f(Lang::En).en().to_string())
}

crate::messages! {
    // ── what was expected (completes 应为…/expected …) ─────────────────
    /// A name (of a table, column, metric, …).
    what_name() { zh: "名称", en: "a name" }
    /// A rule or coverage id.
    what_rule_id() { zh: "规则编号", en: "a rule id" }
    /// A string literal.
    what_string() { zh: "双引号中的文字", en: "a string in double quotes" }
    /// A four-digit year.
    what_year() { zh: "年份（如 `2025`）", en: "a year such as `2025`" }
    /// The keyword starting a declaration.
    what_item() {
        zh: "`document`、`table`、`param`、`metric`、`rule`、`coverage`、`import`、`override`、`disable` 或 `report`",
        en: "`document`, `table`, `param`, `metric`, `rule`, `coverage`, `import`, `override`, `disable` or `report`",
    }
    /// A column of a table declaration.
    what_column() { zh: "列的声明或 `}}`", en: "a column declaration or `}}`" }
    /// A column type.
    what_type() { zh: "列的类型", en: "a type" }
    /// A unit.
    what_unit() { zh: "单位", en: "a unit" }
    /// A unit with two `/`.
    what_unit_one_slash() { zh: "至多含一个 `/` 的单位", en: "a unit with at most one `/`" }
    /// A rule's title.
    what_rule_title() { zh: "双引号中的规则标题", en: "the rule's title in double quotes" }
    /// The `}` closing a rule.
    what_rule_close() { zh: "结束规则的 `}}`", en: "`}}` closing the rule" }
    /// A clause of a rule.
    what_clause() { zh: "规则的子句或 `}}`", en: "a rule clause or `}}`" }
    /// A severity keyword.
    what_severity() { zh: "`binding`、`expected` 或 `info`", en: "`binding`, `expected` or `info`" }
    /// The years of a rule.
    what_year_range() { zh: "年份范围", en: "a year range" }
    /// What follows `for`.
    what_scope() { zh: "`each` 或 `submission`", en: "`each` or `submission`" }
    /// A clause of a coverage entry.
    what_coverage_clause() {
        zh: "`cite`、`checked by`、`not checkable` 或 `}}`",
        en: "`cite`, `checked by`, `not checkable` or `}}`",
    }
    /// A clause of `report { … }`.
    what_report_clause() {
        zh: "`unit`、`area`、`matrix` 或 `}}`",
        en: "`unit`, `area`, `matrix` or `}}`",
    }
    /// A clause of `matrix "…" { … }`.
    what_matrix_clause() {
        zh: "`rows`、`columns` 或 `}}`",
        en: "`rows`, `columns` or `}}`",
    }
    /// An expression.
    what_expression() { zh: "表达式", en: "an expression" }
    /// A comma or a closing parenthesis.
    what_comma_or_paren() { zh: "`,` 或 `)`", en: "`,` or `)`" }
    /// A comparison operator.
    what_comparison() { zh: "比较运算符", en: "a comparison operator" }
    /// A number.
    what_number() { zh: "数字", en: "a number" }
    /// What may follow a number.
    what_operator_or_end() { zh: "运算符或表达式的结尾", en: "an operator or the end of the expression" }
    /// The end of an expression in a message template.
    what_end_of_expression() { zh: "表达式的结尾", en: "the end of the expression" }
    /// A closing quote.
    what_closing_quote(quote: char) { zh: "结束的 `{quote}`", en: "a closing `{quote}`" }
    /// A keyword or symbol, shown as written.
    what_token(token: &str) { zh: "`{token}`", en: "`{token}`" }
    /// A grammar element the parser library names (a defect if ever shown).
    what_grammar(kind: &str) { zh: "符合语法的内容（{kind}）", en: "valid syntax ({kind})" }

    // ── what was found ──────────────────────────────────────────────────
    /// The end of the file.
    found_end_of_file() { zh: "文件结尾", en: "the end of the file" }
    /// The end of a line.
    found_end_of_line() { zh: "行尾", en: "the end of the line" }
    /// A piece of the rule file, as written.
    found_text(text: &str) { zh: "`{text}`", en: "`{text}`" }

    // ── messages ────────────────────────────────────────────────────────
    /// Something else than what the grammar allows here.
    unexpected(expected: &str, found: &str) {
        zh: "此处应为{expected}，却是{found}",
        en: "expected {expected}, found {found}",
    }
    /// The label of an unexpected token.
    unexpected_label(expected: &str) { zh: "应为{expected}", en: "expected {expected}" }
    /// A character the rule language does not use.
    bad_character(found: &str) {
        zh: "规则语言不使用符号 `{found}`",
        en: "`{found}` is not a symbol of the rule language",
    }
    /// The label of a bad character.
    bad_character_label(expected: &str) {
        zh: "不能用在这里（应为{expected}）",
        en: "not allowed here (expected {expected})",
    }
    /// A full-width symbol where the rule language has an ASCII one.
    full_width_help(found: &str, ascii: &str) {
        zh: "`{found}` 是全角符号：请改为半角的 `{ascii}`（关闭中文输入法的全角标点）",
        en: "`{found}` is a full-width symbol: write the ASCII `{ascii}` instead",
    }
    /// A string without its closing quote.
    unclosed_string() { zh: "文字没有结束的引号", en: "this string is not closed" }
    /// The label of an unclosed string.
    unclosed_string_label(quote: char) { zh: "这里开始的文字缺少结束的 `{quote}`", en: "no closing `{quote}` for this" }
    /// How to close a string.
    unclosed_string_help(quote: char) {
        zh: "文字必须在开始的那一行结束：在末尾加上 `{quote}`",
        en: "strings end on the line they start; close the string with `{quote}`",
    }
    /// A keyword used as a name.
    keyword_as_name_help(word: &str) {
        zh: "`{word}` 是关键字，不能作名称：请换一个名称",
        en: "`{word}` is a keyword; choose another name",
    }
    /// The form of rule ids.
    rule_id_help() {
        zh: "规则编号由字母、数字、`.`、`-` 和 `_` 组成，如 `A2.1`",
        en: "rule ids are letters, digits, `.`, `-` and `_`, e.g. `A2.1`",
    }
    /// What a rule file holds.
    item_help() {
        zh: "规则文件由声明组成，每条声明以这些关键字之一开头",
        en: "a rule file is a list of declarations, each starting with one of these keywords",
    }
    /// How a column is declared.
    column_help() {
        zh: "列写作 `名称: 类型 单位 \"中文名\"`，如 `students: int 人 \"在校生数\"`",
        en: "columns are written `name: type unit \"中文名\"`, e.g. `students: int 人 \"在校生数\"`",
    }
    /// The column types.
    type_help() {
        zh: "类型有 `int`、`decimal`、`text`、`bool`、`year`、`enum(a, b, …)` 和 `ref 表名`",
        en: "types are `int`, `decimal`, `text`, `bool`, `year`, `enum(a, b, …)` and `ref TABLE`",
    }
    /// Where a rule's title goes.
    rule_title_help() {
        zh: "在规则编号之后写标题：`rule A2 \"公办园占比不低于55%\" {{ … }}`",
        en: "write the title after the id: `rule A2 \"公办园占比不低于55%\" {{ … }}`",
    }
    /// A rule not closed at the end of the file.
    rule_not_closed_help(id: &str) {
        zh: "规则 `{id}` 没有结束：每个 `rule … {{` 都要有对应的 `}}`",
        en: "rule `{id}` is not closed: every `rule … {{` needs a matching `}}`",
    }
    /// A rule not closed before the next declaration.
    rule_not_closed(id: &str, keyword: &str) {
        zh: "规则 `{id}` 在这个 `{keyword}` 之前没有结束",
        en: "rule `{id}` is not closed before this `{keyword}`",
    }
    /// The label of the next declaration.
    rule_not_closed_label(keyword: &str) {
        zh: "下一条 `{keyword}` 声明从这里开始",
        en: "the next `{keyword}` starts here",
    }
    /// How to close a rule.
    rule_not_closed_add(id: &str) {
        zh: "在规则 `{id}` 的末尾加上 `}}`",
        en: "add `}}` at the end of rule `{id}`",
    }
    /// The forms of a year range.
    years_help() {
        zh: "写 `years 2021..2025`、`years 2025..` 或 `years 2025`",
        en: "write `years 2021..2025`, `years 2025..` or `years 2025`",
    }
    /// The clauses of a rule.
    clause_help() {
        zh: "规则的子句有 `severity`、`cite`、`years`、`for`、`when`、`assert` 和 `message`",
        en: "a rule has the clauses `severity`, `cite`, `years`, `for`, `when`, `assert` and `message`",
    }
    /// The severities.
    severity_help() {
        zh: "binding 即约束性，expected 即预期性，info 即参考",
        en: "binding = 约束性, expected = 预期性, info = 参考",
    }
    /// The scopes of a rule.
    scope_help() {
        zh: "写 `for each 表名`、`for each 表名 by 列名`、`for each year` 或 `for submission`",
        en: "write `for each TABLE`, `for each TABLE by COLUMN`, `for each year` or `for submission`",
    }
    /// What a coverage entry says.
    coverage_help() {
        zh: "覆盖条目要写明由哪些规则检查该目标（`checked by`），或为什么无法检查（`not checkable`）",
        en: "a coverage entry says which rules check the target, or why it cannot be checked",
    }
    /// What a `report` item holds.
    report_help() {
        zh: "`report {{ … }}` 中写：`unit 表`（整改清单按哪个表的行列出，如 `unit schools`）、`area 列`（按哪一列排序，如 `area township`）、`matrix \"标题\" {{ rows …  columns … }}`",
        en: "`report {{ … }}` holds `unit TABLE` (the rows findings are listed under, e.g. `unit schools`), `area COLUMN` (the column lists are sorted by, e.g. `area township`) and `matrix \"TITLE\" {{ rows …  columns … }}`",
    }
    /// What a `matrix` holds.
    matrix_help() {
        zh: "`matrix` 中写 `rows 小学, 初中`（每行一个学段，即规则编号的后一段）和 `columns B1, B2`（每列一个指标，即规则编号的前一段）",
        en: "a `matrix` holds `rows 小学, 初中` (a row per variant: the last part of the rule ids) and `columns B1, B2` (a column per indicator: the first part of the rule ids)",
    }
    /// `=` where `==` is meant.
    single_equals() { zh: "比较是否相等要写 `==`，不是 `=`", en: "`=` is not a comparison" }
    /// The label of a single `=`.
    single_equals_label() { zh: "这里应为 `==`", en: "expected `==` here" }
    /// How to compare for equality.
    single_equals_help() { zh: "把 `=` 改为 `==`", en: "write `==` to compare for equality" }
    /// A unit written after a number inside an expression.
    unit_after_number_help() {
        zh: "单位写在列和参数的声明中（参数的数字和单位之间留一个空格：`param x = 45 人`），规则的表达式里数字后面不写单位",
        en: "units are declared on columns and parameters (with a space after the number: `param x = 45 人`), not written after numbers in expressions",
    }
    /// A number too large to compute with.
    number_too_large() { zh: "数字太大", en: "the number is too large" }
    /// How to write a smaller number.
    number_too_large_help() {
        zh: "这个数字太大，超出了能计算的范围",
        en: "this number is too large to compute with",
    }
    /// A message template expression that is not valid text.
    expression_not_text() { zh: "表达式不是有效的文字", en: "the expression is not valid text" }
    /// An incomplete expression.
    incomplete_expression() { zh: "表达式不完整", en: "incomplete expression" }
    /// The label of an incomplete or invalid expression.
    here() { zh: "这里", en: "here" }
    /// An expression nested deeper than the parser accepts.
    too_deep(max: usize) {
        zh: "表达式嵌套超过 {max} 层",
        en: "the expression is nested more than {max} levels deep",
    }
    /// The label of the level past the limit.
    too_deep_label(level: usize) { zh: "第 {level} 层", en: "level {level}" }
    /// How to make an expression shallower.
    too_deep_help() {
        zh: "括号、函数、`if`、`not` 和负号每套一层算一层；把表达式拆成几个指标（`metric`），每个指标写其中一部分",
        en: "each bracket, function call, `if`, `not` and minus sign inside another counts as a level; split the expression into metrics (`metric …`), each holding a part",
    }
    /// How a range is written.
    range_help() {
        zh: "取值范围写作 `range 0..`（至少为 0）、`range 0..100` 或 `range 0%..100%`",
        en: "a range is written `range 0..` (at least 0), `range 0..100` or `range 0%..100%`",
    }
}
