#!/usr/bin/env python3
"""import_gen.py N OUT.csv — N customer rows in the seeds' template columns, for
bench/import.sh: distinct names and mobile numbers, dictionary values by label,
dates in several forms, amounts with separators. Deterministic (seeded)."""
import random
import sys

HEADER = ["客户编号", "客户名称", "联系人", "联系方式", "所属行业", "客户类型", "合作状态",
          "客户来源", "需求描述", "首次接触时间", "首次合作时间", "最近合作时间", "合作次数",
          "累计消费金额(元)", "负责人"]
CITIES = ["北京", "上海", "深圳", "杭州", "成都", "武汉", "南京", "西安", "苏州", "天津"]
WORDS = ["星辰", "海风", "腾云", "华信", "长江", "金桥", "恒通", "博远", "新元", "瑞丰"]
KINDS = ["科技", "贸易", "实业", "物流", "医疗", "教育", "建设", "电子"]
INDUSTRY = ["IT服务", "零售业", "制造业", "金融", "教育培训", "Healthcare"]
STATUS = ["合作中", "意向客户", "潜在客户", "暂停合作"]
SOURCE = ["行业展会", "线上推广", "客户转介绍", "主动拜访"]
PEOPLE = ["王芳", "李雷", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "周杰"]


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(42)
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(HEADER) + "\r\n")
        for i in range(n):
            name = "%s%s%s有限公司%d" % (rnd.choice(CITIES), rnd.choice(WORDS), rnd.choice(KINDS), i)
            y, m, d = 2015 + rnd.randrange(9), 1 + rnd.randrange(12), 1 + rnd.randrange(28)
            first = rnd.choice(["%d-%02d-%02d" % (y, m, d), "%d/%d/%d" % (y, m, d),
                                "%d年%d月%d日" % (y, m, d)])
            deals = rnd.randrange(20)
            amount = "\"%s\"" % format(rnd.randrange(100, 10000000) / 100, ",.2f") if deals else ""
            f.write(",".join([
                "", name, rnd.choice(PEOPLE), "1%02d%08d" % (30 + rnd.randrange(60), i),
                rnd.choice(INDUSTRY), "企业客户", rnd.choice(STATUS), rnd.choice(SOURCE),
                "采购需求%d" % rnd.randrange(100), first,
                "%d-%02d-%02d" % (y + 1, m, d) if deals else "",
                "%d-%02d-%02d" % (y + 2, m, d) if deals else "",
                str(deals) if deals else "", amount, "admin"]) + "\r\n")


if __name__ == "__main__":
    main()
