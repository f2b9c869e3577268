/* MR-1: maintenance plans per brand/model with the standard package (IN-7). The package's
 * lines are kept as JSON text on the plan row: they are read and written as a whole. */
#include <stdlib.h>

#include "core/money.h"
#include "core/schedule.h"
#include "store/internal.h"
#include "store/plans.h"

#define PLAN_COLS                                                                                  \
    "id, brand, model, interval_km, interval_months, first_km, first_months, package_name, ops, "  \
    "parts, labour_fen, parts_fen, lead_days, created_at, updated_at"

static void read_lines(struct plan *p, const char *ops, const char *parts)
{
    json_t *o = json_loads(ops, 0, NULL), *q = json_loads(parts, 0, NULL);
    size_t i;
    json_t *it;
    json_array_foreach(o, i, it)
    {
        if (p->n_ops == PLAN_MAX_ITEMS)
            break;
        struct plan_op *op = &p->ops[p->n_ops++];
        snprintf(op->code, sizeof op->code, "%s",
                 json_string_value(json_object_get(it, "code")) ?: "");
        snprintf(op->name, sizeof op->name, "%s",
                 json_string_value(json_object_get(it, "name")) ?: "");
        op->hours_x100 = json_integer_value(json_object_get(it, "hours_x100"));
        op->labour_fen = json_integer_value(json_object_get(it, "labour_fen"));
    }
    json_array_foreach(q, i, it)
    {
        if (p->n_parts == PLAN_MAX_ITEMS)
            break;
        struct plan_part *pt = &p->parts[p->n_parts++];
        snprintf(pt->part_no, sizeof pt->part_no, "%s",
                 json_string_value(json_object_get(it, "part_no")) ?: "");
        snprintf(pt->name, sizeof pt->name, "%s",
                 json_string_value(json_object_get(it, "name")) ?: "");
        pt->qty = json_integer_value(json_object_get(it, "qty"));
        pt->unit_price_fen = json_integer_value(json_object_get(it, "unit_price_fen"));
        pt->lead_days = (int)json_integer_value(json_object_get(it, "lead_days"));
    }
    json_decref(o);
    json_decref(q);
}

static int row(struct db_res *res, void *out)
{
    struct plan *p = out;
    memset(p, 0, sizeof *p);
    p->id = db_int(res, 0);
    col_copy(p->brand, sizeof p->brand, res, 1);
    col_copy(p->model, sizeof p->model, res, 2);
    p->iv.interval_km = db_int(res, 3);
    p->iv.interval_months = (int)db_int(res, 4);
    p->iv.first_km = db_int(res, 5);
    p->iv.first_months = (int)db_int(res, 6);
    col_copy(p->package_name, sizeof p->package_name, res, 7);
    read_lines(p, db_text(res, 8), db_text(res, 9));
    p->labour_fen = db_int(res, 10);
    p->parts_fen = db_int(res, 11);
    p->lead_days = (int)db_int(res, 12);
    col_copy(p->created_at, sizeof p->created_at, res, 13);
    col_copy(p->updated_at, sizeof p->updated_at, res, 14);
    return 0;
}

static char *lines_json(const struct plan *p, bool parts)
{
    json_t *a = json_array();
    if (!parts) {
        for (int i = 0; i < p->n_ops; i++)
            json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:I}", "code", p->ops[i].code,
                                               "name", p->ops[i].name, "hours_x100",
                                               (json_int_t)p->ops[i].hours_x100, "labour_fen",
                                               (json_int_t)p->ops[i].labour_fen));
    } else {
        for (int i = 0; i < p->n_parts; i++)
            json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:I, s:i}", "part_no",
                                               p->parts[i].part_no, "name", p->parts[i].name, "qty",
                                               (json_int_t)p->parts[i].qty, "unit_price_fen",
                                               (json_int_t)p->parts[i].unit_price_fen, "lead_days",
                                               p->parts[i].lead_days));
    }
    char *s = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return s;
}

int plan_totals(struct plan *p, struct dms_error *err)
{
    p->labour_fen = p->parts_fen = 0;
    p->lead_days = 0;
    for (int i = 0; i < p->n_ops; i++) {
        if (money_add(&p->labour_fen, p->ops[i].labour_fen) < 0)
            return dms_fail(err, "invalid_field", "ops", "the package's labour is too large");
    }
    for (int i = 0; i < p->n_parts; i++) {
        int64_t amount;
        if (money_mul(p->parts[i].qty, p->parts[i].unit_price_fen, &amount) < 0 ||
            money_add(&p->parts_fen, amount) < 0)
            return dms_fail(err, "invalid_field", "parts", "the package's parts are too large");
        if (p->parts[i].lead_days > p->lead_days)
            p->lead_days = p->parts[i].lead_days;
    }
    int64_t total = p->labour_fen;
    if (money_add(&total, p->parts_fen) < 0)
        return dms_fail(err, "invalid_field", "parts", "the package is too expensive");
    return 0;
}

