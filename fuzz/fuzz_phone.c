/* Fuzzes phone_normalize() and phone_mask() (src/core/phone.c): numbers come from customer and
 * driver bodies in any spelling ("+86 138 1234 5678", "0755-12345678转123"). Checks, beyond
 * "no crash":
 * - an accepted number has one of the shapes phone.h documents, matching its kind: mobile
 *   1[3-9] + 9 digits; service 400/800 + 7; landline 010/02x + 8 or 0[3-9]xx + 7-8 digits;
 *   landlines and service numbers optionally "-" and 1-7 extension digits (400 numbers do
 *   have extensions, "400-123-4567转8"; mobiles never);
 * - its digits are the input's digits (full-width ones included), less a leading 86/0086 and
 *   with a landline's trunk 0 put back after +86 (nothing else invented or lost);
 * - a normalised number normalises to itself with the same kind (idempotent): stored numbers
 *   come back through the API unchanged when a client sends a customer back;
 * - phone_mask keeps at most the area code or first three digits and the last four, with
 *   "****" between, and fits PHONE_MAX. */
#include "core/phone.h"

#include "fuzz.h"

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
    }
    return true;
}

/* Whether a normalised number has the documented shape of its kind. */
static bool shape_ok(const char *out, enum phone_kind kind)
{
    size_t len = strlen(out), n = strcspn(out, "-");
    if (!all_digits(out, n))
        return false;
    if (n < len) {
        size_t e = len - n - 1;
        if (kind == PHONE_MOBILE || e < 1 || e > 7 || !all_digits(out + n + 1, e))
            return false;
    }
    switch (kind) {
    case PHONE_MOBILE:
        return n == 11 && out[0] == '1' && out[1] >= '3' && out[1] <= '9';
    case PHONE_SERVICE:
        return n == 10 && (strncmp(out, "400", 3) == 0 || strncmp(out, "800", 3) == 0);
    case PHONE_LANDLINE:
        if (n < 3 || out[0] != '0')
            return false;
        if (out[1] == '1')
            return out[2] == '0' && n == 11;
        if (out[1] == '2')
            return n == 11;
        return out[1] >= '3' && (n == 11 || n == 12);
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_cstr(data, size);
    if (!in)
        return 0;
    char out[PHONE_MAX], mask[PHONE_MAX];
    enum phone_kind kind = (enum phone_kind) - 1;
    struct dms_error err = {0};
    int rc = phone_normalize(in, out, &kind, "phone", &err);
    FUZZ_CHECK(rc == 0 || rc == -1);

    /* The mask of anything, normalised or not, must stay inside its buffer. */
    phone_mask(in, mask);
    FUZZ_CHECK(strlen(mask) < PHONE_MAX);

    if (rc < 0) {
        FUZZ_CHECK(strcmp(err.code, "invalid_phone") == 0);
        FUZZ_CHECK(strcmp(err.field, "phone") == 0);
        free(in);
        return 0;
    }
    FUZZ_CHECK(strlen(out) < PHONE_MAX);
    FUZZ_CHECK(shape_ok(out, kind));

    /* Digits in = digits out, less the country code. */
    char in_digits[64], out_digits[PHONE_MAX];
    size_t ni = 0, no = 0;
    for (const char *p = in; *p && ni < sizeof in_digits - 1; p++) {
        if (*p >= '0' && *p <= '9')
            in_digits[ni++] = *p;
        else if (strncmp(p, "\xEF\xBC", 2) == 0 && p[2] >= '\x90' && p[2] <= '\x99')
            in_digits[ni++] = (char)('0' + (p[2] - '\x90')), p += 2; /* U+FF10..U+FF19 */
    }
    in_digits[ni] = '\0';
    for (const char *p = out; *p; p++) {
        if (*p != '-')
            out_digits[no++] = *p;
    }
    out_digits[no] = '\0';
    const char *d = in_digits;
    if (strcmp(d, out_digits) != 0) {
        FUZZ_CHECK(strncmp(d, "86", 2) == 0 || strncmp(d, "0086", 4) == 0);
        d += d[0] == '0' ? 4 : 2;
        if (kind == PHONE_LANDLINE && d[0] != '0')
            FUZZ_CHECK(out_digits[0] == '0' && strcmp(d, out_digits + 1) == 0);
        else
            FUZZ_CHECK(strcmp(d, out_digits) == 0);
    }

    /* Idempotent, same kind. */
    char again[PHONE_MAX];
    enum phone_kind kind2 = (enum phone_kind) - 1;
    struct dms_error err2 = {0};
    if (phone_normalize(out, again, &kind2, "phone", &err2) != 0) {
        fprintf(stderr, "normalised %s, which does not normalise again: %s\n", out, err2.message);
        FUZZ_FAIL("normalised number re-normalises");
    }
    if (strcmp(again, out) != 0 || kind2 != kind) {
        fprintf(stderr, "normalised %s, which normalises again to %s\n", out, again);
        FUZZ_FAIL("normalisation is idempotent");
    }

    /* Mask: head, four stars, the main number's last four; nothing else shown. */
    phone_mask(out, mask);
    size_t n = strcspn(out, "-");
    size_t head = (out[0] == '0' && out[1] != '1' && out[1] != '2') ? 4 : 3;
    FUZZ_CHECK(strlen(mask) == head + 8);
    FUZZ_CHECK(strncmp(mask, out, head) == 0);
    FUZZ_CHECK(strncmp(mask + head, "****", 4) == 0);
    FUZZ_CHECK(strncmp(mask + head + 4, out + n - 4, 4) == 0);
    free(in);
    return 0;
}
