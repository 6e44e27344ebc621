/*
 * evaluation — relationship evaluations 客户关系评估表 and the countermeasure
 * tables 重要客户对策表 / 问题客户对策表 (DESIGN 1.9, seed 002's forms).
 *
 * An evaluation scores one customer on the admin's indicators (成长率, 信用度,
 * 总利润率, 业界地位 ...); each score row keeps the indicator's weight and
 * maximum as they were, so changing or retiring an indicator later never
 * changes an old evaluation. The weighted total, its A-E grade and the
 * recommendation 发展关系 / 维持关系 / 终止关系 are computed here, without a
 * database, from thresholds the service layer reads from the settings.
 */
#ifndef KEHU_CORE_EVALUATION_H
#define KEHU_CORE_EVALUATION_H

#include <stdint.h>

#include "core/entity.h"

enum indicator_field {
	INF_NAME = F_NSYSTEM,
	INF_NAME_EN,
	INF_DESCRIPTION,
	INF_WEIGHT,
	INF_MAX_SCORE,
	INF_SORT_ORDER,
	INF_RETIRED,
	INF__COUNT
};

enum evaluation_field {
	EVF_CUSTOMER = F_NSYSTEM,
	EVF_DATE,
	EVF_EVALUATOR,
	EVF_TOTAL,
	EVF_GRADE,
	EVF_ADVICE,
	EVF_SUMMARY,
	EVF_REMARKS,
	EVF__COUNT
};

enum evaluation_score_field {
	ESF_EVALUATION = F_NSYSTEM,
	ESF_INDICATOR,
	ESF_NAME,
	ESF_WEIGHT,
	ESF_MAX_SCORE,
	ESF_SCORE,
	ESF_GRADE,
	ESF_BASIS,
	ESF__COUNT
};

enum countermeasure_field {
	CMF_CUSTOMER = F_NSYSTEM,
	CMF_KIND,
	CMF_DATE,
	CMF_OWNER,
	CMF_SALES,
	CMF_SALES_SCOPE,
	CMF_LOCATION,
	CMF_TREND,
	CMF_PROBLEM,
	CMF_STRATEGY,
	CMF_RESPONSIBLE,
	CMF_DUE,
	CMF_STATUS,
	CMF_REMARKS,
	CMF__COUNT
};

extern const kh_entity indicator_entity;
extern const kh_entity evaluation_entity;
extern const kh_entity evaluation_score_entity;
extern const kh_entity countermeasure_entity;

/* The indicators a new database starts with (seed 002's 客户拜访记录表 and
 * 客户关系评估表): weights summing to 100, each scored out of 100. */
typedef struct indicator_default {
	const char *zh, *en, *description; /* data, as the seed's forms put it */
	int weight, max_score;
} indicator_default;
extern const indicator_default indicator_defaults[];
extern const int indicator_default_count;

/* Total weight that makes a complete set of indicators. */
#define EVAL_WEIGHT_TOTAL 100

/* One scored indicator as the computation needs it. */
typedef struct eval_item {
	int64_t weight, max_score, score;
} eval_item;

/*
 * The weighted total out of 100: sum of weight * score / max over the items,
 * scaled by 100 / (sum of weights), rounded half up. 0 when the weights sum to 0.
 */
int64_t eval_total(const eval_item *items, int n);

/* A-E grade bands: the lowest percentage of A, B, C and D (E below D). */
typedef struct eval_bands {
	int64_t a, b, c, d;
} eval_bands;
/* The grade letter ("A".."E") of score out of max (a percentage of it). */
const char *eval_grade(int64_t score, int64_t max, const eval_bands *bands);

/* The recommendation code for a total: "develop" at or above develop_min,
 * "maintain" at or above maintain_min, else "terminate". */
const char *eval_advice(int64_t total, int64_t develop_min, int64_t maintain_min);

#endif
