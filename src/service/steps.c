/*
 * steps — the pieces every use case is made of: resolving dictionary
 * values, users and departments named by people; validating custom fields;
 * turning list parameters into a kh_query; keyset cursors.
 */
#include <stdlib.h>
#include <string.h>

#include "core/tokenize.h"
#include "core/validate.h"
#include "service/internal.h"
#include "util/crypto.h"
#include "util/date.h"
#include "util/money.h"
#include "util/num.h"
#include "util/utf8.h"

static const char *pname(svc *s, const char *prefix, const char *name)
{
	return prefix && *prefix ? arena_printf(s->a, "%s%s", prefix, name) : name;
}

static int resolve_dict(svc *s, const kh_field *f, kh_value *v, const kh_value *old,
                        const char *name)
{
	const dict_option *o = dict_match(s->snap->dicts, s->a, f->dict, v->s);
	if (!o)
		return err_field(s->err, name, N_("%s: \"%s\" is not an option of this list"),
		                 field_label(f, s->lang), v->s);
	bool unchanged = old && old->state == V_SET && old->s && strcmp(old->s, o->code) == 0;
	if (o->retired && !unchanged)
		return err_field(s->err, name, N_("%s: the option \"%s\" is retired"),
		                 field_label(f, s->lang),
		                 s->lang == KH_LANG_EN ? o->label_en : o->label_zh);
	v->s = o->code;
	return 0;
}

static int resolve_user(svc *s, const kh_field *f, kh_value *v, const kh_value *old,
                        const char *name)
{
	const kh_record *u = v->s ? snap_user_by_name(s->snap, v->s) : snap_user(s->snap, v->i);
	if (!u) {
		if (v->s)
			return err_field(s->err, name, N_("%s: no such user \"%s\""),
			                 field_label(f, s->lang), v->s);
		return err_field(s->err, name, N_("%s: no user with id %lld"),
		                 field_label(f, s->lang), (long long)v->i);
	}
	int64_t id = u->v[F_ID].i;
	bool unchanged = old && old->state == V_SET && old->i == id;
	if (record_int(u, UF_DISABLED, 0) && !unchanged)
		return err_field(s->err, name, N_("%s: the user %s is disabled"),
		                 field_label(f, s->lang), u->v[UF_USERNAME].s);
	v->i = id;
	v->s = NULL;
	return 0;
}

int resolve_refs(svc *s, kh_record *r, const kh_record *old, const char *prefix)
{
	if (svc_snapshot(s, -1) < 0)
		return -1;
	int before = s->err->nfields;
	for (int i = 0; i < r->ent->nfields; i++) {
		const kh_field *f = &r->ent->fields[i];
		kh_value *v = &r->v[i];
		if (v->state != V_SET)
			continue;
		const kh_value *ov = old ? &old->v[i] : NULL;
		const char *name = pname(s, prefix, f->name);
		switch (f->type) {
		case FT_DICT:
			resolve_dict(s, f, v, ov, name);
			break;
		case FT_USER:
			resolve_user(s, f, v, ov, name);
			break;
		case FT_DEPT:
			if (!snap_dept(s->snap, v->i))
				err_field(s->err, name, N_("%s: no department with id %lld"),
				          field_label(f, s->lang), (long long)v->i);
			break;
		default:
			break;
		}
	}
	return s->err->nfields > before ? -1 : 0;
}

