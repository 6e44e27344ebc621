/*
 * records — generic create, read, update, delete and list over any
 * kh_entity. SQL text is assembled from the entity's column names only;
 * every value is bound.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* generated SQL grows with list parameters and scope ids; far above any real use */
#define SQL_CAP (4 * 1024 * 1024)

static void add(buf *b, const char *s)
{
	if (buf_adds(b, s) < 0)
		abort(); /* SQL built from our own tables never reaches the cap */
}

static void addf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (buf_vaddf(b, fmt, ap) < 0)
		abort();
	va_end(ap);
}

static void bind_value(store_stmt *st, int i, const kh_field *f, const kh_value *v)
{
	if (v->state != V_SET)
		stmt_bind_null(st, i);
	else if (field_is_int(f->type))
		stmt_bind_int(st, i, v->i);
	else
		stmt_bind_text(st, i, v->s);
}

/* Read column col of the current row into v. */
static void read_value(store_stmt *st, int col, const kh_field *f, kh_value *v, arena *a)
{
	if (stmt_null(st, col)) {
		v->state = V_NULL;
		v->s = NULL;
		v->i = 0;
		return;
	}
	v->state = V_SET;
	if (field_is_int(f->type))
		v->i = stmt_int(st, col);
	else
		v->s = arena_strdup(a, stmt_text(st, col));
}

int store_record_insert(store *db, kh_record *r, kh_err *e)
{
	const kh_entity *ent = r->ent;
	buf sql;
	buf_init(&sql, SQL_CAP);
	addf(&sql, "INSERT INTO %s (", ent->table);
	int n = 0;
	for (int i = 0; i < ent->nfields; i++) {
		if (i == F_ID && r->v[i].state != V_SET)
			continue;
		if (r->v[i].state == V_ABSENT)
			continue;
		addf(&sql, "%s%s", n++ ? ", " : "", ent->fields[i].column);
	}
	add(&sql, ") VALUES (");
	for (int k = 0; k < n; k++)
		add(&sql, k ? ", ?" : "?");
	add(&sql, ") RETURNING id");
	store_stmt *st = stmt_prepare(db, buf_str(&sql), e);
	buf_release(&sql);
	if (!st)
		return -1;
	int k = 1;
	for (int i = 0; i < ent->nfields; i++) {
		if ((i == F_ID && r->v[i].state != V_SET) || r->v[i].state == V_ABSENT)
			continue;
		bind_value(st, k++, &ent->fields[i], &r->v[i]);
	}
	int rc = stmt_step(st, e);
	if (rc == STMT_ROW)
		record_set_int(r, F_ID, stmt_int(st, 0));
	stmt_done(st);
	if (rc < 0)
		return -1;
	if (rc != STMT_ROW)
		return err_set(e, KH_EDB, NULL);
	return 0;
}

/* "t.a, t.b, ..." of the wanted fields; records which field each column is */
static int select_list(buf *b, const kh_entity *ent, const bool *want, int *cols)
{
	int n = 0;
	for (int i = 0; i < ent->nfields; i++) {
		if (want && !want[i] && i != F_ID && i != F_VERSION)
			continue;
		addf(b, "%st.%s", n ? ", " : "", ent->fields[i].column);
		cols[n++] = i;
	}
	return n;
}

int store_record_get(store *db, const kh_entity *ent, int64_t id, bool with_deleted, arena *a,
                     kh_record *out, kh_err *e)
{
	int cols[256];
	buf sql;
	buf_init(&sql, SQL_CAP);
	add(&sql, "SELECT ");
	int n = select_list(&sql, ent, NULL, cols);
	addf(&sql, " FROM %s t WHERE t.id = ?%s", ent->table,
	     with_deleted ? "" : " AND t.deleted_at IS NULL");
	store_stmt *st = stmt_prepare(db, buf_str(&sql), e);
	buf_release(&sql);
	if (!st)
		return -1;
	stmt_bind_int(st, 1, id);
	int rc = stmt_step(st, e);
	if (rc == STMT_ROW) {
		record_init(out, ent, a);
		for (int k = 0; k < n; k++)
			read_value(st, k, &ent->fields[cols[k]], &out->v[cols[k]], a);
	}
	stmt_done(st);
	if (rc < 0)
		return -1;
	if (rc == STMT_DONE)
		return err_set(e, KH_ENOTFOUND, N_("%s %lld not found"), tr(e->lang, ent->label),
		               (long long)id);
	return 0;
}

