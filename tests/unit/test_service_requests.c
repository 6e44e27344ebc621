/*
 * test_service_requests — approval chains (DESIGN 1.8) on the organisation of
 * unit.h, on SQLite and PostgreSQL alike: steps taken in order by their own
 * approvers only (the applicant, a later step's approver and anyone else are
 * refused; nothing is skipped), a rejection ending the request, a role step
 * limited to the applicant's department line, a request keeping the steps it
 * copied when its chain changes later, and every decision in the audit log.
 */
#define UNIT_WITH_SERVICE
#include "unit.h"

#include "core/request.h"

typedef struct world {
	unit_org org;
	int64_t cust;     /* owned by e1 */
	int64_t outsider; /* a manager of the service department */
} world;

static void set_chain(world *w, const char *type, const char *const *steps, int n)
{
	unit_ctx c;
	unit_ctx_system(&c, w->org.db);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, chain_step_from_text(steps[i]));
	json_t *old;
	int64_t version;
	UNIT_OK(svc_chain_get(&c.s, type, &old, &version), &c.e);
	json_decref(old);
	UNIT_OK(svc_chain_set(&c.s, type, version, arr), &c.e);
	json_decref(arr);
	unit_ctx_close(&c);
}

static int group_setup(void **state)
{
	world *w = calloc(1, sizeof(*w));
	unit_org_build(&w->org);
	unit_ctx c;
	unit_ctx_system(&c, w->org.db);
	w->cust = unit_customer_new(&c, "星河贸易", w->org.e1, "13812345678");
	w->outsider = unit_make_user(&c, "svcmgr", "manager", w->org.service, 0, NULL);
	unit_ctx_close(&c);
	static const char *const chain[] = {"supervisor", "role:manager:dept", "role:finance"};
	set_chain(w, "entertainment", chain, 3);
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

/* A submitted entertainment request of e1; returns its id. */
static int64_t submitted(world *w)
{
	unit_ctx c;
	unit_ctx_user(&c, w->org.db, w->org.e1);
	kh_record r;
	record_init(&r, &request_entity, &c.a);
	record_set_text(&r, RQF_TYPE, "entertainment");
	record_set_int(&r, RQF_CUSTOMER, w->cust);
	record_set_text(&r, RQF_PURPOSE, "季度答谢");
	record_set_text(&r, RQF_DATE, "2025-03-18");
	json_t *items = json_pack("[{s:s, s:i}]", "item", "用餐", "budget", 80000);
	int64_t id = 0;
	UNIT_OK(svc_request_create(&c.s, &r, items, &id), &c.e);
	json_decref(items);
	UNIT_OK(svc_request_submit(&c.s, id, 1), &c.e);
	unit_ctx_close(&c);
	return id;
}

/* The request as kehu sees it now. */
static request_view now(world *w, unit_ctx *c, int64_t id)
{
	unit_ctx_system(c, w->org.db);
	request_view v;
	UNIT_OK(svc_request_get(&c->s, id, &v), &c->e);
	return v;
}

/* user decides request id at its current version; returns the error code */
static kh_code decide(world *w, int64_t user, int64_t id, bool approve, const char *comment)
{
	unit_ctx k;
	request_view v = now(w, &k, id);
	int64_t version = v.req.v[F_VERSION].i;
	unit_ctx_close(&k);
	unit_ctx c;
	unit_ctx_user(&c, w->org.db, user);
	svc_request_decide(&c.s, id, version, approve, comment);
	kh_code code = c.e.code;
	unit_ctx_close(&c);
	return code;
}

static void steps_are_taken_in_order_by_their_own_approvers(void **state)
{
	world *w = *state;
	unit_org *o = &w->org;
	int64_t id = submitted(w);
	/* step 1 is e1's supervisor, lead: nobody else may act, and nothing is skipped */
	assert_int_equal(decide(w, o->e1, id, true, NULL), KH_EFORBIDDEN);
	assert_int_equal(decide(w, o->mgr, id, true, NULL), KH_EFORBIDDEN);
	assert_int_equal(decide(w, o->fin1, id, true, NULL), KH_EFORBIDDEN);
	/* a colleague who cannot even see it: not found, no hint it exists */
	assert_int_equal(decide(w, o->s1, id, true, NULL), KH_ENOTFOUND);
	assert_int_equal(decide(w, o->lead, id, true, "好"), KH_OK);
	/* step 2: a manager of e1's department line; another department's manager is
	 * no approver of it and does not see its customer, so to them it does not exist */
	assert_int_equal(decide(w, w->outsider, id, true, NULL), KH_ENOTFOUND);
	assert_int_equal(decide(w, o->lead, id, true, NULL), KH_EFORBIDDEN);
	assert_int_equal(decide(w, o->fin1, id, true, NULL), KH_EFORBIDDEN);
	assert_int_equal(decide(w, o->mgr, id, true, NULL), KH_OK);
	assert_int_equal(decide(w, o->fin1, id, true, NULL), KH_OK);
	/* approved: nothing is left to decide */
	assert_int_equal(decide(w, o->fin1, id, true, NULL), KH_ESTATE);
	unit_ctx c;
	request_view v = now(w, &c, id);
	assert_string_equal(v.req.v[RQF_STATUS].s, REQ_APPROVED);
	assert_int_equal(v.nsteps, 3);
	assert_int_equal(v.ndecisions, 3);
	int64_t by[3] = {o->lead, o->mgr, o->fin1};
	for (int i = 0; i < 3; i++) {
		assert_int_equal(v.decisions[i].v[RDF_STEP].i, i + 1);
		assert_int_equal(v.decisions[i].v[RDF_APPROVER].i, by[i]);
	}
	/* every decision is in the audit log */
	const char *ids = arena_printf(&c.a, "%lld", (long long)id);
	kv params[] = {{"entity", "request"}, {"entity_id", ids}, {"action", "approve"}};
	audit_row *rows;
	int n;
	const char *next;
	UNIT_OK(svc_audit_list(&c.s, params, 3, &rows, &n, &next), &c.e);
	assert_int_equal(n, 3);
	unit_ctx_close(&c);
}

static void a_stale_version_is_refused(void **state)
{
	world *w = *state;
	int64_t id = submitted(w);
	unit_ctx c;
	unit_ctx_user(&c, w->org.db, w->org.lead);
	assert_int_equal(svc_request_decide(&c.s, id, 1, true, NULL), -1);
	assert_int_equal(c.e.code, KH_ECONFLICT);
	unit_ctx_close(&c);
	unit_ctx k;
	request_view v = now(w, &k, id);
	assert_int_equal(v.req.v[RQF_CURRENT_STEP].i, 1);
	assert_int_equal(v.ndecisions, 0);
	unit_ctx_close(&k);
}

static void a_rejection_ends_the_request(void **state)
{
	world *w = *state;
	unit_org *o = &w->org;
	int64_t id = submitted(w);
	assert_int_equal(decide(w, o->lead, id, false, NULL), KH_EINVAL); /* a reason is needed */
	assert_int_equal(decide(w, o->lead, id, false, "预算过高"), KH_OK);
	assert_int_equal(decide(w, o->mgr, id, true, NULL), KH_ESTATE);
	assert_int_equal(decide(w, o->fin1, id, true, NULL), KH_ESTATE);
	unit_ctx c;
	request_view v = now(w, &c, id);
	assert_string_equal(v.req.v[RQF_STATUS].s, REQ_REJECTED);
	assert_int_equal(v.ndecisions, 1);
	assert_string_equal(v.decisions[0].v[RDF_DECISION].s, "reject");
	assert_string_equal(v.decisions[0].v[RDF_COMMENT].s, "预算过高");
	unit_ctx_close(&c);
	/* the applicant sees it rejected; a colleague outside the scope does not see it */
	unit_ctx_user(&c, w->org.db, o->e1);
	request_view mine;
	UNIT_OK(svc_request_get(&c.s, id, &mine), &c.e);
	assert_string_equal(mine.req.v[RQF_STATUS].s, REQ_REJECTED);
	unit_ctx_close(&c);
	unit_ctx_user(&c, w->org.db, o->s1);
	assert_int_equal(svc_request_get(&c.s, id, &mine), -1);
	assert_int_equal(c.e.code, KH_ENOTFOUND);
	unit_ctx_close(&c);
}

static void a_submitted_request_keeps_its_steps_when_the_chain_changes(void **state)
{
	world *w = *state;
	unit_org *o = &w->org;
	int64_t id = submitted(w);
	static const char *const only_finance[] = {"role:finance"};
	set_chain(w, "entertainment", only_finance, 1);
	assert_int_equal(decide(w, o->fin1, id, true, NULL), KH_EFORBIDDEN);
	assert_int_equal(decide(w, o->lead, id, true, NULL), KH_OK);
	unit_ctx c;
	request_view v = now(w, &c, id);
	assert_int_equal(v.nsteps, 3);
	assert_int_equal(v.req.v[RQF_CURRENT_STEP].i, 2);
	unit_ctx_close(&c);
	/* a request submitted now has the new chain */
	int64_t id2 = submitted(w);
	v = now(w, &c, id2);
	assert_int_equal(v.nsteps, 1);
	unit_ctx_close(&c);
	assert_int_equal(decide(w, o->fin1, id2, true, NULL), KH_OK);
	static const char *const chain[] = {"supervisor", "role:manager:dept", "role:finance"};
	set_chain(w, "entertainment", chain, 3);
}

static void submitting_needs_a_chain_that_someone_can_follow(void **state)
{
	world *w = *state;
	unit_org *o = &w->org;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	kh_record r;
	record_init(&r, &request_entity, &c.a);
	record_set_text(&r, RQF_TYPE, "gift");
	record_set_int(&r, RQF_CUSTOMER, w->cust);
	record_set_text(&r, RQF_GIFT_NAME, "茶叶");
	record_set_int(&r, RQF_QUANTITY, 2);
	record_set_int(&r, RQF_UNIT_VALUE, 25000);
	record_set_text(&r, RQF_DATE, "2025-04-01");
	int64_t id = 0;
	UNIT_OK(svc_request_create(&c.s, &r, NULL, &id), &c.e);
	/* no chain set for gifts yet */
	assert_int_equal(svc_request_submit(&c.s, id, 1), -1);
	assert_int_equal(c.e.code, KH_ESTATE);
	unit_ctx_close(&c);
	/* a named approver who is the applicant leaves nobody for that step */
	static const char *const self[] = {"user:e1"};
	set_chain(w, "gift", self, 1);
	unit_ctx_user(&c, o->db, o->e1);
	assert_int_equal(svc_request_submit(&c.s, id, 1), -1);
	assert_int_equal(c.e.code, KH_ESTATE);
	request_view v;
	UNIT_OK(svc_request_get(&c.s, id, &v), &c.e);
	assert_string_equal(v.req.v[RQF_STATUS].s, REQ_DRAFT);
	assert_int_equal(v.nsteps, 0);
	/* the gift's budget came from quantity times unit value */
	assert_int_equal(v.req.v[RQF_BUDGET_TOTAL].i, 50000);
	unit_ctx_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(steps_are_taken_in_order_by_their_own_approvers),
	        cmocka_unit_test(a_stale_version_is_refused),
	        cmocka_unit_test(a_rejection_ends_the_request),
	        cmocka_unit_test(a_submitted_request_keeps_its_steps_when_the_chain_changes),
	        cmocka_unit_test(submitting_needs_a_chain_that_someone_can_follow),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
