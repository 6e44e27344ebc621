/*
 * test_service_admin — what administrators maintain, on a real organisation
 * (see unit.h): dictionary options (a retired option is refused for new
 * values but kept on old records and still filters), custom fields
 * (definitions, typed values, merging on update, required and retired
 * fields), departments (prefixes, loops, deletion), users (validation,
 * supervisors without loops, what people may change about themselves, the
 * last administrator) and roles.
 */
#define UNIT_WITH_SERVICE
#include "unit.h"

static int64_t make_option(unit_ctx *c, const char *kind, const char *code, const char *zh,
                           const char *en)
{
	kh_record r;
	record_init(&r, &dict_option_entity, &c->a);
	record_set_text(&r, OF_KIND, kind);
	record_set_text(&r, OF_CODE, code);
	record_set_text(&r, OF_LABEL_ZH, zh);
	record_set_text(&r, OF_LABEL_EN, en);
	int64_t id = 0;
	UNIT_OK(svc_dict_create(&c->s, &r, &id), &c->e);
	return id;
}

static int64_t make_field(unit_ctx *c, const char *key, const char *type, bool required)
{
	kh_record r;
	record_init(&r, &custom_field_entity, &c->a);
	record_set_text(&r, XF_KEY, key);
	record_set_text(&r, XF_LABEL_ZH, key);
	record_set_text(&r, XF_LABEL_EN, key);
	record_set_text(&r, XF_TYPE, type);
	if (required)
		record_set_int(&r, XF_REQUIRED, 1);
	int64_t id = 0;
	UNIT_OK(svc_custom_field_create(&c->s, &r, &id), &c->e);
	return id;
}

static bool listed_option(unit_ctx *c, const char *kind, const char *code, bool with_retired)
{
	const dict_option **opts;
	int n;
	UNIT_OK(svc_dict_list(&c->s, kind, with_retired, &opts, &n), &c->e);
	for (int i = 0; i < n; i++)
		if (!strcmp(opts[i]->code, code))
			return true;
	return false;
}

/* ---- dictionaries ---- */

static void a_retired_option_is_refused_for_new_values_but_kept_on_old_ones(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	int64_t opt = make_option(&c, "industry", "robotics", "机器人", "Robotics");
	assert_true(listed_option(&c, "industry", "robotics", false));
	unit_ctx_close(&c);

	/* a customer takes the option while it is current */
	unit_ctx_user(&c, o->db, o->e1);
	kh_record r;
	unit_customer_record(&r, &c.a, "机器人客户");
	record_set_text(&r, CF_INDUSTRY, "机器人");
	int64_t old_cust;
	UNIT_OK(svc_customer_create(&c.s, &r, NULL, 0, &old_cust), &c.e);
	int64_t other = unit_customer_new(&c, "别的客户", 0, NULL);
	unit_ctx_close(&c);

	/* the admin retires it */
	unit_ctx_system(&c, o->db);
	kh_record cur;
	UNIT_OK(svc_dict_get(&c.s, opt, &cur), &c.e);
	kh_record p;
	record_init(&p, &dict_option_entity, &c.a);
	record_set_int(&p, OF_RETIRED, 1);
	UNIT_OK(svc_dict_update(&c.s, opt, cur.v[F_VERSION].i, &p), &c.e);
	assert_false(listed_option(&c, "industry", "robotics", false));
	assert_true(listed_option(&c, "industry", "robotics", true));
	unit_ctx_close(&c);

	unit_ctx_user(&c, o->db, o->e1);
	/* not for a new customer */
	unit_customer_record(&r, &c.a, "新机器人客户");
	record_set_text(&r, CF_INDUSTRY, "robotics");
	int64_t id;
	assert_int_equal(svc_customer_create(&c.s, &r, NULL, 0, &id), -1);
	assert_true(unit_has_field_error(&c.e, "industry"));
	err_clear(&c.e);
	/* not for another customer's change */
	record_init(&p, &customer_entity, &c.a);
	record_set_text(&p, CF_INDUSTRY, "Robotics");
	assert_int_equal(svc_customer_update(&c.s, other, 1, &p), -1);
	assert_true(unit_has_field_error(&c.e, "industry"));
	err_clear(&c.e);
	/* the old record keeps it through other edits, even when it is given again */
	record_init(&p, &customer_entity, &c.a);
	record_set_text(&p, CF_CITY, "苏州");
	record_set_text(&p, CF_INDUSTRY, "robotics");
	UNIT_OK(svc_customer_update(&c.s, old_cust, 1, &p), &c.e);
	kh_record got;
	UNIT_OK(svc_customer_get(&c.s, old_cust, false, &got, NULL, NULL), &c.e);
	assert_string_equal(record_text(&got, CF_INDUSTRY), "robotics");
	assert_string_equal(record_text(&got, CF_CITY), "苏州");
	/* its label still renders */
	kh_lookup lk = svc_lookup(&c.s);
	json_t *j = record_to_json(&got, &lk, NULL, 0);
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(j, "industry"), "zh")), "机器人");
	json_decref(j);
	/* and lists still filter by it */
	list_page page;
	kv f[] = {{"industry", "robotics"}};
	UNIT_OK(svc_customer_list(&c.s, f, 1, &page), &c.e);
	assert_int_equal(page.n, 1);
	assert_int_equal(page.rows[0].v[F_ID].i, old_cust);
	unit_ctx_close(&c);
}

