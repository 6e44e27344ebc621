/*
 * kehu export LIST [--format csv|xlsx] [--encoding utf-8|gb18030] [--output FILE]
 *                  [--fields a,b] [--customer ID] [--progress] [--FILTER VALUE ...]
 *
 * Any list (customers, contacts, followups, orders, opportunities, tickets,
 * visit-plans, visits, evaluations, countermeasures) with the list's own
 * filters, written whole as CSV (UTF-8 with a BOM, or GB18030) or XLSX. The
 * file appears only when the export succeeded (written beside it, then
 * renamed); without --output, CSV goes to stdout, XLSX too unless stdout is a
 * terminal. A row count goes to stderr every second when stderr is a
 * terminal, or with --progress; the total at the end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

typedef struct progress_state {
	cli *c;
	bool tty, asked;
	time_t last;
} progress_state;

static bool on_progress(int64_t rows, void *ud)
{
	progress_state *ps = ud;
	time_t now = time(NULL);
	if (now == ps->last)
		return true; /* about once a second */
	ps->last = now;
	fprintf(stderr, ps->tty ? "\r%s" : "%s\n",
	        arena_printf(&ps->c->a, tr(ps->c->lang, N_("%lld rows exported")),
	                     (long long)rows));
	fflush(stderr);
	return true;
}

static int usage_export(cli *c)
{
	cli_say(c, N_("Usage: kehu export LIST [--format csv|xlsx] [--encoding utf-8|gb18030] "
	              "[--output FILE] [--fields a,b] [--customer ID] [--progress] [--FILTER VALUE "
	              "...]"));
	int n;
	const export_source *src = export_sources(&n);
	fprintf(c->out, "\n%s\n", tr(c->lang, N_("Lists:")));
	for (int i = 0; i < n; i++)
		fprintf(c->out, "  %-16s %s\n", src[i].name,
		        tr(c->lang, (src[i].kind ? src[i].kind->ent : src[i].ent)->label));
	cli_say(c,
	        N_("Filters are the list's: see \"kehu customer list --help\" and the API guide."));
	return 0;
}

/* Copy the file at path to f. */
static int copy_to(cli *c, const char *path, FILE *f)
{
	FILE *in = fopen(path, "rb");
	if (!in)
		return err_set(&c->err, KH_EIO, N_("Cannot read %s: %s"), path, strerror(errno));
	char b[65536];
	size_t n;
	int rc = 0;
	while ((n = fread(b, 1, sizeof(b), in)) > 0)
		if (fwrite(b, 1, n, f) != n) {
			rc = err_set(&c->err, KH_EIO, N_("Cannot write the output: %s"),
			             strerror(errno));
			break;
		}
	fclose(in);
	if (!rc && fflush(f) != 0)
		rc = err_set(&c->err, KH_EIO, N_("Cannot write the output: %s"), strerror(errno));
	return rc;
}

int cmd_export(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"progress", "help", NULL};
	cli_args a;
	if (cli_parse(c, argc, argv, flags, &a) < 0)
		return -1;
	if (cli_flag(&a, "help"))
		return usage_export(c);
	if (a.npos == 0)
		return cli_usage(c, N_("Name the list to export; see \"kehu export --help\""));
	if (a.npos > 1)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a.pos[1]);
	const export_source *src = export_source_find(a.pos[0]);
	if (!src)
		return cli_usage(c, N_("No list \"%s\" to export; see \"kehu export --help\""),
		                 a.pos[0]);
	if (c->format == OUT_JSON)
		return cli_usage(c, N_("kehu export writes csv or xlsx"));
	bool xlsx = c->format == OUT_XLSX;
	sheet_encoding enc = SHEET_UTF8;
	const char *ev = cli_opt(&a, "encoding");
	if (ev && !strcasecmp(ev, "gb18030"))
		enc = SHEET_GB18030;
	else if (ev && strcasecmp(ev, "utf-8") && strcasecmp(ev, "utf8"))
		return cli_usage(c, N_("--encoding must be utf-8 or gb18030"));
	if (ev && xlsx)
		return cli_usage(c, N_("--encoding is for CSV; XLSX is always Unicode"));
	int64_t customer = 0;
	const char *cv = cli_opt(&a, "customer");
	if (cv && cli_id(c, cv, &customer) < 0)
		return -1;
	const char *output = cli_opt(&a, "output");
	if (!output && xlsx && isatty(fileno(c->out)))
		return cli_usage(c, N_("XLSX is not for a terminal: give --output FILE"));
	if (svc_export_allowed(&c->s) < 0)
		return -1;

	kv params[CLI_MAX_ARGS];
	int n = 0;
	for (int i = 0; i < a.nopts; i++) {
		const char *k = a.opts[i].key;
		if (strcmp(k, "customer") && strcmp(k, "encoding") && strcmp(k, "output") &&
		    strcmp(k, "progress"))
			params[n++] = a.opts[i];
	}

	/* write beside the output (or in TMPDIR) and rename: no half file is left */
	const char *tmpdir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *tmp = output ? arena_printf(&c->a, "%s.partXXXXXX", output)
	                   : arena_printf(&c->a, "%s/kehu-export-XXXXXX", tmpdir);
	int fd = (output || xlsx) ? mkstemp(tmp) : -1;
	if ((output || xlsx) && fd < 0)
		return err_set(&c->err, KH_EIO, N_("Cannot create %s: %s"), tmp, strerror(errno));
	if (output && fd >= 0) {
		/* mkstemp makes 0600: the file gets the mode any new file of the user gets */
		mode_t um = umask(0);
		umask(um);
		fchmod(fd, 0666 & ~um);
	}
	FILE *f = NULL;
	if (!xlsx)
		f = fd >= 0 ? fdopen(fd, "wb") : c->out;
	else
		close(fd);
	sheet_options so = {.format = xlsx ? SHEET_XLSX : SHEET_CSV,
	                    .encoding = enc,
	                    .file = f,
	                    .path = tmp,
	                    .name = tr(c->lang, (src->kind ? src->kind->ent : src->ent)->label),
	                    .tmpdir = tmpdir};
	int64_t rows = 0;
	progress_state ps = {c, isatty(STDERR_FILENO) != 0, cli_flag(&a, "progress"), time(NULL)};
	export_request rq = {.src = src,
	                     .customer_id = customer,
	                     .params = params,
	                     .nparams = n,
	                     .format = xlsx ? "xlsx" : "csv",
	                     .progress = ps.tty || ps.asked ? on_progress : NULL,
	                     .ud = &ps};
	int rc = f || xlsx ? svc_export_sheet(&c->s, &rq, &so, &rows)
	                   : err_set(&c->err, KH_EIO, N_("Cannot create %s: %s"), tmp,
	                             strerror(errno));
	if (f && f != c->out && fclose(f) != 0 && rc == 0)
		rc = err_set(&c->err, KH_EIO, N_("Could not write the export file"));
	if (ps.tty && rq.progress)
		fputc('\n', stderr);
	if (rc == 0 && output && rename(tmp, output) < 0)
		rc = err_set(&c->err, KH_EIO, N_("Cannot create %s: %s"), output, strerror(errno));
	if (rc == 0 && !output && xlsx)
		rc = copy_to(c, tmp, c->out);
	if (output || xlsx)
		unlink(tmp); /* after a rename: nothing there */
	if (rc < 0)
		return -1;
	fprintf(stderr, "%s\n",
	        arena_printf(&c->a, tr(c->lang, N_("Exported %lld rows.")), (long long)rows));
	return 0;
}
