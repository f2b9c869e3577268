/* The bays' utilisation over HTTP (the manager's dashboard, RPT-2): GET
 * /api/v1/reports/utilisation for a day and a month, with figures worked out by hand in a
 * store of the test's own: three bays open 08:30-17:30 with lunch 12:00-13:00 (480 minutes a
 * day each), a closed day, out-of-service periods (one across midnight), bookings across the
 * lunch break, a cancelled and a no-show booking that take nothing, a retired bay that was
 * booked, and another store's bookings left out. Then who may read it and the refusals of bad
 * input. Bookings are made from the day after tomorrow on, in one month. */
#include "booking_fixtures.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"

#define UTIL "/api/v1/reports/utilisation"

/* The figures of a day, bay or total. */
static void same_figures(const json_t *o, long capacity, long booked)
{
    if (!o)
        fail_msg("figures missing");
    if (jint(o, "capacity_min") != capacity || jint(o, "booked_min") != booked)
        fail_msg("capacity_min %lld booked_min %lld, want %ld and %ld",
                 (long long)jint(o, "capacity_min"), (long long)jint(o, "booked_min"), capacity,
                 booked);
    json_t *u = json_object_get(o, "utilisation");
    if (capacity == 0) {
        assert_true(json_is_null(u));
        return;
    }
    double want = (double)booked / (double)capacity;
    if (!json_is_number(u) || fabs(json_number_value(u) - want) > 0.0001)
        fail_msg("utilisation %.5f, want %.5f", json_is_number(u) ? json_number_value(u) : -1.0,
                 want);
}

/* The day of a report's days with this date. */
static json_t *report_day(json_t *r, const char *date)
{
    json_t *d = item_with(json_object_get(r, "days"), "date", date);
    if (!d)
        fail_msg("no day %s in the report", date);
    return d;
}

static void downtime(const char *token, int64_t bay, const char *from, const char *to)
{
    json_decref(call("POST", fmt("/api/v1/bays/%lld/downtime", (long long)bay), token,
                     fmt("{\"from\":\"%s\",\"to\":\"%s\",\"reason\":\"举升机维修\"}", from, to),
                     201));
}

static const char *bay_member(int64_t bay)
{
    return keep(fmt(",\"bay_id\":%lld", (long long)bay));
}

/* The first day, at least two days ahead, of four days in one month. */
static int first_day(void)
{
    int y, m, d;
    dms_day t = test_today() + 2;
    date_to_ymd(t, &y, &m, &d);
    if (d > 25)
        return (int)(date_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - test_today());
    return 2;
}

