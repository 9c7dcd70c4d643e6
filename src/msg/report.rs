//! Messages of the reports: verdicts, not-evaluable reasons, headings.

use crate::diag::Msg;

crate::messages! {
    /// A check needs a value that is empty in the data.
    unevaluable_missing(what: &str) {
        zh: "缺少数据：{what}",
        en: "missing data: {what}",
    }
    /// A check divides by zero.
    unevaluable_zero(what: &str) {
        zh: "分母为零：{what}",
        en: "zero denominator: {what}",
    }
    /// An aggregate over no rows.
    unevaluable_no_rows(what: &str) {
        zh: "没有可计算的数据行：{what}",
        en: "no rows to compute: {what}",
    }
    /// A year-over-year check without the previous year.
    unevaluable_no_previous_year(year: i32) {
        zh: "缺少{year}年的数据，无法逐年比较",
        en: "no data for {year}, so the year-over-year comparison cannot be made",
    }
    /// A table that holds the report year only, asked for another year.
    unevaluable_no_data_for_year(table: &str, year: i32) {
        zh: "{table}没有{year}年的数据（只含报告年度）",
        en: "{table} has no data for {year} (it holds the report year only)",
    }

    /// A rule not in force in the submission's years.
    skip_not_in_force(years: &str) {
        zh: "规则适用年份 {years} 不在报送数据中",
        en: "the rule is in force in {years}, which the data does not cover",
    }
    /// A row rule over an empty table.
    skip_empty_table(table: &str) {
        zh: "表 {table} 没有数据",
        en: "table {table} has no rows",
    }
    /// A row rule that applies to no row.
    skip_no_rows() {
        zh: "没有适用的数据行",
        en: "no row it applies to",
    }
    /// A group rule that applies to no group.
    skip_no_groups() {
        zh: "没有适用的分组",
        en: "no group it applies to",
    }
    /// A year rule when the data has no year.
    skip_no_years() {
        zh: "数据中没有年份（缺少区县表的数据）",
        en: "the data has no year (the district table has no rows)",
    }
}

