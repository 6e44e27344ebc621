/*
 * test_validate — the field rules every record obeys: required fields on
 * create, text trimmed and checked (UTF-8, control characters, length in
 * characters), dates, money and number ranges, tags cleaned and deduped,
 * fields a caller may not set (system, derived, read-only, create-only on
 * update), prefixed field names, and the entity checks (credit code,
 * phone, email) normalising what they accept.
 */
#include "unit.h"

#include "core/customer.h"
#include "core/validate.h"
#include "util/money.h"

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

static void valid_customer(kh_record *r, arena *a)
{
	record_init(r, &customer_entity, a);
	record_set_text(r, CF_NAME, "深圳市腾云科技有限公司");
	record_set_text(r, CF_SOURCE, "online");
	record_set_text(r, CF_STATUS, "potential");
	record_set_text(r, CF_FIRST_CONTACT_DATE, "2024-05-10");
	record_set_text(r, CF_REQUIREMENT, "需要CRM");
}

/* Validate r as a create; returns the result. */
static int create(fx *f, kh_record *r)
{
	err_clear(&f->e);
	return record_validate(r, NULL, 0, NULL, &f->a, &f->e);
}

static void a_complete_customer_is_valid(void **state)
{
	fx *f = *state;
	kh_record r;
	valid_customer(&r, &f->a);
	record_set_int(&r, CF_CONTRACT_AMOUNT, 1234560);
	record_set_text(&r, CF_CODE, "C202405001");
	assert_int_equal(create(f, &r), 0);
	assert_int_equal(f->e.code, KH_OK);
	assert_int_equal(f->e.nfields, 0);
}

static void create_names_every_missing_required_field(void **state)
{
	fx *f = *state;
	kh_record r;
	record_init(&r, &customer_entity, &f->a);
	assert_int_equal(create(f, &r), -1);
	assert_int_equal(f->e.code, KH_EINVAL);
	const char *required[] = {"name", "source", "status", "first_contact_date", "requirement"};
	for (size_t i = 0; i < 5; i++)
		if (!unit_has_field_error(&f->e, required[i]))
			fail_msg("no error for missing %s", required[i]);
	assert_int_equal(f->e.nfields, 5);
	assert_false(unit_has_field_error(&f->e, "kind"));
	/* the message names the field by its label */
	for (int i = 0; i < f->e.nfields; i++)
		if (!strcmp(f->e.fields[i].field, "name"))
			assert_string_equal(f->e.fields[i].message, "Customer name is required");
}

static void required_text_that_is_only_space_counts_as_missing(void **state)
{
	fx *f = *state;
	kh_record r;
	valid_customer(&r, &f->a);
	record_set_text(&r, CF_NAME, " \t\xe3\x80\x80 ");
	assert_int_equal(create(f, &r), -1);
	assert_true(unit_has_field_error(&f->e, "name"));
	valid_customer(&r, &f->a);
	record_set_null(&r, CF_SOURCE);
	assert_int_equal(create(f, &r), -1);
	assert_true(unit_has_field_error(&f->e, "source"));
}

static void update_needs_no_required_fields_but_cannot_clear_them(void **state)
{
	fx *f = *state;
	kh_record old, patch;
	valid_customer(&old, &f->a);
	record_init(&patch, &customer_entity, &f->a);
	record_set_text(&patch, CF_CITY, "深圳");
	err_clear(&f->e);
	assert_int_equal(record_validate(&patch, &old, 0, NULL, &f->a, &f->e), 0);
	record_set_null(&patch, CF_NAME);
	assert_int_equal(record_validate(&patch, &old, 0, NULL, &f->a, &f->e), -1);
	assert_true(unit_has_field_error(&f->e, "name"));
}

static void text_is_trimmed_and_empty_becomes_null(void **state)
{
	fx *f = *state;
	kh_record r;
	valid_customer(&r, &f->a);
	record_set_text(&r, CF_NAME, "  深圳市腾云科技有限公司\xe3\x80\x80");
	record_set_text(&r, CF_CITY, "   ");
	record_set_text(&r, CF_PRODUCTS, "\t服务器 ");
	assert_int_equal(create(f, &r), 0);
	assert_string_equal(record_text(&r, CF_NAME), "深圳市腾云科技有限公司");
	assert_int_equal(r.v[CF_CITY].state, V_NULL);
	assert_string_equal(record_text(&r, CF_PRODUCTS), "服务器");
}

