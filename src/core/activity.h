/*
 * activity — the working records kept around a customer (DESIGN 1.3-1.6):
 * follow-ups 跟进记录 and orders 合作/购买记录 so far. Each hangs off one
 * customer (customer_id) and is visible exactly when its customer is.
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

extern const kh_entity followup_entity;
extern const kh_entity order_entity;

#endif
