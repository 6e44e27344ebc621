/*
 * test_record_json — records to JSON and back: the output shapes (money as
 * integer fen, dictionaries as {code, zh, en}, users as {id, name}, tags
 * as arrays, absent values left out), a round trip that loses nothing,
 * the input shapes accepted (codes, label objects, usernames), and the
 * field errors for unknown fields, wrong types and fractional money.
 */
#include "unit.h"

#include "core/customer.h"
#include "core/record_json.h"

typedef struct fx {
	arena a;
	kh_err e;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));
	arena_init(&f->a);
	err_init(&f->e, &f->a, KH_LANG_EN);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	arena_release(&f->a);
	free(f);
	return 0;
}

/* Parse text into a customer record; returns record_from_json's result. */
static int parse(fx *f, const char *text, kh_record *out)
{
	json_error_t jerr;
	json_t *j = json_loads(text, JSON_ALLOW_NUL, &jerr);
	if (!j)
		fail_msg("test JSON does not parse: %s", jerr.text);
	err_clear(&f->e);
	int rc = record_from_json(out, &customer_entity, j, NULL, NULL, &f->a, &f->e);
	json_decref(j);
	return rc;
}

static bool lk_dict(void *ud, const char *kind, const char *code, const char **zh, const char **en)
{
	(void)ud;
	if (!strcmp(kind, "customer_kind") && !strcmp(code, "enterprise")) {
		*zh = "企业客户";
		*en = "Enterprise";
		return true;
	}
	return false;
}

static const char *lk_user(void *ud, int64_t id)
{
	(void)ud;
	return id == 7 ? "张伟" : NULL;
}

static const char *lk_dept(void *ud, int64_t id)
{
	(void)ud;
	return id == 3 ? "销售部" : NULL;
}

static void output_shapes(void **state)
{
	fx *f = *state;
	kh_record r;
	record_init(&r, &customer_entity, &f->a);
	record_set_int(&r, F_ID, 12);
	record_set_text(&r, CF_NAME, "深圳市腾云科技有限公司");
	record_set_text(&r, CF_KIND, "enterprise");
	record_set_int(&r, CF_CONTRACT_AMOUNT, 1234560);
	record_set_int(&r, CF_OWNER, 7);
	record_set_int(&r, CF_DEPARTMENT, 3);
	record_set_text(&r, CF_TAGS, "[\"重点合作\"]");
	record_set_int(&r, CF_ARCHIVED, 0);
	record_set_null(&r, CF_CITY);
	kh_lookup lk = {NULL, lk_dict, lk_user, lk_dept};
	json_t *j = record_to_json(&r, &lk, NULL, 0);

	assert_int_equal(json_integer_value(json_object_get(j, "id")), 12);
	assert_string_equal(json_string_value(json_object_get(j, "name")),
	                    "深圳市腾云科技有限公司");
	json_t *amount = json_object_get(j, "contract_amount");
	assert_true(json_is_integer(amount));
	assert_int_equal(json_integer_value(amount), 1234560);
	json_t *kind = json_object_get(j, "kind");
	assert_string_equal(json_string_value(json_object_get(kind, "code")), "enterprise");
	assert_string_equal(json_string_value(json_object_get(kind, "zh")), "企业客户");
	assert_string_equal(json_string_value(json_object_get(kind, "en")), "Enterprise");
	json_t *owner = json_object_get(j, "owner");
	assert_int_equal(json_integer_value(json_object_get(owner, "id")), 7);
	assert_string_equal(json_string_value(json_object_get(owner, "name")), "张伟");
	json_t *dept = json_object_get(j, "department");
	assert_string_equal(json_string_value(json_object_get(dept, "name")), "销售部");
	json_t *tags = json_object_get(j, "tags");
	assert_true(json_is_array(tags));
	assert_string_equal(json_string_value(json_array_get(tags, 0)), "重点合作");
	assert_true(json_is_false(json_object_get(j, "archived")));
	assert_true(json_is_null(json_object_get(j, "city")));
	/* absent values are left out entirely */
	assert_null(json_object_get(j, "remarks"));
	assert_null(json_object_get(j, "personal_profile"));
	json_decref(j);
}

