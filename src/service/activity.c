/*
 * activity — follow-ups, orders, opportunities and service tickets: the
 * kinds, the rules that keep the customer's derived fields true at every
 * moment (DESIGN 1.3, 1.4), the stages of an opportunity (1.5) and the
 * statuses of a ticket (1.6).
 *
 * A follow-up sets the customer's last follow-up date and, when it is the
 * latest, its next step and due date. An order changes the customer's deal
 * count, amount, first and last deal date and lifecycle stage, and the per
 * customer, product and month sums the reports read instead of scanning
 * orders — all in the transaction of the order itself.
 */
#include <stdio.h>
#include <string.h>

#include "core/activity.h"
#include "core/validate.h"
#include "service/internal.h"

int default_owner(svc *s, kh_record *r, const kh_record *old, int field)
{
	if (!old && r->v[field].state == V_ABSENT && s->actor.user_id)
		record_set_int(r, field, s->actor.user_id);
	return 0;
}

static int followup_prepare(svc *s, kh_record *r, const kh_record *old)
{
	return default_owner(s, r, old, UPF_OWNER);
}

static int followup_after(svc *s, int64_t customer_id, const kh_record *old, const kh_record *now)
{
	if (store_customer_recompute(s->db, customer_id, s->err) < 0)
		return -1;
	kh_record latest;
	bool found;
	if (store_latest_followup(s->db, &followup_entity, customer_id, s->a, &latest, &found,
	                          s->err) < 0)
		return -1;
	/* only the latest follow-up speaks for the customer's next step: saving it, or
	 * changing or deleting what was the latest, sets it again */
	bool is_latest = now && found && latest.v[F_ID].i == now->v[F_ID].i;
	bool was_latest = old && (!found || strcmp(old->v[UPF_DATE].s, latest.v[UPF_DATE].s) > 0 ||
	                          (!strcmp(old->v[UPF_DATE].s, latest.v[UPF_DATE].s) &&
	                           old->v[F_ID].i >= latest.v[F_ID].i));
	if (!is_latest && !was_latest)
		return 0;
	return store_customer_set_next(
	        s->db, customer_id, found ? record_text(&latest, UPF_NEXT_STEP) : NULL,
	        found ? record_text(&latest, UPF_NEXT_STEP_DUE) : NULL, s->err);
}

const record_kind followup_kind = {
        .ent = &followup_entity,
        .path = "followups",
        .customer_field = UPF_CUSTOMER,
        .date_field = UPF_DATE,
        .summary_field = UPF_CONTENT,
        .write_perm = PERM_CUSTOMER_WRITE,
        .prepare = followup_prepare,
        .after = followup_after,
};

static int order_prepare(svc *s, kh_record *r, const kh_record *old)
{
	return default_owner(s, r, old, ORF_OWNER);
}

/* Add (sign 1) or take away (sign -1) an order in the per-month sums. */
static int order_sums(svc *s, int64_t customer_id, const kh_record *o, int sign)
{
	char month[8];
	snprintf(month, sizeof(month), "%.7s", o->v[ORF_DATE].s);
	return store_sales_add(s->db, customer_id, record_text(o, ORF_PRODUCT), month, sign,
	                       sign * record_int(o, ORF_AMOUNT, 0),
	                       sign * record_int(o, ORF_COST, 0), s->err);
}

static int order_after(svc *s, int64_t customer_id, const kh_record *old, const kh_record *now)
{
	if ((old && order_sums(s, customer_id, old, -1) < 0) ||
	    (now && order_sums(s, customer_id, now, 1) < 0) ||
	    store_customer_recompute(s->db, customer_id, s->err) < 0)
		return -1;
	return customer_restage(s, customer_id);
}

const record_kind order_kind = {
        .ent = &order_entity,
        .path = "orders",
        .customer_field = ORF_CUSTOMER,
        .date_field = ORF_DATE,
        .summary_field = ORF_PRODUCT,
        .amount_field = ORF_AMOUNT,
        .write_perm = PERM_ORDER_WRITE,
        .prepare = order_prepare,
        .after = order_after,
};

/* ---- opportunities: stages, won and lost ---- */

static bool stage_closed(const char *stage)
{
	return stage && (!strcmp(stage, STAGE_WON) || !strcmp(stage, STAGE_LOST));
}

/* The value of field f after the change: the patch's when it names one. */
static const char *after_change(const kh_record *r, const kh_record *old, int f)
{
	if (r->v[f].state != V_ABSENT || !old)
		return record_text(r, f);
	return record_text(old, f);
}

