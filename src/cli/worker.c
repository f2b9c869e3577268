/* The background work of dms serve: every worker_interval_ms it sends what the outbox holds
 * (notify/dispatch.c) and, for each store whose local time has reached its generate_at and
 * whose day has not been generated yet, runs the morning generation (MR-2); and it queues the
 * appointment reminders that fall due (IN-16), the no-shows (RO-9) and the overdue
 * complaints' escalation (CS-6). It has its own
 * database connection and never blocks the HTTP threads. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/tasks.h"
#include "core/tz.h"
#include "notify/dispatch.h"
#include "store/classify.h"
#include "store/settings.h"
#include "store/stores.h"
#include "store/tasks.h"
#include "store/zones.h"

struct worker {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
    struct db *db;
    struct dispatch_config dc;
    int interval_ms;
    bool morning_run, reminders, no_shows, complaints;
    bool db_down; /* keep_connected() said so already */
};

static int64_t local_seconds(const char *zone, int64_t utc)
{
    return tz_to_local(zones_get(zone), utc);
}

void cli_dispatch_config(const struct cli *c, struct dispatch_config *out)
{
    memset(out, 0, sizeof *out);
    out->smtp.host = c->smtp_host;
    out->smtp.port = c->smtp_port;
    out->smtp.starttls = c->smtp_starttls;
    out->smtp.user = c->smtp_user;
    out->smtp.password = c->smtp_password;
    out->smtp.from = c->smtp_from;
    out->sms.url = c->sms_url;
    out->sms.secret = c->sms_secret;
    out->lease_s = c->outbox_lease_s;
    out->local_seconds = local_seconds;
}

/* The morning run of one store, once per local day (generation_runs remembers it). */
static int morning(void *ctx, struct db *db, const struct store_info *s)
{
    (void)ctx;
    struct actor a;
    cli_store_actor(&a, s);
    a.username = "scheduler";
    struct dms_error err = {0};
    struct store_settings st;
    if (settings_get(db, s->id, &st, &err) < 0 || a.now_min < st.generate_at ||
        tasks_generated(db, &a, a.today, &err) != 0)
        return 0;
    char today[DATE_STR];
    date_format(a.today, today);
    struct generate_counts c;
    if (db_begin(db, true) < 0 || tasks_generate(db, &a, a.today, &c, &err) < 0 ||
        db_commit(db) < 0) {
        db_rollback(db);
        fprintf(stderr, "dms: morning run of %s %s failed: %s\n", s->code, today, err.message);
        return 0;
    }
    int64_t n = c.expired;
    for (int i = 0; i < TASK_TYPE_COUNT; i++)
        n += c.created[i];
    fprintf(stderr, "dms: morning run of %s %s: %lld tasks, %lld messages\n", s->code, today,
            (long long)(n - c.expired), (long long)c.messages);
    return 0;
}

/* CRM-2: the night's classification pass of one store, from 02:00 local (or the first pass
 * after, when the server was down), once per store and day: the claim in classify_runs lets
 * one of several `dms serve` sharing the database run it. */
#define CLASSIFY_AT_MIN 120
static int classify_night(void *ctx, struct db *db, const struct store_info *s)
{
    (void)ctx;
    struct actor a;
    cli_store_actor(&a, s);
    a.username = "classify";
    if (a.now_min < CLASSIFY_AT_MIN)
        return 0;
    struct dms_error err = {0};
    struct classify_result res;
    int rc = -1;
    if (db_begin(db, true) < 0 ||
        (rc = classify_store(db, &a, a.today, CLASSIFY_NIGHTLY, &res, &err)) < 0 ||
        db_commit(db) < 0) {
        db_rollback(db);
        fprintf(stderr, "dms: classification of %s failed: %s\n", s->code, err.message);
        return 0;
    }
    if (rc > 0)
        fprintf(stderr, "dms: classification of %s: %d customers, %d changed\n", s->code,
                res.examined, res.changed);
    return 0;
}

/* IN-16: the reminders of one store's bookings that fall due now. */
static int remind(void *ctx, struct db *db, const struct store_info *s)
{
    (void)ctx;
    struct dms_error err = {0};
    int queued = 0;
    if (cli_remind(db, s, &queued, &err) < 0)
        fprintf(stderr, "dms: reminders of %s failed: %s\n", s->code, err.message);
    return 0;
}

