/* IN-16: reminders of booked appointments, the day before and 30 minutes before, with the
 * service content (the operations' names), the estimated cost (¥1,234.50) and the plate,
 * written to the outbox as messages of kind appointment_reminder: once each, again after a
 * reschedule, never for a cancelled booking, on the channel the customer's consent allows.
 *
 * Most tests run `dms appointments remind --store CODE` against the server's database, which
 * is deterministic: the program's server keeps its own reminders off (the harness sets
 * DMS_APPOINTMENT_REMINDERS=off). One test starts a server of its own with
 * DMS_TEST_APPOINTMENT_REMINDERS=on and waits for its worker to queue the reminder by itself.
 *
 * Every test runs in a store of its own (store_new): its calendar, settings and bookings are
 * nobody else's, and `remind --store` only looks at it.
 *
 * Issue 11, defect 2: several reminder passes at once (three `dms appointments remind`, three
 * `dms serve` workers on one database) write one reminder per booking, and cancelling,
 * no-showing or moving a booking withdraws its queued reminders so they are never sent. */
#include "booking_fixtures.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "sms_sink.h"
#include "spawn.h"
#include "store/db.h"

#define SMS_ONLY    "{\"sms\": true, \"phone\": true, \"email\": false}"
#define EMAIL_ONLY  "{\"sms\": false, \"phone\": true, \"email\": true}"
#define ALL_CONSENT "{\"sms\": true, \"phone\": true, \"email\": true}"
#define NO_CONSENT  "{\"sms\": false, \"phone\": true, \"email\": false}"

static struct server *main_srv;
static struct server worker_srv; /* the test of the server's own worker */
static bool worker_up;
static struct server procs_srv; /* the test of three dms serve processes on one database */
static bool procs_up;
static struct server twins[3];
static struct sms_sink *gateway;

/* ---- the workshop of a test's store ---- */

/* What the bookings of these tests are made of: two operations of one bay kind and a part
 * in stock, so that the content has two names and the estimate needs a thousands separator:
 * 1.00 h x ¥300 + 0.50 h x ¥200 + ¥1,134.50 = ¥1,534.50. */
#define OP1_NAME   "更换前刹车片"
#define OP2_NAME   "检查制动液"
#define TOTAL_TEXT "¥1,534.50"
#define TOTAL_FEN  153450

struct shop {
    struct workshop w; /* `bays` general bays and as many mechanics */
    const char *m;     /* the store's service manager */
    const char *op1, *op2, *part;
};

/* A store with `bays` general bays and as many mechanics, and the job's operations and part. */
static void shop_new(struct shop *s, int bays)
{
    workshop_new(&s->w, bays, bays);
    s->m = s->w.m;
    s->op1 = op_named(s->m, OP1_NAME, "repair", "1", "general", "mechanical", 30000);
    s->op2 = op_named(s->m, OP2_NAME, "repair", "0.5", "general", "mechanical", 20000);
    s->part = part_named(s->m, "刹车片", 113450, 50, 3);
}

struct car {
    int64_t id, customer;
    char plate[32], mobile[16], email[64];
};

/* A customer with a mobile, the consent given and the preferred channel (an e-mail address
 * too, when with_email), and a car of theirs. */
static void car_with_consent(const char *token, const char *consent, const char *preferred,
                             bool with_email, struct car *c)
{
    memset(c, 0, sizeof *c);
    unsigned n = uniq();
    make_mobile(c->mobile, n);
    char extra[120] = "";
    if (with_email) {
        snprintf(c->email, sizeof c->email, "appt.%u@example.com", n);
        snprintf(extra, sizeof extra, ",\"email\":\"%s\"", c->email);
    }
    json_t *j = call("POST", "/api/v1/customers", token,
                     fmt("{\"name\":\"王小明\",\"title\":\"先生\",\"phone\":\"%s\",\"consent\":%s,"
                         "\"preferred_channel\":\"%s\"%s}",
                         c->mobile, consent, preferred, extra),
                     201);
    c->customer = jint(j, "id");
    json_decref(j);
    assert_true(c->customer > 0);
    char vin[18];
    make_vin(vin, n);
    make_plate(c->plate, n);
    j = call("POST", "/api/v1/vehicles", token,
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\",\"brand\":\"大众\","
                 "\"model\":\"速腾\",\"model_year\":2022,\"purchase_date\":\"2022-03-15\"}",
                 (long long)c->customer, vin, c->plate),
             201);
    c->id = jint(j, "id");
    json_decref(j);
    assert_true(c->id > 0);
}

