/*
 * store — kehu's one database interface. Two engines sit behind it:
 * SQLite (embedded, the default: a file path) and PostgreSQL (a
 * postgresql:// URL). Everything above this layer is engine-blind.
 *
 * A store handle is one connection and is used by one thread at a time
 * (the HTTP server keeps one per worker thread). Every function returns 0
 * on success or -1 with e set; records and strings it returns live in the
 * caller's arena. All SQL binds its values; column names come only from
 * the entity tables of src/core.
 */
#ifndef KEHU_STORE_STORE_H
#define KEHU_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/entity.h"
#include "core/query.h"
#include "util/arena.h"
#include "util/err.h"

typedef struct store store;

/* ---- connection and schema ---- */

/* Open a database: a file path (SQLite, created if missing) or a postgresql:// URL. */
int store_open(const char *url, store **out, kh_err *e);
void store_close(store *db);
/* "sqlite" or "postgresql". */
const char *store_engine(const store *db);
/* The path or URL the store was opened with. */
const char *store_url(const store *db);
/* url with any password replaced by "***", for messages and logs (in a). */
const char *store_url_redacted(arena *a, const char *url);
/* Bring the schema up to date; *applied (may be NULL) counts the migrations run. */
int store_migrate(store *db, int *applied, kh_err *e);
/* The schema version, 0 for an empty database. */
int store_schema_version(store *db, int *version, kh_err *e);

/*
 * Transactions. store_begin starts a write transaction (SQLite: BEGIN
 * IMMEDIATE, so writers queue instead of failing on upgrade); nested
 * calls become savepoints. store_rollback undoes the innermost level.
 */
int store_begin(store *db, kh_err *e);
/* A read-only transaction in which every read sees the same state of the
 * database (for copies and checksums); end it with store_rollback. */
int store_begin_snapshot(store *db, kh_err *e);
int store_commit(store *db, kh_err *e);
void store_rollback(store *db);
bool store_in_txn(const store *db);
/* Before a request on a long-lived connection: one the database server closed
 * while it was idle (a restart, a failover) is opened again, so the request
 * does not fail on it. Cheap: no round trip when the connection is fine. */
void store_revive(store *db);

/* Tune the connection for long bulk writes (imports, demo data): a larger page
 * cache and rarer checkpoints on SQLite. Only for one-off CLI processes. */
void store_bulk_mode(store *db);

/* ---- settings and cache generation ---- */

/* The generation counter of cached tables (users, departments,
 * dictionaries, custom fields, roles, settings): bumped in the same
 * transaction as any change to them, so every server can see its cache is stale. */
int store_cache_gen(store *db, int64_t *gen, kh_err *e);
int store_cache_gen_bump(store *db, kh_err *e);
/* A setting's value (NULL when unset). */
int store_setting_get(store *db, const char *key, arena *a, const char **value, kh_err *e);
int store_setting_set(store *db, const char *key, const char *value, kh_err *e);
/* Set key to value only if it holds expected now, or (expected NULL) does not
 * exist yet: one atomic statement, so two writers on any engine cannot both
 * pass; *swapped tells whether it did. */
int store_setting_swap(store *db, const char *key, const char *expected, const char *value,
                       bool *swapped, kh_err *e);

/* ---- generic records (any kh_entity) ---- */

/* Insert the set values of r; sets r's id. Unique violations give KH_EDUP. */
int store_record_insert(store *db, kh_record *r, kh_err *e);
/* Load one record (deleted ones too when with_deleted); KH_ENOTFOUND if none. */
int store_record_get(store *db, const kh_entity *ent, int64_t id, bool with_deleted, arena *a,
                     kh_record *out, kh_err *e);
/*
 * Write the set/null values of changes to record id if its version is still
 * version; bumps version and sets updated_at = now. KH_ECONFLICT when the
 * version moved on, KH_ENOTFOUND when the record is gone.
 */
