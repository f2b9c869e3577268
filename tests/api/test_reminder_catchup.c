/* MR-2 (无遗漏) over HTTP: each day's run takes every car due within the window, not only the
 * cars due exactly 13 (message) or 11 (call) days ahead. A day without a run is caught up; a
 * new reading that moves a car's due date into the window gets it reminded; each due date once
 * (a re-run adds nothing; a reading that moves the due date by a day after the reminder went
 * out does not send a second one). And MR-1's used-car rule: a car first seen at 23,000 km is
 * not "due at 3,000 km".
 *
 * As in test_call_lists_reminders.c, cars get their history in the past and runs are for past
 * days; without readings a car is due at purchase + 75 days (40 km a day to 3,000 km). */
#include "call_list_fixtures.h"

#include <string.h>

static json_t *reading(int64_t vid, dms_day date, long km)
{
    return call("POST", fmt("/api/v1/vehicles/%lld/mileage", (long long)vid), tok(U_ADVISOR),
                fmt("{\"date\":\"%s\",\"km\":%ld}", ds(date), km), 201);
}

/* MR-2: no run on the message day (u - 13) nor the next: the run of u - 11 sends the message
 * and puts the call on the list, once; the runs after add nothing for the car. */
static void test_catchup_a_day_without_a_run(void **state)
{
    (void)state;
    dms_day t = test_today(), p = t - 200;
    int64_t vid = reachable_car(p, NULL);
    dms_day u = due_of(vid);
    assert_int_equal(u, p + 75);
    json_decref(generate(u - 11));
    json_t *m = one_task(vid, "maintenance_message");
    assert_string_equal(jstr(m, "due_date"), ds(u - 11));
    assert_string_equal(jstr(m, "service_due_date"), ds(u));
    json_decref(m);
    json_t *c = one_task(vid, "maintenance_call");
    assert_string_equal(jstr(c, "service_due_date"), ds(u));
    assert_string_equal(jstr(c, "deadline"), ds(u - 9));
    json_decref(c);
    /* Idempotent: the same day again, and the days after, add nothing for it. */
    json_decref(generate(u - 11));
    json_decref(generate(u - 10));
    json_decref(generate(u - 3));
    assert_int_equal(n_tasks(vid, "maintenance_message"), 1);
    assert_int_equal(n_tasks(vid, "maintenance_call"), 1);
    /* A car due today is still reminded by today's run; one already past is not (CS-4 takes
     * lapsed cars). */
    int64_t today_car = reachable_car(p - 20, NULL), past_car = reachable_car(p - 21, NULL);
    dms_day ut = due_of(today_car);
    assert_int_equal(due_of(past_car), ut - 1);
    json_decref(generate(ut));
    assert_int_equal(n_tasks(today_car, "maintenance_message"), 1);
    assert_int_equal(n_tasks(today_car, "maintenance_call"), 1);
    assert_int_equal(n_tasks(past_car, "maintenance_message"), 0);
    assert_int_equal(n_tasks(past_car, "maintenance_call"), 0);
    c = one_task(today_car, "maintenance_call");
    assert_string_equal(jstr(c, "deadline"), ds(ut));
    json_decref(c);
}

/* MR-2: a reading moves the due date from far off to 2 days after the next run: that run
 * reminds it (message and call). A second reading moves it by one day: no second reminder. */
static void test_catchup_a_due_date_moved_into_the_window(void **state)
{
    (void)state;
    dms_day t = test_today(), p = t - 300;
    int64_t vid = reachable_car(p, NULL);
    assert_int_equal(due_of(vid), p + 75);
    /* The run of p + 33: the car is due 42 days later, outside both windows. */
    json_decref(generate(p + 33));
    assert_int_equal(n_tasks(vid, "maintenance_message"), 0);
    assert_int_equal(n_tasks(vid, "maintenance_call"), 0);
    /* 2,500 km in 30 days: the 500 km left take 6 days: due p + 36. */
    json_decref(reading(vid, p + 30, 2500));
    assert_int_equal(due_of(vid), p + 36);
    json_decref(generate(p + 34));
    json_t *m = one_task(vid, "maintenance_message");
    assert_string_equal(jstr(m, "service_due_date"), ds(p + 36));
    json_decref(m);
    json_t *c = one_task(vid, "maintenance_call");
    assert_string_equal(jstr(c, "service_due_date"), ds(p + 36));
    json_decref(c);
    /* The caller asks the mileage (MR-4): 2,550 km a day later moves the due date to p + 37
     * (450 km at 2,550 / 31 a day: 5.5 days, rounded up). Not a new service: nothing new. */
    json_decref(reading(vid, p + 31, 2550));
    assert_int_equal(due_of(vid), p + 37);
    json_decref(generate(p + 35));
    assert_int_equal(n_tasks(vid, "maintenance_message"), 1);
    assert_int_equal(n_tasks(vid, "maintenance_call"), 1);
}

/* MR-1: registered at 23,000 km with no history: the next service is the plan's next point,
 * 28,000 km, not the first service's 3,000, and the vehicle says which rule gave it. At
 * 5,000 km (below 3,000 + 5,000) the first service is taken as overdue. */
static void test_used_car_is_not_due_at_3000_km(void **state)
{
    (void)state;
    dms_day t = test_today();
    int64_t used = reachable_car(t - 2000, NULL), young = reachable_car(t - 200, NULL);
    json_decref(reading(used, t, 23000));
    json_decref(reading(young, t, 5000));
    json_t *v =
        call("GET", fmt("/api/v1/vehicles/%lld", (long long)used), tok(U_ADVISOR), NULL, 200);
    json_t *ns = json_object_get(v, "next_service");
    assert_int_equal(jint(ns, "due_km"), 28000);
    assert_string_equal(jstr(ns, "rule"), "used_car");
    assert_true(strcmp(jstr(ns, "due_date"), ds(t)) > 0);
    json_decref(v);
    v = call("GET", fmt("/api/v1/vehicles/%lld", (long long)young), tok(U_ADVISOR), NULL, 200);
    ns = json_object_get(v, "next_service");
    assert_int_equal(jint(ns, "due_km"), 3000);
    assert_string_equal(jstr(ns, "rule"), "first_service");
    /* Overdue since purchase + 3 months (before the 3,000 km were passed). */
    assert_string_equal(jstr(ns, "due_date"), ds(date_add_months(t - 200, 3)));
    json_decref(v);
    /* A periodic service on record: the interval rule. */
    json_decref(call("POST", "/api/v1/service-records", tok(U_ADVISOR),
                     fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":5000,"
                         "\"kind\":\"maintenance\"}",
                         (long long)young, ds(t)),
                     201));
    v = call("GET", fmt("/api/v1/vehicles/%lld", (long long)young), tok(U_ADVISOR), NULL, 200);
    ns = json_object_get(v, "next_service");
    assert_int_equal(jint(ns, "due_km"), 10000);
    assert_string_equal(jstr(ns, "rule"), "interval");
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catchup_a_day_without_a_run),
        cmocka_unit_test(test_catchup_a_due_date_moved_into_the_window),
        cmocka_unit_test(test_used_car_is_not_due_at_3000_km),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
