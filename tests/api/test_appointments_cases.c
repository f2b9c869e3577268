/* Booking over HTTP (IN-4..IN-7, IN-10, IN-12, IN-14, IN-15, IN-18, IN-19): the four cases with
 * their estimate and parts, a chosen bay, technician and call task, parts to order (case D) and
 * their purchase order received, and flexible bookings (a day, a period) fixed later by the
 * confirmation call. The other booking tests: test_appointments_slots.c, _lifecycle.c and
 * _failures.c.
 *
 * Every test runs in a store of its own (workshop_new or store_new), so that "the store has one
 * bay of this kind" holds whatever the other tests do. Bookings are refused in the past and "today"
 * is the store's day (Asia/Shanghai) while the tests run at any hour: they book from tomorrow on
 * (day_at(1, ...)). */
#include "appointment_checks.h"

#include <string.h>

/* The one open appointment_confirm task of a vehicle (there must be exactly one): its due
 * date (kept), and its id into *id when id is not NULL. */
static const char *open_confirm_task(const char *token, int64_t vehicle, int64_t *id)
{
    json_t *j = call("GET",
                     fmt("/api/v1/tasks?type=appointment_confirm&vehicle_id=%lld&status=open",
                         (long long)vehicle),
                     token, NULL, 200);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 1);
    const char *due = keep(jstr(json_array_get(items, 0), "due_date"));
    if (id)
        *id = jint(json_array_get(items, 0), "id");
    json_decref(j);
    return due;
}

/* ---- booking (IN-4..IN-7, IN-10) ---- */

/* The four cases (IN-6) with their estimate (IN-10: labour = hours x rate, half up to the
 * fen; parts = qty x price) and their parts. */
