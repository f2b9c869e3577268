/* CS-6's rules for complaints and enquiries (core/complaint.h). */
#include "core/complaint.h"

#include <stdio.h>

const char *const CPL_STATUS_NAMES[CPL_STATUS_COUNT] = {
    [CPL_OPEN] = "open",
    [CPL_ACKNOWLEDGED] = "acknowledged",
    [CPL_IN_PROGRESS] = "in_progress",
    [CPL_RESOLVED] = "resolved",
    [CPL_CLOSED] = "closed",
    [CPL_REOPENED] = "reopened",
};
const char *const CPL_CHANNEL_NAMES[CPL_CHANNEL_COUNT] = {
    [CPL_PHONE] = "phone",
    [CPL_WALK_IN] = "walk_in",
    [CPL_FOLLOWUP_CALL] = "followup_call",
    [CPL_BRAND_HOTLINE] = "brand_hotline",
    [CPL_ONLINE] = "online",
    [CPL_OTHER_CHANNEL] = "other",
};
const char *const CPL_KIND_NAMES[CPL_KIND_COUNT] = {
    [CPL_COMPLAINT] = "complaint", [CPL_ENQUIRY] = "enquiry"};
const char *const CPL_CATEGORY_NAMES[CPL_CATEGORY_COUNT] = {
    [CPL_WORKMANSHIP] = "workmanship",
    [CPL_SERVICE_ATTITUDE] = "service_attitude",
    [CPL_PRICE] = "price",
    [CPL_PARTS_DELAY] = "parts_delay",
    [CPL_WAITING_TIME] = "waiting_time",
    [CPL_OTHER_CATEGORY] = "other",
};
const char *const CPL_SEVERITY_NAMES[CPL_SEVERITY_COUNT] = {
    [CPL_LOW] = "low", [CPL_NORMAL] = "normal", [CPL_HIGH] = "high", [CPL_CRITICAL] = "critical"};
const char *const CPL_ACTION_NAMES[CPL_ACT_COUNT] = {
    [CPL_ACT_CALL_BACK] = "call_back", [CPL_ACT_RE_REPAIR_BOOKED] = "re_repair_booked",
    [CPL_ACT_GOODWILL] = "goodwill",   [CPL_ACT_NOTE] = "note",
    [CPL_ACT_STATUS] = "status",
};
const char *const CPL_CAUSE_NAMES[CPL_CAUSE_COUNT] = {[CPL_CAUSE_SERIOUS] = "serious",
                                                      [CPL_CAUSE_ACK_OVERDUE] = "ack_overdue",
                                                      [CPL_CAUSE_RESOLVE_OVERDUE] =
                                                          "resolve_overdue"};

bool complaint_serious(enum complaint_severity s)
{
    return s == CPL_HIGH || s == CPL_CRITICAL;
}

bool complaint_transition_ok(enum complaint_status from, enum complaint_status to)
{
    switch (from) {
    case CPL_OPEN:
        return to == CPL_ACKNOWLEDGED;
    case CPL_ACKNOWLEDGED:
        return to == CPL_IN_PROGRESS || to == CPL_RESOLVED;
    case CPL_IN_PROGRESS:
        return to == CPL_RESOLVED;
    case CPL_RESOLVED:
        return to == CPL_CLOSED || to == CPL_REOPENED;
    case CPL_CLOSED:
        return to == CPL_REOPENED;
    case CPL_REOPENED:
        return to == CPL_IN_PROGRESS || to == CPL_RESOLVED;
    case CPL_STATUS_COUNT:
        break;
    }
    return false;
}

bool complaint_active(enum complaint_status s)
{
    return s != CPL_CLOSED && s < CPL_STATUS_COUNT;
}

void complaint_deadlines(int64_t received, int ack_hours, int resolve_days, int64_t *ack_due,
                         int64_t *resolve_due)
{
    *ack_due = received + (int64_t)ack_hours * 3600;
    *resolve_due = received + (int64_t)resolve_days * 86400;
}

bool complaint_ack_overdue(enum complaint_status s, int64_t ack_due, int64_t now)
{
    return s == CPL_OPEN && now > ack_due;
}

bool complaint_resolve_overdue(enum complaint_status s, int64_t resolve_due, int64_t now)
{
    return s != CPL_RESOLVED && s != CPL_CLOSED && s < CPL_STATUS_COUNT && now > resolve_due;
}

bool complaint_overdue(enum complaint_status s, int64_t ack_due, int64_t resolve_due, int64_t now)
{
    return complaint_ack_overdue(s, ack_due, now) || complaint_resolve_overdue(s, resolve_due, now);
}

const char *const SAT_NAMES[SAT_COUNT] = {
    [SAT_SATISFIED] = "satisfied", [SAT_NEUTRAL] = "neutral", [SAT_DISSATISFIED] = "dissatisfied"};

bool followup_satisfaction_allowed(bool is_followup, bool reached)
{
    return is_followup && reached;
}

void complaint_number_format(dms_day day, int seq, char out[16])
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    snprintf(out, 16, "C%02d%02d%02d%04d", y % 100, m, d, seq % 10000);
}
