//! The generated rows (schools, classes, teachers, district years), their
//! labels, and how each row is written as CSV (in the order of the schema's
//! columns, whose labels `pack.rs` takes for the header).

use super::names;
use super::out::{Row, put_u64, put_u64_pad};
use super::pack;
use dudao::schema::Schema;
use std::io;
use std::ops::Range;

/// The columns each file holds, by their names in the schema, in the order
/// the rows below write them; the header row is their labels, which
/// `pack::headers` takes from the schema (`学校标识码`, …). The district
/// file writes 校级干部平均年龄 last, where the schema declares it earlier.
pub(crate) const SCHOOL_COLUMNS: (&str, &[&str]) = (
    "schools",
    &[
        "id",
        "name",
        "township",
        "stage",
        "ownership",
        "inclusive",
        "area_kind",
        "students",
        "area_teaching",
        "area_sports",
        "area_land",
        "area_buildings",
        "equipment_value",
        "multimedia_rooms",
        "music_rooms",
        "art_rooms",
        "books",
        "public_funds_per_student",
        "group_run",
        "district_run",
        "wifi",
        "after_school",
        "language_model",
        "teaching_point",
        "center_kg",
        "township_type",
        "feature_school",
        "city_feature_school",
        "city_smart_campus",
        "district_smart_campus",
        "ai_model_school",
        "safe_campus",
        "three_classrooms",
        "special_purpose_school",
        "national_quality_vocational",
        "rural_revitalisation_school",
        "it_benchmark_school",
    ],
);
pub(crate) const CLASS_COLUMNS: (&str, &[&str]) = (
    "classes",
    &[
        "id",
        "school",
        "name",
        "stage",
        "kg_type",
        "students",
        "interactive",
    ],
);
pub(crate) const TEACHER_COLUMNS: (&str, &[&str]) = (
    "teachers",
    &[
        "id",
        "school",
        "name",
        "stage",
        "full_time",
        "degree",
        "certified",
        "backbone",
        "subject",
        "dual_qualified",
        "senior_title",
        "leader",
        "head",
        "head_certificate",
        "annual_pay",
        "training_hours",
        "service_years",
        "city_title",
        "city_title_year",
    ],
);
pub(crate) const DISTRICT_COLUMNS: (&str, &[&str]) = (
    "district",
    &[
        "year",
        "population_3_5",
        "population_15_17",
        "civil_servant_pay",
        "consolidation_rate",
        "junior_retention_rate",
        "disabled_enrolment_rate",
        "satisfaction",
        "quality_coverage",
        "putonghua_rate",
        "vocational_progression_rate",
        "education_spending",
        "per_student_spending",
        "recurring_revenue",
        "education_appropriation",
        "higher_ed_students",
        "graduate_students",
        "undergraduates",
        "higher_ed_gross_rate",
        "years_of_schooling",
        "labour_years_of_schooling",
        "out_of_district_share",
        "fiscal_expenditure",
        "per_student_education_cost",
        "teacher_average_pay",
        "per_student_public_funds",
        "poverty_dropouts",
        "new_paired_schools",
        "heads_sent",
        "backbone_sent",
        "leaders_trained",
        "experts_invited",
        "leader_average_age",
    ],
);

