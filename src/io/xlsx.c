/*
 * xlsx — the XLSX back end of the reader: minizip opens the zip, expat
 * parses each XML part as it is inflated, 64 KiB at a time.
 *
 * Written here because no library does it for C: following the package's
 * relationships (_rels/.rels → the workbook → its sheets, shared strings and
 * styles, with relative, absolute and backslash paths as WPS writes them),
 * knowing which cell styles are dates (built-in ids and custom format codes),
 * Excel's serial dates (the 1900 system with Lotus's leap-year bug, and the
 * 1904 system), the _xHHHH_ escapes of OOXML strings, and cell references with
 * gaps. The shared-string table is held in memory (the format keeps it apart
 * from the cells), capped by io_options.max_strings_bytes; the sheet itself
 * is streamed: the parser is suspended once enough cells wait, so memory
 * stays flat however many rows the sheet has.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>
#include <unzip.h>

#include "io/reader_int.h"
#include "util/date.h"

/* Workbook parts other than sheets and shared strings are small; a bigger one
 * is hostile (a zip bomb) rather than a workbook. */
#define PART_MAX       (64u << 20)
#define MAX_ENTRIES    100000
#define MAX_SHEETS     4096
#define MAX_STYLES     200000
#define MAX_ROW_NUMBER 100000000L
/* Cells waiting in the row store before the sheet parser is suspended. */
#define PENDING_CELLS 65536

enum { FMT_NONE = 0, FMT_DATE = 1, FMT_TIME = 2 };

typedef struct zentry {
	char *name; /* normalised: '/' separators, no leading '/' */
	unz64_file_pos pos;
} zentry;

typedef struct sheet {
	char *name;
	char *rid;
	char *path;
} sheet;

typedef struct rel {
	char *id, *type, *target;
} rel;

typedef struct rels {
	rel *items;
	int n, cap;
} rels;

typedef struct numfmt {
	int id;
	unsigned char kind;
} numfmt;

enum cell_t { CT_N, CT_S, CT_INLINE, CT_STR, CT_B, CT_E, CT_D };

struct io_xlsx {
	unzFile zf;
	zlib_filefunc64_def mem_io;
	zentry *entries;
	int nentries;
	sheet *sheets;
	int nsheets, current;
	bool date1904;
	unsigned char *xf_kind; /* per cellXfs index: FMT_* */
	int nxf;
	/* shared strings: text in sst, string i at sst.data + sst_off[i] */
	buf sst;
	size_t *sst_off;
	int nsst, sst_cap;

	/* the sheet being streamed */
	XML_Parser xp;
	char *chunk;
	bool zopen, suspended, sheet_done, in_data;
	unsigned long long sheet_size; /* uncompressed bytes of the sheet's XML */
	long row_number;               /* current row */
	bool in_row;
	int next_col;
	/* the cell being read */
	bool in_cell, in_v, in_is, in_t, in_rph;
	int col;
	enum cell_t ct;
	int style;
	buf v, is;
	bool over;             /* a value passed the row limit */
	const char *xml_error; /* set by a handler that stops the parser */

	/* while reading the other parts */
	rels *cur_rels;
	struct {
		numfmt *fmts;
		int nfmts;
		bool in_xfs;
	} st;
	struct {
		bool in_si, in_t, in_rph;
		size_t start;
	} ss;
};

/* ---- small helpers ---- */

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

/* Name equality that looks at the first byte before calling strcmp (the sheet's
 * handlers run for every element of millions of cells). */
#define IS(name, lit) ((name)[0] == (lit)[0] && !strcmp((name), (lit)))

/* Element or attribute name without its namespace prefix ("x:row" → "row"). */
static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (!strcmp(local(atts[i]), name))
			return atts[i + 1];
	return NULL;
}

/* The r:id attribute: "id" with a prefix (a bare "id" is something else). */
static const char *attr_rid(const char **atts)
{
	for (int i = 0; atts[i]; i += 2)
		if (strchr(atts[i], ':') && !strcmp(local(atts[i]), "id"))
			return atts[i + 1];
	return NULL;
}

static int damaged(io_reader *r, const char *part, const char *why)
{
	return err_set(r->e, KH_EINVAL, N_("The workbook is damaged (%s: %s)"), part, why);
}

/* Normalise a zip path in place: '\\' → '/', no leading '/', "." and ".." resolved. */
static void norm_path(char *p)
{
	for (char *s = p; *s; s++)
		if (*s == '\\')
			*s = '/';
	char *out = p;
	const char *s = p;
	while (*s) {
		while (*s == '/')
			s++;
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 0)
			break;
		if (n == 1 && s[0] == '.') {
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (out > p && *--out != '/')
				;
		} else {
			if (out > p)
				*out++ = '/';
			memmove(out, s, n);
			out += n;
		}
		s += n;
	}
	*out = '\0';
}

/* Target of a relationship from the part in directory dir, normalised. */
static char *resolve(const char *dir, const char *target)
{
	size_t n = strlen(dir) + strlen(target) + 2;
	char *p = malloc(n);
	if (!p)
		abort();
	if (target[0] == '/' || target[0] == '\\' || !dir[0])
		snprintf(p, n, "%s", target);
	else
		snprintf(p, n, "%s/%s", dir, target);
	norm_path(p);
	return p;
}

