/* bench_search: how fast the booking-call search (IN-3) answers on a large archive.
 *
 *   bench_search [--db URL] [--customers N] [--queries N]
 *
 * Fills a fresh database (default: a temporary SQLite file) with N customers, each with a
 * phone and a vehicle, through the storage interface, then times search_run() for the
 * query kinds an advisor types: the last 4 digits of a phone, the last 5 characters of a
 * plate, a 2-character part of a name, a 6-character VIN suffix. For comparison it times
 * the same "ends with" lookup as a LIKE '%...' scan of the phone table, which is what an
 * unindexed search would do. Prints mean / p50 / p95 / p99 per kind in microseconds. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/phone.h"
#include "core/plate.h"
#include "core/vin.h"
#include "store/customers.h"
#include "store/migrate.h"
#include "store/search.h"
#include "store/store.h"
#include "store/stores.h"
#include "store/vehicles.h"

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next(void)
{
    rng ^= rng >> 12, rng ^= rng << 25, rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1Du;
}

static const char *const SURNAMES[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                       "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
static const char *const GIVEN[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
                                    "勇", "艳", "杰", "涛", "明", "超", "秀", "霞", "平", "刚"};
static const char PLATE_CHARS[] = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, double *t, int n)
{
    qsort(t, (size_t)n, sizeof *t, cmp);
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += t[i];
    printf("%-34s mean %8.1f  p50 %8.1f  p95 %8.1f  p99 %8.1f  us\n", what, sum / n, t[n / 2],
           t[n * 95 / 100], t[n * 99 / 100]);
}

static int fill(struct db *db, struct actor *a, int customers, char (*phones)[PHONE_MAX],
                char (*plates)[PLATE_MAX_BYTES], char (*vins)[VIN_LEN + 1], char (*names)[64])
{
    struct dms_error err = {0};
    if (db_begin(db, true) < 0)
        return -1;
    struct customer *c = calloc(1, sizeof *c);
    for (int i = 0; i < customers; i++) {
        memset(c, 0, sizeof *c);
        snprintf(c->name, sizeof c->name, "%s%s%s", SURNAMES[next() % 20], GIVEN[next() % 20],
                 GIVEN[next() % 20]);
        memcpy(names[i], c->name, strlen(c->name) + 1); /* 3 CJK characters: 9 bytes */
        snprintf(c->phones[0].number, PHONE_MAX, "13%d%08d", 5 + (int)(next() % 5),
                 (int)(next() % 100000000));
        snprintf(phones[i], PHONE_MAX, "%s", c->phones[0].number);
        c->n_phones = 1;
        if (customers_create(db, a, c, &err) < 0) {
            /* A repeated random phone is fine; a repeated VIN or plate is retried below. */
            fprintf(stderr, "customer: %s\n", err.message);
            return -1;
        }
        struct vehicle v;
        memset(&v, 0, sizeof v);
        v.customer_id = c->id;
        snprintf(v.vin, sizeof v.vin, "LFV2A21K0A%07u", (unsigned)i % 10000000u);
        v.vin[8] = vin_check_digit(v.vin);
        v.vin_verified = true;
        char tail[6];
        for (int k = 0; k < 5; k++)
            tail[k] = PLATE_CHARS[next() % (sizeof PLATE_CHARS - 1)];
        tail[5] = '\0';
        snprintf(v.plate, sizeof v.plate, "粤%c%s", 'A' + (int)(i % 6), tail);
        snprintf(v.brand, sizeof v.brand, "大众");
        snprintf(v.model, sizeof v.model, "速腾");
        if (vehicles_create(db, a, &v, 0, &err) < 0) {
            if (strcmp(err.code, "conflict") == 0) {
                i--; /* plate collision: draw again */
                continue;
            }
            fprintf(stderr, "vehicle: %s\n", err.message);
            return -1;
        }
        snprintf(plates[i], PLATE_MAX_BYTES, "%s", v.plate);
        snprintf(vins[i], VIN_LEN + 1, "%s", v.vin);
    }
    free(c);
    return db_commit(db);
}

