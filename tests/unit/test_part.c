/* Unit tests for core/part (IN-5, IN-7, IN-12): the normal form of a part number, in which
 * the parts master keeps its numbers and through which a plan's printed number ("N 908 132
 * 01") finds its part: ASCII letters upper-cased, spaces dropped, nothing else changed; the
 * buffer's bounds; and the agreement with the codes a booking names parts by
 * (booking_parse_code), which refuse spaces but otherwise give the same form. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/booking.h"
#include "core/part.h"

/* ---- helpers ---- */

#define assert_normal(in, want) assert_normal_at((in), (want), __LINE__)

static void assert_normal_at(const char *in, const char *want, int line)
{
    char out[64];
    memset(out, 'x', sizeof out);
    int n = part_no_normalise(in, out, sizeof out);
    if (n < 0 || strcmp(out, want) != 0 || (size_t)n != strlen(want))
        fail_msg("line %d: \"%s\" -> \"%s\" (%d), want \"%s\"", line, in, n < 0 ? "" : out, n,
                 want);
    /* Idempotent: the normal form is its own normal form. */
    char again[64];
    if (part_no_normalise(out, again, sizeof again) != n || strcmp(again, out) != 0)
        fail_msg("line %d: \"%s\" normalised again is \"%s\"", line, out, again);
}

/* ---- tests ---- */

static void test_part_no_printed_form_matches_the_master(void **state)
{
    (void)state;
    /* As VW prints them in plans, and as the parts master keeps them. */
    assert_normal("N 908 132 01", "N90813201");
    assert_normal("G 055 167 M4", "G055167M4");
    assert_normal("G055167M4", "G055167M4");
    /* Lower case is the same part. */
    assert_normal("n 908 132 01", "N90813201");
    assert_normal("5q0698151b", "5Q0698151B");
}

static void test_part_no_only_spaces_and_case_change(void **state)
{
    (void)state;
    assert_normal("  04E 905 110 K  ", "04E905110K");
    assert_normal("PAD-F_2.1", "PAD-F_2.1");
    assert_normal("a-z", "A-Z");
    assert_normal("", "");
    assert_normal("   ", "");
    /* Not ASCII: kept byte for byte (no case in it to fold). */
    assert_normal("é 1", "é1");
    assert_normal("机油 1", "机油1");
}

static void test_part_no_buffer_bounds(void **state)
{
    (void)state;
    char out[10];
    /* 9 characters and the NUL fit exactly; spaces take no room. */
    assert_int_equal(part_no_normalise("N 908 132 01", out, sizeof out), 9);
    assert_string_equal(out, "N90813201");
    assert_int_equal(part_no_normalise("N9081320", out, 9), 8);
    assert_string_equal(out, "N9081320");
    /* One too many: refused, out empty, nothing cut short to look like another part. */
    memset(out, 'x', sizeof out);
    assert_int_equal(part_no_normalise("N90813201", out, 9), -1);
    assert_string_equal(out, "");
    assert_int_equal(part_no_normalise("", out, 1), 0);
    assert_string_equal(out, "");
    assert_int_equal(part_no_normalise("A", out, 1), -1);
    assert_int_equal(part_no_normalise("", out, 0), -1);
}

static void test_part_no_in_place(void **state)
{
    (void)state;
    char s[] = "n 908 132 01";
    assert_int_equal(part_no_normalise(s, s, sizeof s), 9);
    assert_string_equal(s, "N90813201");
}

/* A booking names parts by code (booking_parse_code): what it accepts is already in the
 * normal form, so a booking, the parts master and a plan's printed number agree. */
static void test_part_no_agrees_with_booking_codes(void **state)
{
    (void)state;
    static const char *const inputs[] = {"g055167m4",  "5Q0698151B", "pad-f",
                                         "04e905110k", "N90813201",  "a.b_c-1"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char code[OPERATION_CODE_MAX + 1], normal[OPERATION_CODE_MAX + 1];
        if (booking_parse_code(inputs[i], strlen(inputs[i]), code) != 0)
            fail_msg("\"%s\" refused as a code", inputs[i]);
        assert_true(part_no_normalise(inputs[i], normal, sizeof normal) >= 0);
        assert_string_equal(code, normal);
    }
    /* The printed form is not a code (spaces), but its normal form is the same part's. */
    char code[OPERATION_CODE_MAX + 1], normal[OPERATION_CODE_MAX + 1];
    assert_int_equal(booking_parse_code("N 908 132 01", 12, code), -1);
    assert_int_equal(booking_parse_code("n90813201", 9, code), 0);
    assert_true(part_no_normalise("N 908 132 01", normal, sizeof normal) >= 0);
    assert_string_equal(code, normal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_part_no_printed_form_matches_the_master),
        cmocka_unit_test(test_part_no_only_spaces_and_case_change),
        cmocka_unit_test(test_part_no_buffer_bounds),
        cmocka_unit_test(test_part_no_in_place),
        cmocka_unit_test(test_part_no_agrees_with_booking_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
