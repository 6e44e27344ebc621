"""Authentication, sessions, CSRF, API tokens and throttling of failed logins."""

import unittest

from .kehu_fixture import (ADMIN_PASSWORD, USER_PASSWORD, Client, KehuTestCase,
                           customer_body, patch_role)


class SessionTests(KehuTestCase):
    with_org = True

    def test_login_sets_strict_httponly_cookie_and_returns_csrf(self):
        c = Client(self.server)
        r = c.login("admin", ADMIN_PASSWORD)
        self.assertStatus(r, 200)
        cookies = r.headers.get_all("Set-Cookie")
        self.assertTrue(cookies, "no Set-Cookie on login")
        sc = cookies[0]
        attrs = [a.strip().lower() for a in sc.split(";")]
        self.assertIn("httponly", attrs)
        self.assertIn("samesite=strict", attrs)
        self.assertTrue(any(a.startswith("path=/") for a in attrs), sc)
        self.assertIsInstance(r.json.get("csrf_token"), str)
        self.assertGreaterEqual(len(r.json["csrf_token"]), 16)
        user = r.json.get("user")
        self.assertEqual(user["username"], "admin")
        for secret in ("password", "password_hash", "hash"):
            self.assertNotIn(secret, user)
        self.assertNotIn(r.json["csrf_token"], sc, "CSRF token must not be the cookie")
        me = c.get("/auth/me")
        self.assertStatus(me, 200)
        self.assertEqual(me.json["user"]["username"], "admin")

    def test_wrong_password_and_unknown_user_look_the_same(self):
        r1 = Client(self.server).login("sales-b", "wrong-password-1")
        r2 = Client(self.server).login("no-such-user", "wrong-password-1")
        e1 = self.assertError(r1, 401, "unauthenticated")
        e2 = self.assertError(r2, 401, "unauthenticated")
        self.assertEqual(e1["message"], e2["message"])
        self.assertFalse(r1.headers.get_all("Set-Cookie"))

    def test_login_missing_fields_are_named(self):
        r = Client(self.server).post("/auth/login", {})
        self.assertError(r, 422, fields=("username", "password"))
        r = Client(self.server).post("/auth/login", {"username": "admin"})
        self.assertError(r, 422, fields=("password",))

    def test_requests_without_credentials_get_401(self):
        anon = Client(self.server)
        for method, path in (("GET", "/customers"), ("GET", "/auth/me"),
                             ("GET", "/users"), ("GET", "/audit"), ("GET", "/dictionaries")):
            r = anon.request(method, path)
            self.assertError(r, 401, "unauthenticated")
        r = anon.post("/customers", customer_body("匿名公司"))
        self.assertError(r, 401)

    def test_bogus_cookie_is_401(self):
        c = Client(self.server)
        c.cookies["kehu_session"] = "A" * 43
        self.assertError(c.get("/customers"), 401)
        c.cookies["kehu_session"] = "garbage"
        self.assertError(c.get("/customers"), 401)

    def test_state_changing_requests_need_csrf_header(self):
        c = self.org.client("sales_a")
        body = customer_body("CSRF测试有限公司")
        self.assertError(c.post("/customers", body, csrf=False), 403, "csrf_failed")
        self.assertError(c.post("/customers", body, headers={"X-CSRF-Token": "nope"}), 403,
                         "csrf_failed")
        self.assertError(c.post("/customers", body, headers={"X-CSRF-Token": ""}), 403)
        created = self.assertStatus(c.post("/customers", body), 201)
        cid = created.json["id"]
        path = "/customers/%d" % cid
        self.assertError(c.patch(path, {"remarks": "x"}, if_match=created, csrf=False), 403,
                         "csrf_failed")
        self.assertError(c.post(path + "/archive", if_match=created, csrf=False), 403)
        mgr = self.org.client("mgr")
        self.assertError(mgr.delete(path, if_match=created, csrf=False), 403, "csrf_failed")
        # nothing happened
        r = self.assertStatus(c.get(path), 200)
        self.assertEqual(r.json["version"], 1)
        self.assertIsNone(r.json["remarks"])
        # GET needs no token
        self.assertStatus(c.get("/customers", csrf=False), 200)

    def test_csrf_token_of_another_session_is_refused(self):
        a1 = self.server.login("sales-a", USER_PASSWORD)
        a2 = self.server.login("sales-a", USER_PASSWORD)
        self.assertNotEqual(a1.csrf, a2.csrf)
        r = a1.post("/customers", customer_body("跨会话有限公司"),
                    headers={"X-CSRF-Token": a2.csrf})
        self.assertError(r, 403, "csrf_failed")

    def test_logout_ends_the_session(self):
        c = self.server.login("sales-b", USER_PASSWORD)
        old_cookie = dict(c.cookies)
        self.assertStatus(c.get("/auth/me"), 200)
        r = c.logout()
        self.assertStatus(r, 204, 200)
        cleared = " ".join(r.headers.get_all("Set-Cookie") or [])
        self.assertIn("kehu_session=", cleared)
        self.assertIn("max-age=0", cleared.lower())
        self.assertError(c.get("/auth/me"), 401)
        replay = Client(self.server)
        replay.cookies.update(old_cookie)
        self.assertError(replay.get("/customers"), 401)

    def test_logout_needs_csrf(self):
        c = self.server.login("sales-b", USER_PASSWORD)
        self.assertError(c.post("/auth/logout", csrf=False), 403, "csrf_failed")
        self.assertStatus(c.get("/auth/me"), 200)

    def test_disabling_a_user_ends_their_session(self):
        r = self.admin.post("/users", {"username": "temp-user", "display_name": "临时",
                                       "role": "sales", "password": USER_PASSWORD})
        self.assertStatus(r, 201)
        uid = r.json["id"]
        c = self.server.login("temp-user", USER_PASSWORD)
        self.assertStatus(c.get("/customers"), 200)
        self.assertStatus(self.admin.patch("/users/%d" % uid, {"disabled": True}, if_match=r),
                          200)
        self.assertError(c.get("/customers"), 401)
        self.assertError(Client(self.server).login("temp-user", USER_PASSWORD), 401)

    def test_password_change_ends_sessions(self):
        r = self.admin.post("/users", {"username": "pw-user", "display_name": "改密",
                                       "role": "sales", "password": USER_PASSWORD})
        self.assertStatus(r, 201)
        uid = r.json["id"]
        c = self.server.login("pw-user", USER_PASSWORD)
        other = self.server.login("pw-user", USER_PASSWORD)
        # own change needs the old password
        bad = c.post("/users/%d/password" % uid, {"old_password": "nope-nope",
                                                  "password": "New-Passw0rd!"})
        self.assertError(bad, 422, fields=("old_password",))
        short = c.post("/users/%d/password" % uid, {"old_password": USER_PASSWORD,
                                                    "password": "short"})
        self.assertError(short, 422, fields=("password",))
        ok = c.post("/users/%d/password" % uid, {"old_password": USER_PASSWORD,
                                                 "password": "New-Passw0rd!"})
        self.assertStatus(ok, 204, 200)
        self.assertError(other.get("/customers"), 401)
        self.assertError(Client(self.server).login("pw-user", USER_PASSWORD), 401)
        self.assertStatus(Client(self.server).login("pw-user", "New-Passw0rd!"), 200)

    def test_user_cannot_change_another_users_password(self):
        victim = self.org.users["sales_b"]["id"]
        c = self.org.client("sales_a")
        r = c.post("/users/%d/password" % victim, {"password": "Hijack-Passw0rd!"})
        self.assertError(r, 403)
        self.assertStatus(Client(self.server).login("sales-b", USER_PASSWORD), 200)

    def test_user_cannot_raise_own_role(self):
        me = self.org.users["sales_a"]["id"]
        c = self.org.client("sales_a")
        cur = self.assertStatus(c.get("/users/%d" % me), 200)
        r = c.patch("/users/%d" % me, {"role": "admin"}, if_match=cur)
        self.assertIn(r.status, (403, 422), r)
        r = c.patch("/users/%d" % me, {"scope": "all"}, if_match=cur)
        self.assertIn(r.status, (403, 422), r)
        again = self.assertStatus(self.admin.get("/users/%d" % me), 200)
        self.assertEqual(again.json["role"], "sales")
        self.assertEqual(again.json["scope"], "own")


    def test_role_and_scope_changes_apply_to_open_sessions(self):
        viewer = self.org.client("viewer")
        self.assertStatus(viewer.get("/customers"), 200)
        roles = {r["code"]: r for r in self.admin.get("/roles").json["items"]}
        keep = roles["viewer"]["permissions"]
        self.assertStatus(patch_role(self.admin, "viewer", {"permissions": []}), 200)
        try:
            self.assertError(viewer.get("/customers"), 403, "forbidden")
            self.assertError(viewer.get("/customers/%d" % self.org.owned["sales_a"][0]), 403)
        finally:
            self.assertStatus(patch_role(self.admin, "viewer", {"permissions": keep}), 200)
        self.assertStatus(viewer.get("/customers"), 200)
        # a user's own scope
        sb = self.org.client("sales_b")
        uid = self.org.users["sales_b"]["id"]
        other = self.org.owned["sales_a"][0]
        self.assertError(sb.get("/customers/%d" % other), 404)
        u = self.admin.get("/users/%d" % uid)
        u2 = self.assertStatus(self.admin.patch("/users/%d" % uid, {"scope": "dept"},
                                                if_match=u), 200)
        try:
            self.assertStatus(sb.get("/customers/%d" % other), 200)
        finally:
            self.assertStatus(self.admin.patch("/users/%d" % uid, {"scope": "own"},
                                               if_match=u2), 200)
        self.assertError(sb.get("/customers/%d" % other), 404)


