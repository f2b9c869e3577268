/* The store's calendar (calendar.c): the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_CALENDAR_H
#define DMS_STORE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "store/store.h"

/* The week's opening hours (core/calendar.h); the default week where the store set none. */
int calendar_week_get(struct db *db, int64_t store_id, struct week_hours *out,
                      struct dms_error *err);
/* Edits the week's hours (store_edit on a struct week_hours; edit checks the days it
 * changes) and writes all seven days, with an audit row of what changed; *w as written. */
int calendar_week_update(struct db *db, const struct actor *a, store_edit edit, void *ctx,
                         struct week_hours *w, struct dms_error *err);
/* Sets the time zone of a->store_id's hours (stores.timezone), with an audit row when it
 * changes; invalid_field (field timezone) for a name that is not a tz database name. */
int calendar_timezone_set(struct db *db, const struct actor *a, const char *timezone,
                          struct dms_error *err);

struct calendar_day {
    char date[DATE_STR];
    enum calendar_exception kind;
    char name[CALENDAR_NAME_CHARS * 4 + 1];
};
/* The exceptions dated in [from, to], in date order (at most 1,000). */
int calendar_days_list(struct db *db, int64_t store_id, dms_day from, dms_day to,
                       struct calendar_day **out, size_t *n, struct dms_error *err);
/* Each day's hours in [from, to] after its exception, as bookings and reports see them:
 * hours[i] for from + i, and kinds[i] its exception (CAL_NONE when none) unless kinds is NULL.
 * The caller's arrays hold to - from + 1 entries. */
int calendar_hours_range(struct db *db, int64_t store_id, dms_day from, dms_day to,
                         struct day_hours *hours, enum calendar_exception *kinds,
                         struct dms_error *err);
/* Sets the exception of a date; CAL_NONE removes it. *changed tells whether it moved. */
int calendar_day_set(struct db *db, const struct actor *a, const struct calendar_day *d,
                     bool *changed, struct dms_error *err);

#endif
