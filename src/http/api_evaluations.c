/*
 * api_evaluations — the writes and reads of /evaluations that carry the
 * scores: a body's "scores" array is taken out before the record is read
 * (record_from_json's skip list) and handed to the service as score records;
 * an evaluation comes back with its scores inline. Lists, delete and the
 * customer's list are the generic record handlers.
 */
#include "core/evaluation.h"
#include "http/http_int.h"
#include "service/render.h"

static void send_eval(req *r, int64_t id, int status)
{
	kh_record ev, *scores;
	int n;
	if (svc_evaluation_get(&r->s, id, &ev, &scores, &n) < 0) {
		reply_error(r);
		return;
	}
	set_etag(r, ev.v[F_VERSION].i);
	if (status == 201)
		r->location = arena_printf(&r->a, "/api/v1/evaluations/%lld", (long long)id);
	reply(r, status, render_evaluation(&r->s, &ev, scores, n));
}

/* The record and the scores of a body; false after replying with an error.
 * *scores is NULL when the body has no "scores". */
static bool body_eval(req *r, kh_record *rec, kh_record **scores, int *n)
{
	static const char *const skip[] = {"scores", NULL};
	json_t *body;
	if (!body_record(r, &evaluation_entity, skip, &body, rec))
		return false;
	int rc = svc_evaluation_scores_from_json(&r->s, json_object_get(body, "scores"), scores, n);
	json_decref(body);
	if (rc < 0) {
		reply_error(r);
		return false;
	}
	return true;
}

static void create(req *r, int64_t customer_id)
{
	kh_record rec, *scores;
	int n;
	if (!body_eval(r, &rec, &scores, &n) || !rec_customer_of_path(r, &rec, customer_id))
		return;
	int64_t id;
	if (svc_evaluation_create(&r->s, &rec, scores, n, &id) < 0) {
		reply_error(r);
		return;
	}
	send_eval(r, id, 201);
}

void h_eval_create(req *r)
{
	create(r, 0);
}

void h_eval_create_of(req *r)
{
	int64_t customer;
	if (path_id(r, 0, &customer))
		create(r, customer);
}

void h_eval_get(req *r)
{
	int64_t id;
	if (path_id(r, 0, &id))
		send_eval(r, id, 200);
}

void h_eval_patch(req *r)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !if_match(r, &version))
		return;
	kh_record patch, *scores;
	int n;
	if (!body_eval(r, &patch, &scores, &n))
		return;
	if (svc_evaluation_update(&r->s, id, version, &patch, scores, n) == 0) {
		send_eval(r, id, 200);
		return;
	}
	if (r->err.code != KH_ECONFLICT) {
		reply_error(r);
		return;
	}
	/* a stale version: the evaluation as it is now comes along */
	kh_err saved = r->err;
	err_clear(&r->err);
	kh_record cur, *cs;
	int cn;
	json_t *current = svc_evaluation_get(&r->s, id, &cur, &cs, &cn) == 0
	                          ? render_evaluation(&r->s, &cur, cs, cn)
	                          : NULL;
	r->err = saved;
	reply_conflict(r, current);
}

void h_eval_restore(req *r)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !if_match(r, &version))
		return;
	if (svc_record_restore(&r->s, &evaluation_kind, id, version) < 0) {
		reply_error(r);
		return;
	}
	send_eval(r, id, 200);
}
