/*
 * cli — global options, the command table, and turning the service's
 * errors into messages and exit codes.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "core/org.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/money.h"
#include "util/utf8.h"

#define DEFAULT_DB "data/kehu.db"

static const command commands[] = {
        {"init", cmd_init, N_("Create the database and the first administrator"), false, false,
         NULL},
        {"serve", cmd_serve, N_("Serve the HTTP API"), true, false, NULL},
        {"demo", cmd_demo, N_("Add realistic demo data"), true, false, NULL},
        {"migrate", cmd_migrate,
         N_("Bring the schema up to date, or copy a database to another engine"), false, false,
         NULL},
        {"customer", cmd_customer, N_("Customers: add, list, show, edit, rm, restore, archive"),
         true, true, NULL},
        {"contact", cmd_contact, N_("Contacts: add, list, show, edit, rm"), true, true, NULL},
        {"dict", cmd_dict, N_("Dictionaries: kinds, list, add, edit, retire, unretire"), true, true,
         NULL},
        {"field", cmd_field, N_("Custom fields: list, add, edit"), true, true, NULL},
        {"user", cmd_user, N_("Users: add, list, show, edit, passwd, disable, enable"), true, true,
         NULL},
        {"dept", cmd_dept, N_("Departments: list, add, edit, rm"), true, true, NULL},
        {"role", cmd_role, N_("Roles: list, set"), true, true, NULL},
        {"token", cmd_token, N_("API tokens: create, list, revoke"), true, true, NULL},
        {"audit", cmd_audit, N_("Read the audit log"), true, true, NULL},
        {"setting", cmd_setting,
         N_("Settings: list, set (code width, time zone, lifecycle, pool, archive)"), true, true,
         NULL},
        {"pool", cmd_pool,
         N_("Customer pool: list, claim, release, assign, lock, unlock, sweep, events"), true, true,
         NULL},
        {"archive", cmd_archive, N_("Archive: suggest, add, restore"), true, true, NULL},
        {"dedupe", cmd_dedupe, N_("Duplicate customers: find, merge, undo, merges"), true, true,
         NULL},
        {"followup", cmd_record, N_("Follow-ups: add, list, show, edit, rm, restore"), true, true,
         &followup_kind},
        {"order", cmd_record, N_("Orders: add, list, show, edit, rm, restore"), true, true,
         &order_kind},
        {"opportunity", cmd_opportunity,
         N_("Opportunities: add, list, show, edit, win, history, rm, restore"), true, true,
         &opportunity_kind},
        {"file-inspect", cmd_file_inspect, N_("Show what the importer reads in a CSV or XLSX file"),
         false, false, NULL},
        {"import", cmd_import,
         N_("Import customers from CSV or XLSX; list import batches, undo one"), true, true,
         NULL},
        {"ticket", cmd_record, N_("Service tickets: add, list, show, edit, history, rm, restore"),
         true, true, &ticket_kind},
        {"visit-plan", cmd_record, N_("Visit plans: add, list, show, edit, rm, restore"), true,
         true, &visit_plan_kind},
        {"visit", cmd_visit, N_("Visits: add, list, show, edit, rm, restore; daily report, submit"),
         true, true, &visit_kind},
        {"request", cmd_request,
         N_("Requests with approval: add, list, show, edit, submit, withdraw, approve, reject, "
            "budget"),
         true, true, NULL},
        {"approval", cmd_approval, N_("Approvals: inbox, chain show, chain set"), true, true, NULL},
        {"evaluation", cmd_evaluation,
         N_("Relationship evaluations: add, list, show, edit, rm, restore; indicator list, add, "
            "edit"),
         true, true, NULL},
        {"export", cmd_export,
         N_("Export a list (customers, contacts, followups, orders ...) as CSV or XLSX"), true,
         true, NULL},
        {"countermeasure", cmd_record,
         N_("Important and problem customer countermeasures: add, list, show, edit, rm, "
            "restore"),
         true, true, &countermeasure_kind},
};
#define NCOMMANDS ((int)(sizeof(commands) / sizeof(commands[0])))

static void usage(cli *c, FILE *f)
{
	fprintf(f, "%s\n\n",
	        tr(c->lang, N_("Usage: kehu [--db PATH] [--format table|csv|json] "
	                       "[--lang zh|en] [--as USER] COMMAND ...")));
	int width = 0; /* the longest command name aligns the summaries */
	for (int i = 0; i < NCOMMANDS; i++)
		if ((int)strlen(commands[i].name) > width)
			width = (int)strlen(commands[i].name);
	for (int i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-*s %s\n", width, commands[i].name,
		        tr(c->lang, commands[i].summary));
	fprintf(f, "\n%s\n",
	        tr(c->lang, N_("The database is --db, else KEHU_DB, else "
	                       "data/kehu.db. Run \"kehu COMMAND --help\" for more.")));
}

