/*
 * evaluation — field tables of indicators, evaluations, their scores and
 * countermeasures, and the scoring arithmetic.
 */
#include "core/evaluation.h"

#include <string.h>

#include "util/err.h"

#define L FF_LIST
#define S FF_SORT
#define Q FF_FILTER
#define D FF_DERIVED

/* Indicator names are typed as "NAME=SCORE" on the command line. */
static int indicator_check(kh_record *r, bool create, arena *a, kh_err *e)
{
	(void)create;
	(void)a;
	static const int names[] = {INF_NAME, INF_NAME_EN};
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		const char *s = record_text(r, names[k]);
		if (s && strchr(s, '='))
			err_field(e, indicator_entity.fields[names[k]].name,
			          N_("%s must not contain \"=\""),
			          field_label(&indicator_entity.fields[names[k]], e->lang));
	}
	if (record_is_set(r, INF_MAX_SCORE) && r->v[INF_MAX_SCORE].i < 1)
		err_field(e, "max_score", N_("%s must be a whole number from %lld to %lld"),
		          field_label(&indicator_entity.fields[INF_MAX_SCORE], e->lang), 1LL,
		          (long long)indicator_entity.fields[INF_MAX_SCORE].max);
	return e->nfields ? -1 : 0;
}

static const kh_field indicator_fields[INF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [INF_NAME] = {"name", "name", N_("Indicator"), FT_TEXT, FF_REQUIRED | S | Q | L, NULL, 40,
                      MASK_NONE},
        [INF_NAME_EN] = {"name_en", "name_en", N_("Indicator (English)"), FT_TEXT, L, NULL, 80,
                         MASK_NONE},
        [INF_DESCRIPTION] = {"description", "description", N_("Description"), FT_LONGTEXT, L, NULL,
                             500, MASK_NONE},
        [INF_WEIGHT] = {"weight", "weight", N_("Weight"), FT_INT, FF_REQUIRED | Q | L, NULL,
                        EVAL_WEIGHT_TOTAL, MASK_NONE},
        [INF_MAX_SCORE] = {"max_score", "max_score", N_("Full score"), FT_INT, FF_REQUIRED | L,
                           NULL, 1000, MASK_NONE},
        [INF_SORT_ORDER] = {"sort_order", "sort_order", N_("Sort order"), FT_INT, S | L, NULL,
                            10000, MASK_NONE},
        [INF_RETIRED] = {"retired", "retired", N_("Retired"), FT_BOOL, Q | L, NULL, 0, MASK_NONE},
};

const kh_entity indicator_entity = {
        .name = "evaluation_indicator",
        .table = "evaluation_indicators",
        .label = N_("Evaluation indicator"),
        .fields = indicator_fields,
        .nfields = INF__COUNT,
        .check = indicator_check,
};

static const kh_field evaluation_fields[EVF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [EVF_CUSTOMER] = {"customer_id", "customer_id", N_("Customer"), FT_REF,
                          FF_REQUIRED | FF_CREATE_ONLY | Q | L, "customer", 0, MASK_NONE},
        [EVF_DATE] = {"date", "date", N_("Evaluation date"), FT_DATE, FF_REQUIRED | S | Q | L, NULL,
                      0, MASK_NONE},
        [EVF_EVALUATOR] = {"evaluator", "evaluator_id", N_("Evaluator"), FT_USER, Q | L, NULL, 0,
                           MASK_NONE},
        [EVF_TOTAL] = {"total", "total", N_("Weighted total"), FT_INT, D | S | Q | L, NULL, 100,
                       MASK_NONE},
        [EVF_GRADE] = {"grade", "grade", N_("Grade"), FT_TEXT, D | Q | L, NULL, 1, MASK_NONE},
        [EVF_ADVICE] = {"recommendation", "recommendation", N_("Recommendation"), FT_DICT,
                        D | Q | L, "relationship_advice", 0, MASK_NONE},
        [EVF_SUMMARY] = {"score_summary", "score_summary", N_("Scores"), FT_TEXT, D | L, NULL, 2000,
                         MASK_NONE},
        [EVF_REMARKS] = {"remarks", "remarks", N_("Remarks"), FT_LONGTEXT, L, NULL, 2000,
                         MASK_NONE},
};

const kh_entity evaluation_entity = {
        .name = "evaluation",
        .table = "evaluations",
        .label = N_("Relationship evaluation"),
        .fields = evaluation_fields,
        .nfields = EVF__COUNT,
};

/* score rows are written by the evaluation use cases only, which check them
 * themselves: no field is required here, so a given score validates alone */
static const kh_field score_fields[ESF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [ESF_EVALUATION] = {"evaluation_id", "evaluation_id", N_("Evaluation"), FT_REF, 0,
                            "evaluation", 0, MASK_NONE},
        [ESF_INDICATOR] = {"indicator_id", "indicator_id", N_("Indicator"), FT_REF, L,
                           "evaluation_indicator", 0, MASK_NONE},
        [ESF_NAME] = {"indicator", "indicator", N_("Indicator"), FT_TEXT, L, NULL, 40, MASK_NONE},
        [ESF_WEIGHT] = {"weight", "weight", N_("Weight"), FT_INT, L, NULL, EVAL_WEIGHT_TOTAL,
                        MASK_NONE},
        [ESF_MAX_SCORE] = {"max_score", "max_score", N_("Full score"), FT_INT, L, NULL, 1000,
                           MASK_NONE},
        [ESF_SCORE] = {"score", "score", N_("Score"), FT_INT, L, NULL, 1000, MASK_NONE},
        [ESF_GRADE] = {"grade", "grade", N_("Grade"), FT_TEXT, L, NULL, 1, MASK_NONE},
        [ESF_BASIS] = {"basis", "basis", N_("Basis of the score"), FT_LONGTEXT, L, NULL, 500,
                       MASK_NONE},
};

