/*
 * test_tokenize — the search tokenizer shared by both engines. Index mode:
 * each CJK character a unigram with the bigram starting at it colocated;
 * query mode: bigrams only (one character: its unigram); ASCII words
 * lowered, full-width folded, separators dropped. And search_terms, which
 * splits what a user typed into CJK runs and words.
 */
#include "unit.h"

#include "core/tokenize.h"

#define MAX_TOKENS 64

typedef struct tok {
	int flags;
	char text[TOKEN_MAX_BYTES + 1];
	int len, start, end;
} tok;

typedef struct toks {
	tok t[MAX_TOKENS];
	int n;
	int stop_after; /* return non-zero after this many tokens (0: never) */
} toks;

static int collect(void *ud, int flags, const char *text, int len, int start, int end)
{
	toks *ts = ud;
	assert_true(ts->n < MAX_TOKENS);
	assert_true(len > 0 && len <= TOKEN_MAX_BYTES);
	tok *t = &ts->t[ts->n++];
	t->flags = flags;
	memcpy(t->text, text, (size_t)len);
	t->text[len] = '\0';
	t->len = len;
	t->start = start;
	t->end = end;
	return ts->stop_after && ts->n >= ts->stop_after ? 99 : 0;
}

static void run(toks *ts, const char *text, bool query)
{
	memset(ts, 0, sizeof(*ts));
	assert_int_equal(tokenize(text, (int)strlen(text), query, collect, ts), 0);
}

static void expect(const toks *ts, int i, const char *text, int flags)
{
	if (i >= ts->n)
		fail_msg("token %d missing (want \"%s\"), only %d", i, text, ts->n);
	if (strcmp(ts->t[i].text, text) != 0 || ts->t[i].flags != flags)
		fail_msg("token %d is \"%s\"/%d, want \"%s\"/%d", i, ts->t[i].text, ts->t[i].flags,
		         text, flags);
}

static void index_emits_unigrams_with_colocated_bigrams(void **state)
{
	(void)state;
	toks ts;
	run(&ts, "科技公司", false);
	assert_int_equal(ts.n, 7);
	expect(&ts, 0, "科", 0);
	expect(&ts, 1, "科技", TOKEN_COLOCATED);
	expect(&ts, 2, "技", 0);
	expect(&ts, 3, "技公", TOKEN_COLOCATED);
	expect(&ts, 4, "公", 0);
	expect(&ts, 5, "公司", TOKEN_COLOCATED);
	expect(&ts, 6, "司", 0);
	/* byte ranges point into the input */
	assert_int_equal(ts.t[0].start, 0);
	assert_int_equal(ts.t[0].end, 3);
	assert_int_equal(ts.t[1].start, 0);
	assert_int_equal(ts.t[1].end, 6);
	assert_int_equal(ts.t[6].start, 9);
	assert_int_equal(ts.t[6].end, 12);
}

static void index_of_a_single_character(void **state)
{
	(void)state;
	toks ts;
	run(&ts, "王", false);
	assert_int_equal(ts.n, 1);
	expect(&ts, 0, "王", 0);
}

static void query_emits_bigrams_only(void **state)
{
	(void)state;
	toks ts;
	run(&ts, "科技公司", true);
	assert_int_equal(ts.n, 3);
	expect(&ts, 0, "科技", 0);
	expect(&ts, 1, "技公", 0);
	expect(&ts, 2, "公司", 0);
	run(&ts, "科技", true);
	assert_int_equal(ts.n, 1);
	expect(&ts, 0, "科技", 0);
}

static void query_of_one_character_is_its_unigram(void **state)
{
	(void)state;
	toks ts;
	run(&ts, "科", true);
	assert_int_equal(ts.n, 1);
	expect(&ts, 0, "科", 0);
	run(&ts, "科 技", true); /* two runs of one character each */
	assert_int_equal(ts.n, 2);
	expect(&ts, 0, "科", 0);
	expect(&ts, 1, "技", 0);
}

static void ascii_words_are_lowered(void **state)
{
	(void)state;
	toks ts;
	run(&ts, "Hello World_2024, XS2024001!", false);
	assert_int_equal(ts.n, 3);
	expect(&ts, 0, "hello", 0);
	expect(&ts, 1, "world_2024", 0);
	expect(&ts, 2, "xs2024001", 0);
	assert_int_equal(ts.t[1].start, 6);
	assert_int_equal(ts.t[1].end, 16);
	/* query mode treats words the same */
	run(&ts, "Hello", true);
	assert_int_equal(ts.n, 1);
	expect(&ts, 0, "hello", 0);
}

static void full_width_text_is_folded(void **state)
{
	(void)state;
	toks ts;
	run(&ts, "ＸＳ２０２４　ＡＢＣ", false);
	assert_int_equal(ts.n, 2);
	expect(&ts, 0, "xs2024", 0);
	expect(&ts, 1, "abc", 0);
	assert_int_equal(ts.t[0].start, 0);
	assert_int_equal(ts.t[0].end, 18); /* six 3-byte characters */
}

