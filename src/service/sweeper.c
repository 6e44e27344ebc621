/*
 * sweeper — the pool's return rules applied by `kehu serve` itself: a
 * background thread with its own database connection runs svc_pool_sweep at
 * start and then every interval, until stopped. Several servers on one
 * database may each run one: the sweep re-checks every customer under its row
 * lock, so a customer returns once. `kehu pool sweep` is the same for cron.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "service/service.h"
#include "util/log.h"

struct pool_sweeper {
	char *db_url;
	int interval;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
};

static void sweep_once(pool_sweeper *sw, store **db)
{
	arena a;
	arena_init(&a);
	kh_err e;
	err_init(&e, &a, KH_LANG_ZH);
	if (!*db && store_open(sw->db_url, db, &e) < 0) {
		log_warn("pool sweep: cannot open the database: %s", err_message(&e));
		arena_release(&a);
		return;
	}
	store_revive(*db);
	svc s;
	svc_init(&s, *db, &a, &e, KH_LANG_ZH, "pool-sweep");
	svc_act_as_system(&s);
	int64_t returned = 0;
	if (svc_pool_sweep(&s, NULL, &returned) < 0)
		log_warn("pool sweep failed: %s", err_message(&e));
	else if (returned)
		log_info("pool sweep: %lld customers returned to the pool", (long long)returned);
	svc_release(&s);
	arena_release(&a);
}

static void *run(void *arg)
{
	pool_sweeper *sw = arg;
	store *db = NULL;
	pthread_mutex_lock(&sw->mu);
	while (!sw->stop) {
		pthread_mutex_unlock(&sw->mu);
		sweep_once(sw, &db);
		pthread_mutex_lock(&sw->mu);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += sw->interval;
		while (!sw->stop && pthread_cond_timedwait(&sw->cv, &sw->mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&sw->mu);
	store_close(db);
	return NULL;
}

pool_sweeper *pool_sweeper_start(const char *db_url, int interval_seconds)
{
	if (interval_seconds <= 0)
		return NULL;
	pool_sweeper *sw = calloc(1, sizeof(*sw));
	if (!sw)
		return NULL;
	sw->db_url = strdup(db_url);
	sw->interval = interval_seconds;
	pthread_mutex_init(&sw->mu, NULL);
	pthread_cond_init(&sw->cv, NULL);
	/* signals are the server's main thread's to wait for: the sweeper never takes them */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = sw->db_url ? pthread_create(&sw->thread, NULL, run, sw) : -1;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_warn("pool sweep: cannot start its thread");
		free(sw->db_url);
		free(sw);
		return NULL;
	}
	return sw;
}

void pool_sweeper_stop(pool_sweeper *sw)
{
	if (!sw)
		return;
	pthread_mutex_lock(&sw->mu);
	sw->stop = true;
	pthread_cond_signal(&sw->cv);
	pthread_mutex_unlock(&sw->mu);
	pthread_join(sw->thread, NULL);
	pthread_cond_destroy(&sw->cv);
	pthread_mutex_destroy(&sw->mu);
	free(sw->db_url);
	free(sw);
}
