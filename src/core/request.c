/*
 * request — field tables of requests, their items, steps and decisions;
 * which fields each request type uses; approval chain steps in JSON.
 */
#include "core/request.h"

#include <stdio.h>
#include <string.h>

#include "core/validate.h"
#include "util/err.h"

#define L  FF_LIST
#define S  FF_SORT
#define Q  FF_FILTER
#define RO FF_READONLY

static const kh_field request_fields[RQF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [RQF_TYPE] = {"type", "type", N_("Request type"), FT_TEXT,
                      FF_REQUIRED | FF_CREATE_ONLY | Q | L, NULL, 30, MASK_NONE},
        [RQF_CUSTOMER] = {"customer_id", "customer_id", N_("Customer"), FT_REF,
                          FF_REQUIRED | FF_CREATE_ONLY | Q | L, "customer", 0, MASK_NONE},
        [RQF_APPLICANT] = {"applicant", "applicant_id", N_("Applicant"), FT_USER, RO | Q | L, NULL,
                           0, MASK_NONE},
        [RQF_DEPARTMENT] = {"department_id", "department_id", N_("Department"), FT_DEPT, RO | Q,
                            NULL, 0, MASK_NONE},
        [RQF_PURPOSE] = {"purpose", "purpose", N_("Purpose"), FT_LONGTEXT, L, NULL, 1000,
                         MASK_NONE},
        [RQF_DATE] = {"date", "date", N_("Date"), FT_DATE, S | Q | L, NULL, 0, MASK_NONE},
        [RQF_PLACE] = {"place", "place", N_("Place"), FT_TEXT, 0, NULL, 200, MASK_NONE},
        [RQF_ATTENDEES_OURS] = {"attendees_ours", "attendees_ours", N_("Our attendees"), FT_TEXT, 0,
                                NULL, 500, MASK_NONE},
        [RQF_ATTENDEES_THEIRS] = {"attendees_theirs", "attendees_theirs",
                                  N_("Customer's attendees"), FT_TEXT, 0, NULL, 500, MASK_NONE},
        [RQF_ARRANGER] = {"arranger", "arranger", N_("Arranged by"), FT_TEXT, 0, NULL, 100,
                          MASK_NONE},
        [RQF_GIFT_NAME] = {"gift_name", "gift_name", N_("Gift"), FT_TEXT, L, NULL, 100, MASK_NONE},
        [RQF_QUANTITY] = {"quantity", "quantity", N_("Quantity"), FT_INT, 0, NULL, 1000000,
                          MASK_NONE},
        [RQF_UNIT_VALUE] = {"unit_value", "unit_value", N_("Unit value (yuan)"), FT_MONEY, 0, NULL,
                            0, MASK_NONE},
        [RQF_RECIPIENT] = {"recipient", "recipient", N_("Recipient"), FT_TEXT, 0, NULL, 200,
                           MASK_NONE},
        [RQF_REPORT_OF] = {"report_of", "report_of", N_("Report of request"), FT_REF,
                           FF_CREATE_ONLY | Q, "request", 0, MASK_NONE},
        [RQF_EFFECT] = {"effect", "effect", N_("How well it went"), FT_LONGTEXT, 0, NULL, 2000,
                        MASK_NONE},
        [RQF_INFO_WANTED] = {"info_wanted", "info_wanted", N_("Information to gather"), FT_LONGTEXT,
                             0, NULL, 2000, MASK_NONE},
        [RQF_FUTURE_USE] = {"future_use", "future_use", N_("Use in later activities"), FT_LONGTEXT,
                            0, NULL, 2000, MASK_NONE},
        [RQF_REMARKS] = {"remarks", "remarks", N_("Remarks"), FT_LONGTEXT, 0, NULL, 2000,
                         MASK_NONE},
        [RQF_STATUS] = {"status", "status", N_("Approval status"), FT_TEXT, RO | S | Q | L, NULL,
                        20, MASK_NONE},
        [RQF_CURRENT_STEP] = {"current_step", "current_step", N_("Current step"), FT_INT, RO | L,
                              NULL, 0, MASK_NONE},
        [RQF_SUBMITTED_AT] = {"submitted_at", "submitted_at", N_("Submitted at"), FT_TIME, RO | S,
                              NULL, 0, MASK_NONE},
        [RQF_DECIDED_AT] = {"decided_at", "decided_at", N_("Decided at"), FT_TIME, RO, NULL, 0,
                            MASK_NONE},
        [RQF_BUDGET_TOTAL] = {"budget_total", "budget_total", N_("Budget (yuan)"), FT_MONEY,
                              FF_DERIVED | S | L, NULL, 0, MASK_NONE},
        [RQF_ACTUAL_TOTAL] = {"actual_total", "actual_total", N_("Actual (yuan)"), FT_MONEY,
                              FF_DERIVED | L, NULL, 0, MASK_NONE},
};

