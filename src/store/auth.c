/*
 * auth — passwords, roles, sessions, API tokens and the failed-login
 * counters. All of it lives in the database so any server behind a load
 * balancer can answer any request.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/date.h"

int store_password_set(store *db, int64_t user_id, const char *hash, kh_err *e)
{
	return stmt_run(db, e, "UPDATE users SET password_hash = ? WHERE id = ?", "si", hash,
	                user_id);
}

int store_password_get(store *db, const char *username, arena *a, int64_t *user_id,
                       const char **hash, bool *disabled, kh_err *e)
{
	store_stmt *st = stmt_prepare(db,
	                              "SELECT id, password_hash, disabled FROM users "
	                              "WHERE username = ? AND deleted_at IS NULL",
	                              e);
	if (!st)
		return -1;
	stmt_bind_text(st, 1, username);
	int rc = stmt_step(st, e);
	if (rc == STMT_ROW) {
		*user_id = stmt_int(st, 0);
		*hash = stmt_text_dup(st, 1, a);
		*disabled = stmt_int(st, 2) != 0;
	}
	stmt_done(st);
	if (rc < 0)
		return -1;
	if (rc == STMT_DONE)
		return err_set(e, KH_ENOTFOUND, NULL);
	return 0;
}

int store_roles(store *db, arena *a, role_row **rows, int *n, kh_err *e)
{
	store_stmt *st = stmt_prepare(db, "SELECT code, perms, scope, version FROM roles", e);
	if (!st)
		return -1;
	int cap = 0, count = 0, rc;
	role_row *out = NULL;
	while ((rc = stmt_step(st, e)) == STMT_ROW) {
		role_row *r = ARENA_PUSH(a, out, count, cap);
		r->code = stmt_text_dup(st, 0, a);
		r->perms = (uint32_t)stmt_int(st, 1);
		r->scope = (int)stmt_int(st, 2);
		r->version = stmt_int(st, 3);
	}
	stmt_done(st);
	if (rc < 0)
		return -1;
	*rows = out;
	*n = count;
	return 0;
}

int store_role_upsert(store *db, const char *code, uint32_t perms, int scope, kh_err *e)
{
	return stmt_run(db, e,
	                "INSERT INTO roles (code, perms, scope) VALUES (?, ?, ?) "
	                "ON CONFLICT (code) DO UPDATE SET perms = excluded.perms, "
	                "scope = excluded.scope, version = roles.version + 1",
	                "sii", code, (int64_t)perms, (int64_t)scope);
}

int store_role_update(store *db, const char *code, int64_t version, uint32_t perms, int scope,
                      kh_err *e)
{
	if (stmt_run(db, e,
	             "UPDATE roles SET perms = ?, scope = ?, version = version + 1 "
	             "WHERE code = ? AND version = ?",
	             "iisi", (int64_t)perms, (int64_t)scope, code, version) < 0)
		return -1;
	if (db->ops->changes(db) == 0)
		return err_set(e, KH_ECONFLICT, NULL);
	return 0;
}

/* ---- sessions ---- */

int store_session_add(store *db, const char *digest, int64_t user_id, const char *csrf, int64_t now,
                      int64_t expires, const char *ip, kh_err *e)
{
	/* expired sessions are swept as new ones arrive; cheap with the index */
	if (stmt_run(db, e, "DELETE FROM sessions WHERE expires < ?", "i", now) < 0)
		return -1;
	return stmt_run(db, e,
	                "INSERT INTO sessions (digest, user_id, csrf, created, expires, last_seen, "
	                "ip) VALUES (?, ?, ?, ?, ?, ?, ?)",
	                "sisiiis", digest, user_id, csrf, now, expires, now, ip);
}

int store_session_get(store *db, const char *digest, int64_t now, arena *a, auth_row *out,
                      kh_err *e)
{
	store_stmt *st = stmt_prepare(db,
	                              "SELECT s.user_id, s.csrf, s.expires, s.last_seen, "
	                              "(SELECT value FROM settings WHERE key = 'cache_gen') "
	                              "FROM sessions s WHERE s.digest = ? AND s.expires >= ?",
	                              e);
	if (!st)
		return -1;
	stmt_bind_text(st, 1, digest);
	stmt_bind_int(st, 2, now);
	int rc = stmt_step(st, e);
	if (rc == STMT_ROW) {
		out->user_id = stmt_int(st, 0);
		out->csrf = stmt_text_dup(st, 1, a);
		out->expires = stmt_int(st, 2);
		out->last_seen = stmt_int(st, 3);
		out->cache_gen = strtoll(stmt_text(st, 4), NULL, 10);
	}
	stmt_done(st);
	if (rc < 0)
		return -1;
	if (rc == STMT_DONE)
		return err_set(e, KH_EAUTH, NULL);
	return 0;
}

int store_session_touch(store *db, const char *digest, int64_t now, int64_t expires, kh_err *e)
{
	return stmt_run(db, e, "UPDATE sessions SET last_seen = ?, expires = ? WHERE digest = ?",
	                "iis", now, expires, digest);
}

int store_session_delete(store *db, const char *digest, kh_err *e)
{
	return stmt_run(db, e, "DELETE FROM sessions WHERE digest = ?", "s", digest);
}

