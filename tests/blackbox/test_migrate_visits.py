"""kehu migrate --from SRC --to DST with visits: plans, visits with their
expenses and the signed-off daily note arrive whole on the other engine and
back, and the daily report reads the same there. Needs PostgreSQL
(KEHU_TEST_ENGINE=postgresql).
"""
import os
import shutil
import tempfile
import unittest

try:
    from . import dbs
    from .kehu_fixture import ADMIN_PASSWORD, run_kehu
    from .test_migrate import ok
except ImportError:
    import dbs
    from kehu_fixture import ADMIN_PASSWORD, run_kehu
    from test_migrate import ok

DAY = "2024-03-05"
SHOWN = (["visit", "show", "1"], ["visit", "show", "2"], ["visit-plan", "show", "1"],
         ["visit", "daily", "--user", "admin", "--date", DAY], ["customer", "timeline", "1"])


def shown(db):
    return [ok(run_kehu(db, "--format", "json", *args)).stdout for args in SHOWN]


@unittest.skipUnless(dbs.on_postgresql(), "needs PostgreSQL (KEHU_TEST_ENGINE=postgresql)")
class MigrateVisits(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="kehu-migrate-visits-")
        self.sqlite = os.path.join(self.tmp, "source.db")
        db = self.sqlite
        ok(run_kehu(db, "init", "--admin-password-stdin", input=ADMIN_PASSWORD + "\n"))
        ok(run_kehu(db, "customer", "add", "--name", "迁移拜访客户", "--source", "online",
                    "--status", "potential", "--first_contact_date", "2024-01-01",
                    "--requirement", "需要"))
        ok(run_kehu(db, "visit-plan", "add", "--customer", "1", "--date", DAY, "--purpose", "a",
                    "--place", "客户工厂"))
        ok(run_kehu(db, "visit", "add", "--customer", "1", "--plan_id", "1", "--date", DAY,
                    "--purpose", "a", "--outcome", "b", "--summary", "迁移拜访",
                    "--expense", "交通=35.50", "--expense", "用餐=88:晚饭"))
        ok(run_kehu(db, "visit", "add", "--customer", "1", "--date", DAY, "--summary", "第二次",
                    "--expense", "住宿=260"))
        ok(run_kehu(db, "visit", "edit", "2", "--if-version", "1", "--expense", "住宿=280"))
        ok(run_kehu(db, "visit", "submit", "--date", DAY, "--summary", "两次拜访"))
        self.pg = dbs.new_database(self.tmp)

    def tearDown(self):
        dbs.drop_database(self.pg)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_there_and_back(self):
        before = shown(self.sqlite)
        self.assertIn("两次拜访", before[3])
        ok(run_kehu(self.pg, "migrate", "--from", self.sqlite, "--to", self.pg))
        self.assertEqual(shown(self.pg), before)
        # new rows get ids after the copied ones
        out = ok(run_kehu(self.pg, "visit", "add", "--customer", "1", "--date", DAY,
                          "--summary", "迁移后", "--expense", "其他=1")).stdout
        self.assertIn("3", out)
        back = os.path.join(self.tmp, "back.db")
        ok(run_kehu(back, "migrate", "--from", self.pg, "--to", back))
        self.assertEqual(shown(back), shown(self.pg))


if __name__ == "__main__":
    unittest.main()
