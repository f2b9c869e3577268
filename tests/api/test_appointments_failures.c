/* Bookings that do not happen, over HTTP (IN-5, IN-10): refusals with their options, parts
 * unavailable, failed booking calls and their conversion report, bad input and the roles that
 * may not book, move, dispatch or set a status; each refusal writes nothing. The other booking
 * tests: test_appointments_slots.c, _cases.c and _lifecycle.c.
 *
 * Every test runs in a store of its own (workshop_new or store_new), so that "the store has one
 * bay of this kind" holds whatever the other tests do. Bookings are refused in the past and "today"
 * is the store's day (Asia/Shanghai) while the tests run at any hour: they book from tomorrow on
 * (day_at(1, ...)). */
#include "appointment_checks.h"

/* ---- refused bookings (IN-5) ---- */

/* 409 slot_taken (another booking holds it) and slot_unavailable (closed, break, past
 * closing, in the past, no skill), each with fresh options; nothing written. */
static void test_book_refusals_carry_options(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    const char *ev = op_new(m, "repair", "1", "general", "ev", 20000);
    json_decref(call("POST", "/api/v1/calendar/exceptions", m,
                     fmt("{\"date\":\"%s\",\"kind\":\"closed\"}", day_str(3)), 201));
    json_decref(book(m, car(m), op, day_at(1, "09:00"), NULL));

    int64_t v = car(m);
    struct before b;
    before_take(&b, m, v);
    json_t *j =
        refusal("POST", APPTS, m, booking(v, op, day_at(1, "09:00"), NULL), 409, "slot_taken");
    json_t *opts = options_of(j);
    assert_true(json_array_size(opts) >= 2);
    assert_false(offers_start(opts, day_at(1, "09:00")));
    json_decref(j);
    struct {
        const char *start, *op, *why;
    } unavailable[] = {
        {day_at(3, "09:00"), op, "closed day"},
        {day_at(1, "12:30"), op, "lunch break"},
        {day_at(1, "17:00"), op, "past closing"},
        {day_at(1, "07:00"), op, "before opening"},
        {day_at(-1, "10:00"), op, "yesterday"},
        {day_at(2, "09:00"), ev, "no technician with the skill"},
    };
    for (size_t i = 0; i < sizeof unavailable / sizeof unavailable[0]; i++) {
        struct resp r =
            http("POST", APPTS, m, booking(v, unavailable[i].op, unavailable[i].start, NULL));
        if (r.status != 409)
            print_error("%s: %s\n", unavailable[i].why, r.body);
        expect_error(&r, 409, "slot_unavailable", NULL);
        opts = options_of(r.json);
        if (unavailable[i].op == op)
            assert_true(json_array_size(opts) >= 2);
        resp_free(&r);
    }
    assert_nothing_written(&b);
}

/* IN-5: parts short and the customer not waiting: 422 parts_unavailable with the lead time,
 * and nothing written (stock, reservations, purchase orders, appointments, audit). */
static void test_book_parts_unavailable_writes_nothing(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    const char *have = part_new(m, 1000, 3, 2);
    const char *few = part_new(m, 2000, 1, 6);
    int64_t v = car(m);
    struct before b;
    before_take(&b, m, v);
    json_t *j = refusal("POST", APPTS, m,
                        booking(v, op, day_at(1, "09:00"),
                                fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":1},{\"part_no\":"
                                    "\"%s\",\"qty\":2}]",
                                    have, few)),
                        422, "parts_unavailable");
    assert_int_equal(jint(j, "lead_time_days"), 6);
    json_decref(j);
    j = refusal(
        "POST", APPTS, m,
        booking(v, op, day_at(1, "09:00"),
                fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":2}],\"wait_for_parts\":false", few)),
        422, "parts_unavailable");
    assert_int_equal(jint(j, "lead_time_days"), 6);
    json_decref(j);
    assert_nothing_written(&b);
    assert_stock(m, have, 3, 0, 0);
    assert_stock(m, few, 1, 0, 0);
    assert_int_equal(items_count(fmt(APPTS "?date=%s", day_str(1)), m), 0);
}

