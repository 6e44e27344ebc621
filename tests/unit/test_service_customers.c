/*
 * test_service_customers — the customer use cases on a real organisation
 * (see unit.h): creating with contacts (validation errors naming fields,
 * contacts[i] included), codes from the department prefix (inherited from
 * the parent, XS<year><seq> of width 3, gap-free, width configurable),
 * optimistic concurrency on update, masking of phone numbers and addresses
 * for viewers without pii.unmask in lists and record pages, the personal
 * profile, deletion and restore, and list paging through cursors.
 */
#define UNIT_WITH_SERVICE
#include "unit.h"

#include "store/store.h"

/* The sequence number of code for prefix in the current year, or -1. */
static long code_seq(unit_org *o, const char *code, const char *prefix)
{
	char head[32];
	snprintf(head, sizeof(head), "%s%d", prefix, o->year);
	size_t n = strlen(head);
	if (strncmp(code, head, n) != 0)
		return -1;
	const char *digits = code + n;
	if (strlen(digits) != 3)
		return -1;
	for (const char *p = digits; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	return strtol(digits, NULL, 10);
}

static const char *code_of(unit_org *o, int64_t id)
{
	static char code[64];
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	kh_record r;
	UNIT_OK(svc_customer_get(&c.s, id, false, &r, NULL, NULL), &c.e);
	snprintf(code, sizeof(code), "%s", record_text(&r, CF_CODE));
	unit_ctx_close(&c);
	return code;
}

/* ---- create ---- */

static void create_stores_the_customer_and_its_contacts(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	kh_record r, k[2];
	unit_customer_record(&r, &c.a, "深圳市腾云科技有限公司");
	record_set_text(&r, CF_INDUSTRY, "IT互联网"); /* a label is resolved to its code */
	record_set_text(&r, CF_KIND, "Enterprise");
	record_set_text(&r, CF_CREDIT_CODE, "91350100m000100y43");
	record_set_text(&r, CF_TAGS, "[\"重点合作\", \" 重点合作\"]");
	unit_contact_record(&k[0], &c.a, "王芳", "+86 138-1234-5678");
	unit_contact_record(&k[1], &c.a, "李雷", "0755-12345678");
	int64_t id = 0;
	UNIT_OK(svc_customer_create(&c.s, &r, k, 2, &id), &c.e);

	kh_record got, *contacts;
	int nk = 0;
	UNIT_OK(svc_customer_get(&c.s, id, false, &got, &contacts, &nk), &c.e);
	assert_string_equal(record_text(&got, CF_NAME), "深圳市腾云科技有限公司");
	assert_string_equal(record_text(&got, CF_INDUSTRY), "it_internet");
	assert_string_equal(record_text(&got, CF_KIND), "enterprise");
	assert_string_equal(record_text(&got, CF_CREDIT_CODE), "91350100M000100Y43");
	assert_string_equal(record_text(&got, CF_TAGS), "[\"重点合作\"]");
	assert_string_equal(record_text(&got, CF_STAGE), "potential"); /* derived */
	assert_int_equal(record_int(&got, CF_OWNER, 0), o->e1);
	assert_int_equal(record_int(&got, CF_DEPARTMENT, 0), o->east);
	assert_int_equal(record_int(&got, F_CREATED_BY, 0), o->e1);
	assert_int_equal(got.v[F_VERSION].i, 1);
	assert_int_equal(nk, 2);
	assert_string_equal(record_text(&contacts[0], KF_PHONE), "13812345678"); /* normalised */
	assert_int_equal(record_int(&contacts[0], KF_PRIMARY, 0), 1); /* the first is primary */
	assert_int_equal(record_int(&contacts[1], KF_PRIMARY, 1), 0);
	assert_string_equal(record_text(&contacts[1], KF_PHONE), "0755-12345678");
	unit_ctx_close(&c);
}

static void validation_errors_name_every_bad_field(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	kh_record r, k[2];
	record_init(&r, &customer_entity, &c.a);
	record_set_text(&r, CF_SOURCE, "电视购物"); /* not an option */
	record_set_text(&r, CF_STATUS, "potential");
	record_set_text(&r, CF_FIRST_CONTACT_DATE, "2024-13-01"); /* no such date */
	record_set_text(&r, CF_REQUIREMENT, "x");
	record_set_int(&r, CF_CONTRACT_AMOUNT, -5);
	record_set_text(&r, CF_STAGE, "loyal"); /* derived */
	unit_contact_record(&k[0], &c.a, "王芳", "13812345678");
	unit_contact_record(&k[1], &c.a, "", "12345");
	int64_t id = 0;
	assert_int_equal(svc_customer_create(&c.s, &r, k, 2, &id), -1);
	assert_int_equal(c.e.code, KH_EINVAL);
	const char *want[] = {"name",  "source",           "first_contact_date", "contract_amount",
	                      "stage", "contacts[1].name", "contacts[1].phone"};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!unit_has_field_error(&c.e, want[i])) {
			unit_print_err(&c.e);
			fail_msg("no error for %s", want[i]);
		}
	assert_false(unit_has_field_error(&c.e, "contacts[0].phone"));
	assert_false(unit_has_field_error(&c.e, "status"));
	unit_ctx_close(&c);
}

