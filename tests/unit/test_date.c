/*
 * test_date — strict ISO date parsing, leap years, day arithmetic and the
 * days <-> civil date conversion (round trip over three centuries), and
 * the UTC timestamp format and parser.
 */
#include "unit.h"

#include "util/date.h"

static void parse_accepts_only_strict_iso_dates(void **state)
{
	(void)state;
	int y = 0, m = 0, d = 0;
	assert_true(date_parse("2024-05-10", &y, &m, &d));
	assert_int_equal(y, 2024);
	assert_int_equal(m, 5);
	assert_int_equal(d, 10);
	assert_true(date_valid("1900-01-01"));
	assert_true(date_valid("9999-12-31"));

	const char *bad[] = {"2024-5-10",
	                     "2024-05-1",
	                     "2024/05/10",
	                     "20240510",
	                     "2024-13-01",
	                     "2024-00-10",
	                     "2024-05-00",
	                     "2024-04-31",
	                     " 2024-05-10",
	                     "2024-05-10 ",
	                     "2024-05-10T00:00:00Z",
	                     "1899-12-31",
	                     "",
	                     "abcd-ef-gh",
	                     "2024-0a-10",
	                     "-024-05-10",
	                     "2024-05--1",
	                     "2024-+5-10"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (date_valid(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_false(date_valid(NULL));
}

static void leap_years_follow_the_gregorian_rule(void **state)
{
	(void)state;
	assert_true(date_valid("2024-02-29"));
	assert_true(date_valid("2000-02-29")); /* divisible by 400 */
	assert_false(date_valid("2023-02-29"));
	assert_false(date_valid("1900-02-29")); /* divisible by 100 */
	assert_false(date_valid("2100-02-29"));
	assert_false(date_valid("2024-02-30"));
	assert_true(date_valid("2023-02-28"));
}

static void days_count_from_the_unix_epoch(void **state)
{
	(void)state;
	assert_int_equal(date_to_days(1970, 1, 1), 0);
	assert_int_equal(date_to_days(1970, 1, 2), 1);
	assert_int_equal(date_to_days(1969, 12, 31), -1);
	assert_int_equal(date_to_days(2000, 1, 1), 10957);
	assert_int_equal(date_to_days(2024, 3, 1) - date_to_days(2024, 2, 28), 2);
	assert_int_equal(date_to_days(2023, 3, 1) - date_to_days(2023, 2, 28), 1);
}

static void days_and_dates_round_trip_day_by_day(void **state)
{
	(void)state;
	int64_t first = date_to_days(1900, 1, 1), last = date_to_days(2200, 12, 31);
	int py = 1899, pm = 12, pd = 31;
	for (int64_t n = first; n <= last; n++) {
		int y, m, d;
		date_from_days(n, &y, &m, &d);
		assert_int_equal(date_to_days(y, m, d), n);
		/* consecutive: the next day of the previous date */
		bool next_day = (y == py && m == pm && d == pd + 1) ||
		                (y == py && m == pm + 1 && d == 1) ||
		                (y == py + 1 && m == 1 && d == 1);
		if (!next_day)
			fail_msg("day %lld is %04d-%02d-%02d after %04d-%02d-%02d", (long long)n, y,
			         m, d, py, pm, pd);
		char s[DATE_LEN];
		date_format(s, y, m, d);
		assert_true(date_valid(s));
		py = y, pm = m, pd = d;
	}
	assert_int_equal(py, 2200);
	assert_int_equal(pm, 12);
	assert_int_equal(pd, 31);
}

static void format_zero_pads(void **state)
{
	(void)state;
	char s[DATE_LEN];
	date_format(s, 2024, 5, 1);
	assert_string_equal(s, "2024-05-01");
	date_format(s, 1900, 12, 31);
	assert_string_equal(s, "1900-12-31");
}

static void add_days_crosses_months_years_and_leap_days(void **state)
{
	(void)state;
	char out[DATE_LEN];
	assert_true(date_add_days(out, "2024-02-28", 1));
	assert_string_equal(out, "2024-02-29");
	assert_true(date_add_days(out, "2024-02-28", 2));
	assert_string_equal(out, "2024-03-01");
	assert_true(date_add_days(out, "2023-02-28", 1));
	assert_string_equal(out, "2023-03-01");
	assert_true(date_add_days(out, "2023-12-31", 1));
	assert_string_equal(out, "2024-01-01");
	assert_true(date_add_days(out, "2024-03-01", -1));
	assert_string_equal(out, "2024-02-29");
	assert_true(date_add_days(out, "2024-01-01", 366));
	assert_string_equal(out, "2025-01-01");
	assert_true(date_add_days(out, "2024-05-10", 0));
	assert_string_equal(out, "2024-05-10");
	assert_true(date_add_days(out, "2024-05-10", -180));
	assert_string_equal(out, "2023-11-12");
	assert_false(date_add_days(out, "2024-02-30", 1));
	assert_false(date_add_days(out, "yesterday", 1));
}

static void time_formats_as_utc_iso(void **state)
{
	(void)state;
	char s[TIME_LEN];
	time_format_iso(s, 0);
	assert_string_equal(s, "1970-01-01T00:00:00Z");
	time_format_iso(s, 1715328000);
	assert_string_equal(s, "2024-05-10T08:00:00Z");
	time_format_iso(s, 1715328000 + 15 * 3600 + 59 * 60 + 59);
	assert_string_equal(s, "2024-05-10T23:59:59Z");
	time_format_iso(s, -1);
	assert_string_equal(s, "1969-12-31T23:59:59Z");
	time_format_iso(s, 951782400); /* 2000-02-29 */
	assert_string_equal(s, "2000-02-29T00:00:00Z");
}

static void time_parse_reads_what_format_writes(void **state)
{
	(void)state;
	int64_t samples[] = {0, 1, 86399, 86400, 951782400, 1715328000, 1735689599, 4102444800};
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		char s[TIME_LEN];
		time_format_iso(s, samples[i]);
		int64_t back = -12345;
		assert_true(time_parse_iso(s, &back));
		assert_int_equal(back, samples[i]);
	}
	int64_t t;
	const char *bad[] = {
	        "2024-05-10 08:00:00Z", "2024-05-10T08:00:00",  "2024-05-10T08:00:00+08:00",
	        "2024-05-10T24:00:00Z", "2024-05-10T08:60:00Z", "2024-02-30T08:00:00Z",
	        "2024-05-10T8:00:00Z",  "2024-05-10",           "",
	        "2024-05-10T08:00:0aZ"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (time_parse_iso(bad[i], &t))
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_false(time_parse_iso(NULL, &t));
}

static void now_and_today_are_consistent(void **state)
{
	(void)state;
	char now[TIME_LEN];
	int64_t before = time_now_unix();
	time_now_iso(now);
	int64_t parsed;
	assert_true(time_parse_iso(now, &parsed));
	assert_true(parsed >= before && parsed <= time_now_unix());

	char today[DATE_LEN];
	date_today(today, KH_DEFAULT_TZ_MINUTES);
	assert_true(date_valid(today));
	/* today in Shanghai is the UTC date of now + 8 h */
	char shifted[TIME_LEN];
	time_format_iso(shifted, time_now_unix() + 8 * 3600);
	assert_memory_equal(today, shifted, 10);
	int y;
	assert_true(date_parse(today, &y, NULL, NULL));
	assert_int_equal(date_current_year(KH_DEFAULT_TZ_MINUTES), y);
	assert_true(y >= 2024);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(parse_accepts_only_strict_iso_dates),
	        cmocka_unit_test(leap_years_follow_the_gregorian_rule),
	        cmocka_unit_test(days_count_from_the_unix_epoch),
	        cmocka_unit_test(days_and_dates_round_trip_day_by_day),
	        cmocka_unit_test(format_zero_pads),
	        cmocka_unit_test(add_days_crosses_months_years_and_leap_days),
	        cmocka_unit_test(time_formats_as_utc_iso),
	        cmocka_unit_test(time_parse_reads_what_format_writes),
	        cmocka_unit_test(now_and_today_are_consistent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
