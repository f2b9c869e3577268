/* Slots (IN-6, IN-8, IN-9, IN-13, IN-20): loads a window of days (hours, bays, technicians,
 * the bookings and out-of-service periods that hold them) and asks core/slots.c. Nothing is
 * cached: a booking made a moment ago holds its bay in the next search (IN-9). */
#include <stdlib.h>

#include "core/calendar.h"
#include "core/slots.h"
#include "core/text.h"
#include "core/workshop.h"
#include "store/calendar.h"
#include "store/internal.h"
#include "store/slots.h"

/* A window's data; the days point into the other arrays. */
struct window {
    struct slot_day *days;
    size_t n_days;
    struct slot_bay *bays;
    size_t n_bays;
    struct slot_tech *techs;
    size_t n_techs;
    struct slot_busy *busy; /* per day: the bays' then the technicians' */
    size_t n_busy, cap_busy;
    int *busy_day; /* day index of each busy entry, parallel to busy */
    int *busy_tech;
};

static void window_free(struct window *w)
{
    free(w->days);
    free(w->bays);
    free(w->techs);
    free(w->busy);
    free(w->busy_day);
    free(w->busy_tech);
    memset(w, 0, sizeof *w);
}

static int bay_row(struct db_res *res, void *out)
{
    struct slot_bay *b = out;
    b->id = db_int(res, 0);
    int k = enum_index(BAY_KIND_NAMES, BAY_KIND_COUNT, db_text(res, 1));
    b->kind = k < 0 ? BAY_GENERAL : (enum bay_kind)k;
    return 0;
}

static int tech_row(struct db_res *res, void *out)
{
    struct slot_tech *t = out;
    t->id = db_int(res, 0);
    t->skills = (unsigned)db_int(res, 1);
    t->work_days = (unsigned)db_int(res, 2);
    return 0;
}

static int add_busy(struct window *w, int day, bool tech, int64_t id, int from, int until,
                    bool booking)
{
    if (w->n_busy == w->cap_busy) {
        size_t cap = w->cap_busy ? w->cap_busy * 2 : 256;
        struct slot_busy *b = realloc(w->busy, cap * sizeof *b);
        if (!b)
            return -1;
        w->busy = b;
        int *d = realloc(w->busy_day, cap * sizeof *d);
        if (!d)
            return -1;
        w->busy_day = d;
        int *t = realloc(w->busy_tech, cap * sizeof *t);
        if (!t)
            return -1;
        w->busy_tech = t;
        w->cap_busy = cap;
    }
    w->busy[w->n_busy] = (struct slot_busy){id, from, until, booking};
    w->busy_day[w->n_busy] = day;
    w->busy_tech[w->n_busy] = tech;
    w->n_busy++;
    return 0;
}

/* The longest float (settings: float_min 0-240): how far past midnight a bay can be held. */
#define FLOAT_MAX_MIN 240

/* Bookings of the window that hold a bay and technician, except `exclude` (a booking being
 * moved). A bay's float runs past midnight after a job that ends at 24:00 (or late enough):
 * that part holds the next day from 00:00, and a booking early the next morning holds the
 * evening before from 24:00 on (a job there may not float into it). So the days either side
 * of the window are read too. */
