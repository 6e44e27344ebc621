/*
 * jsonw — a streaming JSON writer into a buf.
 *
 * jansson builds a tree of small allocations, which for a 50-row list page
 * (thousands of values) costs more than the database query; kehu's
 * records are therefore written straight to text. Strings must be valid
 * UTF-8 (everything kehu stores was validated on the way in); they are
 * escaped as JSON requires, plus U+2028/U+2029 so the text is also safe
 * inside a <script>. jansson still parses every input.
 *
 * The writer tracks commas itself; callers just say what comes next.
 */
#ifndef KEHU_UTIL_JSONW_H
#define KEHU_UTIL_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define JSONW_MAX_DEPTH 32

typedef struct jsonw {
	buf *out;
	int depth;
	bool first[JSONW_MAX_DEPTH]; /* nothing written yet at this level */
	bool after_key;
} jsonw;

/* Write into out (which the caller owns; no cap, or big enough). */
void jsonw_init(jsonw *w, buf *out);
void jsonw_object(jsonw *w);
void jsonw_object_end(jsonw *w);
void jsonw_array(jsonw *w);
void jsonw_array_end(jsonw *w);
/* An object key; the next call writes its value. */
void jsonw_key(jsonw *w, const char *key);
void jsonw_string(jsonw *w, const char *s); /* NULL writes null */
void jsonw_int(jsonw *w, int64_t v);
void jsonw_bool(jsonw *w, bool v);
void jsonw_null(jsonw *w);
/* Text that is already JSON (a stored tags array, a custom-fields object). */
void jsonw_raw(jsonw *w, const char *json);

#endif
