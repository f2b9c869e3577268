/* /api/v1/vehicles: vehicles, their odometer readings and their service history. */
#include <stdlib.h>
#include <string.h>

#include "core/plate.h"
#include "core/text.h"
#include "core/vehicle.h"
#include "core/vin.h"
#include "http/http.h"
#include "store/repair_orders.h"
#include "store/service_records.h"
#include "store/vehicles.h"

static int current_year(const struct req *r)
{
    int y, m, d;
    date_to_ymd(r->actor.today, &y, &m, &d);
    return y;
}

/* Applies the fields present in body onto v. */
static int parse_fields(struct req *r, struct vehicle *v, bool create)
{
    json_t *b = r->body;
    int64_t n;
    int rc;
    if ((rc = jin_int(b, "customer_id", create, 1, INT64_MAX, &n, &r->err)) < 0)
        return -1;
    if (rc == JIN_NULL)
        return req_fail(r, "missing_field", "customer_id", "a vehicle always has an owner");
    if (rc == JIN_VALUE)
        v->customer_id = n;

    static const char *const checks[] = {"verify", "skip"};
    int check = 0;
    if (jin_enum(b, "vin_check", false, checks, 2, &check, &r->err) < 0)
        return -1;
    const char *s;
    if ((rc = jin_string(b, "vin", create, &s, &r->err)) < 0)
        return -1;
    if (rc == JIN_NULL)
        return req_fail(r, "missing_field", "vin", "a vehicle always has a VIN");
    if (rc == JIN_VALUE) {
        if (vin_normalize(s, v->vin, check == 0, &r->err) < 0)
            return -1;
        v->vin_verified = check == 0;
    } else if (json_object_get(b, "vin_check")) {
        return req_fail(r, "invalid_field", "vin_check", "vin_check goes with a vin");
    }

    if ((rc = jin_string(b, "plate", false, &s, &r->err)) < 0)
        return -1;
    if (rc == JIN_NULL || (rc == JIN_VALUE && *s == '\0'))
        v->plate[0] = '\0';
    else if (rc == JIN_VALUE && plate_normalize(s, v->plate, NULL, &r->err) < 0)
        return -1;

    char text[VEHICLE_TEXT_CHARS * 4 + 1];
    if ((rc = jin_text(b, "brand", false, VEHICLE_TEXT_CHARS, false, text, sizeof text, &r->err)) <
        0)
        return -1;
    if (rc)
        snprintf(v->brand, sizeof v->brand, "%s", rc == JIN_VALUE ? text : "");
    if ((rc = jin_text(b, "model", false, VEHICLE_TEXT_CHARS, false, text, sizeof text, &r->err)) <
        0)
        return -1;
    if (rc)
        snprintf(v->model, sizeof v->model, "%s", rc == JIN_VALUE ? text : "");

    if ((rc = jin_int(b, "model_year", false, INT32_MIN, INT32_MAX, &n, &r->err)) < 0)
        return -1;
    if (rc == JIN_VALUE && vehicle_check_model_year(n, current_year(r), &r->err) < 0)
        return -1;
    if (rc)
        v->model_year = rc == JIN_VALUE ? (int)n : 0;

    dms_day day;
    char date[DATE_STR];
    if ((rc = jin_date(b, "purchase_date", false, date, &day, &r->err)) < 0)
        return -1;
    if (rc == JIN_VALUE && date_check_not_future(day, r->actor.today, "purchase_date", &r->err) < 0)
        return -1;
    if (rc)
        snprintf(v->purchase_date, sizeof v->purchase_date, "%s", rc == JIN_VALUE ? date : "");
    /* CS-8: expiry dates lie ahead (or just behind: a lapsed policy is still worth a call). */
    if ((rc = jin_date(b, "insurance_expiry", false, date, &day, &r->err)) < 0)
        return -1;
    if (rc)
        snprintf(v->insurance_expiry, sizeof v->insurance_expiry, "%s",
                 rc == JIN_VALUE ? date : "");
    if ((rc = jin_date(b, "inspection_expiry", false, date, &day, &r->err)) < 0)
        return -1;
    if (rc)
        snprintf(v->inspection_expiry, sizeof v->inspection_expiry, "%s",
                 rc == JIN_VALUE ? date : "");
    return 0;
}

/* RO-4: the work the customer declined, offered again at the next contact. */
static json_t *view_declined(const struct declined_item *d, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:s, s:s}", "id",
                                           (json_int_t)d[i].id, "type",
                                           RO_LINE_TYPE_NAMES[d[i].type], "code", d[i].code, "name",
                                           d[i].name, "amount_fen", (json_int_t)d[i].amount_fen,
                                           "repair_order_id", (json_int_t)d[i].order_id, "number",
                                           d[i].number, "declined_on", d[i].declined_on));
    return a;
}