/* A confirmed booking of the shop's job (both operations and one part) at start; its id. */
static int64_t book_job(const struct shop *s, const struct car *c, const char *start)
{
    json_t *a = call("POST", APPTS, s->m,
                     fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\",\"%s\"],\"parts\":[{\"part_no\":"
                         "\"%s\",\"qty\":1}],\"start\":\"%s\"}",
                         (long long)c->id, s->op1, s->op2, s->part, start),
                     201);
    int64_t id = jint(a, "id");
    assert_string_equal(jstr(a, "status"), "confirmed");
    assert_int_equal(jint(json_object_get(a, "estimate"), "total_fen"), TOTAL_FEN);
    json_decref(a);
    return id;
}

/* `dms appointments remind --store CODE`: must succeed; returns the count it printed. */
static int remind(const struct shop *s)
{
    char out[4096];
    int rc = srv_cli(SRV, NULL, out, sizeof out, "appointments", "remind", "--store", s->w.st.code,
                     NULL);
    if (rc != 0)
        fail_msg("dms appointments remind --store %s exited %d: %s", s->w.st.code, rc, out);
    char want[32];
    snprintf(want, sizeof want, "%s: ", s->w.st.code);
    const char *line = strstr(out, want);
    int n = -1;
    if (!line || sscanf(line + strlen(want), "%d reminder(s) queued", &n) != 1)
        fail_msg("dms appointments remind --store %s printed: %s", s->w.st.code, out);
    return n;
}

/* The appointment reminders of a vehicle, newest first (caller json_decref()s the list). */
static json_t *reminders_of(const char *token, int64_t vehicle)
{
    json_t *l =
        call("GET",
             fmt("/api/v1/messages?kind=appointment_reminder&vehicle_id=%lld", (long long)vehicle),
             token, NULL, 200);
    json_t *items = json_incref(json_object_get(l, "items"));
    json_decref(l);
    assert_true(json_is_array(items));
    return items;
}

static size_t reminder_count(const char *token, int64_t vehicle)
{
    json_t *l = reminders_of(token, vehicle);
    size_t n = json_array_size(l);
    json_decref(l);
    return n;
}

/* The newest reminder of a vehicle in full (its detail view). */
static json_t *newest_reminder(const char *token, int64_t vehicle)
{
    json_t *l = reminders_of(token, vehicle);
    if (json_array_size(l) == 0)
        fail_msg("vehicle %lld has no appointment_reminder message", (long long)vehicle);
    int64_t id = jint(json_array_get(l, 0), "id");
    json_decref(l);
    return call("GET", fmt("/api/v1/messages/%lld", (long long)id), token, NULL, 200);
}

static void body_has(const json_t *m, const char *what)
{
    const char *body = jstr(m, "body");
    assert_non_null(body);
    if (!strstr(body, what))
        print_error("reminder %lld: \"%s\" not in its body: %s\n", (long long)jint(m, "id"), what,
                    body);
    assert_non_null(strstr(body, what));
}

/* The reminder of the shop's job for car at day/hh:mm: the kind, the channel, the recipient
 * and what the body tells: plate, day and time, both operations, the estimate. */
static void assert_job_reminder(const json_t *m, const struct car *c, const char *channel,
                                const char *day, const char *hm)
{
    assert_string_equal(jstr(m, "kind"), "appointment_reminder");
    assert_int_equal(jint(m, "vehicle_id"), c->id);
    assert_int_equal(jint(m, "customer_id"), c->customer);
    assert_string_equal(jstr(m, "channel"), channel);
    assert_string_equal(jstr(m, "recipient"), strcmp(channel, "sms") == 0 ? c->mobile : c->email);
    assert_string_not_equal(jstr(m, "status"), "suppressed");
    body_has(m, c->plate);
    body_has(m, day);
    body_has(m, hm);
    body_has(m, OP1_NAME);
    body_has(m, OP2_NAME);
    body_has(m, TOTAL_TEXT);
}

/* ---- the day before ---- */

/* IN-16: tomorrow's confirmed booking gets one reminder once generate_at has come, with the
 * service content, the estimate and the plate; a second run queues nothing; a cancelled
 * booking of tomorrow and a booking two days ahead get none. */
