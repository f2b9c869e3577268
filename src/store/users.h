/* Staff users (users.c): the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_USERS_H
#define DMS_STORE_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define USERNAME_MAX 32
#define PASSWORD_MIN 8
#define PASSWORD_MAX 128

struct user {
    int64_t id, store_id;
    char store_code[33];
    char store_timezone[65];
    char username[USERNAME_MAX + 1];
    char display_name[257];
    enum role role;
    bool disabled, must_change_password;
    char created_at[TIMESTAMP_STR], updated_at[TIMESTAMP_STR];
    /* The account's failed sign-ins in a row (from clients without a device cookie of it),
     * the last one's time and until when it is locked ("" none); filled by users_get,
     * users_list, users_add and users_update for the administrator (logins.c counts them). */
    int64_t failed_logins;
    char last_failed_login_at[TIMESTAMP_STR], locked_until[TIMESTAMP_STR];
};

#define USER_HASH_MAX 128 /* an argon2id hash string and its NUL */

struct user_new {
    const char *username, *display_name, *password;
    enum role role;
    bool must_change_password;
};

/* Validates the username (invalid_field) and password (weak_password), hashes the password
 * with argon2id and creates the user in a->store_id. conflict when the name is taken. For the
 * command line; a request hashes first, outside its transaction, and calls
 * users_add_hashed. */
int users_add(struct db *db, const struct actor *a, const struct user_new *u, struct user *out,
              struct dms_error *err);
/* users_add with u->password already hashed by users_hash_password. */
int users_add_hashed(struct db *db, const struct actor *a, const struct user_new *u,
                     const char *hash, struct user *out, struct dms_error *err);
/* The argon2id hash of a new password, after its rules (weak_password). Run it with no
 * transaction open: it takes tens of milliseconds and a hashing slot (overloaded when none
 * frees in time, 503). */
int users_hash_password(const char *password, char out[USER_HASH_MAX], struct dms_error *err);
/* At most slots hashes at once in this process (0: one per CPU); call before threads start. */
void credentials_configure(int slots);
/* By id within a->store_id; not_found otherwise. */
int users_get(struct db *db, const struct actor *a, int64_t id, struct user *out,
              struct dms_error *err);
/* Keyset page of the store's users by id: those with id > after, at most limit; *more tells
 * whether more follow. *out is malloc'ed (free it). */
int users_list(struct db *db, const struct actor *a, int64_t after, int limit, struct user **out,
               size_t *n, bool *more, struct dms_error *err);

/* RO-7: who may approve a discount: the store's service managers not disabled (id and display
 * name only are filled), by name; at most 50. */
int users_discount_approvers(struct db *db, const struct actor *a, struct user **out, size_t *n,
                             struct dms_error *err);

struct user_patch {
    const char *display_name; /* NULL: unchanged */
    int role;                 /* -1: unchanged */
    int disabled;             /* -1: unchanged */
    const char *password;     /* NULL: unchanged; a reset also ends the user's sessions */
    int must_change_password; /* -1: unchanged */
    /* password's hash from users_hash_password, made before the transaction; NULL: hashed
     * here (the command line). */
    const char *password_hash;
    bool unlock; /* clears the account's failed sign-ins and lock, and its devices' */
};
/* Locks the user's row, then writes only the fields the patch sets (two administrators'
 * edits of different fields both stay: issue 11, defect 1), with the audit row. */
int users_update(struct db *db, const struct actor *a, int64_t id, const struct user_patch *p,
                 struct user *out, struct dms_error *err);

/* Own password change, in three steps so that no transaction is open while hashing: the
 * signed-in user's hash and locks are read as a sign-in's (logins_check, a read transaction;
 * a wrong old password is a failed attempt, logins_record); users_password_prepare checks the old
 * password against it (wrong_password) and the new one's rules (weak_password), and hashes the new
 * one (no transaction; overloaded); users_password_set stores it if the hash is still the one read
 * (conflict: changed meanwhile), clears must_change_password, ends the user's other sessions and
 * writes the audit row (a write transaction). */
int users_password_prepare(const char *current_hash, const char *old_password,
                           const char *new_password, char out[USER_HASH_MAX],
                           struct dms_error *err);
int users_password_set(struct db *db, const struct actor *a, const char *expected_hash,
                       const char *new_hash, const char *keep_token, struct dms_error *err);
/* For the CLI: find a user by name in any store (1 found, 0 none). */
int users_find_name(struct db *db, const char *username, struct user *out, struct dms_error *err);

#endif
