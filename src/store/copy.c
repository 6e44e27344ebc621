/*
 * copy — a whole database into an empty one, engine to engine (kehu
 * migrate --from --to), verified by row counts and checksums.
 *
 * The source is read in one snapshot transaction (it may be in use: the copy
 * is of one moment), in pages of COPY_PAGE rows so memory stays flat however
 * large the tables; the target is written in one transaction, so a failure
 * leaves it empty and the copy can simply run again. Tables go in
 * foreign-key order, rows in id order, values as text (both engines convert
 * text to the column's type). Self-references (departments.parent_id,
 * users.supervisor_id) are filled in a second pass, since a parent may have a
 * larger id than its child. The search index and the tag rows are rebuilt
 * from the copied customers rather than copied: the index's shape differs
 * between engines, and both are derived data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static const struct copy_table {
	const char *name;
	const char *order;   /* ORDER BY of a stable row order */
	const char *selfref; /* a column pointing into the same table, or NULL */
	bool has_id;         /* an auto-numbered id column */
	bool derived;        /* rebuilt, not copied (still compared) */
} tables[] = {
        {"settings", "key", NULL, false, false},
        {"departments", "id", "parent_id", true, false},
        {"users", "id", "supervisor_id", true, false},
        {"roles", "code", NULL, false, false},
        {"dict_options", "id", NULL, true, false},
        {"custom_fields", "id", NULL, true, false},
        {"customers", "id", "merged_into", true, false},
        {"customer_tags", "tag, customer_id", NULL, false, true},
        {"contacts", "id", NULL, true, false},
        {"followups", "id", NULL, true, false},
        {"orders", "id", NULL, true, false},
        {"pool_events", "id", NULL, true, false},
        {"visit_plans", "id", NULL, true, false},
        {"visits", "id", NULL, true, false},
        {"visit_expenses", "id", NULL, true, false},
        {"visit_days", "id", NULL, true, false},
        {"sales_cpm", "customer_id, product, month", NULL, false, true},
        {"opportunities", "id", NULL, true, false},
        {"tickets", "id", NULL, true, false},
        {"state_history", "id", NULL, true, false},
        {"requests", "id", "report_of", true, false},
        {"request_items", "id", NULL, true, false},
        {"request_steps", "id", NULL, true, false},
        {"request_decisions", "id", NULL, true, false},
        {"evaluation_indicators", "id", NULL, true, false},
        {"evaluations", "id", NULL, true, false},
        {"evaluation_scores", "id", NULL, true, false},
        {"countermeasures", "id", NULL, true, false},
        {"customer_merges", "id", NULL, true, false},
        {"import_batches", "id", NULL, true, false},
        {"import_batch_rows", "id", NULL, true, false},
        {"import_mappings", "id", NULL, true, false},
        {"code_sequences", "prefix, year", NULL, false, false},
        {"sessions", "digest", NULL, false, false},
        {"api_tokens", "id", NULL, true, false},
        {"login_failures", "id", NULL, true, false},
        {"audit_log", "id", NULL, true, false},
};
#define NTABLES ((int)(sizeof(tables) / sizeof(tables[0])))

#define COPY_PAGE 5000

/* FNV-1a over a row's values, NULL marked apart from "" */
static uint64_t mix(uint64_t h, const char *s, bool null)
{
	if (null)
		return (h ^ 0xffu) * 1099511628211ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (h ^ 0x1fu) * 1099511628211ull;
}

/*
 * Pages of a table in its stable order: by id after the last id seen, or for
 * the few small tables without one, by OFFSET (inside a snapshot, so stable).
 */
typedef struct pager {
	const struct copy_table *t;
	int64_t last_id, offset;
	int rows; /* rows of the current page */
} pager;

static store_stmt *page_next(store *db, pager *p, kh_err *e)
{
	char sql[256];
	store_stmt *st;
	if (p->t->has_id) {
		snprintf(sql, sizeof(sql), "SELECT * FROM %s WHERE id > ? ORDER BY id LIMIT %d",
		         p->t->name, COPY_PAGE);
		st = stmt_prepare(db, sql, e);
		if (st)
			stmt_bind_int(st, 1, p->last_id);
	} else {
		snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY %s LIMIT %d OFFSET ?",
		         p->t->name, p->t->order, COPY_PAGE);
		st = stmt_prepare(db, sql, e);
		if (st)
			stmt_bind_int(st, 1, p->offset);
	}
	p->rows = 0;
	return st;
}