static void two_primary_contacts_are_refused(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	kh_record r, k[2];
	unit_customer_record(&r, &c.a, "两个主联系人");
	unit_contact_record(&k[0], &c.a, "甲", "13812345678");
	unit_contact_record(&k[1], &c.a, "乙", "13912345678");
	record_set_int(&k[0], KF_PRIMARY, 1);
	record_set_int(&k[1], KF_PRIMARY, 1);
	int64_t id;
	assert_int_equal(svc_customer_create(&c.s, &r, k, 2, &id), -1);
	assert_true(unit_has_field_error(&c.e, "contacts"));
	unit_ctx_close(&c);
}

static void a_duplicate_credit_code_names_the_field(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	kh_record r;
	unit_customer_record(&r, &c.a, "信用代码甲");
	record_set_int(&r, CF_OWNER, o->e1);
	record_set_text(&r, CF_CREDIT_CODE, "91110108551385082Q");
	int64_t id;
	UNIT_OK(svc_customer_create(&c.s, &r, NULL, 0, &id), &c.e);
	unit_customer_record(&r, &c.a, "信用代码乙");
	record_set_int(&r, CF_OWNER, o->e1);
	record_set_text(&r, CF_CREDIT_CODE, "91110108551385082q");
	assert_int_equal(svc_customer_create(&c.s, &r, NULL, 0, &id), -1);
	assert_int_equal(c.e.code, KH_EDUP);
	assert_true(unit_has_field_error(&c.e, "credit_code"));
	unit_ctx_close(&c);
}

/* ---- codes ---- */

static void codes_come_from_the_department_prefix(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	int64_t a = unit_customer_new(&c, "编号甲", o->e1, NULL);   /* East: inherits XS */
	int64_t b = unit_customer_new(&c, "编号乙", o->s1, NULL);   /* South: inherits XS */
	int64_t m = unit_customer_new(&c, "编号丙", o->mgr, NULL);  /* Sales: XS itself */
	int64_t k = unit_customer_new(&c, "编号丁", o->svc1, NULL); /* Service: KF */
	int64_t f = unit_customer_new(&c, "编号戊", o->fin1, NULL); /* Finance: inherits KH */
	unit_ctx_close(&c);

	long sa = code_seq(o, code_of(o, a), "XS");
	long sb = code_seq(o, code_of(o, b), "XS");
	long sm = code_seq(o, code_of(o, m), "XS");
	if (sa < 0)
		fail_msg("code %s is not XS%d + 3 digits", code_of(o, a), o->year);
	assert_true(sa >= 1);
	/* one sequence for the prefix, consecutive */
	assert_int_equal(sb, sa + 1);
	assert_int_equal(sm, sa + 2);
	long sk = code_seq(o, code_of(o, k), "KF");
	long sf = code_seq(o, code_of(o, f), "KH");
	if (sk < 0 || sf < 0)
		fail_msg("codes %s / %s do not follow the KF / KH prefixes", code_of(o, k),
		         code_of(o, f));
}

static void a_failed_create_leaves_no_gap_in_the_codes(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	int64_t a = unit_customer_new(&c, "无间隔甲", o->svc1, NULL);
	/* this one fails inside the transaction: its credit code is taken */
	kh_record r;
	unit_customer_record(&r, &c.a, "信用代码重复");
	record_set_int(&r, CF_OWNER, o->svc1);
	record_set_text(&r, CF_CREDIT_CODE, "91440300708461136T");
	int64_t id;
	UNIT_OK(svc_customer_create(&c.s, &r, NULL, 0, &id), &c.e);
	unit_customer_record(&r, &c.a, "信用代码重复二");
	record_set_int(&r, CF_OWNER, o->svc1);
	record_set_text(&r, CF_CREDIT_CODE, "91440300708461136T");
	assert_int_equal(svc_customer_create(&c.s, &r, NULL, 0, &id), -1);
	err_clear(&c.e);
	int64_t b = unit_customer_new(&c, "无间隔乙", o->svc1, NULL);
	unit_ctx_close(&c);
	long sa = code_seq(o, code_of(o, a), "KF");
	long sb = code_seq(o, code_of(o, b), "KF");
	assert_true(sa > 0);
	assert_int_equal(sb, sa + 2); /* a, the credit-code one, b */
}

