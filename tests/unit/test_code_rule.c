/*
 * test_code_rule — customer codes <prefix><year><sequence> (XS2024001),
 * hand-given codes and department prefixes.
 */
#include "unit.h"

#include "core/code_rule.h"

static void format_pads_the_sequence_to_the_width(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	assert_string_equal(code_format(&a, "XS", 2024, 1, 3), "XS2024001");
	assert_string_equal(code_format(&a, "XS", 2024, 42, 3), "XS2024042");
	assert_string_equal(code_format(&a, "XS", 2024, 999, 3), "XS2024999");
	assert_string_equal(code_format(&a, "XS", 2024, 1000, 3),
	                    "XS20241000"); /* grows, no wrap */
	assert_string_equal(code_format(&a, "KH", 2025, 7, 5), "KH202500007");
	assert_string_equal(code_format(&a, "C", 2024, 5001, 4), "C20245001");
	assert_string_equal(code_format(&a, "KF", 2024, 3, 1), "KF20243");
	arena_release(&a);
}

static void format_falls_back_to_the_default_width(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	assert_string_equal(code_format(&a, "XS", 2024, 1, 0), "XS2024001");
	assert_string_equal(code_format(&a, "XS", 2024, 1, -2), "XS2024001");
	assert_string_equal(code_format(&a, "XS", 2024, 1, 10), "XS2024001");
	assert_int_equal(CODE_DEFAULT_WIDTH, 3);
	arena_release(&a);
}

static void formatted_codes_are_valid_codes(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	assert_true(code_valid(code_format(&a, "XS", 2024, 1, 3)));
	assert_true(code_valid(code_format(&a, "ABCDEFGH", 9999, 999999999, 9)));
	arena_release(&a);
}

static void hand_given_codes(void **state)
{
	(void)state;
	assert_true(code_valid("XS2024001"));
	assert_true(code_valid("C202405001"));
	assert_true(code_valid("a-b_c.d"));
	assert_true(code_valid("12345678901234567890123456789012"));   /* 32 */
	assert_false(code_valid("123456789012345678901234567890123")); /* 33 */
	assert_false(code_valid(""));
	assert_false(code_valid(NULL));
	assert_false(code_valid("XS 2024"));
	assert_false(code_valid("XS/2024"));
	assert_false(code_valid("客户001"));
	assert_false(code_valid("XS2024001\n"));
}

static void department_prefixes(void **state)
{
	(void)state;
	assert_true(code_prefix_valid("XS"));
	assert_true(code_prefix_valid("A1"));
	assert_true(code_prefix_valid("ABCDEFGH"));
	assert_false(code_prefix_valid("ABCDEFGHI"));
	assert_false(code_prefix_valid(""));
	assert_false(code_prefix_valid(NULL));
	assert_false(code_prefix_valid("X-S"));
	assert_false(code_prefix_valid("销售"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(format_pads_the_sequence_to_the_width),
	        cmocka_unit_test(format_falls_back_to_the_default_width),
	        cmocka_unit_test(formatted_codes_are_valid_codes),
	        cmocka_unit_test(hand_given_codes),
	        cmocka_unit_test(department_prefixes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