/* Check one custom value against its definition; returns the value to store (new ref). */
static json_t *custom_value(svc *s, const kh_record *def, json_t *v, const char *name)
{
	custom_type t = CT_TEXT;
	custom_type_parse(def->v[XF_TYPE].s, &t);
	const char *label = s->lang == KH_LANG_EN ? def->v[XF_LABEL_EN].s : def->v[XF_LABEL_ZH].s;
	switch (t) {
	case CT_TEXT:
		if (json_is_string(v) && utf8_chars(json_string_value(v)) <= 500)
			return json_string(utf8_trim(s->a, json_string_value(v)));
		err_field(s->err, name, N_("%s must be text of at most 500 characters"), label);
		return NULL;
	case CT_NUMBER:
		if (json_is_number(v))
			return json_incref(v);
		err_field(s->err, name, N_("%s must be a number"), label);
		return NULL;
	case CT_MONEY:
		if (json_is_integer(v) && json_integer_value(v) >= 0 &&
		    json_integer_value(v) <= MONEY_MAX_FEN)
			return json_incref(v);
		err_field(s->err, name, N_("%s must be a whole number of fen (1 yuan = 100)"),
		          label);
		return NULL;
	case CT_DATE:
		if (json_is_string(v) && date_valid(json_string_value(v)))
			return json_incref(v);
		err_field(s->err, name, N_("%s must be a date like 2024-05-10"), label);
		return NULL;
	case CT_BOOL:
		if (json_is_boolean(v))
			return json_incref(v);
		err_field(s->err, name, N_("%s must be true or false"), label);
		return NULL;
	case CT_DICT: {
		const char *kind = arena_printf(s->a, "cf.%s", def->v[XF_KEY].s);
		const dict_option *o = json_is_string(v) ? dict_match(s->snap->dicts, s->a, kind,
		                                                      json_string_value(v))
		                                         : NULL;
		if (!o || o->retired) {
			err_field(s->err, name, N_("%s: \"%s\" is not an option of this list"),
			          label, json_is_string(v) ? json_string_value(v) : "?");
			return NULL;
		}
		return json_string(o->code);
	}
	case CT_TAGS: {
		if (!json_is_array(v) || json_array_size(v) > 20) {
			err_field(s->err, name, N_("%s must be a list of text"), label);
			return NULL;
		}
		size_t i;
		json_t *tag;
		json_array_foreach(v, i, tag)
		{
			if (!json_is_string(tag) || utf8_chars(json_string_value(tag)) > 40) {
				err_field(s->err, name, N_("%s must be a list of text"), label);
				return NULL;
			}
		}
		return json_incref(v);
	}
	}
	return NULL;
}

int resolve_custom(svc *s, kh_record *r, int field, const kh_record *old, const char *prefix)
{
	if (svc_snapshot(s, -1) < 0)
		return -1;
	const char *entity = r->ent->name;
	int before = s->err->nfields;
	json_t *merged = NULL;
	if (old && record_is_set(old, field))
		merged = json_loads(old->v[field].s, 0, NULL);
	if (!json_is_object(merged)) {
		json_decref(merged);
		merged = json_object();
	}
	kh_value *v = &r->v[field];
	if (v->state == V_SET) {
		json_t *in = json_loads(v->s, 0, NULL);
		if (!json_is_object(in)) {
			json_decref(in);
			json_decref(merged);
			return err_field(s->err, pname(s, prefix, "custom"),
			                 N_("Custom fields must be an object"));
		}
		const char *key;
		json_t *val;
		json_object_foreach(in, key, val)
		{
			const char *name = pname(s, prefix, arena_printf(s->a, "custom.%s", key));
			const kh_record *def = snap_custom_field(s->snap, entity, key);
			if (!def) {
				err_field(s->err, name, N_("Unknown custom field \"%s\""), key);
				continue;
			}
			if (json_is_null(val)) {
				json_object_del(merged, key);
				continue;
			}
			if (record_int(def, XF_RETIRED, 0)) {
				err_field(s->err, name, N_("The custom field \"%s\" is retired"),
				          key);
				continue;
			}
			json_t *ok = custom_value(s, def, val, name);
			bool blank = (json_is_string(ok) && !*json_string_value(ok)) ||
			             (json_is_array(ok) && json_array_size(ok) == 0);
			if (blank) {
				json_decref(ok);
				json_object_del(merged, key);
			} else if (ok) {
				json_object_set_new(merged, key, ok);
			}
		}
		json_decref(in);
	} else if (v->state == V_NULL) {
		json_object_clear(merged);
	}
	/* required custom fields must hold a value after the change */
	if (!old || v->state != V_ABSENT) {
		for (int i = 0; i < s->snap->ncfields; i++) {
			const kh_record *def = &s->snap->cfields[i];
			if (strcmp(def->v[XF_ENTITY].s, entity) != 0 ||
			    !record_int(def, XF_REQUIRED, 0) || record_int(def, XF_RETIRED, 0))
				continue;
			if (!json_object_get(merged, def->v[XF_KEY].s))
				err_field(s->err,
				          pname(s, prefix,
				                arena_printf(s->a, "custom.%s", def->v[XF_KEY].s)),
				          N_("%s is required"),
				          s->lang == KH_LANG_EN ? def->v[XF_LABEL_EN].s
				                                : def->v[XF_LABEL_ZH].s);
		}
	}
	if (s->err->nfields == before && (v->state != V_ABSENT || !old)) {
		if (json_object_size(merged) == 0) {
			if (v->state != V_ABSENT)
				record_set_null(r, field);
		} else {
			char *txt = json_dumps(merged, JSON_COMPACT | JSON_SORT_KEYS);
			record_set_text(r, field, arena_strdup(s->a, txt));
			free(txt);
		}
	}
	json_decref(merged);
	return s->err->nfields > before ? -1 : 0;
}

