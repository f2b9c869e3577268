/* Unit tests for core/phone: mobiles, landlines with 3- and 4-digit area codes, service
 * numbers, international prefixes, extensions, the lengths each must have, and masking. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/phone.h"

/* ---- helpers ---- */

static const char *kind_name(enum phone_kind k)
{
    return k == PHONE_MOBILE ? "mobile" : k == PHONE_LANDLINE ? "landline" : "service";
}

static void assert_phone(const char *in, const char *want, enum phone_kind want_kind)
{
    char out[PHONE_MAX];
    enum phone_kind kind = (enum phone_kind) - 1;
    struct dms_error err = {0};
    if (phone_normalize(in, out, &kind, "phone", &err) != 0)
        fail_msg("\"%s\" refused: %s", in, err.message);
    if (strcmp(out, want) != 0)
        fail_msg("\"%s\" normalised to \"%s\", want \"%s\"", in, out, want);
    if (kind != want_kind)
        fail_msg("\"%s\" is a %s number, want %s", in, kind_name(kind), kind_name(want_kind));
}

static void assert_refused(const char *in)
{
    char out[PHONE_MAX];
    struct dms_error err = {0};
    if (phone_normalize(in, out, NULL, "mobile", &err) != -1)
        fail_msg("\"%s\" accepted as \"%s\"", in, out);
    assert_string_equal(err.code, "invalid_phone");
    assert_string_equal(err.field, "mobile");
}

static void assert_mask(const char *normalized, const char *want)
{
    char out[PHONE_MAX];
    phone_mask(normalized, out);
    if (strcmp(out, want) != 0)
        fail_msg("\"%s\" masked as \"%s\", want \"%s\"", normalized, out, want);
}

/* ---- mobiles ---- */

static void test_phone_mobile_length_boundaries(void **state)
{
    (void)state;
    assert_refused("1381234567"); /* 10 */
    assert_phone("13812345678", "13812345678", PHONE_MOBILE);
    assert_refused("138123456789"); /* 12 */
}

static void test_phone_mobile_second_digit_3_to_9(void **state)
{
    (void)state;
    assert_refused("10812345678");
    assert_refused("11812345678");
    assert_refused("12812345678");
    for (char d = '3'; d <= '9'; d++) {
        char in[12] = "13812345678";
        in[1] = d;
        assert_phone(in, in, PHONE_MOBILE);
    }
    assert_refused("23812345678");
}

static void test_phone_mobile_international_prefixes(void **state)
{
    (void)state;
    assert_phone("+86 138 1234 5678", "13812345678", PHONE_MOBILE);
    assert_phone("+8613812345678", "13812345678", PHONE_MOBILE);
    assert_phone("008613812345678", "13812345678", PHONE_MOBILE);
    assert_phone("0086 138-1234-5678", "13812345678", PHONE_MOBILE);
    assert_phone("8613812345678", "13812345678", PHONE_MOBILE);
    assert_phone("(+86) 13812345678", "13812345678", PHONE_MOBILE);
    assert_refused("+86 128 1234 5678");
    assert_refused("+86 138 1234 567");
    assert_refused("+85 138 1234 5678");
    assert_refused("0085 13812345678");
    assert_refused("138+12345678");
}

static void test_phone_mobile_separators(void **state)
{
    (void)state;
    assert_phone("138-1234-5678", "13812345678", PHONE_MOBILE);
    assert_phone(" 138 1234 5678 ", "13812345678", PHONE_MOBILE);
    assert_phone("(138)12345678", "13812345678", PHONE_MOBILE);
}

static void test_phone_mobile_has_no_extension(void **state)
{
    (void)state;
    assert_refused("13812345678转1");
    assert_refused("13812345678 ext 12");
    assert_refused("13812345678#1");
}

/* ---- landlines ---- */

static void test_phone_landline_three_digit_area_needs_8(void **state)
{
    (void)state;
    assert_refused("010-1234567");
    assert_phone("010-12345678", "01012345678", PHONE_LANDLINE);
    assert_refused("010-123456789");
    assert_refused("020-1234567");
    assert_phone("02012345678", "02012345678", PHONE_LANDLINE);
    assert_phone("(021) 1234 5678", "02112345678", PHONE_LANDLINE);
    assert_phone("029-12345678", "02912345678", PHONE_LANDLINE);
}

