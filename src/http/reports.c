/* /api/v1/reports/calls (RPT-2): per call list, what was created, done, reached and booked,
 * for a day or a month, with the month's daily counts; /api/v1/reports/utilisation: the
 * bays' capacity and bookings per day of the period (the manager's dashboard). */
#include <stdlib.h>
#include <string.h>

#include "core/booking.h"
#include "core/rates.h"
#include "core/tasks.h"
#include "core/utilisation.h"
#include "core/workshop.h"
#include "http/http.h"
#include "store/board.h"
#include "store/reports.h"
#include "store/workshop.h"

/* A rate (core/rates.h) as a fraction, null when there is no figure. The call and utilisation
 * reports cut it to four decimals (0.8333); the conversion of booking calls is given in full
 * (RATE_FULL). */
static json_t *view_rate(struct rate r, int decimals)
{
    return r.known ? json_real(rate_value(r, decimals)) : json_null();
}

static json_t *view_counts(const struct call_counts *c)
{
    json_t *v = json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "created", (json_int_t)c->created, "done",
        (json_int_t)c->done, "reached", (json_int_t)c->reached, "booked", (json_int_t)c->booked,
        "expired", (json_int_t)c->expired, "open", (json_int_t)c->open, "cancelled",
        (json_int_t)c->cancelled, "reach_rate", view_rate(rate_reach(c->created, c->reached), 4),
        "booking_rate", view_rate(rate_booking(c->reached, c->booked), 4));
    /* CS-1: the follow-up's satisfaction (满意 / 一般 / 不满意). */
    json_object_set_new(v, "satisfaction",
                        json_pack("{s:I, s:I, s:I}", "satisfied", (json_int_t)c->satisfaction[0],
                                  "neutral", (json_int_t)c->satisfaction[1], "dissatisfied",
                                  (json_int_t)c->satisfaction[2]));
    return v;
}

int report_period(struct req *r, dms_day *from, dms_day *to, bool *month)
{
    const char *d = req_query(r, "date"), *m = req_query(r, "month");
    if (d && m)
        return req_fail(r, "invalid_field", "month",
                        "give date=YYYY-MM-DD or month=YYYY-MM, not both");
    if (!d && !m)
        return req_fail(r, "missing_field", "date", "give date=YYYY-MM-DD or month=YYYY-MM");
    *month = m != NULL;
    if (d)
        return date_parse(d, from, "date", &r->err) < 0 ? -1 : (*to = *from, 0);
    return date_parse_month(m, from, to, "month", &r->err);
}

int h_reports_calls(struct req *r)
{
    dms_day from = 0, to = 0;
    bool month = false;
    if (report_period(r, &from, &to, &month) < 0)
        return -1;
    struct call_report rep;
    if (reports_calls(r->db, &r->actor, from, to, &rep, &r->err) < 0)
        return -1;
    char f[DATE_STR], t[DATE_STR];
    date_format(from, f);
    date_format(to, t);
    json_t *types = json_array();
    for (int i = 0; i < TASK_TYPE_COUNT; i++) {
        json_t *c = view_counts(&rep.by_type[i]);
        json_object_set_new(c, "type", json_string(TASK_TYPE_NAMES[i]));
        json_array_append_new(types, c);
    }
    json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "from", f, "to", t, "types", types, "total",
                          view_counts(&rep.total));
    if (month) {
        json_t *days = json_array();
        for (int i = 0; i < rep.n_days; i++) {
            char d[DATE_STR];
            date_format(from + i, d);
            json_t *c = view_counts(&rep.by_day[i]);
            json_object_set_new(c, "date", json_string(d));
            json_array_append_new(days, c);
        }
        json_object_set_new(o, "days", days);
    }
    call_report_clear(&rep);
    return reply(r, 200, o);
}

