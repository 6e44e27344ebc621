/*
 * api_records — the records kept around a customer (follow-ups, orders ...):
 * one set of handlers, the record kind coming from the route table.
 */
#include <string.h>

#include "core/activity.h"
#include "http/http_int.h"
#include "service/render.h"

static const record_kind *kind(req *r)
{
	return r->route->data;
}

/* The record with the rows it owns ("expenses": [...]), if its kind has any. */
static json_t *render_rec(req *r, const kh_record *rec)
{
	json_t *o = render_record(&r->s, rec);
	const record_children *c = kind(r)->children;
	child_rows ch;
	if (c && svc_record_children(&r->s, kind(r), rec->v[F_ID].i, &ch) == 0)
		json_object_set_new(o, c->key, render_children(&r->s, kind(r), &ch));
	return o;
}

static void send_rec(req *r, int64_t id, int status)
{
	kh_record rec;
	if (svc_record_get(&r->s, kind(r), id, &rec) < 0) {
		reply_error(r);
		return;
	}
	set_etag(r, rec.v[F_VERSION].i);
	if (status == 201)
		r->location = arena_printf(&r->a, "/api/v1/%s/%lld", kind(r)->path, (long long)id);
	reply(r, status, render_rec(r, &rec));
}

/*
 * The body as a record of the kind, and the rows it owns when the body gives
 * them (*ch then points into out_rows; NULL when not given). On failure the
 * error is replied and false returned.
 */
static bool body_rec(req *r, kh_record *rec, child_rows *out_rows, const child_rows **ch)
{
	const record_children *c = kind(r)->children;
	*ch = NULL;
	if (!c)
		return body_record(r, kind(r)->ent, NULL, NULL, rec);
	const char *skip[] = {c->key, NULL};
	json_t *body;
	if (!body_record(r, kind(r)->ent, skip, &body, rec))
		return false;
	json_t *rows = json_object_get(body, c->key);
	int rc = rows ? svc_children_from_json(&r->s, kind(r), rows, out_rows) : 0;
	json_decref(body);
	if (rc < 0) {
		reply_error(r);
		return false;
	}
	if (rows)
		*ch = out_rows;
	return true;
}

/* A refused change: with a stale version, the record as it is now comes along. */
static void failed(req *r, int64_t id)
{
	if (r->err.code != KH_ECONFLICT) {
		reply_error(r);
		return;
	}
	kh_err saved = r->err;
	err_clear(&r->err);
	kh_record cur;
	json_t *current =
	        svc_record_get(&r->s, kind(r), id, &cur) == 0 ? render_rec(r, &cur) : NULL;
	r->err = saved;
	reply_conflict(r, current);
}

static void list(req *r, int64_t customer_id)
{
	list_page p;
	if (svc_record_list(&r->s, kind(r), customer_id, r->query, r->nquery, &p) < 0) {
		reply_error(r);
		return;
	}
	size_t len;
	char *text = render_page_text(&r->s, &p, &len);
	reply_raw(r, 200, text, len);
}

void h_rec_list(req *r)
{
	list(r, 0);
}

void h_rec_list_of(req *r)
{
	int64_t customer;
	if (path_id(r, 0, &customer))
		list(r, customer);
}

/* A record made under /customers/{id}/...: that customer, which must be in sight
 * (404 otherwise, as reading under the address and as its contacts answer). */
bool rec_customer_of_path(req *r, kh_record *rec, int64_t customer_id)
{
	int cf = kind(r)->customer_field;
	if (!customer_id)
		return true;
	kh_record c;
	if (svc_customer_get(&r->s, customer_id, false, &c, NULL, NULL) < 0) {
		reply_error(r);
		return false;
	}
	if (rec->v[cf].state == V_SET && rec->v[cf].i != customer_id) {
		err_field(&r->err, kind(r)->ent->fields[cf].name,
		          N_("customer_id must be the customer of the address, or left out"));
		reply_error(r);
		return false;
	}
	record_set_int(rec, cf, customer_id);
	return true;
}

static void create(req *r, int64_t customer_id)
{
	kh_record rec;
	child_rows rows;
	const child_rows *ch;
	if (!body_rec(r, &rec, &rows, &ch) || !rec_customer_of_path(r, &rec, customer_id))
		return;
	int64_t id;
	if (svc_record_create_with(&r->s, kind(r), &rec, ch, &id) < 0) {
		reply_error(r);
		return;
	}
	send_rec(r, id, 201);
}

void h_rec_create(req *r)
{
	create(r, 0);
}

void h_rec_create_of(req *r)
{
	int64_t customer;
	if (path_id(r, 0, &customer))
		create(r, customer);
}

void h_rec_get(req *r)
{
	int64_t id;
	if (path_id(r, 0, &id))
		send_rec(r, id, 200);
}

void h_rec_patch(req *r)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !if_match(r, &version))
		return;
	kh_record patch;
	child_rows rows;
	const child_rows *ch;
	if (!body_rec(r, &patch, &rows, &ch))
		return;
	if (svc_record_update_with(&r->s, kind(r), id, version, &patch, ch) < 0) {
		failed(r, id);
		return;
	}
	send_rec(r, id, 200);
}

void h_rec_delete(req *r)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !if_match(r, &version))
		return;
	if (svc_record_delete(&r->s, kind(r), id, version) < 0) {
		failed(r, id);
		return;
	}
	reply(r, 204, NULL);
}

void h_rec_restore(req *r)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !if_match(r, &version))
		return;
	if (svc_record_restore(&r->s, kind(r), id, version) < 0) {
		failed(r, id);
		return;
	}
	send_rec(r, id, 200);
}

void h_rec_history(req *r)
{
	int64_t id;
	if (!path_id(r, 0, &id))
		return;
	history_row *rows;
	int n;
	if (svc_record_history(&r->s, kind(r), id, &rows, &n) < 0) {
		reply_error(r);
		return;
	}
	reply(r, 200, render_history(&r->s, kind(r), rows, n));
}

/* POST /opportunities/{id}/win {"order": {...}}: without "order", no order is made. */
void h_opportunity_win(req *r)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !if_match(r, &version))
		return;
	json_t *body = NULL;
	if (r->body.len && !(body = body_object(r)))
		return;
	json_t *oj = body ? json_object_get(body, "order") : NULL;
	kh_record order;
	int rc = 0;
	if (body && json_object_size(body) != (oj ? 1u : 0u))
		rc = err_set(&r->err, KH_EBADREQ, N_("The body may hold only \"order\""));
	else if (oj && !json_is_object(oj))
		rc = err_field(&r->err, "order", N_("order must be a JSON object"));
	else if (oj)
		rc = record_from_json(&order, &order_entity, oj, NULL, "order.", &r->a, &r->err);
	json_decref(body);
	if (rc < 0) {
		reply_error(r);
		return;
	}
	int64_t order_id;
	if (svc_opportunity_win(&r->s, id, version, oj ? &order : NULL, &order_id) < 0) {
		failed(r, id);
		return;
	}
	send_rec(r, id, 200);
}

void h_customer_timeline(req *r)
{
	int64_t customer;
	if (!path_id(r, 0, &customer))
		return;
	timeline_page p;
	if (svc_customer_timeline(&r->s, customer, r->query, r->nquery, &p) < 0) {
		reply_error(r);
		return;
	}
	reply(r, 200, render_timeline(&r->s, &p));
}
