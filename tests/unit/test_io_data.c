/*
 * test_io_data — the readers on real files written by others, in
 * <repo>/../shared/data (skipped, saying so, when absent): every csv-spectrum
 * case against its expected JSON; the GBK re-encodings of the Chinese CSVs
 * against their UTF-8 originals; CPython's GB2312/GBK/GB18030 texts against
 * their UTF-8 references; every calamine workbook that is valid opens and
 * reads to the end, the encrypted and the damaged one give their errors, and
 * chosen cells (WPS Chinese, dates in both systems, inline strings, empty
 * cells, several sheets, LibreOffice and Gnumeric writers) read as the files
 * hold them; Superstore and crm-maven with their row counts.
 */
#include "io_util.h"

#include <dirent.h>
#include <jansson.h>

static io_reader *open_path(const char *path, const io_options *o)
{
	io_reader *r;
	err_clear(&e);
	if (io_open_file(&r, path, o, &e) < 0)
		fail_msg("%s: %s", path, err_message(&e));
	return r;
}

/* All rows of a file as io_collect writes them. */
static char *read_path(const char *path, const io_options *o, bool typed)
{
	io_reader *r = open_path(path, o);
	char *s = io_collect(r, typed, &e);
	if (!s)
		fail_msg("%s: %s", path, err_message(&e));
	io_free(r);
	return s;
}

static long count_rows(const char *path, const io_options *o)
{
	io_reader *r = open_path(path, o);
	io_row row;
	long n = 0;
	int k;
	while ((k = io_next(r, &row, &e)) > 0)
		n++;
	if (k < 0)
		fail_msg("%s: %s", path, err_message(&e));
	io_free(r);
	return n;
}