static int opportunity_prepare(svc *s, kh_record *r, const kh_record *old)
{
	if (default_owner(s, r, old, OPF_OWNER) < 0)
		return -1;
	const kh_field *fs = opportunity_entity.fields;
	const char *was = old ? record_text(old, OPF_STAGE) : NULL;
	if (!old && !record_is_set(r, OPF_STAGE))
		record_set_text(r, OPF_STAGE, "lead");
	if (old && r->v[OPF_STAGE].state == V_NULL)
		return err_field(s->err, fs[OPF_STAGE].name, N_("%s is required"),
		                 field_label(&fs[OPF_STAGE], s->lang));
	const char *stage = after_change(r, old, OPF_STAGE);
	bool moves = !was || strcmp(was, stage) != 0;
	if (moves && stage_closed(was))
		return err_field(s->err, fs[OPF_STAGE].name,
		                 N_("The opportunity is closed (won or lost): its stage no longer "
		                    "changes"));
	bool lost = !strcmp(stage, STAGE_LOST);
	const char *reason = after_change(r, old, OPF_LOST_REASON);
	if (lost && !reason)
		return err_field(s->err, fs[OPF_LOST_REASON].name,
		                 N_("%s is required when the opportunity is lost"),
		                 field_label(&fs[OPF_LOST_REASON], s->lang));
	if (!lost && reason)
		return err_field(s->err, fs[OPF_LOST_REASON].name,
		                 N_("%s is given only for a lost opportunity"),
		                 field_label(&fs[OPF_LOST_REASON], s->lang));
	if (!moves)
		return 0;
	/* a new stage brings its usual probability unless one is named with it */
	int p = stage_probability(stage);
	if (r->v[OPF_PROBABILITY].state == V_ABSENT && p >= 0)
		record_set_int(r, OPF_PROBABILITY, p);
	if (stage_closed(stage))
		record_set_text(r, OPF_CLOSED_DATE, svc_today(s));
	return 0;
}

const record_kind opportunity_kind = {
        .ent = &opportunity_entity,
        .path = "opportunities",
        .customer_field = OPF_CUSTOMER,
        .date_field = F_CREATED_AT,
        .summary_field = OPF_NAME,
        .amount_field = OPF_EXPECTED_AMOUNT,
        .write_perm = PERM_CUSTOMER_WRITE,
        .code_field = OPF_CODE,
        .code_prefix = "SJ",
        .history_field = OPF_STAGE,
        .prepare = opportunity_prepare,
};

