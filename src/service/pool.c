/*
 * pool — the customer pool 公海 (DESIGN 1.1 in_pool): claiming a customer
 * nobody owns, giving one back, a manager assigning one, locking a customer
 * so that it never falls back, and the sweep that returns neglected
 * customers by the rule of their grade.
 *
 * Every move happens in one transaction that first holds the rows it reads
 * (the taking user's, then the customer's), so on an engine whose writers run
 * at once (PostgreSQL) two claims of one customer queue and the second finds
 * it taken, and two claims by one user are counted one after the other. Each
 * move leaves a pool event (who, when, from and to whom) and an audit entry.
 */
#include <string.h>

#include "core/pool.h"
#include "service/internal.h"
#include "util/date.h"
#include "util/num.h"

/* how many due customers one sweep step reads */
#define SWEEP_BATCH 200

static const char *const rule_keys[POOL_RULES] = {
        "pool_return_days",   "pool_return_days_a", "pool_return_days_b",
        "pool_return_days_c", "pool_return_days_d", "pool_return_days_e",
};

static const char *user_name(svc *s, int64_t id)
{
	const kh_record *u = snap_user(s->snap, id);
	return u ? u->v[UF_DISPLAY_NAME].s : arena_printf(s->a, "#%lld", (long long)id);
}

/* The customer as it is now, with its row held to the end of the transaction. */
static int hold_customer(svc *s, int64_t id, kh_record *out)
{
	if (store_lock(s->db, &customer_entity, id, s->err) < 0)
		return -1;
	return store_record_get(s->db, &customer_entity, id, false, s->a, out, s->err);
}

/* version < 0 takes the customer as it is; else it must still be that version */
static int check_version(svc *s, const kh_record *c, int64_t version)
{
	if (version >= 0 && c->v[F_VERSION].i != version)
		return err_set(s->err, KH_ECONFLICT, NULL);
	return 0;
}

/*
 * Write a move of customer old: the patch, a pool event, the audit entry.
 * from and to are owners (0: the pool); reason may be NULL.
 */
static int pool_write(svc *s, const kh_record *old, kh_record *patch, const char *action,
                      int64_t from, int64_t to, const char *reason)
{
	int64_t id = old->v[F_ID].i;
	if (store_record_update(s->db, patch, id, old->v[F_VERSION].i, svc_now(s), s->err) < 0)
		return -1;
	kh_record ev;
	record_init(&ev, &pool_event_entity, s->a);
	record_set_int(&ev, PEF_CUSTOMER, id);
	record_set_text(&ev, PEF_ACTION, action);
	if (from)
		record_set_int(&ev, PEF_FROM_OWNER, from);
	else
		record_set_null(&ev, PEF_FROM_OWNER);
	if (to)
		record_set_int(&ev, PEF_TO_OWNER, to);
	else
		record_set_null(&ev, PEF_TO_OWNER);
	record_set_text(&ev, PEF_REASON, reason && *reason ? reason : NULL);
	stamp_new(s, &ev);
	if (store_record_insert(s->db, &ev, s->err) < 0)
		return -1;
	return audit_change(s, action, &customer_entity, id, old, patch);
}

/* The patch that puts a customer into the pool, its owner kept as the previous one. */
static void to_pool(svc *s, const kh_record *old, kh_record *patch)
{
	record_init(patch, &customer_entity, s->a);
	record_set_null(patch, CF_OWNER);
	record_set_null(patch, CF_DEPARTMENT);
	record_set_int(patch, CF_IN_POOL, 1);
	record_set_text(patch, CF_POOL_SINCE, svc_now(s));
	record_set_int(patch, CF_LOCKED, 0);
	if (record_is_set(old, CF_OWNER))
		record_set_int(patch, CF_PREVIOUS_OWNER, old->v[CF_OWNER].i);
}

