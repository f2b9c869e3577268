/* Reception and repair orders (RO-1..RO-7, MR-1, MR-7, CS-1, CS-4, CRM-5) against the real
 * server, on both backends: a booked car from check-in to delivery and the rules that then run
 * on its service record; check-in refusals; walk-ins on the schedule and the queue; the races
 * (two check-ins of one booking, two orders for the last part, two clock-ons, two
 * settlements); on-account receivables; cancellation; roles and other stores.
 *
 * Every test sets the server's clock to a fixed store-local time on day D (tomorrow at the
 * start of the test) and builds its dates from D, so nothing depends on the time of day. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "booking_fixtures.h"
#include "core/date.h"
#include "harness.h"

/* D + days as YYYY-MM-DD, and at HH:MM (kept). */
static int32_t D;
static const char *dd(int days)
{
    return ds(D + days);
}
static const char *at(int days, const char *hhmm)
{
    return keep(fmt("%sT%s", dd(days), hhmm));
}

/* A store of the test's own, open round the clock, its clock at D 09:00. */
static void setup_store(struct workshop *w, int bays, int techs)
{
    D = test_today() + 1;
    workshop_new(w, bays, techs);
    open_all_day(w->m);
    clock_local(at(0, "09:00"));
}

static const char *order_path(int64_t id, const char *tail)
{
    return keep(fmt(ORDERS "/%lld%s", (long long)id, tail ? tail : ""));
}

static json_t *line_of(json_t *order, const char *code)
{
    return item_with(json_object_get(order, "lines"), "code", code);
}

static int64_t part_field(const char *token, const char *no, const char *key)
{
    json_t *p = call("GET", fmt("/api/v1/parts/%s", no), token, NULL, 200);
    int64_t v = jint(p, key);
    json_decref(p);
    return v;
}

static int64_t my_id(const char *token)
{
    json_t *me = call("GET", "/api/v1/me", token, NULL, 200);
    int64_t id = jint(json_object_get(me, "user"), "id");
    json_decref(me);
    return id;
}

static json_t *walk_in(const char *token, int64_t vehicle, const char *op, const char *extra,
                       long status)
{
    return call("POST", ORDERS, token,
                fmt("{\"vehicle_id\":%lld,\"mileage_km\":%d,\"ops\":[\"%s\"]%s}",
                    (long long)vehicle, 5000, op, extra ? extra : ""),
                status);
}

/* RO-1..RO-7: a booked car from check-in to delivery, and what delivery writes (MR-1, CS-1,
 * CS-4, CRM-5, RO-4's declined work). */