const kh_entity request_entity = {
        .name = "request",
        .table = "requests",
        .label = N_("Request"),
        .fields = request_fields,
        .nfields = RQF__COUNT,
};

static const kh_field item_fields[RIF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [RIF_REQUEST] = {"request_id", "request_id", N_("Request"), FT_REF, FF_REQUIRED, "request",
                         0, MASK_NONE},
        [RIF_ITEM] = {"item", "item", N_("Expense item"), FT_DICT, FF_REQUIRED | L, "expense_item",
                      0, MASK_NONE},
        [RIF_BUDGET] = {"budget", "budget", N_("Budget (yuan)"), FT_MONEY, L, NULL, 0, MASK_NONE},
        [RIF_ACTUAL] = {"actual", "actual", N_("Actual (yuan)"), FT_MONEY, L, NULL, 0, MASK_NONE},
        [RIF_NOTE] = {"note", "note", N_("Note"), FT_TEXT, L, NULL, 200, MASK_NONE},
};

const kh_entity request_item_entity = {
        .name = "request_item",
        .table = "request_items",
        .label = N_("Expense item"),
        .fields = item_fields,
        .nfields = RIF__COUNT,
};

static const kh_field step_fields[RSF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [RSF_REQUEST] = {"request_id", "request_id", N_("Request"), FT_REF, FF_REQUIRED, "request",
                         0, MASK_NONE},
        [RSF_STEP] = {"step", "step", N_("Step"), FT_INT, FF_REQUIRED, NULL, CHAIN_MAX_STEPS,
                      MASK_NONE},
        [RSF_KIND] = {"kind", "kind", N_("Step kind"), FT_TEXT, FF_REQUIRED, NULL, 20, MASK_NONE},
        [RSF_ROLE] = {"role", "role", N_("Role"), FT_TEXT, 0, NULL, 40, MASK_NONE},
        [RSF_USER] = {"user", "user_id", N_("Approver"), FT_USER, 0, NULL, 0, MASK_NONE},
        [RSF_DEPARTMENT] = {"department_id", "department_id", N_("Department"), FT_DEPT, 0, NULL, 0,
                            MASK_NONE},
};

const kh_entity request_step_entity = {
        .name = "request_step",
        .table = "request_steps",
        .label = N_("Approval step"),
        .fields = step_fields,
        .nfields = RSF__COUNT,
};

static const kh_field decision_fields[RDF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [RDF_REQUEST] = {"request_id", "request_id", N_("Request"), FT_REF, FF_REQUIRED, "request",
                         0, MASK_NONE},
        [RDF_STEP] = {"step", "step", N_("Step"), FT_INT, FF_REQUIRED, NULL, CHAIN_MAX_STEPS,
                      MASK_NONE},
        [RDF_APPROVER] = {"approver", "approver_id", N_("Approver"), FT_USER, FF_REQUIRED, NULL, 0,
                          MASK_NONE},
        [RDF_DECISION] = {"decision", "decision", N_("Decision"), FT_TEXT, FF_REQUIRED, NULL, 20,
                          MASK_NONE},
        [RDF_COMMENT] = {"comment", "comment", N_("Comment"), FT_LONGTEXT, 0, NULL, 1000,
                         MASK_NONE},
};

const kh_entity request_decision_entity = {
        .name = "request_decision",
        .table = "request_decisions",
        .label = N_("Decision"),
        .fields = decision_fields,
        .nfields = RDF__COUNT,
};

