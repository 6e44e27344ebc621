"""
kehu_fixture — the harness of the black-box tests: a real `kehu serve` on a
free 127.0.0.1 port over a fresh temporary database, an HTTP client that
keeps the session cookie and the CSRF token, and a builder for a standard
organisation. Python 3 standard library only.

Import it as a module of the test package (discovery is run from the
repository root with `-t .`, which makes tests.blackbox a package):

    from tests.blackbox.kehu_fixture import KehuTestCase, KehuServer, build_org
    # or, from a module inside tests/blackbox:  from .kehu_fixture import ...

API
---
KEHU_BIN                 path of the binary: env KEHU_BIN, default /work/main/build/kehu
ADMIN_PASSWORD           password of user "admin" in every fresh database
USER_PASSWORD            password build_org gives every user it creates
API                      "/api/v1"

run_kehu(db, *args, input=None, env=None, timeout=120) -> subprocess.CompletedProcess
    Run `kehu --db DB ARGS...` (text mode, stdout/stderr captured).
init_db(db, password=ADMIN_PASSWORD)
    `kehu --db DB init --admin-password-stdin`; raises on failure.
sanitizer_findings(text) -> list of lines
    Lines of text that hold an ASan/UBSan/LSan report ("ERROR: AddressSanitizer",
    "runtime error:", "LeakSanitizer", ...). Use it on any kehu stderr, CLI too.

class KehuServer(threads=None, extra_args=(), db=None)
    .start()            fresh temp dir + database (unless db given), `kehu serve`
                        on a free port, waits for GET /healthz; stderr goes to a file
    .stop() -> str      SIGTERM, wait (leak check runs at exit), SIGKILL if needed;
                        returns the sanitizer findings ("" when clean); idempotent
    .alive() -> bool    process still running
    .healthy() -> bool  process running and /healthz answers 200
    .stderr_text()      what the server wrote to stderr so far
    .findings()         sanitizer findings in stderr so far
    .db, .tmpdir, .port, .base_url
    .client(lang=None) -> Client              not logged in
    .login(username, password, lang=None) -> Client   logged in; raises if refused
    .admin(lang=None) -> Client               logged in as admin
    .cli(*args, input=None) -> CompletedProcess   the CLI on the server's database
    Every started server is also stopped at interpreter exit (atexit).

class Client  (one per user; may be shared by threads: each request opens its own
              connection, the cookie jar is locked)
    .request(method, path, body=NOBODY, *, params=None, raw=None, headers=None,
             content_type="application/json", if_match=None, csrf=True,
             lang=<client's>, chunked=False, prefix=True, timeout=120) -> Resp
        path: "/customers" means /api/v1/customers; a path starting with "/api/"
        or given with prefix=False is sent as is. body is JSON-encoded; raw (bytes)
        is sent verbatim instead. if_match: an int (version), a str sent verbatim,
        or a dict/Resp whose version/ETag is used. The X-CSRF-Token header is
        sent on state-changing requests when the client has one and csrf=True.
    .get/.post/.patch/.put/.delete(path, body=NOBODY, **kw) -> Resp
    .login(username, password) -> Resp     keeps cookie + csrf_token on success
    .logout() -> Resp
    .use_token(token)                      send Authorization: Bearer token from now on
    .cookies (dict), .csrf, .token, .user (the /auth/login "user" object)
Resp is a 3-tuple (status, headers, json) — unpack it — with attributes
    .status, .headers (http.client.HTTPMessage, case-insensitive .get/.get_all),
    .json (parsed body or None), .body (raw bytes), .etag (str or None)

class KehuTestCase(unittest.TestCase)
    One server per test class (setUpClass). Class attributes to override:
        threads = None, server_args = (), with_org = False
    Gives cls.server, cls.admin (logged-in admin Client) and, with with_org,
    cls.org (see build_org). tearDown fails a test when the server died or
    wrote a sanitizer report; the class cleanup stops the server and fails
    when its stderr holds a sanitizer report (leaks are reported at exit).
    Helpers: self.assertStatus(resp, *codes), self.assertError(resp, status,
    code=None, fields=()) (status/code may be tuples), self.assertRefused(resp,
    fields=()) (400 or 422 naming the fields), self.assert_alive(),
    self.all_pages(client, path, params) -> list of items over every keyset page
    (checks each page holds at most `limit` items and cursors never repeat).

build_org(server, admin=None) -> Org
    Through the API as admin: departments 总公司 (existing) > 销售部 (code_prefix
    XS) > 销售一部, 销售二部; 客服部 (code_prefix KF) under 总公司. Users (password
    USER_PASSWORD), keys of Org.users:
        mgr       manager  销售部   dept_sub
        mgr_dept  manager  销售部   dept
        sales_a   sales    销售一部 own
        sales_b   sales    销售一部 own
        lead      sales    销售二部 own_sub
        sub       sales    销售二部 own (supervisor: lead)
        svc       service  客服部   all
        fin       finance  总公司   (role default: all)
        viewer    viewer   销售一部 dept
    Customers (created by admin with owner set), each with one primary contact,
    see ORG_CUSTOMERS for names/fields. Org fields:
        depts   {name: id}
        users   {key: {"id", "username", "role", "scope", "dept"}}
        customers  {id: record as returned by POST /customers}
        owned   {user key: [customer ids]}    (keys: the user keys and "admin")
        phones  {customer id: unmasked phone of its primary contact}
        client(key, lang=None) -> logged-in Client for that user (cached when
                                  lang is None; "admin" too)
        ids(*keys) -> set of the customer ids owned by those users; all_ids()
    Usernames are the keys with "_" -> "-" (sales-a, mgr-dept, ...).

Small helpers: patch_role(client, code, body) -> Resp (PATCH /roles/{code} with
If-Match of the current version); customer_body(name, phone=None, **fields) -> a valid POST /customers
body (source/status/first_contact_date/requirement filled in; phone adds one
primary contact); customer_ids(resp_or_items) -> set of ids; shanghai_year();
free_port().

Environment: KEHU_BIN; KEHU_KEEP_TMP=1 keeps each server's temp dir (it is
always kept when a sanitizer report was found); KEHU_START_TIMEOUT,
KEHU_STOP_TIMEOUT, KEHU_REQUEST_TIMEOUT (seconds). ASAN_OPTIONS defaults to
detect_leaks=1:abort_on_error=1 and UBSAN_OPTIONS to
print_stacktrace=1:halt_on_error=1 when not set.
"""

