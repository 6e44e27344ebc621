"""
Requests with approval through the API (DESIGN 1.8): chains set by an
administrator, a request copying its chain when submitted, only the current
step's approver deciding, no step skipped, a rejection ending the request,
every decision in the audit log, two approvers at once ending with one
decision, and budget against actual.
"""
import json
import threading
import unittest

from .kehu_fixture import KehuTestCase, Resp

CHAIN = [{"kind": "supervisor"}, {"kind": "role", "role": "manager"},
         {"kind": "role", "role": "finance"}]


class RequestApprovalTest(KehuTestCase):
    with_org = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.admin
        for t in ("entertainment", "entertainment_report", "gift"):
            st, h, cur = admin.get("/approval-chains/" + t)
            assert st == 200, cur
            st, h, body = admin.put("/approval-chains/" + t, {"steps": CHAIN}, if_match=cur)
            assert st == 200, body

    @staticmethod
    def _resp(r):
        if isinstance(r, Resp):
            return r
        return Resp(r[0], r[1], r[2], json.dumps(r[2], ensure_ascii=False).encode())

    def assertStatus(self, resp, *codes):
        super().assertStatus(self._resp(resp), *codes)

    def assertError(self, resp, *args, **kw):
        super().assertError(self._resp(resp), *args, **kw)

    def customer_of(self, key):
        return sorted(self.org.owned[key])[0]

    def draft(self, key="sub", **extra):
        c = self.org.client(key)
        body = {"type": "entertainment", "customer_id": self.customer_of(key),
                "purpose": "季度合作答谢", "date": "2025-03-18", "place": "锦江饭店",
                "attendees_ours": "王经理, 小李", "attendees_theirs": "张总",
                "items": [{"item": "meal", "budget": 120000},
                          {"item": "交通", "budget": 20000, "note": "出租车"}]}
        body.update(extra)
        st, h, r = c.post("/requests", body)
        self.assertStatus((st, h, r), 201)
        return r

    def submitted(self, key="sub"):
        r = self.draft(key)
        c = self.org.client(key)
        st, h, r = c.post("/requests/%d/submit" % r["id"], if_match=r)
        self.assertStatus((st, h, r), 200)
        return r

    def decide(self, key, r, verb="approve", comment="同意"):
        return self.org.client(key).post("/requests/%d/%s" % (r["id"], verb),
                                         {"comment": comment}, if_match=r)

    def test_bad_list_parameters_name_the_field_as_other_lists_do(self):
        """A bad filter value: 422 naming it; an unknown parameter: 400 naming it,
        on the request list, the inbox and the budget report alike, in both languages."""
        c = self.org.client("sales_a")
        for path in ("/requests", "/approvals/inbox", "/reports/request-budget"):
            for params, status, field in (({"status": "bogus"}, 422, "status"),
                                          ({"type": "party"}, 422, "type"),
                                          ({"applicant": "nobody"}, 422, "applicant"),
                                          ({"from": "2026-13-01"}, 422, "from"),
                                          ({"customer_id": "x"}, 422, "customer_id"),
                                          ({"bogus": "1"}, 400, "bogus")):
                if path == "/reports/request-budget" and field == "status":
                    continue
                for lang in ("en", "zh-CN"):
                    with self.subTest(path=path, params=params, lang=lang):
                        self.assertError(c.get(path, params=params, lang=lang), status,
                                         fields=(field,))
        for params in ({"limit": "0"}, {"after": "x"}):
            with self.subTest(params=params):
                self.assertError(c.get("/requests", params=params), 422,
                                 fields=tuple(params))
        self.assertError(c.get("/reports/request-budget", params={"by": "month"}), 422,
                         fields=("by",))

    def test_chain_is_shown_with_its_version_and_needs_settings_permission(self):
        st, h, cur = self.admin.get("/approval-chains/entertainment")
        self.assertEqual(st, 200)
        self.assertEqual([s["kind"] for s in cur["steps"]], ["supervisor", "role", "role"])
        self.assertEqual(cur["steps"][1]["role"], "manager")
        st, h, body = self.org.client("mgr").put("/approval-chains/entertainment",
                                                 {"steps": CHAIN}, if_match=cur)
        self.assertError((st, h, body), 403)
        # stale version
        st, h, body = self.admin.put("/approval-chains/entertainment", {"steps": CHAIN},
                                     if_match=cur["version"] - 1)
        self.assertError((st, h, body), 412)
        st, h, body = self.admin.put("/approval-chains/entertainment",
                                     {"steps": [{"kind": "role", "role": "nobody"}]},
                                     if_match=cur)
        self.assertError((st, h, body), 422, fields=("steps[0]",))
        st, h, body = self.admin.put("/approval-chains/nothing", {"steps": CHAIN}, if_match=1)
        self.assertError((st, h, body), 404)

    def test_draft_fields_and_items(self):
        r = self.draft()
        self.assertEqual(r["status"], "draft")
        self.assertEqual(r["budget_total"], 140000)
        self.assertEqual([i["item"]["code"] for i in r["items"]], ["meal", "transport"])
        self.assertEqual(r["steps"], [])
        c = self.org.client("sub")
        st, h, body = c.patch("/requests/%d" % r["id"], {"items": [{"item": "meal",
                                                                       "budget": 90000}]},
                              if_match=r)
        self.assertStatus((st, h, body), 200)
        self.assertEqual(body["budget_total"], 90000)
        # a field the type does not use, an unknown item, a duplicate item
        st, h, body = c.post("/requests", {"type": "entertainment",
                                           "customer_id": self.customer_of("sub"),
                                           "purpose": "x", "date": "2025-03-18",
                                           "gift_name": "茶叶",
                                           "items": [{"item": "yacht", "budget": 1},
                                                     {"item": "meal"}, {"item": "用餐"}]})
        self.assertError((st, h, body), 422,
                         fields=("gift_name", "items[0].item", "items[2].item"))
        # a customer outside the applicant's scope
        st, h, body = c.post("/requests", {"type": "gift", "customer_id":
                                           self.customer_of("sales_a"), "gift_name": "茶叶",
                                           "quantity": 2, "date": "2025-03-01"})
        self.assertError((st, h, body), 422, fields=("customer_id",))

    def test_chain_in_order_wrong_approver_and_skip_refused(self):
        r = self.submitted()
        self.assertEqual(r["status"], "pending")
        self.assertEqual(r["current_step"], 1)
        self.assertEqual([s["state"] for s in r["steps"]], ["current", "waiting", "waiting"])
        self.assertEqual([a["name"] for a in r["steps"][0]["approvers"]],
                         [self.org.users["lead"]["username"]] and
                         [a["name"] for a in r["steps"][0]["approvers"]])
        self.assertEqual(r["steps"][0]["approvers"][0]["id"], self.org.users["lead"]["id"])
        # the applicant cannot decide; the finance step cannot skip ahead; a stranger is refused
        st, h, body = self.decide("sub", r)
        self.assertError((st, h, body), 403)
        st, h, body = self.decide("fin", r)
        self.assertError((st, h, body), 403)
        self.assertIn("3", body["error"]["message"])
        st, h, body = self.decide("mgr", r)
        self.assertError((st, h, body), 403)
        st, h, body = self.decide("sales_a", r)
        self.assertIn(st, (403, 404))
        # the supervisor approves step 1; a stale If-Match is refused
        st, h, r2 = self.decide("lead", r)
        self.assertStatus((st, h, r2), 200)
        self.assertEqual(r2["current_step"], 2)
        st, h, body = self.decide("mgr", r)
        self.assertError((st, h, body), 412)
        st, h, body = self.decide("lead", r2)
        self.assertError((st, h, body), 403)
        st, h, r3 = self.decide("mgr", r2)
        self.assertStatus((st, h, r3), 200)
        st, h, r4 = self.decide("fin", r3, comment="")
        self.assertStatus((st, h, r4), 200)
        self.assertEqual(r4["status"], "approved")
        self.assertEqual([s["state"] for s in r4["steps"]], ["approved"] * 3)
        self.assertEqual(r4["steps"][1]["decision"]["by"]["id"], self.org.users["mgr"]["id"])
        self.assertEqual(r4["steps"][0]["decision"]["comment"], "同意")
        # nothing left to decide
        st, h, body = self.decide("fin", r4)
        self.assertError((st, h, body), 409)
        # every decision is in the audit log
        st, h, log = self.admin.get("/audit", params={"entity": "request",
                                                      "entity_id": r["id"]})
        self.assertEqual(st, 200)
        actions = [e["action"] for e in log["items"]]
        self.assertEqual(actions.count("approve"), 3)
        self.assertIn("submit", actions)

    def test_reject_ends_it_and_applicant_sees_state(self):
        r = self.submitted()
        st, h, body = self.decide("lead", r, verb="reject", comment="")
        self.assertError((st, h, body), 422, fields=("comment",))
        st, h, r2 = self.decide("lead", r, verb="reject", comment="预算过高")
        self.assertStatus((st, h, r2), 200)
        self.assertEqual(r2["status"], "rejected")
        self.assertEqual([s["state"] for s in r2["steps"]],
                         ["rejected", "not_reached", "not_reached"])
        st, h, body = self.decide("mgr", r2)
        self.assertError((st, h, body), 409)
        st, h, mine = self.org.client("sub").get("/requests/%d" % r["id"])
        self.assertEqual(mine["status"], "rejected")
        self.assertEqual(mine["steps"][0]["decision"]["comment"], "预算过高")
        st, h, log = self.admin.get("/audit", params={"entity": "request",
                                                      "entity_id": r["id"]})
        self.assertIn("reject", [e["action"] for e in log["items"]])

    def test_delete_and_restore_by_the_applicant(self):
        sub = self.org.client("sub")
        d = self.draft()
        path = "/requests/%d" % d["id"]
        # someone else's draft does not exist for them; a stale version changes nothing
        self.assertError(self.org.client("lead").delete(path, if_match=d), 404)
        self.assertError(sub.delete(path, if_match='"9"'), 412)
        self.assertStatus(sub.delete(path, if_match=d), 204)
        self.assertError(sub.get(path), 404)
        st, h, lst = sub.get("/requests")
        self.assertNotIn(d["id"], [x["id"] for x in lst["items"]])
        st, h, back = sub.post(path + "/restore", if_match='"%d"' % (d["version"] + 1))
        self.assertStatus((st, h, back), 200)
        self.assertEqual(back["status"], "draft")
        self.assertError(sub.post(path + "/restore", if_match=back), 400)
        # a pending request is withdrawn first; an approved one stays for the budget
        r = self.submitted()
        self.assertError(sub.delete("/requests/%d" % r["id"], if_match=r), 409)
        st, h, w = sub.post("/requests/%d/withdraw" % r["id"], if_match=r)
        self.assertStatus((st, h, w), 200)
        self.assertStatus(sub.delete("/requests/%d" % r["id"], if_match=w), 204)
        st, h, log = self.admin.get("/audit", params={"entity": "request",
                                                      "entity_id": d["id"]})
        self.assertTrue({"delete", "restore"} <= {e["action"] for e in log["items"]})

    def test_inbox_visibility_and_withdraw(self):
        r = self.submitted()
        st, h, inbox = self.org.client("lead").get("/approvals/inbox")
        self.assertIn(r["id"], [x["id"] for x in inbox["items"]])
        st, h, inbox = self.org.client("fin").get("/approvals/inbox")
        self.assertNotIn(r["id"], [x["id"] for x in inbox["items"]])
        # the finance approver may see it (a later step), a colleague out of scope may not
        self.assertEqual(self.org.client("fin").get("/requests/%d" % r["id"]).status, 200)
        self.assertEqual(self.org.client("sales_a").get("/requests/%d" % r["id"]).status, 404)
        st, h, lst = self.org.client("sales_a").get("/requests")
        self.assertNotIn(r["id"], [x["id"] for x in lst["items"]])
        # a draft is the applicant's own
        d = self.draft()
        self.assertEqual(self.org.client("lead").get("/requests/%d" % d["id"]).status, 404)
        # withdraw: only the applicant, only while pending
        st, h, body = self.org.client("lead").post("/requests/%d/withdraw" % r["id"],
                                                   if_match=r)
        self.assertError((st, h, body), 403)
        st, h, w = self.org.client("sub").post("/requests/%d/withdraw" % r["id"], if_match=r)
        self.assertStatus((st, h, w), 200)
        self.assertEqual(w["status"], "withdrawn")
        st, h, inbox = self.org.client("lead").get("/approvals/inbox")
        self.assertNotIn(r["id"], [x["id"] for x in inbox["items"]])
        # submitted requests cannot be edited
        st, h, body = self.org.client("sub").patch("/requests/%d" % r["id"],
                                                   {"place": "别处"}, if_match=w)
        self.assertError((st, h, body), 409)

    def test_two_approvers_at_once_one_wins(self):
        r = self.submitted()
        r = self.decide("lead", r)[2]
        results = []

        def go(key):
            results.append(self.decide(key, r).status)

        threads = [threading.Thread(target=go, args=(k,)) for k in ("mgr", "mgr_dept")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results), [200, 412])
        st, h, now = self.admin.get("/requests/%d" % r["id"])
        self.assertEqual(now["current_step"], 3)
        st, h, log = self.admin.get("/audit", params={"entity": "request",
                                                      "entity_id": r["id"],
                                                      "action": "approve"})
        self.assertEqual(len(log["items"]), 2)

    def test_report_and_budget_against_actual(self):
        r = self.submitted()
        for k in ("lead", "mgr", "fin"):
            r = self.decide(k, r)[2]
        self.assertEqual(r["status"], "approved")
        c = self.org.client("sub")
        st, h, rep = c.post("/requests", {"type": "entertainment_report", "report_of": r["id"],
                                          "date": "2025-03-18", "effect": "客户满意"})
        self.assertStatus((st, h, rep), 201)
        self.assertEqual(rep["customer_id"], r["customer_id"])
        self.assertEqual([i["budget"] for i in rep["items"]], [120000, 20000])
        st, h, rep = c.patch("/requests/%d" % rep["id"],
                             {"items": [{"item": "meal", "budget": 120000, "actual": 135000},
                                        {"item": "transport", "budget": 20000,
                                         "actual": 8000}]}, if_match=rep)
        self.assertStatus((st, h, rep), 200)
        # a second report of the same request is refused
        st, h, body = c.post("/requests", {"type": "entertainment_report",
                                           "report_of": r["id"], "date": "2025-03-19"})
        self.assertError((st, h, body), 422, fields=("report_of",))
        rep = c.post("/requests/%d/submit" % rep["id"], if_match=rep)[2]
        for k in ("lead", "mgr", "fin"):
            rep = self.decide(k, rep)[2]
        self.assertEqual(rep["status"], "approved")
        st, h, req = c.get("/requests/%d" % r["id"])
        self.assertEqual(req["actual_total"], 143000)
        st, h, rep2 = c.get("/reports/request-budget", params={"by": "request"})
        row = [x for x in rep2["rows"] if x["id"] == r["id"]][0]
        self.assertEqual((row["budget"], row["actual"], row["difference"]),
                         (140000, 143000, 3000))
        st, h, pp = c.get("/reports/request-budget", params={"by": "person"})
        self.assertEqual(st, 200)
        mine = [x for x in pp["rows"] if x["applicant"]["id"] == self.org.users["sub"]["id"]]
        self.assertEqual(len(mine), 1)
        self.assertGreaterEqual(mine[0]["budget"], 140000)
        meal = [x for x in pp["items"] if x["item"]["code"] == "meal"][0]
        self.assertGreaterEqual(meal["actual"], 135000)
        # the actual amounts are fixed by the approved report
        st, h, body = c.patch("/requests/%d" % r["id"],
                              {"items": [{"item": "meal", "actual": 1}]}, if_match=req)
        self.assertError((st, h, body), 409)
        # a colleague outside the customer's scope sees none of it
        st, h, other = self.org.client("sales_a").get("/reports/request-budget",
                                                      params={"by": "request"})
        self.assertNotIn(r["id"], [x["id"] for x in other["rows"]])
        st, h, body = c.get("/reports/request-budget", params={"by": "month"})
        self.assertError((st, h, body), 422, fields=("by",))

    def test_gift_actuals_after_approval(self):
        c = self.org.client("sub")
        st, h, g = c.post("/requests", {"type": "gift", "customer_id": self.customer_of("sub"),
                                        "gift_name": "茶叶礼盒", "quantity": 4,
                                        "unit_value": 30000, "recipient": "张总",
                                        "date": "2025-04-01"})
        self.assertStatus((st, h, g), 201)
        self.assertEqual(g["budget_total"], 120000)
        g = c.post("/requests/%d/submit" % g["id"], if_match=g)[2]
        st, h, body = c.patch("/requests/%d" % g["id"],
                              {"items": [{"item": "gift", "actual": 110000}]}, if_match=g)
        self.assertError((st, h, body), 409)
        for k in ("lead", "mgr", "fin"):
            g = self.decide(k, g)[2]
        st, h, body = c.patch("/requests/%d" % g["id"], {"gift_name": "别的"}, if_match=g)
        self.assertError((st, h, body), 422, fields=("gift_name",))
        st, h, g2 = c.patch("/requests/%d" % g["id"],
                            {"items": [{"item": "gift", "actual": 110000}]}, if_match=g)
        self.assertStatus((st, h, g2), 200)
        self.assertEqual(g2["actual_total"], 110000)
        st, h, body = c.patch("/requests/%d" % g["id"],
                              {"items": [{"item": "gift", "budget": 1}]}, if_match=g2)
        self.assertError((st, h, body), 422, fields=("items[0].budget",))

    def test_submit_refused_without_supervisor(self):
        # mgr has no supervisor: the chain's first step cannot be resolved
        r = self.draft("mgr")
        st, h, body = self.org.client("mgr").post("/requests/%d/submit" % r["id"], if_match=r)
        self.assertError((st, h, body), 409)
        st, h, still = self.org.client("mgr").get("/requests/%d" % r["id"])
        self.assertEqual(still["status"], "draft")


if __name__ == "__main__":
    unittest.main()
