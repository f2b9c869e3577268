/* The outbox end to end (MR-3, IN-16): reminder messages written by the task generation and
 * sent by the dispatcher inside `dms serve` (or `dms outbox send`) to the test sinks that stand
 * in for an SMTP relay (smtp_sink, aiosmtpd) and the SMS gateway (sms_sink): delivery, retries
 * and their back-off, consent checked again at sending, quiet hours, the gateway's opt-out
 * webhook, no message lost when the server dies mid-send, and the morning run.
 *
 * Issue 11, defect 2 and 5: an opt-out committed during a dispatcher's pass stops what that
 * pass has not sent yet and is never overwritten by its result; a dispatcher cannot take over
 * a message another one is still sending; a one-off refusal the gateway means as "later"
 * (429, 425, 409) is retried, a bounded number of times. These drive `dms outbox send`
 * processes against a gateway of their own that can hold a send until the test lets it go,
 * and set the clock (srv_clock_set) instead of waiting for leases and back-offs.
 *
 * Servers: SRV (the program's) sends through both sinks every 200 ms; "cold" knows the SMS
 * secret but has no channel, so what it queues stays queued until a test runs
 * `dms outbox send`; the crash and morning-run tests start servers of their own.
 * (Not test_outbox.c: tests/unit/test_outbox.c owns that CMake target name.) */
#include "harness.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "notify/notify.h"
#include "sms_sink.h"
#include "smtp_sink.h"
#include "spawn.h"
#include "store/db.h"

#define SECRET      "outbox-secret-0123456789"
#define SMTP_FROM   "深圳一店 <dms@example.com>"
#define ALL_CONSENT "{\"sms\": true, \"phone\": true, \"email\": true}"
#define NO_SMS      "{\"sms\": false, \"phone\": true, \"email\": false}"
#define ZONE_OFFSET (8 * 3600) /* Asia/Shanghai, no daylight saving */

static char smtp_dir[600];
static pid_t smtp_pid;
static int smtp_port;
static struct sms_sink *sms;
static struct server *main_srv;
static struct server cold; /* SMS secret, no channel: messages stay queued */
static bool cold_up;
/* What single tests start; the per-test teardown stops what a failed test left running. */
static struct server crash, morning;
static bool crash_up, morning_up;
static struct sms_sink *slow;
static struct sms_sink *gw; /* the gateway of the issue-11 tests, no other sender posts to it */

/* ---- small tools (sleep_ms() and mono_s() are the harness's) ---- */

static int64_t parse_ts(const char *s)
{
    assert_non_null(s);
    struct tm tm = {0};
    const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    assert_non_null(end);
    assert_int_equal(*end, '\0');
    return (int64_t)timegm(&tm);
}

static void set_env(const char *key, const char *value)
{
    if (value)
        setenv(key, value, 1);
    else
        unsetenv(key);
}

/* Forgets every dms setting this program may have put into its environment. */
static void clear_env(void)
{
    static const char *const keys[] = {"DMS_SMTP_HOST",
                                       "DMS_SMTP_PORT",
                                       "DMS_SMTP_FROM",
                                       "DMS_SMS_URL",
                                       "DMS_SMS_SECRET",
                                       "DMS_WORKER_INTERVAL_MS",
                                       "DMS_OUTBOX_LEASE_SECONDS",
                                       "DMS_TEST_MORNING_RUN"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        unsetenv(keys[i]);
}

/* The environment the next server starts with: SMTP to the sink when smtp, SMS to sms_url
 * (NULL: none), the shared secret, a worker pass every 200 ms. */
static void channels_env(bool smtp, const char *sms_url)
{
    char port[16];
    snprintf(port, sizeof port, "%d", smtp_port);
    clear_env();
    set_env("DMS_SMTP_HOST", smtp ? "127.0.0.1" : NULL);
    set_env("DMS_SMTP_PORT", smtp ? port : NULL);
    set_env("DMS_SMTP_FROM", smtp ? SMTP_FROM : NULL);
    set_env("DMS_SMS_URL", sms_url);
    set_env("DMS_SMS_SECRET", SECRET);
    set_env("DMS_WORKER_INTERVAL_MS", "200");
}

/* The store's default quiet hours (21:00-08:00) would hold every SMS of a test run in the
 * evening: the tests that send lift them (quiet_from == quiet_until: none). */
static void no_quiet_hours(const char *manager)
{
    json_decref(call("PATCH", "/api/v1/store/settings", manager,
                     "{\"quiet_from\":\"00:00\",\"quiet_until\":\"00:00\"}", 200));
}

static int setup(void **state)
{
    const char *tmp = getenv("DMS_TEST_TMP");
    const char *backend = getenv("DMS_TEST_BACKEND");
    snprintf(smtp_dir, sizeof smtp_dir, "%s/outbox-smtp-%s-%d", tmp && *tmp ? tmp : "/tmp",
             backend && *backend ? backend : "sqlite", (int)getpid());
    if (smtp_sink_start(smtp_dir, &smtp_pid, &smtp_port) != 0)
        return -1;
    sms = sms_sink_start(SECRET);
    if (!sms)
        return -1;
    channels_env(true, sms_sink_url(sms));
    int rc = srv_setup(state);
    clear_env();
    main_srv = SRV;
    if (rc == 0)
        no_quiet_hours(tok(U_MANAGER));
    return rc;
}

static int teardown(void **state)
{
    SRV = main_srv;
    if (cold_up)
        srv_stop(&cold);
    int rc = srv_teardown(state);
    smtp_sink_stop(smtp_pid);
    sms_sink_stop(sms);
    return rc;
}

/* Each test starts on the program's server, whatever the one before left behind. */
static int on_main(void **state)
{
    (void)state;
    SRV = main_srv;
    return 0;
}

static int cleanup(void **state)
{
    (void)state;
    SRV = main_srv;
    clear_env();
    if (crash_up)
        srv_stop(&crash);
    if (morning_up)
        srv_stop(&morning);
    crash_up = morning_up = false;
    sms_sink_stop(slow);
    slow = NULL;
    sms_sink_stop(gw);
    gw = NULL;
    if (cold_up)
        srv_clock_set(&cold, 0);
    sms_sink_delay_ms(sms, 0);
    no_quiet_hours(tok(U_MANAGER));
    return 0;
}

/* The cold server, started on first use; SRV points to it until the test ends. */
static void use_cold(void)
{
    if (!cold_up) {
        clear_env();
        set_env("DMS_SMS_SECRET", SECRET);
        set_env("DMS_WORKER_INTERVAL_MS", "200");
        assert_int_equal(srv_start(&cold, "outbox-cold"), 0);
        clear_env();
        cold_up = true;
        SRV = &cold;
        char *mgr = login(U_MANAGER);
        no_quiet_hours(mgr);
        free(mgr);
    }
    SRV = &cold;
}

/* ---- data through the API ---- */

struct car {
    int64_t id;
    char plate[32];
    char due[DATE_STR];
};

/* A customer with a mobile (copied to mobile), the given consent and preferred channel, and
 * the e-mail address when not NULL. */
static int64_t customer_with(const char *token, const char *consent, const char *preferred,
                             const char *email, char mobile[16])
{
    make_mobile(mobile, uniq());
    char extra[200] = "";
    if (email)
        snprintf(extra, sizeof extra, ",\"email\":\"%s\"", email);
    json_t *j = call("POST", "/api/v1/customers", token,
                     fmt("{\"name\":\"王小明\",\"title\":\"先生\",\"phone\":\"%s\",\"consent\":%s,"
                         "\"preferred_channel\":\"%s\"%s}",
                         mobile, consent, preferred, extra),
                     201);
    int64_t id = jint(j, "id");
    assert_true(id > 0);
    json_decref(j);
    return id;
}

static void due_of(const char *token, int64_t vehicle, char out[DATE_STR])
{
    json_t *v = call("GET", fmt("/api/v1/vehicles/%lld", (long long)vehicle), token, NULL, 200);
    const char *due = jstr(json_object_get(v, "next_service"), "due_date");
    assert_non_null(due);
    snprintf(out, DATE_STR, "%s", due);
    json_decref(v);
}

/* A vehicle of the customer whose next service (MR-1) falls on today + due_in. With the
 * built-in plan and no readings but the purchase, that is the purchase date + 75 days
 * (3,000 km at 40 km a day); the purchase date is moved until the date is right. */
static void car_due(const char *token, int64_t customer, int due_in, const char *brand,
                    struct car *car)
{
    char vin[18];
    unsigned n = uniq();
    make_vin(vin, n);
    make_plate(car->plate, n);
    const char *want = day_offset(due_in);
    dms_day want_day, purchase = 0, got_day;
    assert_int_equal(date_parse(want, &want_day, "due", NULL), 0);
    assert_int_equal(date_parse(day_offset(due_in - 75), &purchase, "p", NULL), 0);
    char purchase_s[DATE_STR];
    date_format(purchase, purchase_s);
    json_t *j = call("POST", "/api/v1/vehicles", token,
                     fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\",\"brand\":\"%s\","
                         "\"model\":\"速腾\",\"model_year\":2024,\"purchase_date\":\"%s\"}",
                         (long long)customer, vin, car->plate, brand, purchase_s),
                     201);
    car->id = jint(j, "id");
    json_decref(j);
    for (int i = 0;; i++) {
        due_of(token, car->id, car->due);
        assert_int_equal(date_parse(car->due, &got_day, "due", NULL), 0);
        if (got_day == want_day)
            return;
        if (i == 3)
            fail_msg("vehicle %lld is due %s, wanted %s", (long long)car->id, car->due, want);
        purchase += want_day - got_day;
        date_format(purchase, purchase_s);
        json_decref(call("PATCH", fmt("/api/v1/vehicles/%lld", (long long)car->id), token,
                         fmt("{\"purchase_date\":\"%s\"}", purchase_s), 200));
    }
}

