/* Login floods (issue 11, defect 3) and cookies behind TLS. The server trusts 127.0.0.1 as a
 * proxy, so each test signs in "from" addresses of its own (X-Forwarded-For) and no test's
 * failures lock another's; the clock is set (srv_clock_set) to pass lock windows without
 * sleeping. What is checked:
 *   - an account waits after 5 failures in a row (429 too_many_attempts, Retry-After), the
 *     wait doubles and stops at an hour; a wrong name is treated exactly like a wrong password;
 *   - a browser holding the owner's device cookie is not held by a lock strangers caused, but
 *     has a limit of its own; the address's limit holds everyone;
 *   - the administrator sees failed_logins and locked_until, and lifts the lock (audited);
 *   - failures at once are all counted, survive a restart (they are in the database) and are
 *     forgotten after a quiet day;
 *   - a password is hashed with no transaction open (a hash held mid-way by
 *     DMS_TEST_HASH_PAUSE: meanwhile other writes go through, and PostgreSQL has no
 *     transaction open), and at most hash_slots at once (503 overloaded past a 5 s wait);
 *   - Secure cookies with cookie_secure auto (only a trusted proxy's X-Forwarded-Proto), on
 *     and off. */
#include "harness.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers ---- */

static int64_t T0; /* the test clock's start, set by each test */
static char pause_file[600];

static void clock_at(int64_t offset)
{
    srv_clock_set(SRV, T0 + offset);
}

static void clock_start(void)
{
    T0 = (int64_t)time(NULL);
    clock_at(0);
}

/* An address of the test's own, for X-Forwarded-For. */
static const char *new_address(void)
{
    unsigned n = uniq();
    return keep(fmt("10.%u.%u.%u", (n >> 16) & 255, (n >> 8) & 255, n & 255));
}

static const char *body_of(const char *user, const char *password)
{
    return fmt("{\"username\":\"%s\",\"password\":\"%s\"}", user, password);
}

/* A sign-in from `from` (NULL: 127.0.0.1 itself) with the device cookie (may be NULL) and
 * more header lines (may be NULL). */
static struct resp sign_in_with(const char *user, const char *password, const char *from,
                                const char *device, const char *extra)
{
    char xff[80], cookie[120];
    const char *headers[3] = {NULL, NULL, NULL};
    int n = 0;
    if (from) {
        snprintf(xff, sizeof xff, "X-Forwarded-For: %s", from);
        headers[n++] = xff;
    }
    if (extra)
        headers[n++] = extra;
    if (device)
        snprintf(cookie, sizeof cookie, "dms_device=%s", device);
    struct req_opts o = {
        .raw_body = body_of(user, password), .cookie = device ? cookie : NULL, .headers = headers};
    return http_opts("POST", "/api/v1/session", &o);
}

static struct resp sign_in(const char *user, const char *password, const char *from,
                           const char *device)
{
    return sign_in_with(user, password, from, device, NULL);
}

static void refused(const char *user, const char *password, const char *from, const char *device)
{
    struct resp r = sign_in(user, password, from, device);
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
}

/* The value of a response header (static; "" when absent). */
static const char *header_value(const struct resp *r, const char *name)
{
    static char out[400];
    out[0] = '\0';
    size_t n = strlen(name);
    for (const char *p = r->headers; p && *p;) {
        const char *eol = strstr(p, "\r\n");
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > n + 1 && strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1;
            while (*v == ' ')
                v++;
            snprintf(out, sizeof out, "%.*s", (int)(len - (size_t)(v - p)), v);
            return out;
        }
        p = eol ? eol + 2 : p + len;
    }
    return out;
}

/* A 429: the wait in the header and the body agree; returns it. */
static int64_t throttled(struct resp *r)
{
    expect_error(r, 429, "too_many_attempts", NULL);
    int64_t wait = jint(r->json, "retry_after");
    assert_true(wait > 0);
    assert_int_equal(strtoll(header_value(r, "Retry-After"), NULL, 10), wait);
    assert_null(strstr(r->headers, "dms_session="));
    return wait;
}

static int64_t expect_wait(const char *user, const char *password, const char *from,
                           const char *device)
{
    struct resp r = sign_in(user, password, from, device);
    int64_t wait = throttled(&r);
    resp_free(&r);
    return wait;
}

/* Signs in (201) and returns the device cookie it set (kept). */
static const char *signed_in(const char *user, const char *from, const char *device)
{
    struct resp r = sign_in(user, TEST_PASSWORD, from, device);
    expect(&r, 201);
    const char *set = strstr(r.headers, "dms_device=");
    assert_non_null(set);
    char token[64];
    assert_int_equal(sscanf(set, "dms_device=%63[^;]", token), 1);
    assert_int_equal(strlen(token), 43);
    assert_non_null(strstr(set, "Path=/api/v1/session; HttpOnly; SameSite=Strict"));
    resp_free(&r);
    return keep(token);
}

