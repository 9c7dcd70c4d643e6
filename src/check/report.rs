//! The `report { … }` item: how reports arrange findings (the table rows
//! are listed under, the column the lists are sorted by, the tables of
//! outcomes), checked and lowered into [`ReportSpec`].
//!
//! One pack declares at most one `report`; a pack read after another (one
//! that imports it, or a later `--rules` folder) may declare its own, which
//! replaces the earlier one whole.

use super::{Compiler, Origin};
use crate::diag::{Code, did_you_mean};
use crate::msg::check as msg;
use crate::msg::syntax::each_lang;
use crate::pack::ir::Scope;
use crate::pack::{Matrix, ReportSpec};
use crate::schema::ColType;
use crate::syntax::ast::{self, Item, MatrixClause, ReportClause};

impl Compiler {
    /// Checks every `report` item and keeps the one of the last pack that
    /// declares one. Runs after the rules are compiled and disabled.
    pub(super) fn compile_report(&mut self, files: &[ast::File]) {
        let all_rules: Vec<String> = files
            .iter()
            .flat_map(|f| f.items.iter())
            .filter_map(|i| match i {
                Item::Rule(r) => Some(r.id.name.clone()),
                _ => None,
            })
            .collect();
        // The first report of each layer, to report a second one.
        let mut seen: Vec<(usize, Origin)> = Vec::new();
        let mut chosen: Option<(usize, ReportSpec)> = None;
        for (fi, f) in files.iter().enumerate() {
            let layer = self.layer_of.get(fi).copied().unwrap_or(0);
            for item in &f.items {
                let Item::Report(r) = item else { continue };
                if let Some((_, first)) = seen.iter().find(|(l, _)| *l == layer).cloned() {
                    let first_file = self.file_name(first.file);
                    let d = self.err(
                        fi,
                        Code::CheckDuplicateReport,
                        r.keyword.clone(),
                        msg::report_twice(),
                        msg::report_twice_label(),
                    );
                    if first.file == fi {
                        d.labels
                            .push((first.span.clone(), msg::report_first_label()));
                    }
                    d.help = Some(msg::report_twice_help(&first_file));
                    continue;
                }
                seen.push((
                    layer,
                    Origin {
                        file: fi,
                        span: r.keyword.clone(),
                    },
                ));
                let spec = self.report_spec(fi, r, &all_rules);
                if chosen.as_ref().is_none_or(|(l, _)| *l <= layer) {
                    chosen = Some((layer, spec));
                }
            }
        }
        if let Some((_, spec)) = chosen {
            self.report = spec;
        }
    }

    fn report_spec(&mut self, fi: usize, r: &ast::ReportDecl, all_rules: &[String]) -> ReportSpec {
        let mut spec = ReportSpec::default();
        let units: Vec<(&ast::Ident, &ast::Span)> = r
            .clauses
            .iter()
            .filter_map(|c| match c {
                ReportClause::Unit { table, span } => Some((table, span)),
                _ => None,
            })
            .collect();
        let areas: Vec<(&ast::Ident, &ast::Span)> = r
            .clauses
            .iter()
            .filter_map(|c| match c {
                ReportClause::Area { column, span } => Some((column, span)),
                _ => None,
            })
            .collect();
        for (clause, list) in [("unit", &units), ("area", &areas)] {
            for (_, span) in list.iter().skip(1) {
                self.err(
                    fi,
                    Code::CheckDuplicateClause,
                    (*span).clone(),
                    msg::report_duplicate_clause(clause),
                    msg::second_clause(),
                )
                .help = Some(msg::keep_one_clause(clause));
            }
        }
        let unit = match units.first() {
            None => {
                self.err(
                    fi,
                    Code::CheckMissingClause,
                    r.keyword.clone(),
                    msg::report_missing_clause("unit"),
                    msg::report_here(),
                )
                .help = Some(msg::report_missing_unit_help());
                None
            }
            Some((table, _)) => self.report_unit(fi, table),
        };
        spec.unit = unit;
        if let (Some(u), Some((column, _))) = (unit, areas.first()) {
            spec.area = self.report_area(fi, u, column);
        }
        for c in &r.clauses {
            if let ReportClause::Matrix(m) = c
                && let Some(mx) = self.matrix(fi, m, unit, all_rules)
            {
                spec.matrices.push(mx);
            }
        }
        spec
    }