/* RO-9: the store's bookings missed by now, and the parts of old no-shows. */
static int no_shows(void *ctx, struct db *db, const struct store_info *s)
{
    (void)ctx;
    struct dms_error err = {0};
    int marked = 0, released = 0;
    if (cli_no_shows(db, s, &marked, &released, &err) < 0)
        fprintf(stderr, "dms: no-shows of %s failed: %s\n", s->code, err.message);
    else if (marked || released)
        fprintf(stderr, "dms: %s: %d no-show(s), parts of %d released\n", s->code, marked,
                released);
    return 0;
}

/* CS-6: the store's complaints late to acknowledge or to resolve go to the service manager,
 * once per cause (however many dms serve processes run this pass at once). */
static int complaints(void *ctx, struct db *db, const struct store_info *s)
{
    (void)ctx;
    struct dms_error err = {0};
    int n = 0;
    if (cli_escalate_complaints(db, s, &n, &err) < 0)
        fprintf(stderr, "dms: complaints of %s failed: %s\n", s->code, err.message);
    else if (n)
        fprintf(stderr, "dms: %s: %d complaint escalation(s)\n", s->code, n);
    return 0;
}

/* After a database restart the worker's connection is dead and the statement that found
 * out failed; it is opened again before the next step, so the pass goes on (issue 11,
 * defect 5). Every step is a transaction of its own and safe to run again next pass. */
static void keep_connected(struct worker *w)
{
    if (!db_lost(w->db))
        return;
    bool ok = db_reconnect(w->db) == 0;
    if (ok)
        fprintf(stderr, "dms: worker: connected to the database again\n");
    else if (!w->db_down)
        fprintf(stderr, "dms: worker: the database is unreachable: %s\n", db_errmsg(w->db));
    w->db_down = !ok;
}

static void *run(void *arg)
{
    struct worker *w = arg;
    pthread_mutex_lock(&w->lock);
    while (!w->stop) {
        pthread_mutex_unlock(&w->lock);
        keep_connected(w);
        if (w->morning_run)
            cli_each_store(w->db, NULL, morning, NULL);
        keep_connected(w);
        if (w->morning_run)
            cli_each_store(w->db, NULL, classify_night, NULL);
        keep_connected(w);
        if (w->reminders)
            cli_each_store(w->db, NULL, remind, NULL);
        keep_connected(w);
        if (w->no_shows)
            cli_each_store(w->db, NULL, no_shows, NULL);
        keep_connected(w);
        if (w->complaints)
            cli_each_store(w->db, NULL, complaints, NULL);
        keep_connected(w);
        struct dispatch_stats st;
        struct dms_error err = {0};
        /* At most 1,000 messages a pass, so that the morning run and the reminders get their
         * turn during a long backlog. */
        if (dispatch_run(w->db, &w->dc, 1000, &st, &err) < 0)
            fprintf(stderr, "dms: outbox: %s\n", err.message);
        pthread_mutex_lock(&w->lock);
        if (w->stop)
            break;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += w->interval_ms / 1000;
        until.tv_nsec += (long)(w->interval_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L)
            until.tv_sec++, until.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&w->wake, &w->lock, &until);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

struct worker *worker_start(const struct cli *c, struct dms_error *err)
{
    struct worker *w = calloc(1, sizeof *w);
    if (!w) {
        dms_fail(err, "internal", NULL, "out of memory");
        return NULL;
    }
    if (db_open(c->db_url, &w->db, err) < 0) {
        free(w);
        return NULL;
    }
    cli_dispatch_config(c, &w->dc);
    w->interval_ms = c->worker_interval_ms;
    w->morning_run = c->morning_run;
    w->reminders = c->appointment_reminders;
    w->no_shows = c->no_shows;
    w->complaints = c->complaint_escalation;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (pthread_create(&w->thread, NULL, run, w) != 0) {
        db_close(w->db);
        free(w);
        dms_fail(err, "internal", NULL, "cannot start the worker thread");
        return NULL;
    }
    return w;
}

void worker_stop(struct worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    db_close(w->db);
    free(w);
}
