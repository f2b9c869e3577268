/* An appointment's life over HTTP (IN-11, IN-16..IN-19): every status transition and the refused
 * ones, parts released or issued, rescheduling, dispatch to a technician, and the audit log of
 * each write. The other booking tests: test_appointments_slots.c, _cases.c and _failures.c.
 *
 * Every test runs in a store of its own (workshop_new or store_new), so that "the store has one
 * bay of this kind" holds whatever the other tests do. Bookings are refused in the past and "today"
 * is the store's day (Asia/Shanghai) while the tests run at any hour: they book from tomorrow on
 * (day_at(1, ...)). */
#include "appointment_checks.h"

/* ---- the life cycle (IN-16..IN-19) ---- */

/* Every allowed transition, and refused ones (409 invalid_transition, nothing changed). */
static void test_life_cycle_transitions(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 3, 3);
    const char *m = w.m, *op = w.op;
    const char *adv = store_user(&w.st, "advisor");
    const char *shop = store_user(&w.st, "workshop");

    /* confirmed -> arrived -> in_service -> completed, the last three through the repair
     * order (RO-1, RO-5, RO-7): not by hand, and not before the booking's day. */
    int64_t a = booked(&w.st, adv, op, 1, "09:00", NULL);
    int64_t b = booked(&w.st, adv, op, 1, "09:00", NULL);
    int64_t c = booked(&w.st, adv, op, 1, "09:00", NULL);
    int64_t d = booked(&w.st, adv, op, 2, "09:00", NULL);
    status_refused(adv, a, "in_service", 409, "invalid_transition");
    status_refused(adv, a, "completed", 409, "invalid_transition");
    status_refused(adv, a, "tentative", 409, "invalid_transition");
    status_refused(adv, a, "confirmed", 409, "invalid_transition");
    status_refused(adv, a, "arrived", 409, "repair_order_required");
    status_refused(adv, b, "no_show", 422, "not_today");
    clock_local(day_at(1, "08:30"));
    json_t *o = call("POST", ORDERS, adv,
                     fmt("{\"appointment_id\":%lld,\"vehicle_id\":%lld,\"mileage_km\":100}",
                         (long long)d, (long long)appt_vehicle(adv, d)),
                     422);
    json_decref(o);
    int64_t order = check_in(adv, a);
    status_refused(adv, a, "confirmed", 409, "invalid_transition");
    status_refused(adv, a, "no_show", 409, "invalid_transition");
    status_refused(shop, a, "completed", 409, "invalid_transition");
    status_refused(shop, a, "in_service", 409, "repair_order_required");
    status_refused(adv, a, "cancelled", 409, "repair_order_required");
    order_status_ok(shop, order, "in_progress", NULL);
    assert_string_equal(appt_status(adv, a), "in_service");
    status_refused(adv, a, "cancelled", 409, "invalid_transition");
    status_refused(adv, a, "arrived", 409, "invalid_transition");
    status_refused(shop, a, "completed", 409, "repair_order_required");
    order_deliver(m, order);
    assert_string_equal(appt_status(adv, a), "completed");
    /* completed is final */
    status_refused(adv, a, "cancelled", 409, "invalid_transition");
    status_refused(shop, a, "in_service", 409, "invalid_transition");

    /* confirmed -> no_show (final), on its day */
    status_ok(adv, b, "no_show");
    status_refused(adv, b, "arrived", 409, "invalid_transition");
    status_refused(adv, b, "cancelled", 409, "invalid_transition");
    /* confirmed -> cancelled (final) */
    status_ok(adv, c, "cancelled");
    status_refused(adv, c, "confirmed", 409, "invalid_transition");
    status_refused(adv, c, "arrived", 409, "invalid_transition");
    /* arrived -> cancelled: the order is cancelled, and its booking with it */
    clock_local(day_at(2, "08:30"));
    order = check_in(adv, d);
    assert_string_equal(appt_status(adv, d), "arrived");
    order_status_ok(m, order, "cancelled", ",\"reason\":\"客户临时有事\"");
    assert_string_equal(appt_status(adv, d), "cancelled");
    srv_clock_set(SRV, 0);
    /* tentative -> cancelled; tentative -> confirmed needs a time */
    json_t *t = call("POST", APPTS, adv, booking_for_day(car(m), op, day_str(12), NULL), 201);
    int64_t e = jint(t, "id");
    int64_t ev = jint(json_object_get(t, "vehicle"), "id");
    json_decref(t);
    status_refused(adv, e, "confirmed", 409, "invalid_transition");
    status_refused(adv, e, "arrived", 409, "invalid_transition");
    status_ok(adv, e, "cancelled");
    /* Cancelling closes the confirmation call. */
    assert_int_equal(confirm_task_count(m, ev, "open"), 0);

    /* A cancelled booking frees its slot: the three bays hold b (no-show), c (cancelled) and
     * a (completed) at 09:00 tomorrow; the no-show and cancellation no longer hold theirs.
     * (Booked at the real clock again, where 09:00 tomorrow is still to come.) */
    json_decref(book(adv, car(m), op, day_at(1, "09:00"), NULL));
    json_decref(book(adv, car(m), op, day_at(1, "09:00"), NULL));

    /* Bad statuses. */
    rejected("POST", fmt(APPTS "/%lld/status", (long long)a), adv, "{\"status\":\"done\"}", 400,
             "invalid_field", "status");
    rejected("POST", fmt(APPTS "/%lld/status", (long long)a), adv, "{}", 400, "missing_field",
             "status");
    rejected("POST", APPTS "/999999999/status", adv, "{\"status\":\"arrived\"}", 404, "not_found",
             NULL);
}