static void test_book_cases_a_b_c(void **state)
{
    (void)state;
    struct test_store st;
    store_new(&st);
    const char *m = st.manager;
    int64_t qbay = bay_new(m, "quick_service");
    int64_t gbay = bay_new(m, "general");
    int64_t t = tech_new(m, "[\"maintenance\",\"mechanical\"]", NULL);
    /* 0.5 h x 123.45 yuan = 6172.5 fen: 6173. */
    const char *oil = op_new(m, "maintenance", "0.5", "quick_service", "maintenance", 12345);
    /* 0.25 h x 100.02 yuan = 2500.5 fen: 2501. */
    const char *fix = op_new(m, "repair", "0.25", "general", "mechanical", 10002);
    const char *filter = part_new(m, 3000, 4, 3);
    const char *pad = part_new(m, 4550, 5, 3);

    /* A: maintenance (its parts in stock are reserved, it stays case A). */
    int64_t va = car(m);
    json_t *a = book(m, va, oil, day_at(1, "09:00"),
                     fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":1}],\"customer_words\":"
                         "\"保养，顺便看看雨刮\",\"services\":[\"wash\",\"pickup\"],\"source\":"
                         "\"outbound\"",
                         filter));
    int64_t ida = jint(a, "id");
    assert_true(ida > 0);
    assert_string_equal(jstr(a, "case"), "A");
    assert_string_equal(jstr(a, "status"), "confirmed");
    assert_string_equal(jstr(a, "flexibility"), "exact");
    assert_string_equal(jstr(a, "date"), day_str(1));
    assert_string_equal(jstr(a, "start"), day_at(1, "09:00"));
    assert_string_equal(jstr(a, "end"), day_at(1, "09:30"));
    assert_string_equal(jstr(a, "hold_until"), day_at(1, "10:00"));
    assert_int_equal(jint(a, "bay_id"), qbay);
    assert_int_equal(jint(a, "technician_id"), t);
    assert_non_null(jstr(a, "bay_name"));
    assert_non_null(jstr(a, "technician_name"));
    assert_int_equal(jint(json_object_get(a, "vehicle"), "id"), va);
    assert_string_equal(jstr(json_object_get(a, "vehicle"), "brand"), "大众");
    assert_string_equal(jstr(json_object_get(a, "customer"), "name"), "王小明");
    assert_string_equal(jstr(json_object_get(a, "customer"), "title"), "先生");
    assert_string_equal(jstr(a, "bay_kind"), "quick_service");
    assert_int_equal(jint(a, "duration_min"), 30);
    /* IN-4: the need in the customer's own words. */
    assert_string_equal(jstr(a, "customer_words"), "保养，顺便看看雨刮");
    assert_string_equal(jstr(a, "source"), "outbound");
    assert_int_equal(json_array_size(json_object_get(a, "services")), 2);
    assert_true(json_is_false(json_object_get(a, "wait_for_parts")));
    json_t *op0 = json_array_get(json_object_get(a, "ops"), 0);
    assert_string_equal(jstr(op0, "code"), oil);
    assert_string_equal(jstr(op0, "kind"), "maintenance");
    assert_true(json_number_value(json_object_get(op0, "hours")) == 0.5);
    assert_int_equal(jint(op0, "labour_fen"), 6173);
    json_t *e = json_object_get(a, "estimate");
    assert_int_equal(jint(e, "labour_fen"), 6173);
    assert_int_equal(jint(e, "parts_fen"), 3000);
    assert_int_equal(jint(e, "total_fen"), 9173);
    json_t *p = appt_part(a, filter);
    assert_non_null(p);
    assert_string_equal(jstr(p, "state"), "reserved");
    assert_string_equal(jstr(p, "shelf"), "appointment");
    assert_int_equal(jint(p, "qty"), 1);
    assert_int_equal(jint(p, "unit_price_fen"), 3000);
    assert_non_null(jstr(a, "created_at"));
    json_decref(a);
    assert_stock(m, filter, 4, 1, 0);
    /* The same, read back. */
    a = call("GET", fmt(APPTS "/%lld", (long long)ida), m, NULL, 200);
    assert_string_equal(jstr(a, "case"), "A");
    assert_int_equal(jint(json_object_get(a, "estimate"), "total_fen"), 9173);
    json_decref(a);

    /* B: a repair without parts (the one technician is free again at 10:00). */
    json_t *b = book(m, car(m), fix, day_at(1, "10:00"), NULL);
    int64_t idb = jint(b, "id");
    assert_string_equal(jstr(b, "case"), "B");
    assert_int_equal(jint(b, "bay_id"), gbay);
    assert_string_equal(jstr(b, "end"), day_at(1, "10:15"));
    assert_int_equal(json_array_size(json_object_get(b, "parts")), 0);
    e = json_object_get(b, "estimate");
    assert_int_equal(jint(e, "labour_fen"), 2501);
    assert_int_equal(jint(e, "parts_fen"), 0);
    assert_int_equal(jint(e, "total_fen"), 2501);
    assert_string_equal(jstr(b, "source"), "inbound"); /* the default */
    json_decref(b);

    /* C: a repair with every part in stock: reserved. */
    json_t *c = book(m, car(m), fix, day_at(2, "10:00"),
                     fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":2}]", pad));
    int64_t idc = jint(c, "id");
    assert_string_equal(jstr(c, "case"), "C");
    e = json_object_get(c, "estimate");
    assert_int_equal(jint(e, "labour_fen"), 2501);
    assert_int_equal(jint(e, "parts_fen"), 9100);
    assert_int_equal(jint(e, "total_fen"), 11601);
    p = appt_part(c, pad);
    assert_string_equal(jstr(p, "state"), "reserved");
    assert_string_equal(jstr(p, "shelf"), "appointment");
    assert_true(json_is_null(json_object_get(c, "parts_date")));
    json_decref(c);
    assert_stock(m, pad, 5, 2, 0);
    /* IN-12: labelled on the appointment shelf. */
    assert_true(on_shelf(m, "appointment", idc, pad));
    assert_false(on_shelf(m, "waiting_for_parts", idc, pad));

    /* The day's list, by start. */
    json_t *l = call("GET", fmt(APPTS "?date=%s", day_str(1)), m, NULL, 200);
    json_t *items = json_object_get(l, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_true(item_with_id(items, ida) && item_with_id(items, idb));
    json_decref(l);
    assert_int_equal(items_count(fmt(APPTS "?vehicle_id=%lld", (long long)va), m), 1);
    rejected("GET", APPTS, m, NULL, 400, "missing_field", NULL);
}

