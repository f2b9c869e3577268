/* The call lists over HTTP (MR-2..MR-6, CS-1, CS-3, CS-4, CS-8, IN-1, IN-5, RPT-2): what the
 * generation of a day D creates (and only on its day, once), the consent it honours, the
 * caller's list with what the call needs, the calls recorded against it and what each outcome
 * does, call-backs made by hand, assignment and cancelling, the daily and monthly counts, the
 * command line (`dms tasks generate`, `dms report calls`) and the audit log.
 *
 * Every vehicle here gets its history in the past (readings and repair orders cannot be in
 * the future), and generation runs for past days, which is allowed. Without readings beyond
 * the sale a car is due when the store's 40 km a day reach the first 3,000 km: purchase + 75
 * days (MR-1, see test_schedule.c), so a purchase date picks the days the lists fall on. Each
 * test uses its own stretch of days so that counts are exact; the month-start lists run in
 * store S2, which only that test fills. */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"

/* ---- helpers ---- */

/* A copy of s that outlives fmt()'s and day_offset()'s rotating buffers (kept until the
 * program ends). */
static dms_day day_of(const char *s)
{
    dms_day d = 0;
    struct dms_error e;
    assert_non_null(s);
    assert_int_equal(date_parse(s, &d, "date", &e), 0);
    return d;
}

/* The first day of the month d is in. */
static dms_day month_start(dms_day d)
{
    int y, m, day;
    date_to_ymd(d, &y, &m, &day);
    return date_from_ymd(y, m, 1);
}

/* The first day of the month k months before the one d is in. */
static dms_day months_back(dms_day d, int k)
{
    int y, m, day;
    date_to_ymd(d, &y, &m, &day);
    int idx = y * 12 + (m - 1) - k;
    return date_from_ymd(idx / 12, idx % 12 + 1, 1);
}

/* Consents as the customer's "consent" member. */
#define ALL_CONSENT   "{\"sms\":true,\"email\":true,\"phone\":true}"
#define PHONE_ONLY    "{\"sms\":false,\"email\":false,\"phone\":true}"
#define NO_PHONE_CALL "{\"sms\":true,\"email\":false,\"phone\":false}"

/* A customer created as token with a fresh mobile (copied to phone when not NULL, none when
 * with_phone is false), the consent given, and more members spliced in. */
static int64_t customer(const char *token, bool with_phone, const char *consent, const char *extra,
                        char phone[16])
{
    char mobile[16], phone_member[40] = "";
    make_mobile(mobile, uniq());
    if (with_phone)
        snprintf(phone_member, sizeof phone_member, ",\"phone\":\"%s\"", mobile);
    if (phone)
        snprintf(phone, 16, "%s", with_phone ? mobile : "");
    json_t *c = call("POST", "/api/v1/customers", token,
                     fmt("{\"name\":\"张三丰\",\"title\":\"先生\",\"consent\":%s%s%s}", consent,
                         phone_member, extra ? extra : ""),
                     201);
    int64_t id = jint(c, "id");
    json_decref(c);
    assert_true(id > 0);
    return id;
}

/* A vehicle of customer cid bought on purchase, as token. */
static int64_t vehicle(const char *token, int64_t cid, const char *brand, dms_day purchase)
{
    char vin[18], plate[32];
    unsigned n = uniq();
    make_vin(vin, n);
    make_plate(plate, n);
    json_t *v = call("POST", "/api/v1/vehicles", token,
                     fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\",\"brand\":\"%s\","
                         "\"model\":\"速腾\",\"purchase_date\":\"%s\"}",
                         (long long)cid, vin, plate, brand, ds(purchase)),
                     201);
    int64_t id = jint(v, "id");
    json_decref(v);
    assert_true(id > 0);
    return id;
}

/* A customer who may be called and messaged, with a car bought on purchase (S1). */
static int64_t reachable_car(dms_day purchase, int64_t *cid)
{
    int64_t c = customer(tok(U_ADVISOR), true, ALL_CONSENT, NULL, NULL);
    if (cid)
        *cid = c;
    return vehicle(tok(U_ADVISOR), c, "大众", purchase);
}

/* The vehicle's next service due date as the API reports it to token (MR-1). */
static dms_day due_of_as(const char *token, int64_t vid)
{
    json_t *v = call("GET", fmt("/api/v1/vehicles/%lld", (long long)vid), token, NULL, 200);
    json_t *ns = json_object_get(v, "next_service");
    assert_true(json_is_object(ns));
    dms_day d = day_of(jstr(ns, "due_date"));
    json_decref(v);
    return d;
}

static dms_day due_of(int64_t vid)
{
    return due_of_as(tok(U_ADVISOR), vid);
}

/* POST /tasks/generate for day d as token; returns the counts (caller json_decref()s). */
static json_t *generate_as(const char *token, dms_day d)
{
    json_t *g = call("POST", "/api/v1/tasks/generate", token, fmt("{\"date\":\"%s\"}", ds(d)), 200);
    assert_string_equal(jstr(g, "date"), ds(d));
    return g;
}

static json_t *generate(dms_day d)
{
    return generate_as(tok(U_MANAGER), d);
}

static int64_t created(const json_t *g, const char *type)
{
    json_t *n = json_object_get(json_object_get(g, "created"), type);
    if (!json_is_integer(n))
        fail_msg("generation counts have no %s", type);
    return json_integer_value(n);
}

/* Asserts that every count of a generation is zero (an idempotent re-run). */
static void nothing_created(const json_t *g)
{
    const char *key;
    json_t *n;
    json_object_foreach(json_object_get(g, "created"), key, n)
    {
        if (json_integer_value(n) != 0)
            fail_msg("re-run created %lld %s", (long long)json_integer_value(n), key);
    }
    assert_int_equal(jint(g, "messages"), 0);
    assert_int_equal(jint(g, "expired"), 0);
}

/* The items of GET /tasks?query as token (caller json_decref()s the list it returns). */
static json_t *list_as(const char *token, const char *query)
{
    json_t *j = call("GET", fmt("/api/v1/tasks?limit=200&%s", query), token, NULL, 200);
    json_t *items = json_incref(json_object_get(j, "items"));
    assert_true(json_is_array(items));
    json_decref(j);
    return items;
}

static size_t n_tasks(int64_t vid, const char *type)
{
    json_t *l = list_as(tok(U_CALLER), fmt("vehicle_id=%lld&type=%s", (long long)vid, type));
    size_t n = json_array_size(l);
    json_decref(l);
    return n;
}

/* The one task of type for the vehicle (caller json_decref()s). */
static json_t *one_task(int64_t vid, const char *type)
{
    json_t *l = list_as(tok(U_CALLER), fmt("vehicle_id=%lld&type=%s", (long long)vid, type));
    if (json_array_size(l) != 1)
        fail_msg("vehicle %lld has %zu %s tasks", (long long)vid, json_array_size(l), type);
    json_t *t = json_incref(json_array_get(l, 0));
    json_decref(l);
    return t;
}

static json_t *task_get(int64_t id, const char *token)
{
    return call("GET", fmt("/api/v1/tasks/%lld", (long long)id), token, NULL, 200);
}

/* Records a call on task id as the caller. */
static json_t *attempt(int64_t id, const char *body, long status)
{
    return call("POST", fmt("/api/v1/tasks/%lld/attempts", (long long)id), tok(U_CALLER), body,
                status);
}

static json_t *outcome(int64_t id, const char *what)
{
    return attempt(id, fmt("{\"outcome\":\"%s\"}", what), 201);
}

static int64_t user_id(const char *user)
{
    json_t *me = call("GET", "/api/v1/me", tok(user), NULL, 200);
    int64_t id = jint(json_object_get(me, "user"), "id");
    json_decref(me);
    return id;
}