static void dictionary_options_are_checked(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	struct {
		const char *kind, *code, *field;
	} bad[] = {
	        {"industry", "Bad Code", "code"},
	        {"weather", "sunny", "kind"},
	        {"industry", "retail", "code"}, /* taken */
	        {"cf.nope", "x", "kind"},       /* no such custom field */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kh_record r;
		record_init(&r, &dict_option_entity, &c.a);
		record_set_text(&r, OF_KIND, bad[i].kind);
		record_set_text(&r, OF_CODE, bad[i].code);
		record_set_text(&r, OF_LABEL_ZH, "标签");
		record_set_text(&r, OF_LABEL_EN, "Label");
		int64_t id;
		err_clear(&c.e);
		if (svc_dict_create(&c.s, &r, &id) != -1 ||
		    !unit_has_field_error(&c.e, bad[i].field)) {
			unit_print_err(&c.e);
			fail_msg("%s.%s: no error for %s", bad[i].kind, bad[i].code, bad[i].field);
		}
	}
	/* a new option goes after the existing ones */
	int64_t id = make_option(&c, "source", "wechat_ads", "朋友圈广告", "WeChat ads");
	const dict_option **opts;
	int n;
	UNIT_OK(svc_dict_list(&c.s, "source", false, &opts, &n), &c.e);
	assert_true(n >= 2);
	assert_string_equal(opts[n - 1]->code, "wechat_ads");
	assert_int_equal(opts[n - 1]->id, id);
	/* kind and code are fixed once created */
	kh_record p;
	record_init(&p, &dict_option_entity, &c.a);
	record_set_text(&p, OF_CODE, "other_code");
	err_clear(&c.e);
	assert_int_equal(svc_dict_update(&c.s, id, 1, &p), -1);
	assert_true(unit_has_field_error(&c.e, "code"));
	unit_ctx_close(&c);
}

static void only_dictionary_managers_change_dictionaries(void **state)
{
	unit_org *o = *state;
	int64_t users[] = {o->e1, o->mgr, o->viewer, o->svc1};
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		unit_ctx c;
		unit_ctx_user(&c, o->db, users[i]);
		kh_record r;
		record_init(&r, &dict_option_entity, &c.a);
		record_set_text(&r, OF_KIND, "source");
		record_set_text(&r, OF_CODE, "sneaky");
		record_set_text(&r, OF_LABEL_ZH, "偷偷");
		record_set_text(&r, OF_LABEL_EN, "Sneaky");
		int64_t id;
		assert_int_equal(svc_dict_create(&c.s, &r, &id), -1);
		assert_int_equal(c.e.code, KH_EFORBIDDEN);
		/* but everyone logged in may read them */
		err_clear(&c.e);
		assert_true(listed_option(&c, "source", "online", false));
		unit_ctx_close(&c);
	}
}