static void test_remind_day_before_once(void **state)
{
    (void)state;
    struct shop s;
    shop_new(&s, 3);
    struct car due, cancelled, later;
    car_with_consent(s.m, SMS_ONLY, "sms", false, &due);
    car_with_consent(s.m, SMS_ONLY, "sms", false, &cancelled);
    car_with_consent(s.m, SMS_ONLY, "sms", false, &later);
    int64_t a_due = book_job(&s, &due, day_at(1, "09:00"));
    int64_t a_cancelled = book_job(&s, &cancelled, day_at(1, "09:00"));
    book_job(&s, &later, day_at(2, "09:00"));
    status_ok(s.m, a_cancelled, "cancelled");

    /* Not before the store's generate_at (when the clock allows a time still to come). */
    if (local_minute_now() < 23 * 60 + 58) {
        set_settings(s.m, "{\"generate_at\":\"23:59\"}");
        assert_int_equal(remind(&s), 0);
        assert_int_equal(reminder_count(s.m, due.id), 0);
    }
    set_settings(s.m, "{\"generate_at\":\"00:00\"}");
    int64_t audit = audit_head_of(s.m);
    assert_int_equal(remind(&s), 1);
    assert_true(audit_head_of(s.m) > audit);

    assert_int_equal(reminder_count(s.m, due.id), 1);
    json_t *m = newest_reminder(s.m, due.id);
    assert_job_reminder(m, &due, "sms", day_str(1), "09:00");
    assert_string_equal(jstr(m, "status"), "queued");
    json_decref(m);

    /* Once: the next run finds nothing to do. */
    assert_int_equal(remind(&s), 0);
    assert_int_equal(reminder_count(s.m, due.id), 1);
    assert_int_equal(reminder_count(s.m, cancelled.id), 0);
    assert_int_equal(reminder_count(s.m, later.id), 0);
    json_t *a = call("GET", fmt(APPTS "/%lld", (long long)a_due), s.m, NULL, 200);
    assert_string_equal(jstr(a, "status"), "confirmed");
    json_decref(a);
}

/* IN-16: a booking moved to another time is reminded again, with the new time; a booking
 * cancelled after it was moved gets nothing more. */
static void test_remind_rescheduled_again(void **state)
{
    (void)state;
    struct shop s;
    shop_new(&s, 2);
    set_settings(s.m, "{\"generate_at\":\"00:00\"}");
    struct car moved, gone;
    car_with_consent(s.m, SMS_ONLY, "sms", false, &moved);
    car_with_consent(s.m, SMS_ONLY, "sms", false, &gone);
    int64_t a_moved = book_job(&s, &moved, day_at(1, "09:00"));
    int64_t a_gone = book_job(&s, &gone, day_at(1, "09:00"));
    assert_int_equal(remind(&s), 2);
    assert_int_equal(remind(&s), 0);

    json_t *p = call("PATCH", fmt(APPTS "/%lld", (long long)a_moved), s.m,
                     fmt("{\"start\":\"%s\"}", day_at(1, "14:00")), 200);
    assert_string_equal(jstr(p, "start"), day_at(1, "14:00"));
    json_decref(p);
    p = call("PATCH", fmt(APPTS "/%lld", (long long)a_gone), s.m,
             fmt("{\"start\":\"%s\"}", day_at(1, "14:00")), 200);
    json_decref(p);
    status_ok(s.m, a_gone, "cancelled");

    assert_int_equal(remind(&s), 1);
    assert_int_equal(reminder_count(s.m, moved.id), 2);
    json_t *m = newest_reminder(s.m, moved.id);
    assert_job_reminder(m, &moved, "sms", day_str(1), "14:00");
    json_decref(m);
    assert_int_equal(reminder_count(s.m, gone.id), 1);
    assert_int_equal(remind(&s), 0);
    assert_int_equal(reminder_count(s.m, moved.id), 2);
}

/* IN-16 with MR-3's rules: SMS to the mobile when SMS consent is given, e-mail when the
 * customer prefers it (and allowed it) or when only e-mail is allowed; without consent the
 * reminder is written suppressed (so that the booking is not tried again and again). */
