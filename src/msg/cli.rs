//! Messages of the command line: help texts, argument errors, batch and
//! output messages.

crate::messages! {
    // ── help ────────────────────────────────────────────────────────────
    about() {
        zh: "督导 — 按规划和国家标准检查教育统计数据",
        en: "督导 — checks education data against the standards that plans and national rules set",
    }
    help_usage() { zh: "用法", en: "Usage" }
    help_commands() { zh: "命令", en: "Commands" }
    help_arguments() { zh: "参数", en: "Arguments" }
    help_options() { zh: "选项", en: "Options" }
    help_help() { zh: "显示帮助", en: "Print help" }
    help_default(value: &str) { zh: "（默认：{value}）", en: " (default: {value})" }
    help_possible(list: &str) { zh: "（可选：{list}）", en: " (possible values: {list})" }
    help_version() { zh: "显示版本", en: "Print version" }
    help_lang() {
        zh: "提示信息的语言：zh（中文，默认）或 en（英文）；也可用环境变量 DUDAO_LANG",
        en: "language of messages: zh (Chinese, the default) or en; also the DUDAO_LANG variable",
    }
    help_rules() {
        zh: "规则包文件夹（.dudao 文件）",
        en: "the rule pack folder (.dudao files)",
    }

    cmd_check() {
        zh: "检查一份或多份报送数据。退出码：0 通过；1 有约束性指标未达标；2 规则或数据无法读取；3 数据不完整或无法判定",
        en: "check one or more submissions. Exit code: 0 pass; 1 binding failures; 2 rules or data could not be read; 3 incomplete data or no verdict",
    }
    check_submissions() {
        zh: "报送数据：每张表一个 CSV 文件的文件夹，或 Excel 工作簿（.xlsx、.xls，每张表一个工作表）；不填时检查自带的示例",
        en: "submissions: folders with one CSV file per table, or Excel workbooks (.xlsx, .xls: one sheet per table); the bundled example when none is given",
    }
    check_format() {
        zh: "输出格式：text（文本）、json、html（网页报告）或 xlsx（问题工作簿，需 -o）",
        en: "output format: text, json, html (the report page) or xlsx (the findings workbook; needs -o)",
    }
    check_by() {
        zh: "文字报告的分组：rule（按规则）或 school（按学校，每所学校列出它的全部问题）",
        en: "how the text report groups findings: rule or school (each school with all its findings)",
    }
    help_color() {
        zh: "颜色：auto（终端中着色，设置了 NO_COLOR 时不着色）、always 或 never",
        en: "colour: auto (in a terminal, unless NO_COLOR is set), always or never",
    }
    check_out() {
        zh: "把每份提交的 报告.html、报告.xlsx、report.json 写到这个文件夹（多份时还有 汇总.html、汇总.xlsx）；标准输出只给简短结论",
        en: "write each submission's 报告.html, 报告.xlsx and report.json into this folder (and 汇总.html, 汇总.xlsx for several); stdout gets a short summary",
    }
    check_output() {
        zh: "把结果写到这个文件（一份提交时），而不是标准输出",
        en: "write the result to this file (one submission) instead of stdout",
    }
    check_max() {
        zh: "文本报告中每条规则最多列出的问题数，其余只计数",
        en: "findings listed per rule in the text report; the rest are counted",
    }
    check_quiet() { zh: "不显示进度条（只在终端显示）", en: "no progress bar (it is shown only on a terminal)" }
    check_allow_incomplete() {
        zh: "数据不完整时仍检查已有数据（结论注明数据不完整，不会判定为通过）",
        en: "check what is there when the data is incomplete (the verdict says so and is never a pass)",
    }
    check_year() {
        zh: "报告年度；数据中最新的年份必须是这一年（不填时取数据中最新的年份，提交名称中有年份时须与之一致）",
        en: "the report year; the latest year in the data must be this one (by default the latest year in the data, which must match a year in the submission's name)",
    }
    gen_seed() {
        zh: "随机数种子：参数相同时生成的文件逐字节相同",
        en: "seed of the pseudo-random generator: the same arguments give byte-identical files",
    }
    gen_year() {
        zh: "报告年度（2020–2025）：规模按规划表2-1该年的数值",
        en: "the report year (2020–2025): sizes follow the plan's table 2-1 for that year",
    }
    gen_scale() {
        zh: "district（一个类似万州区的区县）、national（约 52 万所学校）或整数 N（N 个区县，用于测规模曲线）",
        en: "district (one 万州区-like district), national (~520,000 schools), or an integer N (N districts, for scaling curves)",
    }
    gen_violations() {
        zh: "planted：埋设 违规清单.md 所列的问题；none：完全达标",
        en: "planted: add the violations listed in 违规清单.md; none: fully compliant",
    }
    gen_out() {
        zh: "写出 学校.csv、班级.csv、教师.csv、区县.csv 和 违规清单.md 的文件夹",
        en: "the folder to write 学校.csv, 班级.csv, 教师.csv, 区县.csv and 违规清单.md to",
    }
    cmd_rules() { zh: "列出规则包的规则：编号、性质、标题、依据", en: "list the rules of the rule pack: id, severity, title, citation" }
    cmd_coverage() {
        zh: "列出规划的每项量化目标，及检查它的规则（或无法从报送数据检查的原因）",
        en: "list every quantitative target of the plan and the rules that check it (or why it cannot be checked from a submission)",
    }
    cmd_template() {
        zh: "生成一份空白报送模板：每张表一个工作表（xlsx）或 CSV 文件，中文表头，一行说明类型和单位",
        en: "write an empty submission to fill in: one sheet (xlsx) or CSV file per table, Chinese headers, and a row giving each column's type and unit",
    }
    template_out() {
        zh: "要写出的工作簿（模板.xlsx），或 CSV 模板的文件夹",
        en: "the workbook (模板.xlsx) or, for CSV, the folder to write",
    }
    template_format() {
        zh: "xlsx 或 csv；不填时 OUT 以 .xlsx 结尾则为 xlsx，否则为 csv",
        en: "xlsx or csv; by default xlsx if OUT ends in .xlsx, else csv",
    }
    cmd_explain() { zh: "显示一条规则：规则原文、参数和依据原文", en: "show a rule: its text, its parameters and the quoted source sentence" }
    explain_rule() { zh: "规则编号，如 A2.1", en: "the rule id, e.g. A2.1" }
    cmd_generate() {
        zh: "生成一份模拟报送数据（结果确定；埋设的问题列在 违规清单.md）",
        en: "write a synthetic submission (deterministic; planted violations listed in 违规清单.md)",
    }

    // ── argument errors ─────────────────────────────────────────────────
    error_prefix() { zh: "错误：", en: "error: " }
    arg_unknown(arg: &str) { zh: "未知的选项 `{arg}`", en: "unknown option `{arg}`" }
    arg_unknown_command(cmd: &str) { zh: "未知的命令 `{cmd}`", en: "unknown command `{cmd}`" }
    arg_suggest(s: &str) { zh: "是否想用 `{s}`？", en: "did you mean `{s}`?" }
    arg_invalid_value(value: &str, arg: &str) {
        zh: "`{value}` 不是 {arg} 的有效取值",
        en: "`{value}` is not a valid value for {arg}",
    }
    arg_valid_values(list: &str) { zh: "可选：{list}", en: "possible values: {list}" }
    arg_missing(args: &str) { zh: "缺少必填参数：{args}", en: "missing required arguments: {args}" }
    arg_missing_command() { zh: "请给出一个命令", en: "a command is required" }
    arg_missing_value(arg: &str) { zh: "{arg} 后面需要一个值", en: "{arg} needs a value" }
    arg_conflict(a: &str, b: &str) { zh: "{a} 不能与 {b} 同时使用", en: "{a} cannot be used with {b}" }
    arg_repeated(arg: &str) { zh: "{arg} 只能给一次", en: "{arg} can be given only once" }
    arg_other(detail: &str) { zh: "命令行参数有误：{detail}", en: "invalid command line: {detail}" }
    arg_more_help(cmd: &str) { zh: "更多信息请运行 `{cmd} --help`", en: "for more information, try `{cmd} --help`" }
    arg_bad_lang(value: &str) {
        zh: "`{value}` 不是支持的语言；可选：zh、en",
        en: "`{value}` is not a supported language; possible values: zh, en",
    }

    // ── check ───────────────────────────────────────────────────────────
    rules_failed(dir: &str, n: usize) {
        zh: "规则包 `{dir}` 有 {n} 个错误，无法检查",
        en: "the rule pack in `{dir}` has {n} error(s); nothing was checked",
    }
    load_failed(name: &str, n: usize) {
        zh: "报送数据 `{name}` 无法读取（{n} 个错误）",
        en: "could not load the submission `{name}` ({n} error(s))",
    }
    more_errors(n: usize) { zh: "……另有 {n} 个错误", en: "… and {n} more error(s)" }
    load_errors_short(n: usize) { zh: "{n} 个数据错误", en: "{n} data error(s)" }
    write_failed(what: &str, error: &str) {
        zh: "无法写出{what}：{error}",
        en: "cannot write {what}: {error}",
    }
    stdout_name() { zh: "结果（标准输出）", en: "the results (standard output)" }
    file_name(path: &str) { zh: "文件 `{path}`", en: "`{path}`" }
    output_needs_one() {
        zh: "-o 只能用于一份提交；多份提交请用 --out 文件夹",
        en: "-o takes one submission; for several, use --out DIR",
    }
    xlsx_needs_output() {
        zh: "--format xlsx 需要 -o 文件名（工作簿不能写到终端）",
        en: "--format xlsx needs -o FILE (a workbook cannot go to the terminal)",
    }
    out_written(label: &str, verdict: &str, dir: &str) {
        zh: "{label}：{verdict}　报告在 {dir}",
        en: "{label}: {verdict}  report in {dir}",
    }
    batch_written(html: &str, xlsx: &str) {
        zh: "汇总：{html}、{xlsx}",
        en: "summary: {html}, {xlsx}",
    }
    write_failed_help() {
        zh: "检查磁盘空间，或把结果写到别的位置；结论没有完整输出，不能作为检查结果使用",
        en: "check the disk space, or write the results elsewhere; the output is not complete and cannot be used as a result",
    }
    progress_reading() { zh: "读取数据…", en: "reading data…" }
    progress_checking() { zh: "评估规则…", en: "checking rules…" }
    progress_rules() { zh: "条规则", en: "rules" }
    subfolders_hint(n: usize, example: &str) {
        zh: "这个文件夹里有 {n} 个含数据文件的子文件夹，看起来是多份报送数据；请分别指定，例如 `dudao check {example}`",
        en: "this folder has {n} subfolders with data files, which look like separate submissions; give them one by one, e.g. `dudao check {example}`",
    }
    note_incomplete(name: &str) {
        zh: "`{name}`：数据不完整，未进行检查（见报告中的“数据完整性”）",
        en: "`{name}`: incomplete data, not checked (see “Completeness” in the report)",
    }

    // ── explain ─────────────────────────────────────────────────────────
    unknown_rule(id: &str) { zh: "规则包中没有规则 `{id}`", en: "no rule `{id}` in the rule pack" }
    unknown_rule_parts(id: &str, parts: &str) {
        zh: "`{id}` 分为几条：{parts}",
        en: "`{id}` has parts: {parts}",
    }
    unknown_rule_suggest(s: &str) {
        zh: "是否想查 `{s}`？`dudao rules` 列出全部规则",
        en: "did you mean `{s}`? `dudao rules` lists every rule",
    }
    unknown_rule_list() {
        zh: "`dudao rules` 列出全部规则",
        en: "`dudao rules` lists every rule",
    }
    /// `dudao --version`: the version, and the rule pack built into the binary with its hash.
    /// `dudao init`.
    cmd_init() {
        zh: "新建一个本地规则包：导入全国标准，带一条示例规则、一处改定的参数和一个测试用例",
        en: "create a local rule pack: it imports the national pack, with an example rule, an override and a test case",
    }
    init_dir() { zh: "新规则包的文件夹（不存在或为空）", en: "the new pack's folder (absent or empty)" }
    init_not_empty(dir: &str) {
        zh: "`{dir}` 已经存在且不是空文件夹，没有写任何文件",
        en: "`{dir}` exists and is not an empty folder; nothing was written",
    }
    init_not_empty_help() {
        zh: "换一个新的文件夹名，或先把这个文件夹里的文件移走；dudao init 不会覆盖已有的文件",
        en: "give a new folder name, or move the files out first; dudao init never overwrites files",
    }
    init_write_failed(file: &str, error: &str) {
        zh: "写不了 `{file}`：{error}",
        en: "cannot write `{file}`: {error}",
    }
    init_write_failed_help() {
        zh: "检查这个文件夹能否写入、磁盘是否已满",
        en: "check that the folder is writable and the disk is not full",
    }
    init_done(dir: &str) {
        zh: "已写好新的规则包 `{dir}`：先看其中的 README.md，再运行 dudao test --rules {dir}",
        en: "the new rule pack `{dir}` is written: read its README.md, then run dudao test --rules {dir}",
    }
    /// `dudao completions`.
    cmd_completions() {
        zh: "输出命令行补全脚本（bash、zsh、fish、powershell）",
        en: "print a shell completion script (bash, zsh, fish, powershell)",
    }
    completions_shell() { zh: "命令行：bash、zsh、fish、powershell 或 elvish", en: "the shell: bash, zsh, fish, powershell or elvish" }
    /// `dudao man`.
    cmd_man() {
        zh: "输出 man 手册页（roff 格式）；给了 --out 时把每个命令的手册页写进那个文件夹",
        en: "print the man page (roff); with --out, write a page per command into that folder",
    }
    man_out() { zh: "写手册页的文件夹（dudao.1、dudao-check.1 …）", en: "the folder to write the pages into (dudao.1, dudao-check.1 …)" }
    /// A dudao.toml that is not valid TOML.
    config_invalid(file: &str) {
        zh: "读不懂 `{file}`：写法不对",
        en: "cannot read `{file}`: it is not valid TOML",
    }
    config_invalid_label() { zh: "这里写法不对", en: "not valid here" }
    /// `rules = …` that is neither a path nor a list of paths.
    config_rules_type(file: &str) {
        zh: "`{file}` 里的 `rules` 应当是一个文件夹路径或路径的列表",
        en: "`rules` in `{file}` must be a folder path or a list of paths",
    }
    config_rules_label() { zh: "这个值", en: "this value" }
    config_invalid_help() {
        zh: "dudao.toml 写规则包文件夹的位置，路径相对于这个文件，例如 `rules = \"rules\"` 或 `rules = [\"national\", \"本省\"]`（后面的包覆盖前面的）",
        en: "dudao.toml names the rule pack folder, relative to the file, e.g. `rules = \"rules\"` or `rules = [\"national\", \"local\"]` (later packs override earlier ones)",
    }
    /// An unknown key in dudao.toml.
    config_unknown_key(file: &str, key: &str) {
        zh: "`{file}` 里的 `{key}` 不是 dudao 认识的设置，已忽略",
        en: "`{key}` in `{file}` is not a setting dudao knows; it is ignored",
    }
    config_unknown_key_label() { zh: "不认识的设置", en: "unknown setting" }
    config_unknown_key_help() {
        zh: "dudao.toml 目前只有一项设置：`rules`（规则包文件夹）",
        en: "dudao.toml has one setting for now: `rules` (the rule pack folder)",
    }
    /// `dudao explain`: a parameter a later pack changed.
    explain_overridden(old: &str, file: &str, line: usize) {
        zh: "改定：原为 {old}（{file} 第 {line} 行改定）",
        en: "overridden: was {old} (changed in {file}, line {line})",
    }
    /// `dudao explain` of a rule a later pack took out.
    explain_disabled(id: &str, reason: &str, file: &str, line: usize) {
        zh: "{id} 已停用，不检查：{reason}（{file} 第 {line} 行）",
        en: "{id} is disabled and not checked: {reason} ({file}, line {line})",
    }
    version_text(version: &str, packs: &str) {
        zh: "{version}（内置规则包及 sha256：{packs}；默认用第一个）",
        en: "{version} (built-in rule packs and sha256: {packs}; the first is the default)",
    }
}
