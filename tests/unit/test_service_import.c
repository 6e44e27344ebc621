/*
 * test_service_import — importing customers through the service on both
 * engines: a bad row keeps a real run from writing anything (and the report
 * names its row, column, value and reason), --skip-bad keeps the good rows,
 * a dry run writes nothing, upsert matches by phone and by code, update-only
 * refuses rows that match nothing, duplicates in the file are reported,
 * legacy totals become opening balances, undo restores or removes what a batch
 * did (and is refused once a customer changed since), and only holders of
 * the import permission may import.
 */
#define UNIT_WITH_SERVICE
#include "unit.h"

#include "core/import_map.h"
#include "service/import.h"
#include "store/store.h"

#define HEADER                                                                                                                     \
	"客户编号,客户名称,联系人,联系方式,所属行业,合作状态,客户来源,需求描述,首次接触时间," \
	"合作次数,累计消费金额(元)\n"

static int run_import(unit_ctx *c, const char *csv, const import_options *o, import_report *rep)
{
	io_reader *r;
	UNIT_OK(io_open_mem(&r, csv, strlen(csv), NULL, &c->e), &c->e);
	int rc = svc_import(&c->s, r, o, rep);
	io_free(r);
	return rc;
}

/* The live customer of that name (0: none). */
static int64_t customer_named(unit_org *o, const char *name)
{
	kh_err e;
	arena a;
	arena_init(&a);
	err_init(&e, &a, KH_LANG_EN);
	int64_t id = 0;
	UNIT_OK(store_customer_match(o->db, "name", name, &id, &e), &e);
	arena_release(&a);
	return id;
}

static bool has_problem(const import_report *rep, long row, const char *column)
{
	for (int i = 0; i < rep->nproblems; i++)
		if (rep->problems[i].row == row &&
		    (!column ||
		     (rep->problems[i].column && !strcmp(rep->problems[i].column, column))))
			return true;
	return false;
}

static const char *good_and_bad = HEADER
        ",全无科技有限公司,王芳,13800138001,IT服务,合作中,行业展会,CRM,2024/5/10,3,\"1,200.50\"\n"
        ",全无贸易有限公司,李雷,13800138002,零售业,意向客户,线上推广,采购,2024年5月11日,,\n"
        ",全无坏行,张三,12,不存在,合作中,行业展会,需求,2024-13-01,,\n";

static void a_bad_row_keeps_everything_out(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	import_options opt = {0};
	import_report rep;
	UNIT_OK(run_import(&c, good_and_bad, &opt, &rep), &c.e);
	assert_int_equal(rep.rows, 3);
	assert_int_equal(rep.failed, 1);
	assert_false(rep.written);
	assert_int_equal(rep.batch_id, 0);
	/* the report names the row as the sheet numbers it, the column and the value */
	assert_true(has_problem(&rep, 4, "联系方式"));
	assert_true(has_problem(&rep, 4, "所属行业"));
	assert_true(has_problem(&rep, 4, "首次接触时间"));
	assert_false(has_problem(&rep, 2, NULL));
	for (int i = 0; i < rep.nproblems; i++)
		if (rep.problems[i].column && !strcmp(rep.problems[i].column, "联系方式"))
			assert_string_equal(rep.problems[i].value, "12");
	assert_int_equal(customer_named(o, "全无科技有限公司"), 0);
	assert_int_equal(customer_named(o, "全无贸易有限公司"), 0);
	unit_ctx_close(&c);
}

static void dry_run_writes_nothing(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	import_options opt = {.dry_run = true, .skip_bad = true};
	import_report rep;
	UNIT_OK(run_import(&c, good_and_bad, &opt, &rep), &c.e);
	assert_int_equal(rep.created, 2);
	assert_int_equal(rep.failed, 1);
	assert_false(rep.written);
	assert_int_equal(customer_named(o, "全无科技有限公司"), 0);
	unit_ctx_close(&c);
}

