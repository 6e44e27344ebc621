/*
 * schema — the versioned migrations, written once for both engines.
 *
 * DDL uses types both understand (TEXT, BIGINT) and {{PK}} for the
 * auto-numbered primary key (SQLite: INTEGER PRIMARY KEY, the rowid;
 * PostgreSQL: an identity column). Engine-only objects (the SQLite FTS5
 * table, PostgreSQL's search index) come from the engine's schema_fixups
 * hook for the same version. Dates and times are ISO text, booleans 0/1,
 * money BIGINT fen. A migration never changes once released: add a new one.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/log.h"

#define SYSTEM_COLUMNS                                                                             \
	"id {{PK}}, version BIGINT NOT NULL DEFAULT 1, created_at TEXT NOT NULL, "                 \
	"updated_at TEXT NOT NULL, created_by BIGINT, deleted_at TEXT, "

static const char *const migrations[] = {
        /* 1: the foundation */
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO settings (key, value) VALUES ('cache_gen', '1');"

        "CREATE TABLE departments (" SYSTEM_COLUMNS
        "name TEXT NOT NULL, parent_id BIGINT REFERENCES departments(id), code_prefix TEXT, "
        "manager_id BIGINT, sort_order BIGINT NOT NULL DEFAULT 0);"

        "CREATE TABLE users (" SYSTEM_COLUMNS
        "username TEXT NOT NULL, display_name TEXT NOT NULL, role TEXT NOT NULL, "
        "department_id BIGINT REFERENCES departments(id), supervisor_id BIGINT REFERENCES "
        "users(id), "
        "scope TEXT, disabled BIGINT NOT NULL DEFAULT 0, email TEXT, phone TEXT, locale TEXT, "
        "max_customers BIGINT, password_hash TEXT);"
        "CREATE UNIQUE INDEX users_username ON users (username);"
        "CREATE INDEX users_supervisor ON users (supervisor_id);"
        "CREATE INDEX users_department ON users (department_id);"

        "CREATE TABLE roles (code TEXT PRIMARY KEY, perms BIGINT NOT NULL, scope BIGINT NOT NULL, "
        "version BIGINT NOT NULL DEFAULT 1);"

        "CREATE TABLE dict_options (" SYSTEM_COLUMNS
        "kind TEXT NOT NULL, code TEXT NOT NULL, label_zh TEXT NOT NULL, label_en TEXT NOT NULL, "
        "sort_order BIGINT NOT NULL DEFAULT 0, retired BIGINT NOT NULL DEFAULT 0);"
        "CREATE UNIQUE INDEX dict_options_kind_code ON dict_options (kind, code);"

        "CREATE TABLE custom_fields (" SYSTEM_COLUMNS
        "entity TEXT NOT NULL, key TEXT NOT NULL, label_zh TEXT NOT NULL, label_en TEXT NOT NULL, "
        "type TEXT NOT NULL, required BIGINT NOT NULL DEFAULT 0, sort_order BIGINT NOT NULL "
        "DEFAULT 0, retired BIGINT NOT NULL DEFAULT 0);"
        "CREATE UNIQUE INDEX custom_fields_key ON custom_fields (entity, key);"

        "CREATE TABLE customers (" SYSTEM_COLUMNS
        "code TEXT NOT NULL, name TEXT NOT NULL, kind TEXT, industry TEXT, region TEXT, "
        "province TEXT, city TEXT, district TEXT, street TEXT, source TEXT NOT NULL, "
        "status TEXT NOT NULL, stage TEXT, abc_class TEXT, grade TEXT, "
        "level_pinned BIGINT NOT NULL DEFAULT 0, tags TEXT, "
        "owner_id BIGINT REFERENCES users(id), department_id BIGINT REFERENCES departments(id), "
        "first_contact_date TEXT, first_deal_date TEXT, last_deal_date TEXT, "
        "last_followup_date TEXT, deal_count BIGINT NOT NULL DEFAULT 0, "
        "deal_amount BIGINT NOT NULL DEFAULT 0, contract_amount BIGINT, purchase_estimate BIGINT, "
        "sales_target BIGINT, products TEXT, requirement TEXT, next_step TEXT, next_step_due TEXT, "
        "distance_km BIGINT, no_visit_times TEXT, remarks TEXT, credit_code TEXT, gender TEXT, "
        "birth_date TEXT, income_band TEXT, need_type TEXT, channel TEXT, urban_rural TEXT, "
        "compass TEXT, payment_attitude TEXT, funding_status TEXT, business_status TEXT, "
        "personal_profile TEXT, custom TEXT, archived BIGINT NOT NULL DEFAULT 0, archived_at TEXT, "
        "in_pool BIGINT NOT NULL DEFAULT 0, pool_since TEXT, locked BIGINT NOT NULL DEFAULT 0, "
        "previous_owner_id BIGINT REFERENCES users(id));"
        "CREATE UNIQUE INDEX customers_code ON customers (code);"
        "CREATE UNIQUE INDEX customers_credit_code ON customers (credit_code) "
        "WHERE credit_code IS NOT NULL AND deleted_at IS NULL;"
        "CREATE INDEX customers_owner ON customers (owner_id{{NF}}, id);"
        "CREATE INDEX customers_department ON customers (department_id, id);"
        "CREATE INDEX customers_name ON customers (name, id);"
        "CREATE INDEX customers_status ON customers (status, id);"
        "CREATE INDEX customers_industry ON customers (industry, id);"
        "CREATE INDEX customers_source ON customers (source, id);"
        "CREATE INDEX customers_region ON customers (region, id);"
        "CREATE INDEX customers_stage ON customers (stage, id);"
        "CREATE INDEX customers_updated ON customers (updated_at, id);"
        "CREATE INDEX customers_first_contact ON customers (first_contact_date{{NF}}, id);"
        "CREATE INDEX customers_last_followup ON customers (last_followup_date{{NF}}, id);"
        "CREATE INDEX customers_last_deal ON customers (last_deal_date{{NF}}, id);"
        "CREATE INDEX customers_deal_amount ON customers (deal_amount, id);"
        "CREATE INDEX customers_next_step_due ON customers (next_step_due{{NF}}, id);"

        "CREATE TABLE customer_tags (customer_id BIGINT NOT NULL REFERENCES customers(id), "
        "tag TEXT NOT NULL, PRIMARY KEY (tag, customer_id));"
        "CREATE INDEX customer_tags_customer ON customer_tags (customer_id);"

        "CREATE TABLE contacts (" SYSTEM_COLUMNS
        "customer_id BIGINT NOT NULL REFERENCES customers(id), name TEXT NOT NULL, position TEXT, "
        "phone TEXT NOT NULL, email TEXT, wechat TEXT, is_primary BIGINT NOT NULL DEFAULT 0, "
        "remarks TEXT);"
        "CREATE INDEX contacts_customer ON contacts (customer_id, id);"
        "CREATE INDEX contacts_phone ON contacts (phone);"
        "CREATE UNIQUE INDEX contacts_one_primary ON contacts (customer_id) "
        "WHERE is_primary = 1 AND deleted_at IS NULL;"

        "CREATE TABLE code_sequences (prefix TEXT NOT NULL, year BIGINT NOT NULL, "
        "last BIGINT NOT NULL, PRIMARY KEY (prefix, year));"

        "CREATE TABLE sessions (digest TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES "
        "users(id), csrf TEXT NOT NULL, created BIGINT NOT NULL, expires BIGINT NOT NULL, "
        "last_seen BIGINT NOT NULL, ip TEXT);"
        "CREATE INDEX sessions_user ON sessions (user_id);"
        "CREATE INDEX sessions_expires ON sessions (expires);"

        "CREATE TABLE api_tokens (id {{PK}}, digest TEXT NOT NULL, user_id BIGINT NOT NULL "
        "REFERENCES users(id), name TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT, "
        "last_used_at TEXT, revoked_at TEXT);"
        "CREATE UNIQUE INDEX api_tokens_digest ON api_tokens (digest);"

        "CREATE TABLE login_failures (id {{PK}}, username TEXT NOT NULL, ip TEXT, "
        "at BIGINT NOT NULL);"
        "CREATE INDEX login_failures_user ON login_failures (username, at);"
        "CREATE INDEX login_failures_ip ON login_failures (ip, at);"

        "CREATE TABLE audit_log (id {{PK}}, at TEXT NOT NULL, user_id BIGINT, username TEXT, "
        "origin TEXT, action TEXT NOT NULL, entity TEXT, entity_id BIGINT, changes TEXT);"
        "CREATE INDEX audit_entity ON audit_log (entity, entity_id, id);"
        "CREATE INDEX audit_user ON audit_log (user_id, id);"
        "CREATE INDEX audit_at ON audit_log (at);",

        /* 2: every sortable customer column has an index (a sort without one reads the
         * whole table: seconds at a million rows); the version of the settings set */
        "CREATE INDEX customers_created ON customers (created_at, id);"
        "CREATE INDEX customers_kind ON customers (kind, id);"
        "CREATE INDEX customers_province ON customers (province{{NF}}, id);"
        "CREATE INDEX customers_city ON customers (city{{NF}}, id);"
        "CREATE INDEX customers_abc ON customers (abc_class{{NF}}, id);"
        "CREATE INDEX customers_grade ON customers (grade{{NF}}, id);"
        "CREATE INDEX customers_first_deal ON customers (first_deal_date{{NF}}, id);"
        "CREATE INDEX customers_deal_count ON customers (deal_count, id);"
        "CREATE INDEX customers_contract_amount ON customers (contract_amount{{NF}}, id);"
        "CREATE INDEX contacts_name ON contacts (name, id);"
        "CREATE INDEX contacts_created ON contacts (created_at, id);"
        "CREATE INDEX contacts_updated ON contacts (updated_at, id);"
        /* nullable sort keys need NULLS FIRST spelled out in the index on PostgreSQL */
        "DROP INDEX customers_industry;"
        "CREATE INDEX customers_industry ON customers (industry{{NF}}, id);"
        "DROP INDEX customers_region;"
        "CREATE INDEX customers_region ON customers (region{{NF}}, id);"
        "DROP INDEX customers_stage;"
        "CREATE INDEX customers_stage ON customers (stage{{NF}}, id);"
        "INSERT INTO settings (key, value) VALUES ('settings_version', '1') "
        "ON CONFLICT (key) DO NOTHING;",

        /* 3: follow-ups and orders; the customer's totals become opening balances
         * (no order existed before), to which the records are added from now on; the
         * per customer, product and month sums the reports read */
        "ALTER TABLE customers ADD COLUMN opening_deal_count BIGINT NOT NULL DEFAULT 0;"
        "ALTER TABLE customers ADD COLUMN opening_deal_amount BIGINT NOT NULL DEFAULT 0;"
        "ALTER TABLE customers ADD COLUMN opening_first_deal_date TEXT;"
        "ALTER TABLE customers ADD COLUMN opening_last_deal_date TEXT;"
        "ALTER TABLE customers ADD COLUMN opening_last_followup_date TEXT;"
        "UPDATE customers SET opening_deal_count = deal_count, opening_deal_amount = deal_amount, "
        "opening_first_deal_date = first_deal_date, opening_last_deal_date = last_deal_date, "
        "opening_last_followup_date = last_followup_date;"
        "CREATE TABLE followups (" SYSTEM_COLUMNS
        "customer_id BIGINT NOT NULL REFERENCES customers(id), contact_id BIGINT REFERENCES "
        "contacts(id), date TEXT NOT NULL, method TEXT, content TEXT NOT NULL, result TEXT, "
        "next_step TEXT, next_step_due TEXT, participants TEXT, owner_id BIGINT REFERENCES "
        "users(id));"
        "CREATE INDEX followups_customer ON followups (customer_id, date, id);"
        "CREATE INDEX followups_date ON followups (date, id);"
        "CREATE INDEX followups_owner ON followups (owner_id, id);"
        "CREATE INDEX followups_created ON followups (created_at, id);"
        "CREATE INDEX followups_updated ON followups (updated_at, id);"
        "CREATE TABLE orders (" SYSTEM_COLUMNS
        "customer_id BIGINT NOT NULL REFERENCES customers(id), date TEXT NOT NULL, product TEXT, "
        "quantity BIGINT, amount BIGINT NOT NULL, cost BIGINT, paid_on_time BIGINT NOT NULL "
        "DEFAULT 0, completed BIGINT NOT NULL DEFAULT 0, remarks TEXT, owner_id BIGINT "
        "REFERENCES users(id));"
        "CREATE INDEX orders_customer ON orders (customer_id, date, id);"
        "CREATE INDEX orders_date ON orders (date, id);"
        "CREATE INDEX orders_amount ON orders (amount, id);"
        "CREATE INDEX orders_owner ON orders (owner_id, id);"
        "CREATE INDEX orders_created ON orders (created_at, id);"
        "CREATE INDEX orders_updated ON orders (updated_at, id);"
        "CREATE TABLE sales_cpm (customer_id BIGINT NOT NULL REFERENCES customers(id), "
        "product TEXT NOT NULL, month TEXT NOT NULL, orders BIGINT NOT NULL, "
        "amount BIGINT NOT NULL, cost BIGINT NOT NULL, PRIMARY KEY (customer_id, product, month));"
        "CREATE INDEX sales_cpm_month ON sales_cpm (month, product);",

        /* 4: opportunities and service tickets; when each entered each of its
         * states (the funnel and the handling times are read from here) */
        "CREATE TABLE opportunities (" SYSTEM_COLUMNS
        "customer_id BIGINT NOT NULL REFERENCES customers(id), code TEXT NOT NULL UNIQUE, "
        "name TEXT NOT NULL, stage TEXT NOT NULL, expected_amount BIGINT, expected_close_date "
        "TEXT, probability BIGINT, product TEXT, contact_id BIGINT REFERENCES contacts(id), "
        "lost_reason TEXT, lost_note TEXT, closed_date TEXT, order_id BIGINT REFERENCES "
        "orders(id), remarks TEXT, owner_id BIGINT REFERENCES users(id));"
        "CREATE INDEX opportunities_customer ON opportunities (customer_id, id);"
        "CREATE INDEX opportunities_stage ON opportunities (stage, id);"
        "CREATE INDEX opportunities_owner ON opportunities (owner_id, id);"
        "CREATE INDEX opportunities_amount ON opportunities (expected_amount{{NF}}, id);"
        "CREATE INDEX opportunities_close ON opportunities (expected_close_date{{NF}}, id);"
        "CREATE INDEX opportunities_closed ON opportunities (closed_date{{NF}}, id);"
        "CREATE INDEX opportunities_created ON opportunities (created_at, id);"
        "CREATE INDEX opportunities_updated ON opportunities (updated_at, id);"
        "CREATE TABLE tickets (" SYSTEM_COLUMNS
        "customer_id BIGINT NOT NULL REFERENCES customers(id), contact_id BIGINT REFERENCES "
        "contacts(id), type TEXT, is_complaint BIGINT NOT NULL DEFAULT 0, content TEXT NOT NULL, "
        "status TEXT NOT NULL, handler_id BIGINT REFERENCES users(id), opened_at TEXT NOT NULL, "
        "started_at TEXT, resolved_at TEXT, resolution TEXT, satisfaction BIGINT, suggestion "
        "TEXT);"
        "CREATE INDEX tickets_customer ON tickets (customer_id, opened_at, id);"
        "CREATE INDEX tickets_status ON tickets (status, id);"
        "CREATE INDEX tickets_handler ON tickets (handler_id, id);"
        "CREATE INDEX tickets_opened ON tickets (opened_at, id);"
        "CREATE INDEX tickets_resolved ON tickets (resolved_at{{NF}}, id);"
        "CREATE INDEX tickets_created ON tickets (created_at, id);"
        "CREATE INDEX tickets_updated ON tickets (updated_at, id);"
        "CREATE TABLE state_history (id {{PK}}, entity TEXT NOT NULL, record_id BIGINT NOT NULL, "
        "state TEXT NOT NULL, at TEXT NOT NULL, user_id BIGINT REFERENCES users(id));"
        "CREATE INDEX state_history_record ON state_history (entity, record_id, id);"
        "CREATE INDEX state_history_at ON state_history (entity, at);",

        /* 5: the customer pool's history: who claimed, released, was assigned or lost
         * (returned) a customer, from and to whom; claims per user and day are counted
         * from it, and the return rule reads the day an owner took a customer over */
        "CREATE TABLE pool_events (" SYSTEM_COLUMNS
        "customer_id BIGINT NOT NULL REFERENCES customers(id), action TEXT NOT NULL, "
        "from_owner_id BIGINT REFERENCES users(id), to_owner_id BIGINT REFERENCES users(id), "
        "reason TEXT);"
        "CREATE INDEX pool_events_customer ON pool_events (customer_id, id);"
        "CREATE INDEX pool_events_actor ON pool_events (created_by, action, created_at);"
        "CREATE INDEX pool_events_created ON pool_events (created_at, id);"
        "CREATE INDEX pool_events_updated ON pool_events (updated_at, id);"
        "CREATE INDEX customers_pool ON customers (in_pool, id);",
        /* 6: visits (DESIGN 1.7): plans, the visits made with their expenses by item
         * (fen), and the salesperson's signed-off note of a day's visits */
        "CREATE TABLE visit_plans (" SYSTEM_COLUMNS
        "customer_id BIGINT NOT NULL REFERENCES customers(id), contact_id BIGINT REFERENCES "
        "contacts(id), date TEXT NOT NULL, time TEXT, purpose TEXT, place TEXT, area TEXT, "
        "remarks TEXT, status TEXT NOT NULL DEFAULT 'planned', owner_id BIGINT REFERENCES "
        "users(id));"
        "CREATE INDEX visit_plans_customer ON visit_plans (customer_id, date, id);"
        "CREATE INDEX visit_plans_date ON visit_plans (date, id);"
        "CREATE INDEX visit_plans_owner ON visit_plans (owner_id, date, id);"
        "CREATE INDEX visit_plans_created ON visit_plans (created_at, id);"
        "CREATE INDEX visit_plans_updated ON visit_plans (updated_at, id);"
        "CREATE TABLE visits (" SYSTEM_COLUMNS
        "customer_id BIGINT NOT NULL REFERENCES customers(id), contact_id BIGINT REFERENCES "
        "contacts(id), plan_id BIGINT REFERENCES visit_plans(id), date TEXT NOT NULL, "
        "purpose TEXT, outcome TEXT, summary TEXT NOT NULL, attendees TEXT, issues_solved TEXT, "
        "to_watch TEXT, rating_growth BIGINT, rating_credit BIGINT, rating_profit BIGINT, "
        "rating_position BIGINT, evaluation TEXT, expense_total BIGINT NOT NULL DEFAULT 0, "
        "owner_id BIGINT REFERENCES users(id));"
        "CREATE INDEX visits_customer ON visits (customer_id, date, id);"
        "CREATE INDEX visits_date ON visits (date, id);"
        "CREATE INDEX visits_owner ON visits (owner_id, date, id);"
        "CREATE INDEX visits_plan ON visits (plan_id);"
        "CREATE INDEX visits_expense ON visits (expense_total, id);"
        "CREATE INDEX visits_created ON visits (created_at, id);"
        "CREATE INDEX visits_updated ON visits (updated_at, id);"
        "CREATE TABLE visit_expenses (" SYSTEM_COLUMNS
        "visit_id BIGINT NOT NULL REFERENCES visits(id), item TEXT NOT NULL, "
        "amount BIGINT NOT NULL, note TEXT);"
        "CREATE INDEX visit_expenses_visit ON visit_expenses (visit_id, id);"
        "CREATE TABLE visit_days (" SYSTEM_COLUMNS
        "owner_id BIGINT NOT NULL REFERENCES users(id), date TEXT NOT NULL, summary TEXT, "
        "issues_handled TEXT, issues_open TEXT, submitted_at TEXT NOT NULL);"
        "CREATE UNIQUE INDEX visit_days_owner_date ON visit_days (owner_id, date);",
        /* 7: requests with approval (entertainment, its report, gifts): the request, its
         * expense items, the approval steps copied from the chain when it was submitted
         * and one decision per step at most (the unique index is what makes two approvers
         * acting at once end with one decision) */
        "CREATE TABLE requests (" SYSTEM_COLUMNS
        "type TEXT NOT NULL, customer_id BIGINT NOT NULL REFERENCES customers(id), "
        "applicant_id BIGINT NOT NULL REFERENCES users(id), department_id BIGINT REFERENCES "
        "departments(id), purpose TEXT, date TEXT, place TEXT, attendees_ours TEXT, "
        "attendees_theirs TEXT, arranger TEXT, gift_name TEXT, quantity BIGINT, unit_value BIGINT, "
        "recipient TEXT, report_of BIGINT REFERENCES requests(id), effect TEXT, info_wanted TEXT, "
        "future_use TEXT, remarks TEXT, status TEXT NOT NULL, current_step BIGINT NOT NULL "
        "DEFAULT 0, submitted_at TEXT, decided_at TEXT, budget_total BIGINT NOT NULL DEFAULT 0, "
        "actual_total BIGINT);"
        "CREATE INDEX requests_applicant ON requests (applicant_id, id);"
        "CREATE INDEX requests_customer ON requests (customer_id, id);"
        "CREATE INDEX requests_status ON requests (status, id);"
        "CREATE INDEX requests_date ON requests (date{{NF}}, id);"
        "CREATE INDEX requests_report_of ON requests (report_of);"
        "CREATE INDEX requests_submitted ON requests (submitted_at{{NF}}, id);"
        "CREATE INDEX requests_budget ON requests (budget_total, id);"
        "CREATE INDEX requests_updated ON requests (updated_at, id);"
        "CREATE TABLE request_items (" SYSTEM_COLUMNS
        "request_id BIGINT NOT NULL REFERENCES requests(id), item TEXT NOT NULL, budget BIGINT, "
        "actual BIGINT, note TEXT);"
        "CREATE INDEX request_items_request ON request_items (request_id, id);"
        "CREATE TABLE request_steps (" SYSTEM_COLUMNS
        "request_id BIGINT NOT NULL REFERENCES requests(id), step BIGINT NOT NULL, "
        "kind TEXT NOT NULL, role TEXT, user_id BIGINT REFERENCES users(id), "
        "department_id BIGINT REFERENCES departments(id));"
        "CREATE UNIQUE INDEX request_steps_step ON request_steps (request_id, step);"
        "CREATE INDEX request_steps_user ON request_steps (user_id);"
        "CREATE INDEX request_steps_role ON request_steps (role, request_id);"
        "CREATE TABLE request_decisions (" SYSTEM_COLUMNS
        "request_id BIGINT NOT NULL REFERENCES requests(id), step BIGINT NOT NULL, "
        "approver_id BIGINT NOT NULL REFERENCES users(id), decision TEXT NOT NULL, comment TEXT);"
        "CREATE UNIQUE INDEX request_decisions_step ON request_decisions (request_id, step);"
        "CREATE INDEX request_decisions_approver ON request_decisions (approver_id, request_id);",
        /* 8: relationship evaluations on admin-defined indicators (each score keeps
         * the indicator's weight and full score as they were), the countermeasure
         * tables of important and problem customers, and the customer's latest
         * recommendation */
        "CREATE TABLE evaluation_indicators (" SYSTEM_COLUMNS
        "name TEXT NOT NULL, name_en TEXT, description TEXT, weight BIGINT NOT NULL, "
        "max_score BIGINT NOT NULL, sort_order BIGINT NOT NULL DEFAULT 0, "
        "retired BIGINT NOT NULL DEFAULT 0);"
        "CREATE UNIQUE INDEX evaluation_indicators_name ON evaluation_indicators (name);"
        "CREATE INDEX evaluation_indicators_sort ON evaluation_indicators (sort_order, id);"
        "CREATE TABLE evaluations (" SYSTEM_COLUMNS
        "customer_id BIGINT NOT NULL REFERENCES customers(id), date TEXT NOT NULL, "
        "evaluator_id BIGINT REFERENCES users(id), total BIGINT NOT NULL, grade TEXT NOT NULL, "
        "recommendation TEXT NOT NULL, score_summary TEXT, remarks TEXT);"
        "CREATE INDEX evaluations_customer ON evaluations (customer_id, date, id);"
        "CREATE INDEX evaluations_date ON evaluations (date, id);"
        "CREATE INDEX evaluations_total ON evaluations (total, id);"
        "CREATE INDEX evaluations_evaluator ON evaluations (evaluator_id, id);"
        "CREATE INDEX evaluations_created ON evaluations (created_at, id);"
        "CREATE INDEX evaluations_updated ON evaluations (updated_at, id);"
        "CREATE TABLE evaluation_scores (" SYSTEM_COLUMNS
        "evaluation_id BIGINT NOT NULL REFERENCES evaluations(id), indicator_id BIGINT NOT NULL "
        "REFERENCES evaluation_indicators(id), indicator TEXT NOT NULL, weight BIGINT NOT NULL, "
        "max_score BIGINT NOT NULL, score BIGINT NOT NULL, grade TEXT, basis TEXT);"
        "CREATE UNIQUE INDEX evaluation_scores_one ON evaluation_scores "
        "(evaluation_id, indicator_id);"
        "CREATE TABLE countermeasures (" SYSTEM_COLUMNS
        "customer_id BIGINT NOT NULL REFERENCES customers(id), kind TEXT NOT NULL, "
        "date TEXT NOT NULL, owner_id BIGINT REFERENCES users(id), sales TEXT, sales_scope TEXT, "
        "location TEXT, trend TEXT, problem TEXT NOT NULL, strategy TEXT NOT NULL, "
        "responsible_id BIGINT REFERENCES users(id), due_date TEXT, status TEXT, remarks TEXT);"
        "CREATE INDEX countermeasures_customer ON countermeasures (customer_id, date, id);"
        "CREATE INDEX countermeasures_date ON countermeasures (date, id);"
        "CREATE INDEX countermeasures_due ON countermeasures (due_date{{NF}}, id);"
        "CREATE INDEX countermeasures_kind ON countermeasures (kind, status, id);"
        "CREATE INDEX countermeasures_owner ON countermeasures (owner_id, id);"
        "CREATE INDEX countermeasures_created ON countermeasures (created_at, id);"
        "CREATE INDEX countermeasures_updated ON countermeasures (updated_at, id);"
        "ALTER TABLE customers ADD COLUMN relationship TEXT;"
        "CREATE INDEX customers_relationship ON customers (relationship{{NF}}, id);",
        /* 9: duplicates (DESIGN 3): each customer's name key (filled by svc_migrate for
         * existing rows, kept by store_customer_sync), the customer a merged one went
         * into, and every merge with what it moved, so that it can be undone */
        "ALTER TABLE customers ADD COLUMN name_key TEXT;"
        "ALTER TABLE customers ADD COLUMN merged_into BIGINT REFERENCES customers(id);"
        "CREATE INDEX customers_name_key ON customers (name_key, id) WHERE deleted_at IS NULL;"
        "CREATE INDEX contacts_phone_customer ON contacts (phone, customer_id) "
        "WHERE deleted_at IS NULL;"
        "CREATE TABLE customer_merges (" SYSTEM_COLUMNS
        "into_id BIGINT NOT NULL REFERENCES customers(id), from_ids TEXT NOT NULL, "
        "moved TEXT NOT NULL, before_state TEXT NOT NULL, after_state TEXT NOT NULL, "
        "undone_at TEXT, undone_by BIGINT REFERENCES users(id));"
        "CREATE INDEX customer_merges_into ON customer_merges (into_id, id);",
        /* 10: imports: each real run a batch (who, when, which file, what it did), the
         * customers it created or updated with their previous values (to undo it),
         * and column mappings saved by name */
        "CREATE TABLE import_batches (" SYSTEM_COLUMNS
        "file_name TEXT, mode TEXT NOT NULL, match_keys TEXT, rows_read BIGINT NOT NULL, "
        "created BIGINT NOT NULL, updated BIGINT NOT NULL, unchanged BIGINT NOT NULL, "
        "failed BIGINT NOT NULL, undone_at TEXT, undone_by BIGINT REFERENCES users(id));"
        "CREATE INDEX import_batches_created ON import_batches (created_at, id);"
        "CREATE TABLE import_batch_rows (" SYSTEM_COLUMNS
        "batch_id BIGINT NOT NULL REFERENCES import_batches(id), row_number BIGINT NOT NULL, "
        "customer_id BIGINT NOT NULL REFERENCES customers(id), action TEXT NOT NULL, "
        "previous TEXT, after_version BIGINT NOT NULL);"
        "CREATE INDEX import_batch_rows_batch ON import_batch_rows (batch_id, id);"
        "CREATE INDEX import_batch_rows_customer ON import_batch_rows (customer_id, id);"
        "CREATE TABLE import_mappings (" SYSTEM_COLUMNS
        "name TEXT NOT NULL, mapping TEXT NOT NULL);"
        "CREATE UNIQUE INDEX import_mappings_name ON import_mappings (name);",
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* Replace {{WORD}} by the engine's word. */
static char *expand(store *db, const char *sql)
{
	buf b;
	buf_init(&b, 0);
	const char *p = sql;
	while (*p) {
		const char *open = strstr(p, "{{");
		if (!open) {
			if (buf_adds(&b, p) < 0)
				abort();
			break;
		}
		if (buf_add(&b, p, (size_t)(open - p)) < 0)
			abort();
		const char *close = strstr(open, "}}");
		if (!close)
			abort();
		char word[32];
		snprintf(word, sizeof(word), "%.*s", (int)(close - open - 2), open + 2);
		const char *rep = db->ops->ddl_word(word);
		if (!rep)
			abort();
		if (buf_adds(&b, rep) < 0)
			abort();
		p = close + 2;
	}
	return buf_detach(&b, NULL);
}