static void test_repair_order_booked_car_whole_loop(void **state)
{
    (void)state;
    struct workshop w;
    setup_store(&w, 2, 2);
    const char *m = w.m;
    const char *adv = store_user(&w.st, "advisor");
    const char *shop = store_user(&w.st, "workshop");
    const char *oil =
        op_named(m, "更换机油机滤", "maintenance", "0.5", "general", "mechanical", 20000);
    const char *wash = op_named(m, "洗车", "maintenance", "0.2", "general", "mechanical", 10000);
    const char *pno = part_named(m, "机油滤清器", 6500, 5, 3);
    set_settings(m, fmt("{\"booked_perk_codes\":[\"%s\"]}", wash));
    /* A customer who may be called and texted (CS-1's call, RO-5's message). */
    json_t *cu = call("POST", "/api/v1/customers", adv,
                      "{\"name\":\"王小明\",\"title\":\"先生\",\"phone\":\"13912345678\","
                      "\"consent\":{\"sms\":true,\"phone\":true}}",
                      201);
    int64_t v = new_vehicle(adv, jint(cu, "id"));
    json_decref(cu);
    json_t *before = call("GET", fmt("/api/v1/vehicles/%lld", (long long)v), adv, NULL, 200);
    const char *due_before = keep(jstr(json_object_get(before, "next_service"), "due_date"));
    json_decref(before);
    int64_t appt = book_confirmed(adv, v, oil, at(0, "10:00"),
                                  fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":1}]", pno));
    assert_int_equal(part_field(m, pno, "reserved"), 1);

    /* Check-in: the odometer, fuel, damage, who brought it (a new driver, CRM-5), waiting,
     * promised time. */
    json_t *o = call(
        "POST", ORDERS, adv,
        fmt("{\"appointment_id\":%lld,\"vehicle_id\":%lld,\"mileage_km\":12345,\"fuel_eighths\":4,"
            "\"damage_notes\":\"右后门划痕\",\"customer_words\":\"做保养，顺便看看刹车\","
            "\"brought_by\":{\"kind\":\"driver\",\"name\":\"小李\",\"phone\":\"13800001111\"},"
            "\"waiting\":true,\"promised_at\":\"%s\"}",
            (long long)appt, (long long)v, at(0, "12:00")),
        201);
    int64_t id = jint(o, "id");
    char want_no[16];
    int y, mo, d;
    date_to_ymd(D, &y, &mo, &d);
    snprintf(want_no, sizeof want_no, "R%02d%02d%02d0001", y % 100, mo, d);
    assert_string_equal(jstr(o, "number"), want_no);
    assert_string_equal(jstr(o, "status"), "open");
    assert_string_equal(jstr(o, "source"), "appointment");
    assert_string_equal(jstr(o, "kind"), "maintenance");
    assert_int_equal(jint(o, "mileage_km"), 12345);
    assert_int_equal(jint(o, "fuel_eighths"), 4);
    assert_string_equal(jstr(o, "customer_words"), "做保养，顺便看看刹车");
    assert_string_equal(jstr(json_object_get(o, "brought_by"), "kind"), "driver");
    assert_string_equal(jstr(o, "start"), at(0, "10:00"));
    assert_false(json_is_true(json_object_get(o, "queued")));
    assert_true(json_is_null(json_object_get(o, "booking_benefits")));
    /* The booking's work and parts are the lines; the perk is a free line (RO-1). */
    assert_int_equal(json_array_size(json_object_get(o, "lines")), 3);
    json_t *l = line_of(o, oil);
    assert_string_equal(jstr(l, "payer"), "customer");
    assert_int_equal(jint(l, "amount_fen"), 10000);
    l = line_of(o, pno);
    assert_string_equal(jstr(l, "stock"), "reserved");
    assert_true(json_is_true(json_object_get(l, "from_appointment")));
    l = line_of(o, wash);
    assert_string_equal(jstr(l, "payer"), "free");
    assert_true(json_is_true(json_object_get(l, "perk")));
    assert_int_equal(jint(o, "amount_due_fen"), 10000 + 6500);
    assert_int_equal(jint(json_object_get(o, "by_payer"), "free"), 2000);
    json_decref(o);
    assert_string_equal(appt_status(adv, appt), "arrived");
    /* The driver joined the customer's drivers; the odometer is the car's reading. */
    json_t *car_now = call("GET", fmt("/api/v1/vehicles/%lld", (long long)v), adv, NULL, 200);
    assert_int_equal(jint(car_now, "mileage_km"), 12345);
    json_decref(car_now);
    /* A second check-in of the booking: 409, nothing written. */
    int64_t head = audit_head_of(m);
    rejected("POST", ORDERS, adv,
             fmt("{\"appointment_id\":%lld,\"vehicle_id\":%lld,\"mileage_km\":12400}",
                 (long long)appt, (long long)v),
             409, "already_checked_in", "appointment_id");
    assert_int_equal(audit_head_of(m), head);

    /* RO-4: work found during the job waits for the customer; declined, it stays on the car. */
    json_t *found = call("POST", order_path(id, "/lines"), shop,
                         fmt("{\"op\":\"%s\",\"needs_approval\":true}", w.op), 201);
    int64_t found_id = jint(found, "id");
    assert_string_equal(jstr(found, "decision"), "pending");
    json_decref(found);
    o = call("GET", order_path(id, NULL), adv, NULL, 200);
    assert_int_equal(jint(o, "pending_decisions"), 1);
    assert_int_equal(jint(o, "amount_due_fen"), 16500);
    json_decref(o);
    const char *decide = order_path(id, fmt("/lines/%lld/decision", (long long)found_id));
    rejected("POST", decide, shop, "{\"approved\":false,\"via\":\"phone\"}", 403, "forbidden",
             NULL);
    json_t *dl =
        call("POST", decide, adv, "{\"approved\":false,\"via\":\"phone\",\"by\":\"王先生\"}", 200);
    assert_string_equal(jstr(dl, "decision"), "declined");
    assert_string_equal(jstr(dl, "decided_via"), "phone");
    json_decref(dl);
    rejected("POST", decide, adv, "{\"approved\":true,\"via\":\"phone\"}", 409, "already_decided",
             NULL);
    car_now = call("GET", fmt("/api/v1/vehicles/%lld", (long long)v), adv, NULL, 200);
    json_t *dw = json_object_get(car_now, "declined_work");
    assert_int_equal(json_array_size(dw), 1);
    assert_string_equal(jstr(json_array_get(dw, 0), "code"), w.op);
    json_decref(car_now);

    /* Wrong transitions. */
    rejected("POST", order_path(id, "/status"), shop, "{\"status\":\"qc\"}", 409,
             "invalid_transition", "status");
    rejected("POST", order_path(id, "/status"), adv, "{\"status\":\"delivered\"}", 409,
             "invalid_transition", "status");
    rejected("POST", order_path(id, "/status"), adv, "{\"status\":\"in_progress\"}", 403,
             "forbidden", NULL);

    /* RO-5, RO-6: dispatched on its booked bay and technician; the parts are issued. */
    /* RO-8: arrived at 09:00 for 10:00, started at 10:20: a wait of 20 minutes, counted from
     * the booked time (coming early is not waiting). */
    clock_local(at(0, "10:20"));
    order_status_ok(shop, id, "in_progress", NULL);
    o = call("GET", order_path(id, NULL), adv, NULL, 200);
    assert_int_equal(jint(o, "wait_min"), 20);
    int64_t tech = jint(o, "technician_id");
    assert_string_equal(jstr(line_of(o, pno), "stock"), "issued");
    int64_t labour_line = jint(line_of(o, oil), "id");
    json_decref(o);
    assert_int_equal(part_field(m, pno, "on_hand"), 4);
    assert_int_equal(part_field(m, pno, "reserved"), 0);
    assert_string_equal(appt_status(adv, appt), "in_service");
    /* Clocked 40 minutes against 0.5 standard hours. */
    const char *clock = order_path(id, fmt("/lines/%lld/clock", (long long)labour_line));
    json_t *c = call("POST", clock, shop, "{\"action\":\"on\"}", 200);
    assert_int_equal(jint(json_object_get(c, "clock_on"), "technician_id"), tech);
    json_decref(c);
    clock_local(at(0, "11:00"));
    c = call("POST", clock, shop, "{\"action\":\"off\"}", 200);
    assert_int_equal(jint(c, "clocked_min"), 40);
    assert_true(json_is_null(json_object_get(c, "clock_on")));
    json_decref(c);
    rejected("POST", clock, shop, "{\"action\":\"off\"}", 409, "invalid_transition", "action");

    /* QC fails once (a reason is required), then passes: the customer is told (RO-5). */
    order_status_ok(shop, id, "qc", NULL);
    rejected("POST", order_path(id, "/status"), shop, "{\"status\":\"in_progress\"}", 400,
             "missing_field", "reason");
    order_status_ok(shop, id, "in_progress", ",\"reason\":\"机油液位偏低\"");
    order_status_ok(shop, id, "qc", NULL);
    order_status_ok(shop, id, "ready", NULL);
    o = call("GET", order_path(id, NULL), adv, NULL, 200);
    assert_int_equal(jint(o, "qc_failures"), 1);
    assert_int_equal(jint(o, "wait_min"), 20); /* the first start's */
    json_decref(o);
    json_t *msgs = call("GET", fmt("/api/v1/messages?vehicle_id=%lld&kind=car_ready", (long long)v),
                        m, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(msgs, "items")), 1);
    json_t *msg = json_array_get(json_object_get(msgs, "items"), 0);
    assert_string_equal(jstr(msg, "status"), "queued");
    assert_string_equal(jstr(msg, "channel"), "sms");
    assert_non_null(strstr(jstr(msg, "body"), "已完工"));
    json_decref(msgs);

    /* RO-7: the payments must add up; a discount needs the manager; settling twice is 409. */
    rejected("POST", order_path(id, "/settle"), adv,
             "{\"payments\":[{\"method\":\"cash\",\"amount_fen\":100}]}", 422, "payments_mismatch",
             "payments");
    rejected("POST", order_path(id, "/settle"), adv,
             "{\"payments\":[{\"method\":\"cash\",\"amount_fen\":16000}],\"discount_fen\":500}",
             400, "invalid_field", "discount_approved_by");
    rejected("POST", order_path(id, "/settle"), adv,
             "{\"payments\":[{\"method\":\"on_account\",\"amount_fen\":16500}]}", 400,
             "invalid_field", "payments");
    o = call("POST", order_path(id, "/settle"), adv,
             fmt("{\"payments\":[{\"method\":\"cash\",\"amount_fen\":6000},{\"method\":\"wechat\","
                 "\"amount_fen\":10000}],\"discount_fen\":500,\"discount_approved_by\":%lld}",
                 (long long)my_id(m)),
             200);
    assert_string_equal(jstr(o, "status"), "settled");
    assert_int_equal(jint(o, "amount_due_fen"), 16000);
    assert_int_equal(jint(o, "discount_approved_by"), my_id(m));
    assert_non_null(jstr(o, "discount_approver_name"));
    assert_int_equal(json_array_size(json_object_get(o, "payments")), 2);
    json_decref(o);
    rejected("POST", order_path(id, "/settle"), adv,
             "{\"payments\":[{\"method\":\"cash\",\"amount_fen\":16000}]}", 409, "already_settled",
             NULL);
    rejected("PATCH", order_path(id, NULL), adv, "{\"waiting\":false}", 409, "order_closed", NULL);

    /* Delivery, before the promised 12:00: on time; the service record is written. */
    clock_local(at(0, "11:30"));
    order_status_ok(adv, id, "delivered", NULL);
    o = call("GET", order_path(id, NULL), adv, NULL, 200);
    assert_true(json_is_true(json_object_get(o, "on_time")));
    int64_t record = jint(o, "service_record_id");
    assert_true(record > 0);
    json_decref(o);
    json_t *recs =
        call("GET", fmt("/api/v1/vehicles/%lld/service-records", (long long)v), adv, NULL, 200);
    json_t *r0 = json_array_get(json_object_get(recs, "items"), 0);
    assert_int_equal(jint(r0, "id"), record);
    assert_string_equal(jstr(r0, "kind"), "maintenance");
    assert_string_equal(jstr(r0, "date"), dd(0));
    assert_string_equal(jstr(r0, "date_out"), dd(0));
    assert_int_equal(jint(r0, "mileage_km"), 12345);
    assert_int_equal(jint(r0, "labour_fen"), 12000); /* the oil change and the free wash */
    assert_int_equal(jint(r0, "parts_fen"), 6500);
    assert_int_equal(jint(r0, "total_fen"), 18500);
    json_decref(recs);
    /* MR-1, CS-4: the last service and the last visit are the delivery's. */
    car_now = call("GET", fmt("/api/v1/vehicles/%lld", (long long)v), adv, NULL, 200);
    assert_string_equal(jstr(car_now, "last_service_date"), dd(0));
    assert_string_equal(jstr(car_now, "last_visit_date"), dd(0));
    /* MR-1: the next service restarts from this maintenance: later than it was. */
    const char *due_after = jstr(json_object_get(car_now, "next_service"), "due_date");
    assert_non_null(due_after);
    assert_true(strcmp(due_after, due_before) > 0);
    assert_true(strcmp(due_after, dd(0)) > 0);
    json_decref(car_now);
    assert_string_equal(appt_status(adv, appt), "completed");
    /* The "ready" text not sent yet (no gateway in this test) is withdrawn: the car is gone. */
    msgs = call("GET", fmt("/api/v1/messages?vehicle_id=%lld&kind=car_ready", (long long)v), m,
                NULL, 200);
    msg = json_array_get(json_object_get(msgs, "items"), 0);
    assert_string_equal(jstr(msg, "status"), "cancelled");
    assert_string_equal(jstr(msg, "status_reason"), "car delivered");
    json_decref(msgs);
    rejected("POST", order_path(id, "/lines"), adv, fmt("{\"op\":\"%s\"}", w.op), 409,
             "order_closed", NULL);
    /* Every step audited: check-in, dispatch, QC twice, the failure, ready, settlement,
     * delivery. */
    json_t *log = call(
        "GET", fmt("/api/v1/audit?entity=repair_order&entity_id=%lld&limit=200", (long long)id), m,
        NULL, 200);
    assert_true(json_array_size(json_object_get(log, "items")) >= 8);
    json_decref(log);

    /* CS-1: the follow-up call on day 3. */
    clock_local(at(3, "08:00"));
    json_decref(call("POST", "/api/v1/tasks/generate", m, fmt("{\"date\":\"%s\"}", dd(3)), 200));
    json_t *tasks = call("GET", fmt("/api/v1/tasks?date=%s&type=followup", dd(3)), m, NULL, 200);
    bool follow = false;
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(tasks, "items"), i, t)
    {
        follow |= jint(json_object_get(t, "vehicle"), "id") == v || jint(t, "vehicle_id") == v;
    }
    assert_true(follow);
    json_decref(tasks);
    srv_clock_set(SRV, 0);
}