import atexit
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

try:
    from . import dbs
except ImportError:  # run as a plain module
    import dbs
import urllib.parse

KEHU_BIN = os.environ.get("KEHU_BIN", "/work/main/build/kehu")
ADMIN_PASSWORD = "Admin-Passw0rd!"
USER_PASSWORD = "User-Passw0rd!"
API = "/api/v1"
BAD_INPUT = (400, 422)  # unknown fields/parameters and wrong types: either is a clear 4xx

START_TIMEOUT = float(os.environ.get("KEHU_START_TIMEOUT", "60"))
STOP_TIMEOUT = float(os.environ.get("KEHU_STOP_TIMEOUT", "60"))
REQUEST_TIMEOUT = float(os.environ.get("KEHU_REQUEST_TIMEOUT", "120"))

SANITIZER_PATTERNS = (
    "ERROR: AddressSanitizer",
    "ERROR: LeakSanitizer",
    "LeakSanitizer",
    "runtime error:",
    "ERROR: ThreadSanitizer",
    "WARNING: ThreadSanitizer",
    "SUMMARY: UndefinedBehaviorSanitizer",
    "SUMMARY: AddressSanitizer",
)


class _NoBody:
    def __repr__(self):
        return "NOBODY"


NOBODY = _NoBody()


def _env():
    env = dict(os.environ)
    # harmless for a plain build; makes an ASan build report and stop at once
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    env.pop("KEHU_DB", None)
    return env