int main(int argc, char **argv)
{
    const char *url = NULL;
    int customers = 20000, queries = 2000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--db") == 0)
            url = argv[i + 1];
        else if (strcmp(argv[i], "--customers") == 0)
            customers = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--queries") == 0)
            queries = atoi(argv[i + 1]);
    }
    if (sodium_init() < 0 || customers < 1 || queries < 1)
        return 2;
    char path[64] = "";
    char tmp_url[80];
    if (!url) {
        snprintf(path, sizeof path, "/tmp/dms-bench-%d.db", (int)getpid());
        snprintf(tmp_url, sizeof tmp_url, "sqlite:%s", path);
        url = tmp_url;
    }
    struct db *db;
    struct dms_error err = {0};
    if (db_open(url, &db, &err) < 0 || store_migrate(db, NULL, &err) < 0) {
        fprintf(stderr, "bench: %s\n", err.message);
        return 1;
    }
    struct actor a = {.role = ROLE_ADMIN, .username = "bench", .now = (int64_t)time(NULL)};
    a.today = date_of_local_seconds(a.now + 8 * 3600);
    struct store_info s;
    char code[32];
    snprintf(code, sizeof code, "B%d", (int)getpid());
    if (db_begin(db, true) < 0 || stores_add(db, &a, code, "bench", NULL, &s, &err) < 0 ||
        db_commit(db) < 0) {
        fprintf(stderr, "bench: %s\n", err.message);
        return 1;
    }
    a.store_id = s.id;
    char(*phones)[PHONE_MAX] = calloc((size_t)customers, PHONE_MAX);
    char(*plates)[PLATE_MAX_BYTES] = calloc((size_t)customers, PLATE_MAX_BYTES);
    char(*vins)[VIN_LEN + 1] = calloc((size_t)customers, VIN_LEN + 1);
    char(*names)[64] = calloc((size_t)customers, 64);
    double *t = calloc((size_t)queries, sizeof *t);
    double t0 = now_us();
    if (fill(db, &a, customers, phones, plates, vins, names) < 0)
        return 1;
    printf("backend %s, %d customers with a vehicle each, loaded in %.1f s\n",
           db_kind(db) == DB_SQLITE ? "sqlite" : "postgres", customers, (now_us() - t0) / 1e6);

    const char *kinds[] = {"phone, last 4 digits", "plate, last 5 characters", "name, 2 characters",
                           "VIN, last 6 characters"};
    size_t total_hits = 0;
    for (int k = 0; k < 4; k++) {
        for (int q = 0; q < queries; q++) {
            int i = (int)(next() % (uint64_t)customers);
            char query[64];
            if (k == 0)
                snprintf(query, sizeof query, "%s", phones[i] + 7);
            else if (k == 1)
                snprintf(query, sizeof query, "%s", plates[i] + strlen(plates[i]) - 5);
            else if (k == 2)
                snprintf(query, sizeof query, "%.6s", names[i] + 3); /* given name */
            else
                snprintf(query, sizeof query, "%s", vins[i] + 11);
            struct search_hit hits[SEARCH_MAX_HITS];
            size_t n;
            double s0 = now_us();
            if (db_begin(db, false) < 0 || search_run(db, &a, query, hits, &n, &err) < 0) {
                fprintf(stderr, "bench: search %s: %s\n", query, err.message);
                return 1;
            }
            db_commit(db);
            t[q] = now_us() - s0;
            total_hits += n;
        }
        report(kinds[k], t, queries);
    }
    /* What a scan costs: the same "phone ends with" question without the index. */
    int scans = queries < 200 ? queries : 200;
    for (int q = 0; q < scans; q++) {
        int i = (int)(next() % (uint64_t)customers);
        char pattern[32];
        snprintf(pattern, sizeof pattern, "%%%s", phones[i] + 7);
        int64_t count = 0;
        double s0 = now_us();
        db_begin(db, false);
        db_query_int(db, &count,
                     "SELECT COUNT(*) FROM customer_phones WHERE store_id = ? AND number LIKE ?",
                     "is", a.store_id, pattern);
        db_commit(db);
        t[q] = now_us() - s0;
    }
    report("phone, last 4, LIKE scan (no index)", t, scans);
    printf("(%zu hits in all)\n", total_hits);
    db_close(db);
    if (path[0]) {
        char side[80];
        unlink(path);
        snprintf(side, sizeof side, "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path);
        unlink(side);
    }
    free(phones), free(plates), free(vins), free(names), free(t);
    return 0;
}
