/*
 * kehu init [--admin-password-stdin] — create the database (schema,
 * roles, dictionaries, head office) and the "admin" account. A generated
 * password is printed once; run again, it changes nothing.
 */
#include "cli/cli.h"

int cmd_init(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"admin-password-stdin", "help", NULL};
	cli_args a;
	if (cli_parse(c, argc, argv, flags, &a) < 0 || cli_only(c, &a, flags) < 0)
		return -1;
	if (cli_flag(&a, "help")) {
		cli_say(c, N_("Usage: kehu init [--admin-password-stdin]"));
		return 0;
	}
	const char *pw = NULL;
	if (cli_flag(&a, "admin-password-stdin") &&
	    !(pw = cli_password(c, true, N_("Administrator password: "))))
		return -1;
	const char *generated;
	if (svc_bootstrap(&c->s, pw, &generated) < 0)
		return -1;
	cli_say(c, N_("Database ready: %s"), store_url_redacted(&c->a, c->db_url));
	if (generated)
		cli_say(c, N_("Administrator: admin, password: %s (shown only this once)"),
			generated);
	return 0;
}
