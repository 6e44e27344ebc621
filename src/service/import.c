/*
 * import — customers from a sheet, one row at a time, through the customer
 * use cases (see import.h).
 */
#include "service/import.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/credit_code.h"
#include "core/customer.h"
#include "core/import_map.h"
#include "core/org.h"
#include "core/phone.h"
#include "service/internal.h"
#include "core/validate.h"
#include "util/money.h"
#include "util/utf8.h"

#define PROGRESS_EVERY 500
#define MAX_TAGS       32

static const struct {
	unsigned bit;
	const char *name;
	int target;
} match_keys[] = {
        {IMPORT_MATCH_CODE, "code", CF_CODE},
        {IMPORT_MATCH_PHONE, "phone", IMPORT_CONTACT + KF_PHONE},
        {IMPORT_MATCH_CREDIT, "credit_code", CF_CREDIT_CODE},
        {IMPORT_MATCH_NAME, "name", CF_NAME},
};
#define NKEYS ((int)(sizeof(match_keys) / sizeof(match_keys[0])))

bool import_mode_parse(const char *text, import_mode *out)
{
	static const char *names[] = {"create", "upsert", "update"};
	for (int i = 0; i < 3; i++)
		if (text && strcmp(text, names[i]) == 0) {
			*out = (import_mode)i;
			return true;
		}
	return false;
}

const char *import_mode_name(import_mode m)
{
	return m == IMPORT_UPSERT ? "upsert" : m == IMPORT_UPDATE ? "update" : "create";
}

bool import_match_parse(const char *text, unsigned *out)
{
	*out = 0;
	const char *p = text ? text : "";
	while (*p) {
		size_t n = strcspn(p, ",");
		bool found = false;
		for (int k = 0; k < NKEYS; k++)
			if (strlen(match_keys[k].name) == n &&
			    strncmp(p, match_keys[k].name, n) == 0) {
				*out |= match_keys[k].bit;
				found = true;
			}
		if (!found && n)
			return false;
		p += n;
		if (*p == ',')
			p++;
	}
	return *out != 0;
}

static const char *match_text(svc *s, unsigned match)
{
	const char *t = "";
	for (int k = 0; k < NKEYS; k++)
		if (match & match_keys[k].bit)
			t = arena_printf(s->a, "%s%s%s", t, *t ? "," : "", match_keys[k].name);
	return t;
}

/* ---- the keys seen in the file: duplicates within it ---- */

typedef struct seen_set {
	char **keys;
	long *rows;
	size_t cap, n;
} seen_set;

static uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The row that had key before (0: none, and key is now remembered for row). */
static long seen_add(seen_set *ss, const char *key, long row)
{
	if (ss->n * 2 >= ss->cap) {
		size_t cap = ss->cap ? ss->cap * 2 : 1024;
		char **keys = calloc(cap, sizeof(char *));
		long *rows = calloc(cap, sizeof(long));
		if (!keys || !rows) {
			free(keys);
			free(rows);
			return 0;
		}
		for (size_t i = 0; i < ss->cap; i++) {
			if (!ss->keys[i])
				continue;
			size_t j = hash_text(ss->keys[i]) & (cap - 1);
			while (keys[j])
				j = (j + 1) & (cap - 1);
			keys[j] = ss->keys[i];
			rows[j] = ss->rows[i];
		}
		free(ss->keys);
		free(ss->rows);
		ss->keys = keys;
		ss->rows = rows;
		ss->cap = cap;
	}
	size_t j = hash_text(key) & (ss->cap - 1);
	while (ss->keys[j]) {
		if (strcmp(ss->keys[j], key) == 0)
			return ss->rows[j];
		j = (j + 1) & (ss->cap - 1);
	}
	ss->keys[j] = strdup(key);
	if (!ss->keys[j])
		return 0;
	ss->rows[j] = row;
	ss->n++;
	return 0;
}

static void seen_free(seen_set *ss)
{
	for (size_t i = 0; i < ss->cap; i++)
		free(ss->keys[i]);
	free(ss->keys);
	free(ss->rows);
}

/* ---- one import run ---- */

typedef struct run {
	svc *s;
	const import_options *o;
	import_report *rep;
	arena *out;                                /* where the report lives (the caller's arena) */
	int ncols;                                 /* columns of the header */
	int *target;                               /* per column */
	int by_target[IMPORT_CONTACT + KF__COUNT]; /* column of each target, -1 */
	const char *dflt[IMPORT_CONTACT + KF__COUNT]; /* default text per target */
	seen_set seen;
	int64_t batch_id;
	unsigned match;
	long row; /* the sheet row being read */
	const io_row *cells;
} run;

