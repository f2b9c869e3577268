/* Phone number normalisation and masking. */
#include "core/phone.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int fail(struct dms_error *err, const char *field)
{
    return dms_fail(err, "invalid_phone", field,
                    "not a mainland phone number (mobile 13812345678, landline 0755-12345678)");
}

/* Whether the number was written with the +86 country code. */
static bool in_plus_86(const char *in)
{
    while (*in == ' ' || *in == '(')
        in++;
    return strncmp(in, "+86", 3) == 0 || strncmp(in, "0086", 4) == 0;
}

/* Whether s is already in the normalised form with an extension, "075512345678-123": ten
 * or more digits, one dash, one to six digits. Elsewhere a dash only separates groups. */
#define PHONE_EXT_MAX 6 /* digits of an extension */

static bool normalised_extension(const char *s)
{
    size_t digits = strspn(s, "0123456789");
    if (digits < 10 || s[digits] != '-')
        return false;
    size_t ext = strspn(s + digits + 1, "0123456789");
    return ext >= 1 && ext <= PHONE_EXT_MAX && s[digits + 1 + ext] == '\0';
}

int phone_normalize(const char *in, char out[PHONE_MAX], enum phone_kind *kind, const char *field,
                    struct dms_error *err)
{
    char digits[32], ext[8] = "";
    size_t n = 0, e = 0;
    bool in_ext = false;
    const char *ext_dash = normalised_extension(in) ? strchr(in, '-') : NULL;
    for (const char *p = in; *p;) {
        unsigned char c = (unsigned char)*p;
        /* Full-width digits (０-９, U+FF10..U+FF19) from Chinese input methods. */
        if (c == 0xEF && (unsigned char)p[1] == 0xBC && (unsigned char)p[2] >= 0x90 &&
            (unsigned char)p[2] <= 0x99) {
            c = (unsigned char)('0' + ((unsigned char)p[2] - 0x90));
            p += 2;
        }
        if (c >= '0' && c <= '9') {
            if (in_ext) {
                if (e == PHONE_EXT_MAX)
                    return fail(err, field);
                ext[e++] = (char)c;
            } else {
                if (n + 1 >= sizeof digits)
                    return fail(err, field);
                digits[n++] = (char)c;
            }
            p++;
        } else if (c == '-' && !in_ext && p == ext_dash) {
            in_ext = true, p++;
        } else if (c == ' ' || c == '-' || c == '(' || c == ')') {
            p++;
        } else if (c == '+' && n == 0 && !in_ext) {
            p++;
        } else if (!in_ext && c == '#') {
            in_ext = true, p++;
        } else if (!in_ext && (strncmp(p, "ext", 3) == 0 || strncmp(p, "EXT", 3) == 0)) {
            in_ext = true, p += 3;
        } else if (!in_ext && strncmp(p, "转", strlen("转")) == 0) {
            in_ext = true, p += strlen("转");
        } else {
            return fail(err, field);
        }
    }
    digits[n] = '\0';
    ext[e] = '\0';
    if (in_ext && e == 0)
        return fail(err, field);
    const char *d = digits;
    char trunk[32];
    if (in_plus_86(in)) {
        /* +86 / 0086: drop the country code; a landline written internationally also
         * dropped its trunk 0 (+86 755 1234 5678), which comes back. */
        size_t cc = strncmp(d, "0086", 4) == 0 ? 4 : (strncmp(d, "86", 2) == 0 ? 2 : 0);
        if (cc == 0)
            return fail(err, field);
        d += cc, n -= cc;
        bool mobile = d[0] == '1' && d[1] >= '3' && d[1] <= '9'; /* Beijing is 10 */
        if (n > 0 && !mobile && d[0] != '0' && n + 2 <= sizeof trunk) {
            trunk[0] = '0';
            memcpy(trunk + 1, d, n + 1);
            d = trunk, n++;
        }
    } else if (strchr(in, '+') || strncmp(d, "00", 2) == 0) {
        return fail(err, field); /* another country's number */
    } else if (n == 13 && strncmp(d, "86", 2) == 0 && d[2] == '1') {
        d += 2, n -= 2; /* 8613812345678 */
    }
    enum phone_kind k;
    if (n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9') {
        k = PHONE_MOBILE;
    } else if (n == 10 && (strncmp(d, "400", 3) == 0 || strncmp(d, "800", 3) == 0)) {
        k = PHONE_SERVICE;
    } else if (d[0] == '0' && d[1] != '0') {
        /* 010 and 02x are three-digit area codes followed by 8 digits; others are four
         * digits followed by 7 or 8. */
        bool three = d[1] == '1' || d[1] == '2';
        if (three ? n != 11 : (n != 11 && n != 12))
            return fail(err, field);
        if (d[1] == '1' && d[2] != '0')
            return fail(err, field);
        k = PHONE_LANDLINE;
    } else {
        return fail(err, field);
    }
    if (e > 0 && k == PHONE_MOBILE)
        return fail(err, field);
    /* n <= 12 digits and e < 8: at most 21 bytes with the dash and the NUL. */
    memcpy(out, d, n);
    out[n] = '\0';
    if (e) {
        out[n] = '-';
        memcpy(out + n + 1, ext, e + 1);
    }
    if (kind)
        *kind = k;
    return 0;
}

void phone_mask(const char *normalized, char out[PHONE_MAX])
{
    size_t n = strcspn(normalized, "-");
    if (n < 8) {
        snprintf(out, PHONE_MAX, "****");
        return;
    }
    /* Keep the first three (or the four of a 0xxx area code) and the last four. */
    size_t head = (normalized[0] == '0' && normalized[1] != '1' && normalized[1] != '2') ? 4 : 3;
    snprintf(out, PHONE_MAX, "%.*s****%.4s", (int)head, normalized, normalized + n - 4);
}
