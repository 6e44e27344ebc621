"""Dictionaries (drop-down options): add, rename, reorder, retire; input by code or label."""

import unittest

from .kehu_fixture import KehuTestCase, USER_PASSWORD, customer_body


class DictionaryTests(KehuTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.admin.post("/users", {"username": "dict-sales", "display_name": "字典销售",
                                      "role": "sales", "password": USER_PASSWORD})
        assert r.status == 201, r
        cls.sales = cls.server.login("dict-sales", USER_PASSWORD)

    def options(self, kind, retired=False, client=None):
        params = {"kind": kind}
        if retired:
            params["retired"] = "true"
        r = self.assertStatus((client or self.admin).get("/dictionaries", params=params), 200)
        return r.json["items"]

    def add(self, kind, code, zh, en, **extra):
        body = {"kind": kind, "code": code, "label_zh": zh, "label_en": en}
        body.update(extra)
        r = self.admin.post("/dictionaries", body)
        self.assertStatus(r, 201)
        return r

    def test_lists_and_kinds(self):
        kinds = self.assertStatus(self.admin.get("/dictionaries/kinds"), 200).json["items"]
        by_code = {k["code"]: k for k in kinds}
        for k in ("customer_kind", "industry", "region", "source", "customer_status", "tag"):
            self.assertIn(k, by_code)
        self.assertEqual(by_code["industry"]["en"], "Industry")
        self.assertNotEqual(by_code["industry"]["zh"], "Industry")
        opts = self.options("customer_status", client=self.sales)
        self.assertEqual([o["code"] for o in opts],
                         ["potential", "intent", "active", "paused", "lost"])
        self.assertEqual((opts[0]["label_zh"], opts[0]["label_en"]), ("潜在客户", "Prospect"))
        orders = [o["sort_order"] for o in self.options("industry")]
        self.assertEqual(orders, sorted(orders))
        self.assertError(self.admin.get("/dictionaries", params={"kind": "no_such_kind"}), 422,
                         fields=("kind",))
        allk = self.assertStatus(self.admin.get("/dictionaries"), 200).json["items"]
        self.assertGreater(len(allk), 50)

    def test_add_option_and_use_it_by_code_or_label(self):
        r = self.add("industry", "aerospace", "航空航天", "Aerospace")
        self.assertEqual(r.headers.get("Location"), "/api/v1/dictionaries/%d" % r.json["id"])
        self.assertEqual(r.etag, '"1"')
        self.assertFalse(r.json["retired"])
        opts = self.options("industry")
        self.assertEqual(opts[-1]["code"], "aerospace", "a new option goes last")
        want = {"code": "aerospace", "zh": "航空航天", "en": "Aerospace"}
        for value in ("aerospace", "航空航天", "Aerospace"):
            c = self.sales.post("/customers", customer_body("航天%s有限公司" % value,
                                                            industry=value))
            self.assertStatus(c, 201)
            self.assertEqual(c.json["industry"], want)
            g = self.assertStatus(self.sales.get("/customers/%d" % c.json["id"]), 200)
            self.assertEqual(g.json["industry"], want)

    def test_option_input_is_validated(self):
        base = {"kind": "industry", "code": "ok_code", "label_zh": "好", "label_en": "Good"}
        for change, field in ((("code", "Bad Code"), "code"), (("code", ""), "code"),
                              (("kind", "nonsense"), "kind"), (("label_zh", None), "label_zh"),
                              (("label_en", "x" * 61), "label_en"), (("colour", "red"), "colour"),
                              (("sort_order", "first"), "sort_order"),
                              (("retired", "yes"), "retired")):
            body = dict(base)
            body[change[0]] = change[1]
            with self.subTest(change=change):
                self.assertRefused(self.admin.post("/dictionaries", body), fields=(field,))
        body = dict(base)
        del body["label_en"]
        self.assertError(self.admin.post("/dictionaries", body), 422, fields=("label_en",))
        dup = self.admin.post("/dictionaries", {"kind": "industry", "code": "retail",
                                                "label_zh": "零售二", "label_en": "Retail 2"})
        self.assertIn(dup.status, (409, 422), dup)
        self.assertError(dup, dup.status, fields=("code",))
        # the same code in another dictionary is fine
        self.add("region", "retail", "零售区", "Retail area")

    def test_labels_stay_unambiguous_within_a_dictionary(self):
        """Input by label must name one option: a second option with the same label
        (in either language) would make "零售业" or "Retail" ambiguous."""
        r = self.admin.post("/dictionaries", {"kind": "industry", "code": "retail2",
                                              "label_zh": "零售业", "label_en": "Retail two"})
        self.assertIn(r.status, (409, 422), "duplicate zh label accepted: %r" % (r,))
        r = self.admin.post("/dictionaries", {"kind": "industry", "code": "retail3",
                                              "label_zh": "零售三", "label_en": "Retail"})
        self.assertIn(r.status, (409, 422), "duplicate en label accepted: %r" % (r,))
        r = self.admin.post("/dictionaries", {"kind": "industry", "code": "retail4",
                                              "label_zh": "retail", "label_en": "Retail four"})
        self.assertIn(r.status, (409, 422), "label equal to another code accepted: %r" % (r,))

    def test_rename_label(self):
        r = self.add("industry", "biotech", "生物科技", "Biotech")
        c = self.assertStatus(self.sales.post("/customers",
                                              customer_body("生物有限公司", industry="生物科技")),
                              201)
        p = self.admin.patch("/dictionaries/%d" % r.json["id"],
                             {"label_zh": "生物医药", "label_en": "Biopharma"}, if_match=r)
        self.assertStatus(p, 200)
        self.assertEqual(p.json["version"], 2)
        g = self.assertStatus(self.sales.get("/customers/%d" % c.json["id"]), 200)
        self.assertEqual(g.json["industry"], {"code": "biotech", "zh": "生物医药",
                                              "en": "Biopharma"})
        lst = self.assertStatus(self.sales.get("/customers", params={"industry": "生物医药"}), 200)
        self.assertIn(c.json["id"], [x["id"] for x in lst.json["items"]])
        n = self.sales.post("/customers", customer_body("新名有限公司", industry="Biopharma"))
        self.assertStatus(n, 201)
        self.assertError(self.sales.post("/customers", customer_body("旧名有限公司",
                                                                     industry="生物科技")),
                         422, fields=("industry",))
        self.assertError(self.admin.patch("/dictionaries/%d" % r.json["id"],
                                          {"code": "bio"}, if_match=p), 422, fields=("code",))
        self.assertError(self.admin.patch("/dictionaries/%d" % r.json["id"],
                                          {"kind": "region"}, if_match=p), 422, fields=("kind",))

    def test_reorder(self):
        before = self.options("region")
        last = before[-1]
        p = self.admin.patch("/dictionaries/%d" % last["id"],
                             {"sort_order": before[0]["sort_order"] - 1},
                             if_match=last["version"])
        self.assertStatus(p, 200)
        after = self.options("region")
        self.assertEqual(after[0]["code"], last["code"])
        self.assertEqual([o["code"] for o in after[1:]], [o["code"] for o in before[:-1]])

    def test_retire_keeps_old_values_but_refuses_new_ones(self):
        opt = self.add("industry", "telecom", "通信", "Telecom")
        old = self.assertStatus(self.sales.post("/customers",
                                                customer_body("通信旧有限公司", industry="telecom")),
                                201)
        other = self.assertStatus(self.sales.post("/customers",
                                                  customer_body("通信新有限公司", industry="retail")),
                                  201)
        r = self.admin.patch("/dictionaries/%d" % opt.json["id"], {"retired": True}, if_match=opt)
        self.assertStatus(r, 200)
        self.assertTrue(r.json["retired"])
        self.assertNotIn("telecom", [o["code"] for o in self.options("industry")])
        listed = [o for o in self.options("industry", retired=True) if o["code"] == "telecom"]
        self.assertEqual(len(listed), 1)
        self.assertTrue(listed[0]["retired"])
        # not accepted for new values, by code or label
        for value in ("telecom", "通信", "Telecom"):
            e = self.sales.post("/customers", customer_body("通信再有限公司", industry=value))
            err = self.assertError(e, 422, fields=("industry",))
        self.assertError(self.sales.patch("/customers/%d" % other.json["id"],
                                          {"industry": "telecom"}, if_match=other),
                         422, fields=("industry",))
        # but kept on the old record, shown with its labels, and still filterable
        g = self.assertStatus(self.sales.get("/customers/%d" % old.json["id"]), 200)
        self.assertEqual(g.json["industry"], {"code": "telecom", "zh": "通信", "en": "Telecom"})
        p = self.sales.patch("/customers/%d" % old.json["id"], {"remarks": "改备注"}, if_match=g)
        self.assertStatus(p, 200)
        self.assertEqual(p.json["industry"]["code"], "telecom")
        p2 = self.sales.patch("/customers/%d" % old.json["id"],
                              {"industry": "telecom", "remarks": "再改"}, if_match=p)
        self.assertStatus(p2, 200)
        lst = self.assertStatus(self.sales.get("/customers", params={"industry": "telecom"}), 200)
        self.assertEqual([x["id"] for x in lst.json["items"]], [old.json["id"]])
        # un-retire: accepted again
        self.assertStatus(self.admin.patch("/dictionaries/%d" % opt.json["id"],
                                           {"retired": False}, if_match=r), 200)
        self.assertStatus(self.sales.post("/customers", customer_body("通信复用有限公司",
                                                                      industry="通信")), 201)

    def test_dictionary_changes_are_audited(self):
        opt = self.add("source", "wechat_ad", "微信广告", "WeChat ads")
        self.assertStatus(self.admin.patch("/dictionaries/%d" % opt.json["id"],
                                           {"label_zh": "朋友圈广告"}, if_match=opt), 200)
        a = self.assertStatus(self.admin.get("/audit", params={"entity": "dict_option",
                                                               "entity_id": opt.json["id"]}), 200)
        actions = [e["action"] for e in a.json["items"]]
        self.assertEqual(sorted(actions), ["create", "update"])
        upd = [e for e in a.json["items"] if e["action"] == "update"][0]
        self.assertIn({"field": "label_zh", "old": "微信广告", "new": "朋友圈广告"},
                      upd["changes"])


if __name__ == "__main__":
    unittest.main()
