/*
 * kehu dict kinds | list [KIND] [--retired] | add KIND CODE --zh LABEL --en LABEL [--order N]
 *          | edit ID --if-version N [--zh L] [--en L] [--order N] | retire ID | unretire ID
 */
#include <string.h>

#include "cli/cli.h"
#include "core/org.h"
#include "service/render.h"

static int usage_dict(cli *c)
{
	cli_say(c, N_("Usage: kehu dict kinds | list [KIND] [--retired] | add KIND CODE --zh LABEL "
		      "--en LABEL [--order N] | edit ID --if-version N [--zh L] [--en L] "
		      "[--order N] | retire ID | unretire ID"));
	return 0;
}

/* --zh/--en/--order into a dictionary option record */
static int option_record(cli *c, const cli_args *a, kh_record *r)
{
	record_init(r, &dict_option_entity, &c->a);
	const char *zh = cli_opt(a, "zh"), *en = cli_opt(a, "en"), *order = cli_opt(a, "order");
	if (zh)
		record_set_text(r, OF_LABEL_ZH, zh);
	if (en)
		record_set_text(r, OF_LABEL_EN, en);
	if (order) {
		int64_t n;
		if (!svc_parse_id(order, &n))
			return cli_usage(c, N_("--order must be a positive number"));
		record_set_int(r, OF_SORT_ORDER, n);
	}
	return 0;
}

static int set_retired(cli *c, int64_t id, bool retired)
{
	kh_record cur, patch;
	if (svc_dict_get(&c->s, id, &cur) < 0)
		return -1;
	record_init(&patch, &dict_option_entity, &c->a);
	record_set_int(&patch, OF_RETIRED, retired);
	if (svc_dict_update(&c->s, id, cur.v[F_VERSION].i, &patch) < 0)
		return -1;
	cli_say(c, retired ? N_("Option %lld retired: kept on old records, no longer offered.")
			   : N_("Option %lld offered again."),
		(long long)id);
	return 0;
}

int cmd_dict(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", "retired", NULL};
	if (argc < 2 || !strcmp(argv[1], "--help"))
		return usage_dict(c);
	const char *sub = argv[1];
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, flags, &a) < 0)
		return -1;
	if (!strcmp(sub, "kinds")) {
		if (c->format == OUT_JSON) {
			json_t *items = json_array();
			for (int i = 0; i < dict_kind_count; i++)
				json_array_append_new(items,
						      json_pack("{s:s, s:s, s:s}", "code",
								dict_kinds[i].code, "zh",
								tr(KH_LANG_ZH, dict_kinds[i].label),
								"en", dict_kinds[i].label));
			out_json(c, json_pack("{s:o, s:n}", "items", items, "next"));
			return 0;
		}
		const char **cells = arena_calloc(&c->a, (size_t)dict_kind_count * 2, sizeof(char *));
		for (int i = 0; i < dict_kind_count; i++) {
			cells[i * 2] = dict_kinds[i].code;
			cells[i * 2 + 1] = tr(c->lang, dict_kinds[i].label);
		}
		const char *h[] = {tr(c->lang, N_("Code")), tr(c->lang, N_("Dictionary"))};
		out_table(c, h, 2, cells, dict_kind_count);
		return 0;
	}
	if (!strcmp(sub, "list")) {
		const dict_option **opts;
		int n;
		if (svc_dict_list(&c->s, a.npos ? a.pos[0] : NULL, cli_flag(&a, "retired"), &opts,
				  &n) < 0)
			return -1;
		if (c->format == OUT_JSON) {
			json_t *items = json_array();
			for (int i = 0; i < n; i++)
				json_array_append_new(items, render_option(opts[i]));
			out_json(c, json_pack("{s:o, s:n}", "items", items, "next"));
			return 0;
		}
		const char *h[] = {"ID",
				   tr(c->lang, N_("Dictionary")),
				   tr(c->lang, N_("Code")),
				   tr(c->lang, N_("Chinese label")),
				   tr(c->lang, N_("English label")),
				   tr(c->lang, N_("Sort order")),
				   tr(c->lang, N_("Retired"))};
		const char **cells = arena_calloc(&c->a, (size_t)(7 * (n ? n : 1)), sizeof(char *));
		for (int i = 0; i < n; i++) {
			const dict_option *o = opts[i];
			cells[i * 7] = arena_printf(&c->a, "%lld", (long long)o->id);
			cells[i * 7 + 1] = o->kind;
			cells[i * 7 + 2] = o->code;
			cells[i * 7 + 3] = o->label_zh;
			cells[i * 7 + 4] = o->label_en;
			cells[i * 7 + 5] = arena_printf(&c->a, "%d", o->sort_order);
			cells[i * 7 + 6] = tr(c->lang, o->retired ? N_("yes") : N_("no"));
		}
		out_table(c, h, 7, cells, n);
		return 0;
	}
	if (!strcmp(sub, "add")) {
		static const char *const allowed[] = {"zh", "en", "order", NULL};
		if (cli_only(c, &a, allowed) < 0)
			return -1;
		if (a.npos < 2)
			return cli_usage(c, N_("Write: kehu dict add KIND CODE --zh LABEL --en LABEL"));
		kh_record r;
		if (option_record(c, &a, &r) < 0)
			return -1;
		record_set_text(&r, OF_KIND, a.pos[0]);
		record_set_text(&r, OF_CODE, a.pos[1]);
		int64_t id;
		if (svc_dict_create(&c->s, &r, &id) < 0)
			return -1;
		cli_say(c, N_("Added option %lld."), (long long)id);
		return 0;
	}
	int64_t id;
	if (cli_id(c, a.npos ? a.pos[0] : NULL, &id) < 0)
		return -1;
	if (!strcmp(sub, "edit")) {
		static const char *const allowed[] = {"zh", "en", "order", "if-version", NULL};
		kh_record cur, r;
		int64_t version;
		if (cli_only(c, &a, allowed) < 0 || svc_dict_get(&c->s, id, &cur) < 0 ||
		    cli_version(c, &a, &version) < 0 || option_record(c, &a, &r) < 0)
			return -1;
		if (svc_dict_update(&c->s, id, version, &r) < 0)
			return cli_stale(c, &a, cur.v[F_VERSION].i);
		cli_say(c, N_("Option %lld saved."), (long long)id);
		return 0;
	}
	if (!strcmp(sub, "retire") || !strcmp(sub, "unretire")) {
		if (cli_only(c, &a, NULL) < 0)
			return -1;
		return set_retired(c, id, !strcmp(sub, "retire"));
	}
	return cli_usage(c, N_("Unknown subcommand \"%s\""), sub);
}
