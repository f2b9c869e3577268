/* Reports (reports.c): the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_REPORTS_H
#define DMS_STORE_REPORTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/tasks.h"
#include "core/utilisation.h"
#include "store/store.h"
#include "store/workshop.h"

struct call_counts {
    int64_t created, done, reached, booked, expired, open, cancelled;
    /* CS-1: the follow-up calls' answers: satisfied, neutral, dissatisfied (0 for the other
     * lists). */
    int64_t satisfaction[3];
};
struct call_report {
    struct call_counts by_type[TASK_TYPE_COUNT];
    struct call_counts total;
    /* Daily counts across the period (RPT-2), by_day[i] for from + i. */
    struct call_counts *by_day;
    int n_days;
};
/* RPT-2: tasks whose list day (due_date) falls in [from, to]. Free with call_report_clear. */
int reports_calls(struct db *db, const struct actor *a, dms_day from, dms_day to,
                  struct call_report *out, struct dms_error *err);
void call_report_clear(struct call_report *r);

/* Bay utilisation (the dashboard, RPT-2) for [from, to], by core/utilisation.c: each day's
 * open minutes (calendar and exceptions, the break left out) and the bay-minutes offered and
 * booked (bookings with a bay and a time, not cancelled or no-show), each bay's figures for
 * the period and the total. The bays are those in service and the retired ones with bookings
 * in the period (offering nothing), by code. Free with utilisation_report_clear. */
struct utilisation_report {
    int n_days;
    int *open_min;               /* open_min[i] for from + i */
    struct util_figures *by_day; /* by_day[i] for from + i */
    struct bay *bays;
    struct util_figures *by_bay; /* by_bay[k] for bays[k] */
    size_t n_bays;
    struct util_figures total;
};
int reports_utilisation(struct db *db, const struct actor *a, dms_day from, dms_day to,
                        struct utilisation_report *out, struct dms_error *err);
void utilisation_report_clear(struct utilisation_report *r);

#endif
