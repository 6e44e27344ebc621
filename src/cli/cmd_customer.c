/*
 * kehu customer add|list|show|edit|rm|restore|archive
 *
 *   add   --name N --source S --status S --first_contact_date D --requirement R
 *         [--FIELD VALUE ...] [--contact "name,phone[,position]"] ...
 *   list  [--q TEXT] [--FIELD VALUE] [--FIELD_from V] [--FIELD_to V] [--tag T]
 *         [--sort [-]FIELD] [--limit N] [--after CURSOR] [--view V] [--fields a,b]
 *   show  ID [--deleted]
 *   edit  ID --if-version N [--FIELD VALUE ...] [--unset FIELD]
 *   rm | restore  ID --if-version N
 *   archive ID --if-version N [--undo]
 *
 * Money is typed in yuan (12,345.60); dictionary fields take a code or a
 * label in either language; owner takes a username.
 */
#include <stdarg.h>
#include <string.h>

#include "cli/cli.h"
#include "service/render.h"

static int usage_customer(cli *c)
{
	cli_say(c, N_("Usage: kehu customer add|list|show|edit|rm|restore|archive ..."));
	cli_say(c, N_("  add --name N --source S --status S --first_contact_date YYYY-MM-DD "
	              "--requirement R [--FIELD VALUE] [--contact \"name,phone[,position]\"]"));
	cli_say(c, N_("  list [--q TEXT] [--FIELD VALUE] [--FIELD_from V] [--FIELD_to V] "
	              "[--sort -FIELD] [--limit N] [--after CURSOR] [--view archived|pool|"
	              "deleted|all|active] [--fields a,b]"));
	cli_say(c, N_("  show ID | edit ID --if-version N [--FIELD VALUE] [--unset FIELD] | "
	              "rm ID --if-version N | restore ID --if-version N | archive ID "
	              "--if-version N [--undo]"));
	cli_say(c, N_("  timeline ID [--limit N] [--after CURSOR]: follow-ups, orders, "
	              "opportunities, tickets ... newest first"));
	return 0;
}

/* --contact "name,phone[,position]" into a contact record */
static int parse_contact(cli *c, const char *spec, int i, kh_record *out)
{
	char *copy = arena_strdup(&c->a, spec);
	const char *parts[3] = {NULL, NULL, NULL};
	int n = 0;
	for (char *p = copy; p && n < 3; n++) {
		parts[n] = p;
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		p = comma ? comma + 1 : NULL;
	}
	if (!parts[0] || !parts[1])
		return err_field(&c->err, arena_printf(&c->a, "contacts[%d]", i),
		                 N_("Write --contact \"name,phone[,position]\""));
	record_init(out, &contact_entity, &c->a);
	record_set_text(out, KF_NAME, parts[0]);
	record_set_text(out, KF_PHONE, parts[1]);
	if (parts[2])
		record_set_text(out, KF_POSITION, parts[2]);
	return 0;
}

static int show(cli *c, int64_t id, bool deleted)
{
	kh_record r, *contacts;
	int n;
	if (svc_customer_get(&c->s, id, deleted, &r, &contacts, &n) < 0)
		return -1;
	if (c->format == OUT_JSON) {
		out_json(c, render_customer(&c->s, &r, contacts, n));
		return 0;
	}
	out_record(c, &r, NULL);
	if (n && c->format == OUT_TABLE) {
		fputc('\n', c->out);
		static const int cols[] = {F_ID,     KF_NAME,  KF_POSITION,
		                           KF_PHONE, KF_EMAIL, KF_PRIMARY};
		out_records(c, contacts, n, cols, 6);
	}
	return 0;
}

void cli_customer_done(cli *c, int64_t id, const char *msgid, ...)
{
	if (c->format == OUT_JSON) {
		if (show(c, id, false) < 0) /* gone from sight (released to the pool ...): say so */
			err_clear(&c->err);
		else
			return;
	}
	va_list ap;
	va_start(ap, msgid);
	vfprintf(c->out, tr(c->lang, msgid), ap);
	va_end(ap);
	fputc('\n', c->out);
}

