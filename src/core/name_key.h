/*
 * name_key — the key under which two spellings of one company's name meet,
 * for finding duplicate customers (DESIGN 3, import modes).
 *
 * The key folds what people vary without meaning another company: full-width
 * and half-width forms, the ideographic space, spaces and punctuation, letter
 * case, and the legal-form suffix (有限责任公司 / 有限公司 / 股份有限公司 /
 * (集团)有限公司 / 公司, "Co., Ltd." / "Co Ltd" / "Inc." ...). It keeps every
 * word that names the business: 北京星河科技有限公司 and 北京星河五金制品有限公司
 * stay apart. Pure: no database, no allocation beyond the caller's buffer.
 */
#ifndef KEHU_CORE_NAME_KEY_H
#define KEHU_CORE_NAME_KEY_H

#include <stddef.h>

/* The key of name written to out (cap bytes; the key is never longer than
 * name, so strlen(name) + 1 always suffices); returns its length. An
 * empty name (or one of punctuation only) has the empty key. */
size_t name_key(const char *name, char *out, size_t cap);

#endif
