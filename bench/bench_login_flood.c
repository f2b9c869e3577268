/* bench_login_flood: what a flood of wrong passwords does to the people signed in (issue 11,
 * defect 3).
 *
 *   bench_login_flood --dms PATH/TO/dms [--db URL] [--users N] [--flood N] [--seconds S]
 *
 * Prepares a database (default: a temporary SQLite file; --db postgres://... an empty one),
 * starts `dms serve` trusting 127.0.0.1 as a proxy (so that each flood client can speak for an
 * address of its own through X-Forwarded-For), signs in N users (default 8) who each, in a loop,
 * read a page of customers (GET /api/v1/customers) and add one (POST /api/v1/customers, a write
 * with its audit row), and measures their latency for S seconds (default 10) three times:
 *   baseline   no flood;
 *   one-addr   N flood clients (default 50) posting wrong passwords for one account from one
 *              address, as fast as they are answered (the limits lock both within a second);
 *   botnet     the same clients, every attempt from a new address and for a new name (no limit
 *              ever applies: each attempt is a full argon2id check, the worst case).
 * Prints p50/p99/max of the users' reads and writes and what the flood got (401, 429, 503 ...).
 * Then: 200 wrong passwords in a row for one account, then the right one, and what the client
 * saw. Goal: the users' p99 under 250 ms during a flood. */
#include <curl/curl.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PASSWORD "bench-password-1"

static const char *dms = "./dms";
static char db_url[512], base[64];
static int seconds = 10, n_users = 8, n_flood = 50;
static atomic_bool stop;
static atomic_uint serial = 1;

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

/* One request on a reused (keep-alive) handle: the status; the body into *out when asked. */
static long request(CURL *h, const char *method, const char *path, const char *token,
                    const char *from, const char *body, char **out)
{
    char url[512], auth[200], xff[80];
    snprintf(url, sizeof url, "%s%s", base, path);
    struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
    hdrs = curl_slist_append(hdrs, "Expect:");
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        hdrs = curl_slist_append(hdrs, auth);
    }
    if (from) {
        snprintf(xff, sizeof xff, "X-Forwarded-For: %s", from);
        hdrs = curl_slist_append(hdrs, xff);
    }
    struct buf b = {NULL, 0};
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (body) {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    } else {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    }
    long status = 0;
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdrs);
    if (out)
        *out = b.b;
    else
        free(b.b);
    return status;
}

static int run(const char *const *argv)
{
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* ---- the signed-in users ---- */

struct lat {
    double *v;
    size_t n, cap;
};

static void add(struct lat *l, double ms)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4096;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = ms;
}

struct user {
    int index;
    char token[64];
    struct lat reads, writes;
    long errors;
};

static void *user_run(void *p)
{
    struct user *u = p;
    CURL *h = curl_easy_init();
    char from[32];
    snprintf(from, sizeof from, "192.168.%d.%d", u->index / 200, u->index % 200 + 1);
    while (!atomic_load(&stop)) {
        double t0 = now_s();
        long s = request(h, "GET", "/api/v1/customers?limit=20", u->token, from, NULL, NULL);
        add(&u->reads, (now_s() - t0) * 1e3);
        if (s != 200)
            u->errors++;
        char body[128];
        unsigned n = atomic_fetch_add(&serial, 1);
        snprintf(body, sizeof body, "{\"name\":\"压测%u\",\"phone\":\"139%08u\"}", n,
                 n % 100000000u);
        t0 = now_s();
        s = request(h, "POST", "/api/v1/customers", u->token, from, body, NULL);
        add(&u->writes, (now_s() - t0) * 1e3);
        if (s != 201)
            u->errors++;
    }
    curl_easy_cleanup(h);
    return NULL;
}

/* ---- the flood ---- */

enum flood_mode { FLOOD_NONE, FLOOD_ONE_ADDRESS, FLOOD_BOTNET };
static const char *const MODE_NAMES[] = {"baseline", "one-addr", "botnet"};

struct flooder {
    int index;
    enum flood_mode mode;
    long by_status[6]; /* 401, 429, 503, other, 201, 0 (no answer) */
};

