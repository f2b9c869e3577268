/* Complaints and enquiries (CS-6, IN-20) and the follow-up call that measures (CS-1) against
 * the real server, on both backends: taking a complaint with its deadlines from the store's
 * settings, the refusals (each changes nothing), the log of actions with the re-repair's
 * booking, the life cycle with closing only after asking the customer, reopening, the overdue
 * list at its boundary on the settable clock, the escalation to the service manager (task and
 * e-mail) once under two concurrent worker passes, a serious complaint escalated when taken,
 * the customer's open complaints, other stores, the audit; and a follow-up marked 不满意
 * opening one complaint, also when retried or raced.
 *
 * Every test runs in a store of its own with its clock at a fixed store-local time on day D
 * (tomorrow), so nothing depends on the time of day. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "booking_fixtures.h"
#include "core/date.h"
#include "harness.h"

#define CPL "/api/v1/complaints"

static int32_t D;
static const char *dd(int days)
{
    return ds(D + days);
}
static const char *at(int days, const char *hhmm)
{
    return keep(fmt("%sT%s", dd(days), hhmm));
}

static void setup_store(struct workshop *w)
{
    D = test_today() + 1;
    workshop_new(w, 1, 1);
    open_all_day(w->m);
    clock_local(at(0, "09:00"));
}

static int64_t my_id(const char *token)
{
    json_t *me = call("GET", "/api/v1/me", token, NULL, 200);
    int64_t id = jint(json_object_get(me, "user"), "id");
    json_decref(me);
    return id;
}

/* A car whose owner agreed to phone calls (the follow-up call is made only then). */
static int64_t reachable_car(const char *token)
{
    char phone[16];
    make_mobile(phone, uniq());
    json_t *j = call("POST", "/api/v1/customers", token,
                     fmt("{\"name\":\"李四\",\"title\":\"女士\",\"phone\":\"%s\",\"consent\":"
                         "{\"sms\":true,\"email\":false,\"phone\":true}}",
                         phone),
                     201);
    int64_t cust = jint(j, "id");
    json_decref(j);
    return new_vehicle(token, cust);
}

/* The newest audit row of complaint id, as read by token (its store's manager). */
static json_t *audit_of(const char *token, int64_t id)
{
    json_t *j =
        call("GET", fmt("/api/v1/audit?entity=complaint&entity_id=%lld&limit=1", (long long)id),
             token, NULL, 200);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *e = json_incref(json_array_get(items, 0));
    json_decref(j);
    return e;
}

static int64_t customer_of(const char *token, int64_t vehicle)
{
    json_t *v = call("GET", fmt("/api/v1/vehicles/%lld", (long long)vehicle), token, NULL, 200);
    int64_t c = jint(v, "customer_id");
    json_decref(v);
    return c;
}

static const char *cpl_path(int64_t id, const char *tail)
{
    return keep(fmt(CPL "/%lld%s", (long long)id, tail ? tail : ""));
}

static json_t *take(const char *token, int64_t customer, const char *extra, long status)
{
    return call("POST", CPL, token,
                fmt("{\"customer_id\":%lld,\"channel\":\"phone\",\"kind\":\"complaint\","
                    "\"category\":\"workmanship\",\"text\":\"保养后异响还在\"%s}",
                    (long long)customer, extra ? extra : ""),
                status);
}

static int64_t take_id(const char *token, int64_t customer, const char *extra)
{
    json_t *c = take(token, customer, extra, 201);
    int64_t id = jint(c, "id");
    json_decref(c);
    return id;
}

static void move(const char *token, int64_t id, const char *body, const char *want)
{
    json_t *c = call("POST", cpl_path(id, "/status"), token, body, 200);
    assert_string_equal(jstr(c, "status"), want);
    json_decref(c);
}

/* Two `dms complaints escalate` passes started at once (as two dms serve workers would run
 * theirs), waited for. */
static void two_passes(void)
{
    char clock_env[640];
    snprintf(clock_env, sizeof clock_env, "DMS_TEST_CLOCK_FILE=%s/clock", SRV->dir);
    const char *bin = getenv("DMS_BIN") ? getenv("DMS_BIN") : "./dms";
    pid_t pid[2];
    for (int i = 0; i < 2; i++) {
        pid[i] = fork();
        assert_true(pid[i] >= 0);
        if (pid[i] == 0) {
            putenv(clock_env);
            FILE *null = freopen("/dev/null", "w", stdout);
            (void)null;
            execl(bin, bin, "--db", SRV->db_url, "complaints", "escalate", (char *)NULL);
            _exit(127);
        }
    }
    for (int i = 0; i < 2; i++) {
        int st = 0;
        while (waitpid(pid[i], &st, 0) < 0 && errno == EINTR)
            ;
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
    }
}

static size_t count_of(const char *path, const char *token)
{
    json_t *all = fetch_pages(path, token, 0, NULL);
    size_t n = json_array_size(all);
    json_decref(all);
    return n;
}

/* CS-6: a complaint taken on the phone, its number and deadlines from the store's settings
 * (UTC), its audit row, and the customer's card shows it (IN-20). */