static char *dir_of(const char *path)
{
	char *d = xstrdup(path);
	char *s = strrchr(d, '/');
	if (s)
		*s = '\0';
	else
		d[0] = '\0';
	return d;
}

/* ---- the zip ---- */

static voidpf mem_open(voidpf opaque, const void *name, int mode)
{
	(void)name;
	(void)mode;
	return opaque;
}

static uLong mem_read(voidpf opaque, voidpf stream, void *dst, uLong n)
{
	(void)stream;
	io_reader *r = opaque;
	size_t left = r->mem_len - r->pos;
	if (n > left)
		n = (uLong)left;
	memcpy(dst, r->mem + r->pos, n);
	r->pos += n;
	return n;
}

static uLong mem_write(voidpf opaque, voidpf stream, const void *src, uLong n)
{
	(void)opaque;
	(void)stream;
	(void)src;
	(void)n;
	return 0;
}

static ZPOS64_T mem_tell(voidpf opaque, voidpf stream)
{
	(void)stream;
	return ((io_reader *)opaque)->pos;
}

static long mem_seek(voidpf opaque, voidpf stream, ZPOS64_T off, int origin)
{
	(void)stream;
	io_reader *r = opaque;
	ZPOS64_T base = origin == ZLIB_FILEFUNC_SEEK_SET   ? 0
	                : origin == ZLIB_FILEFUNC_SEEK_CUR ? r->pos
	                                                   : r->mem_len;
	if (off > r->mem_len || base + off > r->mem_len)
		return -1;
	r->pos = (size_t)(base + off);
	return 0;
}

static int mem_close(voidpf opaque, voidpf stream)
{
	(void)opaque;
	(void)stream;
	return 0;
}

static int mem_error(voidpf opaque, voidpf stream)
{
	(void)opaque;
	(void)stream;
	return 0;
}

static int zip_open(io_reader *r)
{
	io_xlsx *x = r->xlsx;
	if (r->fd >= 0) {
		x->zf = unzOpen64(r->path);
	} else {
		x->mem_io = (zlib_filefunc64_def){mem_open, mem_read,  mem_write, mem_tell,
		                                  mem_seek, mem_close, mem_error, r};
		x->zf = unzOpen2_64("", &x->mem_io);
	}
	if (!x->zf)
		return err_set(r->e, KH_EINVAL,
		               N_("The workbook is damaged: its zip directory cannot be read"));
	int rc = unzGoToFirstFile(x->zf);
	int cap = 0;
	while (rc == UNZ_OK) {
		char name[1024];
		unz_file_info64 fi;
		if (unzGetCurrentFileInfo64(x->zf, &fi, name, sizeof(name), NULL, 0, NULL, 0) !=
		    UNZ_OK)
			return damaged(r, "zip", "entry");
		if (x->nentries >= MAX_ENTRIES)
			return damaged(r, "zip", "too many entries");
		if (x->nentries == cap) {
			cap = cap ? cap * 2 : 64;
			x->entries = io_xrealloc(x->entries, (size_t)cap * sizeof(*x->entries));
		}
		zentry *z = &x->entries[x->nentries];
		if (unzGetFilePos64(x->zf, &z->pos) != UNZ_OK)
			return damaged(r, "zip", "entry");
		z->name = xstrdup(name);
		norm_path(z->name);
		x->nentries++;
		rc = unzGoToNextFile(x->zf);
	}
	if (rc != UNZ_END_OF_LIST_OF_FILE)
		return err_set(r->e, KH_EINVAL,
		               N_("The workbook is damaged: its zip directory cannot be read"));
	return 0;
}

/* Package part names are case-insensitive (OPC). */
static const zentry *zfind(io_xlsx *x, const char *path)
{
	for (int i = 0; i < x->nentries; i++)
		if (!strcasecmp(x->entries[i].name, path))
			return &x->entries[i];
	return NULL;
}

static int zopen_entry(io_reader *r, const zentry *z)
{
	io_xlsx *x = r->xlsx;
	unz_file_info64 fi;
	if (unzGoToFilePos64(x->zf, (unz64_file_pos *)&z->pos) != UNZ_OK ||
	    unzGetCurrentFileInfo64(x->zf, &fi, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK)
		return damaged(r, z->name, "zip entry");
	if (fi.flag & 1)
		return err_set(r->e, KH_EMEDIA,
		               N_("The workbook is password-protected: open it in Excel or "
		                  "WPS, remove the password (or save a copy without it) "
		                  "and import that copy"));
	if (unzOpenCurrentFile(x->zf) != UNZ_OK)
		return damaged(r, z->name, "zip entry");
	x->zopen = true;
	return 0;
}

static int zclose_entry(io_reader *r, const char *name)
{
	io_xlsx *x = r->xlsx;
	if (!x->zopen)
		return 0;
	x->zopen = false;
	if (unzCloseCurrentFile(x->zf) == UNZ_CRCERROR)
		return damaged(r, name, "CRC error");
	return 0;
}

/* ---- expat ---- */

static void XMLCALL no_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int internal)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)internal;
	/* OOXML parts have no DTD: one here is an attack (entity expansion), not a workbook */
	io_reader *r = ud;
	r->xlsx->xml_error = "DOCTYPE";
	XML_StopParser(r->xlsx->xp, XML_FALSE);
}

