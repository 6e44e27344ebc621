/*
 * test_service_evaluation — relationship evaluations and countermeasures through
 * the use cases: the scoring arithmetic (weighted total, half-up rounding, grade
 * bands, recommendation thresholds), the default indicators, a new evaluation
 * scoring every active indicator, errors naming the indicator, weights that must
 * sum to 100, old evaluations unmoved by later weight changes and retirements,
 * the customer's latest recommendation, data scope and permissions.
 */
#define UNIT_WITH_SERVICE
#include "unit.h"

#include "core/evaluation.h"

/* ---- the arithmetic, without a database ---- */

static void weighted_total_rounds_half_up(void **state)
{
	(void)state;
	eval_item four[] = {{30, 100, 80}, {30, 100, 90}, {20, 100, 70}, {20, 100, 60}};
	assert_int_equal(eval_total(four, 4), 24 + 27 + 14 + 12);
	/* 75.5 rounds up, 75.25 down */
	eval_item half[] = {{50, 100, 75}, {50, 100, 76}};
	assert_int_equal(eval_total(half, 2), 76);
	eval_item quarter[] = {{75, 100, 75}, {25, 100, 76}};
	assert_int_equal(eval_total(quarter, 2), 75);
	/* five-point and hundred-point scales mixed: 60 * 4/5 + 40 * 50/100 = 68 */
	eval_item mixed[] = {{60, 5, 4}, {40, 100, 50}};
	assert_int_equal(eval_total(mixed, 2), 68);
	/* thirds add up exactly: 1/3 + 1/3 + 1/3 of full marks is 100, not 99 */
	eval_item thirds[] = {{1, 3, 3}, {1, 3, 3}, {1, 3, 3}};
	assert_int_equal(eval_total(thirds, 3), 100);
	/* weights not summing to 100 are scaled (a stored evaluation keeps its own) */
	eval_item two[] = {{1, 10, 5}, {1, 10, 10}};
	assert_int_equal(eval_total(two, 2), 75);
	assert_int_equal(eval_total(NULL, 0), 0);
}

static void grades_and_recommendations_follow_the_bands(void **state)
{
	(void)state;
	eval_bands b = {90, 80, 70, 60};
	assert_string_equal(eval_grade(90, 100, &b), "A");
	assert_string_equal(eval_grade(89, 100, &b), "B");
	assert_string_equal(eval_grade(80, 100, &b), "B");
	assert_string_equal(eval_grade(79, 100, &b), "C");
	assert_string_equal(eval_grade(60, 100, &b), "D");
	assert_string_equal(eval_grade(59, 100, &b), "E");
	/* a percentage of the full score: 4 of 5 is 80 % */
	assert_string_equal(eval_grade(4, 5, &b), "B");
	assert_string_equal(eval_grade(5, 5, &b), "A");
	assert_string_equal(eval_advice(80, 80, 60), "develop");
	assert_string_equal(eval_advice(79, 80, 60), "maintain");
	assert_string_equal(eval_advice(60, 80, 60), "maintain");
	assert_string_equal(eval_advice(59, 80, 60), "terminate");
}

/* ---- helpers ---- */

/* A score record naming the indicator by name. */
static void score(kh_record *r, arena *a, const char *name, int64_t value)
{
	record_init(r, &evaluation_score_entity, a);
	record_set_text(r, ESF_NAME, name);
	record_set_int(r, ESF_SCORE, value);
}

static void evaluation(kh_record *r, arena *a, int64_t customer, const char *date)
{
	record_init(r, &evaluation_entity, a);
	record_set_int(r, EVF_CUSTOMER, customer);
	record_set_text(r, EVF_DATE, date);
}

/* Evaluate customer on the four default indicators; returns the id (0 on refusal). */
static int64_t evaluate4(unit_ctx *c, int64_t customer, const char *date, int g, int cr, int p,
                         int pos)
{
	kh_record r, s[4];
	evaluation(&r, &c->a, customer, date);
	score(&s[0], &c->a, "成长率", g);
	score(&s[1], &c->a, "信用度", cr);
	score(&s[2], &c->a, "Total profit margin", p); /* the English name works too */
	score(&s[3], &c->a, "业界地位", pos);
	int64_t id = 0;
	if (svc_evaluation_create(&c->s, &r, s, 4, &id) < 0)
		return 0;
	return id;
}