/* Cancelling gives reserved parts back, a no-show keeps them (RO-9); the order's start issues
 * them (RO-6). */
static void test_parts_released_and_issued(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    const char *pno = part_new(m, 1000, 6, 3);
    const char *two = keep(fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":2}]", pno));

    int64_t a = booked(&w.st, m, op, 1, "09:00", two);
    int64_t b = booked(&w.st, m, op, 1, "11:00", two);
    int64_t c = booked(&w.st, m, op, 1, "14:00", two);
    assert_stock(m, pno, 6, 6, 0);
    /* Nothing left: a fourth is short. */
    json_decref(refusal("POST", APPTS, m, booking(car(m), op, day_at(2, "09:00"), two), 422,
                        "parts_unavailable"));

    status_ok(m, a, "cancelled");
    assert_string_equal(part_state(m, a, pno), "released");
    assert_stock(m, pno, 6, 4, 0);
    assert_false(on_shelf(m, "appointment", a, pno));
    /* RO-9: a no-show's parts stay reserved for a while in case the customer rebooks
     * (released later by the no-show run, test_no_shows.c). */
    clock_local(day_at(1, "08:00"));
    status_ok(m, b, "no_show");
    assert_string_equal(part_state(m, b, pno), "reserved");
    assert_stock(m, pno, 6, 4, 0);
    /* RO-6: the job starts: its reserved parts are issued. */
    int64_t order = check_in(m, c);
    assert_stock(m, pno, 6, 4, 0);
    order_status_ok(m, order, "in_progress", NULL);
    assert_string_equal(part_state(m, c, pno), "issued");
    assert_stock(m, pno, 4, 2, 0);
    assert_false(on_shelf(m, "appointment", c, pno));
    order_deliver(m, order);
    assert_stock(m, pno, 4, 2, 0);
    srv_clock_set(SRV, 0);
    /* What is free can be booked again; the no-show's two are still held. */
    booked(&w.st, m, op, 2, "09:00", two);
    assert_stock(m, pno, 4, 4, 0);
}

/* Rescheduling moves the booking and frees its old slot; the same checks and refusals as a
 * booking, its own hold left out. */
