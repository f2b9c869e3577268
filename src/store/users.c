/* Staff accounts. Usernames are unique in the whole database (sign-in names no store) and
 * kept lower-case; passwords are stored only as argon2id hashes. */
#include <ctype.h>
#include <stdlib.h>

#include "core/text.h"
#include "core/utf8.h"
#include "store/internal.h"

#define USER_FROM " FROM users u JOIN stores s ON s.id = u.store_id "

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

static int check_username(const char *in, char out[USERNAME_MAX + 1], struct dms_error *err)
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
    int rc = store_one(db, users_row, out, err,
                       "SELECT " USER_COLS USER_FROM "WHERE u.id = ? AND u.store_id = ?", "ii", id,
                       a->store_id);
    if (rc < 0)
        return -1;
    return rc ? 0 : dms_fail(err, "not_found", NULL, "no such user");
}

int users_add(struct db *db, const struct actor *a, const struct user_new *u, struct user *out,
              struct dms_error *err)
{
    char name[USERNAME_MAX + 1], display[257], hash[128];
    if (check_username(u->username ? u->username : "", name, err) < 0)
        return -1;
    const char *dn = u->display_name && *u->display_name ? u->display_name : name;
    if (text_clean(dn, display, sizeof display, 64, false, true, "display_name", err) < 0)
        return -1;
    if ((unsigned)u->role >= ROLE_COUNT)
        return dms_fail(err, "invalid_field", "role", "unknown role");
    if (check_password(u->password ? u->password : "", err) < 0)
        return -1;
    int64_t taken = 0;
    int rc = db_query_int(db, &taken, "SELECT COUNT(*) FROM users WHERE username = ?", "s", name);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (taken)
        return dms_fail(err, "conflict", "username", "username %s is taken", name);
    if (credentials_hash_password(u->password, hash, err) < 0)
        return -1;
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

int users_get(struct db *db, const struct actor *a, int64_t id, struct user *out,
              struct dms_error *err)
{
    return fetch_in_store(db, a, id, out, err);
}

int users_find_name(struct db *db, const char *username, struct user *out, struct dms_error *err)
{
    char name[USERNAME_MAX + 1];
    if (check_username(username, name, err) < 0)
        return 0;
    return store_one(db, users_row, out, err, "SELECT " USER_COLS USER_FROM "WHERE u.username = ?",
                     "s", name);
}

int users_list(struct db *db, const struct actor *a, int64_t after, int limit, struct user **out,
               size_t *n, bool *more, struct dms_error *err)
{
    if (store_rows(db, users_row, NULL, sizeof **out, (size_t)limit + 1, (void **)out, n, err,
                   "SELECT " USER_COLS USER_FROM
                   "WHERE u.store_id = ? AND u.id > ? ORDER BY u.id LIMIT ?",
                   "iii", a->store_id, after, (int64_t)limit + 1) < 0)
        return -1;
    *more = *n > (size_t)limit;
    if (*more)
        *n = (size_t)limit;
    return 0;
}

static int end_sessions(struct db *db, int64_t user_id, const char *keep_hash,
                        struct dms_error *err)
{
    int rc = db_exec(db, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", "is",
                     user_id, keep_hash ? keep_hash : "");
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

int users_update(struct db *db, const struct actor *a, int64_t id, const struct user_patch *p,
                 struct user *out, struct dms_error *err)
{
    struct user prev;
    if (fetch_in_store(db, a, id, &prev, err) < 0)
        return -1;
    struct user next = prev;
    char display[257], hash[128] = "";
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
        if (check_password(p->password, err) < 0 ||
            credentials_hash_password(p->password, hash, err) < 0)
            return -1;
    }
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_exec(db,
                     "UPDATE users SET display_name = ?, role = ?, disabled = ?, "
                     "must_change_password = ?, password_hash = COALESCE(?, password_hash), "
                     "updated_at = ? WHERE id = ? AND store_id = ?",
                     "ssbbtsii", next.display_name, role_name(next.role), next.disabled,
                     next.must_change_password, hash, now, id, a->store_id);
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
    rc = audit_write(db, a, "update", "user", id, ch, err);
    json_decref(ch);
    if (rc < 0)
        return -1;
    return fetch_in_store(db, a, id, out, err);
}

struct with_hash {
    struct user *user;
    char hash[256];
};

static int read_with_hash(struct db_res *res, void *out)
{
    struct with_hash *w = out;
    col_copy(w->hash, sizeof w->hash, res, 11);
    return users_row(res, w->user);
}

int users_authenticate(struct db *db, const char *username, const char *password, struct user *out,
                       struct dms_error *err)
{
    char name[USERNAME_MAX + 1];
    struct dms_error ignore;
    if (check_username(username, name, &ignore) < 0) {
        credentials_burn_time(password);
        return 0;
    }
    struct with_hash found = {.user = out};
    int rc = store_one(db, read_with_hash, &found, err,
                       "SELECT " USER_COLS ", u.password_hash" USER_FROM "WHERE u.username = ?",
                       "s", name);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        credentials_burn_time(password);
        return 0;
    }
    if (!credentials_verify_password(found.hash, password) || out->disabled)
        return 0;
    return 1;
}

int users_change_password(struct db *db, const struct actor *a, const char *old_password,
                          const char *new_password, const char *keep_token, struct dms_error *err)
{
    char fresh[128], keep[65];
    struct with_hash found = {.user = &(struct user){0}};
    int rc = store_one(db, read_with_hash, &found, err,
                       "SELECT " USER_COLS ", u.password_hash" USER_FROM
                       "WHERE u.id = ? AND u.store_id = ?",
                       "ii", a->user_id, a->store_id);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no such user");
    if (!credentials_verify_password(found.hash, old_password))
        return dms_fail(err, "wrong_password", "old_password", "the current password is wrong");
    if (strcmp(old_password, new_password) == 0)
        return dms_fail(err, "weak_password", "new_password",
                        "the new password must differ from the current one");
    if (check_password(new_password, err) < 0)
        return dms_fail(err, "weak_password", "new_password", "a password is %d-%d characters",
                        PASSWORD_MIN, PASSWORD_MAX);
    if (credentials_hash_password(new_password, fresh, err) < 0)
        return -1;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    rc = db_exec(db,
                 "UPDATE users SET password_hash = ?, must_change_password = 0, updated_at = ? "
                 "WHERE id = ? AND store_id = ?",
                 "ssii", fresh, now, a->user_id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    credentials_token_hash(keep_token ? keep_token : "", keep);
    if (end_sessions(db, a->user_id, keep, err) < 0)
        return -1;
    json_t *ch = json_object();
    json_object_set_new(ch, "password", json_pack("[ss]", "***", "(changed)"));
    rc = audit_write(db, a, "update", "user", a->user_id, ch, err);
    json_decref(ch);
    return rc;
}