/* A user of store S1 who may sign in at once; its id, name in out. */
static int64_t new_account(char out[32])
{
    snprintf(out, 32, "lim%u", uniq());
    json_t *j = call("POST", "/api/v1/users", tok(U_ADMIN),
                     fmt("{\"username\":\"%s\",\"role\":\"advisor\",\"password\":\"%s\","
                         "\"must_change_password\":false}",
                         out, TEST_PASSWORD),
                     201);
    int64_t id = jint(j, "id");
    assert_int_equal(jint(j, "failed_logins"), 0);
    assert_true(json_is_null(json_object_get(j, "locked_until")));
    json_decref(j);
    return id;
}

static json_t *account(const char *admin, int64_t id)
{
    return call("GET", fmt("/api/v1/users/%lld", (long long)id), admin, NULL, 200);
}

static void fail_n(const char *user, const char *from, const char *device, int n)
{
    for (int i = 0; i < n; i++)
        refused(user, "wrong-password", from, device);
}

/* ---- the account's limit ---- */

static void test_login_limits_account_waits_after_five_failures(void **state)
{
    (void)state;
    clock_start();
    char name[32];
    int64_t id = new_account(name);
    const char *from = new_address();
    /* Four wrong passwords cost nothing but the hash; the fifth makes the next wait. */
    fail_n(name, from, NULL, 5);
    assert_int_equal(expect_wait(name, TEST_PASSWORD, from, NULL), 60);
    /* Another address does not help: the account is locked for unknown clients. */
    assert_int_equal(expect_wait(name, TEST_PASSWORD, new_address(), NULL), 60);
    json_t *u = account(tok(U_ADMIN), id);
    assert_int_equal(jint(u, "failed_logins"), 5);
    char until[32];
    snprintf(until, sizeof until, "%s", jstr(u, "locked_until"));
    json_decref(u);
    /* The wait counts down with the clock, and ends at its second. */
    clock_at(45);
    assert_int_equal(expect_wait(name, TEST_PASSWORD, from, NULL), 15);
    clock_at(60);
    /* Each further failure doubles the wait: 120, 240 ... */
    refused(name, "wrong-password", from, NULL);
    assert_int_equal(expect_wait(name, TEST_PASSWORD, from, NULL), 120);
    clock_at(180);
    refused(name, "wrong-password", from, NULL);
    assert_int_equal(expect_wait(name, TEST_PASSWORD, from, NULL), 240);
    /* ... and stops at an hour. */
    int64_t t = 420, wait = 240;
    for (int i = 0; i < 6; i++) {
        clock_at(t);
        refused(name, "wrong-password", from, NULL);
        wait = expect_wait(name, TEST_PASSWORD, from, NULL);
        t += wait;
    }
    assert_int_equal(wait, 3600);
    u = account(tok(U_ADMIN), id);
    assert_int_equal(jint(u, "failed_logins"), 13);
    assert_string_not_equal(jstr(u, "locked_until"), until);
    json_decref(u);
    /* After the wait, the right password works and the count starts again. */
    clock_at(t);
    signed_in(name, from, NULL);
    u = account(tok(U_ADMIN), id);
    assert_int_equal(jint(u, "failed_logins"), 0);
    assert_true(json_is_null(json_object_get(u, "locked_until")));
    json_decref(u);
    srv_clock_set(SRV, 0);
}

/* The probe: 200 wrong passwords in a row, then the right one. Only the first five are
 * checked at all (the others are refused before any hashing), and the right one waits too. */
static void test_login_limits_two_hundred_wrong_then_right(void **state)
{
    (void)state;
    clock_start();
    char name[32];
    new_account(name);
    const char *from = new_address();
    int refusals = 0, waits = 0;
    for (int i = 0; i < 200; i++) {
        struct resp r = sign_in(name, fmt("wrong-%d", i), from, NULL);
        if (r.status == 401)
            refusals++;
        else if (throttled(&r) > 0)
            waits++;
        resp_free(&r);
    }
    assert_int_equal(refusals, 5);
    assert_int_equal(waits, 195);
    assert_int_equal(expect_wait(name, TEST_PASSWORD, from, NULL), 60);
    srv_clock_set(SRV, 0);
}

