/*
 * records — the use cases shared by every record that hangs off a customer
 * (follow-ups, orders, and the ones to come): it is visible exactly when its
 * customer is; writing it needs its kind's permission plus sight of the
 * customer; every change is validated, versioned and audited, and the kind's
 * `after` hook keeps the customer's derived data right in the same
 * transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "core/code_rule.h"
#include "core/validate.h"
#include "service/internal.h"

static int64_t customer_of(const record_kind *k, const kh_record *r)
{
	return r->v[k->customer_field].i;
}

/* The record, if the actor may see its customer (live); for a change (writing),
 * also if they may change what hangs off that customer. */
static int load_visible(svc *s, const record_kind *k, int64_t id, bool with_deleted, bool writing,
                        kh_record *out)
{
	if (store_record_get(s->db, k->ent, id, with_deleted, s->a, out, s->err) < 0)
		return -1;
	kh_record c;
	if (customer_load(s, out->v[k->customer_field].i, false, &c) < 0)
		return err_not_found(s, k->ent, id);
	return writing ? customer_writable(s, &c) : 0;
}

/* A contact named by the record must be a live contact of the same customer. */
static int check_contact(svc *s, const kh_record *r, int64_t customer_id)
{
	for (int i = F_NSYSTEM; i < r->ent->nfields; i++) {
		const kh_field *f = &r->ent->fields[i];
		if (f->type != FT_REF || !f->dict || strcmp(f->dict, "contact") != 0 ||
		    !record_is_set(r, i))
			continue;
		kh_record k;
		kh_err e2;
		err_init(&e2, s->a, s->lang);
		if (store_record_get(s->db, &contact_entity, r->v[i].i, false, s->a, &k, &e2) < 0 ||
		    k.v[KF_CUSTOMER].i != customer_id)
			return err_field(s->err, f->name, N_("%s: not a contact of this customer"),
			                 field_label(f, s->lang));
	}
	return 0;
}

/* old with the patch laid over it: the record as it is after an update */
static kh_record merged(svc *s, const kh_record *old, const kh_record *patch)
{
	kh_record m;
	record_copy(&m, old, s->a);
	for (int i = F_NSYSTEM; i < m.ent->nfields; i++)
		if (patch->v[i].state != V_ABSENT)
			m.v[i] = patch->v[i];
	return m;
}

/* Validation and rules of a create, before its transaction. */
int record_create_check(svc *s, const record_kind *k, kh_record *r)
{
	record_validate(r, NULL, 0, NULL, s->a, s->err);
	resolve_refs(s, r, NULL, NULL);
	if (s->err->code != KH_OK)
		return -1;
	int64_t customer_id = r->v[k->customer_field].i;
	kh_record c;
	if (customer_load(s, customer_id, false, &c) < 0) {
		/* name the field: the customer the record was meant for does not exist */
		err_clear(s->err);
		return err_field(s->err, k->ent->fields[k->customer_field].name,
		                 N_("%s %lld not found"), tr(s->lang, customer_entity.label),
		                 (long long)customer_id);
	}
	if (customer_writable(s, &c) < 0 || check_contact(s, r, customer_id) < 0 ||
	    (k->prepare && k->prepare(s, r, NULL) < 0))
		return -1;
	stamp_new(s, r);
	return 0;
}

/* The kind's next code, e.g. SJ2026001: numbered per kind and year inside the
 * creating transaction, so codes have no gaps. */
static int assign_code(svc *s, const record_kind *k, kh_record *r)
{
	int year = atoi(svc_today(s));
	int64_t seq;
	/* "#" keeps the sequence apart from the departments' code prefixes */
	const char *key = arena_printf(s->a, "#%s", k->ent->name);
	if (store_code_next(s->db, key, year, &seq, s->err) < 0)
		return -1;
	record_set_text(r, k->code_field,
	                code_format(s->a, k->code_prefix, year, seq, s->snap->code_width));
	return 0;
}

