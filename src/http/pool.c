/* A fixed-size pool of database connections. Connections open lazily; a request waits
 * (bounded) when all are in use rather than opening more than the database should take. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/http.h"

struct pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *url;
    int size;
    struct db **conns;
    bool *used;
};

struct pool *pool_new(const char *url, int size)
{
    struct pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->url = strdup(url);
    p->size = size;
    p->conns = calloc((size_t)size, sizeof *p->conns);
    p->used = calloc((size_t)size, sizeof *p->used);
    if (!p->url || !p->conns || !p->used) {
        pool_free(p);
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    return p;
}

void pool_free(struct pool *p)
{
    if (!p)
        return;
    for (int i = 0; p->conns && i < p->size; i++)
        db_close(p->conns[i]);
    free(p->conns);
    free(p->used);
    free(p->url);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p);
}

struct db *pool_acquire(struct pool *p, int timeout_ms, struct dms_error *err)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L)
        deadline.tv_sec++, deadline.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        /* Prefer an open idle connection, else a slot to open one in. */
        int slot = -1;
        for (int i = 0; i < p->size; i++) {
            if (!p->used[i] && p->conns[i]) {
                slot = i;
                break;
            }
            if (!p->used[i] && slot < 0)
                slot = i;
        }
        if (slot >= 0) {
            p->used[slot] = true;
            struct db *db = p->conns[slot];
            pthread_mutex_unlock(&p->mu);
            if (!db) {
                /* Opened outside the lock: a PostgreSQL connect takes milliseconds. */
                if (db_open(p->url, &db, err) < 0) {
                    pthread_mutex_lock(&p->mu);
                    p->used[slot] = false;
                    pthread_cond_signal(&p->cv);
                    pthread_mutex_unlock(&p->mu);
                    return NULL;
                }
                pthread_mutex_lock(&p->mu);
                p->conns[slot] = db;
                pthread_mutex_unlock(&p->mu);
            }
            return db;
        }
        if (pthread_cond_timedwait(&p->cv, &p->mu, &deadline) == ETIMEDOUT) {
            pthread_mutex_unlock(&p->mu);
            dms_fail(err, "busy", NULL, "the server is busy; try again");
            return NULL;
        }
    }
}

void pool_release(struct pool *p, struct db *db)
{
    pthread_mutex_lock(&p->mu);
    for (int i = 0; i < p->size; i++) {
        if (p->conns[i] == db) {
            p->used[i] = false;
            break;
        }
    }
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}
