/*
 * dedupe — the queries behind finding and merging duplicate customers.
 *
 * Finding is an indexed GROUP BY on one key (the customer's name key, a
 * contact's normalised phone, the credit code) over live customers in the
 * viewer's scope, walked in key order from a cursor key, so a page costs the
 * index entries up to its last group, not a pairwise comparison of customers.
 * Moving rows between customers touches only the tables of
 * store_customer_tables; the service decides what to move and keeps the list
 * of what moved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/name_key.h"
#include "store/store_int.h"

const char *const store_customer_tables[] = {
        "contacts",    "followups", "orders",   "opportunities", "tickets",         "pool_events",
        "visit_plans", "visits",    "requests", "evaluations",   "countermeasures", NULL,
};

static bool known_table(const char *table)
{
	for (int i = 0; store_customer_tables[i]; i++)
		if (!strcmp(store_customer_tables[i], table))
			return true;
	return false;
}

/* " AND (pool OR owner/department in scope)" for customers aliased c; the ids
 * are bound after the caller's earlier parameters */
static void scope_clause(buf *b, const kh_scope_filter *sc)
{
	int ok = 0;
	if (sc->kind == SCOPE_MATCH_ALL)
		return;
	if (sc->kind == SCOPE_MATCH_NONE || sc->n == 0) {
		ok |= buf_adds(b, " AND c.in_pool = 1");
	} else {
		ok |= buf_adds(b, sc->kind == SCOPE_MATCH_OWNERS
		                          ? " AND (c.in_pool = 1 OR c.owner_id IN ("
		                          : " AND (c.in_pool = 1 OR c.department_id IN (");
		for (int k = 0; k < sc->n; k++)
			ok |= buf_adds(b, k ? ", ?" : "?");
		ok |= buf_adds(b, "))");
	}
	if (ok < 0)
		abort();
}

static int bind_scope(store_stmt *st, int at, const kh_scope_filter *sc)
{
	if (sc->kind == SCOPE_MATCH_OWNERS || sc->kind == SCOPE_MATCH_DEPTS)
		for (int k = 0; k < sc->n; k++)
			stmt_bind_int(st, at++, sc->ids[k]);
	return at;
}

/* Prepare the statement built in sql (ok: the build's result) and release sql. */
static store_stmt *prepare_built(store *db, buf *sql, int ok, kh_err *e)
{
	if (ok < 0)
		abort();
	store_stmt *st = stmt_prepare(db, buf_str(sql), e);
	buf_release(sql);
	return st;
}

/* FROM and WHERE of the live customers (c) having a key (column k) of by */
static void key_source(buf *b, dup_by by)
{
	const char *sql;
	switch (by) {
	case DUP_PHONE:
		sql = " FROM contacts k JOIN customers c ON c.id = k.customer_id WHERE "
		      "k.deleted_at IS NULL AND c.deleted_at IS NULL AND k.phone";
		break;
	case DUP_CREDIT_CODE:
		sql = " FROM customers c WHERE c.deleted_at IS NULL AND c.credit_code";
		break;
	default:
		sql = " FROM customers c WHERE c.deleted_at IS NULL AND c.name_key";
		break;
	}
	if (buf_adds(b, sql) < 0)
		abort();
}

/* the customer id column of the keys' rows */
static const char *id_column(dup_by by, const kh_scope_filter *scope)
{
	return by == DUP_PHONE && scope->kind == SCOPE_MATCH_ALL ? "k.customer_id" : "c.id";
}

static const char *key_column(dup_by by)
{
	return by == DUP_PHONE ? "k.phone" : by == DUP_CREDIT_CODE ? "c.credit_code" : "c.name_key";
}

