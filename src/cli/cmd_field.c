/*
 * kehu field list | add KEY --label_zh L --label_en L --type T [--required true]
 *           | edit ID --if-version N [--FIELD VALUE ...]
 * Custom fields of customers, defined without code changes.
 */
#include <string.h>

#include "cli/cli.h"
#include "core/org.h"

int cmd_field(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", NULL};
	if (argc < 2 || !strcmp(argv[1], "--help")) {
		cli_say(c, N_("Usage: kehu field list | add KEY --label_zh L --label_en L --type "
			      "text|number|money|date|dict|tags|bool [--required true] | edit ID "
			      "--if-version N [--FIELD VALUE]"));
		return 0;
	}
	const char *sub = argv[1];
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, flags, &a) < 0)
		return -1;
	if (!strcmp(sub, "list")) {
		kh_record *rows;
		int n;
		if (svc_custom_field_list(&c->s, &rows, &n) < 0)
			return -1;
		out_records(c, rows, n, NULL, 0);
		return 0;
	}
	if (!strcmp(sub, "add")) {
		if (!a.npos)
			return cli_usage(c, N_("Give the field key"));
		kh_record r;
		int64_t id;
		if (cli_record(c, &custom_field_entity, &a, NULL, &r) < 0)
			return -1;
		record_set_text(&r, XF_KEY, a.pos[0]);
		if (svc_custom_field_create(&c->s, &r, &id) < 0)
			return -1;
		cli_say(c, N_("Added custom field %lld."), (long long)id);
		return 0;
	}
	if (!strcmp(sub, "edit")) {
		int64_t id;
		if (cli_edit(c, &a, &custom_field_entity, svc_custom_field_get,
		             svc_custom_field_update, &id) < 0)
			return -1;
		cli_say(c, N_("Custom field %lld saved."), (long long)id);
		return 0;
	}
	return cli_usage(c, N_("Unknown subcommand \"%s\""), sub);
}
