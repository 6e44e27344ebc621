/*
 * kehu user add|list|show|edit|passwd|disable|enable
 *
 *   add USERNAME --display_name NAME --role ROLE [--department ID] [--supervisor USER]
 *       [--scope own|own_sub|dept|dept_sub|all] [--password-stdin]
 *   list | show USERNAME
 *   edit USERNAME --if-version N [--FIELD VALUE ...]
 *   passwd USERNAME [--password-stdin]
 *   disable USERNAME | enable USERNAME
 *
 * Passwords are never arguments: a prompt, or the first line of stdin.
 */
#include <string.h>

#include "cli/cli.h"
#include "core/org.h"

static int usage_user(cli *c)
{
	cli_say(c, N_("Usage: kehu user add USERNAME --display_name NAME --role ROLE "
		      "[--department ID] [--supervisor USER] [--scope SCOPE] [--password-stdin] | "
		      "list | show USERNAME | edit USERNAME --if-version N [--FIELD VALUE] | "
		      "passwd USERNAME [--password-stdin] | disable USERNAME | enable USERNAME"));
	return 0;
}

static int find_user(cli *c, const char *name, kh_record *out)
{
	kh_record *rows;
	int n;
	if (!name)
		return cli_usage(c, N_("Give the username"));
	if (svc_user_list(&c->s, &rows, &n) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (!strcmp(rows[i].v[UF_USERNAME].s, name))
			return svc_user_get(&c->s, rows[i].v[F_ID].i, out);
	return err_set(&c->err, KH_ENOTFOUND, N_("No such user: %s"), name);
}

static int set_disabled(cli *c, const char *name, bool disabled)
{
	kh_record u, patch;
	if (find_user(c, name, &u) < 0)
		return -1;
	record_init(&patch, &user_entity, &c->a);
	record_set_int(&patch, UF_DISABLED, disabled);
	if (svc_user_update(&c->s, u.v[F_ID].i, u.v[F_VERSION].i, &patch) < 0)
		return -1;
	cli_say(c, disabled ? N_("User %s disabled; their sessions have ended.")
			    : N_("User %s enabled."),
		name);
	return 0;
}

int cmd_user(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", "password-stdin", NULL};
	if (argc < 2) {
		usage_user(c);
		return cli_usage(c, N_("Say what to do with users"));
	}
	if (!strcmp(argv[1], "--help"))
		return usage_user(c);
	const char *sub = argv[1];
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, flags, &a) < 0)
		return -1;
	const char *name = a.npos ? a.pos[0] : NULL;
	/* each subcommand takes only its own options */
	static const char *const none[] = {NULL};
	static const char *const pw_only[] = {"password-stdin", NULL};
	if ((!strcmp(sub, "list") || !strcmp(sub, "show") || !strcmp(sub, "disable") ||
	     !strcmp(sub, "enable")) &&
	    cli_only(c, &a, none) < 0)
		return -1;
	if (!strcmp(sub, "passwd") && cli_only(c, &a, pw_only) < 0)
		return -1;
	if (!strcmp(sub, "list")) {
		kh_record *rows;
		int n;
		if (svc_user_list(&c->s, &rows, &n) < 0)
			return -1;
		static const int cols[] = {F_ID, UF_USERNAME, UF_DISPLAY_NAME, UF_ROLE,
					   UF_DEPARTMENT, UF_SUPERVISOR, UF_SCOPE, UF_DISABLED};
		out_records(c, rows, n, cols, 8);
		return 0;
	}
	if (!strcmp(sub, "add")) {
		static const char *const skip[] = {"password-stdin", NULL};
		if (!name)
			return cli_usage(c, N_("Give the username"));
		kh_record u;
		if (cli_record(c, &user_entity, &a, skip, &u) < 0)
			return -1;
		record_set_text(&u, UF_USERNAME, name);
		const char *pw = NULL;
		if (cli_flag(&a, "password-stdin") &&
		    !(pw = cli_password(c, true, N_("Password: "))))
			return -1;
		const char *generated;
		int64_t id;
		if (svc_user_create(&c->s, &u, pw, &generated, &id) < 0)
			return -1;
		cli_say(c, N_("Created user %s (id %lld)."), name, (long long)id);
		if (generated)
			cli_say(c, N_("Password: %s (shown only this once)"), generated);
		return 0;
	}
	kh_record u;
	if (find_user(c, name, &u) < 0)
		return -1;
	int64_t id = u.v[F_ID].i;
	if (!strcmp(sub, "show")) {
		out_record(c, &u, NULL);
		return 0;
	}
	if (!strcmp(sub, "edit")) {
		static const char *const skip[] = {"if-version", NULL};
		int64_t version;
		kh_record patch;
		if (cli_version(c, &a, &version) < 0 ||
		    cli_record(c, &user_entity, &a, skip, &patch) < 0)
			return -1;
		if (svc_user_update(&c->s, id, version, &patch) < 0)
			return cli_stale(c, &a, u.v[F_VERSION].i);
		cli_say(c, N_("User %s saved."), name);
		return 0;
	}
	if (!strcmp(sub, "passwd")) {
		const char *pw = cli_password(c, cli_flag(&a, "password-stdin"), N_("New password: "));
		if (!pw || svc_user_password(&c->s, id, NULL, pw) < 0)
			return -1;
		cli_say(c, N_("Password of %s changed; their sessions have ended."), name);
		return 0;
	}
	if (!strcmp(sub, "disable"))
		return set_disabled(c, name, true);
	if (!strcmp(sub, "enable"))
		return set_disabled(c, name, false);
	return cli_usage(c, N_("Unknown subcommand \"%s\""), sub);
}
