"""
Black-box tests of follow-ups (跟进记录) and orders (合作/购买记录) through the
HTTP API: create, validation (zh and en), list filters and keyset paging,
If-Match edits, delete/restore, data scope and role permissions, audit, and the
customer's fields that follow them (last follow-up date and next step; deal
count, amount, first/last deal date and stage, on top of opening balances).
"""
import datetime
import os
import random
import subprocess
import threading
import unittest

from . import dbs
from .kehu_fixture import KehuTestCase, customer_body

LOYAL_COUNT = 3  # settings stage_loyal_count default
LOST_DAYS = 180  # settings stage_lost_days default


def today():
    return datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()


def days_ago(n):
    return (today() - datetime.timedelta(days=n)).isoformat()


def code(v):
    """A dictionary value as the API returns it ({"code": ...}) or None."""
    return v["code"] if isinstance(v, dict) else v


def expected_stage(status, count, last_deal):
    if status == "lost":
        return "lost"
    if count <= 0:
        return "potential"
    if last_deal and (today() - datetime.date.fromisoformat(last_deal)).days > LOST_DAYS:
        return "lost"
    return "loyal" if count >= LOYAL_COUNT else "new"


def expected_deals(customer, orders):
    """The customer's derived deal fields recomputed from its live orders plus
    its opening balance."""
    dates = [o["date"] for o in orders]
    first = [d for d in dates + [customer.get("opening_first_deal_date")] if d]
    last = [d for d in dates + [customer.get("opening_last_deal_date")] if d]
    count = customer.get("opening_deal_count", 0) + len(orders)
    last_deal = max(last) if last else None
    return {
        "deal_count": count,
        "deal_amount": customer.get("opening_deal_amount", 0) + sum(o["amount"] for o in orders),
        "first_deal_date": min(first) if first else None,
        "last_deal_date": last_deal,
        "stage": expected_stage(code(customer["status"]), count, last_deal),
    }


def actual_deals(customer):
    return {k: code(customer[k]) for k in
            ("deal_count", "deal_amount", "first_deal_date", "last_deal_date", "stage")}


class RecordsCase(KehuTestCase):
    with_org = True

    def customer_of(self, key, i=0):
        return self.org.owned[key][i]

    def new_customer(self, client=None, name="记录测试有限公司", **fields):
        client = client or self.admin
        r = self.assertStatus(client.post("/customers", customer_body(name, **fields)), 201)
        return r.json["id"]

    def customer(self, cid, client=None):
        return self.assertStatus((client or self.admin).get("/customers/%d" % cid), 200).json

    def add(self, path, body, client=None):
        r = (client or self.admin).post(path, body)
        self.assertStatus(r, 201)
        return r.json

    def followup(self, cid, date, client=None, **fields):
        body = {"customer_id": cid, "date": date, "content": "沟通了需求和报价"}
        body.update(fields)
        return self.add("/followups", body, client)

    def order(self, cid, date, amount, client=None, **fields):
        body = {"customer_id": cid, "date": date, "amount": amount}
        body.update(fields)
        return self.add("/orders", body, client)

    def live_orders(self, cid, client=None):
        return self.all_pages(client or self.admin, "/customers/%d/orders" % cid,
                              {"limit": 50})

    def assertDealsAgree(self, cid):
        c = self.customer(cid)
        self.assertEqual(actual_deals(c), expected_deals(c, self.live_orders(cid)))
        return c

    def audit_of(self, entity, entity_id):
        items = self.all_pages(self.admin, "/audit", {"limit": 100})
        return [a for a in items if a["entity"] == entity and a["entity_id"] == entity_id]


