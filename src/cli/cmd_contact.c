/*
 * kehu contact add|list|show|edit|rm
 *
 *   add   --customer ID --name N --phone P [--position X] [--email E] [--primary true]
 *   list  [--customer ID] [--q NAME] [--limit N] [--after CURSOR]
 *   show  ID
 *   edit  ID --if-version N [--FIELD VALUE ...]
 *   rm    ID --if-version N
 */
#include <string.h>

#include "cli/cli.h"

static int usage_contact(cli *c)
{
	cli_say(c, N_("Usage: kehu contact add --customer ID --name N --phone P [--FIELD VALUE] | "
		      "list [--customer ID] [--q NAME] | show ID | edit ID --if-version N "
		      "[--FIELD VALUE] | rm ID --if-version N"));
	return 0;
}

/* A refused change: say --if-version is needed, naming the current version. */
static int failed(cli *c, const cli_args *a, int64_t id)
{
	kh_record r;
	kh_err saved = c->err;
	err_clear(&c->err);
	int64_t v = svc_contact_get(&c->s, id, &r) == 0 ? r.v[F_VERSION].i : 0;
	c->err = saved;
	return cli_stale(c, a, v);
}

int cmd_contact(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", NULL};
	if (argc < 2) {
		usage_contact(c);
		return cli_usage(c, N_("Say what to do with contacts"));
	}
	if (!strcmp(argv[1], "--help"))
		return usage_contact(c);
	const char *sub = argv[1];
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, flags, &a) < 0)
		return -1;
	if (!strcmp(sub, "add")) {
		int64_t customer;
		if (a.npos)
			return cli_usage(c, N_("Unexpected argument \"%s\""), a.pos[0]);
		static const char *const skip[] = {"customer", NULL};
		if (cli_id(c, cli_opt(&a, "customer"), &customer) < 0)
			return -1;
		kh_record k;
		int64_t id;
		if (cli_record(c, &contact_entity, &a, skip, &k) < 0 ||
		    svc_contact_create(&c->s, customer, &k, &id) < 0)
			return -1;
		cli_say(c, N_("Created contact %lld."), (long long)id);
		return 0;
	}
	if (!strcmp(sub, "list")) {
		int64_t customer = 0;
		const char *cv = cli_opt(&a, "customer");
		if (cv && cli_id(c, cv, &customer) < 0)
			return -1;
		kv params[CLI_MAX_ARGS];
		int n = 0;
		for (int i = 0; i < a.nopts; i++)
			if (strcmp(a.opts[i].key, "customer") != 0)
				params[n++] = a.opts[i];
		list_page p;
		if (svc_contact_list(&c->s, customer, params, n, &p) < 0)
			return -1;
		out_page(c, &p, false);
		return 0;
	}
	int64_t id;
	if (cli_id(c, a.npos ? a.pos[0] : NULL, &id) < 0)
		return -1;
	if (!strcmp(sub, "show")) {
		if (cli_only(c, &a, NULL) < 0)
			return -1;
		kh_record k;
		if (svc_contact_get(&c->s, id, &k) < 0)
			return -1;
		out_record(c, &k, NULL);
		return 0;
	}
	int64_t version;
	if (!strcmp(sub, "edit")) {
		static const char *const skip[] = {"if-version", NULL};
		kh_record patch;
		if (cli_version(c, &a, &version) < 0 ||
		    cli_record(c, &contact_entity, &a, skip, &patch) < 0)
			return -1;
		if (svc_contact_update(&c->s, id, version, &patch) < 0)
			return failed(c, &a, id);
		cli_say(c, N_("Contact %lld saved."), (long long)id);
		return 0;
	}
	if (!strcmp(sub, "rm")) {
		static const char *const allowed[] = {"if-version", NULL};
		if (cli_only(c, &a, allowed) < 0 || cli_version(c, &a, &version) < 0)
			return -1;
		if (svc_contact_delete(&c->s, id, version) < 0)
			return failed(c, &a, id);
		cli_say(c, N_("Contact %lld deleted."), (long long)id);
		return 0;
	}
	return cli_usage(c, N_("Unknown subcommand \"%s\""), sub);
}