/* ---- list parameters ---- */

static bool ends_with(const char *s, const char *suffix, size_t *stem)
{
	size_t n = strlen(s), m = strlen(suffix);
	if (n <= m || strcmp(s + n - m, suffix) != 0)
		return false;
	*stem = n - m;
	return true;
}

/* Parse one filter value of field f from text. */
static int parse_value(svc *s, const kh_field *f, const char *text, kh_value *v, const char *name)
{
	v->state = V_SET;
	switch (f->type) {
	case FT_ID:
	case FT_REF:
	case FT_DEPT:
		if (!svc_parse_id(text, &v->i))
			return err_field(s->err, name, N_("Expected a positive id"));
		return 0;
	case FT_INT:
		if (!num_parse_int64(text, &v->i) || v->i < 0)
			return err_field(s->err, name, N_("Expected a whole number"));
		return 0;
	case FT_MONEY:
		if (s->money_in_yuan) {
			if (!money_parse_yuan(text, &v->i))
				return err_field(s->err, name,
				                 N_("Expected an amount in yuan like 12,345.60"));
		} else if (!num_parse_int64(text, &v->i)) {
			return err_field(s->err, name,
			                 N_("Expected a whole number of fen (1 yuan = 100)"));
		}
		return 0;
	case FT_BOOL: {
		bool b;
		if (!svc_parse_bool(text, &b))
			return err_field(s->err, name, N_("Expected true or false"));
		v->i = b;
		return 0;
	}
	case FT_DATE:
		if (!date_valid(text))
			return err_field(s->err, name, N_("Expected a date like 2024-05-10"));
		v->s = text;
		return 0;
	case FT_TIME: {
		int64_t t;
		if (date_start_utc(text, 0, s->snap->tz_minutes, &t)) {
			char iso[TIME_LEN];
			time_format_iso(iso, t);
			v->s = arena_strdup(s->a, iso);
			return 0;
		}
		if (!time_parse_iso(text, &t))
			return err_field(s->err, name,
			                 N_("Expected a date like 2024-05-10 or a time like "
			                    "2024-05-10T08:00:00Z"));
		v->s = text;
		return 0;
	}
	case FT_DICT: {
		/* retired options still filter: old records carry them */
		const dict_option *o = dict_match(s->snap->dicts, s->a, f->dict, text);
		if (!o)
			return err_field(s->err, name,
			                 N_("%s: \"%s\" is not an option of this list"),
			                 field_label(f, s->lang), text);
		v->s = o->code;
		return 0;
	}
	case FT_USER:
		if (!svc_parse_id(text, &v->i)) {
			v->s = text;
			const kh_record *u = snap_user_by_name(s->snap, text);
			if (!u)
				return err_field(s->err, name, N_("No such user: %s"), text);
			v->i = u->v[F_ID].i;
		}
		v->s = NULL;
		return 0;
	default:
		v->s = text;
		return 0;
	}
}

