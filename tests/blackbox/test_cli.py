"""
Black-box tests of the kehu CLI: global options, exit codes, init, demo,
database selection, languages, serve's argument checks.

Run: python3 -m unittest discover -s tests/blackbox -t . -p 'test_*.py'
with KEHU_BIN pointing at the binary (default /work/main/build/kehu).
"""
import json
import os
import re
import socket
import unittest

try:
    from . import cli_util as u
except ImportError:  # run from inside tests/blackbox
    import cli_util as u


class TestUsageAndExitCodes(u.CliCase):
    def test_no_arguments_is_a_usage_error(self):
        r = self.kehu()
        self.assertEqual(r.rc, u.EXIT_USAGE, r)
        self.assertEqual(r.out, "")
        self.assertIn("kehu", r.err)
        self.assertIn("customer", r.err)

    def test_help_lists_the_commands(self):
        r = self.ok("help")
        for cmd in ("init", "serve", "demo", "customer", "contact", "user", "token", "dict",
                    "audit"):
            self.assertRegex(r.out, r"(?m)^\s+%s\s" % cmd)

    def test_help_names_subcommands_as_typed_in_both_languages(self):
        """The zh summary of each command lists its subcommands by the names one
        types (kehu visit daily, not 日报), as the en summary does."""
        def summaries(lang):
            out = self.ok("help", lang=lang).out
            return {m.group(1): m.group(2) for m in
                    re.finditer(r"(?m)^  ([a-z-]+)\s+(.*)$", out)}
        en, zh = summaries("en"), summaries("zh")
        self.assertEqual(set(en), set(zh))
        for cmd, text in en.items():
            if ":" not in text:
                continue
            words = set(re.findall(r"[a-z]+", re.sub(r"\([^)]*\)", "", text.split(":", 1)[1])))
            words -= {"report"}  # "daily report": the subcommand is daily
            with self.subTest(cmd=cmd):
                self.assertEqual(words - set(re.findall(r"[a-z]+", zh[cmd])), set(), zh[cmd])

    def test_version(self):
        r = self.ok("--version")
        self.assertRegex(r.out, r"^kehu \d+\.\d+")

    def test_unknown_command(self):
        r = self.fails(u.EXIT_USAGE, "frobnicate")
        self.assertIn("frobnicate", r.err)
        self.assertEqual(r.out, "")

    def test_unknown_subcommand(self):
        for args in (["user", "frob", "admin"], ["token", "frob"], ["dict", "frob", "1"],
                     ["customer", "frob", "1"], ["contact", "frob", "1"]):
            with self.subTest(args=args):
                r = self.fails(u.EXIT_USAGE, *args)
                self.assertIn("frob", r.err)

    def test_unknown_option(self):
        for args in (["init", "--bogus"], ["demo", "--bogus", "1"],
                     ["customer", "show", "1", "--bogus"],
                     ["customer", "rm", "1", "--if-version", "1", "--bogus", "1"],
                     ["token", "create", "--name", "x", "--bogus", "1"],
                     ["dict", "add", "industry", "x", "--zh", "甲", "--en", "A", "--bogus", "1"],
                     ["serve", "--bogus", "1"]):
            with self.subTest(args=args):
                r = self.fails(u.EXIT_USAGE, *args)
                self.assertIn("bogus", r.err)

    def test_unknown_option_of_customer_list(self):
        # a mistyped filter must not be a silent "validation" of data: exit 2
        r = self.fails(u.EXIT_USAGE, "customer", "list", "--industri", "制造业")
        self.assertIn("industri", r.err)

    def test_unknown_option_of_customer_add(self):
        r = self.fails(u.EXIT_USAGE, *self.customer_args("选项测试", bogus_option="1"))
        self.assertIn("bogus_option", r.err)

    def test_unknown_option_of_user_passwd_is_not_ignored(self):
        # "--password X" is not an option (passwords are never arguments); the
        # command must refuse it rather than silently take stdin's password
        r = self.kehu("user", "passwd", "admin", "--password", "hunter2-hunter2",
                      stdin="Another-pass-123\n")
        self.assertEqual(r.rc, u.EXIT_USAGE, r)
        self.assertIn("password", r.err)

    def test_option_needs_a_value(self):
        r = self.fails(u.EXIT_USAGE, "customer", "list", "--limit")
        self.assertIn("limit", r.err)
        r = self.kehu("--db", use_db_option=False)
        self.assertEqual(r.rc, u.EXIT_USAGE, r)

    def test_bad_format(self):
        r = self.fails(u.EXIT_USAGE, "customer", "list", fmt="xml")
        self.assertIn("--format", r.err)

    def test_bad_lang(self):
        self.fails(u.EXIT_USAGE, "customer", "list", lang="fr")

    def test_global_options_anywhere(self):
        a = json.loads(self.ok("customer", "list", "--format", "json", "--limit", "1").out)
        b = json.loads(self.ok("customer", "list", "--limit", "1", "--format=json").out)
        self.assertEqual(set(a), {"items", "next"})
        self.assertEqual(a, b)

    def test_not_found_is_3(self):
        r = self.fails(u.EXIT_NOT_FOUND, "customer", "show", "987654")
        self.assertIn("987654", r.err)
        self.fails(u.EXIT_NOT_FOUND, "user", "show", "nobody")
        self.fails(u.EXIT_NOT_FOUND, "token", "revoke", "987654")

    def test_bad_id_is_usage(self):
        self.fails(u.EXIT_USAGE, "customer", "show", "abc")
        self.fails(u.EXIT_USAGE, "customer", "show", "-1")
        self.fails(u.EXIT_USAGE, "customer", "show")


