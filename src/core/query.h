/*
 * query — a list request in domain terms: filters on fields, a search
 * text, one sort key, a keyset cursor and the data scope. The service
 * layer builds it from API parameters or CLI options (checking every name
 * against the entity), the store turns it into SQL with bound values.
 */
#ifndef KEHU_CORE_QUERY_H
#define KEHU_CORE_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/entity.h"

#define QUERY_MAX_FILTERS 32
#define QUERY_MAX_VALUES 64
#define QUERY_MAX_TERMS 8
#define QUERY_DEFAULT_LIMIT 50
#define QUERY_MAX_LIMIT 500

typedef enum filter_op {
	OP_IN,       /* field = any of values */
	OP_GE,       /* field >= value */
	OP_LE,       /* field <= value */
	OP_NULL,     /* field is null / empty */
	OP_NOT_NULL, /* field has a value */
	OP_TAG,      /* tags contain all of values */
	OP_CUSTOM,   /* custom field key = value */
} filter_op;

typedef struct kh_filter {
	int field; /* index in the entity */
	filter_op op;
	int nvals;
	kh_value *vals;
	const char *custom_key; /* OP_CUSTOM */
	bool numeric;           /* OP_CUSTOM: compare as numbers (5 = 5.0), not as JSON text */
} kh_filter;

typedef enum query_view {
	VIEW_ACTIVE,   /* not deleted, not archived, not in the pool */
	VIEW_ARCHIVED, /* 历史库 */
	VIEW_POOL,     /* 公海 */
	VIEW_DELETED,  /* the recycle bin */
	VIEW_ALL_LIVE, /* not deleted, wherever it is */
	VIEW_STALE,    /* suggested for the archive: live, not archived, not in the pool,
	                * lost, or nothing (first contact, follow-up, deal) since stale_before */
} query_view;

typedef enum scope_kind {
	SCOPE_MATCH_ALL,    /* no restriction */
	SCOPE_MATCH_OWNERS, /* owner in ids */
	SCOPE_MATCH_DEPTS,  /* department in ids */
	SCOPE_MATCH_NONE,   /* nothing is visible */
} scope_kind;

typedef struct kh_scope_filter {
	scope_kind kind;
	int n;
	int64_t *ids;
} kh_scope_filter;

typedef struct kh_query {
	const kh_entity *ent;
	int nfilters;
	kh_filter filters[QUERY_MAX_FILTERS];
	int nterms; /* search terms, ANDed */
	struct {
		const char *text;
		bool cjk;
	} terms[QUERY_MAX_TERMS];
	int sort_field; /* index; F_ID by default */
	bool sort_desc;
	bool has_cursor;
	kh_value cursor_value; /* sort value of the last row seen */
	int64_t cursor_id;     /* id of the last row seen */
	int limit;
	query_view view;
	kh_scope_filter scope;
	int64_t parent_id; /* e.g. the customer of a contacts list; 0 = any */
	const char *stale_before; /* VIEW_STALE: a date */
} kh_query;

#endif
