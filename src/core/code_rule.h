/*
 * code_rule — customer codes: <department prefix><year><sequence>, e.g.
 * XS2024001. The sequence is per prefix and year and is handed out by the
 * store inside the creating transaction, so codes have no gaps.
 */
#ifndef KEHU_CORE_CODE_RULE_H
#define KEHU_CORE_CODE_RULE_H

#include <stdbool.h>
#include <stdint.h>

#include "util/arena.h"

#define CODE_MAX_LEN 32
#define CODE_DEFAULT_PREFIX "KH"
#define CODE_DEFAULT_WIDTH 3

/* The code for prefix, year and sequence number, zero-padded to width digits. */
char *code_format(arena *a, const char *prefix, int year, int64_t seq, int width);

/* True for a usable code given by hand or import: 1-32 of A-Z a-z 0-9 - _ . */
bool code_valid(const char *code);

/* True for a department prefix: 1-8 ASCII letters or digits. */
bool code_prefix_valid(const char *prefix);

#endif
