"""The customer pool 公海 and the archive 历史库 through the API and the CLI, with the
organisation of build_org: a salesperson sees the pool but not others' customers,
claims one and it is theirs, is stopped at the daily cap and the customer limit with
an error naming the limit; managers assign and lock; every move is in the pool
history and the audit log; the sweep (CLI, and `kehu serve` by itself) returns
neglected customers; archive suggestions, all-or-nothing bulk archive, one-action
return. And the race: two HTTP clients, two CLI processes on the same database, and
two servers on one database, claiming one customer at the same moment, 20 times: one
winner, the other 409 (exit 5); two servers' sweepers at once return each customer once."""

import json
import shutil
import subprocess
import tempfile
import threading
import time
import unittest

from . import dbs
from .kehu_fixture import (ADMIN_PASSWORD, KEHU_BIN, USER_PASSWORD, Client, KehuServer,
                           KehuTestCase, build_org, customer_body, init_db, sanitizer_findings)
from .cli_util import base_env

ROUNDS = 20


def uid(user):
    """The id of a user as records show it ({"id", "name"})."""
    return user["id"] if isinstance(user, dict) else user


def ids_of(resp):
    return {c["id"] for c in resp.json["items"]}


class PoolBase(KehuTestCase):
    with_org = True
    threads = 4

    def setting(self, key, value):
        cur = self.assertStatus(self.admin.get("/settings"), 200)
        self.assertStatus(self.admin.patch("/settings", {key: value}, if_match=cur), 200)

    def new_customer(self, owner="sales_b", name="公海客户有限公司", phone="13912345678", **f):
        body = customer_body(name, phone, owner=self.org.users[owner]["username"]
                             if owner != "admin" else "admin", **f)
        return self.assertStatus(self.admin.post("/customers", body), 201).json["id"]

    def pool_customer(self, name="公海客户有限公司", was="sales_b", **f):
        cid = self.new_customer(was, name, **f)
        self.assertStatus(self.admin.post("/customers/%d/release" % cid), 200)
        return cid


