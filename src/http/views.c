/* JSON representations of stored entities, with personal data masked for roles that do not
 * need it (core/roles.h: role_sees_contact_details). Phone numbers follow core/mask.h
 * (mask_phone_in_full): masked in lists and on the customer's card for every role; the full
 * numbers come from a recorded reveal (POST /customers/{id}/phone-reveals). The detail view
 * shows the name, e-mail and address in full to advisors, callers and service managers. */
#include "core/booking.h"
#include "core/customer.h"
#include "core/email.h"
#include "core/mask.h"
#include "core/phone.h"
#include "core/schedule.h"
#include "core/service_record.h"
#include "http/http.h"
#include "store/customers.h"
#include "store/service_records.h"
#include "store/users.h"
#include "store/vehicles.h"

json_t *view_needs(unsigned needs)
{
    json_t *a = json_array();
    for (int i = 0; i < NEED_COUNT; i++) {
        if (needs & (1u << i))
            json_array_append_new(a, json_string(CUSTOMER_NEED_NAMES[i]));
    }
    return a;
}

json_t *masked_name(const struct req *r, const char *name)
{
    if (role_sees_contact_details(r->actor.role))
        return json_string(name);
    char m[64];
    mask_name(name, m, sizeof m);
    return json_string(m);
}

json_t *phone_value(const char *number, bool full)
{
    if (!number || !*number)
        return json_null();
    if (full)
        return json_string(number);
    char m[PHONE_MAX];
    phone_mask(number, m);
    return json_string(m);
}

json_t *view_customer(const struct req *r, const struct customer *c, bool detail)
{
    bool sees = role_sees_contact_details(r->actor.role);
    bool full = detail && sees;
    bool phones_full =
        mask_phone_in_full(r->actor.role, detail ? PHONE_VIEW_CARD : PHONE_VIEW_LIST);
    json_t *phones = json_array();
    for (int i = 0; i < c->n_phones; i++)
        json_array_append_new(phones, json_pack("{s:o, s:s}", "number",
                                                phone_value(c->phones[i].number, phones_full),
                                                "label", PHONE_LABEL_NAMES[c->phones[i].label]));
    json_t *consent = json_object();
    for (int i = 0; i < CONSENT_COUNT; i++)
        json_object_set_new(consent, CONSENT_CHANNEL_NAMES[i], json_boolean(c->consent[i]));
    json_t *needs = view_needs(c->needs);
    json_t *email;
    if (!c->email[0]) {
        email = json_null();
    } else if (full) {
        email = json_string(c->email);
    } else if (sees) {
        char m[EMAIL_MAX + 8];
        mask_email(c->email, m, sizeof m);
        email = json_string(m);
    } else {
        email = json_null();
    }
    json_t *o = json_pack(
        "{s:I, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:s, "
        "s:s, s:b}",
        "id", (json_int_t)c->id, "name", masked_name(r, c->name), "title", jstr_or_null(c->title),
        "type", CUSTOMER_TYPE_NAMES[c->type], "classification",
        CUSTOMER_CLASS_NAMES[c->classification], "phone",
        phone_value(c->n_phones ? c->phones[0].number : NULL, phones_full), "phones", phones,
        "email", email, "address", full ? jstr_or_null(c->address) : json_null(), "consent",
        consent, "needs", needs, "needs_note", jstr_or_null(c->needs_note), "notes",
        jstr_or_null(c->notes), "contact_confirmed_at", jstr_or_null(c->contact_confirmed_at),
        "vehicle_count", c->vehicle_count, "created_at", c->created_at, "updated_at", c->updated_at,
        "masked", !full);
    json_object_set_new(o, "preferred_channel", json_string(c->prefers_email ? "email" : "sms"));
    json_object_set_new(o, "sms_opted_out_at", jstr_or_null(c->sms_opted_out_at));
    /* PIPL: whether this user may ask for the full numbers, and when the customer's personal
     * data was erased (then there is nothing left to reveal). */
    json_object_set_new(
        o, "can_reveal_phones",
        json_boolean(detail && !c->erased_at[0] && mask_may_reveal_phones(r->actor.role)));
    json_object_set_new(o, "erased_at", jstr_or_null(c->erased_at));
    return o;
}

json_t *view_driver(const struct req *r, const struct driver *d)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:s}", "id", (json_int_t)d->id, "name",
                     masked_name(r, d->name), "phone",
                     phone_value(d->phone, mask_phone_in_full(r->actor.role, PHONE_VIEW_CARD)),
                     "relation", jstr_or_null(d->relation), "created_at", d->created_at);
}

json_t *view_next_service(const struct vehicle_schedule *ns)
{
    if (!ns->known)
        return json_null();
    return json_pack("{s:s, s:I, s:s, s:o}", "due_date", ns->due_date, "due_km",
                     (json_int_t)ns->due_km, "basis", SCHEDULE_BASIS_NAMES[ns->basis], "rule",
                     jstr_or_null(ns->rule));
}

