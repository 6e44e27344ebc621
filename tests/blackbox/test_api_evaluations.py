"""Relationship evaluations 客户关系评估表 and countermeasures 重要客户/问题客户对策表
through the API: admin-defined indicators, evaluations scored on every active
indicator (errors naming the indicator), weighted total, grade and recommendation,
the customer's latest recommendation, If-Match on edits, delete and restore, and the
data scope of build_org's users (out of scope: 404; a viewer cannot write: 403)."""

import unittest

from .kehu_fixture import KehuTestCase

DEFAULT = ("成长率", "信用度", "总利润率", "业界地位")


def scores(*values, names=DEFAULT):
    return [{"indicator": n, "score": v} for n, v in zip(names, values)]


class IndicatorTests(KehuTestCase):
    with_org = True

    def test_defaults_and_the_weight_sum(self):
        r = self.org.client("sales_a").get("/evaluation-indicators")
        self.assertStatus(r, 200)
        self.assertEqual([i["name"] for i in r.json["items"]], list(DEFAULT))
        self.assertEqual(r.json["active_weight"], 100)
        self.assertEqual({i["max_score"] for i in r.json["items"]}, {100})

    def test_only_dictionary_managers_define_indicators(self):
        body = {"name": "服务配合度", "weight": 10}
        self.assertError(self.org.client("sales_a").post("/evaluation-indicators", body), 403)
        self.assertError(self.org.client("mgr").post("/evaluation-indicators", body), 403)

    def test_add_edit_retire_with_if_match(self):
        r = self.admin.post("/evaluation-indicators",
                            {"name": "付款及时性", "name_en": "Pays on time", "weight": 0,
                             "max_score": 5, "description": "回款是否按合同约定"})
        self.assertStatus(r, 201)
        ind = r.json
        self.assertTrue(r.headers.get("Location", "").endswith("/evaluation-indicators/%d"
                                                                % ind["id"]))
        self.assertEqual(ind["max_score"], 5)
        self.assertFalse(ind["retired"])
        # the same name again: refused naming the field
        self.assertRefused(self.admin.post("/evaluation-indicators",
                                           {"name": "付款及时性", "weight": 0}), fields=("name",))
        # If-Match is required and checked
        self.assertError(self.admin.patch("/evaluation-indicators/%d" % ind["id"],
                                          {"retired": True}), 428)
        self.assertError(self.admin.patch("/evaluation-indicators/%d" % ind["id"],
                                          {"retired": True}, if_match=ind["version"] + 5), 412)
        r = self.admin.patch("/evaluation-indicators/%d" % ind["id"], {"retired": True},
                             if_match=r)
        self.assertStatus(r, 200)
        self.assertTrue(r.json["retired"])
        names = [i["name"] for i in self.admin.get("/evaluation-indicators").json["items"]]
        self.assertNotIn("付款及时性", names)
        names = [i["name"] for i in self.admin.get("/evaluation-indicators",
                                                   params={"retired": "true"}).json["items"]]
        self.assertIn("付款及时性", names)

    def test_bad_values_name_the_field(self):
        self.assertRefused(self.admin.post("/evaluation-indicators",
                                           {"name": "甲=乙", "weight": 10}), fields=("name",))
        self.assertRefused(self.admin.post("/evaluation-indicators",
                                           {"name": "过重", "weight": 101}), fields=("weight",))
        self.assertRefused(self.admin.post("/evaluation-indicators",
                                           {"name": "零分", "weight": 1, "max_score": 0}),
                           fields=("max_score",))
        self.assertRefused(self.admin.post("/evaluation-indicators", {"weight": 1}),
                           fields=("name",))


