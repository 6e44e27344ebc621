/*
 * children — the rows a record owns in a table of their own (record_children:
 * a visit's expenses by item). They come with the record as one array,
 * replace the stored rows as a whole in the record's transaction, and are
 * checked like any record (types, dictionaries) before the transaction
 * starts. Their visibility is the record's: they are read only through it.
 */
#include <string.h>

#include "core/validate.h"
#include "service/internal.h"

/* The field of the rows naming the record they belong to. */
static int parent_field(const kh_entity *ent)
{
	for (int i = F_NSYSTEM; i < ent->nfields; i++)
		if (ent->fields[i].type == FT_REF)
			return i;
	return -1;
}

static int no_children(svc *s, const record_kind *k)
{
	return err_set(s->err, KH_EBADREQ, N_("%s has no rows of its own"),
	               tr(s->lang, k->ent->label));
}

static int too_many(svc *s, const record_children *c)
{
	return err_field(s->err, c->key, N_("%s may hold at most %d rows"), c->key, c->max);
}

int svc_children_from_json(svc *s, const record_kind *k, json_t *array, child_rows *out)
{
	const record_children *c = k->children;
	memset(out, 0, sizeof(*out));
	if (!c)
		return no_children(s, k);
	if (!json_is_array(array))
		return err_field(s->err, c->key, N_("%s must be an array of objects"), c->key);
	size_t n = json_array_size(array);
	if (n > (size_t)c->max)
		return too_many(s, c);
	out->rows = arena_calloc(s->a, n ? n : 1, sizeof(kh_record));
	out->n = (int)n;
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(array, i);
		const char *name = arena_printf(s->a, "%s[%zu]", c->key, i);
		if (!json_is_object(o)) {
			err_field(s->err, name, N_("%s must be an array of objects"), c->key);
			continue;
		}
		record_from_json(&out->rows[i], c->ent, o, NULL, arena_printf(s->a, "%s.", name),
		                 s->a, s->err);
	}
	return s->err->code == KH_OK ? 0 : -1;
}

int svc_children_from_text(svc *s, const record_kind *k, const char *const *texts, int n,
                           child_rows *out)
{
	const record_children *c = k->children;
	memset(out, 0, sizeof(*out));
	if (!c)
		return no_children(s, k);
	if (n > c->max)
		return too_many(s, c);
	out->rows = arena_calloc(s->a, n > 0 ? (size_t)n : 1, sizeof(kh_record));
	out->n = n;
	for (int i = 0; i < n; i++) {
		record_init(&out->rows[i], c->ent, s->a);
		c->from_text(s, texts[i], &out->rows[i]);
	}
	return s->err->code == KH_OK ? 0 : -1;
}

int children_check(svc *s, const record_kind *k, kh_record *r, const child_rows *ch)
{
	const record_children *c = k->children;
	if (!c)
		return no_children(s, k);
	if (ch->n > c->max)
		return too_many(s, c);
	for (int i = 0; i < ch->n; i++) {
		const char *prefix = arena_printf(s->a, "%s[%d].", c->key, i);
		record_validate(&ch->rows[i], NULL, 0, prefix, s->a, s->err);
		resolve_refs(s, &ch->rows[i], NULL, prefix);
	}
	if (s->err->code != KH_OK)
		return -1;
	return c->derive(s, r, ch->rows, ch->n);
}

/* The record's stored rows, in the order they were given. */
static int load_rows(svc *s, const record_kind *k, int64_t id, child_rows *out)
{
	const record_children *c = k->children;
	kh_query q;
	memset(&q, 0, sizeof(q));
	q.ent = c->ent;
	q.sort_field = F_ID;
	q.limit = c->max;
	q.view = VIEW_ACTIVE;
	q.scope.kind = SCOPE_MATCH_ALL; /* the rows go with their record */
	q.parent_id = id;
	bool more = false;
	return store_record_list(s->db, &q, NULL, s->a, &out->rows, &out->n, &more, s->err);
}

int svc_record_children(svc *s, const record_kind *k, int64_t id, child_rows *out)
{
	memset(out, 0, sizeof(*out));
	if (!k->children)
		return 0;
	kh_record r;
	if (svc_record_get(s, k, id, &r) < 0)
		return -1;
	return load_rows(s, k, id, out);
}

/* A value as stored: not given is null. */
static kh_value stored(const kh_value *v)
{
	kh_value x = *v;
	if (x.state == V_ABSENT)
		x.state = V_NULL;
	return x;
}

bool children_unchanged(svc *s, const record_kind *k, int64_t id, const child_rows *ch)
{
	const record_children *c = k->children;
	child_rows old;
	kh_err e2;
	err_init(&e2, s->a, s->lang);
	kh_err *saved = s->err;
	s->err = &e2;
	int rc = load_rows(s, k, id, &old);
	s->err = saved;
	if (rc < 0 || old.n != ch->n)
		return false;
	for (int i = 0; i < ch->n; i++)
		for (int f = 0; f < c->nfields; f++) {
			int x = c->fields[f];
			kh_value a = stored(&old.rows[i].v[x]), b = stored(&ch->rows[i].v[x]);
			if (!value_equal(c->ent->fields[x].type, &a, &b))
				return false;
		}
	return true;
}

/* Rows as the audit log keeps them (stored form). */
static json_t *rows_json(const record_children *c, const child_rows *ch)
{
	json_t *a = json_array();
	for (int i = 0; i < ch->n; i++)
		json_array_append_new(a, record_to_json(&ch->rows[i], NULL, c->fields, c->nfields));
	return a;
}

int children_save(svc *s, const record_kind *k, int64_t id, const child_rows *ch)
{
	const record_children *c = k->children;
	int pf = parent_field(c->ent);
	child_rows old;
	if (load_rows(s, k, id, &old) < 0 || store_purge_refs(s->db, c->ent, pf, id, s->err) < 0)
		return -1;
	for (int i = 0; i < ch->n; i++) {
		kh_record *row = &ch->rows[i];
		record_set_int(row, pf, id);
		stamp_new(s, row);
		if (store_record_insert(s->db, row, s->err) < 0)
			return -1;
	}
	return audit_event(
	        s, c->key, k->ent->name, id,
	        json_pack("{s:o, s:o}", "old", rows_json(c, &old), "new", rows_json(c, ch)));
}
