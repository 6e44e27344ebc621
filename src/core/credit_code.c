/*
 * credit_code — GB 32100-2015 check: weights 3^i mod 31, check = 31 - sum mod 31.
 */
#include "core/credit_code.h"

#include <ctype.h>
#include <string.h>

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

static int symbol_value(char c)
{
	const char *p = strchr(alphabet, c);
	return (c && p) ? (int)(p - alphabet) : -1;
}

char credit_code_check_char(const char *first17)
{
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		int v = symbol_value(first17[i]);
		if (v < 0)
			return 0;
		sum += v * weights[i];
	}
	int c = 31 - sum % 31;
	return alphabet[c == 31 ? 0 : c];
}

char *credit_code_normalize(arena *a, const char *s)
{
	if (!s)
		return NULL;
	while (*s == ' ')
		s++;
	char up[19];
	size_t n = 0;
	for (; *s && *s != ' '; s++) {
		if (n == 18)
			return NULL;
		up[n++] = (char)toupper((unsigned char)*s);
	}
	while (*s == ' ')
		s++;
	if (*s || n != 18)
		return NULL;
	up[18] = '\0';
	char check = credit_code_check_char(up);
	if (!check || check != up[17])
		return NULL;
	return arena_strdup(a, up);
}
