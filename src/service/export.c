/*
 * export — any list, as the user filtered it, into a sheet (CSV or XLSX).
 *
 * There is no second query path: the export asks the list's own use case
 * (svc_customer_list, svc_contact_list, svc_record_list) for page after page,
 * following the keyset cursor, so data scope, masking, filters, search and
 * sort are exactly the list's. Each page lives in an arena of its own, reset
 * once its rows are written: memory stays flat however long the list is.
 * What the file format does with a value is io/sheet's business; here a
 * value becomes a typed cell as people read it (labels, names, local times).
 */
#include <stdlib.h>
#include <string.h>

#include "service/internal.h"

#define EXPORT_PAGE "500" /* QUERY_MAX_LIMIT: the fewest queries */

static const export_source sources[] = {
        {"customers", "customer", &customer_entity, NULL},
        {"contacts", "contact", &contact_entity, NULL},
        {"followups", "followup", NULL, &followup_kind},
        {"orders", "order", NULL, &order_kind},
        {"opportunities", "opportunity", NULL, &opportunity_kind},
        {"tickets", "ticket", NULL, &ticket_kind},
        {"visit-plans", "visit-plan", NULL, &visit_plan_kind},
        {"visits", "visit", NULL, &visit_kind},
        {"evaluations", "evaluation", NULL, &evaluation_kind},
        {"countermeasures", "countermeasure", NULL, &countermeasure_kind},
};
#define NSOURCES ((int)(sizeof(sources) / sizeof(sources[0])))

const export_source *export_sources(int *n)
{
	*n = NSOURCES;
	return sources;
}

const export_source *export_source_find(const char *name)
{
	for (int i = 0; name && i < NSOURCES; i++)
		if (!strcmp(sources[i].name, name) || !strcmp(sources[i].word, name))
			return &sources[i];
	return NULL;
}

static const kh_entity *source_entity(const export_source *src)
{
	return src->kind ? src->kind->ent : src->ent;
}

int svc_export_allowed(svc *s)
{
	return require(s, PERM_EXPORT);
}

static int list_page_of(svc *s, const export_request *rq, const kv *params, int n, list_page *p)
{
	if (rq->src->kind)
		return svc_record_list(s, rq->src->kind, rq->customer_id, params, n, p);
	if (rq->src->ent == &contact_entity)
		return svc_contact_list(s, rq->customer_id, params, n, p);
	return svc_customer_list(s, params, n, p);
}

/* A value as a typed cell: numbers and money as numbers, dates as dates, times
 * in the business time zone, everything else as the list shows it. */
static sheet_cell cell_of(svc *s, const kh_field *f, const kh_value *v)
{
	sheet_cell c = {CELL_EMPTY, 0, NULL};
	if (v->state != V_SET)
		return c;
	switch (f->type) {
	case FT_ID:
	case FT_INT:
	case FT_REF:
		c.type = CELL_INT;
		c.i = v->i;
		break;
	case FT_MONEY:
		c.type = CELL_MONEY;
		c.i = v->i;
		break;
	case FT_DATE:
		c.type = CELL_DATE; /* a masked date (1985-**-**) stays text */
		c.s = v->s;
		break;
	case FT_TIME:
		c.type = CELL_DATETIME;
		c.s = svc_local_time(s, v->s);
		break;
	default:
		c.type = CELL_TEXT;
		c.s = svc_display(s, f, v, false);
		break;
	}
	return c;
}

/* The header, from the first page's columns (customers: with the primary contact). */
static int write_header(svc *s, const list_page *p, const kh_entity *ent, bool primary, sheet *out)
{
	int nc = p->nfields + (primary ? 2 : 0);
	const char **labels = arena_calloc(s->a, (size_t)nc + 1, sizeof(char *));
	for (int j = 0; j < p->nfields; j++)
		labels[j] = field_label(&ent->fields[p->fields[j]], s->lang);
	if (primary) {
		labels[p->nfields] = tr(s->lang, N_("Primary contact"));
		labels[p->nfields + 1] = tr(s->lang, N_("Phone"));
	}
	return sheet_header(out, labels, nc);
}