/* Each vehicle of these tests is due on a day of its own (in the past, which does not
 * matter to the generation), so that one test's generation never queues another's reminder. */
static int fresh_due_in(void)
{
    static int next = -20;
    next -= 2;
    return next;
}

/* POST /tasks/generate for the day the reminder of a service due on `due` is written (MR-3:
 * 13 days before). */
static void generate_for(const char *manager, const char *due)
{
    dms_day d;
    assert_int_equal(date_parse(due, &d, "due", NULL), 0);
    char day[DATE_STR];
    date_format(d - 13, day);
    json_t *j = call("POST", "/api/v1/tasks/generate", manager, fmt("{\"date\":\"%s\"}", day), 200);
    assert_true(jint(j, "messages") >= 1);
    json_decref(j);
}

/* The one message of a vehicle (its detail view). */
static json_t *message_of(const char *token, int64_t vehicle)
{
    json_t *l =
        call("GET", fmt("/api/v1/messages?vehicle_id=%lld", (long long)vehicle), token, NULL, 200);
    json_t *items = json_object_get(l, "items");
    if (json_array_size(items) != 1)
        fail_msg("vehicle %lld has %zu messages", (long long)vehicle, json_array_size(items));
    int64_t id = jint(json_array_get(items, 0), "id");
    json_decref(l);
    return call("GET", fmt("/api/v1/messages/%lld", (long long)id), token, NULL, 200);
}

static json_t *message_get(const char *token, int64_t id)
{
    return call("GET", fmt("/api/v1/messages/%lld", (long long)id), token, NULL, 200);
}

/* Polls the message until pred holds (at most timeout_ms); fails with its last state. */
static json_t *wait_message(const char *token, int64_t id, bool (*pred)(const json_t *),
                            int timeout_ms)
{
    double until = mono_s() + timeout_ms / 1000.0;
    for (;;) {
        json_t *m = message_get(token, id);
        if (pred(m))
            return m;
        if (mono_s() > until) {
            char *s = json_dumps(m, JSON_COMPACT);
            fail_msg("message %lld did not get there in %d ms: %s", (long long)id, timeout_ms, s);
        }
        json_decref(m);
        sleep_ms(100);
    }
}

static bool is_sent(const json_t *m)
{
    return strcmp(jstr(m, "status"), "sent") == 0;
}

static bool is_failed(const json_t *m)
{
    return strcmp(jstr(m, "status"), "failed") == 0;
}

static bool has_attempt(const json_t *m)
{
    return jint(m, "attempts") >= 1;
}

/* Tried once and queued again, with the answer recorded. */
static bool answered_once(const json_t *m)
{
    return jint(m, "attempts") == 1 && strcmp(jstr(m, "status"), "queued") == 0 &&
           jstr(m, "last_error");
}

static bool was_looked_at(const json_t *m)
{
    /* The dispatcher leaves a reason when it holds a message, a time when it sends one. */
    return jstr(m, "last_error") || jstr(m, "sent_at") || strcmp(jstr(m, "status"), "queued");
}

static const char *task_status(const char *token, int64_t task)
{
    static char out[32];
    json_t *t = call("GET", fmt("/api/v1/tasks/%lld", (long long)task), token, NULL, 200);
    assert_string_equal(jstr(t, "type"), "maintenance_message");
    snprintf(out, sizeof out, "%s", jstr(t, "status"));
    json_decref(t);
    return out;
}

/* POSTs the sink recorded for message id to that number (ids are per database, and the sink
 * serves several servers' databases). */
static size_t posts_for(struct sms_sink *s, int64_t id, const char *to, struct sms_post *last)
{
    size_t n = 0, count = sms_sink_count(s);
    struct sms_post *p = malloc(sizeof *p);
    assert_non_null(p);
    for (size_t i = 0; i < count; i++) {
        if (sms_sink_get(s, i, p) && p->id == id && strcmp(p->to, to) == 0) {
            n++;
            if (last)
                *last = *p;
        }
    }
    free(p);
    return n;
}

/* The mail the SMTP sink got for this recipient (waits at most timeout_ms), malloc'ed. */
static char *mail_to(const char *email, int timeout_ms)
{
    char want[200];
    snprintf(want, sizeof want, "<%s>", email);
    double until = mono_s() + timeout_ms / 1000.0;
    for (;;) {
        int n = smtp_sink_count(smtp_dir);
        for (int i = 0; i < n; i++) {
            char *raw = smtp_sink_read(smtp_dir, i);
            char *to = raw ? smtp_sink_header(raw, "X-Envelope-To") : NULL;
            bool mine = to && strcmp(to, want) == 0;
            free(to);
            if (mine)
                return raw;
            free(raw);
        }
        if (mono_s() > until)
            return NULL;
        sleep_ms(100);
    }
}

static void unique_email(char out[64], const char *who)
{
    snprintf(out, 64, "%s.%u@example.com", who, uniq());
}

/* ---- MR-3: delivery ---- */

static void test_outbox_email_reminder_goes_out_over_smtp(void **state)
{
    (void)state;
    const char *mgr = tok(U_MANAGER);
    char mobile[16], email[64];
    unique_email(email, "wang");
    int64_t c = customer_with(tok(U_ADVISOR), ALL_CONSENT, "email", email, mobile);
    struct car car;
    car_due(tok(U_ADVISOR), c, fresh_due_in(), "大众", &car);
    generate_for(mgr, car.due);

    json_t *m = message_of(mgr, car.id);
    assert_string_equal(jstr(m, "kind"), "maintenance_reminder");
    assert_string_equal(jstr(m, "channel"), "email");
    assert_string_equal(jstr(m, "recipient"), email);
    int64_t id = jint(m, "id"), task = jint(m, "task_id");
    assert_true(task > 0);
    json_decref(m);

    m = wait_message(mgr, id, is_sent, 20000);
    assert_non_null(jstr(m, "sent_at"));
    assert_true(parse_ts(jstr(m, "sent_at")) >= parse_ts(jstr(m, "created_at")));
    assert_int_equal(jint(m, "attempts"), 1);
    assert_false(json_is_true(json_object_get(m, "duplicate_risk")));
    json_decref(m);

    char *raw = mail_to(email, 10000);
    if (!raw)
        fail_msg("the SMTP sink got no mail for %s", email);
    char *subject = smtp_sink_subject(raw);
    char *body = smtp_sink_body(raw);
    assert_non_null(subject);
    assert_non_null(body);
    if (!strstr(subject, car.plate))
        fail_msg("subject without the plate %s: %s", car.plate, subject);
    if (!strstr(body, car.plate) || !strstr(body, car.due) || !strstr(body, "王小明"))
        fail_msg("body without plate %s / due date %s / name: %s", car.plate, car.due, body);
    assert_non_null(strstr(body, "深圳一店"));
    free(subject);
    free(body);
    free(raw);
    /* The reminder's task is done once the message went out. */
    assert_string_equal(task_status(mgr, task), "done");
}

