/* RPT-2: every call list's daily counts and monthly summary (a task counts in the period of
 * its list day, due_date), and the bays' utilisation per day for the manager's dashboard
 * (loaded here, counted by core/utilisation.c). */
#include <stdlib.h>

#include "core/calendar.h"
#include "core/complaint.h"
#include "core/tasks.h"
#include "core/text.h"
#include "core/utilisation.h"
#include "store/calendar.h"
#include "store/internal.h"
#include "store/reports.h"
#include "store/workshop.h"

static void add(struct call_counts *to, const struct call_counts *c)
{
    to->created += c->created;
    to->done += c->done;
    to->reached += c->reached;
    to->booked += c->booked;
    to->expired += c->expired;
    to->open += c->open;
    to->cancelled += c->cancelled;
    for (int i = 0; i < SAT_COUNT; i++)
        to->satisfaction[i] += c->satisfaction[i];
}

_Static_assert(SAT_COUNT == sizeof((struct call_counts *)0)->satisfaction /
                                sizeof((struct call_counts *)0)->satisfaction[0],
               "one count per satisfaction");

/* CS-1: how satisfied the customers reached by the follow-up calls were, counted on the
 * list day of their task like the rest. */
static int count_satisfaction(struct db *db, const struct actor *a, dms_day from, dms_day to,
                              struct call_report *out, struct dms_error *err)
{
    char f[DATE_STR], t[DATE_STR];
    date_format(from, f);
    date_format(to, t);
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT t.due_date, t.type, ta.satisfaction, COUNT(*) FROM task_attempts ta "
                      "JOIN tasks t ON t.id = ta.task_id WHERE t.store_id = ? AND t.due_date >= ? "
                      "AND t.due_date <= ? AND ta.satisfaction IS NOT NULL GROUP BY t.due_date, "
                      "t.type, ta.satisfaction",
                      "iss", a->store_id, f, t);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    while ((rc = db_step(res)) > 0) {
        dms_day d;
        struct dms_error ignore;
        int type = enum_index(TASK_TYPE_NAMES, TASK_TYPE_COUNT, db_text(res, 1));
        int sat = enum_index(SAT_NAMES, SAT_COUNT, db_text(res, 2));
        if (date_parse(db_text(res, 0), &d, "due_date", &ignore) < 0 || d < from || d > to ||
            type < 0 || sat < 0)
            continue;
        struct call_counts c = {0};
        c.satisfaction[sat] = db_int(res, 3);
        add(&out->by_type[type], &c);
        add(&out->by_day[d - from], &c);
        add(&out->total, &c);
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

int reports_calls(struct db *db, const struct actor *a, dms_day from, dms_day to,
                  struct call_report *out, struct dms_error *err)
{
    memset(out, 0, sizeof *out);
    out->n_days = to - from + 1;
    out->by_day = calloc((size_t)out->n_days, sizeof *out->by_day);
    if (!out->by_day)
        return dms_fail(err, "db_error", NULL, "out of memory");
    char f[DATE_STR], t[DATE_STR];
    date_format(from, f);
    date_format(to, t);
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT due_date, type, COUNT(*), "
                      "SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END), SUM(reached), "
                      "SUM(booked), SUM(CASE WHEN status = 'expired' THEN 1 ELSE 0 END), "
                      "SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END), "
                      "SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) "
                      "FROM tasks WHERE store_id = ? AND due_date >= ? AND due_date <= ? "
                      "GROUP BY due_date, type",
                      "iss", a->store_id, f, t);
    if (rc < 0) {
        call_report_clear(out);
        return store_db_fail(db, rc, err);
    }
    while ((rc = db_step(res)) > 0) {
        dms_day d;
        struct dms_error ignore;
        int type = enum_index(TASK_TYPE_NAMES, TASK_TYPE_COUNT, db_text(res, 1));
        if (date_parse(db_text(res, 0), &d, "due_date", &ignore) < 0 || d < from || d > to ||
            type < 0)
            continue;
        struct call_counts c = {
            .created = db_int(res, 2),
            .done = db_int(res, 3),
            .reached = db_int(res, 4),
            .booked = db_int(res, 5),
            .expired = db_int(res, 6),
            .open = db_int(res, 7),
            .cancelled = db_int(res, 8),
        };
        add(&out->by_type[type], &c);
        add(&out->by_day[d - from], &c);
        add(&out->total, &c);
    }
    db_done(res);
    if (rc < 0) {
        call_report_clear(out);
        return store_db_fail(db, rc, err);
    }
    if (count_satisfaction(db, a, from, to, out, err) < 0) {
        call_report_clear(out);
        return -1;
    }
    return 0;
}

void call_report_clear(struct call_report *r)
{
    if (r) {
        free(r->by_day);
        r->by_day = NULL;
        r->n_days = 0;
    }
}

/* ---- bay utilisation (the dashboard) ---- */

struct span_list {
    struct util_span *items;
    size_t n, cap;
};

static int span_push(struct span_list *l, size_t day, size_t bay, int from, int until)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        struct util_span *p = realloc(l->items, cap * sizeof *p);
        if (!p)
            return -1;
        l->items = p, l->cap = cap;
    }
    l->items[l->n++] = (struct util_span){day, bay, from, until};
    return 0;
}

/* A bay's index by its id: the ids sorted with their index. */
struct bay_key {
    int64_t id;
    size_t index;
};

static int bay_key_cmp(const void *a, const void *b)
{
    int64_t x = ((const struct bay_key *)a)->id, y = ((const struct bay_key *)b)->id;
    return (x > y) - (x < y);
}

static bool bay_index(const struct bay_key *keys, size_t n, int64_t id, size_t *index)
{
    struct bay_key k = {id, 0};
    const struct bay_key *hit = n ? bsearch(&k, keys, n, sizeof *keys, bay_key_cmp) : NULL;
    if (hit)
        *index = hit->index;
    return hit != NULL;
}

