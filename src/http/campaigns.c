/* /api/v1/campaigns: recalls, technical upgrades, promotions and greetings (CS-5, CS-7). */
#include <stdlib.h>
#include <string.h>

#include "core/customer.h"
#include "core/template.h"
#include "core/vehicle.h"
#include "core/vin.h"
#include "http/http.h"
#include "store/campaigns.h"

static json_t *view_campaign(const struct campaign *c)
{
    json_t *sel = json_loads(c->selection ? c->selection : "{}", 0, NULL);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:{s:I, s:I, s:I, s:I, s:I, "
                     "s:I}}",
                     "id", (json_int_t)c->id, "kind", CAMPAIGN_KIND_NAMES[c->kind], "name", c->name,
                     "channel", CHANNEL_NAMES[c->channel], "template", c->template_text, "subject",
                     jstr_or_null(c->subject), "selection", sel ? sel : json_null(), "deadline",
                     c->deadline, "created_at", c->created_at, "counts", "vehicles",
                     (json_int_t)c->vehicles, "tasks", (json_int_t)c->tasks, "messages",
                     (json_int_t)c->messages, "no_consent", (json_int_t)c->no_consent, "done",
                     (json_int_t)c->done, "completed", (json_int_t)c->completed);
}

static void free_vins(struct campaign_selection *s)
{
    for (size_t i = 0; i < s->n_vins; i++)
        free(s->vins[i]);
    free(s->vins);
}

static int parse_selection(struct req *r, json_t *v, struct campaign_selection *s)
{
    memset(s, 0, sizeof *s);
    s->classification = -1;
    if (!json_is_object(v))
        return req_fail(r, "invalid_field", "selection",
                        "selection is an object: {\"vins\": [...]}, or brand/model/year_from/"
                        "year_to/classification");
    static const char *const fields[] = {"vins",    "brand",          "model", "year_from",
                                         "year_to", "classification", NULL};
    if (jin_only(v, fields, "selection.", &r->err) < 0)
        return -1;
    json_t *vins = json_object_get(v, "vins");
    if (vins) {
        if (json_object_size(v) != 1)
            return req_fail(r, "invalid_field", "selection",
                            "a VIN list is a selection of its own");
        if (!json_is_array(vins) || json_array_size(vins) == 0 ||
            json_array_size(vins) > CAMPAIGN_MAX_VINS)
            return req_fail(r, "invalid_field", "selection.vins", "vins is a list of 1-%d VINs",
                            CAMPAIGN_MAX_VINS);
        s->vins = calloc(json_array_size(vins), sizeof *s->vins);
        if (!s->vins)
            return req_fail(r, "internal", NULL, "out of memory");
        size_t i;
        json_t *it;
        json_array_foreach(vins, i, it)
        {
            char norm[VIN_LEN + 1];
            if (!json_is_string(it))
                return req_fail(r, "invalid_field", "selection.vins", "VINs are strings");
            /* A recall list may hold old cars without a check digit: the format must hold. */
            if (vin_normalize(json_string_value(it), norm, false, &r->err) < 0) {
                snprintf(r->err.field, sizeof r->err.field, "selection.vins[%zu]", i);
                return -1;
            }
            s->vins[s->n_vins] = strdup(norm);
            if (!s->vins[s->n_vins])
                return req_fail(r, "internal", NULL, "out of memory");
            s->n_vins++;
        }
        return 0;
    }
    int64_t from = 0, to = 0;
    int cls = -1;
    if (jin_text(v, "brand", false, VEHICLE_TEXT_CHARS, false, s->brand, sizeof s->brand, &r->err) <
            0 ||
        jin_text(v, "model", false, VEHICLE_TEXT_CHARS, false, s->model, sizeof s->model, &r->err) <
            0 ||
        jin_int(v, "year_from", false, VEHICLE_FIRST_MODEL_YEAR, 2999, &from, &r->err) < 0 ||
        jin_int(v, "year_to", false, VEHICLE_FIRST_MODEL_YEAR, 2999, &to, &r->err) < 0 ||
        jin_enum(v, "classification", false, CUSTOMER_CLASS_NAMES, CLASS_COUNT, &cls, &r->err) < 0)
        return jin_prefix_field(&r->err, "selection.");
    if (from && to && from > to)
        return req_fail(r, "invalid_field", "selection.year_to", "year_to is before year_from");
    if (!s->brand[0] && !s->model[0] && !from && !to && cls < 0)
        return req_fail(r, "missing_field", "selection",
                        "select by VINs, brand, model, model years or classification");
    s->year_from = (int)from;
    s->year_to = (int)to;
    s->classification = cls;
    return 0;
}

