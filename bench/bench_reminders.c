/* bench_reminders: how long the maintenance schedule (MR-1) and the morning's call lists
 * (MR-2..MR-6, CS-1..CS-4, CS-8) take on a large archive, such as the one dms-gen makes.
 *
 *   bench_reminders --db URL [--store CODE|all] [--date YYYY-MM-DD] [--days K] [--repeat R]
 *
 * 1. Recompute: schedule_recompute() over every vehicle id of each store (of --store when
 *    given, else of every store), one committed transaction per store, as `dms schedule
 *    recompute` does after a plan change; seconds and vehicles per second per store and in
 *    all.
 * 2. Day generation: tasks_generate() for K consecutive days from --date (default: the K
 *    days up to the day after the newest repair order, dms-gen's next morning, so that each
 *    has repairs of 3 days before to follow up) for --store (default G1,
 *    or every store when there is no G1), each day in a transaction that is rolled back,
 *    so every run does the same work: seconds and what was generated, then min / median /
 *    max; each day twice: after the previous day's run (made first in the same
 *    transaction, untimed: the steady state), and as the first run ever (MR-2's catch-up
 *    takes every car due within the 13 days at once). Then the first day of the next month on its
 * own, the morning the first- maintenance (CS-3) and lost-customer (CS-4) lists are made: once as
 * the first run ever (every lapsed car of the archive at once), once with the previous month's
 * lists generated first in the same transaction (untimed), as every month after.
 * --repeat R runs every measurement R times; --no-recompute skips part 1. Prints plain lines for
 * the README. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/tasks.h"
#include "store/migrate.h"
#include "store/plans.h"
#include "store/store.h"
#include "store/stores.h"
#include "store/tasks.h"

#define MAX_STORES   256
#define LOCAL_OFFSET (8 * 3600) /* Asia/Shanghai, seconds east of UTC */
#define MORNING      (7 * 60)   /* minutes: the morning run (store_settings.generate_at) */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* 1234567 -> "1,234,567" */
static const char *thousands(int64_t v, char out[32])
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%" PRId64, v < 0 ? -v : v);
    size_t o = 0;
    if (v < 0)
        out[o++] = '-';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    return out;
}

struct bench_store {
    struct store_info info;
    int64_t vehicles;
};

struct stores {
    struct bench_store s[MAX_STORES];
    int n;
};

static int add_store(void *ctx, const struct store_info *s)
{
    struct stores *all = ctx;
    if (all->n < MAX_STORES)
        all->s[all->n++].info = *s;
    return 0;
}

