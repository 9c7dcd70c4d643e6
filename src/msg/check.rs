//! Messages of `check`: reading a rule pack, and every name, type, unit and
//! citation error of its rules. Rule authors read these: 规则文件, 规则,
//! 参数, 指标 (metric), 表, 列, 类别 (category), 单位.

crate::messages! {
    // ── reading the rule pack ───────────────────────────────────────────
    /// The rule pack folder cannot be read.
    rules_not_found(dir: &str, error: &str) {
        zh: "无法读取规则包文件夹 `{dir}`：{error}",
        en: "cannot read the rule pack folder `{dir}`: {error}",
    }
    /// The rule pack folder does not exist.
    rules_dir_missing(dir: &str) {
        zh: "规则包文件夹 `{dir}` 不存在",
        en: "the rule pack folder `{dir}` does not exist",
    }
    /// The rule pack path is a file, not a folder.
    rules_dir_not_folder(dir: &str) {
        zh: "规则包 `{dir}` 不是文件夹",
        en: "the rule pack `{dir}` is not a folder",
    }
    /// How to name the rule pack folder.
    rules_not_found_help() {
        zh: "用 `--rules 文件夹` 指定存放 `.dudao` 规则文件的文件夹",
        en: "pass the folder holding the `.dudao` rule files with `--rules DIR`",
    }
    /// The rule pack folder has no rule file.
    rules_empty(dir: &str) {
        zh: "`{dir}` 中没有 `.dudao` 规则文件",
        en: "no `.dudao` rule files in `{dir}`",
    }
    /// What a rule pack is.
    rules_empty_help() {
        zh: "规则包是一个存放 `.dudao` 文件的文件夹",
        en: "a rule pack is a folder of `.dudao` files",
    }
    /// A rule file cannot be read.
    rules_io(file: &str, error: &str) {
        zh: "无法读取规则文件 `{file}`：{error}",
        en: "cannot read the rule file `{file}`: {error}",
    }
    /// A rule file that is not a regular file.
    rules_not_a_file(file: &str) {
        zh: "规则文件 `{file}` 不是普通文件（是文件夹、设备或管道）",
        en: "the rule file `{file}` is not a regular file (it is a folder, a device or a pipe)",
    }
    /// A rule file that is a link out of the rule pack folder.
    rules_outside(file: &str) {
        zh: "规则文件 `{file}` 是指向规则包文件夹之外的链接，不予读取",
        en: "the rule file `{file}` is a link to a file outside the rule pack folder; it is not read",
    }
    /// What rule files may be.
    rules_file_help() {
        zh: "规则包只读取规则包文件夹中的普通文件",
        en: "a rule pack reads only regular files inside its folder",
    }
    /// A rule file larger than the limit.
    rules_too_large(file: &str, size: &str, max: &str) {
        zh: "规则文件 `{file}` 有 {size}，超过了规则文件的上限 {max}",
        en: "the rule file `{file}` has {size}, more than the {max} a rule file may have",
    }
    /// How to make rule files smaller.
    rules_too_large_help() {
        zh: "把规则分到几个 `.dudao` 文件中；长的原文放在原文文件（`seed`）里，不放在规则文件中",
        en: "split the rules over several `.dudao` files; long source texts belong in seed files, not rule files",
    }
    /// The label where a rule file goes past the limit.
    rules_too_large_label(max: &str) { zh: "第 {max} 字节之后", en: "after byte {max}" }
    /// A rule file that is not UTF-8.
    rules_not_utf8(file: &str) {
        zh: "规则文件 `{file}` 不是 UTF-8 编码的文字",
        en: "the rule file `{file}` is not UTF-8 text",
    }
    /// The label of the first byte that is not UTF-8.
    rules_not_utf8_label(bytes: &str) {
        zh: "字节 {bytes} 不是 UTF-8",
        en: "the bytes {bytes} are not UTF-8",
    }
    /// How to save a rule file as UTF-8.
    rules_not_utf8_help() {
        zh: "把规则文件另存为 UTF-8 编码",
        en: "save the rule file as UTF-8",
    }
    /// How to save a GB18030 rule file as UTF-8.
    rules_gbk_help() {
        zh: "这个文件像是 GBK/GB18030 编码：用编辑器把它另存为 UTF-8 编码",
        en: "the file looks like GBK/GB18030: save it as UTF-8 in an editor",
    }

    // ── seed texts ──────────────────────────────────────────────────────
    /// A seed file that cannot be found.
    seed_not_found(seed: &str) {
        zh: "找不到原文文件 `{seed}`",
        en: "cannot read the seed file `{seed}`",
    }
    /// Where seed paths start.
    seed_not_found_help() {
        zh: "原文文件的路径从项目文件夹（规则包文件夹的上一级）写起，如 `seeds/plan.txt`",
        en: "seed paths are relative to the project folder (the rule pack folder's parent), e.g. `seeds/plan.txt`",
    }
    /// A seed file that cannot be read.
    seed_io(seed: &str, error: &str) {
        zh: "无法读取原文文件 `{seed}`：{error}",
        en: "cannot read the seed file `{seed}`: {error}",
    }
    /// An absolute seed path.
    seed_absolute(seed: &str) {
        zh: "原文文件的路径 `{seed}` 是绝对路径，规则包只读取项目文件夹中的文件",
        en: "the seed path `{seed}` is absolute; a rule pack reads only files of its project folder",
    }
    /// A seed path going up with `..`.
    seed_up(seed: &str) {
        zh: "原文文件的路径 `{seed}` 含有 `..`，规则包只读取项目文件夹中的文件",
        en: "the seed path `{seed}` goes up with `..`; a rule pack reads only files of its project folder",
    }
    /// A seed path naming a hidden file or folder.
    seed_hidden(seed: &str) {
        zh: "原文文件的路径 `{seed}` 指向隐藏的文件或文件夹（以 `.` 开头，如 `.git`），不予读取",
        en: "the seed path `{seed}` names a hidden file or folder (starting with `.`, such as `.git`); it is not read",
    }
    /// A seed path that is a link out of the project folder.
    seed_outside(seed: &str) {
        zh: "原文文件 `{seed}` 是指向项目文件夹之外的链接，不予读取",
        en: "the seed file `{seed}` is a link to a file outside the project folder; it is not read",
    }
    /// How to write a seed path.
    seed_path_help() {
        zh: "把原文文件放进项目文件夹（如 `seeds/`），从项目文件夹写起相对路径，如 `seeds/plan.txt`",
        en: "put the seed file into the project folder (e.g. `seeds/`) and give its path from there, e.g. `seeds/plan.txt`",
    }
    /// A seed path that is not a regular file.
    seed_not_a_file(seed: &str) {
        zh: "原文文件 `{seed}` 不是普通文件（是文件夹、设备或管道）",
        en: "the seed file `{seed}` is not a regular file (it is a folder, a device or a pipe)",
    }
    /// What a seed is.
    seed_not_a_file_help() {
        zh: "原文文件是保存文件原文的文字文件，如 `seeds/plan.txt`",
        en: "a seed is a text file holding the document's text, e.g. `seeds/plan.txt`",
    }
    /// A seed file larger than the limit.
    seed_too_large(seed: &str, size: &str, max: &str) {
        zh: "原文文件 `{seed}` 有 {size}，超过了原文文件的上限 {max}",
        en: "the seed file `{seed}` has {size}, more than the {max} a seed may have",
    }
    /// How to make a seed smaller.
    seed_too_large_help() {
        zh: "原文文件只放文件的原文；把很长的文件拆成几个文件，分别声明为 `document`",
        en: "a seed holds only the document's text; split a very long document into several, each declared as a `document`",
    }
    /// A seed file that is not UTF-8.
    seed_not_utf8(seed: &str) {
        zh: "原文文件 `{seed}` 不是 UTF-8 编码的文字",
        en: "the seed file `{seed}` is not UTF-8 text",
    }
    /// How to save a seed as UTF-8.
    seed_not_utf8_help() {
        zh: "把原文文件另存为 UTF-8 编码",
        en: "save the seed file as UTF-8",
    }
    /// The label of a seed path.
    seed_label() { zh: "原文文件", en: "seed file" }

    // ── words used in other messages ────────────────────────────────────
    /// A `document` declaration.
    kind_document() { zh: "文件", en: "document" }
    /// A table.
    kind_table() { zh: "表", en: "table" }
    /// A metric.
    kind_metric() { zh: "指标", en: "metric" }
    /// A parameter.
    kind_parameter() { zh: "参数", en: "parameter" }
    /// A rule.
    kind_rule() { zh: "规则", en: "rule" }
    /// A coverage entry.
    kind_coverage() { zh: "覆盖条目", en: "coverage entry" }
    /// A row (variant) of a report matrix.
    kind_matrix_row() { zh: "表的行", en: "matrix row" }
    /// A column (rule family) of a report matrix.
    kind_matrix_column() { zh: "表的列", en: "matrix column" }
    /// How to fix a name listed twice.
    remove_repeated() { zh: "删去重复的一个", en: "remove the repeated one" }
    /// A plain number (a literal).
    ty_number() { zh: "数字", en: "a number" }
    /// A percentage.
    ty_percent() { zh: "百分比", en: "a percentage" }
    /// A number without unit.
    ty_dimensionless() { zh: "无单位的数字", en: "a number without unit" }
    /// A number in a unit.
    ty_number_in(unit: &str) { zh: "单位为 `{unit}` 的数字", en: "a number in `{unit}`" }
    /// A yes/no value.
    ty_bool() { zh: "“是/否”值", en: "a yes/no value" }
    /// Text.
    ty_text() { zh: "文字", en: "text" }
    /// A category of an enum column.
    ty_category_of(origin: &str) { zh: "`{origin}` 的类别", en: "a category of `{origin}`" }
    /// A category.
    ty_category() { zh: "类别", en: "a category" }
    /// A list of values.
    ty_list_of(item: &str) { zh: "{item}的列表", en: "a list of {item}" }
    /// The name of "no unit".
    no_unit() { zh: "无单位", en: "no unit" }
    /// The `when` clause.
    what_when() { zh: "`when` 条件", en: "the `when` filter" }
    /// The `assert` clause.
    what_assert() { zh: "`assert` 条件", en: "the assertion" }
    /// A condition listed in `at_least`.
    what_condition() { zh: "条件", en: "a condition" }
    /// The operands of `and`/`or`.
    what_and_or() { zh: "`and`/`or` 的每一边", en: "each side of `and`/`or`" }
    /// The operand of `not`.
    what_not() { zh: "`not` 后面的部分", en: "the operand of `not`" }
    /// The condition of `if`.
    what_if() { zh: "`if` 的条件", en: "the condition of `if`" }
    /// The conditions of `at_least`.
    what_at_least() { zh: "`at_least` 的每个条件", en: "each condition of `at_least`" }
    /// A `where` filter.
    what_where() { zh: "`where` 筛选条件", en: "the `where` filter" }
    /// The condition of `share`.
    what_share() { zh: "`share` 的条件", en: "the condition of `share`" }
    /// The values of a parameter by category.
    what_param_values() { zh: "参数的各个值", en: "the values of a parameter" }
    /// A parameter's value.
    what_param() { zh: "参数的值", en: "a parameter" }
    /// The two branches of `if`.
    what_if_branches() { zh: "`if` 的两个分支", en: "the branches of `if`" }
    /// The two values of `min`/`max`.
    what_pick(f: &str) { zh: "`{f}` 的两个值", en: "the arguments of `{f}`" }
    /// The values of a trajectory.
    what_trajectory() { zh: "`trajectory` 的各个值", en: "the values of a trajectory" }
    /// A suggestion of a near name.
    did_you_mean(name: &str) { zh: "是不是 `{name}`？", en: "did you mean `{name}`?" }

    // ── declarations ────────────────────────────────────────────────────
    /// A name declared twice.
    duplicate(kind: &str, name: &str) {
        zh: "{kind} `{name}` 声明了两次",
        en: "{kind} `{name}` is declared twice",
    }
    /// The label of the second declaration.
    declared_again() { zh: "又在这里声明", en: "declared again here" }
    /// The label of the first declaration.
    first_declared() { zh: "第一次在这里声明", en: "first declared here" }
    /// How to fix a name declared twice in one file.
    rename_one() { zh: "把其中一个改名", en: "rename one of the two" }
    /// How to fix a name declared twice in two files.
    rename_one_in(file: &str) {
        zh: "第一次声明在 `{file}` 中；把其中一个改名",
        en: "the first declaration is in `{file}`; rename one of the two",
    }
    /// A column declared twice in a table.
    duplicate_column(column: &str, table: &str) {
        zh: "表 `{table}` 的列 `{column}` 声明了两次",
        en: "column `{column}` is declared twice in table `{table}`",
    }
    /// A category listed twice.
    duplicate_category(name: &str) { zh: "类别 `{name}` 列了两次", en: "category `{name}` is listed twice" }
    /// The label of a category listed again.
    listed_again() { zh: "又在这里列出", en: "listed again here" }
    /// An unknown table.
    unknown_table(name: &str) { zh: "没有名为 `{name}` 的表", en: "unknown table `{name}`" }
    /// The label of an unknown table.
    unknown_table_label() { zh: "没有这个表", en: "no table of this name" }
    /// The tables declared.
    declared_tables(list: &str) { zh: "已声明的表：{list}", en: "declared tables: {list}" }
    /// A unit on a column that is not a number.
    unit_on_non_number(column: &str) {
        zh: "列 `{column}` 不是数字，不能有单位",
        en: "column `{column}` is not a number, so it cannot have a unit",
    }
    /// The label of a unit.
    unit_here() { zh: "单位", en: "unit here" }
    /// Where units go.
    unit_on_non_number_help() {
        zh: "单位只能写在 `int` 和 `decimal` 列上",
        en: "units go on `int` and `decimal` columns",
    }
    /// A table with two year columns.
    two_year_columns(table: &str) { zh: "表 `{table}` 有两个年份列", en: "table `{table}` has two year columns" }
    /// The label of the second year column.
    second_year_column() { zh: "第二个年份列", en: "second year column" }
    /// How to declare other years.
    two_year_columns_help() {
        zh: "一个表至多有一列 `year` 类型；其他年份请用 `int`",
        en: "a table has at most one column of type `year`; use `int` for other years",
    }
    /// A table without a key.
    no_key(table: &str) {
        zh: "表 `{table}` 没有标明键列（`key`）",
        en: "table `{table}` has no key",
    }
    /// The label of a table declaration.
    table_declared_here() { zh: "表在这里声明", en: "declared here" }
    /// How to declare a key.
    no_key_help() {
        zh: "用 `key` 标出能确定一行的列，如 `key id: text \"学校标识码\"`",
        en: "mark the column(s) that identify a row with `key`, e.g. `key id: text \"学校标识码\"`",
    }
    /// A reference to a table whose key is not one column.
    bad_reference(table: &str, column: &str, target: &str) {
        zh: "`{table}.{column}` 引用表 `{target}`，但该表的键不是单独一列",
        en: "`{table}.{column}` refers to `{target}`, whose key is not a single column",
    }
    /// The label of a reference column.
    reference_here() { zh: "引用在这里", en: "reference here" }
    /// What a referenced table needs.
    bad_reference_help() {
        zh: "被引用的表除年份列外须恰好有一个键列",
        en: "a referenced table needs exactly one key column besides its year column",
    }

    // ── rules ───────────────────────────────────────────────────────────
    /// A clause given twice.
    duplicate_clause(id: &str, clause: &str) {
        zh: "规则 `{id}` 有两个 `{clause}` 子句",
        en: "rule `{id}` has two `{clause}` clauses",
    }
    /// The label of the second clause.
    second_clause() { zh: "第二个子句", en: "second clause" }
    /// How to combine two conditions.
    combine_with_and() { zh: "用 `and` 把两个条件合成一个", en: "combine conditions with `and`" }
    /// How to fix a clause given twice.
    keep_one_clause(clause: &str) { zh: "只保留一个 `{clause}` 子句", en: "keep one `{clause}` clause" }
    /// A missing clause.
    missing_clause(id: &str, clause: &str) {
        zh: "规则 `{id}` 缺少 `{clause}` 子句",
        en: "rule `{id}` has no `{clause}` clause",
    }
    /// The label of a rule's header.
    in_this_rule() { zh: "在这条规则中", en: "in this rule" }
    /// How to add a severity.
    missing_severity_help() {
        zh: "加上 `severity binding`（约束性）、`severity expected`（预期性）或 `severity info`（参考）",
        en: "add `severity binding` (约束性), `severity expected` (预期性) or `severity info`",
    }
    /// How to add a citation.
    missing_cite_help() {
        zh: "每条规则都要引用设定它的条款：`cite plan clause \"三(三)3\" quote \"…\"`",
        en: "every rule cites the clause that sets it: `cite plan clause \"三(三)3\" quote \"…\"`",
    }
    /// How to add a scope.
    missing_for_help() {
        zh: "写明规则检查什么：`for each schools`、`for each year`……",
        en: "say what the rule checks: `for each schools`, `for each year`, …",
    }
    /// How to add an assertion.
    missing_assert_help() {
        zh: "加上必须成立的条件：`assert students <= 45`",
        en: "add the condition that must hold: `assert students <= 45`",
    }
    /// Severity changes out of order.
    severity_years() {
        zh: "规则性质（约束性、预期性）的变化年份必须从早到晚排列",
        en: "severity changes must be in ascending years",
    }
    /// How severity changes are written.
    severity_years_help() {
        zh: "按年份从早到晚写，如 `severity expected, binding from 2023`（2023 年起为约束性）",
        en: "write them in ascending years, e.g. `severity expected, binding from 2023` (binding from 2023 on)",
    }
    /// How to fix a column declared twice.
    duplicate_column_help() {
        zh: "删去其中一个，或给第二列另起一个名字",
        en: "remove one of them, or give the second column another name",
    }
    /// How to fix a category listed twice.
    duplicate_category_help() { zh: "删去重复的类别", en: "remove the repeated category" }
    /// The label of a year out of order.
    out_of_order() { zh: "顺序不对", en: "out of order" }
    /// An empty year range.
    empty_years(from: i32, to: i32) {
        zh: "年份范围 {from}..{to} 是空的",
        en: "the year range {from}..{to} is empty",
    }
    /// The label of an empty year range.
    empty_years_label() { zh: "起始年份晚于结束年份", en: "first year after last year" }
    /// How to fix an empty year range.
    empty_years_help(from: i32, to: i32) {
        zh: "起止年份是否写反了？应为 `years {to}..{from}`",
        en: "are the years the wrong way round? `years {to}..{from}`",
    }
    /// A condition that is not a yes/no value.
    not_a_condition(what: &str, desc: &str) {
        zh: "{what}必须是条件（是/否），但这里是{desc}",
        en: "{what} must be a condition, but this is {desc}",
    }
    /// The label of a value that is not a condition.
    not_a_condition_label() { zh: "不是是/否值", en: "not a yes/no value" }
    /// How to make a condition.
    not_a_condition_help() {
        zh: "把它与某个值比较，如 `students <= 45`",
        en: "compare it with something, e.g. `students <= 45`",
    }
    /// A rule the compiler failed on without saying why.
    internal(id: &str) { zh: "规则 `{id}` 无法编译", en: "rule `{id}` could not be compiled" }
    /// The label of that rule.
    this_rule() { zh: "这条规则", en: "this rule" }
    /// What to do about a compiler defect.
    internal_help() {
        zh: "这是 dudao 的缺陷：请连同规则文件一起报告",
        en: "this is a bug in dudao: please report it with the rule file",
    }
    /// A citation of a document that is not declared.
    unknown_document(name: &str) { zh: "没有声明文件 `{name}`", en: "unknown document `{name}`" }
    /// The label of an undeclared document.
    not_declared() { zh: "没有声明", en: "not declared" }
    /// How to declare a document.
    declare_document_help() {
        zh: "先声明它：`document plan \"万州区教育事业发展“十四五”规划\" seed \"seeds/plan.txt\"`",
        en: "declare it first: `document plan \"万州区教育事业发展“十四五”规划\" seed \"seeds/plan.txt\"`",
    }
    /// A quote not found in the seed.
    quote_not_in_source(seed: &str) {
        zh: "引文在原文 `{seed}` 中找不到逐字相同的句子",
        en: "the quote is not found verbatim in `{seed}`",
    }
    /// The label of such a quote.
    quote_not_in_source_label() { zh: "原文中没有", en: "not in the source text" }
    /// The closest sentence of the seed.
    closest_sentence(sentence: &str) {
        zh: "原文中最接近的一句是：“{sentence}”",
        en: "the closest sentence in the source is: “{sentence}”",
    }
    /// How to quote.
    copy_quote_help() {
        zh: "从原文文件中逐字复制这句话",
        en: "copy the sentence exactly from the seed file",
    }
    /// An unknown column of a table.
    unknown_column(column: &str, table: &str) {
        zh: "表 `{table}` 中没有列 `{column}`",
        en: "unknown column `{column}` in table `{table}`",
    }
    /// The label of an unknown column.
    no_such_column() { zh: "没有这一列", en: "no such column" }
    /// The columns of a table.
    columns_of(table: &str, list: &str) { zh: "表 `{table}` 的列：{list}", en: "columns of `{table}`: {list}" }
    /// A coverage entry with neither rules nor a reason.
    coverage_incomplete(id: &str) {
        zh: "覆盖条目 `{id}` 既没有写由哪些规则检查，也没有写为什么无法检查",
        en: "coverage entry `{id}` says neither which rules check it nor why it cannot be checked",
    }
    /// The label of a coverage entry.
    coverage_here() { zh: "这里", en: "here" }
    /// How to complete a coverage entry.
    coverage_incomplete_help() {
        zh: "加上 `checked by 规则编号, …` 或 `not checkable \"原因\"`",
        en: "add `checked by RULE_ID, …` or `not checkable \"reason\"`",
    }
    /// A coverage entry both checked and not checkable.
    coverage_contradiction(id: &str) {
        zh: "覆盖条目 `{id}` 既写了由规则检查，又写了无法检查",
        en: "coverage entry `{id}` is both checked and not checkable",
    }
    /// How to fix that.
    coverage_contradiction_help() {
        zh: "删去 `checked by` 和 `not checkable` 中的一个",
        en: "keep either `checked by` or `not checkable`",
    }
    /// An unknown rule id.
    unknown_rule(id: &str) { zh: "没有编号为 `{id}` 的规则", en: "unknown rule `{id}`" }
    /// The label of an unknown rule id.
    unknown_rule_label() { zh: "没有这个编号的规则", en: "no rule with this id" }
    /// Where the rule ids are listed.
    unknown_rule_help() {
        zh: "`dudao rules` 列出所有规则的编号",
        en: "`dudao rules` lists the ids of all rules",
    }

    // ── depth ───────────────────────────────────────────────────────────
    /// An expression too deep, counting its metrics.
    too_deep(max: usize) {
        zh: "表达式连同所用指标的定义嵌套超过 {max} 层",
        en: "the expression nests more than {max} levels deep, counting the definitions of the metrics it uses",
    }
    /// The label of the level past the limit.
    too_deep_label(level: usize) { zh: "第 {level} 层", en: "level {level}" }
    /// How to make it shallower.
    too_deep_help() {
        zh: "每个运算、函数和条件算一层，用到的指标再加上它定义的层数；把表达式拆开，或让指标少一些层层相套",
        en: "each operation, function and condition is a level, and a metric adds the levels of its definition; split the expression, or build fewer metrics on metrics",
    }
    /// How to make a metric's definition shallower.
    too_deep_metric_help(metric: &str, levels: usize) {
        zh: "指标 `{metric}` 的定义连同它用到的指标有 {levels} 层：让指标少一些层层相套，或把这里的表达式拆开",
        en: "the definition of metric `{metric}`, with the metrics it uses, has {levels} levels; build fewer metrics on metrics, or split this expression",
    }
    /// How to make a chain of metrics shallower.
    too_deep_chain_help(chain: &str) {
        zh: "层数包括指标 {chain} 的定义：让其中一些指标不再建立在另一些之上",
        en: "the levels go on through the metrics {chain}; define some of them without the others",
    }

    // ── parameters and constants ────────────────────────────────────────
    /// A percentage with a unit.
    percent_with_unit() { zh: "百分比不能再带单位", en: "a percentage cannot also have a unit" }
    /// A constant too large to be a number.
    constant_too_large() { zh: "这个值太大，不是可以计算的数字", en: "the value is too large to be a number" }
    /// The label of that value.
    too_large() { zh: "太大", en: "too large" }
    /// How to fix it.
    constant_too_large_help() { zh: "检查各个数字的位数", en: "check the digits of the numbers" }
    /// A constant dividing by zero.
    divides_by_zero() {
        zh: "这个值除以零，无法计算",
        en: "the value divides by zero, so it is not evaluable",
    }
    /// The label of the division.
    divides_by_zero_label() { zh: "除数为零", en: "divides by zero" }
    /// Why it matters.
    divides_by_zero_help() {
        zh: "与这个值比较的规则永远无法判定；请改正除数",
        en: "a rule compared with this value could never be evaluated; correct the divisor",
    }
    /// A parameter's value that is not a number.
    not_constant() { zh: "参数的值必须是数字", en: "a parameter's value must be a number" }
    /// The label of such a value.
    not_constant_label() { zh: "不是常数", en: "not a constant number" }
    /// What parameters are.
    not_constant_help() {
        zh: "参数是常数，如 `45`、`55%` 或 `4.2`；要计算的值请用指标（`metric`）",
        en: "parameters are constants such as `45`, `55%` or `4.2`; use `metric` for computed values",
    }
    /// Values of different units mixed.
    mixed_units(what: &str, a: &str, b: &str) {
        zh: "{what}混用了 `{a}` 和 `{b}`",
        en: "{what} mix `{a}` and `{b}`",
    }
    /// The label of different units.
    different_units() { zh: "单位不同", en: "different units" }

    // ── metrics ─────────────────────────────────────────────────────────
    /// A metric defined through itself.
    metric_cycle(name: &str) {
        zh: "指标 `{name}` 的定义用到了它自己",
        en: "metric `{name}` is defined in terms of itself",
    }
    /// The label of a metric in a cycle.
    part_of_cycle() { zh: "循环的一环", en: "part of a cycle" }
    /// How to break a cycle.
    metric_cycle_help(chain: &str, name: &str) {
        zh: "循环是 {chain} → {name}：其中一个指标的定义不要用到其他几个",
        en: "the chain is {chain} → {name}; define one of them without the others",
    }
    /// A per-row metric named like a column.
    metric_clashes(table: &str, name: &str) {
        zh: "表 `{table}` 已经有列 `{name}`",
        en: "table `{table}` already has a column `{name}`",
    }
    /// The label of that metric.
    metric_clashes_label() { zh: "指标与列同名", en: "metric name clashes with a column" }
    /// A unit on something that is not a number.
    only_numbers_have_units() { zh: "只有数字才有单位", en: "only numbers have units" }

    // ── expressions ─────────────────────────────────────────────────────
    /// A type error: what is needed, and what was found.
    wrong_type(needed: &str, desc: &str) {
        zh: "{needed}，但这里是{desc}",
        en: "{needed}, but this is {desc}",
    }
    /// The label of a value of the wrong kind.
    wrong_kind() { zh: "值的种类不对", en: "wrong kind of value" }
    /// A list outside `in`.
    list_outside_in() { zh: "列表只能用在 `in` 后面", en: "a list can only follow `in`" }
    /// The label of a list.
    list_here() { zh: "列表", en: "list here" }
    /// How to use a list.
    in_list_help() { zh: "写成 `stage in [小学, 初中]`", en: "write `stage in [小学, 初中]`" }
    /// Negation of something that is not a number.
    neg_needs_number() { zh: "负号 `-` 只能用于数字", en: "`-` needs a number" }
    /// `in` without a list.
    in_needs_list() { zh: "`in` 后面要跟方括号中的列表", en: "`in` needs a list in brackets" }
    /// The label of that.
    not_a_list() { zh: "不是列表", en: "not a list" }
    /// A list item that is not a constant.
    list_items_constant() { zh: "列表中的项必须是常量", en: "list items must be constants" }
    /// The label of that item.
    not_a_constant() { zh: "不是常量", en: "not a constant" }
    /// A list item of another kind than the value.
    in_mismatch(item: &str, value: &str) {
        zh: "不能在{value}中查找{item}",
        en: "cannot look for {item} among values that are {value}",
    }
    /// The branches of `if` of different kinds.
    if_branches_differ(a: &str, b: &str) {
        zh: "`if` 的两个分支种类不同：{a}和{b}",
        en: "the branches of `if` differ: {a} and {b}",
    }
    /// The label of the `else` branch.
    this_branch() { zh: "这个分支", en: "this branch" }
    /// A name that is not a category.
    not_a_category(name: &str, origin: &str) {
        zh: "`{name}` 不是 `{origin}` 的类别",
        en: "`{name}` is not a category of `{origin}`",
    }
    /// The label of an unknown category.
    unknown_category() { zh: "没有这个类别", en: "unknown category" }
    /// The categories of an enum.
    categories_are(list: &str) { zh: "类别有：{list}", en: "the categories are: {list}" }
    /// A bare number compared with a percentage.
    percent_literal(text: &str, percent: &str) {
        zh: "`{text}` 与百分比比较，因此表示 {percent}%",
        en: "`{text}` is compared with a percentage, so it means {percent}%",
    }
    /// The label of that number.
    plain_number() { zh: "普通数字", en: "a plain number" }
    /// How to write a percentage.
    percent_literal_help(text: &str) {
        zh: "百分比请写成 `{text}%`",
        en: "write `{text}%` for a percentage",
    }
    /// A comparison of different units.
    cannot_compare_units(a: &str, b: &str) {
        zh: "不能比较 `{a}` 和 `{b}`",
        en: "cannot compare `{a}` with `{b}`",
    }
    /// The label of a side in a unit.
    this_is_in(unit: &str) { zh: "单位是 `{unit}`", en: "this is in `{unit}`" }
    /// Why units must match.
    same_unit_help() {
        zh: "比较的两边必须是同一单位",
        en: "both sides of a comparison must have the same unit",
    }
    /// Values that can only be compared for equality.
    only_equality(desc: &str) {
        zh: "{desc}只能用 `==` 或 `!=` 比较",
        en: "{desc} can only be compared with `==` or `!=`",
    }
    /// Values of different kinds compared.
    cannot_compare(a: &str, b: &str) { zh: "不能比较{a}和{b}", en: "cannot compare {a} with {b}" }
    /// The label of a side of a comparison.
    this_is(desc: &str) { zh: "这是{desc}", en: "this is {desc}" }
    /// Arithmetic on something that is not a number.
    arithmetic_needs_numbers() { zh: "算术运算只能用于数字", en: "arithmetic needs numbers" }
    /// Adding different units.
    cannot_add(a: &str, b: &str) { zh: "不能把 `{a}` 和 `{b}` 相加", en: "cannot add `{a}` and `{b}`" }
    /// Subtracting different units.
    cannot_subtract(a: &str, b: &str) { zh: "不能把 `{a}` 和 `{b}` 相减", en: "cannot subtract `{a}` and `{b}`" }
    /// The label of an operation on two units.
    units_op(a: &str, op: &str, b: &str) { zh: "`{a}` {op} `{b}`", en: "`{a}` {op} `{b}`" }
    /// Why units must match.
    same_unit_add_help() {
        zh: "只有单位相同的量才能相加或相减",
        en: "only quantities in the same unit can be added or subtracted",
    }
    /// Indexing something that is not a parameter.
    index_not_param() {
        zh: "只有按类别取值的参数才能用 `[…]` 取值",
        en: "only a parameter by category can be indexed",
    }
    /// The label of that.
    not_a_parameter() { zh: "不是参数", en: "not a parameter" }
    /// A name that is not a parameter by category.
    not_category_param(name: &str) {
        zh: "`{name}` 不是按类别取值的参数",
        en: "`{name}` is not a parameter by category",
    }
    /// The label of that.
    cannot_index() { zh: "不能用 `[…]` 取值", en: "cannot be indexed" }
    /// How to declare a parameter by category.
    category_param_help() {
        zh: "这样声明：`param 名称 = {{ 小学: 4.2, 初中: 5.3 }}`",
        en: "declare it as `param NAME = {{ 小学: 4.2, 初中: 5.3 }}`",
    }
    /// A parameter without a value for a category.
    no_value_for(name: &str, category: &str) {
        zh: "`{name}` 没有 `{category}` 的值",
        en: "`{name}` has no value for `{category}`",
    }
    /// The categories a parameter has values for.
    values_for(name: &str, list: &str) {
        zh: "`{name}` 有这些类别的值：{list}",
        en: "`{name}` has values for: {list}",
    }
    /// The index of a parameter by category.
    index_by_category() {
        zh: "按类别取值的参数要用类别列取值",
        en: "a parameter by category is indexed by a category column",
    }
    /// A key of a parameter by category that is not a category.
    param_key_not_category(key: &str, origin: &str, name: &str) {
        zh: "`{key}` 不是 `{origin}` 的类别（`{origin}` 用来为 `{name}` 取值）",
        en: "`{key}` is not a category of `{origin}`, which indexes `{name}`",
    }
    /// `this` outside a rule for each row.
    no_row() {
        zh: "`this` 只能用在 `for each 表名` 的规则中",
        en: "`this` is only available in a rule `for each TABLE`",
    }
    /// The label of that.
    no_row_here() { zh: "这里没有当前行", en: "no row here" }
    /// `this` as a value.
    row_not_value() { zh: "`this` 是一行，不是一个值", en: "`this` is a row, not a value" }
    /// The label of that.
    name_a_column() { zh: "写出列名", en: "name a column" }
    /// How to read a column of the row.
    row_not_value_help() {
        zh: "写成 `this.列名`，如 `this.students`",
        en: "write `this.COLUMN`, e.g. `this.students`",
    }
    /// `group` outside a rule by group.
    no_group() {
        zh: "`group` 只能用在 `for each 表名 by 列名` 的规则中",
        en: "`group` is only available in a rule `for each TABLE by COLUMN`",
    }
    /// The label of that.
    no_group_here() { zh: "这里没有分组", en: "no group here" }
    /// How to get a group.
    no_group_help() {
        zh: "要按某一列分组检查（如按乡镇街道），把规则的范围写成 `for each schools by township`，`group` 就是每组的行",
        en: "to check by groups (say, by township), write the rule's scope as `for each schools by township`; `group` is then the rows of each group",
    }
    /// `group` as a value.
    group_not_value() { zh: "`group` 是一组行，不是一个值", en: "`group` is a set of rows, not a value" }
    /// The label of rows used as a value.
    aggregate_it() { zh: "请先汇总", en: "aggregate it" }
    /// How to use `group`.
    group_not_value_help() {
        zh: "分组的取值用 `group.key`，或者汇总：`sum(group.students)`",
        en: "use `group.key` for the grouping value, or aggregate: `sum(group.students)`",
    }
    /// A parameter by category used without a category.
    category_param(name: &str) { zh: "`{name}` 对每个类别各有一个值", en: "`{name}` has one value per category" }
    /// The label of that.
    pick_a_category() { zh: "要选一个类别", en: "pick a category" }
    /// How to pick a category.
    category_param_index(name: &str) {
        zh: "用类别列取值：`{name}[stage]`",
        en: "index it by a category column: `{name}[stage]`",
    }
    /// An unknown name.
    unknown_name(name: &str) { zh: "没有名为 `{name}` 的列、参数或指标", en: "unknown name `{name}`" }
    /// The label of an unknown column.
    unknown_column_label() { zh: "没有这一列", en: "unknown column" }
    /// The label of an unknown name.
    unknown_name_label() { zh: "未知名称", en: "unknown name" }
    /// How to read the checked row inside an aggregate.
    use_this(name: &str) {
        zh: "在汇总中读取被检查行的列，要写 `this.{name}`",
        en: "to use the checked row's column inside an aggregate, write `this.{name}`",
    }
    /// Where columns can be read.
    columns_only_in_rows() {
        zh: "列只能在 `for each 表名` 的规则中直接读取；其他地方要汇总，如 `sum(schools.students)`",
        en: "columns can only be read in a rule `for each TABLE`; elsewhere aggregate them, e.g. `sum(schools.students)`",
    }
    /// Check the spelling.
    check_spelling() { zh: "请对照表的声明检查拼写", en: "check the spelling against the schema" }
    /// Rows used as a value.
    rows_not_value(text: &str) { zh: "`{text}` 是一组行，不是一个值", en: "`{text}` is a set of rows, not a value" }
    /// The aggregates of a table.
    table_aggregates(name: &str) {
        zh: "`count({name})`、`sum({name}.列名)`、`share({name} where …, …)`",
        en: "`count({name})`, `sum({name}.COLUMN)`, `share({name} where …, …)`",
    }
    /// A count of rows.
    count_of(rows: &str) { zh: "`count({rows})`", en: "`count({rows})`" }
    /// How to aggregate rows.
    use_an_aggregate(example: &str) { zh: "请用汇总函数：{example}", en: "use an aggregate: {example}" }
    /// A column followed with `.` that is not a reference.
    not_a_reference(name: &str) {
        zh: "`{name}` 不是对另一个表的引用",
        en: "`{name}` is not a reference to another table",
    }
    /// The label of that.
    has_no_columns() { zh: "没有下一级的列", en: "has no columns" }
    /// Which columns can be followed.
    not_a_reference_help() {
        zh: "只有 `ref` 列才能用 `.` 读取被引用行的列",
        en: "only `ref` columns can be followed with `.`",
    }
    /// A metric followed with `.`.
    metric_not_reference(name: &str) {
        zh: "`{name}` 是指标，不是引用",
        en: "`{name}` is a metric, not a reference",
    }
    /// An aggregate over something that is not rows.
    bad_source() {
        zh: "汇总函数要作用于一个表或相关的行",
        en: "an aggregate runs over a table or related rows",
    }
    /// The label of that.
    not_a_table() { zh: "不是表", en: "not a table" }
    /// How to write an aggregate.
    bad_source_help() {
        zh: "如 `count(teachers where …)`、`sum(schools.students)` 或 `count(this.teachers)`",
        en: "write e.g. `count(teachers where …)`, `sum(schools.students)` or `count(this.teachers)`",
    }
    /// A table not related to the row.
    not_related(name: &str, table: &str) {
        zh: "`{name}` 不是与 `{table}` 相关的表",
        en: "`{name}` is not a table related to `{table}`",
    }
    /// The label of that.
    not_related_rows() { zh: "不是相关的行", en: "not related rows" }
    /// No table refers to the table.
    no_table_refers(table: &str) { zh: "没有表引用 `{table}`", en: "no table refers to `{table}`" }
    /// The tables referring to the table.
    tables_referring(table: &str, list: &str) {
        zh: "引用 `{table}` 的表：{list}",
        en: "tables whose rows refer to `{table}`: {list}",
    }
    /// An aggregate over no rows.
    needs_rows() {
        zh: "汇总函数需要一组行：一个表、`group`，或相关的行如 `this.teachers`",
        en: "an aggregate needs rows: a table, `group`, or related rows such as `this.teachers`",
    }
    /// The label of that.
    not_rows() { zh: "不是一组行", en: "not a set of rows" }
    /// A named argument a function does not take.
    bad_named_argument(f: &str, name: &str) {
        zh: "`{f}` 没有名为 `{name}` 的参数",
        en: "`{f}` has no argument `{name}`",
    }
    /// The label of that.
    unknown_argument() { zh: "未知的参数名", en: "unknown argument" }
    /// The named argument of `cv`.
    cv_weight_help() { zh: "`cv` 只有 `weight = …` 这一个命名参数", en: "`cv` takes `weight = …`" }
    /// A function without named arguments.
    no_named_arguments(f: &str) { zh: "`{f}` 没有命名参数", en: "`{f}` takes no named arguments" }
    /// A call with the wrong number of arguments.
    arity(f: &str, want: &str) { zh: "`{f}` 要{want}", en: "`{f}` takes {want}" }
    /// The label of that.
    wrong_arity() { zh: "参数个数不对", en: "wrong number of arguments" }
    /// How to fix a call with the wrong number of arguments.
    arity_help() {
        zh: "去掉多余的参数或补上缺少的参数；各函数的写法见 README 的“规则语言”一节",
        en: "remove the extra arguments or add the missing ones; the README's section on the rule language shows how each function is called",
    }
    /// One argument.
    one_argument() { zh: "一个参数", en: "one argument" }
    /// The arguments of `at_least`.
    at_least_arguments() { zh: "一个数和一组条件", en: "a number and a list of conditions" }
    /// The first argument of `at_least`.
    at_least_whole() {
        zh: "`at_least` 的第一个参数是整数",
        en: "the first argument of `at_least` is a whole number",
    }
    /// The label of that.
    not_whole() { zh: "不是整数", en: "not a whole number" }
    /// Too few conditions for `at_least`.
    at_least_too_few(k: usize) {
        zh: "`at_least({k}, …)` 至少要有 {k} 个条件",
        en: "`at_least({k}, …)` needs at least {k} conditions",
    }
    /// The label of that.
    too_few_conditions() { zh: "条件太少", en: "too few conditions" }
    /// How to write `at_least`.
    at_least_help() {
        zh: "写成 `at_least(6, [c1, c2, c3, c4, c5, c6, c7])`",
        en: "write `at_least(6, [c1, c2, c3, c4, c5, c6, c7])`",
    }
    /// The arguments of `trajectory`.
    trajectory_pairs() {
        zh: "`trajectory` 的参数是成对的年份和值",
        en: "`trajectory` takes pairs of year and value",
    }
    /// How to write `trajectory`.
    trajectory_help() {
        zh: "写成 `trajectory(2020, 51.48%, 2025, 55%)`",
        en: "write `trajectory(2020, 51.48%, 2025, 55%)`",
    }
    /// A year expected.
    expected_year() { zh: "这里应为年份", en: "expected a year" }
    /// The label of that.
    not_a_year() { zh: "不是年份", en: "not a year" }
    /// The years of a trajectory out of order.
    trajectory_years() {
        zh: "`trajectory` 的年份必须从早到晚",
        en: "the years of a trajectory must increase",
    }
    /// A function that needs a number.
    needs_number(f: &str) { zh: "`{f}` 只能用于数字", en: "`{f}` needs a number" }
    /// An unknown function.
    unknown_function(f: &str) { zh: "没有函数 `{f}`", en: "unknown function `{f}`" }
    /// The label of that.
    not_a_function() { zh: "不是函数", en: "not a function" }
    /// The functions of the language.
    functions_are(list: &str) { zh: "函数有：{list}", en: "the functions are {list}" }
    /// An aggregate without arguments.
    aggregate_needs_rows(f: &str) { zh: "`{f}` 需要要汇总的行", en: "`{f}` needs the rows to aggregate" }
    /// The label of that.
    no_arguments() { zh: "没有参数", en: "no arguments" }
    /// An example of an aggregate.
    aggregate_example(f: &str) {
        zh: "如 `{f}(schools.students where stage == 小学)`",
        en: "e.g. `{f}(schools.students where stage == 小学)`",
    }
    /// `count` of a column.
    count_takes_no_column() {
        zh: "`count` 统计行数，不带列",
        en: "`count` counts rows; it takes no column",
    }
    /// The label of that.
    a_column_here() { zh: "这里是一列", en: "a column here" }
    /// How to count or sum.
    count_help() {
        zh: "写成 `count(teachers where …)`；要把一列加总请用 `sum(…)`",
        en: "write `count(teachers where …)`, or `sum(…)` to add up a column",
    }
    /// An aggregate without a column.
    aggregate_needs_column(f: &str) { zh: "`{f}` 需要要汇总的列", en: "`{f}` needs a column to aggregate" }
    /// The label of that.
    rows_without_column() { zh: "只有行，没有列", en: "rows without a column" }
    /// How to name the column.
    aggregate_column_help(f: &str, rows: &str) {
        zh: "写成 `{f}({rows}.列名)`",
        en: "write `{f}({rows}.COLUMN)`",
    }
    /// An aggregate of one column with more.
    takes_one_column(f: &str) { zh: "`{f}` 只汇总一列", en: "`{f}` takes one column" }
    /// The label of that.
    too_many_arguments() { zh: "参数太多", en: "too many arguments" }
    /// A numeric aggregate of something else.
    non_numeric_aggregate(f: &str, desc: &str) {
        zh: "`{f}` 只能汇总数字，但这里是{desc}",
        en: "`{f}` needs numbers, but this is {desc}",
    }
    /// The label of that.
    not_a_number() { zh: "不是数字", en: "not a number" }
    /// How to count where a yes/no column holds.
    count_where_help(text: &str) {
        zh: "要统计它成立的行数，写成 `count(… where {text})`",
        en: "to count rows where it holds, write `count(… where {text})`",
    }
    /// Aggregate a number.
    aggregate_numeric_help() { zh: "请汇总数字列", en: "aggregate a numeric column" }
    /// The weight of `cv`.
    weight_number() { zh: "权重必须是数字", en: "the weight must be a number" }
    /// `share` without its condition.
    share_needs_condition() {
        zh: "`share` 要写出行和所求占比的条件",
        en: "`share` needs the rows and the condition whose share is taken",
    }
    /// The label of that.
    missing_condition() { zh: "缺少条件", en: "missing condition" }
    /// How to write `share`.
    share_help() {
        zh: "写成 `share(schools where stage == 幼儿园, ownership == 公办)`",
        en: "write `share(schools where stage == 幼儿园, ownership == 公办)`",
    }
    /// `share` with more than one condition.
    share_one_condition() {
        zh: "`share` 只有行和一个条件",
        en: "`share` takes the rows and one condition",
    }
    /// A weighted share of something that is not a number.
    weighted_share_numbers(desc: &str) {
        zh: "加权的 `share` 只能用数字，但这里是{desc}",
        en: "a weighted `share` needs numbers, but this is {desc}",
    }

    // ── message templates ───────────────────────────────────────────────
    /// A `{` not closed in a message.
    template_unclosed() { zh: "`message` 中的 `{{` 没有对应的 `}}`", en: "unclosed `{{` in message" }
    /// The label of that.
    template_here() { zh: "这里", en: "here" }
    /// How to write a brace.
    template_brace_help() { zh: "要显示 `{{` 本身，请写 `{{{{`", en: "write `{{{{` for a literal brace" }
    /// A syntax error inside a message template.
    in_message(error: &str) { zh: "`message` 中：{error}", en: "in message: {error}" }
    // ── ranges of number columns (`range 0..`) ─────────────────────────
    range_here() { zh: "取值范围", en: "range here" }
    range_bound_here() { zh: "这个界限", en: "this bound" }
    range_on_non_number(column: &str) {
        zh: "列 `{column}` 不是数字，不能有取值范围",
        en: "column `{column}` is not a number, so it cannot have a range",
    }
    range_on_non_number_help() {
        zh: "取值范围只用于 `int` 和 `decimal` 列",
        en: "ranges go on `int` and `decimal` columns",
    }
    range_percent_on_number(column: &str) {
        zh: "列 `{column}` 不是百分比，取值范围不能写 `%`",
        en: "column `{column}` is not a percentage, so its range cannot be in `%`",
    }
    range_percent_on_number_help() {
        zh: "去掉 `%`，或把列的单位声明为 `%`",
        en: "write the bound without `%`, or declare the column with unit `%`",
    }
    range_bare_on_percent(bound: &str, percent: &str) {
        zh: "百分比列的界限 `{bound}` 表示 {percent}%",
        en: "the bound `{bound}` of a percentage column means {percent}%",
    }
    range_bare_on_percent_help(bound: &str) {
        zh: "写作 `{bound}%`",
        en: "write `{bound}%`",
    }
    range_empty(column: &str) {
        zh: "列 `{column}` 的取值范围是空的：下限大于上限",
        en: "the range of column `{column}` is empty: its lower bound is above its upper bound",
    }
    range_empty_help() {
        zh: "写作 `range 下限..上限`，例如 `range 0..100`",
        en: "write `range LOW..HIGH`, e.g. `range 0..100`",
    }
    // ── packs that compose: import, override, disable ──────────────────
    /// An imported pack folder cannot be read.
    import_not_found(dir: &str) {
        zh: "找不到导入的规则包文件夹 `{dir}`",
        en: "cannot find the imported rule pack folder `{dir}`",
    }
    import_label() { zh: "在这里导入", en: "imported here" }
    import_not_found_help() {
        zh: "导入路径相对于写 `import` 的规则文件所在的文件夹，例如 `import \"../national\"`",
        en: "an import path is relative to the folder of the file that imports, e.g. `import \"../national\"`",
    }
    /// `import NAME` names no pack built into dudao.
    import_unknown_pack(name: &str) {
        zh: "没有名为 `{name}` 的内置规则包",
        en: "there is no built-in rule pack named `{name}`",
    }
    import_unknown_pack_help(known: &str) {
        zh: "内置规则包：`{known}`；导入文件夹请写成字符串：`import \"../文件夹\"`",
        en: "built-in packs: `{known}`; to import a folder write it as a string: `import \"../folder\"`",
    }
    /// Packs import each other in a circle.
    import_cycle(chain: &str) {
        zh: "规则包相互导入，形成循环：{chain}",
        en: "rule packs import each other in a cycle: {chain}",
    }
    import_cycle_help() {
        zh: "去掉其中一个 `import`：被导入的包不能再导入导入它的包",
        en: "remove one of the `import`s: an imported pack cannot import the pack that imports it",
    }
    /// `override param X` where no earlier pack defines X.
    override_unknown(name: &str) {
        zh: "没有可覆盖的参数 `{name}`：前面的规则包中没有定义它",
        en: "no parameter `{name}` to override: no earlier rule pack defines it",
    }
    override_unknown_label() { zh: "没有这个参数", en: "no such parameter" }
    override_unknown_help() {
        zh: "`override param` 只能改前面（导入的）规则包定义的参数；新参数请写 `param`",
        en: "`override param` changes a parameter of an earlier (imported) pack; write `param` for a new one",
    }
    /// A plain `param X` where an earlier file already defines X.
    param_redefined(name: &str, first: &str) {
        zh: "参数 `{name}` 已在 `{first}` 中定义，不能再用 `param` 定义一次",
        en: "parameter `{name}` is already defined in `{first}`; it cannot be defined again with `param`",
    }
    param_redefined_help(name: &str) {
        zh: "要改它的值，请写 `override param {name} = …`，并在上一行注释说明原因",
        en: "to change its value, write `override param {name} = …` with a comment above saying why",
    }
    /// `disable rule X` where no rule X exists.
    disable_unknown(id: &str) {
        zh: "没有可停用的规则 `{id}`",
        en: "no rule `{id}` to disable",
    }
    disable_unknown_label() { zh: "没有这条规则", en: "no such rule" }
    /// A rule's words still state a parameter's old value.
    stale_words(rule: &str, param: &str, old: &str, new: &str) {
        zh: "规则 `{rule}` 的标题或引文仍写着 {old}，但参数 `{param}` 已被覆盖为 {new}",
        en: "the title or quote of rule `{rule}` still says {old}, but parameter `{param}` is overridden to {new}",
    }
    stale_words_label() { zh: "旧数值", en: "the old number" }
    stale_words_help() {
        zh: "改写这条规则的标题，或停用它并写一条引用本地文件的新规则",
        en: "reword the rule's title, or disable it and write a new rule citing the local document",
    }

    // ── report { … } ────────────────────────────────────────────────────
    /// A second `report` item in one pack.
    report_twice() {
        zh: "规则包中有两个 `report` 声明",
        en: "the rule pack declares `report` twice",
    }
    report_twice_label() { zh: "第二个 `report`", en: "the second `report`" }
    report_first_label() { zh: "第一个 `report`", en: "the first `report`" }
    report_twice_help(first: &str) {
        zh: "一个规则包只能有一个 `report`，请与 `{first}` 中的合并；导入其他规则包时，本包的 `report` 取代导入的那个",
        en: "a rule pack has one `report`: merge it with the one in `{first}`; a pack that imports another may declare its own, which replaces the imported one",
    }
    /// A clause of `report` missing.
    report_missing_clause(clause: &str) {
        zh: "`report` 缺少 `{clause}` 子句",
        en: "`report` has no `{clause}` clause",
    }
    report_here() { zh: "这个 `report`", en: "this `report`" }
    report_missing_unit_help() {
        zh: "写上 `unit schools`：整改清单按哪个表的行（每所学校）列出发现的问题",
        en: "add `unit schools`: the table whose rows (each school) findings are listed under",
    }
    /// A clause of `report` given twice.
    report_duplicate_clause(clause: &str) {
        zh: "`report` 中有两个 `{clause}` 子句",
        en: "`report` has two `{clause}` clauses",
    }
    /// A clause of a matrix missing.
    matrix_missing_clause(title: &str, clause: &str) {
        zh: "表 “{title}” 缺少 `{clause}` 子句",
        en: "matrix \"{title}\" has no `{clause}` clause",
    }
    matrix_here() { zh: "这个表", en: "this matrix" }
    matrix_missing_help() {
        zh: "写上 `rows 小学, 初中`（每行一个学段：规则编号的后一段）和 `columns B1, B2`（每列一项指标：规则编号的前一段）",
        en: "write `rows 小学, 初中` (a row per variant: the last part of the rule ids) and `columns B1, B2` (a column per indicator: the first part)",
    }
    /// A clause of a matrix given twice.
    matrix_duplicate_clause(title: &str, clause: &str) {
        zh: "表 “{title}” 中有两个 `{clause}` 子句",
        en: "matrix \"{title}\" has two `{clause}` clauses",
    }
    merge_lists(clause: &str) {
        zh: "把两个列表合成一个 `{clause}` 子句",
        en: "merge the lists into one `{clause}` clause",
    }
    /// The unit table is keyed by the year alone.
    report_unit_no_key(table: &str) {
        zh: "表 `{table}` 的各行只按年份区分，不能作为列出问题的单位",
        en: "the rows of table `{table}` are told apart by the year alone, so findings cannot be listed under them",
    }
    report_unit_no_key_label() { zh: "每行是一年，不是一个单位", en: "a row per year, not per unit" }
    report_unit_no_key_help(tables: &str) {
        zh: "`unit` 写每行是一个单位（如一所学校）的表：{tables}",
        en: "`unit` names a table with a row per unit (such as a school): {tables}",
    }
    /// The area column is not text or a category.
    report_area(column: &str) {
        zh: "列 `{column}` 既不是文字也不是类别，不能按它分组排序",
        en: "column `{column}` is neither text nor a category, so lists cannot be grouped by it",
    }
    report_area_label() { zh: "按这一列分组", en: "grouped by this column" }
    report_area_help(columns: &str) {
        zh: "`area` 写单位表中的文字或类别列，如 `area township`（乡镇街道）；可选的列：{columns}",
        en: "`area` names a text or category column of the unit table, such as `area township` (乡镇街道); these can be used: {columns}",
    }
    /// A matrix column naming no rule.
    matrix_unknown_rule(family: &str, variant: &str) {
        zh: "没有编号为 `{family}` 或 `{family}.{variant}` 的规则",
        en: "no rule `{family}` or `{family}.{variant}`",
    }
    /// A matrix row naming no variant of its rules.
    matrix_unknown_variant(variant: &str) {
        zh: "表中各列的规则都没有 `{variant}` 这一行（没有以 `.{variant}` 结尾的规则编号）",
        en: "no rule of the matrix's columns is for `{variant}` (no rule id ends in `.{variant}`)",
    }
    matrix_unknown_variant_label() { zh: "没有这一行的规则", en: "no rule for this row" }
    matrix_unknown_variant_help(example: &str, variants: &str) {
        zh: "`rows` 写规则编号的后一段，如 `{example}` 中的这一段；这些列的规则有：{variants}",
        en: "`rows` names the last part of the rule ids, as in `{example}`; the rules of these columns have: {variants}",
    }
    /// A matrix rule not checked for each row of the unit table.
    matrix_scope(rule: &str, table: &str) {
        zh: "规则 `{rule}` 不是逐行检查表 `{table}` 的（`for each {table}`），在这个表中没有每个单位的结果",
        en: "rule `{rule}` is not checked for each row of `{table}` (`for each {table}`), so it has no outcome per unit",
    }
    matrix_scope_label() { zh: "这一列的规则", en: "the rule of this column" }
    matrix_scope_help(table: &str) {
        zh: "表中每一格是一个单位的一项检查：只列 `for each {table}` 的规则",
        en: "each cell is one check of one unit: list only rules `for each {table}`",
    }
}
