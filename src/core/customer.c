/*
 * customer — field tables of customers and contacts, and their checks.
 */
#include "core/customer.h"

#include <string.h>

#include "core/credit_code.h"
#include "core/code_rule.h"
#include "core/phone.h"
#include "util/date.h"
#include "util/err.h"

#define L FF_LIST
#define S FF_SORT
#define Q FF_FILTER

static const kh_field customer_fields[CF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [CF_CODE] = {"code", "code", N_("Customer code"), FT_TEXT, FF_CREATE_ONLY | S | Q | L, NULL,
                     CODE_MAX_LEN, MASK_NONE},
        [CF_NAME] = {"name", "name", N_("Customer name"), FT_TEXT, FF_REQUIRED | S | Q | L, NULL,
                     200, MASK_NONE},
        [CF_KIND] = {"kind", "kind", N_("Customer kind"), FT_DICT, S | Q | L, "customer_kind", 0,
                     MASK_NONE},
        [CF_INDUSTRY] = {"industry", "industry", N_("Industry"), FT_DICT, S | Q | L, "industry", 0,
                         MASK_NONE},
        [CF_REGION] = {"region", "region", N_("Sales region"), FT_DICT, S | Q | L, "region", 0,
                       MASK_NONE},
        [CF_PROVINCE] = {"province", "province", N_("Province"), FT_TEXT, S | Q | L, NULL, 32,
                         MASK_NONE},
        [CF_CITY] = {"city", "city", N_("City"), FT_TEXT, S | Q | L, NULL, 32, MASK_NONE},
        [CF_DISTRICT] = {"district", "district", N_("District"), FT_TEXT, Q, NULL, 32, MASK_NONE},
        [CF_STREET] = {"street", "street", N_("Street address"), FT_TEXT, FF_PII, NULL, 200,
                       MASK_ADDRESS},
        [CF_SOURCE] = {"source", "source", N_("Customer source"), FT_DICT, S | FF_REQUIRED | Q | L,
                       "source", 0, MASK_NONE},
        [CF_STATUS] = {"status", "status", N_("Cooperation status"), FT_DICT,
                       S | FF_REQUIRED | Q | L, "customer_status", 0, MASK_NONE},
        [CF_STAGE] = {"stage", "stage", N_("Lifecycle stage"), FT_DICT, S | FF_DERIVED | Q | L,
                      "customer_stage", 0, MASK_NONE},
        [CF_ABC_CLASS] = {"abc_class", "abc_class", N_("ABC class"), FT_TEXT,
                          S | FF_DERIVED | Q | L, NULL, 1, MASK_NONE},
        [CF_GRADE] = {"grade", "grade", N_("Customer grade"), FT_TEXT, S | FF_DERIVED | Q | L, NULL,
                      1, MASK_NONE},
        [CF_LEVEL_PINNED] = {"level_pinned", "level_pinned", N_("Level pinned"), FT_BOOL,
                             FF_DERIVED, NULL, 0, MASK_NONE},
        [CF_TAGS] = {"tags", "tags", N_("Tags"), FT_TAGS, Q | L, NULL, 0, MASK_NONE},
        [CF_OWNER] = {"owner", "owner_id", N_("Owner"), FT_USER, S | Q | L, NULL, 0, MASK_NONE},
        [CF_DEPARTMENT] = {"department", "department_id", N_("Department"), FT_DEPT,
                           FF_DERIVED | Q | L, NULL, 0, MASK_NONE},
        [CF_FIRST_CONTACT_DATE] = {"first_contact_date", "first_contact_date",
                                   N_("First contact date"), FT_DATE, FF_REQUIRED | S | Q | L, NULL,
                                   0, MASK_NONE},
        [CF_FIRST_DEAL_DATE] = {"first_deal_date", "first_deal_date", N_("First deal date"),
                                FT_DATE, FF_DERIVED | S | Q | L, NULL, 0, MASK_NONE},
        [CF_LAST_DEAL_DATE] = {"last_deal_date", "last_deal_date", N_("Last deal date"), FT_DATE,
                               FF_DERIVED | S | Q | L, NULL, 0, MASK_NONE},
        [CF_LAST_FOLLOWUP_DATE] = {"last_followup_date", "last_followup_date",
                                   N_("Last follow-up date"), FT_DATE, FF_DERIVED | S | Q | L, NULL,
                                   0, MASK_NONE},
        [CF_DEAL_COUNT] = {"deal_count", "deal_count", N_("Deal count"), FT_INT,
                           FF_DERIVED | S | Q | L, NULL, 0, MASK_NONE},
        [CF_DEAL_AMOUNT] = {"deal_amount", "deal_amount", N_("Total spent (yuan)"), FT_MONEY,
                            FF_DERIVED | S | Q | L, NULL, 0, MASK_NONE},
        [CF_CONTRACT_AMOUNT] = {"contract_amount", "contract_amount", N_("Contract amount (yuan)"),
                                FT_MONEY, S | Q | L, NULL, 0, MASK_NONE},
        [CF_PURCHASE_ESTIMATE] = {"purchase_estimate", "purchase_estimate",
                                  N_("Estimated yearly purchases (yuan)"), FT_MONEY, Q, NULL, 0,
                                  MASK_NONE},
        [CF_SALES_TARGET] = {"sales_target", "sales_target", N_("Yearly sales target (yuan)"),
                             FT_MONEY, Q, NULL, 0, MASK_NONE},
        [CF_PRODUCTS] = {"products", "products", N_("Main products or services"), FT_TEXT, 0, NULL,
                         500, MASK_NONE},
        [CF_REQUIREMENT] = {"requirement", "requirement", N_("Requirement"), FT_LONGTEXT,
                            FF_REQUIRED, NULL, 5000, MASK_NONE},
        [CF_NEXT_STEP] = {"next_step", "next_step", N_("Next step"), FT_LONGTEXT, L, NULL, 2000,
                          MASK_NONE},
        [CF_NEXT_STEP_DUE] = {"next_step_due", "next_step_due", N_("Next step due"), FT_DATE,
                              S | Q | L, NULL, 0, MASK_NONE},
        [CF_DISTANCE_KM] = {"distance_km", "distance_km", N_("Distance from us (km)"), FT_INT, Q,
                            NULL, 100000, MASK_NONE},
        [CF_NO_VISIT_TIMES] = {"no_visit_times", "no_visit_times", N_("Times not to visit"),
                               FT_TEXT, 0, NULL, 200, MASK_NONE},
        [CF_REMARKS] = {"remarks", "remarks", N_("Remarks"), FT_LONGTEXT, 0, NULL, 5000, MASK_NONE},
        [CF_CREDIT_CODE] = {"credit_code", "credit_code", N_("Unified social credit code"), FT_TEXT,
                            Q, NULL, 18, MASK_NONE},
        [CF_GENDER] = {"gender", "gender", N_("Gender"), FT_DICT, Q, "gender", 0, MASK_NONE},
        [CF_BIRTH_DATE] = {"birth_date", "birth_date", N_("Birth date"), FT_DATE, FF_PII, NULL, 0,
                           MASK_DATE},
        [CF_INCOME_BAND] = {"income_band", "income_band", N_("Income band"), FT_DICT, Q,
                            "income_band", 0, MASK_NONE},
        [CF_NEED_TYPE] = {"need_type", "need_type", N_("Need type"), FT_DICT, Q, "need_type", 0,
                          MASK_NONE},
        [CF_CHANNEL] = {"channel", "channel", N_("Preferred channel"), FT_DICT, Q, "channel", 0,
                        MASK_NONE},
        [CF_URBAN_RURAL] = {"urban_rural", "urban_rural", N_("Urban or rural"), FT_DICT, Q,
                            "urban_rural", 0, MASK_NONE},
        [CF_COMPASS] = {"compass", "compass", N_("East, west, south or north"), FT_DICT, Q,
                        "compass", 0, MASK_NONE},
        [CF_PAYMENT_ATTITUDE] = {"payment_attitude", "payment_attitude", N_("Payment attitude"),
                                 FT_DICT, Q, "payment_attitude", 0, MASK_NONE},
        [CF_FUNDING_STATUS] = {"funding_status", "funding_status", N_("Funding status"), FT_DICT, Q,
                               "funding_status", 0, MASK_NONE},
        [CF_BUSINESS_STATUS] = {"business_status", "business_status", N_("Business status"),
                                FT_DICT, Q, "business_status", 0, MASK_NONE},
        [CF_PERSONAL_PROFILE] = {"personal_profile", "personal_profile", N_("Personal profile"),
                                 FT_LONGTEXT, FF_PROFILE, NULL, 10000, MASK_NONE},
        [CF_CUSTOM] = {"custom", "custom", N_("Custom fields"), FT_CUSTOM, L, NULL, 0, MASK_NONE},
        [CF_ARCHIVED] = {"archived", "archived", N_("Archived"), FT_BOOL, FF_READONLY | L, NULL, 0,
                         MASK_NONE},
        [CF_ARCHIVED_AT] = {"archived_at", "archived_at", N_("Archived at"), FT_TIME, FF_READONLY,
                            NULL, 0, MASK_NONE},
        [CF_IN_POOL] = {"in_pool", "in_pool", N_("In the customer pool"), FT_BOOL, FF_READONLY,
                        NULL, 0, MASK_NONE},
        [CF_POOL_SINCE] = {"pool_since", "pool_since", N_("In the pool since"), FT_TIME,
                           FF_READONLY, NULL, 0, MASK_NONE},
        [CF_LOCKED] = {"locked", "locked", N_("Locked"), FT_BOOL, FF_READONLY, NULL, 0, MASK_NONE},
        [CF_PREVIOUS_OWNER] = {"previous_owner", "previous_owner_id", N_("Previous owner"), FT_USER,
                               FF_READONLY, NULL, 0, MASK_NONE},
        [CF_OPENING_DEAL_COUNT] = {"opening_deal_count", "opening_deal_count",
                                   N_("Deal count before kehu"), FT_INT, FF_DERIVED, NULL, 0,
                                   MASK_NONE},
        [CF_OPENING_DEAL_AMOUNT] = {"opening_deal_amount", "opening_deal_amount",
                                    N_("Total spent before kehu (yuan)"), FT_MONEY, FF_DERIVED,
                                    NULL, 0, MASK_NONE},
        [CF_OPENING_FIRST_DEAL_DATE] = {"opening_first_deal_date", "opening_first_deal_date",
                                        N_("First deal date before kehu"), FT_DATE, FF_DERIVED,
                                        NULL, 0, MASK_NONE},
        [CF_OPENING_LAST_DEAL_DATE] = {"opening_last_deal_date", "opening_last_deal_date",
                                       N_("Last deal date before kehu"), FT_DATE, FF_DERIVED, NULL,
                                       0, MASK_NONE},
        [CF_OPENING_LAST_FOLLOWUP_DATE] = {"opening_last_followup_date",
                                           "opening_last_followup_date",
                                           N_("Last follow-up date before kehu"), FT_DATE,
                                           FF_DERIVED, NULL, 0, MASK_NONE},
        [CF_RELATIONSHIP] = {"relationship", "relationship", N_("Relationship recommendation"),
                             FT_DICT, FF_DERIVED | S | Q, "relationship_advice", 0, MASK_NONE},
        [CF_MERGED_INTO] = {"merged_into", "merged_into", N_("Merged into"), FT_REF, FF_READONLY,
                            "customer", 0, MASK_NONE},
};

