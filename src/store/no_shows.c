/* RO-9: unarrived bookings become no-shows at closing and are called to rebook; their reserved
 * parts stay on the "appointment" shelf for no_show_hold_days in case the customer comes back,
 * then are released. Run by dms serve's worker and by `dms appointments no-shows`, possibly by
 * several processes on one database: each booking is moved by appointments_set_status under
 * the store's lock (a second process then finds it a no-show and leaves it), and its
 * rebooking call has a dedupe key. */
#include <stdlib.h>

#include "core/booking.h"
#include "store/appointments.h"
#include "store/calendar.h"
#include "store/internal.h"
#include "store/settings.h"

struct missed {
    int64_t id;
    char day[DATE_STR];
};

static int missed_row(struct db_res *res, void *out)
{
    struct missed *m = out;
    m->id = db_int(res, 0);
    col_copy(m->day, sizeof m->day, res, 1);
    return 0;
}

/* Marks one booking a no-show and asks for the rebooking call; 1 marked, 0 someone else had. */
static int mark(struct db *db, const struct actor *a, int64_t id, struct dms_error *err)
{
    struct appointment *ap = malloc(sizeof *ap);
    if (!ap)
        return dms_fail(err, "db_error", NULL, "out of memory");
    struct dms_error e = {0};
    int rc = appointments_set_status(db, a, id, APPT_NO_SHOW, ap, &e);
    if (rc < 0) {
        free(ap);
        if (dms_error_is(&e, "invalid_transition") || dms_error_is(&e, "repair_order_required"))
            return 0; /* checked in, cancelled or marked meanwhile */
        *err = e;
        return -1;
    }
    rc = tasks_create_rebook(db, a, ap, err);
    free(ap);
    return rc < 0 ? -1 : 1;
}

int appointments_no_shows(struct db *db, const struct actor *a, int *marked, int *released,
                          struct dms_error *err)
{
    int n_marked = 0, n_released = 0;
    struct store_settings st;
    struct day_hours h;
    if (settings_get(db, a->store_id, &st, err) < 0 ||
        calendar_hours_range(db, a->store_id, a->today, a->today, &h, NULL, err) < 0)
        return -1;
    /* The store's lock first, as a booking or a check-in takes it. */
    if (store_lock_store(db, a->store_id, err) < 0)
        return -1;
    char today[DATE_STR];
    date_format(a->today, today);
    bool today_due = booking_no_show_due(a->today, a->today, a->now_min, h.open, h.close_min,
                                         st.no_show_grace_min);
    struct missed *m = NULL;
    size_t n = 0;
    if (store_rows(db, missed_row, NULL, sizeof *m, 10000, (void **)&m, &n, err,
                   "SELECT id, day FROM appointments WHERE store_id = ? AND status IN "
                   "('confirmed', 'tentative') AND day IS NOT NULL AND (day < ? OR (day = ? AND "
                   "? = 1)) ORDER BY day, id",
                   "issb", a->store_id, today, today, today_due) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int one = mark(db, a, m[i].id, err);
        if (one < 0)
            rc = -1;
        else
            n_marked += one;
    }
    free(m);
    m = NULL, n = 0;
    /* The hold is over: no-shows whose day is no_show_hold_days or more behind. */
    char until[DATE_STR];
    date_format(a->today - st.no_show_hold_days, until);
    if (rc == 0)
        rc = store_rows(db, missed_row, NULL, sizeof *m, 10000, (void **)&m, &n, err,
                        "SELECT DISTINCT a.id, a.day FROM appointments a JOIN appointment_parts "
                        "p ON p.appointment_id = a.id WHERE a.store_id = ? AND a.status = "
                        "'no_show' AND a.day <= ? AND p.state = 'reserved' ORDER BY a.day, a.id",
                        "is", a->store_id, until);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = appointments_release_parts(db, a, m[i].id, err);
        n_released += rc == 0;
    }
    free(m);
    if (marked)
        *marked = n_marked;
    if (released)
        *released = n_released;
    return rc;
}