static void test_phone_landline_four_digit_area_needs_7_or_8(void **state)
{
    (void)state;
    assert_refused("0755-123456");
    assert_phone("0755-1234567", "07551234567", PHONE_LANDLINE);
    assert_phone("0755-12345678", "075512345678", PHONE_LANDLINE);
    assert_refused("0755-123456789");
    assert_phone("0991 1234567", "09911234567", PHONE_LANDLINE);
}

static void test_phone_landline_bad_area_codes(void **state)
{
    (void)state;
    assert_refused("0123-12345678"); /* 01x other than 010 does not exist */
    assert_refused("011-12345678");
    assert_refused("00755-12345678");
    assert_refused("0-12345678");
    assert_refused("0");
}

static void test_phone_landline_extensions(void **state)
{
    (void)state;
    assert_phone("0755-12345678转123", "075512345678-123", PHONE_LANDLINE);
    assert_phone("0755-12345678 转 123", "075512345678-123", PHONE_LANDLINE);
    assert_phone("0755-12345678 ext 123", "075512345678-123", PHONE_LANDLINE);
    assert_phone("0755-12345678EXT123", "075512345678-123", PHONE_LANDLINE);
    assert_phone("0755-12345678#123", "075512345678-123", PHONE_LANDLINE);
    assert_phone("010-12345678转123456", "01012345678-123456", PHONE_LANDLINE);
    assert_refused("010-12345678转1234567"); /* extensions have at most 6 digits */
    assert_phone("400-800-1234转5", "4008001234-5", PHONE_SERVICE);
}

static void test_phone_landline_bad_extensions(void **state)
{
    (void)state;
    assert_refused("0755-12345678转");         /* empty */
    assert_refused("0755-12345678 ext ");      /* empty */
    assert_refused("0755-12345678转12345678"); /* 8 digits */
    assert_refused("0755-12345678#1#2");
    assert_refused("0755-12345678转1转2");
    assert_refused("0755-12345678 ext1+2");
    assert_refused("转123");
    assert_refused("0755-1234567转");
    assert_refused("0755-12345678 x123");
}

static void test_phone_longest_normalised_fits(void **state)
{
    (void)state;
    char out[PHONE_MAX];
    assert_int_equal(phone_normalize("0755-12345678转123456", out, NULL, "phone", NULL), 0);
    assert_string_equal(out, "075512345678-123456");
    assert_true(strlen(out) < PHONE_MAX);
}

/* ---- service numbers ---- */

static void test_phone_service_numbers(void **state)
{
    (void)state;
    assert_phone("400-800-1234", "4008001234", PHONE_SERVICE);
    assert_phone("800-820-8820", "8008208820", PHONE_SERVICE);
    assert_refused("400-800-123");
    assert_refused("400-800-12345");
    assert_refused("500-800-1234");
}

/* ---- garbage ---- */

/* Chinese input methods type full-width digits; international landlines drop the 0. */
static void test_phone_full_width_digits_and_international_landlines(void **state)
{
    (void)state;
    assert_phone("１３８１２３４５６７８", "13812345678", PHONE_MOBILE);
    assert_phone("1381234567８", "13812345678", PHONE_MOBILE);
    assert_phone("+86 755 1234 5678", "075512345678", PHONE_LANDLINE);
    assert_phone("+86 10 1234 5678", "01012345678", PHONE_LANDLINE);
    assert_phone("0086 20 12345678", "02012345678", PHONE_LANDLINE);
    assert_phone("+86 138 1234 5678", "13812345678", PHONE_MOBILE);
    assert_refused("+1 415 555 0100"); /* another country */
    assert_refused("+86");
}

