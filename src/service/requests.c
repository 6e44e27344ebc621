/*
 * requests — entertainment requests and reports, gift requests, and the
 * approval chains they go through (DESIGN 1.8).
 *
 * A chain per request type is set by an administrator (settings
 * permission) and kept as a setting; a request copies it into its own steps
 * when submitted, resolving "the applicant's supervisor" to that person then,
 * so a later change of the chain or of the organisation never reroutes a
 * request already on its way. Only an approver of the current step may
 * decide, one decision per step (the request row is locked and its version
 * checked, and a unique index holds one decision per step), every decision is
 * audited, and a rejection ends the request.
 *
 * Visibility: the applicant always sees their requests; approvers see the
 * submitted requests they may or did decide, whatever the customer's scope
 * (they see its name and code, never its contacts or other fields); anyone
 * else sees submitted requests of customers in their scope.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/request.h"
#include "core/validate.h"
#include "service/internal.h"
#include "util/date.h"
#include "util/utf8.h"

/* ---- chains ---- */

static const char *chain_key(svc *s, const char *type)
{
	return arena_printf(s->a, "approval_chain.%s", type);
}

static int known_type(svc *s, const char *type, const request_type **out)
{
	*out = request_type_find(type);
	if (!*out)
		return err_set(
		        s->err, KH_ENOTFOUND,
		        N_("No request type \"%s\" (entertainment, entertainment_report, gift)"),
		        type ? type : "");
	return 0;
}

/* The stored chain: its text (NULL when never set), steps and version. */
static int chain_load(svc *s, const char *type, const char **text, chain_step **steps, int *n,
                      int64_t *version)
{
	*steps = NULL;
	*n = 0;
	*version = 1; /* the empty chain every type starts with */
	if (store_setting_get(s->db, chain_key(s, type), s->a, text, s->err) < 0)
		return -1;
	if (!*text)
		return 0;
	json_t *j = json_loads(*text, 0, NULL);
	json_t *v = json_object_get(j, "version");
	*version = json_is_integer(v) ? json_integer_value(v) : 1;
	kh_err e2;
	err_init(&e2, s->a, s->lang);
	int got = chain_parse(json_object_get(j, "steps"), s->a, steps, &e2);
	json_decref(j);
	*n = got > 0 ? got : 0;
	return 0;
}

static const char *role_label(svc *s, const char *code)
{
	const role_default *r = role_default_find(code);
	return r ? tr(s->lang, r->label) : code;
}

static const char *user_label(svc *s, int64_t id)
{
	const kh_record *u = snap_user(s->snap, id);
	return u ? u->v[UF_DISPLAY_NAME].s : "?";
}

static json_t *user_json(svc *s, int64_t id)
{
	return json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", user_label(s, id));
}

int svc_chain_get(svc *s, const char *type, json_t **steps, int64_t *version)
{
	const request_type *t;
	if (require(s, PERM_CUSTOMER_READ) < 0 || known_type(s, type, &t) < 0 ||
	    svc_snapshot(s, -1) < 0)
		return -1;
	const char *text;
	chain_step *st;
	int n;
	if (chain_load(s, type, &text, &st, &n, version) < 0)
		return -1;
	json_t *arr = chain_to_json(st, n);
	for (int i = 0; i < n; i++) {
		json_t *j = json_array_get(arr, (size_t)i);
		if (st[i].kind == STEP_ROLE)
			json_object_set_new(j, "role_label",
			                    json_string(role_label(s, st[i].role)));
		else if (st[i].kind == STEP_USER)
			json_object_set_new(j, "user", user_json(s, st[i].user_id));
	}
	*steps = arr;
	return 0;
}

int svc_chain_set(svc *s, const char *type, int64_t version, json_t *steps)
{
	const request_type *t;
	if (require(s, PERM_SETTINGS) < 0 || known_type(s, type, &t) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	chain_step *st;
	int n = chain_parse(steps, s->a, &st, s->err);
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		const char *name = arena_printf(s->a, "steps[%d]", i);
		if (st[i].kind == STEP_ROLE && !snap_role(s->snap, st[i].role))
			err_field(s->err, name, N_("Step %d: no role \"%s\""), i + 1, st[i].role);
		if (st[i].kind != STEP_USER)
			continue;
		const kh_record *u = st[i].username ? snap_user_by_name(s->snap, st[i].username)
		                                    : snap_user(s->snap, st[i].user_id);
		if (!u || record_int(u, UF_DISABLED, 0))
			err_field(s->err, name,
			          N_("Step %d: no such user, or the user is disabled"), i + 1);
		else
			st[i].user_id = u->v[F_ID].i;
	}
	if (s->err->code != KH_OK)
		return -1;
	const char *old_text;
	chain_step *old;
	int nold;
	int64_t have;
	if (chain_load(s, type, &old_text, &old, &nold, &have) < 0)
		return -1;
	if (have != version)
		return err_set(s->err, KH_ECONFLICT, NULL);
	json_t *doc = json_pack("{s:I, s:o}", "version", (json_int_t)(version + 1), "steps",
	                        chain_to_json(st, n));
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	bool swapped = false;
	if (store_begin(s->db, s->err) < 0)
		goto fail_text;
	if (store_setting_swap(s->db, chain_key(s, type), old_text, text, &swapped, s->err) < 0)
		goto fail;
	if (!swapped) {
		err_set(s->err, KH_ECONFLICT, NULL);
		goto fail;
	}
	if (audit_event(s, "update", "approval_chain", 0,
	                json_pack("{s:s, s:o, s:o}", "type", type, "old", chain_to_json(old, nold),
	                          "new", chain_to_json(st, n))) < 0)
		goto fail;
	free(text);
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
fail_text:
	free(text);
	return -1;
}

/* ---- who may decide a step ---- */

/* True when department dept is root or lies below it. */
static bool dept_within(svc *s, int64_t dept, int64_t root)
{
	for (int guard = 0; dept && guard <= s->snap->ndepts; guard++) {
		if (dept == root)
			return true;
		const kh_record *d = snap_dept(s->snap, dept);
		dept = d ? record_int(d, DF_PARENT, 0) : 0;
	}
	return false;
}

/* True when user u may decide step st of a request by applicant. */
static bool may_decide(svc *s, const kh_record *st, const kh_record *u, int64_t applicant)
{
	if (!u || record_int(u, UF_DISABLED, 0) || u->v[F_ID].i == applicant)
		return false;
	if (strcmp(st->v[RSF_KIND].s, "role") != 0)
		return record_int(st, RSF_USER, 0) == u->v[F_ID].i;
	if (strcmp(u->v[UF_ROLE].s, st->v[RSF_ROLE].s) != 0)
		return false;
	int64_t line = record_int(st, RSF_DEPARTMENT, 0);
	return !line || dept_within(s, line, record_int(u, UF_DEPARTMENT, 0));
}

