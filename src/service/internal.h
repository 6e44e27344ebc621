/*
 * internal — what the service files share: the cache snapshot of small,
 * often-read tables, scope computation, audit helpers and the checks
 * every use case starts with.
 */
#ifndef KEHU_SERVICE_INTERNAL_H
#define KEHU_SERVICE_INTERNAL_H

#include "core/org.h"
#include "service/service.h"

/*
 * An immutable copy of users, departments, dictionary options, custom
 * field definitions, roles and settings, tagged with the database's cache
 * generation. Shared by all threads, reference counted, replaced when the
 * generation moves (any server's change bumps it in the database).
 */
typedef struct snapshot {
	int refs; /* atomic */
	int64_t gen;
	char *db_url; /* the database it was read from: a process may open several */
	arena a;
	kh_record *users; /* sorted by id */
	int nusers;
	kh_record *depts; /* sorted by id */
	int ndepts;
	dict_option *opts;
	int nopts;
	dict_set *dicts;
	kh_record *cfields; /* custom field definitions, by id */
	int ncfields;
	role_row *roles;
	int nroles;
	int code_width;
	int tz_minutes;
	int loyal_count; /* deals that make a loyal customer (report 12) */
	int lost_days;   /* days without a deal that make a lost customer */
} snapshot;

/* Make sure s->snap is the snapshot of generation gen (-1: read it). */
int svc_snapshot(svc *s, int64_t gen);

const kh_record *snap_user(const snapshot *sn, int64_t id);
const kh_record *snap_user_by_name(const snapshot *sn, const char *username);
const kh_record *snap_dept(const snapshot *sn, int64_t id);
const role_row *snap_role(const snapshot *sn, const char *code);
const kh_record *snap_custom_field(const snapshot *sn, const char *entity, const char *key);

/* ---- permission and scope ---- */

/* KH_ERATE when username or the request's address failed to log in too often lately. */
int throttle_check(svc *s, const char *username, int64_t now);
/* Fail with KH_EFORBIDDEN when user_id holds permissions the actor lacks: managing
 * users must not be a way to take over a more powerful account. */
int check_outranked(svc *s, int64_t user_id);
/* Fail with KH_EFORBIDDEN unless the actor has p. */
int require(svc *s, kh_perm p);
/* The scope filter for lists of the actor's records. */
int scope_filter(svc *s, kh_scope_filter *out);
/* True when a record owned by owner_id (in dept_id) is within the actor's scope. */
bool scope_covers(svc *s, int64_t owner_id, int64_t dept_id);
/* True when the actor may see customer c (its owner in scope, or the pool). */
bool customer_visible(svc *s, const kh_record *c);
/* Load a customer the actor may see (deleted ones too with with_deleted);
 * KH_ENOTFOUND, never a hint, for one outside the scope. */
int customer_load(svc *s, int64_t id, bool with_deleted, kh_record *out);
/* 0 when the actor may change customer c and its records; else -1 (in the pool) */
int customer_writable(svc *s, const kh_record *c);
/* The label of a dictionary option in the actor's language (the code if unknown). */
const char *dict_label(svc *s, const char *kind, const char *code);
/* Set the customer's lifecycle stage from its stored totals and status (in the
 * caller's transaction), after anything that changed them. */
int customer_restage(svc *s, int64_t id);
/* A customer's new owner must be the actor, or one the actor may assign to and
 * sees (a field error on field otherwise). */
int customer_check_owner(svc *s, int64_t owner, const char *field);
/* Set c's department to owner's, read with the owner's row held to the end of the
 * caller's transaction (a user changing department at once waits or is seen). */
int customer_owner_department(svc *s, kh_record *c, int64_t owner);
/* Archive (or bring back) customer old at version, audited, in the caller's
 * transaction. */
int customer_archive_write(svc *s, const kh_record *old, int64_t version, bool archived);
/* A page of customers for a parsed query: rows masked, primary contacts, cursor. */
int customer_page(svc *s, kh_query *q, const bool *want, list_page *page);
/*
 * Add the follow-ups and orders of a customer in one go (demo data, imports):
 * each validated, inserted and audited, the customer's derived fields and the
 * monthly sums set as the records' own hooks would, once for them all. The
 * caller holds the transaction and has made or checked the customer (live,
 * writable by the actor) and the contacts the follow-ups name.
 */
int activity_add_history(svc *s, int64_t customer_id, kh_record *followups, int nf,
                         kh_record *orders, int no);
/* KH_ENOTFOUND for record id of ent, replacing any other error. */
int err_not_found(svc *s, const kh_entity *ent, int64_t id);
/* Drop patch values equal to the stored ones; false when nothing is left. */
bool patch_prune(kh_record *patch, const kh_record *old);
/* The ids of the departments in the subtree of root (root first) in *out (in a);
 * returns how many. */
