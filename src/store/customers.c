/*
 * customers — the customer-specific queries: the code sequence, the
 * search document and tag rows, primary contacts.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

int store_code_next(store *db, const char *prefix, int year, int64_t *seq, kh_err *e)
{
	/* one statement both engines run atomically: the row lock it takes is
	 * held to the end of the caller's transaction, serialising creators of
	 * the same prefix and year, and a rollback gives the number back */
	int rc = stmt_query_int(
	        db, e, seq,
	        "INSERT INTO code_sequences (prefix, year, last) VALUES (?, ?, 1) "
	        "ON CONFLICT (prefix, year) DO UPDATE SET last = code_sequences.last + 1 "
	        "RETURNING last",
	        "si", prefix, (int64_t)year);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, KH_EDB, NULL);
	return 0;
}

int store_code_taken(store *db, const char *code, bool *taken, kh_err *e)
{
	int64_t id = 0;
	int rc = stmt_query_int(db, e, &id, "SELECT id FROM customers WHERE code = ?", "s", code);
	*taken = rc == 1;
	return rc < 0 ? -1 : 0;
}

static void join_tags(buf *b, const char *json)
{
	json_t *arr = json ? json_loads(json, 0, NULL) : NULL;
	size_t i;
	json_t *t;
	json_array_foreach(arr, i, t)
	{
		if (json_is_string(t) &&
		    (buf_adds(b, json_string_value(t)) < 0 || buf_addc(b, ' ') < 0))
			break;
	}
	json_decref(arr);
}

static int sync_tags(store *db, int64_t id, const char *json, kh_err *e)
{
	if (stmt_run(db, e, "DELETE FROM customer_tags WHERE customer_id = ?", "i", id) < 0)
		return -1;
	json_t *arr = json ? json_loads(json, 0, NULL) : NULL;
	size_t i;
	json_t *t;
	int rc = 0;
	json_array_foreach(arr, i, t)
	{
		if (!json_is_string(t))
			continue;
		rc = stmt_run(db, e,
		              "INSERT INTO customer_tags (customer_id, tag) VALUES (?, ?) "
		              "ON CONFLICT DO NOTHING",
		              "is", id, json_string_value(t));
		if (rc < 0)
			break;
	}
	json_decref(arr);
	return rc;
}

int store_customer_sync(store *db, int64_t id, kh_err *e)
{
	store_stmt *st = stmt_prepare(
	        db, "SELECT name, code, tags, requirement, remarks FROM customers WHERE id = ?", e);
	if (!st)
		return -1;
	stmt_bind_int(st, 1, id);
	int rc = stmt_step(st, e);
	if (rc != STMT_ROW) {
		stmt_done(st);
		return rc < 0 ? -1 : err_set(e, KH_ENOTFOUND, NULL);
	}
	buf name, code, tags, body, contacts;
	buf_init(&name, 0);
	buf_init(&code, 0);
	buf_init(&tags, 0);
	buf_init(&body, 0);
	buf_init(&contacts, 0);
	int ok = buf_adds(&name, stmt_text(st, 0)) | buf_adds(&code, stmt_text(st, 1)) |
	         buf_adds(&body, stmt_text(st, 3)) | buf_addc(&body, '\n') |
	         buf_adds(&body, stmt_text(st, 4));
	char *tags_json = stmt_null(st, 2) ? NULL : strdup(stmt_text(st, 2));
	stmt_done(st);
	join_tags(&tags, tags_json);

	st = stmt_prepare(db,
	                  "SELECT name FROM contacts WHERE customer_id = ? AND deleted_at IS NULL "
	                  "ORDER BY id",
	                  e);
	if (!st) {
		rc = -1;
		goto out;
	}
	stmt_bind_int(st, 1, id);
	while ((rc = stmt_step(st, e)) == STMT_ROW)
		ok |= buf_adds(&contacts, stmt_text(st, 0)) | buf_addc(&contacts, ' ');
	stmt_done(st);
	if (rc < 0 || ok < 0)
		goto out;
	const char *cols[5] = {buf_str(&name), buf_str(&code), buf_str(&contacts), buf_str(&tags),
	                       buf_str(&body)};
	rc = db->ops->search_put(db, id, cols, e);
	if (rc == 0)
		rc = sync_tags(db, id, tags_json, e);
	if (rc == 0)
		rc = store_name_key_set(db, id, buf_str(&name), e);
out:
	free(tags_json);
	buf_release(&name);
	buf_release(&code);
	buf_release(&tags);
	buf_release(&body);
	buf_release(&contacts);
	return rc < 0 ? -1 : 0;
}

