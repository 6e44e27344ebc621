/*
 * baseline — the practical ceiling for kehu's list API: libmicrohttpd with
 * a thread pool, one SQLite connection per thread, jansson, no
 * authentication, no permissions, no labels. It serves
 *   GET /customers[?owner=ID]
 * with the same two queries kehu runs for a 50-row page (the page and the
 * primary contacts of its rows) from the same database, rows as JSON
 * objects of their columns. bench/run.sh runs it beside kehu.
 *
 * Written for the benchmark only; it is not part of kehu.
 */
#include <jansson.h>
#include <malloc.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *db_path;
static pthread_key_t key;

#define LIST_COLUMNS                                                                              \
	"t.id, t.version, t.updated_at, t.code, t.name, t.kind, t.industry, t.region, "          \
	"t.province, t.city, t.source, t.status, t.stage, t.abc_class, t.grade, t.tags, "        \
	"t.owner_id, t.department_id, t.first_contact_date, t.first_deal_date, "                 \
	"t.last_deal_date, t.last_followup_date, t.deal_count, t.deal_amount, "                  \
	"t.contract_amount, t.next_step, t.next_step_due, t.custom, t.archived"

typedef struct conn {
	sqlite3 *db;
	sqlite3_stmt *all, *by_owner, *primary;
} conn;

static void close_conn(void *p)
{
	conn *c = p;
	sqlite3_finalize(c->all);
	sqlite3_finalize(c->by_owner);
	sqlite3_finalize(c->primary);
	sqlite3_close(c->db);
	free(c);
}

static conn *get_conn(void)
{
	conn *c = pthread_getspecific(key);
	if (c)
		return c;
	c = calloc(1, sizeof(*c));
	if (sqlite3_open_v2(db_path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL))
		return NULL;
	sqlite3_busy_timeout(c->db, 5000);
	sqlite3_prepare_v2(c->db,
			   "SELECT " LIST_COLUMNS " FROM customers t WHERE 1 = 1 AND t.deleted_at IS "
			   "NULL AND t.archived = 0 AND t.in_pool = 0 ORDER BY t.id DESC LIMIT ?",
			   -1, &c->all, NULL);
	sqlite3_prepare_v2(c->db,
			   "SELECT " LIST_COLUMNS " FROM customers t WHERE 1 = 1 AND t.deleted_at IS "
			   "NULL AND t.archived = 0 AND t.in_pool = 0 AND t.owner_id IN (?) ORDER BY "
			   "t.id DESC LIMIT ?",
			   -1, &c->by_owner, NULL);
	char sql[2048] = "SELECT customer_id, id, name, phone FROM contacts WHERE is_primary = 1 "
			 "AND deleted_at IS NULL AND customer_id IN (?";
	for (int i = 1; i < 50; i++)
		strcat(sql, ", ?");
	strcat(sql, ")");
	sqlite3_prepare_v2(c->db, sql, -1, &c->primary, NULL);
	pthread_setspecific(key, c);
	return c;
}

static json_t *row_json(sqlite3_stmt *st)
{
	json_t *o = json_object();
	int n = sqlite3_column_count(st);
	for (int i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(st, i);
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			json_object_set_new(o, name, json_integer(sqlite3_column_int64(st, i)));
			break;
		case SQLITE_NULL:
			json_object_set_new(o, name, json_null());
			break;
		default:
			json_object_set_new(o, name,
					    json_string((const char *)sqlite3_column_text(st, i)));
		}
	}
	return o;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *mc, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **state)
{
	(void)cls;
	(void)method;
	(void)version;
	(void)upload;
	(void)upload_size;
	if (!*state) { /* queue on the second call: keeps keep-alive (see DESIGN.md) */
		*state = (void *)1;
		return MHD_YES;
	}
	conn *c = get_conn();
	if (!c || strcmp(url, "/customers") != 0)
		return MHD_NO;
	const char *owner = MHD_lookup_connection_value(mc, MHD_GET_ARGUMENT_KIND, "owner");
	sqlite3_stmt *st = owner ? c->by_owner : c->all;
	int k = 1;
	if (owner)
		sqlite3_bind_int64(st, k++, atoll(owner));
	sqlite3_bind_int(st, k, 51);
	json_t *items = json_array();
	int64_t ids[51];
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW && n < 50) {
		ids[n++] = sqlite3_column_int64(st, 0);
		json_array_append_new(items, row_json(st));
	}
	sqlite3_reset(st);
	for (int i = 0; i < 50; i++)
		sqlite3_bind_int64(c->primary, i + 1, i < n ? ids[i] : 0);
	while (sqlite3_step(c->primary) == SQLITE_ROW) {
		int64_t cid = sqlite3_column_int64(c->primary, 0);
		for (int i = 0; i < n; i++)
			if (ids[i] == cid)
				json_object_set_new(
					json_array_get(items, (size_t)i), "primary_contact",
					json_pack("{s:I, s:s, s:s}", "id",
						  (json_int_t)sqlite3_column_int64(c->primary, 1),
						  "name", sqlite3_column_text(c->primary, 2), "phone",
						  sqlite3_column_text(c->primary, 3)));
	}
	sqlite3_reset(c->primary);
	json_t *page = json_pack("{s:o, s:n}", "items", items, "next");
	char *text = json_dumps(page, JSON_COMPACT);
	json_decref(page);
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
	enum MHD_Result ret = MHD_queue_response(mc, 200, r);
	MHD_destroy_response(r);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: baseline DB PORT\n");
		return 2;
	}
	db_path = argv[1];
	/* the same malloc thresholds as kehu serve, so neither pays for the other's
	 * page faults (see tune_malloc in src/http/server.c) */
	mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
	pthread_key_create(&key, close_conn);
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, (uint16_t)atoi(argv[2]), NULL, NULL,
		handle, NULL, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)2, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)1000, MHD_OPTION_END);
	if (!d)
		return 1;
	int sig;
	sigwait(&stop, &sig);
	MHD_stop_daemon(d);
	return 0;
}