static void problem(run *u, int col, const char *column, const char *value, const char *msg,
                    bool dup)
{
	import_report *rep = u->rep;
	if (dup)
		rep->duplicates++;
	if (rep->nproblems >= IMPORT_MAX_PROBLEMS) {
		rep->truncated = true;
		return;
	}
	int cap = rep->nproblems; /* grow by doubling on powers of two */
	if (cap == 0 || (cap & (cap - 1)) == 0) {
		import_problem *p = arena_alloc(u->out, sizeof(*p) * (size_t)(cap ? cap * 2 : 16));
		if (cap)
			memcpy(p, rep->problems, sizeof(*p) * (size_t)cap);
		rep->problems = p;
	}
	import_problem *p = &rep->problems[rep->nproblems++];
	p->row = u->row;
	if (col >= 0 && col < u->ncols) {
		column = u->rep->columns[col].header;
		if (!value && u->cells && col < u->cells->ncells)
			value = u->cells->cells[col].text;
	}
	p->column = column ? arena_strdup(u->out, column) : NULL;
	p->value = value ? arena_strdup(u->out, value) : NULL;
	p->message = arena_strdup(u->out, msg);
	p->duplicate = dup;
}

/* The column of a field error's name ("name", "contacts[0].phone"), -1 if none. */
static int error_column(run *u, const char *field, int *target)
{
	*target = -1;
	if (!field)
		return -1;
	const kh_entity *ent = &customer_entity;
	int base = 0;
	if (strncmp(field, "contacts[0].", 12) == 0) {
		field += 12;
		ent = &contact_entity;
		base = IMPORT_CONTACT;
	}
	int f = entity_field(ent, field);
	if (f < 0)
		return -1;
	*target = base + f;
	return u->by_target[base + f];
}

/* Report the field errors (or the error) in s->err against the row. */
static void row_errors(run *u)
{
	svc *s = u->s;
	if (s->err->nfields == 0) {
		problem(u, -1, NULL, NULL, err_message(s->err), s->err->code == KH_EDUP);
		return;
	}
	for (int i = 0; i < s->err->nfields; i++) {
		const kh_field_error *fe = &s->err->fields[i];
		int target;
		int col = error_column(u, fe->field, &target);
		const char *column = col < 0 && target >= 0
		                             ? import_target_label(target, s->lang, s->a)
		                             : fe->field;
		problem(u, col, column, col < 0 ? "" : NULL, fe->message, s->err->code == KH_EDUP);
	}
}

static bool fatal(const kh_err *e)
{
	return e->code == KH_EDB || e->code == KH_EBUSY || e->code == KH_EIO ||
	       e->code == KH_EINTERNAL;
}

/* The username of a user named by username or display name (NULL: none). */
static const char *user_named(svc *s, const char *text)
{
	if (snap_user_by_name(s->snap, text))
		return text;
	const kh_record *hit = NULL;
	for (int i = 0; i < s->snap->nusers; i++) {
		const kh_record *u = &s->snap->users[i];
		if (record_is_set(u, UF_DISPLAY_NAME) &&
		    strcmp(u->v[UF_DISPLAY_NAME].s, text) == 0) {
			if (hit)
				return text; /* two people of that name: the username must say */
			hit = u;
		}
	}
	return hit ? hit->v[UF_USERNAME].s : text;
}

