/*
 * admin — dictionaries, custom fields, users, departments and roles.
 *
 * These tables are small and read on every request, so they live in the
 * cache snapshot; every change bumps the cache generation in the same
 * transaction, which makes every server reload them.
 */
#include <string.h>

#include "core/validate.h"
#include "service/internal.h"
#include "service/render.h"
#include "util/crypto.h"
#include "util/date.h"
#include "util/utf8.h"

#define PASSWORD_MIN 8
#define PASSWORD_MAX 256

static int require_login(svc *s)
{
	if (!s->actor.user_id && !s->actor.system)
		return err_set(s->err, KH_EAUTH, NULL);
	return svc_snapshot(s, -1);
}

static int dup_field(svc *s, const kh_entity *ent, int field, const char *value)
{
	if (s->err->code != KH_EDUP)
		return -1;
	err_clear(s->err);
	err_field(s->err, ent->fields[field].name, N_("%s \"%s\" is already used"),
	          field_label(&ent->fields[field], s->lang), value ? value : "");
	s->err->code = KH_EDUP;
	return -1;
}

/*
 * The common path of a small admin record change: insert or update, bump
 * the cache generation, audit, commit and reload the snapshot.
 */
static int write_admin(svc *s, kh_record *r, const kh_record *old, int64_t id, int64_t version,
                       int dup_on)
{
	if (store_begin(s->db, s->err) < 0)
		return -1;
	int rc;
	if (old)
		rc = store_record_update(s->db, r, id, version, svc_now(s), s->err);
	else
		rc = store_record_insert(s->db, r, s->err);
	if (rc < 0) {
		if (dup_on >= 0)
			dup_field(s, r->ent, dup_on, record_text(r, dup_on));
		goto fail;
	}
	if (!old)
		id = r->v[F_ID].i;
	if (store_cache_gen_bump(s->db, s->err) < 0 ||
	    audit_change(s, old ? "update" : "create", r->ent, id, old, r) < 0)
		goto fail;
	if (store_commit(s->db, s->err) < 0)
		return -1;
	return svc_refresh(s);
fail:
	store_rollback(s->db);
	return -1;
}

/* A patch that changes nothing is fine unless the version is stale. */
static bool nothing_to_do(svc *s, kh_record *patch, const kh_record *old, int64_t version, int *rc)
{
	for (int i = F_NSYSTEM; i < patch->ent->nfields; i++) {
		kh_value *v = &patch->v[i];
		if (v->state != V_ABSENT && value_equal(patch->ent->fields[i].type, v, &old->v[i]))
			v->state = V_ABSENT;
	}
	for (int i = F_NSYSTEM; i < patch->ent->nfields; i++)
		if (patch->v[i].state != V_ABSENT)
			return false;
	*rc = old->v[F_VERSION].i == version ? 0 : err_set(s->err, KH_ECONFLICT, NULL);
	return true;
}

/* ---- dictionaries ---- */

int svc_dict_list(svc *s, const char *kind, bool with_retired, const dict_option ***out, int *n)
{
	if (require_login(s) < 0)
		return -1;
	if (kind && !dict_kind_valid(kind))
		return err_field(s->err, "kind", N_("Unknown dictionary \"%s\""), kind);
	const dict_option **all = arena_calloc(s->a, (size_t)s->snap->nopts + 1, sizeof(*all));
	int count = 0;
	/* kinds in their table order, then custom-field kinds */
	for (int k = 0; k <= dict_kind_count; k++) {
		const char *kc = k < dict_kind_count ? dict_kinds[k].code : NULL;
		if (kind && kc && strcmp(kind, kc) != 0)
			continue;
		if (!kc) {
			/* custom kinds, each in one pass over the options */
			for (int i = 0; i < s->snap->ncfields; i++) {
				const char *ck = arena_printf(s->a, "cf.%s",
				                              s->snap->cfields[i].v[XF_KEY].s);
				if (kind && strcmp(kind, ck) != 0)
					continue;
				int m = dict_list(s->snap->dicts, ck, all + count,
				                  s->snap->nopts - count);
				count += m;
			}
			continue;
		}
		count += dict_list(s->snap->dicts, kc, all + count, s->snap->nopts - count);
	}
	int m = 0;
	for (int i = 0; i < count; i++)
		if (with_retired || !all[i]->retired)
			all[m++] = all[i];
	*out = all;
	*n = m;
	return 0;
}

