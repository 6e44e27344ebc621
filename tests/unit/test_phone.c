/*
 * test_phone — normalising the phone numbers people type (mobiles with
 * +86/0086, spaces, dashes, full-width digits; landlines with area codes
 * and extensions; 400/800 numbers; foreign numbers) and refusing what is
 * not a number, then masking the normal forms (138****5678 ...).
 */
#include "unit.h"

#include "core/phone.h"

static void normalizes_to(const char *in, const char *want)
{
	arena a = ARENA_INIT;
	char *got = phone_normalize(&a, in);
	if (!got)
		fail_msg("\"%s\" refused, want \"%s\"", in, want);
	if (strcmp(got, want) != 0)
		fail_msg("\"%s\" normalised to \"%s\", want \"%s\"", in, got, want);
	arena_release(&a);
}

static void refused(const char *in)
{
	arena a = ARENA_INIT;
	char *got = phone_normalize(&a, in);
	if (got)
		fail_msg("\"%s\" accepted as \"%s\"", in, got);
	arena_release(&a);
}

static void masks_to(const char *normal, const char *want)
{
	arena a = ARENA_INIT;
	char *got = phone_mask(&a, normal);
	assert_non_null(got);
	if (strcmp(got, want) != 0)
		fail_msg("\"%s\" masked as \"%s\", want \"%s\"", normal, got, want);
	arena_release(&a);
}

static void mobile_numbers_in_every_spelling(void **state)
{
	(void)state;
	normalizes_to("13812345678", "13812345678");
	normalizes_to("138 1234 5678", "13812345678");
	normalizes_to("138-1234-5678", "13812345678");
	normalizes_to(" 138.1234.5678 ", "13812345678");
	normalizes_to("+86 138 1234 5678", "13812345678");
	normalizes_to("+8613812345678", "13812345678");
	normalizes_to("0086 13812345678", "13812345678");
	normalizes_to("008613812345678", "13812345678");
	normalizes_to("8613812345678", "13812345678");
	normalizes_to("(+86) 138-1234-5678", "13812345678");
	normalizes_to("１３８１２３４５６７８", "13812345678"); /* full-width digits */
	normalizes_to("＋８６　１３８　１２３４　５６７８",
	              "13812345678"); /* and full-width + and space */
	normalizes_to("19912345678", "19912345678");
}

static void landlines_keep_their_area_code(void **state)
{
	(void)state;
	normalizes_to("010-12345678", "010-12345678");
	normalizes_to("01012345678", "010-12345678");
	normalizes_to("(010) 1234 5678", "010-12345678");
	normalizes_to("021-87654321", "021-87654321");
	normalizes_to("0755-12345678", "0755-12345678");
	normalizes_to("0755 1234567", "0755-1234567");
}

static void landlines_in_international_form_get_their_trunk_zero_back(void **state)
{
	(void)state;
	/* business cards print landlines as +86-755-xxxx-xxxx (no trunk 0) */
	normalizes_to("+86 755 1234 5678", "0755-12345678");
	normalizes_to("+86-10-12345678", "010-12345678");
	normalizes_to("0086 21 8765 4321", "021-87654321");
}

static void landline_extensions_are_kept(void **state)
{
	(void)state;
	normalizes_to("0755-12345678转123", "0755-12345678-123");
	normalizes_to("010-12345678 ext. 8", "010-12345678-8");
	normalizes_to("010-12345678 EXT 8", "010-12345678-8");
	normalizes_to("010-12345678#66", "010-12345678-66");
	normalizes_to("010-12345678x66", "010-12345678-66");
}

static void service_numbers_are_grouped(void **state)
{
	(void)state;
	normalizes_to("400-123-4567", "400-123-4567");
	normalizes_to("4001234567", "400-123-4567");
	normalizes_to("400 123 4567", "400-123-4567");
	normalizes_to("800-810-8888", "800-810-8888");
}

static void foreign_numbers_keep_the_plus(void **state)
{
	(void)state;
	normalizes_to("+1 (202) 555-0123", "+12025550123");
	normalizes_to("+44 20 7946 0958", "+442079460958");
	normalizes_to("+852 2123 4567", "+85221234567");
}

static void what_is_not_a_phone_number_is_refused(void **state)
{
	(void)state;
	refused("");
	refused("   ");
	refused("abc");
	refused("12345");
	refused("1381234567");   /* 10 digits */
	refused("138123456789"); /* 12 digits */
	refused("23812345678");  /* not 1x */
	refused("12812345678");  /* 12x is no mobile prefix */
	refused("138a12345678");
	refused("138-1234-5678 ext 12"); /* mobiles have no extension */
	refused("++8613812345678");
	refused("138+12345678");
	refused("+1 23");             /* too short for E.164 */
	refused("+1234567890123456"); /* 16 digits */
	refused("010-123456");        /* local part too short */
	refused("0010-12345678");
	refused("0755-12345678转123456789"); /* extension too long */
	refused("电话13812345678");
	arena a = ARENA_INIT;
	assert_null(phone_normalize(&a, NULL));
	arena_release(&a);
}

static void mask_hides_the_middle_digits(void **state)
{
	(void)state;
	masks_to("13812345678", "138****5678");
	masks_to("010-12345678", "010-****5678");
	masks_to("0755-12345678", "0755-****5678");
	masks_to("0755-1234567", "0755-****4567");
	masks_to("0755-12345678-123", "0755-****5678"); /* extension dropped */
	masks_to("400-123-4567", "400-***-4567");
	masks_to("800-810-8888", "800-***-8888");
	arena a = ARENA_INIT;
	assert_null(phone_mask(&a, NULL));
	arena_release(&a);
}

static void mask_of_foreign_numbers_keeps_only_the_ends(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	const char *in = "+12025550123";
	char *m = phone_mask(&a, in);
	assert_non_null(m);
	assert_int_equal(strlen(m), strlen(in));
	assert_int_equal(m[0], '+');
	assert_string_equal(m + strlen(m) - 4, "0123");
	/* the subscriber digits in the middle are hidden */
	assert_null(strstr(m, "555"));
	int stars = 0;
	for (const char *p = m; *p; p++)
		stars += *p == '*';
	assert_true(stars >= 5);
	arena_release(&a);
}

static void mask_never_reveals_a_normalized_mobile(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	const char *inputs[] = {"+86 139-0000-1111", "0086 186 2222 3333",
	                        "１５０１２３４５６７８"};
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		char *n = phone_normalize(&a, inputs[i]);
		assert_non_null(n);
		char *m = phone_mask(&a, n);
		assert_int_equal(strlen(m), 11);
		assert_memory_equal(m + 3, "****", 4);
		assert_memory_equal(m, n, 3);
		assert_string_equal(m + 7, n + 7);
	}
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(mobile_numbers_in_every_spelling),
	        cmocka_unit_test(landlines_keep_their_area_code),
	        cmocka_unit_test(landlines_in_international_form_get_their_trunk_zero_back),
	        cmocka_unit_test(landline_extensions_are_kept),
	        cmocka_unit_test(service_numbers_are_grouped),
	        cmocka_unit_test(foreign_numbers_keep_the_plus),
	        cmocka_unit_test(what_is_not_a_phone_number_is_refused),
	        cmocka_unit_test(mask_hides_the_middle_digits),
	        cmocka_unit_test(mask_of_foreign_numbers_keeps_only_the_ends),
	        cmocka_unit_test(mask_never_reveals_a_normalized_mobile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