static bool actor_may_decide(svc *s, const kh_record *st, int64_t applicant)
{
	return !s->actor.system &&
	       may_decide(s, st, snap_user(s->snap, s->actor.user_id), applicant);
}

/* The users who may decide step st (in a), *n of them. */
static const kh_record **deciders(svc *s, const kh_record *st, int64_t applicant, int *n)
{
	const kh_record **out = arena_calloc(s->a, (size_t)s->snap->nusers + 1, sizeof(*out));
	*n = 0;
	for (int i = 0; i < s->snap->nusers; i++)
		if (may_decide(s, st, &s->snap->users[i], applicant))
			out[(*n)++] = &s->snap->users[i];
	return out;
}

/* What a step is, for people: 主管 王芳, 角色 经理 ... */
static const char *step_label(svc *s, const kh_record *st)
{
	const char *kind = st->v[RSF_KIND].s;
	if (!strcmp(kind, "role"))
		return role_label(s, st->v[RSF_ROLE].s);
	const char *name = user_label(s, record_int(st, RSF_USER, 0));
	if (!strcmp(kind, "supervisor"))
		return arena_printf(s->a, "%s %s", tr(s->lang, N_("supervisor")), name);
	return name;
}

/* ---- loading and visibility ---- */

static int load_children(svc *s, request_view *v)
{
	int64_t id = v->req.v[F_ID].i;
	if (store_record_children(s->db, &request_item_entity, RIF_REQUEST, id, s->a, &v->items,
	                          &v->nitems, s->err) < 0 ||
	    store_record_children(s->db, &request_step_entity, RSF_REQUEST, id, s->a, &v->steps,
	                          &v->nsteps, s->err) < 0 ||
	    store_record_children(s->db, &request_decision_entity, RDF_REQUEST, id, s->a,
	                          &v->decisions, &v->ndecisions, s->err) < 0)
		return -1;
	return 0;
}

static bool visible(svc *s, const request_view *v)
{
	const kh_record *r = &v->req;
	int64_t applicant = r->v[RQF_APPLICANT].i;
	if (s->actor.system || applicant == s->actor.user_id)
		return true;
	if (!strcmp(r->v[RQF_STATUS].s, REQ_DRAFT))
		return false;
	for (int i = 0; i < v->ndecisions; i++)
		if (v->decisions[i].v[RDF_APPROVER].i == s->actor.user_id)
			return true;
	for (int i = 0; i < v->nsteps; i++)
		if (actor_may_decide(s, &v->steps[i], applicant))
			return true;
	if (!svc_can(s, PERM_CUSTOMER_READ))
		return false;
	kh_record c;
	kh_err e2;
	err_init(&e2, s->a, s->lang);
	if (store_record_get(s->db, &customer_entity, r->v[RQF_CUSTOMER].i, true, s->a, &c, &e2) <
	    0)
		return false;
	return !record_is_set(&c, F_DELETED_AT) && customer_visible(s, &c);
}

/* The request (read now: inside a transaction, after its lock) with its children. */
static int load_view(svc *s, int64_t id, request_view *out)
{
	memset(out, 0, sizeof(*out));
	if (store_record_get(s->db, &request_entity, id, false, s->a, &out->req, s->err) < 0 ||
	    load_children(s, out) < 0)
		return -1;
	if (!visible(s, out))
		return err_not_found(s, &request_entity, id);
	kh_record c;
	kh_err e2;
	err_init(&e2, s->a, s->lang);
	if (store_record_get(s->db, &customer_entity, out->req.v[RQF_CUSTOMER].i, true, s->a, &c,
	                     &e2) == 0) {
		out->customer_name = c.v[CF_NAME].s;
		out->customer_code = c.v[CF_CODE].s;
	}
	return 0;
}

int svc_request_get(svc *s, int64_t id, request_view *out)
{
	if (!s->actor.user_id && !s->actor.system)
		return err_set(s->err, KH_EAUTH, NULL);
	return svc_snapshot(s, -1) < 0 || load_view(s, id, out) < 0 ? -1 : 0;
}

/* ---- items ---- */

/* Parse items JSON into item records (request id left 0). */
static int parse_items(svc *s, json_t *items, kh_record **out, int *n)
{
	*out = NULL;
	*n = 0;
	if (!json_is_array(items) || json_array_size(items) > REQUEST_MAX_ITEMS)
		return err_field(s->err, "items", N_("items must be a list of at most %d items"),
		                 REQUEST_MAX_ITEMS);
	int cnt = (int)json_array_size(items), before = s->err->nfields;
	kh_record *rows = arena_calloc(s->a, (size_t)cnt + 1, sizeof(kh_record));
	static const char *const skip[] = {"id",         "version",    "created_at", "updated_at",
	                                   "created_by", "deleted_at", "request_id", NULL};
	for (int i = 0; i < cnt; i++) {
		const char *prefix = arena_printf(s->a, "items[%d].", i);
		json_t *j = json_array_get(items, (size_t)i);
		if (!json_is_object(j)) {
			err_field(s->err, arena_printf(s->a, "items[%d]", i),
			          N_("Each item is an object with item, budget, actual and note"));
			continue;
		}
		if (record_from_json(&rows[i], &request_item_entity, j, skip, prefix, s->a,
		                     s->err) < 0)
			continue;
		record_set_int(&rows[i], RIF_REQUEST, 1); /* the real id comes at the write */
		if (record_validate(&rows[i], NULL, 0, prefix, s->a, s->err) < 0 ||
		    resolve_refs(s, &rows[i], NULL, prefix) < 0)
			continue;
		for (int k = 0; k < i; k++)
			if (record_is_set(&rows[k], RIF_ITEM) &&
			    !strcmp(rows[k].v[RIF_ITEM].s, rows[i].v[RIF_ITEM].s))
				err_field(s->err, arena_printf(s->a, "items[%d].item", i),
				          N_("%s is listed twice"), rows[i].v[RIF_ITEM].s);
	}
	if (s->err->nfields > before)
		return -1;
	*out = rows;
	*n = cnt;
	return 0;
}

/* Set the request's budget and actual totals from its items. */
static void set_totals(kh_record *r, const kh_record *items, int n)
{
	int64_t budget = 0, actual = 0;
	bool any = false;
	for (int i = 0; i < n; i++) {
		budget += record_int(&items[i], RIF_BUDGET, 0);
		if (record_is_set(&items[i], RIF_ACTUAL)) {
			actual += items[i].v[RIF_ACTUAL].i;
			any = true;
		}
	}
	record_set_int(r, RQF_BUDGET_TOTAL, budget);
	if (any)
		record_set_int(r, RQF_ACTUAL_TOTAL, actual);
	else
		record_set_null(r, RQF_ACTUAL_TOTAL);
}

