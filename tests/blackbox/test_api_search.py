"""Search (?q= on Chinese text), filters, sorting and keyset pagination."""

import unittest

from .kehu_fixture import KehuTestCase, USER_PASSWORD, customer_body

# name, fields (owner is filled in round-robin), contact name
DATA = [
    ("深圳市腾云科技有限公司", dict(industry="it_internet", status="active", contract_amount=500000,
                            first_contact_date="2024-03-01", tags=["重点合作"]), "王建国"),
    ("北京星河科技有限公司", dict(industry="it_services", status="active", contract_amount=990000,
                           first_contact_date="2023-11-20", tags=["战略合作伙伴", "重点合作"]),
     "李秀英"),
    ("成都天府科技有限公司", dict(industry="education", status="active", contract_amount=75000,
                           first_contact_date="2024-06-30", tags=["潜力开发"]), "张伟"),
    ("广州恒达贸易有限公司", dict(industry="retail", status="intent", contract_amount=120000,
                           first_contact_date="2024-05-10", requirement="需要ERP系统对接"), "刘洋"),
    ("上海浦江物流有限公司", dict(industry="logistics", status="potential",
                           first_contact_date="2024-01-15"), "陈静"),
    ("杭州西湖软件有限公司", dict(industry="it_internet", status="paused", contract_amount=300000,
                           first_contact_date="2022-08-08", requirement="计划采购CRM软件"), "杨磊"),
    ("武汉长江机械有限公司", dict(industry="machinery", status="lost", contract_amount=0,
                           first_contact_date="2021-02-14"), "赵敏"),
    ("南京金陵教育有限公司", dict(industry="education", status="intent", contract_amount=250000,
                           first_contact_date="2024-02-29"), "黄勇"),
    ("苏州园区咨询有限公司", dict(industry="other", status="potential",
                           first_contact_date="2024-07-01"), "周杰"),
    ("Acme Robotics 有限公司", dict(industry="manufacturing", status="active",
                                 contract_amount=420000, first_contact_date="2024-01-15"),
     "John Smith"),
    ("acme tools 贸易商行", dict(industry="retail", status="potential", contract_amount=120000,
                             first_contact_date="2023-05-05"), "吴芳"),
    ("重庆山城火锅连锁", dict(industry="food", status="active", contract_amount=80000,
                         first_contact_date="2024-03-01", tags=["区域重点客户"]), "徐强"),
    ("天津港湾建筑工程有限公司", dict(industry="construction", status="paused",
                             first_contact_date="2020-12-31"), "孙丽"),
    ("西安古都文化传媒", dict(industry="other", status="intent", contract_amount=5000,
                         first_contact_date="2024-12-01"), "马超"),
    ("青岛海风食品有限公司", dict(industry="food", status="lost", contract_amount=66000,
                           first_contact_date="2023-08-18", tags=["重点合作"]), "朱丹"),
    ("厦门鹭岛科技服务中心", dict(industry="it_services", status="active", contract_amount=150000,
                           first_contact_date="2024-04-04"), "胡军"),
    ("个人客户王小明", dict(kind="individual", status="potential",
                        first_contact_date="2024-05-20"), "王小明"),
    ("长沙湘江医疗器械有限公司", dict(industry="healthcare", status="active",
                             contract_amount=880000, first_contact_date="2022-02-02"), "郭敬"),
    ("郑州中原农业合作社", dict(industry="other", status="potential", contract_amount=30000,
                          first_contact_date="2024-09-09"), "何平"),
    ("哈尔滨冰城机械制造厂", dict(industry="machinery", status="intent", contract_amount=210000,
                           first_contact_date="2021-11-11"), "高峰"),
]
OWNERS = ("search-a", "search-b", "admin")

SORTS = ["id", "-id", "name", "-name", "code", "-code", "first_contact_date",
         "-first_contact_date", "contract_amount", "-contract_amount", "owner", "-owner",
         "updated_at", "-updated_at", "created_at", "-created_at"]


