/*
 * context — the svc context, the shared cache snapshot and the actor.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/mask.h"
#include "service/internal.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/log.h"
#include "util/money.h"

static pthread_mutex_t snap_mu = PTHREAD_MUTEX_INITIALIZER;
static snapshot *current;

static void snap_unref(snapshot *sn)
{
	if (sn && __atomic_sub_fetch(&sn->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		arena_release(&sn->a);
		free(sn->db_url);
		free(sn);
	}
}

static int setting_int(store *db, arena *a, const char *key, int dflt, kh_err *e)
{
	const char *v = NULL;
	if (store_setting_get(db, key, a, &v, e) < 0 || !v)
		return dflt;
	return atoi(v);
}

static int snap_load(store *db, int64_t gen, snapshot **out, kh_err *e)
{
	snapshot *sn = calloc(1, sizeof(*sn));
	if (!sn)
		abort();
	arena_init(&sn->a);
	sn->gen = gen;
	sn->refs = 1;
	sn->db_url = strdup(store_url(db));
	kh_record *opts;
	if (store_record_all(db, &user_entity, &sn->a, &sn->users, &sn->nusers, e) < 0 ||
	    store_record_all(db, &department_entity, &sn->a, &sn->depts, &sn->ndepts, e) < 0 ||
	    store_record_all(db, &dict_option_entity, &sn->a, &opts, &sn->nopts, e) < 0 ||
	    store_record_all(db, &custom_field_entity, &sn->a, &sn->cfields, &sn->ncfields, e) <
	            0 ||
	    store_roles(db, &sn->a, &sn->roles, &sn->nroles, e) < 0)
		goto fail;
	sn->opts = arena_calloc(&sn->a, (size_t)(sn->nopts ? sn->nopts : 1), sizeof(dict_option));
	for (int i = 0; i < sn->nopts; i++) {
		dict_option *o = &sn->opts[i];
		const kh_record *r = &opts[i];
		o->id = r->v[F_ID].i;
		o->version = r->v[F_VERSION].i;
		o->kind = r->v[OF_KIND].s;
		o->code = r->v[OF_CODE].s;
		o->label_zh = r->v[OF_LABEL_ZH].s;
		o->label_en = r->v[OF_LABEL_EN].s;
		o->sort_order = (int)record_int(r, OF_SORT_ORDER, 0);
		o->retired = record_int(r, OF_RETIRED, 0) != 0;
	}
	sn->dicts = dict_set_build(&sn->a, sn->opts, sn->nopts);
	sn->code_width = setting_int(db, &sn->a, "code_width", 3, e);
	sn->tz_minutes = setting_int(db, &sn->a, "tz_minutes", KH_DEFAULT_TZ_MINUTES, e);
	sn->loyal_count = setting_int(db, &sn->a, "stage_loyal_count", 3, e);
	sn->lost_days = setting_int(db, &sn->a, "stage_lost_days", 180, e);
	*out = sn;
	return 0;
fail:
	arena_release(&sn->a);
	free(sn->db_url);
	free(sn);
	return -1;
}

int svc_snapshot(svc *s, int64_t gen)
{
	if (gen < 0) {
		if (s->snap)
			return 0; /* keep the one this context has; svc_refresh forces a reload */
		if (store_cache_gen(s->db, &gen, s->err) < 0)
			return -1;
	}
	const char *url = store_url(s->db);
	if (s->snap && s->snap->gen == gen && !strcmp(s->snap->db_url, url))
		return 0;
	pthread_mutex_lock(&snap_mu);
	snapshot *sn = current;
	if (!sn || sn->gen != gen || strcmp(sn->db_url, url) != 0) {
		snapshot *fresh;
		if (snap_load(s->db, gen, &fresh, s->err) < 0) {
			pthread_mutex_unlock(&snap_mu);
			return -1;
		}
		snap_unref(current);
		current = fresh;
		sn = fresh;
	}
	__atomic_add_fetch(&sn->refs, 1, __ATOMIC_ACQ_REL);
	pthread_mutex_unlock(&snap_mu);
	snap_unref(s->snap);
	s->snap = sn;
	return 0;
}

void svc_init(svc *s, store *db, arena *a, kh_err *e, kh_lang lang, const char *origin)
{
	memset(s, 0, sizeof(*s));
	s->db = db;
	s->a = a;
	s->err = e;
	s->lang = lang;
	s->origin = origin;
}

void svc_release(svc *s)
{
	snap_unref(s->snap);
	s->snap = NULL;
}

int svc_refresh(svc *s)
{
	int64_t gen;
	if (store_cache_gen(s->db, &gen, s->err) < 0)
		return -1;
	if (svc_snapshot(s, gen) < 0)
		return -1;
	/* the actor's own role or department may have changed */
	if (s->actor.user_id && !s->actor.system)
		return svc_act_as(s, s->actor.user_id);
	return 0;
}