const kh_entity evaluation_score_entity = {
        .name = "evaluation_score",
        .table = "evaluation_scores",
        .label = N_("Indicator score"),
        .fields = score_fields,
        .nfields = ESF__COUNT,
};

static const kh_field countermeasure_fields[CMF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [CMF_CUSTOMER] = {"customer_id", "customer_id", N_("Customer"), FT_REF,
                          FF_REQUIRED | FF_CREATE_ONLY | Q | L, "customer", 0, MASK_NONE},
        [CMF_KIND] = {"kind", "kind", N_("Table"), FT_DICT, FF_REQUIRED | Q | L,
                      "countermeasure_kind", 0, MASK_NONE},
        [CMF_DATE] = {"date", "date", N_("Date recorded"), FT_DATE, FF_REQUIRED | S | Q, NULL, 0,
                      MASK_NONE},
        [CMF_OWNER] = {"owner", "owner_id", N_("Person in charge"), FT_USER, Q | L, NULL, 0,
                       MASK_NONE},
        [CMF_SALES] = {"sales", "sales", N_("Sales situation"), FT_TEXT, L, NULL, 200, MASK_NONE},
        [CMF_SALES_SCOPE] = {"sales_scope", "sales_scope", N_("Sales scope"), FT_TEXT, L, NULL, 200,
                             MASK_NONE},
        [CMF_LOCATION] = {"location", "location", N_("Location"), FT_TEXT, L, NULL, 200, MASK_NONE},
        [CMF_TREND] = {"trend", "trend", N_("Worsening trend"), FT_DICT, Q | L, "problem_trend", 0,
                       MASK_NONE},
        [CMF_PROBLEM] = {"problem", "problem", N_("Problem"), FT_LONGTEXT, FF_REQUIRED | L, NULL,
                         2000, MASK_NONE},
        [CMF_STRATEGY] = {"strategy", "strategy", N_("Strategy"), FT_LONGTEXT, FF_REQUIRED | L,
                          NULL, 2000, MASK_NONE},
        [CMF_RESPONSIBLE] = {"responsible", "responsible_id", N_("Carried out by"), FT_USER, Q | L,
                             NULL, 0, MASK_NONE},
        [CMF_DUE] = {"due_date", "due_date", N_("Due date"), FT_DATE, S | Q | L, NULL, 0,
                     MASK_NONE},
        [CMF_STATUS] = {"status", "status", N_("Status"), FT_DICT, Q | L, "countermeasure_status",
                        0, MASK_NONE},
        [CMF_REMARKS] = {"remarks", "remarks", N_("Remarks"), FT_LONGTEXT, L, NULL, 2000,
                         MASK_NONE},
};

const kh_entity countermeasure_entity = {
        .name = "countermeasure",
        .table = "countermeasures",
        .label = N_("Countermeasure"),
        .fields = countermeasure_fields,
        .nfields = CMF__COUNT,
};

const indicator_default indicator_defaults[] = {
        {"成长率", "Growth rate", "客户采购额与经营规模的增长", 25, 100},
        {"信用度", "Creditworthiness", "付款态度、资金状况与经营状况", 25, 100},
        {"总利润率", "Total profit margin", "我方在该客户订单上的利润率", 25, 100},
        {"业界地位", "Industry position", "客户在所属行业中的地位与影响力", 25, 100},
};
const int indicator_default_count =
        (int)(sizeof(indicator_defaults) / sizeof(indicator_defaults[0]));

int64_t eval_total(const eval_item *items, int n)
{
	long double sum = 0;
	int64_t wsum = 0;
	for (int i = 0; i < n; i++) {
		if (items[i].max_score <= 0)
			continue;
		sum += (long double)items[i].weight * items[i].score / items[i].max_score;
		wsum += items[i].weight;
	}
	if (wsum <= 0)
		return 0;
	/* the exact total is a fraction whose denominator divides the product of a few
	 * small maxima: an error far below 1e-9 cannot move it across a half */
	return (int64_t)(sum * 100 / wsum + 0.5L + 1e-9L); /* positive: truncation floors */
}

const char *eval_grade(int64_t score, int64_t max, const eval_bands *b)
{
	/* score / max >= band / 100, compared without division */
	int64_t pct100 = score * 100;
	if (max <= 0)
		return "E";
	if (pct100 >= b->a * max)
		return "A";
	if (pct100 >= b->b * max)
		return "B";
	if (pct100 >= b->c * max)
		return "C";
	if (pct100 >= b->d * max)
		return "D";
	return "E";
}

const char *eval_advice(int64_t total, int64_t develop_min, int64_t maintain_min)
{
	if (total >= develop_min)
		return "develop";
	if (total >= maintain_min)
		return "maintain";
	return "terminate";
}
