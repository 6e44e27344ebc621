/*
 * service — kehu's use cases. The CLI, the HTTP API and the importers
 * call these and nothing below them: permission and data-scope checks,
 * validation, transactions, audit, masking and derived fields all happen
 * here, once.
 *
 * A call works in a svc context: the database connection, the request's
 * arena, the error to fill, the language, where the request came from and
 * who is acting. Functions return 0 or -1 with ctx->err set. Records they
 * return are already masked for the actor.
 */
#ifndef KEHU_SERVICE_SERVICE_H
#define KEHU_SERVICE_SERVICE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/customer.h"
#include "core/dict.h"
#include "core/entity.h"
#include "core/perm.h"
#include "core/query.h"
#include "core/record_json.h"
#include "io/sheet.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

struct snapshot;

typedef struct kh_actor {
	int64_t user_id; /* 0: nobody yet */
	const char *username;
	const char *display_name;
	const char *role;
	uint32_t perms;
	kh_scope scope;
	int64_t department_id;
	bool system; /* kehu itself (init, demo): every permission, audited as "system" */
} kh_actor;

typedef struct svc {
	store *db;
	arena *a;
	kh_err *err;
	kh_lang lang;
	const char *origin; /* client address, or "cli" */
	kh_actor actor;
	struct snapshot *snap;
	const char *csrf;   /* the session's CSRF token, after session authentication */
	bool money_in_yuan; /* list filters on money are typed in yuan (CLI) */
	bool allow_derived; /* imports and demo data may set derived fields */
	bool bulk_audit;    /* a bulk job audits itself as one event, not per record */
	void *kind_data;    /* what a record kind's hooks need beyond the record itself (an
	                     * evaluation's scores): set around one svc_record_* call */
	const char *clock;  /* when set, the time it is for svc_now and svc_today (demo data
	                     * written as it happened over the past year); NULL: the clock's */
} svc;

/* ---- context ---- */

/* Start a context; no actor yet, nothing allocated outside a. */
void svc_init(svc *s, store *db, arena *a, kh_err *e, kh_lang lang, const char *origin);
/* Release what the context holds (the cache snapshot). */
void svc_release(svc *s);
/* Act as the given user (CLI --as, after authentication). KH_EAUTH if disabled or unknown. */
int svc_act_as(svc *s, int64_t user_id);
int svc_act_as_username(svc *s, const char *username);
/* Act as kehu itself: every permission, no scope limits. */
void svc_act_as_system(svc *s);
/* Forget cached users, dictionaries ... and reload them now (after a change). */
int svc_refresh(svc *s);
/* Name lookups for rendering records (valid while the context lives). */
kh_lookup svc_lookup(svc *s);
/* True when the actor has permission p. */
bool svc_can(const svc *s, kh_perm p);
/* Current time as stored, and today's date, in the business time zone (s->clock's
 * when set). */
const char *svc_now(svc *s);
const char *svc_today(svc *s);
/* A stored UTC time as people read it: "YYYY-MM-DD HH:MM" in the business time
 * zone (utc itself when it is not such a time). */
const char *svc_local_time(svc *s, const char *utc);
/* A value as people read it: dictionary labels and user and department names in
 * the actor's language, money in yuan (with thousands separators when grouping,
 * else a plain number a spreadsheet reads), yes/no, tags joined by commas, times
 * in the business time zone; "" when not set. Allocated in s->a. */
const char *svc_display(svc *s, const kh_field *f, const kh_value *v, bool grouping);

/* ---- setup ---- */

/*
 * Create the schema and, on an empty database, the roles, default
 * dictionaries, the head-office department and the "admin" user with
 * password (or a generated one returned in *generated, NULL if the admin
 * already existed). Safe to run again.
 */
int svc_bootstrap(svc *s, const char *password, const char **generated);
/* Bring the schema up to date (*applied: migrations applied now, may be NULL)
 * and add what a newer kehu brings to the data (dictionary kinds). */
