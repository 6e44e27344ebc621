/*
 * test_service_dedupe — duplicate customers at the service level, on the
 * engine of KEHU_TEST_ENGINE: groups by name key and phone within the
 * viewer's scope (masked, paged), a merge moving every kind of record and
 * keeping one primary contact, derived fields and sales sums equal to a
 * recomputation after the merge and after its undo, and the refusals: a
 * customer outside the scope (not found), a stale version (conflict, nothing
 * moved although the failure comes after the moves), no delete permission,
 * an undo whose state is gone.
 */
#define UNIT_WITH_SERVICE
#include "unit.h"

#include "core/activity.h"
#include "core/mask.h"
#include "core/phone.h"
#include "store/store_int.h"

/* tables a merge moves, as store_customer_tables names them */
#define NTABLES 11

static int64_t count_rows(store *db, const char *table, int64_t customer)
{
	kh_err e;
	arena a = ARENA_INIT;
	err_init(&e, &a, KH_LANG_EN);
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE customer_id = ?", table);
	int64_t n = -1;
	UNIT_OK(stmt_query_int(db, &e, &n, sql, "i", customer) < 0 ? -1 : 0, &e);
	arena_release(&a);
	return n;
}

static void sql_ok(store *db, const char *sql, int64_t customer)
{
	kh_err e;
	arena a = ARENA_INIT;
	err_init(&e, &a, KH_LANG_EN);
	UNIT_OK(stmt_run(db, &e, sql, "i", customer), &e);
	arena_release(&a);
}

static void exec_ok(store *db, const char *sql)
{
	kh_err e;
	arena a = ARENA_INIT;
	err_init(&e, &a, KH_LANG_EN);
	UNIT_OK(db->ops->exec(db, sql, &e), &e);
	arena_release(&a);
}

static int64_t add_order(unit_ctx *c, int64_t cid, const char *date, int64_t amount,
                         const char *product)
{
	kh_record r;
	record_init(&r, &order_entity, &c->a);
	record_set_int(&r, ORF_CUSTOMER, cid);
	record_set_text(&r, ORF_DATE, date);
	record_set_int(&r, ORF_AMOUNT, amount);
	record_set_int(&r, ORF_COST, amount / 2);
	record_set_text(&r, ORF_PRODUCT, product);
	int64_t id = 0;
	UNIT_OK(svc_record_create(&c->s, &order_kind, &r, &id), &c->e);
	return id;
}

/* One row in each table without a service path of its own here (raw, as data). */
static void add_raw_records(store *db, int64_t cid)
{
	static const char *const sql[] = {
	        "INSERT INTO opportunities (version, created_at, updated_at, customer_id, code, "
	        "name, "
	        "stage) SELECT 1, '2024-05-10T08:00:00Z', '2024-05-10T08:00:00Z', ?, "
	        "'OPP-' || (SELECT COALESCE(MAX(id), 0) + 1 FROM opportunities), '扩容', 'initial'",
	        "INSERT INTO tickets (version, created_at, updated_at, customer_id, content, "
	        "status, "
	        "opened_at) VALUES (1, '2024-05-10T08:00:00Z', '2024-05-10T08:00:00Z', ?, '报修', "
	        "'open', '2024-05-10T08:00:00Z')",
	        "INSERT INTO pool_events (version, created_at, updated_at, customer_id, action) "
	        "VALUES (1, '2024-05-10T08:00:00Z', '2024-05-10T08:00:00Z', ?, 'claim')",
	        "INSERT INTO visit_plans (version, created_at, updated_at, customer_id, date) "
	        "VALUES "
	        "(1, '2024-05-10T08:00:00Z', '2024-05-10T08:00:00Z', ?, '2024-05-11')",
	        "INSERT INTO visits (version, created_at, updated_at, customer_id, date, summary) "
	        "VALUES (1, '2024-05-10T08:00:00Z', '2024-05-10T08:00:00Z', ?, '2024-05-12', "
	        "'拜访')",
	        "INSERT INTO requests (version, created_at, updated_at, customer_id, type, "
	        "applicant_id, status) SELECT 1, '2024-05-10T08:00:00Z', '2024-05-10T08:00:00Z', "
	        "?, "
	        "'gift', MIN(id), 'draft' FROM users",
	        "INSERT INTO evaluations (version, created_at, updated_at, customer_id, date, "
	        "total, "
	        "grade, recommendation) VALUES (1, '2024-05-10T08:00:00Z', '2024-05-10T08:00:00Z', "
	        "?, '2024-05-13', 80, 'B', 'maintain')",
	        "INSERT INTO countermeasures (version, created_at, updated_at, customer_id, kind, "
	        "date, problem, strategy) VALUES (1, '2024-05-10T08:00:00Z', "
	        "'2024-05-10T08:00:00Z', ?, 'important', '2024-05-14', '回款慢', '加强沟通')",
	};
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
		sql_ok(db, sql[i], cid);
}

