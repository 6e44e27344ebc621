/*
 * sheet — see sheet.h.
 */
#include "io/sheet.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "util/date.h"
#include "util/money.h"
#include "util/utf8.h"

#define ROW_CAP        (64u * 1024 * 1024) /* one CSV row: far beyond any record */
#define WIDTH_MIN      6
#define WIDTH_MAX      50
#define SHEET_NAME_MAX 31 /* Excel's limit, in characters */

struct sheet {
	sheet_format format;
	int ncols;
	/* CSV */
	FILE *file;
	bool gb18030;
	iconv_t cd;
	buf row, conv;
	/* XLSX */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *money, *date, *datetime;
	lxw_row_t nrows; /* rows written, the header included */
	int *width;
};

bool csv_plain_number(const char *s)
{
	const char *p = s;
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

int csv_cell(buf *b, const char *s)
{
	if (!s)
		s = "";
	/* =1+2, @SUM(..), +cmd|..., -2+3, "\t=..." would run as formulas in Excel */
	bool guard = strchr("=+-@\t\r", s[0]) && s[0] && !csv_plain_number(s);
	if (!guard && !strpbrk(s, ",\"\r\n"))
		return buf_adds(b, s);
	if (buf_addc(b, '"') < 0 || (guard && buf_addc(b, '\'') < 0))
		return -1;
	for (const char *p = s; *p; p++)
		if ((*p == '"' && buf_addc(b, '"') < 0) || buf_addc(b, *p) < 0)
			return -1;
	return buf_addc(b, '"');
}

/* ---- CSV ---- */

/* The row in b, converted to the sheet's encoding, to the file. */
static int csv_flush(sheet *sh)
{
	const char *out = sh->row.data;
	size_t n = sh->row.len;
	if (sh->gb18030 && n) {
		buf_clear(&sh->conv);
		/* GB18030 takes at most 4 bytes for any code point, UTF-8 at least 1 */
		if (buf_reserve(&sh->conv, n * 4 + 1) < 0)
			return -1;
		char *in = sh->row.data, *o = sh->conv.data;
		size_t inleft = n, outleft = sh->conv.alloc - 1;
		iconv(sh->cd, NULL, NULL, NULL, NULL);
		if (iconv(sh->cd, &in, &inleft, &o, &outleft) == (size_t)-1)
			return -1;
		out = sh->conv.data;
		n = (size_t)(o - sh->conv.data);
	}
	int rc = n && fwrite(out, 1, n, sh->file) != n ? -1 : 0;
	buf_clear(&sh->row);
	return rc;
}

static int csv_value(buf *b, const sheet_cell *c)
{
	switch (c->type) {
	case CELL_EMPTY:
		return 0;
	case CELL_INT:
		return buf_addf(b, "%lld", (long long)c->i);
	case CELL_MONEY: {
		char m[MONEY_LEN];
		money_format(m, c->i, false); /* 1234.50: a number to a spreadsheet */
		return buf_adds(b, m);
	}
	default:
		return csv_cell(b, c->s);
	}
}

/* ---- XLSX ---- */

/* A worksheet name Excel takes: no []:*?/\, at most 31 characters. */
static char *sheet_name(const char *name)
{
	char *out = malloc(strlen(name ? name : "") + 8);
	if (!out)
		return NULL;
	const char *p = name ? name : "", *end = p + strlen(p);
	char *o = out;
	for (int chars = 0; p < end && chars < SHEET_NAME_MAX; chars++) {
		const char *start = p;
		if (utf8_decode(&p, end) < 0)
			break;
		if (p - start == 1 && strchr("[]:*?/\\", *start))
			continue;
		memcpy(o, start, (size_t)(p - start));
		o += p - start;
	}
	*o = '\0';
	if (!*out)
		strcpy(out, "Sheet1");
	return out;
}

static void note_width(sheet *sh, int col, int w)
{
	if (w > sh->width[col])
		sh->width[col] = w > WIDTH_MAX ? WIDTH_MAX : w;
}

static lxw_error xlsx_value(sheet *sh, lxw_row_t r, lxw_col_t col, const sheet_cell *c)
{
	int y, m, d, hh, mm;
	char tail;
	switch (c->type) {
	case CELL_EMPTY:
		return LXW_NO_ERROR;
	case CELL_INT:
		note_width(sh, col, snprintf(NULL, 0, "%lld", (long long)c->i) + 2);
		return worksheet_write_number(sh->ws, r, col, (double)c->i, NULL);
	case CELL_MONEY:
		note_width(sh, col, snprintf(NULL, 0, "%lld", (long long)c->i) + 3);
		return worksheet_write_number(sh->ws, r, col, (double)c->i / 100.0, sh->money);
	case CELL_DATE:
		if (c->s && date_parse(c->s, &y, &m, &d)) {
			lxw_datetime dt = {y, m, d, 0, 0, 0};
			note_width(sh, col, 12);
			return worksheet_write_datetime(sh->ws, r, col, &dt, sh->date);
		}
		break;
	case CELL_DATETIME: {
		char day[DATE_LEN];
		if (c->s && strlen(c->s) >= 16 && c->s[10] == ' ') {
			memcpy(day, c->s, 10);
			day[10] = '\0';
			if (date_parse(day, &y, &m, &d) &&
			    sscanf(c->s + 11, "%2d:%2d%c", &hh, &mm, &tail) == 2 && hh >= 0 &&
			    hh < 24 && mm >= 0 && mm < 60) {
				lxw_datetime dt = {y, m, d, hh, mm, 0};
				note_width(sh, col, 18);
				return worksheet_write_datetime(sh->ws, r, col, &dt, sh->datetime);
			}
		}
		break;
	}
	case CELL_TEXT:
		break;
	}
	if (!c->s || !*c->s)
		return LXW_NO_ERROR;
	note_width(sh, col, utf8_width(c->s) + 2);
	return worksheet_write_string(sh->ws, r, col, c->s, NULL);
}

/* ---- the sheet ---- */

sheet *sheet_open(const sheet_options *o)
{
	sheet *sh = calloc(1, sizeof(*sh));
	if (!sh)
		return NULL;
	sh->format = o->format;
	buf_init(&sh->row, ROW_CAP);
	buf_init(&sh->conv, 0);
	sh->cd = (iconv_t)-1;
	if (o->format == SHEET_CSV) {
		sh->file = o->file;
		sh->gb18030 = o->encoding == SHEET_GB18030;
		if (!sh->file ||
		    (sh->gb18030 && (sh->cd = iconv_open("GB18030", "UTF-8")) == (iconv_t)-1)) {
			errno = errno ? errno : EINVAL;
			sheet_abort(sh);
			return NULL;
		}
		return sh;
	}
	lxw_workbook_options wo = {
	        .constant_memory = LXW_TRUE, .tmpdir = (char *)o->tmpdir, .use_zip64 = LXW_TRUE};
	char *name = sheet_name(o->name);
	sh->wb = o->path && name ? workbook_new_opt(o->path, &wo) : NULL;
	sh->ws = sh->wb ? workbook_add_worksheet(sh->wb, name) : NULL;
	free(name);
	if (!sh->ws) {
		errno = EINVAL;
		sheet_abort(sh);
		return NULL;
	}
	sh->bold = workbook_add_format(sh->wb);
	format_set_bold(sh->bold);
	sh->money = workbook_add_format(sh->wb);
	format_set_num_format(sh->money, "0.00");
	sh->date = workbook_add_format(sh->wb);
	format_set_num_format(sh->date, "yyyy-mm-dd");
	sh->datetime = workbook_add_format(sh->wb);
	format_set_num_format(sh->datetime, "yyyy-mm-dd hh:mm");
	return sh;
}

int sheet_header(sheet *sh, const char *const *labels, int n)
{
	sh->ncols = n;
	if (sh->format == SHEET_CSV) {
		if (!sh->gb18030 && buf_adds(&sh->row, "\xEF\xBB\xBF") < 0) /* the BOM */
			return -1;
		for (int j = 0; j < n; j++)
			if ((j && buf_addc(&sh->row, ',') < 0) || csv_cell(&sh->row, labels[j]) < 0)
				return -1;
		if (buf_adds(&sh->row, "\r\n") < 0)
			return -1;
		return csv_flush(sh);
	}
	sh->width = calloc((size_t)(n ? n : 1), sizeof(int));
	if (!sh->width)
		return -1;
	for (int j = 0; j < n; j++) {
		sh->width[j] = WIDTH_MIN;
		note_width(sh, j, utf8_width(labels[j]) + 4); /* room for the filter button */
		if (worksheet_write_string(sh->ws, 0, (lxw_col_t)j, labels[j], sh->bold) !=
		    LXW_NO_ERROR)
			return -1;
	}
	worksheet_freeze_panes(sh->ws, 1, 0);
	sh->nrows = 1;
	return 0;
}

int sheet_row(sheet *sh, const sheet_cell *cells, int n)
{
	if (n > sh->ncols)
		n = sh->ncols;
	if (sh->format == SHEET_CSV) {
		for (int j = 0; j < n; j++)
			if ((j && buf_addc(&sh->row, ',') < 0) ||
			    csv_value(&sh->row, &cells[j]) < 0)
				return -1;
		if (buf_adds(&sh->row, "\r\n") < 0)
			return -1;
		return csv_flush(sh);
	}
	if (sh->nrows >= LXW_ROW_MAX)
		return -1;
	for (int j = 0; j < n; j++)
		if (xlsx_value(sh, sh->nrows, (lxw_col_t)j, &cells[j]) != LXW_NO_ERROR)
			return -1;
	sh->nrows++;
	return 0;
}

int sheet_close(sheet *sh)
{
	int rc = 0;
	if (sh->format == SHEET_CSV) {
		rc = fflush(sh->file) == 0 && !ferror(sh->file) ? 0 : -1;
	} else {
		for (int j = 0; j < sh->ncols; j++)
			worksheet_set_column(sh->ws, (lxw_col_t)j, (lxw_col_t)j, sh->width[j],
			                     NULL);
		if (sh->ncols)
			worksheet_autofilter(sh->ws, 0, 0, sh->nrows - 1,
			                     (lxw_col_t)(sh->ncols - 1));
		rc = workbook_close(sh->wb) == LXW_NO_ERROR ? 0 : -1;
		sh->wb = NULL;
	}
	sheet_abort(sh);
	return rc;
}

void sheet_abort(sheet *sh)
{
	if (!sh)
		return;
	if (sh->wb) {
		/* libxlsxwriter has no "discard": finish into the file the caller removes */
		workbook_close(sh->wb);
	}
	if (sh->cd != (iconv_t)-1)
		iconv_close(sh->cd);
	buf_release(&sh->row);
	buf_release(&sh->conv);
	free(sh->width);
	free(sh);
}