int svc_migrate(svc *s, int *applied);

/* Realistic demo data: departments, users and n customers with contacts,
 * follow-ups and orders. */
typedef struct demo_result {
	const char *password; /* of newly made demo users; NULL when they existed */
	long followups, orders;
	long opportunities, won, lost; /* won and lost among the opportunities */
	long tickets, complaints, resolved;
	long visit_plans, visits;
	long evaluations, countermeasures;
	long requests, pending; /* pending: waiting for an approver */
	long pooled;            /* customers in the pool */
} demo_result;
int svc_demo(svc *s, long n, unsigned seed, demo_result *out,
             void (*progress)(long done, long total, void *ud), void *ud);

/* ---- authentication ---- */

typedef struct login_result {
	const char *token; /* session token for the cookie; shown once */
	const char *csrf;
	int64_t expires;
} login_result;

#define SESSION_TTL_SECONDS     (12 * 3600)
#define LOGIN_MAX_FAILURES_USER 5
#define LOGIN_MAX_FAILURES_IP   30
#define LOGIN_WINDOW_SECONDS    (15 * 60)

/* Check a password and open a session; KH_EAUTH for wrong credentials,
 * KH_ERATE when the user or address failed too often recently. */
int svc_login(svc *s, const char *username, const char *password, login_result *out);
int svc_logout(svc *s, const char *token);
/* Authenticate by session token (cookie) or API token (Bearer); sets the actor. */
int svc_auth_session(svc *s, const char *token);
int svc_auth_token(svc *s, const char *token);

/* API tokens of the actor (or, for user managers, of user_id). */
int svc_token_create(svc *s, const char *name, int days, const char *for_user, const char **token,
                     int64_t *id);
int svc_token_list(svc *s, token_row **rows, int *n);
int svc_token_revoke(svc *s, int64_t id);

/* ---- lists ---- */

/* A key and a value as text: list parameters, CLI options, settings. */
typedef struct kv {
	const char *key, *value;
} kv;

typedef struct list_page {
	kh_record *rows;
	int n;
	const char *next;  /* cursor for the next page, NULL at the end */
	const int *fields; /* the field indexes to show */
	int nfields;
	primary_contact *primary; /* customers: primary contact per row (masked) */
} list_page;

/* ---- customers and contacts ---- */

/* Create a customer with its contacts (may be none) in one transaction. */
int svc_customer_create(svc *s, kh_record *c, kh_record *contacts, int ncontacts, int64_t *id);
/* One customer and its live contacts; deleted ones only with with_deleted
 * (and the delete permission). KH_ENOTFOUND when not visible. */
int svc_customer_get(svc *s, int64_t id, bool with_deleted, kh_record *out, kh_record **contacts,
                     int *ncontacts);
/* Apply a patch if the version still matches (KH_ECONFLICT otherwise). */
int svc_customer_update(svc *s, int64_t id, int64_t version, kh_record *patch);
int svc_customer_delete(svc *s, int64_t id, int64_t version);
int svc_customer_restore(svc *s, int64_t id, int64_t version);
int svc_customer_archive(svc *s, int64_t id, int64_t version, bool archived);
/* A page of customers from list parameters (filters, q, sort, after, limit, view, fields). */
int svc_customer_list(svc *s, const kv *params, int nparams, list_page *page);

int svc_contact_create(svc *s, int64_t customer_id, kh_record *c, int64_t *id);
int svc_contact_get(svc *s, int64_t id, kh_record *out);
int svc_contact_update(svc *s, int64_t id, int64_t version, kh_record *patch);
int svc_contact_delete(svc *s, int64_t id, int64_t version);
/* Contacts of one customer (customer_id > 0) or of every visible customer. */
int svc_contact_list(svc *s, int64_t customer_id, const kv *params, int nparams, list_page *page);

/* ---- records kept around a customer: follow-ups, orders ... ---- */

