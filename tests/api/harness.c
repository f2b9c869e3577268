/* The API test harness (see harness.h). */
#include "harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "core/vin.h"

struct server *SRV;
static struct server the_server;

static void die(const char *fmt_, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt_, ...)
{
    va_list ap;
    va_start(ap, fmt_);
    fprintf(stderr, "harness: ");
    vfprintf(stderr, fmt_, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

static void mkdirs(const char *path)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(tmp, 0755);
            *p = '/';
        }
    }
    mkdir(tmp, 0755);
}

void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

double mono_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- running the dms binary ---- */

static int run_argv(char *const *argv, const char *const *env, char *out, size_t cap)
{
    int pipefd[2];
    if (pipe(pipefd) < 0)
        die("pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        dup2(pipefd[1], 1);
        dup2(pipefd[1], 2);
        close(pipefd[0]);
        close(pipefd[1]);
        for (const char *const *e = env; e && *e; e++)
            putenv((char *)*e);
        execv(argv[0], argv);
        _exit(127);
    }
    close(pipefd[1]);
    size_t used = 0;
    char sink[4096];
    for (;;) {
        char *dst = out && used + 1 < cap ? out + used : sink;
        size_t room = out && used + 1 < cap ? cap - used - 1 : sizeof sink;
        ssize_t n = read(pipefd[0], dst, room);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (dst != sink)
            used += (size_t)n;
    }
    close(pipefd[0]);
    if (out && cap)
        out[used] = '\0';
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int srv_cli(struct server *s, const char *const *env, char *out, size_t cap, ...)
{
    char *argv[32];
    int n = 0;
    argv[n++] = (char *)env_or("DMS_BIN", "./dms");
    argv[n++] = "--db";
    argv[n++] = s->db_url;
    va_list ap;
    va_start(ap, cap);
    const char *a;
    while ((a = va_arg(ap, const char *)) && n < 31)
        argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    /* The command sees the server's clock (srv_clock_set). */
    static char clock_env[640];
    snprintf(clock_env, sizeof clock_env, "DMS_TEST_CLOCK_FILE=%s/clock", s->dir);
    const char *all[34];
    size_t k = 0;
    all[k++] = clock_env;
    for (const char *const *e = env; e && *e && k < 33; e++)
        all[k++] = *e;
    all[k] = NULL;
    return run_argv(argv, all, out, cap);
}

void srv_clock_set(struct server *s, int64_t utc)
{
    char path[600], tmp[610];
    snprintf(path, sizeof path, "%s/clock", s->dir);
    snprintf(tmp, sizeof tmp, "%s.new", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        die("cannot write %s: %s", tmp, strerror(errno));
    if (utc)
        fprintf(f, "%lld\n", (long long)utc);
    fclose(f);
    /* Atomic: a request never reads half a number. */
    if (rename(tmp, path) < 0)
        die("rename %s: %s", tmp, strerror(errno));
}

/* ---- PostgreSQL: one database per server ---- */

static void pg_exec(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK)
        die("cannot connect to %s: %s", url, PQerrorMessage(c));
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        die("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

static void pg_create(struct server *s, const char *name)
{
    char path[600], line[512] = "";
    snprintf(path, sizeof path, "%s/url", env_or("DMS_TEST_PG_DIR", "pg"));
    FILE *f = fopen(path, "r");
    if (!f || !fgets(line, sizeof line, f))
        die("no PostgreSQL cluster: %s missing (the pg_start fixture runs it)", path);
    fclose(f);
    line[strcspn(line, "\r\n")] = '\0';
    snprintf(s->pg_admin_url, sizeof s->pg_admin_url, "%s", line);
    static unsigned counter;
    snprintf(s->pg_db, sizeof s->pg_db, "dms_%.20s_%d_%u", name, (int)getpid(), counter++);
    for (char *p = s->pg_db; *p; p++) {
        if (*p == '-')
            *p = '_';
    }
    char sql[160];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", s->pg_db);
    pg_exec(s->pg_admin_url, sql);
    const char *slash = strrchr(line, '/');
    snprintf(s->db_url, sizeof s->db_url, "%.*s/%s", (int)(slash - line), line, s->pg_db);
}

static void pg_drop(struct server *s)
{
    char sql[160];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", s->pg_db);
    pg_exec(s->pg_admin_url, sql);
}

/* ---- the server ---- */

static void seed(struct server *s)
{
    char out[4096];
    static const char *const env[] = {"DMS_PASSWORD=" TEST_PASSWORD, NULL};
    struct {
        const char *user, *role, *store;
    } users[] = {{U_ADVISOR, "advisor", "S1"},
                 {U_CALLER, "caller", "S1"},
                 {U_MANAGER, "service_manager", "S1"},
                 {U_PARTS, "parts_manager", "S1"},
                 {U_WORKSHOP, "workshop", "S1"},
                 {U_WARRANTY, "warranty", "S1"},
                 {U_ADMIN, "admin", "S1"},
                 {U_ADVISOR2, "advisor", "S2"},
                 {U_ADMIN2, "admin", "S2"}};
    if (srv_cli(s, NULL, out, sizeof out, "migrate", NULL) != 0 ||
        srv_cli(s, NULL, out, sizeof out, "store", "add", "--code", "S1", "--name", "深圳一店",
                NULL) != 0 ||
        srv_cli(s, NULL, out, sizeof out, "store", "add", "--code", "S2", "--name", "广州二店",
                NULL) != 0)
        die("seeding failed: %s", out);
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        if (srv_cli(s, env, out, sizeof out, "user", "add", "--username", users[i].user, "--role",
                    users[i].role, "--store", users[i].store, NULL) != 0)
            die("user add %s failed: %s", users[i].user, out);
    }
}

/* Starts `dms serve` on s->db_url as it is (no seeding) and waits for its port. */
static int spawn(struct server *s)
{
    char port_file[600], log[600];
    snprintf(port_file, sizeof port_file, "%s/port", s->dir);
    snprintf(log, sizeof log, "%s/server.log", s->dir);
    unlink(port_file);
    pid_t pid = fork();
    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        /* The morning run would generate "today" behind the tests' backs; a test that wants
         * it sets DMS_TEST_MORNING_RUN=on. */
        setenv("DMS_MORNING_RUN", env_or("DMS_TEST_MORNING_RUN", "off"), 1);
        /* Likewise the appointment reminders (IN-16): tests that check them turn them on. */
        setenv("DMS_APPOINTMENT_REMINDERS", env_or("DMS_TEST_APPOINTMENT_REMINDERS", "off"), 1);
        /* And the no-shows at closing (RO-9): test_no_shows.c runs them itself. */
        setenv("DMS_NO_SHOWS", env_or("DMS_TEST_NO_SHOWS", "off"), 1);
        /* And the complaints' escalation (CS-6): test_complaints.c runs its passes itself. */
        setenv("DMS_COMPLAINT_ESCALATION", env_or("DMS_TEST_COMPLAINT_ESCALATION", "off"), 1);
        /* Sessions of 30 days (the most session_hours allows): tests that move the clock to
         * the day of a booking (RO-1: a car is received on its booking's day) keep theirs. */
        setenv("DMS_SESSION_HOURS", env_or("DMS_TEST_SESSION_HOURS", "720"), 1);
        /* The server's clock is the system's until the test sets it (srv_clock_set). */
        char clock_file[600];
        snprintf(clock_file, sizeof clock_file, "%s/clock", s->dir);
        setenv("DMS_TEST_CLOCK_FILE", clock_file, 1);
        const char *bin = env_or("DMS_BIN", "./dms");
        execl(bin, "dms", "--db", s->db_url, "serve", "--listen", "127.0.0.1:0", "--port-file",
              port_file, (char *)NULL);
        _exit(127);
    }
    s->pid = pid;
    /* Bounded wait for the port file (sanitizer builds start slowly). */
    for (int i = 0; i < 3000; i++) {
        FILE *f = fopen(port_file, "r");
        if (f) {
            int port = 0;
            if (fscanf(f, "%d", &port) == 1 && port > 0) {
                fclose(f);
                s->port = port;
                snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", port);
                return 0;
            }
            fclose(f);
        }
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid)
            die("dms serve exited early; see %s", log);
        sleep_ms(10);
    }
    kill(pid, SIGKILL);
    die("dms serve did not start within 30 s; see %s", log);
}

