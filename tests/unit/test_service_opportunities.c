/*
 * test_service_opportunities — opportunities and service tickets at the
 * service layer (see unit.h), on the engine of KEHU_TEST_ENGINE: codes
 * SJ<year><seq> without gaps, the stage rules (lost needs a reason, won and
 * lost are final, probability by stage) and their history, winning with the
 * order in the same transaction (a refused order leaves the opportunity
 * open), the ticket's status rules and timestamps, and the customer
 * timeline's order, paging and scope.
 */
#define UNIT_WITH_SERVICE
#include "unit.h"

#include "core/activity.h"

static int64_t new_opportunity(unit_ctx *c, int64_t customer, const char *name, int64_t amount)
{
	kh_record r;
	record_init(&r, &opportunity_entity, &c->a);
	record_set_int(&r, OPF_CUSTOMER, customer);
	record_set_text(&r, OPF_NAME, name);
	if (amount)
		record_set_int(&r, OPF_EXPECTED_AMOUNT, amount);
	int64_t id = 0;
	UNIT_OK(svc_record_create(&c->s, &opportunity_kind, &r, &id), &c->e);
	return id;
}

static kh_record get(unit_ctx *c, const record_kind *k, int64_t id)
{
	kh_record r;
	UNIT_OK(svc_record_get(&c->s, k, id, &r), &c->e);
	return r;
}

/* Set field f (text) of record id; returns the service's result. */
static int set_text(unit_ctx *c, const record_kind *k, int64_t id, int f, const char *v)
{
	kh_record cur = get(c, k, id);
	kh_record p;
	record_init(&p, k->ent, &c->a);
	record_set_text(&p, f, v);
	err_clear(&c->e);
	return svc_record_update(&c->s, k, id, cur.v[F_VERSION].i, &p);
}

static void codes_have_no_gaps_even_after_a_refused_create(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	int64_t cust = unit_customer_new(&c, "编号测试有限公司", 0, NULL);
	int64_t a = new_opportunity(&c, cust, "甲", 0);
	kh_record bad;
	record_init(&bad, &opportunity_entity, &c.a);
	record_set_int(&bad, OPF_CUSTOMER, cust);
	record_set_text(&bad, OPF_NAME, "乙");
	record_set_text(&bad, OPF_STAGE, STAGE_LOST); /* no lost reason */
	int64_t id;
	assert_int_equal(svc_record_create(&c.s, &opportunity_kind, &bad, &id), -1);
	assert_true(unit_has_field_error(&c.e, "lost_reason"));
	err_clear(&c.e);
	int64_t b = new_opportunity(&c, cust, "丙", 0);
	kh_record ra = get(&c, &opportunity_kind, a), rb = get(&c, &opportunity_kind, b);
	char want[32];
	const char *ca = record_text(&ra, OPF_CODE);
	snprintf(want, sizeof(want), "SJ%d", o->year);
	assert_memory_equal(ca, want, strlen(want));
	assert_int_equal(atol(record_text(&rb, OPF_CODE) + strlen(want)),
	                 atol(ca + strlen(want)) + 1);
	/* the customers' own codes are numbered apart */
	unit_ctx_close(&c);
}

