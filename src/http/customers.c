/* /api/v1/customers: the customer archive (CRM-1..CRM-6). */
#include <stdlib.h>
#include <string.h>

#include "core/customer.h"
#include "core/mask.h"
#include "core/phone.h"
#include "core/text.h"
#include "http/http.h"
#include "store/credit.h"
#include "store/customers.h"
#include "store/privacy.h"
#include "store/vehicles.h"

static int parse_phone_entry(struct req *r, json_t *item, size_t i, struct customer_phone *out)
{
    char field[32];
    snprintf(field, sizeof field, "phones[%zu]", i);
    const char *number = NULL;
    int label = PHONE_LABEL_MOBILE;
    if (json_is_string(item)) {
        number = json_string_value(item);
    } else if (json_is_object(item)) {
        static const char *const allowed[] = {"number", "label", NULL};
        char prefix[40];
        snprintf(prefix, sizeof prefix, "%s.", field);
        if (jin_only(item, allowed, prefix, &r->err) < 0 ||
            jin_string(item, "number", true, &number, &r->err) < 0 ||
            jin_enum(item, "label", false, PHONE_LABEL_NAMES, PHONE_LABEL_COUNT, &label, &r->err) <
                0) {
            if (strncmp(r->err.field, "phones", 6) != 0)
                jin_prefix_field(&r->err, prefix);
            return -1;
        }
    } else {
        return req_fail(r, "invalid_field", field,
                        "a phone is a string or {\"number\", \"label\"}");
    }
    enum phone_kind kind;
    if (phone_normalize(number, out->number, &kind, field, &r->err) < 0)
        return -1;
    /* Without a label, a landline is not a mobile. */
    if (!json_is_object(item) || !json_object_get(item, "label"))
        label = (int)customer_phone_label_of(kind);
    out->label = (enum phone_label)label;
    return 0;
}

static int parse_phones(struct req *r, json_t *body, struct customer *c)
{
    json_t *one = json_object_get(body, "phone"), *many = json_object_get(body, "phones");
    if (one && many)
        return req_fail(r, "invalid_field", "phone", "send either phone or phones, not both");
    if (one) {
        if (json_is_null(one)) {
            c->n_phones = 0;
            return 0;
        }
        if (!json_is_string(one))
            return req_fail(r, "invalid_field", "phone", "phone must be a string");
        struct customer_phone first;
        enum phone_kind kind;
        if (phone_normalize(json_string_value(one), first.number, &kind, "phone", &r->err) < 0)
            return -1;
        /* As in "phones": without a label, only a mobile is a mobile. */
        first.label = customer_phone_label_of(kind);
        /* "phone" replaces the primary number and keeps the others (CRM-4). */
        c->n_phones = customer_phones_put_first(c->phones, c->n_phones, &first);
        return 0;
    }
    if (!many)
        return 0;
    if (json_is_null(many)) {
        c->n_phones = 0;
        return 0;
    }
    if (!json_is_array(many))
        return req_fail(r, "invalid_field", "phones", "phones must be an array");
    if (json_array_size(many) > CUSTOMER_MAX_PHONES)
        return req_fail(r, "invalid_field", "phones", "at most %d phone numbers",
                        CUSTOMER_MAX_PHONES);
    struct customer_phone phones[CUSTOMER_MAX_PHONES];
    size_t i;
    json_t *item;
    json_array_foreach(many, i, item)
    {
        if (parse_phone_entry(r, item, i, &phones[i]) < 0)
            return -1;
        if (customer_phones_repeated(phones, (int)i + 1) >= 0) {
            char field[32];
            snprintf(field, sizeof field, "phones[%zu]", i);
            return req_fail(r, "invalid_field", field, "the same number twice");
        }
    }
    memcpy(c->phones, phones, json_array_size(many) * sizeof phones[0]);
    c->n_phones = (int)json_array_size(many);
    return 0;
}

