"""
Black-box tests of the administrative commands of the kehu CLI: users,
API tokens, dictionaries, the audit log, and (through a real `kehu serve`)
that the passwords and tokens the CLI sets are the ones that work.
"""
import json
import re
import unittest

try:
    from . import cli_util as u
except ImportError:  # run from inside tests/blackbox
    import cli_util as u

TOKEN = re.compile(r"[A-Za-z0-9_\-]{12,}")


def secrets_in(text, *ignore):
    """Password- or token-like words of text (not plain words)."""
    for s in ignore:
        text = text.replace(s, "")
    return [t for t in TOKEN.findall(text) if not re.fullmatch(r"[A-Z]?[a-z]+", t)]


class TestUsers(u.CliCase):
    def _user(self, name):
        users = {x["username"]: x for x in self.json("user", "list")["items"]}
        return users.get(name)

    def test_add_with_password_from_stdin(self):
        r = self.ok("user", "add", "zhang3", "--display_name", "张三", "--role", "sales",
                    "--department", "1", "--password-stdin", stdin="Zhang3-password\n")
        self.assertNotIn("Zhang3-password", r.out + r.err)
        self.assertEqual(secrets_in(r.out, self.db), [], r)
        x = self._user("zhang3")
        self.assertEqual((x["display_name"], x["role"]), ("张三", "sales"))
        self.assertFalse(x["disabled"])
        table = self.ok("user", "list").out
        self.assertIn("zhang3", table)
        self.assertTableAligned(table)
        show = self.ok("user", "show", "zhang3", lang="en").out
        self.assertIn("张三", show)
        self.assertNotIn("password", show.lower())

    def test_add_with_generated_password(self):
        r = self.ok("user", "add", "li4", "--display_name", "李四", "--role", "viewer")
        found = secrets_in(r.out, self.db)
        self.assertEqual(len(found), 1, "one generated password expected:\n%r" % r)
        self.assertEqual(r.out.count(found[0]), 1)
        self.assertNotIn(found[0], r.err)
        self.assertNotIn(found[0], self.ok("user", "show", "li4").out)
        self.assertNotIn(found[0], self.ok("user", "list", fmt="json").out)

    def test_add_validation(self):
        r = self.fails(u.EXIT_INVALID, "user", "add", "norole", "--display_name", "无角色")
        self.assertIn("role", r.err)
        r = self.fails(u.EXIT_INVALID, "user", "add", "badrole", "--display_name", "坏角色",
                       "--role", "wizard")
        self.assertIn("role", r.err)
        r = self.fails(u.EXIT_INVALID, "user", "add", "shortpw", "--display_name", "短密码",
                       "--role", "sales", "--password-stdin", stdin="short\n")
        self.assertIn("password", r.err)
        self.fails(u.EXIT_USAGE, "user", "add", "nopw", "--display_name", "无密码", "--role",
                   "sales", "--password-stdin", stdin="")
        self.fails(u.EXIT_USAGE, "user", "add")
        for name in ("norole", "badrole", "shortpw", "nopw"):
            self.assertIsNone(self._user(name))

    def test_password_is_never_an_argument(self):
        r = self.kehu("user", "add", "argpw", "--display_name", "参数密码", "--role", "sales",
                      "--password", "Secret-in-argv-1")
        self.assertIn(r.rc, (u.EXIT_USAGE, u.EXIT_INVALID), r)
        self.assertIn("password", r.err)
        self.assertIsNone(self._user("argpw"))

    def test_duplicate_username_is_a_conflict(self):
        self.ok("user", "add", "dupuser", "--display_name", "重复", "--role", "sales")
        r = self.fails(u.EXIT_CONFLICT, "user", "add", "dupuser", "--display_name", "重复2",
                       "--role", "sales")
        self.assertIn("dupuser", r.err)

    def test_passwd(self):
        self.ok("user", "add", "wang5", "--display_name", "王五", "--role", "sales")
        r = self.ok("user", "passwd", "wang5", "--password-stdin", stdin="New-password-55\n")
        self.assertNotIn("New-password-55", r.out + r.err)
        self.fails(u.EXIT_USAGE, "user", "passwd", "wang5", "--password-stdin", stdin="")
        r = self.fails(u.EXIT_INVALID, "user", "passwd", "wang5", "--password-stdin",
                       stdin="short\n")
        self.assertIn("password", r.err)
        self.fails(u.EXIT_NOT_FOUND, "user", "passwd", "nobody", "--password-stdin",
                   stdin="New-password-55\n")

    def test_disable_and_enable(self):
        self.ok("user", "add", "zhao6", "--display_name", "赵六", "--role", "sales")
        self.ok("customer", "list", as_user="zhao6")
        self.ok("user", "disable", "zhao6")
        self.assertTrue(self._user("zhao6")["disabled"])
        r = self.fails(u.EXIT_AUTH, "customer", "list", as_user="zhao6")
        self.assertEqual(r.out, "")
        self.fails(u.EXIT_AUTH, *self.customer_args("禁用用户公司"), as_user="zhao6")
        self.fails(u.EXIT_AUTH, "customer", "list", env={"KEHU_USER": "zhao6"})
        self.ok("user", "enable", "zhao6")
        self.assertFalse(self._user("zhao6")["disabled"])
        self.ok("customer", "list", as_user="zhao6")
        self.fails(u.EXIT_NOT_FOUND, "user", "disable", "nobody")

    def test_only_an_administrator_manages_users(self):
        self.ok("user", "add", "sun7", "--display_name", "孙七", "--role", "sales")
        self.fails(u.EXIT_FORBIDDEN, "user", "add", "zhou8", "--display_name", "周八", "--role",
                   "admin", as_user="sun7")
        self.fails(u.EXIT_FORBIDDEN, "user", "disable", "admin", as_user="sun7")
        self.fails(u.EXIT_FORBIDDEN, "user", "passwd", "admin", "--password-stdin",
                   stdin="Hijack-password-1\n", as_user="sun7")
        self.assertIsNone(self._user("zhou8"))

    def test_edit_with_version(self):
        self.ok("user", "add", "wu9", "--display_name", "吴九", "--role", "sales")
        v = self.json("user", "show", "wu9")["version"]
        r = self.fails(u.EXIT_CONFLICT, "user", "edit", "wu9", "--display_name", "吴九九")
        self.assertRegex(r.err, r"(?<!\d)%d(?!\d)" % v)
        self.ok("user", "edit", "wu9", "--if-version", v, "--display_name", "吴九九")
        self.assertEqual(self.json("user", "show", "wu9")["display_name"], "吴九九")
        self.fails(u.EXIT_CONFLICT, "user", "edit", "wu9", "--if-version", v, "--display_name",
                   "过期修改")
        self.assertEqual(self.json("user", "show", "wu9")["display_name"], "吴九九")


