/*
 * buf — a growable byte buffer with a size cap.
 *
 * Invariants: data is always NUL-terminated (data[len] == 0) once anything
 * was added; len never exceeds cap. A buffer fed by the network or a file is
 * created with a cap so hostile input cannot grow it without bound (curl's
 * dynbuf "toobig"); adding past the cap fails and leaves the content as it
 * was. The buffer owns data (malloc); buf_detach hands it to the caller.
 */
#ifndef KEHU_UTIL_BUF_H
#define KEHU_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct buf {
	char *data;
	size_t len;
	size_t alloc;
	size_t cap; /* maximum len; 0 means no limit */
} buf;

#define BUF_INIT {NULL, 0, 0, 0}

void buf_init(buf *b, size_t cap);
/* Free the contents; the buffer is empty and reusable. */
void buf_release(buf *b);
/* Empty the buffer, keeping its memory. */
void buf_clear(buf *b);
/* Hand the NUL-terminated data to the caller (who frees it); buffer is empty. */
char *buf_detach(buf *b, size_t *len);

/* Make room for n more bytes; -1 when that would pass the cap. */
__attribute__((warn_unused_result)) int buf_reserve(buf *b, size_t n);
__attribute__((warn_unused_result)) int buf_add_slow(buf *b, const void *p, size_t n);

/* Append; return 0, or -1 when the cap would be exceeded (nothing added).
 * Inline: the JSON writer calls it for every fragment of a page. */
__attribute__((warn_unused_result)) static inline int buf_add(buf *b, const void *p, size_t n)
{
	if (b->data && n < b->alloc - b->len && (!b->cap || b->len + n <= b->cap)) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return 0;
	}
	return buf_add_slow(b, p, n);
}
__attribute__((warn_unused_result)) int buf_adds(buf *b, const char *s);
__attribute__((warn_unused_result)) int buf_addc(buf *b, char c);
__attribute__((warn_unused_result, format(printf, 2, 3))) int buf_addf(buf *b, const char *fmt,
									...);
__attribute__((warn_unused_result, format(printf, 2, 0))) int buf_vaddf(buf *b, const char *fmt,
									 va_list ap);
/* The content as a C string ("" when empty). */
const char *buf_str(const buf *b);

#endif
