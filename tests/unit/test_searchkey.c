/* Unit tests for core/searchkey (IN-3): normalisation of names, phones, plates and VINs so
 * that differently typed forms meet, the suffixes stored for "ends with"/"contains" search,
 * the upper bound of a prefix range scan, and the minimum query. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/searchkey.h"
#include "core/utf8.h"

/* ---- helpers ---- */

static void assert_normalized(const char *in, const char *want)
{
    char out[SEARCH_KEY_MAX];
    memset(out, 'x', sizeof out);
    search_normalize(in, out, sizeof out);
    if (strcmp(out, want) != 0)
        fail_msg("\"%s\" normalised to \"%s\", want \"%s\"", in, out, want);
}

struct emitted {
    size_t n;
    const char *key;
    char suffix[16][SEARCH_KEY_MAX];
    size_t offset[16];
    size_t byte_offset[16];
    int stop_at; /* call number (1-based) that returns stop_rc; 0 for never */
    int stop_rc;
};

static int collect(void *ctx, const char *suffix, size_t offset)
{
    struct emitted *e = ctx;
    assert_true(e->n < 16);
    snprintf(e->suffix[e->n], sizeof e->suffix[e->n], "%s", suffix);
    e->offset[e->n] = offset;
    e->byte_offset[e->n] = (size_t)(suffix - e->key);
    e->n++;
    return (int)e->n == e->stop_at ? e->stop_rc : 0;
}

/* memcmp order, as a binary collation compares: a proper prefix sorts first. */
static int bytes_cmp(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    int c = memcmp(a, b, la < lb ? la : lb);
    if (c != 0)
        return c;
    return la < lb ? -1 : la > lb;
}

/* ---- normalisation ---- */

static void test_searchkey_normalize_case_and_separators(void **state)
{
    (void)state;
    assert_normalized("粤b·123 45", "粤B12345");
    assert_normalized("粤B12345", "粤B12345");
    assert_normalized("138-1234-5678", "13812345678");
    assert_normalized("138 1234 5678", "13812345678");
    assert_normalized("lsgpc52u6af102554", "LSGPC52U6AF102554");
    assert_normalized("a.b-c d", "ABCD");
    assert_normalized("Wang\tXiao\r\nMing", "WANGXIAOMING");
    assert_normalized("王 小明", "王小明");
    assert_normalized("王\xE3\x80\x80小明", "王小明"); /* ideographic space */
    assert_normalized("粤B•12345", "粤B12345");
    assert_normalized("粤B・12345", "粤B12345");
    assert_normalized("粤B．12345", "粤B12345");
    assert_normalized("粤B－12345", "粤B12345");
}

static void test_searchkey_normalize_full_width(void **state)
{
    (void)state;
    assert_normalized("ＡＢ１２", "AB12");
    assert_normalized("ａｂｃ", "ABC");
    assert_normalized("粤ｂ１２３４５", "粤B12345");
    assert_normalized("１３８　１２３４　５６７８", "13812345678");
    assert_normalized("！～", "!~");
}

static void test_searchkey_normalize_forms_meet(void **state)
{
    (void)state;
    static const char *const forms[] = {"粤B12345",
                                        "粤b12345",
                                        "粤B·12345",
                                        "粤 B 123 45",
                                        "粤Ｂ１２３４５",
                                        "粤-b.1 2\xE3\x80\x80"
                                        "345"};
    char first[SEARCH_KEY_MAX], other[SEARCH_KEY_MAX];
    search_normalize(forms[0], first, sizeof first);
    for (size_t i = 1; i < sizeof forms / sizeof forms[0]; i++) {
        search_normalize(forms[i], other, sizeof other);
        assert_string_equal(other, first);
    }
}

static void test_searchkey_normalize_is_idempotent(void **state)
{
    (void)state;
    static const char *const inputs[] = {"粤b·123 45", "Zhang San", "ＡＢ－１２",
                                         "王　小明",   "a.b.c",     ""};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char once[SEARCH_KEY_MAX], twice[SEARCH_KEY_MAX];
        search_normalize(inputs[i], once, sizeof once);
        search_normalize(once, twice, sizeof twice);
        assert_string_equal(twice, once);
    }
}