/* RO-1: check-in refusals; each changes nothing. */
static void test_repair_order_check_in_refusals(void **state)
{
    (void)state;
    struct workshop w;
    setup_store(&w, 2, 2);
    const char *m = w.m;
    const char *adv = store_user(&w.st, "advisor");
    int64_t v = car(m);
    int64_t tomorrow = book_confirmed(adv, v, w.op, at(1, "10:00"), NULL);
    int64_t v2 = car(m);
    int64_t today = book_confirmed(adv, v2, w.op, at(0, "11:00"), NULL);
    int64_t v3 = car(m);
    int64_t cancelled = book_confirmed(adv, v3, w.op, at(0, "14:00"), NULL);
    status_ok(adv, cancelled, "cancelled");
    json_decref(call("POST", fmt("/api/v1/vehicles/%lld/mileage", (long long)v2), adv,
                     fmt("{\"date\":\"%s\",\"km\":20000}", dd(0)), 201));
    const char *caller = store_user(&w.st, "caller");
    int64_t head = audit_head_of(m);
#define body "{\"appointment_id\":%lld,\"vehicle_id\":%lld,\"mileage_km\":%lld%s}"
    rejected("POST", ORDERS, adv, fmt(body, (long long)tomorrow, (long long)v, 100LL, ""), 422,
             "not_today", "appointment_id");
    rejected("POST", ORDERS, adv, fmt(body, (long long)cancelled, (long long)v3, 100LL, ""), 409,
             "invalid_transition", "appointment_id");
    rejected("POST", ORDERS, adv, fmt(body, (long long)today, (long long)v, 100LL, ""), 400,
             "invalid_field", "vehicle_id");
    /* The odometer is checked like any reading: not below the last one. */
    rejected("POST", ORDERS, adv, fmt(body, (long long)today, (long long)v2, 19000LL, ""), 422,
             "mileage_inconsistent", "mileage_km");
    rejected("POST", ORDERS, adv,
             fmt(body, (long long)today, (long long)v2, 20100LL, ",\"fuel_eighths\":9"), 400,
             "invalid_field", "fuel_eighths");
    rejected("POST", ORDERS, adv,
             fmt(body, (long long)today, (long long)v2, 20100LL, ",\"promised_at\":\"明天\""), 422,
             "invalid_date", "promised_at");
    rejected("POST", ORDERS, adv, fmt(body, (long long)today, (long long)v2, 20100LL, ",\"x\":1"),
             400, "invalid_field", "x");
    rejected("POST", ORDERS, adv,
             fmt(body, (long long)today, (long long)v2, 20100LL, fmt(",\"ops\":[\"%s\"]", w.op)),
             400, "invalid_field", "ops");
    rejected("POST", ORDERS, adv,
             fmt("{\"appointment_id\":%lld,\"vehicle_id\":%lld,\"mileage_km\":\"20100\"}",
                 (long long)today, (long long)v2),
             400, "invalid_field", "mileage_km");
    rejected("POST", ORDERS, adv,
             fmt("{\"appointment_id\":9007199254740993,\"vehicle_id\":%lld,\"mileage_km\":20100}",
                 (long long)v2),
             404, "not_found", "appointment_id");
    rejected("POST", ORDERS, adv, "{\"vehicle_id\":1,\"mileage_km\":1", 400, "invalid_json", NULL);
    /* Another store's booking and car are not found. */
    rejected("POST", ORDERS, tok(U_ADVISOR),
             fmt(body, (long long)today, (long long)v2, 20100LL, ""), 404, "not_found", NULL);
    /* A walk-in names its work, known to the catalogue. */
    rejected("POST", ORDERS, adv, fmt("{\"vehicle_id\":%lld,\"mileage_km\":20100}", (long long)v2),
             400, "missing_field", "ops");
    rejected("POST", ORDERS, adv,
             fmt("{\"vehicle_id\":%lld,\"mileage_km\":20100,\"ops\":[\"NOPE\"]}", (long long)v2),
             422, "unknown_operation", "ops");
    /* Only reception checks cars in. */
    rejected("POST", ORDERS, caller, fmt(body, (long long)today, (long long)v2, 20100LL, ""), 403,
             "forbidden", NULL);
    assert_int_equal(audit_head_of(m), head);
    assert_string_equal(appt_status(adv, today), "confirmed");
    assert_int_equal(items_count(fmt(ORDERS "?date=%s", dd(0)), m), 0);
    srv_clock_set(SRV, 0);
#undef body
}

