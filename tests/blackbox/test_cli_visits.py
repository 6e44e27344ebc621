"""
Black-box tests of `kehu visit-plan ...`, `kehu visit ...` (with --expense
rows) and `kehu visit daily` / `submit`: what a salesperson types and reads,
the exit codes of a stale edit, an out-of-scope record and a read-only user,
and the daily report's numbers and its alignment with Chinese text.
"""
import re
import unittest

try:
    from . import cli_util as u
except ImportError:  # run from inside tests/blackbox
    import cli_util as u

DAY = "2026-07-01"


class TestVisitsCli(u.CliCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for name, role in (("zhang3", "sales"), ("li4", "sales"), ("kan", "viewer")):
            r = u.run_kehu(cls.db, ["user", "add", name, "--display_name", name, "--role", role,
                                    "--department", "1", "--scope",
                                    "dept" if role == "viewer" else "own"])
            assert r.rc == 0, r

    def setUp(self):
        self.cust = self.add_customer("苏州拜访测试有限公司", owner="zhang3",
                                      contacts=["陈经理,13900002222"])["id"]

    def created_id(self, r):
        m = re.search(r"(\d+)", r.out)
        self.assertIsNotNone(m, r)
        return int(m.group(1))

    def add_visit(self, *extra, as_user="zhang3"):
        r = self.ok("visit", "add", "--customer", self.cust, "--summary", "了解采购计划",
                    *extra, as_user=as_user)
        return self.created_id(r)

    def test_plan_visit_expenses_and_show(self):
        r = self.ok("visit-plan", "add", "--customer", self.cust, "--date", DAY, "--time",
                    "14:00", "--purpose", "初次拜访", "--place", "园区办公楼", "--area", "工业园区",
                    as_user="zhang3")
        plan = self.created_id(r)
        self.assertEqual(self.json("visit-plan", "show", plan, as_user="zhang3")["status"],
                         "planned")
        vid = self.add_visit("--plan_id", plan, "--date", DAY, "--purpose", "a", "--outcome",
                             "B", "--expense", "交通=35.50", "--expense", "用餐=120:午餐",
                             "--rating_growth", "4")
        v = self.json("visit", "show", vid, as_user="zhang3")
        self.assertEqual(v["expense_total"], 15550)
        self.assertEqual([(e["item"]["code"], e["amount"], e["note"]) for e in v["expenses"]],
                         [("transport", 3550, None), ("meal", 12000, "午餐")])
        self.assertEqual(self.json("visit-plan", "show", plan, as_user="zhang3")["status"],
                         "done")
        self.assertEqual(self.customer(self.cust)["last_followup_date"], DAY)
        table = self.ok("visit", "show", vid, as_user="zhang3").out
        self.assertIn("用餐", table)
        self.assertIn("155.50", table)
        self.assertIn("午餐", table)
        self.assertTableAligned(table.split("\n\n")[-1])

        # edit: --if-version needed, a stale one refused, expenses replaced or removed
        self.fails(u.EXIT_CONFLICT, "visit", "edit", vid, "--if-version", "9", "--summary", "x",
                   as_user="zhang3")
        r = self.kehu("visit", "edit", vid, "--summary", "x", as_user="zhang3")
        self.assertNotEqual(r.rc, 0)
        self.ok("visit", "edit", vid, "--if-version", "1", "--expense", "住宿=300",
                as_user="zhang3")
        self.assertEqual(self.json("visit", "show", vid, as_user="zhang3")["expense_total"],
                         30000)
        self.ok("visit", "edit", vid, "--if-version", "2", "--no-expenses", as_user="zhang3")
        v = self.json("visit", "show", vid, as_user="zhang3")
        self.assertEqual((v["expense_total"], v["expenses"]), (0, []))
        self.fails(u.EXIT_USAGE, "visit", "edit", vid, "--if-version", "3", "--no-expenses",
                   "--expense", "交通=1", as_user="zhang3")
        r = self.fails(u.EXIT_INVALID, "visit", "edit", vid, "--if-version", "3", "--expense",
                       "交通", as_user="zhang3")
        self.assertIn("expense", r.err)
        r = self.fails(u.EXIT_INVALID, "visit", "edit", vid, "--if-version", "3", "--expense",
                       "香烟=10", as_user="zhang3")
        self.assertIn("expenses[0].item", r.err)

        # delete and restore move the plan's status
        self.ok("visit", "rm", vid, "--if-version", "3", as_user="zhang3")
        self.assertEqual(self.json("visit-plan", "show", plan, as_user="zhang3")["status"],
                         "planned")
        self.fails(u.EXIT_NOT_FOUND, "visit", "show", vid, as_user="zhang3")
        self.ok("visit", "restore", vid, "--if-version", "4", as_user="zhang3")
        self.assertEqual(self.json("visit-plan", "show", plan, as_user="zhang3")["status"],
                         "done")

    def test_scope_and_permissions(self):
        vid = self.add_visit("--date", DAY)
        self.fails(u.EXIT_NOT_FOUND, "visit", "show", vid, as_user="li4")
        self.fails(u.EXIT_NOT_FOUND, "visit", "rm", vid, "--if-version", "1", as_user="li4")
        items = self.json("visit", "list", as_user="li4")["items"]
        self.assertNotIn(vid, [i["id"] for i in items])
        self.assertEqual(self.json("visit", "show", vid, as_user="kan")["id"], vid)
        self.fails(u.EXIT_FORBIDDEN, "visit", "add", "--customer", self.cust, "--date", DAY,
                   "--summary", "x", as_user="kan")
        self.fails(u.EXIT_FORBIDDEN, "visit", "daily", "--user", "zhang3", as_user="li4")

    def test_daily_report(self):
        day = "2026-07-15"
        self.add_visit("--date", day, "--purpose", "a", "--outcome", "A", "--expense",
                       "交通=10", "--expense", "用餐=50")
        self.add_visit("--date", day, "--purpose", "b", "--outcome", "E", "--expense",
                       "交通=20.50")
        self.add_visit("--date", "2026-07-16", "--purpose", "c", "--expense", "住宿=300")
        rep = self.json("visit", "daily", "--date", day, as_user="zhang3")
        self.assertEqual(rep["visit_count"], 2)
        self.assertEqual({p["code"]: p["count"] for p in rep["purposes"]},
                         {"a": 1, "b": 1, "c": 0})
        self.assertEqual({p["code"]: p["amount"] for p in rep["expenses"]}["transport"], 3050)
        self.assertEqual(rep["expense_total"], 8050)
        out = self.ok("visit", "daily", "--user", "zhang3", "--date", day).out
        self.assertIn("客户拜访日报", out)
        self.assertIn("苏州拜访测试有限公司", out)
        self.assertIn("80.50", out)
        self.assertIn("E 继续观察", out)
        blocks = [b for b in out.split("\n\n") if b.strip()]
        self.assertTableAligned(blocks[1])  # the visits
        self.assertTableAligned(blocks[3])  # purposes
        self.assertIn("日报尚未提交", out)
        en = self.ok("visit", "daily", "--user", "zhang3", "--date", day, lang="en").out
        self.assertIn("Keep watching", en)

        self.ok("visit", "submit", "--date", day, "--summary", "两家客户", as_user="zhang3")
        self.fails(5, "visit", "submit", "--date", day, "--summary", "改", as_user="zhang3")
        self.ok("visit", "submit", "--date", day, "--summary", "两家客户，一家有望",
                "--if-version", "1", as_user="zhang3")
        rep = self.json("visit", "daily", "--user", "zhang3", "--date", day)
        self.assertEqual(rep["submission"]["summary"], "两家客户，一家有望")
        self.assertIn("两家客户，一家有望",
                      self.ok("visit", "daily", "--user", "zhang3", "--date", day).out)


if __name__ == "__main__":
    unittest.main()
