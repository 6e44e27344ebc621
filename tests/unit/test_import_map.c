/*
 * test_import_map — which field a sheet's header names (the seeds' template
 * headers, labels in both languages, English CRM headers, with full-width
 * brackets, trailing spaces and required marks), user overrides, and the
 * date and yes/no forms people type, Excel serial days included.
 */
#include "unit.h"

#include "core/customer.h"
#include "core/import_map.h"

static void maps(const char *header, int want)
{
	arena a;
	arena_init(&a);
	int got = import_map_header(header, &a);
	if (got != want)
		fail_msg("\"%s\" mapped to %d, want %d", header, got, want);
	arena_release(&a);
}

static void template_headers_map(void **state)
{
	(void)state;
	maps("客户编号", CF_CODE);
	maps("客户名称", CF_NAME);
	maps("联系人", IMPORT_CONTACT + KF_NAME);
	maps("联系人姓名*", IMPORT_CONTACT + KF_NAME);
	maps("所属行业", CF_INDUSTRY);
	maps("客户类型", CF_KIND);
	maps("首次合作时间", CF_FIRST_DEAL_DATE);
	maps("最近合作时间", CF_LAST_DEAL_DATE);
	maps("合作次数", CF_DEAL_COUNT);
	maps("累计消费金额(元)", CF_DEAL_AMOUNT);
	maps("累计消费金额（元）", CF_DEAL_AMOUNT); /* full-width brackets */
	maps("负责人", CF_OWNER);
	maps("合作状态*", CF_STATUS);
	maps("联系方式*", IMPORT_CONTACT + KF_PHONE);
	maps("手机", IMPORT_CONTACT + KF_PHONE);
	maps("电话", IMPORT_CONTACT + KF_PHONE);
	maps("客户来源*", CF_SOURCE);
	maps("需求描述*", CF_REQUIREMENT);
	maps("首次接触时间*", CF_FIRST_CONTACT_DATE);
	maps("统一社会信用代码", CF_CREDIT_CODE);
	maps("客户名称  ", CF_NAME);   /* trailing spaces */
	maps("　客户名称　", CF_NAME); /* ideographic spaces */
}

static void labels_and_english_headers_map(void **state)
{
	(void)state;
	maps("Customer name", CF_NAME);
	maps("CUSTOMER NAME", CF_NAME);
	maps("Company", CF_NAME);
	maps("Industry", CF_INDUSTRY);
	maps("Total spent (yuan)", CF_DEAL_AMOUNT);
	maps("First contact date", CF_FIRST_CONTACT_DATE);
	maps("Phone", IMPORT_CONTACT + KF_PHONE);
	maps("E-mail", IMPORT_CONTACT + KF_EMAIL);
	maps("Contact name", IMPORT_CONTACT + KF_NAME);
	maps("Owner", CF_OWNER);
	maps("credit_code", CF_CREDIT_CODE);
	/* the Chinese labels of the catalogue */
	maps("销售区域", CF_REGION);
	maps("Sales region", CF_REGION);
}

static void unknown_and_derived_headers_are_ignored(void **state)
{
	(void)state;
	maps("", IMPORT_IGNORE);
	maps("price", IMPORT_IGNORE);
	maps("sale_count", IMPORT_IGNORE);
	maps("ID", IMPORT_IGNORE);             /* system field */
	maps("Version", IMPORT_IGNORE);        /* system field */
	maps("Customer grade", IMPORT_IGNORE); /* derived, not importable */
	maps("Archived", IMPORT_IGNORE);       /* read-only */
	assert_false(import_target_ok(CF_STAGE));
	assert_false(import_target_ok(F_ID));
	assert_true(import_target_ok(CF_DEAL_AMOUNT));
	assert_false(import_target_ok(IMPORT_CONTACT + KF_CUSTOMER));
}

static void overrides_name_fields(void **state)
{
	(void)state;
	arena a;
	arena_init(&a);
	int t = 0;
	assert_true(import_target_parse("name", &a, &t));
	assert_int_equal(t, CF_NAME);
	assert_true(import_target_parse("contact_phone", &a, &t));
	assert_int_equal(t, IMPORT_CONTACT + KF_PHONE);
	assert_true(import_target_parse("contact.email", &a, &t));
	assert_int_equal(t, IMPORT_CONTACT + KF_EMAIL);
	assert_true(import_target_parse("客户名称", &a, &t));
	assert_int_equal(t, CF_NAME);
	assert_true(import_target_parse("-", &a, &t));
	assert_int_equal(t, IMPORT_IGNORE);
	assert_false(import_target_parse("no_such_field", &a, &t));
	assert_false(import_target_parse("grade", &a, &t));
	assert_string_equal(import_target_name(IMPORT_CONTACT + KF_PHONE, &a), "contact_phone");
	assert_string_equal(import_target_name(CF_DEAL_AMOUNT, &a), "deal_amount");
	arena_release(&a);
}

static void date_is(const char *s, const char *want)
{
	char out[DATE_LEN] = "";
	if (!import_parse_date(s, out))
		fail_msg("refused \"%s\"", s);
	if (strcmp(out, want) != 0)
		fail_msg("\"%s\" gave %s, want %s", s, out, want);
}

static void date_refused(const char *s)
{
	char out[DATE_LEN] = "";
	if (import_parse_date(s, out))
		fail_msg("accepted \"%s\" as %s", s, out);
}

static void dates_in_the_usual_forms(void **state)
{
	(void)state;
	date_is("2024-05-10", "2024-05-10");
	date_is("2024/5/10", "2024-05-10");
	date_is("2024.5.10", "2024-05-10");
	date_is("2024年5月10日", "2024-05-10");
	date_is("2024年05月10号", "2024-05-10");
	date_is("5/10/2024", "2024-05-10");
	date_is("13/5/2024", "2024-05-13"); /* a first number over 12 is the day */
	date_is("20240510", "2024-05-10");
	date_is("2024-05-10 09:30:00", "2024-05-10");
	date_is("2024-05-10T09:30:00", "2024-05-10");
	date_is("2016/11/14", "2016-11-14");
	date_is("45422", "2024-05-10"); /* an Excel serial day */
	date_is("45422.75", "2024-05-10");
	date_is("1", "1900-01-01");
	date_is("59", "1900-02-28");
	date_is("61", "1900-03-01");
	date_is("2024-02-29", "2024-02-29");
}

static void bad_dates_are_refused(void **state)
{
	(void)state;
	date_refused("");
	date_refused("soon");
	date_refused("2023-02-29");
	date_refused("2024-13-01");
	date_refused("2024/5-10");
	date_refused("5.10.24");
	date_refused("60"); /* Excel's 1900-02-29, a day that never was */
	date_refused("2024年5月");
	date_refused("0");
	date_refused("-5");
	date_refused("2024-05-10x");
}

static void yes_and_no(void **state)
{
	(void)state;
	bool b = false;
	assert_true(import_parse_bool("是", &b));
	assert_true(b);
	assert_true(import_parse_bool("否", &b));
	assert_false(b);
	assert_true(import_parse_bool("YES", &b));
	assert_true(b);
	assert_true(import_parse_bool("0", &b));
	assert_false(b);
	assert_false(import_parse_bool("maybe", &b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(template_headers_map),
	        cmocka_unit_test(labels_and_english_headers_map),
	        cmocka_unit_test(unknown_and_derived_headers_are_ignored),
	        cmocka_unit_test(overrides_name_fields),
	        cmocka_unit_test(dates_in_the_usual_forms),
	        cmocka_unit_test(bad_dates_are_refused),
	        cmocka_unit_test(yes_and_no),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