/* "YYYY-MM-DDTHH:MM:SSZ" as seconds since the epoch. */
static time_t utc_seconds(const char *s)
{
    struct tm tm = {0};
    assert_non_null(s);
    assert_int_equal(sscanf(s, "%d-%d-%dT%d:%d:%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                            &tm.tm_hour, &tm.tm_min, &tm.tm_sec),
                     6);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

/* The maintenance plan of the brand 任务牌: the package and its price (IN-7) and a part with a
 * 7-day lead time (MR-6); the same first service as the built-in plan, so that due dates stay
 * purchase + 75 days. Made once. */
#define PLAN_BRAND "任务牌"
static void task_plan(void)
{
    static bool made;
    if (made)
        return;
    json_t *p = call("POST", "/api/v1/maintenance-plans", tok(U_MANAGER),
                     "{\"brand\":\"" PLAN_BRAND "\",\"interval_km\":5000,\"interval_months\":6,"
                     "\"first_km\":3000,\"first_months\":3,\"package_name\":\"常规保养\","
                     "\"ops\":[{\"code\":\"OIL\",\"name\":\"更换机油机滤\",\"labour_fen\":15000}],"
                     "\"parts\":[{\"part_no\":\"06L115562\",\"qty\":1,\"unit_price_fen\":8500,"
                     "\"lead_days\":7}]}",
                     201);
    assert_int_equal(jint(p, "price_fen"), 23500);
    assert_int_equal(jint(p, "lead_days"), 7);
    json_decref(p);
    made = true;
}

/* ---- generation: maintenance reminders (MR-2..MR-4) ---- */

static void test_generate_message_on_day_13_call_on_day_11(void **state)
{
    (void)state;
    dms_day t = test_today(), p = t - 300;
    /* Five customers whose cars fall due the same day: one may be called and messaged, one
     * only called (no SMS consent), one only messaged (no phone consent), one prefers e-mail,
     * one prefers e-mail but has not agreed to it (so gets the SMS). */
    int64_t c_all, c_phone, c_sms, c_mail, c_nomail;
    int64_t v_all = reachable_car(p, &c_all);
    c_phone = customer(tok(U_ADVISOR), true, PHONE_ONLY, NULL, NULL);
    int64_t v_phone = vehicle(tok(U_ADVISOR), c_phone, "大众", p);
    c_sms = customer(tok(U_ADVISOR), true, NO_PHONE_CALL, NULL, NULL);
    int64_t v_sms = vehicle(tok(U_ADVISOR), c_sms, "大众", p);
    c_mail = customer(tok(U_ADVISOR), true, ALL_CONSENT,
                      ",\"email\":\"zsf@example.com\",\"preferred_channel\":\"email\"", NULL);
    int64_t v_mail = vehicle(tok(U_ADVISOR), c_mail, "大众", p);
    c_nomail = customer(tok(U_ADVISOR), true, NO_PHONE_CALL,
                        ",\"email\":\"nomail@example.com\",\"preferred_channel\":\"email\"", NULL);
    int64_t v_nomail = vehicle(tok(U_ADVISOR), c_nomail, "大众", p);
    int64_t cars[] = {v_all, v_phone, v_sms, v_mail, v_nomail};
    dms_day u = due_of(v_all);
    assert_int_equal(u, p + 75);
    for (size_t i = 1; i < 5; i++)
        assert_int_equal(due_of(cars[i]), u);

    /* D = due - 14: too early for anything. */
    json_t *g = generate(u - 14);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(n_tasks(cars[i], "maintenance_message"), 0);
        assert_int_equal(n_tasks(cars[i], "maintenance_call"), 0);
    }
    json_decref(g);

    /* MR-2, MR-3: D = due - 13: the reminder message, for every one of them; no call yet. */
    int64_t head = audit_head();
    g = generate(u - 13);
    assert_int_equal(created(g, "maintenance_message"), 5);
    assert_int_equal(created(g, "maintenance_call"), 0);
    assert_int_equal(jint(g, "messages"), 5);
    json_decref(g);
    for (size_t i = 0; i < 5; i++) {
        json_t *m = one_task(cars[i], "maintenance_message");
        assert_string_equal(jstr(m, "due_date"), ds(u - 13));
        assert_string_equal(jstr(m, "deadline"), ds(u - 13));
        assert_string_equal(jstr(m, "service_due_date"), ds(u));
        assert_true(jint(m, "message_id") > 0);
        json_decref(m);
        assert_int_equal(n_tasks(cars[i], "maintenance_call"), 0);
    }
    /* The outbox: SMS to the one who agreed to it, e-mail to the one who prefers it, and a
     * suppressed message (so that the caller sees why) for the one without SMS consent. */
    struct {
        int64_t vid;
        const char *channel;
        bool suppressed;
    } want[] = {{v_all, "sms", false},
                {v_phone, "sms", true},
                {v_sms, "sms", false},
                {v_mail, "email", false},
                {v_nomail, "sms", false}};
    for (size_t i = 0; i < 5; i++) {
        json_t *l = call("GET", fmt("/api/v1/messages?vehicle_id=%lld", (long long)want[i].vid),
                         tok(U_CALLER), NULL, 200);
        json_t *items = json_object_get(l, "items");
        assert_int_equal(json_array_size(items), 1);
        json_t *m = json_array_get(items, 0);
        assert_string_equal(jstr(m, "kind"), "maintenance_reminder");
        assert_string_equal(jstr(m, "channel"), want[i].channel);
        if (want[i].suppressed)
            assert_string_equal(jstr(m, "status"), "suppressed");
        else
            assert_string_not_equal(jstr(m, "status"), "suppressed");
        json_t *task = one_task(want[i].vid, "maintenance_message");
        assert_int_equal(jint(task, "message_id"), jint(m, "id"));
        assert_int_equal(jint(m, "task_id"), jint(task, "id"));
        json_decref(task);
        json_decref(l);
    }
    /* The run is audited once, with its counts. */
    json_t *j = call("GET", "/api/v1/audit?entity=tasks&limit=1", tok(U_MANAGER), NULL, 200);
    json_t *e = json_array_get(json_object_get(j, "items"), 0);
    assert_non_null(e);
    assert_true(jint(e, "id") > head);
    assert_string_equal(jstr(e, "action"), "generate");
    json_t *ch = json_object_get(e, "changes");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "date"), 1)),
                        ds(u - 13));
    assert_int_equal(
        json_integer_value(json_array_get(json_object_get(ch, "maintenance_message"), 1)), 5);
    json_decref(j);

    /* Idempotent: the same day again creates nothing. */
    g = generate(u - 13);
    nothing_created(g);
    json_decref(g);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(n_tasks(cars[i], "maintenance_message"), 1);

    /* D = due - 12: nothing new. */
    g = generate(u - 12);
    assert_int_equal(created(g, "maintenance_message"), 0);
    assert_int_equal(created(g, "maintenance_call"), 0);
    json_decref(g);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(n_tasks(cars[i], "maintenance_call"), 0);

    /* MR-4: D = due - 11: the call, for those who agreed to be called; on the list for
     * call_window_days (3): D .. D + 2. */
    g = generate(u - 11);
    assert_int_equal(created(g, "maintenance_call"), 3);
    assert_int_equal(created(g, "maintenance_message"), 0);
    json_decref(g);
    assert_int_equal(n_tasks(v_sms, "maintenance_call"), 0);
    assert_int_equal(n_tasks(v_nomail, "maintenance_call"), 0);
    const int64_t callable[] = {v_all, v_phone, v_mail};
    for (size_t i = 0; i < 3; i++) {
        json_t *c = one_task(callable[i], "maintenance_call");
        assert_string_equal(jstr(c, "status"), "open");
        assert_string_equal(jstr(c, "due_date"), ds(u - 11));
        assert_string_equal(jstr(c, "deadline"), ds(u - 9));
        assert_string_equal(jstr(c, "service_due_date"), ds(u));
        assert_int_equal(jint(c, "attempts"), 0);
        assert_true(json_is_null(json_object_get(c, "deadline_at")));
        assert_non_null(strstr(jstr(c, "reason"), ds(u)));
        json_decref(c);
    }
    g = generate(u - 11);
    nothing_created(g);
    json_decref(g);

    /* D = due - 10: nothing new, and the call is still open (deadline due - 9). */
    g = generate(u - 10);
    assert_int_equal(created(g, "maintenance_call"), 0);
    json_decref(g);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(n_tasks(callable[i], "maintenance_call"), 1);
        json_t *c = one_task(callable[i], "maintenance_call");
        assert_string_equal(jstr(c, "status"), "open");
        json_decref(c);
    }
}

static void test_generate_call_needs_a_phone_number(void **state)
{
    (void)state;
    dms_day t = test_today(), p = t - 310;
    /* Phone consent but no number on file: no call; the message is written suppressed. */
    int64_t cid = customer(tok(U_ADVISOR), false, ALL_CONSENT, NULL, NULL);
    int64_t vid = vehicle(tok(U_ADVISOR), cid, "大众", p);
    dms_day u = due_of(vid);
    json_decref(generate(u - 13));
    json_decref(generate(u - 11));
    assert_int_equal(n_tasks(vid, "maintenance_call"), 0);
    json_t *l = call("GET", fmt("/api/v1/messages?vehicle_id=%lld", (long long)vid), tok(U_CALLER),
                     NULL, 200);
    json_t *m = json_array_get(json_object_get(l, "items"), 0);
    assert_non_null(m);
    assert_string_equal(jstr(m, "status"), "suppressed");
    json_decref(l);
}

static void test_generate_rights_and_bad_input(void **state)
{
    (void)state;
    const char *body = keep(fmt("{\"date\":\"%s\"}", ds(test_today() - 900)));
    static const char *const no[] = {U_ADVISOR, U_CALLER, U_PARTS, U_WORKSHOP, U_WARRANTY};
    for (size_t i = 0; i < 5; i++)
        rejected("POST", "/api/v1/tasks/generate", tok(no[i]), body, 403, "forbidden", NULL);
    json_decref(generate_as(tok(U_ADMIN), test_today() - 900));
    rejected("POST", "/api/v1/tasks/generate", tok(U_MANAGER), "{}", 400, "missing_field", "date");
    rejected("POST", "/api/v1/tasks/generate", tok(U_MANAGER), "{\"date\":\"2024-02-30\"}", 422,
             "invalid_date", "date");
    rejected("POST", "/api/v1/tasks/generate", tok(U_MANAGER), "{\"date\":20240201}", 400,
             "invalid_field", "date");
    rejected("POST", "/api/v1/tasks/generate", tok(U_MANAGER),
             "{\"date\":\"2024-02-01\",\"store\":\"S2\"}", 400, "invalid_field", "store");
}

/* ---- generation: follow-up (CS-1), renewals (CS-8), expiry ---- */

static void test_generate_followup_three_days_after_a_repair(void **state)
{
    (void)state;
    dms_day t = test_today(), x = t - 250;
    int64_t cid, vid = reachable_car(t - 400, &cid);
    json_decref(call("POST", "/api/v1/service-records", tok(U_ADVISOR),
                     fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"date_out\":\"%s\","
                         "\"mileage_km\":5000,\"kind\":\"repair\"}",
                         (long long)vid, ds(x - 1), ds(x)),
                     201));
    /* Without phone consent: no follow-up call. */
    int64_t quiet = customer(tok(U_ADVISOR), true, NO_PHONE_CALL, NULL, NULL);
    int64_t qv = vehicle(tok(U_ADVISOR), quiet, "大众", t - 400);
    json_decref(call("POST", "/api/v1/service-records", tok(U_ADVISOR),
                     fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":5000,"
                         "\"kind\":\"repair\"}",
                         (long long)qv, ds(x)),
                     201));
    /* CS-1: completed on X (date_out, not the day it came in): X + 2 is too early. */
    json_t *g = generate(x + 2);
    assert_int_equal(created(g, "followup"), 0);
    json_decref(g);
    assert_int_equal(n_tasks(vid, "followup"), 0);
    /* X + 3: on the list until X + 7. */
    g = generate(x + 3);
    assert_int_equal(created(g, "followup"), 1);
    json_decref(g);
    json_t *f = one_task(vid, "followup");
    assert_string_equal(jstr(f, "due_date"), ds(x + 3));
    assert_string_equal(jstr(f, "deadline"), ds(x + 7));
    assert_int_equal(jint(f, "customer_id"), cid);
    assert_string_equal(jstr(f, "status"), "open");
    json_decref(f);
    assert_int_equal(n_tasks(qv, "followup"), 0);
    g = generate(x + 3);
    nothing_created(g);
    json_decref(g);
    g = generate(x + 4);
    assert_int_equal(created(g, "followup"), 0);
    json_decref(g);
    assert_int_equal(n_tasks(vid, "followup"), 1);
}

