/*
 * visit — visit plans 拜访计划, visits 拜访记录 and the daily visit report
 * 拜访日报 (DESIGN 1.7, seed 002). Plans and visits are record kinds: the
 * generic use cases of records.c give them scope, validation, versions and
 * audit; the rules here are theirs only:
 *
 *  - a visit may name the plan it carries out, a live plan of the same
 *    customer that was not called off; a plan is "done" exactly while a live
 *    visit names it, kept so in the visit's transaction;
 *  - a visit's expenses by item are rows of its own (visit_expenses), its
 *    expense_total their sum;
 *  - a visit is a contact with the customer: it moves the customer's last
 *    follow-up date like a follow-up does;
 *  - the daily report counts a salesperson's visits of one day, as far as the
 *    viewer sees them, and holds the note the salesperson signs the day with.
 */
#include <stdlib.h>
#include <string.h>

#include "core/validate.h"
#include "core/visit.h"
#include "service/internal.h"
#include "service/render.h"
#include "util/date.h"
#include "util/money.h"

/* How many live visits carry out plan id. */
static int plan_visits(svc *s, int64_t plan_id, int64_t *n)
{
	return store_count_refs(s->db, &visit_entity, VF_PLAN, plan_id, n, s->err);
}

/* ---- plans ---- */

static int plan_prepare(svc *s, kh_record *r, const kh_record *old)
{
	default_owner(s, r, old, VPF_OWNER);
	if (!old && r->v[VPF_STATUS].state != V_SET)
		record_set_text(r, VPF_STATUS, PLAN_PLANNED);
	if (r->v[VPF_STATUS].state == V_NULL)
		return err_field(s->err, "status",
		                 N_("Plan status must be planned, done or cancelled"));
	if (r->v[VPF_STATUS].state != V_SET ||
	    (old && !strcmp(r->v[VPF_STATUS].s, old->v[VPF_STATUS].s)))
		return 0;
	if (!strcmp(r->v[VPF_STATUS].s, PLAN_DONE))
		return err_field(
		        s->err, "status",
		        N_("A plan is done when a visit record names it; record the visit"));
	int64_t n = 0;
	if (old && plan_visits(s, old->v[F_ID].i, &n) < 0)
		return -1;
	if (n > 0)
		return err_field(s->err, "status",
		                 N_("A visit carries out this plan: it stays done while the visit "
		                    "names it"));
	return 0;
}

const record_kind visit_plan_kind = {
        .ent = &visit_plan_entity,
        .path = "visit-plans",
        .customer_field = VPF_CUSTOMER,
        .date_field = VPF_DATE,
        .summary_field = VPF_PURPOSE,
        .write_perm = PERM_CUSTOMER_WRITE,
        .prepare = plan_prepare,
};

/* Set plan id's status from the visits that name it (in the caller's transaction). */
static int plan_sync(svc *s, int64_t plan_id)
{
	kh_record plan;
	if (store_record_get(s->db, &visit_plan_entity, plan_id, false, s->a, &plan, s->err) < 0) {
		if (s->err->code != KH_ENOTFOUND)
			return -1;
		err_clear(s->err); /* a deleted plan keeps the status it had */
		return 0;
	}
	int64_t n;
	if (plan_visits(s, plan_id, &n) < 0)
		return -1;
	const char *now = plan.v[VPF_STATUS].s;
	const char *want = n > 0 ? PLAN_DONE : !strcmp(now, PLAN_DONE) ? PLAN_PLANNED : now;
	if (!strcmp(want, now))
		return 0;
	kh_record patch;
	record_init(&patch, &visit_plan_entity, s->a);
	record_set_text(&patch, VPF_STATUS, want);
	if (store_record_update(s->db, &patch, plan_id, plan.v[F_VERSION].i, svc_now(s), s->err) <
	    0)
		return -1;
	return audit_change(s, "update", &visit_plan_entity, plan_id, &plan, &patch);
}

/* ---- visits ---- */

static int visit_prepare(svc *s, kh_record *r, const kh_record *old)
{
	default_owner(s, r, old, VF_OWNER);
	if (!old && r->v[VF_EXPENSE_TOTAL].state == V_ABSENT)
		record_set_int(r, VF_EXPENSE_TOTAL, 0);
	if (r->v[VF_PLAN].state != V_SET ||
	    (old && record_is_set(old, VF_PLAN) && old->v[VF_PLAN].i == r->v[VF_PLAN].i))
		return 0;
	int64_t customer = old ? old->v[VF_CUSTOMER].i : r->v[VF_CUSTOMER].i;
	int64_t plan_id = r->v[VF_PLAN].i;
	kh_record plan;
	kh_err e2;
	err_init(&e2, s->a, s->lang);
	if (store_record_get(s->db, &visit_plan_entity, plan_id, false, s->a, &plan, &e2) < 0 ||
	    plan.v[VPF_CUSTOMER].i != customer)
		/* a plan of another customer is as good as none: it may be out of sight */
		return err_field(s->err, "plan_id",
		                 N_("Visit plan %lld is not a plan of this customer"),
		                 (long long)plan_id);
	if (!strcmp(plan.v[VPF_STATUS].s, PLAN_CANCELLED))
		return err_field(s->err, "plan_id",
		                 N_("Visit plan %lld was cancelled; set it to planned first"),
		                 (long long)plan_id);
	return 0;
}