int store_dup_keys(store *db, dup_by by, const kh_scope_filter *scope, const char *after, int limit,
                   arena *a, const char ***keys, int *n, bool *more, kh_err *e)
{
	*n = 0;
	*more = false;
	*keys = arena_calloc(a, (size_t)limit + 2, sizeof(char *));
	buf sql;
	buf_init(&sql, 0);
	int ok = buf_addf(&sql, "SELECT %s", key_column(by));
	if (by == DUP_PHONE && scope->kind == SCOPE_MATCH_ALL)
		/* seeing every customer, the contacts' index alone answers (a phone shared with
		 * a deleted customer shows up here and is dropped with its members) */
		ok |= buf_adds(&sql, " FROM contacts k WHERE k.deleted_at IS NULL AND k.phone");
	else
		key_source(&sql, by);
	ok |= buf_adds(&sql, " > ?");
	scope_clause(&sql, scope);
	/* two customers or more: MIN <> MAX needs no temporary table, as COUNT(DISTINCT) does */
	ok |= buf_addf(&sql, " GROUP BY %s HAVING MIN(%s) <> MAX(%s) ORDER BY %s LIMIT ?",
	               key_column(by), id_column(by, scope), id_column(by, scope), key_column(by));
	store_stmt *st = prepare_built(db, &sql, ok, e);
	if (!st)
		return -1;
	stmt_bind_text(st, 1, after ? after : "");
	int at = bind_scope(st, 2, scope);
	stmt_bind_int(st, at, limit + 1);
	int rc;
	while ((rc = stmt_step(st, e)) == STMT_ROW) {
		if (*n == limit) {
			*more = true;
			break;
		}
		(*keys)[(*n)++] = stmt_text_dup(st, 0, a);
	}
	stmt_done(st);
	return rc < 0 ? -1 : 0;
}

int store_dup_members(store *db, dup_by by, const char *key, const kh_scope_filter *scope, int max,
                      arena *a, int64_t **ids, int *n, kh_err *e)
{
	*n = 0;
	*ids = arena_calloc(a, (size_t)max + 1, sizeof(int64_t));
	buf sql;
	buf_init(&sql, 0);
	int ok = buf_adds(&sql, "SELECT DISTINCT c.id");
	key_source(&sql, by);
	ok |= buf_adds(&sql, " = ?");
	scope_clause(&sql, scope);
	ok |= buf_adds(&sql, " ORDER BY c.id LIMIT ?");
	store_stmt *st = prepare_built(db, &sql, ok, e);
	if (!st)
		return -1;
	stmt_bind_text(st, 1, key);
	stmt_bind_int(st, bind_scope(st, 2, scope), max);
	int rc;
	while ((rc = stmt_step(st, e)) == STMT_ROW && *n < max)
		(*ids)[(*n)++] = stmt_int(st, 0);
	stmt_done(st);
	return rc < 0 ? -1 : 0;
}

int store_dup_key_of(store *db, dup_by by, int64_t id, arena *a, const char **key, kh_err *e)
{
	*key = NULL;
	const char *sql = by == DUP_PHONE         ? "SELECT phone FROM contacts WHERE id = ?"
	                  : by == DUP_CREDIT_CODE ? "SELECT credit_code FROM customers WHERE id = ?"
	                                          : "SELECT name_key FROM customers WHERE id = ?";
	store_stmt *st = stmt_prepare(db, sql, e);
	if (!st)
		return -1;
	stmt_bind_int(st, 1, id);
	int rc = stmt_step(st, e);
	if (rc == STMT_ROW && !stmt_null(st, 0))
		*key = stmt_text_dup(st, 0, a);
	stmt_done(st);
	return rc < 0 ? -1 : 0;
}

int store_dup_phone_contact(store *db, const char *phone, int64_t *contact_id, kh_err *e)
{
	*contact_id = 0;
	return stmt_query_int(db, e, contact_id,
	                      "SELECT MIN(id) FROM contacts WHERE phone = ? AND deleted_at IS NULL",
	                      "s", phone) < 0
	               ? -1
	               : 0;
}