static void test_generate_insurance_and_inspection_30_days_ahead(void **state)
{
    (void)state;
    dms_day t = test_today(), ins = t - 10, insp = t - 12;
    int64_t vid = reachable_car(t - 520, NULL);
    json_t *v = call(
        "PATCH", fmt("/api/v1/vehicles/%lld", (long long)vid), tok(U_ADVISOR),
        fmt("{\"insurance_expiry\":\"%s\",\"inspection_expiry\":\"%s\"}", ds(ins), ds(insp)), 200);
    assert_string_equal(jstr(v, "insurance_expiry"), ds(ins));
    json_decref(v);
    /* Without phone consent, none. */
    int64_t quiet = customer(tok(U_ADVISOR), true, NO_PHONE_CALL, NULL, NULL);
    int64_t qv = vehicle(tok(U_ADVISOR), quiet, "大众", t - 520);
    json_decref(call("PATCH", fmt("/api/v1/vehicles/%lld", (long long)qv), tok(U_ADVISOR),
                     fmt("{\"insurance_expiry\":\"%s\"}", ds(ins)), 200));

    /* CS-8: 31 days before the expiry: nothing. */
    json_t *g = generate(ins - 31);
    assert_int_equal(created(g, "insurance_renewal"), 0);
    json_decref(g);
    /* 30 days before: on the list until the expiry itself. */
    g = generate(ins - 30);
    assert_int_equal(created(g, "insurance_renewal"), 1);
    assert_int_equal(created(g, "annual_inspection"), 0);
    json_decref(g);
    json_t *r = one_task(vid, "insurance_renewal");
    assert_string_equal(jstr(r, "due_date"), ds(ins - 30));
    assert_string_equal(jstr(r, "deadline"), ds(ins));
    json_decref(r);
    assert_int_equal(n_tasks(qv, "insurance_renewal"), 0);
    g = generate(ins - 30);
    nothing_created(g);
    json_decref(g);
    /* The inspection 30 days before its own expiry. */
    assert_int_equal(n_tasks(vid, "annual_inspection"), 0);
    g = generate(insp - 30);
    assert_int_equal(created(g, "annual_inspection"), 1);
    json_decref(g);
    json_t *a = one_task(vid, "annual_inspection");
    assert_string_equal(jstr(a, "due_date"), ds(insp - 30));
    assert_string_equal(jstr(a, "deadline"), ds(insp));
    json_decref(a);
}

static void test_generate_expires_open_tasks_past_their_deadline(void **state)
{
    (void)state;
    dms_day t = test_today();
    int64_t vid = reachable_car(t - 350, NULL);
    dms_day u = due_of(vid), d = u - 11;
    json_decref(generate(d));
    json_t *c = one_task(vid, "maintenance_call");
    int64_t id = jint(c, "id");
    assert_string_equal(jstr(c, "deadline"), ds(d + 2));
    json_decref(c);
    /* The last day of the list: still open. */
    json_t *g = generate(d + 2);
    json_decref(g);
    c = task_get(id, tok(U_CALLER));
    assert_string_equal(jstr(c, "status"), "open");
    assert_true(json_is_null(json_object_get(c, "closed_at")));
    json_decref(c);
    /* The day after: expired by the run, counted, and closed for calls. */
    g = generate(d + 3);
    assert_true(jint(g, "expired") >= 1);
    json_decref(g);
    c = task_get(id, tok(U_CALLER));
    assert_string_equal(jstr(c, "status"), "expired");
    assert_true(json_is_string(json_object_get(c, "closed_at")));
    json_decref(c);
    rejected("POST", fmt("/api/v1/tasks/%lld/attempts", (long long)id), tok(U_CALLER),
             "{\"outcome\":\"reached\"}", 409, "task_closed", NULL);
    json_t *l = list_as(tok(U_CALLER), fmt("vehicle_id=%lld&status=expired", (long long)vid));
    assert_int_equal(json_array_size(l), 1);
    json_decref(l);
}

static void test_generate_follows_the_store_settings(void **state)
{
    (void)state;
    /* The numbers of the rules are the store's: message 14 days ahead, call 10 days ahead
     * and on the list for 2 days, expired after 2 unanswered tries. */
    dms_day t = test_today();
    int64_t vid = reachable_car(t - 450, NULL);
    dms_day u = due_of(vid);
    json_decref(call("PATCH", "/api/v1/store/settings", tok(U_MANAGER),
                     "{\"message_days\":14,\"call_days\":10,\"call_window_days\":2,"
                     "\"max_attempts\":2}",
                     200));
    json_decref(generate(u - 13));
    assert_int_equal(n_tasks(vid, "maintenance_message"), 0);
    json_decref(generate(u - 14));
    assert_int_equal(n_tasks(vid, "maintenance_message"), 1);
    json_decref(generate(u - 11));
    assert_int_equal(n_tasks(vid, "maintenance_call"), 0);
    json_decref(generate(u - 10));
    json_t *c = one_task(vid, "maintenance_call");
    assert_string_equal(jstr(c, "due_date"), ds(u - 10));
    assert_string_equal(jstr(c, "deadline"), ds(u - 9));
    int64_t id = jint(c, "id");
    json_decref(c);
    json_decref(outcome(id, "no_answer"));
    json_t *r = outcome(id, "no_answer");
    assert_string_equal(jstr(r, "status"), "expired");
    assert_int_equal(jint(r, "attempts"), 2);
    json_decref(r);
    json_decref(call("PATCH", "/api/v1/store/settings", tok(U_MANAGER),
                     "{\"message_days\":13,\"call_days\":11,\"call_window_days\":3,"
                     "\"max_attempts\":3}",
                     200));
}

/* ---- generation: the month-start lists (CS-3, CS-4), in store S2 ---- */

static void test_generate_month_start_first_maintenance_and_lost_customers(void **state)
{
    (void)state;
    const char *adv = tok(U_ADVISOR2), *admin = tok(U_ADMIN2);
    dms_day t = test_today(), d2 = month_start(t), d1 = months_back(t, 1);
    int64_t c = customer(adv, true, ALL_CONSENT, NULL, NULL);
    int64_t quiet = customer(adv, true, NO_PHONE_CALL, NULL, NULL);
    /* CS-3: bought on the last day of last month, of the month before, and this month. */
    int64_t last_month = vehicle(adv, c, "大众", d2 - 1);
    int64_t month_before = vehicle(adv, c, "大众", d1 - 1);
    int64_t this_month = vehicle(adv, c, "大众", d2);
    /* CS-4: due long ago and not seen since; the same without phone consent; one that came
     * in after its due date; one whose last maintenance makes it due only weeks ago. */
    int64_t lost = vehicle(adv, c, "大众", d2 - 400);
    int64_t lost_quiet = vehicle(adv, quiet, "大众", d2 - 400);
    int64_t visited = vehicle(adv, c, "大众", d2 - 400);
    dms_day lapse = due_of_as(adv, lost);
    assert_int_equal(lapse, d2 - 400 + 75);
    json_decref(call("POST", "/api/v1/service-records", adv,
                     fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":500,"
                         "\"kind\":\"repair\"}",
                         (long long)visited, ds(d2 - 250)),
                     201));
    assert_true(due_of_as(adv, visited) <= d2 - 250); /* came in after it fell due */
    int64_t recent = vehicle(adv, c, "大众", d2 - 400);
    json_decref(call("POST", "/api/v1/service-records", adv,
                     fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":1000,"
                         "\"kind\":\"maintenance\"}",
                         (long long)recent, ds(t - 200)),
                     201));
    assert_true(due_of_as(adv, recent) > months_back(t, 3));
    /* The boundary of "at least 3 months": due exactly 3 months before this month's 1st, and
     * a day later. */
    dms_day cutoff = months_back(t, 3);
    int64_t at_cutoff = vehicle(adv, c, "大众", cutoff - 75);
    int64_t after_cutoff = vehicle(adv, c, "大众", cutoff - 74);
    assert_int_equal(due_of_as(adv, at_cutoff), cutoff);
    assert_int_equal(due_of_as(adv, after_cutoff), cutoff + 1);

    /* The 1st of last month. */
    json_t *g = generate_as(admin, d1);
    assert_int_equal(created(g, "first_maintenance"), 1);
    assert_int_equal(created(g, "lost_customer"), 1);
    json_decref(g);
    json_t *l =
        list_as(adv, fmt("vehicle_id=%lld&type=first_maintenance", (long long)month_before));
    assert_int_equal(json_array_size(l), 1);
    assert_string_equal(jstr(json_array_get(l, 0), "due_date"), ds(d1));
    json_decref(l);
    l = list_as(adv, fmt("vehicle_id=%lld&type=lost_customer", (long long)lost));
    assert_int_equal(json_array_size(l), 1);
    json_t *lc = json_incref(json_array_get(l, 0));
    json_decref(l);
    /* CS-4: on the list from the 1st to the 15th (month_deadline_day). */
    assert_string_equal(jstr(lc, "due_date"), ds(d1));
    assert_string_equal(jstr(lc, "deadline"), ds(d1 + 14));
    assert_string_equal(jstr(lc, "service_due_date"), ds(lapse));
    json_decref(lc);
    const int64_t none[] = {lost_quiet, visited, recent, at_cutoff, after_cutoff};
    for (size_t i = 0; i < 5; i++) {
        l = list_as(adv, fmt("vehicle_id=%lld&type=lost_customer", (long long)none[i]));
        assert_int_equal(json_array_size(l), 0);
        json_decref(l);
    }

    /* The 2nd is not a month start. */
    g = generate_as(admin, d1 + 1);
    assert_int_equal(created(g, "first_maintenance"), 0);
    assert_int_equal(created(g, "lost_customer"), 0);
    json_decref(g);

    /* The 1st of this month: last month's new car; the lost customer is not called again
     * for the same lapse, the car due exactly 3 months ago is now lost, the one due a day
     * later not yet; last month's lists expire. */
    g = generate_as(admin, d2);
    assert_int_equal(created(g, "first_maintenance"), 1);
    assert_int_equal(created(g, "lost_customer"), 1);
    assert_int_equal(jint(g, "expired"), 2);
    json_decref(g);
    l = list_as(adv, fmt("vehicle_id=%lld&type=first_maintenance", (long long)last_month));
    assert_int_equal(json_array_size(l), 1);
    json_t *f = json_array_get(l, 0);
    assert_string_equal(jstr(f, "due_date"), ds(d2));
    assert_string_equal(jstr(f, "deadline"), ds(d2 + 14));
    assert_string_equal(jstr(f, "status"), "open");
    json_decref(l);
    l = list_as(adv, fmt("vehicle_id=%lld", (long long)this_month));
    assert_int_equal(json_array_size(l), 0);
    json_decref(l);
    l = list_as(adv, fmt("vehicle_id=%lld&type=first_maintenance", (long long)month_before));
    assert_int_equal(json_array_size(l), 1);
    assert_string_equal(jstr(json_array_get(l, 0), "status"), "expired");
    json_decref(l);
    l = list_as(adv, fmt("vehicle_id=%lld&type=lost_customer", (long long)lost));
    assert_int_equal(json_array_size(l), 1);
    json_decref(l);
    l = list_as(adv, fmt("vehicle_id=%lld&type=lost_customer", (long long)at_cutoff));
    assert_int_equal(json_array_size(l), 1);
    assert_string_equal(jstr(json_array_get(l, 0), "due_date"), ds(d2));
    json_decref(l);
    l = list_as(adv, fmt("vehicle_id=%lld&type=lost_customer", (long long)after_cutoff));
    assert_int_equal(json_array_size(l), 0);
    json_decref(l);
    g = generate_as(admin, d2);
    nothing_created(g);
    json_decref(g);

    /* None of it is S1's. */
    l = list_as(tok(U_CALLER), fmt("vehicle_id=%lld", (long long)lost));
    assert_int_equal(json_array_size(l), 0);
    json_decref(l);
}

