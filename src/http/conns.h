/* The server's guard over its connections (conns.c): how many one client address may hold,
 * how many the server serves at once, and the deadlines a connection must keep. Only
 * server.c uses it. */
#ifndef DMS_HTTP_CONNS_H
#define DMS_HTTP_CONNS_H

#include <microhttpd.h>
#include <stdbool.h>

struct conns_limits {
    int max_connections; /* served at once; a few more are answered 503 server_busy */
    int per_address;     /* served at once for one client address (IPv6: its /64); 0: no limit */
    int header_s;        /* a request's headers arrive within this of the connection opening */
    int body_s;          /* its body arrives, and its response leaves, within this */
    int idle_s;          /* a kept-alive connection sends its next request within this */
};

/* Connections answered 503 beyond the limits (server-wide, and per address), before further
 * ones are closed at once. */
int conns_overflow_reserve(const struct conns_limits *l);
enum { CONNS_OVERFLOW_PER_ADDRESS = 4 };

struct conns;
struct conn_track;

/* Starts the reaper thread; NULL when out of memory or no thread. */
struct conns *conns_new(const struct conns_limits *l);
/* Stops the reaper and frees; call after MHD_stop_daemon (which reports every close). */
void conns_free(struct conns *g);

/* MHD's accept policy: refuses (closes at once) a connection beyond what even the 503
 * answers may take. Runs in MHD's listening thread. */
enum MHD_Result conns_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);
/* MHD_OPTION_NOTIFY_CONNECTION: counts a connection when it opens and when it closes. */
void conns_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                  enum MHD_ConnectionNotificationCode code);

/* The connection's tracker (NULL if it has none). */
struct conn_track *conns_track(struct MHD_Connection *c);
/* True when the connection came over the limits: its request is answered 503. */
bool conns_over_limit(const struct conn_track *t);
/* A request's headers have arrived: its body is due within body_s. */
void conns_headers_done(struct conns *g, struct conn_track *t);
/* The request is being handled: no deadline until its response is queued. */
void conns_handling(struct conns *g, struct conn_track *t);
/* The response is queued: it must leave within body_s. */
void conns_responding(struct conns *g, struct conn_track *t);
/* The request is over: the next one is due within idle_s. */
void conns_request_done(struct conns *g, struct conn_track *t);

#endif