/* The patch that gives a customer to owner (out of the pool if it was in it). */
static int to_owner(svc *s, const kh_record *old, kh_record *patch, int64_t owner)
{
	record_init(patch, &customer_entity, s->a);
	record_set_int(patch, CF_OWNER, owner);
	record_set_int(patch, CF_IN_POOL, 0);
	record_set_null(patch, CF_POOL_SINCE);
	if (record_is_set(old, CF_OWNER))
		record_set_int(patch, CF_PREVIOUS_OWNER, old->v[CF_OWNER].i);
	return customer_owner_department(s, patch, owner);
}

/* A user's customer limit 客户上限: the user's own, else the setting (0: none). */
static int64_t customer_limit(svc *s, int64_t user_id)
{
	const kh_record *u = snap_user(s->snap, user_id);
	int64_t own = u ? record_int(u, UF_MAX_CUSTOMERS, 0) : 0;
	return own > 0 ? own : setting_value(s, "pool_customer_limit");
}

/*
 * May user_id take one more customer? Its limit of customers, and for a claim
 * its claims of the day. The caller holds the user's row, so two takes for one
 * user count one after the other.
 */
static int check_room(svc *s, int64_t user_id, bool claim)
{
	int64_t limit = customer_limit(s, user_id), owned = 0;
	if (limit > 0) {
		if (store_customers_owned(s->db, user_id, &owned, s->err) < 0)
			return -1;
		if (owned >= limit)
			return err_set(
			        s->err, KH_EFORBIDDEN,
			        N_("%s already owns %lld customers, the customer limit of %lld: "
			           "release or archive some first"),
			        user_name(s, user_id), (long long)owned, (long long)limit);
	}
	if (!claim)
		return 0;
	int64_t per_day = setting_value(s, "pool_claims_per_day"), since_t, claimed = 0;
	char since[TIME_LEN];
	if (!date_start_utc(svc_today(s), 0, s->snap->tz_minutes, &since_t))
		return err_set(s->err, KH_EINTERNAL, NULL);
	time_format_iso(since, since_t);
	if (store_pool_claims_since(s->db, user_id, since, &claimed, s->err) < 0)
		return -1;
	if (claimed >= per_day)
		return err_set(s->err, KH_EFORBIDDEN,
		               N_("You have claimed %lld customers from the pool today, the most "
		                  "one user may claim per day (pool_claims_per_day = %lld); try "
		                  "again tomorrow"),
		               (long long)claimed, (long long)per_day);
	return 0;
}

/*
 * A customer that is not in the pool any more: say so when the actor may know
 * (it is theirs or they see it, or it went through the pool, which everyone
 * saw), else it is simply not found.
 */
static int not_in_pool(svc *s, const kh_record *c)
{
	int64_t id = c->v[F_ID].i;
	if (record_int(c, CF_OWNER, 0) == s->actor.user_id && s->actor.user_id)
		return err_set(s->err, KH_ESTATE, N_("Customer %lld is already yours"),
		               (long long)id);
	const char *taken = NULL;
	if (!customer_visible(s, c) &&
	    (store_pool_taken_over(s->db, id, s->a, &taken, s->err) < 0 || !taken))
		return err_not_found(s, &customer_entity, id);
	return err_set(s->err, KH_ESTATE,
	               N_("Customer %lld is no longer in the pool: someone else claimed it "
	                  "first"),
	               (long long)id);
}

/* May customer c (held) move: visible to the actor, still at version, not archived? */
static int movable(svc *s, const kh_record *c, int64_t version)
{
	if (!customer_visible(s, c))
		return err_not_found(s, &customer_entity, c->v[F_ID].i);
	if (check_version(s, c, version) < 0)
		return -1;
	if (record_int(c, CF_ARCHIVED, 0))
		return err_set(s->err, KH_ESTATE,
		               N_("Customer %lld is in the archive; bring it back from the archive "
		                  "first"),
		               (long long)c->v[F_ID].i);
	return 0;
}