static void test_remind_channel_follows_consent(void **state)
{
    (void)state;
    struct shop s;
    shop_new(&s, 4);
    set_settings(s.m, "{\"generate_at\":\"00:00\"}");
    struct car sms, prefers_mail, only_mail, none;
    car_with_consent(s.m, SMS_ONLY, "sms", true, &sms);
    car_with_consent(s.m, ALL_CONSENT, "email", true, &prefers_mail);
    car_with_consent(s.m, EMAIL_ONLY, "sms", true, &only_mail);
    car_with_consent(s.m, NO_CONSENT, "sms", true, &none);
    const char *day = day_str(1);
    book_job(&s, &sms, day_at(1, "09:00"));
    book_job(&s, &prefers_mail, day_at(1, "09:00"));
    book_job(&s, &only_mail, day_at(1, "09:00"));
    book_job(&s, &none, day_at(1, "09:00"));
    assert_int_equal(remind(&s), 4);

    json_t *m = newest_reminder(s.m, sms.id);
    assert_job_reminder(m, &sms, "sms", day, "09:00");
    json_decref(m);

    m = newest_reminder(s.m, prefers_mail.id);
    assert_job_reminder(m, &prefers_mail, "email", day, "09:00");
    assert_true(jstr(m, "subject") && *jstr(m, "subject"));
    json_decref(m);

    m = newest_reminder(s.m, only_mail.id);
    assert_job_reminder(m, &only_mail, "email", day, "09:00");
    json_decref(m);

    m = newest_reminder(s.m, none.id);
    assert_string_equal(jstr(m, "status"), "suppressed");
    json_decref(m);
    /* Suppressed counts as done: not written again. */
    assert_int_equal(remind(&s), 0);
    assert_int_equal(reminder_count(s.m, none.id), 1);
}

/* ---- 30 minutes before ---- */

/* IN-16: today's booking starting within the next 30 minutes gets one reminder; one that
 * starts later today does not (yet). The store opens today 00:00-23:59 with a 5-minute step,
 * so that a start 10-25 minutes from now exists at any hour but the last half-hour of the
 * day: after 23:25 the job would not end by closing (or the day would change under the test),
 * and this case is skipped. */
static void test_remind_thirty_minutes_before(void **state)
{
    (void)state;
    if (local_minute_now() > 23 * 60 + 25) {
        print_message("SKIPPED test_remind_thirty_minutes_before: it is after 23:25 in "
                      "Asia/Shanghai; no start 10-25 minutes from now fits in today\n");
        skip();
    }
    struct shop s;
    shop_new(&s, 2);
    const char *short_op =
        op_named(s.m, "快速检查", "repair", "0.25", "general", "mechanical", 10000);
    dms_day today = test_today();
    const char *wd = weekday_name(today);
    json_decref(call("PUT", "/api/v1/calendar", s.m,
                     fmt("{\"hours\":{\"%s\":[[\"00:00\",\"23:59\"]]}}", wd), 200));
    set_settings(s.m, "{\"slot_step_min\":5}");

    /* A start 12-16 minutes from now, on the 5-minute grid, as the server offers it. */
    int now = local_minute_now();
    int want = (now + 12 + 4) / 5 * 5;
    json_t *j = call(
        "GET", fmt("/api/v1/slots?ops=%s&date=%s&time=%s", short_op, ds(today), clock_hhmm(want)),
        s.m, NULL, 200);
    const char *start = NULL;
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(j, "options"), i, o)
    {
        const char *st = jstr(o, "start");
        int min = atoi(st + 11) * 60 + atoi(st + 14);
        if (strncmp(st, ds(today), 10) == 0 && min >= now + 10 && min <= now + 25) {
            start = keep(st);
            break;
        }
    }
    if (!start) {
        char *b = json_dumps(j, JSON_COMPACT);
        fail_msg("GET /slots?ops=%s&date=%s&time=%s (now %s) offers no start 10-25 minutes "
                 "from now: %s",
                 short_op, ds(today), clock_hhmm(want), clock_hhmm(now), b);
    }
    json_decref(j);
    struct car soon, later;
    car_with_consent(s.m, SMS_ONLY, "sms", false, &soon);
    car_with_consent(s.m, SMS_ONLY, "sms", false, &later);
    book_confirmed(s.m, soon.id, short_op, start, NULL);
    /* A booking later today (45+ minutes from now): not due yet, when it fits in the day. */
    int later_min = want + 45;
    bool with_later = later_min + 15 <= 23 * 60 + 59;
    if (with_later)
        book_confirmed(s.m, later.id, short_op, day_at(0, clock_hhmm(later_min)), NULL);

    assert_int_equal(remind(&s), 1);
    json_t *m = newest_reminder(s.m, soon.id);
    assert_string_equal(jstr(m, "kind"), "appointment_reminder");
    assert_string_equal(jstr(m, "channel"), "sms");
    assert_string_equal(jstr(m, "recipient"), soon.mobile);
    body_has(m, soon.plate);
    body_has(m, start + 11); /* HH:MM */
    body_has(m, "快速检查");
    body_has(m, "¥25.00");
    json_decref(m);
    assert_int_equal(remind(&s), 0);
    assert_int_equal(reminder_count(s.m, soon.id), 1);
    if (with_later)
        assert_int_equal(reminder_count(s.m, later.id), 0);
}

