/*
 * unit — what the unit tests share: the cmocka includes in the order it
 * needs them, temporary SQLite databases under /tmp, and (for the service
 * tests) a small but complete organisation built through the use cases:
 *
 *   总公司 (KH, from bootstrap)
 *   ├── 销售部 Sales (XS)            mgr (manager, dept_sub), viewer_sales (viewer, dept)
 *   │   ├── 华东销售组 East (no prefix) lead (sales with own_sub; reports to mgr),
 *   │   │                              e1 (sales; reports to lead), e2 (sales; reports to e1),
 *   │   │                              viewer (viewer, dept)
 *   │   └── 华南销售组 South (no prefix) s1 (sales; reports to mgr)
 *   ├── 客服部 Service (KF)           svc1 (service, all)
 *   └── 财务部 Finance (no prefix)    fin1 (finance, all)
 *
 * Helpers are static inline so a test file that does not use one does not
 * trip -Wunused-function.
 */
#ifndef KEHU_TESTS_UNIT_H
#define KEHU_TESTS_UNIT_H

/* cmocka needs these before its header */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/arena.h"
#include "util/err.h"
#include "util/log.h"

/* ---- temporary databases ---- */

/* True when the tests run on PostgreSQL (KEHU_TEST_ENGINE=postgresql, KEHU_TEST_PG=URL). */
static inline bool unit_on_postgresql(void)
{
	const char *e = getenv("KEHU_TEST_ENGINE");
	return e && !strcmp(e, "postgresql") && getenv("KEHU_TEST_PG");
}

/* Run one SQL command on the PostgreSQL test server's maintenance database. */
static inline void unit_pg_admin(const char *sql)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd),
	         "psql -q -v ON_ERROR_STOP=1 '%s/postgres' -c '%s' >/dev/null 2>&1",
	         getenv("KEHU_TEST_PG"), sql);
	assert_int_equal(system(cmd), 0);
}

/*
 * A new empty database: a file under /tmp for SQLite, or a new database on the
 * PostgreSQL test server (returned as its URL). Free with unit_db_remove.
 */
static inline char *unit_db_path(void)
{
	if (unit_on_postgresql()) {
		static int counter;
		char name[64], sql[128], url[512];
		snprintf(name, sizeof(name), "kehu_unit_%d_%d", (int)getpid(), ++counter);
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", name);
		unit_pg_admin(sql);
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
		unit_pg_admin(sql);
		snprintf(url, sizeof(url), "%s/%s", getenv("KEHU_TEST_PG"), name);
		char *p = strdup(url);
		assert_non_null(p);
		return p;
	}
	char tmpl[] = "/tmp/kehu-unit-XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	close(fd);
	char *p = strdup(tmpl);
	assert_non_null(p);
	return p;
}

/* Remove the database (file and WAL companions, or the PostgreSQL database) and free
 * the path. */
static inline void unit_db_remove(char *path)
{
	if (!path)
		return;
	if (!strncmp(path, "postgresql://", 13)) {
		char sql[128];
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)",
		         strrchr(path, '/') + 1);
		unit_pg_admin(sql);
		free(path);
		return;
	}
	char side[512];
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	free(path);
}

/* True when e holds a field error named field. */
static inline bool unit_has_field_error(const kh_err *e, const char *field)
{
	for (int i = 0; i < e->nfields; i++)
		if (e->fields[i].field && strcmp(e->fields[i].field, field) == 0)
			return true;
	return false;
}

/* Print the errors of e (for a failing assertion's context). */
static inline void unit_print_err(const kh_err *e)
{
	if (e->code == KH_OK)
		return;
	fprintf(stderr, "  error %s: %s\n", err_name(e->code), err_message(e));
	for (int i = 0; i < e->nfields; i++)
		fprintf(stderr, "    %s: %s\n", e->fields[i].field, e->fields[i].message);
}

/* Assert a call returned 0, showing the error otherwise. */
#define UNIT_OK(call, e)                                                                           \
	do {                                                                                       \
		int unit_rc_ = (call);                                                             \
		if (unit_rc_ != 0)                                                                 \
			unit_print_err(e);                                                         \
		assert_int_equal(unit_rc_, 0);                                                     \
	} while (0)

