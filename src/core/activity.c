/*
 * activity — field tables of follow-ups, orders, opportunities and tickets.
 */
#include "core/activity.h"

#include <string.h>

#include "util/err.h"

#define L FF_LIST
#define S FF_SORT
#define Q FF_FILTER

static const kh_field followup_fields[UPF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [UPF_CUSTOMER] = {"customer_id", "customer_id", N_("Customer"), FT_REF,
                          FF_REQUIRED | FF_CREATE_ONLY | Q | L, "customer", 0, MASK_NONE},
        [UPF_CONTACT] = {"contact_id", "contact_id", N_("Contact"), FT_REF, Q | L, "contact", 0,
                         MASK_NONE},
        [UPF_DATE] = {"date", "date", N_("Follow-up date"), FT_DATE, FF_REQUIRED | S | Q | L, NULL,
                      0, MASK_NONE},
        [UPF_METHOD] = {"method", "method", N_("Follow-up method"), FT_DICT, Q | L,
                        "followup_method", 0, MASK_NONE},
        [UPF_CONTENT] = {"content", "content", N_("What was discussed"), FT_LONGTEXT,
                         FF_REQUIRED | L, NULL, 5000, MASK_NONE},
        [UPF_RESULT] = {"result", "result", N_("Result"), FT_LONGTEXT, L, NULL, 2000, MASK_NONE},
        [UPF_NEXT_STEP] = {"next_step", "next_step", N_("Next step"), FT_LONGTEXT, L, NULL, 2000,
                           MASK_NONE},
        [UPF_NEXT_STEP_DUE] = {"next_step_due", "next_step_due", N_("Next step due"), FT_DATE,
                               Q | L, NULL, 0, MASK_NONE},
        [UPF_PARTICIPANTS] = {"participants", "participants", N_("Participants"), FT_TEXT, L, NULL,
                              200, MASK_NONE},
        [UPF_OWNER] = {"owner", "owner_id", N_("Logged by"), FT_USER, Q | L, NULL, 0, MASK_NONE},
};

const kh_entity followup_entity = {
        .name = "followup",
        .table = "followups",
        .label = N_("Follow-up"),
        .fields = followup_fields,
        .nfields = UPF__COUNT,
};

static const kh_field order_fields[ORF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [ORF_CUSTOMER] = {"customer_id", "customer_id", N_("Customer"), FT_REF,
                          FF_REQUIRED | FF_CREATE_ONLY | Q | L, "customer", 0, MASK_NONE},
        [ORF_DATE] = {"date", "date", N_("Order date"), FT_DATE, FF_REQUIRED | S | Q | L, NULL, 0,
                      MASK_NONE},
        [ORF_PRODUCT] = {"product", "product", N_("Product or service"), FT_DICT, Q | L, "product",
                         0, MASK_NONE},
        [ORF_QUANTITY] = {"quantity", "quantity", N_("Quantity"), FT_INT, L, NULL, 100000000,
                          MASK_NONE},
        [ORF_AMOUNT] = {"amount", "amount", N_("Amount (yuan)"), FT_MONEY, FF_REQUIRED | S | Q | L,
                        NULL, 0, MASK_NONE},
        [ORF_COST] = {"cost", "cost", N_("Cost (yuan)"), FT_MONEY, L, NULL, 0, MASK_NONE},
        [ORF_PAID_ON_TIME] = {"paid_on_time", "paid_on_time", N_("Paid on time"), FT_BOOL, Q | L,
                              NULL, 0, MASK_NONE},
        [ORF_COMPLETED] = {"completed", "completed", N_("Completed"), FT_BOOL, Q | L, NULL, 0,
                           MASK_NONE},
        [ORF_REMARKS] = {"remarks", "remarks", N_("Remarks"), FT_LONGTEXT, L, NULL, 2000,
                         MASK_NONE},
        [ORF_OWNER] = {"owner", "owner_id", N_("Sold by"), FT_USER, Q | L, NULL, 0, MASK_NONE},
};

const kh_entity order_entity = {
        .name = "order",
        .table = "orders",
        .label = N_("Order"),
        .fields = order_fields,
        .nfields = ORF__COUNT,
};

