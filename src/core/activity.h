/*
 * activity — the working records kept around a customer (DESIGN 1.3-1.6):
 * follow-ups 跟进记录, orders 合作/购买记录, opportunities 销售机会 and
 * service tickets 反馈/投诉. Each hangs off one customer (customer_id) and
 * is visible exactly when its customer is.
 */
#ifndef KEHU_CORE_ACTIVITY_H
#define KEHU_CORE_ACTIVITY_H

#include "core/entity.h"

enum followup_field {
	UPF_CUSTOMER = F_NSYSTEM,
	UPF_CONTACT,
	UPF_DATE,
	UPF_METHOD,
	UPF_CONTENT,
	UPF_RESULT,
	UPF_NEXT_STEP,
	UPF_NEXT_STEP_DUE,
	UPF_PARTICIPANTS,
	UPF_OWNER,
	UPF__COUNT
};

enum order_field {
	ORF_CUSTOMER = F_NSYSTEM,
	ORF_DATE,
	ORF_PRODUCT,
	ORF_QUANTITY,
	ORF_AMOUNT,
	ORF_COST,
	ORF_PAID_ON_TIME,
	ORF_COMPLETED,
	ORF_REMARKS,
	ORF_OWNER,
	ORF__COUNT
};

enum opportunity_field {
	OPF_CUSTOMER = F_NSYSTEM,
	OPF_CODE,
	OPF_NAME,
	OPF_STAGE,
	OPF_EXPECTED_AMOUNT,
	OPF_EXPECTED_CLOSE,
	OPF_PROBABILITY,
	OPF_PRODUCT,
	OPF_CONTACT,
	OPF_LOST_REASON,
	OPF_LOST_NOTE,
	OPF_CLOSED_DATE,
	OPF_ORDER,
	OPF_REMARKS,
	OPF_OWNER,
	OPF__COUNT
};

/* The stages of an opportunity (dictionary kind opportunity_stage); won and
 * lost close it. Admins may add open stages of their own. */
#define STAGE_WON  "won"
#define STAGE_LOST "lost"
/* The win probability (percent) a stage gives when none is named: 10, 25, 50,
 * 75 for the built-in open stages, 100 won, 0 lost; -1 for a stage of an admin's. */
int stage_probability(const char *stage);

enum ticket_field {
	TKF_CUSTOMER = F_NSYSTEM,
	TKF_CONTACT,
	TKF_TYPE,
	TKF_IS_COMPLAINT,
	TKF_CONTENT,
	TKF_STATUS,
	TKF_HANDLER,
	TKF_OPENED_AT,
	TKF_STARTED_AT,
	TKF_RESOLVED_AT,
	TKF_RESOLUTION,
	TKF_SATISFACTION,
	TKF_SUGGESTION,
	TKF__COUNT
};

/* Ticket statuses (dictionary kind ticket_status): 待处理 → 处理中 → 已解决. */
#define TICKET_OPEN        "open"
#define TICKET_IN_PROGRESS "in_progress"
#define TICKET_RESOLVED    "resolved"

extern const kh_entity followup_entity;
extern const kh_entity order_entity;
extern const kh_entity opportunity_entity;
extern const kh_entity ticket_entity;

#endif