int store_primary_contacts(store *db, const int64_t *ids, int n, arena *a, primary_contact *out,
                           kh_err *e)
{
	memset(out, 0, sizeof(*out) * (size_t)n);
	if (n == 0)
		return 0;
	buf sql;
	buf_init(&sql, 0);
	int ok = buf_adds(&sql, "SELECT customer_id, id, name, phone FROM contacts WHERE "
	                        "is_primary = 1 AND deleted_at IS NULL AND customer_id IN (");
	for (int k = 0; k < n; k++)
		ok |= buf_adds(&sql, k ? ", ?" : "?");
	ok |= buf_addc(&sql, ')');
	if (ok < 0)
		abort();
	store_stmt *st = stmt_prepare(db, buf_str(&sql), e);
	buf_release(&sql);
	if (!st)
		return -1;
	for (int k = 0; k < n; k++)
		stmt_bind_int(st, k + 1, ids[k]);
	int rc;
	while ((rc = stmt_step(st, e)) == STMT_ROW) {
		int64_t cid = stmt_int(st, 0);
		for (int k = 0; k < n; k++) {
			if (ids[k] != cid)
				continue;
			out[k].id = stmt_int(st, 1);
			out[k].name = stmt_text_dup(st, 2, a);
			out[k].phone = stmt_text_dup(st, 3, a);
		}
	}
	stmt_done(st);
	return rc < 0 ? -1 : 0;
}

int store_contact_unset_primary(store *db, int64_t customer_id, int64_t except_id, const char *now,
                                kh_err *e)
{
	return stmt_run(db, e,
	                "UPDATE contacts SET is_primary = 0, version = version + 1, updated_at = ? "
	                "WHERE customer_id = ? AND id <> ? AND is_primary = 1",
	                "sii", now, customer_id, except_id);
}

int store_contact_promote(store *db, int64_t customer_id, const char *now, kh_err *e)
{
	return stmt_run(db, e,
	                "UPDATE contacts SET is_primary = 1, version = version + 1, updated_at = ? "
	                "WHERE id = (SELECT MIN(id) FROM contacts WHERE customer_id = ? AND "
	                "deleted_at IS NULL) AND NOT EXISTS (SELECT 1 FROM contacts WHERE "
	                "customer_id = ? AND is_primary = 1 AND deleted_at IS NULL)",
	                "sii", now, customer_id, customer_id);
}

int store_customers_set_department(store *db, int64_t owner_id, int64_t dept_id, const char *now,
                                   int64_t *moved, kh_err *e)
{
	const char *sql = "UPDATE customers SET department_id = ?, version = version + 1, "
	                  "updated_at = ? WHERE owner_id = ?";
	int rc = dept_id ? stmt_run(db, e, sql, "isi", dept_id, now, owner_id)
	                 : stmt_run(db, e, sql, "nsi", now, owner_id);
	*moved = rc == 0 ? db->ops->changes(db) : 0;
	return rc;
}

int store_user_department(store *db, int64_t user_id, int64_t *dept, kh_err *e)
{
	*dept = 0;
	return stmt_query_int(db, e, dept, "SELECT department_id FROM users WHERE id = ?", "i",
	                      user_id) < 0
	               ? -1
	               : 0;
}

int store_count_admins(store *db, int64_t except_id, int64_t *n, kh_err *e)
{
	char sql[160];
	snprintf(sql, sizeof(sql),
	         "SELECT id FROM users WHERE role = 'admin' AND disabled = 0 AND id <> ? "
	         "AND deleted_at IS NULL%s",
	         db->ops->row_locks ? " FOR UPDATE" : "");
	store_stmt *st = stmt_prepare(db, sql, e);
	if (!st)
		return -1;
	stmt_bind_int(st, 1, except_id);
	int rc;
	*n = 0;
	while ((rc = stmt_step(st, e)) == STMT_ROW)
		(*n)++;
	stmt_done(st);
	return rc < 0 ? -1 : 0;
}

/* the smaller/larger of a and b, NULL only when both are (both engines) */
#define LEAST(a, b)                                                                                \
	"CASE WHEN " b " IS NULL OR " a " < " b " THEN COALESCE(" a ", " b ") ELSE " b " END"
#define GREATEST(a, b)                                                                             \
	"CASE WHEN " b " IS NULL OR " a " > " b " THEN COALESCE(" a ", " b ") ELSE " b " END"
#define LIVE_ORDERS "FROM orders o WHERE o.customer_id = customers.id AND o.deleted_at IS NULL"
/* the latest live follow-up or visit: a visit is a contact with the customer too */
#define LAST_CONTACT                                                                               \
	GREATEST("(SELECT MAX(f.date) FROM followups f WHERE f.customer_id = customers.id AND "    \
	         "f.deleted_at IS NULL)",                                                          \
	         "(SELECT MAX(v.date) FROM visits v WHERE v.customer_id = customers.id AND "       \
	         "v.deleted_at IS NULL)")

int store_customer_recompute(store *db, int64_t id, kh_err *e)
{
	return stmt_run(
	        db, e,
	        "UPDATE customers SET "
	        "deal_count = opening_deal_count + (SELECT COUNT(*) " LIVE_ORDERS "), "
	        "deal_amount = opening_deal_amount + (SELECT COALESCE(SUM(o.amount), "
	        "0) " LIVE_ORDERS "), "
	        "first_deal_date = " LEAST("opening_first_deal_date",
	                                   "(SELECT MIN(o.date) " LIVE_ORDERS
	                                   ")") ", "
	                                        "last_deal_date = " GREATEST(
	                                                "opening_last_deal_date",
	                                                "(SELECT MAX(o.date) " LIVE_ORDERS
	                                                ")") ", "
	                                                     "last_followup_date = " GREATEST(
	                                                             "opening_last_followup_date",
	                                                             LAST_CONTACT) " WHERE id = ?",
	        "i", id);
}

