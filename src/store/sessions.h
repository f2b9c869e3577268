/* Sessions (sessions.c): the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_SESSIONS_H
#define DMS_STORE_SESSIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "store/users.h"

#define TOKEN_LEN 43 /* 32 random bytes, base64url without padding */

struct session {
    struct user user;
    char csrf_hash[65];
    char expires_at[TIMESTAMP_STR];
};

/* Creates a session lasting ttl seconds; writes the bearer token and the CSRF token (both
 * TOKEN_LEN + 1 bytes). Only their SHA-256 hashes are stored. */
int sessions_create(struct db *db, const struct user *u, int64_t now, int64_t ttl,
                    char token[TOKEN_LEN + 1], char csrf[TOKEN_LEN + 1], struct dms_error *err);
/* 1 and *out for a live session of an enabled user, 0 otherwise. */
int sessions_lookup(struct db *db, const char *token, int64_t now, struct session *out,
                    struct dms_error *err);
/* Constant-time check of a CSRF token against a session. */
bool sessions_csrf_ok(const struct session *s, const char *csrf);
int sessions_delete(struct db *db, const char *token, struct dms_error *err);

#endif
