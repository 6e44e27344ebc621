/*
 * test_customer — the customer and contact field tables (names, columns,
 * flags the rest of kehu relies on) and the lifecycle stage derived from
 * the deal history (report 12): potential, new, loyal, lost.
 */
#include "unit.h"

#include "core/customer.h"
#include "core/dict.h"
#include "core/org.h"

static void stage_without_deals_is_potential(void **state)
{
	(void)state;
	assert_string_equal(customer_stage(0, NULL, "potential", "2024-06-01", 3, 180),
	                    "potential");
	assert_string_equal(customer_stage(0, "2024-01-01", "active", "2024-06-01", 3, 180),
	                    "potential");
}

static void stage_follows_the_deal_count(void **state)
{
	(void)state;
	assert_string_equal(customer_stage(1, "2024-05-01", "active", "2024-06-01", 3, 180), "new");
	assert_string_equal(customer_stage(2, "2024-05-01", "active", "2024-06-01", 3, 180), "new");
	assert_string_equal(customer_stage(3, "2024-05-01", "active", "2024-06-01", 3, 180),
	                    "loyal");
	assert_string_equal(customer_stage(40, "2024-05-01", "active", "2024-06-01", 3, 180),
	                    "loyal");
	/* the threshold is the caller's */
	assert_string_equal(customer_stage(3, "2024-05-01", "active", "2024-06-01", 5, 180), "new");
	/* no last deal date known (imported totals): by count alone */
	assert_string_equal(customer_stage(4, NULL, "active", "2024-06-01", 3, 180), "loyal");
}

static void stage_is_lost_after_too_long_without_a_deal(void **state)
{
	(void)state;
	/* 2024-06-01 - 180 days = 2023-12-04 */
	assert_string_equal(customer_stage(5, "2023-12-04", "active", "2024-06-01", 3, 180),
	                    "loyal");
	assert_string_equal(customer_stage(5, "2023-12-03", "active", "2024-06-01", 3, 180),
	                    "lost");
	assert_string_equal(customer_stage(1, "2020-01-01", "active", "2024-06-01", 3, 180),
	                    "lost");
	assert_string_equal(customer_stage(1, "2024-05-01", "active", "2024-06-01", 3, 20), "lost");
}

static void stage_is_lost_when_the_status_says_so(void **state)
{
	(void)state;
	assert_string_equal(customer_stage(0, NULL, CUSTOMER_STATUS_LOST, "2024-06-01", 3, 180),
	                    "lost");
	assert_string_equal(customer_stage(10, "2024-05-31", "lost", "2024-06-01", 3, 180), "lost");
	assert_string_equal(customer_stage(10, "2024-05-31", NULL, "2024-06-01", 3, 180), "loyal");
}

static void stage_codes_are_options_of_the_stage_dictionary(void **state)
{
	(void)state;
	const char *stages[] = {"potential", "new", "loyal", "lost"};
	for (size_t k = 0; k < 4; k++) {
		bool found = false;
		for (int i = 0; i < dict_default_count; i++)
			found |= !strcmp(dict_defaults[i].kind, "customer_stage") &&
			         !strcmp(dict_defaults[i].code, stages[k]);
		if (!found)
			fail_msg("stage %s is not a customer_stage option", stages[k]);
	}
}

static void check_entity_table(const kh_entity *ent, int count)
{
	assert_int_equal(ent->nfields, count);
	/* the six system fields first, in order */
	assert_int_equal(entity_field(ent, "id"), F_ID);
	assert_int_equal(entity_field(ent, "version"), F_VERSION);
	assert_int_equal(entity_field(ent, "created_at"), F_CREATED_AT);
	assert_int_equal(entity_field(ent, "updated_at"), F_UPDATED_AT);
	assert_int_equal(entity_field(ent, "created_by"), F_CREATED_BY);
	assert_int_equal(entity_field(ent, "deleted_at"), F_DELETED_AT);
	for (int i = 0; i < ent->nfields; i++) {
		const kh_field *f = &ent->fields[i];
		if (!f->name || !f->column || !f->label)
			fail_msg("%s field %d is not filled in", ent->name, i);
		assert_int_equal(entity_field(ent, f->name), i);
		for (int j = i + 1; j < ent->nfields; j++) {
			if (!strcmp(f->name, ent->fields[j].name) ||
			    !strcmp(f->column, ent->fields[j].column))
				fail_msg("%s: fields %s and %s clash", ent->name, f->name,
				         ent->fields[j].name);
		}
		if (f->type == FT_DICT && !dict_kind_find(f->dict))
			fail_msg("%s.%s: unknown dictionary %s", ent->name, f->name,
			         f->dict ? f->dict : "(null)");
		if ((f->flags & FF_PII) && f->mask == MASK_NONE)
			fail_msg("%s.%s is personal data without a mask", ent->name, f->name);
		if ((f->flags & FF_REQUIRED) && (f->flags & (FF_SYSTEM | FF_DERIVED | FF_READONLY)))
			fail_msg("%s.%s is required but cannot be set", ent->name, f->name);
	}
	assert_int_equal(entity_field(ent, "no_such_field"), -1);
}

