/*
 * buf — growable capped byte buffer.
 */
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf *b, size_t cap)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap;
}

void buf_release(buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
}

void buf_clear(buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *buf_detach(buf *b, size_t *len)
{
	char *d = b->data;
	if (!d) {
		d = malloc(1);
		if (!d)
			abort();
		d[0] = '\0';
	}
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	return d;
}

static int buf_grow(buf *b, size_t extra)
{
	if (extra > ((size_t)-1) / 2 - b->len)
		return -1;
	size_t want = b->len + extra;
	if (b->cap && want > b->cap)
		return -1;
	if (want + 1 <= b->alloc)
		return 0;
	size_t n = b->alloc ? b->alloc : 64;
	while (n < want + 1)
		n *= 2;
	char *d = realloc(b->data, n);
	if (!d) {
		fputs("kehu: out of memory\n", stderr);
		abort();
	}
	b->data = d;
	b->alloc = n;
	return 0;
}

int buf_reserve(buf *b, size_t n)
{
	return buf_grow(b, n);
}

int buf_add_slow(buf *b, const void *p, size_t n)
{
	if (buf_grow(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int buf_adds(buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addc(buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int buf_vaddf(buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return -1;
	if (buf_grow(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_addf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *buf_str(const buf *b)
{
	return b->data ? b->data : "";
}