static void single_values_convert_like_whole_records(void **state)
{
	fx *f = *state;
	(void)f;
	const kh_field *fields = customer_entity.fields;
	kh_value text = {.state = V_SET, .s = "深圳"};
	kh_value money = {.state = V_SET, .i = 1234560};
	kh_value yes = {.state = V_SET, .i = 1};
	kh_value date = {.state = V_SET, .s = "2024-05-10"};
	kh_value dict = {.state = V_SET, .s = "retail"};
	kh_value null = {.state = V_NULL};
	kh_value absent = {.state = V_ABSENT};

	json_t *j = value_to_json(&fields[CF_CITY], &text, NULL);
	assert_true(json_is_string(j));
	assert_string_equal(json_string_value(j), "深圳");
	json_decref(j);
	j = value_to_json(&fields[CF_CONTRACT_AMOUNT], &money, NULL);
	assert_true(json_is_integer(j));
	assert_int_equal(json_integer_value(j), 1234560);
	json_decref(j);
	j = value_to_json(&fields[CF_LOCKED], &yes, NULL);
	assert_true(json_is_true(j));
	json_decref(j);
	j = value_to_json(&fields[CF_FIRST_CONTACT_DATE], &date, NULL);
	assert_string_equal(json_string_value(j), "2024-05-10");
	json_decref(j);
	j = value_to_json(&fields[CF_INDUSTRY], &dict, NULL);
	assert_string_equal(json_string_value(j), "retail"); /* the stored form */
	json_decref(j);
	j = value_to_json(&fields[CF_CITY], &null, NULL);
	assert_true(json_is_null(j));
	json_decref(j);
	assert_null(value_to_json(&fields[CF_CITY], &absent, NULL));
}

static void output_without_lookup_is_the_stored_form(void **state)
{
	fx *f = *state;
	/* record_json.h: lk NULL writes a dictionary code as a string, a user
	 * or department as its id (what the audit log keeps) */
	kh_record r;
	record_init(&r, &customer_entity, &f->a);
	record_set_text(&r, CF_INDUSTRY, "retail");
	record_set_int(&r, CF_OWNER, 9);
	record_set_int(&r, CF_DEPARTMENT, 3);
	json_t *j = record_to_json(&r, NULL, NULL, 0);
	assert_string_equal(json_string_value(json_object_get(j, "industry")), "retail");
	assert_true(json_is_integer(json_object_get(j, "owner")));
	assert_int_equal(json_integer_value(json_object_get(j, "owner")), 9);
	assert_int_equal(json_integer_value(json_object_get(j, "department")), 3);
	/* and it reads back */
	kh_record back;
	err_clear(&f->e);
	json_object_del(j, "department"); /* derived: not input */
	UNIT_OK(record_from_json(&back, &customer_entity, j, NULL, NULL, &f->a, &f->e), &f->e);
	assert_string_equal(record_text(&back, CF_INDUSTRY), "retail");
	assert_int_equal(record_int(&back, CF_OWNER, 0), 9);
	json_decref(j);
}

static void output_can_pick_fields(void **state)
{
	fx *f = *state;
	kh_record r;
	record_init(&r, &customer_entity, &f->a);
	record_set_int(&r, F_ID, 1);
	record_set_text(&r, CF_NAME, "a");
	record_set_text(&r, CF_CITY, "b");
	int fields[] = {F_ID, CF_CITY};
	json_t *j = record_to_json(&r, NULL, fields, 2);
	assert_int_equal(json_object_size(j), 2);
	assert_null(json_object_get(j, "name"));
	assert_string_equal(json_string_value(json_object_get(j, "city")), "b");
	json_decref(j);
}