/* The vehicles a plan of this brand may cover, as one id range to recompute (brands match
 * regardless of ASCII case, as plan_pick does). */
static int recompute_for(struct db *db, const struct actor *a, const char *brand,
                         struct dms_error *err)
{
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT MIN(id), MAX(id) FROM vehicles WHERE store_id = ? AND "
                      "(? = '' OR LOWER(brand) = LOWER(?))",
                      "iss", a->store_id, brand, brand);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    int64_t lo = 0, hi = 0;
    if ((rc = db_step(res)) > 0 && !db_is_null(res, 0))
        lo = db_int(res, 0), hi = db_int(res, 1);
    db_done(res);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    return lo ? schedule_recompute(db, a, lo, hi, NULL, err) : 0;
}

static void audit_plan(json_t *ch, const struct plan *p, const struct plan *n)
{
    audit_text(ch, "brand", p ? p->brand : NULL, n ? n->brand : NULL);
    audit_text(ch, "model", p ? p->model : NULL, n ? n->model : NULL);
    audit_int(ch, "interval_km", p ? p->iv.interval_km : 0, n ? n->iv.interval_km : 0);
    audit_int(ch, "interval_months", p ? p->iv.interval_months : 0, n ? n->iv.interval_months : 0);
    audit_int(ch, "first_km", p ? p->iv.first_km : 0, n ? n->iv.first_km : 0);
    audit_int(ch, "first_months", p ? p->iv.first_months : 0, n ? n->iv.first_months : 0);
    audit_text(ch, "package_name", p ? p->package_name : NULL, n ? n->package_name : NULL);
    audit_int(ch, "labour_fen", p ? p->labour_fen : 0, n ? n->labour_fen : 0);
    audit_int(ch, "parts_fen", p ? p->parts_fen : 0, n ? n->parts_fen : 0);
    audit_int(ch, "lead_days", p ? p->lead_days : 0, n ? n->lead_days : 0);
}

int plans_put(struct db *db, const struct actor *a, struct plan *p, bool *created,
              struct dms_error *err)
{
    if (plan_totals(p, err) < 0)
        return -1;
    /* The plan a concurrent request replaces waits for this one (locked); a plan two
     * requests create at once is created by one, and the other runs again as an update. */
    struct plan prev;
    int found = store_one(db, row, &prev, err,
                          db_kind(db) == DB_POSTGRES
                              ? "SELECT " PLAN_COLS " FROM maintenance_plans WHERE store_id = ? "
                                "AND brand = ? AND model = ? FOR UPDATE"
                              : "SELECT " PLAN_COLS " FROM maintenance_plans WHERE store_id = ? "
                                "AND brand = ? AND model = ?",
                          "iss", a->store_id, p->brand, p->model);
    if (found < 0)
        return -1;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    char *ops = lines_json(p, false), *parts = lines_json(p, true);
    if (!ops || !parts) {
        free(ops), free(parts);
        return dms_fail(err, "db_error", NULL, "out of memory");
    }
    int rc;
    int64_t id = found ? prev.id : 0;
    if (found) {
        rc = db_exec(db,
                     "UPDATE maintenance_plans SET interval_km = ?, interval_months = ?, "
                     "first_km = ?, first_months = ?, package_name = ?, ops = ?, parts = ?, "
                     "labour_fen = ?, parts_fen = ?, lead_days = ?, updated_at = ? "
                     "WHERE id = ? AND store_id = ?",
                     "iiiitssiiisii", p->iv.interval_km, (int64_t)p->iv.interval_months,
                     p->iv.first_km, (int64_t)p->iv.first_months, p->package_name, ops, parts,
                     p->labour_fen, p->parts_fen, (int64_t)p->lead_days, now, id, a->store_id);
    } else {
        rc = db_query_int(db, &id,
                          "INSERT INTO maintenance_plans (store_id, brand, model, interval_km, "
                          "interval_months, first_km, first_months, package_name, ops, parts, "
                          "labour_fen, parts_fen, lead_days, created_at, updated_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          "issiiiitssiiiss", a->store_id, p->brand, p->model, p->iv.interval_km,
                          (int64_t)p->iv.interval_months, p->iv.first_km,
                          (int64_t)p->iv.first_months, p->package_name, ops, parts, p->labour_fen,
                          p->parts_fen, (int64_t)p->lead_days, now, now);
    }
    free(ops), free(parts);
    if (rc == DB_CONFLICT && !found)
        return dms_fail(err, "busy", NULL, "the plan was created meanwhile; try again");
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = json_object();
    audit_plan(ch, found ? &prev : NULL, p);
    rc = audit_write(db, a, found ? "update" : "create", "maintenance_plan", id, ch, err);
    json_decref(ch);
    if (rc < 0)
        return -1;
    *created = !found;
    if (recompute_for(db, a, p->brand, err) < 0)
        return -1;
    return plans_get(db, a, id, p, err);
}

