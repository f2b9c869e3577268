/* /api/v1/messages (the outbox, MR-3), /api/v1/templates, and the SMS gateway's inbound
 * webhook (opt-out replies, docs/sms-gateway.md). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mask.h"
#include "core/outbox.h"
#include "core/phone.h"
#include "core/template.h"
#include "http/http.h"
#include "notify/notify.h"
#include "store/messages.h"

static json_t *view_message(const struct req *r, const struct message *m, bool detail)
{
    bool full = mask_phone_in_full(r->actor.role, detail ? PHONE_VIEW_CALL : PHONE_VIEW_LIST);
    json_t *recipient;
    if (strcmp(m->channel, "sms") == 0)
        recipient = phone_value(m->recipient, full);
    else
        recipient = full ? json_string(m->recipient) : json_string("***");
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:i, s:s, s:o, s:b, s:s, s:o}", "id",
        (json_int_t)m->id, "kind", m->kind, "channel", m->channel, "customer_id",
        m->customer_id ? json_integer(m->customer_id) : json_null(), "vehicle_id",
        m->vehicle_id ? json_integer(m->vehicle_id) : json_null(), "task_id",
        m->task_id ? json_integer(m->task_id) : json_null(), "campaign_id",
        m->campaign_id ? json_integer(m->campaign_id) : json_null(), "recipient", recipient,
        "status", MESSAGE_STATUS_NAMES[m->status], "status_reason", jstr_or_null(m->status_reason),
        "attempts", m->attempts, "next_attempt_at", m->next_attempt_at, "last_error",
        jstr_or_null(m->last_error), "duplicate_risk", m->duplicate_risk, "created_at",
        m->created_at, "sent_at", jstr_or_null(m->sent_at));
    json_object_set_new(o, "subject", jstr_or_null(m->subject));
    json_object_set_new(o, "body", json_string(m->body ? m->body : ""));
    return o;
}

int h_messages_list(struct req *r)
{
    struct message_filter f = {0};
    int limit;
    int64_t cursor;
    if (req_page(r, &limit, &cursor) < 0 ||
        req_query_enum(r, "status", MESSAGE_STATUS_NAMES, MSG_STATUS_COUNT, &f.status) < 0 ||
        req_query_id(r, "customer_id", &f.customer_id) < 0 ||
        req_query_id(r, "vehicle_id", &f.vehicle_id) < 0 ||
        req_query_id(r, "campaign_id", &f.campaign_id) < 0)
        return -1;
    f.kind = req_query(r, "kind");
    if (f.kind && !*f.kind)
        f.kind = NULL;
    struct message *m;
    size_t n;
    bool more;
    if (messages_list(r->db, &r->actor, &f, cursor, limit, &m, &n, &more, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_message(r, &m[i], false));
    int64_t last = n ? m[n - 1].id : 0;
    messages_free(m, n);
    return reply_page(r, items, more, last);
}

int h_messages_get(struct req *r)
{
    struct message m;
    if (messages_get(r->db, &r->actor, r->ids[0], &m, &r->err) < 0)
        return -1;
    reply(r, 200, view_message(r, &m, true));
    message_clear(&m);
    return 0;
}

/* ---- templates ---- */

static json_t *view_template(const struct message_template *t)
{
    return json_pack("{s:s, s:s, s:o, s:s, s:b, s:o}", "kind", t->kind, "channel", t->channel,
                     "subject", jstr_or_null(t->subject), "body", t->body, "builtin", t->builtin,
                     "updated_at", jstr_or_null(t->updated_at));
}

int h_templates_list(struct req *r)
{
    struct message_template *t;
    size_t n;
    if (templates_list(r->db, &r->actor, &t, &n, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_template(&t[i]));
    free(t);
    return reply(r, 200, json_pack("{s:o}", "items", items));
}

int h_templates_put(struct req *r)
{
    static const char *const fields[] = {"kind", "channel", "subject", "body", NULL};
    static const char *const CHANNELS[] = {"sms", "email"};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct message_template *t = calloc(1, sizeof *t);
    if (!t)
        return req_fail(r, "internal", NULL, "out of memory");
    int channel, rc = -1;
    if (jin_text(r->body, "kind", true, 31, false, t->kind, sizeof t->kind, &r->err) < 0 ||
        jin_enum(r->body, "channel", true, CHANNELS, 2, &channel, &r->err) < 0 ||
        jin_text(r->body, "subject", false, 64, false, t->subject, sizeof t->subject, &r->err) <
            0 ||
        jin_text(r->body, "body", true, TEMPLATE_MAX_CHARS, true, t->body, sizeof t->body,
                 &r->err) < 0 ||
        template_check(t->body, "body", &r->err) < 0 ||
        template_check(t->subject, "subject", &r->err) < 0)
        goto out;
    snprintf(t->channel, sizeof t->channel, "%s", CHANNELS[channel]);
    if (channel == 1 && !t->subject[0]) {
        req_fail(r, "missing_field", "subject", "an e-mail template needs a subject");
        goto out;
    }
    if (templates_put(r->db, &r->actor, t, &r->err) < 0 ||
        templates_get(r->db, r->actor.store_id, t->kind, t->channel, t, &r->err) < 0)
        goto out;
    rc = reply(r, 200, view_template(t));
out:
    free(t);
    return rc;
}

/* ---- the SMS gateway's webhook ---- */

int h_sms_inbound(struct req *r)
{
    /* Not a session: the gateway signs the body with the shared secret. */
    const char *secret = r->cfg->sms_secret;
    const char *ts = req_header(r, "X-DMS-Timestamp"), *sig = req_header(r, "X-DMS-Signature");
    if (!secret || !*secret)
        return req_fail(r, "not_found", NULL, "no SMS gateway is configured");
    if (!ts || !sig || !r->raw_body ||
        !sms_verify(secret, ts, r->raw_body, r->raw_len, sig, (int64_t)time(NULL)))
        return req_fail(r, "bad_signature", NULL,
                        "missing, wrong or stale X-DMS-Signature / X-DMS-Timestamp");
    static const char *const fields[] = {"from", "text", "store", "id", "received_at", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    const char *from, *text, *store = NULL;
    if (jin_string(r->body, "from", true, &from, &r->err) < 0 ||
        jin_string(r->body, "text", true, &text, &r->err) < 0 ||
        jin_string(r->body, "store", false, &store, &r->err) < 0)
        return -1;
    char phone[PHONE_MAX];
    enum phone_kind kind;
    if (phone_normalize(from, phone, &kind, "from", &r->err) < 0)
        return -1;
    int64_t n = 0;
    if (outbox_is_opt_out(text) &&
        customers_sms_opt_out(r->db, phone, store && *store ? store : NULL, r->actor.now, &n,
                              &r->err) < 0)
        return -1;
    return reply(
        r, 200,
        json_pack("{s:b, s:I}", "opt_out", outbox_is_opt_out(text), "customers", (json_int_t)n));
}