/// The labels the writers put in enum cells, taken from the schema: each
/// variant the generator means is looked up in its column's enum, and the
/// cell gets the schema's spelling of it. A variant the schema does not have
/// is an error before anything is written. (The strings of the `label`
/// methods name the variants to look up; class names are built from them.)
pub(crate) struct Labels<'s> {
    kind: [&'s str; 10],
    ownership: [&'s str; 2],
    area: [&'s str; 3],
    township_type: [&'s str; 3],
    class_stage: [&'s str; 5],
    kg_type: [&'s str; 4],
    teacher_stage: [&'s str; 5],
    degree: [&'s str; 4],
    subject: [&'s str; 14],
    city_title: [&'s str; 4],
}

/// The schema's labels of `names` in the enum of `table.column`.
fn schema_labels<'s, const N: usize>(
    schema: &'s Schema,
    table: &str,
    column: &str,
    names: [&str; N],
) -> io::Result<[&'s str; N]> {
    let mut out = [""; N];
    for (o, n) in out.iter_mut().zip(names) {
        *o = pack::label(schema, table, column, n)?;
    }
    Ok(out)
}

/// The 乡镇街道类型 variants, in the order of [`Labels::township_type`].
const TOWNSHIP_TYPES: [&str; 3] = ["街道", "镇", "乡"];
/// The 市级称号 variants: none, then the titles of [`Teacher::city_title`].
const CITY_TITLES: [&str; 4] = ["无", "市级骨干教师", "市级学科名师", "市级学科带头人"];

impl<'s> Labels<'s> {
    pub fn of(schema: &'s Schema) -> io::Result<Labels<'s>> {
        Ok(Labels {
            kind: schema_labels(schema, "schools", "stage", Kind::ALL.map(Kind::label))?,
            ownership: schema_labels(schema, "schools", "ownership", ["公办", "民办"])?,
            area: schema_labels(schema, "schools", "area_kind", Area::ALL.map(Area::label))?,
            township_type: schema_labels(schema, "schools", "township_type", TOWNSHIP_TYPES)?,
            class_stage: schema_labels(schema, "classes", "stage", LEVELS.map(Level::label))?,
            kg_type: schema_labels(schema, "classes", "kg_type", KgType::ALL.map(KgType::label))?,
            teacher_stage: schema_labels(schema, "teachers", "stage", LEVELS.map(Level::label))?,
            degree: schema_labels(schema, "teachers", "degree", Degree::ALL.map(Degree::label))?,
            subject: schema_labels(
                schema,
                "teachers",
                "subject",
                Subject::ALL.map(Subject::label),
            )?,
            city_title: schema_labels(schema, "teachers", "city_title", CITY_TITLES)?,
        })
    }

    /// The label of a 乡镇街道类型 named as [`TOWNSHIP_TYPES`] does.
    fn township_type(&self, t: &str) -> &'s str {
        let i = TOWNSHIP_TYPES.iter().position(|x| *x == t).unwrap_or(0);
        self.township_type[i]
    }

    /// The label of a 市级称号 named as [`CITY_TITLES`] does.
    fn city_title(&self, t: &str) -> &'s str {
        let i = CITY_TITLES.iter().position(|x| *x == t).unwrap_or(0);
        self.city_title[i]
    }
}

/// What kind of school a slot is (finer than the schema's 学校类型: a 教学点
/// is a 小学 under 50 students).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Kg,
    Primary,
    TeachingPoint,
    Junior,
    Nine,
    Twelve,
    Senior,
    Complete,
    Voc,
    Special,
}

impl Kind {
    /// Every kind, in the order of their discriminants.
    pub(crate) const ALL: [Kind; 10] = [
        Kind::Kg,
        Kind::Primary,
        Kind::TeachingPoint,
        Kind::Junior,
        Kind::Nine,
        Kind::Twelve,
        Kind::Senior,
        Kind::Complete,
        Kind::Voc,
        Kind::Special,
    ];

    /// The schema's 学校类型 label.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Kind::Kg => "幼儿园",
            Kind::Primary | Kind::TeachingPoint => "小学",
            Kind::Junior => "初中",
            Kind::Nine => "九年一贯制",
            Kind::Twelve => "十二年一贯制",
            Kind::Senior => "普通高中",
            Kind::Complete => "完全中学",
            Kind::Voc => "中职",
            Kind::Special => "特殊教育",
        }
    }

    /// A school of A4's population (the plan's 全区学校总数, which its own
    /// figures show to be the compulsory-education schools): every school
    /// with a 小学 or 初中 stage, 完全中学 included.
    pub(crate) fn a4_school(self) -> bool {
        self.compulsory() || self == Kind::Complete
    }

    /// A compulsory-education school with one or two compulsory stages (the
    /// schools A10 and B13 look at; B10, B12, B14 and B15 also take in the
    /// 完全中学, B14–B16 the special school).
    pub(crate) fn compulsory(self) -> bool {
        matches!(
            self,
            Kind::Primary | Kind::TeachingPoint | Kind::Junior | Kind::Nine | Kind::Twelve
        )
    }
}

/// A stage (学段) of classes and teachers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    Kg = 0,
    Primary = 1,
    Junior = 2,
    High = 3,
    Voc = 4,
}

pub(crate) const LEVELS: [Level; 5] = [
    Level::Kg,
    Level::Primary,
    Level::Junior,
    Level::High,
    Level::Voc,
];

impl Level {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Level::Kg => "幼儿园",
            Level::Primary => "小学",
            Level::Junior => "初中",
            Level::High => "高中",
            Level::Voc => "中职",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KgType {
    Small,
    Middle,
    Large,
    Mixed,
}

impl KgType {
    pub(crate) const ALL: [KgType; 4] =
        [KgType::Small, KgType::Middle, KgType::Large, KgType::Mixed];

    pub(crate) fn label(self) -> &'static str {
        match self {
            KgType::Small => "小班",
            KgType::Middle => "中班",
            KgType::Large => "大班",
            KgType::Mixed => "混龄",
        }
    }
    /// 幼儿园工作规程 第十一条.
    pub(crate) fn cap(self) -> u32 {
        match self {
            KgType::Small => 25,
            KgType::Middle => 30,
            KgType::Large => 35,
            KgType::Mixed => 30,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Degree {
    HighSchool,
    College,
    Bachelor,
    Graduate,
}

impl Degree {
    pub(crate) const ALL: [Degree; 4] = [
        Degree::HighSchool,
        Degree::College,
        Degree::Bachelor,
        Degree::Graduate,
    ];

    pub(crate) fn label(self) -> &'static str {
        match self {
            Degree::HighSchool => "高中及以下",
            Degree::College => "专科",
            Degree::Bachelor => "本科",
            Degree::Graduate => "研究生",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    Chinese,
    Maths,
    Foreign,
    Science,
    Pe,
    Music,
    Art,
    Practice,
    It,
    Moral,
    Professional,
    Culture,
    Preschool,
    Other,
}

impl Subject {
    pub(crate) const ALL: [Subject; 14] = [
        Subject::Chinese,
        Subject::Maths,
        Subject::Foreign,
        Subject::Science,
        Subject::Pe,
        Subject::Music,
        Subject::Art,
        Subject::Practice,
        Subject::It,
        Subject::Moral,
        Subject::Professional,
        Subject::Culture,
        Subject::Preschool,
        Subject::Other,
    ];

    pub(crate) fn label(self) -> &'static str {
        match self {
            Subject::Chinese => "语文",
            Subject::Maths => "数学",
            Subject::Foreign => "外语",
            Subject::Science => "科学",
            Subject::Pe => "体育",
            Subject::Music => "音乐",
            Subject::Art => "美术",
            Subject::Practice => "综合实践",
            Subject::It => "信息技术",
            Subject::Moral => "道德与法治",
            Subject::Professional => "专业课",
            Subject::Culture => "文化课",
            Subject::Preschool => "学前教育",
            Subject::Other => "其他",
        }
    }
    /// 体育, 音乐, 美术 (B3).
    pub(crate) fn pe_art(self) -> bool {
        matches!(self, Subject::Pe | Subject::Music | Subject::Art)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Area {
    Urban,
    Town,
    Rural,
}

impl Area {
    pub(crate) const ALL: [Area; 3] = [Area::Urban, Area::Town, Area::Rural];

    pub(crate) fn label(self) -> &'static str {
        match self {
            Area::Urban => "城区",
            Area::Town => "镇区",
            Area::Rural => "乡村",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct School {
    pub id: u64,
    pub name: String,
    pub township: &'static str,
    pub kind: Kind,
    pub public: bool,
    /// 普惠性, for kindergartens only.
    pub inclusive: Option<bool>,
    pub area: Area,
    pub students: u32,
    /// Students by [`Level`].
    pub parts: [u32; 5],
    /// Areas in tenths of m².
    pub area_teaching: u64,
    pub area_sports: u64,
    pub area_land: u64,
    pub area_buildings: u64,
    /// 元.
    pub equipment: u64,
    pub multimedia: u32,
    pub music: u32,
    pub art: u32,
    pub books: u64,
    pub public_funds: u32,
    pub group_run: bool,
    pub district_run: bool,
    pub wifi: bool,
    pub after_school: bool,
    pub language_model: bool,
    /// 乡镇中心园: the township's first public kindergarten (it stays flagged
    /// when a plant makes it private).
    pub center_kg: bool,
    /// 街道, 镇 or 乡 (乡镇街道类型).
    pub township_type: &'static str,
    /// The recognitions the plan counts (特色学校 … 信息化标杆学校), in the
    /// order of the schema's `schools` columns; set by `build::assign_recognitions`.
    pub recognitions: [bool; 11],
    /// This school's rows in [`Unit::classes`] and [`Unit::teachers`].
    pub classes: Range<usize>,
    pub teachers: Range<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct Class {
    pub school: u32,
    pub seq: u16,
    pub level: Level,
    pub kg: Option<KgType>,
    /// 1-based grade; 0 for a 复式班 or 混龄班.
    pub grade: u8,
    pub num: u8,
    pub students: u32,
    pub interactive: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Teacher {
    pub school: u32,
    pub seq: u16,
    /// Indexes into the surname and given-name lists (255: no second character).
    pub name: [u8; 3],
    pub level: Level,
    pub full_time: bool,
    pub degree: Degree,
    pub certified: bool,
    pub backbone: bool,
    pub subject: Subject,
    pub dual: Option<bool>,
    pub senior: bool,
    pub leader: bool,
    pub head: bool,
    pub head_cert: Option<bool>,
    pub pay: u32,
    pub hours: u16,
}

/// Everything generated for one district unit.
#[derive(Debug, Default)]
pub(crate) struct Unit {
    pub schools: Vec<School>,
    pub classes: Vec<Class>,
    pub teachers: Vec<Teacher>,
}

impl Unit {
    pub(crate) fn class_rows(&self, s: usize) -> Range<usize> {
        self.schools[s].classes.clone()
    }
    pub(crate) fn teacher_rows(&self, s: usize) -> Range<usize> {
        self.schools[s].teachers.clone()
    }
}

/// One row of 区县: all rates in hundredths of a percent point, money in
/// tenths of 万元 where the unit is 万元.
#[derive(Debug, Clone, Default)]
pub(crate) struct DistrictRow {
    pub year: i32,
    pub population_3_5: u64,
    pub population_15_17: u64,
    pub civil_servant_pay: u64,
    pub consolidation: u64,
    pub junior_retention: u64,
    pub disabled_enrolment: u64,
    pub satisfaction: u64,
    pub quality_coverage: u64,
    pub putonghua: u64,
    pub vocational_progression: u64,
    /// Tenths of 万元.
    pub spending: u64,
    /// 元 per student.
    pub per_student: u64,
    pub revenue: u64,
    pub appropriation: u64,
    pub higher_ed: u64,
    pub graduate: u64,
    pub undergraduate: u64,
    pub higher_ed_rate: u64,
    /// Hundredths of a year.
    pub years_schooling: u64,
    pub labour_years_schooling: u64,
}

fn put_school_id(buf: &mut Vec<u8>, id: u64) {
    put_u64_pad(buf, id, 10);
}

impl School {
    pub(crate) fn write(&self, buf: &mut Vec<u8>, l: &Labels) {
        let mut r = Row::new(buf);
        r.with(|b| put_school_id(b, self.id))
            .text(&self.name)
            .text(self.township)
            .text(l.kind[self.kind as usize])
            .text(l.ownership[usize::from(!self.public)])
            .opt_yes_no(self.inclusive)
            .text(l.area[self.area as usize])
            .int(self.students as u64)
            .dec(self.area_teaching, 1)
            .dec(self.area_sports, 1)
            .dec(self.area_land, 1)
            .dec(self.area_buildings, 1)
            .int(self.equipment)
            .int(self.multimedia as u64)
            .int(self.music as u64)
            .int(self.art as u64)
            .int(self.books)
            .int(self.public_funds as u64)
            .yes_no(self.group_run)
            .yes_no(self.district_run)
            .yes_no(self.wifi)
            .yes_no(self.after_school)
            .yes_no(self.language_model)
            .yes_no(self.kind == Kind::TeachingPoint)
            .yes_no(self.center_kg)
            .text(l.township_type(self.township_type));
        for flag in self.recognitions {
            r.yes_no(flag);
        }
        r.end();
    }
}

const CN_DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

impl Class {
    pub(crate) fn write(&self, buf: &mut Vec<u8>, school_id: u64, year: i32, l: &Labels) {
        let mut r = Row::new(buf);
        r.with(|b| {
            put_school_id(b, school_id);
            b.push(b'-');
            put_u64_pad(b, self.seq as u64, 3);
        })
        .with(|b| put_school_id(b, school_id))
        .with(|b| self.put_name(b, year))
        .text(l.class_stage[self.level as usize]);
        match self.kg {
            Some(k) => r.text(l.kg_type[k as usize]),
            None => r.empty(),
        };
        r.int(self.students as u64).yes_no(self.interactive).end();
    }

    /// 一年级(2)班, 七年级(1)班, 高二(3)班, 2024级(2)班, 小班(1), 复式班(1).
    pub(crate) fn put_name(&self, b: &mut Vec<u8>, year: i32) {
        let g = self.grade as usize;
        match (self.level, self.kg) {
            (_, Some(k)) => {
                b.extend_from_slice(k.label().as_bytes());
                if k == KgType::Mixed {
                    b.extend_from_slice("班".as_bytes());
                }
            }
            (_, None) if g == 0 => b.extend_from_slice("复式班".as_bytes()),
            (Level::Primary, None) => {
                b.extend_from_slice(CN_DIGITS[g.min(9)].as_bytes());
                b.extend_from_slice("年级".as_bytes());
            }
            (Level::Junior, None) => {
                b.extend_from_slice(CN_DIGITS[(g + 6).min(9)].as_bytes());
                b.extend_from_slice("年级".as_bytes());
            }
            (Level::High, None) => {
                b.extend_from_slice("高".as_bytes());
                b.extend_from_slice(CN_DIGITS[g.min(9)].as_bytes());
            }
            (Level::Voc, None) | (Level::Kg, None) => {
                put_u64(b, (year - g as i32 + 1).max(0) as u64);
                b.extend_from_slice("级".as_bytes());
            }
        }
        b.push(b'(');
        put_u64(b, self.num as u64);
        b.push(b')');
        if self.kg.is_none() {
            b.extend_from_slice("班".as_bytes());
        }
    }
}

impl Teacher {
    pub(crate) fn write(&self, buf: &mut Vec<u8>, school_id: u64, year: i32, l: &Labels) {
        let mut r = Row::new(buf);
        r.with(|b| {
            put_school_id(b, school_id);
            b.push(b'T');
            put_u64_pad(b, self.seq as u64, 4);
        })
        .with(|b| put_school_id(b, school_id))
        .with(|b| {
            b.extend_from_slice(
                names::SURNAMES[self.name[0] as usize % names::SURNAMES.len()].as_bytes(),
            );
            b.extend_from_slice(
                names::GIVEN[self.name[1] as usize % names::GIVEN.len()].as_bytes(),
            );
            if self.name[2] != 255 {
                b.extend_from_slice(
                    names::GIVEN[self.name[2] as usize % names::GIVEN.len()].as_bytes(),
                );
            }
        })
        .text(l.teacher_stage[self.level as usize])
        .yes_no(self.full_time)
        .text(l.degree[self.degree as usize])
        .yes_no(self.certified)
        .yes_no(self.backbone)
        .text(l.subject[self.subject as usize])
        .opt_yes_no(self.dual)
        .yes_no(self.senior)
        .yes_no(self.leader)
        .yes_no(self.head)
        .opt_yes_no(self.head_cert)
        .int(self.pay as u64)
        .int(self.hours as u64)
        .int(self.service_years());
        match self.city_title().filter(|(_, y)| *y <= year as u64) {
            Some((title, y)) => {
                r.text(l.city_title(title)).int(y);
            }
            None => {
                r.text(l.city_title("无")).empty();
            }
        }
        r.end();
    }

    /// A 市级 title (三(六)2), from the teacher's row number: about one
    /// teacher in 150 a 市级骨干教师, one in 600 a 市级学科名师, one in 2000 a
    /// 市级学科带头人, conferred in 2021–2025 (never after the report year).
    fn city_title(&self) -> Option<(&'static str, u64)> {
        let k = self.school as u64 * 31 + self.seq as u64;
        let title = if k % 2000 == 11 {
            "市级学科带头人"
        } else if k % 600 == 7 {
            "市级学科名师"
        } else if k.is_multiple_of(150) {
            "市级骨干教师"
        } else {
            return None;
        };
        Some((title, 2021 + k % 5))
    }

    /// 教龄: 5 to 35 years, from the teacher's row number (no random draw, so
    /// the other columns are those of before the column existed). Every
    /// generated teacher has completed a five-year training cycle (B15).
    fn service_years(&self) -> u64 {
        5 + (self.seq as u64 * 7 + self.school as u64 * 3) % 31
    }
}

impl DistrictRow {
    pub(crate) fn write(&self, buf: &mut Vec<u8>) {
        let mut r = Row::new(buf);
        r.int(self.year as u64)
            .int(self.population_3_5)
            .int(self.population_15_17)
            .int(self.civil_servant_pay)
            .dec(self.consolidation, 2)
            .dec(self.junior_retention, 2)
            .dec(self.disabled_enrolment, 2)
            .dec(self.satisfaction, 2)
            .dec(self.quality_coverage, 2)
            .dec(self.putonghua, 2)
            .dec(self.vocational_progression, 2)
            .dec(self.spending, 1)
            .int(self.per_student)
            .dec(self.revenue, 1)
            .dec(self.appropriation, 1)
            .int(self.higher_ed)
            .int(self.graduate)
            .int(self.undergraduate)
            .dec(self.higher_ed_rate, 2)
            .dec(self.years_schooling, 2)
            .dec(self.labour_years_schooling, 2);
        // The figures of the optional columns, by year, meeting their targets
        // (the fixture submissions fail them): 区外学生占比 above the line from
        // 92% to 93%; the share of education in fiscal expenditure (from the
        // final 一般公共预算教育支出) and the per-student and pay figures rising
        // every year; no 脱贫户 child out of school; the exchange counts; the
        // leaders' average age falling.
        let n = (self.year - 2020).max(0) as u64;
        r.dec(9210 + 20 * n, 2)
            .dec(self.spending * 10000 / (1500 + 20 * n), 1)
            .int(15000 + 600 * n)
            .int(90000 + 3000 * n)
            .int(900 + 20 * n)
            .int(0)
            .int(6 * n)
            .int(32)
            .int(105)
            .int(100)
            .int(32 * n)
            // 校级干部平均年龄: 46 in 2020, a quarter of a year lower each
            // year (44.75 in 2025: 1.25 years lower, A30).
            .dec(4600 - 25 * n, 2)
            .end();
    }
}