static XML_Parser new_parser(io_reader *r, XML_StartElementHandler start, XML_EndElementHandler end,
                             XML_CharacterDataHandler text)
{
	XML_Parser p = XML_ParserCreate(NULL);
	if (!p)
		abort();
	XML_SetUserData(p, r);
	XML_SetElementHandler(p, start, end);
	XML_SetCharacterDataHandler(p, text);
	XML_SetStartDoctypeDeclHandler(p, no_doctype);
	r->xlsx->xp = p;
	r->xlsx->xml_error = NULL;
	return p;
}

static int xml_failed(io_reader *r, const char *part)
{
	io_xlsx *x = r->xlsx;
	if (r->e->code) /* a handler set the error and stopped the parser */
		return -1;
	if (x->xml_error)
		return damaged(r, part, x->xml_error);
	char why[160];
	snprintf(why, sizeof(why), "XML line %lu: %s",
	         (unsigned long)XML_GetCurrentLineNumber(x->xp),
	         XML_ErrorString(XML_GetErrorCode(x->xp)));
	return damaged(r, part, why);
}

/* Parse a whole part with the given handlers. Missing: 0 if optional, else -1. */
static int parse_part(io_reader *r, const char *path, bool required, size_t max,
                      XML_StartElementHandler start, XML_EndElementHandler end,
                      XML_CharacterDataHandler text)
{
	io_xlsx *x = r->xlsx;
	const zentry *z = zfind(x, path);
	if (!z) {
		if (!required)
			return 0;
		return err_set(r->e, KH_EMEDIA,
		               N_("This zip file is not an XLSX workbook (it has no %s)"), path);
	}
	if (zopen_entry(r, z) < 0)
		return -1;
	XML_Parser p = new_parser(r, start, end, text);
	size_t total = 0;
	int rc = 0;
	for (;;) {
		int n = unzReadCurrentFile(x->zf, x->chunk, IO_CHUNK);
		if (n < 0) {
			rc = damaged(r, path, "zip data");
			break;
		}
		total += (size_t)n;
		if (total > max) {
			rc = err_set(r->e, KH_ETOOBIG, N_("The workbook part %s is too large"),
			             path);
			break;
		}
		if (XML_Parse(p, x->chunk, n, n == 0) != XML_STATUS_OK) {
			rc = xml_failed(r, path);
			break;
		}
		if (r->e->code) {
			rc = -1;
			break;
		}
		if (n == 0)
			break;
	}
	XML_ParserFree(p);
	x->xp = NULL;
	if (zclose_entry(r, path) < 0 && rc == 0)
		rc = -1;
	return rc < 0 ? -1 : 1;
}

static void stop(io_reader *r)
{
	XML_StopParser(r->xlsx->xp, XML_FALSE);
}

/* ---- relationships ---- */

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	io_reader *r = ud;
	if (strcmp(local(name), "Relationship") != 0)
		return;
	const char *id = attr(atts, "Id"), *type = attr(atts, "Type"),
	           *target = attr(atts, "Target");
	if (!id || !type || !target)
		return;
	rels *rs = r->xlsx->cur_rels;
	if (rs->n >= MAX_SHEETS * 4) {
		r->xlsx->xml_error = "too many relationships";
		stop(r);
		return;
	}
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 16;
		rs->items = io_xrealloc(rs->items, (size_t)rs->cap * sizeof(*rs->items));
	}
	rs->items[rs->n++] = (rel){xstrdup(id), xstrdup(type), xstrdup(target)};
}

static void XMLCALL ignore_end(void *ud, const XML_Char *name)
{
	(void)ud;
	(void)name;
}

static void XMLCALL ignore_text(void *ud, const XML_Char *s, int len)
{
	(void)ud;
	(void)s;
	(void)len;
}

static void rels_release(rels *rs)
{
	for (int i = 0; i < rs->n; i++) {
		free(rs->items[i].id);
		free(rs->items[i].type);
		free(rs->items[i].target);
	}
	free(rs->items);
	memset(rs, 0, sizeof(*rs));
}

/* The relationships file of a part: dir/_rels/base.rels. */
static int read_rels(io_reader *r, const char *part, rels *out)
{
	const char *slash = strrchr(part, '/');
	char path[1024];
	if (slash)
		snprintf(path, sizeof(path), "%.*s/_rels/%s.rels", (int)(slash - part), part,
		         slash + 1);
	else
		snprintf(path, sizeof(path), "_rels/%s.rels", part);
	r->xlsx->cur_rels = out;
	int rc = parse_part(r, path, false, PART_MAX, rels_start, ignore_end, ignore_text);
	r->xlsx->cur_rels = NULL;
	return rc;
}

/* Relationship types end the same way in transitional and strict OOXML. */
static bool type_is(const char *type, const char *suffix)
{
	size_t n = strlen(type), k = strlen(suffix);
	return n > k && type[n - k - 1] == '/' && !strcmp(type + n - k, suffix);
}

