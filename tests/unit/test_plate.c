/* Unit tests for core/plate: mainland plates (GA 36) of every kind, the normalisation of
 * separators, case and full-width forms, and the inputs that must be refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/plate.h"

/* ---- helpers ---- */

static void assert_plate(const char *in, const char *want, enum plate_kind want_kind)
{
    char out[PLATE_MAX_BYTES];
    enum plate_kind kind = (enum plate_kind) - 1;
    struct dms_error err = {0};
    if (plate_normalize(in, out, &kind, &err) != 0)
        fail_msg("\"%s\" refused: %s", in, err.message);
    if (strcmp(out, want) != 0)
        fail_msg("\"%s\" normalised to \"%s\", want \"%s\"", in, out, want);
    if (kind != want_kind)
        fail_msg("\"%s\" is %s, want %s", in, plate_kind_name(kind), plate_kind_name(want_kind));
}

static void assert_refused(const char *in)
{
    char out[PLATE_MAX_BYTES];
    enum plate_kind kind = PLATE_REGULAR;
    struct dms_error err = {0};
    if (plate_normalize(in, out, &kind, &err) != -1)
        fail_msg("\"%s\" accepted as \"%s\"", in, out);
    assert_string_equal(err.code, "invalid_plate");
    assert_string_equal(err.field, "plate");
}

/* ---- length boundaries ---- */

static void test_plate_seven_and_eight_characters_only(void **state)
{
    (void)state;
    assert_refused("粤B1234");                                /* 6 */
    assert_plate("粤B12345", "粤B12345", PLATE_REGULAR);      /* 7 */
    assert_plate("粤BD12345", "粤BD12345", PLATE_NEW_ENERGY); /* 8 */
    assert_refused("粤BD123456");                             /* 9 */
    assert_refused("粤BD1234567");                            /* 10 */
    assert_refused("粤BD12345678901234567890");
    assert_refused("");
    assert_refused("   ");
    assert_refused("粤");
}

static void test_plate_eight_characters_must_be_new_energy(void **state)
{
    (void)state;
    assert_refused("粤B12345X");
    assert_refused("粤B123456");
    assert_refused("粤B1234DD");
    assert_refused("粤BDD1234D");
    assert_refused("粤B12345挂");
}

/* ---- regular plates ---- */

static void test_plate_regular(void **state)
{
    (void)state;
    assert_plate("粤B12345", "粤B12345", PLATE_REGULAR);
    assert_plate("京A12345", "京A12345", PLATE_REGULAR);
    assert_plate("沪AB1234", "沪AB1234", PLATE_REGULAR);
    assert_plate("川A1B2C3", "川A1B2C3", PLATE_REGULAR);
    assert_plate("新Z0000Z", "新Z0000Z", PLATE_REGULAR);
}

static void test_plate_every_province(void **state)
{
    (void)state;
    static const char *const provinces[] = {
        "京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖",
        "鲁", "新", "苏", "浙", "赣", "鄂", "桂", "甘", "晋", "蒙", "陕",
        "吉", "闽", "贵", "粤", "青", "藏", "川", "宁", "琼",
    };
    assert_int_equal(sizeof provinces / sizeof provinces[0], 31);
    for (size_t i = 0; i < 31; i++) {
        char in[32];
        memcpy(in, provinces[i], 3);
        memcpy(in + 3, "A12345", 7);
        assert_plate(in, in, PLATE_REGULAR);
    }
}

static void test_plate_unknown_province_refused(void **state)
{
    (void)state;
    assert_refused("港B12345"); /* Hong Kong is not a province prefix */
    assert_refused("台B12345");
    assert_refused("中B12345");
    assert_refused("AB12345");
    assert_refused("1B12345");
    assert_refused("B123456");
}

static void test_plate_letters_i_and_o(void **state)
{
    (void)state;
    /* I and O read as 1 and 0 and are not used in the serial. */
    assert_refused("粤BI2345");
    assert_refused("粤B1234O");
    assert_refused("粤B12O45");
    assert_refused("粤bi2345");
    assert_refused("粤BD1I345");
    /* No issuing authority is lettered I; O is (police units, 京O). */
    assert_refused("粤I12345");
    assert_plate("京O12345", "京O12345", PLATE_REGULAR);
}