/*
 * Rows a record owns in a table of their own (a visit's expenses by item):
 * given and shown with the record as one array under key (the API) or as
 * repeated --cli_opt options (the CLI), always replaced as a whole, written in
 * the record's transaction. The rows' entity names the record by its first
 * FT_REF field.
 */
typedef struct record_children {
	const char *key;     /* JSON member: "expenses" */
	const char *cli_opt; /* CLI option giving one row: "expense" */
	const kh_entity *ent;
	const int *fields; /* what is shown of a row */
	int nfields;
	int max; /* rows a record may have */
	/* set r's fields derived from the (checked) rows; r is the record on a
	 * create, the patch on an update */
	int (*derive)(svc *s, kh_record *r, const kh_record *rows, int n);
	/* one row from its CLI text ("交通=35.50:note") */
	int (*from_text)(svc *s, const char *text, kh_record *row);
} record_children;

/* Rows given for a record: NULL (no child_rows) leaves the stored ones. */
typedef struct child_rows {
	kh_record *rows;
	int n;
} child_rows;

/*
 * A kind of record that hangs off one customer. It is visible exactly when its
 * customer is; writing it needs write_perm and sight of the customer.
 */
typedef struct record_kind {
	const kh_entity *ent;
	const char *path;   /* of the API: /api/v1/<path>/{id} */
	int customer_field; /* the FT_REF field naming the customer */
	int date_field;     /* when it happened: orders the customer's timeline */
	int summary_field;  /* what the timeline shows of it */
	int amount_field;   /* and the money it is about (0: none) */
	/* which of the customer's records the timeline shows (NULL: all): an SQL
	 * condition on the kind's columns with one ? for the actor's user id */
	const char *timeline_filter;
	kh_perm write_perm;
	/* a field given a code <code_prefix><year><seq> on create (0: none) */
	int code_field;
	const char *code_prefix;
	/* a field whose every new value is kept with its time (0: none): GET
	 * .../{id}/history; the reports read stage and status changes there */
	int history_field;
	/* defaults and rules before a create (old NULL) or an update (r is the patch) */
	int (*prepare)(svc *s, kh_record *r, const kh_record *old);
	/* after the write, in its transaction, to keep the customer's derived data
	 * right: old is NULL after a create or restore, now NULL after a delete */
	int (*after)(svc *s, int64_t customer_id, const kh_record *old, const kh_record *now);
	const record_children *children; /* NULL: the kind owns no rows */
} record_kind;

extern const record_kind followup_kind;
extern const record_kind order_kind;
extern const record_kind opportunity_kind;
extern const record_kind ticket_kind;

/*
 * Win an opportunity: its stage becomes won and, when order is not NULL, that
 * order is made in the same transaction (its customer, amount, product and
 * owner from the opportunity unless given; dated today unless given) and
 * linked (*order_id). A stale version is KH_ECONFLICT.
 */
int svc_opportunity_win(svc *s, int64_t id, int64_t version, kh_record *order, int64_t *order_id);

int svc_record_create(svc *s, const record_kind *k, kh_record *r, int64_t *id);
/* The same, with the rows the record owns (ch may be NULL). */
int svc_record_create_with(svc *s, const record_kind *k, kh_record *r, const child_rows *ch,
                           int64_t *id);
int svc_record_get(svc *s, const record_kind *k, int64_t id, kh_record *out);
int svc_record_update(svc *s, const record_kind *k, int64_t id, int64_t version, kh_record *patch);
/* The same, replacing the rows the record owns when ch is given. */
int svc_record_update_with(svc *s, const record_kind *k, int64_t id, int64_t version,
                           kh_record *patch, const child_rows *ch);
/* The rows record id owns (the record must be visible), in the order given. */
int svc_record_children(svc *s, const record_kind *k, int64_t id, child_rows *out);
/* Rows from the JSON array of an API body (field errors name "expenses[i].item").
 * The rows are not checked against the database yet: the create or update does. */
