/* Authentication and authorisation: Bearer and cookie sessions, CSRF on cookie writes, session
 * expiry, disabled accounts, hashed tokens and passwords at rest, and the role × route matrix of
 * rights (test_session.c covers the basic sign-in/sign-out round trip). */
#include "harness.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers ---- */

static long long db_count(const char *sql)
{
    char out[64];
    assert_int_equal(db_sql(sql, out, sizeof out), 0);
    char *end;
    long long n = strtoll(out, &end, 10);
    assert_true(end != out);
    return n;
}

static const char *session_body(const char *username, const char *password)
{
    return fmt("{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
}

/* Signs in and keeps token and CSRF token (caller frees both). */
static void login_both(const char *username, char **token, char **csrf)
{
    json_t *j = call("POST", "/api/v1/session", NULL, session_body(username, TEST_PASSWORD), 201);
    const char *t = json_string_value(json_object_get(j, "token"));
    const char *c = json_string_value(json_object_get(j, "csrf_token"));
    assert_non_null(t);
    assert_non_null(c);
    assert_string_not_equal(t, c);
    *token = strdup(t);
    *csrf = strdup(c);
    json_decref(j);
}

static struct resp cookie_req(const char *method, const char *path, const char *token,
                              const char *csrf, const char *body)
{
    char cookie[200];
    snprintf(cookie, sizeof cookie, "dms_session=%s", token);
    struct req_opts o = {.cookie = cookie, .csrf = csrf, .raw_body = body};
    return http_opts(method, path, &o);
}

/* An account created by admin1 that may be used at once; returns its id, name in out. */
static int64_t new_user(const char *role, char out[32])
{
    static char *admin;
    if (!admin)
        admin = login(U_ADMIN);
    snprintf(out, 32, "auth%u", uniq());
    json_t *j = call("POST", "/api/v1/users", admin,
                     fmt("{\"username\":\"%s\",\"role\":\"%s\",\"password\":\"%s\","
                         "\"must_change_password\":false}",
                         out, role, TEST_PASSWORD),
                     201);
    int64_t id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    assert_true(id > 0);
    return id;
}

static const char *customer_body(const char *name)
{
    char phone[16];
    make_mobile(phone, uniq());
    return fmt("{\"name\":\"%s\",\"phone\":\"%s\"}", name, phone);
}

/* ---- tokens and cookies ---- */

static void test_auth_bearer_and_cookie_are_both_accepted(void **state)
{
    (void)state;
    char *token, *csrf;
    login_both(U_ADVISOR, &token, &csrf);
    json_t *j = call("GET", "/api/v1/me", token, NULL, 200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "user"), "username")),
                        U_ADVISOR);
    json_decref(j);
    struct resp r = cookie_req("GET", "/api/v1/me", token, NULL, NULL);
    j = expect(&r, 200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "user"), "username")),
                        U_ADVISOR);
    resp_free(&r);
    /* Another cookie name is not a session. */
    struct req_opts o = {.cookie = fmt("session=%s", token)};
    r = http_opts("GET", "/api/v1/me", &o);
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
    free(token);
    free(csrf);
}

static void test_auth_cookie_carries_the_body_token(void **state)
{
    (void)state;
    struct resp r = http("POST", "/api/v1/session", NULL, session_body(U_CALLER, TEST_PASSWORD));
    json_t *j = expect(&r, 201);
    const char *token = json_string_value(json_object_get(j, "token"));
    assert_non_null(token);
    assert_non_null(strstr(r.headers, fmt("dms_session=%s", token)));
    assert_true(json_is_string(json_object_get(j, "csrf_token")));
    resp_free(&r);
}

