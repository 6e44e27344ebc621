/*
 * num — see num.h.
 */
#include "util/num.h"

#include <errno.h>
#include <stdlib.h>

bool num_parse_int64(const char *s, int64_t *out)
{
	if (!s || !*s)
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end || errno == ERANGE || (*s != '-' && *s != '+' && (*s < '0' || *s > '9')))
		return false;
	*out = v;
	return true;
}
