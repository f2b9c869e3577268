/* Unit tests for core/schedule (MR-1): the next periodic maintenance by time or by distance,
 * whichever comes first. Every expected date is worked out by hand (and checked against a
 * calendar) and written as a literal, never recomputed with the module's own formula. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/schedule.h"

/* ---- helpers ---- */

static dms_day day(const char *s)
{
    dms_day d = 0;
    struct dms_error err = {0};
    if (date_parse(s, &d, "date", &err) != 0)
        fail_msg("\"%s\" refused: %s", s, err.message);
    return d;
}

static void assert_day(dms_day got, const char *want)
{
    char out[DATE_STR];
    date_format(got, out);
    if (strcmp(out, want) != 0)
        fail_msg("got %s, want %s", out, want);
}

/* Average km per day, compared as doubles (cmocka's float compare would round them). */
static void assert_daily_km(double got, double want)
{
    if (got - want > 1e-9 || want - got > 1e-9)
        fail_msg("daily km %.12f, want %.12f", got, want);
}

/* The store defaults: 5000 km / 6 months, first service 3000 km / 3 months, 40 km a day. */
static struct schedule_input input_default(void)
{
    struct schedule_input in = {
        .plan = {.interval_km = PLAN_DEFAULT_INTERVAL_KM,
                 .first_km = PLAN_DEFAULT_FIRST_KM,
                 .interval_months = PLAN_DEFAULT_INTERVAL_MONTHS,
                 .first_months = PLAN_DEFAULT_FIRST_MONTHS},
        .default_daily_km = 40,
    };
    return in;
}

static void set_service(struct schedule_input *in, const char *date, int64_t km)
{
    in->has_service = true;
    in->service_date = day(date);
    in->service_km = km;
}

static void set_base(struct schedule_input *in, const char *date)
{
    in->has_base = true;
    in->base_date = day(date);
}

static void set_readings(struct schedule_input *in, const struct reading *r, size_t n)
{
    in->readings = r;
    in->n_readings = n;
}

static void assert_next(const struct schedule_input *in, const char *due_date, int64_t due_km,
                        enum schedule_basis basis)
{
    struct next_service ns = schedule_next_service(in);
    assert_true(ns.known);
    assert_day(ns.due_date, due_date);
    assert_int_equal(ns.due_km, due_km);
    if (ns.basis != basis)
        fail_msg("basis %s, want %s", SCHEDULE_BASIS_NAMES[ns.basis], SCHEDULE_BASIS_NAMES[basis]);
}

/* ---- boundaries: tie, exact ceil, 29/30-day span, 365-day window ---- */

/* MR-1: a tie between time and mileage goes to time; one day earlier by mileage wins. */
static void test_schedule_tie_goes_to_time(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    set_service(&in, "2026-01-10", 10000); /* due 15000 km or 2026-07-10 */
    /* A single reading: the default 40 km/day. 400 km left = 10 days = 2026-07-10. */
    struct reading r[] = {{day("2026-06-30"), 14600}};
    set_readings(&in, r, 1);
    assert_next(&in, "2026-07-10", 15000, BASIS_TIME);

    /* 399 km left still takes ceil(9.975) = 10 days: a tie again. */
    r[0].km = 14601;
    assert_next(&in, "2026-07-10", 15000, BASIS_TIME);

    /* 360 km left = 9 days: 2026-07-09, a day before the time limit. */
    r[0].km = 14640;
    assert_next(&in, "2026-07-09", 15000, BASIS_MILEAGE);
    struct next_service ns = schedule_next_service(&in);
    assert_true(ns.daily_km_default);
    assert_daily_km(ns.daily_km, 40.0);
}

/* MR-1: the projection is ceil(remaining / average) with the average 1000 km / 30 days
 * (33.33.. km/day, not exact in binary): 4000 km is exactly 120 days, 4001 km is 121. */
static void test_schedule_mileage_exact_ceil(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    set_service(&in, "2026-01-01", 1000); /* time: 2026-07-01 */
    struct reading r[] = {{day("2026-01-01"), 1000}, {day("2026-01-31"), 2000}};
    set_readings(&in, r, 2);
    assert_next(&in, "2026-05-31", 6000, BASIS_MILEAGE);

    in.plan.interval_km = 5001; /* 4001 km left: 120.03 days -> 121 */
    assert_next(&in, "2026-06-01", 6001, BASIS_MILEAGE);

    /* 100 km left at 33.33.. km/day is exactly 3 days, 101 km is 4. */
    in.plan.interval_km = 1100;
    assert_next(&in, "2026-02-03", 2100, BASIS_MILEAGE);
    in.plan.interval_km = 1101;
    assert_next(&in, "2026-02-04", 2101, BASIS_MILEAGE);
}