    /// The unit table: declared, with a key that tells its rows apart.
    fn report_unit(&mut self, fi: usize, table: &ast::Ident) -> Option<usize> {
        let t = self.table_id(fi, table)?;
        let keyed = self
            .schema
            .tables
            .get(t)
            .is_some_and(|d| d.entity_key().next().is_some());
        if keyed {
            return Some(t);
        }
        let units: Vec<String> = self
            .schema
            .tables
            .iter()
            .filter(|d| d.entity_key().next().is_some())
            .map(|d| d.name.clone())
            .collect();
        self.err(
            fi,
            Code::CheckReportUnitNoKey,
            table.span.clone(),
            msg::report_unit_no_key(&table.name),
            msg::report_unit_no_key_label(),
        )
        .help = Some(msg::report_unit_no_key_help(&units.join(", ")));
        None
    }

    /// The area column: a text or category column of the unit table.
    fn report_area(&mut self, fi: usize, unit: usize, column: &ast::Ident) -> Option<usize> {
        let c = self.column_id(fi, unit, column)?;
        let groupable = |ty: ColType| matches!(ty, ColType::Text | ColType::Enum(_));
        let def = self.schema.tables.get(unit)?;
        if def.columns.get(c).is_some_and(|d| groupable(d.ty)) {
            return Some(c);
        }
        let usable: Vec<String> = def
            .columns
            .iter()
            .filter(|d| groupable(d.ty))
            .map(|d| d.name.clone())
            .collect();
        self.err(
            fi,
            Code::CheckReportArea,
            column.span.clone(),
            msg::report_area(&column.name),
            msg::report_area_label(),
        )
        .help = Some(msg::report_area_help(&usable.join(", ")));
        None
    }

