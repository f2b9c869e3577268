/* Unit tests for core/utf8: decoding against the well-formed byte sequences of Unicode
 * Table 3-7 (exhaustively for two- and three-byte forms), encoding round trips over every
 * scalar value, character counts, control-character checks and trimming. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/utf8.h"

/* ---- helpers ---- */

/* Length of the well-formed sequence at b[0..n) per Unicode Table 3-7, or 0. Written from
 * the table, not from the decoder's bit tests. */
static size_t ref_sequence_length(const unsigned char *b, size_t n)
{
    if (n == 0)
        return 0;
    unsigned char c = b[0];
    if (c <= 0x7F)
        return 1;
    unsigned char lo = 0x80, hi = 0xBF;
    size_t len;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c == 0xE0) {
        len = 3, lo = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
        len = 3;
    } else if (c == 0xED) {
        len = 3, hi = 0x9F;
    } else if (c == 0xF0) {
        len = 4, lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
        len = 4;
    } else if (c == 0xF4) {
        len = 4, hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    if (b[1] < lo || b[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++) {
        if (b[i] < 0x80 || b[i] > 0xBF)
            return 0;
    }
    return len;
}

static void assert_decodes(const char *s, size_t n, size_t want_len, uint32_t want_cp)
{
    uint32_t cp = 0xDEADBEEF;
    assert_int_equal(utf8_decode(s, n, &cp), want_len);
    assert_int_equal(cp, want_cp);
}

static void assert_invalid(const char *s, size_t n)
{
    uint32_t cp = 0;
    if (utf8_decode(s, n, &cp) != 0)
        fail_msg("accepted a sequence of %zu bytes starting 0x%02X", n, (unsigned char)s[0]);
}

/* ---- decoding: boundaries of each length ---- */

static void test_utf8_decode_length_boundaries(void **state)
{
    (void)state;
    assert_decodes("\x7F", 1, 1, 0x7F);
    assert_decodes("\xC2\x80", 2, 2, 0x80);
    assert_decodes("\xDF\xBF", 2, 2, 0x7FF);
    assert_decodes("\xE0\xA0\x80", 3, 3, 0x800);
    assert_decodes("\xEF\xBF\xBF", 3, 3, 0xFFFF);
    assert_decodes("\xF0\x90\x80\x80", 4, 4, 0x10000);
    assert_decodes("\xF4\x8F\xBF\xBF", 4, 4, 0x10FFFF);
    assert_decodes("\xE7\xB2\xA4", 3, 3, 0x7CA4); /* 粤 */
}

static void test_utf8_decode_stops_after_one_code_point(void **state)
{
    (void)state;
    assert_decodes("\xE7\xB2\xA4"
                   "B",
                   4, 3, 0x7CA4);
    assert_decodes("AB", 2, 1, 'A');
    assert_decodes("", 1, 1, 0); /* the NUL byte itself, when counted in n */
}

static void test_utf8_decode_rejects_overlongs(void **state)
{
    (void)state;
    assert_invalid("\xC0\x80", 2);         /* U+0000 */
    assert_invalid("\xC0\xAF", 2);         /* '/' */
    assert_invalid("\xC1\xBF", 2);         /* U+007F */
    assert_invalid("\xE0\x80\x80", 3);     /* U+0000 */
    assert_invalid("\xE0\x9F\xBF", 3);     /* U+07FF */
    assert_invalid("\xF0\x80\x80\x80", 4); /* U+0000 */
    assert_invalid("\xF0\x8F\xBF\xBF", 4); /* U+FFFF */
}

static void test_utf8_decode_rejects_surrogates(void **state)
{
    (void)state;
    assert_decodes("\xED\x9F\xBF", 3, 3, 0xD7FF);
    assert_invalid("\xED\xA0\x80", 3); /* U+D800 */
    assert_invalid("\xED\xAF\xBF", 3); /* U+DBFF */
    assert_invalid("\xED\xB0\x80", 3); /* U+DC00 */
    assert_invalid("\xED\xBF\xBF", 3); /* U+DFFF */
    assert_decodes("\xEE\x80\x80", 3, 3, 0xE000);
    /* CESU-8 pair for U+1F600 */
    assert_invalid("\xED\xA0\xBD\xED\xB8\x80", 6);
}

static void test_utf8_decode_rejects_above_max(void **state)
{
    (void)state;
    assert_invalid("\xF4\x90\x80\x80", 4); /* U+110000 */
    assert_invalid("\xF5\x80\x80\x80", 4);
    assert_invalid("\xF7\xBF\xBF\xBF", 4);
    assert_invalid("\xF8\x88\x80\x80\x80", 5);
    assert_invalid("\xFC\x84\x80\x80\x80\x80", 6);
    assert_invalid("\xFE", 1);
    assert_invalid("\xFF", 1);
}

static void test_utf8_decode_rejects_truncated_and_broken(void **state)
{
    (void)state;
    static const char *const full[] = {"\xC2\x80", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80"};
    for (size_t i = 0; i < sizeof full / sizeof full[0]; i++) {
        size_t len = strlen(full[i]);
        for (size_t n = 0; n < len; n++)
            assert_invalid(full[i], n);
        /* Every continuation byte replaced by ASCII or by a lead byte. */
        for (size_t k = 1; k < len; k++) {
            char b[5];
            memcpy(b, full[i], len + 1);
            b[k] = 'A';
            assert_invalid(b, len);
            b[k] = (char)0xC2;
            assert_invalid(b, len);
        }
    }
    assert_invalid("\x80", 1);
    assert_invalid("\xBF", 1);
    assert_invalid("\xE4\xB8", 3); /* the NUL is not a continuation byte */
}

/* ---- decoding against Table 3-7, exhaustively ---- */

static void test_utf8_decode_every_two_byte_input(void **state)
{
    (void)state;
    for (unsigned a = 0; a < 256; a++) {
        for (unsigned b = 0; b < 256; b++) {
            unsigned char s[2] = {(unsigned char)a, (unsigned char)b};
            uint32_t cp;
            size_t want = ref_sequence_length(s, 2);
            size_t got = utf8_decode((const char *)s, 2, &cp);
            if (got != want)
                fail_msg("%02X %02X: decoded %zu bytes, want %zu", a, b, got, want);
            if (got == 2 && cp != (((a & 0x1Fu) << 6) | (b & 0x3Fu)))
                fail_msg("%02X %02X: U+%04X", a, b, (unsigned)cp);
        }
    }
}

static void test_utf8_decode_every_three_byte_input(void **state)
{
    (void)state;
    for (unsigned a = 0xE0; a <= 0xEF; a++) {
        for (unsigned b = 0; b < 256; b++) {
            for (unsigned c = 0; c < 256; c++) {
                unsigned char s[3] = {(unsigned char)a, (unsigned char)b, (unsigned char)c};
                uint32_t cp;
                size_t want = ref_sequence_length(s, 3);
                size_t got = utf8_decode((const char *)s, 3, &cp);
                if (got != want)
                    fail_msg("%02X %02X %02X: decoded %zu bytes, want %zu", a, b, c, got, want);
                if (got == 3 && cp != (((a & 0x0Fu) << 12) | ((b & 0x3Fu) << 6) | (c & 0x3Fu)))
                    fail_msg("%02X %02X %02X: U+%04X", a, b, c, (unsigned)cp);
            }
        }
    }
}

static void test_utf8_decode_four_byte_inputs(void **state)
{
    (void)state;
    /* Every lead and second byte, with the edges of the continuation range after them. */
    static const unsigned char tail[] = {0x00, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    for (unsigned a = 0xF0; a <= 0xFF; a++) {
        for (unsigned b = 0; b < 256; b++) {
            for (size_t i = 0; i < sizeof tail; i++) {
                for (size_t j = 0; j < sizeof tail; j++) {
                    unsigned char s[4] = {(unsigned char)a, (unsigned char)b, tail[i], tail[j]};
                    uint32_t cp;
                    size_t want = ref_sequence_length(s, 4);
                    size_t got = utf8_decode((const char *)s, 4, &cp);
                    if (got != want)
                        fail_msg("%02X %02X %02X %02X: decoded %zu bytes, want %zu", a, b, tail[i],
                                 tail[j], got, want);
                }
            }
        }
    }
}

static void test_utf8_decode_empty_input(void **state)
{
    (void)state;
    uint32_t cp = 7;
    assert_int_equal(utf8_decode("A", 0, &cp), 0);
    assert_int_equal(cp, 7);
}

/* ---- encoding ---- */

static void test_utf8_encode_length_boundaries(void **state)
{
    (void)state;
    static const struct {
        uint32_t cp;
        const char *bytes;
    } cases[] = {
        {0x7F, "\x7F"},
        {0x80, "\xC2\x80"},
        {0x7FF, "\xDF\xBF"},
        {0x800, "\xE0\xA0\x80"},
        {0xFFFF, "\xEF\xBF\xBF"},
        {0x10000, "\xF0\x90\x80\x80"},
        {0x10FFFF, "\xF4\x8F\xBF\xBF"},
        {0x7CA4, "\xE7\xB2\xA4"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[8] = "";
        assert_int_equal(utf8_encode(cases[i].cp, out, sizeof out), strlen(cases[i].bytes));
        assert_string_equal(out, cases[i].bytes);
    }
}

static void test_utf8_encode_decode_round_trip_every_scalar(void **state)
{
    (void)state;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        size_t want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        char out[8] = "";
        size_t len = utf8_encode(cp, out, sizeof out);
        if (cp == 0) {
            /* U+0000 is written but ends the string. */
            assert_int_equal(len, 1);
            continue;
        }
        if (len != want || strlen(out) != want)
            fail_msg("U+%04X encoded in %zu bytes, want %zu", (unsigned)cp, len, want);
        if (ref_sequence_length((const unsigned char *)out, len) != want)
            fail_msg("U+%04X encoded as an ill-formed sequence", (unsigned)cp);
        uint32_t back;
        if (utf8_decode(out, len, &back) != want || back != cp)
            fail_msg("U+%04X did not round trip", (unsigned)cp);
    }
}

static void test_utf8_encode_appends_within_capacity(void **state)
{
    (void)state;
    char out[8] = "ab";
    /* "ab" + 3 bytes + NUL = 6: fits in 6, not in 5. */
    assert_int_equal(utf8_encode(0x7CA4, out, 5), 0);
    assert_string_equal(out, "ab");
    assert_int_equal(utf8_encode(0x7CA4, out, 6), 3);
    assert_string_equal(out, "ab\xE7\xB2\xA4");
    assert_int_equal(utf8_encode('c', out, 7), 1);
    assert_string_equal(out, "ab\xE7\xB2\xA4"
                             "c");
    assert_int_equal(utf8_encode('d', out, 7), 0);
    assert_string_equal(out, "ab\xE7\xB2\xA4"
                             "c");

    char one[1] = "";
    assert_int_equal(utf8_encode('x', one, sizeof one), 0);
    assert_string_equal(one, "");
}

/* ---- counting ---- */

static void test_utf8_length_counts_code_points(void **state)
{
    (void)state;
    assert_int_equal(utf8_length(""), 0);
    assert_int_equal(utf8_length("abc"), 3);
    assert_int_equal(utf8_length("王小明"), 3);
    assert_int_equal(utf8_length("粤B12345"), 7);
    assert_int_equal(utf8_length("\xF0\x9F\x98\x80"
                                 "a"),
                     2);
    assert_int_equal(utf8_length("\xC2\x80\xDF\xBF\xE0\xA0\x80\xF4\x8F\xBF\xBF"), 4);
}

static void test_utf8_length_invalid_is_minus_one(void **state)
{
    (void)state;
    assert_int_equal(utf8_length("\xFF"), -1);
    assert_int_equal(utf8_length("abc\x80"), -1);
    assert_int_equal(utf8_length("王\xE5\xB0"), -1); /* truncated at the end */
    assert_int_equal(utf8_length("\xC0\xAF"), -1);
    assert_int_equal(utf8_length("\xED\xA0\x80"), -1);
    assert_int_equal(utf8_length("\xF4\x90\x80\x80"), -1);
}

/* ---- clean text ---- */

static void test_utf8_is_clean_text_control_boundaries(void **state)
{
    (void)state;
    assert_false(utf8_is_clean_text("\x1F", false));
    assert_true(utf8_is_clean_text(" ", false));
    assert_true(utf8_is_clean_text("~", false));
    assert_false(utf8_is_clean_text("\x7F", false));
    assert_false(utf8_is_clean_text("\xC2\x80", false)); /* U+0080 */
    assert_false(utf8_is_clean_text("\xC2\x85", true));  /* NEL is C1 even when multiline */
    assert_false(utf8_is_clean_text("\xC2\x9F", false)); /* U+009F */
    assert_true(utf8_is_clean_text("\xC2\xA0", false));  /* U+00A0 */
    assert_false(utf8_is_clean_text("a\x01", true));
    assert_false(utf8_is_clean_text("a\x1B[0m", true));
}

static void test_utf8_is_clean_text_line_breaks_only_multiline(void **state)
{
    (void)state;
    static const char *const breaks[] = {"a\nb", "a\tb", "a\r\nb", "\n"};
    for (size_t i = 0; i < sizeof breaks / sizeof breaks[0]; i++) {
        assert_false(utf8_is_clean_text(breaks[i], false));
        assert_true(utf8_is_clean_text(breaks[i], true));
    }
    assert_true(utf8_is_clean_text("", false));
    assert_true(utf8_is_clean_text("王小明 Wang", false));
}

static void test_utf8_is_clean_text_rejects_invalid_utf8(void **state)
{
    (void)state;
    assert_false(utf8_is_clean_text("\xFF", true));
    assert_false(utf8_is_clean_text("ok\xE4\xB8", true));
    assert_false(utf8_is_clean_text("\xC0\x8A", true)); /* overlong newline */
    assert_false(utf8_is_clean_text("\xED\xA0\x80", true));
}

/* ---- trimming ---- */

static void test_utf8_trim_copy_ascii_and_ideographic_space(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(utf8_trim_copy("  王小明\t\r\n", out, sizeof out), 9);
    assert_string_equal(out, "王小明");
    assert_int_equal(utf8_trim_copy("\xE3\x80\x80王 小明\xE3\x80\x80", out, sizeof out), 10);
    assert_string_equal(out, "王 小明");
    assert_int_equal(utf8_trim_copy("a\xE3\x80\x80"
                                    "b",
                                    out, sizeof out),
                     5);
    assert_string_equal(out, "a\xE3\x80\x80"
                             "b");
    assert_int_equal(utf8_trim_copy(" \xE3\x80\x80 \t", out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(utf8_trim_copy("", out, sizeof out), 0);
    assert_string_equal(out, "");
}

static void test_utf8_trim_copy_capacity(void **state)
{
    (void)state;
    char out[8];
    /* "王小" is 6 bytes: fits in 7 with the NUL, not in 6. */
    assert_int_equal(utf8_trim_copy(" 王小 ", out, 7), 6);
    assert_string_equal(out, "王小");
    assert_int_equal(utf8_trim_copy(" 王小 ", out, 6), -1);
    assert_int_equal(utf8_trim_copy("   ", out, 1), 0);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_decode_length_boundaries),
        cmocka_unit_test(test_utf8_decode_stops_after_one_code_point),
        cmocka_unit_test(test_utf8_decode_rejects_overlongs),
        cmocka_unit_test(test_utf8_decode_rejects_surrogates),
        cmocka_unit_test(test_utf8_decode_rejects_above_max),
        cmocka_unit_test(test_utf8_decode_rejects_truncated_and_broken),
        cmocka_unit_test(test_utf8_decode_every_two_byte_input),
        cmocka_unit_test(test_utf8_decode_every_three_byte_input),
        cmocka_unit_test(test_utf8_decode_four_byte_inputs),
        cmocka_unit_test(test_utf8_decode_empty_input),
        cmocka_unit_test(test_utf8_encode_length_boundaries),
        cmocka_unit_test(test_utf8_encode_decode_round_trip_every_scalar),
        cmocka_unit_test(test_utf8_encode_appends_within_capacity),
        cmocka_unit_test(test_utf8_length_counts_code_points),
        cmocka_unit_test(test_utf8_length_invalid_is_minus_one),
        cmocka_unit_test(test_utf8_is_clean_text_control_boundaries),
        cmocka_unit_test(test_utf8_is_clean_text_line_breaks_only_multiline),
        cmocka_unit_test(test_utf8_is_clean_text_rejects_invalid_utf8),
        cmocka_unit_test(test_utf8_trim_copy_ascii_and_ideographic_space),
        cmocka_unit_test(test_utf8_trim_copy_capacity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
