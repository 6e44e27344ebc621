/*
 * test_io_xlsx — the XLSX reader on small workbooks zipped here with minizip:
 * shared strings (rich text, phonetic runs, _xHHHH_ escapes), inline strings,
 * formulas' cached values, booleans, errors, dates by built-in and custom
 * formats in both date systems, gaps in cells and rows, missing references,
 * several sheets picked by name or number, absolute targets, namespace
 * prefixes and WPS's backslash paths; and the errors: encrypted workbooks,
 * old .xls, damaged zips and XML, unknown sheets, limits; and flat memory.
 */
#include "io_util.h"

#include <zip.h>

#include "io/reader_int.h"

#define NS      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define RNS     "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define RELS_NS "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\""
#define REL_T   "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

/* A zip of parts {name, content, ..., NULL} into memory (malloc'd, *len). */
static char *zip_parts(const char *const *parts, size_t *len)
{
	char path[] = "/tmp/kehu-io-xlsx-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	zipFile z = zipOpen64(path, APPEND_STATUS_CREATE);
	assert_non_null(z);
	for (int i = 0; parts[i]; i += 2) {
		assert_int_equal(zipOpenNewFileInZip(z, parts[i], NULL, NULL, 0, NULL, 0, NULL,
		                                     Z_DEFLATED, Z_DEFAULT_COMPRESSION),
		                 ZIP_OK);
		assert_int_equal(
		        zipWriteInFileInZip(z, parts[i + 1], (unsigned)strlen(parts[i + 1])),
		        ZIP_OK);
		assert_int_equal(zipCloseFileInZip(z), ZIP_OK);
	}
	assert_int_equal(zipClose(z, NULL), ZIP_OK);
	char *data = slurp(path, len);
	unlink(path);
	return data;
}

static const char *pkg_rels =
        "<?xml version=\"1.0\"?><Relationships " RELS_NS "><Relationship Id=\"rId1\" "
        "Type=\"" REL_T "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";

static const char *workbook =
        "<?xml version=\"1.0\"?><workbook " NS " " RNS "><workbookPr/><sheets>"
        "<sheet name=\"客户\" sheetId=\"1\" r:id=\"rId1\"/>"
        "<sheet name=\"Second\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";

static const char *wb_rels =
        "<Relationships " RELS_NS ">"
        "<Relationship Id=\"rId1\" Type=\"" REL_T "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"" REL_T "worksheet\" Target=\"/xl/worksheets/s2.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"" REL_T "styles\" Target=\"styles.xml\"/>"
        "<Relationship Id=\"rId4\" Type=\"" REL_T "sharedStrings\" Target=\"sharedStrings.xml\"/>"
        "</Relationships>";

static const char *styles =
        "<styleSheet " NS "><numFmts count=\"4\">"
        "<numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/>"
        "<numFmt numFmtId=\"165\" formatCode=\"[Red]0.00\"/>"
        "<numFmt numFmtId=\"166\" formatCode=\"&quot;d&quot;0\"/>"
        "<numFmt numFmtId=\"167\" formatCode=\"h:mm\"/></numFmts>"
        "<cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs>"
        "<cellXfs count=\"8\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
        "<xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"167\"/><xf numFmtId=\"31\"/>"
        "<xf numFmtId=\"0\"/></cellXfs></styleSheet>";

static const char *sst =
        "<sst " NS " count=\"5\" uniqueCount=\"5\">"
        "<si><t>客户名称</t></si>"
        "<si><r><rPr><b/></rPr><t>深圳</t></r><r><t xml:space=\"preserve\"> 腾云</t></r></si>"
        "<si><t>課</t><rPh sb=\"0\" eb=\"1\"><t>カ</t></rPh></si>"
        "<si><t>a_x000D_b_x005F_x0041_</t></si>"
        "<si><t/></si></sst>";