static void test_reschedule_frees_old_slot(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    const char *adv = store_user(&w.st, "advisor");
    const char *pno = part_new(m, 1000, 1, 3);
    int64_t a = booked(&w.st, adv, op, 1, "09:00",
                       keep(fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":1}]", pno)));
    const char *path = keep(fmt(APPTS "/%lld", (long long)a));

    /* Its own hold does not stand in its way: half an hour later on the same bay. */
    json_t *j = call("PATCH", path, adv, fmt("{\"start\":\"%s\"}", day_at(1, "09:30")), 200);
    assert_string_equal(jstr(j, "start"), day_at(1, "09:30"));
    json_decref(j);
    j = call("PATCH", path, adv, fmt("{\"start\":\"%s\"}", day_at(1, "14:00")), 200);
    assert_string_equal(jstr(j, "status"), "confirmed");
    assert_string_equal(jstr(j, "start"), day_at(1, "14:00"));
    assert_string_equal(jstr(j, "end"), day_at(1, "15:00"));
    assert_string_equal(jstr(j, "hold_until"), day_at(1, "15:30"));
    /* The part stays reserved once. */
    assert_string_equal(jstr(appt_part(j, pno), "state"), "reserved");
    json_decref(j);
    assert_stock(m, pno, 1, 1, 0);
    assert_int_equal(items_count(fmt(APPTS "?date=%s", day_str(1)), m), 1);

    /* The old slot is free: another job takes it. */
    int64_t b = booked(&w.st, adv, op, 1, "09:00", NULL);
    /* Moving back into it now: taken, with options; nothing changes. */
    char *before = snapshot(path, adv);
    assert_true(refused_with_options("PATCH", path, adv,
                                     fmt("{\"start\":\"%s\"}", day_at(1, "09:00")),
                                     "slot_taken") >= 1);
    refused_with_options("PATCH", path, adv, fmt("{\"start\":\"%s\"}", day_at(1, "12:30")),
                         "slot_unavailable");
    refused_4xx("PATCH", path, adv, "{\"start\":\"tomorrow\"}");
    refused_4xx("PATCH", path, adv, "{}");
    refused_4xx("PATCH", path, adv, fmt("{\"start\":\"%s\",\"ops\":[]}", day_at(2, "09:00")));
    assert_unchanged(path, adv, before);
    /* To another day. */
    j = call("PATCH", path, adv, fmt("{\"start\":\"%s\"}", day_at(5, "10:00")), 200);
    assert_string_equal(jstr(j, "date"), day_str(5));
    json_decref(j);
    /* A finished booking is not moved. */
    status_ok(adv, b, "cancelled");
    status_refused(adv, b, "confirmed", 409, "invalid_transition");
    rejected("PATCH", fmt(APPTS "/%lld", (long long)b), adv,
             fmt("{\"start\":\"%s\"}", day_at(3, "09:00")), 409, "invalid_transition", NULL);
    /* Another store's booking is not found. */
    rejected("PATCH", path, tok(U_ADVISOR), fmt("{\"start\":\"%s\"}", day_at(3, "09:00")), 404,
             "not_found", NULL);
    rejected("GET", path, tok(U_ADVISOR), NULL, 404, "not_found", NULL);
}

/* IN-11: the workshop dispatches a job to a technician with the skills who works that day
 * and is free then. */
