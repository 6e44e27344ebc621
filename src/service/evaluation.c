/*
 * evaluation — relationship evaluations 客户关系评估表 and the countermeasure
 * tables 重要客户对策表 / 问题客户对策表 (DESIGN 1.9).
 *
 * Indicators are admin data (dict.manage), never deleted, only retired: old
 * evaluations keep pointing at them. An evaluation is a record kind like a
 * follow-up (visible exactly when its customer is); its scores are child rows
 * written in the same transaction, each keeping the indicator's name, weight
 * and full score as they were, so that later changes to the indicators never
 * move an old total. A new evaluation must score every active indicator, and
 * is refused while the active weights do not sum to 100: the form shows the
 * weights, and a silent normalisation would make them lie.
 *
 * The weighted total, the grade and the recommendation are computed here
 * (the arithmetic in core/evaluation.c) with the thresholds of the settings at
 * the time of scoring, and stored. The customer's `relationship` field is the
 * recommendation of its latest live evaluation, kept in the transaction of
 * every change, so customer lists filter and sort on it without a join.
 */
#include <string.h>

#include "core/evaluation.h"
#include "core/validate.h"
#include "service/internal.h"
#include "service/render.h"
#include "util/utf8.h"

#define MAX_INDICATORS 100

/* What a create or update hands to the evaluation kind's prepare hook. */
typedef struct eval_input {
	kh_record *scores; /* as given: indicator_id or indicator (name), score, basis */
	int n;
	/* filled by prepare: the rows to insert (create) or to change (update) */
	kh_record *rows;
	kh_record *olds; /* update: the stored row of each changed one */
	int nrows;
} eval_input;

/* ---- indicators ---- */

static int indicator_cmp(const void *a, const void *b)
{
	const kh_record *x = a, *y = b;
	int64_t sx = record_int(x, INF_SORT_ORDER, 0), sy = record_int(y, INF_SORT_ORDER, 0);
	if (sx != sy)
		return sx < sy ? -1 : 1;
	return x->v[F_ID].i < y->v[F_ID].i ? -1 : x->v[F_ID].i > y->v[F_ID].i;
}

/* Every indicator in display order (retired too when with_retired), and the sum of
 * the active ones' weights. */
static int load_indicators(svc *s, bool with_retired, kh_record **rows, int *n, int64_t *wsum)
{
	kh_record *all;
	int count;
	if (store_record_all(s->db, &indicator_entity, s->a, &all, &count, s->err) < 0)
		return -1;
	qsort(all, (size_t)count, sizeof(kh_record), indicator_cmp);
	int k = 0;
	int64_t sum = 0;
	for (int i = 0; i < count; i++) {
		bool retired = record_int(&all[i], INF_RETIRED, 0);
		if (!retired)
			sum += record_int(&all[i], INF_WEIGHT, 0);
		if (with_retired || !retired)
			all[k++] = all[i];
	}
	*rows = all;
	*n = k;
	if (wsum)
		*wsum = sum;
	return 0;
}

int svc_indicator_list(svc *s, bool with_retired, kh_record **rows, int *n, int64_t *active_weight)
{
	if (require(s, PERM_CUSTOMER_READ) < 0)
		return -1;
	return load_indicators(s, with_retired, rows, n, active_weight);
}

int svc_indicator_get(svc *s, int64_t id, kh_record *out)
{
	if (require(s, PERM_CUSTOMER_READ) < 0)
		return -1;
	if (store_record_get(s->db, &indicator_entity, id, false, s->a, out, s->err) < 0)
		return err_not_found(s, &indicator_entity, id);
	return 0;
}

