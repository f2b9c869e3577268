/* The workshop report (workshop_report.c, RO-8): the storage function; store.h says how they
 * all behave. */
#ifndef DMS_STORE_WORKSHOP_REPORT_H
#define DMS_STORE_WORKSHOP_REPORT_H

#include "core/workshop_report.h"
#include "store/store.h"

struct workshop_report {
    int n_days;
    struct workshop_counts *by_day; /* by_day[i] for from + i */
    struct workshop_counts total;
};

/* RO-8: the counts of the actor's store for the store-local days [from, to]: the orders that
 * arrived on those days (repair_orders.day), their sources, kinds, waits, hours sold and
 * clocked, comebacks and cancellations; and the orders delivered on those days in the store's
 * time zone, with their on-time flag, discount and the counting lines' amounts by type and
 * payer. Free with workshop_report_clear. */
int workshop_report_get(struct db *db, const struct actor *a, dms_day from, dms_day to,
                        struct workshop_report *out, struct dms_error *err);
void workshop_report_clear(struct workshop_report *r);

#endif
