/* Unit tests for core/call_review (IN-21): the score, the figures of a set of reviews (average,
 * full scores, each point's pass rate), the month of a day and the trend's months across a
 * year boundary, and the call time's checks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/call_review.h"
#include "migration_names.h"

static dms_day ymd(int y, int m, int d)
{
    return date_from_ymd(y, m, d);
}

/* IN-21: the score is the number of points passed, 0-9; bits beyond the nine do not count. */
static void test_call_review_score(void **state)
{
    (void)state;
    assert_int_equal(call_review_score(0), 0);
    assert_int_equal(call_review_score(CALL_POINTS_ALL), 9);
    assert_int_equal(call_review_score(1u << CALL_POINT_CLOSING), 1);
    assert_int_equal(call_review_score(CALL_POINTS_ALL & ~(1u << CALL_POINT_SURNAME)), 8);
    assert_int_equal(call_review_score(0xFFFFu), 9);
}

/* The nine names in the seed's order, and parsed back. */
static void test_call_review_point_names(void **state)
{
    (void)state;
    assert_string_equal(CALL_POINT_NAMES[0], "answer_3_rings");
    assert_string_equal(CALL_POINT_NAMES[8], "closing");
    for (int i = 0; i < CALL_POINT_COUNT; i++)
        assert_int_equal(call_point_parse(CALL_POINT_NAMES[i]), i);
    assert_int_equal(call_point_parse("Greeting"), -1);
    assert_int_equal(call_point_parse(""), -1);
}

/* IN-21: reviews of 9, 7 and 5 points average 7; one full score; each point's pass rate is
 * the share of the reviews that passed it; no reviews, no figure (not 0). */
static void test_call_review_quality_figures(void **state)
{
    (void)state;
    struct call_quality q = {0};
    assert_false(call_quality_average(&q).known);
    assert_false(call_quality_pass_rate(&q, CALL_POINT_GREETING).known);
    call_quality_add(&q, CALL_POINTS_ALL);
    call_quality_add(&q, CALL_POINTS_ALL & ~(1u << CALL_POINT_SURNAME) &
                             ~(1u << CALL_POINT_ALTERNATIVES));
    call_quality_add(&q, CALL_POINTS_ALL & ~(1u << CALL_POINT_SURNAME) &
                             ~(1u << CALL_POINT_ALTERNATIVES) & ~(1u << CALL_POINT_CLOSING) &
                             ~(1u << CALL_POINT_GREETING));
    assert_int_equal(q.reviews, 3);
    assert_int_equal(q.score_sum, 9 + 7 + 5);
    assert_int_equal(q.full, 1);
    struct rate avg = call_quality_average(&q);
    assert_true(avg.known);
    assert_true(rate_value(avg, 2) == 7.0);
    struct rate s = call_quality_pass_rate(&q, CALL_POINT_SURNAME);
    assert_int_equal(s.num, 1);
    assert_int_equal(s.den, 3);
    assert_int_equal(call_quality_pass_rate(&q, CALL_POINT_ANSWER_3_RINGS).num, 3);
    assert_int_equal(call_quality_pass_rate(&q, CALL_POINT_GREETING).num, 2);
    assert_int_equal(call_quality_pass_rate(&q, CALL_POINT_CLOSING).num, 2);
    assert_false(call_quality_pass_rate(&q, CALL_POINT_COUNT).known);
    /* 8 points: an average of 8.5 over 9 and 8; not a full score. */
    struct call_quality p = {0};
    call_quality_add(&p, CALL_POINTS_ALL);
    call_quality_add(&p, CALL_POINTS_ALL & ~1u);
    assert_true(rate_value(call_quality_average(&p), 2) == 8.5);
    assert_int_equal(p.full, 1);
}