int cli_usage(cli *c, const char *msgid, ...)
{
	va_list ap;
	va_start(ap, msgid);
	err_setv(&c->err, KH_EUSAGE, msgid, ap);
	va_end(ap);
	return -1;
}

void cli_say(cli *c, const char *msgid, ...)
{
	va_list ap;
	va_start(ap, msgid);
	vfprintf(c->out, tr(c->lang, msgid), ap);
	va_end(ap);
	fputc('\n', c->out);
}

static void print_error(cli *c)
{
	kh_err *e = &c->err;
	if (e->code == KH_OK)
		e->code = KH_EINTERNAL;
	fprintf(stderr, "%s%s\n", tr(c->lang, N_("error: ")),
	        e->nfields && !e->message ? tr(c->lang, N_("Some fields are not valid"))
	                                  : err_message(e));
	for (int i = 0; i < e->nfields; i++)
		fprintf(stderr, "  %s: %s\n", e->fields[i].field, e->fields[i].message);
}

/* Take global options out of argv wherever they are; returns new argc. */
static int take_globals(cli *c, int argc, char **argv)
{
	int out = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *names[] = {"--db", "--format", "--lang", "--as"};
		int which = -1;
		const char *val = NULL;
		for (int k = 0; k < 4; k++) {
			size_t n = strlen(names[k]);
			if (!strncmp(a, names[k], n) && (a[n] == '\0' || a[n] == '=')) {
				which = k;
				val = a[n] == '=' ? a + n + 1 : (i + 1 < argc ? argv[++i] : NULL);
			}
		}
		if (which < 0) {
			argv[out++] = argv[i];
			continue;
		}
		if (!val)
			return cli_usage(c, N_("%s needs a value"), a);
		switch (which) {
		case 0:
			c->db_url = val;
			break;
		case 1:
			if (!strcmp(val, "table"))
				c->format = OUT_TABLE;
			else if (!strcmp(val, "csv"))
				c->format = OUT_CSV;
			else if (!strcmp(val, "json"))
				c->format = OUT_JSON;
			else if (!strcmp(val, "xlsx"))
				c->format = OUT_XLSX;
			else
				return cli_usage(c,
				                 N_("--format must be table, csv or json (or xlsx "
				                    "for kehu export)"));
			break;
		case 2:
			if (!lang_parse(val, &c->lang))
				return cli_usage(c, N_("--lang must be zh-CN or en"));
			c->err.lang = c->lang;
			break;
		case 3:
			c->as_user = val;
			break;
		}
	}
	argv[out] = NULL;
	return out;
}

int cli_db_missing(cli *c, const char *url)
{
	/* only init creates a database file: a mistyped path must not leave one */
	if (!strncmp(url, "postgres", 8))
		return 0;
	const char *path = strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
	if (access(path, F_OK) == 0)
		return 0;
	return cli_usage(c, N_("The database %s does not exist; create it with \"kehu init\""),
	                 url);
}

/* data/ is created for the default database so that a fresh clone just works */
static void ensure_parent_dir(const char *path)
{
	if (strncmp(path, "postgres", 8) == 0)
		return;
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	mkdir(dir, 0750);
}

int cli_main(int argc, char **argv)
{
	log_init_from_env();
	cli c;
	memset(&c, 0, sizeof(c));
	c.out = stdout;
	c.lang = lang_from_env();
	arena_init(&c.a);
	err_init(&c.err, &c.a, c.lang);
	int rc = 0;
	if (crypto_init() < 0) {
		fprintf(stderr, "%s\n", tr(c.lang, N_("kehu: the crypto library cannot start")));
		return 1;
	}
	argc = take_globals(&c, argc, argv);
	if (argc < 0)
		goto fail;
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(&c, argc < 2 ? stderr : stdout);
		arena_release(&c.a);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("kehu %s\n", KEHU_VERSION);
		arena_release(&c.a);
		return 0;
	}
	const command *cmd = NULL;
	for (int i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, argv[1]))
			cmd = &commands[i];
	if (!cmd) {
		cli_usage(&c, N_("Unknown command \"%s\"; see \"kehu help\""), argv[1]);
		goto fail;
	}
	if (c.format == OUT_XLSX && cmd->run != cmd_export) {
		cli_usage(&c, N_("--format xlsx is for \"kehu export\" only"));
		goto fail;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--help")) {
			/* help needs no database: every command prints its usage for this */
			char *help_argv[] = {argv[1], (char *)"--help", NULL};
			c.cmd_data = cmd->data;
			rc = cmd->run(&c, 2, help_argv);
			arena_release(&c.a);
			return rc < 0 ? 2 : 0;
		}
	}
	if (!c.db_url)
		c.db_url = getenv("KEHU_DB");
	if (!c.db_url || !*c.db_url)
		c.db_url = DEFAULT_DB;
	if (cmd->needs_db && cli_db_missing(&c, c.db_url) < 0)
		goto fail;
	if (cmd->needs_db || !strcmp(cmd->name, "init")) {
		ensure_parent_dir(c.db_url);
		if (store_open(c.db_url, &c.db, &c.err) < 0)
			goto fail;
		int version = 0;
		if (store_schema_version(c.db, &version, &c.err) < 0)
			goto fail;
		if (version == 0 && cmd->needs_db && strcmp(cmd->name, "migrate") != 0) {
			cli_usage(&c, N_("The database %s is not set up; run \"kehu init\" first"),
			          store_url_redacted(&c.a, c.db_url));
			goto fail;
		}
	}
	svc_init(&c.s, c.db, &c.a, &c.err, c.lang, "cli");
	c.s.money_in_yuan = true;
	if (cmd->needs_user) {
		const char *who = c.as_user ? c.as_user : getenv("KEHU_USER");
		if (svc_act_as_username(&c.s, who && *who ? who : "admin") < 0)
			goto fail;
	}
	c.cmd_data = cmd->data;
	rc = cmd->run(&c, argc - 1, argv + 1);
	if (rc < 0)
		goto fail;
	svc_release(&c.s);
	store_close(c.db);
	arena_release(&c.a);
	return rc;
