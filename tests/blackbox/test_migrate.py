"""kehu migrate --from SRC --to DST: a whole database moved to the other engine.

The copy must hold the same records (checked by the tool's own counts and checksums, and
here again through the CLI), keep working (search, login, new ids after the copied ones)
and refuse a target that already holds data. Needs PostgreSQL (KEHU_TEST_ENGINE=postgresql).
"""
import json
import os
import shutil
import tempfile
import unittest

try:
    from . import dbs
    from .kehu_fixture import ADMIN_PASSWORD, KehuServer, run_kehu, sanitizer_findings
except ImportError:
    import dbs
    from kehu_fixture import ADMIN_PASSWORD, KehuServer, run_kehu, sanitizer_findings


def ok(p):
    if p.returncode != 0 or sanitizer_findings(p.stderr):
        raise AssertionError("kehu failed (%d):\n%s\n%s" % (p.returncode, p.stdout, p.stderr))
    return p


def customers(db):
    """Every customer as the CLI shows it, in id order."""
    out, after = [], None
    while True:
        args = ["--format", "json", "customer", "list", "--limit", "500", "--sort", "id",
                "--view", "all"]
        if after:
            args += ["--after", after]
        page = json.loads(ok(run_kehu(db, *args)).stdout)
        out += page["items"]
        after = page["next"]
        if not after:
            return out


@unittest.skipUnless(dbs.on_postgresql(), "needs PostgreSQL (KEHU_TEST_ENGINE=postgresql)")
class MigrateBetweenEngines(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="kehu-migrate-")
        self.sqlite = os.path.join(self.tmp, "source.db")
        ok(run_kehu(self.sqlite, "init", "--admin-password-stdin", input=ADMIN_PASSWORD + "\n"))
        ok(run_kehu(self.sqlite, "demo", "--customers", "120", "--seed", "7"))
        ok(run_kehu(self.sqlite, "customer", "rm", "5", "--if-version", "1"))
        ok(run_kehu(self.sqlite, "customer", "archive", "6", "--if-version", "1"))
        # the working records and their state history come along too
        # (the demo made opportunities of its own: this one's id is the one it gets)
        made = json.loads(ok(run_kehu(self.sqlite, "--format", "json", "opportunity", "add",
                                      "--customer", "7", "--name", "迁移机会",
                                      "--expected_amount", "5000")).stdout)
        self.opp = str(made["id"])
        ok(run_kehu(self.sqlite, "opportunity", "edit", self.opp, "--if-version", "1", "--stage",
                    "proposal"))
        ok(run_kehu(self.sqlite, "opportunity", "win", self.opp, "--if-version", "2", "--order"))
        ok(run_kehu(self.sqlite, "ticket", "add", "--customer", "7", "--content", "迁移工单"))
        ok(run_kehu(self.sqlite, "followup", "add", "--customer", "7", "--date", "2024-02-02",
                    "--content", "迁移跟进"))
        self.pg = dbs.new_database(self.tmp)

    def tearDown(self):
        dbs.drop_database(self.pg)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_sqlite_to_postgresql_and_back(self):
        p = ok(run_kehu(self.sqlite, "migrate", "--from", self.sqlite, "--to", self.pg))
        self.assertIn("customers", p.stdout)
        self.assertNotIn("DIFFERENT", p.stdout)
        before = customers(self.sqlite)
        self.assertEqual(customers(self.pg), before)
        self.assertEqual(len(before), 119)  # one deleted, the archived one included
        for args in (["customer", "timeline", "7"], ["opportunity", "history", self.opp],
                     ["opportunity", "show", self.opp], ["ticket", "list"], ["order", "list"]):
            self.assertEqual(ok(run_kehu(self.pg, "--format", "json", *args)).stdout,
                             ok(run_kehu(self.sqlite, "--format", "json", *args)).stdout, args)
        # the copy works: search, and a new customer gets an id after the copied ones
        found = json.loads(ok(run_kehu(self.pg, "--format", "json", "customer", "list",
                                       "--q", before[0]["name"][2:4])).stdout)
        self.assertTrue(found["items"])
        added = ok(run_kehu(self.pg, "--format", "json", "customer", "add", "--name",
                            "迁移后新建有限公司", "--source", "online", "--status",
                            "potential", "--first_contact_date", "2024-05-10",
                            "--requirement", "测试"))
        self.assertGreater(json.loads(added.stdout)["id"], 120)
        # people log in on the copy with their old passwords
        server = KehuServer(db=self.pg)
        server.start()
        try:
            self.assertEqual(server.client().login("admin", ADMIN_PASSWORD).status, 200)
        finally:
            self.assertEqual(server.stop(), "")
        # and down again into a new SQLite file
        back = os.path.join(self.tmp, "back.db")
        ok(run_kehu(back, "migrate", "--from", self.pg, "--to", back))
        self.assertEqual(customers(back), customers(self.pg))
        self.assertEqual(ok(run_kehu(back, "--format", "json", "customer", "timeline", "7")).stdout,
                         ok(run_kehu(self.pg, "--format", "json", "customer", "timeline", "7")).stdout)
        # numbering goes on after the copied codes
        made = json.loads(ok(run_kehu(back, "--format", "json", "opportunity", "add",
                                      "--customer", "7", "--name", "迁移后机会")).stdout)
        year = made["code"][:6]  # SJ + the year
        listed = json.loads(ok(run_kehu(back, "--format", "json", "opportunity", "list",
                                        "--limit", "500")).stdout)["items"]
        copied = [int(o["code"][6:]) for o in listed
                  if o["code"].startswith(year) and o["id"] != made["id"]]
        self.assertEqual(int(made["code"][6:]), max(copied) + 1, made["code"])

    def test_a_target_with_data_is_refused_and_left_alone(self):
        ok(run_kehu(self.pg, "init", "--admin-password-stdin", input=ADMIN_PASSWORD + "\n"))
        ok(run_kehu(self.pg, "customer", "add", "--name", "目标库已有客户", "--source", "online",
                    "--status", "potential", "--first_contact_date", "2024-05-10",
                    "--requirement", "不能被覆盖"))
        p = run_kehu(self.sqlite, "--lang", "en", "migrate", "--from", self.sqlite,
                     "--to", self.pg)
        self.assertEqual(p.returncode, 2, p.stderr)  # a bad request, nothing done
        self.assertIn("not empty", p.stderr)
        self.assertEqual([c["name"] for c in customers(self.pg)], ["目标库已有客户"])


if __name__ == "__main__":
    unittest.main()