int store_record_update(store *db, const kh_record *changes, int64_t id, int64_t version,
                        const char *now, kh_err *e);
/* Set (deleted) or clear (restore) the deletion mark at time now, checking version. */
int store_record_mark_deleted(store *db, const kh_entity *ent, int64_t id, int64_t version,
                              bool deleted, const char *now, kh_err *e);
/*
 * One page of q: up to q->limit rows in *rows, and *more when another page
 * follows. want (ent->nfields flags, may be NULL for all) picks the
 * columns loaded; id and version always are.
 */
int store_record_list(store *db, const kh_query *q, const bool *want, arena *a, kh_record **rows,
                      int *n, bool *more, kh_err *e);
/* Every live record of a small entity (users, departments, options), by id. */
int store_record_all(store *db, const kh_entity *ent, arena *a, kh_record **rows, int *n,
                     kh_err *e);

/* The live records of ent whose field equals parent (a request's items), by id. */
int store_record_children(store *db, const kh_entity *ent, int field, int64_t parent, arena *a,
                          kh_record **rows, int *n, kh_err *e);

/* ---- requests with approval ---- */

/*
 * Which requests a list shows. A viewer sees their own requests; submitted
 * ones of others when they decided one of its steps, may decide one (a step
 * naming them, or a role step of their role, limited to applicants in
 * dept_line when the step says so), or see its customer (scope).
 */
typedef struct request_query {
	bool all;                 /* every request (kehu itself) */
	int64_t me;               /* the viewer */
	const char *role;         /* the viewer's role */
	const int64_t *dept_line; /* the viewer's department and those below it */
	int ndept_line;
	kh_scope_filter scope; /* customers whose requests the viewer sees */
	bool inbox;            /* only pending ones whose current step the viewer may decide */
	bool costs_only;       /* only types with a budget of their own (no reports) */
	const char *type, *status;
	int64_t customer_id, applicant_id;
	const char *from, *to; /* request date from .. to, inclusive */
	int64_t before_id;     /* keyset cursor: id < before_id (newest first) */
	int limit;
} request_query;

/* A page of requests, newest first; *more when another page follows. */
int store_request_list(store *db, const request_query *q, arena *a, kh_record **rows, int *n,
                       bool *more, kh_err *e);

/* One expense item of a request in a budget report. */
typedef struct budget_line {
	int request; /* index into the requests */
	const char *item;
	int64_t budget, actual;
	bool has_actual;
} budget_line;
/* Every request of q (no paging) with its items, for budget reports. */
int store_request_budget(store *db, const request_query *q, arena *a, kh_record **reqs, int *nreqs,
                         budget_line **lines, int *nlines, kh_err *e);
/* Remove every item of a request (before writing its new list). */
int store_request_items_clear(store *db, int64_t request_id, kh_err *e);

/* ---- customers and contacts ---- */

/* Next number of the customer code sequence for prefix and year, taken in the
 * caller's transaction (so a rollback gives it back: codes have no gaps). */
int store_code_next(store *db, const char *prefix, int year, int64_t *seq, kh_err *e);
/*
 * Hold record id of ent until the transaction ends, so that changes that
 * read then write around it (the primary contact of a customer) do not
 * interleave. A no-op on SQLite, whose writers run one at a time anyway.
 */
int store_lock(store *db, const kh_entity *ent, int64_t id, kh_err *e);
/* True when some customer, live or deleted, has this code. */
int store_code_taken(store *db, const char *code, bool *taken, kh_err *e);
/* The live customer whose key ("code", "credit_code", "name", or "phone": of its
 * primary contact, normalised) equals value, lowest id first; *id 0 if none. */
int store_customer_match(store *db, const char *key, const char *value, int64_t *id, kh_err *e);
/* Rebuild customer id's search document, tag rows and name key from the database. */
int store_customer_sync(store *db, int64_t id, kh_err *e);
/*
 * Set customer id's derived totals from its opening balances plus its live
 * orders, follow-ups and visits (deal count and amount, first and last deal
 * date, last follow-up date), in the caller's transaction.
 */
