/* The store's calendar (IN-6, IN-13): the week's opening hours, the time zone they are in,
 * and the dated exceptions (holidays, make-up working days). The rules of a day are
 * core/calendar.c. */
#include <ctype.h>
#include <stdlib.h>

#include "core/calendar.h"
#include "store/calendar.h"
#include "store/internal.h"
#include "store/stores.h"
#include "store/zones.h"

int calendar_week_get(struct db *db, int64_t store_id, struct week_hours *out,
                      struct dms_error *err)
{
    calendar_default_week(out);
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT weekday, open, open_min, close_min, break_from, break_until FROM "
                      "store_hours WHERE store_id = ?",
                      "i", store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    while ((rc = db_step(res)) > 0) {
        int64_t wd = db_int(res, 0);
        if (wd < 0 || wd > 6)
            continue;
        out->day[wd] =
            (struct day_hours){db_int(res, 1) != 0, (int)db_int(res, 2), (int)db_int(res, 3),
                               (int)db_int(res, 4), (int)db_int(res, 5)};
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

static void day_text(const struct day_hours *d, char out[48])
{
    if (!d->open) {
        snprintf(out, 48, "closed");
        return;
    }
    char a[8], b[8], c[8], e[8];
    hhmm_format(d->open_min, a), hhmm_format(d->close_min, b), hhmm_format(d->break_from, c),
        hhmm_format(d->break_until, e);
    if (d->break_from == 0 && d->break_until == 0)
        snprintf(out, 48, "%s-%s", a, b);
    else
        snprintf(out, 48, "%s-%s break %s-%s", a, b, c, e);
}

int calendar_week_update(struct db *db, const struct actor *a, store_edit edit, void *ctx,
                         struct week_hours *w, struct dms_error *err)
{
    struct week_hours prev;
    if (store_lock_store(db, a->store_id, err) < 0 ||
        calendar_week_get(db, a->store_id, &prev, err) < 0)
        return -1;
    *w = prev;
    if (edit(ctx, w, err) < 0)
        return -1;
    json_t *ch = json_object();
    int rc = 0;
    for (int i = 0; rc >= 0 && i < 7; i++) {
        const struct day_hours *d = &w->day[i];
        rc = db_exec(db,
                     "INSERT INTO store_hours (store_id, weekday, open, open_min, close_min, "
                     "break_from, break_until) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
                     "(store_id, weekday) DO UPDATE SET open = excluded.open, open_min = "
                     "excluded.open_min, close_min = excluded.close_min, break_from = "
                     "excluded.break_from, break_until = excluded.break_until",
                     "iibiiii", a->store_id, (int64_t)i, d->open, (int64_t)d->open_min,
                     (int64_t)d->close_min, (int64_t)d->break_from, (int64_t)d->break_until);
        char before[48], after[48];
        day_text(&prev.day[i], before);
        day_text(d, after);
        audit_text(ch, CALENDAR_DAY_NAMES[i], before, after);
    }
    if (rc < 0) {
        json_decref(ch);
        return store_db_fail(db, rc, err);
    }
    rc = audit_write(db, a, "update", "store_hours", a->store_id, ch, err);
    json_decref(ch);
    return rc;
}

int calendar_timezone_set(struct db *db, const struct actor *a, const char *timezone,
                          struct dms_error *err)
{
    if (!zones_known(timezone))
        return dms_fail(err, "invalid_field", "timezone",
                        "not a time zone of the tz database (e.g. Asia/Shanghai)");
    struct store_info prev;
    if (store_lock_store(db, a->store_id, err) < 0 || stores_get(db, a->store_id, &prev, err) < 0)
        return -1;
    if (strcmp(prev.timezone, timezone) == 0)
        return 0;
    int rc =
        db_exec(db, "UPDATE stores SET timezone = ? WHERE id = ?", "si", timezone, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = json_object();
    audit_text(ch, "timezone", prev.timezone, timezone);
    rc = audit_write(db, a, "update", "store", a->store_id, ch, err);
    json_decref(ch);
    return rc;
}

static int day_row(struct db_res *res, void *out)
{
    struct calendar_day *d = out;
    memset(d, 0, sizeof *d);
    col_copy(d->date, sizeof d->date, res, 0);
    d->kind = strcmp(db_text(res, 1), "open") == 0 ? CAL_OPEN : CAL_CLOSED;
    col_copy(d->name, sizeof d->name, res, 2);
    return 0;
}

int calendar_days_list(struct db *db, int64_t store_id, dms_day from, dms_day to,
                       struct calendar_day **out, size_t *n, struct dms_error *err)
{
    char f[DATE_STR], t[DATE_STR];
    date_format(from, f);
    date_format(to, t);
    return store_rows(db, day_row, NULL, sizeof **out, 1000, (void **)out, n, err,
                      "SELECT date, kind, name FROM calendar_days WHERE store_id = ? AND "
                      "date >= ? AND date <= ? ORDER BY date",
                      "iss", store_id, f, t);
}

int calendar_hours_range(struct db *db, int64_t store_id, dms_day from, dms_day to,
                         struct day_hours *hours, enum calendar_exception *kinds,
                         struct dms_error *err)
{
    struct week_hours week;
    struct calendar_day *ex = NULL;
    size_t n_ex = 0, k = 0;
    if (calendar_week_get(db, store_id, &week, err) < 0 ||
        calendar_days_list(db, store_id, from, to, &ex, &n_ex, err) < 0)
        return -1;
    for (dms_day d = from; d <= to; d++) {
        char date[DATE_STR];
        date_format(d, date);
        enum calendar_exception e = CAL_NONE;
        if (k < n_ex && strcmp(ex[k].date, date) == 0)
            e = ex[k++].kind;
        hours[d - from] = calendar_hours_on(&week, d, e);
        if (kinds)
            kinds[d - from] = e;
    }
    free(ex);
    return 0;
}

int calendar_day_set(struct db *db, const struct actor *a, const struct calendar_day *d,
                     bool *changed, struct dms_error *err)
{
    struct calendar_day prev = {0};
    int found = store_one(db, day_row, &prev, err,
                          "SELECT date, kind, name FROM calendar_days WHERE store_id = ? AND "
                          "date = ?",
                          "is", a->store_id, d->date);
    if (found < 0)
        return -1;
    enum calendar_exception was = found ? prev.kind : CAL_NONE;
    *changed = was != d->kind || (d->kind != CAL_NONE && strcmp(prev.name, d->name) != 0);
    if (!*changed)
        return 0;
    int rc =
        d->kind == CAL_NONE
            ? db_exec(db, "DELETE FROM calendar_days WHERE store_id = ? AND date = ?", "is",
                      a->store_id, d->date)
            : db_exec(db,
                      "INSERT INTO calendar_days (store_id, date, kind, name) VALUES (?, ?, "
                      "?, ?) ON CONFLICT (store_id, date) DO UPDATE SET kind = excluded.kind, "
                      "name = excluded.name",
                      "isst", a->store_id, d->date, CALENDAR_EXCEPTION_NAMES[d->kind], d->name);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = json_object();
    audit_text(ch, "date", NULL, d->date);
    audit_text(ch, "kind", CALENDAR_EXCEPTION_NAMES[was], CALENDAR_EXCEPTION_NAMES[d->kind]);
    audit_text(ch, "name", found ? prev.name : NULL, d->name);
    rc = audit_write(db, a, "update", "calendar_day", 0, ch, err);
    json_decref(ch);
    return rc;
}