    fn matrix(
        &mut self,
        fi: usize,
        m: &ast::MatrixDecl,
        unit: Option<usize>,
        all_rules: &[String],
    ) -> Option<Matrix> {
        let mut rows: Vec<&[ast::Ident]> = Vec::new();
        let mut columns: Vec<&[ast::Ident]> = Vec::new();
        for c in &m.clauses {
            let (list, names, span, clause) = match c {
                MatrixClause::Rows { names, span } => (&mut rows, names, span, "rows"),
                MatrixClause::Columns { names, span } => (&mut columns, names, span, "columns"),
            };
            if !list.is_empty() {
                self.err(
                    fi,
                    Code::CheckDuplicateClause,
                    span.clone(),
                    msg::matrix_duplicate_clause(&m.title.value, clause),
                    msg::second_clause(),
                )
                .help = Some(msg::merge_lists(clause));
            }
            list.push(names);
        }
        let mut ok = true;
        for (clause, list) in [("rows", &rows), ("columns", &columns)] {
            if list.is_empty() {
                self.err(
                    fi,
                    Code::CheckMissingClause,
                    m.title.span.clone(),
                    msg::matrix_missing_clause(&m.title.value, clause),
                    msg::matrix_here(),
                )
                .help = Some(msg::matrix_missing_help());
                ok = false;
            }
        }
        let (Some(variants), Some(families)) = (rows.first(), columns.first()) else {
            return None;
        };
        for (list, kind) in [
            (variants, msg::kind_matrix_row()),
            (families, msg::kind_matrix_column()),
        ] {
            for (i, name) in list.iter().enumerate() {
                if let Some(first) = list.iter().take(i).find(|n| n.name == name.name) {
                    let d = self.err(
                        fi,
                        Code::CheckDuplicateName,
                        name.span.clone(),
                        each_lang(|l| msg::duplicate(kind.get(l), &name.name)),
                        msg::declared_again(),
                    );
                    d.labels.push((first.span.clone(), msg::first_declared()));
                    d.help = Some(msg::remove_repeated());
                    ok = false;
                }
            }
        }
        // The rule of each cell: `FAMILY.VARIANT`, else `FAMILY`.
        let rule_of = |f: &str, v: &str| -> Option<String> {
            let id = format!("{f}.{v}");
            if all_rules.contains(&id) {
                Some(id)
            } else if all_rules.iter().any(|r| r == f) {
                Some(f.to_string())
            } else {
                None
            }
        };
        let example = variants.first().map_or("", |v| v.name.as_str());
        let mut known_family = false;
        for f in *families {
            if variants.iter().any(|v| rule_of(&f.name, &v.name).is_some()) {
                known_family = true;
                continue;
            }
            ok = false;
            // Near names: the rule ids and their parts before a variant.
            let mut near: Vec<&str> = all_rules.iter().map(String::as_str).collect();
            near.extend(
                all_rules
                    .iter()
                    .filter_map(|r| r.rsplit_once('.').map(|(head, _)| head)),
            );
            let sugg = did_you_mean(&f.name, near);
            self.err(
                fi,
                Code::CheckUnknownRule,
                f.span.clone(),
                msg::matrix_unknown_rule(&f.name, example),
                msg::unknown_rule_label(),
            )
            .help = Some(sugg.map_or_else(msg::unknown_rule_help, msg::did_you_mean));
        }
        if known_family {
            for v in *variants {
                if families
                    .iter()
                    .any(|f| all_rules.contains(&format!("{}.{}", f.name, v.name)))
                    || families.iter().any(|f| all_rules.contains(&f.name))
                {
                    continue;
                }
                ok = false;
                let mut have: Vec<&str> = Vec::new();
                let mut first_id = String::new();
                for f in *families {
                    let prefix = format!("{}.", f.name);
                    for r in all_rules {
                        if let Some(tail) = r.strip_prefix(&prefix) {
                            if first_id.is_empty() {
                                first_id = r.clone();
                            }
                            if !have.contains(&tail) {
                                have.push(tail);
                            }
                        }
                    }
                }
                let sugg = did_you_mean(&v.name, have.iter().copied());
                self.err(
                    fi,
                    Code::CheckUnknownVariant,
                    v.span.clone(),
                    msg::matrix_unknown_variant(&v.name),
                    msg::matrix_unknown_variant_label(),
                )
                .help = Some(match sugg {
                    Some(s) => msg::did_you_mean(s),
                    None => msg::matrix_unknown_variant_help(&first_id, &have.join(", ")),
                });
            }
        }
        // Every rule shown must be checked for each row of the unit table.
        if let Some(u) = unit {
            let table = self
                .schema
                .tables
                .get(u)
                .map(|d| d.name.clone())
                .unwrap_or_default();
            for f in *families {
                for v in *variants {
                    let Some(id) = rule_of(&f.name, &v.name) else {
                        continue;
                    };
                    // A disabled rule, or one that failed to compile, is not here.
                    let Some(rule) = self.rules.iter().find(|r| r.meta.id == id) else {
                        continue;
                    };
                    if rule.scope == Scope::Row(u) {
                        continue;
                    }
                    ok = false;
                    self.err(
                        fi,
                        Code::CheckMatrixScope,
                        f.span.clone(),
                        msg::matrix_scope(&id, &table),
                        msg::matrix_scope_label(),
                    )
                    .help = Some(msg::matrix_scope_help(&table));
                    break;
                }
            }
        }
        ok.then(|| Matrix {
            title: m.title.value.clone(),
            variants: variants.iter().map(|v| v.name.clone()).collect(),
            families: families.iter().map(|f| f.name.clone()).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::check::{PackSource, load_packs};
    use crate::diag::Code;
    use crate::syntax::ast::{Item, MatrixClause, ReportClause};
    use std::path::PathBuf;

    /// A pack folder that imports the bundled pack, with `text` as its one file.
    fn pack_importing_national(tag: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("dudao-report-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            dir.join("province.dudao"),
            format!("import national\n{text}"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        dir
    }

    #[test]
    fn the_bundled_report_lists_by_school_and_township() {
        let dir = pack_importing_national("bundled", "");
        let pack = load_packs(&[PackSource::Dir(dir.clone())]).unwrap_or_else(|e| panic!("{e:?}"));
        let _ = std::fs::remove_dir_all(&dir);
        let schools = pack.schema.table_by_name("schools");
        assert_eq!(pack.report.unit, schools);
        let township = schools.and_then(|t| pack.schema.tables[t].column("township"));
        assert!(township.is_some());
        assert_eq!(pack.report.area, township);
        let [mx] = pack.report.matrices.as_slice() else {
            panic!("{:?}", pack.report.matrices)
        };
        assert_eq!(mx.title, "学校指标");
        assert_eq!(mx.variants, ["小学", "初中"]);
        assert_eq!(
            mx.families,
            ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8"]
        );
    }

    #[test]
    fn a_later_pack_replaces_the_report() {
        let dir = pack_importing_national("replace", "report {\n  unit classes\n}\n");
        let pack = load_packs(&[PackSource::Dir(dir.clone())]).unwrap_or_else(|e| panic!("{e:?}"));
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(pack.report.unit, pack.schema.table_by_name("classes"));
        assert_eq!(pack.report.area, None);
        assert!(pack.report.matrices.is_empty());
    }

    #[test]
    fn two_reports_in_one_pack_are_an_error() {
        let dir = pack_importing_national(
            "twice",
            "report {\n  unit schools\n}\nreport {\n  unit classes\n}\n",
        );
        let errs = match load_packs(&[PackSource::Dir(dir.clone())]) {
            Ok(_) => panic!("two reports in one pack compiled"),
            Err(e) => e,
        };
        let _ = std::fs::remove_dir_all(&dir);
        let codes: Vec<Code> = errs.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::CheckDuplicateReport], "{errs:?}");
    }

    #[test]
    fn the_report_item_parses_with_spans() {
        let src = "report {\n  unit schools\n  area township\n  matrix \"学校指标\" {\n    rows 小学, 初中\n    columns B1, B8\n  }\n}\n";
        let (file, errors) = crate::syntax::parse_file(src);
        assert!(errors.is_empty(), "{errors:?}");
        let [Item::Report(r)] = file.items.as_slice() else {
            panic!("{:?}", file.items)
        };
        assert_eq!(&src[r.keyword.clone()], "report");
        assert_eq!(&src[r.span.clone()], src.trim_end());
        let [
            ReportClause::Unit { table, span: us },
            ReportClause::Area { column, .. },
            ReportClause::Matrix(m),
        ] = r.clauses.as_slice()
        else {
            panic!("{:?}", r.clauses)
        };
        assert_eq!(
            (table.name.as_str(), &src[us.clone()]),
            ("schools", "unit schools")
        );
        assert_eq!(&src[column.span.clone()], "township");
        assert_eq!(m.title.value, "学校指标");
        let [
            MatrixClause::Rows { names: rows, .. },
            MatrixClause::Columns { names: cols, span },
        ] = m.clauses.as_slice()
        else {
            panic!("{:?}", m.clauses)
        };
        let names = |v: &[crate::syntax::ast::Ident]| -> Vec<String> {
            v.iter().map(|i| i.name.clone()).collect()
        };
        assert_eq!(names(rows), ["小学", "初中"]);
        assert_eq!(names(cols), ["B1", "B8"]);
        assert_eq!(&src[span.clone()], "columns B1, B8");
    }
}