/* Split a list parameter; more than max values is an error naming it. */
static int split_list(svc *s, const char *name, const char *text, const char **out, int max)
{
	int n = utf8_split_list(s->a, text, out, max);
	if (n < 0) {
		err_field(s->err, name, N_("At most %d values"), max);
		return 0;
	}
	return n;
}

/* Unknown names are a malformed request (400), not a validation failure. */
static void unknown_param(svc *s, const char *k)
{
	err_field(s->err, k, N_("Unknown parameter \"%s\""), k);
	s->err->code = KH_EBADREQ;
}

/*
 * A custom field's value from what a person typed (a CLI option, a list
 * filter): a number, yuan (CLI) or fen (API), true/false, a dictionary option
 * by code or label, a date, tags "a,b" (not for filters). A new reference, or
 * NULL with an error naming the field.
 */
static json_t *custom_from_text(svc *s, const kh_record *def, const char *v, const char *name,
                                bool for_filter)
{
	custom_type t = CT_TEXT;
	custom_type_parse(def->v[XF_TYPE].s, &t);
	json_t *j = NULL;
	switch (t) {
	case CT_TEXT:
		j = json_string(v);
		break;
	case CT_DATE:
		if (date_valid(v))
			j = json_string(v);
		break;
	case CT_NUMBER: {
		json_t *n = json_loads(v, JSON_DECODE_ANY, NULL);
		if (json_is_number(n))
			j = json_incref(n);
		json_decref(n);
		break;
	}
	case CT_MONEY: {
		int64_t fen;
		if (s->money_in_yuan ? money_parse_yuan(v, &fen) : num_parse_int64(v, &fen))
			j = json_integer(fen);
		break;
	}
	case CT_BOOL: {
		bool b;
		if (svc_parse_bool(v, &b))
			j = json_boolean(b);
		break;
	}
	case CT_DICT: {
		const char *kind = arena_printf(s->a, "cf.%s", def->v[XF_KEY].s);
		const dict_option *o = dict_match(s->snap->dicts, s->a, kind, v);
		if (o)
			j = json_string(o->code);
		break;
	}
	case CT_TAGS: {
		if (for_filter) {
			err_field(s->err, name,
			          N_("Filtering on a list of tags is not possible here"));
			return NULL;
		}
		const char *items[TAGS_MAX];
		int n = utf8_split_list(s->a, v, items, TAGS_MAX);
		if (n >= 0) {
			j = json_array();
			for (int k = 0; k < n; k++)
				json_array_append_new(j, json_string(items[k]));
		}
		break;
	}
	}
	if (!j)
		err_field(s->err, name, N_("\"%s\" is not a value of this custom field"), v);
	return j;
}

int svc_custom_from_text(svc *s, const char *entity, const char *key, const char *text,
                         json_t **out)
{
	*out = NULL;
	if (svc_snapshot(s, -1) < 0)
		return -1;
	const char *name = arena_printf(s->a, "custom.%s", key);
	const kh_record *def = snap_custom_field(s->snap, entity, key);
	if (!def)
		return err_field(s->err, name, N_("Unknown custom field \"%s\""), key);
	*out = custom_from_text(s, def, text, name, false);
	return *out ? 0 : -1;
}

/*
 * A custom-field filter value as the JSON text the field stores it as ("5",
 * "true", "\"code\""); numbers and money are compared as numbers (5 = 5.0).
 */
