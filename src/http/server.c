/*
 * server — libmicrohttpd wiring: one request object per request (with its
 * arena), the capped body, authentication and CSRF, dispatch through the
 * route table, and the JSON response with its security headers.
 *
 * Responses are queued on the second call of the access handler, never
 * the first: libmicrohttpd 0.9.75 closes the connection when a response is
 * queued on the first call, which costs keep-alive and ~4x throughput.
 */
#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http/http_int.h"
#include "store/store.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/utf8.h"

#define DEFAULT_BODY_LIMIT (1024 * 1024)
#define SESSION_COOKIE     "kehu_session"

static const http_config *config;
static pthread_key_t db_key;
static int background_running; /* atomic: jobs of run_in_background under way */
static int stopping;           /* atomic: set once the server is stopping */

static void close_db(void *p)
{
	store_close(p);
}

/* The calling worker thread's database connection, opened on first use. */
static store *thread_db(kh_err *e)
{
	store *db = pthread_getspecific(db_key);
	if (db) {
		store_revive(db);
		return db;
	}
	if (store_open(config->db_url, &db, e) < 0)
		return NULL;
	pthread_setspecific(db_key, db);
	return db;
}

/* True when addr is one of the comma-separated list. */
static bool listed(const char *list, const char *addr)
{
	size_t n = strlen(addr);
	for (const char *p = list; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == n && !strncmp(p, addr, n))
			return true;
		p = comma ? comma + 1 : NULL;
	}
	return false;
}

static bool is_ip(const char *s)
{
	unsigned char tmp[sizeof(struct in6_addr)];
	return inet_pton(AF_INET, s, tmp) == 1 || inet_pton(AF_INET6, s, tmp) == 1;
}

/*
 * The client's address, for the audit log and login throttling: the peer of
 * the connection, or the X-Real-IP it sends when the peer is one of the
 * configured proxies (anyone else could choose its address that way).
 */
static void client_address(req *r)
{
	const union MHD_ConnectionInfo *ci =
	        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	strcpy(r->client, "?");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		          r->client, sizeof(r->client));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		          r->client, sizeof(r->client));
	if (r->cfg->trusted_proxies && listed(r->cfg->trusted_proxies, r->client)) {
		const char *real =
		        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Real-IP");
		if (real && strlen(real) < sizeof(r->client) && is_ip(real))
			strcpy(r->client, real);
	}
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
	(void)kind;
	req *r = cls;
	if (r->nquery == MAX_QUERY_PARAMS || !utf8_valid(key, strlen(key)) ||
	    (value && !utf8_valid(value, strlen(value)))) {
		r->query_bad = true;
		return MHD_NO;
	}
	r->query[r->nquery].key = arena_strdup(&r->a, key);
	r->query[r->nquery].value = arena_strdup(&r->a, value ? value : "");
	r->nquery++;
	return MHD_YES;
}

/* ---- routing ---- */

static int split_path(const char *path, char *copy, size_t cap, const char **seg, int max)
{
	if (strlen(path) >= cap)
		return -1;
	strcpy(copy, path);
	int n = 0;
	char *p = copy;
	while (*p == '/')
		p++;
	while (*p) {
		if (n == max)
			return -1;
		seg[n++] = p;
		char *slash = strchr(p, '/');
		if (!slash)
			break;
		*slash = '\0';
		p = slash + 1;
	}
	return n;
}

/* Match path against pattern; captures {x} segments. */
static bool route_match(const char *pattern, const char *const *seg, int nseg,
                        const char **captured)
{
	char pbuf[256];
	const char *pseg[16];
	int np = split_path(pattern, pbuf, sizeof(pbuf), pseg, 16);
	if (np != nseg)
		return false;
	int c = 0;
	for (int i = 0; i < np; i++) {
		if (pseg[i][0] == '{') {
			if (c < MAX_PATH_PARAMS)
				captured[c++] = seg[i];
		} else if (strcmp(pseg[i], seg[i]) != 0) {
			return false;
		}
	}
	return true;
}

