"""Phones (and other personal data) are masked for users without pii.unmask in
every output: list (primary_contact), show, search, contacts endpoints, audit,
write answers and 412 "current" bodies."""

import json
import unittest

from .kehu_fixture import KehuTestCase, customer_body, patch_role

STREET = "南山区科技园科苑路15号"
BIRTH = "1985-06-15"
PROFILE = "爱好高尔夫，女儿在读高三"
LANDLINE_IN = "0755-8888 1234"
LANDLINE = "0755-88881234"

MASKED_USERS = ("svc", "fin", "viewer")  # no pii.unmask
UNMASKED_USERS = ("admin", "mgr", "sales_a")  # pii.unmask (admin, manager, sales roles)


def mask_mobile(p):
    return p[:3] + "****" + p[7:]


class MaskingTests(KehuTestCase):
    with_org = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.admin
        roles = {r["code"]: r for r in admin.get("/roles").json["items"]}
        # finance may read the audit log but still not unmask; the viewer may write
        fin = roles["finance"]["permissions"] + ["audit.read"]
        assert patch_role(admin, "finance", {"permissions": fin}).status == 200
        vw = roles["viewer"]["permissions"] + ["customer.write"]
        assert patch_role(admin, "viewer", {"permissions": vw}).status == 200
        # a customer of sales A with personal data everywhere
        cid = cls.org.owned["sales_a"][0]
        cur = admin.get("/customers/%d" % cid).json
        r = admin.patch("/customers/%d" % cid, {"street": STREET, "birth_date": BIRTH,
                                                "personal_profile": PROFILE},
                        if_match=cur["version"])
        assert r.status == 200, r
        k = admin.post("/customers/%d/contacts" % cid, {"name": "座机联系人", "phone": LANDLINE_IN,
                                                        "email": "boss@tengyun.cn"})
        assert k.status == 201, k
        cls.rich = cid
        cls.landline_contact = k.json["id"]
        cls.secrets = sorted(set(cls.org.phones.values()) | {STREET, BIRTH, PROFILE, LANDLINE,
                                                            "88881234"})

    def assertNoSecrets(self, resp, what):
        text = resp.body.decode("utf-8")
        for s in self.secrets:
            self.assertNotIn(s, text, "%s leaks %r" % (what, s))

    # ---- per output

    def test_list_primary_contact_is_masked(self):
        for user in MASKED_USERS + UNMASKED_USERS:
            items = self.all_pages(self.org.client(user), "/customers", {"limit": 5})
            self.assertTrue(items)
            for c in items:
                if c["id"] not in self.org.phones:
                    continue
                phone = self.org.phones[c["id"]]
                want = mask_mobile(phone) if user in MASKED_USERS else phone
                with self.subTest(user=user, customer=c["name"]):
                    self.assertEqual(c["primary_contact"]["phone"], want)

    def test_search_results_are_masked(self):
        for user in MASKED_USERS:
            c = self.org.client(user)
            for params in ({"q": "科技"}, {"q": "腾云"}, {"q": "联系人"},
                           {"q": "有限公司", "sort": "name"}, {"industry": "IT互联网"},
                           {"view": "all"}, {"tags": "重点合作"}):
                with self.subTest(user=user, params=params):
                    r = self.assertStatus(c.get("/customers", params=params), 200)
                    self.assertNoSecrets(r, "GET /customers?%s" % params)
                    for item in r.json["items"]:
                        if item.get("primary_contact"):
                            self.assertIn("****", item["primary_contact"]["phone"])

    def test_asking_for_pii_columns_does_not_unmask_them(self):
        for user in MASKED_USERS:
            r = self.org.client(user).get("/customers", params={
                "fields": "name,street,birth_date,personal_profile", "q": "腾云"})
            self.assertStatus(r, 200)
            self.assertNoSecrets(r, "fields=street,birth_date,personal_profile")
            item = r.json["items"][0]
            self.assertEqual(item["street"], STREET[:3] + "****")
            self.assertEqual(item["birth_date"], "1985-**-**")
            self.assertIn(item.get("personal_profile"), (None, "****"))

    def test_show_is_masked(self):
        for user in MASKED_USERS:
            r = self.assertStatus(self.org.client(user).get("/customers/%d" % self.rich), 200)
            self.assertNoSecrets(r, "GET /customers/{id}")
            phones = {k["name"]: k["phone"] for k in r.json["contacts"]}
            self.assertEqual(phones["座机联系人"], "0755-****1234")
            self.assertEqual(phones[self.org.customers[self.rich]["contacts"][0]["name"]],
                             mask_mobile(self.org.phones[self.rich]))
            self.assertEqual(r.json["street"], STREET[:3] + "****")
            self.assertEqual(r.json["birth_date"], "1985-**-**")
            self.assertIn(r.json.get("personal_profile"), (None, "****"))

    def test_unmasked_users_see_the_real_values(self):
        for user in UNMASKED_USERS:
            r = self.assertStatus(self.org.client(user).get("/customers/%d" % self.rich), 200)
            phones = {k["phone"] for k in r.json["contacts"]}
            self.assertEqual(phones, {LANDLINE, self.org.phones[self.rich]})
            self.assertEqual(r.json["street"], STREET)
            self.assertEqual(r.json["birth_date"], BIRTH)

    def test_personal_profile_needs_profile_read(self):
        # admin and manager have profile.read; sales (the owner) does not
        for user, sees in (("admin", True), ("mgr", True), ("sales_a", False), ("svc", False)):
            with self.subTest(user=user):
                r = self.assertStatus(self.org.client(user).get("/customers/%d" % self.rich),
                                      200)
                if sees:
                    self.assertEqual(r.json["personal_profile"], PROFILE)
                else:
                    self.assertNotIn(PROFILE, r.body.decode("utf-8"))
                lst = self.org.client(user).get("/customers", params={
                    "fields": "name,personal_profile", "q": "腾云"})
                self.assertEqual(PROFILE in lst.body.decode("utf-8"), sees)

    def test_contacts_endpoints_are_masked(self):
        for user in MASKED_USERS:
            c = self.org.client(user)
            with self.subTest(user=user):
                r = self.assertStatus(c.get("/customers/%d/contacts" % self.rich), 200)
                self.assertNoSecrets(r, "GET /customers/{id}/contacts")
                self.assertTrue(all("****" in k["phone"] for k in r.json["items"]))
                r = self.assertStatus(c.get("/contacts/%d" % self.landline_contact), 200)
                self.assertNoSecrets(r, "GET /contacts/{id}")
                self.assertEqual(r.json["phone"], "0755-****1234")
                items = self.all_pages(c, "/contacts", {"limit": 4})
                self.assertTrue(items)
                self.assertTrue(all("****" in k["phone"] for k in items))
                r = self.assertStatus(c.get("/contacts", params={"limit": 500}), 200)
                self.assertNoSecrets(r, "GET /contacts")

    def test_masked_values_cannot_be_sorted_or_filtered_on(self):
        """Ordering or filtering by a masked value would tell its hidden digits."""
        for user in MASKED_USERS:
            c = self.org.client(user)
            for path, params in (("/contacts", {"sort": "phone"}),
                                 ("/contacts", {"sort": "-phone"}),
                                 ("/customers/%d/contacts" % self.rich, {"sort": "phone"}),
                                 ("/contacts", {"phone": self.org.phones[self.rich]}),
                                 ("/customers", {"sort": "street"}),
                                 ("/customers", {"sort": "birth_date"}),
                                 ("/customers", {"street": STREET}),
                                 ("/customers", {"birth_date_from": "1985-01-01"})):
                with self.subTest(user=user, path=path, params=params):
                    r = c.get(path, params=params)
                    self.assertRefused(r)

    def test_audit_is_masked_for_readers_without_unmask(self):
        fin = self.org.client("fin")
        r = self.assertStatus(fin.get("/audit", params={"limit": 500}), 200)
        self.assertTrue(r.json["items"], "finance was given audit.read")
        self.assertNoSecrets(r, "GET /audit")
        # and the admin does see them (so the log does hold them)
        a = self.assertStatus(self.admin.get("/audit", params={"limit": 500}), 200)
        text = a.body.decode("utf-8")
        self.assertIn(STREET, text)
        self.assertIn(self.org.phones[self.rich], text)
        changes = [ch for e in r.json["items"] if e["entity"] == "contact"
                   for ch in (e.get("changes") or []) if isinstance(e.get("changes"), list)
                   and ch.get("field") == "phone"]
        self.assertTrue(changes)
        for ch in changes:
            if ch.get("new"):
                self.assertIn("****", ch["new"])

    # ---- answers to writes by a user without pii.unmask (the viewer here)

    def test_write_answers_are_masked(self):
        v = self.org.client("viewer")
        body = customer_body("只读写入有限公司", "13911223344", street=STREET)
        r = self.assertStatus(v.post("/customers", body), 201)
        self.assertNotIn("13911223344", r.body.decode("utf-8"))
        self.assertNoSecrets(r, "POST /customers answer")
        self.assertEqual(r.json["contacts"][0]["phone"], "139****3344")
        cid = r.json["id"]
        k = self.assertStatus(v.post("/customers/%d/contacts" % cid,
                                     {"name": "二号", "phone": "13955667788"}), 201)
        self.assertEqual(k.json["phone"], "139****7788")
        p = self.assertStatus(v.patch("/contacts/%d" % k.json["id"],
                                      {"phone": "13955660000"}, if_match=k), 200)
        self.assertEqual(p.json["phone"], "139****0000")
        # the stored value is the real one
        self.assertEqual(self.admin.get("/contacts/%d" % k.json["id"]).json["phone"],
                         "13955660000")
        # a masked value sent back unchanged must not overwrite the real one
        again = v.patch("/contacts/%d" % k.json["id"], {"phone": p.json["phone"]},
                        if_match=p)
        self.assertIn(again.status, (200, 422), again)
        self.assertEqual(self.admin.get("/contacts/%d" % k.json["id"]).json["phone"],
                         "13955660000")
        cu = self.assertStatus(v.patch("/customers/%d" % cid, {"remarks": "改"}, if_match=r),
                               200)
        self.assertNoSecrets(cu, "PATCH /customers answer")
        self.assertNotIn("13911223344", cu.body.decode("utf-8"))

    def test_conflict_bodies_are_masked(self):
        v = self.org.client("viewer")
        cid = self.org.owned["sales_a"][1]
        cur = self.admin.get("/customers/%d" % cid).json
        self.assertStatus(self.admin.patch("/customers/%d" % cid, {"street": STREET},
                                           if_match=cur["version"]), 200)
        stale = v.patch("/customers/%d" % cid, {"remarks": "晚了"}, if_match=cur["version"])
        self.assertError(stale, 412)
        self.assertIn("current", stale.json)
        self.assertNoSecrets(stale, "412 current of a customer")
        self.assertNotIn(self.org.phones[cid], stale.body.decode("utf-8"))
        kid = cur["contacts"][0]["id"]
        k = self.admin.get("/contacts/%d" % kid).json
        self.assertStatus(self.admin.patch("/contacts/%d" % kid, {"position": "新职位"},
                                           if_match=k["version"]), 200)
        stale = v.patch("/contacts/%d" % kid, {"position": "旧"}, if_match=k["version"])
        self.assertError(stale, 412)
        self.assertEqual(stale.json["current"]["phone"], mask_mobile(self.org.phones[cid]))

    def test_no_endpoint_leaks_to_masked_users(self):
        """One sweep over every read path of every masked user."""
        for user in MASKED_USERS:
            c = self.org.client(user)
            vis = [cid for cid in self.org.customers
                   if c.get("/customers/%d" % cid).status == 200]
            paths = [("/customers", {"limit": 500}), ("/customers", {"view": "all"}),
                     ("/customers", {"q": "公司", "fields": "name,street,birth_date"}),
                     ("/contacts", {"limit": 500}), ("/auth/me", None), ("/users", None)]
            for cid in vis:
                paths += [("/customers/%d" % cid, None), ("/customers/%d/contacts" % cid, None)]
            if user == "fin":
                paths += [("/audit", {"limit": 500}), ("/audit", {"entity": "contact"}),
                          ("/audit", {"entity": "customer"})]
            for path, params in paths:
                with self.subTest(user=user, path=path, params=params):
                    r = self.assertStatus(c.get(path, params=params), 200)
                    self.assertNoSecrets(r, "%s %s" % (path, json.dumps(params,
                                                                         ensure_ascii=False)))


if __name__ == "__main__":
    unittest.main()
