"""kehu opportunity / ticket / customer timeline from the command line: what a salesperson
and a service agent type, what they read back (aligned Chinese tables, JSON), and the
errors they get."""

import re

from . import cli_util as u


class TestOpportunityCli(u.CliCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = u.run_kehu(cls.db, ["--format", "json"] + cls.customer_args(
            cls, "命令行机会有限公司", ["李经理,13912345678"]))
        if r.rc != 0:
            raise AssertionError(repr(r))
        import json
        cls.cid = str(json.loads(r.out)["id"])

    def test_add_edit_win_history(self):
        r = self.ok("opportunity", "add", "--customer", self.cid, "--name", "二期扩容",
                    "--expected_amount", "88,000.50", "--product", "软件授权")
        m = re.search(r"(\d+).*(SJ\d{7,})", r.out)
        self.assertIsNotNone(m, r.out)
        oid, code = m.group(1), m.group(2)
        o = self.json("opportunity", "show", oid)
        self.assertEqual(o["code"], code)
        self.assertEqual(o["expected_amount"], 8800050)
        self.assertEqual(o["stage"]["code"], "lead")
        o = self.json("opportunity", "edit", oid, "--if-version", "1", "--stage", "谈判")
        self.assertEqual(o["stage"]["code"], "negotiation")
        self.assertEqual(o["probability"], 75)
        # a stale version: refused, saying which version is current
        r = self.fails(u.EXIT_CONFLICT, "opportunity", "win", oid, "--if-version", "1", "--order")
        self.assertIn("2", r.err)
        r = self.ok("opportunity", "win", oid, "--if-version", "2", "--quantity", "4")
        self.assertRegex(r.out, r"%s.*\d+" % oid)
        o = self.json("opportunity", "show", oid)
        self.assertEqual(o["stage"]["code"], "won")
        order = self.json("order", "show", str(o["order_id"]))
        self.assertEqual(order["amount"], 8800050)
        self.assertEqual(order["quantity"], 4)
        self.assertEqual(order["product"]["code"], "software_license")
        r = self.ok("opportunity", "history", oid)
        self.assertTableAligned(r.out)
        lines = r.out.strip().split("\n")
        self.assertEqual(len(lines), 4, r.out)  # header, lead, negotiation, won
        for stage, line in zip(("潜在", "谈判", "赢单"), lines[1:]):
            self.assertTrue(line.startswith(stage), r.out)
        h = self.json("opportunity", "history", oid)["items"]
        self.assertEqual([x["stage"]["code"] for x in h], ["lead", "negotiation", "won"])
        r = self.ok("opportunity", "history", oid, lang="en")
        self.assertIn("Won", r.out)

    def test_errors_name_the_field(self):
        r = self.fails(u.EXIT_INVALID, "opportunity", "add", "--customer", self.cid)
        self.assertIn("name", r.err)
        self.assertCJK(r.err)
        r = self.fails(u.EXIT_INVALID, "opportunity", "add", "--customer", self.cid, "--name",
                       "输单测试", "--stage", "lost", lang="en")
        self.assertIn("lost_reason", r.err)
        self.assertNoCJK(r.err.replace("输单测试", ""))
        self.fails(u.EXIT_NOT_FOUND, "opportunity", "show", "999999")
        r = self.kehu("opportunity", "--help")
        self.assertIn("--expected_amount", r.out)
        self.assertNotIn("--closed_date", r.out)  # kehu sets it
        self.assertIn("history ID", r.out)

    def test_list_table_and_filter(self):
        self.ok("opportunity", "add", "--customer", self.cid, "--name", "表格甲",
                "--stage", "proposal")
        r = self.ok("opportunity", "list", "--stage", "proposal")
        self.assertTableAligned(r.out)
        self.assertIn("表格甲", r.out)
        self.assertIn("方案/报价", r.out)
        page = self.json("opportunity", "list", "--customer", self.cid)
        self.assertTrue(all(o["customer_id"] == int(self.cid) for o in page["items"]))


class TestTicketCli(u.CliCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        import json
        r = u.run_kehu(cls.db, ["--format", "json"] + cls.customer_args(cls, "工单客户有限公司"))
        if r.rc != 0:
            raise AssertionError(repr(r))
        cls.cid = str(json.loads(r.out)["id"])

    def test_lifecycle(self):
        t = self.json("ticket", "add", "--customer", self.cid, "--content", "到货延迟三天",
                      "--type", "物流时效", "--is_complaint", "true")
        tid = str(t["id"])
        self.assertEqual(t["status"]["zh"], "待处理")
        r = self.fails(u.EXIT_INVALID, "ticket", "edit", tid, "--if-version", "1",
                       "--status", "已解决")
        self.assertIn("resolution", r.err)
        t = self.json("ticket", "edit", tid, "--if-version", "1", "--status", "处理中")
        self.assertIsNotNone(t["started_at"])
        t = self.json("ticket", "edit", tid, "--if-version", "2", "--status", "resolved",
                      "--resolution", "补发并致歉", "--satisfaction", "3")
        self.assertEqual(t["satisfaction"], 3)
        self.assertIsNotNone(t["resolved_at"])
        r = self.ok("ticket", "history", tid)
        self.assertTableAligned(r.out)
        self.assertEqual([l.split()[0] for l in r.out.strip().split("\n")[1:]],
                         ["待处理", "处理中", "已解决"])
        r = self.ok("ticket", "list", "--status", "resolved")
        self.assertIn("到货延迟三天", r.out)


class TestTimelineCli(u.CliCase):
    def test_timeline_table_and_paging(self):
        import json
        c = self.add_customer("时间线命令行有限公司")
        cid = str(c["id"])
        self.ok("followup", "add", "--customer", cid, "--date", "2024-06-01",
                "--content", "首次电话，了解需求")
        self.ok("followup", "add", "--customer", cid, "--date", "2024-07-15",
                "--content", "上门演示")
        self.ok("order", "add", "--customer", cid, "--date", "2024-07-20",
                "--amount", "15,000", "--product", "training")
        r = self.ok("customer", "timeline", cid)
        self.assertTableAligned(r.out)
        rows = r.out.strip().split("\n")[1:]
        self.assertEqual([row.split()[0] for row in rows],
                         ["2024-07-20", "2024-07-15", "2024-06-01"])
        self.assertIn("培训课程", rows[0])
        self.assertIn("15,000.00", rows[0])
        first = self.json("customer", "timeline", cid, "--limit", "2")
        self.assertEqual(len(first["items"]), 2)
        self.assertIsNotNone(first["next"])
        rest = self.json("customer", "timeline", cid, "--limit", "2", "--after", first["next"])
        self.assertEqual([i["at"] for i in rest["items"]], ["2024-06-01"])
        self.assertIsNone(rest["next"])
        r = self.ok("customer", "timeline", cid, lang="en")
        self.assertIn("Follow-up", r.out)


class TestCustomerActionsJson(u.CliCase):
    def test_customer_changes_print_the_customer_with_format_json(self):
        c = self.add_customer("动作输出有限公司")
        cid = str(c["id"])
        e = self.json("customer", "edit", cid, "--if-version", "1", "--remarks", "改备注")
        self.assertEqual((e["id"], e["version"], e["remarks"]), (c["id"], 2, "改备注"))
        a = self.json("customer", "archive", cid, "--if-version", "2")
        self.assertTrue(a["archived"])
        b = self.json("archive", "restore", cid)
        self.assertFalse(b["archived"])
        r = self.json("pool", "release", cid)
        self.assertTrue(r["in_pool"])
        k = self.json("pool", "claim", cid)
        self.assertFalse(k["in_pool"])
        self.assertEqual(set(self.json("pool", "sweep")), {"returned"})
        # without --format json: one sentence, as before
        out = self.ok("customer", "edit", cid, "--if-version", str(k["version"]),
                      "--remarks", "再改", lang="en").out
        self.assertRegex(out, r"^Customer %s saved, version \d+\.\n$" % cid)
