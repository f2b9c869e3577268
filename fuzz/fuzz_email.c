/* Fuzzes email_normalize() (src/core/email.c), which sees every customer e-mail address, and
 * mask_email() (src/core/mask.c) on what it accepts, as views.c masks stored addresses.
 * Checks, beyond "no crash":
 * - an accepted address is printable ASCII without spaces, shorter than EMAIL_MAX, with one
 *   '@', a local part of 1-64 characters without leading, trailing or doubled dots, and a
 *   lower-case domain of 2+ labels (1-63 characters, no hyphen at either end) whose last
 *   label is alphabetic and 2+ long;
 * - it is the trimmed input with the domain lower-cased (local part untouched);
 * - it normalises to itself (idempotent);
 * - its mask is the first character, "***" and the "@domain" part, valid UTF-8. */
#include "core/email.h"

#include "core/mask.h"
#include "fuzz.h"

static bool domain_ok(const char *d)
{
    size_t labels = 0, label = 0;
    bool alpha = true;
    for (const char *p = d;; p++) {
        if (*p == '.' || *p == '\0') {
            if (label == 0 || label > 63 || p[-1] == '-')
                return false;
            labels++;
            if (*p == '\0')
                break;
            label = 0, alpha = true;
            continue;
        }
        bool lower = *p >= 'a' && *p <= 'z', digit = *p >= '0' && *p <= '9';
        if (!lower && !digit && !(*p == '-' && label > 0))
            return false;
        alpha = alpha && lower;
        label++;
    }
    return labels >= 2 && alpha && label >= 2;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_cstr(data, size);
    if (!in)
        return 0;
    char out[EMAIL_MAX];
    struct dms_error err = {0};
    int rc = email_normalize(in, out, "email", &err);
    FUZZ_CHECK(rc == 0 || rc == -1);
    if (rc < 0) {
        FUZZ_CHECK(strcmp(err.code, "invalid_email") == 0);
        FUZZ_CHECK(strcmp(err.field, "email") == 0);
        free(in);
        return 0;
    }
    size_t n = strlen(out);
    FUZZ_CHECK(n > 0 && n < EMAIL_MAX);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(out[i] > ' ' && out[i] < 0x7F);
    const char *at = strchr(out, '@');
    FUZZ_CHECK(at && !strchr(at + 1, '@'));
    size_t local = (size_t)(at - out);
    FUZZ_CHECK(local >= 1 && local <= 64);
    FUZZ_CHECK(out[0] != '.' && out[local - 1] != '.');
    for (size_t i = 1; i < local; i++)
        FUZZ_CHECK(!(out[i] == '.' && out[i - 1] == '.'));
    FUZZ_CHECK(domain_ok(at + 1));

    /* The trimmed input, domain lower-cased. */
    const char *s = in;
    while (*s == ' ')
        s++;
    FUZZ_CHECK(strncmp(s, out, local + 1) == 0);
    for (size_t i = local + 1; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        FUZZ_CHECK(c == out[i]);
    }
    for (const char *p = s + n; *p; p++)
        FUZZ_CHECK(*p == ' ');

    char again[EMAIL_MAX];
    FUZZ_CHECK(email_normalize(out, again, "email", NULL) == 0);
    FUZZ_CHECK(strcmp(again, out) == 0);

    /* As views.c: buffer of EMAIL_MAX + 8. */
    char m[EMAIL_MAX + 8];
    mask_email(out, m, sizeof m);
    FUZZ_CHECK(m[0] == out[0] && strncmp(m + 1, "***", 3) == 0 && strcmp(m + 4, at) == 0);
    FUZZ_CHECK(fuzz_utf8_valid(m));
    free(in);
    return 0;
}