// ── the text report ─────────────────────────────────────────────────────
crate::messages! {
    /// The report's title line.
    title(version: &str) {
        zh: "dudao {version} — 督导检查报告",
        en: "dudao {version} — inspection report",
    }
    head_submission() { zh: "提交", en: "Submission" }
    head_report_year() { zh: "报告年度", en: "Report year" }
    head_years() { zh: "数据年份", en: "Data years" }
    head_read() { zh: "读入数据", en: "Rows read" }
    head_pack() { zh: "规则包", en: "Rule pack" }
    /// `学校 12 行` in the rows-read line.
    rows_of(table: &str, rows: &str) { zh: "{table} {rows} 行", en: "{table} {rows} rows" }
    /// The rule pack line.
    pack_line(hash: &str, rules: usize) {
        zh: "{hash}（{rules} 条规则）",
        en: "{hash} ({rules} rules)",
    }
    /// The header lines of a layered pack: parameters a later pack changed.
    head_overrides() { zh: "改定参数", en: "Overridden parameters" }
    /// … and rules it took out.
    head_disabled() { zh: "停用规则", en: "Disabled rules" }
    /// One overridden parameter: old → new value, and where it was changed.
    override_line(name: &str, old: &str, new: &str, file: &str, line: usize) {
        zh: "{name}：{old} → {new}（{file} 第 {line} 行）",
        en: "{name}: {old} → {new} ({file}, line {line})",
    }
    /// One disabled rule: why, and where.
    disabled_line(id: &str, reason: &str, file: &str, line: usize) {
        zh: "{id}：{reason}（{file} 第 {line} 行）",
        en: "{id}: {reason} ({file}, line {line})",
    }
    /// Nothing failed and nothing was not evaluable.
    no_findings() {
        zh: "没有未通过或不可评估的检查。",
        en: "No check failed or could not be evaluated.",
    }
    /// A rule block's counts: failed.
    block_failed(n: &str) { zh: "未通过 {n} 项", en: "{n} failed" }
    /// A rule block's counts: not evaluable.
    block_not_evaluable(n: &str) { zh: "不可评估 {n} 项", en: "{n} not evaluable" }
    /// A rule block's counts: checked.
    block_checked(counts: &str, n: &str) {
        zh: "{counts} / 共检查 {n} 项",
        en: "{counts} / {n} checked",
    }
    /// The citation line's label.
    source_label() { zh: "依据", en: "Source" }
    /// More findings than shown.
    more_findings(more: &str, total: &str) {
        zh: "… 另有 {more} 条（共 {total} 条）",
        en: "… {more} more ({total} in all)",
    }
    /// A finding that could not be evaluated.
    not_evaluable_label(reason: &str) { zh: "不可评估：{reason}", en: "not evaluable: {reason}" }
    /// The conditions of a compound rule that failed.
    failed_conditions(list: &str) { zh: "未达标：{list}", en: "not met: {list}" }
    /// Conditions that a row of some kind exists, in words.
    missing_rows(list: &str, table: &str) { zh: "缺少{list}{table}", en: "no {table}: {list}" }
    /// A condition asking for part of another rule's standard.
    share_of_standard(share: &str) { zh: "（不低于要求的{share}）", en: " (at least {share} of the standard)" }
    /// The entity of a district-wide check.
    whole_district() { zh: "全区", en: "district" }
    /// A value and the standard it should meet, when the failed operator has no negation.
    should_be(actual: &str, op: &str, standard: &str) {
        zh: "{actual}（应 {op} {standard}）",
        en: "{actual} (should be {op} {standard})",
    }
    /// The standard alone.
    should_be_only(op: &str, standard: &str) { zh: "应 {op} {standard}", en: "should be {op} {standard}" }
    /// The numbers a value was computed from, when not a ratio.
    data_parts(list: &str) { zh: "数据：{list}", en: "data: {list}" }

    district_values_title() {
        zh: "区县指标（全区、分年度和分组检查的实测值，达标与否均列出）",
        en: "District indicators (every district-wide, yearly and group check with its value, met or not)",
    }

    // the summary table
    summary_title() { zh: "汇总", en: "Summary" }
    col_rule() { zh: "规则", en: "Rule" }
    col_title() { zh: "标题", en: "Title" }
    col_severity() { zh: "级别", en: "Severity" }
    col_status() { zh: "状态", en: "Status" }
    col_checked() { zh: "检查", en: "Checked" }
    col_passed() { zh: "通过", en: "Passed" }
    col_failed() { zh: "未通过", en: "Failed" }
    col_not_evaluable() { zh: "不可评估", en: "Not evaluable" }
    status_passed() { zh: "通过", en: "passed" }
    status_failed() { zh: "未通过", en: "failed" }
    status_not_evaluable() { zh: "不可评估", en: "not evaluable" }
    status_not_checked() { zh: "未检查", en: "not checked" }
    /// A rule that made no check, with why.
    not_checked_note(id: &str, reason: &str) {
        zh: "未检查：{id} {reason}",
        en: "not checked: {id} {reason}",
    }
    /// A rule whose checks all fell outside its scope.
    nothing_to_check() { zh: "没有检查对象", en: "nothing to check" }

    /// The totals line.
    totals(binding: &str, expected: &str, info: &str, not_evaluable: &str, checks: &str, passed: &str, skipped: &str) {
        zh: "合计：约束性未达标 {binding} 项，预期性未达标 {expected} 项，参考 {info} 项，不可评估 {not_evaluable} 项（共检查 {checks} 项，通过 {passed} 项；{skipped} 条规则未检查）",
        en: "Totals: {binding} binding failures, {expected} expected failures, {info} for information, {not_evaluable} not evaluable ({checks} checks, {passed} passed; {skipped} rules not checked)",
    }
    verdict_label() { zh: "结论", en: "Verdict" }
    verdict_pass() { zh: "通过", en: "pass" }
    verdict_fail() { zh: "未通过", en: "fail" }
    verdict_incomplete() { zh: "数据不完整，无法判定", en: "incomplete data, no verdict" }
    verdict_undetermined() { zh: "无法判定", en: "no verdict" }
    /// Why a pass has remarks: expected indicators missed.
    note_expected_rules(n: &str) {
        zh: "{n} 项预期性指标未达标",
        en: "{n} expected indicators not met",
    }
    /// Why a pass has remarks: non-binding checks not evaluable.
    note_not_evaluable(n: &str) {
        zh: "{n} 项非约束性检查不可评估",
        en: "{n} non-binding checks could not be evaluated",
    }
    /// A pass with remarks.
    pass_with_notes(notes: &Msg) {
        zh: "约束性指标均已达标；{notes}",
        en: "all binding standards are met; {notes}",
    }
    /// A pass without remarks.
    pass_plain(checks: &str) {
        zh: "约束性指标均已达标（共检查 {checks} 项）",
        en: "all binding standards are met ({checks} checks)",
    }
    /// A failure.
    fail_rules(n: &str) {
        zh: "{n} 项约束性指标未达标",
        en: "{n} binding standards not met",
    }
    /// A failure found in incomplete data (`--allow-incomplete`).
    fail_incomplete(n: &str) {
        zh: "{n} 项约束性指标未达标（数据不完整，仅检查了已有数据）",
        en: "{n} binding standards not met (incomplete data: only what is there was checked)",
    }
    /// Incomplete, and not checked.
    incomplete_not_checked() {
        zh: "未进行检查：请补齐上面列出的数据后重新检查（或用 --allow-incomplete 只检查已有数据）",
        en: "not checked; complete the data listed above and check again (or use --allow-incomplete to check what is there)",
    }
    /// Incomplete, checked what is there, no binding failure.
    incomplete_checked(checks: &str) {
        zh: "已检查现有数据（{checks} 项），未发现约束性指标未达标，但数据不完整，不能判定为通过",
        en: "what is there was checked ({checks} checks) and no binding standard failed, but the data is incomplete, so this is not a pass",
    }
    /// Nothing could be checked at all.
    undetermined_no_checks() {
        zh: "没有可检查的项目：所有规则均未检查（见汇总）",
        en: "nothing could be checked: no rule made a check (see the summary)",
    }
    /// Binding checks that could not be evaluated.
    undetermined_binding(n: &str, rules: &str) {
        zh: "{n} 项约束性检查不可评估（规则 {rules}），无法判定是否达标",
        en: "{n} binding checks could not be evaluated (rules {rules}), so compliance cannot be judged",
    }

    // the completeness section
    completeness_title() { zh: "数据完整性", en: "Completeness" }
    complete_ok() { zh: "完整：规则用到的表均有数据", en: "complete: every table the rules read has rows" }
    /// A table the rules read, with no file.
    missing_table(table: &str, files: &str, rules: &str) {
        zh: "缺少表 {table}：没有找到 {files}（{rules} 条规则要用到）",
        en: "missing table {table}: no {files} found ({rules} rules read it)",
    }
    /// A table the rules read, with a file but no rows.
    empty_table(table: &str, rules: &str) {
        zh: "表 {table} 没有数据行（{rules} 条规则要用到）",
        en: "table {table} has no data rows ({rules} rules read it)",
    }
    /// An input matched to no table.
    unmatched_input(what: &str) {
        zh: "{what}",
        en: "{what}",
    }
    /// No year in the data.
    no_year(table: &str) {
        zh: "数据中没有年份：{table}表没有数据，无法确定报告年度",
        en: "the data has no year: table {table} has no rows, so the report year is unknown",
    }
    /// The year given with --year is not the data's latest year.
    year_mismatch_option(year: i32, latest: i32) {
        zh: "报告年度为 {year} 年（--year），但数据中最新的年份是 {latest} 年：区县表缺少报告年度的数据",
        en: "the report year is {year} (--year), but the latest year in the data is {latest}: the year table lacks the report year",
    }
    /// The year in the submission's name is not the data's latest year.
    year_mismatch_name(year: i32, latest: i32) {
        zh: "提交名称表明报告年度为 {year} 年，但数据中最新的年份是 {latest} 年：区县表缺少报告年度的数据（如报告年度确为 {latest} 年，请加 --year {latest}）",
        en: "the submission's name says {year}, but the latest year in the data is {latest}: the year table lacks the report year (if the report year is {latest}, add --year {latest})",
    }

    // warnings
    warnings_title(n: &str) { zh: "读取提示（{n} 条）", en: "Warnings while reading ({n})" }
}