static void test_outbox_sms_reminder_goes_to_the_gateway(void **state)
{
    (void)state;
    const char *mgr = tok(U_MANAGER);
    char mobile[16];
    int64_t c = customer_with(tok(U_ADVISOR), ALL_CONSENT, "sms", NULL, mobile);
    struct car car;
    car_due(tok(U_ADVISOR), c, fresh_due_in(), "大众", &car);
    generate_for(mgr, car.due);
    json_t *m = message_of(mgr, car.id);
    assert_string_equal(jstr(m, "channel"), "sms");
    assert_string_equal(jstr(m, "recipient"), mobile);
    int64_t id = jint(m, "id"), task = jint(m, "task_id");
    json_decref(m);

    m = wait_message(mgr, id, is_sent, 20000);
    assert_non_null(jstr(m, "sent_at"));
    assert_int_equal(jint(m, "attempts"), 1);
    const char *body = jstr(m, "body");
    assert_non_null(strstr(body, car.plate));
    struct sms_post *p = malloc(sizeof *p);
    assert_non_null(p);
    assert_int_equal(posts_for(sms, id, mobile, p), 1);
    assert_true(p->signature_ok);
    assert_true(p->json_ok);
    assert_int_equal(p->status, 200);
    assert_string_equal(p->to, mobile);
    assert_string_equal(p->store, "S1");
    assert_string_equal(p->text, body);
    /* The signed timestamp is the sender's clock. */
    long long ts = atoll(p->timestamp);
    assert_true(llabs(ts - (long long)time(NULL)) < 120);
    free(p);
    json_decref(m);
    assert_string_equal(task_status(mgr, task), "done");
}

static void test_outbox_retries_5xx_with_backoff_and_gives_up_on_4xx(void **state)
{
    (void)state;
    const char *mgr = tok(U_MANAGER);
    char mobile[16];
    int64_t c = customer_with(tok(U_ADVISOR), ALL_CONSENT, "sms", NULL, mobile);
    struct car car;
    car_due(tok(U_ADVISOR), c, fresh_due_in(), "大众", &car);

    /* A gateway error worth a retry: queued again, after 1 minute. */
    sms_sink_fail_next(sms, 1, 500);
    int64_t t0 = (int64_t)time(NULL);
    generate_for(mgr, car.due);
    json_t *m = message_of(mgr, car.id);
    int64_t id = jint(m, "id");
    json_decref(m);
    m = wait_message(mgr, id, has_attempt, 20000);
    int64_t t1 = (int64_t)time(NULL);
    /* The attempt is recorded with its result in one step; give that a moment. */
    for (int i = 0; i < 50 && !jstr(m, "last_error"); i++) {
        json_decref(m);
        sleep_ms(100);
        m = message_get(mgr, id);
    }
    assert_string_equal(jstr(m, "status"), "queued");
    assert_int_equal(jint(m, "attempts"), 1);
    assert_non_null(jstr(m, "last_error"));
    assert_true(strlen(jstr(m, "last_error")) > 0);
    assert_null(jstr(m, "sent_at"));
    int64_t next = parse_ts(jstr(m, "next_attempt_at"));
    if (next < t0 + 60 - 2 || next > t1 + 60 + 2)
        fail_msg("next_attempt_at %s is not 60 s after the attempt (between %lld and %lld)",
                 jstr(m, "next_attempt_at"), (long long)(t0 + 60), (long long)(t1 + 60));
    json_decref(m);
    struct sms_post *p = malloc(sizeof *p);
    assert_non_null(p);
    assert_int_equal(posts_for(sms, id, mobile, p), 1);
    assert_int_equal(p->status, 500);
    /* Not before its time: a second later it is still one attempt. */
    sleep_ms(1000);
    assert_int_equal(posts_for(sms, id, mobile, NULL), 1);
    /* Its time come (the clock moved past the back-off), it goes out. */
    srv_clock_set(SRV, (int64_t)time(NULL) + 120);
    json_decref(wait_message(mgr, id, is_sent, 20000));
    assert_int_equal(posts_for(sms, id, mobile, p), 2);
    assert_int_equal(p->status, 200);
    srv_clock_set(SRV, 0);

    /* A refusal (400) is final when the gateway says it twice: the first is retried after
     * its back-off (issue 11, defect 5: a one-off 4xx failed a message for good). The clock
     * is moved past the back-off instead of waiting for it. */
    int64_t c2 = customer_with(tok(U_ADVISOR), ALL_CONSENT, "sms", NULL, mobile);
    struct car car2;
    car_due(tok(U_ADVISOR), c2, fresh_due_in(), "大众", &car2);
    sms_sink_fail_next(sms, 1, 400);
    generate_for(mgr, car2.due);
    m = message_of(mgr, car2.id);
    int64_t id2 = jint(m, "id"), task2 = jint(m, "task_id");
    json_decref(m);
    m = wait_message(mgr, id2, answered_once, 20000);
    assert_null(jstr(m, "sent_at"));
    json_decref(m);
    assert_int_equal(posts_for(sms, id2, mobile, p), 1);
    assert_int_equal(p->status, 400);
    sms_sink_fail_next(sms, 1, 400);
    srv_clock_set(SRV, (int64_t)time(NULL) + 120);
    m = wait_message(mgr, id2, is_failed, 20000);
    assert_int_equal(jint(m, "attempts"), 2);
    assert_non_null(jstr(m, "last_error"));
    assert_null(jstr(m, "sent_at"));
    json_decref(m);
    assert_int_equal(posts_for(sms, id2, mobile, p), 2);
    assert_int_equal(p->status, 400);
    assert_string_equal(task_status(mgr, task2), "expired");

    /* A 401 once (a gateway's passing fault), then its answer: sent. */
    int64_t c3 = customer_with(tok(U_ADVISOR), ALL_CONSENT, "sms", NULL, mobile);
    struct car car3;
    srv_clock_set(SRV, 0);
    car_due(tok(U_ADVISOR), c3, fresh_due_in(), "大众", &car3);
    sms_sink_fail_next(sms, 1, 401);
    generate_for(mgr, car3.due);
    m = message_of(mgr, car3.id);
    int64_t id3 = jint(m, "id");
    json_decref(m);
    json_decref(wait_message(mgr, id3, answered_once, 20000));
    srv_clock_set(SRV, (int64_t)time(NULL) + 120);
    m = wait_message(mgr, id3, is_sent, 20000);
    assert_int_equal(jint(m, "attempts"), 2);
    json_decref(m);
    assert_int_equal(posts_for(sms, id3, mobile, p), 2);
    assert_int_equal(p->status, 200);
    free(p);
    srv_clock_set(SRV, 0);
}

/* ---- consent ---- */

static void test_outbox_no_sms_consent_is_suppressed(void **state)
{
    (void)state;
    const char *mgr = tok(U_MANAGER);
    char mobile[16];
    int64_t c = customer_with(tok(U_ADVISOR), NO_SMS, "sms", NULL, mobile);
    struct car car;
    car_due(tok(U_ADVISOR), c, fresh_due_in(), "大众", &car);
    generate_for(mgr, car.due);
    json_t *m = message_of(mgr, car.id);
    int64_t id = jint(m, "id"), task = jint(m, "task_id");
    assert_string_equal(jstr(m, "status"), "suppressed");
    assert_non_null(jstr(m, "status_reason"));
    json_decref(m);
    /* Several dispatcher passes later: still suppressed, never posted. */
    sleep_ms(1500);
    m = message_get(mgr, id);
    assert_string_equal(jstr(m, "status"), "suppressed");
    assert_int_equal(jint(m, "attempts"), 0);
    assert_null(jstr(m, "sent_at"));
    json_decref(m);
    assert_int_equal(posts_for(sms, id, mobile, NULL), 0);
    assert_string_equal(task_status(mgr, task), "cancelled");
}

static void test_outbox_consent_withdrawn_after_queueing_is_suppressed_at_sending(void **state)
{
    (void)state;
    use_cold();
    char *mgr = login(U_MANAGER);
    char mobile[16];
    int64_t c = customer_with(mgr, ALL_CONSENT, "sms", NULL, mobile);
    struct car car;
    car_due(mgr, c, fresh_due_in(), "大众", &car);
    generate_for(mgr, car.due);
    json_t *m = message_of(mgr, car.id);
    int64_t id = jint(m, "id"), task = jint(m, "task_id");
    assert_string_equal(jstr(m, "status"), "queued");
    json_decref(m);

    /* The customer says no more texts after the reminder was written. */
    json_decref(call("PATCH", fmt("/api/v1/customers/%lld", (long long)c), mgr,
                     "{\"consent\":{\"sms\":false}}", 200));
    m = message_get(mgr, id);
    assert_string_equal(jstr(m, "status"), "queued"); /* the dispatcher decides */
    json_decref(m);

    char out[4096], url[128];
    snprintf(url, sizeof url, "DMS_SMS_URL=%s", sms_sink_url(sms));
    const char *env[] = {url, "DMS_SMS_SECRET=" SECRET, NULL};
    int rc = srv_cli(SRV, env, out, sizeof out, "outbox", "send", NULL);
    if (rc != 0)
        fail_msg("dms outbox send: %d: %s", rc, out);
    if (!strstr(out, "1 suppressed"))
        fail_msg("dms outbox send: %s", out);
    m = message_get(mgr, id);
    assert_string_equal(jstr(m, "status"), "suppressed");
    assert_non_null(jstr(m, "status_reason"));
    assert_null(jstr(m, "sent_at"));
    json_decref(m);
    assert_int_equal(posts_for(sms, id, mobile, NULL), 0);
    assert_string_equal(task_status(mgr, task), "cancelled");
    free(mgr);
}

