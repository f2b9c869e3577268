/* The stand-in SMS gateway (see sms_sink.h). */
#include "sms_sink.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "notify/notify.h"

#define SINK_MAX_BODY 65536

struct sms_sink {
    struct MHD_Daemon *daemon;
    char secret[256];
    char url[64];
    int port;
    pthread_mutex_t lock;
    struct sms_post *posts; /* under lock */
    size_t count, cap;
    int fail_left, fail_status; /* under lock */
    /* sms_sink_hold_next: under lock; `changed` signals a new held request or a release. */
    int hold_left, waiting, released; /* released <= waiting */
    size_t held_total;
    pthread_cond_t changed;
    atomic_int delay_ms;
    atomic_bool stopping;
};

/* A request body being received. */
struct upload {
    char *data;
    size_t len;
    bool too_big;
};

static void copy_str(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

static void parse_post(struct sms_sink *s, struct MHD_Connection *c, const struct upload *u,
                       struct sms_post *p)
{
    memset(p, 0, sizeof *p);
    const char *ts = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-DMS-Timestamp");
    const char *sig = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-DMS-Signature");
    copy_str(p->timestamp, sizeof p->timestamp, ts);
    p->signature_ok =
        ts && sig && sms_verify(s->secret, ts, u->data ? u->data : "", u->len, sig, time(NULL));
    json_error_t jerr;
    json_t *o = u->data ? json_loadb(u->data, u->len, 0, &jerr) : NULL;
    if (o && json_is_object(o)) {
        json_t *id = json_object_get(o, "id"), *to = json_object_get(o, "to"),
               *store = json_object_get(o, "store"), *text = json_object_get(o, "text");
        p->id = json_is_integer(id) ? (int64_t)json_integer_value(id) : 0;
        copy_str(p->to, sizeof p->to, json_string_value(to));
        copy_str(p->store, sizeof p->store, json_string_value(store));
        copy_str(p->text, sizeof p->text, json_string_value(text));
        p->json_ok = json_is_integer(id) && json_is_string(to) && json_is_string(store) &&
                     json_is_string(text) && json_object_size(o) == 4;
    }
    json_decref(o);
}

static void record(struct sms_sink *s, const struct sms_post *p)
{
    pthread_mutex_lock(&s->lock);
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct sms_post *grown = realloc(s->posts, cap * sizeof *grown);
        if (!grown) {
            pthread_mutex_unlock(&s->lock);
            return;
        }
        s->posts = grown, s->cap = cap;
    }
    s->posts[s->count++] = *p;
    pthread_mutex_unlock(&s->lock);
}

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, const char *body)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)url, (void)version;
    struct sms_sink *s = cls;
    struct upload *u = *con_cls;
    if (!u) {
        u = calloc(1, sizeof *u);
        if (!u)
            return MHD_NO;
        *con_cls = u;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (u->len + *upload_data_size > SINK_MAX_BODY) {
            u->too_big = true;
        } else {
            char *grown = realloc(u->data, u->len + *upload_data_size + 1);
            if (!grown)
                return MHD_NO;
            memcpy(grown + u->len, upload_data, *upload_data_size);
            u->data = grown;
            u->len += *upload_data_size;
            u->data[u->len] = '\0';
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (strcmp(method, "POST") != 0)
        return answer(c, 405, "{\"error\":\"POST only\"}");
    if (u->too_big)
        return answer(c, 413, "{\"error\":\"too big\"}");

    struct sms_post *p = malloc(sizeof *p);
    if (!p)
        return MHD_NO;
    parse_post(s, c, u, p);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    p->arrived = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
    pthread_mutex_lock(&s->lock);
    /* As a real gateway would: a bad signature is 401, a bad body 400. */
    p->status = !p->signature_ok ? 401 : !p->json_ok ? 400 : 200;
    if (s->fail_left > 0) {
        s->fail_left--;
        p->status = s->fail_status;
    }
    pthread_mutex_unlock(&s->lock);
    int status = p->status;
    record(s, p);
    free(p);

    pthread_mutex_lock(&s->lock);
    if (s->hold_left > 0) {
        s->hold_left--;
        s->held_total++;
        s->waiting++;
        pthread_cond_broadcast(&s->changed);
        while (s->released == 0 && !atomic_load(&s->stopping))
            pthread_cond_wait(&s->changed, &s->lock);
        if (s->released > 0)
            s->released--;
        s->waiting--;
    }
    pthread_mutex_unlock(&s->lock);

    for (int waited = 0; waited < atomic_load(&s->delay_ms) && !atomic_load(&s->stopping);
         waited += 10) {
        struct timespec t = {0, 10 * 1000000L};
        nanosleep(&t, NULL);
    }
    return answer(c, (unsigned)status, status < 300 ? "{\"ok\":true}" : "{\"error\":\"sink\"}");
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)c, (void)toe;
    struct upload *u = *con_cls;
    if (u) {
        free(u->data);
        free(u);
        *con_cls = NULL;
    }
}

