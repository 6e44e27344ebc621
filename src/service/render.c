/*
 * render — see render.h.
 */
#include "service/render.h"

#include "service/internal.h"

#include <stdlib.h>

#include "util/buf.h"
#include "util/jsonw.h"

json_t *render_record(svc *s, const kh_record *r)
{
	kh_lookup lk = svc_lookup(s);
	return record_to_json(r, &lk, NULL, 0);
}

json_t *render_customer(svc *s, const kh_record *c, const kh_record *contacts, int n)
{
	json_t *o = render_record(s, c);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, render_record(s, &contacts[i]));
	json_object_set_new(o, "contacts", arr);
	return o;
}

char *render_page_text(svc *s, const list_page *p, size_t *len)
{
	kh_lookup lk = svc_lookup(s);
	buf b;
	buf_init(&b, 0);
	if (buf_reserve(&b, (size_t)p->n * 1024 + 64) < 0) /* about a row's size: one allocation */
		abort();
	jsonw w;
	jsonw_init(&w, &b);
	jsonw_object(&w);
	jsonw_key(&w, "items");
	jsonw_array(&w);
	for (int i = 0; i < p->n; i++) {
		record_write(&w, &p->rows[i], &lk, p->fields, p->nfields, false);
		if (p->primary) {
			const primary_contact *pc = &p->primary[i];
			jsonw_key(&w, "primary_contact");
			if (pc->id) {
				jsonw_object(&w);
				jsonw_key(&w, "id");
				jsonw_int(&w, pc->id);
				jsonw_key(&w, "name");
				jsonw_string(&w, pc->name);
				jsonw_key(&w, "phone");
				jsonw_string(&w, pc->phone);
				jsonw_object_end(&w);
			} else {
				jsonw_null(&w);
			}
		}
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_key(&w, "next");
	jsonw_string(&w, p->next);
	jsonw_object_end(&w);
	return buf_detach(&b, len);
}

json_t *render_page(svc *s, const list_page *p)
{
	size_t len;
	char *text = render_page_text(s, p, &len);
	json_t *j = json_loadb(text, len, 0, NULL);
	free(text);
	return j;
}

json_t *render_perms(uint32_t perms)
{
	json_t *arr = json_array();
	for (uint32_t bit = 1; bit & PERM__ALL; bit <<= 1)
		if (perms & bit)
			json_array_append_new(arr, json_string(perm_name((kh_perm)bit)));
	return arr;
}

json_t *render_user(svc *s, const kh_record *u, bool with_perms)
{
	json_t *o = render_record(s, u);
	if (with_perms) {
		uint32_t perms = s->actor.user_id == u->v[F_ID].i ? s->actor.perms : 0;
		kh_scope scope = s->actor.user_id == u->v[F_ID].i ? s->actor.scope : SCOPE_NONE;
		json_object_set_new(o, "permissions", render_perms(perms));
		json_object_set_new(o, "effective_scope", json_string(scope_code(scope)));
	}
	return o;
}

json_t *render_role(const role_row *row)
{
	const role_default *d = role_default_find(row->code);
	return json_pack("{s:s, s:s, s:s, s:o, s:s, s:I}", "code", row->code, "zh",
	                 d ? tr(KH_LANG_ZH, d->label) : row->code, "en", d ? d->label : row->code,
	                 "permissions", render_perms(row->perms), "scope",
	                 scope_code((kh_scope)row->scope), "version", (json_int_t)row->version);
}

json_t *render_option(const dict_option *o)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:i, s:b}", "id", (json_int_t)o->id,
	                 "version", (json_int_t)o->version, "kind", o->kind, "code", o->code,
	                 "label_zh", o->label_zh, "label_en", o->label_en, "sort_order",
	                 o->sort_order, "retired", o->retired);
}

json_t *render_audit(const audit_row *r)
{
	json_t *changes = r->changes ? json_loads(r->changes, 0, NULL) : NULL;
	json_t *o = json_pack("{s:I, s:s, s:s?, s:s?, s:s, s:s?, s:o?}", "id", (json_int_t)r->id,
	                      "at", r->at, "username", r->username, "origin", r->origin, "action",
	                      r->action, "entity", r->entity, "changes", changes);
	json_object_set_new(o, "user_id", r->user_id ? json_integer(r->user_id) : json_null());
	json_object_set_new(o, "entity_id",
	                    r->entity_id ? json_integer(r->entity_id) : json_null());
	return o;
}

json_t *render_history(svc *s, const record_kind *k, const history_row *rows, int n)
{
	kh_lookup lk = svc_lookup(s);
	const kh_field *state = &k->ent->fields[k->history_field];
	const kh_field *user = &k->ent->fields[F_CREATED_BY];
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		kh_value sv = {.state = V_SET, .s = rows[i].state};
		kh_value uv = {.state = rows[i].user_id ? V_SET : V_NULL, .i = rows[i].user_id};
		json_array_append_new(arr,
		                      json_pack("{s:o, s:s, s:o}", state->name,
		                                value_to_json(state, &sv, &lk), "at", rows[i].at,
		                                "by", value_to_json(user, &uv, &lk)));
	}
	return json_pack("{s:o}", "items", arr);
}

json_t *render_timeline(svc *s, const timeline_page *p)
{
	json_t *arr = json_array();
	for (int i = 0; i < p->n; i++) {
		const timeline_entry *e = &p->items[i];
		json_array_append_new(
		        arr,
		        json_pack("{s:s, s:s, s:I, s:s, s:s?, s:o, s:s}", "kind",
		                  e->kind->ent->name, "kind_label",
		                  tr(s->lang, e->kind->ent->label), "id", (json_int_t)e->id, "at",
		                  e->at, "summary", e->summary, "amount",
		                  e->has_amount ? json_integer(e->amount) : json_null(), "href",
		                  arena_printf(s->a, "/api/v1/%s/%lld", e->kind->path,
		                               (long long)e->id)));
	}
	return json_pack("{s:o, s:s?}", "items", arr, "next", p->next);
}

json_t *render_children(svc *s, const record_kind *k, const child_rows *ch)
{
	kh_lookup lk = svc_lookup(s);
	json_t *a = json_array();
	for (int i = 0; k->children && i < ch->n; i++)
		json_array_append_new(a, record_to_json(&ch->rows[i], &lk, k->children->fields,
		                                        k->children->nfields));
	return a;
}
