/* Unit tests for core/money: multiplication and addition that refuse to pass MONEY_MAX_FEN
 * or to take negatives, formatting of fen as yuan, and the conversion of JSON numbers to
 * hundredths (labour hours), which must survive binary floating point. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"

#define MAX MONEY_MAX_FEN

/* ---- helpers ---- */

static void assert_mul(int64_t a, int64_t b, int64_t want)
{
    int64_t out = -7;
    if (money_mul(a, b, &out) != 0)
        fail_msg("%lld x %lld refused", (long long)a, (long long)b);
    assert_int_equal(out, want);
}

static void assert_mul_refused(int64_t a, int64_t b)
{
    int64_t out = -7;
    if (money_mul(a, b, &out) != -1)
        fail_msg("%lld x %lld accepted as %lld", (long long)a, (long long)b, (long long)out);
}

static void assert_add(int64_t acc, int64_t v, int64_t want)
{
    if (money_add(&acc, v) != 0)
        fail_msg("%lld + %lld refused", (long long)acc, (long long)v);
    assert_int_equal(acc, want);
}

static void assert_add_refused(int64_t acc, int64_t v)
{
    int64_t before = acc;
    if (money_add(&acc, v) != -1)
        fail_msg("%lld + %lld accepted", (long long)before, (long long)v);
    assert_int_equal(acc, before);
}

static void assert_format(int64_t fen, const char *want)
{
    char out[32];
    memset(out, 'x', sizeof out);
    money_format(fen, out);
    assert_string_equal(out, want);
}

static void assert_hundredths(double v, int64_t want)
{
    int64_t out = -7;
    if (hundredths_from_double(v, 100000, &out) != 0)
        fail_msg("%.17g refused", v);
    if (out != want)
        fail_msg("%.17g gave %lld hundredths, want %lld", v, (long long)out, (long long)want);
}

static void assert_hundredths_refused(double v, int64_t max)
{
    int64_t out = -7;
    if (hundredths_from_double(v, max, &out) != -1)
        fail_msg("%.17g accepted as %lld", v, (long long)out);
}

/* ---- money_mul ---- */

static void test_money_mul_max_boundary(void **state)
{
    (void)state;
    assert_mul(1, MAX, MAX);
    assert_mul_refused(1, MAX + 1);
    assert_mul(MAX, 1, MAX);
    assert_mul_refused(MAX + 1, 1);
    assert_mul(2, MAX / 2, MAX);
    assert_mul_refused(2, MAX / 2 + 1);
    assert_mul(100000, 100000, MAX);
    assert_mul_refused(100001, 100000);
    assert_mul_refused(100000, 100001);
    /* 10^10 = 2^10 x 5^10: one less than MAX is not a product of these, test near it. */
    assert_mul(3, 3333333333, 9999999999);
    assert_mul_refused(3, 3333333334);
}

static void test_money_mul_no_wraparound(void **state)
{
    (void)state;
    assert_mul_refused(INT64_MAX, INT64_MAX);
    assert_mul_refused(INT64_MAX, 2);
    assert_mul_refused(INT64_C(1) << 32, INT64_C(1) << 32); /* 2^64 wraps to 0 */
    assert_mul_refused(INT64_C(3037000500), INT64_C(3037000500));
}

static void test_money_mul_zero(void **state)
{
    (void)state;
    assert_mul(0, 0, 0);
    assert_mul(0, 12345, 0);
    assert_mul(12345, 0, 0);
    assert_mul(0, INT64_MAX, 0);
}

static void test_money_mul_refuses_negatives(void **state)
{
    (void)state;
    assert_mul_refused(-1, 100);
    assert_mul_refused(100, -1);
    assert_mul_refused(-1, -1);
    assert_mul_refused(-1, 0);
    assert_mul_refused(0, -1);
    assert_mul_refused(INT64_MIN, 1);
    assert_mul_refused(1, INT64_MIN);
    assert_mul_refused(INT64_MIN, -1);
}

