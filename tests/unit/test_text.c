/* Unit tests for core/text: free-text fields are trimmed (ASCII and ideographic space),
 * limited in characters rather than bytes, free of control characters (line breaks only
 * in multiline fields) and present when required; enum_index finds names exactly. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/text.h"

#define IDEO_SPACE "\xE3\x80\x80"

/* ---- helpers ---- */

/* n copies of the string unit, into buf (large enough). */
static char *repeat(char *buf, const char *unit, size_t n)
{
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        strcat(buf, unit);
    return buf;
}

static void assert_clean(const char *s, long max, bool multiline, const char *want)
{
    char out[1024];
    struct dms_error err = {0};
    if (text_clean(s, out, sizeof out, max, multiline, true, "name", &err) != 0)
        fail_msg("\"%s\" refused: %s %s", s, err.code, err.message);
    assert_string_equal(out, want);
}

static void assert_refused(const char *s, long max, bool multiline, bool required, const char *code)
{
    char out[1024];
    struct dms_error err = {0};
    if (text_clean(s, out, sizeof out, max, multiline, required, "notes", &err) != -1)
        fail_msg("\"%s\" accepted as \"%s\"", s, out);
    assert_string_equal(err.code, code);
    assert_string_equal(err.field, "notes");
}

/* ---- length in characters ---- */

static void test_text_clean_64_chinese_ok_65_refused(void **state)
{
    (void)state;
    char s[3 * 70 + 1];
    repeat(s, "王", 64);
    assert_clean(s, 64, false, s);
    repeat(s, "王", 65);
    assert_refused(s, 64, false, true, "invalid_field");
}

static void test_text_clean_counts_characters_not_bytes(void **state)
{
    (void)state;
    char s[4 * 70 + 1];
    /* 8 characters: 3 bytes each, then 4 bytes each. */
    assert_clean(repeat(s, "王", 8), 8, false, s);
    assert_clean(repeat(s, "\xF0\xA0\x80\x80", 8), 8, false, s);
    assert_refused(repeat(s, "\xF0\xA0\x80\x80", 9), 8, false, true, "invalid_field");
    assert_clean(repeat(s, "a", 64), 64, false, s);
    assert_refused(repeat(s, "a", 65), 64, false, true, "invalid_field");
}

static void test_text_clean_limit_applies_after_trimming(void **state)
{
    (void)state;
    /* A 64-character name pasted with a space before and an ideographic space after. */
    char name[3 * 64 + 1], s[3 * 64 + 16];
    repeat(name, "王", 64);
    strcpy(s, " ");
    strcat(s, name);
    strcat(s, IDEO_SPACE);
    assert_clean(s, 64, false, name);
    char a[80];
    repeat(a, "a", 64);
    strcpy(s, a);
    strcat(s, "  ");
    assert_clean(s, 64, false, a);
}

static void test_text_clean_capacity_too_small(void **state)
{
    (void)state;
    char out[7];
    struct dms_error err = {0};
    /* "王小" fits in 7 bytes, "王小明" does not. */
    assert_int_equal(text_clean("王小", out, sizeof out, 64, false, true, "name", &err), 0);
    assert_string_equal(out, "王小");
    assert_int_equal(text_clean("王小明", out, sizeof out, 64, false, true, "name", &err), -1);
    assert_string_equal(err.code, "invalid_field");
    assert_string_equal(err.field, "name");
}

/* ---- trimming ---- */

static void test_text_clean_trims_ascii_and_ideographic_space(void **state)
{
    (void)state;
    assert_clean("  王小明  ", 64, false, "王小明");
    assert_clean(IDEO_SPACE "王小明" IDEO_SPACE, 64, false, "王小明");
    assert_clean("王 小明", 64, false, "王 小明");
    assert_clean("王" IDEO_SPACE "小明", 64, false, "王" IDEO_SPACE "小明");
    assert_clean("\n  first line\nsecond line\n\n", 2000, true, "first line\nsecond line");
}

/* ---- control characters ---- */

