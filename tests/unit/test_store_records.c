/*
 * test_store_records — the generic record store on SQLite: insert and get,
 * update with the optimistic version check (stale -> KH_ECONFLICT, gone ->
 * KH_ENOTFOUND), soft delete and restore, unique values (KH_EDUP naming
 * the column), lists with filters, views and scopes, and keyset paging:
 * every sortable column, both directions, several page sizes, NULLs
 * present, walked page by page with no row missing or repeated and the
 * order the spec gives (NULLs first ascending, last descending).
 */
#define UNIT_WITH_STORE
#include "unit.h"

#include "core/org.h"

static void insert_then_get_returns_what_was_stored(void **state)
{
	unit_db *u = *state;
	kh_record r;
	unit_store_customer(u, &r, "XS2024001", "深圳市腾云科技有限公司");
	record_set_int(&r, CF_CONTRACT_AMOUNT, 1234560);
	record_set_text(&r, CF_FIRST_CONTACT_DATE, "2024-05-10");
	record_set_text(&r, CF_TAGS, "[\"重点合作\"]");
	record_set_null(&r, CF_CITY);
	int64_t id = unit_store_insert(u, &r);

	kh_record g;
	UNIT_OK(store_record_get(u->db, &customer_entity, id, false, &u->a, &g, &u->e), &u->e);
	assert_int_equal(g.v[F_ID].i, id);
	assert_int_equal(g.v[F_VERSION].i, 1);
	assert_string_equal(record_text(&g, CF_CODE), "XS2024001");
	assert_string_equal(record_text(&g, CF_NAME), "深圳市腾云科技有限公司");
	assert_int_equal(record_int(&g, CF_CONTRACT_AMOUNT, 0), 1234560);
	assert_string_equal(record_text(&g, CF_FIRST_CONTACT_DATE), "2024-05-10");
	assert_string_equal(record_text(&g, CF_TAGS), "[\"重点合作\"]");
	assert_int_equal(g.v[CF_CITY].state, V_NULL);
	assert_int_equal(g.v[F_DELETED_AT].state, V_NULL);
	/* every field is loaded: none absent */
	for (int i = 0; i < customer_entity.nfields; i++)
		assert_int_not_equal(g.v[i].state, V_ABSENT);

	kh_record second;
	unit_store_customer(u, &second, "XS2024002", "北京华信");
	assert_true(unit_store_insert(u, &second) > id);
}

static void get_of_a_missing_record_is_not_found(void **state)
{
	unit_db *u = *state;
	kh_record g;
	err_clear(&u->e);
	assert_int_equal(store_record_get(u->db, &customer_entity, 4242, false, &u->a, &g, &u->e),
	                 -1);
	assert_int_equal(u->e.code, KH_ENOTFOUND);
	assert_non_null(strstr(err_message(&u->e), "4242"));
}

static void update_with_the_current_version_bumps_it(void **state)
{
	unit_db *u = *state;
	kh_record r;
	unit_store_customer(u, &r, "XS2024001", "旧名称");
	record_set_text(&r, CF_CITY, "深圳");
	int64_t id = unit_store_insert(u, &r);

	kh_record ch;
	record_init(&ch, &customer_entity, &u->a);
	record_set_text(&ch, CF_NAME, "新名称");
	record_set_null(&ch, CF_CITY);
	UNIT_OK(store_record_update(u->db, &ch, id, 1, "2024-06-01T09:00:00Z", &u->e), &u->e);

	kh_record g;
	UNIT_OK(store_record_get(u->db, &customer_entity, id, false, &u->a, &g, &u->e), &u->e);
	assert_int_equal(g.v[F_VERSION].i, 2);
	assert_string_equal(record_text(&g, CF_NAME), "新名称");
	assert_int_equal(g.v[CF_CITY].state, V_NULL);
	assert_string_equal(record_text(&g, F_UPDATED_AT), "2024-06-01T09:00:00Z");
	assert_string_equal(record_text(&g, F_CREATED_AT), "2024-05-10T08:00:00Z");
	assert_string_equal(record_text(&g, CF_CODE), "XS2024001"); /* untouched */
}