static void a_given_code_is_kept_and_must_be_unique(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	kh_record r;
	unit_customer_record(&r, &c.a, "导入客户");
	record_set_int(&r, CF_OWNER, o->e1);
	record_set_text(&r, CF_CODE, "C202405001");
	int64_t id;
	UNIT_OK(svc_customer_create(&c.s, &r, NULL, 0, &id), &c.e);
	assert_string_equal(code_of(o, id), "C202405001");
	unit_customer_record(&r, &c.a, "导入客户二");
	record_set_int(&r, CF_OWNER, o->e1);
	record_set_text(&r, CF_CODE, "C202405001");
	assert_int_equal(svc_customer_create(&c.s, &r, NULL, 0, &id), -1);
	assert_int_equal(c.e.code, KH_EDUP);
	assert_true(unit_has_field_error(&c.e, "code"));
	unit_ctx_close(&c);
}

static void the_code_width_is_a_setting(void **state)
{
	unit_org *o = *state;
	arena a = ARENA_INIT;
	kh_err e;
	err_init(&e, &a, KH_LANG_EN);
	UNIT_OK(store_setting_set(o->db, "code_width", "5", &e), &e);
	UNIT_OK(store_cache_gen_bump(o->db, &e), &e);
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	int64_t id = unit_customer_new(&c, "五位编号", o->fin1, NULL);
	unit_ctx_close(&c);
	const char *code = code_of(o, id);
	char head[16];
	snprintf(head, sizeof(head), "KH%d", o->year);
	assert_int_equal(strncmp(code, head, strlen(head)), 0);
	assert_int_equal(strlen(code), strlen(head) + 5);
	UNIT_OK(store_setting_set(o->db, "code_width", "3", &e), &e);
	UNIT_OK(store_cache_gen_bump(o->db, &e), &e);
	arena_release(&a);
}

static void codes_cannot_be_changed(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	int64_t id = unit_customer_new(&c, "改编号", 0, NULL);
	kh_record p;
	record_init(&p, &customer_entity, &c.a);
	record_set_text(&p, CF_CODE, "HACKED001");
	assert_int_equal(svc_customer_update(&c.s, id, 1, &p), -1);
	assert_true(unit_has_field_error(&c.e, "code"));
	unit_ctx_close(&c);
	assert_string_not_equal(code_of(o, id), "HACKED001");
}

/* ---- update ---- */

static void update_with_a_stale_version_is_a_conflict(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	int64_t id = unit_customer_new(&c, "并发修改", 0, NULL);
	kh_record p;
	record_init(&p, &customer_entity, &c.a);
	record_set_text(&p, CF_CITY, "深圳");
	UNIT_OK(svc_customer_update(&c.s, id, 1, &p), &c.e);
	unit_ctx_close(&c);

	/* a second editor who loaded version 1 */
	unit_ctx_user(&c, o->db, o->e1);
	record_init(&p, &customer_entity, &c.a);
	record_set_text(&p, CF_CITY, "广州");
	assert_int_equal(svc_customer_update(&c.s, id, 1, &p), -1);
	assert_int_equal(c.e.code, KH_ECONFLICT);
	unit_ctx_close(&c);

	unit_ctx_user(&c, o->db, o->e1);
	kh_record got;
	UNIT_OK(svc_customer_get(&c.s, id, false, &got, NULL, NULL), &c.e);
	assert_string_equal(record_text(&got, CF_CITY), "深圳");
	assert_int_equal(got.v[F_VERSION].i, 2);
	/* even a patch that changes nothing is refused with a stale version */
	record_init(&p, &customer_entity, &c.a);
	record_set_text(&p, CF_CITY, "深圳");
	assert_int_equal(svc_customer_update(&c.s, id, 1, &p), -1);
	assert_int_equal(c.e.code, KH_ECONFLICT);
	err_clear(&c.e);
	/* and with the current version it succeeds */
	record_init(&p, &customer_entity, &c.a);
	record_set_text(&p, CF_CITY, "广州");
	UNIT_OK(svc_customer_update(&c.s, id, 2, &p), &c.e);
	unit_ctx_close(&c);
	assert_int_equal(unit_customer_version(o->db, id), 3);
}

