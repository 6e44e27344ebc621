/*
 * kehu role list | set CODE --if-version N [--perms a,b,...] [--scope own|own_sub|dept|dept_sub|all]
 */
#include <string.h>

#include "cli/cli.h"
#include "service/render.h"
#include "util/utf8.h"

static int usage_role(cli *c)
{
	cli_say(c, N_("Usage: kehu role list | set CODE --if-version N [--perms a,b] "
		      "[--scope SCOPE]"));
	return 0;
}

static int list(cli *c)
{
	role_row *rows;
	int n;
	if (svc_role_list(&c->s, &rows, &n) < 0)
		return -1;
	if (c->format == OUT_JSON) {
		json_t *items = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(items, render_role(&rows[i]));
		out_json(c, json_pack("{s:o, s:n}", "items", items, "next"));
		return 0;
	}
	const char *h[] = {tr(c->lang, N_("Code")), tr(c->lang, N_("Role")),
			   tr(c->lang, N_("Data scope")), tr(c->lang, N_("Permissions")),
			   tr(c->lang, N_("Version"))};
	const char **cells = arena_calloc(&c->a, (size_t)(5 * (n ? n : 1)), sizeof(char *));
	for (int i = 0; i < n; i++) {
		const role_default *d = role_default_find(rows[i].code);
		json_t *p = render_perms(rows[i].perms);
		char *txt = json_dumps(p, JSON_COMPACT);
		json_decref(p);
		cells[i * 5] = rows[i].code;
		cells[i * 5 + 1] = d ? tr(c->lang, d->label) : rows[i].code;
		cells[i * 5 + 2] = scope_label((kh_scope)rows[i].scope, c->lang);
		cells[i * 5 + 3] = arena_strdup(&c->a, txt);
		cells[i * 5 + 4] = arena_printf(&c->a, "%lld", (long long)rows[i].version);
		free(txt);
	}
	out_table(c, h, 5, cells, n);
	return 0;
}

int cmd_role(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", NULL};
	if (argc < 2) {
		usage_role(c);
		return cli_usage(c, N_("Say what to do with roles"));
	}
	if (!strcmp(argv[1], "--help"))
		return usage_role(c);
	const char *sub = argv[1];
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, flags, &a) < 0)
		return -1;
	if (!strcmp(sub, "list"))
		return cli_only(c, &a, NULL) < 0 ? -1 : list(c);
	if (strcmp(sub, "set") != 0)
		return cli_usage(c, N_("Unknown subcommand \"%s\""), sub);
	static const char *const allowed[] = {"perms", "scope", "if-version", NULL};
	if (cli_only(c, &a, allowed) < 0)
		return -1;
	if (!a.npos)
		return cli_usage(c, N_("Give the role code"));
	const char *names[64];
	int n = 0;
	const char *pv = cli_opt(&a, "perms");
	if (pv && (n = utf8_split_list(&c->a, pv, names, 64)) < 0)
		return cli_usage(c, N_("Too many permissions"));
	int64_t version;
	role_row cur;
	if (cli_version(c, &a, &version) < 0 || svc_role_get(&c->s, a.pos[0], &cur) < 0)
		return -1;
	if (svc_role_patch(&c->s, a.pos[0], version, pv ? names : NULL, n, cli_opt(&a, "scope"),
			   NULL) < 0)
		return cli_stale(c, &a, cur.version);
	cli_say(c, N_("Role %s saved."), a.pos[0]);
	return 0;
}