static void test_auth_cookie_write_without_csrf_is_403(void **state)
{
    (void)state;
    char *token, *csrf, *token2, *csrf2;
    login_both(U_ADVISOR, &token, &csrf);
    login_both(U_ADVISOR, &token2, &csrf2);
    int64_t before = audit_head();
    /* No header, an empty one, the session token itself, another session's CSRF token. */
    const char *bad[] = {NULL, "", token, csrf2, "x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct resp r =
            cookie_req("POST", "/api/v1/customers", token, bad[i], customer_body("赵一"));
        expect_error(&r, 403, "forbidden", NULL);
        resp_free(&r);
    }
    /* Other writes: the password change, and an administrator's user management. */
    struct resp pr = cookie_req("POST", "/api/v1/me/password", token, NULL,
                                "{\"old_password\":\"" TEST_PASSWORD "\",\"new_password\":"
                                "\"csrf-attack-1\"}");
    expect_error(&pr, 403, "forbidden", NULL);
    resp_free(&pr);
    char *atok, *acsrf;
    login_both(U_ADMIN, &atok, &acsrf);
    pr = cookie_req("POST", "/api/v1/users", atok, NULL,
                    fmt("{\"username\":\"csrf%u\",\"role\":\"admin\",\"password\":\"%s\"}", uniq(),
                        TEST_PASSWORD));
    expect_error(&pr, 403, "forbidden", NULL);
    resp_free(&pr);
    free(atok);
    free(acsrf);
    assert_int_equal(audit_head(), before);
    /* The password did not change. */
    free(login(U_ADVISOR));
    /* With the right CSRF token the same write goes through. */
    struct resp r = cookie_req("POST", "/api/v1/customers", token, csrf, customer_body("赵一"));
    expect(&r, 201);
    resp_free(&r);
    assert_true(audit_head() > before);
    free(token);
    free(csrf);
    free(token2);
    free(csrf2);
}

static void test_auth_cookie_patch_and_delete_need_csrf(void **state)
{
    (void)state;
    char *token, *csrf;
    login_both(U_ADVISOR, &token, &csrf);
    int64_t id = new_customer(token, "钱二");
    int64_t before = audit_head();
    struct resp r = cookie_req("PATCH", fmt("/api/v1/customers/%lld", (long long)id), token, NULL,
                               "{\"notes\":\"csrf\"}");
    expect_error(&r, 403, "forbidden", NULL);
    resp_free(&r);
    r = cookie_req("DELETE", "/api/v1/session", token, NULL, NULL);
    expect_error(&r, 403, "forbidden", NULL);
    resp_free(&r);
    assert_int_equal(audit_head(), before);
    /* The session survived the refused sign-out, and the notes were not written. */
    json_t *j = call("GET", fmt("/api/v1/customers/%lld", (long long)id), token, NULL, 200);
    assert_true(json_is_null(json_object_get(j, "notes")));
    json_decref(j);
    r = cookie_req("PATCH", fmt("/api/v1/customers/%lld", (long long)id), token, csrf,
                   "{\"notes\":\"csrf\"}");
    expect(&r, 200);
    resp_free(&r);
    r = cookie_req("DELETE", "/api/v1/session", token, csrf, NULL);
    expect(&r, 200);
    resp_free(&r);
    r = http("GET", "/api/v1/me", token, NULL);
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
    free(token);
    free(csrf);
}

static void test_auth_bearer_write_needs_no_csrf(void **state)
{
    (void)state;
    char *token = login(U_ADVISOR);
    json_decref(call("POST", "/api/v1/customers", token, customer_body("孙三"), 201));
    free(token);
}

static void test_auth_csrf_token_is_not_a_session(void **state)
{
    (void)state;
    char *token, *csrf;
    login_both(U_CALLER, &token, &csrf);
    struct resp r = http("GET", "/api/v1/me", csrf, NULL);
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
    r = cookie_req("GET", "/api/v1/me", csrf, NULL, NULL);
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
    free(token);
    free(csrf);
}

static void test_auth_logout_ends_only_that_session(void **state)
{
    (void)state;
    char *a = login(U_WORKSHOP), *b = login(U_WORKSHOP);
    json_decref(call("DELETE", "/api/v1/session", a, NULL, 200));
    struct resp r = http("GET", "/api/v1/me", a, NULL);
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
    json_decref(call("GET", "/api/v1/me", b, NULL, 200));
    free(a);
    free(b);
}

