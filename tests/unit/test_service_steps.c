/*
 * test_service_steps — the steps every use case shares: list parameters
 * turned into a query (defaults, sort, limit, fields, ranges on business
 * days, empty/non-empty, tags, several values), keyset cursors (round trip,
 * tampering), names people type resolved to ids and codes, and the small
 * parsers adapters use.
 */
#define UNIT_WITH_SERVICE
#include "unit.h"

#include "util/crypto.h"

static void defaults_are_newest_first_fifty_active_rows(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	kh_query q;
	bool *want;
	int *fields, nf;
	UNIT_OK(parse_list_params(&c.s, &customer_entity, NULL, 0, &q, &want, &fields, &nf), &c.e);
	assert_int_equal(q.sort_field, F_ID);
	assert_true(q.sort_desc);
	assert_int_equal(q.limit, QUERY_DEFAULT_LIMIT);
	assert_int_equal(q.view, VIEW_ACTIVE);
	assert_false(q.has_cursor);
	assert_int_equal(q.nterms, 0);
	assert_int_equal(q.nfilters, 0);
	/* the scope is the actor's */
	assert_int_equal(q.scope.kind, SCOPE_MATCH_OWNERS);
	assert_int_equal(q.scope.n, 1);
	assert_int_equal(q.scope.ids[0], o->e1);
	/* the default columns are the list ones, version always loaded */
	assert_true(nf > 0);
	for (int i = 0; i < nf; i++)
		assert_true(customer_entity.fields[fields[i]].flags & FF_LIST);
	assert_true(want[F_ID] && want[F_VERSION] && want[CF_NAME]);
	assert_false(want[CF_PERSONAL_PROFILE]);
	unit_ctx_close(&c);
}

static void sort_limit_and_fields_are_read(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	kv p[] = {{"sort", "-contract_amount"}, {"limit", "7"}, {"fields", "name，city, code"}};
	kh_query q;
	bool *want;
	int *fields, nf;
	UNIT_OK(parse_list_params(&c.s, &customer_entity, p, 3, &q, &want, &fields, &nf), &c.e);
	assert_int_equal(q.sort_field, CF_CONTRACT_AMOUNT);
	assert_true(q.sort_desc);
	assert_int_equal(q.limit, 7);
	assert_int_equal(nf, 4); /* id first, then as asked */
	assert_int_equal(fields[0], F_ID);
	assert_int_equal(fields[1], CF_NAME);
	assert_int_equal(fields[2], CF_CITY);
	assert_int_equal(fields[3], CF_CODE);
	assert_true(want[CF_CONTRACT_AMOUNT]); /* loaded for the cursor */
	assert_true(want[F_VERSION]);
	assert_false(want[CF_STATUS]);
	kv asc[] = {{"sort", "+name"}};
	UNIT_OK(parse_list_params(&c.s, &customer_entity, asc, 1, &q, &want, &fields, &nf), &c.e);
	assert_int_equal(q.sort_field, CF_NAME);
	assert_false(q.sort_desc);
	unit_ctx_close(&c);
}

static void personal_data_is_never_a_sort_key(void **state)
{
	unit_org *o = *state;
	const char *bad[] = {"street", "-birth_date", "personal_profile", "tags", "custom"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_ctx c;
		unit_ctx_user(&c, o->db, o->mgr);
		kv p[] = {{"sort", bad[i]}};
		kh_query q;
		bool *want;
		int *fields, nf;
		if (parse_list_params(&c.s, &customer_entity, p, 1, &q, &want, &fields, &nf) !=
		            -1 ||
		    !unit_has_field_error(&c.e, "sort"))
			fail_msg("sort=%s accepted", bad[i]);
		unit_ctx_close(&c);
	}
	/* contacts: not by phone either */
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	kv p[] = {{"sort", "phone"}};
	kh_query q;
	bool *want;
	int *fields, nf;
	assert_int_equal(parse_list_params(&c.s, &contact_entity, p, 1, &q, &want, &fields, &nf),
	                 -1);
	assert_true(unit_has_field_error(&c.e, "sort"));
	unit_ctx_close(&c);
}