static const char *sheet1 =
        "<worksheet " NS "><dimension ref=\"A1:F6\"/><sheetData>"
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c></row>"
        "<row r=\"3\"><c r=\"A3\" s=\"1\"><v>44197</v></c><c r=\"B3\" s=\"2\"><v>44197.5</v></c>"
        "<c r=\"C3\" s=\"3\"><v>0.30000000000000004</v></c><c r=\"D3\" s=\"4\"><v>5</v></c>"
        "<c r=\"E3\" s=\"5\"><v>0.75</v></c><c r=\"F3\" s=\"6\"><v>45000</v></c></row>"
        "<row><c t=\"b\"><v>1</v></c><c t=\"e\"><v>#DIV/0!</v></c>"
        "<c t=\"str\"><f>A1&amp;\"x\"</f><v>公式</v></c>"
        "<c t=\"inlineStr\"><is><r><t>内</t></r><r><t>联</t></r></is></c>"
        "<c s=\"0\" t=\"s\"><v>3</v></c></row>"
        "<row r=\"5\"><c r=\"A5\" s=\"7\"/><c r=\"B5\" t=\"s\"><v>4</v></c></row>"
        "<row r=\"6\"><c r=\"B6\" t=\"s\"><v>2</v></c><c r=\"D6\"><v>-12.5</v></c>"
        "<c r=\"E6\"><v>1E-3</v></c><c r=\"F6\"><v>1234.5599999999999</v></c></row>"
        "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/></mergeCells></worksheet>";

static const char *sheet2 =
        "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<x:sheetData><x:row r=\"2\"><x:c r=\"B2\"><x:v>7</x:v></x:c></x:row></x:sheetData>"
        "</x:worksheet>";

/* The test workbook with sheet_xml as its first sheet (NULL: that part is missing). */
static char *book_with(const char *sheet_xml, size_t *len)
{
	const char *parts[] = {"_rels/.rels",
	                       pkg_rels,
	                       "xl/workbook.xml",
	                       workbook,
	                       "xl/_rels/workbook.xml.rels",
	                       wb_rels,
	                       "xl/styles.xml",
	                       styles,
	                       "xl/sharedStrings.xml",
	                       sst,
	                       "xl/worksheets/s2.xml",
	                       sheet2,
	                       "xl/worksheets/sheet1.xml",
	                       sheet_xml,
	                       NULL};
	if (!sheet_xml)
		parts[12] = NULL;
	return zip_parts(parts, len);
}

static char *book(size_t *len)
{
	return book_with(sheet1, len);
}

static void cells_of_every_kind(void **state)
{
	(void)state;
	size_t n;
	char *data = book(&n);
	io_reader *r;
	err_clear(&e);
	assert_int_equal(io_open_mem(&r, data, n, NULL, &e), 0);
	assert_int_equal(io_get_format(r), IO_FORMAT_XLSX);
	assert_int_equal(io_sheet_count(r), 2);
	assert_string_equal(io_sheet_name(r, 0), "客户");
	assert_string_equal(io_sheet_name(r, 1), "Second");
	assert_int_equal(io_sheet_current(r), 0);
	char *got = io_collect(r, true, &e);
	assert_non_null(got);
	assert_string_equal(
	        got, "1:text(客户名称)|empty()|text(深圳 腾云)\n"
	             "3:date(2021-01-01)|date(2021-01-01T12:00:00)|number(0.3)|number(5)|"
	             "date(18:00:00)|date(2023-03-15)\n"
	             "4:bool(TRUE)|error(#DIV/0!)|text(公式)|text(内联)|text(a\rb_x0041_)\n"
	             "6:empty()|text(課)|empty()|number(-12.5)|number(0.001)|number(1234.56)\n");
	free(got);
	io_free(r);
	free(data);
}

