/*
 * http — the HTTP JSON API under /api/v1, served by libmicrohttpd with a
 * thread pool; each worker thread has its own database connection.
 */
#ifndef KEHU_HTTP_HTTP_H
#define KEHU_HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct http_config {
	const char *db_url;          /* what each worker opens */
	const char *listen;          /* "127.0.0.1:8080", "[::1]:8080", ":8080" */
	int threads;                 /* worker threads; 0 = one per CPU, at least 2 */
	size_t body_limit;           /* bytes; 0 = 1 MiB */
	const char *trusted_proxies; /* comma-separated addresses whose X-Real-IP is believed */
	bool secure_cookies;         /* add Secure to the session cookie (behind HTTPS) */
} http_config;

/*
 * Serve until SIGINT or SIGTERM. Returns 0 after a clean stop, -1 when the
 * server could not start (message logged), -2 when cfg->listen is not an
 * ADDR:PORT. on_ready, if set, is called once the socket listens.
 */
int http_serve(const http_config *cfg, void (*on_ready)(const char *addr));

#endif
