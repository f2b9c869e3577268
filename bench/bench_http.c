/* bench_http: requests per second and latency of the real server over HTTP.
 *
 *   bench_http --dms PATH/TO/dms [--db URL] [--customers N] [--threads N] [--seconds S]
 *
 * Prepares a database (default: a temporary SQLite file) with `dms demo`, starts
 * `dms serve` on a free loopback port, signs in as the demo advisor and then, from N client
 * threads with keep-alive connections, runs for S seconds each of: the vehicle card
 * (GET /api/v1/vehicles/{id}), the booking-call search by the last 4 digits of a plate
 * (GET /api/v1/search), and an odometer reading (POST /api/v1/vehicles/{id}/mileage, a
 * write with its audit row). Prints requests/s and p50/p95/p99 latency per request kind. */
#include <curl/curl.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *dms = "./dms";
static char db_url[256];
static char base[64];
static char token[128];
static int seconds = 5, threads = 4;
static int64_t n_vehicles;
static char (*plates)[40];
static int64_t *ids; /* the store's vehicle ids, as listed */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static size_t sink(char *p, size_t s, size_t n, void *u)
{
    struct {
        char *b;
        size_t len;
    } *buf = u;
    size_t add = s * n;
    char *g = realloc(buf->b, buf->len + add + 1);
    if (!g)
        return 0;
    memcpy(g + buf->len, p, add);
    buf->b = g, buf->len += add, g[buf->len] = '\0';
    return add;
}

/* One request on a reused handle; returns the status and (optionally) the body. */
static long request(CURL *h, const char *method, const char *path, const char *body, char **out)
{
    char url[512], auth[200];
    snprintf(url, sizeof url, "%s%s", base, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    struct curl_slist *hdrs = curl_slist_append(NULL, auth);
    hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
    struct {
        char *b;
        size_t len;
    } buf = {NULL, 0};
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &buf);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    if (!body)
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L), curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
    long status = 0;
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdrs);
    if (out)
        *out = buf.b;
    else
        free(buf.b);
    return status;
}