/* The work of the period's bookings that hold a bay: every status but cancelled and
 * no-show (completed ones held it too). */
static int load_booked(struct db *db, int64_t store_id, dms_day from, dms_day to,
                       const struct bay_key *keys, size_t n_keys, struct span_list *out,
                       struct dms_error *err)
{
    char f[DATE_STR], t[DATE_STR];
    date_format(from, f), date_format(to, t);
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT day, start_min, end_min, bay_id FROM appointments WHERE store_id = "
                      "? AND day >= ? AND day <= ? AND start_min IS NOT NULL AND bay_id IS NOT "
                      "NULL AND status NOT IN ('cancelled', 'no_show')",
                      "iss", store_id, f, t);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    while ((rc = db_step(res)) > 0) {
        dms_day d;
        size_t bay;
        struct dms_error ignore;
        if (date_parse(db_text(res, 0), &d, NULL, &ignore) < 0 || d < from || d > to ||
            !bay_index(keys, n_keys, db_int(res, 3), &bay))
            continue;
        if (span_push(out, (size_t)(d - from), bay, (int)db_int(res, 1), (int)db_int(res, 2)) < 0) {
            db_done(res);
            return dms_fail(err, "db_error", NULL, "out of memory");
        }
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* The bays' out-of-service periods, cut into the days of the period they cover (a period
 * going on past a day holds the rest of it). */
static int load_down(struct db *db, int64_t store_id, dms_day from, dms_day to,
                     const struct bay_key *keys, size_t n_keys, struct span_list *out,
                     struct dms_error *err)
{
    char f[LOCAL_TIME_STR], t[LOCAL_TIME_STR];
    local_time_format(from, 0, f);
    local_time_format(to + 1, 0, t);
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT resource_id, starts, ends FROM downtime WHERE store_id = ? AND "
                      "resource = 'bay' AND ends > ? AND starts < ?",
                      "iss", store_id, f, t);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    while ((rc = db_step(res)) > 0) {
        dms_day sd, ed;
        int sm, em;
        size_t bay;
        struct dms_error ignore;
        if (!bay_index(keys, n_keys, db_int(res, 0), &bay) ||
            local_time_parse(db_text(res, 1), &sd, &sm, NULL, &ignore) < 0 ||
            local_time_parse(db_text(res, 2), &ed, &em, NULL, &ignore) < 0)
            continue;
        for (dms_day d = sd < from ? from : sd; d <= ed && d <= to; d++) {
            int lo = d == sd ? sm : 0, hi = d == ed ? em : 1440;
            if (hi > lo && span_push(out, (size_t)(d - from), bay, lo, hi) < 0) {
                db_done(res);
                return dms_fail(err, "db_error", NULL, "out of memory");
            }
        }
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

int reports_utilisation(struct db *db, const struct actor *a, dms_day from, dms_day to,
                        struct utilisation_report *out, struct dms_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n_days = (size_t)(to - from + 1);
    struct day_hours *hours = calloc(n_days, sizeof *hours);
    struct bay_key *keys = NULL;
    bool *in_service = NULL;
    struct span_list down = {0}, booked = {0};
    int rc = -1;
    out->n_days = (int)n_days;
    out->open_min = calloc(n_days, sizeof *out->open_min);
    out->by_day = calloc(n_days, sizeof *out->by_day);
    if (!hours || !out->open_min || !out->by_day) {
        dms_fail(err, "db_error", NULL, "out of memory");
        goto out;
    }
    if (calendar_hours_range(db, a->store_id, from, to, hours, NULL, err) < 0 ||
        bays_list(db, a, true, &out->bays, &out->n_bays, err) < 0)
        goto out;
    size_t n_bays = out->n_bays;
    keys = malloc((n_bays ? n_bays : 1) * sizeof *keys);
    in_service = malloc((n_bays ? n_bays : 1) * sizeof *in_service);
    out->by_bay = calloc(n_bays ? n_bays : 1, sizeof *out->by_bay);
    if (!keys || !in_service || !out->by_bay) {
        dms_fail(err, "db_error", NULL, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < n_bays; k++) {
        keys[k] = (struct bay_key){out->bays[k].id, k};
        in_service[k] = out->bays[k].active;
    }
    qsort(keys, n_bays, sizeof *keys, bay_key_cmp);
    if (load_down(db, a->store_id, from, to, keys, n_bays, &down, err) < 0 ||
        load_booked(db, a->store_id, from, to, keys, n_bays, &booked, err) < 0)
        goto out;
    for (size_t i = 0; i < n_days; i++)
        out->open_min[i] = utilisation_open_minutes(&hours[i]);
    struct util_input in = {hours,      n_days, in_service,   n_bays,
                            down.items, down.n, booked.items, booked.n};
    utilisation_compute(&in, out->by_day, out->by_bay, &out->total);
    /* Retired bays stay only when they were booked in the period. */
    size_t kept = 0;
    for (size_t k = 0; k < n_bays; k++) {
        if (!out->bays[k].active && out->by_bay[k].booked_min == 0)
            continue;
        out->bays[kept] = out->bays[k];
        out->by_bay[kept++] = out->by_bay[k];
    }
    out->n_bays = kept;
    rc = 0;
out:
    free(hours);
    free(keys);
    free(in_service);
    free(down.items);
    free(booked.items);
    if (rc < 0)
        utilisation_report_clear(out);
    return rc;
}

void utilisation_report_clear(struct utilisation_report *r)
{
    if (r) {
        free(r->open_min);
        free(r->by_day);
        free(r->bays);
        free(r->by_bay);
        memset(r, 0, sizeof *r);
    }
}