/* The indicator named name (read as kehu itself). */
static kh_record indicator(store *db, arena *a, const char *name)
{
	unit_ctx c;
	unit_ctx_system(&c, db);
	kh_record *rows;
	int n;
	UNIT_OK(svc_indicator_list(&c.s, true, &rows, &n, NULL), &c.e);
	kh_record out = {0};
	for (int i = 0; i < n; i++)
		if (!strcmp(record_text(&rows[i], INF_NAME), name))
			record_copy(&out, &rows[i], a);
	assert_non_null(out.ent);
	unit_ctx_close(&c);
	return out;
}

/* Set an indicator's weight and retired flag as admin. */
static void set_indicator(store *db, int64_t admin, const char *name, int64_t weight, bool retired)
{
	arena a = ARENA_INIT;
	kh_record cur = indicator(db, &a, name);
	unit_ctx c;
	unit_ctx_user(&c, db, admin);
	kh_record p;
	record_init(&p, &indicator_entity, &c.a);
	record_set_int(&p, INF_WEIGHT, weight);
	record_set_int(&p, INF_RETIRED, retired);
	UNIT_OK(svc_indicator_update(&c.s, cur.v[F_ID].i, cur.v[F_VERSION].i, &p), &c.e);
	unit_ctx_close(&c);
	arena_release(&a);
}

static const char *relationship_of(unit_ctx *c, int64_t customer)
{
	kh_record cu;
	UNIT_OK(svc_customer_get(&c->s, customer, false, &cu, NULL, NULL), &c->e);
	return record_text(&cu, CF_RELATIONSHIP);
}

/* ---- the use cases ---- */

static void default_indicators_are_seeded(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	kh_record *rows;
	int n;
	int64_t weight;
	UNIT_OK(svc_indicator_list(&c.s, false, &rows, &n, &weight), &c.e);
	assert_int_equal(n, 4);
	assert_int_equal(weight, 100);
	assert_string_equal(record_text(&rows[0], INF_NAME), "成长率");
	assert_string_equal(record_text(&rows[3], INF_NAME), "业界地位");
	/* a salesperson reads them but may not change them */
	kh_record p;
	record_init(&p, &indicator_entity, &c.a);
	record_set_int(&p, INF_WEIGHT, 50);
	assert_int_equal(svc_indicator_update(&c.s, rows[0].v[F_ID].i, 1, &p), -1);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	unit_ctx_close(&c);
}

static void an_evaluation_is_scored_and_sets_the_customer(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	int64_t cust = unit_customer_new(&c, "评估测试一号公司", 0, NULL);
	int64_t id = evaluate4(&c, cust, "2024-06-01", 80, 90, 70, 60);
	if (!id)
		unit_print_err(&c.e);
	assert_true(id > 0);
	kh_record ev, *scores;
	int n;
	UNIT_OK(svc_evaluation_get(&c.s, id, &ev, &scores, &n), &c.e);
	assert_int_equal(record_int(&ev, EVF_TOTAL, -1), 75);
	assert_string_equal(record_text(&ev, EVF_GRADE), "C");
	assert_string_equal(record_text(&ev, EVF_ADVICE), "maintain");
	assert_int_equal(record_int(&ev, EVF_EVALUATOR, 0), o->e1);
	assert_int_equal(n, 4);
	assert_string_equal(record_text(&scores[1], ESF_NAME), "信用度");
	assert_int_equal(scores[1].v[ESF_WEIGHT].i, 25);
	assert_int_equal(scores[1].v[ESF_SCORE].i, 90);
	assert_string_equal(record_text(&scores[1], ESF_GRADE), "A");
	assert_string_equal(relationship_of(&c, cust), "maintain");
	/* a later evaluation speaks for the customer; deleting it gives the word back */
	int64_t later = evaluate4(&c, cust, "2024-07-01", 90, 90, 90, 90);
	assert_true(later > 0);
	assert_string_equal(relationship_of(&c, cust), "develop");
	int64_t older = evaluate4(&c, cust, "2024-01-01", 10, 10, 10, 10);
	assert_true(older > 0);
	assert_string_equal(relationship_of(&c, cust), "develop");
	kh_record lv;
	UNIT_OK(svc_record_get(&c.s, &evaluation_kind, later, &lv), &c.e);
	UNIT_OK(svc_record_delete(&c.s, &evaluation_kind, later, lv.v[F_VERSION].i), &c.e);
	assert_string_equal(relationship_of(&c, cust), "maintain");
	unit_ctx_close(&c);
}