int plans_get(struct db *db, const struct actor *a, int64_t id, struct plan *out,
              struct dms_error *err)
{
    int rc = store_one(db, row, out, err,
                       "SELECT " PLAN_COLS " FROM maintenance_plans WHERE id = ? AND store_id = ?",
                       "ii", id, a->store_id);
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no maintenance plan %lld", (long long)id);
    return rc < 0 ? -1 : 0;
}

int plans_list(struct db *db, const struct actor *a, struct plan **out, size_t *n,
               struct dms_error *err)
{
    return store_rows(db, row, NULL, sizeof **out, 10000, (void **)out, n, err,
                      "SELECT " PLAN_COLS " FROM maintenance_plans WHERE store_id = ? "
                      "ORDER BY brand, model",
                      "i", a->store_id);
}

int plans_delete(struct db *db, const struct actor *a, int64_t id, struct dms_error *err)
{
    struct plan p;
    if (plans_get(db, a, id, &p, err) < 0)
        return -1;
    /* The vehicles stop pointing at it first; the recompute below finds their new plan. */
    int rc = db_exec(db, "UPDATE vehicles SET plan_id = NULL WHERE plan_id = ? AND store_id = ?",
                     "ii", id, a->store_id);
    if (rc >= 0)
        rc = db_exec(db, "DELETE FROM maintenance_plans WHERE id = ? AND store_id = ?", "ii", id,
                     a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = json_object();
    audit_plan(ch, &p, NULL);
    rc = audit_write(db, a, "delete", "maintenance_plan", id, ch, err);
    json_decref(ch);
    if (rc < 0)
        return -1;
    return recompute_for(db, a, p.brand, err);
}

void plan_builtin_default(struct plan *out)
{
    memset(out, 0, sizeof *out);
    out->iv.interval_km = PLAN_DEFAULT_INTERVAL_KM;
    out->iv.interval_months = PLAN_DEFAULT_INTERVAL_MONTHS;
    out->iv.first_km = PLAN_DEFAULT_FIRST_KM;
    out->iv.first_months = PLAN_DEFAULT_FIRST_MONTHS;
}

static int key_row(struct db_res *res, void *out)
{
    struct plan_key *k = out;
    memset(k, 0, sizeof *k);
    k->id = db_int(res, 0);
    col_copy(k->brand, sizeof k->brand, res, 1);
    col_copy(k->model, sizeof k->model, res, 2);
    k->iv.interval_km = db_int(res, 3);
    k->iv.interval_months = (int)db_int(res, 4);
    k->iv.first_km = db_int(res, 5);
    k->iv.first_months = (int)db_int(res, 6);
    return 0;
}

int plan_keys(struct db *db, int64_t store_id, struct plan_key **out, size_t *n,
              struct dms_error *err)
{
    return store_rows(db, key_row, NULL, sizeof **out, 100000, (void **)out, n, err,
                      "SELECT id, brand, model, interval_km, interval_months, first_km, "
                      "first_months FROM maintenance_plans WHERE store_id = ?",
                      "i", store_id);
}

int plans_for_vehicle(struct db *db, const struct actor *a, int64_t vehicle_id, struct plan *out,
                      struct dms_error *err)
{
    int64_t plan_id = 0;
    int rc = db_query_int(db, &plan_id,
                          "SELECT COALESCE(plan_id, 0) FROM vehicles WHERE id = ? AND store_id = ?",
                          "ii", vehicle_id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (rc == 0)
        return dms_fail(err, "not_found", "vehicle_id", "no vehicle %lld", (long long)vehicle_id);
    if (!plan_id) {
        plan_builtin_default(out);
        return 0;
    }
    return plans_get(db, a, plan_id, out, err);
}
