/* A request's own steps around its handler, used by the router's pipeline and by handlers
 * that open their own transactions (R_OWN_TXN): its headers, its session and permission, its
 * clock, and its transaction. */
#include <microhttpd.h>
#include <string.h>
#include <strings.h>

#include "http/router.h"
#include "store/clock.h"
#include "store/sessions.h"
#include "store/users.h"

static const char *header(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_header(struct req *r, const char *name)
{
    return header(r, name);
}

static const char *cookie(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

/* The session token: Authorization: Bearer first, else the HttpOnly cookie. */
static const char *find_token(struct req *r)
{
    const char *auth = header(r, MHD_HTTP_HEADER_AUTHORIZATION);
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
        r->via_cookie = false;
        return auth + 7;
    }
    const char *c = cookie(r, "dms_session");
    if (c && *c) {
        r->via_cookie = true;
        return c;
    }
    return NULL;
}

bool req_is_write(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

int req_authenticate(struct req *r, const struct route *rt)
{
    r->token = find_token(r);
    if (!r->token)
        return req_fail(r, "unauthorized", NULL, "sign in first");
    int rc = sessions_lookup(r->db, r->token, r->actor.now, &r->session, &r->err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return req_fail(r, "unauthorized", NULL, "the session has ended; sign in again");
    /* Cookies ride along with any request the browser makes; a write must also carry the
     * CSRF token that only our own pages can read. */
    if (r->via_cookie && req_is_write(r->method) &&
        !sessions_csrf_ok(&r->session, header(r, "X-CSRF-Token")))
        return req_fail(r, "forbidden", NULL, "missing or wrong X-CSRF-Token header");
    r->authed = true;
    const struct user *u = &r->session.user;
    r->actor.user_id = u->id;
    r->actor.store_id = u->store_id;
    r->actor.role = u->role;
    r->actor.username = u->username;
    if (u->must_change_password && !(rt->flags & R_PASSWORD_CHANGE_OK))
        return req_fail(r, "password_change_required", NULL,
                        "choose a new password first (POST /api/v1/me/password)");
    if (rt->perm >= 0 && !role_can(u->role, (enum perm)rt->perm))
        return req_fail(r, "forbidden", NULL, "your role (%s) may not do this", role_name(u->role));
    return 0;
}

/* The store's calendar day and minute, in its own time zone. */
void req_set_today(struct req *r)
{
    actor_set_clock(&r->actor, r->actor.now, r->session.user.store_timezone);
}

/* The actor's clock and the default day, before the session says the store. */
void req_set_clock(struct req *r)
{
    actor_set_clock(&r->actor, clock_now(), NULL);
    r->actor.username = "anonymous";
}

int req_begin(struct req *r, bool write)
{
    if (!r->db) {
        r->db = pool_acquire(r->pool, 10000, &r->err);
        if (!r->db)
            return -1;
    }
    int rc = db_begin(r->db, write);
    if (rc < 0)
        return store_db_fail(r->db, rc, &r->err);
    r->in_txn = true;
    /* Checked again in each transaction: the session may have ended while the handler
     * hashed. */
    if (r->route->perm != AUTH_NONE && req_authenticate(r, r->route) < 0)
        return -1;
    return 0;
}

/* Ends what the handler left open: commit after success, rollback after failure; the
 * connection of an R_OWN_TXN route goes back to the pool. */
int req_finish(struct req *r, bool ok, bool release)
{
    int rc = 0;
    if (r->in_txn) {
        r->in_txn = false;
        if (ok && (rc = db_commit(r->db)) < 0) {
            store_db_fail(r->db, rc, &r->err);
            db_rollback(r->db);
        } else if (!ok) {
            db_rollback(r->db);
        }
    }
    if (release && r->db) {
        pool_release(r->pool, r->db);
        r->db = NULL;
    }
    return rc < 0 ? -1 : 0;
}

int req_commit(struct req *r)
{
    return req_finish(r, true, true);
}

void req_rollback(struct req *r)
{
    req_finish(r, false, true);
}