/* A booking may name the bay and the technician (the same checks apply to them) and the
 * call task it came from. */
static void test_book_chosen_bay_technician_and_task(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 2, 2);
    const char *m = w.m, *op = w.op;
    int64_t b1 = w.bay[0], b2 = w.bay[1], t1 = w.tech[0], t2 = w.tech[1];
    int64_t paint = bay_new(m, "paint");
    int64_t t3 = tech_new(m, "[\"paint\"]", NULL);
    int64_t v = car(m);
    json_t *task = call(
        "POST", "/api/v1/tasks", m,
        fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"vehicle_id\":%lld}", (long long)v), 201);
    int64_t task_id = jint(task, "id");
    json_decref(task);

    json_t *a = book(m, v, op, day_at(1, "09:00"),
                     fmt(",\"bay_id\":%lld,\"technician_id\":%lld,\"task_id\":%lld", (long long)b2,
                         (long long)t2, (long long)task_id));
    assert_int_equal(jint(a, "bay_id"), b2);
    assert_int_equal(jint(a, "technician_id"), t2);
    assert_int_equal(jint(a, "task_id"), task_id);
    json_decref(a);
    /* The chosen bay is now held; the other is free. */
    int64_t v2 = car(m);
    json_decref(
        refusal("POST", APPTS, m,
                booking(v2, op, day_at(1, "09:00"), keep(fmt(",\"bay_id\":%lld", (long long)b2))),
                409, "slot_taken"));
    json_decref(refusal(
        "POST", APPTS, m,
        booking(v2, op, day_at(1, "09:00"), keep(fmt(",\"technician_id\":%lld", (long long)t2))),
        409, "slot_taken"));
    /* A bay of another kind, a technician without the skill: unavailable. */
    json_decref(refusal(
        "POST", APPTS, m,
        booking(v2, op, day_at(1, "09:00"), keep(fmt(",\"bay_id\":%lld", (long long)paint))), 409,
        "slot_unavailable"));
    json_decref(refusal(
        "POST", APPTS, m,
        booking(v2, op, day_at(1, "09:00"), keep(fmt(",\"technician_id\":%lld", (long long)t3))),
        409, "slot_unavailable"));
    a = book(m, v2, op, day_at(1, "09:00"), NULL);
    assert_int_equal(jint(a, "bay_id"), b1);
    assert_int_equal(jint(a, "technician_id"), t1);
    json_decref(a);
}

/* Case D end to end (IN-5, IN-12, IN-19): the short part is ordered (on the open purchase
 * order expected today + lead time), waits on the "waiting for parts" shelf, cannot go into
 * service; the order received reserves it for the booking on the "appointment" shelf;
 * receiving twice is a conflict; completing issues it. */