static void update_with_a_stale_version_is_a_conflict_and_changes_nothing(void **state)
{
	unit_db *u = *state;
	kh_record r;
	unit_store_customer(u, &r, "XS2024001", "原名");
	int64_t id = unit_store_insert(u, &r);
	kh_record ch;
	record_init(&ch, &customer_entity, &u->a);
	record_set_text(&ch, CF_NAME, "第一次修改");
	UNIT_OK(store_record_update(u->db, &ch, id, 1, "2024-06-01T09:00:00Z", &u->e), &u->e);

	/* a second editor still holds version 1 */
	record_init(&ch, &customer_entity, &u->a);
	record_set_text(&ch, CF_NAME, "第二次修改");
	err_clear(&u->e);
	assert_int_equal(store_record_update(u->db, &ch, id, 1, "2024-06-01T09:01:00Z", &u->e), -1);
	assert_int_equal(u->e.code, KH_ECONFLICT);
	kh_record g;
	UNIT_OK(store_record_get(u->db, &customer_entity, id, false, &u->a, &g, &u->e), &u->e);
	assert_string_equal(record_text(&g, CF_NAME), "第一次修改");
	assert_int_equal(g.v[F_VERSION].i, 2);
	/* a version from the future is stale too */
	err_clear(&u->e);
	assert_int_equal(store_record_update(u->db, &ch, id, 7, "2024-06-01T09:01:00Z", &u->e), -1);
	assert_int_equal(u->e.code, KH_ECONFLICT);
}

static void update_of_a_missing_or_deleted_record_is_not_found(void **state)
{
	unit_db *u = *state;
	kh_record ch;
	record_init(&ch, &customer_entity, &u->a);
	record_set_text(&ch, CF_NAME, "x");
	err_clear(&u->e);
	assert_int_equal(store_record_update(u->db, &ch, 9999, 1, "2024-06-01T09:00:00Z", &u->e),
	                 -1);
	assert_int_equal(u->e.code, KH_ENOTFOUND);

	kh_record r;
	unit_store_customer(u, &r, "XS2024001", "将删除");
	int64_t id = unit_store_insert(u, &r);
	UNIT_OK(store_record_mark_deleted(u->db, &customer_entity, id, 1, true,
	                                  "2024-06-01T09:00:00Z", &u->e),
	        &u->e);
	err_clear(&u->e);
	assert_int_equal(store_record_update(u->db, &ch, id, 2, "2024-06-01T09:00:00Z", &u->e), -1);
	assert_int_equal(u->e.code, KH_ENOTFOUND);
}

static void delete_hides_and_restore_brings_back(void **state)
{
	unit_db *u = *state;
	kh_record r;
	unit_store_customer(u, &r, "XS2024001", "回收站客户");
	int64_t id = unit_store_insert(u, &r);

	/* stale version: nothing happens */
	err_clear(&u->e);
	assert_int_equal(store_record_mark_deleted(u->db, &customer_entity, id, 5, true,
	                                           "2024-06-01T09:00:00Z", &u->e),
	                 -1);
	assert_int_equal(u->e.code, KH_ECONFLICT);

	UNIT_OK(store_record_mark_deleted(u->db, &customer_entity, id, 1, true,
	                                  "2024-06-01T09:00:00Z", &u->e),
	        &u->e);
	kh_record g;
	err_clear(&u->e);
	assert_int_equal(store_record_get(u->db, &customer_entity, id, false, &u->a, &g, &u->e),
	                 -1);
	assert_int_equal(u->e.code, KH_ENOTFOUND);
	UNIT_OK(store_record_get(u->db, &customer_entity, id, true, &u->a, &g, &u->e), &u->e);
	assert_string_equal(record_text(&g, F_DELETED_AT), "2024-06-01T09:00:00Z");
	assert_int_equal(g.v[F_VERSION].i, 2);

	/* deleting again: it is not there to delete */
	err_clear(&u->e);
	assert_int_equal(store_record_mark_deleted(u->db, &customer_entity, id, 2, true,
	                                           "2024-06-01T09:00:00Z", &u->e),
	                 -1);
	assert_int_equal(u->e.code, KH_ENOTFOUND);

	UNIT_OK(store_record_mark_deleted(u->db, &customer_entity, id, 2, false,
	                                  "2024-06-02T09:00:00Z", &u->e),
	        &u->e);
	UNIT_OK(store_record_get(u->db, &customer_entity, id, false, &u->a, &g, &u->e), &u->e);
	assert_int_equal(g.v[F_DELETED_AT].state, V_NULL);
	assert_int_equal(g.v[F_VERSION].i, 3);
	assert_string_equal(record_text(&g, F_UPDATED_AT), "2024-06-02T09:00:00Z");

	/* restoring a live record: not found in the recycle bin */
	err_clear(&u->e);
	assert_int_equal(store_record_mark_deleted(u->db, &customer_entity, id, 3, false,
	                                           "2024-06-02T09:00:00Z", &u->e),
	                 -1);
	assert_int_equal(u->e.code, KH_ENOTFOUND);
}

