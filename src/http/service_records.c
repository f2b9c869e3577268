/* /api/v1/service-records: repair orders with labour and parts lines, in fen. */
#include <stdlib.h>
#include <string.h>

#include "core/customer.h"
#include "core/money.h"
#include "core/service_record.h"
#include "core/vehicle.h"
#include "http/http.h"
#include "store/service_records.h"

/* Renames err->field to "<array>[i].<field>" so the client can find the bad line. */
static int line_fail(struct req *r, const char *array, size_t i)
{
    char prefix[40];
    snprintf(prefix, sizeof prefix, "%s[%zu]%s", array, i, r->err.field[0] ? "." : "");
    return jin_prefix_field(&r->err, prefix);
}

static int parse_labour(struct req *r, json_t *arr, struct labour_line *out, size_t *n)
{
    static const char *const fields[] = {"code", "operation", "hours", "amount_fen", NULL};
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item)
    {
        struct labour_line *l = &out[i];
        memset(l, 0, sizeof *l);
        if (!json_is_object(item)) {
            req_fail(r, "invalid_field", "", "each labour line is an object");
            return line_fail(r, "labour", i);
        }
        int rc_code;
        if (jin_only(item, fields, "", &r->err) < 0 ||
            (rc_code = jin_text(item, "code", false, 32, false, l->code, sizeof l->code, &r->err)) <
                0 ||
            jin_text(item, "operation", rc_code != JIN_VALUE, 64, false, l->operation,
                     sizeof l->operation, &r->err) < 0 ||
            jin_int(item, "amount_fen", true, 0, MONEY_MAX_FEN, &l->amount_fen, &r->err) < 0)
            return line_fail(r, "labour", i);
        if (!l->operation[0])
            snprintf(l->operation, sizeof l->operation, "%s", l->code);
        json_t *h = json_object_get(item, "hours");
        if (h && !json_is_null(h)) {
            if (!json_is_number(h) ||
                hundredths_from_double(json_number_value(h), SERVICE_MAX_HOURS_X100,
                                       &l->hours_x100) < 0) {
                dms_fail(&r->err, "invalid_field", "hours",
                         "hours is a number of at most 1000 with up to two decimals");
                return line_fail(r, "labour", i);
            }
        }
    }
    *n = json_array_size(arr);
    return 0;
}

static int parse_parts(struct req *r, json_t *arr, struct parts_line *out, size_t *n)
{
    static const char *const fields[] = {"part_no", "name", "qty", "unit_price_fen", NULL};
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item)
    {
        struct parts_line *p = &out[i];
        memset(p, 0, sizeof *p);
        if (!json_is_object(item)) {
            req_fail(r, "invalid_field", "", "each parts line is an object");
            return line_fail(r, "parts", i);
        }
        if (jin_only(item, fields, "", &r->err) < 0 ||
            jin_text(item, "part_no", true, 32, false, p->part_no, sizeof p->part_no, &r->err) <
                0 ||
            jin_text(item, "name", false, 64, false, p->name, sizeof p->name, &r->err) < 0 ||
            jin_int(item, "qty", true, 1, SERVICE_MAX_QTY, &p->qty, &r->err) < 0 ||
            jin_int(item, "unit_price_fen", true, 0, MONEY_MAX_FEN, &p->unit_price_fen, &r->err) <
                0)
            return line_fail(r, "parts", i);
    }
    *n = json_array_size(arr);
    return 0;
}

static json_t *lines(struct req *r, const char *key)
{
    json_t *v = json_object_get(r->body, key);
    if (!v || json_is_null(v))
        return NULL;
    return v;
}

