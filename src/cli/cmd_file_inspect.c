/*
 * kehu file-inspect FILE [--sheet NAME|N] [--rows N] [--encoding auto|utf-8|gb18030]
 *                        [--separator C] [--count]
 * What the import's file reader sees in a CSV or XLSX file: the format, the
 * encoding and separator it detected, the sheets, and the first rows with
 * their row numbers and column letters as a spreadsheet shows them. Needs no
 * database: it only reads the file.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "io/reader.h"
#include "util/buf.h"

#define MAX_SHOWN_ROWS 10000

#define USAGE                                                                                      \
	N_("Usage: kehu file-inspect FILE [--sheet NAME|N] [--rows N] "                            \
	   "[--encoding auto|utf-8|gb18030] [--separator C] [--count]")

static const char *sep_name(char sep)
{
	switch (sep) {
	case '\t':
		return "tab";
	case 0:
		return "";
	default: {
		static char one[2];
		one[0] = sep;
		return one;
	}
	}
}

typedef struct shown {
	long number;
	int ncells;
	const char **text;
	const char **type;
} shown;

static int parse_options(cli *c, const cli_args *a, io_options *o, long *nrows)
{
	const char *v;
	if ((v = cli_opt(a, "encoding")) && !io_encoding_parse(v, &o->encoding))
		return cli_usage(c, N_("--encoding must be auto, utf-8 or gb18030"));
	if ((v = cli_opt(a, "separator"))) {
		if (!strcmp(v, "tab") || !strcmp(v, "\\t"))
			o->separator = '\t';
		else if (strlen(v) == 1 && v[0] != '"' && v[0] != '\n' && v[0] != '\r')
			o->separator = v[0];
		else
			return cli_usage(c, N_("--separator must be one character, or tab"));
	}
	o->sheet = cli_opt(a, "sheet");
	if ((v = cli_opt(a, "rows"))) {
		char *end;
		*nrows = strtol(v, &end, 10);
		if (*end || *nrows < 0 || *nrows > MAX_SHOWN_ROWS)
			return cli_usage(c, N_("--rows must be a number from 0 to %d"),
			                 MAX_SHOWN_ROWS);
	}
	return 0;
}

static void print_json(cli *c, io_reader *r, const shown *rows, int n, long total, long last)
{
	json_t *sheets = json_array();
	for (int i = 0; i < io_sheet_count(r); i++)
		if (io_sheet_name(r, i))
			json_array_append_new(sheets, json_string(io_sheet_name(r, i)));
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		json_t *cells = json_array(), *types = json_array();
		for (int k = 0; k < rows[i].ncells; k++) {
			json_array_append_new(cells, json_string(rows[i].text[k]));
			json_array_append_new(types, json_string(rows[i].type[k]));
		}
		json_array_append_new(items, json_pack("{s:I, s:o, s:o}", "row",
		                                       (json_int_t)rows[i].number, "cells", cells,
		                                       "types", types));
	}
	io_format f = io_get_format(r);
	json_t *j = json_pack("{s:s, s:o, s:o}", "format", io_format_name(f), "sheets", sheets,
	                      "rows", items);
	if (f == IO_FORMAT_CSV) {
		json_object_set_new(j, "encoding",
		                    json_string(io_encoding_name(io_get_encoding(r))));
		json_object_set_new(j, "separator", json_string(sep_name(io_get_separator(r))));
	} else {
		json_object_set_new(j, "sheet", json_string(io_sheet_name(r, io_sheet_current(r))));
	}
	if (total >= 0) {
		json_object_set_new(j, "row_count", json_integer(total));
		json_object_set_new(j, "last_row", json_integer(last));
	}
	out_json(c, j);
}

static void print_table(cli *c, io_reader *r, const shown *rows, int n, long total, long last)
{
	io_format f = io_get_format(r);
	cli_say(c, N_("Format: %s"), io_format_name(f));
	if (f == IO_FORMAT_CSV) {
		cli_say(c, N_("Encoding: %s"), io_encoding_name(io_get_encoding(r)));
		cli_say(c, N_("Separator: %s"), sep_name(io_get_separator(r)));
	} else {
		buf b = BUF_INIT;
		for (int i = 0; i < io_sheet_count(r); i++)
			if (buf_addf(&b, "%s%d. %s%s", i ? " " : "", i + 1, io_sheet_name(r, i),
				     i == io_sheet_current(r) ? " *" : "") < 0)
				break;
		cli_say(c, N_("Sheets: %s"), buf_str(&b));
		buf_release(&b);
	}
	if (total >= 0)
		cli_say(c, N_("Rows with data: %ld (last row %ld)"), total, last);
	if (n == 0) {
		cli_say(c, N_("(nothing)"));
		return;
	}
	int ncols = 0;
	for (int i = 0; i < n; i++)
		if (rows[i].ncells > ncols)
			ncols = rows[i].ncells;
	const char **h = arena_calloc(&c->a, (size_t)ncols + 1, sizeof(char *));
	h[0] = tr(c->lang, N_("Row"));
	for (int k = 0; k < ncols; k++) {
		char name[8];
		io_column_name(k, name);
		h[k + 1] = arena_strdup(&c->a, name);
	}
	const char **cells = arena_calloc(&c->a, (size_t)n * (size_t)(ncols + 1), sizeof(char *));
	for (int i = 0; i < n; i++) {
		cells[i * (ncols + 1)] = arena_printf(&c->a, "%ld", rows[i].number);
		for (int k = 0; k < rows[i].ncells; k++)
			cells[i * (ncols + 1) + k + 1] = rows[i].text[k];
	}
	out_table(c, h, ncols + 1, cells, n);
}

int cmd_file_inspect(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"count", "help", NULL};
	static const char *const allowed[] = {"sheet",     "rows",  "encoding",
	                                      "separator", "count", NULL};
	if (argc >= 2 && !strcmp(argv[1], "--help")) {
		cli_say(c, USAGE);
		return 0;
	}
	cli_args a;
	if (cli_parse(c, argc, argv, flags, &a) < 0 || cli_only(c, &a, allowed) < 0)
		return -1;
	if (a.npos != 1) {
		cli_say(c, USAGE);
		return cli_usage(c, N_("Name one file to inspect"));
	}
	io_options o = IO_OPTIONS_INIT;
	long want = 10;
	if (parse_options(c, &a, &o, &want) < 0)
		return -1;
	bool count = cli_flag(&a, "count");
	io_reader *r;
	if (io_open_file(&r, a.pos[0], &o, &c->err) < 0)
		return -1;
	shown *rows = arena_calloc(&c->a, (size_t)want + 1, sizeof(shown));
	int n = 0;
	long total = 0, last = 0;
	io_row row;
	int k;
	while ((k = io_next(r, &row, &c->err)) > 0) {
		total++;
		last = row.number;
		if (n < want) {
			shown *s = &rows[n++];
			s->number = row.number;
			s->ncells = row.ncells;
			s->text = arena_calloc(&c->a, (size_t)row.ncells + 1, sizeof(char *));
			s->type = arena_calloc(&c->a, (size_t)row.ncells + 1, sizeof(char *));
			for (int i = 0; i < row.ncells; i++) {
				s->text[i] =
				        arena_memdup(&c->a, row.cells[i].text, row.cells[i].len);
				s->type[i] = io_cell_type_name(row.cells[i].type);
			}
		} else if (!count) {
			break;
		}
	}
	if (k < 0) {
		io_free(r);
		return -1;
	}
	if (c->format == OUT_JSON)
		print_json(c, r, rows, n, count ? total : -1, last);
	else
		print_table(c, r, rows, n, count ? total : -1, last);
	io_free(r);
	return 0;
}