class FollowupTests(RecordsCase):
    def test_create_echoes_fields_and_owner_defaults_to_me(self):
        sa = self.org.client("sales_a")
        cid = self.customer_of("sales_a")
        contact = self.org.customers[cid]["contacts"][0]["id"]
        f = self.followup(cid, "2024-06-01", sa, contact_id=contact, method="visit",
                          content="上门拜访，演示产品", result="对方有兴趣",
                          next_step="发送报价单", next_step_due="2024-06-08",
                          participants="张三、李四")
        self.assertEqual(f["customer_id"], cid)
        self.assertEqual(f["contact_id"], contact)
        self.assertEqual(f["date"], "2024-06-01")
        self.assertEqual(f["method"]["code"], "visit")
        self.assertEqual(f["method"]["zh"], "拜访")
        self.assertEqual(f["content"], "上门拜访，演示产品")
        self.assertEqual(f["result"], "对方有兴趣")
        self.assertEqual(f["next_step"], "发送报价单")
        self.assertEqual(f["next_step_due"], "2024-06-08")
        self.assertEqual(f["participants"], "张三、李四")
        self.assertEqual(f["owner"]["id"], self.org.users["sales_a"]["id"])
        self.assertEqual(f["version"], 1)
        g = self.assertStatus(sa.get("/followups/%d" % f["id"]), 200)
        self.assertEqual(g.etag, '"1"')
        self.assertEqual(g.json["content"], f["content"])
        # someone else may be named as the one who logged it
        other = self.followup(cid, "2024-06-02", sa, owner=self.org.users["sales_b"]["id"])
        self.assertEqual(other["owner"]["id"], self.org.users["sales_b"]["id"])

    def test_validation_names_the_field_in_both_languages(self):
        cid = self.customer_of("sales_a")
        for lang, words in (("zh-CN", "跟进日期"), ("en", "Follow-up date")):
            c = self.org.client("sales_a", lang)
            err = self.assertError(c.post("/followups", {"customer_id": cid}), 422,
                                   "validation_failed", fields=("date", "content"))
            self.assertIn(words, err["fields"]["date"])
            err = self.assertError(c.post("/followups", {"date": "2024-06-01", "content": "x"}),
                                   422, fields=("customer_id",))
        sa = self.org.client("sales_a")
        bad = [({"date": "2024-02-30"}, "date"), ({"date": "昨天"}, "date"),
               ({"method": "telepathy"}, "method"), ({"next_step_due": "2024-13-01"},
                                                     "next_step_due"),
               ({"content": "长" * 5001}, "content"), ({"owner": 999999}, "owner"),
               ({"contact_id": 999999}, "contact_id")]
        for extra, field in bad:
            body = {"customer_id": cid, "date": "2024-06-01", "content": "x"}
            body.update(extra)
            self.assertRefused(sa.post("/followups", body), fields=(field,))
        before = self.all_pages(self.admin, "/followups", {"customer_id": cid})
        self.assertEqual([f for f in before if f["content"] == "x"], [])

    def test_customer_that_does_not_exist_is_named(self):
        for lang, words in (("zh-CN", "不存在"), ("en", "not found")):
            c = self.org.client("sales_a", lang)
            err = self.assertError(c.post("/followups", {"customer_id": 987654, "date":
                                                         "2024-06-01", "content": "x"}),
                                   (404, 422), fields=("customer_id",))
            self.assertIn(words, err["fields"]["customer_id"])
        # a customer out of my scope is as good as absent, and says nothing more
        cid_b = self.customer_of("sales_b")
        err = self.assertError(self.org.client("sales_a").post(
            "/followups", {"customer_id": cid_b, "date": "2024-06-01", "content": "x"}),
            (404, 422), fields=("customer_id",))
        self.assertNotIn(self.org.customers[cid_b]["name"], str(err))

    def test_contact_of_another_customer_is_refused(self):
        sa = self.org.client("sales_a")
        c1, c2 = self.org.owned["sales_a"][:2]
        other = self.org.customers[c2]["contacts"][0]["id"]
        for lang in ("zh-CN", "en"):
            err = self.assertError(self.org.client("sales_a", lang).post(
                "/followups", {"customer_id": c1, "date": "2024-06-01", "content": "x",
                               "contact_id": other}), 422, fields=("contact_id",))
            self.assertTrue(err["fields"]["contact_id"])
        f = self.followup(c1, "2024-06-01", sa)
        self.assertRefused(sa.patch("/followups/%d" % f["id"], {"contact_id": other},
                                    if_match=1), fields=("contact_id",))
        # the customer of a record is fixed once it is created
        self.assertRefused(sa.patch("/followups/%d" % f["id"], {"customer_id": c2},
                                    if_match=1), fields=("customer_id",))
        self.assertEqual(sa.get("/followups/%d" % f["id"]).json["version"], 1)

    def test_list_filters_and_paging(self):
        cid = self.new_customer(name="跟进列表测试有限公司")
        other = self.new_customer(name="跟进列表旁观者有限公司")
        sa_id = self.org.users["sales_a"]["id"]
        made = []
        for i in range(23):
            made.append(self.followup(cid, "2024-03-%02d" % (1 + i), method=(
                "phone", "email", "wechat")[i % 3], owner=sa_id if i % 2 else None))
        self.followup(other, "2024-03-05", method="phone")
        mine = self.all_pages(self.admin, "/followups", {"customer_id": cid, "limit": 5})
        self.assertEqual(sorted(f["id"] for f in mine), sorted(f["id"] for f in made))
        of = self.all_pages(self.admin, "/customers/%d/followups" % cid, {"limit": 4})
        self.assertEqual(sorted(f["id"] for f in of), sorted(f["id"] for f in made))
        by_date = self.all_pages(self.admin, "/followups", {
            "customer_id": cid, "date_from": "2024-03-05", "date_to": "2024-03-10",
            "limit": 2})
        self.assertEqual(sorted(f["date"] for f in by_date),
                         ["2024-03-%02d" % d for d in range(5, 11)])
        phone = self.all_pages(self.admin, "/followups", {"customer_id": cid,
                                                          "method": "phone", "limit": 3})
        self.assertEqual(len(phone), 8)
        self.assertTrue(all(f["method"]["code"] == "phone" for f in phone))
        owned = self.all_pages(self.admin, "/followups", {"customer_id": cid, "owner": sa_id})
        self.assertEqual(len(owned), 11)
        self.assertTrue(all(f["owner"]["id"] == sa_id for f in owned))
        desc = self.all_pages(self.admin, "/customers/%d/followups" % cid,
                              {"sort": "-date", "limit": 7})
        self.assertEqual([f["date"] for f in desc],
                         sorted((f["date"] for f in made), reverse=True))
        self.assertRefused(self.admin.get("/followups", params={"colour": "red"}),
                           fields=("colour",))
        self.assertRefused(self.admin.get("/followups", params={"date_from": "soon"}),
                           fields=("date_from",))
        self.assertError(self.admin.get("/customers/987654/followups"), 404)

    def test_edit_with_if_match(self):
        sa = self.org.client("sales_a")
        cid = self.new_customer(sa, name="跟进编辑测试有限公司")
        f = self.followup(cid, "2024-06-01", sa, next_step="寄样品")
        path = "/followups/%d" % f["id"]
        r = self.assertStatus(sa.patch(path, {"content": "改过的内容", "next_step": "约见"},
                                       if_match=f), 200)
        self.assertEqual(r.json["version"], 2)
        self.assertEqual(r.json["content"], "改过的内容")
        self.assertEqual(self.customer(cid)["next_step"], "约见")
        stale = sa.patch(path, {"content": "过期的编辑"}, if_match=f)
        self.assertError(stale, 412)
        self.assertError(sa.patch(path, {"content": "没有版本"}), 428)
        g = sa.get(path).json
        self.assertEqual((g["version"], g["content"]), (2, "改过的内容"))
        self.assertEqual(self.customer(cid)["next_step"], "约见")

    def test_customer_follows_the_latest_followup(self):
        sa = self.org.client("sales_a")
        cid = self.new_customer(sa, name="最近跟进测试有限公司")
        c = self.customer(cid)
        self.assertIsNone(c["last_followup_date"])
        early = self.followup(cid, "2024-05-01", sa, next_step="第一步", next_step_due="2024-05-05")
        late = self.followup(cid, "2024-06-01", sa, next_step="第二步", next_step_due="2024-06-05")
        # an older one logged afterwards does not take over the next step
        self.followup(cid, "2024-04-01", sa, next_step="更早的一步")
        c = self.customer(cid)
        self.assertEqual((c["last_followup_date"], c["next_step"], c["next_step_due"]),
                         ("2024-06-01", "第二步", "2024-06-05"))
        # editing a follow-up that is not the latest changes nothing on the customer
        self.assertStatus(sa.patch("/followups/%d" % early["id"], {"next_step": "改了第一步"},
                                   if_match=early), 200)
        c = self.customer(cid)
        self.assertEqual((c["next_step"], c["next_step_due"]), ("第二步", "2024-06-05"))
        # the latest moved back before the other: the other speaks for the customer
        r = self.assertStatus(sa.patch("/followups/%d" % late["id"], {"date": "2024-03-01"},
                                       if_match=late), 200)
        c = self.customer(cid)
        self.assertEqual((c["last_followup_date"], c["next_step"], c["next_step_due"]),
                         ("2024-05-01", "改了第一步", "2024-05-05"))
        # and forward again
        r = self.assertStatus(sa.patch("/followups/%d" % late["id"], {"date": "2024-07-01"},
                                       if_match=r.json), 200)
        c = self.customer(cid)
        self.assertEqual((c["last_followup_date"], c["next_step"]), ("2024-07-01", "第二步"))
        # deleting the latest
        self.assertStatus(sa.delete("/followups/%d" % late["id"], if_match=r.json), 204)
        c = self.customer(cid)
        self.assertEqual((c["last_followup_date"], c["next_step"], c["next_step_due"]),
                         ("2024-05-01", "改了第一步", "2024-05-05"))
        # restoring it
        g = sa.get("/followups/%d" % late["id"])
        self.assertError(g, 404)
        deleted = self.all_pages(self.admin, "/followups", {"customer_id": cid,
                                                             "view": "deleted"})
        self.assertEqual([f["id"] for f in deleted], [late["id"]])
        self.assertStatus(sa.post("/followups/%d/restore" % late["id"], if_match=deleted[0]),
                          200, 204)
        c = self.customer(cid)
        self.assertEqual((c["last_followup_date"], c["next_step"]), ("2024-07-01", "第二步"))
        # a follow-up of the same day logged later is the latest
        self.followup(cid, "2024-07-01", sa, next_step="同一天的第二次")
        self.assertEqual(self.customer(cid)["next_step"], "同一天的第二次")

    def test_delete_and_restore(self):
        sa = self.org.client("sales_a")
        cid = self.new_customer(sa, name="跟进删除测试有限公司")
        f = self.followup(cid, "2024-06-01", sa, next_step="下一步")
        path = "/followups/%d" % f["id"]
        self.assertError(sa.delete(path), 428)
        self.assertError(sa.delete(path, if_match=7), 412)
        self.assertEqual(self.customer(cid)["last_followup_date"], "2024-06-01")
        self.assertStatus(sa.delete(path, if_match=f), 204)
        self.assertError(sa.get(path), 404)
        self.assertEqual(self.all_pages(sa, "/customers/%d/followups" % cid), [])
        self.assertNotIn(f["id"], [x["id"] for x in self.all_pages(sa, "/followups")])
        c = self.customer(cid)
        self.assertIsNone(c["last_followup_date"])
        self.assertIsNone(c["next_step"])
        self.assertError(sa.delete(path, if_match=f), 404)
        dead = self.all_pages(self.admin, "/followups", {"view": "deleted",
                                                          "customer_id": cid})[0]
        self.assertTrue(dead["deleted_at"] if "deleted_at" in dead else True)
        self.assertStatus(sa.post(path + "/restore", if_match=dead), 200, 204)
        self.assertEqual(sa.get(path).json["content"], f["content"])
        c = self.customer(cid)
        self.assertEqual((c["last_followup_date"], c["next_step"]), ("2024-06-01", "下一步"))
        self.assertError(sa.post(path + "/restore", if_match=sa.get(path)), 400)
        # whoever may delete a record finds it in the recycle bin, inside their scope only
        self.assertStatus(sa.delete(path, if_match=sa.get(path)), 204)
        mine = self.all_pages(sa, "/followups", {"view": "deleted"})
        self.assertIn(f["id"], [x["id"] for x in mine])
        self.assertTrue(all(x["customer_id"] in self.org.owned["sales_a"] or x["customer_id"]
                            == cid for x in mine))
        self.assertEqual(self.all_pages(self.org.client("sales_b"), "/followups",
                                        {"view": "deleted", "customer_id": cid}), [])
        self.assertError(self.org.client("viewer").get("/followups", params={"view": "deleted"}),
                         403)
        bin_item = next(x for x in mine if x["id"] == f["id"])
        self.assertStatus(sa.post(path + "/restore", if_match=bin_item), 200)
        # a record of a deleted customer goes with it
        mgr = self.org.client("mgr")
        self.assertStatus(mgr.delete("/customers/%d" % cid, if_match=self.customer(cid)), 204)
        self.assertError(sa.get(path), 404)
        self.assertNotIn(f["id"], [x["id"] for x in self.all_pages(self.admin, "/followups")])

    def test_scope_and_roles(self):
        admin = self.admin
        cid_a = self.customer_of("sales_a")
        cid_b = self.customer_of("sales_b")
        fb = self.followup(cid_b, "2024-06-01", self.org.client("sales_b"))
        sa = self.org.client("sales_a")
        path = "/followups/%d" % fb["id"]
        self.assertError(sa.get(path), 404)
        self.assertError(sa.patch(path, {"content": "偷改"}, if_match=fb), 404)
        self.assertError(sa.delete(path, if_match=fb), 404)
        self.assertError(sa.get("/customers/%d/followups" % cid_b), 404)
        # writing under a customer's address outside the scope: 404 as reading it (and
        # as POST /customers/{id}/contacts), for every kind kept under a customer
        for kind, body in (("followups", {"date": "2024-06-01", "content": "x"}),
                           ("orders", {"date": "2024-06-01", "amount": 100}),
                           ("visits", {"date": "2024-06-01", "summary": "x"}),
                           ("evaluations", {"date": "2024-06-01", "scores": []})):
            for cid in (cid_b, 999999):
                with self.subTest(kind=kind, customer=cid):
                    self.assertError(sa.post("/customers/%d/%s" % (cid, kind), body), 404,
                                     "not_found")
        self.assertNotIn(fb["id"], [f["id"] for f in self.all_pages(sa, "/followups")])
        self.assertEqual(self.all_pages(sa, "/followups", {"customer_id": cid_b}), [])
        # a manager of the department sees it; the viewer of 销售一部 sees it but may not write
        self.assertStatus(self.org.client("mgr").get(path), 200)
        viewer = self.org.client("viewer")
        self.assertStatus(viewer.get(path), 200)
        self.assertError(viewer.patch(path, {"content": "x"}, if_match=fb), 403)
        self.assertError(viewer.post("/followups", {"customer_id": cid_a, "date": "2024-06-01",
                                                    "content": "x"}), 403)
        self.assertError(viewer.delete(path, if_match=fb), 403)
        # finance and service keep no follow-ups (no customer.write in their roles)
        for key in ("fin", "svc"):
            self.assertError(self.org.client(key).post(
                "/followups", {"customer_id": cid_a, "date": "2024-06-01", "content": "x"}), 403)
        self.assertEqual(admin.get(path).json["version"], 1)

    def test_audit(self):
        sa = self.org.client("sales_a")
        cid = self.customer_of("sales_a", 1)
        f = self.followup(cid, "2024-06-01", sa, content="审计测试")
        r = self.assertStatus(sa.patch("/followups/%d" % f["id"], {"result": "成交意向强"},
                                       if_match=f), 200)
        self.assertStatus(sa.delete("/followups/%d" % f["id"], if_match=r.json), 204)
        self.assertStatus(sa.post("/followups/%d/restore" % f["id"], if_match=3), 200, 204)
        entries = self.audit_of("followup", f["id"])
        self.assertEqual(sorted(a["action"] for a in entries),
                         ["create", "delete", "restore", "update"])
        self.assertTrue(all(a["username"] == "sales-a" for a in entries))
        upd = next(a for a in entries if a["action"] == "update")
        self.assertIn({"field": "result", "old": None, "new": "成交意向强"}, upd["changes"])