static void errors_name_the_indicator(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	int64_t cust = unit_customer_new(&c, "评估测试二号公司", 0, NULL);
	kh_record r, s[4];
	evaluation(&r, &c.a, cust, "2024-06-01");
	score(&s[0], &c.a, "成长率", 80);
	score(&s[1], &c.a, "信用度", 101);
	score(&s[2], &c.a, "总利润率", 70);
	score(&s[3], &c.a, "市场占有率", 50);
	int64_t id = 0;
	assert_int_equal(svc_evaluation_create(&c.s, &r, s, 4, &id), -1);
	assert_int_equal(c.e.code, KH_EINVAL);
	assert_true(unit_has_field_error(&c.e, "scores.业界地位")); /* missing */
	assert_true(unit_has_field_error(&c.e, "scores.信用度"));   /* over 100 */
	assert_true(unit_has_field_error(&c.e, "scores[3]"));       /* no such indicator */
	assert_false(unit_has_field_error(&c.e, "scores.成长率"));
	/* nothing was written */
	list_page p;
	err_clear(&c.e);
	UNIT_OK(svc_record_list(&c.s, &evaluation_kind, cust, NULL, 0, &p), &c.e);
	assert_int_equal(p.n, 0);
	assert_null(relationship_of(&c, cust));
	/* the generic create, without scores, is refused too */
	evaluation(&r, &c.a, cust, "2024-06-01");
	assert_int_equal(svc_record_create(&c.s, &evaluation_kind, &r, &id), -1);
	assert_true(unit_has_field_error(&c.e, "scores"));
	unit_ctx_close(&c);
}

static void scope_and_permissions_apply(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	int64_t cust = unit_customer_new(&c, "评估测试三号公司", 0, NULL);
	int64_t id = evaluate4(&c, cust, "2024-06-01", 80, 80, 80, 80);
	assert_true(id > 0);
	unit_ctx_close(&c);

	/* s1 (another group) sees neither the evaluation nor the customer */
	unit_ctx_user(&c, o->db, o->s1);
	kh_record ev, *scores;
	int n;
	assert_int_equal(svc_evaluation_get(&c.s, id, &ev, &scores, &n), -1);
	assert_int_equal(c.e.code, KH_ENOTFOUND);
	err_clear(&c.e);
	assert_int_equal(evaluate4(&c, cust, "2024-06-02", 80, 80, 80, 80), 0);
	assert_int_equal(c.e.code, KH_EINVAL); /* customer_id: not found, as for follow-ups */
	assert_true(unit_has_field_error(&c.e, "customer_id"));
	unit_ctx_close(&c);

	/* the viewer of the group sees it but may not write */
	unit_ctx_user(&c, o->db, o->viewer);
	UNIT_OK(svc_evaluation_get(&c.s, id, &ev, &scores, &n), &c.e);
	assert_int_equal(n, 4);
	assert_int_equal(evaluate4(&c, cust, "2024-06-02", 80, 80, 80, 80), 0);
	assert_int_equal(c.e.code, KH_EFORBIDDEN);
	unit_ctx_close(&c);
}

