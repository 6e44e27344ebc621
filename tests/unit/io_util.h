/*
 * io_util — what the reader tests share: reading a whole file or buffer into
 * one string to compare ("1:a|b|c\n2:1|2|3\n": row number, cells; with types,
 * "1:text(a)|number(1)|date(2021-01-01)|empty()"), and the location of the shared test data
 * (<repo>/../shared/data, or $KEHU_TEST_DATA), which the tests skip when it is
 * absent.
 */
#ifndef KEHU_TESTS_IO_UTIL_H
#define KEHU_TESTS_IO_UTIL_H

#include "unit.h"

#include <sys/stat.h>

#include "io/reader.h"
#include "util/buf.h"

/* Every test's arena and error context, made by setup, freed by teardown. */
static arena ar;
static kh_err e;

static inline int setup(void **state)
{
	(void)state;
	arena_init(&ar);
	err_init(&e, &ar, KH_LANG_EN);
	return 0;
}

static inline int teardown(void **state)
{
	(void)state;
	arena_release(&ar);
	return 0;
}

/* Read every row of r into a string (malloc'd); NULL when a read fails (e holds why). */
static inline char *io_collect(io_reader *r, bool typed, kh_err *err)
{
	buf b = BUF_INIT;
	io_row row;
	int k;
	while ((k = io_next(r, &row, err)) > 0) {
		assert_int_equal(buf_addf(&b, "%ld:", row.number), 0);
		for (int i = 0; i < row.ncells; i++) {
			const io_cell *c = &row.cells[i];
			assert_int_equal(strlen(c->text), c->len);
			if (i)
				assert_int_equal(buf_addc(&b, '|'), 0);
			if (typed)
				assert_int_equal(
				        buf_addf(&b, "%s(%s)", io_cell_type_name(c->type), c->text),
				        0);
			else
				assert_int_equal(buf_adds(&b, c->text), 0);
		}
		assert_int_equal(buf_addc(&b, '\n'), 0);
	}
	if (k < 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* Open data[0..len) and read it all; NULL on an error (in e). */
static inline char *io_read_mem(const void *data, size_t len, const io_options *o, bool typed,
                                kh_err *err)
{
	io_reader *r;
	if (io_open_mem(&r, data, len, o, err) < 0)
		return NULL;
	char *s = io_collect(r, typed, err);
	io_free(r);
	return s;
}

static inline char *io_read_str(const char *text, const io_options *o, kh_err *err)
{
	return io_read_mem(text, strlen(text), o, false, err);
}

/* <repo>/../shared/data/<rel> (or $KEHU_TEST_DATA/<rel>) into out; false (and a
 * note) when absent. */
static inline bool shared_data(const char *rel, char *out, size_t n)
{
	const char *dir = getenv("KEHU_TEST_DATA"); /* e.g. from a git worktree elsewhere */
	if (dir && *dir)
		snprintf(out, n, "%s/%s", dir, rel);
	else
		snprintf(out, n, "%s/../shared/data/%s", KEHU_SOURCE_DIR, rel);
	struct stat st;
	if (stat(out, &st) == 0)
		return true;
	fprintf(stderr, "SKIP: %s is absent (the shared test data lives in <repo>/../shared)\n",
	        out);
	return false;
}

/* Read a whole file (malloc'd). */
static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	buf b = BUF_INIT;
	char tmp[65536];
	size_t k;
	while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
		assert_int_equal(buf_add(&b, tmp, k), 0);
	fclose(f);
	return buf_detach(&b, len);
}

#endif