/* ---- failed booking calls (IN-10), bad input, roles ---- */

/* IN-10: a booking call that ends without a booking is recorded; the conversion report is
 * booked / (booked + failed). */
static void test_booking_failures_and_report(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    const char *adv = store_user(&w.st, "advisor");
    const char *caller = store_user(&w.st, "caller");
    int64_t a = booked(&w.st, adv, op, 1, "09:00", NULL);
    booked(&w.st, adv, op, 1, "11:00", NULL);
    booked(&w.st, caller, op, 1, "14:00", ",\"source\":\"outbound\"");
    int64_t v = car(m);
    json_t *f = call(
        "POST", "/api/v1/booking-failures", adv,
        fmt("{\"vehicle_id\":%lld,\"reason\":\"price\",\"note\":\"嫌贵\"}", (long long)v), 201);
    assert_true(jint(f, "id") > 0);
    assert_string_equal(jstr(f, "reason"), "price");
    assert_string_equal(jstr(f, "source"), "inbound");
    json_decref(f);

    json_t *r = call("GET", fmt("/api/v1/reports/bookings?date=%s", day_str(0)), m, NULL, 200);
    assert_string_equal(jstr(r, "from"), day_str(0));
    assert_string_equal(jstr(r, "to"), day_str(0));
    assert_int_equal(jint(r, "booked"), 3);
    assert_int_equal(jint(r, "failed"), 1);
    assert_true(json_real_value(json_object_get(r, "conversion")) == 0.75);
    assert_int_equal(jint(json_object_get(r, "booked_by_source"), "inbound"), 2);
    assert_int_equal(jint(json_object_get(r, "booked_by_source"), "outbound"), 1);
    assert_int_equal(jint(json_object_get(r, "failed_by_reason"), "price"), 1);
    assert_int_equal(jint(json_object_get(r, "by_case"), "B"), 3);
    json_t *cbs = json_object_get(r, "conversion_by_source");
    double inbound = json_number_value(json_object_get(cbs, "inbound"));
    if (inbound < 0.6666 || inbound > 0.6667)
        print_error("conversion_by_source.inbound %f, want 2/3\n", inbound);
    assert_true(inbound > 0.6666 && inbound < 0.6667);
    assert_true(json_real_value(json_object_get(cbs, "outbound")) == 1.0);
    json_decref(r);
    /* The caller reads it too; the month has the same day in it. */
    r = call("GET", fmt("/api/v1/reports/bookings?month=%.7s", day_str(0)), caller, NULL, 200);
    assert_int_equal(jint(r, "booked"), 3);
    assert_int_equal(jint(r, "failed"), 1);
    json_decref(r);
    rejected("GET", fmt("/api/v1/reports/bookings?date=%s", day_str(0)), adv, NULL, 403,
             "forbidden", NULL);

    /* No-shows and cancellations count among the period's (the booking day's) appointments.
     * A booking is missed on its day, not before (422 not_today). */
    status_refused(adv, a, "no_show", 422, "not_today");
    clock_local(day_at(1, "18:00"));
    status_ok(adv, a, "no_show");
    srv_clock_set(SRV, 0);
    r = call("GET", fmt("/api/v1/reports/bookings?date=%s", day_str(1)), m, NULL, 200);
    assert_int_equal(jint(r, "no_shows"), 1);
    assert_int_equal(jint(r, "cancelled"), 0);
    assert_int_equal(jint(r, "booked"), 0);
    json_decref(r);

    /* Bad failures change nothing. */
    int64_t other = new_vehicle(tok(U_ADVISOR), new_customer(tok(U_ADVISOR), "李四"));
    const char *shop = store_user(&w.st, "workshop");
    int64_t head = audit_head_of(m);
    rejected("POST", "/api/v1/booking-failures", adv, "{\"reason\":\"too_far\"}", 400,
             "invalid_field", "reason");
    rejected("POST", "/api/v1/booking-failures", adv, "{}", 400, "missing_field", "reason");
    rejected("POST", "/api/v1/booking-failures", adv,
             fmt("{\"vehicle_id\":%lld,\"reason\":\"other\"}", (long long)other), 404, "not_found",
             NULL);
    rejected("POST", "/api/v1/booking-failures", shop, "{\"reason\":\"other\"}", 403, "forbidden",
             NULL);
    assert_int_equal(audit_head_of(m), head);
    r = call("GET", fmt("/api/v1/reports/bookings?date=%s", day_str(0)), m, NULL, 200);
    assert_int_equal(jint(r, "failed"), 1);
    json_decref(r);
}

