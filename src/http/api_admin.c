/*
 * api_admin — /dictionaries, /custom-fields, /users, /departments,
 * /roles and /audit. The record-shaped ones share one get/create/patch
 * path through a small resource table.
 */
#include <string.h>

#include "core/org.h"
#include "http/http_int.h"
#include "service/render.h"

typedef struct resource {
	const kh_entity *ent;
	const char *path; /* printf pattern of a record's URL */
	int (*get)(svc *s, int64_t id, kh_record *out);
	int (*create)(svc *s, kh_record *r, int64_t *id);
	int (*update)(svc *s, int64_t id, int64_t version, kh_record *patch);
	int (*list)(svc *s, kh_record **rows, int *n); /* NULL: listed its own way */
} resource;

static const resource dicts = {&dict_option_entity, "/api/v1/dictionaries/%lld",
                               svc_dict_get,        svc_dict_create,
                               svc_dict_update,     NULL};
static const resource fields = {&custom_field_entity,    "/api/v1/custom-fields/%lld",
                                svc_custom_field_get,    svc_custom_field_create,
                                svc_custom_field_update, svc_custom_field_list};
static const resource depts = {&department_entity, "/api/v1/departments/%lld",
                               svc_dept_get,       svc_dept_create,
                               svc_dept_update,    svc_dept_list};
static const resource users = {&user_entity, "/api/v1/users/%lld", svc_user_get,
                               NULL,         svc_user_update,      svc_user_list};

static void send_record(req *r, const resource *res, int64_t id, int status)
{
	kh_record rec;
	if (res->get(&r->s, id, &rec) < 0) {
		reply_error(r);
		return;
	}
	set_etag(r, rec.v[F_VERSION].i);
	if (status == 201)
		r->location = arena_printf(&r->a, res->path, (long long)id);
	reply(r, status, render_record(&r->s, &rec));
}

static void reply_records(req *r, const kh_record *rows, int n);

static void res_list(req *r, const resource *res)
{
	kh_record *rows;
	int n;
	if (res->list(&r->s, &rows, &n) < 0) {
		reply_error(r);
		return;
	}
	reply_records(r, rows, n);
}

static void res_get(req *r, const resource *res)
{
	int64_t id;
	if (!path_id(r, 0, &id))
		return;
	send_record(r, res, id, 200);
}

static void res_create(req *r, const resource *res)
{
	kh_record rec;
	if (!body_record(r, res->ent, NULL, NULL, &rec))
		return;
	int64_t id;
	if (res->create(&r->s, &rec, &id) < 0) {
		reply_error(r);
		return;
	}
	send_record(r, res, id, 201);
}

/* A failed change: on a version conflict, the current record comes along. */
static void change_failed(req *r, const resource *res, int64_t id)
{
	if (r->err.code != KH_ECONFLICT) {
		reply_error(r);
		return;
	}
	kh_err saved = r->err;
	err_clear(&r->err);
	kh_record cur;
	json_t *current = res->get(&r->s, id, &cur) == 0 ? render_record(&r->s, &cur) : NULL;
	r->err = saved;
	reply_conflict(r, current);
}

static void res_patch(req *r, const resource *res)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !if_match(r, &version))
		return;
	kh_record patch;
	if (!body_record(r, res->ent, NULL, NULL, &patch))
		return;
	if (res->update(&r->s, id, version, &patch) < 0) {
		change_failed(r, res, id);
		return;
	}
	send_record(r, res, id, 200);
}

/*
 * Paging of the small admin lists (users, departments, options): they come
 * whole from the cache, in their display order; `after` is the id of the
 * last item seen and `limit` the page size, as for customers. Other
 * parameters than those in extra are refused. False after replying 400.
 */
typedef struct page {
	int from, to; /* [from, to) of the list */
	const char *next;
} page;

static bool paging(req *r, const char *const *extra, const int64_t *ids, int n, page *pg)
{
	int64_t limit = 500, after = 0;
	for (int i = 0; i < r->nquery; i++) {
		const char *k = r->query[i].key, *v = r->query[i].value;
		bool known = false;
		for (int e = 0; extra && extra[e]; e++)
			known = known || !strcmp(extra[e], k);
		if (known)
			continue;
		if (!strcmp(k, "limit")) {
			if (!svc_parse_id(v, &limit) || limit > QUERY_MAX_LIMIT)
				err_field(&r->err, k, N_("limit must be 1 to %d"), QUERY_MAX_LIMIT);
		} else if (!strcmp(k, "after")) {
			if (!svc_parse_id(v, &after))
				err_field(&r->err, k, N_("The cursor is not valid"));
		} else {
			err_field(&r->err, k, N_("Unknown parameter \"%s\""), k);
			r->err.code = KH_EBADREQ;
		}
	}
	if (r->err.code != KH_OK) {
		reply_error(r);
		return false;
	}
	pg->from = 0;
	if (after) {
		pg->from = n; /* a cursor past the end (the item went away) ends the list */
		for (int i = 0; i < n; i++)
			if (ids[i] == after)
				pg->from = i + 1;
	}
	pg->to = pg->from + (int)limit < n ? pg->from + (int)limit : n;
	pg->next = pg->to < n && pg->to > pg->from
	                   ? arena_printf(&r->a, "%lld", (long long)ids[pg->to - 1])
	                   : NULL;
	return true;
}

