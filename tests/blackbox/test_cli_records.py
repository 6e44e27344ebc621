"""
Black-box tests of `kehu followup` and `kehu order`: add (money in yuan,
dictionary values by code or label), validation messages naming the field in
zh and en with exit code 4, list (CJK-aligned table, CSV, JSON, filters, keyset
paging), show, edit with --if-version (stale: exit 5, nothing changed), rm and
restore, data scope and role permissions (--as), the customer's fields that
follow the records, and the follow-ups and orders the demo makes.
"""
import datetime
import unittest

try:
    from . import cli_util as u
    from .test_api_records import expected_deals, actual_deals
except ImportError:  # run from inside tests/blackbox
    import cli_util as u
    from test_api_records import expected_deals, actual_deals


class RecordCli(u.CliCase):
    DEMO = 40

    def new_customer(self, name, as_user=None, **fields):
        fields.setdefault("status", "合作中")
        return self.add_customer(name, as_user=as_user, **fields)["id"]

    def add(self, what, cid, *args, as_user=None):
        return self.json(what, "add", "--customer", cid, *args, as_user=as_user)

    def orders_of(self, cid, as_user=None):
        items, after = [], None
        while True:
            args = ["order", "list", "--customer", cid, "--limit", "7"]
            page = self.json(*(args + (["--after", after] if after else [])), as_user=as_user)
            items += page["items"]
            after = page["next"]
            if not after:
                return items

    def demo_customer_of(self, user):
        return self.list_all(as_user=user)[0]