static void test_login_limits_unknown_name_is_treated_alike(void **state)
{
    (void)state;
    clock_start();
    char known[32], ghost[32];
    new_account(known);
    snprintf(ghost, sizeof ghost, "ghost%u", uniq());
    const char *a = new_address(), *b = new_address();
    /* The same answers, in the same order, for a name nobody has. */
    for (int i = 0; i < 5; i++) {
        struct resp r1 = sign_in(known, "wrong-password", a, NULL);
        struct resp r2 = sign_in(ghost, "wrong-password", b, NULL);
        expect_error(&r1, 401, "unauthorized", NULL);
        expect_error(&r2, 401, "unauthorized", NULL);
        assert_string_equal(r1.body, r2.body);
        resp_free(&r1);
        resp_free(&r2);
    }
    struct resp r1 = sign_in(known, "wrong-password", a, NULL);
    struct resp r2 = sign_in(ghost, "wrong-password", b, NULL);
    assert_int_equal(throttled(&r1), 60);
    assert_int_equal(throttled(&r2), 60);
    assert_string_equal(r1.body, r2.body);
    resp_free(&r1);
    resp_free(&r2);
    /* Names are counted as stored: GHOST is ghost. */
    for (char *p = ghost; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    assert_int_equal(expect_wait(ghost, "wrong-password", new_address(), NULL), 60);
    srv_clock_set(SRV, 0);
}

/* ---- device cookies ---- */

static void test_login_limits_device_cookie_keeps_the_owner_in(void **state)
{
    (void)state;
    clock_start();
    char name[32], other[32];
    new_account(name);
    new_account(other);
    const char *home = new_address();
    const char *device = signed_in(name, home, NULL);
    const char *others_device = signed_in(other, home, NULL);
    /* A stranger, from several addresses, locks the account for unknown clients ... */
    for (int i = 0; i < 5; i++)
        fail_n(name, new_address(), NULL, 1);
    assert_int_equal(expect_wait(name, TEST_PASSWORD, new_address(), NULL), 60);
    /* ... even with the right password, and with another user's device cookie ... */
    assert_int_equal(expect_wait(name, TEST_PASSWORD, home, others_device), 60);
    assert_int_equal(expect_wait(name, TEST_PASSWORD, home, "not-a-device-cookie"), 60);
    /* ... but the owner's browser still signs in, and keeps its cookie. */
    const char *again = signed_in(name, home, device);
    assert_string_equal(again, device);
    /* The owner's success did not lift the lock the stranger caused. */
    assert_int_equal(expect_wait(name, TEST_PASSWORD, new_address(), NULL), 60);
    /* One browser may be trusted for two users of a shared PC: the other user's sign-in keeps
     * the token, and it now counts for both. */
    assert_string_equal(signed_in(other, home, device), device);
    srv_clock_set(SRV, 0);
}

static void test_login_limits_device_has_a_limit_of_its_own(void **state)
{
    (void)state;
    clock_start();
    char name[32];
    int64_t id = new_account(name);
    const char *from = new_address();
    const char *device = signed_in(name, from, NULL);
    /* Wrong passwords from the trusted browser lock that browser ... */
    fail_n(name, from, device, 5);
    assert_int_equal(expect_wait(name, TEST_PASSWORD, from, device), 60);
    /* ... not the account for others (they were not the account's failures). */
    json_t *u = account(tok(U_ADMIN), id);
    assert_int_equal(jint(u, "failed_logins"), 0);
    json_decref(u);
    signed_in(name, new_address(), NULL);
    clock_at(60);
    signed_in(name, from, device);
    srv_clock_set(SRV, 0);
}

/* ---- the address's limit ---- */

static void test_login_limits_address_holds_everyone(void **state)
{
    (void)state;
    clock_start();
    char name[32];
    new_account(name);
    const char *office = new_address();
    const char *device = signed_in(name, office, NULL);
    /* 30 failures from one address, each for another name: no account reaches its limit ... */
    for (int i = 0; i < 30; i++)
        refused(fmt("spray%u", uniq()), "wrong-password", office, NULL);
    /* ... but the address does, for everyone behind it, device cookie or not. */
    assert_int_equal(expect_wait(fmt("spray%u", uniq()), "wrong-password", office, NULL), 60);
    assert_int_equal(expect_wait(name, TEST_PASSWORD, office, device), 60);
    /* Elsewhere the same user signs in. */
    signed_in(name, new_address(), device);
    clock_at(60);
    signed_in(name, office, device);
    srv_clock_set(SRV, 0);
}

/* ---- what the administrator sees and does ---- */

static void test_login_limits_admin_sees_and_lifts_the_lock(void **state)
{
    (void)state;
    clock_start();
    const char *admin = tok(U_ADMIN);
    char name[32];
    int64_t id = new_account(name);
    const char *from = new_address();
    const char *device = signed_in(name, from, NULL);
    fail_n(name, new_address(), NULL, 5);
    fail_n(name, from, device, 5);
    json_t *u = account(admin, id);
    assert_int_equal(jint(u, "failed_logins"), 5);
    assert_non_null(jstr(u, "locked_until"));
    assert_non_null(jstr(u, "last_failed_login_at"));
    json_decref(u);
    /* The list shows it too. */
    bool seen = false;
    char cursor[64] = "";
    for (int page = 0; page < 100 && !seen; page++) {
        json_t *l =
            call("GET", fmt("/api/v1/users?limit=200%s%s", *cursor ? "&cursor=" : "", cursor),
                 admin, NULL, 200);
        size_t i;
        json_t *item;
        json_array_foreach(json_object_get(l, "items"), i, item)
        {
            if (jint(item, "id") == id) {
                seen = true;
                assert_int_equal(jint(item, "failed_logins"), 5);
                assert_non_null(jstr(item, "locked_until"));
            }
        }
        const char *next = jstr(l, "next_cursor");
        snprintf(cursor, sizeof cursor, "%s", next ? next : "");
        json_decref(l);
        if (!*cursor)
            break;
    }
    assert_true(seen);
    /* unlock is true or absent; only an administrator of the store may send it. */
    rejected("PATCH", fmt("/api/v1/users/%lld", (long long)id), admin, "{\"unlock\":false}", 400,
             "invalid_field", "unlock");
    rejected("PATCH", fmt("/api/v1/users/%lld", (long long)id), tok(U_MANAGER), "{\"unlock\":true}",
             403, "forbidden", NULL);
    rejected("PATCH", fmt("/api/v1/users/%lld", (long long)id), tok(U_ADMIN2), "{\"unlock\":true}",
             404, "not_found", NULL);
    int64_t head = audit_head_of(admin);
    u = call("PATCH", fmt("/api/v1/users/%lld", (long long)id), admin, "{\"unlock\":true}", 200);
    assert_int_equal(jint(u, "failed_logins"), 0);
    assert_true(json_is_null(json_object_get(u, "locked_until")));
    json_decref(u);
    assert_true(audit_head_of(admin) > head);
    json_t *a = last_audit("user", id);
    json_t *ch = json_object_get(a, "changes");
    assert_int_equal(json_integer_value(json_array_get(json_object_get(ch, "failed_logins"), 0)),
                     5);
    assert_true(json_is_string(json_array_get(json_object_get(ch, "locked_until"), 0)));
    assert_int_equal(
        json_integer_value(json_array_get(json_object_get(ch, "devices_with_failures"), 0)), 1);
    json_decref(a);
    /* Unknown clients and the browser sign in at once. */
    signed_in(name, new_address(), NULL);
    signed_in(name, from, device);
    /* Nothing locked: an unlock changes nothing and writes no audit row. */
    head = audit_head_of(admin);
    json_decref(
        call("PATCH", fmt("/api/v1/users/%lld", (long long)id), admin, "{\"unlock\":true}", 200));
    assert_int_equal(audit_head_of(admin), head);
    srv_clock_set(SRV, 0);
}

/* ---- counted in the database ---- */

enum { RACERS = 12 };

struct racer {
    const char *base, *user, *from;
    pthread_barrier_t *start;
    long status;
    char code[40];
};

static void *racer_run(void *p)
{
    struct racer *r = p;
    CURL *h = curl_easy_init();
    if (!h)
        return NULL;
    char xff[80], body[200];
    snprintf(xff, sizeof xff, "X-Forwarded-For: %s", r->from);
    snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"wrong-password\"}", r->user);
    struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
    hdrs = curl_slist_append(hdrs, xff);
    struct http_buf got = {0};
    curl_easy_setopt(h, CURLOPT_URL, fmt("%s/api/v1/session", r->base));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, http_collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &got);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    pthread_barrier_wait(r->start);
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    json_t *j = got.data ? json_loads(got.data, 0, NULL) : NULL;
    const char *code = json_string_value(json_object_get(json_object_get(j, "error"), "code"));
    snprintf(r->code, sizeof r->code, "%s", code ? code : "");
    json_decref(j);
    free(got.data);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    return NULL;
}

