/* /api/v1/maintenance-plans (MR-1, IN-7). */
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/outbox.h"
#include "core/schedule.h"
#include "core/service_record.h"
#include "core/vehicle.h"
#include "http/http.h"
#include "store/plans.h"

static json_t *view_plan(const struct plan *p)
{
    json_t *ops = json_array(), *parts = json_array();
    for (int i = 0; i < p->n_ops; i++)
        json_array_append_new(ops, json_pack("{s:o, s:s, s:o, s:I}", "code",
                                             jstr_or_null(p->ops[i].code), "name", p->ops[i].name,
                                             "hours", hours_value(p->ops[i].hours_x100),
                                             "labour_fen", (json_int_t)p->ops[i].labour_fen));
    for (int i = 0; i < p->n_parts; i++)
        json_array_append_new(
            parts, json_pack("{s:s, s:o, s:I, s:I, s:i}", "part_no", p->parts[i].part_no, "name",
                             jstr_or_null(p->parts[i].name), "qty", (json_int_t)p->parts[i].qty,
                             "unit_price_fen", (json_int_t)p->parts[i].unit_price_fen, "lead_days",
                             p->parts[i].lead_days));
    json_t *o = json_pack(
        "{s:o, s:o, s:o, s:I, s:i, s:I, s:i, s:o, s:o, s:o, s:I, s:I, s:I, s:i}", "id",
        p->id ? json_integer(p->id) : json_null(), "brand", jstr_or_null(p->brand), "model",
        jstr_or_null(p->model), "interval_km", (json_int_t)p->iv.interval_km, "interval_months",
        p->iv.interval_months, "first_km", (json_int_t)p->iv.first_km, "first_months",
        p->iv.first_months, "package_name", jstr_or_null(p->package_name), "ops", ops, "parts",
        parts, "labour_fen", (json_int_t)p->labour_fen, "parts_fen", (json_int_t)p->parts_fen,
        "price_fen", (json_int_t)(p->labour_fen + p->parts_fen), "lead_days", p->lead_days);
    if (p->id) {
        json_object_set_new(o, "created_at", json_string(p->created_at));
        json_object_set_new(o, "updated_at", json_string(p->updated_at));
    }
    return o;
}

static int parse_ops(struct req *r, json_t *a, struct plan *p)
{
    if (!json_is_array(a) || json_array_size(a) > PLAN_MAX_ITEMS)
        return req_fail(r, "invalid_field", "ops", "ops is an array of at most %d operations",
                        PLAN_MAX_ITEMS);
    static const char *const fields[] = {"code", "name", "hours", "labour_fen", NULL};
    size_t i;
    json_t *it;
    json_array_foreach(a, i, it)
    {
        char prefix[40];
        snprintf(prefix, sizeof prefix, "ops[%zu].", i);
        struct plan_op *op = &p->ops[p->n_ops];
        if (!json_is_object(it))
            return req_fail(r, "invalid_field", "ops", "each operation is an object");
        json_t *h = json_object_get(it, "hours");
        if (jin_only(it, fields, prefix, &r->err) < 0 ||
            jin_text(it, "code", false, 32, false, op->code, sizeof op->code, &r->err) < 0 ||
            jin_text(it, "name", true, 64, false, op->name, sizeof op->name, &r->err) < 0 ||
            jin_int(it, "labour_fen", true, 0, MONEY_MAX_FEN, &op->labour_fen, &r->err) < 0)
            return jin_prefix_field(&r->err, prefix);
        if (h && (!json_is_number(h) ||
                  hundredths_from_double(json_number_value(h), SERVICE_MAX_HOURS_X100,
                                         &op->hours_x100) < 0))
            return req_fail(r, "invalid_field", "hours",
                            "hours is a number with at most two decimals");
        p->n_ops++;
    }
    return 0;
}