int srv_start(struct server *s, const char *name)
{
    memset(s, 0, sizeof *s);
    const char *backend = env_or("DMS_TEST_BACKEND", "sqlite");
    s->pg = strcmp(backend, "pg") == 0;
    snprintf(s->dir, sizeof s->dir, "%s/%s-%s-%d", env_or("DMS_TEST_TMP", "/tmp"), name, backend,
             (int)getpid());
    mkdirs(s->dir);
    char clock_file[600];
    snprintf(clock_file, sizeof clock_file, "%s/clock", s->dir);
    unlink(clock_file);
    if (s->pg) {
        pg_create(s, name);
    } else {
        char db[560];
        snprintf(db, sizeof db, "%s/dms.db", s->dir);
        unlink(db);
        snprintf(s->db_url, sizeof s->db_url, "sqlite:%s", db);
    }
    seed(s);
    return spawn(s);
}

/* Signals the server and reaps it (bounded; SIGKILL after 30 s); the database stays. */
static int halt(struct server *s, int sig)
{
    if (s->pid <= 0)
        return -1;
    kill(s->pid, sig);
    int status = 0, result = -1;
    for (int i = 0; i < 3000; i++) {
        pid_t w = waitpid(s->pid, &status, WNOHANG);
        if (w == s->pid) {
            result = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        sleep_ms(10);
    }
    if (result < 0) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, &status, 0);
    }
    s->pid = 0;
    return result;
}

