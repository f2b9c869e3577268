/* The workshop report over HTTP (RO-8): GET /api/v1/reports/workshop for a day and a month,
 * with every figure worked out by hand from orders built through the API in a store of the
 * test's own, on a fixed server clock (no dependence on the time of day or on midnight):
 * a walk-in delivered on 2026-10-05 and one on 2026-10-20 (the baseline of a comeback and of
 * a visit too long ago to be one); on 2026-11-10 a booked car (found work declined, clocked,
 * delivered on time), a walk-in (a warranty part, clocked, delivered late), a walk-in back
 * for the same operation within 30 days (a comeback, left open) and a cancelled walk-in; on
 * 2026-11-11 a booked car started 20 minutes after its booked time. Another store's order is left
 * out. Then dms report workshop, who may read it, and the refusals of bad input. */
#include "booking_fixtures.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"

#define WORKSHOP "/api/v1/reports/workshop"
#define ROS      "/api/v1/repair-orders"

/* The server's clock at a store-local (Asia/Shanghai) day and HH:MM. */
static void at(const char *date, const char *hhmm)
{
    dms_day d = 0;
    struct dms_error e;
    assert_int_equal(date_parse(date, &d, "date", &e), 0);
    int h = 0, m = 0;
    assert_int_equal(sscanf(hhmm, "%d:%d", &h, &m), 2);
    srv_clock_set(SRV, (int64_t)d * 86400 + h * 3600 + m * 60 - 8 * 3600);
}

static int64_t order_id(json_t *o)
{
    int64_t id = jint(o, "id");
    assert_true(id > 0);
    json_decref(o);
    return id;
}

/* A walk-in with one operation; promised: "YYYY-MM-DDTHH:MM" or NULL. */
static int64_t ws_walk_in(const char *token, int64_t vehicle, const char *op, long km,
                          const char *promised)
{
    json_t *o = call("POST", ROS, token,
                     fmt("{\"vehicle_id\":%lld,\"mileage_km\":%ld,\"ops\":[\"%s\"]%s%s%s}",
                         (long long)vehicle, km, op, promised ? ",\"promised_at\":\"" : "",
                         promised ? promised : "", promised ? "\"" : ""),
                     201);
    assert_string_equal(jstr(o, "source"), "walk_in");
    return order_id(o);
}

static int64_t ws_check_in(const char *token, int64_t appt, int64_t vehicle, long km,
                           const char *promised)
{
    json_t *o = call("POST", ROS, token,
                     fmt("{\"appointment_id\":%lld,\"vehicle_id\":%lld,\"mileage_km\":%ld,"
                         "\"promised_at\":\"%s\"}",
                         (long long)appt, (long long)vehicle, km, promised),
                     201);
    assert_string_equal(jstr(o, "source"), "appointment");
    return order_id(o);
}

static void ws_status(const char *token, int64_t id, const char *status, const char *reason)
{
    json_t *o = call("POST", fmt(ROS "/%lld/status", (long long)id), token,
                     reason ? fmt("{\"status\":\"%s\",\"reason\":\"%s\"}", status, reason)
                            : fmt("{\"status\":\"%s\"}", status),
                     200);
    assert_string_equal(jstr(o, "status"), status);
    json_decref(o);
}

/* The order's first labour line, checked to cost amount_fen. */
static int64_t labour_line(const char *token, int64_t id, long amount_fen)
{
    json_t *o = call("GET", fmt(ROS "/%lld", (long long)id), token, NULL, 200);
    json_t *lines = json_object_get(o, "lines");
    int64_t line = 0;
    for (size_t i = 0; i < json_array_size(lines) && !line; i++) {
        json_t *l = json_array_get(lines, i);
        if (strcmp(jstr(l, "type"), "labour") == 0) {
            line = jint(l, "id");
            assert_int_equal(jint(l, "amount_fen"), amount_fen);
        }
    }
    json_decref(o);
    assert_true(line > 0);
    return line;
}

static void clock_line(const char *token, int64_t id, int64_t line, const char *action)
{
    json_decref(call("POST", fmt(ROS "/%lld/lines/%lld/clock", (long long)id, (long long)line),
                     token, fmt("{\"action\":\"%s\"}", action), 200));
}

/* qc, ready, settled with what the customer owes (checked), and (at the clock then set by
 * the caller) delivered. */