static void field_tables_are_consistent(void **state)
{
	(void)state;
	check_entity_table(&customer_entity, CF__COUNT);
	check_entity_table(&contact_entity, KF__COUNT);
	check_entity_table(&user_entity, UF__COUNT);
	check_entity_table(&department_entity, DF__COUNT);
	check_entity_table(&dict_option_entity, OF__COUNT);
	check_entity_table(&custom_field_entity, XF__COUNT);
}

static void customer_fields_carry_the_spec_rules(void **state)
{
	(void)state;
	const kh_field *f = customer_entity.fields;
	/* required: name, source, status, first contact date, requirement (DESIGN 1.1) */
	int required[] = {CF_NAME, CF_SOURCE, CF_STATUS, CF_FIRST_CONTACT_DATE, CF_REQUIREMENT};
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		assert_true(f[required[i]].flags & FF_REQUIRED);
	assert_false(f[CF_KIND].flags & FF_REQUIRED);
	assert_true(f[CF_CODE].flags & FF_CREATE_ONLY);
	assert_true(f[CF_STAGE].flags & FF_DERIVED);
	assert_true(f[CF_DEAL_AMOUNT].flags & FF_DERIVED);
	assert_int_equal(f[CF_DEAL_AMOUNT].type, FT_MONEY);
	assert_true(f[CF_ARCHIVED].flags & FF_READONLY);
	assert_true(f[CF_IN_POOL].flags & FF_READONLY);
	assert_true(f[CF_STREET].flags & FF_PII);
	assert_true(f[CF_PERSONAL_PROFILE].flags & FF_PROFILE);
	assert_int_equal(f[CF_STATUS].type, FT_DICT);
	assert_string_equal(f[CF_STATUS].dict, "customer_status");
	assert_int_equal(f[CF_OWNER].type, FT_USER);

	const kh_field *k = contact_entity.fields;
	assert_true(k[KF_PHONE].flags & FF_PII);
	assert_int_equal(k[KF_PHONE].mask, MASK_PHONE);
	assert_true(k[KF_NAME].flags & FF_REQUIRED);
	assert_true(k[KF_PHONE].flags & FF_REQUIRED);
	assert_true(k[KF_CUSTOMER].flags & FF_CREATE_ONLY);
}

static void usernames(void **state)
{
	(void)state;
	assert_true(username_valid("zhang.san"));
	assert_true(username_valid("e1"));
	assert_true(username_valid("wang_fang-2"));
	assert_false(username_valid("a"));
	assert_false(username_valid("Zhang"));
	assert_false(username_valid("_zhang"));
	assert_false(username_valid("zhang san"));
	assert_false(username_valid("张三"));
	assert_false(username_valid(NULL));
	assert_false(username_valid("a23456789012345678901234567890123")); /* 33 */
}

static void custom_field_types(void **state)
{
	(void)state;
	const char *names[] = {"text", "number", "money", "date", "dict", "tags", "bool"};
	for (int i = 0; i < 7; i++) {
		custom_type t;
		assert_true(custom_type_parse(names[i], &t));
		assert_string_equal(custom_type_name(t), names[i]);
	}
	custom_type t;
	assert_false(custom_type_parse("float", &t));
	assert_false(custom_type_parse(NULL, &t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(stage_without_deals_is_potential),
	        cmocka_unit_test(stage_follows_the_deal_count),
	        cmocka_unit_test(stage_is_lost_after_too_long_without_a_deal),
	        cmocka_unit_test(stage_is_lost_when_the_status_says_so),
	        cmocka_unit_test(stage_codes_are_options_of_the_stage_dictionary),
	        cmocka_unit_test(field_tables_are_consistent),
	        cmocka_unit_test(customer_fields_carry_the_spec_rules),
	        cmocka_unit_test(usernames),
	        cmocka_unit_test(custom_field_types),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