int svc_children_from_json(svc *s, const record_kind *k, json_t *array, child_rows *out);
/* Rows from CLI texts, one row each. */
int svc_children_from_text(svc *s, const record_kind *k, const char *const *texts, int n,
                           child_rows *out);
int svc_record_delete(svc *s, const record_kind *k, int64_t id, int64_t version);
int svc_record_restore(svc *s, const record_kind *k, int64_t id, int64_t version);
/* One record in a customer's timeline. */
typedef struct timeline_entry {
	const record_kind *kind;
	int64_t id;
	const char *at;      /* its date_field: a date, or a UTC time */
	const char *summary; /* at most 120 characters; dictionary codes as labels */
	bool has_amount;
	int64_t amount; /* fen: an order's amount, an opportunity's expected amount */
} timeline_entry;

typedef struct timeline_page {
	timeline_entry *items;
	int n;
	const char *next; /* cursor ("after") of the next page, NULL at the end */
} timeline_page;

/* The customer's follow-ups, orders, opportunities, tickets ... newest first;
 * params: limit (default 50, at most 500), after (a cursor). */
int svc_customer_timeline(svc *s, int64_t customer_id, const kv *params, int nparams,
                          timeline_page *page);

/* The states the record went through (its kind's history_field), oldest first. */
int svc_record_history(svc *s, const record_kind *k, int64_t id, history_row **rows, int *n);
/* A page of records of one customer (customer_id > 0) or of every visible one. */
int svc_record_list(svc *s, const record_kind *k, int64_t customer_id, const kv *params,
                    int nparams, list_page *page);

/* ---- the customer pool 公海 and the archive 历史库 ---- */

/*
 * Claim pool customer id for the actor (customer.write). version < 0 takes it
 * as it is; else it must still be that version (KH_ECONFLICT). Of two claims
 * at once exactly one wins; the other gets KH_ESTATE ("someone else claimed
 * it first"). KH_EFORBIDDEN, naming the limit, past the actor's customer
 * limit or the claims allowed per day.
 */
int svc_pool_claim(svc *s, int64_t id, int64_t version);
/* Give customer id back to the pool (its owner, or a holder of customer.assign
 * who sees it); the owner becomes its previous owner. reason may be NULL. */
int svc_pool_release(svc *s, int64_t id, int64_t version, const char *reason);
/* Give customer id (from the pool, or from its owner) to the user named by owner
 * (an id or username) in the actor's scope; needs customer.assign. The new
 * owner's customer limit applies, the daily claim cap does not. */
int svc_pool_assign(svc *s, int64_t id, int64_t version, const char *owner);
/* Lock (or unlock) an owned customer: a locked one never returns to the pool
 * by a rule. Needs customer.assign. */
int svc_pool_lock(svc *s, int64_t id, int64_t version, bool locked);
/*
 * Return to the pool every unlocked, unarchived owned customer with nothing
 * (first contact, follow-up, deal, being taken over) for longer than the rule
 * of its grade allows; as of today (NULL: the real today). Each customer in
 * its own transaction, re-checked under its row lock, so two sweeps at once
 * return each customer once. *returned counts this call's returns.
 */
int svc_pool_sweep(svc *s, const char *today, int64_t *returned);
/* A page of pool events (claim, release, assign, return), of one customer
 * (customer_id > 0) or of every visible one. */
int svc_pool_events(svc *s, int64_t customer_id, const kv *params, int nparams, list_page *page);

/* The background sweep of `kehu serve`: svc_pool_sweep as kehu itself, on its own
 * connection to db_url, at start and then every interval_seconds. NULL when
 * interval_seconds <= 0 or the thread cannot start (logged). */
typedef struct pool_sweeper pool_sweeper;
pool_sweeper *pool_sweeper_start(const char *db_url, int interval_seconds);
/* Stop the sweep (waiting for a running one to end) and free it; NULL is fine. */
void pool_sweeper_stop(pool_sweeper *sw);

