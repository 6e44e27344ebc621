/*
 * visit — visits 拜访 (DESIGN 1.7, seed 002's 客户联络计划表, 客户拜访记录表
 * and 客户拜访日报表): plans of visits, the records of visits made with their
 * expenses by item, and the salesperson's signed-off daily report note.
 * Plans and records hang off one customer and are visible exactly when it
 * is; this file holds their field tables and the rules that need no
 * database (time of day, ratings, plan status).
 */
#ifndef KEHU_CORE_VISIT_H
#define KEHU_CORE_VISIT_H

#include "core/entity.h"

/* A plan's status: planned until a visit carries it out (done) or it is
 * called off (cancelled). */
#define PLAN_PLANNED   "planned"
#define PLAN_DONE      "done"
#define PLAN_CANCELLED "cancelled"

/* Ratings of a customer's growth, credit, profit and industry position. */
#define VISIT_RATING_MAX 5

enum visit_plan_field {
	VPF_CUSTOMER = F_NSYSTEM,
	VPF_CONTACT,
	VPF_DATE,
	VPF_TIME,
	VPF_PURPOSE,
	VPF_PLACE,
	VPF_AREA,
	VPF_REMARKS,
	VPF_STATUS,
	VPF_OWNER,
	VPF__COUNT
};

enum visit_field {
	VF_CUSTOMER = F_NSYSTEM,
	VF_CONTACT,
	VF_PLAN,
	VF_DATE,
	VF_PURPOSE,
	VF_OUTCOME,
	VF_SUMMARY,
	VF_ATTENDEES,
	VF_ISSUES_SOLVED,
	VF_TO_WATCH,
	VF_RATE_GROWTH,
	VF_RATE_CREDIT,
	VF_RATE_PROFIT,
	VF_RATE_POSITION,
	VF_EVALUATION,
	VF_EXPENSE_TOTAL,
	VF_OWNER,
	VF__COUNT
};

/* One expense of a visit, by item (交通, 餐饮 ...), in fen. */
enum visit_expense_field { VEF_VISIT = F_NSYSTEM, VEF_ITEM, VEF_AMOUNT, VEF_NOTE, VEF__COUNT };

/* The salesperson's note that signs off the day's visits (日报 填表人). */
enum visit_day_field {
	VDF_OWNER = F_NSYSTEM,
	VDF_DATE,
	VDF_SUMMARY,
	VDF_ISSUES_HANDLED,
	VDF_ISSUES_OPEN,
	VDF_SUBMITTED_AT,
	VDF__COUNT
};

extern const kh_entity visit_plan_entity;
extern const kh_entity visit_entity;
extern const kh_entity visit_expense_entity;
extern const kh_entity visit_day_entity;

/* True for a plan status code (planned, done, cancelled). */
bool visit_plan_status_valid(const char *s);

#endif
