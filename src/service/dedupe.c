/*
 * dedupe — duplicate customers already in the database (DESIGN 3): finding
 * them in groups, merging two or more into one, and undoing a merge.
 *
 * Finding reads the store's indexed groups (name key, contact phone, credit
 * code) within the actor's scope and shows each customer masked as a list
 * does. A merge moves every row of the merged customers' tables
 * (store_customer_tables) to the one kept, in one transaction, and records
 * in customer_merges exactly which rows moved and what it changed on the kept
 * customer, so that an undo can put back that state: the rows return to their
 * customers with whatever was changed on them since (the change was about the
 * same record), rows added to the kept customer since stay with it, and the
 * undo is refused, naming the cause, only when the state it would restore is
 * gone (a merged customer restored or changed, the kept one deleted or merged
 * in turn, a picked field edited since).
 */
#include <stdlib.h>
#include <string.h>

#include "core/activity.h"
#include "core/evaluation.h"
#include "core/mask.h"
#include "core/phone.h"
#include "service/internal.h"

/* ---- finding ---- */

static const struct {
	const char *name;
	dup_by by;
} dup_kinds[] = {
        {"name", DUP_NAME},
        {"phone", DUP_PHONE},
        {"credit_code", DUP_CREDIT_CODE},
};
#define NKINDS ((int)(sizeof(dup_kinds) / sizeof(dup_kinds[0])))

/* The fields of a customer shown in a group. */
static const int group_fields[] = {F_ID,           F_VERSION,     CF_CODE,        CF_NAME,
                                   CF_CREDIT_CODE, CF_OWNER,      CF_DEPARTMENT,  CF_STATUS,
                                   CF_STAGE,       CF_DEAL_COUNT, CF_DEAL_AMOUNT, F_CREATED_AT};

/* A cursor names the group to go on after by one of its members (a customer,
 * or for phones a contact): "name:12", "phone:345"; it shows no key. */
static int parse_cursor(svc *s, const char *after, int *kind, const char **key)
{
	const char *colon = strchr(after, ':');
	int64_t id;
	if (colon) {
		for (int k = 0; k < NKINDS; k++) {
			size_t n = strlen(dup_kinds[k].name);
			if ((size_t)(colon - after) == n && !strncmp(after, dup_kinds[k].name, n) &&
			    svc_parse_id(colon + 1, &id)) {
				*kind = k;
				if (store_dup_key_of(s->db, dup_kinds[k].by, id, s->a, key,
				                     s->err) < 0)
					return -1;
				if (!*key)
					*key = ""; /* gone: start that kind again */
				return 0;
			}
		}
	}
	return err_field(s->err, "after", N_("The cursor is not valid"));
}

static int load_group(svc *s, int k, const char *key, const kh_scope_filter *scope, dup_group *g,
                      const char **cursor)
{
	dup_by by = dup_kinds[k].by;
	int64_t *ids;
	int n;
	if (store_dup_members(s->db, by, key, scope, DUP_MAX_MEMBERS, s->a, &ids, &n, s->err) < 0)
		return -1;
	g->by = dup_kinds[k].name;
	g->key = key;
	g->customers = arena_calloc(s->a, (size_t)n + 1, sizeof(kh_record));
	g->n = 0;
	for (int i = 0; i < n; i++) {
		kh_record *c = &g->customers[g->n];
		if (store_record_get(s->db, &customer_entity, ids[i], false, s->a, c, s->err) < 0)
			return -1;
		if (!customer_visible(s, c))
			continue;
		mask_for_actor(s, c);
		g->n++;
	}
	int64_t rep = n ? ids[0] : 0;
	if (by == DUP_PHONE) {
		if (!svc_can(s, PERM_PII_UNMASK))
			g->key = phone_mask(s->a, key);
		if (store_dup_phone_contact(s->db, key, &rep, s->err) < 0)
			return -1;
	}
	if (rep) /* else (every member gone meanwhile) the cursor stays on the group before */
		*cursor = arena_printf(s->a, "%s:%lld", dup_kinds[k].name, (long long)rep);
	return 0;
}

