"""
Duplicate customers through the HTTP API and the CLI: groups found by name key
and phone within the viewer's data scope (phones masked), a merge that moves
the duplicates' records and deletes them pointing at the kept customer, its
refusals (428 without versions, 412 stale, 403 without the delete permission,
404 outside the scope), the audit event, the list of merges and the undo; the
`kehu dedupe` commands on the same database.
"""
import json
import unittest

from .kehu_fixture import KehuTestCase, customer_body

EXIT_CONFLICT = 5


def members(groups, by=None):
    """The customer id sets of the groups (of one kind when by is given)."""
    return [set(c["id"] for c in g["customers"]) for g in groups
            if by is None or g["by"] == by]


class DedupeApi(KehuTestCase):
    with_org = True

    def make(self, name, owner, phone=None):
        body = customer_body(name, phone, owner=self.org.users[owner]["id"])
        r = self.admin.post("/customers", body)
        self.assertStatus(r, 201)
        return r.json

    def followup(self, cid, date, content):
        r = self.admin.post("/followups", {"customer_id": cid, "date": date, "content": content})
        self.assertStatus(r, 201)
        return r.json["id"]

    def test_find_in_scope_and_masked(self):
        a = self.make("深圳星河科技有限公司", "sales_a", "13711112222")
        b = self.make("深圳星河科技 有限责任公司", "sales_b")
        other = self.make("深圳星河五金制品有限公司", "sales_a", "137-1111-2222")
        mgr = self.org.client("mgr")
        r = mgr.get("/duplicates", params={"by": "name"})
        self.assertStatus(r, 200)
        self.assertIn({a["id"], b["id"]}, members(r.json["items"], "name"))
        self.assertFalse(any(other["id"] in m for m in members(r.json["items"], "name")))
        group = next(g for g in r.json["items"] if a["id"] in {c["id"] for c in g["customers"]})
        self.assertEqual(group["key"], "深圳星河科技")
        # a salesperson sees only their own customers: no pair across owners
        r = self.org.client("sales_a").get("/duplicates", params={"by": "name"})
        self.assertStatus(r, 200)
        self.assertNotIn({a["id"], b["id"]}, members(r.json["items"]))
        # the same phone typed two ways: one group; the phone masked for a viewer
        r = self.org.client("viewer").get("/duplicates", params={"by": "phone"})
        self.assertStatus(r, 200)
        group = next(g for g in r.json["items"]
                     if {a["id"], other["id"]} <= {c["id"] for c in g["customers"]})
        self.assertEqual(group["key"], "137****2222")
        r = self.admin.get("/duplicates", params={"by": "phone"})
        self.assertIn("13711112222", [g["key"] for g in r.json["items"]])
        # pages of one group each reach every group once
        items = self.all_pages(self.admin, "/duplicates", {"limit": 1})
        keys = [(g["by"], g["key"]) for g in items]
        self.assertEqual(len(keys), len(set(keys)))
        self.assertIn(("name", "深圳星河科技"), keys)
        self.assertError(self.admin.get("/duplicates", params={"by": "colour"}), 422,
                         fields=("by",))

    def test_merge_refusals_then_merge_and_undo(self):
        into = self.make("成都锦江软件有限公司", "sales_a", "13822223333")
        dup = self.make("成都锦江软件有限责任公司", "sales_b", "13822224444")
        fid = self.followup(dup["id"], "2024-05-01", "电话沟通报价")
        versions = {str(into["id"]): into["version"], str(dup["id"]): dup["version"]}
        body = {"into": into["id"], "from": [dup["id"]], "versions": versions,
                "fields": {"owner": dup["id"]}}
        mgr = self.org.client("mgr")
        r = mgr.post("/duplicates/merge", {"into": into["id"], "from": [dup["id"]]})
        self.assertError(r, 428)
        stale = dict(body, versions={str(into["id"]): into["version"] + 3,
                                     str(dup["id"]): dup["version"]})
        self.assertError(mgr.post("/duplicates/merge", stale), 412)
        self.assertError(self.org.client("sales_a").post("/duplicates/merge", body), 403)
        hidden = self.make("成都锦江软件公司", "svc")
        out = dict(body, **{"from": [hidden["id"]],
                             "versions": dict(versions, **{str(hidden["id"]): 1})})
        self.assertError(mgr.post("/duplicates/merge", out), 404)
        self.assertError(mgr.post("/duplicates/merge", dict(body, fields={"code": dup["id"]})),
                         422, fields=("fields.code",))
        # nothing of that moved anything
        self.assertStatus(mgr.get("/customers/%d" % dup["id"]), 200)

        r = mgr.post("/duplicates/merge", body)
        self.assertStatus(r, 201)
        merge = r.json
        self.assertEqual(merge["into"], into["id"])
        self.assertEqual(merge["from"], [dup["id"]])
        self.assertEqual(merge["moved"].get("followups"), 1)
        self.assertEqual(merge["moved"].get("contacts"), 1)
        self.assertEqual(merge["fields"], {"owner": dup["id"]})
        self.assertError(mgr.get("/customers/%d" % dup["id"]), 404)
        kept = mgr.get("/customers/%d" % into["id"]).json
        self.assertEqual(kept["owner"]["id"], self.org.users["sales_b"]["id"])
        self.assertEqual(len(kept["contacts"]), 2)
        self.assertEqual(sum(1 for c in kept["contacts"] if c["primary"]), 1)
        self.assertEqual(mgr.get("/followups/%d" % fid).json["customer_id"], into["id"])
        audit = self.admin.get("/audit", params={"entity": "customer",
                                                 "entity_id": into["id"]}).json["items"]
        event = next(a for a in audit if a["action"] == "merge")
        self.assertEqual(event["changes"]["merge_id"], merge["id"])
        self.assertEqual(event["changes"]["moved"][str(dup["id"])]["followups"][0][0], fid)
        listed = mgr.get("/duplicates/merges").json["items"]
        self.assertEqual(listed[0]["id"], merge["id"])
        # a user who cannot see the kept customer does not see the merge either
        self.assertError(self.org.client("lead").get("/duplicates/merges/%d" % merge["id"]), 404)

        r = mgr.post("/duplicates/merges/%d/undo" % merge["id"])
        self.assertStatus(r, 200)
        self.assertIsNotNone(r.json["undone_at"])
        back = mgr.get("/customers/%d" % dup["id"])
        self.assertStatus(back, 200)
        self.assertIsNone(back.json.get("merged_into"))
        self.assertEqual(mgr.get("/followups/%d" % fid).json["customer_id"], dup["id"])
        kept = mgr.get("/customers/%d" % into["id"]).json
        self.assertEqual(kept["owner"]["id"], self.org.users["sales_a"]["id"])
        self.assertEqual(len(kept["contacts"]), 1)
        self.assertError(mgr.post("/duplicates/merges/%d/undo" % merge["id"]), 409)


