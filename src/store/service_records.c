/* Service records (repair orders) with their labour and parts lines. Writing one also
 * records its odometer reading, in the same transaction. */
#include <stdlib.h>

#include "core/service_record.h"
#include "core/text.h"
#include "core/vehicle.h"
#include "store/campaigns.h"
#include "store/classify.h"
#include "store/internal.h"
#include "store/plans.h"
#include "store/service_records.h"
#include "store/users.h"
#include "store/vehicles.h"

#define RECORD_COLS                                                                                \
    "r.id, r.store_id, r.vehicle_id, r.customer_id, r.advisor_id, r.created_by, "                  \
    "COALESCE(u.display_name, ''), r.date_in, r.date_out, r.mileage_km, r.kind, "                  \
    "r.technician, r.notes, r.labour_fen, r.parts_fen, r.total_fen, r.created_at, r.campaign_id, " \
    "r.repair_order_id"
#define RECORD_FROM " FROM service_records r LEFT JOIN users u ON u.id = r.advisor_id "

static int row(struct db_res *res, void *out)
{
    struct service_record *r = out;
    memset(r, 0, sizeof *r);
    r->id = db_int(res, 0);
    r->store_id = db_int(res, 1);
    r->vehicle_id = db_int(res, 2);
    r->customer_id = db_int(res, 3);
    r->advisor_id = db_int(res, 4);
    r->created_by = db_int(res, 5);
    col_copy(r->advisor_name, sizeof r->advisor_name, res, 6);
    col_copy(r->date_in, sizeof r->date_in, res, 7);
    col_copy(r->date_out, sizeof r->date_out, res, 8);
    r->mileage_km = db_int(res, 9);
    int k = enum_index(SERVICE_KIND_NAMES, SERVICE_KIND_COUNT, db_text(res, 10));
    r->kind = k < 0 ? SERVICE_OTHER : (enum service_kind)k;
    col_copy(r->technician, sizeof r->technician, res, 11);
    col_copy(r->notes, sizeof r->notes, res, 12);
    r->totals.labour_fen = db_int(res, 13);
    r->totals.parts_fen = db_int(res, 14);
    r->totals.total_fen = db_int(res, 15);
    col_copy(r->created_at, sizeof r->created_at, res, 16);
    r->campaign_id = db_int(res, 17);
    r->repair_order_id = db_int(res, 18);
    return 0;
}

void service_record_clear(struct service_record *r)
{
    if (!r)
        return;
    free(r->labour);
    free(r->parts);
    r->labour = NULL, r->parts = NULL;
    r->n_labour = r->n_parts = 0;
}

void service_records_free(struct service_record *r, size_t n)
{
    if (!r)
        return;
    for (size_t i = 0; i < n; i++)
        service_record_clear(&r[i]);
    free(r);
}

static int read_labour(struct db_res *res, void *out)
{
    struct labour_line *l = out;
    col_copy(l->code, sizeof l->code, res, 0);
    col_copy(l->operation, sizeof l->operation, res, 1);
    l->hours_x100 = db_int(res, 2);
    l->amount_fen = db_int(res, 3);
    return 0;
}

static int read_part(struct db_res *res, void *out)
{
    struct parts_line *p = out;
    col_copy(p->part_no, sizeof p->part_no, res, 0);
    col_copy(p->name, sizeof p->name, res, 1);
    p->qty = db_int(res, 2);
    p->unit_price_fen = db_int(res, 3);
    p->amount_fen = db_int(res, 4);
    return 0;
}

static int load_lines(struct db *db, struct service_record *r, struct dms_error *err)
{
    if (store_rows(db, read_labour, NULL, sizeof *r->labour, SERVICE_MAX_LINES, (void **)&r->labour,
                   &r->n_labour, err,
                   "SELECT code, operation, hours_x100, amount_fen FROM service_labour "
                   "WHERE record_id = ? ORDER BY position",
                   "i", r->id) < 0 ||
        store_rows(db, read_part, NULL, sizeof *r->parts, SERVICE_MAX_LINES, (void **)&r->parts,
                   &r->n_parts, err,
                   "SELECT part_no, name, qty, unit_price_fen, amount_fen FROM service_parts "
                   "WHERE record_id = ? ORDER BY position",
                   "i", r->id) < 0) {
        service_record_clear(r);
        return -1;
    }
    return 0;
}

