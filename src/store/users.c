/* Staff accounts. Usernames are unique in the whole database (sign-in names no store) and
 * kept lower-case; passwords are stored only as argon2id hashes, made before the request's
 * write transaction begins (hashing holds no lock). The administrator's view carries the
 * account's failed sign-ins and lock (login_failures, counted by logins.c). */
#include <ctype.h>
#include <stdlib.h>

#include "core/text.h"
#include "core/utf8.h"
#include "store/internal.h"
#include "store/users.h"

#define USER_FROM " FROM users u JOIN stores s ON s.id = u.store_id "
/* The same with the account's failed sign-ins (columns 11-13). */
#define ADMIN_COLS USER_COLS ", f.failures, f.last_failure_at, f.locked_until"
#define ADMIN_FROM                                                                                 \
    USER_FROM "LEFT JOIN login_failures f ON f.kind = 'account' AND f.subject = u.username "

int users_row(struct db_res *res, void *user)
{
    struct user *u = user;
    u->id = db_int(res, 0);
    u->store_id = db_int(res, 1);
    col_copy(u->store_code, sizeof u->store_code, res, 2);
    col_copy(u->username, sizeof u->username, res, 3);
    col_copy(u->display_name, sizeof u->display_name, res, 4);
    int r = role_parse(db_text(res, 5));
    u->role = r < 0 ? ROLE_WORKSHOP : (enum role)r;
    u->disabled = db_int(res, 6) != 0;
    u->must_change_password = db_int(res, 7) != 0;
    col_copy(u->created_at, sizeof u->created_at, res, 8);
    col_copy(u->updated_at, sizeof u->updated_at, res, 9);
    col_copy(u->store_timezone, sizeof u->store_timezone, res, 10);
    return 0;
}

/* A user row of ADMIN_COLS. */
static int admin_row(struct db_res *res, void *user)
{
    struct user *u = user;
    users_row(res, u);
    u->failed_logins = db_int(res, 11);
    col_copy(u->last_failed_login_at, sizeof u->last_failed_login_at, res, 12);
    col_copy(u->locked_until, sizeof u->locked_until, res, 13);
    return 0;
}

/* A lock that has ended is no lock. */
static void lock_as_of(struct user *u, int64_t now)
{
    char ts[TIMESTAMP_STR];
    timestamp_format_utc(now, ts);
    if (strcmp(u->locked_until, ts) <= 0)
        u->locked_until[0] = '\0';
}

int users_name_normal(const char *in, char out[USERNAME_MAX + 1], struct dms_error *err)
{
    size_t n = strlen(in);
    if (n < 2 || n > USERNAME_MAX)
        return dms_fail(err, "invalid_field", "username", "a username is 2-%d characters",
                        USERNAME_MAX);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (!isalnum(c) && c != '.' && c != '_' && c != '-')
            return dms_fail(err, "invalid_field", "username",
                            "a username uses letters, digits, '.', '_' and '-'");
        out[i] = (char)tolower(c);
    }
    out[n] = '\0';
    return 0;
}

static int check_password(const char *pw, struct dms_error *err)
{
    /* Characters, not bytes: 密码密码 is four characters however it is encoded. */
    long n = utf8_length(pw);
    if (n < PASSWORD_MIN || n > PASSWORD_MAX)
        return dms_fail(err, "weak_password", "password", "a password is %d-%d characters",
                        PASSWORD_MIN, PASSWORD_MAX);
    return 0;
}

static int fetch_in_store(struct db *db, const struct actor *a, int64_t id, struct user *out,
                          struct dms_error *err)
{
    int rc = store_one(db, admin_row, out, err,
                       "SELECT " ADMIN_COLS ADMIN_FROM "WHERE u.id = ? AND u.store_id = ?", "ii",
                       id, a->store_id);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no such user");
    lock_as_of(out, a->now);
    return 0;
}

int users_hash_password(const char *password, char out[USER_HASH_MAX], struct dms_error *err)
{
    if (check_password(password ? password : "", err) < 0)
        return -1;
    return credentials_hash_password(password, out, err);
}

