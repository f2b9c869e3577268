/* Unit tests for core/outbox (MR-3): quiet hours for SMS at their boundaries (20:59 vs 21:00,
 * 07:59 vs 08:00) on ranges that wrap midnight and ranges that do not, the retry back-off and
 * its cap, the opt-out replies (TD, full-width ＴＤ, 退订) and "HH:MM" parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/outbox.h"

#define HM(h, m) ((h)*60 + (m))

/* ---- quiet hours ---- */

static void test_outbox_quiet_wrap_evening_boundary(void **state)
{
    (void)state;
    int from = HM(21, 0), until = HM(8, 0);
    assert_int_equal(outbox_quiet_wait(HM(20, 59), from, until), 0);
    assert_int_equal(outbox_quiet_wait(HM(21, 0), from, until), 11 * 60);
    assert_int_equal(outbox_quiet_wait(HM(21, 1), from, until), 11 * 60 - 1);
    assert_int_equal(outbox_quiet_wait(HM(23, 59), from, until), 8 * 60 + 1);
}

static void test_outbox_quiet_wrap_morning_boundary(void **state)
{
    (void)state;
    int from = HM(21, 0), until = HM(8, 0);
    assert_int_equal(outbox_quiet_wait(HM(0, 0), from, until), 8 * 60);
    assert_int_equal(outbox_quiet_wait(HM(7, 59), from, until), 1);
    assert_int_equal(outbox_quiet_wait(HM(8, 0), from, until), 0);
    assert_int_equal(outbox_quiet_wait(HM(12, 0), from, until), 0);
}

static void test_outbox_quiet_no_wrap(void **state)
{
    (void)state;
    /* A lunch break 12:00..14:00. */
    int from = HM(12, 0), until = HM(14, 0);
    assert_int_equal(outbox_quiet_wait(HM(11, 59), from, until), 0);
    assert_int_equal(outbox_quiet_wait(HM(12, 0), from, until), 120);
    assert_int_equal(outbox_quiet_wait(HM(13, 59), from, until), 1);
    assert_int_equal(outbox_quiet_wait(HM(14, 0), from, until), 0);
    assert_int_equal(outbox_quiet_wait(HM(23, 59), from, until), 0);
    assert_int_equal(outbox_quiet_wait(0, from, until), 0);
}

static void test_outbox_quiet_ranges_touching_midnight(void **state)
{
    (void)state;
    /* 00:00..08:00: midnight itself is quiet, the minute before is not. */
    assert_int_equal(outbox_quiet_wait(HM(23, 59), 0, HM(8, 0)), 0);
    assert_int_equal(outbox_quiet_wait(0, 0, HM(8, 0)), 480);
    /* 22:00..00:00: until midnight. */
    assert_int_equal(outbox_quiet_wait(HM(21, 59), HM(22, 0), 0), 0);
    assert_int_equal(outbox_quiet_wait(HM(22, 0), HM(22, 0), 0), 120);
    assert_int_equal(outbox_quiet_wait(HM(23, 59), HM(22, 0), 0), 1);
    assert_int_equal(outbox_quiet_wait(0, HM(22, 0), 0), 0);
}

static void test_outbox_quiet_equal_means_none(void **state)
{
    (void)state;
    for (int now = 0; now < 1440; now += 7) {
        assert_int_equal(outbox_quiet_wait(now, HM(21, 0), HM(21, 0)), 0);
        assert_int_equal(outbox_quiet_wait(now, 0, 0), 0);
    }
}

static void test_outbox_quiet_wait_lands_on_allowed_minute(void **state)
{
    (void)state;
    /* Whatever the range and minute, waiting the answer reaches a minute that is allowed, and
     * one minute less does not. */
    const int ranges[][2] = {
        {HM(21, 0), HM(8, 0)}, {HM(12, 0), HM(14, 0)}, {0, 1}, {1439, 0}, {1, 0}};
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
        for (int now = 0; now < 1440; now++) {
            int w = outbox_quiet_wait(now, ranges[r][0], ranges[r][1]);
            assert_true(w >= 0 && w < 1440);
            assert_int_equal(outbox_quiet_wait((now + w) % 1440, ranges[r][0], ranges[r][1]), 0);
            if (w > 0)
                assert_int_equal(
                    outbox_quiet_wait((now + w - 1) % 1440, ranges[r][0], ranges[r][1]), 1);
        }
    }
}

static void test_outbox_quiet_out_of_range_minutes(void **state)
{
    (void)state;
    /* Taken modulo a day. */
    assert_int_equal(outbox_quiet_wait(HM(21, 0) + 1440, HM(21, 0), HM(8, 0)), 660);
    assert_int_equal(outbox_quiet_wait(-1, HM(21, 0), HM(8, 0)), 8 * 60 + 1);
}

/* ---- back-off ---- */

static void test_outbox_backoff_doubles_then_caps(void **state)
{
    (void)state;
    assert_int_equal(outbox_backoff_seconds(1), 60);
    assert_int_equal(outbox_backoff_seconds(2), 120);
    assert_int_equal(outbox_backoff_seconds(3), 240);
    assert_int_equal(outbox_backoff_seconds(4), 480);
    assert_int_equal(outbox_backoff_seconds(5), 960);
    assert_int_equal(outbox_backoff_seconds(6), 1920);
    assert_int_equal(outbox_backoff_seconds(7), 3600); /* 3840 capped */
    assert_int_equal(outbox_backoff_seconds(8), 3600);
}

