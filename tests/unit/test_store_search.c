/*
 * test_store_search — the customer repository on SQLite: the full-text
 * index kept by store_customer_sync and searched through list queries
 * (two-character Chinese words, single characters, no false substrings,
 * ASCII prefixes of codes, contact names, tags and notes; search with
 * filters, scope and paging), the tag rows, primary contacts and the
 * department move of a user's customers.
 */
#define UNIT_WITH_STORE
#include "unit.h"

#include "core/org.h"
#include "core/tokenize.h"

static int64_t add(unit_db *u, const char *code, const char *name, const char *tags,
                   const char *requirement)
{
	kh_record r;
	unit_store_customer(u, &r, code, name);
	if (tags)
		record_set_text(&r, CF_TAGS, tags);
	if (requirement)
		record_set_text(&r, CF_REQUIREMENT, requirement);
	int64_t id = unit_store_insert(u, &r);
	UNIT_OK(store_customer_sync(u->db, id, &u->e), &u->e);
	return id;
}

static int64_t add_contact(unit_db *u, int64_t customer, const char *name, const char *phone,
                           bool primary)
{
	kh_record k;
	record_init(&k, &contact_entity, &u->a);
	record_set_text(&k, F_CREATED_AT, "2024-05-10T08:00:00Z");
	record_set_text(&k, F_UPDATED_AT, "2024-05-10T08:00:00Z");
	record_set_int(&k, F_VERSION, 1);
	record_set_int(&k, KF_CUSTOMER, customer);
	record_set_text(&k, KF_NAME, name);
	record_set_text(&k, KF_PHONE, phone);
	record_set_int(&k, KF_PRIMARY, primary);
	return unit_store_insert(u, &k);
}

/* Ids of the customers a search for text finds (one page, id order). */
static int search(unit_db *u, const char *text, int64_t *out, int max)
{
	kh_query q;
	memset(&q, 0, sizeof(q));
	q.ent = &customer_entity;
	q.sort_field = F_ID;
	q.limit = 100;
	q.view = VIEW_ACTIVE;
	q.scope.kind = SCOPE_MATCH_ALL;
	search_term terms[QUERY_MAX_TERMS];
	q.nterms = search_terms(&u->a, text, terms, QUERY_MAX_TERMS);
	assert_true(q.nterms > 0);
	for (int i = 0; i < q.nterms; i++) {
		q.terms[i].text = terms[i].text;
		q.terms[i].cjk = terms[i].cjk;
	}
	kh_record *rows;
	int n;
	bool more;
	UNIT_OK(store_record_list(u->db, &q, NULL, &u->a, &rows, &n, &more, &u->e), &u->e);
	assert_true(n <= max);
	for (int i = 0; i < n; i++)
		out[i] = rows[i].v[F_ID].i;
	return n;
}

static void finds_one(unit_db *u, const char *text, int64_t want)
{
	int64_t got[10];
	int n = search(u, text, got, 10);
	if (n != 1 || got[0] != want)
		fail_msg("search \"%s\": %d rows (first %lld), want only %lld", text, n,
		         n ? (long long)got[0] : 0LL, (long long)want);
}

static void finds_none(unit_db *u, const char *text)
{
	int64_t got[10];
	int n = search(u, text, got, 10);
	if (n != 0)
		fail_msg("search \"%s\": %d rows, want none", text, n);
}

static void two_character_chinese_words_are_found(void **state)
{
	unit_db *u = *state;
	int64_t ty = add(u, "XS2024001", "深圳市腾云科技有限公司", NULL, NULL);
	int64_t hx = add(u, "XS2024002", "北京华信贸易有限公司", NULL, NULL);
	finds_one(u, "科技", ty);
	finds_one(u, "腾云", ty);
	finds_one(u, "深圳", ty);
	finds_one(u, "贸易", hx);
	finds_one(u, "北京华信", hx);
	finds_one(u, "腾云科技有限公司", ty);
	int64_t got[10];
	assert_int_equal(search(u, "有限公司", got, 10), 2);
	assert_int_equal(got[0], ty);
	assert_int_equal(got[1], hx);
}

static void single_characters_are_found(void **state)
{
	unit_db *u = *state;
	int64_t ty = add(u, "XS2024001", "深圳市腾云科技有限公司", NULL, NULL);
	int64_t hx = add(u, "XS2024002", "北京华信贸易有限公司", NULL, NULL);
	finds_one(u, "科", ty);
	finds_one(u, "京", hx);
	int64_t got[10];
	assert_int_equal(search(u, "司", got, 10), 2);
}

