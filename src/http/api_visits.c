/*
 * api_visits — the daily visit report 拜访日报 (the visit plans and visits
 * themselves are record kinds served by api_records.c):
 *
 *   GET  /api/v1/visit-reports/daily?user=ID|USERNAME&date=YYYY-MM-DD
 *   POST /api/v1/visit-reports/daily   {date, summary, issues_handled, issues_open}
 *        signs off the actor's day; again only with If-Match of the note.
 */
#include <string.h>

#include "core/visit.h"
#include "http/http_int.h"
#include "service/render.h"

void h_visit_day(req *r)
{
	for (int i = 0; i < r->nquery; i++)
		if (strcmp(r->query[i].key, "user") != 0 && strcmp(r->query[i].key, "date") != 0) {
			err_field(&r->err, r->query[i].key, N_("Unknown parameter \"%s\""),
			          r->query[i].key);
			r->err.code = KH_EBADREQ; /* as every list answers it */
			reply_error(r);
			return;
		}
	visit_day_report d;
	if (svc_visit_day(&r->s, query(r, "user"), query(r, "date"), &d) < 0) {
		reply_error(r);
		return;
	}
	reply(r, 200, render_visit_day(&r->s, &d));
}

void h_visit_day_submit(req *r)
{
	int64_t version = 0;
	if (header(r, "If-Match") && !if_match(r, &version))
		return;
	static const char *const skip[] = {"date", NULL};
	json_t *body;
	kh_record note;
	if (!body_record(r, &visit_day_entity, skip, &body, &note))
		return;
	json_t *jd = json_object_get(body, "date");
	const char *date = NULL;
	if (jd && !json_is_string(jd)) {
		json_decref(body);
		err_field(&r->err, "date", N_("%s must be a date like 2024-05-10"),
		          tr(r->s.lang, N_("Date")));
		reply_error(r);
		return;
	}
	if (jd)
		date = arena_strdup(&r->a, json_string_value(jd));
	json_decref(body);
	kh_record out;
	if (svc_visit_day_submit(&r->s, date, version, &note, &out) < 0) {
		if (r->err.code == KH_ECONFLICT && !header(r, "If-Match")) {
			/* the day's note exists: changing it needs its ETag, as every update */
			err_clear(&r->err);
			if_match(r, &version);
			return;
		}
		reply_error(r);
		return;
	}
	set_etag(r, out.v[F_VERSION].i);
	reply(r, out.v[F_VERSION].i == 1 ? 201 : 200, render_record(&r->s, &out));
}
