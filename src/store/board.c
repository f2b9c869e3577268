/* The appointment board's daily confirmations (IN-11), failed booking calls and the booking
 * report (booking conversion). */
#include <stdlib.h>

#include "core/booking.h"
#include "core/text.h"
#include "store/board.h"
#include "store/internal.h"
#include "store/vehicles.h"

int board_confirm(struct db *db, const struct actor *a, dms_day day, enum department d,
                  struct dms_error *err)
{
    char date[DATE_STR], now[TIMESTAMP_STR];
    date_format(day, date);
    timestamp_format_utc(a->now, now);
    int rc = db_exec(db,
                     "INSERT INTO board_confirmations (store_id, day, department, user_id, "
                     "confirmed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (store_id, day, "
                     "department) DO UPDATE SET user_id = excluded.user_id, confirmed_at = "
                     "excluded.confirmed_at",
                     "issis", a->store_id, date, DEPARTMENT_NAMES[d], a->user_id, now);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = json_object();
    audit_text(ch, "day", NULL, date);
    audit_text(ch, "department", NULL, DEPARTMENT_NAMES[d]);
    return audit_record(db, a, "confirm", "board", a->store_id, ch, err);
}

static int confirmation_row(struct db_res *res, void *out)
{
    struct confirmation *c = out;
    memset(c, 0, sizeof *c);
    int k = enum_index(DEPARTMENT_NAMES, DEPT_COUNT, db_text(res, 0));
    c->department = k < 0 ? DEPT_WORKSHOP : (enum department)k;
    c->user_id = db_int(res, 1);
    col_copy(c->username, sizeof c->username, res, 2);
    col_copy(c->confirmed_at, sizeof c->confirmed_at, res, 3);
    return 0;
}

int board_confirmations(struct db *db, const struct actor *a, dms_day day,
                        struct confirmation out[DEPT_COUNT], size_t *n, struct dms_error *err)
{
    char date[DATE_STR];
    date_format(day, date);
    struct confirmation *rows;
    if (store_rows(db, confirmation_row, NULL, sizeof *rows, DEPT_COUNT, (void **)&rows, n, err,
                   "SELECT b.department, b.user_id, u.username, b.confirmed_at FROM "
                   "board_confirmations b LEFT JOIN users u ON u.id = b.user_id "
                   "WHERE b.store_id = ? AND b.day = ? ORDER BY b.department",
                   "is", a->store_id, date) < 0)
        return -1;
    if (*n)
        memcpy(out, rows, *n * sizeof *rows);
    free(rows);
    return 0;
}

int booking_failures_add(struct db *db, const struct actor *a, const struct booking_failure_in *f,
                         int64_t *id, struct dms_error *err)
{
    int64_t customer = f->customer_id;
    if (f->vehicle_id) {
        struct vehicle v;
        if (vehicles_get(db, a, f->vehicle_id, &v, err) < 0) {
            snprintf(err->field, sizeof err->field, "%s", "vehicle_id");
            return -1;
        }
        if (!customer)
            customer = v.customer_id;
    }
    if (customer) {
        int64_t found;
        int rc = db_query_int(db, &found, "SELECT id FROM customers WHERE id = ? AND store_id = ?",
                              "ii", customer, a->store_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        if (rc == 0)
            return dms_fail(err, "not_found", "customer_id", "no customer %lld",
                            (long long)customer);
    }
    char now[TIMESTAMP_STR], day[DATE_STR];
    timestamp_format_utc(a->now, now);
    date_format(a->today, day);
    int rc = db_query_int(db, id,
                          "INSERT INTO booking_failures (store_id, vehicle_id, customer_id, "
                          "reason, note, source, created_by, created_at, day) VALUES (?, ?, ?, "
                          "?, ?, ?, ?, ?, ?) RETURNING id",
                          "iIIsssIss", a->store_id, f->vehicle_id, customer,
                          BOOKING_FAILURE_NAMES[f->reason], f->note, SOURCE_NAMES[f->source],
                          a->user_id, now, day);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = json_object();
    audit_int(ch, "vehicle_id", 0, f->vehicle_id);
    audit_int(ch, "customer_id", 0, customer);
    audit_text(ch, "reason", NULL, BOOKING_FAILURE_NAMES[f->reason]);
    audit_text(ch, "source", NULL, SOURCE_NAMES[f->source]);
    audit_text(ch, "note", NULL, f->note);
    return audit_record(db, a, "create", "booking_failure", *id, ch, err);
}

/* Adds the counts of a "key, count" query to counts[] by name. */
static int count_by(struct db *db, const char *const *names, int n_names, int64_t *counts,
                    struct dms_error *err, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    struct db_res *res;
    int rc = db_vquery(db, &res, sql, types, ap);
    va_end(ap);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    while ((rc = db_step(res)) > 0) {
        int k = enum_index(names, n_names, db_text(res, 0));
        if (k >= 0)
            counts[k] += db_int(res, 1);
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

int reports_bookings(struct db *db, const struct actor *a, dms_day from, dms_day to,
                     struct booking_report *out, struct dms_error *err)
{
    memset(out, 0, sizeof *out);
    char f[DATE_STR], t[DATE_STR];
    date_format(from, f), date_format(to, t);
    /* Bookings count on the store-local day they were made: created_at is UTC, so the
     * window is the local days' UTC bounds, given by the caller's clock offset. */
    int64_t offset = (int64_t)a->today * 86400 + a->now_min * 60 - a->now;
    char lo[TIMESTAMP_STR], hi[TIMESTAMP_STR];
    timestamp_format_utc((int64_t)from * 86400 - offset, lo);
    timestamp_format_utc((int64_t)(to + 1) * 86400 - offset, hi);
    int64_t status[APPT_STATUS_COUNT] = {0};
    if (count_by(db, SOURCE_NAMES, SOURCE_COUNT, out->booked, err,
                 "SELECT source, COUNT(*) FROM appointments WHERE store_id = ? AND created_at >= "
                 "? AND created_at < ? GROUP BY source",
                 "iss", a->store_id, lo, hi) < 0 ||
        count_by(db, BOOKING_CASE_NAMES, 4, out->by_case, err,
                 "SELECT case_code, COUNT(*) FROM appointments WHERE store_id = ? AND "
                 "created_at >= ? AND created_at < ? GROUP BY case_code",
                 "iss", a->store_id, lo, hi) < 0 ||
        count_by(db, BOOKING_FAILURE_NAMES, FAIL_COUNT, out->failed, err,
                 "SELECT reason, COUNT(*) FROM booking_failures WHERE store_id = ? AND day >= ? "
                 "AND day <= ? GROUP BY reason",
                 "iss", a->store_id, f, t) < 0 ||
        count_by(db, SOURCE_NAMES, SOURCE_COUNT, out->failed_by_source, err,
                 "SELECT source, COUNT(*) FROM booking_failures WHERE store_id = ? AND day >= ? "
                 "AND day <= ? GROUP BY source",
                 "iss", a->store_id, f, t) < 0 ||
        count_by(db, APPT_STATUS_NAMES, APPT_STATUS_COUNT, status, err,
                 "SELECT status, COUNT(*) FROM appointments WHERE store_id = ? AND day >= ? AND "
                 "day <= ? GROUP BY status",
                 "iss", a->store_id, f, t) < 0)
        return -1;
    out->no_shows = status[APPT_NO_SHOW];
    out->cancelled = status[APPT_CANCELLED];
    return 0;
}
