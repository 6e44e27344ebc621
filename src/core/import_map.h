/*
 * import_map — what a column of an imported sheet holds, and the cell forms
 * people type: pure rules, no database.
 *
 * A column maps to a target: a customer field (CF_*), or a field of the
 * customer's primary contact given on the same row (联系人, 联系方式 …). The
 * header is matched after folding (full-width forms and spaces, a trailing
 * "*" of a required column, ASCII case) against every field's English and
 * Chinese label, the field's JSON name, the headers of the seeds' customer
 * templates and common English ones.
 */
#ifndef KEHU_CORE_IMPORT_MAP_H
#define KEHU_CORE_IMPORT_MAP_H

#include <stdbool.h>

#include "core/entity.h"
#include "util/arena.h"
#include "util/date.h"

/* A target: CF_* for a customer field, IMPORT_CONTACT + KF_* for the contact's. */
#define IMPORT_CONTACT 1000
#define IMPORT_IGNORE  (-1)

/* True for the targets an import may set: customer fields people keep (the
 * legacy totals too: they become the opening balances), not system, derived
 * or read-only ones; the contact's name, position, phone, email, WeChat. */
bool import_target_ok(int target);

/* A header as it is compared: half-width, lower case, trimmed, without a
 * trailing required mark "*" or colon. */
char *import_fold_header(const char *header, arena *a);

/* The target a header names, or IMPORT_IGNORE. */
int import_map_header(const char *header, arena *a);

/* The target a user names in an override ("name", "contact_phone", "contact.phone",
 * a label in either language, "-" or "" to ignore the column); false if none. */
bool import_target_parse(const char *text, arena *a, int *target);

/* A target's stable name ("name", "contact_phone") and its label in lang. */
const char *import_target_name(int target, arena *a);
const char *import_target_label(int target, int lang, arena *a);
/* The entity and field index of a target. */
const kh_entity *import_target_field(int target, int *field);

/*
 * A date as people type it: 2024-05-10, 2024/5/10, 2024.5.10, 5/10/2024
 * (month first, as Excel in English writes it; 10/5/2024 with a day over 12
 * is read day first), 2024年5月10日, 20240510, a time after it ignored
 * ("2024-05-10 09:30:00"), or an Excel serial day number (45422 =
 * 2024-05-10). false for anything else or a day that does not exist.
 */
bool import_parse_date(const char *s, char out[DATE_LEN]);

/* A yes/no cell: 是/否, 对/错, 有/无, yes/no, y/n, true/false, 1/0, √/×. */
bool import_parse_bool(const char *s, bool *out);

/* ---- the import's own tables ---- */

/* A real import run (import_batches): created_by is who ran it. */
enum import_batch_field {
	IBF_FILE_NAME = F_NSYSTEM,
	IBF_MODE,
	IBF_MATCH,
	IBF_ROWS,
	IBF_CREATED,
	IBF_UPDATED,
	IBF_UNCHANGED,
	IBF_FAILED,
	IBF_UNDONE_AT,
	IBF_UNDONE_BY,
	IBF__COUNT
};
/* A customer a batch created or updated (import_batch_rows), with the values
 * an update replaced (JSON, the stored form) and its version after the import. */
enum import_row_field {
	IRF_BATCH = F_NSYSTEM,
	IRF_ROW,
	IRF_CUSTOMER,
	IRF_ACTION,
	IRF_PREVIOUS,
	IRF_AFTER_VERSION,
	IRF__COUNT
};
/* A column mapping saved by name (import_mappings): JSON {"header": "target"}. */
enum import_mapping_field { IMF_NAME = F_NSYSTEM, IMF_MAPPING, IMF__COUNT };

extern const kh_entity import_batch_entity;
extern const kh_entity import_row_entity;
extern const kh_entity import_mapping_entity;

#endif
