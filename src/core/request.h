/*
 * request — requests that go through an approval chain (DESIGN 1.8, seed
 * 002's 客户招待申请表, 客户招待报告表, 礼品馈赠计划表/申请表): the field
 * tables of a request, its budget items, the steps copied from its chain
 * and the decisions taken on them, plus the chain steps as an admin writes
 * them. Which fields a type uses and the rules of one step live here; who
 * may act, scope and the transaction are the service's.
 */
#ifndef KEHU_CORE_REQUEST_H
#define KEHU_CORE_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/entity.h"
#include "util/err.h"

enum request_field {
	RQF_TYPE = F_NSYSTEM,
	RQF_CUSTOMER,
	RQF_APPLICANT,
	RQF_DEPARTMENT,
	RQF_PURPOSE,
	RQF_DATE,
	RQF_PLACE,
	RQF_ATTENDEES_OURS,
	RQF_ATTENDEES_THEIRS,
	RQF_ARRANGER,
	RQF_GIFT_NAME,
	RQF_QUANTITY,
	RQF_UNIT_VALUE,
	RQF_RECIPIENT,
	RQF_REPORT_OF,
	RQF_EFFECT,
	RQF_INFO_WANTED,
	RQF_FUTURE_USE,
	RQF_REMARKS,
	RQF_STATUS,
	RQF_CURRENT_STEP,
	RQF_SUBMITTED_AT,
	RQF_DECIDED_AT,
	RQF_BUDGET_TOTAL,
	RQF_ACTUAL_TOTAL,
	RQF__COUNT
};

enum request_item_field {
	RIF_REQUEST = F_NSYSTEM,
	RIF_ITEM,
	RIF_BUDGET,
	RIF_ACTUAL,
	RIF_NOTE,
	RIF__COUNT
};

enum request_step_field {
	RSF_REQUEST = F_NSYSTEM,
	RSF_STEP,
	RSF_KIND,
	RSF_ROLE,
	RSF_USER,
	RSF_DEPARTMENT,
	RSF__COUNT
};

enum request_decision_field {
	RDF_REQUEST = F_NSYSTEM,
	RDF_STEP,
	RDF_APPROVER,
	RDF_DECISION,
	RDF_COMMENT,
	RDF__COUNT
};

extern const kh_entity request_entity;
extern const kh_entity request_item_entity;
extern const kh_entity request_step_entity;
extern const kh_entity request_decision_entity;

#define REQUEST_MAX_ITEMS 20
#define CHAIN_MAX_STEPS   10

/* The request types, in display order. */
typedef struct request_type {
	const char *code;    /* entertainment, entertainment_report, gift */
	const char *label;   /* msgid */
	const int *required; /* field indexes required on create, ended by 0 */
	const int *used;     /* further fields the type uses, ended by 0 */
} request_type;
extern const request_type request_types[];
extern const int request_type_count;
const request_type *request_type_find(const char *code);

/* draft, pending, approved, rejected, withdrawn and their labels (msgids). */
#define REQ_DRAFT     "draft"
#define REQ_PENDING   "pending"
#define REQ_APPROVED  "approved"
#define REQ_REJECTED  "rejected"
#define REQ_WITHDRAWN "withdrawn"
const char *request_status_label(const char *status);

/*
 * Field errors (in e) for values r sets that its type does not use, and for
 * the type's required fields missing on a create (old NULL) or cleared by an
 * update. Returns -1 when it added any.
 */
int request_check_type(const kh_record *r, const kh_record *old, const request_type *t, kh_err *e);

/* One step of an approval chain as the admin sets it. */
typedef enum step_kind { STEP_ROLE, STEP_USER, STEP_SUPERVISOR } step_kind;

typedef struct chain_step {
	step_kind kind;
	const char *role; /* STEP_ROLE: role code */
	bool dept_line;   /* STEP_ROLE: only holders in the applicant's department or above it */
	int64_t user_id;  /* STEP_USER: the user (0 until username is resolved) */
	const char *username; /* STEP_USER input naming the user by username */
} chain_step;

const char *step_kind_code(step_kind k);
bool step_kind_parse(const char *s, step_kind *out);

/*
 * Parse a chain ([{"kind":"role","role":"manager","dept_line":true},
 * {"kind":"user","user":"wang" or 5}, {"kind":"supervisor"}]; the stored form
 * names users by "user" id) into steps (allocated in a). Returns the number
 * of steps or -1 with field errors named "steps[i]" in e. Role and user
 * existence are the caller's.
 */
int chain_parse(json_t *steps, arena *a, chain_step **out, kh_err *e);
/* The stored form of steps (a new reference). */
json_t *chain_to_json(const chain_step *steps, int n);

/*
 * A step as the CLI writes it ("supervisor", "user:NAME", "role:CODE",
 * "role:CODE:dept") in the JSON form chain_parse reads (a new reference),
 * or NULL when the text is none of these.
 */
json_t *chain_step_from_text(const char *text);

#endif