/* Failures at the same moment from one address, each for another account: every one the
 * server refused after checking it is counted, for the address and for its account (a single
 * UPDATE ... + 1 each: none lost to a race). (One account's sign-ins are checked one at a
 * time: test_login_limits_one_account_checked_at_a_time.) */
static void test_login_limits_failures_at_once_all_counted(void **state)
{
    (void)state;
    clock_start();
    char names[RACERS][32];
    int64_t ids[RACERS];
    const char *from = new_address();
    for (int i = 0; i < RACERS; i++)
        ids[i] = new_account(names[i]);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, RACERS);
    struct racer r[RACERS];
    pthread_t th[RACERS];
    for (int i = 0; i < RACERS; i++) {
        r[i] = (struct racer){SRV->base, names[i], from, &start, 0, ""};
        assert_int_equal(pthread_create(&th[i], NULL, racer_run, &r[i]), 0);
    }
    int refusals = 0, waits = 0, overloaded = 0;
    for (int i = 0; i < RACERS; i++) {
        pthread_join(th[i], NULL);
        if (r[i].status == 401 && strcmp(r[i].code, "unauthorized") == 0)
            refusals++;
        else if (r[i].status == 429 && strcmp(r[i].code, "too_many_attempts") == 0)
            waits++;
        else if (r[i].status == 503 && strcmp(r[i].code, "overloaded") == 0)
            overloaded++; /* no hashing slot in time: not checked, not counted */
        else
            fail_msg("racer %d: HTTP %ld %s", i, r[i].status, r[i].code);
    }
    pthread_barrier_destroy(&start);
    print_message("%d refused, %d told to wait, %d overloaded\n", refusals, waits, overloaded);
    assert_true(refusals >= 5);
    assert_int_equal(waits, 0); /* 12 failures do not lock an address (30) */
    char out[32];
    assert_int_equal(db_sql(fmt("SELECT failures FROM login_failures WHERE kind = 'address' "
                                "AND subject = '%s'",
                                from),
                            out, sizeof out),
                     0);
    assert_int_equal(atoi(out), refusals);
    int counted = 0;
    for (int i = 0; i < RACERS; i++) {
        json_t *u = account(tok(U_ADMIN), ids[i]);
        assert_int_equal(jint(u, "failed_logins"), r[i].status == 401 ? 1 : 0);
        counted += (int)jint(u, "failed_logins");
        json_decref(u);
    }
    assert_int_equal(counted, refusals);
    srv_clock_set(SRV, 0);
}