int srv_kill(struct server *s)
{
    return halt(s, SIGKILL);
}

int srv_restart(struct server *s)
{
    if (s->pid > 0 && halt(s, SIGTERM) != 0)
        fprintf(stderr, "harness: dms serve did not exit 0 on SIGTERM; see %s/server.log\n",
                s->dir);
    return spawn(s);
}

int srv_stop(struct server *s)
{
    int result = halt(s, SIGTERM);
    /* Also after srv_kill: the database goes with the server. */
    if (s->pg && s->pg_db[0]) {
        pg_drop(s);
        s->pg_db[0] = '\0';
    }
    return result;
}

int srv_setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_ALL);
    SRV = &the_server;
    return srv_start(SRV, program_invocation_short_name);
}

int srv_teardown(void **state)
{
    (void)state;
    int rc = srv_stop(SRV);
    curl_global_cleanup();
    if (rc != 0) {
        fprintf(stderr, "harness: dms serve did not exit 0 on SIGTERM (%d); see %s/server.log\n",
                rc, SRV->dir);
        return -1;
    }
    return 0;
}

/* ---- HTTP ---- */

size_t http_collect(char *ptr, size_t size, size_t n, void *userdata)
{
    struct http_buf *b = userdata;
    size_t add = size * n;
    char *grown = realloc(b->data, b->len + add + 1);
    if (!grown)
        return 0;
    memcpy(grown + b->len, ptr, add);
    b->data = grown;
    b->len += add;
    b->data[b->len] = '\0';
    return add;
}

/* Sends one request on h (reset first) to url with the header lines hdrs and body (len bytes;
 * none when body is NULL); the answer's body goes into got and, when head is not NULL, its
 * header lines into head. Returns curl's result and the HTTP status in *status (0 when no
 * answer came). Touches nothing but its arguments, so threads may call it on their own h. */
static CURLcode http_send(CURL *h, const char *method, const char *url, struct curl_slist *hdrs,
                          const char *body, size_t len, struct http_buf *got, struct http_buf *head,
                          long *status)
{
    curl_easy_reset(h);
    *status = 0;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, http_collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, got);
    if (head) {
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, http_collect);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, head);
    }
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    CURLcode rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    return rc;
}

struct resp http_opts(const char *method, const char *path, const struct req_opts *o)
{
    struct resp r = {0};
    CURL *h = curl_easy_init();
    if (!h)
        die("curl_easy_init failed");
    char url[4200];
    snprintf(url, sizeof url, "%s%s", SRV->base, path);
    struct http_buf body = {0}, head = {0};
    struct curl_slist *hdrs = NULL;
    char line[600];
    if (o->token) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", o->token);
        hdrs = curl_slist_append(hdrs, line);
    }
    if (o->csrf) {
        snprintf(line, sizeof line, "X-CSRF-Token: %s", o->csrf);
        hdrs = curl_slist_append(hdrs, line);
    }
    if (o->cookie) {
        snprintf(line, sizeof line, "Cookie: %s", o->cookie);
        hdrs = curl_slist_append(hdrs, line);
    }
    snprintf(line, sizeof line, "Content-Type: %s",
             o->content_type ? o->content_type : "application/json");
    hdrs = curl_slist_append(hdrs, line);
    /* Large bodies wait for "100 Continue": a server that refuses one at the headers (413)
     * then answers before any of it is sent, instead of closing the connection under a
     * client still sending (which surfaces here as a send error, not as the 413). */
    size_t body_len = o->raw_body ? (o->raw_len ? o->raw_len : strlen(o->raw_body)) : 0;
    hdrs = curl_slist_append(hdrs, body_len > 65536 ? "Expect: 100-continue" : "Expect:");
    for (const char *const *x = o->headers; x && *x; x++)
        hdrs = curl_slist_append(hdrs, *x);
    CURLcode rc = http_send(h, method, url, hdrs, o->raw_body, body_len, &body, &head, &r.status);
    if (rc != CURLE_OK)
        die("%s %s: %s", method, path, curl_easy_strerror(rc));
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    r.body = body.data ? body.data : strdup("");
    r.headers = head.data ? head.data : strdup("");
    r.json = json_loads(r.body, 0, NULL);
    return r;
}