/* The derived fields and sales sums of customer id, as text. */
static char *derived(store *db, int64_t id)
{
	kh_err e;
	arena a = ARENA_INIT;
	err_init(&e, &a, KH_LANG_EN);
	buf b;
	buf_init(&b, 0);
	store_stmt *st = stmt_prepare(
	        db,
	        "SELECT deal_count, deal_amount, COALESCE(first_deal_date, '-'), "
	        "COALESCE(last_deal_date, '-'), COALESCE(last_followup_date, '-'), stage FROM "
	        "customers WHERE id = ?",
	        &e);
	assert_non_null(st);
	stmt_bind_int(st, 1, id);
	assert_int_equal(stmt_step(st, &e), STMT_ROW);
	for (int i = 0; i < 6; i++)
		assert_int_equal(buf_addf(&b, "%s|", stmt_text(st, i)), 0);
	stmt_done(st);
	st = stmt_prepare(db,
	                  "SELECT product, month, orders, amount, cost FROM sales_cpm WHERE "
	                  "customer_id = ? ORDER BY product, month",
	                  &e);
	assert_non_null(st);
	stmt_bind_int(st, 1, id);
	while (stmt_step(st, &e) == STMT_ROW)
		for (int i = 0; i < 5; i++)
			assert_int_equal(buf_addf(&b, "%s,", stmt_text(st, i)), 0);
	stmt_done(st);
	arena_release(&a);
	return buf_detach(&b, NULL);
}

/* The stored derived data equals what a recomputation from the records gives. */
static void assert_derived_fresh(store *db, int64_t id)
{
	char *before = derived(db, id);
	kh_err e;
	arena a = ARENA_INIT;
	err_init(&e, &a, KH_LANG_EN);
	UNIT_OK(store_begin(db, &e), &e);
	UNIT_OK(store_customer_recompute(db, id, &e), &e);
	UNIT_OK(store_sales_rebuild(db, &e), &e);
	char *after = derived(db, id);
	store_rollback(db);
	if (strcmp(before, after) != 0)
		fail_msg("customer %lld: stored %s, recomputed %s", (long long)id, before, after);
	free(before);
	free(after);
	arena_release(&a);
}

static int64_t primary_of(store *db, int64_t customer)
{
	kh_err e;
	arena a = ARENA_INIT;
	err_init(&e, &a, KH_LANG_EN);
	primary_contact pc;
	UNIT_OK(store_primary_contacts(db, &customer, 1, &a, &pc, &e), &e);
	arena_release(&a);
	return pc.id;
}

static int64_t live_primaries(store *db, int64_t customer)
{
	kh_err e;
	arena a = ARENA_INIT;
	err_init(&e, &a, KH_LANG_EN);
	int64_t n = -1;
	UNIT_OK(stmt_query_int(db, &e, &n,
	                       "SELECT COUNT(*) FROM contacts WHERE customer_id = ? AND "
	                       "is_primary = 1 AND deleted_at IS NULL",
	                       "i", customer) < 0
	                ? -1
	                : 0,
	        &e);
	arena_release(&a);
	return n;
}

static int find_group(const dup_page *p, const char *by, int64_t member)
{
	for (int g = 0; g < p->n; g++) {
		if (strcmp(p->groups[g].by, by) != 0)
			continue;
		for (int i = 0; i < p->groups[g].n; i++)
			if (p->groups[g].customers[i].v[F_ID].i == member)
				return g;
	}
	return -1;
}

static bool group_has(const dup_group *g, int64_t id)
{
	for (int i = 0; i < g->n; i++)
		if (g->customers[i].v[F_ID].i == id)
			return true;
	return false;
}

