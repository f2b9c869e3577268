/* MR-1: keeps every vehicle's next service (due date, due km, basis) current. The same
 * batch code serves one vehicle (after a reading, a repair order or an edit, in that
 * write's transaction) and a whole store (after a plan or setting change, and for
 * `dms schedule recompute`): a batch of vehicles is read with three range queries, computed
 * in core/schedule.c and written back only where something moved. */
#include <stdlib.h>

#include "core/schedule.h"
#include "core/service_record.h"
#include "core/strbuf.h"
#include "core/vehicle.h"
#include "store/internal.h"
#include "store/plans.h"
#include "store/settings.h"
#include "store/vehicles.h"

#define BATCH 2000

struct sched_vehicle {
    int64_t id;
    char brand[VEHICLE_TEXT_CHARS * 4 + 1], model[VEHICLE_TEXT_CHARS * 4 + 1];
    char purchase_date[DATE_STR], created_day[DATE_STR];
    /* Stored values, to write only what changed. */
    int64_t plan_id, due_km, service_km;
    char due_date[DATE_STR], basis[8], rule[16], service_date[DATE_STR], visit_date[DATE_STR];
    /* Gathered. */
    size_t first_reading, n_readings;
    bool has_service;
    dms_day service_day;
    int64_t new_service_km;
    dms_day visit_day;
    bool has_visit;
};

static int vehicle_row(struct db_res *res, void *out)
{
    struct sched_vehicle *v = out;
    memset(v, 0, sizeof *v);
    v->id = db_int(res, 0);
    col_copy(v->brand, sizeof v->brand, res, 1);
    col_copy(v->model, sizeof v->model, res, 2);
    col_copy(v->purchase_date, sizeof v->purchase_date, res, 3);
    col_copy(v->created_day, sizeof v->created_day, res, 4); /* known_since, store-local */
    v->plan_id = db_int(res, 5);
    col_copy(v->due_date, sizeof v->due_date, res, 6);
    v->due_km = db_int(res, 7);
    col_copy(v->basis, sizeof v->basis, res, 8);
    col_copy(v->service_date, sizeof v->service_date, res, 9);
    v->service_km = db_int(res, 10);
    col_copy(v->visit_date, sizeof v->visit_date, res, 11);
    col_copy(v->rule, sizeof v->rule, res, 12);
    return 0;
}

static dms_day day_of(const char *s)
{
    dms_day d = 0;
    struct dms_error ignore;
    date_parse(s, &d, "date", &ignore);
    return d;
}

/* Finds the vehicle of id in the batch (ids ascending); the cursor only moves forward. */
static struct sched_vehicle *seek(struct sched_vehicle *v, size_t n, size_t *at, int64_t id)
{
    while (*at < n && v[*at].id < id)
        (*at)++;
    return *at < n && v[*at].id == id ? &v[*at] : NULL;
}

struct reading_buf {
    struct reading *r;
    size_t n, cap;
};

static int push(struct reading_buf *b, dms_day date, int64_t km)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        struct reading *g = realloc(b->r, cap * sizeof *g);
        if (!g)
            return -1;
        b->r = g, b->cap = cap;
    }
    b->r[b->n].date = date;
    b->r[b->n].km = km;
    b->n++;
    return 0;
}

/* Readings of the batch's vehicles, grouped by vehicle in date order. A purchase date
 * without a reading on or before it counts as one at 0 km (MR-1). */
