/*
 * kehu archive suggest|add|restore — the archive 历史库.
 *
 *   suggest  [--FIELD VALUE] [--sort F] [--limit N] [--after CURSOR]
 *            customers lost, or without follow-up or deal for archive_after_months
 *   add      ID... | --suggested   archive them (each call all or nothing)
 *   restore  ID                    bring one back to the customer list
 */
#include <string.h>

#include "cli/cli.h"

static int usage_archive(cli *c)
{
	cli_say(c, N_("Usage: kehu archive suggest [--FIELD VALUE] [--limit N] [--after CURSOR] | "
	              "add ID... | add --suggested | restore ID"));
	return 0;
}

static int suggest(cli *c, cli_args *a)
{
	if (a->npos)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a->pos[0]);
	if (c->format == OUT_TABLE && !cli_opt(a, "fields")) {
		if (a->nopts == CLI_MAX_ARGS)
			return cli_usage(c, N_("Too many options"));
		a->opts[a->nopts++] = (kv){"fields", "code,name,status,owner,first_contact_date,"
		                                     "last_followup_date,last_deal_date"};
	}
	list_page p;
	if (svc_archive_suggestions(&c->s, a->opts, a->nopts, &p) < 0)
		return -1;
	out_page(c, &p, false);
	return 0;
}

/* Archive every suggested customer, a page (one transaction) at a time. */
static int add_suggested(cli *c, int64_t *total)
{
	char limit[16];
	snprintf(limit, sizeof(limit), "%d", ARCHIVE_MAX_IDS);
	for (;;) {
		/* archived ones leave the suggestions: the first page is always the next */
		kv params[] = {{"limit", limit}, {"fields", "id"}};
		list_page p;
		if (svc_archive_suggestions(&c->s, params, 2, &p) < 0)
			return -1;
		if (p.n == 0)
			return 0;
		int64_t *ids = arena_calloc(&c->a, (size_t)p.n, sizeof(int64_t));
		for (int i = 0; i < p.n; i++)
			ids[i] = p.rows[i].v[F_ID].i;
		if (svc_archive_bulk(&c->s, ids, p.n) < 0)
			return -1;
		*total += p.n;
		if (!p.next)
			return 0;
	}
}

static int add(cli *c, cli_args *a)
{
	static const char *const allowed[] = {"suggested", NULL};
	if (cli_only(c, a, allowed) < 0)
		return -1;
	int64_t total = 0;
	if (cli_flag(a, "suggested")) {
		if (a->npos)
			return cli_usage(c, N_("Give ids or --suggested, not both"));
		if (add_suggested(c, &total) < 0)
			return -1;
	} else {
		if (!a->npos)
			return cli_usage(c, N_("Give the ids of the customers to archive, or "
			                       "--suggested"));
		int64_t ids[CLI_MAX_ARGS];
		for (int i = 0; i < a->npos; i++)
			if (cli_id(c, a->pos[i], &ids[i]) < 0)
				return -1;
		if (svc_archive_bulk(&c->s, ids, a->npos) < 0)
			return -1;
		total = a->npos;
	}
	cli_say(c, N_("%lld customers moved to the archive."), (long long)total);
	return 0;
}

static int restore(cli *c, cli_args *a)
{
	if (cli_only(c, a, NULL) < 0)
		return -1;
	int64_t id;
	if (cli_id(c, a->npos ? a->pos[0] : NULL, &id) < 0)
		return -1;
	if (a->npos > 1)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a->pos[1]);
	/* one action: the customer as it is now comes back (nothing else changes) */
	kh_record now;
	if (svc_customer_get(&c->s, id, false, &now, NULL, NULL) < 0 ||
	    svc_customer_archive(&c->s, id, now.v[F_VERSION].i, false) < 0)
		return -1;
	cli_customer_done(c, id, N_("Customer %lld is back from the archive."), (long long)id);
	return 0;
}

int cmd_archive(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", "suggested", NULL};
	if (argc < 2) {
		usage_archive(c);
		return cli_usage(c, N_("Say what to do with the archive"));
	}
	if (!strcmp(argv[1], "--help"))
		return usage_archive(c);
	const char *sub = argv[1];
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, flags, &a) < 0)
		return -1;
	if (cli_flag(&a, "help"))
		return usage_archive(c);
	if (!strcmp(sub, "suggest"))
		return suggest(c, &a);
	if (!strcmp(sub, "add"))
		return add(c, &a);
	if (!strcmp(sub, "restore"))
		return restore(c, &a);
	return cli_usage(c, N_("Unknown subcommand \"%s\""), sub);
}