static const route *find_route(req *r)
{
	char copy[1024];
	const char *seg[16];
	int n = split_path(r->path, copy, sizeof(copy), seg, 16);
	if (n < 0)
		return NULL;
	const route *path_only = NULL;
	const char *captured[MAX_PATH_PARAMS] = {NULL};
	for (int i = 0; i < route_count; i++) {
		if (!route_match(routes[i].pattern, seg, n, captured))
			continue;
		if (strcmp(routes[i].method, r->method) == 0) {
			for (int k = 0; k < MAX_PATH_PARAMS; k++)
				r->params_path[k] = arena_strdup(&r->a, captured[k]);
			return &routes[i];
		}
		path_only = &routes[i];
	}
	if (path_only) {
		/* the path exists: say which methods it takes */
		buf allow;
		buf_init(&allow, 256);
		for (int i = 0; i < route_count; i++)
			if (route_match(routes[i].pattern, seg, n, captured) &&
			    (allow.len == 0 || !strstr(buf_str(&allow), routes[i].method)) &&
			    buf_addf(&allow, "%s%s", allow.len ? ", " : "", routes[i].method) < 0)
				break;
		r->allow = arena_strdup(&r->a, buf_str(&allow));
		buf_release(&allow);
		r->status = 405;
	}
	return NULL;
}

/* ---- authentication ---- */

static const char *cookie_value(req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

static bool state_changing(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	       strcmp(method, "OPTIONS") != 0;
}

/* Authenticate the request; false after replying 401/403. */
static bool authenticate(req *r)
{
	const char *authz = header(r, "Authorization");
	if (authz) {
		if (strncasecmp(authz, "Bearer ", 7) != 0) {
			reply_fail(r, KH_EAUTH, N_("Use Authorization: Bearer <token>"));
			return false;
		}
		if (svc_auth_token(&r->s, authz + 7) < 0) {
			reply_error(r);
			return false;
		}
		return true;
	}
	const char *token = cookie_value(r, SESSION_COOKIE);
	if (!token) {
		reply_fail(r, KH_EAUTH, N_("Please log in"));
		return false;
	}
	if (svc_auth_session(&r->s, token) < 0) {
		if (r->err.code == KH_EAUTH) {
			err_clear(&r->err);
			err_set(&r->err, KH_EAUTH,
			        N_("Your session has ended; please log in again"));
		}
		reply_error(r);
		return false;
	}
	r->cookie_auth = true;
	r->session_token = token;
	if (state_changing(r->method)) {
		/* the cookie alone proves nothing: a cross-site form would send it too */
		const char *csrf = header(r, "X-CSRF-Token");
		if (!csrf || !r->s.csrf || !crypto_streq(csrf, r->s.csrf)) {
			reply_fail(r, KH_ECSRF,
			           N_("Missing or wrong CSRF token; send the X-CSRF-Token "
			              "header the login returned"));
			return false;
		}
	}
	return true;
}

static void dispatch(req *r)
{
	if (r->too_big) {
		err_set(&r->err, KH_ETOOBIG, N_("The request body is larger than %zu bytes"),
		        r->body.cap);
		reply_error(r);
		return;
	}
	if (!utf8_valid(r->path, strlen(r->path)) || r->query_bad) {
		reply_fail(r, KH_EBADREQ,
		           N_("The address holds invalid UTF-8 or too many parameters"));
		return;
	}
	const route *rt = find_route(r);
	if (!rt) {
		if (r->status == 405) {
			reply_fail(r, KH_EMETHOD, N_("Method not allowed"));
			return;
		}
		err_set(&r->err, KH_ENOTFOUND, N_("No such API path: %s"), r->path);
		reply_error(r);
		return;
	}
	kh_err dbe;
	err_init(&dbe, &r->a, r->s.lang);
	store *db = thread_db(&dbe);
	if (!db) {
		r->err = dbe;
		r->err.code = KH_EBUSY;
		reply_error(r);
		return;
	}
	r->s.db = db;
	if (!(rt->flags & ROUTE_PUBLIC) && !authenticate(r))
		return;
	r->route = rt;
	rt->fn(r);
	if (store_in_txn(db)) {
		/* a bug: the connection serves the next request of this thread too */
		log_error("%s %s left a transaction open; rolled back", r->method, r->path);
		store_rollback(db);
	}
}

/* ---- long jobs ---- */

void run_in_background(req *r, void (*fn)(req *r))
{
	r->background = fn;
}

bool http_stopping(void)
{
	return __atomic_load_n(&stopping, __ATOMIC_ACQUIRE) != 0;
}

static void *background_main(void *arg)
{
	req *r = arg;
	store *db = NULL;
	if (store_open(config->db_url, &db, &r->err) < 0) {
		r->err.code = KH_EBUSY;
		reply_error(r);
	} else {
		r->s.db = db;
		r->background(r);
		if (store_in_txn(db)) {
			log_error("%s %s left a transaction open; rolled back", r->method, r->path);
			store_rollback(db);
		}
		store_close(db);
		r->s.db = NULL;
	}
	r->background = NULL;
	r->background_done = true;
	__atomic_sub_fetch(&background_running, 1, __ATOMIC_ACQ_REL);
	MHD_resume_connection(r->conn); /* on_request runs again and sends the reply */
	return NULL;
}

/* Start the job the handler asked for; false after replying 503 when it cannot. */
static bool start_background(req *r)
{
	if (__atomic_add_fetch(&background_running, 1, __ATOMIC_ACQ_REL) > BACKGROUND_MAX) {
		__atomic_sub_fetch(&background_running, 1, __ATOMIC_ACQ_REL);
		r->background = NULL;
		reply_fail(r, KH_EBUSY,
		           N_("Too many long jobs (exports) at once; try again shortly"));
		return false;
	}
	pthread_t t;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* suspended before the thread may resume it */
	MHD_suspend_connection(r->conn);
	int rc = pthread_create(&t, &attr, background_main, r);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		__atomic_sub_fetch(&background_running, 1, __ATOMIC_ACQ_REL);
		r->background = NULL;
		MHD_resume_connection(r->conn);
		reply_fail(r, KH_EBUSY,
		           N_("Too many long jobs (exports) at once; try again shortly"));
		return false;
	}
	return true;
}