class EvaluationTests(KehuTestCase):
    with_org = True

    def customer(self, owner):
        return self.org.owned[owner][0]

    def evaluate(self, user, customer, values, date="2024-06-01", **extra):
        body = {"date": date, "scores": scores(*values)}
        body.update(extra)
        return self.org.client(user).post("/customers/%d/evaluations" % customer, body)

    def test_create_computes_total_grade_and_recommendation(self):
        cid = self.customer("sales_a")
        r = self.evaluate("sales_a", cid, (80, 90, 70, 60), remarks="年度评估")
        self.assertStatus(r, 201)
        ev = r.json
        self.assertEqual(r.etag, '"%d"' % ev["version"])
        self.assertTrue(r.headers["Location"].endswith("/evaluations/%d" % ev["id"]))
        self.assertEqual(ev["customer_id"], cid)
        self.assertEqual(ev["total"], 75)
        self.assertEqual(ev["grade"], "C")
        self.assertEqual(ev["recommendation"]["code"], "maintain")
        self.assertEqual(ev["recommendation"]["zh"], "维持关系")
        self.assertEqual(ev["evaluator"]["id"], self.org.users["sales_a"]["id"])
        self.assertEqual([s["indicator"] for s in ev["scores"]], list(DEFAULT))
        self.assertEqual([s["weight"] for s in ev["scores"]], [25] * 4)
        self.assertEqual([s["grade"] for s in ev["scores"]], ["B", "A", "C", "D"])
        # read back: the same document
        r = self.org.client("sales_a").get("/evaluations/%d" % ev["id"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["scores"], ev["scores"])
        # the customer shows the latest recommendation
        c = self.org.client("sales_a").get("/customers/%d" % cid).json
        self.assertEqual(c["relationship"]["code"], "maintain")

    def test_indicator_by_id_and_basis(self):
        inds = self.admin.get("/evaluation-indicators").json["items"]
        body = {"date": "2024-06-02",
                "scores": [{"indicator_id": i["id"], "score": 100, "basis": "依据%d" % k}
                           for k, i in enumerate(inds)]}
        r = self.org.client("sales_b").post("/evaluations",
                                            dict(body, customer_id=self.customer("sales_b")))
        self.assertStatus(r, 201)
        self.assertEqual(r.json["total"], 100)
        self.assertEqual(r.json["grade"], "A")
        self.assertEqual(r.json["recommendation"]["code"], "develop")
        self.assertEqual(r.json["scores"][2]["basis"], "依据2")

    def test_missing_or_bad_scores_are_refused_naming_the_indicator(self):
        cid = self.customer("lead")
        c = self.org.client("lead")
        r = c.post("/evaluations", {"customer_id": cid, "date": "2024-06-01",
                                    "scores": scores(80, 90, 70)})
        self.assertError(r, 422, fields=("scores.业界地位",))
        self.assertIn("业界地位", r.json["error"]["fields"]["scores.业界地位"])
        r = c.post("/evaluations", {"customer_id": cid, "date": "2024-06-01",
                                    "scores": scores(80, 190, 70, 60)})
        self.assertError(r, 422, fields=("scores.信用度",))
        r = c.post("/evaluations", {"customer_id": cid, "date": "2024-06-01"})
        self.assertError(r, 422, fields=tuple("scores." + n for n in DEFAULT))
        r = c.post("/evaluations", {"customer_id": cid, "date": "2024-06-01",
                                    "scores": scores(80, 90, 70, 60) + [
                                        {"indicator": "客户忠诚度", "score": 1}]})
        self.assertError(r, 422, fields=("scores[4]",))
        r = c.post("/evaluations", {"customer_id": cid, "date": "2024-06-01",
                                    "scores": [{"indicator": "成长率", "score": "high"}]})
        self.assertRefused(r)
        r = c.post("/evaluations", {"customer_id": cid, "date": "2024-06-01", "total": 99,
                                    "scores": scores(80, 90, 70, 60)})
        self.assertRefused(r, fields=("total",))
        r = c.post("/evaluations", {"customer_id": cid, "date": "2024-06-01",
                                    "scores": {"成长率": 80}})
        self.assertRefused(r, fields=("scores",))
        # in English too, naming the indicator
        en = self.org.client("lead", lang="en")
        r = en.post("/evaluations", {"customer_id": cid, "date": "2024-06-01",
                                     "scores": scores(80, 90, 70)})
        self.assertError(r, 422, fields=("scores.业界地位",))
        self.assertIn("a score is required", r.json["error"]["fields"]["scores.业界地位"])
        # nothing was written
        r = c.get("/customers/%d/evaluations" % cid)
        self.assertEqual(r.json["items"], [])

    def test_edit_with_if_match_recomputes(self):
        cid = self.org.owned["sales_a"][1]
        c = self.org.client("sales_a")
        ev = self.evaluate("sales_a", cid, (60, 60, 60, 60)).json
        self.assertEqual(ev["recommendation"]["code"], "maintain")
        path = "/evaluations/%d" % ev["id"]
        body = {"scores": [{"indicator": "成长率", "score": 100}], "remarks": "复评"}
        self.assertError(c.patch(path, body), 428)
        r = c.patch(path, body, if_match=ev["version"] + 3)
        self.assertError(r, 412)
        # the evaluation as it is now comes along, with its scores
        self.assertEqual(r.json["current"]["version"], ev["version"])
        self.assertEqual([s["score"] for s in r.json["current"]["scores"]], [60] * 4)
        r = c.patch(path, body, if_match=ev)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["total"], 70)
        self.assertEqual(r.json["remarks"], "复评")
        self.assertEqual(r.json["version"], ev["version"] + 1)
        self.assertEqual([s["score"] for s in r.json["scores"]], [100, 60, 60, 60])
        # the old version is stale now
        self.assertError(c.patch(path, {"remarks": "x"}, if_match=ev), 412)
        # a score out of range names the indicator and changes nothing
        r2 = c.patch(path, {"scores": [{"indicator": "信用度", "score": 101}]}, if_match=r)
        self.assertError(r2, 422, fields=("scores.信用度",))
        self.assertEqual(c.get(path).json["total"], 70)

    def test_latest_recommendation_follows_delete_and_restore(self):
        cid = self.org.owned["sub"][0]
        c = self.org.client("lead")  # own_sub: sees sub's customers
        first = self.evaluate("lead", cid, (50, 50, 50, 50), date="2024-01-01").json
        self.assertEqual(first["recommendation"]["code"], "terminate")
        last = self.evaluate("lead", cid, (90, 90, 90, 90), date="2024-09-01").json
        self.assertEqual(c.get("/customers/%d" % cid).json["relationship"]["code"], "develop")
        r = c.delete("/evaluations/%d" % last["id"], if_match=last)
        self.assertStatus(r, 204)
        self.assertError(c.get("/evaluations/%d" % last["id"]), 404)
        self.assertEqual(c.get("/customers/%d" % cid).json["relationship"]["code"],
                         "terminate")
        # customers filter on it
        ids = {x["id"] for x in self.all_pages(c, "/customers",
                                               {"relationship": "terminate"})}
        self.assertIn(cid, ids)
        r = c.post("/evaluations/%d/restore" % last["id"], if_match=last["version"] + 1)
        self.assertStatus(r, 200)
        self.assertEqual(len(r.json["scores"]), 4)
        self.assertEqual(c.get("/customers/%d" % cid).json["relationship"]["code"], "develop")

    def test_lists_filter_and_keep_the_scope(self):
        a = self.customer("sales_a")
        b = self.customer("sales_b")
        self.evaluate("sales_a", a, (95, 95, 95, 95), date="2024-03-03")
        self.evaluate("sales_b", b, (10, 10, 10, 10), date="2024-03-04")
        mine = self.all_pages(self.org.client("sales_a"), "/evaluations", {"limit": 2})
        self.assertTrue(mine)
        self.assertTrue(all(e["customer_id"] in self.org.owned["sales_a"] for e in mine))
        every = self.all_pages(self.admin, "/evaluations", {"limit": 3})
        self.assertTrue({a, b} <= {e["customer_id"] for e in every})
        develop = self.all_pages(self.admin, "/evaluations", {"recommendation": "发展关系"})
        self.assertTrue(develop)
        self.assertTrue(all(e["recommendation"]["code"] == "develop" for e in develop))
        low = self.all_pages(self.admin, "/evaluations", {"total_to": "59"})
        self.assertTrue(low)
        self.assertTrue(all(e["total"] <= 59 for e in low))
        dated = self.all_pages(self.admin, "/evaluations", {"date": "2024-03-04"})
        self.assertEqual({e["customer_id"] for e in dated}, {b})

    def test_out_of_scope_is_404_and_viewer_cannot_write(self):
        a = self.customer("sales_a")
        ev = self.evaluate("sales_a", a, (70, 70, 70, 70)).json
        path = "/evaluations/%d" % ev["id"]
        other = self.org.client("sales_b")
        self.assertError(other.get(path), 404)
        self.assertError(other.patch(path, {"remarks": "x"}, if_match=ev), 404)
        self.assertError(other.delete(path, if_match=ev), 404)
        self.assertError(other.get("/customers/%d/evaluations" % a), 404)
        r = self.evaluate("sales_b", a, (70, 70, 70, 70))
        self.assertIn(r.status, (404, 422))
        self.assertNotIn(a, {e["customer_id"] for e in self.all_pages(other, "/evaluations")})
        viewer = self.org.client("viewer")  # dept 销售一部: sees sales_a's customers
        self.assertStatus(viewer.get(path), 200)
        self.assertError(self.evaluate("viewer", a, (70, 70, 70, 70)), 403)
        self.assertError(viewer.patch(path, {"remarks": "x"}, if_match=ev), 403)
        self.assertError(viewer.delete(path, if_match=ev), 403)


