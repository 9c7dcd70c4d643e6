//! Messages of `data`: reading a submission (CSV files or a workbook) and
//! writing the template. Read by statisticians fixing a submission: 文件,
//! 工作表, 表头, 列, 第 N 行, 单元格, 必填, 重复; a table is named by its
//! Chinese name first (`学校 (schools)`), a column by its header
//! (`` `在校生数` (students) ``).
//!
//! Arguments named `place`, `what`, `target`, `reason`, `names` and `step`
//! are parts that read differently by language themselves; call sites fill
//! them in with `crate::data::fill`.

crate::messages! {
    // ── words used inside other messages ───────────────────────────────
    /// Joins two alternatives: "`学校.csv` 或 `schools.csv`".
    or_pair(a: &str, b: &str) {
        zh: "{a} 或 {b}",
        en: "{a} or {b}",
    }
    /// A CSV file as the place of a problem.
    place_file(file: &str) {
        zh: "文件 `{file}`",
        en: "`{file}`",
    }
    /// A sheet as the place of a problem.
    place_sheet(sheet: &str) {
        zh: "工作表 `{sheet}`",
        en: "sheet `{sheet}`",
    }
    /// A table that has no file, as the target of a reference.
    place_no_file(table: &str) {
        zh: "表 {table}（本次提交没有该表的数据）",
        en: "{table} (no file in this submission)",
    }

    // ── the reason a file cannot be read ───────────────────────────────
    io_not_found() { zh: "文件不存在", en: "it does not exist" }
    io_permission() { zh: "没有读取权限", en: "permission denied" }
    io_is_folder() { zh: "这是一个文件夹，不是文件", en: "it is a folder, not a file" }
    io_other(error: &str) { zh: "{error}", en: "{error}" }
    io_symlink_loop() {
        zh: "它是一个符号链接，链接形成了循环",
        en: "it is a symbolic link in a loop",
    }
    io_dangling_symlink(target: &str) {
        zh: "它是一个符号链接，指向的 `{target}` 不存在",
        en: "it is a symbolic link to `{target}`, which does not exist",
    }

    // ── the submission as a whole ──────────────────────────────────────
    workbook_not_found(path: &str) {
        zh: "工作簿 `{path}` 不存在",
        en: "workbook `{path}` does not exist",
    }
    folder_not_found(path: &str) {
        zh: "提交数据的文件夹 `{path}` 不存在",
        en: "submission folder `{path}` does not exist",
    }
    folder_not_found_help() {
        zh: "请给出存放本次提交的 CSV 文件（学校.csv、教师.csv 等）的文件夹，或一个 Excel 工作簿",
        en: "give the folder that holds the submission's CSV files (学校.csv, 教师.csv, …), or an Excel workbook",
    }
    not_a_folder(path: &str) {
        zh: "`{path}` 不是文件夹",
        en: "`{path}` is not a folder",
    }
    not_a_folder_help() {
        zh: "提交的数据是一个文件夹（每张表一个 CSV 文件）或一个 Excel 工作簿（.xlsx、.xls）；请给出文件夹，而不是其中的一个文件",
        en: "a submission is a folder with one CSV file per table, or an Excel workbook (.xlsx, .xls); give the folder, not a file in it",
    }
    cannot_list(path: &str, reason: &str) {
        zh: "无法列出文件夹 `{path}` 中的文件：{reason}",
        en: "cannot list submission folder `{path}`: {reason}",
    }
    cannot_read(file: &str, reason: &str) {
        zh: "无法读取文件 `{file}`：{reason}",
        en: "cannot read `{file}`: {reason}",
    }
    /// What to do about a file of the folder that cannot be read.
    cannot_read_help() {
        zh: "请把文件本身（不是它的链接或快捷方式）放进提交文件夹，并确认可以打开它",
        en: "put the file itself (not a link or shortcut to it) in the submission folder, and check that it can be opened",
    }
    workbook_in_folder(file: &str) {
        zh: "`{file}` 是工作簿；本次读取的是文件夹中的 CSV 文件，没有读取这个工作簿",
        en: "`{file}` is a workbook; the folder's CSV files are read, not the workbook",
    }
    workbook_in_folder_help(path: &str) {
        zh: "若要检查这个工作簿，请直接给出它而不是文件夹：`dudao check {path}`",
        en: "to check the workbook, give it instead of the folder: `dudao check {path}`",
    }
    unknown_file(file: &str) {
        zh: "文件 `{file}` 不对应任何表，已忽略",
        en: "`{file}` matches no table; it is ignored",
    }
    unknown_file_help(expected: &str) {
        zh: "应有的文件：{expected}",
        en: "expected files: {expected}",
    }
    unknown_file_did_you_mean(file: &str, expected: &str) {
        zh: "是不是 `{file}`？应有的文件：{expected}",
        en: "did you mean `{file}`? expected files: {expected}",
    }
    file_taken_help(table: &str, file: &str) {
        zh: "表 {table} 的数据取自 `{file}`",
        en: "table {table} is read from `{file}`",
    }
    several_tables_help(tables: &str, expected: &str) {
        zh: "文件名同时含有 {tables} 的名称，无法判断是哪张表；请按表名命名，应有的文件：{expected}",
        en: "the name contains the names of {tables}, so the table cannot be told; name it after its table: {expected}",
    }
    file_matched(file: &str, table: &str, spelling: &str) {
        zh: "文件 `{file}` 的名称含有 `{spelling}`，按表 {table} 的数据读取",
        en: "`{file}` is read as table {table}: its name contains `{spelling}`",
    }
    file_matched_help(table: &str, names: &str) {
        zh: "如果它不是表 {table} 的数据，请改名；该表的文件应命名为 {names}",
        en: "if it does not hold table {table}, rename it; the table's file is named {names}",
    }
    ambiguous_files(files: &str, table: &str) {
        zh: "文件 {files} 的名称都像是表 {table}，无法判断该读取哪一个",
        en: "the names of {files} all look like table {table}; which one to read cannot be told",
    }
    ambiguous_files_help(names: &str) {
        zh: "只保留其中一个，或把要读取的那个改名为 {names}",
        en: "keep one of them, or rename the one to read to {names}",
    }
    wps_file(file: &str) {
        zh: "`{file}` 是 WPS 格式的文件，无法读取",
        en: "`{file}` is a WPS Office file, which cannot be read",
    }
    wps_in_folder(file: &str) {
        zh: "`{file}` 是 WPS 格式的文件，无法读取，已忽略",
        en: "`{file}` is a WPS Office file, which cannot be read; it is ignored",
    }
    wps_help() {
        zh: "请另存为 .xlsx 后再检查：在 WPS 中选择 文件 → 另存为 → Excel 工作簿(*.xlsx)",
        en: "save it as .xlsx, then check again: in WPS, 文件 → 另存为 → Excel 工作簿(*.xlsx)",
    }
    duplicate_file(first: &str, second: &str, table: &str) {
        zh: "文件 `{first}` 和 `{second}` 都是表 {table} 的数据",
        en: "`{first}` and `{second}` both hold table {table}",
    }
    duplicate_file_help() {
        zh: "只保留其中一个文件",
        en: "keep one of the two files",
    }
    missing_table(table: &str) {
        zh: "没有表 {table} 的文件，该表按没有数据读取",
        en: "no file for table {table}; it is loaded with no rows",
    }
    missing_table_help(names: &str) {
        zh: "应为 {names}",
        en: "expected {names}",
    }

    // ── text encoding ──────────────────────────────────────────────────
    not_text(file: &str, byte: &str, line: usize) {
        zh: "文件 `{file}` 不是文本文件（既不是 UTF-8 也不是 GB18030 编码）：第 {line} 行起有大量无效的字节，如 `{byte}`",
        en: "`{file}` is not text (neither UTF-8 nor GB18030): invalid bytes from line {line} on, such as `{byte}`",
    }
    bad_utf8(file: &str, line: usize, byte: &str) {
        zh: "文件 `{file}` 是 UTF-8 编码，但第 {line} 行有无效的字节 `{byte}`",
        en: "`{file}` is UTF-8 text, but line {line} has the invalid byte `{byte}`",
    }
    bad_gb18030(file: &str, line: usize, byte: &str) {
        zh: "文件 `{file}` 是 GB18030（GBK）编码，但第 {line} 行有无效的字节 `{byte}`",
        en: "`{file}` is GB18030 (GBK) text, but line {line} has the invalid byte `{byte}`",
    }
    and_more_bytes(more: usize) {
        zh: "（另有 {more} 处）",
        en: " (and {more} more)",
    }
    bad_encoding_label(bytes: &str) {
        zh: "无效的字节 `{bytes}`",
        en: "invalid byte sequence `{bytes}`",
    }
    utf16(file: &str) {
        zh: "文件 `{file}` 是 UTF-16 编码的文本，不是 UTF-8 或 GB18030",
        en: "`{file}` is UTF-16 text, not UTF-8 or GB18030",
    }
    utf16_without_bom(file: &str) {
        zh: "文件 `{file}` 是 UTF-16 编码的文本（没有字节顺序标记），不是 UTF-8 或 GB18030",
        en: "`{file}` is UTF-16 text (without a byte-order mark), not UTF-8 or GB18030",
    }
    workbook_as_csv(file: &str) {
        zh: "文件 `{file}` 是 Excel 工作簿，不是 CSV 文件",
        en: "`{file}` is an Excel workbook, not a CSV file",
    }
    workbook_as_csv_help() {
        zh: "把它的扩展名改为 `.xlsx`，直接检查这个工作簿：`dudao check 报表.xlsx`",
        en: "rename it to `.xlsx` and check the workbook itself: `dudao check book.xlsx`",
    }
    save_as_csv_help() {
        zh: "请重新保存为 CSV：在 Excel 中选择 另存为 → CSV UTF-8(逗号分隔)(*.csv)",
        en: "save it again as CSV: in Excel, 另存为 → CSV UTF-8(逗号分隔)(*.csv)",
    }

    // ── CSV structure ──────────────────────────────────────────────────
    empty_file(file: &str) {
        zh: "文件 `{file}` 是空的",
        en: "`{file}` is empty",
    }
    empty_file_label() {
        zh: "这里应有表头行",
        en: "expected a header row",
    }
    empty_file_help(columns: &str) {
        zh: "第一行应写明各列：{columns}",
        en: "the first line must name the columns: {columns}",
    }
    csv_error(file: &str, error: &str) {
        zh: "无法读取文件 `{file}`：{error}",
        en: "cannot read `{file}`: {error}",
    }
    too_many_cells(line: u64, cells: usize, file: &str, columns: usize) {
        zh: "第 {line} 行有 {cells} 个单元格，但 `{file}` 的表头只有 {columns} 列",
        en: "line {line} has {cells} cells, but the header of `{file}` has {columns}",
    }
    too_few_cells(line: u64, cells: usize, file: &str, columns: usize) {
        zh: "第 {line} 行只有 {cells} 个单元格，但 `{file}` 的表头有 {columns} 列",
        en: "line {line} has {cells} cells, but the header of `{file}` has {columns}",
    }
    too_many_cells_label() {
        zh: "多出的单元格",
        en: "unexpected cell",
    }
    too_many_cells_help() {
        zh: "含有 `,` 的值必须加英文双引号，例如 `\"1,234\"`",
        en: "a value that contains `,` must be quoted, e.g. `\"1,234\"`",
    }
    too_few_cells_label(columns: usize) {
        zh: "应有 {columns} 个单元格",
        en: "expected {columns} cells",
    }
    too_few_cells_help() {
        zh: "每一行的单元格数应与表头的列数相同；空单元格写作 `,,`",
        en: "every row needs one cell per header column; leave a cell empty as `,,`",
    }
    title_rows_csv(file: &str, rows: usize, header: u64) {
        zh: "文件 `{file}` 的前 {rows} 行是标题，未读取；表头在第 {header} 行",
        en: "the first {rows} lines of `{file}` are a title and are not read; the header is on line {header}",
    }
    title_rows_sheet(sheet: &str, rows: &str, header: u32) {
        zh: "工作表 `{sheet}` 的第 {rows} 行是标题，未读取；表头在第 {header} 行",
        en: "rows {rows} of sheet `{sheet}` are a title and are not read; the header is on row {header}",
    }
    title_label() { zh: "标题，未读取", en: "title, not read" }
    title_rows_help() {
        zh: "如果标题下面的这一行不是表头，请删除标题行，让表头写在第一行",
        en: "if the row under the title is not the header, delete the title rows so that the header is the first row",
    }
    serial_column_csv(file: &str, column: usize, header: &str) {
        zh: "已跳过文件 `{file}` 的第 {column} 列 `{header}`：它只是行的序号",
        en: "column {column} `{header}` of `{file}` is skipped: it only numbers the rows",
    }
    serial_column_sheet(sheet: &str, column: &str, header: &str) {
        zh: "已跳过工作表 `{sheet}` 的 {column} 列 `{header}`：它只是行的序号",
        en: "column {column} `{header}` of sheet `{sheet}` is skipped: it only numbers the rows",
    }
    serial_label() { zh: "序号列，未读取", en: "row numbers, not read" }
    total_rows_csv(file: &str, count: usize, lines: &str) {
        zh: "已跳过文件 `{file}` 中的 {count} 个合计/小计行（第 {lines} 行）",
        en: "{count} rows of totals (合计/小计) of `{file}` are skipped (lines {lines})",
    }
    total_rows_sheet(sheet: &str, count: usize, rows: &str) {
        zh: "已跳过工作表 `{sheet}` 中的 {count} 个合计/小计行（第 {rows} 行）",
        en: "{count} rows of totals (合计/小计) of sheet `{sheet}` are skipped (rows {rows})",
    }
    total_row_label() { zh: "合计行，未读取", en: "totals, not read" }
    total_rows_help() {
        zh: "合计由规则根据各行数据计算，不从表中读取",
        en: "totals are computed from the rows by the rules, not read from the table",
    }
    note_rows_csv(file: &str, count: usize, lines: &str) {
        zh: "已跳过文件 `{file}` 末尾的 {count} 行说明文字（第 {lines} 行）",
        en: "{count} note rows at the end of `{file}` are skipped (lines {lines})",
    }
    note_rows_sheet(sheet: &str, count: usize, rows: &str) {
        zh: "已跳过工作表 `{sheet}` 表格下方的 {count} 行说明文字（第 {rows} 行）",
        en: "{count} note rows below the table of sheet `{sheet}` are skipped (rows {rows})",
    }
    note_row_label() { zh: "说明文字，未读取", en: "note, not read" }
    stray_note(line: u32) {
        zh: "第 {line} 行像是说明文字，却在数据行之间",
        en: "line {line} reads like a note, but it stands among the data rows",
    }
    stray_note_label() { zh: "说明文字？", en: "a note?" }
    stray_note_help() {
        zh: "说明文字请放在表格的最下方；如果这一行是数据，请填写它的标识列",
        en: "put notes below the table; if the row is data, fill in its key",
    }
    unterminated_quote(file: &str, line: u64) {
        zh: "文件 `{file}` 第 {line} 行的引号 `\"` 没有结束：从这里到文件末尾都被读成了一个单元格",
        en: "the quote `\"` on line {line} of `{file}` is never closed: the rest of the file is read as one cell",
    }
    unterminated_quote_label() {
        zh: "这个引号没有结束",
        en: "this quote is never closed",
    }
    unterminated_quote_help() {
        zh: "补上结束的引号；值中的引号要写成两个（`\"\"`）",
        en: "close the quote; a quote inside a value is written twice (`\"\"`)",
    }
    quote_opens_label() {
        zh: "引号从这里开始",
        en: "the quote opens here",
    }
    quote_spans_help(line: u64, end: u64) {
        zh: "第 {line} 行的引号直到第 {end} 行才结束，中间的行被读成了一行；请检查引号是否成对（值中的引号要写成 `\"\"`）",
        en: "the quote on line {line} closes only on line {end}, so the lines between are read as one row; check that quotes come in pairs (a quote inside a value is written `\"\"`)",
    }
    too_many_rows(file: &str, max: u32) {
        zh: "文件 `{file}` 超过 {max} 行，无法读取",
        en: "`{file}` has more than {max} rows",
    }
    too_many_rows_label() {
        zh: "从这一行起未读取",
        en: "first row not loaded",
    }
    unnamed_column_csv(column: usize, file: &str) {
        zh: "文件 `{file}` 的第 {column} 列没有表头，却有数据",
        en: "column {column} of `{file}` has no header but holds data",
    }
    unnamed_column_sheet(column: &str, sheet: &str) {
        zh: "工作表 `{sheet}` 的 {column} 列没有表头，却有数据",
        en: "column {column} of sheet `{sheet}` has no header but holds data",
    }
    unnamed_column_label() {
        zh: "这一列没有表头",
        en: "value under an empty header",
    }
    unnamed_column_help() {
        zh: "给这一列加上表头，或删除这一列",
        en: "add a header naming the column, or delete the column",
    }

    // ── headers ────────────────────────────────────────────────────────
    duplicate_column(column: &str, place: &str) {
        zh: "列 {column} 在{place} 中出现了两次",
        en: "column {column} appears twice in {place}",
    }
    duplicate_column_help() {
        zh: "删除其中一列",
        en: "delete one of the two columns",
    }
    second_time() { zh: "第二次", en: "second time" }
    first_here() { zh: "第一次在这里", en: "first here" }
    header_row() { zh: "表头行", en: "header row" }
    unknown_column(header: &str, place: &str) {
        zh: "{place} 中有未知的列 `{header}`",
        en: "unknown column `{header}` in {place}",
    }
    unknown_column_label(table: &str) {
        zh: "不是表 {table} 的列",
        en: "not a column of {table}",
    }
    did_you_mean(name: &str) {
        zh: "是不是 `{name}`？",
        en: "did you mean `{name}`?",
    }
    did_you_mean_unit(name: &str, unit: &str) {
        zh: "是不是 `{name}`？（括号中的单位必须是该列的单位：`{unit}`）",
        en: "did you mean `{name}`? (a unit in brackets must be the column's: `{unit}`)",
    }
    columns_are(table: &str, columns: &str) {
        zh: "表 {table} 的列有：{columns}",
        en: "the columns of {table} are: {columns}",
    }
    missing_column(column: &str, place: &str) {
        zh: "{place} 缺少列 {column}",
        en: "{place} has no column {column}",
    }
    missing_key_column(column: &str, place: &str) {
        zh: "{place} 缺少标识列 {column}",
        en: "{place} has no key column {column}",
    }
    missing_column_help(names: &str) {
        zh: "添加一列，表头写作 {names}",
        en: "add a column headed {names}",
    }

    // ── cells ──────────────────────────────────────────────────────────
    missing_key_value(column: &str) {
        zh: "标识列 {column} 的单元格为空",
        en: "missing key value for {column}",
    }
    missing_key_value_help(table: &str) {
        zh: "表 {table} 的每一行都必须填写标识列",
        en: "every row of {table} needs a value in each key column",
    }
    missing_value(column: &str) {
        zh: "必填列 {column} 的单元格为空",
        en: "missing value for required column {column}",
    }
    missing_value_help() {
        zh: "请填写；只有可空的列才能留空",
        en: "fill it in; only optional columns may be left empty",
    }
    not_whole_number(value: &str) {
        zh: "`{value}` 不是整数",
        en: "`{value}` is not a whole number",
    }
    not_whole_number_help() {
        zh: "请填写整数，例如 `1200` 或 `1,200`",
        en: "write a whole number such as `1200` or `1,200`",
    }
    not_number(value: &str) {
        zh: "`{value}` 不是数字",
        en: "`{value}` is not a number",
    }
    not_number_help() {
        zh: "请填写数字，例如 `12.5` 或 `1,234.5`",
        en: "write a number such as `12.5` or `1,234.5`",
    }
    not_percent_help() {
        zh: "请填写数字，例如 `55` 或 `55%`（都表示 55%）",
        en: "write a number such as `55` or `55%` (both mean 55%)",
    }
    bad_grouping(value: &str) {
        zh: "`{value}` 不是有效的数字",
        en: "`{value}` is not a valid number",
    }
    bad_grouping_help() {
        zh: "`,` 只能用作千位分隔符（`12,345`）；小数点请写作 `.`",
        en: "`,` is read only as a thousands separator (`12,345`); write a decimal point as `.`",
    }
    fraction_help(column: &str) {
        zh: "列 {column} 只能填整数：`1,200` 和 `1200.0` 可以，带小数的数不行",
        en: "{column} holds whole numbers: `1,200` and `1200.0` are accepted, a fraction is not",
    }
    exponent(value: &str) {
        zh: "`{value}` 是科学计数法",
        en: "`{value}` is in scientific notation",
    }
    exponent_help() {
        zh: "列宽不够时 Excel 会这样显示数字，并丢掉一些位数；请把该列设为“数值”格式后重新保存",
        en: "Excel writes numbers this way when the column is too narrow, losing digits; format the column as a number (数值) and save again",
    }
    too_large(value: &str) {
        zh: "`{value}` 超出了能表示的范围",
        en: "`{value}` is out of range",
    }
    unexpected_percent(value: &str, column: &str) {
        zh: "`{value}` 带有 `%`，但列 {column} 不是百分比",
        en: "`{value}` has a `%` sign, but {column} is not a percentage",
    }
    unexpected_percent_help() {
        zh: "去掉 `%`，只写数字",
        en: "write the number without `%`",
    }
    not_bool(value: &str) {
        zh: "`{value}` 不是“是/否”",
        en: "`{value}` is not a yes/no value",
    }
    not_bool_help(spellings: &str) {
        zh: "可以写作：{spellings}",
        en: "accepted spellings: {spellings}",
    }
    not_year(value: &str) {
        zh: "`{value}` 不是年份",
        en: "`{value}` is not a year",
    }
    not_year_help() {
        zh: "年份写作 `2025` 或 `2025年`，也可以写日期，如 `2025-09-01`",
        en: "write a year as `2025` or `2025年`, or a date such as `2025-09-01`",
    }
    year_out_of_range(value: &str) {
        zh: "年份 `{value}` 超出范围",
        en: "year `{value}` is out of range",
    }
    year_out_of_range_help(min: i32, max: i32) {
        zh: "年份必须在 {min} 到 {max} 之间",
        en: "years must be between {min} and {max}",
    }
    unknown_label(value: &str, column: &str) {
        zh: "`{value}` 不是列 {column} 的有效取值",
        en: "`{value}` is not a valid value for {column}",
    }
    unknown_label_help(valid: &str) {
        zh: "有效取值：{valid}",
        en: "valid values: {valid}",
    }
    unknown_label_did_you_mean(value: &str, valid: &str) {
        zh: "是不是 `{value}`？有效取值：{valid}",
        en: "did you mean `{value}`? valid values: {valid}",
    }
    sheet_error(value: &str, column: &str) {
        zh: "单元格中是错误值 `{value}`，不是列 {column} 的值",
        en: "the cell holds the spreadsheet error `{value}`, not a value for {column}",
    }
    sheet_error_div0() {
        zh: "公式除以了零；请更正公式，或直接填写数值",
        en: "a formula divides by zero; correct the formula or type the value in",
    }
    sheet_error_na() {
        zh: "查找公式（VLOOKUP、MATCH）没有找到结果；请更正公式，或直接填写数值",
        en: "a lookup (VLOOKUP, MATCH) found nothing; correct the formula or type the value in",
    }
    sheet_error_ref() {
        zh: "公式引用的单元格已被删除；请更正公式，或直接填写数值",
        en: "a formula refers to a cell that was deleted; correct the formula or type the value in",
    }
    sheet_error_name() {
        zh: "公式用了未知的函数或名称；请更正公式，或直接填写数值",
        en: "a formula uses an unknown function or name; correct the formula or type the value in",
    }
    sheet_error_value() {
        zh: "公式用文字做了计算；请更正公式，或直接填写数值",
        en: "a formula computes with text; correct the formula or type the value in",
    }
    sheet_error_num() {
        zh: "公式的结果不是有效的数字；请更正公式，或直接填写数值",
        en: "a formula's result is not a valid number; correct the formula or type the value in",
    }
    sheet_error_null() {
        zh: "公式中的区域没有交集；请更正公式，或直接填写数值",
        en: "a formula's ranges do not intersect; correct the formula or type the value in",
    }
    sheet_error_other() {
        zh: "公式计算出错；请更正公式，或直接填写数值",
        en: "a formula failed; correct the formula or type the value in",
    }
    date_for_number(value: &str, column: &str) {
        zh: "单元格中是日期 `{value}`，但列 {column} 应填数字",
        en: "the cell holds the date `{value}`, but {column} holds numbers",
    }
    date_for_bool(value: &str, column: &str) {
        zh: "单元格中是日期 `{value}`，但列 {column} 应填“是/否”",
        en: "the cell holds the date `{value}`, but {column} holds yes/no values",
    }
    date_for_label(value: &str, column: &str) {
        zh: "单元格中是日期 `{value}`，但列 {column} 应填类别",
        en: "the cell holds the date `{value}`, but {column} holds labels",
    }
    date_help() {
        zh: "单元格设成了日期格式，所以 Excel 把数字显示成日期；请把它设为“常规”或“数值”格式，并核对数值",
        en: "the cell is formatted as a date (日期), so Excel shows the number as a date; format it as 常规 (General) or 数值 (Number) and check the value",
    }
    out_of_range(value: &str, column: &str) {
        zh: "`{value}` 超出了列 {column} 的取值范围",
        en: "`{value}` is outside the range of {column}",
    }
    out_of_range_label() { zh: "超出范围", en: "out of range" }
    range_between(column: &str, min: &str, max: &str) {
        zh: "列 {column} 的值应在 {min} 到 {max} 之间",
        en: "values of {column} must be between {min} and {max}",
    }
    range_at_least(column: &str, min: &str) {
        zh: "列 {column} 的值不能小于 {min}",
        en: "values of {column} cannot be less than {min}",
    }
    range_count(column: &str, min: &str) {
        zh: "列 {column} 是计数，不能小于 {min}",
        en: "{column} is a count, which cannot be less than {min}",
    }
    range_at_most(column: &str, max: &str) {
        zh: "列 {column} 的值不能大于 {max}",
        en: "values of {column} cannot be more than {max}",
    }
    range_any(column: &str) {
        zh: "列 {column} 可以取任何值",
        en: "{column} may hold any value",
    }
    empty_cell() { zh: "空单元格", en: "empty cell" }
    unexpected_percent_label() { zh: "多余的 `%`", en: "unexpected `%`" }
    bad_grouping_label() { zh: "`,` 的位置不对", en: "misplaced `,`" }
    expected_whole_number(column: &str) {
        zh: "列 {column} 应填整数",
        en: "expected a whole number for {column}",
    }
    expected_number(column: &str) {
        zh: "列 {column} 应填数字",
        en: "expected a number for {column}",
    }
    expected_bool(column: &str) {
        zh: "列 {column} 应填“是/否”",
        en: "expected yes/no for {column}",
    }
    expected_year(column: &str) {
        zh: "列 {column} 应填年份",
        en: "expected a year for {column}",
    }
    expected_label() { zh: "应填类别", en: "expected a label" }
    unknown_value() { zh: "未知的取值", en: "unknown value" }
    error_value() { zh: "错误值", en: "error value" }

    // ── keys and references ────────────────────────────────────────────
    dangling(column: &str, place: &str, value: &str, target: &str) {
        zh: "{place} 的 {column} 是 `{value}`，但{target} 中没有这一行",
        en: "{column} at {place} refers to `{value}`, which is not in {target}",
    }
    dangling_in_year(column: &str, place: &str, value: &str, target: &str, year: i32) {
        zh: "{place} 的 {column} 是 `{value}`，但{target} 中没有 {year} 年的这一行",
        en: "{column} at {place} refers to `{value}`, which is not in {target} for {year}",
    }
    dangling_label(table: &str) {
        zh: "表 {table} 中没有这一行",
        en: "no such {table} row",
    }
    dangling_only_in_years(value: &str, target: &str, years: &str) {
        zh: "`{value}` 在{target} 中只有 {years} 年的数据",
        en: "`{value}` is in {target} only for {years}",
    }
    duplicate_key(what: &str, row: u32, first: u32, key: &str) {
        zh: "{what} 的第 {row} 行与第 {first} 行重复：{key}",
        en: "row {row} repeats the key of row {first} in {what}: {key}",
    }
    duplicate_key_help(table: &str, columns: &str) {
        zh: "表 {table} 中每一行的 {columns} 必须各不相同",
        en: "each row of {table} must have a different {columns}",
    }
    duplicate_key_spelled_help(row: u32, written: &str, first: u32, first_written: &str) {
        zh: "第 {row} 行写作 `{written}`，第 {first} 行写作 `{first_written}`：全角和半角的数字、字母视为相同",
        en: "row {row} has `{written}` and row {first} `{first_written}`: full-width and ASCII digits and letters are the same",
    }
    duplicate_key_label() { zh: "重复", en: "duplicate key" }
    first_used_here() { zh: "第一次出现在这里", en: "first used here" }

    // ── workbooks ──────────────────────────────────────────────────────
    workbook_damaged(file: &str) {
        zh: "无法读取 `{file}`：工作簿已损坏",
        en: "cannot read `{file}`: the workbook is damaged",
    }
    workbook_damaged_help() {
        zh: "用 Excel 或 WPS 打开它，另存为 .xlsx（Excel 工作簿）",
        en: "open it in Excel or WPS and save it again as .xlsx (Excel 工作簿)",
    }
    not_a_workbook(file: &str) {
        zh: "`{file}` 不是 Excel 工作簿",
        en: "`{file}` is not an Excel workbook",
    }
    cannot_read_workbook(file: &str, error: &str) {
        zh: "无法把 `{file}` 当作工作簿读取：{error}",
        en: "cannot read `{file}` as a workbook: {error}",
    }
    workbook_empty_help() {
        zh: "这个文件是空的",
        en: "the file is empty",
    }
    workbook_is_text_help() {
        zh: "这个文件是文本：如果它是 CSV，请按表名给它命名（`学校.csv`），并给出存放它的文件夹",
        en: "the file is text: if it is CSV, name it after its table (`学校.csv`) and give the folder that holds it",
    }
    workbook_resave_help() {
        zh: "用 Excel 或 WPS 打开它，另存为 .xlsx（Excel 工作簿）；设有打开密码的工作簿须去掉密码后保存",
        en: "open it in Excel or WPS and save it again as .xlsx (Excel 工作簿); a password-protected workbook must be saved without the password",
    }
    unknown_sheet(sheet: &str, book: &str) {
        zh: "工作簿 `{book}` 的工作表 `{sheet}` 不对应任何表，已忽略",
        en: "sheet `{sheet}` of `{book}` matches no table; it is ignored",
    }
    unknown_sheet_help(expected: &str) {
        zh: "请按表名给工作表命名；应有的工作表：{expected}",
        en: "name each sheet after its table; expected sheets: {expected}",
    }
    unknown_sheet_did_you_mean(sheet: &str, expected: &str) {
        zh: "是不是 `{sheet}`？应有的工作表：{expected}",
        en: "did you mean `{sheet}`? expected sheets: {expected}",
    }
    sheet_taken_help(table: &str, sheet: &str) {
        zh: "表 {table} 的数据取自工作表 `{sheet}`",
        en: "table {table} is read from sheet `{sheet}`",
    }
    several_tables_sheet_help(tables: &str, expected: &str) {
        zh: "工作表名同时含有 {tables} 的名称，无法判断是哪张表；请按表名命名，应有的工作表：{expected}",
        en: "the name contains the names of {tables}, so the table cannot be told; name it after its table: {expected}",
    }
    sheet_matched(sheet: &str, book: &str, table: &str, spelling: &str) {
        zh: "工作簿 `{book}` 的工作表 `{sheet}` 的名称含有 `{spelling}`，按表 {table} 的数据读取",
        en: "sheet `{sheet}` of `{book}` is read as table {table}: its name contains `{spelling}`",
    }
    sheet_matched_help(table: &str, names: &str) {
        zh: "如果它不是表 {table} 的数据，请改名；该表的工作表应命名为 {names}",
        en: "if it does not hold table {table}, rename it; the table's sheet is named {names}",
    }
    ambiguous_sheets(sheets: &str, book: &str, table: &str) {
        zh: "工作簿 `{book}` 的工作表 {sheets} 的名称都像是表 {table}，无法判断该读取哪一个",
        en: "the names of sheets {sheets} of `{book}` all look like table {table}; which one to read cannot be told",
    }
    ambiguous_sheets_help(names: &str) {
        zh: "只保留其中一个，或把要读取的那个改名为 {names}",
        en: "keep one of them, or rename the one to read to {names}",
    }
    hidden_sheet(sheet: &str, book: &str, table: &str) {
        zh: "工作簿 `{book}` 的工作表 `{sheet}` 是隐藏的，仍按表 {table} 的数据读取",
        en: "sheet `{sheet}` of `{book}` is hidden; it is read as table {table}",
    }
    hidden_sheet_help() {
        zh: "隐藏的工作表容易被忽略，请确认其中的数据是要报送的；不需要时请删除它",
        en: "a hidden sheet is easily overlooked: make sure its data is meant to be submitted, or delete it",
    }
    duplicate_sheet(first: &str, second: &str, book: &str, table: &str) {
        zh: "工作簿 `{book}` 的工作表 `{first}` 和 `{second}` 都是表 {table} 的数据",
        en: "sheets `{first}` and `{second}` of `{book}` both hold table {table}",
    }
    duplicate_sheet_help() {
        zh: "只保留其中一个工作表",
        en: "keep one of the two sheets",
    }
    missing_sheet(table: &str, book: &str) {
        zh: "工作簿 `{book}` 中没有表 {table} 的工作表，该表按没有数据读取",
        en: "no sheet for table {table} in `{book}`; it is loaded with no rows",
    }
    missing_sheet_help(names: &str) {
        zh: "应有名为 {names} 的工作表",
        en: "expected a sheet named {names}",
    }
    cannot_read_sheet(sheet: &str, book: &str, error: &str) {
        zh: "无法读取工作簿 `{book}` 的工作表 `{sheet}`：{error}",
        en: "cannot read sheet `{sheet}` of `{book}`: {error}",
    }
    stray_cell(sheet: &str, book: &str, cell: &str, cells: usize) {
        zh: "工作簿 `{book}` 的工作表 `{sheet}` 在 {cell} 有一个值，远离其余的 {cells} 个单元格",
        en: "sheet `{sheet}` of `{book}` has a value at {cell}, far from its other {cells} cells",
    }
    stray_cell_help(cell: &str) {
        zh: "删除 {cell} 中的内容（以及其他零散的单元格）后重新保存；这个工作表没有读取",
        en: "delete what is in {cell} (and any other stray cell), then save again; the sheet is not read",
    }
    empty_sheet(sheet: &str, book: &str) {
        zh: "工作簿 `{book}` 的工作表 `{sheet}` 是空的",
        en: "sheet `{sheet}` of `{book}` is empty",
    }
    empty_sheet_help(columns: &str) {
        zh: "第一行应写明各列：{columns}",
        en: "its first row must name the columns: {columns}",
    }
    no_header(sheet: &str, rows: usize, table: &str) {
        zh: "工作表 `{sheet}` 没有表头行：前 {rows} 行都没有写明表 {table} 的列",
        en: "sheet `{sheet}` has no header row: none of its first {rows} rows names the columns of {table}",
    }
    no_header_help(columns: &str) {
        zh: "表头行应写明各列：{columns}",
        en: "the header row must name the columns: {columns}",
    }
    first_row() { zh: "第一行", en: "first row" }
    ambiguous_percent(value: &str, column: &str) {
        zh: "列 {column} 中的 `{value}` 按 {value}% 读取",
        en: "`{value}` in {column} is read as {value}%",
    }
    ambiguous_percent_help(value: &str, percent: &str) {
        zh: "这种文件格式不记录单元格显示的是 `{value}` 还是 `{percent}%`；百分比按百分点读取（`97` 即 97%）；如果单元格显示的是百分比，请把工作簿另存为 .xlsx",
        en: "this file format does not say whether the cell shows `{value}` or `{percent}%`; percentages are read in percent points (`97` is 97%); if the cell shows a percentage, save the workbook as .xlsx",
    }
    ambiguous_percent_label() { zh: "百分点？", en: "percent points?" }

    bad_shared_string(sheet: &str, book: &str, cell: &str) {
        zh: "工作簿 `{book}` 已损坏：工作表 `{sheet}` 的单元格 {cell} 引用了不存在的共享字符串",
        en: "`{book}` is damaged: cell {cell} of sheet `{sheet}` refers to a shared string the workbook does not have",
    }
    bad_shared_string_somewhere(sheet: &str, book: &str) {
        zh: "工作簿 `{book}` 已损坏：工作表 `{sheet}` 中有单元格引用了不存在的共享字符串",
        en: "`{book}` is damaged: a cell of sheet `{sheet}` refers to a shared string the workbook does not have",
    }
    sheet_too_large(sheet: &str, book: &str, size: &str, limit: &str) {
        zh: "工作簿 `{book}` 的工作表 `{sheet}` 解压后有 {size}，超过了 {limit} 的上限，没有读取",
        en: "sheet `{sheet}` of `{book}` expands to {size}, over the limit of {limit}; it is not read",
    }
    strings_too_large(book: &str, size: &str, limit: &str) {
        zh: "工作簿 `{book}` 的共享字符串表（单元格中的文字）解压后有 {size}，超过了 {limit} 的上限，没有读取",
        en: "the shared strings (the cells' text) of `{book}` expand to {size}, over the limit of {limit}; the workbook is not read",
    }
    part_too_large(part: &str, book: &str, size: &str, limit: &str) {
        zh: "工作簿 `{book}` 中的 `{part}` 解压后有 {size}，超过了 {limit} 的上限，没有读取",
        en: "`{part}` in `{book}` expands to {size}, over the limit of {limit}; the workbook is not read",
    }
    book_too_large(book: &str, size: &str, limit: &str) {
        zh: "工作簿 `{book}` 解压后超过 {size}，超过了 {limit} 的上限，没有读取",
        en: "`{book}` expands to more than {size}, over the limit of {limit}; it is not read",
    }
    too_large_help() {
        zh: "一个区县的工作簿通常只有几 MB；请检查工作簿中是否有大量空白格式或多余内容，删除后另存为 .xlsx；数据量很大时请改用 CSV 文件报送",
        en: "a district's workbook is a few MB; look for masses of formatted empty cells or stray content, delete them and save as .xlsx again; submit very large data as CSV files",
    }
    cell_too_long(chars: usize, limit: usize) {
        zh: "单元格有 {chars} 个字符，超过了 Excel 单元格 {limit} 个字符的上限",
        en: "the cell holds {chars} characters, more than the {limit} an Excel cell can hold",
    }
    cell_too_long_help() {
        zh: "检查这个单元格是否误粘贴了大量内容",
        en: "check whether a mass of text was pasted into the cell",
    }
    cell_too_long_label() { zh: "过长的单元格", en: "cell too long" }

    // ── the template ───────────────────────────────────────────────────
    template_title() { zh: "dudao 数据填报模板", en: "dudao submission template" }
    template_invalid_title() { zh: "无效的值", en: "invalid value" }
    template_pick(labels: &str) {
        zh: "请从下拉列表中选择：{labels}",
        en: "pick one from the list: {labels}",
    }
    template_build(step: &str, error: &str) {
        zh: "无法生成模板工作簿（{step}）：{error}",
        en: "cannot build the template workbook: {step}: {error}",
    }
    /// Neither of a table's names can name a sheet.
    template_sheet_name(table: &str) {
        zh: "表 {table} 的中文名和名称都不能用作工作表名：工作表名最多 31 个字符，不能含有 [ ] : * ? / \\",
        en: "neither name of the table {table} can name a sheet: a sheet name has at most 31 characters, none of [ ] : * ? / \\",
    }
    /// How to give a table a name a sheet can have.
    template_sheet_name_help() {
        zh: "在规则包的 `table` 声明中把表的中文名改短（不超过 31 个字符）",
        en: "shorten the table's Chinese name in the rule pack's `table` declaration (31 characters at most)",
    }
    step_header() { zh: "表头", en: "header" }
    step_column_width() { zh: "列宽", en: "column width" }
    step_column_format() { zh: "列格式", en: "column format" }
    step_validation() { zh: "数据有效性", en: "data validation" }
    step_freeze() { zh: "冻结窗格", en: "freeze panes" }
    step_lists() { zh: "下拉列表工作表", en: "lists sheet" }
    step_save() { zh: "保存", en: "saving" }
    template_too_many_columns(table: &str) {
        zh: "表 {table} 的列太多，一个工作表放不下",
        en: "{table} has too many columns for a sheet",
    }
    template_cannot_write(path: &str, reason: &str) {
        zh: "无法写入 `{path}`：{reason}",
        en: "cannot write `{path}`: {reason}",
    }
    template_is_folder(path: &str) {
        zh: "`{path}` 是一个文件夹",
        en: "`{path}` is a folder",
    }
    template_is_folder_help() {
        zh: "请给出工作簿的文件名，例如 `模板.xlsx`",
        en: "give the workbook's file name, e.g. `模板.xlsx`",
    }
    template_is_file(path: &str) {
        zh: "`{path}` 是一个文件",
        en: "`{path}` is a file",
    }
    template_is_file_help() {
        zh: "CSV 模板是一个文件夹：请给出文件夹名，或者加上 `--format xlsx`",
        en: "a CSV template is a folder: give a folder name, or `--format xlsx`",
    }
    template_exists(path: &str) {
        zh: "`{path}` 已经存在",
        en: "`{path}` already exists",
    }
    template_exists_help() {
        zh: "请把模板写入一个空文件夹",
        en: "write the template into an empty folder",
    }
}
