/*
 * test_store_schema — migrations on a fresh SQLite file: an empty database
 * has version 0, migrating brings it to the latest version once (running
 * again does nothing, reopening keeps it), a database newer than this kehu
 * is refused; settings and the cache generation counter; the engine's
 * foreign keys.
 */
#define UNIT_WITH_STORE
#include "unit.h"

#include <sqlite3.h>

static void empty_database_migrates_to_the_latest_version(void **state)
{
	(void)state;
	char *path = unit_db_path();
	arena a = ARENA_INIT;
	kh_err e;
	err_init(&e, &a, KH_LANG_EN);
	store *db;
	UNIT_OK(store_open(path, &db, &e), &e);
	assert_string_equal(store_engine(db), unit_on_postgresql() ? "postgresql" : "sqlite");
	int version = -1;
	UNIT_OK(store_schema_version(db, &version, &e), &e);
	assert_int_equal(version, 0);

	int applied = -1;
	UNIT_OK(store_migrate(db, &applied, &e), &e);
	assert_true(applied >= 1);
	UNIT_OK(store_schema_version(db, &version, &e), &e);
	assert_int_equal(version, applied);
	assert_false(store_in_txn(db));

	/* again: nothing to do */
	int again = -1;
	UNIT_OK(store_migrate(db, &again, &e), &e);
	assert_int_equal(again, 0);
	int version2;
	UNIT_OK(store_schema_version(db, &version2, &e), &e);
	assert_int_equal(version2, version);
	store_close(db);

	/* the version is in the file */
	UNIT_OK(store_open(path, &db, &e), &e);
	UNIT_OK(store_schema_version(db, &version2, &e), &e);
	assert_int_equal(version2, version);
	UNIT_OK(store_migrate(db, &again, &e), &e);
	assert_int_equal(again, 0);
	store_close(db);
	unit_db_remove(path);
	arena_release(&a);
}

static void migrated_schema_holds_records(void **state)
{
	(void)state;
	unit_db *u = unit_db_open();
	kh_record r;
	unit_store_customer(u, &r, "XS2024001", "深圳市腾云科技有限公司");
	int64_t id = unit_store_insert(u, &r);
	kh_record back;
	UNIT_OK(store_record_get(u->db, &customer_entity, id, false, &u->a, &back, &u->e), &u->e);
	assert_string_equal(record_text(&back, CF_NAME), "深圳市腾云科技有限公司");
	/* column defaults of the migration */
	assert_int_equal(record_int(&back, CF_DEAL_COUNT, -1), 0);
	assert_int_equal(record_int(&back, CF_ARCHIVED, -1), 0);
	assert_int_equal(record_int(&back, CF_IN_POOL, -1), 0);
	unit_db_close(u);
}

static void a_newer_schema_is_refused(void **state)
{
	(void)state;
	if (unit_on_postgresql())
		skip(); /* the "newer kehu" writes the SQLite file directly */
	unit_db *u = unit_db_open();
	int version;
	UNIT_OK(store_schema_version(u->db, &version, &u->e), &u->e);
	/* another, newer kehu migrated this file */
	sqlite3 *raw;
	assert_int_equal(sqlite3_open(u->path, &raw), SQLITE_OK);
	char sql[200];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO schema_migrations (version, applied_at) VALUES (%d, "
	         "'2030-01-01T00:00:00Z')",
	         version + 5);
	assert_int_equal(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);

	err_clear(&u->e);
	assert_int_equal(store_migrate(u->db, NULL, &u->e), -1);
	assert_int_equal(u->e.code, KH_EDB);
	assert_non_null(strstr(err_message(&u->e), "newer"));
	unit_db_close(u);
}

static void settings_are_set_read_and_replaced(void **state)
{
	(void)state;
	unit_db *u = unit_db_open();
	const char *v = "untouched";
	UNIT_OK(store_setting_get(u->db, "code_width", &u->a, &v, &u->e), &u->e);
	assert_null(v);
	UNIT_OK(store_setting_set(u->db, "code_width", "4", &u->e), &u->e);
	UNIT_OK(store_setting_get(u->db, "code_width", &u->a, &v, &u->e), &u->e);
	assert_string_equal(v, "4");
	UNIT_OK(store_setting_set(u->db, "code_width", "5", &u->e), &u->e);
	UNIT_OK(store_setting_get(u->db, "code_width", &u->a, &v, &u->e), &u->e);
	assert_string_equal(v, "5");
	unit_db_close(u);
}

static void cache_generation_counts_up(void **state)
{
	(void)state;
	unit_db *u = unit_db_open();
	int64_t g0 = -1, g1 = -1, g2 = -1;
	UNIT_OK(store_cache_gen(u->db, &g0, &u->e), &u->e);
	assert_true(g0 >= 1);
	UNIT_OK(store_cache_gen_bump(u->db, &u->e), &u->e);
	UNIT_OK(store_cache_gen(u->db, &g1, &u->e), &u->e);
	assert_int_equal(g1, g0 + 1);
	/* a bump in a rolled-back transaction never happened */
	UNIT_OK(store_begin(u->db, &u->e), &u->e);
	UNIT_OK(store_cache_gen_bump(u->db, &u->e), &u->e);
	store_rollback(u->db);
	UNIT_OK(store_cache_gen(u->db, &g2, &u->e), &u->e);
	assert_int_equal(g2, g1);
	unit_db_close(u);
}

static void foreign_keys_are_enforced(void **state)
{
	(void)state;
	unit_db *u = unit_db_open();
	kh_record r;
	unit_store_customer(u, &r, "XS2024001", "无主客户");
	record_set_int(&r, CF_OWNER, 424242); /* no such user */
	err_clear(&u->e);
	assert_int_equal(store_record_insert(u->db, &r, &u->e), -1);
	assert_int_equal(u->e.code, KH_EINVAL);
	unit_db_close(u);
}

static void opening_an_unusable_path_fails_cleanly(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	kh_err e;
	err_init(&e, &a, KH_LANG_EN);
	store *db = (store *)&e; /* must be reset to NULL */
	assert_int_equal(store_open("/nonexistent-dir/kehu/x.db", &db, &e), -1);
	assert_null(db);
	assert_int_equal(e.code, KH_EIO);
	err_clear(&e);
	assert_int_equal(store_open("", &db, &e), -1);
	assert_int_equal(e.code, KH_EUSAGE);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(empty_database_migrates_to_the_latest_version),
	        cmocka_unit_test(migrated_schema_holds_records),
	        cmocka_unit_test(a_newer_schema_is_refused),
	        cmocka_unit_test(settings_are_set_read_and_replaced),
	        cmocka_unit_test(cache_generation_counts_up),
	        cmocka_unit_test(foreign_keys_are_enforced),
	        cmocka_unit_test(opening_an_unusable_path_fails_cleanly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
