/*
 * requests — the SQL of requests with approval that the generic record
 * store cannot express: lists that combine "mine", "mine to decide" and
 * "of customers I see", the approver's inbox, and the budget report's join
 * of requests and their items. Everything else about requests goes through
 * the generic record functions.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/request.h"
#include "store/store_int.h"

#define SQL_CAP (1024 * 1024)

typedef struct sqlq {
	buf b;
	struct {
		bool is_int;
		int64_t i;
		const char *s;
	} p[256 + 2 * 512];
	int n;
	bool full;
} sqlq;

static void add(sqlq *q, const char *s)
{
	if (buf_adds(&q->b, s) < 0)
		abort(); /* our own SQL never reaches the cap */
}

static void param(sqlq *q, bool is_int, int64_t i, const char *text)
{
	if (q->n >= (int)(sizeof(q->p) / sizeof(q->p[0]))) {
		q->full = true;
		return;
	}
	q->p[q->n].is_int = is_int;
	q->p[q->n].i = i;
	q->p[q->n++].s = text;
}

static void pint(sqlq *q, int64_t v)
{
	param(q, true, v, NULL);
}

static void ptext(sqlq *q, const char *s)
{
	param(q, false, 0, s);
}

/* " IN (?, ?, ...)" of ids; a scope or department line longer than the
 * parameter room is a bug of the caller's sizing, reported as an error */
static void in_ids(sqlq *q, const int64_t *ids, int n)
{
	add(q, " IN (");
	for (int k = 0; k < n; k++) {
		add(q, k ? ", ?" : "?");
		pint(q, ids[k]);
	}
	add(q, ")");
}

/* the steps (alias s) the viewer may decide */
static void eligible(sqlq *q, const request_query *rq)
{
	add(q, "(s.user_id = ?");
	pint(q, rq->me);
	if (rq->role) {
		add(q, " OR (s.kind = 'role' AND s.role = ? AND (s.department_id IS NULL");
		ptext(q, rq->role);
		if (rq->ndept_line) {
			add(q, " OR s.department_id");
			in_ids(q, rq->dept_line, rq->ndept_line);
		}
		add(q, "))");
	}
	add(q, ")");
}

static void where(sqlq *q, const request_query *rq)
{
	add(q, " WHERE t.deleted_at IS NULL");
	if (!rq->all) {
		add(q,
		    " AND (t.applicant_id = ? OR (t.status <> 'draft' AND (EXISTS (SELECT 1 FROM "
		    "request_decisions d WHERE d.request_id = t.id AND d.approver_id = ?) OR "
		    "EXISTS (SELECT 1 FROM request_steps s WHERE s.request_id = t.id AND ");
		pint(q, rq->me);
		pint(q, rq->me);
		eligible(q, rq);
		add(q, ")");
		const kh_scope_filter *sc = &rq->scope;
		if (sc->kind == SCOPE_MATCH_ALL) {
			add(q, " OR 1 = 1");
		} else if ((sc->kind == SCOPE_MATCH_OWNERS || sc->kind == SCOPE_MATCH_DEPTS) &&
		           sc->n > 0) {
			add(q, sc->kind == SCOPE_MATCH_OWNERS
			               ? " OR t.customer_id IN (SELECT c.id FROM customers c WHERE "
			                 "c.deleted_at IS NULL AND c.owner_id"
			               : " OR t.customer_id IN (SELECT c.id FROM customers c WHERE "
			                 "c.deleted_at IS NULL AND c.department_id");
			in_ids(q, sc->ids, sc->n);
			add(q, ")");
		}
		add(q, ")))");
	}
	if (rq->inbox) {
		add(q,
		    " AND t.status = 'pending' AND t.applicant_id <> ? AND EXISTS (SELECT 1 FROM "
		    "request_steps s WHERE s.request_id = t.id AND s.step = t.current_step AND ");
		pint(q, rq->me);
		eligible(q, rq);
		add(q, ")");
	}
	if (rq->costs_only)
		add(q, " AND t.type <> 'entertainment_report'");
	/* the plain filters: text ones when set, id ones when not 0 */
	const struct {
		const char *sql, *text;
		int64_t id;
	} filters[] = {
	        {" AND t.type = ?", rq->type, 0},
	        {" AND t.status = ?", rq->status, 0},
	        {" AND t.customer_id = ?", NULL, rq->customer_id},
	        {" AND t.applicant_id = ?", NULL, rq->applicant_id},
	        {" AND t.date >= ?", rq->from, 0},
	        {" AND t.date <= ?", rq->to, 0},
	        {" AND t.id < ?", NULL, rq->before_id},
	};
	for (size_t k = 0; k < sizeof(filters) / sizeof(filters[0]); k++) {
		if (!filters[k].text && !filters[k].id)
			continue;
		add(q, filters[k].sql);
		if (filters[k].text)
			ptext(q, filters[k].text);
		else
			pint(q, filters[k].id);
	}
}

