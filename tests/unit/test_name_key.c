/*
 * test_name_key — the dedupe key of customer names: spellings of one company
 * (legal-form variants, full-width and half-width forms, spaces, punctuation,
 * case) meet; different companies with the same city and form stay apart.
 */
#include "unit.h"

#include "core/name_key.h"

static const char *key(const char *name, char *buf, size_t cap)
{
	name_key(name, buf, cap);
	return buf;
}

static void same(const char *a, const char *b)
{
	char ka[256], kb[256];
	key(a, ka, sizeof(ka));
	key(b, kb, sizeof(kb));
	if (strcmp(ka, kb) != 0)
		fail_msg("\"%s\" (%s) and \"%s\" (%s) should meet", a, ka, b, kb);
}

static void apart(const char *a, const char *b)
{
	char ka[256], kb[256];
	key(a, ka, sizeof(ka));
	key(b, kb, sizeof(kb));
	if (strcmp(ka, kb) == 0)
		fail_msg("\"%s\" and \"%s\" should stay apart (both %s)", a, b, ka);
}

static void keys_to(const char *name, const char *want)
{
	char k[256];
	key(name, k, sizeof(k));
	if (strcmp(k, want) != 0)
		fail_msg("\"%s\" keyed \"%s\", want \"%s\"", name, k, want);
}

static void test_legal_forms_meet(void **state)
{
	(void)state;
	same("北京星河科技有限责任公司", "北京星河科技有限公司");
	same("北京星河科技 有限公司", "北京星河科技有限公司");
	same("北京星河科技股份有限公司", "北京星河科技有限公司");
	same("北京星河科技（集团）有限公司", "北京星河科技有限公司");
	same("北京星河科技(集团)有限公司", "北京星河科技公司");
	keys_to("北京星河科技有限公司", "北京星河科技");
}

static void test_different_companies_apart(void **state)
{
	(void)state;
	apart("北京星河科技有限公司", "北京星河五金制品有限公司");
	apart("北京星河科技有限公司", "上海星河科技有限公司");
	apart("星河科技", "星河科");
	apart("Costco", "Cost Co.");
	apart("Acme Trading Ltd", "Acme Ltd");
}

static void test_width_space_punct_case(void **state)
{
	(void)state;
	same("ＡＢＣ科技有限公司", "abc科技有限公司");
	same("北京　星河科技有限公司", "北京星河科技有限公司"); /* ideographic space */
	same("北京·星河科技有限公司", "北京星河科技有限公司");
	same("“星河”科技有限公司", "星河科技有限公司");
	same("星河科技有限公司１号店", "星河科技有限公司1号店");
	keys_to("  ", "");
	keys_to("", "");
	keys_to("。，、", "");
}

static void test_latin_forms(void **state)
{
	(void)state;
	same("Acme Co., Ltd.", "ACME co ltd");
	same("Acme Inc.", "acme");
	same("Acme Corporation", "Acme Corp.");
	same("Acme Trading Co.,Ltd", "ACME TRADING");
	keys_to("Acme Co., Ltd.", "acme");
	/* a name that is nothing but a legal form keeps a key of its own */
	keys_to("Co., Ltd.", "co");
	keys_to("有限公司", "有限公司");
}

static void test_bounded_and_malformed(void **state)
{
	(void)state;
	char small[8];
	size_t n = name_key("北京星河科技有限公司", small, sizeof(small));
	assert_true(n < sizeof(small));
	assert_int_equal(strlen(small), n);
	char k[64];
	name_key("ab\xff\xfe"
	         "cd",
	         k, sizeof(k)); /* bytes that are not UTF-8 are skipped */
	assert_string_equal(k, "abcd");
	assert_int_equal(name_key(NULL, k, sizeof(k)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_legal_forms_meet),
	        cmocka_unit_test(test_different_companies_apart),
	        cmocka_unit_test(test_width_space_punct_case),
	        cmocka_unit_test(test_latin_forms),
	        cmocka_unit_test(test_bounded_and_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