struct sms_sink *sms_sink_start(const char *secret)
{
    struct sms_sink *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    copy_str(s->secret, sizeof s->secret, secret);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->changed, NULL);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = 0;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->daemon = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC, 0, NULL,
        NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
    const union MHD_DaemonInfo *info =
        s->daemon ? MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    if (!info || info->port == 0) {
        sms_sink_stop(s);
        return NULL;
    }
    s->port = info->port;
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d/sms", s->port);
    return s;
}

int sms_sink_port(const struct sms_sink *s)
{
    return s->port;
}

const char *sms_sink_url(const struct sms_sink *s)
{
    return s->url;
}

void sms_sink_stop(struct sms_sink *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    atomic_store(&s->stopping, true);
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    pthread_cond_destroy(&s->changed);
    pthread_mutex_destroy(&s->lock);
    free(s->posts);
    free(s);
}

size_t sms_sink_count(struct sms_sink *s)
{
    pthread_mutex_lock(&s->lock);
    size_t n = s->count;
    pthread_mutex_unlock(&s->lock);
    return n;
}

bool sms_sink_get(struct sms_sink *s, size_t i, struct sms_post *out)
{
    pthread_mutex_lock(&s->lock);
    bool ok = i < s->count;
    if (ok)
        *out = s->posts[i];
    pthread_mutex_unlock(&s->lock);
    return ok;
}

size_t sms_sink_delivered(struct sms_sink *s)
{
    pthread_mutex_lock(&s->lock);
    size_t n = 0;
    for (size_t i = 0; i < s->count; i++)
        n += s->posts[i].status >= 200 && s->posts[i].status < 300 && s->posts[i].signature_ok;
    pthread_mutex_unlock(&s->lock);
    return n;
}

void sms_sink_clear(struct sms_sink *s)
{
    pthread_mutex_lock(&s->lock);
    s->count = 0;
    pthread_mutex_unlock(&s->lock);
}

void sms_sink_fail_next(struct sms_sink *s, int n, int status)
{
    pthread_mutex_lock(&s->lock);
    s->fail_left = n;
    s->fail_status = status;
    pthread_mutex_unlock(&s->lock);
}

void sms_sink_delay_ms(struct sms_sink *s, int ms)
{
    atomic_store(&s->delay_ms, ms);
}

void sms_sink_hold_next(struct sms_sink *s, int n)
{
    pthread_mutex_lock(&s->lock);
    s->hold_left = n;
    pthread_mutex_unlock(&s->lock);
}

size_t sms_sink_wait_held(struct sms_sink *s, size_t k, int timeout_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L)
        until.tv_sec++, until.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&s->lock);
    while (s->held_total < k) {
        if (pthread_cond_timedwait(&s->changed, &s->lock, &until) != 0)
            break;
    }
    size_t n = s->held_total;
    pthread_mutex_unlock(&s->lock);
    return n;
}

void sms_sink_release(struct sms_sink *s, int n)
{
    pthread_mutex_lock(&s->lock);
    /* Only the ones waiting now: no credit for requests still to come. */
    s->released = s->released + n < s->waiting ? s->released + n : s->waiting;
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
}
