/*
 * test_sheet — the CSV cell writer (RFC 4180 quoting, the formula guard that
 * leaves plain numbers alone) and whole CSV sheets: the BOM, CRLF, typed cells
 * (money in yuan, empty cells), and GB18030 bytes that decode to the same text.
 */
#include "unit.h"

#include <iconv.h>
#include <string.h>

#include "io/sheet.h"

static void cell_is(const char *in, const char *want)
{
	buf b;
	buf_init(&b, 0);
	assert_int_equal(csv_cell(&b, in), 0);
	if (strcmp(buf_str(&b), want) != 0)
		fail_msg("\"%s\" was written as [%s], want [%s]", in, buf_str(&b), want);
	buf_release(&b);
}

static void quoting(void **state)
{
	(void)state;
	cell_is("", "");
	cell_is(NULL, "");
	cell_is("深圳市腾云科技有限公司", "深圳市腾云科技有限公司");
	cell_is("a,b", "\"a,b\"");
	cell_is("说 \"好\"", "\"说 \"\"好\"\"\"");
	cell_is("line1\r\nline2", "\"line1\r\nline2\"");
	cell_is("x\ny", "\"x\ny\"");
}

static void formulas_are_neutralised(void **state)
{
	(void)state;
	cell_is("=1+2", "\"'=1+2\"");
	cell_is("+86 138", "\"'+86 138\"");
	cell_is("-2+3", "\"'-2+3\"");
	cell_is("@SUM(A1)", "\"'@SUM(A1)\"");
	cell_is("\t=cmd", "\"'\t=cmd\"");
	cell_is("\r=cmd", "\"'\r=cmd\"");
	cell_is("=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
	/* numbers stay numbers; = inside a cell is harmless */
	cell_is("-12", "-12");
	cell_is("-1234.50", "-1234.50");
	cell_is("a=b", "a=b");
	assert_true(csv_plain_number("0"));
	assert_true(csv_plain_number("-3.25"));
	assert_false(csv_plain_number("-"));
	assert_false(csv_plain_number("1."));
	assert_false(csv_plain_number("1e5"));
	assert_false(csv_plain_number("-1-1"));
}

/* A sheet of two rows written to memory. */
static char *write_sheet(sheet_encoding enc, size_t *len)
{
	char *data = NULL;
	FILE *f = open_memstream(&data, len);
	sheet_options o = {.format = SHEET_CSV, .encoding = enc, .file = f};
	sheet *sh = sheet_open(&o);
	assert_non_null(sh);
	const char *h[] = {"客户名称", "金额（元）", "数量", "日期"};
	assert_int_equal(sheet_header(sh, h, 4), 0);
	sheet_cell r1[] = {{CELL_TEXT, 0, "北京星河科技"},
	                   {CELL_MONEY, 123456, NULL},
	                   {CELL_INT, -3, NULL},
	                   {CELL_DATE, 0, "2024-05-10"}};
	sheet_cell r2[] = {{CELL_TEXT, 0, "=危险"},
	                   {CELL_MONEY, -5, NULL},
	                   {CELL_EMPTY, 0, NULL},
	                   {CELL_DATETIME, 0, "2024-05-10 08:30"}};
	assert_int_equal(sheet_row(sh, r1, 4), 0);
	assert_int_equal(sheet_row(sh, r2, 4), 0);
	assert_int_equal(sheet_close(sh), 0);
	fclose(f);
	return data;
}

static const char *WANT = "客户名称,金额（元）,数量,日期\r\n"
                          "北京星河科技,1234.56,-3,2024-05-10\r\n"
                          "\"'=危险\",-0.05,,2024-05-10 08:30\r\n";

static void utf8_sheet_has_a_bom_and_crlf(void **state)
{
	(void)state;
	size_t n;
	char *d = write_sheet(SHEET_UTF8, &n);
	assert_true(n > 3 && !memcmp(d, "\xEF\xBB\xBF", 3));
	assert_string_equal(d + 3, WANT);
	free(d);
}

static void gb18030_sheet_decodes_to_the_same_text(void **state)
{
	(void)state;
	size_t n;
	char *d = write_sheet(SHEET_GB18030, &n);
	assert_true(memcmp(d, "\xEF\xBB\xBF", 3) != 0);
	assert_true(n < strlen(WANT)); /* two bytes a character, not three */
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	char out[1024];
	char *in = d, *o = out;
	size_t inleft = n, outleft = sizeof(out) - 1;
	assert_true(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
	*o = '\0';
	iconv_close(cd);
	assert_string_equal(out, WANT);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(quoting),
	        cmocka_unit_test(formulas_are_neutralised),
	        cmocka_unit_test(utf8_sheet_has_a_bom_and_crlf),
	        cmocka_unit_test(gb18030_sheet_decodes_to_the_same_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