int svc_opportunity_win(svc *s, int64_t id, int64_t version, kh_record *order, int64_t *order_id)
{
	*order_id = 0;
	if (require(s, opportunity_kind.write_perm) < 0 ||
	    (order && require(s, order_kind.write_perm) < 0) || svc_snapshot(s, -1) < 0)
		return -1;
	kh_record patch, old;
	record_init(&patch, &opportunity_entity, s->a);
	record_set_text(&patch, OPF_STAGE, STAGE_WON);
	if (record_update_check(s, &opportunity_kind, id, &patch, &old) < 0)
		return -1;
	if (!strcmp(record_text(&old, OPF_STAGE), STAGE_WON))
		return err_field(s->err, "stage", N_("The opportunity is won already"));
	if (order) {
		/* the order of the won opportunity: its customer, amount and product
		 * unless the order names them; dated today unless it says otherwise */
		record_set_int(order, ORF_CUSTOMER, old.v[OPF_CUSTOMER].i);
		if (order->v[ORF_DATE].state == V_ABSENT)
			record_set_text(order, ORF_DATE, svc_today(s));
		if (order->v[ORF_AMOUNT].state == V_ABSENT &&
		    record_is_set(&old, OPF_EXPECTED_AMOUNT))
			record_set_int(order, ORF_AMOUNT, old.v[OPF_EXPECTED_AMOUNT].i);
		if (order->v[ORF_PRODUCT].state == V_ABSENT && record_is_set(&old, OPF_PRODUCT))
			record_set_text(order, ORF_PRODUCT, old.v[OPF_PRODUCT].s);
		if (order->v[ORF_OWNER].state == V_ABSENT && record_is_set(&old, OPF_OWNER))
			record_set_int(order, ORF_OWNER, old.v[OPF_OWNER].i);
		if (record_create_check(s, &order_kind, order) < 0)
			return -1;
	}
	if (old.v[F_VERSION].i != version)
		return err_set(s->err, KH_ECONFLICT, NULL);
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (order) {
		if (record_create_txn(s, &order_kind, order) < 0)
			goto fail;
		*order_id = order->v[F_ID].i;
		record_set_int(&patch, OPF_ORDER, *order_id);
	}
	if (record_update_txn(s, &opportunity_kind, &old, &patch, version) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

/* ---- service tickets: 待处理 → 处理中 → 已解决 ---- */

/* Nothing goes back to 待处理: forward to 处理中 or 已解决, a resolved ticket
 * reopened to 处理中; an admin's own statuses count as being handled. */
static bool ticket_step_allowed(const char *from, const char *to)
{
	return !strcmp(from, to) || strcmp(to, TICKET_OPEN) != 0;
}

static int ticket_prepare(svc *s, kh_record *r, const kh_record *old)
{
	const kh_field *fs = ticket_entity.fields;
	const char *now = svc_now(s);
	if (!old) {
		if (!record_is_set(r, TKF_STATUS))
			record_set_text(r, TKF_STATUS, TICKET_OPEN);
		if (!record_is_set(r, TKF_OPENED_AT))
			record_set_text(r, TKF_OPENED_AT, now);
		if (!record_is_set(r, TKF_IS_COMPLAINT))
			record_set_int(r, TKF_IS_COMPLAINT, 0);
	} else if (r->v[TKF_STATUS].state == V_NULL) {
		return err_field(s->err, fs[TKF_STATUS].name, N_("%s is required"),
		                 field_label(&fs[TKF_STATUS], s->lang));
	}
	const char *was = old ? record_text(old, TKF_STATUS) : TICKET_OPEN;
	const char *status = after_change(r, old, TKF_STATUS);
	if (!ticket_step_allowed(was, status))
		return err_field(s->err, fs[TKF_STATUS].name,
		                 N_("A ticket goes from open to in progress to resolved (or is "
		                    "reopened when resolved); it cannot go back from %s to %s"),
		                 dict_label(s, "ticket_status", was),
		                 dict_label(s, "ticket_status", status));
	bool resolved = !strcmp(status, TICKET_RESOLVED);
	bool moves = strcmp(was, status) != 0 || !old;
	if (moves && strcmp(status, TICKET_OPEN) != 0) {
		/* taken up: when, and by whom unless a handler is named */
		if (!old || !record_is_set(old, TKF_STARTED_AT))
			record_set_text(r, TKF_STARTED_AT, now);
		if (!after_change(r, old, TKF_HANDLER) && r->v[TKF_HANDLER].state == V_ABSENT &&
		    s->actor.user_id)
			record_set_int(r, TKF_HANDLER, s->actor.user_id);
	}
	if (moves && resolved) {
		record_set_text(r, TKF_RESOLVED_AT, now);
		const char *res = after_change(r, old, TKF_RESOLUTION);
		if (!res || !*res)
			return err_field(s->err, fs[TKF_RESOLUTION].name,
			                 N_("%s is required to resolve a ticket"),
			                 field_label(&fs[TKF_RESOLUTION], s->lang));
	}
	if (moves && old && !strcmp(was, TICKET_RESOLVED)) {
		/* reopened: it is not resolved, and its satisfaction no longer holds */
		record_set_null(r, TKF_RESOLVED_AT);
		if (r->v[TKF_SATISFACTION].state == V_ABSENT &&
		    record_is_set(old, TKF_SATISFACTION))
			record_set_null(r, TKF_SATISFACTION);
	}
	if (record_is_set(r, TKF_SATISFACTION) && !resolved)
		return err_field(s->err, fs[TKF_SATISFACTION].name,
		                 N_("%s is given when the ticket is resolved"),
		                 field_label(&fs[TKF_SATISFACTION], s->lang));
	return 0;
}

const record_kind ticket_kind = {
        .ent = &ticket_entity,
        .path = "tickets",
        .customer_field = TKF_CUSTOMER,
        .date_field = TKF_OPENED_AT,
        .summary_field = TKF_CONTENT,
        .write_perm = PERM_TICKET_WRITE,
        .history_field = TKF_STATUS,
        .prepare = ticket_prepare,
};

/* Validate and insert r (a new follow-up or order of customer_id), audited. */
static int bulk_insert(svc *s, const record_kind *k, int64_t customer_id, kh_record *r)
{
	record_set_int(r, k->customer_field, customer_id);
	record_validate(r, NULL, 0, NULL, s->a, s->err);
	resolve_refs(s, r, NULL, NULL);
	if (s->err->code != KH_OK || (k->prepare && k->prepare(s, r, NULL) < 0))
		return -1;
	stamp_new(s, r);
	if (store_record_insert(s->db, r, s->err) < 0)
		return -1;
	return audit_change(s, "create", k->ent, r->v[F_ID].i, NULL, r);
}

int activity_add_history(svc *s, int64_t customer_id, kh_record *followups, int nf,
                         kh_record *orders, int no)
{
	int latest = -1;
	for (int i = 0; i < nf; i++) {
		if (bulk_insert(s, &followup_kind, customer_id, &followups[i]) < 0)
			return -1;
		if (latest < 0 ||
		    strcmp(followups[i].v[UPF_DATE].s, followups[latest].v[UPF_DATE].s) >= 0)
			latest = i;
	}
	for (int i = 0; i < no; i++)
		if (bulk_insert(s, &order_kind, customer_id, &orders[i]) < 0 ||
		    order_sums(s, customer_id, &orders[i], 1) < 0)
			return -1;
	/* what the hooks do after each record, once for them all */
	if (latest >= 0)
		return followup_after(s, customer_id, NULL, &followups[latest]) < 0
		               ? -1
		               : customer_restage(s, customer_id);
	if (store_customer_recompute(s->db, customer_id, s->err) < 0)
		return -1;
	return customer_restage(s, customer_id);
}
