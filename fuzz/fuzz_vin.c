/* Fuzzes vin_normalize() and vin_check_digit() (src/core/vin.c), which see every VIN typed at
 * the counter or sent in a vehicle body. Checks, beyond "no crash":
 * - acceptance matches an independent reading of the rule (spaces and dashes dropped, ASCII
 *   upper-cased, exactly 17 characters from 0-9 A-Z without I O Q), and the output is that
 *   string;
 * - the check digit agrees with a reference ISO 3779 computation, and verification fails
 *   with vin_check_digit exactly when position 9 differs from it;
 * - a normalised VIN normalises to itself (idempotent), so stored VINs survive a round trip
 *   through the API. */
#include "core/vin.h"

#include "fuzz.h"

/* ISO 3779 transliteration, written out independently of vin.c; -1 outside the alphabet. */
static int ref_value(char c)
{
    static const char *const letters = "ABCDEFGHJKLMNPRSTUVWXYZ";
    static const int values[] = {1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4,
                                 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9};
    if (c >= '0' && c <= '9')
        return c - '0';
    const char *p = c ? strchr(letters, c) : NULL;
    return p ? values[p - letters] : -1;
}

static char ref_check_digit(const char *vin)
{
    static const int weights[VIN_LEN] = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};
    int sum = 0;
    for (size_t i = 0; i < VIN_LEN; i++)
        sum += ref_value(vin[i]) * weights[i];
    return sum % 11 == 10 ? 'X' : (char)('0' + sum % 11);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_cstr(data, size);
    if (!in)
        return 0;

    /* Reference: drop ' ' and '-', upper-case ASCII letters. */
    size_t n = strlen(in), rn = 0;
    char ref[VIN_LEN + 1];
    bool ref_ok = true;
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (c == ' ' || c == '-')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (rn == VIN_LEN || ref_value(c) < 0) {
            ref_ok = false;
            break;
        }
        ref[rn++] = c;
    }
    ref[rn] = '\0';
    ref_ok = ref_ok && rn == VIN_LEN;

    char out[VIN_LEN + 1], checked[VIN_LEN + 1];
    struct dms_error err = {0}, err2 = {0};
    int rc = vin_normalize(in, out, false, &err);
    int rc2 = vin_normalize(in, checked, true, &err2);
    FUZZ_CHECK(rc == 0 || rc == -1);
    FUZZ_CHECK(rc2 == 0 || rc2 == -1);
    FUZZ_CHECK((rc == 0) == ref_ok);

    if (rc == 0) {
        FUZZ_CHECK(strcmp(out, ref) == 0);
        FUZZ_CHECK(strlen(out) == VIN_LEN);
        char want = ref_check_digit(out);
        FUZZ_CHECK(vin_check_digit(out) == want);
        /* With verification: fails exactly on a wrong check digit, with its own code. */
        FUZZ_CHECK((rc2 == 0) == (out[8] == want));
        if (rc2 == 0)
            FUZZ_CHECK(strcmp(checked, out) == 0);
        else
            FUZZ_CHECK(strcmp(err2.code, "vin_check_digit") == 0);

        /* Idempotent. */
        char again[VIN_LEN + 1];
        FUZZ_CHECK(vin_normalize(out, again, false, NULL) == 0);
        FUZZ_CHECK(strcmp(again, out) == 0);
    } else {
        FUZZ_CHECK(rc2 == -1);
        FUZZ_CHECK(strcmp(err.code, "invalid_vin") == 0);
        FUZZ_CHECK(strcmp(err2.code, "invalid_vin") == 0);
        FUZZ_CHECK(strcmp(err.field, "vin") == 0);
    }

    /* The raw check digit must not read past a short or odd string's NUL. */
    (void)vin_check_digit(in);
    free(in);
    return 0;
}