static void a_taken_unique_value_is_a_duplicate_naming_the_column(void **state)
{
	unit_db *u = *state;
	kh_record a, b;
	unit_store_customer(u, &a, "XS2024001", "甲");
	unit_store_insert(u, &a);
	unit_store_customer(u, &b, "XS2024001", "乙");
	err_clear(&u->e);
	assert_int_equal(store_record_insert(u->db, &b, &u->e), -1);
	assert_int_equal(u->e.code, KH_EDUP);
	assert_true(unit_has_field_error(&u->e, "code"));

	/* credit codes are unique among live customers only */
	kh_record c, d;
	unit_store_customer(u, &c, "XS2024002", "丙");
	record_set_text(&c, CF_CREDIT_CODE, "91350100M000100Y43");
	int64_t cid = unit_store_insert(u, &c);
	unit_store_customer(u, &d, "XS2024003", "丁");
	record_set_text(&d, CF_CREDIT_CODE, "91350100M000100Y43");
	err_clear(&u->e);
	assert_int_equal(store_record_insert(u->db, &d, &u->e), -1);
	assert_int_equal(u->e.code, KH_EDUP);
	assert_true(unit_has_field_error(&u->e, "credit_code"));

	UNIT_OK(store_record_mark_deleted(u->db, &customer_entity, cid, 1, true,
	                                  "2024-06-01T09:00:00Z", &u->e),
	        &u->e);
	unit_store_customer(u, &d, "XS2024003", "丁");
	record_set_text(&d, CF_CREDIT_CODE, "91350100M000100Y43");
	unit_store_insert(u, &d);
	/* and then the deleted one cannot come back while the new one lives */
	err_clear(&u->e);
	assert_int_equal(store_record_mark_deleted(u->db, &customer_entity, cid, 2, false,
	                                           "2024-06-02T09:00:00Z", &u->e),
	                 -1);
	assert_int_equal(u->e.code, KH_EDUP);
}

static void value_taken_and_reference_counts(void **state)
{
	unit_db *u = *state;
	kh_record a;
	unit_store_customer(u, &a, "XS2024001", "甲");
	int64_t id = unit_store_insert(u, &a);
	bool taken = false;
	UNIT_OK(store_code_taken(u->db, "XS2024001", &taken, &u->e), &u->e);
	assert_true(taken);
	UNIT_OK(store_code_taken(u->db, "XS2024002", &taken, &u->e), &u->e);
	assert_false(taken);

	kh_record k;
	for (int i = 0; i < 3; i++) {
		record_init(&k, &contact_entity, &u->a);
		record_set_text(&k, F_CREATED_AT, "2024-05-10T08:00:00Z");
		record_set_text(&k, F_UPDATED_AT, "2024-05-10T08:00:00Z");
		record_set_int(&k, F_VERSION, 1);
		record_set_int(&k, KF_CUSTOMER, id);
		record_set_text(&k, KF_NAME, "联系人");
		record_set_text(&k, KF_PHONE, "13812345678");
		unit_store_insert(u, &k);
	}
	int64_t count = -1;
	UNIT_OK(store_count_refs(u->db, &contact_entity, KF_CUSTOMER, id, &count, &u->e), &u->e);
	assert_int_equal(count, 3);
	UNIT_OK(store_record_mark_deleted(u->db, &contact_entity, k.v[F_ID].i, 1, true,
	                                  "2024-06-01T09:00:00Z", &u->e),
	        &u->e);
	UNIT_OK(store_count_refs(u->db, &contact_entity, KF_CUSTOMER, id, &count, &u->e), &u->e);
	assert_int_equal(count, 2);
}

static void all_returns_live_records_by_id(void **state)
{
	unit_db *u = *state;
	int64_t ids[5];
	for (int i = 0; i < 5; i++) {
		kh_record r;
		unit_store_customer(u, &r, arena_printf(&u->a, "C%d", i), "x");
		ids[i] = unit_store_insert(u, &r);
	}
	UNIT_OK(store_record_mark_deleted(u->db, &customer_entity, ids[2], 1, true,
	                                  "2024-06-01T09:00:00Z", &u->e),
	        &u->e);
	kh_record *rows;
	int n;
	UNIT_OK(store_record_all(u->db, &customer_entity, &u->a, &rows, &n, &u->e), &u->e);
	assert_int_equal(n, 4);
	assert_int_equal(rows[0].v[F_ID].i, ids[0]);
	assert_int_equal(rows[1].v[F_ID].i, ids[1]);
	assert_int_equal(rows[2].v[F_ID].i, ids[3]);
	assert_int_equal(rows[3].v[F_ID].i, ids[4]);
}