/* After an UPDATE matched no row: gone, or moved on? */
static int explain_no_match(store *db, const kh_entity *ent, int64_t id, kh_err *e)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT version FROM %s WHERE id = ? AND deleted_at IS NULL",
	         ent->table);
	int64_t v = 0;
	int rc = stmt_query_int(db, e, &v, sql, "i", id);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, KH_ENOTFOUND, N_("%s %lld not found"), tr(e->lang, ent->label),
		               (long long)id);
	return err_set(e, KH_ECONFLICT, NULL);
}

int store_record_update(store *db, const kh_record *changes, int64_t id, int64_t version,
                        const char *now, kh_err *e)
{
	const kh_entity *ent = changes->ent;
	buf sql;
	buf_init(&sql, SQL_CAP);
	addf(&sql, "UPDATE %s SET version = version + 1, updated_at = ?", ent->table);
	for (int i = F_NSYSTEM; i < ent->nfields; i++)
		if (changes->v[i].state != V_ABSENT)
			addf(&sql, ", %s = ?", ent->fields[i].column);
	add(&sql, " WHERE id = ? AND version = ? AND deleted_at IS NULL");
	store_stmt *st = stmt_prepare(db, buf_str(&sql), e);
	buf_release(&sql);
	if (!st)
		return -1;
	int k = 1;
	stmt_bind_text(st, k++, now);
	for (int i = F_NSYSTEM; i < ent->nfields; i++)
		if (changes->v[i].state != V_ABSENT)
			bind_value(st, k++, &ent->fields[i], &changes->v[i]);
	stmt_bind_int(st, k++, id);
	stmt_bind_int(st, k++, version);
	int rc = stmt_step(st, e);
	stmt_done(st);
	if (rc < 0)
		return -1;
	if (db->ops->changes(db) == 0)
		return explain_no_match(db, ent, id, e);
	return 0;
}

int store_record_mark_deleted(store *db, const kh_entity *ent, int64_t id, int64_t version,
                              bool deleted, const char *now, kh_err *e)
{
	char sql[512];
	snprintf(sql, sizeof(sql),
	         "UPDATE %s SET deleted_at = ?, updated_at = ?, version = version + 1 "
	         "WHERE id = ? AND version = ? AND deleted_at IS %s",
	         ent->table, deleted ? "NULL" : "NOT NULL");
	if (stmt_run(db, e, sql, "ssii", deleted ? now : NULL, now, id, version) < 0)
		return -1;
	if (db->ops->changes(db) > 0)
		return 0;
	/* distinguish missing from stale */
	snprintf(sql, sizeof(sql), "SELECT version FROM %s WHERE id = ? AND deleted_at IS %s",
	         ent->table, deleted ? "NULL" : "NOT NULL");
	int64_t v = 0;
	int rc = stmt_query_int(db, e, &v, sql, "i", id);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, KH_ENOTFOUND, N_("%s %lld not found"), tr(e->lang, ent->label),
		               (long long)id);
	return err_set(e, KH_ECONFLICT, NULL);
}

/* ---- lists ---- */

typedef struct param {
	bool is_int;
	int64_t i;
	const char *s;
} param;

typedef struct params {
	param *p;
	int n, cap;
	arena *a;
} params;

static void param_add(params *ps, bool is_int, int64_t i, const char *s)
{
	*ARENA_PUSH(ps->a, ps->p, ps->n, ps->cap) = (param){is_int, i, s};
}

static void param_value(params *ps, const kh_field *f, const kh_value *v)
{
	if (field_is_int(f->type))
		param_add(ps, true, v->i, NULL);
	else
		param_add(ps, false, 0, v->s);
}

/* ", ?" n times after the first "?" */
static void placeholders(buf *b, int n)
{
	for (int k = 0; k < n; k++)
		add(b, k ? ", ?" : "?");
}

static int field_by_type(const kh_entity *ent, field_type t, const char *name)
{
	for (int i = 0; i < ent->nfields; i++)
		if (ent->fields[i].type == t && (!name || strcmp(ent->fields[i].name, name) == 0))
			return i;
	return -1;
}

/*
 * The data scope in SQL. Records that hang off a customer (contacts, follow-ups,
 * orders ...) are visible exactly when their customer is, whoever owns the record
 * itself; the customer's own owner and department decide.
 */
