/*
 * test_service_records — follow-ups and orders at the service level, on the
 * engine of KEHU_TEST_ENGINE: THE invariant (after any sequence of order
 * creates, edits, deletes and restores, the customer's derived deal fields
 * equal its opening balance plus its live orders, and the per customer,
 * product and month sums equal the orders'), the latest follow-up speaking for
 * the customer, the bulk path of demo data agreeing with the one-by-one path,
 * and refused writes leaving nothing behind.
 */
#define UNIT_WITH_SERVICE
#include "unit.h"

#include <time.h>

#include "core/activity.h"
#include "store/store_int.h"

#define MAX_ORDERS 400
#define NCUST      3

typedef struct model_order {
	int64_t id, version, customer, amount, cost;
	char date[11];
	const char *product; /* NULL: none */
	bool has_cost, live, exists;
} model_order;

static const char *const products[] = {"office_equipment", "training", "consulting", NULL};

static uint64_t rnd_state;
static int rnd(int n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (int)(rnd_state % (uint64_t)n);
}

static void random_date(svc *s, char out[11])
{
	static const int back[] = {0, 3, 30, 100, 179, 182, 250, 400, 800};
	int y, m, d;
	date_parse(svc_today(s), &y, &m, &d);
	int64_t days = date_to_days(y, m, d) - back[rnd(9)] - rnd(3);
	date_from_days(days, &y, &m, &d);
	date_format(out, y, m, d);
}

/* The customer's fields, recomputed from the model and compared. */
static void check_customer(unit_ctx *c, int64_t cid, const model_order *o, int n,
                           const kh_record *opening, int step)
{
	kh_record cust;
	UNIT_OK(svc_customer_get(&c->s, cid, false, &cust, NULL, NULL), &c->e);
	int64_t count = record_int(opening, CF_OPENING_DEAL_COUNT, 0);
	int64_t amount = record_int(opening, CF_OPENING_DEAL_AMOUNT, 0);
	const char *first = record_text(opening, CF_OPENING_FIRST_DEAL_DATE);
	const char *last = record_text(opening, CF_OPENING_LAST_DEAL_DATE);
	for (int i = 0; i < n; i++) {
		if (!o[i].live || o[i].customer != cid)
			continue;
		count++;
		amount += o[i].amount;
		if (!first || strcmp(o[i].date, first) < 0)
			first = o[i].date;
		if (!last || strcmp(o[i].date, last) > 0)
			last = o[i].date;
	}
	const char *stage = customer_stage(count, last, record_text(&cust, CF_STATUS),
	                                   svc_today(&c->s), 3, 180);
	const char *got_first = record_text(&cust, CF_FIRST_DEAL_DATE);
	const char *got_last = record_text(&cust, CF_LAST_DEAL_DATE);
	if (record_int(&cust, CF_DEAL_COUNT, -1) != count ||
	    record_int(&cust, CF_DEAL_AMOUNT, -1) != amount ||
	    (first ? !got_first || strcmp(first, got_first) : got_first != NULL) ||
	    (last ? !got_last || strcmp(last, got_last) : got_last != NULL) ||
	    strcmp(record_text(&cust, CF_STAGE), stage) != 0)
		fail_msg("step %d, customer %lld: have %lld/%lld/%s/%s/%s, want "
		         "%lld/%lld/%s/%s/%s",
		         step, (long long)cid, (long long)record_int(&cust, CF_DEAL_COUNT, -1),
		         (long long)record_int(&cust, CF_DEAL_AMOUNT, -1),
		         got_first ? got_first : "-", got_last ? got_last : "-",
		         record_text(&cust, CF_STAGE), (long long)count, (long long)amount,
		         first ? first : "-", last ? last : "-", stage);
}

/* sales_cpm of the customers equals the model's sums (rows with no order left
 * may remain with zeros). */