#define ARCHIVE_MAX_IDS 500
/* A page of customers suggested for the archive: live, outside the archive and
 * the pool, and lost or without follow-up or deal for archive_after_months. */
int svc_archive_suggestions(svc *s, const kv *params, int nparams, list_page *page);
/* Archive customers ids[0..n) all or none; a refusal names each bad id as the
 * field "ids[i]". */
int svc_archive_bulk(svc *s, const int64_t *ids, int n);
/* ---- visits (DESIGN 1.7) ---- */

extern const record_kind visit_plan_kind;
extern const record_kind visit_kind;

/* A count (or, for expenses, a sum in fen) per dictionary option. */
typedef struct visit_tally {
	const char *code; /* NULL: not given */
	const char *zh, *en;
	int64_t n;
} visit_tally;

/* A salesperson's visits of one day (拜访日报), as far as the viewer may see them. */
typedef struct visit_day_report {
	int64_t user_id;
	const char *date;
	kh_record *visits; /* by id */
	const char **customer_names;
	const char **contact_names; /* the person met, NULL when not named */
	child_rows *expenses;       /* per visit */
	int nvisits;
	visit_tally *purposes, *outcomes, *expenses_by_item;
	int npurposes, noutcomes, nexpense_items;
	int64_t expense_total;
	bool submitted;
	kh_record note; /* the day's signed-off note, when submitted */
} visit_day_report;

/*
 * The daily report of user (an id or username; NULL: the actor) on date (NULL:
 * today in the business time zone). A user sees their own; another user's
 * needs that user within the viewer's scope (KH_EFORBIDDEN otherwise); only
 * visits of customers the viewer sees are listed and counted.
 */
int svc_visit_day(svc *s, const char *user, const char *date, visit_day_report *out);
/*
 * Sign off the actor's visits of date (NULL: today) with note (summary,
 * issues_handled, issues_open); again later only with the note's version
 * (KH_ECONFLICT otherwise). *out (may be NULL) receives the note as stored.
 */
int svc_visit_day_submit(svc *s, const char *date, int64_t version, kh_record *note,
                         kh_record *out);
/* ---- requests with approval (entertainment, its report, gifts) ---- */

/* A request as one reads it: the record, its expense items, the approval steps
 * copied from its chain at submission and the decisions taken on them. */
typedef struct request_view {
	kh_record req;
	kh_record *items;
	int nitems;
	kh_record *steps;
	int nsteps;
	kh_record *decisions;
	int ndecisions;
	const char *customer_name; /* of the customer, shown even to approvers outside its scope */
	const char *customer_code;
} request_view;

/* The approval chain of a request type as JSON steps with names (*steps: a new
 * reference) and its version (1 before an administrator set it). */
int svc_chain_get(svc *s, const char *type, json_t **steps, int64_t *version);
/* Set the chain of a type (settings permission) if its version is still
 * version; steps as chain_parse reads them. Requests already submitted keep
 * the steps they copied. */
int svc_chain_set(svc *s, const char *type, int64_t version, json_t *steps);

/* Create a draft request of the acting user; items: a JSON array of
 * {"item","budget","actual","note"} or NULL. */
int svc_request_create(svc *s, kh_record *r, json_t *items, int64_t *id);
/* One request the actor may see (KH_ENOTFOUND otherwise). */
int svc_request_get(svc *s, int64_t id, request_view *out);
/* Change a draft (fields and items), or the actual amounts of an approved
 * request's items; only its applicant may. items NULL keeps them. */
int svc_request_update(svc *s, int64_t id, int64_t version, kh_record *patch, json_t *items);
/* Send a draft into its approval chain; take it back while it is pending. */
int svc_request_submit(svc *s, int64_t id, int64_t version);
int svc_request_withdraw(svc *s, int64_t id, int64_t version);
/* The applicant's request to the recycle bin (a draft, withdrawn or rejected one:
 * KH_ESTATE otherwise), and back. */
