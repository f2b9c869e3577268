/* Unit tests for core/credit (CRM-3): the on-time share, the average days between visits and
 * the grade at each of its edges, with its reasons. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/credit.h"

static struct credit_figures good(void)
{
    struct credit_figures f = {.visits = 3,
                               .spend_fen = 300000,
                               .avg_days_between = 90,
                               .statements = 10,
                               .paid_on_time = 10,
                               .outstanding_fen = 0,
                               .overdue_fen = 0,
                               .oldest_overdue = -1,
                               .open_complaints = 0};
    return f;
}

static enum credit_grade grade(const struct credit_figures *f, dms_day today,
                               enum credit_reason *first, int *n)
{
    enum credit_reason r[CREDIT_MAX_REASONS];
    enum credit_grade g = credit_grade(f, today, r, n);
    *first = r[0];
    return g;
}

static void test_credit_avg_days(void **state)
{
    (void)state;
    assert_int_equal(credit_avg_days_between(100, 100, 1), -1);
    assert_int_equal(credit_avg_days_between(100, 100, 0), -1);
    assert_int_equal(credit_avg_days_between(100, 190, 2), 90);
    assert_int_equal(credit_avg_days_between(100, 190, 3), 45);
}

static void test_credit_on_time_pct(void **state)
{
    (void)state;
    struct credit_figures f = good();
    assert_int_equal(credit_on_time_pct(&f), 100);
    f.paid_on_time = 2, f.statements = 3;
    assert_int_equal(credit_on_time_pct(&f), 66);
    f.statements = 0, f.paid_on_time = 0;
    assert_int_equal(credit_on_time_pct(&f), -1);
}

/* CRM-3: all paid on time, visits, nothing owed: A with "good". An open statement not yet due
 * is no mark against. */
static void test_credit_grade_a(void **state)
{
    (void)state;
    enum credit_reason r;
    int n;
    struct credit_figures f = good();
    f.outstanding_fen = 50000;
    assert_int_equal(grade(&f, 20000, &r, &n), CREDIT_A);
    assert_int_equal(n, 1);
    assert_int_equal(r, CREDIT_REASON_GOOD);
    f.statements = 0, f.paid_on_time = 0;
    assert_int_equal(grade(&f, 20000, &r, &n), CREDIT_A);
}

/* CRM-3: 9 of 10 on time is 90%: still A; 8 of 10 is B; exactly half is B, under half C. */
static void test_credit_on_time_edges(void **state)
{
    (void)state;
    enum credit_reason r;
    int n;
    struct credit_figures f = good();
    f.paid_on_time = 9;
    assert_int_equal(grade(&f, 20000, &r, &n), CREDIT_A);
    f.paid_on_time = 8;
    assert_int_equal(grade(&f, 20000, &r, &n), CREDIT_B);
    assert_int_equal(r, CREDIT_REASON_SOME_LATE);
    f.paid_on_time = 5;
    assert_int_equal(grade(&f, 20000, &r, &n), CREDIT_B);
    f.paid_on_time = 4;
    assert_int_equal(grade(&f, 20000, &r, &n), CREDIT_C);
    assert_int_equal(r, CREDIT_REASON_LATE_PAYER);
}

/* CRM-3: any overdue amount is C; overdue by 60 days still C, by 61 days D. */
static void test_credit_overdue_edges(void **state)
{
    (void)state;
    enum credit_reason r;
    int n;
    struct credit_figures f = good();
    f.outstanding_fen = f.overdue_fen = 1;
    f.oldest_overdue = 20000 - 60;
    assert_int_equal(grade(&f, 20000, &r, &n), CREDIT_C);
    assert_int_equal(r, CREDIT_REASON_OVERDUE);
    f.oldest_overdue = 20000 - 61;
    assert_int_equal(grade(&f, 20000, &r, &n), CREDIT_D);
    assert_int_equal(r, CREDIT_REASON_LONG_OVERDUE);
}

/* CRM-3: an open complaint or no visit in 12 months is B; reasons add up, worst first. */
static void test_credit_b_reasons(void **state)
{
    (void)state;
    enum credit_reason rs[CREDIT_MAX_REASONS];
    int n;
    struct credit_figures f = good();
    f.open_complaints = 1;
    assert_int_equal(credit_grade(&f, 20000, rs, &n), CREDIT_B);
    assert_int_equal(rs[0], CREDIT_REASON_COMPLAINTS);
    f.visits = 0;
    f.overdue_fen = 100;
    f.oldest_overdue = 19990;
    assert_int_equal(credit_grade(&f, 20000, rs, &n), CREDIT_C);
    assert_int_equal(n, 3);
    assert_int_equal(rs[0], CREDIT_REASON_OVERDUE);
    assert_int_equal(rs[1], CREDIT_REASON_COMPLAINTS);
    assert_int_equal(rs[2], CREDIT_REASON_NO_VISITS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_credit_avg_days),      cmocka_unit_test(test_credit_on_time_pct),
        cmocka_unit_test(test_credit_grade_a),       cmocka_unit_test(test_credit_on_time_edges),
        cmocka_unit_test(test_credit_overdue_edges), cmocka_unit_test(test_credit_b_reasons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
