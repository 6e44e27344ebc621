/*
 * pg/engine — the PostgreSQL engine, through libpq, for teams that run
 * several stateless kehu servers against one database.
 *
 * The repositories' `?` placeholders become $1..$n; statements are
 * prepared once per connection under generated names and deallocated
 * when the statement cache evicts them. Parameters travel as text and
 * PostgreSQL converts them to the column's type. Results are fetched whole
 * (pages are small) and stepped through like SQLite's.
 *
 * Search: the same tokenizer as SQLite (core/tokenize) writes a tsvector
 * literal — CJK unigrams and colocated bigrams with positions, words as
 * words — and queries are tsquery literals (phrases of bigrams, word
 * prefixes). Building the literals in C keeps search independent of the
 * server's text-search parser and locale, which otherwise needs a UTF-8
 * locale to see Chinese characters as letters at all.
 */
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tokenize.h"
#include "store/store_int.h"
#include "util/log.h"

#define PG_MAX_PARAMS 65535 /* the protocol's limit */

typedef struct pg_store {
	store base;
	PGconn *conn;
	unsigned long next_name;
	int64_t changes;
	unsigned conn_gen; /* bumped by each reconnection: prepared statements are gone */
} pg_store;

typedef struct pg_stmt {
	store_stmt base;
	char name[24];
	char *sql;         /* the $n text, to prepare again on a new connection */
	unsigned conn_gen; /* the connection it is prepared on */
	int nparams;
	char **values; /* text of each parameter, NULL for SQL NULL */
	PGresult *res;
	int row; /* next row to return */
	int nrows;
	bool ran;
} pg_stmt;

#define PDB(db) (((pg_store *)(db))->conn)
#define PST(s)  ((pg_stmt *)(s))

/* "Key (code)=(XS2024001) already exists." -> "code" */
static const char *key_column(arena *a, const char *detail)
{
	const char *p = detail ? strstr(detail, "Key (") : NULL;
	if (!p || !a)
		return "id";
	p += 5;
	size_t n = strcspn(p, ")=,");
	return arena_strndup(a, p, n);
}

static int pg_error(store *db, const PGresult *res, kh_err *e)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(PDB(db));
	if (state && strcmp(state, "23505") == 0) {
		if (e) {
			err_field(
			        e,
			        key_column(e->ar, PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL)),
			        N_("A record with this value already exists"));
			e->code = KH_EDUP;
		}
		return -1;
	}
	if (state &&
	    (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03") ||
	     !strncmp(state, "08", 2) || !strcmp(state, "57P01"))) {
		log_warn("postgresql busy or gone (%s): %s", state, msg);
		return err_set(e, KH_EBUSY, NULL);
	}
	if (state && !strncmp(state, "23", 2)) {
		log_warn("postgresql constraint (%s): %s", state, msg);
		return err_set(e, KH_EINVAL,
		               N_("A related record does not exist or is still in use"));
	}
	if (PQstatus(PDB(db)) != CONNECTION_OK) {
		/* the server restarted or failed over: a new connection has no prepared
		 * statements and no transaction; statements prepare themselves again
		 * on first use (conn_gen) and the caller's transaction is over */
		log_warn("postgresql connection lost: %s; reconnecting", PQerrorMessage(PDB(db)));
		PQreset(PDB(db));
		((pg_store *)db)->conn_gen++;
		db->txn_depth = 0;
		db->txn_failed = false;
		return err_set(e, KH_EBUSY, NULL);
	}
	log_error("postgresql error %s: %s", state ? state : "?", msg);
	return err_set(e, KH_EDB, NULL);
}

/* Nothing arrives on an idle connection (kehu never LISTENs) but the server's
 * goodbye and end of file once it went away: readable means finished. */
static void pg_revive(store *db)
{
	struct pollfd p = {.fd = PQsocket(PDB(db)), .events = POLLIN};
	if (PQstatus(PDB(db)) == CONNECTION_OK && p.fd >= 0 && poll(&p, 1, 0) == 0)
		return;
	log_warn("postgresql connection closed while idle; reconnecting");
	PQreset(PDB(db));
	((pg_store *)db)->conn_gen++;
	db->txn_failed = false;
}

static void pg_close(store *db)
{
	store_cache_clear(db);
	PQfinish(PDB(db));
	free(db);
}

static int pg_exec(store *db, const char *sql, kh_err *e)
{
	PGresult *res = PQexec(PDB(db), sql);
	ExecStatusType st = PQresultStatus(res);
	int rc = 0;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		/* a failed statement would leave the transaction aborted */
		rc = pg_error(db, res, e);
	}
	PQclear(res);
	return rc;
}

