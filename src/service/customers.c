/*
 * customers — the customer and contact use cases (DESIGN 1.1, 1.2).
 */
#include <string.h>

#include "core/code_rule.h"
#include "core/mask.h"
#include "core/validate.h"
#include "service/internal.h"
#include "util/date.h"

#define MAX_INLINE_CONTACTS 20

/* Rewrite the store's "column already exists" errors into field messages. */
static int explain_dup(svc *s, const kh_entity *ent, const kh_record *r, const char *prefix)
{
	if (s->err->code != KH_EDUP)
		return -1;
	for (int k = 0; k < s->err->nfields; k++) {
		kh_field_error *fe = &s->err->fields[k];
		for (int i = 0; i < ent->nfields; i++) {
			const kh_field *f = &ent->fields[i];
			if (strcmp(f->column, fe->field) != 0)
				continue;
			arena *ea = s->err->ar ? s->err->ar : s->a;
			fe->field = prefix ? arena_printf(ea, "%s%s", prefix, f->name) : f->name;
			const char *v =
			        r && record_is_set(r, i) && !field_is_int(f->type) ? r->v[i].s : "";
			fe->message = arena_printf(ea, tr(s->lang, N_("%s \"%s\" is already used")),
			                           field_label(f, s->lang), v);
		}
	}
	return -1;
}

/* The code prefix of a department: its own, else the nearest ancestor's. */
static const char *dept_prefix(svc *s, int64_t dept_id)
{
	for (int hops = 0; dept_id && hops < 64; hops++) {
		const kh_record *d = snap_dept(s->snap, dept_id);
		if (!d)
			break;
		if (record_is_set(d, DF_CODE_PREFIX))
			return d->v[DF_CODE_PREFIX].s;
		dept_id = record_int(d, DF_PARENT, 0);
	}
	return CODE_DEFAULT_PREFIX;
}

/*
 * A customer's department is its owner's, read inside the writing transaction
 * with the owner's row held: a user moving department at the same moment
 * either sees this customer (and moves it) or is seen by it.
 */
int customer_owner_department(svc *s, kh_record *c, int64_t owner)
{
	int64_t dept = 0;
	if (store_lock(s->db, &user_entity, owner, s->err) < 0 ||
	    store_user_department(s->db, owner, &dept, s->err) < 0)
		return -1;
	if (dept)
		record_set_int(c, CF_DEPARTMENT, dept);
	else
		record_set_null(c, CF_DEPARTMENT);
	return 0;
}

/* The primary flag of contact id went from was to now as a side effect: log it. */
static int audit_primary(svc *s, int64_t id, int was, int now)
{
	kh_record before, after;
	record_init(&before, &contact_entity, s->a);
	record_init(&after, &contact_entity, s->a);
	record_set_int(&before, KF_PRIMARY, was);
	record_set_int(&after, KF_PRIMARY, now);
	return audit_change(s, "update", &contact_entity, id, &before, &after);
}

/* Take the primary flag from the customer's current primary contact (other than
 * keep), audited like any change. */
static int unset_primary(svc *s, int64_t customer_id, int64_t keep)
{
	primary_contact pc;
	if (store_primary_contacts(s->db, &customer_id, 1, s->a, &pc, s->err) < 0)
		return -1;
	if (!pc.id || pc.id == keep)
		return 0;
	if (store_contact_unset_primary(s->db, customer_id, keep, svc_now(s), s->err) < 0)
		return -1;
	return audit_primary(s, pc.id, 1, 0);
}

/* Pool customers have no owner: the pool is open to everyone who reads customers
 * (that is its point); masking applies to them as to any customer. */
bool customer_visible(svc *s, const kh_record *c)
{
	if (s->actor.system || s->actor.scope == SCOPE_ALL)
		return true;
	if (record_int(c, CF_IN_POOL, 0))
		return svc_can(s, PERM_CUSTOMER_READ);
	return scope_covers(s, record_int(c, CF_OWNER, 0), record_int(c, CF_DEPARTMENT, 0));
}

