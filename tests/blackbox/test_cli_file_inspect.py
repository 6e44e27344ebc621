"""
Black-box tests of `kehu file-inspect`: what the importer's reader sees in a
CSV or XLSX file (format, encoding, separator, sheets, the first rows with
their spreadsheet row numbers), as an aligned table or JSON, and the errors a
user meets (missing file, encrypted workbook, wrong encoding, unknown sheet).
The files are written here; the parts on ../shared/data are skipped when it is
absent.

Run: KEHU_BIN=$PWD/build/kehu python3 -m unittest tests.blackbox.test_cli_file_inspect
"""
import io
import os
import unittest
import zipfile

try:
    from . import cli_util as u
except ImportError:  # run from inside tests/blackbox
    import cli_util as u

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.environ.get("KEHU_TEST_DATA") or os.path.join(REPO, "..", "shared", "data")

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'

CUSTOMERS = ("客户编号,客户名称,联系人,累计消费金额(元)\r\n"
             "KH001,深圳市腾云科技有限公司,王芳,\"12,800.50\"\r\n"
             "\r\n"
             "KH002,\"北京华信\r\n贸易有限公司\",李强,300\r\n")


def workbook(sheets):
    """An XLSX (bytes) with sheets [(name, sheet XML body rows)] and a date style (1)."""
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("_rels/.rels", '<Relationships %s><Relationship Id="rId1" Type="%s/'
                   'officeDocument" Target="xl/workbook.xml"/></Relationships>' % (PKG, REL))
        z.writestr("xl/workbook.xml", '<workbook %s xmlns:r="%s"><sheets>%s</sheets></workbook>' % (
            NS, REL, "".join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (n, i, i)
                             for i, (n, _) in enumerate(sheets, 1))))
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships %s>%s<Relationship Id="rS" '
                   'Type="%s/styles" Target="styles.xml"/></Relationships>' % (
                       PKG, "".join('<Relationship Id="rId%d" Type="%s/worksheet" '
                                    'Target="worksheets/sheet%d.xml"/>' % (i, REL, i)
                                    for i in range(1, len(sheets) + 1)), REL))
        z.writestr("xl/styles.xml", '<styleSheet %s><cellXfs><xf numFmtId="0"/>'
                   '<xf numFmtId="14"/></cellXfs></styleSheet>' % NS)
        for i, (_, rows) in enumerate(sheets, 1):
            z.writestr("xl/worksheets/sheet%d.xml" % i,
                       "<worksheet %s><sheetData>%s</sheetData></worksheet>" % (NS, rows))
    return b.getvalue()


