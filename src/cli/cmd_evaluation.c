/*
 * kehu evaluation — relationship evaluations 客户关系评估表 and their indicators:
 *
 *   indicator list [--retired]
 *   indicator add --name NAME --weight N [--max_score N] [--name_en T] [--description T]
 *                 [--sort_order N]
 *   indicator edit ID --if-version N [--FIELD VALUE ...] [--retired true|false]
 *   add      --customer ID --date D --score NAME=N ... [--basis NAME=TEXT ...] [--remarks T]
 *   edit     ID --if-version N [--score NAME=N ...] [--basis NAME=TEXT ...] [--FIELD VALUE]
 *   show     ID                  (the evaluation, then its form: indicator, weight, score,
 *                                 grade, basis)
 *   list, rm, restore            as for every record kind (cmd_record.c)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/evaluation.h"
#include "service/render.h"

static int usage_evaluation(cli *c)
{
	cli_say(c, N_("Usage: kehu evaluation add --customer ID --date D --score NAME=N ... "
	              "[--basis NAME=TEXT] | list [--customer ID] | show ID | edit ID "
	              "--if-version N [--score NAME=N] | rm ID --if-version N | restore ID "
	              "--if-version N | indicator list [--retired] | indicator add --name NAME "
	              "--weight N [--max_score N] | indicator edit ID --if-version N [--FIELD "
	              "VALUE]"));
	return 0;
}

/* The score record of indicator name in rows (made if new). */
static kh_record *score_of(cli *c, kh_record *rows, int *n, const char *name)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp(record_text(&rows[i], ESF_NAME), name))
			return &rows[i];
	kh_record *r = &rows[(*n)++];
	record_init(r, &evaluation_score_entity, &c->a);
	record_set_text(r, ESF_NAME, name);
	return r;
}

/* --score NAME=N and --basis NAME=TEXT into score records; *rows NULL when none. */
static int scores_of(cli *c, const cli_args *a, kh_record **rows, int *n)
{
	*rows = NULL;
	*n = 0;
	kh_record *out = arena_calloc(&c->a, CLI_MAX_ARGS, sizeof(kh_record));
	int count = 0;
	for (int i = 0; i < a->nopts; i++) {
		const char *k = a->opts[i].key, *v = a->opts[i].value;
		bool score = !strcmp(k, "score");
		if (!score && strcmp(k, "basis") != 0)
			continue;
		const char *eq = strchr(v, '=');
		if (!eq || eq == v)
			return cli_usage(
			        c, N_("Write --%s INDICATOR=VALUE, e.g. --score 成长率=80"), k);
		const char *name = arena_strndup(&c->a, v, (size_t)(eq - v));
		kh_record *r = score_of(c, out, &count, name);
		if (!score) {
			record_set_text(r, ESF_BASIS, eq + 1);
			continue;
		}
		char *end;
		errno = 0;
		long long s = strtoll(eq + 1, &end, 10);
		if (!eq[1] || *end || errno || s < 0)
			return err_field(&c->err, arena_printf(&c->a, "scores.%s", name),
			                 N_("%s: the score must be a whole number from 0 to %lld"),
			                 name, 1000LL);
		record_set_int(r, ESF_SCORE, s);
	}
	if (count) {
		*rows = out;
		*n = count;
	}
	return 0;
}

