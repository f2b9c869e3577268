/* The call lists' rules. See tasks.h. */
#include "core/tasks.h"

const char *const TASK_TYPE_NAMES[TASK_TYPE_COUNT] = {
    [TASK_MAINTENANCE_MESSAGE] = "maintenance_message",
    [TASK_MAINTENANCE_CALL] = "maintenance_call",
    [TASK_SECOND_CALL] = "maintenance_second_call",
    [TASK_FOLLOWUP] = "followup",
    [TASK_FIRST_MAINTENANCE] = "first_maintenance",
    [TASK_LOST_CUSTOMER] = "lost_customer",
    [TASK_INSURANCE_RENEWAL] = "insurance_renewal",
    [TASK_ANNUAL_INSPECTION] = "annual_inspection",
    [TASK_CALLBACK] = "callback",
    [TASK_CAMPAIGN] = "campaign",
    [TASK_APPOINTMENT_CONFIRM] = "appointment_confirm",
    [TASK_NO_SHOW_REBOOK] = "no_show_rebook",
    [TASK_COMPLAINT] = "complaint",
};

const char *const TASK_STATUS_NAMES[TASK_STATUS_COUNT] = {
    [TASK_OPEN] = "open",
    [TASK_DONE] = "done",
    [TASK_CANCELLED] = "cancelled",
    [TASK_EXPIRED] = "expired",
};

const char *const OUTCOME_NAMES[OUTCOME_COUNT] = {
    [OUTCOME_REACHED] = "reached",           [OUTCOME_BOOKED] = "booked",
    [OUTCOME_UNDECIDED] = "undecided",       [OUTCOME_DECLINED] = "declined",
    [OUTCOME_NO_ANSWER] = "no_answer",       [OUTCOME_BUSY] = "busy",
    [OUTCOME_WRONG_NUMBER] = "wrong_number", [OUTCOME_CALL_BACK_LATER] = "call_back_later",
};

const struct task_settings TASK_SETTINGS_DEFAULT = {
    .message_days = 13,
    .call_days = 11,
    .call_window_days = 3,
    .followup_days = 3,
    .followup_window_days = 5,
    .month_deadline_day = 15,
    .lost_months = 3,
    .renewal_days = 30,
    .max_attempts = 3,
};

void tasks_plan_day(dms_day d, const struct task_settings *s, struct task_day *out)
{
    int y, m, day;
    date_to_ymd(d, &y, &m, &day);
    out->day = d;
    out->message_service_due = d + s->message_days;
    out->call_service_due = d + s->call_days;
    out->call_deadline = tasks_call_deadline(d, out->call_service_due, s->call_window_days);
    out->followup_service_done = d - s->followup_days;
    out->followup_deadline = d + s->followup_window_days - 1;
    out->month_start = day == 1;
    out->new_cars_to = date_from_ymd(y, m, 1) - 1;
    out->new_cars_from = date_add_months(date_from_ymd(y, m, 1), -1);
    out->month_deadline = date_from_ymd(y, m, s->month_deadline_day);
    if (out->month_deadline < d)
        out->month_deadline = d;
    out->lost_cutoff = date_add_months(d, -s->lost_months);
    out->renewal_expiry = d + s->renewal_days;
}

bool tasks_reminder_covers(dms_day reminded_due, dms_day due, int days)
{
    dms_day gap = reminded_due > due ? reminded_due - due : due - reminded_due;
    return gap <= days;
}

dms_day tasks_call_deadline(dms_day d, dms_day due, int window_days)
{
    dms_day last = d + window_days - 1;
    /* Never past the service date itself: the call is about coming in before it. */
    if (last > due)
        last = due;
    return last < d ? d : last;
}

void tasks_second_call(dms_day today, dms_day service_due, int lead_days, dms_day *due,
                       dms_day *deadline)
{
    *due = today + 1;
    *deadline = service_due - lead_days;
    if (*deadline < *due)
        *deadline = *due;
}

struct outcome_effect tasks_apply_outcome(enum task_type type, int attempts, int max_attempts,
                                          enum call_outcome outcome)
{
    struct outcome_effect e = {.status = TASK_DONE, .attempts = attempts};
    switch (outcome) {
    case OUTCOME_NO_ANSWER:
    case OUTCOME_BUSY:
        e.attempts = attempts + 1;
        e.status = e.attempts >= max_attempts ? TASK_EXPIRED : TASK_OPEN;
        break;
    case OUTCOME_CALL_BACK_LATER:
        e.reached = true;
        e.status = TASK_OPEN;
        break;
    case OUTCOME_BOOKED:
        e.reached = e.booked = true;
        break;
    case OUTCOME_UNDECIDED:
        e.reached = true;
        e.second_call = type == TASK_MAINTENANCE_CALL;
        break;
    case OUTCOME_REACHED:
    case OUTCOME_DECLINED:
        e.reached = true;
        break;
    case OUTCOME_WRONG_NUMBER:
    case OUTCOME_COUNT:
        break;
    }
    return e;
}
