/*
 * kehu followup|order ... — the records kept around a customer, one command
 * per record kind (the kind is the command's data in the table of cli.c):
 *
 *   add      --customer ID --FIELD VALUE ...
 *   list     [--customer ID] [--FIELD VALUE (filters)] [--sort F] [--limit N] [--after CURSOR]
 *            [--view deleted]
 *   show     ID
 *   edit     ID --if-version N [--FIELD VALUE ...] [--unset FIELD]
 *   rm       ID --if-version N
 *   restore  ID --if-version N
 *   history  ID      (kinds that keep the history of a state: stage, status)
 *
 * A kind owning rows (a visit's expenses) takes them on add and edit as a
 * repeated option (--expense 交通=35.50), each edit replacing them all
 * (--no-expenses removes them); show lists them under the record.
 */
#include <string.h>

#include "cli/cli.h"
#include "service/render.h"

static const record_kind *kind(cli *c)
{
	return c->cmd_data;
}

/* The usage line and the fields one may give, with their labels. */
static int usage_record(cli *c, const char *name)
{
	const kh_entity *ent = kind(c)->ent;
	const char *cust = ent->fields[kind(c)->customer_field].name;
	fprintf(c->out,
	        tr(c->lang,
	           N_("Usage: kehu %s add --customer ID --FIELD VALUE ... | list [--customer "
	              "ID] [--FIELD VALUE] | show ID | edit ID --if-version N [--FIELD "
	              "VALUE] | rm ID --if-version N | restore ID --if-version N")),
	        name);
	if (kind(c)->history_field)
		fprintf(c->out, " | history ID");
	fprintf(c->out, "\n\n%s\n", tr(c->lang, N_("Fields (* required):")));
	for (int i = F_NSYSTEM; i < ent->nfields; i++) {
		const kh_field *f = &ent->fields[i];
		if (!strcmp(f->name, cust) || (f->flags & (FF_DERIVED | FF_READONLY)))
			continue;
		fprintf(c->out, "  --%-16s %s%s\n", f->name, field_label(f, c->lang),
		        (f->flags & FF_REQUIRED) ? " *" : "");
	}
	const record_children *ch = kind(c)->children;
	if (ch)
		fprintf(c->out, "  --%-16s %s\n  --no-%-13s %s\n", ch->cli_opt,
		        tr(c->lang, N_("one row, like 交通=35.50 or 交通=35.50:NOTE (repeat)")),
		        ch->key, tr(c->lang, N_("remove every row")));
	return 0;
}

/* The options add and edit leave to cli_record: base plus the kind's row options. */
static const char *const *skip_list(cli *c, const char *const *base)
{
	const record_children *ch = kind(c)->children;
	int n = 0;
	while (base[n])
		n++;
	const char **out = arena_calloc(&c->a, (size_t)n + 3, sizeof(char *));
	memcpy(out, base, sizeof(char *) * (size_t)n);
	if (ch) {
		out[n++] = ch->cli_opt;
		out[n++] = arena_printf(&c->a, "no-%s", ch->key);
	}
	return out;
}

/* The rows given by repeated row options, or none with --no-KEY; *given NULL
 * when neither was given (the stored rows stay). */
static int cli_rows(cli *c, const cli_args *a, child_rows *rows, const child_rows **given)
{
	const record_children *ch = kind(c)->children;
	*given = NULL;
	if (!ch)
		return 0;
	const char *texts[CLI_MAX_ARGS];
	int n = 0;
	for (int i = 0; i < a->nopts; i++)
		if (!strcmp(a->opts[i].key, ch->cli_opt))
			texts[n++] = a->opts[i].value;
	bool none = cli_flag(a, arena_printf(&c->a, "no-%s", ch->key));
	if (!n && !none)
		return 0;
	if (n && none)
		return cli_usage(c, N_("Give --%s or --no-%s, not both"), ch->cli_opt, ch->key);
	if (svc_children_from_text(&c->s, kind(c), texts, n, rows) < 0)
		return -1;
	*given = rows;
	return 0;
}