static void scope_sql(buf *b, params *ps, const kh_query *q)
{
	const kh_entity *ent = q->ent;
	const kh_scope_filter *sc = &q->scope;
	bool via_customer = field_by_type(ent, FT_REF, "customer_id") >= 0;
	if (sc->kind == SCOPE_MATCH_ALL) {
		/* records hanging off a customer go with it into the recycle bin */
		if (via_customer && !q->parent_id)
			add(b, " AND t.customer_id IN (SELECT c.id FROM customers c WHERE "
			       "c.deleted_at IS NULL)");
		return;
	}
	if (sc->kind == SCOPE_MATCH_NONE || sc->n == 0) {
		add(b, " AND 1 = 0");
		return;
	}
	const char *col = sc->kind == SCOPE_MATCH_OWNERS ? "owner_id" : "department_id";
	if (via_customer) {
		addf(b,
		     " AND t.customer_id IN (SELECT c.id FROM customers c WHERE "
		     "c.deleted_at IS NULL AND c.%s IN (",
		     col);
	} else if (field_by_type(ent, FT_USER, "owner") >= 0) {
		addf(b, " AND t.%s IN (", col);
	} else {
		add(b, " AND 1 = 0");
		return;
	}
	placeholders(b, sc->n);
	add(b, via_customer ? "))" : ")");
	for (int k = 0; k < sc->n; k++)
		param_add(ps, true, sc->ids[k], NULL);
}

static void view_sql(buf *b, params *ps, const kh_query *q)
{
	bool has_archive = entity_field(q->ent, "archived") >= 0;
	bool has_pool = entity_field(q->ent, "in_pool") >= 0;
	switch (q->view) {
	case VIEW_DELETED:
		add(b, " AND t.deleted_at IS NOT NULL");
		return;
	case VIEW_ALL_LIVE:
		add(b, " AND t.deleted_at IS NULL");
		return;
	case VIEW_ARCHIVED:
		add(b, " AND t.deleted_at IS NULL");
		add(b, has_archive ? " AND t.archived = 1" : " AND 1 = 0");
		return;
	case VIEW_POOL:
		add(b, " AND t.deleted_at IS NULL");
		add(b, has_pool ? " AND t.in_pool = 1" : " AND 1 = 0");
		return;
	case VIEW_STALE:
		if (!has_archive || !has_pool || !q->stale_before) {
			add(b, " AND 1 = 0");
			return;
		}
		add(b,
		    " AND t.deleted_at IS NULL AND t.archived = 0 AND t.in_pool = 0 AND "
		    "(t.status = 'lost' OR ((t.first_contact_date IS NULL OR t.first_contact_date "
		    "< ?) AND (t.last_followup_date IS NULL OR t.last_followup_date < ?) AND "
		    "(t.last_deal_date IS NULL OR t.last_deal_date < ?)))");
		for (int k = 0; k < 3; k++)
			param_add(ps, false, 0, q->stale_before);
		return;
	case VIEW_ACTIVE:
		add(b, " AND t.deleted_at IS NULL");
		if (has_archive)
			add(b, " AND t.archived = 0");
		if (has_pool)
			add(b, " AND t.in_pool = 0");
		return;
	}
}

static void filters_sql(store *db, buf *b, params *ps, const kh_query *q, arena *a)
{
	for (int k = 0; k < q->nfilters; k++) {
		const kh_filter *fl = &q->filters[k];
		const kh_field *f = &q->ent->fields[fl->field];
		switch (fl->op) {
		case OP_IN:
			addf(b, " AND t.%s IN (", f->column);
			placeholders(b, fl->nvals);
			add(b, ")");
			for (int j = 0; j < fl->nvals; j++)
				param_value(ps, f, &fl->vals[j]);
			break;
		case OP_GE:
		case OP_LE:
			addf(b, " AND t.%s %s ?", f->column, fl->op == OP_GE ? ">=" : "<=");
			param_value(ps, f, &fl->vals[0]);
			break;
		case OP_NULL:
			addf(b, " AND t.%s IS NULL", f->column);
			break;
		case OP_NOT_NULL:
			addf(b, " AND t.%s IS NOT NULL", f->column);
			break;
		case OP_TAG:
			for (int j = 0; j < fl->nvals; j++) {
				add(b, " AND t.id IN (SELECT customer_id FROM customer_tags "
				       "WHERE tag = ?)");
				param_add(ps, false, 0, fl->vals[j].s);
			}
			break;
		case OP_CUSTOM:
			if (fl->numeric)
				addf(b, " AND %s = %s", db->ops->json_number_sql(a, "t.custom"),
				     db->ops->number_param);
			else
				addf(b, " AND %s = ?", db->ops->json_text_sql(a, "t.custom"));
			param_add(ps, false, 0, db->ops->json_key_arg(a, fl->custom_key));
			param_add(ps, false, 0, fl->vals[0].s);
			break;
		}
	}
}