struct http_answer http_call_on(CURL *h, const char *base, const char *method, const char *path,
                                const char *token, const char *body)
{
    struct http_answer a = {.rc = CURLE_OUT_OF_MEMORY};
    char url[4200], auth[600];
    snprintf(url, sizeof url, "%s%s", base, path);
    struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
    struct curl_slist *more = hdrs ? curl_slist_append(hdrs, "Expect:") : NULL;
    if (more && token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        more = curl_slist_append(hdrs, auth);
    }
    if (!more) {
        curl_slist_free_all(hdrs);
        return a;
    }
    struct http_buf got = {0};
    a.rc = http_send(h, method, url, hdrs, body, body ? strlen(body) : 0, &got, NULL, &a.status);
    curl_slist_free_all(hdrs);
    a.json = got.data ? json_loads(got.data, 0, NULL) : NULL;
    free(got.data);
    return a;
}

const char *http_answer_code(const struct http_answer *a)
{
    return json_string_value(json_object_get(json_object_get(a->json, "error"), "code"));
}

struct resp http(const char *method, const char *path, const char *token, const char *body)
{
    struct req_opts o = {.token = token, .raw_body = body};
    return http_opts(method, path, &o);
}

void resp_free(struct resp *r)
{
    json_decref(r->json);
    free(r->body);
    free(r->headers);
    memset(r, 0, sizeof *r);
}

const char *fmt(const char *format, ...)
{
    static _Thread_local char bufs[8][8192];
    static _Thread_local int next;
    char *b = bufs[next++ % 8];
    va_list ap;
    va_start(ap, format);
    vsnprintf(b, sizeof bufs[0], format, ap);
    va_end(ap);
    return b;
}

json_t *expect(struct resp *r, long status)
{
    if (r->status != status)
        print_error("expected HTTP %ld, got %ld: %s\n", status, r->status, r->body);
    assert_int_equal(r->status, status);
    assert_non_null(r->json);
    return r->json;
}

void expect_error(struct resp *r, long status, const char *code, const char *field)
{
    json_t *j = expect(r, status);
    json_t *e = json_object_get(j, "error");
    assert_non_null(e);
    const char *got = json_string_value(json_object_get(e, "code"));
    assert_non_null(got);
    if (strcmp(got, code) != 0)
        print_error("expected error %s, got %s: %s\n", code, got, r->body);
    assert_string_equal(got, code);
    assert_true(json_is_string(json_object_get(e, "message")));
    assert_non_null(json_object_get(e, "field"));
    if (field) {
        const char *f = json_string_value(json_object_get(e, "field"));
        if (!f || strcmp(f, field) != 0)
            print_error("expected field %s: %s\n", field, r->body);
        assert_non_null(f);
        assert_string_equal(f, field);
    }
}

json_t *call(const char *method, const char *path, const char *token, const char *body, long status)
{
    struct resp r = http(method, path, token, body);
    json_t *j = json_incref(expect(&r, status));
    resp_free(&r);
    return j;
}

char *login(const char *username)
{
    json_t *j =
        call("POST", "/api/v1/session", NULL,
             fmt("{\"username\":\"%s\",\"password\":\"%s\"}", username, TEST_PASSWORD), 201);
    const char *t = json_string_value(json_object_get(j, "token"));
    assert_non_null(t);
    char *copy = strdup(t);
    json_decref(j);
    return copy;
}