static void filters_take_several_values_and_names(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	kv p[] = {{"status", "潜在客户, active，Paused"}, {"owner", "e1,e2"}, {"q", "腾云 XS2024"}};
	kh_query q;
	bool *want;
	int *fields, nf;
	UNIT_OK(parse_list_params(&c.s, &customer_entity, p, 3, &q, &want, &fields, &nf), &c.e);
	assert_int_equal(q.nfilters, 2);
	assert_int_equal(q.filters[0].field, CF_STATUS);
	assert_int_equal(q.filters[0].op, OP_IN);
	assert_int_equal(q.filters[0].nvals, 3);
	assert_string_equal(q.filters[0].vals[0].s, "potential");
	assert_string_equal(q.filters[0].vals[1].s, "active");
	assert_string_equal(q.filters[0].vals[2].s, "paused");
	assert_int_equal(q.filters[1].field, CF_OWNER);
	assert_int_equal(q.filters[1].vals[0].i, o->e1);
	assert_int_equal(q.filters[1].vals[1].i, o->e2);
	assert_int_equal(q.nterms, 2);
	assert_string_equal(q.terms[0].text, "腾云");
	assert_true(q.terms[0].cjk);
	assert_string_equal(q.terms[1].text, "xs2024");
	assert_false(q.terms[1].cjk);
	unit_ctx_close(&c);
}

static void search_text_has_a_length_limit(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	char longq[400] = "";
	for (int i = 0; i < 101; i++)
		strcat(longq, "客");
	kv p[] = {{"q", longq}};
	kh_query q;
	bool *want;
	int *fields, nf;
	assert_int_equal(parse_list_params(&c.s, &customer_entity, p, 1, &q, &want, &fields, &nf),
	                 -1);
	assert_true(unit_has_field_error(&c.e, "q"));
	unit_ctx_close(&c);
}

/* The ids of a customer list with params as user. */
static int ids_of(unit_org *o, int64_t user, const kv *p, int np, int64_t *out, int max)
{
	unit_ctx c;
	unit_ctx_user(&c, o->db, user);
	list_page page;
	UNIT_OK(svc_customer_list(&c.s, p, np, &page), &c.e);
	assert_true(page.n <= max);
	for (int i = 0; i < page.n; i++)
		out[i] = page.rows[i].v[F_ID].i;
	int n = page.n;
	unit_ctx_close(&c);
	return n;
}

static bool has(const int64_t *ids, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static void time_ranges_cover_whole_business_days(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->s1);
	int64_t id = unit_customer_new(&c, "今天更新的客户", 0, NULL);
	char today[DATE_LEN], yesterday[DATE_LEN], tomorrow[DATE_LEN];
	snprintf(today, sizeof(today), "%s", svc_today(&c.s)); /* Asia/Shanghai */
	unit_ctx_close(&c);
	assert_true(date_add_days(yesterday, today, -1));
	assert_true(date_add_days(tomorrow, today, 1));

	int64_t got[100];
	int n;
	kv from_today[] = {{"updated_at_from", today}, {"limit", "100"}};
	n = ids_of(o, o->s1, from_today, 2, got, 100);
	assert_true(has(got, n, id));
	kv to_today[] = {{"updated_at_to", today}, {"limit", "100"}};
	n = ids_of(o, o->s1, to_today, 2, got, 100);
	assert_true(has(got, n, id));
	kv only_today[] = {{"updated_at_from", today}, {"updated_at_to", today}, {"limit", "100"}};
	n = ids_of(o, o->s1, only_today, 3, got, 100);
	assert_true(has(got, n, id));
	kv to_yesterday[] = {{"updated_at_to", yesterday}, {"limit", "100"}};
	n = ids_of(o, o->s1, to_yesterday, 2, got, 100);
	assert_false(has(got, n, id));
	kv from_tomorrow[] = {{"updated_at_from", tomorrow}, {"limit", "100"}};
	n = ids_of(o, o->s1, from_tomorrow, 2, got, 100);
	assert_false(has(got, n, id));
}

