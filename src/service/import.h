/*
 * import — customers (with the primary contact on the same row) from a CSV or
 * XLSX sheet, through the customer use cases: permissions, validation, the
 * code rule, derived fields and audit apply to every row as they do to a
 * customer typed in by hand.
 *
 * The first row of the sheet is its header; each column maps to a field by
 * its header (core/import_map), a saved mapping, or the caller's overrides.
 * Rows are read one at a time and written as they are read, in one
 * transaction: a dry run rolls it back, a real run commits it only when no
 * row failed (or, with skip_bad, keeps the good rows). Every real run is a
 * batch that can be undone whole.
 */
#ifndef KEHU_SERVICE_IMPORT_H
#define KEHU_SERVICE_IMPORT_H

#include "io/reader.h"
#include "service/service.h"

typedef enum import_mode {
	IMPORT_CREATE, /* only new customers: a match is a duplicate */
	IMPORT_UPSERT, /* update the customer a row matches, else create one */
	IMPORT_UPDATE, /* only customers a row matches: no match is an error */
} import_mode;

/* The keys a row is matched on, any of them matching (first match wins). */
enum import_match {
	IMPORT_MATCH_CODE = 1u << 0,
	IMPORT_MATCH_PHONE = 1u << 1, /* the primary contact's, normalised */
	IMPORT_MATCH_CREDIT = 1u << 2,
	IMPORT_MATCH_NAME = 1u << 3, /* exact, after trimming */
};

typedef struct import_options {
	import_mode mode;
	unsigned match; /* import_match bits; 0: the code */
	bool dry_run;   /* check every row, write nothing */
	bool skip_bad;  /* write the good rows, report the bad ones */
	const kv *map;  /* overrides: key a header, value a target ("name",
	                 * "contact_phone", a label) or "-" to ignore the column */
	int nmap;
	const char *mapping;      /* start from this saved mapping (NULL: none) */
	const char *save_mapping; /* save the mapping used under this name (NULL: don't) */
	const kv *defaults;       /* field = value for rows that leave it empty */
	int ndefaults;
	const char *file_name; /* for the batch */
	/* called every few hundred rows with io_progress's byte counts */
	void (*progress)(long rows, unsigned long long done, unsigned long long total, void *ud);
	void *ud;
} import_options;

/* What a row could not do: its number as the sheet shows it, the column and the
 * value at fault (column NULL when the row as a whole is at fault). */
typedef struct import_problem {
	long row;
	const char *column;
	const char *value;
	const char *message; /* in the actor's language */
	bool duplicate;      /* a duplicate (in the file, or of a customer in kehu) */
} import_problem;

/* A column of the sheet and what it maps to. */
typedef struct import_column {
	const char *header;
	const char *field; /* target name, NULL when ignored */
	const char *label; /* target label in the actor's language, NULL when ignored */
} import_column;

#define IMPORT_MAX_PROBLEMS 10000

typedef struct import_report {
	long rows; /* data rows read */
	long created, updated, unchanged, failed, duplicates;
	bool written;     /* false: a dry run, or nothing kept because a row failed */
	int64_t batch_id; /* the batch when written */
	import_column *columns;
	int ncolumns;
	import_problem *problems; /* the first IMPORT_MAX_PROBLEMS of them */
	int nproblems;
	bool truncated; /* more problems than were kept */
} import_report;

/*
 * Import the sheet r is on. Needs the import and customer.write permissions.
 * Returns 0 with the report filled (rows that failed are in it, not an error),
 * or -1 with s->err set when the import could not run at all (no permission,
 * no name column, an unreadable file, a database failure).
 */
int svc_import(svc *s, io_reader *r, const import_options *o, import_report *out);

/*
 * Undo batch id whole, in one transaction: customers it created are deleted
 * (to the recycle bin), those it updated get their previous values back.
 * KH_ESTATE when it was undone already or a customer changed since (named).
 */
int svc_import_undo(svc *s, int64_t id);

/* A page of batches, newest first (params: limit, after). */
int svc_import_batches(svc *s, const kv *params, int nparams, list_page *page);

/* The report as the API answers it (and the CLI prints with --format json). */
json_t *import_report_json(const import_report *rep, bool dry_run);

/* Parse "create", "upsert", "update"; and "code,phone,credit_code,name". */
bool import_mode_parse(const char *text, import_mode *out);
bool import_match_parse(const char *text, unsigned *out);
const char *import_mode_name(import_mode m);

#endif