/* hash: made beforehand by users_hash_password, or NULL to check and hash u->password here. */
static int add(struct db *db, const struct actor *a, const struct user_new *u, const char *hash,
               struct user *out, struct dms_error *err)
{
    char name[USERNAME_MAX + 1], display[257], own[USER_HASH_MAX];
    if (users_name_normal(u->username ? u->username : "", name, err) < 0)
        return -1;
    const char *dn = u->display_name && *u->display_name ? u->display_name : name;
    if (text_clean(dn, display, sizeof display, 64, false, true, "display_name", err) < 0)
        return -1;
    if ((unsigned)u->role >= ROLE_COUNT)
        return dms_fail(err, "invalid_field", "role", "unknown role");
    if (!hash && check_password(u->password ? u->password : "", err) < 0)
        return -1;
    int64_t taken = 0;
    int rc = db_query_int(db, &taken, "SELECT COUNT(*) FROM users WHERE username = ?", "s", name);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (taken)
        return dms_fail(err, "conflict", "username", "username %s is taken", name);
    if (!hash) {
        if (credentials_hash_password(u->password, own, err) < 0)
            return -1;
        hash = own;
    }
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int64_t id = 0;
    rc = db_query_int(db, &id,
                      "INSERT INTO users (store_id, username, display_name, role, password_hash, "
                      "must_change_password, created_at, updated_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                      "issssbss", a->store_id, name, display, role_name(u->role), hash,
                      u->must_change_password, now, now);
    if (rc < 0) {
        if (rc == DB_CONFLICT)
            return dms_fail(err, "conflict", "username", "username %s is taken", name);
        return store_db_fail(db, rc, err);
    }
    json_t *ch = json_object();
    audit_text(ch, "username", NULL, name);
    audit_text(ch, "display_name", NULL, display);
    audit_text(ch, "role", NULL, role_name(u->role));
    rc = audit_write(db, a, "create", "user", id, ch, err);
    json_decref(ch);
    if (rc < 0)
        return -1;
    return fetch_in_store(db, a, id, out, err);
}

int users_add(struct db *db, const struct actor *a, const struct user_new *u, struct user *out,
              struct dms_error *err)
{
    return add(db, a, u, NULL, out, err);
}

int users_add_hashed(struct db *db, const struct actor *a, const struct user_new *u,
                     const char *hash, struct user *out, struct dms_error *err)
{
    return add(db, a, u, hash, out, err);
}

int users_get(struct db *db, const struct actor *a, int64_t id, struct user *out,
              struct dms_error *err)
{
    return fetch_in_store(db, a, id, out, err);
}

int users_find_name(struct db *db, const char *username, struct user *out, struct dms_error *err)
{
    char name[USERNAME_MAX + 1];
    if (users_name_normal(username, name, err) < 0)
        return 0;
    return store_one(db, users_row, out, err, "SELECT " USER_COLS USER_FROM "WHERE u.username = ?",
                     "s", name);
}

int users_list(struct db *db, const struct actor *a, int64_t after, int limit, struct user **out,
               size_t *n, bool *more, struct dms_error *err)
{
    if (store_rows(db, admin_row, NULL, sizeof **out, (size_t)limit + 1, (void **)out, n, err,
                   "SELECT " ADMIN_COLS ADMIN_FROM
                   "WHERE u.store_id = ? AND u.id > ? ORDER BY u.id LIMIT ?",
                   "iii", a->store_id, after, (int64_t)limit + 1) < 0)
        return -1;
    *more = *n > (size_t)limit;
    if (*more)
        *n = (size_t)limit;
    for (size_t i = 0; i < *n; i++)
        lock_as_of(&(*out)[i], a->now);
    return 0;
}

static int approver_row(struct db_res *res, void *out)
{
    struct user *u = out;
    memset(u, 0, sizeof *u);
    u->id = db_int(res, 0);
    col_copy(u->display_name, sizeof u->display_name, res, 1);
    u->role = ROLE_SERVICE_MANAGER;
    return 0;
}

int users_discount_approvers(struct db *db, const struct actor *a, struct user **out, size_t *n,
                             struct dms_error *err)
{
    return store_rows(db, approver_row, NULL, sizeof **out, 50, (void **)out, n, err,
                      "SELECT id, display_name FROM users WHERE store_id = ? AND role = "
                      "'service_manager' AND disabled = 0 ORDER BY display_name, id",
                      "i", a->store_id);
}