static void empty_filters_and_tags(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->s1);
	kh_record r;
	unit_customer_record(&r, &c.a, "有城市有标签");
	record_set_text(&r, CF_CITY, "广州");
	record_set_text(&r, CF_TAGS, "[\"重点合作\",\"潜力开发\"]");
	int64_t with;
	UNIT_OK(svc_customer_create(&c.s, &r, NULL, 0, &with), &c.e);
	unit_customer_record(&r, &c.a, "无城市一个标签");
	record_set_text(&r, CF_TAGS, "[\"重点合作\"]");
	int64_t without;
	UNIT_OK(svc_customer_create(&c.s, &r, NULL, 0, &without), &c.e);
	unit_ctx_close(&c);

	int64_t got[100];
	int n;
	kv empty[] = {{"city_empty", "true"}, {"limit", "100"}};
	n = ids_of(o, o->s1, empty, 2, got, 100);
	assert_true(has(got, n, without));
	assert_false(has(got, n, with));
	kv filled[] = {{"city_empty", "否"}, {"limit", "100"}};
	n = ids_of(o, o->s1, filled, 2, got, 100);
	assert_true(has(got, n, with));
	assert_false(has(got, n, without));
	kv one_tag[] = {{"tag", "重点合作"}};
	n = ids_of(o, o->s1, one_tag, 1, got, 100);
	assert_true(has(got, n, with) && has(got, n, without));
	kv both_tags[] = {{"tags", "重点合作，潜力开发"}};
	n = ids_of(o, o->s1, both_tags, 1, got, 100);
	assert_true(has(got, n, with));
	assert_false(has(got, n, without));
}

static void cursors_round_trip_and_resist_tampering(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e2);
	for (int i = 0; i < 3; i++)
		unit_customer_new(&c, arena_printf(&c.a, "游标%d", i), 0, NULL);
	kv p[] = {{"sort", "name"}, {"limit", "1"}};
	list_page page;
	UNIT_OK(svc_customer_list(&c.s, p, 2, &page), &c.e);
	assert_non_null(page.next);
	/* what the cursor holds */
	size_t len;
	const char *raw = crypto_b64_decode(&c.a, page.next, &len);
	assert_non_null(raw);
	json_t *j = json_loadb(raw, len, 0, NULL);
	assert_true(json_is_array(j));
	assert_string_equal(json_string_value(json_array_get(j, 0)), "name");
	assert_string_equal(json_string_value(json_array_get(j, 1)),
	                    record_text(&page.rows[0], CF_NAME));
	assert_int_equal(json_integer_value(json_array_get(j, 2)), page.rows[0].v[F_ID].i);
	json_decref(j);

	const char *forged[] = {
	        "",
	        "!!!",
	        crypto_b64_encode(&c.a, "[\"name\",\"x\"]", 12),     /* no id */
	        crypto_b64_encode(&c.a, "[\"name\",5,1]", 12),       /* wrong type */
	        crypto_b64_encode(&c.a, "[\"street\",\"x\",1]", 17), /* another field */
	        crypto_b64_encode(&c.a, "{\"name\":\"x\"}", 12),
	        crypto_b64_encode(&c.a, "[\"name\",\"x\",\"1\"]", 16),
	};
	for (size_t i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
		kv q[] = {{"sort", "name"}, {"after", forged[i]}};
		err_clear(&c.e);
		if (svc_customer_list(&c.s, q, 2, &page) != -1 ||
		    !unit_has_field_error(&c.e, "after"))
			fail_msg("cursor %zu accepted", i);
	}
	unit_ctx_close(&c);
}

