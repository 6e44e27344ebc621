/*
 * perm — roles, permissions and data scopes.
 *
 * A role is a set of permissions and a default data scope; a user has one
 * role and may have its own scope. The defaults here seed the roles table;
 * the admin may change a role's permissions later. Which records a scope
 * covers is computed by the service layer (it needs the user and
 * department trees); the rule names live here.
 */
#ifndef KEHU_CORE_PERM_H
#define KEHU_CORE_PERM_H

#include <stdbool.h>
#include <stdint.h>

typedef enum kh_perm {
	PERM_CUSTOMER_READ = 1u << 0,   /* see customers in scope */
	PERM_CUSTOMER_WRITE = 1u << 1,  /* create, edit customers and contacts in scope */
	PERM_CUSTOMER_DELETE = 1u << 2, /* delete and restore */
	PERM_CUSTOMER_ASSIGN = 1u << 3, /* give a customer to another owner */
	PERM_ARCHIVE = 1u << 4,         /* move to and from the archive (历史库) */
	PERM_PII_UNMASK = 1u << 5,      /* see phone numbers and addresses unmasked */
	PERM_PROFILE_READ = 1u << 6,    /* see the deep personal profile */
	PERM_EXPORT = 1u << 7,
	PERM_IMPORT = 1u << 8,
	PERM_APPROVE = 1u << 9,
	PERM_DICT_MANAGE = 1u << 10, /* dictionaries and custom fields */
	PERM_USER_MANAGE = 1u << 11, /* users, departments, roles */
	PERM_AUDIT_READ = 1u << 12,
	PERM_SETTINGS = 1u << 13,     /* code rule and other settings */
	PERM_TICKET_WRITE = 1u << 14, /* service tickets (customer service) */
	PERM_ORDER_WRITE = 1u << 15,  /* orders (finance, sales) */
	PERM__ALL = (1u << 16) - 1,
} kh_perm;

typedef enum kh_scope {
	SCOPE_NONE = 0,
	SCOPE_OWN = 1,      /* 本人 */
	SCOPE_OWN_SUB = 2,  /* 本人及下属 */
	SCOPE_DEPT = 3,     /* 本部门 */
	SCOPE_DEPT_SUB = 4, /* 本部门及下属部门 */
	SCOPE_ALL = 5,      /* 全部 */
} kh_scope;

typedef struct role_default {
	const char *code;  /* admin, manager, sales, service, finance, viewer */
	const char *label; /* msgid */
	uint32_t perms;
	kh_scope scope;
} role_default;

/* The built-in roles, in display order. */
extern const role_default role_defaults[];
extern const int role_default_count;
const role_default *role_default_find(const char *code);

/* "own", "own_sub", "dept", "dept_sub", "all" and back. */
const char *scope_code(kh_scope s);
bool scope_parse(const char *s, kh_scope *out);
/* Translated scope label (本人 ...). */
const char *scope_label(kh_scope s, int lang);

/* Permission names for the API ("customer.read" ...) and back. */
const char *perm_name(kh_perm p);
bool perm_parse(const char *name, kh_perm *out);

#endif