class OrderTests(RecordsCase):
    def test_create_echoes_fields_and_owner_defaults_to_me(self):
        sa = self.org.client("sales_a")
        cid = self.new_customer(sa, name="订单创建测试有限公司", status="active")
        o = self.order(cid, "2024-06-01", 1234567, sa, product="software_license", quantity=3,
                       cost=800000, paid_on_time=True, completed=False, remarks="首单")
        self.assertEqual(o["customer_id"], cid)
        self.assertEqual(o["date"], "2024-06-01")
        self.assertEqual(o["product"]["code"], "software_license")
        self.assertEqual(o["product"]["zh"], "软件授权")
        self.assertEqual((o["quantity"], o["amount"], o["cost"]), (3, 1234567, 800000))
        self.assertEqual((o["paid_on_time"], o["completed"]), (True, False))
        self.assertEqual(o["remarks"], "首单")
        self.assertEqual(o["owner"]["id"], self.org.users["sales_a"]["id"])
        self.assertEqual(sa.get("/orders/%d" % o["id"]).json["amount"], 1234567)
        c = self.assertDealsAgree(cid)
        self.assertEqual((c["deal_count"], c["deal_amount"]), (1, 1234567))
        # under the customer's address, which gives the customer
        r = self.assertStatus(sa.post("/customers/%d/orders" % cid, {"date": "2024-07-01",
                                                                     "amount": 100}), 201)
        self.assertEqual(r.json["customer_id"], cid)
        self.assertEqual(r.headers.get("Location"), "/api/v1/orders/%d" % r.json["id"])
        self.assertEqual(r.etag, '"1"')
        other = self.customer_of("sales_a", 1)
        self.assertRefused(sa.post("/customers/%d/orders" % cid, {
            "customer_id": other, "date": "2024-07-01", "amount": 100}), fields=("customer_id",))
        self.assertEqual(self.assertDealsAgree(cid)["deal_count"], 2)
        self.assertEqual(self.assertDealsAgree(other)["deal_count"], 0)

    def test_validation_names_the_field_in_both_languages(self):
        cid = self.customer_of("sales_a")
        for lang, words in (("zh-CN", "金额"), ("en", "Amount")):
            c = self.org.client("sales_a", lang)
            err = self.assertError(c.post("/orders", {"customer_id": cid}), 422,
                                   "validation_failed", fields=("date", "amount"))
            self.assertIn(words, err["fields"]["amount"])
            err = self.assertError(c.post("/orders", {"customer_id": cid, "date": "2024-06-01",
                                                      "amount": 12.5}), 422, fields=("amount",))
            self.assertIn(words, err["fields"]["amount"])
        sa = self.org.client("sales_a")
        bad = [({"amount": "abc"}, "amount"), ({"amount": -100}, "amount"),
               ({"amount": 10 ** 17}, "amount"), ({"cost": "一百"}, "cost"),
               ({"product": "time_machine"}, "product"), ({"date": "2024-02-30"}, "date"),
               ({"quantity": "many"}, "quantity"), ({"paid_on_time": "maybe"}, "paid_on_time"),
               ({"owner": 999999}, "owner")]
        before = self.customer(cid)
        for extra, field in bad:
            body = {"customer_id": cid, "date": "2024-06-01", "amount": 100}
            body.update(extra)
            self.assertRefused(sa.post("/orders", body), fields=(field,))
        self.assertError(sa.post("/orders", {"customer_id": 987654, "date": "2024-06-01",
                                             "amount": 100}), (404, 422), fields=("customer_id",))
        after = self.customer(cid)
        self.assertEqual(actual_deals(after), actual_deals(before))
        self.assertEqual(after["version"], before["version"])

    def test_list_filters_and_paging(self):
        cid = self.new_customer(name="订单列表测试有限公司", status="active")
        other = self.new_customer(name="订单列表旁观者有限公司", status="active")
        sb = self.org.users["sales_b"]["id"]
        made = []
        products = ("office_equipment", "training", "consulting")
        for i in range(17):
            made.append(self.order(cid, "2024-%02d-15" % (1 + i % 12), 1000 * (i + 1),
                                   product=products[i % 3], owner=sb if i % 4 == 0 else None))
        self.order(other, "2024-03-15", 5000, product="training")
        got = self.all_pages(self.admin, "/orders", {"customer_id": cid, "limit": 4})
        self.assertEqual(sorted(o["id"] for o in got), sorted(o["id"] for o in made))
        got = self.all_pages(self.admin, "/customers/%d/orders" % cid, {"limit": 5})
        self.assertEqual(len(got), 17)
        q2 = self.all_pages(self.admin, "/orders", {"customer_id": cid, "date_from": "2024-04-01",
                                                    "date_to": "2024-06-30", "limit": 2})
        self.assertEqual(sorted(o["id"] for o in q2),
                         sorted(o["id"] for o in made if "2024-04-01" <= o["date"] <= "2024-06-30"))
        training = self.all_pages(self.admin, "/orders", {"customer_id": cid,
                                                          "product": "training"})
        self.assertEqual(len(training), 6)
        both = self.all_pages(self.admin, "/orders", {"product": "training,consulting",
                                                      "customer_id": cid})
        self.assertEqual(len(both), 11)
        by_b = self.all_pages(self.admin, "/orders", {"customer_id": cid, "owner": sb})
        self.assertEqual(sorted(o["id"] for o in by_b), [o["id"] for o in made[::4]])
        big = self.all_pages(self.admin, "/orders", {"customer_id": cid, "amount_from": 15000})
        self.assertEqual(len(big), 3)
        by_amount = self.all_pages(self.admin, "/orders", {"customer_id": cid,
                                                           "sort": "-amount", "limit": 3})
        self.assertEqual([o["amount"] for o in by_amount], [1000 * i for i in range(17, 0, -1)])

    def test_edit_with_if_match(self):
        cid = self.new_customer(name="订单编辑测试有限公司", status="active")
        o = self.order(cid, days_ago(10), 10000, product="training")
        path = "/orders/%d" % o["id"]
        r = self.assertStatus(self.admin.patch(path, {"amount": 25000, "date": days_ago(5)},
                                               if_match=o), 200)
        self.assertEqual((r.json["version"], r.json["amount"]), (2, 25000))
        c = self.assertDealsAgree(cid)
        self.assertEqual(c["deal_amount"], 25000)
        self.assertError(self.admin.patch(path, {"amount": 1}, if_match=o), 412)
        self.assertEqual(self.customer(cid)["deal_amount"], 25000)
        self.assertEqual(self.admin.get(path).json["amount"], 25000)
        # nothing to change: no new version
        same = self.assertStatus(self.admin.patch(path, {"amount": 25000}, if_match=r.json), 200)
        self.assertEqual(same.json["version"], 2)

    def test_deal_fields_follow_the_orders(self):
        sa = self.org.client("sales_a")
        cid = self.new_customer(sa, name="订单派生测试有限公司", status="active")
        c = self.customer(cid)
        self.assertEqual(actual_deals(c), {"deal_count": 0, "deal_amount": 0, "first_deal_date":
                                           None, "last_deal_date": None, "stage": "potential"})
        o1 = self.order(cid, days_ago(400), 100000, sa)
        c = self.assertDealsAgree(cid)
        self.assertEqual(c["stage"]["code"], "lost")  # the only order is too old
        o2 = self.order(cid, days_ago(30), 200000, sa)
        c = self.assertDealsAgree(cid)
        self.assertEqual(c["stage"]["code"], "new")
        o3 = self.order(cid, days_ago(3), 50000, sa)
        c = self.assertDealsAgree(cid)
        self.assertEqual((c["stage"]["code"], c["deal_count"], c["deal_amount"],
                          c["first_deal_date"], c["last_deal_date"]),
                         ("loyal", 3, 350000, days_ago(400), days_ago(3)))
        # delete the latest: last date goes back, stage drops
        self.assertStatus(sa.delete("/orders/%d" % o3["id"], if_match=o3), 204)
        c = self.assertDealsAgree(cid)
        self.assertEqual((c["deal_count"], c["last_deal_date"], c["stage"]["code"]),
                         (2, days_ago(30), "new"))
        self.assertNotIn(o3["id"], [o["id"] for o in self.all_pages(sa, "/orders")])
        # move the oldest forward
        self.assertStatus(sa.patch("/orders/%d" % o1["id"], {"date": days_ago(60)},
                                   if_match=o1), 200)
        c = self.assertDealsAgree(cid)
        self.assertEqual(c["first_deal_date"], days_ago(60))
        # restore brings it back everywhere
        self.assertStatus(sa.post("/orders/%d/restore" % o3["id"], if_match=2), 200, 204)
        c = self.assertDealsAgree(cid)
        self.assertEqual((c["deal_count"], c["last_deal_date"]), (3, days_ago(3)))
        # status 流失客户 makes the stage lost whatever the orders say
        self.assertStatus(sa.patch("/customers/%d" % cid, {"status": "lost"}, if_match=c), 200)
        c = self.assertDealsAgree(cid)
        self.assertEqual(c["stage"]["code"], "lost")
        self.order(cid, days_ago(1), 1, sa)
        self.assertEqual(self.assertDealsAgree(cid)["stage"]["code"], "lost")
        # the deal fields are the system's, not the user's
        c = self.customer(cid)
        self.assertRefused(sa.patch("/customers/%d" % cid, {"deal_count": 99}, if_match=c),
                           fields=("deal_count",))
        self.assertRefused(sa.patch("/customers/%d" % cid, {"opening_deal_amount": 99},
                                    if_match=c), fields=("opening_deal_amount",))
        del o2

    def test_opening_balance(self):
        """Demo (and imported) customers bring their totals from before kehu: those are
        the opening balance, shown as such, and orders add to them."""
        p = self.server.cli("demo", "--customers", "30", "--seed", "7")
        self.assertEqual(p.returncode, 0, p.stderr)
        customers = self.all_pages(self.admin, "/customers", {"limit": 100})
        with_opening = []
        for item in customers:
            c = self.customer(item["id"])
            for k in ("opening_deal_count", "opening_deal_amount", "opening_first_deal_date",
                      "opening_last_deal_date"):
                self.assertIn(k, c)
            # every customer, demo or not, agrees with its orders and opening balance
            self.assertEqual(actual_deals(c), expected_deals(c, self.live_orders(c["id"])),
                             c["name"])
            if c["opening_deal_count"] > 0:
                with_opening.append(c)
        self.assertTrue(with_opening, "the demo made no customer with a history before kehu")
        c = with_opening[0]
        cid = c["id"]
        before = self.live_orders(cid)
        o = self.order(cid, days_ago(2), 77700, product="maintenance")
        after = self.assertDealsAgree(cid)
        self.assertEqual(after["deal_count"], c["deal_count"] + 1)
        self.assertEqual(after["deal_amount"], c["deal_amount"] + 77700)
        self.assertEqual(after["last_deal_date"], days_ago(2))
        self.assertEqual(after["first_deal_date"], c["first_deal_date"])
        self.assertEqual(after["opening_deal_count"], c["opening_deal_count"])
        self.assertEqual(after["opening_deal_amount"], c["opening_deal_amount"])
        # deleting every order leaves exactly the opening balance
        for x in before + [o]:
            cur = self.admin.get("/orders/%d" % x["id"]).json
            self.assertStatus(self.admin.delete("/orders/%d" % x["id"], if_match=cur), 204)
        bare = self.assertDealsAgree(cid)
        self.assertEqual((bare["deal_count"], bare["deal_amount"], bare["first_deal_date"],
                          bare["last_deal_date"]),
                         (c["opening_deal_count"], c["opening_deal_amount"],
                          c["opening_first_deal_date"], c["opening_last_deal_date"]))
        # a customer created through the API has no opening balance and may not claim one
        self.assertRefused(self.admin.post("/customers", customer_body(
            "开账余额测试有限公司", deal_count=5, deal_amount=100000)),
            fields=("deal_count", "deal_amount"))

    def test_delete_and_restore_customer_keeps_the_orders(self):
        cid = self.new_customer(name="订单客户删除测试有限公司", status="active")
        o = self.order(cid, days_ago(20), 4000)
        c = self.customer(cid)
        self.assertStatus(self.admin.delete("/customers/%d" % cid, if_match=c), 204)
        self.assertError(self.admin.get("/orders/%d" % o["id"]), 404)
        self.assertNotIn(o["id"], [x["id"] for x in self.all_pages(self.admin, "/orders")])
        self.assertError(self.admin.post("/orders", {"customer_id": cid, "date": days_ago(1),
                                                     "amount": 1}), (404, 422),
                         fields=("customer_id",))
        dead = self.all_pages(self.admin, "/customers", {"view": "deleted"})
        dead = next(x for x in dead if x["id"] == cid)
        self.assertStatus(self.admin.post("/customers/%d/restore" % cid, if_match=dead), 200, 204)
        self.assertEqual(self.admin.get("/orders/%d" % o["id"]).json["amount"], 4000)
        self.assertEqual(self.assertDealsAgree(cid)["deal_count"], 1)

    def test_scope_and_roles(self):
        cid_a = self.customer_of("sales_a")
        cid_b = self.customer_of("sales_b")
        ob = self.order(cid_b, days_ago(5), 5000, self.org.client("sales_b"))
        sa = self.org.client("sales_a")
        path = "/orders/%d" % ob["id"]
        self.assertError(sa.get(path), 404)
        self.assertError(sa.patch(path, {"amount": 1}, if_match=ob), 404)
        self.assertError(sa.delete(path, if_match=ob), 404)
        self.assertError(sa.post(path + "/restore", if_match=ob), 404)
        self.assertError(sa.get("/customers/%d/orders" % cid_b), 404)
        self.assertError(sa.post("/orders", {"customer_id": cid_b, "date": days_ago(1),
                                             "amount": 1}), (404, 422), fields=("customer_id",))
        self.assertNotIn(ob["id"], [o["id"] for o in self.all_pages(sa, "/orders")])
        viewer = self.org.client("viewer")
        self.assertStatus(viewer.get(path), 200)
        self.assertError(viewer.post("/orders", {"customer_id": cid_a, "date": days_ago(1),
                                                 "amount": 1}), 403)
        self.assertError(viewer.patch(path, {"amount": 1}, if_match=ob), 403)
        svc = self.org.client("svc")
        self.assertError(svc.post("/orders", {"customer_id": cid_a, "date": days_ago(1),
                                              "amount": 1}), 403)
        # finance has order.write (role default) and sees every customer: it records orders
        fin = self.org.client("fin")
        of = self.order(cid_b, days_ago(1), 300, fin)
        self.assertEqual(of["owner"]["id"], self.org.users["fin"]["id"])
        r = self.assertStatus(fin.patch("/orders/%d" % of["id"], {"amount": 400}, if_match=of),
                              200)
        self.assertStatus(fin.delete("/orders/%d" % of["id"], if_match=r.json), 204)
        self.assertEqual(self.admin.get(path).json["version"], 1)
        self.assertDealsAgree(cid_b)

    def test_audit(self):
        cid = self.customer_of("sales_a")
        sa = self.org.client("sales_a")
        o = self.order(cid, days_ago(9), 9900, sa)
        r = self.assertStatus(sa.patch("/orders/%d" % o["id"], {"amount": 8800}, if_match=o), 200)
        self.assertStatus(sa.delete("/orders/%d" % o["id"], if_match=r.json), 204)
        entries = self.audit_of("order", o["id"])
        self.assertEqual(sorted(a["action"] for a in entries), ["create", "delete", "update"])
        upd = next(a for a in entries if a["action"] == "update")
        self.assertIn({"field": "amount", "old": 9900, "new": 8800}, upd["changes"])


