/*
 * csv — the CSV back end of the reader: libcsv does the parsing (RFC 4180
 * quoting, quoted newlines, CRLF/LF/CR, lenient about a stray quote inside an
 * unquoted field), iconv converts GB18030/GBK and UTF-16 to UTF-8.
 *
 * Written here because no library does it: the choice of encoding (a UTF-8
 * BOM, else UTF-8 if the first non-ASCII bytes are valid UTF-8, else
 * GB18030; decided on the first 64 KiB piece that holds non-ASCII, so a file
 * that is ASCII for its first megabytes is still read right), validating
 * UTF-8 piece by piece so that an invalid byte is reported with its row, the
 * choice of the separator, and counting rows as Excel numbers them (blank
 * lines count; the LF of a CRLF does not).
 *
 * The file is read in IO_CHUNK pieces; the rows a piece completes wait in the
 * reader's row store until handed out, so memory is a piece plus one row.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "io/reader_int.h"

/* Bytes of non-ASCII text wanted before deciding between UTF-8 and GB18030. */
#define EVIDENCE 4096
/* Valid UTF-8 characters that make a file UTF-8 despite a bad byte after them. */
#define MIN_UTF8_CHARS 3
/* Records looked at to detect the separator. */
#define SEP_RECORDS 20

struct io_csv {
	struct csv_parser p;
	io_encoding enc; /* IO_ENC_AUTO while only ASCII was seen */
	iconv_t cd;      /* to UTF-8, when enc needs it */
	char sep;
	bool sep_known;
	unsigned char *raw; /* carry (undecoded bytes) + a new piece */
	size_t carry;
	char *dec; /* a decoded piece */
	bool eof, done;
	bool bad_columns; /* a row passed the column limit inside libcsv's callback */
	long records;     /* records (rows, blank lines too) completed */
	int last_term;    /* the character that ended the previous record */
};

/* ---- helpers exposed for tests ---- */

