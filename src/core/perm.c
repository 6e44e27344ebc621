/*
 * perm — the role and scope tables.
 */
#include "core/perm.h"

#include <string.h>

#include "util/i18n.h"

#define SALES_PERMS                                                                                \
	(PERM_CUSTOMER_READ | PERM_CUSTOMER_WRITE | PERM_PII_UNMASK | PERM_ORDER_WRITE |           \
	 PERM_ARCHIVE)

const role_default role_defaults[] = {
        {"admin", N_("Administrator"), PERM__ALL, SCOPE_ALL},
        {"manager", N_("Manager"),
         SALES_PERMS | PERM_CUSTOMER_DELETE | PERM_CUSTOMER_ASSIGN | PERM_ARCHIVE |
                 PERM_PROFILE_READ | PERM_EXPORT | PERM_IMPORT | PERM_APPROVE | PERM_TICKET_WRITE,
         SCOPE_DEPT_SUB},
        {"sales", N_("Sales"), SALES_PERMS, SCOPE_OWN},
        {"service", N_("Customer service"), PERM_CUSTOMER_READ | PERM_TICKET_WRITE, SCOPE_ALL},
        {"finance", N_("Finance"),
         PERM_CUSTOMER_READ | PERM_EXPORT | PERM_ORDER_WRITE | PERM_APPROVE, SCOPE_ALL},
        {"viewer", N_("Viewer"), PERM_CUSTOMER_READ, SCOPE_DEPT},
};
const int role_default_count = (int)(sizeof(role_defaults) / sizeof(role_defaults[0]));

const role_default *role_default_find(const char *code)
{
	for (int i = 0; i < role_default_count; i++)
		if (code && strcmp(role_defaults[i].code, code) == 0)
			return &role_defaults[i];
	return NULL;
}

static const struct {
	const char *code;
	const char *label;
} scopes[] = {
        [SCOPE_NONE] = {"none", N_("None")},
        [SCOPE_OWN] = {"own", N_("Own records")},
        [SCOPE_OWN_SUB] = {"own_sub", N_("Own and subordinates' records")},
        [SCOPE_DEPT] = {"dept", N_("Own department")},
        [SCOPE_DEPT_SUB] = {"dept_sub", N_("Own department and its sub-departments")},
        [SCOPE_ALL] = {"all", N_("All records")},
};

const char *scope_code(kh_scope s)
{
	return (unsigned)s <= SCOPE_ALL ? scopes[s].code : "none";
}

bool scope_parse(const char *s, kh_scope *out)
{
	for (int i = SCOPE_OWN; i <= SCOPE_ALL; i++)
		if (s && strcmp(scopes[i].code, s) == 0) {
			*out = (kh_scope)i;
			return true;
		}
	return false;
}

const char *scope_label(kh_scope s, int lang)
{
	return tr((kh_lang)lang, (unsigned)s <= SCOPE_ALL ? scopes[s].label : scopes[0].label);
}

static const struct {
	kh_perm p;
	const char *name;
} perm_names[] = {
        {PERM_CUSTOMER_READ, "customer.read"},
        {PERM_CUSTOMER_WRITE, "customer.write"},
        {PERM_CUSTOMER_DELETE, "customer.delete"},
        {PERM_CUSTOMER_ASSIGN, "customer.assign"},
        {PERM_ARCHIVE, "customer.archive"},
        {PERM_PII_UNMASK, "pii.unmask"},
        {PERM_PROFILE_READ, "profile.read"},
        {PERM_EXPORT, "export"},
        {PERM_IMPORT, "import"},
        {PERM_APPROVE, "approve"},
        {PERM_DICT_MANAGE, "dict.manage"},
        {PERM_USER_MANAGE, "user.manage"},
        {PERM_AUDIT_READ, "audit.read"},
        {PERM_SETTINGS, "settings"},
        {PERM_TICKET_WRITE, "ticket.write"},
        {PERM_ORDER_WRITE, "order.write"},
};

const char *perm_name(kh_perm p)
{
	for (size_t i = 0; i < sizeof(perm_names) / sizeof(perm_names[0]); i++)
		if (perm_names[i].p == p)
			return perm_names[i].name;
	return NULL;
}

bool perm_parse(const char *name, kh_perm *out)
{
	for (size_t i = 0; i < sizeof(perm_names) / sizeof(perm_names[0]); i++)
		if (name && strcmp(perm_names[i].name, name) == 0) {
			*out = perm_names[i].p;
			return true;
		}
	return false;
}
