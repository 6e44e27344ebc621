/*
 * kehu request ... and kehu approval ... — requests with approval:
 *
 *   request add     --type T --customer ID --FIELD VALUE ... [--item ITEM=YUAN ...]
 *   request list    [--type T] [--status S] [--customer ID] [--applicant U|me] [--from D]
 *                   [--to D] [--limit N] [--after CURSOR]
 *   request show    ID
 *   request edit    ID --if-version N [--FIELD VALUE] [--item ITEM=YUAN] [--actual ITEM=YUAN]
 *   request submit|withdraw|rm|restore ID --if-version N
 *   request approve ID --if-version N [--comment TEXT]
 *   request reject  ID --if-version N --comment TEXT
 *   request budget  [--by request|person] [--from D] [--to D] [--type T]
 *   approval inbox
 *   approval chain show TYPE | set TYPE --step S [--step S ...] --if-version N
 *
 * Items name an expense item by code or label (用餐, meal); amounts are in yuan.
 */
#include <string.h>

#include "cli/cli.h"
#include "core/request.h"
#include "util/money.h"

static const char *yuan(cli *c, int64_t fen)
{
	char text[MONEY_LEN];
	money_format(text, fen, true);
	return arena_strdup(&c->a, text);
}

static const char *yuan_json(cli *c, json_t *j)
{
	return json_is_integer(j) ? yuan(c, json_integer_value(j)) : "";
}

/* The items of --item ITEM=YUAN (budget) and --actual ITEM=YUAN options, NULL when none. */
static int items_from_options(cli *c, const cli_args *a, json_t **out)
{
	*out = NULL;
	json_t *arr = NULL;
	for (int i = 0; i < a->nopts; i++) {
		const char *k = a->opts[i].key, *v = a->opts[i].value;
		bool budget = !strcmp(k, "item");
		if (!budget && strcmp(k, "actual") != 0)
			continue;
		const char *eq = v ? strchr(v, '=') : NULL;
		int64_t fen;
		if (!eq || eq == v || !money_parse_yuan(eq + 1, &fen)) {
			json_decref(arr);
			return cli_usage(c, N_("Write --%s ITEM=YUAN, e.g. --%s 用餐=800"), k, k);
		}
		const char *code = arena_strndup(&c->a, v, (size_t)(eq - v));
		if (!arr)
			arr = json_array();
		json_t *it = NULL;
		size_t n;
		json_t *x;
		json_array_foreach(arr, n, x)
		{
			if (!strcmp(json_string_value(json_object_get(x, "item")), code))
				it = x;
		}
		if (!it) {
			it = json_pack("{s:s}", "item", code);
			json_array_append_new(arr, it);
		}
		json_object_set_new(it, budget ? "budget" : "actual", json_integer(fen));
	}
	*out = arr;
	return 0;
}

static const char *const record_skip[] = {"customer", "item", "actual", "if-version", NULL};

static int show(cli *c, int64_t id);

static int add(cli *c, const cli_args *a)
{
	if (a->npos)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a->pos[0]);
	kh_record r;
	const char *cv = cli_opt(a, "customer");
	int64_t customer = 0;
	if ((cv && cli_id(c, cv, &customer) < 0) ||
	    cli_record(c, &request_entity, a, record_skip, &r) < 0)
		return -1;
	if (customer)
		record_set_int(&r, RQF_CUSTOMER, customer);
	json_t *items;
	if (items_from_options(c, a, &items) < 0)
		return -1;
	int64_t id;
	int rc = svc_request_create(&c->s, &r, items, &id);
	json_decref(items);
	if (rc < 0)
		return -1;
	if (c->format == OUT_JSON)
		return show(c, id);
	cli_say(c, N_("Created %s %lld."), tr(c->lang, request_entity.label), (long long)id);
	return 0;
}