static void stages_bring_probability_and_history(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	int64_t cust = unit_customer_new(&c, "阶段测试有限公司", 0, NULL);
	int64_t id = new_opportunity(&c, cust, "阶段", 0);
	kh_record r = get(&c, &opportunity_kind, id);
	assert_string_equal(record_text(&r, OPF_STAGE), "lead");
	assert_int_equal(record_int(&r, OPF_PROBABILITY, -1), 10);
	assert_int_equal(record_int(&r, OPF_OWNER, 0), o->e1);
	UNIT_OK(set_text(&c, &opportunity_kind, id, OPF_STAGE, "谈判"), &c.e); /* by label */
	r = get(&c, &opportunity_kind, id);
	assert_string_equal(record_text(&r, OPF_STAGE), "negotiation");
	assert_int_equal(record_int(&r, OPF_PROBABILITY, -1), 75);
	UNIT_OK(set_text(&c, &opportunity_kind, id, OPF_REMARKS, "备注不是阶段"), &c.e);
	/* lost: the reason is required, then it is final */
	assert_int_equal(set_text(&c, &opportunity_kind, id, OPF_STAGE, STAGE_LOST), -1);
	assert_true(unit_has_field_error(&c.e, "lost_reason"));
	assert_int_equal(set_text(&c, &opportunity_kind, id, OPF_LOST_REASON, "price"), -1);
	assert_true(unit_has_field_error(&c.e, "lost_reason"));
	err_clear(&c.e);
	r = get(&c, &opportunity_kind, id);
	kh_record p;
	record_init(&p, &opportunity_entity, &c.a);
	record_set_text(&p, OPF_STAGE, STAGE_LOST);
	record_set_text(&p, OPF_LOST_REASON, "price");
	UNIT_OK(svc_record_update(&c.s, &opportunity_kind, id, r.v[F_VERSION].i, &p), &c.e);
	r = get(&c, &opportunity_kind, id);
	assert_int_equal(record_int(&r, OPF_PROBABILITY, -1), 0);
	assert_string_equal(record_text(&r, OPF_CLOSED_DATE), svc_today(&c.s));
	assert_int_equal(set_text(&c, &opportunity_kind, id, OPF_STAGE, "lead"), -1);
	assert_true(unit_has_field_error(&c.e, "stage"));
	int64_t order_id;
	assert_int_equal(svc_opportunity_win(&c.s, id, r.v[F_VERSION].i, NULL, &order_id), -1);
	err_clear(&c.e);

	history_row *h;
	int n;
	UNIT_OK(svc_record_history(&c.s, &opportunity_kind, id, &h, &n), &c.e);
	assert_int_equal(n, 3);
	assert_string_equal(h[0].state, "lead");
	assert_string_equal(h[1].state, "negotiation");
	assert_string_equal(h[2].state, STAGE_LOST);
	assert_int_equal(h[2].user_id, o->e1);
	assert_true(strcmp(h[0].at, h[2].at) <= 0);
	unit_ctx_close(&c);
}

static void winning_makes_the_order_or_nothing(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	int64_t cust = unit_customer_new(&c, "赢单测试有限公司", 0, NULL);
	int64_t bare = new_opportunity(&c, cust, "无金额", 0);
	/* an order with no amount, from an opportunity without one: refused, nothing won */
	kh_record order;
	record_init(&order, &order_entity, &c.a);
	int64_t order_id = -1;
	kh_record r = get(&c, &opportunity_kind, bare);
	assert_int_equal(svc_opportunity_win(&c.s, bare, r.v[F_VERSION].i, &order, &order_id), -1);
	assert_true(unit_has_field_error(&c.e, "amount"));
	assert_int_equal(order_id, 0);
	err_clear(&c.e);
	r = get(&c, &opportunity_kind, bare);
	assert_string_equal(record_text(&r, OPF_STAGE), "lead");

	int64_t id = new_opportunity(&c, cust, "有金额", 3000000);
	r = get(&c, &opportunity_kind, id);
	/* a stale version: nothing happens */
	record_init(&order, &order_entity, &c.a);
	assert_int_equal(svc_opportunity_win(&c.s, id, r.v[F_VERSION].i + 1, &order, &order_id),
	                 -1);
	assert_int_equal(c.e.code, KH_ECONFLICT);
	err_clear(&c.e);
	record_init(&order, &order_entity, &c.a);
	record_set_text(&order, ORF_DATE, "2024-09-09");
	UNIT_OK(svc_opportunity_win(&c.s, id, r.v[F_VERSION].i, &order, &order_id), &c.e);
	assert_true(order_id > 0);
	r = get(&c, &opportunity_kind, id);
	assert_string_equal(record_text(&r, OPF_STAGE), STAGE_WON);
	assert_int_equal(record_int(&r, OPF_ORDER, 0), order_id);
	assert_int_equal(record_int(&r, OPF_PROBABILITY, -1), 100);
	kh_record got = get(&c, &order_kind, order_id);
	assert_int_equal(record_int(&got, ORF_AMOUNT, 0), 3000000);
	assert_int_equal(record_int(&got, ORF_CUSTOMER, 0), cust);
	assert_string_equal(record_text(&got, ORF_DATE), "2024-09-09");
	kh_record cr;
	UNIT_OK(svc_customer_get(&c.s, cust, false, &cr, NULL, NULL), &c.e);
	assert_int_equal(record_int(&cr, CF_DEAL_COUNT, 0), 1);
	assert_int_equal(record_int(&cr, CF_DEAL_AMOUNT, 0), 3000000);
	assert_string_equal(record_text(&cr, CF_LAST_DEAL_DATE), "2024-09-09");
	unit_ctx_close(&c);
}

