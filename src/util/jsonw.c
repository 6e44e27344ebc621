/*
 * jsonw — see jsonw.h.
 */
#include "util/jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(jsonw *w, const char *s, size_t n)
{
	if (buf_add(w->out, s, n) < 0) {
		fputs("kehu: JSON output over its buffer cap\n", stderr);
		abort(); /* writers get uncapped buffers: this is a bug, not input */
	}
}

/* the separator before a value (none after a key, a comma between values) */
static void sep(jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth > 0) {
		if (!w->first[w->depth])
			put(w, ",", 1);
		w->first[w->depth] = false;
	}
}

void jsonw_init(jsonw *w, buf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

static void open(jsonw *w, char c)
{
	sep(w);
	put(w, &c, 1);
	if (w->depth + 1 < JSONW_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

static void close_level(jsonw *w, char c)
{
	put(w, &c, 1);
	if (w->depth > 0)
		w->depth--;
}

void jsonw_object(jsonw *w)
{
	open(w, '{');
}

void jsonw_object_end(jsonw *w)
{
	close_level(w, '}');
}

void jsonw_array(jsonw *w)
{
	open(w, '[');
}

void jsonw_array_end(jsonw *w)
{
	close_level(w, ']');
}

/* bytes that need a look: control characters, '"', '\\', and 0xE2 (may start U+2028/9) */
static const unsigned char special[256] = {
        [0] = 1,  [1] = 1,  [2] = 1,  [3] = 1,  [4] = 1,   [5] = 1,    [6] = 1,
        [7] = 1,  [8] = 1,  [9] = 1,  [10] = 1, [11] = 1,  [12] = 1,   [13] = 1,
        [14] = 1, [15] = 1, [16] = 1, [17] = 1, [18] = 1,  [19] = 1,   [20] = 1,
        [21] = 1, [22] = 1, [23] = 1, [24] = 1, [25] = 1,  [26] = 1,   [27] = 1,
        [28] = 1, [29] = 1, [30] = 1, [31] = 1, ['"'] = 1, ['\\'] = 1, [0xE2] = 1,
};

static void quoted(jsonw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *run = p;
	put(w, "\"", 1);
	for (;;) {
		/* the common case: long runs of ordinary bytes, copied at once */
		while (!special[*p])
			p++;
		if (!*p)
			break;
		const char *esc = NULL;
		char u[7];
		size_t skip = 1;
		if (*p == '"') {
			esc = "\\\"";
		} else if (*p == '\\') {
			esc = "\\\\";
		} else if (*p == '\n') {
			esc = "\\n";
		} else if (*p == '\r') {
			esc = "\\r";
		} else if (*p == '\t') {
			esc = "\\t";
		} else if (*p < 0x20) {
			snprintf(u, sizeof(u), "\\u00%c%c", hex[*p >> 4], hex[*p & 15]);
			esc = u;
		} else if (p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
			esc = p[2] == 0xA8 ? "\\u2028" : "\\u2029";
			skip = 3;
		} else {
			p++; /* another character starting with 0xE2: ordinary */
			continue;
		}
		put(w, (const char *)run, (size_t)(p - run));
		put(w, esc, strlen(esc));
		p += skip;
		run = p;
	}
	put(w, (const char *)run, (size_t)(p - run));
	put(w, "\"", 1);
}

void jsonw_key(jsonw *w, const char *key)
{
	sep(w);
	quoted(w, key);
	put(w, ":", 1);
	w->after_key = true;
}

void jsonw_string(jsonw *w, const char *s)
{
	if (!s) {
		jsonw_null(w);
		return;
	}
	sep(w);
	quoted(w, s);
}

void jsonw_int(jsonw *w, int64_t v)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	sep(w);
	put(w, tmp, (size_t)n);
}

void jsonw_bool(jsonw *w, bool v)
{
	sep(w);
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void jsonw_null(jsonw *w)
{
	sep(w);
	put(w, "null", 4);
}

void jsonw_raw(jsonw *w, const char *json)
{
	sep(w);
	put(w, json, strlen(json));
}