/* ---- the list ---- */

static void test_list_order_filters_and_what_the_call_needs(void **state)
{
    (void)state;
    task_plan();
    dms_day t = test_today(), d = t - 200;
    /* A maintenance call (deadline D + 2), a follow-up (D + 4), an insurance renewal (D + 30). */
    char phone[16];
    int64_t cid = customer(tok(U_ADVISOR), true, ALL_CONSENT,
                           ",\"needs\":[\"pickup\"],\"needs_note\":\"需要代步车\"", phone);
    int64_t v_call = vehicle(tok(U_ADVISOR), cid, PLAN_BRAND, d + 11 - 75);
    assert_int_equal(due_of(v_call), d + 11);
    int64_t v_fu = reachable_car(t - 600, NULL);
    json_decref(call("POST", "/api/v1/service-records", tok(U_ADVISOR),
                     fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":800,"
                         "\"kind\":\"accident\"}",
                         (long long)v_fu, ds(d - 3)),
                     201));
    int64_t v_ins = reachable_car(t - 700, NULL);
    json_decref(call("PATCH", fmt("/api/v1/vehicles/%lld", (long long)v_ins), tok(U_ADVISOR),
                     fmt("{\"insurance_expiry\":\"%s\"}", ds(d + 30)), 200));
    json_t *g = generate(d);
    assert_int_equal(created(g, "maintenance_call"), 1);
    assert_int_equal(created(g, "followup"), 1);
    assert_int_equal(created(g, "insurance_renewal"), 1);
    json_decref(g);
    json_t *tc = one_task(v_call, "maintenance_call"), *tf = one_task(v_fu, "followup"),
           *ti = one_task(v_ins, "insurance_renewal");
    int64_t id_call = jint(tc, "id"), id_fu = jint(tf, "id"), id_ins = jint(ti, "id");
    json_decref(tf);
    json_decref(ti);

    /* D's list: oldest deadline first. */
    json_t *l = list_as(tok(U_CALLER), fmt("date=%s", ds(d)));
    long pos_call = -1, pos_fu = -1, pos_ins = -1;
    size_t i;
    json_t *it;
    const char *prev = "";
    json_array_foreach(l, i, it)
    {
        assert_true(strcmp(jstr(it, "due_date"), ds(d)) <= 0);
        assert_true(strcmp(jstr(it, "deadline"), ds(d)) >= 0);
        assert_true(strcmp(prev, jstr(it, "deadline")) <= 0);
        prev = keep(jstr(it, "deadline"));
        if (jint(it, "id") == id_call)
            pos_call = (long)i;
        if (jint(it, "id") == id_fu)
            pos_fu = (long)i;
        if (jint(it, "id") == id_ins)
            pos_ins = (long)i;
    }
    assert_true(pos_call >= 0 && pos_fu > pos_call && pos_ins > pos_fu);
    json_decref(l);
    /* The day before: none of them; D + 3: the call's window is over, the others remain. */
    l = list_as(tok(U_CALLER), fmt("date=%s", ds(d - 1)));
    json_array_foreach(l, i, it)
    {
        assert_true(jint(it, "id") != id_call && jint(it, "id") != id_fu &&
                    jint(it, "id") != id_ins);
    }
    json_decref(l);
    l = list_as(tok(U_CALLER), fmt("date=%s", ds(d + 3)));
    bool seen_fu = false, seen_ins = false;
    json_array_foreach(l, i, it)
    {
        assert_true(jint(it, "id") != id_call);
        seen_fu |= jint(it, "id") == id_fu;
        seen_ins |= jint(it, "id") == id_ins;
    }
    assert_true(seen_fu && seen_ins);
    json_decref(l);
    /* Type and status filters. */
    l = list_as(tok(U_CALLER), fmt("date=%s&type=followup&status=open", ds(d)));
    bool seen = false;
    json_array_foreach(l, i, it)
    {
        assert_string_equal(jstr(it, "type"), "followup");
        assert_string_equal(jstr(it, "status"), "open");
        seen |= jint(it, "id") == id_fu;
    }
    assert_true(seen);
    json_decref(l);
    l = list_as(tok(U_CALLER), fmt("date=%s&status=done", ds(d)));
    json_array_foreach(l, i, it) assert_string_equal(jstr(it, "status"), "done");
    json_decref(l);
    rejected("GET", "/api/v1/tasks?type=nap", tok(U_CALLER), NULL, 400, "invalid_field", "type");
    rejected("GET", "/api/v1/tasks?status=maybe", tok(U_CALLER), NULL, 400, "invalid_field",
             "status");
    rejected("GET", "/api/v1/tasks?date=2024-13-01", tok(U_CALLER), NULL, 422, "invalid_date",
             "date");

    /* MR-4: what the caller sees before calling: history, due date and content, the package
     * and its one price (IN-7), the special needs (CRM-6); the phone masked in the list. */
    assert_string_equal(jstr(tc, "type"), "maintenance_call");
    assert_int_equal(jint(tc, "customer_id"), cid);
    json_t *cl = json_object_get(tc, "call");
    json_t *cust = json_object_get(cl, "customer");
    assert_string_equal(jstr(cust, "name"), "张三丰");
    assert_string_equal(jstr(cust, "title"), "先生");
    char masked[16];
    snprintf(masked, sizeof masked, "%.3s****%s", phone, phone + 7);
    assert_string_equal(jstr(cust, "phone"), masked);
    json_t *needs = json_object_get(cl, "special_needs");
    assert_string_equal(json_string_value(json_array_get(json_object_get(needs, "needs"), 0)),
                        "pickup");
    assert_string_equal(jstr(needs, "note"), "需要代步车");
    assert_string_equal(jstr(json_object_get(cl, "vehicle"), "brand"), PLAN_BRAND);
    assert_string_equal(jstr(json_object_get(cl, "next_service"), "due_date"), ds(d + 11));
    assert_int_equal(jint(json_object_get(cl, "next_service"), "due_km"), 3000);
    json_t *pkg = json_object_get(cl, "package");
    assert_true(json_is_object(pkg));
    assert_string_equal(jstr(pkg, "name"), "常规保养");
    assert_int_equal(jint(pkg, "price_fen"), 23500);
    json_decref(tc);
    /* Without a plan of the store's, no package. */
    tf = one_task(v_fu, "followup");
    assert_true(json_is_null(json_object_get(json_object_get(tf, "call"), "package")));
    json_decref(tf);

    /* The detail view shows the number in full to the roles that call. */
    static const char *const callers[] = {U_CALLER, U_ADVISOR, U_MANAGER};
    for (size_t k = 0; k < 3; k++) {
        json_t *full = task_get(id_call, tok(callers[k]));
        assert_string_equal(
            jstr(json_object_get(json_object_get(full, "call"), "customer"), "phone"), phone);
        assert_true(json_is_array(json_object_get(full, "attempts_log")));
        assert_int_equal(json_array_size(json_object_get(full, "attempts_log")), 0);
        json_decref(full);
    }
    /* Roles that do not work the lists may not see them. */
    static const char *const no[] = {U_PARTS, U_WORKSHOP, U_WARRANTY, U_ADMIN};
    for (size_t k = 0; k < 4; k++) {
        rejected("GET", "/api/v1/tasks", tok(no[k]), NULL, 403, "forbidden", NULL);
        rejected("GET", fmt("/api/v1/tasks/%lld", (long long)id_call), tok(no[k]), NULL, 403,
                 "forbidden", NULL);
    }
    /* Another store: 404 for the id, and its lists hold only its own tasks. */
    rejected("GET", fmt("/api/v1/tasks/%lld", (long long)id_call), tok(U_ADVISOR2), NULL, 404,
             "not_found", NULL);
    l = list_as(tok(U_ADVISOR2), fmt("date=%s", ds(d)));
    json_array_foreach(l, i, it)
    {
        assert_true(jint(it, "id") != id_call && jint(it, "id") != id_fu &&
                    jint(it, "id") != id_ins);
    }
    json_decref(l);
    l = list_as(tok(U_ADVISOR2), fmt("vehicle_id=%lld", (long long)v_call));
    assert_int_equal(json_array_size(l), 0);
    json_decref(l);
    rejected("GET", "/api/v1/tasks/999999999", tok(U_CALLER), NULL, 404, "not_found", NULL);
}

