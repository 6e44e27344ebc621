"""
Visits 拜访 through the HTTP API (DESIGN 1.7): visit plans, visits with their
expenses by item, and the daily visit report, as the users of build_org see
them. What a user would check: the plan a visit carries out is marked done
(and planned again when the visit goes), the expense total is the sum of the
items, the customer's last follow-up date moves with its visits, stale
edits are refused, nobody sees a visit of a customer outside their scope,
and the daily report's numbers are the records'.
"""
import datetime
import unittest

from .kehu_fixture import KehuTestCase, customer_body


def shanghai_today():
    return (datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8)))
            .date().isoformat())


class VisitsApi(KehuTestCase):
    with_org = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        org = cls.org
        cls.a = org.client("sales_a")
        cls.b = org.client("sales_b")
        cls.cust_a, cls.cust_a2 = org.owned["sales_a"]
        cls.cust_b = org.owned["sales_b"][0]
        cls.contact_a = org.customers[cls.cust_a]["contacts"][0]["id"]

    def new_plan(self, client=None, customer=None, **fields):
        body = {"customer_id": customer or self.cust_a, "date": "2026-04-01", "time": "09:30",
                "purpose": "a", "place": "客户总部", "area": "南山区"}
        body.update(fields)
        r = (client or self.a).post("/visit-plans", body)
        self.assertStatus(r, 201)
        return r.json

    def new_visit(self, client=None, customer=None, **fields):
        body = {"customer_id": customer or self.cust_a, "date": "2026-04-01",
                "summary": "介绍新产品，了解采购计划"}
        body.update(fields)
        r = (client or self.a).post("/visits", body)
        self.assertStatus(r, 201)
        return r.json

    def new_customer(self, name):
        """A customer of sales_a of its own, so that dates are this test's."""
        r = self.admin.post("/customers", customer_body(name, owner="sales-a"))
        self.assertStatus(r, 201)
        return r.json["id"]

    def customer(self, cid, client=None):
        r = (client or self.a).get("/customers/%d" % cid)
        self.assertStatus(r, 200)
        return r.json

    # ---- plans and visits

    def test_visit_carries_out_plan_with_expenses(self):
        cust = self.new_customer("南方电子有限公司")
        r = self.a.post("/customers/%d/contacts" % cust, {"name": "陈经理", "phone": "13900001111"})
        self.assertStatus(r, 201)
        contact = r.json["id"]
        plan = self.new_plan(customer=cust, contact_id=contact)
        self.assertEqual(plan["status"], "planned")
        self.assertEqual(plan["owner"]["id"], self.org.users["sales_a"]["id"])
        self.assertEqual(plan["purpose"]["zh"], "初次拜访")
        r = self.a.post("/visits", {
            "customer_id": cust, "contact_id": contact, "plan_id": plan["id"],
            "date": "2026-04-02", "purpose": "初次拜访", "outcome": "B",
            "summary": "面谈采购经理", "attendees": "张三、技术支持小刘",
            "issues_solved": "报价疑问已解释", "to_watch": "下月预算审批",
            "rating_growth": 4, "rating_credit": 5, "rating_profit": 3, "rating_position": 4,
            "expenses": [{"item": "交通", "amount": 3550},
                         {"item": "meal", "amount": 12000, "note": "午餐"}]})
        self.assertStatus(r, 201)
        v = r.json
        self.assertTrue(r.headers.get("Location", "").endswith("/api/v1/visits/%d" % v["id"]))
        self.assertEqual(r.etag, '"1"')
        self.assertEqual(v["expense_total"], 15550)
        self.assertEqual([(e["item"]["code"], e["amount"]) for e in v["expenses"]],
                         [("transport", 3550), ("meal", 12000)])
        self.assertEqual(v["expenses"][1]["note"], "午餐")
        self.assertEqual(v["outcome"]["code"], "b")
        self.assertEqual(v["purpose"]["code"], "a")
        self.assertEqual(self.a.get("/visit-plans/%d" % plan["id"]).json["status"], "done")
        self.assertEqual(self.customer(cust)["last_followup_date"], "2026-04-02")
        # a contact of another customer is refused
        r = self.a.post("/visits", {"customer_id": cust, "contact_id": self.contact_a,
                                    "date": "2026-04-02", "summary": "x"})
        self.assertRefused(r, fields=("contact_id",))
        got = self.a.get("/visits/%d" % v["id"])
        self.assertStatus(got, 200)
        self.assertEqual(len(got.json["expenses"]), 2)

        # a plan's Location is its own collection's
        r = self.a.post("/customers/%d/visit-plans" % self.cust_a, {"date": "2026-04-09"})
        self.assertStatus(r, 201)
        self.assertTrue(r.headers["Location"].endswith("/api/v1/visit-plans/%d" % r.json["id"]))

    def test_plan_rules(self):
        other = self.new_plan(customer=self.cust_a2)
        r = self.a.post("/visits", {"customer_id": self.cust_a, "plan_id": other["id"],
                                    "date": "2026-04-03", "summary": "x"})
        self.assertRefused(r, fields=("plan_id",))
        # a plan of a customer out of sight is refused the same way
        theirs = self.new_plan(client=self.b, customer=self.cust_b)
        r = self.a.post("/visits", {"customer_id": self.cust_a, "plan_id": theirs["id"],
                                    "date": "2026-04-03", "summary": "x"})
        self.assertRefused(r, fields=("plan_id",))
        r = self.a.patch("/visit-plans/%d" % other["id"], {"status": "done"},
                         if_match=other["version"])
        self.assertRefused(r, fields=("status",))
        r = self.a.post("/visit-plans", {"customer_id": self.cust_a, "date": "2026-04-03",
                                         "time": "25:00"})
        self.assertRefused(r, fields=("time",))
        r = self.a.patch("/visit-plans/%d" % other["id"], {"status": "cancelled"},
                         if_match=other["version"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "cancelled")

    def test_bad_input_names_the_field(self):
        zh = self.org.client("sales_a", lang="zh-CN")
        cases = [
            ({"expenses": [{"item": "香烟", "amount": 100}]}, "expenses[0].item"),
            ({"expenses": [{"item": "交通", "amount": 0}]}, "expenses[0].amount"),
            ({"expenses": [{"item": "交通", "amount": 1.5}]}, "expenses[0].amount"),
            ({"expenses": [{"item": "交通"}]}, "expenses[0].amount"),
            ({"expenses": {"item": "交通"}}, "expenses"),
            ({"expenses": [{"item": "交通", "amount": 100, "visit_id": 1}]},
             "expenses[0].visit_id"),
            ({"rating_credit": 6}, "rating_credit"),
            ({"rating_credit": 0}, "rating_credit"),
            ({"outcome": "Z"}, "outcome"),
            ({"expense_total": 100}, "expense_total"),
        ]
        before = len(self.all_pages(self.a, "/visits", {"customer_id": self.cust_a2}))
        for extra, field in cases:
            body = {"customer_id": self.cust_a2, "date": "2026-04-04", "summary": "x"}
            body.update(extra)
            r = zh.post("/visits", body)
            self.assertRefused(r, fields=(field,))
            msgs = " ".join(r.json["error"]["fields"].values())
            self.assertRegex(msgs, "[\u4e00-\u9fff]", r)
        # nothing was half written
        self.assertEqual(len(self.all_pages(self.a, "/visits", {"customer_id": self.cust_a2})),
                         before)
        r = self.a.post("/visit-plans", {"customer_id": self.cust_a, "date": "2026-04-04",
                                         "expenses": []})
        self.assertRefused(r, fields=("expenses",))

    def test_rating_range_is_one_to_five(self):
        """Too low or too high, a rating's message gives the same range, 1 to 5."""
        en = self.org.client("sales_a", lang="en")
        for bad in (0, 6):
            r = en.post("/visits", {"customer_id": self.cust_a2, "date": "2026-04-04",
                                    "summary": "x", "rating_growth": bad})
            self.assertRefused(r, fields=("rating_growth",))
            self.assertIn("from 1 to 5", r.json["error"]["fields"]["rating_growth"], r)

    def test_signing_off_a_day_again_needs_if_match(self):
        """The day's note exists: changing it without If-Match is 428 (as every update
        answers), not a conflict with nobody; with a stale one 412, with the right one 200."""
        c = self.org.client("lead")
        r = c.post("/visit-reports/daily", {"date": "2026-04-02", "summary": "第一次"})
        self.assertStatus(r, 201)
        self.assertError(c.post("/visit-reports/daily", {"date": "2026-04-02",
                                                          "summary": "第二次"}),
                         428, "precondition_required")
        self.assertError(c.post("/visit-reports/daily", {"date": "2026-04-02",
                                                          "summary": "第二次"}, if_match=9),
                         412)
        r = c.post("/visit-reports/daily", {"date": "2026-04-02", "summary": "第二次"},
                   if_match=r)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["summary"], "第二次")

    def test_daily_report_unknown_parameter_is_a_bad_request(self):
        """As on every list: an unknown parameter is 400 bad_request naming it."""
        r = self.a.get("/visit-reports/daily", params={"day": "2026-04-01"})
        self.assertError(r, 400, "bad_request", fields=("day",))

    def test_list_filters(self):
        v1 = self.new_visit(customer=self.cust_a2, date="2026-05-01", purpose="a", outcome="a")
        v2 = self.new_visit(customer=self.cust_a2, date="2026-05-03", purpose="b", outcome="e",
                            expenses=[{"item": "lodging", "amount": 30000}])
        items = self.all_pages(self.a, "/visits", {"customer_id": self.cust_a2,
                                                   "date_from": "2026-05-01",
                                                   "date_to": "2026-05-31"})
        self.assertEqual({i["id"] for i in items}, {v1["id"], v2["id"]})
        items = self.all_pages(self.a, "/visits", {"customer_id": self.cust_a2, "purpose": "b",
                                                   "date_from": "2026-05-01",
                                                   "date_to": "2026-05-31"})
        self.assertEqual([i["id"] for i in items], [v2["id"]])
        items = self.all_pages(self.a, "/customers/%d/visits" % self.cust_a2,
                               {"outcome": "a", "date_from": "2026-05-01",
                                "date_to": "2026-05-31"})
        self.assertEqual([i["id"] for i in items], [v1["id"]])
        items = self.all_pages(self.a, "/visits", {"expense_total_from": "30000",
                                                   "customer_id": self.cust_a2,
                                                   "date_to": "2026-05-31"})
        self.assertEqual([i["id"] for i in items], [v2["id"]])
        r = self.a.get("/visits", params={"sort": "-date", "customer_id": self.cust_a2,
                                          "date_from": "2026-05-01", "date_to": "2026-05-31"})
        self.assertEqual([i["id"] for i in r.json["items"]], [v2["id"], v1["id"]])

    def test_edit_with_if_match(self):
        v = self.new_visit(expenses=[{"item": "交通", "amount": 1000}], date="2026-04-10")
        r = self.a.patch("/visits/%d" % v["id"], {"summary": "改"})
        self.assertError(r, 428)
        r = self.a.patch("/visits/%d" % v["id"], {"summary": "改过", "expenses": [
            {"item": "用餐", "amount": 8000}, {"item": "其他", "amount": 500}]}, if_match=1)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["version"], 2)
        self.assertEqual(r.json["expense_total"], 8500)
        self.assertEqual(len(r.json["expenses"]), 2)
        stale = self.a.patch("/visits/%d" % v["id"], {"summary": "旧版本"}, if_match=1)
        self.assertError(stale, 412)
        self.assertEqual(self.a.get("/visits/%d" % v["id"]).json["summary"], "改过")
        # the same expenses again change nothing
        r = self.a.patch("/visits/%d" % v["id"], {"expenses": [
            {"item": "meal", "amount": 8000}, {"item": "other", "amount": 500}]}, if_match=2)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["version"], 2)
        # the expenses alone are a change
        r = self.a.patch("/visits/%d" % v["id"], {"expenses": []}, if_match=2)
        self.assertStatus(r, 200)
        self.assertEqual((r.json["version"], r.json["expense_total"], r.json["expenses"]),
                         (3, 0, []))
        audit = self.admin.get("/audit", params={"entity": "visit", "entity_id": v["id"]})
        self.assertStatus(audit, 200)
        actions = [e["action"] for e in audit.json["items"]]
        self.assertEqual(sorted(actions), ["create", "expenses", "expenses", "expenses",
                                           "update", "update"], actions)
        # newest first: the last change of the expenses removed both rows
        last = next(e for e in audit.json["items"] if e["action"] == "expenses")
        self.assertEqual(last["changes"]["new"], [])
        self.assertEqual([(x["item"], x["amount"]) for x in last["changes"]["old"]],
                         [("meal", 8000), ("other", 500)])

    def test_delete_restore_moves_plan_and_last_followup(self):
        cust = self.new_customer("东方仪器有限公司")
        plan = self.new_plan(customer=cust, date="2030-01-05")
        v = self.new_visit(customer=cust, plan_id=plan["id"], date="2030-01-05")
        self.assertEqual(self.customer(cust)["last_followup_date"], "2030-01-05")
        r = self.a.delete("/visits/%d" % v["id"], if_match=1)
        self.assertStatus(r, 204)
        self.assertError(self.a.get("/visits/%d" % v["id"]), 404)
        self.assertEqual(self.a.get("/visit-plans/%d" % plan["id"]).json["status"], "planned")
        self.assertIsNone(self.customer(cust)["last_followup_date"])
        self.assertError(self.a.post("/visits/%d/restore" % v["id"], if_match=1), 412)
        r = self.a.post("/visits/%d/restore" % v["id"], if_match=2)
        self.assertStatus(r, 200)
        self.assertEqual(self.a.get("/visit-plans/%d" % plan["id"]).json["status"], "done")
        self.assertEqual(self.customer(cust)["last_followup_date"], "2030-01-05")
        r = self.a.delete("/visits/%d" % v["id"], if_match=3)
        self.assertStatus(r, 204)
        deleted = self.all_pages(self.admin, "/visits", {"view": "deleted"})
        self.assertIn(v["id"], [i["id"] for i in deleted])

    # ---- scope and permissions

    def test_scope(self):
        v = self.new_visit(expenses=[{"item": "交通", "amount": 2000}])
        plan = self.new_plan()
        for path in ("/visits/%d" % v["id"], "/visit-plans/%d" % plan["id"]):
            self.assertError(self.b.get(path), 404)
            self.assertError(self.b.patch(path, {"remarks": "x"} if "plans" in path
                                          else {"summary": "x"}, if_match=1), 404)
            self.assertError(self.b.delete(path, if_match=1), 404)
        self.assertError(self.b.get("/customers/%d/visits" % self.cust_a), 404)
        # as for follow-ups: the customer named is "not found", nothing more
        r = self.b.post("/customers/%d/visits" % self.cust_a,
                        {"date": "2026-04-01", "summary": "x"})
        self.assertIn(r.status, (404, 422), r)
        if r.status == 422:
            self.assertRefused(r, fields=("customer_id",))
        r = self.b.post("/visits", {"customer_id": self.cust_a, "date": "2026-04-01",
                                    "summary": "x"})
        self.assertRefused(r, fields=("customer_id",))
        seen = {i["id"] for i in self.all_pages(self.b, "/visits")}
        self.assertNotIn(v["id"], seen)
        seen = {i["id"] for i in self.all_pages(self.b, "/visit-plans")}
        self.assertNotIn(plan["id"], seen)
        # the department's viewer and manager see it; the viewer cannot write
        viewer = self.org.client("viewer")
        self.assertStatus(viewer.get("/visits/%d" % v["id"]), 200)
        self.assertStatus(self.org.client("mgr").get("/visits/%d" % v["id"]), 200)
        self.assertError(viewer.post("/visits", {"customer_id": self.cust_a,
                                                 "date": "2026-04-01", "summary": "x"}), 403)
        self.assertError(viewer.post("/visit-plans", {"customer_id": self.cust_a,
                                                      "date": "2026-04-01"}), 403)
        self.assertError(viewer.patch("/visits/%d" % v["id"], {"summary": "x"},
                                      if_match=v["version"]), 403)
        self.assertError(viewer.delete("/visits/%d" % v["id"], if_match=v["version"]), 403)
        self.assertError(viewer.post("/visit-reports/daily", {"summary": "x"}), 403)

    # ---- the daily report

    def test_daily_report(self):
        day = "2026-06-15"
        mk = self.new_visit
        mk(date=day, purpose="a", outcome="a", contact_id=self.contact_a,
           expenses=[{"item": "交通", "amount": 3550}, {"item": "用餐", "amount": 10000}])
        mk(customer=self.cust_a2, date=day, purpose="b", outcome="c",
           expenses=[{"item": "交通", "amount": 1200}])
        mk(date=day, purpose="b", outcome="e")
        mk(date="2026-06-16", purpose="c", expenses=[{"item": "住宿", "amount": 50000}])
        self.new_visit(client=self.b, customer=self.cust_b, date=day, purpose="c",
                       expenses=[{"item": "交通", "amount": 999}])

        def check(rep):
            self.assertEqual(rep["date"], day)
            self.assertEqual(rep["user"]["id"], self.org.users["sales_a"]["id"])
            self.assertEqual(rep["visit_count"], 3)
            self.assertEqual(len(rep["visits"]), 3)
            purposes = {p["code"]: p["count"] for p in rep["purposes"]}
            self.assertEqual(purposes, {"a": 1, "b": 2, "c": 0})
            outcomes = {p["code"]: p["count"] for p in rep["outcomes"]}
            self.assertEqual(outcomes, {"a": 1, "b": 0, "c": 1, "d": 0, "e": 1})
            exp = {p["code"]: p["amount"] for p in rep["expenses"]}
            self.assertEqual(exp["transport"], 4750)
            self.assertEqual(exp["meal"], 10000)
            self.assertEqual(exp["lodging"], 0)
            self.assertEqual(rep["expense_total"], 14750)
            met = [v["contact_name"] for v in rep["visits"] if v["contact_id"]]
            self.assertEqual(met, [self.org.customers[self.cust_a]["contacts"][0]["name"]])
            names = {v["customer_name"] for v in rep["visits"]}
            self.assertEqual(names, {self.org.customers[self.cust_a]["name"],
                                     self.org.customers[self.cust_a2]["name"]})

        r = self.a.get("/visit-reports/daily", params={"date": day})
        self.assertStatus(r, 200)
        check(r.json)
        self.assertIsNone(r.json["submission"])
        for key in ("mgr", "viewer", "admin"):
            r = self.org.client(key).get("/visit-reports/daily",
                                         params={"date": day, "user": "sales-a"})
            self.assertStatus(r, 200)
            check(r.json)
        uid = self.org.users["sales_a"]["id"]
        r = self.org.client("mgr").get("/visit-reports/daily", params={"date": day, "user": uid})
        check(r.json)
        # a colleague with own scope may not read it; sub's lead reads sub's
        self.assertError(self.b.get("/visit-reports/daily",
                                    params={"date": day, "user": "sales-a"}), 403)
        self.assertStatus(self.org.client("lead").get("/visit-reports/daily",
                                                      params={"user": "sub"}), 200)
        self.assertError(self.org.client("sub").get("/visit-reports/daily",
                                                    params={"user": "lead"}), 403)
        self.assertRefused(self.a.get("/visit-reports/daily", params={"date": "2026-13-01"}),
                           fields=("date",))
        self.assertRefused(self.a.get("/visit-reports/daily", params={"user": "nobody"}),
                           fields=("user",))
        self.assertRefused(self.a.get("/visit-reports/daily", params={"color": "red"}),
                           fields=("color",))
        # sales_b's own report holds their visit only
        r = self.b.get("/visit-reports/daily", params={"date": day})
        self.assertEqual((r.json["visit_count"], r.json["expense_total"]), (1, 999))

        # signing the day off
        r = self.a.post("/visit-reports/daily", {"date": day, "summary": "拜访三家",
                                                 "issues_handled": "报价", "issues_open": "交期"})
        self.assertStatus(r, 201)
        self.assertEqual(r.etag, '"1"')
        self.assertError(self.a.post("/visit-reports/daily", {"date": day, "summary": "再"}), 428)
        r = self.a.post("/visit-reports/daily", {"date": day, "summary": "拜访三家，一家成交"},
                        if_match=1)
        self.assertStatus(r, 200)
        rep = self.org.client("mgr").get("/visit-reports/daily",
                                         params={"date": day, "user": "sales-a"}).json
        self.assertEqual(rep["submission"]["summary"], "拜访三家，一家成交")
        self.assertEqual(rep["submission"]["issues_open"], "交期")
        self.assertTrue(rep["submission"]["submitted_at"])
        self.assertRefused(self.a.post("/visit-reports/daily", {"date": "2999-01-01",
                                                                "summary": "x"}),
                           fields=("date",))
        self.assertRefused(self.a.post("/visit-reports/daily", {"submitted_at": "x"}),
                           fields=("submitted_at",))

    def test_daily_report_defaults_to_today(self):
        today = shanghai_today()
        v = self.new_visit(client=self.org.client("sub"), customer=self.org.owned["sub"][0],
                           date=today, purpose="c")
        r = self.org.client("sub").get("/visit-reports/daily")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["date"], today)
        self.assertIn(v["id"], [x["id"] for x in r.json["visits"]])


if __name__ == "__main__":
    unittest.main()
