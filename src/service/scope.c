/*
 * scope — which records the actor may see and touch (DESIGN 1.10):
 * 本人 own, 本人及下属 own and (transitive) subordinates, 本部门 own
 * department, 本部门及下属部门 department subtree, 全部 all. Computed from
 * the snapshot's user and department trees; the store turns the result
 * into an owner or department IN list.
 */
#include <string.h>

#include "service/internal.h"

/* ids of users whose supervisor chain reaches root (root included) */
static int subordinates(const snapshot *sn, int64_t root, arena *a, int64_t **out)
{
	int64_t *ids = arena_calloc(a, (size_t)sn->nusers + 1, sizeof(int64_t));
	int n = 0;
	ids[n++] = root;
	/* breadth-first over the supervisor relation; a cycle stops at
	 * already-listed users */
	for (int head = 0; head < n; head++) {
		for (int i = 0; i < sn->nusers; i++) {
			const kh_record *u = &sn->users[i];
			if (record_int(u, UF_SUPERVISOR, 0) != ids[head])
				continue;
			int64_t id = u->v[F_ID].i;
			bool seen = false;
			for (int k = 0; k < n && !seen; k++)
				seen = ids[k] == id;
			if (!seen && n <= sn->nusers)
				ids[n++] = id;
		}
	}
	*out = ids;
	return n;
}

/* ids of departments in the subtree of root (root included); see internal.h */
int dept_subtree(const snapshot *sn, int64_t root, arena *a, int64_t **out)
{
	int64_t *ids = arena_calloc(a, (size_t)sn->ndepts + 1, sizeof(int64_t));
	int n = 0;
	ids[n++] = root;
	for (int head = 0; head < n; head++) {
		for (int i = 0; i < sn->ndepts; i++) {
			const kh_record *d = &sn->depts[i];
			if (record_int(d, DF_PARENT, 0) != ids[head])
				continue;
			int64_t id = d->v[F_ID].i;
			bool seen = false;
			for (int k = 0; k < n && !seen; k++)
				seen = ids[k] == id;
			if (!seen && n <= sn->ndepts)
				ids[n++] = id;
		}
	}
	*out = ids;
	return n;
}

int scope_filter(svc *s, kh_scope_filter *out)
{
	memset(out, 0, sizeof(*out));
	if (svc_snapshot(s, -1) < 0)
		return -1;
	const kh_actor *a = &s->actor;
	if (a->system) {
		out->kind = SCOPE_MATCH_ALL;
		return 0;
	}
	switch (a->scope) {
	case SCOPE_ALL:
		out->kind = SCOPE_MATCH_ALL;
		return 0;
	case SCOPE_OWN:
		out->kind = SCOPE_MATCH_OWNERS;
		out->ids = arena_alloc(s->a, sizeof(int64_t));
		out->ids[0] = a->user_id;
		out->n = 1;
		return 0;
	case SCOPE_OWN_SUB:
		out->kind = SCOPE_MATCH_OWNERS;
		out->n = subordinates(s->snap, a->user_id, s->a, &out->ids);
		return 0;
	case SCOPE_DEPT:
	case SCOPE_DEPT_SUB:
		if (!a->department_id) {
			/* no department: nothing but one's own */
			out->kind = SCOPE_MATCH_OWNERS;
			out->ids = arena_alloc(s->a, sizeof(int64_t));
			out->ids[0] = a->user_id;
			out->n = 1;
			return 0;
		}
		out->kind = SCOPE_MATCH_DEPTS;
		if (a->scope == SCOPE_DEPT) {
			out->ids = arena_alloc(s->a, sizeof(int64_t));
			out->ids[0] = a->department_id;
			out->n = 1;
		} else {
			out->n = dept_subtree(s->snap, a->department_id, s->a, &out->ids);
		}
		return 0;
	case SCOPE_NONE:
		break;
	}
	out->kind = SCOPE_MATCH_NONE;
	return 0;
}

static bool in_ids(const kh_scope_filter *f, int64_t id)
{
	for (int i = 0; i < f->n; i++)
		if (f->ids[i] == id)
			return true;
	return false;
}

bool scope_covers(svc *s, int64_t owner_id, int64_t dept_id)
{
	kh_scope_filter f;
	if (scope_filter(s, &f) < 0)
		return false;
	switch (f.kind) {
	case SCOPE_MATCH_ALL:
		return true;
	case SCOPE_MATCH_OWNERS:
		return owner_id && in_ids(&f, owner_id);
	case SCOPE_MATCH_DEPTS:
		return dept_id && in_ids(&f, dept_id);
	case SCOPE_MATCH_NONE:
		break;
	}
	return false;
}

bool scope_covers_user(svc *s, int64_t user_id)
{
	if (svc_snapshot(s, -1) < 0)
		return false;
	const kh_record *u = snap_user(s->snap, user_id);
	if (!u)
		return false;
	return scope_covers(s, user_id, record_int(u, UF_DEPARTMENT, 0));
}