static void test_complaint_create_with_deadlines(void **state)
{
    (void)state;
    struct workshop w;
    setup_store(&w);
    const char *caller = store_user(&w.st, "caller");
    set_settings(w.m, "{\"complaint_ack_hours\":4,\"complaint_resolve_days\":3}");
    const char *plate;
    int64_t v = car_new(w.m, &plate);
    int64_t cust = customer_of(w.m, v);
    json_t *c =
        take(caller, cust, fmt(",\"vehicle_id\":%lld,\"severity\":\"low\"", (long long)v), 201);
    int64_t id = jint(c, "id");
    assert_string_equal(jstr(c, "status"), "open");
    /* 09:00 in Shanghai is 01:00 UTC. */
    assert_string_equal(jstr(c, "received_at"), fmt("%sT01:00:00Z", dd(0)));
    assert_string_equal(jstr(c, "ack_due_at"), fmt("%sT05:00:00Z", dd(0)));
    assert_string_equal(jstr(c, "resolve_due_at"), fmt("%sT01:00:00Z", dd(3)));
    int y, mo, d;
    date_to_ymd(D, &y, &mo, &d);
    assert_string_equal(jstr(c, "number"), fmt("C%02d%02d%02d0001", y % 100, mo, d));
    assert_string_equal(jstr(c, "severity"), "low");
    assert_string_equal(jstr(c, "plate"), plate);
    assert_int_equal(jint(c, "owner_id"), my_id(caller));
    assert_false(json_is_true(json_object_get(c, "overdue")));
    json_decref(c);
    /* The second of the day. */
    c = take(caller, cust, NULL, 201);
    assert_string_equal(jstr(c, "number"), fmt("C%02d%02d%02d0002", y % 100, mo, d));
    assert_string_equal(jstr(c, "severity"), "normal");
    json_decref(c);
    json_t *log = audit_of(w.m, id);
    assert_string_equal(jstr(log, "action"), "create");
    json_decref(log);
    /* IN-20: the customer's card lists both, with state and deadlines. */
    json_t *card = call("GET", fmt("/api/v1/customers/%lld", (long long)cust), w.m, NULL, 200);
    json_t *open = json_object_get(card, "open_complaints");
    assert_int_equal(json_array_size(open), 2);
    json_t *mine = item_with_id(open, id);
    assert_non_null(mine);
    assert_string_equal(jstr(mine, "status"), "open");
    assert_string_equal(jstr(mine, "resolve_due_at"), fmt("%sT01:00:00Z", dd(3)));
    json_decref(card);
    /* The workshop does not take complaints. */
    const char *shop = store_user(&w.st, "workshop");
    rejected("POST", CPL, shop,
             fmt("{\"customer_id\":%lld,\"channel\":\"phone\",\"kind\":\"enquiry\","
                 "\"category\":\"price\",\"text\":\"x\"}",
                 (long long)cust),
             403, "forbidden", NULL);
    srv_clock_set(SRV, 0);
}

