/*
 * date — civil-date arithmetic after Howard Hinnant's days_from_civil, so no
 * call depends on the process time zone (TZ) or locale.
 */
#include "util/date.h"

#include <stdio.h>
#include <string.h>

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool date_parse(const char *s, int *y, int *m, int *d)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	int yy, mm, dd;
	if (!digits(s, 4, &yy) || !digits(s + 5, 2, &mm) || !digits(s + 8, 2, &dd))
		return false;
	if (yy < 1900 || mm < 1 || mm > 12 || dd < 1 || dd > days_in_month(yy, mm))
		return false;
	if (y)
		*y = yy;
	if (m)
		*m = mm;
	if (d)
		*d = dd;
	return true;
}

bool date_valid(const char *s)
{
	return date_parse(s, NULL, NULL, NULL);
}

int64_t date_to_days(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t dd = doy - (153 * mp + 2) / 5 + 1;
	int64_t mm = mp + (mp < 10 ? 3 : -9);
	*y = (int)(yy + (mm <= 2));
	*m = (int)mm;
	*d = (int)dd;
}

void date_format(char out[DATE_LEN], int y, int m, int d)
{
	snprintf(out, DATE_LEN, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
	         (unsigned)d % 100u);
}

int64_t time_now_unix(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

void date_today(char out[DATE_LEN], int tz_minutes)
{
	int64_t t = time_now_unix() + (int64_t)tz_minutes * 60;
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int y, m, d;
	date_from_days(days, &y, &m, &d);
	date_format(out, y, m, d);
}

int date_current_year(int tz_minutes)
{
	char today[DATE_LEN];
	date_today(today, tz_minutes);
	int y = 0;
	date_parse(today, &y, NULL, NULL);
	return y;
}

bool date_add_days(char out[DATE_LEN], const char *s, int n)
{
	int y, m, d;
	if (!date_parse(s, &y, &m, &d))
		return false;
	date_from_days(date_to_days(y, m, d) + n, &y, &m, &d);
	if (y < 1900 || y > 9999)
		return false;
	date_format(out, y, m, d);
	return true;
}

static int month_days(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

bool date_add_months(char out[DATE_LEN], const char *s, int n)
{
	int y, m, d;
	if (!date_parse(s, &y, &m, &d))
		return false;
	int64_t months = (int64_t)y * 12 + (m - 1) + n;
	if (months < 1900 * 12 || months >= 10000 * 12)
		return false;
	y = (int)(months / 12);
	m = (int)(months % 12) + 1;
	if (d > month_days(y, m))
		d = month_days(y, m); /* 03-31 minus a month is 02-28 (or 29) */
	date_format(out, y, m, d);
	return true;
}

void time_format_iso(char out[TIME_LEN], int64_t t)
{
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t secs = t - days * 86400;
	int y, m, d;
	date_from_days(days, &y, &m, &d);
	snprintf(out, TIME_LEN, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)y % 10000u,
	         (unsigned)m % 100u, (unsigned)d % 100u, (unsigned)(secs / 3600) % 100u,
	         (unsigned)(secs / 60 % 60), (unsigned)(secs % 60));
}

void time_now_iso(char out[TIME_LEN])
{
	time_format_iso(out, time_now_unix());
}

bool date_start_utc(const char *date, int add_days, int tz_minutes, int64_t *out)
{
	int y, m, d;
	if (!date_parse(date, &y, &m, &d))
		return false;
	*out = (date_to_days(y, m, d) + add_days) * 86400 - (int64_t)tz_minutes * 60;
	return true;
}

bool time_parse_iso(const char *s, int64_t *out)
{
	if (!s || strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return false;
	char day[DATE_LEN];
	memcpy(day, s, 10);
	day[10] = '\0';
	int y, m, d, hh, mi, ss;
	if (!date_parse(day, &y, &m, &d) || !digits(s + 11, 2, &hh) || !digits(s + 14, 2, &mi) ||
	    !digits(s + 17, 2, &ss) || hh > 23 || mi > 59 || ss > 60)
		return false;
	*out = date_to_days(y, m, d) * 86400 + hh * 3600 + mi * 60 + ss;
	return true;
}
