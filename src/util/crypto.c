/*
 * crypto — thin wrappers over libsodium.
 */
#include "util/crypto.h"

#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#define PW_OPSLIMIT 2
#define PW_MEMLIMIT (19u * 1024 * 1024)
#define PW_PARALLEL_HASHES 2

static sem_t pw_slots;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc = -1;

static void do_init(void)
{
	if (sodium_init() < 0)
		return;
	if (sem_init(&pw_slots, 0, PW_PARALLEL_HASHES) != 0)
		return;
	init_rc = 0;
}

int crypto_init(void)
{
	pthread_once(&init_once, do_init);
	return init_rc;
}

void crypto_token(char out[CRYPTO_TOKEN_LEN])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, CRYPTO_TOKEN_LEN, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void crypto_token_digest(const char *token, char out[CRYPTO_DIGEST_LEN])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, CRYPTO_DIGEST_LEN, h, sizeof(h));
}

int crypto_password_hash(const char *password, char out[CRYPTO_HASH_LEN])
{
	crypto_init();
	sem_wait(&pw_slots);
	int rc = crypto_pwhash_str_alg(out, password, strlen(password), PW_OPSLIMIT, PW_MEMLIMIT,
				       crypto_pwhash_ALG_ARGON2ID13);
	sem_post(&pw_slots);
	return rc == 0 ? 0 : -1;
}

bool crypto_password_verify(const char *hash, const char *password)
{
	crypto_init();
	if (!hash || !*hash)
		return false;
	sem_wait(&pw_slots);
	int rc = crypto_pwhash_str_verify(hash, password, strlen(password));
	sem_post(&pw_slots);
	return rc == 0;
}

int crypto_password_check(const char *hash, const char *password, int wait_ms)
{
	crypto_init();
	if (!hash || !*hash)
		return 0;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	if (sem_timedwait(&pw_slots, &until) != 0)
		return -1;
	int rc = crypto_pwhash_str_verify(hash, password, strlen(password));
	sem_post(&pw_slots);
	return rc == 0;
}

bool crypto_streq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}

void crypto_random(void *p, size_t n)
{
	randombytes_buf(p, n);
}

unsigned crypto_uniform(unsigned upper)
{
	return randombytes_uniform(upper);
}

char *crypto_b64_encode(arena *a, const void *p, size_t n)
{
	size_t len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, len);
	sodium_bin2base64(out, len, p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

char *crypto_b64_decode(arena *a, const char *s, size_t *n)
{
	size_t cap = strlen(s);
	char *out = arena_alloc(a, cap + 1);
	size_t len = 0;
	if (sodium_base642bin((unsigned char *)out, cap, s, strlen(s), NULL, &len, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return NULL;
	out[len] = '\0';
	if (n)
		*n = len;
	return out;
}
