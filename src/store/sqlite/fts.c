/*
 * sqlite/fts — the "kehu" FTS5 tokenizer: a thin adapter from the FTS5
 * tokenizer API to core/tokenize, which does the CJK unigram+bigram work.
 * SQLite 3.40's trigram tokenizer cannot find two-character words, hence
 * this module.
 */
#include <sqlite3.h>
#include <string.h>

#include "core/tokenize.h"
#include "store/sqlite/sqlite_int.h"

typedef struct kehu_tokenizer {
	int unused;
} kehu_tokenizer;

static kehu_tokenizer the_tokenizer;

static int tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)ctx;
	(void)argv;
	(void)argc;
	*out = (Fts5Tokenizer *)&the_tokenizer;
	return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t)
{
	(void)t;
}

typedef struct emit_ctx {
	void *fts_ctx;
	int (*x_token)(void *, int, const char *, int, int, int);
	int rc;
} emit_ctx;

static int emit(void *ud, int flags, const char *tok, int len, int start, int end)
{
	emit_ctx *c = ud;
	c->rc = c->x_token(c->fts_ctx, flags & TOKEN_COLOCATED ? FTS5_TOKEN_COLOCATED : 0, tok, len,
	                   start, end);
	return c->rc != SQLITE_OK;
}

static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int len,
                        int (*x_token)(void *, int, const char *, int, int, int))
{
	(void)t;
	emit_ctx c = {ctx, x_token, SQLITE_OK};
	tokenize(text, len, (flags & FTS5_TOKENIZE_QUERY) != 0, emit, &c);
	return c.rc;
}

static fts5_api *get_fts5_api(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

int sqlite_fts_register(sqlite3 *db)
{
	fts5_api *api = get_fts5_api(db);
	if (!api)
		return SQLITE_ERROR;
	fts5_tokenizer tk = {tok_create, tok_delete, tok_tokenize};
	return api->xCreateTokenizer(api, "kehu", NULL, &tk, NULL);
}