static void test_dispatch(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 2, 2);
    const char *m = w.m, *op = w.op;
    const char *adv = store_user(&w.st, "advisor");
    const char *shop = store_user(&w.st, "workshop");
    int64_t t1 = w.tech[0], t2 = w.tech[1];
    int64_t t3 = tech_new(m, "[\"electrical\"]", NULL);
    int64_t t4 = tech_new(m, "[\"mechanical\",\"electrical\"]", NULL);
    const char *other_day = weekday_name(test_today() + 2); /* not tomorrow's weekday */
    int64_t t5 = tech_new(m, "[\"mechanical\"]", fmt("[\"%s\"]", other_day));

    json_t *j = book(adv, car(m), op, day_at(1, "09:00"), NULL);
    int64_t a = jint(j, "id");
    assert_int_equal(jint(j, "technician_id"), t1);
    json_decref(j);
    j = book(adv, car(m), op, day_at(1, "09:00"), NULL);
    assert_int_equal(jint(j, "technician_id"), t2);
    json_decref(j);
    const char *path = keep(fmt(APPTS "/%lld/dispatch", (long long)a));

    char *before = snapshot(fmt(APPTS "/%lld", (long long)a), m);
    /* Busy then: taken. */
    refused_with_options("POST", path, shop, fmt("{\"technician_id\":%lld}", (long long)t2),
                         "slot_taken");
    /* Without the skill, or not working that weekday: unavailable. */
    refused_with_options("POST", path, shop, fmt("{\"technician_id\":%lld}", (long long)t3),
                         "slot_unavailable");
    j = refusal("POST", path, shop, fmt("{\"technician_id\":%lld}", (long long)t5), 409,
                "slot_unavailable");
    json_decref(j);
    /* The advisor does not dispatch. */
    rejected("POST", path, adv, fmt("{\"technician_id\":%lld}", (long long)t4), 403, "forbidden",
             NULL);
    rejected("POST", path, shop, "{}", 400, "missing_field", "technician_id");
    rejected("POST", path, shop, "{\"technician_id\":\"x\"}", 400, "invalid_field",
             "technician_id");
    rejected("POST", path, shop, "{\"technician_id\":999999999}", 404, "not_found", NULL);
    assert_unchanged(fmt(APPTS "/%lld", (long long)a), m, before);

    j = call("POST", path, shop, fmt("{\"technician_id\":%lld}", (long long)t4), 200);
    assert_int_equal(jint(j, "technician_id"), t4);
    assert_string_equal(jstr(j, "start"), day_at(1, "09:00"));
    json_decref(j);
    /* Back to t1, free again, by the service manager. */
    j = call("POST", path, m, fmt("{\"technician_id\":%lld}", (long long)t1), 200);
    assert_int_equal(jint(j, "technician_id"), t1);
    json_decref(j);
    assert_true(
        items_count(fmt("/api/v1/audit?entity=appointment&entity_id=%lld", (long long)a), m) >= 3);
}

/* Every write is in the audit log, in the same transaction. */
static void test_audit_of_a_booking(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m;
    const char *adv = store_user(&w.st, "advisor");
    int64_t id = booked(&w.st, adv, w.op, 1, "09:00", NULL);
    json_t *j = call("GET", fmt("/api/v1/audit?entity=appointment&entity_id=%lld", (long long)id),
                     m, NULL, 200);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *e = json_array_get(items, 0);
    assert_string_equal(jstr(e, "action"), "create");
    assert_string_equal(jstr(e, "entity"), "appointment");
    assert_int_equal(jint(e, "entity_id"), id);
    assert_non_null(jstr(e, "actor"));
    json_t *status = json_object_get(json_object_get(e, "changes"), "status");
    assert_true(json_is_array(status));
    assert_string_equal(json_string_value(json_array_get(status, 1)), "confirmed");
    json_decref(j);
    json_t *me = call("GET", "/api/v1/me", adv, NULL, 200);
    j = call("GET", fmt("/api/v1/audit?entity=appointment&entity_id=%lld", (long long)id), m, NULL,
             200);
    const char *username = jstr(me, "username");
    if (username)
        assert_string_equal(jstr(json_array_get(json_object_get(j, "items"), 0), "actor"),
                            username);
    json_decref(j);
    json_decref(me);
    status_ok(adv, id, "cancelled");
    j = call("GET", fmt("/api/v1/audit?entity=appointment&entity_id=%lld", (long long)id), m, NULL,
             200);
    items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 2);
    e = json_array_get(items, 0);
    assert_string_equal(jstr(e, "action"), "update");
    status = json_object_get(json_object_get(e, "changes"), "status");
    assert_string_equal(json_string_value(json_array_get(status, 0)), "confirmed");
    assert_string_equal(json_string_value(json_array_get(status, 1)), "cancelled");
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_life_cycle_transitions),
        cmocka_unit_test(test_parts_released_and_issued),
        cmocka_unit_test(test_reschedule_frees_old_slot),
        cmocka_unit_test(test_dispatch),
        cmocka_unit_test(test_audit_of_a_booking),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