class TestFollowupCli(RecordCli):
    def test_add_show_and_the_customer_follows(self):
        cid = self.new_customer("跟进命令测试有限公司", contacts=["王经理,13812345678"])
        contact = self.customer(cid)["contacts"][0]["id"]
        f = self.add("followup", cid, "--date", "2024-06-01", "--method", "电话",
                     "--content", "电话沟通采购计划", "--contact_id", contact,
                     "--next_step", "发送报价", "--next_step_due", "2024-06-05")
        self.assertEqual(f["method"]["code"], "phone")
        self.assertEqual(f["contact_id"], contact)
        self.assertEqual(f["owner"]["name"], self.customer(cid)["created_by"]["name"])
        shown = self.json("followup", "show", f["id"])
        self.assertEqual(shown["content"], "电话沟通采购计划")
        c = self.customer(cid)
        self.assertEqual((c["last_followup_date"], c["next_step"], c["next_step_due"]),
                         ("2024-06-01", "发送报价", "2024-06-05"))
        # the plain output says what was made
        r = self.ok("followup", "add", "--customer", cid, "--date", "2024-05-01",
                    "--method", "wechat", "--content", "微信联系")
        self.assertCJK(r.out)
        self.assertEqual(self.customer(cid)["next_step"], "发送报价")  # older: not the latest
        table = self.ok("followup", "list", "--customer", cid).out
        self.assertIn("电话沟通采购计划", table)
        self.assertTableAligned(table)

    def test_validation_in_both_languages(self):
        cid = self.new_customer("跟进校验测试有限公司")
        r = self.fails(u.EXIT_INVALID, "followup", "add", "--customer", cid, "--method", "电话")
        self.assertIn("date", r.err)
        self.assertIn("跟进日期", r.err)
        self.assertIn("content", r.err)
        r = self.fails(u.EXIT_INVALID, "followup", "add", "--customer", cid, "--method", "电话",
                       lang="en")
        self.assertIn("Follow-up date", r.err)
        r = self.fails(u.EXIT_INVALID, "followup", "add", "--customer", cid, "--date",
                       "2024-06-01", "--content", "x", "--method", "飞鸽传书")
        self.assertIn("method", r.err)
        r = self.kehu("followup", "add", "--customer", 999999, "--date", "2024-06-01",
                      "--content", "x")
        self.assertIn(r.rc, (u.EXIT_NOT_FOUND, u.EXIT_INVALID), r)
        self.assertIn("999999", r.err)
        self.fails(u.EXIT_USAGE, "followup", "frobnicate")
        self.assertEqual(self.json("followup", "list", "--customer", cid)["items"], [])

    def test_edit_rm_restore(self):
        cid = self.new_customer("跟进编辑命令测试有限公司")
        f = self.add("followup", cid, "--date", "2024-06-01", "--content", "原内容",
                     "--next_step", "第一步")
        r = self.fails(u.EXIT_CONFLICT, "followup", "edit", f["id"], "--content", "没有版本")
        self.assertIn("1", r.err)
        g = self.json("followup", "edit", f["id"], "--if-version", 1, "--content", "新内容",
                      "--next_step", "第二步")
        self.assertEqual((g["version"], g["content"]), (2, "新内容"))
        self.assertEqual(self.customer(cid)["next_step"], "第二步")
        self.fails(u.EXIT_CONFLICT, "followup", "edit", f["id"], "--if-version", 1,
                   "--content", "过期")
        self.assertEqual(self.json("followup", "show", f["id"])["content"], "新内容")
        self.ok("followup", "rm", f["id"], "--if-version", 2)
        self.fails(u.EXIT_NOT_FOUND, "followup", "show", f["id"])
        c = self.customer(cid)
        self.assertIsNone(c["last_followup_date"])
        self.assertIsNone(c["next_step"])
        dead = self.json("followup", "list", "--view", "deleted", "--customer", cid)["items"]
        self.assertEqual([x["id"] for x in dead], [f["id"]])
        self.ok("followup", "restore", f["id"], "--if-version", 3)
        c = self.customer(cid)
        self.assertEqual((c["last_followup_date"], c["next_step"]), ("2024-06-01", "第二步"))

    def test_scope_and_roles(self):
        theirs = self.demo_customer_of("wangfang")
        mine = self.demo_customer_of("lina")
        f = self.json("followup", "list", "--customer", theirs["id"], "--limit", 1,
                      as_user="wangfang")["items"][0]
        self.fails(u.EXIT_NOT_FOUND, "followup", "show", f["id"], as_user="lina")
        self.fails(u.EXIT_NOT_FOUND, "followup", "edit", f["id"], "--if-version", f["version"],
                   "--content", "越权", as_user="lina")
        self.fails(u.EXIT_NOT_FOUND, "followup", "list", "--customer", theirs["id"],
                   as_user="lina")
        listed = self.json("followup", "list", "--limit", 200, as_user="lina")["items"]
        self.assertNotIn(theirs["id"], {x["customer_id"] for x in listed})
        self.fails(u.EXIT_FORBIDDEN, "followup", "add", "--customer", mine["id"], "--date",
                   "2024-06-01", "--content", "x", as_user="sunli")  # finance
        r = self.kehu("followup", "add", "--customer", mine["id"], "--date", "2024-06-01",
                      "--content", "x", as_user="zhoumin")  # viewer
        self.assertIn(r.rc, (u.EXIT_FORBIDDEN, u.EXIT_NOT_FOUND), r)
        self.assertEqual(self.json("followup", "show", f["id"])["version"], f["version"])