static void *flood_run(void *p)
{
    struct flooder *f = p;
    CURL *h = curl_easy_init();
    while (!atomic_load(&stop)) {
        char body[160], from[32];
        unsigned n = atomic_fetch_add(&serial, 1);
        if (f->mode == FLOOD_ONE_ADDRESS) {
            snprintf(from, sizeof from, "203.0.113.7");
            snprintf(body, sizeof body, "{\"username\":\"victim\",\"password\":\"guess-%u\"}", n);
        } else {
            snprintf(from, sizeof from, "10.%u.%u.%u", (n >> 16) & 255, (n >> 8) & 255, n & 255);
            snprintf(body, sizeof body, "{\"username\":\"nobody%u\",\"password\":\"guess-%u\"}", n,
                     n);
        }
        long s = request(h, "POST", "/api/v1/session", NULL, from, body, NULL);
        int k = s == 401 ? 0 : s == 429 ? 1 : s == 503 ? 2 : s == 201 ? 4 : s == 0 ? 5 : 3;
        f->by_status[k]++;
    }
    curl_easy_cleanup(h);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void summary(const char *what, struct user *u, int kind)
{
    size_t total = 0;
    for (int i = 0; i < n_users; i++)
        total += kind ? u[i].writes.n : u[i].reads.n;
    double *all = malloc((total ? total : 1) * sizeof *all);
    size_t o = 0;
    for (int i = 0; i < n_users; i++) {
        struct lat *l = kind ? &u[i].writes : &u[i].reads;
        memcpy(all + o, l->v, l->n * sizeof *all);
        o += l->n;
    }
    qsort(all, total, sizeof *all, cmp);
    if (total)
        printf("  %-6s %6zu requests  p50 %7.1f  p99 %7.1f  max %7.1f ms\n", what, total,
               all[total / 2], all[total * 99 / 100], all[total - 1]);
    free(all);
}

static void phase(enum flood_mode mode, char tokens[][64])
{
    atomic_store(&stop, false);
    struct user *u = calloc((size_t)n_users, sizeof *u);
    struct flooder *f = calloc((size_t)n_flood, sizeof *f);
    pthread_t *ut = calloc((size_t)n_users, sizeof *ut), *ft = calloc((size_t)n_flood, sizeof *ft);
    int floods = mode == FLOOD_NONE ? 0 : n_flood;
    for (int i = 0; i < floods; i++) {
        f[i].index = i, f[i].mode = mode;
        pthread_create(&ft[i], NULL, flood_run, &f[i]);
    }
    for (int i = 0; i < n_users; i++) {
        u[i].index = i;
        memcpy(u[i].token, tokens[i], sizeof u[i].token);
        pthread_create(&ut[i], NULL, user_run, &u[i]);
    }
    sleep((unsigned)seconds);
    atomic_store(&stop, true);
    long errors = 0, st[6] = {0};
    for (int i = 0; i < n_users; i++) {
        pthread_join(ut[i], NULL);
        errors += u[i].errors;
    }
    for (int i = 0; i < floods; i++) {
        pthread_join(ft[i], NULL);
        for (int k = 0; k < 6; k++)
            st[k] += f[i].by_status[k];
    }
    printf("%s: %d signed-in users, %d flood clients, %d s\n", MODE_NAMES[mode], n_users, floods,
           seconds);
    summary("reads", u, 0);
    summary("writes", u, 1);
    printf("  users' errors %ld", errors);
    if (floods)
        printf("; flood answers: %ld 401, %ld 429, %ld 503, %ld 201, %ld other, %ld none "
               "(%.0f/s)",
               st[0], st[1], st[2], st[4], st[3], st[5],
               (double)(st[0] + st[1] + st[2] + st[3] + st[4]) / seconds);
    printf("\n");
    for (int i = 0; i < n_users; i++)
        free(u[i].reads.v), free(u[i].writes.v);
    free(u), free(f), free(ut), free(ft);
}

static int sign_in(CURL *h, const char *user, const char *password, const char *from,
                   char token[64], char *detail, size_t cap)
{
    char body[160], *out = NULL;
    snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, password);
    long s = request(h, "POST", "/api/v1/session", NULL, from, body, &out);
    json_t *j = json_loads(out ? out : "", 0, NULL);
    if (token)
        snprintf(token, 64, "%s", s == 201 ? json_string_value(json_object_get(j, "token")) : "");
    if (detail) {
        json_t *e = json_object_get(j, "error");
        json_t *wait = json_object_get(j, "retry_after");
        char after[40] = "";
        if (wait)
            snprintf(after, sizeof after, " retry_after=%lld", (long long)json_integer_value(wait));
        snprintf(detail, cap, "%ld %s%s", s, e ? json_string_value(json_object_get(e, "code")) : "",
                 after);
    }
    json_decref(j);
    free(out);
    return (int)s;
}