/* The counters are the database's: a restarted server (or another process) keeps them. */
static void test_login_limits_survive_a_restart(void **state)
{
    (void)state;
    clock_start();
    char name[32];
    new_account(name);
    const char *from = new_address();
    fail_n(name, from, NULL, 5);
    assert_int_equal(srv_restart(SRV), 0);
    clock_at(10);
    assert_int_equal(expect_wait(name, TEST_PASSWORD, new_address(), NULL), 50);
    srv_clock_set(SRV, 0);
}

static void test_login_limits_forgotten_after_a_quiet_day(void **state)
{
    (void)state;
    clock_start();
    char name[32];
    int64_t id = new_account(name);
    const char *from = new_address();
    fail_n(name, from, NULL, 4);
    /* A day without failures: the four are forgotten, so four more make no wait. */
    clock_at(86400);
    fail_n(name, from, NULL, 4);
    /* (Read from the database: a day on, tok()'s sessions have ended, and signing in again
     * would sweep them.) */
    char out[32];
    assert_int_equal(db_sql(fmt("SELECT failures FROM login_failures WHERE kind = 'account' "
                                "AND subject = '%s'",
                                name),
                            out, sizeof out),
                     0);
    assert_string_equal(out, "4");
    signed_in(name, from, NULL);
    srv_clock_set(SRV, 0);
    json_t *u = account(tok(U_ADMIN), id);
    assert_int_equal(jint(u, "failed_logins"), 0);
    json_decref(u);
}

/* ---- hashing outside transactions ---- */

struct paused {
    const char *method, *path, *token, *body, *from;
    long status;
};

static void *paused_run(void *p)
{
    struct paused *x = p;
    CURL *h = curl_easy_init();
    if (!h)
        return NULL;
    char xff[80], auth[200];
    struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
    if (x->from) {
        snprintf(xff, sizeof xff, "X-Forwarded-For: %s", x->from);
        hdrs = curl_slist_append(hdrs, xff);
    }
    if (x->token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", x->token);
        hdrs = curl_slist_append(hdrs, auth);
    }
    struct http_buf got = {0};
    curl_easy_setopt(h, CURLOPT_URL, fmt("%s%s", SRV->base, x->path));
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, x->method);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, x->body);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, http_collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &got);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &x->status);
    free(got.data);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    return NULL;
}

/* Runs the request in a thread, holds it in the middle of its hash, and meanwhile checks that
 * it holds no transaction: another client's write goes through at once (SQLite: it would wait
 * for the write lock, then fail busy), and PostgreSQL has no transaction open. */
