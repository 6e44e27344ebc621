/*
 * kehu role list | set CODE [--perms a,b,...] [--scope own|own_sub|dept|dept_sub|all]
 */
#include <string.h>

#include "cli/cli.h"
#include "service/render.h"

int cmd_role(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", NULL};
	if (argc < 2 || !strcmp(argv[1], "--help")) {
		cli_say(c, N_("Usage: kehu role list | set CODE --if-version N [--perms a,b] "
			      "[--scope SCOPE]"));
		return 0;
	}
	const char *sub = argv[1];
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, flags, &a) < 0)
		return -1;
	role_row *rows;
	int n;
	if (svc_role_list(&c->s, &rows, &n) < 0)
		return -1;
	if (!strcmp(sub, "list")) {
		const char *h[] = {tr(c->lang, N_("Code")), tr(c->lang, N_("Role")),
				   tr(c->lang, N_("Data scope")), tr(c->lang, N_("Permissions"))};
		const char **cells = arena_calloc(&c->a, (size_t)(4 * (n ? n : 1)), sizeof(char *));
		json_t *all = json_array();
		for (int i = 0; i < n; i++) {
			const role_default *d = role_default_find(rows[i].code);
			cells[i * 4] = rows[i].code;
			cells[i * 4 + 1] = d ? tr(c->lang, d->label) : rows[i].code;
			cells[i * 4 + 2] = scope_label((kh_scope)rows[i].scope, c->lang);
			json_t *p = render_perms(rows[i].perms);
			char *txt = json_dumps(p, JSON_COMPACT);
			cells[i * 4 + 3] = arena_strdup(&c->a, txt);
			free(txt);
			json_array_append_new(all, json_pack("{s:s, s:s, s:o, s:I}", "code",
							     rows[i].code, "scope",
							     scope_code((kh_scope)rows[i].scope),
							     "permissions", p, "version",
							     (json_int_t)rows[i].version));
		}
		if (c->format == OUT_JSON)
			out_json(c, json_pack("{s:o, s:n}", "items", all, "next"));
		else {
			json_decref(all);
			out_table(c, h, 4, cells, n);
		}
		return 0;
	}
	if (!strcmp(sub, "set")) {
		static const char *const allowed[] = {"perms", "scope", "if-version", NULL};
		if (cli_only(c, &a, allowed) < 0)
			return -1;
		if (!a.npos)
			return cli_usage(c, N_("Give the role code"));
		const role_row *cur = NULL;
		for (int i = 0; i < n; i++)
			if (!strcmp(rows[i].code, a.pos[0]))
				cur = &rows[i];
		if (!cur)
			return err_set(&c->err, KH_ENOTFOUND, N_("Unknown role \"%s\""), a.pos[0]);
		uint32_t perms = cur->perms;
		kh_scope scope = (kh_scope)cur->scope;
		const char *pv = cli_opt(&a, "perms");
		if (pv) {
			perms = 0;
			char *copy = arena_strdup(&c->a, pv);
			for (char *p = copy; p && *p;) {
				char *comma = strchr(p, ',');
				if (comma)
					*comma = '\0';
				kh_perm bit;
				if (!perm_parse(p, &bit))
					return cli_usage(c, N_("Unknown permission \"%s\""), p);
				perms |= bit;
				p = comma ? comma + 1 : NULL;
			}
		}
		const char *sv = cli_opt(&a, "scope");
		if (sv && !scope_parse(sv, &scope))
			return cli_usage(c, N_("Data scope must be own, own_sub, dept, dept_sub or all"));
		int64_t version;
		if (cli_version(c, &a, &version) < 0)
			return -1;
		if (svc_role_update(&c->s, a.pos[0], version, perms, scope) < 0)
			return cli_stale(c, &a, cur->version);
		cli_say(c, N_("Role %s saved."), a.pos[0]);
		return 0;
	}
	return cli_usage(c, N_("Unknown subcommand \"%s\""), sub);
}