static void characters_that_are_not_adjacent_do_not_match(void **state)
{
	unit_db *u = *state;
	add(u, "XS2024001", "深圳市腾云科技有限公司", NULL, NULL);
	finds_none(u, "科腾"); /* both characters are there, not as a word */
	finds_none(u, "技科");
	finds_none(u, "腾科");
	finds_none(u, "深圳腾云"); /* 市 sits between */
	finds_none(u, "上海");
}

static void ascii_words_match_by_prefix_case_insensitively(void **state)
{
	unit_db *u = *state;
	int64_t a = add(u, "XS2024001", "Alpha Tech", NULL, NULL);
	int64_t b = add(u, "XS2025002", "Beta Trading", NULL, NULL);
	int64_t got[10];
	assert_int_equal(search(u, "xs20", got, 10), 2);
	finds_one(u, "xs2024", a);
	finds_one(u, "XS2024001", a);
	finds_one(u, "ＸＳ２０２５", b); /* typed on a Chinese keyboard */
	finds_one(u, "alp", a);
	finds_one(u, "TRAD", b);
	finds_none(u, "s2024"); /* prefixes, not infixes */
	finds_none(u, "xs2024001x");
}

static void several_terms_must_all_match(void **state)
{
	unit_db *u = *state;
	int64_t ty = add(u, "XS2024001", "深圳市腾云科技有限公司", NULL, NULL);
	add(u, "XS2024002", "深圳华信贸易有限公司", NULL, NULL);
	finds_one(u, "深圳 科技", ty);
	finds_one(u, "科技 xs2024", ty);
	finds_one(u, "深圳xs2024001", ty);
	finds_none(u, "深圳 北京");
}

static void contacts_tags_and_notes_are_searchable(void **state)
{
	unit_db *u = *state;
	int64_t a = add(u, "XS2024001", "甲公司", "[\"战略合作伙伴\",\"VIP\"]", "采购服务器和存储");
	int64_t b = add(u, "XS2024002", "乙公司", NULL, NULL);
	add_contact(u, b, "王芳", "13812345678", true);
	UNIT_OK(store_customer_sync(u->db, b, &u->e), &u->e);
	finds_one(u, "王芳", b);
	finds_one(u, "战略", a);
	finds_one(u, "vip", a);
	finds_one(u, "服务器", a);
}

static void resync_replaces_the_old_document(void **state)
{
	unit_db *u = *state;
	int64_t id = add(u, "XS2024001", "深圳市腾云科技有限公司", NULL, NULL);
	kh_record ch;
	record_init(&ch, &customer_entity, &u->a);
	record_set_text(&ch, CF_NAME, "广州星河贸易有限公司");
	UNIT_OK(store_record_update(u->db, &ch, id, 1, "2024-06-01T00:00:00Z", &u->e), &u->e);
	UNIT_OK(store_customer_sync(u->db, id, &u->e), &u->e);
	finds_none(u, "腾云");
	finds_one(u, "星河", id);
	/* syncing twice leaves one document */
	UNIT_OK(store_customer_sync(u->db, id, &u->e), &u->e);
	finds_one(u, "贸易", id);
	/* a missing customer cannot be synced */
	err_clear(&u->e);
	assert_int_equal(store_customer_sync(u->db, 9999, &u->e), -1);
	assert_int_equal(u->e.code, KH_ENOTFOUND);
}

static void deleted_customers_are_not_found(void **state)
{
	unit_db *u = *state;
	int64_t id = add(u, "XS2024001", "深圳市腾云科技有限公司", NULL, NULL);
	UNIT_OK(store_record_mark_deleted(u->db, &customer_entity, id, 1, true,
	                                  "2024-06-01T00:00:00Z", &u->e),
	        &u->e);
	finds_none(u, "腾云");
}

static void search_combines_with_scope_sort_and_paging(void **state)
{
	unit_db *u = *state;
	/* 25 matching customers with names in reverse order of id */
	for (int i = 0; i < 25; i++)
		add(u, arena_printf(&u->a, "XS%03d", i), arena_printf(&u->a, "科技%c公司", 'Z' - i),
		    NULL, NULL);
	add(u, "OTHER", "无关客户", NULL, NULL);
	kh_query q;
	memset(&q, 0, sizeof(q));
	q.ent = &customer_entity;
	q.sort_field = CF_NAME;
	q.limit = 4;
	q.view = VIEW_ACTIVE;
	q.scope.kind = SCOPE_MATCH_ALL;
	q.nterms = 1;
	q.terms[0].text = "科技";
	q.terms[0].cjk = true;
	int total = 0;
	const char *prev = "";
	bool seen[40] = {false};
	for (;;) {
		kh_record *rows;
		int n;
		bool more;
		UNIT_OK(store_record_list(u->db, &q, NULL, &u->a, &rows, &n, &more, &u->e), &u->e);
		for (int i = 0; i < n; i++) {
			const char *name = record_text(&rows[i], CF_NAME);
			assert_true(strcmp(prev, name) < 0);
			prev = name;
			int64_t id = rows[i].v[F_ID].i;
			assert_false(seen[id]);
			seen[id] = true;
			total++;
		}
		if (!more)
			break;
		q.has_cursor = true;
		q.cursor_id = rows[n - 1].v[F_ID].i;
		q.cursor_value = rows[n - 1].v[CF_NAME];
	}
	assert_int_equal(total, 25);

	/* and with a scope that lets nothing through */
	q.has_cursor = false;
	q.scope.kind = SCOPE_MATCH_NONE;
	kh_record *rows;
	int n;
	bool more;
	UNIT_OK(store_record_list(u->db, &q, NULL, &u->a, &rows, &n, &more, &u->e), &u->e);
	assert_int_equal(n, 0);
}

