/* Fuzzes the free-text path every request field goes through: text_clean() (src/core/text.c),
 * the UTF-8 helpers under it (src/core/utf8.c) and the name/e-mail masks (src/core/mask.c).
 *
 * Input: byte 0 = flags (bit 0 multiline, bit 1 required), byte 1 = max_chars (255 means
 * 2000, the notes limit), byte 2 = output capacity (0 means max_chars * 4 + 1, as the
 * handlers size their buffers), then the text. Checks, beyond "no crash":
 * - utf8_decode agrees with an independent RFC 3629 decoder at every offset, including on
 *   truncated sequences; utf8_encode gives back the same bytes; utf8_length >= 0 exactly when
 *   the text is valid UTF-8, and then counts the same; utf8_is_clean_text agrees with an
 *   independent scan for control characters and noncharacters; utf8_trim_copy strips exactly
 *   the leading and trailing white space;
 * - text_clean accepts exactly the valid text without control characters or noncharacters
 *   whose trimmed form fits cap and has at most max_chars characters (surrounding spaces do
 *   not count) and, when required, is not empty; what it writes fits cap (an exact-size heap
 *   buffer), is that trimmed form, and cleans to itself;
 * - mask_name shows the first character and 1-3 stars (a one-character name only "*") and
 *   stays valid UTF-8; mask_email shows the first character (nothing when it is not valid
 *   UTF-8), three stars and the "@..." part. */
#include "core/text.h"

#include "core/mask.h"
#include "core/utf8.h"
#include "fuzz.h"

static bool is_space_cp(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000;
}

/* Offsets [*start, *end) of s without leading and trailing white space (valid UTF-8). */
static void ref_trim(const char *s, size_t *start, size_t *end)
{
    size_t n = strlen(s), i = 0;
    *start = n, *end = n;
    bool seen = false;
    while (i < n) {
        uint32_t cp;
        size_t l = fuzz_utf8_seq((const unsigned char *)s + i, n - i, &cp);
        if (!is_space_cp(cp)) {
            if (!seen)
                *start = i, seen = true;
            *end = i + l;
        }
        i += l;
    }
    if (!seen)
        *start = *end = 0;
}

static void check_utf8(const char *s, size_t n)
{
    long ref = fuzz_utf8_count(s, n);
    FUZZ_CHECK(utf8_length(s) == ref);
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = 0, want = 0;
        size_t l = utf8_decode(s + i, n - i, &cp);
        size_t wl = fuzz_utf8_seq((const unsigned char *)s + i, n - i, &want);
        FUZZ_CHECK(l == wl);
        if (l == 0)
            continue;
        FUZZ_CHECK(cp == want);
        /* Every shorter view of a valid sequence is truncated, hence invalid. */
        for (size_t k = 1; k < l; k++)
            FUZZ_CHECK(utf8_decode(s + i, k, &cp) == 0);
        char enc[8] = "";
        FUZZ_CHECK(utf8_encode(want, enc, sizeof enc) == l);
        FUZZ_CHECK(memcmp(enc, s + i, l) == 0 && enc[l] == '\0');
        /* A buffer one byte too small is refused and left NUL-terminated as it was. */
        char small[8] = "";
        FUZZ_CHECK(utf8_encode(want, small, l) == 0 && small[0] == '\0');
    }
    FUZZ_CHECK(utf8_is_clean_text(s, false) == fuzz_clean_text(s, false));
    FUZZ_CHECK(utf8_is_clean_text(s, true) == fuzz_clean_text(s, true));

    char *trimmed = malloc(n + 1);
    if (!trimmed)
        return;
    long tl = utf8_trim_copy(s, trimmed, n + 1);
    FUZZ_CHECK(tl >= 0 && (size_t)tl == strlen(trimmed) && (size_t)tl <= n);
    FUZZ_CHECK(strstr(s, trimmed) != NULL);
    if (ref >= 0) {
        size_t a, b;
        ref_trim(s, &a, &b);
        FUZZ_CHECK((size_t)tl == b - a && memcmp(trimmed, s + a, b - a) == 0);
    }
    free(trimmed);
}

static void check_masks(const char *s)
{
    char m[64];
    mask_name(s, m, sizeof m); /* as views.c */
    long chars = fuzz_utf8_count(s, strlen(s));
    if (chars == 1) {
        FUZZ_CHECK(strcmp(m, "*") == 0);
    } else if (chars > 1) {
        uint32_t cp;
        size_t first = fuzz_utf8_seq((const unsigned char *)s, strlen(s), &cp);
        long stars = chars - 1 > 3 ? 3 : chars - 1;
        FUZZ_CHECK(strlen(m) == first + (size_t)stars);
        FUZZ_CHECK(memcmp(m, s, first) == 0 && strspn(m + first, "*") == (size_t)stars);
    } else {
        FUZZ_CHECK(strcmp(m, "***") == 0);
    }
    FUZZ_CHECK(fuzz_utf8_valid(m));

    char e[64];
    mask_email(s, e, sizeof e);
    const char *at = strchr(s, '@');
    if (!at || at == s) {
        FUZZ_CHECK(strcmp(e, "***") == 0);
    } else {
        uint32_t cp;
        size_t first = fuzz_utf8_seq((const unsigned char *)s, (size_t)(at - s), &cp);
        FUZZ_CHECK(memcmp(e, s, first) == 0 && strncmp(e + first, "***", 3) == 0);
        FUZZ_CHECK(strncmp(e + first + 3, at, sizeof e - first - 4) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    bool multiline = data[0] & 1, required = data[0] & 2;
    long max_chars = data[1] == 255 ? 2000 : data[1];
    size_t cap = data[2] ? data[2] : (size_t)max_chars * 4 + 1;
    char *s = fuzz_cstr(data + 3, size - 3);
    char *out = malloc(cap ? cap : 1);
    if (!s || !out) {
        free(s);
        free(out);
        return 0;
    }
    size_t n = strlen(s);
    check_utf8(s, n);
    check_masks(s);

    struct dms_error err = {0};
    int rc = text_clean(s, out, cap, max_chars, multiline, required, "notes", &err);
    FUZZ_CHECK(rc == 0 || rc == -1);
    bool clean = fuzz_clean_text(s, multiline);
    size_t a = 0, b = 0;
    if (clean)
        ref_trim(s, &a, &b);
    long chars = fuzz_utf8_count(s + a, b - a); /* of the trimmed text */
    bool fits = b - a + 1 <= cap, empty = a == b;
    bool want = clean && chars <= max_chars && fits && !(required && empty);
    FUZZ_CHECK((rc == 0) == want);
    if (rc < 0) {
        FUZZ_CHECK(strcmp(err.field, "notes") == 0);
        FUZZ_CHECK(strcmp(err.code, clean && chars <= max_chars && fits ? "missing_field"
                                                                        : "invalid_field") == 0);
    } else {
        size_t len = strlen(out);
        FUZZ_CHECK(len < cap);
        FUZZ_CHECK(len == b - a && memcmp(out, s + a, len) == 0);
        FUZZ_CHECK(fuzz_clean_text(out, multiline));
        FUZZ_CHECK(fuzz_utf8_count(out, len) <= max_chars);
        FUZZ_CHECK(!required || len > 0);
        char *again = malloc(cap);
        if (again) {
            FUZZ_CHECK(text_clean(out, again, cap, max_chars, multiline, required, "notes", NULL) ==
                       0);
            FUZZ_CHECK(strcmp(again, out) == 0);
            free(again);
        }
    }
    free(out);
    free(s);
    return 0;
}
