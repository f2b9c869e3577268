/* Unit tests for core/date: leap years, strict YYYY-MM-DD parsing, day numbers checked
 * against a day-by-day calendar walk over 1900-2999, weekdays, month arithmetic with
 * clamping, and UTC timestamps checked against the C library's gmtime. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/date.h"

/* ---- helpers ---- */

/* Days from 1970-01-01 to 1900-01-01 and to 2999-12-31 (counted with Python's datetime). */
#define DAY_1900_01_01 (-25567)
#define DAY_2999_12_31 376199

static int ref_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static dms_day parse_ok(const char *s)
{
    dms_day d = 0;
    struct dms_error err = {0};
    if (date_parse(s, &d, "date", &err) != 0)
        fail_msg("\"%s\" refused: %s", s, err.message);
    return d;
}

static void assert_refused(const char *s)
{
    dms_day d = 12345;
    struct dms_error err = {0};
    if (date_parse(s, &d, "date_in", &err) != -1)
        fail_msg("\"%s\" accepted", s);
    assert_string_equal(err.code, "invalid_date");
    assert_string_equal(err.field, "date_in");
}

static void assert_ymd(dms_day d, int y, int m, int dd)
{
    int gy, gm, gd;
    date_to_ymd(d, &gy, &gm, &gd);
    if (gy != y || gm != m || gd != dd)
        fail_msg("day %d is %04d-%02d-%02d, want %04d-%02d-%02d", (int)d, gy, gm, gd, y, m, dd);
}

static void assert_add_months(const char *from, int months, const char *want)
{
    char out[DATE_STR];
    date_format(date_add_months(parse_ok(from), months), out);
    if (strcmp(out, want) != 0)
        fail_msg("%s %+d months is %s, want %s", from, months, out, want);
}

static void assert_timestamp(int64_t t, const char *want)
{
    char out[TIMESTAMP_STR];
    timestamp_format_utc(t, out);
    assert_string_equal(out, want);
}

/* ---- leap years ---- */

static void test_date_leap_years(void **state)
{
    (void)state;
    assert_true(date_is_leap(2024));
    assert_false(date_is_leap(2026));
    assert_false(date_is_leap(1900));
    assert_true(date_is_leap(2000));
    assert_false(date_is_leap(2100));
    assert_true(date_is_leap(2400));
    assert_false(date_is_leap(2023));
    assert_true(date_is_leap(1904));
}

static void test_date_days_in_month(void **state)
{
    (void)state;
    assert_int_equal(date_days_in_month(2024, 2), 29);
    assert_int_equal(date_days_in_month(2026, 2), 28);
    assert_int_equal(date_days_in_month(1900, 2), 28);
    assert_int_equal(date_days_in_month(2000, 2), 29);
    assert_int_equal(date_days_in_month(2026, 1), 31);
    assert_int_equal(date_days_in_month(2026, 4), 30);
    assert_int_equal(date_days_in_month(2026, 12), 31);
    assert_int_equal(date_days_in_month(2026, 0), 0);
    assert_int_equal(date_days_in_month(2026, 13), 0);
    assert_int_equal(date_days_in_month(2026, -1), 0);
    for (int m = 1; m <= 12; m++)
        assert_int_equal(date_days_in_month(2027, m), ref_days_in_month(2027, m));
}

/* ---- parsing ---- */

static void test_date_parse_feb_29(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("2024-02-29") + 1, parse_ok("2024-03-01"));
    assert_refused("2026-02-29");
    assert_refused("1900-02-29");
    assert_int_equal(parse_ok("2000-02-29") + 1, parse_ok("2000-03-01"));
    assert_refused("2100-02-29");
    assert_refused("2024-02-30");
}

static void test_date_parse_day_and_month_bounds(void **state)
{
    (void)state;
    assert_refused("2026-01-00");
    parse_ok("2026-01-01");
    parse_ok("2026-01-31");
    assert_refused("2026-01-32");
    parse_ok("2026-04-30");
    assert_refused("2026-04-31");
    assert_refused("2026-00-10");
    parse_ok("2026-12-31");
    assert_refused("2026-13-01");
    assert_refused("2026-99-99");
}