static void tag_rows_follow_the_tags_for_filtering(void **state)
{
	unit_db *u = *state;
	int64_t a = add(u, "T1", "甲", "[\"重点合作\",\"VIP\"]", NULL);
	int64_t b = add(u, "T2", "乙", "[\"重点合作\"]", NULL);
	add(u, "T3", "丙", NULL, NULL);
	kh_query q;
	memset(&q, 0, sizeof(q));
	q.ent = &customer_entity;
	q.sort_field = F_ID;
	q.limit = 10;
	q.view = VIEW_ACTIVE;
	q.scope.kind = SCOPE_MATCH_ALL;
	q.nfilters = 1;
	kh_value v[2] = {{.state = V_SET, .s = "重点合作"}, {.state = V_SET, .s = "VIP"}};
	q.filters[0] = (kh_filter){.field = CF_TAGS, .op = OP_TAG, .nvals = 1, .vals = v};
	kh_record *rows;
	int n;
	bool more;
	UNIT_OK(store_record_list(u->db, &q, NULL, &u->a, &rows, &n, &more, &u->e), &u->e);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].v[F_ID].i, a);
	assert_int_equal(rows[1].v[F_ID].i, b);
	q.filters[0].nvals = 2; /* all of them */
	UNIT_OK(store_record_list(u->db, &q, NULL, &u->a, &rows, &n, &more, &u->e), &u->e);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].v[F_ID].i, a);

	/* removing the tag and syncing drops the row */
	kh_record ch;
	record_init(&ch, &customer_entity, &u->a);
	record_set_null(&ch, CF_TAGS);
	UNIT_OK(store_record_update(u->db, &ch, a, 1, "2024-06-01T00:00:00Z", &u->e), &u->e);
	UNIT_OK(store_customer_sync(u->db, a, &u->e), &u->e);
	UNIT_OK(store_record_list(u->db, &q, NULL, &u->a, &rows, &n, &more, &u->e), &u->e);
	assert_int_equal(n, 0);
}

static void primary_contacts_per_customer(void **state)
{
	unit_db *u = *state;
	int64_t a = add(u, "A", "甲", NULL, NULL);
	int64_t b = add(u, "B", "乙", NULL, NULL);
	int64_t c = add(u, "C", "丙", NULL, NULL);
	add_contact(u, a, "次要", "13900000000", false);
	int64_t pa = add_contact(u, a, "王芳", "13812345678", true);
	int64_t pb = add_contact(u, b, "李雷", "010-12345678", true);
	int64_t ids[] = {c, b, a};
	primary_contact out[3];
	UNIT_OK(store_primary_contacts(u->db, ids, 3, &u->a, out, &u->e), &u->e);
	assert_int_equal(out[0].id, 0);
	assert_null(out[0].name);
	assert_int_equal(out[1].id, pb);
	assert_string_equal(out[1].name, "李雷");
	assert_string_equal(out[1].phone, "010-12345678");
	assert_int_equal(out[2].id, pa);
	assert_string_equal(out[2].phone, "13812345678");
	UNIT_OK(store_primary_contacts(u->db, ids, 0, &u->a, out, &u->e), &u->e);

	/* one primary per customer: the database refuses a second */
	kh_record k;
	record_init(&k, &contact_entity, &u->a);
	record_set_text(&k, F_CREATED_AT, "2024-05-10T08:00:00Z");
	record_set_text(&k, F_UPDATED_AT, "2024-05-10T08:00:00Z");
	record_set_int(&k, F_VERSION, 1);
	record_set_int(&k, KF_CUSTOMER, a);
	record_set_text(&k, KF_NAME, "另一个");
	record_set_text(&k, KF_PHONE, "13700000000");
	record_set_int(&k, KF_PRIMARY, 1);
	err_clear(&u->e);
	assert_int_equal(store_record_insert(u->db, &k, &u->e), -1);
	assert_int_equal(u->e.code, KH_EDUP);

	/* unsetting the others makes room */
	err_clear(&u->e);
	UNIT_OK(store_contact_unset_primary(u->db, a, 0, "2024-06-01T00:00:00Z", &u->e), &u->e);
	UNIT_OK(store_primary_contacts(u->db, &a, 1, &u->a, out, &u->e), &u->e);
	assert_int_equal(out[0].id, 0);
	int64_t pk = unit_store_insert(u, &k);
	UNIT_OK(store_primary_contacts(u->db, &a, 1, &u->a, out, &u->e), &u->e);
	assert_int_equal(out[0].id, pk);
	/* the unset contact's version moved, so stale editors conflict */
	kh_record g;
	UNIT_OK(store_record_get(u->db, &contact_entity, pa, false, &u->a, &g, &u->e), &u->e);
	assert_int_equal(record_int(&g, KF_PRIMARY, -1), 0);
	assert_int_equal(g.v[F_VERSION].i, 2);
}

