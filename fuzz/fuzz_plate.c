/* Fuzzes plate_normalize() (src/core/plate.c): licence plates arrive from the counter, the
 * booking call and the vehicle API in every spelling (full-width letters, dots, ideographic
 * spaces). Checks, beyond "no crash":
 * - acceptance and kind match an independent reading of GA 36 as documented in plate.h,
 *   applied to an independently normalised copy of the input, and the output is that copy;
 * - the output is valid UTF-8 of 7 or 8 characters that fits PLATE_MAX_BYTES, holds no
 *   separators, lower-case or full-width letters;
 * - a normalised plate normalises to itself with the same kind (idempotent), so a stored
 *   plate sent back unchanged is not refused or altered. */
#include "core/plate.h"

#include "fuzz.h"

static const uint32_t PROVINCES[] = {0x4EAC, 0x6D25, 0x6CAA, 0x6E1D, 0x5180, 0x8C6B, 0x4E91, 0x8FBD,
                                     0x9ED1, 0x6E58, 0x7696, 0x9C81, 0x65B0, 0x82CF, 0x6D59, 0x8D63,
                                     0x9102, 0x6842, 0x7518, 0x664B, 0x8499, 0x9655, 0x5409, 0x95FD,
                                     0x8D35, 0x7CA4, 0x9752, 0x85CF, 0x5DDD, 0x5B81, 0x743C};
/* 挂 学 警 港 澳 领 试 超 */
static const uint32_t SPECIAL_LAST[] = {0x6302, 0x5B66, 0x8B66, 0x6E2F,
                                        0x6FB3, 0x9886, 0x8BD5, 0x8D85};
#define EMBASSY 0x4F7F /* 使 */

static bool in_set(uint32_t c, const uint32_t *set, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (set[i] == c)
            return true;
    }
    return false;
}

static bool digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

/* Letters and digits on plates: no I or O (they read as 1 and 0). */
static bool alnum(uint32_t c)
{
    return digit(c) || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'O');
}

/* Kind of a normalised plate c[0..n), or -1 when it is not one. */
static int ref_kind(const uint32_t *c, size_t n)
{
    if (n == 7 && c[0] == EMBASSY) {
        for (size_t i = 1; i < 7; i++) {
            if (!digit(c[i]))
                return -1;
        }
        return PLATE_SPECIAL;
    }
    if (n < 7 || n > 8 || !in_set(c[0], PROVINCES, sizeof PROVINCES / sizeof PROVINCES[0]) ||
        !(c[1] >= 'A' && c[1] <= 'Z' && c[1] != 'I'))
        return -1;
    if (n == 7) {
        for (size_t i = 2; i < 6; i++) {
            if (!alnum(c[i]))
                return -1;
        }
        if (alnum(c[6]))
            return PLATE_REGULAR;
        return in_set(c[6], SPECIAL_LAST, 8) ? PLATE_SPECIAL : -1;
    }
    bool small = c[2] >= 'A' && c[2] <= 'K' && c[2] != 'I' && alnum(c[3]) && digit(c[4]) &&
                 digit(c[5]) && digit(c[6]) && digit(c[7]);
    bool large = digit(c[2]) && digit(c[3]) && digit(c[4]) && digit(c[5]) && digit(c[6]) &&
                 (c[7] == 'D' || c[7] == 'F');
    return small || large ? PLATE_NEW_ENERGY : -1;
}

static bool separator(uint32_t c)
{
    return c == ' ' || c == 0x3000 || c == '.' || c == '-' || c == 0xB7 || c == 0x2022 ||
           c == 0x30FB || c == 0xFF0E || c == 0xFF0D;
}

/* Independent normalisation into c (at most cap code points); -1 when invalid UTF-8 or too
 * long, else the count. */
static long ref_normalize(const char *s, uint32_t *c, size_t cap)
{
    size_t n = strlen(s), k = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = fuzz_utf8_seq((const unsigned char *)s + i, n - i, &cp);
        if (l == 0)
            return -1;
        i += l;
        if (separator(cp))
            continue;
        if (cp >= 0xFF10 && cp <= 0xFF19)
            cp = cp - 0xFF10 + '0';
        else if (cp >= 0xFF21 && cp <= 0xFF3A)
            cp = cp - 0xFF21 + 'A';
        else if (cp >= 0xFF41 && cp <= 0xFF5A)
            cp = cp - 0xFF41 + 'A';
        else if (cp >= 'a' && cp <= 'z')
            cp = cp - 'a' + 'A';
        if (k == cap)
            return -1;
        c[k++] = cp;
    }
    return (long)k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_cstr(data, size);
    if (!in)
        return 0;
    uint32_t ref[9];
    long rn = ref_normalize(in, ref, 9);
    int want = rn < 0 ? -1 : ref_kind(ref, (size_t)rn);

    char out[PLATE_MAX_BYTES];
    enum plate_kind kind = (enum plate_kind) - 1;
    struct dms_error err = {0};
    int rc = plate_normalize(in, out, &kind, &err);
    FUZZ_CHECK(rc == 0 || rc == -1);
    FUZZ_CHECK((rc == 0) == (want >= 0));
    if (rc < 0) {
        FUZZ_CHECK(strcmp(err.code, "invalid_plate") == 0);
        FUZZ_CHECK(strcmp(err.field, "plate") == 0);
        free(in);
        return 0;
    }
    FUZZ_CHECK((int)kind == want);
    FUZZ_CHECK(strlen(out) < PLATE_MAX_BYTES);
    FUZZ_CHECK(fuzz_utf8_valid(out));
    /* The output is the reference normalisation, code point by code point. */
    size_t n = strlen(out), k = 0;
    for (size_t i = 0; i < n; k++) {
        uint32_t cp;
        size_t l = fuzz_utf8_seq((const unsigned char *)out + i, n - i, &cp);
        FUZZ_CHECK(l > 0);
        FUZZ_CHECK(k < (size_t)rn && cp == ref[k]);
        FUZZ_CHECK(!separator(cp) && !(cp >= 'a' && cp <= 'z') && !(cp >= 0xFF01 && cp <= 0xFF5E));
        i += l;
    }
    FUZZ_CHECK(k == (size_t)rn && (k == 7 || k == 8));
    FUZZ_CHECK(strcmp(plate_kind_name(kind), kind == PLATE_REGULAR      ? "regular"
                                             : kind == PLATE_NEW_ENERGY ? "new_energy"
                                                                        : "special") == 0);

    /* Idempotent, same kind. */
    char again[PLATE_MAX_BYTES];
    enum plate_kind kind2;
    FUZZ_CHECK(plate_normalize(out, again, &kind2, NULL) == 0);
    FUZZ_CHECK(strcmp(again, out) == 0 && kind2 == kind);
    free(in);
    return 0;
}