/* RO-2, MR-7: walk-ins take the earliest free bay and technician today, so the schedule
 * shows them; with nothing free today they queue, and a booked car in the queue goes first. */
static void test_repair_order_walk_ins_and_queue(void **state)
{
    (void)state;
    struct workshop w;
    setup_store(&w, 1, 1);
    const char *m = w.m;
    const char *adv = store_user(&w.st, "advisor");
    const char *shop = store_user(&w.st, "workshop");
    json_t *a = walk_in(adv, car(m), w.op, NULL, 201);
    assert_string_equal(jstr(a, "source"), "walk_in");
    assert_string_equal(jstr(a, "start"), at(0, "09:00"));
    assert_int_equal(jint(a, "bay_id"), w.bay[0]);
    assert_false(json_is_true(json_object_get(a, "queued")));
    assert_non_null(jstr(a, "booking_benefits")); /* RO-2: tell them about booking */
    int64_t a_appt = jint(a, "appointment_id");
    json_decref(a);
    json_t *ap = call("GET", fmt(APPTS "/%lld", (long long)a_appt), m, NULL, 200);
    assert_string_equal(jstr(ap, "source"), "walk_in");
    assert_string_equal(jstr(ap, "status"), "arrived");
    json_decref(ap);
    /* The next one comes after it and its float, on the same (only) bay. */
    json_t *b = walk_in(adv, car(m), w.op, NULL, 201);
    assert_string_equal(jstr(b, "start"), at(0, "10:30"));
    json_decref(b);
    /* The slot search sees them: 09:00 is taken now. */
    json_decref(refusal("POST", APPTS, adv, booking(car(m), w.op, at(0, "09:30"), NULL), 409,
                        "slot_taken"));

    /* Late in the day a two-hour job no longer fits: it waits in the queue. */
    const char *long_op = op_new(m, "repair", "2", "general", "mechanical", 20000);
    clock_local(at(0, "22:30"));
    json_t *c = walk_in(adv, car(m), long_op, NULL, 201);
    int64_t c_id = jint(c, "id");
    assert_true(json_is_true(json_object_get(c, "queued")));
    assert_int_equal(jint(c, "queue_position"), 1);
    assert_true(json_is_null(json_object_get(c, "start")));
    json_decref(c);
    /* A booked car without a time yet (a date booking of today) queues ahead of it. */
    int64_t v = car(m);
    json_t *t = call("POST", APPTS, adv, booking_for_day(v, w.op, dd(0), NULL), 201);
    int64_t e_appt = jint(t, "id");
    json_decref(t);
    json_t *e = check_in_order(adv, e_appt);
    int64_t e_id = jint(e, "id");
    assert_true(json_is_true(json_object_get(e, "queued")));
    assert_int_equal(jint(e, "queue_position"), 1);
    json_decref(e);
    json_t *cq = call("GET", order_path(c_id, NULL), adv, NULL, 200);
    assert_int_equal(jint(cq, "queue_position"), 2);
    json_decref(cq);
    json_t *rc = call("GET", fmt("/api/v1/reception?date=%s", dd(0)), adv, NULL, 200);
    json_t *queue = json_object_get(rc, "queue");
    assert_int_equal(json_array_size(queue), 2);
    assert_int_equal(jint(json_array_get(queue, 0), "id"), e_id);
    assert_int_equal(jint(json_array_get(queue, 1), "id"), c_id);
    json_decref(rc);
    /* The walk-in does not go before the booked car. */
    json_decref(refusal("POST", order_path(c_id, "/status"), shop, "{\"status\":\"in_progress\"}",
                        409, "booked_first"));
    /* The booked car takes the bay now; the walk-in's two hours no longer fit today. */
    order_status_ok(shop, e_id, "in_progress", NULL);
    json_t *eo = call("GET", order_path(e_id, NULL), adv, NULL, 200);
    assert_string_equal(jstr(eo, "start"), at(0, "22:30"));
    assert_false(json_is_true(json_object_get(eo, "queued")));
    json_decref(eo);
    json_t *no = refusal("POST", order_path(c_id, "/status"), shop, "{\"status\":\"in_progress\"}",
                         409, "slot_unavailable");
    assert_non_null(json_object_get(no, "options"));
    json_decref(no);
    srv_clock_set(SRV, 0);
}