/* ---- lists ---- */

static kh_query base_query(void)
{
	kh_query q;
	memset(&q, 0, sizeof(q));
	q.ent = &customer_entity;
	q.sort_field = F_ID;
	q.sort_desc = false;
	q.limit = 100;
	q.view = VIEW_ACTIVE;
	q.scope.kind = SCOPE_MATCH_ALL;
	return q;
}

/* The ids of a one-page list, in order. */
static int list_ids(unit_db *u, const kh_query *q, int64_t *out, int max)
{
	kh_record *rows;
	int n;
	bool more = true;
	UNIT_OK(store_record_list(u->db, q, NULL, &u->a, &rows, &n, &more, &u->e), &u->e);
	assert_false(more);
	assert_true(n <= max);
	for (int i = 0; i < n; i++)
		out[i] = rows[i].v[F_ID].i;
	return n;
}

static kh_value *vals(unit_db *u, int n)
{
	return arena_calloc(&u->a, (size_t)n, sizeof(kh_value));
}

static void list_filters_narrow_the_rows(void **state)
{
	unit_db *u = *state;
	int64_t id[6];
	const char *status[] = {"potential", "active", "active", "paused", "lost", "active"};
	int64_t amount[] = {100, 5000, 20000, -1, 7000, 5000};
	const char *city[] = {"深圳", NULL, "北京", "深圳", NULL, "上海"};
	for (int i = 0; i < 6; i++) {
		kh_record r;
		unit_store_customer(u, &r, arena_printf(&u->a, "F%d", i), "筛选");
		record_set_text(&r, CF_STATUS, status[i]);
		if (amount[i] >= 0)
			record_set_int(&r, CF_CONTRACT_AMOUNT, amount[i]);
		if (city[i])
			record_set_text(&r, CF_CITY, city[i]);
		id[i] = unit_store_insert(u, &r);
	}
	int64_t got[10];

	kh_query q = base_query();
	q.nfilters = 1;
	q.filters[0] = (kh_filter){.field = CF_STATUS, .op = OP_IN, .nvals = 2, .vals = vals(u, 2)};
	q.filters[0].vals[0] = (kh_value){.state = V_SET, .s = "active"};
	q.filters[0].vals[1] = (kh_value){.state = V_SET, .s = "paused"};
	assert_int_equal(list_ids(u, &q, got, 10), 4);
	assert_int_equal(got[0], id[1]);
	assert_int_equal(got[1], id[2]);
	assert_int_equal(got[2], id[3]);
	assert_int_equal(got[3], id[5]);

	/* a range on money, combined with the status filter */
	q.nfilters = 2;
	q.filters[1] = (kh_filter){
	        .field = CF_CONTRACT_AMOUNT, .op = OP_GE, .nvals = 1, .vals = vals(u, 1)};
	q.filters[1].vals[0] = (kh_value){.state = V_SET, .i = 5000};
	assert_int_equal(list_ids(u, &q, got, 10), 3);
	assert_int_equal(got[0], id[1]);
	assert_int_equal(got[1], id[2]);
	assert_int_equal(got[2], id[5]);
	q.filters[1].op = OP_LE;
	assert_int_equal(list_ids(u, &q, got, 10), 2); /* id1, id5 (null amount never matches) */
	assert_int_equal(got[0], id[1]);
	assert_int_equal(got[1], id[5]);

	q = base_query();
	q.nfilters = 1;
	q.filters[0] = (kh_filter){.field = CF_CITY, .op = OP_NULL};
	assert_int_equal(list_ids(u, &q, got, 10), 2);
	assert_int_equal(got[0], id[1]);
	assert_int_equal(got[1], id[4]);
	q.filters[0].op = OP_NOT_NULL;
	assert_int_equal(list_ids(u, &q, got, 10), 4);
}