class TokenTests(KehuTestCase):
    with_org = True

    def make_token(self, client, name="ci", days=30):
        r = client.post("/auth/tokens", {"name": name, "days": days})
        self.assertStatus(r, 201)
        self.assertIsInstance(r.json.get("token"), str)
        self.assertIsInstance(r.json.get("id"), int)
        return r.json

    def test_bearer_token_works_without_cookie_or_csrf(self):
        tok = self.make_token(self.org.client("sales_a"))
        bearer = Client(self.server).use_token(tok["token"])
        self.assertFalse(bearer.cookies)
        r = self.assertStatus(bearer.get("/customers", params={"limit": 500}), 200)
        seen = {c["id"] for c in r.json["items"]}
        self.assertEqual(seen & self.org.all_ids(), self.org.ids("sales_a"))
        self.assertEqual({c["owner"]["id"] for c in r.json["items"]},
                         {self.org.users["sales_a"]["id"]})
        created = bearer.post("/customers", customer_body("令牌创建有限公司"))
        self.assertStatus(created, 201)
        self.assertEqual(created.json["owner"]["id"], self.org.users["sales_a"]["id"])
        p = bearer.patch("/customers/%d" % created.json["id"], {"remarks": "via token"},
                         if_match=created)
        self.assertStatus(p, 200)
        me = self.assertStatus(bearer.get("/auth/me"), 200)
        self.assertEqual(me.json["user"]["username"], "sales-a")

    def test_token_list_does_not_reveal_secrets(self):
        c = self.org.client("sales_b")
        tok = self.make_token(c, "listing")
        r = self.assertStatus(c.get("/auth/tokens"), 200)
        self.assertIn(tok["id"], [t["id"] for t in r.json["items"]])
        self.assertNotIn(tok["token"], r.body.decode("utf-8"))

    def test_revoked_token_is_refused(self):
        c = self.org.client("sales_b")
        tok = self.make_token(c, "to-revoke")
        bearer = Client(self.server).use_token(tok["token"])
        self.assertStatus(bearer.get("/customers"), 200)
        self.assertStatus(c.delete("/auth/tokens/%d" % tok["id"]), 204, 200)
        self.assertError(bearer.get("/customers"), 401)
        # revoking twice or someone else's: 404
        self.assertError(c.delete("/auth/tokens/%d" % tok["id"]), 404)

    def test_users_cannot_revoke_each_others_tokens(self):
        tok = self.make_token(self.org.client("sales_a"), "mine")
        r = self.org.client("sales_b").delete("/auth/tokens/%d" % tok["id"])
        self.assertIn(r.status, (403, 404), r)
        self.assertStatus(Client(self.server).use_token(tok["token"]).get("/customers"), 200)

    def test_bad_tokens_and_schemes(self):
        for value in ("Bearer kh_" + "A" * 43, "Bearer nonsense", "Bearer ",
                      "Basic YWRtaW46eA==", "kh_" + "A" * 43):
            r = Client(self.server).get("/customers", headers={"Authorization": value})
            self.assertError(r, 401)
            self.assertTrue(r.headers.get("WWW-Authenticate"), r)

    def test_token_request_is_validated(self):
        c = self.org.client("sales_a")
        self.assertError(c.post("/auth/tokens", {"days": 10}), 422, fields=("name",))
        self.assertError(c.post("/auth/tokens", {"name": "x", "days": "ten"}), 422,
                         fields=("days",))
        self.assertError(c.post("/auth/tokens", {"name": "x", "days": -1}), 422,
                         fields=("days",))
        self.assertError(c.post("/auth/tokens", {"name": "x", "days": 100000000}), 422,
                         fields=("days",))
        self.assertError(c.post("/auth/tokens", {"name": "x" * 101, "days": 1}), 422,
                         fields=("name",))

    def test_token_creation_needs_csrf_with_cookie(self):
        c = self.org.client("sales_a")
        self.assertError(c.post("/auth/tokens", {"name": "x", "days": 1}, csrf=False), 403,
                         "csrf_failed")

    def test_token_carries_the_users_scope_and_permissions(self):
        tok = self.make_token(self.org.client("viewer"), "viewer-token")
        bearer = Client(self.server).use_token(tok["token"])
        r = self.assertStatus(bearer.get("/customers", params={"limit": 500}), 200)
        seen = {c["id"] for c in r.json["items"]}
        # other tests of this class may add customers of sales A: compare the org's
        self.assertEqual(seen & self.org.all_ids(), self.org.ids("sales_a", "sales_b"))
        self.assertEqual({c["department"]["name"] for c in r.json["items"]}, {"销售一部"})
        self.assertError(bearer.post("/customers", customer_body("只读令牌有限公司")), 403)
        self.assertError(bearer.get("/audit"), 403)

    def test_sales_cannot_mint_tokens_for_others(self):
        c = self.org.client("sales_a")
        r = c.post("/auth/tokens", {"name": "x", "days": 1, "user": "admin"})
        self.assertError(r, 403)

    def test_token_of_disabled_user_is_refused(self):
        r = self.admin.post("/users", {"username": "tok-user", "display_name": "令牌",
                                       "role": "sales", "password": USER_PASSWORD})
        self.assertStatus(r, 201)
        tok = self.make_token(self.server.login("tok-user", USER_PASSWORD), "t")
        bearer = Client(self.server).use_token(tok["token"])
        self.assertStatus(bearer.get("/customers"), 200)
        self.assertStatus(self.admin.patch("/users/%d" % r.json["id"], {"disabled": True},
                                           if_match=r), 200)
        self.assertError(bearer.get("/customers"), 401)


