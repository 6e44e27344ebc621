/*
 * name_key — see name_key.h. Two passes: fold the text into words (a word
 * ends at a space or a punctuation mark), drop legal-form words at the end of
 * a Latin name ("co", "ltd", "inc" ...), join the words and drop one Chinese
 * legal-form suffix. Latin suffixes go by whole words only, so "Costco" keeps
 * its "co"; the Chinese ones go by text, since Chinese has no spaces.
 */
#include "core/name_key.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util/utf8.h"

#define MAX_WORDS 64

/* Full-width ASCII forms and the ideographic space as their ASCII selves. */
static int32_t fold_width(int32_t cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		return cp - 0xFEE0;
	if (cp == 0x3000)
		return ' ';
	return cp;
}

/* Characters that separate words and are dropped from the key. */
static bool is_separator(int32_t cp)
{
	if (cp < 0x80)
		return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		         (cp >= 'A' && cp <= 'Z'));
	if (utf8_is_space(cp))
		return true;
	if (cp == 0x00B7 || cp == 0x00A0)
		return true; /* middle dot (外国人名 · ), no-break space */
	if (cp >= 0x2010 && cp <= 0x205E)
		return true; /* dashes, quotes, bullets, ellipsis */
	/* CJK punctuation: 、。〃 《》「」『』【】〔〕〖〗〘〙〚〛〜〝〞〟 (not 々〆〇) */
	if ((cp >= 0x3001 && cp <= 0x3003) || (cp >= 0x3008 && cp <= 0x301F))
		return true;
	if (cp >= 0xFF61 && cp <= 0xFF65)
		return true; /* half-width CJK punctuation */
	if (cp >= 0xFE10 && cp <= 0xFE6F)
		return true; /* vertical and small forms */
	return false;
}

/* Words that only say a Latin name is a company, dropped from its end. */
static const char *const latin_forms[] = {
        "co",      "company", "corp", "corporation", "inc",   "incorporated", "ltd",
        "limited", "llc",     "plc",  "gmbh",        "ag",    "sa",           "bv",
        "pte",     "pty",     "lp",   "llp",         "group",
};

/* Chinese legal-form suffixes, longest first: one of them is dropped. */
static const char *const cjk_forms[] = {
        "集团股份有限公司", "集团有限责任公司", "股份有限公司", "集团有限公司",
        "有限责任公司",     "集团公司",         "有限公司",     "公司",
};

static bool is_latin_form(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof(latin_forms) / sizeof(latin_forms[0]); i++)
		if (strlen(latin_forms[i]) == n && !memcmp(latin_forms[i], w, n))
			return true;
	return false;
}

size_t name_key(const char *name, char *out, size_t cap)
{
	if (!cap)
		return 0;
	out[0] = '\0';
	if (!name)
		return 0;
	/* pass 1: the folded words, written one after another; starts[] marks each */
	size_t len = 0, starts[MAX_WORDS + 1], nwords = 0;
	bool in_word = false;
	const char *p = name, *end = name + strlen(name);
	while (p < end) {
		int32_t cp = utf8_decode(&p, end);
		if (cp < 0)
			continue;
		cp = fold_width(cp);
		if (is_separator(cp)) {
			in_word = false;
			continue;
		}
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		char enc[4];
		int n = utf8_encode(cp, enc);
		if (len + (size_t)n + 1 > cap)
			break;
		if (!in_word) {
			if (nwords == MAX_WORDS) /* later words join the last one */
				nwords--;
			starts[nwords++] = len;
			in_word = true;
		}
		memcpy(out + len, enc, (size_t)n);
		len += (size_t)n;
	}
	out[len] = '\0';
	/* pass 2: Latin legal-form words at the end, while a word of the name stays */
	while (nwords > 1 && is_latin_form(out + starts[nwords - 1], len - starts[nwords - 1])) {
		len = starts[--nwords];
		out[len] = '\0';
	}
	/* pass 3: one Chinese legal-form suffix, when something is left before it */
	for (size_t i = 0; i < sizeof(cjk_forms) / sizeof(cjk_forms[0]); i++) {
		size_t n = strlen(cjk_forms[i]);
		if (len < n || memcmp(out + len - n, cjk_forms[i], n) != 0)
			continue;
		if (len > n) {
			len -= n;
			out[len] = '\0';
		}
		break;
	}
	return len;
}
