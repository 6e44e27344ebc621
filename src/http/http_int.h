/*
 * http_int — the request object handlers work on, the route table and the
 * reply helpers. A handler is a straight line: get what it needs or reply
 * with an error and return (the Redis habit), e.g.
 *
 *     int64_t id;
 *     if (!path_id(r, 0, &id)) return;
 */
#ifndef KEHU_HTTP_INT_H
#define KEHU_HTTP_INT_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>

#include "http/http.h"
#include "service/service.h"
#include "util/buf.h"

#define MAX_PATH_PARAMS  4
#define MAX_QUERY_PARAMS 64

typedef struct req {
	struct MHD_Connection *conn;
	const char *method;
	const char *path;
	arena a;
	buf body;
	bool too_big;
	kh_err err;
	svc s;
	const char *params_path[MAX_PATH_PARAMS]; /* captured {x} segments */
	kv query[MAX_QUERY_PARAMS];
	int nquery;
	bool query_bad; /* too many or not UTF-8 */
	bool cookie_auth;
	const char *session_token;
	char client[64];
	/* the response */
	int status;
	json_t *json;
	char *raw; /* a body already written as JSON text (malloc'd), instead of json */
	size_t raw_len;
	const char *etag;
	const char *location;
	const char *set_cookie;
	const char *allow;
	/* a file to send instead of JSON (an export): fd > 0, owned until sent */
	int file_fd;
	uint64_t file_size;
	const char *content_type, *disposition;
	/* a long job (run_in_background): it runs on a thread of its own while the
	 * connection waits, suspended; the worker thread serves other connections */
	void (*background)(struct req *r);
	bool background_done;
	const http_config *cfg;
	const struct route *route; /* the matched route */
} req;

typedef void (*handler_fn)(req *r);

enum route_flag {
	ROUTE_PUBLIC = 1, /* no authentication */
};

typedef struct route {
	const char *method;
	const char *pattern; /* "/api/v1/customers/{id}" */
	handler_fn fn;
	unsigned flags;
	const void *data; /* what a shared handler works on (a record kind) */
} route;

extern const route routes[];
extern const int route_count;

/* ---- replies ---- */

/* Reply with status and body (reference stolen; NULL: no body). */
void reply(req *r, int status, json_t *body);
/* Reply with a body already written as JSON text (malloc'd; ownership taken). */
void reply_raw(req *r, int status, char *text, size_t len);
/* Reply with r->err as {"error": {...}}. */
void reply_error(req *r);
/* Reply with r->err plus the current state of a record ("current"), for 412. */
void reply_conflict(req *r, json_t *current);
/* Set the error and reply with it. */
void reply_fail(req *r, kh_code code, const char *msgid);
/* ETag of a version: "\"7\"". */
void set_etag(req *r, int64_t version);

/*
 * Run fn(r) after the handler returns, on a thread of its own with a database
 * connection of its own, and send what it replies when it is done. For jobs
 * that take seconds (an export): meanwhile the worker thread serves its other
 * connections. At most BACKGROUND_MAX run at once; past that, 503.
 */
#define BACKGROUND_MAX 4
void run_in_background(req *r, void (*fn)(req *r));
/* True once the server is stopping: a background job ends early (its reply is
 * then an error nobody waits for). */
bool http_stopping(void);

/* ---- reading the request ---- */

/* The JSON object in the body, or NULL after replying 400/415. */
json_t *body_object(req *r);
/* The body parsed as a record of ent, fields named in skip left for the caller
 * (who then gets the JSON in *keep and must json_decref it). On failure the
 * error is replied and false returned. */
bool body_record(req *r, const kh_entity *ent, const char *const *skip, json_t **keep,
                 kh_record *out);
/* Path parameter i as a positive id, or false after replying 404. */
bool path_id(req *r, int i, int64_t *id);
/* The version from If-Match, or false after replying 428 (missing) or 400. */
bool if_match(req *r, int64_t *version);
/* A header value or NULL. */
const char *header(req *r, const char *name);
/* A query parameter or NULL. */
const char *query(req *r, const char *key);

/* ---- handlers, one file per resource ---- */

void h_healthz(req *r);
void h_index(req *r);
void h_login(req *r);
void h_logout(req *r);
void h_me(req *r);
void h_tokens_list(req *r);
void h_tokens_create(req *r);
void h_tokens_revoke(req *r);