/* `?` -> `$n`, outside quotes; returns the count, -1 when too many */
static int number_placeholders(const char *sql, buf *out)
{
	int n = 0;
	char quote = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '?') {
			if (++n > PG_MAX_PARAMS || buf_addf(out, "$%d", n) < 0)
				return -1;
			continue;
		}
		if (buf_addc(out, *p) < 0)
			return -1;
	}
	return n;
}

static int prepare_on_server(store *db, pg_stmt *st, kh_err *e)
{
	PGresult *res = PQprepare(PDB(db), st->name, st->sql, 0, NULL);
	int rc = 0;
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_error("postgresql prepare failed: %s in: %.200s", PQresultErrorMessage(res),
		          st->sql);
		rc = pg_error(db, res, e);
	}
	PQclear(res);
	return rc;
}

static store_stmt *pg_prepare(store *db, const char *sql, kh_err *e)
{
	pg_store *ps = (pg_store *)db;
	buf text;
	buf_init(&text, 0);
	int n = number_placeholders(sql, &text);
	if (n < 0) {
		buf_release(&text);
		err_set(e, KH_EINTERNAL, NULL);
		return NULL;
	}
	pg_stmt *st = calloc(1, sizeof(*st));
	if (!st)
		abort();
	snprintf(st->name, sizeof(st->name), "k%lu", ++ps->next_name);
	st->sql = buf_detach(&text, NULL);
	st->conn_gen = ps->conn_gen;
	if (prepare_on_server(db, st, e) < 0) {
		free(st->sql);
		free(st);
		return NULL;
	}
	st->nparams = n;
	st->values = calloc((size_t)(n ? n : 1), sizeof(char *));
	if (!st->values)
		abort();
	return &st->base;
}

static void clear_values(pg_stmt *st)
{
	for (int i = 0; i < st->nparams; i++) {
		free(st->values[i]);
		st->values[i] = NULL;
	}
}

static void pg_reset(store_stmt *s)
{
	pg_stmt *st = PST(s);
	PQclear(st->res);
	st->res = NULL;
	st->ran = false;
	st->row = st->nrows = 0;
	clear_values(st);
}

static void pg_finalize(store_stmt *s)
{
	pg_stmt *st = PST(s);
	pg_reset(s);
	/* a broken or new connection has no such prepared statement to drop */
	if (st->conn_gen == ((pg_store *)s->db)->conn_gen &&
	    PQstatus(PDB(s->db)) == CONNECTION_OK &&
	    PQtransactionStatus(PDB(s->db)) != PQTRANS_INERROR) {
		char sql[48];
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", st->name);
		PQclear(PQexec(PDB(s->db), sql));
	}
	free(st->values);
	free(st->sql);
	free(st);
}

static void set_value(pg_stmt *st, int i, char *v)
{
	if (i < 1 || i > st->nparams) {
		free(v);
		return;
	}
	free(st->values[i - 1]);
	st->values[i - 1] = v;
}

static void pg_bind_null(store_stmt *s, int i)
{
	set_value(PST(s), i, NULL);
}

static void pg_bind_int(store_stmt *s, int i, int64_t v)
{
	char tmp[24];
	snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	set_value(PST(s), i, strdup(tmp));
}

static void pg_bind_text(store_stmt *s, int i, const char *v)
{
	set_value(PST(s), i, strdup(v));
}

static int pg_step(store_stmt *s, kh_err *e)
{
	pg_stmt *st = PST(s);
	pg_store *ps = (pg_store *)s->db;
	if (!st->ran) {
		st->ran = true;
		if (st->conn_gen != ps->conn_gen) {
			if (prepare_on_server(s->db, st, e) < 0)
				return -1;
			st->conn_gen = ps->conn_gen;
		}
		st->res = PQexecPrepared(ps->conn, st->name, st->nparams,
		                         (const char *const *)st->values, NULL, NULL, 0);
		ExecStatusType rs = PQresultStatus(st->res);
		if (rs == PGRES_TUPLES_OK) {
			st->nrows = PQntuples(st->res);
			const char *t = PQcmdTuples(st->res);
			ps->changes = *t ? strtoll(t, NULL, 10) : 0;
		} else if (rs == PGRES_COMMAND_OK) {
			st->nrows = 0;
			const char *t = PQcmdTuples(st->res);
			ps->changes = *t ? strtoll(t, NULL, 10) : 0;
		} else {
			return pg_error(s->db, st->res, e);
		}
	}
	if (st->row < st->nrows) {
		st->row++;
		return STMT_ROW;
	}
	return STMT_DONE;
}