/* After a row of the page: remember where the next page starts. */
static void page_row(store_stmt *st, pager *p)
{
	p->rows++;
	if (p->t->has_id)
		p->last_id = stmt_int(st, 0); /* id is every such table's first column */
	else
		p->offset++;
}

int store_table_digest(store *db, const char *table, int64_t *rows, uint64_t *sum, kh_err *e)
{
	const struct copy_table *t = NULL;
	for (int i = 0; i < NTABLES; i++)
		if (!strcmp(tables[i].name, table))
			t = &tables[i];
	if (!t)
		return err_set(e, KH_EINTERNAL, NULL);
	uint64_t h = 1469598103934665603ull;
	int64_t n = 0;
	int rc = 0;
	pager pg = {.t = t};
	do {
		store_stmt *st = page_next(db, &pg, e);
		if (!st)
			return -1;
		while ((rc = stmt_step(st, e)) == STMT_ROW) {
			int nc = db->ops->col_count(st);
			for (int i = 0; i < nc; i++)
				h = mix(h, stmt_null(st, i) ? "" : stmt_text(st, i),
				        stmt_null(st, i));
			h = (h ^ 0x1eu) * 1099511628211ull;
			n++;
			page_row(st, &pg);
		}
		stmt_done(st);
	} while (rc >= 0 && pg.rows == COPY_PAGE);
	*rows = n;
	*sum = h;
	return rc < 0 ? -1 : 0;
}

static int copy_table(store *src, store *dst, const struct copy_table *t, int64_t *copied,
                      kh_err *e)
{
	char sql[256];
	store_stmt *out = NULL;
	buf ins;
	buf_init(&ins, 0);
	int rc = 0, nc = 0, self = -1;
	int64_t n = 0;
	char **names = NULL;
	pager pg = {.t = t};
	do {
		store_stmt *in = page_next(src, &pg, e);
		if (!in) {
			rc = -1;
			break;
		}
		while ((rc = stmt_step(in, e)) == STMT_ROW) {
			page_row(in, &pg);
			if (!out) {
				/* the first row tells the columns */
				nc = src->ops->col_count(in);
				names = calloc((size_t)nc, sizeof(char *));
				if (!names)
					abort();
				int ok = buf_addf(&ins, "INSERT INTO %s (", t->name);
				for (int i = 0; i < nc; i++) {
					names[i] = strdup(src->ops->col_name(in, i));
					if (t->selfref && !strcmp(names[i], t->selfref))
						self = i;
					ok |= buf_addf(&ins, "%s%s", i ? ", " : "", names[i]);
				}
				ok |= buf_adds(&ins, ") VALUES (");
				for (int i = 0; i < nc; i++)
					ok |= buf_adds(&ins, i ? ", ?" : "?");
				ok |= buf_addc(&ins, ')');
				if (ok < 0 || !(out = stmt_prepare(dst, buf_str(&ins), e))) {
					rc = -1;
					break;
				}
			}
			for (int i = 0; i < nc; i++) {
				if (stmt_null(in, i) || i == self)
					stmt_bind_null(out, i + 1);
				else
					stmt_bind_text(out, i + 1, stmt_text(in, i));
			}
			rc = stmt_step(out, e);
			dst->ops->reset(out);
			if (rc < 0)
				break;
			n++;
		}
		stmt_done(in);
	} while (rc >= 0 && pg.rows == COPY_PAGE);
	if (out)
		stmt_done(out);
	buf_release(&ins);
	if (rc >= 0 && self >= 0) {
		/* second pass: the self-references, now that every row exists */
		snprintf(sql, sizeof(sql), "SELECT id, %s FROM %s WHERE %s IS NOT NULL", t->selfref,
		         t->name, t->selfref);
		char upd[256];
		snprintf(upd, sizeof(upd), "UPDATE %s SET %s = ? WHERE id = ?", t->name,
		         t->selfref);
		store_stmt *in = stmt_prepare(src, sql, e);
		if (!in)
			rc = -1;
		while (in && (rc = stmt_step(in, e)) == STMT_ROW)
			if (stmt_run(dst, e, upd, "ii", stmt_int(in, 1), stmt_int(in, 0)) < 0) {
				rc = -1;
				break;
			}
		stmt_done(in);
	}
	for (int i = 0; names && i < nc; i++)
		free(names[i]);
	free(names);
	if (rc < 0)
		return -1;
	if (t->has_id && dst->ops->after_copy && dst->ops->after_copy(dst, t->name, e) < 0)
		return -1;
	*copied = n;
	return 0;
}