def sanitizer_findings(text):
    """The lines of text that belong to a sanitizer report."""
    return [line for line in (text or "").splitlines()
            if any(p in line for p in SANITIZER_PATTERNS)]


def run_kehu(db, *args, input=None, env=None, timeout=120):
    cmd = [KEHU_BIN, "--db", db] + [str(a) for a in args]
    return subprocess.run(cmd, input=input, capture_output=True, text=True,
                          env=env or _env(), timeout=timeout)


def init_db(db, password=ADMIN_PASSWORD):
    p = run_kehu(db, "init", "--admin-password-stdin", input=password + "\n")
    if p.returncode != 0:
        raise RuntimeError("kehu init failed (%d): %s%s" % (p.returncode, p.stdout, p.stderr))
    found = sanitizer_findings(p.stderr)
    if found:
        raise RuntimeError("sanitizer report in kehu init:\n" + p.stderr)
    return p


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shanghai_year():
    return datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).year


# ---------------------------------------------------------------- responses


class Resp(tuple):
    """(status, headers, json) with .status .headers .json .body .etag"""

    def __new__(cls, status, headers, data, body):
        self = tuple.__new__(cls, (status, headers, data))
        self.body = body
        return self

    status = property(lambda self: self[0])
    headers = property(lambda self: self[1])
    json = property(lambda self: self[2])

    @property
    def etag(self):
        return self.headers.get("ETag") if self.headers is not None else None

    def error(self):
        j = self.json
        return j.get("error") if isinstance(j, dict) else None

    def __repr__(self):
        text = self.body[:600].decode("utf-8", "replace") if self.body else ""
        return "<Resp %s %s>" % (self.status, text)


def _version_of(x):
    if isinstance(x, Resp):
        if x.etag:
            return x.etag
        x = x.json
    if isinstance(x, dict):
        return '"%d"' % x["version"]
    if isinstance(x, int):
        return '"%d"' % x
    return str(x)


# ------------------------------------------------------------------- client


class Client:
    def __init__(self, server, lang=None):
        self.server = server
        self.lang = lang
        self.cookies = {}
        self.csrf = None
        self.token = None
        self.user = None
        self._lock = threading.Lock()

    # -- plumbing
    def url(self, path, params=None, prefix=True):
        if prefix and not path.startswith("/api/"):
            path = API + path
        if params:
            if isinstance(params, dict):
                params = list(params.items())
            qs = urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
            path += ("&" if "?" in path else "?") + qs
        return path

    def _store_cookies(self, headers):
        for sc in headers.get_all("Set-Cookie") or []:
            first = sc.split(";", 1)[0]
            if "=" not in first:
                continue
            name, value = first.split("=", 1)
            attrs = sc.lower()
            with self._lock:
                if value == "" or re.search(r"max-age=0(\D|$)", attrs):
                    self.cookies.pop(name.strip(), None)
                else:
                    self.cookies[name.strip()] = value.strip()

    def request(self, method, path, body=NOBODY, *, params=None, raw=None, headers=None,
                content_type="application/json", if_match=None, csrf=True, lang="client",
                chunked=False, prefix=True, timeout=None, cookies=True):
        url = self.url(path, params, prefix)
        h = {}
        data = None
        if raw is not None:
            data = raw
        elif body is not NOBODY:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        if data is not None and content_type:
            h["Content-Type"] = content_type
        lang = self.lang if lang == "client" else lang
        if lang:
            h["Accept-Language"] = lang
        if cookies and self.cookies:
            with self._lock:
                h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if csrf and self.csrf and method not in ("GET", "HEAD", "OPTIONS"):
            h["X-CSRF-Token"] = self.csrf
        if if_match is not None:
            h["If-Match"] = _version_of(if_match)
        if headers:
            for k, v in headers.items():
                if v is None:
                    h.pop(k, None)
                else:
                    h[k] = v
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port,
                                          timeout=timeout or REQUEST_TIMEOUT)
        try:
            if chunked and data is not None:
                chunk = 64 * 1024
                gen = (data[i:i + chunk] for i in range(0, len(data), chunk))
                conn.request(method, url, body=gen, headers=h, encode_chunked=True)
            else:
                conn.request(method, url, body=data, headers=h)
            r = conn.getresponse()
            raw_body = r.read()
            status, rh = r.status, r.headers
        finally:
            conn.close()
        self._store_cookies(rh)
        parsed = None
        if raw_body:
            try:
                parsed = json.loads(raw_body.decode("utf-8"))
            except ValueError:
                parsed = None
        return Resp(status, rh, parsed, raw_body)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=NOBODY, **kw):
        return self.request("POST", path, body, **kw)

    def patch(self, path, body=NOBODY, **kw):
        return self.request("PATCH", path, body, **kw)

    def put(self, path, body=NOBODY, **kw):
        return self.request("PUT", path, body, **kw)

    def delete(self, path, body=NOBODY, **kw):
        return self.request("DELETE", path, body, **kw)

    # -- auth
    def login(self, username, password):
        r = self.post("/auth/login", {"username": username, "password": password}, csrf=False)
        if r.status == 200 and isinstance(r.json, dict):
            self.csrf = r.json.get("csrf_token")
            self.user = r.json.get("user")
        return r

    def logout(self):
        r = self.post("/auth/logout")
        return r

    def use_token(self, token):
        self.token = token
        return self