/* Bad input: each a 4xx that changes nothing. */
static void test_bad_input_changes_nothing(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    const char *pno = part_new(m, 1000, 5, 3);
    int64_t v = car(m);
    int64_t other = new_vehicle(tok(U_ADVISOR), new_customer(tok(U_ADVISOR), "李四"));
    const char *d1 = day_at(1, "09:00");
    struct {
        const char *body;
        long status;
        const char *code, *field;
    } bad[] = {
        {"{", 400, "invalid_json", NULL},
        {"[]", 400, "invalid_json", NULL},
        {keep(fmt("{\"vehicle_id\":%lld,\"vehicle_id\":%lld,\"ops\":[\"%s\"],\"start\":\"%s\"}",
                  (long long)v, (long long)v, op, d1)),
         400, "invalid_json", NULL},
        {keep(fmt("{\"ops\":[\"%s\"],\"start\":\"%s\"}", op, d1)), 400, "missing_field",
         "vehicle_id"},
        {keep(fmt("{\"vehicle_id\":\"%lld\",\"ops\":[\"%s\"],\"start\":\"%s\"}", (long long)v, op,
                  d1)),
         400, "invalid_field", "vehicle_id"},
        {keep(fmt("{\"vehicle_id\":%lld,\"ops\":\"%s\",\"start\":\"%s\"}", (long long)v, op, d1)),
         400, "invalid_field", "ops"},
        {keep(fmt("{\"vehicle_id\":%lld,\"ops\":[],\"start\":\"%s\"}", (long long)v, d1)), 400,
         "invalid_field", "ops"},
        {keep(fmt("{\"vehicle_id\":%lld,\"start\":\"%s\"}", (long long)v, d1)), 400,
         "missing_field", "ops"},
        {keep(fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\",\"%s\"],\"start\":\"%s\"}", (long long)v,
                  op, op, d1)),
         400, "invalid_field", "ops"},
        {booking(v, op, d1, ",\"colour\":\"red\""), 400, "invalid_field", "colour"},
        {keep(fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\"]}", (long long)v, op)), 400,
         "missing_field", "start"},
        {booking(v, op, d1, ",\"flexibility\":\"someday\""), 400, "invalid_field", "flexibility"},
        {booking(v, op, d1, ",\"source\":\"fax\""), 400, "invalid_field", "source"},
        {booking(v, op, d1, ",\"services\":[\"massage\"]"), 400, "invalid_field", "services"},
        {booking(v, op, d1, ",\"services\":\"wash\""), 400, "invalid_field", "services"},
        {booking(v, op, d1, ",\"wait_for_parts\":\"yes\""), 400, "invalid_field", "wait_for_parts"},
        {booking(v, op, d1, ",\"customer_words\":42"), 400, "invalid_field", "customer_words"},
        {booking(v, op, d1, ",\"parts\":{}"), 400, "invalid_field", "parts"},
        {booking(v, op, d1, keep(fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":0}]", pno))), 400,
         "invalid_field", NULL},
        {booking(v, op, d1, keep(fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":1,\"x\":1}]", pno))),
         400, "invalid_field", NULL},
        {booking(v, op, d1, keep(fmt(",\"parts\":[{\"part_no\":\"%s\"}]", pno))), 400,
         "missing_field", NULL},
        {booking(v, "NO-SUCH-OP", d1, NULL), 422, "unknown_operation", "ops"},
        {booking(v, op, d1, ",\"parts\":[{\"part_no\":\"NO-SUCH-PART\",\"qty\":1}]"), 422,
         "unknown_part", "parts"},
        {booking(other, op, d1, NULL), 404, "not_found", "vehicle_id"},
        {booking(999999999, op, d1, NULL), 404, "not_found", "vehicle_id"},
        {booking(v, op, d1, ",\"task_id\":999999999"), 404, "not_found", "task_id"},
        {booking(v, op, "2031-02-30T09:00", NULL), 0, NULL, NULL},
        {booking(v, op, keep(fmt("%sT25:00", day_str(1))), NULL), 0, NULL, NULL},
        {booking(v, op, keep(fmt("%sT09:60", day_str(1))), NULL), 0, NULL, NULL},
        {booking(v, op, keep(fmt("%s 09:00", day_str(1))), NULL), 0, NULL, NULL},
        {booking(v, op, day_str(1), NULL), 0, NULL, NULL},
        {booking(v, op, "", NULL), 0, NULL, NULL},
        {keep(fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\"],\"start\":42}", (long long)v, op)), 400,
         "invalid_field", "start"},
        {keep(fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\"],\"flexibility\":\"date\"}", (long long)v,
                  op)),
         0, NULL, NULL},
        {booking_for_day(v, op, day_str(-2), NULL), 0, NULL, NULL},
        {booking_for_day(v, op, "2031-13-01", NULL), 0, NULL, NULL},
        {keep(fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\"],\"flexibility\":\"period\","
                  "\"period_from\":\"%s\",\"period_to\":\"%s\"}",
                  (long long)v, op, day_str(10), day_str(9))),
         0, NULL, NULL},
    };
    struct before b;
    before_take(&b, m, v);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (!bad[i].status) {
            refused_4xx("POST", APPTS, m, bad[i].body);
            continue;
        }
        struct resp r = http("POST", APPTS, m, bad[i].body);
        if (r.status != bad[i].status)
            print_error("case %zu %s: %s\n", i, bad[i].body, r.body);
        expect_error(&r, bad[i].status, bad[i].code, bad[i].field);
        resp_free(&r);
    }
    /* Not JSON at all, and the wrong content type. */
    struct req_opts o = {.token = m, .raw_body = "vehicle_id=1", .content_type = "text/plain"};
    struct resp r = http_opts("POST", APPTS, &o);
    assert_true(r.status >= 400 && r.status <= 499);
    resp_free(&r);
    assert_nothing_written(&b);
    assert_stock(m, pno, 5, 0, 0);
    /* The other vehicle's store has nothing either. */
    assert_int_equal(items_count(fmt(APPTS "?vehicle_id=%lld", (long long)other), tok(U_ADVISOR)),
                     0);
    rejected("GET", fmt(APPTS "?date=%s&status=gone", day_str(1)), m, NULL, 400, "invalid_field",
             "status");
    rejected("GET", APPTS "/999999999", m, NULL, 404, "not_found", NULL);
}