int store_sessions_delete_user(store *db, int64_t user_id, kh_err *e)
{
	return stmt_run(db, e, "DELETE FROM sessions WHERE user_id = ?", "i", user_id);
}

/* ---- API tokens ---- */

int store_token_add(store *db, const char *digest, int64_t user_id, const char *name,
                    const char *created_at, const char *expires_at, int64_t *id, kh_err *e)
{
	int rc = stmt_query_int(db, e, id,
	                        "INSERT INTO api_tokens (digest, user_id, name, created_at, "
	                        "expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
	                        "sisss", digest, user_id, name, created_at, expires_at);
	return rc == 1 ? 0 : -1;
}

int store_token_get(store *db, const char *digest, const char *now, arena *a, auth_row *out,
                    kh_err *e)
{
	store_stmt *st = stmt_prepare(
	        db,
	        "SELECT t.user_id, (SELECT value FROM settings WHERE key = 'cache_gen'), "
	        "t.last_used_at FROM api_tokens t WHERE t.digest = ? AND t.revoked_at IS NULL "
	        "AND (t.expires_at IS NULL OR t.expires_at > ?)",
	        e);
	if (!st)
		return -1;
	stmt_bind_text(st, 1, digest);
	stmt_bind_text(st, 2, now);
	int rc = stmt_step(st, e);
	if (rc == STMT_ROW) {
		memset(out, 0, sizeof(*out));
		out->user_id = stmt_int(st, 0);
		out->cache_gen = strtoll(stmt_text(st, 1), NULL, 10);
		out->last_used = stmt_text_dup(st, 2, a);
	}
	stmt_done(st);
	if (rc < 0)
		return -1;
	if (rc == STMT_DONE)
		return err_set(e, KH_EAUTH, NULL);
	return 0;
}

int store_token_used(store *db, const char *digest, const char *now, kh_err *e)
{
	return stmt_run(db, e, "UPDATE api_tokens SET last_used_at = ? WHERE digest = ?", "ss", now,
	                digest);
}

int store_tokens(store *db, int64_t user_id, arena *a, token_row **rows, int *n, kh_err *e)
{
	store_stmt *st =
	        stmt_prepare(db,
	                     "SELECT id, user_id, name, created_at, expires_at, last_used_at "
	                     "FROM api_tokens WHERE revoked_at IS NULL AND (? = 0 OR "
	                     "user_id = ?) ORDER BY id",
	                     e);
	if (!st)
		return -1;
	stmt_bind_int(st, 1, user_id);
	stmt_bind_int(st, 2, user_id);
	int cap = 0, count = 0, rc;
	token_row *out = NULL;
	while ((rc = stmt_step(st, e)) == STMT_ROW) {
		token_row *t = ARENA_PUSH(a, out, count, cap);
		t->id = stmt_int(st, 0);
		t->user_id = stmt_int(st, 1);
		t->name = stmt_text_dup(st, 2, a);
		t->created_at = stmt_text_dup(st, 3, a);
		t->expires_at = stmt_text_dup(st, 4, a);
		t->last_used_at = stmt_text_dup(st, 5, a);
	}
	stmt_done(st);
	if (rc < 0)
		return -1;
	*rows = out;
	*n = count;
	return 0;
}

int store_token_revoke(store *db, int64_t id, int64_t user_id, kh_err *e)
{
	char now[TIME_LEN];
	time_now_iso(now);
	if (stmt_run(db, e,
	             "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND (? = 0 OR user_id = ?) "
	             "AND revoked_at IS NULL",
	             "siii", now, id, user_id, user_id) < 0)
		return -1;
	if (db->ops->changes(db) == 0)
		return err_set(e, KH_ENOTFOUND, N_("API token %lld not found"), (long long)id);
	return 0;
}

int store_tokens_revoke_user(store *db, int64_t user_id, const char *now, kh_err *e)
{
	return stmt_run(
	        db, e,
	        "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
	        "si", now, user_id);
}

/* ---- login throttling ---- */

int store_login_failures(store *db, const char *username, const char *ip, int64_t since,
                         int64_t *by_user, int64_t *by_ip, kh_err *e)
{
	*by_user = *by_ip = 0;
	if (stmt_query_int(db, e, by_user,
	                   "SELECT COUNT(*) FROM login_failures WHERE username = ? AND at >= ?",
	                   "si", username, since) < 0)
		return -1;
	if (stmt_query_int(db, e, by_ip,
	                   "SELECT COUNT(*) FROM login_failures WHERE ip = ? AND at >= ?", "si",
	                   ip ? ip : "", since) < 0)
		return -1;
	return 0;
}

int store_login_failure_add(store *db, const char *username, const char *ip, int64_t at, kh_err *e)
{
	/* keep the table small: drop what no window looks at any more */
	if (stmt_run(db, e, "DELETE FROM login_failures WHERE at < ?", "i", at - 86400) < 0)
		return -1;
	return stmt_run(db, e, "INSERT INTO login_failures (username, ip, at) VALUES (?, ?, ?)",
	                "ssi", username, ip ? ip : "", at);
}

int store_login_failures_clear(store *db, const char *username, int64_t before, kh_err *e)
{
	return stmt_run(db, e, "DELETE FROM login_failures WHERE username = ? AND at <= ?", "si",
	                username, before);
}
