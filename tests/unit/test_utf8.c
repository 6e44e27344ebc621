/*
 * test_utf8 — validation (overlongs, surrogates, truncation and values past
 * U+10FFFF are refused), decoding and encoding, display width (CJK 2,
 * combining marks 0), trimming of every kind of white space including the
 * ideographic space, and full-width folding.
 */
#include "unit.h"

#include "util/utf8.h"

static bool valid(const char *s)
{
	return utf8_valid(s, strlen(s));
}

static void well_formed_text_is_valid(void **state)
{
	(void)state;
	assert_true(valid(""));
	assert_true(valid("plain ascii"));
	assert_true(valid("深圳市腾云科技有限公司"));
	assert_true(valid("caf\xc3\xa9"));      /* é, 2 bytes */
	assert_true(valid("\xf0\x9f\x98\x80")); /* U+1F600, 4 bytes */
	assert_true(valid("\xf4\x8f\xbf\xbf")); /* U+10FFFF, the last one */
	assert_true(valid("\xed\x9f\xbf"));     /* U+D7FF, just below surrogates */
	assert_true(valid("\xee\x80\x80"));     /* U+E000, just above */
	assert_true(utf8_valid("a\0b", 3));     /* NUL is a code point */
}

static void malformed_text_is_invalid(void **state)
{
	(void)state;
	assert_false(valid("\x80")); /* lone continuation */
	assert_false(valid("abc\xbf"));
	assert_false(valid("\xe4\xb8")); /* truncated 中 */
	assert_false(valid("\xe4\xb8"
	                   "a"));                /* bad continuation */
	assert_false(valid("\xc0\xaf"));         /* overlong '/' */
	assert_false(valid("\xc1\xbf"));         /* overlong */
	assert_false(valid("\xe0\x80\xaf"));     /* 3-byte overlong */
	assert_false(valid("\xe0\x9f\xbf"));     /* 3-byte overlong, max */
	assert_false(valid("\xf0\x80\x80\xaf")); /* 4-byte overlong */
	assert_false(valid("\xf0\x8f\xbf\xbf")); /* 4-byte overlong, max */
	assert_false(valid("\xed\xa0\x80"));     /* U+D800 surrogate */
	assert_false(valid("\xed\xbf\xbf"));     /* U+DFFF surrogate */
	assert_false(valid("\xf4\x90\x80\x80")); /* U+110000 */
	assert_false(valid("\xf5\x80\x80\x80"));
	assert_false(valid("\xfe"));
	assert_false(valid("\xff"));
	/* the length given is respected: a character cut by n is invalid */
	assert_false(utf8_valid("中", 2));
	assert_true(utf8_valid("中", 3));
}

static void decode_returns_code_points_and_advances(void **state)
{
	(void)state;
	const char *s = "a中\xf0\x9f\x98\x80";
	const char *p = s, *end = s + strlen(s);
	assert_int_equal(utf8_decode(&p, end), 'a');
	assert_ptr_equal(p, s + 1);
	assert_int_equal(utf8_decode(&p, end), 0x4E2D);
	assert_ptr_equal(p, s + 4);
	assert_int_equal(utf8_decode(&p, end), 0x1F600);
	assert_ptr_equal(p, end);
	assert_int_equal(utf8_decode(&p, end), -1); /* at the end */

	const char *bad = "\xc0\xafz";
	p = bad;
	assert_int_equal(utf8_decode(&p, bad + 3), -1);
	assert_ptr_equal(p, bad + 1); /* skips one byte */
}

static void encode_and_decode_round_trip(void **state)
{
	(void)state;
	int32_t cps[] = {0x24,   0x7F,   0x80,   0xA2,    0x7FF,   0x800,   0x4E2D,
	                 0x3000, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		char out[4];
		int n = utf8_encode(cps[i], out);
		int want = cps[i] < 0x80 ? 1 : cps[i] < 0x800 ? 2 : cps[i] < 0x10000 ? 3 : 4;
		assert_int_equal(n, want);
		assert_true(utf8_valid(out, (size_t)n));
		const char *p = out;
		assert_int_equal(utf8_decode(&p, out + n), cps[i]);
		assert_ptr_equal(p, out + n);
	}
}

static void chars_counts_code_points_not_bytes(void **state)
{
	(void)state;
	assert_int_equal(utf8_chars(""), 0);
	assert_int_equal(utf8_chars("abc"), 3);
	assert_int_equal(utf8_chars("客户管理"), 4);
	assert_int_equal(utf8_chars("a中\xf0\x9f\x98\x80"), 3);
}

