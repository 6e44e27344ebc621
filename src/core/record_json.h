/*
 * record_json — records to and from JSON (jansson), the one encoding the
 * API, the CLI's --format json and later exports share.
 *
 * Out: integers and money (fen) as numbers, booleans as true/false,
 * dictionary values as {"code","zh","en"}, users and departments as
 * {"id","name"}, tags as an array, custom fields as an object; absent
 * values (hidden by permission) are left out.
 * In: the same shapes; dictionary and user fields also take a plain
 * string (a code or label, a username) or id. Unknown fields, wrong types
 * and fractional money are field errors.
 */
#ifndef KEHU_CORE_RECORD_JSON_H
#define KEHU_CORE_RECORD_JSON_H

#include <jansson.h>

#include "core/entity.h"
#include "util/err.h"
#include "util/jsonw.h"

/* Names for ids and codes, supplied by the service layer's cache. */
typedef struct kh_lookup {
	void *ud;
	/* labels of a dictionary option; false when the code is unknown */
	bool (*dict_label)(void *ud, const char *kind, const char *code, const char **zh,
			   const char **en);
	const char *(*user_name)(void *ud, int64_t id);
	const char *(*dept_name)(void *ud, int64_t id);
} kh_lookup;

/*
 * Write r's values as a JSON object (the one encoder of records). fields
 * lists the field indexes to include (nfields of them); NULL includes every
 * field. With close false the object is left open for the caller to add
 * members and close. lk NULL writes the stored form (a dictionary code as a
 * string, a user or department as its id), which the audit log keeps.
 */
void record_write(jsonw *w, const kh_record *r, const kh_lookup *lk, const int *fields,
		  int nfields, bool close);
/* One value; false (nothing written) for absent. */
bool value_write(jsonw *w, const kh_field *f, const kh_value *v, const kh_lookup *lk);

/*
 * The same as a new jansson object of r's values. fields lists the field indexes to
 * include (nfields of them); NULL includes every field. lk may be NULL
 * (then codes and ids come without labels and names).
 */
json_t *record_to_json(const kh_record *r, const kh_lookup *lk, const int *fields, int nfields);

/* One value as JSON (a new reference); NULL for absent. */
json_t *value_to_json(const kh_field *f, const kh_value *v, const kh_lookup *lk);

/*
 * Fill out (a fresh record of ent) from a JSON object. Keys listed in
 * skip (NULL-terminated, may be NULL) are ignored for the caller to handle.
 * prefix goes in front of field names in errors. Returns 0 or -1.
 */
int record_from_json(kh_record *out, const kh_entity *ent, json_t *obj, const char *const *skip,
		     const char *prefix, arena *a, kh_err *e);

#endif
