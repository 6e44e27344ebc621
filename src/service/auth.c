/*
 * auth — logins, sessions and API tokens.
 *
 * Session and API tokens are random 256-bit values; the database keeps
 * only their digests. A session carries its own CSRF token, which the
 * HTTP layer demands on state-changing requests made with the cookie.
 * Failed logins are counted in the database per username and per client
 * address, so throttling holds across several servers.
 */
#include <pthread.h>
#include <string.h>

#include "service/internal.h"
#include "util/crypto.h"
#include "util/date.h"
#include "util/log.h"

/* A hash to verify against when the username does not exist, so that the
 * answer takes as long as for a real user. */
static char dummy_hash[CRYPTO_HASH_LEN];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	char pw[CRYPTO_TOKEN_LEN];
	crypto_token(pw);
	crypto_password_hash(pw, dummy_hash);
}

/* How long a login waits for a free password-hash slot before answering busy. */
#define LOGIN_HASH_WAIT_MS 1500

static int auth_failed(svc *s)
{
	err_clear(s->err);
	return err_set(s->err, KH_EAUTH, N_("Wrong username or password"));
}

int throttle_check(svc *s, const char *username, int64_t now)
{
	int64_t by_user, by_ip;
	if (store_login_failures(s->db, username, s->origin, now - LOGIN_WINDOW_SECONDS, &by_user,
	                         &by_ip, s->err) < 0)
		return -1;
	if (by_user >= LOGIN_MAX_FAILURES_USER || by_ip >= LOGIN_MAX_FAILURES_IP)
		return err_set(s->err, KH_ERATE,
		               N_("Too many failed logins; try again in %d minutes"),
		               LOGIN_WINDOW_SECONDS / 60);
	return 0;
}

int svc_login(svc *s, const char *username, const char *password, login_result *out)
{
	if (svc_snapshot(s, -1) < 0)
		return -1;
	if (!username || !*username || !password || !*password)
		return auth_failed(s);
	if (strlen(username) > 64 || strlen(password) > 1024)
		return auth_failed(s);
	int64_t now = time_now_unix();
	if (throttle_check(s, username, now) < 0)
		return -1;
	int64_t user_id = 0;
	const char *hash = NULL;
	bool disabled = false;
	int rc = store_password_get(s->db, username, s->a, &user_id, &hash, &disabled, s->err);
	if (rc < 0 && s->err->code != KH_ENOTFOUND)
		return -1;
	err_clear(s->err);
	bool ok;
	int got;
	if (rc < 0 || !hash) {
		pthread_once(&dummy_once, make_dummy);
		got = crypto_password_check(dummy_hash, password, LOGIN_HASH_WAIT_MS);
		ok = false;
	} else {
		got = crypto_password_check(hash, password, LOGIN_HASH_WAIT_MS);
		ok = got == 1;
	}
	if (got < 0)
		return err_set(s->err, KH_EBUSY,
		               N_("Too many logins at once; try again in a moment"));
	if (!ok || disabled) {
		if (store_begin(s->db, s->err) < 0)
			return -1;
		kh_actor saved = s->actor;
		s->actor.user_id = user_id;
		s->actor.username = username;
		if (store_login_failure_add(s->db, username, s->origin, now, s->err) < 0 ||
		    audit_event(s, "login_failed", "session", user_id,
		                json_pack("{s:s, s:s}", "username", username, "reason",
		                          disabled && ok ? "disabled" : "credentials")) < 0) {
			s->actor = saved;
			store_rollback(s->db);
			return -1;
		}
		s->actor = saved;
		if (store_commit(s->db, s->err) < 0)
			return -1;
		if (ok && disabled) {
			err_clear(s->err);
			return err_set(s->err, KH_EAUTH, N_("This account is disabled"));
		}
		return auth_failed(s);
	}
	if (svc_act_as(s, user_id) < 0)
		return -1;
	char token[CRYPTO_TOKEN_LEN], csrf[CRYPTO_TOKEN_LEN], digest[CRYPTO_DIGEST_LEN];
	crypto_token(token);
	crypto_token(csrf);
	crypto_token_digest(token, digest);
	int64_t expires = now + SESSION_TTL_SECONDS;
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (store_session_add(s->db, digest, user_id, csrf, now, expires, s->origin, s->err) < 0 ||
	    store_login_failures_clear(s->db, username, now, s->err) < 0 ||
	    audit_event(s, "login", "session", user_id, NULL) < 0) {
		store_rollback(s->db);
		return -1;
	}
	if (store_commit(s->db, s->err) < 0)
		return -1;
	out->token = arena_strdup(s->a, token);
	out->csrf = arena_strdup(s->a, csrf);
	out->expires = expires;
	s->csrf = out->csrf;
	return 0;
}

int svc_logout(svc *s, const char *token)
{
	char digest[CRYPTO_DIGEST_LEN];
	crypto_token_digest(token, digest);
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (store_session_delete(s->db, digest, s->err) < 0 ||
	    audit_event(s, "logout", "session", s->actor.user_id, NULL) < 0) {
		store_rollback(s->db);
		return -1;
	}
	return store_commit(s->db, s->err);
}

/* Sessions slide: a request more than this after the last refresh extends it. */
#define SESSION_TOUCH_SECONDS 300

