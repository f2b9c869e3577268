/* Unit tests for core/vin: the ISO 3779 check digit (against published VINs and a reference
 * implementation written here from the transliteration table), normalisation and the
 * invalid_vin / vin_check_digit errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/vin.h"

/* ---- helpers ---- */

/* The VIN alphabet: digits and letters without I, O, Q. */
static const char ALPHABET[] = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";

/* Transliteration (49 CFR 565.15): A-H 1-8, J-N 1-5, P 7, R 9, S-Z 2-9. */
static int ref_value(char c)
{
    static const char letters[] = "ABCDEFGHJKLMNPRSTUVWXYZ";
    static const char values[] = "12345678123457923456789";
    if (c >= '0' && c <= '9')
        return c - '0';
    const char *p = c ? strchr(letters, c) : NULL;
    return p ? values[p - letters] - '0' : -1;
}

/* Check digit by the published rule: weights 8..2, 10, 0, 9..2; remainder 10 is X. */
static char ref_check_digit(const char *vin)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int w = i < 7 ? 8 - i : i == 7 ? 10 : i == 8 ? 0 : 18 - i;
        sum += ref_value(vin[i]) * w;
    }
    int r = sum % 11;
    return r == 10 ? 'X' : (char)('0' + r);
}

static void assert_error(const struct dms_error *err, const char *code, const char *field)
{
    assert_string_equal(err->code, code);
    assert_string_equal(err->field, field);
    assert_true(err->message[0] != '\0');
}

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* ---- check digit ---- */

static void test_vin_check_digit_worked_example_is_x(void **state)
{
    (void)state;
    assert_int_equal(vin_check_digit("1M8GDM9AXKP042788"), 'X');
    assert_int_equal(vin_check_digit("11111111111111111"), '1');
}

static void test_vin_check_digit_published_vins(void **state)
{
    (void)state;
    /* VINs whose ninth character is their correct check digit. */
    static const char *const vins[] = {
        "1M8GDM9AXKP042788", "11111111111111111", "1HGCM82633A004352",
        "JH4KA7561PC008269", "LSGPC52U6AF102554",
    };
    for (size_t i = 0; i < sizeof vins / sizeof vins[0]; i++) {
        assert_int_equal(ref_check_digit(vins[i]), vins[i][8]);
        assert_int_equal(vin_check_digit(vins[i]), vins[i][8]);
    }
}

static void test_vin_check_digit_letter_values(void **state)
{
    (void)state;
    /* One character at position 1 (weight 8) among zeros: the sum is 8 x its value. */
    for (size_t i = 0; ALPHABET[i]; i++) {
        char vin[18] = "00000000000000000";
        vin[0] = ALPHABET[i];
        int r = 8 * ref_value(ALPHABET[i]) % 11;
        assert_int_equal(vin_check_digit(vin), r == 10 ? 'X' : '0' + r);
    }
}

static void test_vin_check_digit_matches_reference(void **state)
{
    (void)state;
    uint64_t seed = 0x2545F4914F6CDD1Du;
    size_t n = strlen(ALPHABET);
    int seen_x = 0;
    for (int k = 0; k < 20000; k++) {
        char vin[18];
        for (int i = 0; i < 17; i++)
            vin[i] = ALPHABET[next_rand(&seed) % n];
        vin[17] = '\0';
        char want = ref_check_digit(vin);
        seen_x += want == 'X';
        if (vin_check_digit(vin) != want)
            fail_msg("%s: check digit %c, want %c", vin, vin_check_digit(vin), want);
    }
    assert_true(seen_x > 0);
}

static void test_vin_check_digit_outside_alphabet(void **state)
{
    (void)state;
    static const char bad[] = {'I', 'O', 'Q', 'a', '*', ' '};
    for (size_t i = 0; i < sizeof bad; i++) {
        for (int pos = 0; pos < 17; pos++) {
            char vin[18] = "1M8GDM9AXKP042788";
            vin[pos] = bad[i];
            if (vin_check_digit(vin) != '\0')
                fail_msg("'%c' at position %d accepted", bad[i], pos + 1);
        }
    }
    /* A short string ends at its NUL, which is outside the alphabet. */
    assert_int_equal(vin_check_digit("1M8GDM9AX"), '\0');
}

