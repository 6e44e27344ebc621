"""Roles x data scopes: which customers each user sees (list, search, show, contacts)
and may change (update, delete, archive, contacts) — 403 for a missing permission,
404 for a record outside the scope."""

import unittest

from .kehu_fixture import KehuTestCase, customer_body, patch_role

# who sees whose customers (owner keys of Org.owned)
ALL_OWNERS = ("sales_a", "sales_b", "lead", "sub", "mgr", "mgr_dept", "admin", "svc")
VISIBLE = {
    "admin": ALL_OWNERS,
    "mgr": ("sales_a", "sales_b", "lead", "sub", "mgr", "mgr_dept"),  # dept_sub of 销售部
    "mgr_dept": ("mgr", "mgr_dept"),  # dept 销售部 only
    "sales_a": ("sales_a",),  # own
    "sales_b": ("sales_b",),
    "lead": ("lead", "sub"),  # own_sub
    "sub": ("sub",),
    "svc": ALL_OWNERS,  # all
    "fin": ALL_OWNERS,  # role default all
    "viewer": ("sales_a", "sales_b"),  # dept 销售一部
}
CAN_WRITE = {"admin", "mgr", "mgr_dept", "sales_a", "sales_b", "lead", "sub"}
CAN_DELETE = {"admin", "mgr", "mgr_dept"}
CAN_ARCHIVE = {"admin", "mgr", "mgr_dept", "sales_a", "sales_b", "lead", "sub"}
USERS = tuple(VISIBLE)


