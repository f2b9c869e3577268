/* Vehicles and their dated odometer readings. The vehicle row carries its latest reading
 * (mileage_km, mileage_date) so lists need no aggregate; mileage_add keeps it true. */
#include <stdlib.h>

#include "core/schedule.h"
#include "core/text.h"
#include "core/vehicle.h"
#include "store/internal.h"
#include "store/plans.h"
#include "store/search.h"
#include "store/vehicles.h"

#define VEHICLE_COLS                                                                               \
    "v.id, v.store_id, v.customer_id, v.vin, v.vin_verified, v.plate, v.brand, v.model, "          \
    "v.model_year, v.purchase_date, v.mileage_km, v.mileage_date, v.created_at, "                  \
    "v.updated_at, c.name, c.title, v.insurance_expiry, v.inspection_expiry, v.next_due_date, "    \
    "v.next_due_km, v.next_basis, v.plan_id, v.last_service_date, v.last_visit_date, "             \
    "v.next_rule"
#define VEHICLE_FROM " FROM vehicles v JOIN customers c ON c.id = v.customer_id "

static int row(struct db_res *res, void *out)
{
    struct vehicle *v = out;
    memset(v, 0, sizeof *v);
    v->id = db_int(res, 0);
    v->store_id = db_int(res, 1);
    v->customer_id = db_int(res, 2);
    col_copy(v->vin, sizeof v->vin, res, 3);
    v->vin_verified = db_int(res, 4) != 0;
    col_copy(v->plate, sizeof v->plate, res, 5);
    col_copy(v->brand, sizeof v->brand, res, 6);
    col_copy(v->model, sizeof v->model, res, 7);
    v->model_year = (int)db_int(res, 8);
    col_copy(v->purchase_date, sizeof v->purchase_date, res, 9);
    v->mileage_km = db_int(res, 10);
    col_copy(v->mileage_date, sizeof v->mileage_date, res, 11);
    col_copy(v->created_at, sizeof v->created_at, res, 12);
    col_copy(v->updated_at, sizeof v->updated_at, res, 13);
    col_copy(v->owner_name, sizeof v->owner_name, res, 14);
    col_copy(v->owner_title, sizeof v->owner_title, res, 15);
    col_copy(v->insurance_expiry, sizeof v->insurance_expiry, res, 16);
    col_copy(v->inspection_expiry, sizeof v->inspection_expiry, res, 17);
    struct vehicle_schedule *ns = &v->next_service;
    ns->known = !db_is_null(res, 18);
    col_copy(ns->due_date, sizeof ns->due_date, res, 18);
    ns->due_km = db_int(res, 19);
    ns->basis = strcmp(db_text(res, 20), "mileage") == 0 ? BASIS_MILEAGE : BASIS_TIME;
    ns->plan_id = db_int(res, 21);
    col_copy(ns->last_service_date, sizeof ns->last_service_date, res, 22);
    col_copy(ns->last_visit_date, sizeof ns->last_visit_date, res, 23);
    col_copy(ns->rule, sizeof ns->rule, res, 24);
    return 0;
}

static int fetch(struct db *db, const struct actor *a, int64_t id, struct vehicle *out,
                 struct dms_error *err)
{
    int rc = store_one(db, row, out, err,
                       "SELECT " VEHICLE_COLS VEHICLE_FROM "WHERE v.id = ? AND v.store_id = ?",
                       "ii", id, a->store_id);
    if (rc < 0)
        return -1;
    return rc ? 0 : dms_fail(err, "not_found", NULL, "no such vehicle");
}

int vehicles_get(struct db *db, const struct actor *a, int64_t id, struct vehicle *out,
                 struct dms_error *err)
{
    return fetch(db, a, id, out, err);
}