int store_name_key_set(store *db, int64_t id, const char *name, kh_err *e)
{
	size_t cap = strlen(name ? name : "") + 1;
	char *key = malloc(cap);
	if (!key)
		abort();
	name_key(name, key, cap);
	int rc = stmt_run(db, e, "UPDATE customers SET name_key = ? WHERE id = ?", "si", key, id);
	free(key);
	return rc;
}

int store_name_keys_fill(store *db, int64_t *filled, kh_err *e)
{
	*filled = 0;
	/* in pages by id: the reading statement is done before the writes of its page */
	int64_t last = 0;
	for (;;) {
		store_stmt *st =
		        stmt_prepare(db,
		                     "SELECT id, name FROM customers WHERE name_key IS NULL "
		                     "AND id > ? ORDER BY id LIMIT 1000",
		                     e);
		if (!st)
			return -1;
		stmt_bind_int(st, 1, last);
		int64_t ids[1000];
		char *names[1000];
		int n = 0, rc;
		while ((rc = stmt_step(st, e)) == STMT_ROW && n < 1000) {
			ids[n] = stmt_int(st, 0);
			names[n] = strdup(stmt_text(st, 1) ? stmt_text(st, 1) : "");
			if (!names[n])
				abort();
			n++;
		}
		stmt_done(st);
		for (int i = 0; i < n; i++) {
			if (rc >= 0 && store_name_key_set(db, ids[i], names[i], e) < 0)
				rc = -1;
			free(names[i]);
		}
		if (rc < 0)
			return -1;
		*filled += n;
		if (n < 1000)
			return 0;
		last = ids[n - 1];
	}
}

int store_rows_move(store *db, const char *table, int64_t from, int64_t to, int64_t only_id,
                    const char *now, arena *a, int64_t **ids, int64_t **versions, int *n, kh_err *e)
{
	*n = 0;
	if (!known_table(table))
		return err_set(e, KH_EINTERNAL, NULL);
	char sql[256];
	/* RETURNING: exactly the rows moved, even with a writer adding one at once */
	snprintf(sql, sizeof(sql),
	         "UPDATE %s SET customer_id = ?, version = version + 1, updated_at = ? "
	         "WHERE customer_id = ? AND (? = 0 OR id = ?) RETURNING id, version",
	         table);
	store_stmt *st = stmt_prepare(db, sql, e);
	if (!st)
		return -1;
	stmt_bind_int(st, 1, to);
	stmt_bind_text(st, 2, now);
	stmt_bind_int(st, 3, from);
	stmt_bind_int(st, 4, only_id);
	stmt_bind_int(st, 5, only_id);
	int cap = 16, rc;
	*ids = arena_calloc(a, (size_t)cap, sizeof(int64_t));
	*versions = arena_calloc(a, (size_t)cap, sizeof(int64_t));
	while ((rc = stmt_step(st, e)) == STMT_ROW) {
		if (*n == cap) {
			int64_t *ni = arena_calloc(a, (size_t)cap * 2, sizeof(int64_t));
			int64_t *nv = arena_calloc(a, (size_t)cap * 2, sizeof(int64_t));
			memcpy(ni, *ids, sizeof(int64_t) * (size_t)cap);
			memcpy(nv, *versions, sizeof(int64_t) * (size_t)cap);
			*ids = ni;
			*versions = nv;
			cap *= 2;
		}
		(*ids)[*n] = stmt_int(st, 0);
		(*versions)[*n] = stmt_int(st, 1);
		(*n)++;
	}
	stmt_done(st);
	return rc < 0 ? -1 : 0;
}

int store_contact_set_primary(store *db, int64_t id, bool primary, kh_err *e)
{
	return stmt_run(db, e, "UPDATE contacts SET is_primary = ? WHERE id = ?", "ii",
	                (int64_t)primary, id);
}

