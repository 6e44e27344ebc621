/*
 * api_imports — POST /api/v1/imports (a CSV or XLSX file in, the report out),
 * GET /api/v1/imports (the batches), POST /api/v1/imports/{id}/undo.
 *
 * The file comes as the raw body (Content-Type text/csv, the XLSX type or
 * application/octet-stream) or as the one file part of multipart/form-data;
 * options come as query parameters: dry_run, mode, match, skip_bad, mapping
 * (a saved mapping), save_mapping, sheet, encoding, file_name, and map
 * ("列名=field") and default ("field=value"), repeated. Uploads may be up to
 * IMPORT_BODY_LIMIT bytes (server.c gives this route that limit).
 */
#define _GNU_SOURCE /* memmem */
#include <string.h>

#include "http/http_int.h"
#include "service/import.h"
#include "service/render.h"

/* The file part of a multipart/form-data body: [*data, *data + *len). */
static bool multipart_file(req *r, const char *ctype, const char **data, size_t *len,
                           const char **file_name)
{
	const char *b = strstr(ctype, "boundary=");
	if (!b)
		return false;
	b += 9;
	size_t blen = strcspn(b, ";");
	if (blen && b[0] == '"') {
		b++;
		blen = strcspn(b, "\"");
	}
	char *delim = arena_printf(&r->a, "--%.*s", (int)blen, b);
	size_t dlen = strlen(delim);
	const char *p = buf_str(&r->body), *end = p + r->body.len;
	for (;;) {
		const char *start = memmem(p, (size_t)(end - p), delim, dlen);
		if (!start)
			return false;
		const char *head = start + dlen;
		if (end - head >= 2 && head[0] == '-' && head[1] == '-')
			return false; /* the closing delimiter: no file part */
		const char *body = memmem(head, (size_t)(end - head), "\r\n\r\n", 4);
		if (!body)
			return false;
		body += 4;
		char *crlf_delim = arena_printf(&r->a, "\r\n%s", delim);
		const char *stop = memmem(body, (size_t)(end - body), crlf_delim, dlen + 2);
		if (!stop)
			return false;
		char *headers = arena_strndup(&r->a, head, (size_t)(body - head));
		const char *fn = strstr(headers, "filename=\"");
		if (fn) {
			fn += 10;
			*file_name = arena_strndup(&r->a, fn, strcspn(fn, "\""));
			*data = body;
			*len = (size_t)(stop - body);
			return true;
		}
		p = stop;
	}
}

static bool option_pairs(req *r, const char *key, kv **out, int *n)
{
	*out = arena_calloc(&r->a, (size_t)r->nquery + 1, sizeof(kv));
	*n = 0;
	for (int i = 0; i < r->nquery; i++) {
		if (strcmp(r->query[i].key, key) != 0)
			continue;
		const char *v = r->query[i].value ? r->query[i].value : "";
		const char *eq = strrchr(v, '=');
		if (!eq) {
			err_field(&r->err, key, N_("%s takes NAME=VALUE, not \"%s\""), key, v);
			reply_error(r);
			return false;
		}
		(*out)[(*n)++] = (kv){arena_strndup(&r->a, v, (size_t)(eq - v)), eq + 1};
	}
	return true;
}

static bool flag(req *r, const char *key, bool *out)
{
	const char *v = query(r, key);
	*out = false;
	if (v && !svc_parse_bool(v, out)) {
		err_field(&r->err, key, N_("%s must be true or false"), key);
		reply_error(r);
		return false;
	}
	return true;
}

void h_imports_create(req *r)
{
	const char *ctype = header(r, "Content-Type");
	const char *data = buf_str(&r->body);
	size_t len = r->body.len;
	const char *file_name = query(r, "file_name");
	if (ctype && !strncmp(ctype, "multipart/form-data", 19)) {
		const char *fn = NULL;
		if (!multipart_file(r, ctype, &data, &len, &fn)) {
			reply_fail(r, KH_EBADREQ, N_("The form holds no file part"));
			return;
		}
		if (!file_name)
			file_name = fn;
	} else if (!ctype || (strncmp(ctype, "text/csv", 8) && strncmp(ctype, "text/plain", 10) &&
	                      strncmp(ctype, "application/octet-stream", 24) &&
	                      strncmp(ctype,
	                              "application/vnd.openxmlformats-officedocument."
	                              "spreadsheetml.sheet",
	                              65))) {
		reply_fail(r, KH_EMEDIA,
		           N_("Send the file as text/csv, as an XLSX workbook "
		              "(application/vnd.openxmlformats-officedocument.spreadsheetml.sheet) "
		              "or in multipart/form-data"));
		return;
	}
	import_options o = {0};
	const char *v;
	if ((v = query(r, "mode")) && !import_mode_parse(v, &o.mode)) {
		err_field(&r->err, "mode", N_("mode must be create, upsert or update"));
		reply_error(r);
		return;
	}
	if ((v = query(r, "match")) && !import_match_parse(v, &o.match)) {
		err_field(&r->err, "match",
		          N_("match takes code, phone, credit_code, name (comma separated)"));
		reply_error(r);
		return;
	}
	kv *map, *defaults;
	if (!flag(r, "dry_run", &o.dry_run) || !flag(r, "skip_bad", &o.skip_bad) ||
	    !option_pairs(r, "map", &map, &o.nmap) ||
	    !option_pairs(r, "default", &defaults, &o.ndefaults))
		return;
	o.map = map;
	o.defaults = defaults;
	o.mapping = query(r, "mapping");
	o.save_mapping = query(r, "save_mapping");
	o.file_name = file_name;
	io_options io = IO_OPTIONS_INIT;
	io.sheet = query(r, "sheet");
	if ((v = query(r, "encoding")) && !io_encoding_parse(v, &io.encoding)) {
		err_field(&r->err, "encoding", N_("encoding must be auto, utf-8 or gb18030"));
		reply_error(r);
		return;
	}
	io_reader *rd;
	if (io_open_mem(&rd, data, len, &io, &r->err) < 0) {
		reply_error(r);
		return;
	}
	import_report rep;
	int rc = svc_import(&r->s, rd, &o, &rep);
	io_free(rd);
	if (rc < 0) {
		reply_error(r);
		return;
	}
	reply(r, rep.written ? 201 : 200, import_report_json(&rep, o.dry_run));
}

void h_imports_list(req *r)
{
	list_page p;
	if (svc_import_batches(&r->s, r->query, r->nquery, &p) < 0) {
		reply_error(r);
		return;
	}
	size_t len;
	char *text = render_page_text(&r->s, &p, &len);
	reply_raw(r, 200, text, len);
}

void h_imports_undo(req *r)
{
	int64_t id;
	if (!path_id(r, 0, &id))
		return;
	if (svc_import_undo(&r->s, id) < 0) {
		reply_error(r);
		return;
	}
	reply(r, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "undone", 1));
}