/* ---- workbook.xml ---- */

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	io_reader *r = ud;
	io_xlsx *x = r->xlsx;
	const char *l = local(name);
	if (!strcmp(l, "workbookPr")) {
		const char *d = attr(atts, "date1904");
		x->date1904 = d && (!strcmp(d, "1") || !strcasecmp(d, "true"));
	} else if (!strcmp(l, "sheet")) {
		const char *sn = attr(atts, "name"), *rid = attr_rid(atts);
		if (!sn || !rid)
			return;
		if (x->nsheets >= MAX_SHEETS) {
			x->xml_error = "too many sheets";
			stop(r);
			return;
		}
		x->sheets = io_xrealloc(x->sheets, (size_t)(x->nsheets + 1) * sizeof(*x->sheets));
		x->sheets[x->nsheets++] = (sheet){xstrdup(sn), xstrdup(rid), NULL};
	}
}

/* ---- styles.xml ---- */

int io_numfmt_kind(const char *code);

/*
 * Whether a format code shows a date or a time: a d, m, y, h or s outside
 * "quoted text", [brackets] (colours, locales, conditions; but [h] [m] [s]
 * are elapsed times), \escaped characters and _ or * fill characters.
 */
int io_numfmt_kind(const char *code)
{
	bool date = false, time = false;
	for (const char *s = code; *s; s++) {
		switch (*s) {
		case '"':
			s = strchr(s + 1, '"');
			if (!s)
				return date ? FMT_DATE : time ? FMT_TIME : FMT_NONE;
			break;
		case '\\':
		case '_':
		case '*':
			if (s[1])
				s++;
			break;
		case '[': {
			const char *e = strchr(s, ']');
			if (!e)
				return date ? FMT_DATE : time ? FMT_TIME : FMT_NONE;
			char c = (char)tolower((unsigned char)s[1]);
			if (c == 'h' || c == 'm' || c == 's') {
				bool all = true;
				for (const char *t = s + 1; t < e; t++)
					all = all && tolower((unsigned char)*t) == c;
				time = time || all;
			}
			s = e;
			break;
		}
		default: {
			char c = (char)tolower((unsigned char)*s);
			if (c == 'd' || c == 'y')
				date = true;
			else if (c == 'h' || c == 's')
				time = true;
			else if (c == 'm') /* month or minute: a date unless next to h or s */
				time = true, date = date || !strpbrk(code, "hHsS");
		}
		}
	}
	return date ? FMT_DATE : time ? FMT_TIME : FMT_NONE;
}

bool io_numfmt_is_date(const char *code)
{
	return io_numfmt_kind(code) != FMT_NONE;
}

bool io_numfmt_builtin_date(int id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
	       (id >= 50 && id <= 58);
}

/* Built-in ids that show only a time of day. */
static bool builtin_time(int id)
{
	return (id >= 18 && id <= 21) || (id >= 32 && id <= 35) || (id >= 45 && id <= 47);
}

static void XMLCALL styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	io_reader *r = ud;
	io_xlsx *x = r->xlsx;
	const char *l = local(name);
	if (!strcmp(l, "numFmt")) {
		const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
		if (!id || !code || x->st.nfmts >= MAX_STYLES)
			return;
		x->st.fmts =
		        io_xrealloc(x->st.fmts, (size_t)(x->st.nfmts + 1) * sizeof(*x->st.fmts));
		x->st.fmts[x->st.nfmts++] = (numfmt){atoi(id), (unsigned char)io_numfmt_kind(code)};
	} else if (!strcmp(l, "cellXfs")) {
		x->st.in_xfs = true;
	} else if (!strcmp(l, "xf") && x->st.in_xfs) {
		if (x->nxf >= MAX_STYLES) {
			x->xml_error = "too many styles";
			stop(r);
			return;
		}
		const char *id = attr(atts, "numFmtId");
		int fid = id ? atoi(id) : 0;
		unsigned char kind = FMT_NONE;
		bool custom = false;
		for (int i = 0; i < x->st.nfmts; i++)
			if (x->st.fmts[i].id == fid) {
				kind = x->st.fmts[i].kind;
				custom = true;
			}
		if (!custom && io_numfmt_builtin_date(fid))
			kind = builtin_time(fid) ? FMT_TIME : FMT_DATE;
		x->xf_kind = io_xrealloc(x->xf_kind, (size_t)(x->nxf + 1));
		x->xf_kind[x->nxf++] = kind;
	}
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
	io_xlsx *x = ((io_reader *)ud)->xlsx;
	if (!strcmp(local(name), "cellXfs"))
		x->st.in_xfs = false;
}

/* ---- strings: _xHHHH_ escapes ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * OOXML writes characters XML cannot hold (and a literal "_x" sequence) as
 * _xHHHH_ (ECMA-376 22.9.2.19); decode them in b from offset off. A NUL or a
 * lone surrogate is dropped rather than decoded.
 */
