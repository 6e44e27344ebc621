/*
 * money — yuan text <-> integer fen.
 */
#include "util/money.h"

#include <stdio.h>
#include <string.h>

static bool skip_prefix(const char **p, const char *pre)
{
	size_t n = strlen(pre);
	if (strncmp(*p, pre, n) == 0) {
		*p += n;
		return true;
	}
	return false;
}

static void skip_spaces(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

bool money_parse_yuan(const char *s, int64_t *fen)
{
	if (!s)
		return false;
	const char *p = s;
	bool neg = false;
	skip_spaces(&p);
	if (*p == '-' || *p == '+') {
		neg = *p == '-';
		p++;
		skip_spaces(&p);
	}
	if (!skip_prefix(&p, "\xc2\xa5")) /* ¥ U+00A5 */
		skip_prefix(&p, "\xef\xbf\xa5"); /* ￥ U+FFE5 */
	skip_spaces(&p);
	if (*p == '-' && !neg) {
		neg = true;
		p++;
	}
	int64_t yuan = 0;
	int ndigits = 0;
	int group = 0;       /* digits since the last thousands separator */
	bool grouped = false; /* a separator was seen: every later group is 3 digits */
	for (;;) {
		if (*p >= '0' && *p <= '9') {
			if (yuan > MONEY_MAX_FEN / 10)
				return false;
			yuan = yuan * 10 + (*p - '0');
			ndigits++;
			group++;
			p++;
		} else if (ndigits > 0 && (*p == ',' || !strncmp(p, "\xef\xbc\x8c", 3))) { /* ， */
			/* "12,5" is a decimal comma, not thousands: refuse rather than misread */
			if ((grouped && group != 3) || (!grouped && group > 3))
				return false;
			grouped = true;
			group = 0;
			p += *p == ',' ? 1 : 3;
		} else {
			break;
		}
	}
	if (grouped && group != 3)
		return false;
	int64_t cents = 0;
	if (*p == '.') {
		p++;
		int nd = 0;
		while (*p >= '0' && *p <= '9') {
			if (nd == 2)
				return false;
			cents = cents * 10 + (*p - '0');
			nd++;
			p++;
		}
		if (nd == 1)
			cents *= 10;
		if (nd == 0 && ndigits == 0)
			return false;
	} else if (ndigits == 0) {
		return false;
	}
	skip_spaces(&p);
	skip_prefix(&p, "\xe5\x85\x83"); /* 元 */
	skip_spaces(&p);
	if (*p)
		return false;
	if (yuan > MONEY_MAX_FEN / 100)
		return false;
	int64_t v = yuan * 100 + cents;
	if (v > MONEY_MAX_FEN)
		return false;
	*fen = neg ? -v : v;
	return true;
}

void money_format(char out[MONEY_LEN], int64_t fen, bool grouping)
{
	bool neg = fen < 0;
	uint64_t v = neg ? (uint64_t)(-(fen + 1)) + 1 : (uint64_t)fen;
	uint64_t yuan = v / 100;
	unsigned cents = (unsigned)(v % 100);
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)yuan);
	char *o = out;
	if (neg)
		*o++ = '-';
	for (int i = 0; i < n; i++) {
		*o++ = digits[i];
		int left = n - 1 - i;
		if (grouping && left > 0 && left % 3 == 0)
			*o++ = ',';
	}
	snprintf(o, (size_t)(MONEY_LEN - (o - out)), ".%02u", cents);
}
