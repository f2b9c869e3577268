/* The customer-care lists over HTTP (CS-1, CS-3, CS-4, CS-8): the follow-up call three days after
 * a repair, the insurance renewal and the annual inspection 30 days ahead, and the month-start
 * lists: the first maintenance of last month's new cars and the lost customers to win back.
 * The other call-list tests: test_call_lists_*.c.
 *
 * Every vehicle here gets its history in the past (readings and repair orders cannot be in
 * the future), and generation runs for past days, which is allowed. Without readings beyond
 * the sale a car is due when the store's 40 km a day reach the first 3,000 km: purchase + 75
 * days (MR-1, see test_schedule.c), so a purchase date picks the days the lists fall on. Each
 * test uses its own stretch of days so that counts are exact.; the month-start lists run in
 * store S2, which only that test fills. */
#include "call_list_fixtures.h"

/* The first day of the month d is in. */
static dms_day month_start(dms_day d)
{
    int y, m, day;
    date_to_ymd(d, &y, &m, &day);
    return date_from_ymd(y, m, 1);
}

/* The first day of the month k months before the one d is in. */
static dms_day months_back(dms_day d, int k)
{
    int y, m, day;
    date_to_ymd(d, &y, &m, &day);
    int idx = y * 12 + (m - 1) - k;
    return date_from_ymd(idx / 12, idx % 12 + 1, 1);
}

/* ---- generation: follow-up (CS-1), renewals (CS-8) ---- */

static void test_generate_followup_three_days_after_a_repair(void **state)
{
    (void)state;
    dms_day t = test_today(), x = t - 250;
    int64_t cid, vid = reachable_car(t - 400, &cid);
    json_decref(call("POST", "/api/v1/service-records", tok(U_ADVISOR),
                     fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"date_out\":\"%s\","
                         "\"mileage_km\":5000,\"kind\":\"repair\"}",
                         (long long)vid, ds(x - 1), ds(x)),
                     201));
    /* Without phone consent: no follow-up call. */
    int64_t quiet = customer(tok(U_ADVISOR), true, NO_PHONE_CALL, NULL, NULL);
    int64_t qv = vehicle(tok(U_ADVISOR), quiet, "大众", t - 400);
    json_decref(call("POST", "/api/v1/service-records", tok(U_ADVISOR),
                     fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":5000,"
                         "\"kind\":\"repair\"}",
                         (long long)qv, ds(x)),
                     201));
    /* CS-1: completed on X (date_out, not the day it came in): X + 2 is too early. */
    json_t *g = generate(x + 2);
    assert_int_equal(created(g, "followup"), 0);
    json_decref(g);
    assert_int_equal(n_tasks(vid, "followup"), 0);
    /* X + 3: on the list until X + 7. */
    g = generate(x + 3);
    assert_int_equal(created(g, "followup"), 1);
    json_decref(g);
    json_t *f = one_task(vid, "followup");
    assert_string_equal(jstr(f, "due_date"), ds(x + 3));
    assert_string_equal(jstr(f, "deadline"), ds(x + 7));
    assert_int_equal(jint(f, "customer_id"), cid);
    assert_string_equal(jstr(f, "status"), "open");
    json_decref(f);
    assert_int_equal(n_tasks(qv, "followup"), 0);
    g = generate(x + 3);
    nothing_created(g);
    json_decref(g);
    g = generate(x + 4);
    assert_int_equal(created(g, "followup"), 0);
    json_decref(g);
    assert_int_equal(n_tasks(vid, "followup"), 1);
}

