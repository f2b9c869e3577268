/* E-mail syntax check. */
#include "core/email.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

static bool local_char(unsigned char c)
{
    return isalnum(c) || (c && strchr("!#$%&'*+/=?^_`{|}~-", c));
}

int email_normalize(const char *in, char out[EMAIL_MAX], const char *field, struct dms_error *err)
{
    while (*in == ' ')
        in++;
    size_t n = strlen(in);
    while (n > 0 && in[n - 1] == ' ')
        n--;
    const char *msg = "not an e-mail address";
    if (n == 0 || n >= EMAIL_MAX)
        return dms_fail(err, "invalid_email", field, "%s", msg);
    const char *at = memchr(in, '@', n);
    if (!at)
        return dms_fail(err, "invalid_email", field, "%s", msg);
    size_t local = (size_t)(at - in), domain = n - local - 1;
    if (local == 0 || local > 64 || domain < 3 || memchr(at + 1, '@', domain))
        return dms_fail(err, "invalid_email", field, "%s", msg);
    for (size_t i = 0; i < local; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '.') {
            if (i == 0 || i == local - 1 || in[i - 1] == '.')
                return dms_fail(err, "invalid_email", field, "%s", msg);
        } else if (!local_char(c)) {
            return dms_fail(err, "invalid_email", field, "%s", msg);
        }
    }
    /* Domain: labels of letters, digits and inner hyphens; the last one alphabetic, 2+. */
    const char *d = at + 1;
    size_t labels = 0, label = 0;
    bool alpha = true;
    for (size_t i = 0; i <= domain; i++) {
        unsigned char c = i < domain ? (unsigned char)d[i] : '.';
        if (c == '.') {
            if (label == 0 || label > 63 || d[i - 1] == '-')
                return dms_fail(err, "invalid_email", field, "%s", msg);
            labels++;
            if (i < domain)
                label = 0, alpha = true;
            continue;
        }
        if (!(isalnum(c) || (c == '-' && label > 0)))
            return dms_fail(err, "invalid_email", field, "%s", msg);
        if (!isalpha(c))
            alpha = false;
        label++;
    }
    if (labels < 2 || !alpha || label < 2)
        return dms_fail(err, "invalid_email", field, "%s", msg);
    memcpy(out, in, n);
    out[n] = '\0';
    for (size_t i = local + 1; i < n; i++)
        out[i] = (char)tolower((unsigned char)out[i]);
    return 0;
}