static int parse_consent(struct req *r, json_t *body, struct customer *c)
{
    json_t *v = json_object_get(body, "consent");
    if (!v)
        return 0;
    if (!json_is_object(v))
        return req_fail(r, "invalid_field", "consent",
                        "consent is an object such as {\"sms\": true, \"phone\": true}");
    static const char *const allowed[] = {"sms", "email", "phone", "marketing", NULL};
    if (jin_only(v, allowed, "consent.", &r->err) < 0)
        return -1;
    for (int i = 0; i < CONSENT_COUNT; i++) {
        bool b;
        int rc = jin_bool(v, CONSENT_CHANNEL_NAMES[i], false, &b, &r->err);
        if (rc < 0)
            return jin_prefix_field(&r->err, "consent.");
        if (rc == JIN_VALUE)
            c->consent[i] = b;
        /* Consenting to SMS again after an opt-out reply (TD) lifts the opt-out. */
        if (rc == JIN_VALUE && i == CONSENT_SMS && b)
            c->sms_opted_out_at[0] = '\0';
    }
    return 0;
}

static int parse_needs(struct req *r, json_t *body, struct customer *c)
{
    json_t *v = json_object_get(body, "needs");
    if (!v)
        return 0;
    if (json_is_null(v)) {
        c->needs = 0;
        return 0;
    }
    if (!json_is_array(v))
        return req_fail(r, "invalid_field", "needs", "needs is an array of names");
    unsigned needs = 0;
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        int k = json_is_string(item)
                    ? enum_index(CUSTOMER_NEED_NAMES, NEED_COUNT, json_string_value(item))
                    : -1;
        if (k < 0)
            return req_fail(r, "invalid_field", "needs",
                            "needs are pickup, delivery, accessories, insurance_renewal, claim, "
                            "wash");
        needs |= 1u << k;
    }
    c->needs = needs;
    return 0;
}

/* Optional text: a value sets it, null clears it, absence keeps it. */
static int opt_text(struct req *r, json_t *body, const char *key, long max, bool multiline,
                    char *out, size_t cap)
{
    char buf[CUSTOMER_NOTES_CHARS * 4 + 1];
    int rc = jin_text(body, key, false, max, multiline, buf, sizeof buf, &r->err);
    if (rc == JIN_VALUE)
        snprintf(out, cap, "%s", buf);
    else if (rc == JIN_NULL)
        out[0] = '\0';
    return rc < 0 ? -1 : 0;
}

/* Applies the fields present in body onto c. */
static int parse_fields(struct req *r, json_t *body, struct customer *c, bool create)
{
    int type = c->type, cls = c->classification;
    int name = jin_text(body, "name", create, CUSTOMER_NAME_CHARS, false, c->name, sizeof c->name,
                        &r->err);
    if (name < 0)
        return -1;
    if (name == JIN_NULL || (name == JIN_VALUE && !c->name[0]))
        return req_fail(r, "missing_field", "name", "name cannot be removed");
    if (opt_text(r, body, "title", CUSTOMER_TITLE_CHARS, false, c->title, sizeof c->title) < 0 ||
        jin_enum(body, "type", false, CUSTOMER_TYPE_NAMES, CUSTOMER_TYPE_COUNT, &type, &r->err) <
            0 ||
        jin_enum(body, "classification", false, CUSTOMER_CLASS_NAMES, CLASS_COUNT, &cls, &r->err) <
            0 ||
        parse_phones(r, body, c) < 0 || parse_consent(r, body, c) < 0 ||
        parse_needs(r, body, c) < 0 ||
        opt_text(r, body, "address", CUSTOMER_ADDRESS_CHARS, false, c->address, sizeof c->address) <
            0 ||
        opt_text(r, body, "needs_note", 500, true, c->needs_note, sizeof c->needs_note) < 0 ||
        opt_text(r, body, "notes", CUSTOMER_NOTES_CHARS, true, c->notes, sizeof c->notes) < 0)
        return -1;
    static const char *const CHANNELS[] = {"sms", "email"};
    int channel = c->prefers_email ? 1 : 0;
    if (jin_enum(body, "preferred_channel", false, CHANNELS, 2, &channel, &r->err) < 0)
        return -1;
    c->prefers_email = channel == 1;
    c->type = (enum customer_type)type;
    /* CRM-2: a class sent by a person is a class set by hand. */
    if (json_object_get(body, "classification"))
        c->classification_by_rules = false;
    c->classification = (enum customer_class)cls;
    const char *email;
    int rc = jin_string(body, "email", false, &email, &r->err);
    if (rc < 0)
        return -1;
    if (rc == JIN_NULL || (rc == JIN_VALUE && email[0] == '\0'))
        c->email[0] = '\0';
    else if (rc == JIN_VALUE && email_normalize(email, c->email, "email", &r->err) < 0)
        return -1;
    return 0;
}

