/*
 * test_jsonw — the streaming JSON writer: separators, escapes, and that what it
 * writes is JSON jansson reads back to the same values.
 */
#include <jansson.h>

#include "unit.h"
#include "util/jsonw.h"

static char *written(void (*fill)(jsonw *w))
{
	buf b;
	buf_init(&b, 0);
	jsonw w;
	jsonw_init(&w, &b);
	fill(&w);
	return buf_detach(&b, NULL);
}

static void nested(jsonw *w)
{
	jsonw_object(w);
	jsonw_key(w, "a");
	jsonw_int(w, -12);
	jsonw_key(w, "list");
	jsonw_array(w);
	jsonw_bool(w, true);
	jsonw_null(w);
	jsonw_string(w, NULL);
	jsonw_raw(w, "[\"x\"]");
	jsonw_object(w);
	jsonw_object_end(w);
	jsonw_array_end(w);
	jsonw_key(w, "s");
	jsonw_string(w, "客户");
	jsonw_object_end(w);
}

static void commas_and_nesting_come_out_right(void **state)
{
	(void)state;
	char *t = written(nested);
	assert_string_equal(t, "{\"a\":-12,\"list\":[true,null,null,[\"x\"],{}],\"s\":\"客户\"}");
	free(t);
}

static const char *tricky;

static void one_string(jsonw *w)
{
	jsonw_array(w);
	jsonw_string(w, tricky);
	jsonw_array_end(w);
}

/* write s, read it back with jansson, and expect the same string */
static void round_trips(const char *s, const char *expect_text)
{
	tricky = s;
	char *t = written(one_string);
	if (expect_text)
		assert_string_equal(t, expect_text);
	json_error_t je;
	json_t *j = json_loads(t, 0, &je);
	if (!j)
		fail_msg("not JSON: %s (%s)", t, je.text);
	assert_string_equal(json_string_value(json_array_get(j, 0)), s);
	json_decref(j);
	free(t);
}

static void quotes_backslashes_and_controls_are_escaped(void **state)
{
	(void)state;
	round_trips("say \"hi\" \\ there", "[\"say \\\"hi\\\" \\\\ there\"]");
	round_trips("line1\nline2\r\tend", "[\"line1\\nline2\\r\\tend\"]");
	round_trips("bell\x07 esc\x1b", "[\"bell\\u0007 esc\\u001b\"]");
}

static void line_separators_are_escaped_other_characters_kept(void **state)
{
	(void)state;
	/* U+2028 and U+2029 break JavaScript string literals: escaped */
	round_trips("a\xe2\x80\xa8"
	            "b\xe2\x80\xa9"
	            "c",
	            "[\"a\\u2028b\\u2029c\"]");
	/* other characters starting with the same byte stay as they are: — € … */
	round_trips("深圳—€…", "[\"深圳—€…\"]");
	round_trips("", "[\"\"]");
}

static void keys_are_escaped_too(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 0);
	jsonw w;
	jsonw_init(&w, &b);
	jsonw_object(&w);
	jsonw_key(&w, "a\"b");
	jsonw_int(&w, 1);
	jsonw_object_end(&w);
	assert_string_equal(buf_str(&b), "{\"a\\\"b\":1}");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(commas_and_nesting_come_out_right),
	        cmocka_unit_test(quotes_backslashes_and_controls_are_escaped),
	        cmocka_unit_test(line_separators_are_escaped_other_characters_kept),
	        cmocka_unit_test(keys_are_escaped_too),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