#ifdef UNIT_WITH_STORE

#include "core/customer.h"
#include "store/store.h"
#include "util/date.h"

/* ---- a migrated store on a temporary file ---- */

typedef struct unit_db {
	char *path;
	store *db;
	arena a;
	kh_err e;
} unit_db;

static inline unit_db *unit_db_open(void)
{
	log_init_from_env(); /* ctest sets KEHU_LOG=warn */
	unit_db *u = calloc(1, sizeof(*u));
	assert_non_null(u);
	arena_init(&u->a);
	err_init(&u->e, &u->a, KH_LANG_EN);
	u->path = unit_db_path();
	UNIT_OK(store_open(u->path, &u->db, &u->e), &u->e);
	UNIT_OK(store_migrate(u->db, NULL, &u->e), &u->e);
	return u;
}

static inline void unit_db_close(unit_db *u)
{
	if (!u)
		return;
	store_close(u->db);
	unit_db_remove(u->path);
	arena_release(&u->a);
	free(u);
}

/* cmocka setup and teardown giving each test a fresh migrated store. */
static inline int unit_db_setup(void **state)
{
	*state = unit_db_open();
	return 0;
}

static inline int unit_db_teardown(void **state)
{
	unit_db_close(*state);
	return 0;
}

/* A customer record with the columns the table requires (not yet inserted). */
static inline void unit_store_customer(unit_db *u, kh_record *r, const char *code, const char *name)
{
	record_init(r, &customer_entity, &u->a);
	record_set_text(r, F_CREATED_AT, "2024-05-10T08:00:00Z");
	record_set_text(r, F_UPDATED_AT, "2024-05-10T08:00:00Z");
	record_set_int(r, F_VERSION, 1);
	record_set_text(r, CF_CODE, code);
	record_set_text(r, CF_NAME, name);
	record_set_text(r, CF_SOURCE, "online");
	record_set_text(r, CF_STATUS, "potential");
}

/* Insert r, asserting success; returns its id. */
static inline int64_t unit_store_insert(unit_db *u, kh_record *r)
{
	err_clear(&u->e);
	UNIT_OK(store_record_insert(u->db, r, &u->e), &u->e);
	assert_true(r->v[F_ID].i > 0);
	return r->v[F_ID].i;
}

#endif /* UNIT_WITH_STORE */

#ifdef UNIT_WITH_SERVICE

#include "core/activity.h"
#include "core/org.h"
#include "service/internal.h"
#include "util/date.h"

/* ---- a service context: its own arena, error and svc ---- */

typedef struct unit_ctx {
	arena a;
	kh_err e;
	svc s;
} unit_ctx;

static inline void unit_ctx_open(unit_ctx *c, store *db)
{
	arena_init(&c->a);
	err_init(&c->e, &c->a, KH_LANG_EN);
	svc_init(&c->s, db, &c->a, &c->e, KH_LANG_EN, "unit");
}

static inline void unit_ctx_close(unit_ctx *c)
{
	svc_release(&c->s);
	arena_release(&c->a);
}

/* Open a context acting as kehu itself. */
static inline void unit_ctx_system(unit_ctx *c, store *db)
{
	unit_ctx_open(c, db);
	svc_act_as_system(&c->s);
}

/* Open a context acting as user id. */
static inline void unit_ctx_user(unit_ctx *c, store *db, int64_t user_id)
{
	unit_ctx_open(c, db);
	UNIT_OK(svc_act_as(&c->s, user_id), &c->e);
}

/* ---- the organisation ---- */

typedef struct unit_org {
	char *path;
	store *db;
	int64_t admin;
	int64_t hq, sales, east, south, service, finance;
	int64_t mgr, lead, e1, e2, s1, svc1, fin1, viewer, viewer_sales;
	int year;
} unit_org;

#define UNIT_PASSWORD "secret-pass-123"

