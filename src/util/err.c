/*
 * err — the error table and the helpers that fill a kh_err.
 */
#include "util/err.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int http;
	int exit_code;
	const char *msgid;
} err_table[KH__NCODES] = {
        [KH_OK] = {"ok", 200, 0, N_("OK")},
        [KH_EINVAL] = {"validation_failed", 422, 4, N_("Some fields are not valid")},
        [KH_EBADREQ] = {"bad_request", 400, 2, N_("The request is malformed")},
        [KH_ENOTFOUND] = {"not_found", 404, 3, N_("Not found")},
        [KH_ECONFLICT] = {"version_conflict", 412, 5,
                          N_("The record was changed by someone else; reload and try again")},
        [KH_EPRECOND] = {"precondition_required", 428, 5,
                         N_("The record's version is required (If-Match) to change it")},
        [KH_EDUP] = {"duplicate", 409, 5, N_("A record with this value already exists")},
        [KH_ESTATE] = {"state_conflict", 409, 5,
                       N_("The record is no longer in a state that allows this; reload it")},
        [KH_EAUTH] = {"unauthenticated", 401, 7, N_("Please log in")},
        [KH_EFORBIDDEN] = {"forbidden", 403, 6, N_("You do not have permission to do this")},
        [KH_ECSRF] = {"csrf_failed", 403, 6,
                      N_("Missing or wrong CSRF token; send the X-CSRF-Token "
                         "header the login returned")},
        [KH_ETOOBIG] = {"too_large", 413, 4, N_("The request is too large")},
        [KH_ERATE] = {"rate_limited", 429, 8, N_("Too many attempts; try again later")},
        [KH_EMEDIA] = {"unsupported_media_type", 415, 2,
                       N_("Unsupported content type; send application/json")},
        [KH_EMETHOD] = {"method_not_allowed", 405, 2, N_("Method not allowed")},
        [KH_EUSAGE] = {"usage", 400, 2, N_("Wrong usage")},
        [KH_EBUSY] = {"busy", 503, 9, N_("The database is busy; try again")},
        [KH_EDB] = {"database_error", 500, 10, N_("Database error")},
        [KH_EIO] = {"io_error", 500, 11, N_("Input/output error")},
        [KH_EINTERNAL] = {"internal_error", 500, 1, N_("Internal error")},
};

void err_init(kh_err *e, arena *ar, kh_lang lang)
{
	memset(e, 0, sizeof(*e));
	e->ar = ar;
	e->lang = lang;
}

void err_clear(kh_err *e)
{
	e->code = KH_OK;
	e->message = NULL;
	e->nfields = 0;
}

int err_setv(kh_err *e, kh_code code, const char *msgid, va_list ap)
{
	if (!e)
		return -1;
	e->code = code;
	if (msgid) {
		const char *fmt = tr(e->lang, msgid);
		e->message = e->ar ? arena_vprintf(e->ar, fmt, ap) : fmt;
	} else {
		e->message = NULL;
	}
	return -1;
}

int err_set(kh_err *e, kh_code code, const char *msgid, ...)
{
	va_list ap;
	va_start(ap, msgid);
	err_setv(e, code, msgid, ap);
	va_end(ap);
	return -1;
}

int err_field(kh_err *e, const char *field, const char *msgid, ...)
{
	if (!e)
		return -1;
	if (e->code == KH_OK)
		e->code = KH_EINVAL;
	if (e->nfields >= KH_MAX_FIELD_ERRORS)
		return -1;
	va_list ap;
	va_start(ap, msgid);
	const char *fmt = tr(e->lang, msgid);
	kh_field_error *fe = &e->fields[e->nfields++];
	fe->field = e->ar ? arena_strdup(e->ar, field) : field;
	fe->message = e->ar ? arena_vprintf(e->ar, fmt, ap) : fmt;
	fe->row = e->row;
	va_end(ap);
	return -1;
}

const char *err_name(kh_code code)
{
	return (unsigned)code < KH__NCODES ? err_table[code].name : "internal_error";
}

int err_http_status(kh_code code)
{
	return (unsigned)code < KH__NCODES ? err_table[code].http : 500;
}

int err_exit_code(kh_code code)
{
	return (unsigned)code < KH__NCODES ? err_table[code].exit_code : 1;
}

const char *err_default_message(kh_code code, kh_lang lang)
{
	if ((unsigned)code >= KH__NCODES)
		code = KH_EINTERNAL;
	return tr(lang, err_table[code].msgid);
}

const char *err_message(const kh_err *e)
{
	if (e->message)
		return e->message;
	return err_default_message(e->code, e->lang);
}
