/* /api/v1/maintenance-plans (MR-1, IN-7) and the store's settings (/api/v1/settings, also
 * at its first path /api/v1/store/settings). */
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/outbox.h"
#include "http/http.h"

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

/* ---- settings ---- */

/* "a@x.cn, b@y.cn" as a list. */
static json_t *emails_value(const char *list)
{
    json_t *a = json_array();
    char copy[SETTINGS_EMAILS_MAX];
    snprintf(copy, sizeof copy, "%s", list);
    for (char *save = NULL, *e = strtok_r(copy, ", ", &save); e; e = strtok_r(NULL, ", ", &save))
        json_array_append_new(a, json_string(e));
    return a;
}

static json_t *view_settings(const struct store_settings *s)
{
    char gen[8], qf[8], qu[8];
    hhmm_format(s->generate_at, gen), hhmm_format(s->quiet_from, qf),
        hhmm_format(s->quiet_until, qu);
    const struct task_settings *t = &s->tasks;
    return json_pack(
        "{s:o, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:s, s:i, s:i, s:i, s:i, "
        "s:s, s:s, s:s, s:i, s:i, s:o}",
        "store_phone", jstr_or_null(s->store_phone), "default_daily_km", s->default_daily_km,
        "message_days", t->message_days, "call_days", t->call_days, "call_window_days",
        t->call_window_days, "followup_days", t->followup_days, "followup_window_days",
        t->followup_window_days, "month_deadline_day", t->month_deadline_day, "lost_months",
        t->lost_months, "lost_basis", s->lost_basis, "renewal_days", t->renewal_days,
        "max_attempts", t->max_attempts, "callback_busy_minutes", s->callback_busy_minutes,
        "callback_parts_minutes", s->callback_parts_minutes, "generate_at", gen, "quiet_from", qf,
        "quiet_until", qu, "float_min", s->float_min, "slot_step_min", s->slot_step_min,
        "escalation_emails", emails_value(s->escalation_emails));
}

/* IN-18: escalation_emails is a list of e-mail addresses (at most 10), kept normalised. */
static int emails_setting(struct req *r, char out[SETTINGS_EMAILS_MAX])
{
    json_t *a = json_object_get(r->body, "escalation_emails");
    if (!a)
        return 0;
    if (!json_is_array(a) || json_array_size(a) > 10)
        return req_fail(r, "invalid_field", "escalation_emails",
                        "escalation_emails is a list of at most 10 e-mail addresses");
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *e = json_array_get(a, i);
        char norm[EMAIL_MAX];
        if (!json_is_string(e) ||
            email_normalize(json_string_value(e), norm, "escalation_emails", &r->err) < 0)
            return req_fail(r, "invalid_email", "escalation_emails",
                            "escalation_emails[%zu] is not an e-mail address", i);
        o += (size_t)snprintf(out + o, SETTINGS_EMAILS_MAX - o, "%s%s", o ? ", " : "", norm);
        if (o >= SETTINGS_EMAILS_MAX)
            return req_fail(r, "invalid_field", "escalation_emails", "too many addresses");
    }
    return 0;
}

int h_settings_get(struct req *r)
{
    struct store_settings s;
    if (settings_get(r->db, r->actor.store_id, &s, &r->err) < 0)
        return -1;
    return reply(r, 200, view_settings(&s));
}

static int int_setting(struct req *r, const char *key, int64_t min, int64_t max, int *field)
{
    int64_t v;
    int rc = jin_int(r->body, key, false, min, max, &v, &r->err);
    if (rc == JIN_VALUE)
        *field = (int)v;
    return rc < 0 ? -1 : 0;
}

static int time_setting(struct req *r, const char *key, int *field)
{
    const char *s;
    int rc = jin_string(r->body, key, false, &s, &r->err);
    if (rc < 0)
        return -1;
    if (rc == JIN_VALUE && outbox_parse_hhmm(s, field, key, &r->err) < 0)
        return -1;
    return 0;
}