static const char *const CUSTOMER_FIELDS[] = {"name",
                                              "title",
                                              "type",
                                              "classification",
                                              "phone",
                                              "phones",
                                              "email",
                                              "address",
                                              "consent",
                                              "needs",
                                              "needs_note",
                                              "notes",
                                              "preferred_channel",
                                              NULL};

/* The detail view of a loaded customer, with drivers; contact_change as customers_update
 * reports it (0 when there was none). */
static int respond_customer(struct req *r, int status, const struct customer *c, int contact_change)
{
    struct driver *drivers;
    size_t n;
    if (drivers_list(r->db, &r->actor, c->id, &drivers, &n, &r->err) < 0)
        return -1;
    struct credit cr;
    if (credit_get(r->db, &r->actor, c->id, &cr, &r->err) < 0) {
        free(drivers);
        return -1;
    }
    json_t *out = view_customer(r, c, true), *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, view_driver(r, &drivers[i]));
    free(drivers);
    /* CRM-2: who set the class, when and why; CRM-3: the credit analysis. */
    json_object_set_new(out, "classification_source",
                        json_string(c->classification_by_rules ? "rules" : "hand"));
    json_object_set_new(out, "classification_locked", json_boolean(c->classification_locked));
    json_object_set_new(out, "classification_at", jstr_or_null(c->classification_at));
    json_object_set_new(out, "classification_reason", jstr_or_null(c->classification_reason));
    json_object_set_new(out, "credit", view_credit(&cr));
    json_object_set_new(out, "drivers", list);
    /* IN-20: the customer's complaints still open (not closed). */
    json_object_set_new(out, "open_complaints", view_open_complaints(r, c->id));
    if (contact_change)
        json_object_set_new(out, "contact_change",
                            json_string(contact_change > 0 ? "recorded" : "declined"));
    return reply(r, status, out);
}

/* Loads customer id and answers its detail view. */
static int respond_customer_id(struct req *r, int status, int64_t id)
{
    struct customer *c = malloc(sizeof *c);
    if (!c)
        return req_fail(r, "internal", NULL, "out of memory");
    int rc = customers_get(r->db, &r->actor, id, c, &r->err);
    if (rc == 0)
        rc = respond_customer(r, status, c, 0);
    free(c);
    return rc;
}

int h_customers_create(struct req *r)
{
    if (jin_body(r) < 0 || jin_only(r->body, CUSTOMER_FIELDS, NULL, &r->err) < 0)
        return -1;
    struct customer *c = calloc(1, sizeof *c);
    if (!c)
        return req_fail(r, "internal", NULL, "out of memory");
    c->type = CUSTOMER_INDIVIDUAL;
    c->classification = CLASS_REGULAR;
    /* customers_create reloads c as stored. */
    int rc = parse_fields(r, r->body, c, true);
    if (rc == 0)
        rc = customers_create(r->db, &r->actor, c, &r->err);
    if (rc == 0)
        rc = respond_customer(r, 201, c, 0);
    free(c);
    return rc;
}