/* ---- normalisation: length ---- */

static void test_vin_normalize_16_and_18_chars_invalid(void **state)
{
    (void)state;
    char out[VIN_LEN + 1];
    struct dms_error err = {0};
    assert_int_equal(vin_normalize("1M8GDM9AXKP04278", out, false, &err), -1);
    assert_error(&err, "invalid_vin", "vin");
    dms_error_clear(&err);
    assert_int_equal(vin_normalize("1M8GDM9AXKP0427888", out, false, &err), -1);
    assert_error(&err, "invalid_vin", "vin");
    dms_error_clear(&err);
    assert_int_equal(vin_normalize("", out, false, &err), -1);
    assert_error(&err, "invalid_vin", "vin");
    dms_error_clear(&err);
    assert_int_equal(vin_normalize("   ", out, false, &err), -1);
    assert_error(&err, "invalid_vin", "vin");
    assert_int_equal(vin_normalize("1M8GDM9AXKP042788", out, true, NULL), 0);
    assert_string_equal(out, "1M8GDM9AXKP042788");
}

static void test_vin_normalize_long_input_stays_in_bounds(void **state)
{
    (void)state;
    char in[1001];
    memset(in, 'A', 1000);
    in[1000] = '\0';
    char out[VIN_LEN + 1];
    struct dms_error err = {0};
    assert_int_equal(vin_normalize(in, out, false, &err), -1);
    assert_error(&err, "invalid_vin", "vin");
}

/* ---- normalisation: case, spaces ---- */

static void test_vin_normalize_upper_cases_and_drops_spaces(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "1m8gdm9axkp042788",   " 1M8GDM9AXKP042788 ",    "1M8 GDM9AX KP042788",
        "1M8-GDM9AX-KP042788", "  1m8gDM9Axkp042788 - ", "1M8GDM9AXKP042788",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char out[VIN_LEN + 1];
        struct dms_error err = {0};
        if (vin_normalize(inputs[i], out, true, &err) != 0)
            fail_msg("\"%s\" refused: %s", inputs[i], err.message);
        assert_string_equal(out, "1M8GDM9AXKP042788");
    }
}

static void test_vin_normalize_lowercase_x_check_digit(void **state)
{
    (void)state;
    char out[VIN_LEN + 1];
    assert_int_equal(vin_normalize("1m8gdm9axkp042788", out, true, NULL), 0);
    assert_int_equal(out[8], 'X');
}

/* ---- normalisation: alphabet ---- */

static void test_vin_normalize_refuses_i_o_q_anywhere(void **state)
{
    (void)state;
    static const char bad[] = {'I', 'O', 'Q', 'i', 'o', 'q'};
    for (size_t i = 0; i < sizeof bad; i++) {
        for (int pos = 0; pos < 17; pos++) {
            char vin[18] = "1M8GDM9AXKP042788";
            vin[pos] = bad[i];
            char out[VIN_LEN + 1];
            struct dms_error err = {0};
            /* invalid_vin, whether or not the check digit is verified */
            assert_int_equal(vin_normalize(vin, out, false, &err), -1);
            assert_error(&err, "invalid_vin", "vin");
            dms_error_clear(&err);
            assert_int_equal(vin_normalize(vin, out, true, &err), -1);
            assert_error(&err, "invalid_vin", "vin");
        }
    }
}

static void test_vin_normalize_refuses_other_characters(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "1M8GDM9AXKP04278*",       "1M8GDM9AXKP04278\t",
        "1M8GDM9AXKP0427_8",       "1M8GDM9AXKP04278\xEF\xBC\x98", /* full-width 8 */
        "1M8GDM9AXKP0427\xC3\x84",                                 /* Ä: two bytes, 17 in all */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[VIN_LEN + 1];
        struct dms_error err = {0};
        if (vin_normalize(bad[i], out, false, &err) != -1)
            fail_msg("case %zu accepted", i);
        assert_error(&err, "invalid_vin", "vin");
    }
}