/* Put cell text into field f of r; a field error when it is not that type's. */
static void set_value(run *u, kh_record *r, int f, int target, const char *text, io_cell_type type)
{
	svc *s = u->s;
	const kh_field *fd = &r->ent->fields[f];
	const char *name = r->ent == &contact_entity
	                           ? arena_printf(s->a, "contacts[0].%s", fd->name)
	                           : fd->name;
	const char *label = import_target_label(target, s->lang, s->a);
	switch (fd->type) {
	case FT_DATE: {
		char d[DATE_LEN];
		if (type == IO_CELL_DATE && strlen(text) >= 10) {
			memcpy(d, text, 10);
			d[10] = '\0';
		} else if (!import_parse_date(text, d)) {
			err_field(s->err, name,
			          N_("%s must be a date (2024-05-10, 2024/5/10, 5/10/2024 or "
			             "2024年5月10日)"),
			          label);
			return;
		}
		record_set_text(r, f, arena_strdup(s->a, d));
		return;
	}
	case FT_MONEY: {
		int64_t fen;
		if (!money_parse_yuan(text, &fen)) {
			err_field(s->err, name, N_("%s must be an amount in yuan, like 12,345.60"),
			          label);
			return;
		}
		record_set_int(r, f, fen);
		return;
	}
	case FT_INT: {
		char *end;
		long long v = strtoll(text, &end, 10);
		if (end == text || (*end && strcmp(end, ".0") && strcmp(end, "次"))) {
			err_field(s->err, name, N_("%s must be a whole number"), label);
			return;
		}
		record_set_int(r, f, v);
		return;
	}
	case FT_BOOL: {
		bool b;
		if (!import_parse_bool(text, &b)) {
			err_field(s->err, name, N_("%s must be yes or no (是/否)"), label);
			return;
		}
		record_set_int(r, f, b);
		return;
	}
	case FT_USER:
		r->v[f].state = V_SET;
		r->v[f].s = user_named(s, text);
		return;
	case FT_TAGS: {
		const char *items[MAX_TAGS];
		char *t = arena_strdup(s->a, text);
		for (char *p = t; *p; p++)
			if (*p == ';' || *p == '|')
				*p = ',';
		int n = utf8_split_list(s->a, t, items, MAX_TAGS);
		if (n < 0) {
			err_field(s->err, name, N_("%s: at most %d tags"), label, MAX_TAGS);
			return;
		}
		json_t *arr = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(arr, json_string(items[i]));
		char *js = json_dumps(arr, JSON_COMPACT);
		json_decref(arr);
		record_set_text(r, f, js ? arena_strdup(s->a, js) : "[]");
		free(js);
		return;
	}
	default:
		record_set_text(r, f, text);
		return;
	}
}

/* The record for a row: its customer (c) and contact (k, *has_contact). */
static void build(run *u, const io_row *row, kh_record *c, kh_record *k, bool *has_contact)
{
	svc *s = u->s;
	record_init(c, &customer_entity, s->a);
	record_init(k, &contact_entity, s->a);
	*has_contact = false;
	for (int t = 0; t < IMPORT_CONTACT + KF__COUNT; t++) {
		int col = u->by_target[t];
		const io_cell *cell = col >= 0 && col < row->ncells ? &row->cells[col] : NULL;
		const char *text = cell && cell->type != IO_CELL_EMPTY ? cell->text : NULL;
		io_cell_type type = cell ? cell->type : IO_CELL_EMPTY;
		if (text) {
			text = utf8_trim(s->a, text);
			if (!*text)
				text = NULL;
		}
		if (!text && u->dflt[t]) {
			text = u->dflt[t];
			type = IO_CELL_TEXT;
		}
		if (!text)
			continue;
		int f;
		const kh_entity *ent = import_target_field(t, &f);
		if (ent == &contact_entity)
			*has_contact = true;
		set_value(u, ent == &contact_entity ? k : c, f, t, text, type);
	}
}

/* The customer a row matches (0: none); a field error when its keys name two. */
static int find_match(run *u, kh_record *c, kh_record *k, int64_t *id, int *key)
{
	svc *s = u->s;
	*id = 0;
	for (int i = 0; i < NKEYS; i++) {
		if (!(u->match & match_keys[i].bit))
			continue;
		int f;
		const kh_entity *ent = import_target_field(match_keys[i].target, &f);
		const kh_record *r = ent == &contact_entity ? k : c;
		if (!record_is_set(r, f))
			continue;
		const char *v = r->v[f].s;
		if (f == KF_PHONE && ent == &contact_entity)
			v = phone_normalize(s->a, v);
		else if (f == CF_CREDIT_CODE)
			v = credit_code_normalize(s->a, v);
		else
			v = utf8_trim(s->a, v);
		if (!v || !*v)
			continue;
		long before = seen_add(
		        &u->seen, arena_printf(s->a, "%s\x1f%s", match_keys[i].name, v), u->row);
		if (before) {
			problem(u, u->by_target[match_keys[i].target], NULL, NULL,
			        arena_printf(
			                s->a, tr(s->lang, N_("Same %s as row %ld of the file")),
			                import_target_label(match_keys[i].target, s->lang, s->a),
			                before),
			        true);
			return -1;
		}
		int64_t hit;
		if (store_customer_match(s->db, match_keys[i].name, v, &hit, s->err) < 0)
			return -2;
		if (!hit)
			continue;
		if (*id && *id != hit) {
			problem(u, u->by_target[match_keys[i].target], NULL, NULL,
			        tr(s->lang, N_("The row's keys match two different customers")),
			        true);
			return -1;
		}
		*id = hit;
		*key = i;
	}
	return 0;
}