class TestDatabaseSelection(u.CliCase):
    def test_db_from_environment(self):
        r = self.kehu("user", "list", use_db_option=False, env={"KEHU_DB": self.db}, fmt="json")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("admin", [x["username"] for x in json.loads(r.out)["items"]])

    def test_db_option_wins_over_environment(self):
        other = os.path.join(self.tmp, "other.db")
        r = self.kehu("user", "list", env={"KEHU_DB": other}, fmt="json")
        self.assertEqual(r.rc, 0, r)

    def test_uninitialised_database(self):
        other = os.path.join(self.tmp, "empty.db")
        r = self.fails(u.EXIT_USAGE, "customer", "list", db=other)
        self.assertIn("init", r.err)
        self.assertIn(other, r.err)

    def test_unknown_user(self):
        r = self.fails(u.EXIT_AUTH, "customer", "list", as_user="nobody")
        self.assertIn("nobody", r.err)

    def test_user_from_environment(self):
        r = self.kehu("customer", "list", env={"KEHU_USER": "nobody"})
        self.assertEqual(r.rc, u.EXIT_AUTH, r)
        # --as beats KEHU_USER
        r = self.kehu("customer", "list", env={"KEHU_USER": "nobody"}, as_user="admin")
        self.assertEqual(r.rc, 0, r)


