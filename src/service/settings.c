/*
 * settings — the few numbers an administrator tunes: the width of the
 * customer code's sequence, the business time zone, and the lifecycle
 * thresholds of report 12, the customer pool's limits and return rules, the
 * archive's suggestion threshold. All of them live in the settings table, cached
 * in the snapshot; the whole set carries one version for If-Match.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/internal.h"
#include "util/num.h"

static const setting_def defs[] = {
        {"code_width", N_("Digits of the customer code's sequence number"), 3, 1, 9},
        {"tz_minutes", N_("Business time zone, minutes east of UTC (Asia/Shanghai: 480)"), 480,
         -720, 840},
        {"stage_loyal_count", N_("Deals that make a customer a loyal one"), 3, 2, 1000},
        {"stage_lost_days", N_("Days without a deal after which a customer counts as lost"), 180, 1,
         3650},
        /* the customer pool 公海 and the archive 历史库 */
        {"pool_claims_per_day", N_("Customers one user may claim from the pool per day"), 10, 1,
         10000},
        {"pool_customer_limit",
         N_("Customers one user may own (0: no limit; a user's own limit comes first)"), 0, 0,
         1000000},
        {"pool_return_days",
         N_("Days without a follow-up or deal before a customer without a grade returns to the "
            "pool (0: never)"),
         0, 0, 3650},
        {"pool_return_days_a",
         N_("Days without a follow-up or deal before a grade A customer returns to the pool (0: "
            "never)"),
         0, 0, 3650},
        {"pool_return_days_b",
         N_("Days without a follow-up or deal before a grade B customer returns to the pool (0: "
            "never)"),
         0, 0, 3650},
        {"pool_return_days_c",
         N_("Days without a follow-up or deal before a grade C customer returns to the pool (0: "
            "never)"),
         0, 0, 3650},
        {"pool_return_days_d",
         N_("Days without a follow-up or deal before a grade D customer returns to the pool (0: "
            "never)"),
         0, 0, 3650},
        {"pool_return_days_e",
         N_("Days without a follow-up or deal before a grade E customer returns to the pool (0: "
            "never)"),
         0, 0, 3650},
        {"archive_after_months",
         N_("Months without a follow-up or deal after which a customer is suggested for the "
            "archive"),
         3, 1, 120},
        /* relationship evaluations (DESIGN 1.9): the recommendation by weighted total,
         * and the A-E grade of a total or a score by its percentage of the full score
         * (the bands of seed 002's 客户分级表) */
        {"eval_develop_min", N_("Evaluation total from which to develop the relationship"), 80, 0,
         100},
        {"eval_maintain_min",
         N_("Evaluation total from which to maintain the relationship (below it: end it)"), 60, 0,
         100},
        {"eval_grade_a", N_("Lowest percentage of evaluation grade A"), 90, 0, 100},
        {"eval_grade_b", N_("Lowest percentage of evaluation grade B"), 80, 0, 100},
        {"eval_grade_c", N_("Lowest percentage of evaluation grade C"), 70, 0, 100},
        {"eval_grade_d", N_("Lowest percentage of evaluation grade D (below it: E)"), 60, 0, 100},
};
#define NDEFS ((int)(sizeof(defs) / sizeof(defs[0])))
_Static_assert(NDEFS <= SETTINGS_MAX, "SETTINGS_MAX is too small");

const setting_def *setting_defs(int *n)
{
	*n = NDEFS;
	return defs;
}

static int64_t current(svc *s, const char *key, int64_t dflt)
{
	const char *v = NULL;
	kh_err e;
	err_init(&e, s->a, s->lang);
	if (store_setting_get(s->db, key, s->a, &v, &e) < 0 || !v)
		return dflt;
	return strtoll(v, NULL, 10);
}

static int def_index(const char *key)
{
	for (int i = 0; i < NDEFS; i++)
		if (!strcmp(defs[i].key, key))
			return i;
	return -1;
}

int64_t setting_value(svc *s, const char *key)
{
	int i = def_index(key);
	return i < 0 ? 0 : current(s, key, defs[i].dflt);
}

int svc_settings(svc *s, int64_t *values, int64_t *version)
{
	if (!s->actor.user_id && !s->actor.system)
		return err_set(s->err, KH_EAUTH, NULL);
	for (int i = 0; i < NDEFS; i++)
		values[i] = current(s, defs[i].key, defs[i].dflt);
	*version = current(s, "settings_version", 1);
	return 0;
}