static int add_batch_row(run *u, int64_t customer_id, const char *action, const char *previous,
                         int64_t version)
{
	svc *s = u->s;
	kh_record r;
	record_init(&r, &import_row_entity, s->a);
	record_set_int(&r, IRF_BATCH, u->batch_id);
	record_set_int(&r, IRF_ROW, u->row);
	record_set_int(&r, IRF_CUSTOMER, customer_id);
	record_set_text(&r, IRF_ACTION, action);
	record_set_text(&r, IRF_PREVIOUS, previous);
	record_set_int(&r, IRF_AFTER_VERSION, version);
	stamp_new(s, &r);
	return store_record_insert(s->db, &r, s->err);
}

/* The legacy totals of an update become the customer's opening balances, to
 * which its records in kehu are added (as on a create). */
static bool opening_from_totals(kh_record *patch)
{
	const int(*pairs)[2] = customer_opening;
	bool any = false;
	for (int i = 0; i < CUSTOMER_NOPENING; i++)
		if (patch->v[pairs[i][0]].state != V_ABSENT) {
			patch->v[pairs[i][1]] = patch->v[pairs[i][0]];
			patch->v[pairs[i][0]].state = V_ABSENT;
			any = true;
		}
	return any;
}

/* Update customer id from the row's values: 1 updated, 0 unchanged, -1 failed. */
static int update_one(run *u, int64_t id, kh_record *patch)
{
	svc *s = u->s;
	kh_record old;
	if (customer_load(s, id, false, &old) < 0)
		return -1;
	patch->v[CF_CODE].state = V_ABSENT; /* the key it was found by, never changed */
	bool totals = opening_from_totals(patch);
	if (svc_customer_update(s, id, old.v[F_VERSION].i, patch) < 0)
		return -1;
	bool any = false;
	int n = 0;
	int *changed = arena_calloc(s->a, (size_t)customer_entity.nfields, sizeof(int));
	for (int f = F_NSYSTEM; f < customer_entity.nfields; f++)
		if (patch->v[f].state != V_ABSENT) {
			changed[n++] = f;
			any = true;
		}
	if (!any)
		return 0;
	if (totals &&
	    (store_customer_recompute(s->db, id, s->err) < 0 || customer_restage(s, id) < 0))
		return -1;
	json_t *prev = record_to_json(&old, NULL, changed, n);
	char *js = json_dumps(prev, JSON_COMPACT);
	json_decref(prev);
	int rc = add_batch_row(u, id, "update", js, old.v[F_VERSION].i + 1);
	free(js);
	return rc < 0 ? -1 : 1;
}

/* One data row, in its own savepoint. */
static int one_row(run *u, const io_row *row)
{
	svc *s = u->s;
	kh_record c, k;
	bool has_contact;
	u->row = row->number;
	u->cells = row;
	u->rep->rows++;
	/* a cell that is not of its field's type is a field error in s->err; the
	 * use case then adds its own and writes nothing, so every problem of the
	 * row is reported at once */
	build(u, row, &c, &k, &has_contact);
	int64_t id = 0;
	int key = -1;
	int m = find_match(u, &c, &k, &id, &key);
	if (m == -2)
		return -2;
	const char *why = NULL;
	int col = -1;
	if (m == 0 && id && u->o->mode == IMPORT_CREATE) {
		col = u->by_target[match_keys[key].target];
		why = arena_printf(s->a, tr(s->lang, N_("Customer %lld already has this %s")),
		                   (long long)id,
		                   import_target_label(match_keys[key].target, s->lang, s->a));
	} else if (m == 0 && !id && u->o->mode == IMPORT_UPDATE) {
		why = tr(s->lang, N_("No customer in kehu matches this row (update only)"));
	}
	if (why)
		problem(u, col, NULL, NULL, why, id != 0);
	if (m < 0 || why) {
		if (s->err->code != KH_OK)
			row_errors(u);
		return -1;
	}
	if (store_begin(s->db, s->err) < 0)
		return -2;
	int rc;
	if (id) {
		rc = update_one(u, id, &c);
		if (rc == 1)
			u->rep->updated++;
		else if (rc == 0)
			u->rep->unchanged++;
	} else {
		int64_t nid;
		rc = svc_customer_create(s, &c, has_contact ? &k : NULL, has_contact ? 1 : 0, &nid);
		if (rc == 0 && add_batch_row(u, nid, "create", NULL, c.v[F_VERSION].i) < 0)
			rc = -1;
		if (rc == 0)
			u->rep->created++;
	}
	if (rc < 0) {
		store_rollback(s->db);
		if (fatal(s->err))
			return -2;
		row_errors(u);
		return -1;
	}
	if (store_commit(s->db, s->err) < 0)
		return -2;
	return 0;
}

/* ---- the header and the mapping ---- */