/* CS-6: refusals with a clear 4xx that change nothing. */
static void test_complaint_refusals(void **state)
{
    (void)state;
    struct workshop w;
    setup_store(&w);
    const char *adv = store_user(&w.st, "advisor");
    int64_t v = car(w.m), other_v = car(w.m);
    int64_t cust = customer_of(w.m, v);
    int64_t order = 0;
    {
        json_t *o = call("POST", ORDERS, adv,
                         fmt("{\"vehicle_id\":%lld,\"mileage_km\":5000,\"ops\":[\"%s\"]}",
                             (long long)other_v, w.op),
                         201);
        order = jint(o, "id");
        json_decref(o);
    }
    /* Store S1's customer and car (another store). */
    int64_t s1_car = car(tok(U_ADVISOR));
    int64_t s1_cust = customer_of(tok(U_ADVISOR), s1_car);
    int64_t head = audit_head_of(w.m);
    const char *base = "\"channel\":\"phone\",\"kind\":\"complaint\",\"category\":\"price\","
                       "\"text\":\"太贵\"";
    struct {
        const char *body;
        long status;
        const char *code, *field;
    } bad[] = {
        {keep(fmt("{\"customer_id\":%lld,\"channel\":\"fax\",\"kind\":\"complaint\","
                  "\"category\":\"price\",\"text\":\"x\"}",
                  (long long)cust)),
         400, "invalid_field", "channel"},
        {keep(fmt("{\"customer_id\":%lld,\"channel\":\"phone\",\"kind\":\"praise\","
                  "\"category\":\"price\",\"text\":\"x\"}",
                  (long long)cust)),
         400, "invalid_field", "kind"},
        {keep(fmt("{\"customer_id\":%lld,\"channel\":\"phone\",\"kind\":\"complaint\","
                  "\"category\":\"weather\",\"text\":\"x\"}",
                  (long long)cust)),
         400, "invalid_field", "category"},
        {keep(fmt("{\"customer_id\":%lld,%s,\"severity\":\"extreme\"}", (long long)cust, base)),
         400, "invalid_field", "severity"},
        {keep(fmt("{\"customer_id\":%lld,\"channel\":\"phone\",\"kind\":\"complaint\","
                  "\"category\":\"price\"}",
                  (long long)cust)),
         400, "missing_field", "text"},
        {keep(fmt("{\"customer_id\":%lld,%s,\"colour\":1}", (long long)cust, base)), 400,
         "invalid_field", "colour"},
        {keep(fmt("{\"customer_id\":\"%lld\",%s}", (long long)cust, base)), 400, "invalid_field",
         "customer_id"},
        {"{\"customer_id\":", 400, "invalid_json", NULL},
        {"[1,2]", 400, "invalid_json", NULL},
        /* ids beyond 32 bits, of no record */
        {keep(fmt("{\"customer_id\":4294967297,%s}", base)), 404, "not_found", "customer_id"},
        {keep(fmt("{\"customer_id\":%lld,\"vehicle_id\":4294967297,%s}", (long long)cust, base)),
         404, "not_found", "vehicle_id"},
        {keep(fmt("{\"customer_id\":%lld,\"repair_order_id\":9223372036854775807,%s}",
                  (long long)cust, base)),
         404, "not_found", "repair_order_id"},
        {keep(fmt("{\"customer_id\":%lld,\"vehicle_id\":99999999999999999999,%s}", (long long)cust,
                  base)),
         400, NULL, NULL},
        /* another store's customer and car */
        {keep(fmt("{\"customer_id\":%lld,%s}", (long long)s1_cust, base)), 404, "not_found",
         "customer_id"},
        {keep(fmt("{\"customer_id\":%lld,\"vehicle_id\":%lld,%s}", (long long)cust,
                  (long long)s1_car, base)),
         404, "not_found", "vehicle_id"},
        /* a car of another customer; an order of another car */
        {keep(fmt("{\"customer_id\":%lld,\"vehicle_id\":%lld,%s}", (long long)cust,
                  (long long)other_v, base)),
         400, "invalid_field", "vehicle_id"},
        {keep(fmt("{\"customer_id\":%lld,\"vehicle_id\":%lld,\"repair_order_id\":%lld,%s}",
                  (long long)cust, (long long)v, (long long)order, base)),
         400, "invalid_field", "repair_order_id"},
        {keep(fmt("{\"customer_id\":%lld,\"repair_order_id\":%lld,%s}", (long long)cust,
                  (long long)order, base)),
         400, "invalid_field", "repair_order_id"},
        {keep(fmt("{\"customer_id\":%lld,\"owner_id\":4294967297,%s}", (long long)cust, base)), 404,
         "not_found", "owner_id"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct resp r = http("POST", CPL, adv, bad[i].body);
        if (r.status != bad[i].status)
            fail_msg("case %zu: HTTP %ld, wanted %ld: %s", i, r.status, bad[i].status, r.body);
        if (bad[i].code)
            expect_error(&r, bad[i].status, bad[i].code, bad[i].field);
        resp_free(&r);
    }
    assert_int_equal(audit_head_of(w.m), head);
    assert_int_equal(count_of(CPL, w.m), 0);
    /* Query refusals. */
    rejected("GET", CPL "?status=lost", w.m, NULL, 400, "invalid_field", "status");
    rejected("GET", CPL "?overdue=maybe", w.m, NULL, 400, "invalid_field", "overdue");
    rejected("GET", CPL "?customer_id=abc", w.m, NULL, 400, "invalid_field", "customer_id");
    rejected("GET", CPL "/4294967297", w.m, NULL, 404, "not_found", NULL);
    /* The order's car is taken when only the order is given. */
    int64_t other_cust = customer_of(w.m, other_v);
    json_t *c = take(adv, other_cust, fmt(",\"repair_order_id\":%lld", (long long)order), 201);
    assert_int_equal(jint(c, "vehicle_id"), other_v);
    assert_int_equal(jint(c, "repair_order_id"), order);
    json_decref(c);
    srv_clock_set(SRV, 0);
}

/* CS-6: the log of actions (the re-repair with its booking, goodwill in fen), the life cycle
 * with its refusals (409), closing only after asking the customer, by the owner or a service
 * manager, its tasks cancelled; reopening with a new deadline. */
static void test_complaint_actions_and_status(void **state)
{
    (void)state;
    struct workshop w;
    setup_store(&w);
    const char *caller = store_user(&w.st, "caller");
    const char *adv = store_user(&w.st, "advisor");
    set_settings(w.m, "{\"complaint_resolve_days\":2}");
    int64_t v = car(w.m), v2 = car(w.m);
    int64_t cust = customer_of(w.m, v);
    int64_t id = take_id(caller, cust, fmt(",\"vehicle_id\":%lld", (long long)v));
    int64_t appt = book_confirmed(adv, v, w.op, at(1, "10:00"), NULL);
    int64_t other_appt = book_confirmed(adv, v2, w.op, at(1, "14:00"), NULL);
    const char *acts = cpl_path(id, "/actions");
    json_decref(
        call("POST", acts, caller, "{\"type\":\"call_back\",\"note\":\"已回电致歉\"}", 201));
    json_t *c =
        call("POST", acts, adv,
             fmt("{\"type\":\"re_repair_booked\",\"appointment_id\":%lld,\"note\":\"返修\"}",
                 (long long)appt),
             201);
    json_decref(c);
    c = call("POST", acts, w.m,
             "{\"type\":\"goodwill\",\"amount_fen\":20000,\"note\":\"免工时费\"}", 201);
    json_t *log = json_object_get(c, "actions");
    assert_int_equal(json_array_size(log), 3);
    assert_string_equal(jstr(json_array_get(log, 0), "type"), "call_back");
    assert_int_equal(jint(json_array_get(log, 1), "appointment_id"), appt);
    assert_int_equal(jint(json_array_get(log, 2), "amount_fen"), 20000);
    json_decref(c);
    char *before = snapshot(cpl_path(id, NULL), w.m);
    rejected("POST", acts, adv,
             fmt("{\"type\":\"re_repair_booked\",\"appointment_id\":%lld}", (long long)other_appt),
             400, "invalid_field", "appointment_id");
    rejected("POST", acts, adv, "{\"type\":\"re_repair_booked\"}", 400, "missing_field",
             "appointment_id");
    rejected("POST", acts, adv, "{\"type\":\"re_repair_booked\",\"appointment_id\":4294967297}",
             404, "not_found", "appointment_id");
    rejected("POST", acts, adv, "{\"type\":\"goodwill\"}", 400, "missing_field", "amount_fen");
    rejected("POST", acts, adv, "{\"type\":\"goodwill\",\"amount_fen\":-5}", 400, "invalid_field",
             "amount_fen");
    rejected("POST", acts, adv, "{\"type\":\"note\"}", 400, "missing_field", "note");
    rejected("POST", acts, adv, "{\"type\":\"status\",\"note\":\"x\"}", 400, "invalid_field",
             "type");
    rejected("POST", acts, adv, "{\"type\":\"note\",\"note\":\"x\",\"amount_fen\":5}", 400,
             "invalid_field", "amount_fen");
    rejected("POST", acts, adv, "not json", 400, "invalid_json", NULL);
    /* The life cycle: no skipping. */
    const char *st = cpl_path(id, "/status");
    rejected("POST", st, w.m, "{\"status\":\"resolved\",\"resolution\":\"x\"}", 409,
             "invalid_transition", NULL);
    rejected("POST", st, w.m, "{\"status\":\"closed\",\"customer_satisfied\":true}", 409,
             "invalid_transition", NULL);
    rejected("POST", st, w.m, "{\"status\":\"open\"}", 400, "invalid_field", "status");
    rejected("POST", st, w.m, "{\"status\":\"done\"}", 400, "invalid_field", "status");
    assert_unchanged(cpl_path(id, NULL), w.m, before);
    move(caller, id, "{\"status\":\"acknowledged\"}", "acknowledged");
    rejected("POST", st, caller, "{\"status\":\"acknowledged\"}", 409, "invalid_transition", NULL);
    move(adv, id, "{\"status\":\"in_progress\"}", "in_progress");
    rejected("POST", st, adv, "{\"status\":\"resolved\"}", 400, "missing_field", "resolution");
    move(adv, id, "{\"status\":\"resolved\",\"resolution\":\"更换减震器，试车无异响\"}",
         "resolved");
    /* Closing asks whether the customer is satisfied, and is the owner's or a manager's. */
    rejected("POST", st, caller, "{\"status\":\"closed\"}", 400, "missing_field",
             "customer_satisfied");
    rejected("POST", st, caller, "{\"status\":\"closed\",\"customer_satisfied\":\"yes\"}", 400,
             "invalid_field", "customer_satisfied");
    rejected("POST", st, adv, "{\"status\":\"closed\",\"customer_satisfied\":true}", 403,
             "forbidden", NULL);
    json_t *closed =
        call("POST", st, caller,
             "{\"status\":\"closed\",\"customer_satisfied\":false,\"note\":\"仍觉得慢\"}", 200);
    assert_string_equal(jstr(closed, "status"), "closed");
    assert_true(json_is_false(json_object_get(closed, "customer_satisfied")));
    assert_non_null(jstr(closed, "closed_at"));
    json_decref(closed);
    json_t *a = audit_of(w.m, id);
    assert_string_equal(jstr(a, "action"), "status");
    json_decref(a);
    rejected("POST", acts, caller, "{\"type\":\"note\",\"note\":\"x\"}", 409, "invalid_transition",
             NULL);
    /* Not on the card any more (IN-20). */
    json_t *card = call("GET", fmt("/api/v1/customers/%lld", (long long)cust), w.m, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(card, "open_complaints")), 0);
    json_decref(card);
    /* Reopened two days later by the manager: a new resolve deadline, round 2. */
    clock_local(at(2, "10:00"));
    rejected("POST", st, adv, "{\"status\":\"reopened\"}", 403, "forbidden", NULL);
    json_t *re = call("POST", st, w.m, "{\"status\":\"reopened\",\"note\":\"客户又来电\"}", 200);
    assert_string_equal(jstr(re, "status"), "reopened");
    assert_int_equal(jint(re, "round"), 2);
    assert_string_equal(jstr(re, "resolve_due_at"), fmt("%sT02:00:00Z", dd(4)));
    assert_true(json_is_null(json_object_get(re, "customer_satisfied")));
    assert_true(json_is_null(json_object_get(re, "closed_at")));
    json_decref(re);
    card = call("GET", fmt("/api/v1/customers/%lld", (long long)cust), w.m, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(card, "open_complaints")), 1);
    json_decref(card);
    move(adv, id, "{\"status\":\"in_progress\"}", "in_progress");
    /* An enquiry answered at once: acknowledged -> resolved -> closed, satisfied. */
    json_t *eq = call("POST", CPL, caller,
                      fmt("{\"customer_id\":%lld,\"channel\":\"walk_in\",\"kind\":\"enquiry\","
                          "\"category\":\"price\",\"text\":\"为什么收检测费\"}",
                          (long long)cust),
                      201);
    int64_t q = jint(eq, "id");
    assert_string_equal(jstr(eq, "kind"), "enquiry");
    json_decref(eq);
    move(caller, q, "{\"status\":\"acknowledged\"}", "acknowledged");
    move(caller, q, "{\"status\":\"resolved\",\"resolution\":\"已解释收费\"}", "resolved");
    move(caller, q, "{\"status\":\"closed\",\"customer_satisfied\":true}", "closed");
    json_t *list = fetch_pages(CPL "?status=closed", w.m, 0, NULL);
    assert_int_equal(json_array_size(list), 1);
    assert_true(json_is_true(json_object_get(json_array_get(list, 0), "customer_satisfied")));
    json_decref(list);
    srv_clock_set(SRV, 0);
}

