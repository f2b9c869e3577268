/* bench_conn_flood: is /healthz still answered while one address floods the server with
 * connections? (issue 11, defect 4)
 *
 *   bench_conn_flood --dms PATH/TO/dms [--db URL] [--flood N] [--mode idle|slow]
 *                    [--baseline S] [--seconds S] [--probe-ms MS]
 *
 * Starts `dms serve` (default settings: the connection limits and deadlines a store would
 * run) on a fresh database (default: a temporary SQLite file; --db: that database, migrated
 * first), then from another loopback address (127.0.0.2) asks GET /healthz every probe-ms
 * on a new connection (5 s timeout): first for `baseline` seconds alone, then for `seconds`
 * while 127.0.0.1 holds N connections. idle: connections that send nothing; slow: each
 * trickles request headers, one line every 2 s (slowloris). A connection the server closes
 * is opened again 100 ms later, so the flood keeps N open or trying all along. Prints the
 * probes' p50 / p99 / max latency and how many took over 1 s or got no answer, per phase. */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *dms = "./dms";
static char db_url[600];
static int port;
static int flood = 1000, seconds = 60, baseline_s = 10, probe_ms = 50;
static bool slow;
static atomic_bool stop_flood;
static atomic_long flood_connects, flood_closed_by_server;
static atomic_int flood_open;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static int run(const char *const *argv)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        FILE *f = freopen("/dev/null", "w", stdout);
        (void)f;
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- the flood, from 127.0.0.1 ---- */

static int connect_from(const char *src)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET};
    inet_pton(AF_INET, src, &a.sin_addr);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
        connect(fd, (struct sockaddr *)&to, sizeof to) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

struct slot {
    int fd;
    double reopen_at, next_byte_at;
    unsigned sent;
};