static void unescape_x(buf *b, size_t off)
{
	if (!b->data) /* nothing was added yet */
		return;
	char *s = b->data + off, *end = b->data + b->len, *out = s;
	while (s < end) {
		if (s + 7 <= end && s[0] == '_' && s[1] == 'x' && s[6] == '_') {
			int h[4] = {hexval(s[2]), hexval(s[3]), hexval(s[4]), hexval(s[5])};
			if (h[0] >= 0 && h[1] >= 0 && h[2] >= 0 && h[3] >= 0) {
				int cp = h[0] << 12 | h[1] << 8 | h[2] << 4 | h[3];
				if (cp && (cp < 0xD800 || cp > 0xDFFF)) {
					char enc[4];
					int n = 0;
					if (cp < 0x80)
						enc[n++] = (char)cp;
					else if (cp < 0x800) {
						enc[n++] = (char)(0xC0 | cp >> 6);
						enc[n++] = (char)(0x80 | (cp & 0x3F));
					} else {
						enc[n++] = (char)(0xE0 | cp >> 12);
						enc[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
						enc[n++] = (char)(0x80 | (cp & 0x3F));
					}
					memcpy(out, enc, (size_t)n);
					out += n;
				}
				s += 7;
				continue;
			}
		}
		*out++ = *s++;
	}
	b->len = (size_t)(out - b->data);
	b->data[b->len] = '\0';
}

/* ---- sharedStrings.xml ---- */

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	(void)atts;
	io_reader *r = ud;
	io_xlsx *x = r->xlsx;
	const char *l = local(name);
	if (!strcmp(l, "si")) {
		x->ss.in_si = true;
		x->ss.start = x->sst.len;
	} else if (!strcmp(l, "rPh")) {
		x->ss.in_rph = true; /* phonetic guide (furigana/pinyin): not part of the text */
	} else if (!strcmp(l, "t") && x->ss.in_si && !x->ss.in_rph) {
		x->ss.in_t = true;
	}
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	io_reader *r = ud;
	io_xlsx *x = r->xlsx;
	const char *l = local(name);
	if (!strcmp(l, "t")) {
		x->ss.in_t = false;
	} else if (!strcmp(l, "rPh")) {
		x->ss.in_rph = false;
	} else if (!strcmp(l, "si") && x->ss.in_si) {
		x->ss.in_si = false;
		unescape_x(&x->sst, x->ss.start);
		if (x->nsst == x->sst_cap) {
			x->sst_cap = x->sst_cap ? x->sst_cap * 2 : 1024;
			x->sst_off = io_xrealloc(x->sst_off, (size_t)x->sst_cap * sizeof(size_t));
		}
		x->sst_off[x->nsst++] = x->ss.start;
		if (buf_addc(&x->sst, '\0') < 0 ||
		    (size_t)x->nsst * sizeof(size_t) + x->sst.len > r->opt.max_strings_bytes) {
			err_set(r->e, KH_ETOOBIG,
			        N_("The workbook's shared strings take more than %zu bytes"),
			        r->opt.max_strings_bytes);
			stop(r);
		}
	}
}

static void XMLCALL sst_text(void *ud, const XML_Char *s, int len)
{
	io_reader *r = ud;
	io_xlsx *x = r->xlsx;
	if (!x->ss.in_t || r->e->code)
		return;
	if (buf_add(&r->xlsx->sst, s, (size_t)len) < 0) {
		err_set(r->e, KH_ETOOBIG,
		        N_("The workbook's shared strings take more than %zu bytes"),
		        r->opt.max_strings_bytes);
		stop(r);
	}
}

/* ---- dates ---- */

bool io_serial_to_iso(double serial, bool date1904, bool time_only, char *out)
{
	if (!(serial >= 0) || serial >= 2958466.0)
		return false;
	double whole = floor(serial);
	long days = (long)whole;
	long secs = lround((serial - whole) * 86400.0);
	if (secs >= 86400) {
		days++;
		secs -= 86400;
	}
	if (!date1904 && days == 0)
		time_only = true; /* Excel shows day 0 as the non-day 1900-01-00 */
	if (time_only && days == 0) {
		snprintf(out, 32, "%02d:%02d:%02d", (int)(secs / 3600), (int)(secs / 60 % 60),
		         (int)(secs % 60));
		return true;
	}
	int64_t base;
	if (date1904)
		base = date_to_days(1904, 1, 1);
	else if (days == 60)
		return false; /* 1900-02-29, which Lotus 1-2-3 believed in and Excel keeps */
	else
		base = date_to_days(1899, 12, days < 60 ? 31 : 30);
	int y, m, d;
	date_from_days(base + days, &y, &m, &d);
	if (y > 9999)
		return false;
	int hh = (int)(secs / 3600), mi = (int)(secs / 60 % 60), ss = (int)(secs % 60);
	if (secs)
		snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d", y % 10000, m % 100, d % 100, hh,
		         mi, ss);
	else
		snprintf(out, 32, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	return true;
}

/* ---- the sheet ---- */

/* "C7" → column 2 (0-based), or -1. */
static int ref_column(const char *ref)
{
	long col = 0;
	int n = 0;
	for (; isalpha((unsigned char)*ref); ref++, n++) {
		col = col * 26 + (toupper((unsigned char)*ref) - 'A' + 1);
		if (n >= 4)
			return -1;
	}
	return n ? (int)(col - 1) : -1;
}