static void test_auth_bad_sign_in_bodies_are_4xx(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        long status;
        const char *code;
    } cases[] = {
        {"{\"username\":\"" U_ADVISOR "\"}", 400, "missing_field"},
        {"{\"password\":\"" TEST_PASSWORD "\"}", 400, "missing_field"},
        {"{\"username\":1,\"password\":\"" TEST_PASSWORD "\"}", 400, "invalid_field"},
        {"{\"username\":\"" U_ADVISOR "\",\"password\":\"" TEST_PASSWORD "\",\"x\":1}", 400,
         "invalid_field"},
        {"[\"" U_ADVISOR "\",\"" TEST_PASSWORD "\"]", 400, "invalid_json"},
        {"{\"username\":\"" U_ADVISOR "\",", 400, "invalid_json"},
        {"{\"username\":\"\",\"password\":\"\"}", 401, "unauthorized"},
        {"{\"username\":\"a b'; --\",\"password\":\"" TEST_PASSWORD "\"}", 401, "unauthorized"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct resp r = http("POST", "/api/v1/session", NULL, cases[i].body);
        expect_error(&r, cases[i].status, cases[i].code, NULL);
        assert_null(strstr(r.headers, "dms_session="));
        resp_free(&r);
    }
    /* No body at all. */
    struct resp r = http("POST", "/api/v1/session", NULL, NULL);
    expect_error(&r, 400, "invalid_json", NULL);
    resp_free(&r);
    /* A very long password is refused without hashing megabytes. */
    char *big = malloc(200000);
    assert_non_null(big);
    int n = snprintf(big, 200000, "{\"username\":\"%s\",\"password\":\"", U_ADVISOR);
    memset(big + n, 'p', 150000);
    snprintf(big + n + 150000, 200000 - (size_t)n - 150000, "\"}");
    r = http("POST", "/api/v1/session", NULL, big);
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
    free(big);
}

static void test_auth_malformed_tokens_are_401(void **state)
{
    (void)state;
    char *token = login(U_ADVISOR);
    char wrong[64];
    snprintf(wrong, sizeof wrong, "%s", token);
    wrong[5] = wrong[5] == 'A' ? 'B' : 'A';
    const char *bad[] = {"", " ", wrong, "a", "../../etc/passwd", "' OR '1'='1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct resp r = http("GET", "/api/v1/me", bad[i], NULL);
        expect_error(&r, 401, "unauthorized", NULL);
        resp_free(&r);
    }
    /* A token of ten kilobytes. */
    char *long_token = malloc(10001);
    assert_non_null(long_token);
    memset(long_token, 'A', 10000);
    long_token[10000] = '\0';
    struct req_opts o = {.cookie = fmt("dms_session=%.4000s", long_token)};
    struct resp r = http_opts("GET", "/api/v1/me", &o);
    assert_true(r.status == 401 || r.status == 431 || r.status == 400);
    resp_free(&r);
    free(long_token);
    json_decref(call("GET", "/healthz", NULL, NULL, 200));
    free(token);
}

/* ---- expiry, disabled accounts ---- */

static void test_auth_expired_session_is_401(void **state)
{
    (void)state;
    char name[32];
    int64_t id = new_user("advisor", name);
    char *token = login(name);
    json_decref(call("GET", "/api/v1/me", token, NULL, 200));
    /* Move the session's end into the past, as if session_hours had gone by. */
    char out[64];
    assert_int_equal(db_sql(fmt("UPDATE sessions SET expires_at = '2000-01-01T00:00:00Z' WHERE "
                                "user_id = %lld",
                                (long long)id),
                            out, sizeof out),
                     0);
    struct resp r = http("GET", "/api/v1/me", token, NULL);
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
    r = http("POST", "/api/v1/customers", token, customer_body("周四"));
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
    free(token);
    /* Signing in again gives a working session. */
    token = login(name);
    json_decref(call("GET", "/api/v1/me", token, NULL, 200));
    free(token);
}