static void a_users_customers_follow_a_department_move(void **state)
{
	unit_db *u = *state;
	kh_record d;
	int64_t dept[2];
	for (int i = 0; i < 2; i++) {
		record_init(&d, &department_entity, &u->a);
		record_set_text(&d, F_CREATED_AT, "2024-05-10T08:00:00Z");
		record_set_text(&d, F_UPDATED_AT, "2024-05-10T08:00:00Z");
		record_set_int(&d, F_VERSION, 1);
		record_set_text(&d, DF_NAME, i ? "二部" : "一部");
		dept[i] = unit_store_insert(u, &d);
	}
	kh_record usr;
	record_init(&usr, &user_entity, &u->a);
	record_set_text(&usr, F_CREATED_AT, "2024-05-10T08:00:00Z");
	record_set_text(&usr, F_UPDATED_AT, "2024-05-10T08:00:00Z");
	record_set_int(&usr, F_VERSION, 1);
	record_set_text(&usr, UF_USERNAME, "zhang");
	record_set_text(&usr, UF_DISPLAY_NAME, "张伟");
	record_set_text(&usr, UF_ROLE, "sales");
	int64_t uid = unit_store_insert(u, &usr);
	kh_record r;
	unit_store_customer(u, &r, "M1", "甲");
	record_set_int(&r, CF_OWNER, uid);
	record_set_int(&r, CF_DEPARTMENT, dept[0]);
	int64_t mine = unit_store_insert(u, &r);
	unit_store_customer(u, &r, "M2", "乙");
	record_set_int(&r, CF_DEPARTMENT, dept[0]);
	int64_t other = unit_store_insert(u, &r);

	int64_t moved = -1;
	UNIT_OK(store_customers_set_department(u->db, uid, dept[1], "2024-05-10T00:00:00Z", &moved,
	                                       &u->e),
	        &u->e);
	assert_int_equal(moved, 1);
	kh_record g;
	UNIT_OK(store_record_get(u->db, &customer_entity, mine, false, &u->a, &g, &u->e), &u->e);
	assert_int_equal(record_int(&g, CF_DEPARTMENT, 0), dept[1]);
	assert_int_equal(record_int(&g, F_VERSION, 0), 2); /* the move is a change */
	UNIT_OK(store_record_get(u->db, &customer_entity, other, false, &u->a, &g, &u->e), &u->e);
	assert_int_equal(record_int(&g, CF_DEPARTMENT, 0), dept[0]);
	UNIT_OK(store_customers_set_department(u->db, uid, 0, "2024-05-11T00:00:00Z", &moved,
	                                       &u->e),
	        &u->e);
	UNIT_OK(store_record_get(u->db, &customer_entity, mine, false, &u->a, &g, &u->e), &u->e);
	assert_int_equal(g.v[CF_DEPARTMENT].state, V_NULL);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, unit_db_setup, unit_db_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(two_character_chinese_words_are_found),
	        T(single_characters_are_found),
	        T(characters_that_are_not_adjacent_do_not_match),
	        T(ascii_words_match_by_prefix_case_insensitively),
	        T(several_terms_must_all_match),
	        T(contacts_tags_and_notes_are_searchable),
	        T(resync_replaces_the_old_document),
	        T(deleted_customers_are_not_found),
	        T(search_combines_with_scope_sort_and_paging),
	        T(tag_rows_follow_the_tags_for_filtering),
	        T(primary_contacts_per_customer),
	        T(a_users_customers_follow_a_department_move),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
