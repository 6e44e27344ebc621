"""Two `kehu serve` processes on one PostgreSQL database (issue: scale-out).

A request may land on either server: whatever one server does, the other must see at
once — records, sessions, CSRF tokens, login throttling, cached dictionaries — and
concurrent writes through both must keep their guarantees (one winner per version,
gap-free unique customer codes). Runs only with KEHU_TEST_ENGINE=postgresql (the
README's test command does that against a throwaway cluster).
"""
import concurrent.futures
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import urllib.parse

try:
    from . import dbs
    from .kehu_fixture import ADMIN_PASSWORD, Client, KehuServer, customer_body, init_db
except ImportError:
    import dbs
    from kehu_fixture import ADMIN_PASSWORD, Client, KehuServer, customer_body, init_db


@unittest.skipUnless(dbs.on_postgresql(), "needs PostgreSQL (KEHU_TEST_ENGINE=postgresql)")
class TwoServersOneDatabase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="kehu-two-")
        cls.db = dbs.new_database(cls.tmp)
        init_db(cls.db)
        cls.a = KehuServer(db=cls.db)
        cls.b = KehuServer(db=cls.db)
        cls.a.start()
        cls.b.start()

    @classmethod
    def tearDownClass(cls):
        reports = [s.stop() for s in (cls.a, cls.b)]
        dbs.drop_database(cls.db)
        shutil.rmtree(cls.tmp, ignore_errors=True)
        for r in reports:
            if r:
                raise AssertionError("a server failed:\n" + r[-4000:])

    def admin_on(self, server):
        c = Client(server)
        r = c.login("admin", ADMIN_PASSWORD)
        self.assertEqual(r.status, 200, r)
        return c

    @staticmethod
    def same_session(client, server):
        """The client's cookie and CSRF token, sent to the other server."""
        other = Client(server)
        other.cookies = dict(client.cookies)
        other.csrf = client.csrf
        return other

    def test_a_customer_created_on_one_is_listed_by_the_other(self):
        a = self.admin_on(self.a)
        r = a.post("/customers", customer_body("双机测试甲有限公司", "13800001111"))
        self.assertEqual(r.status, 201, r)
        cid = r.json["id"]
        b = self.admin_on(self.b)
        got = b.get("/customers/%d" % cid)
        self.assertEqual(got.status, 200, got)
        self.assertEqual(got.json["name"], "双机测试甲有限公司")
        found = b.get("/customers", params={"q": "双机测试甲"})
        self.assertIn(cid, [c["id"] for c in found.json["items"]])

    def test_a_login_on_one_works_on_the_other(self):
        a = self.admin_on(self.a)
        b = self.same_session(a, self.b)
        me = b.get("/auth/me")
        self.assertEqual(me.status, 200, me)
        self.assertEqual(me.json["user"]["username"], "admin")
        # the CSRF token of the session is known to the other server too
        r = b.post("/customers", customer_body("双机会话乙有限公司", "13800002222"))
        self.assertEqual(r.status, 201, r)
        # and a logout on one ends the session on both
        self.assertEqual(b.logout().status, 204)
        self.assertEqual(self.same_session(a, self.a).get("/auth/me").status, 401)

    def test_a_concurrent_edit_through_both_has_exactly_one_winner(self):
        a = self.admin_on(self.a)
        b = self.same_session(a, self.b)
        for round_ in range(10):
            r = a.post("/customers", customer_body("并发编辑%d有限公司" % round_, "13800003333"))
            cid, etag = r.json["id"], r.etag

            def edit(client, text):
                return client.patch("/customers/%d" % cid, {"remarks": text}, if_match=etag)

            with concurrent.futures.ThreadPoolExecutor(2) as ex:
                fa = ex.submit(edit, a, "from A")
                fb = ex.submit(edit, b, "from B")
                results = sorted([fa.result().status, fb.result().status])
            self.assertEqual(results, [200, 412], "round %d" % round_)
            final = a.get("/customers/%d" % cid).json
            self.assertIn(final["remarks"], ("from A", "from B"))
            self.assertEqual(final["version"], 2)

    def test_parallel_creates_through_both_give_unique_gap_free_codes(self):
        a = self.admin_on(self.a)
        b = self.same_session(a, self.b)
        n = 40

        def create(i):
            client = a if i % 2 else b
            return client.post("/customers", customer_body("并行编号%02d有限公司" % i,
                                                             "1380000%04d" % i))

        with concurrent.futures.ThreadPoolExecutor(8) as ex:
            results = list(ex.map(create, range(n)))
        self.assertEqual([r.status for r in results], [201] * n)
        codes = [r.json["code"] for r in results]
        self.assertEqual(len(set(codes)), n, "duplicate codes: %s" % codes)
        # every code of this test, and all earlier ones, form one unbroken sequence
        everything = []
        after = None
        while True:
            params = {"limit": 500, "sort": "code", "fields": "code"}
            if after:
                params["after"] = after
            page = a.get("/customers", params=params).json
            everything += [c["code"] for c in page["items"]]
            after = page["next"]
            if not after:
                break
        m = [re.fullmatch(r"([A-Z]+)(\d{4})(\d+)", c) for c in everything]
        seqs = sorted(int(x.group(3)) for x in m if x)
        self.assertEqual(seqs, list(range(1, len(seqs) + 1)), "gaps in %s" % seqs)

    def test_dictionary_changes_reach_the_other_server_at_once(self):
        a = self.admin_on(self.a)
        b = self.admin_on(self.b)
        # warm the other server's cache first
        self.assertEqual(b.get("/dictionaries", params={"kind": "industry"}).status, 200)
        r = a.post("/dictionaries", {"kind": "industry", "code": "aerospace",
                                     "label_zh": "航空航天", "label_en": "Aerospace"})
        self.assertEqual(r.status, 201, r)
        body = customer_body("航天双机有限公司", "13800004444", industry="航空航天")
        created = b.post("/customers", body)
        self.assertEqual(created.status, 201, created)
        self.assertEqual(created.json["industry"]["code"], "aerospace")

    def test_failed_logins_are_counted_across_servers(self):
        a = self.admin_on(self.a)
        u = a.post("/users", {"username": "twin-sales", "display_name": "双机销售",
                              "role": "sales", "password": "Twin-pass-123"})
        self.assertEqual(u.status, 201, u)
        for i in range(5):
            server = self.a if i % 2 else self.b
            r = Client(server).login("twin-sales", "wrong-password")
            self.assertEqual(r.status, 401, r)
        for server in (self.a, self.b):
            r = Client(server).login("twin-sales", "Twin-pass-123")
            self.assertEqual(r.status, 429, r)

    def test_settings_saved_at_once_through_both_have_one_winner(self):
        a = self.admin_on(self.a)
        b = self.same_session(a, self.b)
        for round_ in range(10):
            cur = a.get("/settings")
            with concurrent.futures.ThreadPoolExecutor(2) as ex:
                fa = ex.submit(a.patch, "/settings", {"stage_loyal_count": 10 + round_},
                               if_match=cur.etag)
                fb = ex.submit(b.patch, "/settings", {"stage_lost_days": 300 + round_},
                               if_match=cur.etag)
                got = sorted([fa.result().status, fb.result().status])
            self.assertEqual(got, [200, 412], "round %d" % round_)

    @unittest.skipUnless(os.environ.get("KEHU_TEST_PG_DIR"), "needs the cluster's directory")
    def test_zz_servers_recover_when_the_database_restarts(self):
        """A failover or restart of PostgreSQL: each server sees that its idle
        connections were closed and opens them again, so no request fails and
        kehu needs no restart."""
        cluster = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))), "scripts", "pg-cluster.sh")
        pgdir = os.environ["KEHU_TEST_PG_DIR"]
        port = str(urllib.parse.urlsplit(dbs.PG).port)
        clients = [self.admin_on(self.a), self.admin_on(self.b)]
        for c in clients:
            self.assertEqual(c.get("/customers").status, 200)
        subprocess.run([cluster, "halt", pgdir], check=True)
        subprocess.run([cluster, "resume", pgdir, port], check=True, capture_output=True)
        for c in clients:
            for _ in range(4):  # each worker thread's connection
                self.assertEqual(c.get("/customers", params={"limit": 2}).status, 200)
            made = c.post("/customers", customer_body("重连后新建有限公司", "13800005555"))
            self.assertEqual(made.status, 201, made)


if __name__ == "__main__":
    unittest.main()
