"""Customers CRUD, contacts (own endpoints and inline), dictionary input, code rule."""

import re
import threading
import unittest

from .kehu_fixture import KehuTestCase, customer_body, shanghai_year

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(first17):
    """A unified social credit code with a valid GB 32100 check character."""
    s = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS))
    c = 31 - s % 31
    return first17 + USCC_ALPHABET[0 if c == 31 else c]


def code_seq(code, prefix):
    m = re.fullmatch(r"%s(\d{4})(\d{3,})" % re.escape(prefix), code)
    if not m:
        raise AssertionError("code %r does not follow %s<year><seq>" % (code, prefix))
    return int(m.group(1)), int(m.group(2))


class CustomerCrudTests(KehuTestCase):
    with_org = True

    def create(self, client, name, **fields):
        r = client.post("/customers", customer_body(name, **fields))
        self.assertStatus(r, 201)
        return r

    def test_create_fills_owner_department_code_and_version(self):
        sa = self.org.client("sales_a")
        r = self.create(sa, "新建默认值有限公司")
        c = r.json
        self.assertEqual(r.etag, '"1"')
        self.assertEqual(r.headers.get("Location"), "/api/v1/customers/%d" % c["id"])
        self.assertEqual(c["version"], 1)
        self.assertEqual(c["owner"]["id"], self.org.users["sales_a"]["id"])
        self.assertEqual(c["department"]["id"], self.org.depts["销售一部"])
        self.assertEqual(c["created_by"]["id"], self.org.users["sales_a"]["id"])
        year, _ = code_seq(c["code"], "XS")
        self.assertEqual(year, shanghai_year())
        self.assertEqual(c["contacts"], [])
        self.assertFalse(c["archived"])
        for k in ("created_at", "updated_at"):
            self.assertRegex(c[k], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        g = self.assertStatus(sa.get("/customers/%d" % c["id"]), 200)
        self.assertEqual(g.etag, '"1"')
        self.assertEqual(g.json, c)

    def test_required_fields_are_named(self):
        r = self.org.client("sales_a").post("/customers", {"remarks": "只有备注"})
        self.assertError(r, 422, "validation_failed",
                         fields=("name", "source", "status", "first_contact_date",
                                 "requirement"))

    def test_dictionary_fields_accept_code_zh_and_en_labels(self):
        sa = self.org.client("sales_a")
        expected = {"code": "enterprise", "zh": "企业客户", "en": "Enterprise"}
        for value in ("enterprise", "企业客户", "Enterprise", {"code": "enterprise"}):
            r = sa.post("/customers", customer_body("字典输入%s有限公司" % len(str(value)),
                                                    kind=value, status="合作中",
                                                    source="Trade show",
                                                    industry="IT互联网"))
            self.assertStatus(r, 201, msg=repr(value))
            self.assertEqual(r.json["kind"], expected)
            self.assertEqual(r.json["status"], {"code": "active", "zh": "合作中", "en": "Active"})
            self.assertEqual(r.json["source"]["code"], "exhibition")
            self.assertEqual(r.json["industry"]["code"], "it_internet")
        bad = sa.post("/customers", customer_body("字典错误有限公司", kind="外星客户"))
        self.assertError(bad, 422, fields=("kind",))
        bad = sa.post("/customers", customer_body("字典错误有限公司", status=7))
        self.assertError(bad, 422, fields=("status",))
        # an option of another dictionary is not an option of this one
        bad = sa.post("/customers", customer_body("字典错误有限公司", industry="合作中"))
        self.assertError(bad, 422, fields=("industry",))

    def test_update_changes_fields_and_bumps_version(self):
        sa = self.org.client("sales_a")
        r = self.create(sa, "修改前有限公司", remarks="旧备注", contract_amount=100)
        cid = r.json["id"]
        p = sa.patch("/customers/%d" % cid, {"name": "修改后有限公司", "remarks": None,
                                             "industry": "Retail"}, if_match=r)
        self.assertStatus(p, 200)
        self.assertEqual(p.json["version"], 2)
        self.assertEqual(p.etag, '"2"')
        self.assertEqual(p.json["name"], "修改后有限公司")
        self.assertIsNone(p.json["remarks"])
        self.assertEqual(p.json["industry"]["code"], "retail")
        self.assertEqual(p.json["contract_amount"], 100)
        self.assertEqual(p.json["code"], r.json["code"])
        g = self.assertStatus(sa.get("/customers/%d" % cid), 200)
        self.assertEqual(g.json, p.json)

    def test_patch_that_changes_nothing_keeps_the_version(self):
        sa = self.org.client("sales_a")
        r = self.create(sa, "无变化有限公司")
        p = sa.patch("/customers/%d" % r.json["id"], {"name": "无变化有限公司"}, if_match=r)
        self.assertStatus(p, 200)
        self.assertEqual(p.json["version"], 1)

    def test_system_derived_and_readonly_fields_cannot_be_set(self):
        sa = self.org.client("sales_a")
        for field, value in (("id", 999), ("version", 5), ("created_at", "2020-01-01T00:00:00Z"),
                             ("deal_count", 3), ("deal_amount", 100), ("stage", "loyal"),
                             ("department", self.org.depts["客服部"]), ("archived", True),
                             ("in_pool", True), ("deleted_at", "2020-01-01T00:00:00Z")):
            r = sa.post("/customers", customer_body("只读字段有限公司", **{field: value}))
            self.assertError(r, 422, fields=(field,))
        r = self.create(sa, "只读字段改有限公司")
        for field, value in (("code", "XS1999001"), ("deal_count", 1), ("archived", True),
                             ("version", 9), ("department", self.org.depts["客服部"])):
            p = sa.patch("/customers/%d" % r.json["id"], {field: value}, if_match=r)
            self.assertError(p, 422, fields=(field,))
        g = self.assertStatus(sa.get("/customers/%d" % r.json["id"]), 200)
        self.assertEqual(g.json, r.json)

    def test_required_field_cannot_be_cleared(self):
        sa = self.org.client("sales_a")
        r = self.create(sa, "必填清空有限公司")
        path = "/customers/%d" % r.json["id"]
        self.assertError(sa.patch(path, {"name": None}, if_match=r), 422, fields=("name",))
        self.assertError(sa.patch(path, {"name": "   "}, if_match=r), 422, fields=("name",))
        self.assertError(sa.patch(path, {"status": None}, if_match=r), 422, fields=("status",))
        self.assertError(sa.patch(path, {"owner": None}, if_match=r), 422, fields=("owner",))

    def test_field_values_are_validated(self):
        sa = self.org.client("sales_a")
        cases = [
            ({"name": "名" * 201}, "name"),
            ({"contract_amount": 12.5}, "contract_amount"),
            ({"contract_amount": -1}, "contract_amount"),
            ({"contract_amount": "100"}, "contract_amount"),
            ({"contract_amount": 10 ** 15 + 1}, "contract_amount"),
            ({"first_contact_date": "2024-02-30"}, "first_contact_date"),
            ({"first_contact_date": "2024/01/01"}, "first_contact_date"),
            ({"next_step_due": "tomorrow"}, "next_step_due"),
            ({"tags": "重点合作"}, "tags"),
            ({"tags": [1, 2]}, "tags"),
            ({"name": ["数组"]}, "name"),
            ({"name": "控制\x01字符"}, "name"),
            ({"distance_km": -5}, "distance_km"),
            ({"distance_km": 1.5}, "distance_km"),
            ({"credit_code": "91350100M000100Y4X"}, "credit_code"),
            ({"code": "带空格 的编号"}, "code"),
            ({"owner": "no-such-user"}, "owner"),
            ({"owner": 99999}, "owner"),
        ]
        for extra, field in cases:
            body = customer_body("校验有限公司")
            body.update(extra)
            with self.subTest(extra=str(extra)[:60]):
                # wrong JSON types may be a 400, wrong values a 422
                self.assertRefused(sa.post("/customers", body), fields=(field,))

    def test_money_is_whole_fen(self):
        sa = self.org.client("sales_a")
        r = self.create(sa, "金额有限公司", contract_amount=10 ** 15, purchase_estimate=0)
        self.assertEqual(r.json["contract_amount"], 10 ** 15)
        self.assertEqual(r.json["purchase_estimate"], 0)

    def test_credit_code_is_checked_and_normalised(self):
        sa = self.org.client("sales_a")
        good = uscc("91440300MA5F00000")
        r = self.create(sa, "信用代码有限公司", credit_code=good.lower())
        self.assertEqual(r.json["credit_code"], good)
        dup = sa.post("/customers", customer_body("信用代码重复有限公司", credit_code=good))
        self.assertError(dup, 409, "duplicate", fields=("credit_code",))

    def test_tags_are_trimmed_and_deduplicated(self):
        r = self.create(self.org.client("sales_a"), "标签有限公司",
                        tags=[" 重点合作 ", "重点合作", "潜力开发", ""])
        self.assertEqual(r.json["tags"], ["重点合作", "潜力开发"])

    def test_unknown_customer_is_404(self):
        sa = self.org.client("sales_a")
        for path in ("/customers/999999", "/customers/0", "/customers/-1", "/customers/abc",
                     "/customers/99999999999999999999999", "/customers/1.5"):
            self.assertError(sa.get(path), 404, "not_found")

    def test_admin_assigns_owner_by_username_or_id(self):
        r = self.admin.post("/customers", customer_body("指派有限公司", owner="sales-b"))
        self.assertStatus(r, 201)
        self.assertEqual(r.json["owner"]["id"], self.org.users["sales_b"]["id"])
        self.assertEqual(r.json["department"]["id"], self.org.depts["销售一部"])
        p = self.admin.patch("/customers/%d" % r.json["id"],
                             {"owner": self.org.users["sub"]["id"]}, if_match=r)
        self.assertStatus(p, 200)
        self.assertEqual(p.json["owner"]["id"], self.org.users["sub"]["id"])
        self.assertEqual(p.json["department"]["id"], self.org.depts["销售二部"])

    # ---- inline contacts

    def test_inline_contacts_are_created_normalised_with_one_primary(self):
        sa = self.org.client("sales_a")
        body = customer_body("内联联系人有限公司")
        body["contacts"] = [
            {"name": "王总", "phone": "+86 139-1234-5678", "position": "总经理"},
            {"name": "李采购", "phone": "138 0013 8000", "primary": True,
             "email": "li@example.com"},
            {"name": "前台", "phone": "(0755) 8888-1234"},
        ]
        r = self.assertStatus(sa.post("/customers", body), 201)
        contacts = r.json["contacts"]
        self.assertEqual(len(contacts), 3)
        by_name = {k["name"]: k for k in contacts}
        self.assertEqual(by_name["王总"]["phone"], "13912345678")
        self.assertEqual(by_name["李采购"]["phone"], "13800138000")
        self.assertEqual(by_name["前台"]["phone"], "0755-88881234")
        self.assertEqual([k["name"] for k in contacts if k["primary"]], ["李采购"])
        for k in contacts:
            self.assertEqual(k["customer_id"], r.json["id"])
        lst = self.assertStatus(sa.get("/customers", params={"q": "内联联系人"}), 200)
        item = [c for c in lst.json["items"] if c["id"] == r.json["id"]][0]
        self.assertEqual(item["primary_contact"]["name"], "李采购")
        self.assertEqual(item["primary_contact"]["phone"], "13800138000")

    def test_first_inline_contact_is_primary_by_default(self):
        body = customer_body("默认首要有限公司")
        body["contacts"] = [{"name": "甲", "phone": "13700000001"},
                            {"name": "乙", "phone": "13700000002"}]
        r = self.assertStatus(self.org.client("sales_a").post("/customers", body), 201)
        self.assertEqual([k["name"] for k in r.json["contacts"] if k["primary"]], ["甲"])

    def test_bad_inline_contacts_are_refused_and_nothing_is_created(self):
        sa = self.org.client("sales_a")
        cases = [
            ([{"name": "甲", "phone": "13700000001", "primary": True},
              {"name": "乙", "phone": "13700000002", "primary": True}], "contacts"),
            ([{"name": "甲", "phone": "13700000001"}, {"name": "乙", "phone": "12345"}],
             "contacts[1].phone"),
            ([{"phone": "13700000001"}], "contacts[0].name"),
            ([{"name": "甲"}], "contacts[0].phone"),
            ([{"name": "甲", "phone": "13700000001", "fax": "1"}], "contacts[0].fax"),
            ([{"name": "甲", "phone": "13700000001", "email": "not-an-email"}],
             "contacts[0].email"),
            ([{"name": "甲", "phone": "13700000001", "customer_id": 1}],
             "contacts[0].customer_id"),
            ("甲", "contacts"),
            ([{"name": "n%d" % i, "phone": "137000000%02d" % i} for i in range(21)], "contacts"),
        ]
        for contacts, field in cases:
            body = customer_body("坏联系人有限公司")
            body["contacts"] = contacts
            r = sa.post("/customers", body)
            self.assertRefused(r, fields=(field,))
        lst = self.assertStatus(self.admin.get("/customers", params={"q": "坏联系人"}), 200)
        self.assertEqual(lst.json["items"], [])

    def test_inline_contact_that_is_not_an_object_is_named(self):
        body = customer_body("非对象联系人有限公司")
        body["contacts"] = ["甲"]
        r = self.org.client("sales_a").post("/customers", body)
        err = self.assertRefused(r)
        self.assertIn("contacts[0]", err.get("fields") or {},
                      "the field is named %r" % list((err.get("fields") or {}).keys()))

    # ---- contacts endpoints

    def test_contact_lifecycle(self):
        sa = self.org.client("sales_a")
        cust = self.create(sa, "联系人生命周期有限公司").json
        base = "/customers/%d/contacts" % cust["id"]
        first = sa.post(base, {"name": "第一人", "phone": "13911112222"})
        self.assertStatus(first, 201)
        self.assertTrue(first.json["primary"], "the first contact becomes the primary one")
        self.assertEqual(first.headers.get("Location"), "/api/v1/contacts/%d" % first.json["id"])
        self.assertEqual(first.etag, '"1"')
        second = self.assertStatus(sa.post(base, {"name": "第二人", "phone": "021-6666 7777",
                                                  "primary": True}), 201)
        self.assertTrue(second.json["primary"])
        self.assertEqual(second.json["phone"], "021-66667777")
        one = self.assertStatus(sa.get("/contacts/%d" % first.json["id"]), 200)
        self.assertFalse(one.json["primary"], "only one primary contact per customer")
        lst = self.assertStatus(sa.get(base), 200)
        self.assertEqual([k["id"] for k in lst.json["items"]],
                         sorted([first.json["id"], second.json["id"]], reverse=True))
        self.assertIsNone(lst.json["next"])
        show = self.assertStatus(sa.get("/customers/%d" % cust["id"]), 200)
        self.assertEqual(len(show.json["contacts"]), 2)
        # edit
        p = sa.patch("/contacts/%d" % first.json["id"], {"position": "财务总监",
                                                          "phone": "139 1111 3333"},
                     if_match=one)
        self.assertStatus(p, 200)
        self.assertEqual(p.json["phone"], "13911113333")
        self.assertEqual(p.json["version"], one.json["version"] + 1)
        self.assertError(sa.patch("/contacts/%d" % first.json["id"], {"phone": "abc"},
                                  if_match=p), 422, fields=("phone",))
        self.assertError(sa.patch("/contacts/%d" % first.json["id"], {"customer_id": 1},
                                  if_match=p), 422, fields=("customer_id",))
        # delete
        self.assertError(sa.delete("/contacts/%d" % first.json["id"]), 428)
        self.assertStatus(sa.delete("/contacts/%d" % first.json["id"], if_match=p), 204)
        self.assertError(sa.get("/contacts/%d" % first.json["id"]), 404)
        lst = self.assertStatus(sa.get(base), 200)
        self.assertEqual([k["id"] for k in lst.json["items"]], [second.json["id"]])
        glob = self.assertStatus(sa.get("/contacts", params={"limit": 500}), 200)
        self.assertNotIn(first.json["id"], [k["id"] for k in glob.json["items"]])

    def test_contact_input_is_validated(self):
        sa = self.org.client("sales_a")
        cust = self.create(sa, "联系人校验有限公司").json
        base = "/customers/%d/contacts" % cust["id"]
        self.assertError(sa.post(base, {"name": "无电话"}), 422, fields=("phone",))
        self.assertError(sa.post(base, {"phone": "13911112222"}), 422, fields=("name",))
        self.assertError(sa.post(base, {"name": "x", "phone": "13911112222", "email": "a@"}),
                         422, fields=("email",))
        self.assertRefused(sa.post(base, {"name": "x", "phone": "13911112222", "nick": "y"}),
                           fields=("nick",))
        other = next(iter(self.org.ids("sales_a")))
        self.assertError(sa.post(base, {"name": "x", "phone": "13911112222",
                                        "customer_id": other}), 422, fields=("customer_id",))
        self.assertError(sa.post("/customers/999999/contacts",
                                 {"name": "x", "phone": "13911112222"}), 404)

    # ---- code rule

    def test_codes_follow_the_department_prefix(self):
        year = shanghai_year()
        for owner, prefix in (("sales-a", "XS"), ("sub", "XS"), ("mgr", "XS"), ("svc", "KF"),
                              ("fin", "KH"), ("admin", "KH")):
            r = self.admin.post("/customers", customer_body("前缀%s有限公司" % owner, owner=owner))
            self.assertStatus(r, 201)
            y, _ = code_seq(r.json["code"], prefix)
            self.assertEqual(y, year)

    def test_codes_are_consecutive_and_failed_creates_leave_no_gap(self):
        sa = self.org.client("sales_a")
        good = uscc("91110108MA01AAAAA")
        first = self.create(sa, "连续一有限公司", credit_code=good).json
        # refused by validation, and refused by the database (duplicate credit code)
        self.assertError(sa.post("/customers", customer_body("连续坏有限公司", status="nope")),
                         422)
        self.assertError(sa.post("/customers", customer_body("连续重复有限公司",
                                                             credit_code=good)), 409)
        second = self.create(sa, "连续二有限公司").json
        third = self.create(sa, "连续三有限公司").json
        seqs = [code_seq(c["code"], "XS")[1] for c in (first, second, third)]
        self.assertEqual(seqs, [seqs[0], seqs[0] + 1, seqs[0] + 2], [first["code"],
                                                                    second["code"],
                                                                    third["code"]])

    def test_changed_department_prefix_starts_its_own_sequence(self):
        d = self.admin.get("/departments/%d" % self.org.depts["客服部"])
        p = self.assertStatus(self.admin.patch("/departments/%d" % d.json["id"],
                                               {"code_prefix": "kfb"}, if_match=d), 200)
        try:
            self.assertEqual(p.json["code_prefix"], "KFB")
            r = self.admin.post("/customers", customer_body("新前缀有限公司", owner="svc"))
            self.assertStatus(r, 201)
            year, seq = code_seq(r.json["code"], "KFB")
            self.assertEqual((year, seq), (shanghai_year(), 1))
            self.assertError(self.admin.patch("/departments/%d" % d.json["id"],
                                              {"code_prefix": "K-F"}, if_match=p),
                             422, fields=("code_prefix",))
        finally:
            self.assertStatus(self.admin.patch("/departments/%d" % d.json["id"],
                                               {"code_prefix": "KF"}, if_match=p), 200)

    def test_given_code_is_kept_and_must_be_unique(self):
        sa = self.org.client("sales_a")
        r = self.create(sa, "导入编号有限公司", code="C202405001")
        self.assertEqual(r.json["code"], "C202405001")
        dup = sa.post("/customers", customer_body("导入编号重复有限公司", code="C202405001"))
        self.assertError(dup, 409, "duplicate", fields=("code",))


class HandGivenCodeTests(KehuTestCase):
    """Own server: when this fails, it blocks every later create of the prefix."""
    with_org = True

    def test_hand_given_code_does_not_block_generated_codes(self):
        """A code typed by hand (or imported) that equals the next generated one
        must not make ordinary creates fail."""
        sa = self.org.client("sales_a")
        probe = self.assertStatus(sa.post("/customers", customer_body("探测编号有限公司")), 201)
        year, seq = code_seq(probe.json["code"], "XS")
        width = len(probe.json["code"]) - len("XS") - 4
        taken = "XS%d%0*d" % (year, width, seq + 1)
        self.assertStatus(sa.post("/customers", customer_body("占用编号有限公司", code=taken)),
                          201)
        for i in range(3):
            r = sa.post("/customers", customer_body("编号被占%d有限公司" % i))
            self.assertStatus(r, 201, msg="create %d after %s was taken by hand" % (i, taken))
            self.assertNotEqual(r.json["code"], taken)


class CodeConcurrencyTests(KehuTestCase):
    """Customer codes stay unique and gap-free when many creates race."""
    with_org = True
    threads = 8

    def parallel_creates(self, jobs):
        results = [None] * len(jobs)
        barrier = threading.Barrier(len(jobs))

        def run(i, client, body):
            try:
                barrier.wait(30)
            except threading.BrokenBarrierError:
                pass
            try:
                results[i] = client.post("/customers", body)
            except Exception as e:  # noqa: BLE001 - reported below
                results[i] = e

        threads = [threading.Thread(target=run, args=(i, c, b)) for i, (c, b) in enumerate(jobs)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        for r in results:
            if isinstance(r, Exception) or r is None:
                self.fail("a parallel create failed: %r" % (r,))
            self.assertStatus(r, 201)
        return [r.json for r in results]

    def assert_consecutive(self, codes, prefix):
        seqs = sorted(code_seq(c, prefix)[1] for c in codes)
        self.assertEqual(len(set(codes)), len(codes), "duplicate codes: %s" % sorted(codes))
        self.assertEqual(seqs, list(range(seqs[0], seqs[0] + len(seqs))),
                         "codes are not consecutive: %s" % sorted(codes))

    def test_40_parallel_creates_get_unique_consecutive_codes(self):
        sa = self.org.client("sales_a")
        sb = self.org.client("sales_b")
        before = self.assertStatus(sa.post("/customers", customer_body("并发前有限公司")), 201)
        jobs = [((sa if i % 2 else sb), customer_body("并发客户%02d有限公司" % i, "137%08d" % i))
                for i in range(40)]
        made = self.parallel_creates(jobs)
        after = self.assertStatus(sb.post("/customers", customer_body("并发后有限公司")), 201)
        codes = [before.json["code"]] + [c["code"] for c in made] + [after.json["code"]]
        self.assert_consecutive(codes, "XS")
        self.assertEqual(len({c["id"] for c in made}), 40)
        # each got exactly its own contact
        for c in made:
            self.assertEqual(len(c["contacts"]), 1)
            self.assertTrue(c["contacts"][0]["primary"])

    def test_parallel_creates_under_two_prefixes(self):
        jobs = []
        for i in range(30):
            owner = "sales-a" if i % 2 else "svc"
            jobs.append((self.admin, customer_body("双前缀%02d有限公司" % i, owner=owner)))
        made = self.parallel_creates(jobs)
        xs = [c["code"] for c in made if c["code"].startswith("XS")]
        kf = [c["code"] for c in made if c["code"].startswith("KF")]
        self.assertEqual((len(xs), len(kf)), (15, 15))
        self.assert_consecutive(xs, "XS")
        self.assert_consecutive(kf, "KF")


if __name__ == "__main__":
    unittest.main()