static void test_auth_session_reports_when_it_ends(void **state)
{
    (void)state;
    json_t *j = call("POST", "/api/v1/session", NULL, session_body(U_PARTS, TEST_PASSWORD), 201);
    const char *exp = json_string_value(json_object_get(j, "expires_at"));
    assert_non_null(exp);
    /* UTC timestamp, in the future, at most 720 hours (session_hours' limit) away. */
    struct tm tm = {0};
    assert_non_null(strptime(exp, "%Y-%m-%dT%H:%M:%SZ", &tm));
    time_t end = timegm(&tm), now = time(NULL);
    assert_true(end > now + 3000);
    assert_true(end <= now + 720 * 3600 + 60);
    json_decref(j);
}

static void test_auth_disabled_user_cannot_sign_in_and_loses_sessions(void **state)
{
    (void)state;
    char name[32];
    int64_t id = new_user("caller", name);
    char *token = login(name);
    char *admin = login(U_ADMIN);
    json_decref(
        call("PATCH", fmt("/api/v1/users/%lld", (long long)id), admin, "{\"disabled\":true}", 200));
    struct resp r = http("GET", "/api/v1/me", token, NULL);
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
    r = http("POST", "/api/v1/customers", token, customer_body("吴五"));
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
    r = http("POST", "/api/v1/session", NULL, session_body(name, TEST_PASSWORD));
    expect_error(&r, 401, "unauthorized", NULL);
    assert_null(strstr(r.headers, "dms_session="));
    resp_free(&r);
    /* Enabled again, the account signs in. */
    json_decref(call("PATCH", fmt("/api/v1/users/%lld", (long long)id), admin,
                     "{\"disabled\":false}", 200));
    char *again = login(name);
    json_decref(call("GET", "/api/v1/me", again, NULL, 200));
    free(again);
    free(admin);
    free(token);
}

/* ---- what is kept at rest ---- */

static bool file_contains(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t n = strlen(needle), cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            char *grown = realloc(buf, cap *= 2);
            assert_non_null(grown);
            buf = grown;
        }
    }
    fclose(f);
    bool found = memmem(buf, len, needle, n) != NULL;
    free(buf);
    return found;
}

static void test_auth_only_token_hashes_are_stored(void **state)
{
    (void)state;
    char name[32];
    new_user("advisor", name);
    char *token, *csrf;
    login_both(name, &token, &csrf);
    json_decref(call("GET", "/api/v1/me", token, NULL, 200));
    /* The session is in the sessions table ... */
    assert_int_equal(db_count(fmt("SELECT COUNT(*) FROM sessions x JOIN users u ON u.id = "
                                  "x.user_id WHERE u.username = '%s'",
                                  name)),
                     1);
    /* ... but neither token appears in any of its columns. */
    const char *find = SRV->pg ? "strpos" : "instr";
    for (int i = 0; i < 2; i++) {
        const char *t = i ? csrf : token;
        assert_int_equal(db_count(fmt("SELECT COUNT(*) FROM sessions WHERE %s(token_hash, '%s') > "
                                      "0 OR %s(csrf_hash, '%s') > 0 OR token_hash = '%s'",
                                      find, t, find, t, t)),
                         0);
    }
    /* Nor anywhere in the database files. */
    if (!SRV->pg) {
        const char *db = SRV->db_url + 7;
        const char *files[] = {db, fmt("%s-wal", db)};
        for (size_t i = 0; i < 2; i++) {
            assert_false(file_contains(files[i], token));
            assert_false(file_contains(files[i], csrf));
        }
        /* The check can see a string that is there. */
        assert_true(file_contains(db, U_ADVISOR) || file_contains(fmt("%s-wal", db), U_ADVISOR));
    }
    free(token);
    free(csrf);
}

static void test_auth_passwords_are_stored_as_argon2id(void **state)
{
    (void)state;
    char hash[256];
    assert_int_equal(db_sql("SELECT password_hash FROM users WHERE username = '" U_ADVISOR "'",
                            hash, sizeof hash),
                     0);
    assert_true(strncmp(hash, "$argon2id$", 10) == 0);
    assert_null(strstr(hash, TEST_PASSWORD));
    /* Every account, not only the first. */
    assert_int_equal(db_count("SELECT COUNT(*) FROM users WHERE password_hash NOT LIKE "
                              "'$argon2id$%'"),
                     0);
}