static void reply_records(req *r, const kh_record *rows, int n)
{
	int64_t *ids = arena_calloc(&r->a, (size_t)n + 1, sizeof(int64_t));
	for (int i = 0; i < n; i++)
		ids[i] = rows[i].v[F_ID].i;
	page pg;
	if (!paging(r, NULL, ids, n, &pg))
		return;
	json_t *items = json_array();
	for (int i = pg.from; i < pg.to; i++)
		json_array_append_new(items, render_record(&r->s, &rows[i]));
	reply(r, 200, json_pack("{s:o, s:s?}", "items", items, "next", pg.next));
}

/* ---- dictionaries ---- */

void h_dicts_list(req *r)
{
	bool retired = false;
	const char *rv = query(r, "retired");
	if (rv && !svc_parse_bool(rv, &retired)) {
		reply_fail(r, KH_EBADREQ, N_("retired must be true or false"));
		return;
	}
	const dict_option **opts;
	int n;
	if (svc_dict_list(&r->s, query(r, "kind"), retired, &opts, &n) < 0) {
		reply_error(r);
		return;
	}
	int64_t *ids = arena_calloc(&r->a, (size_t)n + 1, sizeof(int64_t));
	for (int i = 0; i < n; i++)
		ids[i] = opts[i]->id;
	static const char *const extra[] = {"kind", "retired", NULL};
	page pg;
	if (!paging(r, extra, ids, n, &pg))
		return;
	json_t *items = json_array();
	for (int i = pg.from; i < pg.to; i++)
		json_array_append_new(items, render_option(opts[i]));
	reply(r, 200, json_pack("{s:o, s:s?}", "items", items, "next", pg.next));
}

void h_dict_kinds(req *r)
{
	json_t *items = json_array();
	for (int i = 0; i < dict_kind_count; i++)
		json_array_append_new(items,
		                      json_pack("{s:s, s:s, s:s}", "code", dict_kinds[i].code, "zh",
		                                tr(KH_LANG_ZH, dict_kinds[i].label), "en",
		                                dict_kinds[i].label));
	reply(r, 200, json_pack("{s:o, s:n}", "items", items, "next"));
}

void h_dicts_create(req *r)
{
	res_create(r, &dicts);
}

void h_dicts_get(req *r)
{
	res_get(r, &dicts);
}

void h_dicts_patch(req *r)
{
	res_patch(r, &dicts);
}

/* ---- custom fields ---- */

void h_fields_list(req *r)
{
	res_list(r, &fields);
}

void h_fields_create(req *r)
{
	res_create(r, &fields);
}

void h_fields_get(req *r)
{
	res_get(r, &fields);
}

void h_fields_patch(req *r)
{
	res_patch(r, &fields);
}

/* ---- users ---- */

void h_users_list(req *r)
{
	res_list(r, &users);
}

void h_users_create(req *r)
{
	static const char *const skip[] = {"password", NULL};
	kh_record u;
	json_t *body;
	if (!body_record(r, users.ent, skip, &body, &u))
		return;
	json_t *pw = json_object_get(body, "password");
	if (pw && !json_is_string(pw)) {
		json_decref(body);
		err_field(&r->err, "password", N_("The password must be text"));
		reply_error(r);
		return;
	}
	const char *password = pw ? arena_strdup(&r->a, json_string_value(pw)) : NULL;
	json_decref(body);
	const char *generated;
	int64_t id;
	if (svc_user_create(&r->s, &u, password, &generated, &id) < 0) {
		reply_error(r);
		return;
	}
	kh_record rec;
	if (svc_user_get(&r->s, id, &rec) < 0) {
		reply_error(r);
		return;
	}
	json_t *j = render_record(&r->s, &rec);
	if (generated)
		json_object_set_new(j, "generated_password", json_string(generated));
	set_etag(r, rec.v[F_VERSION].i);
	r->location = arena_printf(&r->a, users.path, (long long)id);
	reply(r, 201, j);
}

void h_users_get(req *r)
{
	res_get(r, &users);
}

void h_users_patch(req *r)
{
	res_patch(r, &users);
}

void h_users_password(req *r)
{
	int64_t id;
	if (!path_id(r, 0, &id))
		return;
	json_t *body = body_object(r);
	if (!body)
		return;
	const char *old = json_string_value(json_object_get(body, "old_password"));
	const char *pw = json_string_value(json_object_get(body, "password"));
	int rc = svc_user_password(&r->s, id, old, pw);
	json_decref(body);
	if (rc < 0) {
		reply_error(r);
		return;
	}
	reply(r, 204, NULL);
}

/* ---- departments ---- */

void h_depts_list(req *r)
{
	res_list(r, &depts);
}

void h_depts_create(req *r)
{
	res_create(r, &depts);
}

void h_depts_get(req *r)
{
	res_get(r, &depts);
}

