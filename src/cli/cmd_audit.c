/*
 * kehu audit [--entity E] [--entity_id N] [--user U] [--action A] [--from D] [--to D]
 *            [--limit N] [--after CURSOR]
 */
#include <string.h>

#include "cli/cli.h"
#include "service/render.h"

int cmd_audit(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", NULL};
	cli_args a;
	if (cli_parse(c, argc, argv, flags, &a) < 0)
		return -1;
	if (cli_flag(&a, "help")) {
		cli_say(c,
		        N_("Usage: kehu audit [--entity E] [--entity_id N] [--user U] "
		           "[--action A] [--from DATE] [--to DATE] [--limit N] [--after CURSOR]"));
		return 0;
	}
	audit_row *rows;
	int n;
	const char *next;
	if (svc_audit_list(&c->s, a.opts, a.nopts, &rows, &n, &next) < 0)
		return -1;
	if (c->format == OUT_JSON) {
		json_t *items = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(items, render_audit(&rows[i]));
		out_json(c, json_pack("{s:o, s:s?}", "items", items, "next", next));
		return 0;
	}
	const char *h[] = {"ID",
	                   tr(c->lang, N_("Time")),
	                   tr(c->lang, N_("User")),
	                   tr(c->lang, N_("From")),
	                   tr(c->lang, N_("Action")),
	                   tr(c->lang, N_("Record")),
	                   tr(c->lang, N_("Changes"))};
	const char **cells = arena_calloc(&c->a, (size_t)(7 * (n ? n : 1)), sizeof(char *));
	for (int i = 0; i < n; i++) {
		const audit_row *r = &rows[i];
		cells[i * 7] = arena_printf(&c->a, "%lld", (long long)r->id);
		cells[i * 7 + 1] = r->at;
		cells[i * 7 + 2] = r->username;
		cells[i * 7 + 3] = r->origin;
		cells[i * 7 + 4] = r->action;
		cells[i * 7 + 5] = !r->entity      ? ""
		                   : !r->entity_id ? r->entity
		                                   : arena_printf(&c->a, "%s %lld", r->entity,
		                                                  (long long)r->entity_id);
		cells[i * 7 + 6] = r->changes;
	}
	out_table(c, h, 7, cells, n);
	if (next && c->format == OUT_TABLE)
		fprintf(stderr, "%s --after %s\n", tr(c->lang, N_("More: repeat with")), next);
	return 0;
}
