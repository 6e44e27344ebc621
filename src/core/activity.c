/*
 * activity — field tables of follow-ups and orders.
 */
#include "core/activity.h"

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