/* ---- custom fields ---- */

static void custom_field_definitions_are_checked(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	make_field(&c, "contract_no", "text", false);
	struct {
		const char *key, *type, *field;
	} bad[] = {
	        {"Bad Key", "text", "key"},
	        {"name", "text", "key"},        /* a built-in field */
	        {"contract_no", "text", "key"}, /* taken */
	        {"shoe_size", "float", "type"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kh_record r;
		record_init(&r, &custom_field_entity, &c.a);
		record_set_text(&r, XF_KEY, bad[i].key);
		record_set_text(&r, XF_LABEL_ZH, "标签");
		record_set_text(&r, XF_LABEL_EN, "Label");
		record_set_text(&r, XF_TYPE, bad[i].type);
		int64_t id;
		err_clear(&c.e);
		if (svc_custom_field_create(&c.s, &r, &id) != -1 ||
		    !unit_has_field_error(&c.e, bad[i].field)) {
			unit_print_err(&c.e);
			fail_msg("key %s type %s: no error for %s", bad[i].key, bad[i].type,
			         bad[i].field);
		}
	}
	unit_ctx_close(&c);
	unit_ctx_user(&c, o->db, o->mgr);
	kh_record r;
	record_init(&r, &custom_field_entity, &c.a);
	record_set_text(&r, XF_KEY, "mgr_field");
	record_set_text(&r, XF_LABEL_ZH, "经理字段");
	record_set_text(&r, XF_LABEL_EN, "Manager field");
	record_set_text(&r, XF_TYPE, "text");
	int64_t id;
	assert_int_equal(svc_custom_field_create(&c.s, &r, &id), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	unit_ctx_close(&c);
}

static void custom_values_are_typed_and_stored(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	make_field(&c, "employees", "number", false);
	make_field(&c, "sign_date", "date", false);
	make_field(&c, "vip", "bool", false);
	make_field(&c, "budget", "money", false);
	make_field(&c, "tier", "dict", false);
	make_field(&c, "labels", "tags", false);
	make_option(&c, "cf.tier", "gold", "金牌", "Gold");
	make_option(&c, "cf.tier", "silver", "银牌", "Silver");
	/* dictionary options only for dictionary fields */
	kh_record r;
	record_init(&r, &dict_option_entity, &c.a);
	record_set_text(&r, OF_KIND, "cf.employees");
	record_set_text(&r, OF_CODE, "many");
	record_set_text(&r, OF_LABEL_ZH, "很多");
	record_set_text(&r, OF_LABEL_EN, "Many");
	int64_t id;
	assert_int_equal(svc_dict_create(&c.s, &r, &id), -1);
	assert_true(unit_has_field_error(&c.e, "kind"));
	unit_ctx_close(&c);

	unit_ctx_user(&c, o->db, o->e1);
	unit_customer_record(&r, &c.a, "自定义字段客户");
	record_set_text(&r, CF_CUSTOM,
	                "{\"employees\":120,\"sign_date\":\"2024-05-10\",\"vip\":true,"
	                "\"budget\":100000,\"contract_no\":\" HT-001 \",\"tier\":\"金牌\","
	                "\"labels\":[\"a\",\"b\"]}");
	UNIT_OK(svc_customer_create(&c.s, &r, NULL, 0, &id), &c.e);
	kh_record got;
	UNIT_OK(svc_customer_get(&c.s, id, false, &got, NULL, NULL), &c.e);
	json_t *cf = json_loads(record_text(&got, CF_CUSTOM), 0, NULL);
	assert_non_null(cf);
	assert_int_equal(json_integer_value(json_object_get(cf, "employees")), 120);
	assert_string_equal(json_string_value(json_object_get(cf, "sign_date")), "2024-05-10");
	assert_true(json_is_true(json_object_get(cf, "vip")));
	assert_int_equal(json_integer_value(json_object_get(cf, "budget")), 100000);
	assert_string_equal(json_string_value(json_object_get(cf, "contract_no")), "HT-001");
	assert_string_equal(json_string_value(json_object_get(cf, "tier")), "gold");
	assert_int_equal(json_array_size(json_object_get(cf, "labels")), 2);
	json_decref(cf);

	/* an update merges: given keys change, null removes, the rest stay */
	kh_record p;
	record_init(&p, &customer_entity, &c.a);
	record_set_text(&p, CF_CUSTOM, "{\"vip\":false,\"employees\":null,\"tier\":\"silver\"}");
	UNIT_OK(svc_customer_update(&c.s, id, 1, &p), &c.e);
	UNIT_OK(svc_customer_get(&c.s, id, false, &got, NULL, NULL), &c.e);
	cf = json_loads(record_text(&got, CF_CUSTOM), 0, NULL);
	assert_true(json_is_false(json_object_get(cf, "vip")));
	assert_null(json_object_get(cf, "employees"));
	assert_string_equal(json_string_value(json_object_get(cf, "tier")), "silver");
	assert_string_equal(json_string_value(json_object_get(cf, "sign_date")), "2024-05-10");
	json_decref(cf);

	/* lists filter on them */
	list_page page;
	kv f[] = {{"custom.tier", "silver"}};
	UNIT_OK(svc_customer_list(&c.s, f, 1, &page), &c.e);
	assert_int_equal(page.n, 1);
	assert_int_equal(page.rows[0].v[F_ID].i, id);
	unit_ctx_close(&c);
}

static void bad_custom_values_name_their_field(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	kh_record r;
	unit_customer_record(&r, &c.a, "自定义字段错误");
	record_set_text(&r, CF_CUSTOM,
	                "{\"employees\":\"many\",\"sign_date\":\"2024-02-30\",\"vip\":\"yes\","
	                "\"budget\":12.5,\"tier\":\"platinum\",\"labels\":\"a\",\"nope\":1}");
	int64_t id;
	assert_int_equal(svc_customer_create(&c.s, &r, NULL, 0, &id), -1);
	assert_int_equal(c.e.code, KH_EINVAL);
	const char *want[] = {"custom.employees", "custom.sign_date", "custom.vip", "custom.budget",
	                      "custom.tier",      "custom.labels",    "custom.nope"};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!unit_has_field_error(&c.e, want[i])) {
			unit_print_err(&c.e);
			fail_msg("no error for %s", want[i]);
		}
	unit_ctx_close(&c);
}

static void required_custom_fields_until_retired(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e2);
	int64_t before = unit_customer_new(&c, "必填前", 0, NULL);
	unit_ctx_close(&c);

	unit_ctx_system(&c, o->db);
	int64_t def = make_field(&c, "region_code", "text", true);
	unit_ctx_close(&c);

	/* older customers are not blocked from unrelated edits */
	unit_ctx_user(&c, o->db, o->e2);
	kh_record p0;
	record_init(&p0, &customer_entity, &c.a);
	record_set_text(&p0, CF_CITY, "佛山");
	UNIT_OK(svc_customer_update(&c.s, before, 1, &p0), &c.e);
	unit_ctx_close(&c);

	unit_ctx_user(&c, o->db, o->e2);
	kh_record r;
	unit_customer_record(&r, &c.a, "缺少必填自定义字段");
	int64_t id;
	assert_int_equal(svc_customer_create(&c.s, &r, NULL, 0, &id), -1);
	assert_true(unit_has_field_error(&c.e, "custom.region_code"));
	err_clear(&c.e);
	unit_customer_record(&r, &c.a, "有必填自定义字段");
	record_set_text(&r, CF_CUSTOM, "{\"region_code\":\"GD-01\"}");
	UNIT_OK(svc_customer_create(&c.s, &r, NULL, 0, &id), &c.e);
	unit_ctx_close(&c);

	/* retired: no longer required, and no longer accepted */
	unit_ctx_system(&c, o->db);
	kh_record cur;
	UNIT_OK(svc_custom_field_get(&c.s, def, &cur), &c.e);
	kh_record p;
	record_init(&p, &custom_field_entity, &c.a);
	record_set_int(&p, XF_RETIRED, 1);
	UNIT_OK(svc_custom_field_update(&c.s, def, cur.v[F_VERSION].i, &p), &c.e);
	unit_ctx_close(&c);

	unit_ctx_user(&c, o->db, o->e2);
	unit_customer_record(&r, &c.a, "退役后");
	UNIT_OK(svc_customer_create(&c.s, &r, NULL, 0, &id), &c.e);
	unit_customer_record(&r, &c.a, "退役后带值");
	record_set_text(&r, CF_CUSTOM, "{\"region_code\":\"GD-02\"}");
	assert_int_equal(svc_customer_create(&c.s, &r, NULL, 0, &id), -1);
	assert_true(unit_has_field_error(&c.e, "custom.region_code"));
	unit_ctx_close(&c);
}