static void sheets_by_name_or_number(void **state)
{
	(void)state;
	size_t n;
	char *data = book(&n);
	io_options o = IO_OPTIONS_INIT;
	o.sheet = "Second";
	err_clear(&e);
	char *got = io_read_mem(data, n, &o, true, &e);
	assert_string_equal(got, "2:empty()|number(7)\n");
	free(got);
	o.sheet = "2";
	got = io_read_mem(data, n, &o, true, &e);
	assert_string_equal(got, "2:empty()|number(7)\n");
	free(got);
	o.sheet = "客户";
	got = io_read_mem(data, n, &o, false, &e);
	assert_non_null(got);
	assert_non_null(strstr(got, "1:客户名称||深圳 腾云\n"));
	free(got);
	o.sheet = "Nope";
	assert_null(io_read_mem(data, n, &o, false, &e));
	assert_int_equal(e.code, KH_ENOTFOUND);
	assert_non_null(strstr(err_message(&e), "Nope"));
	o.sheet = "3";
	assert_null(io_read_mem(data, n, &o, false, &e));
	assert_int_equal(e.code, KH_ENOTFOUND);
	free(data);
}

/* As WPS writes them: backslash paths; and the 1904 date system. */
static void wps_paths_and_1904(void **state)
{
	(void)state;
	const char *wb = "<workbook " NS " " RNS "><workbookPr date1904=\"1\"/><sheets>"
	                 "<sheet name=\"表一\" sheetId=\"3\" r:id=\"rId7\"/></sheets></workbook>";
	const char *rels = "<Relationships " RELS_NS "><Relationship Id=\"rId7\" Type=\"" REL_T
	                   "worksheet\" Target=\"worksheets/sheet9.xml\"/><Relationship "
	                   "Id=\"rId8\" Type=\"" REL_T "styles\" Target=\"styles.xml\"/>"
	                   "</Relationships>";
	const char *sh = "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" s=\"1\"><v>0</v>"
	                 "</c><c r=\"B1\" s=\"1\"><v>42735</v></c><c r=\"C1\"><v>42735</v></c>"
	                 "</row></sheetData></worksheet>";
	const char *parts[] = {"_rels\\.rels",
	                       pkg_rels,
	                       "xl\\workbook.xml",
	                       wb,
	                       "xl\\_rels\\workbook.xml.rels",
	                       rels,
	                       "xl\\styles.xml",
	                       styles,
	                       "xl\\worksheets\\sheet9.xml",
	                       sh,
	                       NULL};
	size_t n;
	char *data = zip_parts(parts, &n);
	err_clear(&e);
	char *got = io_read_mem(data, n, NULL, true, &e);
	if (!got)
		fail_msg("%s", err_message(&e));
	assert_string_equal(got, "1:date(1904-01-01)|date(2021-01-01)|number(42735)\n");
	free(got);
	free(data);
}

static void encrypted_and_old_files(void **state)
{
	(void)state;
	/* a CFB container whose directory names the EncryptedPackage stream */
	unsigned char cfb[4096] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	const char *name = "EncryptedPackage";
	for (size_t i = 0; name[i]; i++)
		cfb[3000 + 2 * i] = (unsigned char)name[i];
	err_clear(&e);
	assert_null(io_read_mem(cfb, sizeof(cfb), NULL, false, &e));
	assert_int_equal(e.code, KH_EMEDIA);
	assert_non_null(strstr(err_message(&e), "password-protected"));
	e.lang = KH_LANG_ZH;
	assert_null(io_read_mem(cfb, sizeof(cfb), NULL, false, &e));
	assert_non_null(strstr(err_message(&e), "密码"));
	e.lang = KH_LANG_EN;
	memset(cfb + 8, 0, sizeof(cfb) - 8);
	assert_null(io_read_mem(cfb, sizeof(cfb), NULL, false, &e));
	assert_int_equal(e.code, KH_EMEDIA);
	assert_non_null(strstr(err_message(&e), ".xls"));
}

