/*
 * timeline — one customer's records of every kind in one time-ordered list
 * (issue 4, part 10), newest first, paged by a cursor. A kind joins by being
 * listed in timeline_kinds: its date_field orders it, its summary_field is
 * what the list shows of it.
 */
#include <stdlib.h>
#include <string.h>

#include "core/query.h"
#include "service/internal.h"
#include "util/crypto.h"

static const record_kind *const timeline_kinds[] = {
        &followup_kind, &order_kind, &opportunity_kind, &ticket_kind, &visit_plan_kind, &visit_kind,
};
#define NKINDS ((int)(sizeof(timeline_kinds) / sizeof(timeline_kinds[0])))

static const record_kind *kind_named(const char *name)
{
	for (int i = 0; i < NKINDS; i++)
		if (!strcmp(timeline_kinds[i]->ent->name, name))
			return timeline_kinds[i];
	return NULL;
}

/* The cursor: base64 of [sort key, kind, id] of the last item shown. */
static const char *make_after(svc *s, const timeline_item *last)
{
	json_t *j = json_pack("[s, s, I]", last->sort_key, last->kind, (json_int_t)last->id);
	char *txt = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	const char *c = crypto_b64_encode(s->a, txt, strlen(txt));
	free(txt);
	return c;
}

static int parse_after(svc *s, const char *text, timeline_item *out)
{
	size_t n;
	const char *raw = crypto_b64_decode(s->a, text, &n);
	json_t *j = raw ? json_loadb(raw, n, 0, NULL) : NULL;
	int rc = 0;
	if (json_is_array(j) && json_array_size(j) == 3 && json_is_string(json_array_get(j, 0)) &&
	    json_is_string(json_array_get(j, 1)) && json_is_integer(json_array_get(j, 2)) &&
	    kind_named(json_string_value(json_array_get(j, 1)))) {
		out->sort_key = arena_strdup(s->a, json_string_value(json_array_get(j, 0)));
		out->kind = kind_named(json_string_value(json_array_get(j, 1)))->ent->name;
		out->id = json_integer_value(json_array_get(j, 2));
	} else {
		rc = err_field(
		        s->err, "after",
		        N_("The cursor is not valid for this list; start from the first page"));
	}
	json_decref(j);
	return rc;
}

int svc_customer_timeline(svc *s, int64_t customer_id, const kv *params, int nparams,
                          timeline_page *page)
{
	memset(page, 0, sizeof(*page));
	if (require(s, PERM_CUSTOMER_READ) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	kh_record c;
	if (customer_load(s, customer_id, false, &c) < 0)
		return -1;
	int limit = QUERY_DEFAULT_LIMIT;
	timeline_item after, *afterp = NULL;
	for (int i = 0; i < nparams; i++) {
		const char *k = params[i].key, *v = params[i].value;
		int64_t l;
		if (!strcmp(k, "limit")) {
			if (!svc_parse_id(v, &l) || l > QUERY_MAX_LIMIT)
				err_field(s->err, "limit", N_("limit must be 1 to %d"),
				          QUERY_MAX_LIMIT);
			else
				limit = (int)l;
		} else if (!strcmp(k, "after")) {
			if (parse_after(s, v, &after) == 0)
				afterp = &after;
		} else {
			err_field(s->err, k, N_("Unknown parameter \"%s\""), k);
			s->err->code = KH_EBADREQ; /* as lists answer it */
		}
	}
	if (s->err->code != KH_OK)
		return -1;
	timeline_source src[NKINDS];
	for (int i = 0; i < NKINDS; i++) {
		const record_kind *k = timeline_kinds[i];
		src[i] = (timeline_source){k->ent->name,
		                           k->ent->table,
		                           k->ent->fields[k->date_field].column,
		                           k->ent->fields[k->summary_field].column,
		                           k->amount_field ? k->ent->fields[k->amount_field].column
		                                           : NULL,
		                           k->ent->fields[k->date_field].type == FT_TIME};
	}
	/* one more than asked: whether there is a next page */
	timeline_item *items;
	int n;
	if (store_timeline(s->db, src, NKINDS, customer_id, s->snap->tz_minutes, afterp, limit + 1,
	                   s->a, &items, &n, s->err) < 0)
		return -1;
	if (n > limit) {
		n = limit;
		page->next = make_after(s, &items[n - 1]);
	}
	page->items = arena_calloc(s->a, (size_t)n + 1, sizeof(*page->items));
	for (int i = 0; i < n; i++) {
		timeline_entry *e = &page->items[i];
		e->kind = kind_named(items[i].kind);
		e->id = items[i].id;
		e->at = items[i].at;
		e->summary = items[i].summary;
		e->has_amount = items[i].has_amount;
		e->amount = items[i].amount;
		/* a dictionary code (an order's product) is shown by its label */
		const kh_field *f = &e->kind->ent->fields[e->kind->summary_field];
		if (f->type == FT_DICT)
			e->summary = dict_label(s, f->dict, e->summary);
	}
	page->n = n;
	return 0;
}
