/* The guard over the server's connections (issue 11, defect 4). libmicrohttpd runs a thread
 * per connection and, at its connection limit, stops accepting: one client holding idle or
 * trickling connections took the server off the air for everyone, and its own timeout only
 * measures inactivity, which a byte every few seconds defeats. So:
 *   - counts per client address (an IPv6 client's whole /64) and server-wide, kept here from
 *     MHD's open and close notifications;
 *   - a connection beyond a limit is still taken, and its request answered 503 server_busy
 *     with Retry-After (a few per address, a reserve server-wide); beyond those it is closed
 *     at accept, before it costs a thread;
 *   - deadlines by phase, not by inactivity: the headers within header_s of the connection
 *     opening, the body (and the response's sending) within body_s, the next request of a
 *     kept-alive connection within idle_s. A reaper thread shuts down the socket of a
 *     connection past its deadline; its MHD thread then sees the end and closes it.
 * Deadlines run on the monotonic clock: they are network time, not the business clock of
 * store/clock.h (which tests move). */
#include "http/conns.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define ADDR_BUCKETS  256
#define REAP_EVERY_MS 200
#define LOG_EVERY_S   10.0

/* A client address as counted: IPv4 (also v4-mapped), or the first 64 bits of IPv6. */
struct addr_key {
    unsigned char b[8];
    unsigned char len;
};

struct addr_count {
    struct addr_count *next;
    struct addr_key key;
    int served, over;
};

enum phase { PH_HEADERS, PH_BODY, PH_HANDLING, PH_SENDING, PH_IDLE };

struct conn_track {
    struct conn_track *prev, *next;
    MHD_socket fd;
    struct addr_count *addr; /* NULL: not an IP connection */
    enum phase phase;
    double deadline; /* monotonic seconds; 0: none */
    bool over;       /* came over a limit: answered 503 */
    bool cut;        /* the reaper shut it down */
};

/* What the log says, at most every LOG_EVERY_S. */
struct conns_tally {
    long refused, busy, cut_headers, cut_body, cut_sending;
};

struct conns {
    struct conns_limits lim;
    int reserve;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    pthread_t reaper;
    bool stop;
    struct conn_track *head;
    int served, over;
    struct addr_count *buckets[ADDR_BUCKETS];
    struct conns_tally tally;
    double last_log;
};

static double mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int conns_overflow_reserve(const struct conns_limits *l)
{
    int r = l->max_connections / 8;
    return r < 16 ? 16 : r;
}

static bool addr_key_of(const struct sockaddr *sa, struct addr_key *k)
{
    memset(k, 0, sizeof *k);
    if (!sa)
        return false;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)(const void *)sa;
        memcpy(k->b, &v4->sin_addr, 4);
        k->len = 4;
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(a)) {
            memcpy(k->b, a->s6_addr + 12, 4);
            k->len = 4;
        } else {
            memcpy(k->b, a->s6_addr, 8); /* one client usually has a whole /64 */
            k->len = 8;
        }
        return true;
    }
    return false;
}

static struct addr_count **addr_slot(struct conns *g, const struct addr_key *k)
{
    uint32_t h = 2166136261u;
    for (unsigned i = 0; i < k->len; i++)
        h = (h ^ k->b[i]) * 16777619u;
    struct addr_count **p = &g->buckets[h % ADDR_BUCKETS];
    while (*p && !((*p)->key.len == k->len && memcmp((*p)->key.b, k->b, k->len) == 0))
        p = &(*p)->next;
    return p;
}

/* Would a new connection from this address come over a limit? (Lock held.) */
static bool over_limit(const struct conns *g, const struct addr_count *a)
{
    if (g->served >= g->lim.max_connections)
        return true;
    return g->lim.per_address > 0 && a && a->served >= g->lim.per_address;
}

enum MHD_Result conns_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    struct conns *g = cls;
    (void)addrlen;
    struct addr_key k;
    bool keyed = addr_key_of(addr, &k);
    pthread_mutex_lock(&g->mu);
    struct addr_count *a = keyed ? *addr_slot(g, &k) : NULL;
    bool refuse =
        over_limit(g, a) && (g->over >= g->reserve || (a && a->over >= CONNS_OVERFLOW_PER_ADDRESS));
    if (refuse)
        g->tally.refused++;
    pthread_mutex_unlock(&g->mu);
    return refuse ? MHD_NO : MHD_YES;
}

static void opened(struct conns *g, struct MHD_Connection *c, void **socket_context)
{
    struct conn_track *t = calloc(1, sizeof *t);
    if (!t)
        return; /* untracked: served without deadlines */
    const union MHD_ConnectionInfo *fd =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    const union MHD_ConnectionInfo *ad =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    t->fd = fd ? fd->connect_fd : MHD_INVALID_SOCKET;
    struct addr_key k;
    bool keyed = ad && addr_key_of(ad->client_addr, &k);
    pthread_mutex_lock(&g->mu);
    struct addr_count *a = NULL;
    if (keyed) {
        struct addr_count **slot = addr_slot(g, &k);
        if (!*slot && (*slot = calloc(1, sizeof **slot)) != NULL)
            (*slot)->key = k;
        a = *slot;
    }
    t->over = over_limit(g, a);
    if (t->over) {
        g->over++;
        g->tally.busy++;
    } else {
        g->served++;
    }
    if (a) {
        if (t->over)
            a->over++;
        else
            a->served++;
    }
    t->addr = a;
    t->phase = PH_HEADERS;
    t->deadline = mono() + g->lim.header_s;
    t->next = g->head;
    if (g->head)
        g->head->prev = t;
    g->head = t;
    pthread_mutex_unlock(&g->mu);
    *socket_context = t;
}

