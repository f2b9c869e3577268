/* Passwords (argon2id through libsodium's crypto_pwhash_str) and session tokens (random,
 * base64url; only their SHA-256 is stored, so a leaked database holds no usable token). */
#include <pthread.h>
#include <sodium.h>

#include "store/internal.h"

int credentials_hash_password(const char *password, char out[128], struct dms_error *err)
{
    _Static_assert(crypto_pwhash_STRBYTES <= 128, "hash buffer");
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return dms_fail(err, "db_error", NULL, "out of memory while hashing the password");
    return 0;
}

bool credentials_verify_password(const char *hash, const char *password)
{
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void credentials_new_token(char out[TOKEN_LEN + 1])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, TOKEN_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

void credentials_token_hash(const char *token, char out[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, digest, sizeof digest);
}

/* A hash to verify against when the user does not exist, so that a wrong name costs as much
 * time as a wrong password and names cannot be probed by timing. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    char pw[TOKEN_LEN + 1];
    credentials_new_token(pw);
    if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0';
}

void credentials_burn_time(const char *password)
{
    pthread_once(&dummy_once, make_dummy);
    if (dummy_hash[0] && crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
        dummy_hash[0] = '\0'; /* unreachable: nobody knows the random password */
}