static void test_list_pages_without_gaps(void **state)
{
    (void)state;
    /* Five call-backs for the same phone: paged by two, each once. */
    char phone[16];
    make_mobile(phone, uniq());
    int64_t made[5];
    for (size_t i = 0; i < 5; i++) {
        json_t *c =
            call("POST", "/api/v1/tasks", tok(U_CALLER),
                 fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"phone\":\"%s\"}", phone), 201);
        made[i] = jint(c, "id");
        json_decref(c);
    }
    int64_t seen[16];
    size_t n = 0;
    char cursor[64] = "";
    for (int page = 0; page < 20; page++) {
        json_t *j = call("GET",
                         fmt("/api/v1/tasks?type=callback&status=open&limit=2%s%s",
                             cursor[0] ? "&cursor=" : "", cursor),
                         tok(U_CALLER), NULL, 200);
        json_t *items = json_object_get(j, "items");
        assert_true(json_array_size(items) <= 2);
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it)
        {
            for (size_t k = 0; k < 5; k++) {
                if (made[k] == jint(it, "id")) {
                    assert_true(n < 16);
                    seen[n++] = made[k];
                }
            }
        }
        json_t *next = json_object_get(j, "next_cursor");
        if (json_is_null(next)) {
            json_decref(j);
            break;
        }
        snprintf(cursor, sizeof cursor, "%s", json_string_value(next));
        json_decref(j);
    }
    assert_int_equal(n, 5);
    for (size_t a = 0; a < n; a++) {
        for (size_t b = a + 1; b < n; b++)
            assert_true(seen[a] != seen[b]);
    }
    for (size_t k = 0; k < 5; k++)
        json_decref(call("PATCH", fmt("/api/v1/tasks/%lld", (long long)made[k]), tok(U_CALLER),
                         "{\"status\":\"cancelled\"}", 200));
}

/* ---- calls (MR-4..MR-6) ---- */

/* Cars due in 11 days (so the generation of today makes their reminder call), and one due
 * in 13 (its reminder message). Made once for the attempt tests. */
enum { G_NO_ANSWER, G_BUSY, G_LATER, G_UNDECIDED, G_DECLINED, G_MILEAGE, G_NEEDS, G_COUNT };
static struct {
    bool made;
    int64_t vehicle[G_COUNT], customer[G_COUNT], task[G_COUNT];
    int64_t msg_vehicle, msg_task;
} G;

static void call_fixture(void)
{
    if (G.made)
        return;
    task_plan();
    dms_day t = test_today();
    for (int i = 0; i < G_COUNT; i++) {
        G.customer[i] = customer(tok(U_ADVISOR), true, ALL_CONSENT,
                                 i == G_NEEDS ? ",\"needs_note\":\"周六上午方便\"" : NULL, NULL);
        G.vehicle[i] = vehicle(tok(U_ADVISOR), G.customer[i], PLAN_BRAND, t - 64);
        assert_int_equal(due_of(G.vehicle[i]), t + 11);
    }
    G.msg_vehicle = reachable_car(t - 62, NULL);
    json_t *g = generate(t);
    assert_int_equal(created(g, "maintenance_call"), G_COUNT);
    json_decref(g);
    for (int i = 0; i < G_COUNT; i++) {
        json_t *c = one_task(G.vehicle[i], "maintenance_call");
        G.task[i] = jint(c, "id");
        json_decref(c);
    }
    json_t *m = one_task(G.msg_vehicle, "maintenance_message");
    G.msg_task = jint(m, "id");
    json_decref(m);
    G.made = true;
}

static void test_attempts_unanswered_three_times_expire(void **state)
{
    (void)state;
    call_fixture();
    int64_t id = G.task[G_NO_ANSWER];
    json_t *r = outcome(id, "no_answer");
    assert_string_equal(jstr(r, "status"), "open");
    assert_int_equal(jint(r, "attempts"), 1);
    assert_string_equal(jstr(r, "last_outcome"), "no_answer");
    assert_true(json_is_string(json_object_get(r, "last_attempt_at")));
    assert_false(json_is_true(json_object_get(r, "reached")));
    json_decref(r);
    r = outcome(id, "no_answer");
    assert_string_equal(jstr(r, "status"), "open");
    assert_int_equal(jint(r, "attempts"), 2);
    json_decref(r);
    /* The 3rd (max_attempts) expires it. */
    r = outcome(id, "no_answer");
    assert_string_equal(jstr(r, "status"), "expired");
    assert_int_equal(jint(r, "attempts"), 3);
    assert_true(json_is_string(json_object_get(r, "closed_at")));
    json_t *log = json_object_get(r, "attempts_log");
    assert_int_equal(json_array_size(log), 3);
    assert_string_equal(jstr(json_array_get(log, 0), "outcome"), "no_answer");
    assert_string_equal(jstr(json_array_get(log, 0), "username"), U_CALLER);
    json_decref(r);
    rejected("POST", fmt("/api/v1/tasks/%lld/attempts", (long long)id), tok(U_CALLER),
             "{\"outcome\":\"reached\"}", 409, "task_closed", NULL);

    /* Busy counts as unanswered too. */
    id = G.task[G_BUSY];
    json_decref(outcome(id, "busy"));
    json_decref(outcome(id, "no_answer"));
    r = outcome(id, "busy");
    assert_string_equal(jstr(r, "status"), "expired");
    assert_int_equal(jint(r, "attempts"), 3);
    json_decref(r);
}

static void test_attempts_call_back_later_stays_open(void **state)
{
    (void)state;
    call_fixture();
    int64_t id = G.task[G_LATER];
    json_t *r = attempt(id, "{\"outcome\":\"call_back_later\",\"notes\":\"下午再打\"}", 201);
    assert_string_equal(jstr(r, "status"), "open");
    assert_int_equal(jint(r, "attempts"), 0);
    assert_true(json_is_true(json_object_get(r, "reached")));
    assert_true(json_is_null(json_object_get(r, "closed_at")));
    assert_string_equal(jstr(json_array_get(json_object_get(r, "attempts_log"), 0), "notes"),
                        "下午再打");
    json_decref(r);
    /* MR-5: booked in the next call. */
    r = outcome(id, "booked");
    assert_string_equal(jstr(r, "status"), "done");
    assert_true(json_is_true(json_object_get(r, "booked")));
    assert_true(json_is_true(json_object_get(r, "reached")));
    json_decref(r);
    assert_int_equal(n_tasks(G.vehicle[G_LATER], "maintenance_second_call"), 0);
}

static void test_attempts_undecided_gets_a_second_call_before_the_parts_lead_time(void **state)
{
    (void)state;
    call_fixture();
    dms_day t = test_today(), u = t + 11;
    json_t *r = outcome(G.task[G_UNDECIDED], "undecided");
    assert_string_equal(jstr(r, "status"), "done");
    assert_true(json_is_true(json_object_get(r, "reached")));
    json_decref(r);
    /* MR-6: from tomorrow until the service date less the package's 7-day lead time. */
    json_t *s = one_task(G.vehicle[G_UNDECIDED], "maintenance_second_call");
    assert_string_equal(jstr(s, "status"), "open");
    assert_string_equal(jstr(s, "due_date"), ds(t + 1));
    assert_string_equal(jstr(s, "deadline"), ds(u - 7));
    assert_string_equal(jstr(s, "service_due_date"), ds(u));
    assert_int_equal(jint(s, "customer_id"), G.customer[G_UNDECIDED]);
    int64_t second = jint(s, "id");
    json_decref(s);
    /* Undecided again on the second call: no third. */
    json_decref(outcome(second, "undecided"));
    assert_int_equal(n_tasks(G.vehicle[G_UNDECIDED], "maintenance_second_call"), 1);
    assert_int_equal(n_tasks(G.vehicle[G_UNDECIDED], "maintenance_call"), 1);
}

static void test_attempts_declined_gets_no_second_call(void **state)
{
    (void)state;
    call_fixture();
    /* MR-6: a customer who clearly declined is not called again. */
    json_t *r = outcome(G.task[G_DECLINED], "declined");
    assert_string_equal(jstr(r, "status"), "done");
    json_decref(r);
    assert_int_equal(n_tasks(G.vehicle[G_DECLINED], "maintenance_second_call"), 0);
}

