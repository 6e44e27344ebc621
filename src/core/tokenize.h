/*
 * tokenize — the search tokenizer both database engines index with.
 *
 * Chinese has no spaces and most search words are two characters (科技,
 * 北京, 王芳), which trigram indexes cannot find. So a run of CJK
 * characters is indexed as unigrams, each with the bigram starting at it
 * at the same position ("colocated"); a query of two or more CJK
 * characters is the phrase of its bigrams, of one character its unigram.
 * That makes a phrase query an exact substring match. Other text is split
 * into words of letters and digits, ASCII lowered and full-width folded.
 */
#ifndef KEHU_CORE_TOKENIZE_H
#define KEHU_CORE_TOKENIZE_H

#include <stdbool.h>

#include "util/arena.h"

#define TOKEN_COLOCATED 1 /* same position as the previous token */
#define TOKEN_MAX_BYTES 64

/*
 * Called for each token: the token text (not NUL-terminated) and its byte
 * range in the input. Return non-zero to stop.
 */
typedef int (*token_fn)(void *ud, int flags, const char *tok, int len, int start, int end);

/* Tokenize text[0..len) for indexing (query = false) or for a query phrase. */
int tokenize(const char *text, int len, bool query, token_fn fn, void *ud);

/* A query split into phrases at script changes: CJK runs and words. */
typedef struct search_term {
	const char *text; /* the phrase, folded, NUL-terminated */
	bool cjk;         /* a CJK run (matched as substring) or a word (matched as prefix) */
} search_term;

/*
 * Split a user's search text into terms (at most max). Returns the count;
 * 0 when the text holds nothing searchable.
 */
int search_terms(arena *a, const char *text, search_term *out, int max);

#endif
