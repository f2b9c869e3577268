/* Unit tests for core/utilisation, the dashboard's bay utilisation (RPT-2): a day's open
 * minutes (the break left out, closed days, a day open round the clock), and the bay-minutes
 * offered and booked per day and bay: out-of-service periods removed from what a bay offers
 * (only where the store is open, overlaps once), bookings counted for their work inside the
 * open hours (across the lunch break, never on a closed day), retired bays offering nothing,
 * and spans outside the period or the bays ignored. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/calendar.h"
#include "core/utilisation.h"

#define HM(h, m) ((h)*60 + (m))

/* 08:30-17:30 with lunch 12:00-13:00: 210 + 270 = 480 open minutes. */
static struct day_hours std_hours(void)
{
    return (struct day_hours){true, HM(8, 30), HM(17, 30), HM(12, 0), HM(13, 0)};
}

static struct day_hours closed_hours(void)
{
    return (struct day_hours){false, HM(8, 30), HM(17, 30), HM(12, 0), HM(13, 0)};
}

static void same(const struct util_figures *f, int64_t capacity, int64_t booked)
{
    assert_int_equal(f->capacity_min, capacity);
    assert_int_equal(f->booked_min, booked);
}

/* ---- open minutes ---- */

static void test_utilisation_open_minutes_break_left_out(void **state)
{
    (void)state;
    struct day_hours h = std_hours();
    assert_int_equal(utilisation_open_minutes(&h), 480);
    h.break_from = h.break_until = 0; /* no break: 08:30-17:30 */
    assert_int_equal(utilisation_open_minutes(&h), 540);
}

static void test_utilisation_open_minutes_closed_and_all_day(void **state)
{
    (void)state;
    struct day_hours closed = closed_hours();
    assert_int_equal(utilisation_open_minutes(&closed), 0);
    struct day_hours all = {true, 0, 1440, 0, 0};
    assert_int_equal(utilisation_open_minutes(&all), 1440);
}

/* ---- a period's figures ---- */

/* Two days (open, closed) and two bays in service, nothing booked or down. */
static void test_utilisation_capacity_is_open_minutes_times_bays(void **state)
{
    (void)state;
    struct day_hours hours[2] = {std_hours(), closed_hours()};
    bool in_service[2] = {true, true};
    struct util_input in = {hours, 2, in_service, 2, NULL, 0, NULL, 0};
    struct util_figures days[2], bays[2], total;
    utilisation_compute(&in, days, bays, &total);
    same(&days[0], 960, 0);
    same(&days[1], 0, 0);
    same(&bays[0], 480, 0);
    same(&bays[1], 480, 0);
    same(&total, 960, 0);
}

/* Bay 1 down 08:30-10:30 on day 0 (120 minutes); another period inside it and one over the
 * lunch break take nothing more; bay 0 down from 17:00 until after midnight (the float's
 * end, 24:00 + 240) loses its last 30 minutes only. */
static void test_utilisation_downtime_removed_once_and_only_when_open(void **state)
{
    (void)state;
    struct day_hours hours[1] = {std_hours()};
    bool in_service[2] = {true, true};
    struct util_span down[] = {
        {0, 1, HM(8, 30), HM(10, 30)},
        {0, 1, HM(9, 0), HM(10, 0)},
        {0, 1, HM(12, 0), HM(13, 0)},
        {0, 0, HM(17, 0), 1440 + 240},
    };
    struct util_input in = {hours, 1, in_service, 2, down, 4, NULL, 0};
    struct util_figures days[1], bays[2], total;
    utilisation_compute(&in, days, bays, &total);
    same(&bays[0], 450, 0);
    same(&bays[1], 360, 0);
    same(&days[0], 810, 0);
    same(&total, 810, 0);
}

/* A job 11:00-14:00 across lunch works 120 minutes; one 09:00-10:00 60; the float is not
 * part of a span. A booking on the closed day counts nothing. */