int err_not_found(svc *s, const kh_entity *ent, int64_t id)
{
	err_clear(s->err);
	return err_set(s->err, KH_ENOTFOUND, N_("%s %lld not found"), tr(s->lang, ent->label),
	               (long long)id);
}

int customer_load(svc *s, int64_t id, bool with_deleted, kh_record *out)
{
	if (store_record_get(s->db, &customer_entity, id, with_deleted, s->a, out, s->err) < 0)
		return -1;
	if (!customer_visible(s, out))
		return err_not_found(s, &customer_entity, id);
	return 0;
}

/*
 * May the actor change customer c or what hangs off it (contacts, follow-ups,
 * orders, ...)? A pool customer is everyone's to see, not to change: claiming it
 * (with its limits) or a manager's assignment comes first; a manager (assign)
 * may change it in the pool.
 */
int customer_writable(svc *s, const kh_record *c)
{
	if (!record_int(c, CF_IN_POOL, 0) || s->actor.system || svc_can(s, PERM_CUSTOMER_ASSIGN))
		return 0;
	return err_set(s->err, KH_EFORBIDDEN,
	               N_("Customer %lld is in the pool: claim it before changing it"),
	               (long long)c->v[F_ID].i);
}

/* The new owner must be the actor, or one the actor may assign to. */
int customer_check_owner(svc *s, int64_t owner, const char *field)
{
	if (s->actor.system || owner == s->actor.user_id)
		return 0;
	if (!svc_can(s, PERM_CUSTOMER_ASSIGN))
		return err_field(s->err, field,
		                 N_("You may only make yourself the owner (giving customers to "
		                    "others needs the assign permission)"));
	if (!scope_covers_user(s, owner))
		return err_field(s->err, field, N_("That user is outside your data scope"));
	return 0;
}

static void derive_stage(svc *s, kh_record *r, const kh_record *old)
{
	const kh_record *src[2] = {r, old};
	int64_t deals = 0;
	const char *last = NULL, *status = NULL;
	for (int k = 1; k >= 0; k--) {
		const kh_record *x = src[k];
		if (!x)
			continue;
		if (x->v[CF_DEAL_COUNT].state != V_ABSENT)
			deals = record_int(x, CF_DEAL_COUNT, 0);
		if (x->v[CF_LAST_DEAL_DATE].state != V_ABSENT)
			last = record_text(x, CF_LAST_DEAL_DATE);
		if (x->v[CF_STATUS].state != V_ABSENT)
			status = record_text(x, CF_STATUS);
	}
	const char *stage = customer_stage(deals, last, status, svc_today(s), s->snap->loyal_count,
	                                   s->snap->lost_days);
	if (!old || !record_is_set(old, CF_STAGE) || strcmp(old->v[CF_STAGE].s, stage) != 0)
		record_set_text(r, CF_STAGE, stage);
}

int customer_restage(svc *s, int64_t id)
{
	kh_record c;
	if (store_record_get(s->db, &customer_entity, id, true, s->a, &c, s->err) < 0)
		return -1;
	const char *stage = customer_stage(
	        record_int(&c, CF_DEAL_COUNT, 0), record_text(&c, CF_LAST_DEAL_DATE),
	        record_text(&c, CF_STATUS), svc_today(s), s->snap->loyal_count, s->snap->lost_days);
	if (record_is_set(&c, CF_STAGE) && !strcmp(c.v[CF_STAGE].s, stage))
		return 0;
	return store_customer_set_stage(s->db, id, stage, s->err);
}

/*
 * Totals given with a new customer (an import, the demo) are what it did before
 * kehu: they become its opening balances, to which its orders and follow-ups in
 * kehu are added from then on.
 */
