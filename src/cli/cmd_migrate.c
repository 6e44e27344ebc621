/*
 * kehu migrate                       bring the --db database's schema up to date
 * kehu migrate --from SRC --to DST   copy a whole database into an empty one, SQLite
 *                                    file or postgresql:// URL either way, and verify
 *                                    the copy by row counts and checksums
 */
#include <string.h>

#include "cli/cli.h"

static void progress(const char *table, int64_t rows, void *ud)
{
	cli *c = ud;
	fprintf(stderr, "%s %s: %lld\n", tr(c->lang, N_("copied")), table, (long long)rows);
}

static int copy(cli *c, const char *from, const char *to)
{
	store *src = NULL, *dst = NULL;
	int rc = -1;
	if (!strcmp(from, to))
		return cli_usage(c, N_("--from and --to must be different databases"));
	if (cli_db_missing(c, from) < 0)
		return -1;
	if (store_open(from, &src, &c->err) < 0 || store_open(to, &dst, &c->err) < 0)
		goto out;
	int version;
	if (store_schema_version(src, &version, &c->err) < 0)
		goto out;
	if (version == 0) {
		err_set(&c->err, KH_EUSAGE, N_("%s holds no kehu database"),
		        store_url_redacted(&c->a, from));
		goto out;
	}
	store_copy_report rep;
	rc = store_copy(src, dst, &rep, progress, c, &c->err);
	if (rep.ntables) {
		const char *h[] = {tr(c->lang, N_("Table")), tr(c->lang, N_("Rows in source")),
		                   tr(c->lang, N_("Rows in copy")), tr(c->lang, N_("Checksums"))};
		const char **cells = arena_calloc(&c->a, (size_t)rep.ntables * 4, sizeof(char *));
		for (int i = 0; i < rep.ntables; i++) {
			const store_copy_table *t = &rep.tables[i];
			cells[i * 4] = t->name;
			cells[i * 4 + 1] = arena_printf(&c->a, "%lld", (long long)t->src_rows);
			cells[i * 4 + 2] = arena_printf(&c->a, "%lld", (long long)t->dst_rows);
			cells[i * 4 + 3] = t->src_sum == t->dst_sum
			                           ? arena_printf(&c->a, "%016llx",
			                                          (unsigned long long)t->src_sum)
			                           : tr(c->lang, N_("DIFFERENT"));
		}
		out_table(c, h, 4, cells, rep.ntables);
	}
	if (rc == 0)
		cli_say(c, N_("Copied and verified: %s -> %s"), store_url_redacted(&c->a, from),
		        store_url_redacted(&c->a, to));
out:
	store_close(src);
	store_close(dst);
	return rc;
}

int cmd_migrate(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", NULL};
	static const char *const allowed[] = {"from", "to", "help", NULL};
	cli_args a;
	if (cli_parse(c, argc, argv, flags, &a) < 0 || cli_only(c, &a, allowed) < 0)
		return -1;
	if (cli_flag(&a, "help")) {
		cli_say(c, N_("Usage: kehu migrate | kehu migrate --from SRC --to DST"));
		return 0;
	}
	const char *from = cli_opt(&a, "from"), *to = cli_opt(&a, "to");
	if (from || to) {
		if (!from || !to)
			return cli_usage(c, N_("Give both --from and --to"));
		return copy(c, from, to);
	}
	if (cli_db_missing(c, c->db_url) < 0 || store_open(c->db_url, &c->db, &c->err) < 0)
		return -1;
	int applied, v;
	c->s.db = c->db; /* opened here: migrate needs no set-up database */
	if (svc_migrate(&c->s, &applied) < 0 || store_schema_version(c->db, &v, &c->err) < 0)
		return -1;
	cli_say(c, N_("Schema version %d (%d migrations applied now)."), v, applied);
	return 0;
}