int svc_dict_get(svc *s, int64_t id, kh_record *out)
{
	if (require_login(s) < 0)
		return -1;
	return store_record_get(s->db, &dict_option_entity, id, false, s->a, out, s->err);
}

/*
 * People type options by code or by either label, so within a dictionary no
 * label may equal another option's code or label (case and width folded):
 * otherwise "by label" would pick one of two options silently.
 */
static int check_unambiguous(svc *s, const char *kind, int64_t self, const char *code,
                             const char *zh, const char *en)
{
	const dict_option *all[1024];
	int n = dict_list(s->snap->dicts, kind, all, 1024);
	const char *mine[3] = {code, zh, en};
	static const int fields[3] = {OF_CODE, OF_LABEL_ZH, OF_LABEL_EN};
	for (int i = 0; i < n; i++) {
		const dict_option *o = all[i];
		if (o->id == self)
			continue;
		const char *theirs[3] = {o->code, o->label_zh, o->label_en};
		for (int m = 0; m < 3; m++) {
			if (!mine[m])
				continue;
			const char *a = utf8_fold(s->a, mine[m], true);
			for (int t = 0; t < 3; t++) {
				if (!theirs[t] || strcmp(a, utf8_fold(s->a, theirs[t], true)) != 0)
					continue;
				err_field(s->err, dict_option_entity.fields[fields[m]].name,
				          N_("\"%s\" is already the code or a label of option %s"),
				          mine[m], o->code);
				s->err->code = KH_EDUP;
				return -1;
			}
		}
	}
	return 0;
}

