/*
 * sqlite/engine — the embedded engine: one SQLite connection per store,
 * WAL mode (readers never block the writer), synchronous=NORMAL (a power
 * cut may lose the last commits but never corrupts), busy_timeout so
 * writers queue. The kehu FTS5 tokenizer is registered on every connection.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/sqlite_int.h"
#include "store/store_int.h"
#include "util/log.h"

typedef struct sqlite_store {
	store base;
	sqlite3 *db;
} sqlite_store;

typedef struct sqlite_stmt {
	store_stmt base;
	sqlite3_stmt *st;
} sqlite_stmt;

#define SDB(db) (((sqlite_store *)(db))->db)
#define SST(s)  (((sqlite_stmt *)(s))->st)

/* "UNIQUE constraint failed: customers.code" -> "code" */
static const char *unique_column(arena *a, const char *msg)
{
	const char *p = strstr(msg, "failed: ");
	if (!p)
		return "id";
	p += 8;
	const char *dot = strchr(p, '.');
	const char *col = dot ? dot + 1 : p;
	size_t n = strcspn(col, ", ");
	return a ? arena_strndup(a, col, n) : "id";
}

static int sqlite_error(sqlite3 *db, int rc, kh_err *e)
{
	int base = rc & 0xff;
	const char *msg = sqlite3_errmsg(db);
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		if (e) {
			err_field(e, unique_column(e->ar, msg),
			          N_("A record with this value already exists"));
			e->code = KH_EDUP;
		}
		return -1;
	}
	if (base == SQLITE_BUSY || base == SQLITE_LOCKED) {
		log_warn("sqlite busy: %s", msg);
		return err_set(e, KH_EBUSY, NULL);
	}
	if (base == SQLITE_CONSTRAINT) {
		log_warn("sqlite constraint: %s", msg);
		return err_set(e, KH_EINVAL,
		               N_("A related record does not exist or is still in use"));
	}
	log_error("sqlite error %d: %s", rc, msg);
	return err_set(e, KH_EDB, NULL);
}

static void sq_close(store *db)
{
	store_cache_clear(db);
	sqlite3_close_v2(SDB(db));
	free(db);
}

static int sq_exec(store *db, const char *sql, kh_err *e)
{
	char *msg = NULL;
	int rc = sqlite3_exec(SDB(db), sql, NULL, NULL, &msg);
	sqlite3_free(msg);
	if (rc != SQLITE_OK)
		return sqlite_error(SDB(db), sqlite3_extended_errcode(SDB(db)), e);
	return 0;
}

static store_stmt *sq_prepare(store *db, const char *sql, kh_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(SDB(db), sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		log_error("sqlite prepare failed: %s in: %.200s", sqlite3_errmsg(SDB(db)), sql);
		sqlite_error(SDB(db), rc, e);
		return NULL;
	}
	sqlite_stmt *s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	s->st = st;
	return &s->base;
}

static void sq_reset(store_stmt *st)
{
	sqlite3_reset(SST(st));
	sqlite3_clear_bindings(SST(st));
}

static void sq_finalize(store_stmt *st)
{
	sqlite3_finalize(SST(st));
	free(st);
}

static void sq_bind_null(store_stmt *st, int i)
{
	sqlite3_bind_null(SST(st), i);
}

static void sq_bind_int(store_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(SST(st), i, v);
}

static void sq_bind_text(store_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(SST(st), i, s, -1, SQLITE_STATIC);
}

static int sq_step(store_stmt *st, kh_err *e)
{
	int rc = sqlite3_step(SST(st));
	if (rc == SQLITE_ROW)
		return STMT_ROW;
	if (rc == SQLITE_DONE)
		return STMT_DONE;
	sqlite3 *db = sqlite3_db_handle(SST(st));
	return sqlite_error(db, sqlite3_extended_errcode(db), e);
}

static int sq_col_count(store_stmt *st)
{
	return sqlite3_column_count(SST(st));
}

static const char *sq_col_name(store_stmt *st, int i)
{
	return sqlite3_column_name(SST(st), i);
}

static bool sq_col_null(store_stmt *st, int i)
{
	return sqlite3_column_type(SST(st), i) == SQLITE_NULL;
}

static int64_t sq_col_int(store_stmt *st, int i)
{
	return sqlite3_column_int64(SST(st), i);
}

static const char *sq_col_text(store_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(SST(st), i);
	return t ? (const char *)t : "";
}

static int64_t sq_changes(store *db)
{
	return sqlite3_changes64(SDB(db));
}

static int sq_search_put(store *db, int64_t id, const char *const cols[5], kh_err *e)
{
	if (stmt_run(db, e, "DELETE FROM customer_fts WHERE rowid = ?", "i", id) < 0)
		return -1;
	return stmt_run(db, e,
	                "INSERT INTO customer_fts (rowid, name, code, contacts, tags, body) "
	                "VALUES (?, ?, ?, ?, ?, ?)",
	                "isssss", id, cols[0], cols[1], cols[2], cols[3], cols[4]);
}