unsigned uniq(void)
{
    static unsigned n = 1000;
    return __atomic_add_fetch(&n, 1, __ATOMIC_SEQ_CST);
}

void make_vin(char out[18], unsigned n)
{
    snprintf(out, 18, "LFV2A21K0A3%06u", n % 1000000);
    out[8] = vin_check_digit(out);
}

void make_plate(char out[32], unsigned n)
{
    snprintf(out, 32, "粤B%05u", n % 100000);
}

void make_mobile(char out[16], unsigned n)
{
    snprintf(out, 16, "139%08u", n % 100000000);
}

int64_t new_customer(const char *token, const char *name)
{
    char phone[16];
    make_mobile(phone, uniq());
    json_t *j =
        call("POST", "/api/v1/customers", token,
             fmt("{\"name\":\"%s\",\"title\":\"先生\",\"phone\":\"%s\"}", name, phone), 201);
    int64_t id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    assert_true(id > 0);
    return id;
}

int64_t new_vehicle(const char *token, int64_t customer_id)
{
    char vin[18], plate[32];
    unsigned n = uniq();
    make_vin(vin, n);
    make_plate(plate, n);
    json_t *j = call("POST", "/api/v1/vehicles", token,
                     fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\",\"brand\":"
                         "\"大众\",\"model\":\"速腾\",\"model_year\":2022,"
                         "\"purchase_date\":\"2022-03-15\"}",
                         (long long)customer_id, vin, plate),
                     201);
    int64_t id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    assert_true(id > 0);
    return id;
}

const char *day_offset(int days)
{
    dms_day d = date_of_local_seconds((int64_t)time(NULL) + 8 * 3600) + days;
    static _Thread_local char out[4][DATE_STR];
    static _Thread_local int next;
    char *o = out[next++ % 4];
    date_format(d, o);
    return o;
}

json_t *fetch_pages(const char *path, const char *token, int limit, int *n_pages)
{
    json_t *all = json_array();
    char cursor[64] = "";
    int pages = 0;
    for (;;) {
        const char *sep = strchr(path, '?') ? "&" : "?";
        char url[1024];
        int w = snprintf(url, sizeof url, "%s", path);
        if (limit > 0)
            w += snprintf(url + w, sizeof url - (size_t)w, "%slimit=%d", sep, limit), sep = "&";
        if (cursor[0])
            snprintf(url + w, sizeof url - (size_t)w, "%scursor=%s", sep, cursor);
        json_t *page = call("GET", url, token, NULL, 200);
        pages++;
        json_t *items = json_object_get(page, "items"),
               *next = json_object_get(page, "next_cursor");
        assert_true(json_is_array(items));
        assert_true(next != NULL && (json_is_null(next) || json_is_string(next)));
        if (limit > 0 && json_is_string(next))
            assert_int_equal(json_array_size(items), (size_t)limit);
        json_array_extend(all, items);
        bool more = json_is_string(next);
        if (more)
            snprintf(cursor, sizeof cursor, "%s", json_string_value(next));
        json_decref(page);
        if (!more)
            break;
        if (pages > 10000)
            fail_msg("%s: no end of pages", path);
    }
    if (n_pages)
        *n_pages = pages;
    return all;
}

size_t audit_count(const char *entity, int64_t id)
{
    json_t *j =
        call("GET", fmt("/api/v1/audit?entity=%s&entity_id=%lld&limit=200", entity, (long long)id),
             tok(U_MANAGER), NULL, 200);
    size_t n = json_array_size(json_object_get(j, "items"));
    json_decref(j);
    return n;
}

const char *tok(const char *user)
{
    static struct {
        const char *user;
        char *token;
    } cache[16];
    for (size_t i = 0; i < sizeof cache / sizeof cache[0]; i++) {
        if (!cache[i].user) {
            cache[i].user = user;
            cache[i].token = login(user);
        }
        if (strcmp(cache[i].user, user) == 0)
            return cache[i].token;
    }
    fail_msg("token cache full");
    return NULL;
}