static void test_outbox_backoff_extremes(void **state)
{
    (void)state;
    assert_int_equal(outbox_backoff_seconds(0), 60);
    assert_int_equal(outbox_backoff_seconds(-3), 60);
    assert_int_equal(outbox_backoff_seconds(63), 3600);
    assert_int_equal(outbox_backoff_seconds(64), 3600);
    assert_int_equal(outbox_backoff_seconds(2147483647), 3600);
    assert_true(OUTBOX_MAX_ATTEMPTS == 5);
}

/* ---- opt-out ---- */

static void test_outbox_opt_out_td_any_case_and_width(void **state)
{
    (void)state;
    const char *yes[] = {"TD", "td", "Td", "tD", "ＴＤ", "ｔｄ", "Ｔd"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (!outbox_is_opt_out(yes[i]))
            fail_msg("\"%s\" is not taken as an opt-out", yes[i]);
    }
}

static void test_outbox_opt_out_chinese(void **state)
{
    (void)state;
    assert_true(outbox_is_opt_out("退订"));
    assert_true(outbox_is_opt_out("退订。"));
    assert_true(outbox_is_opt_out("退订！"));
    assert_true(outbox_is_opt_out("“退订”"));
}

static void test_outbox_opt_out_surrounding_space_and_punctuation(void **state)
{
    (void)state;
    const char *yes[] = {" TD ",     "\tTD\r\n", "TD.",      "TD!",        "td！",
                         "　退订　", "【TD】",   "...td...", "\xC2\xA0TD", "TD~"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (!outbox_is_opt_out(yes[i]))
            fail_msg("\"%s\" is not taken as an opt-out", yes[i]);
    }
}

static void test_outbox_opt_out_other_words_are_not(void **state)
{
    (void)state;
    const char *no[] = {"TD please", "不要退订", "退订吧", "T D", "TDD",   "T",
                        "D",         "ATD",      "退",     "订",  "退 订", "TD退订",
                        "",          "   ",      "。",     "tdx", "ＴＤ1", "好的"};
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        if (outbox_is_opt_out(no[i]))
            fail_msg("\"%s\" is taken as an opt-out", no[i]);
    }
    assert_false(outbox_is_opt_out(NULL));
}

static void test_outbox_opt_out_invalid_utf8(void **state)
{
    (void)state;
    assert_false(outbox_is_opt_out("TD\xFF"));
    assert_false(outbox_is_opt_out("\xE9\x80"));     /* truncated 退 */
    assert_false(outbox_is_opt_out("\xC0\xD4\xC0")); /* overlong */
}

/* ---- HH:MM ---- */

static void assert_hhmm(const char *s, int want)
{
    int m = -1;
    struct dms_error err = {0};
    if (outbox_parse_hhmm(s, &m, "quiet_from", &err) != 0)
        fail_msg("\"%s\" refused: %s", s, err.message);
    assert_int_equal(m, want);
}

static void assert_hhmm_refused(const char *s)
{
    int m = -7;
    struct dms_error err = {0};
    if (outbox_parse_hhmm(s, &m, "quiet_from", &err) != -1)
        fail_msg("\"%s\" accepted as %d", s ? s : "(null)", m);
    assert_int_equal(m, -7);
    assert_string_equal(err.code, "invalid_field");
    assert_string_equal(err.field, "quiet_from");
}

static void test_outbox_hhmm_boundaries(void **state)
{
    (void)state;
    assert_hhmm("00:00", 0);
    assert_hhmm("23:59", 1439);
    assert_hhmm("21:00", 1260);
    assert_hhmm("08:00", 480);
    assert_hhmm("07:59", 479);
    assert_hhmm_refused("24:00");
    assert_hhmm_refused("23:60");
    assert_hhmm_refused("99:99");
}

static void test_outbox_hhmm_shape(void **state)
{
    (void)state;
    const char *bad[] = {"",         "8:00",  "08:0",  "0800",   "08-00", "08:00 ", " 08:00",
                         "08:00:00", "ab:cd", "+8:00", "08：00", "-1:00", "０８:00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_hhmm_refused(bad[i]);
    assert_hhmm_refused(NULL);
    int m;
    assert_int_equal(outbox_parse_hhmm("12:30", &m, "f", NULL), 0);
    assert_int_equal(outbox_parse_hhmm("x", &m, "f", NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outbox_quiet_wrap_evening_boundary),
        cmocka_unit_test(test_outbox_quiet_wrap_morning_boundary),
        cmocka_unit_test(test_outbox_quiet_no_wrap),
        cmocka_unit_test(test_outbox_quiet_ranges_touching_midnight),
        cmocka_unit_test(test_outbox_quiet_equal_means_none),
        cmocka_unit_test(test_outbox_quiet_wait_lands_on_allowed_minute),
        cmocka_unit_test(test_outbox_quiet_out_of_range_minutes),
        cmocka_unit_test(test_outbox_backoff_doubles_then_caps),
        cmocka_unit_test(test_outbox_backoff_extremes),
        cmocka_unit_test(test_outbox_opt_out_td_any_case_and_width),
        cmocka_unit_test(test_outbox_opt_out_chinese),
        cmocka_unit_test(test_outbox_opt_out_surrounding_space_and_punctuation),
        cmocka_unit_test(test_outbox_opt_out_other_words_are_not),
        cmocka_unit_test(test_outbox_opt_out_invalid_utf8),
        cmocka_unit_test(test_outbox_hhmm_boundaries),
        cmocka_unit_test(test_outbox_hhmm_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