static void test_find_groups_in_scope(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	int64_t a = unit_customer_new(&c, "北京星河科技有限公司", o->e1, "13911112222");
	int64_t b = unit_customer_new(&c, "北京星河科技 有限责任公司", o->e2, NULL);
	int64_t other = unit_customer_new(&c, "北京星河五金制品有限公司", o->e1, "139 1111 2222");
	int64_t hidden = unit_customer_new(&c, "北京星河科技股份有限公司", o->svc1, NULL);
	unit_ctx_close(&c);

	/* the manager sees the sales department: a and b, not the service one */
	unit_ctx_user(&c, o->db, o->mgr);
	kv by_name[] = {{"by", "name"}};
	dup_page p;
	UNIT_OK(svc_dup_find(&c.s, by_name, 1, &p), &c.e);
	int g = find_group(&p, "name", a);
	assert_true(g >= 0);
	assert_string_equal(p.groups[g].key, "北京星河科技");
	assert_int_equal(p.groups[g].n, 2);
	assert_true(group_has(&p.groups[g], b));
	assert_false(group_has(&p.groups[g], hidden));
	assert_int_equal(find_group(&p, "name", other), -1);

	/* the same phone typed two ways is one group, shown masked without unmask */
	kv by_phone[] = {{"by", "phone"}};
	UNIT_OK(svc_dup_find(&c.s, by_phone, 1, &p), &c.e);
	g = find_group(&p, "phone", a);
	assert_true(g >= 0);
	assert_true(group_has(&p.groups[g], other));
	assert_string_equal(p.groups[g].key,
	                    svc_can(&c.s, PERM_PII_UNMASK) ? "13911112222" : "139****2222");
	unit_ctx_close(&c);

	/* kehu itself sees the third spelling too */
	unit_ctx_system(&c, o->db);
	UNIT_OK(svc_dup_find(&c.s, by_name, 1, &p), &c.e);
	g = find_group(&p, "name", a);
	assert_int_equal(p.groups[g].n, 3);
	/* paging: one group a page, every group once, then the end */
	int seen = 0;
	const char *after = NULL;
	for (int page = 0; page < 50; page++) {
		kv params[] = {{"by", "any"}, {"limit", "1"}, {"after", after}};
		UNIT_OK(svc_dup_find(&c.s, params, after ? 3 : 2, &p), &c.e);
		assert_true(p.n <= 1);
		seen += p.n;
		if (!p.next)
			break;
		after = p.next;
	}
	assert_true(seen >= 2); /* the name group and the phone group */
	/* a phone shared with a deleted customer is no group; the page reads on past it */
	int64_t gone = unit_customer_new(&c, "旧客户甲", o->e1, "13000000001");
	unit_customer_new(&c, "旧客户乙", o->e1, "13000000001");
	int64_t p1 = unit_customer_new(&c, "新客户甲", o->e1, "13000000002");
	int64_t p2 = unit_customer_new(&c, "新客户乙", o->e2, "13000000002");
	UNIT_OK(svc_customer_delete(&c.s, gone, unit_customer_version(o->db, gone)), &c.e);
	kv first_phone[] = {{"by", "phone"}, {"limit", "1"}};
	UNIT_OK(svc_dup_find(&c.s, first_phone, 2, &p), &c.e);
	assert_int_equal(p.n, 1);
	assert_true(group_has(&p.groups[0], p1) && group_has(&p.groups[0], p2));
	assert_string_equal(p.groups[0].key, "13000000002");
	/* customers from before name keys (migration 9) get theirs at the next migrate */
	sql_ok(o->db, "UPDATE customers SET name_key = NULL WHERE id >= ?", a);
	int applied;
	UNIT_OK(svc_migrate(&c.s, &applied), &c.e);
	UNIT_OK(svc_dup_find(&c.s, by_name, 1, &p), &c.e);
	g = find_group(&p, "name", a);
	assert_true(g >= 0);
	assert_int_equal(p.groups[g].n, 3);
	/* live credit codes are unique: nothing to group by them */
	kv by_code[] = {{"by", "credit_code"}};
	UNIT_OK(svc_dup_find(&c.s, by_code, 1, &p), &c.e);
	assert_int_equal(p.n, 0);
	kv bad[] = {{"by", "colour"}};
	assert_int_equal(svc_dup_find(&c.s, bad, 1, &p), -1);
	assert_true(unit_has_field_error(&c.e, "by"));
	unit_ctx_close(&c);
}