static void test_date_parse_year_range(void **state)
{
    (void)state;
    assert_refused("1899-12-31");
    assert_int_equal(parse_ok("1900-01-01"), DAY_1900_01_01);
    assert_int_equal(parse_ok("2999-12-31"), DAY_2999_12_31);
    assert_refused("3000-01-01");
    assert_refused("0000-01-01");
    assert_refused("9999-12-31");
}

static void test_date_parse_known_days(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("1970-01-01"), 0);
    assert_int_equal(parse_ok("1970-01-02"), 1);
    assert_int_equal(parse_ok("1969-12-31"), -1);
    assert_int_equal(parse_ok("2000-03-01"), 11017);
    assert_int_equal(parse_ok("2026-11-25"), 20417 + 365);
}

static void test_date_parse_strict_format(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2026-1-5",      "2026-01-5",      "2026-1-05",    "2026/01/05",  "2026.01.05",
        "20260105",      "2026-01-05x",    " 2026-01-05",  "2026-01-05 ", "2026-01-05T00:00",
        "26-01-05",      "+026-01-05",     "-026-01-05",   "2026-+1-05",  "2026-01-+5",
        "2026-0a-05",    "20a6-01-05",     "2026-01- 5",   "2026 01 05",  "",
        "2026-01-0\xEF", "２０２６-01-05", "2026-01-05\n", "2026-01--5",  "2026--1-05",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_refused(bad[i]);
}

static void test_date_parse_error_is_optional(void **state)
{
    (void)state;
    dms_day d;
    assert_int_equal(date_parse("2026-02-29", &d, "date", NULL), -1);
    assert_int_equal(date_parse("2026-02-28", &d, "date", NULL), 0);
}

/* ---- day numbers, every day of the supported range ---- */

static void test_date_every_day_1900_to_2999(void **state)
{
    (void)state;
    int y = 1900, m = 1, dd = 1;
    int weekday = 0; /* 1900-01-01 was a Monday */
    for (dms_day d = DAY_1900_01_01; d <= DAY_2999_12_31; d++) {
        if (date_from_ymd(y, m, dd) != d)
            fail_msg("%04d-%02d-%02d is day %d, want %d", y, m, dd, (int)date_from_ymd(y, m, dd),
                     (int)d);
        int gy, gm, gd;
        date_to_ymd(d, &gy, &gm, &gd);
        if (gy != y || gm != m || gd != dd)
            fail_msg("day %d is %04d-%02d-%02d, want %04d-%02d-%02d", (int)d, gy, gm, gd, y, m, dd);
        char want[64], got[DATE_STR];
        snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, dd);
        date_format(d, got);
        if (strcmp(got, want) != 0)
            fail_msg("day %d formatted as %s, want %s", (int)d, got, want);
        dms_day back = 0;
        if (date_parse(want, &back, "date", NULL) != 0 || back != d)
            fail_msg("%s did not parse back to day %d", want, (int)d);
        if (date_weekday(d) != weekday)
            fail_msg("%s is weekday %d, want %d", want, date_weekday(d), weekday);
        weekday = (weekday + 1) % 7;
        if (++dd > ref_days_in_month(y, m)) {
            dd = 1;
            if (++m > 12)
                m = 1, y++;
        }
    }
    assert_int_equal(y, 3000);
}

static void test_date_to_ymd_known_days(void **state)
{
    (void)state;
    assert_ymd(0, 1970, 1, 1);
    assert_ymd(-1, 1969, 12, 31);
    assert_ymd(11016, 2000, 2, 29);
    assert_ymd(DAY_1900_01_01 - 1, 1899, 12, 31);
}

static void test_date_format_known_days(void **state)
{
    (void)state;
    char out[DATE_STR];
    date_format(0, out);
    assert_string_equal(out, "1970-01-01");
    date_format(DAY_1900_01_01, out);
    assert_string_equal(out, "1900-01-01");
    date_format(DAY_2999_12_31, out);
    assert_string_equal(out, "2999-12-31");
}

/* ---- weekdays ---- */