class DedupeCli(KehuTestCase):
    with_org = True

    def kehu(self, *args):
        return self.server.cli("--lang", "en", "--as", "mgr", *args)

    def test_find_merge_merges_undo(self):
        ids = []
        for name in ("杭州西湖茶业有限公司", "杭州西湖茶业（集团）有限公司"):
            body = customer_body(name, owner=self.org.users["sales_a"]["id"])
            r = self.admin.post("/customers", body)
            self.assertStatus(r, 201)
            ids.append(r.json["id"])
        p = self.kehu("dedupe", "find", "--by", "name")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = [ln for ln in p.stdout.splitlines() if "杭州西湖茶业" in ln]
        self.assertEqual(len(lines), 2, p.stdout)
        self.assertTrue(p.stdout.startswith("Group"), p.stdout)
        p = self.kehu("--format", "json", "dedupe", "find", "--by", "name")
        self.assertIn(set(ids), [set(c["id"] for c in g["customers"])
                                 for g in json.loads(p.stdout)["items"]])

        p = self.kehu("dedupe", "merge", "--into", str(ids[0]), "--from", str(ids[1]),
                      "--if-versions", "%d=7" % ids[1])
        self.assertEqual(p.returncode, EXIT_CONFLICT, p.stderr)
        p = self.kehu("dedupe", "merge", "--into", str(ids[0]), "--from", str(ids[1]),
                      "--if-versions", "%d=1,%d=1" % (ids[0], ids[1]), "--take",
                      "name=%d" % ids[1])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("Merged", p.stdout)
        self.assertEqual(self.admin.get("/customers/%d" % ids[0]).json["name"],
                         "杭州西湖茶业（集团）有限公司")
        p = self.kehu("--format", "json", "dedupe", "merges")
        merge = json.loads(p.stdout)["items"][0]
        self.assertEqual(merge["from"], [ids[1]])
        p = self.kehu("dedupe", "merges")
        self.assertIn(str(ids[0]), p.stdout)
        p = self.kehu("dedupe", "undo", str(merge["id"]))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.admin.get("/customers/%d" % ids[0]).json["name"],
                         "杭州西湖茶业有限公司")
        self.assertStatus(self.admin.get("/customers/%d" % ids[1]), 200)
        p = self.kehu("dedupe", "undo", str(merge["id"]))
        self.assertEqual(p.returncode, EXIT_CONFLICT)
        self.assertIn("already undone", p.stderr)
        p = self.kehu("dedupe", "merge", "--into", str(ids[0]))
        self.assertEqual(p.returncode, 2)


if __name__ == "__main__":
    unittest.main()
