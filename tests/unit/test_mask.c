/* Unit tests for core/mask: names keep their first character and get one to three stars,
 * whatever their script or length; e-mail addresses keep the first character and the
 * domain; bad input never leaks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/mask.h"
#include "core/utf8.h"

/* ---- helpers ---- */

static void assert_name(const char *name, const char *want)
{
    char out[64];
    memset(out, 'x', sizeof out);
    mask_name(name, out, sizeof out);
    if (strcmp(out, want) != 0)
        fail_msg("\"%s\" masked as \"%s\", want \"%s\"", name, out, want);
}

static void assert_email(const char *email, const char *want)
{
    char out[300];
    mask_email(email, out, sizeof out);
    if (strcmp(out, want) != 0)
        fail_msg("\"%s\" masked as \"%s\", want \"%s\"", email, out, want);
}

/* ---- names by length ---- */

static void test_mask_name_star_count_boundaries(void **state)
{
    (void)state;
    /* A one-character name is hidden whole: keeping its first character would show it. */
    assert_name("王", "*");
    assert_name("王明", "王*");
    assert_name("王小明", "王**");
    assert_name("欧阳小明", "欧***");
    assert_name("欧阳小明明", "欧***");
    assert_name("深圳市顺达", "深***");
    assert_name("深圳市顺达物", "深***");
    assert_name("深圳市顺达物流有限公司", "深***");
}

static void test_mask_name_ascii(void **state)
{
    (void)state;
    assert_name("A", "*");
    assert_name("Al", "A*");
    assert_name("Ann", "A**");
    assert_name("Alice", "A***");
    assert_name("Alexander Smith", "A***");
}

static void test_mask_name_multibyte_first_character(void **state)
{
    (void)state;
    assert_name("\xF0\xA0\x80\x80明", "\xF0\xA0\x80\x80*"); /* U+20000, 4 bytes */
    assert_name("Élodie", "É***");
    assert_name("ÅB", "Å*");
}

static void test_mask_name_long_input(void **state)
{
    (void)state;
    char name[3 * 200 + 1] = "";
    for (int i = 0; i < 200; i++)
        strcat(name, "王");
    assert_name(name, "王***");
}

static void test_mask_name_empty_and_invalid(void **state)
{
    (void)state;
    assert_name("", "***");
    assert_name("\xFF", "***");
    assert_name("\xFF\xFE", "***");
    assert_name("\xE7\xB2", "***");       /* truncated first character */
    assert_name("王\xFF", "***");         /* invalid later: nothing of it shown */
    assert_name("\xC0\x80王小明", "***"); /* overlong NUL */
}

static void test_mask_name_never_shows_more_than_first_character(void **state)
{
    (void)state;
    static const char *const names[] = {"王小明", "李娜", "诸葛孔明", "Wang Xiaoming",
                                        "深圳市顺达物流有限公司"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char out[64];
        mask_name(names[i], out, sizeof out);
        assert_int_not_equal(utf8_length(out), -1);
        uint32_t first, got;
        size_t l = utf8_decode(names[i], strlen(names[i]), &first);
        assert_int_equal(utf8_decode(out, strlen(out), &got), l);
        assert_int_equal(got, first);
        for (const char *p = out + l; *p; p++)
            assert_int_equal(*p, '*');
    }
}

/* ---- e-mail ---- */

static void test_mask_email_keeps_first_character_and_domain(void **state)
{
    (void)state;
    assert_email("zhang.san@example.com", "z***@example.com");
    assert_email("a@b.cn", "a***@b.cn");
    assert_email("ab@qq.com", "a***@qq.com");
    assert_email("Zhang@Example.com", "Z***@Example.com");
}

static void test_mask_email_without_local_part_or_at(void **state)
{
    (void)state;
    assert_email("", "***");
    assert_email("zhang.example.com", "***");
    assert_email("@example.com", "***");
}

static void test_mask_email_respects_capacity(void **state)
{
    (void)state;
    char out[8];
    memset(out, 'x', sizeof out);
    mask_email("zhang.san@example.com", out, sizeof out);
    assert_int_equal(strlen(out), sizeof out - 1);
    assert_memory_equal(out, "z***@ex", 8);
}

/* PIPL (issue 11): full phone numbers never in lists or on the card, whatever the role; in a
 * call's detail for the roles that call; reveals for those roles; data requests for the
 * service manager and the admin. */
static void test_mask_phone_views_by_role(void **state)
{
    (void)state;
    for (int r = 0; r < ROLE_COUNT; r++) {
        bool front = r == ROLE_ADVISOR || r == ROLE_CALLER || r == ROLE_SERVICE_MANAGER;
        assert_false(mask_phone_in_full((enum role)r, PHONE_VIEW_LIST));
        assert_false(mask_phone_in_full((enum role)r, PHONE_VIEW_CARD));
        assert_int_equal(mask_phone_in_full((enum role)r, PHONE_VIEW_CALL), front);
        assert_int_equal(mask_may_reveal_phones((enum role)r), front);
        assert_int_equal(mask_may_handle_data_requests((enum role)r),
                         r == ROLE_SERVICE_MANAGER || r == ROLE_ADMIN);
    }
    assert_false(mask_phone_in_full(ROLE_COUNT, PHONE_VIEW_CALL));
    assert_false(mask_may_reveal_phones(ROLE_COUNT));
    assert_false(mask_may_handle_data_requests(ROLE_COUNT));
}

/* Every number in a text is masked, the rest kept; short digit runs are not numbers. */
static void test_mask_phones_text(void **state)
{
    (void)state;
    char out[128];
    mask_phones_text("13812345678 (mobile), 075512345678 (work)", out, sizeof out);
    assert_string_equal(out, "138****5678 (mobile), 0755****5678 (work)");
    mask_phones_text("13812345678,13912341001", out, sizeof out);
    assert_string_equal(out, "138****5678,139****1001");
    mask_phones_text("room 101, 2026", out, sizeof out);
    assert_string_equal(out, "room 101, 2026");
    mask_phones_text("", out, sizeof out);
    assert_string_equal(out, "");
    /* Too small for the whole text: cut before a number, never through one. */
    char small[16];
    mask_phones_text("x 13812345678 y", small, sizeof small);
    assert_string_equal(small, "x 138****5678 y");
    mask_phones_text("xxxxxxxx 13812345678", small, sizeof small);
    assert_string_equal(small, "xxxxxxxx ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mask_name_star_count_boundaries),
        cmocka_unit_test(test_mask_name_ascii),
        cmocka_unit_test(test_mask_name_multibyte_first_character),
        cmocka_unit_test(test_mask_name_long_input),
        cmocka_unit_test(test_mask_name_empty_and_invalid),
        cmocka_unit_test(test_mask_name_never_shows_more_than_first_character),
        cmocka_unit_test(test_mask_email_keeps_first_character_and_domain),
        cmocka_unit_test(test_mask_email_without_local_part_or_at),
        cmocka_unit_test(test_mask_email_respects_capacity),
        cmocka_unit_test(test_mask_phone_views_by_role),
        cmocka_unit_test(test_mask_phones_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