/* MR-1: readings 29 days apart fall back to the store default; 30 days apart are averaged. */
static void test_schedule_span_29_days_uses_default(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    set_base(&in, "2026-03-01"); /* first service: 3000 km or 2026-06-01 */
    struct reading r[] = {{day("2026-03-01"), 0}, {day("2026-03-30"), 1450}};
    set_readings(&in, r, 2);
    /* 50 km/day really, but 29 days: 40 km/day, 1550 km left = ceil(38.75) = 39 days. */
    assert_next(&in, "2026-05-08", 3000, BASIS_MILEAGE);
    bool used_default = false;
    assert_daily_km(schedule_daily_km(r, 2, 40, &used_default), 40.0);
    assert_true(used_default);
    struct next_service ns = schedule_next_service(&in);
    assert_true(ns.daily_km_default);
}

static void test_schedule_span_30_days_is_averaged(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    set_base(&in, "2026-03-01");
    struct reading r[] = {{day("2026-03-01"), 0}, {day("2026-03-31"), 1500}};
    set_readings(&in, r, 2);
    /* 1500 km in 30 days = 50 km/day; 1500 km left = 30 days. */
    assert_next(&in, "2026-04-30", 3000, BASIS_MILEAGE);
    bool used_default = true;
    assert_daily_km(schedule_daily_km(r, 2, 40, &used_default), 50.0);
    assert_false(used_default);
    struct next_service ns = schedule_next_service(&in);
    assert_false(ns.daily_km_default);
    assert_daily_km(ns.daily_km, 50.0);
}

/* MR-1: only the readings of the 365 days up to the latest one count. 2025-01-01 is 365
 * days before 2026-01-01, so 2024-12-31 (366 days) is out and 2025-01-02 (364) is in. */
static void test_schedule_daily_km_window_boundary(void **state)
{
    (void)state;
    bool used_default = true;
    struct reading out[] = {
        {day("2024-12-31"), 0}, {day("2025-09-23"), 1000}, {day("2026-01-01"), 2000}};
    /* Without the old reading: 1000 km over the 100 days from 2025-09-23. */
    assert_daily_km(schedule_daily_km(out, 3, 40, &used_default), 10.0);
    assert_false(used_default);

    struct reading in[] = {
        {day("2025-01-02"), 0}, {day("2025-09-23"), 1000}, {day("2026-01-01"), 2000}};
    /* 2000 km over 364 days. */
    assert_daily_km(schedule_daily_km(in, 3, 40, &used_default), 2000.0 / 364.0);
    assert_false(used_default);
}

/* MR-1: a long history whose window holds only the latest reading is a default average. */
static void test_schedule_daily_km_only_latest_in_window(void **state)
{
    (void)state;
    bool used_default = false;
    struct reading r[] = {{day("2024-06-01"), 0}, {day("2026-01-01"), 30000}};
    assert_daily_km(schedule_daily_km(r, 2, 35, &used_default), 35.0);
    assert_true(used_default);
}

static void test_schedule_daily_km_too_few_readings(void **state)
{
    (void)state;
    bool used_default = false;
    assert_daily_km(schedule_daily_km(NULL, 0, 40, &used_default), 40.0);
    assert_true(used_default);
    struct reading one[] = {{day("2026-01-01"), 5000}};
    used_default = false;
    assert_daily_km(schedule_daily_km(one, 1, 25, &used_default), 25.0);
    assert_true(used_default);
}

/* MR-1: readings older than 365 days do not change the average, so not the due date. */
static void test_schedule_old_readings_ignored(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    in.plan.interval_months = 12;
    set_service(&in, "2025-07-01", 10000); /* due 15000 km or 2026-07-01 */
    struct reading r[] = {
        {day("2024-12-31"), 0}, /* 366 days old: 12000/366 = 32.8 km/day would give 2026-04-03 */
        {day("2025-07-01"), 10000},
        {day("2026-01-01"), 12000},
    };
    set_readings(&in, r, 3);
    /* 2000 km in 184 days; 3000 km left = 276 days = 2026-10-04, after the time limit. */
    assert_next(&in, "2026-07-01", 15000, BASIS_TIME);
    struct next_service ns = schedule_next_service(&in);
    assert_daily_km(ns.daily_km, 2000.0 / 184.0);
    assert_false(ns.daily_km_default);
}

