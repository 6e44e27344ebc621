/*
 * sqlite_int — pieces of the SQLite engine shared between its files.
 */
#ifndef KEHU_STORE_SQLITE_INT_H
#define KEHU_STORE_SQLITE_INT_H

#include <sqlite3.h>

/* Register the "kehu" FTS5 tokenizer (core/tokenize) on a connection. */
int sqlite_fts_register(sqlite3 *db);

#endif
