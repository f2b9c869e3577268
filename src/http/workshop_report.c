/* /api/v1/reports/workshop (RO-8): the workshop's day or month for the store of the signed-in
 * user: orders by source and kind, booking share, waits, hours sold and clocked, comebacks,
 * cancellations, deliveries on time and revenue per payer, with the month's days. Translates
 * only: the counts come from store/workshop_report.c, the figures from
 * core/workshop_report.c. */
#include "core/workshop_report.h"
#include "http/http.h"
#include "store/workshop_report.h"

/* A figure in tenths (core) as a number with one decimal; null when there is none. */
static json_t *tenths(int64_t v)
{
    return v < 0 ? json_null() : json_real((double)v / 10.0);
}

static json_t *by_payer(const int64_t fen[PAYER_COUNT])
{
    json_t *o = json_object();
    for (int p = 0; p < PAYER_COUNT; p++)
        json_object_set_new(o, PAYER_NAMES[p], json_integer(fen[p]));
    return o;
}

static json_t *view_counts(const struct workshop_counts *c)
{
    struct workshop_figures f;
    workshop_figures_of(c, &f);
    json_t *kinds = json_object();
    for (int k = 0; k < SERVICE_KIND_COUNT; k++)
        json_object_set_new(kinds, SERVICE_KIND_NAMES[k], json_integer(c->by_kind[k]));
    json_t *wait =
        json_pack("{s:o, s:o}", "booked", tenths(f.avg_wait_tenths[RO_SOURCE_APPOINTMENT]),
                  "walk_in", tenths(f.avg_wait_tenths[RO_SOURCE_WALK_IN]));
    json_t *revenue = json_pack(
        "{s:o, s:o, s:I, s:I, s:I, s:I}", "labour", by_payer(c->revenue_fen[RO_LINE_LABOUR]),
        "parts", by_payer(c->revenue_fen[RO_LINE_PART]), "labour_fen", (json_int_t)f.labour_fen,
        "parts_fen", (json_int_t)f.parts_fen, "total_fen", (json_int_t)f.revenue_fen,
        "discount_fen", (json_int_t)c->discount_fen);
    return json_pack(
        "{s:I, s:I, s:I, s:o, s:o, s:I, s:o, s:o, s:o, s:I, s:o, s:I, s:o, s:I, s:I, s:I, s:o, "
        "s:o}",
        "repair_orders", (json_int_t)c->orders, "booked",
        (json_int_t)c->by_source[RO_SOURCE_APPOINTMENT], "walk_in",
        (json_int_t)c->by_source[RO_SOURCE_WALK_IN], "booking_share_pct",
        tenths(f.booking_share_tenths), "by_kind", kinds, "cancelled", (json_int_t)c->cancelled,
        "avg_wait_min", wait, "hours_sold", hours_value(c->sold_x100), "hours_clocked",
        hours_value(f.hours_clocked_x100), "clocked_min", (json_int_t)c->clocked_min,
        "efficiency_pct", tenths(f.efficiency_tenths), "comebacks", (json_int_t)c->comebacks,
        "comeback_pct", tenths(f.comeback_tenths), "delivered", (json_int_t)c->delivered, "on_time",
        (json_int_t)c->on_time, "late", (json_int_t)c->late, "on_time_pct",
        tenths(f.on_time_tenths), "revenue", revenue);
}

int h_reports_workshop(struct req *r)
{
    /* RO-8: the service manager and the admin read reports, advisors their workshop's; the
     * caller's report permission is for the call lists' figures (RPT-2), not this one. */
    enum role role = r->actor.role;
    if (!role_can(role, PERM_REPAIR_ORDER) &&
        !(role_can(role, PERM_REPORT_READ) && role != ROLE_CALLER))
        return req_fail(r, "forbidden", NULL, "your role (%s) does not read the workshop report",
                        role_name(role));
    dms_day from = 0, to = 0;
    bool month = false;
    if (report_period(r, &from, &to, &month) < 0)
        return -1;
    struct workshop_report rep;
    if (workshop_report_get(r->db, &r->actor, from, to, &rep, &r->err) < 0)
        return -1;
    char f[DATE_STR], t[DATE_STR];
    date_format(from, f);
    date_format(to, t);
    json_t *o = view_counts(&rep.total);
    json_object_set_new(o, "from", json_string(f));
    json_object_set_new(o, "to", json_string(t));
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
    workshop_report_clear(&rep);
    return reply(r, 200, o);
}
