/*
 * api_auth — /healthz, /auth/login, /auth/logout, /auth/me, /auth/tokens.
 */
#include <string.h>

#include "http/http_int.h"
#include "service/render.h"

#define SESSION_COOKIE "kehu_session"

void h_index(req *r)
{
	reply(r, 200,
	      json_pack("{s:s, s:s, s:s, s:s}", "name", "kehu", "version", KEHU_VERSION, "api",
	                "/api/v1", "docs", "docs/openapi.yaml"));
}

void h_healthz(req *r)
{
	int64_t gen;
	kh_err e;
	err_init(&e, &r->a, r->s.lang);
	if (store_cache_gen(r->s.db, &gen, &e) < 0) {
		r->err = e;
		reply_error(r);
		return;
	}
	reply(r, 200,
	      json_pack("{s:s, s:s, s:s}", "status", "ok", "database", store_engine(r->s.db),
	                "version", KEHU_VERSION));
}

static json_t *me_json(req *r)
{
	const kh_record *u = NULL;
	kh_record rec;
	if (svc_user_get(&r->s, r->s.actor.user_id, &rec) == 0)
		u = &rec;
	json_t *user = u ? render_user(&r->s, u, true) : json_null();
	return json_pack("{s:o, s:s?}", "user", user, "csrf_token", r->s.csrf);
}

void h_login(req *r)
{
	json_t *body = body_object(r);
	if (!body)
		return;
	const char *username = json_string_value(json_object_get(body, "username"));
	const char *password = json_string_value(json_object_get(body, "password"));
	if (!username || !password) {
		if (!username)
			err_field(&r->err, "username", N_("%s is required"),
			          tr(r->err.lang, N_("Username")));
		if (!password)
			err_field(&r->err, "password", N_("%s is required"),
			          tr(r->err.lang, N_("Password")));
		json_decref(body);
		reply_error(r);
		return;
	}
	login_result lr;
	int rc = svc_login(&r->s, username, password, &lr);
	json_decref(body);
	if (rc < 0) {
		reply_error(r);
		return;
	}
	r->set_cookie = arena_printf(&r->a,
	                             SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; "
	                                            "Max-Age=%d%s",
	                             lr.token, SESSION_TTL_SECONDS,
	                             r->cfg->secure_cookies ? "; Secure" : "");
	reply(r, 200, me_json(r));
}

void h_logout(req *r)
{
	if (r->cookie_auth && svc_logout(&r->s, r->session_token) < 0) {
		reply_error(r);
		return;
	}
	r->set_cookie = SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
	reply(r, 204, NULL);
}

void h_me(req *r)
{
	reply(r, 200, me_json(r));
}

void h_tokens_list(req *r)
{
	token_row *rows;
	int n;
	if (svc_token_list(&r->s, &rows, &n) < 0) {
		reply_error(r);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
		        items,
		        json_pack("{s:I, s:I, s:s, s:s, s:s?, s:s?}", "id", (json_int_t)rows[i].id,
		                  "user_id", (json_int_t)rows[i].user_id, "name", rows[i].name,
		                  "created_at", rows[i].created_at, "expires_at",
		                  rows[i].expires_at, "last_used_at", rows[i].last_used_at));
	reply(r, 200, json_pack("{s:o, s:n}", "items", items, "next"));
}

void h_tokens_create(req *r)
{
	json_t *body = body_object(r);
	if (!body)
		return;
	const char *name = json_string_value(json_object_get(body, "name"));
	json_t *days_j = json_object_get(body, "days");
	const char *user = json_string_value(json_object_get(body, "user"));
	int days = 0;
	if (days_j && !json_is_integer(days_j)) {
		json_decref(body);
		err_field(&r->err, "days", N_("Expected a whole number"));
		reply_error(r);
		return;
	}
	if (days_j) {
		json_int_t d = json_integer_value(days_j);
		days = d < 0 || d > 100000 ? -1 : (int)d;
	}
	const char *token;
	int64_t id;
	int rc = svc_token_create(&r->s, name, days, user, &token, &id);
	json_decref(body);
	if (rc < 0) {
		reply_error(r);
		return;
	}
	reply(r, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id, "token", token));
}

void h_tokens_revoke(req *r)
{
	int64_t id;
	if (!path_id(r, 0, &id))
		return;
	if (svc_token_revoke(&r->s, id) < 0) {
		reply_error(r);
		return;
	}
	reply(r, 204, NULL);
}