static void rows_table(cli *c, const list_page *p)
{
	if (c->format == OUT_JSON) {
		json_t *items = json_array();
		for (int i = 0; i < p->n; i++)
			json_array_append_new(items, svc_request_row_json(&c->s, &p->rows[i]));
		out_json(c, json_pack("{s:o, s:s?}", "items", items, "next", p->next));
		return;
	}
	if (p->n == 0) {
		if (c->format == OUT_TABLE)
			cli_say(c, N_("(nothing)"));
		return;
	}
	enum { NC = 9 };
	const char *h[NC] = {"ID",
	                     tr(c->lang, N_("Request type")),
	                     tr(c->lang, N_("Customer")),
	                     tr(c->lang, N_("Applicant")),
	                     tr(c->lang, N_("Date")),
	                     tr(c->lang, N_("Approval status")),
	                     tr(c->lang, N_("Current step")),
	                     tr(c->lang, N_("Budget (yuan)")),
	                     tr(c->lang, N_("Actual (yuan)"))};
	const char **cells = arena_calloc(&c->a, (size_t)(NC * p->n), sizeof(char *));
	for (int i = 0; i < p->n; i++) {
		json_t *j = svc_request_row_json(&c->s, &p->rows[i]);
		const kh_record *r = &p->rows[i];
		const char **row = &cells[i * NC];
		row[0] = arena_printf(&c->a, "%lld", (long long)r->v[F_ID].i);
		row[1] = arena_strdup(&c->a, json_string_value(json_object_get(j, "type_label")));
		const char *cn = json_string_value(json_object_get(j, "customer_name"));
		row[2] = cn ? arena_strdup(&c->a, cn) : "";
		row[3] =
		        cli_display(c, &request_entity.fields[RQF_APPLICANT], &r->v[RQF_APPLICANT]);
		row[4] = cli_display(c, &request_entity.fields[RQF_DATE], &r->v[RQF_DATE]);
		row[5] = arena_strdup(&c->a, json_string_value(json_object_get(j, "status_label")));
		row[6] = strcmp(r->v[RQF_STATUS].s, REQ_PENDING)
		                 ? ""
		                 : arena_printf(&c->a, "%lld", (long long)r->v[RQF_CURRENT_STEP].i);
		row[7] = cli_display(c, &request_entity.fields[RQF_BUDGET_TOTAL],
		                     &r->v[RQF_BUDGET_TOTAL]);
		row[8] = cli_display(c, &request_entity.fields[RQF_ACTUAL_TOTAL],
		                     &r->v[RQF_ACTUAL_TOTAL]);
		json_decref(j);
	}
	out_table(c, h, NC, cells, p->n);
	if (p->next)
		fprintf(stderr, "%s --after %s\n", tr(c->lang, N_("More: repeat with")), p->next);
}

static int list(cli *c, const cli_args *a, bool inbox)
{
	if (a->npos)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a->pos[0]);
	kv params[CLI_MAX_ARGS];
	int n = 0;
	for (int i = 0; i < a->nopts; i++) {
		params[n] = a->opts[i];
		if (!strcmp(params[n].key, "customer"))
			params[n].key = "customer_id";
		n++;
	}
	list_page p;
	if (svc_request_list(&c->s, params, n, inbox, &p) < 0)
		return -1;
	rows_table(c, &p);
	return 0;
}

