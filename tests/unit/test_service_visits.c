/*
 * test_service_visits — visits 拜访 (DESIGN 1.7) through the use cases, on
 * the organisation of unit.h: a visit names only a plan of its own customer;
 * its expenses by item make its expense total; a plan is done exactly while
 * a live visit names it; the customer's last follow-up date follows visits as
 * it follows follow-ups, through edit, delete and restore; the daily report
 * counts what the records say and keeps to the viewer's scope.
 */
#define UNIT_WITH_SERVICE
#include "unit.h"

#include "core/activity.h"
#include "core/visit.h"

typedef struct world {
	unit_org org;
	int64_t cust_e1, cust_e1b, cust_s1;
} world;

static int group_setup(void **state)
{
	world *w = calloc(1, sizeof(*w));
	unit_org_build(&w->org);
	unit_ctx c;
	unit_ctx_system(&c, w->org.db);
	w->cust_e1 = unit_customer_new(&c, "华东一号客户", w->org.e1, "13812345678");
	w->cust_e1b = unit_customer_new(&c, "华东另一客户", w->org.e1, NULL);
	w->cust_s1 = unit_customer_new(&c, "华南星河贸易", w->org.s1, NULL);
	unit_ctx_close(&c);
	*state = w;
	return 0;
}

static int group_teardown(void **state)
{
	world *w = *state;
	unit_org_free(&w->org);
	free(w);
	return 0;
}

static int64_t new_plan(unit_ctx *c, int64_t customer, const char *date)
{
	kh_record p;
	record_init(&p, &visit_plan_entity, &c->a);
	record_set_int(&p, VPF_CUSTOMER, customer);
	record_set_text(&p, VPF_DATE, date);
	record_set_text(&p, VPF_PURPOSE, "a");
	int64_t id = 0;
	UNIT_OK(svc_record_create(&c->s, &visit_plan_kind, &p, &id), &c->e);
	return id;
}

static void visit_record(unit_ctx *c, kh_record *v, int64_t customer, const char *date)
{
	record_init(v, &visit_entity, &c->a);
	record_set_int(v, VF_CUSTOMER, customer);
	record_set_text(v, VF_DATE, date);
	record_set_text(v, VF_SUMMARY, "了解需求，介绍方案");
}

/* Rows from "ITEM=YUAN" texts, as the CLI gives them. */
static child_rows expenses(unit_ctx *c, const char *const *texts, int n)
{
	child_rows ch;
	UNIT_OK(svc_children_from_text(&c->s, &visit_kind, texts, n, &ch), &c->e);
	return ch;
}

static kh_record get_visit(unit_ctx *c, int64_t id)
{
	kh_record v;
	UNIT_OK(svc_record_get(&c->s, &visit_kind, id, &v), &c->e);
	return v;
}

static const char *plan_status(unit_ctx *c, int64_t id)
{
	kh_record p;
	UNIT_OK(svc_record_get(&c->s, &visit_plan_kind, id, &p), &c->e);
	return p.v[VPF_STATUS].s;
}

static const char *last_followup(unit_ctx *c, int64_t customer)
{
	kh_record cu, *contacts;
	int n;
	UNIT_OK(svc_customer_get(&c->s, customer, false, &cu, &contacts, &n), &c->e);
	return record_text(&cu, CF_LAST_FOLLOWUP_DATE);
}

static int64_t count_visits(unit_ctx *c, int64_t customer)
{
	list_page p;
	kv params[] = {{"limit", "500"}};
	UNIT_OK(svc_record_list(&c->s, &visit_kind, customer, params, 1, &p), &c->e);
	return p.n;
}

static void plan_of_another_customer_refused(void **state)
{
	world *w = *state;
	unit_ctx c;
	unit_ctx_user(&c, w->org.db, w->org.e1);
	int64_t other = new_plan(&c, w->cust_e1b, "2026-03-02");
	int64_t before = count_visits(&c, w->cust_e1);
	kh_record v;
	visit_record(&c, &v, w->cust_e1, "2026-03-02");
	record_set_int(&v, VF_PLAN, other);
	int64_t id = 0;
	assert_int_equal(svc_record_create(&c.s, &visit_kind, &v, &id), -1);
	assert_int_equal(c.e.code, KH_EINVAL);
	assert_true(unit_has_field_error(&c.e, "plan_id"));
	err_clear(&c.e);
	assert_int_equal(count_visits(&c, w->cust_e1), before);
	assert_string_equal(plan_status(&c, other), PLAN_PLANNED);

	/* nor a plan that was called off */
	int64_t off = new_plan(&c, w->cust_e1, "2026-03-03");
	kh_record patch;
	record_init(&patch, &visit_plan_entity, &c.a);
	record_set_text(&patch, VPF_STATUS, PLAN_CANCELLED);
	UNIT_OK(svc_record_update(&c.s, &visit_plan_kind, off, 1, &patch), &c.e);
	visit_record(&c, &v, w->cust_e1, "2026-03-03");
	record_set_int(&v, VF_PLAN, off);
	assert_int_equal(svc_record_create(&c.s, &visit_kind, &v, &id), -1);
	assert_true(unit_has_field_error(&c.e, "plan_id"));
	unit_ctx_close(&c);
}

