/*
 * reader — the file readers of the import: CSV and XLSX, one row at a time.
 *
 * A reader is opened on a file (path) or on a memory buffer (an HTTP upload),
 * sniffs the format (zip → XLSX, CFB/OLE → a password-protected workbook or an
 * old .xls, refused; anything else → CSV), and hands back rows of typed cells
 * in UTF-8 with the row number the user sees in Excel, so that an import error
 * can say "row 17, column 客户名称". Memory stays flat as the file grows: the
 * file is read in 64 KiB pieces and only the current row is kept (plus, for
 * XLSX, the workbook's shared-string table, which the format requires to be
 * held whole; it is capped by io_options.max_strings_bytes).
 *
 * It does not map columns, parse customer values (amounts, dates typed as
 * text) or touch a database: those are the import's (the service layer's).
 * Blank rows are not returned; the row numbers of the rows that are returned
 * count them, as Excel does.
 *
 * Errors go through kh_err with a translated message: KH_EMEDIA for a file
 * that is not CSV/XLSX (or is encrypted, or is an old .xls), KH_EINVAL for a
 * damaged workbook or text that is neither UTF-8 nor GB18030 (naming the row),
 * KH_ETOOBIG for a row, a column count or a string table over its limit,
 * KH_ENOTFOUND for a sheet that does not exist, KH_EIO for a file that
 * cannot be read. A call that succeeds leaves e as it was (an import may
 * gather field errors in it between rows). A reader is used by one thread at a
 * time; readers share no state.
 */
#ifndef KEHU_IO_READER_H
#define KEHU_IO_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

typedef struct io_reader io_reader;

typedef enum io_format {
	IO_FORMAT_AUTO = 0, /* options only: sniff it */
	IO_FORMAT_CSV,
	IO_FORMAT_XLSX,
} io_format;

typedef enum io_encoding {
	IO_ENC_AUTO = 0, /* options only: BOM, else UTF-8 if valid, else GB18030 */
	IO_ENC_UTF8,
	IO_ENC_GB18030, /* also reads GBK and GB2312, its subsets */
	IO_ENC_UTF16LE, /* only with a BOM: Excel's "Unicode text" */
	IO_ENC_UTF16BE,
} io_encoding;

typedef enum io_cell_type {
	IO_CELL_EMPTY = 0,
	IO_CELL_TEXT,
	IO_CELL_NUMBER, /* text is the number as Excel shows it (15 significant digits) */
	IO_CELL_DATE,   /* text is "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS" or "HH:MM:SS" */
	IO_CELL_BOOL,   /* text is "TRUE" or "FALSE" */
	IO_CELL_ERROR,  /* text is the Excel error, e.g. "#DIV/0!" */
} io_cell_type;

/* One cell. CSV cells are TEXT or EMPTY (CSV has no types). */
typedef struct io_cell {
	io_cell_type type;
	const char *text; /* UTF-8, NUL-terminated, "" when empty */
	size_t len;
} io_cell;

/* One row: valid until the next io_next or io_free. */
typedef struct io_row {
	long number; /* 1-based, as the spreadsheet shows it (blank rows counted) */
	int ncells;  /* cells[0..ncells): column A first; gaps are EMPTY cells */
	const io_cell *cells;
} io_row;

typedef struct io_options {
	io_format format;         /* AUTO (default) or forced */
	io_encoding encoding;     /* CSV: AUTO (default) or forced */
	char separator;           /* CSV: 0 = detect (',' ';' '\t' or '|'), else this byte */
	const char *sheet;        /* XLSX: sheet name, or a 1-based index as text; NULL = first */
	int max_columns;          /* 0 = 16384 (Excel's own limit) */
	size_t max_row_bytes;     /* 0 = 4 MiB of text in one row */
	size_t max_strings_bytes; /* XLSX shared strings held in memory; 0 = 256 MiB */
} io_options;

#define IO_OPTIONS_INIT                                                                            \
	{                                                                                          \
		IO_FORMAT_AUTO, IO_ENC_AUTO, 0, NULL, 0, 0, 0                                      \
	}

/*
 * Open path (or data[0..len), which the caller keeps alive and unchanged
 * until io_free) with options o (NULL = defaults). Returns 0 and *out, which
 * the caller frees with io_free; or -1 with e set and *out NULL.
 * Messages are allocated in e's arena.
 */
__attribute__((warn_unused_result)) int io_open_file(io_reader **out, const char *path,
                                                     const io_options *o, kh_err *e);
__attribute__((warn_unused_result)) int io_open_mem(io_reader **out, const void *data, size_t len,
                                                    const io_options *o, kh_err *e);

/*
 * The next non-blank row into *row: 1, or 0 at the end of the sheet/file, or
 * -1 with e set (the reader is then unusable except for io_free).
 */
__attribute__((warn_unused_result)) int io_next(io_reader *r, io_row *row, kh_err *e);

/* What was detected (or forced). */
io_format io_get_format(const io_reader *r);
/* CSV: the encoding; IO_ENC_AUTO while a CSV has shown only ASCII so far
 * (then UTF-8 and GB18030 read it alike). XLSX: IO_ENC_UTF8. */
io_encoding io_get_encoding(const io_reader *r);
/* CSV: the separator; XLSX: 0. */
char io_get_separator(const io_reader *r);
/* XLSX: the number of sheets, the name of sheet i (0-based, in the workbook's
 * order), and the index of the sheet being read. CSV: 1, NULL, 0. */
int io_sheet_count(const io_reader *r);
const char *io_sheet_name(const io_reader *r, int i);
int io_sheet_current(const io_reader *r);

/* How far the reading is, for a progress bar: *done of *total bytes (CSV: of the
 * file; XLSX: of the sheet's XML). Both 0 when unknown. */
void io_progress(const io_reader *r, unsigned long long *done, unsigned long long *total);

/* Stable names for the CLI and the API: "csv", "xlsx"; "utf-8", "gb18030",
 * "utf-16le", "utf-16be", and "ascii" for IO_ENC_AUTO (undecided: only ASCII so far). */
const char *io_format_name(io_format f);
const char *io_encoding_name(io_encoding enc);
/* Parse "auto", "utf-8"/"utf8", "gb18030"/"gbk"/"gb2312"; false if none. */
bool io_encoding_parse(const char *s, io_encoding *out);

/* The spreadsheet name of column col (0-based) into out: "A", "Z", "AA", ... "XFD". */
void io_column_name(int col, char out[8]);
/* Stable name of a cell type: "empty", "text", "number", "date", "bool", "error". */
const char *io_cell_type_name(io_cell_type t);

/* Close the file and free everything; NULL is fine. */
void io_free(io_reader *r);

#endif