static void test_date_weekday_known_dates(void **state)
{
    (void)state;
    assert_int_equal(date_weekday(parse_ok("2026-11-25")), 2); /* Wednesday */
    assert_int_equal(date_weekday(0), 3);                      /* Thursday */
    assert_int_equal(date_weekday(-1), 2);                     /* Wednesday */
    assert_int_equal(date_weekday(-7), 3);
    assert_int_equal(date_weekday(-8), 2);
    assert_int_equal(date_weekday(parse_ok("2000-01-01")), 5); /* Saturday */
    assert_int_equal(date_weekday(parse_ok("2024-02-29")), 3); /* Thursday */
    assert_int_equal(date_weekday(parse_ok("2026-01-04")), 6); /* Sunday */
    assert_int_equal(date_weekday(parse_ok("2026-01-05")), 0); /* Monday */
}

/* ---- month arithmetic ---- */

static void test_date_add_months_clamps_to_month_end(void **state)
{
    (void)state;
    assert_add_months("2026-01-31", 1, "2026-02-28");
    assert_add_months("2024-01-31", 1, "2024-02-29");
    assert_add_months("2026-01-28", 1, "2026-02-28");
    assert_add_months("2026-01-29", 1, "2026-02-28");
    assert_add_months("2026-03-31", 1, "2026-04-30");
    assert_add_months("2026-05-31", 1, "2026-06-30");
    assert_add_months("2026-01-31", 2, "2026-03-31");
    assert_add_months("2024-02-29", 12, "2025-02-28");
    assert_add_months("2024-02-29", 48, "2028-02-29");
    assert_add_months("2099-02-28", 12, "2100-02-28");
    assert_add_months("2096-02-29", 48, "2100-02-28");
}

static void test_date_add_months_negative_and_across_years(void **state)
{
    (void)state;
    assert_add_months("2026-03-31", -1, "2026-02-28");
    assert_add_months("2024-03-31", -1, "2024-02-29");
    assert_add_months("2026-01-15", -1, "2025-12-15");
    assert_add_months("2026-01-31", -13, "2024-12-31");
    assert_add_months("2026-03-15", -27, "2023-12-15");
    assert_add_months("2026-12-31", 1, "2027-01-31");
    assert_add_months("2026-11-30", 3, "2027-02-28");
    assert_add_months("2026-06-15", 120, "2036-06-15");
    assert_add_months("2026-06-15", -1200, "1926-06-15");
    assert_add_months("2026-06-15", 0, "2026-06-15");
    assert_add_months("1900-01-31", -1, "1899-12-31");
    assert_add_months("2999-12-31", 1, "3000-01-31");
}

static void test_date_add_months_matches_reference(void **state)
{
    (void)state;
    for (dms_day d = parse_ok("2023-01-01"); d <= parse_ok("2028-12-31"); d++) {
        int y, m, dd;
        date_to_ymd(d, &y, &m, &dd);
        for (int k = -30; k <= 30; k++) {
            int idx = (y * 12 + m - 1) + k;
            int ny = idx / 12, nm = idx % 12 + 1;
            int dim = ref_days_in_month(ny, nm);
            int nd = dd > dim ? dim : dd;
            int gy, gm, gd;
            date_to_ymd(date_add_months(d, k), &gy, &gm, &gd);
            if (gy != ny || gm != nm || gd != nd)
                fail_msg("%04d-%02d-%02d %+d months: %04d-%02d-%02d, want %04d-%02d-%02d", y, m, dd,
                         k, gy, gm, gd, ny, nm, nd);
        }
    }
}

/* ---- local seconds and UTC timestamps ---- */

static void test_date_of_local_seconds_day_edges(void **state)
{
    (void)state;
    assert_int_equal(date_of_local_seconds(0), 0);
    assert_int_equal(date_of_local_seconds(86399), 0);
    assert_int_equal(date_of_local_seconds(86400), 1);
    assert_int_equal(date_of_local_seconds(-1), -1);
    assert_int_equal(date_of_local_seconds(-86399), -1);
    assert_int_equal(date_of_local_seconds(-86400), -1);
    assert_int_equal(date_of_local_seconds(-86401), -2);
    assert_int_equal(date_of_local_seconds(1764072000), 20417);
    assert_int_equal(date_of_local_seconds(INT64_C(-2208988800)), DAY_1900_01_01);
    assert_int_equal(date_of_local_seconds(INT64_C(-2208988801)), DAY_1900_01_01 - 1);
}

