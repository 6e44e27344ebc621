/*
 * test_perm — data scope codes and labels, permission names for the API,
 * and the built-in roles' powers (who may see unmasked phone numbers,
 * who may delete, which scope each role starts with).
 */
#include "unit.h"

#include "core/perm.h"

static void scopes_parse_and_name_round_trip(void **state)
{
	(void)state;
	const char *codes[] = {"own", "own_sub", "dept", "dept_sub", "all"};
	kh_scope want[] = {SCOPE_OWN, SCOPE_OWN_SUB, SCOPE_DEPT, SCOPE_DEPT_SUB, SCOPE_ALL};
	for (int i = 0; i < 5; i++) {
		kh_scope s = SCOPE_NONE;
		assert_true(scope_parse(codes[i], &s));
		assert_int_equal(s, want[i]);
		assert_string_equal(scope_code(s), codes[i]);
	}
	kh_scope s;
	assert_false(scope_parse("none", &s));
	assert_false(scope_parse("ALL", &s));
	assert_false(scope_parse("", &s));
	assert_false(scope_parse(NULL, &s));
	assert_false(scope_parse("own ", &s));
	assert_string_equal(scope_code(SCOPE_NONE), "none");
	assert_string_equal(scope_code((kh_scope)42), "none");
}

static void scope_labels_in_both_languages(void **state)
{
	(void)state;
	for (int sc = SCOPE_OWN; sc <= SCOPE_ALL; sc++) {
		const char *en = scope_label((kh_scope)sc, KH_LANG_EN);
		assert_non_null(en);
		assert_true(strlen(en) > 0);
		assert_string_not_equal(en, scope_label((kh_scope)sc, KH_LANG_ZH));
		for (int other = sc + 1; other <= SCOPE_ALL; other++)
			assert_string_not_equal(en, scope_label((kh_scope)other, KH_LANG_EN));
	}
	/* the names Chinese CRMs use (DESIGN 1.10) */
	assert_string_equal(scope_label(SCOPE_OWN, KH_LANG_ZH), "本人");
	assert_string_equal(scope_label(SCOPE_OWN_SUB, KH_LANG_ZH), "本人及下属");
	assert_string_equal(scope_label(SCOPE_DEPT, KH_LANG_ZH), "本部门");
	assert_string_equal(scope_label(SCOPE_DEPT_SUB, KH_LANG_ZH), "本部门及下属部门");
	assert_string_equal(scope_label(SCOPE_ALL, KH_LANG_ZH), "全部");
	assert_non_null(scope_label((kh_scope)42, KH_LANG_EN));
}

static void every_permission_has_a_name_that_parses_back(void **state)
{
	(void)state;
	int count = 0;
	for (unsigned bit = 1; bit & PERM__ALL; bit <<= 1) {
		const char *name = perm_name((kh_perm)bit);
		if (!name)
			fail_msg("permission bit 0x%x has no name", bit);
		kh_perm p = 0;
		assert_true(perm_parse(name, &p));
		assert_int_equal(p, bit);
		count++;
	}
	assert_int_equal(count, 16);
	assert_string_equal(perm_name(PERM_PII_UNMASK), "pii.unmask");
	assert_string_equal(perm_name(PERM_CUSTOMER_READ), "customer.read");
	kh_perm p;
	assert_false(perm_parse("customer.fly", &p));
	assert_false(perm_parse(NULL, &p));
	assert_null(perm_name(PERM_CUSTOMER_READ | PERM_CUSTOMER_WRITE));
}

static void built_in_roles_have_the_documented_powers(void **state)
{
	(void)state;
	const char *codes[] = {"admin", "manager", "sales", "service", "finance", "viewer"};
	assert_int_equal(role_default_count, 6);
	for (int i = 0; i < 6; i++) {
		const role_default *r = role_default_find(codes[i]);
		assert_non_null(r);
		assert_string_equal(r->code, codes[i]);
		assert_true(r->perms & PERM_CUSTOMER_READ);
		assert_true(r->scope >= SCOPE_OWN && r->scope <= SCOPE_ALL);
	}
	assert_null(role_default_find("boss"));
	assert_null(role_default_find(NULL));

	const role_default *admin = role_default_find("admin");
	assert_int_equal(admin->perms, PERM__ALL);
	assert_int_equal(admin->scope, SCOPE_ALL);

	const role_default *sales = role_default_find("sales");
	assert_int_equal(sales->scope, SCOPE_OWN);
	assert_true(sales->perms & PERM_CUSTOMER_WRITE);
	assert_true(sales->perms & PERM_PII_UNMASK);
	assert_false(sales->perms & PERM_CUSTOMER_DELETE);
	assert_false(sales->perms & PERM_USER_MANAGE);

	const role_default *mgr = role_default_find("manager");
	assert_int_equal(mgr->scope, SCOPE_DEPT_SUB);
	assert_true(mgr->perms & PERM_CUSTOMER_DELETE);
	assert_true(mgr->perms & PERM_CUSTOMER_ASSIGN);

	const role_default *viewer = role_default_find("viewer");
	assert_int_equal(viewer->perms, PERM_CUSTOMER_READ);
	assert_false(viewer->perms & PERM_PII_UNMASK);

	const role_default *service = role_default_find("service");
	assert_false(service->perms & PERM_CUSTOMER_WRITE);
	assert_true(service->perms & PERM_TICKET_WRITE);

	const role_default *finance = role_default_find("finance");
	assert_true(finance->perms & PERM_ORDER_WRITE);
	assert_false(finance->perms & PERM_PII_UNMASK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(scopes_parse_and_name_round_trip),
	        cmocka_unit_test(scope_labels_in_both_languages),
	        cmocka_unit_test(every_permission_has_a_name_that_parses_back),
	        cmocka_unit_test(built_in_roles_have_the_documented_powers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