/* The form of the seed: one line per indicator, then the total. */
static void show(cli *c, const kh_record *ev, const kh_record *scores, int n)
{
	if (c->format == OUT_JSON) {
		out_json(c, render_evaluation(&c->s, ev, scores, n));
		return;
	}
	out_record(c, ev, NULL);
	fputc('\n', c->out);
	const char *h[] = {tr(c->lang, N_("Indicator")), tr(c->lang, N_("Weight")),
	                   tr(c->lang, N_("Score")),     tr(c->lang, N_("Full score")),
	                   tr(c->lang, N_("Grade")),     tr(c->lang, N_("Basis of the score"))};
	enum { NC = 6 };
	const char **cells = arena_calloc(&c->a, (size_t)(NC * (n + 1)), sizeof(char *));
	int64_t wsum = 0;
	for (int i = 0; i < n; i++) {
		const kh_record *r = &scores[i];
		const char **row = cells + i * NC;
		row[0] = record_text(r, ESF_NAME);
		row[1] = arena_printf(&c->a, "%lld", (long long)r->v[ESF_WEIGHT].i);
		row[2] = arena_printf(&c->a, "%lld", (long long)r->v[ESF_SCORE].i);
		row[3] = arena_printf(&c->a, "%lld", (long long)r->v[ESF_MAX_SCORE].i);
		row[4] = record_text(r, ESF_GRADE);
		row[5] = record_text(r, ESF_BASIS);
		wsum += r->v[ESF_WEIGHT].i;
	}
	const char **total = cells + n * NC;
	total[0] = tr(c->lang, N_("Total"));
	total[1] = arena_printf(&c->a, "%lld", (long long)wsum);
	total[2] = arena_printf(&c->a, "%lld", (long long)record_int(ev, EVF_TOTAL, 0));
	total[3] = "100";
	total[4] = record_text(ev, EVF_GRADE);
	total[5] = cli_display(c, &evaluation_entity.fields[EVF_ADVICE], &ev->v[EVF_ADVICE]);
	out_table(c, h, NC, cells, n + 1);
}

static int indicator(cli *c, int argc, char **argv)
{
	/* --retired alone lists retired ones too; edit takes --retired true|false */
	static const char *const list_flags[] = {"help", "retired", NULL};
	static const char *const flags[] = {"help", NULL};
	if (argc < 2)
		return cli_usage(c, N_("Say what to do"));
	const char *sub = argv[1];
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, strcmp(sub, "list") ? flags : list_flags, &a) < 0)
		return -1;
	if (!strcmp(sub, "list")) {
		static const char *const allowed[] = {"retired", NULL};
		bool retired = false;
		const char *rv = cli_opt(&a, "retired");
		if (cli_only(c, &a, allowed) < 0)
			return -1;
		if (rv && *rv && !svc_parse_bool(rv, &retired))
			return cli_usage(c, N_("retired must be true or false"));
		if (rv && !*rv)
			retired = true;
		kh_record *rows;
		int n;
		int64_t weight;
		if (svc_indicator_list(&c->s, retired, &rows, &n, &weight) < 0)
			return -1;
		if (c->format == OUT_JSON) {
			json_t *items = json_array();
			for (int i = 0; i < n; i++)
				json_array_append_new(items, render_record(&c->s, &rows[i]));
			out_json(c, json_pack("{s:o, s:n, s:I}", "items", items, "next",
			                      "active_weight", (json_int_t)weight));
			return 0;
		}
		out_records(c, rows, n, NULL, 0);
		if (c->format == OUT_TABLE) {
			fprintf(c->out, "\n");
			if (weight == EVAL_WEIGHT_TOTAL)
				cli_say(c, N_("Weights of the active indicators: %lld."),
				        (long long)weight);
			else
				cli_say(c,
				        N_("Weights of the active indicators: %lld, not %d: no "
				           "evaluation can be made until they add up to %d."),
				        (long long)weight, EVAL_WEIGHT_TOTAL, EVAL_WEIGHT_TOTAL);
		}
		return 0;
	}
	if (!strcmp(sub, "add")) {
		if (a.npos)
			return cli_usage(c, N_("Unexpected argument \"%s\""), a.pos[0]);
		kh_record r;
		int64_t id;
		if (cli_record(c, &indicator_entity, &a, NULL, &r) < 0 ||
		    svc_indicator_create(&c->s, &r, &id) < 0)
			return -1;
		cli_say(c, N_("Created %s %lld."), tr(c->lang, indicator_entity.label),
		        (long long)id);
		return 0;
	}
	if (!strcmp(sub, "edit")) {
		int64_t id;
		if (cli_edit(c, &a, &indicator_entity, svc_indicator_get, svc_indicator_update,
		             &id) < 0)
			return -1;
		cli_say(c, N_("%s %lld saved."), tr(c->lang, indicator_entity.label),
		        (long long)id);
		return 0;
	}
	return cli_usage(c, N_("Unknown subcommand \"%s\""), sub);
}