static void skip_bad_keeps_the_good_rows_and_undo_removes_them(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	const char *csv = HEADER ",跳过科技有限公司,王芳,13800138011,IT服务,合作中,行业展会,CRM,"
	                         "2024/5/10,3,\"1,200.50\"\n"
	                         ",跳过坏行,张三,12,不存在,合作中,行业展会,需求,2024-13-01,,\n";
	import_options opt = {.skip_bad = true, .file_name = "a.csv"};
	import_report rep;
	UNIT_OK(run_import(&c, csv, &opt, &rep), &c.e);
	assert_int_equal(rep.created, 1);
	assert_int_equal(rep.failed, 1);
	assert_true(rep.written);
	assert_true(rep.batch_id > 0);
	int64_t id = customer_named(o, "跳过科技有限公司");
	assert_true(id > 0);
	kh_record cust, *contacts;
	int ncontacts;
	UNIT_OK(svc_customer_get(&c.s, id, false, &cust, &contacts, &ncontacts), &c.e);
	/* legacy totals are the opening balances, the derived totals start from them */
	assert_int_equal(record_int(&cust, CF_OPENING_DEAL_COUNT, 0), 3);
	assert_int_equal(record_int(&cust, CF_DEAL_AMOUNT, 0), 120050);
	assert_string_equal(record_text(&cust, CF_INDUSTRY), "it_services");
	assert_string_equal(record_text(&cust, CF_FIRST_CONTACT_DATE), "2024-05-10");
	assert_int_equal(record_int(&cust, CF_OWNER, 0), o->mgr);
	assert_int_equal(ncontacts, 1);
	assert_string_equal(record_text(&contacts[0], KF_NAME), "王芳");
	assert_int_equal(record_int(&contacts[0], KF_PRIMARY, 0), 1);

	UNIT_OK(svc_import_undo(&c.s, rep.batch_id), &c.e);
	assert_int_equal(customer_named(o, "跳过科技有限公司"), 0);
	/* once is enough */
	assert_int_equal(svc_import_undo(&c.s, rep.batch_id), -1);
	assert_int_equal(c.e.code, KH_ESTATE);
	unit_ctx_close(&c);
}

static void upsert_by_phone_updates_and_undo_restores(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	const char *first = HEADER ",电话科技有限公司,王芳,13800138021,IT服务,意向客户,行业展会,"
	                           "CRM,2024-05-10,,\n";
	import_options opt = {0};
	import_report rep;
	UNIT_OK(run_import(&c, first, &opt, &rep), &c.e);
	assert_int_equal(rep.created, 1);
	int64_t id = customer_named(o, "电话科技有限公司");
	assert_true(id > 0);

	/* the same phone written another way finds it; the status changes */
	const char *second = HEADER ",电话科技有限公司,王芳,138-0013-8021,IT服务,合作中,行业展会,"
	                            "CRM,2024-05-10,,\n"
	                            ",电话新客户有限公司,李雷,13800138022,IT服务,合作中,行业展会,"
	                            "CRM,2024-05-10,,\n";
	import_options up = {.mode = IMPORT_UPSERT, .match = IMPORT_MATCH_PHONE};
	UNIT_OK(run_import(&c, second, &up, &rep), &c.e);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.created, 1);
	assert_int_equal(rep.failed, 0);
	kh_record cust;
	UNIT_OK(svc_customer_get(&c.s, id, false, &cust, NULL, NULL), &c.e);
	assert_string_equal(record_text(&cust, CF_STATUS), "active");

	/* the same file again changes nothing */
	import_report again;
	UNIT_OK(run_import(&c, second, &up, &again), &c.e);
	assert_int_equal(again.unchanged, 2);
	assert_int_equal(again.updated + again.created, 0);

	UNIT_OK(svc_import_undo(&c.s, rep.batch_id), &c.e);
	UNIT_OK(svc_customer_get(&c.s, id, false, &cust, NULL, NULL), &c.e);
	assert_string_equal(record_text(&cust, CF_STATUS), "intent");
	assert_int_equal(customer_named(o, "电话新客户有限公司"), 0);
	unit_ctx_close(&c);
}