/* ---- the response ---- */

static enum MHD_Result queue_with_headers(req *r, struct MHD_Response *resp);

static enum MHD_Result send_response(req *r)
{
	struct MHD_Response *resp = NULL;
	if (r->file_fd > 0) {
		/* takes the descriptor: closed by libmicrohttpd once sent */
		resp = MHD_create_response_from_fd64(r->file_size, r->file_fd);
		if (!resp)
			return MHD_NO;
		r->file_fd = 0;
		MHD_add_response_header(resp, "Content-Type", r->content_type);
		MHD_add_response_header(resp, "Content-Disposition", r->disposition);
		return queue_with_headers(r, resp);
	}
	char *text = r->raw;
	size_t len = r->raw_len;
	r->raw = NULL;
	if (!text && r->json) {
		text = json_dumps(r->json, JSON_COMPACT);
		len = text ? strlen(text) : 0;
		json_decref(r->json);
		r->json = NULL;
	}
	resp = text ? MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE)
	            : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(text);
		return MHD_NO;
	}
	if (text)
		MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
	return queue_with_headers(r, resp);
}

/* The headers every response has, then queue it (and drop our reference). */
static enum MHD_Result queue_with_headers(req *r, struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Content-Language", lang_tag(r->s.lang));
	if (r->etag)
		MHD_add_response_header(resp, "ETag", r->etag);
	if (r->location)
		MHD_add_response_header(resp, "Location", r->location);
	if (r->set_cookie)
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	if (r->allow)
		MHD_add_response_header(resp, "Allow", r->allow);
	if (r->status == 401)
		MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"kehu\"");
	if (r->status == 503)
		MHD_add_response_header(resp, "Retry-After", "1");
	if (r->status == 429) {
		char secs[16];
		snprintf(secs, sizeof(secs), "%d", LOGIN_WINDOW_SECONDS);
		MHD_add_response_header(resp, "Retry-After", secs);
	}
	enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void free_req(req *r)
{
	if (!r)
		return;
	svc_release(&r->s);
	if (r->file_fd > 0)
		close(r->file_fd); /* never sent */
	json_decref(r->json);
	free(r->raw);
	buf_release(&r->body);
	arena_release(&r->a);
	free(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	(void)cls;
	(void)version;
	req *r = *con_cls;
	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		arena_init(&r->a);
		r->cfg = config;
		r->conn = conn;
		r->method = arena_strdup(&r->a, method);
		r->path = arena_strdup(&r->a, url);
		size_t limit = config->body_limit ? config->body_limit : DEFAULT_BODY_LIMIT;
		if (!strcmp(method, "POST") && !strcmp(url, IMPORT_PATH) &&
		    limit < IMPORT_BODY_LIMIT)
			limit = IMPORT_BODY_LIMIT; /* a spreadsheet, not a JSON document */
		buf_init(&r->body, limit);
		kh_lang lang = lang_from_accept(
		        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Language"));
		err_init(&r->err, &r->a, lang);
		client_address(r);
		svc_init(&r->s, NULL, &r->a, &r->err, lang, arena_strdup(&r->a, r->client));
		MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, r);
		const char *cl =
		        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > r->body.cap)
			r->too_big = true; /* answer once the upload is refused, not mid-way */
		*con_cls = r;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!r->too_big && buf_add(&r->body, upload_data, *upload_data_size) < 0)
			r->too_big = true;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (!r->background_done) {
		dispatch(r);
		if (r->background && start_background(r))
			return MHD_YES; /* suspended until the job is done */
	}
	if (r->status >= 500)
		log_error("%s %s -> %d %s", r->method, r->path, r->status, err_message(&r->err));
	else
		log_debug("%s %s -> %d", r->method, r->path, r->status);
	return send_response(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	free_req(*con_cls);
	*con_cls = NULL;
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_warn("http: %s", line);
}