/* The record as JSON, with the rows it owns when its kind has any (NULL when
 * out_record's own JSON will do). */
static int record_json(cli *c, const record_kind *k, const kh_record *r, json_t **out,
                       child_rows *rows)
{
	*out = NULL;
	memset(rows, 0, sizeof(*rows));
	if (!k->children)
		return 0;
	if (svc_record_children(&c->s, k, r->v[F_ID].i, rows) < 0)
		return -1;
	if (c->format == OUT_JSON) {
		*out = render_record(&c->s, r);
		json_object_set_new(*out, k->children->key, render_children(&c->s, k, rows));
	}
	return 0;
}

int cli_record_done(cli *c, const record_kind *k, int64_t id, const char *msgid)
{
	kh_record r;
	json_t *j;
	child_rows rows;
	if (svc_record_get(&c->s, k, id, &r) < 0)
		return -1;
	if (c->format == OUT_JSON) {
		if (record_json(c, k, &r, &j, &rows) < 0)
			return -1;
		out_record(c, &r, j);
	} else {
		cli_say(c, msgid, tr(c->lang, k->ent->label), (long long)id,
		        k->code_field ? record_text(&r, k->code_field) : "");
	}
	return 0;
}

int cli_record_failed(cli *c, const record_kind *k, const cli_args *a, int64_t id)
{
	kh_record r;
	kh_err saved = c->err;
	err_clear(&c->err);
	int64_t v = svc_record_get(&c->s, k, id, &r) == 0 ? r.v[F_VERSION].i : 0;
	c->err = saved;
	return cli_stale(c, a, v);
}

static int add(cli *c, const cli_args *a)
{
	static const char *const skip[] = {"customer", NULL};
	if (a->npos)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a->pos[0]);
	int64_t customer;
	kh_record r;
	child_rows rows;
	const child_rows *given;
	if (cli_id(c, cli_opt(a, "customer"), &customer) < 0 ||
	    cli_record(c, kind(c)->ent, a, skip_list(c, skip), &r) < 0 ||
	    cli_rows(c, a, &rows, &given) < 0)
		return -1;
	record_set_int(&r, kind(c)->customer_field, customer);
	int64_t id;
	if (svc_record_create_with(&c->s, kind(c), &r, given, &id) < 0)
		return -1;
	if (c->format == OUT_JSON || kind(c)->code_field)
		return cli_record_done(c, kind(c), id, N_("Created %s %lld, code %s."));
	cli_say(c, N_("Created %s %lld."), tr(c->lang, kind(c)->ent->label), (long long)id);
	return 0;
}

static int list(cli *c, const cli_args *a)
{
	if (a->npos)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a->pos[0]);
	int64_t customer = 0;
	const char *cv = cli_opt(a, "customer");
	if (cv && cli_id(c, cv, &customer) < 0)
		return -1;
	kv params[CLI_MAX_ARGS];
	int n = 0;
	for (int i = 0; i < a->nopts; i++)
		if (strcmp(a->opts[i].key, "customer") != 0)
			params[n++] = a->opts[i];
	list_page p;
	if (svc_record_list(&c->s, kind(c), customer, params, n, &p) < 0)
		return -1;
	out_page(c, &p, false);
	return 0;
}

/* One record, with the rows it owns under it. */
static int show(cli *c, int64_t id)
{
	kh_record r;
	json_t *j;
	child_rows rows;
	if (svc_record_get(&c->s, kind(c), id, &r) < 0 ||
	    record_json(c, kind(c), &r, &j, &rows) < 0)
		return -1;
	out_record(c, &r, j);
	const record_children *ch = kind(c)->children;
	if (ch && c->format == OUT_TABLE && rows.n) {
		fprintf(c->out, "\n%s\n", tr(c->lang, ch->ent->label));
		out_records(c, rows.rows, rows.n, ch->fields, ch->nfields);
	}
	return 0;
}

