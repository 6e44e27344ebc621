"""
Helpers of the black-box tests of the kehu command line (test_cli*.py).

Every test class gets a fresh temporary directory with its own database and
runs the real binary (KEHU_BIN, default /work/main/build/kehu) through
subprocess. Every run is checked for sanitizer reports, so the same tests
catch memory errors and leaks when KEHU_BIN is an AddressSanitizer build.

Standard library only.
"""
import csv
import io
import json
import os
import shutil
import socket
import subprocess
import tempfile

try:
    from . import dbs
except ImportError:
    import dbs
import time
import unicodedata
import unittest
import urllib.error
import urllib.request

KEHU_BIN = os.environ.get("KEHU_BIN") or "/work/main/build/kehu"
RUN_TIMEOUT = 60  # seconds for one command; nothing here should come near it

# Exit codes of src/cli/cli.h
EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_NOT_FOUND = 3
EXIT_INVALID = 4
EXIT_CONFLICT = 5
EXIT_FORBIDDEN = 6
EXIT_AUTH = 7

SANITIZER_MARKERS = ("AddressSanitizer", "runtime error:", "LeakSanitizer")

# the fields a new customer needs (DESIGN 1.1: name*, source*, status*,
# first_contact_date*, requirement*)
REQUIRED = ("name", "source", "status", "first_contact_date", "requirement")


def base_env(extra=None):
    """The environment of a run: no inherited kehu settings, a locale that
    names no language (so kehu's own default, Chinese, applies)."""
    env = dict(os.environ)
    for k in ("KEHU_DB", "KEHU_USER", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG",
              "KEHU_LOG"):
        env.pop(k, None)
    env["LANG"] = "C.UTF-8"
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    if extra:
        for k, v in extra.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
    return env


def sanitizer_report(text):
    """The first sanitizer marker in text, or None."""
    for m in SANITIZER_MARKERS:
        if m in text:
            return m
    return None


class Result:
    def __init__(self, argv, rc, out, err):
        self.argv = argv
        self.rc = rc
        self.out = out
        self.err = err

    def __repr__(self):
        return "kehu %s\n-> exit %s\n--- stdout ---\n%s\n--- stderr ---\n%s" % (
            " ".join(self.argv[1:]), self.rc, self.out[-3000:], self.err[-3000:])


def decode(b, what):
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError as e:  # the CLI must only ever write UTF-8
        raise AssertionError("%s is not valid UTF-8: %s: %r" % (what, e, b[:300]))