int h_service_records_create(struct req *r)
{
    static const char *const fields[] = {"vehicle_id", "date",       "date_out",    "mileage_km",
                                         "kind",       "labour",     "parts",       "notes",
                                         "advisor_id", "technician", "campaign_id", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct service_record rec;
    memset(&rec, 0, sizeof rec);
    int kind = 0, rc;
    dms_day in = 0, out = 0;
    if (jin_int(r->body, "vehicle_id", true, 1, INT64_MAX, &rec.vehicle_id, &r->err) < 0 ||
        jin_date(r->body, "date", true, rec.date_in, &in, &r->err) < 0 ||
        (rc = jin_date(r->body, "date_out", false, rec.date_out, &out, &r->err)) < 0 ||
        jin_int(r->body, "mileage_km", true, 0, VEHICLE_MAX_KM, &rec.mileage_km, &r->err) < 0 ||
        jin_enum(r->body, "kind", true, SERVICE_KIND_NAMES, SERVICE_KIND_COUNT, &kind, &r->err) <
            0 ||
        jin_int(r->body, "advisor_id", false, 1, INT64_MAX, &rec.advisor_id, &r->err) < 0 ||
        jin_int(r->body, "campaign_id", false, 1, INT64_MAX, &rec.campaign_id, &r->err) < 0 ||
        jin_text(r->body, "technician", false, CUSTOMER_NAME_CHARS, false, rec.technician,
                 sizeof rec.technician, &r->err) < 0 ||
        jin_text(r->body, "notes", false, CUSTOMER_NOTES_CHARS, true, rec.notes, sizeof rec.notes,
                 &r->err) < 0)
        return -1;
    rec.kind = (enum service_kind)kind;
    if (date_check_not_future(in, r->actor.today, "date", &r->err) < 0)
        return -1;
    if (rc == JIN_VALUE && out < in)
        return req_fail(r, "invalid_date", "date_out", "the car cannot leave before it came in");
    if (rc == JIN_VALUE && date_check_not_future(out, r->actor.today, "date_out", &r->err) < 0)
        return -1;
    if (!rec.advisor_id && r->actor.role == ROLE_ADVISOR)
        rec.advisor_id = r->actor.user_id;
    json_t *labour = lines(r, "labour"), *parts = lines(r, "parts");
    if ((labour && !json_is_array(labour)) || (parts && !json_is_array(parts)))
        return req_fail(r, "invalid_field", labour && !json_is_array(labour) ? "labour" : "parts",
                        "labour and parts are arrays of lines");
    if (labour && json_array_size(labour) > SERVICE_MAX_LINES)
        return req_fail(r, "invalid_field", "labour", "at most %d lines", SERVICE_MAX_LINES);
    if (parts && json_array_size(parts) > SERVICE_MAX_LINES)
        return req_fail(r, "invalid_field", "parts", "at most %d lines", SERVICE_MAX_LINES);
    /* Sized to the request (at most SERVICE_MAX_LINES each, checked above). */
    rec.labour = calloc(labour ? json_array_size(labour) + 1 : 1, sizeof *rec.labour);
    rec.parts = calloc(parts ? json_array_size(parts) + 1 : 1, sizeof *rec.parts);
    rc = -1;
    if (!rec.labour || !rec.parts)
        req_fail(r, "internal", NULL, "out of memory");
    else if ((!labour || parse_labour(r, labour, rec.labour, &rec.n_labour) == 0) &&
             (!parts || parse_parts(r, parts, rec.parts, &rec.n_parts) == 0))
        rc = service_records_create(r->db, &r->actor, &rec, &r->err);
    service_record_clear(&rec);
    if (rc < 0)
        return -1;
    struct service_record saved;
    if (service_records_get(r->db, &r->actor, rec.id, &saved, &r->err) < 0)
        return -1;
    reply(r, 201, view_service_record(&saved));
    service_record_clear(&saved);
    return 0;
}

int h_service_records_get(struct req *r)
{
    struct service_record rec;
    if (service_records_get(r->db, &r->actor, r->ids[0], &rec, &r->err) < 0)
        return -1;
    reply(r, 200, view_service_record(&rec));
    service_record_clear(&rec);
    return 0;
}
