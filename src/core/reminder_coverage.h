/* MR-2, CS-2 (无遗漏): the month's reminder coverage. A car fell due in the month when its
 * due date (the one its reminders named, or its current one) is in the month and early enough
 * that the runs so far should have reminded it. For each such car: was it sent the message
 * (MR-3), was the message suppressed for want of consent or an address, was it called (MR-4),
 * reached, booked — or none of these, an omission, which the report lists (it should be
 * empty). A reminder counts for a due date when tasks_reminder_covers says it does. Pure: the
 * storage layer (store/reminder_coverage.c) gathers the cars and their reminders. */
#ifndef DMS_CORE_REMINDER_COVERAGE_H
#define DMS_CORE_REMINDER_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"

enum coverage_kind { COVERAGE_MESSAGE, COVERAGE_CALL };

/* One reminder task of a car (maintenance_message, maintenance_call or its second call). */
struct coverage_reminder {
    enum coverage_kind kind;
    dms_day service_due; /* the due date it named */
    bool suppressed;     /* a message not sent: no consent or no address (task cancelled) */
    bool reached, booked;
};

struct coverage_of_car {
    bool messaged, suppressed, called, reached, booked;
    bool omitted; /* neither messaged, suppressed nor called */
};

/* The coverage of one car due on `due`, from its reminders (any order). */
struct coverage_of_car reminder_coverage_of(dms_day due, const struct coverage_reminder *r,
                                            size_t n, int message_days, int call_days);

/* The last due date the runs up to and including last_run should have reminded: a car due
 * later than this is not counted yet (its message day has not come). */
dms_day reminder_coverage_through(dms_day last_run, int message_days);

#endif