def run_kehu(db, args, stdin=None, as_user=None, lang=None, fmt=None, env=None,
             timeout=RUN_TIMEOUT, use_db_option=True):
    """Run kehu once; global options go first. Raises AssertionError on a
    sanitizer report or a hang."""
    argv = [KEHU_BIN]
    if use_db_option and db:
        argv += ["--db", db]
    if fmt:
        argv += ["--format", fmt]
    if lang:
        argv += ["--lang", lang]
    if as_user:
        argv += ["--as", as_user]
    argv += [str(a) for a in args]
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    try:
        p = subprocess.run(argv, input=data if data is not None else b"",
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=base_env(env), timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise AssertionError("kehu %s did not finish in %ss; stderr: %r" % (
            " ".join(argv[1:]), timeout, (e.stderr or b"")[-2000:]))
    r = Result(argv, p.returncode, decode(p.stdout, "stdout"), decode(p.stderr, "stderr"))
    m = sanitizer_report(r.err) or sanitizer_report(r.out)
    if m:
        raise AssertionError("sanitizer report (%s):\n%r" % (m, r))
    if r.rc < 0:
        raise AssertionError("kehu died of signal %d:\n%r" % (-r.rc, r))
    return r


# ---- text helpers ----

def char_width(ch):
    """Display columns of one character, as a terminal (wcwidth) counts them:
    East Asian Wide and Fullwidth take two, combining marks none."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    if ord(ch) < 0x20 or ord(ch) == 0x7F:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def disp_width(s):
    return sum(char_width(c) for c in s)


def has_cjk(s):
    return any("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" for c in s)


def cells_of_line(line):
    """Tokens of a table line separated by two or more spaces, with the
    display column where each starts: [(column, text)]."""
    out = []
    col = 0
    i = 0
    n = len(line)
    while i < n:
        if line[i] == " ":
            col += 1
            i += 1
            continue
        start_col = col
        j = i
        # a token runs until two spaces in a row (or the end)
        while j < n and not (line[j] == " " and (j + 1 >= n or line[j + 1] == " ")):
            col += char_width(line[j])
            j += 1
        out.append((start_col, line[i:j]))
        i = j
    return out


def column_at(line, col):
    """The text of line from display column col on ('' past the end);
    None when col falls in the middle of a wide character."""
    w = 0
    for i, ch in enumerate(line):
        if w == col:
            return line[i:]
        w += char_width(ch)
        if w > col:
            return None
    return "" if w <= col else None


def parse_csv(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---- the base class ----

class CliCase(unittest.TestCase):
    """A fresh database per test class: `kehu init`, then `kehu demo` of
    DEMO customers when DEMO > 0."""

    INIT = True
    DEMO = 0
    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not os.access(KEHU_BIN, os.X_OK):
            raise unittest.SkipTest("no kehu binary at %s (set KEHU_BIN)" % KEHU_BIN)
        cls.tmp = tempfile.mkdtemp(prefix="kehu-cli-")
        cls.db = dbs.new_database(cls.tmp)
        try:
            if cls.INIT:
                r = run_kehu(cls.db, ["init"])
                if r.rc != 0:
                    raise AssertionError("kehu init failed: %r" % r)
                cls.init_result = r
            if cls.DEMO:
                r = run_kehu(cls.db, ["demo", "--customers", cls.DEMO])
                if r.rc != 0:
                    raise AssertionError("kehu demo failed: %r" % r)
                cls.demo_result = r
        except BaseException:
            shutil.rmtree(cls.tmp, ignore_errors=True)
            raise

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)
        dbs.drop_database(cls.db)
        super().tearDownClass()

    # -- running --

    def kehu(self, *args, **kw):
        db = kw.pop("db", self.db)
        return run_kehu(db, args, **kw)

    def ok(self, *args, **kw):
        r = self.kehu(*args, **kw)
        self.assertEqual(r.rc, EXIT_OK, "expected success:\n%r" % r)
        return r

    def fails(self, code, *args, **kw):
        r = self.kehu(*args, **kw)
        self.assertEqual(r.rc, code, "expected exit %d:\n%r" % (code, r))
        self.assertTrue(r.err.strip(), "no error message on stderr:\n%r" % r)
        return r

    def json(self, *args, **kw):
        kw["fmt"] = "json"
        r = self.ok(*args, **kw)
        try:
            return json.loads(r.out)
        except ValueError as e:
            self.fail("not JSON (%s):\n%r" % (e, r))

    # -- customers --

    def customer_args(self, name, contacts=(), **fields):
        base = {"source": "exhibition", "status": "potential",
                "first_contact_date": "2024-05-10", "requirement": "需要一套客户管理系统"}
        base.update(fields)
        args = ["customer", "add", "--name", name]
        for k, v in base.items():
            if v is not None:
                args += ["--" + k, v]
        for c in contacts:
            args += ["--contact", c]
        return args

    def add_customer(self, name, contacts=(), as_user=None, **fields):
        """Add a customer; returns its JSON (id, version ...)."""
        return self.json(*self.customer_args(name, contacts, **fields), as_user=as_user)

    def customer(self, cid, as_user=None, deleted=False):
        args = ["customer", "show", cid] + (["--deleted"] if deleted else [])
        return self.json(*args, as_user=as_user)

    def list_all(self, *extra, as_user=None):
        """Every customer of a list (follows the cursor)."""
        items = []
        after = None
        for _ in range(1000):
            args = ["customer", "list", "--limit", "200"] + list(extra)
            if after:
                args += ["--after", after]
            page = self.json(*args, as_user=as_user)
            items += page["items"]
            after = page["next"]
            if not after:
                return items
        self.fail("the cursor never ends")

    def ids(self, items):
        return [i["id"] for i in items]

    # -- assertions --

    def assertNoSanitizer(self, r):
        self.assertIsNone(sanitizer_report(r.err), r)

    def assertCJK(self, text, msg=None):
        self.assertTrue(has_cjk(text), msg or "no Chinese in %r" % text)

    def assertNoCJK(self, text, msg=None):
        self.assertFalse(has_cjk(text), msg or "Chinese in %r" % text)

    def assertTableAligned(self, text, strict_columns=None):
        """Every row's columns start at the display columns of the header's.

        The header's labels give the column starts. For each data row, each
        start must fall on a character boundary preceded by two spaces (the
        gutter), so no cell overruns into the next column. With
        strict_columns (all cells known to be non-empty and without double
        spaces) each row must split into exactly that many cells starting at
        exactly the header's columns."""
        lines = [l for l in text.split("\n") if l != ""]
        self.assertGreaterEqual(len(lines), 2, "not a table:\n" + text)
        header = cells_of_line(lines[0])
        starts = [c for c, _ in header]
        if strict_columns is not None:
            self.assertEqual(len(header), strict_columns, "header: %r" % lines[0])
        for line in lines[1:]:
            self.assertFalse(line.endswith(" ") and line.strip() == "", line)
            if strict_columns is not None:
                cells = cells_of_line(line)
                self.assertEqual([c for c, _ in cells], starts,
                                 "row not aligned with the header:\n%s\n%s" % (lines[0], line))
                continue
            for col in starts[1:]:
                rest = column_at(line, col)
                self.assertIsNotNone(rest, "a wide character straddles column %d:\n%s\n%s" %
                                     (col, lines[0], line))
                before = column_at(line, col - 2)
                self.assertIsNotNone(before, "misaligned at %d:\n%s\n%s" % (col, lines[0], line))
                if rest == "":
                    continue  # empty trailing cells
                self.assertTrue(before.startswith("  "),
                                "no gutter before column %d:\n%s\n%s" % (col, lines[0], line))

    def assertMasked(self, phone, shown):
        """138****5678 for a mobile."""
        self.assertNotIn(phone, shown)
        self.assertIn(phone[:3] + "****" + phone[-4:], shown)


# ---- a running server, for the checks only a login can make ----

class Server:
    def __init__(self, db, port=None, extra_args=()):
        self.db = db
        self.port = port or free_port()
        self.argv = [KEHU_BIN, "--db", db, "serve", "--listen", "127.0.0.1:%d" % self.port]
        self.argv += list(extra_args)
        self.errf = tempfile.TemporaryFile()
        self.p = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=self.errf, env=base_env())
        self.base = "http://127.0.0.1:%d" % self.port
        deadline = time.time() + 15
        while time.time() < deadline:
            if self.p.poll() is not None:
                err = self.stderr()
                self.errf.close()
                raise AssertionError("kehu serve exited %s: %s" % (self.p.returncode, err))
            try:
                with urllib.request.urlopen(self.base + "/api/v1/healthz", timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.05)
        self.stop()
        raise AssertionError("kehu serve did not answer on %s" % self.base)

    def stderr(self):
        self.errf.seek(0)
        return self.errf.read().decode("utf-8", "replace")

    def request(self, method, path, body=None, token=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(req, timeout=20) as resp:
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw or b"null")
            except ValueError:
                return e.code, raw

    def login(self, username, password):
        return self.request("POST", "/api/v1/auth/login",
                            {"username": username, "password": password})[0]

    def stop(self):
        """SIGTERM, wait, and return stderr (a sanitizer report there is an error)."""
        if self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
                raise AssertionError("kehu serve did not stop on SIGTERM: " + self.stderr())
        err = self.stderr()
        self.errf.close()
        m = sanitizer_report(err)
        if m:
            raise AssertionError("sanitizer report (%s) from kehu serve:\n%s" % (m, err[-5000:]))
        return err
