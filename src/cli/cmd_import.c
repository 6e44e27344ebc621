/*
 * kehu import FILE [--sheet S] [--dry-run] [--mode create|upsert|update]
 *                  [--match code,phone,credit_code,name] [--map 列名=字段 ...]
 *                  [--default 字段=值 ...] [--mapping NAME] [--save-mapping NAME]
 *                  [--skip-bad] [--report FILE.csv] [--encoding E]
 * kehu import batches [--limit N] [--after CURSOR]
 * kehu import undo BATCH
 *
 * Customers from a CSV or XLSX sheet through the service's import use case.
 * The summary goes to stdout, progress on long runs to stderr (a terminal
 * only), the failing rows as a table (or --report FILE.csv). Exit code 4 when
 * any row failed, whatever else was written.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "io/sheet.h"
#include "service/import.h"

#define USAGE                                                                                      \
	N_("Usage: kehu import FILE [--sheet S] [--dry-run] [--mode create|upsert|update] "        \
	   "[--match code,phone,credit_code,name] [--map COLUMN=FIELD ...] "                       \
	   "[--default FIELD=VALUE ...] [--mapping NAME] [--save-mapping NAME] [--skip-bad] "      \
	   "[--report FILE.csv] [--encoding auto|utf-8|gb18030] | import batches | import undo "   \
	   "BATCH")

#define EXIT_ROWS_FAILED 4

static void progress(long rows, unsigned long long done, unsigned long long total, void *ud)
{
	(void)ud;
	if (total)
		fprintf(stderr, "\r%ld rows, %llu%%", rows, done * 100 / total);
	else
		fprintf(stderr, "\r%ld rows", rows);
	if (total && done >= total)
		fputc('\n', stderr);
}

/* "a=b" options of one name into kvs (split at the last "="). */
static int pairs(cli *c, const cli_args *a, const char *key, kv **out, int *n)
{
	*out = arena_calloc(&c->a, (size_t)a->nopts + 1, sizeof(kv));
	*n = 0;
	for (int i = 0; i < a->nopts; i++) {
		if (strcmp(a->opts[i].key, key) != 0)
			continue;
		const char *v = a->opts[i].value ? a->opts[i].value : "";
		const char *eq = strrchr(v, '=');
		if (!eq)
			return cli_usage(c, N_("--%s takes NAME=VALUE, not \"%s\""), key, v);
		(*out)[(*n)++] = (kv){arena_strndup(&c->a, v, (size_t)(eq - v)), eq + 1};
	}
	return 0;
}

/* The problems as a table a person opens in Excel: XLSX when path ends in .xlsx,
 * else CSV (UTF-8 with a BOM), through the same sheet writer as exports. */
static int write_report(cli *c, const char *path, const import_report *rep)
{
	size_t n = strlen(path);
	bool xlsx = n > 5 && !strcasecmp(path + n - 5, ".xlsx");
	FILE *f = NULL;
	if (!xlsx && !(f = fopen(path, "wb")))
		return err_set(&c->err, KH_EIO, N_("Cannot write %s"), path);
	sheet_options o = {.format = xlsx ? SHEET_XLSX : SHEET_CSV,
	                   .encoding = SHEET_UTF8,
	                   .file = f,
	                   .path = path,
	                   .name = tr(c->lang, N_("Problem"))};
	sheet *sh = sheet_open(&o);
	const char *headers[4] = {tr(c->lang, N_("Row")), tr(c->lang, N_("Column")),
	                          tr(c->lang, N_("Value")), tr(c->lang, N_("Problem"))};
	int rc = sh ? sheet_header(sh, headers, 4) : -1;
	for (int i = 0; rc == 0 && i < rep->nproblems; i++) {
		const import_problem *p = &rep->problems[i];
		sheet_cell cells[4] = {{.type = CELL_INT, .i = p->row},
		                       {.type = CELL_TEXT, .s = p->column},
		                       {.type = CELL_TEXT, .s = p->value},
		                       {.type = CELL_TEXT, .s = p->message}};
		rc = sheet_row(sh, cells, 4);
	}
	if (sh && rc == 0)
		rc = sheet_close(sh);
	else if (sh)
		sheet_abort(sh);
	if (f && fclose(f) != 0)
		rc = -1;
	if (rc < 0)
		return err_set(&c->err, KH_EIO, N_("Cannot write %s"), path);
	return 0;
}