class TestOrderCli(RecordCli):
    def test_money_in_yuan_and_the_deal_fields(self):
        cid = self.new_customer("订单命令测试有限公司")
        today = datetime.date.today().isoformat()
        o = self.add("order", cid, "--date", today, "--amount", "12,345.60", "--product",
                     "软件授权", "--cost", "8000", "--quantity", 2, "--paid_on_time", "true")
        self.assertEqual((o["amount"], o["cost"], o["quantity"]), (1234560, 800000, 2))
        self.assertEqual(o["product"]["code"], "software_license")
        self.assertTrue(o["paid_on_time"])
        table = self.ok("order", "list", "--customer", cid).out
        self.assertIn("12,345.60", table)
        self.assertTableAligned(table)
        csv = u.parse_csv(self.ok("order", "list", "--customer", cid, fmt="csv").out)
        self.assertEqual(len(csv), 2)
        c = self.customer(cid)
        self.assertEqual((c["deal_count"], c["deal_amount"], c["first_deal_date"],
                          c["last_deal_date"], c["stage"]["code"]),
                         (1, 1234560, today, today, "new"))
        r = self.fails(u.EXIT_INVALID, "order", "add", "--customer", cid, "--date", today,
                       "--amount", "12.345")
        self.assertIn("amount", r.err)
        r = self.fails(u.EXIT_INVALID, "order", "add", "--customer", cid, "--amount", "5",
                       lang="en")
        self.assertIn("Order date", r.err)
        self.assertEqual(self.customer(cid)["deal_count"], 1)

    def test_edit_rm_restore_and_filters(self):
        cid = self.new_customer("订单编辑命令测试有限公司")
        made = [self.add("order", cid, "--date", "2024-0%d-10" % m, "--amount", 100 * m,
                         "--product", ("培训课程", "咨询服务")[m % 2]) for m in range(1, 10)]
        self.assertEqual(sorted(o["id"] for o in self.orders_of(cid)),
                         sorted(o["id"] for o in made))
        spring = self.json("order", "list", "--customer", cid, "--date_from", "2024-03-01",
                           "--date_to", "2024-05-31")["items"]
        self.assertEqual(sorted(o["date"] for o in spring),
                         ["2024-03-10", "2024-04-10", "2024-05-10"])
        training = self.json("order", "list", "--customer", cid, "--product",
                             "training")["items"]
        self.assertEqual(len(training), 4)
        o = made[0]
        self.json("order", "edit", o["id"], "--if-version", 1, "--amount", "1000")
        self.fails(u.EXIT_CONFLICT, "order", "edit", o["id"], "--if-version", 1,
                   "--amount", "1")
        self.ok("order", "rm", made[1]["id"], "--if-version", 1)
        c = self.customer(cid)
        live = self.orders_of(cid)
        self.assertEqual(len(live), 8)
        self.assertEqual(actual_deals(c), expected_deals(c, live))
        self.ok("order", "restore", made[1]["id"], "--if-version", 2)
        c = self.customer(cid)
        self.assertEqual(actual_deals(c), expected_deals(c, self.orders_of(cid)))
        self.assertEqual(c["deal_count"], 9)

    def test_scope_and_roles(self):
        theirs = self.demo_customer_of("wangfang")["id"]
        r = self.kehu("order", "add", "--customer", theirs, "--date", "2024-06-01",
                      "--amount", 1, as_user="lina")
        self.assertIn(r.rc, (u.EXIT_NOT_FOUND, u.EXIT_INVALID), r)
        self.assertIn("customer", r.err)
        # finance records orders of every customer
        o = self.add("order", theirs, "--date", "2024-06-01", "--amount", "99",
                     as_user="sunli")
        self.assertEqual(o["owner"]["name"], "孙丽")
        self.fails(u.EXIT_NOT_FOUND, "order", "show", o["id"], as_user="lina")
        r = self.kehu("order", "rm", o["id"], "--if-version", 1, as_user="zhoumin")
        self.assertIn(r.rc, (u.EXIT_FORBIDDEN, u.EXIT_NOT_FOUND), r)
        self.assertEqual(self.json("order", "show", o["id"])["version"], 1)

    def test_demo_customers_agree_with_their_records(self):
        customers = self.list_all()
        self.assertTrue(customers)
        with_orders = with_followups = 0
        for item in customers:
            c = self.customer(item["id"])
            orders = self.orders_of(c["id"])
            self.assertEqual(actual_deals(c), expected_deals(c, orders), c["name"])
            fs = self.json("followup", "list", "--customer", c["id"], "--limit", 200)["items"]
            self.assertTrue(fs, "a demo customer without a follow-up")
            self.assertTrue(all(f["date"] >= c["first_contact_date"] for f in fs))
            latest = max(fs, key=lambda f: (f["date"], f["id"]))
            self.assertEqual(c["last_followup_date"], latest["date"])
            self.assertEqual(c["next_step"], latest["next_step"])
            status = c["status"]["code"]
            if orders:
                with_orders += 1
                self.assertIn(status, ("active", "paused", "lost"))
                self.assertTrue(all(o["date"] >= c["first_contact_date"] for o in orders))
                self.assertTrue(all(o["product"] for o in orders))
            if status in ("active", "paused", "lost"):
                # it bought: in kehu, or before (its opening balance)
                self.assertGreater(c["deal_count"], 0)
                self.assertEqual(c["deal_count"], c["opening_deal_count"] + len(orders))
            else:
                self.assertEqual((c["deal_count"], orders), (0, []))
            with_followups += 1
        self.assertGreater(with_orders, 0)


if __name__ == "__main__":
    unittest.main()
