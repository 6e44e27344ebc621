/*
 * fuzz_xlsx — libFuzzer harness of the XLSX reader (memory input, format
 * sniffed as an upload would be). The seeds store their parts uncompressed so
 * that mutations reach the XML parsers, not only inflate. Every sheet is read
 * to the end or to the first error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena a;
	arena_init(&a);
	kh_err e;
	err_init(&e, &a, KH_LANG_EN);
	io_reader *r;
	int sheets = 1;
	for (int s = 1; s <= sheets && s <= 4; s++) {
		io_options o = IO_OPTIONS_INIT;
		char num[8];
		snprintf(num, sizeof(num), "%d", s);
		o.sheet = num;
		o.max_strings_bytes = 1 << 20;
		if (io_open_mem(&r, data, size, &o, &e) < 0)
			break;
		sheets = io_sheet_count(r);
		for (int i = 0; i < sheets && io_get_format(r) == IO_FORMAT_XLSX; i++)
			if (!io_sheet_name(r, i))
				abort();
		io_row row;
		long last = 0;
		while (io_next(r, &row, &e) > 0) {
			if (row.number <= 0 || row.ncells <= 0)
				abort();
			last = row.number;
			for (int i = 0; i < row.ncells; i++)
				if (strlen(row.cells[i].text) != row.cells[i].len)
					abort();
		}
		(void)last;
		io_free(r);
	}
	arena_release(&a);
	return 0;
}
