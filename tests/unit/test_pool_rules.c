/*
 * test_pool_rules — the pool's arithmetic without a database: which rule a
 * grade falls under, the day a customer was last dealt with, when that is
 * overdue, and calendar months back (the archive's threshold).
 */
#include "unit.h"

#include "core/pool.h"
#include "util/date.h"

static void grades_pick_their_rule_and_others_the_default(void **state)
{
	(void)state;
	assert_int_equal(pool_rule_index("A"), 1);
	assert_int_equal(pool_rule_index("E"), 5);
	assert_int_equal(pool_rule_index(NULL), 0);
	assert_int_equal(pool_rule_index(""), 0);
	assert_int_equal(pool_rule_index("F"), 0);
	assert_int_equal(pool_rule_index("a"), 0);
	assert_int_equal(pool_rule_index("AB"), 0);
}

static void the_last_contact_is_the_latest_of_all(void **state)
{
	(void)state;
	assert_string_equal(pool_last_contact("2024-01-01", NULL, NULL, NULL), "2024-01-01");
	assert_string_equal(pool_last_contact("2024-01-01", "2024-03-01", "2024-02-01", NULL),
	                    "2024-03-01");
	/* a takeover is a time: its day counts */
	assert_string_equal(
	        pool_last_contact("2024-01-01", "2024-03-01", NULL, "2024-05-02T01:00:00Z"),
	        "2024-05-02T01:00:00Z");
	assert_string_equal(pool_last_contact(NULL, NULL, "2023-12-31", ""), "2023-12-31");
	assert_null(pool_last_contact(NULL, NULL, NULL, NULL));
}

static void overdue_means_nothing_since_before_the_cutoff(void **state)
{
	(void)state;
	assert_true(pool_overdue("2024-01-01", "2024-01-02"));
	assert_false(pool_overdue("2024-01-02", "2024-01-02"));
	assert_false(pool_overdue("2024-01-02T23:59:59Z", "2024-01-02"));
	assert_true(pool_overdue("2024-01-01T23:59:59Z", "2024-01-02"));
	assert_false(pool_overdue(NULL, "2024-01-02"));
}

static void months_back_clamp_to_the_end_of_the_month(void **state)
{
	(void)state;
	char out[DATE_LEN];
	assert_true(date_add_months(out, "2026-11-24", -3));
	assert_string_equal(out, "2026-08-24");
	assert_true(date_add_months(out, "2026-05-31", -3));
	assert_string_equal(out, "2026-02-28");
	assert_true(date_add_months(out, "2024-05-31", -3));
	assert_string_equal(out, "2024-02-29");
	assert_true(date_add_months(out, "2026-02-15", -14));
	assert_string_equal(out, "2024-12-15");
	assert_true(date_add_months(out, "2026-12-31", 1));
	assert_string_equal(out, "2027-01-31");
	assert_false(date_add_months(out, "1900-02-01", -2));
	assert_false(date_add_months(out, "2026-13-01", -1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(grades_pick_their_rule_and_others_the_default),
	        cmocka_unit_test(the_last_contact_is_the_latest_of_all),
	        cmocka_unit_test(overdue_means_nothing_since_before_the_cutoff),
	        cmocka_unit_test(months_back_clamp_to_the_end_of_the_month),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