static int customer_check(kh_record *r, bool create, arena *a, kh_err *e)
{
	(void)create;
	int rc = 0;
	if (record_is_set(r, CF_CREDIT_CODE)) {
		char *cc = credit_code_normalize(a, r->v[CF_CREDIT_CODE].s);
		if (!cc)
			rc = err_field(e, "credit_code",
			               N_("Unified social credit code must be 18 characters with a "
			                  "valid check character"));
		else
			r->v[CF_CREDIT_CODE].s = cc;
	}
	if (record_is_set(r, CF_CODE) && !code_valid(r->v[CF_CODE].s))
		rc = err_field(
		        e, "code",
		        N_("Customer code may hold only letters, digits, - _ . (at most 32)"));
	if (record_is_set(r, CF_GRADE)) {
		const char *g = r->v[CF_GRADE].s;
		if (strlen(g) != 1 || g[0] < 'A' || g[0] > 'E')
			rc = err_field(e, "grade", N_("Customer grade must be one of A to E"));
	}
	if (record_is_set(r, CF_ABC_CLASS)) {
		const char *g = r->v[CF_ABC_CLASS].s;
		if (strlen(g) != 1 || g[0] < 'A' || g[0] > 'C')
			rc = err_field(e, "abc_class", N_("ABC class must be A, B or C"));
	}
	return rc;
}

