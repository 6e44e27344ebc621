/*
 * fuzz_csv — libFuzzer harness of the CSV reader (memory input). The first
 * byte picks the options (encoding forced or detected, separator forced or
 * detected, small limits) so that every path of src/io/csv.c is reached; the
 * rest is the file. Every row is read to the end or to the first error; any
 * crash, leak or undefined behaviour is a bug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t pick = data[0];
	io_options o = IO_OPTIONS_INIT;
	o.format = IO_FORMAT_CSV;
	static const io_encoding enc[] = {IO_ENC_AUTO, IO_ENC_UTF8, IO_ENC_GB18030, IO_ENC_UTF16LE};
	o.encoding = enc[pick & 3];
	static const char seps[] = {0, ',', ';', '\t'};
	o.separator = seps[(pick >> 2) & 3];
	if (pick & 0x10) {
		o.max_columns = 8;
		o.max_row_bytes = 256;
	}
	arena a;
	arena_init(&a);
	kh_err e;
	err_init(&e, &a, (pick & 0x20) ? KH_LANG_EN : KH_LANG_ZH);
	io_reader *r;
	if (io_open_mem(&r, data + 1, size - 1, &o, &e) == 0) {
		io_row row;
		while (io_next(r, &row, &e) > 0)
			for (int i = 0; i < row.ncells; i++)
				if (strlen(row.cells[i].text) != row.cells[i].len)
					abort();
		(void)io_get_encoding(r);
		(void)io_get_separator(r);
		io_free(r);
	}
	arena_release(&a);
	return 0;
}
