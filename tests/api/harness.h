/* API test harness: starts the real `dms serve` on a free loopback port with a fresh
 * database (SQLite file, or a new database in the throw-away PostgreSQL cluster when
 * DMS_TEST_BACKEND=pg), with two stores and one user per role, and speaks HTTP to it with
 * libcurl. Everything it starts, it stops. */
#ifndef DMS_TEST_HARNESS_H
#define DMS_TEST_HARNESS_H

#include <curl/curl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
/* cmocka needs these first */
#include <setjmp.h>
#include <cmocka.h>

/* Every seeded user has this password. */
#define TEST_PASSWORD "password-1234"

/* Seeded accounts: store S1 has one user per role, store S2 an advisor and an admin. */
#define U_ADVISOR  "adv1"
#define U_CALLER   "call1"
#define U_MANAGER  "mgr1"
#define U_PARTS    "parts1"
#define U_WORKSHOP "shop1"
#define U_WARRANTY "warr1"
#define U_ADMIN    "admin1"
#define U_ADVISOR2 "adv2"
#define U_ADMIN2   "admin2"

struct server {
    char dir[512];    /* this test's scratch folder */
    char db_url[600]; /* what --db gets */
    char pg_admin_url[512];
    char pg_db[64];
    char base[64]; /* http://127.0.0.1:PORT */
    int port;
    pid_t pid;
    bool pg;
};

/* The running server of this test program (set by srv_setup). */
extern struct server *SRV;

/* cmocka group setup/teardown: start one server for the whole program, stop it after. */
int srv_setup(void **state);
int srv_teardown(void **state);

/* Starts/stops a server explicitly (for tests that need their own, e.g. shutdown). */
int srv_start(struct server *s, const char *name);
/* SIGTERM, then waits (bounded); returns the exit status, or -1 if it had to be killed or was
 * not running. Drops its PostgreSQL database either way. */
int srv_stop(struct server *s);
/* SIGKILL (a crash: no shutdown code runs) and reaps it; the database stays, for
 * srv_restart. Returns 128 + SIGKILL, or -1 when no server was running. */
int srv_kill(struct server *s);
/* Stops the server if it runs (SIGTERM, bounded) and starts `dms serve` again on the same
 * database (no fresh database, no seeding), with the test process's environment as it is now;
 * s->port and s->base change. Returns 0 (a server that does not start ends the program). */
int srv_restart(struct server *s);

/* Sets the clock of the server s and of the commands srv_cli runs on it: UTC seconds since
 * the epoch, or 0 for the system clock again. Takes effect at the next request (the server
 * reads DMS_TEST_CLOCK_FILE, src/store/clock.h); no restart, no sleep. */
void srv_clock_set(struct server *s, int64_t utc);

/* Runs `dms --db <url> ARGS...` (NULL-terminated) with extra environment "K=V" entries
 * (NULL-terminated, may be NULL); captures stdout+stderr into out. Returns the exit
 * status. */
int srv_cli(struct server *s, const char *const *env, char *out, size_t cap, ...);

struct resp {
    long status;
    char *body;    /* raw body, NUL-terminated */
    json_t *json;  /* parsed body, NULL when not JSON */
    char *headers; /* raw response headers */
};
void resp_free(struct resp *r);

struct req_opts {
    const char *token;  /* Authorization: Bearer */
    const char *cookie; /* Cookie header */
    const char *csrf;   /* X-CSRF-Token */
    const char *content_type;
    const char *raw_body;       /* body as is (else the JSON text given to http()) */
    size_t raw_len;             /* for raw bodies with NULs; 0 = strlen */
    const char *const *headers; /* more "Name: value" lines, NULL-terminated (may be NULL) */
};

/* One HTTP request to SRV. body may be NULL. Fails the test if the connection fails. */
struct resp http(const char *method, const char *path, const char *token, const char *body);
struct resp http_opts(const char *method, const char *path, const struct req_opts *o);