static const char *custom_filter_json(svc *s, const kh_record *def, const char *v, const char *name,
                                      bool *numeric)
{
	custom_type t = CT_TEXT;
	custom_type_parse(def->v[XF_TYPE].s, &t);
	*numeric = t == CT_NUMBER || t == CT_MONEY;
	json_t *j = custom_from_text(s, def, v, name, true);
	if (!j)
		return NULL;
	char *txt = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(j);
	const char *out = arena_strdup(s->a, txt);
	free(txt);
	return out;
}

static kh_filter *new_filter(svc *s, kh_query *q, const char *key)
{
	if (q->nfilters == QUERY_MAX_FILTERS) {
		err_field(s->err, key, N_("Too many filters (at most %d)"), QUERY_MAX_FILTERS);
		return NULL;
	}
	kh_filter *fl = &q->filters[q->nfilters++];
	memset(fl, 0, sizeof(*fl));
	return fl;
}

static int parse_cursor(svc *s, kh_query *q, const char *text)
{
	size_t n;
	const char *raw = crypto_b64_decode(s->a, text, &n);
	json_t *j = raw ? json_loadb(raw, n, 0, NULL) : NULL;
	const kh_field *f = &q->ent->fields[q->sort_field];
	int rc = 0;
	if (!json_is_array(j) || json_array_size(j) != 3 || !json_is_string(json_array_get(j, 0)) ||
	    strcmp(json_string_value(json_array_get(j, 0)), f->name) != 0 ||
	    !json_is_integer(json_array_get(j, 2))) {
		rc = err_field(s->err, "after",
		               N_("The cursor is not valid for this sort order; start from the "
		                  "first page"));
		goto out;
	}
	json_t *v = json_array_get(j, 1);
	q->cursor_id = json_integer_value(json_array_get(j, 2));
	q->has_cursor = true;
	if (json_is_null(v)) {
		q->cursor_value.state = V_NULL;
	} else if (field_is_int(f->type) && json_is_integer(v)) {
		q->cursor_value.state = V_SET;
		q->cursor_value.i = json_integer_value(v);
	} else if (!field_is_int(f->type) && json_is_string(v)) {
		q->cursor_value.state = V_SET;
		q->cursor_value.s = arena_strdup(s->a, json_string_value(v));
	} else {
		rc = err_field(s->err, "after",
		               N_("The cursor is not valid for this sort order; "
		                  "start from the first page"));
	}
out:
	json_decref(j);
	return rc;
}

const char *make_cursor(svc *s, const kh_query *q, const kh_record *last)
{
	const kh_field *f = &q->ent->fields[q->sort_field];
	const kh_value *v = &last->v[q->sort_field];
	json_t *val = v->state != V_SET       ? json_null()
	              : field_is_int(f->type) ? json_integer(v->i)
	                                      : json_string(v->s);
	json_t *j = json_pack("[s, o, I]", f->name, val, (json_int_t)last->v[F_ID].i);
	char *txt = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	const char *c = crypto_b64_encode(s->a, txt, strlen(txt));
	free(txt);
	return c;
}