static json_t *view_figures(const struct util_figures *f)
{
    return json_pack("{s:I, s:I, s:o}", "capacity_min", (json_int_t)f->capacity_min, "booked_min",
                     (json_int_t)f->booked_min, "utilisation",
                     view_rate(rate_of(f->booked_min, f->capacity_min), 4));
}

/* /api/v1/reports/utilisation: the bays' capacity and bookings per day, per bay and in all. */
int h_reports_utilisation(struct req *r)
{
    dms_day from = 0, to = 0;
    bool month = false;
    if (report_period(r, &from, &to, &month) < 0)
        return -1;
    struct utilisation_report rep;
    if (reports_utilisation(r->db, &r->actor, from, to, &rep, &r->err) < 0)
        return -1;
    char f[DATE_STR], t[DATE_STR];
    date_format(from, f);
    date_format(to, t);
    json_t *days = json_array(), *bays = json_array();
    for (int i = 0; i < rep.n_days; i++) {
        char d[DATE_STR];
        date_format(from + i, d);
        json_t *o = view_figures(&rep.by_day[i]);
        json_object_set_new(o, "date", json_string(d));
        json_object_set_new(o, "open_min", json_integer(rep.open_min[i]));
        json_array_append_new(days, o);
    }
    for (size_t k = 0; k < rep.n_bays; k++) {
        const struct bay *b = &rep.bays[k];
        json_t *o = view_figures(&rep.by_bay[k]);
        json_object_set_new(o, "id", json_integer(b->id));
        json_object_set_new(o, "code", json_string(b->code));
        json_object_set_new(o, "name", json_string(b->name));
        json_object_set_new(o, "kind", json_string(BAY_KIND_NAMES[b->kind]));
        json_object_set_new(o, "active", json_boolean(b->active));
        json_array_append_new(bays, o);
    }
    json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o}", "from", f, "to", t, "days", days, "bays",
                          bays, "total", view_figures(&rep.total));
    utilisation_report_clear(&rep);
    return reply(r, 200, o);
}

int h_reports_bookings(struct req *r)
{
    dms_day from, to;
    const char *month = req_query(r, "month");
    if (month) {
        if (date_parse_month(month, &from, &to, "month", &r->err) < 0)
            return -1;
    } else {
        if (req_query_date(r, "date", &from) < 0)
            return -1;
        if (!from)
            from = r->actor.today;
        to = from;
    }
    struct booking_report b;
    if (reports_bookings(r->db, &r->actor, from, to, &b, &r->err) < 0)
        return -1;
    json_t *booked = json_object(), *failed = json_object(), *by_case = json_object(),
           *conv = json_object();
    int64_t nb = 0, nf = 0;
    for (int i = 0; i < SOURCE_COUNT; i++) {
        json_object_set_new(booked, SOURCE_NAMES[i], json_integer(b.booked[i]));
        json_object_set_new(
            conv, SOURCE_NAMES[i],
            view_rate(rate_conversion(b.booked[i], b.failed_by_source[i]), RATE_FULL));
        nb += b.booked[i];
        nf += b.failed_by_source[i];
    }
    for (int i = 0; i < FAIL_COUNT; i++)
        json_object_set_new(failed, BOOKING_FAILURE_NAMES[i], json_integer(b.failed[i]));
    for (int i = 0; i < 4; i++)
        json_object_set_new(by_case, BOOKING_CASE_NAMES[i], json_integer(b.by_case[i]));
    char f[DATE_STR], t[DATE_STR];
    date_format(from, f), date_format(to, t);
    return reply(r, 200,
                 json_pack("{s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:I, s:I}", "from", f,
                           "to", t, "booked", (json_int_t)nb, "failed", (json_int_t)nf,
                           "conversion", view_rate(rate_conversion(nb, nf), RATE_FULL),
                           "booked_by_source", booked, "conversion_by_source", conv,
                           "failed_by_reason", failed, "by_case", by_case, "no_shows",
                           (json_int_t)b.no_shows, "cancelled", (json_int_t)b.cancelled));
}