static const char *like_pattern(arena *a, const char *text)
{
	char *o = arena_alloc(a, strlen(text) * 2 + 3), *p = o;
	*p++ = '%';
	for (const char *s = text; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*p++ = '\\';
		*p++ = *s;
	}
	*p++ = '%';
	*p = '\0';
	return o;
}

/*
 * Keyset condition: rows after the cursor in (sort, id) order. NULL sort
 * values come first ascending and last descending (NULLS FIRST / LAST
 * spelled out, since the engines' defaults differ).
 */
static void cursor_sql(buf *b, params *ps, const kh_query *q, const char *idx)
{
	const kh_field *f = &q->ent->fields[q->sort_field];
	const char *lt = q->sort_desc ? "<" : ">";
	if (q->sort_field == F_ID) {
		addf(b, " AND %s %s ?", idx, lt);
		param_add(ps, true, q->cursor_id, NULL);
		return;
	}
	const char *c = f->column;
	bool null_cursor = q->cursor_value.state != V_SET;
	if (!q->sort_desc) {
		if (null_cursor) {
			addf(b, " AND ((t.%s IS NULL AND %s > ?) OR t.%s IS NOT NULL)", c, idx, c);
			param_add(ps, true, q->cursor_id, NULL);
		} else {
			addf(b, " AND (t.%s > ? OR (t.%s = ? AND %s > ?))", c, c, idx);
			param_value(ps, f, &q->cursor_value);
			param_value(ps, f, &q->cursor_value);
			param_add(ps, true, q->cursor_id, NULL);
		}
	} else {
		if (null_cursor) {
			addf(b, " AND t.%s IS NULL AND %s < ?", c, idx);
			param_add(ps, true, q->cursor_id, NULL);
		} else {
			addf(b, " AND (t.%s < ? OR t.%s IS NULL OR (t.%s = ? AND %s < ?))", c, c, c,
			     idx);
			param_value(ps, f, &q->cursor_value);
			param_value(ps, f, &q->cursor_value);
			param_add(ps, true, q->cursor_id, NULL);
		}
	}
}

int store_record_list(store *db, const kh_query *q, const bool *want, arena *a, kh_record **rows,
                      int *n, bool *more, kh_err *e)
{
	const kh_entity *ent = q->ent;
	bool fts = q->nterms > 0 && strcmp(ent->table, "customers") == 0;
	const char *idx = fts ? db->ops->search_id_expr : "t.id";
	int cols[256];
	params ps = {.a = a};
	buf sql;
	buf_init(&sql, SQL_CAP);
	add(&sql, "SELECT ");
	int ncols = select_list(&sql, ent, want, cols);
	addf(&sql, " FROM %s t", ent->table);
	if (fts)
		add(&sql, db->ops->search_join);
	add(&sql, " WHERE 1 = 1");
	view_sql(&sql, &ps, q);
	if (q->parent_id) {
		int ref = field_by_type(ent, FT_REF, NULL);
		if (ref >= 0) {
			addf(&sql, " AND t.%s = ?", ent->fields[ref].column);
			param_add(&ps, true, q->parent_id, NULL);
		}
	}
	scope_sql(&sql, &ps, q);
	filters_sql(db, &sql, &ps, q, a);
	if (fts) {
		const char *terms[QUERY_MAX_TERMS];
		bool cjk[QUERY_MAX_TERMS];
		for (int k = 0; k < q->nterms; k++) {
			terms[k] = q->terms[k].text;
			cjk[k] = q->terms[k].cjk;
		}
		addf(&sql, " AND %s", db->ops->search_where);
		param_add(&ps, false, 0, db->ops->search_expr(a, terms, cjk, q->nterms));
	} else if (q->nterms > 0) {
		int name = entity_field(ent, "name");
		for (int k = 0; k < q->nterms && name >= 0; k++) {
			add(&sql, " AND LOWER(t.name) LIKE LOWER(?) ESCAPE '\\'");
			param_add(&ps, false, 0, like_pattern(a, q->terms[k].text));
		}
	}
	if (q->has_cursor)
		cursor_sql(&sql, &ps, q, idx);
	const char *dir = q->sort_desc ? "DESC" : "ASC";
	if (q->sort_field == F_ID)
		addf(&sql, " ORDER BY %s %s", idx, dir);
	else
		addf(&sql, " ORDER BY t.%s %s NULLS %s, %s %s", ent->fields[q->sort_field].column,
		     dir, q->sort_desc ? "LAST" : "FIRST", idx, dir);
	add(&sql, " LIMIT ?");
	int limit = q->limit > 0 ? q->limit : QUERY_DEFAULT_LIMIT;
	param_add(&ps, true, limit + 1, NULL);

	store_stmt *st = stmt_prepare(db, buf_str(&sql), e);
	buf_release(&sql);
	if (!st)
		return -1;
	for (int k = 0; k < ps.n; k++) {
		if (ps.p[k].is_int)
			stmt_bind_int(st, k + 1, ps.p[k].i);
		else
			stmt_bind_text(st, k + 1, ps.p[k].s);
	}
	kh_record *out = arena_calloc(a, (size_t)limit + 1, sizeof(kh_record));
	int count = 0, rc;
	while ((rc = stmt_step(st, e)) == STMT_ROW) {
		if (count == limit) {
			*more = true;
			break;
		}
		kh_record *r = &out[count++];
		record_init(r, ent, a);
		for (int k = 0; k < ncols; k++)
			read_value(st, k, &ent->fields[cols[k]], &r->v[cols[k]], a);
	}
	stmt_done(st);
	if (rc < 0)
		return -1;
	if (count < limit || rc != STMT_ROW)
		*more = rc == STMT_ROW;
	*rows = out;
	*n = count;
	return 0;
}

