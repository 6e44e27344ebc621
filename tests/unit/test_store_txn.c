/*
 * test_store_txn — transactions: commit keeps, rollback undoes, nested
 * levels are savepoints (an inner rollback keeps the outer work), another
 * connection sees only committed work; and the customer code sequence,
 * which counts per prefix and year and gives numbers back on rollback so
 * codes have no gaps.
 */
#define UNIT_WITH_STORE
#include "unit.h"

static void add(unit_db *u, const char *code)
{
	kh_record r;
	unit_store_customer(u, &r, code, "事务");
	unit_store_insert(u, &r);
}

/* True when a customer with this code exists (ids are reused after a
 * rollback, codes tell the rows apart). */
static bool exists(unit_db *u, const char *code)
{
	bool taken = false;
	kh_err e;
	err_init(&e, &u->a, KH_LANG_EN);
	UNIT_OK(store_code_taken(u->db, code, &taken, &e), &e);
	return taken;
}

static void commit_keeps_the_work(void **state)
{
	unit_db *u = *state;
	assert_false(store_in_txn(u->db));
	UNIT_OK(store_begin(u->db, &u->e), &u->e);
	assert_true(store_in_txn(u->db));
	add(u, "A");
	UNIT_OK(store_commit(u->db, &u->e), &u->e);
	assert_false(store_in_txn(u->db));
	assert_true(exists(u, "A"));
}

static void rollback_undoes_the_work(void **state)
{
	unit_db *u = *state;
	UNIT_OK(store_begin(u->db, &u->e), &u->e);
	add(u, "A");
	assert_true(exists(u, "A")); /* visible inside */
	store_rollback(u->db);
	assert_false(store_in_txn(u->db));
	assert_false(exists(u, "A"));
	/* the code is free again */
	add(u, "A");
	assert_true(exists(u, "A"));
	store_rollback(u->db); /* outside a transaction: nothing happens */
	assert_true(exists(u, "A"));
}

static void inner_rollback_keeps_the_outer_work(void **state)
{
	unit_db *u = *state;
	UNIT_OK(store_begin(u->db, &u->e), &u->e);
	add(u, "A");
	UNIT_OK(store_begin(u->db, &u->e), &u->e);
	add(u, "B");
	store_rollback(u->db); /* the savepoint only */
	assert_true(store_in_txn(u->db));
	add(u, "C");
	UNIT_OK(store_commit(u->db, &u->e), &u->e);
	assert_false(store_in_txn(u->db));
	assert_true(exists(u, "A"));
	assert_false(exists(u, "B"));
	assert_true(exists(u, "C"));
}

static void inner_commit_is_undone_by_the_outer_rollback(void **state)
{
	unit_db *u = *state;
	UNIT_OK(store_begin(u->db, &u->e), &u->e);
	add(u, "A");
	UNIT_OK(store_begin(u->db, &u->e), &u->e);
	add(u, "B");
	UNIT_OK(store_begin(u->db, &u->e), &u->e); /* three levels */
	add(u, "C");
	UNIT_OK(store_commit(u->db, &u->e), &u->e);
	UNIT_OK(store_commit(u->db, &u->e), &u->e);
	assert_true(store_in_txn(u->db));
	store_rollback(u->db);
	assert_false(store_in_txn(u->db));
	assert_false(exists(u, "A"));
	assert_false(exists(u, "B"));
	assert_false(exists(u, "C"));
}

static void a_failed_statement_inside_a_savepoint_leaves_the_outer_intact(void **state)
{
	unit_db *u = *state;
	UNIT_OK(store_begin(u->db, &u->e), &u->e);
	add(u, "A");
	UNIT_OK(store_begin(u->db, &u->e), &u->e);
	kh_record dup;
	unit_store_customer(u, &dup, "A", "重复");
	err_clear(&u->e);
	assert_int_equal(store_record_insert(u->db, &dup, &u->e), -1);
	assert_int_equal(u->e.code, KH_EDUP);
	store_rollback(u->db);
	err_clear(&u->e);
	UNIT_OK(store_commit(u->db, &u->e), &u->e);
	assert_true(exists(u, "A"));
}

