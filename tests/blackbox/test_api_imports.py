"""
Black-box tests of the import API: POST /api/v1/imports with the file as the
raw body (text/csv, XLSX) or in multipart/form-data, options as query
parameters (dry_run, mode, match, skip_bad, map, default), answering the
report (rows, created/updated/failed, problems with row, column, value and a
message in the caller's language, the batch id); GET /api/v1/imports lists
batches, POST /api/v1/imports/{id}/undo undoes one; the import permission and
data scope apply (a salesperson is refused; what a manager imports is theirs).
"""
import uuid

from .kehu_fixture import KehuTestCase

HEADER = "客户名称,联系人,联系方式,所属行业,合作状态,客户来源,需求描述,首次接触时间,累计消费金额(元)\r\n"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def row(name, phone, status="合作中", date="2024/5/10", amount="1,000"):
    return "%s,王芳,%s,IT服务,%s,行业展会,需求,%s,\"%s\"\r\n" % (name, phone, status, date, amount)


class ImportApi(KehuTestCase):
    with_org = True

    def post_csv(self, client, text, params=None, lang=None):
        kw = {"lang": lang} if lang else {}
        return client.request("POST", "/imports", raw=text.encode("utf-8"), params=params,
                              content_type="text/csv", **kw)

    def names(self, client):
        items = self.all_pages(client, "/customers", {"limit": 200})
        return {c["name"] for c in items}

    def test_all_or_nothing_then_skip_bad_and_undo(self):
        mgr = self.org.client("mgr")
        text = HEADER + row("接口一有限公司", "13500135001") + row("接口坏行", "12", date="soon")
        r = self.post_csv(mgr, text, lang="en")
        self.assertStatus(r, 200)
        j = r.json
        self.assertEqual((j["rows"], j["failed"], j["written"], j["batch_id"]),
                         (2, 1, False, None))
        probs = {(p["row"], p["column"], p["value"]) for p in j["problems"]}
        self.assertIn((3, "联系方式", "12"), probs)
        self.assertIn((3, "首次接触时间", "soon"), probs)
        self.assertNotIn("接口一有限公司", self.names(mgr))
        # in Chinese when the caller asks for it
        zh = self.post_csv(mgr, text, params={"dry_run": "true"}, lang="zh-CN")
        self.assertTrue(any("日期" in p["message"] for p in zh.json["problems"]), zh.json)

        r = self.post_csv(mgr, text, params={"skip_bad": "true"})
        self.assertStatus(r, 201)
        batch = r.json["batch_id"]
        self.assertTrue(batch)
        self.assertEqual(r.json["created"], 1)
        self.assertIn("接口一有限公司", self.names(mgr))
        listing = mgr.get("/imports")
        self.assertStatus(listing, 200)
        self.assertIn(batch, [b["id"] for b in listing.json["items"]])
        u = mgr.post("/imports/%d/undo" % batch)
        self.assertStatus(u, 200)
        self.assertNotIn("接口一有限公司", self.names(mgr))
        again = mgr.post("/imports/%d/undo" % batch)
        self.assertError(again, 409)

    def test_multipart_upsert_by_phone(self):
        mgr = self.org.client("mgr")
        self.assertStatus(self.post_csv(mgr, HEADER + row("表单有限公司", "13500135011",
                                                          status="意向客户")), 201)
        boundary = "kehu" + uuid.uuid4().hex
        body = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.csv\"\r\n"
                "Content-Type: text/csv\r\n\r\n%s\r\n--%s--\r\n" % (
                    boundary, HEADER + row("表单有限公司", "135-0013-5011"), boundary))
        r = mgr.request("POST", "/imports", raw=body.encode("utf-8"),
                        params=[("mode", "upsert"), ("match", "phone")],
                        content_type="multipart/form-data; boundary=" + boundary)
        self.assertStatus(r, 201)
        self.assertEqual((r.json["updated"], r.json["created"]), (1, 0))
        items = self.all_pages(mgr, "/customers", {"q": "表单有限公司"})
        self.assertEqual([c["status"]["code"] for c in items], ["active"])
        batches = mgr.get("/imports").json["items"]
        self.assertEqual(batches[0]["file_name"], "c.csv")

    def test_refusals(self):
        sales = self.org.client("sales_a")
        r = self.post_csv(sales, HEADER + row("销售导入有限公司", "13500135021"))
        self.assertError(r, 403)
        mgr = self.org.client("mgr")
        r = mgr.request("POST", "/imports", raw=b"{}", content_type="application/json")
        self.assertError(r, 415)
        r = self.post_csv(mgr, HEADER, params={"mode": "sideways"})
        self.assertRefused(r, fields=("mode",))
        r = self.post_csv(mgr, "电话\r\n13500135031\r\n")  # no name column
        self.assertRefused(r)
        r = mgr.request("POST", "/imports", raw=b"PK\x03\x04 not really a zip", content_type=XLSX)
        self.assertError(r, (400, 415, 422))
        self.assert_alive()

    def test_map_and_defaults_as_query_parameters(self):
        mgr = self.org.client("mgr")
        text = "shop,mobile\r\n参数商店,13500135041\r\n"
        params = [("map", "shop=name"), ("default", "source=行业展会"), ("default", "status=合作中"),
                  ("default", "requirement=进货"), ("default", "first_contact_date=2024-05-10"),
                  ("default", "contact_name=店主")]
        r = self.post_csv(mgr, text, params=params)
        self.assertStatus(r, 201)
        items = self.all_pages(mgr, "/customers", {"q": "参数商店"})
        self.assertEqual(len(items), 1)
        # what a manager imports is theirs
        self.assertEqual(items[0]["owner"]["id"], self.org.users["mgr"]["id"])
