/*
 * log — stderr logger; one fprintf per line so threads do not interleave.
 */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"

static log_level current = LOG_INFO;

void log_set_level(log_level level)
{
	current = level;
}

void log_init_from_env(void)
{
	const char *v = getenv("KEHU_LOG");
	if (!v)
		return;
	if (!strcmp(v, "debug"))
		current = LOG_DEBUG;
	else if (!strcmp(v, "info"))
		current = LOG_INFO;
	else if (!strcmp(v, "warn"))
		current = LOG_WARN;
	else if (!strcmp(v, "error"))
		current = LOG_ERROR;
	else if (!strcmp(v, "off"))
		current = LOG_OFF;
}

void log_msg(log_level level, const char *fmt, ...)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	if (level < current || level >= LOG_OFF)
		return;
	char line[1024];
	char now[TIME_LEN];
	time_now_iso(now);
	int n = snprintf(line, sizeof(line), "%s kehu[%s] ", now, names[level]);
	va_list ap;
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof(line))
		vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", line);
}
