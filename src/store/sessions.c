/* Sessions live in the database, so any server process of a dealer group can answer any
 * request. Only SHA-256 hashes of the bearer and CSRF tokens are stored. */
#include <sodium.h>

#include "store/internal.h"
#include "store/sessions.h"
#include "store/users.h"

int sessions_create(struct db *db, const struct user *u, int64_t now, int64_t ttl,
                    char token[TOKEN_LEN + 1], char csrf[TOKEN_LEN + 1], struct dms_error *err)
{
    char th[65], ch[65], created[TIMESTAMP_STR], expires[TIMESTAMP_STR];
    credentials_new_token(token);
    credentials_new_token(csrf);
    credentials_token_hash(token, th);
    credentials_token_hash(csrf, ch);
    timestamp_format_utc(now, created);
    timestamp_format_utc(now + ttl, expires);
    /* Expired sessions of this user are swept here rather than by a timer. */
    int rc = db_exec(db, "DELETE FROM sessions WHERE user_id = ? AND expires_at <= ?", "is", u->id,
                     created);
    if (rc >= 0)
        rc = db_exec(db,
                     "INSERT INTO sessions (token_hash, csrf_hash, user_id, created_at, "
                     "expires_at) VALUES (?, ?, ?, ?, ?)",
                     "ssiss", th, ch, u->id, created, expires);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

int sessions_lookup(struct db *db, const char *token, int64_t now, struct session *out,
                    struct dms_error *err)
{
    if (strlen(token) != TOKEN_LEN)
        return 0;
    char th[65], nowts[TIMESTAMP_STR];
    credentials_token_hash(token, th);
    timestamp_format_utc(now, nowts);
    struct db_res *res;
    int rc = db_query(
        db, &res,
        "SELECT " USER_COLS ", x.csrf_hash, x.expires_at "
        "FROM sessions x JOIN users u ON u.id = x.user_id JOIN stores s ON s.id = u.store_id "
        "WHERE x.token_hash = ? AND x.expires_at > ? AND u.disabled = 0",
        "ss", th, nowts);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    rc = db_step(res);
    if (rc > 0) {
        users_row(res, &out->user);
        col_copy(out->csrf_hash, sizeof out->csrf_hash, res, 11);
        col_copy(out->expires_at, sizeof out->expires_at, res, 12);
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : rc;
}

bool sessions_csrf_ok(const struct session *s, const char *csrf)
{
    if (!csrf || strlen(csrf) != TOKEN_LEN)
        return false;
    char h[65];
    credentials_token_hash(csrf, h);
    return sodium_memcmp(h, s->csrf_hash, 64) == 0;
}

int sessions_delete(struct db *db, const char *token, struct dms_error *err)
{
    char th[65];
    credentials_token_hash(token, th);
    int rc = db_exec(db, "DELETE FROM sessions WHERE token_hash = ?", "s", th);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}