static int pg_col_count(store_stmt *s)
{
	return PST(s)->res ? PQnfields(PST(s)->res) : 0;
}

static const char *pg_col_name(store_stmt *s, int i)
{
	return PQfname(PST(s)->res, i);
}

static bool pg_col_null(store_stmt *s, int i)
{
	pg_stmt *st = PST(s);
	return PQgetisnull(st->res, st->row - 1, i);
}

static int64_t pg_col_int(store_stmt *s, int i)
{
	pg_stmt *st = PST(s);
	return strtoll(PQgetvalue(st->res, st->row - 1, i), NULL, 10);
}

static const char *pg_col_text(store_stmt *s, int i)
{
	pg_stmt *st = PST(s);
	return PQgetvalue(st->res, st->row - 1, i);
}

static int64_t pg_changes(store *db)
{
	return ((pg_store *)db)->changes;
}

/* ---- search ---- */

/* a lexeme quoted for a tsvector/tsquery literal */
static int add_lexeme(buf *b, const char *tok, int len)
{
	int rc = buf_addc(b, '\'');
	for (int i = 0; i < len && rc == 0; i++) {
		if (tok[i] == '\'' || tok[i] == '\\')
			rc = buf_addc(b, tok[i]);
		if (rc == 0)
			rc = buf_addc(b, tok[i]);
	}
	return rc ? rc : buf_addc(b, '\'');
}

typedef struct doc_ctx {
	buf *b;
	int pos;
	int rc;
} doc_ctx;

#define TSVECTOR_MAX_POS 16383

static int doc_token(void *ud, int flags, const char *tok, int len, int start, int end)
{
	(void)start;
	(void)end;
	doc_ctx *d = ud;
	if (!(flags & TOKEN_COLOCATED) && d->pos < TSVECTOR_MAX_POS)
		d->pos++;
	if (d->b->len && buf_addc(d->b, ' ') < 0)
		return d->rc = -1;
	if (add_lexeme(d->b, tok, len) < 0 || buf_addf(d->b, ":%d", d->pos) < 0)
		return d->rc = -1;
	return 0;
}

static int pg_search_put(store *db, int64_t id, const char *const cols[5], kh_err *e)
{
	buf doc;
	buf_init(&doc, 0);
	doc_ctx d = {&doc, 0, 0};
	for (int i = 0; i < 5 && d.rc == 0; i++) {
		tokenize(cols[i], (int)strlen(cols[i]), false, doc_token, &d);
		d.pos += 1; /* a gap between columns: no phrase spans two of them */
	}
	int rc = stmt_run(db, e,
	                  "INSERT INTO customer_search (id, doc) VALUES (?, CAST(? AS tsvector)) "
	                  "ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
	                  "is", id, buf_str(&doc));
	buf_release(&doc);
	return rc;
}

typedef struct query_ctx {
	buf *b;
	int n;
} query_ctx;

static int query_token(void *ud, int flags, const char *tok, int len, int start, int end)
{
	(void)flags;
	(void)start;
	(void)end;
	query_ctx *q = ud;
	if (q->n++ && buf_adds(q->b, " <-> ") < 0)
		return -1;
	return add_lexeme(q->b, tok, len) < 0 ? -1 : 0;
}

static char *pg_search_expr(arena *a, const char *const *terms, const bool *cjk, int n)
{
	buf b;
	buf_init(&b, 0);
	for (int i = 0; i < n; i++) {
		if (i && buf_adds(&b, " & ") < 0)
			break;
		if (buf_addc(&b, '(') < 0)
			break;
		query_ctx q = {&b, 0};
		tokenize(terms[i], (int)strlen(terms[i]), true, query_token, &q);
		if (!cjk[i] && buf_adds(&b, ":*") < 0)
			break;
		if (buf_addc(&b, ')') < 0)
			break;
	}
	char *s = arena_strdup(a, buf_str(&b));
	buf_release(&b);
	return s;
}

static const char *pg_local_time_sql(arena *a, const char *column, int tz_minutes)
{
	return arena_printf(a,
	                    "to_char(CAST(%s AS timestamptz) AT TIME ZONE 'UTC' + "
	                    "interval '%d minutes', 'YYYY-MM-DD\"T\"HH24:MI:SS')",
	                    column, tz_minutes);
}