int64_t jint(const json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

char *snapshot(const char *path, const char *token)
{
    json_t *j = call("GET", path, token, NULL, 200);
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    assert_non_null(s);
    return s;
}

void assert_unchanged(const char *path, const char *token, char *before)
{
    char *now = snapshot(path, token);
    if (strcmp(now, before) != 0)
        print_error("changed:\nbefore %s\nafter  %s\n", before, now);
    assert_string_equal(now, before);
    free(now);
    free(before);
}

void rejected(const char *method, const char *path, const char *token, const char *body,
              long status, const char *code, const char *field)
{
    struct resp r = http(method, path, token, body);
    expect_error(&r, status, code, field);
    resp_free(&r);
}

int64_t audit_head_of(const char *token)
{
    json_t *j = call("GET", "/api/v1/audit?limit=1", token, NULL, 200);
    json_t *first = json_array_get(json_object_get(j, "items"), 0);
    int64_t id = first ? jint(first, "id") : 0;
    json_decref(j);
    return id;
}

int64_t audit_head(void)
{
    return audit_head_of(tok(U_MANAGER));
}

int db_sql(const char *sql, char *out, size_t cap)
{
    out[0] = '\0';
    int rc = -1;
    if (SRV->pg) {
        PGconn *c = PQconnectdb(SRV->db_url);
        if (PQstatus(c) == CONNECTION_OK) {
            PGresult *r = PQexec(c, sql);
            ExecStatusType st = PQresultStatus(r);
            if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
                rc = 0;
                if (st == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
                    snprintf(out, cap, "%s", PQgetvalue(r, 0, 0));
            } else {
                print_error("%s: %s\n", sql, PQerrorMessage(c));
            }
            PQclear(r);
        }
        PQfinish(c);
        return rc;
    }
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open_v2(SRV->db_url + strlen("sqlite:"), &db, SQLITE_OPEN_READWRITE, NULL) ==
            SQLITE_OK &&
        sqlite3_busy_timeout(db, 30000) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW || step == SQLITE_DONE) {
            rc = 0;
            const unsigned char *v = step == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
            if (v)
                snprintf(out, cap, "%s", (const char *)v);
        }
    }
    if (rc < 0)
        print_error("%s: %s\n", sql, db ? sqlite3_errmsg(db) : "cannot open");
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

json_t *last_audit(const char *entity, int64_t id)
{
    json_t *j =
        call("GET", fmt("/api/v1/audit?entity=%s&entity_id=%lld&limit=1", entity, (long long)id),
             tok(U_MANAGER), NULL, 200);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *e = json_incref(json_array_get(items, 0));
    json_decref(j);
    return e;
}

const char *keep(const char *s)
{
    static char *kept[1024];
    static size_t next;
    size_t i = next++ % (sizeof kept / sizeof kept[0]);
    free(kept[i]);
    kept[i] = strdup(s);
    assert_non_null(kept[i]);
    return kept[i];
}

int32_t test_today(void)
{
    dms_day d = 0;
    struct dms_error e;
    assert_int_equal(date_parse(day_offset(0), &d, "today", &e), 0);
    return d;
}

const char *ds(int32_t day)
{
    char b[DATE_STR];
    date_format(day, b);
    return keep(b);
}

const char *uniq_code(const char *prefix)
{
    return keep(fmt("%s-%u", prefix, uniq()));
}

const char *upper_copy(const char *s)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *p = buf; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
    return keep(buf);
}

/* Tokens of the users store_user() made: reachable until the program ends. */
static char *store_tokens[256];
static size_t n_store_tokens;

const char *store_user(const struct test_store *s, const char *role)
{
    static const char *const env[] = {"DMS_PASSWORD=" TEST_PASSWORD, NULL};
    char out[4096], user[48];
    snprintf(user, sizeof user, "u%u_%.30s", uniq(), role);
    if (srv_cli(SRV, env, out, sizeof out, "user", "add", "--username", user, "--role", role,
                "--store", s->code, NULL) != 0)
        fail_msg("user add %s to %s: %s", user, s->code, out);
    if (n_store_tokens == sizeof store_tokens / sizeof store_tokens[0])
        fail_msg("too many store users");
    char *t = login(user);
    store_tokens[n_store_tokens++] = t;
    return t;
}

void store_new(struct test_store *s)
{
    char out[4096];
    memset(s, 0, sizeof *s);
    snprintf(s->code, sizeof s->code, "T%u", uniq());
    if (srv_cli(SRV, NULL, out, sizeof out, "store", "add", "--code", s->code, "--name",
                fmt("测试店%s", s->code), NULL) != 0)
        fail_msg("store add %s: %s", s->code, out);
    s->manager = store_user(s, "service_manager");
}
