/* RO-8: the workshop's day and month, as a few aggregate queries over the repair orders of
 * the store; core/workshop_report.c works the figures out. Orders count on their arrival day
 * (repair_orders.day, store-local); revenue and on-time delivery on the store-local day they
 * were delivered (delivered_at is UTC: the period's local midnights are turned into UTC
 * bounds in the store's time zone, so the index on (store_id, delivered_at) finds them). */
#include <stdlib.h>

#include "core/text.h"
#include "store/internal.h"
#include "store/stores.h"
#include "store/workshop_report.h"
#include "store/zones.h"

/* A line counts on the statement: agreed at reception or approved (core ro_line_counts). */
#define COUNTS(l) "(" l ".decision IS NULL OR " l ".decision = 'approved')"

/* The UTC timestamps of the local midnights starting from, from + 1 .. to + 1: bounds[i] <=
 * a delivery of day from + i < bounds[i + 1]. */
static int day_bounds(struct db *db, const struct actor *a, dms_day from, int n_days,
                      char (*bounds)[TIMESTAMP_STR], struct dms_error *err)
{
    struct store_info s;
    if (stores_get(db, a->store_id, &s, err) < 0)
        return -1;
    const struct tz *zone = zones_get(s.timezone);
    for (int i = 0; i <= n_days; i++)
        timestamp_format_utc(tz_to_utc(zone, (int64_t)(from + i) * 86400), bounds[i]);
    return 0;
}

