//! Messages of `dudao test`: the test cases of a rule pack
//! (`tests/<case>/expected.toml`), their results and their coverage.

crate::messages! {
    // ── help ────────────────────────────────────────────────────────────
    cmd_test() {
        zh: "运行规则包的测试用例（规则文件夹下 tests/<用例>/expected.toml）。退出码：0 全部通过；1 有用例未通过；2 用例或规则有误",
        en: "run the rule pack's test cases (tests/<case>/expected.toml beside the rules). Exit code: 0 all passed; 1 a case failed; 2 a case or the rules have errors",
    }
    test_cases() {
        zh: "只运行名称中含这些文字之一的用例",
        en: "run only the cases whose name contains one of these",
    }
    test_accept() {
        zh: "把当前的检查结果写成各用例的预期结果（改写 expected.toml，保留 year、submission、rules 和开头的注释）；用版本管理中的差异审核",
        en: "write the current findings as each case's expected ones (rewrites expected.toml, keeping year, submission, rules and the comments above them); review the diff in version control",
    }
    test_coverage() {
        zh: "列出每条规则通过和未通过的用例，以及没有用例的规则",
        en: "list each rule with its passing and failing cases, and the rules that have none",
    }

    // ── results ─────────────────────────────────────────────────────────
    summary(passed: usize, failed: usize) {
        zh: "{passed} 通过，{failed} 未通过",
        en: "{passed} passed, {failed} failed",
    }
    bad_cases(n: usize) {
        zh: "{n} 个用例写得有误，未运行（错误见上）",
        en: "{n} case(s) are written wrong and were not run (the errors are above)",
    }
    bad_case_note(n: usize) {
        zh: "用例写得有误，未运行（{n} 个错误，见错误输出）",
        en: "the case is written wrong and was not run ({n} error(s), see stderr)",
    }
    missing_header() {
        zh: "缺少（预期有，实际没有）：",
        en: "missing (expected, not found):",
    }
    unexpected_header() {
        zh: "多出（实际有，预期没有）：",
        en: "unexpected (found, not expected):",
    }
    not_checked(rule: &str, reason: &str) {
        zh: "规则 {rule} 没有检查任何对象：{reason}",
        en: "rule {rule} made no check: {reason}",
    }
    not_checked_unknown() {
        zh: "报告中没有这条规则",
        en: "the rule is not in the report",
    }
    incomplete(detail: &str) {
        zh: "规则未运行：{detail}",
        en: "the rules were not run: {detail}",
    }
    load_failed(n: usize) {
        zh: "报送数据无法读取（{n} 个错误，见错误输出）",
        en: "the submission cannot be read ({n} error(s), see stderr)",
    }
    case_header(case: &str) {
        zh: "用例 {case}：",
        en: "case {case}:",
    }
    accepted(path: &str, n: usize) {
        zh: "已写入 {path}（{n} 条预期结果）",
        en: "wrote {path} ({n} expected finding(s))",
    }
    accepted_unchanged(path: &str) {
        zh: "{path} 无需改动",
        en: "{path} unchanged",
    }
    not_accepted() {
        zh: "未改写 expected.toml：没有检查结果可写",
        en: "expected.toml not rewritten: there are no findings to write",
    }

    // ── coverage ────────────────────────────────────────────────────────
    coverage_rule() { zh: "规则", en: "rule" }
    coverage_passing() { zh: "通过的用例", en: "passing cases" }
    coverage_failing() { zh: "未通过的用例", en: "failing cases" }
    coverage_none(n: usize) {
        zh: "没有用例的规则（{n} 条）：",
        en: "rules without a case ({n}):",
    }
    coverage_total(covered: usize, total: usize) {
        zh: "{total} 条规则中 {covered} 条有用例",
        en: "{covered} of {total} rules have a case",
    }

    // ── errors in a case ────────────────────────────────────────────────
    bad_toml(detail: &str) {
        zh: "expected.toml 写得不对：{detail}",
        en: "expected.toml is not a test case: {detail}",
    }
    bad_case_help() {
        zh: "expected.toml 的写法：year = 2025（可省略）、submission = \"路径\"（可省略）、rules = [\"规则编号\", …]，每条预期结果一段 [[finding]]，含 rule、year、entity、outcome（\"fail\" 或 \"not_evaluable\"）、value（可省略）",
        en: "expected.toml holds: year = 2025 (optional), submission = \"path\" (optional), rules = [\"RULE\", …], and one [[finding]] per expected finding with rule, year, entity, outcome (\"fail\" or \"not_evaluable\") and value (optional)",
    }
    label_here() { zh: "此处", en: "here" }
    unknown_field(name: &str) {
        zh: "没有 `{name}` 这一项",
        en: "there is no field `{name}`",
    }
    unknown_field_label() { zh: "不认识", en: "unknown" }
    missing_field(name: &str) {
        zh: "这条预期结果缺少 {name}",
        en: "this expected finding has no {name}",
    }
    missing_field_label(name: &str) { zh: "缺少 {name}", en: "no {name}" }
    no_rules() {
        zh: "用例没有列出要测试的规则",
        en: "the case names no rule to test",
    }
    no_rules_help() {
        zh: "在文件开头写 rules = [\"规则编号\", …]：只比较这些规则的检查结果",
        en: "write rules = [\"RULE\", …] at the top: only the findings of these rules are compared",
    }
    rule_twice(rule: &str) {
        zh: "规则 `{rule}` 列了两次",
        en: "rule `{rule}` is listed twice",
    }
    rule_twice_label() { zh: "又一次", en: "again" }
    rule_twice_help() { zh: "删去重复的一项", en: "remove the repeated entry" }
    unknown_rule(rule: &str) {
        zh: "规则包中没有规则 `{rule}`",
        en: "the rule pack has no rule `{rule}`",
    }
    unknown_rule_label() { zh: "没有这条规则", en: "no such rule" }
    did_you_mean(name: &str) { zh: "是不是 `{name}`？", en: "did you mean `{name}`?" }
    unknown_rule_help() {
        zh: "规则编号见 `dudao rules` 的第一列",
        en: "the rule ids are the first column of `dudao rules`",
    }
    rule_not_in_scope(rule: &str) {
        zh: "预期结果的规则 `{rule}` 不在 rules 中",
        en: "the expected finding's rule `{rule}` is not in rules",
    }
    rule_not_in_scope_label() { zh: "不在 rules 中", en: "not in rules" }
    rule_not_in_scope_help(rule: &str) {
        zh: "用例只比较 rules 所列规则的结果：把 `{rule}` 加到 rules 中，或删去这条预期结果",
        en: "a case compares only the findings of the rules it lists: add `{rule}` to rules, or remove this expected finding",
    }
    bad_outcome(value: &str) {
        zh: "outcome 不能是 `{value}`",
        en: "outcome cannot be `{value}`",
    }
    bad_outcome_label() { zh: "应为 \"fail\" 或 \"not_evaluable\"", en: "expected \"fail\" or \"not_evaluable\"" }
    bad_outcome_help() {
        zh: "outcome 写 \"fail\"（未达标）或 \"not_evaluable\"（无法评估）；通过的检查不写",
        en: "write \"fail\" (the check failed) or \"not_evaluable\" (it could not be evaluated); passed checks are not listed",
    }
    bad_year(year: i64) {
        zh: "年份 {year} 不在 1900–2100 之间",
        en: "the year {year} is not between 1900 and 2100",
    }
    bad_year_label() { zh: "不是年份", en: "not a year" }
    bad_year_help() {
        zh: "写四位年份，如 year = 2025；不与年份相关的检查省略 year",
        en: "write a year of four digits, e.g. year = 2025; leave year out for checks not tied to a year",
    }
    empty_entity() {
        zh: "entity 是空的",
        en: "entity is empty",
    }
    empty_entity_label() { zh: "空", en: "empty" }
    entity_help() {
        zh: "entity 写检查对象：学校或班级写其编号（如 \"5001020002\"），分组写 \"列=值\"（如 \"乡镇街道=龙都街道\"），全区写 \"全区\"",
        en: "entity names what was checked: a school's or class's id (\"5001020002\"), a group as \"column=value\" (\"乡镇街道=龙都街道\"), the whole district as \"全区\"",
    }
    finding_twice() {
        zh: "同一条预期结果（规则、年份、对象相同）写了两次",
        en: "the same expected finding (rule, year and entity) is written twice",
    }
    finding_twice_label() { zh: "又一次", en: "again" }
    finding_twice_help() { zh: "删去重复的一段 [[finding]]", en: "remove the repeated [[finding]]" }
    no_expected(case: &str) {
        zh: "用例 `{case}` 没有 expected.toml",
        en: "case `{case}` has no expected.toml",
    }
    no_expected_help() {
        zh: "每个用例文件夹有一个 expected.toml，至少写明 rules = [\"规则编号\", …]；再运行 `dudao test --accept` 写入当前的检查结果",
        en: "each case folder holds an expected.toml with at least rules = [\"RULE\", …]; then `dudao test --accept` writes the current findings",
    }
    read_failed(file: &str, error: &str) {
        zh: "无法读取 {file}：{error}",
        en: "cannot read {file}: {error}",
    }
    read_failed_help() {
        zh: "检查文件是否存在、是否为 UTF-8 文本",
        en: "check that the file exists and is UTF-8 text",
    }
    submission_and_files() {
        zh: "用例既有 submission 又有自己的报送数据文件",
        en: "the case has both a submission line and data files of its own",
    }
    submission_and_files_label() { zh: "指向别处的报送数据", en: "a submission elsewhere" }
    submission_and_files_help(files: &str) {
        zh: "二者只能取一：删去 submission 这一行，或删去用例文件夹中的 {files}",
        en: "keep one: remove the submission line, or remove {files} from the case folder",
    }
    submission_not_found(path: &str) {
        zh: "找不到报送数据 `{path}`",
        en: "the submission `{path}` does not exist",
    }
    submission_not_found_label() { zh: "找不到", en: "not found" }
    submission_not_found_help() {
        zh: "submission 是相对于用例文件夹的路径，指向一个报送数据文件夹或工作簿",
        en: "submission is a path relative to the case folder, to a submission folder or workbook",
    }
    no_submission(case: &str) {
        zh: "用例 `{case}` 没有报送数据",
        en: "case `{case}` has no submission",
    }
    no_submission_help() {
        zh: "把报送数据（每张表一个 CSV 文件，或一个工作簿）放进用例文件夹，或在 expected.toml 中写 submission = \"路径\"",
        en: "put the submission (one CSV file per table, or one workbook) in the case folder, or write submission = \"path\" in expected.toml",
    }
    several_workbooks(case: &str, files: &str) {
        zh: "用例 `{case}` 有多个工作簿：{files}",
        en: "case `{case}` holds several workbooks: {files}",
    }
    several_workbooks_help() {
        zh: "一个用例只有一份报送数据：留下一个工作簿，其余放到另一个用例中",
        en: "a case has one submission: keep one workbook and move the others to cases of their own",
    }
    no_tests(dir: &str) {
        zh: "规则包中没有测试用例（{dir} 不存在或是空的）",
        en: "the rule pack has no test cases ({dir} is missing or empty)",
    }
    no_tests_help() {
        zh: "每个用例是 tests/ 下的一个文件夹，含报送数据和 expected.toml",
        en: "each case is a folder under tests/ with a submission and an expected.toml",
    }
    no_tests_embedded() {
        zh: "内置规则包不带测试用例",
        en: "the built-in rule pack has no test cases",
    }
    no_tests_embedded_help() {
        zh: "用 --rules 给出规则包文件夹",
        en: "give the rule pack folder with --rules",
    }
    no_match(filters: &str) {
        zh: "没有名称含 {filters} 的用例",
        en: "no case name contains {filters}",
    }
    no_match_help(cases: &str) {
        zh: "用例有：{cases}",
        en: "the cases are: {cases}",
    }
}
