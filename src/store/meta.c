/*
 * meta — settings and the cache generation counter.
 */
#include <stdlib.h>

#include "store/store_int.h"

int store_cache_gen(store *db, int64_t *gen, kh_err *e)
{
	arena a = ARENA_INIT;
	const char *v = NULL;
	int rc = store_setting_get(db, "cache_gen", &a, &v, e);
	*gen = v ? strtoll(v, NULL, 10) : 0;
	arena_release(&a);
	return rc;
}

int store_cache_gen_bump(store *db, kh_err *e)
{
	/* text in both engines; CAST keeps the arithmetic portable */
	return stmt_run(db, e,
	                "UPDATE settings SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) "
	                "WHERE key = 'cache_gen'",
	                "");
}

int store_setting_get(store *db, const char *key, arena *a, const char **value, kh_err *e)
{
	*value = NULL;
	store_stmt *st = stmt_prepare(db, "SELECT value FROM settings WHERE key = ?", e);
	if (!st)
		return -1;
	stmt_bind_text(st, 1, key);
	int rc = stmt_step(st, e);
	if (rc == STMT_ROW)
		*value = stmt_text_dup(st, 0, a);
	stmt_done(st);
	return rc < 0 ? -1 : 0;
}

int store_setting_swap(store *db, const char *key, const char *expected, const char *value,
                       bool *swapped, kh_err *e)
{
	/* expected NULL: the key must not exist yet */
	if (!expected ? stmt_run(db, e,
	                         "INSERT INTO settings (key, value) VALUES (?, ?) "
	                         "ON CONFLICT (key) DO NOTHING",
	                         "ss", key, value) < 0
	              : stmt_run(db, e, "UPDATE settings SET value = ? WHERE key = ? AND value = ?",
	                         "sss", value, key, expected) < 0)
		return -1;
	*swapped = db->ops->changes(db) == 1;
	return 0;
}

int store_setting_set(store *db, const char *key, const char *value, kh_err *e)
{
	return stmt_run(db, e,
	                "INSERT INTO settings (key, value) VALUES (?, ?) "
	                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	                "ss", key, value);
}
