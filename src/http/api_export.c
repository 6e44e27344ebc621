/*
 * api_export — GET /api/v1/<list>/export and /api/v1/customers/{id}/<list>/export:
 * the list, with the list's own parameters, as a CSV or XLSX download.
 *
 * The file is written to a temporary file first and then sent from it
 * (sendfile): XLSX is a zip that exists only once libxlsxwriter closes it, and
 * writing first lets a refusal or a database error mid-way still be a JSON
 * error with its status instead of a cut-off download. The temporary file is
 * unlinked as soon as it is open for sending. The writing runs on a thread of
 * its own (run_in_background) while the connection waits, so the worker
 * thread goes on serving its other connections; see docs/architecture.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/http_int.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* RFC 5987 ext-value: UTF-8, every byte but the unreserved ones %XX. */
static const char *pct_encode(arena *a, const char *s)
{
	char *out = arena_alloc(a, strlen(s) * 3 + 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			*o++ = (char)*p;
		else
			o += sprintf(o, "%%%02X", *p);
	}
	*o = '\0';
	return out;
}

/* attachment; filename="customers_20261124.csv"; filename*=UTF-8''客户_20261124.csv (RFC 6266) */
static const char *disposition(req *r, const export_source *src, const char *ext)
{
	const kh_entity *ent = src->kind ? src->kind->ent : src->ent;
	const char *today = svc_today(&r->s);
	char day[9];
	snprintf(day, sizeof(day), "%.4s%.2s%.2s", today, today + 5, today + 8);
	const char *label = arena_printf(&r->a, "%s_%s.%s", tr(r->s.lang, ent->label), day, ext);
	return arena_printf(&r->a, "attachment; filename=\"%s_%s.%s\"; filename*=UTF-8''%s",
	                    src->name, day, ext, pct_encode(&r->a, label));
}

static bool still_wanted(int64_t rows, void *ud)
{
	(void)rows;
	(void)ud;
	return !http_stopping();
}

/* The export itself, on a thread of its own (run_in_background): the handler
 * checked the format, the encoding and the permission. */
static void export_job(req *r)
{
	const export_source *src = export_source_find(r->route->data);
	const char *fmt = query(r, "format"), *enc = query(r, "encoding");
	bool xlsx = fmt && !strcmp(fmt, "xlsx");
	bool gb = enc && !strcasecmp(enc, "gb18030");
	int64_t customer_id = 0;
	if (r->params_path[0])
		svc_parse_id(r->params_path[0], &customer_id);
	kv *params = arena_calloc(&r->a, (size_t)r->nquery + 1, sizeof(kv));
	int n = 0;
	for (int i = 0; i < r->nquery; i++)
		if (strcmp(r->query[i].key, "format") && strcmp(r->query[i].key, "encoding"))
			params[n++] = r->query[i];

	const char *dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *tmp = arena_printf(&r->a, "%s/kehu-export-XXXXXX", dir);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		err_set(&r->err, KH_EIO, N_("Cannot create %s: %s"), tmp, strerror(errno));
		reply_error(r);
		return;
	}
	FILE *f = xlsx ? NULL : fdopen(fd, "wb");
	if (xlsx)
		close(fd);
	sheet_options so = {.format = xlsx ? SHEET_XLSX : SHEET_CSV,
	                    .encoding = gb ? SHEET_GB18030 : SHEET_UTF8,
	                    .file = f,
	                    .path = tmp,
	                    .name = tr(r->s.lang, (src->kind ? src->kind->ent : src->ent)->label),
	                    .tmpdir = dir};
	export_request rq = {.src = src,
	                     .customer_id = customer_id,
	                     .params = params,
	                     .nparams = n,
	                     .format = xlsx ? "xlsx" : "csv",
	                     .progress = still_wanted};
	int64_t rows = 0;
	int rc = xlsx || f ? svc_export_sheet(&r->s, &rq, &so, &rows)
	                   : err_set(&r->err, KH_EIO, N_("Could not write the export file"));
	if (f && fclose(f) != 0 && rc == 0)
		rc = err_set(&r->err, KH_EIO, N_("Could not write the export file"));
	int out = rc == 0 ? open(tmp, O_RDONLY | O_CLOEXEC) : -1;
	unlink(tmp); /* the open descriptor keeps it until it is sent */
	struct stat st;
	if (rc == 0 && (out < 0 || fstat(out, &st) < 0)) {
		rc = err_set(&r->err, KH_EIO, N_("Could not write the export file"));
		if (out >= 0)
			close(out);
	}
	if (rc < 0) {
		reply_error(r);
		return;
	}
	r->status = 200;
	r->file_fd = out;
	r->file_size = (uint64_t)st.st_size;
	r->content_type = xlsx ? XLSX_TYPE
	                  : gb ? "text/csv; charset=gb18030"
	                       : "text/csv; charset=utf-8";
	r->disposition = disposition(r, src, xlsx ? "xlsx" : "csv");
}

/* Check what needs no database work, then leave the export to its own thread. */
static void export_list(req *r)
{
	const char *fmt = query(r, "format"), *enc = query(r, "encoding");
	if (fmt && strcmp(fmt, "xlsx") && strcmp(fmt, "csv"))
		err_field(&r->err, "format", N_("format must be csv or xlsx"));
	if (enc && strcasecmp(enc, "gb18030") && strcasecmp(enc, "utf-8") &&
	    strcasecmp(enc, "utf8"))
		err_field(&r->err, "encoding", N_("encoding must be utf-8 or gb18030"));
	if (r->err.nfields) {
		r->err.code = KH_EBADREQ;
		reply_error(r);
		return;
	}
	if (svc_export_allowed(&r->s) < 0) {
		reply_error(r);
		return;
	}
	run_in_background(r, export_job);
}

void h_export(req *r)
{
	export_list(r);
}

void h_export_of(req *r)
{
	int64_t id;
	if (path_id(r, 0, &id))
		export_list(r);
}
