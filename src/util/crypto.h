/*
 * crypto — the few primitives kehu needs, all from libsodium: random
 * tokens, token digests for storage, and argon2id password hashes.
 *
 * Session and API tokens are shown to the client once and stored only as a
 * unkeyed BLAKE2b digest, so a stolen database does not yield live
 * sessions. Password hashing is argon2id at 19 MiB / 2 passes (the OWASP
 * minimum) so that a login burst cannot push the server past its memory
 * target; at most two hashes run at once.
 */
#ifndef KEHU_UTIL_CRYPTO_H
#define KEHU_UTIL_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

#define CRYPTO_TOKEN_LEN 44  /* 32 random bytes, base64url without padding, + NUL */
#define CRYPTO_DIGEST_LEN 65 /* 32-byte digest as hex + NUL */
#define CRYPTO_HASH_LEN 128  /* crypto_pwhash_STRBYTES */

/* Initialise libsodium; returns -1 if it cannot (then nothing else works). */
int crypto_init(void);

/* A fresh random token, base64url, 43 characters. */
void crypto_token(char out[CRYPTO_TOKEN_LEN]);
/* Hex digest of a token for storage and lookup. */
void crypto_token_digest(const char *token, char out[CRYPTO_DIGEST_LEN]);

/* argon2id hash of a password (encoded string with salt and parameters); -1 on failure. */
int crypto_password_hash(const char *password, char out[CRYPTO_HASH_LEN]);
/* True when password matches the stored hash. */
bool crypto_password_verify(const char *hash, const char *password);
/*
 * The same for the server's login path: 1 match, 0 no match, -1 when all hash
 * slots stayed busy for wait_ms (a flood of logins must not queue every worker
 * thread behind argon2: the caller answers "busy, retry" instead).
 */
int crypto_password_check(const char *hash, const char *password, int wait_ms);

/* Constant-time comparison of two NUL-terminated strings. */
bool crypto_streq(const char *a, const char *b);

/* base64url (no padding) of n bytes, in a. */
char *crypto_b64_encode(arena *a, const void *p, size_t n);
/* Decode base64url into a (NUL-terminated); NULL when malformed. */
char *crypto_b64_decode(arena *a, const char *s, size_t *n);

/* n random bytes. */
void crypto_random(void *p, size_t n);
/* Uniform random number in [0, upper). */
unsigned crypto_uniform(unsigned upper);

#endif