static int visit_after(svc *s, int64_t customer_id, const kh_record *old, const kh_record *now)
{
	if (store_customer_recompute(s->db, customer_id, s->err) < 0)
		return -1;
	int64_t was = old ? record_int(old, VF_PLAN, 0) : 0;
	int64_t is = now ? record_int(now, VF_PLAN, 0) : 0;
	if (was && was != is && plan_sync(s, was) < 0)
		return -1;
	return is ? plan_sync(s, is) : 0;
}

static int expenses_derive(svc *s, kh_record *r, const kh_record *rows, int n)
{
	int64_t total = 0;
	for (int i = 0; i < n; i++)
		total += rows[i].v[VEF_AMOUNT].i;
	if (total > MONEY_MAX_FEN)
		return err_field(s->err, "expenses",
		                 N_("%s must be an amount from 0 to 10,000,000,000,000 yuan"),
		                 tr(s->lang, N_("Expenses (yuan)")));
	record_set_int(r, VF_EXPENSE_TOTAL, total);
	return 0;
}

/* "交通=35.50" or "交通=35.50:出租车": item, amount in yuan, note */
static int expense_from_text(svc *s, const char *text, kh_record *row)
{
	const char *eq = strchr(text, '=');
	if (!eq || eq == text)
		return err_field(
		        s->err, "expense",
		        N_("Give an expense as ITEM=YUAN or ITEM=YUAN:NOTE, like 交通=35.50"));
	record_set_text(row, VEF_ITEM, arena_strndup(s->a, text, (size_t)(eq - text)));
	const char *colon = strchr(eq + 1, ':');
	const char *amount = colon ? arena_strndup(s->a, eq + 1, (size_t)(colon - eq - 1)) : eq + 1;
	int64_t fen;
	if (!money_parse_yuan(amount, &fen))
		return err_field(s->err, "expense", N_("\"%s\" is not an amount in yuan"), amount);
	record_set_int(row, VEF_AMOUNT, fen);
	if (colon && colon[1])
		record_set_text(row, VEF_NOTE, colon + 1);
	return 0;
}

static const int expense_shown[] = {VEF_ITEM, VEF_AMOUNT, VEF_NOTE};

static const record_children visit_expenses = {
        .key = "expenses",
        .cli_opt = "expense",
        .ent = &visit_expense_entity,
        .fields = expense_shown,
        .nfields = 3,
        .max = 50,
        .derive = expenses_derive,
        .from_text = expense_from_text,
};

const record_kind visit_kind = {
        .ent = &visit_entity,
        .path = "visits",
        .customer_field = VF_CUSTOMER,
        .date_field = VF_DATE,
        .summary_field = VF_SUMMARY,
        .amount_field = VF_EXPENSE_TOTAL,
        .write_perm = PERM_CUSTOMER_WRITE,
        .prepare = visit_prepare,
        .after = visit_after,
        .children = &visit_expenses,
};

/* ---- the daily report ---- */

/* Add n to the tally of code (dictionary kind) in *t, growing it. */
static void tally_add(svc *s, const char *kind, visit_tally **t, int *nt, int *cap,
                      const char *code, int64_t n)
{
	for (int i = 0; i < *nt; i++)
		if ((!code && !(*t)[i].code) ||
		    (code && (*t)[i].code && !strcmp(code, (*t)[i].code))) {
			(*t)[i].n += n;
			return;
		}
	visit_tally *x = ARENA_PUSH(s->a, *t, *nt, *cap);
	const dict_option *o = code ? dict_find(s->snap->dicts, kind, code) : NULL;
	x->code = code;
	x->zh = o ? o->label_zh : code ? code : "未填";
	x->en = o ? o->label_en : code ? code : "not given";
	x->n = n;
}

/* Every live option of kind, at 0, in display order: the form's columns. */
static void tally_init(svc *s, const char *kind, visit_tally **t, int *nt, int *cap)
{
	const dict_option *opts[64];
	int n = dict_list(s->snap->dicts, kind, opts, 64);
	for (int i = 0; i < n; i++)
		if (!opts[i]->retired)
			tally_add(s, kind, t, nt, cap, opts[i]->code, 0);
}

