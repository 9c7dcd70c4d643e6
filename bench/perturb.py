#!/usr/bin/env python3
"""Copy a submission with holes in it, to test the SQL mirror's semantics.

    python3 bench/perturb.py SRC DST SEED P

Blanks each optional cell with probability P (普惠性, 双师型, 任教学段,
幼儿园班级类型, the district's rates, …), sets some counts and areas to 0
(zero denominators), and flips some 专任教师 and 任教学段 values. The result is
still a valid submission (only optional cells are blanked), but many checks
become not evaluable, which is where the two implementations could differ.
Used by bench/selftest.sh.
"""

import csv
import os
import random
import sys

OPTIONAL = {
    "学校.csv": ["普惠性", "集团化办学", "学区化办学", "校园无线网络", "课后服务", "语言文字规范化示范校"],
    "班级.csv": ["班级名称", "幼儿园班级类型", "互动式多媒体教学设备"],
    "教师.csv": ["姓名", "任教学段", "双师型", "园长", "园长任职资格证"],
    "区县.csv": ["3-5岁常住人口", "15-17岁常住人口", "九年义务教育巩固率", "初中三年巩固率", "残疾儿童少年入学率",
                "社会认可度", "优质教育覆盖率", "普通话普及率", "中职毕业生升高职和应用本科比例", "一般公共预算教育支出",
                "生均一般公共预算教育支出", "财政经常性收入", "教育财政拨款", "高等教育在校生规模", "研究生在校生数",
                "普通本科在校生数", "高等教育毛入学率", "人均受教育年限", "劳动年龄人口平均受教育年限"],
}
ZERO = {
    "学校.csv": ["在校生数", "网络多媒体教室数", "教学仪器设备值"],
    "班级.csv": ["班额"],
    "教师.csv": [],
    "区县.csv": ["教育财政拨款", "财政经常性收入", "3-5岁常住人口"],
}


def main():
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    src, dst, seed, p = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    rnd = random.Random(seed)
    os.makedirs(dst, exist_ok=True)
    for name in OPTIONAL:
        with open(os.path.join(src, name), encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        head = rows[0]
        col = {h: i for i, h in enumerate(head)}
        for r in rows[1:]:
            for c in OPTIONAL[name]:
                if c in col and rnd.random() < p:
                    r[col[c]] = ""
            for c in ZERO[name]:
                if c in col and rnd.random() < p / 3:
                    r[col[c]] = "0"
            if name == "教师.csv":
                if rnd.random() < p:
                    r[col["专任教师"]] = rnd.choice(["是", "否"])
                if "任教学段" in col and rnd.random() < p:
                    r[col["任教学段"]] = rnd.choice(["小学", "初中", "高中", ""])
        with open(os.path.join(dst, name), "w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(rows)


if __name__ == "__main__":
    main()