/*
 * Thresholds that must keep their order, higher first: the recommendation's
 * (develop above maintain) and the grades' (A above B above C above D).
 */
static const char *const ordered[][2] = {
        {"eval_develop_min", "eval_maintain_min"},
        {"eval_grade_a", "eval_grade_b"},
        {"eval_grade_b", "eval_grade_c"},
        {"eval_grade_c", "eval_grade_d"},
};

/* Settings as they would be after the change (values where touched) keep the order? */
static int check_order(svc *s, int64_t *values, const bool *touched)
{
	int before = s->err->nfields;
	for (size_t k = 0; k < sizeof(ordered) / sizeof(ordered[0]); k++) {
		int hi = def_index(ordered[k][0]), lo = def_index(ordered[k][1]);
		int64_t vh = touched[hi] ? values[hi] : current(s, defs[hi].key, defs[hi].dflt);
		int64_t vl = touched[lo] ? values[lo] : current(s, defs[lo].key, defs[lo].dflt);
		if (vl <= vh || (!touched[hi] && !touched[lo]))
			continue;
		/* name the field changed: the lower one when both are */
		int named = touched[lo] ? lo : hi;
		err_field(s->err, defs[named].key, N_("%s (%lld) must not be above %s (%lld)"),
		          tr(s->lang, defs[lo].label), (long long)vl, tr(s->lang, defs[hi].label),
		          (long long)vh);
	}
	return s->err->nfields > before ? -1 : 0;
}

int svc_settings_update(svc *s, int64_t version, const kv *changes, int n)
{
	if (require(s, PERM_SETTINGS) < 0)
		return -1;
	int64_t values[NDEFS];
	bool touched[NDEFS] = {false};
	int before = s->err->nfields;
	for (int k = 0; k < n; k++) {
		int i = 0;
		while (i < NDEFS && strcmp(defs[i].key, changes[k].key) != 0)
			i++;
		if (i == NDEFS) {
			err_field(s->err, changes[k].key, N_("Unknown setting \"%s\""),
			          changes[k].key);
			s->err->code = KH_EBADREQ;
			continue;
		}
		int64_t v;
		if (!num_parse_int64(changes[k].value, &v) || v < defs[i].min || v > defs[i].max) {
			err_field(s->err, defs[i].key,
			          N_("%s must be a whole number from %lld to %lld"),
			          tr(s->lang, defs[i].label), (long long)defs[i].min,
			          (long long)defs[i].max);
			continue;
		}
		values[i] = v;
		touched[i] = true;
	}
	if (s->err->nfields > before || check_order(s, values, touched) < 0)
		return -1;
	if (store_begin(s->db, s->err) < 0)
		return -1;
	/* claim the version first, atomically: of two concurrent saves with the same
	 * If-Match exactly one passes, on SQLite and PostgreSQL alike */
	char want[24], next[24];
	snprintf(want, sizeof(want), "%lld", (long long)version);
	snprintf(next, sizeof(next), "%lld", (long long)version + 1);
	bool swapped;
	json_t *d = NULL;
	if (store_setting_swap(s->db, "settings_version", want, next, &swapped, s->err) < 0)
		goto fail;
	if (!swapped) {
		store_rollback(s->db);
		return err_set(s->err, KH_ECONFLICT, NULL);
	}
	d = json_object();
	int written = 0;
	for (int i = 0; i < NDEFS; i++) {
		if (!touched[i] || values[i] == current(s, defs[i].key, defs[i].dflt))
			continue;
		char txt[24];
		snprintf(txt, sizeof(txt), "%lld", (long long)values[i]);
		if (store_setting_set(s->db, defs[i].key, txt, s->err) < 0)
			goto fail;
		json_object_set_new(d, defs[i].key, json_integer(values[i]));
		written++;
	}
	if (!written) {
		/* nothing changes: like an empty record patch, no new version, no audit */
		json_decref(d);
		store_rollback(s->db);
		return 0;
	}
	if (store_cache_gen_bump(s->db, s->err) < 0)
		goto fail;
	int rc = audit_event(s, "update", "settings", 0, d); /* takes d */
	d = NULL;
	if (rc < 0)
		goto fail;
	if (store_commit(s->db, s->err) < 0)
		return -1;
	return svc_refresh(s);
fail:
	json_decref(d);
	store_rollback(s->db);
	return -1;
}
