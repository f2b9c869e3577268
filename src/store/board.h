/* The board's confirmations, failed booking calls, booking report (board.c):
 * the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_BOARD_H
#define DMS_STORE_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "core/booking.h"
#include "store/store.h"
#include "store/users.h"

struct confirmation {
    enum department department;
    int64_t user_id;
    char username[USERNAME_MAX + 1];
    char confirmed_at[TIMESTAMP_STR];
};
/* IN-11: a department confirms a day's board (again: the latest confirmation counts). */
int board_confirm(struct db *db, const struct actor *a, dms_day day, enum department d,
                  struct dms_error *err);
/* The day's confirmations, one per department at most. */
int board_confirmations(struct db *db, const struct actor *a, dms_day day,
                        struct confirmation out[DEPT_COUNT], size_t *n, struct dms_error *err);

struct booking_failure_in {
    int64_t vehicle_id, customer_id; /* 0: none (a caller not in the archive) */
    enum booking_failure reason;
    enum booking_source source;
    char note[500 * 4 + 1];
};
/* A booking call that ended without a booking. not_found for another store's. */
int booking_failures_add(struct db *db, const struct actor *a, const struct booking_failure_in *f,
                         int64_t *id, struct dms_error *err);

/* Booking conversion for [from, to]: bookings made by source and case, failed calls by
 * reason, no-shows among the days' bookings. */
struct booking_report {
    int64_t booked[SOURCE_COUNT];
    int64_t by_case[4];
    int64_t failed[FAIL_COUNT];
    int64_t failed_by_source[SOURCE_COUNT];
    int64_t no_shows, cancelled;
};
int reports_bookings(struct db *db, const struct actor *a, dms_day from, dms_day to,
                     struct booking_report *out, struct dms_error *err);

#endif
