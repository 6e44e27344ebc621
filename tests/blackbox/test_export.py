"""
Black-box tests of exports (DESIGN 3 "Files", issue 5 part 5): GET
/api/v1/<list>/export and `kehu export`. An export holds exactly the rows
and columns the list gives for the same filters and user (data scope, masking),
needs the export permission, is audited, writes CSV (UTF-8 with a BOM, CRLF,
or GB18030) and XLSX (typed cells, frozen bold header, autofilter), and
neutralises formulas in CSV.
"""
import csv
import io
import os
import re
import tempfile
import unittest
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

from .kehu_fixture import KehuTestCase, customer_body, patch_role, run_kehu

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
BOM = b"\xef\xbb\xbf"


def parse_csv(body, encoding="utf-8"):
    if encoding == "utf-8":
        assert body.startswith(BOM), body[:10]
        body = body[3:]
    text = body.decode(encoding)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:], text


def mask_mobile(p):
    return p[:3] + "****" + p[7:]


class Xlsx:
    """The first sheet of an XLSX file, read with the standard library."""

    def __init__(self, data):
        z = zipfile.ZipFile(io.BytesIO(data))
        self.sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
        styles = ET.fromstring(z.read("xl/styles.xml"))
        fmts = {int(f.get("numFmtId")): f.get("formatCode")
                for f in styles.iterfind("m:numFmts/m:numFmt", NS)}
        self.style_fmt = []  # cell style index -> number format code
        for xf in styles.iterfind("m:cellXfs/m:xf", NS):
            fid = int(xf.get("numFmtId", "0"))
            self.style_fmt.append(fmts.get(fid, str(fid)))
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            ss = ET.fromstring(z.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter("{%s}t" % NS["m"]))
                      for si in ss.iterfind("m:si", NS)]
        self.rows = []
        for row in self.sheet.iterfind("m:sheetData/m:row", NS):
            cells = {}
            for c in row.iterfind("m:c", NS):
                col = re.match(r"[A-Z]+", c.get("r")).group(0)
                t = c.get("t")
                style = self.style_fmt[int(c.get("s", "0"))]
                if t == "inlineStr":
                    v = ("str", "".join(x.text or "" for x in c.iter("{%s}t" % NS["m"])))
                elif t == "s":
                    v = ("str", shared[int(c.find("m:v", NS).text)])
                else:
                    v = ("num", float(c.find("m:v", NS).text), style)
                cells[col] = v
            self.rows.append(cells)

    def column(self, header):
        for col, v in self.rows[0].items():
            if v[1] == header:
                return col
        raise KeyError(header)