/* Formats a path or body with printf syntax into a static rotating buffer. */
const char *fmt(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Signs in and returns the token (static storage per username is not kept: copy it). */
char *login(const char *username);

/* Asserts the status and returns the JSON body (owned by r). Prints the body on failure. */
json_t *expect(struct resp *r, long status);
/* Asserts an error response: status and error.code (and field when not NULL). */
void expect_error(struct resp *r, long status, const char *code, const char *field);

/* Convenience: request + expect + keep the JSON (caller json_decref()s). */
json_t *call(const char *method, const char *path, const char *token, const char *body,
             long status);

/* A valid VIN (check digit right) unique to n: "LFV2A2" + serial. */
void make_vin(char out[18], unsigned n);
/* A unique plate for n: 粤B + 5 characters. */
void make_plate(char out[32], unsigned n);
/* A unique mobile number for n. */
void make_mobile(char out[16], unsigned n);
/* A number unique within this test program run (for VINs, plates, phones). */
unsigned uniq(void);

/* Helpers that create records through the API (as U_ADVISOR unless token given) and
 * return their id. */
int64_t new_customer(const char *token, const char *name);
int64_t new_vehicle(const char *token, int64_t customer_id);

/* Today in the store's zone (Asia/Shanghai), and a day offset from it, as YYYY-MM-DD. */
const char *day_offset(int days);
/* A copy of s that outlives fmt()'s and day_offset()'s rotating buffers (kept until the
 * program ends, 1,024 at a time). */
const char *keep(const char *s);
/* The store's today (Asia/Shanghai) as a day number, and a day number as "YYYY-MM-DD"
 * (kept). */
int32_t test_today(void);
const char *ds(int32_t day);
/* A catalogue code unique to this run, PREFIX-N (e.g. "q-17"), and an upper-case copy
 * of s (both kept). */
const char *uniq_code(const char *prefix);
const char *upper_copy(const char *s);

/* A signed-in token per seeded username, signed in once and kept for the program. */
const char *tok(const char *user);

/* Fields of a JSON object (0 / NULL when absent). */
int64_t jint(const json_t *o, const char *key);
const char *jstr(const json_t *o, const char *key);

/* The body of GET path (keys sorted, malloc'ed), to compare before and after a rejected
 * write; assert_unchanged() fetches it again, compares, and frees `before`. */
char *snapshot(const char *path, const char *token);
void assert_unchanged(const char *path, const char *token, char *before);

/* Sends a request that must fail with status and code (and field when not NULL). */
void rejected(const char *method, const char *path, const char *token, const char *body,
              long status, const char *code, const char *field);

/* The id of the newest audit row the token's store has (0 when none): a write that was
 * refused must leave it where it was. audit_head() reads store S1's as its manager. */
int64_t audit_head_of(const char *token);
int64_t audit_head(void);

/* Runs one SQL statement directly on the test server's database (SQLite or PostgreSQL) and
 * copies the first column of the first row, if any, into out. Returns 0, or -1 when the
 * statement failed. For checks the API cannot make, e.g. that only token hashes are stored. */
int db_sql(const char *sql, char *out, size_t cap);

/* The newest audit entry of an entity (caller json_decref()s). */
json_t *last_audit(const char *entity, int64_t id);

/* A growing response buffer and the libcurl write callback that fills it (for tests that
 * drive libcurl themselves, e.g. from many threads or against a second server). */
struct http_buf {
    char *data;
    size_t len;
};
size_t http_collect(char *ptr, size_t size, size_t n, void *userdata);

/* What http_call_on() got: curl's result, the HTTP status (0 when no answer came) and the
 * parsed body (NULL when there was none or it was not JSON; the caller json_decref()s it). */
struct http_answer {
    CURLcode rc;
    long status;
    json_t *json;
};
/* One request to the server at base (e.g. SRV->base) on the caller's curl handle h, for worker
 * threads: it touches no cmocka and no shared state, so each thread passes its own handle.
 * token (Authorization: Bearer) and body (JSON) may be NULL. */
struct http_answer http_call_on(CURL *h, const char *base, const char *method, const char *path,
                                const char *token, const char *body);
/* The answer's error.code, or NULL when it has none. */
const char *http_answer_code(const struct http_answer *a);

/* Sleeps ms milliseconds; and a monotonic clock in seconds, for bounded waits. */
void sleep_ms(long ms);
double mono_s(void);

/* Every item of a paged list (GET path as token), following next_cursor with limit per page
 * (0: the server's default), as one array (caller json_decref()s); *n_pages (may be NULL)
 * gets the number of requests. Asserts the page shape: items, next_cursor string or null, a
 * full page whenever another follows. */
json_t *fetch_pages(const char *path, const char *token, int limit, int *n_pages);

/* Counts rows of the audit log matching entity and id via the API (as manager). */
size_t audit_count(const char *entity, int64_t id);

/* A store of a test's own (`dms store add`, code T<n>, zone Asia/Shanghai) with a signed-in
 * service manager, for tests whose calendar, settings, bays, technicians or parts nobody else
 * may touch (e.g. "the store has one bay of this kind"). */
struct test_store {
    char code[16];
    const char *manager; /* token (kept until the program ends) */
};
void store_new(struct test_store *s);
/* Adds a user with this role (advisor, caller, parts_manager, workshop ...) to the store and
 * returns its signed-in token (kept until the program ends). */
const char *store_user(const struct test_store *s, const char *role);

#endif