static void update_validates_and_names_fields(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	int64_t id = unit_customer_new(&c, "修改校验", 0, NULL);
	kh_record p;
	record_init(&p, &customer_entity, &c.a);
	record_set_null(&p, CF_NAME);
	record_set_text(&p, CF_NEXT_STEP_DUE, "2024-02-30");
	record_set_text(&p, CF_INDUSTRY, "农业");
	record_set_null(&p, CF_OWNER);
	record_set_int(&p, CF_ARCHIVED, 1);
	assert_int_equal(svc_customer_update(&c.s, id, 1, &p), -1);
	assert_int_equal(c.e.code, KH_EINVAL);
	const char *want[] = {"name", "next_step_due", "industry", "owner", "archived"};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!unit_has_field_error(&c.e, want[i])) {
			unit_print_err(&c.e);
			fail_msg("no error for %s", want[i]);
		}
	unit_ctx_close(&c);
	assert_int_equal(unit_customer_version(o->db, id), 1);
}

static void status_lost_makes_the_stage_lost(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	int64_t id = unit_customer_new(&c, "流失测试", 0, NULL);
	kh_record p;
	record_init(&p, &customer_entity, &c.a);
	record_set_text(&p, CF_STATUS, "流失客户");
	UNIT_OK(svc_customer_update(&c.s, id, 1, &p), &c.e);
	kh_record got;
	UNIT_OK(svc_customer_get(&c.s, id, false, &got, NULL, NULL), &c.e);
	assert_string_equal(record_text(&got, CF_STATUS), "lost");
	assert_string_equal(record_text(&got, CF_STAGE), "lost");
	unit_ctx_close(&c);
}

/* ---- masking ---- */

static void viewers_see_masked_phones_in_lists_and_pages(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	kh_record r, k;
	unit_customer_record(&r, &c.a, "脱敏测试客户");
	record_set_text(&r, CF_STREET, "南山区科技园南区8栋1201");
	record_set_text(&r, CF_BIRTH_DATE, "1985-06-01");
	unit_contact_record(&k, &c.a, "王芳", "138 1234 5678");
	int64_t id;
	UNIT_OK(svc_customer_create(&c.s, &r, &k, 1, &id), &c.e);
	unit_ctx_close(&c);

	struct {
		int64_t user;
		bool unmasked;
	} who[] = {{o->viewer, false},
	           {o->e1, true},
	           {o->svc1, false},
	           {o->mgr, true},
	           {o->admin, true}};
	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		const char *phone = who[i].unmasked ? "13812345678" : "138****5678";
		unit_ctx_user(&c, o->db, who[i].user);
		/* the list's primary contact */
		list_page page;
		kv q[] = {{"q", "脱敏测试"}, {"fields", "name,street,birth_date"}};
		UNIT_OK(svc_customer_list(&c.s, q, 2, &page), &c.e);
		assert_int_equal(page.n, 1);
		assert_int_equal(page.rows[0].v[F_ID].i, id);
		assert_non_null(page.primary[0].phone);
		assert_string_equal(page.primary[0].phone, phone);
		assert_string_equal(page.primary[0].name, "王芳");
		const char *street = record_text(&page.rows[0], CF_STREET);
		if (who[i].unmasked) {
			assert_string_equal(street, "南山区科技园南区8栋1201");
			assert_string_equal(record_text(&page.rows[0], CF_BIRTH_DATE),
			                    "1985-06-01");
		} else {
			assert_null(strstr(street, "1201"));
			assert_string_equal(record_text(&page.rows[0], CF_BIRTH_DATE),
			                    "1985-**-**");
		}
		/* the record page and its contacts */
		kh_record got, *contacts;
		int nk;
		UNIT_OK(svc_customer_get(&c.s, id, false, &got, &contacts, &nk), &c.e);
		assert_int_equal(nk, 1);
		assert_string_equal(record_text(&contacts[0], KF_PHONE), phone);
		if (!who[i].unmasked)
			assert_null(strstr(record_text(&got, CF_STREET), "1201"));
		/* the contacts list and a single contact */
		list_page kp;
		UNIT_OK(svc_contact_list(&c.s, id, NULL, 0, &kp), &c.e);
		assert_int_equal(kp.n, 1);
		assert_string_equal(record_text(&kp.rows[0], KF_PHONE), phone);
		kh_record one;
		UNIT_OK(svc_contact_get(&c.s, contacts[0].v[F_ID].i, &one), &c.e);
		assert_string_equal(record_text(&one, KF_PHONE), phone);
		unit_ctx_close(&c);
	}
}