int svc_request_delete(svc *s, int64_t id, int64_t version);
int svc_request_restore(svc *s, int64_t id, int64_t version);
/* Approve or reject the current step; only its approver may. A rejection needs
 * a comment. */
int svc_request_decide(svc *s, int64_t id, int64_t version, bool approve, const char *comment);
/* A page of the requests the actor may see (inbox: only those waiting for the
 * actor's decision). Parameters: type, status, customer_id, applicant
 * (username, id or "me"), from, to, limit, after. */
int svc_request_list(svc *s, const kv *params, int nparams, bool inbox, list_page *page);
/* The budget against the actual amounts of approved requests by request or by
 * person, with totals by expense item (parameters: by, from, to, type). */
int svc_request_budget(svc *s, const kv *params, int nparams, json_t **out);
/* A request as the API shows it (steps with who may act, who decided, when). */
json_t *svc_request_json(svc *s, const request_view *v);
/* A list row: the record with its customer's name and the labels of type and status. */
json_t *svc_request_row_json(svc *s, const kh_record *r);
/* ---- relationship evaluations and countermeasures (DESIGN 1.9) ---- */

/* Evaluations are written with their scores through svc_evaluation_create and
 * _update (the generic create refuses one without scores); read, listed,
 * deleted and restored as any record kind. */
extern const record_kind evaluation_kind;
/* Requests as the customer timeline lists them (not for the generic use cases). */
extern const record_kind request_kind;
extern const record_kind countermeasure_kind;

/* The evaluation indicators in display order (retired ones too when with_retired)
 * and the sum of the active ones' weights (*active_weight, may be NULL). */
int svc_indicator_list(svc *s, bool with_retired, kh_record **rows, int *n, int64_t *active_weight);
int svc_indicator_get(svc *s, int64_t id, kh_record *out);
/* Needs dict.manage; names are unique (retired indicators included). */
int svc_indicator_create(svc *s, kh_record *r, int64_t *id);
int svc_indicator_update(svc *s, int64_t id, int64_t version, kh_record *patch);

/*
 * Create an evaluation r with its scores (records of evaluation_score_entity naming
 * the indicator by indicator_id or by name, with score and optional basis): one for
 * each active indicator, each from 0 to its full score; total, grade and
 * recommendation are computed. Field errors name the indicator ("scores.成长率").
 */
int svc_evaluation_create(svc *s, kh_record *r, kh_record *scores, int nscores, int64_t *id);
/* Apply a patch and change the given scores (scores NULL: none) of the evaluation's
 * own indicators, if its version is still version. */
int svc_evaluation_update(svc *s, int64_t id, int64_t version, kh_record *patch, kh_record *scores,
                          int nscores);
/* One evaluation and its score rows (in the arena). */
int svc_evaluation_get(svc *s, int64_t id, kh_record *out, kh_record **scores, int *n);
/* Score records from a JSON array ("scores" of a request body); NULL arr gives none. */
int svc_evaluation_scores_from_json(svc *s, json_t *arr, kh_record **out, int *n);

/* ---- dictionaries and custom fields ---- */

/* Every option of kind (every kind when NULL), retired ones when with_retired. */
int svc_dict_list(svc *s, const char *kind, bool with_retired, const dict_option ***out, int *n);
int svc_dict_create(svc *s, kh_record *opt, int64_t *id);
int svc_dict_update(svc *s, int64_t id, int64_t version, kh_record *patch);
int svc_dict_get(svc *s, int64_t id, kh_record *out);

int svc_custom_field_list(svc *s, kh_record **rows, int *n);
int svc_custom_field_create(svc *s, kh_record *def, int64_t *id);
int svc_custom_field_update(svc *s, int64_t id, int64_t version, kh_record *patch);
int svc_custom_field_get(svc *s, int64_t id, kh_record *out);

/* A custom field's value typed from text (CLI option): numbers, yuan, true/false,
 * option labels, "a,b" tags. *out is a new reference, NULL on error. */