static void test_utilisation_booked_minutes_inside_open_hours(void **state)
{
    (void)state;
    struct day_hours hours[2] = {std_hours(), closed_hours()};
    bool in_service[2] = {true, true};
    struct util_span booked[] = {
        {0, 0, HM(11, 0), HM(14, 0)},
        {0, 1, HM(9, 0), HM(10, 0)},
        {1, 0, HM(9, 0), HM(10, 0)},
    };
    struct util_input in = {hours, 2, in_service, 2, NULL, 0, booked, 3};
    struct util_figures days[2], bays[2], total;
    utilisation_compute(&in, days, bays, &total);
    same(&days[0], 960, 180);
    same(&days[1], 0, 0);
    same(&bays[0], 480, 120);
    same(&bays[1], 480, 60);
    same(&total, 960, 180);
}

/* Bookings of one bay that overlap count once; a booking starting before opening counts from
 * the opening. */
static void test_utilisation_overlapping_bookings_count_once(void **state)
{
    (void)state;
    struct day_hours hours[1] = {std_hours()};
    bool in_service[1] = {true};
    struct util_span booked[] = {
        {0, 0, HM(8, 0), HM(9, 30)},
        {0, 0, HM(9, 0), HM(10, 0)},
    };
    struct util_input in = {hours, 1, in_service, 1, NULL, 0, booked, 2};
    struct util_figures days[1], bays[1], total;
    utilisation_compute(&in, days, bays, &total);
    same(&total, 480, 90);
}

/* A retired bay offers nothing but its bookings still count; a booking over an
 * out-of-service period counts (a booking to move). */
static void test_utilisation_retired_bay_and_booking_over_downtime(void **state)
{
    (void)state;
    struct day_hours hours[1] = {std_hours()};
    bool in_service[2] = {true, false};
    struct util_span down[] = {{0, 0, HM(8, 30), HM(12, 0)}};
    struct util_span booked[] = {
        {0, 0, HM(9, 0), HM(10, 0)},
        {0, 1, HM(14, 0), HM(15, 30)},
    };
    struct util_input in = {hours, 1, in_service, 2, down, 1, booked, 2};
    struct util_figures days[1], bays[2], total;
    utilisation_compute(&in, days, bays, &total);
    same(&bays[0], 270, 60);
    same(&bays[1], 0, 90);
    same(&total, 270, 150);
}

/* Spans of a day or bay the period does not have are ignored. */
static void test_utilisation_spans_out_of_range_ignored(void **state)
{
    (void)state;
    struct day_hours hours[1] = {std_hours()};
    bool in_service[1] = {true};
    struct util_span spans[] = {
        {1, 0, HM(9, 0), HM(10, 0)},
        {0, 1, HM(9, 0), HM(10, 0)},
    };
    struct util_input in = {hours, 1, in_service, 1, spans, 2, spans, 2};
    struct util_figures days[1], bays[1], total;
    utilisation_compute(&in, days, bays, &total);
    same(&total, 480, 0);
}

/* No bays: nothing offered on an open day. */
static void test_utilisation_no_bays(void **state)
{
    (void)state;
    struct day_hours hours[1] = {std_hours()};
    struct util_input in = {hours, 1, NULL, 0, NULL, 0, NULL, 0};
    struct util_figures days[1], total;
    utilisation_compute(&in, days, NULL, &total);
    same(&days[0], 0, 0);
    same(&total, 0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utilisation_open_minutes_break_left_out),
        cmocka_unit_test(test_utilisation_open_minutes_closed_and_all_day),
        cmocka_unit_test(test_utilisation_capacity_is_open_minutes_times_bays),
        cmocka_unit_test(test_utilisation_downtime_removed_once_and_only_when_open),
        cmocka_unit_test(test_utilisation_booked_minutes_inside_open_hours),
        cmocka_unit_test(test_utilisation_overlapping_bookings_count_once),
        cmocka_unit_test(test_utilisation_retired_bay_and_booking_over_downtime),
        cmocka_unit_test(test_utilisation_spans_out_of_range_ignored),
        cmocka_unit_test(test_utilisation_no_bays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
