/*
 * record_json — see record_json.h.
 */
#include "core/record_json.h"

#include <stdlib.h>
#include <string.h>

static void write_id_name(jsonw *w, int64_t id, const char *name)
{
	jsonw_object(w);
	jsonw_key(w, "id");
	jsonw_int(w, id);
	jsonw_key(w, "name");
	jsonw_string(w, name);
	jsonw_object_end(w);
}

bool value_write(jsonw *w, const kh_field *f, const kh_value *v, const kh_lookup *lk)
{
	if (v->state == V_ABSENT)
		return false;
	if (v->state == V_NULL) {
		jsonw_null(w);
		return true;
	}
	switch (f->type) {
	case FT_ID:
	case FT_INT:
	case FT_MONEY:
	case FT_REF:
		jsonw_int(w, v->i);
		break;
	case FT_BOOL:
		jsonw_bool(w, v->i != 0);
		break;
	case FT_TEXT:
	case FT_LONGTEXT:
	case FT_DATE:
	case FT_TIME:
		jsonw_string(w, v->s ? v->s : "");
		break;
	case FT_DICT: {
		if (!lk) { /* stored form */
			jsonw_string(w, v->s);
			break;
		}
		const char *zh = v->s, *en = v->s;
		if (lk->dict_label)
			lk->dict_label(lk->ud, f->dict, v->s, &zh, &en);
		jsonw_object(w);
		jsonw_key(w, "code");
		jsonw_string(w, v->s);
		jsonw_key(w, "zh");
		jsonw_string(w, zh ? zh : v->s);
		jsonw_key(w, "en");
		jsonw_string(w, en ? en : v->s);
		jsonw_object_end(w);
		break;
	}
	case FT_USER:
	case FT_DEPT:
		if (!lk) {
			jsonw_int(w, v->i);
			break;
		}
		write_id_name(w, v->i,
		              f->type == FT_USER
		                      ? (lk->user_name ? lk->user_name(lk->ud, v->i) : NULL)
		                      : (lk->dept_name ? lk->dept_name(lk->ud, v->i) : NULL));
		break;
	case FT_TAGS:
	case FT_CUSTOM:
		/* stored as compact JSON written by jansson: copied as it is */
		jsonw_raw(w, v->s && *v->s ? v->s : (f->type == FT_TAGS ? "[]" : "{}"));
		break;
	}
	return true;
}

void record_write(jsonw *w, const kh_record *r, const kh_lookup *lk, const int *fields, int nfields,
                  bool close)
{
	jsonw_object(w);
	int n = fields ? nfields : r->ent->nfields;
	for (int k = 0; k < n; k++) {
		int i = fields ? fields[k] : k;
		const kh_field *f = &r->ent->fields[i];
		if (r->v[i].state == V_ABSENT)
			continue;
		jsonw_key(w, f->name);
		value_write(w, f, &r->v[i], lk);
	}
	if (close)
		jsonw_object_end(w);
}

/* Parse what the writer wrote: the one encoding, also as a jansson tree. */
static json_t *parse_written(buf *b)
{
	json_t *j =
	        json_loadb(b->data ? b->data : "null", b->data ? b->len : 4, JSON_DECODE_ANY, NULL);
	buf_release(b);
	return j ? j : json_null();
}

json_t *value_to_json(const kh_field *f, const kh_value *v, const kh_lookup *lk)
{
	if (v->state == V_ABSENT)
		return NULL;
	buf b;
	buf_init(&b, 0);
	jsonw w;
	jsonw_init(&w, &b);
	value_write(&w, f, v, lk);
	return parse_written(&b);
}

json_t *record_to_json(const kh_record *r, const kh_lookup *lk, const int *fields, int nfields)
{
	buf b;
	buf_init(&b, 0);
	jsonw w;
	jsonw_init(&w, &b);
	record_write(&w, r, lk, fields, nfields, true);
	return parse_written(&b);
}