/* ---- types ---- */

static const int ent_required[] = {RQF_PURPOSE, RQF_DATE, 0};
static const int ent_used[] = {RQF_PLACE,    RQF_ATTENDEES_OURS, RQF_ATTENDEES_THEIRS,
                               RQF_ARRANGER, RQF_REMARKS,        0};
static const int report_required[] = {RQF_REPORT_OF, RQF_DATE, 0};
static const int report_used[] = {RQF_PURPOSE,          RQF_PLACE,   RQF_ATTENDEES_OURS,
                                  RQF_ATTENDEES_THEIRS, RQF_EFFECT,  RQF_INFO_WANTED,
                                  RQF_FUTURE_USE,       RQF_REMARKS, 0};
static const int gift_required[] = {RQF_GIFT_NAME, RQF_QUANTITY, RQF_DATE, 0};
static const int gift_used[] = {RQF_PURPOSE, RQF_UNIT_VALUE, RQF_RECIPIENT, RQF_REMARKS, 0};

const request_type request_types[] = {
        {"entertainment", N_("Entertainment request"), ent_required, ent_used},
        {"entertainment_report", N_("Entertainment report"), report_required, report_used},
        {"gift", N_("Gift request"), gift_required, gift_used},
};
const int request_type_count = (int)(sizeof(request_types) / sizeof(request_types[0]));

const request_type *request_type_find(const char *code)
{
	for (int i = 0; code && i < request_type_count; i++)
		if (!strcmp(request_types[i].code, code))
			return &request_types[i];
	return NULL;
}

const char *request_status_label(const char *status)
{
	static const struct {
		const char *code, *label;
	} labels[] = {
	        {REQ_DRAFT, N_("Draft")},         {REQ_PENDING, N_("Waiting for approval")},
	        {REQ_APPROVED, N_("Approved")},   {REQ_REJECTED, N_("Rejected")},
	        {REQ_WITHDRAWN, N_("Withdrawn")},
	};
	for (size_t i = 0; status && i < sizeof(labels) / sizeof(labels[0]); i++)
		if (!strcmp(labels[i].code, status))
			return labels[i].label;
	return status;
}

static bool in(const int *list, int f)
{
	for (; *list; list++)
		if (*list == f)
			return true;
	return false;
}

/* fields every type has: the system ones, type, customer and what kehu keeps */
static bool common_field(int f)
{
	return f < F_NSYSTEM || f == RQF_TYPE || f == RQF_CUSTOMER || f == RQF_APPLICANT ||
	       f == RQF_DEPARTMENT || f >= RQF_STATUS;
}

int request_check_type(const kh_record *r, const kh_record *old, const request_type *t, kh_err *e)
{
	int before = e->nfields;
	for (int i = 0; i < r->ent->nfields; i++) {
		const kh_field *f = &r->ent->fields[i];
		if (r->v[i].state == V_ABSENT || common_field(i))
			continue;
		bool req = in(t->required, i);
		if (!req && !in(t->used, i)) {
			if (r->v[i].state == V_SET)
				err_field(e, f->name, N_("%s is not part of a %s"),
				          field_label(f, e->lang), tr(e->lang, t->label));
			continue;
		}
		if (req && r->v[i].state == V_NULL)
			err_required(e, f, NULL);
	}
	for (const int *q = t->required; !old && *q; q++)
		if (r->v[*q].state != V_SET)
			err_required(e, &r->ent->fields[*q], NULL);
	return e->nfields > before ? -1 : 0;
}

/* ---- chains ---- */

static const char *const kind_codes[] = {
        [STEP_ROLE] = "role", [STEP_USER] = "user", [STEP_SUPERVISOR] = "supervisor"};

const char *step_kind_code(step_kind k)
{
	return kind_codes[k];
}

bool step_kind_parse(const char *s, step_kind *out)
{
	for (int k = 0; s && k < 3; k++)
		if (!strcmp(kind_codes[k], s)) {
			*out = (step_kind)k;
			return true;
		}
	return false;
}