static void text_length_counts_characters_not_bytes(void **state)
{
	fx *f = *state;
	/* name: at most 200 characters; 200 Chinese ones are 600 bytes */
	char name[201 * 3 + 1] = "";
	for (int i = 0; i < 200; i++)
		strcat(name, "客");
	kh_record r;
	valid_customer(&r, &f->a);
	record_set_text(&r, CF_NAME, arena_strdup(&f->a, name));
	assert_int_equal(create(f, &r), 0);
	strcat(name, "户");
	valid_customer(&r, &f->a);
	record_set_text(&r, CF_NAME, arena_strdup(&f->a, name));
	assert_int_equal(create(f, &r), -1);
	assert_true(unit_has_field_error(&f->e, "name"));
	/* a field with its own small maximum */
	valid_customer(&r, &f->a);
	record_set_text(&r, CF_CITY,
	                "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三");
	assert_int_equal(create(f, &r), -1);
	assert_true(unit_has_field_error(&f->e, "city"));
}

static void control_characters_are_refused(void **state)
{
	fx *f = *state;
	kh_record r;
	const char *bad[] = {"腾云\x01科技", "腾云\n科技", "腾云\x7f", "腾云\x1b[31m"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		valid_customer(&r, &f->a);
		record_set_text(&r, CF_NAME, bad[i]);
		assert_int_equal(create(f, &r), -1);
		assert_true(unit_has_field_error(&f->e, "name"));
	}
	/* a tab is fine on one line */
	valid_customer(&r, &f->a);
	record_set_text(&r, CF_NAME, "腾云\t科技");
	assert_int_equal(create(f, &r), 0);
}

static void long_text_keeps_newlines_and_drops_carriage_returns(void **state)
{
	fx *f = *state;
	kh_record r;
	valid_customer(&r, &f->a);
	record_set_text(&r, CF_REQUIREMENT, "第一行\r\n第二行\n");
	assert_int_equal(create(f, &r), 0);
	assert_string_equal(record_text(&r, CF_REQUIREMENT), "第一行\n第二行");
	valid_customer(&r, &f->a);
	record_set_text(&r, CF_REQUIREMENT, "bell\x07");
	assert_int_equal(create(f, &r), -1);
	assert_true(unit_has_field_error(&f->e, "requirement"));
}

static void invalid_utf8_is_refused(void **state)
{
	fx *f = *state;
	kh_record r;
	valid_customer(&r, &f->a);
	record_set_text(&r, CF_NAME, "\xc0\xaf");
	assert_int_equal(create(f, &r), -1);
	assert_true(unit_has_field_error(&f->e, "name"));
	valid_customer(&r, &f->a);
	record_set_text(&r, CF_KIND, "\xff");
	assert_int_equal(create(f, &r), -1);
	assert_true(unit_has_field_error(&f->e, "kind"));
}

static void dates_must_be_real_iso_dates(void **state)
{
	fx *f = *state;
	const char *bad[] = {"2024-02-30", "2024/05/10", "10.05.2024", "2024-5-1", "tomorrow"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kh_record r;
		valid_customer(&r, &f->a);
		record_set_text(&r, CF_FIRST_CONTACT_DATE, bad[i]);
		assert_int_equal(create(f, &r), -1);
		if (!unit_has_field_error(&f->e, "first_contact_date"))
			fail_msg("date \"%s\" accepted", bad[i]);
	}
	kh_record r;
	valid_customer(&r, &f->a);
	record_set_text(&r, CF_NEXT_STEP_DUE, "2024-02-29");
	assert_int_equal(create(f, &r), 0);
}

