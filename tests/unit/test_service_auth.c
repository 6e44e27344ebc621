/*
 * test_service_auth — logging in and staying logged in: sessions (token,
 * CSRF token, logout), the same answer for a wrong password and an unknown
 * user, throttling after repeated failures, sessions ending when the
 * password changes or the account is disabled, and API tokens (created,
 * used, listed, revoked; only user managers make them for others).
 */
#define UNIT_WITH_SERVICE
#include "unit.h"

#include "util/crypto.h"

static void a_login_opens_a_session_that_authenticates(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_open(&c, o->db);
	login_result lr;
	UNIT_OK(svc_login(&c.s, "e1", UNIT_PASSWORD, &lr), &c.e);
	assert_int_equal(strlen(lr.token), CRYPTO_TOKEN_LEN - 1);
	assert_int_equal(strlen(lr.csrf), CRYPTO_TOKEN_LEN - 1);
	assert_string_not_equal(lr.token, lr.csrf);
	assert_true(lr.expires > time_now_unix());
	assert_true(lr.expires <= time_now_unix() + SESSION_TTL_SECONDS);
	char token[CRYPTO_TOKEN_LEN], csrf[CRYPTO_TOKEN_LEN];
	snprintf(token, sizeof(token), "%s", lr.token);
	snprintf(csrf, sizeof(csrf), "%s", lr.csrf);
	unit_ctx_close(&c);

	/* a later request with the cookie */
	unit_ctx_open(&c, o->db);
	UNIT_OK(svc_auth_session(&c.s, token), &c.e);
	assert_int_equal(c.s.actor.user_id, o->e1);
	assert_string_equal(c.s.actor.username, "e1");
	assert_string_equal(c.s.csrf, csrf);
	assert_true(svc_can(&c.s, PERM_CUSTOMER_WRITE));
	unit_ctx_close(&c);

	/* a token that is one character off is nobody */
	token[5] = token[5] == 'A' ? 'B' : 'A';
	unit_ctx_open(&c, o->db);
	assert_int_equal(svc_auth_session(&c.s, token), -1);
	assert_int_equal(c.e.code, KH_EAUTH);
	assert_int_equal(c.s.actor.user_id, 0);
	err_clear(&c.e);
	assert_int_equal(svc_auth_session(&c.s, "short"), -1);
	assert_int_equal(c.e.code, KH_EAUTH);
	err_clear(&c.e);
	assert_int_equal(svc_auth_session(&c.s, NULL), -1);
	unit_ctx_close(&c);
}

static void logout_ends_the_session(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_open(&c, o->db);
	login_result lr;
	UNIT_OK(svc_login(&c.s, "e2", UNIT_PASSWORD, &lr), &c.e);
	char token[CRYPTO_TOKEN_LEN];
	snprintf(token, sizeof(token), "%s", lr.token);
	UNIT_OK(svc_logout(&c.s, token), &c.e);
	unit_ctx_close(&c);
	unit_ctx_open(&c, o->db);
	assert_int_equal(svc_auth_session(&c.s, token), -1);
	assert_int_equal(c.e.code, KH_EAUTH);
	unit_ctx_close(&c);
}

static void wrong_password_and_unknown_user_look_the_same(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_open(&c, o->db);
	login_result lr;
	assert_int_equal(svc_login(&c.s, "viewer", "not-the-password", &lr), -1);
	assert_int_equal(c.e.code, KH_EAUTH);
	char wrong_pw[256];
	snprintf(wrong_pw, sizeof(wrong_pw), "%s", err_message(&c.e));
	err_clear(&c.e);
	assert_int_equal(svc_login(&c.s, "no_such_user", "not-the-password", &lr), -1);
	assert_int_equal(c.e.code, KH_EAUTH);
	assert_string_equal(err_message(&c.e), wrong_pw);
	err_clear(&c.e);
	assert_int_equal(svc_login(&c.s, "viewer", "", &lr), -1);
	assert_int_equal(c.e.code, KH_EAUTH);
	err_clear(&c.e);
	assert_int_equal(svc_login(&c.s, "", UNIT_PASSWORD, &lr), -1);
	assert_int_equal(c.e.code, KH_EAUTH);
	unit_ctx_close(&c);
}