class TestInit(u.CliCase):
    INIT = False
    TOKEN = re.compile(r"[A-Za-z0-9_\-]{12,}")

    def _db(self, name):
        return u.dbs.new_database(self.tmp, name)

    def _tokens(self, text, db):
        """Password-like words (not plain words such as "Administrator")."""
        return [t for t in self.TOKEN.findall(text.replace(db, ""))
                if not re.fullmatch(r"[A-Z]?[a-z]+", t)]

    def _state(self, db):
        users = self.json("user", "list", db=db)
        dicts = self.json("dict", "list", "--retired", db=db)
        roles = self.json("role", "list", db=db)
        audit = self.json("audit", "--limit", "500", db=db)
        return users, dicts, roles, audit

    def test_generated_password_is_printed_once(self):
        db = self._db("gen.db")
        r = self.ok("init", db=db)
        if not u.dbs.on_postgresql():
            self.assertTrue(os.path.exists(db))
        toks = self._tokens(r.out, db)
        self.assertEqual(len(toks), 1, "one generated password expected:\n%r" % r)
        pw = toks[0]
        self.assertEqual(r.out.count(pw), 1)
        self.assertNotIn(pw, r.err)
        self.assertIn("admin", r.out)
        # running again says the database is ready and prints no password
        r2 = self.ok("init", db=db)
        self.assertNotIn(pw, r2.out + r2.err)
        self.assertEqual(self._tokens(r2.out, db), [], r2)

    def test_running_twice_changes_nothing(self):
        db = self._db("twice.db")
        self.ok("init", db=db)
        before = self._state(db)
        r = self.ok("init", "--admin-password-stdin", db=db, stdin="Changed-password-1\n")
        self.assertEqual(self._tokens(r.out, db), [])
        after = self._state(db)
        self.assertEqual(before, after)
        self.assertEqual([x["username"] for x in after[0]["items"]], ["admin"])

    def test_password_from_stdin_is_not_printed(self):
        db = self._db("stdin.db")
        r = self.ok("init", "--admin-password-stdin", db=db, stdin="Stdin-admin-pass-7\n")
        self.assertNotIn("Stdin-admin-pass-7", r.out + r.err)
        self.assertEqual(self._tokens(r.out, db), [], r)
        users = self.json("user", "list", db=db)["items"]
        admin = [x for x in users if x["username"] == "admin"]
        self.assertEqual(len(admin), 1)
        self.assertEqual(admin[0]["role"], "admin")

    def test_short_password_refused(self):
        db = self._db("short.db")
        r = self.fails(u.EXIT_INVALID, "init", "--admin-password-stdin", db=db, stdin="short\n")
        self.assertIn("password", r.err)
        self.assertNotIn("short", r.out)
        # a failed init leaves no half-made administrator; init can be run again
        self.ok("init", "--admin-password-stdin", db=db, stdin="Long-enough-pass-1\n")

    def test_no_password_on_stdin(self):
        db = self._db("empty-stdin.db")
        self.fails(u.EXIT_USAGE, "init", "--admin-password-stdin", db=db, stdin="")

    def test_password_is_never_an_argument(self):
        db = self._db("arg.db")
        r = self.fails(u.EXIT_USAGE, "init", "--admin-password", "Secret-pass-123", db=db)
        self.assertIn("admin-password", r.err)

    def test_init_creates_dictionaries_and_roles(self):
        db = self._db("dicts.db")
        self.ok("init", db=db)
        kinds = self.ok("dict", "kinds", db=db, lang="en").out
        for k in ("industry", "source", "customer_status", "customer_kind"):
            self.assertIn(k, kinds)
        roles = [x["code"] for x in self.json("role", "list", db=db)["items"]]
        for r in ("admin", "manager", "sales", "service", "finance", "viewer"):
            self.assertIn(r, roles)


class TestDemo(u.CliCase):
    def test_1_demo_50(self):
        r = self.ok("demo", "--customers", "50")
        self.assertIn("50", r.out)
        # the demo's customers are owned, or (a few that went quiet) in the pool
        owned = self.list_all()
        pooled = self.list_all("--view", "pool")
        items = owned + pooled
        self.assertEqual(len(items), 50)
        for c in items:
            self.assertTrue(c["name"])
            self.assertCJK(c["name"])
            self.assertIsNotNone(c["status"])
        for c in owned:
            self.assertIsNotNone(c["owner"])
        for c in pooled:
            self.assertIsNone(c["owner"])
            self.assertIsNotNone(self.json("customer", "show", c["id"])["previous_owner"])
        self.assertEqual(len(set(c["code"] for c in items)), 50)
        users = {x["username"]: x for x in self.json("user", "list")["items"]}
        for name, role in (("zhangwei", "manager"), ("lina", "sales"), ("zhaolei", "service"),
                           ("sunli", "finance"), ("zhoumin", "viewer")):
            self.assertIn(name, users)
            self.assertEqual(users[name]["role"], role)
        # most demo customers have a primary contact with a phone
        with_phone = [c for c in items if c.get("primary_contact")]
        self.assertGreater(len(with_phone), 40)

    def test_2_demo_again_adds_more(self):
        # a second run adds more customers (it must not trip over its own data)
        r = self.kehu("demo", "--customers", "5")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(len(self.list_all()) + len(self.list_all("--view", "pool")), 55)

    def test_bad_count(self):
        for n in ("0", "abc", "-5", "99999999999"):
            with self.subTest(n=n):
                self.fails(u.EXIT_USAGE, "demo", "--customers", n)