int store_customer_recompute(store *db, int64_t id, kh_err *e);
/* Set a customer's lifecycle stage (derived: no new version). */
int store_customer_set_stage(store *db, int64_t id, const char *stage, kh_err *e);
/* Set a customer's next step and its due date (from its latest follow-up). */
int store_customer_set_next(store *db, int64_t id, const char *step, const char *due, kh_err *e);
/* Add to the per customer, product and month sums (negative to take away). */
int store_sales_add(store *db, int64_t customer_id, const char *product, const char *month,
                    int64_t orders, int64_t amount, int64_t cost, kh_err *e);
/* Rebuild those sums from the live orders (after a copy between engines). */
int store_sales_rebuild(store *db, kh_err *e);
/* The customer's latest live record of ent (a table with customer_id and date columns:
 * follow-ups, evaluations), by date then id, into out; *found false if none. */
int store_latest_record(store *db, const kh_entity *ent, int64_t customer_id, arena *a,
                        kh_record *out, bool *found, kh_err *e);
/* Set a customer's relationship recommendation (from its latest evaluation; derived:
 * no new version). */
int store_customer_set_relationship(store *db, int64_t id, const char *advice, kh_err *e);
/* The customer's latest live follow-up (by date, then id) into out; *found false if none. */
int store_latest_followup(store *db, const kh_entity *ent, int64_t customer_id, arena *a,
                          kh_record *out, bool *found, kh_err *e);

/* A record table as the customer timeline reads it. */
typedef struct timeline_source {
	const char *kind;           /* entity name, e.g. "order" */
	const char *table;          /* with customer_id and deleted_at columns */
	const char *date_column;    /* when it happened (date or UTC time text) */
	const char *summary_column; /* what is shown of it */
	const char *amount_column;  /* money in fen, or NULL */
	bool date_is_time;          /* date_column holds UTC times, not local dates */
	const char *filter;         /* a further condition with one ? for user_id, or NULL */
} timeline_source;

typedef struct timeline_item {
	const char *kind, *at, *summary; /* summary: at most 120 characters */
	const char *sort_key;            /* at as a local date or date and time */
	int64_t id;
	bool has_amount;
	int64_t amount;
} timeline_item;

/* Up to limit live records of the customer from the sources, newest first (by
 * sort_key, kind, id, all descending: times are taken at tz_minutes from UTC so
 * that they sort among the dates of the same local day), after the item
 * `after` (its sort_key, kind and id) when not NULL. */
int store_timeline(store *db, const timeline_source *src, int nsrc, int64_t customer_id,
                   int64_t user_id, int tz_minutes, const timeline_item *after, int limit, arena *a,
                   timeline_item **out, int *n, kh_err *e);

typedef struct history_row {
	const char *state, *at;
	int64_t user_id; /* 0: the system */
} history_row;

/* Record that record_id of entity entered state at time at. */
int store_history_add(store *db, const char *entity, int64_t record_id, const char *state,
                      const char *at, int64_t user_id, kh_err *e);
/* The states a record went through, oldest first. */
int store_history_list(store *db, const char *entity, int64_t record_id, arena *a,
                       history_row **out, int *n, kh_err *e);

/* Primary contacts of the given customers: out[i] is the contact of ids[i], or id 0. */
typedef struct primary_contact {
	int64_t id;
	const char *name;
	const char *phone;
} primary_contact;
int store_primary_contacts(store *db, const int64_t *ids, int n, arena *a, primary_contact *out,
                           kh_err *e);
/* Clear the primary flag of the customer's other contacts. */
int store_contact_unset_primary(store *db, int64_t customer_id, int64_t except_id, const char *now,
                                kh_err *e);