/* ---- due by time ---- */

/* MR-1: few km driven: due by time; Aug 31 + 6 months clamps to Feb 28 (2026). */
static void test_schedule_time_based_month_end(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    set_service(&in, "2025-08-31", 20000);
    /* 1000 km in 154 days; 4000 km left = 616 days. */
    struct reading r[] = {{day("2025-08-31"), 20000}, {day("2026-02-01"), 21000}};
    set_readings(&in, r, 2);
    assert_next(&in, "2026-02-28", 25000, BASIS_TIME);
}

/* MR-1: ... and to Feb 29 in a leap year. */
static void test_schedule_time_based_leap_year(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    set_service(&in, "2023-08-31", 20000);
    struct reading r[] = {{day("2023-08-31"), 20000}, {day("2024-02-01"), 21000}};
    set_readings(&in, r, 2);
    assert_next(&in, "2024-02-29", 25000, BASIS_TIME);
}

/* MR-1: zero km driven over the window never reaches due_km: due by time. */
static void test_schedule_zero_km_driven_is_time(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    set_service(&in, "2026-01-01", 10000);
    struct reading r[] = {{day("2026-01-01"), 10000}, {day("2026-03-01"), 10000}};
    set_readings(&in, r, 2);
    assert_next(&in, "2026-07-01", 15000, BASIS_TIME);
    struct next_service ns = schedule_next_service(&in);
    assert_false(ns.daily_km_default);
    assert_daily_km(ns.daily_km, 0.0);
}

/* ---- due by mileage ---- */

/* MR-1: 3000 km in 60 days (50 km/day), 2000 km left = 40 days after the latest reading. */
static void test_schedule_mileage_based(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    set_service(&in, "2026-01-01", 20000);
    struct reading r[] = {{day("2026-01-01"), 20000}, {day("2026-03-02"), 23000}};
    set_readings(&in, r, 2);
    assert_next(&in, "2026-04-11", 25000, BASIS_MILEAGE);
}

/* MR-1: a projection over Feb 29: 30 days after 2024-02-01 is 2024-03-02. */
static void test_schedule_mileage_across_feb_29(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    set_service(&in, "2024-01-02", 9000);
    in.plan.interval_km = 6000; /* 15000 km or 2024-07-02 */
    /* 3000 km in 30 days = 100 km/day; 3000 km left = 30 days (2025 would give Mar 3). */
    struct reading r[] = {{day("2024-01-02"), 9000}, {day("2024-02-01"), 12000}};
    set_readings(&in, r, 2);
    assert_next(&in, "2024-03-02", 15000, BASIS_MILEAGE);
}

/* ---- first service ---- */

/* MR-1: no service yet: first_km and purchase date + first_months; year boundary. */
static void test_schedule_first_service_by_time(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    set_base(&in, "2025-11-30"); /* + 3 months = 2026-02-28 (clamped) */
    /* 300 km in 40 days; 2700 km left = 360 days. */
    struct reading r[] = {{day("2025-11-30"), 0}, {day("2026-01-09"), 300}};
    set_readings(&in, r, 2);
    assert_next(&in, "2026-02-28", 3000, BASIS_TIME);
}

static void test_schedule_first_service_by_mileage(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    set_base(&in, "2026-01-01"); /* time: 2026-04-01 */
    /* 1500 km in 31 days; 1500 km left = 31 days after 2026-02-01. */
    struct reading r[] = {{day("2026-01-01"), 0}, {day("2026-02-01"), 1500}};
    set_readings(&in, r, 2);
    assert_next(&in, "2026-03-04", 3000, BASIS_MILEAGE);
}

/* MR-1: the purchase date, not the first reading, starts the first service's months. */
static void test_schedule_first_service_purchase_before_first_reading(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    set_base(&in, "2025-12-15"); /* + 3 months = 2026-03-15 */
    /* 10 days of readings: default 40; 2500 km left = ceil(62.5) = 63 days = 2026-03-24. */
    struct reading r[] = {{day("2026-01-10"), 100}, {day("2026-01-20"), 500}};
    set_readings(&in, r, 2);
    assert_next(&in, "2026-03-15", 3000, BASIS_TIME);
}