// ── the batch summary ───────────────────────────────────────────────────
crate::messages! {
    batch_rank() { zh: "排名", en: "Rank" }
    batch_submission() { zh: "提交", en: "Submission" }
    batch_binding() { zh: "约束性未达标", en: "Binding failures" }
    batch_binding_rules() { zh: "未达标规则", en: "Rules failed" }
    batch_expected() { zh: "预期性未达标", en: "Expected failures" }
    /// A submission that could not be loaded.
    batch_not_loaded(error: &str) { zh: "无法读取：{error}", en: "not loaded: {error}" }
    /// The batch's last line.
    batch_totals(n: &str, failed: &str, passed: &str, undetermined: &str, errors: &str) {
        zh: "共 {n} 份提交：{failed} 份未通过，{passed} 份通过，{undetermined} 份数据不完整或无法判定，{errors} 份无法读取",
        en: "{n} submissions: {failed} failed, {passed} passed, {undetermined} incomplete or without a verdict, {errors} not loaded",
    }
}

// ── the HTML report and the workbook ────────────────────────────────────
crate::messages! {
    html_title() { zh: "督导检查报告", en: "Inspection report" }
    html_warnings() { zh: "读取提示", en: "Warnings while reading" }
    html_indicators() { zh: "区县指标", en: "District indicators" }
    html_findings() { zh: "问题清单", en: "Findings" }
    html_by_school() { zh: "按学校", en: "By school" }
    html_matrices() { zh: "学校指标", en: "School indicators" }
    html_charts() { zh: "分布", en: "Distributions" }
    html_not_evaluable() { zh: "不可评估的检查", en: "Checks that could not be evaluated" }
    html_rules() { zh: "规则与依据", en: "Rules and sources" }
    html_data() { zh: "数据读取说明", en: "Data read" }
    html_all() { zh: "全部", en: "all" }
    html_search() { zh: "搜索学校、规则…", en: "search schools, rules…" }
    html_standard_of(s: &str) { zh: "（标准 {s}）", en: " (standard {s})" }
    html_chart_rates() { zh: "比率指标与标准", en: "Rates against their standards" }
    html_chart_coefficients() { zh: "系数指标（如差异系数）与标准", en: "Coefficients (such as the coefficient of variation) against their limits" }
    html_chart_counts() { zh: "数目指标与标准", en: "Counts against their standards" }
    html_chart_values(unit: &str) { zh: "以 {unit} 计的指标与标准", en: "Indicators in {unit} against their standards" }
    html_chart_bars_note() {
        zh: "条形为报告年度的实测值，黑色竖线为标准；绿色达标，红色约束性未达标，橙色预期性未达标",
        en: "bars are the report year's values, the black tick the standard; green met, red binding failure, orange expected failure",
    }
    html_chart_course_note() {
        zh: "虚线为规划从基期到目标年的直线进度，红点为各年度实测值",
        en: "the dashed line is the plan's straight course from the baseline to the target, the red dots the values of each year",
    }
    html_chart_years_note() {
        zh: "红线为各年度实测值，虚线为各年度的标准",
        en: "the red line is each year's value, the dashed line each year's standard",
    }
    html_chart_split(what: &str, variant: &str) { zh: "{what}分布：{variant}", en: "{what}: {variant}" }
    html_batch_courses() { zh: "规划进度指标：各份提交对照规划", en: "Plan indicators: each submission against the plan" }
    html_chart_split_title() { zh: "班额等分布（按学段）", en: "Distributions by stage" }
    html_chart_batch_course() {
        zh: "虚线为规划从基期到目标年的直线进度，红点为各份提交在其报告年度的实测值",
        en: "the dashed line is the plan's straight course from the baseline to the target, the red dots each submission's value in its report year",
    }
    html_chart_hist_note(total: usize, failed: usize) {
        zh: "共 {total} 个检查对象，红色为未达标的 {failed} 个；虚线为标准",
        en: "{total} checked, {failed} not meeting the standard in red; dashed lines are the standards",
    }
    col_year() { zh: "年度", en: "Year" }
    col_entity() { zh: "检查对象", en: "Checked" }
    col_area() { zh: "乡镇街道", en: "Area" }
    col_key() { zh: "学校标识码", en: "Id" }
    col_name() { zh: "学校名称", en: "Name" }
    col_part() { zh: "班级/教师", en: "Class / teacher" }
    col_indicator() { zh: "指标", en: "Indicator" }
    col_value() { zh: "实际值", en: "Value" }
    col_standard() { zh: "标准", en: "Standard" }
    col_gap() { zh: "差距", en: "Gap" }
    col_basis() { zh: "依据", en: "Basis" }
    col_reason() { zh: "原因", en: "Reason" }
    col_message() { zh: "说明", en: "Message" }
    col_quote() { zh: "原文", en: "Quoted sentence" }
    col_file() { zh: "文件", en: "File" }
    col_rows() { zh: "行数", en: "Rows" }
    col_variant() { zh: "学段", en: "Stage" }
    col_nature() { zh: "性质", en: "Nature" }
    col_measure() { zh: "整改措施", en: "Measures" }
    col_deadline() { zh: "整改时限", en: "Deadline" }
    col_owner() { zh: "责任人", en: "Responsible" }
    col_location() { zh: "数据位置", en: "Location in the data" }
    col_sha() { zh: "SHA-256", en: "SHA-256" }
    col_note() { zh: "读取方式", en: "How it was read" }
    col_code() { zh: "代码", en: "Code" }
    html_batch_title() { zh: "督导检查汇总", en: "Inspection summary" }
    html_batch_ranking() { zh: "排名", en: "Ranking" }
    html_batch_matrix() { zh: "提交 × 规则", en: "Submissions × rules" }
    html_batch_not_loaded() { zh: "无法读取的提交", en: "Submissions that could not be loaded" }
    html_batch_legend() {
        zh: "✓ 达标　✗ 未达标　? 不可评估　— 未检查",
        en: "✓ met  ✗ not met  ? not evaluable  — not checked",
    }
    batch_error() { zh: "无法读取", en: "not loaded" }
    html_batch_per_school() { zh: "每校约束性问题", en: "Binding failures per school" }
    html_batch_schools() { zh: "有问题的学校", en: "Schools with findings" }
    html_batch_report() { zh: "报告", en: "Report" }
    sheet_summary() { zh: "汇总", en: "Summary" }
    sheet_list() { zh: "整改清单", en: "Rectification list" }
    sheet_matrix() { zh: "学校指标", en: "School indicators" }
    sheet_not_evaluable() { zh: "不可评估", en: "Not evaluable" }
    sheet_rules() { zh: "规则与依据", en: "Rules and sources" }
    sheet_data() { zh: "数据读取说明", en: "Data read" }
    sheet_values() { zh: "区县指标", en: "District indicators" }
    /// A sheet of the workbook could not hold its whole list.
    sheet_cut(sheet: &str, shown: &str, total: &str, left: &str) {
        zh: "工作表“{sheet}”只列出前 {shown} 行（共 {total} 行，{left} 行未列出：超出工作表行数上限）",
        en: "sheet “{sheet}” lists only the first {shown} of {total} rows ({left} left out: the sheet's row limit)",
    }
    sheet_cut_help(limit: &str) {
        zh: "一张工作表最多 {limit} 行（含表头和说明行）；完整清单见 report.json（check --out 与报告一起写出，或用 --format json）",
        en: "a sheet holds at most {limit} rows (header and note included); report.json has the full list (written with the reports by check --out, or --format json)",
    }
    /// The pack declares no table of outcomes by school.
    matrix_not_declared() {
        zh: "规则包没有声明学校指标表，本表为空",
        en: "the rule pack declares no table of school indicators; this sheet is empty",
    }
    /// Heading of the lines that say which sheets were cut.
    sheets_cut_title() { zh: "未列全的工作表", en: "Sheets not listed in full" }
}