/* MHD reports the close before it closes the socket (in 0.9.75 the socket is closed in the
 * daemon's clean-up, after this call), so while a tracker is in the list under the lock its
 * fd is still this connection's and the reaper may shut it down. */
static void closed(struct conns *g, void **socket_context)
{
    struct conn_track *t = *socket_context;
    if (!t)
        return;
    pthread_mutex_lock(&g->mu);
    if (t->prev)
        t->prev->next = t->next;
    else
        g->head = t->next;
    if (t->next)
        t->next->prev = t->prev;
    if (t->over)
        g->over--;
    else
        g->served--;
    struct addr_count *a = t->addr;
    if (a) {
        if (t->over)
            a->over--;
        else
            a->served--;
        if (a->served == 0 && a->over == 0) {
            struct addr_count **slot = addr_slot(g, &a->key);
            *slot = a->next;
            free(a);
        }
    }
    pthread_mutex_unlock(&g->mu);
    free(t);
    *socket_context = NULL;
}

void conns_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                  enum MHD_ConnectionNotificationCode code)
{
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        opened(cls, c, socket_context);
    else if (code == MHD_CONNECTION_NOTIFY_CLOSED)
        closed(cls, socket_context);
}

struct conn_track *conns_track(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

bool conns_over_limit(const struct conn_track *t)
{
    return t && t->over;
}

static void set_phase(struct conns *g, struct conn_track *t, enum phase p, int seconds)
{
    if (!t)
        return;
    pthread_mutex_lock(&g->mu);
    t->phase = p;
    t->deadline = seconds > 0 ? mono() + seconds : 0;
    pthread_mutex_unlock(&g->mu);
}

void conns_headers_done(struct conns *g, struct conn_track *t)
{
    set_phase(g, t, PH_BODY, g->lim.body_s);
}

void conns_handling(struct conns *g, struct conn_track *t)
{
    set_phase(g, t, PH_HANDLING, 0);
}

void conns_responding(struct conns *g, struct conn_track *t)
{
    set_phase(g, t, PH_SENDING, g->lim.body_s);
}

void conns_request_done(struct conns *g, struct conn_track *t)
{
    set_phase(g, t, PH_IDLE, g->lim.idle_s);
}

static void log_tally(const struct conns_tally *n, const struct conns_limits *l)
{
    if (n->refused || n->busy)
        fprintf(stderr,
                "dms: http: over the connection limits (%d in all, %d per address): %ld "
                "kept to be answered 503, %ld closed at once\n",
                l->max_connections, l->per_address, n->busy, n->refused);
    if (n->cut_headers || n->cut_body || n->cut_sending)
        fprintf(stderr,
                "dms: http: closed past their deadlines: %ld waiting for headers (%d s), %ld "
                "for a body, %ld sending a response (%d s)\n",
                n->cut_headers, l->header_s, n->cut_body, n->cut_sending, l->body_s);
}

static void *reap(void *arg)
{
    struct conns *g = arg;
    pthread_mutex_lock(&g->mu);
    while (!g->stop) {
        double now = mono();
        for (struct conn_track *t = g->head; t; t = t->next) {
            if (t->cut || t->deadline <= 0 || now < t->deadline || t->fd == MHD_INVALID_SOCKET)
                continue;
            shutdown(t->fd, SHUT_RDWR);
            t->cut = true;
            if (t->phase == PH_HEADERS)
                g->tally.cut_headers++;
            else if (t->phase == PH_BODY)
                g->tally.cut_body++;
            else if (t->phase == PH_SENDING)
                g->tally.cut_sending++;
        }
        if (now - g->last_log >= LOG_EVERY_S) {
            struct conns_tally n = g->tally;
            memset(&g->tally, 0, sizeof g->tally);
            g->last_log = now;
            pthread_mutex_unlock(&g->mu);
            log_tally(&n, &g->lim);
            pthread_mutex_lock(&g->mu);
            continue;
        }
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += REAP_EVERY_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L)
            until.tv_sec++, until.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&g->wake, &g->mu, &until);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

struct conns *conns_new(const struct conns_limits *l)
{
    struct conns *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->lim = *l;
    g->reserve = conns_overflow_reserve(l);
    g->last_log = mono();
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->wake, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&g->reaper, NULL, reap, g) != 0) {
        pthread_mutex_destroy(&g->mu);
        pthread_cond_destroy(&g->wake);
        free(g);
        return NULL;
    }
    return g;
}

void conns_free(struct conns *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->mu);
    g->stop = true;
    pthread_cond_signal(&g->wake);
    pthread_mutex_unlock(&g->mu);
    pthread_join(g->reaper, NULL);
    log_tally(&g->tally, &g->lim);
    /* MHD has reported every close by now; anything left is freed without touching fds. */
    for (struct conn_track *t = g->head, *next; t; t = next) {
        next = t->next;
        free(t);
    }
    for (size_t i = 0; i < ADDR_BUCKETS; i++) {
        for (struct addr_count *a = g->buckets[i], *next; a; a = next) {
            next = a->next;
            free(a);
        }
    }
    pthread_mutex_destroy(&g->mu);
    pthread_cond_destroy(&g->wake);
    free(g);
}
