/* The HTTP server: libmicrohttpd with a thread per connection (handlers block on the
 * database), bodies gathered up to 1 MiB, JSON responses, an access log line per request,
 * and a graceful stop that lets in-flight requests finish. conns.c guards the connections:
 * limits per client address and in all (503 server_busy beyond them) and deadlines for
 * headers, bodies and idle keep-alive. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http/conns.h"
#include "http/router.h"
#include "http/static.h"

/* Each connection has its own thread; its stack is reserved (not touched) memory, and the
 * default 8 MiB times a thousand connections is more than a small server should reserve.
 * The deepest use is jansson parsing and freeing a body nested 2,048 levels (its limit);
 * the sanitizers' frames are several times larger. */
#if defined(__SANITIZE_ADDRESS__)
#define THREAD_STACK (8u << 20)
#else
#define THREAD_STACK (1u << 20)
#endif

struct server {
    struct server_config cfg;
    struct MHD_Daemon *daemon;
    struct pool *pool;
    struct conns *conns;
    atomic_int in_flight;
    atomic_bool draining;
    atomic_long log_window; /* mhd_log's rate limit */
    atomic_int log_lines, log_left_out;
    int port;
};

/* Per-request state kept by libmicrohttpd between calls of the access handler. */
struct conn_state {
    char *body;
    size_t len, cap;
    bool too_large;
    struct timespec started;
    struct conn_track *track; /* conns.c's deadlines of this connection; may be NULL */
};

static double elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int append(struct conn_state *st, const char *data, size_t n)
{
    if (st->too_large || st->len + n > BODY_MAX) {
        st->too_large = true;
        free(st->body);
        st->body = NULL;
        st->len = st->cap = 0;
        return 0;
    }
    if (st->len + n + 1 > st->cap) {
        size_t cap = st->cap ? st->cap : 4096;
        while (cap < st->len + n + 1)
            cap *= 2;
        char *grown = realloc(st->body, cap);
        if (!grown)
            return -1;
        st->body = grown, st->cap = cap;
    }
    memcpy(st->body + st->len, data, n);
    st->len += n;
    st->body[st->len] = '\0';
    return 0;
}

static enum MHD_Result send_json(struct server *s, struct MHD_Connection *c, struct req *r,
                                 bool close)
{
    /* 15 significant digits: hours of 0.6 print as 0.6, not 0.59999999999999998 (every
     * real in a response has at most two decimals). */
    char *text = json_dumps(r->resp, JSON_COMPACT | JSON_REAL_PRECISION(15));
    if (!text)
        text = strdup("{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\","
                      "\"field\":null}}");
    size_t n = text ? strlen(text) : 0;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(n, text ? text : (char *)"", MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    for (int i = 0; i < r->n_cookies; i++)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->cookies[i]);
    char retry[24];
    snprintf(retry, sizeof retry, "%lld", (long long)r->retry_after); /* 429: a lock's seconds */
    if (r->retry_after > 0)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, retry);
    else if (r->status == 503)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER,
                                dms_error_is(&r->err, "server_busy") ? "5" : "1");
    if (close || r->status == 413 || atomic_load(&s->draining))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* A connection that came over the connection limits: 503 server_busy and close, without
 * reading its body or touching the database. */
static enum MHD_Result respond_busy(struct server *s, struct MHD_Connection *c,
                                    struct conn_state *st, const char *url, const char *method)
{
    struct req r;
    memset(&r, 0, sizeof r);
    r.status = errors_status("server_busy");
    dms_fail(&r.err, "server_busy", NULL, "the server is busy; try again in a few seconds");
    r.resp = json_pack("{s:{s:s, s:s, s:n}}", "error", "code", r.err.code, "message", r.err.message,
                       "field");
    enum MHD_Result ret = send_json(s, c, &r, true);
    conns_responding(s->conns, st->track);
    if (s->cfg.access_log) {
        char now[TIMESTAMP_STR];
        timestamp_format_utc((int64_t)time(NULL), now);
        fprintf(stderr, "%s %s %s %d %.1fms -\n", now, method, url, r.status,
                elapsed_ms(&st->started));
    }
    json_decref(r.resp);
    return ret;
}