class TestTokens(u.CliCase):
    def test_create_prints_the_token_once(self):
        r = self.ok("token", "create", "--name", "nightly-export")
        lines = r.out.splitlines()
        self.assertEqual(len(lines), 1, r)
        token = lines[0].strip()
        self.assertGreaterEqual(len(token), 20)
        self.assertNotIn(token, r.err)
        self.assertTrue(r.err.strip(), "no 'shown only once' note on stderr")
        for fmt in (None, "csv", "json"):
            out = self.ok("token", "list", fmt=fmt).out
            self.assertIn("nightly-export", out)
            self.assertNotIn(token, out)
            self.assertNotIn(token[-12:], out)
        self.assertNotIn(token, json.dumps(self.json("audit", "--limit", "500"),
                                           ensure_ascii=False))

    def test_create_as_json(self):
        t = self.json("token", "create", "--name", "json-token")
        self.assertEqual(set(t), {"id", "token"})
        self.assertIsInstance(t["id"], int)
        self.assertNotIn(t["token"], self.ok("token", "list").out)

    def test_list_as_json(self):
        self.ok("token", "create", "--name", "listed")
        page = self.json("token", "list")
        self.assertIn("items", page)
        self.assertIn("listed", [t["name"] for t in page["items"]])

    def test_revoke(self):
        t = self.json("token", "create", "--name", "to-revoke")
        self.ok("token", "revoke", t["id"])
        self.assertNotIn("to-revoke", self.ok("token", "list").out)
        self.fails(u.EXIT_NOT_FOUND, "token", "revoke", t["id"])
        self.fails(u.EXIT_USAGE, "token", "revoke")
        self.fails(u.EXIT_USAGE, "token", "revoke", "abc")

    def test_create_validation(self):
        r = self.fails(u.EXIT_INVALID, "token", "create")
        self.assertIn("name", r.err)
        self.fails(u.EXIT_USAGE, "token", "create", "--name", "x", "--days", "soon")
        r = self.kehu("token", "create", "--name", "x", "--user", "nobody")
        self.assertIn(r.rc, (u.EXIT_NOT_FOUND, u.EXIT_INVALID), r)
        self.assertIn("nobody", r.err)
        self.assertEqual(r.out, "")

    def test_for_another_user_needs_user_manage(self):
        self.ok("user", "add", "tokuser", "--display_name", "令牌用户", "--role", "sales")
        self.ok("token", "create", "--name", "own", as_user="tokuser")
        self.fails(u.EXIT_FORBIDDEN, "token", "create", "--name", "other", "--user", "admin",
                   as_user="tokuser")
        self.ok("token", "create", "--name", "for-tokuser", "--user", "tokuser")