int vehicles_get_for_update(struct db *db, const struct actor *a, int64_t id, struct vehicle *out,
                            struct dms_error *err)
{
    int rc = store_lock_row(db, "vehicles", "id", id, a->store_id, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no such vehicle");
    return fetch(db, a, id, out, err);
}

static int check_owner(struct db *db, const struct actor *a, int64_t customer_id,
                       struct dms_error *err)
{
    int64_t found = 0;
    int rc =
        db_query_int(db, &found, "SELECT COUNT(*) FROM customers WHERE id = ? AND store_id = ?",
                     "ii", customer_id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    return found ? 0 : dms_fail(err, "not_found", "customer_id", "no such customer");
}

/* A VIN or plate may appear once per store; `self` is the vehicle being edited (0 new). */
static int check_unique(struct db *db, const struct actor *a, const struct vehicle *v, int64_t self,
                        struct dms_error *err)
{
    int64_t other = 0;
    int rc = db_query_int(db, &other,
                          "SELECT id FROM vehicles WHERE store_id = ? AND vin = ? AND id <> ?",
                          "isi", a->store_id, v->vin, self);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (rc > 0)
        return dms_fail(err, "conflict", "vin", "vehicle %lld already has VIN %s", (long long)other,
                        v->vin);
    if (!v->plate[0])
        return 0;
    rc = db_query_int(db, &other,
                      "SELECT id FROM vehicles WHERE store_id = ? AND plate = ? AND id <> ?", "isi",
                      a->store_id, v->plate, self);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (rc > 0)
        return dms_fail(err, "conflict", "plate", "vehicle %lld already has plate %s",
                        (long long)other, v->plate);
    return 0;
}

static json_t *diff(const struct vehicle *p, const struct vehicle *n)
{
    json_t *ch = json_object();
    audit_int(ch, "customer_id", p->customer_id, n->customer_id);
    audit_text(ch, "vin", p->vin, n->vin);
    audit_bool(ch, "vin_verified", p->id ? p->vin_verified : false, n->vin_verified);
    audit_text(ch, "plate", p->plate, n->plate);
    audit_text(ch, "brand", p->brand, n->brand);
    audit_text(ch, "model", p->model, n->model);
    audit_int(ch, "model_year", p->model_year, n->model_year);
    audit_text(ch, "purchase_date", p->purchase_date, n->purchase_date);
    audit_text(ch, "insurance_expiry", p->insurance_expiry, n->insurance_expiry);
    audit_text(ch, "inspection_expiry", p->inspection_expiry, n->inspection_expiry);
    return ch;
}

int vehicles_create(struct db *db, const struct actor *a, struct vehicle *v, int64_t initial_km,
                    struct dms_error *err)
{
    char today[DATE_STR];
    date_format(a->today, today); /* store-local: the day the store came to know the car */
    if (check_owner(db, a, v->customer_id, err) < 0 || check_unique(db, a, v, 0, err) < 0)
        return -1;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_query_int(db, &v->id,
                          "INSERT INTO vehicles (store_id, customer_id, vin, vin_verified, "
                          "plate, brand, model, model_year, purchase_date, mileage_km, "
                          "insurance_expiry, inspection_expiry, created_at, updated_at, "
                          "known_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?) "
                          "RETURNING id",
                          "iisbtttItttsss", a->store_id, v->customer_id, v->vin, v->vin_verified,
                          v->plate, v->brand, v->model, (int64_t)v->model_year, v->purchase_date,
                          v->insurance_expiry, v->inspection_expiry, now, now, today);
    if (rc < 0) {
        if (rc == DB_CONFLICT)
            return dms_fail(err, "conflict", "vin", "the store already has this VIN or plate");
        return store_db_fail(db, rc, err);
    }
    if (search_index_vehicle(db, a->store_id, v, err) < 0)
        return -1;
    struct vehicle none;
    memset(&none, 0, sizeof none);
    json_t *ch = diff(&none, v);
    rc = audit_write(db, a, "create", "vehicle", v->id, ch, err);
    json_decref(ch);
    if (rc < 0)
        return -1;
    /* The sale is the first reading: at the purchase date (0 km or the km at sale), or
     * today when only a mileage is known. */
    if (v->purchase_date[0] || initial_km > 0) {
        dms_day d = a->today;
        struct dms_error ignore;
        if (v->purchase_date[0])
            date_parse(v->purchase_date, &d, "purchase_date", &ignore);
        if (mileage_record(db, a, v->id, d, initial_km,
                           v->purchase_date[0] ? MILEAGE_SALE : MILEAGE_MANUAL, 0, NULL, err) < 0)
            return -1;
    }
    if (schedule_recompute(db, a, v->id, v->id, NULL, err) < 0)
        return -1;
    return fetch(db, a, v->id, v, err);
}

int vehicles_update(struct db *db, const struct actor *a, const struct vehicle *prev,
                    const struct vehicle *next, struct dms_error *err)
{
    if (next->customer_id != prev->customer_id && check_owner(db, a, next->customer_id, err) < 0)
        return -1;
    if (check_unique(db, a, next, prev->id, err) < 0)
        return -1;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc =
        db_exec(db,
                "UPDATE vehicles SET customer_id = ?, vin = ?, vin_verified = ?, plate = ?, "
                "brand = ?, model = ?, model_year = ?, purchase_date = ?, insurance_expiry = ?, "
                "inspection_expiry = ?, updated_at = ? WHERE id = ? AND store_id = ?",
                "isbtttItttsii", next->customer_id, next->vin, next->vin_verified, next->plate,
                next->brand, next->model, (int64_t)next->model_year, next->purchase_date,
                next->insurance_expiry, next->inspection_expiry, now, prev->id, a->store_id);
    if (rc < 0) {
        if (rc == DB_CONFLICT)
            return dms_fail(err, "conflict", "vin", "the store already has this VIN or plate");
        return store_db_fail(db, rc, err);
    }
    if ((strcmp(prev->plate, next->plate) != 0 || strcmp(prev->vin, next->vin) != 0)) {
        struct vehicle indexed = *next;
        indexed.id = prev->id;
        if (search_index_vehicle(db, a->store_id, &indexed, err) < 0)
            return -1;
    }
    json_t *ch = diff(prev, next);
    rc = audit_write(db, a, "update", "vehicle", prev->id, ch, err);
    json_decref(ch);
    if (rc < 0)
        return -1;
    /* Brand, model and purchase date choose the plan and the first service. */
    return schedule_recompute(db, a, prev->id, prev->id, NULL, err);
}

int vehicles_list(struct db *db, const struct actor *a, const struct vehicle_filter *f,
                  int64_t after, int limit, struct vehicle **out, size_t *n, bool *more,
                  struct dms_error *err)
{
    if (store_rows(db, row, NULL, sizeof **out, (size_t)limit + 1, (void **)out, n, err,
                   "SELECT " VEHICLE_COLS VEHICLE_FROM "WHERE v.store_id = ? AND v.id > ? "
                   "AND (CAST(? AS BIGINT) = 0 OR v.customer_id = ?) ORDER BY v.id LIMIT ?",
                   "iiiii", a->store_id, after, f->customer_id, f->customer_id,
                   (int64_t)limit + 1) < 0)
        return -1;
    *more = *n > (size_t)limit;
    if (*more)
        *n = (size_t)limit;
    return 0;
}

/* Largest km dated on or before d and smallest dated after d, for the odometer rule: readings
 * of one day are taken in the order they are entered. */
static int neighbours(struct db *db, int64_t vehicle_id, const char *date, bool *has_before,
                      int64_t *before, bool *has_after, int64_t *after, struct dms_error *err)
{
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT (SELECT MAX(km) FROM mileage_readings WHERE vehicle_id = ? AND "
                      "date <= ?), (SELECT MIN(km) FROM mileage_readings WHERE vehicle_id = ? "
                      "AND date > ?)",
                      "isis", vehicle_id, date, vehicle_id, date);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    rc = db_step(res);
    if (rc > 0) {
        *has_before = !db_is_null(res, 0);
        *before = db_int(res, 0);
        *has_after = !db_is_null(res, 1);
        *after = db_int(res, 1);
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

int mileage_add(struct db *db, const struct actor *a, int64_t vehicle_id, dms_day date, int64_t km,
                enum mileage_source source, int64_t service_record_id, struct mileage_reading *out,
                struct dms_error *err)
{
    struct vehicle v;
    if (vehicles_get_for_update(db, a, vehicle_id, &v, err) < 0)
        return -1;
    return mileage_record(db, a, vehicle_id, date, km, source, service_record_id, out, err);
}

int mileage_record(struct db *db, const struct actor *a, int64_t vehicle_id, dms_day date,
                   int64_t km, enum mileage_source source, int64_t service_record_id,
                   struct mileage_reading *out, struct dms_error *err)
{
    char day[DATE_STR], now[TIMESTAMP_STR];
    if (date_check_not_future(date, a->today, "date", err) < 0)
        return -1;
    date_format(date, day);
    bool has_before = false, has_after = false;
    int64_t before = 0, after = 0;
    if (neighbours(db, vehicle_id, day, &has_before, &before, &has_after, &after, err) < 0)
        return -1;
    if (vehicle_check_reading(km, has_before, before, has_after, after, err) < 0)
        return -1;
    timestamp_format_utc(a->now, now);
    int64_t id = 0;
    int rc = db_query_int(db, &id,
                          "INSERT INTO mileage_readings (store_id, vehicle_id, date, km, source, "
                          "service_record_id, user_id, created_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          "iisisIIs", a->store_id, vehicle_id, day, km,
                          MILEAGE_SOURCE_NAMES[source], service_record_id, a->user_id, now);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    /* The vehicle shows its latest reading: the newest date, the highest km on that day. */
    rc = db_exec(db,
                 "UPDATE vehicles SET mileage_km = (SELECT km FROM mileage_readings WHERE "
                 "vehicle_id = ? ORDER BY date DESC, km DESC LIMIT 1), mileage_date = (SELECT "
                 "MAX(date) FROM mileage_readings WHERE vehicle_id = ?) "
                 "WHERE id = ? AND store_id = ?",
                 "iiii", vehicle_id, vehicle_id, vehicle_id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    /* MR-1: the new reading moves the projected due date. */
    if (schedule_recompute(db, a, vehicle_id, vehicle_id, NULL, err) < 0)
        return -1;
    json_t *ch = json_object();
    audit_int(ch, "vehicle_id", 0, vehicle_id);
    audit_text(ch, "date", NULL, day);
    json_object_set_new(ch, "km", json_pack("[nI]", (json_int_t)km));
    audit_text(ch, "source", NULL, MILEAGE_SOURCE_NAMES[source]);
    rc = audit_write(db, a, "create", "mileage_reading", id, ch, err);
    json_decref(ch);
    if (rc < 0)
        return -1;
    if (out) {
        memset(out, 0, sizeof *out);
        out->id = id;
        out->vehicle_id = vehicle_id;
        out->service_record_id = service_record_id;
        out->user_id = a->user_id;
        snprintf(out->date, sizeof out->date, "%s", day);
        out->km = km;
        out->source = source;
        snprintf(out->created_at, sizeof out->created_at, "%s", now);
    }
    return 0;
}

static int read_reading(struct db_res *res, void *out)
{
    struct mileage_reading *m = out;
    m->id = db_int(res, 0);
    m->vehicle_id = db_int(res, 1);
    m->service_record_id = db_int(res, 2);
    m->user_id = db_int(res, 3);
    col_copy(m->date, sizeof m->date, res, 4);
    m->km = db_int(res, 5);
    int s = enum_index(MILEAGE_SOURCE_NAMES, MILEAGE_SOURCE_COUNT, db_text(res, 6));
    m->source = s < 0 ? MILEAGE_MANUAL : (enum mileage_source)s;
    col_copy(m->created_at, sizeof m->created_at, res, 7);
    return 0;
}

int mileage_list(struct db *db, const struct actor *a, int64_t vehicle_id, int64_t after, int limit,
                 struct mileage_reading **out, size_t *n, bool *more, struct dms_error *err)
{
    struct vehicle v;
    *out = NULL, *n = 0, *more = false;
    if (fetch(db, a, vehicle_id, &v, err) < 0)
        return -1;
    /* The page goes on after the cursor's reading in the list's order (date, km, id, all
     * descending); without a cursor it starts above every reading. */
    char date[DATE_STR] = "9999-12-31";
    int64_t km = INT64_MAX, id = INT64_MAX;
    if (after) {
        struct db_res *res;
        int rc = db_query(db, &res,
                          "SELECT date, km FROM mileage_readings WHERE id = ? AND vehicle_id = ? "
                          "AND store_id = ?",
                          "iii", after, vehicle_id, a->store_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        rc = db_step(res);
        if (rc > 0) {
            col_copy(date, sizeof date, res, 0);
            km = db_int(res, 1);
            id = after;
        }
        db_done(res);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        if (rc == 0)
            return dms_fail(err, "invalid_field", "cursor", "not a cursor from next_cursor");
    }
    if (store_rows(
            db, read_reading, NULL, sizeof **out, (size_t)limit + 1, (void **)out, n, err,
            "SELECT id, vehicle_id, service_record_id, user_id, date, km, source, "
            "created_at FROM mileage_readings WHERE vehicle_id = ? AND store_id = ? "
            "AND (date < ? OR (date = ? AND (km < CAST(? AS BIGINT) OR (km = CAST(? AS BIGINT) "
            "AND id < CAST(? AS BIGINT))))) "
            "ORDER BY date DESC, km DESC, id DESC LIMIT ?",
            "iissiiii", vehicle_id, a->store_id, date, date, km, km, id, (int64_t)limit + 1) < 0)
        return -1;
    *more = *n > (size_t)limit;
    if (*more)
        *n = (size_t)limit;
    return 0;
}