/* s with every CRLF made LF (in the arena). */
static const char *lf_only(const char *s)
{
	char *t = arena_strdup(&ar, s), *o = t;
	for (const char *p = t; *p; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			*o++ = *p;
	*o = '\0';
	return t;
}

static void csv_spectrum(void **state)
{
	(void)state;
	char dir[4096];
	if (!shared_data("csv-spectrum/csvs", dir, sizeof(dir)))
		skip();
	const char *names[] = {"comma_in_quotes", "empty",         "empty_crlf",
	                       "escaped_quotes",  "json",          "location_coordinates",
	                       "newlines",        "newlines_crlf", "quotes_and_newlines",
	                       "simple",          "simple_crlf",   "utf8"};
	for (size_t t = 0; t < sizeof(names) / sizeof(names[0]); t++) {
		char csv[4200], js[4200];
		snprintf(csv, sizeof(csv), "%s/%s.csv", dir, names[t]);
		snprintf(js, sizeof(js), "%s/../json/%s.json", dir, names[t]);
		json_error_t jerr;
		json_t *want = json_load_file(js, 0, &jerr);
		assert_non_null(want);
		if (json_is_object(want)) { /* location_coordinates.json holds its one row bare */
			json_t *one = json_array();
			json_array_append_new(one, want);
			want = one;
		}
		/* the package's *_crlf.csv files lost their CRs (its JSON still has
		 * "\r\n" in a quoted field): expect what the file holds */
		size_t len;
		char *bytes = slurp(csv, &len);
		bool has_cr = memchr(bytes, '\r', len) != NULL;
		free(bytes);
		io_reader *r = open_path(csv, NULL);
		io_row row;
		assert_int_equal(io_next(r, &row, &e), 1);
		int ncols = row.ncells;
		const char **head = arena_calloc(&ar, (size_t)ncols, sizeof(char *));
		for (int i = 0; i < ncols; i++)
			head[i] = arena_strdup(&ar, row.cells[i].text);
		size_t i = 0;
		int k;
		while ((k = io_next(r, &row, &e)) > 0) {
			json_t *obj = json_array_get(want, i++);
			assert_non_null(obj);
			assert_int_equal(row.ncells, ncols);
			for (int c = 0; c < ncols; c++) {
				/* the suite's slip: its JSON names a phone number the CSV lacks */
				if (!strcmp(names[t], "location_coordinates") &&
				    !strcmp(head[c], "Contact Phone Number"))
					continue;
				const char *v = json_string_value(json_object_get(obj, head[c]));
				assert_non_null(v);
				if (!has_cr)
					v = lf_only(v);
				if (strcmp(v, row.cells[c].text))
					fail_msg("%s row %ld column %s: want \"%s\", got \"%s\"",
					         names[t], row.number, head[c], v,
					         row.cells[c].text);
			}
		}
		assert_int_equal(k, 0);
		assert_int_equal(i, json_array_size(want));
		io_free(r);
		json_decref(want);
	}
}

/* The GBK re-encodings read as the same Chinese text as the UTF-8 originals. */
static void gbk_files_match_their_originals(void **state)
{
	(void)state;
	char gbk[4096], utf[4096];
	const char *names[] = {"cosmetic", "tmall_order_report"};
	for (int i = 0; i < 2; i++) {
		char rel[128];
		snprintf(rel, sizeof(rel), "gb18030/derived/%s.gbk.csv", names[i]);
		if (!shared_data(rel, gbk, sizeof(gbk)))
			skip();
		snprintf(rel, sizeof(rel), "chinese/%s.csv", names[i]);
		if (!shared_data(rel, utf, sizeof(utf)))
			skip();
		io_reader *r = open_path(gbk, NULL);
		char *a = io_collect(r, false, &e);
		assert_non_null(a);
		assert_int_equal(io_get_encoding(r), IO_ENC_GB18030);
		io_free(r);
		r = open_path(utf, NULL);
		char *b = io_collect(r, false, &e);
		assert_non_null(b);
		assert_int_equal(io_get_encoding(r), IO_ENC_UTF8);
		io_free(r);
		assert_true(strlen(a) > 100000);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	char *t = read_path(gbk, NULL, false);
	assert_non_null(strstr(t, "1:订单编号|总金额|买家实际支付金额|收货地址 |"));
	free(t);
}

static void cpython_cjk_encodings(void **state)
{
	(void)state;
	const char *names[] = {"gb2312", "gbk", "gb18030"};
	for (int i = 0; i < 3; i++) {
		char enc[4096], ref[4096], rel[128];
		snprintf(rel, sizeof(rel), "gb18030/cpython-cjkencodings/%s.txt", names[i]);
		if (!shared_data(rel, enc, sizeof(enc)))
			skip();
		snprintf(rel, sizeof(rel), "gb18030/cpython-cjkencodings/%s-utf8.txt", names[i]);
		if (!shared_data(rel, ref, sizeof(ref)))
			skip();
		/* text, not a table: one cell a line, parsed alike in both encodings */
		io_options o = IO_OPTIONS_INIT;
		o.separator = '\x1f';
		io_reader *r = open_path(enc, &o);
		char *a = io_collect(r, false, &e);
		assert_non_null(a);
		assert_int_equal(io_get_encoding(r), IO_ENC_GB18030);
		io_free(r);
		char *b = read_path(ref, &o, false);
		assert_true(strlen(b) > 200);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
}

/* Every sheet of every valid calamine workbook reads to its end. */
static void calamine_workbooks_open(void **state)
{
	(void)state;
	char dir[4096];
	if (!shared_data("xlsx/calamine", dir, sizeof(dir)))
		skip();
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *de;
	int files = 0;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n < 5 || strcmp(de->d_name + n - 5, ".xlsx") != 0)
			continue;
		char path[4400];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		io_reader *r;
		err_clear(&e);
		int rc = io_open_file(&r, path, NULL, &e);
		if (!strcmp(de->d_name, "pass_protected.xlsx")) {
			assert_int_equal(rc, -1);
			assert_int_equal(e.code, KH_EMEDIA);
			assert_non_null(strstr(err_message(&e), "password-protected"));
			continue;
		}
		if (!strcmp(de->d_name, "issue252.xlsx")) {
			/* a relationships part with a wrong CRC: damaged, as calamine says too */
			assert_int_equal(rc, -1);
			assert_int_equal(e.code, KH_EINVAL);
			assert_non_null(strstr(err_message(&e), "CRC"));
			continue;
		}
		if (rc < 0)
			fail_msg("%s: %s", de->d_name, err_message(&e));
		int sheets = io_sheet_count(r);
		io_free(r);
		assert_true(sheets >= 1);
		for (int s = 1; s <= sheets; s++) {
			io_options o = IO_OPTIONS_INIT;
			char num[16];
			snprintf(num, sizeof(num), "%d", s);
			o.sheet = num;
			r = open_path(path, &o);
			assert_int_equal(io_sheet_current(r), s - 1);
			io_row row;
			int k;
			long last = 0;
			while ((k = io_next(r, &row, &e)) > 0) {
				assert_true(row.number > last);
				last = row.number;
			}
			if (k < 0)
				fail_msg("%s sheet %d: %s", de->d_name, s, err_message(&e));
			io_free(r);
		}
		files++;
	}
	closedir(d);
	assert_true(files >= 60);
}

static char *calamine(const char *name, const char *sheet)
{
	char rel[256], path[4096];
	snprintf(rel, sizeof(rel), "xlsx/calamine/%s", name);
	if (!shared_data(rel, path, sizeof(path)))
		return NULL;
	io_options o = IO_OPTIONS_INIT;
	o.sheet = sheet;
	return read_path(path, &o, true);
}

#define EXPECT_BOOK(name, sheet, want)                                                             \
	do {                                                                                       \
		char *got_ = calamine(name, sheet);                                                \
		if (!got_)                                                                         \
			skip();                                                                    \
		assert_string_equal(got_, want);                                                   \
		free(got_);                                                                        \
	} while (0)

static void calamine_cells(void **state)
{
	(void)state;
	/* LibreOffice, 1900 and 1904 systems; [hh]:mm:ss over a day stays a number */
	EXPECT_BOOK("date.xlsx", NULL,
	            "1:date(2021-01-01)|number(15)\n2:date(2021-01-02)|number(16)\n"
	            "3:number(10.6320601851852)|number(17)\n");
	EXPECT_BOOK("date_1904.xlsx", NULL,
	            "1:date(2021-01-01)|number(15)\n2:date(2021-01-02)|number(16)\n"
	            "3:number(10.6320601851852)|number(17)\n");
	/* openpyxl's t="d" cells and inline strings */
	EXPECT_BOOK("date_iso.xlsx", NULL,
	            "1:date(2021-01-01)\n2:date(2021-01-01T10:10:10)\n3:date(10:10:10)\n"
	            "4:text(This workbook contains datetime in ISO 8601)\n"
	            "5:text(Please, check source code of the file, if you resave it)\n"
	            "6:text(Created with openpyxl, see "
	            "https://openpyxl.readthedocs.io/en/latest/datetime.html#using-the-iso-8601-"
	            "format)\n");
	EXPECT_BOOK("errors.xlsx", NULL,
	            "1:error(#DIV/0!)\n2:error(#NAME?)\n3:error(#VALUE!)\n4:error(#NULL!)\n"
	            "5:error(#REF!)\n6:error(#NUM!)\n7:error(#N/A)\n");
	/* phonetic runs left out (LibreOffice); _x000D_ decoded */
	EXPECT_BOOK("rph.xlsx", NULL, "1:text(課きく　毛こ)\n");
	EXPECT_BOOK("has_x000D_.xlsx", NULL, "1:text(ABC\r\nDEF)\n");
	/* empty cells inside rows and blank rows between them */
	EXPECT_BOOK("empty_shared_string_value.xlsx", NULL,
	            "1:text(Name)|text(City)|text(Status)\n2:text(Alice)|empty()|text(Active)\n"
	            "3:empty()|text(Berlin)\n");
	EXPECT_BOOK("header-row.xlsx", NULL,
	            "3:empty()|empty()|text(Note 1)\n"
	            "9:text(Columns)|text(Column A)|text(Column B)|text(Column C)\n"
	            "10:text(put data here)|number(1)|number(2)|number(3)\n");
	/* several sheets, by name and by number */
	EXPECT_BOOK("any_sheets.xlsx", "Visible",
	            "1:number(1)|number(2)\n2:number(3)|number(4)\n3:number(5)|number(6)\n"
	            "5:text(This workbook contains 4 sheets: Visible, Hidden, VeryHidden and "
	            "Chart)\n");
	char *a = calamine("any_sheets.xlsx", "1"), *b = calamine("any_sheets.xlsx", NULL);
	assert_string_equal(a, b);
	free(a);
	free(b);
	a = calamine("any_sheets.xlsx", "Hidden");
	b = calamine("any_sheets.xlsx", "Visible");
	assert_string_not_equal(a, b);
	free(a);
	free(b);
	/* cells and rows without r attributes read as the copy Excel saved with them */
	a = calamine("issue_261.xlsx", NULL);
	b = calamine("issue_261_fixed_by_excel.xlsx", NULL);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "7:text(String Value 29)|date(2023-03-15)|empty()|"));
	free(a);
	free(b);
	/* WPS: Chinese, backslash paths */
	a = calamine("issue_530.xlsx", NULL);
	assert_non_null(strstr(a, "1:text(报表导出人：)|text(于国栋)\n"));
	assert_non_null(strstr(a, "3:text(考勤周期)|text(2023-03-01-2023-03-31)\n"));
	assert_non_null(strstr(a, "4:empty()|empty()|text(领域)|text(平台)|text(小微)|"));
	free(a);
	/* Gnumeric, inline strings */
	a = calamine("issue_174.xlsx", NULL);
	assert_non_null(strstr(a, "1:text(Your Ref #)|text(Contact Name)|text(Contact Number)|"));
	assert_non_null(strstr(a, "2:number(123)|text(Test Contact Name)|"));
	free(a);
}