/* When the record entered each of its states, and who moved it. */
static int history(cli *c, int64_t id)
{
	history_row *rows;
	int n;
	if (svc_record_history(&c->s, kind(c), id, &rows, &n) < 0)
		return -1;
	if (c->format == OUT_JSON) {
		out_json(c, render_history(&c->s, kind(c), rows, n));
		return 0;
	}
	const kh_field *state = &kind(c)->ent->fields[kind(c)->history_field];
	const kh_field *at = &kind(c)->ent->fields[F_UPDATED_AT];
	const kh_field *by = &kind(c)->ent->fields[F_CREATED_BY];
	const char *headers[3] = {field_label(state, c->lang), tr(c->lang, N_("Since")),
	                          tr(c->lang, N_("By"))};
	const char **cells = arena_calloc(&c->a, (size_t)n * 3 + 1, sizeof(char *));
	for (int i = 0; i < n; i++) {
		kh_value sv = {.state = V_SET, .s = rows[i].state};
		kh_value tv = {.state = V_SET, .s = rows[i].at};
		kh_value uv = {.state = rows[i].user_id ? V_SET : V_NULL, .i = rows[i].user_id};
		cells[i * 3] = cli_display(c, state, &sv);
		cells[i * 3 + 1] = cli_display(c, at, &tv);
		cells[i * 3 + 2] = cli_display(c, by, &uv);
	}
	out_table(c, headers, 3, cells, n);
	return 0;
}

int cmd_record(cli *c, int argc, char **argv)
{
	const record_children *ch = kind(c)->children;
	const char *const flags[] = {"help", ch ? arena_printf(&c->a, "no-%s", ch->key) : NULL,
	                             NULL};
	if (argc < 2 || !strcmp(argv[1], "--help")) {
		usage_record(c, argv[0]);
		return argc < 2 ? cli_usage(c, N_("Say what to do")) : 0;
	}
	const char *sub = argv[1];
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, flags, &a) < 0)
		return -1;
	if (!strcmp(sub, "add"))
		return add(c, &a);
	if (!strcmp(sub, "list"))
		return list(c, &a);
	int64_t id;
	if (cli_id(c, a.npos ? a.pos[0] : NULL, &id) < 0)
		return -1;
	if (a.npos > 1)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a.pos[1]);
	const char *label = tr(c->lang, kind(c)->ent->label);
	if (!strcmp(sub, "show")) {
		if (cli_only(c, &a, NULL) < 0)
			return -1;
		return show(c, id);
	}
	if (!strcmp(sub, "history"))
		return cli_only(c, &a, NULL) < 0 ? -1 : history(c, id);
	int64_t version;
	if (!strcmp(sub, "edit")) {
		static const char *const skip[] = {"if-version", NULL};
		kh_record patch;
		child_rows rows;
		const child_rows *given;
		if (cli_version(c, &a, &version) < 0 ||
		    cli_record(c, kind(c)->ent, &a, skip_list(c, skip), &patch) < 0 ||
		    cli_rows(c, &a, &rows, &given) < 0)
			return -1;
		if (svc_record_update_with(&c->s, kind(c), id, version, &patch, given) < 0)
			return cli_record_failed(c, kind(c), &a, id);
		return cli_record_done(c, kind(c), id, N_("%s %lld saved."));
	}
	bool rm = !strcmp(sub, "rm");
	if (rm || !strcmp(sub, "restore")) {
		static const char *const allowed[] = {"if-version", NULL};
		if (cli_only(c, &a, allowed) < 0 || cli_version(c, &a, &version) < 0)
			return -1;
		if ((rm ? svc_record_delete : svc_record_restore)(&c->s, kind(c), id, version) < 0)
			return cli_record_failed(c, kind(c), &a, id);
		if (!rm)
			return cli_record_done(c, kind(c), id, N_("%s %lld restored."));
		cli_say(c, N_("%s %lld deleted."), label, (long long)id);
		return 0;
	}
	return cli_usage(c, N_("Unknown subcommand \"%s\""), sub);
}