class TestLanguages(u.CliCase):
    """zh-CN by default; en with --lang en or an English locale. Chinese is
    checked loosely (the catalogue is still being written)."""

    def test_error_english_with_lang_en(self):
        r = self.fails(u.EXIT_NOT_FOUND, "customer", "show", "4242", lang="en")
        self.assertNoCJK(r.err)
        self.assertIn("4242", r.err)
        self.assertIn("not found", r.err.lower())

    def test_error_chinese_by_default(self):
        r = self.fails(u.EXIT_NOT_FOUND, "customer", "show", "4242")
        self.assertIn("4242", r.err)
        self.assertCJK(r.err)

    def test_validation_names_fields_in_english(self):
        r = self.fails(u.EXIT_INVALID, "customer", "add", "--name", "缺字段公司", lang="en")
        for f in ("source", "status", "first_contact_date", "requirement"):
            self.assertIn(f, r.err)
        self.assertNotIn("name:", r.err)
        # the messages themselves are English (the value typed may be Chinese)
        for line in r.err.splitlines():
            self.assertNoCJK(line)

    def test_validation_names_fields_in_chinese(self):
        r = self.fails(u.EXIT_INVALID, "customer", "add", "--name", "缺字段公司")
        for f in ("source", "status", "first_contact_date", "requirement"):
            self.assertIn(f, r.err)
            line = [l for l in r.err.splitlines() if f in l][0]
            self.assertCJK(line, "message of %s not in Chinese: %r" % (f, line))

    def test_usage_error_chinese_by_default(self):
        r = self.fails(u.EXIT_USAGE, "frobnicate")
        self.assertCJK(r.err)
        self.assertIn("frobnicate", r.err)

    def test_help_chinese_by_default(self):
        self.assertCJK(self.ok("help").out)
        out = self.ok("help", lang="en").out
        self.assertNoCJK(out)

    def test_locale_from_environment(self):
        r = self.kehu("customer", "show", "4242", env={"LANG": "en_US.UTF-8"})
        self.assertEqual(r.rc, u.EXIT_NOT_FOUND, r)
        self.assertNoCJK(r.err)
        # --lang beats the environment
        r = self.kehu("customer", "show", "4242", env={"LANG": "en_US.UTF-8"}, lang="zh-CN")
        self.assertCJK(r.err)

    def test_table_headers_follow_lang(self):
        self.add_customer("语言测试有限公司", industry="manufacturing")
        en = self.ok("customer", "list", lang="en").out.splitlines()[0]
        self.assertIn("Customer name", en)
        self.assertNoCJK(en)
        zh = self.ok("customer", "list").out.splitlines()[0]
        self.assertNotEqual(zh, en)
        self.assertCJK(zh)
        # dictionary values follow the language too
        self.assertIn("Manufacturing", self.ok("customer", "list", lang="en").out)
        self.assertIn("制造业", self.ok("customer", "list", lang="zh").out)


class TestServeArguments(u.CliCase):
    def test_bad_listen_address(self):
        for addr in ("bogus", "127.0.0.1:99999", "127.0.0.1:abc", "999.1.2.3:8080",
                     "127.0.0.1:"):
            with self.subTest(addr=addr):
                r = self.kehu("serve", "--listen", addr, timeout=20)
                self.assertNotEqual(r.rc, 0, r)
                self.assertIn(addr, r.err)
                self.assertEqual(r.out, "")

    def test_port_in_use(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        try:
            port = s.getsockname()[1]
            r = self.kehu("serve", "--listen", "127.0.0.1:%d" % port, timeout=20)
            self.assertNotEqual(r.rc, 0, r)
            self.assertIn(str(port), r.err)
        finally:
            s.close()

    def test_bad_threads(self):
        self.fails(u.EXIT_USAGE, "serve", "--listen", "127.0.0.1:1", "--threads", "0")
        self.fails(u.EXIT_USAGE, "serve", "--listen", "127.0.0.1:1", "--threads", "many")

    def test_serve_needs_an_initialised_database(self):
        other = os.path.join(self.tmp, "not-set-up.db")
        r = self.fails(u.EXIT_USAGE, "serve", "--listen", "127.0.0.1:1", db=other, timeout=20)
        self.assertIn("init", r.err)


if __name__ == "__main__":
    unittest.main()
