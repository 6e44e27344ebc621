/*
 * test_service_scope — data scopes (DESIGN 1.10) on a real organisation
 * (see unit.h): 本人 own, 本人及下属 own_sub (transitive), 本部门 dept,
 * 本部门及下属部门 dept_sub and 全部 all, each checked through the lists,
 * the record page and search as every kind of user, plus the write side
 * (who may edit or assign what) and a user's move between departments.
 */
#define UNIT_WITH_SERVICE
#include "unit.h"

enum { C_MGR, C_LEAD, C_E1, C_E2, C_S1, C_SVC, C_FIN, C_ADMIN, NCUST };

static const char *const cust_names[NCUST] = {
        "销售部直属客户", "华东组长客户", "华东一号客户", "华东二号客户",
        "华南星河贸易",   "客服部客户",   "财务部客户",   "总部客户",
};

typedef struct world {
	unit_org org;
	int64_t cust[NCUST];
} world;

static int group_setup(void **state)
{
	world *w = calloc(1, sizeof(*w));
	unit_org_build(&w->org);
	unit_org *o = &w->org;
	int64_t owners[NCUST] = {o->mgr, o->lead, o->e1, o->e2, o->s1, o->svc1, o->fin1, o->admin};
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	for (int i = 0; i < NCUST; i++)
		w->cust[i] = unit_customer_new(&c, cust_names[i], owners[i], "13812345678");
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

/* The fixture customers user sees in the customer list (bit i for cust[i]). */
static unsigned listed(world *w, int64_t user, const kv *extra, int nextra)
{
	unit_ctx c;
	unit_ctx_user(&c, w->org.db, user);
	kv params[4] = {{"limit", "500"}};
	int np = 1;
	for (int i = 0; i < nextra; i++)
		params[np++] = extra[i];
	list_page page;
	UNIT_OK(svc_customer_list(&c.s, params, np, &page), &c.e);
	assert_null(page.next);
	unsigned bits = 0;
	for (int r = 0; r < page.n; r++)
		for (int i = 0; i < NCUST; i++)
			if (page.rows[r].v[F_ID].i == w->cust[i])
				bits |= 1u << i;
	unit_ctx_close(&c);
	return bits;
}

/* The fixture customers user can open one by one. */
static unsigned opened(world *w, int64_t user)
{
	unsigned bits = 0;
	for (int i = 0; i < NCUST; i++) {
		unit_ctx c;
		unit_ctx_user(&c, w->org.db, user);
		kh_record r;
		int rc = svc_customer_get(&c.s, w->cust[i], false, &r, NULL, NULL);
		if (rc == 0) {
			bits |= 1u << i;
			assert_int_equal(r.v[F_ID].i, w->cust[i]);
		} else {
			assert_int_equal(c.e.code,
			                 KH_ENOTFOUND); /* not "forbidden": no hint it exists */
		}
		unit_ctx_close(&c);
	}
	return bits;
}

#define B(x) (1u << (x))
#define ALL  ((1u << NCUST) - 1)

typedef struct expectation {
	const char *who;
	int64_t user;
	unsigned sees;
} expectation;

static int expectations(world *w, expectation *out)
{
	unit_org *o = &w->org;
	int n = 0;
	out[n++] = (expectation){"e1 (sales, own)", o->e1, B(C_E1)};
	out[n++] = (expectation){"e2 (sales, own)", o->e2, B(C_E2)};
	out[n++] = (expectation){"s1 (sales, own)", o->s1, B(C_S1)};
	out[n++] = (expectation){"lead (own_sub: e1 and, through e1, e2)", o->lead,
	                         B(C_LEAD) | B(C_E1) | B(C_E2)};
	out[n++] = (expectation){"viewer (dept: East)", o->viewer, B(C_LEAD) | B(C_E1) | B(C_E2)};
	out[n++] = (expectation){"viewer_sales (dept: Sales only)", o->viewer_sales, B(C_MGR)};
	out[n++] = (expectation){"mgr (dept_sub: Sales, East, South)", o->mgr,
	                         B(C_MGR) | B(C_LEAD) | B(C_E1) | B(C_E2) | B(C_S1)};
	out[n++] = (expectation){"svc1 (service, all)", o->svc1, ALL};
	out[n++] = (expectation){"fin1 (finance, all)", o->fin1, ALL};
	out[n++] = (expectation){"admin (all)", o->admin, ALL};
	return n;
}

static void report(const char *what, const char *who, unsigned got, unsigned want)
{
	if (got == want)
		return;
	for (int i = 0; i < NCUST; i++)
		if ((got ^ want) & B(i))
			fprintf(stderr, "  %s: %s %s %s\n", what, who,
			        got & B(i) ? "sees (should not)" : "misses", cust_names[i]);
	fail_msg("%s for %s: got 0x%x, want 0x%x", what, who, got, want);
}

static void list_shows_each_user_exactly_their_scope(void **state)
{
	world *w = *state;
	expectation ex[16];
	int n = expectations(w, ex);
	for (int i = 0; i < n; i++)
		report("list", ex[i].who, listed(w, ex[i].user, NULL, 0), ex[i].sees);
}

static void record_pages_follow_the_same_scope(void **state)
{
	world *w = *state;
	expectation ex[16];
	int n = expectations(w, ex);
	for (int i = 0; i < n; i++)
		report("get", ex[i].who, opened(w, ex[i].user), ex[i].sees);
}

static void search_never_finds_what_the_list_hides(void **state)
{
	world *w = *state;
	unit_org *o = &w->org;
	kv q[] = {{"q", "星河"}};
	report("search", "e1", listed(w, o->e1, q, 1), 0);
	report("search", "viewer", listed(w, o->viewer, q, 1), 0);
	report("search", "s1", listed(w, o->s1, q, 1), B(C_S1));
	report("search", "mgr", listed(w, o->mgr, q, 1), B(C_S1));
	kv q2[] = {{"q", "客户"}};
	report("search", "lead", listed(w, o->lead, q2, 1), B(C_LEAD) | B(C_E1) | B(C_E2));
	/* a filter does not widen the scope either */
	char owner[32];
	snprintf(owner, sizeof(owner), "%lld", (long long)o->s1);
	kv f[] = {{"owner", owner}};
	report("filter", "e1", listed(w, o->e1, f, 1), 0);
	report("filter", "mgr", listed(w, o->mgr, f, 1), B(C_S1));
}

static void scope_filter_names_owners_or_departments(void **state)
{
	world *w = *state;
	unit_org *o = &w->org;
	struct {
		int64_t user;
		scope_kind kind;
		int64_t ids[4];
		int n;
	} cases[] = {
	        {o->e1, SCOPE_MATCH_OWNERS, {o->e1}, 1},
	        {o->lead, SCOPE_MATCH_OWNERS, {o->lead, o->e1, o->e2}, 3},
	        {o->viewer, SCOPE_MATCH_DEPTS, {o->east}, 1},
	        {o->viewer_sales, SCOPE_MATCH_DEPTS, {o->sales}, 1},
	        {o->mgr, SCOPE_MATCH_DEPTS, {o->sales, o->east, o->south}, 3},
	        {o->svc1, SCOPE_MATCH_ALL, {0}, 0},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		unit_ctx c;
		unit_ctx_user(&c, o->db, cases[k].user);
		kh_scope_filter f;
		UNIT_OK(scope_filter(&c.s, &f), &c.e);
		assert_int_equal(f.kind, cases[k].kind);
		if (f.kind != SCOPE_MATCH_ALL) {
			assert_int_equal(f.n, cases[k].n);
			for (int i = 0; i < cases[k].n; i++) {
				bool found = false;
				for (int j = 0; j < f.n; j++)
					found |= f.ids[j] == cases[k].ids[i];
				assert_true(found);
			}
		}
		unit_ctx_close(&c);
	}
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	kh_scope_filter f;
	UNIT_OK(scope_filter(&c.s, &f), &c.e);
	assert_int_equal(f.kind, SCOPE_MATCH_ALL);
	unit_ctx_close(&c);
}

static void scope_covers_users_within_reach(void **state)
{
	world *w = *state;
	unit_org *o = &w->org;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	assert_true(scope_covers_user(&c.s, o->e2));
	assert_true(scope_covers_user(&c.s, o->s1));
	assert_false(scope_covers_user(&c.s, o->svc1));
	assert_false(scope_covers_user(&c.s, 987654));
	unit_ctx_close(&c);
	unit_ctx_user(&c, o->db, o->lead);
	assert_true(scope_covers_user(&c.s, o->e2));
	assert_false(scope_covers_user(&c.s, o->s1));
	assert_false(scope_covers_user(&c.s, o->mgr)); /* one's boss is not a subordinate */
	unit_ctx_close(&c);
}

static void nobody_edits_outside_their_scope(void **state)
{
	world *w = *state;
	unit_org *o = &w->org;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	kh_record p;
	record_init(&p, &customer_entity, &c.a);
	record_set_text(&p, CF_CITY, "广州");
	int64_t v = unit_customer_version(o->db, w->cust[C_S1]);
	assert_int_equal(svc_customer_update(&c.s, w->cust[C_S1], v, &p), -1);
	assert_int_equal(c.e.code, KH_ENOTFOUND);
	unit_ctx_close(&c);
	assert_int_equal(unit_customer_version(o->db, w->cust[C_S1]), v);

	/* a manager cannot delete what lies outside the department tree */
	unit_ctx_user(&c, o->db, o->mgr);
	v = unit_customer_version(o->db, w->cust[C_SVC]);
	assert_int_equal(svc_customer_delete(&c.s, w->cust[C_SVC], v), -1);
	assert_int_equal(c.e.code, KH_ENOTFOUND);
	unit_ctx_close(&c);
	assert_int_equal(unit_customer_version(o->db, w->cust[C_SVC]), v);

	/* a viewer may see but not change */
	unit_ctx_user(&c, o->db, o->viewer);
	record_init(&p, &customer_entity, &c.a);
	record_set_text(&p, CF_CITY, "广州");
	v = unit_customer_version(o->db, w->cust[C_E1]);
	assert_int_equal(svc_customer_update(&c.s, w->cust[C_E1], v, &p), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	unit_ctx_close(&c);
}

static void sales_may_only_own_their_own_new_customers(void **state)
{
	world *w = *state;
	unit_org *o = &w->org;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	kh_record r;
	unit_customer_record(&r, &c.a, "转给别人的客户");
	record_set_int(&r, CF_OWNER, o->e2);
	int64_t id = 0;
	assert_int_equal(svc_customer_create(&c.s, &r, NULL, 0, &id), -1);
	assert_int_equal(c.e.code, KH_EINVAL);
	assert_true(unit_has_field_error(&c.e, "owner"));
	unit_ctx_close(&c);

	/* without an owner the creator owns it */
	unit_ctx_user(&c, o->db, o->e1);
	id = unit_customer_new(&c, "自己的新客户", 0, NULL);
	kh_record got;
	UNIT_OK(svc_customer_get(&c.s, id, false, &got, NULL, NULL), &c.e);
	assert_int_equal(record_int(&got, CF_OWNER, 0), o->e1);
	assert_int_equal(record_int(&got, CF_DEPARTMENT, 0), o->east);
	unit_ctx_close(&c);
}

static void managers_assign_only_within_their_scope(void **state)
{
	world *w = *state;
	unit_org *o = &w->org;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	int64_t id = unit_customer_new(&c, "经理分配的客户", o->e1, NULL);
	kh_record got;
	UNIT_OK(svc_customer_get(&c.s, id, false, &got, NULL, NULL), &c.e);
	assert_int_equal(record_int(&got, CF_OWNER, 0), o->e1);
	assert_int_equal(record_int(&got, CF_DEPARTMENT, 0), o->east);
	int64_t version = got.v[F_VERSION].i;

	/* to the service department: outside the manager's scope */
	kh_record p;
	record_init(&p, &customer_entity, &c.a);
	record_set_int(&p, CF_OWNER, o->svc1);
	assert_int_equal(svc_customer_update(&c.s, id, version, &p), -1);
	assert_true(unit_has_field_error(&c.e, "owner"));
	unit_ctx_close(&c);

	/* reassigning moves the customer to the new owner's department */
	unit_ctx_user(&c, o->db, o->mgr);
	record_init(&p, &customer_entity, &c.a);
	record_set_int(&p, CF_OWNER, o->s1);
	UNIT_OK(svc_customer_update(&c.s, id, version, &p), &c.e);
	UNIT_OK(svc_customer_get(&c.s, id, false, &got, NULL, NULL), &c.e);
	assert_int_equal(record_int(&got, CF_DEPARTMENT, 0), o->south);
	unit_ctx_close(&c);
	/* and out of e1's sight */
	unit_ctx_user(&c, o->db, o->e1);
	assert_int_equal(svc_customer_get(&c.s, id, false, &got, NULL, NULL), -1);
	assert_int_equal(c.e.code, KH_ENOTFOUND);
	unit_ctx_close(&c);
}

static void contacts_follow_their_customers_scope(void **state)
{
	world *w = *state;
	unit_org *o = &w->org;
	/* the contact of s1's customer, as kehu sees it */
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	kh_record cust, *contacts;
	int nk = 0;
	UNIT_OK(svc_customer_get(&c.s, w->cust[C_S1], false, &cust, &contacts, &nk), &c.e);
	assert_int_equal(nk, 1);
	int64_t s1_contact = contacts[0].v[F_ID].i;
	unit_ctx_close(&c);

	unit_ctx_user(&c, o->db, o->e1);
	list_page page;
	kv p[] = {{"limit", "500"}};
	UNIT_OK(svc_contact_list(&c.s, 0, p, 1, &page), &c.e);
	assert_true(page.n >= 1);
	for (int i = 0; i < page.n; i++) {
		int64_t cid = record_int(&page.rows[i], KF_CUSTOMER, 0);
		if (cid != w->cust[C_E1]) {
			/* any other customer of the contact must be e1's own */
			kh_record other;
			UNIT_OK(svc_customer_get(&c.s, cid, false, &other, NULL, NULL), &c.e);
			assert_int_equal(record_int(&other, CF_OWNER, 0), o->e1);
		}
		assert_int_not_equal(page.rows[i].v[F_ID].i, s1_contact);
	}
	kh_record k;
	assert_int_equal(svc_contact_get(&c.s, s1_contact, &k), -1);
	assert_int_equal(c.e.code, KH_ENOTFOUND);
	err_clear(&c.e);
	assert_int_equal(svc_contact_list(&c.s, w->cust[C_S1], NULL, 0, &page), -1);
	assert_int_equal(c.e.code, KH_ENOTFOUND);
	err_clear(&c.e);
	kh_record nk2;
	unit_contact_record(&nk2, &c.a, "混进去", "13700000000");
	int64_t kid;
	assert_int_equal(svc_contact_create(&c.s, w->cust[C_S1], &nk2, &kid), -1);
	assert_int_equal(c.e.code, KH_ENOTFOUND);
	unit_ctx_close(&c);
}

static void archived_customers_keep_their_scope(void **state)
{
	world *w = *state;
	unit_org *o = &w->org;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	int64_t id = unit_customer_new(&c, "归档的华东客户", 0, NULL);
	UNIT_OK(svc_customer_archive(&c.s, id, 1, true), &c.e);
	assert_int_equal(svc_customer_archive(&c.s, id, 2, true), -1); /* already archived */
	assert_int_equal(c.e.code, KH_EBADREQ);
	unit_ctx_close(&c);

	struct {
		int64_t user;
		bool sees;
	} who[] = {{o->e1, true},  {o->viewer, true}, {o->mgr, true},
	           {o->s1, false}, {o->e2, false},    {o->viewer_sales, false}};
	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		unit_ctx_user(&c, o->db, who[i].user);
		bool in_active = false, in_archive = false;
		list_page page;
		kv active[] = {{"limit", "500"}};
		UNIT_OK(svc_customer_list(&c.s, active, 1, &page), &c.e);
		for (int r = 0; r < page.n; r++)
			in_active |= page.rows[r].v[F_ID].i == id;
		kv arch[] = {{"limit", "500"}, {"view", "archived"}};
		UNIT_OK(svc_customer_list(&c.s, arch, 2, &page), &c.e);
		for (int r = 0; r < page.n; r++) {
			in_archive |= page.rows[r].v[F_ID].i == id;
			assert_int_equal(record_int(&page.rows[r], CF_ARCHIVED, 0), 1);
		}
		assert_false(in_active);
		if (in_archive != who[i].sees)
			fail_msg("user %lld %s the archived customer", (long long)who[i].user,
			         in_archive ? "sees" : "misses");
		unit_ctx_close(&c);
	}

	unit_ctx_user(&c, o->db, o->e1);
	UNIT_OK(svc_customer_archive(&c.s, id, 2, false), &c.e);
	unit_ctx_close(&c);
	assert_int_equal(unit_customer_version(o->db, id), 3);
}

static void moving_a_user_moves_their_customers_between_department_scopes(void **state)
{
	world *w = *state;
	unit_org *o = &w->org;
	/* e2 moves from East to South */
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	kh_record u;
	UNIT_OK(svc_user_get(&c.s, o->e2, &u), &c.e);
	kh_record p;
	record_init(&p, &user_entity, &c.a);
	record_set_int(&p, UF_DEPARTMENT, o->south);
	UNIT_OK(svc_user_update(&c.s, o->e2, u.v[F_VERSION].i, &p), &c.e);
	unit_ctx_close(&c);

	report("list", "viewer after the move", listed(w, o->viewer, NULL, 0), B(C_LEAD) | B(C_E1));
	report("list", "mgr after the move", listed(w, o->mgr, NULL, 0),
	       B(C_MGR) | B(C_LEAD) | B(C_E1) | B(C_E2) | B(C_S1));
	/* own_sub follows people, not departments */
	report("list", "lead after the move", listed(w, o->lead, NULL, 0),
	       B(C_LEAD) | B(C_E1) | B(C_E2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(list_shows_each_user_exactly_their_scope),
	        cmocka_unit_test(record_pages_follow_the_same_scope),
	        cmocka_unit_test(search_never_finds_what_the_list_hides),
	        cmocka_unit_test(scope_filter_names_owners_or_departments),
	        cmocka_unit_test(scope_covers_users_within_reach),
	        cmocka_unit_test(nobody_edits_outside_their_scope),
	        cmocka_unit_test(sales_may_only_own_their_own_new_customers),
	        cmocka_unit_test(managers_assign_only_within_their_scope),
	        cmocka_unit_test(contacts_follow_their_customers_scope),
	        cmocka_unit_test(archived_customers_keep_their_scope),
	        /* last: it changes the organisation */
	        cmocka_unit_test(moving_a_user_moves_their_customers_between_department_scopes),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