/* ---- quiet hours ---- */

static void test_outbox_quiet_hours_hold_sms_but_not_email(void **state)
{
    (void)state;
    const char *mgr = tok(U_MANAGER);
    json_t *before = call("GET", "/api/v1/store/settings", mgr, NULL, 200);
    char old_from[8], old_until[8];
    snprintf(old_from, sizeof old_from, "%s", jstr(before, "quiet_from"));
    snprintf(old_until, sizeof old_until, "%s", jstr(before, "quiet_until"));
    json_decref(before);

    /* Quiet from half an hour ago until 90 minutes from now, Shanghai time. */
    int64_t now = (int64_t)time(NULL), local = now + ZONE_OFFSET;
    int minute = (int)(local % 86400 / 60);
    int from = (minute + 1440 - 30) % 1440, until = (minute + 90) % 1440;
    int64_t end_local = local - local % 86400 + until * 60;
    if (end_local <= local)
        end_local += 86400;
    char want_next[TIMESTAMP_STR];
    timestamp_format_utc(end_local - ZONE_OFFSET, want_next);
    json_decref(call("PATCH", "/api/v1/store/settings", mgr,
                     fmt("{\"quiet_from\":\"%02d:%02d\",\"quiet_until\":\"%02d:%02d\"}", from / 60,
                         from % 60, until / 60, until % 60),
                     200));

    char m1[16], m2[16], email[64];
    unique_email(email, "quiet");
    int64_t c_sms = customer_with(tok(U_ADVISOR), ALL_CONSENT, "sms", NULL, m1);
    int64_t c_mail = customer_with(tok(U_ADVISOR), ALL_CONSENT, "email", email, m2);
    int due_in = fresh_due_in();
    struct car a, b;
    car_due(tok(U_ADVISOR), c_sms, due_in, "大众", &a);
    car_due(tok(U_ADVISOR), c_mail, due_in, "大众", &b);
    generate_for(mgr, a.due);
    json_t *ms = message_of(mgr, a.id), *me = message_of(mgr, b.id);
    int64_t id_sms = jint(ms, "id"), id_mail = jint(me, "id");
    assert_string_equal(jstr(ms, "channel"), "sms");
    assert_string_equal(jstr(me, "channel"), "email");
    json_decref(ms);
    json_decref(me);

    /* The e-mail goes out; the SMS waits for the end of the quiet hours. */
    json_decref(wait_message(mgr, id_mail, is_sent, 20000));
    char *raw = mail_to(email, 10000);
    assert_non_null(raw);
    free(raw);
    ms = wait_message(mgr, id_sms, was_looked_at, 20000);
    json_decref(ms);
    sleep_ms(600); /* a few more passes: still held, still not counted */
    ms = message_get(mgr, id_sms);
    assert_string_equal(jstr(ms, "status"), "queued");
    assert_int_equal(jint(ms, "attempts"), 0);
    assert_null(jstr(ms, "sent_at"));
    if (strcmp(jstr(ms, "next_attempt_at"), want_next) != 0)
        fail_msg("held until %s, the quiet hours end at %s", jstr(ms, "next_attempt_at"),
                 want_next);
    json_decref(ms);
    assert_int_equal(posts_for(sms, id_sms, m1, NULL), 0);

    json_decref(call("PATCH", "/api/v1/store/settings", mgr,
                     fmt("{\"quiet_from\":\"%s\",\"quiet_until\":\"%s\"}", old_from, old_until),
                     200));
}

/* ---- the gateway's opt-out webhook ---- */

static struct resp inbound_at(const char *body, int64_t ts, const char *secret)
{
    char t[24], sig[65], h_ts[64], h_sig[128];
    snprintf(t, sizeof t, "%lld", (long long)ts);
    sms_sign(secret, t, body, strlen(body), sig);
    snprintf(h_ts, sizeof h_ts, "X-DMS-Timestamp: %s", t);
    snprintf(h_sig, sizeof h_sig, "X-DMS-Signature: %s", sig);
    const char *const headers[] = {h_ts, h_sig, NULL};
    struct req_opts o = {.raw_body = body, .headers = headers};
    return http_opts("POST", "/api/v1/sms/inbound", &o);
}

static json_t *inbound(const char *body, long status)
{
    struct resp r = inbound_at(body, (int64_t)time(NULL), SECRET);
    json_t *j = json_incref(expect(&r, status));
    resp_free(&r);
    return j;
}

static void expect_reply(const char *from, const char *text, const char *store, bool opt_out,
                         int64_t customers)
{
    char body[256];
    if (store)
        snprintf(body, sizeof body, "{\"from\":\"%s\",\"text\":\"%s\",\"store\":\"%s\"}", from,
                 text, store);
    else
        snprintf(body, sizeof body, "{\"from\":\"%s\",\"text\":\"%s\"}", from, text);
    json_t *j = inbound(body, 200);
    if (json_is_true(json_object_get(j, "opt_out")) != opt_out || jint(j, "customers") != customers)
        fail_msg("reply \"%s\" from %s: %s", text, from, json_dumps(j, JSON_COMPACT));
    json_decref(j);
}

/* Whether the customer is opted out of SMS (and consent.sms agrees). */
static bool opted_out(const char *token, int64_t customer)
{
    json_t *c = call("GET", fmt("/api/v1/customers/%lld", (long long)customer), token, NULL, 200);
    bool out = jstr(c, "sms_opted_out_at") != NULL;
    bool consent = json_is_true(json_object_get(json_object_get(c, "consent"), "sms"));
    json_decref(c);
    assert_true(out != consent);
    return out;
}

static void test_outbox_inbound_opt_out(void **state)
{
    (void)state;
    use_cold();
    char *mgr = login(U_MANAGER), *adv2 = login(U_ADVISOR2);
    char m1[16], m2[16], m3[16];
    int64_t c1 = customer_with(mgr, ALL_CONSENT, "sms", NULL, m1);
    int64_t c2 = customer_with(mgr, ALL_CONSENT, "sms", NULL, m2);
    int64_t c3 = customer_with(mgr, ALL_CONSENT, "sms", NULL, m3);
    struct car car1, car2;
    int due_in = fresh_due_in();
    car_due(mgr, c1, due_in, "大众", &car1);
    car_due(mgr, c2, due_in, "大众", &car2);
    generate_for(mgr, car1.due);
    json_t *msg1 = message_of(mgr, car1.id), *msg2 = message_of(mgr, car2.id);
    int64_t id1 = jint(msg1, "id"), id2 = jint(msg2, "id");
    assert_string_equal(jstr(msg1, "status"), "queued");
    assert_string_equal(jstr(msg2, "status"), "queued");
    json_decref(msg1);
    json_decref(msg2);
    int64_t head = audit_head_of(mgr);

    /* Not an opt-out: other words around it. */
    expect_reply(m1, "TD please", "S1", false, 0);
    assert_false(opted_out(mgr, c1));
    /* Refused: wrong secret, stale timestamp, none at all (no session needed, but a
     * signature is). */
    char body[160];
    snprintf(body, sizeof body, "{\"from\":\"%s\",\"text\":\"TD\",\"store\":\"S1\"}", m1);
    struct resp r = inbound_at(body, (int64_t)time(NULL), "not-the-secret");
    expect_error(&r, 401, "bad_signature", NULL);
    resp_free(&r);
    r = inbound_at(body, (int64_t)time(NULL) - 400, SECRET);
    expect_error(&r, 401, "bad_signature", NULL);
    resp_free(&r);
    r = http("POST", "/api/v1/sms/inbound", NULL, body);
    expect_error(&r, 401, "bad_signature", NULL);
    resp_free(&r);
    assert_false(opted_out(mgr, c1));
    assert_int_equal(audit_head_of(mgr), head);

    /* "TD" with a valid signature and no session: opted out, queued SMS suppressed. */
    expect_reply(m1, "TD", "S1", true, 1);
    assert_true(opted_out(mgr, c1));
    json_t *m = message_get(mgr, id1);
    assert_string_equal(jstr(m, "status"), "suppressed");
    json_decref(m);
    /* Written down like any other change. */
    json_t *a =
        call("GET", fmt("/api/v1/audit?entity=customer&entity_id=%lld&limit=1", (long long)c1), mgr,
             NULL, 200);
    json_t *row = json_array_get(json_object_get(a, "items"), 0);
    assert_non_null(row);
    assert_string_equal(jstr(row, "action"), "update");
    assert_string_equal(jstr(row, "actor"), "sms-gateway");
    json_decref(a);
    /* Replying again does no harm. */
    expect_reply(m1, "TD", "S1", true, 0);
    assert_true(opted_out(mgr, c1));

    /* "退订。" from the number written the +86 way, no store given. */
    char intl[32];
    snprintf(intl, sizeof intl, "+86 %.3s %.4s %.4s", m2, m2 + 3, m2 + 7);
    expect_reply(intl, "退订。", NULL, true, 1);
    assert_true(opted_out(mgr, c2));
    m = message_get(mgr, id2);
    assert_string_equal(jstr(m, "status"), "suppressed");
    json_decref(m);

    /* A reply to store S2 touches S2's customers only. */
    json_t *j =
        call("POST", "/api/v1/customers", adv2,
             fmt("{\"name\":\"李四\",\"phone\":\"%s\",\"consent\":%s}", m3, ALL_CONSENT), 201);
    int64_t s2_customer = jint(j, "id");
    json_decref(j);
    expect_reply(m3, "TD", "S2", true, 1);
    assert_false(opted_out(mgr, c3));
    assert_true(opted_out(adv2, s2_customer));

    /* Consenting again lifts the opt-out. */
    json_decref(call("PATCH", fmt("/api/v1/customers/%lld", (long long)c1), mgr,
                     "{\"consent\":{\"sms\":true}}", 200));
    assert_false(opted_out(mgr, c1));
    free(mgr);
    free(adv2);
}