static int run(const char *const *argv)
{
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", 1);
        dup2(null, 1);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

enum kind { K_CARD, K_SEARCH, K_MILEAGE, K_COUNT };
static const char *const KIND_NAMES[K_COUNT] = {"GET /vehicles/{id}", "GET /search?q=<4 chars>",
                                                "POST /vehicles/{id}/mileage"};

struct worker {
    enum kind kind;
    unsigned seed;
    int index;
    double *lat;
    size_t n, cap;
    long errors;
    int64_t next_km;
};

static void *work(void *p)
{
    struct worker *w = p;
    CURL *h = curl_easy_init();
    double end = now_s() + seconds;
    while (now_s() < end) {
        int64_t idx = (int64_t)(rand_r(&w->seed) % (unsigned)n_vehicles);
        /* Each writer owns the vehicles at index = its own (mod threads), so its readings of
         * a vehicle only count up and the odometer rule never refuses them. */
        if (w->kind == K_MILEAGE) {
            idx = idx - idx % threads + w->index;
            if (idx >= n_vehicles)
                idx = w->index % n_vehicles;
        }
        int64_t id = ids[idx];
        char path[128], body[128];
        const char *b = NULL;
        if (w->kind == K_CARD) {
            snprintf(path, sizeof path, "/api/v1/vehicles/%lld", (long long)id);
        } else if (w->kind == K_SEARCH) {
            char *q = curl_easy_escape(h, plates[idx] + strlen(plates[idx]) - 4, 0);
            snprintf(path, sizeof path, "/api/v1/search?q=%s", q);
            curl_free(q);
        } else {
            /* Readings far above any demo mileage keep the odometer rule satisfied. */
            snprintf(path, sizeof path, "/api/v1/vehicles/%lld/mileage", (long long)id);
            snprintf(body, sizeof body, "{\"km\": %lld}", (long long)(w->next_km++));
            b = body;
        }
        double t0 = now_s();
        long status = request(h, b ? "POST" : "GET", path, b, NULL);
        double dt = now_s() - t0;
        if (status != 200 && status != 201)
            w->errors++;
        if (w->n == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 4096;
            w->lat = realloc(w->lat, w->cap * sizeof *w->lat);
        }
        w->lat[w->n++] = dt * 1e3;
    }
    curl_easy_cleanup(h);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int customers = 1000;
    const char *db_arg = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--dms"))
            dms = argv[i + 1];
        else if (!strcmp(argv[i], "--db"))
            db_arg = argv[i + 1];
        else if (!strcmp(argv[i], "--customers"))
            customers = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--threads"))
            threads = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--seconds"))
            seconds = atoi(argv[i + 1]);
    }
    char path[64] = "";
    if (db_arg) {
        snprintf(db_url, sizeof db_url, "%s", db_arg);
    } else {
        snprintf(path, sizeof path, "/tmp/dms-bench-http-%d.db", (int)getpid());
        snprintf(db_url, sizeof db_url, "sqlite:%s", path);
    }
    char store[32], n_customers[16], port_file[80];
    snprintf(store, sizeof store, "H%d", (int)getpid());
    snprintf(n_customers, sizeof n_customers, "%d", customers);
    snprintf(port_file, sizeof port_file, "/tmp/dms-bench-http-%d.port", (int)getpid());
    const char *demo[] = {dms,   "--db",        db_url,      "demo", "--store",
                          store, "--customers", n_customers, NULL};
    const char *add[] = {dms,     "--db",   db_url,    "user",    "add", "--username",
                         "bench", "--role", "advisor", "--store", store, NULL};
    setenv("DMS_PASSWORD", "bench-password", 1);
    if (run(demo) != 0 || run(add) != 0) {
        fprintf(stderr, "bench_http: preparing the database failed\n");
        return 1;
    }
    unlink(port_file);
    pid_t server = fork();
    if (server == 0) {
        const char *serve[] = {dms,           "--db",        db_url,    "serve",   "--listen",
                               "127.0.0.1:0", "--port-file", port_file, "--quiet", NULL};
        execv(dms, (char *const *)serve);
        _exit(127);
    }
    int port = 0;
    for (int i = 0; i < 500 && port == 0; i++) {
        FILE *f = fopen(port_file, "r");
        if (f) {
            if (fscanf(f, "%d", &port) != 1)
                port = 0;
            fclose(f);
        }
        usleep(10000);
    }
    if (!port) {
        kill(server, SIGKILL);
        fprintf(stderr, "bench_http: server did not start\n");
        return 1;
    }
    snprintf(base, sizeof base, "http://127.0.0.1:%d", port);
    curl_global_init(CURL_GLOBAL_ALL);
    CURL *h = curl_easy_init();
    char *body = NULL;
    char url[128];
    snprintf(url, sizeof url, "%s/api/v1/session", base);
    struct {
        char *b;
        size_t len;
    } buf = {NULL, 0};
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS,
                     "{\"username\":\"bench\",\"password\":\"bench-password\"}");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &buf);
    curl_easy_perform(h);
    json_t *j = json_loads(buf.b ? buf.b : "", 0, NULL);
    snprintf(token, sizeof token, "%s", json_string_value(json_object_get(j, "token")));
    json_decref(j);
    free(buf.b);
    curl_easy_reset(h);
    /* The plates of the store's vehicles, for the search queries. */
    plates = calloc(200000, sizeof *plates);
    ids = calloc(200000, sizeof *ids);
    char cursor[32] = "";
    for (;;) {
        char p[128];
        snprintf(p, sizeof p, "/api/v1/vehicles?limit=200%s%s", cursor[0] ? "&cursor=" : "",
                 cursor);
        if (request(h, "GET", p, NULL, &body) != 200)
            break;
        json_t *page = json_loads(body, 0, NULL);
        free(body);
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(page, "items"), i, v)
        {
            const char *plate = json_string_value(json_object_get(v, "plate"));
            if (n_vehicles < 200000) {
                ids[n_vehicles] = json_integer_value(json_object_get(v, "id"));
                snprintf(plates[n_vehicles++], sizeof plates[0], "%s", plate ? plate : "0000");
            }
        }
        const char *next = json_string_value(json_object_get(page, "next_cursor"));
        snprintf(cursor, sizeof cursor, "%s", next ? next : "");
        json_decref(page);
        if (!next)
            break;
    }
    curl_easy_cleanup(h);
    printf("server on %s, %s, %lld vehicles, %d client threads, %d s per kind\n", base,
           strncmp(db_url, "sqlite:", 7) == 0 ? "sqlite" : "postgres", (long long)n_vehicles,
           threads, seconds);
    for (int k = 0; k < K_COUNT && n_vehicles > 0; k++) {
        struct worker *w = calloc((size_t)threads, sizeof *w);
        pthread_t *t = calloc((size_t)threads, sizeof *t);
        for (int i = 0; i < threads; i++) {
            w[i].kind = (enum kind)k;
            w[i].index = i;
            w[i].seed = (unsigned)(i * 7919 + k);
            w[i].next_km = 1000000;
            pthread_create(&t[i], NULL, work, &w[i]);
        }
        size_t total = 0;
        long errors = 0;
        for (int i = 0; i < threads; i++) {
            pthread_join(t[i], NULL);
            total += w[i].n;
            errors += w[i].errors;
        }
        double *all = malloc(total * sizeof *all);
        size_t o = 0;
        for (int i = 0; i < threads; i++) {
            memcpy(all + o, w[i].lat, w[i].n * sizeof *all);
            o += w[i].n;
            free(w[i].lat);
        }
        qsort(all, total, sizeof *all, cmp);
        printf("%-30s %8.0f req/s  p50 %6.2f  p95 %6.2f  p99 %6.2f ms  errors %ld\n", KIND_NAMES[k],
               (double)total / seconds, all[total / 2], all[total * 95 / 100],
               all[total * 99 / 100], errors);
        free(all), free(w), free(t);
    }
    kill(server, SIGTERM);
    waitpid(server, NULL, 0);
    unlink(port_file);
    if (path[0]) {
        char side[96];
        unlink(path);
        snprintf(side, sizeof side, "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path);
        unlink(side);
    }
    curl_global_cleanup();
    free(plates);
    free(ids);
    return 0;
}
