"""Opportunities 销售机会 and service tickets 反馈/投诉 through the API: stages with their
history, won and lost, winning with its order; the ticket's 待处理 → 处理中 → 已解决
with timestamps and satisfaction; scope, If-Match, delete/restore; and the customer's
timeline of every kind of record."""

import datetime
import re

from .kehu_fixture import KehuTestCase, customer_body, shanghai_year


def today_shanghai():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()


class OpportunityTests(KehuTestCase):
    with_org = True

    def customer_of(self, key):
        return sorted(self.org.owned[key])[0]

    def new(self, client, customer, **fields):
        body = dict({"customer_id": customer, "name": "年度采购项目"}, **fields)
        return client.post("/opportunities", body)

    def test_create_gives_a_code_the_first_stage_and_its_probability(self):
        sa = self.org.client("sales_a")
        cid = self.customer_of("sales_a")
        a = self.assertStatus(self.new(sa, cid, expected_amount=1234567), 201)
        b = self.assertStatus(self.new(sa, cid, name="第二个机会"), 201)
        year = shanghai_year()
        for r in (a, b):
            self.assertRegex(r.json["code"], r"^SJ%d\d{3,}$" % year)
            self.assertEqual(r.headers.get("Location"), "/api/v1/opportunities/%d" % r.json["id"])
        seq = [int(r.json["code"][6:]) for r in (a, b)]
        self.assertEqual(seq[1], seq[0] + 1)  # no gaps
        self.assertEqual(a.json["stage"]["code"], "lead")
        self.assertEqual(a.json["stage"]["zh"], "潜在")
        self.assertEqual(a.json["probability"], 10)
        self.assertEqual(a.json["expected_amount"], 1234567)
        self.assertEqual(a.json["owner"]["id"], self.org.users["sales_a"]["id"])
        self.assertIsNone(a.json["closed_date"])
        # the code is kehu's to give
        self.assertError(self.new(sa, cid, code="SJ1"), 422, fields=("code",))
        # name is required, in the user's language
        r = sa.post("/opportunities", {"customer_id": cid}, lang="en")
        self.assertError(r, 422, fields=("name",))
        self.assertIn("name", r.json["error"]["message"].lower())
        self.assertError(self.new(sa, cid, probability=101), 422, fields=("probability",))
        self.assertError(self.new(sa, cid, stage="no_such_stage"), 422, fields=("stage",))

    def test_stage_history_and_probability_follow_the_stage(self):
        sa = self.org.client("sales_a")
        r = self.assertStatus(self.new(sa, self.customer_of("sales_a")), 201)
        path = "/opportunities/%d" % r.json["id"]
        r = self.assertStatus(sa.patch(path, {"stage": "analysis"}, if_match=r), 200)
        self.assertEqual(r.json["probability"], 25)
        # a probability named with the stage wins over the stage's usual one
        r = self.assertStatus(sa.patch(path, {"stage": "proposal", "probability": 60},
                                       if_match=r), 200)
        self.assertEqual(r.json["probability"], 60)
        # changing another field leaves the history alone
        r = self.assertStatus(sa.patch(path, {"remarks": "客户要求再报价"}, if_match=r), 200)
        h = self.assertStatus(sa.get(path + "/history"), 200).json["items"]
        self.assertEqual([x["stage"]["code"] for x in h], ["lead", "analysis", "proposal"])
        for x in h:
            self.assertRegex(x["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            self.assertEqual(x["by"]["id"], self.org.users["sales_a"]["id"])
        self.assertEqual(sorted(x["at"] for x in h), [x["at"] for x in h])
        # a stale version changes nothing
        stale = sa.patch(path, {"stage": "negotiation"}, if_match='"1"')
        self.assertError(stale, 412)
        self.assertEqual(len(sa.get(path + "/history").json["items"]), 3)

    def test_lost_needs_a_reason_and_closes_it(self):
        sa = self.org.client("sales_a")
        r = self.assertStatus(self.new(sa, self.customer_of("sales_a")), 201)
        path = "/opportunities/%d" % r.json["id"]
        self.assertError(sa.patch(path, {"stage": "lost"}, if_match=r), 422,
                         fields=("lost_reason",))
        self.assertError(sa.patch(path, {"lost_reason": "price"}, if_match=r), 422,
                         fields=("lost_reason",))
        r = self.assertStatus(sa.patch(path, {"stage": "lost", "lost_reason": "competitor",
                                              "lost_note": "对方报价低 8%"}, if_match=r), 200)
        self.assertEqual(r.json["probability"], 0)
        self.assertEqual(r.json["closed_date"], today_shanghai().isoformat())
        self.assertEqual(r.json["lost_reason"]["zh"], "选择竞品")
        # closed: the stage no longer changes, other fields still may
        self.assertError(sa.patch(path, {"stage": "negotiation"}, if_match=r), 422,
                         fields=("stage",))
        self.assertStatus(sa.patch(path, {"remarks": "明年再跟"}, if_match=r), 200)
        self.assertError(sa.post(path + "/win", if_match=sa.get(path)), 422, fields=("stage",))

    def test_win_creates_the_order_in_the_same_step(self):
        sa = self.org.client("sales_a")
        cid = self.customer_of("sales_a")
        before = sa.get("/customers/%d" % cid).json
        r = self.assertStatus(self.new(sa, cid, expected_amount=500000, product="consulting"),
                              201)
        path = "/opportunities/%d" % r.json["id"]
        # a bad order: nothing happens to the opportunity
        bad = sa.post(path + "/win", {"order": {"amount": -5}}, if_match=r)
        self.assertError(bad, 422)
        self.assertEqual(sa.get(path).json["stage"]["code"], "lead")
        self.assertError(sa.post(path + "/win", {"order": {}}, if_match='"9"'), 412)
        w = self.assertStatus(sa.post(path + "/win", {"order": {"quantity": 2}}, if_match=r), 200)
        self.assertEqual(w.json["stage"]["code"], "won")
        self.assertEqual(w.json["probability"], 100)
        self.assertEqual(w.json["closed_date"], today_shanghai().isoformat())
        oid = w.json["order_id"]
        o = self.assertStatus(sa.get("/orders/%d" % oid), 200).json
        self.assertEqual(o["customer_id"], cid)
        self.assertEqual(o["amount"], 500000)
        self.assertEqual(o["product"]["code"], "consulting")
        self.assertEqual(o["quantity"], 2)
        self.assertEqual(o["date"], today_shanghai().isoformat())
        after = sa.get("/customers/%d" % cid).json
        self.assertEqual(after["deal_count"], before["deal_count"] + 1)
        self.assertEqual(after["deal_amount"], before["deal_amount"] + 500000)
        h = sa.get(path + "/history").json["items"]
        self.assertEqual([x["stage"]["code"] for x in h], ["lead", "won"])
        self.assertError(sa.post(path + "/win", if_match=w), 422, fields=("stage",))

    def test_win_without_an_order(self):
        sa = self.org.client("sales_a")
        r = self.assertStatus(self.new(sa, self.customer_of("sales_a")), 201)
        path = "/opportunities/%d" % r.json["id"]
        w = self.assertStatus(sa.post(path + "/win", if_match=r), 200)
        self.assertEqual(w.json["stage"]["code"], "won")
        self.assertIsNone(w.json["order_id"])
        # an order without an amount and an opportunity without one: the field is named
        r = self.assertStatus(self.new(sa, self.customer_of("sales_a")), 201)
        bad = sa.post("/opportunities/%d/win" % r.json["id"], {"order": {}}, if_match=r)
        self.assertError(bad, 422, fields=("amount",))

    def test_scope_and_permissions(self):
        sa, sb = self.org.client("sales_a"), self.org.client("sales_b")
        r = self.assertStatus(self.new(sa, self.customer_of("sales_a")), 201)
        path = "/opportunities/%d" % r.json["id"]
        self.assertError(sb.get(path), 404)
        self.assertError(sb.get(path + "/history"), 404)
        self.assertError(sb.patch(path, {"remarks": "x"}, if_match=r), 404)
        self.assertError(sb.post(path + "/win", if_match=r), 404)
        self.assertError(self.new(sb, self.customer_of("sales_a")), 422, fields=("customer_id",))
        self.assertNotIn(r.json["id"], [o["id"] for o in self.all_pages(sb, "/opportunities", {})])
        self.assertIn(r.json["id"], [o["id"] for o in self.all_pages(sa, "/opportunities", {})])
        self.assertStatus(self.org.client("mgr").get(path), 200)
        viewer = self.org.client("viewer")
        self.assertStatus(viewer.get(path), 200)
        self.assertError(viewer.patch(path, {"remarks": "x"}, if_match=r), 403)
        self.assertError(self.new(viewer, self.customer_of("sales_a")), 403)

    def test_list_filters_and_delete_restore(self):
        sa = self.org.client("sales_a")
        cid = self.customer_of("sales_a")
        a = self.assertStatus(self.new(sa, cid, name="筛选甲", stage="negotiation",
                                       expected_amount=100), 201)
        b = self.assertStatus(self.new(sa, cid, name="筛选乙", expected_amount=900), 201)
        ids = lambda **p: [o["id"] for o in self.all_pages(sa, "/opportunities", p)]
        self.assertIn(a.json["id"], ids(stage="negotiation"))
        self.assertNotIn(b.json["id"], ids(stage="negotiation"))
        by_amount = ids(customer_id=cid, sort="-expected_amount")
        self.assertLess(by_amount.index(b.json["id"]), by_amount.index(a.json["id"]))
        of = [o["id"] for o in self.all_pages(sa, "/customers/%d/opportunities" % cid, {})]
        self.assertIn(a.json["id"], of)
        path = "/opportunities/%d" % a.json["id"]
        self.assertStatus(sa.delete(path, if_match=a), 204)
        self.assertError(sa.get(path), 404)
        self.assertNotIn(a.json["id"], ids())
        stale = sa.post(path + "/restore", if_match='"1"')
        self.assertError(stale, 412)
        r = self.assertStatus(sa.post(path + "/restore", if_match='"2"'), 200)
        self.assertEqual(r.json["name"], "筛选甲")
        self.assertIn(a.json["id"], ids())


class TicketTests(KehuTestCase):
    with_org = True

    def new(self, client, customer, **fields):
        body = dict({"customer_id": customer, "content": "设备运行有异响", "type": "quality",
                     "is_complaint": True}, **fields)
        return client.post("/tickets", body)

    def test_open_take_up_resolve_rate_and_reopen(self):
        svc = self.org.client("svc")
        cid = sorted(self.org.owned["sales_a"])[0]
        r = self.assertStatus(self.new(svc, cid), 201)
        t = r.json
        self.assertEqual(t["status"]["code"], "open")
        self.assertEqual(t["status"]["zh"], "待处理")
        self.assertRegex(t["opened_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertIsNone(t["started_at"])
        self.assertIsNone(t["resolved_at"])
        self.assertTrue(t["is_complaint"])
        path = "/tickets/%d" % t["id"]
        # satisfaction only once resolved; resolving needs a resolution
        self.assertError(svc.patch(path, {"satisfaction": 5}, if_match=r), 422,
                         fields=("satisfaction",))
        self.assertError(svc.patch(path, {"status": "resolved"}, if_match=r), 422,
                         fields=("resolution",))
        r = self.assertStatus(svc.patch(path, {"status": "in_progress"}, if_match=r), 200)
        self.assertIsNotNone(r.json["started_at"])
        self.assertEqual(r.json["handler"]["id"], self.org.users["svc"]["id"])
        self.assertError(svc.patch(path, {"status": "open"}, if_match=r), 422, fields=("status",))
        r = self.assertStatus(svc.patch(path, {"status": "resolved", "resolution": "更换轴承",
                                               "satisfaction": 4}, if_match=r), 200)
        self.assertEqual(r.json["satisfaction"], 4)
        self.assertGreaterEqual(r.json["resolved_at"], r.json["started_at"])
        self.assertError(svc.patch(path, {"satisfaction": 6}, if_match=r), 422,
                         fields=("satisfaction",))
        self.assertError(svc.patch(path, {"satisfaction": 0}, if_match=r), 422,
                         fields=("satisfaction",))
        # reopened: not resolved, and the old satisfaction no longer holds
        r = self.assertStatus(svc.patch(path, {"status": "in_progress"}, if_match=r), 200)
        self.assertIsNone(r.json["resolved_at"])
        self.assertIsNone(r.json["satisfaction"])
        h = svc.get(path + "/history").json["items"]
        self.assertEqual([x["status"]["code"] for x in h],
                         ["open", "in_progress", "resolved", "in_progress"])

    def test_who_may_write_and_see(self):
        cid = sorted(self.org.owned["sales_a"])[0]
        # sales may read tickets of their customers but not write them (role default)
        sa = self.org.client("sales_a")
        self.assertError(self.new(sa, cid), 403)
        r = self.assertStatus(self.new(self.org.client("svc"), cid), 201)
        path = "/tickets/%d" % r.json["id"]
        self.assertStatus(sa.get(path), 200)
        self.assertError(self.org.client("sales_b").get(path), 404)
        self.assertIn(r.json["id"], [t["id"] for t in self.all_pages(
            sa, "/customers/%d/tickets" % cid, {})])
        complaints = [t["id"] for t in self.all_pages(self.org.client("svc"), "/tickets",
                                                      {"is_complaint": "true"})]
        self.assertIn(r.json["id"], complaints)

    def test_edit_stale_delete_restore_and_filters(self):
        """Tickets like every record kind: a stale If-Match is 412 and changes nothing,
        delete and restore take the version, the recycle bin is for writers, and the
        list filters by status and complaint."""
        svc = self.org.client("svc")
        cid = sorted(self.org.owned["sales_b"])[0]
        t = self.assertStatus(self.new(svc, cid, is_complaint=False, type="inquiry"), 201).json
        path = "/tickets/%d" % t["id"]
        r = self.assertStatus(svc.patch(path, {"status": "in_progress"}, if_match=t), 200)
        stale = svc.patch(path, {"content": "改过"}, if_match=t)
        self.assertError(stale, 412)
        self.assertEqual(stale.json["current"]["version"], r.json["version"])
        self.assertEqual(svc.get(path).json["content"], t["content"])
        ids = lambda params: [x["id"] for x in self.all_pages(svc, "/tickets", params)]
        self.assertIn(t["id"], ids({"status": "in_progress", "customer_id": cid}))
        self.assertNotIn(t["id"], ids({"status": "open", "customer_id": cid}))
        self.assertNotIn(t["id"], ids({"is_complaint": "true", "customer_id": cid}))
        self.assertError(svc.delete(path, if_match=t), 412)
        self.assertStatus(svc.delete(path, if_match=r), 204)
        self.assertError(svc.get(path), 404)
        self.assertNotIn(t["id"], ids({"customer_id": cid}))
        self.assertIn(t["id"], ids({"view": "deleted"}))
        # the salesperson of the customer reads tickets but keeps no recycle bin of them
        self.assertError(self.org.client("sales_b").get("/tickets", params={"view": "deleted"}),
                         403)
        self.assertStatus(svc.post(path + "/restore", if_match=r.json["version"] + 1), 200)
        self.assertEqual(svc.get(path).json["status"]["code"], "in_progress")
        self.assertIn(t["id"], ids({"status": "in_progress", "customer_id": cid}))

    def test_a_ticket_logged_resolved(self):
        svc = self.org.client("svc")
        cid = sorted(self.org.owned["sales_b"])[0]
        r = self.assertStatus(self.new(svc, cid, status="resolved", resolution="电话解释清楚",
                                       satisfaction=5, is_complaint=False, type="inquiry"),
                              201)
        self.assertIsNotNone(r.json["resolved_at"])
        self.assertIsNotNone(r.json["started_at"])


class TimelineTests(KehuTestCase):
    with_org = True

    def test_every_kind_in_one_time_ordered_paged_list(self):
        admin = self.admin
        c = self.assertStatus(admin.post("/customers", customer_body("时间线测试有限公司",
                                                                     "13700001111")), 201)
        cid = c.json["id"]
        made = []
        for i, day in enumerate(["2024-01-05", "2024-03-01", "2024-02-10"]):
            f = admin.post("/followups", {"customer_id": cid, "date": day,
                                          "content": "第%d次电话沟通" % (i + 1)})
            made.append(("followup", self.assertStatus(f, 201).json["id"]))
        o = admin.post("/orders", {"customer_id": cid, "date": "2024-02-20", "amount": 880000,
                                   "product": "training"})
        made.append(("order", self.assertStatus(o, 201).json["id"]))
        op = self.assertStatus(admin.post("/opportunities", {"customer_id": cid,
                                                             "name": "扩容项目"}), 201)
        made.append(("opportunity", op.json["id"]))
        t = self.assertStatus(admin.post("/tickets", {"customer_id": cid, "content": "发票抬头错误"}),
                              201)
        made.append(("ticket", t.json["id"]))
        items = self.all_pages(admin, "/customers/%d/timeline" % cid, {"limit": 2})
        self.assertEqual(sorted((i["kind"], i["id"]) for i in items), sorted(made))
        ats = [i["at"] for i in items]
        self.assertEqual(ats, sorted(ats, reverse=True))
        by = {(i["kind"], i["id"]): i for i in items}
        order = by[("order", o.json["id"])]
        self.assertEqual(order["summary"], "培训课程")
        self.assertEqual(order["kind_label"], "合作记录")
        self.assertEqual(order["href"], "/api/v1/orders/%d" % o.json["id"])
        self.assertEqual(by[("followup", made[1][1])]["summary"], "第2次电话沟通")
        self.assertEqual([i["at"] for i in items if i["kind"] == "followup"],
                         ["2024-03-01", "2024-02-10", "2024-01-05"])
        # a deleted record leaves the timeline
        f = admin.get("/followups/%d" % made[0][1])
        self.assertStatus(admin.delete("/followups/%d" % made[0][1], if_match=f), 204)
        items = self.all_pages(admin, "/customers/%d/timeline" % cid, {"limit": 50})
        self.assertNotIn(("followup", made[0][1]), [(i["kind"], i["id"]) for i in items])
        # a time sorts among the dates of its day in China, not of its day in UTC:
        # 2024-03-01T20:00Z is 2024-03-02 04:00 in Beijing, after a follow-up of 03-02
        f = self.assertStatus(admin.post("/followups", {"customer_id": cid, "date": "2024-03-02",
                                                        "content": "白天回访"}), 201)
        late = self.assertStatus(admin.post("/tickets", {
            "customer_id": cid, "content": "夜间来电", "opened_at": "2024-03-01T20:00:00Z"}), 201)
        items = self.all_pages(admin, "/customers/%d/timeline" % cid, {"limit": 1})
        keys = [(i["kind"], i["id"]) for i in items]
        self.assertEqual(keys.index(("ticket", late.json["id"])) + 1,
                         keys.index(("followup", f.json["id"])), keys)
        self.assertEqual(len(keys), len(set(keys)))
        # scope: another salesperson does not see it at all
        self.assertError(self.org.client("sales_b").get("/customers/%d/timeline" % cid), 404)
        self.assertError(admin.get("/customers/%d/timeline" % cid, params={"after": "bad"}), 422,
                         fields=("after",))
        self.assertError(admin.get("/customers/%d/timeline" % cid, params={"limit": 0}), 422,
                         fields=("limit",))
        self.assertError(admin.get("/customers/%d/timeline" % cid, params={"sort": "at"}), 400,
                         fields=("sort",))

    def test_requests_and_visits_join_it_drafts_stay_private(self):
        cur = self.admin.get("/approval-chains/entertainment")
        self.assertStatus(self.admin.put("/approval-chains/entertainment",
                                         {"steps": [{"kind": "role", "role": "manager"}]},
                                         if_match=cur), 200)
        sub, lead = self.org.client("sub"), self.org.client("lead")
        cid = sorted(self.org.owned["sub"])[0]
        path = "/customers/%d/timeline" % cid
        kinds = lambda c: {(i["kind"], i["id"]) for i in self.all_pages(c, path, {"limit": 50})}
        r = self.assertStatus(sub.post("/requests", {
            "type": "entertainment", "customer_id": cid, "purpose": "年终答谢宴",
            "date": "2025-01-10", "items": [{"item": "meal", "budget": 300000}]}), 201)
        rid = r.json["id"]
        self.assertIn(("request", rid), kinds(sub))
        self.assertNotIn(("request", rid), kinds(lead))  # a draft is its applicant's
        self.assertStatus(sub.post("/requests/%d/submit" % rid, if_match=r), 200)
        self.assertIn(("request", rid), kinds(lead))
        item = [i for i in self.all_pages(lead, path, {"limit": 50}) if i["kind"] == "request"][0]
        self.assertEqual(item["summary"], "年终答谢宴")
        self.assertEqual(item["amount"], 300000)
        self.assertEqual(item["at"], "2025-01-10")
        self.assertEqual(item["href"], "/api/v1/requests/%d" % rid)
        v = self.assertStatus(sub.post("/visits", {"customer_id": cid, "date": "2025-01-12",
                                                   "summary": "上门拜访"}), 201)
        self.assertIn(("visit", v.json["id"]), kinds(lead))