static int rebuild_search(store *dst, kh_err *e)
{
	store_stmt *st = stmt_prepare(dst, "SELECT id FROM customers ORDER BY id", e);
	if (!st)
		return -1;
	int rc;
	/* ids first: syncing while the cursor is open would step on it (PostgreSQL) */
	size_t cap = 1024, count = 0;
	int64_t *ids = malloc(cap * sizeof(int64_t));
	if (!ids)
		abort();
	while ((rc = stmt_step(st, e)) == STMT_ROW) {
		if (count == cap) {
			cap *= 2;
			int64_t *bigger = realloc(ids, cap * sizeof(int64_t));
			if (!bigger)
				abort();
			ids = bigger;
		}
		ids[count++] = stmt_int(st, 0);
	}
	stmt_done(st);
	for (size_t i = 0; rc >= 0 && i < count; i++) {
		if (store_customer_sync(dst, ids[i], e) < 0)
			rc = -1;
	}
	free(ids);
	return rc < 0 ? -1 : 0;
}

int store_copy(store *src, store *dst, store_copy_report *report,
               void (*progress)(const char *table, int64_t rows, void *ud), void *ud, kh_err *e)
{
	memset(report, 0, sizeof(*report));
	int have_src, have_dst;
	if (store_migrate(src, NULL, e) < 0 || store_migrate(dst, NULL, e) < 0 ||
	    store_schema_version(src, &have_src, e) < 0 ||
	    store_schema_version(dst, &have_dst, e) < 0)
		return -1;
	int64_t existing = 0;
	if (stmt_query_int(
	            dst, e, &existing,
	            "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM customers) + "
	            "(SELECT COUNT(*) FROM dict_options)",
	            "") < 0)
		return -1;
	if (existing > 0)
		return err_set(e, KH_EBADREQ,
		               N_("The target database is not empty; copy only into a new one"));
	store_bulk_mode(dst);
	if (store_begin_snapshot(src, e) < 0)
		return -1;
	if (store_begin(dst, e) < 0) {
		store_rollback(src);
		return -1;
	}
	/* the settings row made by the migration gives way to the source's */
	if (stmt_run(dst, e, "DELETE FROM settings", "") < 0)
		goto fail;
	for (int i = 0; i < NTABLES; i++) {
		int64_t n = 0;
		if (!tables[i].derived && copy_table(src, dst, &tables[i], &n, e) < 0)
			goto fail;
		if (progress && !tables[i].derived)
			progress(tables[i].name, n, ud);
	}
	if (rebuild_search(dst, e) < 0 || store_sales_rebuild(dst, e) < 0)
		goto fail;
	if (store_commit(dst, e) < 0) {
		store_rollback(src);
		return -1;
	}
	/* verify: the same rows, value for value, on both sides */
	for (int i = 0; i < NTABLES && i < STORE_COPY_MAX_TABLES; i++) {
		store_copy_table *r = &report->tables[report->ntables++];
		r->name = tables[i].name;
		if (store_table_digest(src, tables[i].name, &r->src_rows, &r->src_sum, e) < 0 ||
		    store_table_digest(dst, tables[i].name, &r->dst_rows, &r->dst_sum, e) < 0) {
			store_rollback(src);
			return -1;
		}
		if (r->src_rows != r->dst_rows || r->src_sum != r->dst_sum)
			report->mismatches++;
	}
	store_rollback(src);
	if (report->mismatches)
		return err_set(e, KH_EDB,
		               N_("The copy differs from the source in %d tables; do not use it"),
		               report->mismatches);
	return 0;
fail:
	store_rollback(dst);
	store_rollback(src);
	return -1;
}