class LoginThrottleTests(KehuTestCase):
    """Failed logins are limited per user (5 in 15 min) and per client address (30)."""
    server_args = ("--trust-proxy", "127.0.0.1")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for name in ("victim", "bystander", "ip-victim"):
            r = cls.admin.post("/users", {"username": name, "display_name": name,
                                          "role": "sales", "password": USER_PASSWORD})
            assert r.status == 201, r

    def login_from(self, ip, username, password):
        return Client(self.server).post("/auth/login",
                                         {"username": username, "password": password},
                                         headers={"X-Real-IP": ip})

    def test_user_is_locked_after_repeated_failures(self):
        for i in range(5):
            r = self.login_from("10.1.0.%d" % (i + 1), "victim", "wrong-%d-password" % i)
            self.assertError(r, 401)
        # even the right password is refused now, from any address
        r = self.login_from("10.1.0.99", "victim", USER_PASSWORD)
        self.assertError(r, 429, "rate_limited")
        self.assertFalse(r.headers.get_all("Set-Cookie"))
        # other accounts are not affected
        self.assertStatus(self.login_from("10.1.0.99", "bystander", USER_PASSWORD), 200)
        # the failures are in the audit log
        a = self.assertStatus(self.admin.get("/audit", params={"action": "login_failed",
                                                               "limit": 100}), 200)
        mine = [e for e in a.json["items"]
                if (e.get("changes") or {}).get("username") == "victim"
                or e.get("username") == "victim"]
        self.assertGreaterEqual(len(mine), 5, a.json["items"][:3])

    def test_address_is_locked_after_many_failures(self):
        ip = "10.9.9.9"
        for i in range(30):
            r = self.login_from(ip, "nobody-%d" % i, "wrong-password")
            self.assertError(r, 401)
        r = self.login_from(ip, "ip-victim", USER_PASSWORD)
        self.assertError(r, 429, "rate_limited")
        self.assertStatus(self.login_from("10.9.9.10", "ip-victim", USER_PASSWORD), 200)

    def test_a_successful_login_clears_the_user_counter(self):
        for i in range(4):
            self.assertError(self.login_from("10.3.0.1", "bystander", "bad-%d-password" % i), 401)
        self.assertStatus(self.login_from("10.3.0.2", "bystander", USER_PASSWORD), 200)
        for i in range(4):
            self.assertError(self.login_from("10.3.0.3", "bystander", "bad-%d-again" % i), 401)
        self.assertStatus(self.login_from("10.3.0.4", "bystander", USER_PASSWORD), 200)

    def test_successful_login_is_audited(self):
        self.assertStatus(self.login_from("10.2.0.1", "bystander", USER_PASSWORD), 200)
        a = self.assertStatus(self.admin.get("/audit", params={"action": "login",
                                                               "user": "bystander"}), 200)
        self.assertTrue(a.json["items"], "no login entry for bystander")
        self.assertEqual(a.json["items"][0]["action"], "login")