static json_t *items_audit(const kh_record *items, int n)
{
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		static const int fields[] = {RIF_ITEM, RIF_BUDGET, RIF_ACTUAL, RIF_NOTE};
		json_array_append_new(arr, record_to_json(&items[i], NULL, fields, 4));
	}
	return arr;
}

/* Write the item list of request id anew (in the caller's transaction). */
static int write_items(svc *s, int64_t id, kh_record *items, int n)
{
	if (store_request_items_clear(s->db, id, s->err) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		kh_record it;
		record_copy(&it, &items[i], s->a);
		record_set_null(&it, F_ID);
		it.v[F_ID].state = V_ABSENT;
		record_set_int(&it, RIF_REQUEST, id);
		stamp_new(s, &it);
		if (store_record_insert(s->db, &it, s->err) < 0)
			return -1;
	}
	return audit_event(s, "items", "request", id,
	                   json_pack("{s:o}", "items", items_audit(items, n)));
}

/* ---- create and change ---- */

static int report_link(svc *s, kh_record *r, int64_t self)
{
	int64_t of = r->v[RQF_REPORT_OF].i;
	request_view v;
	kh_err *saved = s->err;
	kh_err e2;
	err_init(&e2, s->a, s->lang);
	s->err = &e2;
	int rc = load_view(s, of, &v);
	s->err = saved;
	const char *name = request_entity.fields[RQF_REPORT_OF].name;
	if (rc < 0)
		return err_field(s->err, name, N_("%s %lld not found"),
		                 tr(s->lang, request_entity.label), (long long)of);
	if (strcmp(v.req.v[RQF_TYPE].s, "entertainment") != 0 ||
	    strcmp(v.req.v[RQF_STATUS].s, REQ_APPROVED) != 0)
		return err_field(s->err, name,
		                 N_("A report refers to an approved entertainment request"));
	if (r->v[RQF_CUSTOMER].state != V_SET)
		record_set_int(r, RQF_CUSTOMER, v.req.v[RQF_CUSTOMER].i);
	else if (r->v[RQF_CUSTOMER].i != v.req.v[RQF_CUSTOMER].i)
		return err_field(s->err, request_entity.fields[RQF_CUSTOMER].name,
		                 N_("A report is about the customer of its request"));
	kh_record *reports;
	int n;
	if (store_record_children(s->db, &request_entity, RQF_REPORT_OF, of, s->a, &reports, &n,
	                          s->err) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		const char *st = reports[i].v[RQF_STATUS].s;
		if (reports[i].v[F_ID].i != self && strcmp(st, REQ_REJECTED) != 0 &&
		    strcmp(st, REQ_WITHDRAWN) != 0)
			return err_field(s->err, name, N_("Request %lld already has report %lld"),
			                 (long long)of, (long long)reports[i].v[F_ID].i);
	}
	return 0;
}

/* Without items of its own, a report starts from its request's budget, and a
 * gift request from its quantity times unit value. */
static void default_items(svc *s, const kh_record *r, kh_record **items, int *n)
{
	if (*n)
		return;
	if (!strcmp(r->v[RQF_TYPE].s, "gift") && record_is_set(r, RQF_UNIT_VALUE)) {
		kh_record *it = arena_calloc(s->a, 1, sizeof(kh_record));
		record_init(it, &request_item_entity, s->a);
		record_set_text(it, RIF_ITEM, "gift");
		record_set_int(it, RIF_BUDGET,
		               r->v[RQF_UNIT_VALUE].i * record_int(r, RQF_QUANTITY, 1));
		*items = it;
		*n = 1;
		return;
	}
	if (!strcmp(r->v[RQF_TYPE].s, "entertainment_report")) {
		kh_record *src;
		int ns;
		kh_err e2;
		err_init(&e2, s->a, s->lang);
		if (store_record_children(s->db, &request_item_entity, RIF_REQUEST,
		                          r->v[RQF_REPORT_OF].i, s->a, &src, &ns, &e2) < 0)
			return;
		for (int i = 0; i < ns; i++)
			record_set_null(&src[i], RIF_ACTUAL);
		*items = src;
		*n = ns;
	}
}

static int may_apply(svc *s)
{
	if (!s->actor.user_id)
		return err_set(s->err, KH_EFORBIDDEN,
		               N_("Requests are made by a user, not by kehu"));
	if (svc_can(s, PERM_CUSTOMER_WRITE) || svc_can(s, PERM_TICKET_WRITE))
		return 0;
	return require(s, PERM_CUSTOMER_WRITE);
}