static inline int64_t unit_make_dept(unit_ctx *c, const char *name, int64_t parent,
                                     const char *prefix)
{
	kh_record d;
	record_init(&d, &department_entity, &c->a);
	record_set_text(&d, DF_NAME, name);
	if (parent)
		record_set_int(&d, DF_PARENT, parent);
	if (prefix)
		record_set_text(&d, DF_CODE_PREFIX, prefix);
	int64_t id = 0;
	UNIT_OK(svc_dept_create(&c->s, &d, &id), &c->e);
	assert_true(id > 0);
	return id;
}

static inline int64_t unit_make_user(unit_ctx *c, const char *username, const char *role,
                                     int64_t dept, int64_t supervisor, const char *scope)
{
	kh_record u;
	record_init(&u, &user_entity, &c->a);
	record_set_text(&u, UF_USERNAME, username);
	record_set_text(&u, UF_DISPLAY_NAME, username);
	record_set_text(&u, UF_ROLE, role);
	if (dept)
		record_set_int(&u, UF_DEPARTMENT, dept);
	if (supervisor)
		record_set_int(&u, UF_SUPERVISOR, supervisor);
	if (scope)
		record_set_text(&u, UF_SCOPE, scope);
	const char *generated = NULL;
	int64_t id = 0;
	UNIT_OK(svc_user_create(&c->s, &u, UNIT_PASSWORD, &generated, &id), &c->e);
	assert_true(id > 0);
	return id;
}

/* A fresh database with the schema, the bootstrap data and the organisation. */
static inline void unit_org_build(unit_org *o)
{
	log_init_from_env(); /* ctest sets KEHU_LOG=warn */
	memset(o, 0, sizeof(*o));
	o->path = unit_db_path();
	arena a = ARENA_INIT;
	kh_err e;
	err_init(&e, &a, KH_LANG_EN);
	UNIT_OK(store_open(o->path, &o->db, &e), &e);
	arena_release(&a);

	unit_ctx c;
	unit_ctx_open(&c, o->db);
	const char *generated = NULL;
	UNIT_OK(svc_bootstrap(&c.s, UNIT_PASSWORD, &generated), &c.e);
	assert_null(generated);
	svc_act_as_system(&c.s);

	kh_record *depts;
	int nd = 0;
	UNIT_OK(svc_dept_list(&c.s, &depts, &nd), &c.e);
	assert_int_equal(nd, 1); /* the head office */
	o->hq = depts[0].v[F_ID].i;
	o->sales = unit_make_dept(&c, "销售部", o->hq, "XS");
	o->east = unit_make_dept(&c, "华东销售组", o->sales, NULL);
	o->south = unit_make_dept(&c, "华南销售组", o->sales, NULL);
	o->service = unit_make_dept(&c, "客服部", o->hq, "KF");
	o->finance = unit_make_dept(&c, "财务部", o->hq, NULL);

	o->mgr = unit_make_user(&c, "mgr", "manager", o->sales, 0, NULL);
	o->lead = unit_make_user(&c, "lead", "sales", o->east, o->mgr, "own_sub");
	o->e1 = unit_make_user(&c, "e1", "sales", o->east, o->lead, NULL);
	o->e2 = unit_make_user(&c, "e2", "sales", o->east, o->e1, NULL);
	o->s1 = unit_make_user(&c, "s1", "sales", o->south, o->mgr, NULL);
	o->svc1 = unit_make_user(&c, "svc1", "service", o->service, 0, NULL);
	o->fin1 = unit_make_user(&c, "fin1", "finance", o->finance, 0, NULL);
	o->viewer = unit_make_user(&c, "viewer", "viewer", o->east, 0, NULL);
	o->viewer_sales = unit_make_user(&c, "viewer_sales", "viewer", o->sales, 0, "dept");

	const kh_record *admin = snap_user_by_name(c.s.snap, "admin");
	assert_non_null(admin);
	o->admin = admin->v[F_ID].i;
	o->year = date_current_year(KH_DEFAULT_TZ_MINUTES);
	unit_ctx_close(&c);
}

static inline void unit_org_free(unit_org *o)
{
	store_close(o->db);
	unit_db_remove(o->path);
	o->path = NULL;
	o->db = NULL;
}