static void test_money_mul_typical(void **state)
{
    (void)state;
    assert_mul(4, 3850, 15400);
    assert_mul(10000, 100000, 1000000000);
}

/* ---- money_add ---- */

static void test_money_add_max_boundary(void **state)
{
    (void)state;
    assert_add(MAX - 1, 1, MAX);
    assert_add_refused(MAX, 1);
    assert_add(MAX, 0, MAX);
    assert_add(0, MAX, MAX);
    assert_add_refused(0, MAX + 1);
    assert_add_refused(1, MAX);
    assert_add(MAX / 2, MAX / 2, MAX);
    assert_add_refused(MAX / 2 + 1, MAX / 2);
}

static void test_money_add_no_wraparound(void **state)
{
    (void)state;
    assert_add_refused(0, INT64_MAX);
    assert_add_refused(MAX, INT64_MAX);
    assert_add_refused(INT64_MAX, 1);
    assert_add_refused(INT64_MAX, 0);
}

static void test_money_add_refuses_negatives(void **state)
{
    (void)state;
    assert_add_refused(100, -1);
    assert_add_refused(0, INT64_MIN);
    assert_add_refused(MAX, -MAX);
}

static void test_money_add_accumulates(void **state)
{
    (void)state;
    int64_t acc = 0;
    for (int i = 1; i <= 100; i++)
        assert_int_equal(money_add(&acc, i), 0);
    assert_int_equal(acc, 5050);
}

/* ---- money_format ---- */

static void test_money_format_small_amounts(void **state)
{
    (void)state;
    assert_format(0, "0.00");
    assert_format(1, "0.01");
    assert_format(5, "0.05");
    assert_format(10, "0.10");
    assert_format(99, "0.99");
    assert_format(100, "1.00");
    assert_format(101, "1.01");
}

static void test_money_format_typical_and_large(void **state)
{
    (void)state;
    assert_format(123450, "1234.50");
    assert_format(15400, "154.00");
    assert_format(MAX, "100000000.00");
    assert_format(INT64_MAX, "92233720368547758.07");
}

static void test_money_format_negatives(void **state)
{
    (void)state;
    assert_format(-1, "-0.01");
    assert_format(-5, "-0.05");
    assert_format(-100, "-1.00");
    assert_format(-123450, "-1234.50");
    assert_format(-MAX, "-100000000.00");
    assert_format(INT64_MIN + 1, "-92233720368547758.07");
    assert_format(INT64_MIN, "-92233720368547758.08");
}

static void test_money_format_matches_reference(void **state)
{
    (void)state;
    for (int64_t fen = -20000; fen <= 20000; fen += 7) {
        char want[40], got[32];
        long long a = llabs(fen);
        snprintf(want, sizeof want, "%s%lld.%02lld", fen < 0 ? "-" : "", a / 100, a % 100);
        money_format(fen, got);
        assert_string_equal(got, want);
    }
}

/* ---- hundredths_from_double ---- */

static void test_money_hundredths_max_bound(void **state)
{
    (void)state;
    int64_t out = -7;
    assert_int_equal(hundredths_from_double(1000.0, 100000, &out), 0);
    assert_int_equal(out, 100000);
    assert_hundredths_refused(1000.01, 100000);
    assert_int_equal(hundredths_from_double(0.0, 0, &out), 0);
    assert_int_equal(out, 0);
    assert_hundredths_refused(0.01, 0);
    assert_int_equal(hundredths_from_double(0.29, 29, &out), 0);
    assert_int_equal(out, 29);
    assert_hundredths_refused(0.3, 29);
    assert_hundredths_refused(1e300, 100000);
    assert_hundredths_refused(DBL_MAX, INT64_MAX);
}

static void test_money_hundredths_simple_values(void **state)
{
    (void)state;
    assert_hundredths(0, 0);
    assert_hundredths(-0.0, 0);
    assert_hundredths(1.5, 150);
    assert_hundredths(2, 200);
    assert_hundredths(0.01, 1);
    assert_hundredths(0.1, 10);
    assert_hundredths(1000, 100000);
}