static void test_generate_insurance_and_inspection_30_days_ahead(void **state)
{
    (void)state;
    dms_day t = test_today(), ins = t - 10, insp = t - 12;
    int64_t vid = reachable_car(t - 520, NULL);
    json_t *v = call(
        "PATCH", fmt("/api/v1/vehicles/%lld", (long long)vid), tok(U_ADVISOR),
        fmt("{\"insurance_expiry\":\"%s\",\"inspection_expiry\":\"%s\"}", ds(ins), ds(insp)), 200);
    assert_string_equal(jstr(v, "insurance_expiry"), ds(ins));
    json_decref(v);
    /* Without phone consent, none. */
    int64_t quiet = customer(tok(U_ADVISOR), true, NO_PHONE_CALL, NULL, NULL);
    int64_t qv = vehicle(tok(U_ADVISOR), quiet, "大众", t - 520);
    json_decref(call("PATCH", fmt("/api/v1/vehicles/%lld", (long long)qv), tok(U_ADVISOR),
                     fmt("{\"insurance_expiry\":\"%s\"}", ds(ins)), 200));

    /* CS-8: 31 days before the expiry: nothing. */
    json_t *g = generate(ins - 31);
    assert_int_equal(created(g, "insurance_renewal"), 0);
    json_decref(g);
    /* 30 days before: on the list until the expiry itself. */
    g = generate(ins - 30);
    assert_int_equal(created(g, "insurance_renewal"), 1);
    assert_int_equal(created(g, "annual_inspection"), 0);
    json_decref(g);
    json_t *r = one_task(vid, "insurance_renewal");
    assert_string_equal(jstr(r, "due_date"), ds(ins - 30));
    assert_string_equal(jstr(r, "deadline"), ds(ins));
    json_decref(r);
    assert_int_equal(n_tasks(qv, "insurance_renewal"), 0);
    g = generate(ins - 30);
    nothing_created(g);
    json_decref(g);
    /* The inspection 30 days before its own expiry. */
    assert_int_equal(n_tasks(vid, "annual_inspection"), 0);
    g = generate(insp - 30);
    assert_int_equal(created(g, "annual_inspection"), 1);
    json_decref(g);
    json_t *a = one_task(vid, "annual_inspection");
    assert_string_equal(jstr(a, "due_date"), ds(insp - 30));
    assert_string_equal(jstr(a, "deadline"), ds(insp));
    json_decref(a);
}

/* ---- generation: the month-start lists (CS-3, CS-4), in store S2 ---- */