/* ---- several passes at once (issue 11, defect 2) ---- */

/* The confirmed bookings of tomorrow a test's passes race for: `per_bay` jobs on each of the
 * shop's bays, at 09:00, 11:00 and 14:00, each of a car of its own with SMS consent. */
#define RACE_BAYS 4
#define RACE_MAX  (RACE_BAYS * 3)
struct race {
    struct shop s;
    struct car cars[RACE_MAX];
    int64_t appts[RACE_MAX];
    int n;
};

static void race_new(struct race *r, int per_bay)
{
    static const char *const at[] = {"09:00", "11:00", "14:00"};
    memset(r, 0, sizeof *r);
    shop_new(&r->s, RACE_BAYS);
    set_settings(r->s.m, "{\"generate_at\":\"00:00\"}");
    for (int t = 0; t < per_bay; t++) {
        for (int b = 0; b < RACE_BAYS; b++) {
            car_with_consent(r->s.m, SMS_ONLY, "sms", false, &r->cars[r->n]);
            r->appts[r->n] = book_job(&r->s, &r->cars[r->n], day_at(1, at[t]));
            r->n++;
        }
    }
}

/* Exactly one reminder per booking of the race. */
static void race_one_each(const struct race *r)
{
    for (int i = 0; i < r->n; i++) {
        size_t n = reminder_count(r->s.m, r->cars[i].id);
        if (n != 1)
            fail_msg("booking %lld has %zu reminders, wanted exactly 1", (long long)r->appts[i], n);
    }
}

/* On PostgreSQL, a gate that makes passes overlap for sure: the test holds the messages
 * table (EXCLUSIVE: reads pass, inserts wait) until `passes` sessions of the database wait
 * for a lock. A pass takes the store's row before it reads the bookings (as bookings, moves
 * and cancellations do), so the first waits at its first message and the others at the
 * store's row; each then reads what the one before committed. Two guards make one reminder
 * a booking: that lock, and the claim on the booking's row (reminders.c claim()), which a
 * pass without the lock would still meet; these tests fail when both are gone (the code
 * before either gave 3 reminders a booking). On SQLite the passes' write transactions take
 * turns, and there is no gate (NULL). */
static struct db *gate_close(void)
{
    if (!SRV->pg)
        return NULL;
    struct db *db = NULL;
    struct dms_error err = {0};
    if (db_open(SRV->db_url, &db, &err) < 0)
        fail_msg("db_open %s: %s", SRV->db_url, err.message);
    assert_true(db_begin(db, true) >= 0);
    assert_true(db_exec(db, "LOCK TABLE messages IN EXCLUSIVE MODE", "") >= 0);
    return db;
}

static void gate_open(struct db *db)
{
    if (!db)
        return;
    db_rollback(db);
    db_close(db);
}

/* Waits (bounded) until `passes` sessions of the database wait for a lock; the gate stays
 * closed (it is opened, and the test failed, when they do not come). */
static void gate_wait(struct db *db, int passes)
{
    if (!db)
        return;
    double until = mono_s() + 120;
    int64_t waiting = 0;
    for (;;) {
        /* pg_stat_activity is read once per transaction unless told to read it again. */
        int64_t ignore;
        if (db_query_int(db, &ignore, "SELECT 0 FROM (SELECT pg_stat_clear_snapshot()) x", "") <
                0 ||
            db_query_int(db, &waiting,
                         "SELECT count(DISTINCT l.pid) FROM pg_locks l JOIN pg_stat_activity a "
                         "ON a.pid = l.pid WHERE NOT l.granted AND a.datname = "
                         "current_database()",
                         "") <= 0)
            waiting = -1;
        if (waiting >= passes || waiting < 0 || mono_s() > until)
            break;
        sleep_ms(20);
    }
    if (waiting >= passes)
        return;
    char why[200];
    snprintf(why, sizeof why, "%s", db_errmsg(db));
    gate_open(db);
    if (waiting < 0)
        fail_msg("looking at pg_locks: %s", why);
    fail_msg("only %lld of %d sessions reached the gate in 120 s", (long long)waiting, passes);
}

static void gate_open_when_waiting(struct db *db, int passes)
{
    gate_wait(db, passes);
    gate_open(db);
}

/* Three `dms appointments remind` at once over the same bookings: one reminder each, and
 * the three printed counts add up to the number of bookings. */
