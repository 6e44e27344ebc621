/*
 * test_dict — the dictionary lookup set: options found by kind and code,
 * matched from what a person typed (code, Chinese or English label, case-
 * and width-insensitive), listed in display order; the kinds, code syntax
 * and the seeded defaults.
 */
#include "unit.h"

#include "core/dict.h"

static const dict_option opts[] = {
        {1, 1, "industry", "it_internet", "IT互联网", "IT & Internet", 30, false},
        {2, 1, "industry", "it_services", "IT服务", "IT Services", 60, false},
        {3, 1, "industry", "retail", "零售业", "Retail", 20, false},
        {4, 1, "industry", "textile", "纺织业", "Textile", 20, true}, /* retired */
        {5, 1, "customer_kind", "enterprise", "企业客户", "Enterprise", 10, false},
        {6, 1, "customer_kind", "individual", "个人客户", "Individual", 20, false},
        {7, 1, "source", "online", "线上推广", "Online promotion", 10, false},
        {8, 1, "cf.tier", "gold", "金牌", "Gold", 10, false},
};
#define NOPTS ((int)(sizeof(opts) / sizeof(opts[0])))

static void find_by_kind_and_code(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	dict_set *d = dict_set_build(&a, opts, NOPTS);
	const dict_option *o = dict_find(d, "industry", "retail");
	assert_non_null(o);
	assert_string_equal(o->label_zh, "零售业");
	assert_int_equal(o->id, 3);
	assert_non_null(dict_find(d, "cf.tier", "gold"));
	assert_null(dict_find(d, "industry", "enterprise")); /* code of another kind */
	assert_null(dict_find(d, "industry", "Retail"));     /* codes are exact */
	assert_null(dict_find(d, "nope", "retail"));
	assert_null(dict_find(d, "industry", NULL));
	assert_null(dict_find(NULL, "industry", "retail"));
	/* retired options are still found: old records carry them */
	o = dict_find(d, "industry", "textile");
	assert_non_null(o);
	assert_true(o->retired);
	arena_release(&a);
}

static void the_set_owns_copies_of_the_options(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	char kind[] = "source", code[] = "visit", zh[] = "主动拜访", en[] = "Cold visit";
	dict_option one = {9, 1, kind, code, zh, en, 10, false};
	dict_set *d = dict_set_build(&a, &one, 1);
	kind[0] = code[0] = zh[0] = en[0] = 'X';
	const dict_option *o = dict_find(d, "source", "visit");
	assert_non_null(o);
	assert_string_equal(o->label_zh, "主动拜访");
	assert_string_equal(o->label_en, "Cold visit");
	arena_release(&a);
}