/* The PATCH's fields over the settings as they are (store_edit). */
static int edit_settings(void *ctx, void *row, struct dms_error *err)
{
    (void)err; /* the parsers fill the request's */
    struct req *r = ctx;
    struct store_settings *next = row;
    struct task_settings *t = &next->tasks;
    static const char *const BASES[] = {"due_date", "last_visit"};
    int basis = strcmp(next->lost_basis, "last_visit") == 0;
    const char *phone;
    int rc = jin_string(r->body, "store_phone", false, &phone, &r->err);
    if (rc < 0)
        return -1;
    if (rc == JIN_NULL || (rc == JIN_VALUE && !*phone)) {
        next->store_phone[0] = '\0';
    } else if (rc == JIN_VALUE) {
        enum phone_kind kind;
        if (phone_normalize(phone, next->store_phone, &kind, "store_phone", &r->err) < 0)
            return -1;
    }
    if (int_setting(r, "default_daily_km", 1, 2000, &next->default_daily_km) < 0 ||
        int_setting(r, "message_days", 1, 90, &t->message_days) < 0 ||
        int_setting(r, "call_days", 1, 90, &t->call_days) < 0 ||
        int_setting(r, "call_window_days", 1, 30, &t->call_window_days) < 0 ||
        int_setting(r, "followup_days", 1, 30, &t->followup_days) < 0 ||
        int_setting(r, "followup_window_days", 1, 30, &t->followup_window_days) < 0 ||
        int_setting(r, "month_deadline_day", 1, 28, &t->month_deadline_day) < 0 ||
        int_setting(r, "lost_months", 1, 36, &t->lost_months) < 0 ||
        jin_enum(r->body, "lost_basis", false, BASES, 2, &basis, &r->err) < 0 ||
        int_setting(r, "renewal_days", 1, 120, &t->renewal_days) < 0 ||
        int_setting(r, "max_attempts", 1, 10, &t->max_attempts) < 0 ||
        int_setting(r, "callback_busy_minutes", 1, 240, &next->callback_busy_minutes) < 0 ||
        int_setting(r, "callback_parts_minutes", 1, 240, &next->callback_parts_minutes) < 0 ||
        time_setting(r, "generate_at", &next->generate_at) < 0 ||
        time_setting(r, "quiet_from", &next->quiet_from) < 0 ||
        time_setting(r, "quiet_until", &next->quiet_until) < 0 ||
        int_setting(r, "float_min", 0, 240, &next->float_min) < 0 ||
        int_setting(r, "slot_step_min", 5, 60, &next->slot_step_min) < 0)
        return -1;
    /* The CHECK of store_settings.slot_step_min: steps that divide the hour. */
    static const int STEPS[] = {5, 10, 15, 20, 30, 60};
    bool step_ok = false;
    for (size_t i = 0; i < sizeof STEPS / sizeof STEPS[0]; i++)
        step_ok = step_ok || next->slot_step_min == STEPS[i];
    if (!step_ok)
        return req_fail(r, "invalid_field", "slot_step_min",
                        "slot_step_min is one of 5, 10, 15, 20, 30, 60");
    if (emails_setting(r, next->escalation_emails) < 0)
        return -1;
    snprintf(next->lost_basis, sizeof next->lost_basis, "%s", BASES[basis]);
    return 0;
}

int h_settings_update(struct req *r)
{
    static const char *const fields[] = {"store_phone",
                                         "default_daily_km",
                                         "message_days",
                                         "call_days",
                                         "call_window_days",
                                         "followup_days",
                                         "followup_window_days",
                                         "month_deadline_day",
                                         "lost_months",
                                         "lost_basis",
                                         "renewal_days",
                                         "max_attempts",
                                         "callback_busy_minutes",
                                         "callback_parts_minutes",
                                         "generate_at",
                                         "quiet_from",
                                         "quiet_until",
                                         "float_min",
                                         "slot_step_min",
                                         "escalation_emails",
                                         NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct store_settings prev, next;
    if (settings_update(r->db, &r->actor, edit_settings, r, &prev, &next, &r->err) < 0)
        return -1;
    /* MR-1: the default daily km projects every car without enough readings. */
    if (next.default_daily_km != prev.default_daily_km &&
        schedule_recompute(r->db, &r->actor, 1, INT64_MAX, NULL, &r->err) < 0)
        return -1;
    return reply(r, 200, view_settings(&next));
}
