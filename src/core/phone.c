/*
 * phone — see phone.h. Separators people type (spaces, full-width
 * spaces, dashes, dots, parentheses) are ignored; "转" or "ext" introduces an
 * extension.
 */
#include "core/phone.h"

#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

#define PHONE_MAX_DIGITS 20

/* Collect digits of the main number and of the extension. */
static bool split_digits(const char *in, char *main, char *ext, bool *plus)
{
	size_t nm = 0, ne = 0;
	bool in_ext = false;
	const char *p = in, *end = in + strlen(in);
	*plus = false;
	while (p < end) {
		if (!in_ext && (strncmp(p, "\xe8\xbd\xac", 3) == 0)) { /* 转 */
			in_ext = true;
			p += 3;
			continue;
		}
		if (!in_ext && (strncmp(p, "ext", 3) == 0 || strncmp(p, "EXT", 3) == 0)) {
			in_ext = true;
			p += 3;
			if (*p == '.')
				p++;
			continue;
		}
		if (!in_ext && (*p == 'x' || *p == 'X' || *p == '#') && nm > 0) {
			in_ext = true;
			p++;
			continue;
		}
		int32_t cp = utf8_decode(&p, end);
		if (cp >= 0xFF10 && cp <= 0xFF19) /* full-width digits */
			cp -= 0xFEE0;
		if (cp >= '0' && cp <= '9') {
			if (in_ext) {
				if (ne >= 8)
					return false;
				ext[ne++] = (char)cp;
			} else {
				if (nm >= PHONE_MAX_DIGITS)
					return false;
				main[nm++] = (char)cp;
			}
		} else if (cp == '+' || cp == 0xFF0B) {
			if (nm > 0 || *plus)
				return false;
			*plus = true;
		} else if (cp == ' ' || cp == '-' || cp == '.' || cp == '(' || cp == ')' ||
		           cp == 0x3000 || cp == 0xFF08 || cp == 0xFF09 || cp == 0xFF0D ||
		           cp == 0x2014 || cp == 0x2013 || cp == '\t') {
			/* a separator */
		} else {
			return false;
		}
	}
	main[nm] = '\0';
	ext[ne] = '\0';
	return nm > 0;
}

char *phone_normalize(arena *a, const char *in)
{
	char main[PHONE_MAX_DIGITS + 1], ext[9];
	bool plus;
	if (!in || !split_digits(in, main, ext, &plus))
		return NULL;
	const char *d = main;
	bool intl = false;
	/* strip the country code of mainland China */
	if (plus && strncmp(d, "86", 2) == 0)
		d += 2, plus = false, intl = true;
	else if (!plus && strncmp(d, "0086", 4) == 0)
		d += 4, intl = true;
	else if (!plus && strlen(d) == 13 && strncmp(d, "861", 3) == 0)
		d += 2;
	/* dialled from abroad a landline drops its trunk 0: +86 755 ... is 0755 ... */
	char trunk[PHONE_MAX_DIGITS + 2];
	bool mobile = strlen(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
	if (intl && d[0] != '0' && !mobile && strncmp(d, "400", 3) && strncmp(d, "800", 3)) {
		snprintf(trunk, sizeof(trunk), "0%s", d);
		d = trunk;
	}
	size_t n = strlen(d);
	if (plus) {
		/* a foreign number: E.164 allows at most 15 digits */
		if (n < 7 || n > 15 || *ext)
			return NULL;
		return arena_printf(a, "+%s", d);
	}
	/* mobile: 1[3-9] and 11 digits */
	if (n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9') {
		if (*ext)
			return NULL;
		return arena_strdup(a, d);
	}
	/* 400 / 800 service numbers */
	if (n == 10 && (strncmp(d, "400", 3) == 0 || strncmp(d, "800", 3) == 0))
		return arena_printf(a, "%.3s-%.3s-%.4s", d, d + 3, d + 6);
	/* landline with area code: 010, 02x are 3 digits, the rest 4 */
	if (d[0] == '0' && n >= 10 && n <= 12) {
		size_t area = (d[1] == '1' || d[1] == '2') ? 3 : 4;
		size_t local = n - area;
		if (local < 7 || local > 8 || d[1] == '0')
			return NULL;
		if (*ext)
			return arena_printf(a, "%.*s-%s-%s", (int)area, d, d + area, ext);
		return arena_printf(a, "%.*s-%s", (int)area, d, d + area);
	}
	return NULL;
}

char *phone_mask(arena *a, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	if (n == 11 && s[0] == '1')
		return arena_printf(a, "%.3s****%s", s, s + 7);
	const char *dash = strchr(s, '-');
	if (s[0] == '0' && dash) {
		/* area code kept, local number but its last four hidden, extension dropped */
		const char *local = dash + 1;
		const char *ext = strchr(local, '-');
		size_t ln = ext ? (size_t)(ext - local) : strlen(local);
		if (ln < 4)
			return arena_strdup(a, "****");
		return arena_printf(a, "%.*s-****%.4s", (int)(dash - s), s, local + ln - 4);
	}
	if ((s[0] == '4' || s[0] == '8') && n == 12)
		return arena_printf(a, "%.4s***-%s", s, s + 8);
	if (n >= 8) {
		char stars[32];
		size_t k = n - 7 < sizeof(stars) - 1 ? n - 7 : sizeof(stars) - 1;
		memset(stars, '*', k);
		stars[k] = '\0';
		return arena_printf(a, "%.3s%s%s", s, stars, s + n - 4);
	}
	return arena_strdup(a, "****");
}