static void repeated_failures_are_throttled(void **state)
{
	unit_org *o = *state;
	(void)o;
	unit_ctx c;
	unit_ctx_open(&c, o->db);
	login_result lr;
	for (int i = 0; i < LOGIN_MAX_FAILURES_USER; i++) {
		err_clear(&c.e);
		assert_int_equal(svc_login(&c.s, "lead", "guess-number-x", &lr), -1);
		assert_int_equal(c.e.code, KH_EAUTH);
	}
	/* now even the right password waits */
	err_clear(&c.e);
	assert_int_equal(svc_login(&c.s, "lead", UNIT_PASSWORD, &lr), -1);
	assert_int_equal(c.e.code, KH_ERATE);
	/* other accounts are not affected */
	err_clear(&c.e);
	UNIT_OK(svc_login(&c.s, "mgr", UNIT_PASSWORD, &lr), &c.e);
	unit_ctx_close(&c);
}

static void failed_logins_are_audited(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->admin);
	kv p[] = {{"action", "login_failed"}, {"limit", "100"}};
	audit_row *rows;
	int n;
	const char *next;
	UNIT_OK(svc_audit_list(&c.s, p, 2, &rows, &n, &next), &c.e);
	bool lead = false, unknown = false;
	for (int i = 0; i < n; i++) {
		lead |= rows[i].username && !strcmp(rows[i].username, "lead");
		unknown |= rows[i].username && !strcmp(rows[i].username, "no_such_user");
		/* never the password tried */
		assert_null(rows[i].changes ? strstr(rows[i].changes, "guess-number-x") : NULL);
	}
	assert_true(lead);
	assert_true(unknown);
	unit_ctx_close(&c);
}

static void a_new_password_ends_every_session(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_open(&c, o->db);
	login_result lr;
	UNIT_OK(svc_login(&c.s, "s1", UNIT_PASSWORD, &lr), &c.e);
	char token[CRYPTO_TOKEN_LEN];
	snprintf(token, sizeof(token), "%s", lr.token);
	unit_ctx_close(&c);

	unit_ctx_system(&c, o->db);
	UNIT_OK(svc_user_password(&c.s, o->s1, NULL, "another-pass-456"), &c.e);
	unit_ctx_close(&c);

	unit_ctx_open(&c, o->db);
	assert_int_equal(svc_auth_session(&c.s, token), -1);
	assert_int_equal(c.e.code, KH_EAUTH);
	err_clear(&c.e);
	UNIT_OK(svc_login(&c.s, "s1", "another-pass-456", &lr), &c.e);
	unit_ctx_close(&c);
}

static void disabling_an_account_ends_its_sessions(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_open(&c, o->db);
	login_result lr;
	UNIT_OK(svc_login(&c.s, "svc1", UNIT_PASSWORD, &lr), &c.e);
	char token[CRYPTO_TOKEN_LEN];
	snprintf(token, sizeof(token), "%s", lr.token);
	unit_ctx_close(&c);

	unit_ctx_system(&c, o->db);
	kh_record cur;
	UNIT_OK(svc_user_get(&c.s, o->svc1, &cur), &c.e);
	kh_record p;
	record_init(&p, &user_entity, &c.a);
	record_set_int(&p, UF_DISABLED, 1);
	UNIT_OK(svc_user_update(&c.s, o->svc1, cur.v[F_VERSION].i, &p), &c.e);
	unit_ctx_close(&c);

	unit_ctx_open(&c, o->db);
	assert_int_equal(svc_auth_session(&c.s, token), -1);
	assert_int_equal(c.e.code, KH_EAUTH);
	unit_ctx_close(&c);
}

