"""The audit log: who did what (create, field changes old -> new, delete, restore,
login, failed login), readable by admins only."""

import json
import unittest

from .kehu_fixture import Client, KehuTestCase, USER_PASSWORD, customer_body, patch_role


class AuditTests(KehuTestCase):
    with_org = True

    def entries(self, **params):
        params.setdefault("limit", 500)
        r = self.assertStatus(self.admin.get("/audit", params=params), 200)
        self.assertIn("next", r.json)
        return r.json["items"]

    def test_create_update_delete_restore_are_logged_with_who_and_what(self):
        sa = self.org.client("sales_a")
        mgr = self.org.client("mgr")
        r = self.assertStatus(sa.post("/customers", customer_body(
            "审计客户有限公司", "13712341234", industry="retail", contract_amount=100)), 201)
        cid = r.json["id"]
        p = self.assertStatus(sa.patch("/customers/%d" % cid,
                                       {"name": "审计客户改名有限公司", "contract_amount": 250,
                                        "industry": "IT互联网", "remarks": "新备注"},
                                       if_match=r), 200)
        self.assertStatus(mgr.delete("/customers/%d" % cid, if_match=p), 204)
        d = mgr.get("/customers/%d" % cid, params={"deleted": "true"})
        self.assertStatus(self.admin.post("/customers/%d/restore" % cid, if_match=d), 200)

        log = self.entries(entity="customer", entity_id=cid)
        self.assertEqual([e["action"] for e in log], ["restore", "delete", "update", "create"])
        for e in log:
            self.assertEqual(e["entity"], "customer")
            self.assertEqual(e["entity_id"], cid)
            self.assertRegex(e["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            self.assertTrue(e.get("origin"))
        restore, delete, update, create = log
        self.assertEqual((create["username"], create["user_id"]),
                         ("sales-a", self.org.users["sales_a"]["id"]))
        self.assertEqual(delete["username"], "mgr")
        self.assertEqual(restore["username"], "admin")
        created = {c["field"]: c for c in create["changes"]}
        self.assertEqual(created["name"]["new"], "审计客户有限公司")
        self.assertIsNone(created["name"]["old"])
        self.assertEqual(created["code"]["new"], r.json["code"])
        changes = {c["field"]: c for c in update["changes"]}
        self.assertEqual(set(changes), {"name", "contract_amount", "industry", "remarks"},
                         "only the changed fields are logged")
        self.assertEqual((changes["name"]["old"], changes["name"]["new"]),
                         ("审计客户有限公司", "审计客户改名有限公司"))
        self.assertEqual((changes["contract_amount"]["old"], changes["contract_amount"]["new"]),
                         (100, 250))
        self.assertEqual((changes["remarks"]["old"], changes["remarks"]["new"]),
                         (None, "新备注"))
        self.assertEqual(update["username"], "sales-a")
        # the contact created inline is logged too
        k = self.entries(entity="contact", entity_id=r.json["contacts"][0]["id"])
        self.assertEqual([e["action"] for e in k], ["create"])

    def test_dictionary_values_in_the_log_carry_their_real_labels(self):
        sa = self.org.client("sales_a")
        r = self.assertStatus(sa.post("/customers", customer_body("审计字典有限公司",
                                                                  industry="retail")), 201)
        p = self.assertStatus(sa.patch("/customers/%d" % r.json["id"], {"industry": "finance"},
                                       if_match=r), 200)
        upd = self.entries(entity="customer", entity_id=r.json["id"], action="update")[0]
        ch = [c for c in upd["changes"] if c["field"] == "industry"][0]
        for side, code, zh, en in (("old", "retail", "零售业", "Retail"),
                                   ("new", "finance", "金融", "Finance")):
            v = ch[side]
            if isinstance(v, dict):
                self.assertEqual(v, {"code": code, "zh": zh, "en": en},
                                 "%s value of a dictionary field in the audit log" % side)
            else:
                self.assertEqual(v, code)
        self.assertEqual(p.json["industry"]["code"], "finance")

    def test_noop_update_is_not_logged(self):
        sa = self.org.client("sales_a")
        r = self.assertStatus(sa.post("/customers", customer_body("审计无变化有限公司")), 201)
        self.assertStatus(sa.patch("/customers/%d" % r.json["id"],
                                   {"name": "审计无变化有限公司"}, if_match=r), 200)
        log = self.entries(entity="customer", entity_id=r.json["id"])
        self.assertEqual([e["action"] for e in log], ["create"])

    def test_logins_and_failed_logins_are_logged(self):
        self.assertStatus(Client(self.server).login("sales-b", "definitely-wrong"), 401)
        self.assertStatus(Client(self.server).login("ghost-user", "definitely-wrong"), 401)
        self.assertStatus(Client(self.server).login("sales-b", USER_PASSWORD), 200)
        failed = self.entries(action="login_failed")
        names = [(e.get("changes") or {}).get("username") or e.get("username") for e in failed]
        self.assertIn("sales-b", names)
        self.assertIn("ghost-user", names)
        for e in failed:
            self.assertNotIn("definitely-wrong", str(e), "the tried password must not be logged")
        ok = self.entries(action="login", user="sales-b")
        self.assertTrue(ok)
        self.assertEqual(ok[0]["user_id"], self.org.users["sales_b"]["id"])

    def test_admin_changes_are_logged(self):
        r = self.assertStatus(self.admin.post("/users", {
            "username": "audited-user", "display_name": "被审计", "role": "viewer",
            "password": USER_PASSWORD}), 201)
        self.assertStatus(self.admin.patch("/users/%d" % r.json["id"], {"role": "sales"},
                                           if_match=r), 200)
        log = self.entries(entity="user", entity_id=r.json["id"])
        self.assertEqual([e["action"] for e in log][:2], ["update", "create"])
        ch = [c for c in log[0]["changes"] if c["field"] == "role"][0]
        self.assertEqual((ch["old"], ch["new"]), ("viewer", "sales"))
        self.assertNotIn(USER_PASSWORD, str(log), "passwords must not be logged")

    def test_role_changes_are_logged_and_filterable(self):
        self.assertStatus(patch_role(self.admin, "finance", {"scope": "dept_sub"}), 200)
        self.assertStatus(patch_role(self.admin, "finance", {"scope": "all"}), 200)
        recent = [e for e in self.entries(limit=20) if e["entity"] == "role"]
        self.assertEqual(len(recent), 2, "role changes are in the log")
        self.assertEqual(recent[0]["username"], "admin")
        # every entity the log writes can be used as a filter
        r = self.admin.get("/audit", params={"entity": "role"})
        self.assertStatus(r, 200)
        self.assertEqual([e["id"] for e in r.json["items"]][:2], [e["id"] for e in recent])

    def test_only_admins_read_the_log(self):
        for user in ("mgr", "mgr_dept", "sales_a", "lead", "svc", "fin", "viewer"):
            with self.subTest(user=user):
                self.assertError(self.org.client(user).get("/audit"), 403, "forbidden")
        self.assertError(Client(self.server).get("/audit"), 401)

    def test_filters_and_paging(self):
        all_items = self.entries()
        self.assertGreater(len(all_items), 10)
        ids = [e["id"] for e in all_items]
        self.assertEqual(ids, sorted(ids, reverse=True), "newest first")
        walked, after = [], None
        for _ in range(1000):
            params = {"limit": 7}
            if after:
                params["after"] = after
            r = self.assertStatus(self.admin.get("/audit", params=params), 200)
            walked += [e["id"] for e in r.json["items"]]
            after = r.json["next"]
            if not after:
                break
        self.assertEqual(walked[:len(ids)], ids[:len(walked)])
        self.assertEqual(len(walked), len(set(walked)))
        self.assertGreaterEqual(len(walked), len(ids))
        by_user = self.entries(user="sales-a")
        self.assertTrue(by_user)
        self.assertTrue(all(e["username"] == "sales-a" for e in by_user))
        self.assertEqual(self.entries(**{"from": "2000-01-01", "to": "2000-12-31"}), [])
        for params, field in (({"entity": "spaceship"}, "entity"), ({"user": "nobody"}, "user"),
                              ({"limit": 0}, "limit"), ({"from": "yesterday"}, "from"),
                              ({"after": "x"}, "after"), ({"entity_id": "-1"}, "entity_id")):
            with self.subTest(params=params):
                self.assertError(self.admin.get("/audit", params=params), 422, fields=(field,))
        # an unknown parameter is a malformed request, as on every list
        self.assertError(self.admin.get("/audit", params={"colour": "red"}), 400,
                         fields=("colour",))



class ScopedAuditReaderTests(KehuTestCase):
    """audit.read given to a role with a narrow scope opens no side door: the
    entries of records kept around a customer (follow-ups, orders, opportunities,
    tickets, visit plans, visits, evaluations and their scores, countermeasures)
    are shown only to a reader who sees that customer."""
    with_org = True

    def test_records_of_customers_out_of_scope_stay_hidden(self):
        roles = {r["code"]: r for r in self.admin.get("/roles").json["items"]}
        perms = roles["sales"]["permissions"] + ["audit.read"]
        self.assertStatus(patch_role(self.admin, "sales", {"permissions": perms}), 200)
        a, b = self.org.client("sales_a"), self.org.client("sales_b")
        mine, theirs = self.org.owned["sales_b"][0], self.org.owned["sales_a"][0]
        made = {}
        for customer, who in ((mine, b), (theirs, a)):
            bodies = [
                ("followup", "/followups", {"date": "2026-03-01", "content": "谈价格"}),
                ("order", "/orders", {"date": "2026-03-01", "amount": 123400}),
                ("opportunity", "/opportunities", {"name": "二期项目"}),
                ("visit_plan", "/visit-plans", {"date": "2026-03-02"}),
                ("visit", "/visits", {"date": "2026-03-01", "summary": "拜访"}),
                ("countermeasure", "/countermeasures",
                 {"kind": "problem", "date": "2026-03-01", "problem": "欠款",
                  "strategy": "催收"}),
                ("evaluation", "/evaluations",
                 {"date": "2026-03-01", "scores": [
                     {"indicator": n, "score": 60} for n in ("成长率", "信用度", "总利润率",
                                                              "业界地位")]}),
            ]
            for entity, path, body in bodies:
                body["customer_id"] = customer
                r = self.assertStatus(who.post(path, body), 201)
                made[(entity, customer)] = r.json["id"]
            r = self.assertStatus(self.org.client("svc").post(
                "/tickets", {"customer_id": customer, "content": "投诉"}), 201)
            made[("ticket", customer)] = r.json["id"]
        items = self.all_pages(b, "/audit", {"limit": 100})
        seen = {(i["entity"], i["entity_id"]) for i in items}
        for (entity, customer), rid in made.items():
            with self.subTest(entity=entity, customer=customer):
                if customer == mine:
                    self.assertIn((entity, rid), seen)
                else:
                    self.assertNotIn((entity, rid), seen)
        # the scores of the hidden evaluation stay hidden too
        hidden = made[("evaluation", theirs)]
        for i in items:
            if i["entity"] == "evaluation_score" and i["action"] == "create":
                of = [c["new"] for c in i["changes"] if c["field"] == "evaluation_id"]
                self.assertNotEqual(of, [hidden], i)

if __name__ == "__main__":
    unittest.main()


class SideEffectAuditTests(KehuTestCase):
    """Changes made as a consequence of another change are logged too."""

    with_org = True

    def contact_log(self, cid):
        r = self.admin.get("/audit", params={"entity": "contact", "entity_id": cid})
        self.assertStatus(r, 200)
        return r.json["items"]

    def test_moving_the_primary_flag_logs_both_contacts(self):
        c = self.admin.post("/customers", customer_body("副作用审计甲公司", "13900001111"))
        self.assertStatus(c, 201)
        first = c.json["contacts"][0]["id"]
        second = self.admin.post("/customers/%d/contacts" % c.json["id"],
                                 {"name": "乙", "phone": "13900002222", "primary": True})
        self.assertStatus(second, 201)
        entry = self.contact_log(first)[0]
        self.assertEqual(entry["action"], "update")
        self.assertEqual(entry["changes"], [{"field": "primary", "old": True, "new": False}])
        # deleting the new primary promotes the old one again, also logged
        self.assertStatus(self.admin.delete("/contacts/%d" % second.json["id"],
                                            if_match=second.etag), 204)
        entry = self.contact_log(first)[0]
        self.assertEqual(entry["changes"], [{"field": "primary", "old": False, "new": True}])
        got = self.admin.get("/contacts/%d" % first)
        self.assertTrue(got.json["primary"])

    def test_the_primary_flag_cannot_simply_be_switched_off(self):
        c = self.admin.post("/customers", customer_body("主联系人保留公司", "13900003333"))
        k = c.json["contacts"][0]
        cur = self.admin.get("/contacts/%d" % k["id"])
        r = self.admin.patch("/contacts/%d" % k["id"], {"primary": False}, if_match=cur.etag)
        self.assertError(r, 422, fields=("primary",))
        self.assertTrue(self.admin.get("/contacts/%d" % k["id"]).json["primary"])

    def test_customers_following_their_owner_are_logged_and_versioned(self):
        sales = self.org.users["sales_b"]
        mine = [cid for cid, c in self.org.customers.items() if c["owner"]["id"] == sales["id"]]
        self.assertTrue(mine)
        before = self.admin.get("/customers/%d" % mine[0]).json["version"]
        u = self.admin.get("/users/%d" % sales["id"])
        target = self.org.depts["销售二部"]
        r = self.admin.patch("/users/%d" % sales["id"], {"department": target}, if_match=u.etag)
        self.assertStatus(r, 200)
        after = self.admin.get("/customers/%d" % mine[0]).json
        self.assertEqual(after["department"]["id"], target)
        self.assertEqual(after["version"], before + 1)
        log = self.admin.get("/audit", params={"entity": "user", "entity_id": sales["id"],
                                               "action": "move_customers"}).json["items"]
        self.assertEqual(log[0]["changes"], {"department": target, "customers": len(mine)})
        back = self.admin.patch("/users/%d" % sales["id"],
                                {"department": self.org.depts["销售一部"]}, if_match=r.etag)
        self.assertStatus(back, 200)