/* ---- the rights matrix ---- */

enum { ADV, CALL, MGR, PARTS, SHOP, WARR, ADMIN, NROLES };
static const char *const ROLE_USER[NROLES] = {U_ADVISOR,  U_CALLER,   U_MANAGER, U_PARTS,
                                              U_WORKSHOP, U_WARRANTY, U_ADMIN};
#define ALL      0x7fu
#define BIT(r)   (1u << (r))
#define ARCHIVE  (BIT(ADV) | BIT(CALL) | BIT(MGR))
#define VEHICLES (BIT(ADV) | BIT(MGR))
#define MILEAGE  (BIT(ADV) | BIT(CALL) | BIT(MGR) | BIT(SHOP))
#define SERVICE  (BIT(ADV) | BIT(MGR) | BIT(WARR))

enum {
    RT_ME,
    RT_STORE,
    RT_CUSTOMERS,
    RT_CUSTOMER,
    RT_CUSTOMER_VEHICLES,
    RT_CONTACT_HISTORY,
    RT_VEHICLES,
    RT_VEHICLE,
    RT_MILEAGE,
    RT_VEHICLE_RECORDS,
    RT_RECORD,
    RT_SEARCH,
    RT_CUSTOMER_CREATE,
    RT_CUSTOMER_PATCH,
    RT_CONFIRM,
    RT_DRIVER_CREATE,
    RT_DRIVER_DELETE,
    RT_VEHICLE_CREATE,
    RT_VEHICLE_PATCH,
    RT_MILEAGE_CREATE,
    RT_RECORD_CREATE,
    RT_USERS,
    RT_USER_CREATE,
    RT_USER,
    RT_USER_PATCH,
    RT_AUDIT,
    RT_COUNT
};

static const struct {
    const char *method, *what;
    unsigned allowed;
    long ok;
} MATRIX[RT_COUNT] = {
    [RT_ME] = {"GET", "/me", ALL, 200},
    [RT_STORE] = {"GET", "/store", ALL, 200},
    [RT_CUSTOMERS] = {"GET", "/customers", ALL, 200},
    [RT_CUSTOMER] = {"GET", "/customers/{id}", ALL, 200},
    [RT_CUSTOMER_VEHICLES] = {"GET", "/customers/{id}/vehicles", ALL, 200},
    [RT_CONTACT_HISTORY] = {"GET", "/customers/{id}/contact-history", ALL, 200},
    [RT_VEHICLES] = {"GET", "/vehicles", ALL, 200},
    [RT_VEHICLE] = {"GET", "/vehicles/{id}", ALL, 200},
    [RT_MILEAGE] = {"GET", "/vehicles/{id}/mileage", ALL, 200},
    [RT_VEHICLE_RECORDS] = {"GET", "/vehicles/{id}/service-records", ALL, 200},
    [RT_RECORD] = {"GET", "/service-records/{id}", ALL, 200},
    [RT_SEARCH] = {"GET", "/search", ALL, 200},
    /* CRM-4: callers keep contact details current. */
    [RT_CUSTOMER_CREATE] = {"POST", "/customers", ARCHIVE, 201},
    [RT_CUSTOMER_PATCH] = {"PATCH", "/customers/{id}", ARCHIVE, 200},
    [RT_CONFIRM] = {"POST", "/customers/{id}/contact-confirmations", ARCHIVE, 201},
    [RT_DRIVER_CREATE] = {"POST", "/customers/{id}/drivers", ARCHIVE, 201},
    [RT_DRIVER_DELETE] = {"DELETE", "/customers/{id}/drivers/{id}", ARCHIVE, 200},
    [RT_VEHICLE_CREATE] = {"POST", "/vehicles", VEHICLES, 201},
    [RT_VEHICLE_PATCH] = {"PATCH", "/vehicles/{id}", VEHICLES, 200},
    /* MR-4: callers ask for the mileage, the workshop reads it off the car. */
    [RT_MILEAGE_CREATE] = {"POST", "/vehicles/{id}/mileage", MILEAGE, 201},
    [RT_RECORD_CREATE] = {"POST", "/service-records", SERVICE, 201},
    [RT_USERS] = {"GET", "/users", BIT(ADMIN), 200},
    [RT_USER_CREATE] = {"POST", "/users", BIT(ADMIN), 201},
    [RT_USER] = {"GET", "/users/{id}", BIT(ADMIN), 200},
    [RT_USER_PATCH] = {"PATCH", "/users/{id}", BIT(ADMIN), 200},
    [RT_AUDIT] = {"GET", "/audit", BIT(MGR) | BIT(ADMIN), 200},
};

