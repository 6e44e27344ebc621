/*
 * customer — the customer record (客户档案, DESIGN 1.1) and its contacts
 * (联系人, DESIGN 1.2): field tables and the rules that need no database.
 *
 * The CF_* (customer field) and KF_* (contact field) enums index the field
 * tables; code that touches a particular field uses them, generic code walks
 * the table. org.h has UF_ (user), DF_ (department), OF_ (dictionary option)
 * and XF_ (custom field definition) in the same way.
 */
#ifndef KEHU_CORE_CUSTOMER_H
#define KEHU_CORE_CUSTOMER_H

#include "core/entity.h"

enum customer_field {
	CF_CODE = F_NSYSTEM,
	CF_NAME,
	CF_KIND,
	CF_INDUSTRY,
	CF_REGION,
	CF_PROVINCE,
	CF_CITY,
	CF_DISTRICT,
	CF_STREET,
	CF_SOURCE,
	CF_STATUS,
	CF_STAGE,
	CF_ABC_CLASS,
	CF_GRADE,
	CF_LEVEL_PINNED,
	CF_TAGS,
	CF_OWNER,
	CF_DEPARTMENT,
	CF_FIRST_CONTACT_DATE,
	CF_FIRST_DEAL_DATE,
	CF_LAST_DEAL_DATE,
	CF_LAST_FOLLOWUP_DATE,
	CF_DEAL_COUNT,
	CF_DEAL_AMOUNT,
	CF_CONTRACT_AMOUNT,
	CF_PURCHASE_ESTIMATE,
	CF_SALES_TARGET,
	CF_PRODUCTS,
	CF_REQUIREMENT,
	CF_NEXT_STEP,
	CF_NEXT_STEP_DUE,
	CF_DISTANCE_KM,
	CF_NO_VISIT_TIMES,
	CF_REMARKS,
	CF_CREDIT_CODE,
	CF_GENDER,
	CF_BIRTH_DATE,
	CF_INCOME_BAND,
	CF_NEED_TYPE,
	CF_CHANNEL,
	CF_URBAN_RURAL,
	CF_COMPASS,
	CF_PAYMENT_ATTITUDE,
	CF_FUNDING_STATUS,
	CF_BUSINESS_STATUS,
	CF_PERSONAL_PROFILE,
	CF_CUSTOM,
	CF_ARCHIVED,
	CF_ARCHIVED_AT,
	CF_IN_POOL,
	CF_POOL_SINCE,
	CF_LOCKED,
	CF_PREVIOUS_OWNER,
	/* the legacy totals a customer came with (import), before any order or
	 * follow-up was recorded here; the derived fields add the records to them */
	CF_OPENING_DEAL_COUNT,
	CF_OPENING_DEAL_AMOUNT,
	CF_OPENING_FIRST_DEAL_DATE,
	CF_OPENING_LAST_DEAL_DATE,
	CF_OPENING_LAST_FOLLOWUP_DATE,
	/* the recommendation of the customer's latest evaluation (DESIGN 1.9) */
	CF_RELATIONSHIP,
	/* the customer a merged (deleted) duplicate went into */
	CF_MERGED_INTO,
	CF__COUNT
};

enum contact_field {
	KF_CUSTOMER = F_NSYSTEM,
	KF_NAME,
	KF_POSITION,
	KF_PHONE,
	KF_EMAIL,
	KF_WECHAT,
	KF_PRIMARY,
	KF_REMARKS,
	KF__COUNT
};

extern const kh_entity customer_entity;

/* The legacy totals a customer may come with (import, demo data), each beside the
 * opening balance it becomes: {CF_DEAL_COUNT, CF_OPENING_DEAL_COUNT} ... */
#define CUSTOMER_NOPENING 5
extern const int customer_opening[CUSTOMER_NOPENING][2];
extern const kh_entity contact_entity;

/* Status code that marks a lost customer (流失客户). */
#define CUSTOMER_STATUS_LOST "lost"

/*
 * Lifecycle stage code from the deal history (report 12): "potential" with
 * no deal, "lost" when the status is lost or the last deal is older than
 * lost_days, "loyal" with at least loyal_count deals, else "new".
 */
const char *customer_stage(int64_t deal_count, const char *last_deal_date, const char *status,
                           const char *today, int loyal_count, int lost_days);

#endif