static void test_searchkey_normalize_drops_invalid_bytes(void **state)
{
    (void)state;
    assert_normalized("\xFF", "");
    assert_normalized("A\xFF"
                      "B",
                      "AB");
    assert_normalized("\xE7\xB2", "");
    assert_normalized("", "");
    assert_normalized(" . - ", "");
}

static void test_searchkey_normalize_truncates_at_character_boundary(void **state)
{
    (void)state;
    char out[8];
    /* "粤B1" is 5 bytes: fits in 6 with the NUL. */
    search_normalize("粤B12", out, 6);
    assert_string_equal(out, "粤B1");
    search_normalize("粤粤", out, 6);
    assert_string_equal(out, "粤");
    /* A prefix of the key: nothing after the first character that did not fit. */
    search_normalize("粤B粤1", out, 6);
    assert_string_equal(out, "粤B");
    search_normalize("粤", out, 3);
    assert_string_equal(out, "");
    search_normalize("AB", out, 1);
    assert_string_equal(out, "");
    out[0] = 'x';
    search_normalize("AB", out, 0);
    assert_int_equal(out[0], 'x');

    char big[SEARCH_KEY_MAX + 64];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char key[SEARCH_KEY_MAX];
    search_normalize(big, key, sizeof key);
    assert_int_equal(strlen(key), SEARCH_KEY_MAX - 1);

    char cjk[3 * 100 + 1] = "";
    for (int i = 0; i < 100; i++)
        strcat(cjk, "王");
    search_normalize(cjk, key, sizeof key);
    assert_int_equal(strlen(key), 255); /* 85 whole characters */
    assert_int_equal(utf8_length(key), 85);
}

static void test_searchkey_key_chars(void **state)
{
    (void)state;
    assert_int_equal(search_key_chars(""), 0);
    assert_int_equal(search_key_chars("粤B12345"), 7);
    assert_int_equal(search_key_chars("王小明"), 3);
    assert_int_equal(search_key_chars("\xF0\xA0\x80\x80"
                                      "A"),
                     2);
    assert_int_equal(search_key_chars("\xFF"), 0);
}

/* ---- suffixes ---- */

static void test_searchkey_suffixes_min_chars_boundary(void **state)
{
    (void)state;
    for (size_t min = 0; min <= 5; min++) {
        struct emitted e = {.key = "王小明"};
        assert_int_equal(search_suffixes(e.key, min, collect, &e), 0);
        size_t want = min <= 1 ? 3 : min <= 3 ? 4 - min : 0;
        if (e.n != want)
            fail_msg("min %zu: %zu suffixes, want %zu", min, e.n, want);
    }
}

static void test_searchkey_suffixes_offsets_in_characters(void **state)
{
    (void)state;
    struct emitted e = {.key = "王小明"};
    assert_int_equal(search_suffixes(e.key, 1, collect, &e), 0);
    assert_int_equal(e.n, 3);
    assert_string_equal(e.suffix[0], "王小明");
    assert_string_equal(e.suffix[1], "小明");
    assert_string_equal(e.suffix[2], "明");
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(e.offset[i], i);
        assert_int_equal(e.byte_offset[i], 3 * i);
    }
}

static void test_searchkey_suffixes_mixed_widths(void **state)
{
    (void)state;
    /* 1-, 3-, 4- and 2-byte characters. */
    struct emitted e = {.key = "B粤\xF0\xA0\x80\x80\xC3\x89"};
    assert_int_equal(search_suffixes(e.key, 1, collect, &e), 0);
    assert_int_equal(e.n, 4);
    static const size_t bytes[] = {0, 1, 4, 8};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(e.offset[i], i);
        assert_int_equal(e.byte_offset[i], bytes[i]);
        assert_int_equal(search_key_chars(e.suffix[i]), 4 - i);
    }
}