typedef struct world {
	int64_t into, from, from2;
	int64_t counts[3][NTABLES];
	int64_t from_primary, into_primary, late_followup;
	char *into_derived;
} world;

static void make_world(unit_org *o, world *w, const char *name)
{
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	memset(w, 0, sizeof(*w));
	w->into = unit_customer_new(&c, name, o->e1, "13800000001");
	w->from = unit_customer_new(&c, name, o->e1, "13800000002");
	w->from2 = unit_customer_new(&c, name, o->e2, NULL);
	kh_record k;
	unit_contact_record(&k, &c.a, "李雷", "13800000003");
	int64_t kid;
	UNIT_OK(svc_contact_create(&c.s, w->from, &k, &kid), &c.e);
	unit_followup_new(&c, w->into, "2024-03-01", "报价");
	unit_followup_new(&c, w->from, "2024-04-01", "签约");
	add_order(&c, w->into, "2024-03-05", 100000, "training");
	add_order(&c, w->from, "2024-03-20", 250000, "training");
	add_order(&c, w->from2, "2024-02-02", 70000, "consulting");
	add_raw_records(o->db, w->from);
	add_raw_records(o->db, w->from2);
	unit_ctx_close(&c);
	int64_t ids[3] = {w->into, w->from, w->from2};
	for (int i = 0; i < 3; i++)
		for (int t = 0; t < NTABLES; t++)
			w->counts[i][t] = count_rows(o->db, store_customer_tables[t], ids[i]);
	w->from_primary = primary_of(o->db, w->from);
	w->into_primary = primary_of(o->db, w->into);
	w->into_derived = derived(o->db, w->into);
}

static void test_merge_moves_everything_and_undo(void **state)
{
	unit_org *o = *state;
	world w;
	make_world(o, &w, "上海云帆贸易有限公司");
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	int64_t from[] = {w.from, w.from2};
	merge_pick picks[] = {{"owner", w.from2}};
	merge_request m = {.into = w.into, .from = from, .nfrom = 2, .picks = picks, .npicks = 1};
	int64_t mid = 0;
	UNIT_OK(svc_merge(&c.s, &m, &mid), &c.e);
	assert_true(mid > 0);

	for (int t = 0; t < NTABLES; t++) {
		const char *table = store_customer_tables[t];
		assert_int_equal(count_rows(o->db, table, w.from), 0);
		assert_int_equal(count_rows(o->db, table, w.from2), 0);
		assert_int_equal(count_rows(o->db, table, w.into),
		                 w.counts[0][t] + w.counts[1][t] + w.counts[2][t]);
	}
	assert_int_equal(live_primaries(o->db, w.into), 1);
	assert_int_equal(primary_of(o->db, w.into), w.into_primary);
	kh_record cu;
	UNIT_OK(svc_customer_get(&c.s, w.into, false, &cu, NULL, NULL), &c.e);
	assert_int_equal(record_int(&cu, CF_OWNER, 0), o->e2);
	assert_int_equal(record_int(&cu, CF_DEAL_COUNT, 0), 3);
	assert_int_equal(record_int(&cu, CF_DEAL_AMOUNT, 0), 420000);
	assert_string_equal(record_text(&cu, CF_NEXT_STEP), "签约");
	UNIT_OK(svc_customer_get(&c.s, w.from, true, &cu, NULL, NULL), &c.e);
	assert_true(record_is_set(&cu, F_DELETED_AT));
	assert_int_equal(record_int(&cu, CF_MERGED_INTO, 0), w.into);
	assert_derived_fresh(o->db, w.into);
	assert_derived_fresh(o->db, w.from);

	/* a merged customer comes back by an undo, not by a restore */
	assert_int_equal(svc_customer_restore(&c.s, w.from, record_int(&cu, F_VERSION, 0)), -1);
	assert_int_equal(c.e.code, KH_ESTATE);
	err_clear(&c.e);

	/* after the merge: a moved follow-up is edited, one is added to the kept customer */
	kh_record fl;
	kv params[] = {{"limit", "100"}};
	list_page lp;
	UNIT_OK(svc_record_list(&c.s, &followup_kind, w.into, params, 1, &lp), &c.e);
	int64_t moved_fu = 0, moved_ver = 0;
	for (int i = 0; i < lp.n; i++)
		if (!strcmp(record_text(&lp.rows[i], UPF_DATE), "2024-04-01")) {
			moved_fu = lp.rows[i].v[F_ID].i;
			moved_ver = lp.rows[i].v[F_VERSION].i;
		}
	assert_true(moved_fu > 0);
	record_init(&fl, &followup_entity, &c.a);
	record_set_text(&fl, UPF_CONTENT, "合并后补记");
	UNIT_OK(svc_record_update(&c.s, &followup_kind, moved_fu, moved_ver, &fl), &c.e);
	int64_t late = unit_followup_new(&c, w.into, "2024-06-01", NULL);

	/* the merge is listed, then undone */
	merge_row *rows;
	int n;
	const char *next;
	UNIT_OK(svc_merge_list(&c.s, NULL, 0, &rows, &n, &next), &c.e);
	assert_true(n >= 1);
	assert_int_equal(rows[0].id, mid);
	UNIT_OK(svc_merge_undo(&c.s, mid), &c.e);
	for (int t = 0; t < NTABLES; t++) {
		const char *table = store_customer_tables[t];
		int64_t added = !strcmp(table, "followups"); /* the one added after the merge */
		assert_int_equal(count_rows(o->db, table, w.into), w.counts[0][t] + added);
		assert_int_equal(count_rows(o->db, table, w.from), w.counts[1][t]);
		assert_int_equal(count_rows(o->db, table, w.from2), w.counts[2][t]);
	}
	assert_int_equal(primary_of(o->db, w.from), w.from_primary);
	assert_int_equal(primary_of(o->db, w.into), w.into_primary);
	UNIT_OK(svc_record_get(&c.s, &followup_kind, moved_fu, &fl), &c.e);
	assert_int_equal(record_int(&fl, UPF_CUSTOMER, 0), w.from);
	assert_string_equal(record_text(&fl, UPF_CONTENT), "合并后补记");
	UNIT_OK(svc_record_get(&c.s, &followup_kind, late, &fl), &c.e);
	assert_int_equal(record_int(&fl, UPF_CUSTOMER, 0), w.into);
	UNIT_OK(svc_customer_get(&c.s, w.into, false, &cu, NULL, NULL), &c.e);
	assert_int_equal(record_int(&cu, CF_OWNER, 0), o->e1);
	assert_int_equal(record_int(&cu, CF_DEAL_COUNT, 0), 1);
	UNIT_OK(svc_customer_get(&c.s, w.from, false, &cu, NULL, NULL), &c.e);
	assert_false(record_is_set(&cu, CF_MERGED_INTO));
	for (int i = 0; i < 3; i++)
		assert_derived_fresh(o->db, i == 0 ? w.into : i == 1 ? w.from : w.from2);
	/* undone once only */
	assert_int_equal(svc_merge_undo(&c.s, mid), -1);
	assert_int_equal(c.e.code, KH_ESTATE);
	free(w.into_derived);
	unit_ctx_close(&c);
}