int svc_dict_create(svc *s, kh_record *opt, int64_t *id)
{
	if (require(s, PERM_DICT_MANAGE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	if (record_validate(opt, NULL, 0, NULL, s->a, s->err) < 0)
		return -1;
	const char *kind = opt->v[OF_KIND].s;
	if (!strncmp(kind, "cf.", 3)) {
		const kh_record *def = snap_custom_field(s->snap, "customer", kind + 3);
		if (!def || strcmp(def->v[XF_TYPE].s, "dict") != 0)
			return err_field(s->err, "kind",
			                 N_("\"%s\" is not a custom field of type dict"), kind + 3);
	}
	if (check_unambiguous(s, kind, 0, opt->v[OF_CODE].s, record_text(opt, OF_LABEL_ZH),
	                      record_text(opt, OF_LABEL_EN)) < 0)
		return -1;
	if (!record_is_set(opt, OF_SORT_ORDER)) {
		const dict_option *cur[512];
		int n = dict_list(s->snap->dicts, kind, cur, 512);
		record_set_int(opt, OF_SORT_ORDER, n ? cur[n - 1]->sort_order + 10 : 10);
	}
	if (!record_is_set(opt, OF_RETIRED))
		record_set_int(opt, OF_RETIRED, 0);
	stamp_new(s, opt);
	if (write_admin(s, opt, NULL, 0, 0, OF_CODE) < 0)
		return -1;
	*id = opt->v[F_ID].i;
	return 0;
}

int svc_dict_update(svc *s, int64_t id, int64_t version, kh_record *patch)
{
	if (require(s, PERM_DICT_MANAGE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	kh_record old;
	if (store_record_get(s->db, &dict_option_entity, id, false, s->a, &old, s->err) < 0 ||
	    record_validate(patch, &old, 0, NULL, s->a, s->err) < 0)
		return -1;
	int rc;
	if (nothing_to_do(s, patch, &old, version, &rc))
		return rc;
	if (check_unambiguous(s, old.v[OF_KIND].s, id, NULL, record_text(patch, OF_LABEL_ZH),
	                      record_text(patch, OF_LABEL_EN)) < 0)
		return -1;
	return write_admin(s, patch, &old, id, version, -1);
}

/* ---- custom fields ---- */

int svc_custom_field_list(svc *s, kh_record **rows, int *n)
{
	if (require_login(s) < 0)
		return -1;
	*rows = s->snap->cfields;
	*n = s->snap->ncfields;
	return 0;
}

int svc_custom_field_get(svc *s, int64_t id, kh_record *out)
{
	if (require_login(s) < 0)
		return -1;
	return store_record_get(s->db, &custom_field_entity, id, false, s->a, out, s->err);
}

int svc_custom_field_create(svc *s, kh_record *def, int64_t *id)
{
	if (require(s, PERM_DICT_MANAGE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	if (def->v[XF_ENTITY].state == V_ABSENT)
		record_set_text(def, XF_ENTITY, "customer");
	if (record_validate(def, NULL, 0, NULL, s->a, s->err) < 0)
		return -1;
	if (entity_field(&customer_entity, def->v[XF_KEY].s) >= 0)
		return err_field(s->err, "key", N_("\"%s\" is already a built-in field"),
		                 def->v[XF_KEY].s);
	if (!record_is_set(def, XF_REQUIRED))
		record_set_int(def, XF_REQUIRED, 0);
	if (!record_is_set(def, XF_RETIRED))
		record_set_int(def, XF_RETIRED, 0);
	if (!record_is_set(def, XF_SORT_ORDER))
		record_set_int(def, XF_SORT_ORDER, (s->snap->ncfields + 1) * 10);
	stamp_new(s, def);
	if (write_admin(s, def, NULL, 0, 0, XF_KEY) < 0)
		return -1;
	*id = def->v[F_ID].i;
	return 0;
}

int svc_custom_field_update(svc *s, int64_t id, int64_t version, kh_record *patch)
{
	if (require(s, PERM_DICT_MANAGE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	kh_record old;
	if (store_record_get(s->db, &custom_field_entity, id, false, s->a, &old, s->err) < 0 ||
	    record_validate(patch, &old, 0, NULL, s->a, s->err) < 0)
		return -1;
	int rc;
	if (nothing_to_do(s, patch, &old, version, &rc))
		return rc;
	return write_admin(s, patch, &old, id, version, -1);
}

/* ---- users ---- */

int check_outranked(svc *s, int64_t user_id)
{
	if (s->actor.system)
		return 0;
	const kh_record *u = snap_user(s->snap, user_id);
	const role_row *r = u ? snap_role(s->snap, u->v[UF_ROLE].s) : NULL;
	if (r && (r->perms & ~s->actor.perms))
		return err_set(s->err, KH_EFORBIDDEN,
		               N_("That user has permissions you do not have; only someone with "
		                  "all of them may change the account"));
	return 0;
}

int svc_user_list(svc *s, kh_record **rows, int *n)
{
	if (require_login(s) < 0)
		return -1;
	/* copies: the snapshot is shared, masking must not touch it */
	kh_record *out = arena_calloc(s->a, (size_t)s->snap->nusers + 1, sizeof(kh_record));
	for (int i = 0; i < s->snap->nusers; i++) {
		record_copy(&out[i], &s->snap->users[i], s->a);
		if (out[i].v[F_ID].i != s->actor.user_id)
			mask_for_actor(s, &out[i]);
	}
	*rows = out;
	*n = s->snap->nusers;
	return 0;
}

int svc_user_get(svc *s, int64_t id, kh_record *out)
{
	if (require_login(s) < 0 ||
	    store_record_get(s->db, &user_entity, id, false, s->a, out, s->err) < 0)
		return -1;
	if (id != s->actor.user_id)
		mask_for_actor(s, out);
	return 0;
}

static int check_password(svc *s, const char *pw)
{
	if (!pw || utf8_chars(pw) < PASSWORD_MIN || strlen(pw) > PASSWORD_MAX ||
	    !utf8_valid(pw, strlen(pw)))
		return err_field(s->err, "password", N_("The password must be %d to %d characters"),
		                 PASSWORD_MIN, PASSWORD_MAX);
	return 0;
}

/* True when making `sup` the supervisor of `user` would make a loop. */
static bool supervisor_loop(svc *s, int64_t user, int64_t sup)
{
	for (int hops = 0; sup && hops <= s->snap->nusers; hops++) {
		if (sup == user)
			return true;
		const kh_record *u = snap_user(s->snap, sup);
		sup = u ? record_int(u, UF_SUPERVISOR, 0) : 0;
	}
	return false;
}

static int check_user_fields(svc *s, kh_record *u, const kh_record *old)
{
	if (record_is_set(u, UF_ROLE) && !snap_role(s->snap, u->v[UF_ROLE].s))
		err_field(s->err, "role", N_("Unknown role \"%s\""), u->v[UF_ROLE].s);
	kh_scope sc;
	if (record_is_set(u, UF_SCOPE) && !scope_parse(u->v[UF_SCOPE].s, &sc))
		err_field(s->err, "scope",
		          N_("Data scope must be own, own_sub, dept, dept_sub or all"));
	if (old && record_is_set(u, UF_SUPERVISOR) &&
	    supervisor_loop(s, old->v[F_ID].i, u->v[UF_SUPERVISOR].i))
		err_field(s->err, "supervisor", N_("A user cannot report to themselves"));
	return s->err->code == KH_OK ? 0 : -1;
}

int svc_user_create(svc *s, kh_record *u, const char *password, const char **generated, int64_t *id)
{
	if (require(s, PERM_USER_MANAGE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	*generated = NULL;
	if (!record_is_set(u, UF_DISABLED))
		record_set_int(u, UF_DISABLED, 0);
	record_validate(u, NULL, 0, NULL, s->a, s->err);
	resolve_refs(s, u, NULL, NULL);
	if (password)
		check_password(s, password);
	if (s->err->code != KH_OK || check_user_fields(s, u, NULL) < 0)
		return -1;
	if (!password) {
		char tok[CRYPTO_TOKEN_LEN];
		crypto_token(tok);
		tok[16] = '\0';
		password = *generated = arena_strdup(s->a, tok);
	}
	char hash[CRYPTO_HASH_LEN];
	if (crypto_password_hash(password, hash) < 0)
		return err_set(s->err, KH_EINTERNAL, NULL);
	stamp_new(s, u);
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (store_record_insert(s->db, u, s->err) < 0) {
		dup_field(s, &user_entity, UF_USERNAME, record_text(u, UF_USERNAME));
		goto fail;
	}
	*id = u->v[F_ID].i;
	if (store_password_set(s->db, *id, hash, s->err) < 0 ||
	    store_cache_gen_bump(s->db, s->err) < 0 ||
	    audit_change(s, "create", &user_entity, *id, NULL, u) < 0)
		goto fail;
	if (store_commit(s->db, s->err) < 0)
		return -1;
	return svc_refresh(s);
fail:
	store_rollback(s->db);
	return -1;
}

int svc_user_update(svc *s, int64_t id, int64_t version, kh_record *patch)
{
	if (svc_snapshot(s, -1) < 0)
		return -1;
	bool self = id == s->actor.user_id;
	if (!self && (require(s, PERM_USER_MANAGE) < 0 || check_outranked(s, id) < 0))
		return -1;
	kh_record old;
	if (store_record_get(s->db, &user_entity, id, false, s->a, &old, s->err) < 0)
		return -1;
	if (!svc_can(s, PERM_USER_MANAGE)) {
		/* people may change how they are shown and reached, not their powers */
		static const int admin_only[] = {UF_ROLE,  UF_DEPARTMENT, UF_SUPERVISOR,
		                                 UF_SCOPE, UF_DISABLED,   UF_MAX_CUSTOMERS};
		for (size_t i = 0; i < sizeof(admin_only) / sizeof(admin_only[0]); i++)
			if (patch->v[admin_only[i]].state != V_ABSENT)
				err_field(s->err, user_entity.fields[admin_only[i]].name,
				          N_("Changing this needs the user.manage permission"));
	}
	record_validate(patch, &old, 0, NULL, s->a, s->err);
	resolve_refs(s, patch, &old, NULL);
	if (s->err->code != KH_OK || check_user_fields(s, patch, &old) < 0)
		return -1;
	int rc;
	if (nothing_to_do(s, patch, &old, version, &rc))
		return rc;
	bool was_admin =
	        strcmp(old.v[UF_ROLE].s, "admin") == 0 && !record_int(&old, UF_DISABLED, 0);
	bool loses_admin =
	        (record_is_set(patch, UF_ROLE) && strcmp(patch->v[UF_ROLE].s, "admin")) ||
	        record_int(patch, UF_DISABLED, 0);
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (was_admin && loses_admin) {
		/* counted inside the transaction, the others' rows held: two admins
		 * disabling each other at once cannot leave nobody */
		int64_t others;
		if (store_count_admins(s->db, id, &others, s->err) < 0)
			goto fail;
		if (!others) {
			store_rollback(s->db);
			return err_set(s->err, KH_EBADREQ,
			               N_("This is the last administrator; make someone else an "
			                  "administrator first"));
		}
	}
	if (store_record_update(s->db, patch, id, version, svc_now(s), s->err) < 0 ||
	    store_cache_gen_bump(s->db, s->err) < 0 ||
	    audit_change(s, "update", &user_entity, id, &old, patch) < 0)
		goto fail;
	if (patch->v[UF_DEPARTMENT].state != V_ABSENT) {
		/* the user's customers follow to the new department: one audit entry
		 * says how many, the customers' versions move on */
		int64_t dept = record_int(patch, UF_DEPARTMENT, 0), moved;
		if (store_customers_set_department(s->db, id, dept, svc_now(s), &moved, s->err) < 0)
			goto fail;
		if (moved && audit_event(s, "move_customers", "user", id,
		                         json_pack("{s:I, s:I}", "department", (json_int_t)dept,
		                                   "customers", (json_int_t)moved)) < 0)
			goto fail;
	}
	if (record_int(patch, UF_DISABLED, 0) && store_sessions_delete_user(s->db, id, s->err) < 0)
		goto fail;
	if (store_commit(s->db, s->err) < 0)
		return -1;
	return svc_refresh(s);
fail:
	store_rollback(s->db);
	return -1;
}

int svc_user_password(svc *s, int64_t id, const char *old_password, const char *password)
{
	if (svc_snapshot(s, -1) < 0)
		return -1;
	bool self = id == s->actor.user_id;
	if (!self && (require(s, PERM_USER_MANAGE) < 0 || check_outranked(s, id) < 0))
		return -1;
	const kh_record *u = snap_user(s->snap, id);
	if (!u)
		return err_set(s->err, KH_ENOTFOUND, N_("%s %lld not found"),
		               tr(s->lang, user_entity.label), (long long)id);
	/* one's own password needs the current one, whoever one is (a stolen
	 * session must not take the account); the recovery path is the CLI on the
	 * server itself */
	if (self && !s->actor.system && strcmp(s->origin, "cli") != 0) {
		/* a stolen session must not become a password-guessing oracle */
		const char *username = u->v[UF_USERNAME].s;
		int64_t uid, now = time_now_unix();
		const char *hash;
		bool disabled;
		if (throttle_check(s, username, now) < 0)
			return -1;
		if (store_password_get(s->db, username, s->a, &uid, &hash, &disabled, s->err) < 0)
			return -1;
		if (!old_password || !crypto_password_verify(hash, old_password)) {
			if (store_login_failure_add(s->db, username, s->origin, now, s->err) < 0)
				return -1;
			return err_field(s->err, "old_password",
			                 N_("The current password is wrong"));
		}
	}
	if (check_password(s, password) < 0)
		return -1;
	char hash[CRYPTO_HASH_LEN];
	if (crypto_password_hash(password, hash) < 0)
		return err_set(s->err, KH_EINTERNAL, NULL);
	if (store_begin(s->db, s->err) < 0)
		return -1;
	/* a new password ends every session of the account */
	if (store_password_set(s->db, id, hash, s->err) < 0 ||
	    store_sessions_delete_user(s->db, id, s->err) < 0 ||
	    store_tokens_revoke_user(s->db, id, svc_now(s), s->err) < 0 ||
	    audit_event(s, "password", "user", id, NULL) < 0) {
		store_rollback(s->db);
		return -1;
	}
	return store_commit(s->db, s->err);
}

/* ---- departments ---- */

int svc_dept_list(svc *s, kh_record **rows, int *n)
{
	if (require_login(s) < 0)
		return -1;
	*rows = s->snap->depts;
	*n = s->snap->ndepts;
	return 0;
}

int svc_dept_get(svc *s, int64_t id, kh_record *out)
{
	if (require_login(s) < 0)
		return -1;
	return store_record_get(s->db, &department_entity, id, false, s->a, out, s->err);
}

static bool dept_loop(svc *s, int64_t dept, int64_t parent)
{
	for (int hops = 0; parent && hops <= s->snap->ndepts; hops++) {
		if (parent == dept)
			return true;
		const kh_record *d = snap_dept(s->snap, parent);
		parent = d ? record_int(d, DF_PARENT, 0) : 0;
	}
	return false;
}

int svc_dept_create(svc *s, kh_record *d, int64_t *id)
{
	if (require(s, PERM_USER_MANAGE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	if (!record_is_set(d, DF_SORT_ORDER))
		record_set_int(d, DF_SORT_ORDER, 0);
	record_validate(d, NULL, 0, NULL, s->a, s->err);
	resolve_refs(s, d, NULL, NULL);
	if (s->err->code != KH_OK)
		return -1;
	stamp_new(s, d);
	if (write_admin(s, d, NULL, 0, 0, -1) < 0)
		return -1;
	*id = d->v[F_ID].i;
	return 0;
}

int svc_dept_update(svc *s, int64_t id, int64_t version, kh_record *patch)
{
	if (require(s, PERM_USER_MANAGE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	kh_record old;
	if (store_record_get(s->db, &department_entity, id, false, s->a, &old, s->err) < 0)
		return -1;
	record_validate(patch, &old, 0, NULL, s->a, s->err);
	resolve_refs(s, patch, &old, NULL);
	if (record_is_set(patch, DF_PARENT) && dept_loop(s, id, patch->v[DF_PARENT].i))
		err_field(s->err, "parent",
		          N_("A department cannot be placed under itself or one of its "
		             "sub-departments"));
	if (s->err->code != KH_OK)
		return -1;
	int rc;
	if (nothing_to_do(s, patch, &old, version, &rc))
		return rc;
	return write_admin(s, patch, &old, id, version, -1);
}

int svc_dept_delete(svc *s, int64_t id, int64_t version)
{
	if (require(s, PERM_USER_MANAGE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	kh_record old;
	if (store_record_get(s->db, &department_entity, id, false, s->a, &old, s->err) < 0)
		return -1;
	int64_t users = 0, children = 0;
	if (store_count_refs(s->db, &user_entity, UF_DEPARTMENT, id, &users, s->err) < 0 ||
	    store_count_refs(s->db, &department_entity, DF_PARENT, id, &children, s->err) < 0)
		return -1;
	if (users || children)
		return err_set(s->err, KH_EBADREQ,
		               N_("The department still has %lld users and %lld sub-departments"),
		               (long long)users, (long long)children);
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (store_record_mark_deleted(s->db, &department_entity, id, version, true, svc_now(s),
	                              s->err) < 0 ||
	    store_cache_gen_bump(s->db, s->err) < 0 ||
	    audit_event(s, "delete", "department", id,
	                json_pack("{s:s}", "name", old.v[DF_NAME].s)) < 0) {
		store_rollback(s->db);
		return -1;
	}
	if (store_commit(s->db, s->err) < 0)
		return -1;
	return svc_refresh(s);
}

/* ---- roles ---- */

int svc_role_list(svc *s, role_row **rows, int *n)
{
	if (require_login(s) < 0)
		return -1;
	/* in the built-in order */
	role_row *out = arena_calloc(s->a, (size_t)s->snap->nroles + 1, sizeof(role_row));
	int m = 0;
	for (int i = 0; i < role_default_count; i++) {
		const role_row *r = snap_role(s->snap, role_defaults[i].code);
		if (r)
			out[m++] = *r;
	}
	for (int i = 0; i < s->snap->nroles; i++)
		if (!role_default_find(s->snap->roles[i].code))
			out[m++] = s->snap->roles[i];
	*rows = out;
	*n = m;
	return 0;
}

int svc_role_get(svc *s, const char *code, role_row *out)
{
	if (require_login(s) < 0)
		return -1;
	const role_row *r = snap_role(s->snap, code);
	if (!r)
		return err_set(s->err, KH_ENOTFOUND, N_("Unknown role \"%s\""), code);
	*out = *r;
	return 0;
}

int svc_role_patch(svc *s, const char *code, int64_t version, const char *const *names, int nnames,
                   const char *scope_text, role_row *out)
{
	if (require(s, PERM_USER_MANAGE) < 0 || svc_snapshot(s, -1) < 0)
		return -1;
	const role_row *old = snap_role(s->snap, code);
	if (!old)
		return err_set(s->err, KH_ENOTFOUND, N_("Unknown role \"%s\""), code);
	uint32_t perms = old->perms;
	kh_scope scope = (kh_scope)old->scope;
	if (names) {
		perms = 0;
		for (int i = 0; i < nnames; i++) {
			kh_perm bit;
			if (!perm_parse(names[i], &bit))
				err_field(s->err, "permissions", N_("Unknown permission \"%s\""),
				          names[i]);
			else
				perms |= bit;
		}
	}
	if (scope_text && !scope_parse(scope_text, &scope))
		err_field(s->err, "scope",
		          N_("Data scope must be own, own_sub, dept, dept_sub or all"));
	if (s->err->code != KH_OK)
		return -1;
	if (!strcmp(code, "admin") && (perms & PERM_USER_MANAGE) == 0)
		return err_field(s->err, "permissions",
		                 N_("The admin role must keep user.manage, or nobody could change "
		                    "roles again"));
	if (old->version != version)
		return err_set(s->err, KH_ECONFLICT, NULL); /* the store checks again, atomically */
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (store_role_update(s->db, code, version, perms & PERM__ALL, scope, s->err) < 0 ||
	    store_cache_gen_bump(s->db, s->err) < 0 ||
	    audit_event(s, "update", "role", 0,
	                json_pack("{s:s, s:o, s:o, s:s, s:s}", "role", code, "old_permissions",
	                          render_perms(old->perms), "new_permissions", render_perms(perms),
	                          "old_scope", scope_code((kh_scope)old->scope), "new_scope",
	                          scope_code(scope))) < 0) {
		store_rollback(s->db);
		return -1;
	}
	if (store_commit(s->db, s->err) < 0 || svc_refresh(s) < 0)
		return -1;
	return out ? svc_role_get(s, code, out) : 0;
}
