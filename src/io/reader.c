#define _GNU_SOURCE /* memmem */
/*
 * reader — opening a file or a buffer, telling CSV from XLSX from the things
 * people upload by mistake, and the row store both back ends fill.
 */
#include "io/reader_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_MAX_COLUMNS   16384
#define DEFAULT_MAX_ROW_BYTES (4u << 20)
#define DEFAULT_MAX_STRINGS   (256u << 20)
/* How much of a CFB (OLE) file is searched for the encryption stream's name. */
#define CFB_SCAN_MAX (64u << 20)

void *io_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q)
		abort();
	return q;
}

void *io_xcalloc(size_t n, size_t size)
{
	void *q = calloc(n, size);
	if (!q)
		abort();
	return q;
}

/* Bytes at offset off of the input, without moving the read position. */
static long input_peek(io_reader *r, size_t off, void *dst, size_t n)
{
	if (r->fd < 0) {
		if (off >= r->mem_len)
			return 0;
		if (n > r->mem_len - off)
			n = r->mem_len - off;
		memcpy(dst, r->mem + off, n);
		return (long)n;
	}
	size_t got = 0;
	while (got < n) {
		ssize_t k = pread(r->fd, (char *)dst + got, n - got, (off_t)(off + got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			err_set(r->e, KH_EIO, N_("Cannot read %s: %s"), r->path, strerror(errno));
			return -1;
		}
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (long)got;
}

long io_input_read(io_reader *r, void *dst, size_t n)
{
	long k = input_peek(r, r->pos, dst, n);
	if (k > 0)
		r->pos += (size_t)k;
	return k;
}

/*
 * An Office file saved with a password is a CFB (OLE2) container holding an
 * "EncryptedPackage" stream, whose name sits in UTF-16LE in a directory
 * sector; an old .xls is a CFB without it. No library reads CFB directories
 * here, and the name alone is enough to tell the two apart for the message.
 */
static int cfb_encrypted(io_reader *r)
{
	static const char name[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
	const size_t nlen = sizeof(name) - 1;
	char *chunk = malloc(IO_CHUNK + nlen);
	if (!chunk)
		abort();
	int found = 0;
	size_t off = 0, keep = 0;
	while (off < CFB_SCAN_MAX) {
		long k = input_peek(r, off, chunk + keep, IO_CHUNK);
		if (k < 0) {
			found = -1;
			break;
		}
		if (k == 0)
			break;
		if (memmem(chunk, keep + (size_t)k, name, nlen)) {
			found = 1;
			break;
		}
		size_t have = keep + (size_t)k;
		off += (size_t)k;
		/* keep the tail so that a name across two pieces is found */
		keep = have < nlen ? have : nlen;
		memmove(chunk, chunk + have - keep, keep);
	}
	free(chunk);
	return found;
}

static int sniff(io_reader *r)
{
	unsigned char head[8];
	long n = input_peek(r, 0, head, sizeof(head));
	if (n < 0)
		return -1;
	static const unsigned char cfb[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	if (n == 8 && !memcmp(head, cfb, 8)) {
		int enc = cfb_encrypted(r);
		if (enc < 0)
			return -1;
		if (enc)
			return err_set(r->e, KH_EMEDIA,
			               N_("The workbook is password-protected: open it in Excel or "
			                  "WPS, remove the password (or save a copy without it) "
			                  "and import that copy"));
		return err_set(r->e, KH_EMEDIA,
		               N_("This is an old Excel 97-2003 (.xls) file, which kehu does not "
		                  "read: save it as .xlsx or CSV and import that"));
	}
	bool zip = n >= 4 && head[0] == 'P' && head[1] == 'K' &&
	           ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
	if (r->opt.format == IO_FORMAT_AUTO)
		r->format = zip ? IO_FORMAT_XLSX : IO_FORMAT_CSV;
	else
		r->format = r->opt.format;
	if (r->format == IO_FORMAT_CSV && zip)
		return err_set(r->e, KH_EMEDIA,
		               N_("This is a zip file (an XLSX workbook?), not a CSV file"));
	if (r->format == IO_FORMAT_CSV) {
		/* text has no NUL bytes, except UTF-16, which starts with its BOM */
		unsigned char more[4096];
		long k = input_peek(r, 0, more, sizeof(more));
		if (k < 0)
			return -1;
		bool utf16 = k >= 2 && ((more[0] == 0xFF && more[1] == 0xFE) ||
		                        (more[0] == 0xFE && more[1] == 0xFF));
		if (!utf16 && memchr(more, 0, (size_t)k))
			return err_set(
			        r->e, KH_EMEDIA,
			        N_("This file is neither CSV nor XLSX (it holds binary data)"));
	}
	return 0;
}

static int open_common(io_reader *r, const io_options *o)
{
	r->opt = o ? *o : (io_options)IO_OPTIONS_INIT;
	if (r->opt.max_columns <= 0)
		r->opt.max_columns = DEFAULT_MAX_COLUMNS;
	if (!r->opt.max_row_bytes)
		r->opt.max_row_bytes = DEFAULT_MAX_ROW_BYTES;
	if (!r->opt.max_strings_bytes)
		r->opt.max_strings_bytes = DEFAULT_MAX_STRINGS;
	buf_init(&r->text, 0);
	kh_code before = r->e->code; /* as in io_next */
	r->e->code = KH_OK;
	if (sniff(r) < 0 || (r->format == IO_FORMAT_XLSX ? io_xlsx_open(r) : io_csv_open(r)) < 0) {
		if (r->e->code == KH_OK)
			err_set(r->e, KH_EINTERNAL, NULL);
		return -1;
	}
	r->e->code = before;
	return 0;
}

static io_reader *reader_new(kh_err *e)
{
	io_reader *r = io_xcalloc(1, sizeof(*r));
	r->fd = -1;
	r->e = e;
	return r;
}

int io_open_file(io_reader **out, const char *path, const io_options *o, kh_err *e)
{
	*out = NULL;
	io_reader *r = reader_new(e);
	r->path = strdup(path);
	if (!r->path)
		abort();
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (r->fd < 0 || fstat(r->fd, &st) < 0) {
		err_set(e, errno == ENOENT ? KH_ENOTFOUND : KH_EIO, N_("Cannot open %s: %s"), path,
		        strerror(errno));
		io_free(r);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		err_set(e, KH_EIO, N_("Cannot open %s: %s"), path, strerror(EISDIR));
		io_free(r);
		return -1;
	}
	r->size = S_ISREG(st.st_mode) ? (unsigned long long)st.st_size : 0;
	if (open_common(r, o) < 0) {
		io_free(r);
		return -1;
	}
	*out = r;
	return 0;
}

int io_open_mem(io_reader **out, const void *data, size_t len, const io_options *o, kh_err *e)
{
	*out = NULL;
	io_reader *r = reader_new(e);
	r->mem = data ? data : (const void *)"";
	r->mem_len = len;
	r->size = len;
	if (open_common(r, o) < 0) {
		io_free(r);
		return -1;
	}
	*out = r;
	return 0;
}

void io_free(io_reader *r)
{
	if (!r)
		return;
	io_csv_free(r);
	io_xlsx_free(r);
	if (r->fd >= 0)
		close(r->fd);
	free((char *)r->path);
	buf_release(&r->text);
	free(r->cells);
	free(r->rows);
	free(r->out);
	free(r);
}

/* ---- the row store ---- */

int io_cell_add(io_reader *r, io_cell_type type, const char *s, size_t len)
{
	if (r->ncells - r->build_first >= r->opt.max_columns)
		return err_set(r->e, KH_ETOOBIG, N_("Row %ld has more than %d columns"), r->cur_row,
		               r->opt.max_columns);
	if (r->ncells == r->cells_cap) {
		r->cells_cap = r->cells_cap ? r->cells_cap * 2 : 256;
		r->cells = io_xrealloc(r->cells, (size_t)r->cells_cap * sizeof(*r->cells));
	}
	io_cellref *c = &r->cells[r->ncells++];
	c->type = len ? type : IO_CELL_EMPTY;
	c->off = r->text.len;
	c->len = len;
	if (buf_reserve(&r->text, len + 1) < 0)
		abort(); /* uncapped buffer: only an absurd size gets here */
	memcpy(r->text.data + r->text.len, s, len);
	r->text.len += len;
	r->text.data[r->text.len++] = '\0';
	return 0;
}

int io_row_cells(const io_reader *r)
{
	return r->ncells - r->build_first;
}

size_t io_row_bytes(const io_reader *r)
{
	if (r->build_first >= r->ncells)
		return 0;
	return r->text.len - r->cells[r->build_first].off;
}

void io_row_drop(io_reader *r)
{
	if (r->build_first < r->ncells)
		r->text.len = r->cells[r->build_first].off;
	r->ncells = r->build_first;
}

void io_row_end(io_reader *r, long number)
{
	int n = r->ncells - r->build_first;
	while (n > 0 && r->cells[r->build_first + n - 1].type == IO_CELL_EMPTY)
		n--;
	if (n == 0) { /* blank rows are counted, not returned */
		io_row_drop(r);
		return;
	}
	if (r->nrows == r->rows_cap) {
		r->rows_cap = r->rows_cap ? r->rows_cap * 2 : 64;
		r->rows = io_xrealloc(r->rows, (size_t)r->rows_cap * sizeof(*r->rows));
	}
	/* keep trailing empty cells of a CSV row (a header's empty last column), not of XLSX */
	if (r->format == IO_FORMAT_CSV)
		n = r->ncells - r->build_first;
	r->rows[r->nrows++] = (io_rowref){number, r->build_first, n};
	r->ncells = r->build_first + n;
	r->build_first = r->ncells;
}

void io_rows_compact(io_reader *r)
{
	if (r->rows_next < r->nrows)
		return;
	int keep = r->ncells - r->build_first;
	size_t off = keep ? r->cells[r->build_first].off : r->text.len;
	size_t tlen = r->text.len - off;
	if (off) {
		memmove(r->text.data, r->text.data + off, tlen);
		for (int i = 0; i < keep; i++) {
			r->cells[i] = r->cells[r->build_first + i];
			r->cells[i].off -= off;
		}
	}
	r->text.len = tlen;
	r->ncells = keep;
	r->build_first = 0;
	r->nrows = 0;
	r->rows_next = 0;
}

bool io_row_take(io_reader *r, io_row *row)
{
	if (r->rows_next >= r->nrows)
		return false;
	io_rowref *rr = &r->rows[r->rows_next++];
	if (rr->n > r->out_cap) {
		r->out_cap = rr->n > 64 ? rr->n : 64;
		r->out = io_xrealloc(r->out, (size_t)r->out_cap * sizeof(*r->out));
	}
	for (int i = 0; i < rr->n; i++) {
		const io_cellref *c = &r->cells[rr->first + i];
		r->out[i] = (io_cell){c->type, r->text.data + c->off, c->len};
	}
	row->number = rr->number;
	row->ncells = rr->n;
	row->cells = r->out;
	return true;
}

static int next(io_reader *r, io_row *row)
{
	for (;;) {
		if (io_row_take(r, row))
			return 1;
		io_rows_compact(r);
		int k = r->format == IO_FORMAT_XLSX ? io_xlsx_fill(r) : io_csv_fill(r);
		if (k < 0)
			return -1;
		if (k == 0 && r->rows_next >= r->nrows)
			return 0;
	}
}

int io_next(io_reader *r, io_row *row, kh_err *e)
{
	r->e = e;
	if (r->failed)
		return err_set(e, KH_EINTERNAL, N_("The file reader already failed"));
	/* the back ends test e->code for an error set inside a parser callback: start
	 * from none, and give the caller's code back when all went well */
	kh_code before = e->code;
	e->code = KH_OK;
	int k = next(r, row);
	if (k < 0) {
		if (e->code == KH_OK)
			err_set(e, KH_EINTERNAL, NULL);
		r->failed = true;
		return -1;
	}
	e->code = before;
	return k;
}

/* ---- what was detected ---- */

io_format io_get_format(const io_reader *r)
{
	return r->format;
}

io_encoding io_get_encoding(const io_reader *r)
{
	return r->format == IO_FORMAT_XLSX ? IO_ENC_UTF8 : io_csv_encoding(r);
}

char io_get_separator(const io_reader *r)
{
	return r->format == IO_FORMAT_XLSX ? 0 : io_csv_separator(r);
}

int io_sheet_count(const io_reader *r)
{
	return r->format == IO_FORMAT_XLSX ? io_xlsx_sheet_count(r) : 1;
}

const char *io_sheet_name(const io_reader *r, int i)
{
	return r->format == IO_FORMAT_XLSX ? io_xlsx_sheet_name(r, i) : NULL;
}

int io_sheet_current(const io_reader *r)
{
	return r->format == IO_FORMAT_XLSX ? io_xlsx_sheet_current(r) : 0;
}

void io_progress(const io_reader *r, unsigned long long *done, unsigned long long *total)
{
	if (r->format == IO_FORMAT_XLSX) {
		io_xlsx_progress(r, done, total);
		return;
	}
	*total = r->size;
	*done = r->pos < r->size ? r->pos : r->size;
}

const char *io_format_name(io_format f)
{
	return f == IO_FORMAT_XLSX ? "xlsx" : f == IO_FORMAT_CSV ? "csv" : "auto";
}

const char *io_encoding_name(io_encoding enc)
{
	switch (enc) {
	case IO_ENC_UTF8:
		return "utf-8";
	case IO_ENC_GB18030:
		return "gb18030";
	case IO_ENC_UTF16LE:
		return "utf-16le";
	case IO_ENC_UTF16BE:
		return "utf-16be";
	default:
		return "ascii";
	}
}

bool io_encoding_parse(const char *s, io_encoding *out)
{
	static const struct {
		const char *name;
		io_encoding enc;
	} names[] = {{"auto", IO_ENC_AUTO},       {"utf-8", IO_ENC_UTF8},
	             {"utf8", IO_ENC_UTF8},       {"gb18030", IO_ENC_GB18030},
	             {"gbk", IO_ENC_GB18030},     {"gb2312", IO_ENC_GB18030},
	             {"cp936", IO_ENC_GB18030},   {"utf-16le", IO_ENC_UTF16LE},
	             {"utf-16be", IO_ENC_UTF16BE}};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(s, names[i].name)) {
			*out = names[i].enc;
			return true;
		}
	return false;
}

void io_column_name(int col, char out[8])
{
	char tmp[8];
	int n = 0;
	if (col < 0)
		col = 0;
	for (col++; col > 0 && n < 7; col = (col - 1) / 26)
		tmp[n++] = (char)('A' + (col - 1) % 26);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

const char *io_cell_type_name(io_cell_type t)
{
	static const char *const names[] = {"empty", "text", "number", "date", "bool", "error"};
	return t >= IO_CELL_EMPTY && t <= IO_CELL_ERROR ? names[t] : "empty";
}
