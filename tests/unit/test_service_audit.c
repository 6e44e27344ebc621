/*
 * test_service_audit — every change is in the audit log (DESIGN 1.10: who,
 * when, which fields, old -> new): customer and contact creation, updates
 * listing only the fields that changed, deletion and restore, nothing for
 * failed or empty changes; reading the log needs audit.read, filters and
 * pages, and personal data in it is masked like everywhere else.
 */
#define UNIT_WITH_SERVICE
#include "unit.h"

typedef struct world {
	unit_org org;
	int64_t cust;    /* created by e1 with a contact */
	int64_t contact; /* its contact */
} world;

static int group_setup(void **state)
{
	world *w = calloc(1, sizeof(*w));
	unit_org_build(&w->org);
	unit_ctx c;
	unit_ctx_user(&c, w->org.db, w->org.e1);
	kh_record r, k;
	unit_customer_record(&r, &c.a, "审计客户");
	record_set_text(&r, CF_CITY, "深圳");
	unit_contact_record(&k, &c.a, "王芳", "13812345678");
	UNIT_OK(svc_customer_create(&c.s, &r, &k, 1, &w->cust), &c.e);
	w->contact = k.v[F_ID].i;
	assert_true(w->contact > 0);
	unit_ctx_close(&c);
	*state = w;
	return 0;
}

static int group_teardown(void **state)
{
	world *w = *state;
	unit_org_free(&w->org);
	free(w);
	return 0;
}

/* The audit rows for one record, newest first, read by user (0: kehu itself). */
static int audit_of(unit_ctx *c, store *db, int64_t user, const char *entity, int64_t id,
                    audit_row **rows)
{
	if (user)
		unit_ctx_user(c, db, user);
	else
		unit_ctx_system(c, db);
	char ids[32];
	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	kv p[] = {{"entity", entity}, {"entity_id", ids}, {"limit", "100"}};
	int n = 0;
	const char *next = NULL;
	UNIT_OK(svc_audit_list(&c->s, p, 3, rows, &n, &next), &c->e);
	assert_null(next);
	return n;
}

/* The change entry for field in a changes array, or NULL. */
static json_t *change_of(json_t *changes, const char *field)
{
	size_t i;
	json_t *ch;
	json_array_foreach(changes, i, ch)
	{
		if (!strcmp(json_string_value(json_object_get(ch, "field")), field))
			return ch;
	}
	return NULL;
}

/* Assert j is the JSON string want (with a message rather than a crash otherwise). */
static void expect_json_string(json_t *j, const char *want)
{
	if (!json_is_string(j)) {
		char *dump = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
		fail_msg("expected \"%s\", found %s", want, dump ? dump : "nothing");
	}
	assert_string_equal(json_string_value(j), want);
}

/* Assert text holds needle. */
static void expect_in(const char *text, const char *needle)
{
	if (!text || !strstr(text, needle))
		fail_msg("\"%s\" not in %s", needle, text ? text : "(null)");
}

static void creation_is_logged_with_who_and_the_values(void **state)
{
	world *w = *state;
	unit_ctx c;
	audit_row *rows;
	int n = audit_of(&c, w->org.db, w->org.admin, "customer", w->cust, &rows);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].action, "create");
	assert_string_equal(rows[0].entity, "customer");
	assert_int_equal(rows[0].entity_id, w->cust);
	assert_int_equal(rows[0].user_id, w->org.e1);
	assert_string_equal(rows[0].username, "e1");
	assert_string_equal(rows[0].origin, "unit");
	int64_t at;
	assert_true(time_parse_iso(rows[0].at, &at));
	assert_true(at <= time_now_unix() && at > time_now_unix() - 600);
	json_t *ch = json_loads(rows[0].changes, 0, NULL);
	assert_true(json_is_array(ch));
	json_t *name = change_of(ch, "name");
	assert_non_null(name);
	assert_true(json_is_null(json_object_get(name, "old")));
	expect_json_string(json_object_get(name, "new"), "审计客户");
	assert_non_null(change_of(ch, "code"));
	assert_non_null(change_of(ch, "owner"));
	json_decref(ch);
	unit_ctx_close(&c);

	n = audit_of(&c, w->org.db, w->org.admin, "contact", w->contact, &rows);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].action, "create");
	expect_in(rows[0].changes, "13812345678"); /* admin may unmask */
	unit_ctx_close(&c);
}