static void expenses_make_the_total(void **state)
{
	world *w = *state;
	unit_ctx c;
	unit_ctx_user(&c, w->org.db, w->org.e1);
	kh_record v;
	visit_record(&c, &v, w->cust_e1, "2026-03-04");
	static const char *const items[] = {"交通=35.50", "用餐=120:午饭", "transport=4.50"};
	child_rows ch = expenses(&c, items, 3);
	int64_t id = 0;
	UNIT_OK(svc_record_create_with(&c.s, &visit_kind, &v, &ch, &id), &c.e);
	kh_record got = get_visit(&c, id);
	assert_int_equal(got.v[VF_EXPENSE_TOTAL].i, 3550 + 12000 + 450);
	assert_int_equal(got.v[VF_OWNER].i, w->org.e1);
	child_rows stored;
	UNIT_OK(svc_record_children(&c.s, &visit_kind, id, &stored), &c.e);
	assert_int_equal(stored.n, 3);
	assert_string_equal(stored.rows[0].v[VEF_ITEM].s, "transport");
	assert_string_equal(stored.rows[1].v[VEF_ITEM].s, "meal");
	assert_string_equal(stored.rows[1].v[VEF_NOTE].s, "午饭");

	/* an edit replaces them all; the total and the version follow */
	static const char *const lodging[] = {"住宿=300"};
	ch = expenses(&c, lodging, 1);
	kh_record patch;
	record_init(&patch, &visit_entity, &c.a);
	UNIT_OK(svc_record_update_with(&c.s, &visit_kind, id, 1, &patch, &ch), &c.e);
	got = get_visit(&c, id);
	assert_int_equal(got.v[VF_EXPENSE_TOTAL].i, 30000);
	assert_int_equal(got.v[F_VERSION].i, 2);
	UNIT_OK(svc_record_children(&c.s, &visit_kind, id, &stored), &c.e);
	assert_int_equal(stored.n, 1);

	/* a bad row is refused by name, and nothing changes */
	static const char *const bad[] = {"交通=10", "香烟=20"};
	ch = expenses(&c, bad, 2);
	record_init(&patch, &visit_entity, &c.a);
	assert_int_equal(svc_record_update_with(&c.s, &visit_kind, id, 2, &patch, &ch), -1);
	assert_true(unit_has_field_error(&c.e, "expenses[1].item"));
	err_clear(&c.e);
	got = get_visit(&c, id);
	assert_int_equal(got.v[VF_EXPENSE_TOTAL].i, 30000);
	assert_int_equal(got.v[F_VERSION].i, 2);

	static const char *const zero[] = {"交通=0"};
	ch = expenses(&c, zero, 1);
	assert_int_equal(svc_record_update_with(&c.s, &visit_kind, id, 2, &patch, &ch), -1);
	assert_true(unit_has_field_error(&c.e, "expenses[0].amount"));
	err_clear(&c.e);

	/* none at all: the total is 0 */
	ch = (child_rows){0};
	UNIT_OK(svc_record_update_with(&c.s, &visit_kind, id, 2, &patch, &ch), &c.e);
	assert_int_equal(get_visit(&c, id).v[VF_EXPENSE_TOTAL].i, 0);
	unit_ctx_close(&c);
}