static void print_report(cli *c, const import_report *rep, bool dry_run)
{
	if (c->format == OUT_JSON) {
		out_json(c, import_report_json(rep, dry_run));
		return;
	}
	const char **cells = arena_calloc(&c->a, (size_t)rep->ncolumns * 2 + 1, sizeof(char *));
	for (int i = 0; i < rep->ncolumns; i++) {
		cells[i * 2] = rep->columns[i].header;
		cells[i * 2 + 1] = rep->columns[i].label ? rep->columns[i].label
		                                         : tr(c->lang, N_("(ignored)"));
	}
	const char *h[] = {tr(c->lang, N_("Column")), tr(c->lang, N_("Field"))};
	out_table(c, h, 2, cells, rep->ncolumns);
	if (rep->nproblems) {
		const char **pc =
		        arena_calloc(&c->a, (size_t)rep->nproblems * 4 + 1, sizeof(char *));
		for (int i = 0; i < rep->nproblems; i++) {
			const import_problem *p = &rep->problems[i];
			pc[i * 4] = arena_printf(&c->a, "%ld", p->row);
			pc[i * 4 + 1] = p->column;
			pc[i * 4 + 2] = p->value;
			pc[i * 4 + 3] = p->message;
		}
		const char *ph[] = {tr(c->lang, N_("Row")), tr(c->lang, N_("Column")),
		                    tr(c->lang, N_("Value")), tr(c->lang, N_("Problem"))};
		out_table(c, ph, 4, pc, rep->nproblems);
		if (rep->truncated)
			cli_say(c, N_("(only the first %d problems are listed)"),
			        IMPORT_MAX_PROBLEMS);
	}
	cli_say(c,
	        N_("Rows: %ld, created: %ld, updated: %ld, unchanged: %ld, failed: %ld, "
	           "duplicates: %ld"),
	        rep->rows, rep->created, rep->updated, rep->unchanged, rep->failed,
	        rep->duplicates);
	if (dry_run)
		cli_say(c, N_("Dry run: nothing was written"));
	else if (!rep->written)
		cli_say(c, N_("Nothing was written: fix the rows above, or give --skip-bad to "
		              "import the good rows"));
	else
		cli_say(c, N_("Import batch %lld (undo it with: kehu import undo %lld)"),
		        (long long)rep->batch_id, (long long)rep->batch_id);
}

static int run_import(cli *c, cli_args *a)
{
	static const char *const allowed[] = {"sheet",    "dry-run", "mode",     "match",
	                                      "map",      "default", "mapping",  "save-mapping",
	                                      "skip-bad", "report",  "encoding", NULL};
	if (cli_only(c, a, allowed) < 0)
		return -1;
	if (a->npos != 1) {
		cli_say(c, USAGE);
		return cli_usage(c, N_("Name one file to import"));
	}
	import_options o = {0};
	const char *v;
	if ((v = cli_opt(a, "mode")) && !import_mode_parse(v, &o.mode))
		return cli_usage(c, N_("--mode must be create, upsert or update"));
	if ((v = cli_opt(a, "match")) && !import_match_parse(v, &o.match))
		return cli_usage(c, N_("--match takes code, phone, credit_code, name (comma "
		                       "separated)"));
	o.dry_run = cli_flag(a, "dry-run");
	o.skip_bad = cli_flag(a, "skip-bad");
	o.mapping = cli_opt(a, "mapping");
	o.save_mapping = cli_opt(a, "save-mapping");
	kv *map, *defaults;
	if (pairs(c, a, "map", &map, &o.nmap) < 0 ||
	    pairs(c, a, "default", &defaults, &o.ndefaults) < 0)
		return -1;
	o.map = map;
	o.defaults = defaults;
	const char *slash = strrchr(a->pos[0], '/');
	o.file_name = slash ? slash + 1 : a->pos[0];
	if (isatty(STDERR_FILENO))
		o.progress = progress;
	io_options io = IO_OPTIONS_INIT;
	io.sheet = cli_opt(a, "sheet");
	if ((v = cli_opt(a, "encoding")) && !io_encoding_parse(v, &io.encoding))
		return cli_usage(c, N_("--encoding must be auto, utf-8 or gb18030"));
	io_reader *r;
	if (io_open_file(&r, a->pos[0], &io, &c->err) < 0)
		return -1;
	store_bulk_mode(c->db);
	import_report rep;
	int rc = svc_import(&c->s, r, &o, &rep);
	io_free(r);
	if (rc < 0)
		return -1;
	print_report(c, &rep, o.dry_run);
	if ((v = cli_opt(a, "report")) && write_report(c, v, &rep) < 0)
		return -1;
	return rep.failed ? EXIT_ROWS_FAILED : 0;
}

static int batches(cli *c, cli_args *a)
{
	if (a->npos > 1)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a->pos[1]);
	if (c->format == OUT_TABLE && !cli_opt(a, "fields") && a->nopts < CLI_MAX_ARGS)
		a->opts[a->nopts++] =
		        (kv){"fields", "id,created_at,created_by,file_name,mode,match,"
		                       "rows,created,updated,unchanged,failed,undone_at"};
	list_page p;
	if (svc_import_batches(&c->s, a->opts, a->nopts, &p) < 0)
		return -1;
	out_page(c, &p, false);
	return 0;
}

static int undo(cli *c, cli_args *a)
{
	int64_t id;
	if (a->npos != 2)
		return cli_usage(c, N_("Name the import batch to undo"));
	if (cli_id(c, a->pos[1], &id) < 0 || svc_import_undo(&c->s, id) < 0)
		return -1;
	cli_say(c, N_("Import batch %lld undone"), (long long)id);
	return 0;
}

int cmd_import(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"dry-run", "skip-bad", "help", NULL};
	if (argc < 2 || !strcmp(argv[1], "--help")) {
		cli_say(c, USAGE);
		return argc < 2 ? cli_usage(c, N_("Name a file to import")) : 0;
	}
	cli_args a;
	if (cli_parse(c, argc, argv, flags, &a) < 0)
		return -1;
	if (a.npos >= 1 && !strcmp(a.pos[0], "batches") && access("batches", F_OK) != 0)
		return batches(c, &a);
	if (a.npos >= 1 && !strcmp(a.pos[0], "undo") && access("undo", F_OK) != 0)
		return undo(c, &a);
	return run_import(c, &a);
}
