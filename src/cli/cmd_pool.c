/*
 * kehu pool list|claim|release|assign|lock|unlock|sweep|events — the
 * customer pool 公海.
 *
 *   list     [--q TEXT] [--FIELD VALUE] [--sort F] [--limit N] [--after CURSOR]
 *   claim    ID [--if-version N]
 *   release  ID [--reason TEXT] [--if-version N]
 *   assign   ID --to USER [--if-version N]
 *   lock | unlock  ID [--if-version N]
 *   sweep    (for cron: return neglected customers by their grade's rule)
 *   events   [--customer ID] [--action A] [--limit N] [--after CURSOR]
 *
 * Without --if-version a move acts on the customer as it is now; its own
 * check (still in the pool, still owned) guards it.
 */
#include <string.h>

#include "cli/cli.h"

static int usage_pool(cli *c)
{
	cli_say(c, N_("Usage: kehu pool list|claim|release|assign|lock|unlock|sweep|events ..."));
	cli_say(c, N_("  list [--q TEXT] [--FIELD VALUE] [--sort -FIELD] [--limit N] [--after "
	              "CURSOR]"));
	cli_say(c, N_("  claim ID | release ID [--reason TEXT] | assign ID --to USER | lock ID | "
	              "unlock ID   (each [--if-version N])"));
	cli_say(c, N_("  sweep | events [--customer ID] [--action claim|release|assign|return]"));
	return 0;
}

static int list(cli *c, cli_args *a)
{
	if (a->npos)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a->pos[0]);
	for (int i = 0; i < a->nopts; i++)
		if (!strcmp(a->opts[i].key, "view"))
			return cli_usage(c, N_("Unknown option --%s"), "view");
	if (a->nopts + 2 > CLI_MAX_ARGS)
		return cli_usage(c, N_("Too many options"));
	a->opts[a->nopts++] = (kv){"view", "pool"};
	bool table = c->format == OUT_TABLE && !cli_opt(a, "fields");
	if (table)
		a->opts[a->nopts++] =
		        (kv){"fields", "code,name,industry,status,grade,previous_owner,pool_since"};
	list_page p;
	if (svc_customer_list(&c->s, a->opts, a->nopts, &p) < 0)
		return -1;
	out_page(c, &p, true);
	return 0;
}

static int events(cli *c, cli_args *a)
{
	if (a->npos)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a->pos[0]);
	int64_t customer = 0;
	kv params[CLI_MAX_ARGS + 1];
	int n = 0;
	for (int i = 0; i < a->nopts; i++) {
		if (strcmp(a->opts[i].key, "customer") != 0)
			params[n++] = a->opts[i];
		else if (cli_id(c, a->opts[i].value, &customer) < 0)
			return -1;
	}
	if (c->format == OUT_TABLE && !cli_opt(a, "fields"))
		params[n++] = (kv){"fields", "created_at,customer_id,action,from_owner,to_owner,"
		                             "reason,created_by"};
	list_page p;
	if (svc_pool_events(&c->s, customer, params, n, &p) < 0)
		return -1;
	out_page(c, &p, false);
	return 0;
}

int cmd_pool(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", NULL};
	if (argc < 2) {
		usage_pool(c);
		return cli_usage(c, N_("Say what to do with the customer pool"));
	}
	if (!strcmp(argv[1], "--help"))
		return usage_pool(c);
	const char *sub = argv[1];
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, flags, &a) < 0)
		return -1;
	if (cli_flag(&a, "help"))
		return usage_pool(c);
	if (!strcmp(sub, "list"))
		return list(c, &a);
	if (!strcmp(sub, "events"))
		return events(c, &a);
	if (!strcmp(sub, "sweep")) {
		if (a.npos || cli_only(c, &a, NULL) < 0)
			return a.npos ? cli_usage(c, N_("Unexpected argument \"%s\""), a.pos[0])
			              : -1;
		int64_t returned;
		if (svc_pool_sweep(&c->s, NULL, &returned) < 0)
			return -1;
		if (c->format == OUT_JSON)
			out_json(c, json_pack("{s:I}", "returned", (json_int_t)returned));
		else
			cli_say(c, N_("%lld customers returned to the pool."), (long long)returned);
		return 0;
	}
	int64_t id, version = -1;
	if (cli_id(c, a.npos ? a.pos[0] : NULL, &id) < 0)
		return -1;
	if (a.npos > 1)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a.pos[1]);
	if (cli_opt(&a, "if-version") && cli_version(c, &a, &version) < 0)
		return -1;
	if (!strcmp(sub, "claim")) {
		static const char *const allowed[] = {"if-version", NULL};
		if (cli_only(c, &a, allowed) < 0 || svc_pool_claim(&c->s, id, version) < 0)
			return -1;
		cli_customer_done(c, id, N_("Customer %lld is yours now."), (long long)id);
		return 0;
	}
	if (!strcmp(sub, "release")) {
		static const char *const allowed[] = {"if-version", "reason", NULL};
		if (cli_only(c, &a, allowed) < 0 ||
		    svc_pool_release(&c->s, id, version, cli_opt(&a, "reason")) < 0)
			return -1;
		cli_customer_done(c, id, N_("Customer %lld is back in the pool."), (long long)id);
		return 0;
	}
	if (!strcmp(sub, "assign")) {
		static const char *const allowed[] = {"if-version", "to", NULL};
		if (cli_only(c, &a, allowed) < 0)
			return -1;
		if (!cli_opt(&a, "to"))
			return cli_usage(c, N_("Say whom to assign it to: --to USER"));
		if (svc_pool_assign(&c->s, id, version, cli_opt(&a, "to")) < 0)
			return -1;
		cli_customer_done(c, id, N_("Customer %lld assigned to %s."), (long long)id,
		                  cli_opt(&a, "to"));
		return 0;
	}
	bool lock = !strcmp(sub, "lock");
	if (lock || !strcmp(sub, "unlock")) {
		static const char *const allowed[] = {"if-version", NULL};
		if (cli_only(c, &a, allowed) < 0 || svc_pool_lock(&c->s, id, version, lock) < 0)
			return -1;
		cli_customer_done(c, id,
		                  lock ? N_("Customer %lld is locked: it never returns to the pool "
		                            "by a rule.")
		                       : N_("Customer %lld is unlocked."),
		                  (long long)id);
		return 0;
	}
	return cli_usage(c, N_("Unknown subcommand \"%s\""), sub);
}