int cmd_evaluation(cli *c, int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help")) {
		usage_evaluation(c);
		return argc < 2 ? cli_usage(c, N_("Say what to do")) : 0;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "indicator"))
		return indicator(c, argc - 1, argv + 1);
	c->cmd_data = &evaluation_kind;
	if (!strcmp(sub, "list") || !strcmp(sub, "rm") || !strcmp(sub, "restore"))
		return cmd_record(c, argc, argv);
	static const char *const flags[] = {"help", NULL};
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, flags, &a) < 0)
		return -1;
	kh_record *scores;
	int n;
	if (!strcmp(sub, "add")) {
		static const char *const skip[] = {"customer", "score", "basis", NULL};
		if (a.npos)
			return cli_usage(c, N_("Unexpected argument \"%s\""), a.pos[0]);
		int64_t customer, id;
		kh_record r;
		if (cli_id(c, cli_opt(&a, "customer"), &customer) < 0 ||
		    cli_record(c, &evaluation_entity, &a, skip, &r) < 0 ||
		    scores_of(c, &a, &scores, &n) < 0)
			return -1;
		record_set_int(&r, EVF_CUSTOMER, customer);
		if (svc_evaluation_create(&c->s, &r, scores, n, &id) < 0)
			return -1;
		kh_record ev;
		if (svc_evaluation_get(&c->s, id, &ev, &scores, &n) < 0)
			return -1;
		if (c->format == OUT_JSON) {
			out_json(c, render_evaluation(&c->s, &ev, scores, n));
			return 0;
		}
		cli_say(c, N_("Created %s %lld: total %lld, grade %s, %s."),
		        tr(c->lang, evaluation_entity.label), (long long)id,
		        (long long)record_int(&ev, EVF_TOTAL, 0), record_text(&ev, EVF_GRADE),
		        cli_display(c, &evaluation_entity.fields[EVF_ADVICE], &ev.v[EVF_ADVICE]));
		return 0;
	}
	int64_t id;
	if (cli_id(c, a.npos ? a.pos[0] : NULL, &id) < 0)
		return -1;
	if (a.npos > 1)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a.pos[1]);
	kh_record ev;
	if (!strcmp(sub, "show")) {
		if (cli_only(c, &a, NULL) < 0 ||
		    svc_evaluation_get(&c->s, id, &ev, &scores, &n) < 0)
			return -1;
		show(c, &ev, scores, n);
		return 0;
	}
	if (!strcmp(sub, "edit")) {
		static const char *const skip[] = {"if-version", "score", "basis", NULL};
		int64_t version;
		kh_record patch;
		if (cli_version(c, &a, &version) < 0 ||
		    cli_record(c, &evaluation_entity, &a, skip, &patch) < 0 ||
		    scores_of(c, &a, &scores, &n) < 0)
			return -1;
		if (svc_evaluation_update(&c->s, id, version, &patch, scores, n) < 0) {
			kh_err saved = c->err;
			err_clear(&c->err);
			kh_record cur;
			int64_t v = svc_record_get(&c->s, &evaluation_kind, id, &cur) == 0
			                    ? cur.v[F_VERSION].i
			                    : 0;
			c->err = saved;
			return cli_stale(c, &a, v);
		}
		if (c->format == OUT_JSON) {
			if (svc_evaluation_get(&c->s, id, &ev, &scores, &n) < 0)
				return -1;
			show(c, &ev, scores, n);
			return 0;
		}
		cli_say(c, N_("%s %lld saved."), tr(c->lang, evaluation_entity.label),
		        (long long)id);
		return 0;
	}
	return cli_usage(c, N_("Unknown subcommand \"%s\""), sub);
}