static int show(cli *c, int64_t id)
{
	request_view v;
	if (svc_request_get(&c->s, id, &v) < 0)
		return -1;
	json_t *j = svc_request_json(&c->s, &v);
	if (c->format == OUT_JSON) {
		out_json(c, j);
		return 0;
	}
	/* the fields the request has, not every field of every type */
	kh_record shown;
	record_copy(&shown, &v.req, &c->a);
	for (int i = 0; i < shown.ent->nfields; i++)
		if (shown.v[i].state == V_NULL)
			shown.v[i].state = V_ABSENT;
	out_record(c, &shown, NULL);
	const char *cn = json_string_value(json_object_get(j, "customer_name"));
	fprintf(c->out, "\n%s: %s  %s: %s\n", tr(c->lang, N_("Customer")), cn ? cn : "",
	        tr(c->lang, N_("Approval status")),
	        json_string_value(json_object_get(j, "status_label")));
	if (v.nitems) {
		fputc('\n', c->out);
		static const int cols[] = {RIF_ITEM, RIF_BUDGET, RIF_ACTUAL, RIF_NOTE};
		out_records(c, v.items, v.nitems, cols, 4);
	}
	json_t *steps = json_object_get(j, "steps");
	size_t ns = json_array_size(steps);
	if (ns) {
		enum { NC = 6 };
		const char *h[NC] = {tr(c->lang, N_("Step")),       tr(c->lang, N_("Approver")),
		                     tr(c->lang, N_("State")),      tr(c->lang, N_("Decided by")),
		                     tr(c->lang, N_("Decided at")), tr(c->lang, N_("Comment"))};
		const char **cells = arena_calloc(&c->a, ns * NC, sizeof(char *));
		for (size_t i = 0; i < ns; i++) {
			json_t *st = json_array_get(steps, i);
			json_t *d = json_object_get(st, "decision");
			const char **row = &cells[i * NC];
			row[0] = arena_printf(
			        &c->a, "%lld",
			        (long long)json_integer_value(json_object_get(st, "step")));
			const char *label = json_string_value(json_object_get(st, "label"));
			json_t *who = json_object_get(st, "approvers");
			if (json_array_size(who) &&
			    strcmp(json_string_value(json_object_get(st, "kind")), "role") == 0) {
				buf b;
				buf_init(&b, 4096);
				if (buf_addf(&b, "%s (", label) < 0)
					return err_set(&c->err, KH_EINTERNAL, NULL);
				for (size_t k = 0; k < json_array_size(who); k++)
					if (buf_addf(&b, "%s%s", k ? ", " : "",
					             json_string_value(json_object_get(
					                     json_array_get(who, k), "name"))) < 0)
						break;
				label = buf_adds(&b, ")") < 0 ? label
				                              : arena_strdup(&c->a, buf_str(&b));
				buf_release(&b);
			}
			row[1] = label;
			const char *state = json_string_value(json_object_get(st, "state"));
			row[2] = !strcmp(state, "approved")   ? tr(c->lang, N_("Approved"))
			         : !strcmp(state, "rejected") ? tr(c->lang, N_("Rejected"))
			         : !strcmp(state, "current")
			                 ? tr(c->lang, N_("Waiting for this step"))
			         : !strcmp(state, "waiting") ? tr(c->lang, N_("Later"))
			                                     : tr(c->lang, N_("Not reached"));
			row[3] = d ? arena_strdup(&c->a, json_string_value(json_object_get(
			                                         json_object_get(d, "by"), "name")))
			           : "";
			row[4] =
			        d ? arena_strdup(&c->a, json_string_value(json_object_get(d, "at")))
			          : "";
			const char *cm =
			        d ? json_string_value(json_object_get(d, "comment")) : NULL;
			row[5] = cm ? arena_strdup(&c->a, cm) : "";
		}
		fputc('\n', c->out);
		out_table(c, h, NC, cells, (int)ns);
	}
	json_decref(j);
	return 0;
}

/* A refused change: say --if-version is needed, naming the current version. */
static int failed(cli *c, const cli_args *a, int64_t id)
{
	request_view v;
	kh_err saved = c->err;
	err_clear(&c->err);
	int64_t cur = svc_request_get(&c->s, id, &v) == 0 ? v.req.v[F_VERSION].i : 0;
	c->err = saved;
	return cli_stale(c, a, cur);
}

