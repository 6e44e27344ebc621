/*
 * kehu migrate — bring the database schema up to date.
 */
#include "cli/cli.h"

int cmd_migrate(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", NULL};
	cli_args a;
	if (cli_parse(c, argc, argv, flags, &a) < 0 || cli_only(c, &a, flags) < 0)
		return -1;
	if (cli_flag(&a, "help")) {
		cli_say(c, N_("Usage: kehu migrate"));
		return 0;
	}
	int applied;
	if (store_migrate(c->db, &applied, &c->err) < 0)
		return -1;
	int v;
	if (store_schema_version(c->db, &v, &c->err) < 0)
		return -1;
	cli_say(c, N_("Schema version %d (%d migrations applied now)."), v, applied);
	return 0;
}