/* MR-1: the service on record, not the purchase, is the base once there is one. */
static void test_schedule_service_overrides_base(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    set_base(&in, "2025-01-15");
    set_service(&in, "2025-10-20", 8000); /* 13000 km or 2026-04-20 */
    struct reading r[] = {{day("2025-01-15"), 0}, {day("2025-10-20"), 8000}};
    set_readings(&in, r, 2);
    /* 8000 km in 278 days = 28.8 km/day; 5000 km left = ceil(173.75) = 174 days = 2026-04-12. */
    assert_next(&in, "2026-04-12", 13000, BASIS_MILEAGE);
    in.plan.interval_km = 6000; /* 6000 km left = 208.5 -> 209 days: 2026-05-17, after time */
    assert_next(&in, "2026-04-20", 14000, BASIS_TIME);
}

/* MR-1: without a purchase date the first reading is the car's base for time. */
static void test_schedule_first_service_without_base(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    in.default_daily_km = 20;
    /* 5 days of readings: default 20 km/day; 2400 km left = 120 days = 2026-03-20. */
    struct reading r[] = {{day("2025-11-15"), 500}, {day("2025-11-20"), 600}};
    set_readings(&in, r, 2);
    assert_next(&in, "2026-02-15", 3000, BASIS_TIME);
}

/* ---- overdue ---- */

/* MR-1: past due_km the car is due on the date of its latest reading; exactly at due_km
 * too; one km short it is due the next day. */
static void test_schedule_overdue_by_mileage(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    set_service(&in, "2026-01-10", 10000); /* 15000 km or 2026-07-10 */
    struct reading r[] = {{day("2026-01-10"), 10000}, {day("2026-03-01"), 15500}};
    set_readings(&in, r, 2);
    assert_next(&in, "2026-03-01", 15000, BASIS_MILEAGE);
    r[1].km = 15000;
    assert_next(&in, "2026-03-01", 15000, BASIS_MILEAGE);
    r[1].km = 14999; /* 1 km left at 4999 km / 50 days: ceil(0.01) = 1 day */
    assert_next(&in, "2026-03-02", 15000, BASIS_MILEAGE);
}

/* MR-1: exactly at due_km is due on the latest reading's date even when the window shows
 * no km driven (no projection is needed). */
static void test_schedule_overdue_at_due_km_without_driving(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    set_service(&in, "2026-01-10", 10000); /* 15000 km or 2026-07-10 */
    struct reading r[] = {{day("2026-01-10"), 15000}, {day("2026-03-01"), 15000}};
    set_readings(&in, r, 2);
    assert_next(&in, "2026-03-01", 15000, BASIS_MILEAGE);
}

/* MR-1: past due_km, but the time limit passed even earlier: the earlier date wins. */
static void test_schedule_overdue_time_passed_first(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    set_service(&in, "2025-01-10", 10000); /* 15000 km or 2025-07-10 */
    struct reading r[] = {{day("2025-01-10"), 10000}, {day("2026-03-01"), 16000}};
    set_readings(&in, r, 2);
    assert_next(&in, "2025-07-10", 15000, BASIS_TIME);
}

/* ---- no readings ---- */

/* MR-1: no readings: 0 km on the base date at the default rate: 3000 km / 40 = 75 days. */
static void test_schedule_no_readings_from_base(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    set_base(&in, "2026-01-01"); /* time: 2026-04-01 */
    assert_next(&in, "2026-03-17", 3000, BASIS_MILEAGE);
    struct next_service ns = schedule_next_service(&in);
    assert_true(ns.daily_km_default);
    assert_daily_km(ns.daily_km, 40.0);

    in.plan.first_km = 3001; /* from 0 km, not 1: 3001 / 40 = 75.025 -> 76 days */
    assert_next(&in, "2026-03-18", 3001, BASIS_MILEAGE);

    in.plan.first_km = 3000;
    in.default_daily_km = 20; /* 150 days = 2026-05-31, after the time limit */
    assert_next(&in, "2026-04-01", 3000, BASIS_TIME);
}

static void test_schedule_no_readings_no_base_unknown(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    struct next_service ns = schedule_next_service(&in);
    assert_false(ns.known);
}