static int budget(cli *c, const cli_args *a)
{
	if (a->npos)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a->pos[0]);
	json_t *j;
	if (svc_request_budget(&c->s, a->opts, a->nopts, &j) < 0)
		return -1;
	if (c->format == OUT_JSON) {
		out_json(c, j);
		return 0;
	}
	bool person = !strcmp(json_string_value(json_object_get(j, "by")), "person");
	json_t *rows = json_object_get(j, "rows");
	size_t n = json_array_size(rows);
	enum { NC = 6 };
	const char *h[NC] = {person ? tr(c->lang, N_("Applicant")) : tr(c->lang, N_("Request")),
	                     person ? tr(c->lang, N_("Requests")) : tr(c->lang, N_("Customer")),
	                     tr(c->lang, N_("Budget (yuan)")),
	                     tr(c->lang, N_("Actual (yuan)")),
	                     tr(c->lang, N_("Over budget (actual - budget)")),
	                     tr(c->lang, N_("Not yet reported"))};
	const char **cells = arena_calloc(&c->a, (n + 1) * NC, sizeof(char *));
	for (size_t i = 0; i <= n; i++) {
		json_t *x = i < n ? json_array_get(rows, i) : json_object_get(j, "total");
		const char **row = &cells[i * NC];
		if (i == n) {
			row[0] = tr(c->lang, N_("Total"));
			row[1] = person ? arena_printf(&c->a, "%lld",
			                               (long long)json_integer_value(
			                                       json_object_get(x, "requests")))
			                : "";
		} else if (person) {
			row[0] = arena_strdup(&c->a,
			                      json_string_value(json_object_get(
			                              json_object_get(x, "applicant"), "name")));
			row[1] = arena_printf(
			        &c->a, "%lld",
			        (long long)json_integer_value(json_object_get(x, "requests")));
		} else {
			const char *what = json_string_value(json_object_get(x, "purpose"));
			if (!what)
				what = json_string_value(json_object_get(x, "gift_name"));
			row[0] = arena_printf(
			        &c->a, "%lld %s",
			        (long long)json_integer_value(json_object_get(x, "id")),
			        what ? what : "");
			const char *cn = json_string_value(json_object_get(x, "customer_name"));
			row[1] = cn ? arena_strdup(&c->a, cn) : "";
		}
		row[2] = yuan_json(c, json_object_get(x, "budget"));
		row[3] = yuan_json(c, json_object_get(x, "actual"));
		row[4] = yuan_json(c, json_object_get(x, "difference"));
		row[5] = arena_printf(
		        &c->a, "%lld",
		        (long long)json_integer_value(json_object_get(x, "unreported")));
	}
	out_table(c, h, NC, cells, (int)n + 1);
	json_t *items = json_object_get(j, "items");
	size_t ni = json_array_size(items);
	if (ni && c->format == OUT_TABLE) {
		const char *hi[4] = {tr(c->lang, N_("Expense item")),
		                     tr(c->lang, N_("Budget (yuan)")),
		                     tr(c->lang, N_("Actual (yuan)")),
		                     tr(c->lang, N_("Over budget (actual - budget)"))};
		const char **ic = arena_calloc(&c->a, ni * 4, sizeof(char *));
		for (size_t i = 0; i < ni; i++) {
			json_t *x = json_array_get(items, i);
			json_t *it = json_object_get(x, "item");
			const char *label = json_string_value(
			        json_object_get(it, c->lang == KH_LANG_EN ? "en" : "zh"));
			ic[i * 4] = arena_strdup(
			        &c->a,
			        label ? label : json_string_value(json_object_get(it, "code")));
			ic[i * 4 + 1] = yuan_json(c, json_object_get(x, "budget"));
			ic[i * 4 + 2] = yuan_json(c, json_object_get(x, "actual"));
			ic[i * 4 + 3] = yuan_json(c, json_object_get(x, "difference"));
		}
		fputc('\n', c->out);
		out_table(c, hi, 4, ic, (int)ni);
	}
	json_decref(j);
	return 0;
}

static int usage_request(cli *c)
{
	fprintf(c->out, "%s\n",
	        tr(c->lang,
	           N_("Usage: kehu request add --type entertainment|entertainment_report|gift "
	              "--customer ID --FIELD VALUE ... [--item ITEM=YUAN] | list [--type T] "
	              "[--status S] [--applicant U|me] | show ID | edit ID --if-version N "
	              "[--FIELD VALUE] [--item ITEM=YUAN] [--actual ITEM=YUAN] | submit ID "
	              "--if-version N | withdraw ID --if-version N | rm ID --if-version N | "
	              "restore ID --if-version N | approve ID --if-version N "
	              "[--comment TEXT] | reject ID --if-version N --comment TEXT | budget [--by "
	              "request|person] [--from DATE] [--to DATE]")));
	fprintf(c->out, "\n%s\n", tr(c->lang, N_("Fields:")));
	for (int i = F_NSYSTEM; i < request_entity.nfields; i++) {
		const kh_field *f = &request_entity.fields[i];
		if (f->flags & (FF_READONLY | FF_DERIVED))
			continue;
		fprintf(c->out, "  --%-18s %s\n",
		        !strcmp(f->name, "customer_id") ? "customer" : f->name,
		        field_label(f, c->lang));
	}
	return 0;
}

