/*
 * org — field tables of users, departments, dictionary options and custom
 * field definitions.
 */
#include "core/org.h"

#include <ctype.h>
#include <string.h>

#include "core/dict.h"
#include "core/phone.h"
#include "util/err.h"

#define L FF_LIST
#define S FF_SORT
#define Q FF_FILTER

static const kh_field user_fields[UF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [UF_USERNAME] = {"username", "username", N_("Username"), FT_TEXT,
                         FF_REQUIRED | FF_CREATE_ONLY | S | Q | L, NULL, 32, MASK_NONE},
        [UF_DISPLAY_NAME] = {"display_name", "display_name", N_("Name"), FT_TEXT,
                             FF_REQUIRED | S | L, NULL, 64, MASK_NONE},
        [UF_ROLE] = {"role", "role", N_("Role"), FT_TEXT, FF_REQUIRED | Q | L, NULL, 32, MASK_NONE},
        [UF_DEPARTMENT] = {"department", "department_id", N_("Department"), FT_DEPT, Q | L, NULL, 0,
                           MASK_NONE},
        [UF_SUPERVISOR] = {"supervisor", "supervisor_id", N_("Supervisor"), FT_USER, Q | L, NULL, 0,
                           MASK_NONE},
        [UF_SCOPE] = {"scope", "scope", N_("Data scope"), FT_TEXT, L, NULL, 16, MASK_NONE},
        [UF_DISABLED] = {"disabled", "disabled", N_("Disabled"), FT_BOOL, Q | L, NULL, 0,
                         MASK_NONE},
        [UF_EMAIL] = {"email", "email", N_("Email"), FT_TEXT, L, NULL, 200, MASK_NONE},
        [UF_PHONE] = {"phone", "phone", N_("Phone"), FT_TEXT, FF_PII | L, NULL, 40, MASK_PHONE},
        [UF_LOCALE] = {"locale", "locale", N_("Language"), FT_TEXT, L, NULL, 8, MASK_NONE},
        [UF_MAX_CUSTOMERS] = {"max_customers", "max_customers", N_("Customer limit"), FT_INT, L,
                              NULL, 1000000, MASK_NONE},
};