static int add(cli *c, cli_args *a)
{
	static const char *const skip[] = {"contact", NULL};
	kh_record r;
	kh_record contacts[20];
	int n = 0;
	int rc = cli_record(c, &customer_entity, a, skip, &r);
	for (int i = 0; i < a->nopts; i++) {
		if (strcmp(a->opts[i].key, "contact") != 0)
			continue;
		if (n == 20)
			return cli_usage(c, N_("At most %d contacts at once"), 20);
		if (parse_contact(c, a->opts[i].value, n, &contacts[n]) == 0)
			n++;
	}
	if (rc < 0 || c->err.code != KH_OK)
		return -1;
	int64_t id;
	if (svc_customer_create(&c->s, &r, contacts, n, &id) < 0)
		return -1;
	if (c->format == OUT_JSON)
		return show(c, id, false);
	kh_record created;
	if (svc_customer_get(&c->s, id, false, &created, NULL, NULL) < 0)
		return -1;
	cli_say(c, N_("Created customer %lld, code %s, version %lld."), (long long)id,
	        created.v[CF_CODE].s, (long long)created.v[F_VERSION].i);
	return 0;
}

static int list(cli *c, cli_args *a)
{
	list_page p;
	if (svc_customer_list(&c->s, a->opts, a->nopts, &p) < 0)
		return -1;
	if (c->format == OUT_TABLE && !cli_opt(a, "fields")) {
		/* a terminal is narrow: the columns people scan first */
		static const int cols[] = {F_ID,
		                           CF_CODE,
		                           CF_NAME,
		                           CF_INDUSTRY,
		                           CF_STATUS,
		                           CF_OWNER,
		                           CF_LAST_FOLLOWUP_DATE,
		                           CF_DEAL_AMOUNT};
		p.fields = cols;
		p.nfields = (int)(sizeof(cols) / sizeof(cols[0]));
	}
	out_page(c, &p, true);
	return 0;
}

/* The version the customer has now, for the messages of a refused change. */
static int64_t current_version(cli *c, int64_t id, bool deleted)
{
	kh_record r;
	kh_err saved = c->err;
	int64_t v = 0;
	err_clear(&c->err);
	if (svc_customer_get(&c->s, id, deleted, &r, NULL, NULL) == 0)
		v = r.v[F_VERSION].i;
	c->err = saved;
	return v;
}

/*
 * A refused change: without --if-version say it is needed; with a stale one
 * say so and show the customer as it is now (the API's 412 body).
 */
static int failed(cli *c, const cli_args *a, int64_t id, bool deleted)
{
	if (c->err.code != KH_ECONFLICT)
		return -1;
	if (!cli_opt(a, "if-version"))
		return cli_stale(c, a, current_version(c, id, deleted));
	kh_err saved = c->err;
	err_clear(&c->err);
	FILE *out = c->out;
	c->out = stderr;
	fprintf(stderr, "%s\n", tr(c->lang, N_("The customer as it is now:")));
	show(c, id, deleted);
	c->out = out;
	c->err = saved;
	return -1;
}

static int edit(cli *c, cli_args *a, int64_t id)
{
	int64_t version;
	static const char *const skip[] = {"if-version", NULL};
	kh_record patch;
	if (cli_version(c, a, &version) < 0 || cli_record(c, &customer_entity, a, skip, &patch) < 0)
		return -1;
	if (svc_customer_update(&c->s, id, version, &patch) < 0)
		return failed(c, a, id, false);
	kh_record now;
	if (svc_customer_get(&c->s, id, false, &now, NULL, NULL) < 0)
		return -1;
	cli_customer_done(c, id, N_("Customer %lld saved, version %lld."), (long long)id,
	                  (long long)now.v[F_VERSION].i);
	return 0;
}