static void undo_is_refused_after_a_later_change(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	const char *csv = HEADER "UNDO-1,改过科技有限公司,王芳,13800138031,IT服务,合作中,行业展会,"
	                         "CRM,2024-05-10,,\n";
	import_options opt = {0};
	import_report rep;
	UNIT_OK(run_import(&c, csv, &opt, &rep), &c.e);
	int64_t id = customer_named(o, "改过科技有限公司");
	kh_record patch;
	record_init(&patch, &customer_entity, &c.a);
	record_set_text(&patch, CF_REMARKS, "changed by hand");
	UNIT_OK(svc_customer_update(&c.s, id, 1, &patch), &c.e);
	assert_int_equal(svc_import_undo(&c.s, rep.batch_id), -1);
	assert_int_equal(c.e.code, KH_ESTATE);
	assert_true(customer_named(o, "改过科技有限公司") > 0);
	unit_ctx_close(&c);
}

static void upsert_by_code_and_update_only(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	const char *csv = HEADER "CODE-7,编码科技有限公司,王芳,13800138041,IT服务,合作中,行业展会,"
	                         "CRM,2024-05-10,,\n";
	import_options opt = {0};
	import_report rep;
	UNIT_OK(run_import(&c, csv, &opt, &rep), &c.e);
	assert_int_equal(rep.created, 1);
	/* create again: the code is a duplicate of a customer in kehu */
	UNIT_OK(run_import(&c, csv, &opt, &rep), &c.e);
	assert_int_equal(rep.failed, 1);
	assert_int_equal(rep.duplicates, 1);
	assert_true(has_problem(&rep, 2, "客户编号"));

	const char *upd =
	        HEADER "CODE-7,编码科技有限公司,王芳,13800138041,IT服务,暂停合作,行业展会,"
	               "CRM,2024-05-10,,\n"
	               "CODE-8,没有的客户,李雷,13800138042,IT服务,合作中,行业展会,"
	               "CRM,2024-05-10,,\n";
	import_options only = {.mode = IMPORT_UPDATE, .skip_bad = true};
	UNIT_OK(run_import(&c, upd, &only, &rep), &c.e);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.failed, 1);
	assert_true(has_problem(&rep, 3, NULL));
	assert_int_equal(customer_named(o, "没有的客户"), 0);
	unit_ctx_close(&c);
}

static void duplicates_in_the_file_are_reported(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	const char *csv = HEADER ",重复一有限公司,王芳,13800138051,IT服务,合作中,行业展会,"
	                         "CRM,2024-05-10,,\n"
	                         ",重复二有限公司,李雷,+86 138 0013 8051,IT服务,合作中,行业展会,"
	                         "CRM,2024-05-10,,\n";
	import_options opt = {.match = IMPORT_MATCH_PHONE, .dry_run = true};
	import_report rep;
	UNIT_OK(run_import(&c, csv, &opt, &rep), &c.e);
	assert_int_equal(rep.duplicates, 1);
	assert_int_equal(rep.failed, 1);
	assert_true(has_problem(&rep, 3, "联系方式"));
	unit_ctx_close(&c);
}

