"""
Black-box tests of `kehu customer` and `kehu contact`: add (inline contacts,
dictionary values by code or label, money in yuan), validation, list (CJK
aligned tables, CSV, JSON, filters, search, keyset paging), show, edit with
--if-version, rm/restore/archive, data scope and phone masking by role.
"""
import json
import re
import unittest

try:
    from . import cli_util as u
except ImportError:  # run from inside tests/blackbox
    import cli_util as u

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


class TestCustomerAdd(u.CliCase):
    def test_add_with_inline_contacts(self):
        c = self.add_customer("北京星河科技有限公司",
                              contacts=["王经理,13812345678,采购经理", "李工,13900001111"],
                              industry="制造业")
        self.assertEqual(c["version"], 1)
        self.assertTrue(c["code"])
        self.assertEqual(c["name"], "北京星河科技有限公司")
        self.assertEqual(c["industry"]["code"], "manufacturing")
        self.assertEqual(c["owner"]["name"], self.customer(c["id"])["owner"]["name"])
        contacts = {k["name"]: k for k in c["contacts"]}
        self.assertEqual(set(contacts), {"王经理", "李工"})
        self.assertEqual(contacts["王经理"]["phone"], "13812345678")  # admin sees it whole
        self.assertEqual(contacts["王经理"]["position"], "采购经理")
        self.assertTrue(contacts["王经理"]["primary"])
        self.assertFalse(contacts["李工"]["primary"])
        # the plain output names the id and the code
        r = self.ok(*self.customer_args("上海明月贸易有限公司", contacts=["赵六,13700002222"]))
        self.assertRegex(r.out, r"\b\d+\b")
        listed = self.json("customer", "list", "--q", "明月贸易")["items"]
        self.assertEqual(len(listed), 1)
        self.assertIn(str(listed[0]["id"]), r.out)
        self.assertIn(listed[0]["code"], r.out)
        self.assertEqual(listed[0]["primary_contact"]["name"], "赵六")

    def test_codes_are_unique(self):
        a = self.add_customer("编号测试甲公司")
        b = self.add_customer("编号测试乙公司")
        self.assertNotEqual(a["code"], b["code"])
        self.assertGreater(b["id"], a["id"])

    def test_dictionary_value_as_code_chinese_or_english(self):
        seen = []
        for source, industry, status in (("exhibition", "manufacturing", "potential"),
                                         ("行业展会", "制造业", "潜在客户"),
                                         ("Trade show", "Manufacturing", "Prospect")):
            c = self.add_customer("字典测试%d有限公司" % len(seen), source=source,
                                  industry=industry, status=status)
            seen.append((c["source"]["code"], c["industry"]["code"], c["status"]["code"]))
        self.assertEqual(seen, [("exhibition", "manufacturing", "potential")] * 3)

    def test_money_typed_in_yuan(self):
        for typed, fen in (("12,345.60", 1234560), ("12345.6", 1234560), ("100", 10000),
                           ("0.05", 5), ("1,000,000", 100000000)):
            with self.subTest(typed=typed):
                c = self.add_customer("金额测试公司" + typed, contract_amount=typed)
                self.assertEqual(c["contract_amount"], fen)
        c = self.add_customer("金额显示公司", contract_amount="12,345.60")
        show = self.ok("customer", "show", c["id"]).out
        self.assertIn("12,345.60", show)
        # CSV: a number a spreadsheet reads (with or without grouping), one cell
        csv_rows = u.parse_csv(self.ok("customer", "show", c["id"], fmt="csv").out)
        self.assertIn("12345.60", [row[1].replace(",", "") for row in csv_rows
                                   if len(row) == 2])

    def _count(self):
        return len(self.list_all("--view", "all"))

    def test_missing_required_fields(self):
        before = self._count()
        r = self.fails(u.EXIT_INVALID, "customer", "add", "--name", "缺字段公司")
        for f in ("source", "status", "first_contact_date", "requirement"):
            self.assertIn(f, r.err)
        r = self.fails(u.EXIT_INVALID, "customer", "add", "--source", "exhibition", lang="en")
        self.assertRegex(r.err, r"(?m)^\s*name:")
        self.assertEqual(self._count(), before)

    def test_bad_phone(self):
        before = self._count()
        for phone in ("12345", "1381234567", "138123456789", "abcdefghijk"):
            with self.subTest(phone=phone):
                r = self.fails(u.EXIT_INVALID,
                               *self.customer_args("电话错误公司", contacts=["张三," + phone]))
                self.assertIn("phone", r.err)
        self.assertEqual(self._count(), before)
        # landlines and 400 numbers are phones too
        for phone in ("010-12345678", "0755-87654321", "400-800-1234"):
            with self.subTest(phone=phone):
                self.add_customer("座机公司" + phone, contacts=["张三," + phone])

    def test_bad_contact_spec(self):
        r = self.fails(u.EXIT_INVALID, *self.customer_args("联系人格式公司", contacts=["只有名字"]))
        self.assertIn("contact", r.err)

    def test_credit_code(self):
        r = self.fails(u.EXIT_INVALID,
                       *self.customer_args("信用代码错误公司", credit_code="91350100M000100Y40"))
        self.assertIn("credit_code", r.err)
        r = self.fails(u.EXIT_INVALID,
                       *self.customer_args("信用代码太短公司", credit_code="91350100M0001"))
        self.assertIn("credit_code", r.err)
        c = self.add_customer("信用代码正确公司", credit_code="91350100M000100Y43")
        self.assertEqual(c["credit_code"], "91350100M000100Y43")
        # the credit code is a dedupe key: a second customer with it is a conflict
        r = self.fails(u.EXIT_CONFLICT,
                       *self.customer_args("信用代码重复公司", credit_code="91350100M000100Y43"))
        self.assertIn("credit_code", r.err)

    def test_bad_money(self):
        for typed in ("1.234", "12,345.601", "abc", "1..2", "12元5角", "-"):
            with self.subTest(typed=typed):
                r = self.fails(u.EXIT_INVALID,
                               *self.customer_args("金额错误公司", contract_amount=typed))
                self.assertIn("contract_amount", r.err)

    def test_bad_date_and_dictionary_value(self):
        r = self.fails(u.EXIT_INVALID,
                       *self.customer_args("日期错误公司", first_contact_date="2024-02-30"))
        self.assertIn("first_contact_date", r.err)
        r = self.fails(u.EXIT_INVALID, *self.customer_args("行业错误公司", industry="不存在的行业"))
        self.assertIn("industry", r.err)
        self.assertIn("不存在的行业", r.err)

    def test_derived_fields_cannot_be_typed(self):
        r = self.fails(u.EXIT_INVALID, *self.customer_args("派生字段公司", deal_amount="100"))
        self.assertIn("deal_amount", r.err)

    def test_several_errors_at_once(self):
        r = self.fails(u.EXIT_INVALID,
                       *self.customer_args("多错误公司", contacts=["张三,123"],
                                           first_contact_date="2024-13-01",
                                           credit_code="123"), lang="en")
        for f in ("phone", "first_contact_date", "credit_code"):
            self.assertIn(f, r.err)