int svc_auth_session(svc *s, const char *token)
{
	if (!token || strlen(token) != CRYPTO_TOKEN_LEN - 1)
		return err_set(s->err, KH_EAUTH, NULL);
	char digest[CRYPTO_DIGEST_LEN];
	crypto_token_digest(token, digest);
	auth_row row;
	int64_t now = time_now_unix();
	if (store_session_get(s->db, digest, now, s->a, &row, s->err) < 0)
		return -1;
	if (svc_snapshot(s, row.cache_gen) < 0 || svc_act_as(s, row.user_id) < 0)
		return -1;
	s->csrf = row.csrf;
	if (now - row.last_seen > SESSION_TOUCH_SECONDS) {
		kh_err e2 = *s->err;
		if (store_session_touch(s->db, digest, now, now + SESSION_TTL_SECONDS, &e2) < 0)
			log_warn("could not extend a session: %s", err_message(&e2));
	}
	return 0;
}

#define TOKEN_PREFIX        "kh_"
#define TOKEN_TOUCH_SECONDS 60

int svc_auth_token(svc *s, const char *token)
{
	if (!token || strncmp(token, TOKEN_PREFIX, 3) != 0 ||
	    strlen(token) != CRYPTO_TOKEN_LEN - 1 + 3)
		return err_set(s->err, KH_EAUTH, N_("The API token is not valid"));
	char digest[CRYPTO_DIGEST_LEN];
	crypto_token_digest(token, digest);
	const char *now = svc_now(s);
	auth_row row;
	if (store_token_get(s->db, digest, now, s->a, &row, s->err) < 0) {
		if (s->err->code == KH_EAUTH) {
			err_clear(s->err);
			return err_set(s->err, KH_EAUTH, N_("The API token is not valid"));
		}
		return -1;
	}
	if (svc_snapshot(s, row.cache_gen) < 0 || svc_act_as(s, row.user_id) < 0)
		return -1;
	int64_t last = 0, t = time_now_unix();
	if (!row.last_used || !time_parse_iso(row.last_used, &last) ||
	    t - last > TOKEN_TOUCH_SECONDS) {
		kh_err e2 = *s->err;
		if (store_token_used(s->db, digest, now, &e2) < 0)
			log_warn("could not note a token's use: %s", err_message(&e2));
	}
	return 0;
}

int svc_token_create(svc *s, const char *name, int days, const char *for_user, const char **token,
                     int64_t *id)
{
	if (!s->actor.user_id && !s->actor.system)
		return err_set(s->err, KH_EAUTH, NULL);
	if (svc_snapshot(s, -1) < 0)
		return -1;
	int64_t user_id = s->actor.user_id;
	if (for_user) {
		const kh_record *u = snap_user_by_name(s->snap, for_user);
		if (!u)
			return err_field(s->err, "user", N_("No such user: %s"), for_user);
		if (u->v[F_ID].i != user_id &&
		    (require(s, PERM_USER_MANAGE) < 0 || check_outranked(s, u->v[F_ID].i) < 0))
			return -1;
		user_id = u->v[F_ID].i;
	}
	if (!user_id)
		return err_field(s->err, "user", N_("Say which user the token is for"));
	if (!name || !*name || strlen(name) > 100)
		return err_field(s->err, "name",
		                 N_("Give the token a name of at most 100 characters"));
	if (days < 0 || days > 3650)
		return err_field(s->err, "days", N_("A token lives 1 to 3650 days (0: no expiry)"));
	char raw[CRYPTO_TOKEN_LEN], digest[CRYPTO_DIGEST_LEN];
	crypto_token(raw);
	const char *tok = arena_printf(s->a, TOKEN_PREFIX "%s", raw);
	crypto_token_digest(tok, digest);
	const char *expires = NULL;
	if (days > 0) {
		char tbuf[TIME_LEN];
		time_format_iso(tbuf, time_now_unix() + (int64_t)days * 86400);
		expires = arena_strdup(s->a, tbuf);
	}
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (store_token_add(s->db, digest, user_id, name, svc_now(s), expires, id, s->err) < 0 ||
	    audit_event(s, "token_create", "user", user_id, json_pack("{s:s}", "name", name)) < 0) {
		store_rollback(s->db);
		return -1;
	}
	if (store_commit(s->db, s->err) < 0)
		return -1;
	*token = tok;
	return 0;
}

int svc_token_list(svc *s, token_row **rows, int *n)
{
	int64_t user = svc_can(s, PERM_USER_MANAGE) ? 0 : s->actor.user_id;
	if (!user && !svc_can(s, PERM_USER_MANAGE))
		return err_set(s->err, KH_EAUTH, NULL);
	return store_tokens(s->db, user, s->a, rows, n, s->err);
}

int svc_token_revoke(svc *s, int64_t id)
{
	int64_t user = svc_can(s, PERM_USER_MANAGE) ? 0 : s->actor.user_id;
	if (!user && !svc_can(s, PERM_USER_MANAGE))
		return err_set(s->err, KH_EAUTH, NULL);
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (store_token_revoke(s->db, id, user, s->err) < 0 ||
	    audit_event(s, "token_revoke", "api_token", id, NULL) < 0) {
		store_rollback(s->db);
		return -1;
	}
	return store_commit(s->db, s->err);
}