static void opening_balances(kh_record *c)
{
	const int(*pairs)[2] = customer_opening;
	for (int i = 0; i < CUSTOMER_NOPENING; i++)
		if (c->v[pairs[i][0]].state != V_ABSENT)
			c->v[pairs[i][1]] = c->v[pairs[i][0]];
}

static unsigned allow_flags(svc *s)
{
	return s->allow_derived ? ALLOW_DERIVED : 0;
}

/* Validate contact i of a customer being created. */
static int check_new_contact(svc *s, kh_record *c, int i)
{
	const char *prefix = arena_printf(s->a, "contacts[%d].", i);
	if (c->v[KF_CUSTOMER].state != V_ABSENT) {
		err_field(s->err, arena_printf(s->a, "%scustomer_id", prefix),
		          N_("%s comes from the customer being created; leave it out"),
		          tr(s->lang, N_("Customer")));
		c->v[KF_CUSTOMER].state = V_ABSENT;
	}
	record_validate(c, NULL, 0, prefix, s->a, s->err);
	return 0;
}

int svc_customer_create(svc *s, kh_record *c, kh_record *contacts, int ncontacts, int64_t *id)
{
	if (require(s, PERM_CUSTOMER_WRITE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	if (ncontacts > MAX_INLINE_CONTACTS)
		return err_field(s->err, "contacts", N_("At most %d contacts at once"),
		                 MAX_INLINE_CONTACTS);
	if (c->v[CF_OWNER].state == V_ABSENT && s->actor.user_id)
		record_set_int(c, CF_OWNER, s->actor.user_id);
	if (c->v[CF_OWNER].state != V_SET)
		err_required(s->err, &customer_entity.fields[CF_OWNER], NULL);
	record_validate(c, NULL, allow_flags(s), NULL, s->a, s->err);
	resolve_refs(s, c, NULL, NULL);
	resolve_custom(s, c, CF_CUSTOM, NULL, NULL);
	int primaries = 0;
	for (int i = 0; i < ncontacts; i++) {
		check_new_contact(s, &contacts[i], i);
		primaries += record_int(&contacts[i], KF_PRIMARY, 0) != 0;
	}
	if (primaries > 1)
		err_field(s->err, "contacts", N_("Only one contact can be the primary contact"));
	if (record_is_set(c, CF_OWNER) && !c->v[CF_OWNER].s) /* resolved: s is NULL */
		customer_check_owner(s, c->v[CF_OWNER].i, "owner");
	if (s->err->code != KH_OK)
		return -1;
	if (primaries == 0 && ncontacts > 0)
		record_set_int(&contacts[0], KF_PRIMARY, 1);

	int64_t owner = c->v[CF_OWNER].i;
	opening_balances(c);
	derive_stage(s, c, NULL);
	stamp_new(s, c);

	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (customer_owner_department(s, c, owner) < 0)
		goto fail;
	bool generated = !record_is_set(c, CF_CODE);
again:
	if (generated) {
		const char *prefix = dept_prefix(s, record_int(c, CF_DEPARTMENT, 0));
		int year = date_current_year(s->snap->tz_minutes);
		/* a code typed by hand (or imported) may already hold the next number:
		 * such numbers are used, not skipped over as gaps */
		for (int tries = 0;; tries++) {
			int64_t seq;
			bool taken;
			if (store_code_next(s->db, prefix, year, &seq, s->err) < 0)
				goto fail;
			const char *code =
			        code_format(s->a, prefix, year, seq, s->snap->code_width);
			if (store_code_taken(s->db, code, &taken, s->err) < 0)
				goto fail;
			if (!taken) {
				record_set_text(c, CF_CODE, code);
				break;
			}
			if (tries == 10000) {
				err_set(s->err, KH_EINTERNAL, NULL);
				goto fail;
			}
		}
	}
	/* a savepoint: a generated code may lose a race against a code typed by hand
	 * in another transaction; then the next number is taken instead */
	if (store_begin(s->db, s->err) < 0)
		goto fail;
	if (store_record_insert(s->db, c, s->err) < 0) {
		store_rollback(s->db);
		if (generated && s->err->code == KH_EDUP && s->err->nfields &&
		    !strcmp(s->err->fields[0].field, "code")) {
			err_clear(s->err);
			goto again;
		}
		explain_dup(s, &customer_entity, c, NULL);
		goto fail;
	}
	if (store_commit(s->db, s->err) < 0)
		goto fail;
	*id = c->v[F_ID].i;
	if (audit_change(s, "create", &customer_entity, *id, NULL, c) < 0)
		goto fail;
	for (int i = 0; i < ncontacts; i++) {
		kh_record *k = &contacts[i];
		record_set_int(k, KF_CUSTOMER, *id);
		if (!record_is_set(k, KF_PRIMARY))
			record_set_int(k, KF_PRIMARY, 0);
		stamp_new(s, k);
		if (store_record_insert(s->db, k, s->err) < 0 ||
		    audit_change(s, "create", &contact_entity, k->v[F_ID].i, NULL, k) < 0)
			goto fail;
	}
	if (store_customer_sync(s->db, *id, s->err) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

static int load_contacts(svc *s, int64_t customer_id, kh_record **rows, int *n)
{
	kh_query q = {.ent = &contact_entity,
	              .sort_field = F_ID,
	              .limit = QUERY_MAX_LIMIT,
	              .view = VIEW_ACTIVE,
	              .scope = {.kind = SCOPE_MATCH_ALL},
	              .parent_id = customer_id};
	bool more;
	return store_record_list(s->db, &q, NULL, s->a, rows, n, &more, s->err);
}

int svc_customer_get(svc *s, int64_t id, bool with_deleted, kh_record *out, kh_record **contacts,
                     int *ncontacts)
{
	if (require(s, PERM_CUSTOMER_READ) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	if (with_deleted && require(s, PERM_CUSTOMER_DELETE) < 0)
		return -1;
	if (customer_load(s, id, with_deleted, out) < 0)
		return -1;
	mask_for_actor(s, out);
	if (contacts) {
		if (load_contacts(s, id, contacts, ncontacts) < 0)
			return -1;
		for (int i = 0; i < *ncontacts; i++)
			mask_for_actor(s, &(*contacts)[i]);
	}
	return 0;
}

bool patch_prune(kh_record *patch, const kh_record *old)
{
	bool any = false;
	for (int i = F_NSYSTEM; i < patch->ent->nfields; i++) {
		kh_value *v = &patch->v[i];
		if (v->state == V_ABSENT)
			continue;
		if (value_equal(patch->ent->fields[i].type, v, &old->v[i]))
			v->state = V_ABSENT;
		else
			any = true;
	}
	return any;
}

static bool touches_search(const kh_record *patch)
{
	static const int fields[] = {CF_NAME, CF_TAGS, CF_REQUIREMENT, CF_REMARKS};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (patch->v[fields[i]].state != V_ABSENT)
			return true;
	return false;
}

int svc_customer_update(svc *s, int64_t id, int64_t version, kh_record *patch)
{
	if (require(s, PERM_CUSTOMER_WRITE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	kh_record old;
	if (customer_load(s, id, false, &old) < 0)
		return -1;
	if (record_int(&old, CF_IN_POOL, 0)) {
		/* the pool is everyone's to see, not to edit: claiming (with its limits)
		 * or a manager's assignment is the way out of it */
		if (patch->v[CF_OWNER].state != V_ABSENT)
			return err_field(s->err, "owner",
			                 N_("Customer %lld is in the pool: claim it, or have a "
			                    "manager assign it"),
			                 (long long)id);
		if (customer_writable(s, &old) < 0)
			return -1;
	}
	if (patch->v[CF_OWNER].state == V_NULL)
		err_required(s->err, &customer_entity.fields[CF_OWNER], NULL);
	record_validate(patch, &old, allow_flags(s), NULL, s->a, s->err);
	resolve_refs(s, patch, &old, NULL);
	resolve_custom(s, patch, CF_CUSTOM, &old, NULL);
	if (s->err->code != KH_OK)
		return -1;
	bool new_owner = record_is_set(patch, CF_OWNER) &&
	                 patch->v[CF_OWNER].i != record_int(&old, CF_OWNER, 0);
	if (new_owner && customer_check_owner(s, patch->v[CF_OWNER].i, "owner") < 0)
		return -1;
	derive_stage(s, patch, &old);
	if (!patch_prune(patch, &old)) {
		/* nothing to change; still a stale version is a conflict */
		if (old.v[F_VERSION].i != version)
			return err_set(s->err, KH_ECONFLICT, NULL);
		return 0;
	}
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (new_owner && customer_owner_department(s, patch, patch->v[CF_OWNER].i) < 0)
		goto fail;
	if (store_record_update(s->db, patch, id, version, svc_now(s), s->err) < 0) {
		explain_dup(s, &customer_entity, patch, NULL);
		goto fail;
	}
	if (touches_search(patch) && store_customer_sync(s->db, id, s->err) < 0)
		goto fail;
	if (audit_change(s, "update", &customer_entity, id, &old, patch) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

static int set_deleted(svc *s, int64_t id, int64_t version, bool deleted)
{
	if (require(s, PERM_CUSTOMER_DELETE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	kh_record old;
	if (customer_load(s, id, !deleted, &old) < 0)
		return -1;
	if (!deleted && !record_is_set(&old, F_DELETED_AT))
		return err_set(s->err, KH_EBADREQ, N_("Customer %lld is not deleted"),
		               (long long)id);
	if (!deleted && record_is_set(&old, CF_MERGED_INTO))
		return err_set(s->err, KH_ESTATE,
		               N_("Customer %lld was merged into customer %lld: undo the merge "
		                  "(kehu dedupe undo) to bring it back"),
		               (long long)id, (long long)old.v[CF_MERGED_INTO].i);
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (store_record_mark_deleted(s->db, &customer_entity, id, version, deleted, svc_now(s),
	                              s->err) < 0) {
		explain_dup(s, &customer_entity, &old, NULL);
		goto fail;
	}
	if (audit_event(s, deleted ? "delete" : "restore", "customer", id,
	                json_pack("{s:s, s:s}", "code", old.v[CF_CODE].s, "name",
	                          old.v[CF_NAME].s)) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

int svc_customer_delete(svc *s, int64_t id, int64_t version)
{
	return set_deleted(s, id, version, true);
}

int svc_customer_restore(svc *s, int64_t id, int64_t version)
{
	return set_deleted(s, id, version, false);
}

int customer_archive_write(svc *s, const kh_record *old, int64_t version, bool archived)
{
	int64_t id = old->v[F_ID].i;
	kh_record patch;
	record_init(&patch, &customer_entity, s->a);
	record_set_int(&patch, CF_ARCHIVED, archived);
	if (archived)
		record_set_text(&patch, CF_ARCHIVED_AT, svc_now(s));
	else
		record_set_null(&patch, CF_ARCHIVED_AT);
	if (store_record_update(s->db, &patch, id, version, svc_now(s), s->err) < 0)
		return -1;
	return audit_change(s, archived ? "archive" : "unarchive", &customer_entity, id, old,
	                    &patch);
}

int svc_customer_archive(svc *s, int64_t id, int64_t version, bool archived)
{
	if (require(s, PERM_ARCHIVE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	kh_record old;
	if (customer_load(s, id, false, &old) < 0)
		return -1;
	if (record_int(&old, CF_ARCHIVED, 0) == archived)
		return err_set(s->err, KH_EBADREQ,
		               archived ? N_("Customer %lld is already archived")
		                        : N_("Customer %lld is not archived"),
		               (long long)id);
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (customer_archive_write(s, &old, version, archived) < 0) {
		store_rollback(s->db);
		return -1;
	}
	return commit_or_rollback(s);
}

int svc_customer_list(svc *s, const kv *params, int nparams, list_page *page)
{
	if (require(s, PERM_CUSTOMER_READ) < 0)
		return -1;
	kh_query q;
	bool *want;
	memset(page, 0, sizeof(*page));
	int *fields;
	if (parse_list_params(s, &customer_entity, params, nparams, &q, &want, &fields,
	                      &page->nfields) < 0)
		return -1;
	page->fields = fields;
	if (q.view == VIEW_POOL)
		q.scope.kind = SCOPE_MATCH_ALL; /* the pool is everyone's (customer_visible) */
	return customer_page(s, &q, want, page);
}

int customer_page(svc *s, kh_query *q, const bool *want, list_page *page)
{
	bool more = false;
	if (store_record_list(s->db, q, want, s->a, &page->rows, &page->n, &more, s->err) < 0)
		return -1;
	int64_t *ids = arena_calloc(s->a, (size_t)page->n + 1, sizeof(int64_t));
	for (int i = 0; i < page->n; i++) {
		ids[i] = page->rows[i].v[F_ID].i;
		mask_for_actor(s, &page->rows[i]);
	}
	page->primary = arena_calloc(s->a, (size_t)page->n + 1, sizeof(primary_contact));
	if (store_primary_contacts(s->db, ids, page->n, s->a, page->primary, s->err) < 0)
		return -1;
	if (!svc_can(s, PERM_PII_UNMASK))
		for (int i = 0; i < page->n; i++)
			page->primary[i].phone =
			        mask_text(s->a, MASK_PHONE, page->primary[i].phone);
	page->next = more ? make_cursor(s, q, &page->rows[page->n - 1]) : NULL;
	return 0;
}

/* ---- contacts ---- */

/* Load a contact and check its customer is visible and live. */
static int load_contact(svc *s, int64_t id, kh_record *out, kh_record *customer)
{
	if (store_record_get(s->db, &contact_entity, id, false, s->a, out, s->err) < 0)
		return -1;
	kh_record c;
	if (!customer)
		customer = &c;
	if (store_record_get(s->db, &customer_entity, out->v[KF_CUSTOMER].i, false, s->a, customer,
	                     s->err) < 0 ||
	    !customer_visible(s, customer))
		return err_not_found(s, &contact_entity, id);
	return 0;
}

int svc_contact_create(svc *s, int64_t customer_id, kh_record *k, int64_t *id)
{
	if (require(s, PERM_CUSTOMER_WRITE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	kh_record cust;
	if (customer_load(s, customer_id, false, &cust) < 0 || customer_writable(s, &cust) < 0)
		return -1;
	if (k->v[KF_CUSTOMER].state == V_SET && k->v[KF_CUSTOMER].i != customer_id)
		err_field(s->err, "customer_id",
		          N_("customer_id must be the customer of the address, or left out"));
	k->v[KF_CUSTOMER].state = V_ABSENT;
	if (record_validate(k, NULL, 0, NULL, s->a, s->err) < 0 || s->err->code != KH_OK)
		return -1;
	record_set_int(k, KF_CUSTOMER, customer_id);
	if (!record_is_set(k, KF_PRIMARY))
		record_set_int(k, KF_PRIMARY, 0);
	stamp_new(s, k);
	if (store_begin(s->db, s->err) < 0)
		return -1;
	primary_contact pc;
	if (store_lock(s->db, &customer_entity, customer_id, s->err) < 0)
		goto fail;
	if (store_primary_contacts(s->db, &customer_id, 1, s->a, &pc, s->err) < 0)
		goto fail;
	if (pc.id == 0)
		record_set_int(k, KF_PRIMARY, 1); /* the first contact is the primary one */
	else if (k->v[KF_PRIMARY].i && unset_primary(s, customer_id, 0) < 0)
		goto fail;
	if (store_record_insert(s->db, k, s->err) < 0)
		goto fail;
	*id = k->v[F_ID].i;
	if (audit_change(s, "create", &contact_entity, *id, NULL, k) < 0 ||
	    store_customer_sync(s->db, customer_id, s->err) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

int svc_contact_get(svc *s, int64_t id, kh_record *out)
{
	if (require(s, PERM_CUSTOMER_READ) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	if (load_contact(s, id, out, NULL) < 0)
		return -1;
	mask_for_actor(s, out);
	return 0;
}

int svc_contact_update(svc *s, int64_t id, int64_t version, kh_record *patch)
{
	if (require(s, PERM_CUSTOMER_WRITE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	kh_record old, cust;
	if (load_contact(s, id, &old, &cust) < 0 || customer_writable(s, &cust) < 0)
		return -1;
	if (record_validate(patch, &old, 0, NULL, s->a, s->err) < 0)
		return -1;
	if (patch->v[KF_PRIMARY].state != V_ABSENT && !record_int(patch, KF_PRIMARY, 0) &&
	    record_int(&old, KF_PRIMARY, 0))
		return err_field(s->err, "primary",
		                 N_("A customer keeps one primary contact: make another contact "
		                    "primary instead"));
	if (!patch_prune(patch, &old)) {
		if (old.v[F_VERSION].i != version)
			return err_set(s->err, KH_ECONFLICT, NULL);
		return 0;
	}
	int64_t customer_id = old.v[KF_CUSTOMER].i;
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (store_lock(s->db, &customer_entity, customer_id, s->err) < 0)
		goto fail;
	if (record_int(patch, KF_PRIMARY, 0) && unset_primary(s, customer_id, id) < 0)
		goto fail;
	if (store_record_update(s->db, patch, id, version, svc_now(s), s->err) < 0 ||
	    audit_change(s, "update", &contact_entity, id, &old, patch) < 0)
		goto fail;
	if (patch->v[KF_NAME].state != V_ABSENT &&
	    store_customer_sync(s->db, customer_id, s->err) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

/* After the primary contact went away: the oldest other one becomes primary. */
static int promote_primary(svc *s, int64_t customer_id)
{
	primary_contact pc;
	if (store_contact_promote(s->db, customer_id, svc_now(s), s->err) < 0 ||
	    store_primary_contacts(s->db, &customer_id, 1, s->a, &pc, s->err) < 0)
		return -1;
	return pc.id ? audit_primary(s, pc.id, 0, 1) : 0;
}

int svc_contact_delete(svc *s, int64_t id, int64_t version)
{
	if (require(s, PERM_CUSTOMER_WRITE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	kh_record old, cust;
	if (load_contact(s, id, &old, &cust) < 0 || customer_writable(s, &cust) < 0)
		return -1;
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (store_lock(s->db, &customer_entity, old.v[KF_CUSTOMER].i, s->err) < 0 ||
	    store_record_mark_deleted(s->db, &contact_entity, id, version, true, svc_now(s),
	                              s->err) < 0 ||
	    (record_int(&old, KF_PRIMARY, 0) && promote_primary(s, old.v[KF_CUSTOMER].i) < 0) ||
	    audit_event(s, "delete", "contact", id,
	                json_pack("{s:s, s:I}", "name", old.v[KF_NAME].s, "customer_id",
	                          (json_int_t)old.v[KF_CUSTOMER].i)) < 0 ||
	    store_customer_sync(s->db, old.v[KF_CUSTOMER].i, s->err) < 0) {
		store_rollback(s->db);
		return -1;
	}
	return commit_or_rollback(s);
}

int svc_contact_list(svc *s, int64_t customer_id, const kv *params, int nparams, list_page *page)
{
	return list_by_customer(s, &contact_entity, PERM_CUSTOMER_WRITE, customer_id, params,
	                        nparams, page);
}
