/*
 * pool — the pool event table and the return rule's arithmetic.
 */
#include "core/pool.h"

#include <string.h>

#include "util/err.h"

#define L FF_LIST
#define S FF_SORT
#define Q FF_FILTER

static const kh_field pool_event_fields[PEF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [PEF_CUSTOMER] = {"customer_id", "customer_id", N_("Customer"), FT_REF,
                          FF_REQUIRED | FF_CREATE_ONLY | Q | L, "customer", 0, MASK_NONE},
        [PEF_ACTION] = {"action", "action", N_("Pool action"), FT_TEXT, FF_REQUIRED | Q | L, NULL,
                        16, MASK_NONE},
        [PEF_FROM_OWNER] = {"from_owner", "from_owner_id", N_("Previous owner"), FT_USER, Q | L,
                            NULL, 0, MASK_NONE},
        [PEF_TO_OWNER] = {"to_owner", "to_owner_id", N_("New owner"), FT_USER, Q | L, NULL, 0,
                          MASK_NONE},
        [PEF_REASON] = {"reason", "reason", N_("Reason"), FT_TEXT, L, NULL, 500, MASK_NONE},
};

const kh_entity pool_event_entity = {
        .name = "pool_event",
        .table = "pool_events",
        .label = N_("Pool event"),
        .fields = pool_event_fields,
        .nfields = PEF__COUNT,
};

int pool_rule_index(const char *grade)
{
	if (!grade || strlen(grade) != 1 || grade[0] < 'A' || grade[0] > 'E')
		return 0;
	return grade[0] - 'A' + 1;
}

/* dates and times compare as text on their first ten characters */
static const char *later(const char *a, const char *b)
{
	if (!a || !*a)
		return b && *b ? b : NULL;
	if (!b || !*b)
		return a;
	return strncmp(a, b, 10) >= 0 ? a : b;
}

const char *pool_last_contact(const char *first_contact, const char *last_followup,
                              const char *last_deal, const char *taken_over)
{
	return later(later(first_contact, last_followup), later(last_deal, taken_over));
}

bool pool_overdue(const char *last, const char *cutoff)
{
	/* a customer nobody ever dealt with has no day to count from: it stays */
	return last && cutoff && strncmp(last, cutoff, 10) < 0;
}