static void sheet_fail(io_reader *r)
{
	if (!r->e->code)
		r->xlsx->xml_error = "invalid cell";
	stop(r);
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	io_reader *r = ud;
	io_xlsx *x = r->xlsx;
	const char *l = local(name);
	if (!x->in_data) {
		x->in_data = IS(l, "sheetData");
		return;
	}
	if (IS(l, "row")) {
		if (x->in_row || x->in_cell) { /* well-formed XML, but no worksheet */
			x->xml_error = "row inside a row";
			stop(r);
			return;
		}
		const char *rn = attr(atts, "r");
		long n = rn ? strtol(rn, NULL, 10) : x->row_number + 1;
		if (n <= 0 || n > MAX_ROW_NUMBER) {
			x->xml_error = "row number";
			stop(r);
			return;
		}
		x->row_number = n;
		r->cur_row = n;
		x->in_row = true;
		x->next_col = 0;
	} else if (IS(l, "c") && x->in_row) {
		if (x->in_cell) {
			x->xml_error = "cell inside a cell";
			stop(r);
			return;
		}
		const char *ref = NULL, *t = NULL, *s = NULL;
		for (int i = 0; atts[i]; i += 2) { /* r, t and s in one pass */
			const char *an = atts[i];
			if (an[0] && !an[1]) {
				if (an[0] == 'r')
					ref = atts[i + 1];
				else if (an[0] == 't')
					t = atts[i + 1];
				else if (an[0] == 's')
					s = atts[i + 1];
			}
		}
		int col = ref ? ref_column(ref) : x->next_col;
		if (col < 0 || col < x->next_col) {
			x->xml_error = "cell reference out of order";
			stop(r);
			return;
		}
		if (col >= r->opt.max_columns) {
			err_set(r->e, KH_ETOOBIG, N_("Row %ld has more than %d columns"),
			        x->row_number, r->opt.max_columns);
			stop(r);
			return;
		}
		x->col = col;
		x->ct = !t                   ? CT_N
		        : IS(t, "s")         ? CT_S
		        : IS(t, "inlineStr") ? CT_INLINE
		        : IS(t, "str")       ? CT_STR
		        : IS(t, "b")         ? CT_B
		        : IS(t, "e")         ? CT_E
		        : IS(t, "d")         ? CT_D
		                             : CT_N;
		x->style = s && *s ? atoi(s) : 0;
		x->in_cell = true;
		buf_clear(&x->v);
		buf_clear(&x->is);
	} else if (x->in_cell) {
		if (IS(l, "v"))
			x->in_v = true;
		else if (IS(l, "is"))
			x->in_is = true;
		else if (IS(l, "rPh"))
			x->in_rph = true;
		else if (IS(l, "t") && x->in_is && !x->in_rph)
			x->in_t = true;
	}
}

static void XMLCALL sheet_text(void *ud, const XML_Char *s, int len)
{
	io_reader *r = ud;
	io_xlsx *x = r->xlsx;
	buf *b = x->in_v ? &x->v : x->in_t ? &x->is : NULL;
	if (!b || x->over)
		return;
	if (io_row_bytes(r) + b->len + (size_t)len > r->opt.max_row_bytes) {
		x->over = true;
		err_set(r->e, KH_ETOOBIG, N_("Row %ld is longer than %zu bytes"), x->row_number,
		        r->opt.max_row_bytes);
		stop(r);
		return;
	}
	if (buf_add(b, s, (size_t)len) < 0)
		abort();
}

/* Keep what Excel shows: 15 significant digits (it writes 0.1+0.2 as 0.30000000000000004). */
static int add_number(io_reader *r, const char *v, size_t len, bool *ok)
{
	int digits = 0;
	bool plain = true;
	for (size_t i = 0; i < len; i++) {
		char c = v[i];
		if (c >= '0' && c <= '9')
			digits += digits || c != '0';
		else if (c != '-' && c != '.')
			plain = false;
	}
	char *end;
	double d = strtod(v, &end);
	if (end == v || *end || !isfinite(d)) {
		*ok = false;
		return 0;
	}
	*ok = true;
	if (plain && digits <= 15 && v[0] != '.' && v[len - 1] != '.')
		return io_cell_add(r, IO_CELL_NUMBER, v, len);
	char out[40];
	int n = snprintf(out, sizeof(out), "%.15g", d == 0 ? 0.0 : d);
	return io_cell_add(r, IO_CELL_NUMBER, out, (size_t)n);
}

/* An ISO value of a t="d" cell: without fractions of seconds and zone; a date
 * alone when the time is midnight. */
static int add_iso(io_reader *r, const char *v)
{
	char out[32];
	size_t n = strcspn(v, ".Z+");
	if (n >= sizeof(out))
		n = sizeof(out) - 1;
	memcpy(out, v, n);
	out[n] = '\0';
	if (n == 19 && !strcmp(out + 10, "T00:00:00"))
		out[10] = '\0';
	return io_cell_add(r, IO_CELL_DATE, out, strlen(out));
}

