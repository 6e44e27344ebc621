/*
 * test_entity — records of an entity: every value starts absent, the
 * setters and getters, deep copies, and value equality per field type.
 */
#include "unit.h"

#include "core/customer.h"

static void a_new_record_has_every_value_absent(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	kh_record r;
	record_init(&r, &customer_entity, &a);
	assert_ptr_equal(r.ent, &customer_entity);
	for (int i = 0; i < customer_entity.nfields; i++) {
		assert_int_equal(r.v[i].state, V_ABSENT);
		assert_false(record_is_set(&r, i));
	}
	assert_null(record_text(&r, CF_NAME));
	assert_int_equal(record_int(&r, CF_DEAL_COUNT, -9), -9);
	assert_false(record_is_set(&r, -1));
	arena_release(&a);
}

static void setters_and_getters(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	kh_record r;
	record_init(&r, &customer_entity, &a);
	record_set_text(&r, CF_NAME, "腾云科技");
	record_set_int(&r, CF_DEAL_COUNT, 7);
	record_set_text(&r, CF_CITY, NULL); /* NULL text means null */
	record_set_null(&r, CF_REMARKS);
	assert_string_equal(record_text(&r, CF_NAME), "腾云科技");
	assert_int_equal(record_int(&r, CF_DEAL_COUNT, 0), 7);
	assert_int_equal(r.v[CF_CITY].state, V_NULL);
	assert_int_equal(r.v[CF_REMARKS].state, V_NULL);
	assert_null(record_text(&r, CF_CITY));
	assert_int_equal(record_int(&r, CF_REMARKS, 5), 5);
	/* setting an int clears a previous text, and the other way round */
	record_set_int(&r, CF_NAME, 3);
	assert_null(r.v[CF_NAME].s);
	record_set_text(&r, CF_DEAL_COUNT, "x");
	assert_int_equal(r.v[CF_DEAL_COUNT].i, 0);
	arena_release(&a);
}

static void copy_is_deep(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	kh_record src, dst;
	record_init(&src, &customer_entity, &a);
	char name[] = "北京华信";
	record_set_text(&src, CF_NAME, name);
	record_set_int(&src, CF_CONTRACT_AMOUNT, 123456);
	record_set_null(&src, CF_CITY);
	record_copy(&dst, &src, &a);
	name[0] = 'X';
	assert_string_equal(record_text(&dst, CF_NAME), "北京华信");
	assert_int_equal(record_int(&dst, CF_CONTRACT_AMOUNT, 0), 123456);
	assert_int_equal(dst.v[CF_CITY].state, V_NULL);
	assert_int_equal(dst.v[CF_REMARKS].state, V_ABSENT);
	assert_ptr_not_equal(dst.v, src.v);
	arena_release(&a);
}

static void values_compare_by_type_and_state(void **state)
{
	(void)state;
	kh_value absent = {0}, null = {.state = V_NULL};
	kh_value t1 = {.state = V_SET, .s = "abc"}, t2 = {.state = V_SET, .s = "abc"},
	         t3 = {.state = V_SET, .s = "abd"};
	kh_value i1 = {.state = V_SET, .i = 5}, i2 = {.state = V_SET, .i = 5},
	         i3 = {.state = V_SET, .i = 6};
	assert_true(value_equal(FT_TEXT, &absent, &absent));
	assert_true(value_equal(FT_TEXT, &null, &null));
	assert_false(value_equal(FT_TEXT, &absent, &null));
	assert_false(value_equal(FT_TEXT, &null, &t1));
	assert_true(value_equal(FT_TEXT, &t1, &t2));
	assert_false(value_equal(FT_TEXT, &t1, &t3));
	assert_true(value_equal(FT_MONEY, &i1, &i2));
	assert_false(value_equal(FT_MONEY, &i1, &i3));
	assert_false(value_equal(FT_INT, &i1, &null));
	/* ints compare by number even when text pointers differ */
	kh_value i4 = {.state = V_SET, .i = 5, .s = "junk"};
	assert_true(value_equal(FT_USER, &i1, &i4));
}

static void int_types(void **state)
{
	(void)state;
	field_type ints[] = {FT_ID, FT_INT, FT_MONEY, FT_BOOL, FT_USER, FT_DEPT, FT_REF};
	field_type texts[] = {FT_TEXT, FT_LONGTEXT, FT_DATE, FT_TIME, FT_DICT, FT_TAGS, FT_CUSTOM};
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		assert_true(field_is_int(ints[i]));
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		assert_false(field_is_int(texts[i]));
}

static void labels_are_translated(void **state)
{
	(void)state;
	const kh_field *name = &customer_entity.fields[CF_NAME];
	assert_string_equal(field_label(name, KH_LANG_EN), "Customer name");
	assert_string_equal(field_label(name, KH_LANG_ZH), "客户名称");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(a_new_record_has_every_value_absent),
	        cmocka_unit_test(setters_and_getters),
	        cmocka_unit_test(copy_is_deep),
	        cmocka_unit_test(values_compare_by_type_and_state),
	        cmocka_unit_test(int_types),
	        cmocka_unit_test(labels_are_translated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