class ThresholdSettingTests(KehuTestCase):
    """The thresholds of the recommendation and of the grades keep their order:
    develop above maintain, A above B above C above D; an inverted pair is refused
    naming the field, and nothing is saved."""

    def settings(self):
        r = self.assertStatus(self.admin.get("/settings"), 200)
        return r, {i["key"]: i["value"] for i in r.json["items"]}

    def test_inverted_thresholds_are_refused(self):
        for change, field in (({"eval_develop_min": 10, "eval_maintain_min": 90},
                               "eval_maintain_min"),
                              ({"eval_maintain_min": 85}, "eval_maintain_min"),
                              ({"eval_develop_min": 50}, "eval_develop_min"),
                              ({"eval_grade_a": 10, "eval_grade_b": 90}, "eval_grade_b"),
                              ({"eval_grade_c": 85}, "eval_grade_c"),
                              ({"eval_grade_d": 75}, "eval_grade_d")):
            with self.subTest(change=change):
                r, before = self.settings()
                for lang in ("en", "zh-CN"):
                    self.assertError(self.admin.patch("/settings", change, if_match=r,
                                                      lang=lang), 422, fields=(field,))
                self.assertEqual(self.settings()[1], before)
        # the same values in a valid order are saved
        r, _ = self.settings()
        self.assertStatus(self.admin.patch("/settings", {"eval_develop_min": 90,
                                                         "eval_maintain_min": 50},
                                           if_match=r), 200)