static void api_tokens_authenticate_until_revoked(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->fin1);
	const char *tok;
	int64_t id;
	UNIT_OK(svc_token_create(&c.s, "报表脚本", 30, NULL, &tok, &id), &c.e);
	assert_true(id > 0);
	assert_int_equal(strncmp(tok, "kh_", 3), 0);
	assert_int_equal(strlen(tok), 3 + CRYPTO_TOKEN_LEN - 1);
	char token[64];
	snprintf(token, sizeof(token), "%s", tok);
	token_row *rows;
	int n;
	UNIT_OK(svc_token_list(&c.s, &rows, &n), &c.e);
	bool listed = false;
	for (int i = 0; i < n; i++)
		listed |= rows[i].id == id && !strcmp(rows[i].name, "报表脚本");
	assert_true(listed);
	unit_ctx_close(&c);

	unit_ctx_open(&c, o->db);
	UNIT_OK(svc_auth_token(&c.s, token), &c.e);
	assert_int_equal(c.s.actor.user_id, o->fin1);
	unit_ctx_close(&c);
	/* a session token is not an API token and the other way round */
	unit_ctx_open(&c, o->db);
	assert_int_equal(svc_auth_session(&c.s, token), -1);
	err_clear(&c.e);
	assert_int_equal(svc_auth_token(&c.s, token + 3), -1);
	assert_int_equal(c.e.code, KH_EAUTH);
	unit_ctx_close(&c);

	unit_ctx_user(&c, o->db, o->fin1);
	UNIT_OK(svc_token_revoke(&c.s, id), &c.e);
	unit_ctx_close(&c);
	unit_ctx_open(&c, o->db);
	assert_int_equal(svc_auth_token(&c.s, token), -1);
	assert_int_equal(c.e.code, KH_EAUTH);
	unit_ctx_close(&c);
}

static void tokens_for_others_need_user_management(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	const char *tok;
	int64_t id;
	assert_int_equal(svc_token_create(&c.s, "冒充", 0, "mgr", &tok, &id), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	err_clear(&c.e);
	assert_int_equal(svc_token_create(&c.s, "", 0, NULL, &tok, &id), -1);
	assert_true(unit_has_field_error(&c.e, "name"));
	err_clear(&c.e);
	assert_int_equal(svc_token_create(&c.s, "太久", 4000, NULL, &tok, &id), -1);
	assert_true(unit_has_field_error(&c.e, "days"));
	unit_ctx_close(&c);

	unit_ctx_user(&c, o->db, o->admin);
	UNIT_OK(svc_token_create(&c.s, "为经理", 0, "mgr", &tok, &id), &c.e);
	char token[64];
	snprintf(token, sizeof(token), "%s", tok);
	unit_ctx_close(&c);
	unit_ctx_open(&c, o->db);
	UNIT_OK(svc_auth_token(&c.s, token), &c.e);
	assert_int_equal(c.s.actor.user_id, o->mgr);
	unit_ctx_close(&c);
	/* the manager's token cannot be revoked by a sales person */
	unit_ctx_user(&c, o->db, o->e1);
	svc_token_revoke(&c.s, id);
	unit_ctx_close(&c);
	unit_ctx_open(&c, o->db);
	UNIT_OK(svc_auth_token(&c.s, token), &c.e);
	unit_ctx_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(a_login_opens_a_session_that_authenticates),
	        cmocka_unit_test(logout_ends_the_session),
	        cmocka_unit_test(wrong_password_and_unknown_user_look_the_same),
	        cmocka_unit_test(repeated_failures_are_throttled),
	        cmocka_unit_test(failed_logins_are_audited),
	        cmocka_unit_test(a_new_password_ends_every_session),
	        cmocka_unit_test(disabling_an_account_ends_its_sessions),
	        cmocka_unit_test(api_tokens_authenticate_until_revoked),
	        cmocka_unit_test(tokens_for_others_need_user_management),
	};
	return cmocka_run_group_tests(tests, unit_org_setup, unit_org_teardown);
}