static void the_personal_profile_needs_its_permission(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	kh_record r;
	unit_customer_record(&r, &c.a, "个人客户甲");
	record_set_int(&r, CF_OWNER, o->e1);
	record_set_text(&r, CF_PERSONAL_PROFILE, "爱好钓鱼");
	int64_t id;
	UNIT_OK(svc_customer_create(&c.s, &r, NULL, 0, &id), &c.e);
	kh_record got;
	UNIT_OK(svc_customer_get(&c.s, id, false, &got, NULL, NULL), &c.e);
	assert_string_equal(record_text(&got, CF_PERSONAL_PROFILE), "爱好钓鱼");
	unit_ctx_close(&c);

	unit_ctx_user(&c, o->db, o->e1); /* sales: no profile.read */
	UNIT_OK(svc_customer_get(&c.s, id, false, &got, NULL, NULL), &c.e);
	assert_int_equal(got.v[CF_PERSONAL_PROFILE].state, V_ABSENT);
	list_page page;
	kv q[] = {{"q", "个人客户甲"}, {"fields", "name,personal_profile"}};
	UNIT_OK(svc_customer_list(&c.s, q, 2, &page), &c.e);
	assert_int_equal(page.n, 1);
	assert_int_equal(page.rows[0].v[CF_PERSONAL_PROFILE].state, V_ABSENT);
	unit_ctx_close(&c);
}

/* ---- delete and restore ---- */

