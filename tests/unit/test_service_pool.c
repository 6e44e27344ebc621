/*
 * test_service_pool — the customer pool 公海 and the archive 历史库 on a real
 * organisation (see unit.h), on either engine: releasing records the previous
 * owner, everyone who reads customers sees the pool, one claim wins, the claims
 * per day and the customer limit stop claims naming the limit, the sweep returns
 * customers by their grade's rule (never a locked one, never one just claimed,
 * never twice), and the archive's suggestions and all-or-nothing bulk archive.
 * Two threads on two connections claiming the same customer: exactly one wins.
 */
#define UNIT_WITH_SERVICE
#include "unit.h"

#include <pthread.h>

#include "core/pool.h"
#include "store/store.h"

/* Set one setting as kehu itself. */
static void set_setting(unit_org *o, const char *key, int64_t value)
{
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	int64_t values[SETTINGS_MAX], version;
	UNIT_OK(svc_settings(&c.s, values, &version), &c.e);
	char txt[24];
	snprintf(txt, sizeof(txt), "%lld", (long long)value);
	kv change = {key, txt};
	UNIT_OK(svc_settings_update(&c.s, version, &change, 1), &c.e);
	unit_ctx_close(&c);
}

/* A customer owned by owner, first contacted on first_contact, of grade (may be NULL),
 * last followed up on followup (may be NULL). */
static int64_t customer_at(unit_org *o, const char *name, int64_t owner, const char *first_contact,
                           const char *grade, const char *followup)
{
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	c.s.allow_derived = true;
	kh_record r;
	unit_customer_record(&r, &c.a, name);
	record_set_int(&r, CF_OWNER, owner);
	record_set_text(&r, CF_FIRST_CONTACT_DATE, first_contact);
	if (grade)
		record_set_text(&r, CF_GRADE, grade);
	if (followup)
		record_set_text(&r, CF_LAST_FOLLOWUP_DATE, followup);
	int64_t id = 0;
	UNIT_OK(svc_customer_create(&c.s, &r, NULL, 0, &id), &c.e);
	unit_ctx_close(&c);
	return id;
}

/* A customer put in the pool by kehu itself (its owner becomes the previous one). */
static int64_t pool_customer(unit_org *o, const char *name, int64_t was_owner)
{
	int64_t id = customer_at(o, name, was_owner, "2024-05-10", NULL, NULL);
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	UNIT_OK(svc_pool_release(&c.s, id, -1, NULL), &c.e);
	unit_ctx_close(&c);
	return id;
}

/* The customer as stored (read as kehu itself). */
static kh_record stored(unit_org *o, int64_t id, arena *a)
{
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	kh_record r, out;
	UNIT_OK(svc_customer_get(&c.s, id, false, &r, NULL, NULL), &c.e);
	record_copy(&out, &r, a);
	unit_ctx_close(&c);
	return out;
}

static bool page_has(const list_page *p, int64_t id)
{
	for (int i = 0; i < p->n; i++)
		if (p->rows[i].v[F_ID].i == id)
			return true;
	return false;
}