/* ---- races ---- */

struct racer {
    const char *method, *path, *token, *body;
    pthread_barrier_t *start;
    struct http_answer r;
};

static void *race_run(void *arg)
{
    struct racer *c = arg;
    CURL *h = curl_easy_init();
    pthread_barrier_wait(c->start);
    if (h) {
        c->r = http_call_on(h, SRV->base, c->method, c->path, c->token, c->body);
        curl_easy_cleanup(h);
    }
    return NULL;
}

/* Sends the requests at once; returns how many answered ok_status (the others must be
 * refused_status). */
static int race(struct racer *c, int n, long ok_status, long refused_status)
{
    pthread_t th[8];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)n);
    for (int i = 0; i < n; i++) {
        c[i].start = &start;
        assert_int_equal(pthread_create(&th[i], NULL, race_run, &c[i]), 0);
    }
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
    int ok = 0;
    for (int i = 0; i < n; i++) {
        if (c[i].r.status == ok_status)
            ok++;
        else if (c[i].r.status != refused_status)
            fail_msg("racer %d: HTTP %ld", i, c[i].r.status);
        json_decref(c[i].r.json);
    }
    return ok;
}

/* RO-1, RO-6, RO-5, RO-7: of two check-ins of one booking, two orders for the last unit of a
 * part, two clock-ons of one technician and two settlements of one order, exactly one wins,
 * each round. */