/* A month's bounds: 31, 30, 28 and 29 days. */
static void test_call_review_month_bounds(void **state)
{
    (void)state;
    dms_day f, l;
    call_review_month_of(ymd(2026, 12, 8), &f, &l);
    assert_int_equal(f, ymd(2026, 12, 1));
    assert_int_equal(l, ymd(2026, 12, 31));
    call_review_month_of(ymd(2027, 2, 28), &f, &l);
    assert_int_equal(f, ymd(2027, 2, 1));
    assert_int_equal(l, ymd(2027, 2, 28));
    call_review_month_of(ymd(2028, 2, 1), &f, &l);
    assert_int_equal(l, ymd(2028, 2, 29));
    call_review_month_of(ymd(2026, 11, 30), &f, &l);
    assert_int_equal(f, ymd(2026, 11, 1));
    assert_int_equal(l, ymd(2026, 11, 30));
}

/* The trend: the 6 months ending with the month, oldest first, across a year boundary; a
 * day falls in the month that holds it, and not before the first or after the last. */
static void test_call_review_trend_months_cross_the_year(void **state)
{
    (void)state;
    dms_day f[CALL_REVIEW_TREND_MONTHS], l[CALL_REVIEW_TREND_MONTHS];
    call_review_months(ymd(2027, 2, 15), CALL_REVIEW_TREND_MONTHS, f, l);
    assert_int_equal(f[0], ymd(2026, 9, 1));
    assert_int_equal(l[0], ymd(2026, 9, 30));
    assert_int_equal(f[3], ymd(2026, 12, 1));
    assert_int_equal(l[3], ymd(2026, 12, 31));
    assert_int_equal(f[4], ymd(2027, 1, 1));
    assert_int_equal(f[5], ymd(2027, 2, 1));
    assert_int_equal(l[5], ymd(2027, 2, 28));
    assert_int_equal(call_review_month_index(ymd(2026, 12, 31), 6, f, l), 3);
    assert_int_equal(call_review_month_index(ymd(2027, 1, 1), 6, f, l), 4);
    assert_int_equal(call_review_month_index(ymd(2026, 9, 1), 6, f, l), 0);
    assert_int_equal(call_review_month_index(ymd(2026, 8, 31), 6, f, l), -1);
    assert_int_equal(call_review_month_index(ymd(2027, 3, 1), 6, f, l), -1);
    /* January: back into the previous year from its first month. */
    call_review_months(ymd(2027, 1, 1), 6, f, l);
    assert_int_equal(f[0], ymd(2026, 8, 1));
    assert_int_equal(f[5], ymd(2027, 1, 1));
    assert_int_equal(l[5], ymd(2027, 1, 31));
    /* One month: just its own. */
    call_review_months(ymd(2026, 12, 8), 1, f, l);
    assert_int_equal(f[0], ymd(2026, 12, 1));
    assert_int_equal(l[0], ymd(2026, 12, 31));
}

/* IN-21: a call is scored once it has happened: now itself is fine, a second later is not;
 * before 2000 is a typing slip. */
static void test_call_review_call_time(void **state)
{
    (void)state;
    struct dms_error err;
    int64_t now = 1796000000;
    assert_int_equal(call_review_check_time(now, now, "call_at", &err), 0);
    assert_int_equal(call_review_check_time(now - 86400 * 400, now, "call_at", &err), 0);
    assert_int_equal(call_review_check_time(now + 1, now, "call_at", &err), -1);
    assert_string_equal(err.code, "invalid_date");
    assert_string_equal(err.field, "call_at");
    assert_int_equal(call_review_check_time(946684799, now, "call_at", &err), -1);
    assert_int_equal(call_review_check_time(946684800, now, "call_at", &err), 0);
}

/* The value sets match the schema's CHECK lists. */
static void test_call_review_names_match_schema(void **state)
{
    (void)state;
    assert_names_match_migration("call_reviews", "source", CALL_REVIEW_SOURCE_NAMES,
                                 CALL_REVIEW_SOURCE_COUNT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_call_review_score),
        cmocka_unit_test(test_call_review_point_names),
        cmocka_unit_test(test_call_review_quality_figures),
        cmocka_unit_test(test_call_review_month_bounds),
        cmocka_unit_test(test_call_review_trend_months_cross_the_year),
        cmocka_unit_test(test_call_review_call_time),
        cmocka_unit_test(test_call_review_names_match_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
