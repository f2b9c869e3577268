/* The route table and the request pipeline around every handler: match, body, session,
 * CSRF, permission, one transaction, error body. */
#ifndef DMS_HTTP_ROUTER_H
#define DMS_HTTP_ROUTER_H

#include <stddef.h>

#include "http/http.h"

enum {
    AUTH_NONE = -1, /* public */
    AUTH_ANY = -2,  /* any signed-in user */
};

enum {
    R_PASSWORD_CHANGE_OK = 1u, /* reachable while the user must change the password */
    /* The handler opens its own transactions (req_begin): it hashes a password first, with
     * no transaction and no database connection held (issue 11, defect 3). */
    R_OWN_TXN = 2u,
    /* A GET that writes (the audit row of a customer's data export): the transaction takes
     * the write lock up front as a POST's does. */
    R_WRITES = 4u,
};

struct route {
    const char *method;
    const char *pattern; /* segments; {id} matches a positive integer */
    handler_fn fn;
    int perm; /* enum perm, AUTH_NONE or AUTH_ANY */
    unsigned flags;
};

const struct route *router_routes(size_t *n);
/* Whether some route has this path (any method): the API's, not the web console's files. */
bool router_has_path(const char *path);

/* The steps of one request (request.c), in the order the router takes them. */
bool req_is_write(const char *method);
/* The actor's clock, in the default time zone until the session says the store. */
void req_set_clock(struct req *r);
/* The session (bearer or cookie with its CSRF token) and the route's permission. */
int req_authenticate(struct req *r, const struct route *rt);
/* The store's local day and minute, once the session says the store. */
void req_set_today(struct req *r);
/* Ends what the handler left open: commit after success, rollback after failure; release
 * gives the connection back to the pool. */
int req_finish(struct req *r, bool ok, bool release);

struct pool;
/* Runs the request: r has method, path, conn, srv, cfg set; body is the raw request body
 * (NULL when there was none) and too_large says it exceeded BODY_MAX. Fills r->status,
 * r->resp and r->cookies. */
void router_dispatch(struct req *r, struct pool *pool, const char *body, size_t len,
                     bool too_large);

#endif