int svc_custom_from_text(svc *s, const char *entity, const char *key, const char *text,
                         json_t **out);

/* ---- users, departments, roles ---- */

int svc_user_list(svc *s, kh_record **rows, int *n);
int svc_user_get(svc *s, int64_t id, kh_record *out);
/* password may be NULL for a generated one, returned in *generated. */
int svc_user_create(svc *s, kh_record *u, const char *password, const char **generated,
                    int64_t *id);
int svc_user_update(svc *s, int64_t id, int64_t version, kh_record *patch);
/* Set a password: own (old required) or any user's with user.manage. */
int svc_user_password(svc *s, int64_t id, const char *old_password, const char *password);

/* The department tree's rows, by id. Like the custom field list, the rows
 * belong to the shared cache: read them, never change them, and do not keep
 * them past svc_refresh or svc_release. */
int svc_dept_list(svc *s, kh_record **rows, int *n);
int svc_dept_get(svc *s, int64_t id, kh_record *out);
int svc_dept_create(svc *s, kh_record *d, int64_t *id);
int svc_dept_update(svc *s, int64_t id, int64_t version, kh_record *patch);
int svc_dept_delete(svc *s, int64_t id, int64_t version);

int svc_role_list(svc *s, role_row **rows, int *n);
/*
 * Change a role if its version is still version: its permissions (by name;
 * perms NULL keeps them) and default scope (a scope code; NULL keeps it).
 * *out (may be NULL) receives the role as it is afterwards.
 */
int svc_role_patch(svc *s, const char *code, int64_t version, const char *const *perms, int nperms,
                   const char *scope, role_row *out);
/* One role (KH_ENOTFOUND if no such code). */
int svc_role_get(svc *s, const char *code, role_row *out);

/* ---- settings ---- */

typedef struct setting_def {
	const char *key;
	const char *label; /* msgid */
	int64_t dflt, min, max;
} setting_def;

/* At most this many settings exist (adapters size their arrays by it). */
#define SETTINGS_MAX 64

/* The settings an administrator may change, in display order. */
const setting_def *setting_defs(int *n);
/* Their current values (in setting_defs order) and the version of the set. */
int svc_settings(svc *s, int64_t *values, int64_t *version);
/* Change some (key, value) pairs if the set's version is still version. */
int svc_settings_update(svc *s, int64_t version, const kv *changes, int n);

/* ---- audit ---- */

int svc_audit_list(svc *s, const kv *params, int nparams, audit_row **rows, int *n,
                   const char **next);

/* ---- export (DESIGN 3, "Files") ---- */

/* A list that exports: the same list, through the same use case, as its API. */
typedef struct export_source {
	const char *name; /* "customers", "visit-plans": the API path and the CLI's word */
	const char *word; /* the CLI command's word: "customer", "visit-plan" */
	const kh_entity *ent;
	const record_kind *kind; /* NULL: customers and contacts */
} export_source;

/* The lists that export, in display order (*n of them). */
const export_source *export_sources(int *n);
/* The list named name (its API path or CLI word), or NULL. */
const export_source *export_source_find(const char *name);

typedef struct export_request {
	const export_source *src;
	int64_t customer_id; /* > 0: the records of this customer only (not for customers) */
	const kv *params;    /* the list's parameters: filters, q, sort, view, fields */
	int nparams;
	const char *format; /* "csv", "xlsx": for the audit log */
	/* after each page, with the rows written so far (may be NULL); false stops
	 * the export (KH_EIO) */
	bool (*progress)(int64_t rows, void *ud);
	void *ud;
} export_request;

/* KH_EFORBIDDEN unless the actor may export (before an adapter makes a file). */
int svc_export_allowed(svc *s);
/*
 * Write the whole list that rq names to out: the header (field labels in the
 * actor's language), then every row, page by page through the list's own use
 * case (so scope, masking, filters and sort are the list's), each page in an
 * arena of its own (memory stays flat). Needs PERM_EXPORT; the export (list,
 * parameters, format, *rows written) goes to the audit log. On failure out may
 * hold part of the rows: the caller throws the file away.
 */