/* The vehicle as GET shows it (also the answer of a create or an edit). */
static int respond_vehicle(struct req *r, int status, int64_t id)
{
    struct vehicle v;
    struct declined_item *d = NULL;
    size_t n = 0;
    if (vehicles_get(r->db, &r->actor, id, &v, &r->err) < 0 ||
        declined_work_list(r->db, &r->actor, v.id, &d, &n, &r->err) < 0)
        return -1;
    json_t *body = view_vehicle(r, &v);
    json_object_set_new(body, "declined_work", view_declined(d, n));
    free(d);
    return reply(r, status, body);
}

int h_vehicles_create(struct req *r)
{
    static const char *const fields[] = {"customer_id",
                                         "vin",
                                         "vin_check",
                                         "plate",
                                         "brand",
                                         "model",
                                         "model_year",
                                         "purchase_date",
                                         "mileage_km",
                                         "insurance_expiry",
                                         "inspection_expiry",
                                         NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct vehicle v;
    memset(&v, 0, sizeof v);
    int64_t km = 0;
    if (parse_fields(r, &v, true) < 0 ||
        jin_int(r->body, "mileage_km", false, 0, VEHICLE_MAX_KM, &km, &r->err) < 0)
        return -1;
    if (vehicles_create(r->db, &r->actor, &v, km, &r->err) < 0)
        return -1;
    return respond_vehicle(r, 201, v.id);
}

int h_vehicles_get(struct req *r)
{
    return respond_vehicle(r, 200, r->ids[0]);
}

int h_vehicles_update(struct req *r)
{
    static const char *const fields[] = {"customer_id",
                                         "vin",
                                         "vin_check",
                                         "plate",
                                         "brand",
                                         "model",
                                         "model_year",
                                         "purchase_date",
                                         "insurance_expiry",
                                         "inspection_expiry",
                                         NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct vehicle prev, next;
    if (vehicles_get_for_update(r->db, &r->actor, r->ids[0], &prev, &r->err) < 0)
        return -1;
    next = prev;
    if (parse_fields(r, &next, false) < 0 ||
        vehicles_update(r->db, &r->actor, &prev, &next, &r->err) < 0)
        return -1;
    return respond_vehicle(r, 200, r->ids[0]);
}

int h_vehicles_list(struct req *r)
{
    int limit;
    int64_t cursor;
    if (req_page(r, &limit, &cursor) < 0)
        return -1;
    struct vehicle_filter f = {0};
    if (req_query_id(r, "customer_id", &f.customer_id) < 0)
        return -1;
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

static json_t *view_reading(const struct mileage_reading *m)
{
    return json_pack("{s:I, s:I, s:s, s:I, s:s, s:o, s:s}", "id", (json_int_t)m->id, "vehicle_id",
                     (json_int_t)m->vehicle_id, "date", m->date, "km", (json_int_t)m->km, "source",
                     MILEAGE_SOURCE_NAMES[m->source], "service_record_id",
                     m->service_record_id ? json_integer(m->service_record_id) : json_null(),
                     "created_at", m->created_at);
}

int h_mileage_create(struct req *r)
{
    static const char *const fields[] = {"date", "km", "source", NULL};
    static const char *const sources[] = {"manual", "call"};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    int64_t km;
    int src = 0, rc;
    dms_day day = r->actor.today;
    char date[DATE_STR];
    if (jin_int(r->body, "km", true, 0, VEHICLE_MAX_KM, &km, &r->err) < 0 ||
        (rc = jin_date(r->body, "date", false, date, &day, &r->err)) < 0 ||
        jin_enum(r->body, "source", false, sources, 2, &src, &r->err) < 0)
        return -1;
    struct mileage_reading m;
    if (mileage_add(r->db, &r->actor, r->ids[0], day, km, src == 0 ? MILEAGE_MANUAL : MILEAGE_CALL,
                    0, &m, &r->err) < 0)
        return -1;
    struct vehicle v;
    if (vehicles_get(r->db, &r->actor, r->ids[0], &v, &r->err) < 0)
        return -1;
    json_t *out = view_reading(&m);
    json_object_set_new(out, "vehicle", view_vehicle(r, &v));
    return reply(r, 201, out);
}

/* Paged like every list; the default page is the 500 readings the list was once cut at. */
int h_mileage_list(struct req *r)
{
    int limit;
    int64_t cursor;
    if (req_page_sized(r, 500, 500, &limit, &cursor) < 0)
        return -1;
    struct mileage_reading *list;
    size_t n;
    bool more;
    if (mileage_list(r->db, &r->actor, r->ids[0], cursor, limit, &list, &n, &more, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_reading(&list[i]));
    int64_t last = n ? list[n - 1].id : 0;
    free(list);
    return reply_page(r, items, more, last);
}

/* Paged like every list; the default page is the 200 records the list was once cut at. */
int h_vehicle_service_records(struct req *r)
{
    int limit;
    int64_t cursor;
    if (req_page_sized(r, 200, 200, &limit, &cursor) < 0)
        return -1;
    struct service_record *list;
    size_t n;
    bool more;
    if (service_records_for_vehicle(r->db, &r->actor, r->ids[0], cursor, limit, &list, &n, &more,
                                    &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_service_record(&list[i]));
    int64_t last = n ? list[n - 1].id : 0;
    service_records_free(list, n);
    return reply_page(r, items, more, last);
}
