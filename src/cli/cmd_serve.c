/*
 * kehu serve [--listen ADDR:PORT] [--threads N] [--trust-proxy ADDR[,ADDR...]]
 * [--secure-cookies] [--pool-sweep SECONDS] — serve the HTTP API (default
 * 127.0.0.1:8080). Requests from the --trust-proxy addresses (nginx) give the
 * client address in X-Real-IP. The customer pool's return rules run at start
 * and every --pool-sweep seconds (default an hour; 0: never, leave it to cron).
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "http/http.h"

int cmd_serve(cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"secure-cookies", "help", NULL};
	static const char *const allowed[] = {
	        "listen",         "threads",    "body-limit", "trust-proxy",
	        "secure-cookies", "pool-sweep", "help",       NULL};
	cli_args a;
	if (cli_parse(c, argc, argv, flags, &a) < 0 || cli_only(c, &a, allowed) < 0)
		return -1;
	if (cli_flag(&a, "help")) {
		cli_say(c, N_("Usage: kehu serve [--listen ADDR:PORT] [--threads N] "
		              "[--trust-proxy ADDR[,ADDR...]] [--secure-cookies] [--pool-sweep "
		              "SECONDS]"));
		return 0;
	}
	/* schema changes of a newer kehu are applied before serving */
	if (svc_migrate(&c->s, NULL) < 0)
		return -1;
	http_config cfg = {
	        .db_url = c->db_url,
	        .listen = cli_opt(&a, "listen") ? cli_opt(&a, "listen") : "127.0.0.1:8080",
	        .trusted_proxies = cli_opt(&a, "trust-proxy"),
	        .secure_cookies = cli_flag(&a, "secure-cookies"),
	};
	const char *t = cli_opt(&a, "threads");
	if (t) {
		int64_t n;
		if (!svc_parse_id(t, &n) || n > 256)
			return cli_usage(c, N_("--threads must be 1 to 256"));
		cfg.threads = (int)n;
	}
	const char *bl = cli_opt(&a, "body-limit");
	if (bl) {
		int64_t n;
		if (!svc_parse_id(bl, &n) || n > (1 << 30))
			return cli_usage(c, N_("--body-limit must be a number of bytes"));
		cfg.body_limit = (size_t)n;
	}
	int64_t sweep_every = 3600;
	const char *ps = cli_opt(&a, "pool-sweep");
	if (ps && strcmp(ps, "0") != 0 && (!svc_parse_id(ps, &sweep_every) || sweep_every > 86400))
		return cli_usage(c, N_("--pool-sweep must be 0 (never) to 86400 seconds"));
	if (ps && !strcmp(ps, "0"))
		sweep_every = 0;
	/* the CLI's own connection is not needed while serving */
	svc_release(&c->s);
	store_close(c->db);
	c->db = NULL;
	pool_sweeper *sweeper = pool_sweeper_start(c->db_url, (int)sweep_every);
	int rc = http_serve(&cfg, NULL);
	pool_sweeper_stop(sweeper);
	if (rc == -2)
		return cli_usage(
		        c, N_("--listen must be ADDR:PORT, like 127.0.0.1:8080 or [::1]:8080"));
	if (rc < 0)
		return err_set(&c->err, KH_EIO, N_("The server could not start on %s"), cfg.listen);
	return 0;
}