static int end_sessions(struct db *db, int64_t user_id, const char *keep_hash,
                        struct dms_error *err)
{
    int rc = db_exec(db, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", "is",
                     user_id, keep_hash ? keep_hash : "");
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* Clears the account's failed sign-ins and lock and its devices' (PATCH {"unlock": true}),
 * into the change set of the audit row. */
static int unlock(struct db *db, const struct user *prev, json_t *ch, struct dms_error *err)
{
    int rc = db_exec(db, "DELETE FROM login_failures WHERE kind = 'account' AND subject = ?", "s",
                     prev->username);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    int devices = db_exec(db,
                          "UPDATE login_devices SET failures = 0, last_failure_at = NULL, "
                          "locked_until = NULL WHERE user_id = ? AND failures > 0",
                          "i", prev->id);
    if (devices < 0)
        return store_db_fail(db, devices, err);
    audit_int(ch, "failed_logins", prev->failed_logins, 0);
    audit_text(ch, "locked_until", prev->locked_until, NULL);
    audit_int(ch, "devices_with_failures", devices, 0);
    return 0;
}

int users_update(struct db *db, const struct actor *a, int64_t id, const struct user_patch *p,
                 struct user *out, struct dms_error *err)
{
    /* Lock first, then read: two edits at once (one disables, the other resets the password)
     * are applied one after the other, never from the same stale copy. */
    int rc = store_lock_row(db, "users", "id", id, a->store_id, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no such user");
    struct user prev;
    if (fetch_in_store(db, a, id, &prev, err) < 0)
        return -1;
    struct user next = prev;
    char display[257], own[USER_HASH_MAX];
    const char *hash = NULL;
    if (p->display_name) {
        if (text_clean(p->display_name, display, sizeof display, 64, false, true, "display_name",
                       err) < 0)
            return -1;
        snprintf(next.display_name, sizeof next.display_name, "%s", display);
    }
    if (p->role >= 0) {
        if (p->role >= ROLE_COUNT)
            return dms_fail(err, "invalid_field", "role", "unknown role");
        next.role = (enum role)p->role;
    }
    if (p->disabled >= 0)
        next.disabled = p->disabled != 0;
    if (p->must_change_password >= 0)
        next.must_change_password = p->must_change_password != 0;
    /* An administrator cannot lock themselves out. */
    if (id == a->user_id && (next.disabled || next.role != prev.role))
        return dms_fail(err, "self_lockout", p->disabled > 0 ? "disabled" : "role",
                        "you cannot disable your own account or change your own role");
    if (p->password) {
        hash = p->password_hash;
        if (!hash) {
            if (users_hash_password(p->password, own, err) < 0)
                return -1;
            hash = own;
        }
    }
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    /* Only the fields the patch sets are written. */
    rc = db_exec(db,
                 "UPDATE users SET display_name = COALESCE(?, display_name), "
                 "role = COALESCE(?, role), "
                 "disabled = CASE WHEN ? < 0 THEN disabled ELSE ? END, "
                 "must_change_password = CASE WHEN ? < 0 THEN must_change_password ELSE ? END, "
                 "password_hash = COALESCE(?, password_hash), updated_at = ? "
                 "WHERE id = ? AND store_id = ?",
                 "ttiiiitsii", p->display_name ? next.display_name : NULL,
                 p->role >= 0 ? role_name(next.role) : NULL,
                 (int64_t)(p->disabled < 0 ? -1 : next.disabled), (int64_t)next.disabled,
                 (int64_t)(p->must_change_password < 0 ? -1 : 0),
                 (int64_t)next.must_change_password, hash, now, id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if ((next.disabled && !prev.disabled) || p->password) {
        if (end_sessions(db, id, NULL, err) < 0)
            return -1;
    }
    json_t *ch = json_object();
    audit_text(ch, "display_name", prev.display_name, next.display_name);
    audit_text(ch, "role", role_name(prev.role), role_name(next.role));
    audit_bool(ch, "disabled", prev.disabled, next.disabled);
    audit_bool(ch, "must_change_password", prev.must_change_password, next.must_change_password);
    if (p->password) /* the fact, never the value */
        json_object_set_new(ch, "password", json_pack("[ss]", "***", "(reset)"));
    if (p->unlock && unlock(db, &prev, ch, err) < 0) {
        json_decref(ch);
        return -1;
    }
    rc = audit_write(db, a, "update", "user", id, ch, err);
    json_decref(ch);
    if (rc < 0)
        return -1;
    return fetch_in_store(db, a, id, out, err);
}

int users_password_prepare(const char *current_hash, const char *old_password,
                           const char *new_password, char out[USER_HASH_MAX], struct dms_error *err)
{
    int rc = credentials_verify_password(current_hash, old_password, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "wrong_password", "old_password", "the current password is wrong");
    if (strcmp(old_password, new_password) == 0)
        return dms_fail(err, "weak_password", "new_password",
                        "the new password must differ from the current one");
    if (check_password(new_password, err) < 0)
        return dms_fail(err, "weak_password", "new_password", "a password is %d-%d characters",
                        PASSWORD_MIN, PASSWORD_MAX);
    return credentials_hash_password(new_password, out, err);
}

int users_password_set(struct db *db, const struct actor *a, const char *expected_hash,
                       const char *new_hash, const char *keep_token, struct dms_error *err)
{
    char now[TIMESTAMP_STR], keep[65];
    timestamp_format_utc(a->now, now);
    /* Only over the hash the old password was checked against: a reset or another change in
     * the meantime wins, and this one is refused. */
    int rc = db_exec(db,
                     "UPDATE users SET password_hash = ?, must_change_password = 0, updated_at = ? "
                     "WHERE id = ? AND store_id = ? AND password_hash = ? AND disabled = 0",
                     "ssiis", new_hash, now, a->user_id, a->store_id, expected_hash);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (rc == 0)
        return dms_fail(err, "conflict", "old_password",
                        "the password was changed meanwhile; sign in again");
    credentials_token_hash(keep_token ? keep_token : "", keep);
    if (end_sessions(db, a->user_id, keep, err) < 0)
        return -1;
    json_t *ch = json_object();
    json_object_set_new(ch, "password", json_pack("[ss]", "***", "(changed)"));
    rc = audit_write(db, a, "update", "user", a->user_id, ch, err);
    json_decref(ch);
    return rc;
}