static const char *pg_json_text_sql(arena *a, const char *column)
{
	/* the member as JSON text, rendered like SQLite's -> */
	return arena_printf(a, "CAST((CAST(%s AS jsonb) -> CAST(? AS TEXT)) AS TEXT)", column);
}

static const char *pg_json_number_sql(arena *a, const char *column)
{
	return arena_printf(a, "CAST(CAST(%s AS jsonb) ->> CAST(? AS TEXT) AS numeric)", column);
}

static const char *pg_json_key_arg(arena *a, const char *key)
{
	return arena_strdup(a, key);
}

static const char *pg_ddl_word(const char *word)
{
	if (strcmp(word, "PK") == 0)
		return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
	if (strcmp(word, "NF") == 0)
		return " NULLS FIRST"; /* keyset order is ASC NULLS FIRST / DESC NULLS LAST */
	return NULL;
}

static int pg_schema_fixups(store *db, int version, kh_err *e)
{
	if (version == 1)
		return pg_exec(
		        db,
		        "CREATE TABLE customer_search (id BIGINT PRIMARY KEY REFERENCES "
		        "customers(id), doc tsvector NOT NULL);"
		        "CREATE INDEX customer_search_doc ON customer_search USING gin (doc);",
		        e);
	return 0;
}

/* identity columns keep their own counter: move it past the copied ids */
static int pg_after_copy(store *db, const char *table, kh_err *e)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
	         "SELECT setval(pg_get_serial_sequence('%s', 'id'), "
	         "GREATEST((SELECT MAX(id) FROM %s), 1))",
	         table, table);
	return pg_exec(db, sql, e);
}

static const store_ops pg_ops = {
        .name = "postgresql",
        .close = pg_close,
        .revive = pg_revive,
        .exec = pg_exec,
        .prepare = pg_prepare,
        .reset = pg_reset,
        .finalize = pg_finalize,
        .bind_null = pg_bind_null,
        .bind_int = pg_bind_int,
        .bind_text = pg_bind_text,
        .step = pg_step,
        .col_count = pg_col_count,
        .col_name = pg_col_name,
        .col_null = pg_col_null,
        .col_int = pg_col_int,
        .col_text = pg_col_text,
        .changes = pg_changes,
        .bulk_pragmas = NULL,
        .begin_sql = "BEGIN",
        .snapshot_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        .row_locks = true,
        .table_exists_sql = "SELECT COUNT(*) FROM information_schema.tables WHERE "
                            "table_schema = current_schema() AND table_name = ?",
        /* several servers may start at once: one migrates, the others wait */
        .migrate_lock = "SELECT pg_advisory_xact_lock(7305001)",
        .search_put = pg_search_put,
        .search_join = "",
        .search_where = "t.id IN (SELECT s.id FROM customer_search s WHERE s.doc @@ "
                        "CAST(? AS tsquery))",
        .search_id_expr = "t.id",
        .search_expr = pg_search_expr,
        .json_text_sql = pg_json_text_sql,
        .local_time_sql = pg_local_time_sql,
        .json_key_arg = pg_json_key_arg,
        .json_number_sql = pg_json_number_sql,
        .number_param = "CAST(? AS numeric)",
        .ddl_word = pg_ddl_word,
        .schema_fixups = pg_schema_fixups,
        .after_copy = pg_after_copy,
};

static void quiet_notices(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int pg_engine_open(const char *url, store **out, kh_err *e)
{
	*out = NULL;
	PGconn *conn = PQconnectdb(url);
	if (PQstatus(conn) != CONNECTION_OK) {
		/* the message may hold the password of the URL: log it, do not show it */
		log_error("cannot connect to postgresql: %s", PQerrorMessage(conn));
		PQfinish(conn);
		return err_set(e, KH_EIO, N_("Cannot connect to the PostgreSQL database"));
	}
	PQsetNoticeProcessor(conn, quiet_notices, NULL);
	PGresult *res = PQexec(conn, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; "
	                             "SET standard_conforming_strings = on");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_error("cannot set up the postgresql session: %s", PQresultErrorMessage(res));
		PQclear(res);
		PQfinish(conn);
		return err_set(e, KH_EIO, N_("Cannot connect to the PostgreSQL database"));
	}
	PQclear(res);
	pg_store *s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	store_base_init(&s->base, &pg_ops, url);
	s->conn = conn;
	*out = &s->base;
	return 0;
}
