/* Masking helpers; phone masking lives with the phone rules in phone.c. */
#include "core/mask.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

void mask_name(const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);
    uint32_t cp;
    size_t first = utf8_decode(name, n, &cp);
    long total = utf8_length(name);
    if (first == 0 || total < 1) {
        snprintf(out, cap, "***");
        return;
    }
    if (total == 1) {
        /* Keeping the first character of a one-character name would show all of it. */
        snprintf(out, cap, "*");
        return;
    }
    long stars = total - 1 > 3 ? 3 : total - 1;
    snprintf(out, cap, "%.*s%.*s", (int)first, name, (int)stars, "***");
}

void mask_email(const char *email, char *out, size_t cap)
{
    const char *at = strchr(email, '@');
    if (!at || at == email) {
        snprintf(out, cap, "***");
        return;
    }
    uint32_t cp;
    size_t first = utf8_decode(email, (size_t)(at - email), &cp);
    snprintf(out, cap, "%.*s***%s", (int)(first ? first : 0), email, at);
}