static int64_t new_ticket(unit_ctx *c, int64_t customer)
{
	kh_record r;
	record_init(&r, &ticket_entity, &c->a);
	record_set_int(&r, TKF_CUSTOMER, customer);
	record_set_text(&r, TKF_CONTENT, "安装后无法开机");
	record_set_int(&r, TKF_IS_COMPLAINT, 1);
	int64_t id = 0;
	UNIT_OK(svc_record_create(&c->s, &ticket_kind, &r, &id), &c->e);
	return id;
}

static void tickets_move_forward_with_their_times(void **state)
{
	unit_org *o = *state;
	unit_ctx sales, svc1;
	unit_ctx_user(&sales, o->db, o->e1);
	int64_t cust = unit_customer_new(&sales, "工单测试有限公司", 0, NULL);
	/* sales may not write tickets by default */
	kh_record r;
	record_init(&r, &ticket_entity, &sales.a);
	record_set_int(&r, TKF_CUSTOMER, cust);
	record_set_text(&r, TKF_CONTENT, "x");
	int64_t id;
	assert_int_equal(svc_record_create(&sales.s, &ticket_kind, &r, &id), -1);
	assert_int_equal(sales.e.code, KH_EFORBIDDEN);
	unit_ctx_close(&sales);

	unit_ctx_user(&svc1, o->db, o->svc1);
	id = new_ticket(&svc1, cust);
	kh_record t = get(&svc1, &ticket_kind, id);
	assert_string_equal(record_text(&t, TKF_STATUS), TICKET_OPEN);
	assert_non_null(record_text(&t, TKF_OPENED_AT));
	assert_false(record_is_set(&t, TKF_STARTED_AT));
	/* satisfaction before resolution, resolution missing */
	kh_record p;
	record_init(&p, &ticket_entity, &svc1.a);
	record_set_int(&p, TKF_SATISFACTION, 5);
	assert_int_equal(svc_record_update(&svc1.s, &ticket_kind, id, 1, &p), -1);
	assert_true(unit_has_field_error(&svc1.e, "satisfaction"));
	assert_int_equal(set_text(&svc1, &ticket_kind, id, TKF_STATUS, TICKET_RESOLVED), -1);
	assert_true(unit_has_field_error(&svc1.e, "resolution"));
	UNIT_OK(set_text(&svc1, &ticket_kind, id, TKF_STATUS, TICKET_IN_PROGRESS), &svc1.e);
	t = get(&svc1, &ticket_kind, id);
	assert_non_null(record_text(&t, TKF_STARTED_AT));
	assert_int_equal(record_int(&t, TKF_HANDLER, 0), o->svc1);
	assert_int_equal(set_text(&svc1, &ticket_kind, id, TKF_STATUS, TICKET_OPEN), -1);
	assert_true(unit_has_field_error(&svc1.e, "status"));
	err_clear(&svc1.e);
	record_init(&p, &ticket_entity, &svc1.a);
	record_set_text(&p, TKF_STATUS, TICKET_RESOLVED);
	record_set_text(&p, TKF_RESOLUTION, "更换电源");
	record_set_int(&p, TKF_SATISFACTION, 4);
	UNIT_OK(svc_record_update(&svc1.s, &ticket_kind, id, t.v[F_VERSION].i, &p), &svc1.e);
	t = get(&svc1, &ticket_kind, id);
	assert_non_null(record_text(&t, TKF_RESOLVED_AT));
	assert_int_equal(record_int(&t, TKF_SATISFACTION, 0), 4);
	/* reopened: no longer resolved, satisfaction gone */
	UNIT_OK(set_text(&svc1, &ticket_kind, id, TKF_STATUS, TICKET_IN_PROGRESS), &svc1.e);
	t = get(&svc1, &ticket_kind, id);
	assert_false(record_is_set(&t, TKF_RESOLVED_AT));
	assert_false(record_is_set(&t, TKF_SATISFACTION));
	history_row *h;
	int n;
	UNIT_OK(svc_record_history(&svc1.s, &ticket_kind, id, &h, &n), &svc1.e);
	assert_int_equal(n, 4);
	assert_string_equal(h[3].state, TICKET_IN_PROGRESS);
	unit_ctx_close(&svc1);
}