json_t *view_vehicle(const struct req *r, const struct vehicle *v)
{
    json_t *o = json_pack(
        "{s:I, s:I, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:{s:I, s:o, s:o}, s:s, s:s}",
        "id", (json_int_t)v->id, "customer_id", (json_int_t)v->customer_id, "vin", v->vin,
        "vin_verified", v->vin_verified, "plate", jstr_or_null(v->plate), "brand",
        jstr_or_null(v->brand), "model", jstr_or_null(v->model), "model_year",
        v->model_year ? json_integer(v->model_year) : json_null(), "purchase_date",
        jstr_or_null(v->purchase_date), "mileage_km", (json_int_t)v->mileage_km, "mileage_date",
        jstr_or_null(v->mileage_date), "owner", "id", (json_int_t)v->customer_id, "name",
        masked_name(r, v->owner_name), "title", jstr_or_null(v->owner_title), "created_at",
        v->created_at, "updated_at", v->updated_at);
    json_object_set_new(o, "insurance_expiry", jstr_or_null(v->insurance_expiry));
    json_object_set_new(o, "inspection_expiry", jstr_or_null(v->inspection_expiry));
    json_object_set_new(o, "next_service", view_next_service(&v->next_service));
    json_object_set_new(o, "last_service_date", jstr_or_null(v->next_service.last_service_date));
    json_object_set_new(o, "last_visit_date", jstr_or_null(v->next_service.last_visit_date));
    return o;
}

json_t *view_user(const struct user *u)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:b, s:b, s:s, s:s}", "id", (json_int_t)u->id,
                     "username", u->username, "display_name", u->display_name, "role",
                     role_name(u->role), "store_id", (json_int_t)u->store_id, "store_code",
                     u->store_code, "disabled", u->disabled, "must_change_password",
                     u->must_change_password, "created_at", u->created_at, "updated_at",
                     u->updated_at);
}

/* Hours travel as a JSON number with at most two decimals (1.5), money as integer fen. */
json_t *hours_value(int64_t hours_x100)
{
    if (hours_x100 % 100 == 0)
        return json_integer(hours_x100 / 100);
    return json_real((double)hours_x100 / 100.0);
}

json_t *view_service_record(const struct service_record *s)
{
    json_t *labour = json_array(), *parts = json_array();
    for (size_t i = 0; i < s->n_labour; i++) {
        const struct labour_line *l = &s->labour[i];
        json_array_append_new(labour, json_pack("{s:o, s:s, s:o, s:I}", "code",
                                                jstr_or_null(l->code), "operation", l->operation,
                                                "hours", hours_value(l->hours_x100), "amount_fen",
                                                (json_int_t)l->amount_fen));
    }
    for (size_t i = 0; i < s->n_parts; i++) {
        const struct parts_line *p = &s->parts[i];
        json_array_append_new(parts,
                              json_pack("{s:s, s:o, s:I, s:I, s:I}", "part_no", p->part_no, "name",
                                        jstr_or_null(p->name), "qty", (json_int_t)p->qty,
                                        "unit_price_fen", (json_int_t)p->unit_price_fen,
                                        "amount_fen", (json_int_t)p->amount_fen));
    }
    json_t *o = json_pack(
        "{s:I, s:I, s:I, s:s, s:o, s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:s}",
        "id", (json_int_t)s->id, "vehicle_id", (json_int_t)s->vehicle_id, "customer_id",
        (json_int_t)s->customer_id, "date", s->date_in, "date_out", jstr_or_null(s->date_out),
        "mileage_km", (json_int_t)s->mileage_km, "kind", SERVICE_KIND_NAMES[s->kind], "advisor_id",
        s->advisor_id ? json_integer(s->advisor_id) : json_null(), "advisor_name",
        jstr_or_null(s->advisor_name), "technician", jstr_or_null(s->technician), "notes",
        jstr_or_null(s->notes), "labour", labour, "parts", parts, "labour_fen",
        (json_int_t)s->totals.labour_fen, "parts_fen", (json_int_t)s->totals.parts_fen, "total_fen",
        (json_int_t)s->totals.total_fen, "created_at", s->created_at);
    json_object_set_new(o, "campaign_id",
                        s->campaign_id ? json_integer(s->campaign_id) : json_null());
    return o;
}

json_t *view_local(dms_day day, int min)
{
    if (!day || min < 0)
        return json_null();
    char s[LOCAL_TIME_STR];
    local_time_format(day, min, s);
    return json_string(s);
}

json_t *view_estimate(int64_t labour, int64_t parts, int64_t total)
{
    return json_pack("{s:I, s:I, s:I}", "labour_fen", (json_int_t)labour, "parts_fen",
                     (json_int_t)parts, "total_fen", (json_int_t)total);
}

json_t *view_services(unsigned services)
{
    json_t *a = json_array();
    for (int i = 0; i < SERVICE_COUNT; i++)
        if (services & (1u << i))
            json_array_append_new(a, json_string(SERVICE_NAMES[i]));
    return a;
}