class ForwardedAddressTests(KehuTestCase):
    """Without --trust-proxy, X-Real-IP must not let a client pick its address."""

    def test_spoofed_address_header_does_not_escape_the_address_limit(self):
        r = self.admin.post("/users", {"username": "spoof-victim", "display_name": "x",
                                       "role": "sales", "password": USER_PASSWORD})
        self.assertStatus(r, 201)
        for i in range(30):
            resp = Client(self.server).post("/auth/login", {"username": "guess-%d" % i,
                                                            "password": "wrong-password"},
                                            headers={"X-Real-IP": "10.7.0.%d" % (i + 1)})
            self.assertError(resp, 401)
        resp = Client(self.server).post("/auth/login", {"username": "spoof-victim",
                                                        "password": USER_PASSWORD},
                                        headers={"X-Real-IP": "10.7.1.1"})
        self.assertError(resp, 429, "rate_limited")


class SecureCookieTests(KehuTestCase):
    server_args = ("--secure-cookies",)

    def test_cookie_is_secure_when_asked(self):
        r = Client(self.server).login("admin", ADMIN_PASSWORD)
        self.assertStatus(r, 200)
        attrs = [a.strip().lower() for a in r.headers.get("Set-Cookie").split(";")]
        self.assertIn("secure", attrs)
        self.assertIn("httponly", attrs)
        self.assertIn("samesite=strict", attrs)


