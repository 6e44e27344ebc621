/*
 * test_service_setup — bootstrapping a new database: a too-short admin
 * password leaves nothing behind; the first run creates the roles, the
 * default dictionaries, the head office (prefix KH) and the admin (with a
 * generated password when none is given); running again changes nothing.
 */
#define UNIT_WITH_SERVICE
#include "unit.h"

typedef struct counts {
	int roles, options, depts, users;
} counts;

static counts count_all(store *db)
{
	counts n = {0};
	unit_ctx c;
	unit_ctx_open(&c, db);
	role_row *roles;
	UNIT_OK(store_roles(db, &c.a, &roles, &n.roles, &c.e), &c.e);
	kh_record *rows;
	UNIT_OK(store_record_all(db, &dict_option_entity, &c.a, &rows, &n.options, &c.e), &c.e);
	UNIT_OK(store_record_all(db, &department_entity, &c.a, &rows, &n.depts, &c.e), &c.e);
	UNIT_OK(store_record_all(db, &user_entity, &c.a, &rows, &n.users, &c.e), &c.e);
	unit_ctx_close(&c);
	return n;
}

static void bootstrap_creates_everything_once(void **state)
{
	(void)state;
	log_init_from_env();
	char *path = unit_db_path();
	arena a = ARENA_INIT;
	kh_err e;
	err_init(&e, &a, KH_LANG_EN);
	store *db;
	UNIT_OK(store_open(path, &db, &e), &e);

	/* a short password: refused, and nothing is left half-made */
	unit_ctx c;
	unit_ctx_open(&c, db);
	const char *generated = "x";
	assert_int_equal(svc_bootstrap(&c.s, "short", &generated), -1);
	assert_true(unit_has_field_error(&c.e, "password"));
	assert_null(generated);
	unit_ctx_close(&c);
	counts n = count_all(db);
	assert_int_equal(n.roles, 0);
	assert_int_equal(n.options, 0);
	assert_int_equal(n.depts, 0);
	assert_int_equal(n.users, 0);

	/* no password: one is generated and works */
	unit_ctx_open(&c, db);
	UNIT_OK(svc_bootstrap(&c.s, NULL, &generated), &c.e);
	assert_non_null(generated);
	assert_true(strlen(generated) >= 12);
	char password[64];
	snprintf(password, sizeof(password), "%s", generated);
	unit_ctx_close(&c);
	n = count_all(db);
	assert_int_equal(n.roles, role_default_count);
	assert_int_equal(n.options, dict_default_count);
	assert_int_equal(n.depts, 1);
	assert_int_equal(n.users, 1);

	unit_ctx_open(&c, db);
	login_result lr;
	UNIT_OK(svc_login(&c.s, "admin", password, &lr), &c.e);
	assert_string_equal(c.s.actor.role, "admin");
	assert_true(svc_can(&c.s, PERM__ALL));
	/* the head office gives the default prefix */
	kh_record *depts;
	int nd;
	UNIT_OK(svc_dept_list(&c.s, &depts, &nd), &c.e);
	assert_int_equal(nd, 1);
	assert_string_equal(record_text(&depts[0], DF_CODE_PREFIX), "KH");
	assert_int_equal(c.s.actor.department_id, depts[0].v[F_ID].i);
	/* the default dictionaries are usable at once */
	const dict_option **opts;
	int no;
	UNIT_OK(svc_dict_list(&c.s, "customer_status", false, &opts, &no), &c.e);
	assert_int_equal(no, 5);
	assert_string_equal(opts[0]->code, "potential");
	unit_ctx_close(&c);

	/* again: nothing new, the password stays */
	unit_ctx_open(&c, db);
	generated = "x";
	UNIT_OK(svc_bootstrap(&c.s, "another-password", &generated), &c.e);
	assert_null(generated);
	unit_ctx_close(&c);
	counts again = count_all(db);
	assert_int_equal(again.roles, role_default_count);
	assert_int_equal(again.options, dict_default_count);
	assert_int_equal(again.depts, 1);
	assert_int_equal(again.users, 1);
	unit_ctx_open(&c, db);
	UNIT_OK(svc_login(&c.s, "admin", password, &lr), &c.e);
	unit_ctx_close(&c);

	store_close(db);
	unit_db_remove(path);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(bootstrap_creates_everything_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