static void test_remind_three_passes_at_once_one_each(void **state)
{
    (void)state;
    struct race r;
    race_new(&r, 3);
    struct db *gate = gate_close();
    struct child c[3];
    for (int i = 0; i < 3; i++)
        child_start(&c[i], SRV, NULL, "appointments", "remind", "--store", r.s.w.st.code, NULL);
    gate_open_when_waiting(gate, 3);
    int total = 0;
    for (int i = 0; i < 3; i++) {
        char out[4096];
        int rc = child_wait(&c[i], out, sizeof out);
        char want[32];
        snprintf(want, sizeof want, "%s: ", r.s.w.st.code);
        const char *line = strstr(out, want);
        int n = -1;
        if (rc != 0 || !line || sscanf(line + strlen(want), "%d reminder(s) queued", &n) != 1)
            fail_msg("dms appointments remind #%d exited %d: %s", i + 1, rc, out);
        total += n;
    }
    race_one_each(&r);
    assert_int_equal(total, r.n);
    /* And nothing more afterwards. */
    assert_int_equal(remind(&r.s), 0);
    race_one_each(&r);
}

static int stop_procs(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        if (twins[i].pid > 0)
            twin_stop(&twins[i]);
    }
    SRV = main_srv;
    if (procs_up)
        srv_stop(&procs_srv);
    procs_up = false;
    return 0;
}

/* Three `dms serve` processes on one database, each with its worker's reminder pass on
 * (the dealer group's setup): one reminder each. A server of the test's own, so that the
 * workers remind no other test's bookings. */
static void test_remind_three_servers_one_each(void **state)
{
    (void)state;
    assert_int_equal(srv_start(&procs_srv, "appt-remind-procs"), 0);
    procs_up = true;
    SRV = &procs_srv;
    struct race r;
    race_new(&r, 2);
    struct db *gate = gate_close();
    static const char *const env[] = {"DMS_APPOINTMENT_REMINDERS=on", "DMS_WORKER_INTERVAL_MS=100",
                                      NULL};
    static const char *const names[] = {"twin1", "twin2", "twin3"};
    for (int i = 0; i < 3; i++)
        twin_start(&twins[i], &procs_srv, names[i], env);
    gate_open_when_waiting(gate, 3);
    /* Every booking reminded (bounded), then the servers stopped: what they wrote is final. */
    double until = mono_s() + 60;
    for (int i = 0; i < r.n; i++) {
        while (reminder_count(r.s.m, r.cars[i].id) == 0) {
            if (mono_s() > until)
                fail_msg("three dms serve with reminders on queued no reminder for booking "
                         "%lld in 60 s; see %s/twin*.log",
                         (long long)r.appts[i], procs_srv.dir);
            sleep_ms(50);
        }
    }
    for (int i = 0; i < 3; i++)
        assert_int_equal(twin_stop(&twins[i]), 0);
    race_one_each(&r);
}

/* ---- withdrawn reminders ---- */

static int64_t newest_reminder_id(const char *token, int64_t vehicle)
{
    json_t *m = newest_reminder(token, vehicle);
    int64_t id = jint(m, "id");
    json_decref(m);
    return id;
}

static void assert_withdrawn(const char *token, int64_t id, const char *reason_prefix)
{
    json_t *m = call("GET", fmt("/api/v1/messages/%lld", (long long)id), token, NULL, 200);
    assert_string_equal(jstr(m, "status"), "cancelled");
    const char *reason = jstr(m, "status_reason");
    if (!reason || strncmp(reason, reason_prefix, strlen(reason_prefix)) != 0)
        fail_msg("message %lld: status_reason \"%s\", wanted \"%s...\"", (long long)id,
                 reason ? reason : "(null)", reason_prefix);
    assert_null(jstr(m, "sent_at"));
    json_decref(m);
    json_t *a =
        call("GET", fmt("/api/v1/audit?entity=message&entity_id=%lld&limit=1", (long long)id),
             token, NULL, 200);
    json_t *row = json_array_get(json_object_get(a, "items"), 0);
    assert_non_null(row);
    assert_string_equal(jstr(row, "action"), "withdraw");
    json_decref(a);
}

/* The POSTs the gateway got for message id. */
static size_t posts_of(int64_t id)
{
    size_t n = 0, count = sms_sink_count(gateway);
    struct sms_post *p = malloc(sizeof *p);
    assert_non_null(p);
    for (size_t i = 0; i < count; i++)
        n += sms_sink_get(gateway, i, p) && p->id == id;
    free(p);
    return n;
}

struct cancel_job {
    const char *base, *token;
    int64_t appt;
    struct http_answer got;
};