static void test_plate_authority_must_be_a_letter(void **state)
{
    (void)state;
    assert_refused("粤112345");
    assert_refused("粤粤12345");
    assert_refused("粤B1234");
}

/* ---- new energy ---- */

static void test_plate_new_energy_small(void **state)
{
    (void)state;
    assert_plate("粤BD12345", "粤BD12345", PLATE_NEW_ENERGY);
    assert_plate("粤BF12345", "粤BF12345", PLATE_NEW_ENERGY);
    assert_plate("粤BDF1234", "粤BDF1234", PLATE_NEW_ENERGY);
    /* Since 2022: A-K (no I) in position 3. */
    assert_plate("粤BA12345", "粤BA12345", PLATE_NEW_ENERGY);
    assert_plate("粤BK12345", "粤BK12345", PLATE_NEW_ENERGY);
    assert_refused("粤BL12345");
    assert_refused("粤BI12345");
    /* The last four are digits. */
    assert_refused("粤BD1234A");
    assert_refused("粤BDA123A");
}

static void test_plate_new_energy_large(void **state)
{
    (void)state;
    assert_plate("粤B12345D", "粤B12345D", PLATE_NEW_ENERGY);
    assert_plate("粤B12345F", "粤B12345F", PLATE_NEW_ENERGY);
    assert_refused("粤B12345A");
    assert_refused("粤B1234AD");
}

/* ---- special plates ---- */

static void test_plate_special_last_character(void **state)
{
    (void)state;
    assert_plate("粤B1234挂", "粤B1234挂", PLATE_SPECIAL);
    assert_plate("粤B1234学", "粤B1234学", PLATE_SPECIAL);
    assert_plate("粤B1234警", "粤B1234警", PLATE_SPECIAL);
    assert_plate("粤Z1234港", "粤Z1234港", PLATE_SPECIAL);
    assert_plate("粤Z1234澳", "粤Z1234澳", PLATE_SPECIAL);
    assert_plate("粤B1234领", "粤B1234领", PLATE_SPECIAL);
    assert_plate("粤B1234试", "粤B1234试", PLATE_SPECIAL);
    assert_plate("粤B1234超", "粤B1234超", PLATE_SPECIAL);
    assert_refused("粤B1234车");
    assert_refused("粤B123挂4");
    assert_refused("粤B1234挂挂");
}

static void test_plate_embassy(void **state)
{
    (void)state;
    assert_plate("使014578", "使014578", PLATE_SPECIAL);
    assert_plate("使 014-578", "使014578", PLATE_SPECIAL);
    assert_refused("使01457");
    assert_refused("使0145789");
    assert_refused("使01457A");
    assert_refused("使A14578");
}

/* ---- normalisation ---- */

static void test_plate_separators_dropped(void **state)
{
    (void)state;
    assert_plate("粤B·12345", "粤B12345", PLATE_REGULAR);
    assert_plate("粤 B 12345", "粤B12345", PLATE_REGULAR);
    assert_plate("粤B-12345", "粤B12345", PLATE_REGULAR);
    assert_plate("粤B.12345", "粤B12345", PLATE_REGULAR);
    assert_plate("粤B\xE3\x80\x80"
                 "12345",
                 "粤B12345", PLATE_REGULAR); /* ideographic space */
    assert_plate("粤B•12345", "粤B12345", PLATE_REGULAR);
    assert_plate("粤B・12345", "粤B12345", PLATE_REGULAR);
    assert_plate("粤B．12345", "粤B12345", PLATE_REGULAR);
    assert_plate("粤B－12345", "粤B12345", PLATE_REGULAR);
    assert_plate(" 粤B12345 ", "粤B12345", PLATE_REGULAR);
    assert_plate("粤 BD·123 45", "粤BD12345", PLATE_NEW_ENERGY);
}

