/* The call lists' rules (MR-2..MR-6, CS-1..CS-4, CS-8, IN-1, IN-5): which day's list a cause
 * puts a task on, until when, and what each call outcome does to the task. Pure; the
 * storage layer (store/tasks.c) finds the causes and writes the tasks. */
#ifndef DMS_CORE_TASKS_H
#define DMS_CORE_TASKS_H

#include <stdbool.h>

#include "core/date.h"

enum task_type {
    TASK_MAINTENANCE_MESSAGE, /* MR-3: an SMS or e-mail, due date - 13 days */
    TASK_MAINTENANCE_CALL,    /* MR-4: due date - 11 days */
    TASK_SECOND_CALL,         /* MR-6: after an undecided first call */
    TASK_FOLLOWUP,            /* CS-1: 3-7 days after a repair */
    TASK_FIRST_MAINTENANCE,   /* CS-3: last month's new cars, on the 1st */
    TASK_LOST_CUSTOMER,       /* CS-4: no visit since the service fell due 3 months ago */
    TASK_INSURANCE_RENEWAL,   /* CS-8 */
    TASK_ANNUAL_INSPECTION,   /* CS-8 */
    TASK_CALLBACK,            /* IN-1, IN-5: made by hand */
    TASK_CAMPAIGN,            /* CS-5, CS-7 */
    TASK_APPOINTMENT_CONFIRM, /* IN-15, IN-16: fix a flexible booking's date or time */
    TASK_NO_SHOW_REBOOK,      /* RO-9: a booking not kept, called to rebook */
    TASK_COMPLAINT,           /* CS-6: a complaint's step for its owner, or its escalation */
    TASK_TYPE_COUNT
};
extern const char *const TASK_TYPE_NAMES[TASK_TYPE_COUNT];

enum task_status { TASK_OPEN, TASK_DONE, TASK_CANCELLED, TASK_EXPIRED, TASK_STATUS_COUNT };
extern const char *const TASK_STATUS_NAMES[TASK_STATUS_COUNT];

enum call_outcome {
    OUTCOME_REACHED,
    OUTCOME_BOOKED,
    OUTCOME_UNDECIDED,
    OUTCOME_DECLINED,
    OUTCOME_NO_ANSWER,
    OUTCOME_BUSY,
    OUTCOME_WRONG_NUMBER,
    OUTCOME_CALL_BACK_LATER,
    OUTCOME_COUNT
};
extern const char *const OUTCOME_NAMES[OUTCOME_COUNT];

/* The numbers of the rules, per store (store_settings). */
struct task_settings {
    int message_days;         /* MR-3: 13 */
    int call_days;            /* MR-4: 11 */
    int call_window_days;     /* days a reminder call stays on the list: 3 */
    int followup_days;        /* CS-1: 3 */
    int followup_window_days; /* CS-1: 5 (days 3..7) */
    int month_deadline_day;   /* CS-2..CS-4: 15 */
    int lost_months;          /* CS-4: 3 */
    int renewal_days;         /* CS-8: 30 */
    int max_attempts;         /* unanswered tries before a task expires: 3 */
};
extern const struct task_settings TASK_SETTINGS_DEFAULT;

/* What the generation for day d looks for, and the lists it fills. */
struct task_day {
    dms_day day;
    dms_day message_service_due; /* vehicles due then get the reminder message */
    dms_day call_service_due;    /* ... and, on their own day, the call */
    dms_day call_deadline;
    dms_day followup_service_done; /* repairs completed that day get a follow-up call */
    dms_day followup_deadline;
    bool month_start;                   /* the 1st: first-maintenance and lost-customer lists */
    dms_day new_cars_from, new_cars_to; /* purchases of the previous month, inclusive */
    dms_day month_deadline;             /* the 15th */
    dms_day lost_cutoff;                /* lapsed on or before this day (d - lost_months) */
    dms_day renewal_expiry;             /* insurance / inspection expiring then are reminded */
};
void tasks_plan_day(dms_day d, const struct task_settings *s, struct task_day *out);

/* MR-2 (无遗漏): each day's run takes every car due within the window (today up to
 * message_days ahead for the message, call_days ahead for the call), not only the cars due
 * exactly that many days ahead, so a due date moved into the window by a new reading or plan,
 * or a day without a run, is caught up. Once per due date: a reminder made for a due date
 * covers every due date at most `days` away from it (the same service, moved by a new
 * reading: no second message the day after the caller enters the mileage). */
bool tasks_reminder_covers(dms_day reminded_due, dms_day due, int days);

/* MR-4: the last day of a reminder call put on day d's list for a car due on `due`:
 * window_days on the list, never past the due date itself, never before d. */
dms_day tasks_call_deadline(dms_day d, dms_day due, int window_days);

/* MR-6: the second call after an undecided first one, so that the parts (lead_days to
 * order) can still be ready by the service due date: on the list from tomorrow, deadline
 * service_due - lead_days, but never before tomorrow. */
void tasks_second_call(dms_day today, dms_day service_due, int lead_days, dms_day *due,
                       dms_day *deadline);

/* What recording an outcome does to a task. */
struct outcome_effect {
    enum task_status status;
    int attempts; /* unanswered tries after this one */
    bool reached; /* someone answered */
    bool booked;
    bool second_call; /* MR-6: make the second call (undecided first reminder call) */
};
/* attempts: unanswered tries so far. no_answer and busy re-queue the task until the
 * max_attempts-th, which expires it; call_back_later keeps it open; the other outcomes
 * close it. Only a first reminder call that ends undecided asks for a second call; a
 * declined one never does (MR-6). */
struct outcome_effect tasks_apply_outcome(enum task_type type, int attempts, int max_attempts,
                                          enum call_outcome outcome);

#endif
