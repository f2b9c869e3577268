/* Unit tests for core/classify (CRM-2): each rule at its threshold (spend exactly at it and one
 * fen below, visits, the day the overdue count passes, the month boundary of "lost") and the
 * precedence lost > vip > at_risk > regular. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/classify.h"

static const struct class_thresholds T = {
    .vip_spend_fen = 1000000, .vip_visits = 4, .at_risk_days = 30, .lost_months = 12};

static dms_day day(int y, int m, int d)
{
    return date_from_ymd(y, m, d);
}

/* A customer seen last week, nothing overdue, below both VIP thresholds. */
static struct class_figures plain(dms_day today)
{
    struct class_figures f = {.spend_fen = 0,
                              .visits = 1,
                              .last_visit = today - 7,
                              .known_since = today - 400,
                              .earliest_due = -1};
    return f;
}

static enum customer_class decide(const struct class_figures *f, dms_day today,
                                  enum class_reason *why)
{
    struct class_cutoffs c;
    classify_cutoffs(today, &T, &c);
    return classify_decide(f, &T, &c, why);
}

/* CRM-2: spend exactly at the threshold is VIP, one fen below is not. */
static void test_classify_spend_threshold(void **state)
{
    (void)state;
    dms_day today = day(2026, 6, 15);
    enum class_reason why;
    struct class_figures f = plain(today);
    f.spend_fen = 1000000;
    assert_int_equal(decide(&f, today, &why), CLASS_VIP);
    assert_int_equal(why, CLASS_REASON_VIP_SPEND);
    f.spend_fen = 999999;
    assert_int_equal(decide(&f, today, &why), CLASS_REGULAR);
    assert_int_equal(why, CLASS_REASON_REGULAR);
}

/* CRM-2: 0 turns the spend rule off (a customer who spent nothing is no VIP). */
static void test_classify_spend_off(void **state)
{
    (void)state;
    dms_day today = day(2026, 6, 15);
    struct class_thresholds t = T;
    t.vip_spend_fen = 0;
    struct class_cutoffs c;
    classify_cutoffs(today, &t, &c);
    enum class_reason why;
    struct class_figures f = plain(today);
    assert_int_equal(classify_decide(&f, &t, &c, &why), CLASS_REGULAR);
}

/* CRM-2: visits at the threshold are VIP, one fewer is not. */
static void test_classify_visits_threshold(void **state)
{
    (void)state;
    dms_day today = day(2026, 6, 15);
    enum class_reason why;
    struct class_figures f = plain(today);
    f.visits = 4;
    assert_int_equal(decide(&f, today, &why), CLASS_VIP);
    assert_int_equal(why, CLASS_REASON_VIP_VISITS);
    f.visits = 3;
    assert_int_equal(decide(&f, today, &why), CLASS_REGULAR);
}

/* CRM-2: due 30 days ago is not yet at risk (overdue by 30, not more); 31 days is. */
static void test_classify_overdue_day(void **state)
{
    (void)state;
    dms_day today = day(2026, 6, 15);
    enum class_reason why;
    struct class_figures f = plain(today);
    f.earliest_due = today - 30;
    assert_int_equal(decide(&f, today, &why), CLASS_REGULAR);
    f.earliest_due = today - 31;
    assert_int_equal(decide(&f, today, &why), CLASS_AT_RISK);
    assert_int_equal(why, CLASS_REASON_OVERDUE);
    /* The next day the same car passes the count. */
    f.earliest_due = today - 30;
    assert_int_equal(decide(&f, today + 1, &why), CLASS_AT_RISK);
    /* at_risk_days 0: overdue from the day after the due date. */
    struct class_thresholds t = T;
    t.at_risk_days = 0;
    struct class_cutoffs c;
    classify_cutoffs(today, &t, &c);
    f.earliest_due = today;
    assert_int_equal(classify_decide(&f, &t, &c, &why), CLASS_REGULAR);
    f.earliest_due = today - 1;
    assert_int_equal(classify_decide(&f, &t, &c, &why), CLASS_AT_RISK);
}

/* CRM-2: a visit exactly 12 months ago keeps the customer; a day earlier is lost; month ends
 * clamp (a visit on Feb 28 2025 is 12 months before Feb 28 2026, and on Mar 31 2025 one month
 * before Apr 30 with lost_months 1). */
static void test_classify_lost_month_boundary(void **state)
{
    (void)state;
    dms_day today = day(2026, 2, 28);
    enum class_reason why;
    struct class_figures f = plain(today);
    f.visits = 0;
    f.last_visit = day(2025, 2, 28);
    assert_int_equal(decide(&f, today, &why), CLASS_REGULAR);
    f.last_visit = day(2025, 2, 27);
    assert_int_equal(decide(&f, today, &why), CLASS_LOST);
    assert_int_equal(why, CLASS_REASON_LOST);
    struct class_thresholds t = T;
    t.lost_months = 1;
    struct class_cutoffs c;
    classify_cutoffs(day(2026, 4, 30), &t, &c);
    f.last_visit = day(2026, 3, 30);
    assert_int_equal(classify_decide(&f, &t, &c, &why), CLASS_REGULAR);
    f.last_visit = day(2026, 3, 29);
    assert_int_equal(classify_decide(&f, &t, &c, &why), CLASS_LOST);
}

/* CRM-2: a customer never seen is judged from the day they entered the archive. */
static void test_classify_never_seen(void **state)
{
    (void)state;
    dms_day today = day(2026, 6, 15);
    enum class_reason why;
    struct class_figures f = plain(today);
    f.visits = 0;
    f.last_visit = -1;
    f.known_since = today - 3;
    assert_int_equal(decide(&f, today, &why), CLASS_REGULAR);
    f.known_since = day(2025, 6, 14);
    assert_int_equal(decide(&f, today, &why), CLASS_LOST);
}

/* CRM-2: lost beats VIP, VIP beats at risk. */
static void test_classify_precedence(void **state)
{
    (void)state;
    dms_day today = day(2026, 6, 15);
    enum class_reason why;
    struct class_thresholds t = T;
    t.lost_months = 3;
    struct class_cutoffs c;
    classify_cutoffs(today, &t, &c);
    struct class_figures f = plain(today);
    f.spend_fen = 5000000;
    f.last_visit = today - 120;
    f.earliest_due = today - 100;
    assert_int_equal(classify_decide(&f, &t, &c, &why), CLASS_LOST);
    f.last_visit = today - 10;
    assert_int_equal(classify_decide(&f, &t, &c, &why), CLASS_VIP);
    f.spend_fen = 0;
    assert_int_equal(classify_decide(&f, &t, &c, &why), CLASS_AT_RISK);
}

/* The 12 months are (today - 12 months, today]: a year ago today is outside. */
static void test_classify_year_window(void **state)
{
    (void)state;
    struct class_cutoffs c;
    classify_cutoffs(date_from_ymd(2026, 6, 15), &T, &c);
    assert_int_equal(c.year_from, date_from_ymd(2025, 6, 16));
    assert_int_equal(c.seen_from, date_from_ymd(2025, 6, 15));
    assert_int_equal(c.overdue_before, date_from_ymd(2026, 5, 16));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify_spend_threshold),
        cmocka_unit_test(test_classify_spend_off),
        cmocka_unit_test(test_classify_visits_threshold),
        cmocka_unit_test(test_classify_overdue_day),
        cmocka_unit_test(test_classify_lost_month_boundary),
        cmocka_unit_test(test_classify_never_seen),
        cmocka_unit_test(test_classify_precedence),
        cmocka_unit_test(test_classify_year_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
