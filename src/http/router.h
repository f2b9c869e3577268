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

struct pool;
/* Runs the request: r has method, path, conn, srv, cfg set; body is the raw request body
 * (NULL when there was none) and too_large says it exceeded BODY_MAX. Fills r->status,
 * r->resp and r->cookies. */
void router_dispatch(struct req *r, struct pool *pool, const char *body, size_t len,
                     bool too_large);

#endif