# ------------------------------------------------------------------- server

_running = set()
_running_lock = threading.Lock()


def _stop_all():
    with _running_lock:
        servers = list(_running)
    for s in servers:
        try:
            s.stop()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass


atexit.register(_stop_all)


class KehuServer:
    def __init__(self, threads=None, extra_args=(), db=None):
        self.threads = threads
        self.extra_args = list(extra_args)
        self.tmpdir = None
        self.db = db
        self.own_db = False
        self.port = None
        self.proc = None
        self.stderr_path = None
        self._stderr = None
        self._findings = None

    @property
    def base_url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self):
        if not os.path.exists(KEHU_BIN):
            raise RuntimeError("kehu binary not found at %s (set KEHU_BIN)" % KEHU_BIN)
        self.tmpdir = tempfile.mkdtemp(prefix="kehu-bb-")
        if self.db is None:
            self.db = dbs.new_database(self.tmpdir)
            self.own_db = True
            init_db(self.db)
        self.stderr_path = os.path.join(self.tmpdir, "serve.stderr")
        last = None
        for _attempt in range(3):
            self.port = free_port()
            args = [KEHU_BIN, "--db", self.db, "serve", "--listen", "127.0.0.1:%d" % self.port]
            if self.threads:
                args += ["--threads", str(self.threads)]
            args += self.extra_args
            self._stderr = open(self.stderr_path, "ab")
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                         stdout=self._stderr, stderr=self._stderr,
                                         env=_env())
            with _running_lock:
                _running.add(self)
            deadline = time.time() + START_TIMEOUT
            while time.time() < deadline:
                if self.proc.poll() is not None:
                    break
                if self._health_ok(2):
                    return self
                time.sleep(0.05)
            last = self.stderr_text()
            self._terminate()
        raise RuntimeError("kehu serve did not come up:\n%s" % last)

    def _health_ok(self, timeout):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            try:
                conn.request("GET", "/healthz")
                r = conn.getresponse()
                r.read()
                return r.status == 200
            finally:
                conn.close()
        except OSError:
            return False

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def healthy(self):
        return self.alive() and self._health_ok(REQUEST_TIMEOUT)

    def stderr_text(self):
        if not self.stderr_path or not os.path.exists(self.stderr_path):
            return ""
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def findings(self):
        return sanitizer_findings(self.stderr_text())

    def _terminate(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self._stderr:
            self._stderr.close()
            self._stderr = None
        with _running_lock:
            _running.discard(self)

    def stop(self):
        """Stop the server; return the sanitizer report ('' when clean)."""
        if self._findings is not None:
            return self._findings
        self._terminate()
        text = self.stderr_text()
        found = sanitizer_findings(text)
        rc = self.proc.returncode if self.proc else 0
        report = ""
        if found:
            report = text
        elif rc not in (0, None, -signal.SIGTERM):
            report = "kehu serve exited with status %s\n%s" % (rc, text[-4000:])
        self._findings = report
        if not report and os.environ.get("KEHU_KEEP_TMP") != "1":
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            if self.own_db:
                dbs.drop_database(self.db)
        return report

    # -- clients
    def client(self, lang=None):
        return Client(self, lang)

    def login(self, username, password, lang=None):
        c = Client(self, lang)
        r = c.login(username, password)
        if r.status != 200:
            raise AssertionError("login of %s refused: %r" % (username, r))
        return c

    def admin(self, lang=None):
        return self.login("admin", ADMIN_PASSWORD, lang)

    def cli(self, *args, input=None):
        return run_kehu(self.db, *args, input=input)


# ------------------------------------------------------------ the standard org

ORG_USERS = [
    # key, display name, role, dept, scope, supervisor key
    ("mgr", "王经理", "manager", "销售部", "dept_sub", None),
    ("mgr_dept", "赵主管", "manager", "销售部", "dept", None),
    ("sales_a", "张三", "sales", "销售一部", "own", None),
    ("sales_b", "李四", "sales", "销售一部", "own", None),
    ("lead", "周组长", "sales", "销售二部", "own_sub", None),
    ("sub", "吴组员", "sales", "销售二部", "own", "lead"),
    ("svc", "郑客服", "service", "客服部", "all", None),
    ("fin", "钱财务", "finance", "总公司", None, None),
    ("viewer", "孙查看", "viewer", "销售一部", "dept", None),
]

# owner key, name, phone of the primary contact, extra fields
ORG_CUSTOMERS = [
    ("sales_a", "深圳市腾云科技有限公司", "13800138001",
     {"industry": "it_internet", "status": "active", "contract_amount": 500000,
      "first_contact_date": "2024-03-01", "tags": ["重点合作"], "region": "south"}),
    ("sales_a", "广州恒达贸易有限公司", "13800138002",
     {"industry": "retail", "status": "intent", "contract_amount": 120000,
      "first_contact_date": "2024-05-10", "region": "south"}),
    ("sales_b", "北京星河科技有限公司", "13800138003",
     {"industry": "it_services", "status": "active", "contract_amount": 990000,
      "first_contact_date": "2023-11-20", "tags": ["战略合作伙伴", "重点合作"], "region": "north"}),
    ("sales_b", "上海浦江物流有限公司", "13800138004",
     {"industry": "logistics", "status": "potential",
      "first_contact_date": "2024-01-15", "region": "east"}),
    ("lead", "杭州西湖软件有限公司", "13800138005",
     {"industry": "it_internet", "status": "paused", "contract_amount": 300000,
      "first_contact_date": "2022-08-08", "region": "east"}),
    ("sub", "成都天府科技有限公司", "13800138006",
     {"industry": "education", "status": "active", "contract_amount": 75000,
      "first_contact_date": "2024-06-30", "tags": ["潜力开发"], "region": "southwest"}),
    ("sub", "武汉长江机械有限公司", "13800138007",
     {"industry": "machinery", "status": "lost", "contract_amount": 0,
      "first_contact_date": "2021-02-14", "region": "central"}),
    ("mgr", "南京金陵教育有限公司", "13800138008",
     {"industry": "education", "status": "intent", "contract_amount": 250000,
      "first_contact_date": "2024-02-29", "region": "east"}),
    ("mgr_dept", "苏州园区咨询有限公司", "13800138009",
     {"industry": "other", "status": "potential",
      "first_contact_date": "2024-07-01", "region": "east"}),
    ("admin", "总部直属客户有限公司", "13800138010",
     {"industry": "finance", "status": "active", "contract_amount": 1000000,
      "first_contact_date": "2020-01-01", "region": "north"}),
    ("svc", "客服部测试客户有限公司", "13800138011",
     {"industry": "retail", "status": "potential",
      "first_contact_date": "2024-04-04", "region": "northwest"}),
]


def patch_role(client, code, body, **kw):
    """PATCH /roles/{code} with the role's current version as If-Match."""
    roles = client.get("/roles").json or {}
    version = next((r.get("version", 1) for r in roles.get("items", []) if r["code"] == code), 1)
    return client.patch("/roles/%s" % code, body, if_match=version, **kw)


def customer_body(name, phone=None, **fields):
    """A valid POST /customers body (required fields filled in)."""
    b = {
        "name": name,
        "source": "online",
        "status": "potential",
        "first_contact_date": "2024-01-01",
        "requirement": "需要一套客户管理系统",
    }
    b.update(fields)
    if phone:
        b["contacts"] = [{"name": "联系人" + name[:2], "phone": phone, "primary": True,
                          "position": "采购经理"}]
    return b


class Org:
    def __init__(self, server, admin):
        self.server = server
        self.admin = admin
        self.depts = {}
        self.users = {}
        self.customers = {}
        self.owned = {}
        self.phones = {}
        self._clients = {"admin": admin}

    def client(self, key, lang=None):
        if lang is not None:
            c = Client(self.server, lang)
            r = c.login(self._username(key), self._password(key))
            if r.status != 200:
                raise AssertionError("login of %s refused: %r" % (key, r))
            return c
        if key not in self._clients:
            self._clients[key] = self.server.login(self._username(key), self._password(key))
        return self._clients[key]

    def _username(self, key):
        return "admin" if key == "admin" else self.users[key]["username"]

    def _password(self, key):
        return ADMIN_PASSWORD if key == "admin" else USER_PASSWORD

    def ids(self, *keys):
        out = set()
        for k in keys:
            out.update(self.owned.get(k, []))
        return out

    def all_ids(self):
        return set(self.customers)


def _must(r, *codes):
    if r.status not in codes:
        raise AssertionError("unexpected answer %r" % (r,))
    return r


def build_org(server, admin=None):
    admin = admin or server.admin()
    org = Org(server, admin)
    r = _must(admin.get("/departments"), 200)
    for d in r.json["items"]:
        org.depts[d["name"]] = d["id"]
    hq = org.depts["总公司"]

    def dept(name, parent, prefix=None):
        body = {"name": name, "parent": parent}
        if prefix:
            body["code_prefix"] = prefix
        r = _must(admin.post("/departments", body), 201)
        org.depts[name] = r.json["id"]

    dept("销售部", hq, "XS")
    dept("销售一部", org.depts["销售部"])
    dept("销售二部", org.depts["销售部"])
    dept("客服部", hq, "KF")

    r = _must(admin.get("/auth/me"), 200)
    org.users_admin_id = r.json["user"]["id"]
    for key, display, role, dname, scope, sup in ORG_USERS:
        body = {"username": key.replace("_", "-"), "display_name": display, "role": role,
                "department": org.depts[dname], "password": USER_PASSWORD}
        if scope:
            body["scope"] = scope
        if sup:
            body["supervisor"] = org.users[sup]["id"]
        r = _must(admin.post("/users", body), 201)
        org.users[key] = {"id": r.json["id"], "username": body["username"], "role": role,
                          "scope": scope, "dept": dname}

    for owner, name, phone, extra in ORG_CUSTOMERS:
        owner_name = "admin" if owner == "admin" else org.users[owner]["username"]
        body = customer_body(name, phone, owner=owner_name, **extra)
        r = _must(admin.post("/customers", body), 201)
        cid = r.json["id"]
        org.customers[cid] = r.json
        org.owned.setdefault(owner, []).append(cid)
        org.phones[cid] = phone
    return org


# ---------------------------------------------------------------- test case


class KehuTestCase(unittest.TestCase):
    threads = None
    server_args = ()
    with_org = False
    server = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = KehuServer(threads=cls.threads, extra_args=cls.server_args)
        cls.addClassCleanup(cls._stop_server)
        cls.server.start()
        cls.admin = cls.server.admin()
        if cls.with_org:
            cls.org = build_org(cls.server, cls.admin)

    @classmethod
    def _stop_server(cls):
        server = cls.server
        if server is None:
            return
        report = server.stop()
        if report:
            raise AssertionError("kehu serve (%s) reported a problem; stderr in %s:\n%s"
                                 % (cls.__name__, server.tmpdir, report[-20000:]))

    def tearDown(self):
        srv = type(self).server
        if srv is None:
            return
        found = srv.findings()
        if found:
            self.fail("sanitizer report in kehu serve stderr after %s:\n%s"
                      % (self.id(), srv.stderr_text()[-20000:]))
        if not srv.alive():
            self.fail("kehu serve died during %s (status %s):\n%s"
                      % (self.id(), srv.proc.returncode, srv.stderr_text()[-8000:]))

    # -- helpers
    def assertStatus(self, resp, *codes, msg=None):
        if resp.status not in codes:
            self.fail("%sexpected HTTP %s, got %r" % (msg + ": " if msg else "",
                                                       "/".join(map(str, codes)), resp))
        return resp

    def assertError(self, resp, status, code=None, fields=()):
        """resp is {"error":{"code","message",...}} with this status (an int or a
        tuple of acceptable ones), the code (str or tuple) and naming the fields."""
        statuses = status if isinstance(status, tuple) else (status,)
        self.assertStatus(resp, *statuses)
        self.assertIsInstance(resp.json, dict, "error body is not JSON: %r" % (resp,))
        err = resp.json.get("error")
        self.assertIsInstance(err, dict, "no error object: %r" % (resp,))
        self.assertIsInstance(err.get("code"), str, resp)
        self.assertTrue(err.get("message"), "error without a message: %r" % (resp,))
        if code:
            self.assertIn(err["code"], code if isinstance(code, tuple) else (code,), resp)
        for f in fields:
            self.assertIn(f, err.get("fields") or {}, "field %s not named in %r" % (f, resp))
        return err

    def assertRefused(self, resp, fields=()):
        """Malformed input (unknown field or parameter, wrong JSON type): 400 or 422,
        with the offending fields named."""
        return self.assertError(resp, BAD_INPUT, fields=fields)

    def assert_alive(self, msg=""):
        srv = type(self).server
        ok = srv.healthy()
        if not ok:
            self.fail("server no longer answers /healthz %s\n%s"
                      % (msg, srv.stderr_text()[-8000:]))

    def all_pages(self, client, path, params=None, max_pages=1000):
        params = dict(params or {})
        items, seen_cursors = [], set()
        for _ in range(max_pages):
            r = self.assertStatus(client.get(path, params=params), 200)
            self.assertIn("items", r.json)
            self.assertIn("next", r.json)
            if "limit" in params:
                self.assertLessEqual(len(r.json["items"]), int(params["limit"]))
            items.extend(r.json["items"])
            nxt = r.json["next"]
            if nxt is None:
                return items
            self.assertNotIn(nxt, seen_cursors, "cursor repeats")
            seen_cursors.add(nxt)
            params["after"] = nxt
        self.fail("more than %d pages" % max_pages)


def customer_ids(resp_or_items):
    items = resp_or_items.json["items"] if isinstance(resp_or_items, Resp) else resp_or_items
    return {c["id"] for c in items}
