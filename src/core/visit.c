/*
 * visit — field tables of visit plans, visits, their expenses and the daily
 * report note, and the checks that need no database.
 */
#include "core/visit.h"

#include <string.h>

#include "util/err.h"

#define L FF_LIST
#define S FF_SORT
#define Q FF_FILTER

bool visit_plan_status_valid(const char *s)
{
	return s &&
	       (!strcmp(s, PLAN_PLANNED) || !strcmp(s, PLAN_DONE) || !strcmp(s, PLAN_CANCELLED));
}

/* "HH:MM", 00:00 to 23:59 */
static bool time_of_day_valid(const char *s)
{
	if (strlen(s) != 5 || s[2] != ':')
		return false;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return false;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	return h < 24 && m < 60;
}

static const kh_field visit_plan_fields[VPF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [VPF_CUSTOMER] = {"customer_id", "customer_id", N_("Customer"), FT_REF,
                          FF_REQUIRED | FF_CREATE_ONLY | Q | L, "customer", 0, MASK_NONE},
        [VPF_CONTACT] = {"contact_id", "contact_id", N_("Contact"), FT_REF, Q | L, "contact", 0,
                         MASK_NONE},
        [VPF_DATE] = {"date", "date", N_("Planned date"), FT_DATE, FF_REQUIRED | S | Q | L, NULL, 0,
                      MASK_NONE},
        [VPF_TIME] = {"time", "time", N_("Planned time"), FT_TEXT, L, NULL, 5, MASK_NONE},
        [VPF_PURPOSE] = {"purpose", "purpose", N_("Visit purpose"), FT_DICT, Q | L, "visit_purpose",
                         0, MASK_NONE},
        [VPF_PLACE] = {"place", "place", N_("Place"), FT_TEXT, L, NULL, 200, MASK_NONE},
        [VPF_AREA] = {"area", "area", N_("Route area"), FT_TEXT, Q | L, NULL, 100, MASK_NONE},
        [VPF_REMARKS] = {"remarks", "remarks", N_("Remarks"), FT_LONGTEXT, 0, NULL, 2000,
                         MASK_NONE},
        [VPF_STATUS] = {"status", "status", N_("Plan status"), FT_TEXT, Q | L, NULL, 20, MASK_NONE},
        [VPF_OWNER] = {"owner", "owner_id", N_("Visitor"), FT_USER, Q | L, NULL, 0, MASK_NONE},
};

static int visit_plan_check(kh_record *r, bool create, arena *a, kh_err *e)
{
	(void)create;
	(void)a;
	int rc = 0;
	if (record_is_set(r, VPF_TIME) && !time_of_day_valid(r->v[VPF_TIME].s))
		rc = err_field(e, "time", N_("Planned time must be a time of day like 09:30"));
	if (record_is_set(r, VPF_STATUS) && !visit_plan_status_valid(r->v[VPF_STATUS].s))
		rc = err_field(e, "status", N_("Plan status must be planned, done or cancelled"));
	return rc;
}

const kh_entity visit_plan_entity = {
        .name = "visit_plan",
        .table = "visit_plans",
        .label = N_("Visit plan"),
        .fields = visit_plan_fields,
        .nfields = VPF__COUNT,
        .check = visit_plan_check,
};

#define RATING(idx, key, label)                                                                    \
	[idx] = {key, key, label, FT_INT, FF_FROM_ONE | Q, NULL, VISIT_RATING_MAX, MASK_NONE}