static void test_refusals_leave_nothing_moved(void **state)
{
	unit_org *o = *state;
	world w;
	make_world(o, &w, "广州明珠电子有限公司");
	unit_ctx c;
	int64_t mid;

	/* outside the scope: the service department's customer is not found */
	unit_ctx_system(&c, o->db);
	int64_t hidden = unit_customer_new(&c, "广州明珠电子有限公司", o->svc1, NULL);
	unit_ctx_close(&c);
	unit_ctx_user(&c, o->db, o->mgr);
	int64_t from[] = {w.from, w.from2};
	merge_request m = {.into = w.into, .from = &hidden, .nfrom = 1};
	assert_int_equal(svc_merge(&c.s, &m, &mid), -1);
	assert_int_equal(c.e.code, KH_ENOTFOUND);
	err_clear(&c.e);

	/* stale: into's version is checked after every row has moved; all rolls back */
	int64_t versions[] = {unit_customer_version(o->db, w.into) + 5,
	                      unit_customer_version(o->db, w.from)};
	m = (merge_request){.into = w.into, .from = &w.from, .nfrom = 1, .versions = versions};
	assert_int_equal(svc_merge(&c.s, &m, &mid), -1);
	assert_int_equal(c.e.code, KH_ECONFLICT);
	err_clear(&c.e);
	/* a failure injected into the last table moved: the moves before it roll back */
	bool pg = !strcmp(store_engine(o->db), "postgresql");
	exec_ok(o->db, pg ? "CREATE FUNCTION kehu_fail() RETURNS trigger AS $$ BEGIN RAISE "
	                    "EXCEPTION 'injected'; END $$ LANGUAGE plpgsql;"
	                    "CREATE TRIGGER fail_move BEFORE UPDATE OF customer_id ON "
	                    "countermeasures FOR EACH ROW EXECUTE FUNCTION kehu_fail()"
	                  : "CREATE TRIGGER fail_move BEFORE UPDATE OF customer_id ON "
	                    "countermeasures BEGIN SELECT RAISE(ABORT, 'injected'); END");
	m = (merge_request){.into = w.into, .from = from, .nfrom = 2};
	assert_int_equal(svc_merge(&c.s, &m, &mid), -1);
	err_clear(&c.e);
	exec_ok(o->db, pg ? "DROP TRIGGER fail_move ON countermeasures; DROP FUNCTION kehu_fail()"
	                  : "DROP TRIGGER fail_move");
	kh_record patch;
	int64_t ids[3] = {w.into, w.from, w.from2};
	for (int i = 0; i < 3; i++)
		for (int t = 0; t < NTABLES; t++)
			assert_int_equal(count_rows(o->db, store_customer_tables[t], ids[i]),
			                 w.counts[i][t]);
	kh_record cu;
	UNIT_OK(svc_customer_get(&c.s, w.from, false, &cu, NULL, NULL), &c.e);
	char *now = derived(o->db, w.into);
	assert_string_equal(now, w.into_derived);
	free(now);

	/* bad requests name the field */
	m = (merge_request){.into = w.into, .from = &w.into, .nfrom = 1};
	assert_int_equal(svc_merge(&c.s, &m, &mid), -1);
	assert_true(unit_has_field_error(&c.e, "from[0]"));
	err_clear(&c.e);
	merge_pick bad[] = {{"code", w.from}, {"deal_count", w.from}, {"name", 999999}};
	m = (merge_request){.into = w.into, .from = &w.from, .nfrom = 1, .picks = bad, .npicks = 3};
	assert_int_equal(svc_merge(&c.s, &m, &mid), -1);
	assert_true(unit_has_field_error(&c.e, "fields.code"));
	assert_true(unit_has_field_error(&c.e, "fields.deal_count"));
	assert_true(unit_has_field_error(&c.e, "fields.name"));
	err_clear(&c.e);
	unit_ctx_close(&c);

	/* a salesperson may not delete, so may not merge */
	unit_ctx_user(&c, o->db, o->e1);
	m = (merge_request){.into = w.into, .from = &w.from, .nfrom = 1};
	assert_int_equal(svc_merge(&c.s, &m, &mid), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	unit_ctx_close(&c);

	/* an undo is refused while a picked field was edited since, then allowed */
	unit_ctx_user(&c, o->db, o->mgr);
	merge_pick pick[] = {{"remarks", w.from}};
	sql_ok(o->db, "UPDATE customers SET remarks = '来自合并' WHERE id = ?", w.from);
	m = (merge_request){
	        .into = w.into, .from = &w.from, .nfrom = 1, .picks = pick, .npicks = 1};
	UNIT_OK(svc_merge(&c.s, &m, &mid), &c.e);
	record_init(&patch, &customer_entity, &c.a);
	record_set_text(&patch, CF_REMARKS, "改过");
	UNIT_OK(svc_customer_update(&c.s, w.into, unit_customer_version(o->db, w.into), &patch),
	        &c.e);
	assert_int_equal(svc_merge_undo(&c.s, mid), -1);
	assert_int_equal(c.e.code, KH_ESTATE);
	err_clear(&c.e);
	record_init(&patch, &customer_entity, &c.a);
	record_set_text(&patch, CF_REMARKS, "来自合并");
	UNIT_OK(svc_customer_update(&c.s, w.into, unit_customer_version(o->db, w.into), &patch),
	        &c.e);
	UNIT_OK(svc_merge_undo(&c.s, mid), &c.e);
	UNIT_OK(svc_customer_get(&c.s, w.into, false, &cu, NULL, NULL), &c.e);
	assert_null(record_text(&cu, CF_REMARKS));
	free(w.into_derived);
	unit_ctx_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_find_groups_in_scope),
	        cmocka_unit_test(test_merge_moves_everything_and_undo),
	        cmocka_unit_test(test_refusals_leave_nothing_moved),
	};
	return cmocka_run_group_tests(tests, unit_org_setup, unit_org_teardown);
}
