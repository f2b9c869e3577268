/* Masking helpers (phone masking itself lives with the phone rules in phone.c), and who sees
 * which personal data where. */
#include "core/mask.h"

#include <stdio.h>
#include <string.h>

#include "core/phone.h"
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

void mask_plate(const char *plate, char *out, size_t cap)
{
    /* 京A12345 -> 京A·***45: the province and the issuing letter say where the car is from,
     * the last two characters let reception tell two cars apart. */
    size_t n = strlen(plate);
    uint32_t cp;
    size_t first = utf8_decode(plate, n, &cp);
    if (first == 0 || n < first + 3) {
        snprintf(out, cap, "***");
        return;
    }
    const char *tail = plate + n;
    for (int chars = 0; chars < 2 && tail > plate + first + 1;) {
        tail--;
        if (((unsigned char)*tail & 0xC0) != 0x80)
            chars++;
    }
    snprintf(out, cap, "%.*s·***%s", (int)(first + 1), plate, tail);
}

void mask_greeting(const char *name, const char *title, char *out, size_t cap)
{
    /* 王小明 with the title 先生 -> 王先生; without a title 王** */
    uint32_t cp;
    size_t first = utf8_decode(name, strlen(name), &cp);
    if (first && title && *title)
        snprintf(out, cap, "%.*s%s", (int)first, name, title);
    else
        mask_name(name, out, cap);
}

void mask_phones_text(const char *text, char *out, size_t cap)
{
    if (cap == 0)
        return;
    size_t used = 0;
    out[0] = '\0';
    for (const char *p = text; *p && used + 1 < cap;) {
        size_t n = strspn(p, "0123456789");
        int w;
        if (n >= 7 && n < PHONE_MAX) {
            char one[PHONE_MAX], m[PHONE_MAX];
            memcpy(one, p, n);
            one[n] = '\0';
            phone_mask(one, m);
            w = snprintf(out + used, cap - used, "%s", m);
        } else {
            n = n ? n : 1;
            w = snprintf(out + used, cap - used, "%.*s", (int)n, p);
        }
        if (w < 0 || (size_t)w >= cap - used) {
            out[used] = '\0'; /* no half number */
            break;
        }
        used += (size_t)w;
        p += n;
    }
}

bool mask_phone_in_full(enum role role, enum phone_view view)
{
    switch (view) {
    case PHONE_VIEW_LIST:
    case PHONE_VIEW_CARD:
        return false;
    case PHONE_VIEW_CALL:
        return role_sees_contact_details(role);
    }
    return false;
}

bool mask_may_reveal_phones(enum role role)
{
    return role_sees_contact_details(role);
}

bool mask_may_handle_data_requests(enum role role)
{
    return role == ROLE_SERVICE_MANAGER || role == ROLE_ADMIN;
}
