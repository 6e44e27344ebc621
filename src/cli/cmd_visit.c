/*
 * kehu visit ... — visits 拜访: the record subcommands of cmd_record (add,
 * list, show, edit, rm, restore, with --expense ITEM=YUAN[:NOTE]) plus
 *
 *   daily   [--user U] [--date YYYY-MM-DD]   the daily visit report 拜访日报
 *   submit  [--date D] [--summary T] [--issues_handled T] [--issues_open T]
 *           [--if-version N]                 sign the day off
 */
#include <string.h>

#include "cli/cli.h"
#include "core/visit.h"
#include "service/render.h"
#include "util/money.h"

static const char *yuan(cli *c, int64_t fen)
{
	char m[MONEY_LEN];
	money_format(m, fen, true);
	return arena_strdup(&c->a, m);
}

static const char *tally_label(cli *c, const visit_tally *t)
{
	return c->lang == KH_LANG_EN ? t->en : t->zh;
}

/* The letter of the seed's form (a-c purposes, A-E outcomes) before the label. */
static const char *lettered(cli *c, const visit_tally *t, bool upper)
{
	if (!t->code || strlen(t->code) != 1)
		return tally_label(c, t);
	char l = upper && t->code[0] >= 'a' && t->code[0] <= 'z' ? (char)(t->code[0] - 'a' + 'A')
	                                                         : t->code[0];
	return arena_printf(&c->a, "%c %s", l, tally_label(c, t));
}

enum tally_kind { TALLY_PURPOSE, TALLY_OUTCOME, TALLY_MONEY };

/* label | value rows of a tally (counts, or amounts in yuan) */
static void out_tally(cli *c, const char *what, const char *value, const visit_tally *t, int n,
                      enum tally_kind k)
{
	bool money = k == TALLY_MONEY;
	const char **cells = arena_calloc(&c->a, (size_t)(n ? n : 1) * 2, sizeof(char *));
	for (int i = 0; i < n; i++) {
		cells[i * 2] =
		        money ? tally_label(c, &t[i]) : lettered(c, &t[i], k == TALLY_OUTCOME);
		cells[i * 2 + 1] =
		        money ? yuan(c, t[i].n) : arena_printf(&c->a, "%lld", (long long)t[i].n);
	}
	const char *h[2] = {what, value};
	out_table(c, h, 2, cells, n);
}