class VisibilityMatrixTests(KehuTestCase):
    """Read-only: the org's data is not changed by these tests."""
    with_org = True

    def expected(self, user):
        return self.org.ids(*VISIBLE[user])

    def test_list_shows_exactly_the_scope(self):
        for user in USERS:
            with self.subTest(user=user):
                items = self.all_pages(self.org.client(user), "/customers", {"limit": 3})
                ids = [c["id"] for c in items]
                self.assertEqual(len(ids), len(set(ids)), "a customer listed twice")
                self.assertEqual(set(ids), self.expected(user))

    def test_list_views_obey_the_scope(self):
        for user in USERS:
            with self.subTest(user=user):
                items = self.all_pages(self.org.client(user), "/customers",
                                       {"limit": 4, "view": "all", "sort": "name"})
                self.assertEqual({c["id"] for c in items}, self.expected(user))

    def test_search_shows_exactly_the_scope(self):
        keji = {cid for cid, c in self.org.customers.items() if "科技" in c["name"]}
        self.assertEqual(len(keji), 3)
        for user in USERS:
            c = self.org.client(user)
            with self.subTest(user=user, q="有限公司"):
                items = self.all_pages(c, "/customers", {"q": "有限公司", "limit": 3})
                self.assertEqual({x["id"] for x in items}, self.expected(user))
            with self.subTest(user=user, q="科技"):
                items = self.all_pages(c, "/customers", {"q": "科技", "limit": 2})
                self.assertEqual({x["id"] for x in items}, self.expected(user) & keji)
            with self.subTest(user=user, filter="region=east"):
                east = {cid for cid, x in self.org.customers.items()
                        if (x.get("region") or {}).get("code") == "east"}
                items = self.all_pages(c, "/customers", {"region": "华东", "limit": 2})
                self.assertEqual({x["id"] for x in items}, self.expected(user) & east)
            with self.subTest(user=user, filter="contract_amount_from"):
                big = {cid for cid, x in self.org.customers.items()
                       if (x.get("contract_amount") or 0) >= 250000}
                items = self.all_pages(c, "/customers", {"contract_amount_from": 250000,
                                                         "sort": "-contract_amount"})
                self.assertEqual({x["id"] for x in items}, self.expected(user) & big)

    def test_filtering_by_an_invisible_owner_reveals_nothing(self):
        c = self.org.client("sales_a")
        for owner in ("sales-b", "admin", str(self.org.users["lead"]["id"])):
            r = self.assertStatus(c.get("/customers", params={"owner": owner}), 200)
            self.assertEqual(r.json["items"], [], owner)
        r = self.assertStatus(c.get("/customers", params={"q": "星河"}), 200)
        self.assertEqual(r.json["items"], [])

    def test_show_is_404_outside_the_scope(self):
        for user in USERS:
            c = self.org.client(user)
            vis = self.expected(user)
            for cid, cust in self.org.customers.items():
                with self.subTest(user=user, customer=cust["name"]):
                    r = c.get("/customers/%d" % cid)
                    if cid in vis:
                        self.assertStatus(r, 200)
                        self.assertEqual(r.json["id"], cid)
                    else:
                        self.assertError(r, 404, "not_found")
                        self.assertNotIn(cust["name"], r.body.decode("utf-8"))
                        self.assertNotIn(cust["code"], r.body.decode("utf-8"))

    def test_contacts_follow_their_customer(self):
        for user in USERS:
            c = self.org.client(user)
            vis = self.expected(user)
            with self.subTest(user=user, endpoint="/contacts"):
                items = self.all_pages(c, "/contacts", {"limit": 4})
                self.assertEqual({k["customer_id"] for k in items}, vis)
            for cid, cust in self.org.customers.items():
                kid = cust["contacts"][0]["id"]
                with self.subTest(user=user, customer=cust["name"]):
                    r1 = c.get("/customers/%d/contacts" % cid)
                    r2 = c.get("/contacts/%d" % kid)
                    r3 = c.get("/contacts", params={"customer_id": cid})
                    if cid in vis:
                        self.assertStatus(r1, 200)
                        self.assertEqual([k["id"] for k in r1.json["items"]], [kid])
                        self.assertStatus(r2, 200)
                        self.assertEqual([k["id"] for k in r3.json["items"]], [kid])
                    else:
                        self.assertError(r1, 404)
                        self.assertError(r2, 404)
                        self.assertStatus(r3, 200)
                        self.assertEqual(r3.json["items"], [])

    def test_deleted_view_needs_the_delete_permission(self):
        for user in USERS:
            with self.subTest(user=user):
                r = self.org.client(user).get("/customers", params={"view": "deleted"})
                if user in CAN_DELETE:
                    self.assertStatus(r, 200)
                else:
                    self.assertError(r, 403, "forbidden")
                cid = next(iter(self.expected(user)))
                g = self.org.client(user).get("/customers/%d" % cid, params={"deleted": "true"})
                if user in CAN_DELETE:
                    self.assertStatus(g, 200)
                else:
                    self.assertError(g, 403, "forbidden")

    def test_a_deleted_customer_is_only_seen_with_the_delete_permission(self):
        c = self.admin.post("/customers", customer_body("回收站可见性有限公司", "13700001111",
                                                        owner=self.org.users["sales_a"]["id"]))
        self.assertStatus(c, 201)
        self.assertStatus(self.admin.delete("/customers/%d" % c.json["id"], if_match=c.etag), 204)
        path = "/customers/%d" % c.json["id"]
        self.assertError(self.org.client("sales_a").get(path, params={"deleted": "true"}), 403)
        self.assertError(self.org.client("sales_a").get(path), 404)
        self.assertStatus(self.admin.get(path, params={"deleted": "true"}), 200)

    def test_admin_endpoints_refuse_other_roles(self):
        viewer_id = self.org.users["viewer"]["id"]
        dept = self.org.depts["客服部"]
        opt = self.admin.get("/dictionaries", params={"kind": "region"}).json["items"][0]
        for user in USERS:
            if user == "admin":
                continue
            c = self.org.client(user)
            with self.subTest(user=user):
                self.assertError(c.post("/users", {"username": "x-" + user.replace("_", "-"),
                                                   "display_name": "x", "role": "admin"}),
                                 403, "forbidden")
                target = viewer_id if user != "viewer" else self.org.users["sales_b"]["id"]
                self.assertError(c.patch("/users/%d" % target, {"role": "admin"}, if_match=1),
                                 403)
                self.assertError(c.post("/users/%d/password" % target,
                                        {"password": "Hijack-Passw0rd!"}), 403)
                self.assertError(c.post("/departments", {"name": "黑部门"}), 403)
                self.assertError(c.patch("/departments/%d" % dept, {"name": "黑"}, if_match=1),
                                 403)
                self.assertError(c.delete("/departments/%d" % dept, if_match=1), 403)
                self.assertError(c.post("/dictionaries", {"kind": "region", "code": "x",
                                                          "label_zh": "x", "label_en": "x"}), 403)
                self.assertError(c.patch("/dictionaries/%d" % opt["id"], {"label_zh": "x"},
                                         if_match=opt["version"]), 403)
                self.assertError(c.post("/custom-fields", {"key": "x", "label_zh": "x",
                                                           "label_en": "x", "type": "text"}), 403)
                self.assertError(patch_role(c, self.org.users[user]["role"], {"scope": "all"}),
                                 403)
                self.assertError(c.get("/audit"), 403)
        # nothing changed
        r = self.admin.get("/users/%d" % viewer_id)
        self.assertEqual(r.json["role"], "viewer")
        roles = {x["code"]: x for x in self.admin.get("/roles").json["items"]}
        self.assertEqual(roles["sales"]["scope"], "own")