static void test_case_d_end_to_end(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    const char *pm = store_user(&w.st, "parts_manager");
    const char *shop = store_user(&w.st, "workshop");
    const char *pno = part_new(m, 12000, 0, 2);
    int64_t v = car(m);
    const char *with_parts =
        keep(fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":3}],\"wait_for_parts\":true", pno));

    /* Before the parts can be there: unavailable, the options from parts_date on. */
    json_t *j = refusal("POST", APPTS, m, booking(v, op, day_at(1, "09:00"), with_parts), 409,
                        "slot_unavailable");
    size_t i;
    json_t *o;
    json_array_foreach(options_of(j), i, o)
    {
        assert_true(strcmp(jstr(o, "start"), day_str(2)) >= 0);
    }
    assert_true(json_array_size(json_object_get(j, "options")) >= 1);
    json_decref(j);

    json_t *a = book(m, v, op, day_at(2, "09:00"), with_parts);
    int64_t id = jint(a, "id");
    assert_string_equal(jstr(a, "case"), "D");
    assert_true(json_is_true(json_object_get(a, "wait_for_parts")));
    assert_string_equal(jstr(a, "parts_date"), day_str(2));
    json_t *p = appt_part(a, pno);
    assert_string_equal(jstr(p, "state"), "on_order");
    assert_string_equal(jstr(p, "shelf"), "waiting_for_parts");
    assert_string_equal(jstr(p, "expected_date"), day_str(2));
    assert_int_equal(jint(p, "lead_time_days"), 2);
    assert_int_equal(jint(json_object_get(a, "estimate"), "parts_fen"), 36000);
    assert_int_equal(jint(json_object_get(a, "estimate"), "total_fen"), 56000);
    json_decref(a);
    assert_stock(m, pno, 0, 0, 3);
    assert_true(on_shelf(m, "waiting_for_parts", id, pno));
    assert_false(on_shelf(m, "appointment", id, pno));

    /* The open purchase order expected on today + the lead time, its line for the booking. */
    j = call("GET", "/api/v1/purchase-orders?status=open", m, NULL, 200);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *po = json_array_get(items, 0);
    int64_t po_id = jint(po, "id");
    assert_string_equal(jstr(po, "status"), "open");
    assert_string_equal(jstr(po, "expected_date"), day_str(2));
    assert_true(json_is_null(json_object_get(po, "received_at")));
    json_t *line = json_array_get(json_object_get(po, "lines"), 0);
    assert_string_equal(jstr(line, "part_no"), pno);
    assert_int_equal(jint(line, "qty"), 3);
    assert_int_equal(jint(line, "appointment_id"), id);
    json_decref(j);
    j = call("GET", fmt("/api/v1/purchase-orders/%lld", (long long)po_id), m, NULL, 200);
    assert_int_equal(jint(j, "id"), po_id);
    json_decref(j);

    /* IN-18: the booking recorded a shortage per part it ordered, for the parts manager. */
    j = call("GET", "/api/v1/shortages", pm, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    json_t *sh = json_array_get(json_object_get(j, "items"), 0);
    assert_string_equal(jstr(sh, "part_no"), pno);
    assert_int_equal(jint(sh, "qty"), 3);
    assert_int_equal(jint(sh, "appointment_id"), id);
    assert_string_equal(jstr(sh, "cause"), "预约时库存不足：需要 3，可用 0");
    json_decref(j);

    /* A second case-D booking with the same lead time joins the same order. */
    int64_t v2 = car(m);
    json_t *a2 =
        book(m, v2, op, day_at(2, "14:00"),
             fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":1}],\"wait_for_parts\":true", pno));
    int64_t id2 = jint(a2, "id");
    json_decref(a2);
    assert_stock(m, pno, 0, 0, 4);
    j = call("GET", "/api/v1/purchase-orders?status=open", m, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    assert_int_equal(
        json_array_size(json_object_get(json_array_get(json_object_get(j, "items"), 0), "lines")),
        2);
    json_decref(j);
    /* The second is cancelled before the parts come: its line becomes plain stock. */
    status_ok(m, id2, "cancelled");
    assert_string_equal(part_state(m, id2, pno), "released");

    /* On its day the car is received; the job cannot start with a part still on order
     * (RO-6). */
    clock_local(day_at(2, "08:30"));
    int64_t order = check_in(m, id);
    json_decref(refusal("POST", fmt(ORDERS "/%lld/status", (long long)order), shop,
                        "{\"status\":\"in_progress\"}", 409, "parts_not_received"));

    /* Only the parts side receives. */
    rejected("POST", fmt("/api/v1/purchase-orders/%lld/receive", (long long)po_id),
             store_user(&w.st, "advisor"), NULL, 403, "forbidden", NULL);
    j = call("POST", fmt("/api/v1/purchase-orders/%lld/receive", (long long)po_id), pm, NULL, 200);
    assert_string_equal(jstr(j, "status"), "received");
    assert_non_null(jstr(j, "received_at"));
    json_decref(j);
    /* on hand up by 4; 3 reserved for the waiting booking, the cancelled one's 1 is free. */
    assert_stock(m, pno, 4, 3, 0);
    assert_string_equal(part_state(m, id, pno), "reserved");
    assert_true(on_shelf(m, "appointment", id, pno));
    assert_false(on_shelf(m, "waiting_for_parts", id, pno));
    assert_int_equal(items_count("/api/v1/purchase-orders?status=received", m), 1);

    /* Receiving twice changes nothing. */
    char *before = snapshot(fmt("/api/v1/parts/%s", pno), m);
    int64_t head = audit_head_of(m);
    rejected("POST", fmt("/api/v1/purchase-orders/%lld/receive", (long long)po_id), pm, NULL, 409,
             "conflict", NULL);
    assert_unchanged(fmt("/api/v1/parts/%s", pno), m, before);
    assert_int_equal(audit_head_of(m), head);

    /* Now into service: the parts are issued (out of stock); delivered, the booking is done. */
    order_status_ok(shop, order, "in_progress", NULL);
    assert_string_equal(appt_status(m, id), "in_service");
    order_deliver(m, order);
    assert_string_equal(appt_status(m, id), "completed");
    srv_clock_set(SRV, 0);
    assert_string_equal(part_state(m, id, pno), "issued");
    assert_stock(m, pno, 1, 0, 0);
    assert_false(on_shelf(m, "appointment", id, pno));
}

