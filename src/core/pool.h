/*
 * pool — the customer pool 公海 (DESIGN 1.1 in_pool): the history of who
 * took a customer from the pool or gave it back (pool events), and the
 * return rule's arithmetic. Which customers are due, claiming and the
 * limits are use cases in src/service/pool.c; nothing here touches a
 * database.
 */
#ifndef KEHU_CORE_POOL_H
#define KEHU_CORE_POOL_H

#include <stdbool.h>

#include "core/entity.h"

enum pool_event_field {
	PEF_CUSTOMER = F_NSYSTEM,
	PEF_ACTION, /* claim, release, assign, return */
	PEF_FROM_OWNER,
	PEF_TO_OWNER,
	PEF_REASON,
	PEF__COUNT
};

extern const kh_entity pool_event_entity;

/* The return rules: one per customer grade A-E, and one for customers
 * without a grade (index 0). */
#define POOL_RULES 6

/* The rule index of a customer's grade: 1-5 for A-E, 0 for none or another. */
int pool_rule_index(const char *grade);

/*
 * The day a customer was last dealt with: the latest of its first contact,
 * last follow-up, last deal and the day its owner took it over (each a
 * "YYYY-MM-DD..." text or NULL). NULL when all are NULL.
 */
const char *pool_last_contact(const char *first_contact, const char *last_followup,
                              const char *last_deal, const char *taken_over);

/* True when a customer last dealt with on last (see above) falls back to the
 * pool under a rule whose cut-off day is cutoff: nothing since before it. */
bool pool_overdue(const char *last, const char *cutoff);

#endif