class TestCustomerList(u.CliCase):
    DEMO = 50
    # customers whose every list cell is non-empty, for the strict alignment check
    MINE = (("北京星河科技有限公司", "manufacturing", "王经理,13812345678,采购经理"),
            ("华为技术（深圳）有限公司", "it_internet", "Li Lei,13600001234,CTO"),
            ("Acme Trading Co", "retail", "约翰,13500005678"),
            ("ABC贸易有限公司", "manufacturing", "陈·小明,010-12345678,总经理"),
            ("一", "education", "王,13400004321"))

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for name, industry, contact in cls.MINE:
            r = u.run_kehu(cls.db, ["customer", "add", "--name", name, "--source", "exhibition",
                                    "--status", "intent", "--first_contact_date", "2001-03-04",
                                    "--requirement", "对齐测试", "--industry", industry,
                                    "--contract_amount", "12,345.60", "--contact", contact])
            if r.rc != 0:
                raise AssertionError(repr(r))

    def test_table_columns_align_by_display_width(self):
        for lang in ("zh", "en"):
            with self.subTest(lang=lang):
                r = self.ok("customer", "list", "--limit", "100", lang=lang)
                self.assertCJK(r.out)
                self.assertTableAligned(r.out)

    def test_table_strict_alignment(self):
        r = self.ok("customer", "list", "--first_contact_date_from", "2001-01-01",
                    "--first_contact_date_to", "2001-12-31",
                    "--fields", "code,name,industry,status,owner,contract_amount", lang="en")
        lines = r.out.rstrip("\n").split("\n")
        self.assertEqual(len(lines), 1 + len(self.MINE), r)
        # ID + 6 fields + primary contact + phone
        self.assertTableAligned(r.out, strict_columns=9)
        # the rows hold wide and narrow text of different widths: the padding
        # really is computed per display width, not per byte or character
        names = [m[0] for m in self.MINE]
        self.assertGreater(len({u.disp_width(n) for n in names}), 1)
        self.assertGreater(len({len(n.encode()) - u.disp_width(n) for n in names}), 1)
        # the Chinese header too
        r = self.ok("customer", "list", "--first_contact_date_from", "2001-01-01",
                    "--first_contact_date_to", "2001-12-31",
                    "--fields", "code,name,industry,status,owner,contract_amount")
        self.assertTableAligned(r.out)

    def test_show_table_aligned(self):
        c = self.json("customer", "list", "--q", "星河科技")["items"][0]
        r = self.ok("customer", "show", c["id"])
        record, _, contacts = r.out.partition("\n\n")
        self.assertTableAligned(record)
        self.assertTableAligned(contacts)
        self.assertIn("王经理", contacts)

    def test_csv_parses(self):
        r = self.ok("customer", "list", "--limit", "100", fmt="csv", lang="en")
        rows = u.parse_csv(r.out)
        header = rows[0]
        self.assertEqual(header[0], "ID")
        self.assertIn("Customer name", header)
        self.assertEqual(len(rows), 1 + len(self.list_all()))
        for row in rows[1:]:
            self.assertEqual(len(row), len(header), row)
            int(row[0])
        name = header.index("Customer name")
        amount = header.index("Contract amount (yuan)")
        mine = {row[name]: row for row in rows[1:]}
        for n, _, _ in self.MINE:
            self.assertIn(n, mine)
            # one cell (quoted if grouped), a number a spreadsheet reads
            self.assertEqual(mine[n][amount].replace(",", ""), "12345.60")
        self.assertTrue(r.out.endswith("\r\n") or r.out.endswith("\n"))

    def test_csv_header_follows_lang(self):
        en = u.parse_csv(self.ok("customer", "list", "--limit", "1", fmt="csv",
                                 lang="en").out)[0]
        zh = u.parse_csv(self.ok("customer", "list", "--limit", "1", fmt="csv").out)[0]
        self.assertEqual(len(en), len(zh))
        self.assertNotEqual(en, zh)
        for label in zh[1:]:
            self.assertCJK(label, "CSV header %r not in Chinese: %r" % (label, zh))
        for label in en:
            self.assertNoCJK(label)

    def test_csv_quotes_commas_and_quotes(self):
        c = self.add_customer('引号"逗号", Ltd.', tags="重点合作，潜力开发",
                              first_contact_date="1999-01-01")
        rows = u.parse_csv(self.ok("customer", "list", "--first_contact_date_to", "1999-12-31",
                                   "--fields", "name,tags", fmt="csv", lang="en").out)
        self.assertEqual(rows[0][:3], ["ID", "Customer name", "Tags"])
        self.assertEqual(rows[1][:3], [str(c["id"]), '引号"逗号", Ltd.', "重点合作,潜力开发"])

    def test_json_shape(self):
        page = self.json("customer", "list", "--limit", "10")
        self.assertEqual(set(page), {"items", "next"})
        self.assertEqual(len(page["items"]), 10)
        self.assertIsInstance(page["next"], str)
        for it in page["items"]:
            for k in ("id", "version", "code", "name", "status", "owner", "deal_amount"):
                self.assertIn(k, it)
            self.assertEqual(set(it["status"]), {"code", "zh", "en"})
            self.assertIsInstance(it["deal_amount"], int)  # fen, as the API
        last = self.json("customer", "list", "--limit", "500")
        self.assertIsNone(last["next"])
        self.assertEqual(len(last["items"]), len(self.list_all()))

    def test_search(self):
        everything = self.list_all()
        hits = self.json("customer", "list", "--q", "科技", "--limit", "500")["items"]
        ids = {c["id"] for c in hits}
        self.assertTrue(ids)
        for c in everything:
            if "科技" in c["name"]:
                self.assertIn(c["id"], ids, c["name"])
        for c in hits:
            if "科技" not in c["name"]:
                self.assertIn("科技", json.dumps(self.customer(c["id"]), ensure_ascii=False))
        self.assertNotIn("ABC贸易有限公司", [c["name"] for c in hits])
        # two words: both must match
        # (the demo customers may hold such a name too: compare with them)
        both = self.json("customer", "list", "--q", "北京 星河", "--limit", "500")["items"]
        expected = {c["id"] for c in everything if "北京" in c["name"] and "星河" in c["name"]}
        self.assertIn("北京星河科技有限公司", [c["name"] for c in both])
        self.assertLessEqual(expected, {c["id"] for c in both})
        for c in both:
            text = json.dumps(self.customer(c["id"]), ensure_ascii=False)
            self.assertTrue("北京" in text and "星河" in text, c["name"])
        self.assertNotIn("北京星河科技有限公司", [c["name"] for c in self.json(
            "customer", "list", "--q", "北京 星河 不可能", "--limit", "500")["items"]])
        # by code, case-insensitive latin
        code = everything[0]["code"]
        found = self.json("customer", "list", "--q", code.lower())["items"]
        self.assertIn(everything[0]["id"], [c["id"] for c in found])
        none = self.json("customer", "list", "--q", "不可能出现的词语组合")["items"]
        self.assertEqual(none, [])
        # an empty table says so, with exit 0
        self.ok("customer", "list", "--q", "不可能出现的词语组合")

    def test_filter_industry_by_label_code_or_english(self):
        everything = self.list_all()
        want = sorted(c["id"] for c in everything
                      if c["industry"] and c["industry"]["code"] == "manufacturing")
        self.assertTrue(want)
        for v in ("制造业", "manufacturing", "Manufacturing"):
            with self.subTest(value=v):
                got = sorted(self.ids(self.list_all("--industry", v)))
                self.assertEqual(got, want)
        both = sorted(self.ids(self.list_all("--industry", "制造业,零售业")))
        self.assertEqual(both, sorted(c["id"] for c in everything if c["industry"] and
                                      c["industry"]["code"] in ("manufacturing", "retail")))
        r = self.fails(u.EXIT_INVALID, "customer", "list", "--industry", "不存在的行业")
        self.assertIn("industry", r.err)

    def test_filter_money_in_yuan(self):
        everything = self.list_all()
        amounts = sorted(c["deal_amount"] for c in everything)
        self.assertGreater(amounts[-1], 0, "demo data has no deal amounts")
        # a threshold between two demo amounts, in yuan
        nonzero = [a for a in amounts if a > 0]
        mid = nonzero[len(nonzero) // 2]
        yuan = mid // 100
        want = sorted(c["id"] for c in everything if c["deal_amount"] >= yuan * 100)
        typed = "{:,}.00".format(yuan)
        for v in (str(yuan), typed):
            with self.subTest(value=v):
                got = sorted(self.ids(self.list_all("--deal_amount_from", v)))
                self.assertEqual(got, want)
        upto = sorted(self.ids(self.list_all("--deal_amount_to", typed)))
        self.assertEqual(upto, sorted(c["id"] for c in everything
                                      if c["deal_amount"] <= yuan * 100))
        r = self.fails(u.EXIT_INVALID, "customer", "list", "--deal_amount_from", "1.234")
        self.assertIn("deal_amount", r.err)

    def test_filter_date_range_and_status(self):
        got = self.list_all("--first_contact_date_from", "2001-01-01",
                            "--first_contact_date_to", "2001-12-31")
        self.assertEqual(sorted(c["name"] for c in got), sorted(m[0] for m in self.MINE))
        intent = self.list_all("--status", "意向客户")
        self.assertTrue(all(c["status"]["code"] == "intent" for c in intent))
        self.assertTrue({m[0] for m in self.MINE} <= {c["name"] for c in intent})

    def test_paging_with_limit_and_after(self):
        full = self.json("customer", "list", "--limit", "500")["items"]
        ids = []
        after = None
        pages = 0
        while True:
            args = ["customer", "list", "--limit", "7"] + (["--after", after] if after else [])
            page = self.json(*args)
            self.assertLessEqual(len(page["items"]), 7)
            ids += self.ids(page["items"])
            after = page["next"]
            pages += 1
            if not after:
                break
            self.assertLess(pages, 100)
        self.assertEqual(ids, self.ids(full))
        self.assertEqual(ids, sorted(ids, reverse=True))
        self.assertEqual(len(set(ids)), len(ids))

    def test_paging_in_table_format(self):
        r = self.ok("customer", "list", "--limit", "5", lang="en")
        self.assertEqual(len(r.out.rstrip("\n").split("\n")), 6)
        m = re.search(r"--after (\S+)", r.err)
        self.assertTrue(m, "no cursor for the next page on stderr: %r" % r.err)
        first = [int(l.split()[0]) for l in r.out.splitlines()[1:]]
        nxt = self.ok("customer", "list", "--limit", "5", "--after", m.group(1))
        second = [int(l.split()[0]) for l in nxt.out.splitlines()[1:]]
        self.assertEqual(len(second), 5)
        self.assertLess(max(second), min(first))
        full = self.ids(self.json("customer", "list", "--limit", "10")["items"])
        self.assertEqual(first + second, full)

    def test_paging_sorted_by_amount(self):
        full = self.list_all("--sort", "-deal_amount")
        amounts = [c["deal_amount"] for c in full]
        self.assertEqual(amounts, sorted(amounts, reverse=True))
        ids = []
        after = None
        for _ in range(100):
            args = ["customer", "list", "--limit", "6", "--sort", "-deal_amount"]
            page = self.json(*args + (["--after", after] if after else []))
            ids += self.ids(page["items"])
            after = page["next"]
            if not after:
                break
        self.assertEqual(ids, self.ids(full))

    def test_bad_paging_arguments(self):
        self.fails(u.EXIT_INVALID, "customer", "list", "--limit", "0")
        self.fails(u.EXIT_INVALID, "customer", "list", "--limit", "100000")
        self.fails(u.EXIT_INVALID, "customer", "list", "--after", "garbage")
        self.fails(u.EXIT_INVALID, "customer", "list", "--sort", "no_such_field")


class TestCustomerEdit(u.CliCase):
    def test_edit_with_the_right_version(self):
        c = self.add_customer("编辑测试有限公司", industry="retail")
        r = self.ok("customer", "edit", c["id"], "--if-version", "1", "--name", "编辑后有限公司",
                    "--industry", "Manufacturing", "--contract_amount", "1,000.50")
        self.assertIn("2", r.out)
        now = self.customer(c["id"])
        self.assertEqual(now["version"], 2)
        self.assertEqual(now["name"], "编辑后有限公司")
        self.assertEqual(now["industry"]["code"], "manufacturing")
        self.assertEqual(now["contract_amount"], 100050)
        # --unset clears an optional field
        self.ok("customer", "edit", c["id"], "--if-version", "2", "--unset", "industry")
        now = self.customer(c["id"])
        self.assertIsNone(now["industry"])
        self.assertEqual(now["version"], 3)

    def test_edit_without_version_is_refused_naming_it(self):
        c = self.add_customer("无版本编辑公司")
        self.ok("customer", "edit", c["id"], "--if-version", "1", "--remarks", "第一次")
        r = self.fails(u.EXIT_CONFLICT, "customer", "edit", c["id"], "--remarks", "第二次",
                       lang="en")
        self.assertRegex(r.err, r"(?<!\d)2(?!\d)")
        self.assertIn("--if-version", r.err)
        r = self.fails(u.EXIT_CONFLICT, "customer", "edit", c["id"], "--remarks", "第二次")
        self.assertRegex(r.err, r"(?<!\d)2(?!\d)")
        self.assertEqual(self.customer(c["id"])["remarks"], "第一次")

    def test_stale_edit_shows_the_current_record(self):
        c = self.add_customer("并发编辑有限公司")
        self.ok("customer", "edit", c["id"], "--if-version", "1", "--name", "别人改过有限公司")
        r = self.fails(u.EXIT_CONFLICT, "customer", "edit", c["id"], "--if-version", "1",
                       "--name", "我的修改有限公司", lang="en")
        both = r.out + r.err
        self.assertIn("别人改过有限公司", both)  # the record as it is now
        self.assertNotIn("我的修改有限公司", both)
        self.assertRegex(both, r"(?m)^Version\s+2\s*$")
        now = self.customer(c["id"])
        self.assertEqual((now["name"], now["version"]), ("别人改过有限公司", 2))

    def test_edit_validation(self):
        c = self.add_customer("编辑校验有限公司")
        r = self.fails(u.EXIT_INVALID, "customer", "edit", c["id"], "--if-version", "1",
                       "--unset", "name")
        self.assertIn("name", r.err)
        r = self.fails(u.EXIT_INVALID, "customer", "edit", c["id"], "--if-version", "1",
                       "--contract_amount", "9.999")
        self.assertIn("contract_amount", r.err)
        r = self.fails(u.EXIT_INVALID, "customer", "edit", c["id"], "--if-version", "1",
                       "--credit_code", "91350100M000100Y40")
        self.assertIn("credit_code", r.err)
        self.assertEqual(self.customer(c["id"])["version"], 1)

    def test_edit_missing_customer(self):
        self.fails(u.EXIT_NOT_FOUND, "customer", "edit", "999999", "--if-version", "1",
                   "--name", "不存在")

    def test_edit_missing_customer_without_version(self):
        # there is no version to name: the customer does not exist (exit 3)
        r = self.fails(u.EXIT_NOT_FOUND, "customer", "edit", "999999", "--name", "不存在")
        self.assertIn("999999", r.err)
        self.fails(u.EXIT_NOT_FOUND, "customer", "rm", "999999")

    def test_rm_and_restore(self):
        c = self.add_customer("删除测试有限公司")
        cid = c["id"]
        r = self.fails(u.EXIT_CONFLICT, "customer", "rm", cid)
        self.assertRegex(r.err, r"(?<!\d)1(?!\d)")
        self.fails(u.EXIT_CONFLICT, "customer", "rm", cid, "--if-version", "7")
        self.assertIn(cid, self.ids(self.list_all()))
        self.ok("customer", "rm", cid, "--if-version", "1")
        self.fails(u.EXIT_NOT_FOUND, "customer", "show", cid)
        self.assertNotIn(cid, self.ids(self.list_all()))
        gone = self.customer(cid, deleted=True)
        self.assertIsNotNone(gone["deleted_at"])
        self.assertIn(cid, self.ids(self.list_all("--view", "deleted")))
        self.fails(u.EXIT_CONFLICT, "customer", "restore", cid, "--if-version", "1")
        self.ok("customer", "restore", cid, "--if-version", str(gone["version"]))
        back = self.customer(cid)
        self.assertIsNone(back["deleted_at"])
        self.assertIn(cid, self.ids(self.list_all()))

    def test_archive(self):
        c = self.add_customer("归档测试有限公司")
        cid = c["id"]
        self.fails(u.EXIT_CONFLICT, "customer", "archive", cid)
        self.ok("customer", "archive", cid, "--if-version", "1")
        self.assertNotIn(cid, self.ids(self.list_all()))
        self.assertIn(cid, self.ids(self.list_all("--view", "archived")))
        self.assertIn(cid, self.ids(self.list_all("--view", "all")))
        now = self.customer(cid)
        self.assertTrue(now["archived"])
        table = self.ok("customer", "list", "--view", "archived").out
        self.assertIn("归档测试有限公司", table)
        self.ok("customer", "archive", cid, "--if-version", str(now["version"]), "--undo")
        self.assertIn(cid, self.ids(self.list_all()))
        self.assertNotIn(cid, self.ids(self.list_all("--view", "archived")))
        self.assertFalse(self.customer(cid)["archived"])


class TestScopeAndMasking(u.CliCase):
    DEMO = 50
    PHONE = "13812345678"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        steps = [
            ["user", "add", "viewer_all", "--display_name", "只读全员", "--role", "viewer",
             "--scope", "all"],
            ["customer", "add", "--name", "掩码测试有限公司", "--source", "exhibition",
             "--status", "potential", "--first_contact_date", "2024-05-10", "--requirement",
             "看号码", "--contact", "王经理,%s,采购经理" % cls.PHONE, "--owner", "lina"],
        ]
        for s in steps:
            r = u.run_kehu(cls.db, s)
            if r.rc != 0:
                raise AssertionError(repr(r))
        r = u.run_kehu(cls.db, ["customer", "list", "--q", "掩码测试"], fmt="json")
        cls.masked_id = json.loads(r.out)["items"][0]["id"]

    def test_sales_sees_only_own_customers(self):
        everything = self.list_all()
        mine = self.list_all(as_user="lina")
        self.assertTrue(mine)
        self.assertLess(len(mine), len(everything))
        self.assertEqual({c["owner"]["name"] for c in mine}, {"李娜"})
        self.assertEqual(sorted(self.ids(mine)),
                         sorted(c["id"] for c in everything if c["owner"]["name"] == "李娜"))
        # search and the table obey the scope too
        table = self.ok("customer", "list", "--limit", "500", as_user="lina", lang="en").out
        for line in table.splitlines()[1:]:
            self.assertIn(int(line.split()[0]), self.ids(mine))
        other = [c for c in everything if c["owner"]["name"] != "李娜"][0]
        self.fails(u.EXIT_NOT_FOUND, "customer", "show", other["id"], as_user="lina")
        self.fails(u.EXIT_NOT_FOUND, "customer", "edit", other["id"], "--if-version",
                   other["version"], "--remarks", "越权", as_user="lina")
        hits = self.json("customer", "list", "--q", other["name"], as_user="lina")["items"]
        self.assertNotIn(other["id"], self.ids(hits))

    def test_sales_adds_own_customer(self):
        c = self.add_customer("李娜新客户有限公司", as_user="lina")
        self.assertEqual(c["owner"]["name"], "李娜")
        self.assertIn(c["id"], self.ids(self.list_all(as_user="lina")))
        self.assertNotIn(c["id"], self.ids(self.list_all(as_user="wangfang")))

    def test_viewer_cannot_change(self):
        c = self.customer(self.masked_id)
        self.fails(u.EXIT_FORBIDDEN, *self.customer_args("只读新增公司"), as_user="viewer_all")
        self.fails(u.EXIT_FORBIDDEN, "customer", "edit", c["id"], "--if-version", c["version"],
                   "--remarks", "只读修改", as_user="viewer_all")
        self.fails(u.EXIT_FORBIDDEN, "customer", "rm", c["id"], "--if-version", c["version"],
                   as_user="viewer_all")
        self.fails(u.EXIT_FORBIDDEN, "customer", "archive", c["id"], "--if-version",
                   c["version"], as_user="viewer_all")
        self.fails(u.EXIT_FORBIDDEN, "contact", "add", "--customer", c["id"], "--name", "新人",
                   "--phone", "13311112222", as_user="viewer_all")
        self.assertEqual(self.customer(self.masked_id)["version"], c["version"])

    def test_viewer_sees_masked_phones_in_every_format(self):
        v = "viewer_all"
        table = self.ok("customer", "list", "--limit", "500", as_user=v).out
        self.assertMasked(self.PHONE, table)
        self.assertTableAligned(table)
        csv_out = self.ok("customer", "list", "--limit", "500", fmt="csv", as_user=v).out
        self.assertMasked(self.PHONE, csv_out)
        js = self.ok("customer", "list", "--limit", "500", fmt="json", as_user=v).out
        self.assertMasked(self.PHONE, js)
        page = json.loads(js)
        self.assertEqual(len(page["items"]), len(self.list_all()))
        for out, what in ((table, "table"), (csv_out, "csv"), (js, "json")):
            self.assertEqual(MOBILE.findall(out), [], "unmasked phones in the %s list" % what)
        for fmt in (None, "csv", "json"):
            with self.subTest(show=fmt):
                out = self.ok("customer", "show", self.masked_id, fmt=fmt, as_user=v).out
                self.assertNotIn(self.PHONE, out)
                self.assertEqual(MOBILE.findall(out), [])
        self.assertMasked(self.PHONE, self.ok("customer", "show", self.masked_id,
                                              as_user=v).out)
        shown = self.customer(self.masked_id, as_user=v)
        self.assertEqual(shown["contacts"][0]["phone"], "138****5678")
        # contacts
        for fmt in (None, "csv", "json"):
            with self.subTest(contacts=fmt):
                out = self.ok("contact", "list", "--customer", self.masked_id, fmt=fmt,
                              as_user=v).out
                self.assertMasked(self.PHONE, out)
                out = self.ok("contact", "list", "--limit", "500", fmt=fmt, as_user=v).out
                self.assertEqual(MOBILE.findall(out), [])
        kid = shown["contacts"][0]["id"]
        for fmt in (None, "csv", "json"):
            with self.subTest(contact_show=fmt):
                self.assertMasked(self.PHONE, self.ok("contact", "show", kid, fmt=fmt,
                                                      as_user=v).out)

    def test_service_role_without_unmask_sees_masked_phones(self):
        out = self.ok("customer", "list", "--limit", "500", fmt="json", as_user="zhaolei").out
        self.assertMasked(self.PHONE, out)
        self.assertEqual(MOBILE.findall(out), [])

    def test_owner_and_admin_see_whole_phones(self):
        for who in ("admin", "lina"):
            with self.subTest(user=who):
                out = self.ok("customer", "list", "--limit", "500", as_user=who).out
                self.assertIn(self.PHONE, out)
                c = self.customer(self.masked_id, as_user=who)
                self.assertEqual(c["contacts"][0]["phone"], self.PHONE)

    def test_department_viewer_sees_only_department(self):
        # the demo viewer belongs to 市场部, which owns no customers
        items = self.list_all(as_user="zhoumin")
        self.assertTrue(all(c["department"]["name"] == "市场部" for c in items), items[:3])
        self.fails(u.EXIT_NOT_FOUND, "customer", "show", self.masked_id, as_user="zhoumin")


class TestContacts(u.CliCase):
    def test_contact_lifecycle(self):
        c = self.add_customer("联系人测试有限公司", contacts=["王经理,13812345678"])
        r = self.ok("contact", "add", "--customer", c["id"], "--name", "李工", "--phone",
                    "13900001111", "--position", "技术总监", "--email", "li@example.com")
        kid = int(re.search(r"\d+", r.out).group(0))
        page = self.json("contact", "list", "--customer", c["id"])
        self.assertEqual(set(page), {"items", "next"})
        self.assertEqual(sorted(k["name"] for k in page["items"]), ["李工", "王经理"])
        k = self.json("contact", "show", kid)
        self.assertEqual((k["name"], k["phone"], k["version"]), ("李工", "13900001111", 1))
        self.assertFalse(k["primary"])
        self.assertTableAligned(self.ok("contact", "list", "--customer", c["id"]).out)
        # edit with and without the version
        r = self.fails(u.EXIT_CONFLICT, "contact", "edit", kid, "--position", "总工")
        self.assertRegex(r.err, r"(?<!\d)1(?!\d)")
        self.ok("contact", "edit", kid, "--if-version", "1", "--position", "总工",
                "--primary", "true")
        k = self.json("contact", "show", kid)
        self.assertEqual((k["position"], k["version"]), ("总工", 2))
        self.assertTrue(k["primary"])
        primary = self.json("customer", "list", "--q", "联系人测试")["items"][0]
        self.assertEqual(primary["primary_contact"]["name"], "李工")
        self.fails(u.EXIT_CONFLICT, "contact", "edit", kid, "--if-version", "1", "--name", "x")
        r = self.fails(u.EXIT_INVALID, "contact", "edit", kid, "--if-version", "2", "--phone",
                       "123")
        self.assertIn("phone", r.err)
        self.ok("contact", "rm", kid, "--if-version", "2")
        self.fails(u.EXIT_NOT_FOUND, "contact", "show", kid)
        names = [x["name"] for x in self.json("contact", "list", "--customer", c["id"])["items"]]
        self.assertEqual(names, ["王经理"])

    def test_contact_validation(self):
        c = self.add_customer("联系人校验有限公司")
        r = self.fails(u.EXIT_INVALID, "contact", "add", "--customer", c["id"], "--name", "张三",
                       "--phone", "999")
        self.assertIn("phone", r.err)
        r = self.fails(u.EXIT_INVALID, "contact", "add", "--customer", c["id"], "--phone",
                       "13812345678")
        self.assertIn("name", r.err)
        self.fails(u.EXIT_NOT_FOUND, "contact", "add", "--customer", "999999", "--name", "张三",
                   "--phone", "13812345678")
        self.fails(u.EXIT_USAGE, "contact", "add", "--name", "张三", "--phone", "13812345678")


if __name__ == "__main__":
    unittest.main()
