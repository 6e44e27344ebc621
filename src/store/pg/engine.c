/*
 * pg/engine — the PostgreSQL engine (libpq). Placeholder until the
 * PostgreSQL issue lands: opening a postgresql:// URL reports clearly that
 * this build has no PostgreSQL engine yet.
 */
#include "store/store_int.h"

int pg_engine_open(const char *url, store **out, kh_err *e)
{
	(void)url;
	*out = NULL;
	return err_set(e, KH_EUSAGE, N_("This kehu build cannot open PostgreSQL databases yet"));
}