static store_stmt *prepare(store *db, sqlq *q, kh_err *e)
{
	if (q->full) {
		buf_release(&q->b);
		err_set(e, KH_EINTERNAL, NULL);
		return NULL;
	}
	store_stmt *st = stmt_prepare(db, buf_str(&q->b), e);
	buf_release(&q->b);
	if (!st)
		return NULL;
	for (int k = 0; k < q->n; k++) {
		if (q->p[k].is_int)
			stmt_bind_int(st, k + 1, q->p[k].i);
		else
			stmt_bind_text(st, k + 1, q->p[k].s);
	}
	return st;
}

int store_request_list(store *db, const request_query *rq, arena *a, kh_record **rows, int *n,
                       bool *more, kh_err *e)
{
	sqlq *q = calloc(1, sizeof(*q));
	if (!q)
		return err_set(e, KH_EINTERNAL, NULL);
	buf_init(&q->b, SQL_CAP);
	add(q, "SELECT ");
	store_select_all(&q->b, &request_entity);
	add(q, " FROM requests t");
	where(q, rq);
	int limit = rq->limit > 0 ? rq->limit : QUERY_DEFAULT_LIMIT;
	char tail[64];
	snprintf(tail, sizeof(tail), " ORDER BY t.id DESC LIMIT %d", limit + 1);
	add(q, tail);
	store_stmt *st = prepare(db, q, e);
	free(q);
	if (!st)
		return -1;
	kh_record *out = arena_calloc(a, (size_t)limit + 1, sizeof(kh_record));
	int count = 0, rc;
	*more = false;
	while ((rc = stmt_step(st, e)) == STMT_ROW) {
		if (count == limit) {
			*more = true;
			break;
		}
		store_read_record(st, 0, &request_entity, a, &out[count++]);
	}
	stmt_done(st);
	if (rc < 0)
		return -1;
	*rows = out;
	*n = count;
	return 0;
}

int store_request_budget(store *db, const request_query *rq, arena *a, kh_record **reqs, int *nreqs,
                         budget_line **lines, int *nlines, kh_err *e)
{
	sqlq *q = calloc(1, sizeof(*q));
	if (!q)
		return err_set(e, KH_EINTERNAL, NULL);
	buf_init(&q->b, SQL_CAP);
	add(q, "SELECT ");
	store_select_all(&q->b, &request_entity);
	add(q, ", i.item, i.budget, i.actual FROM requests t LEFT JOIN request_items i ON "
	       "i.request_id = t.id AND i.deleted_at IS NULL");
	where(q, rq);
	add(q, " ORDER BY t.id, i.id");
	store_stmt *st = prepare(db, q, e);
	free(q);
	if (!st)
		return -1;
	int rcap = 0, lcap = 0, rc, col = request_entity.nfields;
	*nreqs = *nlines = 0;
	*reqs = NULL;
	*lines = NULL;
	int64_t last = 0;
	while ((rc = stmt_step(st, e)) == STMT_ROW) {
		int64_t id = stmt_int(st, F_ID);
		if (id != last) {
			store_read_record(st, 0, &request_entity, a,
			                  ARENA_PUSH(a, *reqs, *nreqs, rcap));
			last = id;
		}
		if (stmt_null(st, col))
			continue;
		budget_line *l = ARENA_PUSH(a, *lines, *nlines, lcap);
		l->request = *nreqs - 1;
		l->item = arena_strdup(a, stmt_text(st, col));
		l->budget = stmt_null(st, col + 1) ? 0 : stmt_int(st, col + 1);
		l->has_actual = !stmt_null(st, col + 2);
		l->actual = l->has_actual ? stmt_int(st, col + 2) : 0;
	}
	stmt_done(st);
	return rc < 0 ? -1 : 0;
}

int store_request_items_clear(store *db, int64_t request_id, kh_err *e)
{
	return stmt_run(db, e, "DELETE FROM request_items WHERE request_id = ?", "i", request_id);
}