void h_customers_list(req *r);
void h_customers_create(req *r);
void h_customers_get(req *r);
void h_customers_patch(req *r);
void h_customers_delete(req *r);
void h_customers_restore(req *r);
void h_customers_archive(req *r);
void h_customers_unarchive(req *r);
/* Reply 200/201 with customer id and its ETag. */
void send_customer(req *r, int64_t id, int status, bool with_deleted);
/* Reply to a failed change of customer (or contact) id: on a version conflict
 * the record as it is now comes along. */
void customer_change_failed(req *r, int64_t id, bool contact);

/* imports (api_imports.c): the upload may be up to IMPORT_BODY_LIMIT bytes */
#define IMPORT_BODY_LIMIT (64u * 1024 * 1024)
#define IMPORT_PATH       "/api/v1/imports"
void h_imports_create(req *r);
void h_imports_list(req *r);
void h_imports_undo(req *r);

/* the customer pool and the archive */
void h_pool_claim(req *r);
void h_pool_release(req *r);
void h_pool_assign(req *r);
void h_pool_lock(req *r);
void h_pool_unlock(req *r);
void h_pool_events(req *r);
void h_pool_sweep(req *r);
void h_archive_suggestions(req *r);
void h_archive_bulk(req *r);
/* duplicates and merges (api_dedupe.c) */
void h_dup_find(req *r);
void h_dup_merge(req *r);
void h_merges_list(req *r);
void h_merges_get(req *r);
void h_merges_undo(req *r);

void h_contacts_list_of(req *r);
void h_contacts_create(req *r);
void h_contacts_list(req *r);
void h_contacts_get(req *r);
void h_contacts_patch(req *r);
void h_contacts_delete(req *r);

void h_indicators_list(req *r);
void h_indicators_create(req *r);
void h_indicators_get(req *r);
void h_indicators_patch(req *r);
void h_eval_create(req *r);
void h_eval_create_of(req *r);
void h_eval_get(req *r);
void h_eval_patch(req *r);
void h_eval_restore(req *r);
void h_dicts_list(req *r);
void h_dict_kinds(req *r);
void h_dicts_create(req *r);
void h_dicts_get(req *r);
void h_dicts_patch(req *r);
void h_fields_list(req *r);
void h_fields_create(req *r);
void h_fields_get(req *r);
void h_fields_patch(req *r);
void h_users_list(req *r);
void h_users_create(req *r);
void h_users_get(req *r);
void h_users_patch(req *r);
void h_users_password(req *r);
void h_depts_list(req *r);
void h_depts_create(req *r);
void h_depts_get(req *r);
void h_depts_patch(req *r);
void h_depts_delete(req *r);
void h_roles_list(req *r);
void h_roles_patch(req *r);
void h_audit_list(req *r);
void h_visit_day(req *r);
void h_visit_day_submit(req *r);
void h_settings_get(req *r);

/* records kept around a customer, one set of handlers for every kind (route data) */
/* On /customers/{id}/...: the record's customer is the path's (customer_id 0: no
 * path customer); false after replying with an error when the body names another. */
bool rec_customer_of_path(req *r, kh_record *rec, int64_t customer_id);
void h_rec_list(req *r);
void h_rec_list_of(req *r);
void h_rec_create(req *r);
void h_rec_create_of(req *r);
void h_rec_get(req *r);
void h_rec_patch(req *r);
void h_rec_delete(req *r);
void h_rec_restore(req *r);
void h_rec_history(req *r);
void h_opportunity_win(req *r);
void h_customer_timeline(req *r);
void h_settings_patch(req *r);

/* exports (api_export.c): the route's data names the list (export_source_find) */
void h_export(req *r);
void h_export_of(req *r);

/* requests with approval and their chains (api_requests.c) */
void h_chains_list(req *r);
void h_chain_get(req *r);
void h_chain_put(req *r);
void h_requests_list(req *r);
void h_requests_create(req *r);
void h_request_get(req *r);
void h_request_patch(req *r);
void h_request_submit(req *r);
void h_request_withdraw(req *r);
void h_request_delete(req *r);
void h_request_restore(req *r);
void h_request_approve(req *r);
void h_request_reject(req *r);
void h_approvals_inbox(req *r);
void h_request_budget(req *r);

#endif
