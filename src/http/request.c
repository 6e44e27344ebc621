/*
 * request — reading a request and writing the reply.
 */
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"

void reply(req *r, int status, json_t *body)
{
	r->status = status;
	json_decref(r->json);
	r->json = body;
	free(r->raw);
	r->raw = NULL;
}

void reply_raw(req *r, int status, char *text, size_t len)
{
	r->status = status;
	json_decref(r->json);
	r->json = NULL;
	free(r->raw);
	r->raw = text;
	r->raw_len = len;
}

static json_t *error_json(req *r)
{
	kh_err *e = &r->err;
	if (e->code == KH_OK)
		e->code = KH_EINTERNAL;
	json_t *err = json_pack("{s:s, s:s}", "code", err_name(e->code), "message", err_message(e));
	if (e->nfields) {
		json_t *fields = json_object();
		for (int i = 0; i < e->nfields; i++) {
			/* the first message of a field wins: it is usually the cause */
			if (!json_object_get(fields, e->fields[i].field))
				json_object_set_new(fields, e->fields[i].field,
				                    json_string(e->fields[i].message));
		}
		json_object_set_new(err, "fields", fields);
		if (e->code == KH_EINVAL && !e->message) {
			/* say what is wrong in the sentence too, not only in the map */
			const char *first = e->fields[0].message;
			json_object_set_new(
			        err, "message",
			        json_string(e->nfields == 1 ? first
			                                    : arena_printf(&r->a, "%s (+%d)", first,
			                                                   e->nfields - 1)));
		}
	}
	return json_pack("{s:o}", "error", err);
}

void reply_error(req *r)
{
	reply(r, err_http_status(r->err.code ? r->err.code : KH_EINTERNAL), error_json(r));
}

void reply_conflict(req *r, json_t *current)
{
	json_t *body = error_json(r);
	if (current)
		json_object_set_new(body, "current", current);
	reply(r, err_http_status(r->err.code), body);
}

void reply_fail(req *r, kh_code code, const char *msgid)
{
	err_set(&r->err, code, NULL);
	r->err.message = tr(r->err.lang, msgid); /* a constant: no formatting needed */
	reply_error(r);
}

void set_etag(req *r, int64_t version)
{
	r->etag = arena_printf(&r->a, "\"%lld\"", (long long)version);
}

const char *header(req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *query(req *r, const char *key)
{
	for (int i = 0; i < r->nquery; i++)
		if (strcmp(r->query[i].key, key) == 0)
			return r->query[i].value;
	return NULL;
}

json_t *body_object(req *r)
{
	const char *ct = header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0) {
		reply_fail(r, KH_EMEDIA, N_("Unsupported content type; send application/json"));
		return NULL;
	}
	if (r->body.len == 0) {
		reply_fail(r, KH_EBADREQ, N_("The request body is empty; send a JSON object"));
		return NULL;
	}
	json_error_t je;
	json_t *j = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		/* jansson's own text names the problem (bad UTF-8, too big integer ...) */
		err_set(&r->err, KH_EBADREQ,
		        N_("The body is not valid JSON: %s (line %d, column %d)"), je.text, je.line,
		        je.column);
		reply_error(r);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		reply_fail(r, KH_EBADREQ, N_("The body must be a JSON object"));
		return NULL;
	}
	return j;
}

bool body_record(req *r, const kh_entity *ent, const char *const *skip, json_t **keep,
                 kh_record *out)
{
	json_t *body = body_object(r);
	if (!body)
		return false;
	int rc = record_from_json(out, ent, body, skip, NULL, &r->a, &r->err);
	if (rc < 0 || !keep)
		json_decref(body);
	else
		*keep = body;
	if (rc < 0) {
		reply_error(r);
		return false;
	}
	return true;
}

bool path_id(req *r, int i, int64_t *id)
{
	if (svc_parse_id(r->params_path[i], id))
		return true;
	err_set(&r->err, KH_ENOTFOUND, N_("No such API path: %s"), r->path);
	reply_error(r);
	return false;
}

bool if_match(req *r, int64_t *version)
{
	const char *v = header(r, "If-Match");
	if (!v) {
		reply_fail(r, KH_EPRECOND,
		           N_("Send If-Match with the record's ETag, so that nobody else's change "
		              "is overwritten"));
		return false;
	}
	/* "7", W/"7" or 7 */
	if (!strncmp(v, "W/", 2))
		v += 2;
	char digits[24];
	size_t n = strlen(v);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(digits)) {
		reply_fail(r, KH_EBADREQ,
		           N_("If-Match must hold the ETag of the record, like \"3\""));
		return false;
	}
	memcpy(digits, v, n);
	digits[n] = '\0';
	if (!svc_parse_id(digits, version)) {
		reply_fail(r, KH_EBADREQ,
		           N_("If-Match must hold the ETag of the record, like \"3\""));
		return false;
	}
	return true;
}
