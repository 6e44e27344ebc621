/*
 * arena — a bump allocator whose memory is all released at once.
 *
 * Each HTTP request, CLI command and import batch owns one arena; handlers
 * allocate from it and never free individually. Allocation never fails from
 * the caller's point of view: on malloc failure the process aborts (like
 * git's xmalloc), since a server that cannot allocate 4 KiB cannot report
 * anything useful. Input that could grow without bound is capped where it
 * enters (HTTP body limit, file row limit), not here.
 */
#ifndef KEHU_UTIL_ARENA_H
#define KEHU_UTIL_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;

typedef struct arena {
	struct arena_chunk *head;
	size_t total; /* bytes held in chunks */
} arena;

#define ARENA_INIT {0}

/* Start an empty arena (no allocation until first use). */
void arena_init(arena *a);
/* Free every chunk; the arena is empty and reusable afterwards. */
void arena_release(arena *a);
/* Free all but the first chunk and rewind it; cheaper than release+init. */
void arena_reset(arena *a);

/* n bytes, aligned for any type, zeroed. Never NULL. */
void *arena_alloc(arena *a, size_t n);
/* Array of n elements of size sz with overflow check. */
void *arena_calloc(arena *a, size_t n, size_t sz);
/* Copies of strings; NULL in gives NULL out. */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_memdup(arena *a, const void *p, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Growing arrays in an arena: ARENA_PUSH(a, items, n, cap) returns a pointer to a
 * new zeroed element at the end of items (n elements, room for cap), doubling
 * the room when full (the old block simply stays in the arena).
 */
void *arena_regrow(arena *a, const void *old, int *cap, int n, size_t size);
#define ARENA_PUSH(a, items, n, cap)                                                              \
	((n) == (cap) ? (void)((items) = arena_regrow((a), (items), &(cap), (n), sizeof(*(items)))) \
		      : (void)0,                                                                  \
	 &(items)[(n)++])
char *arena_vprintf(arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#endif
