/*
 * activity — follow-ups and orders: the kinds and the rules that keep the
 * customer's derived fields true at every moment (DESIGN 1.3, 1.4).
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

/* The person who logs or sells is the acting user unless someone else is named. */
static int default_owner(svc *s, kh_record *r, const kh_record *old, int field)
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
        .customer_field = ORF_CUSTOMER,
        .date_field = ORF_DATE,
        .summary_field = ORF_PRODUCT,
        .write_perm = PERM_ORDER_WRITE,
        .prepare = order_prepare,
        .after = order_after,
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