static const kh_field visit_fields[VF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [VF_CUSTOMER] = {"customer_id", "customer_id", N_("Customer"), FT_REF,
                         FF_REQUIRED | FF_CREATE_ONLY | Q | L, "customer", 0, MASK_NONE},
        [VF_CONTACT] = {"contact_id", "contact_id", N_("Person met"), FT_REF, Q | L, "contact", 0,
                        MASK_NONE},
        [VF_PLAN] = {"plan_id", "plan_id", N_("Visit plan"), FT_REF, Q | L, "visit_plan", 0,
                     MASK_NONE},
        [VF_DATE] = {"date", "date", N_("Visit date"), FT_DATE, FF_REQUIRED | S | Q | L, NULL, 0,
                     MASK_NONE},
        [VF_PURPOSE] = {"purpose", "purpose", N_("Visit purpose"), FT_DICT, Q | L, "visit_purpose",
                        0, MASK_NONE},
        [VF_OUTCOME] = {"outcome", "outcome", N_("Visit outcome"), FT_DICT, Q | L, "visit_outcome",
                        0, MASK_NONE},
        [VF_SUMMARY] = {"summary", "summary", N_("What was discussed"), FT_LONGTEXT,
                        FF_REQUIRED | L, NULL, 5000, MASK_NONE},
        [VF_ATTENDEES] = {"attendees", "attendees", N_("Attendees"), FT_TEXT, 0, NULL, 200,
                          MASK_NONE},
        [VF_ISSUES_SOLVED] = {"issues_solved", "issues_solved", N_("Issues solved"), FT_LONGTEXT, 0,
                              NULL, 2000, MASK_NONE},
        [VF_TO_WATCH] = {"to_watch", "to_watch", N_("Things to watch"), FT_LONGTEXT, 0, NULL, 2000,
                         MASK_NONE},
        RATING(VF_RATE_GROWTH, "rating_growth", N_("Growth rating (1-5)")),
        RATING(VF_RATE_CREDIT, "rating_credit", N_("Credit rating (1-5)")),
        RATING(VF_RATE_PROFIT, "rating_profit", N_("Profit rating (1-5)")),
        RATING(VF_RATE_POSITION, "rating_position", N_("Industry position rating (1-5)")),
        [VF_EVALUATION] = {"evaluation", "evaluation", N_("Overall evaluation"), FT_LONGTEXT, 0,
                           NULL, 2000, MASK_NONE},
        [VF_EXPENSE_TOTAL] = {"expense_total", "expense_total", N_("Expenses (yuan)"), FT_MONEY,
                              FF_DERIVED | S | Q | L, NULL, 0, MASK_NONE},
        [VF_OWNER] = {"owner", "owner_id", N_("Visitor"), FT_USER, Q | L, NULL, 0, MASK_NONE},
};

const kh_entity visit_entity = {
        .name = "visit",
        .table = "visits",
        .label = N_("Visit"),
        .fields = visit_fields,
        .nfields = VF__COUNT,
};

static const kh_field visit_expense_fields[VEF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [VEF_VISIT] = {"visit_id", "visit_id", N_("Visit"), FT_REF, FF_READONLY, "visit", 0,
                       MASK_NONE},
        [VEF_ITEM] = {"item", "item", N_("Expense item"), FT_DICT, FF_REQUIRED | L, "expense_item",
                      0, MASK_NONE},
        [VEF_AMOUNT] = {"amount", "amount", N_("Amount (yuan)"), FT_MONEY, FF_REQUIRED | L, NULL, 0,
                        MASK_NONE},
        [VEF_NOTE] = {"note", "note", N_("Note"), FT_TEXT, L, NULL, 200, MASK_NONE},
};

static int visit_expense_check(kh_record *r, bool create, arena *a, kh_err *e)
{
	(void)create;
	(void)a;
	if (record_is_set(r, VEF_AMOUNT) && r->v[VEF_AMOUNT].i == 0)
		return err_field(e, "amount", N_("An expense must be more than 0 yuan"));
	return 0;
}

const kh_entity visit_expense_entity = {
        .name = "visit_expense",
        .table = "visit_expenses",
        .label = N_("Visit expense"),
        .fields = visit_expense_fields,
        .nfields = VEF__COUNT,
        .check = visit_expense_check,
};

static const kh_field visit_day_fields[VDF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [VDF_OWNER] = {"owner", "owner_id", N_("Salesperson"), FT_USER, FF_READONLY | Q | L, NULL,
                       0, MASK_NONE},
        [VDF_DATE] = {"date", "date", N_("Date"), FT_DATE, FF_READONLY | S | Q | L, NULL, 0,
                      MASK_NONE},
        [VDF_SUMMARY] = {"summary", "summary", N_("Summary of the day"), FT_LONGTEXT, L, NULL, 5000,
                         MASK_NONE},
        [VDF_ISSUES_HANDLED] = {"issues_handled", "issues_handled", N_("Issues handled today"),
                                FT_LONGTEXT, L, NULL, 2000, MASK_NONE},
        [VDF_ISSUES_OPEN] = {"issues_open", "issues_open", N_("Issues still open"), FT_LONGTEXT, L,
                             NULL, 2000, MASK_NONE},
        [VDF_SUBMITTED_AT] = {"submitted_at", "submitted_at", N_("Submitted at"), FT_TIME,
                              FF_READONLY | L, NULL, 0, MASK_NONE},
};

const kh_entity visit_day_entity = {
        .name = "visit_day",
        .table = "visit_days",
        .label = N_("Daily visit report"),
        .fields = visit_day_fields,
        .nfields = VDF__COUNT,
};