static void test_repair_order_races(void **state)
{
    (void)state;
    struct workshop w;
    setup_store(&w, 4, 4);
    const char *m = w.m;
    const char *adv = store_user(&w.st, "advisor");
    const char *shop = store_user(&w.st, "workshop");
    for (int round = 0; round < 5; round++) {
        int64_t v = car(m);
        int64_t appt = book_confirmed(adv, v, w.op, at(0, fmt("%02d:00", 10 + round)), NULL);
        const char *body =
            keep(fmt("{\"appointment_id\":%lld,\"vehicle_id\":%lld,\"mileage_km\":100}",
                     (long long)appt, (long long)v));
        struct racer c[2] = {{"POST", ORDERS, adv, body, NULL, {0}},
                             {"POST", ORDERS, m, body, NULL, {0}}};
        assert_int_equal(race(c, 2, 201, 409), 1);
        assert_int_equal(items_count(fmt(ORDERS "?vehicle_id=%lld", (long long)v), m), 1);
    }
    for (int round = 0; round < 5; round++) {
        const char *pno = part_new(m, 1000, 1, 3);
        json_t *o1 = walk_in(adv, car(m), w.op, NULL, 201),
               *o2 = walk_in(adv, car(m), w.op, NULL, 201);
        const char *body = keep(fmt("{\"part_no\":\"%s\",\"qty\":1}", pno));
        struct racer c[2] = {
            {"POST", keep(order_path(jint(o1, "id"), "/lines")), adv, body, NULL, {0}},
            {"POST", keep(order_path(jint(o2, "id"), "/lines")), adv, body, NULL, {0}}};
        json_decref(o1), json_decref(o2);
        assert_int_equal(race(c, 2, 201, 409), 1);
        assert_int_equal(part_field(m, pno, "on_hand"), 1);
        assert_int_equal(part_field(m, pno, "reserved"), 1);
    }
    /* One technician, two jobs in work: he clocks on one line at a time. */
    for (int round = 0; round < 3; round++) {
        json_t *o1 = walk_in(adv, car(m), w.op, NULL, 201),
               *o2 = walk_in(adv, car(m), w.op, NULL, 201);
        int64_t id1 = jint(o1, "id"), id2 = jint(o2, "id");
        int64_t l1 = jint(json_array_get(json_object_get(o1, "lines"), 0), "id");
        int64_t l2 = jint(json_array_get(json_object_get(o2, "lines"), 0), "id");
        json_decref(o1), json_decref(o2);
        order_status_ok(shop, id1, "in_progress", NULL);
        order_status_ok(shop, id2, "in_progress", NULL);
        const char *body =
            keep(fmt("{\"action\":\"on\",\"technician_id\":%lld}", (long long)w.tech[0]));
        struct racer c[2] = {{"POST",
                              keep(order_path(id1, fmt("/lines/%lld/clock", (long long)l1))),
                              shop,
                              body,
                              NULL,
                              {0}},
                             {"POST",
                              keep(order_path(id2, fmt("/lines/%lld/clock", (long long)l2))),
                              shop,
                              body,
                              NULL,
                              {0}}};
        assert_int_equal(race(c, 2, 200, 409), 1);
        /* Off again for the next round. */
        json_t *o = call("GET", order_path(id1, NULL), shop, NULL, 200);
        bool on1 = !json_is_null(
            json_object_get(json_array_get(json_object_get(o, "lines"), 0), "clock_on"));
        json_decref(o);
        json_decref(call("POST", on1 ? c[0].path : c[1].path, shop, "{\"action\":\"off\"}", 200));
        /* Two settlements of one ready order: one. */
        order_status_ok(shop, id1, "qc", NULL);
        order_status_ok(shop, id1, "ready", NULL);
        const char *pay = "{\"payments\":[{\"method\":\"cash\",\"amount_fen\":20000}]}";
        struct racer s[2] = {{"POST", keep(order_path(id1, "/settle")), adv, pay, NULL, {0}},
                             {"POST", keep(order_path(id1, "/settle")), m, pay, NULL, {0}}};
        assert_int_equal(race(s, 2, 200, 409), 1);
        json_t *paid = call("GET", order_path(id1, NULL), m, NULL, 200);
        assert_int_equal(json_array_size(json_object_get(paid, "payments")), 1);
        json_decref(paid);
    }
    srv_clock_set(SRV, 0);
}

/* RO-7, CRM-3: a company customer's order settled on account opens a receivable, paid later in
 * parts; an individual cannot run an account. */
static void test_repair_order_on_account(void **state)
{
    (void)state;
    struct workshop w;
    setup_store(&w, 2, 2);
    const char *adv = store_user(&w.st, "advisor");
    const char *shop = store_user(&w.st, "workshop");
    json_t *cu = call("POST", "/api/v1/customers", adv,
                      "{\"name\":\"深圳某物流公司\",\"type\":\"company\",\"phones\":[{\"number\":"
                      "\"075512345678\",\"label\":\"work\"}]}",
                      201);
    int64_t v = new_vehicle(adv, jint(cu, "id"));
    json_decref(cu);
    json_t *o = walk_in(adv, v, w.op, NULL, 201);
    int64_t id = jint(o, "id");
    json_decref(o);
    order_status_ok(shop, id, "in_progress", NULL);
    order_status_ok(shop, id, "qc", NULL);
    order_status_ok(shop, id, "ready", NULL);
    /* Nothing is sent against consent: the company gave none (RO-5's message suppressed). */
    json_t *msgs = call("GET", fmt("/api/v1/messages?vehicle_id=%lld&kind=car_ready", (long long)v),
                        adv, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(msgs, "items")), 1);
    assert_string_equal(jstr(json_array_get(json_object_get(msgs, "items"), 0), "status"),
                        "suppressed");
    json_decref(msgs);
    o = call("POST", order_path(id, "/settle"), adv,
             "{\"payments\":[{\"method\":\"cash\",\"amount_fen\":5000},{\"method\":\"on_account\","
             "\"amount_fen\":15000}]}",
             200);
    int64_t rid = jint(o, "receivable_id");
    json_decref(o);
    json_t *list = call("GET", "/api/v1/receivables?status=open", adv, NULL, 200);
    json_t *r = item_with_id(json_object_get(list, "items"), rid);
    assert_non_null(r);
    assert_int_equal(jint(r, "amount_fen"), 15000);
    assert_int_equal(jint(r, "paid_fen"), 0);
    assert_string_equal(jstr(r, "due_date"), dd(30));
    assert_false(json_is_true(json_object_get(r, "overdue")));
    json_decref(list);
    const char *pay = keep(fmt("/api/v1/receivables/%lld/payments", (long long)rid));
    json_decref(call("POST", pay, adv, "{\"method\":\"transfer\",\"amount_fen\":10000}", 200));
    rejected("POST", pay, adv, "{\"method\":\"transfer\",\"amount_fen\":5001}", 400,
             "invalid_field", "amount_fen");
    rejected("POST", pay, adv, "{\"method\":\"on_account\",\"amount_fen\":100}", 400,
             "invalid_field", "method");
    json_t *done = call("POST", pay, adv, "{\"method\":\"transfer\",\"amount_fen\":5000}", 200);
    assert_string_equal(jstr(done, "status"), "paid");
    json_decref(done);
    rejected("GET", "/api/v1/receivables", shop, NULL, 403, "forbidden", NULL);
    rejected("POST", fmt("/api/v1/receivables/%lld/payments", (long long)rid), tok(U_ADVISOR),
             "{\"method\":\"cash\",\"amount_fen\":1}", 404, "not_found", NULL);
    srv_clock_set(SRV, 0);
}