static void test_attempts_mileage_moves_the_due_date(void **state)
{
    (void)state;
    call_fixture();
    dms_day t = test_today();
    int64_t id = G.task[G_MILEAGE], vid = G.vehicle[G_MILEAGE];
    const char *vpath = keep(fmt("/api/v1/vehicles/%lld", (long long)vid));
    /* MR-4: the mileage asked in the call is today's reading (source call): 2,600 km in 64
     * days; the 400 km left take 9.8 days: due in 10 days instead of 11. */
    json_t *r = attempt(id, "{\"outcome\":\"call_back_later\",\"mileage_km\":2600}", 201);
    assert_int_equal(jint(json_array_get(json_object_get(r, "attempts_log"), 0), "mileage_km"),
                     2600);
    assert_int_equal(jint(json_object_get(json_object_get(r, "call"), "vehicle"), "mileage_km"),
                     2600);
    assert_string_equal(
        jstr(json_object_get(json_object_get(r, "call"), "next_service"), "due_date"), ds(t + 10));
    json_decref(r);
    json_t *v = call("GET", vpath, tok(U_CALLER), NULL, 200);
    assert_int_equal(jint(v, "mileage_km"), 2600);
    assert_string_equal(jstr(v, "mileage_date"), ds(t));
    assert_string_equal(jstr(json_object_get(v, "next_service"), "due_date"), ds(t + 10));
    assert_string_equal(jstr(json_object_get(v, "next_service"), "basis"), "mileage");
    json_decref(v);
    json_t *m = call("GET", fmt("%s/mileage", vpath), tok(U_CALLER), NULL, 200);
    assert_string_equal(jstr(json_array_get(json_object_get(m, "items"), 0), "source"), "call");
    json_decref(m);

    /* A mileage the odometer contradicts (below today's 2,600): 422, and nothing recorded:
     * no attempt, the task still open, the vehicle and the audit log as they were. */
    char *task_before = snapshot(fmt("/api/v1/tasks/%lld", (long long)id), tok(U_CALLER));
    char *vehicle_before = snapshot(vpath, tok(U_CALLER));
    int64_t head = audit_head();
    rejected("POST", fmt("/api/v1/tasks/%lld/attempts", (long long)id), tok(U_CALLER),
             "{\"outcome\":\"reached\",\"mileage_km\":2000}", 422, "mileage_inconsistent", NULL);
    assert_unchanged(fmt("/api/v1/tasks/%lld", (long long)id), tok(U_CALLER), task_before);
    assert_unchanged(vpath, tok(U_CALLER), vehicle_before);
    assert_int_equal(audit_head(), head);
    rejected("POST", fmt("/api/v1/tasks/%lld/attempts", (long long)id), tok(U_CALLER),
             "{\"outcome\":\"reached\",\"mileage_km\":-1}", 400, "invalid_field", "mileage_km");
    /* The same km again is consistent. */
    json_decref(attempt(id, "{\"outcome\":\"reached\",\"mileage_km\":2600}", 201));
}

static void test_attempts_mileage_error_names_the_request_field(void **state)
{
    (void)state;
    call_fixture();
    /* The error names the field of this request (mileage_km), as a repair order's does. */
    int64_t vid = G.vehicle[G_MILEAGE];
    json_t *tk =
        call("POST", "/api/v1/tasks", tok(U_CALLER),
             fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"vehicle_id\":%lld}", (long long)vid),
             201);
    int64_t id = jint(tk, "id");
    json_decref(tk);
    rejected("POST", fmt("/api/v1/tasks/%lld/attempts", (long long)id), tok(U_CALLER),
             "{\"outcome\":\"reached\",\"mileage_km\":100}", 422, "mileage_inconsistent",
             "mileage_km");
    json_decref(call("PATCH", fmt("/api/v1/tasks/%lld", (long long)id), tok(U_CALLER),
                     "{\"status\":\"cancelled\"}", 200));
}

static void test_attempts_special_needs_go_onto_the_profile(void **state)
{
    (void)state;
    call_fixture();
    int64_t id = G.task[G_NEEDS], cid = G.customer[G_NEEDS];
    /* CRM-6, MR-4: the needs heard in the call are added to the customer's note. */
    json_t *r = attempt(id, "{\"outcome\":\"reached\",\"special_needs\":\"需要代步车\"}", 201);
    assert_string_equal(
        jstr(json_array_get(json_object_get(r, "attempts_log"), 0), "special_needs"), "需要代步车");
    json_decref(r);
    json_t *c =
        call("GET", fmt("/api/v1/customers/%lld", (long long)cid), tok(U_CALLER), NULL, 200);
    const char *note = jstr(c, "needs_note");
    assert_non_null(note);
    assert_non_null(strstr(note, "周六上午方便"));
    assert_non_null(strstr(note, "需要代步车"));
    assert_true(strstr(note, "周六上午方便") < strstr(note, "需要代步车"));
    json_decref(c);
}

static void test_attempts_reject_bad_input(void **state)
{
    (void)state;
    call_fixture();
    /* A reminder message is not a call. */
    rejected("POST", fmt("/api/v1/tasks/%lld/attempts", (long long)G.msg_task), tok(U_CALLER),
             "{\"outcome\":\"reached\"}", 400, "invalid_field", NULL);
    /* Input, on an open task that stays as it was. */
    dms_day t = test_today();
    int64_t cid, vid = reachable_car(t - 320, &cid);
    json_t *tk =
        call("POST", "/api/v1/tasks", tok(U_CALLER),
             fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"vehicle_id\":%lld}", (long long)vid),
             201);
    int64_t id = jint(tk, "id");
    json_decref(tk);
    const char *path = keep(fmt("/api/v1/tasks/%lld/attempts", (long long)id));
    char *before = snapshot(fmt("/api/v1/tasks/%lld", (long long)id), tok(U_CALLER));
    rejected("POST", path, tok(U_CALLER), "{\"outcome\":\"maybe\"}", 400, "invalid_field",
             "outcome");
    rejected("POST", path, tok(U_CALLER), "{}", 400, "missing_field", "outcome");
    rejected("POST", path, tok(U_CALLER), "{\"outcome\":\"reached\",\"mood\":\"good\"}", 400,
             "invalid_field", "mood");
    rejected("POST", path, tok(U_CALLER), "{\"outcome\":1}", 400, "invalid_field", "outcome");
    rejected("POST", path, tok(U_CALLER), "not json", 400, "invalid_json", NULL);
    /* Roles and stores. */
    rejected("POST", path, tok(U_PARTS), "{\"outcome\":\"reached\"}", 403, "forbidden", NULL);
    rejected("POST", path, tok(U_ADVISOR2), "{\"outcome\":\"reached\"}", 404, "not_found", NULL);
    rejected("POST", "/api/v1/tasks/999999999/attempts", tok(U_CALLER), "{\"outcome\":\"reached\"}",
             404, "not_found", NULL);
    assert_unchanged(fmt("/api/v1/tasks/%lld", (long long)id), tok(U_CALLER), before);
    /* Advisors and managers may record calls too. */
    json_t *r = attempt(id, "{\"outcome\":\"busy\"}", 201);
    json_decref(r);
    r = call("POST", path, tok(U_ADVISOR), "{\"outcome\":\"reached\"}", 201);
    assert_string_equal(jstr(r, "status"), "done");
    json_decref(r);
    /* A task that is not open takes no more calls. */
    before = snapshot(fmt("/api/v1/tasks/%lld", (long long)id), tok(U_CALLER));
    rejected("POST", path, tok(U_CALLER), "{\"outcome\":\"reached\"}", 409, "task_closed", NULL);
    rejected("POST", path, tok(U_CALLER), "{\"outcome\":\"no_answer\"}", 409, "task_closed", NULL);
    assert_unchanged(fmt("/api/v1/tasks/%lld", (long long)id), tok(U_CALLER), before);
}

static void test_attempts_are_audited(void **state)
{
    (void)state;
    call_fixture();
    int64_t id = G.task[G_NO_ANSWER];
    /* Three calls, each one row: outcome, status and attempts before and after. */
    json_t *j = call("GET", fmt("/api/v1/audit?entity=task&entity_id=%lld", (long long)id),
                     tok(U_MANAGER), NULL, 200);
    json_t *items = json_object_get(j, "items");
    size_t n = 0, i;
    json_t *it;
    json_t *last = NULL;
    json_array_foreach(items, i, it)
    {
        if (strcmp(jstr(it, "action"), "attempt") == 0) {
            if (!last)
                last = it;
            n++;
        }
    }
    assert_int_equal(n, 3);
    assert_string_equal(jstr(last, "actor"), U_CALLER);
    json_t *ch = json_object_get(last, "changes");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "outcome"), 1)),
                        "no_answer");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "status"), 0)),
                        "open");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "status"), 1)),
                        "expired");
    assert_int_equal(json_integer_value(json_array_get(json_object_get(ch, "attempts"), 1)), 3);
    json_decref(j);
}

/* ---- call-backs (IN-1, IN-5) ---- */

static void test_callbacks_deadline_in_minutes(void **state)
{
    (void)state;
    char phone[16];
    make_mobile(phone, uniq());
    /* IN-1: busy or out of hours: call back within 5 minutes. */
    time_t now = time(NULL);
    struct resp r = http("POST", "/api/v1/tasks", tok(U_ADVISOR),
                         fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"phone\":\"%.3s %.4s "
                             "%s\",\"name\":\"来电客户\",\"notes\":\"问保养价格\"}",
                             phone, phone + 3, phone + 7));
    json_t *t = expect(&r, 201);
    int64_t id = jint(t, "id");
    assert_string_equal(jstr(t, "type"), "callback");
    assert_string_equal(jstr(t, "status"), "open");
    assert_string_equal(jstr(t, "due_date"), day_offset(0));
    assert_string_equal(jstr(t, "deadline"), day_offset(0));
    assert_true(json_is_null(json_object_get(t, "customer_id")));
    assert_non_null(strstr(jstr(t, "reason"), "问保养价格"));
    long diff = (long)(utc_seconds(jstr(t, "deadline_at")) - now);
    if (diff < 240 || diff > 360)
        fail_msg("busy call-back due in %ld s, not 300", diff);
    /* The number as given, normalised, in full for the advisor. */
    json_t *cust = json_object_get(json_object_get(t, "call"), "customer");
    assert_string_equal(jstr(cust, "phone"), phone);
    assert_string_equal(jstr(cust, "name"), "来电客户");
    resp_free(&r);
    /* Audited. */
    json_t *e = last_audit("task", id);
    assert_string_equal(jstr(e, "action"), "create");
    json_decref(e);

    /* IN-5: after checking the parts: 15 minutes; for a customer of the archive. */
    int64_t cid = customer(tok(U_ADVISOR), true, ALL_CONSENT, NULL, NULL);
    now = time(NULL);
    t = call("POST", "/api/v1/tasks", tok(U_CALLER),
             fmt("{\"type\":\"callback\",\"reason\":\"parts_check\",\"customer_id\":%lld}",
                 (long long)cid),
             201);
    assert_int_equal(jint(t, "customer_id"), cid);
    diff = (long)(utc_seconds(jstr(t, "deadline_at")) - now);
    if (diff < 840 || diff > 960)
        fail_msg("parts call-back due in %ld s, not 900", diff);
    json_decref(t);
    /* For a vehicle: its owner is the customer. */
    int64_t owner, vid = reachable_car(test_today() - 330, &owner);
    t = call("POST", "/api/v1/tasks", tok(U_MANAGER),
             fmt("{\"type\":\"callback\",\"reason\":\"out_of_hours\",\"vehicle_id\":%lld}",
                 (long long)vid),
             201);
    assert_int_equal(jint(t, "vehicle_id"), vid);
    assert_int_equal(jint(t, "customer_id"), owner);
    json_decref(t);
    /* The store's minutes are settings. */
    json_decref(call("PATCH", "/api/v1/store/settings", tok(U_MANAGER),
                     "{\"callback_busy_minutes\":2}", 200));
    now = time(NULL);
    t = call("POST", "/api/v1/tasks", tok(U_CALLER),
             fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"phone\":\"%s\"}", phone), 201);
    diff = (long)(utc_seconds(jstr(t, "deadline_at")) - now);
    if (diff < 60 || diff > 180)
        fail_msg("busy call-back with 2 minutes due in %ld s", diff);
    json_decref(t);
    json_decref(call("PATCH", "/api/v1/store/settings", tok(U_MANAGER),
                     "{\"callback_busy_minutes\":5}", 200));
}

