/* The calls report over HTTP and on the command line (RPT-2): the counts of a day and of a month
 * by list type (created, done, reached, booked, expired, open) with the reach and booking rates,
 * `dms report calls`, and who may read it. The other call-list tests: test_call_lists_*.c.
 *
 * Every vehicle here gets its history in the past (readings and repair orders cannot be in
 * the future), and generation runs for past days, which is allowed. Without readings beyond
 * the sale a car is due when the store's 40 km a day reach the first 3,000 km: purchase + 75
 * days (MR-1, see test_schedule.c), so a purchase date picks the days the lists fall on. Each
 * test uses its own stretch of days so that counts are exact. */
#include "call_list_fixtures.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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
    /* Their messages on their own day (MR-3), so that day d's run makes only the calls (a
     * run that finds a car unreminded sends the message too, MR-2). */
    json_decref(generate(d - 2));
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
    /* The month's total has the 6 messages of d - 2 too. */
    assert_int_equal(jint(type_counts(r, "maintenance_message"), "created"), 6);
    assert_int_equal(jint(json_object_get(r, "total"), "created"), 12);
    json_t *days = json_object_get(r, "days");
    assert_int_equal(json_array_size(days), (size_t)date_days_in_month(y - 2, m));
    size_t i;
    json_t *it;
    json_array_foreach(days, i, it)
    {
        assert_string_equal(jstr(it, "date"), ds(d - 14 + (dms_day)i));
        if (i == 14)
            same_counts(it, 6, 4, 5, 1, 1, 1);
        else if (i == 12)
            assert_int_equal(jint(it, "created"), 6);
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
        cmocka_unit_test(test_report_calls_by_day_and_month),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