static void test_utilisation_by_day_and_month(void **state)
{
    (void)state;
    struct workshop w, other;
    workshop_new(&w, 4, 3);
    workshop_new(&other, 1, 1);
    const char *m = w.m;
    /* The hours stated, though they are the default: 08:30-12:00 and 13:00-17:30. */
    json_decref(call("PUT", "/api/v1/calendar", m,
                     "{\"hours\":{\"mon\":[[\"08:30\",\"12:00\"],[\"13:00\",\"17:30\"]],"
                     "\"tue\":[[\"08:30\",\"12:00\"],[\"13:00\",\"17:30\"]],"
                     "\"wed\":[[\"08:30\",\"12:00\"],[\"13:00\",\"17:30\"]],"
                     "\"thu\":[[\"08:30\",\"12:00\"],[\"13:00\",\"17:30\"]],"
                     "\"fri\":[[\"08:30\",\"12:00\"],[\"13:00\",\"17:30\"]],"
                     "\"sat\":[[\"08:30\",\"12:00\"],[\"13:00\",\"17:30\"]],"
                     "\"sun\":[[\"08:30\",\"12:00\"],[\"13:00\",\"17:30\"]]}}",
                     200));
    const char *two_hours = op_new(m, "repair", "2", "general", "mechanical", 20000);
    int d0 = first_day();
    const char *day0 = day_str(d0), *day1 = day_str(d0 + 1), *day2 = day_str(d0 + 2),
               *day3 = day_str(d0 + 3);
    int y, mo, dd;
    date_to_ymd(test_today() + d0, &y, &mo, &dd);
    int dim = date_days_in_month(y, mo);
    const char *month = keep(fmt("%.7s", day0));
    int64_t b1 = w.bay[0], b2 = w.bay[1], b3 = w.bay[2], b4 = w.bay[3];

    /* Day 0: bay 1 09:00-10:00 (60), bay 2 11:00-14:00 across lunch (120); bay 3 09:00
     * cancelled and bay 4 10:00 a no-show: none of theirs. */
    book_confirmed(m, car(m), w.op, day_at(d0, "09:00"), bay_member(b1));
    book_confirmed(m, car(m), two_hours, day_at(d0, "11:00"), bay_member(b2));
    status_ok(m, book_confirmed(m, car(m), w.op, day_at(d0, "09:00"), bay_member(b3)), "cancelled");
    int64_t missed = book_confirmed(m, car(m), w.op, day_at(d0, "10:00"), bay_member(b4));
    clock_local(day_at(d0, "18:00")); /* RO-9: missed on its day, not before */
    status_ok(m, missed, "no_show");
    srv_clock_set(SRV, 0);
    /* A booking for day 0 without a time holds no bay. */
    json_decref(call("POST", APPTS, m, booking_for_day(car(m), w.op, day0, NULL), 201));
    /* Day 1 closed (a holiday). */
    json_decref(call("POST", "/api/v1/calendar/exceptions", m,
                     fmt("{\"date\":\"%s\",\"kind\":\"closed\",\"name\":\"假日\"}", day1), 201));
    /* Day 2: bay 1 out 08:30-10:30 (120), bay 2 from 16:30 to 09:30 on day 3 (60 + 60); bay 3
     * booked 14:00-15:00 (60). */
    downtime(m, b1, day_at(d0 + 2, "08:30"), day_at(d0 + 2, "10:30"));
    downtime(m, b2, day_at(d0 + 2, "16:30"), day_at(d0 + 3, "09:30"));
    book_confirmed(m, car(m), w.op, day_at(d0 + 2, "14:00"), bay_member(b3));
    /* Day 3: bay 2 10:00-11:00 (60); bay 4 15:00-16:00 (60), then bay 4 is retired. */
    book_confirmed(m, car(m), w.op, day_at(d0 + 3, "10:00"), bay_member(b2));
    book_confirmed(m, car(m), w.op, day_at(d0 + 3, "15:00"), bay_member(b4));
    json_decref(
        call("PATCH", fmt("/api/v1/bays/%lld", (long long)b4), m, "{\"active\":false}", 200));
    /* The other store books its bay on day 0 too. */
    book_confirmed(other.m, car(other.m), other.op, day_at(d0, "09:00"), NULL);

    /* Day 0: 3 bays in service × 480 = 1440 offered, 60 + 120 booked. */
    json_t *r = call("GET", fmt(UTIL "?date=%s", day0), m, NULL, 200);
    assert_string_equal(jstr(r, "from"), day0);
    assert_string_equal(jstr(r, "to"), day0);
    assert_int_equal(json_array_size(json_object_get(r, "days")), 1);
    json_t *d = report_day(r, day0);
    assert_int_equal(jint(d, "open_min"), 480);
    same_figures(d, 1440, 180);
    same_figures(json_object_get(r, "total"), 1440, 180);
    /* Bays 1-3 in service; the retired bay 4 has nothing booked that day (the no-show). */
    json_t *bays = json_object_get(r, "bays");
    assert_int_equal(json_array_size(bays), 3);
    same_figures(item_with_id(bays, b1), 480, 60);
    same_figures(item_with_id(bays, b2), 480, 120);
    same_figures(item_with_id(bays, b3), 480, 0);
    assert_null(item_with_id(bays, b4));
    assert_string_equal(jstr(item_with_id(bays, b1), "name"), w.bay_name[0]);
    assert_string_equal(jstr(item_with_id(bays, b1), "kind"), "general");
    assert_true(json_is_true(json_object_get(item_with_id(bays, b1), "active")));
    json_decref(r);

    /* Day 1 closed: nothing offered, utilisation null. */
    r = call("GET", fmt(UTIL "?date=%s", day1), m, NULL, 200);
    d = report_day(r, day1);
    assert_int_equal(jint(d, "open_min"), 0);
    same_figures(d, 0, 0);
    same_figures(json_object_get(r, "total"), 0, 0);
    json_decref(r);

    /* Day 2: 1440 - 120 - 60 = 1260 offered, 60 booked. */
    r = call("GET", fmt(UTIL "?date=%s", day2), m, NULL, 200);
    same_figures(report_day(r, day2), 1260, 60);
    bays = json_object_get(r, "bays");
    same_figures(item_with_id(bays, b1), 360, 0);
    same_figures(item_with_id(bays, b2), 420, 0);
    same_figures(item_with_id(bays, b3), 480, 60);
    json_decref(r);

    /* The month: 3 bays × 480 on every day but the holiday, less 120 (bay 1) and 120 (bay 2);
     * booked 60 + 120 + 60 + 60 on bays 1-3, 60 on the retired bay 4, listed offering
     * nothing. */
    long open_days = dim - 1, per_bay = open_days * 480;
    r = call("GET", fmt(UTIL "?month=%s", month), tok(U_MANAGER), NULL, 200);
    /* U_MANAGER is store S1's manager: none of this store's bookings. */
    same_figures(json_object_get(r, "total"), jint(json_object_get(r, "total"), "capacity_min"), 0);
    json_decref(r);
    r = call("GET", fmt(UTIL "?month=%s", month), m, NULL, 200);
    assert_string_equal(jstr(r, "from"), ds(date_from_ymd(y, mo, 1)));
    assert_string_equal(jstr(r, "to"), ds(date_from_ymd(y, mo, dim)));
    json_t *days = json_object_get(r, "days");
    assert_int_equal(json_array_size(days), (size_t)dim);
    for (int i = 0; i < dim; i++) {
        json_t *it = json_array_get(days, (size_t)i);
        assert_string_equal(jstr(it, "date"), ds(date_from_ymd(y, mo, 1 + i)));
    }
    same_figures(report_day(r, day0), 1440, 180);
    same_figures(report_day(r, day1), 0, 0);
    same_figures(report_day(r, day2), 1260, 60);
    same_figures(report_day(r, day3), 1380, 120);
    if (dd + 4 <= dim) /* the day after: nothing booked, nothing down */
        same_figures(json_array_get(days, (size_t)(dd - 1 + 4)), 1440, 0);
    bays = json_object_get(r, "bays");
    assert_int_equal(json_array_size(bays), 4);
    same_figures(item_with_id(bays, b1), per_bay - 120, 60);
    same_figures(item_with_id(bays, b2), per_bay - 120, 180);
    same_figures(item_with_id(bays, b3), per_bay, 60);
    same_figures(item_with_id(bays, b4), 0, 60);
    assert_true(json_is_false(json_object_get(item_with_id(bays, b4), "active")));
    same_figures(json_object_get(r, "total"), 3 * per_bay - 240, 360);
    json_decref(r);

    /* The other store: its one bay, its one booking. */
    r = call("GET", fmt(UTIL "?date=%s", day0), other.m, NULL, 200);
    same_figures(json_object_get(r, "total"), 480, 60);
    bays = json_object_get(r, "bays");
    assert_int_equal(json_array_size(bays), 1);
    assert_int_equal(jint(json_array_get(bays, 0), "id"), other.bay[0]);
    json_decref(r);
}

