/*
 * api_records — the records kept around a customer (follow-ups, orders ...):
 * one set of handlers, the record kind coming from the route table.
 */
#include <string.h>

#include "http/http_int.h"
#include "service/render.h"

static const record_kind *kind(req *r)
{
	return r->route->data;
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
		r->location =
		        arena_printf(&r->a, "/api/v1/%ss/%lld", kind(r)->ent->name, (long long)id);
	reply(r, status, render_record(&r->s, &rec));
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
	        svc_record_get(&r->s, kind(r), id, &cur) == 0 ? render_record(&r->s, &cur) : NULL;
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

bool rec_customer_of_path(req *r, kh_record *rec, int64_t customer_id)
{
	int cf = kind(r)->customer_field;
	if (!customer_id)
		return true;
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
	if (!body_record(r, kind(r)->ent, NULL, NULL, &rec) ||
	    !rec_customer_of_path(r, &rec, customer_id))
		return;
	int64_t id;
	if (svc_record_create(&r->s, kind(r), &rec, &id) < 0) {
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
	if (!body_record(r, kind(r)->ent, NULL, NULL, &patch))
		return;
	if (svc_record_update(&r->s, kind(r), id, version, &patch) < 0) {
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
		reply_error(r);
		return;
	}
	send_rec(r, id, 200);
}