/* Runs the request through the router and queues its response. */
static enum MHD_Result respond_now(struct server *s, struct MHD_Connection *c,
                                   struct conn_state *st, const char *url, const char *method)
{
    /* Everything outside /api/ and the other routes (/healthz) is the web console's files. */
    if (strncmp(url, "/api/", 5) != 0 && strcmp(url, "/api") != 0 && !router_has_path(url) &&
        (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)) {
        int status;
        enum MHD_Result ret = static_serve(c, s->cfg.web_dir, url, &status);
        if (s->cfg.access_log) {
            char now[TIMESTAMP_STR];
            timestamp_format_utc((int64_t)time(NULL), now);
            fprintf(stderr, "%s %s %s %d %.1fms -\n", now, method, url, status,
                    elapsed_ms(&st->started));
        }
        return ret;
    }
    struct req r;
    memset(&r, 0, sizeof r);
    r.cfg = &s->cfg;
    r.conn = c;
    r.method = method;
    r.path = url;
    router_dispatch(&r, s->pool, st->body, st->len, st->too_large);
    enum MHD_Result ret = send_json(s, c, &r, false);
    if (s->cfg.access_log) {
        char now[TIMESTAMP_STR];
        timestamp_format_utc((int64_t)time(NULL), now);
        fprintf(stderr, "%s %s %s %d %.1fms %s\n", now, method, url, r.status,
                elapsed_ms(&st->started), r.authed ? r.session.user.username : "-");
    }
    json_decref(r.body);
    json_decref(r.resp);
    json_decref(r.err_extra);
    return ret;
}

/* The request is handled (no deadline while the handler runs), then its response must leave
 * within the body deadline. */
static enum MHD_Result respond(struct server *s, struct MHD_Connection *c, struct conn_state *st,
                               const char *url, const char *method)
{
    conns_handling(s->conns, st->track);
    enum MHD_Result ret = respond_now(s, c, st, url, method);
    conns_responding(s->conns, st->track);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    struct server *s = cls;
    (void)version;
    struct conn_state *st = *con_cls;
    if (!st) {
        st = calloc(1, sizeof *st);
        if (!st)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &st->started);
        atomic_fetch_add(&s->in_flight, 1);
        *con_cls = st;
        st->track = conns_track(c);
        if (conns_over_limit(st->track))
            return respond_busy(s, c, st, url, method);
        conns_headers_done(s->conns, st->track);
        /* Refuse a declared oversize body before reading it. */
        const char *cl =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > BODY_MAX) {
            /* Answer at once instead of reading a body we will refuse; the connection is
             * closed after the response. */
            st->too_large = true;
            return respond(s, c, st, url, method);
        }
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (append(st, upload_data, *upload_size) < 0)
            return MHD_NO;
        *upload_size = 0;
        return MHD_YES;
    }
    return respond(s, c, st, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct server *s = cls;
    (void)toe;
    struct conn_state *st = *con_cls;
    if (!st)
        return;
    /* The next request of a kept-alive connection is due within the idle deadline. */
    conns_request_done(s->conns, conns_track(c));
    free(st->body);
    free(st);
    *con_cls = NULL;
    atomic_fetch_sub(&s->in_flight, 1);
}

/* libmicrohttpd logs a line for every connection that ends in the middle of a request: a
 * flood must not become a flood of log lines. At most LOG_LINES lines per LOG_WINDOW_S, then
 * a count of those left out. */
enum { LOG_LINES = 20, LOG_WINDOW_S = 10 };

static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    struct server *s = cls;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long window = (long)(now.tv_sec / LOG_WINDOW_S);
    if (atomic_exchange(&s->log_window, window) != window) {
        int left_out = atomic_exchange(&s->log_left_out, 0);
        atomic_store(&s->log_lines, 0);
        if (left_out > 0)
            fprintf(stderr, "dms: http: %d more messages of libmicrohttpd left out\n", left_out);
    }
    if (atomic_fetch_add(&s->log_lines, 1) >= LOG_LINES) {
        atomic_fetch_add(&s->log_left_out, 1);
        return;
    }
    char line[512]; /* one write, not interleaved with other threads' lines */
    vsnprintf(line, sizeof line, fmt, ap);
    fprintf(stderr, "dms: http: %s%s", line, line[0] && line[strlen(line) - 1] == '\n' ? "" : "\n");
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decoding of paths and query values that leaves %00 as it is: a decoded NUL would
 * silently cut "/customers/8%00x" down to "/customers/8". */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls, (void)c;
    char *out = s;
    for (const char *p = s; *p;) {
        int hi, lo;
        if (p[0] == '%' && (hi = hex_value(p[1])) >= 0 && (lo = hex_value(p[2])) >= 0 &&
            (hi | lo) != 0) {
            *out++ = (char)(hi * 16 + lo);
            p += 3;
        } else {
            *out++ = *p++;
        }
    }
    *out = '\0';
    return (size_t)(out - s);
}