void store_select_all(buf *b, const kh_entity *ent)
{
	int cols[256];
	select_list(b, ent, NULL, cols);
}

void store_read_record(store_stmt *st, int first, const kh_entity *ent, arena *a, kh_record *out)
{
	record_init(out, ent, a);
	for (int i = 0; i < ent->nfields; i++)
		read_value(st, first + i, &ent->fields[i], &out->v[i], a);
}

int store_record_children(store *db, const kh_entity *ent, int field, int64_t parent, arena *a,
                          kh_record **rows, int *n, kh_err *e)
{
	buf sql;
	buf_init(&sql, SQL_CAP);
	add(&sql, "SELECT ");
	store_select_all(&sql, ent);
	addf(&sql, " FROM %s t WHERE t.%s = ? AND t.deleted_at IS NULL ORDER BY t.id", ent->table,
	     ent->fields[field].column);
	store_stmt *st = stmt_prepare(db, buf_str(&sql), e);
	buf_release(&sql);
	if (!st)
		return -1;
	stmt_bind_int(st, 1, parent);
	int cap = 0, count = 0, rc;
	kh_record *out = NULL;
	while ((rc = stmt_step(st, e)) == STMT_ROW)
		store_read_record(st, 0, ent, a, ARENA_PUSH(a, out, count, cap));
	stmt_done(st);
	if (rc < 0)
		return -1;
	*rows = out;
	*n = count;
	return 0;
}

int store_record_all(store *db, const kh_entity *ent, arena *a, kh_record **rows, int *n, kh_err *e)
{
	int cols[256];
	buf sql;
	buf_init(&sql, SQL_CAP);
	add(&sql, "SELECT ");
	int ncols = select_list(&sql, ent, NULL, cols);
	addf(&sql, " FROM %s t WHERE t.deleted_at IS NULL ORDER BY t.id", ent->table);
	store_stmt *st = stmt_prepare(db, buf_str(&sql), e);
	buf_release(&sql);
	if (!st)
		return -1;
	int cap = 0, count = 0, rc;
	kh_record *out = NULL;
	while ((rc = stmt_step(st, e)) == STMT_ROW) {
		kh_record *r = ARENA_PUSH(a, out, count, cap);
		record_init(r, ent, a);
		for (int k = 0; k < ncols; k++)
			read_value(st, k, &ent->fields[cols[k]], &r->v[cols[k]], a);
	}
	stmt_done(st);
	if (rc < 0)
		return -1;
	*rows = out;
	*n = count;
	return 0;
}

int store_lock(store *db, const kh_entity *ent, int64_t id, kh_err *e)
{
	if (!db->ops->row_locks)
		return 0;
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT id FROM %s WHERE id = ? FOR UPDATE", ent->table);
	int64_t got = 0;
	return stmt_query_int(db, e, &got, sql, "i", id) < 0 ? -1 : 0;
}

int store_count_refs(store *db, const kh_entity *ent, int field, int64_t id, int64_t *count,
                     kh_err *e)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE %s = ? AND deleted_at IS NULL",
	         ent->table, ent->fields[field].column);
	*count = 0;
	return stmt_query_int(db, e, count, sql, "i", id) < 0 ? -1 : 0;
}

int store_purge_refs(store *db, const kh_entity *ent, int field, int64_t id, kh_err *e)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s = ?", ent->table,
	         ent->fields[field].column);
	return stmt_run(db, e, sql, "i", id);
}
