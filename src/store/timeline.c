/*
 * timeline — what happened around one customer, across the record tables,
 * newest first; and the state history of records (stages, statuses).
 */
#include <string.h>

#include "store/store_int.h"

/* Longest summary handed out, in characters (both engines count characters). */
#define SUMMARY_CHARS 120

int store_timeline(store *db, const timeline_source *src, int nsrc, int64_t customer_id,
                   int tz_minutes, const timeline_item *after, int limit, arena *a,
                   timeline_item **out, int *n, kh_err *e)
{
	/* one SELECT per table, each walking its (customer_id, ...) index; the
	 * names come from the entity tables, never from input */
	const char *sql = "SELECT kind, id, at, summary, amount, sk FROM (";
	for (int i = 0; i < nsrc; i++) {
		const char *sk =
		        src[i].date_is_time
		                ? db->ops->local_time_sql(a, src[i].date_column, tz_minutes)
		                : src[i].date_column;
		sql = arena_printf(a,
		                   "%s%sSELECT '%s' AS kind, id, %s AS at, SUBSTR(%s, 1, %d) AS "
		                   "summary, %s AS amount, %s AS sk FROM %s WHERE customer_id = ? "
		                   "AND deleted_at IS NULL",
		                   sql, i ? " UNION ALL " : "", src[i].kind, src[i].date_column,
		                   src[i].summary_column, SUMMARY_CHARS,
		                   src[i].amount_column ? src[i].amount_column : "NULL", sk,
		                   src[i].table);
	}
	sql = arena_printf(
	        a, "%s) u%s ORDER BY sk DESC, kind DESC, id DESC LIMIT ?", sql,
	        after ? " WHERE sk < ? OR (sk = ? AND (kind < ? OR (kind = ? AND id < ?)))" : "");
	store_stmt *st = stmt_prepare(db, sql, e);
	if (!st)
		return -1;
	int p = 1;
	for (int i = 0; i < nsrc; i++)
		stmt_bind_int(st, p++, customer_id);
	if (after) {
		stmt_bind_text(st, p++, after->sort_key);
		stmt_bind_text(st, p++, after->sort_key);
		stmt_bind_text(st, p++, after->kind);
		stmt_bind_text(st, p++, after->kind);
		stmt_bind_int(st, p++, after->id);
	}
	stmt_bind_int(st, p, limit);
	*out = arena_calloc(a, (size_t)limit, sizeof(**out));
	*n = 0;
	int rc;
	while ((rc = stmt_step(st, e)) == STMT_ROW && *n < limit) {
		timeline_item *it = &(*out)[(*n)++];
		it->kind = stmt_text_dup(st, 0, a);
		it->id = stmt_int(st, 1);
		it->at = stmt_text_dup(st, 2, a);
		it->summary = stmt_text_dup(st, 3, a);
		it->has_amount = !stmt_null(st, 4);
		it->amount = it->has_amount ? stmt_int(st, 4) : 0;
		it->sort_key = stmt_text_dup(st, 5, a);
	}
	stmt_done(st);
	return rc < 0 ? -1 : 0;
}

int store_history_add(store *db, const char *entity, int64_t record_id, const char *state,
                      const char *at, int64_t user_id, kh_err *e)
{
	return stmt_run(db, e,
	                "INSERT INTO state_history (entity, record_id, state, at, user_id) VALUES "
	                "(?, ?, ?, ?, ?)",
	                user_id ? "sissi" : "siss-", entity, record_id, state, at, user_id);
}

int store_history_list(store *db, const char *entity, int64_t record_id, arena *a,
                       history_row **out, int *n, kh_err *e)
{
	int64_t count = 0;
	if (stmt_query_int(db, e, &count,
	                   "SELECT COUNT(*) FROM state_history WHERE entity = ? AND record_id = ?",
	                   "si", entity, record_id) < 0)
		return -1;
	*out = arena_calloc(a, (size_t)count + 1, sizeof(**out));
	*n = 0;
	store_stmt *st =
	        stmt_prepare(db,
	                     "SELECT state, at, user_id FROM state_history WHERE entity = ? "
	                     "AND record_id = ? ORDER BY id",
	                     e);
	if (!st)
		return -1;
	stmt_bind_text(st, 1, entity);
	stmt_bind_int(st, 2, record_id);
	int rc;
	while ((rc = stmt_step(st, e)) == STMT_ROW && *n < count) {
		history_row *h = &(*out)[(*n)++];
		h->state = stmt_text_dup(st, 0, a);
		h->at = stmt_text_dup(st, 1, a);
		h->user_id = stmt_null(st, 2) ? 0 : stmt_int(st, 2);
	}
	stmt_done(st);
	return rc < 0 ? -1 : 0;
}