/* Make the customer's oldest live contact primary if none is. */
int store_contact_promote(store *db, int64_t customer_id, const char *now, kh_err *e);
/* Move a user's customers to department dept (when the user changes department),
 * bumping their versions; *moved counts them. */
int store_customers_set_department(store *db, int64_t owner_id, int64_t dept_id, const char *now,
                                   int64_t *moved, kh_err *e);
/* The department of a user as stored now (0 for none). */
int store_user_department(store *db, int64_t user_id, int64_t *dept, kh_err *e);
/* How many enabled administrators other than except_id there are; on engines
 * where writers run at once their rows stay locked to the transaction's end. */
int store_count_admins(store *db, int64_t except_id, int64_t *n, kh_err *e);
/* Count live records of ent whose field equals id (e.g. users in a department). */
int store_count_refs(store *db, const kh_entity *ent, int field, int64_t id, int64_t *count,
                     kh_err *e);
/* Remove for good every row of ent whose field equals id (the rows a record owns,
 * before they are written anew). */
int store_purge_refs(store *db, const kh_entity *ent, int field, int64_t id, kh_err *e);

/* ---- the customer pool ---- */

/*
 * Up to limit ids (ascending, above after_id) of owned, unlocked, live,
 * unarchived customers of a grade (NULL: no grade A-E) whose first contact,
 * last follow-up and last deal are all before cutoff (a date) and that no one
 * claimed or was assigned since cutoff: those a return rule sends back.
 */
int store_pool_due(store *db, const char *grade, const char *cutoff, int64_t after_id, int limit,
                   arena *a, int64_t **ids, int *n, kh_err *e);
/* When the customer's owner last took it over (claim or assign), NULL if never. */
int store_pool_taken_over(store *db, int64_t customer_id, arena *a, const char **at, kh_err *e);
/* Customers user_id claimed from the pool at or after since (a UTC time). */
int store_pool_claims_since(store *db, int64_t user_id, const char *since, int64_t *n, kh_err *e);
/* Live, unarchived customers user_id owns. */
int store_customers_owned(store *db, int64_t user_id, int64_t *n, kh_err *e);

/* ---- users, passwords, roles ---- */

/* Store a user's password hash (argon2id, from crypto_password_hash). */
int store_password_set(store *db, int64_t user_id, const char *hash, kh_err *e);
/* The user id, hash and disabled flag for username; KH_ENOTFOUND if no such user. */
int store_password_get(store *db, const char *username, arena *a, int64_t *user_id,
                       const char **hash, bool *disabled, kh_err *e);

typedef struct role_row {
	const char *code;
	uint32_t perms;
	int scope;
	int64_t version;
} role_row;
/* Every role, in no particular order. */
int store_roles(store *db, arena *a, role_row **rows, int *n, kh_err *e);
/* Create or replace a role (the built-in roles at setup). */
int store_role_upsert(store *db, const char *code, uint32_t perms, int scope, kh_err *e);
/* Change a role if its version is still version: KH_ECONFLICT otherwise. */
int store_role_update(store *db, const char *code, int64_t version, uint32_t perms, int scope,
                      kh_err *e);

/* ---- sessions, API tokens, login throttling ---- */

typedef struct auth_row {
	int64_t user_id;
	const char *csrf; /* sessions only */
	int64_t cache_gen;
	int64_t expires;       /* sessions: unix seconds */
	int64_t last_seen;     /* sessions: unix seconds */
	const char *last_used; /* API tokens: ISO time or NULL */
} auth_row;

/* Open a session under the token's digest, sweeping expired ones. */
int store_session_add(store *db, const char *digest, int64_t user_id, const char *csrf, int64_t now,
                      int64_t expires, const char *ip, kh_err *e);
/* Look a session up by token digest; KH_EAUTH if none or expired. Also reads
 * the cache generation, so one query serves an authenticated request. */
int store_session_get(store *db, const char *digest, int64_t now, arena *a, auth_row *out,
                      kh_err *e);
