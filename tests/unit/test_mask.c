/*
 * test_mask — how personal data looks to a viewer without the unmask
 * permission: each mask kind, and record_mask hiding PII fields and
 * removing the deep personal profile from a whole record.
 */
#include "unit.h"

#include "core/customer.h"
#include "core/mask.h"

static void each_kind_hides_what_it_should(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	assert_string_equal(mask_text(&a, MASK_PHONE, "13812345678"), "138****5678");
	assert_string_equal(mask_text(&a, MASK_EMAIL, "zhang@example.com"), "z***@example.com");
	assert_string_equal(mask_text(&a, MASK_EMAIL, "not-an-email"), "****");
	assert_string_equal(mask_text(&a, MASK_EMAIL, "@example.com"), "****");
	assert_string_equal(mask_text(&a, MASK_HANDLE, "wxid_abc123"), "wx****");
	assert_string_equal(mask_text(&a, MASK_HANDLE, "王芳的微信"), "王芳****");
	assert_string_equal(mask_text(&a, MASK_ADDRESS, "南山区科技园南区8栋"), "南山区****");
	assert_string_equal(mask_text(&a, MASK_DATE, "1985-06-01"), "1985-**-**");
	assert_string_equal(mask_text(&a, MASK_HIDE, "anything"), "****");
	assert_string_equal(mask_text(&a, MASK_NONE, "visible"), "visible");
	assert_null(mask_text(&a, MASK_PHONE, NULL));
	arena_release(&a);
}

static void masks_never_contain_the_hidden_part(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	const char *m = mask_text(&a, MASK_ADDRESS, "科技园南区8栋1201");
	assert_null(strstr(m, "1201"));
	assert_null(strstr(m, "8栋"));
	m = mask_text(&a, MASK_PHONE, "13812345678");
	assert_null(strstr(m, "1234"));
	arena_release(&a);
}

static void record_mask_hides_pii_without_permission(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	kh_record k;
	record_init(&k, &contact_entity, &a);
	record_set_text(&k, KF_NAME, "王芳");
	record_set_text(&k, KF_PHONE, "13812345678");
	record_set_text(&k, KF_EMAIL, "wang@example.com");
	kh_record copy;
	record_copy(&copy, &k, &a);

	record_mask(&k, &a, false, false);
	assert_string_equal(record_text(&k, KF_PHONE), "138****5678");
	assert_string_equal(record_text(&k, KF_NAME), "王芳"); /* names are not PII here */

	record_mask(&copy, &a, true, false);
	assert_string_equal(record_text(&copy, KF_PHONE), "13812345678");
	arena_release(&a);
}

static void record_mask_removes_the_profile_without_permission(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	kh_record c, d;
	record_init(&c, &customer_entity, &a);
	record_set_text(&c, CF_NAME, "个人客户甲");
	record_set_text(&c, CF_STREET, "南山区科技园南区8栋");
	record_set_text(&c, CF_BIRTH_DATE, "1985-06-01");
	record_set_text(&c, CF_PERSONAL_PROFILE, "爱好：钓鱼；家庭：两个孩子");
	record_set_null(&c, CF_CITY);
	record_copy(&d, &c, &a);

	record_mask(&c, &a, false, false);
	assert_int_equal(c.v[CF_PERSONAL_PROFILE].state, V_ABSENT);
	assert_null(c.v[CF_PERSONAL_PROFILE].s);
	assert_string_equal(record_text(&c, CF_STREET), "南山区****");
	assert_string_equal(record_text(&c, CF_BIRTH_DATE), "1985-**-**");
	assert_string_equal(record_text(&c, CF_NAME), "个人客户甲");
	assert_int_equal(c.v[CF_CITY].state, V_NULL);

	/* with both permissions nothing changes */
	record_mask(&d, &a, true, true);
	assert_string_equal(record_text(&d, CF_PERSONAL_PROFILE), "爱好：钓鱼；家庭：两个孩子");
	assert_string_equal(record_text(&d, CF_STREET), "南山区科技园南区8栋");
	assert_string_equal(record_text(&d, CF_BIRTH_DATE), "1985-06-01");
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(each_kind_hides_what_it_should),
	        cmocka_unit_test(masks_never_contain_the_hidden_part),
	        cmocka_unit_test(record_mask_hides_pii_without_permission),
	        cmocka_unit_test(record_mask_removes_the_profile_without_permission),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