/* Everything logged around the customer, newest first: when, what, which record. */
static int timeline(cli *c, const cli_args *a, int64_t id)
{
	static const char *const allowed[] = {"limit", "after", NULL};
	if (cli_only(c, a, allowed) < 0)
		return -1;
	timeline_page p;
	if (svc_customer_timeline(&c->s, id, a->opts, a->nopts, &p) < 0)
		return -1;
	if (c->format == OUT_JSON) {
		out_json(c, render_timeline(&c->s, &p));
		return 0;
	}
	if (p.n == 0) {
		if (c->format == OUT_TABLE)
			cli_say(c, N_("(nothing)"));
		return 0;
	}
	const char *headers[5] = {tr(c->lang, N_("When")), tr(c->lang, N_("Record")),
	                          tr(c->lang, N_("ID")), tr(c->lang, N_("Summary")),
	                          tr(c->lang, N_("Amount (yuan)"))};
	const char **cells = arena_calloc(&c->a, (size_t)p.n * 5, sizeof(char *));
	for (int i = 0; i < p.n; i++) {
		const timeline_entry *e = &p.items[i];
		const kh_field *f = &e->kind->ent->fields[e->kind->date_field];
		kh_value at = {.state = V_SET, .s = e->at};
		kh_value amount = {.state = V_SET, .i = e->amount};
		cells[i * 5] = cli_display(c, f, &at);
		cells[i * 5 + 1] = tr(c->lang, e->kind->ent->label);
		cells[i * 5 + 2] = arena_printf(&c->a, "%lld", (long long)e->id);
		cells[i * 5 + 3] = e->summary;
		if (e->has_amount)
			cells[i * 5 + 4] = cli_display(
			        c, &e->kind->ent->fields[e->kind->amount_field], &amount);
	}
	out_table(c, headers, 5, cells, p.n);
	if (p.next)
		fprintf(stderr, "%s --after %s\n", tr(c->lang, N_("More: repeat with")), p.next);
	return 0;
}

int cmd_customer(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"help", "undo", "deleted", NULL};
	if (argc < 2) {
		usage_customer(c);
		return cli_usage(c, N_("Say what to do with customers"));
	}
	if (!strcmp(argv[1], "--help"))
		return usage_customer(c);
	const char *sub = argv[1];
	cli_args a;
	if (cli_parse(c, argc - 1, argv + 1, flags, &a) < 0)
		return -1;
	if (cli_flag(&a, "help"))
		return usage_customer(c);
	if (!strcmp(sub, "add"))
		return add(c, &a);
	if (!strcmp(sub, "list"))
		return list(c, &a);
	int64_t id;
	if (cli_id(c, a.npos ? a.pos[0] : NULL, &id) < 0)
		return -1;
	if (!strcmp(sub, "show")) {
		static const char *const allowed[] = {"deleted", NULL};
		if (cli_only(c, &a, allowed) < 0)
			return -1;
		return show(c, id, cli_flag(&a, "deleted"));
	}
	if (!strcmp(sub, "edit"))
		return edit(c, &a, id);
	if (!strcmp(sub, "timeline"))
		return timeline(c, &a, id);
	static const char *const allowed[] = {"if-version", "undo", NULL};
	if (cli_only(c, &a, allowed) < 0)
		return -1;
	int64_t version;
	bool restore = !strcmp(sub, "restore");
	if (strcmp(sub, "rm") && !restore && strcmp(sub, "archive"))
		return cli_usage(c, N_("Unknown subcommand \"%s\""), sub);
	if (cli_version(c, &a, &version) < 0)
		return -1;
	if (!strcmp(sub, "rm")) {
		if (svc_customer_delete(&c->s, id, version) < 0)
			return failed(c, &a, id, false);
		cli_say(c, N_("Customer %lld deleted (restore with \"kehu customer restore\")."),
		        (long long)id);
		return 0;
	}
	if (restore) {
		if (svc_customer_restore(&c->s, id, version) < 0)
			return failed(c, &a, id, true);
		cli_customer_done(c, id, N_("Customer %lld restored."), (long long)id);
		return 0;
	}
	bool undo = cli_flag(&a, "undo");
	if (svc_customer_archive(&c->s, id, version, !undo) < 0)
		return failed(c, &a, id, false);
	cli_customer_done(c, id,
	                  undo ? N_("Customer %lld is back from the archive.")
	                       : N_("Customer %lld moved to the archive."),
	                  (long long)id);
	return 0;
}