static void round_trip_keeps_every_value(void **state)
{
	fx *f = *state;
	kh_record r, back;
	record_init(&r, &customer_entity, &f->a);
	record_set_text(&r, CF_NAME, "北京华信贸易有限公司");
	record_set_text(&r, CF_CODE, "XS2024001");
	record_set_text(&r, CF_KIND, "enterprise");
	record_set_text(&r, CF_STATUS, "active");
	record_set_text(&r, CF_FIRST_CONTACT_DATE, "2024-05-10");
	record_set_int(&r, CF_CONTRACT_AMOUNT, 99);
	record_set_int(&r, CF_DISTANCE_KM, 12);
	record_set_int(&r, CF_OWNER, 7);
	record_set_int(&r, CF_LOCKED, 1);
	record_set_text(&r, CF_TAGS, "[\"重点合作\",\"潜力开发\"]");
	record_set_text(&r, CF_CUSTOM, "{\"employees\":120}");
	record_set_text(&r, CF_REQUIREMENT, "多行\n文本");
	record_set_null(&r, CF_REMARKS);
	kh_lookup lk = {NULL, lk_dict, lk_user, lk_dept};
	json_t *j = record_to_json(&r, &lk, NULL, 0);
	/* the department is derived: leave it out for input */
	err_clear(&f->e);
	int rc = record_from_json(&back, &customer_entity, j, NULL, NULL, &f->a, &f->e);
	if (rc != 0)
		unit_print_err(&f->e);
	assert_int_equal(rc, 0);
	json_decref(j);
	for (int i = 0; i < customer_entity.nfields; i++) {
		const kh_field *fd = &customer_entity.fields[i];
		if (r.v[i].state != back.v[i].state)
			fail_msg("%s: state %d came back as %d", fd->name, r.v[i].state,
			         back.v[i].state);
		if (fd->type == FT_TAGS || fd->type == FT_CUSTOM)
			continue; /* compared as JSON below */
		if (!value_equal(fd->type, &r.v[i], &back.v[i]))
			fail_msg("%s changed in the round trip", fd->name);
	}
	json_t *t1 = json_loads(record_text(&r, CF_TAGS), 0, NULL);
	json_t *t2 = json_loads(record_text(&back, CF_TAGS), 0, NULL);
	assert_true(json_equal(t1, t2));
	json_decref(t1);
	json_decref(t2);
	t1 = json_loads(record_text(&r, CF_CUSTOM), 0, NULL);
	t2 = json_loads(record_text(&back, CF_CUSTOM), 0, NULL);
	assert_true(json_equal(t1, t2));
	json_decref(t1);
	json_decref(t2);
}

static void input_accepts_codes_labels_objects_and_usernames(void **state)
{
	fx *f = *state;
	kh_record r;
	assert_int_equal(
	        parse(f,
	              "{\"kind\": {\"code\": \"enterprise\", \"zh\": \"企业客户\", \"en\": "
	              "\"Enterprise\"}, \"industry\": \"零售业\", \"owner\": \"zhang.wei\", "
	              "\"previous_owner\": {\"id\": 5, \"name\": \"x\"}, \"region\": null}",
	              &r),
	        0);
	assert_string_equal(record_text(&r, CF_KIND), "enterprise");
	/* a label is kept for the service layer to resolve */
	assert_string_equal(record_text(&r, CF_INDUSTRY), "零售业");
	assert_int_equal(r.v[CF_OWNER].state, V_SET);
	assert_string_equal(r.v[CF_OWNER].s, "zhang.wei");
	assert_int_equal(record_int(&r, CF_PREVIOUS_OWNER, 0), 5);
	assert_int_equal(r.v[CF_REGION].state, V_NULL);
	assert_int_equal(r.v[CF_NAME].state, V_ABSENT);
}

static void unknown_fields_are_named(void **state)
{
	fx *f = *state;
	kh_record r;
	assert_int_equal(parse(f, "{\"name\": \"a\", \"nmae\": \"b\", \"phone\": \"1\"}", &r), -1);
	assert_true(f->e.code == KH_EBADREQ || f->e.code == KH_EINVAL);
	assert_true(unit_has_field_error(&f->e, "nmae"));
	assert_true(unit_has_field_error(&f->e, "phone"));
	assert_false(unit_has_field_error(&f->e, "name"));
	assert_string_equal(record_text(&r, CF_NAME), "a");
}