static void the_timeline_merges_kinds_newest_first_and_pages(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	int64_t cust = unit_customer_new(&c, "时间线单元测试有限公司", 0, NULL);
	const char *days[] = {"2023-01-01", "2023-06-01", "2023-03-01"};
	for (int i = 0; i < 3; i++) {
		kh_record f;
		record_init(&f, &followup_entity, &c.a);
		record_set_int(&f, UPF_CUSTOMER, cust);
		record_set_text(&f, UPF_DATE, days[i]);
		record_set_text(&f, UPF_CONTENT, "电话回访");
		int64_t id;
		UNIT_OK(svc_record_create(&c.s, &followup_kind, &f, &id), &c.e);
	}
	kh_record ord;
	record_init(&ord, &order_entity, &c.a);
	record_set_int(&ord, ORF_CUSTOMER, cust);
	record_set_text(&ord, ORF_DATE, "2023-04-01");
	record_set_int(&ord, ORF_AMOUNT, 12345);
	record_set_text(&ord, ORF_PRODUCT, "consulting");
	int64_t oid;
	UNIT_OK(svc_record_create(&c.s, &order_kind, &ord, &oid), &c.e);
	new_opportunity(&c, cust, "时间线机会", 500);

	const char *want[] = {NULL /* the opportunity: now */, "2023-06-01", "2023-04-01",
	                      "2023-03-01", "2023-01-01"};
	kv params[2] = {{"limit", "2"}, {"after", NULL}};
	int seen = 0;
	const char *next = NULL;
	do {
		params[1].value = next;
		timeline_page p;
		UNIT_OK(svc_customer_timeline(&c.s, cust, params, next ? 2 : 1, &p), &c.e);
		assert_true(p.n <= 2);
		for (int i = 0; i < p.n; i++, seen++) {
			assert_true(seen < 5);
			if (want[seen])
				assert_string_equal(p.items[i].at, want[seen]);
			else
				assert_string_equal(p.items[i].kind->ent->name, "opportunity");
			if (!strcmp(p.items[i].kind->ent->name, "order")) {
				assert_string_equal(p.items[i].summary, "Consulting");
				assert_true(p.items[i].has_amount);
				assert_int_equal(p.items[i].amount, 12345);
			}
		}
		next = p.next;
	} while (next);
	assert_int_equal(seen, 5);
	unit_ctx_close(&c);

	/* someone who does not see the customer does not see its timeline */
	unit_ctx other;
	unit_ctx_user(&other, o->db, o->s1);
	timeline_page p;
	assert_int_equal(svc_customer_timeline(&other.s, cust, NULL, 0, &p), -1);
	assert_int_equal(other.e.code, KH_ENOTFOUND);
	unit_ctx_close(&other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(codes_have_no_gaps_even_after_a_refused_create),
	        cmocka_unit_test(stages_bring_probability_and_history),
	        cmocka_unit_test(winning_makes_the_order_or_nothing),
	        cmocka_unit_test(tickets_move_forward_with_their_times),
	        cmocka_unit_test(the_timeline_merges_kinds_newest_first_and_pages),
	};
	return cmocka_run_group_tests(tests, unit_org_setup, unit_org_teardown);
}