static const kh_field opportunity_fields[OPF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [OPF_CUSTOMER] = {"customer_id", "customer_id", N_("Customer"), FT_REF,
                          FF_REQUIRED | FF_CREATE_ONLY | Q | L, "customer", 0, MASK_NONE},
        [OPF_CODE] = {"code", "code", N_("Opportunity code"), FT_TEXT, FF_READONLY | Q | L, NULL,
                      32, MASK_NONE},
        [OPF_NAME] = {"name", "name", N_("Opportunity name"), FT_TEXT, FF_REQUIRED | L, NULL, 100,
                      MASK_NONE},
        [OPF_STAGE] = {"stage", "stage", N_("Sales stage"), FT_DICT, Q | L, "opportunity_stage", 0,
                       MASK_NONE},
        [OPF_EXPECTED_AMOUNT] = {"expected_amount", "expected_amount", N_("Expected amount (yuan)"),
                                 FT_MONEY, S | Q | L, NULL, 0, MASK_NONE},
        [OPF_EXPECTED_CLOSE] = {"expected_close_date", "expected_close_date",
                                N_("Expected close date"), FT_DATE, S | Q | L, NULL, 0, MASK_NONE},
        [OPF_PROBABILITY] = {"probability", "probability", N_("Win probability (%)"), FT_INT, L,
                             NULL, 100, MASK_NONE},
        [OPF_PRODUCT] = {"product", "product", N_("Product or service"), FT_DICT, Q | L, "product",
                         0, MASK_NONE},
        [OPF_CONTACT] = {"contact_id", "contact_id", N_("Contact"), FT_REF, Q, "contact", 0,
                         MASK_NONE},
        [OPF_LOST_REASON] = {"lost_reason", "lost_reason", N_("Lost reason"), FT_DICT, Q | L,
                             "lost_reason", 0, MASK_NONE},
        [OPF_LOST_NOTE] = {"lost_note", "lost_note", N_("Why it was lost"), FT_LONGTEXT, 0, NULL,
                           2000, MASK_NONE},
        [OPF_CLOSED_DATE] = {"closed_date", "closed_date", N_("Closed on"), FT_DATE,
                             FF_READONLY | S | Q | L, NULL, 0, MASK_NONE},
        [OPF_ORDER] = {"order_id", "order_id", N_("Order"), FT_REF, FF_READONLY, "order", 0,
                       MASK_NONE},
        [OPF_REMARKS] = {"remarks", "remarks", N_("Remarks"), FT_LONGTEXT, 0, NULL, 2000,
                         MASK_NONE},
        [OPF_OWNER] = {"owner", "owner_id", N_("Owner"), FT_USER, Q | L, NULL, 0, MASK_NONE},
};

const kh_entity opportunity_entity = {
        .name = "opportunity",
        .table = "opportunities",
        .label = N_("Opportunity"),
        .fields = opportunity_fields,
        .nfields = OPF__COUNT,
};

int stage_probability(const char *stage)
{
	static const struct {
		const char *stage;
		int percent;
	} table[] = {{"lead", 10},        {"analysis", 25}, {"proposal", 50},
	             {"negotiation", 75}, {STAGE_WON, 100}, {STAGE_LOST, 0}};
	for (size_t i = 0; stage && i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].stage, stage))
			return table[i].percent;
	return -1;
}

static const kh_field ticket_fields[TKF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [TKF_CUSTOMER] = {"customer_id", "customer_id", N_("Customer"), FT_REF,
                          FF_REQUIRED | FF_CREATE_ONLY | Q | L, "customer", 0, MASK_NONE},
        [TKF_CONTACT] = {"contact_id", "contact_id", N_("Contact"), FT_REF, Q, "contact", 0,
                         MASK_NONE},
        [TKF_TYPE] = {"type", "type", N_("Ticket type"), FT_DICT, Q | L, "ticket_type", 0,
                      MASK_NONE},
        [TKF_IS_COMPLAINT] = {"is_complaint", "is_complaint", N_("Complaint"), FT_BOOL, Q | L, NULL,
                              0, MASK_NONE},
        [TKF_CONTENT] = {"content", "content", N_("Feedback or complaint"), FT_LONGTEXT,
                         FF_REQUIRED | L, NULL, 5000, MASK_NONE},
        [TKF_STATUS] = {"status", "status", N_("Ticket status"), FT_DICT, Q | L, "ticket_status", 0,
                        MASK_NONE},
        [TKF_HANDLER] = {"handler", "handler_id", N_("Handler"), FT_USER, Q | L, NULL, 0,
                         MASK_NONE},
        [TKF_OPENED_AT] = {"opened_at", "opened_at", N_("Opened at"), FT_TIME,
                           FF_CREATE_ONLY | S | Q | L, NULL, 0, MASK_NONE},
        [TKF_STARTED_AT] = {"started_at", "started_at", N_("Taken up at"), FT_TIME, FF_READONLY,
                            NULL, 0, MASK_NONE},
        [TKF_RESOLVED_AT] = {"resolved_at", "resolved_at", N_("Resolved at"), FT_TIME,
                             FF_READONLY | S | Q | L, NULL, 0, MASK_NONE},
        [TKF_RESOLUTION] = {"resolution", "resolution", N_("Resolution"), FT_LONGTEXT, 0, NULL,
                            5000, MASK_NONE},
        [TKF_SATISFACTION] = {"satisfaction", "satisfaction", N_("Satisfaction (1-5)"), FT_INT,
                              FF_FROM_ONE | Q | L, NULL, 5, MASK_NONE},
        [TKF_SUGGESTION] = {"suggestion", "suggestion", N_("Customer's suggestion"), FT_LONGTEXT, 0,
                            NULL, 2000, MASK_NONE},
};

const kh_entity ticket_entity = {
        .name = "ticket",
        .table = "tickets",
        .label = N_("Service ticket"),
        .fields = ticket_fields,
        .nfields = TKF__COUNT,
};
