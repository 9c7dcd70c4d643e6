//! Every diagnostic code, in one place: a variant per code, documented once.
//!
//! A code is stable: scripts and the JSON report match on it, and the
//! messages that carry it change language, not code. The string form is
//! `dudao::<stage>::<name>`. A test (`tests/codes.rs`) checks that every code
//! is produced by some fixture.

use std::fmt;

macro_rules! codes {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $name:literal, )*) => {
        /// A stable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[doc = $doc])+ $variant, )*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable string form, e.g. `dudao::data::missing_table`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => $name, )*
                }
            }

            /// What the code means (its documentation).
            pub fn doc(self) -> &'static str {
                match self {
                    $( Code::$variant => concat!($($doc, "\n"),+).trim_ascii(), )*
                }
            }

            /// The code with this string form.
            pub fn from_name(name: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|c| c.as_str() == name)
            }
        }
    };
}

codes! {
    // ── rule files: reading the pack ────────────────────────────────────
    /// The rule pack folder cannot be read.
    RulesNotFound = "dudao::rules::not_found",
    /// The rule pack folder holds no `.dudao` file.
    RulesEmpty = "dudao::rules::empty",
    /// A rule file cannot be read.
    RulesIo = "dudao::rules::io",
    /// A rule file is not UTF-8 text.
    RulesEncoding = "dudao::rules::encoding",
    /// A rule file is larger than a rule file can be (`check::MAX_RULE_FILE_BYTES`).
    RulesTooLarge = "dudao::rules::too_large",

    // ── syntax ──────────────────────────────────────────────────────────
    /// A rule file does not follow the grammar of the rule language: the
    /// parser expected one thing and found another.
    SyntaxError = "dudao::syntax::error",
    /// A character the rule language does not use (`$`, or a full-width
    /// `（` or `，` where `(` or `,` is meant).
    SyntaxBadCharacter = "dudao::syntax::bad_character",
    /// A keyword (`and`, `if`, `where`, …) is used as a name.
    SyntaxKeywordAsName = "dudao::syntax::keyword_as_name",
    /// `=` where a comparison `==` is meant.
    SyntaxSingleEquals = "dudao::syntax::single_equals",
    /// An expression nests more than `syntax::parser::MAX_NESTING` levels of
    /// brackets, calls, `if`, `not` and unary minus.
    SyntaxTooDeep = "dudao::syntax::too_deep",
    /// A rule's `}` is missing.
    SyntaxUnclosedRule = "dudao::syntax::unclosed_rule",
    /// A string has no closing quote on its line.
    SyntaxUnclosedString = "dudao::syntax::unclosed_string",
    /// A unit is written after a number inside an expression (`45 人`).
    SyntaxUnitAfterNumber = "dudao::syntax::unit_after_number",

    // ── check: names, types, units, citations ───────────────────────────
    /// A function is called with the wrong number of arguments.
    CheckArity = "dudao::check::arity",
    /// A function is called with a named argument it does not take.
    CheckBadArgument = "dudao::check::bad_argument",
    /// Something other than a parameter by category is indexed (`x[小学]`).
    CheckBadIndex = "dudao::check::bad_index",
    /// A column's `range` is not one its values can have: on a column that
    /// is not a number, in `%` on one that is not a percentage, or empty.
    CheckBadRange = "dudao::check::bad_range",
    /// A `ref` column names a table that cannot be referenced.
    CheckBadReference = "dudao::check::bad_reference",
    /// An aggregate is taken over something that is not a set of rows.
    CheckBadSource = "dudao::check::bad_source",
    /// A parameter by category is used without choosing a category.
    CheckCategoryParam = "dudao::check::category_param",
    /// A coverage entry is both checked by rules and marked not checkable.
    CheckCoverageContradiction = "dudao::check::coverage_contradiction",
    /// A coverage entry names no rule and gives no reason.
    CheckCoverageIncomplete = "dudao::check::coverage_incomplete",
    /// A rule, the `report` item or one of its matrices has the same clause twice.
    CheckDuplicateClause = "dudao::check::duplicate_clause",
    /// A table declares the same column twice.
    CheckDuplicateColumn = "dudao::check::duplicate_column",
    /// A name (table, parameter, metric, rule, document, a row or column of
    /// a report matrix) is declared twice.
    CheckDuplicateName = "dudao::check::duplicate_name",
    /// A category list names the same category twice.
    CheckDuplicateVariant = "dudao::check::duplicate_variant",
    /// A year range is empty (`2025..2021`).
    CheckEmptyYears = "dudao::check::empty_years",
    /// `group` is used as a value.
    CheckGroupNotValue = "dudao::check::group_not_value",
    /// `in` is not followed by a list.
    CheckInNeedsList = "dudao::check::in_needs_list",
    /// A rule could not be lowered (a defect of the compiler, reported, not a panic).
    CheckInternal = "dudao::check::internal",
    /// A list appears outside `in`.
    CheckListOutsideIn = "dudao::check::list_outside_in",
    /// A metric is defined in terms of itself.
    CheckMetricCycle = "dudao::check::metric_cycle",
    /// A rule lacks a clause it needs (severity, cite, assert, scope), the
    /// `report` item its `unit`, or a matrix its `rows` or `columns`.
    CheckMissingClause = "dudao::check::missing_clause",
    /// `group` is used outside a rule `for each TABLE by COLUMN`.
    CheckNoGroup = "dudao::check::no_group",
    /// A table has no key.
    CheckNoKey = "dudao::check::no_key",
    /// `this` is used outside a rule `for each TABLE`.
    CheckNoRow = "dudao::check::no_row",
    /// A numeric aggregate is taken over values that are not numbers.
    CheckNonNumericAggregate = "dudao::check::non_numeric_aggregate",
    /// A condition (`when`, `assert`, a filter) is not a yes/no value.
    CheckNotACondition = "dudao::check::not_a_condition",
    /// A column used as a reference is not a `ref` column.
    CheckNotAReference = "dudao::check::not_a_reference",
    /// A parameter is not a constant.
    CheckNotConstant = "dudao::check::not_constant",
    /// A constant (a parameter, a point of a trajectory) cannot be computed:
    /// it divides by zero, or its value is too large for a number. The
    /// evaluator would find it not evaluable, so it is refused when compiled.
    CheckConstantNotEvaluable = "dudao::check::constant_not_evaluable",
    /// A bare number is compared with a percentage (`rate >= 90` means 9000%).
    CheckPercentLiteral = "dudao::check::percent_literal",
    /// A quote is not found verbatim in its document's seed text.
    CheckQuoteNotInSource = "dudao::check::quote_not_in_source",
    /// `this` is used as a value.
    CheckRowNotValue = "dudao::check::row_not_value",
    /// A document's seed text cannot be read.
    CheckSeedNotFound = "dudao::check::seed_not_found",
    /// A seed file is not UTF-8 text.
    CheckSeedEncoding = "dudao::check::seed_encoding",
    /// A seed path is not a regular file (a folder, a device, a pipe).
    CheckSeedNotAFile = "dudao::check::seed_not_a_file",
    /// A seed path leaves the project folder: it is absolute, goes up with
    /// `..`, names a hidden file or folder (`.git`), or is a link to a file
    /// outside.
    CheckSeedOutside = "dudao::check::seed_outside",
    /// A seed file is larger than a seed can be (`check::MAX_SEED_BYTES`).
    CheckSeedTooLarge = "dudao::check::seed_too_large",
    /// Severity changes are not in ascending years.
    CheckSeverityYears = "dudao::check::severity_years",
    /// A table is used as a value.
    CheckTableNotValue = "dudao::check::table_not_value",
    /// A message template is malformed.
    CheckTemplate = "dudao::check::template",
    /// An expression, counting the definitions of the metrics it uses, nests
    /// deeper than `check::MAX_DEPTH` operations.
    CheckTooDeep = "dudao::check::too_deep",
    /// A table has two year columns.
    CheckTwoYearColumns = "dudao::check::two_year_columns",
    /// Values of different types are compared or combined.
    CheckTypeMismatch = "dudao::check::type_mismatch",
    /// Values of different units are compared or added.
    CheckUnitMismatch = "dudao::check::unit_mismatch",
    /// A unit is given to a column that is not a number.
    CheckUnitOnNonNumber = "dudao::check::unit_on_non_number",
    /// A category name is not one of the enum's categories.
    CheckUnknownCategory = "dudao::check::unknown_category",
    /// A column name is not a column of the table.
    CheckUnknownColumn = "dudao::check::unknown_column",
    /// A citation names a document that is not declared.
    CheckUnknownDocument = "dudao::check::unknown_document",
    /// A function name is not one of the language's functions.
    CheckUnknownFunction = "dudao::check::unknown_function",
    /// A name is not a column, parameter, metric or category.
    CheckUnknownName = "dudao::check::unknown_name",
    /// A coverage entry, or a column of a report matrix, names a rule that
    /// does not exist.
    CheckUnknownRule = "dudao::check::unknown_rule",
    /// A table name is not declared.
    CheckUnknownTable = "dudao::check::unknown_table",
    /// A rule pack declares `report { … }` twice (a pack that imports
    /// another may declare its own, which replaces the imported one).
    CheckDuplicateReport = "dudao::check::duplicate_report",
    /// The `unit` of a `report` is a table whose rows are told apart by the
    /// year alone (facts by year): findings cannot be listed under its rows.
    CheckReportUnitNoKey = "dudao::check::report_unit_no_key",
    /// The `area` of a `report` is a column that is neither text nor a
    /// category, so the lists cannot be grouped by it.
    CheckReportArea = "dudao::check::report_area",
    /// A row of a report matrix names a variant that no rule of its columns
    /// has (`rows 高中` with columns `B1`, whose rules are `B1.小学`, `B1.初中`).
    CheckUnknownVariant = "dudao::check::unknown_variant",
    /// A rule in a report matrix is not checked for each row of the report's
    /// unit table, so it has no outcome per unit row to show.
    CheckMatrixScope = "dudao::check::matrix_scope",
    /// An imported rule pack (`import "../national"`, `import NAME`) cannot be found.
    CheckImportNotFound = "dudao::check::import_not_found",
    /// Rule packs import each other in a cycle.
    CheckImportCycle = "dudao::check::import_cycle",
    /// `override param NAME` where no earlier pack defines `NAME`.
    CheckOverrideUnknown = "dudao::check::override_unknown",
    /// A parameter defined again with `param` instead of `override param`.
    CheckParamRedefined = "dudao::check::param_redefined",
    /// `disable rule ID` where no rule `ID` exists.
    CheckDisableUnknown = "dudao::check::disable_unknown",
    /// A warning: a rule's title or quote still states the old value of a
    /// parameter it uses that a later pack overrides.
    CheckStaleWords = "dudao::check::stale_words",

    // ── data: reading a submission ──────────────────────────────────────
    /// Two sheets (or files) could each hold a table by their names
    /// (`学校基本情况表`, `学校基本情况表(2)`), and neither is named exactly after it.
    DataAmbiguousName = "dudao::data::ambiguous_name",
    /// A percentage column holds a value that could be a fraction or percent points.
    DataAmbiguousPercent = "dudao::data::ambiguous_percent",
    /// A yes/no cell holds something else.
    DataBadBool = "dudao::data::bad_bool",
    /// A number cell does not hold a number of the column's kind.
    DataBadNumber = "dudao::data::bad_number",
    /// A year cell does not hold a year.
    DataBadYear = "dudao::data::bad_year",
    /// A spreadsheet cell holds an error value (`#DIV/0!`).
    DataCellError = "dudao::data::cell_error",
    /// A sheet's cell holds more characters than Excel allows (32,767).
    DataCellTooLong = "dudao::data::cell_too_long",
    /// A CSV file is malformed.
    DataCsv = "dudao::data::csv",
    /// A reference cell names a row that does not exist.
    DataDanglingReference = "dudao::data::dangling_reference",
    /// A header names the same column twice.
    DataDuplicateColumn = "dudao::data::duplicate_column",
    /// Two files hold the same table.
    DataDuplicateFile = "dudao::data::duplicate_file",
    /// Two rows have the same key.
    DataDuplicateKey = "dudao::data::duplicate_key",
    /// Two sheets hold the same table.
    DataDuplicateSheet = "dudao::data::duplicate_sheet",
    /// A file or sheet is empty.
    DataEmptyFile = "dudao::data::empty_file",
    /// A hidden sheet is read as a table; a warning.
    DataHiddenSheet = "dudao::data::hidden_sheet",
    /// A file is neither UTF-8 nor GB18030 text.
    DataEncoding = "dudao::data::encoding",
    /// A file or folder cannot be read.
    DataIo = "dudao::data::io",
    /// A required column is missing from a header.
    DataMissingColumn = "dudao::data::missing_column",
    /// No file or sheet holds a table.
    DataMissingTable = "dudao::data::missing_table",
    /// A required cell is empty.
    DataMissingValue = "dudao::data::missing_value",
    /// A sheet (or file) is read as a table because its name contains the
    /// table's name (`学校基本情况表` for 学校); a warning.
    DataNameMatched = "dudao::data::name_matched",
    /// No header row is found.
    DataNoHeader = "dudao::data::no_header",
    /// The submission does not exist or is not a folder or workbook.
    DataNotFound = "dudao::data::not_found",
    /// A number is outside its column's range (a count below 0, a
    /// percentage above its `range`).
    DataOutOfRange = "dudao::data::out_of_range",
    /// A CSV row has more cells than the header.
    DataRaggedRow = "dudao::data::ragged_row",
    /// A column that only numbers the rows (`序号`) is skipped; a warning.
    DataSkippedColumn = "dudao::data::skipped_column",
    /// Rows of totals (`合计`, `小计`) or notes below the data (`注：…`) are
    /// skipped; a warning.
    DataSkippedRows = "dudao::data::skipped_rows",
    /// A sheet has a value far from its table.
    DataStrayCell = "dudao::data::stray_cell",
    /// A row that reads like a note (`注：…`) stands among the data rows.
    DataStrayNote = "dudao::data::stray_note",
    /// Rows above the header (a title) are not read; a warning.
    DataTitleRows = "dudao::data::title_rows",
    /// A workbook (one of its sheets, its shared strings, or all of it)
    /// expands to more than its limit.
    DataTooLarge = "dudao::data::too_large",
    /// A file has more rows than can be loaded.
    DataTooManyRows = "dudao::data::too_many_rows",
    /// A quote in a CSV file is never closed.
    DataUnterminatedQuote = "dudao::data::unterminated_quote",
    /// A cell holds a date where the column holds something else.
    DataUnexpectedDate = "dudao::data::unexpected_date",
    /// A cell has a `%` sign, but the column is not a percentage.
    DataUnexpectedPercent = "dudao::data::unexpected_percent",
    /// A header names a column the table does not have.
    DataUnknownColumn = "dudao::data::unknown_column",
    /// A file in the submission folder matches no table.
    DataUnknownFile = "dudao::data::unknown_file",
    /// A category cell holds a label that is not one of the categories.
    DataUnknownLabel = "dudao::data::unknown_label",
    /// A sheet of the workbook matches no table.
    DataUnknownSheet = "dudao::data::unknown_sheet",
    /// A column without a header holds data.
    DataUnnamedColumn = "dudao::data::unnamed_column",
    /// A workbook cannot be read.
    DataWorkbook = "dudao::data::workbook",
    /// A WPS Office file (`.et`, `.wps`), which must be saved as `.xlsx`.
    DataWpsFile = "dudao::data::wps_file",

    // ── template ────────────────────────────────────────────────────────
    /// The template cannot be written.
    TemplateIo = "dudao::template::io",
    /// The template workbook cannot be built.
    TemplateXlsx = "dudao::template::xlsx",

    // ── command line ────────────────────────────────────────────────────
    /// `explain` names a rule that is not in the pack.
    CliUnknownRule = "dudao::cli::unknown_rule",
    /// The results could not be written (a full disk, a closed file).
    CliWriteFailed = "dudao::cli::write_failed",
    /// A folder given as one submission holds several submissions in subfolders.
    CliNestedSubmissions = "dudao::cli::nested_submissions",
    /// A `dudao.toml` cannot be read as TOML, or its `rules` is not a path
    /// or a list of paths.
    CliConfigInvalid = "dudao::cli::config_invalid",
    /// A `dudao.toml` has a setting dudao does not know (a warning: it is
    /// ignored).
    CliConfigUnknownKey = "dudao::cli::config_unknown_key",
    /// `dudao init DIR` where DIR is a file or a folder that is not empty.
    CliInitNotEmpty = "dudao::cli::init_not_empty",
    /// A sheet of a workbook report holds fewer rows than the list it shows
    /// (Excel's limit is 1,048,576 rows a sheet): the rest are in report.json.
    ReportSheetCut = "dudao::report::sheet_cut",

    // ── test (`dudao test`: the test cases of a rule pack) ──────────────
    /// A test case cannot be run as written: its `expected.toml` is missing,
    /// is not TOML, has a field that is unknown, missing or of the wrong
    /// type, an outcome other than `fail`/`not_evaluable`, a year that is not
    /// one, an empty entity, a finding written twice; or the case has no
    /// submission, a `submission` that does not exist, or both a
    /// `submission` line and data files of its own.
    TestBadCase = "dudao::test::bad_case",
    /// A test case names a rule (in `rules` or a `[[finding]]`) that is not
    /// in the rule pack.
    TestUnknownRule = "dudao::test::unknown_rule",
    /// An expected finding of a test case is of a rule that the case's
    /// `rules` does not list (the case compares only the rules it lists).
    TestRuleNotInScope = "dudao::test::rule_not_in_scope",
    /// `dudao test` found no case to run: the pack has no `tests/` folder,
    /// it is empty, or no case name contains the filters given.
    TestNoCases = "dudao::test::no_cases",

    // ── fmt ─────────────────────────────────────────────────────────────
    /// Formatting a rule file would have changed its syntax tree (a defect of
    /// the formatter); the file is left as it was.
    FmtChangedMeaning = "dudao::fmt::changed_meaning",

    // ── diff ────────────────────────────────────────────────────────────
    /// A file given to `dudao diff` cannot be read, is not JSON, or is not a
    /// report that `dudao check --format json` writes.
    DiffBadReport = "dudao::diff::bad_report",
    /// The arguments of `dudao diff` mix its forms: report files (`.json`)
    /// with submissions, a rule pack for one side only, or the wrong number
    /// of inputs.
    DiffMixedInputs = "dudao::diff::mixed_inputs",
    /// A report of one submission is compared with a batch report of
    /// several: their findings cannot be keyed alike.
    DiffMixedReports = "dudao::diff::mixed_reports",
    /// A submission was not checked on one side (it could not be loaded, or
    /// its data was incomplete), so its findings cannot be compared.
    DiffNotComparable = "dudao::diff::not_comparable",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "{c} twice");
            let parts: Vec<&str> = c.as_str().split("::").collect();
            assert_eq!(parts.len(), 3, "{c}");
            assert_eq!(parts.first(), Some(&"dudao"), "{c}");
            assert!(!c.doc().is_empty(), "{c} has no documentation");
            assert_eq!(Code::from_name(c.as_str()), Some(*c));
        }
    }
}