static void test_money_hundredths_binary_representation(void **state)
{
    (void)state;
    /* x * 100 is not exact for these: 0.29 * 100 = 28.999999999999996. */
    assert_hundredths(0.29, 29);
    assert_hundredths(0.07, 7);
    assert_hundredths(0.57, 57);
    assert_hundredths(1.15, 115);
    assert_hundredths(4.35, 435);
    assert_hundredths(8.2, 820);
    assert_hundredths(9.95, 995);
    assert_hundredths(999.99, 99999);
}

static void test_money_hundredths_every_two_decimal_value(void **state)
{
    (void)state;
    /* Every value with two decimals up to the max, as a JSON parser would produce it. */
    for (int64_t i = 0; i <= 100000; i++) {
        char text[32];
        snprintf(text, sizeof text, "%lld.%02lld", (long long)(i / 100), (long long)(i % 100));
        double v = strtod(text, NULL);
        int64_t out = -7;
        if (hundredths_from_double(v, 100000, &out) != 0 || out != i)
            fail_msg("%s gave %lld", text, (long long)out);
    }
}

static void test_money_hundredths_refuses_three_decimals(void **state)
{
    (void)state;
    assert_hundredths_refused(1.234, 100000);
    assert_hundredths_refused(2.675, 100000); /* 267.49999999999997 */
    assert_hundredths_refused(1.005, 100000); /* 100.49999999999999 */
    assert_hundredths_refused(0.001, 100000);
    assert_hundredths_refused(0.005, 100000);
    assert_hundredths_refused(0.015, 100000);
    assert_hundredths_refused(12.345, 100000);
    assert_hundredths_refused(999.999, 100000);
}

static void test_money_hundredths_refuses_tiny_fractions(void **state)
{
    (void)state;
    /* More than two decimals, however small the excess: 9 decimals here. */
    assert_hundredths_refused(1.000000001, 100000);
    assert_hundredths_refused(0.000000001, 100000);
    assert_hundredths_refused(12.000000001, 100000);
    assert_hundredths_refused(0.99999999, 100000);
}

static void test_money_hundredths_refuses_negative_and_non_finite(void **state)
{
    (void)state;
    assert_hundredths_refused(-0.01, 100000);
    assert_hundredths_refused(-1, 100000);
    assert_hundredths_refused(-1e-300, 100000);
    assert_hundredths_refused(NAN, 100000);
    assert_hundredths_refused(-NAN, 100000);
    assert_hundredths_refused(INFINITY, INT64_MAX);
    assert_hundredths_refused(-INFINITY, INT64_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money_mul_max_boundary),
        cmocka_unit_test(test_money_mul_no_wraparound),
        cmocka_unit_test(test_money_mul_zero),
        cmocka_unit_test(test_money_mul_refuses_negatives),
        cmocka_unit_test(test_money_mul_typical),
        cmocka_unit_test(test_money_add_max_boundary),
        cmocka_unit_test(test_money_add_no_wraparound),
        cmocka_unit_test(test_money_add_refuses_negatives),
        cmocka_unit_test(test_money_add_accumulates),
        cmocka_unit_test(test_money_format_small_amounts),
        cmocka_unit_test(test_money_format_typical_and_large),
        cmocka_unit_test(test_money_format_negatives),
        cmocka_unit_test(test_money_format_matches_reference),
        cmocka_unit_test(test_money_hundredths_max_bound),
        cmocka_unit_test(test_money_hundredths_simple_values),
        cmocka_unit_test(test_money_hundredths_binary_representation),
        cmocka_unit_test(test_money_hundredths_every_two_decimal_value),
        cmocka_unit_test(test_money_hundredths_refuses_three_decimals),
        cmocka_unit_test(test_money_hundredths_refuses_tiny_fractions),
        cmocka_unit_test(test_money_hundredths_refuses_negative_and_non_finite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
