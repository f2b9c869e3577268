/* bench_classify: how long the nightly classification (CRM-2) takes on a large archive, such as
 * the one dms-gen makes, next to a baseline measured in the same run.
 *
 *   bench_classify --db URL [--date YYYY-MM-DD] [--repeat R]
 *
 * For store G1 (or the first store) and then for every store in turn:
 * - baseline: one read of every row the pass aggregates (the store's service records and
 *   repair orders, counted and summed) and of its customers: what any set-based pass must read;
 * - first pass: classify_store() when every customer's class is still the default "regular"
 *   (as after the upgrade to the rules): most customers are written, each with its audit row;
 *   rolled back, so every repetition does the same work;
 * - nightly pass: the same after the first pass was committed (once, untimed, on a copy of the
 *   classes kept in the same transaction): the steady state, where only the few customers whose
 *   class moved since last night are written; rolled back.
 * --date (default: the day after the newest repair order, dms-gen's next morning); --repeat R
 * runs every measurement R times (min / median / max printed). Prints plain lines. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/classify.h"
#include "store/migrate.h"
#include "store/store.h"
#include "store/stores.h"

#define MAX_STORES   256
#define LOCAL_OFFSET (8 * 3600) /* Asia/Shanghai, seconds east of UTC */
#define NIGHT        (2 * 60)   /* minutes: the nightly pass (worker.c CLASSIFY_AT_MIN) */
#define MAX_REPEAT   20

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct stores {
    struct store_info s[MAX_STORES];
    int64_t customers[MAX_STORES];
    int n;
};

static int add_store(void *ctx, const struct store_info *s)
{
    struct stores *all = ctx;
    if (all->n < MAX_STORES)
        all->s[all->n++] = *s;
    return 0;
}

