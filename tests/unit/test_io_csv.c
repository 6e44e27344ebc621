/*
 * test_io_csv — the CSV reader on small files written here: line endings and
 * row numbers as Excel shows them, quoting, the separator and the encoding
 * detected, GB18030 decided late in a long file, invalid bytes reported with
 * their row, the limits, and memory that stays flat over many rows.
 */
#include "io_util.h"

#include <iconv.h>

#include "io/reader_int.h"

static void expect(const char *text, const io_options *o, const char *want)
{
	err_clear(&e);
	char *got = io_read_str(text, o, &e);
	if (!got)
		fail_msg("read failed: %s", err_message(&e));
	assert_string_equal(got, want);
	free(got);
}

/* The error message of reading text (must fail with code). */
static const char *expect_error(const void *text, size_t len, const io_options *o, kh_code code)
{
	err_clear(&e);
	char *got = io_read_mem(text, len, o, false, &e);
	if (got)
		fail_msg("read should fail, got: %s", got);
	assert_int_equal(e.code, code);
	return err_message(&e);
}

/* text re-encoded from UTF-8 (malloc'd, length in *len). */
static char *encode(const char *to, const char *text, size_t *len)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t inleft = strlen(text), cap = inleft * 4 + 16, outleft = cap;
	char *out = malloc(cap), *in = (char *)text, *o = out;
	assert_true(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
	iconv_close(cd);
	*len = cap - outleft;
	return out;
}

static void rfc4180_basics(void **state)
{
	(void)state;
	expect("a,b,c\r\n1,2,3\r\n", NULL, "1:a|b|c\n2:1|2|3\n");
	expect("a,b,c\n1,2,3", NULL, "1:a|b|c\n2:1|2|3\n"); /* no final newline */
	expect("x,\"a,b\",\"say \"\"hi\"\"\"\n", NULL, "1:x|a,b|say \"hi\"\n");
	/* spaces are data, not trimmed; an empty quoted field is an empty cell */
	expect("  a  ,\"\",b \n", NULL, "1:  a  ||b \n");
	/* an empty last column stays (a header may end in one) */
	expect("a,b,\n1,,\n", NULL, "1:a|b|\n2:1||\n");
	/* a stray quote inside an unquoted field is kept (csv-spectrum location_coordinates) */
	expect("a,37°36'37.8\"N,b\n", NULL, "1:a|37°36'37.8\"N|b\n");
	expect("", NULL, "");
	expect("\xEF\xBB\xBF", NULL, "");
}

static void row_numbers_count_blank_lines_and_records(void **state)
{
	(void)state;
	/* LF, CRLF, CR alone, blank lines in each: numbered as Excel shows them */
	expect("a\n\nb\r\n\r\nc\rd\n", NULL, "1:a\n3:b\n5:c\n6:d\n");
	/* a quoted newline stays in its cell and the record is one row */
	expect("h\n\"x\r\ny\",1\nz\n", NULL, "1:h\n2:x\r\ny|1\n3:z\n");
	/* rows of empty cells are blank: counted, not returned */
	expect("a,b\n,\n,,\nc,d\n", NULL, "1:a|b\n4:c|d\n");
}

static void separator_detected_outside_quotes(void **state)
{
	(void)state;
	io_options o = IO_OPTIONS_INIT;
	err_clear(&e);
	io_reader *r;
	const char *semi = "\"a,b\";c;d\n\"1,2\";3;4\n";
	assert_int_equal(io_open_mem(&r, semi, strlen(semi), &o, &e), 0);
	io_row row;
	assert_int_equal(io_next(r, &row, &e), 1);
	assert_int_equal(io_get_separator(r), ';');
	assert_int_equal(row.ncells, 3);
	assert_string_equal(row.cells[0].text, "a,b");
	io_free(r);
	expect("客户\t电话\n甲,乙\t138\n", NULL, "1:客户|电话\n2:甲,乙|138\n");
	expect("a|b|c\n1|2|3\n", NULL, "1:a|b|c\n2:1|2|3\n");
	/* one comma per line beats a semicolon on one line only */
	expect("a,b\nc;d,e\n", NULL, "1:a|b\n2:c;d|e\n");
	o.separator = ';';
	expect("a,b;c\n", &o, "1:a,b|c\n");
	/* Excel's "sep=" line names the separator and is not a row */
	expect("sep=;\r\na,b;c\r\n", NULL, "1:a,b|c\n");
	expect("sep=|\na|b\n", NULL, "1:a|b\n");
	assert_int_equal(io_detect_separator("a\tb\tc\n1\t2\t3\n", 12), '\t');
	assert_int_equal(io_detect_separator("single", 6), ',');
}