int svc_request_create(svc *s, kh_record *r, json_t *items, int64_t *id)
{
	if (svc_snapshot(s, -1) < 0 || may_apply(s) < 0)
		return -1;
	const request_type *t = NULL;
	if (record_is_set(r, RQF_TYPE) && !(t = request_type_find(r->v[RQF_TYPE].s)))
		err_field(s->err, "type",
		          N_("type must be entertainment, entertainment_report or gift"));
	/* a report may leave its customer to its request */
	bool customer_given = record_is_set(r, RQF_CUSTOMER);
	if (t && !customer_given && record_is_set(r, RQF_REPORT_OF))
		record_set_int(r, RQF_CUSTOMER, 1); /* stands in until report_link */
	record_validate(r, NULL, 0, NULL, s->a, s->err);
	if (!customer_given && r->v[RQF_CUSTOMER].state == V_SET)
		r->v[RQF_CUSTOMER].state = V_ABSENT;
	if (t)
		request_check_type(r, NULL, t, s->err);
	resolve_refs(s, r, NULL, NULL);
	kh_record *its = NULL;
	int nits = 0;
	if (items && items != json_null())
		parse_items(s, items, &its, &nits);
	if (s->err->code != KH_OK)
		return -1;
	if (!strcmp(t->code, "entertainment_report") && report_link(s, r, 0) < 0)
		return -1;
	int64_t customer_id = r->v[RQF_CUSTOMER].i;
	kh_record c;
	if (customer_load(s, customer_id, false, &c) < 0) {
		err_clear(s->err);
		return err_field(s->err, "customer_id", N_("%s %lld not found"),
		                 tr(s->lang, customer_entity.label), (long long)customer_id);
	}
	if (customer_writable(s, &c) < 0)
		return -1;
	default_items(s, r, &its, &nits);
	record_set_int(r, RQF_APPLICANT, s->actor.user_id);
	if (s->actor.department_id)
		record_set_int(r, RQF_DEPARTMENT, s->actor.department_id);
	record_set_text(r, RQF_STATUS, REQ_DRAFT);
	record_set_int(r, RQF_CURRENT_STEP, 0);
	set_totals(r, its, nits);
	stamp_new(s, r);
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (store_record_insert(s->db, r, s->err) < 0)
		goto fail;
	*id = r->v[F_ID].i;
	if (audit_change(s, "create", &request_entity, *id, NULL, r) < 0 ||
	    write_items(s, *id, its, nits) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

static int only_applicant(svc *s, const kh_record *r, const char *what)
{
	if (r->v[RQF_APPLICANT].i == s->actor.user_id)
		return 0;
	return err_set(s->err, KH_EFORBIDDEN, N_("Only the applicant (%s) may %s this request"),
	               user_label(s, r->v[RQF_APPLICANT].i), tr(s->lang, what));
}

static int not_now(svc *s, const kh_record *r, const char *what)
{
	return err_set(s->err, KH_ESTATE, N_("Request %lld is %s: it cannot be %s now"),
	               (long long)r->v[F_ID].i,
	               tr(s->lang, request_status_label(r->v[RQF_STATUS].s)), tr(s->lang, what));
}

/* After approval only the actual amounts (and item notes) may still be recorded. */
static int actuals_only(svc *s, const request_view *v, const kh_record *patch, kh_record *its,
                        int nits, kh_record **out, int *nout)
{
	const kh_record *r = &v->req;
	for (int i = F_NSYSTEM; i < patch->ent->nfields; i++)
		if (patch->v[i].state != V_ABSENT)
			err_field(s->err, patch->ent->fields[i].name,
			          N_("%s cannot change after approval; only the actual amounts of "
			             "the items can be recorded"),
			          field_label(&patch->ent->fields[i], s->lang));
	if (s->err->code != KH_OK)
		return -1;
	if (!strcmp(r->v[RQF_TYPE].s, "entertainment_report"))
		return not_now(s, r, N_("changed"));
	kh_record *reports;
	int nrep;
	if (store_record_children(s->db, &request_entity, RQF_REPORT_OF, r->v[F_ID].i, s->a,
	                          &reports, &nrep, s->err) < 0)
		return -1;
	for (int i = 0; i < nrep; i++)
		if (!strcmp(reports[i].v[RQF_STATUS].s, REQ_APPROVED))
			return err_set(s->err, KH_ESTATE,
			               N_("The approved report %lld fixed the actual amounts of "
			                  "this request"),
			               (long long)reports[i].v[F_ID].i);
	/* merge: the given items' actual and note into the approved list */
	kh_record *merged = arena_calloc(s->a, (size_t)(v->nitems + nits) + 1, sizeof(kh_record));
	int n = 0;
	for (int i = 0; i < v->nitems; i++)
		record_copy(&merged[n++], &v->items[i], s->a);
	for (int k = 0; k < nits; k++) {
		const char *code = its[k].v[RIF_ITEM].s;
		int at = -1;
		for (int i = 0; i < n && at < 0; i++)
			if (!strcmp(merged[i].v[RIF_ITEM].s, code))
				at = i;
		int64_t was = at >= 0 ? record_int(&merged[at], RIF_BUDGET, 0) : 0;
		if (its[k].v[RIF_BUDGET].state != V_ABSENT &&
		    record_int(&its[k], RIF_BUDGET, 0) != was) {
			err_field(s->err, arena_printf(s->a, "items[%d].budget", k),
			          N_("The budget was approved and cannot change"));
			continue;
		}
		if (at < 0) {
			at = n++;
			record_copy(&merged[at], &its[k], s->a);
			record_set_null(&merged[at], RIF_BUDGET);
			continue;
		}
		if (its[k].v[RIF_ACTUAL].state != V_ABSENT)
			merged[at].v[RIF_ACTUAL] = its[k].v[RIF_ACTUAL];
		if (its[k].v[RIF_NOTE].state != V_ABSENT)
			merged[at].v[RIF_NOTE] = its[k].v[RIF_NOTE];
	}
	if (s->err->code != KH_OK)
		return -1;
	*out = merged;
	*nout = n;
	return 0;
}

int svc_request_update(svc *s, int64_t id, int64_t version, kh_record *patch, json_t *items)
{
	request_view v;
	if (svc_snapshot(s, -1) < 0 || load_view(s, id, &v) < 0 ||
	    only_applicant(s, &v.req, N_("change")) < 0)
		return -1;
	kh_record *its = NULL;
	int nits = 0;
	bool has_items = items && items != json_null();
	const char *status = v.req.v[RQF_STATUS].s;
	bool draft = !strcmp(status, REQ_DRAFT);
	if (!draft && strcmp(status, REQ_APPROVED) != 0)
		return not_now(s, &v.req, N_("changed"));
	if (has_items && parse_items(s, items, &its, &nits) < 0)
		return -1;
	if (draft) {
		record_validate(patch, &v.req, 0, NULL, s->a, s->err);
		request_check_type(patch, &v.req, request_type_find(v.req.v[RQF_TYPE].s), s->err);
		resolve_refs(s, patch, &v.req, NULL);
		if (s->err->code != KH_OK)
			return -1;
		if (!has_items) {
			its = v.items;
			nits = v.nitems;
		}
	} else {
		if (!has_items && !patch_prune(patch, &v.req))
			return v.req.v[F_VERSION].i == version
			               ? 0
			               : err_set(s->err, KH_ECONFLICT, NULL);
		if (actuals_only(s, &v, patch, its, nits, &its, &nits) < 0)
			return -1;
		has_items = true;
	}
	patch_prune(patch, &v.req);
	set_totals(patch, its, nits);
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (store_record_update(s->db, patch, id, version, svc_now(s), s->err) < 0 ||
	    audit_change(s, "update", &request_entity, id, &v.req, patch) < 0 ||
	    (has_items && write_items(s, id, its, nits) < 0))
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

/* ---- the way through the chain ---- */

/* Lock the request, read it again and check the version (inside a transaction). */
static int lock_view(svc *s, int64_t id, int64_t version, request_view *v)
{
	if (store_lock(s->db, &request_entity, id, s->err) < 0 || load_view(s, id, v) < 0)
		return -1;
	if (v->req.v[F_VERSION].i != version)
		return err_set(s->err, KH_ECONFLICT, NULL);
	return 0;
}

/* The request's own steps from its type's chain as it is now. */
static int copy_chain(svc *s, const kh_record *r, kh_record **out, int *n)
{
	const char *text;
	chain_step *st;
	int64_t version;
	const char *type = r->v[RQF_TYPE].s;
	if (chain_load(s, type, &text, &st, n, &version) < 0)
		return -1;
	if (*n == 0)
		return err_set(s->err, KH_ESTATE,
		               N_("No approval chain is set for %s; ask an administrator to set "
		                  "one"),
		               tr(s->lang, request_type_find(type)->label));
	int64_t applicant = r->v[RQF_APPLICANT].i;
	const kh_record *me = snap_user(s->snap, applicant);
	kh_record *steps = arena_calloc(s->a, (size_t)*n, sizeof(kh_record));
	for (int i = 0; i < *n; i++) {
		kh_record *x = &steps[i];
		record_init(x, &request_step_entity, s->a);
		record_set_int(x, RSF_REQUEST, r->v[F_ID].i);
		record_set_int(x, RSF_STEP, i + 1);
		record_set_text(x, RSF_KIND, step_kind_code(st[i].kind));
		switch (st[i].kind) {
		case STEP_ROLE:
			record_set_text(x, RSF_ROLE, st[i].role);
			if (st[i].dept_line && record_int(r, RQF_DEPARTMENT, 0))
				record_set_int(x, RSF_DEPARTMENT, r->v[RQF_DEPARTMENT].i);
			break;
		case STEP_USER:
			record_set_int(x, RSF_USER, st[i].user_id);
			break;
		case STEP_SUPERVISOR:
			if (!me || !record_int(me, UF_SUPERVISOR, 0))
				return err_set(
				        s->err, KH_ESTATE,
				        N_("Step %d of the approval chain is the applicant's "
				           "supervisor, and %s has none; ask an administrator"),
				        i + 1, user_label(s, applicant));
			record_set_int(x, RSF_USER, me->v[UF_SUPERVISOR].i);
			break;
		}
		int nd;
		deciders(s, x, applicant, &nd);
		if (nd == 0)
			return err_set(
			        s->err, KH_ESTATE,
			        N_("Nobody but the applicant could decide step %d (%s) of the "
			           "approval chain; ask an administrator"),
			        i + 1, step_label(s, x));
		stamp_new(s, x);
	}
	*out = steps;
	return 0;
}

int svc_request_submit(svc *s, int64_t id, int64_t version)
{
	if (svc_snapshot(s, -1) < 0 || store_begin(s->db, s->err) < 0)
		return -1;
	request_view v;
	kh_record *steps = NULL;
	int n = 0;
	if (lock_view(s, id, version, &v) < 0 || only_applicant(s, &v.req, N_("submit")) < 0)
		goto fail;
	if (strcmp(v.req.v[RQF_STATUS].s, REQ_DRAFT) != 0) {
		not_now(s, &v.req, N_("submitted"));
		goto fail;
	}
	if (!strcmp(v.req.v[RQF_TYPE].s, "entertainment_report") && report_link(s, &v.req, id) < 0)
		goto fail;
	if (copy_chain(s, &v.req, &steps, &n) < 0)
		goto fail;
	for (int i = 0; i < n; i++)
		if (store_record_insert(s->db, &steps[i], s->err) < 0)
			goto fail;
	kh_record patch;
	record_init(&patch, &request_entity, s->a);
	record_set_text(&patch, RQF_STATUS, REQ_PENDING);
	record_set_int(&patch, RQF_CURRENT_STEP, 1);
	record_set_text(&patch, RQF_SUBMITTED_AT, svc_now(s));
	if (store_record_update(s->db, &patch, id, version, svc_now(s), s->err) < 0 ||
	    audit_event(s, "submit", "request", id,
	                json_pack("{s:i, s:s}", "steps", n, "first", step_label(s, &steps[0]))) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

int svc_request_withdraw(svc *s, int64_t id, int64_t version)
{
	if (svc_snapshot(s, -1) < 0 || store_begin(s->db, s->err) < 0)
		return -1;
	request_view v;
	if (lock_view(s, id, version, &v) < 0 || only_applicant(s, &v.req, N_("withdraw")) < 0)
		goto fail;
	if (strcmp(v.req.v[RQF_STATUS].s, REQ_PENDING) != 0) {
		not_now(s, &v.req, N_("withdrawn"));
		goto fail;
	}
	kh_record patch;
	record_init(&patch, &request_entity, s->a);
	record_set_text(&patch, RQF_STATUS, REQ_WITHDRAWN);
	record_set_text(&patch, RQF_DECIDED_AT, svc_now(s));
	if (store_record_update(s->db, &patch, id, version, svc_now(s), s->err) < 0 ||
	    audit_event(s, "withdraw", "request", id,
	                json_pack("{s:I}", "step", (json_int_t)v.req.v[RQF_CURRENT_STEP].i)) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

/*
 * Delete (to the recycle bin) or restore a request: its applicant's, and only
 * one that no longer waits for or counts in a decision — a draft, a withdrawn
 * or a rejected one. Pending ones are withdrawn first; approved ones stay (the
 * budget report counts them).
 */
static int set_deleted(svc *s, int64_t id, int64_t version, bool deleted)
{
	if (svc_snapshot(s, -1) < 0 || store_begin(s->db, s->err) < 0)
		return -1;
	kh_record r;
	if (store_lock(s->db, &request_entity, id, s->err) < 0 ||
	    store_record_get(s->db, &request_entity, id, !deleted, s->a, &r, s->err) < 0)
		goto fail;
	if (r.v[RQF_APPLICANT].i != s->actor.user_id) {
		/* someone else's: as invisible as it is, or refused by name */
		request_view v;
		err_clear(s->err);
		if (deleted && load_view(s, id, &v) == 0)
			only_applicant(s, &r, deleted ? N_("delete") : N_("restore"));
		else if (s->err->code == KH_OK)
			err_not_found(s, &request_entity, id);
		goto fail;
	}
	if (!deleted && !record_is_set(&r, F_DELETED_AT)) {
		err_set(s->err, KH_EBADREQ, N_("%s %lld is not deleted"),
		        tr(s->lang, request_entity.label), (long long)id);
		goto fail;
	}
	const char *st = r.v[RQF_STATUS].s;
	if (deleted && strcmp(st, REQ_DRAFT) && strcmp(st, REQ_WITHDRAWN) &&
	    strcmp(st, REQ_REJECTED)) {
		not_now(s, &r, N_("deleted"));
		goto fail;
	}
	if (store_record_mark_deleted(s->db, &request_entity, id, version, deleted, svc_now(s),
	                              s->err) < 0 ||
	    audit_event(s, deleted ? "delete" : "restore", "request", id,
	                json_pack("{s:s}", "status", st)) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

int svc_request_delete(svc *s, int64_t id, int64_t version)
{
	return set_deleted(s, id, version, true);
}

int svc_request_restore(svc *s, int64_t id, int64_t version)
{
	return set_deleted(s, id, version, false);
}

/* Why the actor may not decide the current step, as a 403. */
static int refuse(svc *s, const request_view *v, int cur)
{
	int64_t applicant = v->req.v[RQF_APPLICANT].i;
	if (applicant == s->actor.user_id)
		return err_set(s->err, KH_EFORBIDDEN, N_("You cannot decide your own request"));
	const char *cur_label = step_label(s, &v->steps[cur - 1]);
	for (int i = cur; i < v->nsteps; i++)
		if (actor_may_decide(s, &v->steps[i], applicant))
			return err_set(s->err, KH_EFORBIDDEN,
			               N_("Request %lld waits for step %d (%s); your step %d comes "
			                  "after it, and no step can be skipped"),
			               (long long)v->req.v[F_ID].i, cur, cur_label, i + 1);
	return err_set(s->err, KH_EFORBIDDEN,
	               N_("Only the approver of step %d (%s) may decide request %lld now"), cur,
	               cur_label, (long long)v->req.v[F_ID].i);
}

/* An approved report's actual amounts become its request's (in the transaction). */
static int report_actuals(svc *s, const request_view *rep)
{
	int64_t of = rep->req.v[RQF_REPORT_OF].i;
	request_view v;
	if (store_lock(s->db, &request_entity, of, s->err) < 0 ||
	    store_record_get(s->db, &request_entity, of, false, s->a, &v.req, s->err) < 0 ||
	    store_record_children(s->db, &request_item_entity, RIF_REQUEST, of, s->a, &v.items,
	                          &v.nitems, s->err) < 0)
		return -1;
	kh_record *merged =
	        arena_calloc(s->a, (size_t)(v.nitems + rep->nitems) + 1, sizeof(kh_record));
	int n = 0;
	for (int i = 0; i < v.nitems; i++) {
		record_copy(&merged[n], &v.items[i], s->a);
		record_set_null(&merged[n++], RIF_ACTUAL);
	}
	for (int k = 0; k < rep->nitems; k++) {
		const kh_record *it = &rep->items[k];
		int at = -1;
		for (int i = 0; i < n && at < 0; i++)
			if (!strcmp(merged[i].v[RIF_ITEM].s, it->v[RIF_ITEM].s))
				at = i;
		if (at < 0) {
			at = n++;
			record_copy(&merged[at], it, s->a);
			record_set_null(&merged[at], RIF_BUDGET);
		}
		merged[at].v[RIF_ACTUAL] = it->v[RIF_ACTUAL];
	}
	kh_record patch;
	record_init(&patch, &request_entity, s->a);
	set_totals(&patch, merged, n);
	return store_record_update(s->db, &patch, of, v.req.v[F_VERSION].i, svc_now(s), s->err) <
	                               0 ||
	                       audit_change(s, "update", &request_entity, of, &v.req, &patch) < 0 ||
	                       write_items(s, of, merged, n) < 0
	               ? -1
	               : 0;
}

int svc_request_decide(svc *s, int64_t id, int64_t version, bool approve, const char *comment)
{
	if (svc_snapshot(s, -1) < 0)
		return -1;
	if (comment && utf8_chars(comment) > 1000)
		return err_field(s->err, "comment", N_("comment is longer than %d characters"),
		                 1000);
	if (!approve && (!comment || !*utf8_trim(s->a, comment)))
		return err_field(s->err, "comment", N_("Say why the request is rejected"));
	if (store_begin(s->db, s->err) < 0)
		return -1;
	request_view v;
	if (lock_view(s, id, version, &v) < 0)
		goto fail;
	if (strcmp(v.req.v[RQF_STATUS].s, REQ_PENDING) != 0) {
		not_now(s, &v.req, approve ? N_("approved") : N_("rejected"));
		goto fail;
	}
	int cur = (int)v.req.v[RQF_CURRENT_STEP].i;
	if (cur < 1 || cur > v.nsteps) {
		err_set(s->err, KH_EINTERNAL, NULL);
		goto fail;
	}
	if (!actor_may_decide(s, &v.steps[cur - 1], v.req.v[RQF_APPLICANT].i)) {
		refuse(s, &v, cur);
		goto fail;
	}
	kh_record d;
	record_init(&d, &request_decision_entity, s->a);
	record_set_int(&d, RDF_REQUEST, id);
	record_set_int(&d, RDF_STEP, cur);
	record_set_int(&d, RDF_APPROVER, s->actor.user_id);
	record_set_text(&d, RDF_DECISION, approve ? "approve" : "reject");
	if (comment && *utf8_trim(s->a, comment))
		record_set_text(&d, RDF_COMMENT, utf8_trim(s->a, comment));
	stamp_new(s, &d);
	bool last = cur == v.nsteps;
	kh_record patch;
	record_init(&patch, &request_entity, s->a);
	if (!approve || last) {
		record_set_text(&patch, RQF_STATUS, approve ? REQ_APPROVED : REQ_REJECTED);
		record_set_text(&patch, RQF_DECIDED_AT, svc_now(s));
	} else {
		record_set_int(&patch, RQF_CURRENT_STEP, cur + 1);
	}
	if (store_record_insert(s->db, &d, s->err) < 0) {
		/* another approver's decision on this step came first */
		if (s->err->code == KH_EDUP)
			err_set(s->err, KH_ECONFLICT, NULL);
		goto fail;
	}
	if (store_record_update(s->db, &patch, id, version, svc_now(s), s->err) < 0 ||
	    audit_event(s, approve ? "approve" : "reject", "request", id,
	                json_pack("{s:i, s:s, s:s?, s:s}", "step", cur, "step_label",
	                          step_label(s, &v.steps[cur - 1]), "comment",
	                          record_text(&d, RDF_COMMENT), "status",
	                          approve ? (last ? REQ_APPROVED : REQ_PENDING) : REQ_REJECTED)) <
	            0)
		goto fail;
	if (approve && last && !strcmp(v.req.v[RQF_TYPE].s, "entertainment_report") &&
	    report_actuals(s, &v) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

/* ---- lists and reports ---- */

/* The visibility part of a request query for the actor. */
static int visibility(svc *s, request_query *q)
{
	memset(q, 0, sizeof(*q));
	if (s->actor.system) {
		q->all = true;
		return 0;
	}
	if (!s->actor.user_id)
		return err_set(s->err, KH_EAUTH, NULL);
	q->me = s->actor.user_id;
	q->role = s->actor.role;
	if (s->actor.department_id)
		q->ndept_line = dept_subtree(s->snap, s->actor.department_id, s->a,
		                             (int64_t **)&q->dept_line);
	if (svc_can(s, PERM_CUSTOMER_READ))
		return scope_filter(s, &q->scope);
	q->scope.kind = SCOPE_MATCH_NONE;
	return 0;
}

/* As on every list: a bad value is a validation failure naming the parameter... */
static int bad_param(svc *s, const char *key, const char *value)
{
	return err_field(s->err, key, N_("Bad value \"%s\" for parameter %s"), value, key);
}

/* Parameters shared by lists and the budget report. */
static int request_params(svc *s, const kv *params, int n, request_query *q,
                          const char *const *more)
{
	for (int i = 0; i < n; i++) {
		const char *k = params[i].key, *v = params[i].value ? params[i].value : "";
		if (!strcmp(k, "type")) {
			if (!request_type_find(v))
				return bad_param(s, k, v);
			q->type = v;
		} else if (!strcmp(k, "status")) {
			if (strcmp(request_status_label(v), v) == 0)
				return bad_param(s, k, v);
			q->status = v;
		} else if (!strcmp(k, "customer_id")) {
			if (!svc_parse_id(v, &q->customer_id))
				return bad_param(s, k, v);
		} else if (!strcmp(k, "applicant")) {
			const kh_record *u = NULL;
			int64_t uid;
			if (!strcmp(v, "me"))
				u = snap_user(s->snap, s->actor.user_id);
			else if (svc_parse_id(v, &uid))
				u = snap_user(s->snap, uid);
			else
				u = snap_user_by_name(s->snap, v);
			if (!u)
				return bad_param(s, k, v);
			q->applicant_id = u->v[F_ID].i;
		} else if (!strcmp(k, "from") || !strcmp(k, "to")) {
			if (!date_valid(v))
				return bad_param(s, k, v);
			if (*k == 'f')
				q->from = v;
			else
				q->to = v;
		} else {
			bool ok = false;
			for (int m = 0; more && more[m] && !ok; m++)
				ok = !strcmp(more[m], k);
			if (!ok) { /* ...and an unknown one a malformed request naming it */
				err_field(s->err, k, N_("Unknown parameter \"%s\""), k);
				s->err->code = KH_EBADREQ;
				return -1;
			}
		}
	}
	return 0;
}

int svc_request_list(svc *s, const kv *params, int nparams, bool inbox, list_page *page)
{
	static const char *const more[] = {"limit", "after", NULL};
	memset(page, 0, sizeof(*page));
	request_query q;
	if (svc_snapshot(s, -1) < 0 || visibility(s, &q) < 0 ||
	    request_params(s, params, nparams, &q, more) < 0)
		return -1;
	q.inbox = inbox && !q.all;
	for (int i = 0; i < nparams; i++) {
		const char *k = params[i].key, *v = params[i].value ? params[i].value : "";
		int64_t x;
		if (!strcmp(k, "limit")) {
			if (!svc_parse_id(v, &x) || x > QUERY_MAX_LIMIT)
				return bad_param(s, k, v);
			q.limit = (int)x;
		} else if (!strcmp(k, "after")) {
			if (!svc_parse_id(v, &x))
				return bad_param(s, k, v);
			q.before_id = x;
		}
	}
	bool more_rows = false;
	if (store_request_list(s->db, &q, s->a, &page->rows, &page->n, &more_rows, s->err) < 0)
		return -1;
	if (more_rows)
		page->next =
		        arena_printf(s->a, "%lld", (long long)page->rows[page->n - 1].v[F_ID].i);
	return 0;
}

static const char *customer_name(svc *s, int64_t id)
{
	kh_record c;
	kh_err e2;
	err_init(&e2, s->a, s->lang);
	if (store_record_get(s->db, &customer_entity, id, true, s->a, &c, &e2) < 0)
		return NULL;
	return c.v[CF_NAME].s;
}

json_t *svc_request_row_json(svc *s, const kh_record *r)
{
	kh_lookup lk = svc_lookup(s);
	json_t *j = record_to_json(r, &lk, NULL, 0);
	const request_type *t = request_type_find(r->v[RQF_TYPE].s);
	json_object_set_new(j, "type_label", json_string(t ? tr(s->lang, t->label) : ""));
	json_object_set_new(j, "status_label",
	                    json_string(tr(s->lang, request_status_label(r->v[RQF_STATUS].s))));
	const char *name = customer_name(s, r->v[RQF_CUSTOMER].i);
	json_object_set_new(j, "customer_name", name ? json_string(name) : json_null());
	return j;
}

json_t *svc_request_json(svc *s, const request_view *v)
{
	kh_lookup lk = svc_lookup(s);
	const kh_record *r = &v->req;
	json_t *j = svc_request_row_json(s, r);
	json_object_set_new(j, "customer_code",
	                    v->customer_code ? json_string(v->customer_code) : json_null());
	json_t *items = json_array();
	for (int i = 0; i < v->nitems; i++) {
		static const int fields[] = {RIF_ITEM, RIF_BUDGET, RIF_ACTUAL, RIF_NOTE};
		json_array_append_new(items, record_to_json(&v->items[i], &lk, fields, 4));
	}
	json_object_set_new(j, "items", items);
	int64_t applicant = r->v[RQF_APPLICANT].i;
	int cur = (int)record_int(r, RQF_CURRENT_STEP, 0);
	bool pending = !strcmp(r->v[RQF_STATUS].s, REQ_PENDING);
	json_t *steps = json_array();
	for (int i = 0; i < v->nsteps; i++) {
		const kh_record *st = &v->steps[i];
		int no = (int)st->v[RSF_STEP].i;
		json_t *x = json_pack("{s:i, s:s, s:s}", "step", no, "kind", st->v[RSF_KIND].s,
		                      "label", step_label(s, st));
		if (record_is_set(st, RSF_ROLE))
			json_object_set_new(x, "role", json_string(st->v[RSF_ROLE].s));
		if (record_is_set(st, RSF_DEPARTMENT))
			json_object_set_new(x, "department_id",
			                    json_integer(st->v[RSF_DEPARTMENT].i));
		const kh_record *d = NULL;
		for (int k = 0; k < v->ndecisions && !d; k++)
			if (v->decisions[k].v[RDF_STEP].i == no)
				d = &v->decisions[k];
		const char *state =
		        d ? (strcmp(d->v[RDF_DECISION].s, "approve") ? "rejected" : "approved")
		        : pending && no == cur ? "current"
		        : pending && no > cur  ? "waiting"
		                               : "not_reached";
		json_object_set_new(x, "state", json_string(state));
		if (d) {
			json_object_set_new(
			        x, "decision",
			        json_pack("{s:s, s:o, s:s?, s:s}", "decision", d->v[RDF_DECISION].s,
			                  "by", user_json(s, d->v[RDF_APPROVER].i), "comment",
			                  record_text(d, RDF_COMMENT), "at", d->v[F_CREATED_AT].s));
		} else if (pending && no >= cur) {
			int n;
			const kh_record **who = deciders(s, st, applicant, &n);
			json_t *arr = json_array();
			for (int k = 0; k < n; k++)
				json_array_append_new(arr, user_json(s, who[k]->v[F_ID].i));
			json_object_set_new(x, "approvers", arr);
		}
		json_array_append_new(steps, x);
	}
	json_object_set_new(j, "steps", steps);
	bool can_act = pending && cur >= 1 && cur <= v->nsteps &&
	               actor_may_decide(s, &v->steps[cur - 1], applicant);
	json_object_set_new(j, "can_decide", json_boolean(can_act));
	return j;
}

/* ---- budget against actual ---- */

typedef struct sums {
	int64_t key; /* request id or person */
	int requests, unreported;
	int64_t budget, actual;
} sums;

static json_t *sums_json(const sums *x)
{
	return json_pack("{s:i, s:I, s:I, s:I, s:i}", "requests", x->requests, "budget",
	                 (json_int_t)x->budget, "actual", (json_int_t)x->actual, "difference",
	                 (json_int_t)(x->actual - x->budget), "unreported", x->unreported);
}

int svc_request_budget(svc *s, const kv *params, int nparams, json_t **out)
{
	static const char *const more[] = {"by", NULL};
	request_query q;
	if (svc_snapshot(s, -1) < 0 || visibility(s, &q) < 0 ||
	    request_params(s, params, nparams, &q, more) < 0)
		return -1;
	const char *by = "request";
	for (int i = 0; i < nparams; i++)
		if (!strcmp(params[i].key, "by"))
			by = params[i].value ? params[i].value : "";
	bool per_person = !strcmp(by, "person");
	if (!per_person && strcmp(by, "request") != 0)
		return bad_param(s, "by", by);
	if (q.type && !strcmp(q.type, "entertainment_report"))
		return bad_param(s, "type", q.type);
	q.status = REQ_APPROVED;
	q.costs_only = true;
	kh_record *reqs;
	budget_line *lines;
	int nreqs, nlines;
	if (store_request_budget(s->db, &q, s->a, &reqs, &nreqs, &lines, &nlines, s->err) < 0)
		return -1;
	/* per request first; then per person or as they are */
	sums *per = arena_calloc(s->a, (size_t)nreqs + 1, sizeof(sums));
	for (int i = 0; i < nreqs; i++) {
		per[i].key = reqs[i].v[F_ID].i;
		per[i].requests = 1;
		per[i].budget = record_int(&reqs[i], RQF_BUDGET_TOTAL, 0);
		per[i].actual = record_int(&reqs[i], RQF_ACTUAL_TOTAL, 0);
		per[i].unreported = !record_is_set(&reqs[i], RQF_ACTUAL_TOTAL);
	}
	/* items: codes in dictionary order as they appear */
	const char **codes = arena_calloc(s->a, (size_t)nlines + 1, sizeof(char *));
	sums *isum = arena_calloc(s->a, (size_t)nlines + 1, sizeof(sums));
	int ncodes = 0;
	for (int l = 0; l < nlines; l++) {
		int at = -1;
		for (int k = 0; k < ncodes && at < 0; k++)
			if (!strcmp(codes[k], lines[l].item))
				at = k;
		if (at < 0) {
			at = ncodes++;
			codes[at] = lines[l].item;
		}
		isum[at].requests++;
		isum[at].budget += lines[l].budget;
		isum[at].actual += lines[l].actual;
		isum[at].unreported += !lines[l].has_actual;
	}
	kh_lookup lk = svc_lookup(s);
	json_t *rows = json_array();
	sums total = {0};
	if (per_person) {
		sums *pp = arena_calloc(s->a, (size_t)nreqs + 1, sizeof(sums));
		int np = 0;
		for (int i = 0; i < nreqs; i++) {
			int64_t who = reqs[i].v[RQF_APPLICANT].i;
			int at = -1;
			for (int k = 0; k < np && at < 0; k++)
				if (pp[k].key == who)
					at = k;
			if (at < 0) {
				at = np++;
				pp[at].key = who;
			}
			pp[at].requests++;
			pp[at].budget += per[i].budget;
			pp[at].actual += per[i].actual;
			pp[at].unreported += per[i].unreported;
		}
		for (int k = 0; k < np; k++) {
			json_t *x = sums_json(&pp[k]);
			json_object_set_new(x, "applicant", user_json(s, pp[k].key));
			json_array_append_new(rows, x);
		}
	} else {
		for (int i = 0; i < nreqs; i++) {
			json_t *x = sums_json(&per[i]);
			static const int fields[] = {F_ID,          RQF_TYPE, RQF_CUSTOMER,
			                             RQF_APPLICANT, RQF_DATE, RQF_PURPOSE,
			                             RQF_GIFT_NAME};
			json_t *rj = record_to_json(&reqs[i], &lk, fields, 7);
			json_object_update(x, rj);
			json_decref(rj);
			const char *name = customer_name(s, reqs[i].v[RQF_CUSTOMER].i);
			json_object_set_new(x, "customer_name",
			                    name ? json_string(name) : json_null());
			json_array_append_new(rows, x);
		}
	}
	for (int i = 0; i < nreqs; i++) {
		total.requests++;
		total.budget += per[i].budget;
		total.actual += per[i].actual;
		total.unreported += per[i].unreported;
	}
	json_t *items = json_array();
	for (int k = 0; k < ncodes; k++) {
		json_t *x = sums_json(&isum[k]);
		kh_value cv = {.state = V_SET, .s = codes[k]};
		json_object_set_new(x, "item",
		                    value_to_json(&request_item_entity.fields[RIF_ITEM], &cv, &lk));
		json_array_append_new(items, x);
	}
	*out = json_pack("{s:s, s:s?, s:s?, s:o, s:o, s:o}", "by",
	                 per_person ? "person" : "request", "from", q.from, "to", q.to, "rows",
	                 rows, "items", items, "total", sums_json(&total));
	return 0;
}

/* Requests in the customer timeline: their writes have use cases of their own
 * (above), so only the timeline reads this; a draft is its applicant's alone. */
const record_kind request_kind = {
        .ent = &request_entity,
        .path = "requests",
        .customer_field = RQF_CUSTOMER,
        .date_field = RQF_DATE,
        .summary_field = RQF_PURPOSE,
        .amount_field = RQF_BUDGET_TOTAL,
        .write_perm = PERM_CUSTOMER_WRITE,
        .timeline_filter = "(status <> 'draft' OR applicant_id = ?)",
};
