/*
 * test_crypto — random tokens (length, alphabet, uniqueness), token
 * digests (hex, stable, the BLAKE2b-256 reference value), argon2id
 * password hashes (verify true for the right password only), constant-time
 * comparison and base64url round trips.
 */
#include "unit.h"

#include "util/crypto.h"

static bool b64url_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

static void init_succeeds_and_is_idempotent(void **state)
{
	(void)state;
	assert_int_equal(crypto_init(), 0);
	assert_int_equal(crypto_init(), 0);
}

static void tokens_are_43_url_safe_characters_and_unique(void **state)
{
	(void)state;
	char a[CRYPTO_TOKEN_LEN], b[CRYPTO_TOKEN_LEN];
	crypto_token(a);
	crypto_token(b);
	assert_int_equal(strlen(a), 43);
	assert_int_equal(strlen(b), 43);
	for (int i = 0; i < 43; i++)
		assert_true(b64url_char(a[i]));
	assert_string_not_equal(a, b);
	/* 32 random bytes behind it */
	arena ar = ARENA_INIT;
	size_t n = 0;
	assert_non_null(crypto_b64_decode(&ar, a, &n));
	assert_int_equal(n, 32);
	arena_release(&ar);
}

static void digest_is_stable_hex_blake2b(void **state)
{
	(void)state;
	char d1[CRYPTO_DIGEST_LEN], d2[CRYPTO_DIGEST_LEN], d3[CRYPTO_DIGEST_LEN];
	crypto_token_digest("abc", d1);
	assert_string_equal(d1, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	crypto_token_digest("abc", d2);
	assert_string_equal(d1, d2);
	crypto_token_digest("abd", d3);
	assert_string_not_equal(d1, d3);
	assert_int_equal(strlen(d3), 64);
	for (int i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", d3[i]));
}

static void password_hash_verifies_only_the_right_password(void **state)
{
	(void)state;
	char h1[CRYPTO_HASH_LEN], h2[CRYPTO_HASH_LEN];
	assert_int_equal(crypto_password_hash("correct horse 电池", h1), 0);
	assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
	assert_true(crypto_password_verify(h1, "correct horse 电池"));
	assert_false(crypto_password_verify(h1, "correct horse 电"));
	assert_false(crypto_password_verify(h1, "Correct horse 电池"));
	assert_false(crypto_password_verify(h1, ""));
	/* salted: the same password hashes differently, both verify */
	assert_int_equal(crypto_password_hash("correct horse 电池", h2), 0);
	assert_string_not_equal(h1, h2);
	assert_true(crypto_password_verify(h2, "correct horse 电池"));
	/* no hash or a broken one never verifies */
	assert_false(crypto_password_verify("", "x"));
	assert_false(crypto_password_verify(NULL, "x"));
	assert_false(crypto_password_verify("$argon2id$garbage", "x"));
}

static void streq_compares_whole_strings(void **state)
{
	(void)state;
	assert_true(crypto_streq("csrf-token", "csrf-token"));
	assert_false(crypto_streq("csrf-token", "csrf-tokeN"));
	assert_false(crypto_streq("csrf", "csrf-token"));
	assert_false(crypto_streq("csrf-token", ""));
	assert_true(crypto_streq("", ""));
}

static void base64url_round_trips_binary_data(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	assert_string_equal(crypto_b64_encode(&a, "hello", 5), "aGVsbG8");
	assert_string_equal(crypto_b64_encode(&a, "", 0), "");
	unsigned char data[64];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 37 + 250); /* includes 0xFF, 0x00, 0xFB... */
	for (size_t n = 0; n <= sizeof(data); n++) {
		char *enc = crypto_b64_encode(&a, data, n);
		for (const char *p = enc; *p; p++)
			assert_true(b64url_char(*p)); /* no '+', '/', '=' */
		size_t back = 999;
		char *dec = crypto_b64_decode(&a, enc, &back);
		assert_non_null(dec);
		assert_int_equal(back, n);
		if (n)
			assert_memory_equal(dec, data, n);
		assert_int_equal(dec[n], '\0');
	}
	arena_release(&a);
}

static void base64url_decode_refuses_garbage(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	size_t n;
	assert_null(crypto_b64_decode(&a, "a+b/", &n)); /* standard, not url alphabet */
	assert_null(crypto_b64_decode(&a, "!!!!", &n));
	assert_null(crypto_b64_decode(&a, "aGVsbG8=", &n)); /* padding */
	assert_null(crypto_b64_decode(&a, "中文", &n));
	arena_release(&a);
}

static void random_numbers_stay_in_range(void **state)
{
	(void)state;
	bool seen[10] = {false};
	for (int i = 0; i < 2000; i++) {
		unsigned r = crypto_uniform(10);
		assert_true(r < 10);
		seen[r] = true;
	}
	for (int i = 0; i < 10; i++)
		assert_true(seen[i]);
	unsigned char buf1[32] = {0}, buf2[32] = {0};
	crypto_random(buf1, sizeof(buf1));
	crypto_random(buf2, sizeof(buf2));
	assert_memory_not_equal(buf1, buf2, sizeof(buf1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(init_succeeds_and_is_idempotent),
	        cmocka_unit_test(tokens_are_43_url_safe_characters_and_unique),
	        cmocka_unit_test(digest_is_stable_hex_blake2b),
	        cmocka_unit_test(password_hash_verifies_only_the_right_password),
	        cmocka_unit_test(streq_compares_whole_strings),
	        cmocka_unit_test(base64url_round_trips_binary_data),
	        cmocka_unit_test(base64url_decode_refuses_garbage),
	        cmocka_unit_test(random_numbers_stay_in_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
