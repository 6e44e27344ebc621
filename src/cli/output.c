/*
 * output — what the CLI prints: aligned tables (Chinese characters take
 * two columns, so alignment counts display width, not bytes), CSV
 * (RFC 4180) and JSON in the API's shapes.
 */
#include <string.h>

#include "cli/cli.h"
#include "service/render.h"
#include "util/buf.h"
#include "io/sheet.h"
#include "util/utf8.h"

#define CELL_MAX_WIDTH 40

const char *cli_display(cli *c, const kh_field *f, const kh_value *v)
{
	/* CSV: numbers a spreadsheet reads */
	return svc_display(&c->s, f, v, c->format != OUT_CSV);
}

/* One line of CSV (RFC 4180, CRLF; the export's cell writer). */
static void csv_line(cli *c, const char *const *cells, int n)
{
	buf b;
	buf_init(&b, 0);
	for (int j = 0; j < n; j++)
		if ((j && buf_addc(&b, ',') < 0) || csv_cell(&b, cells[j]) < 0)
			break;
	if (buf_adds(&b, "\r\n") == 0)
		fputs(buf_str(&b), c->out);
	buf_release(&b);
}

/* one line of a cell: newlines and tabs shown as spaces, long text cut */
static const char *table_cell(cli *c, const char *s)
{
	char *t = arena_strdup(&c->a, s ? s : "");
	for (char *p = t; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	if (utf8_width(t) > CELL_MAX_WIDTH)
		return arena_printf(&c->a, "%s…", utf8_prefix_width(&c->a, t, CELL_MAX_WIDTH - 1));
	return t;
}

static void pad(FILE *f, int n)
{
	for (int i = 0; i < n; i++)
		fputc(' ', f);
}

void out_table(cli *c, const char *const *headers, int ncols, const char *const *cells, int nrows)
{
	if (c->format == OUT_CSV) {
		csv_line(c, headers, ncols);
		for (int i = 0; i < nrows; i++)
			csv_line(c, cells + (size_t)i * (size_t)ncols, ncols);
		return;
	}
	int *w = arena_calloc(&c->a, (size_t)ncols, sizeof(int));
	const char **shown = arena_calloc(&c->a, (size_t)(ncols * (nrows + 1)), sizeof(char *));
	for (int j = 0; j < ncols; j++) {
		shown[j] = table_cell(c, headers[j]);
		w[j] = utf8_width(shown[j]);
	}
	for (int i = 0; i < nrows; i++)
		for (int j = 0; j < ncols; j++) {
			const char *s = table_cell(c, cells[i * ncols + j]);
			shown[(i + 1) * ncols + j] = s;
			int sw = utf8_width(s);
			if (sw > w[j])
				w[j] = sw;
		}
	for (int i = 0; i <= nrows; i++) {
		for (int j = 0; j < ncols; j++) {
			const char *s = shown[i * ncols + j];
			fputs(s, c->out);
			if (j + 1 < ncols)
				pad(c->out, w[j] - utf8_width(s) + 2);
		}
		fputc('\n', c->out);
	}
}

void out_json(cli *c, json_t *j)
{
	json_dumpf(j, c->out, JSON_INDENT(2));
	fputc('\n', c->out);
	json_decref(j);
}

void out_records(cli *c, const kh_record *rows, int n, const int *fields, int nfields)
{
	if (n == 0 && c->format == OUT_TABLE) {
		cli_say(c, N_("(nothing)"));
		return;
	}
	const kh_entity *ent = n ? rows[0].ent : NULL;
	if (c->format == OUT_JSON) {
		json_t *items = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(items, render_record(&c->s, &rows[i]));
		out_json(c, json_pack("{s:o, s:n}", "items", items, "next"));
		return;
	}
	if (!ent)
		return;
	int *cols = arena_calloc(&c->a, (size_t)ent->nfields, sizeof(int));
	int nc = 0;
	if (fields) {
		memcpy(cols, fields, sizeof(int) * (size_t)nfields);
		nc = nfields;
	} else {
		for (int f = 0; f < ent->nfields; f++)
			if ((ent->fields[f].flags & FF_LIST) && f != F_UPDATED_AT)
				cols[nc++] = f;
	}
	const char **headers = arena_calloc(&c->a, (size_t)nc, sizeof(char *));
	const char **cells = arena_calloc(&c->a, (size_t)(nc * (n ? n : 1)), sizeof(char *));
	for (int j = 0; j < nc; j++)
		headers[j] = field_label(&ent->fields[cols[j]], c->lang);
	for (int i = 0; i < n; i++)
		for (int j = 0; j < nc; j++)
			cells[i * nc + j] =
			        cli_display(c, &ent->fields[cols[j]], &rows[i].v[cols[j]]);
	out_table(c, headers, nc, cells, n);
}

void out_page(cli *c, const list_page *p, bool with_primary)
{
	if (c->format == OUT_JSON) {
		out_json(c, render_page(&c->s, p));
		return;
	}
	if (p->n == 0) {
		if (c->format == OUT_TABLE)
			cli_say(c, N_("(nothing)"));
		return;
	}
	const kh_entity *ent = p->rows[0].ent;
	int extra = with_primary && p->primary ? 2 : 0;
	int nc = p->nfields + extra;
	const char **headers = arena_calloc(&c->a, (size_t)nc, sizeof(char *));
	const char **cells = arena_calloc(&c->a, (size_t)(nc * p->n), sizeof(char *));
	for (int j = 0; j < p->nfields; j++)
		headers[j] = field_label(&ent->fields[p->fields[j]], c->lang);
	if (extra) {
		headers[p->nfields] = tr(c->lang, N_("Primary contact"));
		headers[p->nfields + 1] = tr(c->lang, N_("Phone"));
	}
	for (int i = 0; i < p->n; i++) {
		for (int j = 0; j < p->nfields; j++)
			cells[i * nc + j] = cli_display(c, &ent->fields[p->fields[j]],
			                                &p->rows[i].v[p->fields[j]]);
		if (extra) {
			cells[i * nc + p->nfields] = p->primary[i].name;
			cells[i * nc + p->nfields + 1] = p->primary[i].phone;
		}
	}
	out_table(c, headers, nc, cells, p->n);
	if (p->next)
		fprintf(stderr, "%s --after %s\n", tr(c->lang, N_("More: repeat with")), p->next);
}

void out_record(cli *c, const kh_record *r, json_t *as_json)
{
	if (c->format == OUT_JSON) {
		out_json(c, as_json ? as_json : render_record(&c->s, r));
		return;
	}
	json_decref(as_json);
	const kh_entity *ent = r->ent;
	const char **headers = NULL;
	const char **cells = arena_calloc(&c->a, (size_t)ent->nfields * 2, sizeof(char *));
	int n = 0;
	for (int i = 0; i < ent->nfields; i++) {
		if (r->v[i].state == V_ABSENT)
			continue;
		cells[n * 2] = field_label(&ent->fields[i], c->lang);
		cells[n * 2 + 1] = cli_display(c, &ent->fields[i], &r->v[i]);
		n++;
	}
	const char *h[2] = {tr(c->lang, N_("Field")), tr(c->lang, N_("Value"))};
	headers = h;
	out_table(c, headers, 2, cells, n);
}