static void check_cpm(unit_ctx *c, const int64_t *cust, const model_order *o, int n, int step)
{
	store_stmt *st =
	        stmt_prepare(c->s.db,
	                     "SELECT customer_id, product, month, orders, amount, cost "
	                     "FROM sales_cpm WHERE customer_id IN (?, ?, ?) AND orders <> 0",
	                     &c->e);
	assert_non_null(st);
	for (int i = 0; i < NCUST; i++)
		stmt_bind_int(st, i + 1, cust[i]);
	int rows = 0, rc;
	while ((rc = stmt_step(st, &c->e)) == STMT_ROW) {
		rows++;
		int64_t cid = stmt_int(st, 0);
		const char *prod = stmt_text(st, 1);
		const char *month = stmt_text(st, 2);
		int64_t k = 0, amount = 0, cost = 0;
		for (int i = 0; i < n; i++)
			if (o[i].live && o[i].customer == cid &&
			    !strcmp(o[i].product ? o[i].product : "", prod) &&
			    !strncmp(o[i].date, month, 7)) {
				k++;
				amount += o[i].amount;
				cost += o[i].has_cost ? o[i].cost : 0;
			}
		if (k != stmt_int(st, 3) || amount != stmt_int(st, 4) || cost != stmt_int(st, 5))
			fail_msg("step %d: sales_cpm %lld/%s/%s has %lld/%lld/%lld, orders say "
			         "%lld/%lld/%lld",
			         step, (long long)cid, prod, month, (long long)stmt_int(st, 3),
			         (long long)stmt_int(st, 4), (long long)stmt_int(st, 5),
			         (long long)k, (long long)amount, (long long)cost);
	}
	stmt_done(st);
	assert_int_equal(rc, STMT_DONE);
	/* and every group of live orders has its row */
	int groups = 0;
	for (int i = 0; i < n; i++) {
		if (!o[i].live)
			continue;
		bool seen = false;
		for (int j = 0; j < i && !seen; j++)
			seen = o[j].live && o[j].customer == o[i].customer &&
			       (o[j].product ? o[i].product && !strcmp(o[j].product, o[i].product)
			                     : !o[i].product) &&
			       !strncmp(o[j].date, o[i].date, 7);
		groups += !seen;
	}
	if (groups != rows)
		fail_msg("step %d: %d sums in sales_cpm, %d groups of orders", step, rows, groups);
}

static void set_order_fields(kh_record *r, const model_order *m)
{
	record_set_text(r, ORF_DATE, m->date);
	record_set_int(r, ORF_AMOUNT, m->amount);
	if (m->product)
		record_set_text(r, ORF_PRODUCT, m->product);
	else
		record_set_null(r, ORF_PRODUCT);
	if (m->has_cost)
		record_set_int(r, ORF_COST, m->cost);
	else
		record_set_null(r, ORF_COST);
}