static void money_and_numbers_stay_in_range(void **state)
{
	fx *f = *state;
	kh_record r;
	valid_customer(&r, &f->a);
	record_set_int(&r, CF_CONTRACT_AMOUNT, MONEY_MAX_FEN);
	record_set_int(&r, CF_DISTANCE_KM, 100000);
	assert_int_equal(create(f, &r), 0);

	valid_customer(&r, &f->a);
	record_set_int(&r, CF_CONTRACT_AMOUNT, MONEY_MAX_FEN + 1);
	assert_int_equal(create(f, &r), -1);
	assert_true(unit_has_field_error(&f->e, "contract_amount"));

	valid_customer(&r, &f->a);
	record_set_int(&r, CF_SALES_TARGET, -1);
	assert_int_equal(create(f, &r), -1);
	assert_true(unit_has_field_error(&f->e, "sales_target"));

	valid_customer(&r, &f->a);
	record_set_int(&r, CF_DISTANCE_KM, 100001);
	assert_int_equal(create(f, &r), -1);
	assert_true(unit_has_field_error(&f->e, "distance_km"));

	valid_customer(&r, &f->a);
	record_set_int(&r, CF_DISTANCE_KM, -3);
	assert_int_equal(create(f, &r), -1);
	assert_true(unit_has_field_error(&f->e, "distance_km"));
}

static void booleans_are_zero_or_one(void **state)
{
	fx *f = *state;
	kh_record k;
	record_init(&k, &contact_entity, &f->a);
	record_set_text(&k, KF_NAME, "王芳");
	record_set_text(&k, KF_PHONE, "13812345678");
	record_set_int(&k, KF_PRIMARY, 2);
	assert_int_equal(create(f, &k), -1);
	assert_true(unit_has_field_error(&f->e, "primary"));
	record_set_int(&k, KF_PRIMARY, 1);
	assert_int_equal(create(f, &k), 0);
}

static void tags_are_cleaned_and_deduplicated(void **state)
{
	fx *f = *state;
	kh_record r;
	valid_customer(&r, &f->a);
	record_set_text(&r, CF_TAGS,
	                "[\"  重点合作 \", \"重点合作\", \"\", \"潜力开发\", \"\xe3\x80\x80\"]");
	assert_int_equal(create(f, &r), 0);
	assert_string_equal(record_text(&r, CF_TAGS), "[\"重点合作\",\"潜力开发\"]");

	valid_customer(&r, &f->a);
	record_set_text(&r, CF_TAGS, "[\" \", \"\"]");
	assert_int_equal(create(f, &r), 0);
	assert_int_equal(r.v[CF_TAGS].state, V_NULL);
}

static void bad_tags_are_refused(void **state)
{
	fx *f = *state;
	const char *bad[] = {
	        "\"重点合作\"",                                     /* not a list */
	        "{\"a\":1}",                                        /* an object */
	        "[1, 2]",                                           /* not text */
	        "[\"a,b\"]",                                        /* comma inside a tag */
	        "[\"一二三四五六七八九十一二三四五六七八九十一\"]", /* 21 characters */
	        "[\"a\\u0001\"]",                                   /* control character */
	        "not json",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kh_record r;
		valid_customer(&r, &f->a);
		record_set_text(&r, CF_TAGS, bad[i]);
		assert_int_equal(create(f, &r), -1);
		if (!unit_has_field_error(&f->e, "tags"))
			fail_msg("tags %s accepted", bad[i]);
	}
	/* at most 20 tags */
	char many[512] = "[";
	for (int i = 0; i < 21; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "%s\"t%d\"",
		         i ? "," : "", i);
	strcat(many, "]");
	kh_record r;
	valid_customer(&r, &f->a);
	record_set_text(&r, CF_TAGS, many);
	assert_int_equal(create(f, &r), -1);
	assert_true(unit_has_field_error(&f->e, "tags"));
}

