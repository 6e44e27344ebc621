/*
 * err — kehu's one error enum and the error context every fallible call fills.
 *
 * A kh_err carries a code, a message already translated into the caller's
 * language, and an optional list of field errors (field name -> message, plus
 * the row for imports). Messages live in the request arena, so an error costs
 * no free(). One table maps each code to its stable name, HTTP status and CLI
 * exit code; adapters never invent their own mapping.
 */
#ifndef KEHU_UTIL_ERR_H
#define KEHU_UTIL_ERR_H

#include <stdarg.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/i18n.h"

typedef enum kh_code {
	KH_OK = 0,
	KH_EINVAL,     /* validation failed; see the field list */
	KH_EBADREQ,    /* malformed request: bad JSON, bad parameter */
	KH_ENOTFOUND,  /* no such record, or not visible to the actor */
	KH_ECONFLICT,  /* stale version (HTTP 412) */
	KH_EPRECOND,   /* version precondition missing (HTTP 428) */
	KH_EDUP,       /* unique value already taken (HTTP 409) */
	KH_ESTATE,     /* the record is not in a state that allows this (HTTP 409):
	                * a pool customer someone else claimed first, a request
	                * already decided */
	KH_EAUTH,      /* not authenticated or bad credentials */
	KH_EFORBIDDEN, /* authenticated but not allowed */
	KH_ECSRF,      /* missing or wrong CSRF token */
	KH_ETOOBIG,    /* body or value over its limit */
	KH_ERATE,      /* too many attempts */
	KH_EMEDIA,     /* unsupported content type */
	KH_EMETHOD,    /* method not allowed on this path */
	KH_EUSAGE,     /* CLI usage error */
	KH_EBUSY,      /* database busy or unavailable, retry */
	KH_EDB,        /* database error */
	KH_EIO,        /* file or network I/O error */
	KH_EINTERNAL,  /* a bug */
	KH__NCODES
} kh_code;

#define KH_MAX_FIELD_ERRORS 64

typedef struct kh_field_error {
	const char *field;   /* JSON field name, e.g. "name" or "contacts[0].phone" */
	const char *message; /* translated */
	long row;            /* 1-based file row for imports, 0 otherwise */
} kh_field_error;

typedef struct kh_err {
	kh_code code;
	const char *message; /* translated; NULL until set */
	kh_lang lang;
	arena *ar; /* where messages are allocated */
	int nfields;
	kh_field_error fields[KH_MAX_FIELD_ERRORS];
	long row; /* current import row, copied into field errors */
} kh_err;

/* Prepare an error context that allocates messages in ar, in language lang. */
void err_init(kh_err *e, arena *ar, kh_lang lang);

/* Forget any error; keeps arena and language. */
void err_clear(kh_err *e);

/*
 * Set the error code and message, replacing any earlier ones (field errors
 * stay). msgid is an English printf format looked up in the catalogue; NULL
 * leaves the default message of the code. Returns -1 so a caller can write
 * `return err_set(...)`.
 */
int err_set(kh_err *e, kh_code code, const char *msgid, ...) __attribute__((format(printf, 3, 4)));
int err_setv(kh_err *e, kh_code code, const char *msgid, va_list ap)
        __attribute__((format(printf, 3, 0)));

/*
 * Add a field error (code becomes KH_EINVAL unless already set). The
 * message is msgid translated then formatted. Returns -1.
 */
int err_field(kh_err *e, const char *field, const char *msgid, ...)
        __attribute__((format(printf, 3, 4)));

/* Stable machine name of a code, e.g. "validation_failed". */
const char *err_name(kh_code code);
/* HTTP status for a code. */
int err_http_status(kh_code code);
/* CLI exit status for a code (0 for KH_OK). */
int err_exit_code(kh_code code);
/* Generic translated message of a code (used when none was set). */
const char *err_default_message(kh_code code, kh_lang lang);
/* The message to show: the set one, else the default for the code. */
const char *err_message(const kh_err *e);

#endif