struct fixtures {
    char *adv;
    int64_t customer, vehicle, record, user;
    int64_t km;
};

/* Path and body of one matrix request; fresh records where a request consumes one. */
static void matrix_request(struct fixtures *f, int rt, char *path, size_t pcap, char *body,
                           size_t bcap)
{
    long long c = (long long)f->customer, v = (long long)f->vehicle;
    body[0] = '\0';
    char vin[18], plate[32];
    unsigned n = uniq();
    switch (rt) {
    case RT_ME:
        snprintf(path, pcap, "/api/v1/me");
        break;
    case RT_STORE:
        snprintf(path, pcap, "/api/v1/store");
        break;
    case RT_CUSTOMERS:
        snprintf(path, pcap, "/api/v1/customers");
        break;
    case RT_CUSTOMER:
        snprintf(path, pcap, "/api/v1/customers/%lld", c);
        break;
    case RT_CUSTOMER_VEHICLES:
        snprintf(path, pcap, "/api/v1/customers/%lld/vehicles", c);
        break;
    case RT_CONTACT_HISTORY:
        snprintf(path, pcap, "/api/v1/customers/%lld/contact-history", c);
        break;
    case RT_VEHICLES:
        snprintf(path, pcap, "/api/v1/vehicles");
        break;
    case RT_VEHICLE:
        snprintf(path, pcap, "/api/v1/vehicles/%lld", v);
        break;
    case RT_MILEAGE:
        snprintf(path, pcap, "/api/v1/vehicles/%lld/mileage", v);
        break;
    case RT_VEHICLE_RECORDS:
        snprintf(path, pcap, "/api/v1/vehicles/%lld/service-records", v);
        break;
    case RT_RECORD:
        snprintf(path, pcap, "/api/v1/service-records/%lld", (long long)f->record);
        break;
    case RT_SEARCH:
        snprintf(path, pcap, "/api/v1/search?q=%%E9%%83%%91");
        break;
    case RT_CUSTOMER_CREATE:
        snprintf(path, pcap, "/api/v1/customers");
        snprintf(body, bcap, "%s", customer_body("郑六"));
        break;
    case RT_CUSTOMER_PATCH:
        snprintf(path, pcap, "/api/v1/customers/%lld", c);
        snprintf(body, bcap, "{\"notes\":\"matrix %u\"}", n);
        break;
    case RT_CONFIRM:
        snprintf(path, pcap, "/api/v1/customers/%lld/contact-confirmations", c);
        snprintf(body, bcap, "{\"outcome\":\"confirmed\"}");
        break;
    case RT_DRIVER_CREATE:
    case RT_DRIVER_DELETE: {
        /* A customer of its own each time: drivers per customer are limited. */
        int64_t owner = new_customer(f->adv, "郑六");
        if (rt == RT_DRIVER_CREATE) {
            snprintf(path, pcap, "/api/v1/customers/%lld/drivers", (long long)owner);
            snprintf(body, bcap, "{\"name\":\"郑七\",\"relation\":\"配偶\"}");
        } else {
            json_t *d = call("POST", fmt("/api/v1/customers/%lld/drivers", (long long)owner),
                             f->adv, "{\"name\":\"郑七\"}", 201);
            snprintf(path, pcap, "/api/v1/customers/%lld/drivers/%lld", (long long)owner,
                     (long long)json_integer_value(json_object_get(d, "id")));
            json_decref(d);
        }
        break;
    }
    case RT_VEHICLE_CREATE:
        make_vin(vin, n);
        make_plate(plate, n);
        snprintf(path, pcap, "/api/v1/vehicles");
        snprintf(body, bcap, "{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\"}", c, vin,
                 plate);
        break;
    case RT_VEHICLE_PATCH:
        snprintf(path, pcap, "/api/v1/vehicles/%lld", v);
        snprintf(body, bcap, "{\"model\":\"M%u\"}", n);
        break;
    case RT_MILEAGE_CREATE:
        snprintf(path, pcap, "/api/v1/vehicles/%lld/mileage", v);
        snprintf(body, bcap, "{\"km\":%lld}", (long long)(f->km += 100));
        break;
    case RT_RECORD_CREATE:
        snprintf(path, pcap, "/api/v1/service-records");
        snprintf(body, bcap,
                 "{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":%lld,\"kind\":"
                 "\"maintenance\"}",
                 v, day_offset(0), (long long)(f->km += 100));
        break;
    case RT_USERS:
        snprintf(path, pcap, "/api/v1/users");
        break;
    case RT_USER_CREATE:
        snprintf(path, pcap, "/api/v1/users");
        snprintf(body, bcap,
                 "{\"username\":\"matrix%u\",\"role\":\"workshop\",\"password\":\"%s\"}", n,
                 TEST_PASSWORD);
        break;
    case RT_USER:
        snprintf(path, pcap, "/api/v1/users/%lld", (long long)f->user);
        break;
    case RT_USER_PATCH:
        snprintf(path, pcap, "/api/v1/users/%lld", (long long)f->user);
        snprintf(body, bcap, "{\"display_name\":\"Matrix %u\"}", n);
        break;
    case RT_AUDIT:
        snprintf(path, pcap, "/api/v1/audit");
        break;
    default:
        fail();
    }
}