static void list_views_separate_active_archived_pool_and_deleted(void **state)
{
	unit_db *u = *state;
	int64_t id[4];
	for (int i = 0; i < 4; i++) {
		kh_record r;
		unit_store_customer(u, &r, arena_printf(&u->a, "V%d", i), "视图");
		if (i == 1)
			record_set_int(&r, CF_ARCHIVED, 1);
		if (i == 2)
			record_set_int(&r, CF_IN_POOL, 1);
		id[i] = unit_store_insert(u, &r);
	}
	kh_record r;
	unit_store_customer(u, &r, "V4", "视图");
	int64_t gone = unit_store_insert(u, &r);
	UNIT_OK(store_record_mark_deleted(u->db, &customer_entity, gone, 1, true,
	                                  "2024-06-01T09:00:00Z", &u->e),
	        &u->e);
	int64_t got[10];
	kh_query q = base_query();
	q.view = VIEW_ACTIVE;
	assert_int_equal(list_ids(u, &q, got, 10), 2);
	assert_int_equal(got[0], id[0]);
	assert_int_equal(got[1], id[3]);
	q.view = VIEW_ARCHIVED;
	assert_int_equal(list_ids(u, &q, got, 10), 1);
	assert_int_equal(got[0], id[1]);
	q.view = VIEW_POOL;
	assert_int_equal(list_ids(u, &q, got, 10), 1);
	assert_int_equal(got[0], id[2]);
	q.view = VIEW_DELETED;
	assert_int_equal(list_ids(u, &q, got, 10), 1);
	assert_int_equal(got[0], gone);
	q.view = VIEW_ALL_LIVE;
	assert_int_equal(list_ids(u, &q, got, 10), 4);
}

static int64_t insert_user(unit_db *u, const char *name, int64_t dept)
{
	kh_record r;
	record_init(&r, &user_entity, &u->a);
	record_set_text(&r, F_CREATED_AT, "2024-05-10T08:00:00Z");
	record_set_text(&r, F_UPDATED_AT, "2024-05-10T08:00:00Z");
	record_set_int(&r, F_VERSION, 1);
	record_set_text(&r, UF_USERNAME, name);
	record_set_text(&r, UF_DISPLAY_NAME, name);
	record_set_text(&r, UF_ROLE, "sales");
	if (dept)
		record_set_int(&r, UF_DEPARTMENT, dept);
	return unit_store_insert(u, &r);
}

static int64_t insert_dept(unit_db *u, const char *name)
{
	kh_record r;
	record_init(&r, &department_entity, &u->a);
	record_set_text(&r, F_CREATED_AT, "2024-05-10T08:00:00Z");
	record_set_text(&r, F_UPDATED_AT, "2024-05-10T08:00:00Z");
	record_set_int(&r, F_VERSION, 1);
	record_set_text(&r, DF_NAME, name);
	return unit_store_insert(u, &r);
}

static int64_t insert_contact(unit_db *u, int64_t customer, const char *name, bool primary)
{
	kh_record k;
	record_init(&k, &contact_entity, &u->a);
	record_set_text(&k, F_CREATED_AT, "2024-05-10T08:00:00Z");
	record_set_text(&k, F_UPDATED_AT, "2024-05-10T08:00:00Z");
	record_set_int(&k, F_VERSION, 1);
	record_set_int(&k, KF_CUSTOMER, customer);
	record_set_text(&k, KF_NAME, name);
	record_set_text(&k, KF_PHONE, "13812345678");
	record_set_int(&k, KF_PRIMARY, primary);
	return unit_store_insert(u, &k);
}