fail:
	print_error(&c);
	rc = err_exit_code(c.err.code ? c.err.code : KH_EINTERNAL);
	svc_release(&c.s);
	store_close(c.db);
	arena_release(&c.a);
	return rc;
}

/* ---- argument helpers ---- */

static bool in_list(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

int cli_parse(cli *c, int argc, char **argv, const char *const *flags, cli_args *out)
{
	memset(out, 0, sizeof(*out));
	bool only_pos = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!utf8_valid(a, strlen(a)))
			return cli_usage(c, N_("Argument %d is not valid UTF-8"), i);
		if (only_pos || strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (!only_pos && !strcmp(a, "--")) {
				only_pos = true;
				continue;
			}
			if (out->npos == CLI_MAX_ARGS)
				return cli_usage(c, N_("Too many arguments"));
			out->pos[out->npos++] = a;
			continue;
		}
		if (out->nopts == CLI_MAX_ARGS)
			return cli_usage(c, N_("Too many options"));
		const char *eq = strchr(a, '=');
		const char *key = eq ? arena_strndup(&c->a, a + 2, (size_t)(eq - a - 2)) : a + 2;
		const char *val;
		if (in_list(flags, key)) {
			val = eq ? eq + 1 : "";
		} else if (eq) {
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			return cli_usage(c, N_("--%s needs a value"), key);
		}
		out->opts[out->nopts].key = key;
		out->opts[out->nopts].value = val;
		out->nopts++;
	}
	return 0;
}

const char *cli_opt(const cli_args *a, const char *key)
{
	for (int i = a->nopts - 1; i >= 0; i--)
		if (!strcmp(a->opts[i].key, key))
			return a->opts[i].value;
	return NULL;
}

bool cli_flag(const cli_args *a, const char *key)
{
	const char *v = cli_opt(a, key);
	bool b = true;
	return v && (!*v || (svc_parse_bool(v, &b) && b));
}

int cli_only(cli *c, const cli_args *a, const char *const *allowed)
{
	for (int i = 0; i < a->nopts; i++)
		if (!in_list(allowed, a->opts[i].key))
			return cli_usage(c, N_("Unknown option --%s"), a->opts[i].key);
	return 0;
}

int cli_id(cli *c, const char *arg, int64_t *id)
{
	if (!arg)
		return cli_usage(c, N_("Give the record's id"));
	if (!svc_parse_id(arg, id))
		return cli_usage(c, N_("\"%s\" is not an id"), arg);
	return 0;
}

int cli_version(cli *c, const cli_args *a, int64_t *version)
{
	const char *v = cli_opt(a, "if-version");
	*version = 0;
	if (v && !svc_parse_id(v, version))
		return cli_usage(c, N_("--if-version must be a version number"));
	return 0;
}

int cli_stale(cli *c, const cli_args *a, int64_t current)
{
	if (c->err.code == KH_ECONFLICT && !cli_opt(a, "if-version")) {
		err_clear(&c->err);
		return err_set(&c->err, KH_EPRECOND,
		               N_("Give --if-version with the version you saw (now %lld), so "
		                  "that nobody else's change is overwritten"),
		               (long long)current);
	}
	if (c->err.code == KH_ECONFLICT && current > 0) {
		err_clear(&c->err);
		return err_set(&c->err, KH_ECONFLICT,
		               N_("The record was changed by someone else (it is at version %lld "
		                  "now); look at it again and retry"),
		               (long long)current);
	}
	return -1;
}