/* ---- crash safety ---- */

static void test_outbox_no_message_lost_when_the_server_dies_mid_send(void **state)
{
    (void)state;
    enum { BATCH = 20 };
    slow = sms_sink_start(SECRET);
    assert_non_null(slow);
    sms_sink_delay_ms(slow, 300);
    channels_env(false, sms_sink_url(slow));
    set_env("DMS_OUTBOX_LEASE_SECONDS", "2");
    assert_int_equal(srv_start(&crash, "outbox-crash"), 0);
    crash_up = true;
    SRV = &crash;
    char *mgr = login(U_MANAGER);
    no_quiet_hours(mgr);
    char mobile[16];
    int64_t c = customer_with(mgr, ALL_CONSENT, "sms", NULL, mobile);
    for (int i = 0; i < BATCH; i++) {
        char vin[18], plate[32];
        unsigned n = uniq();
        make_vin(vin, n);
        make_plate(plate, n);
        json_decref(call("POST", "/api/v1/vehicles", mgr,
                         fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\",\"brand\":"
                             "\"宕机测试\",\"model\":\"X\",\"model_year\":2023}",
                             (long long)c, vin, plate),
                         201));
    }
    /* One SMS per vehicle, queued at once; the dispatcher starts on them right away. */
    json_t *k = call("POST", "/api/v1/campaigns", mgr,
                     "{\"kind\":\"tech_upgrade\",\"name\":\"软件升级\",\"channel\":\"sms\","
                     "\"template\":\"【{store}】{name}{title}您好，您的爱车{plate}需升级软件。"
                     "回复TD退订\",\"selection\":{\"brand\":\"宕机测试\"}}",
                     201);
    int64_t campaign = jint(k, "id");
    assert_int_equal(jint(json_object_get(k, "counts"), "messages"), BATCH);
    json_decref(k);

    /* Killed while a POST is in flight (the sink records it on arrival, then waits). */
    double until = mono_s() + 60;
    while (sms_sink_count(slow) < 5 && mono_s() < until)
        sleep_ms(5);
    size_t at_kill = sms_sink_count(slow);
    assert_int_equal(srv_kill(&crash), 128 + SIGKILL);
    if (at_kill < 5 || at_kill >= BATCH)
        fail_msg("%zu of %d posts had arrived when the server was killed", at_kill, BATCH);

    assert_int_equal(srv_restart(&crash), 0);
    clear_env();
    json_t *list = NULL;
    until = mono_s() + 120;
    for (;;) {
        list = call(
            "GET",
            fmt("/api/v1/messages?campaign_id=%lld&status=sent&limit=200", (long long)campaign),
            mgr, NULL, 200);
        if (json_array_size(json_object_get(list, "items")) == BATCH)
            break;
        if (mono_s() > until) {
            json_decref(list);
            list =
                call("GET", fmt("/api/v1/messages?campaign_id=%lld&limit=200", (long long)campaign),
                     mgr, NULL, 200);
            fail_msg("not all sent after the restart: %s", json_dumps(list, JSON_COMPACT));
        }
        json_decref(list);
        sleep_ms(200);
    }
    size_t i, twice = 0;
    json_t *it;
    json_array_foreach(json_object_get(list, "items"), i, it)
    {
        int64_t id = jint(it, "id");
        size_t n = 0, count = sms_sink_count(slow);
        struct sms_post *p = malloc(sizeof *p);
        assert_non_null(p);
        for (size_t x = 0; x < count; x++) {
            if (sms_sink_get(slow, x, p) && p->id == id) {
                assert_true(p->signature_ok);
                n++;
            }
        }
        free(p);
        if (n == 0)
            fail_msg("message %lld never reached the gateway", (long long)id);
        if (n > 1) {
            twice++;
            json_t *m = message_get(mgr, id);
            if (!json_is_true(json_object_get(m, "duplicate_risk")))
                fail_msg("message %lld was posted %zu times but duplicate_risk is not set: %s",
                         (long long)id, n, json_dumps(m, JSON_COMPACT));
            json_decref(m);
        }
    }
    /* The one in flight at the kill went out again. */
    assert_true(twice >= 1);
    json_decref(list);
    free(mgr);
    SRV = main_srv;
    crash_up = false;
    assert_int_equal(srv_stop(&crash), 0);
    sms_sink_stop(slow);
    slow = NULL;
}

/* ---- a slow gateway, a long pass ---- */

static void test_outbox_each_send_carries_the_current_time(void **state)
{
    (void)state;
    /* One pass of the dispatcher over a backlog, the gateway taking 300 ms a message: each POST
     * is signed with the clock at the time it is sent (the gateway refuses timestamps more
     * than 300 s off, so a pass through a long backlog must not sign with its start time),
     * and each sent_at is when that message went out. */
    enum { BATCH = 12 };
    const char *mgr = tok(U_MANAGER);
    char brand[32], mobile[16];
    snprintf(brand, sizeof brand, "慢网关%u", uniq());
    int64_t c = customer_with(tok(U_ADVISOR), ALL_CONSENT, "sms", NULL, mobile);
    for (int i = 0; i < BATCH; i++) {
        char vin[18], plate[32];
        unsigned n = uniq();
        make_vin(vin, n);
        make_plate(plate, n);
        json_decref(call("POST", "/api/v1/vehicles", tok(U_ADVISOR),
                         fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\",\"brand\":"
                             "\"%s\",\"model\":\"X\",\"model_year\":2023}",
                             (long long)c, vin, plate, brand),
                         201));
    }
    sms_sink_delay_ms(sms, 300);
    json_t *k = call("POST", "/api/v1/campaigns", mgr,
                     fmt("{\"kind\":\"tech_upgrade\",\"name\":\"慢网关\",\"channel\":\"sms\","
                         "\"template\":\"{name}您好，{plate}需升级。回复TD退订\","
                         "\"selection\":{\"brand\":\"%s\"}}",
                         brand),
                     201);
    int64_t campaign = jint(k, "id");
    json_decref(k);
    json_t *list = NULL;
    double until = mono_s() + 60;
    for (;;) {
        list = call(
            "GET",
            fmt("/api/v1/messages?campaign_id=%lld&status=sent&limit=200", (long long)campaign),
            mgr, NULL, 200);
        if (json_array_size(json_object_get(list, "items")) == BATCH || mono_s() > until)
            break;
        json_decref(list);
        sleep_ms(200);
    }
    sms_sink_delay_ms(sms, 0);
    json_t *items = json_object_get(list, "items");
    assert_int_equal(json_array_size(items), BATCH);
    /* The posts went out one after the other, at least 300 ms apart: over 3.3 s at least. */
    long long first_ts = -1, last_ts = -1;
    int64_t first_sent = INT64_MAX, last_sent = 0;
    size_t i;
    json_t *it;
    struct sms_post *p = malloc(sizeof *p);
    assert_non_null(p);
    json_array_foreach(items, i, it)
    {
        int64_t id = jint(it, "id");
        assert_int_equal(posts_for(sms, id, mobile, p), 1);
        long long ts = atoll(p->timestamp);
        if (first_ts < 0 || ts < first_ts)
            first_ts = ts;
        if (ts > last_ts)
            last_ts = ts;
        int64_t sent = parse_ts(jstr(it, "sent_at"));
        if (sent < first_sent)
            first_sent = sent;
        if (sent > last_sent)
            last_sent = sent;
    }
    free(p);
    json_decref(list);
    if (last_ts - first_ts < 2)
        fail_msg("%d posts over more than 3 s all signed within %lld s (X-DMS-Timestamp %lld .. "
                 "%lld): the pass signs with its start time",
                 BATCH, last_ts - first_ts, first_ts, last_ts);
    if (last_sent - first_sent < 2)
        fail_msg("%d messages sent over more than 3 s have sent_at within %lld s", BATCH,
                 (long long)(last_sent - first_sent));
}