int dept_subtree(const snapshot *sn, int64_t root, arena *a, int64_t **out);
/* True when user id is within the actor's scope (may own records the actor can see). */
bool scope_covers_user(svc *s, int64_t user_id);

/* The default evaluation indicators, in a database that never had any (in the
 * caller's transaction). */
int seed_indicators(svc *s);
/* The current value of setting key (its default when unset; 0 for an unknown key). */
int64_t setting_value(svc *s, const char *key);

/* ---- audit ---- */

/* Record a change in the audit log (in the caller's transaction). For
 * "update" only the fields that differ between old and new are kept. */
int audit_change(svc *s, const char *action, const kh_entity *ent, int64_t id,
                 const kh_record *old_rec, const kh_record *new_rec);
/* Record an event with free details (JSON object or NULL; reference stolen). */
int audit_event(svc *s, const char *action, const char *entity, int64_t id, json_t *details);

/* ---- shared use-case steps ---- */

/* Resolve FT_DICT, FT_USER, FT_DEPT values of r against the snapshot (codes,
 * labels, usernames); old (may be NULL) lets retired options stay. */
int resolve_refs(svc *s, kh_record *r, const kh_record *old, const char *prefix);
/* Validate and merge the custom fields JSON of r (merging with old on update). */
int resolve_custom(svc *s, kh_record *r, int field, const kh_record *old, const char *prefix);
/* On a create (old NULL) with field (FT_USER) not given: the acting user, who
 * logs, sells or visits unless someone else is named. */
int default_owner(svc *s, kh_record *r, const kh_record *old, int field);
/* Fill created/updated/created_by of a new record. */
void stamp_new(svc *s, kh_record *r);
/* Build a query from list parameters. want receives the fields to load. */
int parse_list_params(svc *s, const kh_entity *ent, const kv *params, int n, kh_query *q,
                      bool **want, int **fields, int *nfields);
/* Cursor text for the row after which the next page starts. */
const char *make_cursor(svc *s, const kh_query *q, const kh_record *last);
/* Mask a record for the actor. */
void mask_for_actor(svc *s, kh_record *r);
/* Commit, or roll back and return -1. */
int commit_or_rollback(svc *s);

/* A page of the records of ent hanging off customers: of one customer (customer_id
 * > 0, whose visibility is checked) or of every visible one (the scope applied
 * through the customer). Deleted ones (view=deleted) need deleted_perm. */
/*
 * The generic record use cases in two halves, for use cases that write several
 * records in one transaction (winning an opportunity makes its order): the
 * check (validation, rules, visibility) before the transaction, then the write
 * inside the caller's.
 */
int record_create_check(svc *s, const record_kind *k, kh_record *r);
int record_create_txn(svc *s, const record_kind *k, kh_record *r);
/* old: the record as it is (loaded, visible); patch validated and prepared */
int record_update_check(svc *s, const record_kind *k, int64_t id, kh_record *patch, kh_record *old);
int record_update_txn(svc *s, const record_kind *k, const kh_record *old, kh_record *patch,
                      int64_t version);

/*
 * A record made and then moved on through its states, written in one go (demo
 * data): the check creates r as of at[0] and applies each of the n steps (patches)
 * as an update at at[i+1] would — validation, the kind's prepare — keeping r in
 * memory, so r ends as the updates would have left it (version, updated_at); the
 * history rows of the states it entered are in *hist. The txn inserts r (coded as
 * of its creation), its history and runs the kind's after hook, in the caller's
 * transaction. The caller may add what a use case sets after the rules (the order
 * of a won opportunity) between the two.
 */
int record_walk_check(svc *s, const record_kind *k, kh_record *r, kh_record *steps, int n,
                      const char *const *at, history_row **hist, int *nhist);
int record_walk_txn(svc *s, const record_kind *k, kh_record *r, const history_row *hist, int n);

int list_by_customer(svc *s, const kh_entity *ent, kh_perm deleted_perm, int64_t customer_id,
                     const kv *params, int nparams, list_page *page);

/* ---- rows a record owns (record_children) ---- */

/* Check rows given for a record (types, dictionaries, how many) and let the kind
 * derive r's fields from them; field errors name "key[i].field". */
int children_check(svc *s, const record_kind *k, kh_record *r, const child_rows *ch);
/* True when the record's stored rows equal ch (nothing to write). */
bool children_unchanged(svc *s, const record_kind *k, int64_t id, const child_rows *ch);
/* Replace the record's rows by ch and audit the change (in the caller's transaction). */
int children_save(svc *s, const record_kind *k, int64_t id, const child_rows *ch);

#endif