/* When the record entered its state (history_field), if it changed. */
static int note_state(svc *s, const record_kind *k, int64_t id, const kh_record *old,
                      const kh_record *now)
{
	if (!k->history_field || !record_is_set(now, k->history_field))
		return 0;
	const char *state = now->v[k->history_field].s;
	if (old && record_is_set(old, k->history_field) &&
	    !strcmp(old->v[k->history_field].s, state))
		return 0;
	return store_history_add(s->db, k->ent->name, id, state, svc_now(s), s->actor.user_id,
	                         s->err);
}

int record_create_txn(svc *s, const record_kind *k, kh_record *r)
{
	int64_t customer_id = r->v[k->customer_field].i;
	/* one writer per customer at a time: its derived data is read, then written */
	if (store_lock(s->db, &customer_entity, customer_id, s->err) < 0 ||
	    (k->code_field && assign_code(s, k, r) < 0) ||
	    store_record_insert(s->db, r, s->err) < 0)
		return -1;
	int64_t id = r->v[F_ID].i;
	if (audit_change(s, "create", k->ent, id, NULL, r) < 0 ||
	    note_state(s, k, id, NULL, r) < 0 ||
	    (k->after && k->after(s, customer_id, NULL, r) < 0))
		return -1;
	return 0;
}

int record_walk_check(svc *s, const record_kind *k, kh_record *r, kh_record *steps, int n,
                      const char *const *at, history_row **hist, int *nhist)
{
	const char *clock = s->clock;
	*hist = arena_calloc(s->a, (size_t)n + 1, sizeof(history_row));
	*nhist = 0;
	s->clock = at[0];
	if (record_create_check(s, k, r) < 0)
		goto fail;
	if (k->history_field && record_is_set(r, k->history_field))
		(*hist)[(*nhist)++] =
		        (history_row){r->v[k->history_field].s, at[0], s->actor.user_id};
	for (int i = 0; i < n; i++) {
		/* each step as an update would take it, the record held in memory */
		kh_record *p = &steps[i];
		s->clock = at[i + 1];
		record_validate(p, r, 0, NULL, s->a, s->err);
		resolve_refs(s, p, r, NULL);
		if (s->err->code != KH_OK || (k->prepare && k->prepare(s, p, r) < 0))
			goto fail;
		const char *was = k->history_field ? record_text(r, k->history_field) : NULL;
		*r = merged(s, r, p);
		record_set_text(r, F_UPDATED_AT, svc_now(s));
		record_set_int(r, F_VERSION, r->v[F_VERSION].i + 1);
		const char *now = k->history_field ? record_text(r, k->history_field) : NULL;
		if (now && (!was || strcmp(was, now) != 0))
			(*hist)[(*nhist)++] = (history_row){now, at[i + 1], s->actor.user_id};
	}
	s->clock = clock;
	return 0;
fail:
	s->clock = clock;
	return -1;
}