/* The normalised form reads back as itself, extensions included (found by fuzz_phone). */
static void test_phone_normalised_form_is_stable(void **state)
{
    (void)state;
    assert_phone("075512345678-123", "075512345678-123", PHONE_LANDLINE);
    assert_phone("07551234567-1", "07551234567-1", PHONE_LANDLINE);
    assert_phone("0755-1234567转1", "07551234567-1", PHONE_LANDLINE);
    assert_phone("4008001234-208768", "4008001234-208768", PHONE_SERVICE);
    assert_phone("0755-1234-5678", "075512345678", PHONE_LANDLINE); /* dashes as groups */
    assert_refused("075517545678转1071235");                        /* seven-digit extension */
    assert_refused("075512345678-1234567");
}

static void test_phone_refuses_garbage(void **state)
{
    (void)state;
    assert_refused("");
    assert_refused("   ");
    assert_refused("+");
    assert_refused("-");
    assert_refused("138abcd5678");
    assert_refused("13812345678.");
    assert_refused("138\t12345678");
    assert_refused("１３８ａ２３４５６７８"); /* a full-width letter is still a letter */
    assert_refused("12345678901234567890123456789012345");
}

static void test_phone_kind_optional_and_error_optional(void **state)
{
    (void)state;
    char out[PHONE_MAX];
    assert_int_equal(phone_normalize("13812345678", out, NULL, "phone", NULL), 0);
    assert_int_equal(phone_normalize("12812345678", out, NULL, "phone", NULL), -1);
}

/* ---- masking ---- */

static void test_phone_mask_short_inputs_all_stars(void **state)
{
    (void)state;
    assert_mask("", "****");
    assert_mask("1", "****");
    assert_mask("1234567", "****");
    assert_mask("1234567-89", "****");
}

static void test_phone_mask_keeps_head_and_last_four(void **state)
{
    (void)state;
    assert_mask("13812345678", "138****5678");
    assert_mask("075512345678", "0755****5678");
    assert_mask("07551234567", "0755****4567");
    assert_mask("01012345678", "010****5678");
    assert_mask("02012345678", "020****5678");
    assert_mask("4008001234", "400****1234");
    assert_mask("075512345678-123", "0755****5678");
    assert_mask("01012345678-1234567", "010****5678");
}

static void test_phone_mask_of_every_normalised_kind_hides_digits(void **state)
{
    (void)state;
    static const char *const inputs[] = {"13812345678",  "0755-12345678", "010-12345678",
                                         "0755-1234567", "400-800-1234",  "0755-12345678转99"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char norm[PHONE_MAX], masked[PHONE_MAX];
        assert_int_equal(phone_normalize(inputs[i], norm, NULL, "phone", NULL), 0);
        phone_mask(norm, masked);
        size_t digits = 0;
        for (const char *p = masked; *p; p++)
            digits += *p >= '0' && *p <= '9';
        /* At least three digits of the number are hidden, and the extension is not shown. */
        if (digits + 3 > strcspn(norm, "-"))
            fail_msg("\"%s\" masked as \"%s\"", norm, masked);
        assert_null(strchr(masked, '-'));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phone_mobile_length_boundaries),
        cmocka_unit_test(test_phone_mobile_second_digit_3_to_9),
        cmocka_unit_test(test_phone_mobile_international_prefixes),
        cmocka_unit_test(test_phone_mobile_separators),
        cmocka_unit_test(test_phone_mobile_has_no_extension),
        cmocka_unit_test(test_phone_landline_three_digit_area_needs_8),
        cmocka_unit_test(test_phone_landline_four_digit_area_needs_7_or_8),
        cmocka_unit_test(test_phone_landline_bad_area_codes),
        cmocka_unit_test(test_phone_landline_extensions),
        cmocka_unit_test(test_phone_landline_bad_extensions),
        cmocka_unit_test(test_phone_longest_normalised_fits),
        cmocka_unit_test(test_phone_service_numbers),
        cmocka_unit_test(test_phone_full_width_digits_and_international_landlines),
        cmocka_unit_test(test_phone_normalised_form_is_stable),
        cmocka_unit_test(test_phone_refuses_garbage),
        cmocka_unit_test(test_phone_kind_optional_and_error_optional),
        cmocka_unit_test(test_phone_mask_short_inputs_all_stars),
        cmocka_unit_test(test_phone_mask_keeps_head_and_last_four),
        cmocka_unit_test(test_phone_mask_of_every_normalised_kind_hides_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
