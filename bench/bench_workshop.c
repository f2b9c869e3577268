/* bench_workshop: the reception list and the workshop report (RO-8) of the real server on a
 * dealer group's database made by dms-gen (its month of repair orders per store).
 *
 *   bench_workshop --dms PATH/TO/dms --db URL [--store CODE (G1)] [--requests N (50)]
 *
 * Adds a service manager to the store, starts `dms serve` (morning run and reminders off) on
 * the database with its clock at 14:00 of the newest day of the store's repair orders
 * (dms-gen's today: orders in every state), signs in and, from one keep-alive client, sends N of
 * each request after a warm-up: GET /api/v1/me (the baseline: a signed-in request that reads one
 * row), GET /api/v1/reception (today's list), GET /api/v1/reports/workshop?date= (today) and
 * ?month= (the month of today, and the month before). Prints min / p50 / p95 / max latency in ms
 * and the answer's size. */
#include <curl/curl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "store/db.h"

#define LOCAL_OFFSET (8 * 3600) /* Asia/Shanghai */

static char base[64];
static char token[128];

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct buf {
    char *b;
    size_t len;
};

static size_t sink(char *p, size_t s, size_t n, void *u)
{
    struct buf *buf = u;
    size_t add = s * n;
    char *g = realloc(buf->b, buf->len + add + 1);
    if (!g)
        return 0;
    memcpy(g + buf->len, p, add);
    buf->b = g, buf->len += add, g[buf->len] = '\0';
    return add;
}

/* GET path on a reused handle: the status; the body's size in *size. */
static long get(CURL *h, const char *path, size_t *size)
{
    char url[512], auth[200];
    snprintf(url, sizeof url, "%s%s", base, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    struct curl_slist *hdrs = curl_slist_append(NULL, auth);
    struct buf b = {NULL, 0};
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    long status = 0;
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdrs);
    if (size)
        *size = b.len;
    if (status != 200 && b.b)
        fprintf(stderr, "bench_workshop: %s: %ld %.300s\n", path, status, b.b);
    free(b.b);
    return status;
}