/* IN-15: a customer who knows the day but not the time: tentative, no bay, no parts taken, an
 * appointment_confirm call a week before (or today); PATCH start fixes it. */
static void test_flexible_date_then_fixed(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    int64_t bay = w.bay[0];
    const char *pno = part_new(m, 5000, 2, 3);
    int64_t v = car(m);

    json_t *a = call("POST", APPTS, m,
                     booking_for_day(v, op, day_str(10),
                                     fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":1}]", pno)),
                     201);
    int64_t id = jint(a, "id");
    assert_string_equal(jstr(a, "status"), "tentative");
    assert_string_equal(jstr(a, "flexibility"), "date");
    assert_string_equal(jstr(a, "date"), day_str(10));
    assert_true(json_is_null(json_object_get(a, "start")));
    assert_true(json_is_null(json_object_get(a, "bay_id")));
    assert_true(json_is_null(json_object_get(a, "technician_id")));
    assert_string_equal(jstr(appt_part(a, pno), "state"), "planned");
    json_decref(a);
    assert_stock(m, pno, 2, 0, 0);
    /* The call that fixes the time: due a week before. */
    int64_t task;
    assert_string_equal(open_confirm_task(m, v, &task), day_str(3));
    /* Without a time it cannot be confirmed. */
    status_refused(m, id, "confirmed", 409, "invalid_transition");

    /* The day given as the day of "start"; in three days: the call is due today. */
    int64_t v2 = car(m);
    a = call("POST", APPTS, m,
             fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\"],\"flexibility\":\"date\",\"start\":"
                 "\"%s\"}",
                 (long long)v2, op, day_at(3, "10:00")),
             201);
    assert_string_equal(jstr(a, "date"), day_str(3));
    assert_true(json_is_null(json_object_get(a, "start")));
    json_decref(a);
    assert_string_equal(open_confirm_task(m, v2, NULL), day_str(0));

    /* The call fixes it: confirmed, exact, a bay, the part reserved, the task done. */
    a = call("PATCH", fmt(APPTS "/%lld", (long long)id), m,
             fmt("{\"start\":\"%s\"}", day_at(10, "09:00")), 200);
    assert_string_equal(jstr(a, "status"), "confirmed");
    assert_string_equal(jstr(a, "flexibility"), "exact");
    assert_string_equal(jstr(a, "start"), day_at(10, "09:00"));
    assert_int_equal(jint(a, "bay_id"), bay);
    assert_true(jint(a, "technician_id") > 0);
    assert_string_equal(jstr(appt_part(a, pno), "state"), "reserved");
    json_decref(a);
    assert_stock(m, pno, 2, 1, 0);
    json_t *t = call("GET", fmt("/api/v1/tasks/%lld", (long long)task), m, NULL, 200);
    assert_string_equal(jstr(t, "status"), "done");
    json_decref(t);
    assert_int_equal(confirm_task_count(m, v, "open"), 0);
}

