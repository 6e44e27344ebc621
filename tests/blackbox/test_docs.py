"""The API reference stays true: every route of src/http/routes.c (method and path) is
documented in docs/openapi.yaml, and the reference documents no route the server does not
have. No server and no YAML library: the route table is read from the C source (expanding
the RECORDS(path, kind) macro from its own definition in routes.c) and the paths and their
operations from the YAML's indentation. Standard library only."""

import os
import re
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
ROUTES_C = os.path.join(ROOT, "src", "http", "routes.c")
OPENAPI = os.path.join(ROOT, "docs", "openapi.yaml")

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Routes known to be missing from the reference: none (keep it that way).
KNOWN_UNDOCUMENTED = set()


def strip_c_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def c_string(tokens, defines):
    """The value of adjacent C string literals and #defined names: V1 "/customers"."""
    out = ""
    for tok in re.findall(r'"(?:[^"\\]|\\.)*"|[A-Za-z_]\w*', tokens):
        if tok.startswith('"'):
            out += tok[1:-1]
        elif tok in defines:
            out += defines[tok]
        else:
            raise ValueError("unknown name %r in a route path" % tok)
    return out


def parse_routes(text):
    """[(METHOD, path)] of the route table, in its order, RECORDS(...) expanded."""
    text = strip_c_comments(text)
    # join continued lines, so a macro definition is one line
    text = text.replace("\\\n", " ")
    defines = {}
    for name, value in re.findall(r'^\s*#define\s+(\w+)\s+("(?:[^"\\]|\\.)*")\s*$', text, re.M):
        defines[name] = value[1:-1]
    macros = {}
    for name, params, body in re.findall(r"^\s*#define\s+(\w+)\(([^)]*)\)(.*)$", text, re.M):
        macros[name] = ([p.strip() for p in params.split(",")], body)
    # the initialiser of the table, without the preprocessor lines
    m = re.search(r"\broutes\s*\[\s*\]\s*=\s*\{(.*?)\n\};", text, re.S)
    if not m:
        raise ValueError("no route table in routes.c")
    table = "\n".join(l for l in m.group(1).split("\n") if not l.lstrip().startswith("#"))
    for name, (params, body) in macros.items():
        def expand(call, params=params, body=body):
            args = [a.strip() for a in call.group(1).split(",")]
            if len(args) != len(params):
                raise ValueError("%s takes %d arguments" % (name, len(params)))
            out = body
            for p, a in zip(params, args):
                out = re.sub(r"\b%s\b" % re.escape(p), lambda _m, a=a: a, out)
            return out
        table = re.sub(r"\b%s\(([^()]*)\)" % re.escape(name), expand, table)
    routes = []
    for method, path in re.findall(r'\{\s*"([A-Z]+)"\s*,\s*([^,]+?)\s*,', table):
        routes.append((method, c_string(path, defines)))
    return routes


def parse_openapi(text):
    """{(METHOD, path)} documented: `  /path:` keys under `paths:` and their
    `    get:` ... children, by indentation."""
    ops = set()
    in_paths = False
    path = None
    for line in text.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent == 0:
            in_paths = line.rstrip() == "paths:"
            path = None
            continue
        if not in_paths:
            continue
        m = re.match(r"^  (['\"]?)(/[^'\"]*)\1:\s*$", line)
        if m:
            path = m.group(2)
            continue
        if indent == 2:
            path = None
            continue
        m = re.match(r"^    ([a-z]+):", line)
        if path and m and m.group(1) in METHODS:
            ops.add((m.group(1).upper(), path))
    return ops


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


class ParserTests(unittest.TestCase):
    """The two readers themselves, on small samples, so a green run means something."""

    def test_macro_expansion(self):
        src = '''#define V1 "/api/v1"
const route routes[] = {
        {"GET", V1 "/a", h_a, 0, NULL},
#define TWO(path, kind) \\
	{"GET", V1 "/" path, h_l, 0, &kind}, {"POST", V1 "/x/{id}/" path, h_c, 0, &kind}
        TWO("things", thing_kind),
        {"DELETE", "/b", h_b, 0, NULL}, /* {"PUT", "/no", h, 0, NULL} */
};
'''
        self.assertEqual(parse_routes(src), [("GET", "/api/v1/a"), ("GET", "/api/v1/things"),
                                             ("POST", "/api/v1/x/{id}/things"),
                                             ("DELETE", "/b")])

    def test_openapi_reader(self):
        doc = """openapi: 3.0.3
info:
  title: x
paths:
  /a:
    get:
      summary: a
    parameters:
    - name: id
  /b/{id}:
    delete:
      responses:
        '204':
          description: get:
    post:
      x: 1
components:
  schemas:
    /notapath:
      get: 1
"""
        self.assertEqual(parse_openapi(doc),
                         {("GET", "/a"), ("DELETE", "/b/{id}"), ("POST", "/b/{id}")})


class ApiReferenceTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.routes = parse_routes(read(ROUTES_C))
        cls.documented = parse_openapi(read(OPENAPI))

    def test_the_route_table_was_read(self):
        # a parser that found nothing would pass the checks below
        self.assertIn(("GET", "/api/v1/customers"), self.routes)
        self.assertIn(("GET", "/api/v1/opportunities/{id}"), self.routes)
        self.assertIn(("POST", "/api/v1/customers/{id}/tickets"), self.routes)
        self.assertGreater(len(self.documented), 40)
        self.assertEqual(len(self.routes), len(set(self.routes)), "a route is listed twice")

    def test_every_route_is_documented(self):
        missing = [r for r in self.routes
                   if r not in self.documented and r not in KNOWN_UNDOCUMENTED]
        if missing:
            self.fail("routes of src/http/routes.c missing from docs/openapi.yaml:\n"
                      + "\n".join("  %s %s" % r for r in missing))

    def test_known_undocumented_is_still_needed(self):
        # once a route is documented (or gone) it leaves the temporary list
        stale = sorted(r for r in KNOWN_UNDOCUMENTED
                       if r in self.documented or r not in self.routes)
        if stale:
            self.fail("remove from KNOWN_UNDOCUMENTED:\n"
                      + "\n".join("  %s %s" % r for r in stale))

    def test_nothing_documented_that_is_not_served(self):
        extra = sorted(self.documented - set(self.routes))
        if extra:
            self.fail("docs/openapi.yaml documents routes routes.c does not have:\n"
                      + "\n".join("  %s %s" % r for r in extra))


if __name__ == "__main__":
    unittest.main()