static void mixed_text_switches_between_words_and_cjk(void **state)
{
	(void)state;
	toks ts;
	run(&ts, "深圳abc科技", false);
	assert_int_equal(ts.n, 7);
	expect(&ts, 0, "深", 0);
	expect(&ts, 1, "深圳", TOKEN_COLOCATED);
	expect(&ts, 2, "圳", 0);
	expect(&ts, 3, "abc", 0);
	expect(&ts, 4, "科", 0);
	expect(&ts, 5, "科技", TOKEN_COLOCATED);
	expect(&ts, 6, "技", 0);
	/* no bigram across the word: 圳科 would match text that is not there */
	for (int i = 0; i < ts.n; i++)
		assert_string_not_equal(ts.t[i].text, "圳科");
}

static void separators_and_punctuation_are_dropped(void **state)
{
	(void)state;
	toks ts;
	run(&ts, "，。、（）—— - / ", false);
	assert_int_equal(ts.n, 0);
	run(&ts, "腾云，科技", false);
	/* 腾 腾云 云 | 科 科技 技 : the comma breaks the run */
	assert_int_equal(ts.n, 6);
	for (int i = 0; i < ts.n; i++)
		assert_string_not_equal(ts.t[i].text, "云科");
}

static void long_words_are_cut_at_the_token_limit(void **state)
{
	(void)state;
	char text[201];
	memset(text, 'a', 200);
	text[200] = '\0';
	toks ts;
	run(&ts, text, false);
	assert_int_equal(ts.n, 1);
	assert_int_equal(ts.t[0].len, TOKEN_MAX_BYTES);
	assert_int_equal(ts.t[0].end, 200);
}

static void callback_can_stop_the_walk(void **state)
{
	(void)state;
	toks ts;
	memset(&ts, 0, sizeof(ts));
	ts.stop_after = 2;
	const char *text = "科技公司 hello world";
	assert_int_equal(tokenize(text, (int)strlen(text), false, collect, &ts), 99);
	assert_int_equal(ts.n, 2);
}

static void search_terms_split_at_script_changes(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	search_term t[8];
	int n = search_terms(&a, "深圳abc科技", t, 8);
	assert_int_equal(n, 3);
	assert_string_equal(t[0].text, "深圳");
	assert_true(t[0].cjk);
	assert_string_equal(t[1].text, "abc");
	assert_false(t[1].cjk);
	assert_string_equal(t[2].text, "科技");
	assert_true(t[2].cjk);

	n = search_terms(&a, "  王芳 13812345678 ", t, 8);
	assert_int_equal(n, 2);
	assert_string_equal(t[0].text, "王芳");
	assert_string_equal(t[1].text, "13812345678");
	assert_false(t[1].cjk);

	n = search_terms(&a, "ＸＳ２０２４００１", t, 8);
	assert_int_equal(n, 1);
	assert_string_equal(t[0].text, "xs2024001");

	n = search_terms(&a, "腾云，科技！", t, 8);
	assert_int_equal(n, 2);
	assert_string_equal(t[0].text, "腾云");
	assert_string_equal(t[1].text, "科技");
	arena_release(&a);
}

static void search_terms_of_nothing_searchable_is_zero(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	search_term t[4];
	assert_int_equal(search_terms(&a, "", t, 4), 0);
	assert_int_equal(search_terms(&a, "   ", t, 4), 0);
	assert_int_equal(search_terms(&a, "，。！？-/*\"", t, 4), 0);
	arena_release(&a);
}

static void search_terms_respect_the_maximum(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	search_term t[2];
	assert_int_equal(search_terms(&a, "a b c d e", t, 2), 2);
	assert_string_equal(t[0].text, "a");
	assert_string_equal(t[1].text, "b");
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(index_emits_unigrams_with_colocated_bigrams),
	        cmocka_unit_test(index_of_a_single_character),
	        cmocka_unit_test(query_emits_bigrams_only),
	        cmocka_unit_test(query_of_one_character_is_its_unigram),
	        cmocka_unit_test(ascii_words_are_lowered),
	        cmocka_unit_test(full_width_text_is_folded),
	        cmocka_unit_test(mixed_text_switches_between_words_and_cjk),
	        cmocka_unit_test(separators_and_punctuation_are_dropped),
	        cmocka_unit_test(long_words_are_cut_at_the_token_limit),
	        cmocka_unit_test(callback_can_stop_the_walk),
	        cmocka_unit_test(search_terms_split_at_script_changes),
	        cmocka_unit_test(search_terms_of_nothing_searchable_is_zero),
	        cmocka_unit_test(search_terms_respect_the_maximum),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
