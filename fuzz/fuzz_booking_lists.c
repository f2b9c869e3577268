/* Fuzzes what a booking request's query string hands to core/booking.c and core/date.c:
 * booking_parse_codes() on ops=, booking_parse_parts() on parts=, local_time_parse() on a
 * start. Checks, beyond "no crash":
 * - accepted codes are 1-32 bytes of A-Z 0-9 - _ . (upper-cased), at most the maximum asked;
 * - accepted parts have such a number and a quantity 1..PART_MAX_QTY;
 * - an accepted start formats back to itself, 00:00-23:59. */
#include "core/booking.h"
#include "core/date.h"
#include "core/workshop.h"

#include "fuzz.h"

#define MAX_ITEMS 5

static bool code_ok(const char *c)
{
    size_t n = strlen(c);
    if (n == 0 || n > OPERATION_CODE_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = c[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
              ch == '.'))
            return false;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_cstr(data, size);
    if (!in)
        return 0;
    struct dms_error err = {0};
    char codes[MAX_ITEMS][OPERATION_CODE_MAX + 1];
    int n = -1;
    if (booking_parse_codes(in, codes, MAX_ITEMS, &n, "ops", &err) == 0) {
        FUZZ_CHECK(n >= 0 && n <= MAX_ITEMS);
        for (int i = 0; i < n; i++)
            FUZZ_CHECK(code_ok(codes[i]));
    } else {
        FUZZ_CHECK(strcmp(err.code, "invalid_field") == 0);
    }
    struct part_request parts[MAX_ITEMS];
    if (booking_parse_parts(in, parts, MAX_ITEMS, &n, &err) == 0) {
        FUZZ_CHECK(n >= 0 && n <= MAX_ITEMS);
        for (int i = 0; i < n; i++)
            FUZZ_CHECK(code_ok(parts[i].part_no) && parts[i].qty >= 1 &&
                       parts[i].qty <= PART_MAX_QTY);
    }
    dms_day day;
    int min = -1;
    if (local_time_parse(in, &day, &min, "start", &err) == 0) {
        char back[LOCAL_TIME_STR];
        FUZZ_CHECK(min >= 0 && min < 1440);
        local_time_format(day, min, back);
        FUZZ_CHECK(strcmp(back, in) == 0);
    }
    free(in);
    return 0;
}
