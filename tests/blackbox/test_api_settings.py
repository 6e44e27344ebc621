"""GET/PATCH /settings: the administrator's tunable numbers (code width, business time
zone, lifecycle thresholds), under optimistic concurrency like every record."""

try:
    from .kehu_fixture import KehuTestCase, customer_body
except ImportError:
    from kehu_fixture import KehuTestCase, customer_body


class SettingsTests(KehuTestCase):
    with_org = True

    def settings(self, client=None):
        r = (client or self.admin).get("/settings")
        self.assertStatus(r, 200)
        return r, {i["key"]: i["value"] for i in r.json["items"]}

    def restore(self, key, value):
        """Put a setting back when the test ends, whatever happened."""
        def put_back():
            r, _ = self.settings()
            self.admin.patch("/settings", {key: value}, if_match=r.etag)
        self.addCleanup(put_back)

    def test_defaults_and_etag(self):
        r, values = self.settings()
        self.assertEqual(values["code_width"], 3)
        self.assertEqual(values["tz_minutes"], 480)
        self.assertEqual(r.etag, '"%d"' % r.json["version"])
        labels = {i["key"]: (i["zh"], i["en"]) for i in r.json["items"]}
        self.assertRegex(labels["tz_minutes"][0], r"[\u4e00-\u9fff]")

    def test_change_needs_if_match_and_takes_effect(self):
        r, _ = self.settings()
        self.assertError(self.admin.patch("/settings", {"code_width": 5}), 428)
        self.restore("code_width", 3)
        ok = self.admin.patch("/settings", {"code_width": 5}, if_match=r.etag)
        self.assertStatus(ok, 200)
        self.assertEqual(ok.json["version"], r.json["version"] + 1)
        made = self.admin.post("/customers", customer_body("五位编号测试有限公司"))
        self.assertStatus(made, 201)
        self.assertRegex(made.json["code"], r"^[A-Z]+\d{4}\d{5}$")
        # a stale version: 412 with the settings as they are now, nothing changed
        stale = self.admin.patch("/settings", {"code_width": 3}, if_match=r.etag)
        self.assertError(stale, 412, "version_conflict")
        self.assertEqual({i["key"]: i["value"] for i in stale.json["current"]["items"]}
                         ["code_width"], 5)

    def test_bad_values_are_named(self):
        r, _ = self.settings()
        bad = self.admin.patch("/settings", {"code_width": 12, "tz_minutes": 480},
                               if_match=r.etag)
        self.assertError(bad, 422, fields=("code_width",))
        unknown = self.admin.patch("/settings", {"colour": 1}, if_match=r.etag)
        self.assertError(unknown, 400, fields=("colour",))
        text = self.admin.patch("/settings", {"code_width": "4"}, if_match=r.etag)
        self.assertRefused(text, fields=("code_width",))
        _, values = self.settings()
        self.assertEqual(values["code_width"], 3)

    def test_only_the_settings_permission_may_change_them(self):
        mgr = self.org.client("mgr")
        r, _ = self.settings(mgr)  # anyone logged in may read them
        self.assertError(mgr.patch("/settings", {"code_width": 4}, if_match=r.etag), 403)

    def test_a_change_is_audited(self):
        r, _ = self.settings()
        self.restore("stage_lost_days", 180)
        self.assertStatus(self.admin.patch("/settings", {"stage_lost_days": 200},
                                           if_match=r.etag), 200)
        log = self.admin.get("/audit", params={"entity": "settings"})
        self.assertStatus(log, 200)
        self.assertEqual(log.json["items"][0]["changes"]["stage_lost_days"], 200)
