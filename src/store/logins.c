/* Signing in (issue 11, defect 3): the password is checked with no transaction open, and
 * failed attempts are counted in the database, so that every server process of a dealer
 * group sees them and a flood is slowed down and then locked out per account, per device
 * cookie and per client address (core/throttle.h decides how long).
 *
 * A wrong name and a wrong password look the same from outside: the same queries, the same
 * argon2id work (against a dummy hash) and the same counters (an account row is kept for any
 * name that can be a username, whether such a user exists or not). */
#include <stdlib.h>

#include "core/throttle.h"
#include "store/internal.h"
#include "store/logins.h"
#include "store/sessions.h"
#include "store/users.h"

#define DEVICES_PER_USER 20 /* browsers remembered per user; the least recently used go first */

/* The UTC second of a stored timestamp (0 when there is none). */
static int64_t ts_seconds(const char *ts)
{
    int64_t t = 0;
    return timestamp_parse_utc(ts, &t) < 0 ? 0 : t;
}

/* A device cookie we could have issued: TOKEN_LEN characters of base64url. */
static bool token_shape(const char *t)
{
    if (!t || strlen(t) != TOKEN_LEN)
        return false;
    for (const char *p = t; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

static int read_with_hash(struct db_res *res, void *out)
{
    struct login_check *c = out;
    col_copy(c->hash, sizeof c->hash, res, 11);
    return users_row(res, &c->user);
}

/* The UTC second a lock ends (0 none) from a query for locked_until. */
static int lock_of(struct db *db, int64_t *until, struct dms_error *err, const char *sql,
                   const char *types, ...)
{
    struct db_res *res;
    va_list ap;
    va_start(ap, types);
    int rc = db_vquery(db, &res, sql, types, ap);
    va_end(ap);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    rc = db_step(res);
    if (rc > 0)
        *until = ts_seconds(db_text(res, 0));
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : rc;
}

int logins_check(struct db *db, const struct login_attempt *in, struct login_check *out,
                 struct dms_error *err)
{
    memset(out, 0, sizeof *out);
    char name[USERNAME_MAX + 1];
    struct dms_error ignore = {0};
    struct login_locks locks = {0};
    out->name_ok = users_name_normal(in->username, name, &ignore) == 0;
    if (out->name_ok) {
        int rc = store_one(db, read_with_hash, out, err,
                           "SELECT " USER_COLS ", u.password_hash FROM users u JOIN stores s ON "
                           "s.id = u.store_id WHERE u.username = ?",
                           "s", name);
        if (rc < 0)
            return -1;
        out->known = rc > 0;
        if (lock_of(db, &locks.account_until, err,
                    "SELECT locked_until FROM login_failures WHERE kind = 'account' AND "
                    "subject = ?",
                    "s", name) < 0)
            return -1;
    }
    if (out->known && token_shape(in->device)) {
        char th[65];
        credentials_token_hash(in->device, th);
        int rc = lock_of(db, &locks.device_until, err,
                         "SELECT locked_until FROM login_devices WHERE token_hash = ? AND "
                         "user_id = ?",
                         "si", th, out->user.id);
        if (rc < 0)
            return -1;
        out->trusted_device = locks.trusted_device = rc > 0;
    }
    if (lock_of(db, &locks.address_until, err,
                "SELECT locked_until FROM login_failures WHERE kind = 'address' AND subject = ?",
                "s", in->address) < 0)
        return -1;
    out->wait = throttle_login_wait(&locks, in->now);
    return 0;
}

int logins_verify(const struct login_attempt *in, const struct login_check *c,
                  struct dms_error *err)
{
    if (!c->known)
        return credentials_burn_time(in->password, err) < 0 ? -1 : 0;
    int rc = credentials_verify_password(c->hash, in->password, err);
    if (rc <= 0)
        return rc;
    return c->user.disabled ? 0 : 1;
}

/* Sets a counter's lock after its n-th failure in a row (never shortening one). */
static int extend_lock(struct db *db, const char *sql_update, const struct throttle_rule *rule,
                       int64_t n, int64_t now, const char *k1, const char *k2, int64_t k_id,
                       struct dms_error *err)
{
    int64_t wait = throttle_wait(rule, n);
    if (wait == 0)
        return 0;
    char until[TIMESTAMP_STR];
    timestamp_format_utc(now + wait, until);
    int rc = k2 ? db_exec(db, sql_update, "ssss", until, k1, k2, until)
                : db_exec(db, sql_update, "ssis", until, k1, k_id, until);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* One more failure of an account name or an address, counted by the database itself in one
 * statement (processes and threads at once lose no count), forgotten after the quiet
 * period. */
static int count_failure(struct db *db, const char *kind, const char *subject,
                         const struct throttle_rule *rule, int64_t now, struct dms_error *err)
{
    char at[TIMESTAMP_STR], forgotten[TIMESTAMP_STR];
    timestamp_format_utc(now, at);
    timestamp_format_utc(throttle_forget_before(rule, now), forgotten);
    int64_t n = 0;
    int rc = db_query_int(db, &n,
                          "INSERT INTO login_failures (kind, subject, failures, last_failure_at) "
                          "VALUES (?, ?, 1, ?) ON CONFLICT (kind, subject) DO UPDATE SET "
                          "failures = CASE WHEN login_failures.last_failure_at <= ? THEN 1 "
                          "ELSE login_failures.failures + 1 END, "
                          "last_failure_at = excluded.last_failure_at RETURNING failures",
                          "ssss", kind, subject, at, forgotten);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (extend_lock(db,
                    "UPDATE login_failures SET locked_until = ? WHERE kind = ? AND subject = ? "
                    "AND (locked_until IS NULL OR locked_until < ?)",
                    rule, n, now, kind, subject, 0, err) < 0)
        return -1;
    /* Counters quiet for the whole period are gone (their locks ended long before). */
    rc = db_exec(db, "DELETE FROM login_failures WHERE kind = ? AND last_failure_at <= ?", "ss",
                 kind, forgotten);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

static int count_device_failure(struct db *db, const char *token_hash, int64_t user_id,
                                const struct throttle_rule *rule, int64_t now,
                                struct dms_error *err)
{
    char at[TIMESTAMP_STR], forgotten[TIMESTAMP_STR];
    timestamp_format_utc(now, at);
    timestamp_format_utc(throttle_forget_before(rule, now), forgotten);
    int64_t n = 0;
    int rc = db_query_int(db, &n,
                          "UPDATE login_devices SET failures = CASE WHEN last_failure_at IS NULL "
                          "OR last_failure_at <= ? THEN 1 ELSE failures + 1 END, "
                          "last_failure_at = ? WHERE token_hash = ? AND user_id = ? "
                          "RETURNING failures",
                          "sssi", forgotten, at, token_hash, user_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    return extend_lock(db,
                       "UPDATE login_devices SET locked_until = ? WHERE token_hash = ? AND "
                       "user_id = ? AND (locked_until IS NULL OR locked_until < ?)",
                       rule, n, now, token_hash, NULL, user_id, err);
}

/* The user as step 1 read them, still enabled and with the same password (a reset or a
 * disabling committed since then wins); the row stays locked until the end. */
static int still_valid(struct db *db, const struct login_check *c, bool *valid,
                       struct dms_error *err)
{
    *valid = false;
    int rc = store_lock_row(db, "users", "id", c->user.id, c->user.store_id, err);
    if (rc <= 0)
        return rc;
    struct db_res *res;
    rc = db_query(db, &res, "SELECT password_hash, disabled FROM users WHERE id = ?", "i",
                  c->user.id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    rc = db_step(res);
    if (rc > 0)
        *valid = strcmp(db_text(res, 0), c->hash) == 0 && db_int(res, 1) == 0;
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

static int trust_device(struct db *db, const struct login_attempt *in, const struct login_check *c,
                        char device[TOKEN_LEN + 1], struct dms_error *err)
{
    char th[65], at[TIMESTAMP_STR];
    timestamp_format_utc(in->now, at);
    /* The browser keeps its token (it may be trusted for other users of a shared PC); one
     * without gets a new one. */
    if (token_shape(in->device))
        snprintf(device, TOKEN_LEN + 1, "%s", in->device);
    else
        credentials_new_token(device);
    credentials_token_hash(device, th);
    int rc = db_exec(db,
                     "INSERT INTO login_devices (token_hash, user_id, created_at, last_used_at) "
                     "VALUES (?, ?, ?, ?) ON CONFLICT (token_hash, user_id) DO UPDATE SET "
                     "last_used_at = excluded.last_used_at, failures = 0, "
                     "last_failure_at = NULL, locked_until = NULL",
                     "siss", th, c->user.id, at, at);
    if (rc >= 0)
        rc = db_exec(db,
                     "DELETE FROM login_devices WHERE user_id = ? AND token_hash NOT IN "
                     "(SELECT token_hash FROM login_devices WHERE user_id = ? "
                     "ORDER BY last_used_at DESC, token_hash LIMIT ?)",
                     "iii", c->user.id, c->user.id, (int64_t)DEVICES_PER_USER);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

int logins_record(struct db *db, const struct login_attempt *in, const struct login_check *c,
                  bool ok, int64_t ttl, struct login_session *out, struct dms_error *err)
{
    const struct login_limits *lim = in->limits;
    memset(out, 0, sizeof *out);
    if (ok) {
        bool valid;
        if (still_valid(db, c, &valid, err) < 0)
            return -1;
        /* Changed under the attempt: refused, but not the client's failure. */
        if (!valid)
            return 0;
        if (sessions_create(db, &c->user, in->now, ttl, out->token, out->csrf, err) < 0)
            return -1;
        timestamp_format_utc(in->now + ttl, out->expires_at);
        out->user = c->user;
        /* The owner is in: the account's failures end (a trusted device's were cleared with
         * its row below; a lock by strangers stays for the other clients). */
        if (!c->trusted_device) {
            int rc = db_exec(db,
                             "DELETE FROM login_failures WHERE kind = 'account' AND "
                             "subject = ?",
                             "s", c->user.username);
            if (rc < 0)
                return store_db_fail(db, rc, err);
        }
        if (trust_device(db, in, c, out->device, err) < 0)
            return -1;
        return 1;
    }
    if (count_failure(db, "address", in->address, &lim->address, in->now, err) < 0)
        return -1;
    if (c->trusted_device) {
        char th[65];
        credentials_token_hash(in->device, th);
        if (count_device_failure(db, th, c->user.id, &lim->account, in->now, err) < 0)
            return -1;
    } else if (c->name_ok) {
        char name[USERNAME_MAX + 1];
        struct dms_error ignore = {0};
        users_name_normal(in->username, name, &ignore);
        if (count_failure(db, "account", name, &lim->account, in->now, err) < 0)
            return -1;
    }
    return 0;
}