static void delete_and_restore_need_the_permission_and_the_version(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	int64_t id = unit_customer_new(&c, "将被删除的客户", 0, NULL);
	assert_int_equal(svc_customer_delete(&c.s, id, 1), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	unit_ctx_close(&c);

	unit_ctx_user(&c, o->db, o->mgr);
	assert_int_equal(svc_customer_delete(&c.s, id, 7), -1);
	assert_int_equal(c.e.code, KH_ECONFLICT);
	err_clear(&c.e);
	UNIT_OK(svc_customer_delete(&c.s, id, 1), &c.e);
	unit_ctx_close(&c);

	/* gone for the owner, in the recycle bin for the manager */
	unit_ctx_user(&c, o->db, o->e1);
	kh_record got;
	assert_int_equal(svc_customer_get(&c.s, id, false, &got, NULL, NULL), -1);
	assert_int_equal(c.e.code, KH_ENOTFOUND);
	err_clear(&c.e);
	/* asking for deleted ones without the permission shows nothing either */
	assert_int_equal(svc_customer_get(&c.s, id, true, &got, NULL, NULL), -1);
	assert_true(c.e.code == KH_ENOTFOUND || c.e.code == KH_EFORBIDDEN);
	err_clear(&c.e);
	list_page page;
	kv del[] = {{"view", "deleted"}};
	assert_int_equal(svc_customer_list(&c.s, del, 1, &page), -1); /* no delete permission */
	assert_true(c.e.code == KH_EFORBIDDEN || unit_has_field_error(&c.e, "view"));
	unit_ctx_close(&c);

	unit_ctx_user(&c, o->db, o->mgr);
	UNIT_OK(svc_customer_get(&c.s, id, true, &got, NULL, NULL), &c.e);
	assert_true(record_is_set(&got, F_DELETED_AT));
	UNIT_OK(svc_customer_list(&c.s, del, 1, &page), &c.e);
	bool found = false;
	for (int i = 0; i < page.n; i++)
		found |= page.rows[i].v[F_ID].i == id;
	assert_true(found);
	UNIT_OK(svc_customer_restore(&c.s, id, got.v[F_VERSION].i), &c.e);
	unit_ctx_close(&c);

	unit_ctx_user(&c, o->db, o->e1);
	UNIT_OK(svc_customer_get(&c.s, id, false, &got, NULL, NULL), &c.e);
	assert_int_equal(got.v[F_DELETED_AT].state, V_NULL);
	unit_ctx_close(&c);
}

static void the_primary_contact_moves_but_never_doubles(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	kh_record r, k[2];
	unit_customer_record(&r, &c.a, "主联系人客户");
	unit_contact_record(&k[0], &c.a, "甲", "13812345678");
	unit_contact_record(&k[1], &c.a, "乙", "13912345678");
	int64_t id;
	UNIT_OK(svc_customer_create(&c.s, &r, k, 2, &id), &c.e);
	int64_t a = k[0].v[F_ID].i, b = k[1].v[F_ID].i;

	/* a third contact made primary takes it over */
	kh_record third;
	unit_contact_record(&third, &c.a, "丙", "13712345678");
	record_set_int(&third, KF_PRIMARY, 1);
	int64_t t;
	UNIT_OK(svc_contact_create(&c.s, id, &third, &t), &c.e);
	kh_record got, *contacts;
	int nk;
	UNIT_OK(svc_customer_get(&c.s, id, false, &got, &contacts, &nk), &c.e);
	assert_int_equal(nk, 3);
	int primaries = 0;
	for (int i = 0; i < nk; i++) {
		bool p = record_int(&contacts[i], KF_PRIMARY, 0) != 0;
		primaries += p;
		if (p)
			assert_int_equal(contacts[i].v[F_ID].i, t);
	}
	assert_int_equal(primaries, 1);

	/* editing b into the primary one */
	kh_record cur;
	UNIT_OK(svc_contact_get(&c.s, b, &cur), &c.e);
	kh_record p;
	record_init(&p, &contact_entity, &c.a);
	record_set_int(&p, KF_PRIMARY, 1);
	UNIT_OK(svc_contact_update(&c.s, b, cur.v[F_VERSION].i, &p), &c.e);
	list_page page;
	kv q[] = {{"q", "主联系人客户"}};
	UNIT_OK(svc_customer_list(&c.s, q, 1, &page), &c.e);
	assert_int_equal(page.n, 1);
	assert_int_equal(page.primary[0].id, b);
	assert_string_equal(page.primary[0].name, "乙");

	/* deleting the primary one hands it to the oldest remaining contact */
	UNIT_OK(svc_contact_get(&c.s, b, &cur), &c.e);
	UNIT_OK(svc_contact_delete(&c.s, b, cur.v[F_VERSION].i), &c.e);
	UNIT_OK(svc_customer_list(&c.s, q, 1, &page), &c.e);
	assert_int_equal(page.primary[0].id, a);
	unit_ctx_close(&c);
}

static void generated_codes_skip_hand_given_ones(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	int64_t first = unit_customer_new(&c, "手工编号前", o->svc1, NULL);
	long seq = code_seq(o, code_of(o, first), "KF");
	assert_true(seq > 0);
	/* someone types the next code by hand */
	kh_record r;
	unit_customer_record(&r, &c.a, "手工编号");
	record_set_int(&r, CF_OWNER, o->svc1);
	char hand[32];
	snprintf(hand, sizeof(hand), "KF%d%03ld", o->year, seq + 1);
	record_set_text(&r, CF_CODE, hand);
	int64_t id;
	UNIT_OK(svc_customer_create(&c.s, &r, NULL, 0, &id), &c.e);
	/* the next generated code goes past it instead of failing */
	int64_t next = unit_customer_new(&c, "手工编号后", o->svc1, NULL);
	assert_int_equal(code_seq(o, code_of(o, next), "KF"), seq + 2);
	unit_ctx_close(&c);
}

static void restoring_onto_a_reused_credit_code_is_a_duplicate(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	kh_record r;
	unit_customer_record(&r, &c.a, "旧的信用代码客户");
	record_set_text(&r, CF_CREDIT_CODE, "91310000775785552L");
	int64_t old_id;
	UNIT_OK(svc_customer_create(&c.s, &r, NULL, 0, &old_id), &c.e);
	UNIT_OK(svc_customer_delete(&c.s, old_id, 1), &c.e);
	unit_customer_record(&r, &c.a, "新的信用代码客户");
	record_set_text(&r, CF_CREDIT_CODE, "91310000775785552L");
	int64_t new_id;
	UNIT_OK(svc_customer_create(&c.s, &r, NULL, 0, &new_id), &c.e);
	assert_int_equal(svc_customer_restore(&c.s, old_id, 2), -1);
	assert_int_equal(c.e.code, KH_EDUP);
	assert_true(unit_has_field_error(&c.e, "credit_code"));
	unit_ctx_close(&c);
}

static void renames_are_searchable_at_once(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e2);
	int64_t id = unit_customer_new(&c, "青松建材有限公司", 0, "13812345678");
	kh_record p;
	record_init(&p, &customer_entity, &c.a);
	record_set_text(&p, CF_NAME, "蓝海物流有限公司");
	record_set_text(&p, CF_TAGS, "[\"战略合作伙伴\"]");
	UNIT_OK(svc_customer_update(&c.s, id, 1, &p), &c.e);
	list_page page;
	kv old_name[] = {{"q", "青松"}};
	UNIT_OK(svc_customer_list(&c.s, old_name, 1, &page), &c.e);
	assert_int_equal(page.n, 0);
	kv new_name[] = {{"q", "蓝海 物流"}};
	UNIT_OK(svc_customer_list(&c.s, new_name, 1, &page), &c.e);
	assert_int_equal(page.n, 1);
	assert_int_equal(page.rows[0].v[F_ID].i, id);
	kv tag[] = {{"tag", "战略合作伙伴"}};
	UNIT_OK(svc_customer_list(&c.s, tag, 1, &page), &c.e);
	assert_int_equal(page.n, 1);
	/* a contact's new name too */
	kh_record got, *contacts;
	int nk;
	UNIT_OK(svc_customer_get(&c.s, id, false, &got, &contacts, &nk), &c.e);
	kh_record kp;
	record_init(&kp, &contact_entity, &c.a);
	record_set_text(&kp, KF_NAME, "欧阳娜娜");
	UNIT_OK(svc_contact_update(&c.s, contacts[0].v[F_ID].i, contacts[0].v[F_VERSION].i, &kp),
	        &c.e);
	kv contact_name[] = {{"q", "欧阳"}};
	UNIT_OK(svc_customer_list(&c.s, contact_name, 1, &page), &c.e);
	assert_int_equal(page.n, 1);
	assert_int_equal(page.rows[0].v[F_ID].i, id);
	unit_ctx_close(&c);
}

