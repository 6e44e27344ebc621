/*
 * setup — a new database: schema, the built-in roles, the default
 * dictionaries, the head office and the first administrator.
 */
#include <string.h>

#include "service/internal.h"
#include "util/crypto.h"

static int count_rows(svc *s, const kh_entity *ent, int64_t *n)
{
	kh_record *rows;
	int count;
	arena tmp = ARENA_INIT;
	int rc = store_record_all(s->db, ent, &tmp, &rows, &count, s->err);
	*n = count;
	arena_release(&tmp);
	return rc;
}

/*
 * The default options of every dictionary kind that has none yet: all of them
 * in a new database, and the kinds a newer kehu brings in an upgraded one.
 * Options are never deleted (only retired), so an empty kind was never seeded.
 */
static int seed_dicts(svc *s)
{
	kh_record *rows;
	int n;
	if (store_record_all(s->db, &dict_option_entity, s->a, &rows, &n, s->err) < 0)
		return -1;
	const char *kind = NULL;
	bool seeded = false;
	int order = 0;
	for (int i = 0; i < dict_default_count; i++) {
		const dict_default *d = &dict_defaults[i];
		if (!kind || strcmp(kind, d->kind) != 0) {
			kind = d->kind;
			order = 0;
			seeded = false;
			for (int j = 0; j < n && !seeded; j++)
				seeded = !strcmp(rows[j].v[OF_KIND].s, kind);
		}
		order += 10;
		if (seeded)
			continue;
		kh_record r;
		record_init(&r, &dict_option_entity, s->a);
		record_set_text(&r, OF_KIND, d->kind);
		record_set_text(&r, OF_CODE, d->code);
		record_set_text(&r, OF_LABEL_ZH, d->zh);
		record_set_text(&r, OF_LABEL_EN, d->en);
		record_set_int(&r, OF_SORT_ORDER, order);
		record_set_int(&r, OF_RETIRED, 0);
		stamp_new(s, &r);
		if (store_record_insert(s->db, &r, s->err) < 0)
			return -1;
	}
	return 0;
}

int svc_migrate(svc *s, int *applied)
{
	if (store_migrate(s->db, applied, s->err) < 0)
		return -1;
	svc_act_as_system(s);
	if (store_begin(s->db, s->err) < 0)
		return -1;
	/* customers made before name keys existed get theirs (a no-op after that) */
	int64_t keyed;
	if (seed_dicts(s) < 0 || seed_indicators(s) < 0 ||
	    store_name_keys_fill(s->db, &keyed, s->err) < 0 ||
	    store_cache_gen_bump(s->db, s->err) < 0) {
		store_rollback(s->db);
		return -1;
	}
	return store_commit(s->db, s->err);
}

int svc_bootstrap(svc *s, const char *password, const char **generated)
{
	*generated = NULL;
	if (store_migrate(s->db, NULL, s->err) < 0)
		return -1;
	svc_act_as_system(s);
	if (store_begin(s->db, s->err) < 0)
		return -1;
	/* all in one transaction: a refused password leaves nothing half-made */
	role_row *roles;
	int nroles;
	int64_t ndepts;
	if (seed_dicts(s) < 0 || seed_indicators(s) < 0 ||
	    store_roles(s->db, s->a, &roles, &nroles, s->err) < 0 ||
	    count_rows(s, &department_entity, &ndepts) < 0)
		goto fail;
	if (nroles == 0)
		for (int i = 0; i < role_default_count; i++)
			if (store_role_upsert(s->db, role_defaults[i].code, role_defaults[i].perms,
			                      role_defaults[i].scope, s->err) < 0)
				goto fail;
	int64_t head = 0;
	if (ndepts == 0) {
		kh_record d;
		record_init(&d, &department_entity, s->a);
		record_set_text(&d, DF_NAME, "总公司");
		record_set_text(&d, DF_CODE_PREFIX, "KH");
		record_set_int(&d, DF_SORT_ORDER, 0);
		stamp_new(s, &d);
		if (store_record_insert(s->db, &d, s->err) < 0)
			goto fail;
		head = d.v[F_ID].i;
	}
	if (store_cache_gen_bump(s->db, s->err) < 0)
		goto fail;
	int64_t uid;
	const char *hash;
	bool disabled;
	if (store_password_get(s->db, "admin", s->a, &uid, &hash, &disabled, s->err) == 0) {
		/* already set up */
		return store_commit(s->db, s->err);
	}
	if (s->err->code != KH_ENOTFOUND)
		goto fail;
	err_clear(s->err);
	if (!password) {
		char tok[CRYPTO_TOKEN_LEN];
		crypto_token(tok);
		tok[16] = '\0';
		password = *generated = arena_strdup(s->a, tok);
	} else if (strlen(password) < 8) {
		err_field(s->err, "password", N_("The password must be %d to %d characters"), 8,
		          256);
		goto fail;
	}
	char pw_hash[CRYPTO_HASH_LEN];
	if (crypto_password_hash(password, pw_hash) < 0) {
		err_set(s->err, KH_EINTERNAL, NULL);
		goto fail;
	}
	kh_record u;
	record_init(&u, &user_entity, s->a);
	record_set_text(&u, UF_USERNAME, "admin");
	record_set_text(&u, UF_DISPLAY_NAME, "系统管理员");
	record_set_text(&u, UF_ROLE, "admin");
	if (head)
		record_set_int(&u, UF_DEPARTMENT, head);
	record_set_int(&u, UF_DISABLED, 0);
	stamp_new(s, &u);
	if (store_record_insert(s->db, &u, s->err) < 0 ||
	    store_password_set(s->db, u.v[F_ID].i, pw_hash, s->err) < 0 ||
	    audit_change(s, "create", &user_entity, u.v[F_ID].i, NULL, &u) < 0)
		goto fail;
	if (store_commit(s->db, s->err) < 0)
		return -1;
	return svc_refresh(s);
fail:
	*generated = NULL;
	store_rollback(s->db);
	return -1;
}
