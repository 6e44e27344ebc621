"""Hostile and malformed input: always a clear 4xx with an error body, never a
crash — after every request the server must still answer /healthz."""

import json
import socket
import unittest

from .kehu_fixture import Client, KehuTestCase, customer_body, patch_role

MiB = 1024 * 1024


class HostileInputTests(KehuTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.admin.post("/customers", customer_body("靶子有限公司", "13812345678"))
        assert r.status == 201, r
        cls.cid = r.json["id"]

    # -- helpers

    def expect(self, resp, *statuses, fields=()):
        """A 4xx from the list, with a JSON error body, and the server still alive."""
        self.assertIn(resp.status, statuses, resp)
        self.assertLess(resp.status, 500, resp)
        if resp.status >= 400:
            self.assertIsInstance(resp.json, dict, "error body is not JSON: %r" % (resp,))
            err = resp.json.get("error")
            self.assertIsInstance(err, dict, resp)
            self.assertTrue(err.get("code") and err.get("message"), resp)
            for f in fields:
                self.assertIn(f, err.get("fields") or {}, resp)
        self.assert_alive("after %r" % (resp,))
        return resp

    def raw(self, data, timeout=60):
        """Send raw bytes; return (status, body bytes); status None if no answer."""
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=timeout)
        try:
            s.sendall(data)
            chunks = []
            while True:
                try:
                    b = s.recv(65536)
                except (ConnectionResetError, socket.timeout):
                    break
                if not b:
                    break
                chunks.append(b)
        finally:
            s.close()
        resp = b"".join(chunks)
        if not resp.startswith(b"HTTP/"):
            return None, resp
        status = int(resp.split(b" ", 2)[1])
        body = resp.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in resp else b""
        return status, body

    def raw_expect(self, data, *statuses):
        status, body = self.raw(data)
        self.assertIn(status, statuses, body[:300])
        self.assert_alive("after raw request %r" % data[:120])
        return status, body

    # -- bodies

    def test_bad_json(self):
        for raw in (b"{", b"{bad", b"{'name': 'x'}", b'{"name": "x",}', b"{}{}", b"nul",
                    b'{"name": "x"', b"\x00", b"{\"a\":\n", b'{"a":tru}', b"[" * 20000,
                    b'{"name":' + b"[" * 100000 + b"]" * 100000 + b"}",
                    b'{"name":"a","name":"b"}', b'{"name": NaN}', b'{"name": Infinity}',
                    b'{"contract_amount": -}', b'{"name": "\\x41"}', b'{"name": "\\u12"}'):
            with self.subTest(raw=raw[:40]):
                self.expect(self.admin.post("/customers", raw=raw), 400)

    def test_json_that_is_not_an_object(self):
        for raw in (b"[]", b"[1,2]", b"null", b'"text"', b"42", b"true"):
            with self.subTest(raw=raw):
                self.expect(self.admin.post("/customers", raw=raw), 400)
                self.expect(self.admin.patch("/customers/%d" % self.cid, raw=raw, if_match=1),
                            400, 412)

    def test_empty_body(self):
        self.expect(self.admin.post("/customers", raw=b""), 400)
        self.expect(self.admin.post("/auth/login", raw=b"", csrf=False), 400)

    def test_body_over_one_mebibyte_is_413(self):
        big = b'{"name":"' + b"x" * (MiB + 10) + b'"}'
        self.expect(self.admin.post("/customers", raw=big), 413)
        self.expect(self.admin.post("/customers", raw=big, chunked=True), 413)
        self.expect(self.admin.patch("/customers/%d" % self.cid, raw=big, if_match=1), 413)
        self.expect(Client(self.server).post("/auth/login", raw=big), 413)
        self.expect(self.admin.post("/customers", raw=b"x" * (MiB + 1)), 413)
        self.expect(self.admin.post("/customers", raw=b" " * (4 * MiB)), 413)

    def test_body_of_exactly_one_mebibyte_is_read(self):
        body = customer_body("边界有限公司")
        text = json.dumps(body, ensure_ascii=False).encode()
        pad = MiB - len(text)
        raw = text[:-1] + b" " * pad + b"}"
        self.assertEqual(len(raw), MiB)
        r = self.expect(self.admin.post("/customers", raw=raw), 201)
        self.assertEqual(r.json["name"], "边界有限公司")

    def test_invalid_utf8_in_the_body(self):
        for raw in (b'{"name": "\xff\xfe"}', b'{"name": "\xc0\xaf"}', b'{"name": "\xed\xa0\x80"}',
                    b'{"name": "\xe6\x9d"}', b'{"\xff": 1}', b'{"name": "ok\x80"}'):
            with self.subTest(raw=raw):
                self.expect(self.admin.post("/customers", raw=raw), 400, 422)
        for raw in (b'{"name": "\\ud800"}', b'{"name": "a\\u0000b"}'):
            with self.subTest(raw=raw):
                self.expect(self.admin.post("/customers", raw=raw), 400, 422)
        # also inside nested values
        body = json.dumps(customer_body("嵌套有限公司")).encode()
        raw = body[:-1] + b', "contacts": [{"name": "\xff", "phone": "13800000000"}]}'
        self.expect(self.admin.post("/customers", raw=raw), 400, 422)

    def test_huge_and_wrong_numbers(self):
        for raw in (b'{"contract_amount": 1e400}', b'{"contract_amount": 99999999999999999999}',
                    b'{"contract_amount": -99999999999999999999}',
                    b'{"name": 1e400}', b'{"distance_km": 1' + b"0" * 5000 + b"}"):
            with self.subTest(raw=raw[:50]):
                self.expect(self.admin.post("/customers", raw=raw), 400, 422)
        for value in (12.5, 1e308, 9223372036854775807, -9223372036854775808, -1, 10 ** 15 + 1,
                      "12.50", True, [], {}):
            with self.subTest(value=value):
                r = self.admin.post("/customers", customer_body("数字有限公司",
                                                                contract_amount=value))
                self.expect(r, 400, 422, fields=("contract_amount",))
        for field, value in (("distance_km", 2 ** 63 - 1), ("distance_km", 1.0),
                             ("owner", 2 ** 63 - 1), ("owner", -5), ("owner", 1.5)):
            with self.subTest(field=field, value=value):
                r = self.admin.post("/customers", customer_body("数字有限公司", **{field: value}))
                self.expect(r, 400, 422, fields=(field,))
        r = self.admin.post("/auth/tokens", {"name": "x", "days": 2 ** 63 - 1})
        self.expect(r, 400, 422, fields=("days",))
        r = self.admin.post("/auth/tokens", {"name": "x", "days": 1e400})
        self.expect(r, 400, 422)

    def test_wrong_types_everywhere(self):
        for body in ({"name": 5}, {"name": None}, {"name": {"zh": "x"}}, {"status": ["active"]},
                     {"tags": {"a": 1}}, {"first_contact_date": 20240101},
                     {"owner": {"name": "admin"}}, {"custom": "x"}, {"contacts": {"name": "x"}},
                     {"archived": "false"}):
            b = customer_body("类型有限公司")
            b.update(body)
            with self.subTest(body=body):
                self.expect(self.admin.post("/customers", b), 400, 422)
        for body in ({"username": 1, "password": "x"}, {"username": ["admin"], "password": "x"},
                     {"username": "admin", "password": {"x": 1}}):
            with self.subTest(login=body):
                self.expect(Client(self.server).post("/auth/login", body), 400, 401, 422)
        self.expect(self.admin.post("/users", {"username": "u-x", "display_name": "x",
                                               "role": "sales", "password": 12345678}), 400, 422)
        self.expect(patch_role(self.admin, "sales", {"permissions": "all"}), 400, 422)
        self.expect(patch_role(self.admin, "sales", {"permissions": [1, None]}), 400, 422)
        self.expect(patch_role(self.admin, "sales", {"scope": 5}), 400, 422)
        self.expect(patch_role(self.admin, "nope", {"scope": "all"}), 400, 404, 422)

    def test_unknown_fields_are_refused_and_named(self):
        b = customer_body("未知字段有限公司")
        b.update({"colour": "red", "__proto__": {}, "": 1})
        self.expect(self.admin.post("/customers", b), 400, 422, fields=("colour", "__proto__"))
        self.expect(self.admin.patch("/customers/%d" % self.cid, {"nope": 1}, if_match=1),
                    400, 422, 412)
        self.expect(self.admin.post("/departments", {"name": "x", "colour": 1}), 400, 422,
                    fields=("colour",))
        self.expect(self.admin.post("/users", {"username": "zz", "display_name": "zz",
                                               "role": "sales", "is_admin": True}), 400, 422,
                    fields=("is_admin",))

    def test_long_strings(self):
        for field, n in (("name", 100000), ("requirement", 200000), ("remarks", 5001)):
            with self.subTest(field=field):
                body = customer_body("长文本有限公司")
                body[field] = "长" * n
                r = self.admin.post("/customers", body)
                self.expect(r, 400, 422, fields=(field,))

    def test_wrong_content_type_is_415(self):
        body = json.dumps(customer_body("类型头有限公司")).encode()
        for ct in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                   "application/xml", "text/json", None):
            with self.subTest(ct=ct):
                h = {"Content-Type": ct}
                r = self.admin.request("POST", "/customers", raw=body, content_type=None,
                                       headers=h)
                self.expect(r, 415)
        for ct in ("application/json; charset=utf-8", "Application/JSON"):
            with self.subTest(ct=ct):
                r = self.admin.request("POST", "/customers", raw=body, content_type=ct)
                self.expect(r, 201)

    # -- addresses

    def test_invalid_utf8_in_the_address(self):
        for path in ("/api/v1/customers?q=%FF", "/api/v1/customers?q=%C0%AF",
                     "/api/v1/customers?q=%ED%A0%80", "/api/v1/customers?%FF=1",
                     "/api/v1/customers?q=ok%E6%9D", "/api/v1/customers/%FF",
                     "/api/v1/%FF%FE", "/api/v1/customers?industry=%FF"):
            with self.subTest(path=path):
                self.expect(self.admin.get(path, prefix=False), 400)
        # raw bytes, not percent-encoded
        for target in (b"/api/v1/customers?q=\xff", b"/api/v1/\xff\xfe/x",
                       b"/api/v1/customers?q=\xc0\xaf"):
            with self.subTest(target=target):
                req = (b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                       + b"Cookie: " + "; ".join("%s=%s" % kv for kv in
                                                 self.admin.cookies.items()).encode()
                       + b"\r\n\r\n")
                self.raw_expect(req, 400, 404)

    def test_unknown_paths_and_methods(self):
        for path in ("/api/v1/nope", "/api/v2/customers", "/api/v1/customers/1/nope",
                     "/api/v1/customers/1/contacts/2/x", "/api/v1/" + "a/" * 30,
                     "/api/v1/" + "x" * 3000, "/api/v1/customers/%2e%2e/users",
                     "/api/v1/customers/0", "/api/v1/customers/-1",
                     "/api/v1/customers/99999999999999999999", "/api/v1/customers/1e3",
                     "/api/v1/contacts/0x10", "/nope"):
            with self.subTest(path=path[:60]):
                self.expect(self.admin.get(path, prefix=False), 404)
        # a NUL cuts the path short in the HTTP library: harmless, but no crash
        self.expect(self.admin.get("/api/v1/customers/%00", prefix=False), 200, 400, 404)
        for method, path, allow in (("PUT", "/customers", "GET, POST"),
                                    ("DELETE", "/customers", "GET, POST"),
                                    ("POST", "/customers/%d" % self.cid, None),
                                    ("PUT", "/customers/%d" % self.cid, None),
                                    ("GET", "/auth/login", "POST"),
                                    ("PATCH", "/healthz", "GET"),
                                    ("OPTIONS", "/customers", None),
                                    ("GET", "/customers/%d/restore" % self.cid, "POST")):
            with self.subTest(method=method, path=path):
                r = self.expect(self.admin.request(method, path), 405)
                self.assertTrue(r.headers.get("Allow"), r)
                if allow:
                    self.assertEqual(r.headers.get("Allow"), allow)
        status, _ = self.raw_expect(b"BREW /api/v1/customers HTTP/1.1\r\nHost: x\r\n"
                                    b"Connection: close\r\n\r\n", 400, 401, 405, 501)

    def test_query_string_abuse(self):
        cases = [
            ({"limit": "99999999999999999999"}, 400, 422), ({"limit": "1e3"}, 400, 422),
            ({"limit": ""}, 400, 422), ({"after": "A" * 5000}, 400, 422),
            ({"after": "////"}, 400, 422), ({"sort": ""}, 400, 422), ({"sort": "-"}, 400, 422),
            ({"view": ""}, 400, 422), ({"first_contact_date_from": "9999-99-99"}, 400, 422),
            ({"contract_amount_from": "99999999999999999999"}, 200, 400, 422),
            ({"contract_amount_from": "-5"}, 200, 400, 422),
            ({"fields": ",".join(["name"] * 200)}, 200, 400, 422),
            ({"q": "长" * 1000}, 400, 422), ({"industry": ",".join(["retail"] * 100)}, 200, 400, 422),
            ({"custom.": "x"}, 400, 422), ({"_from": "x"}, 400, 422), ({"tags": "," * 100}, 200, 400, 422),
        ]
        for params, *statuses in cases:
            with self.subTest(params={k: v[:40] for k, v in params.items()}):
                self.expect(self.admin.get("/customers", params=params), *statuses)
        many = "&".join("p%d=1" % i for i in range(70))
        self.expect(self.admin.get("/api/v1/customers?" + many, prefix=False), 400, 422)
        many = "&".join("industry=retail" for _ in range(40))
        self.expect(self.admin.get("/api/v1/customers?" + many, prefix=False), 200, 400, 422)
        r = self.admin.get("/api/v1/customers?" + "q=" + "a" * 60000, prefix=False)
        self.assertIn(r.status, (400, 413, 414, 422, 431), r)
        self.assert_alive()

    # -- headers

    def test_header_abuse(self):
        path = "/customers/%d" % self.cid
        self.expect(self.admin.patch(path, {"remarks": "x"}, if_match="9" * 5000), 400, 412)
        self.expect(self.admin.patch(path, {"remarks": "x"}, if_match='"' + "\xe4" + '"'),
                    400, 412)
        self.expect(self.admin.patch(path, {"remarks": "x"}, if_match="*"), 400, 412)
        self.expect(self.admin.patch(path, {"remarks": "x"}, if_match='"1", "2"'), 400, 412)
        self.expect(self.admin.get(path, headers={"Accept-Language": "en;q=0.5," * 2000}), 200)
        self.expect(self.admin.get(path, headers={"Accept-Language": ";;;q=,,,q=1e999"}), 200)
        self.expect(Client(self.server).get(path, headers={"Authorization": "Bearer " + "k" *
                                                                      8000}), 401)
        self.expect(Client(self.server).get(path, headers={"Cookie": "kehu_session=" + "x" *
                                                                     6000}), 401)
        self.expect(Client(self.server).get(path, headers={
            "Cookie": "; ".join("c%d=%d" % (i, i) for i in range(300))}), 401, 400, 431)
        self.expect(self.admin.post("/customers", customer_body("头部有限公司"),
                                    headers={"X-CSRF-Token": "t" * 8000}), 403)
        self.expect(self.admin.request("POST", "/customers", customer_body("头部有限公司"),
                                       headers={"Content-Type": "application/json" + "x" * 5000}),
                    201, 415)

    def test_interrupted_and_half_open_connections(self):
        port = self.server.port
        socks = []
        for i in range(30):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            if i % 3 == 0:
                s.sendall(b"POST /api/v1/customers HTTP/1.1\r\nHost: x\r\n")
            elif i % 3 == 1:
                s.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                          b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
                          b'{"username": "adm')
            socks.append(s)
        for s in socks:
            s.close()
        # garbage instead of HTTP
        for junk in (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 50,
                     b"GET\r\n\r\n", b"\r\n\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                     b"GET /api/v1/healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
                     b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
                     b"\r\nContent-Type: application/json\r\n\r\nZZZ\r\nxx\r\n0\r\n\r\n"):
            with self.subTest(junk=junk[:30]):
                self.raw(junk, timeout=2)
                self.assert_alive("after junk %r" % junk[:30])
        self.assert_alive()

    def test_server_still_consistent_after_abuse(self):
        r = self.assertStatus(self.admin.get("/customers/%d" % self.cid), 200)
        self.assertEqual(r.json["name"], "靶子有限公司")
        self.assertStatus(self.admin.post("/customers", customer_body("事后有限公司")), 201)


if __name__ == "__main__":
    unittest.main()