/* "HOST:PORT" or "[V6]:PORT" -> socket address. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len, bool *v6,
                        struct dms_error *err)
{
    char host[128];
    const char *port;
    if (listen[0] == '[') {
        const char *close = strchr(listen, ']');
        if (!close || close[1] != ':' || (size_t)(close - listen - 1) >= sizeof host)
            return dms_fail(err, "invalid_config", "listen", "listen is HOST:PORT");
        snprintf(host, sizeof host, "%.*s", (int)(close - listen - 1), listen + 1);
        port = close + 2;
    } else {
        const char *colon = strrchr(listen, ':');
        if (!colon || (size_t)(colon - listen) >= sizeof host)
            return dms_fail(err, "invalid_config", "listen", "listen is HOST:PORT");
        snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
        port = colon + 1;
    }
    char *end;
    long p = strtol(port, &end, 10);
    if (*port == '\0' || *end || p < 0 || p > 65535)
        return dms_fail(err, "invalid_config", "listen", "bad port in %s", listen);
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICSERV},
                    *ai = NULL;
    if (getaddrinfo(host, port, &hints, &ai) != 0 || !ai)
        return dms_fail(err, "invalid_config", "listen", "cannot resolve %s", host);
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *len = ai->ai_addrlen;
    *v6 = ai->ai_family == AF_INET6;
    freeaddrinfo(ai);
    return 0;
}

/* The connection limits of cfg, with the defaults for settings left at 0. */
static struct conns_limits limits_of(const struct server_config *cfg)
{
    struct conns_limits l = {
        .max_connections = cfg->max_connections > 0 ? cfg->max_connections : 1000,
        .per_address =
            cfg->max_connections_per_address >= 0 ? cfg->max_connections_per_address : 64,
        .header_s = cfg->header_timeout_s > 0 ? cfg->header_timeout_s : 10,
        .body_s = cfg->body_timeout_s > 0 ? cfg->body_timeout_s : 60,
        .idle_s = cfg->idle_timeout_s > 0 ? cfg->idle_timeout_s : 30,
    };
    return l;
}

int server_fds_needed(const struct server_config *cfg)
{
    struct conns_limits l = limits_of(cfg);
    /* Every connection, the 503 reserve, the database pool, the listening socket, MHD's
     * wake-up pipe, the worker, logs and libraries. */
    return l.max_connections + conns_overflow_reserve(&l) + (cfg->db_pool > 0 ? cfg->db_pool : 8) +
           64;
}

struct server *server_start(const struct server_config *cfg, struct dms_error *err)
{
    struct server *s = calloc(1, sizeof *s);
    if (!s) {
        dms_fail(err, "internal", NULL, "out of memory");
        return NULL;
    }
    s->cfg = *cfg;
    struct sockaddr_storage ss;
    socklen_t sl;
    bool v6 = false;
    if (parse_listen(cfg->listen, &ss, &sl, &v6, err) < 0) {
        free(s);
        return NULL;
    }
    struct conns_limits lim = limits_of(cfg);
    s->pool = pool_new(cfg->db_url, cfg->db_pool > 0 ? cfg->db_pool : 8);
    s->conns = s->pool ? conns_new(&lim) : NULL;
    if (!s->conns) {
        pool_free(s->pool);
        free(s);
        dms_fail(err, "internal", NULL, "out of memory");
        return NULL;
    }
    /* conns.c decides who is served: MHD's own limit sits above what it lets in (the served,
     * then the 503 reserve), so that MHD never stops accepting and leaves clients hanging.
     * MHD's inactivity timeout stays as a backstop behind the deadlines. */
    unsigned mhd_limit = (unsigned)(lim.max_connections + conns_overflow_reserve(&lim) + 16);
    int longest = lim.header_s > lim.body_s ? lim.header_s : lim.body_s;
    longest = longest > lim.idle_s ? longest : lim.idle_s;
    unsigned backstop = (unsigned)(longest + 60 > 120 ? longest + 60 : 120);
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0);
    s->daemon = MHD_start_daemon(
        flags, 0, conns_accept, s->conns, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, conns_notify, s->conns, MHD_OPTION_CONNECTION_LIMIT,
        mhd_limit, MHD_OPTION_CONNECTION_TIMEOUT, backstop, MHD_OPTION_THREAD_STACK_SIZE,
        (size_t)THREAD_STACK, MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
    if (!s->daemon) {
        dms_fail(err, "listen_failed", "listen", "cannot listen on %s (in use?)", cfg->listen);
        conns_free(s->conns);
        pool_free(s->pool);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    return s;
}

int server_port(const struct server *s)
{
    return s->port;
}

void server_stop(struct server *s)
{
    if (!s)
        return;
    atomic_store(&s->draining, true);
    MHD_socket fd = MHD_quiesce_daemon(s->daemon);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    /* Requests already being handled finish (bounded: 30 s). */
    for (int i = 0; i < 3000 && atomic_load(&s->in_flight) > 0; i++) {
        struct timespec pause = {0, 10000000L};
        nanosleep(&pause, NULL);
    }
    MHD_stop_daemon(s->daemon);
    conns_free(s->conns);
    pool_free(s->pool);
    free(s);
}
