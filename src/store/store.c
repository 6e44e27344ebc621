/*
 * store — engine dispatch, the statement cache, transactions and small
 * helpers shared by the repositories.
 */
#include "store/store_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/log.h"

int store_open(const char *url, store **out, kh_err *e)
{
	*out = NULL;
	if (!url || !*url)
		return err_set(e, KH_EUSAGE, N_("No database given (--db or KEHU_DB)"));
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
		return pg_engine_open(url, out, e);
	if (strncmp(url, "sqlite:", 7) == 0)
		url += 7;
	return sqlite_engine_open(url, out, e);
}

void store_base_init(store *db, const store_ops *ops, const char *url)
{
	memset(db, 0, sizeof(*db));
	db->ops = ops;
	db->url = strdup(url);
	db->tz_minutes = KH_DEFAULT_TZ_MINUTES;
}

void store_cache_clear(store *db)
{
	for (int i = 0; i < STMT_CACHE_SIZE; i++) {
		stmt_cache_entry *c = &db->cache[i];
		if (c->st)
			db->ops->finalize(c->st);
		free(c->sql);
		memset(c, 0, sizeof(*c));
	}
}

void store_close(store *db)
{
	if (!db)
		return;
	char *url = db->url;
	db->ops->close(db); /* frees db */
	free(url);
}

const char *store_engine(const store *db)
{
	return db->ops->name;
}

const char *store_url(const store *db)
{
	return db->url;
}

const char *store_url_redacted(arena *a, const char *url)
{
	/* postgresql://user:password@host/db -> postgresql://user:***@host/db */
	const char *scheme = strstr(url, "://");
	if (!scheme)
		return url;
	const char *auth = scheme + 3;
	const char *at = strchr(auth, '@');
	const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (!colon)
		return url;
	return arena_printf(a, "%.*s:***%s", (int)(colon - url), url, at);
}

/* FNV-1a: the cache key; collisions are resolved by comparing the text */
static uint64_t hash_sql(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

store_stmt *stmt_prepare(store *db, const char *sql, kh_err *e)
{
	uint64_t h = hash_sql(sql);
	stmt_cache_entry *victim = NULL;
	db->clock++;
	for (int i = 0; i < STMT_CACHE_SIZE; i++) {
		stmt_cache_entry *c = &db->cache[i];
		if (c->st && c->hash == h && !c->in_use && strcmp(c->sql, sql) == 0) {
			c->in_use = true;
			c->last_used = db->clock;
			return c->st;
		}
		if (c->in_use)
			continue;
		if (!victim || !c->st || (victim->st && c->last_used < victim->last_used))
			victim = c;
	}
	store_stmt *st = db->ops->prepare(db, sql, e);
	if (!st)
		return NULL;
	st->db = db;
	st->cached = NULL;
	if (victim) {
		if (victim->st)
			db->ops->finalize(victim->st);
		free(victim->sql);
		victim->hash = h;
		victim->sql = strdup(sql);
		victim->st = st;
		victim->last_used = db->clock;
		victim->in_use = true;
		st->cached = victim;
	}
	return st;
}

void stmt_done(store_stmt *st)
{
	if (!st)
		return;
	store *db = st->db;
	if (st->cached) {
		db->ops->reset(st);
		st->cached->in_use = false;
	} else {
		db->ops->finalize(st);
	}
}

const char *stmt_text_dup(store_stmt *st, int i, arena *a)
{
	if (stmt_null(st, i))
		return NULL;
	return arena_strdup(a, stmt_text(st, i));
}

static void bind_spec(store_stmt *st, const char *spec, va_list ap)
{
	int i = 1;
	for (const char *p = spec; p && *p; p++, i++) {
		switch (*p) {
		case 'i':
			stmt_bind_int(st, i, va_arg(ap, int64_t));
			break;
		case 's':
			stmt_bind_text(st, i, va_arg(ap, const char *));
			break;
		default:
			stmt_bind_null(st, i);
			break;
		}
	}
}

int stmt_run(store *db, kh_err *e, const char *sql, const char *spec, ...)
{
	store_stmt *st = stmt_prepare(db, sql, e);
	if (!st)
		return -1;
	va_list ap;
	va_start(ap, spec);
	bind_spec(st, spec, ap);
	va_end(ap);
	int rc = stmt_step(st, e);
	stmt_done(st);
	return rc < 0 ? -1 : 0;
}

int stmt_query_int(store *db, kh_err *e, int64_t *out, const char *sql, const char *spec, ...)
{
	store_stmt *st = stmt_prepare(db, sql, e);
	if (!st)
		return -1;
	va_list ap;
	va_start(ap, spec);
	bind_spec(st, spec, ap);
	va_end(ap);
	int rc = stmt_step(st, e);
	if (rc == STMT_ROW && !stmt_null(st, 0))
		*out = stmt_int(st, 0);
	stmt_done(st);
	return rc < 0 ? -1 : rc;
}

/* ---- transactions ---- */

int store_begin(store *db, kh_err *e)
{
	if (db->txn_depth == 0) {
		if (db->ops->exec(db, db->ops->begin_sql, e) < 0)
			return -1;
		db->txn_failed = false;
	} else {
		char sp[48];
		snprintf(sp, sizeof(sp), "SAVEPOINT kh_%d", db->txn_depth);
		if (db->ops->exec(db, sp, e) < 0)
			return -1;
	}
	db->txn_depth++;
	return 0;
}

int store_begin_snapshot(store *db, kh_err *e)
{
	if (db->txn_depth)
		return err_set(e, KH_EINTERNAL, NULL);
	if (db->ops->exec(db, db->ops->snapshot_sql, e) < 0)
		return -1;
	db->txn_depth = 1;
	db->txn_failed = false;
	return 0;
}

int store_commit(store *db, kh_err *e)
{
	if (db->txn_depth <= 0)
		return err_set(e, KH_EINTERNAL, N_("Internal error"));
	if (db->txn_depth > 1) {
		char sp[48];
		snprintf(sp, sizeof(sp), "RELEASE SAVEPOINT kh_%d", db->txn_depth - 1);
		db->txn_depth--;
		return db->ops->exec(db, sp, e);
	}
	if (db->txn_failed) {
		store_rollback(db);
		return err_set(e, KH_EINTERNAL, N_("Internal error"));
	}
	if (db->ops->exec(db, "COMMIT", e) < 0) {
		store_rollback(db);
		return -1;
	}
	db->txn_depth = 0;
	return 0;
}

void store_rollback(store *db)
{
	if (db->txn_depth <= 0)
		return;
	if (db->txn_depth > 1) {
		char sp[96];
		snprintf(sp, sizeof(sp), "ROLLBACK TO SAVEPOINT kh_%d; RELEASE SAVEPOINT kh_%d",
		         db->txn_depth - 1, db->txn_depth - 1);
		if (db->ops->exec(db, sp, NULL) < 0)
			db->txn_failed = true;
		db->txn_depth--;
		return;
	}
	db->ops->exec(db, "ROLLBACK", NULL);
	db->txn_depth = 0;
	db->txn_failed = false;
}

void store_bulk_mode(store *db)
{
	if (db->ops->bulk_pragmas)
		db->ops->exec(db, db->ops->bulk_pragmas, NULL);
}

void store_revive(store *db)
{
	if (db->ops->revive && db->txn_depth == 0)
		db->ops->revive(db);
}

bool store_in_txn(const store *db)
{
	return db->txn_depth > 0;
}