class PoolApiTests(PoolBase):
    def test_a_sweep_by_hand_is_the_administrators(self):
        # the rules are the company's: a department manager does not sweep the others
        self.assertError(self.org.client("mgr").post("/pool/sweep"), 403)
        self.assertError(self.org.client("sales_a").post("/pool/sweep"), 403)
        self.assertStatus(self.admin.post("/pool/sweep"), 200)

    def test_a_salesperson_sees_the_pool_but_not_others_customers_then_claims(self):
        sa, sb = self.org.client("sales_a"), self.org.client("sales_b")
        cid = self.new_customer("sales_b", "星海公海测试有限公司")
        self.assertError(sa.get("/customers/%d" % cid), 404)
        self.assertError(sa.post("/customers/%d/release" % cid), 404)
        self.assertNotIn(cid, ids_of(sa.get("/customers", params={"limit": 500})))

        r = self.assertStatus(sb.post("/customers/%d/release" % cid, {"reason": "暂无需求"}),
                              200)
        self.assertTrue(r.json["in_pool"])
        self.assertIsNone(r.json.get("owner"))
        self.assertEqual(uid(r.json["previous_owner"]), self.org.users["sales_b"]["id"])
        # everyone who reads customers sees the pool; the viewer's phones stay masked
        for key in ("sales_a", "viewer", "svc"):
            page = self.assertStatus(
                self.org.client(key).get("/customers", params={"view": "pool", "limit": 500}),
                200)
            self.assertIn(cid, ids_of(page), key)
        v = self.assertStatus(self.org.client("viewer").get("/customers/%d" % cid), 200)
        self.assertNotIn("13912345678", str(v.json))
        # not in the default list of anyone
        self.assertNotIn(cid, ids_of(self.admin.get("/customers", params={"limit": 500})))

        # a pool customer is everyone's to see, not to edit or to take by a PATCH
        cur = sa.get("/customers/%d" % cid)
        self.assertError(sa.patch("/customers/%d" % cid, {"remarks": "抢先改"}, if_match=cur),
                         403)
        self.assertError(sa.patch("/customers/%d" % cid, {"owner": "sales-a"}, if_match=cur),
                         422, fields=("owner",))

        r = self.assertStatus(sa.post("/customers/%d/claim" % cid), 200)
        self.assertEqual(uid(r.json["owner"]), self.org.users["sales_a"]["id"])
        self.assertFalse(r.json["in_pool"])
        self.assertEqual(uid(r.json["previous_owner"]), self.org.users["sales_b"]["id"])
        self.assertIn(cid, ids_of(sa.get("/customers", params={"limit": 500})))
        # the former owner lost sight of it; claiming again is 409, not 404
        self.assertError(sb.get("/customers/%d" % cid), 404)
        self.assertError(sb.post("/customers/%d/claim" % cid), 409, "state_conflict")
        self.assertError(sa.post("/customers/%d/claim" % cid), 409, "state_conflict")

        ev = self.assertStatus(sa.get("/pool/events", params={"customer": cid, "sort": "id"}),
                               200).json["items"]
        self.assertEqual([e["action"] for e in ev], ["release", "claim"])
        self.assertEqual(uid(ev[0]["from_owner"]), self.org.users["sales_b"]["id"])
        self.assertEqual(ev[0]["reason"], "暂无需求")
        self.assertEqual(uid(ev[1]["to_owner"]), self.org.users["sales_a"]["id"])
        audit = self.assertStatus(self.admin.get("/audit", params={
            "entity": "customer", "entity_id": cid}), 200).json["items"]
        self.assertEqual({"release", "claim"} & {a["action"] for a in audit},
                         {"release", "claim"})

    def test_records_of_a_pool_customer_are_to_see_not_to_change(self):
        """What hangs off a pool customer (contacts, follow-ups, orders, ...) is as
        read-only as the customer itself until someone claims it; a manager (assign)
        may still change it; after the claim, its new owner may."""
        sb, sa = self.org.client("sales_b"), self.org.client("sales_a")
        cid = self.new_customer("sales_b", "公海记录只读测试有限公司", "13912340001")
        fu = self.assertStatus(sb.post("/followups", {"customer_id": cid, "date": "2026-03-01",
                                                      "content": "原负责人的跟进"}), 201).json
        od = self.assertStatus(sb.post("/orders", {"customer_id": cid, "date": "2026-03-01",
                                                   "amount": 500000}), 201).json
        contact = self.admin.get("/customers/%d/contacts" % cid).json["items"][0]
        self.assertStatus(sb.post("/customers/%d/release" % cid), 200)
        before = self.admin.get("/customers/%d" % cid).json
        refused = [
            sa.post("/followups", {"customer_id": cid, "date": "2026-03-02", "content": "x"}),
            sa.post("/customers/%d/orders" % cid, {"date": "2026-03-02", "amount": 1}),
            sa.post("/visits", {"customer_id": cid, "date": "2026-03-02", "summary": "x"}),
            sa.patch("/followups/%d" % fu["id"], {"content": "改掉"}, if_match=fu),
            sa.delete("/orders/%d" % od["id"], if_match=od),
            sa.post("/customers/%d/contacts" % cid, {"name": "新人", "phone": "13912340002"}),
            sa.patch("/contacts/%d" % contact["id"], {"name": "改名"}, if_match=contact),
            sa.delete("/contacts/%d" % contact["id"], if_match=contact),
            sa.post("/requests", {"type": "gift", "customer_id": cid, "date": "2026-03-02",
                                  "purpose": "节礼", "gift_name": "茶叶", "quantity": 1,
                                  "unit_value": 10000}),
        ]
        for i, r in enumerate(refused):
            with self.subTest(i=i):
                self.assertError(r, 403, "forbidden")
        after = self.admin.get("/customers/%d" % cid).json
        for f in ("version", "deal_count", "deal_amount", "last_followup_date"):
            self.assertEqual(after[f], before[f], f)
        self.assertEqual(len(self.admin.get("/customers/%d/contacts" % cid).json["items"]), 1)
        # a manager may; so may the one who claims it
        self.assertStatus(self.org.client("mgr").post(
            "/followups", {"customer_id": cid, "date": "2026-03-02", "content": "主管跟进"}), 201)
        self.assertStatus(sa.post("/customers/%d/claim" % cid), 200)
        self.assertStatus(sa.patch("/followups/%d" % fu["id"], {"content": "接手后补充"},
                                   if_match=fu), 200)

    def test_lists_filtered_on_a_pool_customer_show_its_records(self):
        """A pool customer is everyone's to see, its records too: filtering a list on it
        (customer_id=) shows what its page and /customers/{id}/... show."""
        sb, sa = self.org.client("sales_b"), self.org.client("sales_a")
        cid = self.new_customer("sales_b", "公海筛选测试有限公司", "13912340003")
        fu = self.assertStatus(sb.post("/followups", {"customer_id": cid, "date": "2026-03-01",
                                                      "content": "原负责人的跟进"}), 201).json
        self.assertStatus(sb.post("/customers/%d/release" % cid), 200)
        self.assertStatus(sa.get("/followups/%d" % fu["id"]), 200)
        under = [x["id"] for x in self.all_pages(sa, "/customers/%d/followups" % cid, {})]
        flat = [x["id"] for x in self.all_pages(sa, "/followups", {"customer_id": cid})]
        self.assertEqual(under, [fu["id"]])
        self.assertEqual(flat, under)
        ev = self.all_pages(sa, "/pool/events", {"customer_id": cid})
        self.assertEqual([e["action"] for e in ev], ["release"])
        # a customer out of sight still filters to nothing, not to an error
        other = self.new_customer("sales_b", "公海筛选测试二有限公司", "13912340004")
        self.assertEqual(self.all_pages(sa, "/followups", {"customer_id": other}), [])

    def test_the_daily_cap_names_the_limit_in_both_languages(self):
        self.setting("pool_claims_per_day", 2)
        try:
            cids = [self.pool_customer("日限额%d有限公司" % i) for i in range(3)]
            lead = self.org.client("lead")
            for cid in cids[:2]:
                self.assertStatus(lead.post("/customers/%d/claim" % cid), 200)
            r = self.assertError(lead.post("/customers/%d/claim" % cids[2], lang="en"), 403)
            self.assertIn("pool_claims_per_day = 2", r["message"])
            r = self.assertError(lead.post("/customers/%d/claim" % cids[2], lang="zh-CN"), 403)
            self.assertIn("每人每天认领上限", r["message"])
            # still in the pool
            self.assertIn(cids[2], ids_of(self.admin.get("/customers", params={
                "view": "pool", "limit": 500})))
        finally:
            self.setting("pool_claims_per_day", 10)

    def test_the_customer_limit_stops_claims(self):
        sub = self.org.client("sub")
        owned = len(self.all_pages(sub, "/customers", {"limit": 100}))
        uid = self.org.users["sub"]["id"]
        u = self.assertStatus(self.admin.get("/users/%d" % uid), 200)
        self.assertStatus(self.admin.patch("/users/%d" % uid, {"max_customers": owned + 1},
                                           if_match=u), 200)
        a, b = self.pool_customer("上限一有限公司"), self.pool_customer("上限二有限公司")
        self.assertStatus(sub.post("/customers/%d/claim" % a), 200)
        r = self.assertError(sub.post("/customers/%d/claim" % b, lang="en"), 403)
        self.assertIn("customer limit of %d" % (owned + 1), r["message"])
        # releasing one makes room
        self.assertStatus(sub.post("/customers/%d/release" % a), 200)
        self.assertStatus(sub.post("/customers/%d/claim" % b), 200)

    def test_managers_assign_and_lock_salespeople_do_not(self):
        mgr, sa = self.org.client("mgr"), self.org.client("sales_a")
        cid = self.pool_customer("分配测试有限公司")
        self.assertError(sa.post("/customers/%d/assign" % cid, {"owner": "sales-b"}), 403)
        r = self.assertStatus(mgr.post("/customers/%d/assign" % cid, {"owner": "sales-b"}), 200)
        self.assertEqual(uid(r.json["owner"]), self.org.users["sales_b"]["id"])
        # outside the manager's scope: the field is named
        r = self.assertError(mgr.post("/customers/%d/assign" % cid, {"owner": "svc"}), 422,
                             fields=("owner",))
        self.assertError(mgr.post("/customers/%d/assign" % cid, {}), 422, fields=("owner",))
        self.assertError(sa.post("/customers/%d/lock" % cid), (403, 404))
        r = self.assertStatus(mgr.post("/customers/%d/lock" % cid), 200)
        self.assertTrue(r.json["locked"])
        self.assertError(mgr.post("/customers/%d/lock" % cid), 409)
        # a stale If-Match is refused with the current record
        self.assertError(mgr.post("/customers/%d/unlock" % cid, if_match=1), 412)
        r = self.assertStatus(mgr.post("/customers/%d/unlock" % cid, if_match=r), 200)
        self.assertFalse(r.json["locked"])
        # the owner releases it; the pool customer cannot be locked
        sb = self.org.client("sales_b")
        self.assertStatus(sb.post("/customers/%d/release" % cid), 200)
        self.assertError(mgr.post("/customers/%d/lock" % cid), 409)
        self.assertError(sb.post("/customers/%d/release" % cid), 409)

    def test_the_sweep_returns_neglected_customers_never_locked_ones(self):
        mgr = self.org.client("mgr")
        old = self.new_customer("sales_a", "十年未跟进有限公司", first_contact_date="2015-03-01")
        locked = self.new_customer("sales_a", "十年锁定有限公司", first_contact_date="2015-03-01")
        self.assertStatus(mgr.post("/customers/%d/lock" % locked), 200)
        # only customers first contacted before 2018 are due under this rule
        self.setting("pool_return_days", 3000)
        try:
            out = self.server.cli("--lang", "en", "pool", "sweep")
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertIn("1 customers returned", out.stdout)
            self.assertEqual(sanitizer_findings(out.stderr), [])
            again = self.server.cli("--lang", "en", "pool", "sweep")
            self.assertIn("0 customers returned", again.stdout)
        finally:
            self.setting("pool_return_days", 0)
        c = self.assertStatus(self.admin.get("/customers/%d" % old), 200).json
        self.assertTrue(c["in_pool"])
        self.assertEqual(uid(c["previous_owner"]), self.org.users["sales_a"]["id"])
        self.assertFalse(self.admin.get("/customers/%d" % locked).json["in_pool"])
        ev = self.admin.get("/pool/events", params={"customer": old}).json["items"]
        self.assertEqual(ev[0]["action"], "return")
        self.assertIn("2015-03-01", ev[0]["reason"])

    def test_archive_suggest_bulk_all_or_nothing_and_return(self):
        sa = self.org.client("sales_a")
        stale = self.new_customer("sales_a", "久未联系有限公司", first_contact_date="2019-01-01")
        lost = self.new_customer("sales_a", "已流失有限公司", status="lost",
                                 first_contact_date=time.strftime("%Y-%m-%d"))
        fresh = self.new_customer("sales_a", "新客户有限公司",
                                  first_contact_date=time.strftime("%Y-%m-%d"))
        other = self.new_customer("sales_b", "别人的久未联系有限公司",
                                  first_contact_date="2019-01-01")
        sug = ids_of(self.assertStatus(sa.get("/archive/suggestions", params={"limit": 500}),
                                       200))
        self.assertTrue({stale, lost} <= sug)
        self.assertNotIn(fresh, sug)
        self.assertNotIn(other, sug)
        self.assertError(self.org.client("viewer").get("/archive/suggestions"), 403)

        r = self.assertError(sa.post("/archive", {"ids": [stale, other, 0]}), 422,
                             fields=("ids[1]", "ids[2]"))
        self.assertIn(str(other), r["fields"]["ids[1]"])
        self.assertFalse(sa.get("/customers/%d" % stale).json["archived"])
        self.assertError(sa.post("/archive", {"ids": []}), 422, fields=("ids",))
        r = self.assertStatus(sa.post("/archive", {"ids": [stale, lost]}), 200)
        self.assertEqual(r.json["archived"], 2)
        self.assertNotIn(stale, ids_of(sa.get("/customers", params={"limit": 500})))
        self.assertIn(stale, ids_of(sa.get("/customers", params={"view": "archived"})))
        self.assertNotIn(stale, ids_of(sa.get("/archive/suggestions", params={"limit": 500})))
        c = sa.get("/customers/%d" % stale)
        self.assertStatus(sa.post("/customers/%d/unarchive" % stale, if_match=c), 200)
        self.assertIn(stale, ids_of(sa.get("/customers", params={"limit": 500})))


