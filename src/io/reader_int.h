/*
 * reader_int — what the CSV and XLSX back ends of the reader share: the
 * input (a file descriptor or a memory buffer, read in pieces), and the row
 * being built (cells as offsets into one text buffer, turned into io_cells
 * when the row is handed out). Private to src/io and its tests.
 */
#ifndef KEHU_IO_READER_INT_H
#define KEHU_IO_READER_INT_H

#include <stdint.h>

#include "io/reader.h"
#include "util/buf.h"

#define IO_CHUNK (64 * 1024)

typedef struct io_csv io_csv;
typedef struct io_xlsx io_xlsx;

/* A cell of a row being built: its text is text.data[off .. off+len). */
typedef struct io_cellref {
	io_cell_type type;
	size_t off, len;
} io_cellref;

/* Rows being built and rows ready to hand out: cells[first .. first+n). */
typedef struct io_rowref {
	long number;
	int first, n;
} io_rowref;

struct io_reader {
	io_format format;
	io_options opt;
	kh_err *e; /* of the call in progress */

	/* input: fd >= 0 for a file, else mem[0..mem_len); read from pos on */
	int fd;
	const char *path;
	const unsigned char *mem;
	size_t mem_len, pos;
	unsigned long long size; /* of the input, 0 when unknown */
	bool failed;             /* an earlier call failed: only io_free now */

	/* the cells of rows built and not yet handed out */
	buf text;
	io_cellref *cells;
	int ncells, cells_cap;
	io_rowref *rows;
	int nrows, rows_cap, rows_next;
	int build_first; /* first cell of the row being built */
	long cur_row;    /* number of the row being built, for messages */
	io_cell *out;    /* the row handed out */
	int out_cap;

	io_csv *csv;
	io_xlsx *xlsx;
};

/* Allocation that aborts on failure, like the arena (kehu cannot report anything then). */
void *io_xrealloc(void *p, size_t n);
void *io_xcalloc(size_t n, size_t size);

/* Read up to n bytes of the input; 0 at the end, -1 with an error set. */
long io_input_read(io_reader *r, void *dst, size_t n);

/* Append a cell to the row being built; -1 (KH_ETOOBIG set) over a limit. */
int io_cell_add(io_reader *r, io_cell_type type, const char *s, size_t len);
/* Cells of the row being built so far, and its text bytes. */
int io_row_cells(const io_reader *r);
size_t io_row_bytes(const io_reader *r);
/* The row being built is complete as row number; dropped if all its cells are empty. */
void io_row_end(io_reader *r, long number);
/* Drop the row being built. */
void io_row_drop(io_reader *r);
/* Forget the rows handed out, keeping the one being built. */
void io_rows_compact(io_reader *r);
/* Hand out the next ready row into *row; false if none. */
bool io_row_take(io_reader *r, io_row *row);

/* Back ends. open: the input is set up and sniffed; next: as io_next
 * without rows ready; free: release what open made. */
int io_csv_open(io_reader *r);
int io_csv_fill(io_reader *r);
void io_csv_free(io_reader *r);
int io_xlsx_open(io_reader *r);
int io_xlsx_fill(io_reader *r);
void io_xlsx_free(io_reader *r);
int io_xlsx_sheet_count(const io_reader *r);
const char *io_xlsx_sheet_name(const io_reader *r, int i);
int io_xlsx_sheet_current(const io_reader *r);
void io_xlsx_progress(const io_reader *r, unsigned long long *done, unsigned long long *total);
io_encoding io_csv_encoding(const io_reader *r);
char io_csv_separator(const io_reader *r);

/*
 * Helpers with no I/O, exposed for the unit tests.
 */
/* True when an Excel number format code shows a date or time (d, m, y, h or s
 * outside quotes, brackets and escapes). */
bool io_numfmt_is_date(const char *code);
/* True for the built-in number format ids that show dates (14-22, 27-36,
 * 45-47, 50-58: the last two ranges are the CJK locales' 年月日 formats). */
bool io_numfmt_builtin_date(int id);
/* An Excel serial date as ISO text into out (32 bytes): "YYYY-MM-DD",
 * "YYYY-MM-DDTHH:MM:SS" or "HH:MM:SS" (time_only, serial < 1). False when the
 * serial is no date (negative, past 9999-12-31, or the 1900 system's
 * non-existent 1900-02-29). */
bool io_serial_to_iso(double serial, bool date1904, bool time_only, char *out);
/* The separator among , ; \t | that the first records of text (outside
 * quotes) agree on; ',' when none. */
char io_detect_separator(const char *text, size_t len);
/* Length of the longest prefix of s[0..n) that is valid UTF-8 without NUL;
 * *partial set when the rest is only the start of a character. */
size_t io_utf8_valid_prefix(const unsigned char *s, size_t n, bool *partial);

#endif