static long while_hashing(struct paused *x)
{
    char held[700];
    snprintf(held, sizeof held, "%s.held", pause_file);
    FILE *f = fopen(pause_file, "w");
    assert_non_null(f);
    fclose(f);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, paused_run, x), 0);
    double until = mono_s() + 60;
    while (access(held, F_OK) != 0) {
        if (mono_s() > until) {
            unlink(pause_file);
            pthread_join(th, NULL);
            fail_msg("%s %s did not reach its hash in 60 s", x->method, x->path);
        }
        sleep_ms(5);
    }
    char phone[16];
    make_mobile(phone, uniq());
    double t = mono_s();
    json_decref(call("POST", "/api/v1/customers", tok(U_ADVISOR),
                     fmt("{\"name\":\"哈希\",\"phone\":\"%s\"}", phone), 201));
    double took = mono_s() - t;
    if (SRV->pg) {
        char out[32];
        assert_int_equal(db_sql("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = "
                                "current_database() AND state LIKE 'idle in transaction%'",
                                out, sizeof out),
                         0);
        assert_string_equal(out, "0");
    }
    /* Still held: the write did not wait for it. */
    assert_int_equal(access(held, F_OK), 0);
    unlink(pause_file);
    pthread_join(th, NULL);
    print_message("%s %s: a write meanwhile took %.0f ms\n", x->method, x->path, took * 1000);
    return x->status;
}

static void test_login_limits_passwords_hashed_outside_transactions(void **state)
{
    (void)state;
    const char *admin = tok(U_ADMIN);
    char name[32];
    int64_t id = new_account(name);
    char *own = login(name);
    tok(U_ADVISOR);
    /* Sign-in, wrong and right. */
    struct paused x = {
        "POST", "/api/v1/session", NULL, body_of(name, "wrong-password"), new_address(), 0};
    assert_int_equal(while_hashing(&x), 401);
    x = (struct paused){
        "POST", "/api/v1/session", NULL, keep(body_of(name, TEST_PASSWORD)), new_address(), 0};
    assert_int_equal(while_hashing(&x), 201);
    /* An administrator's new user and password reset. */
    x = (struct paused){"POST",
                        "/api/v1/users",
                        admin,
                        keep(fmt("{\"username\":\"hash%u\",\"role\":\"caller\",\"password\":"
                                 "\"%s\"}",
                                 uniq(), TEST_PASSWORD)),
                        NULL,
                        0};
    assert_int_equal(while_hashing(&x), 201);
    /* The own password change (two hashes: the old one checked, the new one made). */
    x = (struct paused){
        "POST", "/api/v1/me/password",
        own,    "{\"old_password\":\"" TEST_PASSWORD "\",\"new_password\":\"changed-1234\"}",
        NULL,   0};
    assert_int_equal(while_hashing(&x), 200);
    x = (struct paused){"PATCH", keep(fmt("/api/v1/users/%lld", (long long)id)),
                        admin,   "{\"password\":\"reset-1234-abc\"}",
                        NULL,    0};
    assert_int_equal(while_hashing(&x), 200);
    free(own);
}

/* At most hash_slots hashes at once: with one slot held (by a sign-in paused mid-hash), the next
 * sign-in waits its 5 s bound and answers 503 overloaded, Retry-After: 1, without being
 * counted; meanwhile the rest of the server answers. */
static void test_login_limits_hashes_at_once_are_bounded(void **state)
{
    (void)state;
    setenv("DMS_HASH_SLOTS", "1", 1);
    assert_int_equal(srv_restart(SRV), 0);
    char name[32], other[32];
    int64_t id = new_account(name);
    new_account(other);
    tok(U_ADVISOR);
    char held[700];
    snprintf(held, sizeof held, "%s.held", pause_file);
    FILE *f = fopen(pause_file, "w");
    assert_non_null(f);
    fclose(f);
    struct paused x = {
        "POST", "/api/v1/session", NULL, keep(body_of(name, "wrong-password")), new_address(), 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, paused_run, &x), 0);
    double until = mono_s() + 60;
    while (access(held, F_OK) != 0 && mono_s() < until)
        sleep_ms(5);
    assert_int_equal(access(held, F_OK), 0);
    struct resp r = sign_in(other, "another-wrong", new_address(), NULL);
    expect_error(&r, 503, "overloaded", NULL);
    assert_string_equal(header_value(&r, "Retry-After"), "1");
    resp_free(&r);
    json_decref(call("GET", "/api/v1/customers?limit=1", tok(U_ADVISOR), NULL, 200));
    unlink(pause_file);
    pthread_join(th, NULL);
    assert_int_equal(x.status, 401);
    /* Only the attempt that was checked counts. */
    json_t *u = account(tok(U_ADMIN), id);
    assert_int_equal(jint(u, "failed_logins"), 1);
    json_decref(u);
    unsetenv("DMS_HASH_SLOTS");
    assert_int_equal(srv_restart(SRV), 0);
}