static void encodings_detected(void **state)
{
	(void)state;
	const char *zh = "客户名称,联系人,电话\n深圳市腾云科技有限公司,王芳,13800138000\n";
	const char *want = "1:客户名称|联系人|电话\n2:深圳市腾云科技有限公司|王芳|13800138000\n";
	/* UTF-8 without and with a BOM */
	expect(zh, NULL, want);
	char *bom = malloc(strlen(zh) + 4);
	sprintf(bom, "\xEF\xBB\xBF%s", zh);
	expect(bom, NULL, want);
	free(bom);
	/* GBK/GB18030 without a BOM, as Chinese Excel and WPS save it */
	size_t n;
	char *gbk = encode("GB18030", zh, &n);
	err_clear(&e);
	io_reader *r;
	assert_int_equal(io_open_mem(&r, gbk, n, NULL, &e), 0);
	char *got = io_collect(r, false, &e);
	assert_string_equal(got, want);
	assert_int_equal(io_get_encoding(r), IO_ENC_GB18030);
	free(got);
	io_free(r);
	/* forced */
	io_options o = IO_OPTIONS_INIT;
	o.encoding = IO_ENC_GB18030;
	got = io_read_mem(gbk, n, &o, false, &e);
	assert_string_equal(got, want);
	free(got);
	free(gbk);
	/* UTF-16LE with a BOM, tab-separated: Excel's "Unicode text" */
	char *u16 = encode("UTF-16", "名称\t电话\n王芳\t138\n", &n); /* glibc writes a BOM */
	got = io_read_mem(u16, n, NULL, false, &e);
	assert_string_equal(got, "1:名称|电话\n2:王芳|138\n");
	free(got);
	free(u16);
	/* a four-byte GB18030 character (U+20000, outside GBK) */
	char *four = encode("GB18030", "名,\xF0\xA0\x80\x80\n", &n);
	got = io_read_mem(four, n, NULL, false, &e);
	assert_string_equal(got, "1:名|\xF0\xA0\x80\x80\n");
	free(got);
	free(four);
}

/* ASCII for 300 KB, then GBK: the encoding is decided where the Chinese starts. */
static void gbk_after_a_long_ascii_prefix(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	int rows = 10000;
	for (int i = 1; i <= rows; i++)
		assert_int_equal(buf_addf(&b, "%d,customer number %d,ok\r\n", i, i), 0);
	size_t n;
	char *gbk = encode("GB18030", "10001,北京华信贸易有限公司,好\r\n", &n);
	assert_int_equal(buf_add(&b, gbk, n), 0);
	free(gbk);
	io_reader *r;
	err_clear(&e);
	assert_int_equal(io_open_mem(&r, b.data, b.len, NULL, &e), 0);
	io_row row;
	long last = 0;
	const char *name = NULL;
	while (io_next(r, &row, &e) > 0) {
		last = row.number;
		if (row.number == rows + 1)
			name = arena_strdup(&ar, row.cells[1].text);
	}
	assert_int_equal(e.code, KH_OK);
	assert_int_equal(last, rows + 1);
	assert_string_equal(name, "北京华信贸易有限公司");
	assert_int_equal(io_get_encoding(r), IO_ENC_GB18030);
	io_free(r);
	buf_release(&b);
}

static void invalid_bytes_name_the_row(void **state)
{
	(void)state;
	/* UTF-8 from the start, then a byte that is not */
	const char *bad = "名称\n甲\n乙\xFF\n";
	const char *msg = expect_error(bad, strlen(bad), NULL, KH_EINVAL);
	assert_non_null(strstr(msg, "Row 3"));
	/* GBK from the start, then 0x80 alone, which GB18030 does not have either */
	size_t n;
	char *gbk = encode("GB18030", "名称\n甲\n", &n);
	char *both = malloc(n + 3);
	memcpy(both, gbk, n);
	memcpy(both + n, "\x80\n", 3);
	msg = expect_error(both, n + 2, NULL, KH_EINVAL);
	assert_non_null(strstr(msg, "Row 3"));
	assert_non_null(strstr(msg, "GB18030"));
	free(both);
	free(gbk);
	/* a NUL byte: a binary file, not text; past the first 4 KiB, named with its row */
	msg = expect_error("a,b\nc\0d\n", 8, NULL, KH_EMEDIA);
	assert_non_null(strstr(msg, "binary"));
	buf b = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_adds(&b, "a,b,c\n"), 0);
	assert_int_equal(buf_add(&b, "x\0y\n", 4), 0);
	msg = expect_error(b.data, b.len, NULL, KH_EINVAL);
	assert_non_null(strstr(msg, "Row 1001"));
	buf_release(&b);
	/* the message is translated */
	e.lang = KH_LANG_ZH;
	msg = expect_error(bad, strlen(bad), NULL, KH_EINVAL);
	assert_null(strstr(msg, "holds bytes"));
	e.lang = KH_LANG_EN;
}

static void limits(void **state)
{
	(void)state;
	io_options o = IO_OPTIONS_INIT;
	o.max_columns = 3;
	expect("a,b,c\n", &o, "1:a|b|c\n");
	const char *msg = expect_error("a,b,c\n1,2,3,4\n", 14, &o, KH_ETOOBIG);
	assert_non_null(strstr(msg, "Row 2"));
	/* an unclosed quote would swallow the file: the row limit stops it */
	o = (io_options)IO_OPTIONS_INIT;
	o.max_row_bytes = 1000;
	buf b = BUF_INIT;
	assert_int_equal(buf_adds(&b, "a,b\n\"open"), 0);
	for (int i = 0; i < 20000; i++)
		assert_int_equal(buf_adds(&b, " more text"), 0);
	msg = expect_error(b.data, b.len, &o, KH_ETOOBIG);
	assert_non_null(strstr(msg, "Row 2"));
	buf_release(&b);
}