/* ---- lists ---- */

static void list_pages_through_cursors_without_loss(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->s1);
	int64_t ids[23];
	for (int i = 0; i < 23; i++)
		ids[i] = unit_customer_new(&c, arena_printf(&c.a, "翻页客户%02d", (i * 7) % 23), 0,
		                           NULL);
	unit_ctx_close(&c);

	/* next_step_due and contract_amount are empty (NULL) on all of them */
	const char *sorts[] = {"name",          "-name",           "id",
	                       "-id",           "-updated_at",     "first_contact_date",
	                       "next_step_due", "-contract_amount"};
	for (size_t s = 0; s < sizeof(sorts) / sizeof(sorts[0]); s++) {
		bool seen[23] = {false};
		int total = 0, pages = 0;
		char after[512] = "";
		char prev[64] = "";
		bool more = true;
		while (more) {
			unit_ctx_user(&c, o->db, o->s1);
			kv params[4] = {{"sort", sorts[s]}, {"limit", "5"}, {"q", "翻页客户"}};
			int np = 3;
			if (*after)
				params[np++] = (kv){"after", after};
			list_page page;
			UNIT_OK(svc_customer_list(&c.s, params, np, &page), &c.e);
			pages++;
			for (int r = 0; r < page.n; r++) {
				int k = -1;
				for (int i = 0; i < 23; i++)
					if (ids[i] == page.rows[r].v[F_ID].i)
						k = i;
				assert_true(k >= 0);
				assert_false(seen[k]);
				seen[k] = true;
				total++;
				const char *name = record_text(&page.rows[r], CF_NAME);
				if (!strcmp(sorts[s], "name"))
					assert_true(strcmp(prev, name) < 0);
				snprintf(prev, sizeof(prev), "%s", name);
			}
			more = page.next != NULL;
			if (more) {
				assert_true(strlen(page.next) < sizeof(after));
				snprintf(after, sizeof(after), "%s", page.next);
			}
			unit_ctx_close(&c);
			if (pages > 10)
				fail_msg("sort %s: endless paging", sorts[s]);
		}
		if (total != 23)
			fail_msg("sort %s: %d rows seen, want 23", sorts[s], total);
		assert_int_equal(pages, 5);
	}
}

static void list_parameters_are_checked(void **state)
{
	unit_org *o = *state;
	struct {
		kv p;
		const char *field;
	} bad[] = {
	        {{"sort", "requirement"}, "sort"},
	        {{"sort", "nope"}, "sort"},
	        {{"limit", "0"}, "limit"},
	        {{"limit", "501"}, "limit"},
	        {{"limit", "ten"}, "limit"},
	        {{"view", "everything"}, "view"},
	        {{"colour", "red"}, "colour"},
	        {{"industry", "农业"}, "industry"},
	        {{"first_contact_date_from", "2024-13-01"}, "first_contact_date_from"},
	        {{"name_from", "a"}, "name_from"},
	        {{"after", "not-a-cursor"}, "after"},
	        {{"fields", "name,nope"}, "fields"},
	        {{"custom.nope", "1"}, "custom.nope"},
	        {{"owner", "nobody_here"}, "owner"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_ctx c;
		unit_ctx_user(&c, o->db, o->mgr);
		list_page page;
		if (svc_customer_list(&c.s, &bad[i].p, 1, &page) != -1 ||
		    !unit_has_field_error(&c.e, bad[i].field)) {
			unit_print_err(&c.e);
			fail_msg("%s=%s: no error for %s", bad[i].p.key, bad[i].p.value,
			         bad[i].field);
		}
		unit_ctx_close(&c);
	}
}

static void a_cursor_for_one_sort_is_refused_for_another(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->s1);
	kv p1[] = {{"sort", "name"}, {"limit", "1"}};
	list_page page;
	UNIT_OK(svc_customer_list(&c.s, p1, 2, &page), &c.e);
	assert_non_null(page.next);
	kv p2[] = {{"sort", "-updated_at"}, {"limit", "1"}, {"after", page.next}};
	assert_int_equal(svc_customer_list(&c.s, p2, 3, &page), -1);
	assert_true(unit_has_field_error(&c.e, "after"));
	unit_ctx_close(&c);
}

