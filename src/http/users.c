/* /api/v1/users: staff accounts of the administrator's own store, with each account's failed
 * sign-ins and lock (issue 11, defect 3), which PATCH {"unlock": true} lifts. Creating a user
 * and resetting a password hash the password before the write transaction (R_OWN_TXN). */
#include <stdlib.h>

#include "core/text.h"
#include "http/http.h"
#include "store/users.h"

/* The User with what only the administrator sees. */
static json_t *view_account(const struct user *u)
{
    json_t *j = view_user(u);
    json_object_set_new(j, "failed_logins", json_integer(u->failed_logins));
    json_object_set_new(j, "last_failed_login_at", jstr_or_null(u->last_failed_login_at));
    json_object_set_new(j, "locked_until", jstr_or_null(u->locked_until));
    return j;
}

int h_users_list(struct req *r)
{
    int limit;
    int64_t cursor;
    if (req_page(r, &limit, &cursor) < 0)
        return -1;
    struct user *list;
    size_t n;
    bool more;
    if (users_list(r->db, &r->actor, cursor, limit, &list, &n, &more, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_account(&list[i]));
    int64_t last = n ? list[n - 1].id : 0;
    free(list);
    return reply_page(r, items, more, last);
}

int h_users_create(struct req *r)
{
    static const char *const fields[] = {"username", "display_name",         "role",
                                         "password", "must_change_password", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct user_new u = {0};
    int role;
    bool must = true;
    if (jin_string(r->body, "username", true, &u.username, &r->err) < 0 ||
        jin_string(r->body, "display_name", false, &u.display_name, &r->err) < 0 ||
        jin_enum(r->body, "role", true, ROLE_NAMES, ROLE_COUNT, &role, &r->err) < 0 ||
        jin_string(r->body, "password", true, &u.password, &r->err) < 0 ||
        jin_bool(r->body, "must_change_password", false, &must, &r->err) < 0)
        return -1;
    u.role = (enum role)role;
    /* A password an administrator chose is known to two people: by default it must be
     * changed at first sign-in. */
    u.must_change_password = must;
    char hash[USER_HASH_MAX];
    struct user out;
    if (users_hash_password(u.password, hash, &r->err) < 0 || req_begin(r, true) < 0 ||
        users_add_hashed(r->db, &r->actor, &u, hash, &out, &r->err) < 0)
        return -1;
    return reply(r, 201, view_account(&out));
}

int h_users_get(struct req *r)
{
    struct user u;
    if (users_get(r->db, &r->actor, r->ids[0], &u, &r->err) < 0)
        return -1;
    return reply(r, 200, view_account(&u));
}

int h_users_update(struct req *r)
{
    static const char *const fields[] = {"display_name",         "role",   "disabled", "password",
                                         "must_change_password", "unlock", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct user_patch p = {.role = -1, .disabled = -1, .must_change_password = -1};
    int role = -1, rc;
    bool b;
    if (jin_string(r->body, "display_name", false, &p.display_name, &r->err) < 0 ||
        jin_enum(r->body, "role", false, ROLE_NAMES, ROLE_COUNT, &role, &r->err) < 0 ||
        jin_string(r->body, "password", false, &p.password, &r->err) < 0)
        return -1;
    p.role = role;
    if ((rc = jin_bool(r->body, "disabled", false, &b, &r->err)) < 0)
        return -1;
    if (rc == JIN_VALUE)
        p.disabled = b;
    if ((rc = jin_bool(r->body, "must_change_password", false, &b, &r->err)) < 0)
        return -1;
    if (rc == JIN_VALUE)
        p.must_change_password = b;
    if ((rc = jin_bool(r->body, "unlock", false, &b, &r->err)) < 0)
        return -1;
    if (rc == JIN_VALUE && !b)
        return req_fail(r, "invalid_field", "unlock", "unlock is true or absent");
    p.unlock = rc == JIN_VALUE;
    /* A reset password is known to the administrator: the user must replace it. */
    if (p.password && p.must_change_password < 0)
        p.must_change_password = 1;
    char hash[USER_HASH_MAX];
    if (p.password) {
        if (users_hash_password(p.password, hash, &r->err) < 0)
            return -1;
        p.password_hash = hash;
    }
    struct user out;
    if (req_begin(r, true) < 0 || users_update(r->db, &r->actor, r->ids[0], &p, &out, &r->err) < 0)
        return -1;
    return reply(r, 200, view_account(&out));
}