def db_rows(server, sql):
    """Rows of a query run directly on the server's database (sqlite3 or psql CLI)."""
    if dbs.on_postgresql():
        cmd = ["psql", "-X", "-q", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1", server.db,
               "-c", sql]
    else:
        cmd = ["sqlite3", "-batch", "-separator", "|", server.db, sql]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError("%s failed: %s" % (cmd[0], p.stderr))
    return [tuple(line.split("|")) for line in p.stdout.splitlines() if line.strip()]


def cpm_of_orders(orders):
    """The per customer, product and month sums (orders, amount, cost) of orders."""
    sums = {}
    for o in orders:
        key = (o["customer_id"], code(o["product"]) or "", o["date"][:7])
        n, amount, cost = sums.get(key, (0, 0, 0))
        sums[key] = (n + 1, amount + o["amount"], cost + (o["cost"] or 0))
    return sums


def cpm_in_db(server, customer_ids):
    rows = db_rows(server, "SELECT customer_id, product, month, orders, amount, cost FROM "
                           "sales_cpm WHERE customer_id IN (%s) AND orders <> 0"
                   % ",".join(str(int(i)) for i in customer_ids))
    return {(int(c), p, m): (int(n), int(a), int(k)) for c, p, m, n, a, k in rows}


class OrderInvariantTests(RecordsCase):
    """THE invariant: whatever happens to orders, each customer's derived deal fields
    equal a recomputation from its live orders plus its opening balance, and the
    monthly sums equal the orders'."""
    with_org = False
    STEPS = int(os.environ.get("KEHU_INVARIANT_STEPS", "300"))

    def test_random_order_changes_keep_the_invariant(self):
        seed = int(os.environ.get("KEHU_TEST_SEED") or random.randrange(1, 10 ** 9))
        print("\n[invariant] seed %d (KEHU_TEST_SEED=%d repeats it)" % (seed, seed))
        rnd = random.Random(seed)
        p = self.server.cli("demo", "--customers", "6", "--seed", str(seed % 100000 + 1))
        self.assertEqual(p.returncode, 0, p.stderr)
        demo = [c["id"] for c in self.all_pages(self.admin, "/customers", {"limit": 100})]
        fresh = [self.new_customer(name="不变式测试%d有限公司" % i, status=s)
                 for i, s in enumerate(("active", "potential", "paused"))]
        customers = demo[:3] + fresh
        products = [o["code"] for o in self.admin.get(
            "/dictionaries", params={"kind": "product"}).json["items"]] + [None]
        live = {}  # id -> order as the API returned it last
        for cid in customers:
            for o in self.live_orders(cid):
                live[o["id"]] = o
        dead = {}

        def check(cid, step):
            c = self.customer(cid)
            orders = self.live_orders(cid)
            self.assertEqual(sorted(o["id"] for o in orders),
                             sorted(i for i, o in live.items() if o["customer_id"] == cid),
                             "step %d (seed %d): the orders listed" % (step, seed))
            self.assertEqual(actual_deals(c), expected_deals(c, orders),
                             "step %d (seed %d): customer %d" % (step, seed, cid))

        def check_cpm(step):
            self.assertEqual(cpm_in_db(self.server, customers),
                             cpm_of_orders(live.values()),
                             "step %d (seed %d): sales_cpm" % (step, seed))

        def a_date():
            return days_ago(rnd.choice((0, 1, 5, 30, 90, 170, 181, 200, 365, 700)) +
                            rnd.randrange(0, 3))

        check_cpm(0)
        for step in range(1, self.STEPS + 1):
            action = rnd.choices(("insert", "edit", "delete", "restore", "status", "move",
                                  "win"), (40, 30, 15, 10, 3, 2, 4))[0]
            if action != "insert" and not live and action != "status":
                action = "insert"
            if action == "insert":
                cid = rnd.choice(customers)
                body = {"customer_id": cid, "date": a_date(),
                        "amount": rnd.randrange(0, 5 * 10 ** 7)}
                prod = rnd.choice(products)
                if prod:
                    body["product"] = prod
                if rnd.random() < 0.5:
                    body["cost"] = rnd.randrange(0, body["amount"] + 1)
                o = self.add("/orders", body)
                live[o["id"]] = o
            elif action == "edit":
                o = live[rnd.choice(sorted(live))]
                cid = o["customer_id"]
                patch = {}
                if rnd.random() < 0.6:
                    patch["amount"] = rnd.randrange(0, 5 * 10 ** 7)
                if rnd.random() < 0.5:
                    patch["date"] = a_date()
                if rnd.random() < 0.4:
                    patch["product"] = rnd.choice(products)
                if rnd.random() < 0.3:
                    patch["cost"] = rnd.choice((None, rnd.randrange(0, 10 ** 6)))
                r = self.assertStatus(self.admin.patch("/orders/%d" % o["id"], patch,
                                                       if_match=o), 200)
                live[o["id"]] = r.json
                # a stale edit changes nothing
                if r.json["version"] > o["version"] and rnd.random() < 0.2:
                    self.assertError(self.admin.patch("/orders/%d" % o["id"], {"amount": 1},
                                                      if_match=o), 412)
            elif action == "delete":
                o = live.pop(rnd.choice(sorted(live)))
                cid = o["customer_id"]
                self.assertStatus(self.admin.delete("/orders/%d" % o["id"], if_match=o), 204)
                dead[o["id"]] = o
            elif action == "restore":
                if not dead:
                    continue
                o = dead.pop(rnd.choice(sorted(dead)))
                cid = o["customer_id"]
                self.assertStatus(self.admin.post("/orders/%d/restore" % o["id"],
                                                  if_match=o["version"] + 1), 200, 204)
                live[o["id"]] = self.admin.get("/orders/%d" % o["id"]).json
            elif action == "status":
                cid = rnd.choice(customers)
                c = self.customer(cid)
                self.assertStatus(self.admin.patch("/customers/%d" % cid, {"status": rnd.choice(
                    ("active", "paused", "lost"))}, if_match=c), 200)
            elif action == "win":  # winning an opportunity makes the order in one step
                cid = rnd.choice(customers)
                opp = self.add("/opportunities", {"customer_id": cid, "name": "不变式商机",
                                                  "expected_amount": rnd.randrange(1, 10 ** 7),
                                                  "product": rnd.choice(products[:-1])})
                r = self.assertStatus(self.admin.post("/opportunities/%d/win" % opp["id"],
                                                      {"order": {}}, if_match=opp), 200)
                o = self.admin.get("/orders/%d" % r.json["order_id"]).json
                self.assertEqual((o["customer_id"], o["amount"]),
                                 (cid, opp["expected_amount"]))
                live[o["id"]] = o
            else:  # an order cannot move to another customer
                o = live[rnd.choice(sorted(live))]
                cid = o["customer_id"]
                other = rnd.choice([c for c in customers if c != cid])
                self.assertRefused(self.admin.patch("/orders/%d" % o["id"],
                                                    {"customer_id": other}, if_match=o),
                                   fields=("customer_id",))
            check(cid, step)
            if step % 5 == 0 or action in ("delete", "restore"):
                check_cpm(step)
        for cid in customers:
            check(cid, self.STEPS)
        check_cpm(self.STEPS)