/* The saved mapping called name into *rows (*n 0 or 1). */
static int find_mapping(svc *s, const char *name, kh_record **rows, int *n)
{
	kh_value v = {.state = V_SET, .s = name};
	kh_query q = {.ent = &import_mapping_entity,
	              .nfilters = 1,
	              .filters = {{.field = IMF_NAME, .op = OP_IN, .nvals = 1, .vals = &v}},
	              .sort_field = F_ID,
	              .limit = 1,
	              .view = VIEW_ACTIVE,
	              .scope = {.kind = SCOPE_MATCH_ALL}};
	bool more;
	return store_record_list(s->db, &q, NULL, s->a, rows, n, &more, s->err);
}

static int load_mapping(svc *s, const char *name, json_t **out)
{
	kh_record *rows;
	int n;
	*out = NULL;
	if (find_mapping(s, name, &rows, &n) < 0)
		return -1;
	if (n == 0)
		return err_field(s->err, "mapping", N_("No saved mapping is called \"%s\""), name);
	*out = json_loads(record_text(&rows[0], IMF_MAPPING), 0, NULL);
	return n;
}

static int save_mapping(run *u)
{
	svc *s = u->s;
	json_t *m = json_object();
	for (int i = 0; i < u->ncols; i++)
		json_object_set_new(
		        m, u->rep->columns[i].header,
		        json_string(u->rep->columns[i].field ? u->rep->columns[i].field : "-"));
	char *js = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(m);
	kh_record *rows;
	int n, rc;
	if (find_mapping(s, u->o->save_mapping, &rows, &n) < 0) {
		free(js);
		return -1;
	}
	kh_record r;
	record_init(&r, &import_mapping_entity, s->a);
	record_set_text(&r, IMF_MAPPING, js ? js : "{}");
	if (n) {
		rc = store_record_update(s->db, &r, rows[0].v[F_ID].i, rows[0].v[F_VERSION].i,
		                         svc_now(s), s->err);
	} else {
		record_set_text(&r, IMF_NAME, u->o->save_mapping);
		rc = record_validate(&r, NULL, 0, NULL, s->a, s->err);
		if (rc == 0) {
			stamp_new(s, &r);
			rc = store_record_insert(s->db, &r, s->err);
		}
	}
	free(js);
	return rc;
}

/* The target of header col: override, saved mapping, or by its text. */
static int map_column(run *u, const char *header, json_t *saved)
{
	svc *s = u->s;
	for (int i = 0; i < u->o->nmap; i++) {
		if (strcmp(import_fold_header(u->o->map[i].key, s->a),
		           import_fold_header(header, s->a)) != 0)
			continue;
		int t;
		if (!import_target_parse(u->o->map[i].value, s->a, &t) ||
		    (t != IMPORT_IGNORE && !import_target_ok(t)))
			return err_field(s->err, arena_printf(s->a, "map.%s", u->o->map[i].key),
			                 N_("No field can be imported as \"%s\""),
			                 u->o->map[i].value),
			       -2;
		return t;
	}
	json_t *sv = saved ? json_object_get(saved, header) : NULL;
	int t;
	if (json_is_string(sv) && import_target_parse(json_string_value(sv), s->a, &t) &&
	    (t == IMPORT_IGNORE || import_target_ok(t)))
		return t;
	t = import_map_header(header, s->a);
	return t != IMPORT_IGNORE && import_target_ok(t) ? t : IMPORT_IGNORE;
}