class WeightTests(KehuTestCase):
    """Changes the indicators: a class (and a server) of its own."""
    with_org = True

    def set_weight(self, name, weight, retired=None):
        items = self.admin.get("/evaluation-indicators", params={"retired": "true"}).json
        ind = next(i for i in items["items"] if i["name"] == name)
        body = {"weight": weight}
        if retired is not None:
            body["retired"] = retired
        r = self.admin.patch("/evaluation-indicators/%d" % ind["id"], body, if_match=ind)
        self.assertStatus(r, 200)

    def test_weights_must_sum_to_100_and_old_evaluations_stay(self):
        cid = self.org.owned["sales_a"][0]
        c = self.org.client("sales_a")
        old = c.post("/evaluations", {"customer_id": cid, "date": "2024-01-01",
                                      "scores": scores(100, 0, 0, 0)}).json
        self.assertEqual(old["total"], 25)
        self.set_weight("成长率", 40)
        self.assertEqual(self.admin.get("/evaluation-indicators").json["active_weight"], 115)
        r = c.post("/evaluations", {"customer_id": cid, "date": "2024-02-01",
                                    "scores": scores(100, 0, 0, 0)})
        self.assertError(r, 422)
        self.assertIn("115", r.json["error"]["message"])
        self.set_weight("业界地位", 10, retired=True)  # 40 + 25 + 25 = 90
        self.set_weight("信用度", 35)                   # 100
        r = c.post("/evaluations", {"customer_id": cid, "date": "2024-02-01",
                                    "scores": scores(100, 0, 0, names=DEFAULT[:3])})
        self.assertStatus(r, 201)
        self.assertEqual(r.json["total"], 40)
        self.assertEqual(len(r.json["scores"]), 3)
        # the old evaluation keeps its form, weights and total
        again = c.get("/evaluations/%d" % old["id"]).json
        self.assertEqual(again["total"], 25)
        self.assertEqual([s["weight"] for s in again["scores"]], [25] * 4)
        self.assertEqual(again["scores"][3]["indicator"], "业界地位")


