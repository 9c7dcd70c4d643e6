//! Word lists for names: townships of 万州区, villages, surnames, given-name
//! characters, kindergarten brand names, county-name syllables.

/// 街道 (urban sub-districts) of 万州区: schools here are 城区.
pub(crate) const STREETS: &[&str] = &[
    "高笋塘街道",
    "太白街道",
    "牌楼街道",
    "双河口街道",
    "龙都街道",
    "周家坝街道",
    "沙河街道",
    "钟鼓楼街道",
    "百安坝街道",
    "五桥街道",
    "陈家坝街道",
];

/// 镇 and 乡 of 万州区.
pub(crate) const TOWNS: &[&str] = &[
    "小周镇",
    "大周镇",
    "新乡镇",
    "孙家镇",
    "高峰镇",
    "龙沙镇",
    "响水镇",
    "武陵镇",
    "瀼渡镇",
    "甘宁镇",
    "天城镇",
    "熊家镇",
    "高梁镇",
    "李河镇",
    "分水镇",
    "余家镇",
    "后山镇",
    "弹子镇",
    "长岭镇",
    "新田镇",
    "白羊镇",
    "龙驹镇",
    "走马镇",
    "罗田镇",
    "太龙镇",
    "长滩镇",
    "太安镇",
    "白土镇",
    "郭村镇",
    "柱山乡",
    "铁峰乡",
    "溪口乡",
    "长坪乡",
    "燕山乡",
    "梨树乡",
    "普子乡",
    "地宝土家族乡",
    "恒合土家族乡",
    "黄柏乡",
    "九池乡",
    "茨竹乡",
];

/// A township by index: streets first, then towns.
pub(crate) fn township(i: usize) -> &'static str {
    if i < STREETS.len() {
        STREETS[i]
    } else {
        TOWNS[(i - STREETS.len()) % TOWNS.len()]
    }
}

/// The 乡镇街道类型 of a township by index: 街道, or 镇/乡 as its name ends.
pub(crate) fn township_type(i: usize) -> &'static str {
    let name = township(i);
    if i < STREETS.len() {
        "街道"
    } else if name.ends_with('乡') {
        "乡"
    } else {
        "镇"
    }
}

pub(crate) fn township_count() -> usize {
    STREETS.len() + TOWNS.len()
}

/// The township's name without 街道/镇/乡, for school names.
pub(crate) fn short(t: &str) -> &str {
    for suffix in ["土家族乡", "街道", "镇", "乡"] {
        if let Some(s) = t.strip_suffix(suffix) {
            return s;
        }
    }
    t
}

pub(crate) const VILLAGES: &[&str] = &[
    "石桥", "青龙", "黄泥", "白鹤", "长湾", "大坪", "双河", "花园", "凉风", "水井", "杨柳", "桂花",
    "新房", "柏林", "松树", "茶园", "观音", "红星", "向阳", "金竹",
];

pub(crate) const KG_BRANDS: &[&str] = &[
    "童心",
    "小天使",
    "金太阳",
    "蓝天",
    "阳光",
    "博文",
    "启蒙",
    "贝贝",
    "育才",
    "爱弥儿",
    "七彩",
    "小精灵",
    "新星",
    "春芽",
    "明珠",
    "彩虹",
    "童乐",
    "智慧树",
    "小博士",
    "欣欣",
    "快乐宝贝",
    "金色摇篮",
    "小太阳",
    "雨露",
    "英才",
    "苗苗",
    "百灵鸟",
    "晨曦",
    "星辰",
    "海燕",
];

pub(crate) const VOC_PUBLIC: &[&str] = &[
    "职业教育中心",
    "第一职业中学",
    "卫生职业学校",
    "经济技术学校",
    "第二职业中学",
];
pub(crate) const VOC_PRIVATE: &[&str] = &[
    "新华职业技术学校",
    "育才职业学校",
    "三峡科技职业学校",
    "博雅职业学校",
];
pub(crate) const TWELVE: &[&str] = &["外国语学校", "三峡实验学校", "国际学校"];

pub(crate) const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任",
    "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "付",
    "方", "邹", "熊", "秦", "江", "薛", "雷", "侯", "龙", "陶", "黎", "贺", "顾", "毛", "向", "冉",
    "牟", "汤", "秦", "文", "万", "严",
];

pub(crate) const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "建", "文", "辉", "力", "林",
    "宇", "浩", "婷", "雪", "琳", "晨", "欣", "怡", "佳", "俊", "鹏", "飞", "丹", "蕾", "倩", "颖",
    "露", "瑶", "峰", "波", "斌", "宁", "翔", "凯", "亮", "梅", "兰", "燕", "莉", "慧", "君", "云",
    "春", "海", "志", "国", "成", "思", "雨", "川",
];

const COUNTY_A: &[&str] = &[
    "安", "宝", "昌", "大", "东", "丰", "广", "河", "华", "建", "金", "江", "乐", "临", "龙", "南",
    "宁", "平", "青", "清", "山", "石", "双", "太", "天", "通", "西", "新", "兴", "永", "云", "长",
    "中", "北", "德", "福",
];
const COUNTY_B: &[&str] = &[
    "安", "城", "川", "德", "丰", "和", "江", "康", "林", "宁", "平", "山", "泉", "水", "阳", "源",
    "州", "溪", "口", "桥",
];
const COUNTY_C: &[&str] = &["县", "区", "市"];

/// A made-up county name for unit `k` (k ≥ 1); distinct for k below 2160.
pub(crate) fn county(k: usize) -> String {
    let a = COUNTY_A[k % COUNTY_A.len()];
    let b = COUNTY_B[(k / COUNTY_A.len()) % COUNTY_B.len()];
    let c = COUNTY_C[(k / (COUNTY_A.len() * COUNTY_B.len())) % COUNTY_C.len()];
    format!("{a}{b}{c}")
}

/// 1 → 一, 12 → 十二, 23 → 二十三 (1..=99).
pub(crate) fn cn_number(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let n = n.clamp(1, 99);
    let (t, u) = (n / 10, n % 10);
    let mut s = String::new();
    if t > 1 {
        s.push_str(D[t]);
    }
    if t > 0 {
        s.push('十');
    }
    if u > 0 {
        s.push_str(D[u]);
    }
    s
}