/* CS-6: late at the minute after the deadline (not at it), listed by ?overdue=true, and
 * escalated to the service manager — a task and an e-mail — once per complaint and cause,
 * though two worker passes run at once; closing cancels its tasks. */
static void test_complaint_overdue_escalates_once(void **state)
{
    (void)state;
    struct workshop w;
    setup_store(&w);
    const char *caller = store_user(&w.st, "caller");
    int64_t mgr = my_id(w.m);
    set_settings(w.m, "{\"complaint_ack_hours\":2,\"complaint_resolve_days\":1,"
                      "\"escalation_emails\":[\"boss@example.com\",\"brand@example.com\"]}");
    int64_t cust = customer_of(w.m, car(w.m));
    int64_t ids[4];
    for (int i = 0; i < 4; i++)
        ids[i] = take_id(caller, cust, NULL);
    /* At the deadline (11:00): not late; no escalation. */
    clock_local(at(0, "11:00"));
    assert_int_equal(count_of(CPL "?overdue=true", w.m), 0);
    two_passes();
    assert_int_equal(count_of("/api/v1/tasks?type=complaint", w.m), 0);
    /* A minute later: all four late to acknowledge; one acknowledged now is not. */
    clock_local(at(0, "11:01"));
    move(caller, ids[3], "{\"status\":\"acknowledged\"}", "acknowledged");
    json_t *late = fetch_pages(CPL "?overdue=true", w.m, 0, NULL);
    assert_int_equal(json_array_size(late), 3);
    assert_true(json_is_true(json_object_get(json_array_get(late, 0), "ack_overdue")));
    json_decref(late);
    assert_int_equal(count_of(CPL "?overdue=true&status=acknowledged", w.m), 0);
    two_passes();
    two_passes();
    json_t *tasks = fetch_pages("/api/v1/tasks?type=complaint", w.m, 0, NULL);
    assert_int_equal(json_array_size(tasks), 3);
    size_t i;
    json_t *t;
    json_array_foreach(tasks, i, t)
    {
        assert_int_equal(jint(t, "assignee_id"), mgr);
        assert_string_equal(jstr(t, "status"), "open");
    }
    json_decref(tasks);
    assert_int_equal(count_of("/api/v1/messages?kind=complaint_escalation", w.m), 3 * 2);
    json_t *one = call("GET", cpl_path(ids[0], NULL), w.m, NULL, 200);
    assert_int_equal(jint(one, "escalations"), 1);
    json_decref(one);
    json_t *a = audit_of(w.m, ids[0]);
    assert_string_equal(jstr(a, "action"), "escalate");
    json_decref(a);
    /* The next day all four are late to resolve: one more escalation each (the cause is new),
     * still once under two passes. */
    clock_local(at(1, "09:01"));
    assert_int_equal(count_of(CPL "?overdue=true", w.m), 4);
    two_passes();
    assert_int_equal(count_of("/api/v1/tasks?type=complaint", w.m), 3 + 4);
    assert_int_equal(count_of("/api/v1/messages?kind=complaint_escalation", w.m), 7 * 2);
    /* Resolved and closed: no longer late, its open tasks cancelled. */
    move(caller, ids[0], "{\"status\":\"acknowledged\"}", "acknowledged");
    move(caller, ids[0], "{\"status\":\"resolved\",\"resolution\":\"已处理\"}", "resolved");
    assert_int_equal(count_of(CPL "?overdue=true", w.m), 3);
    move(caller, ids[0], "{\"status\":\"closed\",\"customer_satisfied\":true}", "closed");
    assert_int_equal(count_of("/api/v1/tasks?type=complaint&status=cancelled", w.m), 2);
    assert_int_equal(count_of("/api/v1/tasks?type=complaint&status=open", w.m), 5);
    srv_clock_set(SRV, 0);
}