int chain_parse(json_t *steps, arena *a, chain_step **out, kh_err *e)
{
	if (!json_is_array(steps) || json_array_size(steps) == 0 ||
	    json_array_size(steps) > CHAIN_MAX_STEPS)
		return err_field(e, "steps", N_("An approval chain is a list of 1 to %d steps"),
		                 CHAIN_MAX_STEPS);
	int n = (int)json_array_size(steps), before = e->nfields;
	chain_step *st = arena_calloc(a, (size_t)n, sizeof(*st));
	for (int i = 0; i < n; i++) {
		json_t *j = json_array_get(steps, (size_t)i);
		const char *name = arena_printf(a, "steps[%d]", i);
		const char *kind = json_string_value(json_object_get(j, "kind"));
		if (!json_is_object(j) || !step_kind_parse(kind, &st[i].kind)) {
			err_field(e, name,
			          N_("Step %d: kind must be \"role\", \"user\" or \"supervisor\""),
			          i + 1);
			continue;
		}
		json_t *role = json_object_get(j, "role"), *user = json_object_get(j, "user");
		json_t *line = json_object_get(j, "dept_line");
		const char *key;
		json_t *v;
		json_object_foreach(j, key, v)
		{
			if (strcmp(key, "kind") && strcmp(key, "role") && strcmp(key, "user") &&
			    strcmp(key, "dept_line"))
				err_field(e, name, N_("Step %d: unknown member \"%s\""), i + 1,
				          key);
		}
		switch (st[i].kind) {
		case STEP_ROLE:
			if (!json_is_string(role) || !*json_string_value(role))
				err_field(e, name, N_("Step %d: name the role"), i + 1);
			else
				st[i].role = arena_strdup(a, json_string_value(role));
			if (line && !json_is_boolean(line))
				err_field(e, name, N_("Step %d: dept_line must be true or false"),
				          i + 1);
			st[i].dept_line = json_is_true(line);
			if (user)
				err_field(e, name, N_("Step %d: a role step names no user"), i + 1);
			break;
		case STEP_USER:
			if (json_is_integer(user) && json_integer_value(user) > 0)
				st[i].user_id = json_integer_value(user);
			else if (json_is_string(user) && *json_string_value(user))
				st[i].username = arena_strdup(a, json_string_value(user));
			else
				err_field(e, name, N_("Step %d: name the user"), i + 1);
			if (role || line)
				err_field(e, name, N_("Step %d: a user step names no role"), i + 1);
			break;
		case STEP_SUPERVISOR:
			if (role || user || line)
				err_field(e, name,
				          N_("Step %d: the supervisor step takes no role or user"),
				          i + 1);
			break;
		}
	}
	if (e->nfields > before)
		return -1;
	*out = st;
	return n;
}

json_t *chain_to_json(const chain_step *steps, int n)
{
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		json_t *j = json_pack("{s:s}", "kind", step_kind_code(steps[i].kind));
		if (steps[i].kind == STEP_ROLE) {
			json_object_set_new(j, "role", json_string(steps[i].role));
			json_object_set_new(j, "dept_line", json_boolean(steps[i].dept_line));
		} else if (steps[i].kind == STEP_USER) {
			json_object_set_new(j, "user", json_integer(steps[i].user_id));
		}
		json_array_append_new(arr, j);
	}
	return arr;
}

json_t *chain_step_from_text(const char *text)
{
	if (!text)
		return NULL;
	if (!strcmp(text, "supervisor"))
		return json_pack("{s:s}", "kind", "supervisor");
	if (!strncmp(text, "user:", 5) && text[5])
		return json_pack("{s:s, s:s}", "kind", "user", "user", text + 5);
	if (strncmp(text, "role:", 5) != 0 || !text[5])
		return NULL;
	const char *code = text + 5, *colon = strchr(code, ':');
	if (!colon)
		return json_pack("{s:s, s:s}", "kind", "role", "role", code);
	if (colon == code || strcmp(colon + 1, "dept") != 0)
		return NULL;
	return json_pack("{s:s, s:s%, s:b}", "kind", "role", "role", code, (size_t)(colon - code),
	                 "dept_line", 1);
}