/* The day index of a delivery time, -1 outside the period. */
static int delivery_day(char (*bounds)[TIMESTAMP_STR], int n_days, const char *at)
{
    if (strcmp(at, bounds[0]) < 0 || strcmp(at, bounds[n_days]) >= 0)
        return -1;
    int lo = 0, hi = n_days - 1; /* the last i with bounds[i] <= at */
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (strcmp(bounds[mid], at) <= 0)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* The arrival day's index, -1 outside the period. */
static int arrival_day(const char *day, dms_day from, dms_day to)
{
    dms_day d;
    struct dms_error ignore;
    if (date_parse(day, &d, NULL, &ignore) < 0 || d < from || d > to)
        return -1;
    return (int)(d - from);
}

/* The orders that arrived: by day, source, kind and cancelled or not, with their waits. */
static int load_arrivals(struct db *db, const struct actor *a, const char *f, const char *t,
                         dms_day from, dms_day to, struct workshop_counts *days,
                         struct dms_error *err)
{
    struct db_res *res;
    int rc =
        db_query(db, &res,
                 "SELECT day, source, kind, CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END, "
                 "COUNT(*), COALESCE(SUM(wait_min), 0), COUNT(wait_min) FROM repair_orders "
                 "WHERE store_id = ? AND day >= ? AND day <= ? "
                 "GROUP BY day, source, kind, CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END",
                 "iss", a->store_id, f, t);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    while ((rc = db_step(res)) > 0) {
        int i = arrival_day(db_text(res, 0), from, to);
        int source = enum_index(RO_SOURCE_NAMES, RO_SOURCE_COUNT, db_text(res, 1));
        int kind = enum_index(SERVICE_KIND_NAMES, SERVICE_KIND_COUNT, db_text(res, 2));
        if (i < 0 || source < 0 || kind < 0)
            continue;
        struct workshop_counts *c = &days[i];
        int64_t n = db_int(res, 4);
        if (db_int(res, 3)) {
            c->cancelled += n;
            continue;
        }
        c->orders += n;
        c->by_source[source] += n;
        c->by_kind[kind] += n;
        c->wait_sum_min[source] += db_int(res, 5);
        c->waited[source] += db_int(res, 6);
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* Hours sold (standard hours of the counting labour lines) and clocked, by arrival day. */
static int load_hours(struct db *db, const struct actor *a, const char *f, const char *t,
                      dms_day from, dms_day to, struct workshop_counts *days, struct dms_error *err)
{
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT o.day, COALESCE(SUM(CASE WHEN " COUNTS(
                          "l") " THEN l.hours_x100 ELSE 0 END), 0), "
                               "COALESCE(SUM(l.clocked_min), 0) FROM repair_orders o "
                               "JOIN repair_order_lines l ON l.order_id = o.id "
                               "WHERE o.store_id = ? AND o.day >= ? AND o.day <= ? AND o.status "
                               "<> 'cancelled' AND l.type = 'labour' GROUP BY o.day",
                      "iss", a->store_id, f, t);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    while ((rc = db_step(res)) > 0) {
        int i = arrival_day(db_text(res, 0), from, to);
        if (i < 0)
            continue;
        days[i].sold_x100 += db_int(res, 1);
        days[i].clocked_min += db_int(res, 2);
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* Comebacks: per order that arrived, the last delivery before its arrival of an order of the
 * same car (a car is in one store) with one of its counting labour operations; core says
 * whether that was within the window. since: no earlier delivery can be in the window of any
 * order of the period. The earlier orders are found by the car (repair_orders_vehicle): with
 * a condition on p.store_id the planner took the store's deliveries index instead and read
 * every delivery of the window for each line (bench_workshop: 230 ms for a day). */
static int load_comebacks(struct db *db, const struct actor *a, const char *f, const char *t,
                          const char *since, dms_day from, dms_day to, struct workshop_counts *days,
                          struct dms_error *err)
{
    struct db_res *res;
    int rc = db_query(
        db, &res,
        "SELECT o.day, o.arrived_at, MAX(p.delivered_at) FROM repair_orders o "
        "JOIN repair_order_lines l ON l.order_id = o.id AND l.type = 'labour' AND " COUNTS(
            "l") " JOIN repair_orders p ON p.vehicle_id = o.vehicle_id AND p.delivered_at >= ? "
                 "AND p.delivered_at < o.arrived_at "
                 "JOIN repair_order_lines pl ON pl.order_id = p.id AND pl.type = 'labour' AND "
                 "pl.code = l.code AND " COUNTS(
                     "pl") " WHERE o.store_id = ? AND o.day >= ? AND o.day <= ? AND o.status "
                           "<> 'cancelled' GROUP BY o.id, o.day, o.arrived_at",
        "siss", since, a->store_id, f, t);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    while ((rc = db_step(res)) > 0) {
        int i = arrival_day(db_text(res, 0), from, to);
        int64_t arrived, delivered;
        if (i < 0 || timestamp_parse_utc(db_text(res, 1), &arrived) < 0 ||
            timestamp_parse_utc(db_text(res, 2), &delivered) < 0)
            continue;
        if (workshop_is_comeback(arrived, delivered))
            days[i].comebacks++;
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* The orders delivered in the period: on time or late (when a time was promised), discount. */
static int load_deliveries(struct db *db, const struct actor *a, char (*bounds)[TIMESTAMP_STR],
                           int n_days, struct workshop_counts *days, struct dms_error *err)
{
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT delivered_at, on_time, discount_fen FROM repair_orders WHERE "
                      "store_id = ? AND delivered_at >= ? AND delivered_at < ?",
                      "iss", a->store_id, bounds[0], bounds[n_days]);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    while ((rc = db_step(res)) > 0) {
        int i = delivery_day(bounds, n_days, db_text(res, 0));
        if (i < 0)
            continue;
        days[i].delivered++;
        if (!db_is_null(res, 1)) {
            if (db_int(res, 1))
                days[i].on_time++;
            else
                days[i].late++;
        }
        days[i].discount_fen += db_int(res, 2);
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* Revenue: the counting lines of the orders delivered in the period, by type and payer. */
static int load_revenue(struct db *db, const struct actor *a, char (*bounds)[TIMESTAMP_STR],
                        int n_days, struct workshop_counts *days, struct dms_error *err)
{
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT o.delivered_at, l.type, l.payer, SUM(l.amount_fen) FROM "
                      "repair_orders o JOIN repair_order_lines l ON l.order_id = o.id WHERE "
                      "o.store_id = ? AND o.delivered_at >= ? AND o.delivered_at < ? AND " COUNTS(
                          "l") " GROUP BY o.id, o.delivered_at, l.type, l.payer",
                      "iss", a->store_id, bounds[0], bounds[n_days]);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    while ((rc = db_step(res)) > 0) {
        int i = delivery_day(bounds, n_days, db_text(res, 0));
        int type = enum_index(RO_LINE_TYPE_NAMES, RO_LINE_TYPE_COUNT, db_text(res, 1));
        int payer = enum_index(PAYER_NAMES, PAYER_COUNT, db_text(res, 2));
        if (i < 0 || type < 0 || payer < 0)
            continue;
        days[i].revenue_fen[type][payer] += db_int(res, 3);
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

int workshop_report_get(struct db *db, const struct actor *a, dms_day from, dms_day to,
                        struct workshop_report *out, struct dms_error *err)
{
    memset(out, 0, sizeof *out);
    int n_days = (int)(to - from + 1);
    char(*bounds)[TIMESTAMP_STR] = calloc((size_t)n_days + 1, sizeof *bounds);
    out->n_days = n_days;
    out->by_day = calloc((size_t)n_days, sizeof *out->by_day);
    int rc = -1;
    if (!bounds || !out->by_day) {
        dms_fail(err, "db_error", NULL, "out of memory");
        goto out;
    }
    char f[DATE_STR], t[DATE_STR], since[TIMESTAMP_STR];
    date_format(from, f);
    date_format(to, t);
    if (day_bounds(db, a, from, n_days, bounds, err) < 0)
        goto out;
    /* Deliveries before the window of the period's first order cannot count (core checks
     * each window exactly). */
    int64_t first;
    if (timestamp_parse_utc(bounds[0], &first) < 0) {
        dms_fail(err, "db_error", NULL, "bad period bound %s", bounds[0]);
        goto out;
    }
    timestamp_format_utc(first - (int64_t)(WORKSHOP_COMEBACK_DAYS + 1) * 86400, since);
    if (load_arrivals(db, a, f, t, from, to, out->by_day, err) < 0 ||
        load_hours(db, a, f, t, from, to, out->by_day, err) < 0 ||
        load_comebacks(db, a, f, t, since, from, to, out->by_day, err) < 0 ||
        load_deliveries(db, a, bounds, n_days, out->by_day, err) < 0 ||
        load_revenue(db, a, bounds, n_days, out->by_day, err) < 0)
        goto out;
    for (int i = 0; i < n_days; i++)
        workshop_counts_add(&out->total, &out->by_day[i]);
    rc = 0;
out:
    free(bounds);
    if (rc < 0)
        workshop_report_clear(out);
    return rc;
}

void workshop_report_clear(struct workshop_report *r)
{
    if (r) {
        free(r->by_day);
        memset(r, 0, sizeof *r);
    }
}
