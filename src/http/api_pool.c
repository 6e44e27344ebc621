/*
 * api_pool — the customer pool 公海 (/customers/{id}/claim, release, assign,
 * lock, unlock; /pool/events, /pool/sweep) and the archive 历史库
 * (/archive/suggestions, /archive). Pool moves take If-Match when the client
 * has a version to hold on to; without it they act on the customer as it is,
 * the move's own state check (still in the pool, still owned) being the guard.
 */
#include <string.h>

#include "http/http_int.h"
#include "service/render.h"

/* The version of an If-Match if one was sent (else -1); false after replying. */
static bool optional_if_match(req *r, int64_t *version)
{
	*version = -1;
	return !header(r, "If-Match") || if_match(r, version);
}

/* The body's JSON object, or an empty one when there is no body; NULL after replying. */
static json_t *optional_body(req *r)
{
	if (r->body.len == 0)
		return json_object();
	return body_object(r);
}

/* Reply with the customer after a move, or with why it failed. */
static void moved(req *r, int64_t id, int rc)
{
	if (rc < 0) {
		customer_change_failed(r, id, false);
		return;
	}
	send_customer(r, id, 200, false);
}

void h_pool_claim(req *r)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !optional_if_match(r, &version))
		return;
	moved(r, id, svc_pool_claim(&r->s, id, version));
}

void h_pool_release(req *r)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !optional_if_match(r, &version))
		return;
	json_t *body = optional_body(r);
	if (!body)
		return;
	json_t *reason = json_object_get(body, "reason");
	if (reason && !json_is_string(reason) && !json_is_null(reason)) {
		json_decref(body);
		err_field(&r->err, "reason", N_("Expected a text"));
		reply_error(r);
		return;
	}
	const char *text =
	        json_is_string(reason) ? arena_strdup(&r->a, json_string_value(reason)) : NULL;
	json_decref(body);
	moved(r, id, svc_pool_release(&r->s, id, version, text));
}

void h_pool_assign(req *r)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !optional_if_match(r, &version))
		return;
	json_t *body = body_object(r);
	if (!body)
		return;
	json_t *owner = json_object_get(body, "owner");
	const char *text = NULL;
	if (json_is_string(owner))
		text = arena_strdup(&r->a, json_string_value(owner));
	else if (json_is_integer(owner))
		text = arena_printf(&r->a, "%lld", (long long)json_integer_value(owner));
	json_decref(body);
	if (!text) {
		err_field(&r->err, "owner", N_("Name the user to assign the customer to"));
		reply_error(r);
		return;
	}
	moved(r, id, svc_pool_assign(&r->s, id, version, text));
}

static void lock(req *r, bool on)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !optional_if_match(r, &version))
		return;
	moved(r, id, svc_pool_lock(&r->s, id, version, on));
}

void h_pool_lock(req *r)
{
	lock(r, true);
}

void h_pool_unlock(req *r)
{
	lock(r, false);
}

void h_pool_events(req *r)
{
	/* customer=ID picks one customer's history; the rest are list parameters */
	kv params[MAX_QUERY_PARAMS];
	int n = 0;
	int64_t customer = 0;
	for (int i = 0; i < r->nquery; i++) {
		if (strcmp(r->query[i].key, "customer") != 0) {
			params[n++] = r->query[i];
			continue;
		}
		if (!svc_parse_id(r->query[i].value, &customer)) {
			reply_fail(r, KH_EBADREQ, N_("customer must be a customer id"));
			return;
		}
	}
	list_page p;
	if (svc_pool_events(&r->s, customer, params, n, &p) < 0) {
		reply_error(r);
		return;
	}
	size_t len;
	char *text = render_page_text(&r->s, &p, &len);
	reply_raw(r, 200, text, len);
}

void h_pool_sweep(req *r)
{
	int64_t returned;
	if (svc_pool_sweep(&r->s, NULL, &returned) < 0) {
		reply_error(r);
		return;
	}
	reply(r, 200, json_pack("{s:I}", "returned", (json_int_t)returned));
}

void h_archive_suggestions(req *r)
{
	list_page p;
	if (svc_archive_suggestions(&r->s, r->query, r->nquery, &p) < 0) {
		reply_error(r);
		return;
	}
	size_t len;
	char *text = render_page_text(&r->s, &p, &len);
	reply_raw(r, 200, text, len);
}

void h_archive_bulk(req *r)
{
	json_t *body = body_object(r);
	if (!body)
		return;
	json_t *arr = json_object_get(body, "ids");
	size_t n = json_array_size(arr);
	if (!json_is_array(arr) || n == 0 || n > ARCHIVE_MAX_IDS) {
		json_decref(body);
		err_field(&r->err, "ids", N_("Give a list of 1 to %d customer ids"),
		          ARCHIVE_MAX_IDS);
		reply_error(r);
		return;
	}
	int64_t *ids = arena_calloc(&r->a, n, sizeof(int64_t));
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(arr, i);
		if (!json_is_integer(v))
			err_field(&r->err, arena_printf(&r->a, "ids[%zu]", i),
			          N_("Expected a customer id"));
		else
			ids[i] = (int64_t)json_integer_value(v);
	}
	json_decref(body);
	if (r->err.code != KH_OK || svc_archive_bulk(&r->s, ids, (int)n) < 0) {
		reply_error(r);
		return;
	}
	reply(r, 200, json_pack("{s:I}", "archived", (json_int_t)n));
}