static void test_date_timestamp_format_known_values(void **state)
{
    (void)state;
    assert_timestamp(0, "1970-01-01T00:00:00Z");
    assert_timestamp(1764072000, "2025-11-25T12:00:00Z");
    assert_timestamp(-1, "1969-12-31T23:59:59Z");
    assert_timestamp(59, "1970-01-01T00:00:59Z");
    assert_timestamp(3599, "1970-01-01T00:59:59Z");
    assert_timestamp(86399, "1970-01-01T23:59:59Z");
    assert_timestamp(951782400, "2000-02-29T00:00:00Z");
    assert_timestamp(INT64_C(4102444799), "2099-12-31T23:59:59Z");
    assert_timestamp(INT64_C(-2208988800), "1900-01-01T00:00:00Z");
}

static void test_date_timestamp_matches_gmtime(void **state)
{
    (void)state;
    /* A stride that is prime and not a divisor of a day, across 1900-2999. */
    for (int64_t t = INT64_C(-2208988800); t < INT64_C(32503680000); t += 7777777) {
        time_t tt = (time_t)t;
        struct tm tm;
        assert_non_null(gmtime_r(&tt, &tm));
        char want[64], got[TIMESTAMP_STR];
        snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        timestamp_format_utc(t, got);
        if (strcmp(got, want) != 0)
            fail_msg("%lld: %s, want %s", (long long)t, got, want);
    }
}

/* What timestamp_format_utc writes comes back; nothing else does. */
static void test_date_timestamp_parse_round_trip(void **state)
{
    (void)state;
    const int64_t samples[] = {0, 1, 951782400 /* 2000-02-29 */, 1796637599, 4102444799};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char ts[TIMESTAMP_STR];
        timestamp_format_utc(samples[i], ts);
        int64_t back = -1;
        assert_int_equal(timestamp_parse_utc(ts, &back), 0);
        assert_int_equal(back, samples[i]);
    }
    static const char *const bad[] = {"",
                                      "2026-12-07",
                                      "2026-12-07 10:00:00Z",
                                      "2026-12-07T10:00:00",
                                      "2026-12-07T24:00:00Z",
                                      "2026-12-07T10:60:00Z",
                                      "2026-02-30T10:00:00Z",
                                      "2026-12-07T1a:00:00Z",
                                      "2026-12-07T10:00:00Z ",
                                      "2026-12-07T10:00:00+08"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t t = 7;
        assert_int_equal(timestamp_parse_utc(bad[i], &t), -1);
        assert_int_equal(t, 7);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_timestamp_parse_round_trip),
        cmocka_unit_test(test_date_leap_years),
        cmocka_unit_test(test_date_days_in_month),
        cmocka_unit_test(test_date_parse_feb_29),
        cmocka_unit_test(test_date_parse_day_and_month_bounds),
        cmocka_unit_test(test_date_parse_year_range),
        cmocka_unit_test(test_date_parse_known_days),
        cmocka_unit_test(test_date_parse_strict_format),
        cmocka_unit_test(test_date_parse_error_is_optional),
        cmocka_unit_test(test_date_every_day_1900_to_2999),
        cmocka_unit_test(test_date_to_ymd_known_days),
        cmocka_unit_test(test_date_format_known_days),
        cmocka_unit_test(test_date_weekday_known_dates),
        cmocka_unit_test(test_date_add_months_clamps_to_month_end),
        cmocka_unit_test(test_date_add_months_negative_and_across_years),
        cmocka_unit_test(test_date_add_months_matches_reference),
        cmocka_unit_test(test_date_of_local_seconds_day_edges),
        cmocka_unit_test(test_date_timestamp_format_known_values),
        cmocka_unit_test(test_date_timestamp_matches_gmtime),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