const int customer_opening[CUSTOMER_NOPENING][2] = {
        {CF_DEAL_COUNT, CF_OPENING_DEAL_COUNT},
        {CF_DEAL_AMOUNT, CF_OPENING_DEAL_AMOUNT},
        {CF_FIRST_DEAL_DATE, CF_OPENING_FIRST_DEAL_DATE},
        {CF_LAST_DEAL_DATE, CF_OPENING_LAST_DEAL_DATE},
        {CF_LAST_FOLLOWUP_DATE, CF_OPENING_LAST_FOLLOWUP_DATE},
};

const kh_entity customer_entity = {
        .name = "customer",
        .table = "customers",
        .label = N_("Customer"),
        .fields = customer_fields,
        .nfields = CF__COUNT,
        .check = customer_check,
};

static const kh_field contact_fields[KF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [KF_CUSTOMER] = {"customer_id", "customer_id", N_("Customer"), FT_REF,
                         FF_CREATE_ONLY | Q | L, "customer", 0, MASK_NONE},
        [KF_NAME] = {"name", "name", N_("Contact name"), FT_TEXT, FF_REQUIRED | S | Q | L, NULL, 64,
                     MASK_NONE},
        [KF_POSITION] = {"position", "position", N_("Position"), FT_TEXT, L, NULL, 64, MASK_NONE},
        [KF_PHONE] = {"phone", "phone", N_("Phone"), FT_TEXT, FF_REQUIRED | FF_PII | L, NULL, 40,
                      MASK_PHONE},
        [KF_EMAIL] = {"email", "email", N_("Email"), FT_TEXT, L, NULL, 200, MASK_NONE},
        [KF_WECHAT] = {"wechat", "wechat", N_("WeChat"), FT_TEXT, L, NULL, 64, MASK_NONE},
        [KF_PRIMARY] = {"primary", "is_primary", N_("Primary contact"), FT_BOOL, Q | L, NULL, 0,
                        MASK_NONE},
        [KF_REMARKS] = {"remarks", "remarks", N_("Remarks"), FT_LONGTEXT, L, NULL, 2000, MASK_NONE},
};

