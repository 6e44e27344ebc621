/*
 * kehu dept list | add NAME [--parent ID] [--code_prefix XS] [--manager USER]
 *          | edit ID --if-version N [--FIELD VALUE ...] | rm ID --if-version N
 */
#include <string.h>

#include "cli/cli.h"
#include "core/org.h"

int cmd_dept(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", NULL};
	if (argc < 2 || !strcmp(argv[1], "--help")) {
		cli_say(c, N_("Usage: kehu dept list | add NAME [--parent ID] [--code_prefix XS] "
			      "[--manager USER] | edit ID --if-version N [--FIELD VALUE] | rm ID "
			      "--if-version N"));
		return 0;
	}
	const char *sub = argv[1];
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, flags, &a) < 0)
		return -1;
	if (!strcmp(sub, "list")) {
		kh_record *rows;
		int n;
		if (svc_dept_list(&c->s, &rows, &n) < 0)
			return -1;
		out_records(c, rows, n, NULL, 0);
		return 0;
	}
	if (!strcmp(sub, "add")) {
		if (!a.npos)
			return cli_usage(c, N_("Give the department name"));
		kh_record r;
		int64_t id;
		if (cli_record(c, &department_entity, &a, NULL, &r) < 0)
			return -1;
		record_set_text(&r, DF_NAME, a.pos[0]);
		if (svc_dept_create(&c->s, &r, &id) < 0)
			return -1;
		cli_say(c, N_("Added department %lld."), (long long)id);
		return 0;
	}
	int64_t id, version;
	kh_record cur;
	if (cli_id(c, a.npos ? a.pos[0] : NULL, &id) < 0 || svc_dept_get(&c->s, id, &cur) < 0 ||
	    cli_version(c, &a, &version) < 0)
		return -1;
	if (!strcmp(sub, "edit")) {
		static const char *const skip[] = {"if-version", NULL};
		kh_record patch;
		if (cli_record(c, &department_entity, &a, skip, &patch) < 0)
			return -1;
		if (svc_dept_update(&c->s, id, version, &patch) < 0)
			return cli_stale(c, &a, cur.v[F_VERSION].i);
		cli_say(c, N_("Department %lld saved."), (long long)id);
		return 0;
	}
	if (!strcmp(sub, "rm")) {
		static const char *const allowed[] = {"if-version", NULL};
		if (cli_only(c, &a, allowed) < 0)
			return -1;
		if (svc_dept_delete(&c->s, id, version) < 0)
			return cli_stale(c, &a, cur.v[F_VERSION].i);
		cli_say(c, N_("Department %lld deleted."), (long long)id);
		return 0;
	}
	return cli_usage(c, N_("Unknown subcommand \"%s\""), sub);
}
