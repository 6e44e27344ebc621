/*
 * utf8 — see utf8.h. The decoder is the usual table-free one; it is small
 * and the hot paths (JSON, SQLite) do their own validation anyway.
 */
#include "util/utf8.h"

#include <locale.h>
#include <pthread.h>
#include <string.h>
#include <wchar.h>

bool utf8_valid(const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	while (p < end) {
		if ((unsigned char)*p < 0x80) {
			p++;
			continue;
		}
		if (utf8_decode(&p, end) < 0)
			return false;
	}
	return true;
}

int32_t utf8_decode(const char **pp, const char *end)
{
	const unsigned char *p = (const unsigned char *)*pp;
	const unsigned char *e = (const unsigned char *)end;
	if (p >= e)
		return -1;
	unsigned c = p[0];
	int32_t cp;
	int n;
	if (c < 0x80) {
		*pp += 1;
		return (int32_t)c;
	} else if (c >= 0xC2 && c <= 0xDF) {
		cp = c & 0x1F;
		n = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		cp = c & 0x0F;
		n = 2;
	} else if (c >= 0xF0 && c <= 0xF4) {
		cp = c & 0x07;
		n = 3;
	} else {
		*pp += 1;
		return -1;
	}
	if (e - p <= n) {
		*pp += 1;
		return -1;
	}
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*pp += 1;
			return -1;
		}
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	/* reject overlongs, surrogates and values past U+10FFFF */
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF)) {
		*pp += 1;
		return -1;
	}
	*pp += n + 1;
	return cp;
}

int utf8_encode(int32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	} else if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static locale_t utf8_locale;
static pthread_once_t utf8_locale_once = PTHREAD_ONCE_INIT;

static void utf8_locale_init(void)
{
	utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

int utf8_cp_width(int32_t cp)
{
	if (cp < 0x20 || cp == 0x7F)
		return 0;
	if (cp < 0x7F)
		return 1;
	pthread_once(&utf8_locale_once, utf8_locale_init);
	int w;
	if (utf8_locale) {
		locale_t old = uselocale(utf8_locale);
		w = wcwidth((wchar_t)cp);
		uselocale(old);
	} else {
		/* no C.UTF-8 (very old libc): CJK wide, everything else narrow */
		w = utf8_is_cjk(cp) || (cp >= 0xFF00 && cp <= 0xFF60) ? 2 : 1;
	}
	return w < 0 ? 0 : w;
}

int utf8_width(const char *s)
{
	const char *p = s, *end = s + strlen(s);
	int w = 0;
	while (p < end) {
		int32_t cp = utf8_decode(&p, end);
		if (cp >= 0)
			w += utf8_cp_width(cp);
	}
	return w;
}

bool utf8_is_cjk(int32_t cp)
{
	return (cp >= 0x2E80 && cp <= 0x2FDF) || /* radicals */
	       (cp >= 0x3040 && cp <= 0x30FF) || /* kana */
	       (cp >= 0x3100 && cp <= 0x31BF) || /* bopomofo */
	       (cp >= 0x3400 && cp <= 0x4DBF) || /* ext A */
	       (cp >= 0x4E00 && cp <= 0x9FFF) || /* unified */
	       (cp >= 0xAC00 && cp <= 0xD7A3) || /* hangul */
	       (cp >= 0xF900 && cp <= 0xFAFF) || /* compatibility */
	       (cp >= 0x20000 && cp <= 0x3134F); /* ext B.. */
}

bool utf8_is_space(int32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
	       cp == 0xA0 || cp == 0x3000 || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF ||
	       (cp >= 0x2000 && cp <= 0x200B);
}

char *utf8_trim(arena *a, const char *s)
{
	if (!s)
		return NULL;
	const char *end = s + strlen(s);
	const char *start = s, *p = s;
	/* skip leading spaces */
	while (p < end) {
		const char *q = p;
		int32_t cp = utf8_decode(&q, end);
		if (!utf8_is_space(cp))
			break;
		p = q;
	}
	start = p;
	const char *last = start; /* end of last non-space */
	while (p < end) {
		int32_t cp = utf8_decode(&p, end);
		if (!utf8_is_space(cp))
			last = p;
	}
	return arena_strndup(a, start, (size_t)(last - start));
}

char *utf8_fold(arena *a, const char *s, bool lower)
{
	size_t n = strlen(s);
	char *out = arena_alloc(a, n + 1);
	char *o = out;
	const char *p = s, *end = s + n;
	bool pending_space = false;
	while (p < end) {
		int32_t cp = utf8_decode(&p, end);
		if (cp < 0)
			continue;
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0;
		if (utf8_is_space(cp)) {
			pending_space = o != out;
			continue;
		}
		if (pending_space) {
			*o++ = ' ';
			pending_space = false;
		}
		if (lower && cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		o += utf8_encode(cp, o);
	}
	*o = '\0';
	return out;
}

int utf8_split_list(arena *a, const char *text, const char **out, int max)
{
	int n = 0;
	char *p = arena_strdup(a, text);
	while (*p) {
		char *comma = strchr(p, ',');
		char *fw = strstr(p, "\xef\xbc\x8c"); /* ， */
		char *cut = comma;
		size_t skip = 1;
		if (fw && (!cut || fw < cut)) {
			cut = fw;
			skip = 3;
		}
		if (cut)
			*cut = '\0';
		const char *t = utf8_trim(a, p);
		if (*t) {
			if (n == max)
				return -1;
			out[n++] = t;
		}
		if (!cut)
			break;
		p = cut + skip;
	}
	return n;
}

char *utf8_prefix_width(arena *a, const char *s, int width)
{
	const char *p = s, *end = s + strlen(s), *cut = s;
	int w = 0;
	while (p < end) {
		const char *q = p;
		int32_t cp = utf8_decode(&q, end);
		int cw = cp >= 0 ? utf8_cp_width(cp) : 0;
		if (w + cw > width)
			break;
		w += cw;
		p = q;
		cut = p;
	}
	return arena_strndup(a, s, (size_t)(cut - s));
}
