/* RPT-2: every call list's daily counts and monthly summary. A task counts in the period of
 * its list day (due_date). */
#include <stdlib.h>

#include "core/text.h"
#include "store/internal.h"

static void add(struct call_counts *to, const struct call_counts *c)
{
    to->created += c->created;
    to->done += c->done;
    to->reached += c->reached;
    to->booked += c->booked;
    to->expired += c->expired;
    to->open += c->open;
    to->cancelled += c->cancelled;
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