class TestFileInspect(u.CliCase):
    INIT = False

    def write(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def test_csv_table_aligned_with_row_numbers(self):
        path = self.write("customers.csv", CUSTOMERS)
        r = self.ok("file-inspect", path, lang="en")
        lines = r.out.splitlines()
        self.assertIn("Format: csv", lines)
        self.assertIn("Encoding: utf-8", lines)
        self.assertIn("Separator: ,", lines)
        table = lines[lines.index("Separator: ,") + 1:]
        self.assertEqual([c for _, c in u.cells_of_line(table[0])], ["Row", "A", "B", "C", "D"])
        # the blank line is row 3; the quoted newline keeps KH002 in one row (4)
        self.assertEqual(u.cells_of_line(table[1])[0][1], "1")
        self.assertEqual(u.cells_of_line(table[2])[0][1], "2")
        self.assertEqual(u.cells_of_line(table[3])[0][1], "4")
        self.assertEqual(len(table), 4)
        # every column starts at the same display column in every line (CJK width 2)
        starts = [[c for c, _ in u.cells_of_line(l)] for l in table[:3]]
        self.assertEqual(starts[0], starts[1])
        self.assertEqual(starts[0], starts[2])
        self.assertIn("深圳市腾云科技有限公司", table[2])
        self.assertIn("12,800.50", table[2])

    def test_chinese_labels_by_default(self):
        path = self.write("c.csv", CUSTOMERS)
        r = self.ok("file-inspect", path)
        self.assertIn("格式", r.out)
        self.assertIn("编码", r.out)

    def test_gbk_detected_without_asking(self):
        path = self.write("gbk.csv", CUSTOMERS.encode("gb18030"))
        j = self.json("file-inspect", path)
        self.assertEqual(j["format"], "csv")
        self.assertEqual(j["encoding"], "gb18030")
        self.assertEqual(j["rows"][0]["cells"], ["客户编号", "客户名称", "联系人", "累计消费金额(元)"])
        self.assertEqual(j["rows"][2]["row"], 4)
        self.assertEqual(j["rows"][2]["cells"][1], "北京华信\r\n贸易有限公司")
        # forced to UTF-8, the same bytes are refused, naming the row
        r = self.fails(u.EXIT_INVALID, "file-inspect", path, "--encoding", "utf-8", lang="en")
        self.assertIn("Row 1", r.err)
        self.assertIn("UTF-8", r.err)
        self.assertEqual(r.out, "")

    def test_json_rows_and_count(self):
        text = "a;b\n" + "".join("%d;x%d\n" % (i, i) for i in range(1, 51))
        path = self.write("semi.csv", text)
        j = self.json("file-inspect", path, "--rows", "3", "--count")
        self.assertEqual(j["separator"], ";")
        self.assertEqual(j["encoding"], "ascii")
        self.assertEqual([r["row"] for r in j["rows"]], [1, 2, 3])
        self.assertEqual(j["rows"][1], {"row": 2, "cells": ["1", "x1"], "types": ["text", "text"]})
        self.assertEqual(j["row_count"], 51)
        self.assertEqual(j["last_row"], 51)
        j = self.json("file-inspect", path, "--rows", "0")
        self.assertEqual(j["rows"], [])
        self.assertNotIn("row_count", j)
        r = self.ok("file-inspect", path, "--separator", ",", fmt="json")
        self.assertIn('"a;b"', r.out)

    def test_xlsx_sheets_and_types(self):
        data = workbook([
            ("客户", '<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c>'
                     '<c r="C1" t="inlineStr"><is><t>日期</t></is></c></row>'
                     '<row r="5"><c r="A5" t="inlineStr"><is><t>腾云</t></is></c>'
                     '<c r="B5"><v>12.5</v></c><c r="C5" s="1"><v>45432</v></c>'
                     '<c r="D5" t="b"><v>0</v></c></row>'),
            ("Second", '<row r="2"><c r="B2"><v>7</v></c></row>'),
        ])
        path = self.write("book.xlsx", data)
        j = self.json("file-inspect", path)
        self.assertEqual(j["format"], "xlsx")
        self.assertEqual(j["sheets"], ["客户", "Second"])
        self.assertEqual(j["sheet"], "客户")
        self.assertEqual(j["rows"][0], {"row": 1, "cells": ["名称", "", "日期"],
                                        "types": ["text", "empty", "text"]})
        self.assertEqual(j["rows"][1], {"row": 5, "cells": ["腾云", "12.5", "2024-05-20", "FALSE"],
                                        "types": ["text", "number", "date", "bool"]})
        for sheet in ("Second", "2"):
            j = self.json("file-inspect", path, "--sheet", sheet)
            self.assertEqual(j["sheet"], "Second")
            self.assertEqual(j["rows"], [{"row": 2, "cells": ["", "7"], "types": ["empty", "number"]}])
        r = self.ok("file-inspect", path, lang="en")
        self.assertIn("Sheets: 1. 客户 * 2. Second", r.out)
        r = self.fails(u.EXIT_NOT_FOUND, "file-inspect", path, "--sheet", "Nope", lang="en")
        self.assertIn("Nope", r.err)

    def test_errors_a_user_meets(self):
        r = self.fails(u.EXIT_NOT_FOUND, "file-inspect", os.path.join(self.tmp, "none.csv"))
        self.assertIn("none.csv", r.err)
        r = self.fails(11, "file-inspect", self.tmp)  # a directory: an I/O error
        self.assertIn(self.tmp, r.err)
        cfb = bytearray(2048)
        cfb[:8] = bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        cfb[1000:1032] = "EncryptedPackage".encode("utf-16-le")
        path = self.write("secret.xlsx", bytes(cfb))
        r = self.fails(u.EXIT_USAGE, "file-inspect", path, lang="en")
        self.assertIn("password-protected", r.err)
        r = self.fails(u.EXIT_USAGE, "file-inspect", path)
        self.assertIn("密码", r.err)
        path = self.write("picture.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        r = self.fails(u.EXIT_USAGE, "file-inspect", path, lang="en")
        self.assertIn("neither CSV nor XLSX", r.err)
        path = self.write("broken.xlsx", workbook([("S", "<row>")])[:-40])
        r = self.fails(u.EXIT_INVALID, "file-inspect", path, lang="en")
        self.assertIn("damaged", r.err)

    def test_usage_errors(self):
        path = self.write("u.csv", "a\n")
        self.fails(u.EXIT_USAGE, "file-inspect")
        self.fails(u.EXIT_USAGE, "file-inspect", path, path)
        self.fails(u.EXIT_USAGE, "file-inspect", path, "--rows", "-1")
        self.fails(u.EXIT_USAGE, "file-inspect", path, "--rows", "many")
        self.fails(u.EXIT_USAGE, "file-inspect", path, "--encoding", "latin1")
        self.fails(u.EXIT_USAGE, "file-inspect", path, "--frob", "1")
        r = self.ok("file-inspect", "--help", lang="en")
        self.assertIn("file-inspect FILE", r.out)


@unittest.skipUnless(os.path.isdir(DATA), "the shared test data (%s) is absent" % DATA)
class TestFileInspectSharedData(u.CliCase):
    INIT = False

    def test_wps_workbook_in_chinese(self):
        j = self.json("file-inspect", os.path.join(DATA, "xlsx/calamine/issue_530.xlsx"))
        self.assertEqual(j["sheets"], ["出勤分类组织汇总表"])
        self.assertEqual(j["rows"][0]["cells"], ["报表导出人：", "于国栋"])

    def test_password_protected_workbook(self):
        r = self.fails(u.EXIT_USAGE, "file-inspect",
                       os.path.join(DATA, "xlsx/calamine/pass_protected.xlsx"), lang="en")
        self.assertIn("password-protected", r.err)

    def test_gbk_csv_as_excel_saves_it(self):
        j = self.json("file-inspect", os.path.join(DATA, "gb18030/derived/tmall_order_report.gbk.csv"),
                      "--count", "--rows", "2")
        self.assertEqual(j["encoding"], "gb18030")
        self.assertEqual(j["rows"][0]["cells"][:2], ["订单编号", "总金额"])
        self.assertEqual(j["row_count"], 28011)


if __name__ == "__main__":
    unittest.main()