static void release_records_the_previous_owner_and_everyone_sees_the_pool(void **state)
{
	unit_org *o = *state;
	int64_t id = customer_at(o, "公海测试甲", o->e1, "2024-05-10", NULL, NULL);
	unit_ctx c;

	/* s1 (south, own scope) does not see e1's customer ... */
	unit_ctx_user(&c, o->db, o->s1);
	kh_record r;
	assert_int_equal(svc_customer_get(&c.s, id, false, &r, NULL, NULL), -1);
	assert_int_equal(c.e.code, KH_ENOTFOUND);
	/* ... and may not release it */
	err_clear(&c.e);
	assert_int_equal(svc_pool_release(&c.s, id, -1, NULL), -1);
	assert_int_equal(c.e.code, KH_ENOTFOUND);
	unit_ctx_close(&c);

	unit_ctx_user(&c, o->db, o->e1);
	UNIT_OK(svc_pool_release(&c.s, id, -1, "客户暂无需求"), &c.e);
	assert_int_equal(svc_pool_release(&c.s, id, -1, NULL), -1);
	assert_int_equal(c.e.code, KH_ESTATE);
	unit_ctx_close(&c);

	arena a = ARENA_INIT;
	kh_record now = stored(o, id, &a);
	assert_int_equal(record_int(&now, CF_IN_POOL, 0), 1);
	assert_false(record_is_set(&now, CF_OWNER));
	assert_false(record_is_set(&now, CF_DEPARTMENT));
	assert_int_equal(record_int(&now, CF_PREVIOUS_OWNER, 0), o->e1);
	assert_true(record_is_set(&now, CF_POOL_SINCE));

	/* a viewer (customer.read only, another department's scope) sees the pool */
	unit_ctx_user(&c, o->db, o->viewer_sales);
	kv params[] = {{"view", "pool"}, {"limit", "500"}};
	list_page p;
	UNIT_OK(svc_customer_list(&c.s, params, 2, &p), &c.e);
	assert_true(page_has(&p, id));
	UNIT_OK(svc_customer_get(&c.s, id, false, &r, NULL, NULL), &c.e);
	/* but claims nothing: that needs customer.write */
	assert_int_equal(svc_pool_claim(&c.s, id, -1), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	unit_ctx_close(&c);

	/* s1 claims it: theirs, in their department, out of the pool */
	unit_ctx_user(&c, o->db, o->s1);
	UNIT_OK(svc_pool_claim(&c.s, id, -1), &c.e);
	unit_ctx_close(&c);
	now = stored(o, id, &a);
	assert_int_equal(record_int(&now, CF_OWNER, 0), o->s1);
	assert_int_equal(record_int(&now, CF_DEPARTMENT, 0), o->south);
	assert_int_equal(record_int(&now, CF_IN_POOL, 1), 0);
	assert_int_equal(record_int(&now, CF_PREVIOUS_OWNER, 0), o->e1);

	/* e1 is too late, and told so (409), though the customer is out of sight now */
	unit_ctx_user(&c, o->db, o->e1);
	assert_int_equal(svc_pool_claim(&c.s, id, -1), -1);
	assert_int_equal(c.e.code, KH_ESTATE);
	assert_non_null(strstr(err_message(&c.e), "claimed it first"));
	unit_ctx_close(&c);

	/* the history: release by e1 (with the reason), then the claim by s1 */
	unit_ctx_system(&c, o->db);
	list_page ev;
	kv sort[] = {{"sort", "id"}};
	UNIT_OK(svc_pool_events(&c.s, id, sort, 1, &ev), &c.e);
	assert_int_equal(ev.n, 2);
	assert_string_equal(record_text(&ev.rows[0], PEF_ACTION), "release");
	assert_int_equal(record_int(&ev.rows[0], PEF_FROM_OWNER, 0), o->e1);
	assert_string_equal(record_text(&ev.rows[0], PEF_REASON), "客户暂无需求");
	assert_string_equal(record_text(&ev.rows[1], PEF_ACTION), "claim");
	assert_int_equal(record_int(&ev.rows[1], PEF_TO_OWNER, 0), o->s1);
	/* every move is in the audit log */
	audit_row *rows;
	int n;
	const char *next;
	kv aq[] = {{"entity", "customer"},
	           {"entity_id", arena_printf(&c.a, "%lld", (long long)id)}};
	UNIT_OK(svc_audit_list(&c.s, aq, 2, &rows, &n, &next), &c.e);
	bool claimed = false, released = false;
	for (int i = 0; i < n; i++) {
		claimed |= !strcmp(rows[i].action, "claim") && rows[i].user_id == o->s1;
		released |= !strcmp(rows[i].action, "release") && rows[i].user_id == o->e1;
	}
	assert_true(claimed && released);
	unit_ctx_close(&c);
	arena_release(&a);
}

static void claims_per_day_are_capped(void **state)
{
	unit_org *o = *state;
	set_setting(o, "pool_claims_per_day", 2);
	int64_t ids[3];
	for (int i = 0; i < 3; i++)
		ids[i] = pool_customer(o, "公海限额", o->lead);
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e2);
	UNIT_OK(svc_pool_claim(&c.s, ids[0], -1), &c.e);
	UNIT_OK(svc_pool_claim(&c.s, ids[1], -1), &c.e);
	assert_int_equal(svc_pool_claim(&c.s, ids[2], -1), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	assert_non_null(strstr(err_message(&c.e), "pool_claims_per_day = 2"));
	unit_ctx_close(&c);
	/* the refused claim left the customer where it was */
	arena a = ARENA_INIT;
	kh_record r = stored(o, ids[2], &a);
	assert_int_equal(record_int(&r, CF_IN_POOL, 0), 1);
	/* a release does not give a claim back: the cap counts claims */
	unit_ctx_user(&c, o->db, o->e2);
	UNIT_OK(svc_pool_release(&c.s, ids[0], -1, NULL), &c.e);
	assert_int_equal(svc_pool_claim(&c.s, ids[2], -1), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	unit_ctx_close(&c);
	/* a manager's assignment is not a claim */
	unit_ctx_user(&c, o->db, o->mgr);
	UNIT_OK(svc_pool_assign(&c.s, ids[2], -1, "e2"), &c.e);
	unit_ctx_close(&c);
	r = stored(o, ids[2], &a);
	assert_int_equal(record_int(&r, CF_OWNER, 0), o->e2);
	set_setting(o, "pool_claims_per_day", 10);
	arena_release(&a);
}

static void the_customer_limit_stops_claims_and_assignments(void **state)
{
	unit_org *o = *state;
	int64_t a1 = pool_customer(o, "上限一", o->e1), a2 = pool_customer(o, "上限二", o->e1);
	unit_ctx c;
	/* s1's own limit: one more than s1 owns now */
	unit_ctx_system(&c, o->db);
	int64_t owned = 0;
	UNIT_OK(store_customers_owned(o->db, o->s1, &owned, &c.e), &c.e);
	kh_record u, patch;
	UNIT_OK(svc_user_get(&c.s, o->s1, &u), &c.e);
	record_init(&patch, &user_entity, &c.a);
	record_set_int(&patch, UF_MAX_CUSTOMERS, owned + 1);
	UNIT_OK(svc_user_update(&c.s, o->s1, u.v[F_VERSION].i, &patch), &c.e);
	unit_ctx_close(&c);

	unit_ctx_user(&c, o->db, o->s1);
	UNIT_OK(svc_pool_claim(&c.s, a1, -1), &c.e);
	assert_int_equal(svc_pool_claim(&c.s, a2, -1), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	assert_non_null(strstr(err_message(&c.e), "customer limit"));
	unit_ctx_close(&c);

	/* the setting is everyone's limit without one of their own: lead owns some */
	customer_at(o, "lead 的客户", o->lead, "2024-05-10", NULL, NULL);
	unit_ctx_system(&c, o->db);
	UNIT_OK(store_customers_owned(o->db, o->lead, &owned, &c.e), &c.e);
	unit_ctx_close(&c);
	set_setting(o, "pool_customer_limit", owned);
	unit_ctx_user(&c, o->db, o->mgr);
	assert_int_equal(svc_pool_assign(&c.s, a2, -1, "lead"), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	unit_ctx_close(&c);
	set_setting(o, "pool_customer_limit", 0);
	unit_ctx_user(&c, o->db, o->mgr);
	UNIT_OK(svc_pool_assign(&c.s, a2, -1, "lead"), &c.e);
	/* assigning to someone outside the manager's scope names the field */
	int64_t a3 = pool_customer(o, "上限三", o->e1);
	assert_int_equal(svc_pool_assign(&c.s, a3, -1, "svc1"), -1);
	assert_true(unit_has_field_error(&c.e, "owner"));
	unit_ctx_close(&c);
}

static void the_sweep_returns_by_the_grade_rule_never_a_locked_one(void **state)
{
	unit_org *o = *state;
	/* first contacts in 2019, before anything else in this organisation, and a
	 * sweep "as of" 2019-06-30 so that only these customers can be due */
	const char *today = "2019-06-30";
	int64_t b_old = customer_at(o, "B级久未跟进", o->e1, "2019-01-02", "B", NULL);
	int64_t b_locked = customer_at(o, "B级锁定", o->e1, "2019-01-02", "B", NULL);
	int64_t b_recent = customer_at(o, "B级近期跟进", o->e1, "2019-01-02", "B", "2019-06-20");
	int64_t a_old = customer_at(o, "A级久未跟进", o->e1, "2019-01-02", "A", NULL);
	int64_t none_old = customer_at(o, "无等级久未跟进", o->e2, "2019-01-02", NULL, NULL);
	set_setting(o, "pool_return_days_b", 30);

	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	UNIT_OK(svc_pool_lock(&c.s, b_locked, -1, true), &c.e);
	assert_int_equal(svc_pool_lock(&c.s, b_locked, -1, true), -1);
	assert_int_equal(c.e.code, KH_ESTATE);
	unit_ctx_close(&c);
	/* a salesperson may not lock */
	unit_ctx_user(&c, o->db, o->e1);
	assert_int_equal(svc_pool_lock(&c.s, b_old, -1, true), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	unit_ctx_close(&c);

	int64_t returned = -1;
	unit_ctx_system(&c, o->db);
	UNIT_OK(svc_pool_sweep(&c.s, today, &returned), &c.e);
	assert_int_equal(returned, 1);
	/* idempotent: nothing more is due */
	UNIT_OK(svc_pool_sweep(&c.s, today, &returned), &c.e);
	assert_int_equal(returned, 0);
	unit_ctx_close(&c);

	arena a = ARENA_INIT;
	kh_record r = stored(o, b_old, &a);
	assert_int_equal(record_int(&r, CF_IN_POOL, 0), 1);
	assert_int_equal(record_int(&r, CF_PREVIOUS_OWNER, 0), o->e1);
	int64_t stay[] = {b_locked, b_recent, a_old, none_old};
	for (int i = 0; i < 4; i++) {
		r = stored(o, stay[i], &a);
		assert_int_equal(record_int(&r, CF_IN_POOL, 1), 0);
	}
	/* the return is in the history, with its reason */
	unit_ctx_system(&c, o->db);
	list_page ev;
	UNIT_OK(svc_pool_events(&c.s, b_old, NULL, 0, &ev), &c.e);
	assert_int_equal(ev.n, 1);
	assert_string_equal(record_text(&ev.rows[0], PEF_ACTION), "return");
	assert_int_equal(record_int(&ev.rows[0], PEF_FROM_OWNER, 0), o->e1);
	assert_non_null(strstr(record_text(&ev.rows[0], PEF_REASON), "2019-01-02"));
	unit_ctx_close(&c);

	/* the rule for customers without a grade */
	set_setting(o, "pool_return_days", 30);
	unit_ctx_system(&c, o->db);
	UNIT_OK(svc_pool_sweep(&c.s, today, &returned), &c.e);
	assert_int_equal(returned, 1);
	unit_ctx_close(&c);
	r = stored(o, none_old, &a);
	assert_int_equal(record_int(&r, CF_IN_POOL, 0), 1);
	r = stored(o, b_locked, &a);
	assert_int_equal(record_int(&r, CF_IN_POOL, 1), 0);

	/* unlocked, the locked one falls back too */
	unit_ctx_user(&c, o->db, o->mgr);
	UNIT_OK(svc_pool_lock(&c.s, b_locked, -1, false), &c.e);
	unit_ctx_close(&c);
	unit_ctx_system(&c, o->db);
	UNIT_OK(svc_pool_sweep(&c.s, today, &returned), &c.e);
	assert_int_equal(returned, 1);
	unit_ctx_close(&c);
	set_setting(o, "pool_return_days_b", 0);
	set_setting(o, "pool_return_days", 0);
	arena_release(&a);
}

static void a_customer_just_claimed_does_not_fall_back(void **state)
{
	unit_org *o = *state;
	/* contacted long ago, then released and claimed today: the claim is what counts */
	int64_t id = customer_at(o, "刚认领", o->e1, "2019-01-02", "C", NULL);
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	UNIT_OK(svc_pool_release(&c.s, id, -1, NULL), &c.e);
	unit_ctx_close(&c);
	unit_ctx_user(&c, o->db, o->e2);
	UNIT_OK(svc_pool_claim(&c.s, id, -1), &c.e);
	unit_ctx_close(&c);
	set_setting(o, "pool_return_days_c", 30);
	int64_t returned = -1;
	unit_ctx_system(&c, o->db);
	UNIT_OK(svc_pool_sweep(&c.s, NULL, &returned), &c.e);
	unit_ctx_close(&c);
	arena a = ARENA_INIT;
	kh_record r = stored(o, id, &a);
	assert_int_equal(record_int(&r, CF_OWNER, 0), o->e2);
	set_setting(o, "pool_return_days_c", 0);
	arena_release(&a);
}

static void archive_suggestions_and_bulk_archive_all_or_nothing(void **state)
{
	unit_org *o = *state;
	int64_t stale = customer_at(o, "三个月未跟进", o->e1, "2019-01-02", NULL, NULL);
	char today[DATE_LEN];
	date_today(today, KH_DEFAULT_TZ_MINUTES);
	int64_t fresh = customer_at(o, "刚跟进", o->e1, "2019-01-02", NULL, today);
	int64_t lost = customer_at(o, "流失", o->e1, today, NULL, NULL);
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	kh_record r, patch;
	UNIT_OK(svc_customer_get(&c.s, lost, false, &r, NULL, NULL), &c.e);
	record_init(&patch, &customer_entity, &c.a);
	record_set_text(&patch, CF_STATUS, "lost");
	UNIT_OK(svc_customer_update(&c.s, lost, r.v[F_VERSION].i, &patch), &c.e);
	unit_ctx_close(&c);

	unit_ctx_user(&c, o->db, o->e1);
	kv params[] = {{"limit", "500"}};
	list_page p;
	UNIT_OK(svc_archive_suggestions(&c.s, params, 1, &p), &c.e);
	assert_true(page_has(&p, stale));
	assert_true(page_has(&p, lost));
	assert_false(page_has(&p, fresh));
	/* another's customers are not suggested to e1 */
	unit_ctx_close(&c);
	int64_t others = customer_at(o, "别人的旧客户", o->s1, "2019-01-02", NULL, NULL);
	unit_ctx_user(&c, o->db, o->e1);
	UNIT_OK(svc_archive_suggestions(&c.s, params, 1, &p), &c.e);
	assert_false(page_has(&p, others));

	/* one bad id (another's customer, out of sight) refuses the whole batch */
	int64_t batch[] = {stale, others, stale};
	assert_int_equal(svc_archive_bulk(&c.s, batch, 3), -1);
	assert_true(unit_has_field_error(&c.e, "ids[1]"));
	assert_true(unit_has_field_error(&c.e, "ids[2]"));
	assert_false(unit_has_field_error(&c.e, "ids[0]"));
	err_clear(&c.e);
	unit_ctx_close(&c);
	arena a = ARENA_INIT;
	r = stored(o, stale, &a);
	assert_int_equal(record_int(&r, CF_ARCHIVED, 1), 0);

	unit_ctx_user(&c, o->db, o->e1);
	int64_t good[] = {stale, lost};
	UNIT_OK(svc_archive_bulk(&c.s, good, 2), &c.e);
	/* out of the default list and the suggestions, into the archive view */
	kv active[] = {{"limit", "500"}}, archived[] = {{"view", "archived"}, {"limit", "500"}};
	UNIT_OK(svc_customer_list(&c.s, active, 1, &p), &c.e);
	assert_false(page_has(&p, stale));
	UNIT_OK(svc_customer_list(&c.s, archived, 2, &p), &c.e);
	assert_true(page_has(&p, stale) && page_has(&p, lost));
	UNIT_OK(svc_archive_suggestions(&c.s, params, 1, &p), &c.e);
	assert_false(page_has(&p, stale));
	/* already archived: named */
	assert_int_equal(svc_archive_bulk(&c.s, good, 1), -1);
	assert_true(unit_has_field_error(&c.e, "ids[0]"));
	err_clear(&c.e);
	/* one action brings it back */
	r = stored(o, stale, &a);
	UNIT_OK(svc_customer_archive(&c.s, stale, r.v[F_VERSION].i, false), &c.e);
	UNIT_OK(svc_customer_list(&c.s, active, 1, &p), &c.e);
	assert_true(page_has(&p, stale));
	unit_ctx_close(&c);
	arena_release(&a);
}

/* ---- two connections at once ---- */

/* One side of a race: on its own connection, after the barrier, a claim of customer
 * as user (user > 0) or a sweep as kehu itself (user 0). */
typedef struct racer {
	const char *url;
	int64_t user, customer;
	pthread_barrier_t *start;
	int rc;
	kh_code code;
	int64_t returned;
} racer;

static void *race(void *arg)
{
	racer *r = arg;
	arena a = ARENA_INIT;
	kh_err e;
	err_init(&e, &a, KH_LANG_EN);
	store *db = NULL;
	r->rc = -2;
	bool open = store_open(r->url, &db, &e) == 0;
	unit_ctx c;
	if (open && r->user)
		unit_ctx_user(&c, db, r->user);
	else if (open)
		unit_ctx_system(&c, db);
	pthread_barrier_wait(r->start);
	if (open) {
		r->rc = r->user ? svc_pool_claim(&c.s, r->customer, -1)
		                : svc_pool_sweep(&c.s, "2018-06-30", &r->returned);
		r->code = c.e.code;
		unit_ctx_close(&c);
	}
	store_close(db);
	arena_release(&a);
	return NULL;
}

/* Run both racers at once and wait for them. */
static void run_race(racer rs[2])
{
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, 2);
	pthread_t t[2];
	for (int i = 0; i < 2; i++) {
		rs[i].start = &start;
		assert_int_equal(pthread_create(&t[i], NULL, race, &rs[i]), 0);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
}

static void two_claims_at_once_one_winner(void **state)
{
	unit_org *o = *state;
	set_setting(o, "pool_claims_per_day", 1000);
	for (int round = 0; round < 10; round++) {
		int64_t id = pool_customer(o, "抢客户", o->lead);
		racer rs[2] = {{.url = o->path, .user = o->e1, .customer = id},
		               {.url = o->path, .user = o->e2, .customer = id}};
		run_race(rs);
		int winners = (rs[0].rc == 0) + (rs[1].rc == 0);
		assert_int_equal(winners, 1);
		racer *loser = rs[0].rc == 0 ? &rs[1] : &rs[0];
		racer *winner = rs[0].rc == 0 ? &rs[0] : &rs[1];
		assert_int_equal(loser->rc, -1);
		assert_int_equal(loser->code, KH_ESTATE);
		arena a = ARENA_INIT;
		kh_record r = stored(o, id, &a);
		assert_int_equal(record_int(&r, CF_OWNER, 0), winner->user);
		arena_release(&a);
	}
	set_setting(o, "pool_claims_per_day", 10);
}

static void two_sweeps_at_once_return_each_customer_once(void **state)
{
	unit_org *o = *state;
	enum { N = 40 };
	int64_t ids[N];
	for (int i = 0; i < N; i++)
		ids[i] = customer_at(o, "两个回收同时", i % 2 ? o->e1 : o->s1, "2018-01-02", "D",
		                     NULL);
	set_setting(o, "pool_return_days_d", 30);
	racer runs[2] = {{.url = o->path}, {.url = o->path}};
	run_race(runs);
	set_setting(o, "pool_return_days_d", 0);
	assert_int_equal(runs[0].rc, 0);
	assert_int_equal(runs[1].rc, 0);
	assert_int_equal(runs[0].returned + runs[1].returned, N);
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	for (int i = 0; i < N; i++) {
		list_page ev;
		UNIT_OK(svc_pool_events(&c.s, ids[i], NULL, 0, &ev), &c.e);
		assert_int_equal(ev.n, 1);
		assert_string_equal(record_text(&ev.rows[0], PEF_ACTION), "return");
	}
	unit_ctx_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(release_records_the_previous_owner_and_everyone_sees_the_pool),
	        cmocka_unit_test(claims_per_day_are_capped),
	        cmocka_unit_test(the_customer_limit_stops_claims_and_assignments),
	        cmocka_unit_test(the_sweep_returns_by_the_grade_rule_never_a_locked_one),
	        cmocka_unit_test(a_customer_just_claimed_does_not_fall_back),
	        cmocka_unit_test(archive_suggestions_and_bulk_archive_all_or_nothing),
	        cmocka_unit_test(two_claims_at_once_one_winner),
	        cmocka_unit_test(two_sweeps_at_once_return_each_customer_once),
	};
	return cmocka_run_group_tests(tests, unit_org_setup, unit_org_teardown);
}
