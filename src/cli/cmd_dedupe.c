/*
 * kehu dedupe find|merge|undo|merges — duplicate customers already in the
 * database.
 *
 *   find    [--by name|phone|credit_code|any] [--limit N] [--after CURSOR]
 *   merge   --into ID --from ID[,ID...] [--take FIELD=ID[,FIELD=ID...]]
 *           [--if-versions ID=V[,ID=V...]]
 *   undo    MERGE_ID
 *   merges  [--limit N] [--after CURSOR]
 *
 * Without --if-versions a merge takes the customers as they are now; with it,
 * every customer named must still be at its version.
 */
#include <string.h>

#include "cli/cli.h"
#include "util/utf8.h"

static int usage_dedupe(cli *c)
{
	cli_say(c, N_("Usage: kehu dedupe find|merge|undo|merges ..."));
	cli_say(c, N_("  find [--by name|phone|credit_code|any] [--limit N] [--after CURSOR]"));
	cli_say(c, N_("  merge --into ID --from ID[,ID...] [--take FIELD=ID,...] [--if-versions "
	              "ID=VERSION,...]"));
	cli_say(c, N_("  undo MERGE_ID | merges [--limit N] [--after CURSOR]"));
	return 0;
}

static int find(cli *c, cli_args *a)
{
	static const char *const allowed[] = {"by", "limit", "after", NULL};
	if (a->npos)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a->pos[0]);
	if (cli_only(c, a, allowed) < 0)
		return -1;
	dup_page p;
	if (svc_dup_find(&c->s, a->opts, a->nopts, &p) < 0)
		return -1;
	if (c->format == OUT_JSON) {
		out_json(c, svc_dup_json(&c->s, &p));
		return 0;
	}
	if (p.n == 0) {
		if (c->format == OUT_TABLE)
			cli_say(c, N_("No duplicates found."));
		return 0;
	}
	enum { NC = 8 };
	const char *h[NC] = {tr(c->lang, N_("Group")),         tr(c->lang, N_("Same")),
	                     tr(c->lang, N_("Shared value")),  "ID",
	                     tr(c->lang, N_("Customer code")), tr(c->lang, N_("Customer name")),
	                     tr(c->lang, N_("Owner")),         tr(c->lang, N_("Version"))};
	int rows = 0;
	for (int g = 0; g < p.n; g++)
		rows += p.groups[g].n;
	const char **cells = arena_calloc(&c->a, (size_t)(NC * rows), sizeof(char *));
	static const char *const why[][2] = {
	        {"name", N_("name")}, {"phone", N_("phone")}, {"credit_code", N_("credit code")}};
	const kh_field *cf = customer_entity.fields;
	int r = 0;
	for (int g = 0; g < p.n; g++) {
		const dup_group *gr = &p.groups[g];
		const char *by = gr->by;
		for (size_t k = 0; k < sizeof(why) / sizeof(why[0]); k++)
			if (!strcmp(why[k][0], gr->by))
				by = tr(c->lang, why[k][1]);
		for (int i = 0; i < gr->n; i++, r++) {
			const kh_record *cu = &gr->customers[i];
			const char **row = &cells[r * NC];
			row[0] = arena_printf(&c->a, "%d", g + 1);
			row[1] = by;
			row[2] = gr->key;
			row[3] = arena_printf(&c->a, "%lld", (long long)cu->v[F_ID].i);
			row[4] = cli_display(c, &cf[CF_CODE], &cu->v[CF_CODE]);
			row[5] = cli_display(c, &cf[CF_NAME], &cu->v[CF_NAME]);
			row[6] = cli_display(c, &cf[CF_OWNER], &cu->v[CF_OWNER]);
			row[7] = arena_printf(&c->a, "%lld", (long long)cu->v[F_VERSION].i);
		}
	}
	out_table(c, h, NC, cells, rows);
	if (p.next && c->format == OUT_TABLE)
		cli_say(c, N_("More: --after %s"), p.next);
	return 0;
}