static int cell_end(io_reader *r)
{
	io_xlsx *x = r->xlsx;
	while (io_row_cells(r) < x->col)
		if (io_cell_add(r, IO_CELL_EMPTY, "", 0) < 0)
			return -1;
	x->next_col = x->col + 1;
	const char *v = buf_str(&x->v);
	switch (x->ct) {
	case CT_S: {
		if (!x->v.len)
			return io_cell_add(r, IO_CELL_EMPTY, "", 0);
		char *end;
		long i = strtol(v, &end, 10);
		if (*end || i < 0 || i >= x->nsst) {
			x->xml_error = "shared string index";
			return -1;
		}
		/* strings lie one after the other, each with its NUL */
		size_t next = i + 1 < x->nsst ? x->sst_off[i + 1] : x->sst.len;
		return io_cell_add(r, IO_CELL_TEXT, x->sst.data + x->sst_off[i],
		                   next - x->sst_off[i] - 1);
	}
	case CT_INLINE: {
		buf *b = x->is.len ? &x->is : &x->v;
		unescape_x(b, 0);
		return io_cell_add(r, IO_CELL_TEXT, buf_str(b), b->len);
	}
	case CT_STR:
		unescape_x(&x->v, 0);
		return io_cell_add(r, IO_CELL_TEXT, v, x->v.len);
	case CT_B:
		if (!x->v.len)
			return io_cell_add(r, IO_CELL_EMPTY, "", 0);
		return io_cell_add(r, IO_CELL_BOOL, strcmp(v, "0") ? "TRUE" : "FALSE",
		                   strcmp(v, "0") ? 4 : 5);
	case CT_E:
		return io_cell_add(r, IO_CELL_ERROR, v, x->v.len);
	case CT_D:
		return x->v.len ? add_iso(r, v) : io_cell_add(r, IO_CELL_EMPTY, "", 0);
	case CT_N:
		break;
	}
	if (!x->v.len)
		return io_cell_add(r, IO_CELL_EMPTY, "", 0);
	unsigned char kind = x->style >= 0 && x->style < x->nxf ? x->xf_kind[x->style] : FMT_NONE;
	if (kind != FMT_NONE) {
		char *end;
		double d = strtod(v, &end);
		char iso[32];
		/* a time format over a whole day is a duration ([h]:mm): kept a number */
		if (!*end && (kind == FMT_DATE || d < 1) &&
		    io_serial_to_iso(d, x->date1904, kind == FMT_TIME, iso))
			return io_cell_add(r, IO_CELL_DATE, iso, strlen(iso));
	}
	bool ok;
	int rc = add_number(r, v, x->v.len, &ok);
	if (!ok) /* not a number after all: keep the text rather than lose it */
		return io_cell_add(r, IO_CELL_TEXT, v, x->v.len);
	return rc;
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
	io_reader *r = ud;
	io_xlsx *x = r->xlsx;
	if (!x->in_data)
		return;
	const char *l = local(name);
	if (IS(l, "v")) {
		x->in_v = false;
	} else if (IS(l, "t")) {
		x->in_t = false;
	} else if (IS(l, "rPh")) {
		x->in_rph = false;
	} else if (IS(l, "is")) {
		x->in_is = false;
	} else if (IS(l, "c") && x->in_cell) {
		x->in_cell = x->in_v = x->in_is = x->in_t = x->in_rph = false;
		if (cell_end(r) < 0)
			sheet_fail(r);
	} else if (IS(l, "row") && x->in_row) {
		x->in_row = false;
		io_row_end(r, x->row_number);
		/* enough waiting: hand them out before reading on (flat memory) */
		if (r->ncells >= PENDING_CELLS)
			XML_StopParser(x->xp, XML_TRUE);
	} else if (IS(l, "sheetData")) {
		x->sheet_done = true;
		x->in_data = false;
		XML_StopParser(x->xp, XML_FALSE);
	}
}

/* ---- opening ---- */

static int pick_sheet(io_reader *r)
{
	io_xlsx *x = r->xlsx;
	const char *want = r->opt.sheet;
	if (x->nsheets == 0)
		return err_set(r->e, KH_EINVAL, N_("The workbook has no sheets"));
	x->current = 0;
	if (!want || !*want)
		return 0;
	for (int i = 0; i < x->nsheets; i++)
		if (!strcmp(x->sheets[i].name, want)) {
			x->current = i;
			return 0;
		}
	char *end;
	long n = strtol(want, &end, 10);
	if (!*end && n >= 1 && n <= x->nsheets) {
		x->current = (int)n - 1;
		return 0;
	}
	return err_set(r->e, KH_ENOTFOUND, N_("The workbook has no sheet \"%s\" (it has %d)"), want,
	               x->nsheets);
}

static int start_sheet(io_reader *r)
{
	io_xlsx *x = r->xlsx;
	sheet *sh = &x->sheets[x->current];
	const zentry *z = sh->path ? zfind(x, sh->path) : NULL;
	if (!z)
		return err_set(r->e, KH_EINVAL,
		               N_("The workbook is damaged: the sheet \"%s\" is missing"),
		               sh->name);
	if (zopen_entry(r, z) < 0)
		return -1;
	unz_file_info64 fi;
	if (unzGetCurrentFileInfo64(x->zf, &fi, NULL, 0, NULL, 0, NULL, 0) == UNZ_OK)
		x->sheet_size = fi.uncompressed_size;
	new_parser(r, sheet_start, sheet_end, sheet_text);
	return 0;
}