/* ---- plan change ---- */

/* MR-1: the same car under three plans gives three different answers. */
static void test_schedule_plan_change(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    set_service(&in, "2026-01-01", 20000);
    struct reading r[] = {{day("2026-01-01"), 20000}, {day("2026-03-02"), 23000}}; /* 50/day */
    set_readings(&in, r, 2);

    in.plan.interval_km = 5000; /* 2000 km left = 40 days */
    in.plan.interval_months = 6;
    assert_next(&in, "2026-04-11", 25000, BASIS_MILEAGE);

    in.plan.interval_km = 10000; /* 7000 km left = 140 days; time 2027-01-01 */
    in.plan.interval_months = 12;
    assert_next(&in, "2026-07-20", 30000, BASIS_MILEAGE);

    in.plan.interval_months = 3; /* time 2026-04-01 comes first */
    assert_next(&in, "2026-04-01", 30000, BASIS_TIME);
}

/* MR-1: the first-service values of the plan apply only while there is no service. */
static void test_schedule_plan_first_values(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    in.plan.first_km = 1000;
    in.plan.first_months = 1;
    set_base(&in, "2026-01-31"); /* + 1 month = 2026-02-28 */
    struct reading r[] = {{day("2026-01-31"), 0}, {day("2026-02-10"), 100}}; /* default 40 */
    set_readings(&in, r, 2);
    /* 900 km left / 40 = ceil(22.5) = 23 days = 2026-03-05: time wins. */
    assert_next(&in, "2026-02-28", 1000, BASIS_TIME);
    in.plan.first_months = 2; /* 2026-03-31: mileage wins */
    assert_next(&in, "2026-03-05", 1000, BASIS_MILEAGE);
}

/* ---- the used-car rule (MR-1, MR-2; issue 14) ---- */

static void set_known(struct schedule_input *in, const char *known, const char *purchase)
{
    in->has_known = true;
    in->known_date = day(known);
    in->has_base = true;
    in->purchase_known = purchase != NULL;
    in->base_date = day(purchase ? purchase : known);
}

/* Registered at 23,000 km with no history and no purchase date: not "due at 3,000 km" but at
 * the grid's next 28,000 km; by time known + 6 months (age unknown). 5,000 km at the default
 * 40 km a day is 125 days: 2026-12-01 + 125 = 2027-04-05, before 2027-06-01. */
static void test_schedule_used_car_by_mileage(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    const struct reading r[] = {{day("2026-12-01"), 23000}};
    set_readings(&in, r, 1);
    set_known(&in, "2026-12-01", NULL);
    struct next_service ns = schedule_next_service(&in);
    assert_true(ns.known);
    assert_int_equal(ns.rule, RULE_USED);
    assert_int_equal(ns.due_km, 28000);
    assert_day(ns.due_date, "2027-04-05");
    assert_int_equal(ns.basis, BASIS_MILEAGE);
    assert_string_equal(SCHEDULE_RULE_NAMES[ns.rule], "used_car");
    /* Without known_since the old first-service rule applies: due at once at 3,000 km. */
    in.has_known = false;
    ns = schedule_next_service(&in);
    assert_int_equal(ns.rule, RULE_FIRST);
    assert_int_equal(ns.due_km, 3000);
    assert_day(ns.due_date, "2026-12-01");
}

/* The km boundary: first known below first_km + interval_km (8,000) the first service is
 * taken as just overdue (due now at 3,000 km); at 8,000 the car had its services elsewhere:
 * the grid's next point, 13,000. */
static void test_schedule_used_car_km_boundary(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    struct reading r[] = {{day("2026-12-01"), 7999}};
    set_readings(&in, r, 1);
    set_known(&in, "2026-12-01", NULL);
    struct next_service ns = schedule_next_service(&in);
    assert_int_equal(ns.rule, RULE_FIRST);
    assert_int_equal(ns.due_km, 3000);
    assert_day(ns.due_date, "2026-12-01");
    r[0].km = 8000;
    ns = schedule_next_service(&in);
    assert_int_equal(ns.rule, RULE_USED);
    assert_int_equal(ns.due_km, 13000);
    /* On the grid exactly (23,000 = 3,000 + 4 x 5,000): the next point, 28,000. */
    r[0].km = 23000;
    assert_int_equal(schedule_next_service(&in).due_km, 28000);
    /* A reading after the day it became known does not make it a used car. */
    struct reading later[] = {{day("2026-12-01"), 2000}, {day("2027-06-01"), 9000}};
    set_readings(&in, later, 2);
    assert_int_equal(schedule_next_service(&in).rule, RULE_FIRST);
}

