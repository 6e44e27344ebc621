/*
 * date — calendar dates and UTC timestamps as kehu stores them.
 *
 * Dates are ISO "YYYY-MM-DD" strings; timestamps are ISO 8601 UTC
 * "YYYY-MM-DDTHH:MM:SSZ". Both sort correctly as text, which keeps the
 * SQL identical on SQLite and PostgreSQL. "Today" is taken in the business
 * time zone, a fixed UTC offset (China has no daylight saving time).
 */
#ifndef KEHU_UTIL_DATE_H
#define KEHU_UTIL_DATE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define DATE_LEN 11 /* "YYYY-MM-DD" + NUL */
#define TIME_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */
#define KH_DEFAULT_TZ_MINUTES 480 /* Asia/Shanghai, UTC+8 */

/* Parse a strict ISO date; false unless it is a real calendar date 1900..9999. */
bool date_parse(const char *s, int *y, int *m, int *d);
bool date_valid(const char *s);

/* Days since 1970-01-01 for a civil date, and back. */
int64_t date_to_days(int y, int m, int d);
void date_from_days(int64_t days, int *y, int *m, int *d);
void date_format(char out[DATE_LEN], int y, int m, int d);

/* Today's date at the given offset from UTC (minutes). */
void date_today(char out[DATE_LEN], int tz_minutes);
/* out = date s plus n days; false if s is not a valid date or the result is
 * outside 1900..9999. */
bool date_add_days(char out[DATE_LEN], const char *s, int n);
/* out = date s plus n months (negative: back), the day clamped to the month's
 * last; false if s is not valid or the result is outside 1900..9999. */
bool date_add_months(char out[DATE_LEN], const char *s, int n);
/* Current calendar year at the given offset. */
int date_current_year(int tz_minutes);

/* Now, as a UTC ISO timestamp, and as Unix seconds. */
void time_now_iso(char out[TIME_LEN]);
int64_t time_now_unix(void);
/* Unix seconds as UTC ISO timestamp. */
void time_format_iso(char out[TIME_LEN], int64_t unix_seconds);
/* The UTC instant of midnight starting the local day date (plus add_days) at the
 * given offset; false if date is not valid. */
bool date_start_utc(const char *date, int add_days, int tz_minutes, int64_t *unix_seconds);
/* Parse a UTC ISO timestamp written by time_format_iso. */
bool time_parse_iso(const char *s, int64_t *unix_seconds);

#endif