static void test_plate_lower_case_and_full_width(void **state)
{
    (void)state;
    assert_plate("粤b12345", "粤B12345", PLATE_REGULAR);
    assert_plate("粤bd12345", "粤BD12345", PLATE_NEW_ENERGY);
    assert_plate("粤b12345d", "粤B12345D", PLATE_NEW_ENERGY);
    assert_plate("粤ＡＢ１２３４", "粤AB1234", PLATE_REGULAR);
    assert_plate("粤ｂ１２３４５", "粤B12345", PLATE_REGULAR);
    assert_plate("粤Ｂ１２３４５Ｄ", "粤B12345D", PLATE_NEW_ENERGY);
    /* The ends of each full-width range. */
    assert_plate("粤ａ０９ｚＺ９", "粤A09ZZ9", PLATE_REGULAR);
    /* Full-width I and O are still I and O. */
    assert_refused("粤ＢＩ2345");
    assert_refused("粤Ｂｏ2345");
}

static void test_plate_refuses_non_plate_characters(void **state)
{
    (void)state;
    assert_refused("\xF0\x9F\x9A\x97"
                   "B12345"); /* emoji */
    assert_refused("粤B1234\xF0\x9F\x9A\x97");
    assert_refused("粤B\t12345");
    assert_refused("粤B_12345");
    assert_refused("粤B1234é");
    assert_refused("粤B12３4Ｚ5"); /* 8 characters, no new-energy shape */
}

static void test_plate_refuses_invalid_utf8(void **state)
{
    (void)state;
    assert_refused("\xE7\xB2"
                   "B12345"); /* truncated 粤 */
    assert_refused("粤B1234\xFF");
    assert_refused("粤B\xC0\xB1"
                   "2345"); /* overlong '1' */
    assert_refused("\xED\xA0\x80"
                   "B12345");
}

static void test_plate_kind_optional_and_names(void **state)
{
    (void)state;
    char out[PLATE_MAX_BYTES];
    assert_int_equal(plate_normalize("粤B12345", out, NULL, NULL), 0);
    assert_string_equal(out, "粤B12345");
    assert_int_equal(plate_normalize("bad", out, NULL, NULL), -1);
    assert_string_equal(plate_kind_name(PLATE_REGULAR), "regular");
    assert_string_equal(plate_kind_name(PLATE_NEW_ENERGY), "new_energy");
    assert_string_equal(plate_kind_name(PLATE_SPECIAL), "special");
}

static void test_plate_longest_output_fits(void **state)
{
    (void)state;
    /* Eight characters with separators between them, all full-width. */
    assert_plate("粤 Ｂ · Ｄ － １ ２ ３ ４ ５", "粤BD12345", PLATE_NEW_ENERGY);
    char out[PLATE_MAX_BYTES];
    assert_int_equal(plate_normalize("粤B1234挂", out, NULL, NULL), 0);
    assert_true(strlen(out) < PLATE_MAX_BYTES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plate_seven_and_eight_characters_only),
        cmocka_unit_test(test_plate_eight_characters_must_be_new_energy),
        cmocka_unit_test(test_plate_regular),
        cmocka_unit_test(test_plate_every_province),
        cmocka_unit_test(test_plate_unknown_province_refused),
        cmocka_unit_test(test_plate_letters_i_and_o),
        cmocka_unit_test(test_plate_authority_must_be_a_letter),
        cmocka_unit_test(test_plate_new_energy_small),
        cmocka_unit_test(test_plate_new_energy_large),
        cmocka_unit_test(test_plate_special_last_character),
        cmocka_unit_test(test_plate_embassy),
        cmocka_unit_test(test_plate_separators_dropped),
        cmocka_unit_test(test_plate_lower_case_and_full_width),
        cmocka_unit_test(test_plate_refuses_non_plate_characters),
        cmocka_unit_test(test_plate_refuses_invalid_utf8),
        cmocka_unit_test(test_plate_kind_optional_and_names),
        cmocka_unit_test(test_plate_longest_output_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
