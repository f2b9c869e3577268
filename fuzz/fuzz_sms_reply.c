/* Fuzzes what the SMS gateway's webhook (POST /api/v1/sms/inbound) hands to core/outbox.c:
 * outbox_is_opt_out() on the customer's reply text, and outbox_parse_hhmm() on the quiet-hours
 * settings. Checks, beyond "no crash":
 * - an opt-out contains "TD" (any case, ASCII or full width) or "退订", and is valid UTF-8;
 * - an accepted HH:MM is 5 bytes, 00:00-23:59, and formats back to itself. */
#include "core/outbox.h"

#include "core/utf8.h"
#include "fuzz.h"

/* "TD" in any case, each letter ASCII or full width (U+FF34/FF54, U+FF24/FF44), or "退订". */
static bool has_keyword(const char *s)
{
    char folded[4096];
    size_t n = 0;
    for (const char *p = s; *p && n + 1 < sizeof folded;) {
        if ((unsigned char)p[0] == 0xEF && p[1] && p[2] &&
            (((unsigned char)p[1] == 0xBC &&
              ((unsigned char)p[2] == 0xB4 || (unsigned char)p[2] == 0xA4)) ||
             ((unsigned char)p[1] == 0xBD &&
              ((unsigned char)p[2] == 0x94 || (unsigned char)p[2] == 0x84)))) {
            unsigned char c = (unsigned char)p[2];
            folded[n++] = c == 0xB4 || c == 0x94 ? 't' : 'd';
            p += 3;
        } else {
            char c = *p++;
            folded[n++] = c == 'T' ? 't' : c == 'D' ? 'd' : c;
        }
    }
    folded[n] = '\0';
    return strstr(folded, "td") || strstr(s, "退订");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_cstr(data, size);
    if (!in)
        return 0;
    if (outbox_is_opt_out(in)) {
        FUZZ_CHECK(utf8_length(in) >= 0);
        FUZZ_CHECK(has_keyword(in));
    }
    int minutes = -1;
    struct dms_error err = {0};
    if (outbox_parse_hhmm(in, &minutes, "quiet_from", &err) == 0) {
        FUZZ_CHECK(strlen(in) == 5);
        FUZZ_CHECK(minutes >= 0 && minutes < 1440);
        char back[16];
        snprintf(back, sizeof back, "%02d:%02d", minutes / 60, minutes % 60);
        FUZZ_CHECK(strcmp(back, in) == 0);
    } else {
        FUZZ_CHECK(strcmp(err.code, "invalid_field") == 0);
    }
    free(in);
    return 0;
}