/* ---- departments ---- */

static void department_prefixes_and_loops_are_checked(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	kh_record d;
	record_init(&d, &department_entity, &c.a);
	record_set_text(&d, DF_NAME, "坏前缀部");
	record_set_text(&d, DF_CODE_PREFIX, "X-S");
	int64_t id;
	assert_int_equal(svc_dept_create(&c.s, &d, &id), -1);
	assert_true(unit_has_field_error(&c.e, "code_prefix"));
	err_clear(&c.e);

	int64_t north = unit_make_dept(&c, "华北销售组", o->sales, "bj");
	kh_record got;
	UNIT_OK(svc_dept_get(&c.s, north, &got), &c.e);
	assert_string_equal(record_text(&got, DF_CODE_PREFIX), "BJ"); /* upper-cased */

	/* the sales department cannot move under its own sub-department */
	UNIT_OK(svc_dept_get(&c.s, o->sales, &got), &c.e);
	kh_record p;
	record_init(&p, &department_entity, &c.a);
	record_set_int(&p, DF_PARENT, north);
	assert_int_equal(svc_dept_update(&c.s, o->sales, got.v[F_VERSION].i, &p), -1);
	assert_true(unit_has_field_error(&c.e, "parent"));
	err_clear(&c.e);
	record_init(&p, &department_entity, &c.a);
	record_set_int(&p, DF_PARENT, 987654);
	assert_int_equal(svc_dept_update(&c.s, o->sales, got.v[F_VERSION].i, &p), -1);
	assert_true(unit_has_field_error(&c.e, "parent"));
	err_clear(&c.e);

	/* a department with people or children stays; an empty one may go */
	assert_int_equal(svc_dept_delete(&c.s, o->east, 1), -1);
	assert_int_equal(c.e.code, KH_EBADREQ);
	err_clear(&c.e);
	assert_int_equal(svc_dept_delete(&c.s, o->sales, 1), -1);
	assert_int_equal(c.e.code, KH_EBADREQ);
	err_clear(&c.e);
	UNIT_OK(svc_dept_get(&c.s, north, &got), &c.e);
	UNIT_OK(svc_dept_delete(&c.s, north, got.v[F_VERSION].i), &c.e);
	kh_record *rows;
	int n;
	UNIT_OK(svc_dept_list(&c.s, &rows, &n), &c.e);
	for (int i = 0; i < n; i++)
		assert_int_not_equal(rows[i].v[F_ID].i, north);
	unit_ctx_close(&c);
}

