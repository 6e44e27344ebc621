/*
 * kehu followup|order ... — the records kept around a customer, one command
 * per record kind (the kind is the command's data in the table of cli.c):
 *
 *   add      --customer ID --FIELD VALUE ...
 *   list     [--customer ID] [--FIELD VALUE (filters)] [--sort F] [--limit N] [--after CURSOR]
 *            [--view deleted]
 *   show     ID
 *   edit     ID --if-version N [--FIELD VALUE ...] [--unset FIELD]
 *   rm       ID --if-version N
 *   restore  ID --if-version N
 */
#include <string.h>

#include "cli/cli.h"

static const record_kind *kind(cli *c)
{
	return c->cmd_data;
}

/* The usage line and the fields one may give, with their labels. */
static int usage_record(cli *c, const char *name)
{
	const kh_entity *ent = kind(c)->ent;
	const char *cust = ent->fields[kind(c)->customer_field].name;
	fprintf(c->out,
	        tr(c->lang,
	           N_("Usage: kehu %s add --customer ID --FIELD VALUE ... | list [--customer "
	              "ID] [--FIELD VALUE] | show ID | edit ID --if-version N [--FIELD "
	              "VALUE] | rm ID --if-version N | restore ID --if-version N")),
	        name);
	fprintf(c->out, "\n\n%s\n", tr(c->lang, N_("Fields (* required):")));
	for (int i = F_NSYSTEM; i < ent->nfields; i++) {
		const kh_field *f = &ent->fields[i];
		if (!strcmp(f->name, cust) || (f->flags & FF_DERIVED))
			continue;
		fprintf(c->out, "  --%-16s %s%s\n", f->name, field_label(f, c->lang),
		        (f->flags & FF_REQUIRED) ? " *" : "");
	}
	return 0;
}

/* A refused change: say --if-version is needed, naming the current version. */
static int failed(cli *c, const cli_args *a, int64_t id)
{
	kh_record r;
	kh_err saved = c->err;
	err_clear(&c->err);
	int64_t v = svc_record_get(&c->s, kind(c), id, &r) == 0 ? r.v[F_VERSION].i : 0;
	c->err = saved;
	return cli_stale(c, a, v);
}

/* With --format json, the record as saved (what a script reads next). */
static int saved_json(cli *c, int64_t id)
{
	kh_record r;
	if (svc_record_get(&c->s, kind(c), id, &r) < 0)
		return -1;
	out_record(c, &r, NULL);
	return 0;
}

static int add(cli *c, const cli_args *a)
{
	static const char *const skip[] = {"customer", NULL};
	if (a->npos)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a->pos[0]);
	int64_t customer;
	kh_record r;
	if (cli_id(c, cli_opt(a, "customer"), &customer) < 0 ||
	    cli_record(c, kind(c)->ent, a, skip, &r) < 0)
		return -1;
	record_set_int(&r, kind(c)->customer_field, customer);
	int64_t id;
	if (svc_record_create(&c->s, kind(c), &r, &id) < 0)
		return -1;
	if (c->format == OUT_JSON)
		return saved_json(c, id);
	cli_say(c, N_("Created %s %lld."), tr(c->lang, kind(c)->ent->label), (long long)id);
	return 0;
}

static int list(cli *c, const cli_args *a)
{
	if (a->npos)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a->pos[0]);
	int64_t customer = 0;
	const char *cv = cli_opt(a, "customer");
	if (cv && cli_id(c, cv, &customer) < 0)
		return -1;
	kv params[CLI_MAX_ARGS];
	int n = 0;
	for (int i = 0; i < a->nopts; i++)
		if (strcmp(a->opts[i].key, "customer") != 0)
			params[n++] = a->opts[i];
	list_page p;
	if (svc_record_list(&c->s, kind(c), customer, params, n, &p) < 0)
		return -1;
	out_page(c, &p, false);
	return 0;
}

int cmd_record(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", NULL};
	if (argc < 2 || !strcmp(argv[1], "--help")) {
		usage_record(c, argv[0]);
		return argc < 2 ? cli_usage(c, N_("Say what to do")) : 0;
	}
	const char *sub = argv[1];
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, flags, &a) < 0)
		return -1;
	if (!strcmp(sub, "add"))
		return add(c, &a);
	if (!strcmp(sub, "list"))
		return list(c, &a);
	int64_t id;
	if (cli_id(c, a.npos ? a.pos[0] : NULL, &id) < 0)
		return -1;
	if (a.npos > 1)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a.pos[1]);
	const char *label = tr(c->lang, kind(c)->ent->label);
	if (!strcmp(sub, "show")) {
		kh_record r;
		if (cli_only(c, &a, NULL) < 0 || svc_record_get(&c->s, kind(c), id, &r) < 0)
			return -1;
		out_record(c, &r, NULL);
		return 0;
	}
	int64_t version;
	if (!strcmp(sub, "edit")) {
		static const char *const skip[] = {"if-version", NULL};
		kh_record patch;
		if (cli_version(c, &a, &version) < 0 ||
		    cli_record(c, kind(c)->ent, &a, skip, &patch) < 0)
			return -1;
		if (svc_record_update(&c->s, kind(c), id, version, &patch) < 0)
			return failed(c, &a, id);
		if (c->format == OUT_JSON)
			return saved_json(c, id);
		cli_say(c, N_("%s %lld saved."), label, (long long)id);
		return 0;
	}
	bool rm = !strcmp(sub, "rm");
	if (rm || !strcmp(sub, "restore")) {
		static const char *const allowed[] = {"if-version", NULL};
		if (cli_only(c, &a, allowed) < 0 || cli_version(c, &a, &version) < 0)
			return -1;
		if ((rm ? svc_record_delete : svc_record_restore)(&c->s, kind(c), id, version) < 0)
			return failed(c, &a, id);
		if (!rm && c->format == OUT_JSON)
			return saved_json(c, id);
		cli_say(c, rm ? N_("%s %lld deleted.") : N_("%s %lld restored."), label,
		        (long long)id);
		return 0;
	}
	return cli_usage(c, N_("Unknown subcommand \"%s\""), sub);
}