int svc_export(svc *s, const export_request *rq, sheet *out, int64_t *rows);
/* The same into a sheet opened with o and finished here (the adapters' one
 * call). On failure the file o names holds part of the rows: remove it. */
int svc_export_sheet(svc *s, const export_request *rq, const sheet_options *o, int64_t *rows);
/* ---- duplicates and merges (DESIGN 3) ---- */

#define DUP_MAX_GROUPS  100 /* groups on a page */
#define DUP_MAX_MEMBERS 50  /* customers shown of one group */
#define MERGE_MAX_FROM  20  /* customers merged into one at once */

/* Customers that look like one: what they share and who they are (masked). */
typedef struct dup_group {
	const char *by;  /* "name", "phone" or "credit_code" */
	const char *key; /* the shared name key, phone (masked like the field) or code */
	kh_record *customers;
	int n;
} dup_group;

typedef struct dup_page {
	dup_group *groups;
	int n;
	const char *next; /* cursor ("after") of the next page, NULL at the end */
} dup_page;

/*
 * A page of groups of two or more live customers the actor sees that share a
 * name key, a contact phone or a credit code. params: by (name, phone,
 * credit_code or any: the default), limit (groups, default 20, at most
 * DUP_MAX_GROUPS), after (a cursor). Needs customer.read.
 */
int svc_dup_find(svc *s, const kv *params, int nparams, dup_page *page);

/* Which customer's value a merged customer keeps of one field. */
typedef struct merge_pick {
	const char *field; /* a customer field people may edit, other than code */
	int64_t source;    /* into or one of from */
} merge_pick;

typedef struct merge_request {
	int64_t into;
	const int64_t *from;
	int nfrom;
	/* versions[0] of into, versions[1 + i] of from[i]: each must still be the
	 * customer's (KH_ECONFLICT); -1 takes the customer as it is now */
	const int64_t *versions;
	const merge_pick *picks;
	int npicks;
} merge_request;

/*
 * Merge customers from into into, in one transaction: every contact, follow-up,
 * order, opportunity, ticket, visit, plan, request, evaluation, countermeasure and
 * pool event of them moves to into (one primary contact stays), the picked
 * fields are copied, their opening balances are added to into's, the from
 * customers are deleted pointing at into (merged_into), into's derived fields
 * are recomputed, and one audit event lists what moved. Needs customer.write
 * and customer.delete and sight of every customer (KH_ENOTFOUND otherwise).
 */
int svc_merge(svc *s, const merge_request *m, int64_t *merge_id);
/*
 * Undo merge id: the from customers come back, every moved record goes back to
 * its customer (with any change made to it since), into's picked fields and
 * balances are as before, derived fields recomputed. KH_ESTATE, naming the
 * cause, when that state cannot be had back (a customer changed or deleted
 * since, a picked field edited since, already undone).
 */
int svc_merge_undo(svc *s, int64_t id);
/* A merge the actor may see (its into customer visible). */
int svc_merge_get(svc *s, int64_t id, merge_row *out);
/* Merges newest first whose into customer the actor sees; params limit, after. */
int svc_merge_list(svc *s, const kv *params, int nparams, merge_row **rows, int *n,
                   const char **next);
/* A merge as JSON: {id, into, from, moved: {table: n}, fields, at, by, undone_at}. */
json_t *svc_merge_json(svc *s, const merge_row *m);
/* A page of groups as JSON: {"items": [{by, key, customers: [...]}], "next"}. */
json_t *svc_dup_json(svc *s, const dup_page *p);

/* ---- helpers for adapters ---- */

/* Parse "true"/"false"/"1"/"0"/"yes"/"no"/"是"/"否". */
bool svc_parse_bool(const char *s, bool *out);
/* Parse a positive decimal id. */
bool svc_parse_id(const char *s, int64_t *out);

#endif