/* The name is unique among all indicators, retired ones included (scores name them). */
static int name_taken(svc *s, const kh_record *r, int64_t self)
{
	const char *name = record_text(r, INF_NAME);
	if (!name)
		return 0;
	kh_record *rows;
	int n;
	if (load_indicators(s, true, &rows, &n, NULL) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (rows[i].v[F_ID].i != self && !strcmp(record_text(&rows[i], INF_NAME), name))
			return err_field(s->err, "name", N_("%s: \"%s\" is already taken"),
			                 field_label(&indicator_entity.fields[INF_NAME], s->lang),
			                 name);
	return 0;
}

int svc_indicator_create(svc *s, kh_record *r, int64_t *id)
{
	if (require(s, PERM_DICT_MANAGE) < 0)
		return -1;
	if (!record_is_set(r, INF_MAX_SCORE) && r->v[INF_MAX_SCORE].state == V_ABSENT)
		record_set_int(r, INF_MAX_SCORE, 100);
	if (r->v[INF_RETIRED].state == V_ABSENT)
		record_set_int(r, INF_RETIRED, 0);
	if (record_validate(r, NULL, 0, NULL, s->a, s->err) < 0 || name_taken(s, r, 0) < 0)
		return -1;
	if (r->v[INF_SORT_ORDER].state == V_ABSENT) {
		/* after the last one */
		kh_record *rows;
		int n;
		if (load_indicators(s, true, &rows, &n, NULL) < 0)
			return -1;
		int64_t last = 0;
		for (int i = 0; i < n; i++)
			if (record_int(&rows[i], INF_SORT_ORDER, 0) > last)
				last = record_int(&rows[i], INF_SORT_ORDER, 0);
		record_set_int(r, INF_SORT_ORDER, last + 10 > 10000 ? 10000 : last + 10);
	}
	stamp_new(s, r);
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (store_record_insert(s->db, r, s->err) < 0) {
		if (s->err->code == KH_EDUP) {
			err_clear(s->err);
			name_taken(s, r, 0);
		}
		goto fail;
	}
	*id = r->v[F_ID].i;
	if (audit_change(s, "create", &indicator_entity, *id, NULL, r) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

int svc_indicator_update(svc *s, int64_t id, int64_t version, kh_record *patch)
{
	if (require(s, PERM_DICT_MANAGE) < 0)
		return -1;
	kh_record old;
	if (store_record_get(s->db, &indicator_entity, id, false, s->a, &old, s->err) < 0)
		return err_not_found(s, &indicator_entity, id);
	if (record_validate(patch, &old, 0, NULL, s->a, s->err) < 0 || name_taken(s, patch, id) < 0)
		return -1;
	if (!patch_prune(patch, &old))
		return old.v[F_VERSION].i == version ? 0 : err_set(s->err, KH_ECONFLICT, NULL);
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (store_record_update(s->db, patch, id, version, svc_now(s), s->err) < 0 ||
	    audit_change(s, "update", &indicator_entity, id, &old, patch) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

/* The default indicators in a database that never had any (new or upgraded);
 * in the caller's transaction. */
int seed_indicators(svc *s)
{
	kh_record *rows;
	int n;
	if (store_record_all(s->db, &indicator_entity, s->a, &rows, &n, s->err) < 0)
		return -1;
	if (n > 0)
		return 0;
	for (int i = 0; i < indicator_default_count; i++) {
		const indicator_default *d = &indicator_defaults[i];
		kh_record r;
		record_init(&r, &indicator_entity, s->a);
		record_set_text(&r, INF_NAME, d->zh);
		record_set_text(&r, INF_NAME_EN, d->en);
		record_set_text(&r, INF_DESCRIPTION, d->description);
		record_set_int(&r, INF_WEIGHT, d->weight);
		record_set_int(&r, INF_MAX_SCORE, d->max_score);
		record_set_int(&r, INF_SORT_ORDER, (i + 1) * 10);
		record_set_int(&r, INF_RETIRED, 0);
		stamp_new(s, &r);
		if (store_record_insert(s->db, &r, s->err) < 0)
			return -1;
	}
	return 0;
}

/* ---- evaluations ---- */

static eval_bands bands(svc *s)
{
	return (eval_bands){.a = setting_value(s, "eval_grade_a"),
	                    .b = setting_value(s, "eval_grade_b"),
	                    .c = setting_value(s, "eval_grade_c"),
	                    .d = setting_value(s, "eval_grade_d")};
}

/* The score rows of an evaluation, in the order of the indicators when it was made. */
static int load_scores(svc *s, int64_t evaluation_id, kh_record **rows, int *n)
{
	kh_query q = {.ent = &evaluation_score_entity,
	              .sort_field = F_ID,
	              .limit = MAX_INDICATORS,
	              .view = VIEW_ACTIVE,
	              .scope = {.kind = SCOPE_MATCH_ALL},
	              .parent_id = evaluation_id};
	bool more;
	return store_record_list(s->db, &q, NULL, s->a, rows, n, &more, s->err);
}

/* The given score (index) that names row's indicator, by id or by name; -1 if none. */
static int given_for(svc *s, const eval_input *in, int64_t indicator_id, const char *zh,
                     const char *en)
{
	for (int k = 0; k < in->n; k++) {
		const kh_record *g = &in->scores[k];
		if (record_is_set(g, ESF_INDICATOR)) {
			if (g->v[ESF_INDICATOR].i == indicator_id)
				return k;
			continue;
		}
		const char *name = record_text(g, ESF_NAME);
		if (!name)
			continue;
		const char *want = utf8_fold(s->a, name, true);
		if ((zh && !strcmp(utf8_fold(s->a, zh, true), want)) ||
		    (en && !strcmp(utf8_fold(s->a, en, true), want)))
			return k;
	}
	return -1;
}

/* "scores.成长率": the field an indicator's errors are reported under */
static const char *score_key(svc *s, const char *name)
{
	return arena_printf(s->a, "scores.%s", name);
}

/* Check one given score against its row's full score; copy score and basis in. */
static int take_score(svc *s, const kh_record *g, kh_record *row)
{
	const char *name = record_text(row, ESF_NAME);
	int64_t max = row->v[ESF_MAX_SCORE].i;
	if (!record_is_set(g, ESF_SCORE)) {
		/* a change may give only the basis of a score already there */
		if (!record_is_set(row, ESF_SCORE))
			return err_field(s->err, score_key(s, name), N_("%s: a score is required"),
			                 name);
	} else if (g->v[ESF_SCORE].i < 0 || g->v[ESF_SCORE].i > max) {
		return err_field(s->err, score_key(s, name),
		                 N_("%s: the score must be a whole number from 0 to %lld"), name,
		                 (long long)max);
	} else {
		record_set_int(row, ESF_SCORE, g->v[ESF_SCORE].i);
	}
	if (g->v[ESF_BASIS].state != V_ABSENT)
		row->v[ESF_BASIS] = g->v[ESF_BASIS];
	return 0;
}

/* Reject what kehu computes or what names nothing, in the given scores. */
static int check_given(svc *s, const eval_input *in, const bool *used)
{
	static const int computed[] = {ESF_WEIGHT, ESF_MAX_SCORE, ESF_GRADE, ESF_EVALUATION};
	for (int k = 0; k < in->n; k++) {
		const kh_record *g = &in->scores[k];
		const char *key = arena_printf(s->a, "scores[%d]", k);
		for (size_t c = 0; c < sizeof(computed) / sizeof(computed[0]); c++)
			if (g->v[computed[c]].state != V_ABSENT)
				err_field(s->err, key,
				          N_("%s is computed by kehu and cannot be set"),
				          field_label(&evaluation_score_entity.fields[computed[c]],
				                      s->lang));
		if (!record_is_set(g, ESF_INDICATOR) && !record_text(g, ESF_NAME))
			err_field(s->err, key,
			          N_("Name the indicator (indicator or indicator_id)"));
		else if (!used[k])
			err_field(s->err, key, N_("%s: no such indicator in this evaluation"),
			          record_is_set(g, ESF_INDICATOR)
			                  ? arena_printf(s->a, "%lld",
			                                 (long long)g->v[ESF_INDICATOR].i)
			                  : record_text(g, ESF_NAME));
	}
	return 0;
}

/* Total, grade, recommendation and summary of rows into the evaluation r. */
static void set_results(svc *s, kh_record *r, kh_record *rows, int n)
{
	eval_bands b = bands(s);
	eval_item *items = arena_calloc(s->a, (size_t)(n ? n : 1), sizeof(eval_item));
	buf sum;
	buf_init(&sum, 4096);
	for (int i = 0; i < n; i++) {
		items[i] = (eval_item){.weight = rows[i].v[ESF_WEIGHT].i,
		                       .max_score = rows[i].v[ESF_MAX_SCORE].i,
		                       .score = rows[i].v[ESF_SCORE].i};
		record_set_text(&rows[i], ESF_GRADE,
		                eval_grade(items[i].score, items[i].max_score, &b));
		if (buf_addf(&sum, "%s%s %lld/%lld", i ? ", " : "", record_text(&rows[i], ESF_NAME),
		             (long long)items[i].score, (long long)items[i].max_score) < 0)
			buf_clear(&sum);
	}
	int64_t total = eval_total(items, n);
	record_set_int(r, EVF_TOTAL, total);
	record_set_text(r, EVF_GRADE, eval_grade(total, 100, &b));
	record_set_text(r, EVF_ADVICE,
	                eval_advice(total, setting_value(s, "eval_develop_min"),
	                            setting_value(s, "eval_maintain_min")));
	record_set_text(r, EVF_SUMMARY, arena_strdup(s->a, buf_str(&sum)));
	buf_release(&sum);
}

/* A new evaluation: one score for every active indicator, weights summing to 100. */
static int prepare_new(svc *s, kh_record *r, eval_input *in)
{
	kh_record *inds;
	int n;
	int64_t wsum;
	if (load_indicators(s, false, &inds, &n, &wsum) < 0)
		return -1;
	if (n == 0 || wsum != EVAL_WEIGHT_TOTAL)
		return err_set(s->err, KH_EINVAL,
		               N_("The weights of the active evaluation indicators add up to %lld, "
		                  "not %d; an administrator must correct them before evaluating"),
		               (long long)wsum, EVAL_WEIGHT_TOTAL);
	if (n > MAX_INDICATORS)
		return err_set(s->err, KH_EINVAL, N_("At most %d indicators"), MAX_INDICATORS);
	bool *used = arena_calloc(s->a, (size_t)(in->n ? in->n : 1), sizeof(bool));
	in->rows = arena_calloc(s->a, (size_t)n, sizeof(kh_record));
	in->nrows = n;
	for (int i = 0; i < n; i++) {
		kh_record *row = &in->rows[i];
		const char *zh = record_text(&inds[i], INF_NAME);
		record_init(row, &evaluation_score_entity, s->a);
		record_set_int(row, ESF_INDICATOR, inds[i].v[F_ID].i);
		record_set_text(row, ESF_NAME, zh);
		record_set_int(row, ESF_WEIGHT, inds[i].v[INF_WEIGHT].i);
		record_set_int(row, ESF_MAX_SCORE, inds[i].v[INF_MAX_SCORE].i);
		int k = given_for(s, in, inds[i].v[F_ID].i, zh, record_text(&inds[i], INF_NAME_EN));
		if (k < 0) {
			err_field(s->err, score_key(s, zh), N_("%s: a score is required"), zh);
			continue;
		}
		if (used[k]) {
			err_field(s->err, score_key(s, zh), N_("%s: scored more than once"), zh);
			continue;
		}
		used[k] = true;
		/* a second mention of the same indicator is an error too */
		for (int j = k + 1; j < in->n; j++) {
			eval_input rest = {.scores = in->scores + j, .n = in->n - j};
			int again = given_for(s, &rest, inds[i].v[F_ID].i, zh,
			                      record_text(&inds[i], INF_NAME_EN));
			if (again < 0)
				break;
			used[j + again] = true;
			err_field(s->err, score_key(s, zh), N_("%s: scored more than once"), zh);
			j += again;
		}
		take_score(s, &in->scores[k], row);
	}
	check_given(s, in, used);
	if (s->err->code != KH_OK)
		return -1;
	set_results(s, r, in->rows, n);
	return 0;
}

/* A changed evaluation: the given scores replace those of its own indicators (as
 * they were when it was made, retired ones included); the rest stay. */
static int prepare_change(svc *s, kh_record *patch, const kh_record *old, eval_input *in)
{
	kh_record *rows;
	int n;
	if (load_scores(s, old->v[F_ID].i, &rows, &n) < 0)
		return -1;
	bool *used = arena_calloc(s->a, (size_t)(in->n ? in->n : 1), sizeof(bool));
	in->rows = arena_calloc(s->a, (size_t)(n ? n : 1), sizeof(kh_record));
	in->olds = arena_calloc(s->a, (size_t)(n ? n : 1), sizeof(kh_record));
	in->nrows = 0;
	kh_record *now = arena_calloc(s->a, (size_t)(n ? n : 1), sizeof(kh_record));
	for (int i = 0; i < n; i++) {
		record_copy(&now[i], &rows[i], s->a);
		const char *name = record_text(&rows[i], ESF_NAME);
		kh_record ind;
		const char *en = NULL;
		kh_err e2;
		err_init(&e2, s->a, s->lang);
		if (store_record_get(s->db, &indicator_entity, rows[i].v[ESF_INDICATOR].i, false,
		                     s->a, &ind, &e2) == 0)
			en = record_text(&ind, INF_NAME_EN);
		int k = given_for(s, in, rows[i].v[ESF_INDICATOR].i, name, en);
		if (k < 0)
			continue;
		used[k] = true;
		if (take_score(s, &in->scores[k], &now[i]) < 0)
			continue;
		if (now[i].v[ESF_SCORE].i != rows[i].v[ESF_SCORE].i ||
		    !value_equal(FT_LONGTEXT, &now[i].v[ESF_BASIS], &rows[i].v[ESF_BASIS])) {
			in->olds[in->nrows] = rows[i];
			in->rows[in->nrows++] = now[i];
		}
	}
	check_given(s, in, used);
	if (s->err->code != KH_OK)
		return -1;
	set_results(s, patch, now, n);
	return 0;
}

static int evaluation_prepare(svc *s, kh_record *r, const kh_record *old)
{
	if (!old && r->v[EVF_EVALUATOR].state == V_ABSENT && s->actor.user_id)
		record_set_int(r, EVF_EVALUATOR, s->actor.user_id);
	eval_input *in = s->kind_data;
	if (!in) {
		if (old)
			return 0; /* no new scores: the results stay as they were */
		return err_field(s->err, "scores", N_("Give a score for each active indicator"));
	}
	for (int k = 0; k < in->n; k++)
		if (in->scores[k].ent != &evaluation_score_entity)
			return err_set(s->err, KH_EINTERNAL, NULL);
	return old ? prepare_change(s, r, old, in) : prepare_new(s, r, in);
}

/* The customer's relationship follows its latest live evaluation. */
static int evaluation_after(svc *s, int64_t customer_id, const kh_record *old, const kh_record *now)
{
	(void)old;
	(void)now;
	kh_record latest;
	bool found;
	if (store_latest_record(s->db, &evaluation_entity, customer_id, s->a, &latest, &found,
	                        s->err) < 0)
		return -1;
	return store_customer_set_relationship(
	        s->db, customer_id, found ? record_text(&latest, EVF_ADVICE) : NULL, s->err);
}

const record_kind evaluation_kind = {
        .ent = &evaluation_entity,
        .path = "evaluations",
        .customer_field = EVF_CUSTOMER,
        .date_field = EVF_DATE,
        .summary_field = EVF_SUMMARY,
        .write_perm = PERM_CUSTOMER_WRITE,
        .prepare = evaluation_prepare,
        .after = evaluation_after,
};

/* Write the rows prepare made: inserted for a new evaluation, changed otherwise. */
static int write_scores(svc *s, int64_t evaluation_id, const eval_input *in, bool create)
{
	for (int i = 0; i < in->nrows; i++) {
		kh_record *row = &in->rows[i];
		if (create) {
			record_set_int(row, ESF_EVALUATION, evaluation_id);
			stamp_new(s, row);
			if (store_record_insert(s->db, row, s->err) < 0 ||
			    audit_change(s, "create", &evaluation_score_entity, row->v[F_ID].i,
			                 NULL, row) < 0)
				return -1;
			continue;
		}
		const kh_record *was = &in->olds[i];
		kh_record patch;
		record_init(&patch, &evaluation_score_entity, s->a);
		patch.v[ESF_SCORE] = row->v[ESF_SCORE];
		patch.v[ESF_GRADE] = row->v[ESF_GRADE];
		patch.v[ESF_BASIS] = row->v[ESF_BASIS];
		if (!patch_prune(&patch, was))
			continue;
		if (store_record_update(s->db, &patch, was->v[F_ID].i, was->v[F_VERSION].i,
		                        svc_now(s), s->err) < 0 ||
		    audit_change(s, "update", &evaluation_score_entity, was->v[F_ID].i, was,
		                 &patch) < 0)
			return -1;
	}
	return 0;
}

int svc_evaluation_create(svc *s, kh_record *r, kh_record *scores, int nscores, int64_t *id)
{
	eval_input in = {.scores = scores, .n = nscores};
	/* refused before any lock is taken; then one transaction around the record
	 * and its scores (the record's own becomes a savepoint inside it) */
	if (require(s, evaluation_kind.write_perm) < 0 || store_begin(s->db, s->err) < 0)
		return -1;
	s->kind_data = &in;
	int rc = svc_record_create(s, &evaluation_kind, r, id);
	s->kind_data = NULL;
	if (rc < 0 || write_scores(s, *id, &in, true) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

int svc_evaluation_update(svc *s, int64_t id, int64_t version, kh_record *patch, kh_record *scores,
                          int nscores)
{
	eval_input in = {.scores = scores, .n = nscores};
	if (require(s, evaluation_kind.write_perm) < 0 || store_begin(s->db, s->err) < 0)
		return -1;
	s->kind_data = scores ? &in : NULL;
	int rc = svc_record_update(s, &evaluation_kind, id, version, patch);
	s->kind_data = NULL;
	if (rc < 0 || write_scores(s, id, &in, false) < 0)
		goto fail;
	if (in.nrows) {
		/* a changed basis alone leaves the evaluation's own fields as they were:
		 * its version still moves, so that every reader's copy is seen stale */
		kh_record cur;
		if (store_record_get(s->db, &evaluation_entity, id, false, s->a, &cur, s->err) < 0)
			goto fail;
		if (cur.v[F_VERSION].i == version) {
			kh_record none;
			record_init(&none, &evaluation_entity, s->a);
			if (store_record_update(s->db, &none, id, version, svc_now(s), s->err) < 0)
				goto fail;
		}
	}
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

int svc_evaluation_get(svc *s, int64_t id, kh_record *out, kh_record **scores, int *n)
{
	if (svc_record_get(s, &evaluation_kind, id, out) < 0)
		return -1;
	return load_scores(s, id, scores, n);
}

json_t *render_evaluation(svc *s, const kh_record *ev, const kh_record *scores, int n)
{
	json_t *o = render_record(s, ev);
	json_t *arr = json_array();
	kh_lookup lk = svc_lookup(s);
	static const int fields[] = {ESF_INDICATOR, ESF_NAME,  ESF_WEIGHT, ESF_MAX_SCORE,
	                             ESF_SCORE,     ESF_GRADE, ESF_BASIS};
	for (int i = 0; i < n; i++)
		json_array_append_new(arr,
		                      record_to_json(&scores[i], &lk, fields,
		                                     (int)(sizeof(fields) / sizeof(fields[0]))));
	json_object_set_new(o, "scores", arr);
	return o;
}

int svc_evaluation_scores_from_json(svc *s, json_t *arr, kh_record **out, int *n)
{
	*out = NULL;
	*n = 0;
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return err_field(s->err, "scores", N_("Expected a list of scores"));
	size_t count = json_array_size(arr);
	if (count > MAX_INDICATORS)
		return err_field(s->err, "scores", N_("At most %d indicators"), MAX_INDICATORS);
	kh_record *rows = arena_calloc(s->a, count ? count : 1, sizeof(kh_record));
	for (size_t i = 0; i < count; i++)
		record_from_json(&rows[i], &evaluation_score_entity, json_array_get(arr, i), NULL,
		                 arena_printf(s->a, "scores[%zu].", i), s->a, s->err);
	if (s->err->code != KH_OK)
		return -1;
	/* text as any field is checked: control characters, lengths; the score's range
	 * is the indicator's, checked with its name when the scores are matched */
	for (size_t i = 0; i < count; i++) {
		kh_value score = rows[i].v[ESF_SCORE];
		rows[i].v[ESF_SCORE].state = V_ABSENT;
		record_validate(&rows[i], NULL, 0, arena_printf(s->a, "scores[%zu].", i), s->a,
		                s->err);
		rows[i].v[ESF_SCORE] = score;
	}
	*out = rows;
	*n = (int)count;
	return s->err->code != KH_OK ? -1 : 0;
}

/* ---- countermeasures ---- */

static int countermeasure_prepare(svc *s, kh_record *r, const kh_record *old)
{
	if (!old) {
		if (r->v[CMF_STATUS].state == V_ABSENT)
			record_set_text(r, CMF_STATUS, "open");
		if (r->v[CMF_OWNER].state == V_ABSENT) {
			/* the person in charge of the customer, as the seed's tables list */
			kh_record c;
			if (customer_load(s, r->v[CMF_CUSTOMER].i, false, &c) < 0)
				return -1;
			if (record_is_set(&c, CF_OWNER))
				record_set_int(r, CMF_OWNER, c.v[CF_OWNER].i);
			else if (s->actor.user_id)
				record_set_int(r, CMF_OWNER, s->actor.user_id);
		}
	}
	/* the worsening trend is a column of the problem customers' table only */
	const char *kind = r->v[CMF_KIND].state != V_ABSENT ? record_text(r, CMF_KIND)
	                   : old                            ? record_text(old, CMF_KIND)
	                                                    : NULL;
	bool trend = r->v[CMF_TREND].state != V_ABSENT ? record_is_set(r, CMF_TREND)
	             : old                             ? record_is_set(old, CMF_TREND)
	                                               : false;
	if (kind && strcmp(kind, "problem") != 0 && trend)
		return err_field(s->err, "trend", N_("%s applies to problem customers only"),
		                 field_label(&countermeasure_entity.fields[CMF_TREND], s->lang));
	return 0;
}

const record_kind countermeasure_kind = {
        .ent = &countermeasure_entity,
        .path = "countermeasures",
        .customer_field = CMF_CUSTOMER,
        .date_field = CMF_DATE,
        .summary_field = CMF_STRATEGY,
        .write_perm = PERM_CUSTOMER_WRITE,
        .prepare = countermeasure_prepare,
};