static void plan_done_while_a_visit_names_it(void **state)
{
	world *w = *state;
	unit_ctx c;
	unit_ctx_user(&c, w->org.db, w->org.e1);
	int64_t plan = new_plan(&c, w->cust_e1, "2026-03-05");
	assert_string_equal(plan_status(&c, plan), PLAN_PLANNED);
	kh_record v;
	visit_record(&c, &v, w->cust_e1, "2026-03-05");
	record_set_int(&v, VF_PLAN, plan);
	int64_t id = 0;
	UNIT_OK(svc_record_create(&c.s, &visit_kind, &v, &id), &c.e);
	assert_string_equal(plan_status(&c, plan), PLAN_DONE);

	/* nobody sets it back by hand while the visit names it */
	kh_record patch;
	record_init(&patch, &visit_plan_entity, &c.a);
	record_set_text(&patch, VPF_STATUS, PLAN_CANCELLED);
	kh_record p;
	UNIT_OK(svc_record_get(&c.s, &visit_plan_kind, plan, &p), &c.e);
	assert_int_equal(svc_record_update(&c.s, &visit_plan_kind, plan, p.v[F_VERSION].i, &patch),
	                 -1);
	assert_true(unit_has_field_error(&c.e, "status"));
	err_clear(&c.e);

	UNIT_OK(svc_record_delete(&c.s, &visit_kind, id, 1), &c.e);
	assert_string_equal(plan_status(&c, plan), PLAN_PLANNED);
	UNIT_OK(svc_record_restore(&c.s, &visit_kind, id, 2), &c.e);
	assert_string_equal(plan_status(&c, plan), PLAN_DONE);

	/* the visit leaves the plan: planned again */
	record_init(&patch, &visit_entity, &c.a);
	record_set_null(&patch, VF_PLAN);
	UNIT_OK(svc_record_update(&c.s, &visit_kind, id, 3, &patch), &c.e);
	assert_string_equal(plan_status(&c, plan), PLAN_PLANNED);

	/* and done cannot be set by hand */
	record_init(&patch, &visit_plan_entity, &c.a);
	record_set_text(&patch, VPF_STATUS, PLAN_DONE);
	UNIT_OK(svc_record_get(&c.s, &visit_plan_kind, plan, &p), &c.e);
	assert_int_equal(svc_record_update(&c.s, &visit_plan_kind, plan, p.v[F_VERSION].i, &patch),
	                 -1);
	assert_true(unit_has_field_error(&c.e, "status"));
	unit_ctx_close(&c);
}

static void last_followup_follows_visits(void **state)
{
	world *w = *state;
	unit_ctx c;
	unit_ctx_user(&c, w->org.db, w->org.s1);
	assert_null(last_followup(&c, w->cust_s1));
	kh_record f;
	record_init(&f, &followup_entity, &c.a);
	record_set_int(&f, UPF_CUSTOMER, w->cust_s1);
	record_set_text(&f, UPF_DATE, "2026-02-01");
	record_set_text(&f, UPF_CONTENT, "电话沟通");
	int64_t fid = 0;
	UNIT_OK(svc_record_create(&c.s, &followup_kind, &f, &fid), &c.e);
	assert_string_equal(last_followup(&c, w->cust_s1), "2026-02-01");

	kh_record v;
	visit_record(&c, &v, w->cust_s1, "2026-02-10");
	int64_t id = 0;
	UNIT_OK(svc_record_create(&c.s, &visit_kind, &v, &id), &c.e);
	assert_string_equal(last_followup(&c, w->cust_s1), "2026-02-10");

	kh_record patch;
	record_init(&patch, &visit_entity, &c.a);
	record_set_text(&patch, VF_DATE, "2026-02-20");
	UNIT_OK(svc_record_update(&c.s, &visit_kind, id, 1, &patch), &c.e);
	assert_string_equal(last_followup(&c, w->cust_s1), "2026-02-20");

	UNIT_OK(svc_record_delete(&c.s, &visit_kind, id, 2), &c.e);
	assert_string_equal(last_followup(&c, w->cust_s1), "2026-02-01");
	UNIT_OK(svc_record_restore(&c.s, &visit_kind, id, 3), &c.e);
	assert_string_equal(last_followup(&c, w->cust_s1), "2026-02-20");
	UNIT_OK(svc_record_delete(&c.s, &followup_kind, fid, 1), &c.e);
	assert_string_equal(last_followup(&c, w->cust_s1), "2026-02-20");
	UNIT_OK(svc_record_delete(&c.s, &visit_kind, id, 4), &c.e);
	assert_null(last_followup(&c, w->cust_s1));
	unit_ctx_close(&c);
}

static int64_t tally(const visit_tally *t, int n, const char *code)
{
	for (int i = 0; i < n; i++)
		if (t[i].code && !strcmp(t[i].code, code))
			return t[i].n;
	return -1;
}