/* IN-14: a customer who knows only a period: no day, bay or parts; a call a week before the
 * period; the call fixes the day and time. */
static void test_flexible_period(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    int64_t v = car(m);
    json_t *a = call("POST", APPTS, m,
                     fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\"],\"flexibility\":\"period\","
                         "\"period_from\":\"%s\",\"period_to\":\"%s\",\"customer_words\":"
                         "\"下个月有空\"}",
                         (long long)v, op, day_str(20), day_str(30)),
                     201);
    int64_t id = jint(a, "id");
    assert_string_equal(jstr(a, "status"), "tentative");
    assert_string_equal(jstr(a, "flexibility"), "period");
    assert_string_equal(jstr(a, "period_from"), day_str(20));
    assert_string_equal(jstr(a, "period_to"), day_str(30));
    assert_true(json_is_null(json_object_get(a, "date")));
    assert_true(json_is_null(json_object_get(a, "start")));
    assert_true(json_is_null(json_object_get(a, "bay_id")));
    json_decref(a);
    assert_string_equal(open_confirm_task(m, v, NULL), day_str(13));
    /* Dispatch waits for the day (IN-14). */
    int64_t t = tech_new(m, "[\"mechanical\"]", NULL);
    refused_4xx("POST", fmt(APPTS "/%lld/dispatch", (long long)id), m,
                fmt("{\"technician_id\":%lld}", (long long)t));
    a = call("PATCH", fmt(APPTS "/%lld", (long long)id), m,
             fmt("{\"start\":\"%s\"}", day_at(22, "14:00")), 200);
    assert_string_equal(jstr(a, "status"), "confirmed");
    assert_string_equal(jstr(a, "date"), day_str(22));
    json_decref(a);
    assert_int_equal(confirm_task_count(m, v, "done"), 1);

    /* The period's bounds. */
    const char *bad[] = {
        /* ends before it starts */
        keep(fmt("\"period_from\":\"%s\",\"period_to\":\"%s\"", day_str(20), day_str(19))),
        /* longer than 62 days */
        keep(fmt("\"period_from\":\"%s\",\"period_to\":\"%s\"", day_str(5), day_str(70))),
        /* in the past */
        keep(fmt("\"period_from\":\"%s\",\"period_to\":\"%s\"", day_str(-3), day_str(5))),
        /* no start */
        keep(fmt("\"period_to\":\"%s\"", day_str(5))),
        /* not a date */
        keep(fmt("\"period_from\":\"%s\",\"period_to\":\"2031-02-30\"", day_str(5))),
    };
    int64_t v3 = car(m);
    int64_t head = audit_head_of(m);
    char *before = snapshot(fmt(APPTS "?vehicle_id=%lld", (long long)v3), m);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused_4xx("POST", APPTS, m,
                    fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\"],\"flexibility\":\"period\",%s}",
                        (long long)v3, op, bad[i]));
    assert_unchanged(fmt(APPTS "?vehicle_id=%lld", (long long)v3), m, before);
    assert_int_equal(audit_head_of(m), head);
    assert_int_equal(confirm_task_count(m, v3, "open"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_book_cases_a_b_c),
        cmocka_unit_test(test_book_chosen_bay_technician_and_task),
        cmocka_unit_test(test_case_d_end_to_end),
        cmocka_unit_test(test_flexible_date_then_fixed),
        cmocka_unit_test(test_flexible_period),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