static void system_derived_and_readonly_fields_are_refused(void **state)
{
	fx *f = *state;
	struct {
		int field;
		const char *name;
		unsigned allow;
	} cases[] = {
	        {F_ID, "id", ALLOW_SYSTEM},
	        {F_VERSION, "version", ALLOW_SYSTEM},
	        {F_CREATED_BY, "created_by", ALLOW_SYSTEM},
	        {CF_STAGE, "stage", ALLOW_DERIVED},
	        {CF_DEAL_AMOUNT, "deal_amount", ALLOW_DERIVED},
	        {CF_DEPARTMENT, "department", ALLOW_DERIVED},
	        {CF_ARCHIVED, "archived", ALLOW_READONLY},
	        {CF_IN_POOL, "in_pool", ALLOW_READONLY},
	        {CF_LOCKED, "locked", ALLOW_READONLY},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		kh_record r;
		valid_customer(&r, &f->a);
		if (field_is_int(customer_entity.fields[cases[i].field].type))
			record_set_int(&r, cases[i].field, 1);
		else
			record_set_text(&r, cases[i].field, "new");
		assert_int_equal(create(f, &r), -1);
		if (!unit_has_field_error(&f->e, cases[i].name))
			fail_msg("%s could be set", cases[i].name);
		/* with the matching allowance it may be set */
		err_clear(&f->e);
		valid_customer(&r, &f->a);
		if (field_is_int(customer_entity.fields[cases[i].field].type))
			record_set_int(&r, cases[i].field, 1);
		else
			record_set_text(&r, cases[i].field, "new");
		if (record_validate(&r, NULL, cases[i].allow, NULL, &f->a, &f->e) != 0) {
			unit_print_err(&f->e);
			fail_msg("%s refused with its allowance", cases[i].name);
		}
	}
	/* even null counts as setting it */
	kh_record r;
	valid_customer(&r, &f->a);
	record_set_null(&r, F_CREATED_AT);
	assert_int_equal(create(f, &r), -1);
	assert_true(unit_has_field_error(&f->e, "created_at"));
}

static void create_only_fields_cannot_change_on_update(void **state)
{
	fx *f = *state;
	kh_record old, patch;
	valid_customer(&old, &f->a);
	record_set_text(&old, CF_CODE, "XS2024001");
	record_init(&patch, &customer_entity, &f->a);
	record_set_text(&patch, CF_CODE, "XS2024999");
	err_clear(&f->e);
	assert_int_equal(record_validate(&patch, &old, 0, NULL, &f->a, &f->e), -1);
	assert_true(unit_has_field_error(&f->e, "code"));

	/* giving the same value again is harmless and dropped from the patch */
	record_init(&patch, &customer_entity, &f->a);
	record_set_text(&patch, CF_CODE, "XS2024001");
	record_set_text(&patch, CF_CITY, "深圳");
	err_clear(&f->e);
	assert_int_equal(record_validate(&patch, &old, 0, NULL, &f->a, &f->e), 0);
	assert_int_equal(patch.v[CF_CODE].state, V_ABSENT);
	assert_string_equal(record_text(&patch, CF_CITY), "深圳");

	/* on create it may be given */
	kh_record r;
	valid_customer(&r, &f->a);
	record_set_text(&r, CF_CODE, "XS2024999");
	assert_int_equal(create(f, &r), 0);
}

static void errors_carry_the_prefix(void **state)
{
	fx *f = *state;
	kh_record k;
	record_init(&k, &contact_entity, &f->a);
	record_set_text(&k, KF_PHONE, "12345");
	err_clear(&f->e);
	assert_int_equal(record_validate(&k, NULL, 0, "contacts[2].", &f->a, &f->e), -1);
	assert_true(unit_has_field_error(&f->e, "contacts[2].name"));  /* required */
	assert_true(unit_has_field_error(&f->e, "contacts[2].phone")); /* entity check */
	assert_false(unit_has_field_error(&f->e, "phone"));
}