/* "a=b,c=d" into pairs; -1 (usage error) when an item has no '='. */
static int pairs(cli *c, const char *opt, const char *text, const char ***keys,
                 const char ***values, int *n)
{
	const char *items[MERGE_MAX_FROM * 4];
	int m = utf8_split_list(&c->a, text, items, MERGE_MAX_FROM * 4);
	if (m < 0)
		return cli_usage(c, N_("Too many items in --%s"), opt);
	*keys = arena_calloc(&c->a, (size_t)m + 1, sizeof(char *));
	*values = arena_calloc(&c->a, (size_t)m + 1, sizeof(char *));
	for (int i = 0; i < m; i++) {
		const char *eq = strchr(items[i], '=');
		if (!eq)
			return cli_usage(c, N_("--%s takes NAME=VALUE items, not \"%s\""), opt,
			                 items[i]);
		(*keys)[i] = arena_strndup(&c->a, items[i], (size_t)(eq - items[i]));
		(*values)[i] = eq + 1;
	}
	*n = m;
	return 0;
}

static int merge(cli *c, cli_args *a)
{
	static const char *const allowed[] = {"into", "from", "take", "if-versions", NULL};
	if (a->npos)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a->pos[0]);
	if (cli_only(c, a, allowed) < 0)
		return -1;
	merge_request m = {0};
	if (!cli_opt(a, "into") || !cli_opt(a, "from"))
		return cli_usage(c, N_("Say which customers: --into ID --from ID[,ID...]"));
	if (cli_id(c, cli_opt(a, "into"), &m.into) < 0)
		return -1;
	const char *items[MERGE_MAX_FROM];
	int n = utf8_split_list(&c->a, cli_opt(a, "from"), items, MERGE_MAX_FROM);
	if (n <= 0)
		return cli_usage(c, N_("Give 1 to %d customers to merge into it"), MERGE_MAX_FROM);
	int64_t *from = arena_calloc(&c->a, (size_t)n, sizeof(int64_t));
	for (int i = 0; i < n; i++)
		if (cli_id(c, items[i], &from[i]) < 0)
			return -1;
	m.from = from;
	m.nfrom = n;
	const char **keys, **values;
	int np;
	if (cli_opt(a, "take")) {
		if (pairs(c, "take", cli_opt(a, "take"), &keys, &values, &np) < 0)
			return -1;
		merge_pick *picks = arena_calloc(&c->a, (size_t)np + 1, sizeof(merge_pick));
		for (int i = 0; i < np; i++) {
			picks[i].field = keys[i];
			if (cli_id(c, values[i], &picks[i].source) < 0)
				return -1;
		}
		m.picks = picks;
		m.npicks = np;
	}
	if (cli_opt(a, "if-versions")) {
		if (pairs(c, "if-versions", cli_opt(a, "if-versions"), &keys, &values, &np) < 0)
			return -1;
		int64_t *vers = arena_calloc(&c->a, (size_t)n + 1, sizeof(int64_t));
		for (int i = 0; i <= n; i++)
			vers[i] = -1;
		for (int i = 0; i < np; i++) {
			int64_t id, v;
			if (cli_id(c, keys[i], &id) < 0)
				return -1;
			if (!svc_parse_id(values[i], &v))
				return cli_usage(c, N_("\"%s\" is not a version number"),
				                 values[i]);
			int at = id == m.into ? 0 : -1;
			for (int k = 0; k < n && at < 0; k++)
				if (from[k] == id)
					at = k + 1;
			if (at < 0)
				return cli_usage(c, N_("Customer %lld is not part of the merge"),
				                 (long long)id);
			vers[at] = v;
		}
		m.versions = vers;
	}
	int64_t id;
	if (svc_merge(&c->s, &m, &id) < 0)
		return -1;
	merge_row row;
	if (svc_merge_get(&c->s, id, &row) < 0)
		return -1;
	if (c->format == OUT_JSON) {
		out_json(c, svc_merge_json(&c->s, &row));
		return 0;
	}
	cli_say(c,
	        N_("Merged %s into customer %lld (merge %lld; kehu dedupe undo %lld takes it "
	           "back)."),
	        row.from_ids, (long long)m.into, (long long)id, (long long)id);
	return 0;
}

