/* Signing in, and the limits on failed attempts (logins.c; issue 11, defect 3).
 * Three steps so that neither a transaction nor a database connection is held while
 * argon2id runs: logins_check (read transaction), logins_verify (nothing open),
 * logins_record (write transaction). Failures are counted in the database per account name,
 * per device cookie and per client address (core/throttle.h). */
#ifndef DMS_STORE_LOGINS_H
#define DMS_STORE_LOGINS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/throttle.h"
#include "store/store.h"
#include "store/sessions.h"
#include "store/users.h"

struct login_limits;

struct login_attempt {
    const char *username, *password;
    const char *address; /* the client's address as counted (core/ipaddr.h throttle key) */
    const char *device;  /* the device cookie's token; NULL or "" when none */
    int64_t now;
    const struct login_limits *limits;
};

struct login_check {
    bool name_ok;        /* the name can be a username at all */
    bool known;          /* a user of that name exists */
    bool trusted_device; /* the client's device cookie is one of that user's */
    int64_t wait;        /* > 0: throttled, seconds before another attempt may be made */
    struct user user;
    char hash[256];
};

struct login_session {
    char token[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
    char device[TOKEN_LEN + 1]; /* the device cookie to (re)set */
    char expires_at[TIMESTAMP_STR];
    struct user user;
};

/* Reads the user, its hash and the locks that apply (the account's, or the device's for a
 * trusted device, and the address's) into out; out->wait > 0 when the attempt must not be
 * made. */
int logins_check(struct db *db, const struct login_attempt *in, struct login_check *out,
                 struct dms_error *err);
/* argon2id of in->password against the user's hash, or against a dummy hash for an unknown
 * name (the same time and the same hashing slot): 1 right and enabled, 0 not, -1 overloaded. */
int logins_verify(const struct login_attempt *in, const struct login_check *c,
                  struct dms_error *err);
/* Records the outcome. ok and the user's hash and state as step 1 read them: a session of
 * ttl seconds, the account's (or the device's) failures cleared, the device trusted for the
 * user; returns 1. Otherwise: a failure counted on the address and on the account (or the
 * trusted device), each with a single UPDATE ... + 1, and their locks extended; returns 0. */
int logins_record(struct db *db, const struct login_attempt *in, const struct login_check *c,
                  bool ok, int64_t ttl, struct login_session *out, struct dms_error *err);

#endif
