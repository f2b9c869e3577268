/* The month's reminder coverage (reminder_coverage.c, MR-2, CS-2): the storage function;
 * store.h says how they all behave. */
#ifndef DMS_STORE_REMINDER_COVERAGE_H
#define DMS_STORE_REMINDER_COVERAGE_H

#include "core/customer.h"
#include "core/plate.h"
#include "core/reminder_coverage.h"
#include "store/store.h"

#define COVERAGE_LIST_MAX 500 /* cars listed as not reminded; the count has them all */

struct coverage_omission {
    int64_t vehicle_id, customer_id;
    char plate[PLATE_MAX_BYTES], customer_name[CUSTOMER_NAME_CHARS * 4 + 1];
    char due_date[DATE_STR];
};

struct reminder_coverage {
    dms_day through; /* cars due up to this day are counted (the runs so far) */
    int64_t due, messaged, suppressed, called, reached, booked, omitted;
    struct coverage_omission *omissions; /* the first COVERAGE_LIST_MAX, by due date */
    size_t n_omissions;
};

/* MR-2, CS-2: the coverage of the store-local days [from, to] (a month) for the actor's store,
 * as of the actor's today. Free with reminder_coverage_clear. */
int reminder_coverage_get(struct db *db, const struct actor *a, dms_day from, dms_day to,
                          struct reminder_coverage *out, struct dms_error *err);
void reminder_coverage_clear(struct reminder_coverage *c);

#endif
