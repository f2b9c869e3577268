/* Unit tests for core/workshop_report (RO-8): the comeback window's edges, averages,
 * efficiency and percentages with nothing to divide by, and the counts added up. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/workshop_report.h"

#define DAY 86400

/* RO-8: the 30-day window: exactly 30 x 24 h before the arrival is in, a second more is out;
 * a delivery at or after the arrival is no earlier visit. */
static void test_workshop_report_comeback_window(void **state)
{
    (void)state;
    int64_t at = 1796637600;
    assert_true(workshop_is_comeback(at, at - 30 * DAY));
    assert_false(workshop_is_comeback(at, at - 30 * DAY - 1));
    assert_true(workshop_is_comeback(at, at - 1));
    assert_false(workshop_is_comeback(at, at));
    assert_false(workshop_is_comeback(at, at + 60));
    assert_true(workshop_is_comeback(at, at - 29 * DAY));
}

/* Nothing to divide by is no figure (-1), not 0. */
static void test_workshop_report_no_figure(void **state)
{
    (void)state;
    struct workshop_counts c = {0};
    struct workshop_figures f;
    workshop_figures_of(&c, &f);
    assert_int_equal(f.booking_share_tenths, -1);
    assert_int_equal(f.avg_wait_tenths[RO_SOURCE_APPOINTMENT], -1);
    assert_int_equal(f.avg_wait_tenths[RO_SOURCE_WALK_IN], -1);
    assert_int_equal(f.efficiency_tenths, -1);
    assert_int_equal(f.on_time_tenths, -1);
    assert_int_equal(f.comeback_tenths, -1);
    assert_int_equal(f.hours_clocked_x100, 0);
    assert_int_equal(f.revenue_fen, 0);
    /* Hours sold but nothing clocked: still no efficiency. */
    assert_int_equal(workshop_efficiency_tenths(150, 0), -1);
    /* Clocked but nothing sold: 0 %, a figure. */
    assert_int_equal(workshop_efficiency_tenths(0, 45), 0);
    /* Delivered orders without a promised time give no on-time figure. */
    c.delivered = 3;
    workshop_figures_of(&c, &f);
    assert_int_equal(f.on_time_tenths, -1);
}

/* Averages and efficiency round half up to a tenth. */
static void test_workshop_report_rounding(void **state)
{
    (void)state;
    assert_int_equal(workshop_avg_tenths(0, 1), 0);
    assert_int_equal(workshop_avg_tenths(25, 2), 125); /* 12.5 exactly */
    assert_int_equal(workshop_avg_tenths(10, 3), 33);  /* 3.33 -> 3.3 */
    assert_int_equal(workshop_avg_tenths(20, 3), 67);  /* 6.67 -> 6.7 */
    assert_int_equal(workshop_avg_tenths(1, 16), 1);   /* 0.0625 -> 0.1 */
    assert_int_equal(workshop_avg_tenths(1, 0), -1);
    /* 1.00 h sold in 60 min: 100 %; 1.50 h in 80 min: 112.5 %; 1.00 h in 90 min: 66.7 %. */
    assert_int_equal(workshop_efficiency_tenths(100, 60), 1000);
    assert_int_equal(workshop_efficiency_tenths(150, 80), 1125);
    assert_int_equal(workshop_efficiency_tenths(100, 90), 667);
    /* 0.01 h sold in 1 min: 0.6 min of 1 = 60 %. */
    assert_int_equal(workshop_efficiency_tenths(1, 1), 600);
    assert_int_equal(workshop_hours_x100(0), 0);
    assert_int_equal(workshop_hours_x100(1), 2);    /* 0.0167 -> 0.02 */
    assert_int_equal(workshop_hours_x100(80), 133); /* 1.333 -> 1.33 */
    assert_int_equal(workshop_hours_x100(90), 150);
    assert_int_equal(workshop_hours_x100(50), 83); /* 0.8333 -> 0.83 */
}

/* A day's counts added to the period's, and the figures of the sum. */
static void test_workshop_report_counts_add(void **state)
{
    (void)state;
    struct workshop_counts a = {0}, b = {0}, t = {0};
    a.orders = 4;
    a.by_source[RO_SOURCE_APPOINTMENT] = 3;
    a.by_source[RO_SOURCE_WALK_IN] = 1;
    a.by_kind[SERVICE_MAINTENANCE] = 4;
    a.wait_sum_min[RO_SOURCE_APPOINTMENT] = 15, a.waited[RO_SOURCE_APPOINTMENT] = 3;
    a.wait_sum_min[RO_SOURCE_WALK_IN] = 40, a.waited[RO_SOURCE_WALK_IN] = 1;
    a.sold_x100 = 400, a.clocked_min = 200;
    a.delivered = 2, a.on_time = 1, a.late = 1;
    a.revenue_fen[RO_LINE_LABOUR][PAYER_CUSTOMER] = 20000;
    a.revenue_fen[RO_LINE_PART][PAYER_WARRANTY] = 5000;
    b.orders = 3;
    b.by_source[RO_SOURCE_WALK_IN] = 3;
    b.by_kind[SERVICE_REPAIR] = 2, b.by_kind[SERVICE_ACCIDENT] = 1;
    b.cancelled = 2;
    b.wait_sum_min[RO_SOURCE_WALK_IN] = 50, b.waited[RO_SOURCE_WALK_IN] = 2;
    b.comebacks = 1;
    b.delivered = 1, b.on_time = 1;
    b.revenue_fen[RO_LINE_LABOUR][PAYER_CUSTOMER] = 10000;
    b.revenue_fen[RO_LINE_PART][PAYER_FREE] = 800;
    b.discount_fen = 1000;
    workshop_counts_add(&t, &a);
    workshop_counts_add(&t, &b);
    assert_int_equal(t.orders, 7);
    assert_int_equal(t.by_source[RO_SOURCE_APPOINTMENT], 3);
    assert_int_equal(t.by_source[RO_SOURCE_WALK_IN], 4);
    assert_int_equal(t.by_kind[SERVICE_MAINTENANCE], 4);
    assert_int_equal(t.by_kind[SERVICE_REPAIR], 2);
    assert_int_equal(t.cancelled, 2);
    assert_int_equal(t.delivered, 3);
    assert_int_equal(t.discount_fen, 1000);
    struct workshop_figures f;
    workshop_figures_of(&t, &f);
    assert_int_equal(f.booking_share_tenths, 429);                  /* 3 of 7 */
    assert_int_equal(f.avg_wait_tenths[RO_SOURCE_APPOINTMENT], 50); /* 15 / 3 */
    assert_int_equal(f.avg_wait_tenths[RO_SOURCE_WALK_IN], 300);    /* 90 / 3 */
    assert_int_equal(f.efficiency_tenths, 1200);                    /* 4 h in 200 min */
    assert_int_equal(f.on_time_tenths, 667);                        /* 2 of 3 */
    assert_int_equal(f.comeback_tenths, 143);                       /* 1 of 7 */
    assert_int_equal(f.hours_clocked_x100, 333);
    assert_int_equal(f.labour_fen, 30000);
    assert_int_equal(f.parts_fen, 5800);
    assert_int_equal(f.revenue_fen, 35800);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workshop_report_comeback_window),
        cmocka_unit_test(test_workshop_report_no_figure),
        cmocka_unit_test(test_workshop_report_rounding),
        cmocka_unit_test(test_workshop_report_counts_add),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