static void test_auth_role_route_matrix(void **state)
{
    (void)state;
    struct fixtures f = {0};
    f.adv = login(U_ADVISOR);
    f.customer = new_customer(f.adv, "郑六");
    f.vehicle = new_vehicle(f.adv, f.customer);
    f.km = 10000;
    json_t *j = call("POST", "/api/v1/service-records", f.adv,
                     fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":%lld,\"kind\":"
                         "\"repair\"}",
                         (long long)f.vehicle, day_offset(0), (long long)f.km),
                     201);
    f.record = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    char uname[32];
    f.user = new_user("workshop", uname);

    char path[256], body[1024];
    int failures = 0;
    for (int role = 0; role < NROLES; role++) {
        char *token = login(ROLE_USER[role]);
        for (int rt = 0; rt < RT_COUNT; rt++) {
            matrix_request(&f, rt, path, sizeof path, body, sizeof body);
            bool allowed = (MATRIX[rt].allowed & BIT(role)) != 0;
            bool write = strcmp(MATRIX[rt].method, "GET") != 0;
            int64_t before = write ? audit_head() : 0;
            struct resp r = http(MATRIX[rt].method, path, token, body[0] ? body : NULL);
            const char *code =
                json_string_value(json_object_get(json_object_get(r.json, "error"), "code"));
            bool ok = allowed ? r.status == MATRIX[rt].ok
                              : r.status == 403 && code && strcmp(code, "forbidden") == 0;
            if (ok && !allowed && write && audit_head() != before)
                ok = false;
            if (!ok) {
                print_error("%s %s %s: expected %s, got %ld %s\n", ROLE_USER[role],
                            MATRIX[rt].method, MATRIX[rt].what, allowed ? "success" : "403",
                            r.status, r.body);
                failures++;
            }
            resp_free(&r);
        }
        free(token);
    }
    free(f.adv);
    assert_int_equal(failures, 0);
}

