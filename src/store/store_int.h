/*
 * store_int — what the store's repositories and its two engines share and
 * nobody outside src/store sees: the engine vtable, the statement API
 * with `?` placeholders, and the statement cache.
 *
 * Repositories (the files of src/store) write SQL once, in the subset both SQLite and
 * PostgreSQL understand (RETURNING, ON CONFLICT, NULLS FIRST/LAST, row
 * values are all fine on both); the few differences (full-text search,
 * JSON access, DDL types) go through the engine's hooks or per-engine
 * migration text.
 */
#ifndef KEHU_STORE_INT_H
#define KEHU_STORE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

typedef struct store_stmt store_stmt;

enum { STMT_DONE = 0, STMT_ROW = 1 };

typedef struct store_ops {
	const char *name; /* "sqlite" or "postgresql" */
	void (*close)(store *db);
	int (*exec)(store *db, const char *sql, kh_err *e); /* no parameters; may hold several */
	store_stmt *(*prepare)(store *db, const char *sql, kh_err *e);
	void (*reset)(store_stmt *st);
	void (*finalize)(store_stmt *st);
	void (*bind_null)(store_stmt *st, int i);
	void (*bind_int)(store_stmt *st, int i, int64_t v);
	void (*bind_text)(store_stmt *st, int i, const char *s);
	int (*step)(store_stmt *st, kh_err *e); /* STMT_ROW, STMT_DONE or -1 */
	int (*col_count)(store_stmt *st);
	const char *(*col_name)(store_stmt *st, int i);
	bool (*col_null)(store_stmt *st, int i);
	int64_t (*col_int)(store_stmt *st, int i);
	const char *(*col_text)(store_stmt *st, int i); /* valid until the next step */
	int64_t (*changes)(store *db);                  /* rows changed by the last statement */
	void (*revive)(store *db);                      /* see store_revive; may be NULL */
	const char *bulk_pragmas;                       /* run by store_bulk_mode, may be NULL */
	const char *begin_sql;                          /* how a write transaction starts */
	const char *snapshot_sql;     /* a read-only transaction that sees one state throughout */
	const char *migrate_lock;     /* run first in each migration transaction, may be NULL */
	const char *table_exists_sql; /* COUNT(*) of tables named ? (the catalogue) */
	bool row_locks; /* SELECT ... FOR UPDATE exists (and is needed: writers run at once) */

	/* full-text search of customers */
	int (*search_put)(store *db, int64_t id, const char *const cols[5], kh_err *e);
	/* search in a customer list: a join appended after "FROM customers t", a
	 * condition with one placeholder for search_expr's value, and the id
	 * expression to order by so the engine can walk its index in id order */
	const char *search_join;
	const char *search_where;
	const char *search_id_expr;
	/* the bound value for search_condition from the user's terms */
	char *(*search_expr)(arena *a, const char *const *terms, const bool *cjk, int n);
	/* SQL for "the member (placeholder: key) of the JSON object in column", rendered
	 * as compact JSON text so that values of any type compare as text */
	const char *(*json_text_sql)(arena *a, const char *column);
	/* the same member as a number, compared with a number bound as text */
	const char *(*json_number_sql)(arena *a, const char *column);
	/* a UTC time column ("...Z") as the local time "YYYY-MM-DDTHH:MM:SS" at an offset
	 * of tz_minutes: comparable with local dates as text */
	const char *(*local_time_sql)(arena *a, const char *column, int tz_minutes);
	/* how a bound text is made a number comparable with json_number_sql's */
	const char *number_param;
	/* the bound value standing for a custom field key in json_text_sql */
	const char *(*json_key_arg)(arena *a, const char *key);

	/* migration text: DDL with {{PK}} (auto-numbered key) and {{NF}} (NULLS FIRST in an
	 * index column, where the engine needs it spelled out) replaced */
	const char *(*ddl_word)(const char *word);
	int (*schema_fixups)(store *db, int version, kh_err *e); /* engine-only steps */
	/* after rows with explicit ids were copied into table: let new ids follow them */
	int (*after_copy)(store *db, const char *table, kh_err *e);
} store_ops;

#define STMT_CACHE_SIZE 96

typedef struct stmt_cache_entry {
	uint64_t hash;
	char *sql;
	store_stmt *st;
	uint64_t last_used;
	bool in_use;
} stmt_cache_entry;

struct store {
	const store_ops *ops;
	char *url;
	int txn_depth;
	bool txn_failed; /* an inner level rolled back: the outer commit must fail */
	uint64_t clock;
	stmt_cache_entry cache[STMT_CACHE_SIZE];
	int tz_minutes;
};

struct store_stmt {
	store *db;
	stmt_cache_entry *cached; /* NULL: finalize on done */
};

/* Prepared statement for sql, from the cache when possible. NULL with e set on error. */
store_stmt *stmt_prepare(store *db, const char *sql, kh_err *e);
/* Finished with st: reset it for reuse (cached) or free it. */
void stmt_done(store_stmt *st);

static inline void stmt_bind_null(store_stmt *st, int i)
{
	st->db->ops->bind_null(st, i);
}
static inline void stmt_bind_int(store_stmt *st, int i, int64_t v)
{
	st->db->ops->bind_int(st, i, v);
}
/* NULL binds SQL NULL. The text must stay alive until stmt_done. */
static inline void stmt_bind_text(store_stmt *st, int i, const char *s)
{
	if (s)
		st->db->ops->bind_text(st, i, s);
	else
		st->db->ops->bind_null(st, i);
}
static inline int stmt_step(store_stmt *st, kh_err *e)
{
	return st->db->ops->step(st, e);
}
static inline bool stmt_null(store_stmt *st, int i)
{
	return st->db->ops->col_null(st, i);
}
static inline int64_t stmt_int(store_stmt *st, int i)
{
	return st->db->ops->col_int(st, i);
}
static inline const char *stmt_text(store_stmt *st, int i)
{
	return st->db->ops->col_text(st, i);
}
/* Column i copied into a (NULL for SQL NULL). */
const char *stmt_text_dup(store_stmt *st, int i, arena *a);

/* Run a statement that returns no rows, with the values bound in order by a
 * printf-like spec: 'i' int64_t, 's' const char * (NULL binds null), 'n' null. */
int stmt_run(store *db, kh_err *e, const char *sql, const char *spec, ...);
/* Same, for a query of one int64 column; *out untouched and 0 returned when
 * no row (KH_ENOTFOUND is not set), 1 when found. */
int stmt_query_int(store *db, kh_err *e, int64_t *out, const char *sql, const char *spec, ...);

/* "t.col, ..." of every column of ent, in field order. */
void store_select_all(buf *b, const kh_entity *ent);
/* Read a row selected by store_select_all, its first column at index first. */
void store_read_record(store_stmt *st, int first, const kh_entity *ent, arena *a, kh_record *out);

/* Engine constructors. */
int sqlite_engine_open(const char *path, store **out, kh_err *e);
int pg_engine_open(const char *url, store **out, kh_err *e);

/* Set up the base part of a freshly allocated engine store. */
void store_base_init(store *db, const store_ops *ops, const char *url);
/* Finalize every cached statement (engines call it in close). */
void store_cache_clear(store *db);

#endif