/* CS-6: a serious complaint (high, critical) goes to the service manager when taken. */
static void test_complaint_serious_escalates_at_once(void **state)
{
    (void)state;
    struct workshop w;
    setup_store(&w);
    const char *adv = store_user(&w.st, "advisor");
    int64_t mgr = my_id(w.m);
    set_settings(w.m, "{\"escalation_emails\":[\"boss@example.com\"]}");
    int64_t cust = customer_of(w.m, car(w.m));
    json_t *c = take(adv, cust, ",\"severity\":\"critical\"", 201);
    int64_t id = jint(c, "id");
    assert_int_equal(jint(c, "escalations"), 1);
    json_decref(c);
    json_t *tasks = fetch_pages("/api/v1/tasks?type=complaint", w.m, 0, NULL);
    assert_int_equal(json_array_size(tasks), 1);
    assert_int_equal(jint(json_array_get(tasks, 0), "assignee_id"), mgr);
    assert_int_equal(jint(json_array_get(tasks, 0), "customer_id"), cust);
    json_decref(tasks);
    json_t *msgs = fetch_pages("/api/v1/messages?kind=complaint_escalation", w.m, 0, NULL);
    assert_int_equal(json_array_size(msgs), 1);
    /* (the recipient is masked in the list: PIPL) */
    assert_string_equal(jstr(json_array_get(msgs, 0), "channel"), "email");
    json_decref(msgs);
    /* The pass later does not escalate it again for the same cause. */
    two_passes();
    assert_int_equal(count_of("/api/v1/tasks?type=complaint", w.m), 1);
    /* A normal one does not escalate when taken. */
    json_decref(take(adv, cust, ",\"severity\":\"normal\"", 201));
    assert_int_equal(count_of("/api/v1/tasks?type=complaint", w.m), 1);
    (void)id;
    srv_clock_set(SRV, 0);
}

