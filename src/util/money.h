/*
 * money — amounts are integer fen (1/100 yuan) everywhere; these convert
 * to and from the yuan text people type and read. No floating point.
 */
#ifndef KEHU_UTIL_MONEY_H
#define KEHU_UTIL_MONEY_H

#include <stdbool.h>
#include <stdint.h>

#define MONEY_LEN 32
/* Largest amount kehu accepts: 10^15 fen = 10 trillion yuan; sums stay far from overflow. */
#define MONEY_MAX_FEN 1000000000000000LL

/*
 * Parse yuan text: optional sign, optional ¥/￥ in front or 元 behind,
 * thousands separators (",", "，"), at most two decimals. Returns false for
 * anything else, or beyond ±MONEY_MAX_FEN.
 */
bool money_parse_yuan(const char *s, int64_t *fen);

/* Format fen as yuan, "12,345.60" (grouping) or "12345.60" (plain). */
void money_format(char out[MONEY_LEN], int64_t fen, bool grouping);

#endif
