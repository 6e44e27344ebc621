/*
 * validate — generic field rules; see validate.h.
 */
#include "core/validate.h"

#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "util/date.h"
#include "util/money.h"
#include "util/utf8.h"

static const char *fname(arena *a, const char *prefix, const kh_field *f)
{
	return prefix && *prefix ? arena_printf(a, "%s%s", prefix, f->name) : f->name;
}

int err_required(kh_err *e, const kh_field *f, const char *prefix)
{
	return err_field(e, fname(e->ar, prefix, f), N_("%s is required"), field_label(f, e->lang));
}

/* Control characters other than tab and (for long text) newline. */
static bool has_controls(const char *s, bool multiline)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\t' || (multiline && *p == '\n'))
			continue;
		if (*p < 0x20 || *p == 0x7F)
			return true;
	}
	return false;
}

static char *drop_cr(arena *a, const char *s)
{
	char *o = arena_alloc(a, strlen(s) + 1), *q = o;
	for (const char *p = s; *p; p++)
		if (*p != '\r')
			*q++ = *p;
	*q = '\0';
	return o;
}

static int check_text(kh_value *v, const kh_field *f, const char *name, arena *a, kh_err *e)
{
	bool multi = f->type == FT_LONGTEXT;
	const char *label = field_label(f, e->lang);
	if (!utf8_valid(v->s, strlen(v->s)))
		return err_field(e, name, N_("%s is not valid UTF-8 text"), label);
	const char *s = multi ? drop_cr(a, v->s) : v->s;
	if (has_controls(s, multi))
		return err_field(e, name, N_("%s contains control characters"), label);
	s = utf8_trim(a, s);
	if (!*s) {
		v->state = V_NULL;
		v->s = NULL;
		return 0;
	}
	int max = f->max ? f->max : (multi ? LONGTEXT_DEFAULT_MAX : TEXT_DEFAULT_MAX);
	if (utf8_chars(s) > (size_t)max)
		return err_field(e, name, N_("%s is longer than %d characters"), label, max);
	v->s = s;
	return 0;
}

static int check_tags(kh_value *v, const kh_field *f, const char *name, arena *a, kh_err *e)
{
	const char *label = field_label(f, e->lang);
	json_error_t jerr;
	json_t *arr = json_loads(v->s, JSON_REJECT_DUPLICATES, &jerr);
	int rc = 0;
	if (!arr || !json_is_array(arr)) {
		rc = err_field(e, name, N_("%s must be a list of text"), label);
		goto out;
	}
	if (json_array_size(arr) > TAGS_MAX) {
		rc = err_field(e, name, N_("%s: at most %d tags"), label, TAGS_MAX);
		goto out;
	}
	json_t *clean = json_array();
	size_t i;
	json_t *t;
	json_array_foreach(arr, i, t)
	{
		if (!json_is_string(t)) {
			rc = err_field(e, name, N_("%s must be a list of text"), label);
			break;
		}
		const char *s = utf8_trim(a, json_string_value(t));
		if (!*s)
			continue;
		if (has_controls(s, false) || strchr(s, ',') || utf8_chars(s) > TAG_MAX_CHARS) {
			rc = err_field(e, name,
			               N_("%s: each tag is at most %d characters, without commas"),
			               label, TAG_MAX_CHARS);
			break;
		}
		bool dup = false;
		size_t j;
		json_t *c;
		json_array_foreach(clean, j, c) if (strcmp(json_string_value(c), s) == 0) dup =
		        true;
		if (!dup)
			json_array_append_new(clean, json_string(s));
	}
	if (rc == 0) {
		if (json_array_size(clean) == 0) {
			v->state = V_NULL;
			v->s = NULL;
		} else {
			char *txt = json_dumps(clean, JSON_COMPACT);
			v->s = arena_strdup(a, txt);
			free(txt);
		}
	}
	json_decref(clean);
out:
	json_decref(arr);
	return rc;
}