static void an_update_logs_only_the_changed_fields(void **state)
{
	world *w = *state;
	unit_ctx c;
	unit_ctx_user(&c, w->org.db, w->org.e1);
	int64_t v = unit_customer_version(w->org.db, w->cust);
	kh_record p;
	record_init(&p, &customer_entity, &c.a);
	record_set_text(&p, CF_NAME, "审计客户（新）");
	record_set_text(&p, CF_CITY, "深圳"); /* unchanged */
	record_set_null(&p, CF_REMARKS);      /* was already empty */
	record_set_text(&p, CF_PROVINCE, "广东");
	UNIT_OK(svc_customer_update(&c.s, w->cust, v, &p), &c.e);
	unit_ctx_close(&c);

	audit_row *rows;
	int n = audit_of(&c, w->org.db, 0, "customer", w->cust, &rows);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].action, "update");
	assert_string_equal(rows[0].username, "e1");
	json_t *ch = json_loads(rows[0].changes, 0, NULL);
	assert_int_equal(json_array_size(ch), 2);
	json_t *name = change_of(ch, "name");
	assert_non_null(name);
	expect_json_string(json_object_get(name, "old"), "审计客户");
	expect_json_string(json_object_get(name, "new"), "审计客户（新）");
	json_t *prov = change_of(ch, "province");
	assert_non_null(prov);
	assert_true(json_is_null(json_object_get(prov, "old")));
	assert_null(change_of(ch, "city"));
	assert_null(change_of(ch, "remarks"));
	json_decref(ch);
	unit_ctx_close(&c);
}

static void empty_and_failed_changes_are_not_logged(void **state)
{
	world *w = *state;
	unit_ctx c;
	audit_row *rows;
	int before = audit_of(&c, w->org.db, 0, "customer", w->cust, &rows);
	unit_ctx_close(&c);

	unit_ctx_user(&c, w->org.db, w->org.e1);
	int64_t v = unit_customer_version(w->org.db, w->cust);
	kh_record p;
	record_init(&p, &customer_entity, &c.a);
	record_set_text(&p, CF_CITY, "深圳"); /* same as stored */
	UNIT_OK(svc_customer_update(&c.s, w->cust, v, &p), &c.e);
	record_init(&p, &customer_entity, &c.a);
	record_set_text(&p, CF_CITY, "东莞");
	assert_int_equal(svc_customer_update(&c.s, w->cust, v - 1, &p), -1); /* stale */
	assert_int_equal(c.e.code, KH_ECONFLICT);
	err_clear(&c.e);
	record_init(&p, &customer_entity, &c.a);
	record_set_text(&p, CF_FIRST_CONTACT_DATE, "2024-02-30"); /* invalid */
	assert_int_equal(svc_customer_update(&c.s, w->cust, v, &p), -1);
	unit_ctx_close(&c);

	int after = audit_of(&c, w->org.db, 0, "customer", w->cust, &rows);
	assert_int_equal(after, before);
	unit_ctx_close(&c);
	assert_int_equal(unit_customer_version(w->org.db, w->cust), v);
}

static void delete_and_restore_are_logged(void **state)
{
	world *w = *state;
	unit_ctx c;
	unit_ctx_user(&c, w->org.db, w->org.mgr);
	int64_t id = unit_customer_new(&c, "审计删除", w->org.e1, NULL);
	UNIT_OK(svc_customer_delete(&c.s, id, 1), &c.e);
	UNIT_OK(svc_customer_restore(&c.s, id, 2), &c.e);
	unit_ctx_close(&c);

	audit_row *rows;
	int n = audit_of(&c, w->org.db, 0, "customer", id, &rows);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].action, "restore");
	assert_string_equal(rows[1].action, "delete");
	assert_string_equal(rows[2].action, "create");
	for (int i = 0; i < 3; i++)
		assert_string_equal(rows[i].username, "mgr");
	json_t *d = json_loads(rows[1].changes, 0, NULL);
	expect_json_string(json_object_get(d, "name"), "审计删除");
	json_decref(d);
	assert_true(rows[0].id > rows[1].id && rows[1].id > rows[2].id);
	unit_ctx_close(&c);
}