static void daily_report_counts_and_scope(void **state)
{
	world *w = *state;
	unit_ctx c;
	unit_ctx_user(&c, w->org.db, w->org.e1);
	static const char *const purposes[] = {"a", "b", "b"};
	static const char *const outcomes[] = {"a", "b", "e"};
	static const char *const t1[] = {"交通=10", "用餐=50"};
	static const char *const t2[] = {"交通=20.5"};
	for (int i = 0; i < 3; i++) {
		kh_record v;
		visit_record(&c, &v, i == 2 ? w->cust_e1b : w->cust_e1, "2026-03-09");
		record_set_text(&v, VF_PURPOSE, purposes[i]);
		record_set_text(&v, VF_OUTCOME, outcomes[i]);
		child_rows ch = i == 0 ? expenses(&c, t1, 2) : expenses(&c, t2, 1);
		int64_t id = 0;
		UNIT_OK(svc_record_create_with(&c.s, &visit_kind, &v, i < 2 ? &ch : NULL, &id), &c.e);
	}
	/* another day does not count */
	kh_record v;
	visit_record(&c, &v, w->cust_e1, "2026-03-10");
	int64_t id;
	UNIT_OK(svc_record_create(&c.s, &visit_kind, &v, &id), &c.e);

	visit_day_report d;
	UNIT_OK(svc_visit_day(&c.s, NULL, "2026-03-09", &d), &c.e);
	assert_int_equal(d.user_id, w->org.e1);
	assert_int_equal(d.nvisits, 3);
	assert_int_equal(tally(d.purposes, d.npurposes, "a"), 1);
	assert_int_equal(tally(d.purposes, d.npurposes, "b"), 2);
	assert_int_equal(tally(d.purposes, d.npurposes, "c"), 0);
	assert_int_equal(tally(d.outcomes, d.noutcomes, "e"), 1);
	assert_int_equal(tally(d.outcomes, d.noutcomes, "c"), 0);
	assert_int_equal(tally(d.expenses_by_item, d.nexpense_items, "transport"), 1000 + 2050);
	assert_int_equal(tally(d.expenses_by_item, d.nexpense_items, "meal"), 5000);
	assert_int_equal(d.expense_total, 8050);
	assert_false(d.submitted);
	unit_ctx_close(&c);

	/* the manager of the department sees it; a colleague in another group does not */
	unit_ctx_user(&c, w->org.db, w->org.mgr);
	UNIT_OK(svc_visit_day(&c.s, "e1", "2026-03-09", &d), &c.e);
	assert_int_equal(d.nvisits, 3);
	unit_ctx_close(&c);
	unit_ctx_user(&c, w->org.db, w->org.s1);
	assert_int_equal(svc_visit_day(&c.s, "e1", "2026-03-09", &d), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	unit_ctx_close(&c);

	/* signing the day off: once, then again only with the note's version */
	unit_ctx_user(&c, w->org.db, w->org.e1);
	kh_record note, out;
	record_init(&note, &visit_day_entity, &c.a);
	record_set_text(&note, VDF_SUMMARY, "拜访三家");
	UNIT_OK(svc_visit_day_submit(&c.s, "2026-03-09", 0, &note, &out), &c.e);
	assert_int_equal(out.v[F_VERSION].i, 1);
	record_init(&note, &visit_day_entity, &c.a);
	record_set_text(&note, VDF_SUMMARY, "拜访三家，一家成交");
	assert_int_equal(svc_visit_day_submit(&c.s, "2026-03-09", 0, &note, &out), -1);
	assert_int_equal(c.e.code, KH_ECONFLICT);
	err_clear(&c.e);
	UNIT_OK(svc_visit_day_submit(&c.s, "2026-03-09", 1, &note, &out), &c.e);
	UNIT_OK(svc_visit_day(&c.s, NULL, "2026-03-09", &d), &c.e);
	assert_true(d.submitted);
	assert_string_equal(record_text(&d.note, VDF_SUMMARY), "拜访三家，一家成交");
	assert_int_equal(svc_visit_day_submit(&c.s, "2999-01-01", 0, &note, &out), -1);
	assert_true(unit_has_field_error(&c.e, "date"));
	unit_ctx_close(&c);
}

static void out_of_scope_visit_is_not_found(void **state)
{
	world *w = *state;
	unit_ctx c;
	unit_ctx_user(&c, w->org.db, w->org.s1);
	kh_record v;
	visit_record(&c, &v, w->cust_s1, "2026-03-11");
	int64_t id = 0;
	UNIT_OK(svc_record_create(&c.s, &visit_kind, &v, &id), &c.e);
	unit_ctx_close(&c);
	unit_ctx_user(&c, w->org.db, w->org.e1);
	kh_record got;
	assert_int_equal(svc_record_get(&c.s, &visit_kind, id, &got), -1);
	assert_int_equal(c.e.code, KH_ENOTFOUND);
	err_clear(&c.e);
	child_rows rows;
	assert_int_equal(svc_record_children(&c.s, &visit_kind, id, &rows), -1);
	assert_int_equal(c.e.code, KH_ENOTFOUND);
	unit_ctx_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(plan_of_another_customer_refused),
	        cmocka_unit_test(expenses_make_the_total),
	        cmocka_unit_test(plan_done_while_a_visit_names_it),
	        cmocka_unit_test(last_followup_follows_visits),
	        cmocka_unit_test(daily_report_counts_and_scope),
	        cmocka_unit_test(out_of_scope_visit_is_not_found),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