bool username_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 2 || n > 32 || !isalnum((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!(islower(c) || isdigit(c) || c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static int user_check(kh_record *r, bool create, arena *a, kh_err *e)
{
	(void)create;
	int rc = 0;
	if (record_is_set(r, UF_USERNAME) && !username_valid(r->v[UF_USERNAME].s))
		rc = err_field(e, "username",
		               N_("Username must be 2-32 lower-case letters, digits, . _ or -"));
	if (record_is_set(r, UF_LOCALE)) {
		const char *l = r->v[UF_LOCALE].s;
		if (strcmp(l, "zh-CN") != 0 && strcmp(l, "en") != 0)
			rc = err_field(e, "locale", N_("Language must be zh-CN or en"));
	}
	if (record_is_set(r, UF_PHONE)) {
		char *p = phone_normalize(a, r->v[UF_PHONE].s);
		if (!p)
			rc = err_field(e, "phone", N_("Phone number is not valid"));
		else
			r->v[UF_PHONE].s = p;
	}
	return rc;
}

const kh_entity user_entity = {
        .name = "user",
        .table = "users",
        .label = N_("User"),
        .fields = user_fields,
        .nfields = UF__COUNT,
        .check = user_check,
};

static const kh_field department_fields[DF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [DF_NAME] = {"name", "name", N_("Department name"), FT_TEXT, FF_REQUIRED | S | L, NULL, 64,
                     MASK_NONE},
        [DF_PARENT] = {"parent", "parent_id", N_("Parent department"), FT_DEPT, Q | L, NULL, 0,
                       MASK_NONE},
        [DF_CODE_PREFIX] = {"code_prefix", "code_prefix", N_("Customer code prefix"), FT_TEXT, L,
                            NULL, 8, MASK_NONE},
        [DF_MANAGER] = {"manager", "manager_id", N_("Department manager"), FT_USER, L, NULL, 0,
                        MASK_NONE},
        [DF_SORT_ORDER] = {"sort_order", "sort_order", N_("Sort order"), FT_INT, L, NULL, 1000000,
                           MASK_NONE},
};

static int department_check(kh_record *r, bool create, arena *a, kh_err *e)
{
	(void)create;
	if (record_is_set(r, DF_CODE_PREFIX)) {
		const char *p = r->v[DF_CODE_PREFIX].s;
		size_t n = strlen(p);
		bool ok = n >= 1 && n <= 8;
		char *up = arena_strdup(a, p);
		for (size_t i = 0; i < n; i++) {
			if (!isalnum((unsigned char)up[i]))
				ok = false;
			up[i] = (char)toupper((unsigned char)up[i]);
		}
		if (!ok)
			return err_field(e, "code_prefix",
			                 N_("Code prefix must be 1-8 letters or digits, like XS"));
		r->v[DF_CODE_PREFIX].s = up;
	}
	return 0;
}

const kh_entity department_entity = {
        .name = "department",
        .table = "departments",
        .label = N_("Department"),
        .fields = department_fields,
        .nfields = DF__COUNT,
        .check = department_check,
};

static const kh_field dict_option_fields[OF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [OF_KIND] = {"kind", "kind", N_("Dictionary"), FT_TEXT,
                     FF_REQUIRED | FF_CREATE_ONLY | Q | L, NULL, 44, MASK_NONE},
        [OF_CODE] = {"code", "code", N_("Option code"), FT_TEXT,
                     FF_REQUIRED | FF_CREATE_ONLY | Q | L, NULL, 40, MASK_NONE},
        [OF_LABEL_ZH] = {"label_zh", "label_zh", N_("Chinese label"), FT_TEXT, FF_REQUIRED | L,
                         NULL, 40, MASK_NONE},
        [OF_LABEL_EN] = {"label_en", "label_en", N_("English label"), FT_TEXT, FF_REQUIRED | L,
                         NULL, 60, MASK_NONE},
        [OF_SORT_ORDER] = {"sort_order", "sort_order", N_("Sort order"), FT_INT, L, NULL, 1000000,
                           MASK_NONE},
        [OF_RETIRED] = {"retired", "retired", N_("Retired"), FT_BOOL, Q | L, NULL, 0, MASK_NONE},
};

static int dict_option_check(kh_record *r, bool create, arena *a, kh_err *e)
{
	(void)create;
	(void)a;
	int rc = 0;
	if (record_is_set(r, OF_KIND) && !dict_kind_valid(r->v[OF_KIND].s))
		rc = err_field(e, "kind", N_("Unknown dictionary \"%s\""), r->v[OF_KIND].s);
	if (record_is_set(r, OF_CODE) && !dict_code_valid(r->v[OF_CODE].s))
		rc = err_field(e, "code",
		               N_("Option code must be 1-40 lower-case letters, digits, _ - or ."));
	return rc;
}

const kh_entity dict_option_entity = {
        .name = "dict_option",
        .table = "dict_options",
        .label = N_("Dictionary option"),
        .fields = dict_option_fields,
        .nfields = OF__COUNT,
        .check = dict_option_check,
};

static const char *const custom_type_names[] = {
        [CT_TEXT] = "text", [CT_NUMBER] = "number", [CT_MONEY] = "money", [CT_DATE] = "date",
        [CT_DICT] = "dict", [CT_TAGS] = "tags",     [CT_BOOL] = "bool",
};

bool custom_type_parse(const char *s, custom_type *out)
{
	for (size_t i = 0; i < sizeof(custom_type_names) / sizeof(custom_type_names[0]); i++)
		if (s && strcmp(s, custom_type_names[i]) == 0) {
			*out = (custom_type)i;
			return true;
		}
	return false;
}

const char *custom_type_name(custom_type t)
{
	return custom_type_names[t];
}

static const kh_field custom_field_fields[XF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [XF_ENTITY] = {"entity", "entity", N_("Record type"), FT_TEXT,
                       FF_REQUIRED | FF_CREATE_ONLY | Q | L, NULL, 32, MASK_NONE},
        [XF_KEY] = {"key", "key", N_("Field key"), FT_TEXT, FF_REQUIRED | FF_CREATE_ONLY | L, NULL,
                    40, MASK_NONE},
        [XF_LABEL_ZH] = {"label_zh", "label_zh", N_("Chinese label"), FT_TEXT, FF_REQUIRED | L,
                         NULL, 40, MASK_NONE},
        [XF_LABEL_EN] = {"label_en", "label_en", N_("English label"), FT_TEXT, FF_REQUIRED | L,
                         NULL, 60, MASK_NONE},
        [XF_TYPE] = {"type", "type", N_("Value type"), FT_TEXT, FF_REQUIRED | FF_CREATE_ONLY | L,
                     NULL, 16, MASK_NONE},
        [XF_REQUIRED] = {"required", "required", N_("Required"), FT_BOOL, L, NULL, 0, MASK_NONE},
        [XF_SORT_ORDER] = {"sort_order", "sort_order", N_("Sort order"), FT_INT, L, NULL, 1000000,
                           MASK_NONE},
        [XF_RETIRED] = {"retired", "retired", N_("Retired"), FT_BOOL, L, NULL, 0, MASK_NONE},
};

static int custom_field_check(kh_record *r, bool create, arena *a, kh_err *e)
{
	(void)create;
	(void)a;
	int rc = 0;
	custom_type t;
	if (record_is_set(r, XF_TYPE) && !custom_type_parse(r->v[XF_TYPE].s, &t))
		rc = err_field(
		        e, "type",
		        N_("Value type must be text, number, money, date, dict, tags or bool"));
	if (record_is_set(r, XF_KEY) && !dict_code_valid(r->v[XF_KEY].s))
		rc = err_field(e, "key",
		               N_("Field key must be 1-40 lower-case letters, digits, _ - or ."));
	if (record_is_set(r, XF_ENTITY) && strcmp(r->v[XF_ENTITY].s, "customer") != 0)
		rc = err_field(e, "entity", N_("Custom fields exist for customers only"));
	return rc;
}

const kh_entity custom_field_entity = {
        .name = "custom_field",
        .table = "custom_fields",
        .label = N_("Custom field"),
        .fields = custom_field_fields,
        .nfields = XF__COUNT,
        .check = custom_field_check,
};