static void list_scopes_limit_rows_by_owner_or_department(void **state)
{
	unit_db *u = *state;
	int64_t d1 = insert_dept(u, "一部"), d2 = insert_dept(u, "二部");
	int64_t u1 = insert_user(u, "u1", d1), u2 = insert_user(u, "u2", d1),
	        u3 = insert_user(u, "u3", d2);
	int64_t owner[] = {u1, u2, u3, u1};
	int64_t dept[] = {d1, d1, d2, d1};
	int64_t id[4];
	for (int i = 0; i < 4; i++) {
		kh_record r;
		unit_store_customer(u, &r, arena_printf(&u->a, "S%d", i), "范围");
		record_set_int(&r, CF_OWNER, owner[i]);
		record_set_int(&r, CF_DEPARTMENT, dept[i]);
		id[i] = unit_store_insert(u, &r);
	}
	kh_record r;
	unit_store_customer(u, &r, "S9", "无负责人");
	int64_t pool = unit_store_insert(u, &r);
	int64_t got[10];

	kh_query q = base_query();
	int64_t owners[] = {u1};
	q.scope = (kh_scope_filter){SCOPE_MATCH_OWNERS, 1, owners};
	assert_int_equal(list_ids(u, &q, got, 10), 2);
	assert_int_equal(got[0], id[0]);
	assert_int_equal(got[1], id[3]);

	int64_t two[] = {u2, u3};
	q.scope = (kh_scope_filter){SCOPE_MATCH_OWNERS, 2, two};
	assert_int_equal(list_ids(u, &q, got, 10), 2);
	assert_int_equal(got[0], id[1]);
	assert_int_equal(got[1], id[2]);

	int64_t depts[] = {d2};
	q.scope = (kh_scope_filter){SCOPE_MATCH_DEPTS, 1, depts};
	assert_int_equal(list_ids(u, &q, got, 10), 1);
	assert_int_equal(got[0], id[2]);

	q.scope = (kh_scope_filter){SCOPE_MATCH_NONE, 0, NULL};
	assert_int_equal(list_ids(u, &q, got, 10), 0);
	q.scope = (kh_scope_filter){SCOPE_MATCH_OWNERS, 0, NULL}; /* nobody */
	assert_int_equal(list_ids(u, &q, got, 10), 0);

	q.scope = (kh_scope_filter){SCOPE_MATCH_ALL, 0, NULL};
	assert_int_equal(list_ids(u, &q, got, 10), 5);
	assert_int_equal(got[4], pool);

	/* contacts follow their customer's scope */
	int64_t k0 = insert_contact(u, id[0], "甲联系人", true);
	insert_contact(u, id[2], "丙联系人", true);
	kh_query kq = base_query();
	kq.ent = &contact_entity;
	kq.scope = (kh_scope_filter){SCOPE_MATCH_OWNERS, 1, owners};
	assert_int_equal(list_ids(u, &kq, got, 10), 1);
	assert_int_equal(got[0], k0);
	kq.scope = (kh_scope_filter){SCOPE_MATCH_ALL, 0, NULL};
	kq.parent_id = id[2];
	assert_int_equal(list_ids(u, &kq, got, 10), 1);
}

static void contacts_of_deleted_customers_leave_the_list(void **state)
{
	unit_db *u = *state;
	kh_record r;
	unit_store_customer(u, &r, "K1", "甲");
	int64_t c1 = unit_store_insert(u, &r);
	unit_store_customer(u, &r, "K2", "乙");
	int64_t c2 = unit_store_insert(u, &r);
	insert_contact(u, c1, "王芳", true);
	int64_t k2 = insert_contact(u, c2, "李雷", true);
	UNIT_OK(store_record_mark_deleted(u->db, &customer_entity, c1, 1, true,
	                                  "2024-06-01T09:00:00Z", &u->e),
	        &u->e);
	kh_query q = base_query();
	q.ent = &contact_entity;
	int64_t got[10];
	assert_int_equal(list_ids(u, &q, got, 10), 1);
	assert_int_equal(got[0], k2);
}

static void contact_search_matches_names_by_substring(void **state)
{
	unit_db *u = *state;
	kh_record r;
	unit_store_customer(u, &r, "K1", "甲");
	int64_t c1 = unit_store_insert(u, &r);
	int64_t k1 = insert_contact(u, c1, "王芳", true);
	insert_contact(u, c1, "Li Lei", false);
	int64_t k3 = insert_contact(u, c1, "100% 王", false);
	kh_query q = base_query();
	q.ent = &contact_entity;
	q.nterms = 1;
	q.terms[0].text = "芳";
	q.terms[0].cjk = true;
	int64_t got[10];
	assert_int_equal(list_ids(u, &q, got, 10), 1);
	assert_int_equal(got[0], k1);
	q.terms[0].text = "lei";
	q.terms[0].cjk = false;
	assert_int_equal(list_ids(u, &q, got, 10), 1);
	/* LIKE wildcards in the text are literal */
	q.terms[0].text = "%";
	assert_int_equal(list_ids(u, &q, got, 10), 1);
	assert_int_equal(got[0], k3);
	q.terms[0].text = "_";
	assert_int_equal(list_ids(u, &q, got, 10), 0);
}

static void list_loads_only_the_wanted_columns(void **state)
{
	unit_db *u = *state;
	kh_record r;
	unit_store_customer(u, &r, "W1", "列");
	record_set_text(&r, CF_CITY, "深圳");
	unit_store_insert(u, &r);
	bool want[CF__COUNT] = {false};
	want[CF_NAME] = true;
	kh_query q = base_query();
	kh_record *rows;
	int n;
	bool more;
	UNIT_OK(store_record_list(u->db, &q, want, &u->a, &rows, &n, &more, &u->e), &u->e);
	assert_int_equal(n, 1);
	assert_string_equal(record_text(&rows[0], CF_NAME), "列");
	assert_true(record_is_set(&rows[0], F_ID));
	assert_true(record_is_set(&rows[0], F_VERSION));
	assert_int_equal(rows[0].v[CF_CITY].state, V_ABSENT);
}

