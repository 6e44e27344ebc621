#!/usr/bin/env python3
"""io_gen.py — test files for the reader benchmark (bench/io-read.sh).

  bench/io_gen.py ROWS OUT_PREFIX

Writes OUT_PREFIX.csv (UTF-8, customer rows with the seeds' Chinese headers, some
quoted fields), OUT_PREFIX.simple.csv (five short ASCII fields a row) and
OUT_PREFIX.xlsx (the customer rows as Excel writes them: shared strings for text,
numbers, dates as serials with a date style). The GBK copy is made by iconv in
io-read.sh. Deterministic: the same ROWS gives the same bytes.
"""
import random
import sys
import zipfile

HEAD = ["客户编号", "客户名称", "联系人", "联系方式", "所属行业", "客户类型", "首次合作时间",
        "合作次数", "累计消费金额(元)", "负责人", "合作状态"]
CITIES = ["北京", "上海", "深圳", "广州", "杭州", "成都", "武汉", "南京", "苏州", "西安"]
WORDS = ["华信", "腾云", "恒达", "金桥", "远景", "星辰", "嘉禾", "博远", "新源", "瑞丰"]
KINDS = ["科技有限公司", "贸易有限公司", "实业有限公司", "信息技术有限公司", "商贸有限责任公司"]
SURN = "王李张刘陈杨赵黄周吴"
GIVEN = ["芳", "伟", "娜", "强", "敏", "磊", "静", "洋", "艳", "军"]
INDUSTRY = ["制造业", "批发零售", "信息技术", "金融", "教育", "医疗"]
TYPE = ["企业客户", "个人客户", "渠道客户"]
STATUS = ["合作中", "潜在", "流失"]


def rows(n):
    rnd = random.Random(42)
    for i in range(1, n + 1):
        name = rnd.choice(CITIES) + rnd.choice(WORDS) + rnd.choice(KINDS)
        if i % 50 == 0:
            name = name + ',"总部"'  # a comma and quotes: a quoted field
        day = 44197 + rnd.randrange(1400)
        yield [f"KH{i:08d}", name, rnd.choice(SURN) + rnd.choice(GIVEN),
               f"138{rnd.randrange(10**8):08d}", rnd.choice(INDUSTRY), rnd.choice(TYPE),
               day, rnd.randrange(1, 60), round(rnd.uniform(100, 900000), 2),
               rnd.choice(SURN) + rnd.choice(GIVEN), rnd.choice(STATUS)]


def iso(serial):
    import datetime
    return (datetime.date(1899, 12, 30) + datetime.timedelta(days=serial)).isoformat()


def csv_field(v):
    s = str(v)
    if any(c in s for c in ',"\n'):
        s = '"' + s.replace('"', '""') + '"'
    return s


def write_csv(n, path):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(HEAD) + "\r\n")
        for r in rows(n):
            r[6] = iso(r[6])
            f.write(",".join(csv_field(v) for v in r) + "\r\n")


def write_simple(n, path):
    with open(path, "w", encoding="ascii", newline="") as f:
        f.write("id,name,phone,amount,status\n")
        for i in range(1, n + 1):
            f.write(f"{i},customer{i},1380013{i % 10000:04d},{i % 997}.5,ok\n")


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def write_xlsx(n, path):
    strings, index = [], {}

    def sid(s):
        if s not in index:
            index[s] = len(strings)
            strings.append(s)
        return index[s]

    def col(i):
        return chr(ord("A") + i)

    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>'.encode())
            f.write(('<row r="1">' + "".join(
                f'<c r="{col(j)}1" t="s"><v>{sid(h)}</v></c>' for j, h in enumerate(HEAD))
                + "</row>").encode())
            for i, r in enumerate(rows(n), start=2):
                cells = []
                for j, v in enumerate(r):
                    ref = f"{col(j)}{i}"
                    if j == 6:
                        cells.append(f'<c r="{ref}" s="1"><v>{v}</v></c>')
                    elif isinstance(v, (int, float)):
                        cells.append(f'<c r="{ref}"><v>{v}</v></c>')
                    else:
                        cells.append(f'<c r="{ref}" t="s"><v>{sid(v)}</v></c>')
                f.write(f'<row r="{i}">{"".join(cells)}</row>'.encode())
            f.write(b"</sheetData></worksheet>")
        z.writestr("xl/sharedStrings.xml", f'<sst {ns} uniqueCount="{len(strings)}">' +
                   "".join(f"<si><t>{esc(s)}</t></si>" for s in strings) + "</sst>")
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("_rels/.rels", f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="客户" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>')
        z.writestr("xl/styles.xml", f'<styleSheet {ns}><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>')


if __name__ == "__main__":
    n, out = int(sys.argv[1]), sys.argv[2]
    write_csv(n, out + ".csv")
    write_simple(n, out + ".simple.csv")
    write_xlsx(n, out + ".xlsx")