static void damaged_workbooks(void **state)
{
	(void)state;
	size_t n;
	char *data = book(&n);
	/* cut in half: the zip directory at the end is gone */
	err_clear(&e);
	assert_null(io_read_mem(data, n / 2, NULL, false, &e));
	assert_int_equal(e.code, KH_EINVAL);
	assert_non_null(strstr(err_message(&e), "damaged"));
	free(data);
	/* a zip that is no workbook */
	const char *other[] = {"readme.txt", "hello", NULL};
	data = zip_parts(other, &n);
	assert_null(io_read_mem(data, n, NULL, false, &e));
	assert_int_equal(e.code, KH_EMEDIA);
	assert_non_null(strstr(err_message(&e), "not an XLSX"));
	free(data);
	/* XML that does not close, a DOCTYPE (entity expansion), a bad string index,
	 * cells out of order, a row in a row, a cell in a cell */
	const char *bad_sheets[] = {
	        "<worksheet><sheetData><row><c><v>1</v></row></sheetData></worksheet>",
	        "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet><sheetData/></worksheet>",
	        "<worksheet><sheetData><row><c t=\"s\"><v>99</v></c></row></sheetData></worksheet>",
	        "<worksheet><sheetData><row><c r=\"B1\"/><c "
	        "r=\"A1\"/></row></sheetData></worksheet>",
	        "<worksheet><sheetData><row><c><v>1</v></c><row/></row></sheetData></worksheet>",
	        "<worksheet><sheetData><row><c><c/></c></row></sheetData></worksheet>",
	};
	for (size_t i = 0; i < sizeof(bad_sheets) / sizeof(bad_sheets[0]); i++) {
		data = book_with(bad_sheets[i], &n);
		err_clear(&e);
		assert_null(io_read_mem(data, n, NULL, false, &e));
		assert_int_equal(e.code, KH_EINVAL);
		assert_non_null(strstr(err_message(&e), "damaged"));
		free(data);
	}
	/* the second sheet's part is missing */
	data = book_with(NULL, &n);
	assert_null(io_read_mem(data, n, NULL, false, &e));
	assert_int_equal(e.code, KH_EINVAL);
	if (!strstr(err_message(&e), "客户"))
		fail_msg("%s", err_message(&e));
	free(data);
}

static void limits(void **state)
{
	(void)state;
	size_t n;
	char *data = book(&n);
	io_options o = IO_OPTIONS_INIT;
	o.max_columns = 4;
	err_clear(&e);
	assert_null(io_read_mem(data, n, &o, false, &e));
	assert_int_equal(e.code, KH_ETOOBIG);
	assert_non_null(strstr(err_message(&e), "Row 3"));
	o = (io_options)IO_OPTIONS_INIT;
	o.max_strings_bytes = 40;
	assert_null(io_read_mem(data, n, &o, false, &e));
	assert_int_equal(e.code, KH_ETOOBIG);
	free(data);
}

/* 200,000 rows in one sheet: the reader holds a bounded number of cells. */
static void memory_stays_flat(void **state)
{
	(void)state;
	buf x = BUF_INIT;
	assert_int_equal(buf_adds(&x, "<worksheet " NS "><sheetData>"), 0);
	int rows = 200000;
	for (int i = 1; i <= rows; i++)
		assert_int_equal(buf_addf(&x,
		                          "<row r=\"%d\"><c r=\"A%d\"><v>%d</v></c><c r=\"B%d\" "
		                          "t=\"inlineStr\"><is><t>客户%d</t></is></c></row>",
		                          i, i, i, i, i),
		                 0);
	assert_int_equal(buf_adds(&x, "</sheetData></worksheet>"), 0);
	size_t n;
	char *data = book_with(x.data, &n);
	buf_release(&x);
	io_reader *r;
	err_clear(&e);
	assert_int_equal(io_open_mem(&r, data, n, NULL, &e), 0);
	io_row row;
	long count = 0;
	size_t most = 0;
	unsigned long long done, total, before = 0;
	while (io_next(r, &row, &e) > 0) {
		count++;
		assert_int_equal(row.number, count);
		io_progress(r, &done, &total);
		assert_true(done >= before && done <= total);
		before = done;
		if (count == 1000)
			assert_true(done < total / 2);
		if (r->text.alloc > most)
			most = r->text.alloc;
	}
	assert_int_equal(e.code, KH_OK);
	assert_int_equal(count, rows);
	io_progress(r, &done, &total);
	assert_true(total > 10000000); /* the sheet's XML, not the zip */
	assert_int_equal(done, total);
	assert_true(most <= 2 * 1024 * 1024);
	assert_true(r->cells_cap <= 256 * 1024);
	io_free(r);
	free(data);
}

