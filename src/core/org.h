/*
 * org — the organisation: users (accounts) and departments (a tree), as
 * entities, plus the admin-side records (dictionary options, custom field
 * definitions) that are edited like any other record.
 */
#ifndef KEHU_CORE_ORG_H
#define KEHU_CORE_ORG_H

#include "core/entity.h"

enum user_field {
	UF_USERNAME = F_NSYSTEM,
	UF_DISPLAY_NAME,
	UF_ROLE,
	UF_DEPARTMENT,
	UF_SUPERVISOR,
	UF_SCOPE,
	UF_DISABLED,
	UF_EMAIL,
	UF_PHONE,
	UF_LOCALE,
	UF_MAX_CUSTOMERS,
	UF__COUNT
};

enum department_field {
	DF_NAME = F_NSYSTEM,
	DF_PARENT,
	DF_CODE_PREFIX,
	DF_MANAGER,
	DF_SORT_ORDER,
	DF__COUNT
};

enum dict_option_field {
	OF_KIND = F_NSYSTEM,
	OF_CODE,
	OF_LABEL_ZH,
	OF_LABEL_EN,
	OF_SORT_ORDER,
	OF_RETIRED,
	OF__COUNT
};

enum custom_field_field {
	XF_ENTITY = F_NSYSTEM,
	XF_KEY,
	XF_LABEL_ZH,
	XF_LABEL_EN,
	XF_TYPE,
	XF_REQUIRED,
	XF_SORT_ORDER,
	XF_RETIRED,
	XF__COUNT
};

extern const kh_entity user_entity;
extern const kh_entity department_entity;
extern const kh_entity dict_option_entity;
extern const kh_entity custom_field_entity;

/* True for a username: 2-32 of a-z 0-9 . _ - starting with a letter or digit. */
bool username_valid(const char *s);

/* Custom field value types. */
typedef enum custom_type {
	CT_TEXT,
	CT_NUMBER,
	CT_MONEY,
	CT_DATE,
	CT_DICT,
	CT_TAGS,
	CT_BOOL,
} custom_type;
bool custom_type_parse(const char *s, custom_type *out);
const char *custom_type_name(custom_type t);

#endif
