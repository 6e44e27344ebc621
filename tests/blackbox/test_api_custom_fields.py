"""Custom fields: define, set, validate by type, required, retire, filter."""

import unittest

from .kehu_fixture import KehuTestCase, USER_PASSWORD, customer_body

FIELDS = [
    {"key": "wechat_group", "label_zh": "微信群", "label_en": "WeChat group", "type": "text"},
    {"key": "staff_count", "label_zh": "员工人数", "label_en": "Staff", "type": "number"},
    {"key": "credit_limit", "label_zh": "授信额度", "label_en": "Credit limit", "type": "money"},
    {"key": "contract_end", "label_zh": "合同到期", "label_en": "Contract end", "type": "date"},
    {"key": "vip", "label_zh": "VIP", "label_en": "VIP", "type": "bool"},
    {"key": "hobbies", "label_zh": "兴趣", "label_en": "Interests", "type": "tags"},
    {"key": "dealer_level", "label_zh": "经销商级别", "label_en": "Dealer level", "type": "dict"},
]


class CustomFieldTests(KehuTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.admin.post("/users", {"username": "cf-sales", "display_name": "自定义销售",
                                      "role": "sales", "password": USER_PASSWORD})
        assert r.status == 201, r
        cls.sales = cls.server.login("cf-sales", USER_PASSWORD)
        cls.defs = {}
        for f in FIELDS:
            r = cls.admin.post("/custom-fields", f)
            assert r.status == 201, r
            cls.defs[f["key"]] = r.json
        for code, zh, en in (("gold", "金牌", "Gold"), ("silver", "银牌", "Silver")):
            r = cls.admin.post("/dictionaries", {"kind": "cf.dealer_level", "code": code,
                                                 "label_zh": zh, "label_en": en})
            assert r.status == 201, r

    def create(self, name, custom, client=None):
        return (client or self.sales).post("/customers", customer_body(name, custom=custom))

    def test_definitions_are_listed(self):
        r = self.assertStatus(self.sales.get("/custom-fields"), 200)
        keys = {d["key"]: d for d in r.json["items"]}
        for f in FIELDS:
            self.assertIn(f["key"], keys)
            self.assertEqual(keys[f["key"]]["type"], f["type"])
            if f["key"] != "staff_count":  # renamed by another test
                self.assertEqual(keys[f["key"]]["label_zh"], f["label_zh"])
        one = self.assertStatus(self.sales.get("/custom-fields/%d" % self.defs["vip"]["id"]), 200)
        self.assertEqual(one.json["key"], "vip")
        self.assertEqual(one.etag, '"%d"' % one.json["version"])
        opts = self.assertStatus(self.sales.get("/dictionaries",
                                                params={"kind": "cf.dealer_level"}), 200)
        self.assertEqual([o["code"] for o in opts.json["items"]], ["gold", "silver"])

    def test_values_of_every_type_are_stored_and_returned(self):
        custom = {"wechat_group": "  腾云采购群 ", "staff_count": 250, "credit_limit": 5000000,
                  "contract_end": "2025-12-31", "vip": True, "hobbies": ["高尔夫", "茶道"],
                  "dealer_level": "金牌"}
        r = self.assertStatus(self.create("自定义全类型有限公司", custom), 201)
        got = r.json["custom"]
        self.assertEqual(got, {"wechat_group": "腾云采购群", "staff_count": 250,
                               "credit_limit": 5000000, "contract_end": "2025-12-31",
                               "vip": True, "hobbies": ["高尔夫", "茶道"],
                               "dealer_level": "gold"})
        g = self.assertStatus(self.sales.get("/customers/%d" % r.json["id"]), 200)
        self.assertEqual(g.json["custom"], got)
        for dealer in ("silver", "Silver", "银牌"):
            x = self.assertStatus(self.create("经销%s有限公司" % dealer, {"dealer_level": dealer}),
                                  201)
            self.assertEqual(x.json["custom"], {"dealer_level": "silver"})

    def test_patch_merges_and_null_removes(self):
        r = self.assertStatus(self.create("合并有限公司", {"staff_count": 10, "vip": False}), 201)
        path = "/customers/%d" % r.json["id"]
        p = self.assertStatus(self.sales.patch(path, {"custom": {"staff_count": 12,
                                                                 "wechat_group": "群"}},
                                               if_match=r), 200)
        self.assertEqual(p.json["custom"], {"staff_count": 12, "vip": False,
                                            "wechat_group": "群"})
        p = self.assertStatus(self.sales.patch(path, {"custom": {"vip": None}}, if_match=p), 200)
        self.assertEqual(p.json["custom"], {"staff_count": 12, "wechat_group": "群"})
        p = self.assertStatus(self.sales.patch(path, {"remarks": "不动自定义"}, if_match=p), 200)
        self.assertEqual(p.json["custom"], {"staff_count": 12, "wechat_group": "群"})
        p = self.assertStatus(self.sales.patch(path, {"custom": None}, if_match=p), 200)
        self.assertIn(p.json["custom"], (None, {}))

    def test_values_are_validated_by_type(self):
        bad = [
            ("staff_count", "many"), ("staff_count", [1]),
            ("credit_limit", 12.5), ("credit_limit", "100"), ("credit_limit", 10 ** 16),
            ("contract_end", "2025-02-30"), ("contract_end", 20251231),
            ("vip", "yes"), ("vip", 1),
            ("hobbies", "高尔夫"), ("hobbies", [1, 2]), ("hobbies", ["x" * 41]),
            ("dealer_level", "钻石"), ("dealer_level", 3),
            ("wechat_group", 5), ("wechat_group", "群" * 501),
        ]
        for key, value in bad:
            with self.subTest(key=key, value=value):
                r = self.create("类型校验有限公司", {key: value})
                self.assertError(r, 422, fields=("custom." + key,))
        self.assertError(self.create("未知键有限公司", {"no_such_key": 1}), 422,
                         fields=("custom.no_such_key",))
        self.assertRefused(self.sales.post("/customers",
                                           customer_body("非对象有限公司", custom=["x"])),
                           fields=("custom",))
        self.assertRefused(self.sales.post("/customers",
                                           customer_body("非对象有限公司", custom="x")),
                           fields=("custom",))
        ok = self.assertStatus(self.create("自定义更新有限公司", {}), 201)
        self.assertError(self.sales.patch("/customers/%d" % ok.json["id"],
                                          {"custom": {"vip": "no"}}, if_match=ok),
                         422, fields=("custom.vip",))

    def test_filter_by_custom_value(self):
        r = self.assertStatus(self.create("群过滤有限公司", {"wechat_group": "唯一群名"}), 201)
        lst = self.assertStatus(self.sales.get("/customers",
                                               params={"custom.wechat_group": "唯一群名"}), 200)
        self.assertEqual([x["id"] for x in lst.json["items"]], [r.json["id"]])
        self.assertRefused(self.sales.get("/customers", params={"custom.nope": "x"}),
                           fields=("custom.nope",))

    def test_filters_are_typed_by_the_field(self):
        a = self.assertStatus(self.create("数值过滤甲公司", {"staff_count": 15.0, "vip": True,
                                                           "credit_limit": 500000,
                                                           "dealer_level": "金牌"}), 201)
        b = self.assertStatus(self.create("数值过滤乙公司", {"staff_count": 16, "vip": False}), 201)

        def ids(**params):
            r = self.assertStatus(self.sales.get("/customers", params=params), 200)
            return {x["id"] for x in r.json["items"]} & {a.json["id"], b.json["id"]}

        self.assertEqual(ids(**{"custom.staff_count": "15"}), {a.json["id"]})  # 15 = 15.0
        self.assertEqual(ids(**{"custom.staff_count": "16.0"}), {b.json["id"]})
        self.assertEqual(ids(**{"custom.vip": "true"}), {a.json["id"]})
        self.assertEqual(ids(**{"custom.vip": "false"}), {b.json["id"]})
        self.assertEqual(ids(**{"custom.credit_limit": "500000"}), {a.json["id"]})
        self.assertEqual(ids(**{"custom.dealer_level": "Gold"}), {a.json["id"]})  # by label
        self.assertRefused(self.sales.get("/customers", params={"custom.staff_count": "many"}),
                           fields=("custom.staff_count",))
        self.assertRefused(self.sales.get("/customers", params={"custom.hobbies": "钓鱼"}),
                           fields=("custom.hobbies",))

    def test_definition_input_is_validated(self):
        base = {"key": "ok_key", "label_zh": "好", "label_en": "Good", "type": "text"}
        for change, field in ((("type", "blob"), "type"), (("key", "Bad Key"), "key"),
                              (("key", "name"), "key"), (("entity", "contact"), "entity"),
                              (("label_zh", None), "label_zh"), (("shape", 1), "shape"),
                              (("required", "yes"), "required")):
            body = dict(base)
            body[change[0]] = change[1]
            with self.subTest(change=change):
                self.assertRefused(self.admin.post("/custom-fields", body), fields=(field,))
        dup = self.admin.post("/custom-fields", dict(base, key="vip"))
        self.assertIn(dup.status, (409, 422), dup)
        self.assertError(dup, dup.status, fields=("key",))
        # options only for custom fields of type dict
        self.assertError(self.admin.post("/dictionaries", {"kind": "cf.vip", "code": "x",
                                                           "label_zh": "x", "label_en": "x"}),
                         422, fields=("kind",))
        d = self.defs["staff_count"]
        cur = self.admin.get("/custom-fields/%d" % d["id"])
        self.assertError(self.admin.patch("/custom-fields/%d" % d["id"], {"type": "text"},
                                          if_match=cur), 422, fields=("type",))
        self.assertError(self.admin.patch("/custom-fields/%d" % d["id"], {"key": "staff"},
                                          if_match=cur), 422, fields=("key",))
        p = self.admin.patch("/custom-fields/%d" % d["id"], {"label_zh": "员工数"}, if_match=cur)
        self.assertStatus(p, 200)
        self.assertEqual(p.json["label_zh"], "员工数")

    def test_zz_required_field_then_retired(self):
        """Runs last in this class: it makes a field required for new customers."""
        old = self.assertStatus(self.create("必填前有限公司", {}), 201)
        r = self.admin.post("/custom-fields", {"key": "account_manager", "label_zh": "客户经理",
                                               "label_en": "Account manager", "type": "text",
                                               "required": True})
        self.assertStatus(r, 201)
        err = self.assertError(self.create("缺必填有限公司", {}), 422,
                               fields=("custom.account_manager",))
        self.assertIn("客户经理", err["fields"]["custom.account_manager"])
        en = self.sales.post("/customers", customer_body("缺必填有限公司", custom={}), lang="en")
        e2 = self.assertError(en, 422, fields=("custom.account_manager",))
        self.assertIn("Account manager", e2["fields"]["custom.account_manager"])
        self.assertError(self.sales.post("/customers", customer_body("缺必填有限公司")), 422,
                         fields=("custom.account_manager",))
        blank = self.create("空必填有限公司", {"account_manager": "  "})
        ok = self.assertStatus(self.create("有必填有限公司", {"account_manager": "王经理"}), 201)
        self.assertEqual(ok.json["custom"], {"account_manager": "王经理"})
        # records from before the rule can still be edited
        self.assertStatus(self.sales.patch("/customers/%d" % old.json["id"], {"remarks": "旧"},
                                           if_match=old), 200)
        # retired: no longer required, no longer accepted, old values kept
        p = self.admin.patch("/custom-fields/%d" % r.json["id"], {"retired": True}, if_match=r)
        self.assertStatus(p, 200)
        self.assertStatus(self.create("退役后有限公司", {}), 201)
        self.assertError(self.create("退役值有限公司", {"account_manager": "x"}), 422,
                         fields=("custom.account_manager",))
        g = self.assertStatus(self.sales.get("/customers/%d" % ok.json["id"]), 200)
        self.assertEqual(g.json["custom"].get("account_manager"), "王经理")
        # a blank value does not fill a required field (as for built-in fields)
        self.assertError(blank, 422, fields=("custom.account_manager",))


if __name__ == "__main__":
    unittest.main()