if __name__ == "__main__":
    unittest.main()


class AccountTakeoverTests(KehuTestCase):
    """A stolen session or a user manager must not be enough to take an account."""

    with_org = True

    def test_own_password_needs_the_current_one_even_for_an_admin(self):
        me = self.admin.get("/auth/me").json["user"]["id"]
        r = self.admin.post("/users/%d/password" % me, {"password": "Brand-new-pass-1"})
        self.assertError(r, 422, fields=("old_password",))
        # the old password still logs in
        self.assertStatus(Client(self.server).login("admin", ADMIN_PASSWORD), 200)

    def test_a_new_password_ends_sessions_and_tokens(self):
        u = self.admin.post("/users", {"username": "rotate-me", "display_name": "轮换",
                                       "role": "sales", "password": USER_PASSWORD})
        self.assertStatus(u, 201)
        c = Client(self.server)
        self.assertStatus(c.login("rotate-me", USER_PASSWORD), 200)
        tok = c.post("/auth/tokens", {"name": "script"}).json["token"]
        bearer = Client(self.server).use_token(tok)
        self.assertStatus(bearer.get("/customers"), 200)
        self.assertStatus(self.admin.post("/users/%d/password" % u.json["id"],
                                          {"password": "Other-pass-123"}), 204)
        self.assertError(bearer.get("/customers"), 401)
        self.assertError(c.get("/customers"), 401)

    def test_a_user_manager_cannot_take_over_an_administrator(self):
        mgr = self.org.client("mgr")
        role = self.admin.get("/roles").json["items"]
        cur = next(x for x in role if x["code"] == "manager")
        self.assertStatus(patch_role(self.admin, "manager",
                                     {"permissions": cur["permissions"] + ["user.manage"]}), 200)
        try:
            admin_id = self.admin.get("/auth/me").json["user"]["id"]
            self.assertError(mgr.post("/users/%d/password" % admin_id,
                                      {"password": "Taken-over-123"}), 403)
            self.assertError(mgr.post("/auth/tokens", {"name": "x", "user": "admin"}), 403)
            u = self.admin.get("/users/%d" % admin_id)
            self.assertError(mgr.patch("/users/%d" % admin_id, {"display_name": "x"},
                                       if_match=u.etag), 403)
            # a plain salesperson is fair game for a user manager
            sales = self.org.users["sales_b"]["id"]
            self.assertStatus(mgr.post("/users/%d/password" % sales,
                                       {"password": USER_PASSWORD}), 204)
        finally:
            self.assertStatus(patch_role(self.admin, "manager",
                                         {"permissions": cur["permissions"]}), 200)