int store_sales_add(store *db, int64_t customer_id, const char *product, const char *month,
                    int64_t orders, int64_t amount, int64_t cost, kh_err *e)
{
	return stmt_run(db, e,
	                "INSERT INTO sales_cpm (customer_id, product, month, orders, amount, cost) "
	                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (customer_id, product, month) DO "
	                "UPDATE SET orders = sales_cpm.orders + excluded.orders, amount = "
	                "sales_cpm.amount + excluded.amount, cost = sales_cpm.cost + excluded.cost",
	                "issiii", customer_id, product ? product : "", month, orders, amount, cost);
}

/* the sums of live orders, of every customer or (? <> 0) of one */
static int sales_insert(store *db, int64_t customer_id, kh_err *e)
{
	return stmt_run(db, e,
	                "INSERT INTO sales_cpm (customer_id, product, month, orders, amount, cost) "
	                "SELECT customer_id, COALESCE(product, ''), SUBSTR(date, 1, 7), COUNT(*), "
	                "SUM(amount), SUM(COALESCE(cost, 0)) FROM orders WHERE deleted_at IS NULL "
	                "AND (? = 0 OR customer_id = ?) "
	                "GROUP BY customer_id, COALESCE(product, ''), SUBSTR(date, 1, 7)",
	                "ii", customer_id, customer_id);
}

int store_sales_rebuild(store *db, kh_err *e)
{
	if (stmt_run(db, e, "DELETE FROM sales_cpm", "") < 0)
		return -1;
	return sales_insert(db, 0, e);
}

int store_sales_rebuild_customer(store *db, int64_t customer_id, kh_err *e)
{
	if (stmt_run(db, e, "DELETE FROM sales_cpm WHERE customer_id = ?", "i", customer_id) < 0)
		return -1;
	return sales_insert(db, customer_id, e);
}

int store_latest_record(store *db, const kh_entity *ent, int64_t customer_id, arena *a,
                        kh_record *out, bool *found, kh_err *e)
{
	int64_t id = 0;
	*found = false;
	char sql[200];
	/* the table name comes from the entity table, never from input */
	snprintf(sql, sizeof(sql),
	         "SELECT id FROM %s WHERE customer_id = ? AND deleted_at IS NULL "
	         "ORDER BY date DESC, id DESC LIMIT 1",
	         ent->table);
	int rc = stmt_query_int(db, e, &id, sql, "i", customer_id);
	if (rc <= 0)
		return rc;
	*found = true;
	return store_record_get(db, ent, id, false, a, out, e);
}

int store_latest_followup(store *db, const kh_entity *ent, int64_t customer_id, arena *a,
                          kh_record *out, bool *found, kh_err *e)
{
	return store_latest_record(db, ent, customer_id, a, out, found, e);
}

int store_customer_set_relationship(store *db, int64_t id, const char *advice, kh_err *e)
{
	return stmt_run(db, e, "UPDATE customers SET relationship = ? WHERE id = ?", "si", advice,
	                id);
}

int store_customer_set_stage(store *db, int64_t id, const char *stage, kh_err *e)
{
	return stmt_run(db, e, "UPDATE customers SET stage = ? WHERE id = ?", "si", stage, id);
}

int store_customer_set_next(store *db, int64_t id, const char *step, const char *due, kh_err *e)
{
	return stmt_run(db, e, "UPDATE customers SET next_step = ?, next_step_due = ? WHERE id = ?",
	                "ssi", step, due, id);
}

int store_customer_match(store *db, const char *key, const char *value, int64_t *id, kh_err *e)
{
	/* the SQL comes from this table only; the value is bound */
	static const struct {
		const char *key, *sql;
	} keys[] = {
	        {"code", "SELECT id FROM customers WHERE code = ? AND deleted_at IS NULL "
	                 "ORDER BY id LIMIT 1"},
	        {"credit_code", "SELECT id FROM customers WHERE credit_code = ? AND "
	                        "deleted_at IS NULL ORDER BY id LIMIT 1"},
	        {"name", "SELECT id FROM customers WHERE name = ? AND deleted_at IS NULL "
	                 "ORDER BY id LIMIT 1"},
	        {"phone", "SELECT c.id FROM contacts k JOIN customers c ON c.id = k.customer_id "
	                  "WHERE k.phone = ? AND k.is_primary = 1 AND k.deleted_at IS NULL AND "
	                  "c.deleted_at IS NULL ORDER BY c.id LIMIT 1"},
	};
	*id = 0;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(keys[i].key, key) != 0)
			continue;
		int rc = stmt_query_int(db, e, id, keys[i].sql, "s", value);
		if (rc == 0)
			*id = 0;
		return rc < 0 ? -1 : 0;
	}
	return err_set(e, KH_EINTERNAL, NULL);
}