static void contact_changes_are_logged(void **state)
{
	world *w = *state;
	unit_ctx c;
	unit_ctx_user(&c, w->org.db, w->org.e1);
	kh_record k;
	unit_contact_record(&k, &c.a, "李雷", "13900001111");
	int64_t kid;
	UNIT_OK(svc_contact_create(&c.s, w->cust, &k, &kid), &c.e);
	kh_record p;
	record_init(&p, &contact_entity, &c.a);
	record_set_text(&p, KF_POSITION, "采购经理");
	UNIT_OK(svc_contact_update(&c.s, kid, 1, &p), &c.e);
	UNIT_OK(svc_contact_delete(&c.s, kid, 2), &c.e);
	unit_ctx_close(&c);

	audit_row *rows;
	int n = audit_of(&c, w->org.db, 0, "contact", kid, &rows);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].action, "delete");
	assert_string_equal(rows[1].action, "update");
	assert_string_equal(rows[2].action, "create");
	expect_in(rows[1].changes, "采购经理");
	unit_ctx_close(&c);
}

static void reading_the_log_needs_the_permission(void **state)
{
	world *w = *state;
	int64_t users[] = {w->org.e1, w->org.mgr, w->org.viewer, w->org.fin1};
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		unit_ctx c;
		unit_ctx_user(&c, w->org.db, users[i]);
		audit_row *rows;
		int n;
		const char *next;
		assert_int_equal(svc_audit_list(&c.s, NULL, 0, &rows, &n, &next), -1);
		assert_int_equal(c.e.code, KH_EFORBIDDEN);
		unit_ctx_close(&c);
	}
}

static void personal_data_in_the_log_is_masked(void **state)
{
	world *w = *state;
	/* finance may read the log but not unmask phone numbers */
	unit_ctx c;
	unit_ctx_system(&c, w->org.db);
	const role_default *fin = role_default_find("finance");
	UNIT_OK(unit_role_update(&c.s, "finance", unit_role_version(&c, "finance"),
	                         fin->perms | PERM_AUDIT_READ, fin->scope),
	        &c.e);
	unit_ctx_close(&c);

	audit_row *rows;
	int n = audit_of(&c, w->org.db, w->org.fin1, "contact", w->contact, &rows);
	assert_true(n >= 1);
	for (int i = 0; i < n; i++)
		if (rows[i].changes && strstr(rows[i].changes, "13812345678"))
			fail_msg("unmasked phone in the log: %s", rows[i].changes);
	json_t *ch = json_loads(rows[n - 1].changes, 0, NULL);
	json_t *phone = change_of(ch, "phone");
	assert_non_null(phone);
	expect_json_string(json_object_get(phone, "new"), "138****5678");
	json_decref(ch);
	unit_ctx_close(&c);

	unit_ctx_system(&c, w->org.db);
	UNIT_OK(unit_role_update(&c.s, "finance", unit_role_version(&c, "finance"), fin->perms,
	                         fin->scope),
	        &c.e);
	unit_ctx_close(&c);
}

static void the_log_never_shows_records_outside_the_readers_scope(void **state)
{
	world *w = *state;
	unit_org *o = &w->org;
	/* DESIGN 1.10: no path may leak a record the list would hide. Give the
	 * manager (scope: the sales department and below) the audit log. */
	unit_ctx c;
	unit_ctx_system(&c, o->db);
	int64_t outside = unit_customer_new(&c, "客服部的秘密客户", o->svc1, NULL);
	int64_t inside = unit_customer_new(&c, "销售部看得见的客户", o->e2, NULL);
	const role_default *mgr = role_default_find("manager");
	UNIT_OK(unit_role_update(&c.s, "manager", unit_role_version(&c, "manager"),
	                         mgr->perms | PERM_AUDIT_READ, mgr->scope),
	        &c.e);
	unit_ctx_close(&c);

	unit_ctx_user(&c, o->db, o->mgr);
	kh_record hidden;
	assert_int_equal(svc_customer_get(&c.s, outside, false, &hidden, NULL, NULL), -1);
	err_clear(&c.e);
	kv p[] = {{"entity", "customer"}, {"limit", "500"}};
	audit_row *rows;
	int n = 0;
	const char *next;
	int rc = svc_audit_list(&c.s, p, 2, &rows, &n, &next);
	if (rc == 0) {
		bool saw_inside = false;
		for (int i = 0; i < n; i++) {
			if (rows[i].entity_id == outside ||
			    (rows[i].changes && strstr(rows[i].changes, "客服部的秘密客户")))
				fail_msg("the log shows customer %lld, outside the reader's scope: "
				         "%s",
				         (long long)outside, rows[i].changes);
			saw_inside |= rows[i].entity_id == inside;
		}
		assert_true(saw_inside);
	} else {
		/* or the log is only for readers who see everything */
		assert_int_equal(c.e.code, KH_EFORBIDDEN);
	}
	unit_ctx_close(&c);

	unit_ctx_system(&c, o->db);
	UNIT_OK(unit_role_update(&c.s, "manager", unit_role_version(&c, "manager"), mgr->perms,
	                         mgr->scope),
	        &c.e);
	unit_ctx_close(&c);
}