static void *cancel_thread(void *arg)
{
    struct cancel_job *j = arg;
    CURL *h = curl_easy_init();
    j->got = http_call_on(h, j->base, "POST", fmt(APPTS "/%lld/status", (long long)j->appt),
                          j->token, "{\"status\":\"cancelled\"}");
    curl_easy_cleanup(h);
    return NULL;
}

/* A booking cancelled while a reminder pass is writing its reminder: the cancellation waits
 * for the pass (both take the store's row first) and then withdraws the reminder the pass
 * wrote; neither fails. On PostgreSQL the gate holds the pass at its message, after its claim
 * on the booking, until the cancellation waits too. */
static void test_remind_pass_and_cancel_at_once(void **state)
{
    (void)state;
    struct shop s;
    shop_new(&s, 1);
    set_settings(s.m, "{\"generate_at\":\"00:00\"}");
    struct car c;
    car_with_consent(s.m, SMS_ONLY, "sms", false, &c);
    int64_t appt = book_job(&s, &c, day_at(1, "09:00"));
    struct db *gate = gate_close();
    struct child pass;
    child_start(&pass, SRV, NULL, "appointments", "remind", "--store", s.w.st.code, NULL);
    gate_wait(gate, 1);
    struct cancel_job job = {.base = SRV->base, .token = s.m, .appt = appt};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, cancel_thread, &job), 0);
    gate_wait(gate, 2);
    gate_open(gate);
    pthread_join(th, NULL);
    char out[4096];
    int rc = child_wait(&pass, out, sizeof out);
    if (job.got.status != 200)
        fail_msg("the cancellation answered %ld: %s", job.got.status,
                 job.got.json ? json_dumps(job.got.json, JSON_COMPACT) : "");
    json_decref(job.got.json);
    if (rc != 0)
        fail_msg("dms appointments remind: %d: %s", rc, out);
    /* The pass went first (PostgreSQL: for sure; SQLite: whichever took the lock first). */
    json_t *l = reminders_of(s.m, c.id);
    assert_true(json_array_size(l) <= 1);
    if (json_array_size(l) == 1)
        assert_withdrawn(s.m, jint(json_array_get(l, 0), "id"), "appointment cancelled");
    else
        assert_false(SRV->pg);
    json_decref(l);
}

/* IN-16: a booking cancelled, marked no-show or moved after its reminder was queued: the
 * reminder is withdrawn (cancelled, with the reason, audited) and the dispatcher never sends
 * it; the moved booking is reminded again, for its new time, and that one is sent. */
static void test_remind_withdrawn_when_cancelled_noshow_or_moved(void **state)
{
    (void)state;
    struct shop s;
    shop_new(&s, 3);
    set_settings(s.m, "{\"generate_at\":\"00:00\",\"quiet_from\":\"00:00\","
                      "\"quiet_until\":\"00:00\"}");
    struct car cancelled, noshow, moved;
    car_with_consent(s.m, SMS_ONLY, "sms", false, &cancelled);
    car_with_consent(s.m, SMS_ONLY, "sms", false, &noshow);
    car_with_consent(s.m, SMS_ONLY, "sms", false, &moved);
    int64_t a_cancelled = book_job(&s, &cancelled, day_at(1, "09:00"));
    int64_t a_noshow = book_job(&s, &noshow, day_at(1, "09:00"));
    int64_t a_moved = book_job(&s, &moved, day_at(1, "09:00"));
    assert_int_equal(remind(&s), 3);
    int64_t m_cancelled = newest_reminder_id(s.m, cancelled.id);
    int64_t m_noshow = newest_reminder_id(s.m, noshow.id);
    int64_t m_moved = newest_reminder_id(s.m, moved.id);

    status_ok(s.m, a_cancelled, "cancelled");
    json_decref(call("PATCH", fmt(APPTS "/%lld", (long long)a_moved), s.m,
                     fmt("{\"start\":\"%s\"}", day_at(1, "14:00")), 200));
    /* A booking is missed on its day (RO-9: not before): the clock goes to it, and back. */
    clock_local(day_at(1, "09:40"));
    status_ok(s.m, a_noshow, "no_show");
    srv_clock_set(SRV, 0);
    assert_withdrawn(s.m, m_cancelled, "appointment cancelled");
    assert_withdrawn(s.m, m_noshow, "appointment no-show");
    assert_withdrawn(s.m, m_moved, "appointment moved to");

    /* The moved one again, with its new time; the others never again. */
    assert_int_equal(remind(&s), 1);
    int64_t m_new = newest_reminder_id(s.m, moved.id);
    assert_true(m_new != m_moved);
    json_t *m = newest_reminder(s.m, moved.id);
    assert_job_reminder(m, &moved, "sms", day_str(1), "14:00");
    assert_string_equal(jstr(m, "status"), "queued");
    json_decref(m);
    assert_int_equal(reminder_count(s.m, cancelled.id), 1);
    assert_int_equal(reminder_count(s.m, noshow.id), 1);

    /* The dispatcher sends the new one and none of the withdrawn. */
    char url[128], out[4096];
    snprintf(url, sizeof url, "DMS_SMS_URL=%s", sms_sink_url(gateway));
    const char *env[] = {url, "DMS_SMS_SECRET=appt-secret", NULL};
    int rc = srv_cli(SRV, env, out, sizeof out, "outbox", "send", NULL);
    if (rc != 0)
        fail_msg("dms outbox send: %d: %s", rc, out);
    assert_int_equal(posts_of(m_new), 1);
    assert_int_equal(posts_of(m_cancelled), 0);
    assert_int_equal(posts_of(m_noshow), 0);
    assert_int_equal(posts_of(m_moved), 0);
    m = call("GET", fmt("/api/v1/messages/%lld", (long long)m_new), s.m, NULL, 200);
    assert_string_equal(jstr(m, "status"), "sent");
    json_decref(m);
    assert_withdrawn(s.m, m_cancelled, "appointment cancelled");
}