/* ---- normalisation: check digit ---- */

static void test_vin_normalize_wrong_check_digit(void **state)
{
    (void)state;
    static const char digits[] = "0123456789X";
    for (size_t i = 0; digits[i]; i++) {
        char vin[18] = "1M8GDM9AXKP042788";
        vin[8] = digits[i];
        char out[VIN_LEN + 1];
        struct dms_error err = {0};
        int rc = vin_normalize(vin, out, true, &err);
        if (digits[i] == 'X') {
            assert_int_equal(rc, 0);
            continue;
        }
        assert_int_equal(rc, -1);
        assert_error(&err, "vin_check_digit", "vin");
        /* Without verification the same VIN is fine. */
        assert_int_equal(vin_normalize(vin, out, false, &err), 0);
        assert_string_equal(out, vin);
    }
}

static void test_vin_normalize_letter_in_check_position(void **state)
{
    (void)state;
    char out[VIN_LEN + 1];
    struct dms_error err = {0};
    assert_int_equal(vin_normalize("1M8GDM9AAKP042788", out, true, &err), -1);
    assert_error(&err, "vin_check_digit", "vin");
    assert_int_equal(vin_normalize("1M8GDM9AAKP042788", out, false, NULL), 0);
}

static void test_vin_normalize_european_vin_needs_skip(void **state)
{
    (void)state;
    /* European VINs carry no check digit: Z at position 9. */
    char out[VIN_LEN + 1];
    struct dms_error err = {0};
    assert_int_equal(vin_normalize("wvwzzz1jz3w386752", out, true, &err), -1);
    assert_error(&err, "vin_check_digit", "vin");
    assert_int_equal(vin_normalize("wvwzzz1jz3w386752", out, false, &err), 0);
    assert_string_equal(out, "WVWZZZ1JZ3W386752");
}

static void test_vin_normalize_generated_vins(void **state)
{
    (void)state;
    uint64_t seed = 0x9E3779B97F4A7C15u;
    size_t n = strlen(ALPHABET);
    for (int k = 0; k < 5000; k++) {
        char vin[18];
        for (int i = 0; i < 17; i++)
            vin[i] = ALPHABET[next_rand(&seed) % n];
        vin[17] = '\0';
        vin[8] = ref_check_digit(vin);
        char out[VIN_LEN + 1];
        struct dms_error err = {0};
        if (vin_normalize(vin, out, true, &err) != 0)
            fail_msg("%s refused: %s", vin, err.message);
        assert_string_equal(out, vin);
        vin[8] = vin[8] == '0' ? '1' : '0';
        assert_int_equal(vin_normalize(vin, out, true, &err), -1);
        assert_error(&err, "vin_check_digit", "vin");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vin_check_digit_worked_example_is_x),
        cmocka_unit_test(test_vin_check_digit_published_vins),
        cmocka_unit_test(test_vin_check_digit_letter_values),
        cmocka_unit_test(test_vin_check_digit_matches_reference),
        cmocka_unit_test(test_vin_check_digit_outside_alphabet),
        cmocka_unit_test(test_vin_normalize_16_and_18_chars_invalid),
        cmocka_unit_test(test_vin_normalize_long_input_stays_in_bounds),
        cmocka_unit_test(test_vin_normalize_upper_cases_and_drops_spaces),
        cmocka_unit_test(test_vin_normalize_lowercase_x_check_digit),
        cmocka_unit_test(test_vin_normalize_refuses_i_o_q_anywhere),
        cmocka_unit_test(test_vin_normalize_refuses_other_characters),
        cmocka_unit_test(test_vin_normalize_wrong_check_digit),
        cmocka_unit_test(test_vin_normalize_letter_in_check_position),
        cmocka_unit_test(test_vin_normalize_european_vin_needs_skip),
        cmocka_unit_test(test_vin_normalize_generated_vins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