static void the_log_filters_and_pages(void **state)
{
	world *w = *state;
	unit_ctx c;
	unit_ctx_user(&c, w->org.db, w->org.s1);
	for (int i = 0; i < 5; i++)
		unit_customer_new(&c, arena_printf(&c.a, "审计分页%d", i), 0, NULL);
	unit_ctx_close(&c);

	unit_ctx_user(&c, w->org.db, w->org.admin);
	kv p[] = {{"user", "s1"}, {"action", "create"}, {"entity", "customer"}, {"limit", "2"}};
	int total = 0, pages = 0;
	char after[32] = "";
	int64_t last_id = INT64_MAX;
	for (;;) {
		kv params[5];
		memcpy(params, p, sizeof(p));
		int np = 4;
		if (*after)
			params[np++] = (kv){"after", after};
		audit_row *rows;
		int n;
		const char *next;
		UNIT_OK(svc_audit_list(&c.s, params, np, &rows, &n, &next), &c.e);
		pages++;
		for (int i = 0; i < n; i++) {
			assert_int_equal(rows[i].user_id, w->org.s1);
			assert_string_equal(rows[i].action, "create");
			assert_string_equal(rows[i].entity, "customer");
			assert_true(rows[i].id < last_id);
			last_id = rows[i].id;
			total++;
		}
		if (!next)
			break;
		snprintf(after, sizeof(after), "%s", next);
		assert_true(pages < 10);
	}
	assert_int_equal(total, 5);
	assert_int_equal(pages, 3);

	/* a date range that ends before today finds nothing */
	kv old[] = {{"to", "2000-01-01"}};
	audit_row *rows;
	int n;
	const char *next;
	UNIT_OK(svc_audit_list(&c.s, old, 1, &rows, &n, &next), &c.e);
	assert_int_equal(n, 0);

	struct {
		kv p;
		const char *field;
	} bad[] = {
	        {{"entity", "spaceship"}, "entity"}, {{"from", "yesterday"}, "from"},
	        {{"user", "nobody_here"}, "user"},   {{"limit", "0"}, "limit"},
	        {{"colour", "red"}, "colour"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err_clear(&c.e);
		assert_int_equal(svc_audit_list(&c.s, &bad[i].p, 1, &rows, &n, &next), -1);
		assert_true(unit_has_field_error(&c.e, bad[i].field));
	}
	unit_ctx_close(&c);
}

static void admin_changes_are_logged_too(void **state)
{
	world *w = *state;
	unit_ctx c;
	unit_ctx_system(&c, w->org.db);
	kh_record r;
	record_init(&r, &dict_option_entity, &c.a);
	record_set_text(&r, OF_KIND, "source");
	record_set_text(&r, OF_CODE, "audited");
	record_set_text(&r, OF_LABEL_ZH, "审计来源");
	record_set_text(&r, OF_LABEL_EN, "Audited source");
	int64_t id;
	UNIT_OK(svc_dict_create(&c.s, &r, &id), &c.e);
	unit_ctx_close(&c);
	audit_row *rows;
	int n = audit_of(&c, w->org.db, 0, "dict_option", id, &rows);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].action, "create");
	assert_string_equal(rows[0].username, "system");
	expect_in(rows[0].changes, "审计来源");
	unit_ctx_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(creation_is_logged_with_who_and_the_values),
	        cmocka_unit_test(an_update_logs_only_the_changed_fields),
	        cmocka_unit_test(empty_and_failed_changes_are_not_logged),
	        cmocka_unit_test(delete_and_restore_are_logged),
	        cmocka_unit_test(contact_changes_are_logged),
	        cmocka_unit_test(reading_the_log_needs_the_permission),
	        cmocka_unit_test(personal_data_in_the_log_is_masked),
	        cmocka_unit_test(the_log_never_shows_records_outside_the_readers_scope),
	        cmocka_unit_test(the_log_filters_and_pages),
	        cmocka_unit_test(admin_changes_are_logged_too),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