/* RO-6: cancelling gives the parts back (issued ones to the shelf); RO-4: declined work done
 * by a later order is no longer offered. */
static void test_repair_order_cancel_and_declined_work_done(void **state)
{
    (void)state;
    struct workshop w;
    setup_store(&w, 2, 2);
    const char *m = w.m;
    const char *adv = store_user(&w.st, "advisor");
    const char *shop = store_user(&w.st, "workshop");
    const char *pno = part_new(m, 3000, 3, 3);
    const char *brake = op_new(m, "repair", "1", "general", "mechanical", 30000);
    int64_t v = car(m);
    json_t *o = walk_in(adv, v, w.op, fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":2}]", pno), 201);
    int64_t id = jint(o, "id");
    json_decref(o);
    assert_int_equal(part_field(m, pno, "reserved"), 2);
    json_t *found = call("POST", order_path(id, "/lines"), adv,
                         fmt("{\"op\":\"%s\",\"needs_approval\":true}", brake), 201);
    json_decref(call("POST",
                     order_path(id, fmt("/lines/%lld/decision", (long long)jint(found, "id"))), adv,
                     "{\"approved\":false,\"via\":\"in_person\"}", 200));
    json_decref(found);
    order_status_ok(shop, id, "in_progress", NULL);
    assert_int_equal(part_field(m, pno, "on_hand"), 1);
    rejected("POST", order_path(id, "/status"), adv, "{\"status\":\"cancelled\"}", 400,
             "missing_field", "reason");
    order_status_ok(adv, id, "cancelled", ",\"reason\":\"客户改主意\"");
    assert_int_equal(part_field(m, pno, "on_hand"), 3);
    assert_int_equal(part_field(m, pno, "reserved"), 0);
    rejected("POST", order_path(id, "/status"), adv, "{\"status\":\"in_progress\"}", 403,
             "forbidden", NULL);
    rejected("POST", order_path(id, "/status"), shop, "{\"status\":\"in_progress\"}", 409,
             "invalid_transition", "status");
    /* The declined brake job is offered until an order does it. */
    json_t *car_now = call("GET", fmt("/api/v1/vehicles/%lld", (long long)v), adv, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(car_now, "declined_work")), 1);
    json_decref(car_now);
    clock_local(at(1, "09:00"));
    o = walk_in(adv, v, brake, NULL, 201);
    int64_t again = jint(o, "id");
    json_decref(o);
    order_deliver(m, again);
    car_now = call("GET", fmt("/api/v1/vehicles/%lld", (long long)v), adv, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(car_now, "declined_work")), 0);
    json_decref(car_now);
    /* Dismissing: another car's declined work, dismissed by the caller. */
    int64_t v2 = car(m);
    o = walk_in(adv, v2, w.op, NULL, 201);
    found = call("POST", order_path(jint(o, "id"), "/lines"), adv,
                 fmt("{\"op\":\"%s\",\"needs_approval\":true}", brake), 201);
    json_decref(
        call("POST",
             order_path(jint(o, "id"), fmt("/lines/%lld/decision", (long long)jint(found, "id"))),
             adv, "{\"approved\":false,\"via\":\"phone\"}", 200));
    json_decref(o), json_decref(found);
    car_now = call("GET", fmt("/api/v1/vehicles/%lld", (long long)v2), adv, NULL, 200);
    int64_t item = jint(json_array_get(json_object_get(car_now, "declined_work"), 0), "id");
    json_decref(car_now);
    const char *dismiss = keep(
        fmt("/api/v1/vehicles/%lld/declined-work/%lld/dismiss", (long long)v2, (long long)item));
    rejected("POST", dismiss, shop, NULL, 403, "forbidden", NULL);
    json_decref(call("POST", dismiss, store_user(&w.st, "caller"), NULL, 200));
    rejected("POST", dismiss, adv, NULL, 404, "not_found", NULL);
    srv_clock_set(SRV, 0);
}

/* Roles and stores: another store's order is not found; the warranty clerk's list holds the
 * orders the brand pays for. */
