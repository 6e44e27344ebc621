/*
 * cli — the kehu command line. One file per command (cmd_<name>.c), one
 * line per command in the table of cli.c. Every command works through the
 * service layer as a user: --as USER, else KEHU_USER, else "admin".
 *
 * Exit codes (stable, for scripts): 0 ok, 1 internal error, 2 usage,
 * 3 not found, 4 validation, 5 conflict (stale version or duplicate),
 * 6 permission denied, 7 authentication, 8 rate limited, 9 busy,
 * 10 database error, 11 I/O error.
 */
#ifndef KEHU_CLI_CLI_H
#define KEHU_CLI_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "service/service.h"

/* OUT_XLSX: only kehu export writes it */
typedef enum out_format { OUT_TABLE, OUT_CSV, OUT_JSON, OUT_XLSX } out_format;

#define CLI_MAX_ARGS 64

typedef struct cli_args {
	const char *pos[CLI_MAX_ARGS]; /* positional arguments */
	int npos;
	kv opts[CLI_MAX_ARGS]; /* --key value (value NULL for flags) */
	int nopts;
} cli_args;

typedef struct cli {
	const char *db_url;
	out_format format;
	kh_lang lang;
	const char *as_user;
	store *db;
	arena a;
	kh_err err;
	svc s;
	FILE *out;
	const void *cmd_data; /* the running command's data (its record kind ...) */
} cli;

typedef struct command {
	const char *name;
	int (*run)(cli *c, int argc, char **argv); /* argv[0] is the command name */
	const char *summary;                       /* msgid */
	bool needs_db;                             /* open the database first */
	bool needs_user;                           /* act as a user (else as kehu itself) */
	const void *data;                          /* handed to run as cli.cmd_data */
} command;

/* ---- the commands ---- */
int cmd_init(cli *c, int argc, char **argv);
int cmd_serve(cli *c, int argc, char **argv);
int cmd_demo(cli *c, int argc, char **argv);
int cmd_migrate(cli *c, int argc, char **argv);
int cmd_user(cli *c, int argc, char **argv);
int cmd_token(cli *c, int argc, char **argv);
int cmd_dict(cli *c, int argc, char **argv);
int cmd_field(cli *c, int argc, char **argv);
int cmd_dept(cli *c, int argc, char **argv);
int cmd_role(cli *c, int argc, char **argv);
int cmd_customer(cli *c, int argc, char **argv);
int cmd_contact(cli *c, int argc, char **argv);
int cmd_audit(cli *c, int argc, char **argv);
int cmd_setting(cli *c, int argc, char **argv);
int cmd_pool(cli *c, int argc, char **argv);
int cmd_archive(cli *c, int argc, char **argv);
/* Duplicate customers: find, merge, undo, merges (cmd_dedupe.c). */
int cmd_dedupe(cli *c, int argc, char **argv);
/* Relationship evaluations and their indicators. */
int cmd_evaluation(cli *c, int argc, char **argv);
/* A record kept around a customer; cmd_data is its record_kind. */
int cmd_record(cli *c, int argc, char **argv);
int cmd_opportunity(cli *c, int argc, char **argv);
/* Visits: cmd_record's subcommands plus the daily report (daily, submit). */
int cmd_visit(cli *c, int argc, char **argv);
/* Requests with approval, and approval inbox and chains (cmd_request.c). */
int cmd_request(cli *c, int argc, char **argv);
int cmd_approval(cli *c, int argc, char **argv);
int cmd_file_inspect(cli *c, int argc, char **argv);
/* Any list to a CSV or XLSX file (cmd_export.c). */
int cmd_export(cli *c, int argc, char **argv);
int cmd_import(cli *c, int argc, char **argv);

int cli_main(int argc, char **argv);

/* ---- helpers ---- */

/*
 * Split argv into positionals and --options. Names in flags (a
 * NULL-terminated list) take no value. Returns -1 (usage error set) on a
 * missing value.
 */
int cli_parse(cli *c, int argc, char **argv, const char *const *flags, cli_args *out);
/* Value of option key (NULL if absent; "" for a flag). */
const char *cli_opt(const cli_args *a, const char *key);
bool cli_flag(const cli_args *a, const char *key);
/* Fail with a usage error for any option not in allowed (NULL-terminated). */
int cli_only(cli *c, const cli_args *a, const char *const *allowed);

/* Build a record of ent from --field value options (skipping those in skip). */
int cli_record(cli *c, const kh_entity *ent, const cli_args *a, const char *const *skip,
               kh_record *out);
/*
 * --if-version N into *version; 0 when the option is absent, so the change is
 * refused as stale once the service has checked permission and existence.
 */
int cli_version(cli *c, const cli_args *a, int64_t *version);
/*
 * After a change failed: if it failed as stale because --if-version was not
 * given, say that it is needed and name the current version (like the API's
 * 428). Returns -1 either way.
 */
int cli_stale(cli *c, const cli_args *a, int64_t current);
/* After a change of record id of kind k: the record in JSON (--format json),
 * else msgid said with the kind's label, the id and its code ("" if none). */
int cli_record_done(cli *c, const record_kind *k, int64_t id, const char *msgid);
/* A refused change of a record of kind k: -1, saying --if-version is needed
 * (with the current version) when that was the cause. */
int cli_record_failed(cli *c, const record_kind *k, const cli_args *a, int64_t id);
/*
 * ID --if-version N [--FIELD VALUE ...]: a patch of ent from the options, applied
 * with update to the record get finds (*id: the positional id). -1 on any error,
 * naming the current version when --if-version was missing.
 */
int cli_edit(cli *c, const cli_args *a, const kh_entity *ent,
             int (*get)(svc *s, int64_t id, kh_record *out),
             int (*update)(svc *s, int64_t id, int64_t version, kh_record *patch), int64_t *id);
/* After a change of customer id: the customer with its contacts in JSON (--format
 * json; the message when it is no longer visible), else msgid formatted. */
void cli_customer_done(cli *c, int64_t id, const char *msgid, ...)
        __attribute__((format(printf, 3, 4)));
/* A positive id positional argument. */
int cli_id(cli *c, const char *arg, int64_t *id);

/* Read a password: the first line of stdin (--password-stdin) or a prompt without echo. */
const char *cli_password(cli *c, bool from_stdin, const char *prompt);

/* -1 with a usage error when url names an SQLite file that does not exist. */
int cli_db_missing(cli *c, const char *url);

/* Usage error with a translated message. */
int cli_usage(cli *c, const char *msgid, ...) __attribute__((format(printf, 2, 3)));

/* ---- output ---- */

/* Print a list page in the chosen format (columns from the page). */
void out_page(cli *c, const list_page *p, bool with_primary);
/* Print records with the given field indexes (NULL: the list fields). */
void out_records(cli *c, const kh_record *rows, int n, const int *fields, int nfields);
/* Print one record vertically (label: value), or as JSON. */
void out_record(cli *c, const kh_record *r, json_t *as_json);
/* Print any JSON document (for --format json). */
void out_json(cli *c, json_t *j);
/* A generic table: headers and rows of cells (strings, NULL = empty). */
void out_table(cli *c, const char *const *headers, int ncols, const char *const *cells, int nrows);
/* A value as a person reads it (labels, names, yuan). */
const char *cli_display(cli *c, const kh_field *f, const kh_value *v);
/* One line to stdout (the result of a change), translated. */
void cli_say(cli *c, const char *msgid, ...) __attribute__((format(printf, 2, 3)));

#endif
