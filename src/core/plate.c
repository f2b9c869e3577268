/* Licence plate validation, code point by code point. */
#include "core/plate.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/utf8.h"

static const char PROVINCES[] = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
static const char SPECIAL_LAST[] = "挂学警港澳领试超";

static bool cp_in(uint32_t cp, const char *set)
{
    size_t n = strlen(set);
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t l = utf8_decode(set + i, n - i, &c);
        if (l == 0)
            return false;
        if (c == cp)
            return true;
        i += l;
    }
    return false;
}

static bool is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

/* Letters on plates exclude I and O, which read as 1 and 0. */
static bool is_plate_letter(uint32_t c)
{
    return c >= 'A' && c <= 'Z' && c != 'I' && c != 'O';
}

static bool is_plate_alnum(uint32_t c)
{
    return is_digit(c) || is_plate_letter(c);
}

/* Issuing-authority letter: any letter but I (京O is used by some police units). */
static bool is_authority(uint32_t c)
{
    return c >= 'A' && c <= 'Z' && c != 'I';
}

static bool is_separator(uint32_t c)
{
    return c == ' ' || c == 0x3000 || c == '.' || c == '-' || c == 0xB7 /* · */ ||
           c == 0x2022 /* • */ || c == 0x30FB /* ・ */ || c == 0xFF0E /* ． */ ||
           c == 0xFF0D /* － */;
}

static int fail(struct dms_error *err)
{
    return dms_fail(err, "invalid_plate", "plate",
                    "not a mainland licence plate (e.g. 粤B12345, new energy 粤BD12345)");
}

int plate_normalize(const char *in, char out[PLATE_MAX_BYTES], enum plate_kind *kind,
                    struct dms_error *err)
{
    uint32_t c[9];
    size_t n = 0, len = strlen(in);
    out[0] = '\0';
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t l = utf8_decode(in + i, len - i, &cp);
        if (l == 0)
            return fail(err);
        i += l;
        if (is_separator(cp))
            continue;
        if (cp >= 0xFF10 && cp <= 0xFF19) /* full-width digits */
            cp = cp - 0xFF10 + '0';
        else if (cp >= 0xFF21 && cp <= 0xFF3A) /* full-width capitals */
            cp = cp - 0xFF21 + 'A';
        else if (cp >= 0xFF41 && cp <= 0xFF5A) /* full-width small letters */
            cp = cp - 0xFF41 + 'A';
        else if (cp >= 'a' && cp <= 'z')
            cp = cp - 'a' + 'A';
        if (n == 9)
            return fail(err);
        c[n++] = cp;
    }
    enum plate_kind k = PLATE_REGULAR;
    bool ok = false;
    if (n == 7 && c[0] == 0x4F7F /* 使 */) {
        ok = true;
        for (size_t i = 1; i < 7; i++)
            ok = ok && is_digit(c[i]);
        k = PLATE_SPECIAL;
    } else if (n >= 7 && n <= 8 && cp_in(c[0], PROVINCES) && is_authority(c[1])) {
        if (n == 7) {
            ok = true;
            for (size_t i = 2; i < 6; i++)
                ok = ok && is_plate_alnum(c[i]);
            if (is_plate_alnum(c[6])) {
                k = PLATE_REGULAR;
            } else {
                ok = ok && cp_in(c[6], SPECIAL_LAST);
                k = PLATE_SPECIAL;
            }
        } else {
            k = PLATE_NEW_ENERGY;
            /* Small vehicles: D (battery) / F (other) or, since 2022, A-K in position 3,
             * then a letter or digit, then four digits. */
            bool small = (c[2] >= 'A' && c[2] <= 'K' && c[2] != 'I') && is_plate_alnum(c[3]) &&
                         is_digit(c[4]) && is_digit(c[5]) && is_digit(c[6]) && is_digit(c[7]);
            /* Large vehicles: five digits, then D or F. */
            bool large = is_digit(c[2]) && is_digit(c[3]) && is_digit(c[4]) && is_digit(c[5]) &&
                         is_digit(c[6]) && (c[7] == 'D' || c[7] == 'F');
            ok = small || large;
        }
    }
    if (!ok)
        return fail(err);
    for (size_t i = 0; i < n; i++) {
        if (utf8_encode(c[i], out, PLATE_MAX_BYTES) == 0)
            return fail(err);
    }
    if (kind)
        *kind = k;
    return 0;
}

const char *plate_kind_name(enum plate_kind kind)
{
    switch (kind) {
    case PLATE_REGULAR:
        return "regular";
    case PLATE_NEW_ENERGY:
        return "new_energy";
    case PLATE_SPECIAL:
        return "special";
    }
    return "regular";
}