class WriteMatrixTests(KehuTestCase):
    """update / delete / archive / contacts / owner for every user x every owner."""
    with_org = True

    def expected(self, user):
        return self.org.ids(*VISIBLE[user])

    def fresh(self, owner_key, name):
        owner = "admin" if owner_key == "admin" else self.org.users[owner_key]["username"]
        r = self.admin.post("/customers", customer_body(name, "13600000000", owner=owner))
        self.assertStatus(r, 201)
        return r.json

    def test_update(self):
        for user in USERS:
            c = self.org.client(user)
            vis = self.expected(user)
            for cid, cust in self.org.customers.items():
                with self.subTest(user=user, customer=cust["name"]):
                    cur = self.admin.get("/customers/%d" % cid).json
                    r = c.patch("/customers/%d" % cid, {"remarks": "由%s修改" % user},
                                if_match=cur["version"])
                    after = self.admin.get("/customers/%d" % cid).json
                    if user not in CAN_WRITE:
                        self.assertError(r, 403, "forbidden")
                    elif cid in vis:
                        self.assertStatus(r, 200)
                        self.assertEqual(after["remarks"], "由%s修改" % user)
                        continue
                    else:
                        self.assertError(r, 404, "not_found")
                    self.assertEqual(after["version"], cur["version"])

    def test_delete(self):
        for user in USERS:
            c = self.org.client(user)
            vis_owners = set(VISIBLE[user])
            if user not in CAN_DELETE:
                for cid, cust in list(self.org.customers.items())[:4]:
                    with self.subTest(user=user, customer=cust["name"]):
                        cur = self.admin.get("/customers/%d" % cid).json
                        self.assertError(c.delete("/customers/%d" % cid,
                                                  if_match=cur["version"]), 403, "forbidden")
                        self.assertStatus(self.admin.get("/customers/%d" % cid), 200)
                continue
            for owner in ALL_OWNERS:
                with self.subTest(user=user, owner=owner):
                    cust = self.fresh(owner, "删除%s的%s有限公司" % (user, owner))
                    path = "/customers/%d" % cust["id"]
                    r = c.delete(path, if_match=cust["version"])
                    if owner in vis_owners:
                        self.assertStatus(r, 204)
                        self.assertError(self.admin.get(path), 404)
                        d = self.assertStatus(c.get(path, params={"deleted": "true"}), 200)
                        self.assertIsNotNone(d.json["deleted_at"])
                        self.assertStatus(c.post(path + "/restore", if_match=d), 200)
                    else:
                        self.assertError(r, 404, "not_found")
                        self.assertError(c.post(path + "/restore", if_match=cust["version"]),
                                         404)
                    self.assertStatus(self.admin.get(path), 200)

    def test_archive(self):
        for user in USERS:
            c = self.org.client(user)
            vis_owners = set(VISIBLE[user])
            for owner in ("sales_a", "lead", "admin"):
                with self.subTest(user=user, owner=owner):
                    cust = self.fresh(owner, "归档%s的%s有限公司" % (user, owner))
                    path = "/customers/%d" % cust["id"]
                    r = c.post(path + "/archive", if_match=cust["version"])
                    if user not in CAN_ARCHIVE:
                        self.assertError(r, 403)
                    elif owner in vis_owners:
                        self.assertStatus(r, 200)
                        self.assertTrue(r.json["archived"])
                    else:
                        self.assertError(r, 404)
                    self.assertEqual(self.admin.get(path).json["archived"],
                                     r.status == 200)

    def test_contacts_of_other_scopes_cannot_be_changed(self):
        for user in USERS:
            c = self.org.client(user)
            vis = self.expected(user)
            for cid, cust in self.org.customers.items():
                kid = cust["contacts"][0]["id"]
                with self.subTest(user=user, customer=cust["name"]):
                    k = self.admin.get("/contacts/%d" % kid).json
                    add = c.post("/customers/%d/contacts" % cid,
                                 {"name": "新人%s" % user, "phone": "13511112222"})
                    edit = c.patch("/contacts/%d" % kid, {"remarks": "改%s" % user},
                                   if_match=k["version"])
                    if user not in CAN_WRITE:
                        self.assertError(add, 403)
                        self.assertError(edit, 403)
                    elif cid in vis:
                        self.assertStatus(add, 201)
                        self.assertStatus(edit, 200)
                        self.assertStatus(c.delete("/contacts/%d" % add.json["id"],
                                                   if_match=add), 204)
                    else:
                        self.assertError(add, 404)
                        self.assertError(edit, 404)
                        dele = c.delete("/contacts/%d" % kid, if_match=k["version"])
                        self.assertError(dele, 404)
                        self.assertStatus(self.admin.get("/contacts/%d" % kid), 200)

    def test_create_and_owner_rules(self):
        for user in ("svc", "fin", "viewer"):
            with self.subTest(user=user):
                self.assertError(self.org.client(user).post("/customers",
                                                            customer_body("无权创建有限公司")), 403)
        sa = self.org.client("sales_a")
        # sales may only own their customers themselves
        self.assertError(sa.post("/customers", customer_body("替人建有限公司", owner="sales-b")),
                         422, fields=("owner",))
        self.assertStatus(sa.post("/customers", customer_body("自己建有限公司", owner="sales-a")),
                          201)
        own = self.fresh("sales_a", "转给别人有限公司")
        self.assertError(sa.patch("/customers/%d" % own["id"], {"owner": "sales-b"},
                                  if_match=own), 422, fields=("owner",))
        lead = self.org.client("lead")
        self.assertError(lead.post("/customers", customer_body("组长替组员有限公司", owner="sub")),
                         422, fields=("owner",))
        # a manager assigns within the scope only
        mgr = self.org.client("mgr")
        r = self.assertStatus(mgr.post("/customers", customer_body("经理分配有限公司",
                                                                   owner="sales-a")), 201)
        self.assertEqual(r.json["owner"]["id"], self.org.users["sales_a"]["id"])
        self.assertError(mgr.post("/customers", customer_body("经理越权有限公司", owner="svc")),
                         422, fields=("owner",))
        self.assertError(mgr.patch("/customers/%d" % r.json["id"], {"owner": "admin"},
                                   if_match=r), 422, fields=("owner",))
        mgr_dept = self.org.client("mgr_dept")
        self.assertError(mgr_dept.post("/customers", customer_body("主管越权有限公司",
                                                                   owner="sales-a")),
                         422, fields=("owner",))
        # giving a customer away moves it out of the giver's sight
        moved = self.assertStatus(mgr.patch("/customers/%d" % r.json["id"], {"owner": "sub"},
                                            if_match=r), 200)
        self.assertEqual(moved.json["department"]["id"], self.org.depts["销售二部"])
        self.assertError(sa.get("/customers/%d" % r.json["id"]), 404)
        self.assertStatus(self.org.client("lead").get("/customers/%d" % r.json["id"]), 200)

    def test_scope_follows_a_department_change(self):
        """Moving a user to another department moves their customers' department."""
        u = self.admin.post("/users", {"username": "mover", "display_name": "调岗",
                                       "role": "sales", "department": self.org.depts["销售一部"],
                                       "password": "User-Passw0rd!"})
        self.assertStatus(u, 201)
        cust = self.fresh_named("mover", "调岗客户有限公司")
        viewer = self.org.client("viewer")
        self.assertStatus(viewer.get("/customers/%d" % cust["id"]), 200)
        self.assertStatus(self.admin.patch("/users/%d" % u.json["id"],
                                           {"department": self.org.depts["销售二部"]},
                                           if_match=u), 200)
        self.assertError(viewer.get("/customers/%d" % cust["id"]), 404)
        g = self.assertStatus(self.admin.get("/customers/%d" % cust["id"]), 200)
        self.assertEqual(g.json["department"]["id"], self.org.depts["销售二部"])

    def test_own_sub_reaches_subordinates_of_subordinates(self):
        r = self.admin.post("/users", {"username": "subsub", "display_name": "孙组员",
                                       "role": "sales", "department": self.org.depts["销售二部"],
                                       "supervisor": self.org.users["sub"]["id"],
                                       "password": "User-Passw0rd!"})
        self.assertStatus(r, 201)
        cust = self.fresh_named("subsub", "孙组员客户有限公司")
        self.assertStatus(self.org.client("lead").get("/customers/%d" % cust["id"]), 200)
        self.assertError(self.org.client("sub").get("/customers/%d" % cust["id"]), 404)
        lst = self.all_pages(self.org.client("lead"), "/customers", {"q": "孙组员客户"})
        self.assertEqual([c["id"] for c in lst], [cust["id"]])
        # a supervisor loop is refused
        lead = self.admin.get("/users/%d" % self.org.users["lead"]["id"])
        self.assertError(self.admin.patch("/users/%d" % lead.json["id"],
                                          {"supervisor": r.json["id"]}, if_match=lead),
                         422, fields=("supervisor",))

    def fresh_named(self, username, name):
        r = self.admin.post("/customers", customer_body(name, owner=username))
        self.assertStatus(r, 201)
        return r.json


if __name__ == "__main__":
    unittest.main()
