/*
 * log — one-line diagnostics to stderr with a UTC timestamp and level.
 * The level comes from KEHU_LOG (debug, info, warn, error; default info).
 * Never log secrets: passwords, tokens, full phone numbers.
 */
#ifndef KEHU_UTIL_LOG_H
#define KEHU_UTIL_LOG_H

typedef enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF } log_level;

void log_set_level(log_level level);
void log_init_from_env(void);
void log_msg(log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