int store_customer_set_merged(store *db, int64_t id, int64_t into, kh_err *e)
{
	return into ? stmt_run(db, e, "UPDATE customers SET merged_into = ? WHERE id = ?", "ii",
	                       into, id)
	            : stmt_run(db, e, "UPDATE customers SET merged_into = NULL WHERE id = ?", "i",
	                       id);
}

int store_merge_insert(store *db, const merge_row *m, int64_t *id, kh_err *e)
{
	return stmt_query_int(db, e, id,
	                      "INSERT INTO customer_merges (version, created_at, updated_at, "
	                      "created_by, into_id, from_ids, moved, before_state, after_state) "
	                      "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                      "ssiissss", m->created_at, m->created_at, m->created_by, m->into_id,
	                      m->from_ids, m->moved, m->before_state, m->after_state) < 0
	               ? -1
	               : 0;
}

#define MERGE_COLUMNS                                                                              \
	"SELECT id, version, created_at, created_by, into_id, from_ids, moved, before_state, "     \
	"after_state, undone_at, undone_by FROM customer_merges"

static void merge_from_row(store_stmt *st, arena *a, merge_row *m)
{
	m->id = stmt_int(st, 0);
	m->version = stmt_int(st, 1);
	m->created_at = stmt_text_dup(st, 2, a);
	m->created_by = stmt_null(st, 3) ? 0 : stmt_int(st, 3);
	m->into_id = stmt_int(st, 4);
	m->from_ids = stmt_text_dup(st, 5, a);
	m->moved = stmt_text_dup(st, 6, a);
	m->before_state = stmt_text_dup(st, 7, a);
	m->after_state = stmt_text_dup(st, 8, a);
	m->undone_at = stmt_text_dup(st, 9, a);
	m->undone_by = stmt_null(st, 10) ? 0 : stmt_int(st, 10);
}

int store_merge_get(store *db, int64_t id, arena *a, merge_row *out, kh_err *e)
{
	char sql[300];
	snprintf(sql, sizeof(sql), MERGE_COLUMNS " WHERE id = ?%s",
	         db->ops->row_locks && store_in_txn(db) ? " FOR UPDATE" : "");
	store_stmt *st = stmt_prepare(db, sql, e);
	if (!st)
		return -1;
	stmt_bind_int(st, 1, id);
	int rc = stmt_step(st, e);
	if (rc == STMT_ROW)
		merge_from_row(st, a, out);
	stmt_done(st);
	if (rc < 0)
		return -1;
	return rc == STMT_ROW ? 0 : err_set(e, KH_ENOTFOUND, NULL);
}

int store_merge_list(store *db, int64_t before_id, int limit, arena *a, merge_row **rows, int *n,
                     bool *more, kh_err *e)
{
	*n = 0;
	*more = false;
	*rows = arena_calloc(a, (size_t)limit + 1, sizeof(merge_row));
	store_stmt *st =
	        stmt_prepare(db, MERGE_COLUMNS " WHERE id < ? ORDER BY id DESC LIMIT ?", e);
	if (!st)
		return -1;
	stmt_bind_int(st, 1, before_id > 0 ? before_id : INT64_MAX);
	stmt_bind_int(st, 2, limit + 1);
	int rc;
	while ((rc = stmt_step(st, e)) == STMT_ROW) {
		if (*n == limit) {
			*more = true;
			break;
		}
		merge_from_row(st, a, &(*rows)[(*n)++]);
	}
	stmt_done(st);
	return rc < 0 ? -1 : 0;
}

int store_merge_undone(store *db, int64_t id, int64_t version, const char *now, int64_t by,
                       kh_err *e)
{
	if (stmt_run(db, e,
	             "UPDATE customer_merges SET undone_at = ?, undone_by = ?, updated_at = ?, "
	             "version = version + 1 WHERE id = ? AND version = ? AND undone_at IS NULL",
	             "sisii", now, by, now, id, version) < 0)
		return -1;
	return db->ops->changes(db) == 1 ? 0 : err_set(e, KH_ECONFLICT, NULL);
}