static void *flood_run(void *arg)
{
    (void)arg;
    static const char head[] = "GET /healthz HTTP/1.1\r\nHost: dms\r\n";
    struct slot *s = calloc((size_t)flood, sizeof *s);
    struct pollfd *p = calloc((size_t)flood, sizeof *p);
    if (!s || !p)
        return NULL;
    for (int i = 0; i < flood; i++)
        s[i].fd = -1;
    while (!atomic_load(&stop_flood)) {
        double t = now_s();
        int open = 0;
        for (int i = 0; i < flood; i++) {
            if (s[i].fd < 0 && t >= s[i].reopen_at) {
                s[i].fd = connect_from("127.0.0.1");
                s[i].sent = 0;
                s[i].next_byte_at = t + (double)(i % 20) * 0.1;
                atomic_fetch_add(&flood_connects, 1);
                if (s[i].fd < 0)
                    s[i].reopen_at = t + 0.1;
            }
            if (slow && s[i].fd >= 0 && t >= s[i].next_byte_at) {
                /* The request line and Host at once, then a header line every 2 s. */
                char line[64];
                const char *what = s[i].sent == 0 ? head : line;
                snprintf(line, sizeof line, "X-Slow-%u: a\r\n", s[i].sent);
                if (send(s[i].fd, what, strlen(what), MSG_NOSIGNAL | MSG_DONTWAIT) < 0 &&
                    errno != EAGAIN) {
                    close(s[i].fd);
                    s[i].fd = -1;
                    s[i].reopen_at = t + 0.1;
                    atomic_fetch_add(&flood_closed_by_server, 1);
                    continue;
                }
                s[i].sent++;
                s[i].next_byte_at = t + 2.0;
            }
            p[i] = (struct pollfd){.fd = s[i].fd, .events = POLLIN};
            open += s[i].fd >= 0;
        }
        atomic_store(&flood_open, open);
        if (poll(p, (nfds_t)flood, 50) <= 0)
            continue;
        t = now_s();
        for (int i = 0; i < flood; i++) {
            if (s[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[4096];
            ssize_t n = recv(s[i].fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n == 0 || (n < 0 && errno != EAGAIN)) {
                close(s[i].fd);
                s[i].fd = -1;
                s[i].reopen_at = t + 0.1;
                atomic_fetch_add(&flood_closed_by_server, 1);
            }
        }
    }
    for (int i = 0; i < flood; i++) {
        if (s[i].fd >= 0)
            close(s[i].fd);
    }
    free(s);
    free(p);
    return NULL;
}

/* ---- the probe, from 127.0.0.2 ---- */

static size_t discard(char *ptr, size_t size, size_t n, void *userdata)
{
    (void)ptr, (void)userdata;
    return size * n;
}

struct phase {
    double *ms;
    size_t n, cap;
    int failed, over_1s;
};

static void probe(struct phase *ph, double for_s)
{
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/healthz", port);
    double end = now_s() + for_s;
    while (now_s() < end) {
        double t0 = now_s();
        CURL *h = curl_easy_init();
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_INTERFACE, "127.0.0.2");
        curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
        long status = 0;
        CURLcode rc = curl_easy_perform(h);
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_cleanup(h);
        double ms = (now_s() - t0) * 1e3;
        if (rc != CURLE_OK || status != 200) {
            ph->failed++;
        } else {
            if (ph->n == ph->cap) {
                ph->cap = ph->cap ? ph->cap * 2 : 1024;
                ph->ms = realloc(ph->ms, ph->cap * sizeof *ph->ms);
            }
            ph->ms[ph->n++] = ms;
        }
        if (ms > 1000)
            ph->over_1s++;
        double wait = probe_ms - (now_s() - t0) * 1e3;
        if (wait > 0)
            sleep_ms((long)wait);
    }
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *name, struct phase *ph)
{
    qsort(ph->ms, ph->n, sizeof *ph->ms, cmp);
    double p50 = ph->n ? ph->ms[ph->n / 2] : 0;
    double p99 = ph->n ? ph->ms[(size_t)((double)ph->n * 0.99)] : 0;
    double max = ph->n ? ph->ms[ph->n - 1] : 0;
    printf("%-28s %6zu probes  p50 %7.2f ms  p99 %7.2f ms  max %8.2f ms  over 1 s: %d  no "
           "answer: %d\n",
           name, ph->n + (size_t)ph->failed, p50, p99, max, ph->over_1s, ph->failed);
}

int main(int argc, char **argv)
{
    const char *db_arg = NULL, *mode = "idle";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--dms") == 0)
            dms = argv[i + 1];
        else if (strcmp(argv[i], "--db") == 0)
            db_arg = argv[i + 1];
        else if (strcmp(argv[i], "--flood") == 0)
            flood = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--mode") == 0)
            mode = argv[i + 1];
        else if (strcmp(argv[i], "--seconds") == 0)
            seconds = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--baseline") == 0)
            baseline_s = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--probe-ms") == 0)
            probe_ms = atoi(argv[i + 1]);
        else {
            fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
    }
    slow = strcmp(mode, "slow") == 0;
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    char dir[] = "/tmp/dms-bench-flood-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    if (db_arg)
        snprintf(db_url, sizeof db_url, "%s", db_arg);
    else
        snprintf(db_url, sizeof db_url, "sqlite:%s/dms.db", dir);
    const char *migrate[] = {dms, "--db", db_url, "migrate", NULL};
    if (run(migrate) != 0) {
        fprintf(stderr, "dms migrate failed\n");
        return 1;
    }
    char port_file[80], log[80];
    snprintf(port_file, sizeof port_file, "%s/port", dir);
    snprintf(log, sizeof log, "%s/server.log", dir);
    pid_t server = fork();
    if (server == 0) {
        FILE *f = freopen(log, "w", stderr);
        (void)f;
        setenv("DMS_ACCESS_LOG", "off", 1);
        execl(dms, "dms", "--db", db_url, "serve", "--listen", "127.0.0.1:0", "--port-file",
              port_file, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 3000 && port == 0; i++) {
        FILE *f = fopen(port_file, "r");
        if (f) {
            if (fscanf(f, "%d", &port) != 1)
                port = 0;
            fclose(f);
        }
        sleep_ms(10);
    }
    if (port == 0) {
        fprintf(stderr, "dms serve did not start; see %s\n", log);
        kill(server, SIGKILL);
        return 1;
    }
    curl_global_init(CURL_GLOBAL_ALL);
    printf("dms serve on %s (%s), /healthz from 127.0.0.2 every %d ms on a new connection\n",
           strncmp(db_url, "sqlite:", 7) == 0 ? "SQLite" : "PostgreSQL", dms, probe_ms);

    struct phase alone = {0}, flooded = {0};
    probe(&alone, baseline_s);
    pthread_t t;
    pthread_create(&t, NULL, flood_run, NULL);
    probe(&flooded, seconds);
    int held = atomic_load(&flood_open);
    atomic_store(&stop_flood, true);
    pthread_join(t, NULL);

    report("no flood", &alone);
    char name[64];
    snprintf(name, sizeof name, "%d %s connections", flood, mode);
    report(name, &flooded);
    printf("flood: %ld connects in %d s (a connection the server closed was opened again "
           "100 ms later), %ld closed by the server, %d open at the end\n",
           atomic_load(&flood_connects), seconds, atomic_load(&flood_closed_by_server), held);
    kill(server, SIGTERM);
    int status;
    waitpid(server, &status, 0);
    FILE *f = fopen(log, "r");
    if (f) {
        char line[512];
        while (fgets(line, sizeof line, f)) {
            if (strstr(line, "connection limits") || strstr(line, "deadlines"))
                printf("server: %s", line);
        }
        fclose(f);
    }
    static const char *const files[] = {"port", "server.log", "dms.db", "dms.db-wal", "dms.db-shm"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    free(alone.ms);
    free(flooded.ms);
    curl_global_cleanup();
    return alone.over_1s + alone.failed + flooded.over_1s + flooded.failed > 0;
}
