"""
Black-box tests of the demo's working records (kehu demo): on a demo of a few
hundred customers, what a sales manager opening it would check through the API —
won opportunities with their orders, stage and status histories that start at
each record's first state and run forward in time, tickets with their timestamps
and satisfaction, visits on the days of the plans they carry out, evaluations
behind each customer's relationship, the pool with its events, a request waiting
in a manager's inbox, every record on its customer's timeline — and that the same
seed gives the same data.
"""

import json
import os
import re
import shutil
import tempfile
import unittest

from .kehu_fixture import KehuTestCase, init_db, run_kehu

CUSTOMERS = 300
SEED = 11


def code(v):
    return v["code"] if isinstance(v, dict) else v


def ref_id(v):
    return v["id"] if isinstance(v, dict) else v


class TestDemoRecords(KehuTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        p = cls.server.cli("--lang", "en", "demo", "--customers", str(CUSTOMERS),
                           "--seed", str(SEED))
        if p.returncode != 0:
            raise AssertionError("kehu demo failed: %r" % (p,))
        cls.summary = p.stdout
        line = [l for l in p.stdout.splitlines() if "zhangwei" in l][-1]
        cls.password = re.split(r"[:：]\s*", line)[-1].strip()
        admin = cls.admin
        cls.opps = cls._all(admin, "/opportunities")
        cls.tickets = cls._all(admin, "/tickets")
        cls.plans = cls._all(admin, "/visit-plans")
        cls.visits = cls._all(admin, "/visits")
        cls.evals = cls._all(admin, "/evaluations")
        cls.pool = cls._all(admin, "/customers", {"view": "pool"})
        cls.owned = cls._all(admin, "/customers")

    @classmethod
    def _all(cls, client, path, params=None):
        params = dict(params or {}, limit=200)
        items = []
        while True:
            st, _, body = client.get(path, params=params)
            assert st == 200, (path, st, body)
            items += body["items"]
            if not body["next"]:
                return items
            params["after"] = body["next"]

    def get(self, path):
        return self.assertStatus(self.admin.get(path), 200).json

    def test_summary_counts_what_was_made(self):
        s = self.summary
        self.assertIn("Added %d demo customers" % CUSTOMERS, s)

        def number(label):
            m = re.search(label + r":? (\d+)", s)
            self.assertIsNotNone(m, "%s not in the summary:\n%s" % (label, s))
            return int(m.group(1))
        self.assertEqual(number("Opportunities"), len(self.opps))
        self.assertEqual(number("Service tickets"), len(self.tickets))
        self.assertEqual(number("Visit plans"), len(self.plans))
        self.assertEqual(number("visits"), len(self.visits))
        self.assertEqual(number("Relationship evaluations"), len(self.evals))
        self.assertEqual(number("Customers in the pool"), len(self.pool))
        self.assertEqual(len(self.pool) + len(self.owned), CUSTOMERS)
        for what in (self.opps, self.tickets, self.plans, self.visits, self.evals, self.pool):
            self.assertTrue(what, "the demo made none of some kind:\n%s" % s)

    def test_won_opportunities_have_their_orders(self):
        won = [o for o in self.opps if code(o["stage"]) == "won"]
        self.assertTrue(won)
        for o in won:
            o = self.get("/opportunities/%d" % o["id"])
            self.assertIsNotNone(o.get("order_id"), o)
            order = self.get("/orders/%d" % ref_id(o["order_id"]))
            self.assertEqual(ref_id(order["customer_id"]), ref_id(o["customer_id"]))
            self.assertEqual(order["amount"], o["expected_amount"])
            self.assertEqual(code(order["product"]), code(o["product"]))
            self.assertEqual(o["closed_date"], order["date"])
            self.assertEqual(o["probability"], 100)
        for o in self.opps:
            if code(o["stage"]) == "lost":
                self.assertIsNotNone(o["lost_reason"], o)
                self.assertTrue(o["closed_date"])
            elif code(o["stage"]) != "won":
                self.assertIsNone(o.get("closed_date"), o)

    def assertHistory(self, rows, field, first, last, created_at):
        self.assertTrue(rows)
        self.assertEqual(code(rows[0][field]), first)
        self.assertEqual(code(rows[-1][field]), last)
        ats = [r["at"] for r in rows]
        self.assertEqual(ats, sorted(ats), "history not in time order: %r" % rows)
        self.assertEqual(rows[0]["at"], created_at)
        states = [code(r[field]) for r in rows]
        self.assertEqual(len(states), len(set(states)), states)

    def test_opportunity_histories_start_at_lead_over_the_past_year(self):
        order = ["lead", "analysis", "proposal", "negotiation"]
        dates = []
        for o in self.opps[:80]:
            full = self.get("/opportunities/%d" % o["id"])
            rows = self.get("/opportunities/%d/history" % o["id"])["items"]
            self.assertHistory(rows, "stage", "lead", code(o["stage"]), full["created_at"])
            open_part = [code(r["stage"]) for r in rows if code(r["stage"]) in order]
            self.assertEqual(open_part, order[:len(open_part)])
            if o.get("closed_date"):
                self.assertEqual(rows[-1]["at"][:10] <= o["closed_date"], True)
            dates += [r["at"] for r in rows]
        self.assertGreater(len(set(d[:7] for d in dates)), 3, "histories all in a few months")

    def test_tickets(self):
        complaints = {}
        for t in self.tickets:
            st = code(t["status"])
            full = self.get("/tickets/%d" % t["id"])
            if st == "resolved":
                self.assertTrue(full["resolved_at"])
                self.assertGreaterEqual(full["resolved_at"], full["opened_at"])
                self.assertGreaterEqual(full["resolved_at"], full["started_at"])
                self.assertGreaterEqual(full["started_at"], full["opened_at"])
                self.assertTrue(full["resolution"])
                self.assertIsNotNone(full["handler"])
                self.assertIn(full["satisfaction"], (None, 1, 2, 3, 4, 5))
            else:
                self.assertIsNone(full["satisfaction"])
                self.assertIsNone(full.get("resolved_at"))
            if t["is_complaint"]:
                cid = ref_id(t["customer_id"])
                complaints[cid] = complaints.get(cid, 0) + 1
        for t in self.tickets[:40]:
            rows = self.get("/tickets/%d/history" % t["id"])["items"]
            full = self.get("/tickets/%d" % t["id"])
            self.assertHistory(rows, "status", "open", code(t["status"]), full["created_at"])
            self.assertEqual(full["opened_at"], full["created_at"])
        resolved = [t for t in self.tickets if code(t["status"]) == "resolved"]
        self.assertGreater(len(resolved), len(self.tickets) * 0.7, "tickets mostly resolved")
        self.assertTrue([t for t in resolved if t.get("satisfaction")])
        # complaints cluster: some customers complain again and again
        self.assertTrue(complaints)
        self.assertGreaterEqual(max(complaints.values()), 3, complaints)

    def test_visits_on_the_days_of_their_plans(self):
        plans = {p["id"]: p for p in self.plans}
        carried = set()
        for v in self.visits:
            full = self.get("/visits/%d" % v["id"])
            self.assertIsNotNone(full.get("plan_id"), full)
            plan = plans[ref_id(full["plan_id"])]
            carried.add(plan["id"])
            self.assertEqual(plan["date"], full["date"])
            self.assertEqual(ref_id(plan["customer_id"]), ref_id(full["customer_id"]))
            self.assertEqual(plan["status"], "done")
            self.assertEqual(full["expense_total"],
                             sum(x["amount"] for x in full["expenses"]))
            self.assertTrue(full["expenses"])
            c = self.get("/customers/%d" % ref_id(full["customer_id"]))
            self.assertGreaterEqual(c["last_followup_date"], full["date"])
        for p in self.plans:
            if p["id"] not in carried:
                self.assertIn(p["status"], ("planned", "cancelled"), p)

    def test_relationship_follows_the_latest_evaluation(self):
        latest = {}
        for e in self.evals:
            cid = ref_id(e["customer_id"])
            if cid not in latest or (e["date"], e["id"]) > (latest[cid]["date"], latest[cid]["id"]):
                latest[cid] = e
        for cid, e in latest.items():
            c = self.get("/customers/%d" % cid)
            self.assertEqual(code(c["relationship"]), code(e["recommendation"]))
            # the recommendation fits how the customer deals with us
            if code(e["recommendation"]) == "develop":
                self.assertGreater(c["deal_count"], 0, c["name"])
        evaluated = {ref_id(e["customer_id"]) for e in self.evals}
        for c in self.owned[:100]:
            if c["id"] not in evaluated:
                self.assertIsNone(self.get("/customers/%d" % c["id"]).get("relationship"))

    def test_pool_customers_have_no_owner_and_an_event_naming_the_last(self):
        self.assertGreater(len(self.pool), 2)
        for c in self.pool:
            full = self.get("/customers/%d" % c["id"])
            self.assertIsNone(full.get("owner"))
            self.assertTrue(full["in_pool"])
            self.assertIsNotNone(full.get("previous_owner"))
            events = self.get("/pool/events?customer=%d" % c["id"])["items"]
            self.assertTrue(events, c["name"])
            last = events[0]
            self.assertIn(code(last["action"]), ("release", "return"))
            self.assertEqual(ref_id(last["from_owner"]), ref_id(full["previous_owner"]))
            self.assertIsNone(last.get("to_owner"))
            # nothing of it happened after it went to the pool
            for o in self.opps:
                if ref_id(o["customer_id"]) == c["id"]:
                    self.assertIn(code(o["stage"]), ("won", "lost"))

    def test_a_request_waits_in_a_managers_inbox(self):
        boss = self.server.login("zhangwei", self.password)
        inbox = self.assertStatus(boss.get("/approvals/inbox"), 200).json["items"]
        self.assertTrue(inbox, "nothing waits for the sales manager")
        for r in inbox:
            self.assertEqual(code(r["status"]), "pending")
        mine = self.assertStatus(self.admin.get("/requests", params={"limit": 200}), 200)
        statuses = {code(r["status"]) for r in mine.json["items"]}
        self.assertIn("approved", statuses)

    def test_timeline_lists_the_customers_records(self):
        by_customer = {}
        for kind, items in (("opportunity", self.opps), ("ticket", self.tickets),
                            ("visit", self.visits), ("evaluation", self.evals)):
            for x in items:
                by_customer.setdefault(ref_id(x["customer_id"]), set()).add((kind, x["id"]))
        busiest = sorted(by_customer, key=lambda c: -len(by_customer[c]))[:5]
        for cid in busiest:
            items = self.all_pages(self.admin, "/customers/%d/timeline" % cid, {"limit": 50})
            listed = {(i["kind"], i["id"]) for i in items}
            self.assertLessEqual(by_customer[cid], listed)
            ats = [i["at"] for i in items]
            self.assertEqual(ats, sorted(ats, reverse=True))


class TestDemoSeed(unittest.TestCase):
    """The same seed on two fresh databases gives the same records."""

    def dump(self, db):
        out = {}
        for cmd in (["customer", "list", "--view", "all"], ["opportunity", "list"],
                    ["ticket", "list"], ["visit", "list"], ["visit-plan", "list"],
                    ["evaluation", "list"], ["order", "list"]):
            r = run_kehu(db, "--format", "json", *cmd, "--limit", "500", "--sort", "id")
            self.assertEqual(r.returncode, 0, r)
            items = json.loads(r.stdout)["items"]
            # moments of today may be the clock's; the rest is the seed's
            out[cmd[0]] = [{k: v for k, v in x.items() if k not in ("updated_at", "created_at")}
                           for x in items]
        return out

    def test_same_seed_same_data(self):
        tmp = tempfile.mkdtemp(prefix="kehu-demo-seed-")
        self.addCleanup(shutil.rmtree, tmp, True)
        dumps = []
        for name in ("a.db", "b.db"):
            db = os.path.join(tmp, name)
            init_db(db)
            r = run_kehu(db, "demo", "--customers", "120", "--seed", "5")
            self.assertEqual(r.returncode, 0, r)
            dumps.append(self.dump(db))
        for kind in dumps[0]:
            self.assertTrue(dumps[0][kind], kind)
            self.assertEqual(dumps[0][kind], dumps[1][kind], kind)


if __name__ == "__main__":
    unittest.main()
