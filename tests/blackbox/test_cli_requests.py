"""
Black-box tests of `kehu request` and `kehu approval`: an administrator sets
a chain, a salesperson applies, the approvers decide step by step (the wrong
one and a later one are refused with exit code 6, a decided request with 5),
the applicant reads the state, and the budget table adds up; tables are
aligned with Chinese text.
"""
import unittest

try:
    from . import cli_util as u
except ImportError:  # run from inside tests/blackbox
    import cli_util as u


class TestRequests(u.CliCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for args in (["user", "add", "wang", "--display_name", "王主管", "--role", "manager"],
                     ["user", "add", "li", "--display_name", "李销售", "--role", "sales",
                      "--supervisor", "wang"],
                     ["user", "add", "qian", "--display_name", "钱财务", "--role", "finance"],
                     ["user", "add", "zhao", "--display_name", "赵销售", "--role", "sales"]):
            r = u.run_kehu(cls.db, args, stdin="Passw0rd-long-enough\n")
            assert r.rc == 0, r
        r = u.run_kehu(cls.db, ["approval", "chain", "set", "entertainment", "--step",
                                "supervisor", "--step", "role:finance", "--if-version", "1"])
        assert r.rc == 0, r

    def new_request(self):
        cid = self.add_customer("星河贸易", as_user="li")["id"]
        r = self.ok("request", "add", "--type", "entertainment", "--customer", cid,
                    "--purpose", "答谢晚宴", "--date", "2025-03-01", "--place", "锦江饭店",
                    "--item", "用餐=1200", "--item", "transport=200.50", as_user="li")
        rid = [x["id"] for x in self.json("request", "list", as_user="li")["items"]][0]
        self.assertIn(str(rid), r.out)
        return rid

    def version(self, rid, who="li"):
        return str(self.json("request", "show", rid, as_user=who)["version"])

    def test_chain_show(self):
        r = self.ok("approval", "chain", "show", "entertainment")
        self.assertIn("财务", r.out)
        self.assertTableAligned(r.out)
        j = self.json("approval", "chain", "show", "entertainment")
        self.assertEqual([s["kind"] for s in j["steps"]], ["supervisor", "role"])
        # only administrators (settings) set chains; a stale version is refused
        self.fails(u.EXIT_FORBIDDEN, "approval", "chain", "set", "gift", "--step", "supervisor",
                   "--if-version", "1", as_user="wang")
        self.fails(u.EXIT_CONFLICT, "approval", "chain", "set", "entertainment", "--step",
                   "supervisor", "--if-version", "1")
        self.fails(u.EXIT_USAGE, "approval", "chain", "set", "gift", "--step", "boss",
                   "--if-version", "1")

    def test_way_through_the_chain(self):
        rid = self.new_request()
        j = self.json("request", "show", rid, as_user="li")
        self.assertEqual(j["budget_total"], 140050)
        self.ok("request", "submit", rid, "--if-version", self.version(rid), as_user="li")
        # finance is step 2: it cannot skip step 1; a stranger cannot see it at all
        r = self.fails(u.EXIT_FORBIDDEN, "request", "approve", rid, "--if-version",
                       self.version(rid), as_user="qian")
        self.assertIn("1", r.err)
        self.fails(u.EXIT_NOT_FOUND, "request", "approve", rid, "--if-version",
                   self.version(rid), as_user="zhao")
        self.fails(u.EXIT_FORBIDDEN, "request", "approve", rid, "--if-version",
                   self.version(rid), as_user="li")
        inbox = self.ok("approval", "inbox", as_user="wang")
        self.assertIn("星河贸易", inbox.out)
        self.assertTableAligned(inbox.out)
        self.ok("request", "approve", rid, "--if-version", self.version(rid), "--comment",
                "同意", as_user="wang")
        self.ok("request", "approve", rid, "--if-version", self.version(rid), as_user="qian")
        self.fails(u.EXIT_CONFLICT, "request", "approve", rid, "--if-version",
                   self.version(rid), as_user="qian")
        shown = self.ok("request", "show", rid, as_user="li")
        self.assertIn("王主管", shown.out)
        self.assertIn("同意", shown.out)
        self.assertTableAligned(shown.out.split("\n\n")[-1])
        self.assertEqual(self.json("request", "show", rid, as_user="li")["status"], "approved")
        # actual amounts after approval, and the budget table by person
        self.ok("request", "edit", rid, "--if-version", self.version(rid), "--actual",
                "用餐=1300", as_user="li")
        b = self.json("request", "budget", "--by", "person", as_user="li")
        mine = [x for x in b["rows"] if x["applicant"]["name"] == "李销售"][0]
        self.assertEqual((mine["budget"], mine["actual"]), (140050, 130000))
        table = self.ok("request", "budget", "--by", "person", as_user="li").out
        self.assertIn("李销售", table)
        self.assertTableAligned(table.split("\n\n")[0])

    def test_reject_needs_a_comment_and_ends_it(self):
        rid = self.new_request()
        self.ok("request", "submit", rid, "--if-version", self.version(rid), as_user="li")
        self.fails(u.EXIT_INVALID, "request", "reject", rid, "--if-version",
                   self.version(rid), as_user="wang")
        self.ok("request", "reject", rid, "--if-version", self.version(rid), "--comment",
                "预算过高", as_user="wang")
        self.assertEqual(self.json("request", "show", rid, as_user="li")["status"], "rejected")
        self.fails(u.EXIT_CONFLICT, "request", "approve", rid, "--if-version",
                   self.version(rid), as_user="qian")

    def test_format_json_answers_with_the_request(self):
        """--format json: add, edit and every step answer with the request, as show does
        (and as add/edit of the other record kinds do), not with a sentence."""
        cid = self.add_customer("JSON贸易", as_user="li")["id"]
        j = self.json("request", "add", "--type", "entertainment", "--customer", cid,
                      "--purpose", "答谢", "--date", "2025-03-02", "--item", "用餐=100",
                      as_user="li")
        self.assertEqual((j["status"], j["budget_total"]), ("draft", 10000))
        rid = j["id"]
        j = self.json("request", "edit", rid, "--if-version", j["version"], "--place", "锦江",
                      as_user="li")
        self.assertEqual((j["id"], j["place"]), (rid, "锦江"))
        j = self.json("request", "submit", rid, "--if-version", j["version"], as_user="li")
        self.assertEqual(j["status"], "pending")
        j = self.json("request", "approve", rid, "--if-version", j["version"], as_user="wang")
        self.assertEqual(j["current_step"], 2)
        j = self.json("request", "reject", rid, "--if-version", j["version"], "--comment",
                      "不必", as_user="qian")
        self.assertEqual(j["status"], "rejected")

    def test_stale_without_version(self):
        rid = self.new_request()
        r = self.fails(u.EXIT_CONFLICT, "request", "submit", rid, as_user="li")
        self.assertIn("--if-version", r.err)


if __name__ == "__main__":
    unittest.main()
