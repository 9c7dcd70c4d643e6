//! The generated rows (schools, classes, teachers, district years), their
//! labels as the schema spells them, and how each row is written as CSV.

use super::names;
use super::out::{Row, put_u64, put_u64_pad};
use std::ops::Range;

/// The headers of the four files, in the schema's column order (Chinese
/// aliases, as `national/00-schema.dudao` declares them).
pub(crate) const SCHOOL_COLS: &[&str] = &[
    "学校标识码",
    "学校名称",
    "乡镇街道",
    "学校类型",
    "办学性质",
    "普惠性",
    "城乡类型",
    "在校生数",
    "教学及辅助用房面积",
    "体育运动场馆面积",
    "占地面积",
    "校舍建筑面积",
    "教学仪器设备值",
    "网络多媒体教室数",
    "音乐专用教室数",
    "美术专用教室数",
    "图书册数",
    "生均公用经费",
    "集团化办学",
    "学区化办学",
    "校园无线网络",
    "课后服务",
    "语言文字规范化示范校",
    "教学点",
    "乡镇中心园",
    "乡镇街道类型",
    "特色学校",
    "市级特色学校",
    "重庆市智慧校园示范校",
    "区级智慧校园示范校",
    "人工智能教育应用示范校",
    "平安校园",
    "三个课堂基础环境",
    "专门学校",
    "国家级优质中职学校",
    "乡村振兴人才培养优质学校",
    "信息化标杆学校",
];
pub(crate) const CLASS_COLS: &[&str] = &[
    "班级编号",
    "学校标识码",
    "班级名称",
    "学段",
    "幼儿园班级类型",
    "班额",
    "互动式多媒体教学设备",
];
pub(crate) const TEACHER_COLS: &[&str] = &[
    "教师编号",
    "学校标识码",
    "姓名",
    "任教学段",
    "专任教师",
    "最高学历",
    "教师资格证",
    "县级以上骨干教师",
    "任教学科",
    "双师型",
    "高级职称",
    "校级干部",
    "园长",
    "园长任职资格证",
    "年工资收入",
    "五年累计培训学时",
    "教龄",
    "市级称号",
    "市级称号认定年份",
];
pub(crate) const DISTRICT_COLS: &[&str] = &[
    "年份",
    "3-5岁常住人口",
    "15-17岁常住人口",
    "公务员年平均工资收入",
    "九年义务教育巩固率",
    "初中三年巩固率",
    "残疾儿童少年入学率",
    "社会认可度",
    "优质教育覆盖率",
    "普通话普及率",
    "中职毕业生升高职和应用本科比例",
    "一般公共预算教育支出",
    "生均一般公共预算教育支出",
    "财政经常性收入",
    "教育财政拨款",
    "高等教育在校生规模",
    "研究生在校生数",
    "普通本科在校生数",
    "高等教育毛入学率",
    "人均受教育年限",
    "劳动年龄人口平均受教育年限",
    "在万高校区外学生占比",
    "财政支出总额",
    "生均教育费用",
    "教师年平均工资收入",
    "生均公用经费",
    "脱贫户和监测户家庭适龄学生失学辍学人数",
    "十四五以来新增结对学校",
    "选派挂职跟岗的优秀校长",
    "选派挂职跟岗的骨干教师",
    "选派外出跟岗培训的校级干部",
    "十四五以来邀请来万讲学的专家学者",
    "校级干部平均年龄",
];

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
    /// order of [`SCHOOL_COLS`]; set by `build::assign_recognitions`.
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
    pub(crate) fn write(&self, buf: &mut Vec<u8>) {
        let mut r = Row::new(buf);
        r.with(|b| put_school_id(b, self.id))
            .text(&self.name)
            .text(self.township)
            .text(self.kind.label())
            .text(if self.public { "公办" } else { "民办" })
            .opt_yes_no(self.inclusive)
            .text(self.area.label())
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
            .text(self.township_type);
        for flag in self.recognitions {
            r.yes_no(flag);
        }
        r.end();
    }
}

const CN_DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

impl Class {
    pub(crate) fn write(&self, buf: &mut Vec<u8>, school_id: u64, year: i32) {
        let mut r = Row::new(buf);
        r.with(|b| {
            put_school_id(b, school_id);
            b.push(b'-');
            put_u64_pad(b, self.seq as u64, 3);
        })
        .with(|b| put_school_id(b, school_id))
        .with(|b| self.put_name(b, year))
        .text(self.level.label());
        match self.kg {
            Some(k) => r.text(k.label()),
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
    pub(crate) fn write(&self, buf: &mut Vec<u8>, school_id: u64, year: i32) {
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
        .text(self.level.label())
        .yes_no(self.full_time)
        .text(self.degree.label())
        .yes_no(self.certified)
        .yes_no(self.backbone)
        .text(self.subject.label())
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
                r.text(title).int(y);
            }
            None => {
                r.text("无").empty();
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
