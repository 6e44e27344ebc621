/*
 * mask — masking rules by kind.
 */
#include "core/mask.h"

#include <string.h>

#include "core/phone.h"
#include "util/utf8.h"

/* The first n characters of s followed by "****". */
static const char *keep_chars(arena *a, const char *s, size_t n)
{
	const char *p = s, *end = s + strlen(s);
	for (size_t i = 0; i < n && p < end; i++)
		utf8_decode(&p, end);
	return arena_printf(a, "%.*s****", (int)(p - s), s);
}

const char *mask_text(arena *a, mask_kind kind, const char *s)
{
	if (!s)
		return NULL;
	switch (kind) {
	case MASK_NONE:
		return s;
	case MASK_PHONE:
		return phone_mask(a, s);
	case MASK_EMAIL: {
		const char *at = strchr(s, '@');
		if (!at || at == s)
			return "****";
		return arena_printf(a, "%.1s***%s", s, at);
	}
	case MASK_HANDLE:
		return keep_chars(a, s, 2);
	case MASK_ADDRESS:
		return keep_chars(a, s, 3);
	case MASK_DATE:
		return strlen(s) >= 4 ? arena_printf(a, "%.4s-**-**", s) : "****";
	case MASK_HIDE:
		return "****";
	}
	return "****";
}

void record_mask(kh_record *r, arena *a, bool may_unmask, bool may_profile)
{
	for (int i = 0; i < r->ent->nfields; i++) {
		const kh_field *f = &r->ent->fields[i];
		kh_value *v = &r->v[i];
		if ((f->flags & FF_PROFILE) && !may_profile) {
			v->state = V_ABSENT;
			v->s = NULL;
			continue;
		}
		if ((f->flags & FF_PII) && !may_unmask && v->state == V_SET && v->s)
			v->s = mask_text(a, f->mask, v->s);
	}
}