class OrderConcurrencyTests(RecordsCase):
    """Two clients adding and changing orders of one customer at once, on a server
    with several workers: no update of the customer's totals is lost."""
    threads = 4

    def test_parallel_orders_add_up(self):
        cid = self.new_customer(name="并发订单测试有限公司", status="active")
        sa = self.org.client("sales_a")
        self.assertStatus(self.admin.patch("/customers/%d" % cid, {
            "owner": self.org.users["sales_a"]["id"]}, if_match=self.customer(cid)), 200)
        clients = [self.org.client("sales_a"), self.org.client("fin")]
        per_client = 25
        errors, made = [], [[] for _ in clients]
        start = threading.Barrier(len(clients))

        def work(i):
            try:
                start.wait()
                for j in range(per_client):
                    r = clients[i].post("/orders", {
                        "customer_id": cid, "date": days_ago(j % 40), "amount": 100 * (i + 1)
                        + j, "product": ("training", "consulting")[j % 2]})
                    if r.status != 201:
                        errors.append(r)
                    else:
                        made[i].append(r.json)
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(clients))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        orders = [o for m in made for o in m]
        c = self.assertDealsAgree(cid)
        self.assertEqual(c["deal_count"], len(clients) * per_client)
        self.assertEqual(c["deal_amount"], sum(o["amount"] for o in orders))
        self.assertEqual(cpm_in_db(self.server, [cid]), cpm_of_orders(orders))

        # and at once: one client edits half of them while the other deletes the rest
        half = len(orders) // 2
        errors.clear()

        def edit():
            for o in orders[:half]:
                r = sa.patch("/orders/%d" % o["id"], {"amount": o["amount"] + 1}, if_match=o)
                if r.status != 200:
                    errors.append(r)

        def delete():
            for o in orders[half:]:
                r = clients[1].delete("/orders/%d" % o["id"], if_match=o)
                if r.status != 204:
                    errors.append(r)

        threads = [threading.Thread(target=edit), threading.Thread(target=delete)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        c = self.assertDealsAgree(cid)
        self.assertEqual((c["deal_count"], c["deal_amount"]),
                         (half, sum(o["amount"] + 1 for o in orders[:half])))
        self.assertEqual(cpm_in_db(self.server, [cid]),
                         cpm_of_orders(self.live_orders(cid)))


if __name__ == "__main__":
    unittest.main()