static void not_csv(void **state)
{
	(void)state;
	io_options o = IO_OPTIONS_INIT;
	o.format = IO_FORMAT_CSV;
	expect_error("PK\3\4rest of a zip", 18, &o, KH_EMEDIA);
	/* an old .xls: a CFB file without an encrypted package */
	unsigned char xls[512] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	const char *msg = expect_error(xls, sizeof(xls), NULL, KH_EMEDIA);
	assert_non_null(strstr(msg, ".xls"));
}

/* 300,000 rows (about 10 MB) through a reader whose buffers stay small. */
static void memory_stays_flat(void **state)
{
	(void)state;
	char path[] = "/tmp/kehu-io-flat-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("编号,名称,电话\n", f);
	int rows = 300000;
	for (int i = 1; i <= rows; i++)
		fprintf(f, "%d,客户%d,\"1380013%04d\"\r\n", i, i, i % 10000);
	fclose(f);
	io_reader *r;
	err_clear(&e);
	assert_int_equal(io_open_file(&r, path, NULL, &e), 0);
	io_row row;
	long n = 0, last = 0;
	size_t most = 0;
	unsigned long long done, total, before = 0;
	while (io_next(r, &row, &e) > 0) {
		n++;
		last = row.number;
		if (r->text.alloc > most)
			most = r->text.alloc;
		io_progress(r, &done, &total);
		assert_true(done >= before && done <= total); /* a progress bar moves forward */
		before = done;
		if (n == 1000)
			assert_true(done < total / 2);
	}
	io_progress(r, &done, &total);
	assert_true(total > 5000000);
	assert_int_equal(done, total);
	assert_int_equal(e.code, KH_OK);
	assert_int_equal(n, rows + 1);
	assert_int_equal(last, rows + 1);
	assert_int_equal(io_get_encoding(r), IO_ENC_UTF8);
	/* a 128 KiB piece of rows at most, whatever the file's size */
	assert_true(most <= 512 * 1024);
	assert_true(r->cells_cap <= 64 * 1024);
	io_free(r);
	unlink(path);
}

static void file_and_memory_read_alike(void **state)
{
	(void)state;
	char path[] = "/tmp/kehu-io-same-XXXXXX";
	int fd = mkstemp(path);
	const char *text = "a;b\r\n\"x;y\";2\r\n";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	io_reader *r;
	err_clear(&e);
	assert_int_equal(io_open_file(&r, path, NULL, &e), 0);
	char *a = io_collect(r, false, &e);
	io_free(r);
	char *b = io_read_str(text, NULL, &e);
	assert_string_equal(a, b);
	assert_string_equal(a, "1:a|b\n2:x;y|2\n");
	free(a);
	free(b);
	unlink(path);
	err_clear(&e);
	assert_int_equal(io_open_file(&r, "/nonexistent/kehu.csv", NULL, &e), -1);
	assert_null(r);
	assert_int_equal(e.code, KH_ENOTFOUND);
}

static void helpers(void **state)
{
	(void)state;
	char name[8];
	io_column_name(0, name);
	assert_string_equal(name, "A");
	io_column_name(25, name);
	assert_string_equal(name, "Z");
	io_column_name(26, name);
	assert_string_equal(name, "AA");
	io_column_name(16383, name);
	assert_string_equal(name, "XFD");
	io_encoding enc;
	assert_true(io_encoding_parse("GBK", &enc));
	assert_int_equal(enc, IO_ENC_GB18030);
	assert_true(io_encoding_parse("utf-8", &enc));
	assert_int_equal(enc, IO_ENC_UTF8);
	assert_false(io_encoding_parse("latin1", &enc));
	bool partial;
	assert_int_equal(io_utf8_valid_prefix((const unsigned char *)"ab\xE4\xB8", 4, &partial), 2);
	assert_true(partial);
	assert_int_equal(io_utf8_valid_prefix((const unsigned char *)"ab\xE4x", 4, &partial), 2);
	assert_false(partial);
	assert_int_equal(io_utf8_valid_prefix((const unsigned char *)"\xC0\xAF", 2, &partial), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(rfc4180_basics),
	        cmocka_unit_test(row_numbers_count_blank_lines_and_records),
	        cmocka_unit_test(separator_detected_outside_quotes),
	        cmocka_unit_test(encodings_detected),
	        cmocka_unit_test(gbk_after_a_long_ascii_prefix),
	        cmocka_unit_test(invalid_bytes_name_the_row),
	        cmocka_unit_test(limits),
	        cmocka_unit_test(not_csv),
	        cmocka_unit_test(memory_stays_flat),
	        cmocka_unit_test(file_and_memory_read_alike),
	        cmocka_unit_test(helpers),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
