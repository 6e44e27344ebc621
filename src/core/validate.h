/*
 * validate — the type rules every field obeys, whatever its entity:
 * text is valid UTF-8 without control characters and within its length,
 * dates are real dates, money and counts are in range, tags are a short
 * list of short strings. Also which fields a caller may set at all.
 *
 * Rules that need the database (dictionary options, users, custom field
 * definitions, uniqueness) are the service layer's.
 */
#ifndef KEHU_CORE_VALIDATE_H
#define KEHU_CORE_VALIDATE_H

#include "core/entity.h"
#include "util/err.h"

enum validate_allow {
	ALLOW_DERIVED = 1u << 0,  /* import and derivations may set FF_DERIVED */
	ALLOW_READONLY = 1u << 1, /* dedicated actions may set FF_READONLY */
	ALLOW_SYSTEM = 1u << 2,   /* migrations between databases */
};

#define TAGS_MAX 20
#define TAG_MAX_CHARS 20
#define TEXT_DEFAULT_MAX 200
#define LONGTEXT_DEFAULT_MAX 5000

/*
 * Check and normalise the given values of r (trimmed text, empty text made
 * null, tags cleaned). old is the stored record for an update, NULL for a
 * create (then required fields must be set). Field names in errors get
 * prefix in front ("contacts[0]."). Returns 0, or -1 with field errors in e.
 */
int record_validate(kh_record *r, const kh_record *old, unsigned allow, const char *prefix,
		    arena *a, kh_err *e);

/* The message for a field whose value is required but missing. */
int err_required(kh_err *e, const kh_field *f, const char *prefix);

#endif
