/*
 * num — whole numbers from text, strictly: digits with an optional sign,
 * nothing else, and no silent clamping of numbers too large for 64 bits.
 */
#ifndef KEHU_UTIL_NUM_H
#define KEHU_UTIL_NUM_H

#include <stdbool.h>
#include <stdint.h>

/* Parse a decimal integer; false for empty input, stray characters or overflow. */
bool num_parse_int64(const char *s, int64_t *out);

#endif
