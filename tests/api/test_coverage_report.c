/* GET /api/v1/reports/reminder-coverage (MR-2, CS-2) over HTTP: the month's cars that fell
 * due, messaged, suppressed (no consent), called, reached, and the list of the ones not
 * reminded at all, which a catch-up run then empties. Its own database (one server per test
 * file), so the counts are exact. */
#include "call_list_fixtures.h"

#include <string.h>

#define COVERAGE "/api/v1/reports/reminder-coverage"

static json_t *coverage(const char *token, const char *month)
{
    return call("GET", fmt(COVERAGE "?month=%s", month), token, NULL, 200);
}

static void test_coverage_counts_and_omissions(void **state)
{
    (void)state;
    /* Three cars due on days 6, 8 and 16 of the month three months ago. */
    dms_day t = test_today();
    int y, m, d;
    date_to_ymd(t, &y, &m, &d);
    dms_day first = date_add_months(date_from_ymd(y, m, 1), -3);
    dms_day u1 = first + 5, u2 = first + 7, u3 = first + 15;
    const char *month = keep(fmt("%.7s", ds(first)));
    int64_t c2 = customer(tok(U_ADVISOR), false, "{\"sms\":false,\"email\":false,\"phone\":false}",
                          NULL, NULL);
    int64_t v1 = reachable_car(u1 - 75, NULL), v2 = vehicle(tok(U_ADVISOR), c2, "大众", u2 - 75),
            v3 = reachable_car(u3 - 75, NULL);
    assert_int_equal(due_of(v1), u1);
    assert_int_equal(due_of(v2), u2);
    assert_int_equal(due_of(v3), u3);

    /* One run, on u1 - 11: car 1 messaged and called; car 2 (no consent, no phone) has its
     * message suppressed and no call; car 3 is not in the window: not reminded. */
    json_decref(generate(u1 - 11));
    json_t *c = one_task(v1, "maintenance_call");
    json_decref(outcome(jint(c, "id"), "reached"));
    json_decref(c);
    json_t *r = coverage(tok(U_MANAGER), month);
    assert_string_equal(jstr(r, "month"), month);
    assert_string_equal(jstr(r, "from"), ds(first));
    assert_int_equal(jint(r, "due"), 3);
    assert_int_equal(jint(r, "messaged"), 1);
    assert_int_equal(jint(r, "message_suppressed"), 1);
    assert_int_equal(jint(r, "called"), 1);
    assert_int_equal(jint(r, "reached"), 1);
    assert_int_equal(jint(r, "booked"), 0);
    assert_int_equal(jint(r, "not_reminded"), 1);
    json_t *list = json_object_get(r, "cars_not_reminded");
    assert_int_equal(json_array_size(list), 1);
    json_t *o = json_array_get(list, 0);
    assert_int_equal(jint(o, "vehicle_id"), v3);
    assert_string_equal(jstr(o, "due_date"), ds(u3));
    json_decref(r);

    /* MR-2: a later run catches car 3 up; the list is empty. */
    json_decref(generate(u3 - 4));
    r = coverage(tok(U_MANAGER), month);
    assert_int_equal(jint(r, "due"), 3);
    assert_int_equal(jint(r, "messaged"), 2);
    assert_int_equal(jint(r, "called"), 2);
    assert_int_equal(jint(r, "not_reminded"), 0);
    assert_int_equal(json_array_size(json_object_get(r, "cars_not_reminded")), 0);
    json_decref(r);

    /* Store S2 sees none of it; the month before and after have nothing. */
    r = coverage(tok(U_ADMIN2), month);
    assert_int_equal(jint(r, "due"), 0);
    json_decref(r);
    r = coverage(tok(U_MANAGER), keep(fmt("%.7s", ds(date_add_months(first, -1)))));
    assert_int_equal(jint(r, "due"), 0);
    json_decref(r);
}

static void test_coverage_bad_input_and_rights(void **state)
{
    (void)state;
    rejected("GET", COVERAGE, tok(U_MANAGER), NULL, 400, "missing_field", "month");
    static const char *const bad[] = {"2026-13", "2026-1", "26-01", "2026-01-01", "x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        rejected("GET", fmt(COVERAGE "?month=%s", bad[i]), tok(U_MANAGER), NULL, 422,
                 "invalid_date", "month");
    rejected("GET", fmt(COVERAGE "?month=2026-01"), NULL, NULL, 401, "unauthorized", NULL);
    rejected("GET", fmt(COVERAGE "?month=2026-01"), tok(U_WORKSHOP), NULL, 403, "forbidden", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coverage_counts_and_omissions),
        cmocka_unit_test(test_coverage_bad_input_and_rights),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