static int run(const char *const *argv)
{
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The newest arrival day of the store's repair orders ("" when none). */
static int newest_day(const char *url, const char *store, char out[DATE_STR])
{
    struct db *db;
    struct dms_error err = {0};
    out[0] = '\0';
    if (db_open(url, &db, &err) < 0) {
        fprintf(stderr, "bench_workshop: %s\n", err.message);
        return -1;
    }
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT MAX(o.day) FROM repair_orders o JOIN stores s ON s.id = o.store_id "
                      "WHERE s.code = ?",
                      "s", store);
    if (rc >= 0 && db_step(res) > 0)
        snprintf(out, DATE_STR, "%s", db_text(res, 0));
    if (rc >= 0)
        db_done(res);
    db_close(db);
    return out[0] ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *dms = "./dms", *url = NULL, *store = "G1";
    int n = 50;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--dms"))
            dms = argv[i + 1];
        else if (!strcmp(argv[i], "--db"))
            url = argv[i + 1];
        else if (!strcmp(argv[i], "--store"))
            store = argv[i + 1];
        else if (!strcmp(argv[i], "--requests"))
            n = atoi(argv[i + 1]);
    }
    if (!url || n < 1) {
        fprintf(stderr,
                "usage: bench_workshop --dms PATH --db URL [--store CODE] [--requests N]\n");
        return 2;
    }
    char today[DATE_STR];
    if (newest_day(url, store, today) < 0) {
        fprintf(stderr, "bench_workshop: store %s has no repair orders (run dms-gen)\n", store);
        return 1;
    }
    dms_day day;
    struct dms_error err = {0};
    if (date_parse(today, &day, "day", &err) < 0)
        return 1;
    /* The server's clock: 14:00 of that day, store-local (the test hook of store/clock.h). */
    char clock_file[80], port_file[80], user[48];
    snprintf(clock_file, sizeof clock_file, "/tmp/dms-bench-ws-%d.clock", (int)getpid());
    snprintf(port_file, sizeof port_file, "/tmp/dms-bench-ws-%d.port", (int)getpid());
    snprintf(user, sizeof user, "bench_ws_%d", (int)getpid());
    FILE *f = fopen(clock_file, "w");
    if (!f)
        return 1;
    fprintf(f, "%lld\n", (long long)day * 86400 + 14 * 3600 - LOCAL_OFFSET);
    fclose(f);
    setenv("DMS_TEST_CLOCK_FILE", clock_file, 1);
    setenv("DMS_PASSWORD", "bench-password", 1);
    /* The server only answers: no morning run or reminders writing into the benchmark's
     * database (bench_reminders measures those on it). */
    setenv("DMS_MORNING_RUN", "off", 1);
    setenv("DMS_APPOINTMENT_REMINDERS", "off", 1);
    const char *add[] = {
        dms,       "--db", url, "user", "add", "--username", user, "--role", "service_manager",
        "--store", store,  NULL};
    if (run(add) != 0) {
        fprintf(stderr, "bench_workshop: dms user add failed\n");
        return 1;
    }
    unlink(port_file);
    pid_t server = fork();
    if (server == 0) {
        const char *serve[] = {dms,           "--db",        url,       "serve",   "--listen",
                               "127.0.0.1:0", "--port-file", port_file, "--quiet", NULL};
        execv(dms, (char *const *)serve);
        _exit(127);
    }
    int port = 0;
    for (int i = 0; i < 3000 && port == 0; i++) {
        FILE *p = fopen(port_file, "r");
        if (p) {
            if (fscanf(p, "%d", &port) != 1)
                port = 0;
            fclose(p);
        }
        usleep(10000);
    }
    int rc = 1;
    if (!port) {
        fprintf(stderr, "bench_workshop: server did not start\n");
        goto out;
    }
    snprintf(base, sizeof base, "http://127.0.0.1:%d", port);
    curl_global_init(CURL_GLOBAL_ALL);
    CURL *h = curl_easy_init();
    char login_url[128], login_body[160];
    snprintf(login_url, sizeof login_url, "%s/api/v1/session", base);
    snprintf(login_body, sizeof login_body, "{\"username\":\"%s\",\"password\":\"bench-password\"}",
             user);
    struct buf b = {NULL, 0};
    curl_easy_setopt(h, CURLOPT_URL, login_url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, login_body);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    curl_easy_perform(h);
    json_t *j = json_loads(b.b ? b.b : "", 0, NULL);
    const char *t = json_string_value(json_object_get(j, "token"));
    snprintf(token, sizeof token, "%s", t ? t : "");
    json_decref(j);
    free(b.b);
    curl_easy_reset(h);
    if (!token[0]) {
        fprintf(stderr, "bench_workshop: sign-in failed\n");
        goto out_curl;
    }
    /* The month of today and the one before (dms-gen's month of orders spans both). */
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    char p_month[64], p_prev[64], p_day[64];
    snprintf(p_month, sizeof p_month, "/api/v1/reports/workshop?month=%.7s", today);
    snprintf(p_prev, sizeof p_prev, "/api/v1/reports/workshop?month=%04d-%02d", m == 1 ? y - 1 : y,
             m == 1 ? 12 : m - 1);
    snprintf(p_day, sizeof p_day, "/api/v1/reports/workshop?date=%s", today);
    const char *paths[] = {"/api/v1/me", "/api/v1/reception", p_day, p_month, p_prev};
    printf("server on %s, %s, store %s, today %s 14:00, %d requests each, one keep-alive client\n",
           base, strncmp(url, "sqlite:", 7) == 0 ? "sqlite" : "postgres", store, today, n);
    double *lat = malloc((size_t)n * sizeof *lat);
    rc = lat ? 0 : 1;
    for (size_t k = 0; rc == 0 && k < sizeof paths / sizeof *paths; k++) {
        size_t size = 0;
        for (int i = 0; i < 3 && rc == 0; i++) /* warm-up: caches, prepared statements */
            rc = get(h, paths[k], &size) == 200 ? 0 : 1;
        for (int i = 0; i < n && rc == 0; i++) {
            double t0 = now_s();
            rc = get(h, paths[k], NULL) == 200 ? 0 : 1;
            lat[i] = (now_s() - t0) * 1000;
        }
        if (rc)
            break;
        qsort(lat, (size_t)n, sizeof *lat, cmp);
        printf("%-46s min %7.2f  p50 %7.2f  p95 %7.2f  max %7.2f ms  %8zu bytes\n", paths[k],
               lat[0], lat[n / 2], lat[(n * 95) / 100 < n ? (n * 95) / 100 : n - 1], lat[n - 1],
               size);
    }
    free(lat);
out_curl:
    curl_easy_cleanup(h);
    curl_global_cleanup();
out:
    kill(server, SIGTERM);
    waitpid(server, NULL, 0);
    unlink(port_file);
    unlink(clock_file);
    return rc;
}
