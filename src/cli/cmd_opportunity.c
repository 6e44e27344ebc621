/*
 * kehu opportunity ... — the generic record commands (cmd_record.c) plus
 *
 *   win ID --if-version N [--order] [--FIELD VALUE (of the order)]
 *
 * which marks the opportunity won and, with --order or any order field, makes
 * its order in the same step (amount, product and owner from the opportunity
 * unless given; dated today unless --date).
 */
#include <string.h>

#include "cli/cli.h"
#include "core/activity.h"

static int win(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"order", NULL};
	static const char *const skip[] = {"if-version", "order", NULL};
	cli_args a;
	int64_t id, version;
	if (cli_parse(c, argc, argv, flags, &a) < 0 ||
	    cli_id(c, a.npos ? a.pos[0] : NULL, &id) < 0 || cli_version(c, &a, &version) < 0)
		return -1;
	if (a.npos > 1)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a.pos[1]);
	kh_record order;
	if (cli_record(c, &order_entity, &a, skip, &order) < 0)
		return -1;
	bool with_order = cli_flag(&a, "order");
	for (int i = 0; i < a.nopts; i++)
		with_order |= strcmp(a.opts[i].key, "if-version") != 0;
	int64_t order_id;
	if (svc_opportunity_win(&c->s, id, version, with_order ? &order : NULL, &order_id) < 0)
		return cli_record_failed(c, &opportunity_kind, &a, id);
	if (c->format == OUT_JSON)
		return cli_record_done(c, &opportunity_kind, id, NULL);
	if (order_id)
		cli_say(c, N_("Opportunity %lld won; order %lld made."), (long long)id,
		        (long long)order_id);
	else
		cli_say(c, N_("Opportunity %lld won."), (long long)id);
	return 0;
}

int cmd_opportunity(cli *c, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "win"))
		return win(c, argc - 1, argv + 1);
	int rc = cmd_record(c, argc, argv);
	if (argc < 2 || !strcmp(argv[1], "--help"))
		fprintf(c->out, "\n%s\n",
		        tr(c->lang, N_("  win ID --if-version N [--order] [--FIELD VALUE of the "
		                       "order]: won; with --order or order fields, its order is "
		                       "made in the same step")));
	return rc;
}
