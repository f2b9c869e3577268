/* /api/v1/calendar: the store's opening hours and dated exceptions (IN-6, IN-13), and the
 * open intervals of each day of a period as slots will use them. */
#include <stdlib.h>
#include <string.h>

#include "core/outbox.h"
#include "http/http.h"

#define CALENDAR_MAX_DAYS 366

static json_t *view_hours(int weekday, const struct day_hours *d)
{
    char o[8], c[8], bf[8], bu[8];
    hhmm_format(d->open_min, o), hhmm_format(d->close_min, c);
    hhmm_format(d->break_from, bf), hhmm_format(d->break_until, bu);
    bool has_break = d->open && !(d->break_from == 0 && d->break_until == 0);
    return json_pack("{s:i, s:b, s:o, s:o, s:o, s:o}", "weekday", weekday + 1, "open", d->open,
                     "opens", d->open ? json_string(o) : json_null(), "closes",
                     d->open ? json_string(c) : json_null(), "break_from",
                     has_break ? json_string(bf) : json_null(), "break_until",
                     has_break ? json_string(bu) : json_null());
}

static json_t *view_week(const struct week_hours *w)
{
    json_t *a = json_array();
    for (int i = 0; i < 7; i++)
        json_array_append_new(a, view_hours(i, &w->day[i]));
    return a;
}

int h_calendar_get(struct req *r)
{
    dms_day from, to;
    if (req_query_date(r, "from", &from) < 0 || req_query_date(r, "to", &to) < 0)
        return -1;
    if (!from)
        from = r->actor.today;
    if (!to)
        to = from + 13;
    if (to < from || to - from >= CALENDAR_MAX_DAYS)
        return req_fail(r, "invalid_field", "to", "to is on or after from, at most %d days on",
                        CALENDAR_MAX_DAYS - 1);
    struct week_hours w;
    struct calendar_day *ex;
    size_t n;
    if (calendar_week_get(r->db, r->actor.store_id, &w, &r->err) < 0 ||
        calendar_days_list(r->db, r->actor.store_id, from, to, &ex, &n, &r->err) < 0)
        return -1;
    json_t *exceptions = json_array(), *days = json_array();
    size_t k = 0;
    for (dms_day d = from; d <= to; d++) {
        char date[DATE_STR];
        date_format(d, date);
        const struct calendar_day *e = k < n && strcmp(ex[k].date, date) == 0 ? &ex[k++] : NULL;
        struct day_hours h = calendar_hours_on(&w, d, e ? e->kind : CAL_NONE);
        int iv[2][2];
        int m = calendar_intervals(&h, iv);
        json_t *intervals = json_array();
        for (int i = 0; i < m; i++) {
            char a[8], b[8];
            hhmm_format(iv[i][0], a), hhmm_format(iv[i][1], b);
            json_array_append_new(intervals, json_pack("[s, s]", a, b));
        }
        json_array_append_new(
            days, json_pack("{s:s, s:b, s:o, s:o, s:o}", "date", date, "open", h.open, "intervals",
                            intervals, "exception",
                            e ? json_string(CALENDAR_EXCEPTION_NAMES[e->kind]) : json_null(),
                            "name", e ? jstr_or_null(e->name) : json_null()));
        if (e)
            json_array_append_new(exceptions, json_pack("{s:s, s:s, s:o}", "date", e->date, "kind",
                                                        CALENDAR_EXCEPTION_NAMES[e->kind], "name",
                                                        jstr_or_null(e->name)));
    }
    free(ex);
    return reply(r, 200,
                 json_pack("{s:o, s:o, s:o}", "hours", view_week(&w), "exceptions", exceptions,
                           "days", days));
}

static int parse_time(struct req *r, json_t *o, const char *key, bool required, int *out,
                      const char *prefix)
{
    const char *s;
    int rc = jin_string(o, key, required, &s, &r->err);
    if (rc < 0)
        return jin_prefix_field(&r->err, prefix);
    if (rc == JIN_VALUE && outbox_parse_hhmm(s, out, key, &r->err) < 0)
        return jin_prefix_field(&r->err, prefix);
    return rc;
}

int h_calendar_hours_put(struct req *r)
{
    static const char *const fields[] = {"hours", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    json_t *a = json_object_get(r->body, "hours");
    if (!json_is_array(a) || json_array_size(a) != 7)
        return req_fail(r, "invalid_field", "hours",
                        "hours is a list of the 7 weekdays, Monday (1) to Sunday (7)");
    struct week_hours w = {0};
    bool seen[7] = {false};
    size_t i;
    json_t *it;
    json_array_foreach(a, i, it)
    {
        static const char *const keys[] = {"weekday",    "open",        "opens", "closes",
                                           "break_from", "break_until", NULL};
        char prefix[40];
        snprintf(prefix, sizeof prefix, "hours[%zu].", i);
        if (!json_is_object(it))
            return req_fail(r, "invalid_field", "hours", "each weekday is an object");
        int64_t wd;
        bool open;
        if (jin_only(it, keys, NULL, &r->err) < 0 ||
            jin_int(it, "weekday", true, 1, 7, &wd, &r->err) < 0 ||
            jin_bool(it, "open", true, &open, &r->err) < 0)
            return jin_prefix_field(&r->err, prefix);
        if (seen[wd - 1])
            return req_fail(r, "invalid_field", "hours", "weekday %d is given twice", (int)wd);
        seen[wd - 1] = true;
        struct day_hours d = {.open = open};
        int b1 = 0, b2 = 0;
        if (open && (parse_time(r, it, "opens", true, &d.open_min, prefix) < 0 ||
                     parse_time(r, it, "closes", true, &d.close_min, prefix) < 0 ||
                     (b1 = parse_time(r, it, "break_from", false, &d.break_from, prefix)) < 0 ||
                     (b2 = parse_time(r, it, "break_until", false, &d.break_until, prefix)) < 0))
            return -1;
        if ((b1 == JIN_VALUE) != (b2 == JIN_VALUE))
            return req_fail(r, "invalid_field", "hours", "a break has a start and an end");
        char field[40];
        snprintf(field, sizeof field, "hours[%zu]", i);
        if (calendar_check_day(&d, field, &r->err) < 0)
            return -1;
        w.day[wd - 1] = d;
    }
    if (calendar_week_put(r->db, &r->actor, &w, &r->err) < 0)
        return -1;
    return reply(r, 200, json_pack("{s:o}", "hours", view_week(&w)));
}

int h_calendar_days_put(struct req *r)
{
    static const char *const fields[] = {"date", "kind", "name", NULL};
    static const char *const KINDS[] = {"normal", "closed", "open"};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct calendar_day d = {0};
    dms_day day;
    int kind;
    if (jin_date(r->body, "date", true, d.date, &day, &r->err) < 0 ||
        jin_enum(r->body, "kind", true, KINDS, 3, &kind, &r->err) < 0 ||
        jin_text(r->body, "name", false, CALENDAR_NAME_CHARS, false, d.name, sizeof d.name,
                 &r->err) < 0)
        return -1;
    d.kind = (enum calendar_exception)kind; /* normal = CAL_NONE: the exception goes */
    bool changed;
    if (calendar_day_set(r->db, &r->actor, &d, &changed, &r->err) < 0)
        return -1;
    return reply(r, 200,
                 json_pack("{s:s, s:s, s:o, s:b}", "date", d.date, "kind", KINDS[kind], "name",
                           jstr_or_null(d.name), "changed", changed));
}
