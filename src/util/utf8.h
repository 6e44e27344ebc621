/*
 * utf8 — UTF-8 validation, decoding, display width and the small text
 * normalisations kehu needs (trimming, full-width folding).
 *
 * All kehu text is UTF-8; input is validated where it enters (HTTP, CLI,
 * files) with utf8_valid, so the rest of the code may assume valid UTF-8.
 * Display width comes from the C library's wcwidth under the built-in
 * C.UTF-8 locale (CJK = 2 columns, combining marks = 0).
 */
#ifndef KEHU_UTIL_UTF8_H
#define KEHU_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t n);

/*
 * Decode one code point at *p (not past end) and advance *p. Returns the
 * code point, or -1 on malformed input (then *p advances by one byte).
 */
int32_t utf8_decode(const char **p, const char *end);

/* Encode cp into out (4 bytes room); returns the byte count. */
int utf8_encode(int32_t cp, char *out);

/* Number of code points. */
size_t utf8_chars(const char *s);

/* Terminal columns of s (CJK 2, combining 0, controls 0). */
int utf8_width(const char *s);
int utf8_cp_width(int32_t cp);

/* True for Han ideographs, kana, hangul and CJK symbols (search unigrams). */
bool utf8_is_cjk(int32_t cp);

/* True for white space including U+3000 ideographic space and NBSP. */
bool utf8_is_space(int32_t cp);

/* Copy of s without leading and trailing white space (any script). */
char *utf8_trim(arena *a, const char *s);

/*
 * Copy of s with full-width ASCII forms (U+FF01..U+FF5E) and the
 * ideographic space folded to their half-width counterparts, runs of white
 * space collapsed to one ASCII space and ASCII lowered when lower is set.
 * Used for matching names and headers typed on Chinese keyboards.
 */
char *utf8_fold(arena *a, const char *s, bool lower);

/*
 * Split "a, b，c" (ASCII or full-width commas) into trimmed non-empty items, at
 * most max of them (copies in a). Returns the count, -1 when there are more.
 */
int utf8_split_list(arena *a, const char *text, const char **out, int max);

/* Longest prefix of s that fits in width columns, copied. */
char *utf8_prefix_width(arena *a, const char *s, int width);

#endif