class TestDictionaries(u.CliCase):
    def _options(self, kind, retired=False):
        args = ["dict", "list", kind] + (["--retired"] if retired else [])
        return {o["code"]: o for o in self.json(*args)["items"]}

    def test_kinds(self):
        r = self.ok("dict", "kinds")
        for k in ("industry", "source", "customer_status", "customer_kind", "region", "tag"):
            self.assertIn(k, r.out)
        self.assertTableAligned(r.out)
        self.assertIn("Industry", self.ok("dict", "kinds", lang="en").out)

    def test_kinds_as_json(self):
        page = self.json("dict", "kinds")
        self.assertIn("items", page)

    def test_list(self):
        opts = self._options("industry")
        self.assertEqual(opts["manufacturing"]["label_zh"], "制造业")
        self.assertEqual(opts["manufacturing"]["label_en"], "Manufacturing")
        self.assertFalse(opts["manufacturing"]["retired"])
        table = self.ok("dict", "list", "industry").out
        self.assertIn("制造业", table)
        self.assertTableAligned(table)
        rows = u.parse_csv(self.ok("dict", "list", "industry", fmt="csv").out)
        self.assertTrue(all(len(r) == len(rows[0]) for r in rows))
        statuses = self._options("customer_status")
        for code in ("potential", "intent", "active", "paused", "lost"):
            self.assertIn(code, statuses)

    def test_list_items_carry_their_version(self):
        # `dict edit` needs --if-version: the list must give it, as the API does
        for o in self.json("dict", "list", "industry")["items"]:
            self.assertIn("version", o)

    def test_add_edit(self):
        r = self.ok("dict", "add", "industry", "aerospace", "--zh", "航空航天", "--en",
                    "Aerospace", "--order", "150")
        oid = int(re.search(r"\d+", r.out).group(0))
        o = self._options("industry")["aerospace"]
        self.assertEqual((o["id"], o["label_zh"], o["sort_order"]), (oid, "航空航天", 150))
        for typed in ("aerospace", "航空航天", "Aerospace"):
            c = self.add_customer("航天客户" + typed, industry=typed)
            self.assertEqual(c["industry"]["code"], "aerospace")
        r = self.fails(u.EXIT_CONFLICT, "dict", "edit", oid, "--zh", "航空航天业")
        self.assertRegex(r.err, r"(?<!\d)1(?!\d)")
        self.ok("dict", "edit", oid, "--if-version", "1", "--zh", "航空航天业")
        self.assertEqual(self._options("industry")["aerospace"]["label_zh"], "航空航天业")
        self.fails(u.EXIT_CONFLICT, "dict", "edit", oid, "--if-version", "1", "--zh", "过期")
        # the customers show the new label
        self.assertIn("航空航天业", self.ok("customer", "list", "--industry", "aerospace").out)

    def test_add_validation(self):
        r = self.fails(u.EXIT_INVALID, "dict", "add", "industry", "no_en", "--zh", "只有中文")
        self.assertIn("label_en", r.err)
        self.fails(u.EXIT_USAGE, "dict", "add", "industry")
        self.fails(u.EXIT_USAGE, "dict", "add", "industry", "bad_order", "--zh", "甲", "--en",
                   "A", "--order", "first")
        r = self.kehu("dict", "add", "no_such_kind", "x", "--zh", "甲", "--en", "A")
        self.assertIn(r.rc, (u.EXIT_INVALID, u.EXIT_NOT_FOUND), r)

    def test_duplicate_code_is_a_conflict(self):
        self.ok("dict", "add", "industry", "dupcode", "--zh", "重复甲", "--en", "Dup A")
        r = self.fails(u.EXIT_CONFLICT, "dict", "add", "industry", "dupcode", "--zh", "重复乙",
                       "--en", "Dup B")
        self.assertIn("dupcode", r.err)

    def test_only_dictionary_managers_change_options(self):
        self.ok("user", "add", "dictsales", "--display_name", "字典销售", "--role", "sales")
        self.fails(u.EXIT_FORBIDDEN, "dict", "add", "industry", "sneaky", "--zh", "偷加",
                   "--en", "Sneaky", as_user="dictsales")
        oid = self._options("industry")["retail"]["id"]
        self.fails(u.EXIT_FORBIDDEN, "dict", "retire", oid, as_user="dictsales")
        self.assertNotIn("sneaky", self._options("industry", retired=True))

    def test_retire_and_unretire(self):
        self.ok("dict", "add", "industry", "textiles", "--zh", "纺织服装", "--en", "Textiles")
        oid = self._options("industry")["textiles"]["id"]
        old = self.add_customer("老纺织厂有限公司", industry="纺织服装")
        self.ok("dict", "retire", oid)
        self.assertNotIn("textiles", self._options("industry"))
        retired = self._options("industry", retired=True)["textiles"]
        self.assertTrue(retired["retired"])
        # not offered for new customers, by code or by label
        for typed in ("textiles", "纺织服装", "Textiles"):
            with self.subTest(typed=typed):
                r = self.fails(u.EXIT_INVALID, *self.customer_args("新纺织厂", industry=typed))
                self.assertIn("industry", r.err)
        # nor when another customer is edited to it
        other = self.add_customer("别的工厂有限公司", industry="manufacturing")
        self.fails(u.EXIT_INVALID, "customer", "edit", other["id"], "--if-version", "1",
                   "--industry", "textiles")
        # still shown on the old customer, everywhere
        c = self.customer(old["id"])
        self.assertEqual(c["industry"], {"code": "textiles", "zh": "纺织服装", "en": "Textiles"})
        self.assertIn("纺织服装", self.ok("customer", "show", old["id"]).out)
        self.assertIn("Textiles", self.ok("customer", "show", old["id"], lang="en").out)
        self.assertIn("纺织服装", self.ok("customer", "list", "--q", "老纺织厂").out)
        # and an unrelated edit of the old customer keeps it
        self.ok("customer", "edit", old["id"], "--if-version", "1", "--remarks", "还在合作")
        self.assertEqual(self.customer(old["id"])["industry"]["code"], "textiles")
        self.ok("dict", "unretire", oid)
        self.assertIn("textiles", self._options("industry"))
        self.add_customer("新纺织厂有限公司", industry="textiles")
        self.fails(u.EXIT_NOT_FOUND, "dict", "retire", "999999")