/* ---- keyset paging ---- */

#define NPAGE 41

typedef struct sort_ctx {
	int field;
	bool desc;
	const kh_record *rows; /* by index */
} sort_ctx;

static sort_ctx g_sort;

/* The order the spec gives: NULLs first ascending and last descending, id breaks ties. */
static int expected_cmp(const void *pa, const void *pb)
{
	int a = *(const int *)pa, b = *(const int *)pb;
	const kh_record *ra = &g_sort.rows[a], *rb = &g_sort.rows[b];
	const kh_field *f = &customer_entity.fields[g_sort.field];
	const kh_value *va = &ra->v[g_sort.field], *vb = &rb->v[g_sort.field];
	int64_t ia = ra->v[F_ID].i, ib = rb->v[F_ID].i;
	int c;
	bool na = va->state != V_SET, nb = vb->state != V_SET;
	if (na || nb) {
		if (na && nb)
			c = 0;
		else
			c = na ? -1 : 1; /* NULL is smallest: first asc, last desc */
	} else if (field_is_int(f->type)) {
		c = va->i < vb->i ? -1 : va->i > vb->i;
	} else {
		c = strcmp(va->s, vb->s);
	}
	if (c == 0)
		c = ia < ib ? -1 : ia > ib;
	return g_sort.desc ? -c : c;
}

static void paging_walks_every_row_once_in_order(void **state)
{
	unit_db *u = *state;
	static const char *names[] = {"阿里", "百度", "腾讯", "Apple", "apple", "百度", "字节"};
	kh_record rows[NPAGE];
	for (int i = 0; i < NPAGE; i++) {
		kh_record *r = &rows[i];
		unit_store_customer(u, r, arena_printf(&u->a, "P%03d", (i * 17) % NPAGE),
		                    names[i % 7]);
		if (i % 5 != 0)
			record_set_int(r, CF_CONTRACT_AMOUNT, (i * 37) % 11 * 1000);
		else
			record_set_null(r, CF_CONTRACT_AMOUNT);
		if (i % 4 != 0)
			record_set_text(r, CF_FIRST_CONTACT_DATE,
			                arena_printf(&u->a, "2024-01-%02d", 1 + i % 9));
		else
			record_set_null(r, CF_FIRST_CONTACT_DATE);
		if (i % 3 == 0)
			record_set_text(r, CF_NEXT_STEP_DUE,
			                arena_printf(&u->a, "2024-0%d-01", 1 + i % 2));
		else
			record_set_null(r, CF_NEXT_STEP_DUE);
		record_set_int(r, CF_DEAL_AMOUNT, (i % 3) * 100);
		record_set_text(r, F_UPDATED_AT,
		                arena_printf(&u->a, "2024-05-%02dT08:00:00Z", 1 + i % 6));
		unit_store_insert(u, r);
	}
	/* one deleted row must never show up */
	kh_record gone;
	unit_store_customer(u, &gone, "DEL", "阿里");
	int64_t gone_id = unit_store_insert(u, &gone);
	UNIT_OK(store_record_mark_deleted(u->db, &customer_entity, gone_id, 1, true,
	                                  "2024-06-01T09:00:00Z", &u->e),
	        &u->e);

	int sort_fields[] = {F_ID,
	                     CF_NAME,
	                     CF_CODE,
	                     CF_CONTRACT_AMOUNT,
	                     CF_FIRST_CONTACT_DATE,
	                     CF_NEXT_STEP_DUE,
	                     CF_DEAL_AMOUNT,
	                     F_UPDATED_AT};
	int limits[] = {1, 3, 7, 40, 41, 100};
	for (size_t sf = 0; sf < sizeof(sort_fields) / sizeof(sort_fields[0]); sf++) {
		for (int desc = 0; desc < 2; desc++) {
			int order[NPAGE];
			for (int i = 0; i < NPAGE; i++)
				order[i] = i;
			g_sort = (sort_ctx){sort_fields[sf], desc, rows};
			qsort(order, NPAGE, sizeof(int), expected_cmp);
			for (size_t li = 0; li < sizeof(limits) / sizeof(limits[0]); li++) {
				kh_query q = base_query();
				q.sort_field = sort_fields[sf];
				q.sort_desc = desc;
				q.limit = limits[li];
				int seen = 0, pages = 0;
				for (;;) {
					kh_record *page;
					int n;
					bool more = false;
					arena pa = ARENA_INIT;
					UNIT_OK(store_record_list(u->db, &q, NULL, &pa, &page, &n,
					                          &more, &u->e),
					        &u->e);
					pages++;
					assert_true(n <= limits[li]);
					for (int i = 0; i < n; i++, seen++) {
						if (seen >= NPAGE)
							fail_msg("sort %s %s limit %d: more than "
							         "%d rows",
							         customer_entity
							                 .fields[sort_fields[sf]]
							                 .name,
							         desc ? "desc" : "asc", limits[li],
							         NPAGE);
						int64_t want = rows[order[seen]].v[F_ID].i;
						if (page[i].v[F_ID].i != want)
							fail_msg("sort %s %s limit %d: row %d is "
							         "id %lld, "
							         "want %lld",
							         customer_entity
							                 .fields[sort_fields[sf]]
							                 .name,
							         desc ? "desc" : "asc", limits[li],
							         seen, (long long)page[i].v[F_ID].i,
							         (long long)want);
					}
					if (!more) {
						arena_release(&pa);
						break;
					}
					assert_int_equal(n, limits[li]);
					/* the next page starts after the last row seen */
					const kh_record *last = &page[n - 1];
					q.has_cursor = true;
					q.cursor_id = last->v[F_ID].i;
					q.cursor_value = last->v[q.sort_field];
					q.cursor_value.s = arena_strdup(&u->a, q.cursor_value.s);
					arena_release(&pa);
					assert_true(pages <= NPAGE + 1);
				}
				if (seen != NPAGE)
					fail_msg("sort %s %s limit %d: %d rows seen, want %d",
					         customer_entity.fields[sort_fields[sf]].name,
					         desc ? "desc" : "asc", limits[li], seen, NPAGE);
				int want_pages = (NPAGE + limits[li] - 1) / limits[li];
				assert_int_equal(pages, want_pages);
			}
		}
	}
}