static void calamine_sheet_names(void **state)
{
	(void)state;
	char path[4096];
	if (!shared_data("xlsx/calamine/issue_530.xlsx", path, sizeof(path)))
		skip();
	io_reader *r = open_path(path, NULL);
	assert_int_equal(io_sheet_count(r), 1);
	assert_string_equal(io_sheet_name(r, 0), "出勤分类组织汇总表");
	io_free(r);
	if (!shared_data("xlsx/calamine/any_sheets.xlsx", path, sizeof(path)))
		skip();
	r = open_path(path, NULL);
	assert_int_equal(io_sheet_count(r), 4);
	assert_string_equal(io_sheet_name(r, 1), "Hidden");
	assert_string_equal(io_sheet_name(r, 3), "Chart");
	io_free(r);
}

static void row_counts(void **state)
{
	(void)state;
	static const struct {
		const char *rel;
		long rows; /* rows with data, header included */
	} files[] = {
	        {"superstore/Sample - Superstore.csv", 10195},
	        {"superstore/Sample data.xlsx", 474},
	        {"superstore/PKI 1.xlsx", 47},
	        {"crm-maven/sales_pipeline.csv", 8801},
	        {"crm-maven/accounts.csv", 86},
	        {"crm-maven/products.csv", 8},
	        {"crm-maven/sales_teams.csv", 36},
	        {"crm-maven/orig/sales_pipeline.csv", 8801},
	        {"crm-maven/orig/accounts.csv", 86},
	        {"telco-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv", 7044},
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[4096];
		if (!shared_data(files[i].rel, path, sizeof(path)))
			skip();
		long n = count_rows(path, NULL);
		if (n != files[i].rows)
			fail_msg("%s: %ld rows, want %ld", files[i].rel, n, files[i].rows);
	}
	char path[4096];
	if (!shared_data("superstore/Sample - Superstore.csv", path, sizeof(path)))
		skip();
	io_reader *r = open_path(path, NULL);
	io_row row;
	assert_int_equal(io_next(r, &row, &e), 1);
	assert_string_equal(row.cells[0].text, "Row ID"); /* the BOM is not in the header */
	assert_int_equal(io_get_encoding(r), IO_ENC_UTF8);
	io_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(csv_spectrum),
	        cmocka_unit_test(gbk_files_match_their_originals),
	        cmocka_unit_test(cpython_cjk_encodings),
	        cmocka_unit_test(calamine_workbooks_open),
	        cmocka_unit_test(calamine_cells),
	        cmocka_unit_test(calamine_sheet_names),
	        cmocka_unit_test(row_counts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