/* ---- dms serve's worker ---- */

static int stop_worker_server(void **state)
{
    (void)state;
    SRV = main_srv;
    unsetenv("DMS_TEST_APPOINTMENT_REMINDERS");
    unsetenv("DMS_WORKER_INTERVAL_MS");
    if (worker_up)
        srv_stop(&worker_srv);
    worker_up = false;
    return 0;
}

/* IN-16: with DMS_APPOINTMENT_REMINDERS on, dms serve queues tomorrow's reminder by itself
 * (within a few worker passes), and only once however many passes follow. */
static void test_remind_by_the_server_worker(void **state)
{
    (void)state;
    setenv("DMS_TEST_APPOINTMENT_REMINDERS", "on", 1);
    setenv("DMS_WORKER_INTERVAL_MS", "200", 1);
    assert_int_equal(srv_start(&worker_srv, "appt-remind-worker"), 0);
    worker_up = true;
    unsetenv("DMS_TEST_APPOINTMENT_REMINDERS");
    unsetenv("DMS_WORKER_INTERVAL_MS");
    SRV = &worker_srv;

    struct shop s;
    shop_new(&s, 1);
    set_settings(s.m, "{\"generate_at\":\"00:00\"}");
    struct car c;
    car_with_consent(s.m, SMS_ONLY, "sms", false, &c);
    book_job(&s, &c, day_at(1, "10:00"));

    double until = mono_s() + 30.0;
    while (reminder_count(s.m, c.id) == 0) {
        if (mono_s() > until)
            fail_msg("dms serve (DMS_APPOINTMENT_REMINDERS=on, a pass every 200 ms) queued no "
                     "reminder for tomorrow's booking in 30 s; see %s/server.log",
                     worker_srv.dir);
        sleep_ms(100);
    }
    json_t *m = newest_reminder(s.m, c.id);
    assert_job_reminder(m, &c, "sms", day_str(1), "10:00");
    json_decref(m);
    /* More passes write nothing more. */
    sleep_ms(1500);
    assert_int_equal(reminder_count(s.m, c.id), 1);
}

static int setup(void **state)
{
    gateway = sms_sink_start("appt-secret");
    if (!gateway)
        return -1;
    int rc = srv_setup(state);
    main_srv = SRV;
    return rc;
}

static int teardown(void **state)
{
    SRV = main_srv;
    int rc = srv_teardown(state);
    sms_sink_stop(gateway);
    return rc;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_remind_day_before_once),
        cmocka_unit_test(test_remind_rescheduled_again),
        cmocka_unit_test(test_remind_channel_follows_consent),
        cmocka_unit_test(test_remind_thirty_minutes_before),
        cmocka_unit_test(test_remind_three_passes_at_once_one_each),
        cmocka_unit_test(test_remind_withdrawn_when_cancelled_noshow_or_moved),
        cmocka_unit_test(test_remind_pass_and_cancel_at_once),
        cmocka_unit_test_teardown(test_remind_three_servers_one_each, stop_procs),
        cmocka_unit_test_teardown(test_remind_by_the_server_worker, stop_worker_server),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
