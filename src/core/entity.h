/*
 * entity — the field model every kehu record type is described by.
 *
 * A record type (customer, contact, later follow-up, order ...) is a
 * kh_entity: a table of kh_field descriptors. The same table drives JSON
 * in and out, validation, SQL column lists, list filters and sorting,
 * masking, CSV/XLSX headers and import mapping, so adding a field is one
 * line here plus a migration. Values travel as kh_record: one kh_value per
 * field, each absent (not given, for patches), null, or set.
 *
 * Column names in generated SQL come only from these tables, never from
 * user input; values are always bound.
 */
#ifndef KEHU_CORE_ENTITY_H
#define KEHU_CORE_ENTITY_H

#include <stdbool.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/i18n.h"

struct kh_record;
struct kh_err;

typedef enum field_type {
	FT_ID,       /* int64 identifier */
	FT_INT,      /* integer */
	FT_MONEY,    /* integer fen */
	FT_BOOL,     /* 0 or 1 */
	FT_TEXT,     /* one line of text */
	FT_LONGTEXT, /* multi-line text */
	FT_DATE,     /* YYYY-MM-DD */
	FT_TIME,     /* YYYY-MM-DDTHH:MM:SSZ, UTC */
	FT_DICT,     /* code of an option of dictionary field->dict */
	FT_USER,     /* user id (input may name the user by username) */
	FT_DEPT,     /* department id */
	FT_REF,      /* id of a record of another entity */
	FT_TAGS,     /* JSON array of strings */
	FT_CUSTOM,   /* JSON object of admin-defined custom field values */
} field_type;

enum field_flag {
	FF_REQUIRED = 1u << 0,    /* must be given and non-empty on create */
	FF_SYSTEM = 1u << 1,      /* maintained by kehu only (id, version, times) */
	FF_DERIVED = 1u << 2,     /* computed from other records; import may set it */
	FF_READONLY = 1u << 3,    /* changed only by a dedicated action (archive, pool) */
	FF_PII = 1u << 4,         /* masked unless the viewer may unmask */
	FF_PROFILE = 1u << 5,     /* deep personal profile: hidden without permission */
	FF_SORT = 1u << 6,        /* lists may sort on it (an index backs it) */
	FF_FILTER = 1u << 7,      /* lists may filter on it */
	FF_LIST = 1u << 8,        /* part of a list row by default */
	FF_CREATE_ONLY = 1u << 9, /* may be given on create, never changed */
	FF_FROM_ONE = 1u << 10,   /* FT_INT: from 1 (a rating), not from 0 */
};

typedef enum mask_kind {
	MASK_NONE,
	MASK_PHONE,   /* 138****5678 */
	MASK_EMAIL,   /* z***@example.com */
	MASK_HANDLE,  /* wx***id: first two characters kept */
	MASK_ADDRESS, /* street and number hidden */
	MASK_DATE,    /* 1985-**-**: the year kept */
	MASK_HIDE,    /* replaced by "****" */
} mask_kind;

typedef struct kh_field {
	const char *name;   /* JSON name */
	const char *column; /* SQL column */
	const char *label;  /* English label, a catalogue msgid */
	field_type type;
	unsigned flags;
	const char *dict; /* FT_DICT: dictionary kind; FT_REF: entity name */
	int max;          /* text: max characters; int: max value (0 = default) */
	mask_kind mask;
} kh_field;

typedef struct kh_entity {
	const char *name;  /* "customer" */
	const char *table; /* "customers" */
	const char *label; /* msgid */
	const kh_field *fields;
	int nfields;
	/* entity rules that need no database (formats, check digits); may
	 * normalise values in place; adds field errors to e, returns -1 on any */
	int (*check)(struct kh_record *r, bool create, arena *a, struct kh_err *e);
} kh_entity;

/* Every entity starts with these six system fields, in this order. */
enum {
	F_ID = 0,
	F_VERSION = 1,
	F_CREATED_AT = 2,
	F_UPDATED_AT = 3,
	F_CREATED_BY = 4,
	F_DELETED_AT = 5,
	F_NSYSTEM = 6
};

#define KH_SYSTEM_FIELDS                                                                           \
	[F_ID] = {"id", "id", N_("ID"), FT_ID, FF_SYSTEM | FF_SORT | FF_FILTER | FF_LIST,          \
	          NULL, 0,    MASK_NONE},                                                          \
	[F_VERSION] = {"version", "version", N_("Version"), FT_INT, FF_SYSTEM | FF_LIST,           \
	               NULL,      0,         MASK_NONE},                                           \
	[F_CREATED_AT] = {"created_at",                                                            \
	                  "created_at",                                                            \
	                  N_("Created at"),                                                        \
	                  FT_TIME,                                                                 \
	                  FF_SYSTEM | FF_SORT | FF_FILTER,                                         \
	                  NULL,                                                                    \
	                  0,                                                                       \
	                  MASK_NONE},                                                              \
	[F_UPDATED_AT] = {"updated_at",                                                            \
	                  "updated_at",                                                            \
	                  N_("Updated at"),                                                        \
	                  FT_TIME,                                                                 \
	                  FF_SYSTEM | FF_SORT | FF_FILTER | FF_LIST,                               \
	                  NULL,                                                                    \
	                  0,                                                                       \
	                  MASK_NONE},                                                              \
	[F_CREATED_BY] =                                                                           \
	        {"created_by", "created_by", N_("Created by"), FT_USER, FF_SYSTEM, NULL, 0,        \
	         MASK_NONE},                                                                       \
	[F_DELETED_AT] = {                                                                         \
	        "deleted_at", "deleted_at", N_("Deleted at"), FT_TIME, FF_SYSTEM, NULL, 0,         \
	        MASK_NONE}

typedef enum value_state { V_ABSENT = 0, V_NULL = 1, V_SET = 2 } value_state;

typedef struct kh_value {
	uint8_t state;
	int64_t i;     /* FT_ID, INT, MONEY, BOOL, USER, DEPT, REF */
	const char *s; /* text types, date, time, dict code, JSON for tags/custom;
	                * for FT_USER input, a username to resolve */
} kh_value;

typedef struct kh_record {
	const kh_entity *ent;
	kh_value *v; /* ent->nfields values */
} kh_record;

/* The field index of name in ent, or -1. */
int entity_field(const kh_entity *ent, const char *name);

/* A record of ent with every value absent, allocated in a. */
void record_init(kh_record *r, const kh_entity *ent, arena *a);
/* Deep copy (strings copied into a). */
void record_copy(kh_record *dst, const kh_record *src, arena *a);

/* Setters and getters by field index; they do not validate. */
void record_set_int(kh_record *r, int f, int64_t v);
void record_set_text(kh_record *r, int f, const char *s); /* NULL sets null */
void record_set_null(kh_record *r, int f);
bool record_is_set(const kh_record *r, int f);
int64_t record_int(const kh_record *r, int f, int64_t dflt);
const char *record_text(const kh_record *r, int f);

/* True for types whose value lives in kh_value.i. */
bool field_is_int(field_type t);
/* The translated label of a field. */
const char *field_label(const kh_field *f, int lang);

/* Equality of two values of one field type (absent == absent). */
bool value_equal(field_type t, const kh_value *a, const kh_value *b);

#endif