class TestAudit(u.CliCase):
    def test_create_update_delete_with_who(self):
        self.ok("user", "add", "auditsales", "--display_name", "审计销售", "--role", "sales")
        c = self.add_customer("审计测试有限公司", as_user="auditsales")
        self.ok("customer", "edit", c["id"], "--if-version", "1", "--status", "intent",
                as_user="auditsales")
        self.ok("customer", "rm", c["id"], "--if-version", "2")
        page = self.json("audit", "--entity", "customer", "--entity_id", c["id"])
        self.assertEqual(set(page), {"items", "next"})
        rows = sorted(page["items"], key=lambda r: r["id"])
        self.assertEqual([(r["action"], r["username"]) for r in rows],
                         [("create", "auditsales"), ("update", "auditsales"),
                          ("delete", "admin")])
        for r in rows:
            self.assertEqual((r["entity"], r["entity_id"]), ("customer", c["id"]))
            self.assertEqual(r["origin"], "cli")
            self.assertRegex(r["at"], r"^\d{4}-\d\d-\d\dT")
        changes = json.dumps(rows[1]["changes"], ensure_ascii=False)
        self.assertIn("status", changes)
        self.assertIn("potential", changes)
        self.assertIn("intent", changes)
        self.assertNotIn("name", [ch.get("field") for ch in rows[1]["changes"]]
                         if isinstance(rows[1]["changes"], list) else [])
        table = self.ok("audit", "--entity", "customer", "--entity_id", c["id"]).out
        self.assertTableAligned(table)
        for word in ("create", "update", "delete", "auditsales", "admin"):
            self.assertIn(word, table)
        by_user = self.json("audit", "--user", "auditsales", "--limit", "500")["items"]
        self.assertTrue(by_user)
        self.assertTrue(all(r["username"] == "auditsales" for r in by_user))

    def test_audit_needs_the_permission(self):
        self.ok("user", "add", "noaudit", "--display_name", "无审计", "--role", "sales")
        self.fails(u.EXIT_FORBIDDEN, "audit", as_user="noaudit")

    def test_audit_paging(self):
        for i in range(4):
            self.add_customer("审计分页%d有限公司" % i)
        first = self.json("audit", "--limit", "2")
        self.assertEqual(len(first["items"]), 2)
        self.assertTrue(first["next"])
        second = self.json("audit", "--limit", "2", "--after", first["next"])
        self.assertEqual(len(second["items"]), 2)
        a = [r["id"] for r in first["items"]]
        b = [r["id"] for r in second["items"]]
        self.assertLess(max(b), min(a))