int main(int argc, char **argv)
{
    const char *db_arg = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--dms"))
            dms = argv[i + 1];
        else if (!strcmp(argv[i], "--db"))
            db_arg = argv[i + 1];
        else if (!strcmp(argv[i], "--users"))
            n_users = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--flood"))
            n_flood = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--seconds"))
            seconds = atoi(argv[i + 1]);
    }
    if (n_users < 1 || n_users > 1000 || n_flood < 1 || n_flood > 1000 || seconds < 1) {
        fprintf(stderr, "bench_login_flood: --users 1-1000, --flood 1-1000, --seconds >= 1\n");
        return 2;
    }
    char path[64] = "";
    if (db_arg) {
        snprintf(db_url, sizeof db_url, "%s", db_arg);
    } else {
        snprintf(path, sizeof path, "/tmp/dms-bench-login-%d.db", (int)getpid());
        snprintf(db_url, sizeof db_url, "sqlite:%s", path);
    }
    char port_file[80];
    snprintf(port_file, sizeof port_file, "/tmp/dms-bench-login-%d.port", (int)getpid());
    setenv("DMS_PASSWORD", PASSWORD, 1);
    const char *migrate[] = {dms, "--db", db_url, "migrate", NULL};
    const char *store[] = {dms,      "--db", db_url,   "store",  "add",
                           "--code", "B1",   "--name", "压测店", NULL};
    if (run(migrate) != 0 || run(store) != 0) {
        fprintf(stderr, "bench_login_flood: preparing the database failed (an empty one?)\n");
        return 1;
    }
    char names[1001][32];
    for (int i = 0; i <= n_users; i++) {
        snprintf(names[i], sizeof names[i], i < n_users ? "user%d" : "victim", i);
        const char *add_user[] = {dms,      "--db",   db_url,    "user",    "add", "--username",
                                  names[i], "--role", "advisor", "--store", "B1",  NULL};
        if (run(add_user) != 0) {
            fprintf(stderr, "bench_login_flood: user add %s failed\n", names[i]);
            return 1;
        }
    }
    unlink(port_file);
    pid_t server = fork();
    if (server == 0) {
        /* 127.0.0.1 is the proxy: the flood's clients speak for addresses of their own. */
        setenv("DMS_TRUSTED_PROXIES", "127.0.0.1", 1);
        setenv("DMS_MAX_CONNECTIONS_PER_ADDRESS", "0", 1);
        setenv("DMS_MORNING_RUN", "off", 1);
        setenv("DMS_APPOINTMENT_REMINDERS", "off", 1);
        const char *serve[] = {dms,           "--db",        db_url,    "serve",   "--listen",
                               "127.0.0.1:0", "--port-file", port_file, "--quiet", NULL};
        execv(dms, (char *const *)serve);
        _exit(127);
    }
    int port = 0;
    for (int i = 0; i < 1000 && port == 0; i++) {
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
        fprintf(stderr, "bench_login_flood: server did not start\n");
        return 1;
    }
    snprintf(base, sizeof base, "http://127.0.0.1:%d", port);
    curl_global_init(CURL_GLOBAL_ALL);
    CURL *h = curl_easy_init();
    char(*tokens)[64] = calloc((size_t)n_users, sizeof *tokens);
    for (int i = 0; i < n_users; i++) {
        char from[32];
        snprintf(from, sizeof from, "192.168.%d.%d", i / 200, i % 200 + 1);
        if (sign_in(h, names[i], PASSWORD, from, tokens[i], NULL, 0) != 201) {
            fprintf(stderr, "bench_login_flood: %s could not sign in\n", names[i]);
            kill(server, SIGKILL);
            return 1;
        }
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    printf("server on %s, %s, %ld CPUs\n", base,
           strncmp(db_url, "sqlite:", 7) == 0 ? "sqlite" : "postgres", cpus);
    phase(FLOOD_NONE, tokens);
    phase(FLOOD_ONE_ADDRESS, tokens);
    phase(FLOOD_BOTNET, tokens);
    /* 200 wrong passwords, then the right one, from one client without a device cookie. */
    char target[32], detail[96], first[128] = "", last[96] = "";
    snprintf(target, sizeof target, "user%d", n_users - 1);
    long s401 = 0, s429 = 0, other = 0;
    double t0 = now_s();
    for (int i = 0; i < 200; i++) {
        char pw[32];
        snprintf(pw, sizeof pw, "wrong-%d", i);
        int s = sign_in(h, target, pw, "198.51.100.20", NULL, detail, sizeof detail);
        s == 401 ? s401++ : s == 429 ? s429++ : other++;
        if (s == 429 && !first[0])
            snprintf(first, sizeof first, "attempt %d: %s", i + 1, detail);
        snprintf(last, sizeof last, "%s", detail);
    }
    double took = now_s() - t0;
    sign_in(h, target, PASSWORD, "198.51.100.20", NULL, detail, sizeof detail);
    printf("200 wrong passwords for %s in %.1f s: %ld x 401, %ld x 429 (first %s; last %s), "
           "%ld other; then the right one: %s\n",
           target, took, s401, s429, first, last, other, detail);
    curl_easy_cleanup(h);
    free(tokens);
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
    return 0;
}
