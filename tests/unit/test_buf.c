/*
 * test_buf — the capped growable buffer: appends keep the data
 * NUL-terminated, the cap is never exceeded and a refused append leaves
 * the content as it was, detach hands over ownership, clear and release.
 */
#include "unit.h"

#include "util/buf.h"

static void appends_build_a_terminated_string(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_adds(&b, "客户"), 0);
	assert_int_equal(buf_addc(&b, '-'), 0);
	assert_int_equal(buf_add(&b, "12345", 3), 0);
	assert_int_equal(buf_addf(&b, "/%d/%s", 42, "ok"), 0);
	assert_string_equal(buf_str(&b), "客户-123/42/ok");
	assert_int_equal(b.len, strlen("客户-123/42/ok"));
	assert_int_equal(b.data[b.len], '\0');
	buf_release(&b);
}

static void grows_past_many_doublings_without_a_cap(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 0);
	for (int i = 0; i < 100000; i++)
		assert_int_equal(buf_addc(&b, (char)('a' + i % 26)), 0);
	assert_int_equal(b.len, 100000);
	assert_int_equal(strlen(buf_str(&b)), 100000);
	assert_int_equal(b.data[99999], 'a' + 99999 % 26);
	buf_release(&b);
}

static void adding_past_the_cap_fails_and_keeps_content(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 10);
	assert_int_equal(buf_adds(&b, "12345678"), 0);
	assert_int_equal(buf_adds(&b, "abc"), -1);
	assert_string_equal(buf_str(&b), "12345678");
	assert_int_equal(b.len, 8);
	assert_int_equal(buf_addf(&b, "%s", "xyz"), -1);
	assert_string_equal(buf_str(&b), "12345678");
	assert_int_equal(buf_add(&b, "abcdef", 6), -1);
	assert_string_equal(buf_str(&b), "12345678");
	/* exactly up to the cap is allowed */
	assert_int_equal(buf_adds(&b, "90"), 0);
	assert_string_equal(buf_str(&b), "1234567890");
	assert_int_equal(b.len, 10);
	assert_int_equal(buf_addc(&b, 'X'), -1);
	assert_string_equal(buf_str(&b), "1234567890");
	assert_true(b.len <= b.cap);
	buf_release(&b);
}

static void a_single_oversized_append_is_refused_on_an_empty_buffer(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 4);
	assert_int_equal(buf_adds(&b, "hello"), -1);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_addf(&b, "%d", 123456), -1);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void detach_hands_over_the_data(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	assert_int_equal(buf_adds(&b, "owned"), 0);
	size_t len = 0;
	char *d = buf_detach(&b, &len);
	assert_string_equal(d, "owned");
	assert_int_equal(len, 5);
	assert_int_equal(b.len, 0);
	assert_null(b.data);
	assert_string_equal(buf_str(&b), "");
	free(d);

	/* detaching an empty buffer still gives a string the caller frees */
	char *e = buf_detach(&b, &len);
	assert_non_null(e);
	assert_string_equal(e, "");
	assert_int_equal(len, 0);
	free(e);
}

static void clear_empties_but_keeps_the_cap(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 6);
	assert_int_equal(buf_adds(&b, "abcdef"), 0);
	buf_clear(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_adds(&b, "uvwxyz"), 0);
	assert_int_equal(buf_addc(&b, '!'), -1);
	assert_string_equal(buf_str(&b), "uvwxyz");
	buf_release(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	/* reusable after release */
	assert_int_equal(buf_adds(&b, "again"), 0);
	assert_string_equal(buf_str(&b), "again");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(appends_build_a_terminated_string),
	        cmocka_unit_test(grows_past_many_doublings_without_a_cap),
	        cmocka_unit_test(adding_past_the_cap_fails_and_keeps_content),
	        cmocka_unit_test(a_single_oversized_append_is_refused_on_an_empty_buffer),
	        cmocka_unit_test(detach_hands_over_the_data),
	        cmocka_unit_test(clear_empties_but_keeps_the_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