/* ---- CS-5 by e-mail ---- */

static void test_outbox_recall_email_reaches_owner_without_email_consent(void **state)
{
    (void)state;
    /* docs/api.md, Campaigns: "Recalls reach every owner (a safety notice); the other kinds
     * need the channel's consent". The campaign queues the recall e-mail to an owner who gave
     * no e-mail consent; the dispatcher must then send it, not suppress it. */
    const char *mgr = tok(U_MANAGER);
    char brand[32], mobile[16], email[64];
    snprintf(brand, sizeof brand, "召回邮件%u", uniq());
    unique_email(email, "recall");
    int64_t c =
        customer_with(tok(U_ADVISOR), "{\"sms\": false, \"phone\": false, \"email\": false}",
                      "email", email, mobile);
    struct car car;
    car_due(tok(U_ADVISOR), c, fresh_due_in(), brand, &car);
    json_t *k =
        call("POST", "/api/v1/campaigns", mgr,
             fmt("{\"kind\":\"recall\",\"name\":\"气囊召回\",\"channel\":\"email\","
                 "\"subject\":\"{store}：{plate}召回通知\",\"template\":\"{name}{title}您好，"
                 "您的爱车{plate}需免费更换气囊。\",\"selection\":{\"brand\":\"%s\"}}",
                 brand),
             201);
    int64_t campaign = jint(k, "id");
    assert_int_equal(jint(json_object_get(k, "counts"), "messages"), 1);
    json_decref(k);
    json_t *l =
        call("GET", fmt("/api/v1/messages?campaign_id=%lld", (long long)campaign), mgr, NULL, 200);
    int64_t id = jint(json_array_get(json_object_get(l, "items"), 0), "id");
    json_decref(l);
    json_t *m = message_get(mgr, id);
    const char *status = jstr(m, "status");
    if (strcmp(status, "suppressed") == 0 && !jstr(m, "last_error") && jint(m, "attempts") == 0 &&
        strcmp(jstr(m, "status_reason"), "no consent or no address") == 0)
        fail_msg("the recall e-mail was not even queued: %s", json_dumps(m, JSON_COMPACT));
    json_decref(m);
    m = wait_message(mgr, id, was_looked_at, 20000);
    for (int i = 0; i < 50 && strcmp(jstr(m, "status"), "queued") == 0; i++) {
        json_decref(m);
        sleep_ms(100);
        m = message_get(mgr, id);
    }
    if (strcmp(jstr(m, "status"), "sent") != 0)
        fail_msg("recall e-mail queued at creation but not sent: %s", json_dumps(m, JSON_COMPACT));
    json_decref(m);
    char *raw = mail_to(email, 10000);
    assert_non_null(raw);
    char *subject = smtp_sink_subject(raw);
    assert_non_null(subject);
    assert_non_null(strstr(subject, car.plate));
    free(subject);
    free(raw);
}

/* ---- dms outbox send ---- */

static void test_outbox_cli_send(void **state)
{
    (void)state;
    use_cold();
    char *mgr = login(U_MANAGER);
    json_t *q = call("GET", "/api/v1/messages?status=queued", mgr, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(q, "items")), 0);
    json_decref(q);
    char m1[16], m2[16], email[64];
    unique_email(email, "cli");
    int64_t c_sms = customer_with(mgr, ALL_CONSENT, "sms", NULL, m1);
    int64_t c_mail = customer_with(mgr, ALL_CONSENT, "email", email, m2);
    int due_in = fresh_due_in();
    struct car a, b;
    car_due(mgr, c_sms, due_in, "大众", &a);
    car_due(mgr, c_mail, due_in, "大众", &b);
    generate_for(mgr, a.due);
    json_t *ms = message_of(mgr, a.id), *me = message_of(mgr, b.id);
    int64_t id_sms = jint(ms, "id"), id_mail = jint(me, "id");
    json_decref(ms);
    json_decref(me);

    char port[40], url[128], out[4096];
    snprintf(port, sizeof port, "DMS_SMTP_PORT=%d", smtp_port);
    snprintf(url, sizeof url, "DMS_SMS_URL=%s", sms_sink_url(sms));
    const char *env[] = {"DMS_SMTP_HOST=127.0.0.1", port, "DMS_SMTP_FROM=" SMTP_FROM, url,
                         "DMS_SMS_SECRET=" SECRET,  NULL};
    int rc = srv_cli(SRV, env, out, sizeof out, "outbox", "send", NULL);
    if (rc != 0 || !strstr(out, "2 claimed") || !strstr(out, "2 sent"))
        fail_msg("dms outbox send: %d: %s", rc, out);
    ms = message_get(mgr, id_sms);
    me = message_get(mgr, id_mail);
    assert_string_equal(jstr(ms, "status"), "sent");
    assert_string_equal(jstr(me, "status"), "sent");
    json_decref(ms);
    json_decref(me);
    assert_int_equal(posts_for(sms, id_sms, m1, NULL), 1);
    char *raw = mail_to(email, 5000);
    assert_non_null(raw);
    free(raw);
    /* Once: a second pass finds nothing to do. */
    rc = srv_cli(SRV, env, out, sizeof out, "outbox", "send", NULL);
    if (rc != 0 || !strstr(out, "0 claimed") || !strstr(out, "0 sent"))
        fail_msg("second dms outbox send: %d: %s", rc, out);
    assert_int_equal(posts_for(sms, id_sms, m1, NULL), 1);

    /* Without a channel it says so and fails. */
    const char *none[] = {"DMS_SMTP_HOST=", "DMS_SMS_URL=", NULL};
    rc = srv_cli(SRV, none, out, sizeof out, "outbox", "send", NULL);
    assert_int_not_equal(rc, 0);
    if (!strstr(out, "no channel"))
        fail_msg("dms outbox send without a channel: %s", out);
    free(mgr);
}

/* ---- issue 11: the last look before each send, the lease, one-off refusals ---- */

/* The environment of a `dms outbox send` on the cold server's database through gw, with a
 * lease of 60 s. */
struct send_env {
    char url[128];
    const char *env[4];
};

static void send_env_init(struct send_env *e)
{
    snprintf(e->url, sizeof e->url, "DMS_SMS_URL=%s", sms_sink_url(gw));
    e->env[0] = e->url;
    e->env[1] = "DMS_SMS_SECRET=" SECRET;
    e->env[2] = "DMS_OUTBOX_LEASE_SECONDS=60";
    e->env[3] = NULL;
}

/* One `dms outbox send` that must succeed and print `want` (e.g. "1 sent"). */
static void send_pass(const struct send_env *e, const char *want)
{
    char out[4096];
    int rc = srv_cli(SRV, e->env, out, sizeof out, "outbox", "send", NULL);
    if (rc != 0 || !strstr(out, want))
        fail_msg("dms outbox send: %d, wanted \"%s\": %s", rc, want, out);
}

static int64_t id_of_message(const char *token, int64_t vehicle)
{
    json_t *m = message_of(token, vehicle);
    int64_t id = jint(m, "id");
    assert_string_equal(jstr(m, "status"), "queued");
    json_decref(m);
    return id;
}

static void cold_queue_is_empty(const char *mgr)
{
    json_t *q = call("GET", "/api/v1/messages?status=queued", mgr, NULL, 200);
    if (json_array_size(json_object_get(q, "items")) != 0)
        fail_msg("the cold server has queued messages left: %s", json_dumps(q, JSON_COMPACT));
    json_decref(q);
}

static void wait_held(size_t n)
{
    size_t got = sms_sink_wait_held(gw, n, 60000);
    if (got < n)
        fail_msg("the gateway holds %zu sends, wanted %zu within 60 s", got, n);
}

/* A TD committed while a dispatcher is in the middle of its pass (its first message held at
 * the gateway): the customer's SMS that the pass has not sent yet are not sent, and stay
 * suppressed. (Claimed in a batch before the fix, they went out after the opt-out and their
 * status flipped from suppressed to sent.) */