/* FTS5 query: each CJK run a phrase (substring), each word a prefix, ANDed */
static char *sq_search_expr(arena *a, const char *const *terms, const bool *cjk, int n)
{
	buf b;
	buf_init(&b, 0);
	for (int i = 0; i < n; i++) {
		if (i && buf_adds(&b, " AND ") < 0)
			break;
		if (buf_addc(&b, '"') < 0)
			break;
		for (const char *p = terms[i]; *p; p++)
			if ((*p == '"' && buf_adds(&b, "\"\"") < 0) ||
			    (*p != '"' && buf_addc(&b, *p) < 0))
				break;
		if (buf_adds(&b, cjk[i] ? "\"" : "\"*") < 0)
			break;
	}
	char *s = arena_strdup(a, buf_str(&b));
	buf_release(&b);
	return s;
}

/* the member as JSON text ("5", "true", "\"abc\"") */
static const char *sq_local_time_sql(arena *a, const char *column, int tz_minutes)
{
	return arena_printf(a, "strftime('%%Y-%%m-%%dT%%H:%%M:%%S', %s, '%+d minutes')", column,
	                    tz_minutes);
}

static const char *sq_json_text_sql(arena *a, const char *column)
{
	return arena_printf(a, "(%s -> ?)", column);
}

static const char *sq_json_number_sql(arena *a, const char *column)
{
	return arena_printf(a, "CAST(json_extract(%s, ?) AS REAL)", column);
}

static const char *sq_json_key_arg(arena *a, const char *key)
{
	return arena_printf(a, "$.\"%s\"", key);
}

static const char *sq_ddl_word(const char *word)
{
	if (strcmp(word, "PK") == 0)
		return "INTEGER PRIMARY KEY"; /* the rowid itself */
	if (strcmp(word, "NF") == 0)
		return ""; /* SQLite sorts NULLs first ascending already */
	return NULL;
}

static int sq_schema_fixups(store *db, int version, kh_err *e)
{
	if (version == 1)
		return sq_exec(db,
		               "CREATE VIRTUAL TABLE customer_fts USING fts5("
		               "name, code, contacts, tags, body, tokenize = 'kehu', "
		               "columnsize = 0)",
		               e);
	return 0;
}

static const store_ops sqlite_ops = {
        .name = "sqlite",
        .close = sq_close,
        .exec = sq_exec,
        .prepare = sq_prepare,
        .reset = sq_reset,
        .finalize = sq_finalize,
        .bind_null = sq_bind_null,
        .bind_int = sq_bind_int,
        .bind_text = sq_bind_text,
        .step = sq_step,
        .col_count = sq_col_count,
        .col_name = sq_col_name,
        .col_null = sq_col_null,
        .col_int = sq_col_int,
        .col_text = sq_col_text,
        .changes = sq_changes,
        /* 256 MiB of page cache and a checkpoint every 64 MiB of WAL: the indexes of a
         * million customers stay in memory instead of being written page by page */
        .bulk_pragmas = "PRAGMA cache_size = -262144; PRAGMA wal_autocheckpoint = 16384; "
                        "PRAGMA temp_store = MEMORY;",
        /* IMMEDIATE: take the write lock at once, so two writers queue on busy_timeout
         * instead of one failing when it upgrades from reading */
        .begin_sql = "BEGIN IMMEDIATE",
        .snapshot_sql = "BEGIN", /* WAL: the first read fixes what the transaction sees */
        .table_exists_sql = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
        .search_put = sq_search_put,
        .search_join = " JOIN customer_fts ON customer_fts.rowid = t.id",
        .search_where = "customer_fts MATCH ?",
        .search_id_expr = "customer_fts.rowid",
        .search_expr = sq_search_expr,
        .json_text_sql = sq_json_text_sql,
        .local_time_sql = sq_local_time_sql,
        .json_key_arg = sq_json_key_arg,
        .json_number_sql = sq_json_number_sql,
        .number_param = "CAST(? AS REAL)",
        .ddl_word = sq_ddl_word,
        .schema_fixups = sq_schema_fixups,
};

int sqlite_engine_open(const char *path, store **out, kh_err *e)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(
	        path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		log_error("cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close_v2(db);
		return err_set(e, KH_EIO, N_("Cannot open the database %s"), path);
	}
	sqlite3_busy_timeout(db, 10000);
	sqlite3_extended_result_codes(db, 1);
	char *msg = NULL;
	rc = sqlite3_exec(db,
	                  "PRAGMA journal_mode = WAL;"
	                  "PRAGMA synchronous = NORMAL;"
	                  "PRAGMA foreign_keys = ON;"
	                  "PRAGMA trusted_schema = OFF;",
	                  NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		log_error("cannot set up %s: %s", path, msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close_v2(db);
		return err_set(e, KH_EIO, N_("Cannot open the database %s"), path);
	}
	if (sqlite_fts_register(db) != SQLITE_OK) {
		sqlite3_close_v2(db);
		return err_set(e, KH_EDB, N_("Cannot set up full-text search"));
	}
	sqlite_store *s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	store_base_init(&s->base, &sqlite_ops, path);
	s->db = db;
	*out = &s->base;
	return 0;
}
