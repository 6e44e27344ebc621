/*
 * test_err — the one error table (stable names, HTTP statuses, CLI exit
 * codes), setting errors with formatted messages, field errors (names,
 * rows, the cap on their number) and the default messages in both
 * languages.
 */
#include "unit.h"

static void http_status_of_every_code(void **state)
{
	(void)state;
	struct {
		kh_code code;
		int http;
	} want[] = {
	        {KH_OK, 200},         {KH_EINVAL, 422},   {KH_EBADREQ, 400},   {KH_ENOTFOUND, 404},
	        {KH_ECONFLICT, 412},  {KH_EPRECOND, 428}, {KH_EDUP, 409},      {KH_EAUTH, 401},
	        {KH_EFORBIDDEN, 403}, {KH_ECSRF, 403},    {KH_ETOOBIG, 413},   {KH_ERATE, 429},
	        {KH_EMEDIA, 415},     {KH_EMETHOD, 405},  {KH_EUSAGE, 400},    {KH_EBUSY, 503},
	        {KH_EDB, 500},        {KH_EIO, 500},      {KH_EINTERNAL, 500},
	};
	assert_int_equal(sizeof(want) / sizeof(want[0]), KH__NCODES);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (err_http_status(want[i].code) != want[i].http)
			fail_msg("%s: HTTP %d, want %d", err_name(want[i].code),
			         err_http_status(want[i].code), want[i].http);
	assert_int_equal(err_http_status((kh_code)999), 500);
	assert_int_equal(err_http_status((kh_code)-1), 500);
}

static void exit_codes_are_zero_only_for_success(void **state)
{
	(void)state;
	assert_int_equal(err_exit_code(KH_OK), 0);
	for (int c = 1; c < KH__NCODES; c++) {
		int x = err_exit_code((kh_code)c);
		if (x <= 0 || x > 125)
			fail_msg("%s: exit code %d", err_name((kh_code)c), x);
	}
	/* scripts tell usage, not-found and validation apart */
	assert_int_not_equal(err_exit_code(KH_EUSAGE), err_exit_code(KH_ENOTFOUND));
	assert_int_not_equal(err_exit_code(KH_ENOTFOUND), err_exit_code(KH_EINVAL));
	assert_int_not_equal(err_exit_code(KH_EINVAL), err_exit_code(KH_EDB));
	assert_int_equal(err_exit_code((kh_code)999), 1);
}

static void names_are_stable_and_distinct(void **state)
{
	(void)state;
	assert_string_equal(err_name(KH_OK), "ok");
	assert_string_equal(err_name(KH_EINVAL), "validation_failed");
	assert_string_equal(err_name(KH_ENOTFOUND), "not_found");
	assert_string_equal(err_name(KH_ECONFLICT), "version_conflict");
	assert_string_equal(err_name(KH_EDUP), "duplicate");
	assert_string_equal(err_name(KH_EFORBIDDEN), "forbidden");
	for (int a = 0; a < KH__NCODES; a++) {
		assert_non_null(err_name((kh_code)a));
		for (int b = a + 1; b < KH__NCODES; b++)
			if (strcmp(err_name((kh_code)a), err_name((kh_code)b)) == 0)
				fail_msg("codes %d and %d share the name %s", a, b,
				         err_name((kh_code)a));
	}
	assert_string_equal(err_name((kh_code)999), "internal_error");
}

static void set_formats_the_message_and_returns_minus_one(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	kh_err e;
	err_init(&e, &a, KH_LANG_EN);
	assert_int_equal(e.code, KH_OK);
	assert_int_equal(err_set(&e, KH_ENOTFOUND, "%s %lld not found", "Customer", 42LL), -1);
	assert_int_equal(e.code, KH_ENOTFOUND);
	assert_string_equal(err_message(&e), "Customer 42 not found");
	/* no message: the code's default one */
	err_clear(&e);
	assert_int_equal(e.code, KH_OK);
	assert_null(e.message);
	err_set(&e, KH_ECONFLICT, NULL);
	assert_string_equal(err_message(&e),
	                    "The record was changed by someone else; reload and try again");
	assert_int_equal(err_set(NULL, KH_EDB, "ignored"), -1);
	arena_release(&a);
}

static void a_later_error_replaces_the_code_and_message_but_keeps_field_errors(void **state)
{
	(void)state;
	/* err.h: "Set the error code and message, replacing any earlier ones
	 * (field errors stay)" */
	arena a = ARENA_INIT;
	kh_err e;
	err_init(&e, &a, KH_LANG_EN);
	err_field(&e, "name", "bad");
	err_set(&e, KH_ENOTFOUND, "first");
	err_set(&e, KH_EDUP, "second");
	assert_int_equal(e.code, KH_EDUP);
	assert_string_equal(err_message(&e), "second");
	assert_int_equal(e.nfields, 1);
	assert_true(unit_has_field_error(&e, "name"));
	/* NULL leaves the code's default message, not the earlier text */
	err_set(&e, KH_ECONFLICT, NULL);
	assert_string_equal(err_message(&e), err_default_message(KH_ECONFLICT, KH_LANG_EN));
	arena_release(&a);
}