static void test_outbox_opt_out_during_a_pass_stops_its_next_sends(void **state)
{
    (void)state;
    use_cold();
    gw = sms_sink_start(SECRET);
    assert_non_null(gw);
    char *mgr = login(U_MANAGER);
    cold_queue_is_empty(mgr);
    char mp[16], mq[16];
    int64_t p = customer_with(mgr, ALL_CONSENT, "sms", NULL, mp);
    int64_t q = customer_with(mgr, ALL_CONSENT, "sms", NULL, mq);
    struct car cp, cq1, cq2;
    car_due(mgr, p, fresh_due_in(), "大众", &cp);
    generate_for(mgr, cp.due);
    int due_q = fresh_due_in();
    car_due(mgr, q, due_q, "大众", &cq1);
    car_due(mgr, q, due_q, "大众", &cq2);
    generate_for(mgr, cq1.due);
    int64_t idp = id_of_message(mgr, cp.id), idq1 = id_of_message(mgr, cq1.id),
            idq2 = id_of_message(mgr, cq2.id);
    assert_true(idp < idq1 && idp < idq2); /* P's goes first */

    struct send_env e;
    send_env_init(&e);
    sms_sink_hold_next(gw, 1);
    struct child a;
    child_start(&a, SRV, e.env, "outbox", "send", NULL);
    wait_held(1); /* P's SMS is at the gateway, the pass waits for its answer */
    expect_reply(mq, "TD", "S1", true, 1);
    sms_sink_release(gw, 1);
    char out[4096];
    int rc = child_wait(&a, out, sizeof out);
    if (rc != 0)
        fail_msg("dms outbox send: %d: %s", rc, out);

    assert_int_equal(posts_for(gw, idp, mp, NULL), 1);
    assert_int_equal(posts_for(gw, idq1, mq, NULL), 0);
    assert_int_equal(posts_for(gw, idq2, mq, NULL), 0);
    int64_t ids[] = {idq1, idq2};
    for (int i = 0; i < 2; i++) {
        json_t *m = message_get(mgr, ids[i]);
        assert_string_equal(jstr(m, "status"), "suppressed");
        assert_null(jstr(m, "sent_at"));
        json_decref(m);
    }
    json_t *m = message_get(mgr, idp);
    assert_string_equal(jstr(m, "status"), "sent");
    json_decref(m);
    cold_queue_is_empty(mgr);
    free(mgr);
}

/* A TD from another thread (the webhook may have to wait for a send, see below). */
struct reply_job {
    const char *base, *from;
    long status;
    double answered; /* mono_s() when the answer came */
};

static void *reply_thread(void *arg)
{
    struct reply_job *j = arg;
    char body[160], ts[24], sig[65], h_ts[64], h_sig[128], url[160];
    snprintf(body, sizeof body, "{\"from\":\"%s\",\"text\":\"TD\",\"store\":\"S1\"}", j->from);
    snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
    sms_sign(SECRET, ts, body, strlen(body), sig);
    snprintf(h_ts, sizeof h_ts, "X-DMS-Timestamp: %s", ts);
    snprintf(h_sig, sizeof h_sig, "X-DMS-Signature: %s", sig);
    snprintf(url, sizeof url, "%s/api/v1/sms/inbound", j->base);
    CURL *h = curl_easy_init();
    struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
    hdrs = curl_slist_append(hdrs, h_ts);
    hdrs = curl_slist_append(hdrs, h_sig);
    struct http_buf buf = {0};
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, http_collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &buf);
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &j->status);
    j->answered = mono_s();
    free(buf.data);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    return NULL;
}

/* PostgreSQL: waits (bounded) until a session of the test server's database waits for a
 * lock. */
static void wait_for_a_lock_wait(void)
{
    struct db *db = NULL;
    struct dms_error err = {0};
    if (db_open(SRV->db_url, &db, &err) < 0)
        fail_msg("db_open %s: %s", SRV->db_url, err.message);
    double until = mono_s() + 60;
    int64_t waiting = 0;
    while (mono_s() < until) {
        if (db_query_int(db, &waiting,
                         "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = "
                         "l.pid WHERE NOT l.granted AND a.datname = current_database()",
                         "") < 0)
            break;
        if (waiting > 0)
            break;
        sleep_ms(20);
    }
    db_close(db);
    if (waiting == 0)
        fail_msg("the opt-out did not wait for the send in flight");
}

/* A TD that comes while the customer's SMS is already at the gateway (the post is out, the
 * answer not yet in). PostgreSQL: the opt-out waits until the send is over (the dispatcher
 * holds the message's row while the text is on its way), so it commits after the post;
 * SQLite: it commits at once. Either way the status the opt-out gave stays: the result of
 * the send does not flip it to sent, and sent_at tells that the text did go out. */
static void test_outbox_opt_out_while_being_sent_is_not_overwritten(void **state)
{
    (void)state;
    use_cold();
    gw = sms_sink_start(SECRET);
    assert_non_null(gw);
    char *mgr = login(U_MANAGER);
    cold_queue_is_empty(mgr);
    char mq[16];
    int64_t q = customer_with(mgr, ALL_CONSENT, "sms", NULL, mq);
    struct car cq;
    car_due(mgr, q, fresh_due_in(), "大众", &cq);
    generate_for(mgr, cq.due);
    int64_t id = id_of_message(mgr, cq.id);

    struct send_env e;
    send_env_init(&e);
    sms_sink_hold_next(gw, 1);
    struct child a;
    child_start(&a, SRV, e.env, "outbox", "send", NULL);
    wait_held(1);
    struct reply_job td = {.base = SRV->base, .from = mq};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, reply_thread, &td), 0);
    if (SRV->pg) {
        wait_for_a_lock_wait();
    } else {
        pthread_join(th, NULL);
        json_t *m = message_get(mgr, id);
        assert_string_equal(jstr(m, "status"), "suppressed");
        json_decref(m);
    }
    double released = mono_s();
    sms_sink_release(gw, 1);
    char out[4096];
    int rc = child_wait(&a, out, sizeof out);
    if (SRV->pg)
        pthread_join(th, NULL);
    if (rc != 0)
        fail_msg("dms outbox send: %d: %s", rc, out);
    assert_int_equal(td.status, 200);
    if (SRV->pg && td.answered < released)
        fail_msg("the opt-out was answered before the send in flight was over");

    json_t *m = message_get(mgr, id);
    assert_string_equal(jstr(m, "status"), "suppressed");
    assert_string_equal(jstr(m, "status_reason"), "opted out");
    assert_non_null(jstr(m, "sent_at"));
    json_decref(m);
    if (!strstr(out, "1 changed by others while being sent"))
        fail_msg("dms outbox send: %s", out);
    assert_int_equal(posts_for(gw, id, mq, NULL), 1);
    assert_true(opted_out(mgr, q));
    free(mgr);
}

/* Each message is leased when its turn comes, for one send: a second dispatcher that runs
 * when the first pass is older than the lease takes neither the message the first one is
 * sending nor the one it sent, only the one still waiting; every message goes out once.
 * (Before the fix the first pass leased all three at its start, and the second one sent the
 * held message and the waiting one again.) */
static void test_outbox_second_dispatcher_does_not_take_a_message_being_sent(void **state)
{
    (void)state;
    use_cold();
    gw = sms_sink_start(SECRET);
    assert_non_null(gw);
    char *mgr = login(U_MANAGER);
    cold_queue_is_empty(mgr);
    char mobile[16];
    int64_t c = customer_with(mgr, ALL_CONSENT, "sms", NULL, mobile);
    struct car cars[3];
    int due = fresh_due_in();
    for (int i = 0; i < 3; i++)
        car_due(mgr, c, due, "大众", &cars[i]);
    generate_for(mgr, cars[0].due);
    int64_t ids[3];
    for (int i = 0; i < 3; i++)
        ids[i] = id_of_message(mgr, cars[i].id);

    struct send_env e;
    send_env_init(&e);
    int64_t t0 = (int64_t)time(NULL) + 5;
    srv_clock_set(SRV, t0);
    sms_sink_hold_next(gw, 2);
    struct child a;
    child_start(&a, SRV, e.env, "outbox", "send", NULL);
    wait_held(1);                /* the first, claimed at t0 with a lease of 60 s */
    srv_clock_set(SRV, t0 + 50); /* it took its time */
    sms_sink_release(gw, 1);
    wait_held(2);                /* the second, claimed at t0 + 50 */
    srv_clock_set(SRV, t0 + 70); /* the pass is older than a lease; the second's is not */
    send_pass(&e, "1 claimed, 1 sent");
    sms_sink_release(gw, 1);
    char out[4096];
    int rc = child_wait(&a, out, sizeof out);
    if (rc != 0 || !strstr(out, "2 claimed, 2 sent"))
        fail_msg("the first dms outbox send: %d: %s", rc, out);
    srv_clock_set(SRV, 0);

    for (int i = 0; i < 3; i++) {
        size_t n = posts_for(gw, ids[i], mobile, NULL);
        if (n != 1)
            fail_msg("message %lld was posted %zu times", (long long)ids[i], n);
        json_t *m = message_get(mgr, ids[i]);
        assert_string_equal(jstr(m, "status"), "sent");
        assert_int_equal(jint(m, "attempts"), 1);
        assert_false(json_is_true(json_object_get(m, "duplicate_risk")));
        json_decref(m);
    }
    free(mgr);
}

