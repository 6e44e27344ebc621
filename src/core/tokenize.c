/*
 * tokenize — see tokenize.h.
 */
#include "core/tokenize.h"

#include <string.h>

#include "util/utf8.h"

typedef enum { C_SEP, C_CJK, C_WORD } char_class;

static int32_t fold(int32_t cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E) /* full-width ASCII */
		cp -= 0xFEE0;
	if (cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	return cp;
}

static char_class classify(int32_t cp)
{
	if (cp < 0)
		return C_SEP;
	if (utf8_is_cjk(cp))
		return C_CJK;
	if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || cp == '_')
		return C_WORD;
	/* Latin letters with diacritics, Greek, Cyrillic: part of words */
	if (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7)
		return C_WORD;
	if (cp >= 0x370 && cp <= 0x52F)
		return C_WORD;
	return C_SEP;
}

typedef struct cjk_char {
	int start, end; /* byte range in input */
	char enc[4];
	int n;
} cjk_char;

int tokenize(const char *text, int len, bool query, token_fn fn, void *ud)
{
	const char *p = text, *end = text + len;
	char word[TOKEN_MAX_BYTES];
	while (p < end) {
		const char *q = p;
		int32_t cp = fold(utf8_decode(&q, end));
		char_class c = classify(cp);
		if (c == C_SEP) {
			p = q;
			continue;
		}
		if (c == C_WORD) {
			int wn = 0, start = (int)(p - text);
			while (p < end) {
				const char *r = p;
				int32_t wc = fold(utf8_decode(&r, end));
				if (classify(wc) != C_WORD)
					break;
				char enc[4];
				int n = utf8_encode(wc, enc);
				if (wn + n <= TOKEN_MAX_BYTES) {
					memcpy(word + wn, enc, (size_t)n);
					wn += n;
				}
				p = r;
			}
			int rc = fn(ud, 0, word, wn, start, (int)(p - text));
			if (rc)
				return rc;
			continue;
		}
		/* a CJK run: walk it keeping the previous character */
		cjk_char prev = {0}, cur;
		bool have_prev = false;
		int run = 0;
		while (p < end) {
			const char *r = p;
			int32_t wc = fold(utf8_decode(&r, end));
			if (classify(wc) != C_CJK)
				break;
			cur.start = (int)(p - text);
			cur.end = (int)(r - text);
			cur.n = utf8_encode(wc, cur.enc);
			if (have_prev) {
				char bi[8];
				memcpy(bi, prev.enc, (size_t)prev.n);
				memcpy(bi + prev.n, cur.enc, (size_t)cur.n);
				/* index: bigram colocated with the unigram emitted before;
				 * query: bigrams alone, one position each */
				int rc = fn(ud, query ? 0 : TOKEN_COLOCATED, bi, prev.n + cur.n,
				            prev.start, cur.end);
				if (rc)
					return rc;
			}
			if (!query) {
				int rc = fn(ud, 0, cur.enc, cur.n, cur.start, cur.end);
				if (rc)
					return rc;
			}
			prev = cur;
			have_prev = true;
			run++;
			p = r;
		}
		if (query && run == 1) {
			int rc = fn(ud, 0, prev.enc, prev.n, prev.start, prev.end);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int search_terms(arena *a, const char *text, search_term *out, int max)
{
	int n = 0;
	const char *p = text, *end = text + strlen(text);
	while (p < end && n < max) {
		const char *q = p;
		char_class c = classify(fold(utf8_decode(&q, end)));
		if (c == C_SEP) {
			p = q;
			continue;
		}
		size_t cap = (size_t)(end - p) + 1;
		char *t = arena_alloc(a, cap);
		size_t tn = 0;
		while (p < end) {
			const char *r = p;
			int32_t cp = fold(utf8_decode(&r, end));
			if (classify(cp) != c)
				break;
			tn += (size_t)utf8_encode(cp, t + tn);
			p = r;
		}
		t[tn] = '\0';
		out[n].text = t;
		out[n].cjk = c == C_CJK;
		n++;
	}
	return n;
}