int h_customers_get(struct req *r)
{
    return respond_customer_id(r, 200, r->ids[0]);
}

int h_customers_update(struct req *r)
{
    static const char *const fields[] = {"name",
                                         "title",
                                         "type",
                                         "classification",
                                         "phone",
                                         "phones",
                                         "email",
                                         "address",
                                         "consent",
                                         "needs",
                                         "needs_note",
                                         "notes",
                                         "contact_consent",
                                         "preferred_channel",
                                         "classification_locked",
                                         NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct customer *prev = malloc(sizeof *prev), *next = malloc(sizeof *next);
    int rc = -1, change = 0;
    if (!prev || !next) {
        req_fail(r, "internal", NULL, "out of memory");
        goto out;
    }
    if (customers_get_for_update(r->db, &r->actor, r->ids[0], prev, &r->err) < 0)
        goto out;
    *next = *prev;
    if (parse_fields(r, r->body, next, false) < 0)
        goto out;
    bool locked = prev->classification_locked;
    int lk = jin_bool(r->body, "classification_locked", false, &locked, &r->err);
    if (lk < 0)
        goto out;
    if (lk == JIN_VALUE && locked != prev->classification_locked &&
        !role_can(r->actor.role, PERM_PLAN_MANAGE)) {
        /* CRM-2: locking a class against the rules is the manager's decision. */
        req_fail(r, "forbidden", "classification_locked",
                 "只有服务经理可以锁定或解锁客户类别 / only a service manager locks or unlocks a "
                 "customer's class");
        goto out;
    }
    next->classification_locked = locked;
    bool consent = false;
    int has = jin_bool(r->body, "contact_consent", false, &consent, &r->err);
    if (has < 0)
        goto out;
    if (customers_contact_differs(prev, next) && has != JIN_VALUE) {
        /* CRM-4: the caller must say whether the customer agreed to the change. */
        req_fail(r, "missing_field", "contact_consent",
                 "changing phones, e-mail or address needs contact_consent: true when the customer "
                 "agreed, false when they declined");
        goto out;
    }
    /* customers_update reloads next as stored. */
    rc = customers_update(r->db, &r->actor, prev, next, consent, &change, &r->err);
    if (rc == 0)
        rc = respond_customer(r, 200, next, change);
out:
    free(prev);
    free(next);
    return rc;
}

int h_customers_list(struct req *r)
{
    int limit;
    int64_t cursor;
    if (req_page(r, &limit, &cursor) < 0)
        return -1;
    struct customer_filter f = {-1, -1};
    const char *cls = req_query(r, "classification"), *type = req_query(r, "type");
    if (cls && (f.classification = enum_index(CUSTOMER_CLASS_NAMES, CLASS_COUNT, cls)) < 0)
        return req_fail(r, "invalid_field", "classification", "unknown classification");
    if (type && (f.type = enum_index(CUSTOMER_TYPE_NAMES, CUSTOMER_TYPE_COUNT, type)) < 0)
        return req_fail(r, "invalid_field", "type", "unknown type");
    struct customer *list;
    size_t n;
    bool more;
    if (customers_list(r->db, &r->actor, &f, cursor, limit, &list, &n, &more, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_customer(r, &list[i], false));
    int64_t last = n ? list[n - 1].id : 0;
    free(list);
    return reply_page(r, items, more, last);
}

/* Paged like every list; the default page is the 200 cars the list was once cut at (a
 * company's fleet can be larger). */
int h_customers_vehicles(struct req *r)
{
    int limit;
    int64_t cursor;
    if (req_page_sized(r, 200, 200, &limit, &cursor) < 0)
        return -1;
    struct customer *c = malloc(sizeof *c);
    if (!c)
        return req_fail(r, "internal", NULL, "out of memory");
    int rc = customers_get(r->db, &r->actor, r->ids[0], c, &r->err);
    free(c);
    if (rc < 0)
        return -1;
    struct vehicle_filter f = {r->ids[0]};
    struct vehicle *list;
    size_t n;
    bool more;
    if (vehicles_list(r->db, &r->actor, &f, cursor, limit, &list, &n, &more, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_vehicle(r, &list[i]));
    int64_t last = n ? list[n - 1].id : 0;
    free(list);
    return reply_page(r, items, more, last);
}

/* Paged like every list; the default page is the 200 events the list was once cut at. */
int h_customers_contact_history(struct req *r)
{
    int limit;
    int64_t cursor;
    if (req_page_sized(r, 200, 200, &limit, &cursor) < 0)
        return -1;
    struct contact_event *list;
    size_t n;
    bool more;
    if (customers_contact_history(r->db, &r->actor, r->ids[0], cursor, limit, &list, &n, &more,
                                  &r->err) < 0)
        return -1;
    bool sees = role_sees_contact_details(r->actor.role);
    /* Numbers as on the card: masked, the full ones only through a recorded reveal. */
    bool full_phones = mask_phone_in_full(r->actor.role, PHONE_VIEW_CARD);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct contact_event *e = &list[i];
        const char *raw[2] = {e->old_value, e->new_value};
        json_t *values[2];
        for (int k = 0; k < 2; k++) {
            char m[sizeof e->old_value];
            if (!sees || !raw[k][0]) {
                values[k] = json_null();
            } else if (strcmp(e->field, "phones") == 0 && !full_phones) {
                mask_phones_text(raw[k], m, sizeof m);
                values[k] = json_string(m);
            } else {
                values[k] = json_string(raw[k]);
            }
        }
        json_array_append_new(
            items, json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:o}", "id",
                             (json_int_t)e->id, "at", e->at, "by", e->username, "event", e->event,
                             "field", jstr_or_null(e->field), "old_value", values[0], "new_value",
                             values[1], "consented", e->consented, "note", jstr_or_null(e->note)));
    }
    int64_t last = n ? list[n - 1].id : 0;
    free(list);
    return reply_page(r, items, more, last);
}

