/* MR-1: the next periodic maintenance of a vehicle. See schedule.h. */
#include "core/schedule.h"

const char *const SCHEDULE_BASIS_NAMES[2] = {"time", "mileage"};
const char *const SCHEDULE_RULE_NAMES[RULE_COUNT] = {
    [RULE_FIRST] = "first_service",
    [RULE_INTERVAL] = "interval",
    [RULE_USED] = "used_car",
};

/* The km the car showed when the store first knew it: its latest reading on or before that
 * day (the readings are in date order), else its first reading. */
static int64_t km_when_known(const struct reading *r, size_t n, dms_day known)
{
    int64_t km = r[0].km;
    for (size_t i = 0; i < n && r[i].date <= known; i++)
        km = r[i].km;
    return km;
}

/* RULE_USED (see schedule.h): the due km and the due date by time on the plan's grid. */
static void used_car(const struct schedule_input *in, int64_t km0, int64_t *due_km,
                     dms_day *by_time)
{
    const struct plan_intervals *p = &in->plan;
    *due_km = p->first_km;
    if (km0 >= p->first_km && p->interval_km > 0)
        *due_km = p->first_km + ((km0 - p->first_km) / p->interval_km + 1) * p->interval_km;
    if (!in->purchase_known || p->interval_months <= 0) {
        *by_time = date_add_months(in->known_date, p->interval_months);
        return;
    }
    /* The grid point after known_date: start near it from the months elapsed, then step. */
    int y0, m0, d0, y1, m1, d1;
    date_to_ymd(in->base_date, &y0, &m0, &d0);
    date_to_ymd(in->known_date, &y1, &m1, &d1);
    int elapsed = (y1 - y0) * 12 + (m1 - m0) - p->first_months;
    int k = elapsed > 0 ? elapsed / p->interval_months - 1 : 0;
    if (k < 0)
        k = 0;
    dms_day t = date_add_months(in->base_date, p->first_months + k * p->interval_months);
    while (t <= in->known_date) {
        k++;
        t = date_add_months(in->base_date, p->first_months + k * p->interval_months);
    }
    *by_time = t;
}

/* Projections further out than this are not useful and would leave the date range. */
#define PROJECTION_MAX_DAYS 36500

double schedule_daily_km(const struct reading *r, size_t n, int default_daily_km,
                         bool *used_default)
{
    *used_default = true;
    if (n < 2)
        return default_daily_km;
    const struct reading *last = &r[n - 1];
    size_t first = n - 1;
    while (first > 0 && r[first - 1].date >= last->date - SCHEDULE_WINDOW_DAYS)
        first--;
    int64_t days = last->date - r[first].date;
    if (days < SCHEDULE_MIN_SPAN_DAYS)
        return default_daily_km;
    *used_default = false;
    int64_t driven = last->km - r[first].km;
    return driven > 0 ? (double)driven / (double)days : 0.0;
}

/* Days until `remaining` km are driven at driven/days km a day, rounded up; -1 never. */
static int64_t days_to_drive(int64_t remaining, int64_t driven, int64_t days)
{
    if (driven <= 0)
        return -1;
    int64_t d = (remaining * days + driven - 1) / driven;
    return d > PROJECTION_MAX_DAYS ? -1 : d;
}

/* The span the average is taken over, as integers, so the projection is exact. */
static void window(const struct reading *r, size_t n, int64_t *driven, int64_t *days)
{
    const struct reading *last = &r[n - 1];
    size_t first = n - 1;
    while (first > 0 && r[first - 1].date >= last->date - SCHEDULE_WINDOW_DAYS)
        first--;
    *days = last->date - r[first].date;
    *driven = last->km - r[first].km;
}

struct next_service schedule_next_service(const struct schedule_input *in)
{
    struct next_service out = {0};
    const struct reading *r = in->readings;
    size_t n = in->n_readings;
    /* With no readings the car is taken to stand at 0 km on its base date. */
    struct reading base_only;
    if (n == 0) {
        if (!in->has_base)
            return out;
        base_only.date = in->base_date;
        base_only.km = 0;
        r = &base_only;
        n = 1;
    }
    out.known = true;
    const struct reading *latest = &r[n - 1];

    dms_day by_time;
    if (in->has_service) {
        out.rule = RULE_INTERVAL;
        out.due_km = in->service_km + in->plan.interval_km;
        by_time = date_add_months(in->service_date, in->plan.interval_months);
    } else {
        out.rule = RULE_FIRST;
        out.due_km = in->plan.first_km;
        by_time = date_add_months(in->has_base ? in->base_date : r[0].date, in->plan.first_months);
        int64_t km0 = in->has_known ? km_when_known(r, n, in->known_date) : 0;
        if (in->has_known && km0 >= in->plan.first_km + in->plan.interval_km) {
            out.rule = RULE_USED;
            used_car(in, km0, &out.due_km, &by_time);
        }
    }

    out.daily_km = schedule_daily_km(r, n, in->default_daily_km, &out.daily_km_default);
    int64_t ahead;
    if (latest->km >= out.due_km) {
        ahead = 0;
    } else if (out.daily_km_default) {
        ahead = days_to_drive(out.due_km - latest->km, in->default_daily_km, 1);
    } else {
        int64_t driven, days;
        window(r, n, &driven, &days);
        ahead = days_to_drive(out.due_km - latest->km, driven, days);
    }

    out.due_date = by_time;
    out.basis = BASIS_TIME;
    if (ahead >= 0 && latest->date + ahead < by_time) {
        out.due_date = (dms_day)(latest->date + ahead);
        out.basis = BASIS_MILEAGE;
    }
    return out;
}