/* No request of one store reaches another's complaints; names masked for roles that do not
 * call customers is the customers' rule (the workshop has no access at all). */
static void test_complaint_store_isolation(void **state)
{
    (void)state;
    struct workshop w;
    setup_store(&w);
    int64_t cust = customer_of(w.m, car(w.m));
    int64_t id = take_id(w.m, cust, NULL);
    const char *other = tok(U_ADVISOR2);
    rejected("GET", cpl_path(id, NULL), other, NULL, 404, "not_found", NULL);
    rejected("POST", cpl_path(id, "/status"), other, "{\"status\":\"acknowledged\"}", 404,
             "not_found", NULL);
    rejected("POST", cpl_path(id, "/actions"), other, "{\"type\":\"note\",\"note\":\"x\"}", 404,
             "not_found", NULL);
    json_t *list = fetch_pages(CPL, other, 0, NULL);
    assert_null(item_with_id(list, id));
    json_decref(list);
    rejected("GET", fmt(CPL "?customer_id=%lld", (long long)cust), tok(U_WORKSHOP), NULL, 403,
             "forbidden", NULL);
    json_t *c = call("GET", cpl_path(id, NULL), w.m, NULL, 200);
    assert_string_equal(jstr(c, "status"), "open");
    json_decref(c);
    srv_clock_set(SRV, 0);
}

/* PIPL: erasing the customer erases what they said in their complaints and the notes of the
 * handling, keeps the complaints' figures; an erased customer takes no new complaint. */
static void test_complaint_erased_customer(void **state)
{
    (void)state;
    struct workshop w;
    setup_store(&w);
    int64_t cust = customer_of(w.m, car(w.m));
    int64_t id = take_id(w.m, cust, NULL);
    json_decref(call("POST", cpl_path(id, "/actions"), w.m,
                     "{\"type\":\"call_back\",\"note\":\"王先生说下周再来\"}", 201));
    json_decref(call("POST", fmt("/api/v1/customers/%lld/erase", (long long)cust), w.m,
                     "{\"reason\":\"客户要求删除\"}", 200));
    json_t *c = call("GET", cpl_path(id, NULL), w.m, NULL, 200);
    assert_string_equal(jstr(c, "text"), "[erased]");
    assert_string_equal(jstr(c, "category"), "workmanship");
    assert_true(
        json_is_null(json_object_get(json_array_get(json_object_get(c, "actions"), 0), "note")));
    json_decref(c);
    rejected("POST", CPL, w.m,
             fmt("{\"customer_id\":%lld,\"channel\":\"phone\",\"kind\":\"complaint\","
                 "\"category\":\"price\",\"text\":\"x\"}",
                 (long long)cust),
             409, "customer_erased", "customer_id");
    srv_clock_set(SRV, 0);
}