static void actor_for(struct actor *a, int64_t store_id, dms_day day)
{
    memset(a, 0, sizeof *a);
    a->store_id = store_id;
    a->role = ROLE_ADMIN;
    a->username = "bench";
    a->now = (int64_t)day * 86400 + NIGHT * 60 - LOCAL_OFFSET;
    a->today = day;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void stats(const char *what, const double *t, int n, const char *extra)
{
    double s[MAX_REPEAT];
    memcpy(s, t, (size_t)n * sizeof *t);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    printf("  %-34s min %8.3f s  median %8.3f s  max %8.3f s%s\n", what, s[0], s[n / 2], s[n - 1],
           extra);
}

/* The baseline: every row the pass aggregates, read once. */
static int baseline(struct db *db, int64_t store, double *dt)
{
    double t0 = now_s();
    int64_t x;
    if (db_query_int(db, &x,
                     "SELECT COUNT(*) + SUM(total_fen) FROM service_records WHERE store_id = ?",
                     "i", store) < 0 ||
        db_query_int(db, &x,
                     "SELECT COUNT(*) + SUM(COALESCE(amount_due_fen, 0)) FROM repair_orders "
                     "WHERE store_id = ?",
                     "i", store) < 0 ||
        db_query_int(db, &x,
                     "SELECT COUNT(*) + SUM(LENGTH(classification)) FROM customers "
                     "WHERE store_id = ?",
                     "i", store) < 0)
        return -1;
    *dt = now_s() - t0;
    return 0;
}

/* One pass, in a transaction rolled back, after an untimed set-up in the same transaction:
 * every class back to regular, and with settled the first pass applied. */
static int pass(struct db *db, int64_t store, dms_day day, bool settled, double *dt,
                struct classify_result *res)
{
    struct actor a;
    actor_for(&a, store, day);
    struct dms_error err = {0};
    if (db_begin(db, true) < 0)
        return -1;
    if (db_exec(db,
                "UPDATE customers SET classification = 'regular', classification_locked = 0 "
                "WHERE store_id = ?",
                "i", store) < 0)
        goto fail;
    if (settled && classify_store(db, &a, day, CLASSIFY_CLI, res, &err) < 0)
        goto fail;
    double t0 = now_s();
    if (classify_store(db, &a, day, CLASSIFY_CLI, res, &err) < 0)
        goto fail;
    *dt = now_s() - t0;
    db_rollback(db);
    return 0;
fail:
    fprintf(stderr, "bench_classify: %s %s\n", err.message, db_errmsg(db));
    db_rollback(db);
    return -1;
}

static int bench(struct db *db, const struct stores *all, const int *sel, int n, dms_day day,
                 int repeat, const char *label)
{
    double tb[MAX_REPEAT], tf[MAX_REPEAT], tn[MAX_REPEAT];
    int64_t customers = 0, first_changed = 0, night_changed = 0;
    for (int i = 0; i < n; i++)
        customers += all->customers[sel[i]];
    for (int r = 0; r < repeat; r++) {
        tb[r] = tf[r] = tn[r] = 0;
        for (int i = 0; i < n; i++) {
            int64_t id = all->s[sel[i]].id;
            double dt;
            struct classify_result res;
            if (baseline(db, id, &dt) < 0)
                return -1;
            tb[r] += dt;
            if (pass(db, id, day, false, &dt, &res) < 0)
                return -1;
            tf[r] += dt;
            if (r == 0)
                first_changed += res.changed;
            if (pass(db, id, day, true, &dt, &res) < 0)
                return -1;
            tn[r] += dt;
            if (r == 0)
                night_changed += res.changed;
        }
    }
    printf("%s: %" PRId64 " customers\n", label, customers);
    char e1[96], e2[96];
    stats("baseline (read the rows once)", tb, repeat, "");
    snprintf(e1, sizeof e1, "  (%" PRId64 " written)", first_changed);
    stats("first pass (all from regular)", tf, repeat, e1);
    snprintf(e2, sizeof e2, "  (%" PRId64 " written)", night_changed);
    stats("nightly pass (steady state)", tn, repeat, e2);
    fflush(stdout);
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: bench_classify --db URL [--date YYYY-MM-DD] [--repeat R]\n");
}

int main(int argc, char **argv)
{
    const char *url = NULL, *date = NULL;
    int repeat = 3;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (!v) {
            usage(stderr);
            return 2;
        }
        if (strcmp(a, "--db") == 0)
            url = v;
        else if (strcmp(a, "--date") == 0)
            date = v;
        else if (strcmp(a, "--repeat") == 0)
            repeat = atoi(v);
        else {
            usage(stderr);
            return 2;
        }
        i++;
    }
    if (!url || repeat < 1 || repeat > MAX_REPEAT) {
        usage(stderr);
        return 2;
    }
    struct db *db = NULL;
    struct dms_error err = {0};
    struct stores *all = calloc(1, sizeof *all);
    int rc = 1;
    if (!all)
        return 1;
    if (db_open(url, &db, &err) < 0 || store_migrate(db, NULL, &err) < 0 ||
        stores_each(db, add_store, all, &err) < 0) {
        fprintf(stderr, "bench_classify: %s\n", err.message);
        goto out;
    }
    if (all->n == 0) {
        fprintf(stderr, "bench_classify: no store in the database\n");
        goto out;
    }
    int sel_all[MAX_STORES], one = 0;
    for (int i = 0; i < all->n; i++) {
        sel_all[i] = i;
        if (db_query_int(db, &all->customers[i],
                         "SELECT COUNT(*) FROM customers WHERE store_id = ?", "i",
                         all->s[i].id) < 0) {
            fprintf(stderr, "bench_classify: %s\n", db_errmsg(db));
            goto out;
        }
        if (strcmp(all->s[i].code, "G1") == 0)
            one = i;
    }
    dms_day day;
    if (date) {
        if (date_parse(date, &day, "--date", &err) < 0) {
            fprintf(stderr, "bench_classify: %s\n", err.message);
            goto out;
        }
    } else {
        struct db_res *res;
        char newest[DATE_STR] = "";
        if (db_query(db, &res, "SELECT MAX(day) FROM repair_orders", "") >= 0) {
            if (db_step(res) > 0)
                snprintf(newest, sizeof newest, "%s", db_text(res, 0));
            db_done(res);
        }
        if (!newest[0] || date_parse(newest, &day, "day", &err) < 0)
            day = (dms_day)(time(NULL) / 86400);
        else
            day += 1;
    }
    char d[DATE_STR];
    date_format(day, d);
    printf("bench_classify %s, day %s, %d repetition(s), %s\n", url, d, repeat,
           db_kind(db) == DB_POSTGRES ? "PostgreSQL" : "SQLite");
    int sel_one[1] = {one};
    if (bench(db, all, sel_one, 1, day, repeat, all->s[one].code) < 0 ||
        bench(db, all, sel_all, all->n, day, repeat, "all stores") < 0) {
        fprintf(stderr, "bench_classify: %s\n", db_errmsg(db));
        goto out;
    }
    rc = 0;
out:
    db_close(db);
    free(all);
    return rc;
}
