/*
 * audit — the append-only audit log.
 */
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

int store_audit_add(store *db, const audit_row *r, kh_err *e)
{
	return stmt_run(db, e,
	                "INSERT INTO audit_log (at, user_id, username, origin, action, entity, "
	                "entity_id, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	                "sissssis", r->at, r->user_id, r->username, r->origin, r->action, r->entity,
	                r->entity_id, r->changes);
}

int store_audit_list(store *db, const audit_query *q, arena *a, audit_row **rows, int *n,
                     bool *more, kh_err *e)
{
	/* optional filters as "(? IS NULL OR col = ?)" keep one cached statement; the
	 * casts tell PostgreSQL the type of a parameter that is only tested for NULL */
	store_stmt *st = stmt_prepare(
	        db,
	        "SELECT id, at, user_id, username, origin, action, entity, entity_id, changes "
	        "FROM audit_log WHERE (? = 0 OR id < ?) "
	        "AND (CAST(? AS TEXT) IS NULL OR entity = ?) AND (? = 0 OR entity_id = ?) "
	        "AND (? = 0 OR user_id = ?) AND (CAST(? AS TEXT) IS NULL OR action = ?) "
	        "AND (CAST(? AS TEXT) IS NULL OR at >= ?) AND (CAST(? AS TEXT) IS NULL OR at < ?) "
	        "ORDER BY id DESC LIMIT ?",
	        e);
	if (!st)
		return -1;
	int k = 1;
	stmt_bind_int(st, k++, q->before_id);
	stmt_bind_int(st, k++, q->before_id);
	stmt_bind_text(st, k++, q->entity);
	stmt_bind_text(st, k++, q->entity);
	stmt_bind_int(st, k++, q->entity_id);
	stmt_bind_int(st, k++, q->entity_id);
	stmt_bind_int(st, k++, q->user_id);
	stmt_bind_int(st, k++, q->user_id);
	stmt_bind_text(st, k++, q->action);
	stmt_bind_text(st, k++, q->action);
	stmt_bind_text(st, k++, q->from);
	stmt_bind_text(st, k++, q->from);
	stmt_bind_text(st, k++, q->to);
	stmt_bind_text(st, k++, q->to);
	int limit = q->limit > 0 ? q->limit : 50;
	stmt_bind_int(st, k++, limit + 1);
	audit_row *out = arena_calloc(a, (size_t)limit + 1, sizeof(audit_row));
	int count = 0, rc;
	*more = false;
	while ((rc = stmt_step(st, e)) == STMT_ROW) {
		if (count == limit) {
			*more = true;
			break;
		}
		audit_row *r = &out[count++];
		r->id = stmt_int(st, 0);
		r->at = stmt_text_dup(st, 1, a);
		r->user_id = stmt_null(st, 2) ? 0 : stmt_int(st, 2);
		r->username = stmt_text_dup(st, 3, a);
		r->origin = stmt_text_dup(st, 4, a);
		r->action = stmt_text_dup(st, 5, a);
		r->entity = stmt_text_dup(st, 6, a);
		r->entity_id = stmt_null(st, 7) ? 0 : stmt_int(st, 7);
		r->changes = stmt_text_dup(st, 8, a);
	}
	stmt_done(st);
	if (rc < 0)
		return -1;
	*rows = out;
	*n = count;
	return 0;
}