static void test_callbacks_reject_bad_input(void **state)
{
    (void)state;
    int64_t head = audit_head();
    int64_t s2_customer = customer(tok(U_ADVISOR2), true, ALL_CONSENT, NULL, NULL);
    int64_t s2_vehicle = vehicle(tok(U_ADVISOR2), s2_customer, "大众", test_today() - 340);
    /* A vehicle with a customer who is not its owner. */
    int64_t own_vehicle = reachable_car(test_today() - 345, NULL);
    int64_t other_customer = customer(tok(U_ADVISOR), true, ALL_CONSENT, NULL, NULL);
    head = audit_head();
    struct {
        const char *body;
        long status;
        const char *code, *field;
    } bad[] = {
        {"{\"type\":\"callback\",\"reason\":\"busy\"}", 400, "missing_field", NULL},
        {"{\"type\":\"callback\",\"reason\":\"busy\",\"name\":\"无号码\"}", 400, "missing_field",
         NULL},
        {"{\"type\":\"callback\",\"reason\":\"busy\",\"phone\":\"12345\"}", 422, "invalid_phone",
         "phone"},
        {"{\"type\":\"callback\",\"reason\":\"lunch\",\"phone\":\"13800138000\"}", 400,
         "invalid_field", "reason"},
        {"{\"type\":\"callback\",\"phone\":\"13800138000\"}", 400, "missing_field", "reason"},
        {"{\"type\":\"followup\",\"reason\":\"busy\",\"phone\":\"13800138000\"}", 400,
         "invalid_field", "type"},
        {"{\"reason\":\"busy\",\"phone\":\"13800138000\"}", 400, "missing_field", "type"},
        {"{\"type\":\"callback\",\"reason\":\"busy\",\"phone\":\"13800138000\",\"urgent\":true}",
         400, "invalid_field", "urgent"},
        {keep(fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"customer_id\":%lld}",
                  (long long)s2_customer)),
         404, "not_found", NULL},
        {keep(fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"vehicle_id\":%lld}",
                  (long long)s2_vehicle)),
         404, "not_found", NULL},
        {keep(fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"customer_id\":%lld,"
                  "\"vehicle_id\":%lld}",
                  (long long)other_customer, (long long)own_vehicle)),
         400, "invalid_field", "customer_id"},
        {keep(fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"phone\":\"13800138000\","
                  "\"assignee_id\":%lld}",
                  (long long)user_id(U_ADVISOR2))),
         404, "not_found", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        rejected("POST", "/api/v1/tasks", tok(U_CALLER), bad[i].body, bad[i].status, bad[i].code,
                 bad[i].field);
    static const char *const no[] = {U_PARTS, U_WORKSHOP, U_WARRANTY, U_ADMIN};
    for (size_t i = 0; i < 4; i++)
        rejected("POST", "/api/v1/tasks", tok(no[i]),
                 "{\"type\":\"callback\",\"reason\":\"busy\",\"phone\":\"13800138000\"}", 403,
                 "forbidden", NULL);
    assert_int_equal(audit_head(), head);
}

/* ---- assignment and cancelling ---- */

static void test_patch_assigns_and_cancels(void **state)
{
    (void)state;
    char phone[16];
    make_mobile(phone, uniq());
    json_t *t =
        call("POST", "/api/v1/tasks", tok(U_ADVISOR),
             fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"phone\":\"%s\"}", phone), 201);
    int64_t id = jint(t, "id");
    assert_true(json_is_null(json_object_get(t, "assignee_id")));
    json_decref(t);
    const char *path = keep(fmt("/api/v1/tasks/%lld", (long long)id));
    int64_t caller = user_id(U_CALLER);

    /* To a user of the store. */
    t = call("PATCH", path, tok(U_MANAGER), fmt("{\"assignee_id\":%lld}", (long long)caller), 200);
    assert_int_equal(jint(t, "assignee_id"), caller);
    assert_string_equal(jstr(t, "status"), "open");
    json_decref(t);
    json_t *l = list_as(tok(U_CALLER), "assignee=me&type=callback");
    bool mine = false;
    size_t i;
    json_t *it;
    json_array_foreach(l, i, it)
    {
        assert_int_equal(jint(it, "assignee_id"), caller);
        mine |= jint(it, "id") == id;
    }
    assert_true(mine);
    json_decref(l);
    l = list_as(tok(U_CALLER), "assignee=none&type=callback");
    json_array_foreach(l, i, it) assert_true(jint(it, "id") != id);
    json_decref(l);
    l = list_as(tok(U_MANAGER), fmt("assignee=%lld&type=callback", (long long)caller));
    mine = false;
    json_array_foreach(l, i, it) mine |= jint(it, "id") == id;
    assert_true(mine);
    json_decref(l);
    json_t *e = last_audit("task", id);
    assert_string_equal(jstr(e, "action"), "update");
    assert_int_equal(json_integer_value(json_array_get(
                         json_object_get(json_object_get(e, "changes"), "assignee_id"), 1)),
                     caller);
    json_decref(e);

    /* Not to a user of another store, nor to one who does not exist; nothing changes. */
    char *before = snapshot(path, tok(U_CALLER));
    rejected("PATCH", path, tok(U_MANAGER),
             fmt("{\"assignee_id\":%lld}", (long long)user_id(U_ADVISOR2)), 404, "not_found",
             "assignee_id");
    rejected("PATCH", path, tok(U_MANAGER), "{\"assignee_id\":999999999}", 404, "not_found",
             "assignee_id");
    rejected("PATCH", path, tok(U_MANAGER), "{\"status\":\"done\"}", 400, "invalid_field",
             "status");
    rejected("PATCH", path, tok(U_MANAGER), "{\"priority\":1}", 400, "invalid_field", "priority");
    rejected("PATCH", path, tok(U_PARTS), "{\"status\":\"cancelled\"}", 403, "forbidden", NULL);
    rejected("PATCH", path, tok(U_ADVISOR2), "{\"status\":\"cancelled\"}", 404, "not_found", NULL);
    assert_unchanged(path, tok(U_CALLER), before);

    /* Unassigned again, then cancelled: closed for calls. */
    t = call("PATCH", path, tok(U_CALLER), "{\"assignee_id\":null}", 200);
    assert_true(json_is_null(json_object_get(t, "assignee_id")));
    json_decref(t);
    t = call("PATCH", path, tok(U_CALLER), "{\"status\":\"cancelled\"}", 200);
    assert_string_equal(jstr(t, "status"), "cancelled");
    assert_true(json_is_string(json_object_get(t, "closed_at")));
    json_decref(t);
    rejected("POST", fmt("%s/attempts", path), tok(U_CALLER), "{\"outcome\":\"reached\"}", 409,
             "task_closed", NULL);
    rejected("PATCH", path, tok(U_CALLER), "{\"status\":\"cancelled\"}", 409, "task_closed", NULL);
}

/* ---- the command line ---- */

static void test_cli_generate_is_idempotent_with_the_api(void **state)
{
    (void)state;
    dms_day t = test_today();
    int64_t vid = reachable_car(t - 500, NULL);
    dms_day u = due_of(vid), d = u - 11;
    char out[4096];
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "tasks", "generate", "--date", ds(d),
                             "--store", "S1", NULL),
                     0);
    if (!strstr(out, fmt("S1 %s:", ds(d))) || !strstr(out, "maintenance_call 1 "))
        fail_msg("dms tasks generate printed: %s", out);
    assert_non_null(strstr(out, "messages 0"));
    assert_int_equal(n_tasks(vid, "maintenance_call"), 1);
    /* The API's run of the same day adds nothing, and neither does the command again. */
    json_t *g = generate(d);
    nothing_created(g);
    json_decref(g);
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "tasks", "generate", "--date", ds(d),
                             "--store", "S1", NULL),
                     0);
    if (!strstr(out, "maintenance_call 0 "))
        fail_msg("second run printed: %s", out);
    /* The other way round: the API first, then the command. */
    g = generate(u - 13);
    assert_int_equal(created(g, "maintenance_message"), 1);
    json_decref(g);
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "tasks", "generate", "--date", ds(u - 13),
                             "--store", "S1", NULL),
                     0);
    if (!strstr(out, "maintenance_message 0 ") || !strstr(out, "messages 0"))
        fail_msg("run after the API printed: %s", out);
    assert_int_equal(n_tasks(vid, "maintenance_message"), 1);
    /* Bad input is an error, not a run. */
    assert_true(srv_cli(SRV, NULL, out, sizeof out, "tasks", "generate", "--date", "2024-02-30",
                        "--store", "S1", NULL) != 0);
    assert_true(srv_cli(SRV, NULL, out, sizeof out, "tasks", "generate", "--date", ds(d), "--store",
                        "NOPE", NULL) != 0);
}

