"""Archive (历史库), soft delete and restore: where a customer is visible afterwards."""

import unittest

from .kehu_fixture import KehuTestCase, customer_body


class LifecycleTests(KehuTestCase):
    with_org = True

    def new(self, client, name, **fields):
        r = client.post("/customers", customer_body(name, "13612345678", **fields))
        self.assertStatus(r, 201)
        return r

    def list_ids(self, client, **params):
        items = self.all_pages(client, "/customers", dict(params, limit=50))
        return {c["id"] for c in items}

    def test_archive_and_unarchive(self):
        sa = self.org.client("sales_a")
        r = self.new(sa, "归档测试有限公司")
        cid = r.json["id"]
        path = "/customers/%d" % cid
        a = self.assertStatus(sa.post(path + "/archive", if_match=r), 200)
        self.assertTrue(a.json["archived"])
        self.assertIsNotNone(a.json["archived_at"])
        self.assertEqual(a.json["version"], 2)
        self.assertEqual(a.etag, '"2"')
        self.assertNotIn(cid, self.list_ids(sa))
        self.assertNotIn(cid, self.list_ids(sa, q="归档测试"))
        self.assertIn(cid, self.list_ids(sa, view="archived"))
        self.assertIn(cid, self.list_ids(sa, view="archived", q="归档测试"))
        self.assertIn(cid, self.list_ids(sa, view="all"))
        self.assertNotIn(cid, self.list_ids(self.org.client("sales_b"), view="archived"))
        self.assertStatus(sa.get(path), 200)
        self.assertError(sa.post(path + "/archive", if_match=a), 400)
        u = self.assertStatus(sa.post(path + "/unarchive", if_match=a), 200)
        self.assertFalse(u.json["archived"])
        self.assertIsNone(u.json["archived_at"])
        self.assertIn(cid, self.list_ids(sa))
        self.assertNotIn(cid, self.list_ids(sa, view="archived"))
        self.assertError(sa.post(path + "/unarchive", if_match=u), 400)
        # the archive flag is only changed by its own action
        self.assertError(sa.patch(path, {"archived": True}, if_match=u), 422,
                         fields=("archived",))

    def test_archived_customers_can_still_be_edited(self):
        sa = self.org.client("sales_a")
        r = self.new(sa, "归档编辑有限公司")
        path = "/customers/%d" % r.json["id"]
        a = self.assertStatus(sa.post(path + "/archive", if_match=r), 200)
        p = self.assertStatus(sa.patch(path, {"remarks": "归档后补记"}, if_match=a), 200)
        self.assertTrue(p.json["archived"])

    def test_delete_hides_everywhere_but_the_deleted_view(self):
        sa = self.org.client("sales_a")
        mgr = self.org.client("mgr")
        r = self.new(sa, "删除测试有限公司")
        cid = r.json["id"]
        kid = r.json["contacts"][0]["id"]
        path = "/customers/%d" % cid
        self.assertStatus(mgr.delete(path, if_match=r), 204)
        for c in (sa, mgr, self.admin):
            self.assertError(c.get(path), 404)
            self.assertNotIn(cid, self.list_ids(c))
            self.assertNotIn(cid, self.list_ids(c, view="all"))
            self.assertNotIn(cid, self.list_ids(c, q="删除测试"))
            self.assertError(c.get("/contacts/%d" % kid), 404)
            self.assertError(c.get(path + "/contacts"), 404)
            ks = self.all_pages(c, "/contacts", {"limit": 100})
            self.assertNotIn(kid, [k["id"] for k in ks])
        # only users with the delete permission see the recycle bin
        self.assertIn(cid, self.list_ids(mgr, view="deleted"))
        self.assertIn(cid, self.list_ids(self.admin, view="deleted"))
        self.assertIn(cid, self.list_ids(self.admin, view="deleted", q="删除测试"))
        self.assertIn(sa.get("/customers", params={"view": "deleted"}).status, (403, 422))
        self.assertError(sa.get(path, params={"deleted": "true"}), (403, 404))
        d = self.assertStatus(mgr.get(path, params={"deleted": "true"}), 200)
        self.assertIsNotNone(d.json["deleted_at"])
        # edits of a deleted record are refused
        self.assertError(self.admin.patch(path, {"remarks": "x"}, if_match=d), 404)
        self.assertError(sa.post(path + "/contacts", {"name": "x", "phone": "13700000000"}), 404)
        # deleting twice
        self.assertError(mgr.delete(path, if_match=d), 404)

    def test_restore_brings_it_back(self):
        sa = self.org.client("sales_a")
        mgr = self.org.client("mgr")
        r = self.new(sa, "恢复测试有限公司")
        cid = r.json["id"]
        path = "/customers/%d" % cid
        self.assertStatus(mgr.delete(path, if_match=r), 204)
        d = self.assertStatus(mgr.get(path, params={"deleted": "true"}), 200)
        self.assertError(sa.post(path + "/restore", if_match=d), 403)
        self.assertError(mgr.post(path + "/restore"), 428)
        back = self.assertStatus(mgr.post(path + "/restore", if_match=d), 200)
        self.assertIsNone(back.json["deleted_at"])
        self.assertEqual(len(back.json["contacts"]), 1)
        self.assertGreater(back.json["version"], d.json["version"])
        self.assertIn(cid, self.list_ids(sa))
        self.assertIn(cid, self.list_ids(sa, q="恢复测试"))
        self.assertNotIn(cid, self.list_ids(mgr, view="deleted"))
        self.assertStatus(sa.get("/contacts/%d" % r.json["contacts"][0]["id"]), 200)
        # restoring what is not deleted
        self.assertError(mgr.post(path + "/restore", if_match=back), 400)

    def test_deleted_view_obeys_the_scope(self):
        mgr_dept = self.org.client("mgr_dept")
        r1 = self.new(self.org.client("mgr"), "经理删除范围内有限公司")
        r2 = self.new(self.org.client("sales_a"), "经理删除范围外有限公司")
        self.assertStatus(self.admin.delete("/customers/%d" % r1.json["id"], if_match=r1), 204)
        self.assertStatus(self.admin.delete("/customers/%d" % r2.json["id"], if_match=r2), 204)
        seen = self.list_ids(mgr_dept, view="deleted")
        self.assertIn(r1.json["id"], seen)
        self.assertNotIn(r2.json["id"], seen)
        self.assertError(mgr_dept.get("/customers/%d" % r2.json["id"],
                                      params={"deleted": "true"}), 404)
        d2 = self.admin.get("/customers/%d" % r2.json["id"], params={"deleted": "true"}).json
        self.assertError(mgr_dept.post("/customers/%d/restore" % r2.json["id"],
                                       if_match=d2["version"]), 404)

    def test_archive_needs_the_permission(self):
        v = self.org.client("viewer")
        cid = self.org.owned["sales_a"][0]
        cur = self.admin.get("/customers/%d" % cid).json
        self.assertError(v.post("/customers/%d/archive" % cid, if_match=cur["version"]), 403)
        self.assertFalse(self.admin.get("/customers/%d" % cid).json["archived"])

    def test_lifecycle_is_audited(self):
        sa = self.org.client("sales_a")
        mgr = self.org.client("mgr")
        r = self.new(sa, "审计生命周期有限公司")
        path = "/customers/%d" % r.json["id"]
        a = self.assertStatus(sa.post(path + "/archive", if_match=r), 200)
        u = self.assertStatus(sa.post(path + "/unarchive", if_match=a), 200)
        self.assertStatus(mgr.delete(path, if_match=u), 204)
        d = mgr.get(path, params={"deleted": "true"})
        self.assertStatus(mgr.post(path + "/restore", if_match=d), 200)
        log = self.assertStatus(self.admin.get("/audit", params={
            "entity": "customer", "entity_id": r.json["id"]}), 200).json["items"]
        actions = [e["action"] for e in reversed(log)]
        self.assertEqual(actions, ["create", "archive", "unarchive", "delete", "restore"])
        by = {e["action"]: e["username"] for e in log}
        self.assertEqual(by["archive"], "sales-a")
        self.assertEqual(by["delete"], "mgr")


if __name__ == "__main__":
    unittest.main()