static bool email_plausible(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return false;
	const char *dot = strrchr(at, '.');
	return dot && dot > at + 1 && dot[1] && !strpbrk(s, " \t<>,;\"");
}

static int contact_check(kh_record *r, bool create, arena *a, kh_err *e)
{
	(void)create;
	int rc = 0;
	if (record_is_set(r, KF_PHONE)) {
		char *p = phone_normalize(a, r->v[KF_PHONE].s);
		if (!p)
			rc = err_field(e, "phone",
			               N_("Phone must be a mainland mobile (11 digits), a landline "
			                  "with area code, a 400/800 number or +country number"));
		else
			r->v[KF_PHONE].s = p;
	}
	if (record_is_set(r, KF_EMAIL) && !email_plausible(r->v[KF_EMAIL].s))
		rc = err_field(e, "email", N_("Email address is not valid"));
	return rc;
}

const kh_entity contact_entity = {
        .name = "contact",
        .table = "contacts",
        .label = N_("Contact"),
        .fields = contact_fields,
        .nfields = KF__COUNT,
        .check = contact_check,
};

const char *customer_stage(int64_t deal_count, const char *last_deal_date, const char *status,
                           const char *today, int loyal_count, int lost_days)
{
	if (status && strcmp(status, CUSTOMER_STATUS_LOST) == 0)
		return "lost";
	if (deal_count <= 0)
		return "potential";
	if (last_deal_date && today) {
		int y1, m1, d1, y2, m2, d2;
		if (date_parse(last_deal_date, &y1, &m1, &d1) && date_parse(today, &y2, &m2, &d2) &&
		    date_to_days(y2, m2, d2) - date_to_days(y1, m1, d1) > lost_days)
			return "lost";
	}
	return deal_count >= loyal_count ? "loyal" : "new";
}
