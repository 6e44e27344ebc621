/*
 * arena — chunked bump allocator. Chunks grow geometrically up to 1 MiB;
 * an oversized request gets a chunk of its own.
 */
#include "util/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_FIRST 4096
#define ARENA_MAXCHUNK (1u << 20)

struct arena_chunk {
	struct arena_chunk *next;
	size_t size; /* usable bytes after the header */
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fputs("kehu: out of memory\n", stderr);
		abort();
	}
	return p;
}

void arena_init(arena *a)
{
	a->head = NULL;
	a->total = 0;
}

void arena_release(arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}

void arena_reset(arena *a)
{
	struct arena_chunk *c = a->head;
	if (!c)
		return;
	/* keep the oldest chunk (the last in the list): it is the smallest */
	struct arena_chunk *keep = c;
	while (keep->next)
		keep = keep->next;
	while (c != keep) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	keep->used = 0;
	a->head = keep;
	a->total = keep->size;
}

void *arena_alloc(arena *a, size_t n)
{
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need < n) {
		fputs("kehu: allocation size overflow\n", stderr);
		abort();
	}
	struct arena_chunk *c = a->head;
	if (!c || c->size - c->used < need) {
		size_t size = c ? c->size * 2 : ARENA_FIRST;
		if (size > ARENA_MAXCHUNK)
			size = ARENA_MAXCHUNK;
		if (size < need)
			size = need;
		c = xmalloc(sizeof(*c) + size);
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
		a->total += size;
	}
	void *p = c->data + c->used;
	c->used += need;
	memset(p, 0, n);
	return p;
}

void *arena_calloc(arena *a, size_t n, size_t sz)
{
	if (sz && n > SIZE_MAX / sz) {
		fputs("kehu: allocation size overflow\n", stderr);
		abort();
	}
	return arena_alloc(a, n * sz);
}

void *arena_regrow(arena *a, const void *old, int *cap, int n, size_t size)
{
	int bigger = *cap > 0 ? *cap * 2 : 16;
	void *p = arena_calloc(a, (size_t)bigger, size);
	if (n > 0)
		memcpy(p, old, (size_t)n * size);
	*cap = bigger;
	return p;
}

char *arena_memdup(arena *a, const void *p, size_t n)
{
	char *d = arena_alloc(a, n + 1);
	if (n)
		memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	size_t len = strnlen(s, n);
	return arena_memdup(a, s, len);
}

char *arena_strdup(arena *a, const char *s)
{
	if (!s)
		return NULL;
	return arena_memdup(a, s, strlen(s));
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
	char small[256];
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(small, sizeof(small), fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return arena_strdup(a, "");
	if ((size_t)n < sizeof(small))
		return arena_memdup(a, small, (size_t)n);
	char *d = arena_alloc(a, (size_t)n + 1);
	vsnprintf(d, (size_t)n + 1, fmt, ap);
	return d;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return s;
}