static void commit_without_a_transaction_is_an_error(void **state)
{
	unit_db *u = *state;
	err_clear(&u->e);
	assert_int_equal(store_commit(u->db, &u->e), -1);
	assert_int_equal(u->e.code, KH_EINTERNAL);
}

static void other_connections_see_only_committed_work(void **state)
{
	unit_db *u = *state;
	store *other;
	UNIT_OK(store_open(u->path, &other, &u->e), &u->e);
	UNIT_OK(store_begin(u->db, &u->e), &u->e);
	add(u, "A");
	bool seen = true;
	UNIT_OK(store_code_taken(other, "A", &seen, &u->e), &u->e);
	assert_false(seen);
	UNIT_OK(store_commit(u->db, &u->e), &u->e);
	UNIT_OK(store_code_taken(other, "A", &seen, &u->e), &u->e);
	assert_true(seen);
	store_close(other);
}

static int64_t next_code(unit_db *u, const char *prefix, int year)
{
	int64_t seq = -1;
	UNIT_OK(store_code_next(u->db, prefix, year, &seq, &u->e), &u->e);
	return seq;
}

static void code_sequence_counts_per_prefix_and_year(void **state)
{
	unit_db *u = *state;
	assert_int_equal(next_code(u, "XS", 2024), 1);
	assert_int_equal(next_code(u, "XS", 2024), 2);
	assert_int_equal(next_code(u, "XS", 2024), 3);
	assert_int_equal(next_code(u, "KF", 2024), 1);
	assert_int_equal(next_code(u, "XS", 2025), 1);
	assert_int_equal(next_code(u, "XS", 2024), 4);
	assert_int_equal(next_code(u, "xs", 2024), 1); /* prefixes are exact */
}

static void code_sequence_rolls_back_with_the_transaction(void **state)
{
	unit_db *u = *state;
	UNIT_OK(store_begin(u->db, &u->e), &u->e);
	assert_int_equal(next_code(u, "XS", 2024), 1);
	UNIT_OK(store_commit(u->db, &u->e), &u->e);

	/* a create that fails gives its number back */
	UNIT_OK(store_begin(u->db, &u->e), &u->e);
	assert_int_equal(next_code(u, "XS", 2024), 2);
	assert_int_equal(next_code(u, "XS", 2024), 3);
	store_rollback(u->db);
	UNIT_OK(store_begin(u->db, &u->e), &u->e);
	assert_int_equal(next_code(u, "XS", 2024), 2);
	UNIT_OK(store_commit(u->db, &u->e), &u->e);

	/* and inside a savepoint too */
	UNIT_OK(store_begin(u->db, &u->e), &u->e);
	UNIT_OK(store_begin(u->db, &u->e), &u->e);
	assert_int_equal(next_code(u, "XS", 2024), 3);
	store_rollback(u->db);
	assert_int_equal(next_code(u, "XS", 2024), 3);
	UNIT_OK(store_commit(u->db, &u->e), &u->e);
	assert_int_equal(next_code(u, "XS", 2024), 4);
}

static void code_sequence_survives_reopening(void **state)
{
	unit_db *u = *state;
	assert_int_equal(next_code(u, "XS", 2024), 1);
	assert_int_equal(next_code(u, "XS", 2024), 2);
	store_close(u->db);
	UNIT_OK(store_open(u->path, &u->db, &u->e), &u->e);
	assert_int_equal(next_code(u, "XS", 2024), 3);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, unit_db_setup, unit_db_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(commit_keeps_the_work),
	        T(rollback_undoes_the_work),
	        T(inner_rollback_keeps_the_outer_work),
	        T(inner_commit_is_undone_by_the_outer_rollback),
	        T(a_failed_statement_inside_a_savepoint_leaves_the_outer_intact),
	        T(commit_without_a_transaction_is_an_error),
	        T(other_connections_see_only_committed_work),
	        T(code_sequence_counts_per_prefix_and_year),
	        T(code_sequence_rolls_back_with_the_transaction),
	        T(code_sequence_survives_reopening),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
