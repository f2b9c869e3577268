/* Slots (slots.c): the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_SLOTS_H
#define DMS_STORE_SLOTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/slots.h"
#include "store/store.h"

/* How far ahead a search looks for options when the first week has too few. */
#define SLOTS_AHEAD 62

struct slot_query {
    struct slot_job job; /* its float_min comes from the store's settings */
    dms_day wish_day;
    int wish_min;           /* -1: any time that day */
    dms_day not_before_day; /* now, or the day the parts arrive */
    int not_before_min;
    int64_t exclude_id; /* a booking being moved: its own hold does not count */
};

/* The store's float after a job and step between offered starts (store_settings). */
int slots_settings(struct db *db, int64_t store_id, int *float_min, int *step_min,
                   struct dms_error *err);
/* Up to max options nearest the wish (core/slots.h slot_search), from the bookings as they
 * are now. */
int slots_find(struct db *db, int64_t store_id, const struct slot_query *q, struct slot_option *out,
               size_t max, size_t *n, struct dms_error *err);
/* Whether the job can start at the wish exactly (a start before not_before is
 * SLOT_UNAVAILABLE); on SLOT_OK *out has its bay and technician. */
int slots_check(struct db *db, int64_t store_id, const struct slot_query *q, int64_t want_bay,
                int64_t want_tech, struct slot_option *out, enum slot_verdict *verdict,
                struct dms_error *err);

#endif
