/* /api/v1/reports/reminder-coverage?month=YYYY-MM (MR-2, CS-2): the month's cars that fell
 * due, how many were messaged, called, reached and booked, and the list of any that were not
 * reminded at all (it should be empty). Translates only: store/reminder_coverage.c. */
#include "http/http.h"
#include "store/reminder_coverage.h"

int h_reports_reminder_coverage(struct req *r)
{
    const char *m = req_query(r, "month");
    if (!m)
        return req_fail(r, "missing_field", "month", "月份必填 / give month=YYYY-MM");
    dms_day from = 0, to = 0;
    if (date_parse_month(m, &from, &to, "month", &r->err) < 0)
        return -1;
    struct reminder_coverage c;
    if (reminder_coverage_get(r->db, &r->actor, from, to, &c, &r->err) < 0)
        return -1;
    json_t *list = json_array();
    for (size_t i = 0; i < c.n_omissions; i++) {
        const struct coverage_omission *o = &c.omissions[i];
        json_array_append_new(list,
                              json_pack("{s:I, s:o, s:I, s:o, s:s}", "vehicle_id",
                                        (json_int_t)o->vehicle_id, "plate", jstr_or_null(o->plate),
                                        "customer_id", (json_int_t)o->customer_id, "customer_name",
                                        masked_name(r, o->customer_name), "due_date", o->due_date));
    }
    char f[DATE_STR], t[DATE_STR], th[DATE_STR];
    date_format(from, f);
    date_format(to, t);
    date_format(c.through, th);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "month",
                          m, "from", f, "to", t, "through", th, "due", (json_int_t)c.due,
                          "messaged", (json_int_t)c.messaged, "message_suppressed",
                          (json_int_t)c.suppressed, "called", (json_int_t)c.called, "reached",
                          (json_int_t)c.reached, "booked", (json_int_t)c.booked, "not_reminded",
                          (json_int_t)c.omitted, "cars_not_reminded", list);
    reminder_coverage_clear(&c);
    return reply(r, 200, o);
}