int record_walk_txn(svc *s, const record_kind *k, kh_record *r, const history_row *hist, int n)
{
	int64_t customer_id = r->v[k->customer_field].i;
	/* the code of the year it was made in */
	const char *clock = s->clock;
	s->clock = r->v[F_CREATED_AT].s;
	int rc = store_lock(s->db, &customer_entity, customer_id, s->err) < 0 ||
	                         (k->code_field && assign_code(s, k, r) < 0)
	                 ? -1
	                 : 0;
	s->clock = clock;
	if (rc < 0 || store_record_insert(s->db, r, s->err) < 0)
		return -1;
	int64_t id = r->v[F_ID].i;
	if (audit_change(s, "create", k->ent, id, NULL, r) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (store_history_add(s->db, k->ent->name, id, hist[i].state, hist[i].at,
		                      hist[i].user_id, s->err) < 0)
			return -1;
	return k->after ? k->after(s, customer_id, NULL, r) : 0;
}

int svc_record_create(svc *s, const record_kind *k, kh_record *r, int64_t *id)
{
	return svc_record_create_with(s, k, r, NULL, id);
}

int svc_record_create_with(svc *s, const record_kind *k, kh_record *r, const child_rows *ch,
                           int64_t *id)
{
	if (require(s, k->write_perm) < 0 || svc_snapshot(s, -1) < 0 ||
	    record_create_check(s, k, r) < 0 || (ch && children_check(s, k, r, ch) < 0) ||
	    store_begin(s->db, s->err) < 0)
		return -1;
	if (record_create_txn(s, k, r) < 0 || (ch && children_save(s, k, r->v[F_ID].i, ch) < 0)) {
		store_rollback(s->db);
		return -1;
	}
	*id = r->v[F_ID].i;
	return commit_or_rollback(s);
}

int svc_record_get(svc *s, const record_kind *k, int64_t id, kh_record *out)
{
	if (require(s, PERM_CUSTOMER_READ) < 0 || svc_snapshot(s, -1) < 0 ||
	    load_visible(s, k, id, false, false, out) < 0)
		return -1;
	mask_for_actor(s, out);
	return 0;
}

int record_update_check(svc *s, const record_kind *k, int64_t id, kh_record *patch, kh_record *old)
{
	if (load_visible(s, k, id, false, true, old) < 0)
		return -1;
	record_validate(patch, old, 0, NULL, s->a, s->err);
	resolve_refs(s, patch, old, NULL);
	if (s->err->code != KH_OK)
		return -1;
	if (check_contact(s, patch, customer_of(k, old)) < 0 ||
	    (k->prepare && k->prepare(s, patch, old) < 0))
		return -1;
	return 0;
}

int record_update_txn(svc *s, const record_kind *k, const kh_record *old, kh_record *patch,
                      int64_t version)
{
	int64_t id = old->v[F_ID].i, customer_id = customer_of(k, old);
	kh_record now = merged(s, old, patch);
	if (store_lock(s->db, &customer_entity, customer_id, s->err) < 0 ||
	    store_record_update(s->db, patch, id, version, svc_now(s), s->err) < 0 ||
	    audit_change(s, "update", k->ent, id, old, patch) < 0 ||
	    note_state(s, k, id, old, &now) < 0 ||
	    (k->after && k->after(s, customer_id, old, &now) < 0))
		return -1;
	return 0;
}

int svc_record_update(svc *s, const record_kind *k, int64_t id, int64_t version, kh_record *patch)
{
	return svc_record_update_with(s, k, id, version, patch, NULL);
}

int svc_record_update_with(svc *s, const record_kind *k, int64_t id, int64_t version,
                           kh_record *patch, const child_rows *ch)
{
	kh_record old;
	if (require(s, k->write_perm) < 0 || svc_snapshot(s, -1) < 0 ||
	    record_update_check(s, k, id, patch, &old) < 0 ||
	    (ch && children_check(s, k, patch, ch) < 0))
		return -1;
	if (ch && children_unchanged(s, k, id, ch))
		ch = NULL;
	if (!patch_prune(patch, &old) && !ch)
		return old.v[F_VERSION].i == version ? 0 : err_set(s->err, KH_ECONFLICT, NULL);
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (record_update_txn(s, k, &old, patch, version) < 0 ||
	    (ch && children_save(s, k, id, ch) < 0)) {
		store_rollback(s->db);
		return -1;
	}
	return commit_or_rollback(s);
}

/* Delete (deleted true) or restore a record. */
static int set_deleted(svc *s, const record_kind *k, int64_t id, int64_t version, bool deleted)
{
	if (require(s, k->write_perm) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	kh_record old;
	if (load_visible(s, k, id, !deleted, true, &old) < 0)
		return -1;
	if (!deleted && !record_is_set(&old, F_DELETED_AT))
		return err_set(s->err, KH_EBADREQ, N_("%s %lld is not deleted"),
		               tr(s->lang, k->ent->label), (long long)id);
	int64_t customer_id = customer_of(k, &old);
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (store_lock(s->db, &customer_entity, customer_id, s->err) < 0 ||
	    store_record_mark_deleted(s->db, k->ent, id, version, deleted, svc_now(s), s->err) <
	            0 ||
	    audit_event(s, deleted ? "delete" : "restore", k->ent->name, id,
	                json_pack("{s:I}", "customer_id", (json_int_t)customer_id)) < 0 ||
	    (k->after &&
	     k->after(s, customer_id, deleted ? &old : NULL, deleted ? NULL : &old) < 0))
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

int svc_record_delete(svc *s, const record_kind *k, int64_t id, int64_t version)
{
	return set_deleted(s, k, id, version, true);
}

int svc_record_restore(svc *s, const record_kind *k, int64_t id, int64_t version)
{
	return set_deleted(s, k, id, version, false);
}

/*
 * customer_id=ID, one visible customer, filters a list as its address
 * /customers/{ID}/... does (a pool customer is seen by everyone but not by the
 * owner-based scope in SQL); 0 otherwise, and the filter stays a plain filter.
 */
static int64_t filtered_customer(svc *s, const kv *params, int nparams)
{
	int64_t id = 0;
	for (int i = 0; i < nparams; i++)
		if (!strcmp(params[i].key, "customer_id") &&
		    (id || !params[i].value || !svc_parse_id(params[i].value, &id)))
			return 0;
	kh_record c;
	kh_err e;
	err_init(&e, s->a, s->lang);
	kh_err *keep = s->err;
	s->err = &e;
	int rc = id ? customer_load(s, id, false, &c) : -1;
	s->err = keep;
	return rc == 0 ? id : 0;
}

int list_by_customer(svc *s, const kh_entity *ent, kh_perm deleted_perm, int64_t customer_id,
                     const kv *params, int nparams, list_page *page)
{
	if (require(s, PERM_CUSTOMER_READ) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	memset(page, 0, sizeof(*page));
	if (!customer_id)
		customer_id = filtered_customer(s, params, nparams);
	if (customer_id) {
		kh_record c;
		if (customer_load(s, customer_id, false, &c) < 0)
			return -1;
	}
	kh_query q;
	bool *want;
	int *fields;
	if (parse_list_params(s, ent, params, nparams, &q, &want, &fields, &page->nfields) < 0)
		return -1;
	if (q.view == VIEW_DELETED && require(s, deleted_perm) < 0)
		return -1;
	page->fields = fields;
	if (customer_id) {
		q.parent_id = customer_id;
		q.scope.kind = SCOPE_MATCH_ALL; /* the customer's visibility was checked */
	}
	bool more = false;
	if (store_record_list(s->db, &q, want, s->a, &page->rows, &page->n, &more, s->err) < 0)
		return -1;
	for (int i = 0; i < page->n; i++)
		mask_for_actor(s, &page->rows[i]);
	page->next = more ? make_cursor(s, &q, &page->rows[page->n - 1]) : NULL;
	return 0;
}

int svc_record_list(svc *s, const record_kind *k, int64_t customer_id, const kv *params,
                    int nparams, list_page *page)
{
	return list_by_customer(s, k->ent, k->write_perm, customer_id, params, nparams, page);
}

int svc_record_history(svc *s, const record_kind *k, int64_t id, history_row **rows, int *n)
{
	kh_record r;
	if (require(s, PERM_CUSTOMER_READ) < 0 || svc_snapshot(s, -1) < 0 ||
	    load_visible(s, k, id, false, false, &r) < 0)
		return -1;
	if (!k->history_field)
		return err_set(s->err, KH_ENOTFOUND, N_("%s keeps no history"),
		               tr(s->lang, k->ent->label));
	return store_history_list(s->db, k->ent->name, id, s->a, rows, n, s->err);
}