static void paging_with_a_filter_stays_within_it(void **state)
{
	unit_db *u = *state;
	int64_t active[30];
	int na = 0;
	for (int i = 0; i < 60; i++) {
		kh_record r;
		unit_store_customer(u, &r, arena_printf(&u->a, "Q%d", i), i % 3 ? "乙" : "甲");
		if (i % 2) {
			record_set_text(&r, CF_STATUS, "active");
		}
		int64_t id = unit_store_insert(u, &r);
		if (i % 2)
			active[na++] = id;
	}
	kh_query q = base_query();
	q.sort_field = CF_NAME;
	q.sort_desc = true;
	q.limit = 4;
	q.nfilters = 1;
	q.filters[0] = (kh_filter){.field = CF_STATUS, .op = OP_IN, .nvals = 1, .vals = vals(u, 1)};
	q.filters[0].vals[0] = (kh_value){.state = V_SET, .s = "active"};
	bool seen[61] = {false};
	int total = 0;
	for (;;) {
		kh_record *page;
		int n;
		bool more;
		UNIT_OK(store_record_list(u->db, &q, NULL, &u->a, &page, &n, &more, &u->e), &u->e);
		for (int i = 0; i < n; i++) {
			assert_string_equal(record_text(&page[i], CF_STATUS), "active");
			int64_t id = page[i].v[F_ID].i;
			assert_true(id >= 1 && id <= 60);
			assert_false(seen[id]);
			seen[id] = true;
			total++;
		}
		if (!more)
			break;
		q.has_cursor = true;
		q.cursor_id = page[n - 1].v[F_ID].i;
		q.cursor_value = page[n - 1].v[CF_NAME];
	}
	assert_int_equal(total, na);
	for (int i = 0; i < na; i++)
		assert_true(seen[active[i]]);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, unit_db_setup, unit_db_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(insert_then_get_returns_what_was_stored),
	        T(get_of_a_missing_record_is_not_found),
	        T(update_with_the_current_version_bumps_it),
	        T(update_with_a_stale_version_is_a_conflict_and_changes_nothing),
	        T(update_of_a_missing_or_deleted_record_is_not_found),
	        T(delete_hides_and_restore_brings_back),
	        T(a_taken_unique_value_is_a_duplicate_naming_the_column),
	        T(value_taken_and_reference_counts),
	        T(all_returns_live_records_by_id),
	        T(list_filters_narrow_the_rows),
	        T(list_views_separate_active_archived_pool_and_deleted),
	        T(list_scopes_limit_rows_by_owner_or_department),
	        T(contacts_of_deleted_customers_leave_the_list),
	        T(contact_search_matches_names_by_substring),
	        T(list_loads_only_the_wanted_columns),
	        T(paging_walks_every_row_once_in_order),
	        T(paging_with_a_filter_stays_within_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