static void serial_dates(void **state)
{
	(void)state;
	char out[32];
	assert_true(io_serial_to_iso(1, false, false, out));
	assert_string_equal(out, "1900-01-01");
	assert_true(io_serial_to_iso(59, false, false, out));
	assert_string_equal(out, "1900-02-28");
	assert_false(io_serial_to_iso(60, false, false, out)); /* Lotus's 1900-02-29 */
	assert_true(io_serial_to_iso(61, false, false, out));
	assert_string_equal(out, "1900-03-01");
	assert_true(io_serial_to_iso(45432, false, false, out));
	assert_string_equal(out, "2024-05-20");
	assert_true(io_serial_to_iso(45432.999999, false, false, out)); /* rounds to the next day */
	assert_string_equal(out, "2024-05-21");
	assert_true(io_serial_to_iso(0, true, false, out));
	assert_string_equal(out, "1904-01-01");
	assert_true(io_serial_to_iso(43831.25, true, false, out));
	assert_string_equal(out, "2024-01-02T06:00:00");
	assert_true(io_serial_to_iso(0.5, false, true, out));
	assert_string_equal(out, "12:00:00");
	assert_true(io_serial_to_iso(2958465, false, false, out));
	assert_string_equal(out, "9999-12-31");
	assert_false(io_serial_to_iso(2958466, false, false, out));
	assert_false(io_serial_to_iso(-1, false, false, out));
}

static void date_formats(void **state)
{
	(void)state;
	assert_true(io_numfmt_is_date("yyyy-mm-dd"));
	assert_true(io_numfmt_is_date("yyyy\"年\"m\"月\"d\"日\""));
	assert_true(io_numfmt_is_date("[$-804]yyyy/m/d;@"));
	assert_true(io_numfmt_is_date("[h]:mm:ss"));
	assert_true(io_numfmt_is_date("h:mm AM/PM"));
	assert_true(io_numfmt_is_date("d-mmm"));
	assert_false(io_numfmt_is_date("General"));
	assert_false(io_numfmt_is_date("0.00"));
	assert_false(io_numfmt_is_date("[Red]#,##0.00"));
	assert_false(io_numfmt_is_date("#,##0.00\"元\""));
	assert_false(io_numfmt_is_date("\"day\"0"));
	assert_false(io_numfmt_is_date("0\\d"));
	assert_false(io_numfmt_is_date("[$¥-804]#,##0.00"));
	assert_false(io_numfmt_is_date("0.00_);[Red](0.00)"));
	for (int id = 14; id <= 22; id++)
		assert_true(io_numfmt_builtin_date(id));
	assert_true(io_numfmt_builtin_date(31)); /* yyyy年m月d日 in zh-CN */
	assert_true(io_numfmt_builtin_date(57));
	assert_false(io_numfmt_builtin_date(0));
	assert_false(io_numfmt_builtin_date(4));
	assert_false(io_numfmt_builtin_date(49));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(cells_of_every_kind), cmocka_unit_test(sheets_by_name_or_number),
	        cmocka_unit_test(wps_paths_and_1904),  cmocka_unit_test(encrypted_and_old_files),
	        cmocka_unit_test(damaged_workbooks),   cmocka_unit_test(limits),
	        cmocka_unit_test(memory_stays_flat),   cmocka_unit_test(serial_dates),
	        cmocka_unit_test(date_formats),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