static void ws_finish(const char *token, int64_t id, long due_fen)
{
    ws_status(token, id, "qc", NULL);
    ws_status(token, id, "ready", NULL);
    json_t *o = call("GET", fmt(ROS "/%lld", (long long)id), token, NULL, 200);
    assert_int_equal(jint(o, "amount_due_fen"), due_fen);
    json_decref(o);
    json_decref(call("POST", fmt(ROS "/%lld/settle", (long long)id), token,
                     due_fen
                         ? fmt("{\"payments\":[{\"method\":\"cash\",\"amount_fen\":%ld}]}", due_fen)
                         : "{\"payments\":[]}",
                     200));
}

static void ws_deliver(const char *token, int64_t id)
{
    ws_status(token, id, "delivered", NULL);
}

/* A number member: want, or null when want is NAN. */
static void num_is(const json_t *o, const char *key, double want)
{
    json_t *v = json_object_get(o, key);
    if (isnan(want)) {
        if (!json_is_null(v))
            fail_msg("%s: want null, got %s", key, json_is_number(v) ? "a number" : "other");
        return;
    }
    if (!json_is_number(v) || fabs(json_number_value(v) - want) > 1e-9)
        fail_msg("%s: %.4f, want %.4f", key, json_is_number(v) ? json_number_value(v) : -1.0, want);
}

static void int_is(const json_t *o, const char *key, long want)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) != want)
        fail_msg("%s: %lld, want %ld", key, json_is_integer(v) ? json_integer_value(v) : -1LL,
                 want);
}

/* The figures of a report or one of its days. */
struct want {
    long orders, booked, walk_in;
    double share;
    long maintenance, repair, cancelled;
    double wait_booked, wait_walk_in;
    double hours_sold, hours_clocked;
    long clocked_min;
    double efficiency;
    long comebacks;
    double comeback_pct;
    long delivered, on_time, late;
    double on_time_pct;
    long labour_customer, parts_warranty;
};

static void figures_are(const json_t *o, const struct want *w)
{
    if (!o)
        fail_msg("figures missing");
    int_is(o, "repair_orders", w->orders);
    int_is(o, "booked", w->booked);
    int_is(o, "walk_in", w->walk_in);
    num_is(o, "booking_share_pct", w->share);
    const json_t *k = json_object_get(o, "by_kind");
    int_is(k, "maintenance", w->maintenance);
    int_is(k, "repair", w->repair);
    int_is(k, "warranty", 0);
    int_is(k, "recall", 0);
    int_is(k, "accident", 0);
    int_is(k, "other", 0);
    int_is(o, "cancelled", w->cancelled);
    const json_t *wait = json_object_get(o, "avg_wait_min");
    num_is(wait, "booked", w->wait_booked);
    num_is(wait, "walk_in", w->wait_walk_in);
    num_is(o, "hours_sold", w->hours_sold);
    num_is(o, "hours_clocked", w->hours_clocked);
    int_is(o, "clocked_min", w->clocked_min);
    num_is(o, "efficiency_pct", w->efficiency);
    int_is(o, "comebacks", w->comebacks);
    num_is(o, "comeback_pct", w->comeback_pct);
    int_is(o, "delivered", w->delivered);
    int_is(o, "on_time", w->on_time);
    int_is(o, "late", w->late);
    num_is(o, "on_time_pct", w->on_time_pct);
    const json_t *rev = json_object_get(o, "revenue");
    const json_t *lab = json_object_get(rev, "labour"), *parts = json_object_get(rev, "parts");
    static const char *const payers[] = {"customer", "warranty", "insurance", "internal", "free"};
    for (size_t i = 0; i < 5; i++) {
        int_is(lab, payers[i], i == 0 ? w->labour_customer : 0);
        int_is(parts, payers[i], i == 1 ? w->parts_warranty : 0);
    }
    int_is(rev, "labour_fen", w->labour_customer);
    int_is(rev, "parts_fen", w->parts_warranty);
    int_is(rev, "total_fen", w->labour_customer + w->parts_warranty);
    int_is(rev, "discount_fen", 0);
}

static json_t *report(const char *token, const char *query)
{
    return call("GET", fmt(WORKSHOP "?%s", query), token, NULL, 200);
}

static const struct want EMPTY = {.share = NAN,
                                  .wait_booked = NAN,
                                  .wait_walk_in = NAN,
                                  .efficiency = NAN,
                                  .comeback_pct = NAN,
                                  .on_time_pct = NAN};

