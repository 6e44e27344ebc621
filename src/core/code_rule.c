/*
 * code_rule — see code_rule.h.
 */
#include "core/code_rule.h"

#include <ctype.h>
#include <string.h>

char *code_format(arena *a, const char *prefix, int year, int64_t seq, int width)
{
	if (width < 1 || width > 9)
		width = CODE_DEFAULT_WIDTH;
	return arena_printf(a, "%s%04d%0*lld", prefix, year, width, (long long)seq);
}

bool code_valid(const char *code)
{
	size_t n = code ? strlen(code) : 0;
	if (n == 0 || n > CODE_MAX_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)code[i];
		if (!isalnum(c) && c != '-' && c != '_' && c != '.')
			return false;
	}
	return true;
}

bool code_prefix_valid(const char *prefix)
{
	size_t n = prefix ? strlen(prefix) : 0;
	if (n == 0 || n > 8)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)prefix[i]))
			return false;
	return true;
}