/* ---- CS-1: the follow-up call that measures ---- */

struct racer {
    const char *path, *token, *body;
    pthread_barrier_t *start;
    struct http_answer r;
};

static void *race_run(void *arg)
{
    struct racer *c = arg;
    CURL *h = curl_easy_init();
    pthread_barrier_wait(c->start);
    if (h) {
        c->r = http_call_on(h, SRV->base, "POST", c->path, c->token, c->body);
        curl_easy_cleanup(h);
    }
    return NULL;
}

/* A delivered walk-in order of car v (today); returns its id. */
static int64_t delivered_order(struct workshop *w, const char *adv, int64_t v)
{
    json_t *o =
        call("POST", ORDERS, adv,
             fmt("{\"vehicle_id\":%lld,\"mileage_km\":5000,\"ops\":[\"%s\"]}", (long long)v, w->op),
             201);
    int64_t order = jint(o, "id");
    json_decref(o);
    order_deliver(w->m, order);
    return order;
}

/* Day 3's lists generated: the follow-up calls of the orders delivered on day 0. */
static void generate_day3(struct workshop *w)
{
    clock_local(at(3, "08:00"));
    json_decref(call("POST", "/api/v1/tasks/generate", w->m, fmt("{\"date\":\"%s\"}", dd(3)), 200));
}

static int64_t followup_task(struct workshop *w, int64_t v)
{
    json_t *tasks = call("GET", fmt("/api/v1/tasks?type=followup&vehicle_id=%lld", (long long)v),
                         w->m, NULL, 200);
    json_t *items = json_object_get(tasks, "items");
    assert_int_equal(json_array_size(items), 1);
    int64_t id = jint(json_array_get(items, 0), "id");
    json_decref(tasks);
    return id;
}

/* CS-1: satisfaction and the store's questions on a reached follow-up; 不满意 opens one
 * complaint linked to the order, owned by the service manager, with the call's notes, once
 * (a retry is refused, the complaint not doubled). */
static void test_followup_dissatisfied_opens_complaint(void **state)
{
    (void)state;
    struct workshop w;
    setup_store(&w);
    const char *adv = store_user(&w.st, "advisor");
    const char *caller = store_user(&w.st, "caller");
    int64_t mgr = my_id(w.m);
    int64_t v = reachable_car(w.m);
    int64_t cust = customer_of(w.m, v);
    int64_t order = delivered_order(&w, adv, v);
    generate_day3(&w);
    int64_t task = followup_task(&w, v);
    const char *path = keep(fmt("/api/v1/tasks/%lld/attempts", (long long)task));
    /* Refusals: satisfaction on an unreached call, an unknown value, an unknown question,
     * a category without 不满意. */
    rejected("POST", path, caller, "{\"outcome\":\"no_answer\",\"satisfaction\":\"satisfied\"}",
             400, "invalid_field", "satisfaction");
    rejected("POST", path, caller, "{\"outcome\":\"reached\",\"satisfaction\":\"angry\"}", 400,
             "invalid_field", "satisfaction");
    rejected("POST", path, caller,
             "{\"outcome\":\"reached\",\"satisfaction\":\"neutral\",\"answers\":[{\"question\":"
             "\"天气好吗\",\"answer\":true}]}",
             400, "invalid_field", "answers");
    rejected(
        "POST", path, caller,
        "{\"outcome\":\"reached\",\"answers\":[{\"question\":\"一次修好\",\"answer\":\"yes\"}]}",
        400, "invalid_field", "answers");
    rejected("POST", path, caller,
             "{\"outcome\":\"reached\",\"satisfaction\":\"neutral\",\"complaint_category\":"
             "\"price\"}",
             400, "invalid_field", "complaint_category");
    /* Another task type: a call-back. */
    json_t *cb = call(
        "POST", "/api/v1/tasks", caller,
        fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"customer_id\":%lld}", (long long)cust),
        201);
    rejected("POST", keep(fmt("/api/v1/tasks/%lld/attempts", (long long)jint(cb, "id"))), caller,
             "{\"outcome\":\"reached\",\"satisfaction\":\"dissatisfied\"}", 400, "invalid_field",
             "satisfaction");
    json_decref(cb);
    assert_int_equal(count_of(fmt(CPL "?customer_id=%lld", (long long)cust), w.m), 0);
    /* 不满意, with the answers: one complaint. */
    const char *body =
        "{\"outcome\":\"reached\",\"satisfaction\":\"dissatisfied\",\"notes\":"
        "\"等了三个小时才交车\",\"complaint_category\":\"waiting_time\",\"answers\":["
        "{\"question\":\"一次修好\",\"answer\":true},{\"question\":\"按时交车\","
        "\"answer\":false}]}";
    json_t *t = call("POST", path, caller, body, 201);
    json_t *att = json_array_get(json_object_get(t, "attempts_log"), 0);
    assert_string_equal(jstr(att, "satisfaction"), "dissatisfied");
    json_t *ans = json_object_get(att, "answers");
    assert_int_equal(json_array_size(ans), 2);
    assert_string_equal(jstr(json_array_get(ans, 1), "question"), "按时交车");
    assert_true(json_is_false(json_object_get(json_array_get(ans, 1), "answer")));
    json_decref(t);
    json_t *list = fetch_pages(fmt(CPL "?customer_id=%lld", (long long)cust), w.m, 0, NULL);
    assert_int_equal(json_array_size(list), 1);
    json_t *c = json_array_get(list, 0);
    assert_string_equal(jstr(c, "channel"), "followup_call");
    assert_string_equal(jstr(c, "category"), "waiting_time");
    assert_string_equal(jstr(c, "text"), "等了三个小时才交车");
    assert_int_equal(jint(c, "repair_order_id"), order);
    assert_int_equal(jint(c, "vehicle_id"), v);
    assert_int_equal(jint(c, "owner_id"), mgr);
    assert_int_equal(jint(c, "followup_task_id"), task);
    json_decref(list);
    /* The retry of the same attempt: refused, still one complaint. */
    rejected("POST", path, caller, body, 409, "task_closed", NULL);
    assert_int_equal(count_of(fmt(CPL "?customer_id=%lld", (long long)cust), w.m), 1);
    /* CS-1: the calls report counts the answer on the follow-up's list day. */
    json_t *rep = call("GET", fmt("/api/v1/reports/calls?date=%s", dd(3)), w.m, NULL, 200);
    json_t *fu = item_with(json_object_get(rep, "types"), "type", "followup");
    assert_non_null(fu);
    json_t *sat = json_object_get(fu, "satisfaction");
    assert_int_equal(jint(sat, "dissatisfied"), 1);
    assert_int_equal(jint(sat, "satisfied"), 0);
    assert_int_equal(
        jint(json_object_get(json_object_get(rep, "total"), "satisfaction"), "dissatisfied"), 1);
    json_decref(rep);
    /* A later edit of the questions does not rewrite what was answered. */
    set_settings(w.m, "{\"followup_questions\":[\"服务态度好\"]}");
    t = call("GET", fmt("/api/v1/tasks/%lld", (long long)task), w.m, NULL, 200);
    att = json_array_get(json_object_get(t, "attempts_log"), 0);
    assert_string_equal(jstr(json_array_get(json_object_get(att, "answers"), 0), "question"),
                        "一次修好");
    json_decref(t);
    srv_clock_set(SRV, 0);
}