int io_xlsx_open(io_reader *r)
{
	io_xlsx *x = io_xcalloc(1, sizeof(*x));
	r->xlsx = x;
	buf_init(&x->sst, 0);
	buf_init(&x->v, 0);
	buf_init(&x->is, 0);
	x->chunk = io_xcalloc(1, IO_CHUNK);
	if (zip_open(r) < 0)
		return -1;

	/* the package's relationships name the workbook part */
	rels pkg = {0};
	int rc = read_rels(r, "", &pkg);
	char *wb = NULL;
	for (int i = 0; rc >= 0 && i < pkg.n; i++)
		if (!wb && type_is(pkg.items[i].type, "officeDocument"))
			wb = resolve("", pkg.items[i].target);
	rels_release(&pkg);
	if (rc < 0) {
		free(wb);
		return -1;
	}
	if (!wb)
		wb = xstrdup("xl/workbook.xml");
	rc = parse_part(r, wb, true, PART_MAX, wb_start, ignore_end, ignore_text);
	rels wr = {0};
	if (rc >= 0)
		rc = read_rels(r, wb, &wr);
	char *dir = dir_of(wb);
	char *sst = NULL, *styles = NULL;
	for (int i = 0; rc >= 0 && i < wr.n; i++) {
		rel *e = &wr.items[i];
		if (type_is(e->type, "sharedStrings") && !sst)
			sst = resolve(dir, e->target);
		else if (type_is(e->type, "styles") && !styles)
			styles = resolve(dir, e->target);
		for (int k = 0; k < x->nsheets; k++)
			if (!x->sheets[k].path && !strcmp(x->sheets[k].rid, e->id))
				x->sheets[k].path = resolve(dir, e->target);
	}
	rels_release(&wr);
	free(dir);
	free(wb);
	if (rc >= 0 && styles) {
		memset(&x->st, 0, sizeof(x->st));
		rc = parse_part(r, styles, false, PART_MAX, styles_start, styles_end, ignore_text);
		free(x->st.fmts);
		memset(&x->st, 0, sizeof(x->st));
	}
	if (rc >= 0 && sst) {
		memset(&x->ss, 0, sizeof(x->ss));
		rc = parse_part(r, sst, false, SIZE_MAX, sst_start, sst_end, sst_text);
	}
	free(styles);
	free(sst);
	if (rc < 0)
		return -1;
	if (pick_sheet(r) < 0 || start_sheet(r) < 0)
		return -1;
	return 0;
}

int io_xlsx_fill(io_reader *r)
{
	io_xlsx *x = r->xlsx;
	const char *path = x->sheets[x->current].path;
	while (r->nrows == r->rows_next && !x->sheet_done) {
		enum XML_Status s;
		if (x->suspended) {
			s = XML_ResumeParser(x->xp);
		} else {
			/* inflate straight into expat's buffer: no copy */
			void *into = XML_GetBuffer(x->xp, IO_CHUNK);
			if (!into)
				return xml_failed(r, path);
			int n = unzReadCurrentFile(x->zf, into, IO_CHUNK);
			if (n < 0)
				return damaged(r, path, "zip data");
			s = XML_ParseBuffer(x->xp, n, n == 0);
			if (n == 0 && s == XML_STATUS_OK)
				x->sheet_done = true;
		}
		x->suspended = s == XML_STATUS_SUSPENDED;
		if (r->e->code)
			return -1;
		if (s == XML_STATUS_ERROR &&
		    !(x->sheet_done && XML_GetErrorCode(x->xp) == XML_ERROR_ABORTED))
			return xml_failed(r, path);
		/* a CRC error shows once the sheet was read to its end */
		if (x->sheet_done && zclose_entry(r, path) < 0)
			return -1;
	}
	return r->nrows > r->rows_next;
}

void io_xlsx_free(io_reader *r)
{
	io_xlsx *x = r->xlsx;
	if (!x)
		return;
	if (x->xp)
		XML_ParserFree(x->xp);
	if (x->zf) {
		if (x->zopen)
			unzCloseCurrentFile(x->zf);
		unzClose(x->zf);
	}
	for (int i = 0; i < x->nentries; i++)
		free(x->entries[i].name);
	free(x->entries);
	for (int i = 0; i < x->nsheets; i++) {
		free(x->sheets[i].name);
		free(x->sheets[i].rid);
		free(x->sheets[i].path);
	}
	free(x->sheets);
	free(x->xf_kind);
	buf_release(&x->sst);
	free(x->sst_off);
	buf_release(&x->v);
	buf_release(&x->is);
	free(x->chunk);
	free(x);
	r->xlsx = NULL;
}

int io_xlsx_sheet_count(const io_reader *r)
{
	return r->xlsx ? r->xlsx->nsheets : 0;
}

const char *io_xlsx_sheet_name(const io_reader *r, int i)
{
	if (!r->xlsx || i < 0 || i >= r->xlsx->nsheets)
		return NULL;
	return r->xlsx->sheets[i].name;
}

int io_xlsx_sheet_current(const io_reader *r)
{
	return r->xlsx ? r->xlsx->current : 0;
}

void io_xlsx_progress(const io_reader *r, unsigned long long *done, unsigned long long *total)
{
	io_xlsx *x = r->xlsx;
	*done = *total = 0;
	if (!x || !x->zf)
		return;
	*total = x->sheet_size;
	if (x->sheet_done)
		*done = *total;
	else if (x->zopen) {
		ZPOS64_T at = unztell64(x->zf); /* uncompressed bytes read of the entry */
		*done = at < *total ? at : *total;
	}
}
