//! Messages of `dudao fmt`: the layout of rule files.

crate::messages! {
    changed_meaning() {
        zh: "排版会改变规则的含义，文件未改写",
        en: "formatting would change what the rules say; the file was not rewritten",
    }
    changed_meaning_label() { zh: "此文件", en: "this file" }
    changed_meaning_help() {
        zh: "这是 dudao 的缺陷，请把这个文件报告给维护者；文件保持原样",
        en: "this is a defect of dudao: please report the file; it was left as it was",
    }
    would_change(file: &str) { zh: "需要重新排版：{file}", en: "would reformat: {file}" }
    formatted(file: &str) { zh: "已重新排版：{file}", en: "reformatted: {file}" }
    check_summary(n: usize) {
        zh: "{n} 个规则文件需要重新排版（运行 `dudao fmt` 即可改好）",
        en: "{n} rule file(s) would be reformatted (run `dudao fmt` to fix)",
    }
    all_formatted(n: usize) {
        zh: "{n} 个规则文件的排版都已规范",
        en: "{n} rule file(s) already formatted",
    }
    not_formatted_errors(n: usize) {
        zh: "{n} 个规则文件有语法错误，未排版",
        en: "{n} rule file(s) have syntax errors and were not formatted",
    }
    read_failed(file: &str, error: &str) {
        zh: "无法读取规则文件 {file}：{error}",
        en: "cannot read the rule file {file}: {error}",
    }
    read_failed_help() {
        zh: "检查路径是否正确、文件是否为 UTF-8 文本",
        en: "check the path, and that the file is UTF-8 text",
    }
    no_rule_files(dir: &str) {
        zh: "{dir} 中没有规则文件（.dudao）",
        en: "no rule files (.dudao) in {dir}",
    }
    no_rule_files_help() {
        zh: "给出规则包文件夹或 .dudao 文件",
        en: "give a rule pack folder or .dudao files",
    }
    label_here() { zh: "此处", en: "here" }
    cmd_fmt() {
        zh: "把规则文件排成统一的格式（保留注释）",
        en: "lay out rule files in the canonical format (comments kept)",
    }
    fmt_check() {
        zh: "只检查，不改写：列出需要重新排版的文件，有则退出码为 1",
        en: "check only, rewrite nothing: list the files that would change; exit 1 if any",
    }
    fmt_diff() {
        zh: "显示排版前后的差异（统一差异格式），不改写",
        en: "print the changes as a unified diff; rewrite nothing",
    }
    fmt_files() {
        zh: "要排版的规则文件或文件夹（默认：--rules 的文件夹）",
        en: "rule files or folders to format (default: the --rules folder)",
    }
}
