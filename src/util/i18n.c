/*
 * i18n — lookup in the embedded zh_CN .mo catalogue (GNU gettext binary
 * format: a header, then two tables of (length, offset) pairs, originals
 * sorted by msgid, which allows a binary search).
 */
#include "util/i18n.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* generated at build time from po/zh_CN.po (see CMakeLists.txt) */
extern const unsigned char kh_catalog_zh_CN[];
extern const unsigned long kh_catalog_zh_CN_len;

static struct {
	uint32_t n;
	const unsigned char *orig;  /* table of originals */
	const unsigned char *trans; /* table of translations */
	bool swapped;
	bool ok;
} cat;
static pthread_once_t cat_once = PTHREAD_ONCE_INIT;

static uint32_t rd32(const unsigned char *p, bool swapped)
{
	uint32_t v;
	memcpy(&v, p, 4);
	if (swapped)
		v = __builtin_bswap32(v);
	return v;
}

static void cat_load(void)
{
	const unsigned char *mo = kh_catalog_zh_CN;
	unsigned long len = kh_catalog_zh_CN_len;
	if (len < 28)
		return;
	uint32_t magic;
	memcpy(&magic, mo, 4);
	if (magic == 0x950412deu)
		cat.swapped = false;
	else if (magic == 0xde120495u)
		cat.swapped = true;
	else
		return;
	uint32_t n = rd32(mo + 8, cat.swapped);
	uint32_t o = rd32(mo + 12, cat.swapped);
	uint32_t t = rd32(mo + 16, cat.swapped);
	if ((uint64_t)o + (uint64_t)n * 8 > len || (uint64_t)t + (uint64_t)n * 8 > len)
		return;
	cat.n = n;
	cat.orig = mo + o;
	cat.trans = mo + t;
	cat.ok = true;
}

static const char *cat_string(const unsigned char *table, uint32_t i)
{
	uint32_t off = rd32(table + (size_t)i * 8 + 4, cat.swapped);
	return (const char *)kh_catalog_zh_CN + off;
}

const char *tr(kh_lang lang, const char *msgid)
{
	if (!msgid || lang != KH_LANG_ZH || !*msgid)
		return msgid;
	pthread_once(&cat_once, cat_load);
	if (!cat.ok)
		return msgid;
	uint32_t lo = 0, hi = cat.n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(msgid, cat_string(cat.orig, mid));
		if (c == 0) {
			const char *s = cat_string(cat.trans, mid);
			return *s ? s : msgid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return msgid;
}

bool lang_parse(const char *tag, kh_lang *out)
{
	if (!tag)
		return false;
	while (*tag == ' ')
		tag++;
	if (tolower((unsigned char)tag[0]) == 'z' && tolower((unsigned char)tag[1]) == 'h') {
		*out = KH_LANG_ZH;
		return true;
	}
	if (tolower((unsigned char)tag[0]) == 'e' && tolower((unsigned char)tag[1]) == 'n' &&
	    !isalpha((unsigned char)tag[2])) {
		*out = KH_LANG_EN;
		return true;
	}
	return false;
}

const char *lang_tag(kh_lang lang)
{
	return lang == KH_LANG_EN ? "en" : "zh-CN";
}

kh_lang lang_from_accept(const char *h)
{
	kh_lang best = KH_LANG_ZH;
	double best_q = -1;
	if (!h)
		return KH_LANG_ZH;
	/* "en-US,en;q=0.9,zh-CN;q=0.8": the highest q among zh and en, first on ties */
	const char *p = h;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char item[64];
		size_t n = len < sizeof(item) - 1 ? len : sizeof(item) - 1;
		memcpy(item, p, n);
		item[n] = '\0';
		double q = 1.0;
		char *semi = strchr(item, ';');
		if (semi) {
			*semi = '\0';
			char *qs = strstr(semi + 1, "q=");
			if (qs)
				q = strtod(qs + 2, NULL);
		}
		kh_lang l;
		if (lang_parse(item, &l) && q > best_q) {
			best = l;
			best_q = q;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return best;
}

kh_lang lang_from_env(void)
{
	static const char *vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		kh_lang l;
		if (v && *v && lang_parse(v, &l))
			return l;
	}
	return KH_LANG_ZH;
}