/* Slide a session's expiry (called at most every few minutes per session). */
int store_session_touch(store *db, const char *digest, int64_t now, int64_t expires, kh_err *e);
/* End one session (logout). */
int store_session_delete(store *db, const char *digest, kh_err *e);
/* End every session of a user (disabled, new password). */
int store_sessions_delete_user(store *db, int64_t user_id, kh_err *e);

typedef struct token_row {
	int64_t id;
	int64_t user_id;
	const char *name;
	const char *created_at;
	const char *expires_at;
	const char *last_used_at;
} token_row;
/* Record a new API token by digest; *id is its number for listing and revoking. */
int store_token_add(store *db, const char *digest, int64_t user_id, const char *name,
                    const char *created_at, const char *expires_at, int64_t *id, kh_err *e);
/* Look a live token up by digest (with the cache generation); KH_EAUTH if none. */
int store_token_get(store *db, const char *digest, const char *now, arena *a, auth_row *out,
                    kh_err *e);
/* Note when a token was last used (at most once a minute per token). */
int store_token_used(store *db, const char *digest, const char *now, kh_err *e);
/* The live tokens of a user (every user's when user_id is 0), never their secrets. */
int store_tokens(store *db, int64_t user_id, arena *a, token_row **rows, int *n, kh_err *e);
/* Revoke token id (of user_id, or of anyone when user_id is 0); KH_ENOTFOUND if none. */
int store_token_revoke(store *db, int64_t id, int64_t user_id, kh_err *e);
/* Revoke every token of a user (a new password ends all ways in). */
int store_tokens_revoke_user(store *db, int64_t user_id, const char *now, kh_err *e);

/* Failed logins of username or from ip since a time (unix seconds). */
int store_login_failures(store *db, const char *username, const char *ip, int64_t since,
                         int64_t *by_user, int64_t *by_ip, kh_err *e);
/* Count a failed login (and forget failures older than a day). */
int store_login_failure_add(store *db, const char *username, const char *ip, int64_t at, kh_err *e);
/* Forget a user's failures up to before (after a successful login). */
int store_login_failures_clear(store *db, const char *username, int64_t before, kh_err *e);

/* ---- copying between databases ---- */

#define STORE_COPY_MAX_TABLES 48

typedef struct store_copy_table {
	const char *name;
	int64_t src_rows, dst_rows;
	uint64_t src_sum, dst_sum; /* checksums over every value, in row order */
} store_copy_table;

typedef struct store_copy_report {
	int ntables;
	store_copy_table tables[STORE_COPY_MAX_TABLES];
	int mismatches;
} store_copy_report;

/*
 * Copy every table of src into dst, which must hold no users, customers or
 * dictionary options yet (its schema is created if missing). Both are
 * brought to the current schema first. Afterwards each table is compared
 * by row count and checksum; a difference is an error (the report says
 * which). progress, if set, is called after each table.
 */
int store_copy(store *src, store *dst, store_copy_report *report,
               void (*progress)(const char *table, int64_t rows, void *ud), void *ud, kh_err *e);
/* Row count and checksum of one of the copied tables. */
int store_table_digest(store *db, const char *table, int64_t *rows, uint64_t *sum, kh_err *e);

/* ---- audit log ---- */

typedef struct audit_row {
	int64_t id;
	const char *at;
	int64_t user_id;
	const char *username;
	const char *origin; /* client IP, or "cli" */
	const char *action; /* create, update, delete, restore, login, login_failed ... */
	const char *entity;
	int64_t entity_id;
	const char *changes; /* JSON: [{"field","old","new"}] or an object */
} audit_row;

int store_audit_add(store *db, const audit_row *r, kh_err *e);

typedef struct audit_query {
	const char *entity;
	int64_t entity_id;
	int64_t user_id;
	const char *action;
	const char *from;  /* at >= from */
	const char *to;    /* at < to */
	int64_t before_id; /* keyset cursor: id < before_id; 0 = first page */
	int limit;
} audit_query;
int store_audit_list(store *db, const audit_query *q, arena *a, audit_row **rows, int *n,
                     bool *more, kh_err *e);