static void random_orders_keep_the_invariant(void **state)
{
	unit_org *org = *state;
	const char *env = getenv("KEHU_TEST_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
	fprintf(stderr, "[invariant] seed %llu (KEHU_TEST_SEED repeats it)\n",
	        (unsigned long long)seed);
	rnd_state = seed * 2654435761u + 1;

	unit_ctx c;
	unit_ctx_system(&c, org->db);
	int64_t cust[NCUST];
	kh_record opening[NCUST];
	for (int i = 0; i < NCUST; i++) {
		kh_record r;
		unit_customer_record(&r, &c.a, i == 0 ? "老客户有限公司" : "新客户有限公司");
		record_set_int(&r, CF_OWNER, org->e1);
		record_set_text(&r, CF_STATUS, i == 2 ? "paused" : "active");
		if (i == 0) { /* history before kehu: the opening balance */
			c.s.allow_derived = true;
			record_set_int(&r, CF_DEAL_COUNT, 4);
			record_set_int(&r, CF_DEAL_AMOUNT, 1234500);
			record_set_text(&r, CF_FIRST_DEAL_DATE, "2019-03-01");
			record_set_text(&r, CF_LAST_DEAL_DATE, "2021-06-30");
		}
		UNIT_OK(svc_customer_create(&c.s, &r, NULL, 0, &cust[i]), &c.e);
		c.s.allow_derived = false;
		UNIT_OK(svc_customer_get(&c.s, cust[i], false, &opening[i], NULL, NULL), &c.e);
	}
	assert_int_equal(record_int(&opening[0], CF_OPENING_DEAL_COUNT, 0), 4);
	assert_int_equal(record_int(&opening[0], CF_DEAL_AMOUNT, 0), 1234500);
	assert_string_equal(record_text(&opening[0], CF_STAGE), "lost"); /* old history */

	static model_order o[MAX_ORDERS];
	memset(o, 0, sizeof(o));
	int n = 0;
	for (int step = 1; step <= 300; step++) {
		err_clear(&c.e);
		int action = rnd(100);
		int pickd = n ? rnd(n) : 0;
		if (n == 0 || (action < 40 && n < MAX_ORDERS)) {
			model_order *m = &o[n];
			m->customer = cust[rnd(NCUST)];
			random_date(&c.s, m->date);
			m->amount = rnd(50000000);
			m->product = products[rnd(4)];
			m->has_cost = rnd(2);
			m->cost = m->has_cost ? rnd(1000000) : 0;
			kh_record r;
			record_init(&r, &order_entity, &c.a);
			record_set_int(&r, ORF_CUSTOMER, m->customer);
			set_order_fields(&r, m);
			UNIT_OK(svc_record_create(&c.s, &order_kind, &r, &m->id), &c.e);
			m->version = 1;
			m->live = m->exists = true;
			n++;
			pickd = n - 1;
		} else if (action < 70 && o[pickd].live) {
			model_order *m = &o[pickd], next = *m;
			if (rnd(2))
				next.amount = rnd(50000000);
			if (rnd(2))
				random_date(&c.s, next.date);
			if (rnd(3) == 0)
				next.product = products[rnd(4)];
			if (rnd(4) == 0) {
				next.has_cost = rnd(2);
				next.cost = next.has_cost ? rnd(1000000) : 0;
			}
			kh_record patch;
			record_init(&patch, &order_entity, &c.a);
			set_order_fields(&patch, &next);
			UNIT_OK(svc_record_update(&c.s, &order_kind, m->id, m->version, &patch),
			        &c.e);
			kh_record now;
			UNIT_OK(svc_record_get(&c.s, &order_kind, m->id, &now), &c.e);
			next.version = now.v[F_VERSION].i;
			*m = next;
			/* the stale version is refused and changes nothing */
			if (rnd(5) == 0 && next.version > 1) {
				record_init(&patch, &order_entity, &c.a);
				record_set_int(&patch, ORF_AMOUNT, 1);
				assert_int_equal(svc_record_update(&c.s, &order_kind, m->id,
				                                   m->version - 1, &patch),
				                 -1);
				assert_int_equal(c.e.code, KH_ECONFLICT);
			}
		} else if (action < 85 && o[pickd].live) {
			UNIT_OK(svc_record_delete(&c.s, &order_kind, o[pickd].id, o[pickd].version),
			        &c.e);
			o[pickd].live = false;
			o[pickd].version++;
		} else if (!o[pickd].live) {
			UNIT_OK(svc_record_restore(&c.s, &order_kind, o[pickd].id,
			                           o[pickd].version),
			        &c.e);
			o[pickd].live = true;
			o[pickd].version++;
		} else {
			/* an invalid change is refused whole */
			kh_record patch;
			record_init(&patch, &order_entity, &c.a);
			record_set_int(&patch, ORF_AMOUNT, 5);
			record_set_text(&patch, ORF_PRODUCT, "no_such_product");
			assert_int_equal(svc_record_update(&c.s, &order_kind, o[pickd].id,
			                                   o[pickd].version, &patch),
			                 -1);
			assert_true(unit_has_field_error(&c.e, "product"));
		}
		err_clear(&c.e);
		for (int i = 0; i < NCUST; i++)
			if (cust[i] == o[pickd].customer || step % 25 == 0)
				check_customer(&c, cust[i], o, n, &opening[i], step);
		check_cpm(&c, cust, o, n, step);
	}
	unit_ctx_close(&c);
}

static void expect_next(unit_ctx *c, int64_t cid, const char *last, const char *step)
{
	kh_record cust;
	UNIT_OK(svc_customer_get(&c->s, cid, false, &cust, NULL, NULL), &c->e);
	const char *got_last = record_text(&cust, CF_LAST_FOLLOWUP_DATE);
	const char *got_step = record_text(&cust, CF_NEXT_STEP);
	if ((last ? !got_last || strcmp(last, got_last) : got_last != NULL) ||
	    (step ? !got_step || strcmp(step, got_step) : got_step != NULL))
		fail_msg("customer has %s / %s, want %s / %s", got_last ? got_last : "-",
		         got_step ? got_step : "-", last ? last : "-", step ? step : "-");
}

static void the_latest_followup_speaks_for_the_customer(void **state)
{
	unit_org *org = *state;
	unit_ctx c;
	unit_ctx_user(&c, org->db, org->e1);
	int64_t cid = unit_customer_new(&c, "跟进规则有限公司", 0, NULL);
	int64_t a = unit_followup_new(&c, cid, "2024-05-01", "甲");
	int64_t b = unit_followup_new(&c, cid, "2024-06-01", "乙");
	unit_followup_new(&c, cid, "2024-04-01", "丙"); /* older: changes nothing */
	expect_next(&c, cid, "2024-06-01", "乙");
	/* the latest moved before another one */
	kh_record patch;
	record_init(&patch, &followup_entity, &c.a);
	record_set_text(&patch, UPF_DATE, "2024-03-01");
	UNIT_OK(svc_record_update(&c.s, &followup_kind, b, 1, &patch), &c.e);
	expect_next(&c, cid, "2024-05-01", "甲");
	/* the owner defaults to the one who logs it */
	kh_record got;
	UNIT_OK(svc_record_get(&c.s, &followup_kind, b, &got), &c.e);
	assert_int_equal(record_int(&got, UPF_OWNER, 0), org->e1);
	/* deleting the latest, then all */
	UNIT_OK(svc_record_delete(&c.s, &followup_kind, a, 1), &c.e);
	expect_next(&c, cid, "2024-04-01", "丙");
	kh_record *rows;
	list_page page;
	UNIT_OK(svc_record_list(&c.s, &followup_kind, cid, NULL, 0, &page), &c.e);
	rows = page.rows;
	for (int i = 0; i < page.n; i++)
		UNIT_OK(svc_record_delete(&c.s, &followup_kind, rows[i].v[F_ID].i,
		                          rows[i].v[F_VERSION].i),
		        &c.e);
	expect_next(&c, cid, NULL, NULL);
	UNIT_OK(svc_record_restore(&c.s, &followup_kind, a, 2), &c.e);
	expect_next(&c, cid, "2024-05-01", "甲");
	unit_ctx_close(&c);
}

static void refused_writes_leave_nothing(void **state)
{
	unit_org *org = *state;
	unit_ctx c;
	unit_ctx_user(&c, org->db, org->s1);
	int64_t theirs = unit_customer_new(&c, "华南客户有限公司", 0, NULL);
	unit_ctx_close(&c);

	/* e1 does not see s1's customer: as if it did not exist, the field named */
	unit_ctx_user(&c, org->db, org->e1);
	kh_record r;
	record_init(&r, &order_entity, &c.a);
	record_set_int(&r, ORF_CUSTOMER, theirs);
	record_set_text(&r, ORF_DATE, "2024-06-01");
	record_set_int(&r, ORF_AMOUNT, 100);
	int64_t id = 0;
	assert_int_equal(svc_record_create(&c.s, &order_kind, &r, &id), -1);
	assert_true(unit_has_field_error(&c.e, "customer_id"));
	unit_ctx_close(&c);

	/* viewers write nothing; finance may write orders but not follow-ups */
	unit_ctx_user(&c, org->db, org->viewer);
	record_init(&r, &order_entity, &c.a);
	record_set_int(&r, ORF_CUSTOMER, theirs);
	record_set_text(&r, ORF_DATE, "2024-06-01");
	record_set_int(&r, ORF_AMOUNT, 100);
	assert_int_equal(svc_record_create(&c.s, &order_kind, &r, &id), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	unit_ctx_close(&c);
	unit_ctx_user(&c, org->db, org->fin1);
	record_init(&r, &followup_entity, &c.a);
	record_set_int(&r, UPF_CUSTOMER, theirs);
	record_set_text(&r, UPF_DATE, "2024-06-01");
	record_set_text(&r, UPF_CONTENT, "x");
	assert_int_equal(svc_record_create(&c.s, &followup_kind, &r, &id), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	err_clear(&c.e);
	record_init(&r, &order_entity, &c.a);
	record_set_int(&r, ORF_CUSTOMER, theirs);
	record_set_text(&r, ORF_DATE, "2024-06-01");
	record_set_int(&r, ORF_AMOUNT, 100);
	UNIT_OK(svc_record_create(&c.s, &order_kind, &r, &id), &c.e);
	/* a bad amount: nothing written, the customer unchanged */
	record_init(&r, &order_entity, &c.a);
	record_set_int(&r, ORF_CUSTOMER, theirs);
	record_set_text(&r, ORF_DATE, "2024-06-01");
	record_set_int(&r, ORF_AMOUNT, -5);
	int64_t bad = 0;
	assert_int_equal(svc_record_create(&c.s, &order_kind, &r, &bad), -1);
	assert_true(unit_has_field_error(&c.e, "amount"));
	err_clear(&c.e);
	kh_record cust;
	UNIT_OK(svc_customer_get(&c.s, theirs, false, &cust, NULL, NULL), &c.e);
	assert_int_equal(record_int(&cust, CF_DEAL_COUNT, 0), 1);
	assert_int_equal(record_int(&cust, CF_DEAL_AMOUNT, 0), 100);
	unit_ctx_close(&c);
}

/* The demo's one-go path gives the customer what record-by-record gives. */
static void history_in_one_go_equals_one_by_one(void **state)
{
	unit_org *org = *state;
	unit_ctx c;
	unit_ctx_system(&c, org->db);
	int64_t one = unit_customer_new(&c, "逐条客户有限公司", org->e1, NULL);
	int64_t bulk = unit_customer_new(&c, "批量客户有限公司", org->e1, NULL);
	static const struct {
		const char *date, *product;
		int64_t amount;
	} orders[] = {{"2024-01-05", "training", 1000},
	              {"2024-01-20", "training", 2500},
	              {"2023-12-31", NULL, 700},
	              {"2024-03-01", "consulting", 99900}};
	static const struct {
		const char *date, *step;
	} fups[] = {{"2024-02-01", "报价"}, {"2024-02-01", "同日第二次"}, {"2024-01-01", "首次"}};
	kh_record f[3], o[4];
	for (int i = 0; i < 3; i++) {
		kh_record x;
		record_init(&x, &followup_entity, &c.a);
		record_set_int(&x, UPF_CUSTOMER, one);
		record_set_text(&x, UPF_DATE, fups[i].date);
		record_set_text(&x, UPF_CONTENT, "沟通");
		record_set_text(&x, UPF_NEXT_STEP, fups[i].step);
		record_copy(&f[i], &x, &c.a);
		f[i].v[UPF_CUSTOMER].state = V_ABSENT;
		int64_t id;
		UNIT_OK(svc_record_create(&c.s, &followup_kind, &x, &id), &c.e);
	}
	for (int i = 0; i < 4; i++) {
		kh_record x;
		record_init(&x, &order_entity, &c.a);
		record_set_int(&x, ORF_CUSTOMER, one);
		record_set_text(&x, ORF_DATE, orders[i].date);
		if (orders[i].product)
			record_set_text(&x, ORF_PRODUCT, orders[i].product);
		record_set_int(&x, ORF_AMOUNT, orders[i].amount);
		record_copy(&o[i], &x, &c.a);
		int64_t id;
		UNIT_OK(svc_record_create(&c.s, &order_kind, &x, &id), &c.e);
	}
	UNIT_OK(store_begin(c.s.db, &c.e), &c.e);
	UNIT_OK(activity_add_history(&c.s, bulk, f, 3, o, 4), &c.e);
	UNIT_OK(store_commit(c.s.db, &c.e), &c.e);
	kh_record a, b;
	UNIT_OK(svc_customer_get(&c.s, one, false, &a, NULL, NULL), &c.e);
	UNIT_OK(svc_customer_get(&c.s, bulk, false, &b, NULL, NULL), &c.e);
	static const int same[] = {
	        CF_DEAL_COUNT,         CF_DEAL_AMOUNT, CF_FIRST_DEAL_DATE, CF_LAST_DEAL_DATE,
	        CF_LAST_FOLLOWUP_DATE, CF_NEXT_STEP,   CF_NEXT_STEP_DUE,   CF_STAGE};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		if (!value_equal(customer_entity.fields[same[i]].type, &a.v[same[i]],
		                 &b.v[same[i]]))
			fail_msg("%s differs", customer_entity.fields[same[i]].name);
	assert_string_equal(record_text(&b, CF_NEXT_STEP), "同日第二次");
	assert_int_equal(record_int(&b, CF_DEAL_AMOUNT, 0), 104100);
	int64_t n1 = 0, n2 = 0;
	assert_int_equal(stmt_query_int(c.s.db, &c.e, &n1,
	                                "SELECT SUM(orders * 1000000 + amount) FROM sales_cpm "
	                                "WHERE customer_id = ?",
	                                "i", one),
	                 1); /* a row */
	assert_int_equal(stmt_query_int(c.s.db, &c.e, &n2,
	                                "SELECT SUM(orders * 1000000 + amount) FROM sales_cpm "
	                                "WHERE customer_id = ?",
	                                "i", bulk),
	                 1); /* a row */
	assert_int_equal(n1, 4 * 1000000 + 104100);
	assert_int_equal(n1, n2);
	unit_ctx_close(&c);
}

/* A ticket walked through its statuses in one go (the demo's path) ends as the
 * create and updates at the same moments leave it: fields, version, history. */
static void walk_in_one_go_equals_step_by_step(void **state)
{
	unit_org *org = *state;
	unit_ctx c;
	unit_ctx_system(&c, org->db);
	int64_t cid = unit_customer_new(&c, "工单步骤客户有限公司", org->e1, NULL);
	static const char *const at[] = {"2024-03-01T01:00:00Z", "2024-03-01T03:30:00Z",
	                                 "2024-03-04T06:00:00Z"};
	kh_record steps[2];
	record_init(&steps[0], &ticket_entity, &c.a);
	record_set_text(&steps[0], TKF_STATUS, TICKET_IN_PROGRESS);
	record_set_int(&steps[0], TKF_HANDLER, org->e1);
	record_init(&steps[1], &ticket_entity, &c.a);
	record_set_text(&steps[1], TKF_STATUS, TICKET_RESOLVED);
	record_set_text(&steps[1], TKF_RESOLUTION, "更换部件");
	record_set_int(&steps[1], TKF_SATISFACTION, 4);
	int64_t ids[2];
	for (int way = 0; way < 2; way++) {
		kh_record t;
		record_init(&t, &ticket_entity, &c.a);
		record_set_int(&t, TKF_CUSTOMER, cid);
		record_set_text(&t, TKF_CONTENT, "设备异响");
		if (way == 0) {
			c.s.clock = at[0];
			UNIT_OK(svc_record_create(&c.s, &ticket_kind, &t, &ids[0]), &c.e);
			for (int i = 0; i < 2; i++) {
				kh_record p;
				record_copy(&p, &steps[i], &c.a);
				c.s.clock = at[i + 1];
				UNIT_OK(svc_record_update(&c.s, &ticket_kind, ids[0], i + 1, &p),
				        &c.e);
			}
			c.s.clock = NULL;
			continue;
		}
		kh_record walk[2];
		for (int i = 0; i < 2; i++)
			record_copy(&walk[i], &steps[i], &c.a);
		history_row *hist;
		int nhist;
		UNIT_OK(record_walk_check(&c.s, &ticket_kind, &t, walk, 2, at, &hist, &nhist),
		        &c.e);
		UNIT_OK(store_begin(c.s.db, &c.e), &c.e);
		UNIT_OK(record_walk_txn(&c.s, &ticket_kind, &t, hist, nhist), &c.e);
		UNIT_OK(store_commit(c.s.db, &c.e), &c.e);
		ids[1] = t.v[F_ID].i;
	}
	kh_record a, b;
	UNIT_OK(svc_record_get(&c.s, &ticket_kind, ids[0], &a), &c.e);
	UNIT_OK(svc_record_get(&c.s, &ticket_kind, ids[1], &b), &c.e);
	for (int f = 0; f < ticket_entity.nfields; f++)
		if (f != F_ID && !value_equal(ticket_entity.fields[f].type, &a.v[f], &b.v[f]))
			fail_msg("%s differs", ticket_entity.fields[f].name);
	assert_string_equal(record_text(&b, TKF_STARTED_AT), at[1]);
	assert_string_equal(record_text(&b, TKF_RESOLVED_AT), at[2]);
	assert_int_equal(b.v[F_VERSION].i, 3);
	history_row *h1, *h2;
	int n1, n2;
	UNIT_OK(svc_record_history(&c.s, &ticket_kind, ids[0], &h1, &n1), &c.e);
	UNIT_OK(svc_record_history(&c.s, &ticket_kind, ids[1], &h2, &n2), &c.e);
	assert_int_equal(n1, 3);
	assert_int_equal(n2, 3);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(h1[i].state, h2[i].state);
		assert_string_equal(h1[i].at, at[i]);
		assert_string_equal(h2[i].at, at[i]);
	}
	unit_ctx_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(random_orders_keep_the_invariant),
	        cmocka_unit_test(the_latest_followup_speaks_for_the_customer),
	        cmocka_unit_test(refused_writes_leave_nothing),
	        cmocka_unit_test(history_in_one_go_equals_one_by_one),
	        cmocka_unit_test(walk_in_one_go_equals_step_by_step),
	};
	return cmocka_run_group_tests(tests, unit_org_setup, unit_org_teardown);
}