class TestCredentialsOverHTTP(u.CliCase):
    """The passwords and tokens the CLI sets are the ones a login accepts."""

    INIT = False
    ADMIN_PW = "Admin-from-stdin-1"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = None
        try:
            for args, stdin in ((["init", "--admin-password-stdin"], cls.ADMIN_PW + "\n"),
                                (["init", "--admin-password-stdin"], "Second-init-pass-2\n")):
                r = u.run_kehu(cls.db, args, stdin=stdin)
                if r.rc != 0:
                    raise AssertionError(repr(r))
            r = u.run_kehu(cls.db, ["demo", "--customers", "5"])
            if r.rc != 0:
                raise AssertionError(repr(r))
            cls.demo_password = secrets_in(r.out, cls.db)[-1]
            cls.server = u.Server(cls.db)
        except BaseException:
            super().tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.server:
                cls.server.stop()
        finally:
            super().tearDownClass()

    def me(self, token):
        status, body = self.server.request("GET", "/api/v1/auth/me", token=token)
        return status, (body or {}).get("user", {}).get("username") if status == 200 else None

    def test_admin_password_from_init(self):
        self.assertEqual(self.server.login("admin", self.ADMIN_PW), 200)
        # the second init changed nothing
        self.assertEqual(self.server.login("admin", "Second-init-pass-2"), 401)

    def test_demo_password(self):
        self.assertEqual(self.server.login("lina", self.demo_password), 200)

    def test_demo_again_prints_a_password_that_works(self):
        r = self.kehu("demo", "--customers", "2", "--seed", "99")
        self.assertEqual(r.rc, 0, r)
        printed = secrets_in(r.out, self.db)
        if printed:  # if it names a password, that password must log in
            self.assertEqual(self.server.login("wangfang", printed[-1]), 200,
                             "demo printed %r, which does not log in:\n%r" % (printed[-1], r))

    def test_user_password_from_stdin_and_passwd(self):
        self.ok("user", "add", "webuser", "--display_name", "网页用户", "--role", "sales",
                "--password-stdin", stdin="First-password-1\n")
        self.assertEqual(self.server.login("webuser", "First-password-1"), 200)
        self.ok("user", "passwd", "webuser", "--password-stdin", stdin="Second-password-2\n")
        self.assertEqual(self.server.login("webuser", "Second-password-2"), 200)
        self.assertEqual(self.server.login("webuser", "First-password-1"), 401)

    def test_generated_password_logs_in(self):
        r = self.ok("user", "add", "genuser", "--display_name", "生成密码", "--role", "viewer")
        pw = secrets_in(r.out, self.db)
        self.assertEqual(len(pw), 1, r)
        self.assertEqual(self.server.login("genuser", pw[0]), 200)

    def test_disabled_user_cannot_log_in(self):
        self.ok("user", "add", "disuser", "--display_name", "禁用", "--role", "sales",
                "--password-stdin", stdin="Disabled-pass-1\n")
        t = self.json("token", "create", "--name", "dis-token", "--user", "disuser")
        self.assertEqual(self.me(t["token"]), (200, "disuser"))
        self.ok("user", "disable", "disuser")
        self.assertIn(self.server.login("disuser", "Disabled-pass-1"), (401, 403))
        self.assertIn(self.me(t["token"])[0], (401, 403))
        self.ok("user", "enable", "disuser")
        self.assertEqual(self.server.login("disuser", "Disabled-pass-1"), 200)

    def test_token_works_until_revoked(self):
        token = self.ok("token", "create", "--name", "http-token").out.strip()
        self.assertEqual(self.me(token), (200, "admin"))
        t = self.json("token", "create", "--name", "lina-token", "--user", "lina")
        self.assertEqual(self.me(t["token"]), (200, "lina"))
        self.ok("token", "revoke", t["id"])
        self.assertEqual(self.me(t["token"])[0], 401)
        self.assertEqual(self.me(token), (200, "admin"))

if __name__ == "__main__":
    unittest.main()
