/*
 * dict — dictionaries (字典): the admin-maintained options of drop-down
 * fields. Each option has a stable code (stored on records) and labels in
 * zh-CN and en; retired options stay valid on old records but are not
 * offered or accepted for new values.
 *
 * The kinds are fixed here; their options are data (seeded from
 * dict_defaults, then edited by admins). Custom fields of dictionary type
 * get a kind of their own, "cf.<key>".
 */
#ifndef KEHU_CORE_DICT_H
#define KEHU_CORE_DICT_H

#include <stdbool.h>
#include <stdint.h>

#include "util/arena.h"

typedef struct dict_kind {
	const char *code;
	const char *label; /* msgid */
} dict_kind;

extern const dict_kind dict_kinds[];
extern const int dict_kind_count;
/* The built-in kind, or NULL. Custom kinds ("cf.<key>") are not in this table. */
const dict_kind *dict_kind_find(const char *code);
/* True for a built-in kind or a well-formed custom-field kind. */
bool dict_kind_valid(const char *code);

typedef struct dict_default {
	const char *kind, *code, *zh, *en;
} dict_default;
extern const dict_default dict_defaults[];
extern const int dict_default_count;

typedef struct dict_option {
	int64_t id;
	int64_t version;
	const char *kind;
	const char *code;
	const char *label_zh;
	const char *label_en;
	int sort_order;
	bool retired;
} dict_option;

/* True for an option code: 1-40 of a-z 0-9 _ - . (stable, ASCII). */
bool dict_code_valid(const char *code);

/* An immutable lookup set over a list of options. */
typedef struct dict_set dict_set;

/* Build a set from n options (copied into a); the set lives in a. */
dict_set *dict_set_build(arena *a, const dict_option *opts, int n);
/* Option by kind and code, or NULL. */
const dict_option *dict_find(const dict_set *d, const char *kind, const char *code);
/*
 * Option by what a person typed: its code, its zh-CN label or its en label
 * (case- and width-insensitive). NULL when none matches.
 */
const dict_option *dict_match(const dict_set *d, arena *a, const char *kind, const char *text);
/* All options of a kind in display order (retired included); returns count. */
int dict_list(const dict_set *d, const char *kind, const dict_option **out, int max);

#endif
