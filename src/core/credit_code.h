/*
 * credit_code — 统一社会信用代码 (unified social credit code, GB 32100-2015):
 * 18 characters from a 31-symbol alphabet, the last a check character.
 */
#ifndef KEHU_CORE_CREDIT_CODE_H
#define KEHU_CORE_CREDIT_CODE_H

#include <stdbool.h>

#include "util/arena.h"

/* Upper-cased, trimmed copy when s is a valid code (check character right), else NULL. */
char *credit_code_normalize(arena *a, const char *s);

/* The check character for the first 17 characters, or 0 if one is not in the alphabet. */
char credit_code_check_char(const char *first17);

#endif