/* The day's note of user_id, if submitted. */
static int day_note(svc *s, int64_t user_id, const char *date, kh_record *out, bool *found)
{
	kh_query q;
	memset(&q, 0, sizeof(q));
	q.ent = &visit_day_entity;
	q.sort_field = F_ID;
	q.limit = 1;
	q.view = VIEW_ACTIVE;
	q.scope.kind = SCOPE_MATCH_ALL; /* the caller checked who may see it */
	kh_value *v = arena_calloc(s->a, 2, sizeof(kh_value));
	v[0].state = V_SET;
	v[0].i = user_id;
	v[1].state = V_SET;
	v[1].s = date;
	q.filters[0] = (kh_filter){.field = VDF_OWNER, .op = OP_IN, .nvals = 1, .vals = &v[0]};
	q.filters[1] = (kh_filter){.field = VDF_DATE, .op = OP_IN, .nvals = 1, .vals = &v[1]};
	q.nfilters = 2;
	kh_record *rows;
	int n;
	bool more;
	if (store_record_list(s->db, &q, NULL, s->a, &rows, &n, &more, s->err) < 0)
		return -1;
	*found = n > 0;
	if (n)
		*out = rows[0];
	return 0;
}

/* Whose report the actor may read (user: an id or username, NULL for the actor):
 * their own, or a user in their scope. */
static int day_user(svc *s, const char *user, int64_t *user_id)
{
	*user_id = s->actor.user_id;
	if (user) {
		const kh_record *u = NULL;
		int64_t id;
		u = svc_parse_id(user, &id) ? snap_user(s->snap, id)
		                            : snap_user_by_name(s->snap, user);
		if (!u)
			return err_field(s->err, "user", N_("No user \"%s\""), user);
		*user_id = u->v[F_ID].i;
	}
	if (!*user_id)
		return err_field(s->err, "user", N_("Name the user whose visits to report"));
	if (*user_id != s->actor.user_id && !scope_covers_user(s, *user_id))
		return err_set(s->err, KH_EFORBIDDEN,
		               N_("The visits of this user are outside your data scope"));
	return 0;
}

static int day_date(svc *s, const char **date)
{
	if (!*date)
		*date = svc_today(s);
	else if (!date_valid(*date))
		return err_field(s->err, "date", N_("%s must be a date like 2024-05-10"),
		                 tr(s->lang, N_("Date")));
	return 0;
}

int svc_visit_day(svc *s, const char *user, const char *date, visit_day_report *out)
{
	memset(out, 0, sizeof(*out));
	int64_t user_id;
	if (require(s, PERM_CUSTOMER_READ) < 0 || svc_snapshot(s, -1) < 0 ||
	    day_user(s, user, &user_id) < 0 || day_date(s, &date) < 0)
		return -1;
	out->user_id = user_id;
	out->date = date;
	/* the visits, page by page, through the scope of their customers */
	const char *owner = arena_printf(s->a, "%lld", (long long)user_id);
	const char *after = NULL;
	int cap = 0;
	do {
		kv params[5] = {{"owner", owner},
		                {"date", date},
		                {"sort", "id"},
		                {"limit", "500"},
		                {"after", after}};
		list_page p;
		if (svc_record_list(s, &visit_kind, 0, params, after ? 5 : 4, &p) < 0)
			return -1;
		for (int i = 0; i < p.n; i++)
			*ARENA_PUSH(s->a, out->visits, out->nvisits, cap) = p.rows[i];
		after = p.next;
	} while (after);
	out->customer_names = arena_calloc(s->a, (size_t)out->nvisits + 1, sizeof(char *));
	out->contact_names = arena_calloc(s->a, (size_t)out->nvisits + 1, sizeof(char *));
	out->expenses = arena_calloc(s->a, (size_t)out->nvisits + 1, sizeof(child_rows));
	int cp = 0, co = 0, ce = 0;
	tally_init(s, "visit_purpose", &out->purposes, &out->npurposes, &cp);
	tally_init(s, "visit_outcome", &out->outcomes, &out->noutcomes, &co);
	tally_init(s, "expense_item", &out->expenses_by_item, &out->nexpense_items, &ce);
	for (int i = 0; i < out->nvisits; i++) {
		kh_record *v = &out->visits[i];
		kh_record c;
		if (customer_load(s, v->v[VF_CUSTOMER].i, false, &c) < 0 ||
		    svc_record_children(s, &visit_kind, v->v[F_ID].i, &out->expenses[i]) < 0)
			return -1;
		out->customer_names[i] = record_text(&c, CF_NAME);
		kh_record met;
		if (record_is_set(v, VF_CONTACT)) {
			/* a contact of the same customer (checked when saved), deleted or not */
			if (store_record_get(s->db, &contact_entity, v->v[VF_CONTACT].i, true, s->a,
			                     &met, s->err) < 0)
				return -1;
			out->contact_names[i] = record_text(&met, KF_NAME);
		}
		tally_add(s, "visit_purpose", &out->purposes, &out->npurposes, &cp,
		          record_text(v, VF_PURPOSE), 1);
		tally_add(s, "visit_outcome", &out->outcomes, &out->noutcomes, &co,
		          record_text(v, VF_OUTCOME), 1);
		for (int k = 0; k < out->expenses[i].n; k++) {
			const kh_record *x = &out->expenses[i].rows[k];
			tally_add(s, "expense_item", &out->expenses_by_item, &out->nexpense_items,
			          &ce, record_text(x, VEF_ITEM), x->v[VEF_AMOUNT].i);
			out->expense_total += x->v[VEF_AMOUNT].i;
		}
	}
	return day_note(s, user_id, date, &out->note, &out->submitted);
}

