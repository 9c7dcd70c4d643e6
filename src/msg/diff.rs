//! Messages of `dudao diff`: two checks' findings compared.

crate::messages! {
    // ── reading the reports ─────────────────────────────────────────────
    /// A report file that cannot be used, and why.
    bad_report(file: &str, what: &crate::diag::Msg) {
        zh: "无法比较 `{file}`：{what}",
        en: "cannot compare `{file}`: {what}",
    }
    bad_report_help() {
        zh: "给出 `dudao check --format json` 写出的报告（.json），或者直接给出两份报送数据的文件夹或工作簿",
        en: "give reports written by `dudao check --format json` (.json), or give the two submissions' folders or workbooks",
    }
    file_not_found() { zh: "文件不存在", en: "the file does not exist" }
    read_failed(error: &str) { zh: "文件无法读取（{error}）", en: "the file cannot be read ({error})" }
    not_json() { zh: "不是有效的 JSON（此处有语法错误）", en: "it is not valid JSON (a syntax error here)" }
    json_cut() {
        zh: "JSON 在此处中断，文件不完整",
        en: "the JSON stops here: the file is incomplete",
    }
    not_a_report_here() {
        zh: "不是 dudao 的检查报告（此处的值不是报告应有的类型）",
        en: "it is not a dudao report (the value here is not of the type a report has)",
    }
    not_a_report() {
        zh: "不是 dudao 的检查报告（没有 submission 和 findings）",
        en: "it is not a dudao report (no submission and findings)",
    }
    rules_failed() {
        zh: "这份报告记录的是规则包编译失败，没有检查结果",
        en: "this report records a rule pack that did not compile: it has no findings",
    }
    rules_failed_help() {
        zh: "先改好规则包中的错误（`dudao check` 会列出），再重新生成报告",
        en: "fix the rule pack's errors first (`dudao check` lists them), then write the report again",
    }
    here() { zh: "此处", en: "here" }
    mixed_reports(one: &str, many: &str, n: usize) {
        zh: "`{one}` 是一份报送数据的报告，`{many}` 是 {n} 份报送数据的汇总报告，无法逐条对应",
        en: "`{one}` reports one submission and `{many}` a batch of {n}: their findings cannot be matched",
    }
    mixed_reports_help() {
        zh: "两边都用同样的一组报送数据重新生成报告（`dudao check --format json 数据1 数据2 …`）",
        en: "make both reports from the same list of submissions (`dudao check --format json A B …`)",
    }
    not_comparable(submission: &str, side: &crate::diag::Msg, why: &crate::diag::Msg) {
        zh: "`{submission}` 无法比较：{side}{why}",
        en: "`{submission}` cannot be compared: {side} {why}",
    }
    not_comparable_help() {
        zh: "它的检查结果不计入比较；先让这份数据能完整检查（`dudao check` 会说明原因）",
        en: "its findings are left out of the comparison; make the data checkable first (`dudao check` says why)",
    }
    reason_failed_to_load() { zh: "数据无法读取", en: "could not be loaded" }
    reason_absent() {
        zh: "报告中没有这份数据",
        en: "is not in the report",
    }
    reason_not_checked() {
        zh: "数据不完整，未检查",
        en: "was not checked (incomplete data)",
    }

    // ── the command line ────────────────────────────────────────────────
    cmd_diff() {
        zh: "比较两次检查的结果：两份 JSON 报告；同一数据在新旧规则包下；或同一区县的两份报送数据。列出新增、不再出现（已整改）、有变化和未变（仍存在）的问题。退出码：0 无变化；1 有变化；2 出错或有数据无法比较",
        en: "compare two checks' findings: two JSON reports; the same data under an old and a new rule pack; or two submissions of one district. Lists the findings added, removed (fixed), changed and persisting. Exit code: 0 no change; 1 changes; 2 errors, or data that could not be compared",
    }
    diff_inputs() {
        zh: "两份报告（以 .json 结尾）；或与 --old-rules/--new-rules 一起给一份或多份报送数据；或同一区县的旧、新两份报送数据（文件夹或工作簿）",
        en: "two reports (ending in .json); or, with --old-rules/--new-rules, one or more submissions; or the old and the new submission of one district (folders or workbooks)",
    }
    diff_old_rules() {
        zh: "旧规则包文件夹（可重复，按顺序叠加）",
        en: "the old rule pack folder (repeatable: layered in order)",
    }
    diff_new_rules() {
        zh: "新规则包文件夹（可重复，按顺序叠加）",
        en: "the new rule pack folder (repeatable: layered in order)",
    }
    diff_format() {
        zh: "输出格式：text（文本）或 json",
        en: "output format: text or json",
    }
    diff_max() {
        zh: "每条规则的每类变化最多列出几条（数量总是完整的）",
        en: "at most this many findings of each change per rule (the counts are always whole)",
    }
    mixed_json_and_data(json: &str, data: &str) {
        zh: "`{json}` 是报告（.json），`{data}` 是报送数据：两者不能混在一起比较",
        en: "`{json}` is a report (.json) and `{data}` a submission: they cannot be compared with each other",
    }
    mixed_inputs_help() {
        zh: "比较两份报告：dudao diff 旧.json 新.json；比较新旧规则：dudao diff --old-rules 旧规则 --new-rules 新规则 数据…；比较同一区县的两份数据：dudao diff 旧数据 新数据",
        en: "two reports: dudao diff OLD.json NEW.json; two rule packs: dudao diff --old-rules A --new-rules B DATA…; two submissions of one district: dudao diff OLD NEW",
    }
    two_reports_needed(n: usize) {
        zh: "需要两份报告（旧、新），给了 {n} 份",
        en: "two reports are needed (old, new); {n} given",
    }
    two_submissions_needed(n: usize) {
        zh: "需要同一区县的两份报送数据（旧、新），给了 {n} 份",
        en: "two submissions of one district are needed (old, new); {n} given",
    }
    one_rules_side(given: &str, missing: &str) {
        zh: "给了 {given}，缺少 {missing}",
        en: "{given} is given without {missing}",
    }
    rules_with_reports() {
        zh: "比较两份报告时不需要规则包：报告里已有检查结果",
        en: "comparing two reports needs no rule pack: the reports hold the findings",
    }
    option_with_reports(option: &str) {
        zh: "比较两份报告时 {option} 不起作用：报告里的检查已经做完",
        en: "{option} does nothing when comparing two reports: their checks are done",
    }
    rules_with_old_new() {
        zh: "--rules 不能与 --old-rules/--new-rules 一起使用",
        en: "--rules cannot be used with --old-rules/--new-rules",
    }
    no_submission() {
        zh: "没有给出要用新旧规则检查的报送数据",
        en: "no submission to check under the old and the new rules",
    }
    submission_failed(label: &str, n: usize) {
        zh: "报送数据 `{label}` 无法读取（{n} 个错误）",
        en: "the submission `{label}` could not be loaded ({n} errors)",
    }

    // ── the text ────────────────────────────────────────────────────────
    title(version: &str) { zh: "dudao {version} — 检查结果比较", en: "dudao {version} — findings compared" }
    side_old() { zh: "旧", en: "old" }
    side_new() { zh: "新", en: "new" }
    side_one_year(name: &str, year: i32) {
        zh: "{name}，报告年度 {year}",
        en: "{name}, report year {year}",
    }
    side_many(n: usize) { zh: "{n} 份报送数据", en: "{n} submissions" }
    side_pack(hash: &str) { zh: "，规则包 {hash}", en: ", rule pack {hash}" }
    compared() { zh: "比较", en: "compared" }
    kind_rules() {
        zh: "同样的数据，规则包不同",
        en: "the same data under two rule packs",
    }
    kind_submissions() {
        zh: "同一规则包，报送数据不同（消失的问题即已整改）",
        en: "the same rule pack over two submissions (a finding gone is fixed)",
    }
    kind_both() {
        zh: "规则包和报送数据都不同",
        en: "both the rule pack and the data differ",
    }
    kind_same() {
        zh: "同样的数据，同一规则包",
        en: "the same data under the same rule pack",
    }
    years_from_report() {
        zh: "年份按各自的报告年度对应（报告年度对报告年度，上一年对上一年）",
        en: "years matched from each side's report year (report year to report year, the year before to the year before)",
    }
    years_as_is() { zh: "按年份对应", en: "years matched as they are" }
    word_added() { zh: "新增", en: "added" }
    word_removed() { zh: "不再出现", en: "removed" }
    word_fixed() { zh: "已整改", en: "fixed" }
    word_changed() { zh: "有变化", en: "changed" }
    word_unchanged() { zh: "未变", en: "unchanged" }
    word_persisting() { zh: "仍存在", en: "persisting" }
    count_of(word: &crate::diag::Msg, n: usize) { zh: "{word} {n} 条", en: "{word} {n}" }
    no_findings() { zh: "没有问题", en: "no findings" }
    list_sep() { zh: "，", en: ", " }
    group_head(word: &crate::diag::Msg, n: usize) { zh: "{word}（{n} 条）", en: "{word} ({n})" }
    not_comparable_head() { zh: "无法比较:", en: "not compared:" }
    col_rule() { zh: "规则", en: "rule" }
    col_title() { zh: "名称", en: "title" }
    total() { zh: "合计", en: "total" }
    verdict_same(counts: &str) {
        zh: "结论: 无变化（{counts}）",
        en: "result: no change ({counts})",
    }
    verdict_changed(counts: &str, rules: usize) {
        zh: "结论: 有变化 — {counts}，涉及 {rules} 条规则",
        en: "result: changed — {counts}, in {rules} rule(s)",
    }
    verdict_incomplete(n: usize) {
        zh: "结论: 无法完整比较 — {n} 份报送数据未能比较（见“无法比较”）",
        en: "result: incomplete — {n} submission(s) could not be compared (see \"not compared\")",
    }
}