int svc_dup_find(svc *s, const kv *params, int nparams, dup_page *page)
{
	memset(page, 0, sizeof(*page));
	if (require(s, PERM_CUSTOMER_READ) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	int first = 0, last = NKINDS - 1, limit = 20;
	const char *after = NULL;
	for (int i = 0; i < nparams; i++) {
		const char *k = params[i].key, *v = params[i].value ? params[i].value : "";
		if (!strcmp(k, "by")) {
			int found = -1;
			for (int j = 0; j < NKINDS; j++)
				if (!strcmp(v, dup_kinds[j].name))
					found = j;
			if (found >= 0)
				first = last = found;
			else if (strcmp(v, "any") != 0)
				return err_field(s->err, "by",
				                 N_("by must be name, phone, credit_code or any"));
		} else if (!strcmp(k, "limit")) {
			int64_t l;
			if (!svc_parse_id(v, &l) || l > DUP_MAX_GROUPS)
				return err_field(s->err, "limit", N_("limit must be 1 to %d"),
				                 DUP_MAX_GROUPS);
			limit = (int)l;
		} else if (!strcmp(k, "after")) {
			after = v;
		} else {
			err_field(s->err, k, N_("Unknown parameter \"%s\""), k);
			s->err->code = KH_EBADREQ;
			return -1;
		}
	}
	const char *from_key = NULL;
	if (after && *after) {
		int kind = 0;
		if (parse_cursor(s, after, &kind, &from_key) < 0)
			return -1;
		if (kind < first || kind > last)
			return err_field(s->err, "after", N_("The cursor is not valid"));
		first = kind;
	}
	kh_scope_filter scope;
	if (scope_filter(s, &scope) < 0)
		return -1;
	page->groups = arena_calloc(s->a, (size_t)limit + 1, sizeof(dup_group));
	const char *cursor = NULL;
	bool more = false;
	for (int k = first; k <= last && page->n < limit; k++) {
		const char *from = k == first ? from_key : NULL;
		int n;
		/* a key's group may show fewer than two customers (one of them deleted, or
		 * changed since): read on in this kind until the page is full */
		do {
			const char **keys;
			if (store_dup_keys(s->db, dup_kinds[k].by, &scope, from, limit - page->n,
			                   s->a, &keys, &n, &more, s->err) < 0)
				return -1;
			for (int i = 0; i < n; i++) {
				dup_group *g = &page->groups[page->n];
				if (load_group(s, k, keys[i], &scope, g, &cursor) < 0)
					return -1;
				if (g->n > 1)
					page->n++;
			}
			if (n)
				from = keys[n - 1];
		} while (more && n && page->n < limit);
		more = more || (page->n == limit && k < last);
	}
	page->next = more ? cursor : NULL;
	return 0;
}

json_t *svc_dup_json(svc *s, const dup_page *p)
{
	kh_lookup lk = svc_lookup(s);
	json_t *items = json_array();
	for (int i = 0; i < p->n; i++) {
		const dup_group *g = &p->groups[i];
		json_t *cs = json_array();
		for (int k = 0; k < g->n; k++)
			json_array_append_new(cs,
			                      record_to_json(&g->customers[k], &lk, group_fields,
			                                     (int)(sizeof(group_fields) /
			                                           sizeof(group_fields[0]))));
		json_array_append_new(items, json_pack("{s:s, s:s, s:o}", "by", g->by, "key",
		                                       g->key, "customers", cs));
	}
	return json_pack("{s:o, s:o}", "items", items, "next",
	                 p->next ? json_string(p->next) : json_null());
}

/* ---- values kept for an undo ---- */

static json_t *value_json(const kh_field *f, const kh_value *v)
{
	if (v->state != V_SET)
		return json_null();
	if (field_is_int(f->type))
		return json_integer((json_int_t)v->i);
	return json_string(v->s);
}

static void value_from_json(const kh_field *f, json_t *j, kh_value *v, arena *a)
{
	if (!j || json_is_null(j)) {
		v->state = V_NULL;
		return;
	}
	v->state = V_SET;
	if (field_is_int(f->type))
		v->i = (int64_t)json_integer_value(j);
	else
		v->s = arena_strdup(a, json_string_value(j) ? json_string_value(j) : "");
}

/* ---- merging ---- */

/* What a merge may copy onto the kept customer from another one. */
static bool pickable(const kh_field *f, int i)
{
	return i >= F_NSYSTEM && i != CF_CODE &&
	       !(f->flags & (FF_SYSTEM | FF_DERIVED | FF_READONLY | FF_CREATE_ONLY));
}

/* The customer's derived data from its records: totals, sales sums, stage, the
 * next step of its latest follow-up, the advice of its latest evaluation, search. */
static int rederive(svc *s, int64_t id)
{
	if (store_customer_recompute(s->db, id, s->err) < 0 ||
	    store_sales_rebuild_customer(s->db, id, s->err) < 0 || customer_restage(s, id) < 0)
		return -1;
	kh_record latest;
	bool found;
	if (store_latest_followup(s->db, &followup_entity, id, s->a, &latest, &found, s->err) < 0)
		return -1;
	if (found && store_customer_set_next(s->db, id, record_text(&latest, UPF_NEXT_STEP),
	                                     record_text(&latest, UPF_NEXT_STEP_DUE), s->err) < 0)
		return -1;
	if (store_latest_record(s->db, &evaluation_entity, id, s->a, &latest, &found, s->err) < 0)
		return -1;
	if (found && store_customer_set_relationship(s->db, id, record_text(&latest, EVF_ADVICE),
	                                             s->err) < 0)
		return -1;
	return store_customer_sync(s->db, id, s->err);
}

static int lock_all(svc *s, int64_t into, const int64_t *from, int n)
{
	/* in id order, so two merges over the same customers queue instead of deadlocking */
	int64_t *ids = arena_calloc(s->a, (size_t)n + 1, sizeof(int64_t));
	ids[0] = into;
	memcpy(ids + 1, from, sizeof(int64_t) * (size_t)n);
	for (int i = 1; i <= n; i++)
		for (int j = i; j > 0 && ids[j] < ids[j - 1]; j--) {
			int64_t t = ids[j];
			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
	for (int i = 0; i <= n; i++)
		if (store_lock(s->db, &customer_entity, ids[i], s->err) < 0)
			return -1;
	return 0;
}

static int check_request(svc *s, const merge_request *m)
{
	if (m->nfrom < 1 || m->nfrom > MERGE_MAX_FROM)
		return err_field(s->err, "from", N_("Give 1 to %d customers to merge into it"),
		                 MERGE_MAX_FROM);
	for (int i = 0; i < m->nfrom; i++) {
		if (m->from[i] == m->into)
			err_field(s->err, arena_printf(s->a, "from[%d]", i),
			          N_("A customer cannot be merged into itself"));
		for (int j = 0; j < i; j++)
			if (m->from[j] == m->from[i])
				err_field(s->err, arena_printf(s->a, "from[%d]", i),
				          N_("Customer %lld is named twice"),
				          (long long)m->from[i]);
	}
	return s->err->code == KH_OK ? 0 : -1;
}

/* Load the customers of a merge; versions given must still be theirs. */
static int load_parties(svc *s, const merge_request *m, kh_record *into, kh_record *from)
{
	for (int i = 0; i <= m->nfrom; i++) {
		kh_record *c = i ? &from[i - 1] : into;
		int64_t id = i ? m->from[i - 1] : m->into;
		if (customer_load(s, id, false, c) < 0)
			return -1;
		if (record_int(c, CF_IN_POOL, 0) && !svc_can(s, PERM_CUSTOMER_ASSIGN))
			return err_set(
			        s->err, KH_EFORBIDDEN,
			        N_("Customer %lld is in the pool: claim it before merging it"),
			        (long long)id);
		int64_t want = m->versions ? m->versions[i] : -1;
		if (want >= 0 && want != c->v[F_VERSION].i)
			return err_set(s->err, KH_ECONFLICT,
			               N_("Customer %lld was changed by someone else (now version "
			                  "%lld): look at it again"),
			               (long long)id, (long long)c->v[F_VERSION].i);
	}
	return 0;
}

/* The kept customer's changes: picked fields and the merged opening balances. */
static int build_patch(svc *s, const merge_request *m, const kh_record *into, const kh_record *from,
                       kh_record *patch)
{
	record_init(patch, &customer_entity, s->a);
	for (int i = 0; i < m->npicks; i++) {
		const char *name = m->picks[i].field;
		int f = entity_field(&customer_entity, name);
		const char *errname = arena_printf(s->a, "fields.%s", name);
		if (f < 0 || !pickable(&customer_entity.fields[f], f)) {
			err_field(s->err, errname, N_("%s cannot be taken from another customer"),
			          name);
			continue;
		}
		const kh_record *src = NULL;
		if (m->picks[i].source == m->into)
			src = into;
		for (int k = 0; k < m->nfrom; k++)
			if (m->picks[i].source == m->from[k])
				src = &from[k];
		if (!src) {
			err_field(s->err, errname,
			          N_("Take the value from one of the customers being merged"));
			continue;
		}
		if (src == into)
			continue;
		patch->v[f] = src->v[f];
		if (patch->v[f].state == V_ABSENT)
			patch->v[f].state = V_NULL;
	}
	if (s->err->code != KH_OK)
		return -1;
	if (record_is_set(patch, CF_OWNER) &&
	    patch->v[CF_OWNER].i != record_int(into, CF_OWNER, 0) &&
	    customer_check_owner(s, patch->v[CF_OWNER].i, "fields.owner") < 0)
		return -1;
	/* what each did before kehu adds up: deal counts and amounts sum, dates widen */
	int64_t count = record_int(into, CF_OPENING_DEAL_COUNT, 0);
	int64_t amount = record_int(into, CF_OPENING_DEAL_AMOUNT, 0);
	const char *first = record_text(into, CF_OPENING_FIRST_DEAL_DATE);
	const char *last = record_text(into, CF_OPENING_LAST_DEAL_DATE);
	const char *followup = record_text(into, CF_OPENING_LAST_FOLLOWUP_DATE);
	for (int k = 0; k < m->nfrom; k++) {
		const kh_record *c = &from[k];
		const char *v;
		count += record_int(c, CF_OPENING_DEAL_COUNT, 0);
		amount += record_int(c, CF_OPENING_DEAL_AMOUNT, 0);
		if ((v = record_text(c, CF_OPENING_FIRST_DEAL_DATE)) &&
		    (!first || strcmp(v, first) < 0))
			first = v;
		if ((v = record_text(c, CF_OPENING_LAST_DEAL_DATE)) &&
		    (!last || strcmp(v, last) > 0))
			last = v;
		if ((v = record_text(c, CF_OPENING_LAST_FOLLOWUP_DATE)) &&
		    (!followup || strcmp(v, followup) > 0))
			followup = v;
	}
	record_set_int(patch, CF_OPENING_DEAL_COUNT, count);
	record_set_int(patch, CF_OPENING_DEAL_AMOUNT, amount);
	record_set_text(patch, CF_OPENING_FIRST_DEAL_DATE, first);
	record_set_text(patch, CF_OPENING_LAST_DEAL_DATE, last);
	record_set_text(patch, CF_OPENING_LAST_FOLLOWUP_DATE, followup);
	return 0;
}

/* Move every row of customer from to into; moved[table] = [[id, version], ...]. */
static int move_rows(svc *s, int64_t from, int64_t into, json_t *moved, json_t *counts,
                     int64_t *demoted)
{
	primary_contact pc;
	*demoted = 0;
	if (store_primary_contacts(s->db, &from, 1, s->a, &pc, s->err) < 0)
		return -1;
	/* into keeps its own primary contact; from's is one no more */
	if (pc.id && store_contact_set_primary(s->db, pc.id, false, s->err) < 0)
		return -1;
	*demoted = pc.id;
	for (int t = 0; store_customer_tables[t]; t++) {
		const char *table = store_customer_tables[t];
		int64_t *ids, *versions;
		int n;
		if (store_rows_move(s->db, table, from, into, 0, svc_now(s), s->a, &ids, &versions,
		                    &n, s->err) < 0)
			return -1;
		if (!n)
			continue;
		json_t *rows = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(rows, json_pack("[I, I]", (json_int_t)ids[i],
			                                      (json_int_t)versions[i]));
		json_object_set_new(moved, table, rows);
		json_t *c = json_object_get(counts, table);
		json_object_set_new(counts, table,
		                    json_integer((c ? json_integer_value(c) : 0) + (json_int_t)n));
	}
	return 0;
}

int svc_merge(svc *s, const merge_request *m, int64_t *merge_id)
{
	if (require(s, PERM_CUSTOMER_WRITE) < 0 || require(s, PERM_CUSTOMER_DELETE) < 0 ||
	    svc_snapshot(s, -1) < 0 || check_request(s, m) < 0)
		return -1;
	kh_record into, *from = arena_calloc(s->a, (size_t)m->nfrom, sizeof(kh_record));
	kh_record patch;
	if (load_parties(s, m, &into, from) < 0 || build_patch(s, m, &into, from, &patch) < 0)
		return -1;
	int64_t into_version =
	        m->versions && m->versions[0] >= 0 ? m->versions[0] : into.v[F_VERSION].i;
	json_t *moved = json_object(), *counts = json_object(), *from_state = json_object();
	json_t *before = json_object(), *after = json_object(), *from_ids = json_array();
	json_t *demoted = json_array(), *picked = json_object();
	primary_contact pc;
	int rc = -1;
	bool new_owner;
	if (store_begin(s->db, s->err) < 0)
		goto out;
	if (lock_all(s, m->into, m->from, m->nfrom) < 0)
		goto fail;
	for (int k = 0; k < m->nfrom; k++) {
		int64_t id = m->from[k];
		int64_t version = m->versions && m->versions[k + 1] >= 0 ? m->versions[k + 1]
		                                                         : from[k].v[F_VERSION].i;
		json_t *rows = json_object();
		int64_t was_primary;
		json_object_set_new(moved, arena_printf(s->a, "%lld", (long long)id), rows);
		if (move_rows(s, id, m->into, rows, counts, &was_primary) < 0)
			goto fail;
		if (was_primary)
			json_array_append_new(demoted, json_integer((json_int_t)was_primary));
		/* deleted first: a credit code picked from it is free for into then */
		if (store_record_mark_deleted(s->db, &customer_entity, id, version, true,
		                              svc_now(s), s->err) < 0 ||
		    store_customer_set_merged(s->db, id, m->into, s->err) < 0)
			goto fail;
		json_array_append_new(from_ids, json_integer((json_int_t)id));
		json_object_set_new(from_state, arena_printf(s->a, "%lld", (long long)id),
		                    json_integer((json_int_t)version + 1));
	}
	new_owner = record_is_set(&patch, CF_OWNER) &&
	            patch.v[CF_OWNER].i != record_int(&into, CF_OWNER, 0);
	if (new_owner && customer_owner_department(s, &patch, patch.v[CF_OWNER].i) < 0)
		goto fail;
	for (int f = F_NSYSTEM; f < customer_entity.nfields; f++) {
		const kh_field *fd = &customer_entity.fields[f];
		if (patch.v[f].state == V_ABSENT)
			continue;
		json_object_set_new(before, fd->name, value_json(fd, &into.v[f]));
		json_object_set_new(after, fd->name, value_json(fd, &patch.v[f]));
	}
	if (store_record_update(s->db, &patch, m->into, into_version, svc_now(s), s->err) < 0)
		goto fail;
	if (store_primary_contacts(s->db, &m->into, 1, s->a, &pc, s->err) < 0)
		goto fail;
	if (!pc.id && store_contact_promote(s->db, m->into, svc_now(s), s->err) < 0)
		goto fail;
	if (rederive(s, m->into) < 0)
		goto fail;
	for (int k = 0; k < m->nfrom; k++)
		if (rederive(s, m->from[k]) < 0)
			goto fail;
	for (int i = 0; i < m->npicks; i++)
		if (m->picks[i].source != m->into)
			json_object_set_new(picked, m->picks[i].field,
			                    json_integer((json_int_t)m->picks[i].source));
	json_t *state_before = json_pack("{s:O, s:O, s:s*, s:s*}", "into", before, "demoted",
	                                 demoted, "next_step", record_text(&into, CF_NEXT_STEP),
	                                 "next_step_due", record_text(&into, CF_NEXT_STEP_DUE));
	json_t *state_after =
	        json_pack("{s:O, s:I, s:O, s:O}", "into", after, "into_version",
	                  (json_int_t)into_version + 1, "from", from_state, "picked", picked);
	char *from_text = json_dumps(from_ids, JSON_COMPACT);
	char *moved_text = json_dumps(moved, JSON_COMPACT);
	char *before_text = json_dumps(state_before, JSON_COMPACT);
	char *after_text = json_dumps(state_after, JSON_COMPACT);
	json_decref(state_before);
	json_decref(state_after);
	merge_row row = {.created_at = svc_now(s),
	                 .created_by = s->actor.user_id,
	                 .into_id = m->into,
	                 .from_ids = from_text,
	                 .moved = moved_text,
	                 .before_state = before_text,
	                 .after_state = after_text};
	rc = store_merge_insert(s->db, &row, merge_id, s->err);
	free(from_text);
	free(moved_text);
	free(before_text);
	free(after_text);
	if (rc < 0)
		goto fail;
	/* one event says it all: which customers, what moved (ids), what was picked */
	if (audit_event(s, "merge", "customer", m->into,
	                json_pack("{s:I, s:O, s:O, s:O, s:O}", "merge_id", (json_int_t)*merge_id,
	                          "from", from_ids, "moved", moved, "counts", counts, "fields",
	                          picked)) < 0)
		goto fail;
	rc = commit_or_rollback(s);
	goto done;
fail:
	store_rollback(s->db);
out:
	rc = -1;
done:
	json_decref(moved);
	json_decref(counts);
	json_decref(from_state);
	json_decref(before);
	json_decref(after);
	json_decref(from_ids);
	json_decref(demoted);
	json_decref(picked);
	return rc;
}

/* ---- undoing ---- */

static int undo_refused(svc *s, const char *msgid, int64_t id)
{
	err_clear(s->err);
	return err_set(s->err, KH_ESTATE, msgid, (long long)id);
}

/* The from customers of a merge, live again as they were when merged. */
static int check_from(svc *s, const merge_row *m, json_t *from_ids, json_t *from_versions)
{
	size_t i;
	json_t *v;
	json_array_foreach(from_ids, i, v)
	{
		int64_t id = (int64_t)json_integer_value(v);
		kh_record c;
		if (customer_load(s, id, true, &c) < 0)
			return -1;
		json_t *want =
		        json_object_get(from_versions, arena_printf(s->a, "%lld", (long long)id));
		if (!record_is_set(&c, F_DELETED_AT) ||
		    record_int(&c, CF_MERGED_INTO, 0) != m->into_id || !want ||
		    c.v[F_VERSION].i != (int64_t)json_integer_value(want))
			return undo_refused(
			        s,
			        N_("Customer %lld was restored or changed since the merge: "
			           "the merge cannot be undone"),
			        id);
	}
	return 0;
}

/* The kept customer's fields as the merge left them, and the patch putting back
 * what they were before it. */
static int into_patch(svc *s, const kh_record *into, json_t *before, json_t *after,
                      kh_record *patch)
{
	record_init(patch, &customer_entity, s->a);
	const char *name;
	json_t *v;
	json_object_foreach(after, name, v)
	{
		int f = entity_field(&customer_entity, name);
		if (f < 0)
			continue;
		const kh_field *fd = &customer_entity.fields[f];
		kh_value now;
		value_from_json(fd, v, &now, s->a);
		kh_value have = into->v[f];
		if (have.state == V_ABSENT)
			have.state = V_NULL;
		if (!value_equal(fd->type, &now, &have)) {
			err_clear(s->err);
			return err_set(
			        s->err, KH_ESTATE,
			        N_("%s of customer %lld was changed since the merge: set it back "
			           "to undo the merge"),
			        field_label(fd, s->lang), (long long)into->v[F_ID].i);
		}
		value_from_json(fd, json_object_get(before, name), &patch->v[f], s->a);
	}
	return 0;
}

/* Every moved row back to the customer it came from. */
static int move_back(svc *s, int64_t into, json_t *moved)
{
	const char *from_key;
	json_t *tables;
	json_object_foreach(moved, from_key, tables)
	{
		int64_t from;
		if (!svc_parse_id(from_key, &from))
			return err_set(s->err, KH_EINTERNAL, NULL);
		const char *table;
		json_t *rows;
		json_object_foreach(tables, table, rows)
		{
			size_t i;
			json_t *row;
			json_array_foreach(rows, i, row)
			{
				int64_t rid = (int64_t)json_integer_value(json_array_get(row, 0));
				int64_t *ids, *versions;
				int n;
				if (store_rows_move(s->db, table, into, from, rid, svc_now(s), s->a,
				                    &ids, &versions, &n, s->err) < 0)
					return -1;
				if (n != 1)
					return undo_refused(
					        s,
					        N_("A record the merge moved is no longer with "
					           "customer %lld: the merge cannot be undone"),
					        into);
				/* the customer's own primary contact is set again below */
				if (!strcmp(table, "contacts") &&
				    store_contact_set_primary(s->db, rid, false, s->err) < 0)
					return -1;
			}
		}
	}
	return 0;
}

int svc_merge_undo(svc *s, int64_t id)
{
	if (require(s, PERM_CUSTOMER_WRITE) < 0 || require(s, PERM_CUSTOMER_DELETE) < 0 ||
	    svc_snapshot(s, -1) < 0)
		return -1;
	merge_row m;
	kh_record into, patch;
	json_t *from_ids = NULL, *moved = NULL, *before = NULL, *after = NULL;
	int rc = -1;
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (svc_merge_get(s, id, &m) < 0)
		goto fail;
	if (m.undone_at) {
		undo_refused(s, N_("Merge %lld was already undone"), id);
		goto fail;
	}
	from_ids = json_loads(m.from_ids, 0, NULL);
	moved = json_loads(m.moved, 0, NULL);
	before = json_loads(m.before_state, 0, NULL);
	after = json_loads(m.after_state, 0, NULL);
	if (!from_ids || !moved || !before || !after) {
		err_set(s->err, KH_EINTERNAL, NULL);
		goto fail;
	}
	size_t nfrom = json_array_size(from_ids);
	int64_t *from = arena_calloc(s->a, nfrom + 1, sizeof(int64_t));
	for (size_t i = 0; i < nfrom; i++)
		from[i] = (int64_t)json_integer_value(json_array_get(from_ids, i));
	if (lock_all(s, m.into_id, from, (int)nfrom) < 0 ||
	    customer_load(s, m.into_id, true, &into) < 0)
		goto fail;
	if (record_is_set(&into, F_DELETED_AT)) {
		undo_refused(
		        s,
		        N_("Customer %lld was deleted or merged since: restore it, or undo that "
		           "merge, first"),
		        m.into_id);
		goto fail;
	}
	if (check_from(s, &m, from_ids, json_object_get(after, "from")) < 0 ||
	    into_patch(s, &into, json_object_get(before, "into"), json_object_get(after, "into"),
	               &patch) < 0)
		goto fail;
	if (store_record_update(s->db, &patch, m.into_id, into.v[F_VERSION].i, svc_now(s), s->err) <
	            0 ||
	    move_back(s, m.into_id, moved) < 0)
		goto fail;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(before, "demoted"), i, v)
	{
		if (store_contact_set_primary(s->db, (int64_t)json_integer_value(v), true, s->err) <
		    0)
			goto fail;
	}
	for (size_t k = 0; k < nfrom; k++) {
		json_t *ver = json_object_get(json_object_get(after, "from"),
		                              arena_printf(s->a, "%lld", (long long)from[k]));
		if (store_record_mark_deleted(s->db, &customer_entity, from[k],
		                              (int64_t)json_integer_value(ver), false, svc_now(s),
		                              s->err) < 0 ||
		    store_customer_set_merged(s->db, from[k], 0, s->err) < 0 ||
		    store_contact_promote(s->db, from[k], svc_now(s), s->err) < 0 ||
		    rederive(s, from[k]) < 0)
			goto fail;
	}
	kh_record latest;
	bool found;
	if (store_contact_promote(s->db, m.into_id, svc_now(s), s->err) < 0 ||
	    rederive(s, m.into_id) < 0 ||
	    store_latest_followup(s->db, &followup_entity, m.into_id, s->a, &latest, &found,
	                          s->err) < 0)
		goto fail;
	/* with no follow-up of its own left, into's next step is the one it had */
	if (!found &&
	    store_customer_set_next(
	            s->db, m.into_id, json_string_value(json_object_get(before, "next_step")),
	            json_string_value(json_object_get(before, "next_step_due")), s->err) < 0)
		goto fail;
	if (store_merge_undone(s->db, id, m.version, svc_now(s), s->actor.user_id, s->err) < 0 ||
	    audit_event(s, "unmerge", "customer", m.into_id,
	                json_pack("{s:I, s:O}", "merge_id", (json_int_t)id, "from", from_ids)) < 0)
		goto fail;
	rc = commit_or_rollback(s);
	goto out;
fail:
	store_rollback(s->db);
out:
	json_decref(from_ids);
	json_decref(moved);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* ---- the merges kept ---- */

int svc_merge_get(svc *s, int64_t id, merge_row *out)
{
	if (require(s, PERM_CUSTOMER_READ) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	if (store_merge_get(s->db, id, s->a, out, s->err) < 0) {
		if (s->err->code == KH_ENOTFOUND)
			return err_set(s->err, KH_ENOTFOUND, N_("Merge %lld not found"),
			               (long long)id);
		return -1;
	}
	kh_record into;
	if (store_record_get(s->db, &customer_entity, out->into_id, true, s->a, &into, s->err) < 0)
		return -1;
	if (!customer_visible(s, &into)) {
		err_clear(s->err);
		return err_set(s->err, KH_ENOTFOUND, N_("Merge %lld not found"), (long long)id);
	}
	return 0;
}

int svc_merge_list(svc *s, const kv *params, int nparams, merge_row **rows, int *n,
                   const char **next)
{
	*n = 0;
	*next = NULL;
	if (require(s, PERM_CUSTOMER_READ) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	int limit = QUERY_DEFAULT_LIMIT;
	int64_t before = 0;
	for (int i = 0; i < nparams; i++) {
		const char *k = params[i].key, *v = params[i].value ? params[i].value : "";
		int64_t x;
		if (!strcmp(k, "limit")) {
			if (!svc_parse_id(v, &x) || x > QUERY_MAX_LIMIT)
				return err_field(s->err, "limit", N_("limit must be 1 to %d"),
				                 QUERY_MAX_LIMIT);
			limit = (int)x;
		} else if (!strcmp(k, "after")) {
			if (!svc_parse_id(v, &before))
				return err_field(s->err, "after", N_("The cursor is not valid"));
		} else {
			err_field(s->err, k, N_("Unknown parameter \"%s\""), k);
			s->err->code = KH_EBADREQ;
			return -1;
		}
	}
	merge_row *out = arena_calloc(s->a, (size_t)limit + 1, sizeof(merge_row));
	bool more = false;
	int64_t last = 0;
	/* fill the page with visible merges, reading on past hidden ones (bounded) */
	for (int round = 0; round < 20 && *n < limit; round++) {
		merge_row *got;
		int ng;
		if (store_merge_list(s->db, before, limit, s->a, &got, &ng, &more, s->err) < 0)
			return -1;
		int i = 0;
		for (; i < ng && *n < limit; i++) {
			last = got[i].id;
			kh_record into;
			if (store_record_get(s->db, &customer_entity, got[i].into_id, true, s->a,
			                     &into, s->err) < 0)
				return -1;
			if (customer_visible(s, &into))
				out[(*n)++] = got[i];
		}
		if (i < ng)
			more = true;
		if (!more || ng == 0)
			break;
		before = last;
	}
	*rows = out;
	*next = more && last ? arena_printf(s->a, "%lld", (long long)last) : NULL;
	return 0;
}

json_t *svc_merge_json(svc *s, const merge_row *m)
{
	json_t *from = json_loads(m->from_ids, 0, NULL);
	json_t *moved = json_loads(m->moved, 0, NULL);
	json_t *after = json_loads(m->after_state, 0, NULL);
	json_t *counts = json_object();
	const char *key, *table;
	json_t *tables, *rows;
	json_object_foreach(moved, key, tables)
	{
		json_object_foreach(tables, table, rows)
		{
			json_t *c = json_object_get(counts, table);
			json_object_set_new(counts, table,
			                    json_integer((c ? json_integer_value(c) : 0) +
			                                 (json_int_t)json_array_size(rows)));
		}
	}
	json_t *fields = json_object_get(after, "picked");
	fields = fields ? json_incref(fields) : json_object();
	const kh_record *u = m->created_by ? snap_user(s->snap, m->created_by) : NULL;
	json_t *out =
	        json_pack("{s:I, s:I, s:o, s:o, s:o, s:s, s:s*, s:s*}", "id", (json_int_t)m->id,
	                  "into", (json_int_t)m->into_id, "from", from ? from : json_array(),
	                  "moved", counts, "fields", fields, "at", m->created_at, "by",
	                  u ? record_text(u, UF_USERNAME) : NULL, "undone_at", m->undone_at);
	json_decref(moved);
	json_decref(after);
	return out;
}