/* One account's sign-ins are checked one at a time (found in review): four wrong passwords,
 * then a fifth paused in the middle of its hash and a sixth sent meanwhile. The sixth waits
 * for the fifth, whose failure locks the account, and is then told to wait (429) without
 * being checked or counted. Without the queue both pass the lock check while the count is
 * four, both are checked, and both count (sent at once, N wrong passwords all were). */
static void test_login_limits_one_account_checked_at_a_time(void **state)
{
    (void)state;
    clock_start();
    char name[32];
    int64_t id = new_account(name);
    fail_n(name, new_address(), NULL, 4);
    char held[700], queued[700];
    snprintf(held, sizeof held, "%s.held", pause_file);
    snprintf(queued, sizeof queued, "%s.queued", pause_file);
    FILE *f = fopen(pause_file, "w");
    assert_non_null(f);
    fclose(f);
    struct paused fifth = {
        "POST", "/api/v1/session", NULL, keep(body_of(name, "wrong-password")), new_address(), 0};
    struct paused sixth = {"POST",        "/api/v1/session",
                           NULL,          keep(body_of(upper_copy(name), "another-wrong")),
                           new_address(), 0};
    pthread_t t5, t6;
    assert_int_equal(pthread_create(&t5, NULL, paused_run, &fifth), 0);
    double until = mono_s() + 60;
    while (access(held, F_OK) != 0 && mono_s() < until)
        sleep_ms(5);
    assert_int_equal(access(held, F_OK), 0);
    assert_int_equal(pthread_create(&t6, NULL, paused_run, &sixth), 0);
    while (access(queued, F_OK) != 0 && mono_s() < until)
        sleep_ms(5);
    assert_int_equal(access(queued, F_OK), 0);
    unlink(pause_file);
    pthread_join(t5, NULL);
    pthread_join(t6, NULL);
    assert_int_equal(fifth.status, 401);
    assert_int_equal(sixth.status, 429);
    json_t *u = account(tok(U_ADMIN), id);
    assert_int_equal(jint(u, "failed_logins"), 5);
    json_decref(u);
    srv_clock_set(SRV, 0);
}

/* A signed-in session guessing the current password (POST /me/password) is held like a
 * sign-in (found in review: it could try without limit): five wrong old passwords, and the
 * next try waits; they count on the account; the right one works after the wait. */
static void test_login_limits_own_password_change_guesses_count(void **state)
{
    (void)state;
    clock_start();
    char name[32];
    int64_t id = new_account(name);
    struct resp s = sign_in(name, TEST_PASSWORD, new_address(), NULL);
    json_t *j = expect(&s, 201);
    char *token = strdup(jstr(j, "token"));
    resp_free(&s);
    for (int i = 0; i < 5; i++)
        rejected("POST", "/api/v1/me/password", token,
                 "{\"old_password\":\"wrong-guess\",\"new_password\":\"changed-1234\"}", 422,
                 "wrong_password", "old_password");
    json_t *u = account(tok(U_ADMIN), id);
    assert_int_equal(jint(u, "failed_logins"), 5);
    json_decref(u);
    struct req_opts o = {.token = token,
                         .raw_body = "{\"old_password\":\"" TEST_PASSWORD
                                     "\",\"new_password\":\"changed-1234\"}"};
    struct resp r = http_opts("POST", "/api/v1/me/password", &o);
    assert_int_equal(throttled(&r), 60);
    resp_free(&r);
    clock_at(60);
    json_decref(call("POST", "/api/v1/me/password", token,
                     "{\"old_password\":\"" TEST_PASSWORD "\",\"new_password\":\"changed-1234\"}",
                     200));
    free(token);
    srv_clock_set(SRV, 0);
}

/* ---- Secure cookies ---- */

static bool all_secure(const struct resp *r, int want)
{
    int n = 0, secure = 0;
    for (const char *p = r->headers; (p = strstr(p, "Set-Cookie:")) != NULL; p++) {
        const char *eol = strstr(p, "\r\n");
        n++;
        const char *s = strstr(p, "; Secure");
        if (s && (!eol || s < eol))
            secure++;
    }
    assert_int_equal(n, want);
    assert_true(secure == 0 || secure == n);
    return secure == n;
}

static bool secure_sign_in(const char *extra)
{
    struct resp r = sign_in_with(U_CALLER, TEST_PASSWORD, NULL, NULL, extra);
    expect(&r, 201);
    bool secure = all_secure(&r, 3);
    /* Signing out clears the cookies the same way. */
    const char *headers[] = {extra, NULL};
    struct req_opts o = {.token = jstr(r.json, "token"), .headers = headers};
    struct resp out = http_opts("DELETE", "/api/v1/session", &o);
    expect(&out, 200);
    assert_true(all_secure(&out, 2) == secure);
    resp_free(&out);
    resp_free(&r);
    return secure;
}

