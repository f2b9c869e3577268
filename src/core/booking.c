/* The booking's rules. See booking.h. */
#include "core/booking.h"

#include <stdlib.h>
#include <string.h>

const char *const BOOKING_CASE_NAMES[4] = {"A", "B", "C", "D"};

enum booking_case booking_case_of(bool any_repair, int n_parts, int short_parts)
{
    if (!any_repair)
        return CASE_A;
    if (n_parts == 0)
        return CASE_B;
    return short_parts > 0 ? CASE_D : CASE_C;
}

const char *const APPT_STATUS_NAMES[APPT_STATUS_COUNT] = {
    [APPT_TENTATIVE] = "tentative",   [APPT_CONFIRMED] = "confirmed", [APPT_ARRIVED] = "arrived",
    [APPT_IN_SERVICE] = "in_service", [APPT_COMPLETED] = "completed", [APPT_NO_SHOW] = "no_show",
    [APPT_CANCELLED] = "cancelled",
};

bool appt_transition_ok(enum appt_status from, enum appt_status to)
{
    switch (from) {
    case APPT_TENTATIVE:
        return to == APPT_CONFIRMED || to == APPT_CANCELLED;
    case APPT_CONFIRMED:
        return to == APPT_ARRIVED || to == APPT_NO_SHOW || to == APPT_CANCELLED;
    case APPT_ARRIVED:
        return to == APPT_IN_SERVICE || to == APPT_CANCELLED;
    case APPT_IN_SERVICE:
        return to == APPT_COMPLETED;
    default:
        return false; /* completed, no_show and cancelled are final */
    }
}

bool appt_status_live(enum appt_status s)
{
    return s == APPT_TENTATIVE || s == APPT_CONFIRMED || s == APPT_ARRIVED || s == APPT_IN_SERVICE;
}

const char *const FLEXIBILITY_NAMES[FLEX_COUNT] = {"exact", "date", "period"};

int booking_check_day(dms_day day, dms_day today, dms_day parts_day, bool open, const char *field,
                      struct dms_error *err)
{
    char d[DATE_STR];
    date_format(day, d);
    if (day < today)
        return dms_fail(err, "invalid_field", field, "%s is in the past", d);
    if (day < parts_day) {
        char p[DATE_STR];
        date_format(parts_day, p);
        return dms_fail(err, "invalid_field", field, "the parts arrive on %s, after %s", p, d);
    }
    if (!open)
        return dms_fail(err, "invalid_field", field, "the store is closed on %s", d);
    return 0;
}

int booking_check_period(dms_day from, dms_day to, struct dms_error *err)
{
    if (to < from || to - from > BOOKING_PERIOD_MAX_DAYS)
        return dms_fail(err, "invalid_field", "period_to",
                        "the period ends on or after it starts, within %d days",
                        BOOKING_PERIOD_MAX_DAYS);
    return 0;
}

int booking_check_period_start(dms_day from, dms_day today, struct dms_error *err)
{
    if (from < today)
        return dms_fail(err, "invalid_field", "period_from", "the period starts in the past");
    return 0;
}

const char *const SOURCE_NAMES[SOURCE_COUNT] = {"inbound", "outbound", "walk_in", "online"};

const char *const SERVICE_NAMES[SERVICE_COUNT] = {
    [SERVICE_PICKUP] = "pickup",
    [SERVICE_DELIVERY] = "delivery",
    [SERVICE_ACCESSORIES] = "accessories",
    [SERVICE_INSURANCE_RENEWAL] = "insurance_renewal",
    [SERVICE_CLAIM] = "claim",
    [SERVICE_WASH] = "wash",
};

const char *const BOOKING_FAILURE_NAMES[FAIL_COUNT] = {
    [FAIL_NO_SUITABLE_SLOT] = "no_suitable_slot",
    [FAIL_PRICE] = "price",
    [FAIL_PARTS_UNAVAILABLE] = "parts_unavailable",
    [FAIL_CUSTOMER_UNDECIDED] = "customer_undecided",
    [FAIL_WENT_ELSEWHERE] = "went_elsewhere",
    [FAIL_OTHER] = "other",
};

const char *const DEPARTMENT_NAMES[DEPT_COUNT] = {
    [DEPT_WORKSHOP] = "workshop",
    [DEPT_PARTS] = "parts",
    [DEPT_WARRANTY] = "warranty",
    [DEPT_CUSTOMER_SERVICE] = "customer_service",
};

int booking_work_minutes(int64_t hours_x100)
{
    /* 60 / 100 of a minute per hundredth, rounded up: 0.25 h is 15 minutes. */
    return (int)((hours_x100 * 60 + 99) / 100);
}

int booking_parse_code(const char *s, size_t len, char out[OPERATION_CODE_MAX + 1])
{
    struct dms_error e = {0};
    if (len == 0 || len > OPERATION_CODE_MAX)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\0') /* a NUL inside a JSON string */
            return -1;
        out[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]);
    }
    out[len] = '\0';
    return operation_check_code(out, &e);
}

int booking_parse_codes(const char *list, char (*codes)[OPERATION_CODE_MAX + 1], int max, int *n,
                        const char *field, struct dms_error *err)
{
    *n = 0;
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        if (*n == max)
            return dms_fail(err, "invalid_field", field, "at most %d in %s", max, field);
        if (booking_parse_code(p, len, codes[*n]) < 0)
            return dms_fail(err, "invalid_field", field,
                            "%s lists codes of 1-32 letters, digits, '-', '_' or '.', "
                            "separated by commas",
                            field);
        (*n)++;
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

int booking_parse_parts(const char *list, struct part_request *out, int max, int *n,
                        struct dms_error *err)
{
    *n = 0;
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ","), no = strcspn(p, ":");
        if (*n == max)
            return dms_fail(err, "invalid_field", "parts", "at most %d parts", max);
        char qty[16];
        size_t qlen = no < len ? len - no - 1 : 0;
        if (no >= len || qlen == 0 || qlen >= sizeof qty ||
            booking_parse_code(p, no, out[*n].part_no) < 0)
            return dms_fail(err, "invalid_field", "parts", "parts is PART_NO:QTY,PART_NO:QTY");
        memcpy(qty, p + no + 1, qlen);
        qty[qlen] = '\0';
        char *end;
        long v = strtol(qty, &end, 10);
        if (*end || v < 1 || v > PART_MAX_QTY)
            return dms_fail(err, "invalid_field", "parts", "a quantity is 1-%d", PART_MAX_QTY);
        out[*n].qty = v;
        (*n)++;
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

bool booking_no_show_due(dms_day day, dms_day today, int now_min, bool open, int close_min,
                         int grace_min)
{
    if (day < today)
        return true;
    if (day > today)
        return false;
    return now_min >= (open ? close_min : 0) + grace_min;
}
