/*
 * test_credit_code — 统一社会信用代码 (GB 32100-2015): known valid codes are
 * accepted and upper-cased, any single wrong character or wrong check
 * character is refused, as are wrong lengths and letters outside the
 * 31-symbol alphabet (I, O, S, V, Z).
 */
#include "unit.h"

#include "core/credit_code.h"

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const char *const known_valid[] = {"91350100M000100Y43", "91110108551385082Q",
                                          "91440300708461136T", "91310000775785552L"};

static void known_valid_codes_are_accepted(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	for (size_t i = 0; i < sizeof(known_valid) / sizeof(known_valid[0]); i++) {
		char *n = credit_code_normalize(&a, known_valid[i]);
		if (!n)
			fail_msg("refused %s", known_valid[i]);
		assert_string_equal(n, known_valid[i]);
	}
	arena_release(&a);
}

static void check_character_is_computed(void **state)
{
	(void)state;
	assert_int_equal(credit_code_check_char("91350100M000100Y4"), '3');
	assert_int_equal(credit_code_check_char("91110108551385082"), 'Q');
	assert_int_equal(credit_code_check_char("91440300708461136"), 'T');
	/* a symbol outside the alphabet gives no check character */
	assert_int_equal(credit_code_check_char("91350100I000100Y4"), 0);
	assert_int_equal(credit_code_check_char("9135010OM000100Y4"), 0);
}

static void lower_case_and_outer_spaces_are_normalized(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	char *n = credit_code_normalize(&a, "91350100m000100y43");
	assert_non_null(n);
	assert_string_equal(n, "91350100M000100Y43");
	n = credit_code_normalize(&a, "  91110108551385082q ");
	assert_non_null(n);
	assert_string_equal(n, "91110108551385082Q");
	arena_release(&a);
}

static void every_wrong_check_character_is_refused(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	char code[19];
	for (const char *c = alphabet; *c; c++) {
		strcpy(code, "91350100M000100Y43");
		if (*c == '3')
			continue;
		code[17] = *c;
		if (credit_code_normalize(&a, code))
			fail_msg("accepted %s", code);
	}
	arena_release(&a);
}

static void any_single_changed_character_is_detected(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	for (int pos = 0; pos < 17; pos++) {
		for (const char *c = alphabet; *c; c++) {
			char code[19];
			strcpy(code, "91350100M000100Y43");
			if (code[pos] == *c)
				continue;
			code[pos] = *c;
			if (credit_code_normalize(&a, code))
				fail_msg("accepted %s (position %d changed)", code, pos);
		}
	}
	arena_release(&a);
}

static void malformed_codes_are_refused(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	const char *bad[] = {
	        "",
	        "91350100M000100Y4",   /* 17 */
	        "91350100M000100Y433", /* 19 */
	        "91350100M000 100Y43", /* inner space */
	        "91350100I000100Y43",  /* I, O, S, V, Z are not used */
	        "91350100O000100Y43",
	        "91350100S000100Y43",
	        "91350100V000100Y43",
	        "91350100Z000100Y43",
	        "91350100M000100Y4I",
	        "９１３５０１００Ｍ０００１００Ｙ４３", /* full-width */
	        "91350100-M000100Y43",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (credit_code_normalize(&a, bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	assert_null(credit_code_normalize(&a, NULL));
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(known_valid_codes_are_accepted),
	        cmocka_unit_test(check_character_is_computed),
	        cmocka_unit_test(lower_case_and_outer_spaces_are_normalized),
	        cmocka_unit_test(every_wrong_check_character_is_refused),
	        cmocka_unit_test(any_single_changed_character_is_detected),
	        cmocka_unit_test(malformed_codes_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
