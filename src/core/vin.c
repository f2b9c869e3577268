/* VIN normalisation and the ISO 3779 / North-American check digit, which Chinese VINs
 * (GB 16735) carry at position 9 as well. */
#include "core/vin.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

/* Transliteration of letters to values; I, O, Q are not allowed and map to -1. */
static int vin_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    static const int letters[26] = {1, 2,  3, 4,  5, 6, 7, 8, -1, 1, 2, 3, 4,
                                    5, -1, 7, -1, 9, 2, 3, 4, 5,  6, 7, 8, 9};
    if (c >= 'A' && c <= 'Z')
        return letters[c - 'A'];
    return -1;
}

char vin_check_digit(const char *vin)
{
    static const int weights[VIN_LEN] = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};
    int sum = 0;
    for (size_t i = 0; i < VIN_LEN; i++) {
        int v = vin_value(vin[i]);
        if (v < 0)
            return '\0';
        sum += v * weights[i];
    }
    int r = sum % 11;
    return r == 10 ? 'X' : (char)('0' + r);
}

int vin_normalize(const char *in, char out[VIN_LEN + 1], bool verify_check_digit,
                  struct dms_error *err)
{
    size_t n = 0;
    for (const char *p = in; *p; p++) {
        if (*p == ' ' || *p == '-')
            continue;
        if (n == VIN_LEN)
            return dms_fail(err, "invalid_vin", "vin", "a VIN has exactly 17 characters");
        out[n++] = (char)toupper((unsigned char)*p);
    }
    out[n] = '\0';
    if (n != VIN_LEN)
        return dms_fail(err, "invalid_vin", "vin", "a VIN has exactly 17 characters, got %zu", n);
    for (size_t i = 0; i < VIN_LEN; i++) {
        if (vin_value(out[i]) < 0)
            return dms_fail(err, "invalid_vin", "vin",
                            "character %zu of the VIN is not allowed (0-9, A-Z without I, O, Q)",
                            i + 1);
    }
    if (verify_check_digit) {
        char want = vin_check_digit(out);
        if (out[8] != want)
            return dms_fail(err, "vin_check_digit", "vin",
                            "the VIN's check digit (position 9) should be %c, not %c; send "
                            "\"vin_check\": \"skip\" for an old or imported car",
                            want, out[8]);
    }
    return 0;
}