static int parse_parts(struct req *r, json_t *a, struct plan *p)
{
    if (!json_is_array(a) || json_array_size(a) > PLAN_MAX_ITEMS)
        return req_fail(r, "invalid_field", "parts", "parts is an array of at most %d parts",
                        PLAN_MAX_ITEMS);
    static const char *const fields[] = {"part_no",        "name",      "qty",
                                         "unit_price_fen", "lead_days", NULL};
    size_t i;
    json_t *it;
    json_array_foreach(a, i, it)
    {
        char prefix[40];
        snprintf(prefix, sizeof prefix, "parts[%zu].", i);
        struct plan_part *pt = &p->parts[p->n_parts];
        int64_t lead = 0;
        if (!json_is_object(it))
            return req_fail(r, "invalid_field", "parts", "each part is an object");
        if (jin_only(it, fields, prefix, &r->err) < 0 ||
            jin_text(it, "part_no", true, 32, false, pt->part_no, sizeof pt->part_no, &r->err) <
                0 ||
            jin_text(it, "name", false, 64, false, pt->name, sizeof pt->name, &r->err) < 0 ||
            jin_int(it, "qty", true, 1, SERVICE_MAX_QTY, &pt->qty, &r->err) < 0 ||
            jin_int(it, "unit_price_fen", true, 0, MONEY_MAX_FEN, &pt->unit_price_fen, &r->err) <
                0 ||
            jin_int(it, "lead_days", false, 0, 365, &lead, &r->err) < 0)
            return jin_prefix_field(&r->err, prefix);
        pt->lead_days = (int)lead;
        p->n_parts++;
    }
    return 0;
}

int h_plans_put(struct req *r)
{
    static const char *const fields[] = {
        "brand",        "model",        "interval_km", "interval_months", "first_km",
        "first_months", "package_name", "ops",         "parts",           NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct plan *p = calloc(1, sizeof *p);
    if (!p)
        return req_fail(r, "internal", NULL, "out of memory");
    int rc = -1;
    int64_t v[4];
    json_t *ops = json_object_get(r->body, "ops"), *parts = json_object_get(r->body, "parts");
    if (jin_text(r->body, "brand", false, VEHICLE_TEXT_CHARS, false, p->brand, sizeof p->brand,
                 &r->err) < 0 ||
        jin_text(r->body, "model", false, VEHICLE_TEXT_CHARS, false, p->model, sizeof p->model,
                 &r->err) < 0 ||
        jin_int(r->body, "interval_km", true, 500, 100000, &v[0], &r->err) < 0 ||
        jin_int(r->body, "interval_months", true, 1, 60, &v[1], &r->err) < 0 ||
        jin_int(r->body, "first_km", true, 500, 100000, &v[2], &r->err) < 0 ||
        jin_int(r->body, "first_months", true, 1, 60, &v[3], &r->err) < 0 ||
        jin_text(r->body, "package_name", false, 64, false, p->package_name, sizeof p->package_name,
                 &r->err) < 0 ||
        (ops && !json_is_null(ops) && parse_ops(r, ops, p) < 0) ||
        (parts && !json_is_null(parts) && parse_parts(r, parts, p) < 0))
        goto out;
    if (p->model[0] && !p->brand[0]) {
        req_fail(r, "invalid_field", "model", "a plan for a model names its brand too");
        goto out;
    }
    p->iv.interval_km = v[0];
    p->iv.interval_months = (int)v[1];
    p->iv.first_km = v[2];
    p->iv.first_months = (int)v[3];
    bool created;
    if (plans_put(r->db, &r->actor, p, &created, &r->err) < 0)
        goto out;
    rc = reply(r, created ? 201 : 200, view_plan(p));
out:
    free(p);
    return rc;
}

int h_plans_list(struct req *r)
{
    struct plan *all;
    size_t n;
    if (plans_list(r->db, &r->actor, &all, &n, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_plan(&all[i]));
    free(all);
    /* What applies where no plan of the store does (MR-1 defaults). */
    struct plan builtin;
    memset(&builtin, 0, sizeof builtin);
    builtin.iv.interval_km = PLAN_DEFAULT_INTERVAL_KM;
    builtin.iv.interval_months = PLAN_DEFAULT_INTERVAL_MONTHS;
    builtin.iv.first_km = PLAN_DEFAULT_FIRST_KM;
    builtin.iv.first_months = PLAN_DEFAULT_FIRST_MONTHS;
    return reply(r, 200,
                 json_pack("{s:o, s:o}", "items", items, "builtin_default", view_plan(&builtin)));
}

int h_plans_get(struct req *r)
{
    struct plan *p = malloc(sizeof *p);
    if (!p)
        return req_fail(r, "internal", NULL, "out of memory");
    int rc = plans_get(r->db, &r->actor, r->ids[0], p, &r->err);
    if (rc == 0)
        reply(r, 200, view_plan(p));
    free(p);
    return rc;
}

int h_plans_delete(struct req *r)
{
    if (plans_delete(r->db, &r->actor, r->ids[0], &r->err) < 0)
        return -1;
    return reply(r, 204, NULL);
}