class PoolCliTests(PoolBase):
    def cli(self, user, *args):
        out = self.server.cli("--as", user, "--lang", "en", *args)
        self.assertEqual(sanitizer_findings(out.stderr), [])
        return out

    def test_the_pool_commands(self):
        cid = self.pool_customer("命令行公海有限公司")
        out = self.cli("sales-a", "pool", "list")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("命令行公海有限公司", out.stdout)
        self.assertIn("Previous owner", out.stdout)
        out = self.cli("sales-a", "pool", "claim", str(cid))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("yours now", out.stdout)
        out = self.cli("sales-b", "pool", "claim", str(cid))
        self.assertEqual(out.returncode, 5)
        self.assertIn("someone else claimed it first", out.stderr)
        out = self.cli("mgr", "pool", "assign", str(cid), "--to", "sales-b")
        self.assertEqual(out.returncode, 0, out.stderr)
        out = self.cli("mgr", "pool", "lock", str(cid))
        self.assertEqual(out.returncode, 0, out.stderr)
        out = self.cli("sales-b", "pool", "unlock", str(cid))
        self.assertEqual(out.returncode, 6)
        out = self.cli("sales-b", "pool", "release", str(cid), "--reason", "不再合作")
        self.assertEqual(out.returncode, 0, out.stderr)
        out = self.cli("admin", "pool", "events", "--customer", str(cid))
        self.assertEqual(out.returncode, 0, out.stderr)
        for action in ("release", "claim", "assign"):
            self.assertIn(action, out.stdout)
        self.assertIn("不再合作", out.stdout)
        out = self.cli("sales-a", "pool", "frobnicate", str(cid))
        self.assertEqual(out.returncode, 2)

    def test_the_archive_commands(self):
        a = self.new_customer("sales_a", "命令行久未联系有限公司", first_contact_date="2018-01-01")
        out = self.cli("sales-a", "archive", "suggest")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("命令行久未联系有限公司", out.stdout)
        out = self.cli("sales-a", "archive", "add", str(a), "999999")
        self.assertEqual(out.returncode, 4)
        self.assertIn("999999", out.stderr)
        self.assertFalse(self.admin.get("/customers/%d" % a).json["archived"])
        out = self.cli("sales-a", "archive", "add", "--suggested")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertTrue(self.admin.get("/customers/%d" % a).json["archived"])
        out = self.cli("sales-a", "--format", "json", "archive", "suggest")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertNotIn(a, [c["id"] for c in json.loads(out.stdout)["items"]])
        out = self.cli("sales-a", "archive", "restore", str(a))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertFalse(self.admin.get("/customers/%d" % a).json["archived"])