static int bsearch_id(const kh_record *rows, int n, int64_t id)
{
	int lo = 0, hi = n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		int64_t v = rows[mid].v[F_ID].i;
		if (v == id)
			return mid;
		if (v < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

const kh_record *snap_user(const snapshot *sn, int64_t id)
{
	int i = bsearch_id(sn->users, sn->nusers, id);
	return i < 0 ? NULL : &sn->users[i];
}

const kh_record *snap_user_by_name(const snapshot *sn, const char *username)
{
	for (int i = 0; i < sn->nusers; i++)
		if (strcmp(sn->users[i].v[UF_USERNAME].s, username) == 0)
			return &sn->users[i];
	return NULL;
}

const kh_record *snap_dept(const snapshot *sn, int64_t id)
{
	int i = bsearch_id(sn->depts, sn->ndepts, id);
	return i < 0 ? NULL : &sn->depts[i];
}

const role_row *snap_role(const snapshot *sn, const char *code)
{
	for (int i = 0; i < sn->nroles; i++)
		if (strcmp(sn->roles[i].code, code) == 0)
			return &sn->roles[i];
	return NULL;
}

const kh_record *snap_custom_field(const snapshot *sn, const char *entity, const char *key)
{
	for (int i = 0; i < sn->ncfields; i++) {
		const kh_record *r = &sn->cfields[i];
		if (strcmp(r->v[XF_ENTITY].s, entity) == 0 && strcmp(r->v[XF_KEY].s, key) == 0)
			return r;
	}
	return NULL;
}

int svc_act_as(svc *s, int64_t user_id)
{
	if (svc_snapshot(s, -1) < 0)
		return -1;
	const kh_record *u = snap_user(s->snap, user_id);
	if (!u || record_int(u, UF_DISABLED, 0))
		return err_set(s->err, KH_EAUTH, N_("This account does not exist or is disabled"));
	const char *role = u->v[UF_ROLE].s;
	const role_row *r = snap_role(s->snap, role);
	kh_actor *a = &s->actor;
	memset(a, 0, sizeof(*a));
	a->user_id = user_id;
	a->username = u->v[UF_USERNAME].s;
	a->display_name = u->v[UF_DISPLAY_NAME].s;
	a->role = role;
	a->perms = r ? r->perms : 0;
	a->scope = r ? (kh_scope)r->scope : SCOPE_OWN;
	kh_scope own;
	if (record_is_set(u, UF_SCOPE) && scope_parse(u->v[UF_SCOPE].s, &own))
		a->scope = own;
	a->department_id = record_int(u, UF_DEPARTMENT, 0);
	return 0;
}

int svc_act_as_username(svc *s, const char *username)
{
	if (svc_snapshot(s, -1) < 0)
		return -1;
	const kh_record *u = snap_user_by_name(s->snap, username);
	if (!u)
		return err_set(s->err, KH_EAUTH, N_("No such user: %s"), username);
	return svc_act_as(s, u->v[F_ID].i);
}

void svc_act_as_system(svc *s)
{
	memset(&s->actor, 0, sizeof(s->actor));
	s->actor.system = true;
	s->actor.username = "system";
	s->actor.display_name = "system";
	s->actor.role = "admin";
	s->actor.perms = PERM__ALL;
	s->actor.scope = SCOPE_ALL;
}

bool svc_can(const svc *s, kh_perm p)
{
	return s->actor.system || (s->actor.perms & p) == p;
}

int require(svc *s, kh_perm p)
{
	if (svc_can(s, p))
		return 0;
	if (!s->actor.user_id && !s->actor.system)
		return err_set(s->err, KH_EAUTH, NULL);
	return err_set(s->err, KH_EFORBIDDEN, N_("You do not have the permission \"%s\""),
	               perm_name(p));
}

static bool lk_dict(void *ud, const char *kind, const char *code, const char **zh, const char **en)
{
	svc *s = ud;
	const dict_option *o = s->snap ? dict_find(s->snap->dicts, kind, code) : NULL;
	if (!o)
		return false;
	*zh = o->label_zh;
	*en = o->label_en;
	return true;
}

const char *dict_label(svc *s, const char *kind, const char *code)
{
	const char *zh, *en;
	if (!code || !lk_dict(s, kind, code, &zh, &en))
		return code;
	return s->lang == KH_LANG_EN ? en : zh;
}

static const char *lk_user(void *ud, int64_t id)
{
	svc *s = ud;
	const kh_record *u = s->snap ? snap_user(s->snap, id) : NULL;
	return u ? u->v[UF_DISPLAY_NAME].s : NULL;
}

static const char *lk_dept(void *ud, int64_t id)
{
	svc *s = ud;
	const kh_record *d = s->snap ? snap_dept(s->snap, id) : NULL;
	return d ? d->v[DF_NAME].s : NULL;
}

kh_lookup svc_lookup(svc *s)
{
	return (kh_lookup){s, lk_dict, lk_user, lk_dept};
}

const char *svc_now(svc *s)
{
	if (s->clock)
		return s->clock;
	char now[TIME_LEN];
	time_now_iso(now);
	return arena_strdup(s->a, now);
}

const char *svc_today(svc *s)
{
	int64_t t;
	if (s->clock && time_parse_iso(s->clock, &t)) {
		char iso[TIME_LEN];
		time_format_iso(
		        iso,
		        t + (int64_t)(s->snap ? s->snap->tz_minutes : KH_DEFAULT_TZ_MINUTES) * 60);
		return arena_strndup(s->a, iso, 10);
	}
	char today[DATE_LEN];
	date_today(today, s->snap ? s->snap->tz_minutes : KH_DEFAULT_TZ_MINUTES);
	return arena_strdup(s->a, today);
}

const char *svc_local_time(svc *s, const char *utc)
{
	int64_t t;
	if (!utc || !time_parse_iso(utc, &t))
		return utc;
	t += (int64_t)(s->snap ? s->snap->tz_minutes : KH_DEFAULT_TZ_MINUTES) * 60;
	char iso[TIME_LEN];
	time_format_iso(iso, t);
	return arena_printf(s->a, "%.10s %.5s", iso, iso + 11);
}

const char *svc_display(svc *s, const kh_field *f, const kh_value *v, bool grouping)
{
	if (v->state != V_SET)
		return "";
	kh_lookup lk = svc_lookup(s);
	switch (f->type) {
	case FT_ID:
	case FT_INT:
	case FT_REF:
		return arena_printf(s->a, "%lld", (long long)v->i);
	case FT_MONEY: {
		char m[MONEY_LEN];
		money_format(m, v->i, grouping);
		return arena_strdup(s->a, m);
	}
	case FT_BOOL:
		return tr(s->lang, v->i ? N_("yes") : N_("no"));
	case FT_DICT: {
		const char *zh = NULL, *en = NULL;
		if (lk.dict_label(lk.ud, f->dict, v->s, &zh, &en))
			return s->lang == KH_LANG_EN ? en : zh;
		return v->s;
	}
	case FT_USER:
	case FT_DEPT: {
		const char *n =
		        f->type == FT_USER ? lk.user_name(lk.ud, v->i) : lk.dept_name(lk.ud, v->i);
		return n ? n : arena_printf(s->a, "#%lld", (long long)v->i);
	}
	case FT_TAGS: {
		json_t *arr = json_loads(v->s, 0, NULL);
		buf b;
		buf_init(&b, 0);
		size_t i;
		json_t *t;
		json_array_foreach(arr, i, t)
		{
			if (buf_addf(&b, "%s%s", i ? "," : "", json_string_value(t)) < 0)
				break;
		}
		json_decref(arr);
		const char *out = arena_strdup(s->a, buf_str(&b));
		buf_release(&b);
		return out;
	}
	case FT_TIME:
		return svc_local_time(s, v->s);
	default:
		return v->s ? v->s : "";
	}
}

void mask_for_actor(svc *s, kh_record *r)
{
	record_mask(r, s->a, svc_can(s, PERM_PII_UNMASK), svc_can(s, PERM_PROFILE_READ));
}

int commit_or_rollback(svc *s)
{
	if (store_commit(s->db, s->err) < 0)
		return -1;
	return 0;
}

void stamp_new(svc *s, kh_record *r)
{
	const char *now = svc_now(s);
	record_set_text(r, F_CREATED_AT, now);
	record_set_text(r, F_UPDATED_AT, now);
	if (s->actor.user_id)
		record_set_int(r, F_CREATED_BY, s->actor.user_id);
	else
		record_set_null(r, F_CREATED_BY);
	record_set_int(r, F_VERSION, 1);
}

bool svc_parse_bool(const char *v, bool *out)
{
	if (!v)
		return false;
	if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "是")) {
		*out = true;
		return true;
	}
	if (!strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "否")) {
		*out = false;
		return true;
	}
	return false;
}

bool svc_parse_id(const char *v, int64_t *out)
{
	if (!v || !*v || strlen(v) > 18)
		return false;
	int64_t n = 0;
	for (const char *p = v; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		n = n * 10 + (*p - '0');
	}
	if (n <= 0)
		return false;
	*out = n;
	return true;
}