static void test_searchkey_suffixes_plate_last_five(void **state)
{
    (void)state;
    struct emitted e = {.key = "粤B12345"};
    assert_int_equal(search_suffixes(e.key, 5, collect, &e), 0);
    assert_int_equal(e.n, 3);
    assert_string_equal(e.suffix[0], "粤B12345");
    assert_string_equal(e.suffix[1], "B12345");
    assert_string_equal(e.suffix[2], "12345");
    assert_int_equal(e.offset[2], 2);
    assert_int_equal(e.byte_offset[2], 4);
}

static void test_searchkey_suffixes_phone_from_three(void **state)
{
    (void)state;
    struct emitted e = {.key = "13812345678"};
    assert_int_equal(search_suffixes(e.key, 3, collect, &e), 0);
    assert_int_equal(e.n, 9);
    assert_string_equal(e.suffix[8], "678");
    assert_int_equal(e.offset[8], 8);
    for (size_t i = 0; i < e.n; i++)
        assert_string_equal(e.suffix[i], e.key + i);
}

static void test_searchkey_suffixes_empty_key(void **state)
{
    (void)state;
    struct emitted e = {.key = ""};
    assert_int_equal(search_suffixes(e.key, 1, collect, &e), 0);
    assert_int_equal(e.n, 0);
}

static void test_searchkey_suffixes_stop_early(void **state)
{
    (void)state;
    struct emitted e = {.key = "王小明", .stop_at = 2, .stop_rc = 7};
    assert_int_equal(search_suffixes(e.key, 1, collect, &e), 7);
    assert_int_equal(e.n, 2);

    struct emitted neg = {.key = "13812345678", .stop_at = 1, .stop_rc = -3};
    assert_int_equal(search_suffixes(neg.key, 3, collect, &neg), -3);
    assert_int_equal(neg.n, 1);

    struct emitted last = {.key = "王小明", .stop_at = 3, .stop_rc = 1};
    assert_int_equal(search_suffixes(last.key, 1, collect, &last), 1);
    assert_int_equal(last.n, 3);
}

/* ---- prefix bound ---- */

static void test_searchkey_prefix_bound_not_less_than_prefix(void **state)
{
    (void)state;
    static const char *const prefixes[] = {"", "A", "王", "粤B123", "13812345678", "Z~"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        char bound[SEARCH_KEY_MAX + 8];
        search_prefix_bound(prefixes[i], bound, sizeof bound);
        assert_true(bytes_cmp(bound, prefixes[i]) > 0);
        assert_memory_equal(bound, prefixes[i], strlen(prefixes[i]));
    }
}

static void test_searchkey_prefix_bound_above_every_extension(void **state)
{
    (void)state;
    /* The prefix followed by the largest characters of each width, and long tails. */
    static const char *const tails[] = {
        "",
        "\x7F",
        "~~~~",
        "\xDF\xBF",
        "\xEF\xBF\xBF",
        "\xEF\xBF\xBF\xEF\xBF\xBF",
        "\xF4\x8F\xBF\xBE",
        "\xF4\x8F\xBF\xBE\xF4\x8F\xBF\xBF",
        "明明明明明明明明明明明明明明明明明明明明",
        "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ",
    };
    static const char *const prefixes[] = {"王", "粤B", "138"};
    for (size_t p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++) {
        char bound[SEARCH_KEY_MAX + 8];
        search_prefix_bound(prefixes[p], bound, sizeof bound);
        for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
            char term[SEARCH_KEY_MAX];
            snprintf(term, sizeof term, "%s%s", prefixes[p], tails[t]);
            if (bytes_cmp(term, bound) >= 0)
                fail_msg("prefix %s: extension with tail %zu is not below the bound", prefixes[p],
                         t);
        }
        /* The next prefix is not covered. */
        char next[32];
        snprintf(next, sizeof next, "%s", prefixes[p]);
        next[strlen(next) - 1]++;
        assert_true(bytes_cmp(next, bound) > 0);
    }
}

