//! Messages of `check`.

crate::messages! {
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
}
