/* /api/v1/session and /api/v1/me: signing in and out, and the signed-in user. The token
 * comes back in the body (for API clients: Authorization: Bearer) and as an HttpOnly,
 * SameSite=Strict cookie (for the browser), with a CSRF token the pages send back on
 * every write. */
#include <stdio.h>
#include <string.h>

#include "core/booking.h"
#include "http/http.h"

static void set_cookies(struct req *r, const char *token, const char *csrf, int64_t max_age)
{
    snprintf(r->cookies[0], sizeof r->cookies[0],
             "dms_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld", token,
             (long long)max_age);
    snprintf(r->cookies[1], sizeof r->cookies[1],
             "dms_csrf=%s; Path=/; SameSite=Strict; Max-Age=%lld", csrf, (long long)max_age);
    r->n_cookies = 2;
}

int h_session_create(struct req *r)
{
    static const char *const fields[] = {"username", "password", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    const char *username, *password;
    if (jin_string(r->body, "username", true, &username, &r->err) < 0 ||
        jin_string(r->body, "password", true, &password, &r->err) < 0)
        return -1;
    if (strlen(password) > PASSWORD_MAX)
        return req_fail(r, "unauthorized", NULL, "wrong username or password");
    struct user u;
    int rc = users_authenticate(r->db, username, password, &u, &r->err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return req_fail(r, "unauthorized", NULL, "wrong username or password");
    char token[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1], expires[TIMESTAMP_STR];
    if (sessions_create(r->db, &u, r->actor.now, r->cfg->session_ttl, token, csrf, &r->err) < 0)
        return -1;
    timestamp_format_utc(r->actor.now + r->cfg->session_ttl, expires);
    set_cookies(r, token, csrf, r->cfg->session_ttl);
    return reply(r, 201,
                 json_pack("{s:s, s:s, s:s, s:o}", "token", token, "csrf_token", csrf, "expires_at",
                           expires, "user", view_user(&u)));
}

int h_session_delete(struct req *r)
{
    if (sessions_delete(r->db, r->token, &r->err) < 0)
        return -1;
    set_cookies(r, "", "", 0);
    return reply(r, 200, json_pack("{s:b}", "signed_out", 1));
}

int h_me(struct req *r)
{
    struct store_info s;
    if (stores_get(r->db, r->actor.store_id, &s, &r->err) < 0)
        return -1;
    json_t *perms = json_object();
    /* Every permission of the role: the web console offers the screens they allow. */
    for (int i = 0; i < PERM_COUNT; i++)
        json_object_set_new(perms, perm_name((enum perm)i),
                            json_boolean(role_can(r->actor.role, (enum perm)i)));
    /* The departments whose board confirmation the role gives (IN-11), so the console asks
     * the one rule instead of repeating it. */
    json_t *confirms = json_array();
    for (int d = 0; d < DEPT_COUNT; d++)
        if (role_confirms(r->actor.role, d))
            json_array_append_new(confirms, json_string(DEPARTMENT_NAMES[d]));
    return reply(r, 200,
                 json_pack("{s:o, s:{s:I, s:s, s:s, s:s}, s:o, s:o, s:s}", "user",
                           view_user(&r->session.user), "store", "id", (json_int_t)s.id, "code",
                           s.code, "name", s.name, "timezone", s.timezone, "permissions", perms,
                           "confirms", confirms, "session_expires_at", r->session.expires_at));
}

int h_me_password(struct req *r)
{
    static const char *const fields[] = {"old_password", "new_password", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    const char *old_pw, *new_pw;
    if (jin_string(r->body, "old_password", true, &old_pw, &r->err) < 0 ||
        jin_string(r->body, "new_password", true, &new_pw, &r->err) < 0)
        return -1;
    if (users_change_password(r->db, &r->actor, old_pw, new_pw, r->token, &r->err) < 0)
        return -1;
    return reply(r, 200, json_pack("{s:b}", "changed", 1));
}

int h_store_get(struct req *r)
{
    struct store_info s;
    if (stores_get(r->db, r->actor.store_id, &s, &r->err) < 0)
        return -1;
    char today[DATE_STR];
    date_format(r->actor.today, today);
    return reply(r, 200,
                 json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)s.id, "code", s.code,
                           "name", s.name, "timezone", s.timezone, "today", today, "created_at",
                           s.created_at));
}

int h_healthz(struct req *r)
{
    int64_t one = 0;
    int rc = db_query_int(r->db, &one, "SELECT 1", "");
    if (rc < 0)
        return store_db_fail(r->db, rc, &r->err);
    int version = 0;
    if (store_schema_version(r->db, &version, &r->err) < 0)
        return -1;
    return reply(r, 200,
                 json_pack("{s:s, s:s, s:i}", "status", "ok", "db",
                           db_kind(r->db) == DB_SQLITE ? "sqlite" : "postgres", "schema", version));
}
