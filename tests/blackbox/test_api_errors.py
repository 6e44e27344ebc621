"""Error bodies: {"error":{"code","message","fields"}}, in the language of
Accept-Language (zh-CN by default, en), naming the fields at fault."""

import re
import unittest

from .kehu_fixture import BAD_INPUT, Client, KehuTestCase, USER_PASSWORD, customer_body

CJK = re.compile(r"[\u4e00-\u9fff]")


def is_chinese(s):
    return bool(CJK.search(s or ""))


class ErrorLanguageTests(KehuTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.admin.post("/users", {"username": "err-sales", "display_name": "错误销售",
                                      "role": "sales", "password": USER_PASSWORD})
        assert r.status == 201, r
        cls.zh = cls.server.login("err-sales", USER_PASSWORD)
        cls.en = cls.server.login("err-sales", USER_PASSWORD, lang="en")

    def test_default_is_chinese_and_english_on_request(self):
        for lang, chinese in ((None, True), ("zh-CN", True), ("zh", True), ("en", False),
                              ("en-US,en;q=0.9", False), ("en-GB", False),
                              ("fr-FR", True), ("de, en;q=0.5", False),
                              ("zh-CN;q=0.4, en;q=0.8", False), ("en;q=0.2, zh-CN", True),
                              ("*", True), ("", True), ("en;q=abc", False)):
            with self.subTest(lang=lang):
                r = Client(self.server, lang).get("/customers")
                err = self.assertError(r, 401, "unauthenticated")
                self.assertEqual(is_chinese(err["message"]), chinese, err["message"])
                self.assertEqual(r.headers.get("Content-Language"), "zh-CN" if chinese else "en")

    def test_validation_errors_name_fields_in_the_language(self):
        # shape errors (wrong JSON types, unknown fields) ...
        shape = ({"name": "x", "contract_amount": 1.5, "colour": "red", "tags": "a"},
                 ("contract_amount", "colour", "tags"))
        # ... and value errors (required, bad dates, unknown options)
        values = ({"name": "", "first_contact_date": "2024-99-01", "status": "不存在的状态"},
                  ("name", "first_contact_date", "status", "source", "requirement"))
        for body, fields in (shape, values):
            with self.subTest(fields=fields):
                status = BAD_INPUT if "colour" in fields else 422
                ez = self.assertError(self.zh.post("/customers", body), status, fields=fields)
                ee = self.assertError(self.en.post("/customers", body), status, fields=fields)
                self.assertEqual(set(ez["fields"]), set(ee["fields"]))
                for f in ez["fields"]:
                    self.assertTrue(is_chinese(ez["fields"][f]), ez["fields"][f])
                    self.assertFalse(is_chinese(ee["fields"][f].replace("不存在的状态", "")),
                                     ee["fields"][f])
                self.assertTrue(is_chinese(ez["message"]))
                self.assertFalse(is_chinese(ee["message"].replace("不存在的状态", "")))
                if "colour" in fields:
                    self.assertIn("colour", ee["fields"]["colour"])
                if "requirement" in fields:
                    self.assertIn("Requirement", ee["fields"]["requirement"])

    def test_every_kind_of_error_is_translated(self):
        cid = self.assertStatus(self.zh.post("/customers", customer_body("错误语言有限公司")),
                                201).json["id"]
        cases = [
            ("GET", "/nope", {}, 404, "not_found"),
            ("PUT", "/customers", {}, 405, "method_not_allowed"),
            ("GET", "/customers/999999", {}, 404, "not_found"),
            ("PATCH", "/customers/%d" % cid, {"body": {"remarks": "x"}}, 428,
             "precondition_required"),
            ("PATCH", "/customers/%d" % cid, {"body": {"remarks": "x"}, "if_match": 9}, 412,
             "version_conflict"),
            ("POST", "/customers", {"raw": b"{bad json"}, 400, "bad_request"),
            ("POST", "/customers", {"raw": b"{}", "content_type": "text/plain"}, 415,
             "unsupported_media_type"),
            ("GET", "/audit", {}, 403, "forbidden"),
            ("POST", "/customers", {"body": {}, "csrf": False}, 403, "csrf_failed"),
            ("GET", "/customers", {"params": {"sort": "nope"}}, BAD_INPUT, None),
        ]
        for method, path, kw, status, code in cases:
            with self.subTest(method=method, path=path, status=status):
                ez = self.assertError(self.zh.request(method, path, **kw), status, code)
                ee = self.assertError(self.en.request(method, path, **kw), status, code)
                self.assertTrue(is_chinese(ez["message"]), ez["message"])
                self.assertFalse(is_chinese(ee["message"]), ee["message"])

    def test_error_body_shape(self):
        r = self.en.post("/customers", {"name": "x"})
        self.assertEqual(r.headers.get("Content-Type"), "application/json; charset=utf-8")
        self.assertEqual(set(r.json), {"error"})
        self.assertTrue({"code", "message", "fields"} <= set(r.json["error"]))
        for v in r.json["error"]["fields"].values():
            self.assertIsInstance(v, str)
            self.assertTrue(v)
        r = self.en.get("/nope")
        self.assertEqual(set(r.json["error"]), {"code", "message"})

    def test_dictionary_labels_follow_the_language_in_messages(self):
        r = self.assertStatus(self.admin.post("/dictionaries", {
            "kind": "industry", "code": "retired_one", "label_zh": "已停用行业",
            "label_en": "Retired industry"}), 201)
        self.assertStatus(self.admin.patch("/dictionaries/%d" % r.json["id"], {"retired": True},
                                           if_match=r), 200)
        ez = self.assertError(self.zh.post("/customers", customer_body(
            "停用有限公司", industry="retired_one")), 422, fields=("industry",))
        ee = self.assertError(self.en.post("/customers", customer_body(
            "停用有限公司", industry="retired_one")), 422, fields=("industry",))
        self.assertIn("已停用行业", ez["fields"]["industry"])
        self.assertIn("Retired industry", ee["fields"]["industry"])

    def test_success_bodies_are_language_neutral(self):
        a = self.assertStatus(self.zh.post("/customers", customer_body("语言中立有限公司",
                                                                       status="合作中")), 201)
        b = self.assertStatus(self.en.get("/customers/%d" % a.json["id"]), 200)
        self.assertEqual(b.json["status"], {"code": "active", "zh": "合作中", "en": "Active"})
        self.assertEqual(a.json["status"], b.json["status"])


if __name__ == "__main__":
    unittest.main()