class PoolRaceTests(PoolBase):
    """Two claims of one pool customer at the same moment: exactly one winner."""

    def setUp(self):
        self.setting("pool_claims_per_day", 1000)

    def tearDown(self):
        self.setting("pool_claims_per_day", 10)
        super().tearDown()

    def check_one_winner(self, cid, results, winners_users):
        owner = uid(self.admin.get("/customers/%d" % cid).json["owner"])
        won = [u for (s, _), u in zip(results, winners_users) if s in (0, 200)]
        self.assertEqual(len(won), 1, results)
        self.assertEqual(owner, self.org.users[won[0]]["id"])
        claims = [e for e in self.admin.get("/pool/events", params={"customer": cid})
                  .json["items"] if e["action"] == "claim"]
        self.assertEqual(len(claims), 1)

    def test_two_http_clients_claim_at_once(self):
        users = ["sales_a", "lead"]
        clients = [self.org.client(u) for u in users]
        for i in range(ROUNDS):
            cid = self.pool_customer("抢客户%d有限公司" % i)
            barrier = threading.Barrier(2)
            results = [None, None]

            def go(k):
                barrier.wait()
                r = clients[k].post("/customers/%d/claim" % cid, lang="en")
                results[k] = (r.status, r.json)

            ts = [threading.Thread(target=go, args=(k,)) for k in range(2)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            codes = sorted(s for s, _ in results)
            self.assertEqual(codes, [200, 409], results)
            loser = results[0][1] if results[0][0] == 409 else results[1][1]
            self.assertEqual(loser["error"]["code"], "state_conflict")
            self.assertIn("claimed it first", loser["error"]["message"])
            self.check_one_winner(cid, results, users)

    def test_two_cli_processes_claim_at_once(self):
        users = ["sales_b", "sub"]
        env = base_env()
        for i in range(ROUNDS):
            cid = self.pool_customer("进程抢客户%d有限公司" % i)
            procs = [subprocess.Popen(
                [KEHU_BIN, "--db", self.server.db, "--as", u.replace("_", "-"), "--lang", "en",
                 "pool", "claim", str(cid)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                for u in users]
            results = []
            for p in procs:
                out, err = p.communicate(timeout=60)
                self.assertEqual(sanitizer_findings(err), [])
                results.append((p.returncode, err))
            self.assertEqual(sorted(r for r, _ in results), [0, 5], results)
            loser_err = results[0][1] if results[0][0] == 5 else results[1][1]
            self.assertIn("someone else claimed it first", loser_err)
            self.check_one_winner(cid, results, users)


class ServeSweepsByItself(KehuTestCase):
    with_org = True
    server_args = ("--pool-sweep", "1")

    def test_serve_returns_due_customers_without_cron(self):
        body = customer_body("服务自动回收有限公司", owner="sales-a",
                             first_contact_date="2014-01-01")
        cid = self.assertStatus(self.admin.post("/customers", body), 201).json["id"]
        cur = self.admin.get("/settings")
        self.assertStatus(self.admin.patch("/settings", {"pool_return_days": 3000},
                                           if_match=cur), 200)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.admin.get("/customers/%d" % cid).json["in_pool"]:
                break
            time.sleep(0.3)
        c = self.admin.get("/customers/%d" % cid).json
        self.assertTrue(c["in_pool"])
        self.assertEqual(uid(c["previous_owner"]), self.org.users["sales_a"]["id"])
        # the org's other customers were first contacted after the cut-off: they stay
        self.assertEqual(ids_of(self.admin.get("/customers", params={"view": "pool"})), {cid})


class TwoServersOneDatabase(unittest.TestCase):
    """Two `kehu serve` on one database, each sweeping every second: a claim through
    each at once has one winner, and each due customer returns once."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="kehu-pool-two-")
        cls.db = dbs.new_database(cls.tmp)
        init_db(cls.db)
        args = ("--pool-sweep", "1")
        cls.a = KehuServer(db=cls.db, extra_args=args, threads=2)
        cls.b = KehuServer(db=cls.db, extra_args=args, threads=2)
        cls.a.start()
        cls.b.start()
        cls.org = build_org(cls.a)

    @classmethod
    def tearDownClass(cls):
        reports = [s.stop() for s in (cls.a, cls.b)]
        dbs.drop_database(cls.db)
        shutil.rmtree(cls.tmp, ignore_errors=True)
        for r in reports:
            if r:
                raise AssertionError("a server failed:\n" + r[-4000:])

    def login(self, server, username, password=USER_PASSWORD):
        c = Client(server)
        self.assertEqual(c.login(username, password).status, 200)
        return c

    def test_claims_through_two_servers_and_two_sweepers(self):
        admin = self.login(self.a, "admin", ADMIN_PASSWORD)
        cur = admin.get("/settings")
        self.assertEqual(admin.patch("/settings", {"pool_claims_per_day": 1000},
                                     if_match=cur).status, 200)
        on_a, on_b = self.login(self.a, "sales-a"), self.login(self.b, "lead")
        for i in range(ROUNDS):
            body = customer_body("双服务器抢客户%d有限公司" % i, owner="sales-b")
            cid = admin.post("/customers", body).json["id"]
            self.assertEqual(admin.post("/customers/%d/release" % cid).status, 200)
            barrier = threading.Barrier(2)
            results = [None, None]

            def go(k, client):
                barrier.wait()
                results[k] = client.post("/customers/%d/claim" % cid).status

            ts = [threading.Thread(target=go, args=(k, c)) for k, c in enumerate((on_a, on_b))]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            self.assertEqual(sorted(results), [200, 409])

        due = [admin.post("/customers", customer_body(
            "双服务器回收%d有限公司" % i, owner="sales-a", first_contact_date="2012-06-01"))
            .json["id"] for i in range(30)]
        cur = admin.get("/settings")
        self.assertEqual(admin.patch("/settings", {"pool_return_days": 3000},
                                     if_match=cur).status, 200)
        deadline = time.time() + 30
        while time.time() < deadline:
            pool = {c["id"] for c in admin.get("/customers", params={
                "view": "pool", "limit": 500}).json["items"]}
            if set(due) <= pool:
                break
            time.sleep(0.5)
        self.assertLessEqual(set(due), pool)
        time.sleep(2)  # both sweepers ran again meanwhile: still one return each
        for cid in due:
            ev = admin.get("/pool/events", params={"customer": cid}).json["items"]
            self.assertEqual([e["action"] for e in ev], ["return"], cid)


if __name__ == "__main__":
    unittest.main()