static void mappings_override_and_save(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	const char *csv = "店名,手机,备注列\n映射商店,13800138061,好客户\n";
	kv map[] = {{"备注列", "remarks"}};
	kv defaults[] = {{"source", "行业展会"},
	                 {"status", "合作中"},
	                 {"requirement", "进货"},
	                 {"first_contact_date", "2024-05-10"},
	                 {"contact_name", "店主"}};
	import_options opt = {.map = map,
	                      .nmap = 1,
	                      .defaults = defaults,
	                      .ndefaults = 5,
	                      .save_mapping = "shops"};
	import_report rep;
	UNIT_OK(run_import(&c, csv, &opt, &rep), &c.e);
	if (rep.failed)
		fail_msg("row failed: %s: %s", rep.problems[0].column, rep.problems[0].message);
	assert_int_equal(rep.created, 1);
	int64_t id = customer_named(o, "映射商店");
	kh_record cust;
	UNIT_OK(svc_customer_get(&c.s, id, false, &cust, NULL, NULL), &c.e);
	assert_string_equal(record_text(&cust, CF_REMARKS), "好客户");

	/* the saved mapping brings the override back */
	const char *csv2 = "店名,手机,备注列\n映射商店二,13800138062,也好\n";
	import_options again = {.defaults = defaults, .ndefaults = 5, .mapping = "shops"};
	UNIT_OK(run_import(&c, csv2, &again, &rep), &c.e);
	assert_int_equal(rep.created, 1);
	UNIT_OK(svc_customer_get(&c.s, customer_named(o, "映射商店二"), false, &cust, NULL, NULL),
	        &c.e);
	assert_string_equal(record_text(&cust, CF_REMARKS), "也好");

	/* a mapping to a field that cannot be imported is refused up front */
	kv bad[] = {{"备注列", "grade"}};
	import_options wrong = {.map = bad, .nmap = 1};
	assert_int_equal(run_import(&c, csv2, &wrong, &rep), -1);
	assert_int_equal(c.e.code, KH_EINVAL);
	unit_ctx_close(&c);
}

static void a_batch_is_its_runners(void **state)
{
	unit_org *o = *state;
	unit_ctx sys;
	unit_ctx_system(&sys, o->db);
	int64_t mgr2 = unit_make_user(&sys, "import-mgr2", "manager", o->service, 0, NULL);
	unit_ctx_close(&sys);

	unit_ctx c;
	unit_ctx_user(&c, o->db, o->mgr);
	const char *csv = HEADER ",归属科技有限公司,王芳,13800138071,IT服务,合作中,行业展会,"
	                         "CRM,2024-05-10,,\n";
	import_options opt = {0};
	import_report rep;
	UNIT_OK(run_import(&c, csv, &opt, &rep), &c.e);
	assert_true(rep.batch_id > 0);
	unit_ctx_close(&c);

	/* another manager neither lists it nor undoes it */
	unit_ctx_user(&c, o->db, mgr2);
	list_page p;
	UNIT_OK(svc_import_batches(&c.s, NULL, 0, &p), &c.e);
	for (int i = 0; i < p.n; i++)
		assert_true(p.rows[i].v[F_ID].i != rep.batch_id);
	assert_int_equal(svc_import_undo(&c.s, rep.batch_id), -1);
	assert_int_equal(c.e.code, KH_ENOTFOUND);
	unit_ctx_close(&c);
	assert_true(customer_named(o, "归属科技有限公司") > 0);

	/* the administrator (every customer in sight) does */
	unit_ctx_user(&c, o->db, o->admin);
	UNIT_OK(svc_import_batches(&c.s, NULL, 0, &p), &c.e);
	bool listed = false;
	for (int i = 0; i < p.n; i++)
		listed |= p.rows[i].v[F_ID].i == rep.batch_id;
	assert_true(listed);
	UNIT_OK(svc_import_undo(&c.s, rep.batch_id), &c.e);
	assert_int_equal(customer_named(o, "归属科技有限公司"), 0);
	unit_ctx_close(&c);
}

static void only_importers_may_import(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1); /* sales: no import permission by default */
	import_options opt = {0};
	import_report rep;
	assert_int_equal(run_import(&c, good_and_bad, &opt, &rep), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	unit_ctx_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(a_bad_row_keeps_everything_out),
	        cmocka_unit_test(dry_run_writes_nothing),
	        cmocka_unit_test(skip_bad_keeps_the_good_rows_and_undo_removes_them),
	        cmocka_unit_test(upsert_by_phone_updates_and_undo_restores),
	        cmocka_unit_test(undo_is_refused_after_a_later_change),
	        cmocka_unit_test(upsert_by_code_and_update_only),
	        cmocka_unit_test(duplicates_in_the_file_are_reported),
	        cmocka_unit_test(mappings_override_and_save),
	        cmocka_unit_test(a_batch_is_its_runners),
	        cmocka_unit_test(only_importers_may_import),
	};
	return cmocka_run_group_tests(tests, unit_org_setup, unit_org_teardown);
}