int svc_visit_day_submit(svc *s, const char *date, int64_t version, kh_record *note, kh_record *out)
{
	if (require(s, PERM_CUSTOMER_WRITE) < 0 || svc_snapshot(s, -1) < 0 ||
	    day_date(s, &date) < 0)
		return -1;
	if (!s->actor.user_id)
		return err_set(s->err, KH_EBADREQ, N_("Only a user may sign off their visits"));
	if (strcmp(date, svc_today(s)) > 0)
		return err_field(s->err, "date",
		                 N_("A day that has not come cannot be signed off"));
	kh_record old;
	bool found;
	if (day_note(s, s->actor.user_id, date, &old, &found) < 0)
		return -1;
	record_validate(note, found ? &old : NULL, 0, NULL, s->a, s->err);
	if (s->err->code != KH_OK)
		return -1;
	/* the caller's note stays as given: a refused sign-off may be retried with it */
	kh_record w;
	record_copy(&w, note, s->a);
	note = &w;
	record_set_text(note, VDF_SUBMITTED_AT, svc_now(s));
	if (store_begin(s->db, s->err) < 0)
		return -1;
	int64_t id;
	if (found) {
		id = old.v[F_ID].i;
		if (store_record_update(s->db, note, id, version, svc_now(s), s->err) < 0 ||
		    audit_change(s, "update", &visit_day_entity, id, &old, note) < 0)
			goto fail;
	} else {
		if (version) {
			err_set(s->err, KH_ECONFLICT, NULL);
			goto fail;
		}
		record_set_int(note, VDF_OWNER, s->actor.user_id);
		record_set_text(note, VDF_DATE, date);
		stamp_new(s, note);
		if (store_record_insert(s->db, note, s->err) < 0)
			goto fail;
		id = note->v[F_ID].i;
		if (audit_change(s, "create", &visit_day_entity, id, NULL, note) < 0)
			goto fail;
	}
	if (commit_or_rollback(s) < 0)
		return -1;
	return out ? store_record_get(s->db, &visit_day_entity, id, false, s->a, out, s->err) : 0;
fail:
	store_rollback(s->db);
	return -1;
}

static json_t *tallies_json(const visit_tally *t, int n, const char *what)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a,
		                      json_pack("{s:s?, s:s, s:s, s:I}", "code", t[i].code, "zh",
		                                t[i].zh, "en", t[i].en, what, (json_int_t)t[i].n));
	return a;
}

json_t *render_visit_day(svc *s, const visit_day_report *d)
{
	const kh_record *u = snap_user(s->snap, d->user_id);
	json_t *visits = json_array();
	for (int i = 0; i < d->nvisits; i++) {
		json_t *v = render_record(s, &d->visits[i]);
		json_object_set_new(v, "customer_name", json_string(d->customer_names[i]));
		json_object_set_new(v, "contact_name",
		                    d->contact_names[i] ? json_string(d->contact_names[i])
		                                        : json_null());
		json_object_set_new(v, "expenses",
		                    render_children(s, &visit_kind, &d->expenses[i]));
		json_array_append_new(visits, v);
	}
	return json_pack("{s:{s:I, s:s?}, s:s, s:I, s:o, s:o, s:o, s:o, s:I, s:o}", "user", "id",
	                 (json_int_t)d->user_id, "name", u ? record_text(u, UF_DISPLAY_NAME) : NULL,
	                 "date", d->date, "visit_count", (json_int_t)d->nvisits, "visits", visits,
	                 "purposes", tallies_json(d->purposes, d->npurposes, "count"), "outcomes",
	                 tallies_json(d->outcomes, d->noutcomes, "count"), "expenses",
	                 tallies_json(d->expenses_by_item, d->nexpense_items, "amount"),
	                 "expense_total", (json_int_t)d->expense_total, "submission",
	                 d->submitted ? render_record(s, &d->note) : json_null());
}
