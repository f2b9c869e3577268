/* Unit tests for core/rates (RPT-1, RPT-2, IN-10): which counts make the reach, booking and
 * conversion rates; nothing to divide by is no figure, not 0 %; and the figure as a fraction,
 * in full or cut (not rounded) to a number of decimals in integer arithmetic. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>

#include "core/rates.h"

/* ---- helpers ---- */

#define assert_rate(r, want_num, want_den) assert_rate_at((r), (want_num), (want_den), __LINE__)

static void assert_rate_at(struct rate r, int64_t num, int64_t den, int line)
{
    if (!r.known || r.num != num || r.den != den)
        fail_msg("line %d: %s %lld/%lld, want %lld/%lld", line, r.known ? "known" : "unknown",
                 (long long)r.num, (long long)r.den, (long long)num, (long long)den);
}

/* Doubles compared exactly: the figures are what the API prints. */
#define assert_value(got, want)                                                                    \
    do {                                                                                           \
        double g_ = (got), w_ = (want);                                                            \
        if (g_ != w_)                                                                              \
            fail_msg("%.17g, want %.17g", g_, w_);                                                 \
    } while (0)

/* ---- tests ---- */

/* A zero denominator: no figure, whatever the numerator. */
static void test_rates_zero_denominator_has_no_figure(void **state)
{
    (void)state;
    assert_false(rate_of(0, 0).known);
    assert_false(rate_of(3, 0).known);
    /* No calls made: no reach rate. */
    assert_false(rate_reach(0, 0).known);
    /* Calls made, none reached: a reach rate of 0, no booking rate. */
    assert_rate(rate_reach(4, 0), 0, 4);
    assert_false(rate_booking(0, 0).known);
    /* No booking calls at all: no conversion. */
    assert_false(rate_conversion(0, 0).known);
    assert_value(rate_value(rate_of(3, 0), 4), 0);
    assert_value(rate_value(rate_of(3, 0), RATE_FULL), 0);
}

/* RPT-2: reach = reached of created; booking = booked of reached. */
static void test_rates_reach_and_booking_counts(void **state)
{
    (void)state;
    assert_rate(rate_reach(6, 5), 5, 6);
    assert_rate(rate_booking(5, 1), 1, 5);
    assert_rate(rate_of(7, 9), 7, 9);
}

/* IN-10: conversion = booked of booked and failed. */
static void test_rates_conversion_counts(void **state)
{
    (void)state;
    assert_rate(rate_conversion(3, 1), 3, 4);
    assert_rate(rate_conversion(0, 2), 0, 2);
    assert_rate(rate_conversion(2, 0), 2, 2);
    assert_value(rate_value(rate_conversion(3, 1), RATE_FULL), 0.75);
    assert_value(rate_value(rate_conversion(2, 1), RATE_FULL), 2.0 / 3.0);
}

/* Four decimals, cut: 5/6 is 0.8333 (not 0.8334), 2/3 is 0.6666; exact in integers, so 57
 * of 100 is 0.57, where 57.0 / 100 * 10000 in doubles falls just short (5699.999...). */
static void test_rates_value_cut_to_decimals(void **state)
{
    (void)state;
    assert_value(rate_value(rate_of(5, 6), 4), 0.8333);
    assert_value(rate_value(rate_of(2, 3), 4), 0.6666);
    assert_value(rate_value(rate_of(57, 100), 4), 0.57);
    assert_value(rate_value(rate_of(43, 125), 4), 0.344);
    assert_value(rate_value(rate_of(1, 5), 4), 0.2);
    assert_value(rate_value(rate_of(6, 6), 4), 1.0);
    /* More booked than offered (bays taken out of service under bookings): above 1. */
    assert_value(rate_value(rate_of(600, 480), 4), 1.25);
    assert_value(rate_value(rate_of(5, 6), 1), 0.8);
    assert_value(rate_value(rate_of(5, 6), 0), 0);
    /* In full: the double's own quotient. */
    assert_value(rate_value(rate_of(5, 6), RATE_FULL), 5.0 / 6.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rates_zero_denominator_has_no_figure),
        cmocka_unit_test(test_rates_reach_and_booking_counts),
        cmocka_unit_test(test_rates_conversion_counts),
        cmocka_unit_test(test_rates_value_cut_to_decimals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
