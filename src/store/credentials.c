/* Passwords (argon2id through libsodium's crypto_pwhash_str) and session tokens (random,
 * base64url; only their SHA-256 is stored, so a leaked database holds no usable token).
 *
 * Hashing is the one expensive thing a request does (about 64 MiB and tens of milliseconds of
 * one CPU each), and anyone can ask for it by posting a password. So at most `slots` hashes
 * run at once in the process (a counting semaphore, by default one per CPU), which also
 * bounds their memory; a request that waits longer than HASH_WAIT_MS for a slot is answered
 * 503 overloaded instead of queueing without end. Callers hash with no transaction open
 * (issue 11, defect 3): a sign-in that hashed inside BEGIN IMMEDIATE held SQLite's write lock
 * for everyone while it ran. */
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "store/internal.h"
#include "store/sessions.h"
#include "store/users.h"

#define HASH_WAIT_MS 5000

static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slot_freed;
static pthread_once_t slot_once = PTHREAD_ONCE_INIT;
static int slots_free = -1; /* -1 until the first use: then the configured or CPU count */
static int slots_wanted;

static void slot_init(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&slot_freed, &attr);
    pthread_condattr_destroy(&attr);
}

void credentials_configure(int slots)
{
    slots_wanted = slots;
}

static int slot_take(struct dms_error *err)
{
    pthread_once(&slot_once, slot_init);
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += HASH_WAIT_MS / 1000;
    until.tv_nsec += (long)(HASH_WAIT_MS % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L)
        until.tv_sec++, until.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&slot_lock);
    if (slots_free < 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        slots_free = slots_wanted > 0 ? slots_wanted : cpus > 0 ? (int)cpus : 1;
    }
    int rc = 0;
    while (slots_free == 0 && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&slot_freed, &slot_lock, &until);
    bool got = slots_free > 0;
    if (got)
        slots_free--;
    pthread_mutex_unlock(&slot_lock);
    if (!got)
        return dms_fail(err, "overloaded", NULL,
                        "too many sign-ins at once; try again in a moment");
    return 0;
}

/* Tests only: while the file DMS_TEST_HASH_PAUSE names exists, a hash holds before it starts
 * (bounded: a minute) and says so by creating that name + ".held", so that a test can look at
 * the database while a request is in the middle of hashing (tests/api/test_login_limits.c). */
static void test_pause(void)
{
    const char *file = getenv("DMS_TEST_HASH_PAUSE");
    if (!file || !*file || access(file, F_OK) != 0)
        return;
    char held[512];
    snprintf(held, sizeof held, "%s.held", file);
    FILE *f = fopen(held, "w");
    if (f)
        fclose(f);
    for (int i = 0; i < 12000 && access(file, F_OK) == 0; i++) {
        struct timespec pause = {0, 5000000L};
        nanosleep(&pause, NULL);
    }
    unlink(held);
}

static void slot_give(void)
{
    pthread_mutex_lock(&slot_lock);
    slots_free++;
    pthread_cond_signal(&slot_freed);
    pthread_mutex_unlock(&slot_lock);
}

int credentials_hash_password(const char *password, char out[128], struct dms_error *err)
{
    _Static_assert(crypto_pwhash_STRBYTES <= 128, "hash buffer");
    if (slot_take(err) < 0)
        return -1;
    test_pause();
    int rc = crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                               crypto_pwhash_MEMLIMIT_INTERACTIVE);
    slot_give();
    if (rc != 0)
        return dms_fail(err, "db_error", NULL, "out of memory while hashing the password");
    return 0;
}

int credentials_verify_password(const char *hash, const char *password, struct dms_error *err)
{
    if (slot_take(err) < 0)
        return -1;
    test_pause();
    int rc = crypto_pwhash_str_verify(hash, password, strlen(password));
    slot_give();
    return rc == 0;
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

int credentials_burn_time(const char *password, struct dms_error *err)
{
    pthread_once(&dummy_once, make_dummy);
    /* The same slot and the same work as a real check: a flood of unknown names is bounded
     * like one of wrong passwords, and answers alike. Nobody knows the random password. */
    if (!dummy_hash[0])
        return 0;
    int rc = credentials_verify_password(dummy_hash, password, err);
    return rc < 0 ? -1 : 0;
}
