/*
 * kehu demo [--customers N] [--seed S] — add a demo organisation and N
 * realistic customers (default 2000) with their follow-ups, orders, opportunities,
 * tickets, visits, evaluations, requests, and some of them in the pool.
 */
#include <stdlib.h>

#include "cli/cli.h"

static void progress(long done, long total, void *ud)
{
	(void)ud;
	if (total >= 20000 && (done % 50000 == 0 || done == total))
		fprintf(stderr, "\r%ld / %ld", done, total);
	if (total >= 20000 && done == total)
		fputc('\n', stderr);
}

int cmd_demo(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", NULL};
	static const char *const allowed[] = {"customers", "seed", "help", NULL};
	cli_args a;
	if (cli_parse(c, argc, argv, flags, &a) < 0 || cli_only(c, &a, allowed) < 0)
		return -1;
	if (cli_flag(&a, "help")) {
		cli_say(c, N_("Usage: kehu demo [--customers N] [--seed S]"));
		return 0;
	}
	int64_t n = 2000, seed = 0;
	const char *v = cli_opt(&a, "customers");
	if (v && (!svc_parse_id(v, &n) || n > 10000000))
		return cli_usage(c, N_("--customers must be 1 to 10000000"));
	v = cli_opt(&a, "seed");
	if (v && !svc_parse_id(v, &seed))
		return cli_usage(c, N_("--seed must be a positive number"));
	demo_result res;
	if (svc_demo(&c->s, n, (unsigned)seed, &res, progress, NULL) < 0)
		return -1;
	cli_say(c, N_("Added %lld demo customers with %ld follow-ups and %ld orders."),
	        (long long)n, res.followups, res.orders);
	cli_say(c, N_("Opportunities: %ld (%ld won, each with its order; %ld lost)."),
	        res.opportunities, res.won, res.lost);
	cli_say(c, N_("Service tickets: %ld (%ld complaints; %ld resolved)."), res.tickets,
	        res.complaints, res.resolved);
	cli_say(c, N_("Visit plans: %ld; visits: %ld."), res.visit_plans, res.visits);
	cli_say(c, N_("Relationship evaluations: %ld; countermeasures: %ld."), res.evaluations,
	        res.countermeasures);
	cli_say(c, N_("Requests: %ld (%ld waiting for approval)."), res.requests, res.pending);
	cli_say(c, N_("Customers in the pool: %ld."), res.pooled);
	const char *pw = res.password;
	if (pw)
		cli_say(c,
		        N_("Demo users (zhangwei manager, lina/wangfang/liuyang/chenjing/yangfan "
		           "sales, zhaolei service, sunli finance, zhoumin viewer) have the "
		           "password: %s"),
		        pw);
	else
		cli_say(c, N_("The demo users existed already; their passwords are unchanged."));
	return 0;
}