def sort_value(rec, field):
    v = rec.get(field)
    if isinstance(v, dict):  # users and departments by id, dictionary values by code
        return v["code"] if "code" in v else v.get("id")
    return v


def expected_order(records, sort):
    desc = sort.startswith("-")
    field = sort.lstrip("-+")

    def key(r):
        v = sort_value(r, field)
        return (0, 0, r["id"]) if v is None else (1, v, r["id"])

    out = sorted(records, key=key)
    return list(reversed(out)) if desc else out


class SearchTests(KehuTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for u in OWNERS[:2]:
            r = cls.admin.post("/users", {"username": u, "display_name": u, "role": "sales",
                                          "password": USER_PASSWORD})
            assert r.status == 201, r
        for dname in ("搜索一部", "搜索二部"):
            r = cls.admin.post("/departments", {"name": dname, "parent": 1})
            assert r.status == 201, r
        cls.by_name = {}
        for i, (name, fields, contact) in enumerate(DATA):
            body = customer_body(name, owner=OWNERS[i % 3], **fields)
            body["contacts"] = [{"name": contact, "phone": "1390000%04d" % i}]
            r = cls.admin.post("/customers", body)
            assert r.status == 201, r
            cls.by_name[name] = r.json["id"]
        # the full records, for computing expected orders
        cls.records = {cid: cls.admin.get("/customers/%d" % cid).json
                       for cid in cls.by_name.values()}

    def ids(self, *names):
        return {self.by_name[n] for n in names}

    def where(self, pred):
        return {cid for cid, r in self.records.items() if pred(r)}

    def search(self, params, client=None):
        items = self.all_pages(client or self.admin, "/customers", dict(params, limit=7))
        ids = [c["id"] for c in items]
        self.assertEqual(len(ids), len(set(ids)), "duplicates in %s" % params)
        return set(ids)

    # ---- full text

    def test_chinese_substrings_are_found(self):
        keji = self.ids("深圳市腾云科技有限公司", "北京星河科技有限公司", "成都天府科技有限公司",
                        "厦门鹭岛科技服务中心")
        self.assertEqual(self.search({"q": "科技"}), keji)
        self.assertEqual(self.search({"q": "腾云"}), self.ids("深圳市腾云科技有限公司"))
        self.assertEqual(self.search({"q": "云科"}), self.ids("深圳市腾云科技有限公司"))
        self.assertEqual(self.search({"q": "科技有限"}),
                         keji - self.ids("厦门鹭岛科技服务中心"))
        self.assertEqual(self.search({"q": "腾"}), self.ids("深圳市腾云科技有限公司"))
        self.assertEqual(self.search({"q": "深圳市腾云科技有限公司"}),
                         self.ids("深圳市腾云科技有限公司"))
        self.assertEqual(self.search({"q": "有限公司"}),
                         self.where(lambda r: "有限公司" in r["name"]))
        self.assertEqual(self.search({"q": "机械"}),
                         self.ids("武汉长江机械有限公司", "哈尔滨冰城机械制造厂"))

    def test_several_terms_must_all_match(self):
        self.assertEqual(self.search({"q": "深圳 科技"}), self.ids("深圳市腾云科技有限公司"))
        self.assertEqual(self.search({"q": "科技 北京"}), self.ids("北京星河科技有限公司"))
        self.assertEqual(self.search({"q": "深圳 北京"}), set())

    def test_no_match_is_an_empty_page(self):
        r = self.assertStatus(self.admin.get("/customers", params={"q": "不存在的名字"}), 200)
        self.assertEqual(r.json, {"items": [], "next": None})

    def test_latin_words_match_by_prefix_case_insensitively(self):
        acme = self.ids("Acme Robotics 有限公司", "acme tools 贸易商行")
        self.assertEqual(self.search({"q": "acme"}), acme)
        self.assertEqual(self.search({"q": "ACME"}), acme)
        self.assertEqual(self.search({"q": "acm"}), acme)
        self.assertEqual(self.search({"q": "robot"}), self.ids("Acme Robotics 有限公司"))
        self.assertEqual(self.search({"q": "acme 贸易"}), self.ids("acme tools 贸易商行"))

    def test_search_covers_code_contacts_tags_and_requirement(self):
        cid = self.by_name["杭州西湖软件有限公司"]
        code = self.records[cid]["code"]
        self.assertEqual(self.search({"q": code}), {cid})
        self.assertEqual(self.search({"q": "王建国"}), self.ids("深圳市腾云科技有限公司"))
        self.assertEqual(self.search({"q": "John"}), self.ids("Acme Robotics 有限公司"))
        self.assertEqual(self.search({"q": "战略"}), self.ids("北京星河科技有限公司"))
        self.assertEqual(self.search({"q": "ERP"}), self.ids("广州恒达贸易有限公司"))
        self.assertEqual(self.search({"q": "CRM软件"}), self.ids("杭州西湖软件有限公司"))

    def test_index_follows_changes(self):
        r = self.admin.post("/customers", customer_body("改名前甲乙丙有限公司", owner="search-a"))
        self.assertStatus(r, 201)
        cid = r.json["id"]
        self.assertEqual(self.search({"q": "甲乙丙"}), {cid})
        p = self.assertStatus(self.admin.patch("/customers/%d" % cid, {"name": "改名后丁戊己有限公司"},
                                               if_match=r), 200)
        self.assertEqual(self.search({"q": "甲乙丙"}), set())
        self.assertEqual(self.search({"q": "丁戊己"}), {cid})
        k = self.assertStatus(self.admin.post("/customers/%d/contacts" % cid,
                                              {"name": "欧阳修", "phone": "13700001111"}), 201)
        self.assertEqual(self.search({"q": "欧阳"}), {cid})
        self.assertStatus(self.admin.patch("/contacts/%d" % k.json["id"], {"name": "司马光"},
                                           if_match=k), 200)
        self.assertEqual(self.search({"q": "欧阳"}), set())
        self.assertEqual(self.search({"q": "司马"}), {cid})
        self.assertStatus(self.admin.delete("/customers/%d" % cid, if_match=p), 204)
        self.assertEqual(self.search({"q": "丁戊己"}), set())

    def test_search_text_is_limited(self):
        self.assertError(self.admin.get("/customers", params={"q": "长" * 101}), 422,
                         fields=("q",))
        self.assertStatus(self.admin.get("/customers", params={"q": "长" * 100}), 200)

    def test_query_syntax_characters_are_harmless(self):
        for q in ('"', '""', 'a" OR "b', "*", "科技*", "NEAR(a b)", "a AND", "-科技", "^",
                  "'; DROP TABLE customers; --", "%", "_", "\\", "科技 OR 深圳", "col:x",
                  "（）【】", "！！！", "\t", "😀", "𠀀𠀁"):
            with self.subTest(q=q):
                r = self.admin.get("/customers", params={"q": q})
                self.assertStatus(r, 200, 422)
        self.assert_alive()
        self.assertEqual(len(self.search({"q": "有限公司"})),
                         len(self.where(lambda r: "有限公司" in r["name"])))

    # ---- filters

    def test_dictionary_filters_accept_code_and_labels(self):
        it = self.where(lambda r: (r.get("industry") or {}).get("code") == "it_internet")
        self.assertEqual(len(it), 2)
        for value in ("it_internet", "IT互联网", "IT & Internet"):
            self.assertEqual(self.search({"industry": value}), it, value)
        both = self.where(lambda r: (r.get("industry") or {}).get("code") in ("retail",
                                                                              "logistics"))
        self.assertEqual(self.search({"industry": "retail,logistics"}), both)
        self.assertEqual(self.search({"industry": "零售业，物流运输"}), both)
        self.assertEqual(self.search({"status": "合作中"}),
                         self.where(lambda r: r["status"]["code"] == "active"))
        self.assertEqual(self.search({"kind": "个人客户"}), self.ids("个人客户王小明"))
        self.assertError(self.admin.get("/customers", params={"industry": "航天"}), 422,
                         fields=("industry",))

    def test_owner_filter(self):
        a = self.where(lambda r: r["owner"]["id"] == self.records[self.by_name[DATA[0][0]]]
                       ["owner"]["id"])
        self.assertEqual(len(a), 7)
        self.assertEqual(self.search({"owner": "search-a"}), a)
        uid = self.records[self.by_name[DATA[0][0]]]["owner"]["id"]
        self.assertEqual(self.search({"owner": str(uid)}), a)
        self.assertError(self.admin.get("/customers", params={"owner": "nobody-here"}), 422,
                         fields=("owner",))

    def test_date_and_amount_ranges(self):
        got = self.search({"first_contact_date_from": "2024-01-15",
                           "first_contact_date_to": "2024-03-01"})
        self.assertEqual(got, self.where(lambda r: "2024-01-15" <= r["first_contact_date"]
                                         <= "2024-03-01"))
        self.assertEqual(len(got), 5)
        got = self.search({"contract_amount_from": 120000, "contract_amount_to": 420000})
        self.assertEqual(got, self.where(lambda r: r["contract_amount"] is not None
                                         and 120000 <= r["contract_amount"] <= 420000))
        self.assertEqual(self.search({"contract_amount_empty": "true"}),
                         self.where(lambda r: r["contract_amount"] is None))
        self.assertEqual(self.search({"contract_amount_empty": "false"}),
                         self.where(lambda r: r["contract_amount"] is not None))
        today = self.records[self.by_name[DATA[0][0]]]["created_at"][:10]
        self.assertEqual(self.search({"created_at_from": today, "created_at_to": today}),
                         set(self.records))
        self.assertEqual(self.search({"created_at_to": "2000-01-01"}), set())

    def test_tag_filter(self):
        zd = self.where(lambda r: "重点合作" in (r.get("tags") or []))
        self.assertEqual(len(zd), 3)
        self.assertEqual(self.search({"tags": "重点合作"}), zd)
        self.assertEqual(self.search({"tag": "重点合作"}), zd)
        two = self.search({"tags": "重点合作,战略合作伙伴"})
        has_both = self.where(lambda r: {"重点合作", "战略合作伙伴"} <= set(r.get("tags") or []))
        has_any = self.where(lambda r: {"重点合作", "战略合作伙伴"} & set(r.get("tags") or []))
        self.assertTrue(has_both <= two <= has_any, two)
        self.assertEqual(self.search({"tags": "没有这个标签"}), set())

    def test_filters_combine_with_search(self):
        self.assertEqual(self.search({"q": "科技", "industry": "education"}),
                         self.ids("成都天府科技有限公司"))
        self.assertEqual(self.search({"q": "有限公司", "status": "lost",
                                      "contract_amount_from": 1}),
                         self.ids("青岛海风食品有限公司"))

    def test_bad_list_parameters_are_named(self):
        cases = [
            ({"sort": "requirement"}, "sort"), ({"sort": "tags"}, "sort"),
            ({"sort": "custom"}, "sort"), ({"sort": "street"}, "sort"),
            ({"sort": "personal_profile"}, "sort"),
            ({"sort": "nope"}, "sort"), ({"sort": "--name"}, "sort"),
            ({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"limit": "ten"}, "limit"),
            ({"limit": -3}, "limit"), ({"after": "garbage!!"}, "after"),
            ({"after": "WyJuYW1lIiwieCIsMV0"}, "after"),  # a cursor of sort=name
            ({"colour": "red"}, "colour"), ({"first_contact_date_from": "2024-13-01"},
                                            "first_contact_date_from"),
            ({"contract_amount_from": "lots"}, "contract_amount_from"),
            ({"name_from": "a"}, "name_from"), ({"view": "everything"}, "view"),
            ({"requirement": "x"}, "requirement"), ({"fields": "name,nope"}, "fields"),
            ({"contract_amount_empty": "maybe"}, "contract_amount_empty"),
            ({"id": "abc"}, "id"), ({"industry": ""}, "industry"),
        ]
        for params, field in cases:
            with self.subTest(params=params):
                self.assertRefused(self.admin.get("/customers", params=params),
                                   fields=(field,))

    # ---- sorting and keyset paging

    def test_every_sort_walks_all_customers_once_in_order(self):
        records = list(self.records.values())
        for sort in SORTS:
            with self.subTest(sort=sort):
                items = self.all_pages(self.admin, "/customers", {"sort": sort, "limit": 3})
                got = [c["id"] for c in items]
                want = [r["id"] for r in expected_order(records, sort)]
                # other tests may add customers: compare on the class's data set
                got = [i for i in got if i in self.records]
                self.assertEqual(len(got), len(set(got)), "a customer appears twice")
                self.assertEqual(got, want)

    def test_paging_with_search_and_filters(self):
        base = [r for r in self.records.values() if "有限公司" in r["name"]]
        for sort in ("-contract_amount", "name", "first_contact_date", "-owner"):
            with self.subTest(sort=sort):
                items = self.all_pages(self.admin, "/customers",
                                       {"q": "有限公司", "sort": sort, "limit": 2})
                got = [c["id"] for c in items if c["id"] in self.records]
                self.assertEqual(got, [r["id"] for r in expected_order(base, sort)])
        act = [r for r in self.records.values() if r["status"]["code"] == "active"]
        items = self.all_pages(self.admin, "/customers",
                               {"status": "active", "sort": "-first_contact_date", "limit": 1})
        self.assertEqual([c["id"] for c in items if c["id"] in self.records],
                         [r["id"] for r in expected_order(act, "-first_contact_date")])

    def test_default_order_is_newest_first_and_limit_is_respected(self):
        r = self.assertStatus(self.admin.get("/customers", params={"limit": 5}), 200)
        ids = [c["id"] for c in r.json["items"]]
        self.assertEqual(len(ids), 5)
        self.assertEqual(ids, sorted(ids, reverse=True))
        self.assertIsInstance(r.json["next"], str)
        full = self.assertStatus(self.admin.get("/customers", params={"limit": 500}), 200)
        self.assertIsNone(full.json["next"])

    def test_other_lists_honour_limit_and_after(self):
        """Every list is {"items","next"} with limit and after: users, departments and
        dictionary options too (an organisation may have hundreds of users)."""
        for path, params in (("/users", {}), ("/dictionaries", {"kind": "industry"}),
                             ("/departments", {}), ("/contacts", {})):
            with self.subTest(path=path):
                full = self.assertStatus(self.admin.get(path, params=dict(params, limit=500)),
                                         200).json["items"]
                self.assertGreaterEqual(len(full), 1)
                items = self.all_pages(self.admin, path, dict(params, limit=2))
                self.assertEqual([x["id"] for x in items], [x["id"] for x in full])
                first = self.admin.get(path, params=dict(params, limit=1)).json
                self.assertEqual(len(first["items"]), 1)
                if len(full) > 1:
                    self.assertIsNotNone(first["next"])

    def test_cursor_does_not_skip_rows_added_meanwhile_before_it(self):
        first = self.assertStatus(self.admin.get("/customers", params={"sort": "name",
                                                                        "limit": 4}), 200)
        # a row sorting after the page boundary, added between two page reads
        r = self.admin.post("/customers", customer_body("龘龘最后有限公司", owner="search-b"))
        self.assertStatus(r, 201)
        rest = self.all_pages(self.admin, "/customers", {"sort": "name", "limit": 4,
                                                         "after": first.json["next"]})
        ids = [c["id"] for c in first.json["items"]] + [c["id"] for c in rest]
        self.assertIn(r.json["id"], ids)
        self.assertEqual(len(ids), len(set(ids)))
        self.assertStatus(self.admin.delete("/customers/%d" % r.json["id"], if_match=r), 204)


if __name__ == "__main__":
    unittest.main()
