/*
 * api_dedupe — duplicate customers: GET /duplicates (groups), POST
 * /duplicates/merge, GET /duplicates/merges[/{id}], POST
 * /duplicates/merges/{id}/undo.
 *
 * A merge changes several customers at once, so one If-Match cannot guard it:
 * the body's "versions" object gives the version (ETag) of every customer in
 * it, each checked like an If-Match (missing: 428, stale: 412).
 */
#include <string.h>

#include "http/http_int.h"

void h_dup_find(req *r)
{
	dup_page p;
	if (svc_dup_find(&r->s, r->query, r->nquery, &p) < 0) {
		reply_error(r);
		return;
	}
	reply(r, 200, svc_dup_json(&r->s, &p));
}

/* An id member of the body: a JSON integer, or its decimal text (object keys). */
static bool json_id(json_t *v, int64_t *id)
{
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		*id = (int64_t)json_integer_value(v);
		return true;
	}
	return json_is_string(v) && svc_parse_id(json_string_value(v), id);
}

static bool read_merge(req *r, json_t *body, merge_request *m)
{
	memset(m, 0, sizeof(*m));
	int64_t into = 0;
	if (!json_id(json_object_get(body, "into"), &into))
		err_field(&r->err, "into", N_("Expected a customer id"));
	json_t *from = json_object_get(body, "from");
	size_t n = json_array_size(from);
	if (!json_is_array(from) || n == 0 || n > MERGE_MAX_FROM) {
		err_field(&r->err, "from", N_("Give 1 to %d customers to merge into it"),
		          MERGE_MAX_FROM);
		return false;
	}
	int64_t *ids = arena_calloc(&r->a, n, sizeof(int64_t));
	for (size_t i = 0; i < n; i++)
		if (!json_id(json_array_get(from, i), &ids[i]))
			err_field(&r->err, arena_printf(&r->a, "from[%zu]", i),
			          N_("Expected a customer id"));
	json_t *fields = json_object_get(body, "fields");
	if (fields && !json_is_object(fields))
		err_field(
		        &r->err, "fields",
		        N_("Expected an object naming, per field, the customer whose value wins"));
	merge_pick *picks = arena_calloc(&r->a, json_object_size(fields) + 1, sizeof(merge_pick));
	int np = 0;
	const char *key;
	json_t *v;
	json_object_foreach(fields, key, v)
	{
		picks[np].field = arena_strdup(&r->a, key);
		if (!json_id(v, &picks[np].source))
			err_field(&r->err, arena_printf(&r->a, "fields.%s", key),
			          N_("Expected a customer id"));
		np++;
	}
	json_t *versions = json_object_get(body, "versions");
	if (versions && !json_is_object(versions))
		err_field(&r->err, "versions", N_("Expected an object of customer id to version"));
	if (r->err.code != KH_OK)
		return false;
	int64_t *vers = arena_calloc(&r->a, n + 1, sizeof(int64_t));
	for (size_t i = 0; i <= n; i++) {
		int64_t id = i ? ids[i - 1] : into;
		json_t *ver = json_object_get(versions, arena_printf(&r->a, "%lld", (long long)id));
		if (!ver) {
			err_set(&r->err, KH_EPRECOND,
			        N_("Send the version of customer %lld in \"versions\", so that "
			           "nobody "
			           "else's change is merged away"),
			        (long long)id);
			return false;
		}
		if (!json_is_integer(ver) || json_integer_value(ver) < 1) {
			err_field(&r->err, arena_printf(&r->a, "versions.%lld", (long long)id),
			          N_("Expected a version number"));
			return false;
		}
		vers[i] = (int64_t)json_integer_value(ver);
	}
	m->into = into;
	m->from = ids;
	m->nfrom = (int)n;
	m->versions = vers;
	m->picks = picks;
	m->npicks = np;
	return true;
}

static void send_merge(req *r, int64_t id, int status)
{
	merge_row m;
	if (svc_merge_get(&r->s, id, &m) < 0) {
		reply_error(r);
		return;
	}
	r->location = arena_printf(&r->a, "/api/v1/duplicates/merges/%lld", (long long)id);
	reply(r, status, svc_merge_json(&r->s, &m));
}

void h_dup_merge(req *r)
{
	json_t *body = body_object(r);
	if (!body)
		return;
	merge_request m;
	bool ok = read_merge(r, body, &m);
	json_decref(body);
	int64_t id;
	if (!ok || svc_merge(&r->s, &m, &id) < 0) {
		reply_error(r);
		return;
	}
	send_merge(r, id, 201);
}

void h_merges_list(req *r)
{
	merge_row *rows;
	int n;
	const char *next;
	if (svc_merge_list(&r->s, r->query, r->nquery, &rows, &n, &next) < 0) {
		reply_error(r);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, svc_merge_json(&r->s, &rows[i]));
	reply(r, 200,
	      json_pack("{s:o, s:o}", "items", items, "next",
	                next ? json_string(next) : json_null()));
}

void h_merges_get(req *r)
{
	int64_t id;
	if (!path_id(r, 0, &id))
		return;
	send_merge(r, id, 200);
}

void h_merges_undo(req *r)
{
	int64_t id;
	if (!path_id(r, 0, &id))
		return;
	if (svc_merge_undo(&r->s, id) < 0) {
		reply_error(r);
		return;
	}
	send_merge(r, id, 200);
}