/* Roles: who books, who dispatches, who sets which status; every role reads. */
static void test_roles(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 2, 2);
    const char *m = w.m, *op = w.op;
    const char *adv = store_user(&w.st, "advisor");
    const char *caller = store_user(&w.st, "caller");
    const char *pm = store_user(&w.st, "parts_manager");
    const char *shop = store_user(&w.st, "workshop");
    const char *warr = store_user(&w.st, "warranty");
    int64_t t1 = w.tech[0];
    int64_t v = car(m);

    struct before b;
    before_take(&b, m, v);
    rejected("POST", APPTS, pm, booking(v, op, day_at(1, "09:00"), NULL), 403, "forbidden", NULL);
    rejected("POST", APPTS, shop, booking(v, op, day_at(1, "09:00"), NULL), 403, "forbidden", NULL);
    rejected("POST", APPTS, warr, booking(v, op, day_at(1, "09:00"), NULL), 403, "forbidden", NULL);
    assert_nothing_written(&b);

    int64_t a = booked(&w.st, caller, op, 1, "09:00", NULL);
    int64_t c = booked(&w.st, adv, op, 1, "09:00", NULL);
    const char *path = keep(fmt(APPTS "/%lld", (long long)a));
    /* Every role reads. */
    const char *readers[] = {adv, caller, pm, shop, warr, m};
    for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++) {
        json_decref(call("GET", path, readers[i], NULL, 200));
        json_decref(call("GET", fmt(APPTS "?date=%s", day_str(1)), readers[i], NULL, 200));
        json_decref(call("GET", fmt("/api/v1/slots?ops=%s", op), readers[i], NULL, 200));
    }
    /* Moving: reception only. */
    rejected("PATCH", path, shop, fmt("{\"start\":\"%s\"}", day_at(2, "09:00")), 403, "forbidden",
             NULL);
    rejected("PATCH", path, pm, fmt("{\"start\":\"%s\"}", day_at(2, "09:00")), 403, "forbidden",
             NULL);
    /* Dispatch: the workshop and the service manager. */
    rejected("POST", fmt("%s/dispatch", path), adv, fmt("{\"technician_id\":%lld}", (long long)t1),
             403, "forbidden", NULL);
    rejected("POST", fmt("%s/dispatch", path), caller,
             fmt("{\"technician_id\":%lld}", (long long)t1), 403, "forbidden", NULL);
    rejected("POST", fmt("%s/dispatch", path), pm, fmt("{\"technician_id\":%lld}", (long long)t1),
             403, "forbidden", NULL);
    json_t *j = call("GET", path, m, NULL, 200);
    int64_t own = jint(j, "technician_id");
    json_decref(j);
    j = call("POST", fmt("%s/dispatch", path), shop,
             fmt("{\"technician_id\":%lld}", (long long)own), 200);
    assert_int_equal(jint(j, "technician_id"), own);
    json_decref(j);
    /* Status: the workshop starts and finishes jobs, reception does the rest. */
    rejected("POST", fmt("%s/status", path), shop, "{\"status\":\"arrived\"}", 403, "forbidden",
             NULL);
    rejected("POST", fmt("%s/status", path), pm, "{\"status\":\"cancelled\"}", 403, "forbidden",
             NULL);
    rejected("POST", fmt("%s/status", path), warr, "{\"status\":\"no_show\"}", 403, "forbidden",
             NULL);
    rejected("POST", fmt("%s/status", path), pm, "{\"status\":\"in_service\"}", 403, "forbidden",
             NULL);
    /* Arrival is the repair order's (RO-1): not a status set by hand, whoever sets it. */
    rejected("POST", fmt("%s/status", path), caller, "{\"status\":\"arrived\"}", 409,
             "repair_order_required", "status");
    rejected("POST", fmt("%s/status", path), adv, "{\"status\":\"arrived\"}", 409,
             "repair_order_required", "status");
    /* Receiving the car and writing the order: advisors and the manager, not the others. */
    const char *order_body = fmt("{\"appointment_id\":%lld,\"vehicle_id\":%lld,\"mileage_km\":100}",
                                 (long long)a, (long long)appt_vehicle(m, a));
    rejected("POST", ORDERS, caller, order_body, 403, "forbidden", NULL);
    rejected("POST", ORDERS, shop, order_body, 403, "forbidden", NULL);
    rejected("POST", ORDERS, pm, order_body, 403, "forbidden", NULL);
    rejected("POST", ORDERS, warr, order_body, 403, "forbidden", NULL);
    (void)c;
    /* Another store's users see none of it. */
    rejected("GET", path, tok(U_ADVISOR2), NULL, 404, "not_found", NULL);
    rejected("POST", fmt("%s/status", path), tok(U_ADVISOR), "{\"status\":\"cancelled\"}", 404,
             "not_found", NULL);
    rejected("GET", "/api/v1/appointments", NULL, NULL, 401, "unauthorized", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_book_refusals_carry_options),
        cmocka_unit_test(test_book_parts_unavailable_writes_nothing),
        cmocka_unit_test(test_booking_failures_and_report),
        cmocka_unit_test(test_bad_input_changes_nothing),
        cmocka_unit_test(test_roles),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