static bool in_list(const char *const *list, const char *key)
{
	for (; list && *list; list++)
		if (strcmp(*list, key) == 0)
			return true;
	return false;
}

static int type_error(kh_err *e, const char *name, const kh_field *f, const char *what)
{
	return err_field(e, name, N_("%s must be %s"), field_label(f, e->lang), tr(e->lang, what));
}

int record_from_json(kh_record *out, const kh_entity *ent, json_t *obj, const char *const *skip,
                     const char *prefix, arena *a, kh_err *e)
{
	int before = e->nfields;
	record_init(out, ent, a);
	if (!json_is_object(obj)) {
		/* "contacts[0]." names the element as "contacts[0]" */
		size_t n = prefix ? strlen(prefix) : 0;
		const char *name =
		        n ? arena_strndup(a, prefix, prefix[n - 1] == '.' ? n - 1 : n) : "body";
		err_field(e, name, N_("Expected a JSON object"));
		return -1;
	}
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val)
	{
		if (in_list(skip, key))
			continue;
		const char *name = prefix && *prefix ? arena_printf(a, "%s%s", prefix, key) : key;
		int i = entity_field(ent, key);
		if (i < 0) {
			err_field(e, name, N_("Unknown field \"%s\""), key);
			e->code = KH_EBADREQ; /* a malformed request, not a wrong value */
			continue;
		}
		const kh_field *f = &ent->fields[i];
		kh_value *v = &out->v[i];
		if (json_is_null(val)) {
			v->state = V_NULL;
			continue;
		}
		switch (f->type) {
		case FT_ID:
		case FT_INT:
		case FT_REF:
		case FT_DEPT:
			if (!json_is_integer(val)) {
				type_error(e, name, f, N_("a whole number"));
				continue;
			}
			record_set_int(out, i, json_integer_value(val));
			break;
		case FT_MONEY:
			if (!json_is_integer(val)) {
				type_error(e, name, f, N_("a whole number of fen (1 yuan = 100)"));
				continue;
			}
			record_set_int(out, i, json_integer_value(val));
			break;
		case FT_BOOL:
			if (!json_is_boolean(val)) {
				type_error(e, name, f, N_("true or false"));
				continue;
			}
			record_set_int(out, i, json_is_true(val));
			break;
		case FT_TEXT:
		case FT_LONGTEXT:
		case FT_DATE:
		case FT_TIME:
			if (!json_is_string(val)) {
				type_error(e, name, f, N_("text"));
				continue;
			}
			record_set_text(
			        out, i,
			        arena_memdup(a, json_string_value(val), json_string_length(val)));
			if (strlen(v->s) != json_string_length(val))
				err_field(e, name, N_("%s contains a NUL character"),
				          field_label(f, e->lang));
			break;
		case FT_DICT: {
			json_t *s = json_is_object(val) ? json_object_get(val, "code") : val;
			if (!json_is_string(s)) {
				type_error(e, name, f, N_("an option code or label"));
				continue;
			}
			record_set_text(out, i, arena_strdup(a, json_string_value(s)));
			break;
		}
		case FT_USER: {
			json_t *s = json_is_object(val) ? json_object_get(val, "id") : val;
			if (json_is_integer(s)) {
				record_set_int(out, i, json_integer_value(s));
			} else if (json_is_string(s)) {
				record_set_text(out, i, arena_strdup(a, json_string_value(s)));
			} else {
				type_error(e, name, f, N_("a user id or username"));
				continue;
			}
			break;
		}
		case FT_TAGS:
		case FT_CUSTOM: {
			bool ok = f->type == FT_TAGS ? json_is_array(val) : json_is_object(val);
			if (!ok) {
				type_error(e, name, f,
				           f->type == FT_TAGS ? N_("a list of text")
				                              : N_("an object"));
				continue;
			}
			char *txt = json_dumps(val, JSON_COMPACT);
			record_set_text(out, i, arena_strdup(a, txt));
			free(txt);
			break;
		}
		}
	}
	return e->nfields > before ? -1 : 0;
}