size_t io_utf8_valid_prefix(const unsigned char *s, size_t n, bool *partial)
{
	size_t i = 0;
	*partial = false;
	while (i < n) {
		/* ASCII runs 8 bytes at a time: the common case in CSV */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			/* any high bit, or any zero byte, ends the fast path */
			if ((w & 0x8080808080808080ull) ||
			    ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		unsigned char c = s[i];
		if (c < 0x80) {
			if (c == 0)
				return i;
			i++;
			continue;
		}
		/* the common CJK case: a three-byte character without special ranges */
		if (c >= 0xE1 && c <= 0xEC && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 &&
		    (s[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		int need;
		unsigned char lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF)
			need = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else
			return i;
		for (int k = 1; k <= need; k++) {
			if (i + (size_t)k >= n) {
				*partial = true;
				return i;
			}
			unsigned char t = s[i + (size_t)k];
			if (k == 1 ? (t < lo || t > hi) : (t < 0x80 || t > 0xBF))
				return i;
		}
		i += (size_t)need + 1;
	}
	return i;
}

char io_detect_separator(const char *text, size_t len)
{
	static const char cand[] = {',', ';', '\t', '|'};
	enum { NC = sizeof(cand) };
	int first[NC] = {0}, cur[NC] = {0};
	bool consistent[NC] = {true, true, true, true};
	int records = 0;
	bool quoted = false, any = false;
	for (size_t i = 0; i < len && records < SEP_RECORDS; i++) {
		char c = text[i];
		if (c == '"') {
			quoted = !quoted;
			any = true;
		} else if (!quoted && (c == '\n' || c == '\r')) {
			if (!any)
				continue; /* blank line, or the LF of CRLF */
			for (int k = 0; k < NC; k++) {
				if (records == 0)
					first[k] = cur[k];
				else if (cur[k] != first[k])
					consistent[k] = false;
				cur[k] = 0;
			}
			records++;
			any = false;
		} else {
			any = true;
			if (!quoted)
				for (int k = 0; k < NC; k++)
					cur[k] += c == cand[k];
		}
	}
	if (records == 0) /* one line, unterminated: only it tells */
		for (int k = 0; k < NC; k++)
			first[k] = cur[k];
	int best = -1;
	for (int k = 0; k < NC; k++)
		if (first[k] > 0 && consistent[k] && (best < 0 || first[k] > first[best]))
			best = k;
	if (best < 0)
		for (int k = 0; k < NC; k++)
			if (first[k] > 0 && (best < 0 || first[k] > first[best]))
				best = k;
	return best < 0 ? ',' : cand[best];
}

/* ---- libcsv callbacks ---- */

static void on_field(void *s, size_t len, void *data)
{
	io_reader *r = data;
	io_csv *c = r->csv;
	if (c->bad_columns)
		return;
	r->cur_row = c->records + 1;
	if (io_cell_add(r, IO_CELL_TEXT, s ? s : "", len) < 0)
		c->bad_columns = true;
}

static void on_row(int term, void *data)
{
	io_reader *r = data;
	io_csv *c = r->csv;
	if (io_row_cells(r) == 0 && term == '\n' && c->last_term == '\r') {
		c->last_term = '\n'; /* the LF of a CRLF */
		return;
	}
	c->last_term = term;
	c->records++;
	if (c->bad_columns)
		return;
	io_row_end(r, c->records);
}

/* libcsv trims spaces around unquoted fields by default; a reader must not */
static int no_space(unsigned char ch)
{
	(void)ch;
	return 0;
}

/* ---- feeding ---- */

static int bad_bytes(io_reader *r)
{
	io_csv *c = r->csv;
	const char *enc = c->enc == IO_ENC_GB18030 ? "GB18030/GBK"
	                  : c->enc == IO_ENC_UTF8  ? "UTF-8"
	                                           : "UTF-16";
	return err_set(r->e, KH_EINVAL,
	               N_("Row %ld holds bytes that are not valid %s text (or a NUL byte): "
	                  "save the file as UTF-8 CSV and try again"),
	               c->records + 1, enc);
}

/* Parse decoded UTF-8 text; -1 on a limit passed. */
static int feed(io_reader *r, const char *s, size_t n)
{
	io_csv *c = r->csv;
	if (!c->sep_known) {
		/* Excel's own hint, "sep=;" on a first line it then hides */
		if (n >= 6 && !strncmp(s, "sep=", 4) && (s[5] == '\n' || s[5] == '\r')) {
			if (!r->opt.separator)
				r->opt.separator = s[4];
			size_t skip = s[5] == '\r' && n > 6 && s[6] == '\n' ? 7 : 6;
			s += skip;
			n -= skip;
		}
		c->sep = r->opt.separator ? r->opt.separator : io_detect_separator(s, n);
		csv_set_delim(&c->p, (unsigned char)c->sep);
		c->sep_known = true;
	}
	/* pieces of at most IO_CHUNK so that the row limit is checked as we go */
	while (n) {
		size_t k = n < IO_CHUNK ? n : IO_CHUNK;
		if (csv_parse(&c->p, s, k, on_field, on_row, r) != k)
			return err_set(r->e, KH_ETOOBIG, N_("Row %ld is too long"), c->records + 1);
		s += k;
		n -= k;
		if (c->bad_columns)
			return -1;
		if (io_row_bytes(r) + c->p.entry_pos > r->opt.max_row_bytes)
			return err_set(r->e, KH_ETOOBIG,
			               N_("Row %ld is longer than %zu bytes (an unclosed quote?)"),
			               c->records + 1, r->opt.max_row_bytes);
	}
	return 0;
}

static int open_iconv(io_reader *r, io_encoding enc)
{
	io_csv *c = r->csv;
	const char *from = enc == IO_ENC_GB18030   ? "GB18030"
	                   : enc == IO_ENC_UTF16LE ? "UTF-16LE"
	                                           : "UTF-16BE";
	c->cd = iconv_open("UTF-8", from);
	if (c->cd == (iconv_t)-1)
		return err_set(r->e, KH_EINTERNAL, N_("The C library cannot convert %s"), from);
	c->enc = enc;
	return 0;
}

/* Convert and parse raw[0..n); leaves an incomplete tail in the carry. */
static int decode(io_reader *r, size_t n)
{
	io_csv *c = r->csv;
	unsigned char *s = c->raw;
	c->carry = 0;
	if (c->enc == IO_ENC_AUTO) {
		/* ASCII reads the same in UTF-8 and GB18030: decide at the first non-ASCII */
		size_t i = 0;
		while (i < n && s[i] < 0x80 && s[i])
			i++;
		if (i == n) {
			return feed(r, (const char *)s, n);
		}
		if (s[i] == 0) {
			if (feed(r, (const char *)s, i) < 0)
				return -1;
			return bad_bytes(r);
		}
		if (n - i < EVIDENCE && !c->eof && i > 0) {
			/* too little to judge: parse the ASCII, judge with the next piece */
			if (feed(r, (const char *)s, i) < 0)
				return -1;
			memmove(s, s + i, n - i);
			c->carry = n - i;
			return 0;
		}
		bool partial;
		size_t ok = io_utf8_valid_prefix(s + i, n - i, &partial);
		/* UTF-8 when all of it is; or when several characters are before a bad
		 * byte: GBK text almost never forms even one valid UTF-8 sequence,
		 * so that is a UTF-8 file with a bad byte, reported as such */
		int multi = 0;
		for (size_t k = i; k < i + ok && multi < MIN_UTF8_CHARS; k++)
			multi += s[k] >= 0xC0;
		if (ok == n - i || partial || multi >= MIN_UTF8_CHARS) {
			c->enc = IO_ENC_UTF8;
		} else if (open_iconv(r, IO_ENC_GB18030) < 0)
			return -1;
	}
	if (c->enc == IO_ENC_UTF8) {
		bool partial;
		size_t ok = io_utf8_valid_prefix(s, n, &partial);
		if (feed(r, (const char *)s, ok) < 0)
			return -1;
		if (ok < n && (!partial || c->eof))
			return bad_bytes(r);
		memmove(s, s + ok, n - ok);
		c->carry = n - ok;
		return 0;
	}
	/* through iconv */
	char *in = (char *)s;
	size_t inleft = n;
	while (inleft) {
		char *out = c->dec;
		size_t outleft = 4 * IO_CHUNK;
		size_t rc = iconv(c->cd, &in, &inleft, &out, &outleft);
		int err = rc == (size_t)-1 ? errno : 0;
		size_t got = (size_t)(out - c->dec);
		if (memchr(c->dec, 0, got)) {
			size_t nul = (size_t)((char *)memchr(c->dec, 0, got) - c->dec);
			if (feed(r, c->dec, nul) < 0)
				return -1;
			return bad_bytes(r);
		}
		if (feed(r, c->dec, got) < 0)
			return -1;
		if (err == EILSEQ || (err == EINVAL && c->eof))
			return bad_bytes(r);
		if (err == EINVAL)
			break;
	}
	memmove(s, in, inleft);
	c->carry = inleft;
	return 0;
}

int io_csv_open(io_reader *r)
{
	io_csv *c = io_xcalloc(1, sizeof(*c));
	r->csv = c;
	c->cd = (iconv_t)-1;
	c->raw = io_xcalloc(2, IO_CHUNK);
	c->dec = io_xcalloc(4, IO_CHUNK);
	if (csv_init(&c->p, CSV_REPALL_NL | CSV_APPEND_NULL) != 0)
		abort();
	csv_set_space_func(&c->p, no_space);
	/* the byte-order mark says the encoding; read it and drop it */
	long n = io_input_read(r, c->raw, 4);
	if (n < 0)
		return -1;
	size_t bom = 0;
	io_encoding enc = r->opt.encoding;
	if (n >= 3 && c->raw[0] == 0xEF && c->raw[1] == 0xBB && c->raw[2] == 0xBF) {
		bom = 3;
		if (enc == IO_ENC_AUTO)
			enc = IO_ENC_UTF8;
	} else if (n >= 2 && c->raw[0] == 0xFF && c->raw[1] == 0xFE) {
		bom = 2;
		enc = IO_ENC_UTF16LE;
	} else if (n >= 2 && c->raw[0] == 0xFE && c->raw[1] == 0xFF) {
		bom = 2;
		enc = IO_ENC_UTF16BE;
	}
	memmove(c->raw, c->raw + bom, (size_t)n - bom);
	c->carry = (size_t)n - bom;
	if (enc == IO_ENC_UTF8)
		c->enc = IO_ENC_UTF8;
	else if (enc != IO_ENC_AUTO && open_iconv(r, enc) < 0)
		return -1;
	return 0;
}

int io_csv_fill(io_reader *r)
{
	io_csv *c = r->csv;
	if (c->done)
		return 0;
	while (r->nrows == r->rows_next) {
		if (c->eof) {
			csv_fini(&c->p, on_field, on_row, r);
			if (c->bad_columns)
				return -1;
			c->done = true;
			return r->nrows > r->rows_next;
		}
		long k = io_input_read(r, c->raw + c->carry, 2 * IO_CHUNK - c->carry);
		if (k < 0)
			return -1;
		c->eof = (size_t)k < 2 * IO_CHUNK - c->carry;
		if (decode(r, c->carry + (size_t)k) < 0)
			return -1;
	}
	return 1;
}

void io_csv_free(io_reader *r)
{
	io_csv *c = r->csv;
	if (!c)
		return;
	csv_free(&c->p);
	if (c->cd != (iconv_t)-1)
		iconv_close(c->cd);
	free(c->raw);
	free(c->dec);
	free(c);
	r->csv = NULL;
}

io_encoding io_csv_encoding(const io_reader *r)
{
	return r->csv ? r->csv->enc : IO_ENC_AUTO;
}

char io_csv_separator(const io_reader *r)
{
	if (!r->csv)
		return 0;
	return r->csv->sep_known ? r->csv->sep : r->opt.separator;
}
