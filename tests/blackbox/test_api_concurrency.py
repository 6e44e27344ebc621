"""Optimistic concurrency: ETag = version, If-Match required (428), stale -> 412 + current."""

import threading
import unittest

from .kehu_fixture import KehuTestCase, customer_body


class OptimisticConcurrencyTests(KehuTestCase):
    with_org = True
    threads = 4

    def new_customer(self, client=None, name="并发编辑有限公司", **fields):
        client = client or self.org.client("sales_a")
        r = client.post("/customers", customer_body(name, "13712340000", **fields))
        self.assertStatus(r, 201)
        return r

    def test_etag_is_the_version(self):
        sa = self.org.client("sales_a")
        r = self.new_customer()
        path = "/customers/%d" % r.json["id"]
        for expected in (1, 2, 3):
            g = self.assertStatus(sa.get(path), 200)
            self.assertEqual(g.json["version"], expected)
            self.assertEqual(g.etag, '"%d"' % expected)
            if expected < 3:
                self.assertStatus(sa.patch(path, {"remarks": "第%d次" % expected}, if_match=g),
                                  200)

    def test_changes_without_if_match_get_428(self):
        sa = self.org.client("sales_a")
        mgr = self.org.client("mgr")
        r = self.new_customer()
        cid = r.json["id"]
        contact = r.json["contacts"][0]
        calls = [
            (sa, "PATCH", "/customers/%d" % cid, {"remarks": "x"}),
            (mgr, "DELETE", "/customers/%d" % cid, None),
            (sa, "POST", "/customers/%d/archive" % cid, None),
            (sa, "POST", "/customers/%d/unarchive" % cid, None),
            (mgr, "POST", "/customers/%d/restore" % cid, None),
            (sa, "PATCH", "/contacts/%d" % contact["id"], {"position": "x"}),
            (sa, "DELETE", "/contacts/%d" % contact["id"], None),
        ]
        for client, method, path, body in calls:
            kw = {} if body is None else {"body": body}
            resp = client.request(method, path, **kw)
            self.assertError(resp, 428, "precondition_required")
        # admin records too
        u = self.admin.get("/users/%d" % self.org.users["viewer"]["id"])
        self.assertError(self.admin.patch("/users/%d" % u.json["id"], {"email": "v@x.cn"}), 428)
        d = self.org.depts["客服部"]
        self.assertError(self.admin.patch("/departments/%d" % d, {"sort_order": 5}), 428)
        self.assertError(self.admin.delete("/departments/%d" % d), 428)
        self.assertError(self.admin.patch("/roles/viewer", {"scope": "all"}), 428)
        opts = self.admin.get("/dictionaries", params={"kind": "region"}).json["items"]
        self.assertError(self.admin.patch("/dictionaries/%d" % opts[0]["id"],
                                          {"sort_order": 1}), 428)
        # nothing changed
        g = self.assertStatus(sa.get("/customers/%d" % cid), 200)
        self.assertEqual(g.json["version"], 1)
        self.assertIsNone(g.json["remarks"])

    def test_if_match_forms(self):
        sa = self.org.client("sales_a")
        r = self.new_customer()
        path = "/customers/%d" % r.json["id"]
        self.assertStatus(sa.patch(path, {"remarks": "a"}, if_match='"1"'), 200)
        self.assertStatus(sa.patch(path, {"remarks": "b"}, if_match='W/"2"'), 200)
        self.assertStatus(sa.patch(path, {"remarks": "c"}, if_match="3"), 200)
        for bad in ('"abc"', '""', "*x", '"-1"', '"99999999999999999999999999"'):
            resp = sa.patch(path, {"remarks": "d"}, if_match=bad)
            self.assertIn(resp.status, (400, 412), "If-Match %s: %r" % (bad, resp))
        g = self.assertStatus(sa.get(path), 200)
        self.assertEqual((g.json["version"], g.json["remarks"]), (4, "c"))

    def test_stale_patch_gets_412_with_the_current_record(self):
        sa = self.org.client("sales_a")
        r = self.new_customer()
        path = "/customers/%d" % r.json["id"]
        p = self.assertStatus(sa.patch(path, {"remarks": "先到"}, if_match=r), 200)
        stale = sa.patch(path, {"remarks": "后到", "name": "后到有限公司"}, if_match=r)
        err = self.assertError(stale, 412, "version_conflict")
        self.assertTrue(err["message"])
        cur = stale.json.get("current")
        self.assertIsInstance(cur, dict, "412 must carry the current record")
        self.assertEqual(cur["id"], r.json["id"])
        self.assertEqual(cur["version"], 2)
        self.assertEqual(cur["remarks"], "先到")
        self.assertEqual(cur, p.json)
        g = self.assertStatus(sa.get(path), 200)
        self.assertEqual(g.json, p.json, "a stale edit must not be applied")

    def test_stale_noop_patch_is_still_a_conflict(self):
        sa = self.org.client("sales_a")
        r = self.new_customer()
        path = "/customers/%d" % r.json["id"]
        self.assertStatus(sa.patch(path, {"remarks": "v2"}, if_match=r), 200)
        self.assertError(sa.patch(path, {"remarks": "v2"}, if_match=r), 412)

    def test_future_version_is_a_conflict(self):
        sa = self.org.client("sales_a")
        r = self.new_customer()
        self.assertError(sa.patch("/customers/%d" % r.json["id"], {"remarks": "x"},
                                  if_match=7), 412)

    def test_stale_delete_archive_restore_are_refused(self):
        sa = self.org.client("sales_a")
        mgr = self.org.client("mgr")
        r = self.new_customer()
        path = "/customers/%d" % r.json["id"]
        v2 = self.assertStatus(sa.patch(path, {"remarks": "v2"}, if_match=r), 200)
        d = mgr.delete(path, if_match=r)
        self.assertError(d, 412, "version_conflict")
        self.assertEqual(d.json.get("current", {}).get("version"), 2)
        self.assertStatus(sa.get(path), 200)
        self.assertError(sa.post(path + "/archive", if_match=r), 412)
        self.assertFalse(sa.get(path).json["archived"])
        a = self.assertStatus(sa.post(path + "/archive", if_match=v2), 200)
        self.assertTrue(a.json["archived"])
        self.assertEqual(a.json["version"], 3)
        self.assertError(sa.post(path + "/unarchive", if_match=v2), 412)
        self.assertStatus(mgr.delete(path, if_match=a), 204)
        deleted = self.assertStatus(mgr.get(path, params={"deleted": "true"}), 200)
        self.assertError(mgr.post(path + "/restore", if_match=a), 412)
        self.assertStatus(mgr.post(path + "/restore", if_match=deleted), 200)

    def test_stale_contact_edit_is_refused(self):
        sa = self.org.client("sales_a")
        r = self.new_customer()
        k = r.json["contacts"][0]
        path = "/contacts/%d" % k["id"]
        p = self.assertStatus(sa.patch(path, {"position": "总经理"}, if_match=k), 200)
        stale = sa.patch(path, {"position": "副总"}, if_match=k)
        self.assertError(stale, 412, "version_conflict")
        self.assertEqual(stale.json.get("current", {}).get("position"), "总经理")
        self.assertError(sa.delete(path, if_match=k), 412)
        self.assertEqual(sa.get(path).json, p.json)

    def test_stale_admin_record_edit_is_refused(self):
        r = self.admin.post("/departments", {"name": "并发部门", "parent": self.org.depts["总公司"]})
        self.assertStatus(r, 201)
        path = "/departments/%d" % r.json["id"]
        self.assertStatus(self.admin.patch(path, {"name": "并发部门甲"}, if_match=r), 200)
        stale = self.admin.patch(path, {"name": "并发部门乙"}, if_match=r)
        self.assertError(stale, 412)
        self.assertEqual(stale.json.get("current", {}).get("name"), "并发部门甲")

    def race(self, calls):
        """Run the calls at the same moment; return their responses."""
        out = [None] * len(calls)
        barrier = threading.Barrier(len(calls))

        def go(i, fn):
            try:
                barrier.wait(30)
            except threading.BrokenBarrierError:
                pass
            try:
                out[i] = fn()
            except Exception as e:  # noqa: BLE001
                out[i] = e

        ts = [threading.Thread(target=go, args=(i, fn)) for i, fn in enumerate(calls)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(120)
        for r in out:
            if r is None or isinstance(r, Exception):
                self.fail("request failed: %r" % (r,))
        return out

    def test_two_clients_editing_the_same_record_exactly_one_wins(self):
        a = self.org.client("sales_a")
        m = self.org.client("mgr")
        for round_ in range(10):
            r = self.new_customer(name="抢改%d有限公司" % round_)
            path = "/customers/%d" % r.json["id"]
            ra, rm = self.race([
                lambda: a.patch(path, {"remarks": "A 的修改", "contract_amount": 100},
                                if_match=r),
                lambda: m.patch(path, {"remarks": "经理的修改", "next_step": "拜访"},
                                if_match=r),
            ])
            statuses = sorted([ra.status, rm.status])
            self.assertEqual(statuses, [200, 412], "round %d: %r %r" % (round_, ra, rm))
            winner, loser = (ra, rm) if ra.status == 200 else (rm, ra)
            g = self.assertStatus((a if winner is ra else m).get(path), 200)
            self.assertEqual(g.json["version"], 2)
            self.assertEqual(g.json, winner.json)
            self.assertIn("current", loser.json, "412 must carry the current record")
            self.assertEqual(loser.json["current"]["version"], 2)
            if winner is ra:
                self.assertEqual((g.json["remarks"], g.json["contract_amount"],
                                  g.json["next_step"]), ("A 的修改", 100, None))
            else:
                self.assertEqual((g.json["remarks"], g.json["contract_amount"],
                                  g.json["next_step"]), ("经理的修改", None, "拜访"))

    def test_many_writers_one_version_only_one_wins(self):
        a = self.org.client("sales_a")
        r = self.new_customer(name="多人抢改有限公司")
        path = "/customers/%d" % r.json["id"]
        calls = [(lambda i=i: a.patch(path, {"remarks": "写者%d" % i}, if_match=r))
                 for i in range(8)]
        out = self.race(calls)
        ok = [x for x in out if x.status == 200]
        self.assertEqual(len(ok), 1, [x.status for x in out])
        self.assertEqual(sorted(x.status for x in out), [200] + [412] * 7)
        g = self.assertStatus(a.get(path), 200)
        self.assertEqual(g.json["version"], 2)
        self.assertEqual(g.json["remarks"], ok[0].json["remarks"])

    def test_parallel_primary_contacts_leave_exactly_one_primary(self):
        a = self.org.client("sales_a")
        r = self.assertStatus(a.post("/customers", customer_body("抢首要联系人有限公司")), 201)
        base = "/customers/%d/contacts" % r.json["id"]
        out = self.race([(lambda i=i: a.post(base, {"name": "联系人%d" % i,
                                                    "phone": "1371111%04d" % i,
                                                    "primary": i % 2 == 0}))
                         for i in range(10)])
        for x in out:
            self.assertStatus(x, 201)
        lst = self.assertStatus(a.get(base), 200).json["items"]
        self.assertEqual(len(lst), 10)
        self.assertEqual(sum(1 for k in lst if k["primary"]), 1, lst)

    def test_racing_delete_and_edit(self):
        a = self.org.client("sales_a")
        m = self.org.client("mgr")
        r = self.new_customer(name="删改竞争有限公司")
        path = "/customers/%d" % r.json["id"]
        pe, de = self.race([lambda: a.patch(path, {"remarks": "改"}, if_match=r),
                            lambda: m.delete(path, if_match=r)])
        self.assertIn(pe.status, (200, 404, 412), pe)
        self.assertIn(de.status, (204, 412), de)
        self.assertEqual(sum(1 for x in (pe, de) if x.status in (200, 204)), 1,
                         "exactly one of edit/delete wins: %r %r" % (pe, de))
        g = self.admin.get(path, params={"deleted": "true"})
        self.assertStatus(g, 200)
        if pe.status == 200:
            self.assertIsNone(g.json["deleted_at"])
            self.assertEqual(g.json["remarks"], "改")
        else:
            self.assertIsNotNone(g.json["deleted_at"])
            self.assertIsNone(g.json["remarks"])


if __name__ == "__main__":
    unittest.main()