/* "127.0.0.1:8080", "[::1]:8080", ":8080", "8080" */
static int parse_listen(const char *spec, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[128] = "127.0.0.1";
	const char *port;
	memset(ss, 0, sizeof(*ss));
	if (spec[0] == '[') {
		const char *end = strchr(spec, ']');
		if (!end || end[1] != ':' || (size_t)(end - spec - 1) >= sizeof(host))
			return -1;
		snprintf(host, sizeof(host), "%.*s", (int)(end - spec - 1), spec + 1);
		port = end + 2;
	} else {
		const char *colon = strrchr(spec, ':');
		if (colon) {
			if ((size_t)(colon - spec) >= sizeof(host))
				return -1;
			if (colon > spec)
				snprintf(host, sizeof(host), "%.*s", (int)(colon - spec), spec);
			else
				strcpy(host, "0.0.0.0");
			port = colon + 1;
		} else {
			port = spec;
		}
	}
	char *end;
	long p = strtol(port, &end, 10);
	if (!*port || *end || p < 1 || p > 65535)
		return -1;
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)p);
		*len = sizeof(*v4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)p);
		*len = sizeof(*v6);
		return 0;
	}
	return -1;
}

/*
 * Each request allocates ~100-200 KiB (its arena, the page's JSON) and frees it
 * when the response has gone out; with many connections in flight glibc would
 * hand that memory back to the kernel (madvise, munmap) and fault it in again
 * for the next request, which under 64 connections cost more than the query.
 * Fixed thresholds keep the working set in the process: RSS stays near the peak
 * of concurrent requests (a few MiB), far under the memory target.
 */
static void tune_malloc(void)
{
	mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
}

int http_serve(const http_config *cfg, void (*on_ready)(const char *addr))
{
	config = cfg;
	tune_malloc();
	pthread_key_create(&db_key, close_db);
	struct sockaddr_storage ss;
	socklen_t sslen;
	if (parse_listen(cfg->listen, &ss, &sslen) < 0) {
		log_error("cannot listen on \"%s\": expected ADDR:PORT", cfg->listen);
		return -2;
	}
	unsigned threads = cfg->threads > 0 ? (unsigned)cfg->threads : 0;
	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 2 ? (unsigned)n : 2;
	}
	/* the workers inherit this mask; the main thread waits for the signals */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
	                 MHD_ALLOW_SUSPEND_RESUME;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	struct MHD_Daemon *d = MHD_start_daemon(
	        flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error,
	        NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
	        threads, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000, MHD_OPTION_CONNECTION_TIMEOUT,
	        (unsigned)60, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
	if (!d) {
		log_error("cannot listen on %s (in use, or not allowed)", cfg->listen);
		return -1;
	}
	log_info("listening on http://%s with %u worker threads, database %s", cfg->listen, threads,
	         strncmp(cfg->db_url, "postgres", 8) == 0 ? "postgresql" : cfg->db_url);
	if (on_ready)
		on_ready(cfg->listen);
	int sig = 0;
	sigwait(&stop, &sig);
	log_info("stopping (signal %d)", sig);
	/* background jobs end early; their connections must be resumed before the stop */
	__atomic_store_n(&stopping, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&background_running, __ATOMIC_ACQUIRE) > 0)
		usleep(10 * 1000);
	MHD_stop_daemon(d);
	return 0;
}