static void field_errors_name_the_field_and_make_it_a_validation_error(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	kh_err e;
	err_init(&e, &a, KH_LANG_EN);
	assert_int_equal(err_field(&e, "name", "%s is required", "Customer name"), -1);
	e.row = 7;
	err_field(&e, "contacts[0].phone", "Phone is not valid");
	assert_int_equal(e.code, KH_EINVAL);
	assert_int_equal(e.nfields, 2);
	assert_string_equal(e.fields[0].field, "name");
	assert_string_equal(e.fields[0].message, "Customer name is required");
	assert_int_equal(e.fields[0].row, 0);
	assert_string_equal(e.fields[1].field, "contacts[0].phone");
	assert_int_equal(e.fields[1].row, 7);
	assert_true(unit_has_field_error(&e, "name"));
	assert_false(unit_has_field_error(&e, "phone"));
	/* a field error does not change a code already set */
	err_clear(&e);
	assert_int_equal(e.nfields, 0);
	err_set(&e, KH_EDUP, NULL);
	err_field(&e, "code", "taken");
	assert_int_equal(e.code, KH_EDUP);
	arena_release(&a);
}

static void field_errors_stop_at_the_cap(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	kh_err e;
	err_init(&e, &a, KH_LANG_EN);
	for (int i = 0; i < KH_MAX_FIELD_ERRORS + 10; i++)
		assert_int_equal(err_field(&e, arena_printf(&a, "f%d", i), "bad"), -1);
	assert_int_equal(e.nfields, KH_MAX_FIELD_ERRORS);
	assert_string_equal(e.fields[KH_MAX_FIELD_ERRORS - 1].field,
	                    arena_printf(&a, "f%d", KH_MAX_FIELD_ERRORS - 1));
	assert_int_equal(e.code, KH_EINVAL);
	arena_release(&a);
}

static void default_messages_exist_for_every_code(void **state)
{
	(void)state;
	for (int c = 0; c < KH__NCODES; c++) {
		const char *en = err_default_message((kh_code)c, KH_LANG_EN);
		const char *zh = err_default_message((kh_code)c, KH_LANG_ZH);
		assert_non_null(en);
		assert_non_null(zh);
		assert_true(strlen(en) > 0);
		assert_true(strlen(zh) > 0);
	}
	assert_string_equal(err_default_message(KH_ENOTFOUND, KH_LANG_ZH), "未找到");
	assert_string_equal(err_default_message(KH_ENOTFOUND, KH_LANG_EN), "Not found");
	assert_string_equal(err_default_message((kh_code)999, KH_LANG_EN), "Internal error");
}

static void default_messages_are_translated_into_chinese(void **state)
{
	(void)state;
	/* DESIGN 1: every message a person reads exists in zh-CN and en, and
	 * zh-CN is the default language */
	int untranslated = 0;
	for (int c = 1; c < KH__NCODES; c++) {
		const char *en = err_default_message((kh_code)c, KH_LANG_EN);
		const char *zh = err_default_message((kh_code)c, KH_LANG_ZH);
		if (strcmp(en, zh) == 0) {
			fprintf(stderr, "  no Chinese for \"%s\"\n", en);
			untranslated++;
		}
	}
	assert_int_equal(untranslated, 0);
}

static void messages_follow_the_error_language(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	kh_err e;
	err_init(&e, &a, KH_LANG_ZH);
	err_set(&e, KH_ENOTFOUND, "Not found");
	assert_string_equal(err_message(&e), "未找到");
	err_clear(&e);
	err_set(&e, KH_ENOTFOUND, NULL);
	assert_string_equal(err_message(&e), "未找到");
	kh_err en;
	err_init(&en, &a, KH_LANG_EN);
	err_set(&en, KH_ENOTFOUND, "Not found");
	assert_string_equal(err_message(&en), "Not found");
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(http_status_of_every_code),
	        cmocka_unit_test(exit_codes_are_zero_only_for_success),
	        cmocka_unit_test(names_are_stable_and_distinct),
	        cmocka_unit_test(set_formats_the_message_and_returns_minus_one),
	        cmocka_unit_test(
	                a_later_error_replaces_the_code_and_message_but_keeps_field_errors),
	        cmocka_unit_test(field_errors_name_the_field_and_make_it_a_validation_error),
	        cmocka_unit_test(field_errors_stop_at_the_cap),
	        cmocka_unit_test(default_messages_exist_for_every_code),
	        cmocka_unit_test(default_messages_are_translated_into_chinese),
	        cmocka_unit_test(messages_follow_the_error_language),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
