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
        zh: "把规则分到几个 `.dudao` 文件中；长的原文放在依据文件（`seed`）里，不放在规则文件中",
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
        zh: "找不到依据文件 `{seed}`",
        en: "cannot read the seed file `{seed}`",
    }
    /// Where seed paths start.
    seed_not_found_help() {
        zh: "依据文件的路径从项目文件夹（规则包文件夹的上一级）写起，如 `seeds/plan.txt`",
        en: "seed paths are relative to the project folder (the rule pack folder's parent), e.g. `seeds/plan.txt`",
    }
    /// A seed file that cannot be read.
    seed_io(seed: &str, error: &str) {
        zh: "无法读取依据文件 `{seed}`：{error}",
        en: "cannot read the seed file `{seed}`: {error}",
    }
    /// An absolute seed path.
    seed_absolute(seed: &str) {
        zh: "依据文件的路径 `{seed}` 是绝对路径，规则包只读取项目文件夹中的文件",
        en: "the seed path `{seed}` is absolute; a rule pack reads only files of its project folder",
    }
    /// A seed path going up with `..`.
    seed_up(seed: &str) {
        zh: "依据文件的路径 `{seed}` 含有 `..`，规则包只读取项目文件夹中的文件",
        en: "the seed path `{seed}` goes up with `..`; a rule pack reads only files of its project folder",
    }
    /// A seed path naming a hidden file or folder.
    seed_hidden(seed: &str) {
        zh: "依据文件的路径 `{seed}` 指向隐藏的文件或文件夹（以 `.` 开头，如 `.git`），不予读取",
        en: "the seed path `{seed}` names a hidden file or folder (starting with `.`, such as `.git`); it is not read",
    }
    /// A seed path that is a link out of the project folder.
    seed_outside(seed: &str) {
        zh: "依据文件 `{seed}` 是指向项目文件夹之外的链接，不予读取",
        en: "the seed file `{seed}` is a link to a file outside the project folder; it is not read",
    }
    /// How to write a seed path.
    seed_path_help() {
        zh: "把依据文件放进项目文件夹（如 `seeds/`），从项目文件夹写起相对路径，如 `seeds/plan.txt`",
        en: "put the seed file into the project folder (e.g. `seeds/`) and give its path from there, e.g. `seeds/plan.txt`",
    }
    /// A seed path that is not a regular file.
    seed_not_a_file(seed: &str) {
        zh: "依据文件 `{seed}` 不是普通文件（是文件夹、设备或管道）",
        en: "the seed file `{seed}` is not a regular file (it is a folder, a device or a pipe)",
    }
    /// What a seed is.
    seed_not_a_file_help() {
        zh: "依据文件是保存文件原文的文字文件，如 `seeds/plan.txt`",
        en: "a seed is a text file holding the document's text, e.g. `seeds/plan.txt`",
    }
    /// A seed file larger than the limit.
    seed_too_large(seed: &str, size: &str, max: &str) {
        zh: "依据文件 `{seed}` 有 {size}，超过了依据文件的上限 {max}",
        en: "the seed file `{seed}` has {size}, more than the {max} a seed may have",
    }
    /// How to make a seed smaller.
    seed_too_large_help() {
        zh: "依据文件只放文件的原文；把很长的文件拆成几个文件，分别声明为 `document`",
        en: "a seed holds only the document's text; split a very long document into several, each declared as a `document`",
    }
    /// A seed file that is not UTF-8.
    seed_not_utf8(seed: &str) {
        zh: "依据文件 `{seed}` 不是 UTF-8 编码的文字",
        en: "the seed file `{seed}` is not UTF-8 text",
    }
    /// How to save a seed as UTF-8.
    seed_not_utf8_help() {
        zh: "把依据文件另存为 UTF-8 编码",
        en: "save the seed file as UTF-8",
    }
    /// The label of a seed path.
    seed_label() { zh: "依据文件", en: "seed file" }
}