int store_schema_version(store *db, int *version, kh_err *e)
{
	/* reads only: a reader must not need the write lock just to look */
	*version = 0;
	int64_t exists = 0;
	if (stmt_query_int(db, e, &exists, db->ops->table_exists_sql, "s", "schema_migrations") < 0)
		return -1;
	if (!exists)
		return 0;
	int64_t v = 0;
	if (stmt_query_int(db, e, &v, "SELECT MAX(version) FROM schema_migrations", "") < 0)
		return -1;
	*version = (int)v;
	return 0;
}

int store_migrate(store *db, int *applied, kh_err *e)
{
	int have;
	if (applied)
		*applied = 0;
	if (store_schema_version(db, &have, e) < 0)
		return -1;
	if (have == NMIGRATIONS)
		return 0;
	if (have > NMIGRATIONS)
		return err_set(e, KH_EDB,
		               N_("The database schema (version %d) is newer than this kehu "
		                  "(version %d); upgrade kehu"),
		               have, NMIGRATIONS);
	for (int v = have + 1; v <= NMIGRATIONS; v++) {
		if (store_begin(db, e) < 0)
			return -1;
		if (db->ops->migrate_lock && db->ops->exec(db, db->ops->migrate_lock, e) < 0)
			goto fail;
		/* under the lock: servers starting together on an empty database queue here */
		if (db->ops->exec(db,
		                  "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT "
		                  "PRIMARY KEY, applied_at TEXT NOT NULL)",
		                  e) < 0)
			goto fail;
		/* another process may have migrated while we waited for the lock */
		int now_have;
		if (store_schema_version(db, &now_have, e) < 0)
			goto fail;
		if (now_have >= v) {
			store_rollback(db);
			continue;
		}
		char *sql = expand(db, migrations[v - 1]);
		int rc = db->ops->exec(db, sql, e);
		free(sql);
		if (rc < 0 || db->ops->schema_fixups(db, v, e) < 0)
			goto fail;
		char now[TIME_LEN];
		time_now_iso(now);
		if (stmt_run(db, e,
		             "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
		             "is", (int64_t)v, now) < 0)
			goto fail;
		if (store_commit(db, e) < 0)
			return -1;
		log_info("applied migration %d", v);
		if (applied)
			(*applied)++;
	}
	return 0;
fail:
	store_rollback(db);
	return -1;
}