static int load_bookings(struct db *db, int64_t store_id, dms_day from, dms_day to, int64_t exclude,
                         struct window *w, struct dms_error *err)
{
    char f[DATE_STR], t[DATE_STR];
    date_format(from - 1, f), date_format(to + 1, t);
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT day, start_min, end_min, hold_min, bay_id, technician_id "
                      "FROM appointments WHERE store_id = ? AND day >= ? AND day <= ? AND "
                      "start_min IS NOT NULL AND status IN ('tentative', 'confirmed', "
                      "'arrived', 'in_service') AND id <> ?",
                      "issi", store_id, f, t, exclude);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    while ((rc = db_step(res)) > 0) {
        dms_day d;
        struct dms_error e = {0};
        if (date_parse(db_text(res, 0), &d, NULL, &e) < 0)
            continue;
        int idx = (int)(d - from);
        int start = (int)db_int(res, 1), end = (int)db_int(res, 2), hold = (int)db_int(res, 3);
        int64_t bay = db_int(res, 4);
        int n = (int)w->n_days;
        bool in = idx >= 0 && idx < n;
        bool into_next = hold > 1440 && idx + 1 >= 0 && idx + 1 < n;
        bool from_next = start < FLOAT_MAX_MIN && idx - 1 >= 0 && idx - 1 < n;
        if ((in && (add_busy(w, idx, false, bay, start, hold, true) < 0 ||
                    add_busy(w, idx, true, db_int(res, 5), start, end, true) < 0)) ||
            (into_next && add_busy(w, idx + 1, false, bay, 0, hold - 1440, true) < 0) ||
            (from_next && add_busy(w, idx - 1, false, bay, 1440 + start, 1440 + hold, true) < 0)) {
            db_done(res);
            return dms_fail(err, "db_error", NULL, "out of memory");
        }
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* Out-of-service periods, cut into the days of the window they cover. A period going on
 * past a day holds the rest of it and any float (up to 24:00 + 240 minutes). */
static int load_downtime(struct db *db, int64_t store_id, dms_day from, dms_day to,
                         struct window *w, struct dms_error *err)
{
    char f[LOCAL_TIME_STR], t[LOCAL_TIME_STR], d0[DATE_STR], d1[DATE_STR];
    date_format(from, d0), date_format(to + 1, d1);
    snprintf(f, sizeof f, "%sT00:00", d0);
    snprintf(t, sizeof t, "%sT00:00", d1);
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT resource, resource_id, starts, ends FROM downtime "
                      "WHERE store_id = ? AND ends > ? AND starts < ?",
                      "iss", store_id, f, t);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    while ((rc = db_step(res)) > 0) {
        bool tech = strcmp(db_text(res, 0), "technician") == 0;
        int64_t id = db_int(res, 1);
        dms_day sd, ed;
        int sm, em;
        struct dms_error e = {0};
        if (local_time_parse(db_text(res, 2), &sd, &sm, NULL, &e) < 0 ||
            local_time_parse(db_text(res, 3), &ed, &em, NULL, &e) < 0)
            continue;
        for (dms_day d = sd < from ? from : sd; d <= ed && d <= to; d++) {
            int a = d == sd ? sm : 0, b = d == ed ? em : 1440 + FLOAT_MAX_MIN;
            if (b > a && add_busy(w, (int)(d - from), tech, id, a, b, false) < 0) {
                db_done(res);
                return dms_fail(err, "db_error", NULL, "out of memory");
            }
        }
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* Orders the busy entries by day, bays before technicians, and points each day at its. */
static int index_busy(struct window *w)
{
    size_t n = w->n_busy;
    struct slot_busy *sorted = malloc((n ? n : 1) * sizeof *sorted);
    size_t *count = calloc(w->n_days * 2 + 1, sizeof *count);
    if (!sorted || !count) {
        free(sorted), free(count);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        count[w->busy_day[i] * 2 + w->busy_tech[i] + 1]++;
    for (size_t k = 1; k <= w->n_days * 2; k++)
        count[k] += count[k - 1];
    for (size_t i = 0; i < n; i++)
        sorted[count[w->busy_day[i] * 2 + w->busy_tech[i]]++] = w->busy[i];
    /* count[k] is now the end of group k; its start is the end of group k - 1. */
    for (size_t d = 0; d < w->n_days; d++) {
        size_t b0 = d == 0 ? 0 : count[d * 2 - 1], b1 = count[d * 2], t1 = count[d * 2 + 1];
        w->days[d].bay_busy = sorted + b0;
        w->days[d].n_bay_busy = b1 - b0;
        w->days[d].tech_busy = sorted + b1;
        w->days[d].n_tech_busy = t1 - b1;
    }
    free(count);
    free(w->busy);
    w->busy = sorted;
    w->cap_busy = n;
    return 0;
}

static int window_load(struct db *db, int64_t store_id, dms_day from, dms_day to, int64_t exclude,
                       struct window *w, struct dms_error *err)
{
    memset(w, 0, sizeof *w);
    w->n_days = (size_t)(to - from + 1);
    int rc =
        store_rows(db, bay_row, NULL, sizeof *w->bays, 10000, (void **)&w->bays, &w->n_bays, err,
                   "SELECT id, kind FROM bays WHERE store_id = ? AND active = 1 "
                   "ORDER BY id",
                   "i", store_id);
    if (rc == 0)
        rc = store_rows(db, tech_row, NULL, sizeof *w->techs, 10000, (void **)&w->techs,
                        &w->n_techs, err,
                        "SELECT id, skills, work_days FROM technicians WHERE store_id = ? AND "
                        "active = 1 ORDER BY id",
                        "i", store_id);
    if (rc == 0)
        rc = load_bookings(db, store_id, from, to, exclude, w, err);
    if (rc == 0)
        rc = load_downtime(db, store_id, from, to, w, err);
    if (rc < 0) {
        window_free(w);
        return -1;
    }
    w->days = calloc(w->n_days, sizeof *w->days);
    struct day_hours *hours = calloc(w->n_days, sizeof *hours);
    enum calendar_exception *kinds = calloc(w->n_days, sizeof *kinds);
    if (!w->days || !hours || !kinds || index_busy(w) < 0) {
        free(hours);
        free(kinds);
        window_free(w);
        return dms_fail(err, "db_error", NULL, "out of memory");
    }
    if (calendar_hours_range(db, store_id, from, to, hours, kinds, err) < 0) {
        free(hours);
        free(kinds);
        window_free(w);
        return -1;
    }
    for (size_t i = 0; i < w->n_days; i++) {
        struct slot_day *d = &w->days[i];
        d->date = from + (dms_day)i;
        d->hours = hours[i];
        if (kinds[i] == CAL_OPEN)
            d->as_weekday = 1; /* as core/calendar.c gives it Monday's hours */
        d->bays = w->bays, d->n_bays = w->n_bays;
        d->techs = w->techs, d->n_techs = w->n_techs;
    }
    free(hours);
    free(kinds);
    return 0;
}

int slots_settings(struct db *db, int64_t store_id, int *float_min, int *step_min,
                   struct dms_error *err)
{
    struct db_res *res;
    int rc =
        db_query(db, &res, "SELECT float_min, slot_step_min FROM store_settings WHERE store_id = ?",
                 "i", store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    *float_min = 30, *step_min = 30;
    if ((rc = db_step(res)) > 0) {
        *float_min = (int)db_int(res, 0);
        *step_min = (int)db_int(res, 1);
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* The first window searched: a week before the wish and eight days after; then the
 * following days two weeks at a time, up to SLOTS_AHEAD days after the wish. Any start on a
 * later chunk's days is more than eight days from the wish, farther than any start of the
 * first window (at most seven days and 1,439 minutes before it), so the options found there
 * follow those found before. */
#define FIRST_WINDOW 7
#define CHUNK_DAYS   14

int slots_find(struct db *db, int64_t store_id, const struct slot_query *q, struct slot_option *out,
               size_t max, size_t *n, struct dms_error *err)
{
    *n = 0;
    struct slot_job job = q->job;
    int step;
    if (slots_settings(db, store_id, &job.float_min, &step, err) < 0)
        return -1;
    dms_day floor_day = q->not_before_day;
    dms_day from = q->wish_day - FIRST_WINDOW < floor_day ? floor_day : q->wish_day - FIRST_WINDOW;
    dms_day anchor = q->wish_day < floor_day ? floor_day : q->wish_day;
    dms_day to = anchor + FIRST_WINDOW + 1;
    while (*n < max && from <= anchor + SLOTS_AHEAD) {
        struct window w;
        if (window_load(db, store_id, from, to, q->exclude_id, &w, err) < 0)
            return -1;
        *n += slot_search(w.days, w.n_days, &job, q->wish_day, q->wish_min, q->not_before_day,
                          q->not_before_min, step, out + *n, max - *n);
        window_free(&w);
        from = to + 1;
        to = from + CHUNK_DAYS - 1;
        if (to > anchor + SLOTS_AHEAD)
            to = anchor + SLOTS_AHEAD;
    }
    return 0;
}

int slots_check(struct db *db, int64_t store_id, const struct slot_query *q, int64_t want_bay,
                int64_t want_tech, struct slot_option *out, enum slot_verdict *verdict,
                struct dms_error *err)
{
    struct slot_job job = q->job;
    int step;
    if (slots_settings(db, store_id, &job.float_min, &step, err) < 0)
        return -1;
    struct window w;
    if (window_load(db, store_id, q->wish_day, q->wish_day, q->exclude_id, &w, err) < 0)
        return -1;
    bool past = q->wish_day < q->not_before_day ||
                (q->wish_day == q->not_before_day && q->wish_min < q->not_before_min);
    *verdict = past ? SLOT_UNAVAILABLE
                    : slot_check(&w.days[0], &job, q->wish_min, want_bay, want_tech, out);
    window_free(&w);
    return 0;
}