/* The same right as the other reports: caller, service manager and admin; the others 403. */
static void test_utilisation_who_may_read(void **state)
{
    (void)state;
    const char *path = fmt(UTIL "?date=%s", day_str(0));
    const char *p = keep(path);
    json_decref(call("GET", p, tok(U_MANAGER), NULL, 200));
    json_decref(call("GET", p, tok(U_CALLER), NULL, 200));
    json_decref(call("GET", p, tok(U_ADMIN), NULL, 200));
    rejected("GET", p, tok(U_ADVISOR), NULL, 403, "forbidden", NULL);
    rejected("GET", p, tok(U_PARTS), NULL, 403, "forbidden", NULL);
    rejected("GET", p, tok(U_WORKSHOP), NULL, 403, "forbidden", NULL);
    rejected("GET", p, tok(U_WARRANTY), NULL, 403, "forbidden", NULL);
    struct resp anon = http("GET", p, NULL, NULL);
    assert_int_equal(anon.status, 401);
    resp_free(&anon);
}

static void test_utilisation_bad_input(void **state)
{
    (void)state;
    const char *m = tok(U_MANAGER);
    rejected("GET", UTIL, m, NULL, 400, "missing_field", "date");
    rejected("GET", fmt(UTIL "?date=%s&month=%.7s", day_str(0), day_str(0)), m, NULL, 400,
             "invalid_field", "month");
    rejected("GET", UTIL "?date=2024-02-30", m, NULL, 422, "invalid_date", "date");
    rejected("GET", UTIL "?date=2024-13-01", m, NULL, 422, "invalid_date", "date");
    rejected("GET", UTIL "?month=2024-13", m, NULL, 422, "invalid_date", "month");
    static const char *const bad[] = {
        "?month=2024-1",     "?month=2024-00",    "?month=24-01",
        "?month=2024-01-01", "?month=abcdefg",    "?date=",
        "?month=",           "?date=2024-1-01",   "?date=%00",
        "?date=2024-02-29x", "?date=99999-01-01", "?month=%E5%B9%B4",
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        refused_4xx("GET", fmt(UTIL "%s", bad[k]), m, NULL);
    /* A leap day is a day. */
    json_t *r = call("GET", UTIL "?date=2024-02-29", m, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(r, "days")), 1);
    json_decref(r);
    r = call("GET", UTIL "?month=2024-02", m, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(r, "days")), 29);
    json_decref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utilisation_by_day_and_month),
        cmocka_unit_test(test_utilisation_who_may_read),
        cmocka_unit_test(test_utilisation_bad_input),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