static void test_searchkey_prefix_bound_above_extension_with_max_code_point(void **state)
{
    (void)state;
    /* U+10FFFF is the range scan's upper bound, so normalisation drops it (and the other
     * noncharacters): every stored term that starts with a prefix sorts below its bound. */
    char term[64], bound[SEARCH_KEY_MAX + 8];
    search_normalize("王\xF4\x8F\xBF\xBF"
                     "明\xEF\xBF\xBE",
                     term, sizeof term);
    assert_string_equal(term, "王明");
    search_prefix_bound("王", bound, sizeof bound);
    assert_true(bytes_cmp(term, "王") > 0);
    assert_true(bytes_cmp(term, bound) < 0);
}

/* ---- minimum query ---- */

static void test_searchkey_query_ok_minimums(void **state)
{
    (void)state;
    assert_false(search_query_ok(""));
    assert_false(search_query_ok("A"));
    assert_false(search_query_ok("1"));
    assert_true(search_query_ok("AB"));
    assert_true(search_query_ok("12"));
    assert_true(search_query_ok("王"));
    assert_true(search_query_ok("A王"));
    assert_true(search_query_ok("5678"));
    assert_false(search_query_ok("é"));
    assert_true(search_query_ok("éA"));
}

static void test_searchkey_query_ok_cjk_ranges(void **state)
{
    (void)state;
    assert_true(search_query_ok("\xE2\xBA\x80"));     /* U+2E80, first CJK radical */
    assert_true(search_query_ok("\xE3\x81\x82"));     /* あ */
    assert_true(search_query_ok("\xF0\xA0\x80\x80")); /* U+20000, Extension B */
    assert_false(search_query_ok("\xE2\x82\xAC"));    /* € is not CJK */
}

static void test_searchkey_query_ok_single_emoji_is_not_cjk(void **state)
{
    (void)state;
    /* One character that is not CJK is not specific enough. */
    assert_false(search_query_ok("\xF0\x9F\x98\x80")); /* U+1F600 */
    assert_false(search_query_ok("\xF0\x9F\x9A\x97")); /* U+1F697 */
}

static void test_searchkey_query_ok_invalid_utf8(void **state)
{
    (void)state;
    assert_false(search_query_ok("\xFF\xFE"));
    assert_false(search_query_ok("AB\xFF"));
    assert_false(search_query_ok("\xE7\xB2"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_searchkey_normalize_case_and_separators),
        cmocka_unit_test(test_searchkey_normalize_full_width),
        cmocka_unit_test(test_searchkey_normalize_forms_meet),
        cmocka_unit_test(test_searchkey_normalize_is_idempotent),
        cmocka_unit_test(test_searchkey_normalize_drops_invalid_bytes),
        cmocka_unit_test(test_searchkey_normalize_truncates_at_character_boundary),
        cmocka_unit_test(test_searchkey_key_chars),
        cmocka_unit_test(test_searchkey_suffixes_min_chars_boundary),
        cmocka_unit_test(test_searchkey_suffixes_offsets_in_characters),
        cmocka_unit_test(test_searchkey_suffixes_mixed_widths),
        cmocka_unit_test(test_searchkey_suffixes_plate_last_five),
        cmocka_unit_test(test_searchkey_suffixes_phone_from_three),
        cmocka_unit_test(test_searchkey_suffixes_empty_key),
        cmocka_unit_test(test_searchkey_suffixes_stop_early),
        cmocka_unit_test(test_searchkey_prefix_bound_not_less_than_prefix),
        cmocka_unit_test(test_searchkey_prefix_bound_above_every_extension),
        cmocka_unit_test(test_searchkey_prefix_bound_above_extension_with_max_code_point),
        cmocka_unit_test(test_searchkey_query_ok_minimums),
        cmocka_unit_test(test_searchkey_query_ok_cjk_ranges),
        cmocka_unit_test(test_searchkey_query_ok_single_emoji_is_not_cjk),
        cmocka_unit_test(test_searchkey_query_ok_invalid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