/* ---- reports (RPT-2) ---- */

static json_t *type_counts(json_t *report, const char *type)
{
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(report, "types"), i, it)
    {
        if (strcmp(jstr(it, "type"), type) == 0)
            return it;
    }
    fail_msg("report has no %s", type);
    return NULL;
}

static void same_rate(const json_t *c, const char *key, double want)
{
    json_t *v = json_object_get(c, key);
    if (!json_is_number(v) || fabs(json_number_value(v) - want) > 0.00051)
        fail_msg("%s: expected %.4f", key, want);
}

/* The counts of RPT-2 after a known day of calls. */
static void same_counts(const json_t *c, long created_, long done, long reached, long booked,
                        long expired, long open)
{
    assert_int_equal(jint(c, "created"), created_);
    assert_int_equal(jint(c, "done"), done);
    assert_int_equal(jint(c, "reached"), reached);
    assert_int_equal(jint(c, "booked"), booked);
    assert_int_equal(jint(c, "expired"), expired);
    assert_int_equal(jint(c, "open"), open);
    assert_int_equal(jint(c, "cancelled"), 0);
}

static void test_report_calls_by_day_and_month(void **state)
{
    (void)state;
    /* The 15th of the month two years ago: no other test's list falls in that month. */
    dms_day t = test_today();
    int y, m, dd;
    date_to_ymd(t, &y, &m, &dd);
    dms_day d = date_from_ymd(y - 2, m, 15);
    int64_t cars[6];
    for (size_t i = 0; i < 6; i++) {
        cars[i] = reachable_car(d + 11 - 75, NULL);
        assert_int_equal(due_of(cars[i]), d + 11);
    }
    json_t *g = generate(d);
    assert_int_equal(created(g, "maintenance_call"), 6);
    json_decref(g);
    int64_t ids[6];
    for (size_t i = 0; i < 6; i++) {
        json_t *c = one_task(cars[i], "maintenance_call");
        ids[i] = jint(c, "id");
        json_decref(c);
    }
    /* booked, reached, declined, unanswered three times, call back later, undecided. */
    json_decref(outcome(ids[0], "booked"));
    json_decref(outcome(ids[1], "reached"));
    json_decref(outcome(ids[2], "declined"));
    for (int k = 0; k < 3; k++)
        json_decref(outcome(ids[3], "no_answer"));
    json_decref(outcome(ids[4], "call_back_later"));
    json_decref(outcome(ids[5], "undecided"));

    /* The day: 6 created, 4 done, 5 reached, 1 booked, 1 expired, 1 open; reached 5 of 6,
     * booked 1 of the 5 reached. */
    json_t *r = call("GET", fmt("/api/v1/reports/calls?date=%s", ds(d)), tok(U_CALLER), NULL, 200);
    assert_string_equal(jstr(r, "from"), ds(d));
    assert_string_equal(jstr(r, "to"), ds(d));
    json_t *mc = type_counts(r, "maintenance_call");
    same_counts(mc, 6, 4, 5, 1, 1, 1);
    same_rate(mc, "reach_rate", 5.0 / 6.0);
    same_rate(mc, "booking_rate", 0.2);
    same_counts(json_object_get(r, "total"), 6, 4, 5, 1, 1, 1);
    json_t *fu = type_counts(r, "followup");
    same_counts(fu, 0, 0, 0, 0, 0, 0);
    assert_true(json_is_null(json_object_get(fu, "reach_rate")));
    assert_true(json_is_null(json_object_get(fu, "booking_rate")));
    assert_null(json_object_get(r, "days"));
    json_decref(r);
    /* The day before has none of it. */
    r = call("GET", fmt("/api/v1/reports/calls?date=%s", ds(d - 1)), tok(U_MANAGER), NULL, 200);
    assert_int_equal(jint(json_object_get(r, "total"), "created"), 0);
    json_decref(r);

    /* The month, with its daily counts. */
    char month[8];
    snprintf(month, sizeof month, "%.7s", ds(d));
    r = call("GET", fmt("/api/v1/reports/calls?month=%s", month), tok(U_ADMIN), NULL, 200);
    assert_string_equal(jstr(r, "from"), ds(d - 14));
    assert_string_equal(jstr(r, "to"), ds(d - 15 + date_days_in_month(y - 2, m)));
    same_counts(type_counts(r, "maintenance_call"), 6, 4, 5, 1, 1, 1);
    same_counts(json_object_get(r, "total"), 6, 4, 5, 1, 1, 1);
    json_t *days = json_object_get(r, "days");
    assert_int_equal(json_array_size(days), (size_t)date_days_in_month(y - 2, m));
    size_t i;
    json_t *it;
    json_array_foreach(days, i, it)
    {
        assert_string_equal(jstr(it, "date"), ds(d - 14 + (dms_day)i));
        if (i == 14)
            same_counts(it, 6, 4, 5, 1, 1, 1);
        else
            assert_int_equal(jint(it, "created"), 0);
    }
    json_decref(r);
    /* Another store's report has none of it. */
    r = call("GET", fmt("/api/v1/reports/calls?month=%s", month), tok(U_ADMIN2), NULL, 200);
    assert_int_equal(jint(json_object_get(r, "total"), "created"), 0);
    json_decref(r);

    /* The command line prints the same as a table. */
    char out[8192];
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "report", "calls", "--month", month,
                             "--store", "S1", NULL),
                     0);
    const char *line = strstr(out, "\nmaintenance_call");
    if (!line)
        fail_msg("dms report calls printed: %s", out);
    long n[5];
    char reach[16], booking[16];
    assert_int_equal(sscanf(line + 1, "maintenance_call %ld %ld %ld %ld %ld %15s %15s", &n[0],
                            &n[1], &n[2], &n[3], &n[4], reach, booking),
                     7);
    assert_int_equal(n[0], 6);
    assert_int_equal(n[1], 4);
    assert_int_equal(n[2], 5);
    assert_int_equal(n[3], 1);
    assert_int_equal(n[4], 1);
    assert_string_equal(reach, "83.3%");
    assert_string_equal(booking, "20.0%");
    assert_non_null(strstr(out, "\ntotal"));
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "report", "calls", "--date", ds(d),
                             "--store", "S1", NULL),
                     0);
    assert_non_null(strstr(out, "\nmaintenance_call"));
    assert_true(srv_cli(SRV, NULL, out, sizeof out, "report", "calls", "--month", "2024-13",
                        "--store", "S1", NULL) != 0);

    /* Rights and input. */
    rejected("GET", fmt("/api/v1/reports/calls?date=%s", ds(d)), tok(U_ADVISOR), NULL, 403,
             "forbidden", NULL);
    rejected("GET", fmt("/api/v1/reports/calls?date=%s", ds(d)), tok(U_PARTS), NULL, 403,
             "forbidden", NULL);
    json_decref(
        call("GET", fmt("/api/v1/reports/calls?date=%s", ds(d)), tok(U_MANAGER), NULL, 200));
    struct resp bad = http("GET", fmt("/api/v1/reports/calls?date=%s&month=%s", ds(d), month),
                           tok(U_CALLER), NULL);
    assert_int_equal(bad.status, 400);
    resp_free(&bad);
    bad = http("GET", "/api/v1/reports/calls", tok(U_CALLER), NULL);
    assert_int_equal(bad.status, 400);
    resp_free(&bad);
    static const char *const months[] = {"2024-13", "2024-1",     "2024-00",
                                         "24-01",   "2024-01-01", "abcdefg"};
    for (size_t k = 0; k < sizeof months / sizeof months[0]; k++) {
        bad = http("GET", fmt("/api/v1/reports/calls?month=%s", months[k]), tok(U_CALLER), NULL);
        if (bad.status < 400 || bad.status > 499)
            fail_msg("month=%s answered %ld: %s", months[k], bad.status, bad.body);
        resp_free(&bad);
    }
    rejected("GET", "/api/v1/reports/calls?date=2024-02-30", tok(U_CALLER), NULL, 422,
             "invalid_date", "date");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_message_on_day_13_call_on_day_11),
        cmocka_unit_test(test_generate_call_needs_a_phone_number),
        cmocka_unit_test(test_generate_rights_and_bad_input),
        cmocka_unit_test(test_generate_followup_three_days_after_a_repair),
        cmocka_unit_test(test_generate_insurance_and_inspection_30_days_ahead),
        cmocka_unit_test(test_generate_expires_open_tasks_past_their_deadline),
        cmocka_unit_test(test_generate_follows_the_store_settings),
        cmocka_unit_test(test_generate_month_start_first_maintenance_and_lost_customers),
        cmocka_unit_test(test_list_order_filters_and_what_the_call_needs),
        cmocka_unit_test(test_list_pages_without_gaps),
        cmocka_unit_test(test_attempts_unanswered_three_times_expire),
        cmocka_unit_test(test_attempts_call_back_later_stays_open),
        cmocka_unit_test(test_attempts_undecided_gets_a_second_call_before_the_parts_lead_time),
        cmocka_unit_test(test_attempts_declined_gets_no_second_call),
        cmocka_unit_test(test_attempts_mileage_moves_the_due_date),
        cmocka_unit_test(test_attempts_mileage_error_names_the_request_field),
        cmocka_unit_test(test_attempts_special_needs_go_onto_the_profile),
        cmocka_unit_test(test_attempts_reject_bad_input),
        cmocka_unit_test(test_attempts_are_audited),
        cmocka_unit_test(test_callbacks_deadline_in_minutes),
        cmocka_unit_test(test_callbacks_reject_bad_input),
        cmocka_unit_test(test_patch_assigns_and_cancels),
        cmocka_unit_test(test_cli_generate_is_idempotent_with_the_api),
        cmocka_unit_test(test_report_calls_by_day_and_month),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