static void test_generate_month_start_first_maintenance_and_lost_customers(void **state)
{
    (void)state;
    const char *adv = tok(U_ADVISOR2), *admin = tok(U_ADMIN2);
    dms_day t = test_today(), d2 = month_start(t), d1 = months_back(t, 1);
    int64_t c = customer(adv, true, ALL_CONSENT, NULL, NULL);
    int64_t quiet = customer(adv, true, NO_PHONE_CALL, NULL, NULL);
    /* CS-3: bought on the last day of last month, of the month before, and this month. */
    int64_t last_month = vehicle(adv, c, "大众", d2 - 1);
    int64_t month_before = vehicle(adv, c, "大众", d1 - 1);
    int64_t this_month = vehicle(adv, c, "大众", d2);
    /* CS-4: due long ago and not seen since; the same without phone consent; one that came
     * in after its due date; one whose last maintenance makes it due only weeks ago. */
    int64_t lost = vehicle(adv, c, "大众", d2 - 400);
    int64_t lost_quiet = vehicle(adv, quiet, "大众", d2 - 400);
    int64_t visited = vehicle(adv, c, "大众", d2 - 400);
    dms_day lapse = due_of_as(adv, lost);
    assert_int_equal(lapse, d2 - 400 + 75);
    json_decref(call("POST", "/api/v1/service-records", adv,
                     fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":500,"
                         "\"kind\":\"repair\"}",
                         (long long)visited, ds(d2 - 250)),
                     201));
    assert_true(due_of_as(adv, visited) <= d2 - 250); /* came in after it fell due */
    int64_t recent = vehicle(adv, c, "大众", d2 - 400);
    json_decref(call("POST", "/api/v1/service-records", adv,
                     fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":1000,"
                         "\"kind\":\"maintenance\"}",
                         (long long)recent, ds(t - 200)),
                     201));
    assert_true(due_of_as(adv, recent) > months_back(t, 3));
    /* The boundary of "at least 3 months": due exactly 3 months before this month's 1st, and
     * a day later. */
    dms_day cutoff = months_back(t, 3);
    int64_t at_cutoff = vehicle(adv, c, "大众", cutoff - 75);
    int64_t after_cutoff = vehicle(adv, c, "大众", cutoff - 74);
    assert_int_equal(due_of_as(adv, at_cutoff), cutoff);
    assert_int_equal(due_of_as(adv, after_cutoff), cutoff + 1);

    /* The 1st of last month. */
    json_t *g = generate_as(admin, d1);
    assert_int_equal(created(g, "first_maintenance"), 1);
    assert_int_equal(created(g, "lost_customer"), 1);
    json_decref(g);
    json_t *l =
        list_as(adv, fmt("vehicle_id=%lld&type=first_maintenance", (long long)month_before));
    assert_int_equal(json_array_size(l), 1);
    assert_string_equal(jstr(json_array_get(l, 0), "due_date"), ds(d1));
    json_decref(l);
    l = list_as(adv, fmt("vehicle_id=%lld&type=lost_customer", (long long)lost));
    assert_int_equal(json_array_size(l), 1);
    json_t *lc = json_incref(json_array_get(l, 0));
    json_decref(l);
    /* CS-4: on the list from the 1st to the 15th (month_deadline_day). */
    assert_string_equal(jstr(lc, "due_date"), ds(d1));
    assert_string_equal(jstr(lc, "deadline"), ds(d1 + 14));
    assert_string_equal(jstr(lc, "service_due_date"), ds(lapse));
    json_decref(lc);
    const int64_t none[] = {lost_quiet, visited, recent, at_cutoff, after_cutoff};
    for (size_t i = 0; i < 5; i++) {
        l = list_as(adv, fmt("vehicle_id=%lld&type=lost_customer", (long long)none[i]));
        assert_int_equal(json_array_size(l), 0);
        json_decref(l);
    }

    /* The 2nd is not a month start. */
    g = generate_as(admin, d1 + 1);
    assert_int_equal(created(g, "first_maintenance"), 0);
    assert_int_equal(created(g, "lost_customer"), 0);
    json_decref(g);

    /* The 1st of this month: last month's new car; the lost customer is not called again
     * for the same lapse, the car due exactly 3 months ago is now lost, the one due a day
     * later not yet; last month's lists expire. */
    g = generate_as(admin, d2);
    assert_int_equal(created(g, "first_maintenance"), 1);
    assert_int_equal(created(g, "lost_customer"), 1);
    assert_int_equal(jint(g, "expired"), 2);
    json_decref(g);
    l = list_as(adv, fmt("vehicle_id=%lld&type=first_maintenance", (long long)last_month));
    assert_int_equal(json_array_size(l), 1);
    json_t *f = json_array_get(l, 0);
    assert_string_equal(jstr(f, "due_date"), ds(d2));
    assert_string_equal(jstr(f, "deadline"), ds(d2 + 14));
    assert_string_equal(jstr(f, "status"), "open");
    json_decref(l);
    l = list_as(adv, fmt("vehicle_id=%lld", (long long)this_month));
    assert_int_equal(json_array_size(l), 0);
    json_decref(l);
    l = list_as(adv, fmt("vehicle_id=%lld&type=first_maintenance", (long long)month_before));
    assert_int_equal(json_array_size(l), 1);
    assert_string_equal(jstr(json_array_get(l, 0), "status"), "expired");
    json_decref(l);
    l = list_as(adv, fmt("vehicle_id=%lld&type=lost_customer", (long long)lost));
    assert_int_equal(json_array_size(l), 1);
    json_decref(l);
    l = list_as(adv, fmt("vehicle_id=%lld&type=lost_customer", (long long)at_cutoff));
    assert_int_equal(json_array_size(l), 1);
    assert_string_equal(jstr(json_array_get(l, 0), "due_date"), ds(d2));
    json_decref(l);
    l = list_as(adv, fmt("vehicle_id=%lld&type=lost_customer", (long long)after_cutoff));
    assert_int_equal(json_array_size(l), 0);
    json_decref(l);
    g = generate_as(admin, d2);
    nothing_created(g);
    json_decref(g);

    /* None of it is S1's. */
    l = list_as(tok(U_CALLER), fmt("vehicle_id=%lld", (long long)lost));
    assert_int_equal(json_array_size(l), 0);
    json_decref(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_followup_three_days_after_a_repair),
        cmocka_unit_test(test_generate_insurance_and_inspection_30_days_ahead),
        cmocka_unit_test(test_generate_month_start_first_maintenance_and_lost_customers),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