class CountermeasureTests(KehuTestCase):
    with_org = True

    def add(self, user, customer, **fields):
        body = {"customer_id": customer, "date": "2024-06-01", "problem": "订单下滑",
                "strategy": "经理亲自拜访"}
        body.update(fields)
        return self.org.client(user).post("/countermeasures", body)

    def test_tables_of_important_and_problem_customers(self):
        a = self.org.owned["sales_a"][0]
        r = self.add("sales_a", a, kind="important", sales="年销售额 50 万元",
                     problem="竞争对手压价", strategy="签订年度框架协议", due_date="2024-09-30")
        self.assertStatus(r, 201)
        imp = r.json
        self.assertEqual(imp["kind"]["zh"], "重要客户")
        self.assertEqual(imp["status"]["code"], "open")
        self.assertEqual(imp["owner"]["id"], self.org.users["sales_a"]["id"])
        r = self.add("sales_a", a, kind="问题客户", trend="严重恶化", sales_scope="华南",
                     location="深圳", responsible="sales-b")
        self.assertStatus(r, 201)
        prob = r.json
        self.assertEqual(prob["trend"]["code"], "severe")
        self.assertEqual(prob["responsible"]["id"], self.org.users["sales_b"]["id"])
        # the trend is a column of the problem table only
        r = self.add("sales_a", a, kind="important", trend="slight")
        self.assertRefused(r, fields=("trend",))
        r = self.add("sales_a", a, kind="vip")
        self.assertRefused(r, fields=("kind",))
        self.assertRefused(self.add("sales_a", a, kind="important", strategy=""),
                           fields=("strategy",))
        c = self.org.client("sales_a")
        problems = self.all_pages(c, "/countermeasures", {"kind": "problem"})
        self.assertIn(prob["id"], [x["id"] for x in problems])
        self.assertEqual({x["kind"]["code"] for x in problems}, {"problem"})
        # done, with If-Match; the list by status follows
        path = "/countermeasures/%d" % imp["id"]
        self.assertError(c.patch(path, {"status": "done"}), 428)
        r = c.patch(path, {"status": "已完成"}, if_match=imp)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"]["code"], "done")
        done = self.all_pages(c, "/countermeasures", {"status": "done"})
        self.assertEqual([x["id"] for x in done], [imp["id"]])
        mine = self.all_pages(self.admin, "/countermeasures", {"owner": "sales-a"})
        self.assertTrue({imp["id"], prob["id"]} <= {x["id"] for x in mine})
        self.assertEqual({x["owner"]["id"] for x in mine}, {self.org.users["sales_a"]["id"]})
        of_customer = self.all_pages(c, "/customers/%d/countermeasures" % a)
        self.assertTrue({imp["id"], prob["id"]} <= {x["id"] for x in of_customer})
        self.assertEqual({x["customer_id"] for x in of_customer}, {a})
        # delete and restore
        r = c.delete(path, if_match=r)
        self.assertStatus(r, 204)
        self.assertError(c.get(path), 404)
        self.assertStatus(c.post(path + "/restore", if_match=imp["version"] + 2), 200)

    def test_scope_and_permissions(self):
        a = self.org.owned["sales_a"][0]
        cm = self.add("sales_a", a, kind="important").json
        path = "/countermeasures/%d" % cm["id"]
        self.assertError(self.org.client("sales_b").get(path), 404)
        self.assertError(self.org.client("sales_b").patch(path, {"status": "done"},
                                                          if_match=cm), 404)
        self.assertNotIn(cm["id"], {x["id"] for x in self.all_pages(
            self.org.client("lead"), "/countermeasures")})
        self.assertStatus(self.org.client("viewer").get(path), 200)
        self.assertError(self.add("viewer", a, kind="important"), 403)
        self.assertIn(cm["id"], {x["id"] for x in self.all_pages(
            self.org.client("mgr"), "/countermeasures")})


if __name__ == "__main__":
    unittest.main()