static void names_people_type_are_resolved(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	kh_record r;
	unit_customer_record(&r, &c.a, "按用户名指定负责人");
	r.v[CF_OWNER].state = V_SET;
	r.v[CF_OWNER].s = "e2"; /* a username, as the API and CLI accept */
	record_set_text(&r, CF_KIND, "个人客户");
	record_set_text(&r, CF_REGION, "South China");
	UNIT_OK(resolve_refs(&c.s, &r, NULL, NULL), &c.e);
	assert_int_equal(r.v[CF_OWNER].i, o->e2);
	assert_null(r.v[CF_OWNER].s);
	assert_string_equal(record_text(&r, CF_KIND), "individual");
	assert_string_equal(record_text(&r, CF_REGION), "south");

	unit_customer_record(&r, &c.a, "解析失败");
	r.v[CF_OWNER].state = V_SET;
	r.v[CF_OWNER].s = "nobody_here";
	record_set_text(&r, CF_KIND, "外星客户");
	record_set_int(&r, CF_DEPARTMENT, 987654);
	assert_int_equal(resolve_refs(&c.s, &r, NULL, "x."), -1);
	assert_true(unit_has_field_error(&c.e, "x.owner"));
	assert_true(unit_has_field_error(&c.e, "x.kind"));
	assert_true(unit_has_field_error(&c.e, "x.department"));
	unit_ctx_close(&c);

	/* the whole create path accepts the username too */
	unit_ctx_user(&c, o->db, o->mgr);
	unit_customer_record(&r, &c.a, "按用户名创建");
	r.v[CF_OWNER].state = V_SET;
	r.v[CF_OWNER].s = "s1";
	int64_t id;
	UNIT_OK(svc_customer_create(&c.s, &r, NULL, 0, &id), &c.e);
	kh_record got;
	UNIT_OK(svc_customer_get(&c.s, id, false, &got, NULL, NULL), &c.e);
	assert_int_equal(record_int(&got, CF_OWNER, 0), o->s1);
	unit_ctx_close(&c);
}

static void small_parsers_for_adapters(void **state)
{
	(void)state;
	const char *yes[] = {"true", "1", "yes", "是"};
	const char *no[] = {"false", "0", "no", "否"};
	for (int i = 0; i < 4; i++) {
		bool b = false;
		assert_true(svc_parse_bool(yes[i], &b));
		assert_true(b);
		assert_true(svc_parse_bool(no[i], &b));
		assert_false(b);
	}
	bool b;
	assert_false(svc_parse_bool("maybe", &b));
	assert_false(svc_parse_bool("", &b));
	assert_false(svc_parse_bool(NULL, &b));

	int64_t id = 0;
	assert_true(svc_parse_id("42", &id));
	assert_int_equal(id, 42);
	assert_true(svc_parse_id("999999999999999999", &id));
	assert_false(svc_parse_id("0", &id));
	assert_false(svc_parse_id("-1", &id));
	assert_false(svc_parse_id("1e3", &id));
	assert_false(svc_parse_id(" 1", &id));
	assert_false(svc_parse_id("", &id));
	assert_false(svc_parse_id(NULL, &id));
	assert_false(svc_parse_id("9999999999999999999", &id)); /* past int64 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(defaults_are_newest_first_fifty_active_rows),
	        cmocka_unit_test(sort_limit_and_fields_are_read),
	        cmocka_unit_test(personal_data_is_never_a_sort_key),
	        cmocka_unit_test(filters_take_several_values_and_names),
	        cmocka_unit_test(search_text_has_a_length_limit),
	        cmocka_unit_test(time_ranges_cover_whole_business_days),
	        cmocka_unit_test(empty_filters_and_tags),
	        cmocka_unit_test(cursors_round_trip_and_resist_tampering),
	        cmocka_unit_test(names_people_type_are_resolved),
	        cmocka_unit_test(small_parsers_for_adapters),
	};
	return cmocka_run_group_tests(tests, unit_org_setup, unit_org_teardown);
}