static void test_login_limits_secure_cookies_behind_a_trusted_proxy(void **state)
{
    (void)state;
    /* auto (the default), 127.0.0.1 trusted: the proxy's word decides. */
    assert_true(secure_sign_in("X-Forwarded-Proto: https"));
    assert_true(secure_sign_in("X-Forwarded-Proto: HTTPS, http"));
    assert_false(secure_sign_in("X-Forwarded-Proto: http"));
    assert_false(secure_sign_in("X-Forwarded-Proto: httpsx"));
    assert_false(secure_sign_in(NULL));
}

static void test_login_limits_secure_cookies_on_and_off(void **state)
{
    (void)state;
    setenv("DMS_COOKIE_SECURE", "on", 1);
    assert_int_equal(srv_restart(SRV), 0);
    assert_true(secure_sign_in(NULL));
    assert_true(secure_sign_in("X-Forwarded-Proto: http"));
    setenv("DMS_COOKIE_SECURE", "off", 1);
    assert_int_equal(srv_restart(SRV), 0);
    assert_false(secure_sign_in("X-Forwarded-Proto: https"));
    unsetenv("DMS_COOKIE_SECURE");
    assert_int_equal(srv_restart(SRV), 0);
    assert_true(secure_sign_in("X-Forwarded-Proto: https"));
    /* A bad value stops the server from starting: checked through the command line. */
    char out[2048];
    static const char *const bad[] = {"DMS_COOKIE_SECURE=yes", NULL};
    assert_int_not_equal(
        srv_cli(SRV, bad, out, sizeof out, "serve", "--listen", "127.0.0.1:0", NULL), 0);
    assert_non_null(strstr(out, "cookie_secure"));
    static const char *const proxies[] = {"DMS_TRUSTED_PROXIES=10.0.0.0/33", NULL};
    assert_int_not_equal(
        srv_cli(SRV, proxies, out, sizeof out, "serve", "--listen", "127.0.0.1:0", NULL), 0);
    assert_non_null(strstr(out, "trusted_proxies"));
    static const char *const forget[] = {"DMS_LOGIN_FORGET_HOURS=1",
                                         "DMS_LOGIN_LOCK_MAX_SECONDS=7200", NULL};
    assert_int_not_equal(
        srv_cli(SRV, forget, out, sizeof out, "serve", "--listen", "127.0.0.1:0", NULL), 0);
    assert_non_null(strstr(out, "login_forget_hours"));
}

static int setup(void **state)
{
    /* 127.0.0.1 is the proxy: tests speak for the addresses of their own. */
    setenv("DMS_TRUSTED_PROXIES", "127.0.0.1", 1);
    snprintf(pause_file, sizeof pause_file, "%s/dms-hash-pause-%d",
             getenv("DMS_TEST_TMP") ? getenv("DMS_TEST_TMP") : "/tmp", (int)getpid());
    unlink(pause_file);
    setenv("DMS_TEST_HASH_PAUSE", pause_file, 1);
    /* The outbox worker's transactions would show in pg_stat_activity next to the one a test
     * looks for: it runs once at start, then not for an hour. */
    setenv("DMS_WORKER_INTERVAL_MS", "3600000", 1);
    return srv_setup(state);
}

static int teardown(void **state)
{
    unlink(pause_file);
    return srv_teardown(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_limits_account_waits_after_five_failures),
        cmocka_unit_test(test_login_limits_two_hundred_wrong_then_right),
        cmocka_unit_test(test_login_limits_unknown_name_is_treated_alike),
        cmocka_unit_test(test_login_limits_device_cookie_keeps_the_owner_in),
        cmocka_unit_test(test_login_limits_device_has_a_limit_of_its_own),
        cmocka_unit_test(test_login_limits_address_holds_everyone),
        cmocka_unit_test(test_login_limits_admin_sees_and_lifts_the_lock),
        cmocka_unit_test(test_login_limits_failures_at_once_all_counted),
        cmocka_unit_test(test_login_limits_survive_a_restart),
        cmocka_unit_test(test_login_limits_forgotten_after_a_quiet_day),
        cmocka_unit_test(test_login_limits_passwords_hashed_outside_transactions),
        cmocka_unit_test(test_login_limits_hashes_at_once_are_bounded),
        cmocka_unit_test(test_login_limits_one_account_checked_at_a_time),
        cmocka_unit_test(test_login_limits_own_password_change_guesses_count),
        cmocka_unit_test(test_login_limits_secure_cookies_behind_a_trusted_proxy),
        cmocka_unit_test(test_login_limits_secure_cookies_on_and_off),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
