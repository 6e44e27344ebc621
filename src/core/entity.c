/*
 * entity — helpers over the field model.
 */
#include "core/entity.h"

#include <string.h>

#include "util/i18n.h"

int entity_field(const kh_entity *ent, const char *name)
{
	for (int i = 0; i < ent->nfields; i++)
		if (strcmp(ent->fields[i].name, name) == 0)
			return i;
	return -1;
}

void record_init(kh_record *r, const kh_entity *ent, arena *a)
{
	r->ent = ent;
	r->v = arena_calloc(a, (size_t)ent->nfields, sizeof(kh_value));
}

void record_copy(kh_record *dst, const kh_record *src, arena *a)
{
	record_init(dst, src->ent, a);
	for (int i = 0; i < src->ent->nfields; i++) {
		dst->v[i] = src->v[i];
		dst->v[i].s = arena_strdup(a, src->v[i].s);
	}
}

void record_set_int(kh_record *r, int f, int64_t v)
{
	r->v[f].state = V_SET;
	r->v[f].i = v;
	r->v[f].s = NULL;
}

void record_set_text(kh_record *r, int f, const char *s)
{
	r->v[f].state = s ? V_SET : V_NULL;
	r->v[f].s = s;
	r->v[f].i = 0;
}

void record_set_null(kh_record *r, int f)
{
	r->v[f].state = V_NULL;
	r->v[f].s = NULL;
	r->v[f].i = 0;
}

bool record_is_set(const kh_record *r, int f)
{
	return f >= 0 && r->v[f].state == V_SET;
}

int64_t record_int(const kh_record *r, int f, int64_t dflt)
{
	return record_is_set(r, f) ? r->v[f].i : dflt;
}

const char *record_text(const kh_record *r, int f)
{
	return record_is_set(r, f) ? r->v[f].s : NULL;
}

bool field_is_int(field_type t)
{
	switch (t) {
	case FT_ID:
	case FT_INT:
	case FT_MONEY:
	case FT_BOOL:
	case FT_USER:
	case FT_DEPT:
	case FT_REF:
		return true;
	default:
		return false;
	}
}

const char *field_label(const kh_field *f, int lang)
{
	return tr((kh_lang)lang, f->label);
}

bool value_equal(field_type t, const kh_value *a, const kh_value *b)
{
	if (a->state != b->state)
		return false;
	if (a->state != V_SET)
		return true;
	if (field_is_int(t))
		return a->i == b->i;
	if (!a->s || !b->s)
		return a->s == b->s;
	return strcmp(a->s, b->s) == 0;
}