static void merges_out(cli *c, merge_row *rows, int n, const char *next)
{
	if (c->format == OUT_JSON) {
		json_t *items = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(items, svc_merge_json(&c->s, &rows[i]));
		out_json(c, json_pack("{s:o, s:s?}", "items", items, "next", next));
		return;
	}
	if (n == 0) {
		if (c->format == OUT_TABLE)
			cli_say(c, N_("(nothing)"));
		return;
	}
	enum { NC = 7 };
	const char *h[NC] = {"ID",
	                     tr(c->lang, N_("Merged at")),
	                     tr(c->lang, N_("By")),
	                     tr(c->lang, N_("Kept customer")),
	                     tr(c->lang, N_("Merged customers")),
	                     tr(c->lang, N_("Records moved")),
	                     tr(c->lang, N_("Undone at"))};
	const char **cells = arena_calloc(&c->a, (size_t)(NC * n), sizeof(char *));
	for (int i = 0; i < n; i++) {
		json_t *j = svc_merge_json(&c->s, &rows[i]);
		const char **row = &cells[i * NC];
		long long moved = 0;
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(j, "moved"), k, v)
		{
			moved += (long long)json_integer_value(v);
		}
		const char *by = json_string_value(json_object_get(j, "by"));
		row[0] = arena_printf(&c->a, "%lld", (long long)rows[i].id);
		row[1] = svc_local_time(&c->s, rows[i].created_at);
		row[2] = by ? arena_strdup(&c->a, by) : "";
		row[3] = arena_printf(&c->a, "%lld", (long long)rows[i].into_id);
		row[4] = rows[i].from_ids;
		row[5] = arena_printf(&c->a, "%lld", moved);
		row[6] = rows[i].undone_at ? svc_local_time(&c->s, rows[i].undone_at) : "";
		json_decref(j);
	}
	out_table(c, h, NC, cells, n);
	if (next && c->format == OUT_TABLE)
		cli_say(c, N_("More: --after %s"), next);
}

int cmd_dedupe(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", NULL};
	if (argc < 2) {
		usage_dedupe(c);
		return cli_usage(c, N_("Say what to do: find, merge, undo or merges"));
	}
	if (!strcmp(argv[1], "--help"))
		return usage_dedupe(c);
	const char *sub = argv[1];
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, flags, &a) < 0)
		return -1;
	if (cli_flag(&a, "help"))
		return usage_dedupe(c);
	if (!strcmp(sub, "find"))
		return find(c, &a);
	if (!strcmp(sub, "merge"))
		return merge(c, &a);
	if (!strcmp(sub, "merges")) {
		static const char *const allowed[] = {"limit", "after", NULL};
		if (a.npos)
			return cli_usage(c, N_("Unexpected argument \"%s\""), a.pos[0]);
		merge_row *rows;
		int n;
		const char *next;
		if (cli_only(c, &a, allowed) < 0 ||
		    svc_merge_list(&c->s, a.opts, a.nopts, &rows, &n, &next) < 0)
			return -1;
		merges_out(c, rows, n, next);
		return 0;
	}
	if (!strcmp(sub, "undo")) {
		int64_t id;
		if (cli_id(c, a.npos ? a.pos[0] : NULL, &id) < 0)
			return -1;
		if (a.npos > 1)
			return cli_usage(c, N_("Unexpected argument \"%s\""), a.pos[1]);
		if (cli_only(c, &a, NULL) < 0 || svc_merge_undo(&c->s, id) < 0)
			return -1;
		cli_say(c,
		        N_("Merge %lld undone: the merged customers and their records are back."),
		        (long long)id);
		return 0;
	}
	return cli_usage(c, N_("Unknown subcommand \"%s\""), sub);
}