static void changing_scores_recomputes_and_keeps_the_form(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	int64_t cust = unit_customer_new(&c, "评估测试四号公司", 0, NULL);
	int64_t id = evaluate4(&c, cust, "2024-06-01", 60, 60, 60, 60);
	assert_true(id > 0);
	assert_string_equal(relationship_of(&c, cust), "maintain");
	kh_record patch, s[1];
	record_init(&patch, &evaluation_entity, &c.a);
	score(&s[0], &c.a, "成长率", 100);
	/* a stale version is refused, and changes nothing */
	assert_int_equal(svc_evaluation_update(&c.s, id, 7, &patch, s, 1), -1);
	assert_int_equal(c.e.code, KH_ECONFLICT);
	err_clear(&c.e);
	record_init(&patch, &evaluation_entity, &c.a);
	UNIT_OK(svc_evaluation_update(&c.s, id, 1, &patch, s, 1), &c.e);
	kh_record ev, *scores;
	int n;
	UNIT_OK(svc_evaluation_get(&c.s, id, &ev, &scores, &n), &c.e);
	assert_int_equal(record_int(&ev, EVF_TOTAL, -1), 70); /* 25 + 15 + 15 + 15 */
	assert_int_equal(ev.v[F_VERSION].i, 2);
	assert_int_equal(scores[0].v[ESF_SCORE].i, 100);
	assert_int_equal(scores[1].v[ESF_SCORE].i, 60);
	/* the basis alone still moves the version */
	kh_record b[1];
	record_init(&b[0], &evaluation_score_entity, &c.a);
	record_set_text(&b[0], ESF_NAME, "信用度");
	record_set_text(&b[0], ESF_BASIS, "回款及时");
	record_init(&patch, &evaluation_entity, &c.a);
	UNIT_OK(svc_evaluation_update(&c.s, id, 2, &patch, b, 1), &c.e);
	UNIT_OK(svc_evaluation_get(&c.s, id, &ev, &scores, &n), &c.e);
	assert_int_equal(ev.v[F_VERSION].i, 3);
	assert_string_equal(record_text(&scores[1], ESF_BASIS), "回款及时");
	assert_int_equal(scores[1].v[ESF_SCORE].i, 60);
	/* results cannot be typed in */
	record_init(&patch, &evaluation_entity, &c.a);
	record_set_int(&patch, EVF_TOTAL, 99);
	assert_int_equal(svc_evaluation_update(&c.s, id, 3, &patch, NULL, 0), -1);
	assert_true(unit_has_field_error(&c.e, "total"));
	unit_ctx_close(&c);
}

static void thresholds_come_from_the_settings(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->admin);
	int64_t values[64], version;
	UNIT_OK(svc_settings(&c.s, values, &version), &c.e);
	kv ch[] = {{"eval_develop_min", "70"}, {"eval_grade_c", "75"}};
	UNIT_OK(svc_settings_update(&c.s, version, ch, 2), &c.e);
	int64_t cust = unit_customer_new(&c, "评估测试五号公司", o->e1, NULL);
	int64_t id = evaluate4(&c, cust, "2024-06-01", 75, 75, 75, 75);
	assert_true(id > 0);
	kh_record ev, *scores;
	int n;
	UNIT_OK(svc_evaluation_get(&c.s, id, &ev, &scores, &n), &c.e);
	assert_string_equal(record_text(&ev, EVF_ADVICE), "develop");
	assert_string_equal(record_text(&ev, EVF_GRADE), "C");
	kv back[] = {{"eval_develop_min", "80"}, {"eval_grade_c", "70"}};
	UNIT_OK(svc_settings_update(&c.s, version + 1, back, 2), &c.e);
	/* the stored result stays what it was when scored */
	UNIT_OK(svc_evaluation_get(&c.s, id, &ev, &scores, &n), &c.e);
	assert_string_equal(record_text(&ev, EVF_ADVICE), "develop");
	unit_ctx_close(&c);
}

/* Last: it changes the indicators. */
static void weight_changes_and_retirement_leave_old_evaluations(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	int64_t cust = unit_customer_new(&c, "评估测试六号公司", 0, NULL);
	int64_t old = evaluate4(&c, cust, "2024-06-01", 100, 0, 0, 0);
	assert_true(old > 0);
	unit_ctx_close(&c);

	/* weights of 110: evaluations are refused until they sum to 100 again */
	set_indicator(o->db, o->admin, "成长率", 35, false);
	unit_ctx_user(&c, o->db, o->e1);
	assert_int_equal(evaluate4(&c, cust, "2024-06-02", 100, 0, 0, 0), 0);
	assert_int_equal(c.e.code, KH_EINVAL);
	assert_non_null(strstr(err_message(&c.e), "110"));
	unit_ctx_close(&c);

	/* 业界地位 retired, 成长率 at 50: 50 + 25 + 25 */
	set_indicator(o->db, o->admin, "业界地位", 25, true);
	set_indicator(o->db, o->admin, "成长率", 50, false);
	unit_ctx_user(&c, o->db, o->e1);
	/* the retired indicator is not scored any more */
	assert_int_equal(evaluate4(&c, cust, "2024-06-03", 100, 0, 0, 0), 0);
	assert_true(unit_has_field_error(&c.e, "scores[3]"));
	err_clear(&c.e);
	kh_record r, s[3];
	evaluation(&r, &c.a, cust, "2024-06-03");
	score(&s[0], &c.a, "成长率", 100);
	score(&s[1], &c.a, "信用度", 0);
	score(&s[2], &c.a, "总利润率", 0);
	int64_t now = 0;
	UNIT_OK(svc_evaluation_create(&c.s, &r, s, 3, &now), &c.e);
	kh_record ev, *scores;
	int n;
	UNIT_OK(svc_evaluation_get(&c.s, now, &ev, &scores, &n), &c.e);
	assert_int_equal(n, 3);
	assert_int_equal(record_int(&ev, EVF_TOTAL, -1), 50);

	/* the old one keeps its four rows, its weights and its total */
	UNIT_OK(svc_evaluation_get(&c.s, old, &ev, &scores, &n), &c.e);
	assert_int_equal(n, 4);
	assert_int_equal(record_int(&ev, EVF_TOTAL, -1), 25);
	assert_int_equal(scores[0].v[ESF_WEIGHT].i, 25);
	assert_string_equal(record_text(&scores[3], ESF_NAME), "业界地位");
	/* and is still scored on its own form, the retired indicator included */
	kh_record patch, p1[1];
	record_init(&patch, &evaluation_entity, &c.a);
	score(&p1[0], &c.a, "业界地位", 100);
	UNIT_OK(svc_evaluation_update(&c.s, old, ev.v[F_VERSION].i, &patch, p1, 1), &c.e);
	UNIT_OK(svc_evaluation_get(&c.s, old, &ev, &scores, &n), &c.e);
	assert_int_equal(record_int(&ev, EVF_TOTAL, -1), 50);
	unit_ctx_close(&c);
	set_indicator(o->db, o->admin, "成长率", 25, false);
	set_indicator(o->db, o->admin, "业界地位", 25, false);
}

