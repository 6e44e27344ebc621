/*
 * kehu setting list | set KEY VALUE [KEY VALUE ...] --if-version N
 * The tunable numbers: code width, business time zone, lifecycle thresholds.
 */
#include <string.h>

#include "cli/cli.h"

int cmd_setting(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", NULL};
	if (argc < 2) {
		cli_say(c, N_("Usage: kehu setting list | set KEY VALUE [KEY VALUE ...] "
			      "--if-version N"));
		return cli_usage(c, N_("Say what to do with settings"));
	}
	if (!strcmp(argv[1], "--help")) {
		cli_say(c, N_("Usage: kehu setting list | set KEY VALUE [KEY VALUE ...] "
			      "--if-version N"));
		return 0;
	}
	const char *sub = argv[1];
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, flags, &a) < 0)
		return -1;
	int n;
	const setting_def *defs = setting_defs(&n);
	int64_t values[SETTINGS_MAX], version;
	if (n > SETTINGS_MAX || svc_settings(&c->s, values, &version) < 0)
		return -1;
	if (!strcmp(sub, "list")) {
		if (cli_only(c, &a, NULL) < 0)
			return -1;
		if (c->format == OUT_JSON) {
			json_t *items = json_array();
			for (int i = 0; i < n; i++)
				json_array_append_new(items, json_pack("{s:s, s:I}", "key", defs[i].key,
								       "value", (json_int_t)values[i]));
			out_json(c, json_pack("{s:o, s:I}", "items", items, "version",
					      (json_int_t)version));
			return 0;
		}
		const char *h[] = {tr(c->lang, N_("Setting")), tr(c->lang, N_("Value")),
				   tr(c->lang, N_("Meaning"))};
		const char **cells = arena_calloc(&c->a, (size_t)n * 3, sizeof(char *));
		for (int i = 0; i < n; i++) {
			cells[i * 3] = defs[i].key;
			cells[i * 3 + 1] = arena_printf(&c->a, "%lld", (long long)values[i]);
			cells[i * 3 + 2] = tr(c->lang, defs[i].label);
		}
		out_table(c, h, 3, cells, n);
		fprintf(stderr, "%s %lld\n", tr(c->lang, N_("Version of the settings:")),
			(long long)version);
		return 0;
	}
	if (!strcmp(sub, "set")) {
		static const char *const allowed[] = {"if-version", NULL};
		if (cli_only(c, &a, allowed) < 0)
			return -1;
		if (a.npos == 0 || a.npos % 2)
			return cli_usage(c, N_("Write: kehu setting set KEY VALUE [KEY VALUE ...]"));
		kv changes[CLI_MAX_ARGS / 2];
		for (int i = 0; i < a.npos / 2; i++) {
			changes[i].key = a.pos[2 * i];
			changes[i].value = a.pos[2 * i + 1];
		}
		int64_t want;
		if (cli_version(c, &a, &want) < 0)
			return -1;
		if (svc_settings_update(&c->s, want, changes, a.npos / 2) < 0)
			return cli_stale(c, &a, version);
		cli_say(c, N_("Settings saved."));
		return 0;
	}
	return cli_usage(c, N_("Unknown subcommand \"%s\""), sub);
}