static void width_of_chinese_is_two_and_combining_is_zero(void **state)
{
	(void)state;
	assert_int_equal(utf8_width("abc"), 3);
	assert_int_equal(utf8_width("中文"), 4);
	assert_int_equal(utf8_width("客户A"), 5);
	assert_int_equal(utf8_width("ＡＢ"), 4);      /* full-width forms */
	assert_int_equal(utf8_width("e\xcc\x81"), 1); /* e + U+0301 */
	assert_int_equal(utf8_cp_width(0x0301), 0);
	assert_int_equal(utf8_cp_width(0x4E2D), 2);
	assert_int_equal(utf8_cp_width(0x3000), 2); /* ideographic space */
	assert_int_equal(utf8_cp_width('\t'), 0);
	assert_int_equal(utf8_cp_width(0x7F), 0);
	assert_int_equal(utf8_width("a\tb"), 2);
}

static void cjk_and_space_classes(void **state)
{
	(void)state;
	assert_true(utf8_is_cjk(0x4E2D));  /* 中 */
	assert_true(utf8_is_cjk(0x3042));  /* あ */
	assert_true(utf8_is_cjk(0xAC00));  /* 가 */
	assert_true(utf8_is_cjk(0x20000)); /* ext B */
	assert_false(utf8_is_cjk('A'));
	assert_false(utf8_is_cjk(0xFF21)); /* full-width A is not an ideograph */
	assert_false(utf8_is_cjk(0x3000));
	assert_true(utf8_is_space(' '));
	assert_true(utf8_is_space('\t'));
	assert_true(utf8_is_space(0x3000));
	assert_true(utf8_is_space(0xA0));
	assert_true(utf8_is_space(0xFEFF));
	assert_false(utf8_is_space('x'));
	assert_false(utf8_is_space(0x4E2D));
}

static void trim_removes_all_kinds_of_outer_space(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	assert_null(utf8_trim(&a, NULL));
	assert_string_equal(utf8_trim(&a, "  abc  "), "abc");
	assert_string_equal(utf8_trim(&a, "\t\r\nabc\n"), "abc");
	assert_string_equal(utf8_trim(&a, "\xe3\x80\x80客户\xe3\x80\x80"), "客户");
	assert_string_equal(utf8_trim(&a, "\xc2\xa0 王 芳 \xc2\xa0"), "王 芳");
	assert_string_equal(utf8_trim(&a, "\xef\xbb\xbf"
	                                  "name"),
	                    "name"); /* BOM */
	assert_string_equal(utf8_trim(&a, "   "), "");
	assert_string_equal(utf8_trim(&a, "\xe3\x80\x80"), "");
	assert_string_equal(utf8_trim(&a, ""), "");
	assert_string_equal(utf8_trim(&a, "inner  space"), "inner  space");
	arena_release(&a);
}

static void fold_makes_full_width_half_width(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	assert_string_equal(utf8_fold(&a, "ＡＢＣ１２３", false), "ABC123");
	assert_string_equal(utf8_fold(&a, "ＡＢＣ１２３", true), "abc123");
	assert_string_equal(utf8_fold(&a, "IT互联网", true), "it互联网");
	assert_string_equal(utf8_fold(&a, "ＩＴ\xe3\x80\x80Ｓｅｒｖｉｃｅｓ", true), "it services");
	assert_string_equal(utf8_fold(&a, "  a \t\xe3\x80\x80 b  ", false), "a b");
	assert_string_equal(utf8_fold(&a, "（北京）", false), "(北京)");
	assert_string_equal(utf8_fold(&a, "客户", true), "客户");
	assert_string_equal(utf8_fold(&a, "", true), "");
	arena_release(&a);
}

static void prefix_width_never_splits_a_wide_character(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	assert_string_equal(utf8_prefix_width(&a, "中文abc", 3), "中");
	assert_string_equal(utf8_prefix_width(&a, "中文abc", 4), "中文");
	assert_string_equal(utf8_prefix_width(&a, "中文abc", 5), "中文a");
	assert_string_equal(utf8_prefix_width(&a, "中文abc", 100), "中文abc");
	assert_string_equal(utf8_prefix_width(&a, "中文", 1), "");
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(well_formed_text_is_valid),
	        cmocka_unit_test(malformed_text_is_invalid),
	        cmocka_unit_test(decode_returns_code_points_and_advances),
	        cmocka_unit_test(encode_and_decode_round_trip),
	        cmocka_unit_test(chars_counts_code_points_not_bytes),
	        cmocka_unit_test(width_of_chinese_is_two_and_combining_is_zero),
	        cmocka_unit_test(cjk_and_space_classes),
	        cmocka_unit_test(trim_removes_all_kinds_of_outer_space),
	        cmocka_unit_test(fold_makes_full_width_half_width),
	        cmocka_unit_test(prefix_width_never_splits_a_wide_character),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