static void entity_checks_normalise_what_they_accept(void **state)
{
	fx *f = *state;
	kh_record r;
	valid_customer(&r, &f->a);
	record_set_text(&r, CF_CREDIT_CODE, " 91350100m000100y43 ");
	assert_int_equal(create(f, &r), 0);
	assert_string_equal(record_text(&r, CF_CREDIT_CODE), "91350100M000100Y43");

	valid_customer(&r, &f->a);
	record_set_text(&r, CF_CREDIT_CODE, "91350100M000100Y44");
	assert_int_equal(create(f, &r), -1);
	assert_true(unit_has_field_error(&f->e, "credit_code"));

	valid_customer(&r, &f->a);
	record_set_text(&r, CF_CODE, "XS 2024/001");
	assert_int_equal(create(f, &r), -1);
	assert_true(unit_has_field_error(&f->e, "code"));

	kh_record k;
	record_init(&k, &contact_entity, &f->a);
	record_set_text(&k, KF_NAME, "王芳");
	record_set_text(&k, KF_PHONE, "+86 138-1234-5678");
	record_set_text(&k, KF_EMAIL, "wang@example.com");
	assert_int_equal(create(f, &k), 0);
	assert_string_equal(record_text(&k, KF_PHONE), "13812345678");

	const char *emails[] = {"wang",         "wang@",           "@example.com",
	                        "wang@example", "a b@example.com", "wang@@example.com"};
	for (size_t i = 0; i < sizeof(emails) / sizeof(emails[0]); i++) {
		record_init(&k, &contact_entity, &f->a);
		record_set_text(&k, KF_NAME, "王芳");
		record_set_text(&k, KF_PHONE, "13812345678");
		record_set_text(&k, KF_EMAIL, emails[i]);
		assert_int_equal(create(f, &k), -1);
		if (!unit_has_field_error(&f->e, "email"))
			fail_msg("email \"%s\" accepted", emails[i]);
	}
}

static void derived_grades_must_be_letters_in_range(void **state)
{
	fx *f = *state;
	kh_record r;
	valid_customer(&r, &f->a);
	record_set_text(&r, CF_GRADE, "F");
	record_set_text(&r, CF_ABC_CLASS, "D");
	err_clear(&f->e);
	assert_int_equal(record_validate(&r, NULL, ALLOW_DERIVED, NULL, &f->a, &f->e), -1);
	assert_true(unit_has_field_error(&f->e, "grade"));
	assert_true(unit_has_field_error(&f->e, "abc_class"));
	valid_customer(&r, &f->a);
	record_set_text(&r, CF_GRADE, "E");
	record_set_text(&r, CF_ABC_CLASS, "A");
	err_clear(&f->e);
	assert_int_equal(record_validate(&r, NULL, ALLOW_DERIVED, NULL, &f->a, &f->e), 0);
}

static void messages_follow_the_language(void **state)
{
	fx *f = *state;
	kh_err zh;
	err_init(&zh, &f->a, KH_LANG_ZH);
	kh_record r;
	record_init(&r, &customer_entity, &f->a);
	assert_int_equal(record_validate(&r, NULL, 0, NULL, &f->a, &zh), -1);
	bool found = false;
	for (int i = 0; i < zh.nfields; i++)
		if (!strcmp(zh.fields[i].field, "name")) {
			found = true;
			if (!strstr(zh.fields[i].message, "客户名称") ||
			    strstr(zh.fields[i].message, "required"))
				fail_msg("not in Chinese: %s", zh.fields[i].message);
		}
	assert_true(found);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(a_complete_customer_is_valid),
	        T(create_names_every_missing_required_field),
	        T(required_text_that_is_only_space_counts_as_missing),
	        T(update_needs_no_required_fields_but_cannot_clear_them),
	        T(text_is_trimmed_and_empty_becomes_null),
	        T(text_length_counts_characters_not_bytes),
	        T(control_characters_are_refused),
	        T(long_text_keeps_newlines_and_drops_carriage_returns),
	        T(invalid_utf8_is_refused),
	        T(dates_must_be_real_iso_dates),
	        T(money_and_numbers_stay_in_range),
	        T(booleans_are_zero_or_one),
	        T(tags_are_cleaned_and_deduplicated),
	        T(bad_tags_are_refused),
	        T(system_derived_and_readonly_fields_are_refused),
	        T(create_only_fields_cannot_change_on_update),
	        T(errors_carry_the_prefix),
	        T(entity_checks_normalise_what_they_accept),
	        T(derived_grades_must_be_letters_in_range),
	        T(messages_follow_the_language),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
