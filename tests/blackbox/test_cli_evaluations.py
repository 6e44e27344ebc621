"""`kehu evaluation` and `kehu countermeasure`: indicators, evaluations typed as
--score 成长率=80, the evaluation form (客户关系评估表) of `show`, lists with filters,
edits with --if-version, rm/restore, exit codes and errors naming the indicator,
and the seed's countermeasure tables."""

import unittest

from . import cli_util as u


class EvaluationCliTests(u.CliCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for name, role in (("ping", "sales"), ("an", "sales"), ("kan", "viewer")):
            r = u.run_kehu(cls.db, ["user", "add", name, "--display_name", name, "--role", role])
            assert r.rc == 0, r

    def customer_of(self, user, name):
        return self.add_customer(name, as_user=user)["id"]

    def test_indicator_list_add_edit(self):
        r = self.ok("evaluation", "indicator", "list")
        for name in ("成长率", "信用度", "总利润率", "业界地位"):
            self.assertIn(name, r.out)
        self.assertIn("100", r.out.splitlines()[-1])
        self.assertTableAligned("\n".join(r.out.splitlines()[:5]))
        r = self.ok("evaluation", "indicator", "add", "--name", "合作年限", "--weight", "0",
                    "--max_score", "5")
        j = self.json("evaluation", "indicator", "list")
        ind = next(i for i in j["items"] if i["name"] == "合作年限")
        self.assertEqual(ind["max_score"], 5)
        self.assertEqual(j["active_weight"], 100)
        self.fails(u.EXIT_FORBIDDEN, "evaluation", "indicator", "add", "--name", "偷加",
                   "--weight", "1", as_user="ping")
        r = self.fails(u.EXIT_INVALID, "evaluation", "indicator", "add", "--name", "合作年限",
                       "--weight", "0")
        self.assertIn("name", r.err)
        # edit needs the version; retire
        r = self.fails(u.EXIT_CONFLICT, "evaluation", "indicator", "edit",
                       str(ind["id"]), "--retired", "true", "--if-version", "9")
        self.ok("evaluation", "indicator", "edit", str(ind["id"]), "--retired", "true",
                "--if-version", str(ind["version"]))
        j = self.json("evaluation", "indicator", "list")
        self.assertNotIn("合作年限", [i["name"] for i in j["items"]])
        j = self.json("evaluation", "indicator", "list", "--retired")
        self.assertIn("合作年限", [i["name"] for i in j["items"]])

    def test_add_show_list_edit_rm_restore(self):
        cid = self.customer_of("ping", "评估命令行测试公司")
        r = self.ok("evaluation", "add", "--customer", cid, "--date", "2024-06-01",
                    "--score", "成长率=80", "--score", "信用度=90", "--score", "总利润率=70",
                    "--score", "Industry position=60", "--basis", "成长率=同比增长百分之二十",
                    as_user="ping")
        self.assertIn("75", r.out)
        self.assertIn("维持关系", r.out)
        ev = self.json("evaluation", "list", "--customer", cid, as_user="ping")["items"][0]
        self.assertEqual(ev["total"], 75)
        # the form: one row per indicator, then the total with the recommendation
        r = self.ok("evaluation", "show", ev["id"], as_user="ping")
        lines = r.out.splitlines()
        form = lines[lines.index(next(l for l in lines if l.startswith("评估指标"))):]
        self.assertTableAligned("\n".join(form))
        self.assertTrue(form[1].startswith("成长率"))
        self.assertIn("同比增长百分之二十", form[1])
        self.assertTrue(form[-1].startswith("合计"))
        self.assertIn("维持关系", form[-1])
        j = self.json("evaluation", "show", ev["id"], as_user="ping")
        self.assertEqual([s["score"] for s in j["scores"]], [80, 90, 70, 60])
        # the customer carries the recommendation
        self.assertEqual(self.customer(cid, as_user="ping")["relationship"]["code"],
                         "maintain")
        # edit: --if-version required, then the total moves
        r = self.fails(u.EXIT_CONFLICT, "evaluation", "edit", ev["id"],
                       "--score", "成长率=100", as_user="ping")
        self.assertIn("--if-version", r.err)
        # --format json answers with the evaluation, as add does
        j = self.json("evaluation", "edit", ev["id"], "--score", "成长率=100", "--if-version",
                      ev["version"], as_user="ping")
        self.assertEqual(j["total"], 80)
        self.assertEqual(j, self.json("evaluation", "show", ev["id"], as_user="ping"))
        j = self.json("evaluation", "show", ev["id"], as_user="ping")
        self.assertEqual(j["total"], 80)
        self.assertEqual(j["recommendation"]["code"], "develop")
        self.assertEqual(self.customer(cid, as_user="ping")["relationship"]["code"],
                         "develop")
        # filters
        dev = self.json("evaluation", "list", "--recommendation", "develop")["items"]
        self.assertIn(ev["id"], [e["id"] for e in dev])
        term = self.json("evaluation", "list", "--recommendation", "terminate")["items"]
        self.assertNotIn(ev["id"], [e["id"] for e in term])
        # rm and restore
        self.ok("evaluation", "rm", ev["id"], "--if-version", j["version"], as_user="ping")
        self.fails(u.EXIT_NOT_FOUND, "evaluation", "show", ev["id"], as_user="ping")
        self.assertIsNone(self.customer(cid, as_user="ping").get("relationship"))
        self.ok("evaluation", "restore", ev["id"], "--if-version", j["version"] + 1,
                as_user="ping")
        self.assertEqual(self.customer(cid, as_user="ping")["relationship"]["code"],
                         "develop")

    def test_errors_name_the_indicator(self):
        cid = self.customer_of("ping", "评估出错测试公司")
        r = self.fails(u.EXIT_INVALID, "evaluation", "add", "--customer", cid, "--date",
                       "2024-06-01", "--score", "成长率=80", "--score", "信用度=90",
                       "--score", "总利润率=70", as_user="ping")
        self.assertIn("业界地位", r.err)
        r = self.fails(u.EXIT_INVALID, "evaluation", "add", "--customer", cid, "--date",
                       "2024-06-01", "--score", "成长率=800", "--score", "信用度=90",
                       "--score", "总利润率=70", "--score", "业界地位=1", as_user="ping",
                       lang="en")
        self.assertIn("成长率", r.err)
        self.assertIn("0 to 100", r.err)
        self.fails(u.EXIT_USAGE, "evaluation", "add", "--customer", cid, "--date",
                   "2024-06-01", "--score", "成长率", as_user="ping")
        self.assertEqual(self.json("evaluation", "list", "--customer", cid,
                                   as_user="ping")["items"], [])

    def test_scope_and_viewer(self):
        cid = self.customer_of("ping", "评估范围测试公司")
        self.ok("evaluation", "add", "--customer", cid, "--date", "2024-06-01",
                "--score", "成长率=50", "--score", "信用度=50", "--score", "总利润率=50",
                "--score", "业界地位=50", as_user="ping")
        ev = self.json("evaluation", "list", "--customer", cid, as_user="ping")["items"][0]
        self.fails(u.EXIT_NOT_FOUND, "evaluation", "show", ev["id"], as_user="an")
        self.assertNotIn(ev["id"], [e["id"] for e in self.json(
            "evaluation", "list", as_user="an")["items"]])
        self.fails(u.EXIT_FORBIDDEN, "evaluation", "add", "--customer", cid, "--date",
                   "2024-06-02", "--score", "成长率=50", "--score", "信用度=50",
                   "--score", "总利润率=50", "--score", "业界地位=50", as_user="kan")

    def test_countermeasure_tables(self):
        cid = self.customer_of("ping", "对策命令行测试公司")
        self.ok("countermeasure", "add", "--customer", cid, "--kind", "问题客户", "--date",
                "2024-06-01", "--sales_scope", "华东", "--location", "上海", "--trend",
                "明显恶化", "--problem", "连续三个月未下单", "--strategy", "主管陪同拜访",
                as_user="ping")
        self.ok("countermeasure", "add", "--customer", cid, "--kind", "important", "--date",
                "2024-06-01", "--sales", "年采购 80 万元", "--problem", "付款周期变长",
                "--strategy", "调整信用额度", as_user="ping")
        r = self.fails(u.EXIT_INVALID, "countermeasure", "add", "--customer", cid, "--kind",
                       "important", "--date", "2024-06-01", "--trend", "slight", "--problem",
                       "x", "--strategy", "y", as_user="ping")
        self.assertIn("trend", r.err)
        r = self.ok("countermeasure", "list", "--kind", "problem", "--fields",
                    "customer_id,owner,sales_scope,location,trend,problem,strategy",
                    as_user="ping")
        self.assertIn("恶化趋势", r.out.splitlines()[0])
        self.assertIn("明显恶化", r.out)
        self.assertNotIn("调整信用额度", r.out)
        self.assertTableAligned(r.out)
        items = self.json("countermeasure", "list", "--status", "open", as_user="ping")["items"]
        self.assertEqual(len([i for i in items if i["customer_id"] == cid]), 2)
        imp = next(i for i in items if i["kind"]["code"] == "important")
        self.ok("countermeasure", "edit", imp["id"], "--status", "done", "--if-version",
                imp["version"], as_user="ping")
        done = self.json("countermeasure", "list", "--status", "done", as_user="ping")["items"]
        self.assertEqual([i["id"] for i in done], [imp["id"]])
        self.fails(u.EXIT_NOT_FOUND, "countermeasure", "show", imp["id"], as_user="an")


if __name__ == "__main__":
    unittest.main()