/* Purchase known (2022-03-15): by time the grid 2022-06-15 + 6k months, the first after the
 * day it became known (2026-12-01): 2026-12-15, before the mileage date. */
static void test_schedule_used_car_age_grid(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    const struct reading r[] = {{day("2022-03-15"), 0}, {day("2026-12-01"), 23000}};
    set_readings(&in, r, 2);
    set_known(&in, "2026-12-01", "2022-03-15");
    struct next_service ns = schedule_next_service(&in);
    assert_int_equal(ns.rule, RULE_USED);
    assert_int_equal(ns.due_km, 28000);
    assert_day(ns.due_date, "2026-12-15");
    assert_int_equal(ns.basis, BASIS_TIME);
    /* Known on a grid day itself: the next grid day is 2027-06-15; the mileage comes first. */
    in.known_date = day("2026-12-15");
    assert_day(schedule_next_service(&in).due_date, "2027-04-05");
}

/* Used by distance, purchase known (2025-09-10): the age grid 2025-12-10 + 6k months, the
 * first after the day it became known (2026-06-01), is 2026-06-10; the distance (4,500 km
 * more at 8,500 km in 264 days: 140 days) comes later. A periodic service on record: the
 * interval rule. */
static void test_schedule_used_car_then_a_service(void **state)
{
    (void)state;
    struct schedule_input in = input_default();
    struct reading r[] = {{day("2025-09-10"), 0}, {day("2026-06-01"), 8500}};
    set_readings(&in, r, 2);
    set_known(&in, "2026-06-01", "2025-09-10");
    struct next_service ns = schedule_next_service(&in);
    assert_int_equal(ns.rule, RULE_USED);
    assert_int_equal(ns.due_km, 13000);
    assert_day(ns.due_date, "2026-06-10");
    assert_int_equal(ns.basis, BASIS_TIME);
    set_service(&in, "2026-06-05", 8600);
    ns = schedule_next_service(&in);
    assert_int_equal(ns.rule, RULE_INTERVAL);
    assert_int_equal(ns.due_km, 13600);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule_tie_goes_to_time),
        cmocka_unit_test(test_schedule_mileage_exact_ceil),
        cmocka_unit_test(test_schedule_span_29_days_uses_default),
        cmocka_unit_test(test_schedule_span_30_days_is_averaged),
        cmocka_unit_test(test_schedule_daily_km_window_boundary),
        cmocka_unit_test(test_schedule_daily_km_only_latest_in_window),
        cmocka_unit_test(test_schedule_daily_km_too_few_readings),
        cmocka_unit_test(test_schedule_old_readings_ignored),
        cmocka_unit_test(test_schedule_time_based_month_end),
        cmocka_unit_test(test_schedule_time_based_leap_year),
        cmocka_unit_test(test_schedule_zero_km_driven_is_time),
        cmocka_unit_test(test_schedule_mileage_based),
        cmocka_unit_test(test_schedule_mileage_across_feb_29),
        cmocka_unit_test(test_schedule_first_service_by_time),
        cmocka_unit_test(test_schedule_first_service_by_mileage),
        cmocka_unit_test(test_schedule_first_service_purchase_before_first_reading),
        cmocka_unit_test(test_schedule_service_overrides_base),
        cmocka_unit_test(test_schedule_first_service_without_base),
        cmocka_unit_test(test_schedule_overdue_by_mileage),
        cmocka_unit_test(test_schedule_overdue_at_due_km_without_driving),
        cmocka_unit_test(test_schedule_overdue_time_passed_first),
        cmocka_unit_test(test_schedule_no_readings_from_base),
        cmocka_unit_test(test_schedule_no_readings_no_base_unknown),
        cmocka_unit_test(test_schedule_plan_change),
        cmocka_unit_test(test_schedule_plan_first_values),
        cmocka_unit_test(test_schedule_used_car_by_mileage),
        cmocka_unit_test(test_schedule_used_car_km_boundary),
        cmocka_unit_test(test_schedule_used_car_age_grid),
        cmocka_unit_test(test_schedule_used_car_then_a_service),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