int h_customers_confirm_contact(struct req *r)
{
    static const char *const fields[] = {"outcome", "note", NULL};
    static const char *const outcomes[] = {"confirmed", "declined"};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    int outcome;
    char note[1024] = "";
    if (jin_enum(r->body, "outcome", true, outcomes, 2, &outcome, &r->err) < 0 ||
        jin_text(r->body, "note", false, 200, false, note, sizeof note, &r->err) < 0)
        return -1;
    if (customers_confirm_contact(r->db, &r->actor, r->ids[0], outcome == 0, note, &r->err) < 0)
        return -1;
    return respond_customer_id(r, 201, r->ids[0]);
}

int h_drivers_create(struct req *r)
{
    static const char *const fields[] = {"name", "phone", "relation", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct driver d;
    memset(&d, 0, sizeof d);
    d.customer_id = r->ids[0];
    const char *phone;
    int rc;
    if (jin_text(r->body, "name", true, CUSTOMER_NAME_CHARS, false, d.name, sizeof d.name,
                 &r->err) < 0 ||
        jin_text(r->body, "relation", false, 32, false, d.relation, sizeof d.relation, &r->err) <
            0 ||
        (rc = jin_string(r->body, "phone", false, &phone, &r->err)) < 0)
        return -1;
    if (rc == JIN_VALUE && phone_normalize(phone, d.phone, NULL, "phone", &r->err) < 0)
        return -1;
    if (drivers_add(r->db, &r->actor, &d, &r->err) < 0)
        return -1;
    return reply(r, 201, view_driver(r, &d));
}

int h_drivers_delete(struct req *r)
{
    if (drivers_delete(r->db, &r->actor, r->ids[0], r->ids[1], &r->err) < 0)
        return -1;
    return reply(r, 200, json_pack("{s:b}", "deleted", 1));
}

/* ---- PIPL: phone reveals, export, erasure (store/privacy.c) ---- */

/* The full numbers behind a masked card, each reveal recorded (core/mask.h: who may). */
int h_customers_phone_reveals(struct req *r)
{
    static const char *const fields[] = {"reason", NULL};
    char reason[1024] = "";
    if (r->body &&
        (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
         jin_text(r->body, "reason", false, 200, false, reason, sizeof reason, &r->err) < 0))
        return -1;
    if (!mask_may_reveal_phones(r->actor.role))
        return req_fail(r, "forbidden", NULL, "your role (%s) does not see phone numbers",
                        role_name(r->actor.role));
    struct customer *c = malloc(sizeof *c);
    if (!c)
        return req_fail(r, "internal", NULL, "out of memory");
    struct driver *drivers;
    size_t n;
    int rc = customers_reveal_phones(r->db, &r->actor, r->ids[0], reason, c, &drivers, &n, &r->err);
    if (rc < 0) {
        free(c);
        return -1;
    }
    json_t *phones = json_array(), *ds = json_array();
    for (int i = 0; i < c->n_phones; i++)
        json_array_append_new(phones, json_pack("{s:s, s:s}", "number", c->phones[i].number,
                                                "label", PHONE_LABEL_NAMES[c->phones[i].label]));
    for (size_t i = 0; i < n; i++)
        json_array_append_new(ds,
                              json_pack("{s:I, s:s, s:o}", "id", (json_int_t)drivers[i].id, "name",
                                        drivers[i].name, "phone", jstr_or_null(drivers[i].phone)));
    char at[TIMESTAMP_STR];
    timestamp_format_utc(r->actor.now, at);
    json_t *out = json_pack("{s:I, s:o, s:o, s:o, s:s}", "customer_id", (json_int_t)c->id, "phone",
                            jstr_or_null(c->n_phones ? c->phones[0].number : NULL), "phones",
                            phones, "drivers", ds, "revealed_at", at);
    free(drivers);
    free(c);
    return reply(r, 201, out);
}

int h_customers_export(struct req *r)
{
    if (!mask_may_handle_data_requests(r->actor.role))
        return req_fail(r, "forbidden", NULL,
                        "a customer's data is exported by the service manager or the admin");
    json_t *doc;
    if (customers_export(r->db, &r->actor, r->ids[0], &doc, &r->err) < 0)
        return -1;
    return reply(r, 200, doc);
}

int h_customers_erase(struct req *r)
{
    static const char *const fields[] = {"reason", NULL};
    char reason[1024];
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_text(r->body, "reason", true, 200, false, reason, sizeof reason, &r->err) < 0)
        return -1;
    if (!reason[0])
        return req_fail(r, "missing_field", "reason", "say why the data is erased");
    if (!mask_may_handle_data_requests(r->actor.role))
        return req_fail(r, "forbidden", NULL,
                        "a customer's data is erased by the service manager or the admin");
    struct erase_report rep;
    if (customers_erase(r->db, &r->actor, r->ids[0], reason, &rep, &r->err) < 0)
        return -1;
    struct customer *c = malloc(sizeof *c);
    if (!c)
        return req_fail(r, "internal", NULL, "out of memory");
    int rc = customers_get(r->db, &r->actor, r->ids[0], c, &r->err);
    if (rc == 0) {
        json_t *out =
            json_pack("{s:o, s:s, s:b, s:i, s:i, s:I}", "customer", view_customer(r, c, true),
                      "erased_at", rep.erased_at, "already_erased", rep.already, "messages_stopped",
                      rep.messages_stopped, "tasks_cancelled", rep.tasks_cancelled,
                      "audit_rows_scrubbed", (json_int_t)rep.audit_rows_scrubbed);
        rc = reply(r, 200, out);
    }
    free(c);
    return rc;
}