/* One --field value as JSON of the field's type. */
static json_t *option_json(cli *c, const kh_field *f, const char *v)
{
	switch (f->type) {
	case FT_INT:
	case FT_ID:
	case FT_REF:
	case FT_DEPT: {
		char *end;
		errno = 0;
		long long n = strtoll(v, &end, 10);
		if (!*v || *end || errno)
			break;
		return json_integer(n);
	}
	case FT_MONEY: {
		int64_t fen;
		if (!money_parse_yuan(v, &fen)) {
			err_field(&c->err, f->name,
			          N_("%s must be an amount in yuan like 12,345.60"),
			          field_label(f, c->lang));
			return NULL;
		}
		return json_integer(fen);
	}
	case FT_BOOL: {
		bool b;
		if (!svc_parse_bool(v, &b))
			break;
		return json_boolean(b);
	}
	case FT_USER: {
		int64_t id;
		return svc_parse_id(v, &id) ? json_integer(id) : json_string(v);
	}
	case FT_TAGS: {
		/* "a,b" or "a，b" (the full-width comma of Chinese keyboards) */
		const char *items[64];
		int n = utf8_split_list(&c->a, v, items, 64);
		if (n < 0)
			break;
		json_t *arr = json_array();
		for (int k = 0; k < n; k++)
			json_array_append_new(arr, json_string(items[k]));
		return arr;
	}
	default:
		return json_string(v);
	}
	err_field(&c->err, f->name, N_("%s: \"%s\" is not a valid value"), field_label(f, c->lang),
	          v);
	return NULL;
}

int cli_record(cli *c, const kh_entity *ent, const cli_args *a, const char *const *skip,
               kh_record *out)
{
	json_t *obj = json_object();
	json_t *custom = NULL;
	int before = c->err.nfields;
	for (int i = 0; i < a->nopts; i++) {
		const char *k = a->opts[i].key, *v = a->opts[i].value;
		if (in_list(skip, k))
			continue;
		if (!strcmp(k, "unset")) {
			if (entity_field(ent, v) < 0) {
				err_field(&c->err, v, N_("Unknown field \"%s\""), v);
				c->err.code = KH_EUSAGE;
			} else
				json_object_set_new(obj, v, json_null());
			continue;
		}
		if (!strcmp(k, "custom") && entity_field(ent, "custom") >= 0) {
			const char *eq = strchr(v, '=');
			if (!eq) {
				err_field(&c->err, "custom", N_("Write --custom key=value"));
				continue;
			}
			const char *key = arena_strndup(&c->a, v, (size_t)(eq - v));
			json_t *val;
			if (svc_custom_from_text(&c->s, ent->name, key, eq + 1, &val) < 0)
				continue;
			if (!custom)
				custom = json_object();
			json_object_set_new(custom, key, val);
			continue;
		}
		int f = entity_field(ent, k);
		if (f < 0) {
			err_field(&c->err, k, N_("Unknown option --%s"), k);
			c->err.code = KH_EUSAGE;
			continue;
		}
		json_t *j = option_json(c, &ent->fields[f], v);
		if (j)
			json_object_set_new(obj, k, j);
	}
	if (custom)
		json_object_set_new(obj, "custom", custom);
	int rc = c->err.nfields > before ? -1 : 0;
	if (rc == 0)
		rc = record_from_json(out, ent, obj, NULL, NULL, &c->a, &c->err);
	json_decref(obj);
	return rc;
}

int cli_edit(cli *c, const cli_args *a, const kh_entity *ent,
             int (*get)(svc *s, int64_t id, kh_record *out),
             int (*update)(svc *s, int64_t id, int64_t version, kh_record *patch), int64_t *id)
{
	static const char *const skip[] = {"if-version", NULL};
	int64_t version;
	kh_record cur, patch;
	if (cli_id(c, a->npos ? a->pos[0] : NULL, id) < 0 || get(&c->s, *id, &cur) < 0 ||
	    cli_version(c, a, &version) < 0 || cli_record(c, ent, a, skip, &patch) < 0)
		return -1;
	if (update(&c->s, *id, version, &patch) < 0)
		return cli_stale(c, a, cur.v[F_VERSION].i);
	return 0;
}

const char *cli_password(cli *c, bool from_stdin, const char *prompt)
{
	char line[1024];
	bool tty = isatty(STDIN_FILENO) && !from_stdin;
	struct termios old, quiet;
	if (tty) {
		fprintf(stderr, "%s", tr(c->lang, prompt));
		fflush(stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	}
	char *got = fgets(line, sizeof(line), stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fputc('\n', stderr);
	}
	if (!got) {
		cli_usage(c, N_("No password on standard input"));
		return NULL;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return arena_strdup(&c->a, line);
}