int cmd_request(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", NULL};
	if (argc < 2 || !strcmp(argv[1], "--help")) {
		usage_request(c);
		return argc < 2 ? cli_usage(c, N_("Say what to do")) : 0;
	}
	const char *sub = argv[1];
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, flags, &a) < 0)
		return -1;
	if (!strcmp(sub, "add"))
		return add(c, &a);
	if (!strcmp(sub, "list"))
		return list(c, &a, false);
	if (!strcmp(sub, "budget"))
		return budget(c, &a);
	int64_t id;
	if (cli_id(c, a.npos ? a.pos[0] : NULL, &id) < 0)
		return -1;
	if (a.npos > 1)
		return cli_usage(c, N_("Unexpected argument \"%s\""), a.pos[1]);
	const char *label = tr(c->lang, request_entity.label);
	if (!strcmp(sub, "show")) {
		if (cli_only(c, &a, NULL) < 0)
			return -1;
		return show(c, id);
	}
	int64_t version;
	if (cli_version(c, &a, &version) < 0)
		return -1;
	if (!strcmp(sub, "edit")) {
		kh_record patch;
		json_t *items;
		if (cli_record(c, &request_entity, &a, record_skip, &patch) < 0 ||
		    items_from_options(c, &a, &items) < 0)
			return -1;
		int rc = svc_request_update(&c->s, id, version, &patch, items);
		json_decref(items);
		if (rc < 0)
			return failed(c, &a, id);
		if (c->format == OUT_JSON)
			return show(c, id);
		cli_say(c, N_("%s %lld saved."), label, (long long)id);
		return 0;
	}
	if (!strcmp(sub, "submit") || !strcmp(sub, "withdraw")) {
		static const char *const allowed[] = {"if-version", NULL};
		bool submit = !strcmp(sub, "submit");
		if (cli_only(c, &a, allowed) < 0)
			return -1;
		if ((submit ? svc_request_submit : svc_request_withdraw)(&c->s, id, version) < 0)
			return failed(c, &a, id);
		if (c->format == OUT_JSON)
			return show(c, id);
		cli_say(c,
		        submit ? N_("%s %lld submitted for approval.") : N_("%s %lld withdrawn."),
		        label, (long long)id);
		return 0;
	}
	if (!strcmp(sub, "rm") || !strcmp(sub, "restore")) {
		static const char *const allowed[] = {"if-version", NULL};
		bool rm = !strcmp(sub, "rm");
		if (cli_only(c, &a, allowed) < 0)
			return -1;
		if ((rm ? svc_request_delete : svc_request_restore)(&c->s, id, version) < 0)
			return failed(c, &a, id);
		if (!rm && c->format == OUT_JSON)
			return show(c, id);
		cli_say(c, rm ? N_("%s %lld deleted.") : N_("%s %lld restored."), label,
		        (long long)id);
		return 0;
	}
	if (!strcmp(sub, "approve") || !strcmp(sub, "reject")) {
		static const char *const allowed[] = {"if-version", "comment", NULL};
		bool approve = !strcmp(sub, "approve");
		if (cli_only(c, &a, allowed) < 0)
			return -1;
		if (svc_request_decide(&c->s, id, version, approve, cli_opt(&a, "comment")) < 0)
			return failed(c, &a, id);
		if (c->format == OUT_JSON)
			return show(c, id);
		request_view v;
		if (svc_request_get(&c->s, id, &v) < 0)
			return -1;
		cli_say(c,
		        approve ? N_("%s %lld approved at this step; it is now: %s.")
		                : N_("%s %lld rejected; it is now: %s."),
		        label, (long long)id,
		        tr(c->lang, request_status_label(v.req.v[RQF_STATUS].s)));
		return 0;
	}
	return cli_usage(c, N_("Unknown subcommand \"%s\""), sub);
}

/* ---- kehu approval ---- */