/* The whole scenario; the figures by day and month. */
static void test_workshop_report_figures(void **state)
{
    (void)state;
    struct workshop w, other;
    /* The store, its people, catalogue and cars on the real clock (their sessions outlive
     * the fixed days below). */
    workshop_new(&w, 4, 4);
    workshop_new(&other, 1, 1);
    const char *m = w.m;
    open_all_day(m);
    open_all_day(other.m);
    const char *oil = op_new(m, "maintenance", "0.5", "general", "mechanical", 20000);
    const char *pad = part_new(m, 5000, 10, 3);
    int64_t c1 = car(m), c2 = car(m), c3 = car(m), c4 = car(m), c5 = car(m), x = car(other.m);

    /* October: the earlier visits. C1 on 10-05 (36 days before it comes back: no comeback),
     * C2 on 10-20 (21 days before: a comeback). No promised time: neither on time nor late. */
    at("2026-10-05", "09:00");
    int64_t o1 = ws_walk_in(m, c1, oil, 10000, NULL);
    ws_status(m, o1, "in_progress", NULL);
    at("2026-10-05", "09:40");
    ws_finish(m, o1, 10000);
    ws_deliver(m, o1);
    at("2026-10-20", "09:00");
    int64_t o2 = ws_walk_in(m, c2, w.op, 20000, NULL);
    ws_status(m, o2, "in_progress", NULL);
    at("2026-10-20", "10:00");
    ws_finish(m, o2, 20000);
    ws_deliver(m, o2);

    /* 2026-11-10. */
    at("2026-11-10", "08:00");
    int64_t a3 = book_confirmed(m, c3, oil, "2026-11-10T10:00", NULL);
    at("2026-11-10", "09:00");
    int64_t o3 = ws_check_in(m, a3, c3, 30000, "2026-11-10T12:00");
    int64_t o4 = ws_walk_in(m, c1, oil, 12000, "2026-11-10T10:00");
    int64_t o5 = ws_walk_in(m, c2, w.op, 22000, NULL); /* the comeback, left open */
    at("2026-11-10", "09:05");
    ws_status(m, o3, "in_progress", NULL); /* came early for 10:00, started before: no wait */
    int64_t l3 = labour_line(m, o3, 10000);
    clock_line(m, o3, l3, "on");
    at("2026-11-10", "09:10");
    /* Work found on C3 and declined: neither hours sold nor revenue. */
    json_t *found = call("POST", fmt(ROS "/%lld/lines", (long long)o3), m,
                         fmt("{\"op\":\"%s\",\"needs_approval\":true}", w.op), 201);
    int64_t f3 = jint(found, "id");
    json_decref(found);
    json_decref(call("POST", fmt(ROS "/%lld/lines/%lld/decision", (long long)o3, (long long)f3), m,
                     "{\"approved\":false,\"via\":\"phone\"}", 200));
    at("2026-11-10", "09:20");
    int64_t o6 = ws_walk_in(m, c4, w.op, 5000, NULL);
    at("2026-11-10", "09:25");
    ws_status(m, o6, "cancelled", "客户改期");
    at("2026-11-10", "09:30");
    ws_status(m, o4, "in_progress", NULL); /* waited 30 min */
    json_decref(call("POST", fmt(ROS "/%lld/lines", (long long)o4), m,
                     fmt("{\"part_no\":\"%s\",\"qty\":2,\"payer\":\"warranty\"}", pad), 201));
    at("2026-11-10", "09:45");
    clock_line(m, o3, l3, "off"); /* 40 min */
    at("2026-11-10", "09:50");
    int64_t l4 = labour_line(m, o4, 10000);
    clock_line(m, o4, l4, "on");
    at("2026-11-10", "10:00");
    ws_finish(m, o3, 10000);
    at("2026-11-10", "10:40");
    clock_line(m, o4, l4, "off"); /* 50 min */
    ws_finish(m, o4, 10000);      /* the warranty parts are not the customer's */
    at("2026-11-10", "11:00");
    ws_deliver(m, o3); /* promised 12:00: on time */
    ws_deliver(m, o4); /* promised 10:00: late */

    /* The other store on the same day: not counted. */
    at("2026-11-10", "09:00");
    int64_t ox = ws_walk_in(other.m, x, other.op, 1000, NULL);
    ws_status(other.m, ox, "in_progress", NULL);
    ws_finish(other.m, ox, 20000);
    ws_deliver(other.m, ox);

    /* 2026-11-11: a booked car that came an hour early started 20 minutes after its booked
     * time: a wait of 20, not 80 (coming early is not waiting). */
    at("2026-11-11", "08:00");
    int64_t a7 = book_confirmed(m, c5, oil, "2026-11-11T10:00", NULL);
    at("2026-11-11", "09:00");
    int64_t o7 = ws_check_in(m, a7, c5, 40000, "2026-11-11T12:00");
    at("2026-11-11", "10:20");
    ws_status(m, o7, "in_progress", NULL);
    (void)o5;

    /* The day of 11-10: 3 orders (1 booked), 1 cancelled; waits 0 and 30 (the open one has
     * none); 2.0 h sold (0.5 + 0.5 + 1, the declined hour not) in 90 min clocked: 133.3 %;
     * one comeback; two delivered, one on time, one late; revenue: the two oil changes'
     * labour (customer) and the warranty parts. */
    struct want d10 = {.orders = 3,
                       .booked = 1,
                       .walk_in = 2,
                       .share = 33.3,
                       .maintenance = 2,
                       .repair = 1,
                       .cancelled = 1,
                       .wait_booked = 0.0,
                       .wait_walk_in = 30.0,
                       .hours_sold = 2.0,
                       .hours_clocked = 1.5,
                       .clocked_min = 90,
                       .efficiency = 133.3,
                       .comebacks = 1,
                       .comeback_pct = 33.3,
                       .delivered = 2,
                       .on_time = 1,
                       .late = 1,
                       .on_time_pct = 50.0,
                       .labour_customer = 20000,
                       .parts_warranty = 10000};
    json_t *r = report(m, "date=2026-11-10");
    assert_string_equal(jstr(r, "from"), "2026-11-10");
    assert_string_equal(jstr(r, "to"), "2026-11-10");
    assert_null(json_object_get(r, "days"));
    figures_are(r, &d10);
    json_decref(r);

    /* 11-11: one booked order, nothing clocked (no efficiency), nothing delivered. */
    struct want d11 = EMPTY;
    d11.orders = 1, d11.booked = 1, d11.share = 100.0, d11.maintenance = 1;
    d11.wait_booked = 20.0, d11.hours_sold = 0.5, d11.comeback_pct = 0.0;
    r = report(m, "date=2026-11-11");
    figures_are(r, &d11);
    json_decref(r);

    /* A day without orders: counts 0, every share and average null. */
    r = report(m, "date=2026-11-12");
    figures_are(r, &EMPTY);
    json_decref(r);

    /* 10-20: one walk-in, started at once (a wait of 0 is a figure), delivered without a
     * promised time. */
    struct want o20 = EMPTY;
    o20.orders = 1, o20.walk_in = 1, o20.share = 0.0, o20.repair = 1, o20.wait_walk_in = 0.0;
    o20.hours_sold = 1.0, o20.comeback_pct = 0.0, o20.delivered = 1, o20.labour_customer = 20000;
    r = report(m, "date=2026-10-20");
    figures_are(r, &o20);
    json_decref(r);

    /* November: the two days together; waits (0 + 20) / 2 = 10; 2.5 h sold in 90 min:
     * 166.7 %; 1 comeback of 4. */
    struct want nov = d10;
    nov.orders = 4, nov.booked = 2, nov.share = 50.0, nov.maintenance = 3;
    nov.wait_booked = 10.0, nov.hours_sold = 2.5, nov.efficiency = 166.7, nov.comeback_pct = 25.0;
    r = report(m, "month=2026-11");
    assert_string_equal(jstr(r, "from"), "2026-11-01");
    assert_string_equal(jstr(r, "to"), "2026-11-30");
    figures_are(r, &nov);
    json_t *days = json_object_get(r, "days");
    assert_int_equal(json_array_size(days), 30);
    assert_string_equal(jstr(json_array_get(days, 0), "date"), "2026-11-01");
    figures_are(json_array_get(days, 0), &EMPTY);
    assert_string_equal(jstr(json_array_get(days, 9), "date"), "2026-11-10");
    figures_are(json_array_get(days, 9), &d10);
    assert_string_equal(jstr(json_array_get(days, 10), "date"), "2026-11-11");
    figures_are(json_array_get(days, 10), &d11);
    json_decref(r);

    /* October: two walk-ins delivered, no comeback (nothing before them). */
    struct want oct = EMPTY;
    oct.orders = 2, oct.walk_in = 2, oct.share = 0.0, oct.maintenance = 1, oct.repair = 1;
    oct.wait_walk_in = 0.0, oct.hours_sold = 1.5, oct.comeback_pct = 0.0, oct.delivered = 2;
    oct.labour_customer = 30000;
    r = report(m, "month=2026-10");
    assert_int_equal(json_array_size(json_object_get(r, "days")), 31);
    figures_are(r, &oct);
    json_decref(r);

    /* The other store sees its own order only. */
    r = report(other.m, "date=2026-11-10");
    int_is(r, "repair_orders", 1);
    int_is(r, "walk_in", 1);
    int_is(r, "delivered", 1);
    int_is(r, "comebacks", 0);
    json_decref(r);

    /* dms report workshop prints the same figures. */
    char out[8192];
    int rc = srv_cli(SRV, NULL, out, sizeof out, "report", "workshop", "--store", w.st.code,
                     "--date", "2026-11-10", NULL);
    if (rc != 0)
        fail_msg("dms report workshop: %d\n%s", rc, out);
    static const char *const lines[] = {
        "repair orders    3 (booked 1, walk-in 2, booking share 33.3%), cancelled 1",
        "by kind          maintenance 2 repair 1 warranty 0 recall 0 accident 0 other 0",
        "average wait     booked 0.0 min, walk-in 30.0 min",
        "labour hours     sold 2.00, clocked 1.50, efficiency 133.3%",
        "comebacks        1 (33.3%)",
        "delivered        2 (on time 1, late 1, on-time 50.0%)",
        "  customer             200.00         0.00",
        "  warranty               0.00       100.00",
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        if (!strstr(out, lines[i]))
            fail_msg("dms report workshop lacks \"%s\":\n%s", lines[i], out);
    rc = srv_cli(SRV, NULL, out, sizeof out, "report", "workshop", "--store", w.st.code, NULL);
    assert_int_equal(rc, 2);
    srv_clock_set(SRV, 0);
}

/* Who may read it, and the refusals of bad input. */
static void test_workshop_report_access_and_input(void **state)
{
    (void)state;
    struct test_store s;
    store_new(&s);
    static const char *const may[] = {"advisor", "admin"};
    for (size_t i = 0; i < 2; i++) {
        json_t *r = report(store_user(&s, may[i]), "month=2026-11");
        int_is(r, "repair_orders", 0);
        json_decref(r);
    }
    json_decref(report(s.manager, "date=2026-11-10"));
    static const char *const may_not[] = {"caller", "workshop", "parts_manager", "warranty"};
    for (size_t i = 0; i < 4; i++)
        json_decref(refusal("GET", WORKSHOP "?date=2026-11-10", store_user(&s, may_not[i]), NULL,
                            403, "forbidden"));
    struct resp r = http("GET", WORKSHOP "?date=2026-11-10", NULL, NULL);
    assert_int_equal(r.status, 401);
    resp_free(&r);

    const char *m = s.manager;
    r = http("GET", WORKSHOP, m, NULL);
    expect_error(&r, 400, "missing_field", "date");
    resp_free(&r);
    r = http("GET", WORKSHOP "?date=2026-11-10&month=2026-11", m, NULL);
    expect_error(&r, 400, "invalid_field", "month");
    resp_free(&r);
    static const char *const bad_dates[] = {"2026-13-01", "2026-02-30", "20261110", "today"};
    for (size_t i = 0; i < sizeof bad_dates / sizeof *bad_dates; i++) {
        r = http("GET", fmt(WORKSHOP "?date=%s", bad_dates[i]), m, NULL);
        expect_error(&r, 422, "invalid_date", "date");
        resp_free(&r);
    }
    static const char *const bad_months[] = {"2026-1", "2026-13", "2026-11-01", "x"};
    for (size_t i = 0; i < sizeof bad_months / sizeof *bad_months; i++) {
        r = http("GET", fmt(WORKSHOP "?month=%s", bad_months[i]), m, NULL);
        expect_error(&r, 422, "invalid_date", "month");
        resp_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workshop_report_figures),
        cmocka_unit_test(test_workshop_report_access_and_input),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
