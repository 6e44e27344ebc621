/*
 * test_money — yuan text to integer fen as people type it (grouping,
 * currency signs, 元, signs, one or two decimals), what is refused (three
 * decimals, letters, overflow past MONEY_MAX_FEN), and formatting back with
 * and without grouping, negatives included.
 */
#include "unit.h"

#include <inttypes.h>

#include "util/money.h"

static void parses(const char *s, int64_t want)
{
	int64_t fen = -777;
	if (!money_parse_yuan(s, &fen))
		fail_msg("refused \"%s\"", s);
	if (fen != want)
		fail_msg("\"%s\" gave %" PRId64 " fen, want %" PRId64, s, fen, want);
}

static void refuses(const char *s)
{
	int64_t fen = 0;
	if (money_parse_yuan(s, &fen))
		fail_msg("accepted \"%s\" as %" PRId64 " fen", s, fen);
}

static void parse_grouped_amounts(void **state)
{
	(void)state;
	parses("12,345.60", 1234560);
	parses("12,345.6", 1234560);
	parses("1,234,567.89", 123456789);
	parses("1，000", 100000); /* full-width comma from a Chinese keyboard */
	parses("12345", 1234500);
	parses("0", 0);
	parses("0.5", 50);
	parses("0.05", 5);
	parses(".5", 50);
	parses("  12.3 ", 1230);
}

static void parse_currency_signs_and_yuan_suffix(void **state)
{
	(void)state;
	parses("¥1,000", 100000);
	parses("￥1,000", 100000);
	parses("¥ 88", 8800);
	parses("1000元", 100000);
	parses("1,000.50 元", 100050);
	parses("¥1000元", 100000);
}

static void parse_signs(void **state)
{
	(void)state;
	parses("-5", -500);
	parses("+7", 700);
	parses("-0.01", -1);
	parses("-¥5", -500);
	parses("¥-5", -500);
	parses("- 12.30", -1230);
}

static void refuse_what_is_not_an_amount(void **state)
{
	(void)state;
	refuses("1.234");
	refuses("0.001");
	refuses("abc");
	refuses("");
	refuses("   ");
	refuses("1.2.3");
	refuses("12a");
	refuses("--5");
	refuses("¥");
	refuses("元");
	refuses(".");
	refuses("1e5");
	refuses("5元元");
	refuses("0x10");
	refuses(",5");
	int64_t fen;
	assert_false(money_parse_yuan(NULL, &fen));
}

static void refuse_separators_that_are_not_thousands(void **state)
{
	(void)state;
	/* "12,5" is 12.5 to a European and 125 to this parser: a 10x or 100x
	 * error in an amount is worse than asking again, so only groups of
	 * three digits are thousands */
	refuses("12,5");
	refuses("12,34");
	refuses("1,2345");
	refuses("1,000,00");
	refuses("1234,567");
	refuses("1,000.5,0");
	refuses("12，34");
	parses("1,000", 100000);
	parses("12,345,678.9", 1234567890);
}

static void refuse_amounts_past_the_limit(void **state)
{
	(void)state;
	parses("10000000000000", MONEY_MAX_FEN); /* 10^13 yuan = 10^15 fen, the limit */
	parses("-10000000000000", -MONEY_MAX_FEN);
	parses("9999999999999.99", MONEY_MAX_FEN - 1);
	refuses("10000000000000.01");
	refuses("-10000000000000.01");
	refuses("10000000000001");
	refuses("99999999999999999999");
	refuses("92233720368547758.07");
	refuses("999999999999999999999999999999");
}

static void formats(int64_t fen, bool grouping, const char *want)
{
	char out[MONEY_LEN];
	memset(out, 'Z', sizeof(out));
	money_format(out, fen, grouping);
	if (strcmp(out, want) != 0)
		fail_msg("%" PRId64 " fen formatted as \"%s\", want \"%s\"", fen, out, want);
}

static void format_with_and_without_grouping(void **state)
{
	(void)state;
	formats(1234560, true, "12,345.60");
	formats(1234560, false, "12345.60");
	formats(0, true, "0.00");
	formats(5, true, "0.05");
	formats(100, true, "1.00");
	formats(99999, true, "999.99");
	formats(100000, true, "1,000.00");
	formats(123456789, true, "1,234,567.89");
	formats(MONEY_MAX_FEN, true, "10,000,000,000,000.00");
}

static void format_negatives(void **state)
{
	(void)state;
	formats(-500, true, "-5.00");
	formats(-1, true, "-0.01");
	formats(-123456789, true, "-1,234,567.89");
	formats(-123456789, false, "-1234567.89");
	formats(INT64_MIN, true, "-92,233,720,368,547,758.08");
	formats(INT64_MAX, false, "92233720368547758.07");
}

static void formatted_amounts_parse_back(void **state)
{
	(void)state;
	int64_t samples[] = {0,      1,  10,      99,           100,           101,
	                     123456, -7, -100000, 999999999999, MONEY_MAX_FEN, -MONEY_MAX_FEN};
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		for (int g = 0; g < 2; g++) {
			char out[MONEY_LEN];
			money_format(out, samples[i], g);
			parses(out, samples[i]);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(parse_grouped_amounts),
	        cmocka_unit_test(parse_currency_signs_and_yuan_suffix),
	        cmocka_unit_test(parse_signs),
	        cmocka_unit_test(refuse_what_is_not_an_amount),
	        cmocka_unit_test(refuse_separators_that_are_not_thousands),
	        cmocka_unit_test(refuse_amounts_past_the_limit),
	        cmocka_unit_test(format_with_and_without_grouping),
	        cmocka_unit_test(format_negatives),
	        cmocka_unit_test(formatted_amounts_parse_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