void h_depts_patch(req *r)
{
	res_patch(r, &depts);
}

void h_depts_delete(req *r)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !if_match(r, &version))
		return;
	if (svc_dept_delete(&r->s, id, version) < 0) {
		change_failed(r, &depts, id);
		return;
	}
	reply(r, 204, NULL);
}

/* ---- roles ---- */

void h_roles_list(req *r)
{
	role_row *rows;
	int n;
	if (svc_role_list(&r->s, &rows, &n) < 0) {
		reply_error(r);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, render_role(&rows[i]));
	reply(r, 200, json_pack("{s:o, s:n}", "items", items, "next"));
}

void h_roles_patch(req *r)
{
	const char *code = r->params_path[0];
	int64_t version;
	if (!if_match(r, &version))
		return;
	json_t *body = body_object(r);
	if (!body)
		return;
	const char **names = NULL;
	int nnames = 0;
	const char *scope = NULL;
	const char *key;
	json_t *val;
	json_object_foreach(body, key, val)
	{
		if (!strcmp(key, "permissions") && json_is_array(val)) {
			names = arena_calloc(&r->a, json_array_size(val) + 1, sizeof(char *));
			size_t i;
			json_t *p;
			json_array_foreach(val, i, p)
			{
				if (json_is_string(p))
					names[nnames++] = arena_strdup(&r->a, json_string_value(p));
				else
					err_field(&r->err, key,
					          N_("Expected a list of permission names"));
			}
		} else if (!strcmp(key, "permissions")) {
			err_field(&r->err, key, N_("Expected a list of permission names"));
		} else if (!strcmp(key, "scope") && json_is_string(val)) {
			scope = arena_strdup(&r->a, json_string_value(val));
		} else if (!strcmp(key, "scope")) {
			err_field(&r->err, "scope",
			          N_("Data scope must be own, own_sub, dept, dept_sub or all"));
		} else {
			err_field(&r->err, key, N_("Unknown field \"%s\""), key);
			r->err.code = KH_EBADREQ;
		}
	}
	json_decref(body);
	role_row now;
	if (r->err.code != KH_OK ||
	    svc_role_patch(&r->s, code, version, names, nnames, scope, &now) < 0) {
		if (r->err.code == KH_ECONFLICT) {
			kh_err saved = r->err;
			err_clear(&r->err);
			role_row cur;
			json_t *current =
			        svc_role_get(&r->s, code, &cur) == 0 ? render_role(&cur) : NULL;
			r->err = saved;
			reply_conflict(r, current);
			return;
		}
		reply_error(r);
		return;
	}
	set_etag(r, now.version);
	reply(r, 200, render_role(&now));
}

/* ---- settings ---- */

static json_t *settings_json(req *r, int64_t *version)
{
	int n;
	const setting_def *defs = setting_defs(&n);
	int64_t values[SETTINGS_MAX];
	if (n > SETTINGS_MAX || svc_settings(&r->s, values, version) < 0)
		return NULL;
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
		        items,
		        json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "key", defs[i].key, "zh",
		                  tr(KH_LANG_ZH, defs[i].label), "en", defs[i].label, "value",
		                  (json_int_t)values[i], "default", (json_int_t)defs[i].dflt, "min",
		                  (json_int_t)defs[i].min, "max", (json_int_t)defs[i].max));
	return json_pack("{s:o, s:I}", "items", items, "version", (json_int_t)*version);
}

void h_settings_get(req *r)
{
	int64_t version;
	json_t *j = settings_json(r, &version);
	if (!j) {
		reply_error(r);
		return;
	}
	set_etag(r, version);
	reply(r, 200, j);
}

void h_settings_patch(req *r)
{
	int64_t version;
	if (!if_match(r, &version))
		return;
	json_t *body = body_object(r);
	if (!body)
		return;
	kv changes[SETTINGS_MAX];
	int n = 0;
	const char *key;
	json_t *val;
	json_object_foreach(body, key, val)
	{
		if (n == SETTINGS_MAX)
			break;
		if (!json_is_integer(val)) {
			err_field(&r->err, key, N_("Expected a whole number"));
			continue;
		}
		changes[n].key = arena_strdup(&r->a, key);
		changes[n].value = arena_printf(&r->a, "%lld", (long long)json_integer_value(val));
		n++;
	}
	json_decref(body);
	if (r->err.code != KH_OK || svc_settings_update(&r->s, version, changes, n) < 0) {
		if (r->err.code == KH_ECONFLICT) {
			kh_err saved = r->err;
			err_clear(&r->err);
			int64_t v;
			json_t *current = settings_json(r, &v);
			r->err = saved;
			reply_conflict(r, current);
			return;
		}
		reply_error(r);
		return;
	}
	h_settings_get(r);
}

/* ---- audit ---- */

void h_audit_list(req *r)
{
	audit_row *rows;
	int n;
	const char *next;
	if (svc_audit_list(&r->s, r->query, r->nquery, &rows, &n, &next) < 0) {
		reply_error(r);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, render_audit(&rows[i]));
	reply(r, 200, json_pack("{s:o, s:s?}", "items", items, "next", next));
}