static void match_by_code_or_either_label(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	dict_set *d = dict_set_build(&a, opts, NOPTS);
	struct {
		const char *kind, *typed, *code;
	} cases[] = {
	        {"customer_kind", "enterprise", "enterprise"},
	        {"customer_kind", "企业客户", "enterprise"},
	        {"customer_kind", "Enterprise", "enterprise"},
	        {"customer_kind", "ENTERPRISE", "enterprise"},
	        {"customer_kind", "ｅｎｔｅｒｐｒｉｓｅ", "enterprise"},
	        {"customer_kind", " 个人客户 ", "individual"},
	        {"industry", "IT互联网", "it_internet"},
	        {"industry", "ＩＴ互联网", "it_internet"},
	        {"industry", "it互联网", "it_internet"},
	        {"industry", "it services", "it_services"},
	        {"industry", "ＩＴ　Ｓｅｒｖｉｃｅｓ", "it_services"},
	        {"industry", "IT  Services", "it_services"},
	        {"industry", "RETAIL", "retail"},
	        {"source", "线上推广", "online"},
	        {"cf.tier", "金牌", "gold"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const dict_option *o = dict_match(d, &a, cases[i].kind, cases[i].typed);
		if (!o)
			fail_msg("%s: \"%s\" matched nothing", cases[i].kind, cases[i].typed);
		if (strcmp(o->code, cases[i].code) != 0)
			fail_msg("%s: \"%s\" matched %s, want %s", cases[i].kind, cases[i].typed,
			         o->code, cases[i].code);
	}
	arena_release(&a);
}

static void match_stays_within_its_kind(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	dict_set *d = dict_set_build(&a, opts, NOPTS);
	assert_null(dict_match(d, &a, "source", "企业客户"));
	assert_null(dict_match(d, &a, "source", "enterprise"));
	assert_null(dict_match(d, &a, "industry", "IT")); /* no prefix matching */
	assert_null(dict_match(d, &a, "industry", "互联网"));
	assert_null(dict_match(d, &a, "industry", ""));
	assert_null(dict_match(d, &a, "gender", "男"));
	assert_null(dict_match(d, &a, "industry", NULL));
	assert_null(dict_match(NULL, &a, "industry", "retail"));
	/* retired options still match (the service decides whether to accept them) */
	const dict_option *o = dict_match(d, &a, "industry", "纺织业");
	assert_non_null(o);
	assert_true(o->retired);
	arena_release(&a);
}

static void list_is_in_display_order_with_retired_ones(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	dict_set *d = dict_set_build(&a, opts, NOPTS);
	const dict_option *out[10];
	int n = dict_list(d, "industry", out, 10);
	assert_int_equal(n, 4);
	/* sort_order, then id: retail(20,id3) textile(20,id4) it_internet(30) it_services(60) */
	assert_string_equal(out[0]->code, "retail");
	assert_string_equal(out[1]->code, "textile");
	assert_string_equal(out[2]->code, "it_internet");
	assert_string_equal(out[3]->code, "it_services");
	assert_int_equal(dict_list(d, "industry", out, 2), 2);
	assert_int_equal(dict_list(d, "gender", out, 10), 0);
	assert_int_equal(dict_list(NULL, "industry", out, 10), 0);
	arena_release(&a);
}

static void an_empty_set_finds_nothing(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	dict_set *d = dict_set_build(&a, NULL, 0);
	assert_null(dict_find(d, "industry", "retail"));
	assert_null(dict_match(d, &a, "industry", "retail"));
	const dict_option *out[2];
	assert_int_equal(dict_list(d, "industry", out, 2), 0);
	arena_release(&a);
}

static void kinds_and_codes(void **state)
{
	(void)state;
	assert_non_null(dict_kind_find("industry"));
	assert_non_null(dict_kind_find("customer_status"));
	assert_null(dict_kind_find("cf.tier"));
	assert_null(dict_kind_find(NULL));
	assert_true(dict_kind_valid("industry"));
	assert_true(dict_kind_valid("cf.tier"));
	assert_false(dict_kind_valid("cf."));
	assert_false(dict_kind_valid("cf.Tier"));
	assert_false(dict_kind_valid("weather"));
	assert_false(dict_kind_valid(NULL));

	assert_true(dict_code_valid("it_internet"));
	assert_true(dict_code_valid("1000_3000"));
	assert_true(dict_code_valid("a.b-c"));
	assert_false(dict_code_valid("IT"));
	assert_false(dict_code_valid(""));
	assert_false(dict_code_valid("has space"));
	assert_false(dict_code_valid("零售"));
	assert_false(dict_code_valid("a23456789012345678901234567890123456789012")); /* 42 */
	assert_true(dict_code_valid("a234567890123456789012345678901234567890"));    /* 40 */
}

static void defaults_are_well_formed(void **state)
{
	(void)state;
	assert_true(dict_default_count > 0);
	for (int i = 0; i < dict_default_count; i++) {
		const dict_default *x = &dict_defaults[i];
		if (!dict_kind_find(x->kind))
			fail_msg("default %s.%s: unknown kind", x->kind, x->code);
		if (!dict_code_valid(x->code))
			fail_msg("default %s.%s: bad code", x->kind, x->code);
		assert_true(x->zh && *x->zh && x->en && *x->en);
		for (int j = i + 1; j < dict_default_count; j++)
			if (!strcmp(x->kind, dict_defaults[j].kind) &&
			    (!strcmp(x->code, dict_defaults[j].code) ||
			     !strcmp(x->zh, dict_defaults[j].zh)))
				fail_msg("default %s.%s repeated", x->kind, x->code);
	}
	/* the statuses the spec names, with "lost" as the lost status code */
	const char *statuses[] = {"潜在客户", "意向客户", "合作中", "暂停合作", "流失客户"};
	for (size_t k = 0; k < 5; k++) {
		bool found = false;
		for (int i = 0; i < dict_default_count; i++)
			found |= !strcmp(dict_defaults[i].kind, "customer_status") &&
			         !strcmp(dict_defaults[i].zh, statuses[k]);
		assert_true(found);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(find_by_kind_and_code),
	        cmocka_unit_test(the_set_owns_copies_of_the_options),
	        cmocka_unit_test(match_by_code_or_either_label),
	        cmocka_unit_test(match_stays_within_its_kind),
	        cmocka_unit_test(list_is_in_display_order_with_retired_ones),
	        cmocka_unit_test(an_empty_set_finds_nothing),
	        cmocka_unit_test(kinds_and_codes),
	        cmocka_unit_test(defaults_are_well_formed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