int svc_pool_claim(svc *s, int64_t id, int64_t version)
{
	if (require(s, PERM_CUSTOMER_WRITE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	int64_t me = s->actor.user_id;
	if (!me)
		return err_set(s->err, KH_EFORBIDDEN, N_("Only a user can claim customers"));
	kh_record old, patch;
	if (store_begin(s->db, s->err) < 0)
		return -1;
	/* the user's row first, then the customer's: the order every owner change uses */
	if (store_lock(s->db, &user_entity, me, s->err) < 0 || hold_customer(s, id, &old) < 0) {
		if (s->err->code == KH_ENOTFOUND)
			err_not_found(s, &customer_entity, id);
		goto fail;
	}
	if (!record_int(&old, CF_IN_POOL, 0)) {
		not_in_pool(s, &old);
		goto fail;
	}
	if (movable(s, &old, version) < 0 || check_room(s, me, true) < 0 ||
	    to_owner(s, &old, &patch, me) < 0)
		goto fail;
	/* a claim from the pool keeps the previous owner as it was (who let it go) */
	patch.v[CF_PREVIOUS_OWNER].state = V_ABSENT;
	if (pool_write(s, &old, &patch, "claim", 0, me, NULL) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

int svc_pool_release(svc *s, int64_t id, int64_t version, const char *reason)
{
	if (require(s, PERM_CUSTOMER_WRITE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	if (reason && strlen(reason) > 500)
		return err_field(s->err, "reason", N_("%s: at most %d characters"),
		                 tr(s->lang, N_("Reason")), 500);
	kh_record old, patch;
	if (customer_load(s, id, false, &old) < 0)
		return -1;
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (hold_customer(s, id, &old) < 0)
		goto fail;
	if (record_int(&old, CF_IN_POOL, 0)) {
		err_set(s->err, KH_ESTATE, N_("Customer %lld is already in the pool"),
		        (long long)id);
		goto fail;
	}
	if (movable(s, &old, version) < 0)
		goto fail;
	int64_t owner = record_int(&old, CF_OWNER, 0);
	if (owner != s->actor.user_id && !svc_can(s, PERM_CUSTOMER_ASSIGN)) {
		err_set(s->err, KH_EFORBIDDEN,
		        N_("Only the owner of customer %lld or a manager may release it to the "
		           "pool"),
		        (long long)id);
		goto fail;
	}
	to_pool(s, &old, &patch);
	if (pool_write(s, &old, &patch, "release", owner, 0, reason) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

/* The user named by text (an id or a username), enabled and in the actor's scope. */
static int assignee(svc *s, const char *text, int64_t *out)
{
	if (!text || !*text)
		return err_field(s->err, "owner", N_("Name the user to assign the customer to"));
	int64_t id = 0;
	const kh_record *u =
	        svc_parse_id(text, &id) ? snap_user(s->snap, id) : snap_user_by_name(s->snap, text);
	if (!u)
		return err_field(s->err, "owner", N_("No such user: %s"), text);
	if (record_int(u, UF_DISABLED, 0))
		return err_field(s->err, "owner", N_("User %s is disabled"), u->v[UF_USERNAME].s);
	*out = u->v[F_ID].i;
	if (!s->actor.system && !scope_covers_user(s, *out))
		return err_field(s->err, "owner", N_("That user is outside your data scope"));
	return 0;
}

int svc_pool_assign(svc *s, int64_t id, int64_t version, const char *owner)
{
	if (require(s, PERM_CUSTOMER_ASSIGN) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	int64_t to = 0;
	kh_record old, patch;
	if (assignee(s, owner, &to) < 0 || customer_load(s, id, false, &old) < 0)
		return -1;
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (store_lock(s->db, &user_entity, to, s->err) < 0 || hold_customer(s, id, &old) < 0)
		goto fail;
	if (movable(s, &old, version) < 0)
		goto fail;
	int64_t from = record_int(&old, CF_OWNER, 0);
	if (from == to) {
		err_set(s->err, KH_ESTATE, N_("Customer %lld already belongs to %s"), (long long)id,
		        user_name(s, to));
		goto fail;
	}
	if (check_room(s, to, false) < 0 || to_owner(s, &old, &patch, to) < 0)
		goto fail;
	if (!from)
		patch.v[CF_PREVIOUS_OWNER].state = V_ABSENT;
	if (pool_write(s, &old, &patch, "assign", from, to, NULL) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

int svc_pool_lock(svc *s, int64_t id, int64_t version, bool locked)
{
	if (require(s, PERM_CUSTOMER_ASSIGN) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	kh_record old;
	if (customer_load(s, id, false, &old) < 0)
		return -1;
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (hold_customer(s, id, &old) < 0 || movable(s, &old, version) < 0)
		goto fail;
	if (record_int(&old, CF_LOCKED, 0) == locked) {
		err_set(s->err, KH_ESTATE,
		        locked ? N_("Customer %lld is already locked")
		               : N_("Customer %lld is not locked"),
		        (long long)id);
		goto fail;
	}
	if (locked && record_int(&old, CF_IN_POOL, 0)) {
		err_set(s->err, KH_ESTATE,
		        N_("Customer %lld is in the pool: only a customer with an owner can be "
		           "locked"),
		        (long long)id);
		goto fail;
	}
	kh_record patch;
	record_init(&patch, &customer_entity, s->a);
	record_set_int(&patch, CF_LOCKED, locked);
	if (store_record_update(s->db, &patch, id, old.v[F_VERSION].i, svc_now(s), s->err) < 0 ||
	    audit_change(s, locked ? "lock" : "unlock", &customer_entity, id, &old, &patch) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

/*
 * Return customer id if, as it is now under its row lock, the rule `rule`
 * (cut-off day cutoff) still makes it due: a sweeper running at the same time
 * elsewhere, or a follow-up just logged, is seen here. *done tells.
 */
static int return_one(svc *s, int64_t id, int rule, const char *cutoff, int64_t days, bool *done)
{
	*done = false;
	kh_record old, patch;
	const char *taken = NULL;
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (hold_customer(s, id, &old) < 0) {
		if (s->err->code != KH_ENOTFOUND)
			goto fail;
		err_clear(s->err); /* deleted meanwhile */
		store_rollback(s->db);
		return 0;
	}
	if (store_pool_taken_over(s->db, id, s->a, &taken, s->err) < 0)
		goto fail;
	const char *last = pool_last_contact(record_text(&old, CF_FIRST_CONTACT_DATE),
	                                     record_text(&old, CF_LAST_FOLLOWUP_DATE),
	                                     record_text(&old, CF_LAST_DEAL_DATE), taken);
	int64_t owner = record_int(&old, CF_OWNER, 0);
	if (record_int(&old, CF_IN_POOL, 0) || !owner || record_int(&old, CF_LOCKED, 0) ||
	    record_int(&old, CF_ARCHIVED, 0) ||
	    pool_rule_index(record_text(&old, CF_GRADE)) != rule || !pool_overdue(last, cutoff)) {
		store_rollback(s->db);
		return 0;
	}
	to_pool(s, &old, &patch);
	const char *reason = arena_printf(
	        s->a,
	        tr(s->lang, N_("No follow-up or deal since %.10s (the rule: back to the "
	                       "pool after %lld days)")),
	        last, (long long)days);
	if (pool_write(s, &old, &patch, "return", owner, 0, reason) < 0)
		goto fail;
	if (store_commit(s->db, s->err) < 0)
		return -1;
	*done = true;
	return 0;
fail:
	store_rollback(s->db);
	return -1;
}

int svc_pool_sweep(svc *s, const char *today, int64_t *returned)
{
	*returned = 0;
	/* the rules are the company's and a sweep touches every department: by hand,
	 * it is the administrator's (kehu serve sweeps by itself anyway) */
	if (require(s, PERM_SETTINGS) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	if (!today)
		today = svc_today(s);
	else if (!date_valid(today))
		return err_field(s->err, "today", N_("Expected a date like 2024-05-10"));
	static const char *const grades[POOL_RULES] = {NULL, "A", "B", "C", "D", "E"};
	for (int rule = 0; rule < POOL_RULES; rule++) {
		int64_t days = setting_value(s, rule_keys[rule]);
		char cutoff[DATE_LEN];
		if (days <= 0 || !date_add_days(cutoff, today, (int)-days))
			continue;
		int64_t after = 0;
		for (;;) {
			int64_t *ids;
			int n;
			if (store_pool_due(s->db, grades[rule], cutoff, after, SWEEP_BATCH, s->a,
			                   &ids, &n, s->err) < 0)
				return -1;
			for (int i = 0; i < n; i++) {
				bool done;
				if (return_one(s, ids[i], rule, cutoff, days, &done) < 0)
					return -1;
				*returned += done;
			}
			if (n < SWEEP_BATCH)
				break;
			after = ids[n - 1];
		}
	}
	return 0;
}

int svc_pool_events(svc *s, int64_t customer_id, const kv *params, int nparams, list_page *page)
{
	return list_by_customer(s, &pool_event_entity, PERM_CUSTOMER_ASSIGN, customer_id, params,
	                        nparams, page);
}

/* ---- the archive 历史库 ---- */

int svc_archive_suggestions(svc *s, const kv *params, int nparams, list_page *page)
{
	if (require(s, PERM_CUSTOMER_READ) < 0 || require(s, PERM_ARCHIVE) < 0)
		return -1;
	memset(page, 0, sizeof(*page));
	for (int i = 0; i < nparams; i++)
		if (!strcmp(params[i].key, "view")) {
			err_field(
			        s->err, "view",
			        N_("Suggestions are live customers outside the archive; leave view "
			           "out"));
			s->err->code = KH_EBADREQ;
			return -1;
		}
	kh_query q;
	bool *want;
	int *fields;
	if (parse_list_params(s, &customer_entity, params, nparams, &q, &want, &fields,
	                      &page->nfields) < 0)
		return -1;
	page->fields = fields;
	char before[DATE_LEN];
	int64_t months = setting_value(s, "archive_after_months");
	if (!date_add_months(before, svc_today(s), (int)-months))
		return err_set(s->err, KH_EINTERNAL, NULL);
	q.view = VIEW_STALE;
	q.stale_before = arena_strdup(s->a, before);
	want[CF_STATUS] = want[CF_LAST_FOLLOWUP_DATE] = want[CF_LAST_DEAL_DATE] = true;
	return customer_page(s, &q, want, page);
}

int svc_archive_bulk(svc *s, const int64_t *ids, int n)
{
	if (require(s, PERM_ARCHIVE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	if (n <= 0)
		return err_field(s->err, "ids", N_("Give at least one customer id"));
	if (n > ARCHIVE_MAX_IDS)
		return err_field(s->err, "ids", N_("At most %d customers at once"),
		                 ARCHIVE_MAX_IDS);
	kh_record *old = arena_calloc(s->a, (size_t)n, sizeof(kh_record));
	if (store_begin(s->db, s->err) < 0)
		return -1;
	/* every customer checked (and held) first: all are archived, or none */
	for (int i = 0; i < n; i++) {
		const char *field = arena_printf(s->a, "ids[%d]", i);
		bool twice = false;
		for (int k = 0; k < i && !twice; k++)
			twice = ids[k] == ids[i];
		kh_err e;
		err_init(&e, s->a, s->lang);
		kh_err *keep = s->err;
		s->err = &e;
		int rc = twice ? 0 : hold_customer(s, ids[i], &old[i]);
		s->err = keep;
		if (twice) {
			err_field(s->err, field, N_("Customer %lld is listed twice"),
			          (long long)ids[i]);
		} else if (rc < 0 && e.code != KH_ENOTFOUND) {
			*s->err = e;
			goto fail;
		} else if (rc < 0 || !customer_visible(s, &old[i])) {
			err_field(s->err, field, N_("Customer %lld not found"), (long long)ids[i]);
		} else if (record_int(&old[i], CF_ARCHIVED, 0)) {
			err_field(s->err, field, N_("Customer %lld is already archived"),
			          (long long)ids[i]);
		}
	}
	if (s->err->code != KH_OK)
		goto fail;
	for (int i = 0; i < n; i++)
		if (customer_archive_write(s, &old[i], old[i].v[F_VERSION].i, true) < 0)
			goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}
