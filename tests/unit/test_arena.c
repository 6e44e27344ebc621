/*
 * test_arena — the bump allocator: every block aligned and zeroed, blocks
 * never overlap, requests larger than a chunk work, the printf and dup
 * helpers, and reset/release leaving a reusable arena.
 */
#include "unit.h"

static void alloc_is_aligned_for_any_type(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	size_t sizes[] = {1, 3, 7, 8, 15, 16, 17, 31, 100, 1000, 5000};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		void *p = arena_alloc(&a, sizes[i]);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		assert_int_equal((uintptr_t)p % 16, 0);
	}
	arena_release(&a);
}

static void alloc_returns_zeroed_memory_even_after_reset(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	unsigned char *p = arena_alloc(&a, 256);
	for (int i = 0; i < 256; i++)
		assert_int_equal(p[i], 0);
	memset(p, 0xAB, 256);
	arena_reset(&a);
	unsigned char *q = arena_alloc(&a, 256);
	for (int i = 0; i < 256; i++)
		assert_int_equal(q[i], 0);
	arena_release(&a);
}

static void blocks_do_not_overlap(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	enum { N = 2000, SZ = 24 };
	unsigned char *blocks[N];
	for (int i = 0; i < N; i++) {
		blocks[i] = arena_alloc(&a, SZ);
		memset(blocks[i], i & 0xFF, SZ);
	}
	for (int i = 0; i < N; i++)
		for (int k = 0; k < SZ; k++)
			assert_int_equal(blocks[i][k], i & 0xFF);
	assert_true(a.total >= (size_t)N * SZ);
	arena_release(&a);
}

static void large_allocation_gets_a_usable_chunk(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	char *small = arena_strdup(&a, "before");
	size_t big = 3u << 20; /* larger than the biggest regular chunk */
	unsigned char *p = arena_alloc(&a, big);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 16, 0);
	assert_int_equal(p[0], 0);
	assert_int_equal(p[big - 1], 0);
	memset(p, 0x5A, big);
	assert_true(a.total >= big);
	char *after = arena_strdup(&a, "after");
	assert_string_equal(small, "before");
	assert_string_equal(after, "after");
	assert_int_equal(p[big / 2], 0x5A);
	arena_release(&a);
}

static void calloc_zeroes_arrays(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	int64_t *v = arena_calloc(&a, 1000, sizeof(int64_t));
	for (int i = 0; i < 1000; i++)
		assert_int_equal(v[i], 0);
	arena_release(&a);
}

static void printf_formats_short_and_long_strings(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	assert_string_equal(arena_printf(&a, "%s-%d", "客户", 42), "客户-42");
	assert_string_equal(arena_printf(&a, "%s", ""), "");
	/* longer than the 256-byte fast path */
	char want[2001];
	memset(want, 'x', 2000);
	want[2000] = '\0';
	char *s = arena_printf(&a, "%.*s", 2000, want);
	assert_int_equal(strlen(s), 2000);
	assert_string_equal(s, want);
	char *t = arena_printf(&a, "%s|%s", want, "end");
	assert_int_equal(strlen(t), 2004);
	assert_string_equal(t + 2000, "|end");
	arena_release(&a);
}

static void dup_helpers_copy_and_terminate(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	assert_null(arena_strdup(&a, NULL));
	assert_null(arena_strndup(&a, NULL, 3));
	const char *src = "深圳市";
	char *d = arena_strdup(&a, src);
	assert_ptr_not_equal(d, src);
	assert_string_equal(d, src);
	assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
	assert_string_equal(arena_strndup(&a, "ab", 10), "ab");
	char *m = arena_memdup(&a, "a\0b", 3);
	assert_int_equal(m[0], 'a');
	assert_int_equal(m[1], '\0');
	assert_int_equal(m[2], 'b');
	assert_int_equal(m[3], '\0');
	arena_release(&a);
}

static void reset_keeps_one_chunk_and_stays_usable(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	for (int i = 0; i < 100; i++)
		arena_alloc(&a, 10000);
	size_t before = a.total;
	arena_reset(&a);
	assert_non_null(a.head);
	assert_true(a.total < before);
	assert_true(a.total > 0);
	char *s = arena_printf(&a, "%d", 7);
	assert_string_equal(s, "7");
	arena_release(&a);
}

static void release_empties_and_arena_is_reusable(void **state)
{
	(void)state;
	arena a;
	arena_init(&a);
	assert_null(a.head);
	assert_int_equal(a.total, 0);
	arena_strdup(&a, "x");
	assert_true(a.total > 0);
	arena_release(&a);
	assert_null(a.head);
	assert_int_equal(a.total, 0);
	assert_string_equal(arena_strdup(&a, "again"), "again");
	arena_release(&a);
	arena_reset(&a); /* on an empty arena: nothing to do, no crash */
	assert_null(a.head);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(alloc_is_aligned_for_any_type),
	        cmocka_unit_test(alloc_returns_zeroed_memory_even_after_reset),
	        cmocka_unit_test(blocks_do_not_overlap),
	        cmocka_unit_test(large_allocation_gets_a_usable_chunk),
	        cmocka_unit_test(calloc_zeroes_arrays),
	        cmocka_unit_test(printf_formats_short_and_long_strings),
	        cmocka_unit_test(dup_helpers_copy_and_terminate),
	        cmocka_unit_test(reset_keeps_one_chunk_and_stays_usable),
	        cmocka_unit_test(release_empties_and_arena_is_reusable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