static void test_text_clean_refuses_control_characters(void **state)
{
    (void)state;
    static const char *const bad[] = {"a\x01",     "\x1F",     "a\x7F",
                                      "a\x1B[31m", "\xC2\x85", "\xC2\x9F"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_refused(bad[i], 64, false, true, "invalid_field");
        assert_refused(bad[i], 64, true, true, "invalid_field");
    }
}

static void test_text_clean_newlines_only_when_multiline(void **state)
{
    (void)state;
    assert_refused("line one\nline two", 64, false, true, "invalid_field");
    assert_refused("a\tb", 64, false, true, "invalid_field");
    assert_refused("a\r\nb", 64, false, true, "invalid_field");
    assert_clean("line one\nline two", 64, true, "line one\nline two");
    assert_clean("a\tb", 64, true, "a\tb");
    assert_clean("a\r\nb", 64, true, "a\r\nb");
    /* Trailing line breaks are white space, but still not allowed on one line. */
    assert_refused("王小明\n", 64, false, true, "invalid_field");
}

static void test_text_clean_refuses_invalid_utf8(void **state)
{
    (void)state;
    assert_refused("\xFF", 64, false, true, "invalid_field");
    assert_refused("王\xE5\xB0", 64, true, false, "invalid_field");
    assert_refused("\xC0\xA0", 64, false, false, "invalid_field");
}

/* ---- required ---- */

static void test_text_clean_required_empty_is_missing_field(void **state)
{
    (void)state;
    assert_refused("", 64, false, true, "missing_field");
    assert_refused("   ", 64, false, true, "missing_field");
    assert_refused(IDEO_SPACE, 64, false, true, "missing_field");
    assert_refused("\n\n", 64, true, true, "missing_field");
}

static void test_text_clean_optional_empty_is_ok(void **state)
{
    (void)state;
    char out[16] = "garbage";
    assert_int_equal(text_clean("", out, sizeof out, 64, false, false, "title", NULL), 0);
    assert_string_equal(out, "");
    assert_int_equal(
        text_clean(" " IDEO_SPACE " ", out, sizeof out, 64, false, false, "title", NULL), 0);
    assert_string_equal(out, "");
}

static void test_text_clean_max_zero(void **state)
{
    (void)state;
    char out[16];
    assert_int_equal(text_clean("", out, sizeof out, 0, false, false, "x", NULL), 0);
    assert_int_equal(text_clean("a", out, sizeof out, 0, false, false, "x", NULL), -1);
}

/* ---- enum_index ---- */

static void test_text_enum_index(void **state)
{
    (void)state;
    static const char *const names[] = {"maintenance", "repair", "warranty", "recall"};
    assert_int_equal(enum_index(names, 4, "maintenance"), 0);
    assert_int_equal(enum_index(names, 4, "recall"), 3);
    assert_int_equal(enum_index(names, 4, "warranty"), 2);
    assert_int_equal(enum_index(names, 3, "recall"), -1); /* beyond count */
    assert_int_equal(enum_index(names, 0, "maintenance"), -1);
    assert_int_equal(enum_index(names, 4, "Repair"), -1);
    assert_int_equal(enum_index(names, 4, "repai"), -1);
    assert_int_equal(enum_index(names, 4, "repairs"), -1);
    assert_int_equal(enum_index(names, 4, " repair"), -1);
    assert_int_equal(enum_index(names, 4, ""), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_clean_64_chinese_ok_65_refused),
        cmocka_unit_test(test_text_clean_counts_characters_not_bytes),
        cmocka_unit_test(test_text_clean_limit_applies_after_trimming),
        cmocka_unit_test(test_text_clean_capacity_too_small),
        cmocka_unit_test(test_text_clean_trims_ascii_and_ideographic_space),
        cmocka_unit_test(test_text_clean_refuses_control_characters),
        cmocka_unit_test(test_text_clean_newlines_only_when_multiline),
        cmocka_unit_test(test_text_clean_refuses_invalid_utf8),
        cmocka_unit_test(test_text_clean_required_empty_is_missing_field),
        cmocka_unit_test(test_text_clean_optional_empty_is_ok),
        cmocka_unit_test(test_text_clean_max_zero),
        cmocka_unit_test(test_text_enum_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