static int daily(cli *c, const cli_args *a)
{
	static const char *const allowed[] = {"user", "date", NULL};
	if (a->npos > 1 || cli_only(c, a, allowed) < 0)
		return a->npos > 1 ? cli_usage(c, N_("Unexpected argument \"%s\""), a->pos[1]) : -1;
	visit_day_report d;
	if (svc_visit_day(&c->s, cli_opt(a, "user"), cli_opt(a, "date"), &d) < 0)
		return -1;
	if (c->format == OUT_JSON) {
		out_json(c, render_visit_day(&c->s, &d));
		return 0;
	}
	const kh_field *owner = &visit_entity.fields[VF_OWNER];
	kh_value who = {.state = V_SET, .i = d.user_id};
	if (c->format == OUT_TABLE)
		fprintf(c->out, "%s  %s  %s\n\n", tr(c->lang, N_("Daily visit report")),
		        cli_display(c, owner, &who), d.date);
	/* the visits: customer, person met, purpose, outcome, summary, expenses */
	static const int cols[] = {VF_CONTACT, VF_PURPOSE, VF_OUTCOME, VF_SUMMARY};
	const int nc = 7;
	const char *h[7] = {tr(c->lang, N_("ID")), tr(c->lang, N_("Customer"))};
	for (int j = 0; j < 4; j++)
		h[j + 2] = field_label(&visit_entity.fields[cols[j]], c->lang);
	h[6] = field_label(&visit_entity.fields[VF_EXPENSE_TOTAL], c->lang);
	const char **cells =
	        arena_calloc(&c->a, (size_t)(d.nvisits ? d.nvisits : 1) * nc, sizeof(char *));
	for (int i = 0; i < d.nvisits; i++) {
		const kh_record *v = &d.visits[i];
		const char **row = cells + i * nc;
		row[0] = arena_printf(&c->a, "%lld", (long long)v->v[F_ID].i);
		row[1] = d.customer_names[i];
		for (int j = 0; j < 4; j++)
			row[j + 2] = cli_display(c, &visit_entity.fields[cols[j]], &v->v[cols[j]]);
		row[2] = d.contact_names[i];
		row[6] = yuan(c, record_int(v, VF_EXPENSE_TOTAL, 0));
	}
	out_table(c, h, nc, cells, d.nvisits);
	if (c->format != OUT_TABLE)
		return 0; /* CSV: one table, the visits */
	fprintf(c->out, "\n%s: %d\n\n", tr(c->lang, N_("Visits today")), d.nvisits);
	out_tally(c, tr(c->lang, N_("Visit purpose")), tr(c->lang, N_("Visits")), d.purposes,
	          d.npurposes, TALLY_PURPOSE);
	fputc('\n', c->out);
	out_tally(c, tr(c->lang, N_("Visit outcome")), tr(c->lang, N_("Visits")), d.outcomes,
	          d.noutcomes, TALLY_OUTCOME);
	fputc('\n', c->out);
	out_tally(c, tr(c->lang, N_("Expense item")), tr(c->lang, N_("Amount (yuan)")),
	          d.expenses_by_item, d.nexpense_items, TALLY_MONEY);
	fprintf(c->out, "%s: %s\n", tr(c->lang, N_("Total expenses (yuan)")),
	        yuan(c, d.expense_total));
	if (d.submitted) {
		fputc('\n', c->out);
		out_record(c, &d.note, NULL);
	} else {
		fprintf(c->out, "\n%s\n", tr(c->lang, N_("Not signed off yet.")));
	}
	return 0;
}

static int submit(cli *c, const cli_args *a)
{
	static const char *const skip[] = {"date", "if-version", NULL};
	if (a->npos > 1)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a->pos[1]);
	kh_record note, out;
	int64_t version = 0;
	const char *v = cli_opt(a, "if-version");
	if ((v && cli_version(c, a, &version) < 0) ||
	    cli_record(c, &visit_day_entity, a, skip, &note) < 0)
		return -1;
	if (svc_visit_day_submit(&c->s, cli_opt(a, "date"), version, &note, &out) < 0) {
		/* signed off already: name the note's version to sign it off again */
		kh_err saved = c->err;
		err_clear(&c->err);
		visit_day_report d;
		int64_t current =
		        svc_visit_day(&c->s, NULL, cli_opt(a, "date"), &d) == 0 && d.submitted
		                ? d.note.v[F_VERSION].i
		                : 0;
		c->err = saved;
		return cli_stale(c, a, current);
	}
	cli_say(c, N_("Visits of %s signed off (version %lld)."), out.v[VDF_DATE].s,
	        (long long)out.v[F_VERSION].i);
	return 0;
}

int cmd_visit(cli *c, int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "daily") || !strcmp(argv[1], "submit"))) {
		cli_args a;
		if (cli_parse(c, argc - 1, argv + 1, NULL, &a) < 0)
			return -1;
		return !strcmp(argv[1], "daily") ? daily(c, &a) : submit(c, &a);
	}
	int rc = cmd_record(c, argc, argv);
	if (argc < 2 || !strcmp(argv[1], "--help"))
		fprintf(c->out, "\n%s\n",
		        tr(c->lang, N_("Also: kehu visit daily [--user U] [--date YYYY-MM-DD] | "
		                       "submit [--date D] --summary TEXT [--issues_handled TEXT] "
		                       "[--issues_open TEXT] [--if-version N]")));
	return rc;
}