static void list_filters_by_dictionary_label_and_range(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e2);
	kh_record r;
	unit_customer_record(&r, &c.a, "筛选零售客户");
	record_set_text(&r, CF_INDUSTRY, "retail");
	record_set_int(&r, CF_CONTRACT_AMOUNT, 500000);
	int64_t a;
	UNIT_OK(svc_customer_create(&c.s, &r, NULL, 0, &a), &c.e);
	unit_customer_record(&r, &c.a, "筛选制造客户");
	record_set_text(&r, CF_INDUSTRY, "manufacturing");
	record_set_int(&r, CF_CONTRACT_AMOUNT, 100);
	int64_t b;
	UNIT_OK(svc_customer_create(&c.s, &r, NULL, 0, &b), &c.e);

	list_page page;
	kv p[] = {{"industry", "零售业"}, {"q", "筛选"}};
	UNIT_OK(svc_customer_list(&c.s, p, 2, &page), &c.e);
	assert_int_equal(page.n, 1);
	assert_int_equal(page.rows[0].v[F_ID].i, a);
	kv p2[] = {{"industry", "retail，manufacturing"}, {"q", "筛选"}};
	UNIT_OK(svc_customer_list(&c.s, p2, 2, &page), &c.e);
	assert_int_equal(page.n, 2);
	kv p3[] = {{"contract_amount_from", "1000"}, {"q", "筛选"}};
	UNIT_OK(svc_customer_list(&c.s, p3, 2, &page), &c.e);
	assert_int_equal(page.n, 1);
	assert_int_equal(page.rows[0].v[F_ID].i, a);
	/* the CLI types money in yuan */
	c.s.money_in_yuan = true;
	kv p4[] = {{"contract_amount_to", "¥5,000"}, {"q", "筛选"}};
	UNIT_OK(svc_customer_list(&c.s, p4, 2, &page), &c.e);
	assert_int_equal(page.n, 2);
	kv p5[] = {{"contract_amount_to", "4,999.99"}, {"q", "筛选"}};
	UNIT_OK(svc_customer_list(&c.s, p5, 2, &page), &c.e);
	assert_int_equal(page.n, 1);
	assert_int_equal(page.rows[0].v[F_ID].i, b);
	unit_ctx_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(create_stores_the_customer_and_its_contacts),
	        cmocka_unit_test(validation_errors_name_every_bad_field),
	        cmocka_unit_test(two_primary_contacts_are_refused),
	        cmocka_unit_test(a_duplicate_credit_code_names_the_field),
	        cmocka_unit_test(codes_come_from_the_department_prefix),
	        cmocka_unit_test(a_failed_create_leaves_no_gap_in_the_codes),
	        cmocka_unit_test(a_given_code_is_kept_and_must_be_unique),
	        cmocka_unit_test(the_code_width_is_a_setting),
	        cmocka_unit_test(codes_cannot_be_changed),
	        cmocka_unit_test(update_with_a_stale_version_is_a_conflict),
	        cmocka_unit_test(update_validates_and_names_fields),
	        cmocka_unit_test(status_lost_makes_the_stage_lost),
	        cmocka_unit_test(viewers_see_masked_phones_in_lists_and_pages),
	        cmocka_unit_test(the_personal_profile_needs_its_permission),
	        cmocka_unit_test(delete_and_restore_need_the_permission_and_the_version),
	        cmocka_unit_test(the_primary_contact_moves_but_never_doubles),
	        cmocka_unit_test(generated_codes_skip_hand_given_ones),
	        cmocka_unit_test(restoring_onto_a_reused_credit_code_is_a_duplicate),
	        cmocka_unit_test(renames_are_searchable_at_once),
	        cmocka_unit_test(list_pages_through_cursors_without_loss),
	        cmocka_unit_test(list_parameters_are_checked),
	        cmocka_unit_test(a_cursor_for_one_sort_is_refused_for_another),
	        cmocka_unit_test(list_filters_by_dictionary_label_and_range),
	};
	return cmocka_run_group_tests(tests, unit_org_setup, unit_org_teardown);
}
