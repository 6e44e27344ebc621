/*
 * test_i18n — language choice (Accept-Language with q-values, language
 * tags, the environment) and catalogue lookup: English returns the msgid
 * itself, Chinese the translation, unknown messages fall back to English.
 */
#include "unit.h"

#include "util/i18n.h"

static void english_returns_the_msgid_itself(void **state)
{
	(void)state;
	const char *msgid = "Not found";
	assert_ptr_equal(tr(KH_LANG_EN, msgid), msgid);
	const char *unknown = "A message nobody translated";
	assert_ptr_equal(tr(KH_LANG_EN, unknown), unknown);
	assert_null(tr(KH_LANG_EN, NULL));
}

static void chinese_comes_from_the_catalogue(void **state)
{
	(void)state;
	assert_string_equal(tr(KH_LANG_ZH, "Not found"), "未找到");
	/* untranslated messages fall back to the English msgid */
	const char *unknown = "A message nobody translated";
	assert_ptr_equal(tr(KH_LANG_ZH, unknown), unknown);
	assert_string_equal(tr(KH_LANG_ZH, ""), "");
	assert_null(tr(KH_LANG_ZH, NULL));
}

static void lang_parse_accepts_common_tags(void **state)
{
	(void)state;
	const char *zh[] = {"zh", "zh-CN", "zh_CN.UTF-8", "ZH-cn", "zh-Hans", " zh"};
	const char *en[] = {"en", "en-US", "en_GB.UTF-8", "EN", " en-us", "en.UTF-8"};
	for (size_t i = 0; i < sizeof(zh) / sizeof(zh[0]); i++) {
		kh_lang l = KH_LANG_EN;
		if (!lang_parse(zh[i], &l) || l != KH_LANG_ZH)
			fail_msg("\"%s\" is not read as Chinese", zh[i]);
	}
	for (size_t i = 0; i < sizeof(en) / sizeof(en[0]); i++) {
		kh_lang l = KH_LANG_ZH;
		if (!lang_parse(en[i], &l) || l != KH_LANG_EN)
			fail_msg("\"%s\" is not read as English", en[i]);
	}
	kh_lang l;
	assert_false(lang_parse("fr", &l));
	assert_false(lang_parse("fr-FR", &l));
	assert_false(lang_parse("english", &l));
	assert_false(lang_parse("e", &l));
	assert_false(lang_parse("", &l));
	assert_false(lang_parse(NULL, &l));
}

static void accept_language_picks_the_highest_q(void **state)
{
	(void)state;
	assert_int_equal(lang_from_accept(NULL), KH_LANG_ZH);
	assert_int_equal(lang_from_accept(""), KH_LANG_ZH);
	assert_int_equal(lang_from_accept("*"), KH_LANG_ZH);
	assert_int_equal(lang_from_accept("fr-FR,de;q=0.8"), KH_LANG_ZH);
	assert_int_equal(lang_from_accept("en-US,en;q=0.9,zh-CN;q=0.8"), KH_LANG_EN);
	assert_int_equal(lang_from_accept("zh-CN,zh;q=0.9,en;q=0.8"), KH_LANG_ZH);
	/* order does not matter, q does */
	assert_int_equal(lang_from_accept("en;q=0.2, zh-CN;q=0.8"), KH_LANG_ZH);
	assert_int_equal(lang_from_accept("zh;q=0.3, en;q=0.7"), KH_LANG_EN);
	assert_int_equal(lang_from_accept("fr-FR, en;q=0.5, zh;q=0.3"), KH_LANG_EN);
	/* no q means 1 */
	assert_int_equal(lang_from_accept("zh;q=0.9, en"), KH_LANG_EN);
	/* ties: the first listed */
	assert_int_equal(lang_from_accept("en, zh"), KH_LANG_EN);
	assert_int_equal(lang_from_accept("zh, en"), KH_LANG_ZH);
}

static void lang_tag_names_the_language(void **state)
{
	(void)state;
	assert_string_equal(lang_tag(KH_LANG_ZH), "zh-CN");
	assert_string_equal(lang_tag(KH_LANG_EN), "en");
	kh_lang l;
	assert_true(lang_parse(lang_tag(KH_LANG_EN), &l));
	assert_int_equal(l, KH_LANG_EN);
	assert_true(lang_parse(lang_tag(KH_LANG_ZH), &l));
	assert_int_equal(l, KH_LANG_ZH);
}

static void environment_chooses_the_language(void **state)
{
	(void)state;
	unsetenv("LANGUAGE");
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	unsetenv("LANG");
	assert_int_equal(lang_from_env(), KH_LANG_ZH); /* nothing set: the default */
	setenv("LANG", "C.UTF-8", 1);
	assert_int_equal(lang_from_env(), KH_LANG_ZH);
	setenv("LANG", "en_US.UTF-8", 1);
	assert_int_equal(lang_from_env(), KH_LANG_EN);
	setenv("LC_ALL", "zh_CN.UTF-8", 1); /* LC_ALL overrides LANG */
	assert_int_equal(lang_from_env(), KH_LANG_ZH);
	setenv("LANGUAGE", "en", 1);
	assert_int_equal(lang_from_env(), KH_LANG_EN);
	unsetenv("LANGUAGE");
	unsetenv("LC_ALL");
	unsetenv("LANG");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(english_returns_the_msgid_itself),
	        cmocka_unit_test(chinese_comes_from_the_catalogue),
	        cmocka_unit_test(lang_parse_accepts_common_tags),
	        cmocka_unit_test(accept_language_picks_the_highest_q),
	        cmocka_unit_test(lang_tag_names_the_language),
	        cmocka_unit_test(environment_chooses_the_language),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