static void actor_for(struct actor *a, int64_t store_id, dms_day day)
{
    memset(a, 0, sizeof *a);
    a->store_id = store_id;
    a->role = ROLE_ADMIN;
    a->username = "cli";
    /* The store's morning run of `day`. */
    a->now = (int64_t)day * 86400 + MORNING * 60 - LOCAL_OFFSET;
    a->today = day;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Forgets the selected stores' schedules (untimed), so the next recompute writes every
 * vehicle, as after a plan change that moves them all or an upgrade to schema 2. */
static int forget(struct db *db, struct bench_store **sel, int n)
{
    if (db_begin(db, true) < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        if (db_exec(db,
                    "UPDATE vehicles SET plan_id = NULL, next_due_date = NULL, next_due_km = NULL, "
                    "next_basis = NULL, last_service_date = NULL, last_service_km = NULL, "
                    "last_visit_date = NULL WHERE store_id = ?",
                    "i", sel[i]->info.id) < 0) {
            db_rollback(db);
            return -1;
        }
    }
    return db_commit(db) < 0 ? -1 : 0;
}

static int recompute(struct db *db, struct bench_store **sel, int n, dms_day today, int repeat)
{
    printf("recompute: schedule_recompute over every vehicle id, one committed transaction "
           "per store; first every vehicle written, then again with nothing to write\n");
    if (forget(db, sel, n) < 0) {
        fprintf(stderr, "bench_reminders: %s\n", db_errmsg(db));
        return -1;
    }
    for (int rep = 0; rep < repeat + 1; rep++) {
        double total = 0;
        int64_t vehicles = 0, moved = 0;
        char a1[32], a2[32], a3[32];
        for (int i = 0; i < n; i++) {
            struct actor a;
            actor_for(&a, sel[i]->info.id, today);
            a.now = (int64_t)time(NULL);
            struct dms_error err = {0};
            int64_t changed = 0;
            double t0 = now_s();
            if (db_begin(db, true) < 0 ||
                schedule_recompute(db, &a, 1, INT64_MAX, &changed, &err) < 0 || db_commit(db) < 0) {
                db_rollback(db);
                fprintf(stderr, "bench_reminders: recompute %s: %s %s\n", sel[i]->info.code,
                        err.message, db_errmsg(db));
                return -1;
            }
            double dt = now_s() - t0;
            total += dt;
            vehicles += sel[i]->vehicles;
            moved += changed;
            printf("  %-6s %12s vehicles %8.2f s %10.0f vehicles/s (%s changed)\n",
                   sel[i]->info.code, thousands(sel[i]->vehicles, a1), dt,
                   dt > 0 ? (double)sel[i]->vehicles / dt : 0.0, thousands(changed, a2));
        }
        if (n > 1)
            printf("  %-6s %12s vehicles %8.2f s %10.0f vehicles/s (%s changed)\n", "all",
                   thousands(vehicles, a1), total, total > 0 ? (double)vehicles / total : 0.0,
                   thousands(moved, a3));
        fflush(stdout);
    }
    return 0;
}

/* One morning's generation for each selected store, rolled back; the time of all of them.
 * before (0: none): a morning generated first in the same transaction, not timed. */
static int generate_day(struct db *db, struct bench_store **sel, int n, dms_day day, dms_day before,
                        const char *label, double *seconds)
{
    static const char *const WEEKDAYS[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    char date[DATE_STR];
    date_format(day, date);
    *seconds = 0;
    for (int i = 0; i < n; i++) {
        struct actor a;
        actor_for(&a, sel[i]->info.id, day);
        struct generate_counts c;
        memset(&c, 0, sizeof c);
        struct dms_error err = {0};
        if (db_begin(db, true) < 0) {
            fprintf(stderr, "bench_reminders: begin: %s\n", db_errmsg(db));
            return -1;
        }
        if (before) {
            struct actor earlier;
            actor_for(&earlier, sel[i]->info.id, before);
            if (tasks_generate(db, &earlier, before, &c, &err) < 0) {
                db_rollback(db);
                fprintf(stderr, "bench_reminders: tasks_generate %s: %s %s\n", sel[i]->info.code,
                        err.message, db_errmsg(db));
                return -1;
            }
        }
        double t0 = now_s();
        if (tasks_generate(db, &a, day, &c, &err) < 0) {
            db_rollback(db);
            fprintf(stderr, "bench_reminders: tasks_generate %s %s: %s %s\n", sel[i]->info.code,
                    date, err.message, db_errmsg(db));
            return -1;
        }
        double dt = now_s() - t0;
        db_rollback(db);
        *seconds += dt;
        char line[1024], num[32];
        size_t used = 0;
        line[0] = '\0';
        for (int t = 0; t < TASK_TYPE_COUNT; t++) {
            if (c.created[t] == 0)
                continue;
            int w = snprintf(line + used, sizeof line - used, "%s %s, ", TASK_TYPE_NAMES[t],
                             thousands(c.created[t], num));
            if (w < 0 || (size_t)w >= sizeof line - used)
                break;
            used += (size_t)w;
        }
        int w =
            snprintf(line + used, sizeof line - used, "messages %s, ", thousands(c.messages, num));
        if (w > 0 && (size_t)w < sizeof line - used)
            used += (size_t)w;
        snprintf(line + used, sizeof line - used, "expired %s", thousands(c.expired, num));
        printf("  %s%s %s %-6s %7.3f s  %s\n", label, date, WEEKDAYS[date_weekday(day)],
               sel[i]->info.code, dt, line);
    }
    fflush(stdout);
    return 0;
}

static void print_spread(const char *what, double *t, size_t runs, int days, int repeat, int n)
{
    qsort(t, runs, sizeof *t, cmp_double);
    printf("  %s, %d day%s x %d: min %.3f s, median %.3f s, max %.3f s%s\n", what, days,
           days == 1 ? "" : "s", repeat, t[0], t[runs / 2], t[runs - 1],
           n > 1 ? " (all selected stores)" : "");
}

static int generate(struct db *db, struct bench_store **sel, int n, dms_day first, int days,
                    int repeat)
{
    printf("day generation: tasks_generate, each day in a transaction rolled back afterwards\n");
    /* MR-2: a day after yesterday's run (the steady state: the cars newly in the windows),
     * and the same day as the first run ever (every car due within 13 days is caught up). */
    size_t runs = (size_t)days * (size_t)repeat;
    double *t = calloc(runs, sizeof *t), *first_ever = calloc(runs, sizeof *first_ever);
    if (!t || !first_ever) {
        free(t);
        free(first_ever);
        return -1;
    }
    size_t k = 0;
    for (int d = 0; d < days; d++) {
        for (int rep = 0; rep < repeat; rep++, k++) {
            if (generate_day(db, sel, n, first + d, first + d - 1, "after yesterday's ", &t[k]) <
                    0 ||
                generate_day(db, sel, n, first + d, 0, "first run ever    ", &first_ever[k]) < 0) {
                free(t);
                free(first_ever);
                return -1;
            }
        }
    }
    print_spread("after yesterday's run", t, runs, days, repeat, n);
    print_spread("first run ever (catch-up of 13 days)", first_ever, runs, days, repeat, n);
    free(t);
    free(first_ever);
    /* CS-3, CS-4: the lists made on the 1st of the month: the first time ever (every lapsed
     * car of the archive), then as every month after, with last month's lists in place. */
    int y, m, dd;
    date_to_ymd(first, &y, &m, &dd);
    dms_day month_start = dd == 1 ? first : date_add_months(date_from_ymd(y, m, 1), 1);
    for (int rep = 0; rep < repeat; rep++) {
        double s;
        if (generate_day(db, sel, n, month_start, 0, "month start, first run ", &s) < 0 ||
            generate_day(db, sel, n, month_start, date_add_months(month_start, -1),
                         "month start, after last month's ", &s) < 0)
            return -1;
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: bench_reminders --db URL [--store CODE|all (G1)] [--date YYYY-MM-DD]\n"
               "                       [--days K (5)] [--repeat R (1)] [--no-recompute]\n");
}

int main(int argc, char **argv)
{
    const char *url = NULL, *store = NULL, *date = NULL;
    int days = 5, repeat = 1;
    bool no_recompute = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(a, "--no-recompute") == 0) {
            no_recompute = true;
            continue;
        }
        if (!v) {
            usage(stderr);
            return 2;
        }
        if (strcmp(a, "--db") == 0)
            url = v;
        else if (strcmp(a, "--store") == 0)
            store = v;
        else if (strcmp(a, "--date") == 0)
            date = v;
        else if (strcmp(a, "--days") == 0)
            days = atoi(v);
        else if (strcmp(a, "--repeat") == 0)
            repeat = atoi(v);
        else {
            usage(stderr);
            return 2;
        }
        i++;
    }
    if (!url || days < 1 || days > 366 || repeat < 1 || repeat > 100) {
        usage(stderr);
        return 2;
    }
    struct db *db = NULL;
    struct dms_error err = {0};
    struct stores *all = calloc(1, sizeof *all);
    struct bench_store *sel_gen[MAX_STORES], *sel_rec[MAX_STORES];
    int n_gen = 0, n_rec = 0, rc = 1;
    if (!all)
        return 1;
    if (db_open(url, &db, &err) < 0 || store_migrate(db, NULL, &err) < 0 ||
        stores_each(db, add_store, all, &err) < 0) {
        fprintf(stderr, "bench_reminders: %s\n", err.message);
        goto out;
    }
    for (int i = 0; i < all->n; i++) {
        struct bench_store *s = &all->s[i];
        if (db_query_int(db, &s->vehicles, "SELECT COUNT(*) FROM vehicles WHERE store_id = ?", "i",
                         s->info.id) < 0) {
            fprintf(stderr, "bench_reminders: %s\n", db_errmsg(db));
            goto out;
        }
        bool every = store && strcmp(store, "all") == 0;
        bool named = store && strcmp(store, s->info.code) == 0;
        if (every || named || !store)
            sel_rec[n_rec++] = s;
        if (every || named || (!store && strcmp(s->info.code, "G1") == 0))
            sel_gen[n_gen++] = s;
    }
    if (!store && n_gen == 0) /* no G1: every store */
        for (int i = 0; i < all->n; i++)
            sel_gen[n_gen++] = &all->s[i];
    if (n_gen == 0) {
        fprintf(stderr, "bench_reminders: no store %s\n", store ? store : "in the database");
        goto out;
    }
    dms_day first;
    if (date) {
        if (date_parse(date, &first, "date", &err) < 0) {
            fprintf(stderr, "bench_reminders: --date: %s\n", err.message);
            goto out;
        }
    } else {
        struct db_res *res;
        char newest[DATE_STR] = "";
        if (db_query(db, &res, "SELECT MAX(date_in) FROM service_records", "") < 0) {
            fprintf(stderr, "bench_reminders: %s\n", db_errmsg(db));
            goto out;
        }
        if (db_step(res) > 0)
            snprintf(newest, sizeof newest, "%s", db_text(res, 0));
        db_done(res);
        /* The K days up to dms-gen's next morning, so that each has its follow-ups (CS-1:
         * repairs done 3 days before). */
        if (date_parse(newest, &first, "date", &err) == 0)
            first += 2 - days;
        else
            first = date_of_local_seconds((int64_t)time(NULL) + LOCAL_OFFSET);
    }
    int64_t vehicles = 0;
    for (int i = 0; i < all->n; i++)
        vehicles += all->s[i].vehicles;
    char num[32], day[DATE_STR];
    date_format(first, day);
    printf("bench_reminders: %s, %d stores, %s vehicles; first day %s\n",
           db_kind(db) == DB_SQLITE ? "sqlite" : "postgres", all->n, thousands(vehicles, num), day);
    if ((!no_recompute && recompute(db, sel_rec, n_rec, first - 1, repeat) < 0) ||
        generate(db, sel_gen, n_gen, first, days, repeat) < 0)
        goto out;
    rc = 0;
out:
    db_close(db);
    free(all);
    return rc;
}