/* cmocka group setup and teardown: one organisation for a whole test file. */
static inline int unit_org_setup(void **state)
{
	unit_org *o = calloc(1, sizeof(*o));
	assert_non_null(o);
	unit_org_build(o);
	*state = o;
	return 0;
}

static inline int unit_org_teardown(void **state)
{
	unit_org *o = *state;
	unit_org_free(o);
	free(o);
	return 0;
}

/* A customer record with every required field set (owner left to the caller). */
static inline void unit_customer_record(kh_record *r, arena *a, const char *name)
{
	record_init(r, &customer_entity, a);
	record_set_text(r, CF_NAME, name);
	record_set_text(r, CF_SOURCE, "online");
	record_set_text(r, CF_STATUS, "potential");
	record_set_text(r, CF_FIRST_CONTACT_DATE, "2024-05-10");
	record_set_text(r, CF_REQUIREMENT, "需要一套客户管理系统");
}

/* A contact record (name and phone). */
static inline void unit_contact_record(kh_record *r, arena *a, const char *name, const char *phone)
{
	record_init(r, &contact_entity, a);
	record_set_text(r, KF_NAME, name);
	record_set_text(r, KF_PHONE, phone);
}

/* A follow-up of customer cid on date by c's actor ("沟通"), with next step step
 * (due the same day) unless NULL. Returns the id. */
static inline int64_t unit_followup_new(unit_ctx *c, int64_t cid, const char *date,
                                        const char *step)
{
	kh_record f;
	record_init(&f, &followup_entity, &c->a);
	record_set_int(&f, UPF_CUSTOMER, cid);
	record_set_text(&f, UPF_DATE, date);
	record_set_text(&f, UPF_CONTENT, "沟通");
	if (step) {
		record_set_text(&f, UPF_NEXT_STEP, step);
		record_set_text(&f, UPF_NEXT_STEP_DUE, date);
	}
	int64_t id = 0;
	UNIT_OK(svc_record_create(&c->s, &followup_kind, &f, &id), &c->e);
	return id;
}

/* Create a customer as c's actor, owned by owner (0: the actor), with one
 * contact when phone is given. Returns the id. */
static inline int64_t unit_customer_new(unit_ctx *c, const char *name, int64_t owner,
                                        const char *phone)
{
	kh_record r, k;
	unit_customer_record(&r, &c->a, name);
	if (owner)
		record_set_int(&r, CF_OWNER, owner);
	int nk = 0;
	if (phone) {
		unit_contact_record(&k, &c->a, "王芳", phone);
		nk = 1;
	}
	int64_t id = 0;
	UNIT_OK(svc_customer_create(&c->s, &r, nk ? &k : NULL, nk, &id), &c->e);
	assert_true(id > 0);
	return id;
}

/* Change a role by permission bits and scope (through svc_role_patch's names). */
static inline int unit_role_update(svc *s, const char *code, int64_t version, uint32_t perms,
                                   kh_scope scope)
{
	const char *names[32];
	int n = 0;
	for (uint32_t bit = 1; bit & PERM__ALL; bit <<= 1)
		if (perms & bit)
			names[n++] = perm_name((kh_perm)bit);
	return svc_role_patch(s, code, version, names, n, scope_code(scope), NULL);
}

/* The current version of a role (for unit_role_update). */
static inline int64_t unit_role_version(unit_ctx *c, const char *code)
{
	role_row *roles;
	int n = 0;
	UNIT_OK(svc_role_list(&c->s, &roles, &n), &c->e);
	for (int i = 0; i < n; i++)
		if (!strcmp(roles[i].code, code))
			return roles[i].version;
	return 0;
}

/* The stored version of customer id (read as kehu itself). */
static inline int64_t unit_customer_version(store *db, int64_t id)
{
	unit_ctx c;
	unit_ctx_system(&c, db);
	kh_record r;
	UNIT_OK(svc_customer_get(&c.s, id, true, &r, NULL, NULL), &c.e);
	int64_t v = r.v[F_VERSION].i;
	unit_ctx_close(&c);
	return v;
}

#endif /* UNIT_WITH_SERVICE */

#endif