/* CS-1: two 不满意 attempts of one follow-up sent at once: one is recorded, one complaint. */
static void test_followup_dissatisfied_race(void **state)
{
    (void)state;
    struct workshop w;
    setup_store(&w);
    const char *adv = store_user(&w.st, "advisor");
    const char *caller = store_user(&w.st, "caller");
    int64_t cars[3];
    for (int round = 0; round < 3; round++) {
        cars[round] = reachable_car(w.m);
        delivered_order(&w, adv, cars[round]);
    }
    generate_day3(&w);
    for (int round = 0; round < 3; round++) {
        int64_t v = cars[round];
        int64_t cust = customer_of(w.m, v);
        int64_t task = followup_task(&w, v);
        const char *path = keep(fmt("/api/v1/tasks/%lld/attempts", (long long)task));
        const char *body = "{\"outcome\":\"reached\",\"satisfaction\":\"dissatisfied\"}";
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, 2);
        struct racer c[2] = {{path, caller, body, &start, {0}}, {path, w.m, body, &start, {0}}};
        pthread_t th[2];
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_create(&th[i], NULL, race_run, &c[i]), 0);
        for (int i = 0; i < 2; i++)
            pthread_join(th[i], NULL);
        pthread_barrier_destroy(&start);
        int ok = 0;
        for (int i = 0; i < 2; i++) {
            if (c[i].r.status == 201)
                ok++;
            else if (c[i].r.status != 409)
                fail_msg("racer %d: HTTP %ld", i, c[i].r.status);
            json_decref(c[i].r.json);
        }
        assert_int_equal(ok, 1);
        json_t *list = fetch_pages(fmt(CPL "?customer_id=%lld", (long long)cust), w.m, 0, NULL);
        assert_int_equal(json_array_size(list), 1);
        assert_string_equal(jstr(json_array_get(list, 0), "text"), "回访时客户表示不满意");
        json_decref(list);
    }
    srv_clock_set(SRV, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_complaint_create_with_deadlines),
        cmocka_unit_test(test_complaint_refusals),
        cmocka_unit_test(test_complaint_actions_and_status),
        cmocka_unit_test(test_complaint_overdue_escalates_once),
        cmocka_unit_test(test_complaint_serious_escalates_at_once),
        cmocka_unit_test(test_complaint_store_isolation),
        cmocka_unit_test(test_complaint_erased_customer),
        cmocka_unit_test(test_followup_dissatisfied_opens_complaint),
        cmocka_unit_test(test_followup_dissatisfied_race),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