static int check_value(kh_value *v, const kh_field *f, const char *name, arena *a, kh_err *e)
{
	const char *label = field_label(f, e->lang);
	switch (f->type) {
	case FT_TEXT:
	case FT_LONGTEXT:
		return check_text(v, f, name, a, e);
	case FT_DATE:
		if (!date_valid(v->s))
			return err_field(e, name, N_("%s must be a date like 2024-05-10"), label);
		return 0;
	case FT_TIME: {
		int64_t t;
		if (!time_parse_iso(v->s, &t))
			return err_field(e, name, N_("%s must be a time like 2024-05-10T08:00:00Z"),
			                 label);
		return 0;
	}
	case FT_MONEY:
		if (v->i < 0 || v->i > MONEY_MAX_FEN)
			return err_field(
			        e, name,
			        N_("%s must be an amount from 0 to 10,000,000,000,000 yuan"),
			        label);
		return 0;
	case FT_INT: {
		int64_t max = f->max ? f->max : INT32_MAX;
		int min = (f->flags & FF_FROM_ONE) ? 1 : 0;
		if (v->i < min || v->i > max)
			return err_field(e, name, N_("%s must be a whole number from %d to %lld"),
			                 label, min, (long long)max);
		return 0;
	}
	case FT_BOOL:
		if (v->i != 0 && v->i != 1)
			return err_field(e, name, N_("%s must be true or false"), label);
		return 0;
	case FT_TAGS:
		return check_tags(v, f, name, a, e);
	case FT_DICT:
	case FT_CUSTOM:
	case FT_USER:
		if (v->s && !utf8_valid(v->s, strlen(v->s)))
			return err_field(e, name, N_("%s is not valid UTF-8 text"), label);
		return 0;
	case FT_ID:
	case FT_DEPT:
	case FT_REF:
		if (v->i <= 0)
			return err_field(e, name, N_("%s must be a positive id"), label);
		return 0;
	}
	return 0;
}

int record_validate(kh_record *r, const kh_record *old, unsigned allow, const char *prefix,
                    arena *a, kh_err *e)
{
	int before = e->nfields;
	const kh_entity *ent = r->ent;
	for (int i = 0; i < ent->nfields; i++) {
		const kh_field *f = &ent->fields[i];
		kh_value *v = &r->v[i];
		if (v->state == V_ABSENT)
			continue;
		const char *name = fname(a, prefix, f);
		const char *label = field_label(f, e->lang);
		if ((f->flags & FF_SYSTEM) && !(allow & ALLOW_SYSTEM)) {
			err_field(e, name, N_("%s is maintained by kehu and cannot be set"), label);
			continue;
		}
		if ((f->flags & FF_DERIVED) && !(allow & ALLOW_DERIVED)) {
			err_field(e, name, N_("%s is computed by kehu and cannot be set"), label);
			continue;
		}
		if ((f->flags & FF_READONLY) && !(allow & ALLOW_READONLY)) {
			err_field(e, name, N_("%s is changed by its own action, not by editing"),
			          label);
			continue;
		}
		if (f->type == FT_BOOL && v->state == V_NULL) {
			/* a yes/no has no unknown: null is no */
			v->state = V_SET;
			v->i = 0;
		}
		if (v->state == V_SET && check_value(v, f, name, a, e) < 0)
			continue;
		if ((f->flags & FF_CREATE_ONLY) && old) {
			if (!value_equal(f->type, v, &old->v[i]))
				err_field(e, name, N_("%s cannot be changed once set"), label);
			v->state = V_ABSENT;
			continue;
		}
		if ((f->flags & FF_REQUIRED) && v->state == V_NULL)
			err_required(e, f, prefix);
	}
	if (!old) {
		for (int i = 0; i < ent->nfields; i++) {
			const kh_field *f = &ent->fields[i];
			if ((f->flags & FF_REQUIRED) && r->v[i].state == V_ABSENT)
				err_required(e, f, prefix);
		}
	}
	if (ent->check) {
		/* the entity check names fields without prefix; fix them up */
		int from = e->nfields;
		ent->check(r, old == NULL, a, e);
		if (prefix && *prefix)
			for (int k = from; k < e->nfields; k++)
				e->fields[k].field =
				        arena_printf(a, "%s%s", prefix, e->fields[k].field);
	}
	return e->nfields > before ? -1 : 0;
}
