/*
 * kehu token create --name NAME [--days N] [--user USERNAME] | list | revoke ID
 * The token is printed once; scripts send it as "Authorization: Bearer".
 */
#include <string.h>

#include "cli/cli.h"
#include "core/org.h"

int cmd_token(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", NULL};
	if (argc < 2) {
		cli_say(c, N_("Usage: kehu token create --name NAME [--days N] [--user USERNAME] | "
			      "list | revoke ID"));
		return cli_usage(c, N_("Say what to do with API tokens"));
	}
	if (!strcmp(argv[1], "--help")) {
		cli_say(c, N_("Usage: kehu token create --name NAME [--days N] [--user USERNAME] | "
			      "list | revoke ID"));
		return 0;
	}
	const char *sub = argv[1];
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, flags, &a) < 0)
		return -1;
	if (!strcmp(sub, "create")) {
		static const char *const allowed[] = {"name", "days", "user", NULL};
		if (cli_only(c, &a, allowed) < 0)
			return -1;
		int64_t days = 0, id;
		const char *d = cli_opt(&a, "days");
		if (d && strcmp(d, "0") != 0 && !svc_parse_id(d, &days))
			return cli_usage(c, N_("--days must be a number of days (0: no expiry)"));
		const char *token;
		if (svc_token_create(&c->s, cli_opt(&a, "name"), (int)days, cli_opt(&a, "user"),
				     &token, &id) < 0)
			return -1;
		if (c->format == OUT_JSON) {
			out_json(c, json_pack("{s:I, s:s}", "id", (json_int_t)id, "token", token));
			return 0;
		}
		fprintf(c->out, "%s\n", token);
		fprintf(stderr, "%s\n",
			tr(c->lang, N_("This token is shown only once; keep it like a password.")));
		return 0;
	}
	if (!strcmp(sub, "list")) {
		token_row *rows;
		int n;
		kh_record *users;
		int nusers;
		if (svc_token_list(&c->s, &rows, &n) < 0 || svc_user_list(&c->s, &users, &nusers) < 0)
			return -1;
		if (c->format == OUT_JSON) {
			json_t *items = json_array();
			for (int i = 0; i < n; i++)
				json_array_append_new(
					items, json_pack("{s:I, s:I, s:s, s:s, s:s?, s:s?}", "id",
							 (json_int_t)rows[i].id, "user_id",
							 (json_int_t)rows[i].user_id, "name", rows[i].name,
							 "created_at", rows[i].created_at, "expires_at",
							 rows[i].expires_at, "last_used_at",
							 rows[i].last_used_at));
			out_json(c, json_pack("{s:o, s:n}", "items", items, "next"));
			return 0;
		}
		const char *h[] = {"ID", tr(c->lang, N_("Token name")), tr(c->lang, N_("User")),
				   tr(c->lang, N_("Created at")), tr(c->lang, N_("Expires at")),
				   tr(c->lang, N_("Last used at"))};
		const char **cells = arena_calloc(&c->a, (size_t)(6 * (n ? n : 1)), sizeof(char *));
		for (int i = 0; i < n; i++) {
			cells[i * 6] = arena_printf(&c->a, "%lld", (long long)rows[i].id);
			cells[i * 6 + 1] = rows[i].name;
			cells[i * 6 + 2] = arena_printf(&c->a, "#%lld", (long long)rows[i].user_id);
			for (int u = 0; u < nusers; u++)
				if (users[u].v[F_ID].i == rows[i].user_id)
					cells[i * 6 + 2] = users[u].v[UF_USERNAME].s;
			cells[i * 6 + 3] = rows[i].created_at;
			cells[i * 6 + 4] = rows[i].expires_at;
			cells[i * 6 + 5] = rows[i].last_used_at;
		}
		out_table(c, h, 6, cells, n);
		return 0;
	}
	if (!strcmp(sub, "revoke")) {
		int64_t id;
		if (cli_id(c, a.npos ? a.pos[0] : NULL, &id) < 0 || svc_token_revoke(&c->s, id) < 0)
			return -1;
		cli_say(c, N_("Token %lld revoked."), (long long)id);
		return 0;
	}
	return cli_usage(c, N_("Unknown subcommand \"%s\""), sub);
}