int service_records_get(struct db *db, const struct actor *a, int64_t id,
                        struct service_record *out, struct dms_error *err)
{
    int rc = store_one(db, row, out, err,
                       "SELECT " RECORD_COLS RECORD_FROM "WHERE r.id = ? AND r.store_id = ?", "ii",
                       id, a->store_id);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no such service record");
    return load_lines(db, out, err);
}

int service_records_for_vehicle(struct db *db, const struct actor *a, int64_t vehicle_id,
                                int64_t after, int limit, struct service_record **out, size_t *n,
                                bool *more, struct dms_error *err)
{
    struct vehicle v;
    *out = NULL, *n = 0, *more = false;
    if (vehicles_get(db, a, vehicle_id, &v, err) < 0)
        return -1;
    /* The page goes on after the cursor's record in the list's order (date in, then id, both
     * descending); without a cursor it starts above every record. */
    char date[DATE_STR] = "9999-12-31";
    int64_t id = INT64_MAX;
    if (after) {
        struct db_res *res;
        int rc = db_query(db, &res,
                          "SELECT date_in FROM service_records WHERE id = ? AND vehicle_id = ? "
                          "AND store_id = ?",
                          "iii", after, vehicle_id, a->store_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        rc = db_step(res);
        if (rc > 0) {
            col_copy(date, sizeof date, res, 0);
            id = after;
        }
        db_done(res);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        if (rc == 0)
            return dms_fail(err, "invalid_field", "cursor", "not a cursor from next_cursor");
    }
    if (store_rows(db, row, NULL, sizeof **out, (size_t)limit + 1, (void **)out, n, err,
                   "SELECT " RECORD_COLS RECORD_FROM "WHERE r.vehicle_id = ? AND r.store_id = ? "
                   "AND (r.date_in < ? OR (r.date_in = ? AND r.id < CAST(? AS BIGINT))) "
                   "ORDER BY r.date_in DESC, r.id DESC LIMIT ?",
                   "iissii", vehicle_id, a->store_id, date, date, id, (int64_t)limit + 1) < 0)
        return -1;
    *more = *n > (size_t)limit;
    if (*more)
        *n = (size_t)limit;
    for (size_t i = 0; i < *n; i++) {
        if (load_lines(db, &(*out)[i], err) < 0) {
            service_records_free(*out, *n);
            *out = NULL, *n = 0;
            return -1;
        }
    }
    return 0;
}

int service_records_create(struct db *db, const struct actor *a, struct service_record *r,
                           struct dms_error *err)
{
    struct vehicle v;
    if (vehicles_get_for_update(db, a, r->vehicle_id, &v, err) < 0) {
        snprintf(err->field, sizeof err->field, "vehicle_id");
        return -1;
    }
    if (r->advisor_id) {
        struct user u;
        if (users_get(db, a, r->advisor_id, &u, err) < 0) {
            snprintf(err->field, sizeof err->field, "advisor_id");
            return -1;
        }
    }
    if (service_record_totals(r->labour, r->n_labour, r->parts, r->n_parts, &r->totals, err) < 0)
        return -1;
    if (r->campaign_id) {
        /* CS-5: the work a recall asked for is a repair order of kind recall. */
        struct campaign c;
        if (campaigns_get(db, a, r->campaign_id, &c, err) < 0) {
            snprintf(err->field, sizeof err->field, "campaign_id");
            return -1;
        }
        campaign_clear(&c);
        if (c.kind == CAMPAIGN_RECALL && r->kind != SERVICE_RECALL)
            return dms_fail(err, "invalid_field", "kind",
                            "the work of a recall campaign is recorded with kind recall");
    }
    r->customer_id = v.customer_id;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_query_int(
        db, &r->id,
        "INSERT INTO service_records (store_id, vehicle_id, customer_id, date_in, date_out, "
        "mileage_km, kind, advisor_id, technician, notes, labour_fen, parts_fen, total_fen, "
        "created_by, created_at, campaign_id, repair_order_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        "iiistisIttiiiIsII", a->store_id, r->vehicle_id, r->customer_id, r->date_in, r->date_out,
        r->mileage_km, SERVICE_KIND_NAMES[r->kind], r->advisor_id, r->technician, r->notes,
        r->totals.labour_fen, r->totals.parts_fen, r->totals.total_fen, a->user_id, now,
        r->campaign_id, r->repair_order_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    for (size_t i = 0; rc >= 0 && i < r->n_labour; i++) {
        const struct labour_line *l = &r->labour[i];
        rc = db_exec(db,
                     "INSERT INTO service_labour (record_id, position, code, operation, "
                     "hours_x100, amount_fen) VALUES (?, ?, ?, ?, ?, ?)",
                     "iitsii", r->id, (int64_t)i, l->code, l->operation, l->hours_x100,
                     l->amount_fen);
    }
    for (size_t i = 0; rc >= 0 && i < r->n_parts; i++) {
        const struct parts_line *p = &r->parts[i];
        rc = db_exec(db,
                     "INSERT INTO service_parts (record_id, position, part_no, name, qty, "
                     "unit_price_fen, amount_fen) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     "iistiii", r->id, (int64_t)i, p->part_no, p->name, p->qty, p->unit_price_fen,
                     p->amount_fen);
    }
    if (rc < 0)
        return store_db_fail(db, rc, err);
    dms_day day;
    if (date_parse(r->date_in, &day, "date", err) < 0)
        return -1;
    if (r->reading_id) {
        /* The reading is the order's, taken at check-in: it now names its record, and the
         * record moves the next service (MR-1) and the last visit (CS-4). */
        rc = db_exec(db,
                     "UPDATE mileage_readings SET service_record_id = ? WHERE id = ? AND "
                     "store_id = ? AND vehicle_id = ?",
                     "iiii", r->id, r->reading_id, a->store_id, r->vehicle_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        if (schedule_recompute(db, a, r->vehicle_id, r->vehicle_id, NULL, err) < 0)
            return -1;
    } else if (mileage_record(db, a, r->vehicle_id, day, r->mileage_km, MILEAGE_SERVICE, r->id,
                              NULL, err) < 0) {
        snprintf(err->field, sizeof err->field, "mileage_km");
        return -1;
    }
    if (r->campaign_id && campaigns_complete(db, a, r->campaign_id, r->vehicle_id, r->id, err) < 0)
        return -1;
    json_t *ch = json_object();
    audit_int(ch, "vehicle_id", 0, r->vehicle_id);
    audit_int(ch, "campaign_id", 0, r->campaign_id);
    audit_int(ch, "repair_order_id", 0, r->repair_order_id);
    audit_text(ch, "date_in", NULL, r->date_in);
    audit_text(ch, "date_out", NULL, r->date_out);
    json_object_set_new(ch, "mileage_km", json_pack("[nI]", (json_int_t)r->mileage_km));
    audit_text(ch, "kind", NULL, SERVICE_KIND_NAMES[r->kind]);
    audit_int(ch, "advisor_id", 0, r->advisor_id);
    audit_text(ch, "technician", NULL, r->technician);
    json_object_set_new(ch, "labour_lines", json_pack("[nI]", (json_int_t)r->n_labour));
    json_object_set_new(ch, "parts_lines", json_pack("[nI]", (json_int_t)r->n_parts));
    json_object_set_new(ch, "total_fen", json_pack("[nI]", (json_int_t)r->totals.total_fen));
    rc = audit_write(db, a, "create", "service_record", r->id, ch, err);
    json_decref(ch);
    /* CRM-2: a visit moves the class at once (a repair order's record is its order's visit:
     * the order recomputes when it is delivered). */
    if (rc == 0 && !r->repair_order_id)
        rc = classify_customer(db, a, r->customer_id, err);
    return rc;
}