static void test_repair_order_roles_and_stores(void **state)
{
    (void)state;
    struct workshop w;
    setup_store(&w, 2, 2);
    const char *m = w.m;
    const char *adv = store_user(&w.st, "advisor");
    const char *warr = store_user(&w.st, "warranty");
    json_t *o = walk_in(adv, car(m), w.op, NULL, 201);
    int64_t plain = jint(o, "id");
    json_decref(o);
    o = walk_in(adv, car(m), w.op, NULL, 201);
    int64_t brand = jint(o, "id");
    json_decref(o);
    json_decref(call("POST", order_path(brand, "/lines"), adv,
                     fmt("{\"op\":\"%s\",\"payer\":\"warranty\"}", w.op), 201));
    const char *other = tok(U_ADVISOR);
    rejected("GET", order_path(plain, NULL), other, NULL, 404, "not_found", NULL);
    rejected("POST", order_path(plain, "/status"), other,
             "{\"status\":\"cancelled\",\"reason\":\"x\"}", 404, "not_found", NULL);
    rejected("POST", order_path(plain, "/lines"), other, fmt("{\"op\":\"%s\"}", w.op), 404,
             "not_found", NULL);
    rejected("PATCH", order_path(plain, NULL), other, "{\"waiting\":true}", 404, "not_found", NULL);
    json_t *list = call("GET", ORDERS, warr, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(list, "items")), 1);
    assert_int_equal(jint(json_array_get(json_object_get(list, "items"), 0), "id"), brand);
    json_decref(list);
    assert_int_equal(items_count(ORDERS, adv), 2);
    /* Bad lines. */
    rejected("POST", order_path(plain, "/lines"), adv, "{}", 400, "missing_field", "op");
    rejected("POST", order_path(plain, "/lines"), adv, "{\"op\":\"X\",\"part_no\":\"Y\",\"qty\":1}",
             400, "missing_field", "op");
    rejected("POST", order_path(plain, "/lines"), adv, "{\"part_no\":\"NOPE\",\"qty\":1}", 422,
             "unknown_part", "part_no");
    rejected("POST", order_path(plain, "/lines"), adv, "{\"part_no\":\"NOPE\",\"qty\":0}", 400,
             "invalid_field", "qty");
    rejected("POST", order_path(plain, "/lines"), adv,
             fmt("{\"op\":\"%s\",\"payer\":\"boss\"}", w.op), 400, "invalid_field", "payer");
    rejected("POST", order_path(plain, "/lines"), store_user(&w.st, "caller"),
             fmt("{\"op\":\"%s\"}", w.op), 403, "forbidden", NULL);
    /* PATCH the reception fields. */
    o = call("PATCH", order_path(plain, NULL), adv,
             fmt("{\"waiting\":true,\"promised_at\":\"%s\",\"fuel_eighths\":null}", at(0, "16:00")),
             200);
    assert_true(json_is_true(json_object_get(o, "waiting")));
    assert_string_equal(jstr(o, "promised_at"), at(0, "16:00"));
    json_decref(o);
    rejected("PATCH", order_path(plain, NULL), adv, "{\"waiting\":null}", 400, "invalid_field",
             "waiting");
    srv_clock_set(SRV, 0);
}

/* CS-5: a recall's order (check-in with its campaign) is of kind recall, and its delivery
 * completes the car's campaign entry and closes its call. */
static void test_repair_order_recall_completes_campaign(void **state)
{
    (void)state;
    struct workshop w;
    setup_store(&w, 2, 2);
    const char *m = w.m;
    const char *adv = store_user(&w.st, "advisor");
    int64_t v = car(m);
    json_t *car_now = call("GET", fmt("/api/v1/vehicles/%lld", (long long)v), m, NULL, 200);
    const char *vin = keep(jstr(car_now, "vin"));
    json_decref(car_now);
    json_t *k = call("POST", "/api/v1/campaigns", m,
                     fmt("{\"kind\":\"recall\",\"name\":\"气囊召回\",\"channel\":\"call\","
                         "\"template\":\"气囊召回\",\"selection\":{\"vins\":[\"%s\"]}}",
                         vin),
                     201);
    int64_t campaign = jint(k, "id");
    json_decref(k);
    json_t *o = walk_in(adv, v, w.op, fmt(",\"campaign_id\":%lld", (long long)campaign), 201);
    int64_t id = jint(o, "id");
    assert_string_equal(jstr(o, "kind"), "recall");
    assert_int_equal(jint(o, "campaign_id"), campaign);
    json_decref(o);
    rejected("POST", ORDERS, adv,
             fmt("{\"vehicle_id\":%lld,\"mileage_km\":6000,\"ops\":[\"%s\"],"
                 "\"campaign_id\":999999999}",
                 (long long)car(m), w.op),
             404, "not_found", "campaign_id");
    /* A car outside the campaign, and a second order for the same car's campaign work. */
    rejected("POST", ORDERS, adv,
             fmt("{\"vehicle_id\":%lld,\"mileage_km\":6000,\"ops\":[\"%s\"],"
                 "\"campaign_id\":%lld}",
                 (long long)car(m), w.op, (long long)campaign),
             400, "invalid_field", "campaign_id");
    order_deliver(m, id);
    clock_local(at(0, "15:00"));
    rejected("POST", ORDERS, adv,
             fmt("{\"vehicle_id\":%lld,\"mileage_km\":6000,\"ops\":[\"%s\"],"
                 "\"campaign_id\":%lld}",
                 (long long)v, w.op, (long long)campaign),
             400, "invalid_field", "campaign_id");
    json_t *rows =
        call("GET", fmt("/api/v1/campaigns/%lld/vehicles", (long long)campaign), m, NULL, 200);
    json_t *row = json_array_get(json_object_get(rows, "items"), 0);
    assert_string_equal(jstr(row, "status"), "completed");
    o = call("GET", order_path(id, NULL), m, NULL, 200);
    assert_int_equal(jint(row, "service_record_id"), jint(o, "service_record_id"));
    json_decref(o);
    json_decref(rows);
    srv_clock_set(SRV, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repair_order_booked_car_whole_loop),
        cmocka_unit_test(test_repair_order_check_in_refusals),
        cmocka_unit_test(test_repair_order_walk_ins_and_queue),
        cmocka_unit_test(test_repair_order_races),
        cmocka_unit_test(test_repair_order_on_account),
        cmocka_unit_test(test_repair_order_cancel_and_declined_work_done),
        cmocka_unit_test(test_repair_order_roles_and_stores),
        cmocka_unit_test(test_repair_order_recall_completes_campaign),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