int parse_list_params(svc *s, const kh_entity *ent, const kv *params, int n, kh_query *q,
                      bool **want_out, int **fields_out, int *nfields_out)
{
	if (svc_snapshot(s, -1) < 0)
		return -1;
	memset(q, 0, sizeof(*q));
	q->ent = ent;
	q->sort_field = F_ID;
	q->sort_desc = true;
	q->limit = QUERY_DEFAULT_LIMIT;
	q->view = VIEW_ACTIVE;
	const char *after = NULL;
	const char *fields_param = NULL;
	int before = s->err->nfields;

	for (int i = 0; i < n; i++) {
		const char *k = params[i].key, *v = params[i].value ? params[i].value : "";
		size_t stem;
		if (!strcmp(k, "q")) {
			/* customers have their search index, other lists their name */
			if (ent != &customer_entity && entity_field(ent, "name") < 0) {
				unknown_param(s, k);
				continue;
			}
			if (utf8_chars(v) > 100) {
				err_field(s->err, "q",
				          N_("The search text is longer than 100 "
				             "characters"));
				continue;
			}
			search_term terms[QUERY_MAX_TERMS];
			q->nterms = search_terms(s->a, v, terms, QUERY_MAX_TERMS);
			for (int t = 0; t < q->nterms; t++) {
				q->terms[t].text = terms[t].text;
				q->terms[t].cjk = terms[t].cjk;
			}
		} else if (!strcmp(k, "sort")) {
			bool desc = v[0] == '-';
			int f = entity_field(ent, desc || v[0] == '+' ? v + 1 : v);
			/* FF_SORT columns: each has an index, so no sort reads the whole
			 * table; never personal data (the order would tell masked digits) */
			if (f < 0 || !(ent->fields[f].flags & FF_SORT) ||
			    (ent->fields[f].flags & (FF_PII | FF_PROFILE))) {
				err_field(s->err, "sort", N_("Cannot sort by \"%s\""), v);
				continue;
			}
			q->sort_field = f;
			q->sort_desc = desc;
		} else if (!strcmp(k, "limit")) {
			int64_t l;
			if (!svc_parse_id(v, &l) || l > QUERY_MAX_LIMIT) {
				err_field(s->err, "limit", N_("limit must be 1 to %d"),
				          QUERY_MAX_LIMIT);
				continue;
			}
			q->limit = (int)l;
		} else if (!strcmp(k, "after")) {
			after = v;
		} else if (!strcmp(k, "fields")) {
			fields_param = v;
		} else if (!strcmp(k, "view")) {
			if (!strcmp(v, "active"))
				q->view = VIEW_ACTIVE;
			else if (!strcmp(v, "archived"))
				q->view = VIEW_ARCHIVED;
			else if (!strcmp(v, "pool"))
				q->view = VIEW_POOL;
			else if (!strcmp(v, "all"))
				q->view = VIEW_ALL_LIVE;
			else if (!strcmp(v, "deleted"))
				q->view = VIEW_DELETED;
			else
				err_field(
				        s->err, "view",
				        N_("view must be active, archived, pool, all or deleted"));
			/* the customers' recycle bin; records kept around a customer have
			 * theirs for whoever may delete them (list_by_customer) */
			if (q->view == VIEW_DELETED && ent == &customer_entity &&
			    require(s, PERM_CUSTOMER_DELETE) < 0)
				return -1;
		} else if ((!strcmp(k, "tag") || !strcmp(k, "tags")) &&
		           entity_field(ent, "tags") >= 0) {
			kh_filter *fl = new_filter(s, q, k);
			if (!fl)
				continue;
			const char *vals[QUERY_MAX_VALUES];
			int m = split_list(s, k, v, vals, QUERY_MAX_VALUES);
			fl->field = entity_field(ent, "tags");
			fl->op = OP_TAG;
			fl->nvals = m;
			fl->vals = arena_calloc(s->a, (size_t)(m ? m : 1), sizeof(kh_value));
			for (int j = 0; j < m; j++) {
				fl->vals[j].state = V_SET;
				fl->vals[j].s = vals[j];
			}
		} else if (!strncmp(k, "custom.", 7) && entity_field(ent, "custom") >= 0) {
			const char *key = k + 7;
			const kh_record *def = snap_custom_field(s->snap, ent->name, key);
			if (!def) {
				unknown_param(s, k);
				continue;
			}
			bool numeric;
			const char *json = custom_filter_json(s, def, v, k, &numeric);
			if (!json)
				continue;
			kh_filter *fl = new_filter(s, q, k);
			if (!fl)
				continue;
			fl->field = entity_field(ent, "custom");
			fl->op = OP_CUSTOM;
			fl->numeric = numeric;
			fl->custom_key = key;
			fl->nvals = 1;
			fl->vals = arena_calloc(s->a, 1, sizeof(kh_value));
			fl->vals[0].state = V_SET;
			fl->vals[0].s = json;
		} else if (ends_with(k, "_from", &stem) || ends_with(k, "_to", &stem) ||
		           ends_with(k, "_empty", &stem)) {
			const char *fname = arena_strndup(s->a, k, stem);
			int f = entity_field(ent, fname);
			if (f < 0 || !(ent->fields[f].flags & FF_FILTER)) {
				unknown_param(s, k);
				continue;
			}
			kh_filter *fl = new_filter(s, q, k);
			if (!fl)
				continue;
			fl->field = f;
			if (ends_with(k, "_empty", &stem)) {
				bool b;
				if (!svc_parse_bool(v, &b)) {
					err_field(s->err, k, N_("Expected true or false"));
					continue;
				}
				fl->op = b ? OP_NULL : OP_NOT_NULL;
				continue;
			}
			field_type t = ent->fields[f].type;
			if (t != FT_DATE && t != FT_TIME && t != FT_MONEY && t != FT_INT) {
				err_field(s->err, k,
				          N_("Ranges work on dates, amounts and numbers only"));
				continue;
			}
			fl->op = ends_with(k, "_from", &stem) ? OP_GE : OP_LE;
			fl->nvals = 1;
			fl->vals = arena_calloc(s->a, 1, sizeof(kh_value));
			parse_value(s, &ent->fields[f], v, &fl->vals[0], k);
			/* "to" a date includes that whole business day for timestamps */
			int64_t end;
			if (t == FT_TIME && fl->op == OP_LE &&
			    date_start_utc(v, 1, s->snap->tz_minutes, &end)) {
				char iso[TIME_LEN];
				time_format_iso(iso, end - 1);
				fl->vals[0].s = arena_strdup(s->a, iso);
			}
		} else {
			int f = entity_field(ent, k);
			if (f < 0 || !(ent->fields[f].flags & FF_FILTER)) {
				unknown_param(s, k);
				continue;
			}
			kh_filter *fl = new_filter(s, q, k);
			if (!fl)
				continue;
			const char *vals[QUERY_MAX_VALUES];
			int m = split_list(s, k, v, vals, QUERY_MAX_VALUES);
			if (m == 0) {
				err_field(s->err, k, N_("Give at least one value"));
				continue;
			}
			fl->field = f;
			fl->op = OP_IN;
			fl->nvals = m;
			fl->vals = arena_calloc(s->a, (size_t)m, sizeof(kh_value));
			for (int j = 0; j < m; j++)
				parse_value(s, &ent->fields[f], vals[j], &fl->vals[j], k);
		}
	}
	if (after && s->err->nfields == before)
		parse_cursor(s, q, after);

	/* the columns to load and show */
	bool *want = arena_calloc(s->a, (size_t)ent->nfields, sizeof(bool));
	int *fields = arena_calloc(s->a, (size_t)ent->nfields, sizeof(int));
	int nf = 0;
	if (fields_param) {
		const char *names[128];
		int m = split_list(s, "fields", fields_param, names, 128);
		want[F_ID] = true;
		fields[nf++] = F_ID;
		for (int j = 0; j < m; j++) {
			int f = entity_field(ent, names[j]);
			if (f < 0) {
				err_field(s->err, "fields", N_("Unknown field \"%s\""), names[j]);
				s->err->code = KH_EBADREQ;
				continue;
			}
			if (!want[f])
				fields[nf++] = f;
			want[f] = true;
		}
	} else {
		for (int f = 0; f < ent->nfields; f++)
			if (ent->fields[f].flags & FF_LIST) {
				want[f] = true;
				fields[nf++] = f;
			}
	}
	want[F_VERSION] = true;
	want[q->sort_field] = true; /* the cursor needs it */
	*want_out = want;
	*fields_out = fields;
	*nfields_out = nf;
	if (s->err->nfields > before)
		return -1;
	return scope_filter(s, &q->scope);
}
