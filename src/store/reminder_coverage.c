/* MR-2, CS-2: the month's reminder coverage: the cars that fell due, which were messaged,
 * called, reached, booked, and the list of any that were not reminded at all. Two range
 * queries (the cars, their reminders), merged by vehicle id; the counting is core's
 * (core/reminder_coverage.c). */
#include <stdlib.h>

#include "store/internal.h"
#include "store/reminder_coverage.h"
#include "store/settings.h"
#include "store/tasks.h"

#define REMINDER_TYPES "('maintenance_message', 'maintenance_call', 'maintenance_second_call')"

struct cov_car {
    struct coverage_omission o;
    dms_day due;
};

static dms_day day_of(const char *s)
{
    dms_day d = 0;
    struct dms_error ignore;
    date_parse(s, &d, "date", &ignore);
    return d;
}

/* The car's due date in the month: its current one when it is in [from, through], else the
 * latest one its reminders named there. */
static int car_row(struct db_res *res, void *out)
{
    struct cov_car *c = out;
    memset(c, 0, sizeof *c);
    c->o.vehicle_id = db_int(res, 0);
    col_copy(c->o.due_date, sizeof c->o.due_date, res, db_is_null(res, 1) ? 2 : 1);
    col_copy(c->o.plate, sizeof c->o.plate, res, 3);
    c->o.customer_id = db_int(res, 4);
    col_copy(c->o.customer_name, sizeof c->o.customer_name, res, 5);
    c->due = day_of(c->o.due_date);
    return 0;
}

struct cov_reminder {
    int64_t vehicle_id;
    struct coverage_reminder r;
};

static int reminder_row(struct db_res *res, void *out)
{
    struct cov_reminder *c = out;
    memset(c, 0, sizeof *c);
    c->vehicle_id = db_int(res, 0);
    c->r.kind =
        strcmp(db_text(res, 1), "maintenance_message") == 0 ? COVERAGE_MESSAGE : COVERAGE_CALL;
    c->r.service_due = day_of(db_text(res, 2));
    c->r.suppressed = c->r.kind == COVERAGE_MESSAGE && strcmp(db_text(res, 3), "cancelled") == 0;
    c->r.reached = db_int(res, 4) != 0;
    c->r.booked = db_int(res, 5) != 0;
    return 0;
}

static int by_due(const void *a, const void *b)
{
    const struct coverage_omission *x = a, *y = b;
    int c = strcmp(x->due_date, y->due_date);
    return c ? c : (x->vehicle_id > y->vehicle_id) - (x->vehicle_id < y->vehicle_id);
}

int reminder_coverage_get(struct db *db, const struct actor *a, dms_day from, dms_day to,
                          struct reminder_coverage *out, struct dms_error *err)
{
    memset(out, 0, sizeof *out);
    struct store_settings st;
    if (settings_get(db, a->store_id, &st, err) < 0)
        return -1;
    int ran_today = tasks_generated(db, a, a->today, err);
    if (ran_today < 0)
        return -1;
    /* Today's message day counts once today's run is done. */
    out->through =
        reminder_coverage_through(ran_today ? a->today : a->today - 1, st.tasks.message_days);
    if (out->through > to)
        out->through = to;
    if (out->through < from)
        return 0;
    int md = st.tasks.message_days, cd = st.tasks.call_days;
    int span = md > cd ? md : cd;
    char f[DATE_STR], t[DATE_STR], lf[DATE_STR], rf[DATE_STR], rt[DATE_STR];
    date_format(from, f);
    date_format(out->through, t);
    /* A reminder is put on the list no later than its due date, and a catch-up or second
     * call no earlier than 3 windows before it: bounds on the list day (tasks_list index). */
    date_format(from - 3 * span, lf);
    date_format(from - span, rf);
    date_format(out->through + span, rt);
    struct cov_car *cars = NULL;
    size_t n_cars = 0;
    if (store_rows(db, car_row, NULL, sizeof *cars, SIZE_MAX / sizeof *cars, (void **)&cars,
                   &n_cars, err,
                   "SELECT v.id, CASE WHEN v.next_due_date >= ? AND v.next_due_date <= ? THEN "
                   "v.next_due_date END, (SELECT MAX(t.service_due_date) FROM tasks t WHERE "
                   "t.vehicle_id = v.id AND t.type IN " REMINDER_TYPES " AND "
                   "t.service_due_date >= ? AND t.service_due_date <= ?), v.plate, "
                   "v.customer_id, c.name FROM vehicles v JOIN customers c ON c.id = "
                   "v.customer_id WHERE v.store_id = ? AND v.id IN (SELECT id FROM vehicles WHERE "
                   "store_id = ? AND next_due_date >= ? AND next_due_date <= ? UNION SELECT "
                   "vehicle_id FROM tasks WHERE store_id = ? AND due_date >= ? AND due_date <= ? "
                   "AND type IN " REMINDER_TYPES " AND service_due_date >= ? AND "
                   "service_due_date <= ?) ORDER BY v.id",
                   "ssssiississss", f, t, f, t, a->store_id, a->store_id, f, t, a->store_id, lf, t,
                   f, t) < 0)
        return -1;
    struct cov_reminder *rem = NULL;
    size_t n_rem = 0;
    if (n_cars &&
        store_rows(db, reminder_row, NULL, sizeof *rem, SIZE_MAX / sizeof *rem, (void **)&rem,
                   &n_rem, err,
                   "SELECT vehicle_id, type, service_due_date, status, reached, booked FROM "
                   "tasks WHERE store_id = ? AND due_date >= ? AND due_date <= ? AND type "
                   "IN " REMINDER_TYPES
                   " AND service_due_date >= ? AND service_due_date <= ? ORDER BY vehicle_id",
                   "issss", a->store_id, lf, rt, rf, rt) < 0) {
        free(cars);
        return -1;
    }
    struct coverage_omission *list = NULL;
    size_t n_list = 0, at = 0;
    int rc = 0;
    for (size_t i = 0; i < n_cars; i++) {
        while (at < n_rem && rem[at].vehicle_id < cars[i].o.vehicle_id)
            at++;
        size_t end = at;
        while (end < n_rem && rem[end].vehicle_id == cars[i].o.vehicle_id)
            end++;
        /* The reminders of this car, contiguous: copy out their core parts. */
        struct coverage_reminder mine[32];
        size_t k = 0;
        for (size_t j = at; j < end && k < sizeof mine / sizeof mine[0]; j++)
            mine[k++] = rem[j].r;
        struct coverage_of_car c = reminder_coverage_of(cars[i].due, mine, k, md, cd);
        out->due++;
        out->messaged += c.messaged;
        out->suppressed += c.suppressed;
        out->called += c.called;
        out->reached += c.reached;
        out->booked += c.booked;
        if (!c.omitted)
            continue;
        out->omitted++;
        if (n_list % 64 == 0) {
            struct coverage_omission *g = realloc(list, (n_list + 64) * sizeof *g);
            if (!g) {
                rc = dms_fail(err, "db_error", NULL, "out of memory");
                break;
            }
            list = g;
        }
        list[n_list++] = cars[i].o;
    }
    free(cars);
    free(rem);
    if (rc < 0) {
        free(list);
        return -1;
    }
    if (n_list)
        qsort(list, n_list, sizeof *list, by_due);
    out->omissions = list;
    out->n_omissions = n_list < COVERAGE_LIST_MAX ? n_list : COVERAGE_LIST_MAX;
    return 0;
}

void reminder_coverage_clear(struct reminder_coverage *c)
{
    free(c->omissions);
    memset(c, 0, sizeof *c);
}