static void countermeasures_follow_the_seed_tables(void **state)
{
	unit_org *o = *state;
	unit_ctx c;
	unit_ctx_user(&c, o->db, o->e1);
	int64_t cust = unit_customer_new(&c, "对策测试公司", 0, NULL);
	kh_record r;
	record_init(&r, &countermeasure_entity, &c.a);
	record_set_int(&r, CMF_CUSTOMER, cust);
	record_set_text(&r, CMF_KIND, "重要客户");
	record_set_text(&r, CMF_DATE, "2024-06-01");
	record_set_text(&r, CMF_PROBLEM, "采购量下降");
	record_set_text(&r, CMF_STRATEGY, "季度拜访，给予返利");
	record_set_text(&r, CMF_TREND, "明显恶化");
	int64_t id = 0;
	/* the worsening trend belongs to the problem customers' table */
	assert_int_equal(svc_record_create(&c.s, &countermeasure_kind, &r, &id), -1);
	assert_true(unit_has_field_error(&c.e, "trend"));
	err_clear(&c.e);
	record_set_text(&r, CMF_KIND, "问题客户");
	record_set_text(&r, CMF_TREND, "明显恶化");
	UNIT_OK(svc_record_create(&c.s, &countermeasure_kind, &r, &id), &c.e);
	kh_record got;
	UNIT_OK(svc_record_get(&c.s, &countermeasure_kind, id, &got), &c.e);
	assert_string_equal(record_text(&got, CMF_KIND), "problem");
	assert_string_equal(record_text(&got, CMF_TREND), "marked");
	assert_string_equal(record_text(&got, CMF_STATUS), "open");
	assert_int_equal(record_int(&got, CMF_OWNER, 0), o->e1); /* the customer's owner */
	unit_ctx_close(&c);

	unit_ctx_user(&c, o->db, o->s1);
	assert_int_equal(svc_record_get(&c.s, &countermeasure_kind, id, &got), -1);
	assert_int_equal(c.e.code, KH_ENOTFOUND);
	unit_ctx_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(weighted_total_rounds_half_up),
	        cmocka_unit_test(grades_and_recommendations_follow_the_bands),
	        cmocka_unit_test(default_indicators_are_seeded),
	        cmocka_unit_test(an_evaluation_is_scored_and_sets_the_customer),
	        cmocka_unit_test(errors_name_the_indicator),
	        cmocka_unit_test(scope_and_permissions_apply),
	        cmocka_unit_test(changing_scores_recomputes_and_keeps_the_form),
	        cmocka_unit_test(thresholds_come_from_the_settings),
	        cmocka_unit_test(weight_changes_and_retirement_leave_old_evaluations),
	        cmocka_unit_test(countermeasures_follow_the_seed_tables),
	};
	return cmocka_run_group_tests(tests, unit_org_setup, unit_org_teardown);
}
