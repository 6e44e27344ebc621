/*
 * sheet — a table of typed cells written to a file as it arrives, as CSV or
 * XLSX: what exports and the CLI's CSV output write. It knows cells, not
 * records: the service layer turns a record into cells (labels, names, the
 * business time zone), so the two formats cannot disagree on a value.
 *
 * CSV: RFC 4180 (quotes doubled, CRLF), UTF-8 with a BOM (what Excel needs to
 * read it as UTF-8) or GB18030 without one; a text cell that a spreadsheet
 * would run as a formula (starting with = + - @, a tab or CR and not a plain
 * number) gets a leading ' (OWASP's CSV injection advice).
 * XLSX: libxlsxwriter in constant-memory mode (each row goes to a temporary
 * file as it is written, so memory stays flat however many rows come); numbers
 * and money as numbers (money in yuan with a 0.00 format), dates and times as
 * Excel dates (yyyy-mm-dd, yyyy-mm-dd hh:mm), the header row bold and frozen,
 * an autofilter over the table, column widths from the content (a Chinese
 * character counts two). Text is written as text: XLSX runs no formula from
 * a string cell, so it needs no guard.
 */
#ifndef KEHU_IO_SHEET_H
#define KEHU_IO_SHEET_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util/buf.h"

typedef enum sheet_format { SHEET_CSV, SHEET_XLSX } sheet_format;
typedef enum sheet_encoding { SHEET_UTF8, SHEET_GB18030 } sheet_encoding;

typedef enum cell_type {
	CELL_EMPTY,
	CELL_TEXT,     /* s */
	CELL_INT,      /* i */
	CELL_MONEY,    /* i, in fen; written as yuan with two decimals */
	CELL_DATE,     /* s: YYYY-MM-DD (anything else, a masked 1985-**-**, as text) */
	CELL_DATETIME, /* s: YYYY-MM-DD HH:MM, already in the business time zone */
} cell_type;

typedef struct sheet_cell {
	cell_type type;
	int64_t i;
	const char *s;
} sheet_cell;

typedef struct sheet sheet;

typedef struct sheet_options {
	sheet_format format;
	sheet_encoding encoding; /* CSV only */
	FILE *file;              /* CSV: where to write (not closed by sheet_close) */
	const char *path;        /* XLSX: the file to create (replaced at sheet_close) */
	const char *name;        /* XLSX: the worksheet's name (cut to 31 characters) */
	const char *tmpdir;      /* XLSX: for libxlsxwriter's row files; NULL: the default */
} sheet_options;

/* Start a sheet; NULL (errno set, or EINVAL) when it cannot. Nothing is
 * written before sheet_header. */
sheet *sheet_open(const sheet_options *o);
/* The header row (XLSX: bold, frozen, the autofilter's first row). */
__attribute__((warn_unused_result)) int sheet_header(sheet *sh, const char *const *labels, int n);
/* One row of n cells (as many as the header's). -1 on a write error. */
__attribute__((warn_unused_result)) int sheet_row(sheet *sh, const sheet_cell *cells, int n);
/* Finish the file (XLSX: widths, filter, the zip) and free sh. -1 when the file
 * could not be finished; sh is freed either way. */
int sheet_close(sheet *sh);
/* Free sh without finishing the file (after an error). */
void sheet_abort(sheet *sh);

/*
 * Append one CSV cell to b: quoted when it holds a comma, quote, CR or LF,
 * with a leading ' when a spreadsheet would run it as a formula. -1 when b's
 * cap is reached. The CLI's --format csv writes its cells with this too.
 */
__attribute__((warn_unused_result)) int csv_cell(buf *b, const char *s);
/* True when s is a plain decimal number (-12, 3.50): safe to leave as it is. */
bool csv_plain_number(const char *s);

#endif