static int write_rows(svc *s, const list_page *p, const kh_entity *ent, bool primary, sheet *out)
{
	int nc = p->nfields + (primary ? 2 : 0);
	sheet_cell *cells = arena_calloc(s->a, (size_t)nc + 1, sizeof(sheet_cell));
	for (int i = 0; i < p->n; i++) {
		for (int j = 0; j < p->nfields; j++)
			cells[j] =
			        cell_of(s, &ent->fields[p->fields[j]], &p->rows[i].v[p->fields[j]]);
		if (primary) {
			const primary_contact *pc = &p->primary[i];
			cells[p->nfields] = (sheet_cell){CELL_TEXT, 0, pc->name};
			cells[p->nfields + 1] = (sheet_cell){CELL_TEXT, 0, pc->phone};
		}
		if (sheet_row(out, cells, nc) < 0)
			return err_set(s->err, KH_EIO, N_("Could not write the export file"));
	}
	return 0;
}

static int audit_export(svc *s, const export_request *rq, int64_t rows)
{
	json_t *params = json_object();
	for (int i = 0; i < rq->nparams; i++)
		json_object_set_new(params, rq->params[i].key,
		                    json_string(rq->params[i].value ? rq->params[i].value : ""));
	json_t *d =
	        json_pack("{s:s, s:s, s:o, s:I}", "list", rq->src->name, "format",
	                  rq->format ? rq->format : "", "params", params, "rows", (json_int_t)rows);
	if (rq->customer_id)
		json_object_set_new(d, "customer_id", json_integer(rq->customer_id));
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (audit_event(s, "export", source_entity(rq->src)->name, 0, d) < 0) {
		store_rollback(s->db);
		return -1;
	}
	return commit_or_rollback(s);
}

int svc_export(svc *s, const export_request *rq, sheet *out, int64_t *rows)
{
	*rows = 0;
	if (require(s, PERM_EXPORT) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	const kh_entity *ent = source_entity(rq->src);
	if (rq->customer_id && ent == &customer_entity)
		return err_set(s->err, KH_EBADREQ, N_("Customers are exported as a list"));
	/* the list's parameters, with our page size and cursor: the whole list */
	kv *params = arena_calloc(s->a, (size_t)rq->nparams + 2, sizeof(kv));
	int n = 0;
	for (int i = 0; i < rq->nparams; i++) {
		const char *k = rq->params[i].key;
		if (!strcmp(k, "limit") || !strcmp(k, "after"))
			err_field(s->err, k, N_("An export takes the whole list: leave out %s"), k);
		params[n++] = rq->params[i];
	}
	if (s->err->nfields)
		return -1;
	params[n++] = (kv){"limit", EXPORT_PAGE};
	/* a customer list shows each customer's primary contact (masked as there) */
	bool primary = ent == &customer_entity;

	arena *outer = s->a, page_arena;
	arena_init(&page_arena);
	char *cursor = NULL;
	int rc = -1;
	for (bool first = true;; first = false) {
		s->a = &page_arena;
		params[n] = (kv){"after", cursor};
		list_page p;
		if (list_page_of(s, rq, params, cursor ? n + 1 : n, &p) < 0)
			goto out;
		if (first && write_header(s, &p, ent, primary, out) < 0) {
			err_set(s->err, KH_EIO, N_("Could not write the export file"));
			goto out;
		}
		if (write_rows(s, &p, ent, primary, out) < 0)
			goto out;
		*rows += p.n;
		if (rq->progress && !rq->progress(*rows, rq->ud)) {
			err_set(s->err, KH_EIO, N_("The export was stopped"));
			goto out;
		}
		free(cursor);
		cursor = p.next ? strdup(p.next) : NULL;
		arena_reset(&page_arena);
		if (!cursor)
			break;
	}
	s->a = outer;
	rc = audit_export(s, rq, *rows);
out:
	s->a = outer;
	free(cursor);
	arena_release(&page_arena);
	return rc;
}

int svc_export_sheet(svc *s, const export_request *rq, const sheet_options *o, int64_t *rows)
{
	*rows = 0;
	if (svc_export_allowed(s) < 0)
		return -1;
	sheet *sh = sheet_open(o);
	if (!sh)
		return err_set(s->err, KH_EIO, N_("Could not write the export file"));
	if (svc_export(s, rq, sh, rows) < 0) {
		sheet_abort(sh);
		return -1;
	}
	if (sheet_close(sh) < 0)
		return err_set(s->err, KH_EIO, N_("Could not write the export file"));
	return 0;
}