static void test_auth_me_lists_the_roles_permissions(void **state)
{
    (void)state;
    /* The web console decides which screens to offer from these (issue 5). */
    static const char *const perms[] = {
        "customer_write", "vehicle_write", "mileage_write", "service_write", "user_manage",
        "audit_read",     "task_work",     "plan_manage",   "campaign",      "report_read",
        "workshop_setup", "parts_manage",  "book",          "dispatch",      "board_confirm",
        "repair_order",   "call_review",   "complaint"};
    const unsigned expected[] = {
        ARCHIVE, VEHICLES, MILEAGE, SERVICE, BIT(ADMIN), BIT(MGR) | BIT(ADMIN),
        BIT(ADV) | BIT(CALL) | BIT(MGR), BIT(MGR) | BIT(ADMIN), BIT(MGR) | BIT(WARR),
        BIT(CALL) | BIT(MGR) | BIT(ADMIN), BIT(MGR) | BIT(SHOP), BIT(MGR) | BIT(PARTS),
        BIT(ADV) | BIT(CALL) | BIT(MGR), BIT(MGR) | BIT(SHOP),
        BIT(CALL) | BIT(MGR) | BIT(PARTS) | BIT(SHOP) | BIT(WARR), BIT(ADV) | BIT(MGR),
        BIT(MGR) | BIT(ADMIN),
        /* CS-6: those who talk to customers take complaints. */
        BIT(ADV) | BIT(CALL) | BIT(MGR)};
    _Static_assert(sizeof perms / sizeof perms[0] == sizeof expected / sizeof expected[0],
                   "one expectation per permission");
    for (int role = 0; role < NROLES; role++) {
        char *token = login(ROLE_USER[role]);
        json_t *j = call("GET", "/api/v1/me", token, NULL, 200);
        json_t *p = json_object_get(j, "permissions");
        assert_true(json_is_true(json_object_get(p, "archive_read")));
        assert_int_equal(json_object_size(p), 1 + sizeof perms / sizeof perms[0]);
        for (size_t i = 0; i < sizeof perms / sizeof perms[0]; i++) {
            bool want = (expected[i] & BIT(role)) != 0;
            if (json_is_true(json_object_get(p, perms[i])) != want)
                print_error("%s: permission %s should be %d\n", ROLE_USER[role], perms[i], want);
            assert_int_equal(json_is_true(json_object_get(p, perms[i])), want);
        }
        /* IN-11: the departments each role confirms the board for, as the console shows them. */
        static const char *const CONFIRMS[NROLES] = {
            [ADV] = "",
            [CALL] = "customer_service",
            [MGR] = "workshop,parts,warranty,customer_service",
            [PARTS] = "parts",
            [SHOP] = "workshop",
            [WARR] = "warranty",
            [ADMIN] = ""};
        char got[128] = "";
        size_t k;
        json_t *d;
        json_array_foreach(json_object_get(j, "confirms"), k, d)
        {
            size_t len = strlen(got);
            snprintf(got + len, sizeof got - len, "%s%s", k ? "," : "", json_string_value(d));
        }
        if (strcmp(got, CONFIRMS[role]) != 0)
            print_error("%s confirms \"%s\", want \"%s\"\n", ROLE_USER[role], got, CONFIRMS[role]);
        assert_string_equal(got, CONFIRMS[role]);
        json_decref(j);
        free(token);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auth_bearer_and_cookie_are_both_accepted),
        cmocka_unit_test(test_auth_cookie_carries_the_body_token),
        cmocka_unit_test(test_auth_cookie_write_without_csrf_is_403),
        cmocka_unit_test(test_auth_cookie_patch_and_delete_need_csrf),
        cmocka_unit_test(test_auth_bearer_write_needs_no_csrf),
        cmocka_unit_test(test_auth_csrf_token_is_not_a_session),
        cmocka_unit_test(test_auth_logout_ends_only_that_session),
        cmocka_unit_test(test_auth_bad_sign_in_bodies_are_4xx),
        cmocka_unit_test(test_auth_malformed_tokens_are_401),
        cmocka_unit_test(test_auth_expired_session_is_401),
        cmocka_unit_test(test_auth_session_reports_when_it_ends),
        cmocka_unit_test(test_auth_disabled_user_cannot_sign_in_and_loses_sessions),
        cmocka_unit_test(test_auth_only_token_hashes_are_stored),
        cmocka_unit_test(test_auth_passwords_are_stored_as_argon2id),
        cmocka_unit_test(test_auth_role_route_matrix),
        cmocka_unit_test(test_auth_me_lists_the_roles_permissions),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
