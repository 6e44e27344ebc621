/*
 * api_requests — requests with approval and their chains:
 *
 *   GET  /approval-chains                 every type's chain
 *   GET  /approval-chains/{type}          one chain (ETag = its version)
 *   PUT  /approval-chains/{type}          {"steps": [...]} with If-Match
 *   GET  /requests, POST /requests        list (filters), create a draft
 *   GET  /requests/{id}, PATCH ...        one request with items and steps
 *   POST /requests/{id}/submit|withdraw|approve|reject   with If-Match
 *   GET  /approvals/inbox                 what waits for my decision
 *   GET  /reports/request-budget          budget against actual
 */
#include <string.h>

#include "core/request.h"
#include "http/http_int.h"

/* ---- chains ---- */

static json_t *chain_json(req *r, const char *type, int64_t *version)
{
	json_t *steps;
	if (svc_chain_get(&r->s, type, &steps, version) < 0)
		return NULL;
	const request_type *t = request_type_find(type);
	return json_pack("{s:s, s:s, s:I, s:o}", "type", type, "label", tr(r->s.lang, t->label),
	                 "version", (json_int_t)*version, "steps", steps);
}

void h_chains_list(req *r)
{
	json_t *arr = json_array();
	for (int i = 0; i < request_type_count; i++) {
		int64_t v;
		json_t *j = chain_json(r, request_types[i].code, &v);
		if (!j) {
			json_decref(arr);
			reply_error(r);
			return;
		}
		json_array_append_new(arr, j);
	}
	reply(r, 200, json_pack("{s:o}", "items", arr));
}

void h_chain_get(req *r)
{
	int64_t v;
	json_t *j = chain_json(r, r->params_path[0], &v);
	if (!j) {
		reply_error(r);
		return;
	}
	set_etag(r, v);
	reply(r, 200, j);
}

void h_chain_put(req *r)
{
	int64_t version;
	if (!if_match(r, &version))
		return;
	json_t *body = body_object(r);
	if (!body)
		return;
	const char *key;
	json_t *val;
	json_object_foreach(body, key, val)
	{
		if (strcmp(key, "steps") && strcmp(key, "type") && strcmp(key, "label") &&
		    strcmp(key, "version"))
			err_field(&r->err, key, N_("Unknown field \"%s\""), key);
	}
	int rc = r->err.code == KH_OK ? svc_chain_set(&r->s, r->params_path[0], version,
	                                              json_object_get(body, "steps"))
	                              : -1;
	json_decref(body);
	if (rc < 0) {
		if (r->err.code != KH_ECONFLICT) {
			reply_error(r);
			return;
		}
		kh_err saved = r->err;
		err_clear(&r->err);
		int64_t v;
		json_t *cur = chain_json(r, r->params_path[0], &v);
		r->err = saved;
		reply_conflict(r, cur);
		return;
	}
	h_chain_get(r);
}

/* ---- requests ---- */

static void send_request(req *r, int64_t id, int status)
{
	request_view v;
	if (svc_request_get(&r->s, id, &v) < 0) {
		reply_error(r);
		return;
	}
	set_etag(r, v.req.v[F_VERSION].i);
	if (status == 201)
		r->location = arena_printf(&r->a, "/api/v1/requests/%lld", (long long)id);
	reply(r, status, svc_request_json(&r->s, &v));
}

/* A refused change: with a stale version, the request as it is now comes along. */
static void failed(req *r, int64_t id)
{
	if (r->err.code != KH_ECONFLICT) {
		reply_error(r);
		return;
	}
	kh_err saved = r->err;
	err_clear(&r->err);
	request_view v;
	json_t *cur = svc_request_get(&r->s, id, &v) == 0 ? svc_request_json(&r->s, &v) : NULL;
	r->err = saved;
	reply_conflict(r, cur);
}

static void list(req *r, bool inbox)
{
	list_page p;
	if (svc_request_list(&r->s, r->query, r->nquery, inbox, &p) < 0) {
		reply_error(r);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < p.n; i++)
		json_array_append_new(items, svc_request_row_json(&r->s, &p.rows[i]));
	reply(r, 200,
	      json_pack("{s:o, s:o}", "items", items, "next",
	                p.next ? json_string(p.next) : json_null()));
}

void h_requests_list(req *r)
{
	list(r, false);
}

void h_approvals_inbox(req *r)
{
	list(r, true);
}

static const char *const items_skip[] = {"items", NULL};

void h_requests_create(req *r)
{
	kh_record rec;
	json_t *body = NULL;
	if (!body_record(r, &request_entity, items_skip, &body, &rec))
		return;
	int64_t id;
	int rc = svc_request_create(&r->s, &rec, json_object_get(body, "items"), &id);
	json_decref(body);
	if (rc < 0) {
		reply_error(r);
		return;
	}
	send_request(r, id, 201);
}

void h_request_get(req *r)
{
	int64_t id;
	if (path_id(r, 0, &id))
		send_request(r, id, 200);
}

void h_request_patch(req *r)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !if_match(r, &version))
		return;
	kh_record patch;
	json_t *body = NULL;
	if (!body_record(r, &request_entity, items_skip, &body, &patch))
		return;
	int rc = svc_request_update(&r->s, id, version, &patch, json_object_get(body, "items"));
	json_decref(body);
	if (rc < 0) {
		failed(r, id);
		return;
	}
	send_request(r, id, 200);
}

/* submit, withdraw: no body needed */
static void act(req *r, int (*fn)(svc *, int64_t, int64_t))
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !if_match(r, &version))
		return;
	if (fn(&r->s, id, version) < 0) {
		failed(r, id);
		return;
	}
	send_request(r, id, 200);
}

void h_request_submit(req *r)
{
	act(r, svc_request_submit);
}

void h_request_withdraw(req *r)
{
	act(r, svc_request_withdraw);
}

void h_request_delete(req *r)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !if_match(r, &version))
		return;
	if (svc_request_delete(&r->s, id, version) < 0) {
		failed(r, id);
		return;
	}
	reply(r, 204, NULL);
}

void h_request_restore(req *r)
{
	act(r, svc_request_restore);
}

static void decide(req *r, bool approve)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !if_match(r, &version))
		return;
	const char *comment = NULL;
	json_t *body = NULL;
	if (r->body.len) {
		body = body_object(r);
		if (!body)
			return;
		const char *key;
		json_t *val;
		json_object_foreach(body, key, val)
		{
			if (!strcmp(key, "comment") && (json_is_string(val) || json_is_null(val)))
				comment = json_is_string(val)
				                  ? arena_strdup(&r->a, json_string_value(val))
				                  : NULL;
			else
				err_field(&r->err, key,
				          !strcmp(key, "comment") ? N_("comment must be text")
				                                  : N_("Unknown field \"%s\""),
				          key);
		}
		json_decref(body);
		if (r->err.code != KH_OK) {
			reply_error(r);
			return;
		}
	}
	if (svc_request_decide(&r->s, id, version, approve, comment) < 0) {
		failed(r, id);
		return;
	}
	send_request(r, id, 200);
}

void h_request_approve(req *r)
{
	decide(r, true);
}

void h_request_reject(req *r)
{
	decide(r, false);
}

void h_request_budget(req *r)
{
	json_t *out;
	if (svc_request_budget(&r->s, r->query, r->nquery, &out) < 0) {
		reply_error(r);
		return;
	}
	reply(r, 200, out);
}