static int gather_readings(struct db *db, const struct actor *a, struct sched_vehicle *v, size_t n,
                           struct reading_buf *b, struct dms_error *err)
{
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT vehicle_id, date, km FROM mileage_readings WHERE store_id = ? AND "
                      "vehicle_id >= ? AND vehicle_id <= ? ORDER BY vehicle_id, date, id",
                      "iii", a->store_id, v[0].id, v[n - 1].id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    size_t at = 0;
    struct sched_vehicle *cur = NULL;
    bool oom = false;
    while ((rc = db_step(res)) > 0) {
        int64_t vid = db_int(res, 0);
        dms_day d = day_of(db_text(res, 1));
        int64_t km = db_int(res, 2);
        if (!cur || cur->id != vid) {
            cur = seek(v, n, &at, vid);
            if (!cur)
                continue;
            cur->first_reading = b->n;
            if (cur->purchase_date[0] && day_of(cur->purchase_date) < d &&
                push(b, day_of(cur->purchase_date), 0) < 0) {
                oom = true;
                break;
            }
        }
        if (push(b, d, km) < 0) {
            oom = true;
            break;
        }
        cur->n_readings = b->n - cur->first_reading;
    }
    db_done(res);
    if (oom)
        return dms_fail(err, "db_error", NULL, "out of memory");
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* The last periodic maintenance and the last visit of any kind. */
static int gather_services(struct db *db, const struct actor *a, struct sched_vehicle *v, size_t n,
                           struct dms_error *err)
{
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT vehicle_id, date_in, mileage_km, kind FROM service_records WHERE "
                      "store_id = ? AND vehicle_id >= ? AND vehicle_id <= ? "
                      "ORDER BY vehicle_id, date_in, id",
                      "iii", a->store_id, v[0].id, v[n - 1].id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    size_t at = 0;
    while ((rc = db_step(res)) > 0) {
        struct sched_vehicle *cur = seek(v, n, &at, db_int(res, 0));
        if (!cur)
            continue;
        dms_day d = day_of(db_text(res, 1));
        cur->has_visit = true;
        cur->visit_day = d;
        if (strcmp(db_text(res, 3), SERVICE_KIND_NAMES[SERVICE_MAINTENANCE]) == 0) {
            cur->has_service = true;
            cur->service_day = d;
            cur->new_service_km = db_int(res, 2);
        }
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

static void fmt_or_empty(bool has, dms_day d, char out[DATE_STR])
{
    if (has)
        date_format(d, out);
    else
        out[0] = '\0';
}

/* The new values of the vehicles whose schedule moved, written per batch: row by row on
 * SQLite (in-process, cheap), and as one UPDATE ... FROM unnest(arrays) on PostgreSQL, where
 * a statement per vehicle would be a network round trip per vehicle. The values are digits,
 * dates and the basis names, so the array literals need no quoting. */
enum { W_ID, W_PLAN, W_DUE, W_DUE_KM, W_BASIS, W_SVC, W_SVC_KM, W_VISIT, W_RULE, W_COLS };

struct writes {
    struct strbuf col[W_COLS];
    size_t n;
};

static void put_int(struct strbuf *b, int64_t v, bool null)
{
    char t[24];
    snprintf(t, sizeof t, "%lld", (long long)v);
    strbuf_str(b, b->len ? "," : "{");
    strbuf_str(b, null ? "NULL" : t);
}

static void put_text(struct strbuf *b, const char *v)
{
    strbuf_str(b, b->len ? "," : "{");
    strbuf_str(b, *v ? v : "NULL");
}

static void writes_clear(struct writes *w)
{
    for (int c = 0; c < W_COLS; c++)
        free(w->col[c].p);
    memset(w, 0, sizeof *w);
}

static int flush(struct db *db, const struct actor *a, struct writes *w, struct dms_error *err)
{
    if (w->n == 0)
        return 0;
    bool oom = false;
    for (int c = 0; c < W_COLS; c++) {
        strbuf_str(&w->col[c], "}");
        oom = oom || w->col[c].oom;
    }
    if (oom) {
        writes_clear(w);
        return dms_fail(err, "db_error", NULL, "out of memory");
    }
    int rc = db_exec(db,
                     "UPDATE vehicles SET plan_id = u.plan_id, next_due_date = u.due, "
                     "next_due_km = u.due_km, next_basis = u.basis, last_service_date = u.svc, "
                     "last_service_km = u.svc_km, last_visit_date = u.visit, next_rule = u.rule "
                     "FROM unnest(CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]), "
                     "CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), "
                     "CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[])) AS u(id, "
                     "plan_id, due, due_km, basis, svc, svc_km, visit, rule) WHERE "
                     "vehicles.id = u.id AND vehicles.store_id = ?",
                     "sssssssssi", w->col[W_ID].p, w->col[W_PLAN].p, w->col[W_DUE].p,
                     w->col[W_DUE_KM].p, w->col[W_BASIS].p, w->col[W_SVC].p, w->col[W_SVC_KM].p,
                     w->col[W_VISIT].p, w->col[W_RULE].p, a->store_id);
    writes_clear(w);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

static int write_one(struct db *db, const struct actor *a, const struct sched_vehicle *v,
                     int64_t plan_id, const struct next_service *ns, struct writes *w,
                     int64_t *changed, struct dms_error *err)
{
    char due[DATE_STR], svc[DATE_STR], visit[DATE_STR];
    fmt_or_empty(ns->known, ns->due_date, due);
    fmt_or_empty(v->has_service, v->service_day, svc);
    fmt_or_empty(v->has_visit, v->visit_day, visit);
    const char *basis = ns->known ? SCHEDULE_BASIS_NAMES[ns->basis] : "";
    const char *rule = ns->known ? SCHEDULE_RULE_NAMES[ns->rule] : "";
    int64_t due_km = ns->known ? ns->due_km : 0;
    int64_t svc_km = v->has_service ? v->new_service_km : 0;
    if (plan_id == v->plan_id && strcmp(due, v->due_date) == 0 && due_km == v->due_km &&
        strcmp(basis, v->basis) == 0 && strcmp(rule, v->rule) == 0 &&
        strcmp(svc, v->service_date) == 0 && svc_km == v->service_km &&
        strcmp(visit, v->visit_date) == 0)
        return 0;
    (*changed)++;
    if (db_kind(db) == DB_POSTGRES) {
        put_int(&w->col[W_ID], v->id, false);
        put_int(&w->col[W_PLAN], plan_id, plan_id == 0);
        put_text(&w->col[W_DUE], due);
        put_int(&w->col[W_DUE_KM], due_km, !ns->known);
        put_text(&w->col[W_BASIS], basis);
        put_text(&w->col[W_SVC], svc);
        put_int(&w->col[W_SVC_KM], svc_km, !v->has_service);
        put_text(&w->col[W_VISIT], visit);
        put_text(&w->col[W_RULE], rule);
        w->n++;
        return 0;
    }
    int rc = db_exec(db,
                     "UPDATE vehicles SET plan_id = ?, next_due_date = ?, next_due_km = ?, "
                     "next_basis = ?, last_service_date = ?, last_service_km = ?, "
                     "last_visit_date = ?, next_rule = ? WHERE id = ? AND store_id = ?",
                     "ItIttIttii", plan_id, due, due_km, basis, svc, svc_km, visit, rule, v->id,
                     a->store_id);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

int schedule_recompute(struct db *db, const struct actor *a, int64_t from_id, int64_t to_id,
                       int64_t *changed, struct dms_error *err)
{
    struct store_settings st;
    if (settings_get(db, a->store_id, &st, err) < 0)
        return -1;
    struct plan_key *plans = NULL;
    size_t n_plans = 0;
    if (plan_keys(db, a->store_id, &plans, &n_plans, err) < 0)
        return -1;
    struct plan_key builtin = {.iv = {.interval_km = PLAN_DEFAULT_INTERVAL_KM,
                                      .interval_months = PLAN_DEFAULT_INTERVAL_MONTHS,
                                      .first_km = PLAN_DEFAULT_FIRST_KM,
                                      .first_months = PLAN_DEFAULT_FIRST_MONTHS}};
    int64_t moved = 0;
    int64_t after = from_id - 1;
    struct reading_buf buf = {0};
    struct writes w = {0};
    int rc = 0;
    for (;;) {
        struct sched_vehicle *v = NULL;
        size_t n = 0;
        rc = store_rows(db, vehicle_row, NULL, sizeof *v, BATCH, (void **)&v, &n, err,
                        "SELECT id, brand, model, purchase_date, known_since, plan_id, "
                        "next_due_date, next_due_km, next_basis, last_service_date, "
                        "last_service_km, last_visit_date, next_rule FROM vehicles WHERE "
                        "store_id = ? AND "
                        "id > ? AND id <= ? ORDER BY id LIMIT ?",
                        "iiii", a->store_id, after, to_id, (int64_t)BATCH);
        if (rc < 0 || n == 0) {
            free(v);
            break;
        }
        buf.n = 0;
        rc = gather_readings(db, a, v, n, &buf, err);
        if (rc == 0)
            rc = gather_services(db, a, v, n, err);
        for (size_t i = 0; rc == 0 && i < n; i++) {
            const struct plan_key *p = plan_pick(plans, n_plans, v[i].brand, v[i].model);
            if (!p)
                p = &builtin;
            struct schedule_input in = {
                .plan = p->iv,
                .has_service = v[i].has_service,
                .service_date = v[i].service_day,
                .service_km = v[i].new_service_km,
                .has_base = true,
                .base_date = v[i].purchase_date[0] ? day_of(v[i].purchase_date)
                             : v[i].n_readings     ? buf.r[v[i].first_reading].date
                                                   : day_of(v[i].created_day),
                .readings = v[i].n_readings ? &buf.r[v[i].first_reading] : NULL,
                .n_readings = v[i].n_readings,
                .default_daily_km = st.default_daily_km,
                .has_known = v[i].created_day[0] != '\0',
                .purchase_known = v[i].purchase_date[0] != '\0',
                .known_date = day_of(v[i].created_day),
            };
            struct next_service ns = schedule_next_service(&in);
            rc = write_one(db, a, &v[i], p->id, &ns, &w, &moved, err);
        }
        if (rc == 0)
            rc = flush(db, a, &w, err);
        writes_clear(&w);
        after = v[n - 1].id;
        free(v);
        if (rc < 0 || n < BATCH)
            break;
    }
    free(buf.r);
    free(plans);
    if (changed)
        *changed = moved;
    return rc < 0 ? -1 : 0;
}

static int schedule_row(struct db_res *res, void *out)
{
    struct vehicle_schedule *s = out;
    memset(s, 0, sizeof *s);
    s->known = !db_is_null(res, 0);
    col_copy(s->due_date, sizeof s->due_date, res, 0);
    s->due_km = db_int(res, 1);
    s->basis = strcmp(db_text(res, 2), "mileage") == 0 ? BASIS_MILEAGE : BASIS_TIME;
    s->plan_id = db_int(res, 3);
    col_copy(s->last_service_date, sizeof s->last_service_date, res, 4);
    col_copy(s->last_visit_date, sizeof s->last_visit_date, res, 5);
    col_copy(s->rule, sizeof s->rule, res, 6);
    return 0;
}

int schedule_get(struct db *db, const struct actor *a, int64_t vehicle_id,
                 struct vehicle_schedule *out, struct dms_error *err)
{
    int rc =
        store_one(db, schedule_row, out, err,
                  "SELECT next_due_date, next_due_km, next_basis, plan_id, "
                  "last_service_date, last_visit_date, next_rule FROM vehicles WHERE id = ? AND "
                  "store_id = ?",
                  "ii", vehicle_id, a->store_id);
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no vehicle %lld", (long long)vehicle_id);
    return rc < 0 ? -1 : 0;
}