static int read_header(run *u, io_reader *r, json_t *saved)
{
	svc *s = u->s;
	io_row row;
	int rc = io_next(r, &row, s->err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(s->err, KH_EINVAL, N_("The sheet is empty: it has no header row"));
	u->ncols = row.ncells;
	u->target = arena_calloc(u->out, (size_t)row.ncells + 1, sizeof(int));
	u->rep->columns = arena_calloc(u->out, (size_t)row.ncells + 1, sizeof(import_column));
	u->rep->ncolumns = row.ncells;
	for (int t = 0; t < IMPORT_CONTACT + KF__COUNT; t++)
		u->by_target[t] = -1;
	for (int i = 0; i < row.ncells; i++) {
		const char *h = utf8_trim(u->out, row.cells[i].text);
		u->rep->columns[i].header = h;
		int t = map_column(u, h, saved);
		if (t == -2)
			return -1;
		if (t != IMPORT_IGNORE && u->by_target[t] >= 0) {
			err_field(s->err, h, N_("Columns \"%s\" and \"%s\" both hold %s"),
			          u->rep->columns[u->by_target[t]].header, h,
			          import_target_label(t, s->lang, s->a));
			continue;
		}
		u->target[i] = t;
		if (t == IMPORT_IGNORE)
			continue;
		u->by_target[t] = i;
		u->rep->columns[i].field = import_target_name(t, u->out);
		u->rep->columns[i].label = import_target_label(t, s->lang, u->out);
	}
	/* every option not naming a column is reported, not silently dropped */
	for (int i = 0; i < u->o->nmap; i++) {
		bool found = false;
		for (int c = 0; c < u->ncols && !found; c++)
			found = !strcmp(import_fold_header(u->o->map[i].key, s->a),
			                import_fold_header(u->rep->columns[c].header, s->a));
		if (!found)
			err_field(s->err, arena_printf(s->a, "map.%s", u->o->map[i].key),
			          N_("The sheet has no column \"%s\""), u->o->map[i].key);
	}
	for (int i = 0; i < u->o->ndefaults; i++) {
		int t;
		if (!import_target_parse(u->o->defaults[i].key, s->a, &t) || t == IMPORT_IGNORE ||
		    !import_target_ok(t)) {
			err_field(s->err, arena_printf(s->a, "defaults.%s", u->o->defaults[i].key),
			          N_("No field can be imported as \"%s\""), u->o->defaults[i].key);
			continue;
		}
		u->dflt[t] = arena_strdup(u->out, u->o->defaults[i].value);
	}
	if (u->o->mode != IMPORT_UPDATE && u->by_target[CF_NAME] < 0 && !u->dflt[CF_NAME])
		err_set(s->err, KH_EINVAL,
		        N_("No column holds the customer name (客户名称): name one with a "
		           "mapping"));
	for (int k = 0; k < NKEYS; k++)
		if ((u->match & match_keys[k].bit) && u->o->mode != IMPORT_CREATE &&
		    u->by_target[match_keys[k].target] < 0 && u->match == match_keys[k].bit)
			err_set(s->err, KH_EINVAL, N_("No column holds %s, the key to match on"),
			        import_target_label(match_keys[k].target, s->lang, s->a));
	return s->err->code == KH_OK ? 0 : -1;
}

/* ---- the use cases ---- */

static int open_batch(run *u)
{
	svc *s = u->s;
	kh_record b;
	record_init(&b, &import_batch_entity, s->a);
	record_set_text(&b, IBF_FILE_NAME, u->o->file_name);
	record_set_text(&b, IBF_MODE, import_mode_name(u->o->mode));
	record_set_text(&b, IBF_MATCH, match_text(s, u->match));
	for (int f = IBF_ROWS; f <= IBF_FAILED; f++)
		record_set_int(&b, f, 0);
	stamp_new(s, &b);
	if (store_record_insert(s->db, &b, s->err) < 0)
		return -1;
	u->batch_id = b.v[F_ID].i;
	return 0;
}

static int close_batch(run *u)
{
	svc *s = u->s;
	import_report *rep = u->rep;
	kh_record b;
	record_init(&b, &import_batch_entity, s->a);
	record_set_int(&b, IBF_ROWS, rep->rows);
	record_set_int(&b, IBF_CREATED, rep->created);
	record_set_int(&b, IBF_UPDATED, rep->updated);
	record_set_int(&b, IBF_UNCHANGED, rep->unchanged);
	record_set_int(&b, IBF_FAILED, rep->failed);
	if (store_record_update(s->db, &b, u->batch_id, 1, svc_now(s), s->err) < 0)
		return -1;
	return audit_event(s, "import", "import_batch", u->batch_id,
	                   json_pack("{s:s?, s:s, s:I, s:I, s:I, s:I, s:I}", "file",
	                             u->o->file_name, "mode", import_mode_name(u->o->mode), "rows",
	                             (json_int_t)rep->rows, "created", (json_int_t)rep->created,
	                             "updated", (json_int_t)rep->updated, "unchanged",
	                             (json_int_t)rep->unchanged, "failed",
	                             (json_int_t)rep->failed));
}

int svc_import(svc *s, io_reader *r, const import_options *o, import_report *out)
{
	memset(out, 0, sizeof(*out));
	if (require(s, PERM_IMPORT) < 0 || require(s, PERM_CUSTOMER_WRITE) < 0 ||
	    svc_snapshot(s, -1) < 0)
		return -1;
	run u;
	memset(&u, 0, sizeof(u));
	u.s = s;
	u.o = o;
	u.rep = out;
	u.out = s->a;
	u.match = o->match ? o->match : IMPORT_MATCH_CODE;
	json_t *saved = NULL;
	if (o->mapping && load_mapping(s, o->mapping, &saved) < 0)
		return -1;
	int rc = read_header(&u, r, saved);
	json_decref(saved);
	if (rc < 0)
		return -1;

	/* each row in an arena and an error of its own: memory stays flat */
	arena *outer_a = s->a;
	kh_err *outer_e = s->err;
	arena ra;
	arena_init(&ra);
	kh_err re;
	bool allow = s->allow_derived;
	s->allow_derived = true;
	int result = -1;
	if (store_begin(s->db, s->err) < 0)
		goto out;
	if (open_batch(&u) < 0)
		goto rollback;
	for (;;) {
		arena_reset(&ra);
		err_init(&re, &ra, s->lang);
		s->a = &ra;
		s->err = &re;
		io_row row;
		int got = io_next(r, &row, &re);
		int one = got == 1 ? one_row(&u, &row) : 0;
		s->a = outer_a;
		s->err = outer_e;
		if (got < 0 || one == -2) {
			/* the file or the database failed: nothing is kept */
			s->err->code = re.code;
			s->err->message = arena_strdup(outer_a, err_message(&re));
			goto rollback;
		}
		if (got == 0)
			break;
		if (one < 0)
			out->failed++;
		if (o->progress && out->rows % PROGRESS_EVERY == 0) {
			unsigned long long done, total;
			io_progress(r, &done, &total);
			o->progress(out->rows, done, total, o->ud);
		}
	}
	if (o->progress) {
		unsigned long long done, total;
		io_progress(r, &done, &total);
		o->progress(out->rows, done, total, o->ud);
	}
	if (o->dry_run || (out->failed && !o->skip_bad)) {
		store_rollback(s->db);
		result = 0;
		goto out;
	}
	if (close_batch(&u) < 0 || (o->save_mapping && save_mapping(&u) < 0))
		goto rollback;
	if (store_commit(s->db, s->err) < 0)
		goto out;
	out->written = true;
	out->batch_id = u.batch_id;
	result = 0;
	goto out;
rollback:
	store_rollback(s->db);
out:
	s->a = outer_a;
	s->err = outer_e;
	s->allow_derived = allow;
	arena_release(&ra);
	seen_free(&u.seen);
	if (result == 0 && !out->written) {
		/* nothing was kept: what would have been done is what the report says,
		 * nothing more */
		out->batch_id = 0;
	}
	return result;
}

json_t *import_report_json(const import_report *rep, bool dry_run)
{
	json_t *cols = json_array();
	for (int i = 0; i < rep->ncolumns; i++)
		json_array_append_new(cols, json_pack("{s:s, s:s?, s:s?}", "header",
		                                      rep->columns[i].header, "field",
		                                      rep->columns[i].field, "label",
		                                      rep->columns[i].label));
	json_t *probs = json_array();
	for (int i = 0; i < rep->nproblems; i++) {
		const import_problem *p = &rep->problems[i];
		json_array_append_new(probs, json_pack("{s:I, s:s?, s:s?, s:s, s:b}", "row",
		                                       (json_int_t)p->row, "column", p->column,
		                                       "value", p->value, "message", p->message,
		                                       "duplicate", p->duplicate));
	}
	json_t *j =
	        json_pack("{s:b, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:b}", "dry_run",
	                  dry_run, "written", rep->written, "rows", (json_int_t)rep->rows,
	                  "created", (json_int_t)rep->created, "updated", (json_int_t)rep->updated,
	                  "unchanged", (json_int_t)rep->unchanged, "failed",
	                  (json_int_t)rep->failed, "duplicates", (json_int_t)rep->duplicates,
	                  "columns", cols, "problems", probs, "problems_truncated", rep->truncated);
	json_object_set_new(j, "batch_id",
	                    rep->batch_id ? json_integer(rep->batch_id) : json_null());
	return j;
}

/* ---- undo ---- */

static int load_batch(svc *s, int64_t id, kh_record *b)
{
	if (store_record_get(s->db, &import_batch_entity, id, false, s->a, b, s->err) < 0)
		return err_not_found(s, &import_batch_entity, id);
	/* a batch is its runner's, and of those who see every customer (as the list) */
	if (!s->actor.system && s->actor.scope != SCOPE_ALL &&
	    record_int(b, F_CREATED_BY, 0) != s->actor.user_id)
		return err_not_found(s, &import_batch_entity, id);
	return 0;
}

int svc_import_undo(svc *s, int64_t id)
{
	if (require(s, PERM_IMPORT) < 0 || require(s, PERM_CUSTOMER_WRITE) < 0 ||
	    svc_snapshot(s, -1) < 0)
		return -1;
	kh_record b;
	if (load_batch(s, id, &b) < 0)
		return -1;
	if (record_is_set(&b, IBF_UNDONE_AT))
		return err_set(s->err, KH_ESTATE, N_("Import %lld was undone already"),
		               (long long)id);
	kh_record *rows;
	int n;
	if (store_begin(s->db, s->err) < 0)
		return -1;
	if (store_record_children(s->db, &import_row_entity, IRF_BATCH, id, s->a, &rows, &n,
	                          s->err) < 0)
		goto fail;
	for (int i = 0; i < n; i++) {
		int64_t cid = rows[i].v[IRF_CUSTOMER].i;
		kh_record cur;
		if (customer_load(s, cid, false, &cur) < 0) {
			err_clear(s->err);
			err_set(s->err, KH_ESTATE,
			        N_("Customer %lld of this import is gone or out of your sight: the "
			           "import cannot be undone"),
			        (long long)cid);
			goto fail;
		}
		if (cur.v[F_VERSION].i != rows[i].v[IRF_AFTER_VERSION].i) {
			err_set(s->err, KH_ESTATE,
			        N_("Customer %s (%s) was changed after the import: undo refused, "
			           "nothing was changed"),
			        record_text(&cur, CF_CODE), record_text(&cur, CF_NAME));
			goto fail;
		}
		if (!strcmp(rows[i].v[IRF_ACTION].s, "create")) {
			if (store_record_mark_deleted(s->db, &customer_entity, cid,
			                              cur.v[F_VERSION].i, true, svc_now(s),
			                              s->err) < 0 ||
			    audit_event(s, "delete", "customer", cid,
			                json_pack("{s:s, s:s, s:I}", "code", cur.v[CF_CODE].s,
			                          "name", cur.v[CF_NAME].s, "import_undo",
			                          (json_int_t)id)) < 0)
				goto fail;
			continue;
		}
		json_t *prev = json_loads(record_text(&rows[i], IRF_PREVIOUS), 0, NULL);
		kh_record patch;
		record_init(&patch, &customer_entity, s->a);
		int rc = record_from_json(&patch, &customer_entity, prev, NULL, NULL, s->a, s->err);
		json_decref(prev);
		if (rc < 0)
			goto fail;
		if (store_record_update(s->db, &patch, cid, cur.v[F_VERSION].i, svc_now(s),
		                        s->err) < 0 ||
		    store_customer_recompute(s->db, cid, s->err) < 0 ||
		    customer_restage(s, cid) < 0 || store_customer_sync(s->db, cid, s->err) < 0 ||
		    audit_change(s, "update", &customer_entity, cid, &cur, &patch) < 0)
			goto fail;
	}
	kh_record upd;
	record_init(&upd, &import_batch_entity, s->a);
	record_set_text(&upd, IBF_UNDONE_AT, svc_now(s));
	if (s->actor.user_id)
		record_set_int(&upd, IBF_UNDONE_BY, s->actor.user_id);
	if (store_record_update(s->db, &upd, id, b.v[F_VERSION].i, svc_now(s), s->err) < 0 ||
	    audit_event(s, "import_undo", "import_batch", id, json_pack("{s:i}", "rows", n)) < 0)
		goto fail;
	return commit_or_rollback(s);
fail:
	store_rollback(s->db);
	return -1;
}

int svc_import_batches(svc *s, const kv *params, int nparams, list_page *page)
{
	if (require(s, PERM_IMPORT) < 0)
		return -1;
	kh_query q;
	bool *want;
	int *fields;
	memset(page, 0, sizeof(*page));
	if (parse_list_params(s, &import_batch_entity, params, nparams, &q, &want, &fields,
	                      &page->nfields) < 0)
		return -1;
	q.sort_field = F_ID;
	q.sort_desc = true;
	q.scope.kind = SCOPE_MATCH_ALL;
	if (!s->actor.system && s->actor.scope != SCOPE_ALL && q.nfilters < QUERY_MAX_FILTERS) {
		/* one's own imports; every import for those who see every customer */
		kh_value *me = arena_calloc(s->a, 1, sizeof(*me));
		me->state = V_SET;
		me->i = s->actor.user_id;
		q.filters[q.nfilters++] =
		        (kh_filter){.field = F_CREATED_BY, .op = OP_IN, .nvals = 1, .vals = me};
	}
	page->fields = fields;
	bool more = false;
	if (store_record_list(s->db, &q, want, s->a, &page->rows, &page->n, &more, s->err) < 0)
		return -1;
	page->next = more ? make_cursor(s, &q, &page->rows[page->n - 1]) : NULL;
	return 0;
}