/* ---- users ---- */

static void user_records_are_checked(void **state)
{
	unit_org *o = *state;
	struct {
		const char *username, *role, *scope, *password, *field;
	} bad[] = {
	        {"e1", "sales", NULL, UNIT_PASSWORD, "username"}, /* taken */
	        {"Bad Name", "sales", NULL, UNIT_PASSWORD, "username"},
	        {"newbie", "boss", NULL, UNIT_PASSWORD, "role"},
	        {"newbie", "sales", "galaxy", UNIT_PASSWORD, "scope"},
	        {"newbie", "sales", NULL, "short", "password"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_ctx c;
		unit_ctx_system(&c, o->db);
		kh_record u;
		record_init(&u, &user_entity, &c.a);
		record_set_text(&u, UF_USERNAME, bad[i].username);
		record_set_text(&u, UF_DISPLAY_NAME, "新人");
		record_set_text(&u, UF_ROLE, bad[i].role);
		if (bad[i].scope)
			record_set_text(&u, UF_SCOPE, bad[i].scope);
		const char *gen;
		int64_t id;
		if (svc_user_create(&c.s, &u, bad[i].password, &gen, &id) != -1 ||
		    !unit_has_field_error(&c.e, bad[i].field)) {
			unit_print_err(&c.e);
			fail_msg("user %s: no error for %s", bad[i].username, bad[i].field);
		}
		unit_ctx_close(&c);
	}
	/* without a password one is generated */
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	kh_record u;
	record_init(&u, &user_entity, &c.a);
	record_set_text(&u, UF_USERNAME, "generated");
	record_set_text(&u, UF_DISPLAY_NAME, "生成密码");
	record_set_text(&u, UF_ROLE, "viewer");
	const char *gen = NULL;
	int64_t id;
	UNIT_OK(svc_user_create(&c.s, &u, NULL, &gen, &id), &c.e);
	assert_non_null(gen);
	assert_true(strlen(gen) >= 8);
	char password[64];
	snprintf(password, sizeof(password), "%s", gen); /* gen lives in the context's arena */
	unit_ctx_close(&c);
	/* and it logs in */
	unit_ctx_open(&c, o->db);
	login_result lr;
	UNIT_OK(svc_login(&c.s, "generated", password, &lr), &c.e);
	assert_non_null(lr.token);
	unit_ctx_close(&c);
}

static void supervisors_cannot_form_a_loop(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	kh_record cur;
	UNIT_OK(svc_user_get(&c.s, o->lead, &cur), &c.e);
	kh_record p;
	record_init(&p, &user_entity, &c.a);
	record_set_int(&p, UF_SUPERVISOR, o->e2); /* e2 -> e1 -> lead */
	assert_int_equal(svc_user_update(&c.s, o->lead, cur.v[F_VERSION].i, &p), -1);
	assert_true(unit_has_field_error(&c.e, "supervisor"));
	err_clear(&c.e);
	record_init(&p, &user_entity, &c.a);
	record_set_int(&p, UF_SUPERVISOR, o->lead); /* oneself */
	assert_int_equal(svc_user_update(&c.s, o->lead, cur.v[F_VERSION].i, &p), -1);
	assert_true(unit_has_field_error(&c.e, "supervisor"));
	unit_ctx_close(&c);
}

static void people_change_their_own_details_but_not_their_powers(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	kh_record cur;
	UNIT_OK(svc_user_get(&c.s, o->e1, &cur), &c.e);
	kh_record p;
	record_init(&p, &user_entity, &c.a);
	record_set_text(&p, UF_DISPLAY_NAME, "一号销售");
	record_set_text(&p, UF_PHONE, "138 0000 1111");
	UNIT_OK(svc_user_update(&c.s, o->e1, cur.v[F_VERSION].i, &p), &c.e);
	UNIT_OK(svc_user_get(&c.s, o->e1, &cur), &c.e);
	assert_string_equal(record_text(&cur, UF_DISPLAY_NAME), "一号销售");
	assert_string_equal(record_text(&cur, UF_PHONE), "13800001111");

	const int powers[] = {UF_ROLE, UF_SCOPE, UF_DEPARTMENT, UF_SUPERVISOR, UF_DISABLED};
	for (size_t i = 0; i < sizeof(powers) / sizeof(powers[0]); i++) {
		record_init(&p, &user_entity, &c.a);
		if (powers[i] == UF_ROLE)
			record_set_text(&p, UF_ROLE, "admin");
		else if (powers[i] == UF_SCOPE)
			record_set_text(&p, UF_SCOPE, "all");
		else if (powers[i] == UF_DEPARTMENT)
			record_set_int(&p, UF_DEPARTMENT, o->hq);
		else if (powers[i] == UF_SUPERVISOR)
			record_set_null(&p, UF_SUPERVISOR);
		else
			record_set_int(&p, UF_DISABLED, 0);
		err_clear(&c.e);
		assert_int_equal(svc_user_update(&c.s, o->e1, cur.v[F_VERSION].i, &p), -1);
		assert_true(unit_has_field_error(&c.e, user_entity.fields[powers[i]].name));
	}
	/* nor anyone else's details */
	err_clear(&c.e);
	kh_record other;
	UNIT_OK(svc_user_get(&c.s, o->e2, &other), &c.e);
	record_init(&p, &user_entity, &c.a);
	record_set_text(&p, UF_DISPLAY_NAME, "改别人");
	assert_int_equal(svc_user_update(&c.s, o->e2, other.v[F_VERSION].i, &p), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	unit_ctx_close(&c);
}

static void passwords_change_with_the_old_one(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->s1);
	assert_int_equal(svc_user_password(&c.s, o->s1, "wrong-old-pass", "brand-new-pass"), -1);
	assert_true(unit_has_field_error(&c.e, "old_password"));
	err_clear(&c.e);
	assert_int_equal(svc_user_password(&c.s, o->s1, UNIT_PASSWORD, "short"), -1);
	assert_true(unit_has_field_error(&c.e, "password"));
	err_clear(&c.e);
	UNIT_OK(svc_user_password(&c.s, o->s1, UNIT_PASSWORD, "brand-new-pass"), &c.e);
	/* sales cannot set someone else's */
	assert_int_equal(svc_user_password(&c.s, o->e1, NULL, "brand-new-pass"), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	unit_ctx_close(&c);

	unit_ctx_open(&c, o->db);
	login_result lr;
	assert_int_equal(svc_login(&c.s, "s1", UNIT_PASSWORD, &lr), -1);
	assert_int_equal(c.e.code, KH_EAUTH);
	err_clear(&c.e);
	UNIT_OK(svc_login(&c.s, "s1", "brand-new-pass", &lr), &c.e);
	unit_ctx_close(&c);
}

/* Change a role as c's actor, at its current version; returns the result. */
static int set_role(unit_ctx *c, const char *code, uint32_t perms, kh_scope scope)
{
	return unit_role_update(&c->s, code, unit_role_version(c, code), perms, scope);
}

static void roles_can_be_changed_but_admin_keeps_user_management(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	assert_int_equal(set_role(&c, "viewer", PERM_CUSTOMER_READ, SCOPE_ALL), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	unit_ctx_close(&c);

	unit_ctx_system(&c, o->db);
	assert_int_equal(set_role(&c, "admin", PERM_CUSTOMER_READ, SCOPE_ALL), -1);
	assert_true(unit_has_field_error(&c.e, "permissions"));
	err_clear(&c.e);
	assert_int_equal(unit_role_update(&c.s, "boss", 1, PERM_CUSTOMER_READ, SCOPE_ALL), -1);
	assert_int_equal(c.e.code, KH_ENOTFOUND);
	err_clear(&c.e);
	/* viewers may now see every department and unmasked phones */
	int64_t v = unit_role_version(&c, "viewer");
	UNIT_OK(set_role(&c, "viewer", PERM_CUSTOMER_READ | PERM_PII_UNMASK, SCOPE_ALL), &c.e);
	role_row *roles;
	int n;
	UNIT_OK(svc_role_list(&c.s, &roles, &n), &c.e);
	assert_int_equal(n, 6);
	assert_string_equal(roles[0].code, "admin");
	assert_int_equal(unit_role_version(&c, "viewer"), v + 1);
	/* a second admin still holding the old version conflicts */
	assert_int_equal(unit_role_update(&c.s, "viewer", v, PERM_CUSTOMER_READ, SCOPE_DEPT), -1);
	assert_int_equal(c.e.code, KH_ECONFLICT);
	unit_ctx_close(&c);

	unit_ctx_user(&c, o->db, o->viewer);
	assert_true(svc_can(&c.s, PERM_PII_UNMASK));
	assert_int_equal(c.s.actor.scope, SCOPE_ALL);
	unit_ctx_close(&c);

	/* back to the default */
	unit_ctx_system(&c, o->db);
	UNIT_OK(set_role(&c, "viewer", PERM_CUSTOMER_READ, SCOPE_DEPT), &c.e);
	unit_ctx_close(&c);
	unit_ctx_user(&c, o->db, o->viewer);
	assert_false(svc_can(&c.s, PERM_PII_UNMASK));
	assert_int_equal(c.s.actor.scope, SCOPE_DEPT);
	unit_ctx_close(&c);
}

static void the_last_administrator_cannot_be_demoted(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->admin);
	kh_record cur;
	UNIT_OK(svc_user_get(&c.s, o->admin, &cur), &c.e);
	kh_record p;
	record_init(&p, &user_entity, &c.a);
	record_set_text(&p, UF_ROLE, "viewer");
	assert_int_equal(svc_user_update(&c.s, o->admin, cur.v[F_VERSION].i, &p), -1);
	assert_int_equal(c.e.code, KH_EBADREQ);
	err_clear(&c.e);
	record_init(&p, &user_entity, &c.a);
	record_set_int(&p, UF_DISABLED, 1);
	assert_int_equal(svc_user_update(&c.s, o->admin, cur.v[F_VERSION].i, &p), -1);
	assert_int_equal(c.e.code, KH_EBADREQ);
	unit_ctx_close(&c);
}

static void disabled_users_cannot_act(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	kh_record cur;
	UNIT_OK(svc_user_get(&c.s, o->viewer_sales, &cur), &c.e);
	kh_record p;
	record_init(&p, &user_entity, &c.a);
	record_set_int(&p, UF_DISABLED, 1);
	UNIT_OK(svc_user_update(&c.s, o->viewer_sales, cur.v[F_VERSION].i, &p), &c.e);
	unit_ctx_close(&c);

	unit_ctx_open(&c, o->db);
	assert_int_equal(svc_act_as(&c.s, o->viewer_sales), -1);
	assert_int_equal(c.e.code, KH_EAUTH);
	err_clear(&c.e);
	login_result lr;
	assert_int_equal(svc_login(&c.s, "viewer_sales", UNIT_PASSWORD, &lr), -1);
	assert_int_equal(c.e.code, KH_EAUTH);
	unit_ctx_close(&c);
	/* and cannot be given customers */
	unit_ctx_system(&c, o->db);
	kh_record r;
	unit_customer_record(&r, &c.a, "给停用账号的客户");
	record_set_int(&r, CF_OWNER, o->viewer_sales);
	int64_t id;
	assert_int_equal(svc_customer_create(&c.s, &r, NULL, 0, &id), -1);
	assert_true(unit_has_field_error(&c.e, "owner"));
	unit_ctx_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(a_retired_option_is_refused_for_new_values_but_kept_on_old_ones),
	        cmocka_unit_test(dictionary_options_are_checked),
	        cmocka_unit_test(only_dictionary_managers_change_dictionaries),
	        cmocka_unit_test(custom_field_definitions_are_checked),
	        cmocka_unit_test(custom_values_are_typed_and_stored),
	        cmocka_unit_test(bad_custom_values_name_their_field),
	        cmocka_unit_test(required_custom_fields_until_retired),
	        cmocka_unit_test(department_prefixes_and_loops_are_checked),
	        cmocka_unit_test(user_records_are_checked),
	        cmocka_unit_test(supervisors_cannot_form_a_loop),
	        cmocka_unit_test(people_change_their_own_details_but_not_their_powers),
	        cmocka_unit_test(passwords_change_with_the_old_one),
	        cmocka_unit_test(roles_can_be_changed_but_admin_keeps_user_management),
	        cmocka_unit_test(the_last_administrator_cannot_be_demoted),
	        cmocka_unit_test(disabled_users_cannot_act),
	};
	return cmocka_run_group_tests(tests, unit_org_setup, unit_org_teardown);
}
