/*
 * audit — every create, change (field, old, new), delete, restore, login
 * and failed login goes to the audit log in the same transaction as the
 * change itself. Reading it needs audit.read; personal data in it is
 * masked for readers without pii.unmask, like everywhere else.
 */
#include <stdlib.h>
#include <string.h>

#include "core/evaluation.h"
#include "core/mask.h"
#include "core/request.h"
#include "core/visit.h"
#include "service/internal.h"
#include "util/date.h"

static int audit_write(svc *s, const char *action, const char *entity, int64_t id, json_t *j)
{
	char *txt = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	audit_row r = {
	        .at = svc_now(s),
	        .user_id = s->actor.user_id,
	        .username = s->actor.username,
	        .origin = s->origin,
	        .action = action,
	        .entity = entity,
	        .entity_id = id,
	        .changes = txt,
	};
	int rc = store_audit_add(s->db, &r, s->err);
	free(txt);
	return rc;
}

int audit_event(svc *s, const char *action, const char *entity, int64_t id, json_t *details)
{
	return audit_write(s, action, entity, id, details);
}

int audit_change(svc *s, const char *action, const kh_entity *ent, int64_t id,
                 const kh_record *old_rec, const kh_record *new_rec)
{
	if (s->bulk_audit)
		return 0;
	json_t *changes = json_array();
	for (int i = F_NSYSTEM; i < ent->nfields && new_rec; i++) {
		const kh_field *f = &ent->fields[i];
		const kh_value *nv = &new_rec->v[i];
		if (nv->state == V_ABSENT)
			continue;
		const kh_value *ov = old_rec ? &old_rec->v[i] : NULL;
		if (ov && ov->state != V_ABSENT && value_equal(f->type, ov, nv))
			continue;
		if (!ov && nv->state == V_NULL)
			continue;
		json_t *c = json_object();
		json_object_set_new(c, "field", json_string(f->name));
		json_t *oj = ov ? value_to_json(f, ov, NULL) : NULL;
		json_object_set_new(c, "old", oj ? oj : json_null());
		json_t *nj = value_to_json(f, nv, NULL);
		json_object_set_new(c, "new", nj ? nj : json_null());
		json_array_append_new(changes, c);
	}
	if (old_rec && new_rec && json_array_size(changes) == 0 && strcmp(action, "update") == 0) {
		json_decref(changes);
		return 0; /* nothing changed: nothing to log */
	}
	return audit_write(s, action, ent->name, id, changes);
}

