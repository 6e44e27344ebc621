/*
 * pool — the queries of the customer pool 公海 and the archive 历史库 that
 * the generic record store cannot express: which owned customers a return
 * rule makes due, when an owner took a customer over, how many customers a
 * user claimed since a time and owns now.
 */
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

/* the grades a return rule is set for; other values count as "no grade" */
#define GRADES "('A', 'B', 'C', 'D', 'E')"

int store_pool_due(store *db, const char *grade, const char *cutoff, int64_t after_id, int limit,
                   arena *a, int64_t **ids, int *n, kh_err *e)
{
	char sql[1024];
	snprintf(sql, sizeof(sql),
	         "SELECT t.id FROM customers t WHERE t.deleted_at IS NULL AND t.in_pool = 0 "
	         "AND t.locked = 0 AND t.archived = 0 AND t.owner_id IS NOT NULL AND %s "
	         "AND COALESCE(t.first_contact_date, t.last_followup_date, t.last_deal_date) IS "
	         "NOT NULL "
	         "AND (t.first_contact_date IS NULL OR t.first_contact_date < ?) "
	         "AND (t.last_followup_date IS NULL OR t.last_followup_date < ?) "
	         "AND (t.last_deal_date IS NULL OR t.last_deal_date < ?) "
	         "AND NOT EXISTS (SELECT 1 FROM pool_events p WHERE p.customer_id = t.id "
	         "AND p.action IN ('claim', 'assign') AND p.created_at >= ?) "
	         "AND t.id > ? ORDER BY t.id LIMIT ?",
	         grade ? "t.grade = ?" : "(t.grade IS NULL OR t.grade NOT IN " GRADES ")");
	store_stmt *st = stmt_prepare(db, sql, e);
	if (!st)
		return -1;
	int k = 1;
	if (grade)
		stmt_bind_text(st, k++, grade);
	for (int i = 0; i < 4; i++)
		stmt_bind_text(st, k++, cutoff);
	stmt_bind_int(st, k++, after_id);
	stmt_bind_int(st, k++, limit);
	int64_t *out = arena_calloc(a, (size_t)limit + 1, sizeof(int64_t));
	int count = 0, rc;
	while ((rc = stmt_step(st, e)) == STMT_ROW && count < limit)
		out[count++] = stmt_int(st, 0);
	stmt_done(st);
	if (rc < 0)
		return -1;
	*ids = out;
	*n = count;
	return 0;
}

int store_pool_taken_over(store *db, int64_t customer_id, arena *a, const char **at, kh_err *e)
{
	store_stmt *st =
	        stmt_prepare(db,
	                     "SELECT MAX(created_at) FROM pool_events WHERE customer_id = ? "
	                     "AND action IN ('claim', 'assign')",
	                     e);
	if (!st)
		return -1;
	stmt_bind_int(st, 1, customer_id);
	int rc = stmt_step(st, e);
	*at = rc == STMT_ROW ? stmt_text_dup(st, 0, a) : NULL;
	stmt_done(st);
	return rc < 0 ? -1 : 0;
}

int store_pool_claims_since(store *db, int64_t user_id, const char *since, int64_t *n, kh_err *e)
{
	*n = 0;
	return stmt_query_int(db, e, n,
	                      "SELECT COUNT(*) FROM pool_events WHERE created_by = ? "
	                      "AND action = 'claim' AND created_at >= ?",
	                      "is", user_id, since) < 0
	               ? -1
	               : 0;
}

int store_customers_owned(store *db, int64_t user_id, int64_t *n, kh_err *e)
{
	*n = 0;
	return stmt_query_int(db, e, n,
	                      "SELECT COUNT(*) FROM customers WHERE owner_id = ? "
	                      "AND deleted_at IS NULL AND archived = 0",
	                      "i", user_id) < 0
	               ? -1
	               : 0;
}