class ExportTests(KehuTestCase):
    with_org = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.admin
        roles = {r["code"]: r for r in admin.get("/roles").json["items"]}
        # a salesperson and a viewer who may export: scope and masking still apply
        for code in ("sales", "viewer"):
            perms = roles[code]["permissions"] + ["export"]
            assert patch_role(admin, code, {"permissions": perms}).status == 200
        # service keeps its default: no export
        cid = cls.org.owned["sales_a"][0]
        cls.cid = cid
        for i, (day, content) in enumerate([("2024-06-01", "=HYPERLINK(\"http://x\",\"点我\")"),
                                            ("2024-06-02", "@SUM(1+1)"),
                                            ("2024-06-03", "-2+3"),
                                            ("2024-06-04", "电话沟通，客户说 \"很满意\", 下周再谈")]):
            r = admin.post("/followups", {"customer_id": cid, "date": day, "content": content,
                                          "method": "phone"})
            assert r.status == 201, r
        other = cls.org.owned["sales_b"][0]
        assert admin.post("/followups", {"customer_id": other, "date": "2024-06-05",
                                         "content": "别人的客户"}).status == 201
        r = admin.post("/orders", {"customer_id": cid, "date": "2024-07-08", "amount": 123456,
                                   "quantity": 3, "paid_on_time": True})
        assert r.status == 201, r
        cls.order_id = r.json["id"]

    def export(self, client, path, **params):
        return client.get(path + "/export", params=params)

    def list_items(self, client, path, **params):
        params = dict(params)
        params.pop("fields", None)
        return self.all_pages(client, path, params)

    # ---- rows and columns are the list's

    def test_salesperson_gets_exactly_the_rows_of_the_list(self):
        for key in ("sales_a", "lead", "admin"):
            c = self.org.client(key)
            for params in ({}, {"status": "active"}, {"q": "科技", "sort": "name"}):
                r = self.assertStatus(self.export(c, "/customers", fields="name,status",
                                                  **params), 200)
                header, rows, _ = parse_csv(r.body)
                self.assertEqual(header, ["ID", "客户名称", "合作状态", "主要联系人", "联系电话"])
                items = self.list_items(c, "/customers", limit=3, **params)
                self.assertEqual([int(x[0]) for x in rows], [i["id"] for i in items],
                                 (key, params))
                self.assertEqual([x[1] for x in rows], [i["name"] for i in items])
                self.assertEqual([x[2] for x in rows], [i["status"]["zh"] for i in items])
        sa_rows = parse_csv(self.export(self.org.client("sales_a"), "/customers").body)[1]
        self.assertEqual({int(x[0]) for x in sa_rows}, self.org.ids("sales_a"),
                         "never a customer outside the salesperson's scope")

    def test_records_of_out_of_scope_customers_never_appear(self):
        c = self.org.client("sales_a")
        r = self.assertStatus(self.export(c, "/followups", fields="customer_id,content"), 200)
        header, rows, _ = parse_csv(r.body)
        self.assertEqual(header, ["ID", "客户", "沟通内容"])
        self.assertEqual({int(x[1]) for x in rows}, {self.cid})
        items = self.list_items(c, "/followups")
        self.assertEqual([int(x[0]) for x in rows], [i["id"] for i in items])
        # one customer's records, and a customer outside the scope is 404 as for the list
        r = self.assertStatus(c.get("/customers/%d/followups/export" % self.cid), 200)
        self.assertEqual(len(parse_csv(r.body)[1]), 4)
        other = self.org.owned["sales_b"][0]
        self.assertError(c.get("/customers/%d/followups/export" % other), 404)

    def test_viewer_sees_phones_masked_exactly_as_in_the_list(self):
        v = self.org.client("viewer")
        r = self.assertStatus(self.export(v, "/contacts", fields="name,phone"), 200)
        header, rows, text = parse_csv(r.body)
        items = self.list_items(v, "/contacts")
        self.assertEqual([(int(x[0]), x[1], x[2]) for x in rows],
                         [(i["id"], i["name"], i["phone"]) for i in items])
        self.assertTrue(rows)
        for phone in self.org.phones.values():
            self.assertNotIn(phone, text)
        for x in rows:
            self.assertIn("****", x[2])
        # customers: the primary contact's phone column too
        header, rows, text = parse_csv(self.export(v, "/customers").body)
        col = header.index("联系电话")
        items = {i["id"]: i for i in self.list_items(v, "/customers")}
        for x in rows:
            self.assertEqual(x[col], items[int(x[0])]["primary_contact"]["phone"])
            self.assertEqual(x[col], mask_mobile(self.org.phones[int(x[0])]))
        # someone who may unmask gets the digits
        a = parse_csv(self.export(self.org.client("sales_a"), "/customers").body)[2]
        self.assertIn(self.org.phones[self.cid], a)

    def test_without_the_permission_403_and_no_file(self):
        s = self.org.client("svc")
        self.assertError(self.export(s, "/customers"), 403)
        self.assertError(self.export(s, "/followups", format="xlsx"), 403)
        p = run_kehu(self.server.db, "--as", "svc", "export", "customers", "--output",
                     os.path.join(self.server.tmpdir, "no.csv"))
        self.assertEqual(p.returncode, 6, p.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.server.tmpdir, "no.csv")))

    def test_export_is_audited_with_who_what_filters_and_rows(self):
        c = self.org.client("lead")
        r = self.assertStatus(self.export(c, "/customers", status="active", format="xlsx"), 200)
        n = len(Xlsx(r.body).rows) - 1
        log = self.admin.get("/audit", params={"action": "export", "limit": 50}).json["items"]
        mine = [e for e in log if e["username"] == "lead"]
        self.assertTrue(mine, log)
        d = mine[0]["changes"]
        self.assertEqual((d["list"], d["format"], d["rows"], d["params"]),
                         ("customers", "xlsx", n, {"status": "active"}))

    def test_gb18030_decodes_to_the_same_chinese(self):
        c = self.org.client("sales_a")
        u = self.export(c, "/customers")
        g = self.assertStatus(self.export(c, "/customers", encoding="gb18030"), 200)
        self.assertIn("gb18030", g.headers.get("Content-Type"))
        self.assertFalse(g.body.startswith(BOM))
        self.assertNotEqual(g.body, u.body[3:], "really another encoding")
        self.assertEqual(g.body.decode("gb18030"), u.body[3:].decode("utf-8"))
        self.assertIn("深圳市腾云科技有限公司", g.body.decode("gb18030"))

    def test_csv_is_rfc4180_with_crlf_and_formulas_neutralised(self):
        c = self.org.client("sales_a")
        r = self.export(c, "/customers/%d/followups" % self.cid, fields="date,content")
        self.assertIn(b"\r\n", r.body)
        self.assertNotIn(b"\n", r.body.replace(b"\r\n", b""))
        header, rows, _ = parse_csv(r.body)
        content = {x[1]: x[2] for x in rows}
        self.assertEqual(content["2024-06-01"], "'=HYPERLINK(\"http://x\",\"点我\")")
        self.assertEqual(content["2024-06-02"], "'@SUM(1+1)")
        self.assertEqual(content["2024-06-03"], "'-2+3")
        self.assertEqual(content["2024-06-04"], "电话沟通，客户说 \"很满意\", 下周再谈")
        # money: yuan as a plain number; a negative-looking plain number is left alone
        o = parse_csv(self.export(c, "/orders", fields="amount,quantity,paid_on_time").body)
        self.assertEqual(o[0], ["ID", "金额（元）", "数量", "付款及时"])
        self.assertIn([str(self.order_id), "1234.56", "3", "是"], o[1])

    def test_download_headers(self):
        c = self.org.client("sales_a")
        r = self.export(c, "/customers", format="xlsx")
        self.assertEqual(r.headers.get("Content-Type"),
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        cd = r.headers.get("Content-Disposition")
        m = re.search(r"filename\*=UTF-8''([^;]+)", cd)
        self.assertRegex(urllib.parse.unquote(m.group(1)), r"^客户_\d{8}\.xlsx$")
        self.assertRegex(cd, r'^attachment; filename="customers_\d{8}\.xlsx"')
        r = self.export(self.org.client("sales_a", lang="en"), "/followups")
        self.assertEqual(parse_csv(r.body)[0][:3], ["ID", "Version", "Updated at"])

    def test_xlsx_cells_are_typed_with_a_frozen_header_and_a_filter(self):
        c = self.org.client("sales_a")
        r = self.assertStatus(self.export(c, "/orders", format="xlsx",
                                          fields="date,amount,quantity,paid_on_time,updated_at"),
                              200)
        x = Xlsx(r.body)
        header = [v[1] for _, v in sorted(x.rows[0].items())]
        self.assertEqual(header, ["ID", "合作日期", "金额（元）", "数量", "付款及时", "更新时间"])
        row = [cells for cells in x.rows[1:] if cells["A"][1] == self.order_id][0]
        kind, value, fmt = row[x.column("金额（元）")]
        self.assertEqual((kind, value, fmt), ("num", 1234.56, "0.00"))
        self.assertEqual(row[x.column("数量")][:2], ("num", 3.0))
        kind, serial, fmt = row[x.column("合作日期")]
        self.assertEqual((kind, fmt), ("num", "yyyy-mm-dd"))
        self.assertEqual(serial, 45481.0, "2024-07-08 as an Excel date")
        self.assertEqual(row[x.column("付款及时")], ("str", "是"))
        kind, _, fmt = row[x.column("更新时间")]
        self.assertEqual((kind, fmt), ("num", "yyyy-mm-dd hh:mm"))
        pane = x.sheet.find("m:sheetViews/m:sheetView/m:pane", NS)
        self.assertEqual((pane.get("ySplit"), pane.get("state")), ("1", "frozen"))
        af = x.sheet.find("m:autoFilter", NS)
        self.assertEqual(af.get("ref"), "A1:F%d" % len(x.rows))
        # the header is bold; the sheet is named in the user's language
        z = zipfile.ZipFile(io.BytesIO(r.body))
        self.assertIn("合作记录", z.read("xl/workbook.xml").decode())
        self.assertIn("<b/>", z.read("xl/styles.xml").decode())

    def test_xlsx_masking_and_rows_match_the_list(self):
        v = self.org.client("viewer")
        x = Xlsx(self.export(v, "/customers", format="xlsx").body)
        items = self.list_items(v, "/customers")
        self.assertEqual([int(r["A"][1]) for r in x.rows[1:]], [i["id"] for i in items])
        col = x.column("联系电话")
        for r in x.rows[1:]:
            self.assertIn("****", r[col][1])

    def test_bad_parameters_are_named(self):
        c = self.org.client("sales_a")
        self.assertRefused(self.export(c, "/customers", format="pdf"), fields=("format",))
        self.assertRefused(self.export(c, "/customers", encoding="big5"), fields=("encoding",))
        self.assertRefused(self.export(c, "/customers", limit="5"), fields=("limit",))
        self.assertRefused(self.export(c, "/customers", nosuch="1"), fields=("nosuch",))
        self.assertRefused(self.export(c, "/customers", fields="name,nosuch"), fields=("fields",))

    # ---- the CLI

    def cli(self, *args):
        return run_kehu(self.server.db, *args)

    def test_cli_csv_xlsx_gb18030_equal_the_api(self):
        d = tempfile.mkdtemp(dir=self.server.tmpdir)
        out = os.path.join(d, "c.csv")
        p = self.cli("--as", "sales-a", "export", "customers", "--fields", "name,status",
                     "--output", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        api = self.export(self.org.client("sales_a"), "/customers", fields="name,status").body
        with open(out, "rb") as f:
            self.assertEqual(f.read(), api)
        p = self.cli("--as", "sales-a", "--format", "xlsx", "export", "customers", "--output",
                     os.path.join(d, "c.xlsx"))
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(d, "c.xlsx"), "rb") as f:
            x = Xlsx(f.read())
        self.assertEqual({int(r["A"][1]) for r in x.rows[1:]}, self.org.ids("sales_a"))
        gb = os.path.join(d, "gb.csv")
        p = run_kehu(self.server.db, "--as", "viewer", "export", "contacts", "--encoding",
                     "gb18030", "--fields", "name,phone", "--output", gb)
        self.assertEqual(p.returncode, 0, p.stderr)
        api = self.export(self.org.client("viewer"), "/contacts", fields="name,phone",
                          encoding="gb18030").body
        with open(gb, "rb") as f:
            self.assertEqual(f.read(), api)
        self.assertIn("****", api.decode("gb18030"))

    def test_cli_filters_and_the_list_agree(self):
        p = self.cli("--as", "lead", "export", "customers", "--status", "合作中", "--fields",
                     "name")
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = list(csv.reader(io.StringIO(p.stdout.lstrip("\ufeff"), newline="")))[1:]
        lst = self.cli("--as", "lead", "--format", "csv", "customer", "list", "--status",
                       "合作中", "--fields", "name", "--limit", "500")
        self.assertEqual(lst.returncode, 0, lst.stderr)
        listed = list(csv.reader(io.StringIO(lst.stdout, newline="")))[1:]
        self.assertEqual(rows, listed)

    def test_cli_usage_errors(self):
        self.assertEqual(self.cli("export", "nosuch").returncode, 2)
        self.assertEqual(self.cli("export").returncode, 2)
        self.assertEqual(self.cli("export", "customers", "--encoding", "big5").returncode, 2)
        self.assertEqual(self.cli("--format", "xlsx", "customer", "list").returncode, 2)
        p = self.cli("export", "customers", "--limit", "3")
        self.assertEqual(p.returncode, 4, p.stderr)
        self.assertIn("limit", p.stderr)
        p = self.cli("export", "orders", "--progress")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stderr, r"\d+")


if __name__ == "__main__":
    unittest.main()


class ExportThreadTests(KehuTestCase):
    """Exports run on threads of their own: with one worker thread, several at
    once and ordinary requests in between are all answered."""
    threads = 1

    def test_parallel_exports_and_requests_on_one_worker(self):
        import threading
        for i in range(30):
            self.assertStatus(self.admin.post("/customers", customer_body(
                "并发导出客户%02d有限公司" % i, "139000000%02d" % i)), 201)
        results = []

        def one(fmt):
            r = self.admin.get("/customers/export", params={"format": fmt})
            results.append((fmt, r.status, r.body))

        ts = [threading.Thread(target=one, args=(f,)) for f in ("csv", "xlsx", "csv", "xlsx")]
        for t in ts:
            t.start()
        for _ in range(5):
            self.assertStatus(self.admin.get("/customers", params={"limit": 5}), 200)
        for t in ts:
            t.join()
        self.assertEqual(sorted(s for _, s, _ in results), [200] * 4)
        for fmt, _, body in results:
            if fmt == "csv":
                self.assertEqual(len(parse_csv(body)[1]), 30)
            else:
                self.assertEqual(len(Xlsx(body).rows), 31)