/* ---- duplicates and merges ---- */

/* What makes customers duplicates: the same name key, a contact's phone, credit code. */
typedef enum dup_by { DUP_NAME, DUP_PHONE, DUP_CREDIT_CODE } dup_by;

/* Up to limit keys, in key order after after ("" or NULL: from the start), each
 * shared by two or more live customers within scope (pool customers count as
 * visible); *more when another follows. Keys in a. */
int store_dup_keys(store *db, dup_by by, const kh_scope_filter *scope, const char *after, int limit,
                   arena *a, const char ***keys, int *n, bool *more, kh_err *e);
/* The live customers within scope having key, by id (at most max). */
int store_dup_members(store *db, dup_by by, const char *key, const kh_scope_filter *scope, int max,
                      arena *a, int64_t **ids, int *n, kh_err *e);
/* The key of customer id (contact id for DUP_PHONE); *key NULL when none. */
int store_dup_key_of(store *db, dup_by by, int64_t id, arena *a, const char **key, kh_err *e);
/* The smallest live contact id with phone (a cursor that does not show the phone). */
int store_dup_phone_contact(store *db, const char *phone, int64_t *contact_id, kh_err *e);
/* Set customer id's name key from name. */
int store_name_key_set(store *db, int64_t id, const char *name, kh_err *e);
/* Fill the name key of every customer without one (after the migration adding it). */
int store_name_keys_fill(store *db, int64_t *filled, kh_err *e);

/* The tables whose rows belong to one customer (a customer_id column), NULL-ended. */
extern const char *const store_customer_tables[];
/* Move the rows (deleted ones too) of table from customer from to customer to, every
 * one or (only_id > 0) that one, bumping each row's version; *ids and *versions (in a)
 * say which moved, at which new version (none: not on customer from). */
int store_rows_move(store *db, const char *table, int64_t from, int64_t to, int64_t only_id,
                    const char *now, arena *a, int64_t **ids, int64_t **versions, int *n,
                    kh_err *e);
/* Set or clear a contact's primary flag (derived by a merge: no new version). */
int store_contact_set_primary(store *db, int64_t id, bool primary, kh_err *e);
/* Set (into > 0) or clear the customer a merged customer went into. */
int store_customer_set_merged(store *db, int64_t id, int64_t into, kh_err *e);
/* Rebuild one customer's per product and month sums from its live orders. */
int store_sales_rebuild_customer(store *db, int64_t customer_id, kh_err *e);

/* A merge as kept for undoing it; the JSON texts are the service's. */
typedef struct merge_row {
	int64_t id, version;
	const char *created_at;
	int64_t created_by;
	int64_t into_id;
	const char *from_ids;     /* JSON array of ids */
	const char *moved;        /* JSON: {table: [[id, version after], ...]} */
	const char *before_state; /* JSON: what the merge changed, as it was */
	const char *after_state;  /* JSON: the same, as the merge left it */
	const char *undone_at;    /* NULL while in force */
	int64_t undone_by;
} merge_row;

int store_merge_insert(store *db, const merge_row *m, int64_t *id, kh_err *e);
/* One merge (held until the transaction ends when in one); KH_ENOTFOUND if none. */
int store_merge_get(store *db, int64_t id, arena *a, merge_row *out, kh_err *e);
/* Merges newest first, with id < before_id (0: from the newest). */
int store_merge_list(store *db, int64_t before_id, int limit, arena *a, merge_row **rows, int *n,
                     bool *more, kh_err *e);
/* Mark merge id undone if still at version and in force (KH_ECONFLICT otherwise). */
int store_merge_undone(store *db, int64_t id, int64_t version, const char *now, int64_t by,
                       kh_err *e);

#endif