static int chain_show(cli *c, const char *type)
{
	json_t *steps;
	int64_t version;
	if (svc_chain_get(&c->s, type, &steps, &version) < 0)
		return -1;
	if (c->format == OUT_JSON) {
		out_json(c, json_pack("{s:s, s:I, s:o}", "type", type, "version",
		                      (json_int_t)version, "steps", steps));
		return 0;
	}
	size_t n = json_array_size(steps);
	const char *h[3] = {tr(c->lang, N_("Step")), tr(c->lang, N_("Step kind")),
	                    tr(c->lang, N_("Approver"))};
	const char **cells = arena_calloc(&c->a, (n ? n : 1) * 3, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		json_t *st = json_array_get(steps, i);
		const char *kind = json_string_value(json_object_get(st, "kind"));
		cells[i * 3] = arena_printf(&c->a, "%zu", i + 1);
		cells[i * 3 + 1] = !strcmp(kind, "role") ? tr(c->lang, N_("Role"))
		                   : !strcmp(kind, "user")
		                           ? tr(c->lang, N_("Named user"))
		                           : tr(c->lang, N_("Applicant's supervisor"));
		if (!strcmp(kind, "role"))
			cells[i * 3 + 2] = arena_printf(
			        &c->a, "%s%s", json_string_value(json_object_get(st, "role_label")),
			        json_is_true(json_object_get(st, "dept_line"))
			                ? tr(c->lang, N_(" (applicant's department line)"))
			                : "");
		else if (!strcmp(kind, "user"))
			cells[i * 3 + 2] =
			        arena_strdup(&c->a, json_string_value(json_object_get(
			                                    json_object_get(st, "user"), "name")));
		else
			cells[i * 3 + 2] = "";
	}
	json_decref(steps);
	if (n)
		out_table(c, h, 3, cells, (int)n);
	else
		cli_say(c, N_("(no approval chain set)"));
	fprintf(stderr, "%s %lld\n", tr(c->lang, N_("Version of the chain:")), (long long)version);
	return 0;
}

static int chain_set(cli *c, const char *type, const cli_args *a)
{
	json_t *steps = json_array();
	int64_t version;
	for (int i = 0; i < a->nopts; i++) {
		const char *k = a->opts[i].key;
		if (!strcmp(k, "if-version"))
			continue;
		if (strcmp(k, "step") != 0) {
			json_decref(steps);
			return cli_usage(c, N_("Unknown option --%s"), k);
		}
		json_t *st = chain_step_from_text(a->opts[i].value);
		if (!st) {
			json_decref(steps);
			return cli_usage(c,
			                 N_("A step is supervisor, user:USERNAME, role:ROLE or "
			                    "role:ROLE:dept, not \"%s\""),
			                 a->opts[i].value ? a->opts[i].value : "");
		}
		json_array_append_new(steps, st);
	}
	int rc = cli_version(c, a, &version);
	if (rc == 0)
		rc = svc_chain_set(&c->s, type, version, steps);
	json_decref(steps);
	if (rc < 0) {
		if (c->err.code != KH_ECONFLICT)
			return -1;
		json_t *cur;
		int64_t now = 0;
		kh_err saved = c->err;
		err_clear(&c->err);
		if (svc_chain_get(&c->s, type, &cur, &now) == 0)
			json_decref(cur);
		c->err = saved;
		return cli_stale(c, a, now);
	}
	cli_say(c, N_("Approval chain of %s saved."), type);
	return 0;
}

int cmd_approval(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", NULL};
	static const char *const usage = N_(
	        "Usage: kehu approval inbox | chain show TYPE | chain set TYPE --step supervisor "
	        "--step role:manager[:dept] --step user:USERNAME ... --if-version N");
	if (argc < 2 || !strcmp(argv[1], "--help")) {
		fprintf(c->out, "%s\n", tr(c->lang, usage));
		return argc < 2 ? cli_usage(c, N_("Say what to do")) : 0;
	}
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, flags, &a) < 0)
		return -1;
	if (!strcmp(argv[1], "inbox"))
		return list(c, &a, true);
	if (strcmp(argv[1], "chain") != 0)
		return cli_usage(c, N_("Unknown subcommand \"%s\""), argv[1]);
	if (a.npos != 2) {
		fprintf(c->out, "%s\n", tr(c->lang, usage));
		return cli_usage(c, N_("Say what to do"));
	}
	if (!strcmp(a.pos[0], "show")) {
		if (cli_only(c, &a, NULL) < 0)
			return -1;
		return chain_show(c, a.pos[1]);
	}
	if (!strcmp(a.pos[0], "set"))
		return chain_set(c, a.pos[1], &a);
	return cli_usage(c, N_("Unknown subcommand \"%s\""), a.pos[0]);
}