static void wrong_types_are_named(void **state)
{
	fx *f = *state;
	struct {
		const char *json, *field;
	} cases[] = {
	        {"{\"name\": 123}", "name"},
	        {"{\"name\": [\"a\"]}", "name"},
	        {"{\"first_contact_date\": 20240510}", "first_contact_date"},
	        {"{\"distance_km\": \"12\"}", "distance_km"},
	        {"{\"distance_km\": 1.5}", "distance_km"},
	        {"{\"archived\": \"yes\"}", "archived"},
	        {"{\"archived\": 1}", "archived"},
	        {"{\"tags\": \"a,b\"}", "tags"},
	        {"{\"custom\": [1]}", "custom"},
	        {"{\"kind\": 5}", "kind"},
	        {"{\"kind\": {\"zh\": \"企业客户\"}}", "kind"},
	        {"{\"kind\": [\"enterprise\"]}", "kind"},
	        {"{\"owner\": true}", "owner"},
	        {"{\"owner\": {\"name\": \"zhang\"}}", "owner"},
	        {"{\"department\": \"销售部\"}", "department"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		kh_record r;
		if (parse(f, cases[i].json, &r) != -1 ||
		    !unit_has_field_error(&f->e, cases[i].field))
			fail_msg("%s: no error for %s", cases[i].json, cases[i].field);
		assert_int_equal(f->e.nfields, 1);
	}
}

static void money_as_real_or_text_is_refused(void **state)
{
	fx *f = *state;
	const char *bad[] = {"{\"contract_amount\": 12.5}", "{\"contract_amount\": 100.0}",
	                     "{\"contract_amount\": \"12,345.60\"}", "{\"contract_amount\": true}"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kh_record r;
		assert_int_equal(parse(f, bad[i], &r), -1);
		assert_true(unit_has_field_error(&f->e, "contract_amount"));
		assert_false(record_is_set(&r, CF_CONTRACT_AMOUNT));
	}
	kh_record r;
	assert_int_equal(parse(f, "{\"contract_amount\": 1234560}", &r), 0);
	assert_int_equal(record_int(&r, CF_CONTRACT_AMOUNT, 0), 1234560);
}

static void embedded_nul_is_refused(void **state)
{
	fx *f = *state;
	kh_record r;
	assert_int_equal(parse(f, "{\"name\": \"a\\u0000b\"}", &r), -1);
	assert_true(unit_has_field_error(&f->e, "name"));
}

static void body_must_be_an_object(void **state)
{
	fx *f = *state;
	kh_record r;
	json_t *arr = json_array();
	err_clear(&f->e);
	assert_int_equal(record_from_json(&r, &customer_entity, arr, NULL, NULL, &f->a, &f->e), -1);
	assert_true(unit_has_field_error(&f->e, "body"));
	err_clear(&f->e);
	assert_int_equal(
	        record_from_json(&r, &contact_entity, arr, NULL, "contacts[0]", &f->a, &f->e), -1);
	assert_true(unit_has_field_error(&f->e, "contacts[0]"));
	json_decref(arr);
}

static void skipped_keys_and_prefixed_errors(void **state)
{
	fx *f = *state;
	json_t *j = json_loads("{\"name\": \"王芳\", \"phone\": 13812345678, \"contacts\": [], "
	                       "\"bogus\": 1}",
	                       0, NULL);
	const char *const skip[] = {"contacts", NULL};
	kh_record r;
	err_clear(&f->e);
	assert_int_equal(
	        record_from_json(&r, &contact_entity, j, skip, "contacts[1].", &f->a, &f->e), -1);
	assert_true(unit_has_field_error(&f->e, "contacts[1].phone")); /* a number, not text */
	assert_true(unit_has_field_error(&f->e, "contacts[1].bogus"));
	assert_false(unit_has_field_error(&f->e, "contacts[1].contacts"));
	assert_int_equal(f->e.nfields, 2);
	json_decref(j);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(output_shapes),
	        T(single_values_convert_like_whole_records),
	        T(output_without_lookup_is_the_stored_form),
	        T(output_can_pick_fields),
	        T(round_trip_keeps_every_value),
	        T(input_accepts_codes_labels_objects_and_usernames),
	        T(unknown_fields_are_named),
	        T(wrong_types_are_named),
	        T(money_as_real_or_text_is_refused),
	        T(embedded_nul_is_refused),
	        T(body_must_be_an_object),
	        T(skipped_keys_and_prefixed_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