static const kh_entity *entity_named(const char *name)
{
	static const kh_entity *all[] = {
	        &customer_entity,    &contact_entity,      &user_entity,       &department_entity,
	        &dict_option_entity, &custom_field_entity, &visit_plan_entity, &visit_entity,
	        &visit_day_entity,   &request_entity};
	for (size_t i = 0; name && i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}

/* Mask PII values inside a changes array for a reader without pii.unmask. */
static const char *mask_changes(svc *s, const char *entity, const char *txt)
{
	const kh_entity *ent = entity_named(entity);
	if (!ent || !txt || svc_can(s, PERM_PII_UNMASK))
		return txt;
	json_t *arr = json_loads(txt, 0, NULL);
	if (!json_is_array(arr)) {
		json_decref(arr);
		return txt;
	}
	size_t i;
	json_t *c;
	json_array_foreach(arr, i, c)
	{
		const char *name = json_string_value(json_object_get(c, "field"));
		int f = name ? entity_field(ent, name) : -1;
		if (f < 0 || !(ent->fields[f].flags & (FF_PII | FF_PROFILE)))
			continue;
		const char *keys[] = {"old", "new"};
		for (int k = 0; k < 2; k++) {
			json_t *v = json_object_get(c, keys[k]);
			if (!json_is_string(v))
				continue;
			const char *m = (ent->fields[f].flags & FF_PROFILE)
			                        ? "****"
			                        : mask_text(s->a, ent->fields[f].mask,
			                                    json_string_value(v));
			json_object_set_new(c, keys[k], json_string(m));
		}
	}
	char *out = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	const char *res = arena_strdup(s->a, out);
	free(out);
	return res;
}

/* The kinds of record kept around a customer: an entry about one belongs to its customer. */
static const record_kind *const customer_kinds[] = {
        &followup_kind, &order_kind,   &opportunity_kind, &ticket_kind,         &visit_plan_kind,
        &visit_kind,    &request_kind, &evaluation_kind,  &countermeasure_kind,
};

/* Record id of ent, deleted or not, into out; false when it is gone. */
static bool load_any(svc *s, const kh_entity *ent, int64_t id, kh_record *out)
{
	kh_err e;
	err_init(&e, s->a, s->lang);
	return store_record_get(s->db, ent, id, true, s->a, out, &e) == 0;
}

/*
 * An audit entry about a customer, one of its contacts or a record kept
 * around it (follow-up, order, ..., an evaluation's scores) is shown only to a
 * reader who may see that customer, and a daily visit report only to one
 * whose scope covers its author: audit.read given to a scoped role must not
 * open a side door around the data scope.
 */
static bool audit_row_visible(svc *s, const audit_row *r)
{
	if (s->actor.system || s->actor.scope == SCOPE_ALL || !r->entity || !r->entity_id)
		return true;
	int64_t customer_id = 0;
	kh_record rec;
	if (!strcmp(r->entity, "customer")) {
		customer_id = r->entity_id;
	} else if (!strcmp(r->entity, "contact")) {
		if (!load_any(s, &contact_entity, r->entity_id, &rec))
			return false;
		customer_id = rec.v[KF_CUSTOMER].i;
	} else if (!strcmp(r->entity, "evaluation_score")) {
		kh_record ev;
		if (!load_any(s, &evaluation_score_entity, r->entity_id, &rec) ||
		    !load_any(s, &evaluation_entity, rec.v[ESF_EVALUATION].i, &ev))
			return false;
		customer_id = ev.v[evaluation_kind.customer_field].i;
	} else if (!strcmp(r->entity, "visit_day")) {
		if (!load_any(s, &visit_day_entity, r->entity_id, &rec))
			return false;
		int64_t owner = rec.v[VDF_OWNER].i;
		return owner == s->actor.user_id || scope_covers_user(s, owner);
	} else {
		const record_kind *k = NULL;
		for (size_t i = 0; i < sizeof(customer_kinds) / sizeof(customer_kinds[0]) && !k;
		     i++)
			if (!strcmp(r->entity, customer_kinds[i]->ent->name))
				k = customer_kinds[i];
		if (!k)
			return true;
		if (!load_any(s, k->ent, r->entity_id, &rec))
			return false;
		customer_id = rec.v[k->customer_field].i;
	}
	kh_record c;
	if (!load_any(s, &customer_entity, customer_id, &c))
		return false;
	return customer_visible(s, &c);
}

int svc_audit_list(svc *s, const kv *params, int nparams, audit_row **rows, int *n,
                   const char **next)
{
	if (require(s, PERM_AUDIT_READ) < 0)
		return -1;
	audit_query q = {.limit = 50};
	for (int i = 0; i < nparams; i++) {
		const char *k = params[i].key, *v = params[i].value;
		if (!strcmp(k, "entity")) {
			static const char *const events[] = {
			        "session", "role", "api_token", "settings", "approval_chain", NULL};
			bool known = entity_named(v) != NULL;
			for (int e = 0; events[e] && !known; e++)
				known = strcmp(events[e], v) == 0;
			if (!known)
				return err_field(s->err, "entity", N_("Unknown record type \"%s\""),
				                 v);
			q.entity = v;
		} else if (!strcmp(k, "entity_id")) {
			if (!svc_parse_id(v, &q.entity_id))
				return err_field(s->err, "entity_id", N_("Expected a positive id"));
		} else if (!strcmp(k, "user")) {
			if (!svc_parse_id(v, &q.user_id)) {
				if (svc_snapshot(s, -1) < 0)
					return -1;
				const kh_record *u = snap_user_by_name(s->snap, v);
				if (!u)
					return err_field(s->err, "user", N_("No such user: %s"), v);
				q.user_id = u->v[F_ID].i;
			}
		} else if (!strcmp(k, "action")) {
			q.action = v;
		} else if (!strcmp(k, "from") || !strcmp(k, "to")) {
			int64_t t;
			const char *stamp = v;
			char stamp_buf[TIME_LEN];
			if (svc_snapshot(s, -1) < 0)
				return -1;
			if (date_start_utc(v, !strcmp(k, "to") ? 1 : 0, s->snap->tz_minutes, &t)) {
				/* a date is a business day: "from" its start, "to" its end */
				time_format_iso(stamp_buf, t);
				stamp = stamp_buf;
			} else if (!time_parse_iso(v, &t)) {
				return err_field(
				        s->err, k,
				        N_("Expected a date like 2024-05-10 or a time like "
				           "2024-05-10T08:00:00Z"));
			}
			if (!strcmp(k, "from"))
				q.from = arena_strdup(s->a, stamp);
			else
				q.to = arena_strdup(s->a, stamp);
		} else if (!strcmp(k, "limit")) {
			int64_t l;
			if (!svc_parse_id(v, &l) || l > QUERY_MAX_LIMIT)
				return err_field(s->err, "limit", N_("limit must be 1 to %d"),
				                 QUERY_MAX_LIMIT);
			q.limit = (int)l;
		} else if (!strcmp(k, "after")) {
			if (!svc_parse_id(v, &q.before_id))
				return err_field(s->err, "after", N_("The cursor is not valid"));
		} else {
			err_field(s->err, k, N_("Unknown parameter \"%s\""), k);
			s->err->code = KH_EBADREQ; /* as for every list */
			return -1;
		}
	}
	/* fill the page with visible entries, reading on past hidden ones (bounded) */
	audit_row *out = arena_calloc(s->a, (size_t)q.limit + 1, sizeof(audit_row));
	int count = 0;
	bool more = false;
	int64_t last = 0;
	for (int round = 0; round < 20 && count < q.limit; round++) {
		audit_row *got;
		int ng;
		if (store_audit_list(s->db, &q, s->a, &got, &ng, &more, s->err) < 0)
			return -1;
		int i = 0;
		for (; i < ng && count < q.limit; i++) {
			last = got[i].id;
			if (!audit_row_visible(s, &got[i]))
				continue;
			out[count] = got[i];
			out[count].changes = mask_changes(s, got[i].entity, got[i].changes);
			count++;
		}
		if (i < ng)
			more = true; /* the page filled up before this batch ended */
		if (!more || ng == 0)
			break;
		q.before_id = last;
	}
	*rows = out;
	*n = count;
	*next = more && last ? arena_printf(s->a, "%lld", (long long)last) : NULL;
	return 0;
}