/* Issue 11, defect 5: a one-off 429, 425 or 409 from the gateway is retried after the
 * back-off and the message then goes out once; a gateway that keeps answering 429 fails the
 * message after OUTBOX_MAX_ATTEMPTS (5) attempts, not at the first. */
static void test_outbox_one_off_gateway_refusal_is_retried_then_sent_once(void **state)
{
    (void)state;
    use_cold();
    gw = sms_sink_start(SECRET);
    assert_non_null(gw);
    char *mgr = login(U_MANAGER);
    cold_queue_is_empty(mgr);
    struct send_env e;
    send_env_init(&e);
    static const int statuses[] = {429, 425, 409};
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        srv_clock_set(SRV, 0); /* queued at the real time */
        char mobile[16];
        int64_t c = customer_with(mgr, ALL_CONSENT, "sms", NULL, mobile);
        struct car car;
        car_due(mgr, c, fresh_due_in(), "大众", &car);
        generate_for(mgr, car.due);
        int64_t id = id_of_message(mgr, car.id);
        int64_t t0 = (int64_t)time(NULL) + 5;
        srv_clock_set(SRV, t0);
        sms_sink_fail_next(gw, 1, statuses[i]);
        send_pass(&e, "1 retried later");
        json_t *m = message_get(mgr, id);
        if (strcmp(jstr(m, "status"), "queued") != 0)
            fail_msg("after a %d: %s", statuses[i], json_dumps(m, JSON_COMPACT));
        assert_int_equal(jint(m, "attempts"), 1);
        assert_int_equal(parse_ts(jstr(m, "next_attempt_at")), t0 + 60);
        json_decref(m);
        srv_clock_set(SRV, t0 + 59);
        send_pass(&e, "0 claimed"); /* not before its time */
        srv_clock_set(SRV, t0 + 60);
        send_pass(&e, "1 sent");
        m = message_get(mgr, id);
        assert_string_equal(jstr(m, "status"), "sent");
        assert_int_equal(jint(m, "attempts"), 2);
        json_decref(m);
        struct sms_post *p = malloc(sizeof *p);
        assert_non_null(p);
        assert_int_equal(posts_for(gw, id, mobile, p), 2);
        assert_int_equal(p->status, 200);
        free(p);
    }

    /* Bounded: 429 every time, five attempts over a quarter of an hour, then failed. */
    srv_clock_set(SRV, 0);
    char mobile[16];
    int64_t c = customer_with(mgr, ALL_CONSENT, "sms", NULL, mobile);
    struct car car;
    car_due(mgr, c, fresh_due_in(), "大众", &car);
    generate_for(mgr, car.due);
    int64_t id = id_of_message(mgr, car.id);
    int64_t t = (int64_t)time(NULL) + 5;
    sms_sink_fail_next(gw, 100, 429);
    for (int attempt = 1; attempt <= 5; attempt++) {
        srv_clock_set(SRV, t);
        send_pass(&e, attempt < 5 ? "1 retried later" : "1 failed");
        json_t *m = message_get(mgr, id);
        assert_int_equal(jint(m, "attempts"), attempt);
        assert_string_equal(jstr(m, "status"), attempt < 5 ? "queued" : "failed");
        if (attempt < 5)
            t = parse_ts(jstr(m, "next_attempt_at"));
        json_decref(m);
    }
    sms_sink_fail_next(gw, 0, 0);
    srv_clock_set(SRV, t + 86400);
    send_pass(&e, "0 claimed");
    assert_int_equal(posts_for(gw, id, mobile, NULL), 5);
    srv_clock_set(SRV, 0);
    free(mgr);
}

/* ---- the morning run ---- */

static int64_t count_items(const char *token, const char *path)
{
    json_t *j = call("GET", path, token, NULL, 200);
    int64_t n = (int64_t)json_array_size(json_object_get(j, "items"));
    json_decref(j);
    return n;
}

static void test_outbox_morning_run_writes_the_reminders_once_a_day(void **state)
{
    (void)state;
    clear_env();
    set_env("DMS_WORKER_INTERVAL_MS", "200");
    assert_int_equal(srv_start(&morning, "outbox-morning"), 0);
    morning_up = true;
    SRV = &morning;
    char *mgr = login(U_MANAGER);
    json_decref(call("PATCH", "/api/v1/store/settings", mgr, "{\"generate_at\":\"00:00\"}", 200));
    char mobile[16];
    int64_t c = customer_with(mgr, ALL_CONSENT, "sms", NULL, mobile);
    struct car car;
    car_due(mgr, c, 13, "大众", &car);
    assert_int_equal(count_items(mgr, fmt("/api/v1/messages?vehicle_id=%lld", (long long)car.id)),
                     0);

    /* The same database, now with the morning run on: it generates today by itself. */
    set_env("DMS_TEST_MORNING_RUN", "on");
    assert_int_equal(srv_restart(&morning), 0);
    clear_env();
    const char *path = fmt("/api/v1/messages?vehicle_id=%lld", (long long)car.id);
    char msgs[256];
    snprintf(msgs, sizeof msgs, "%s", path);
    double until = mono_s() + 30;
    while (count_items(mgr, msgs) == 0 && mono_s() < until)
        sleep_ms(100);
    json_t *m = message_of(mgr, car.id);
    assert_string_equal(jstr(m, "kind"), "maintenance_reminder");
    assert_string_equal(jstr(m, "channel"), "sms");
    assert_string_equal(jstr(m, "status"), "queued"); /* this server has no channel */
    json_decref(m);
    assert_int_equal(count_items(mgr, fmt("/api/v1/tasks?vehicle_id=%lld&type=maintenance_message",
                                          (long long)car.id)),
                     1);
    json_t *audit = call("GET", "/api/v1/audit?entity=tasks", mgr, NULL, 200);
    json_t *items = json_object_get(audit, "items");
    assert_int_equal(json_array_size(items), 1);
    assert_string_equal(jstr(json_array_get(items, 0), "action"), "generate");
    assert_string_equal(jstr(json_array_get(items, 0), "actor"), "scheduler");
    json_decref(audit);

    /* Once a day: a car due the same day but added after the run gets nothing from the
     * passes that follow. */
    struct car later;
    car_due(mgr, c, 13, "大众", &later);
    sleep_ms(2000); /* ten worker passes */
    assert_int_equal(count_items(mgr, fmt("/api/v1/messages?vehicle_id=%lld", (long long)later.id)),
                     0);
    assert_int_equal(count_items(mgr, "/api/v1/audit?entity=tasks"), 1);
    assert_int_equal(count_items(mgr, msgs), 1);

    free(mgr);
    SRV = main_srv;
    morning_up = false;
    assert_int_equal(srv_stop(&morning), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_outbox_email_reminder_goes_out_over_smtp, on_main,
                                        cleanup),
        cmocka_unit_test_setup_teardown(test_outbox_sms_reminder_goes_to_the_gateway, on_main,
                                        cleanup),
        cmocka_unit_test_setup_teardown(test_outbox_retries_5xx_with_backoff_and_gives_up_on_4xx,
                                        on_main, cleanup),
        cmocka_unit_test_setup_teardown(test_outbox_no_sms_consent_is_suppressed, on_main, cleanup),
        cmocka_unit_test_setup_teardown(
            test_outbox_consent_withdrawn_after_queueing_is_suppressed_at_sending, on_main,
            cleanup),
        cmocka_unit_test_setup_teardown(test_outbox_quiet_hours_hold_sms_but_not_email, on_main,
                                        cleanup),
        cmocka_unit_test_setup_teardown(test_outbox_inbound_opt_out, on_main, cleanup),
        cmocka_unit_test_setup_teardown(test_outbox_no_message_lost_when_the_server_dies_mid_send,
                                        on_main, cleanup),
        cmocka_unit_test_setup_teardown(test_outbox_each_send_carries_the_current_time, on_main,
                                        cleanup),
        cmocka_unit_test_setup_teardown(
            test_outbox_recall_email_reaches_owner_without_email_consent, on_main, cleanup),
        cmocka_unit_test_setup_teardown(test_outbox_cli_send, on_main, cleanup),
        cmocka_unit_test_setup_teardown(test_outbox_opt_out_during_a_pass_stops_its_next_sends,
                                        on_main, cleanup),
        cmocka_unit_test_setup_teardown(test_outbox_opt_out_while_being_sent_is_not_overwritten,
                                        on_main, cleanup),
        cmocka_unit_test_setup_teardown(
            test_outbox_second_dispatcher_does_not_take_a_message_being_sent, on_main, cleanup),
        cmocka_unit_test_setup_teardown(
            test_outbox_one_off_gateway_refusal_is_retried_then_sent_once, on_main, cleanup),
        cmocka_unit_test_setup_teardown(test_outbox_morning_run_writes_the_reminders_once_a_day,
                                        on_main, cleanup),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