int h_campaigns_create(struct req *r)
{
    static const char *const fields[] = {"kind",    "name",      "channel",  "template",
                                         "subject", "selection", "deadline", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct campaign *c = calloc(1, sizeof *c);
    if (!c)
        return req_fail(r, "internal", NULL, "out of memory");
    struct campaign_selection sel = {0};
    int kind, channel, rc = -1;
    char **unmatched = NULL;
    size_t n_unmatched = 0;
    dms_day deadline = 0;
    int has_deadline;
    if (jin_enum(r->body, "kind", true, CAMPAIGN_KIND_NAMES, CAMPAIGN_KIND_COUNT, &kind, &r->err) <
            0 ||
        jin_text(r->body, "name", true, 64, false, c->name, sizeof c->name, &r->err) < 0 ||
        jin_enum(r->body, "channel", true, CHANNEL_NAMES, CHANNEL_COUNT, &channel, &r->err) < 0 ||
        jin_text(r->body, "template", true, TEMPLATE_MAX_CHARS, true, c->template_text,
                 sizeof c->template_text, &r->err) < 0 ||
        jin_text(r->body, "subject", false, 64, false, c->subject, sizeof c->subject, &r->err) <
            0 ||
        (has_deadline = jin_date(r->body, "deadline", false, c->deadline, &deadline, &r->err)) <
            0 ||
        template_check(c->template_text, "template", &r->err) < 0 ||
        template_check(c->subject, "subject", &r->err) < 0)
        goto out;
    if (!json_object_get(r->body, "selection")) {
        req_fail(r, "missing_field", "selection", "selection is required");
        goto out;
    }
    if (parse_selection(r, json_object_get(r->body, "selection"), &sel) < 0)
        goto out;
    if (has_deadline != JIN_VALUE)
        date_format(r->actor.today + 30, c->deadline);
    else if (deadline < r->actor.today) {
        req_fail(r, "invalid_date", "deadline", "the deadline has passed");
        goto out;
    }
    c->kind = (enum campaign_kind)kind;
    c->channel = (enum campaign_channel)channel;
    char *selection = json_dumps(json_object_get(r->body, "selection"), JSON_COMPACT);
    if (!selection) {
        req_fail(r, "internal", NULL, "out of memory");
        goto out;
    }
    rc = campaigns_create(r->db, &r->actor, c, &sel, selection, &unmatched, &n_unmatched, &r->err);
    free(selection);
    if (rc == 0) {
        json_t *o = view_campaign(c), *um = json_array();
        for (size_t i = 0; i < n_unmatched; i++)
            json_array_append_new(um, json_string(unmatched[i] ? unmatched[i] : ""));
        json_object_set_new(o, "unmatched_vins", um);
        reply(r, 201, o);
    }
out:
    for (size_t i = 0; i < n_unmatched; i++)
        free(unmatched[i]);
    free(unmatched);
    free_vins(&sel);
    campaign_clear(c);
    free(c);
    return rc;
}

int h_campaigns_list(struct req *r)
{
    int limit;
    int64_t cursor;
    if (req_page(r, &limit, &cursor) < 0)
        return -1;
    struct campaign *c;
    size_t n;
    bool more;
    if (campaigns_list(r->db, &r->actor, cursor, limit, &c, &n, &more, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_campaign(&c[i]));
    int64_t last = n ? c[n - 1].id : 0;
    campaigns_free(c, n);
    return reply_page(r, items, more, last);
}

int h_campaigns_get(struct req *r)
{
    struct campaign *c = calloc(1, sizeof *c);
    if (!c)
        return req_fail(r, "internal", NULL, "out of memory");
    int rc = campaigns_get(r->db, &r->actor, r->ids[0], c, &r->err);
    if (rc == 0)
        reply(r, 200, view_campaign(c));
    campaign_clear(c);
    free(c);
    return rc;
}

int h_campaigns_vehicles(struct req *r)
{
    int limit;
    int64_t cursor;
    if (req_page(r, &limit, &cursor) < 0)
        return -1;
    struct campaign_vehicle *v;
    size_t n;
    bool more;
    if (campaigns_vehicles(r->db, &r->actor, r->ids[0], cursor, limit, &v, &n, &more, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            items,
            json_pack("{s:I, s:I, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "vehicle_id",
                      (json_int_t)v[i].vehicle_id, "customer_id", (json_int_t)v[i].customer_id,
                      "vin", v[i].vin, "plate", jstr_or_null(v[i].plate), "status", v[i].status,
                      "last_outcome", jstr_or_null(v[i].last_outcome), "task_id",
                      v[i].task_id ? json_integer(v[i].task_id) : json_null(), "message_id",
                      v[i].message_id ? json_integer(v[i].message_id) : json_null(),
                      "service_record_id",
                      v[i].service_record_id ? json_integer(v[i].service_record_id) : json_null(),
                      "completed_at", jstr_or_null(v[i].completed_at)));
    int64_t last = n ? v[n - 1].vehicle_id : 0;
    free(v);
    return reply_page(r, items, more, last);
}
