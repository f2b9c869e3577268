/* MR-2, CS-2: the month's reminder coverage. See reminder_coverage.h. */
#include "core/reminder_coverage.h"

#include "core/tasks.h"

struct coverage_of_car reminder_coverage_of(dms_day due, const struct coverage_reminder *r,
                                            size_t n, int message_days, int call_days)
{
    struct coverage_of_car c = {0};
    for (size_t i = 0; i < n; i++) {
        if (r[i].kind == COVERAGE_MESSAGE) {
            if (!tasks_reminder_covers(r[i].service_due, due, message_days))
                continue;
            if (r[i].suppressed)
                c.suppressed = true;
            else
                c.messaged = true;
        } else {
            if (!tasks_reminder_covers(r[i].service_due, due, call_days))
                continue;
            c.called = true;
            c.reached = c.reached || r[i].reached;
            c.booked = c.booked || r[i].booked;
        }
    }
    /* A message sent makes a suppressed one (an earlier due date) moot. */
    if (c.messaged)
        c.suppressed = false;
    c.omitted = !c.messaged && !c.suppressed && !c.called;
    return c;
}

dms_day reminder_coverage_through(dms_day last_run, int message_days)
{
    return last_run + message_days;
}
